"""Blind conformance test (French locale, Google stand-in).

A plan written from DESIGN.md §2–§4 and the README's "The template" and "Semantics" only,
with every figure of the report computed by hand below. The plan is laid into a spreadsheet
on the offline Sheets stand-in with real gspread (RAW values, dates as serial numbers, as
Google returns them) and synced through ``sheetpilot sync --config cfg.toml --plan NAME``.

Plan design
-----------
Réglages (header on row 1, lists in a shuffled column order, pairs kept side by side):

    A Priorités | B Statuts  | C Type      | E Responsables  | F Capacité | G Chantiers      | I Paramètre | J Valeur
    Haute       | À faire    | todo        | Camille Martin  | 4          | SEO              | Début du plan | 46393 (2027-01-06, a Wednesday)
    Moyenne     | En cours   | en cours    | Hugo Durand     | "3,5"      | Emailing         | Durée d'une période (jours) | 7
    Basse       | Terminé    | terminé     | Inès Roux       | "5 j"      | Contenu          | Nombre de périodes | 4
                | Bloqué     | blocked     |                 |            | Réseaux sociaux  |
                | Abandonné  | abandonné   |

    Priority index: Haute 0, Moyenne 1, Basse 2, unknown 3 (after all known ones).
    Capacity per period = 4 + 3.5 + 5 = 12.5.

Periods (generated, length 7, 4 periods; every 7-day period holds exactly 5 weekdays):

    P1 2027-01-06 .. 2027-01-12   days 7, working 5   (ended before today)
    P2 2027-01-13 .. 2027-01-19   days 7, working 5   (ended before today)
    P3 2027-01-20 .. 2027-01-26   days 7, working 5   (contains today 2027-01-21)
    P4 2027-01-27 .. 2027-02-02   days 7, working 5

Suivi des actions: a title on row 1, a blank row 2, header on row 3, shuffled columns
(A Action, B ID, C Responsable, D Période, E Statut, F Priorité, G Notes (the user's own
column, formula-looking text), H Chantier, I Dépend de, J Estimation (j-h), K Impact,
L Difficulté, M Résultat cible, N Description, O Rang), blank rows 9 and 19:

    row ID     owner          per  status      prio    ws         deps          est    imp  eff  result
    4   A-001  Camille        P1   Terminé     Haute   SEO        -             2      4    2    R1
    5   A-002  Hugo           P1   En cours    Moyenne Emailing   -             "1,5"  3    3    R3
    6   A-003  Inès           P2   À faire     Basse   Contenu    A-001         "2 j"  5    1    R1
    7   A-004  Camille        P2   Abandonné   Haute   SEO        -             3      3    3    -
    8   A-005  Hugo           P3   À faire     Moyenne Emailing   A-004         1      3    3    R3
    10  A-006  Inès           P3   À faire     Basse   Contenu    -             3      3    3    R2
    11  A-007  Camille        P4   À faire     Haute   SEO        A-006         2      4    2    R2
    12  A-008  Hugo           P3   En cours    Moyenne "Emailling" A-099        2      3    3    R3
    13  A-009  Inès           P3   Bloqué      Basse   Réseaux s. A-010         (none) 3    3    R4
    14  A-010  Camille        P3   À faire     Moyenne Réseaux s. A-011         1      3    3    R4
    15  A-011  Inès           P3   À faire     Basse   Contenu    A-009         1      3    3    R4
    16  A-012  Hugo           P4   "Terminée"  Moyenne Réseaux s. -             2      6    3    R4
    17  A-013  "Camile Martin" P3  À faire     Haute   SEO        "A-007, A-003" "0,5" "haut" 0  R1
    18  A-014  Camille        P4   À faire     Moyenne Contenu    "A-003; A-002" 3     2    4    R2
    20  A-012  Camille        P1   Terminé     Basse   SEO        -             1      3    3    R1   (duplicate ID)
    21  A-015  Hugo           "P5" À faire     "Hautte" Contenu   -             1      3    3    "R9"
    22  (none) Inès           P4   À faire     Basse   Réseaux s. -             1      3    3    R4   (gets A-016)

Status types: done = A-001; cancelled = A-004; "Terminée" is unknown, so A-012 (row 16) is
treated as todo (open). The second A-012 (row 20) is a duplicate-id error and that row is
ignored until fixed (the first one is kept): its 1 done person-day is not counted.
(DESIGN §3 says a bad cell's row "is kept with the field empty"; the code's documented
choice for a repeated ID is to drop the later row — reported to the lead.) Impact/effort outside 1–5 or unreadable fall back to
the default 3 (the field is left empty): A-012 3/3, A-013 3/3.

Periods (cancelled excluded; missing estimate counts 0):
    P1: A-001 (2, done), A-002 (1.5) [A-012#20 ignored]        → 2 actions, 3.5 pd, 2.0 done,
        load 3.5/12.5 = 0.28
    P2: A-003 (2) [A-004 cancelled]                            → 1, 2.0, 0.0, 0.16
    P3: A-005 1, A-006 3, A-008 2, A-009 0, A-010 1, A-011 1, A-013 0.5
                                                               → 7, 8.5, 0.0, 0.68
    P4: A-007 2, A-012 2, A-014 3, A-016 1                     → 4, 8.0, 0.0, 0.64
    A-015 (P5, unknown) is in no period.

Owners × periods: every known owner × every period, plus the unknown owner where it has
work (A-013's "Camile Martin": P3 0.5 person-days, capacity 0; the spec is silent, the code
keeps the typed owner so its workload stays visible; no over-capacity for it, the
unknown-value warning already points at C17):
    Camille (cap 4):   P1 2, P2 0 (A-004 cancelled), P3 1, P4 2+3 = 5 > 4 → over-capacity
    Hugo    (cap 3.5): P1 1.5, P2 0, P3 1+2 = 3, P4 2
    Inès    (cap 5):   P1 0, P2 2, P3 3+0+1 = 4, P4 1

Priority order. Open: A-002, A-003, A-005..A-014 (A-012 row 16), A-015, A-016.
Dependencies: A-003→A-001 done (satisfied); A-005→A-004 cancelled (ignored, warning);
A-008→A-099 unknown (ignored, error); cycle A-009→A-010→A-011→A-009 (error, after all others,
row order); A-007→A-006; A-013→A-007, A-003; A-014→A-003, A-002.
Effective priority (own, then inherited from open dependents, transitively):
    A-003 Basse→Haute (A-013);  A-006 Basse→Haute (A-007, A-013);  A-007 Haute;  A-013 Haute;
    A-002 Moyenne (A-014 Moyenne); A-005, A-008, A-012, A-014 Moyenne; A-016 Basse;
    A-015 unknown (3).
Ready keys (eff, −impact/effort, row):
    A-003 (0,−5,6)  A-006 (0,−1,10)  A-002 (1,−1,5)  A-005 (1,−1,8)  A-008 (1,−1,12)
    A-012 (1,−1,16)  A-015 (3,−1,21)  A-016 (2,−1,22)
    1 A-003 → 2 A-006 → A-007 ready (0,−2,11) → 3 A-007 → A-013 ready (0,−1,17) → 4 A-013
    → 5 A-002 → A-014 ready (1,−0.5,18) → 6 A-005 → 7 A-008 → 8 A-012 → 9 A-014 → 10 A-016
    → 11 A-015 → cycle in row order: 12 A-009, 13 A-010, 14 A-011.

Objectifs: a title on row 1, header on row 2 (A ID, B Objectif marketing, C Objectif business,
D Résultat cible, E KPI, F Valeur cible, G Valeur initiale, H Valeur actuelle, I Échéance,
J Priorité, K Leviers, L Avancement, M État, N Commentaire (the user's)), blank row 7, merged
(blank) objective cells under each objective's first result. Today 2027-01-21, plan start
2027-01-06: 15 days elapsed.

    R1 (row 3)  O1  base 10000  target 20000  current "14 000"  due 46477 (2027-03-31)
                progress 4000/10000 = 0.4
    R2 (row 4)  O1  base "2,0 %" target "4 %" current "3,5 %"   due "31/13/2027" → bad-date I4
                progress 1.5/2 = 0.75
    O1 "Augmenter le trafic organique": 0.575; R2's due date does not parse, so the
                objective's due date is unknown → health "unknown" (was "on track" from
                R1's date alone: a bad date must not make a result look healthier)
    R3 (row 5)  O2  base 80  target 50 (decreasing) current 78  due "2027-06-30"
                progress −2/−30 = 0.0667
    R4 (row 6)  O2  base 100 target 100 current 95              due "30/04/27"
                target = baseline, current ≠ target → 0
    O2 "Générer des leads qualifiés": 0.0333; due 2027-06-30 (175 days); expected
                15/175 = 0.0857 → at risk
    R5 (row 8)  O3  base 30  target 40  current (blank) → 0, missing-current H8
                due "2027-02-30" → bad-date I8
    R6 (row 9)  O3  base 20  target 50  current 35  due 46405 (2027-01-18)  progress 0.5
    O3 "Fidéliser les clients": 0.25; R5's due date does not parse, so the latest due
                date is unknown → "unknown" (R6's 2027-01-18 alone would say late)
    R7 (row 10) O4  base 0   target 1000 current 1200 → clamped 1   due "15/01/2027"
    O4 "Développer la notoriété": 1 → done (done wins over the passed due date)

Linked actions, cancelled excluded (result: actions, done): R1 A-001✓ A-003 A-013 → 3, 1;
R2 A-006 A-007 A-014 → 3, 0; R3 A-002 A-005 A-008 → 3, 0; R4 A-009 A-010 A-011 A-012 A-016
→ 5, 0; R5, R6, R7 → 0, 0.

Issues (see ISSUES below): 6 errors, 15 warnings.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from typer.testing import CliRunner

from sheetpilot._cli import app

TODAY = "2027-01-21"


def serial(day: date) -> int:
    return (day - date(1899, 12, 30)).days


SETTINGS = [
    ["Priorités", "Statuts", "Type", "", "Responsables", "Capacité (j-h / période)", "Chantiers", "", "Paramètre", "Valeur"],
    ["Haute", "À faire", "todo", "", "Camille Martin", 4, "SEO", "", "Début du plan", serial(date(2027, 1, 6))],
    ["Moyenne", "En cours", "en cours", "", "Hugo Durand", "3,5", "Emailing", "", "Durée d'une période (jours)", 7],
    ["Basse", "Terminé", "terminé", "", "Inès Roux", "5 j", "Contenu", "", "Nombre de périodes", 4],
    ["", "Bloqué", "blocked", "", "", "", "Réseaux sociaux", "", "", ""],
    ["", "Abandonné", "abandonné", "", "", "", "", "", "", ""],
]  # fmt: skip

OBJECTIVES = [
    ["Objectifs 2027 — équipe marketing"],
    ["ID", "Objectif marketing", "Objectif business", "Résultat cible", "KPI", "Valeur cible", "Valeur initiale", "Valeur actuelle", "Échéance", "Priorité", "Leviers", "Avancement", "État", "Commentaire"],
    ["R1", "Augmenter le trafic organique", "Croître le CA en ligne", "Doubler les visites SEO", "visites / mois", 20000, 10000, "14 000", serial(date(2027, 3, 31)), "Haute", "SEO", "", "", "=SUM(F3:F4)"],
    ["R2", "", "", "Conversion à 4 %", "%", "4 %", "2,0 %", "3,5 %", "31/13/2027", "Moyenne", "Site", "", "", "+ vérifier GA4"],
    ["R3", "Générer des leads qualifiés", "Croître le CA en ligne", "Baisser le coût par lead", "€ / lead", 50, 80, 78, "2027-06-30", "Haute", "Ads", "", "", ""],
    ["R4", "", "", "Tenir 100 leads / mois", "leads", 100, 100, 95, "30/04/27", "Moyenne", "Emailing", "", "", "-stable-"],
    ["", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["R5", "Fidéliser les clients", "Augmenter la valeur client", "Taux de réachat 40 %", "%", 40, 30, "", "2027-02-30", "Basse", "CRM", "", "", "@crm"],
    ["R6", "", "", "NPS à 50", "NPS", 50, 20, 35, serial(date(2027, 1, 18)), "Moyenne", "Service", "", "", ""],
    ["R7", "Développer la notoriété", "Marque", "1000 abonnés", "abonnés", 1000, 0, 1200, "15/01/2027", "Basse", "Social", "", "", ""],
]  # fmt: skip

ACTIONS = [
    ["Plan d'actions marketing 2027"],
    [],
    ["Action", "ID", "Responsable", "Période", "Statut", "Priorité", "Notes", "Chantier", "Dépend de", "Estimation (j-h)", "Impact", "Difficulté", "Résultat cible", "Description", "Rang"],
    ["Audit SEO technique", "A-001", "Camille Martin", "P1", "Terminé", "Haute", "=A1", "SEO", "", 2, 4, 2, "R1", "Crawl complet", ""],
    ["Séquence de bienvenue", "A-002", "Hugo Durand", "P1", "En cours", "Moyenne", "+33 6 12 34 56 78", "Emailing", "", "1,5", 3, 3, "R3", "", ""],
    ["Articles piliers", "A-003", "Inès Roux", "P2", "À faire", "Basse", "", "Contenu", "A-001", "2 j", 5, 1, "R1", "4 articles", ""],
    ["Refonte des balises", "A-004", "Camille Martin", "P2", "Abandonné", "Haute", "-x", "SEO", "", 3, 3, 3, "", "", ""],
    ["Newsletter mensuelle", "A-005", "Hugo Durand", "P3", "À faire", "Moyenne", "", "Emailing", "A-004", 1, 3, 3, "R3", "", ""],
    [],
    ["Guide d'achat", "A-006", "Inès Roux", "P3", "À faire", "Basse", "", "Contenu", "", 3, 3, 3, "R2", "", ""],
    ["Pages catégories", "A-007", "Camille Martin", "P4", "À faire", "Haute", "@y", "SEO", "A-006", 2, 4, 2, "R2", "", ""],
    ["Relance paniers", "A-008", "Hugo Durand", "P3", "En cours", "Moyenne", "", "Emailling", "A-099", 2, 3, 3, "R3", "", ""],
    ["Concours Instagram", "A-009", "Inès Roux", "P3", "Bloqué", "Basse", "", "Réseaux sociaux", "A-010", "", 3, 3, "R4", "", ""],
    ["Partenariat influenceurs", "A-010", "Camille Martin", "P3", "À faire", "Moyenne", "", "Réseaux sociaux", "A-011", 1, 3, 3, "R4", "", ""],
    ["Kit média", "A-011", "Inès Roux", "P3", "À faire", "Basse", "", "Contenu", "A-009", 1, 3, 3, "R4", "", ""],
    ["Calendrier éditorial", "A-012", "Hugo Durand", "P4", "Terminée", "Moyenne", "", "Réseaux sociaux", "", 2, 6, 3, "R4", "", ""],
    ["Optimisation mobile", "A-013", "Camile Martin", "P3", "À faire", "Haute", "", "SEO", "A-007, A-003", "0,5", "haut", 0, "R1", "", ""],
    ["Webinaire clients", "A-014", "Camille Martin", "P4", "À faire", "Moyenne", "", "Contenu", "A-003; A-002", 3, 2, 4, "R2", "", ""],
    [],
    ["Audit des backlinks", "A-012", "Camille Martin", "P1", "Terminé", "Basse", "", "SEO", "", 1, 3, 3, "R1", "", ""],
    ["Vidéo témoignage", "A-015", "Hugo Durand", "P5", "À faire", "Hautte", "", "Contenu", "", 1, 3, 3, "R9", "", ""],
    ["Posts LinkedIn", "", "Inès Roux", "P4", "À faire", "Basse", "", "Réseaux sociaux", "", 1, 3, 3, "R4", "", ""],
]  # fmt: skip

TABS = {"Réglages": SETTINGS, "Objectifs": OBJECTIVES, "Suivi des actions": ACTIONS}
# Tool-owned cells inside input tabs: Rang (O) in actions; Avancement (L), État (M) in
# objectives; and the blank ID cell B22 that sheetpilot fills with the next free A-NNN.
TOOL_CELLS = {"Suivi des actions": ({14}, {(21, 1)}), "Objectifs": ({11, 12}, set())}

CAP = 12.5
PERIODS = [
    {"name": "P1", "start": "2027-01-06", "end": "2027-01-12", "days": 7, "working_days": 5,
     "actions": 2, "person_days": 3.5, "done_person_days": 2.0, "capacity": CAP, "load": 0.28},
    {"name": "P2", "start": "2027-01-13", "end": "2027-01-19", "days": 7, "working_days": 5,
     "actions": 1, "person_days": 2.0, "done_person_days": 0.0, "capacity": CAP, "load": 0.16},
    {"name": "P3", "start": "2027-01-20", "end": "2027-01-26", "days": 7, "working_days": 5,
     "actions": 7, "person_days": 8.5, "done_person_days": 0.0, "capacity": CAP, "load": 0.68},
    {"name": "P4", "start": "2027-01-27", "end": "2027-02-02", "days": 7, "working_days": 5,
     "actions": 4, "person_days": 8.0, "done_person_days": 0.0, "capacity": CAP, "load": 0.64},
]  # fmt: skip

OWNER_LOAD = {  # owner: (capacity, person-days in P1..P4)
    "Camille Martin": (4.0, [2.0, 0.0, 1.0, 5.0]),
    "Hugo Durand": (3.5, [1.5, 0.0, 3.0, 2.0]),
    "Inès Roux": (5.0, [0.0, 2.0, 4.0, 1.0]),
}

PRIORITY_ORDER = [
    "A-003", "A-006", "A-007", "A-013", "A-002", "A-005", "A-008",
    "A-012", "A-014", "A-016", "A-015", "A-009", "A-010", "A-011",
]  # fmt: skip

OBJECTIVE_REPORT: list[dict[str, Any]] = [
    {"objective": "Augmenter le trafic organique", "progress": 0.575, "health": "unknown",
     "results": [{"id": "R1", "progress": 0.4, "actions": 3, "actions_done": 1},
                 {"id": "R2", "progress": 0.75, "actions": 3, "actions_done": 0}]},
    {"objective": "Générer des leads qualifiés", "progress": 1 / 30, "health": "at risk",
     "results": [{"id": "R3", "progress": 2 / 30, "actions": 3, "actions_done": 0},
                 {"id": "R4", "progress": 0.0, "actions": 5, "actions_done": 0}]},
    {"objective": "Fidéliser les clients", "progress": 0.25, "health": "unknown",
     "results": [{"id": "R5", "progress": 0.0, "actions": 0, "actions_done": 0},
                 {"id": "R6", "progress": 0.5, "actions": 0, "actions_done": 0}]},
    {"objective": "Développer la notoriété", "progress": 1.0, "health": "done",
     "results": [{"id": "R7", "progress": 1.0, "actions": 0, "actions_done": 0}]},
]  # fmt: skip

E, W = "error", "warning"
A, OBJ, S = "Suivi des actions", "Objectifs", "Réglages"
ISSUES = {
    (W, "over-capacity", S, "F2"),  # Camille Martin: 5 pd in P4 for a capacity of 4
    (E, "bad-date", OBJ, "I4"),  # R2 due "31/13/2027"
    (E, "bad-date", OBJ, "I8"),  # R5 due "2027-02-30"
    (W, "missing-current", OBJ, "H8"),  # R5 current blank
    (W, "overdue", A, "D5"),  # A-002 open in P1 (ended 2027-01-12)
    (W, "overdue", A, "D6"),  # A-003 open in P2 (ended 2027-01-19)
    (W, "cancelled-dependency", A, "I8"),  # A-005 → A-004 (Abandonné)
    (W, "unknown-value", A, "H12"),  # workstream "Emailling" (≈ Emailing)
    (E, "unknown-dependency", A, "I12"),  # A-008 → A-099
    (W, "missing-estimate", A, "J13"),
    (E, "dependency-cycle", A, "I13"),  # A-009 → A-010 → A-011 → A-009 (first one's deps)
    (W, "unknown-value", A, "E16"),  # status "Terminée" (≈ Terminé)
    (W, "out-of-range", A, "K16"),  # A-012 impact 6
    (W, "unknown-value", A, "C17"),  # owner "Camile Martin" (≈ Camille Martin)
    (E, "bad-number", A, "K17"),  # A-013 impact "haut"
    (W, "out-of-range", A, "L17"),  # A-013 effort 0
    (W, "dependency-later", A, "D17"),  # A-013 in P3 depends on A-007 in P4
    (E, "duplicate-id", A, "B20"),  # second A-012
    (W, "unknown-value", A, "D21"),  # period "P5"
    (W, "unknown-value", A, "F21"),  # priority "Hautte" (≈ Haute)
    (W, "unknown-value", A, "M21"),  # target result "R9"
}
SUGGESTIONS = {"H12": "Emailing", "E16": "Terminé", "C17": "Camille Martin", "F21": "Haute"}


def padded(rows):
    width = max(len(r) for r in rows)
    return [list(r) + [""] * (width - len(r)) for r in rows]


@pytest.fixture
def spreadsheet(fake):
    key = fake.create_spreadsheet("Plan 2027", sheets={"Notes de l'équipe": [["à garder", "=B2"]]})
    book = fake.gspread_client().open_by_key(key)
    for title, rows in TABS.items():
        book.add_worksheet(title, rows=60, cols=20).update(padded(rows), "A1", raw=True)
    fake.reset()
    return key


def user_cells(fake, key):
    cells = {}
    for title in ("Notes de l'équipe", *TABS):
        columns, single = TOOL_CELLS.get(title, (set(), set()))
        for r, row in enumerate(fake.values(key, title)):
            for c, value in enumerate(row):
                if c not in columns and (r, c) not in single and value != "":
                    cells[(title, r, c)] = value
    return cells


def sync(tmp_path, fake, key):
    config = tmp_path / "cfg.toml"
    config.write_text(
        f'[google]\ncredentials = "none"\nendpoint = "{fake.url}"\n'
        f'[[plans]]\nname = "blind-fr"\nlocale = "fr"\nspreadsheet = "{key}"\n',
        encoding="utf-8",
    )
    report = tmp_path / "r.json"
    args = ["sync", "--config", str(config), "--plan", "blind-fr", "--today", TODAY]
    result = CliRunner().invoke(app, [*args, "--report", str(report)])
    return result, json.loads(report.read_text(encoding="utf-8"))


def six_decimals(value):
    return pytest.approx(round(value, 6), abs=1e-9)


def approx_all(items):
    """The report's floats are the exact figures rounded to 6 decimals."""
    return [
        {k: six_decimals(v) if isinstance(v, float) else v for k, v in item.items()}
        for item in items
    ]


