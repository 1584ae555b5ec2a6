"""A whole plan, built by hand with reordered columns and every kind of bad input, synced by the CLI.

Every expected figure below is computed by hand in the comments, not by running the code.
Plan start Monday 2026-01-05, periods of 14 days, 3 periods; today is Thursday 2026-01-22.
  P1 2026-01-05..2026-01-18, P2 2026-01-19..2026-02-01, P3 2026-02-02..2026-02-15,
  14 days each, 10 working days each (two full Monday–Sunday weeks).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from sheetpilot._cells import CellValue, Grid
from sheetpilot._cli import app

TODAY = "2026-01-22"

SETTINGS: Grid = [
    [
        "Statuts",
        "Type",
        None,
        "Priorités",
        None,
        "Chantiers",
        None,
        "Responsables",
        "Capacité (j-h / période)",
        None,
        "Paramètre",
        "Valeur",
    ],
    [
        "À faire",
        "todo",
        None,
        "P1",
        None,
        "SEO",
        None,
        "Alice",
        5,
        None,
        "Début du plan",
        "05/01/2026",
    ],
    [
        "En cours",
        "doing",
        None,
        "P2",
        None,
        "Emailing",
        None,
        "Bruno",
        3,
        None,
        "Durée d'une période (jours)",
        14,
    ],
    ["Terminé", "done", None, "P3", None, None, None, None, None, None, "Nombre de périodes", 3],
    ["Bloqué", "blocked"],
    ["Abandonné", "cancelled"],
]

OBJECTIVES: Grid = [
    ["Objectifs marketing T1 2026"],
    [
        "ID",
        "Résultat cible",
        "Objectif business",
        "Objectif marketing",
        "Valeur initiale",
        "Valeur cible",
        "Valeur actuelle",
        "Échéance",
        "KPI",
        "Notes",
        "Avancement",
        "État",
    ],
    # R1: (150 − 100) / (200 − 100) = 0.5
    [
        "R1",
        "Formulaires +100",
        "Ventes +20 %",
        "Plus de leads",
        100,
        200,
        "150",
        datetime(2026, 2, 15),
        "formulaires",
        "note R1",
    ],
    # R2 (same objectives as above, merged cells): decreasing target (40 − 50) / (30 − 50) = 0.5
    ["R2", "Coût par lead 30 €", None, None, 50, "30,0", 40, "01/02/26", "€ / lead", None],
    # R3: current missing → 0 (missing-current at G5)
    ["R3", "Abonnés 1000", "Marque", "Notoriété", 0, 1000, None, "2026-01-31", "abonnés"],
    # R4: current = target → 1; its due date is not a date (bad-date at H6)
    ["R4", "10 articles", None, None, 0, 10, 10, "31/02/2026", "articles"],
]

ACTION_HEADER: list[CellValue] = [
    "Action",
    "ID",
    "Statut",
    "Responsable",
    "Période",
    "Estimation (j-h)",
    "Priorité",
    "Impact",
    "Difficulté",
    "Dépend de",
    "Chantier",
    "Résultat cible",
    "Commentaire",
    "Rang",
]
ACTIONS: Grid = [
    ACTION_HEADER,
    ["Audit SEO", "A-001", "Terminé", "Alice", "P1", 3, "P2", 3, 3, None, "SEO", "R1", "ok"],
    [
        "Refonte pages",
        "A-002",
        "En cours",
        "Alice",
        "P2",
        "2,5 j",
        "P3",
        4,
        2,
        "A-001",
        "SEO",
        "R1",
        "=1+1",
    ],
    ["Newsletter", "A-003", "À faire", "Bruno", "P2", 3.5, "P1", 3, 3, "A-002", "Emailing", "R2"],
    ["Landing page", "A-004", "À faire", "Bruno", "P1", 1, "P2", 5, 1, None, "Emailing", "R2"],
    [None] * 13,
    ["Webinar", "A-005", "en cour", "Alice", "P3", None, "P1", 3, 0, "A-006", "SEO", "R9"],
    ["Campagne Ads", "A-006", "Bloqué", "Bruno", "P3", 2, "P2", 3, 3, "A-005", "SEO", "R4"],
    ["Vidéo", "A-007", "Abandonné", "Alice", "P2", 4, "P2", 3, 3, None, "Vidéo", "R3"],
    [
        "Post LinkedIn",
        "A-008",
        "À faire",
        "Alice",
        "P2",
        1.5,
        "P2",
        "haut",
        3,
        "A-007, A-999",
        "Emailing",
        "R3",
    ],
    ["Doublon", "A-003", "À faire", "Alice", "P3", 1, "P3", 3, 3, None, "SEO", "R1"],
    ["Relance", "A-009", "À faire", "Bruno", "P1", 1, "Urgent", 3, 3, "A-003", "Emailing", "R1"],
    ["Salon", "A-010", "À faire", "Alice", "P7", 2, "P3", 3, 3, None, "SEO", "R2"],
]


def build(path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "Notes de l'équipe"
    wb.active["A1"] = "kept as is"
    for title, rows in (
        ("Réglages", SETTINGS),
        ("Objectifs", OBJECTIVES),
        ("Suivi des actions", ACTIONS),
    ):
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)


def user_cells(path: Path) -> dict[tuple[str, str], object]:
    """Every non-computed cell of the input tabs and the user's own tab."""
    wb = openpyxl.load_workbook(path)
    cells: dict[tuple[str, str], object] = {}
    for title in ("Notes de l'équipe", "Réglages", "Objectifs", "Suivi des actions"):
        for row in wb[title].iter_rows():
            for c in row:
                computed = (title == "Suivi des actions" and c.column_letter == "N") or (
                    title == "Objectifs" and c.column_letter in "KL"
                )
                if not computed:
                    cells[(title, c.coordinate)] = (c.value, c.data_type)
    return cells


@pytest.fixture
def plan(tmp_path):
    path = tmp_path / "plan.xlsx"
    build(path)
    return path


def sync(path: Path, *extra: str):
    report = path.parent / "report.json"
    result = CliRunner().invoke(
        app, ["sync", str(path), "--today", TODAY, "--report", str(report), *extra]
    )
    return result, json.loads(report.read_text(encoding="utf-8"))


def test_report_has_the_exact_figures(plan):
    result, report = sync(plan)
    assert result.exit_code == 1, result.output  # the plan has errors
    assert report["plan"] == "plan"
    assert report["today"] == TODAY
    assert report["periods"] == [
        # P1: A-001 3 (done) + A-004 1 + A-009 1 = 5; capacity 5 + 3 = 8 → 0.625
        {
            "name": "P1",
            "start": "2026-01-05",
            "end": "2026-01-18",
            "days": 14,
            "working_days": 10,
            "actions": 3,
            "person_days": 5.0,
            "done_person_days": 3.0,
            "capacity": 8.0,
            "load": 0.625,
        },
        # P2: A-002 2.5 + A-003 3.5 + A-008 1.5 = 7.5 (A-007 cancelled) → 7.5 / 8 = 0.9375
        {
            "name": "P2",
            "start": "2026-01-19",
            "end": "2026-02-01",
            "days": 14,
            "working_days": 10,
            "actions": 3,
            "person_days": 7.5,
            "done_person_days": 0.0,
            "capacity": 8.0,
            "load": 0.9375,
        },
        # P3: A-005 missing (0) + A-006 2 = 2 → 0.25; the duplicate A-003 row is dropped
        {
            "name": "P3",
            "start": "2026-02-02",
            "end": "2026-02-15",
            "days": 14,
            "working_days": 10,
            "actions": 2,
            "person_days": 2.0,
            "done_person_days": 0.0,
            "capacity": 8.0,
            "load": 0.25,
        },
    ]
    owners = {
        (o["owner"], o["period"]): (o["person_days"], o["capacity"]) for o in report["owners"]
    }
    assert owners == {
        ("Alice", "P1"): (3.0, 5.0),
        ("Alice", "P2"): (4.0, 5.0),
        ("Alice", "P3"): (0.0, 5.0),
        ("Bruno", "P1"): (2.0, 3.0),
        ("Bruno", "P2"): (3.5, 3.0),
        ("Bruno", "P3"): (2.0, 3.0),
    }
    # Open: A-002 (P3, lifted to P1 by A-003), A-003 (P1), A-004 (P2, 5/1), A-008 (P2, 3/3 —
    # its impact is not a number, default 3), A-010 (P3), A-009 (unknown priority: last known+1),
    # then the cycle A-005 ⇄ A-006 in row order.
    assert report["priority_order"] == [
        "A-002",
        "A-003",
        "A-004",
        "A-008",
        "A-010",
        "A-009",
        "A-005",
        "A-006",
    ]
    objectives = {o["objective"]: o for o in report["objectives"]}
    leads = objectives["Plus de leads"]
    # mean(0.5, 0.5); due 2026-02-15; expected 17 / 41 = 0.41 → on track
    assert leads["progress"] == pytest.approx(0.5)
    assert leads["health"] == "on track"
    assert {
        r["id"]: (r["progress"], r["actions"], r["actions_done"]) for r in leads["results"]
    } == {
        "R1": (0.5, 3, 1),  # A-001 (done), A-002, A-009
        "R2": (0.5, 3, 0),
    }
    brand = objectives["Notoriété"]
    # mean(0, 1) = 0.5; R4's due date is unreadable, so the objective's (the latest of its
    # results') is unknown: health "unknown", not guessed from R3's date alone
    assert brand["progress"] == pytest.approx(0.5)
    assert brand["health"] == "unknown"
    assert {
        r["id"]: (r["progress"], r["actions"], r["actions_done"]) for r in brand["results"]
    } == {
        "R3": (0.0, 1, 0),  # A-008 (A-007 is cancelled)
        "R4": (1.0, 1, 0),
    }
    found = {(i["code"], i["sheet"], i["cell"]) for i in report["issues"]}
    assert found == {
        ("bad-date", "Objectifs", "H6"),
        ("missing-current", "Objectifs", "G5"),
        ("duplicate-id", "Suivi des actions", "B11"),
        ("unknown-value", "Suivi des actions", "C7"),  # 'en cour'
        ("out-of-range", "Suivi des actions", "I7"),  # effort 0
        ("unknown-value", "Suivi des actions", "L7"),  # R9
        ("missing-estimate", "Suivi des actions", "F7"),
        ("dependency-cycle", "Suivi des actions", "J7"),
        ("unknown-value", "Suivi des actions", "K9"),  # workstream Vidéo
        ("bad-number", "Suivi des actions", "H10"),  # impact 'haut'
        ("cancelled-dependency", "Suivi des actions", "J10"),
        ("unknown-dependency", "Suivi des actions", "J10"),
        ("unknown-value", "Suivi des actions", "G12"),  # priority Urgent
        ("dependency-later", "Suivi des actions", "E12"),  # P1 before A-003's P2
        ("overdue", "Suivi des actions", "E12"),
        ("overdue", "Suivi des actions", "E5"),
        ("unknown-value", "Suivi des actions", "E13"),  # period P7
        ("over-capacity", "Réglages", "I3"),  # Bruno, P2: 3.5 > 3
    }
    severities = {i["code"]: i["severity"] for i in report["issues"]}
    assert severities["bad-date"] == severities["dependency-cycle"] == "error"
    assert severities["overdue"] == severities["over-capacity"] == "warning"
    assert all(i["message"] for i in report["issues"])
    assert report["writes"]["cells"] > 0