def test_blind_french_plan_on_the_google_stand_in(tmp_path, fake, spreadsheet):
    before = user_cells(fake, spreadsheet)
    result, report = sync(tmp_path, fake, spreadsheet)

    assert result.exit_code == 1, result.output  # the plan has errors
    assert report["plan"] == "blind-fr"
    assert report["today"] == TODAY
    assert report["periods"] == approx_all(PERIODS)
    owners = {
        (o["owner"], o["period"]): (o["person_days"], o["capacity"]) for o in report["owners"]
    }
    assert owners == {
        (owner, f"P{i + 1}"): (pytest.approx(days), pytest.approx(cap))
        for owner, (cap, loads) in OWNER_LOAD.items()
        for i, days in enumerate(loads)
    } | {("Camile Martin", "P3"): (pytest.approx(0.5), pytest.approx(0.0))}
    assert report["priority_order"] == PRIORITY_ORDER
    objectives = [
        {**approx_all([o])[0], "results": approx_all(o["results"])} for o in OBJECTIVE_REPORT
    ]
    assert report["objectives"] == objectives

    found = [(i["severity"], i["code"], i["sheet"], i["cell"]) for i in report["issues"]]
    assert sorted(found) == sorted(ISSUES)
    messages = {i["cell"]: i["message"] for i in report["issues"] if i["sheet"] == A}
    for cell, suggestion in SUGGESTIONS.items():
        assert suggestion in messages[cell], messages[cell]
    cycle = next(i["message"] for i in report["issues"] if i["code"] == "dependency-cycle")
    assert all(n in cycle for n in ("A-009", "A-010", "A-011")), cycle

    # Budget: one batched read, one batched write.
    assert [e.method for e in fake.log] == ["GET", "POST"]
    assert report["writes"]["requests"] == 2
    assert report["writes"]["cells"] > 0

    # Every cell the user typed is untouched (formula-looking text stays text).
    assert user_cells(fake, spreadsheet) == before
    notes = [row[6] for row in padded(fake.values(spreadsheet, "Suivi des actions"))[3:11]]
    assert [n for n in notes if n] == ["=A1", "+33 6 12 34 56 78", "-x", "@y"]

    # The blank ID is filled with the next free A-NNN; ranks land on the open rows.
    actions = padded(fake.values(spreadsheet, "Suivi des actions"))
    assert actions[21][1] == "A-016"
    ranks = {row[1]: row[14] for row in actions[3:] if row[1] and row[14] != ""}
    assert ranks == {action: rank for rank, action in enumerate(PRIORITY_ORDER, 1)}

    # Objective progress and health land on each result row.
    objectives_tab = padded(fake.values(spreadsheet, "Objectifs"))
    progress = {row[0]: row[11] for row in objectives_tab[2:] if row[0]}
    assert progress == {
        result["id"]: six_decimals(result["progress"])
        for objective in OBJECTIVE_REPORT
        for result in objective["results"]
    }
    assert all(row[12] != "" for row in objectives_tab[2:] if row[0])

    # The tool-owned tabs exist and are filled.
    titles = fake.sheet_titles(spreadsheet)
    assert {"Actions par période", "Priorités", "Contrôles"} <= set(titles)
    by_period = fake.values(spreadsheet, "Actions par période")
    assert by_period[1][5] == "P3"  # F2: the period containing today
    flat = [v for row in by_period for v in row]
    assert {"Newsletter mensuelle", "Guide d'achat", "Optimisation mobile"} <= set(flat)
    backlog = [v for row in fake.values(spreadsheet, "Priorités") for v in row]
    positions = [backlog.index(action) for action in PRIORITY_ORDER]
    assert positions == sorted(positions)
    checks = fake.values(spreadsheet, "Contrôles")
    checks_text = [" ".join(str(v) for v in row) for row in checks]
    for _, code, sheet, cell in ISSUES:
        assert any(code in t and sheet in t and cell in t for t in checks_text), (code, cell)

    # A second sync: one read, nothing written, the same report.
    fake.reset()
    result2, again = sync(tmp_path, fake, spreadsheet)
    assert result2.exit_code == 1, result2.output
    assert [e.method for e in fake.log] == ["GET"]
    assert again["writes"] == {"requests": 1, "cells": 0}
    assert {k: v for k, v in again.items() if k != "writes"} == {
        k: v for k, v in report.items() if k != "writes"
    }
    assert user_cells(fake, spreadsheet) == before