def test_user_cells_untouched_and_tool_tabs_filled(plan):
    before = user_cells(plan)
    sync(plan)
    assert user_cells(plan) == before
    wb = openpyxl.load_workbook(plan)
    assert {"Actions par période", "Priorités", "Contrôles"} <= set(wb.sheetnames)
    assert wb["Actions par période"]["F2"].value == "P2"  # the period containing today
    ranks = {
        wb["Suivi des actions"][f"B{r}"].value: wb["Suivi des actions"][f"N{r}"].value
        for r in range(2, 14)
    }
    assert ranks["A-002"] == 1 and ranks["A-006"] == 8
    assert ranks["A-001"] is None and ranks["A-007"] is None  # closed actions have no rank
    assert wb["Suivi des actions"]["M3"].value == "=1+1"  # the user's formula is kept
    assert wb["Objectifs"]["K3"].value == pytest.approx(0.5)


def test_second_sync_writes_nothing(plan):
    sync(plan)
    data = plan.read_bytes()
    result, report = sync(plan)
    assert report["writes"]["cells"] == 0
    assert plan.read_bytes() == data
    assert "rien à écrire" in result.output  # a French plan: French output


def test_the_period_selector_is_the_users_choice(plan):
    sync(plan)
    wb = openpyxl.load_workbook(plan)
    wb["Actions par période"]["F2"] = "p3"  # the user picks P3 (any case)
    wb.save(plan)
    sync(plan)
    wb = openpyxl.load_workbook(plan, data_only=True)  # the live block: its cached results
    tab = wb["Actions par période"]
    assert tab["F2"].value == "p3"
    texts = {c.value for row in tab.iter_rows() for c in row if isinstance(c.value, str)}
    assert "Campagne Ads" in texts and "Newsletter" not in texts  # P3's actions only
    _, again = sync(plan)
    assert again["writes"]["cells"] == 0


def test_dry_run_writes_nothing(plan):
    data = plan.read_bytes()
    result, report = sync(plan, "--dry-run")
    assert plan.read_bytes() == data
    assert report["writes"]["cells"] > 0
    assert "Actions par période!F2" in result.output
