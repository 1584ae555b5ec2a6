"""Blind conformance test: an English plan the code has never seen, figures computed by hand.

Written from DESIGN.md §2–§4 and the README's "The template" and "Semantics" sections
only. The plan is a local .xlsx workbook built with openpyxl: English tabs, headers and
status labels, reordered columns, a user column holding formula-looking text, a header
that is not on row 1, blank rows, merged (and blank "same as above") objective cells, and
an explicit period table of unequal periods whose dates are typed as native datetimes,
ISO text and French dd/mm/yyyy / dd/mm/yy text.

today = 2026-03-20 (a Friday), inside S3.

Settings (header row 1)
    A Statuses  B Type        D Priorities   F Workstreams   H Owners  I Capacity (person-days / period)
    To do       todo          P1             Email           Alice     5
    Doing       doing         P2             SEO             Bob       "4,5"  -> 4.5
    Done        done          P3             Content         Chloé     "6 j"  -> 6
    Blocked     blocked                      Events
    Cancelled   cancelled
    K Parameter / L Value: Plan start "02/03/2026"; Period length (days) 7 (the explicit
    table wins, so 7 must not be used).
    N Period / O Start / P End (the explicit table):
      S1  datetime 2026-03-02 (Mon) .. "06/03/2026" (Fri)   days 5,  working days 5
          (a holiday-free Monday–Friday week)
      S2  "2026-03-07" (Sat)        .. "18/03/26"  (Wed)    days 12, working days 8
          (Mon 9–Fri 13 = 5, Mon 16–Wed 18 = 3; spans two weekends)
      S3  "19/03/2026" (Thu)        .. datetime 2026-03-31  days 13, working days 9
          (Thu 19, Fri 20 = 2; 23–27 = 5; Mon 30, Tue 31 = 2)
      S4  datetime 2026-04-01 (Wed) .. "2026-04-21" (Tue)   days 21, working days 15
          (Wed 1–Fri 3 = 3; 6–10 = 5; 13–17 = 5; Mon 20, Tue 21 = 2)
    Capacity of every period = 5 + 4.5 + 6 = 15.5.

Action tracking (title on row 1, row 2 blank, header on row 3), columns reordered:
    A Action  B ID  C Owner  D Period  E Status  F Notes (user's)  G Estimate (person-days)
    H Priority  I Depends on  J Impact  K Effort  L Workstream  M Target result
    N Description  O Rank (computed)

 row ID     status     ws       res prio  imp   eff dep            owner  est      period
  4  A-001  Done       Email    R1  P1    0!    2   -              Alice  2        S1
  5  A-002  Doing      Email    R1  P2    3     3   A-001          Bob    "1,5"    S1
  6  A-003  Cancelled  Events   -   P1    4     7!  -              Chloé  "-1"!    S2
  7  A-004  To do      SEO      R2  P3    4     2   A-003          Alice  "2 j"    S3
  8  A-005  To do      Content  R3  P2    5     1   A-004          Bob    3        S3
  9  (blank row)
 10  A-006  To do      Content  R3  P1    3     3   A-005          Chloé  5        S4
 11  A-007  Blocked    SEO      R4  P2    4     4   "A-099; A-013" Chloé  (blank)  S3
 12  A-008  To do      Email    R2  P2    2     1   A-009          Alice  "3,5"    S3
 13  A-009  To do      Events   R9? P1    3     2   A-010          Bob    1        S4
 14  A-010  Doing      Content  R4  P3    3     3   A-008          Chloé  "two"!   S4
 15  A-011  To do      SEO      R1  High? "high"! 3 "A-006, A-001" Alice  1        S2
 16  A-012  Doen?      Emial?   R7  P2    3     3   -              Alise? 1        S5?
 17  A-013  Done       Email    R2  P3    3     3   -              Bob    "2,5"    S2
 18  (blank row)
 19  A-002  Done       Events   R5  P2    3     3   -              Alice  1        S2   (duplicate ID)
 20  (none) To do      Content  R6  P2    4     2   -              Chloé  " 0,5 "  S4   -> gets A-014

Status types: open = A-002, A-004..A-012 (A-012's status is unknown, so it has no type:
it is neither done nor cancelled, hence open), A-014; done = A-001, A-013, A-002 (row 19);
cancelled = A-003.
Duplicate ID (spec silent; two readings): (a) the row is kept with its ID cell "empty" and
still counts in its period; (b) the second row is ignored until its ID is fixed, the first
kept. The code takes (b) and says so in the duplicate-id message; this test follows it, so
row 19 counts nowhere (first hand computation, under (a), had S2 = 3 actions, 4.5 pd,
3.5 done, Alice S2 = 2 and R5 = 1 action, 1 done).

Periods (actions = assigned and not cancelled; bad/missing estimates count 0):
    S1: A-001 2 (done) + A-002 1.5                       -> 2 actions, 3.5 pd, 2.0 done
        load 3.5/15.5 = 0.2258064516
    S2: A-011 1 + A-013 2.5 (done)                        -> 2 actions, 3.5 pd, 2.5 done
        (A-003 cancelled; row 19 ignored)                    load 3.5/15.5 = 0.2258064516
    S3: A-004 2 + A-005 3 + A-007 0 + A-008 3.5          -> 4 actions, 8.5 pd, 0.0 done
        load 8.5/15.5 = 0.5483870968
    S4: A-006 5 + A-009 1 + A-010 0 + A-014 0.5          -> 4 actions, 6.5 pd, 0.0 done
        load 6.5/15.5 = 0.4193548387
    A-012 is in the unknown period S5: in no period.

Owners × periods (person-days / capacity):
    S1: Alice 2 / 5,   Bob 1.5 / 4.5, Chloé 0 / 6
    S2: Alice 1 / 5 (A-011), Bob 2.5 / 4.5, Chloé 0 / 6 (A-003 cancelled)
    S3: Alice 5.5 / 5 -> over-capacity at Settings!I2, Bob 3 / 4.5, Chloé 0 / 6
    S4: Alice 0 / 5,   Bob 1 / 4.5,   Chloé 5.5 / 6

Priority order. Index: P1 0, P2 1, P3 2, unknown ("High") after all known.
Open-to-open dependency edges: A-005→A-004, A-006→A-005, A-011→A-006, and the cycle
A-008→A-009→A-010→A-008. A-002→A-001, A-007→A-013 and A-011→A-001 are satisfied (done);
A-004→A-003 is ignored (cancelled, warning); A-007→A-099 is ignored (unknown, error).
Effective priority: A-004 (own P3) ← A-005 (P2) ← A-006 (P1): P1 transitively;
A-005 P1; A-006 P1 (its dependent A-011 is lower); others keep their own.
impact/effort: A-002 1, A-004 2, A-005 5, A-006 1, A-007 1, A-011 3/3 = 1 (bad impact →
default 3), A-012 1, A-014 2.
Ready at start: A-002 (1,-1,r5) A-004 (0,-2,r7) A-007 (1,-1,r11) A-012 (1,-1,r16)
A-014 (1,-2,r20) → A-004; then A-005 (0,-5) → A-005; then A-006 (0,-1) → A-006;
A-011 becomes ready (unknown,-1,r15); next A-014 (-2), A-002 (r5), A-007 (r11),
A-012 (r16), A-011; then the cycle in row order A-008, A-009, A-010.

Objectives (title row 1, header row 2), columns reordered:
    A ID  B Business objective  C Marketing objective  D Target result  E Priority  F KPI
    G Due date  H Baseline  I Current  J Target  K Levers  L Comment (user's)
    M Progress  N Health (computed)

 row  ID  marketing objective (B/C)       baseline target current   due
  3   R1  Generate qualified leads        0     300    120         datetime 2026-04-21   0.4
  4   R2  (blank = same as above)         10    30     "15 %"      "30/04/2026"          0.25
  5   (blank row)
  6   R3  Reduce churn (B6:B8, C6:C8 merged) 40  20    30          "2026-03-31"   (30-40)/(20-40)=0.5
  7   R4  (merged)                        50    50     50          "2026-13-01" bad     target=baseline,
                                                                                         current=target: 1
  8   R5  (merged)                        200   100    (blank)     "31/02/2026" bad     0, missing-current
  9   R6  Build brand awareness           1000  2000   "2 500"     "2026-03-10"         clamped to 1
 10   R7  Win back dormant customers      0     50     5           "16/03/26"           0.1

Objective progress / due / expected at 2026-03-20 (plan start 2026-03-02, 18 days elapsed):
    Generate qualified leads: (0.4+0.25)/2 = 0.325; due 2026-04-30 (59 days from start);
        expected 18/59 = 0.305 → 0.325 ≥ 0.305 → "on track"
    Reduce churn: (0.5+1+0)/3 = 0.5; R4/R5 due dates are bad, so its due date is unknown
        → "unknown" (was "at risk" from R3's date alone: a bad date must not decide health)
    Build brand awareness: 1.0 → "done" (done wins over its passed due date)
    Win back dormant customers: 0.1; due 2026-03-16 < today → "late"
Results' linked actions (done):
    R1 A-001✓ A-002 A-011 → 3 (1); R2 A-004 A-008 A-013✓ → 3 (1); R3 A-005 A-006 → 2 (0);
    R4 A-007 A-010 → 2 (0); R5 only row 19 (ignored) → 0 (0); R6 A-014 → 1 (0);
    R7 A-012 → 1 (0).

Issues: see EXPECTED_ISSUES. Readings settled against the code where the spec is silent:
a bad-number estimate gives one issue (bad-number), not a second missing-estimate; a cycle
is one error ("a dependency cycle is an error naming every action on it") at the
dependency cell of its first action; dependency-later sits at the action's Period cell.
The report rounds figures to 6 decimals (load 3.5/15.5 → 0.225806), so floats are
compared with an absolute tolerance of 1e-6.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from sheetpilot._cli import app

TODAY = "2026-03-20"
SETTINGS, OBJECTIVES, ACTIONS = "Settings", "Objectives", "Action tracking"

ACTION_HEADER = [
    "Action",
    "ID",
    "Owner",
    "Period",
    "Status",
    "Notes",
    "Estimate (person-days)",
    "Priority",
    "Depends on",
    "Impact",
    "Effort",
    "Workstream",
    "Target result",
    "Description",
    "Rank",
]
# Action, ID, Owner, Period, Status, Notes, Estimate, Priority, Depends on, Impact, Effort,
# Workstream, Target result, Description (Rank left blank: computed)
ACTION_ROWS: dict[int, list[Any]] = {
    4: ["Set up newsletter template", "A-001", "Alice", "S1", "Done", "=A1", 2, "P1",
        None, 0, 2, "Email", "R1", "Reusable MJML template"],
    5: ["Send launch newsletter", "A-002", "Bob", "S1", "Doing", "+33 6 12 34 56 78",
        "1,5", "P2", "A-001", 3, 3, "Email", "R1", None],
    6: ["Book trade show booth", "A-003", "Chloé", "S2", "Cancelled", None, "-1", "P1",
        None, 4, 7, "Events", None, "Salon du marketing"],
    7: ["Keyword research", "A-004", "Alice", "S3", "To do", "-x", "2 j", "P3", "A-003",
        4, 2, "SEO", "R2", None],
    8: ["Write pillar article", "A-005", "Bob", "S3", "To do", "@y", 3, "P2", "A-004",
        5, 1, "Content", "R3", None],
    10: ["Publish case studies", "A-006", "Chloé", "S4", "To do", "call Bob", 5, "P1",
         "A-005", 3, 3, "Content", "R3", None],
    11: ["Fix site speed", "A-007", "Chloé", "S3", "Blocked", None, None, "P2",
         "A-099; A-013", 4, 4, "SEO", "R4", "Waiting for IT"],
    12: ["Segment mailing list", "A-008", "Alice", "S3", "To do", None, "3,5", "P2",
         "A-009", 2, 1, "Email", "R2", None],
    13: ["Plan webinar", "A-009", "Bob", "S4", "To do", None, 1, "P1", "A-010", 3, 2,
         "Events", "R9", None],
    14: ["Record webinar teaser", "A-010", "Chloé", "S4", "Doing", None, "two", "P3",
         "A-008", 3, 3, "Content", "R4", None],
    15: ["Update landing page", "A-011", "Alice", "S2", "To do", None, 1, "High",
         "A-006, A-001", "high", 3, "SEO", "R1", None],
    16: ["Re-engagement mail", "A-012", "Alise", "S5", "Doen", None, 1, "P2", None, 3, 3,
         "Emial", "R7", None],
    17: ["Welcome sequence", "A-013", "Bob", "S2", "Done", None, "2,5", "P3", None, 3, 3,
         "Email", "R2", None],
    19: ["Sponsor meetup", "A-002", "Alice", "S2", "Done", None, 1, "P2", None, 3, 3,
         "Events", "R5", None],
    20: ["Write press release", None, "Chloé", "S4", "To do", None, " 0,5 ", "P2", None,
         4, 2, "Content", "R6", None],
}  # fmt: skip

OBJECTIVE_HEADER = [
    "ID",
    "Business objective",
    "Marketing objective",
    "Target result",
    "Priority",
    "KPI",
    "Due date",
    "Baseline",
    "Current",
    "Target",
    "Levers",
    "Comment",
    "Progress",
    "Health",
]
OBJECTIVE_ROWS: dict[int, list[Any]] = {
    3: ["R1", "Grow revenue", "Generate qualified leads", "300 MQLs", "P1", "Leads",
        datetime(2026, 4, 21), 0, 120, 300, "Email, SEO", "=SUM(H3:H4)"],
    4: ["R2", None, None, "Conversion 30 %", "P2", "Conversion rate (%)", "30/04/2026",
        10, "15 %", 30, "Landing pages", None],
    6: ["R3", "Keep customers", "Reduce churn", "Churn down to 20 %", "P1", "Churn (%)",
        "2026-03-31", 40, 30, 20, "Content", "decreasing"],
    7: ["R4", None, None, "Keep NPS at 50", "P2", "NPS", "2026-13-01", "50", 50, 50,
        None, None],
    8: ["R5", None, None, "Halve support tickets", "P3", "Tickets", "31/02/2026", 200,
        None, 100, None, "@support"],
    9: ["R6", "Grow revenue", "Build brand awareness", "2000 followers", "P2",
        "Followers", "2026-03-10", 1000, "2 500", 2000, "Events", None],
    10: ["R7", None, "Win back dormant customers", "50 reactivations", "P3",
         "Reactivations", "16/03/26", 0, 5, 50, "Email", None],
}  # fmt: skip


def _put(ws: Worksheet, row: int, col: int, value: Any) -> None:
    if value is None:
        return
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # typed text, even "=A1": never a formula


def build_plan(path: Path, *, drop_action_column: str | None = None) -> None:
    wb = openpyxl.Workbook()
    settings = wb.active
    assert settings is not None
    settings.title = SETTINGS
    columns: dict[int, list[Any]] = {
        1: ["Statuses", "To do", "Doing", "Done", "Blocked", "Cancelled"],
        2: ["Type", "todo", "doing", "done", "blocked", "cancelled"],
        4: ["Priorities", "P1", "P2", "P3"],
        6: ["Workstreams", "Email", "SEO", "Content", "Events"],
        8: ["Owners", "Alice", "Bob", "Chloé"],
        9: ["Capacity (person-days / period)", 5, "4,5", "6 j"],
        11: ["Parameter", "Plan start", "Period length (days)"],
        12: ["Value", "02/03/2026", 7],
        14: ["Period", "S1", "S2", "S3", "S4"],
        15: ["Start", datetime(2026, 3, 2), "2026-03-07", "19/03/2026", datetime(2026, 4, 1)],
        16: ["End", "06/03/2026", "18/03/26", datetime(2026, 3, 31), "2026-04-21"],
    }
    for col, values in columns.items():
        for i, value in enumerate(values):
            _put(settings, 1 + i, col, value)

    objectives = wb.create_sheet(OBJECTIVES)
    _put(objectives, 1, 1, "Objectives 2026 — reviewed every Monday")
    for c, name in enumerate(OBJECTIVE_HEADER, start=1):
        _put(objectives, 2, c, name)
    for r, values in OBJECTIVE_ROWS.items():
        for c, value in enumerate(values, start=1):
            _put(objectives, r, c, value)
    objectives.merge_cells("B6:B8")
    objectives.merge_cells("C6:C8")

    actions = wb.create_sheet(ACTIONS)
    _put(actions, 1, 1, "Action plan Q1 2026")
    header = list(ACTION_HEADER)
    rows = {r: list(v) for r, v in ACTION_ROWS.items()}
    if drop_action_column is not None:
        k = header.index(drop_action_column)
        del header[k]
        for v in rows.values():
            del v[k]
    for c, name in enumerate(header, start=1):
        _put(actions, 3, c, name)
    for r, values in rows.items():
        for c, value in enumerate(values, start=1):
            _put(actions, r, c, value)
    wb.save(path)


def typed_cells(path: Path) -> dict[tuple[str, str], tuple[Any, str, str]]:
    wb = openpyxl.load_workbook(path)
    out: dict[tuple[str, str], tuple[Any, str, str]] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    out[(ws.title, cell.coordinate)] = (
                        cell.value,
                        cell.data_type,
                        cell.number_format,
                    )
    return out


def sync(path: Path, report: Path) -> tuple[int, str, dict[str, Any]]:
    result = CliRunner().invoke(app, ["sync", str(path), "--today", TODAY, "--report", str(report)])
    data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    return result.exit_code, result.output, data


EXPECTED_PERIODS = [
    # name, start, end, days, working_days, actions, person_days, done_person_days
    ("S1", "2026-03-02", "2026-03-06", 5, 5, 2, 3.5, 2.0),
    ("S2", "2026-03-07", "2026-03-18", 12, 8, 2, 3.5, 2.5),
    ("S3", "2026-03-19", "2026-03-31", 13, 9, 4, 8.5, 0.0),
    ("S4", "2026-04-01", "2026-04-21", 21, 15, 4, 6.5, 0.0),
]
CAPACITY = 15.5

EXPECTED_OWNERS = {
    ("Alice", "S1"): (2.0, 5.0),
    ("Bob", "S1"): (1.5, 4.5),
    ("Chloé", "S1"): (0.0, 6.0),
    ("Alice", "S2"): (1.0, 5.0),
    ("Bob", "S2"): (2.5, 4.5),
    ("Chloé", "S2"): (0.0, 6.0),
    ("Alice", "S3"): (5.5, 5.0),
    ("Bob", "S3"): (3.0, 4.5),
    ("Chloé", "S3"): (0.0, 6.0),
    ("Alice", "S4"): (0.0, 5.0),
    ("Bob", "S4"): (1.0, 4.5),
    ("Chloé", "S4"): (5.5, 6.0),
}

EXPECTED_ORDER = [
    "A-004",
    "A-005",
    "A-006",
    "A-014",
    "A-002",
    "A-007",
    "A-012",
    "A-011",
    "A-008",
    "A-009",
    "A-010",
]

EXPECTED_OBJECTIVES = [
    # objective, progress, health, [(result, progress, actions, actions_done)]
    (
        "Generate qualified leads",
        0.325,
        "on track",
        [("R1", 0.4, 3, 1), ("R2", 0.25, 3, 1)],
    ),
    (
        "Reduce churn",
        0.5,
        "unknown",  # R4/R5 due dates do not parse: health unknown, not guessed from R3's date
        [("R3", 0.5, 2, 0), ("R4", 1.0, 2, 0), ("R5", 0.0, 0, 0)],
    ),
    ("Build brand awareness", 1.0, "done", [("R6", 1.0, 1, 0)]),
    ("Win back dormant customers", 0.1, "late", [("R7", 0.1, 1, 0)]),
]

E, W = "error", "warning"


def approx(value: float) -> Any:
    """The report holds figures rounded to 6 decimals (load 3.5/15.5 → 0.225806)."""
    return pytest.approx(value, rel=0, abs=1e-6)


EXPECTED_ISSUES = Counter(
    [
        # Action tracking
        ("out-of-range", ACTIONS, "J4", W),  # A-001 impact 0
        ("out-of-range", ACTIONS, "K6", W),  # A-003 effort 7
        ("out-of-range", ACTIONS, "G6", W),  # A-003 estimate -1
        ("overdue", ACTIONS, "D5", W),  # A-002 open, S1 ended 2026-03-06
        ("cancelled-dependency", ACTIONS, "I7", W),  # A-004 -> A-003
        ("missing-estimate", ACTIONS, "G11", W),
        ("unknown-dependency", ACTIONS, "I11", E),  # A-007 -> A-099
        # one error for the cycle, naming, at the dependency cell
        # of its first action in row order ("a dependency cycle is an error")
        ("dependency-cycle", ACTIONS, "I12", E),
        ("dependency-later", ACTIONS, "D12", W),  # A-008 (S3) needs A-009 (S4)
        ("unknown-value", ACTIONS, "M13", W),  # A-009 target result R9
        ("bad-number", ACTIONS, "G14", E),  # A-010 estimate "two" (one issue per cell)
        ("unknown-value", ACTIONS, "H15", W),  # A-011 priority "High"
        ("bad-number", ACTIONS, "J15", E),  # A-011 impact "high"
        ("dependency-later", ACTIONS, "D15", W),  # A-011 (S2) needs A-006 (S4)
        ("overdue", ACTIONS, "D15", W),  # A-011 open, S2 ended 2026-03-18
        ("unknown-value", ACTIONS, "C16", W),  # owner Alise (≈ Alice)
        ("unknown-value", ACTIONS, "D16", W),  # period S5
        ("unknown-value", ACTIONS, "E16", W),  # status Doen (≈ Done)
        ("unknown-value", ACTIONS, "L16", W),  # workstream Emial (≈ Email)
        ("duplicate-id", ACTIONS, "B19", E),  # second A-002
        # Objectives
        ("bad-date", OBJECTIVES, "G7", E),  # R4 "2026-13-01"
        ("bad-date", OBJECTIVES, "G8", E),  # R5 "31/02/2026"
        ("missing-current", OBJECTIVES, "I8", W),  # R5
        # Settings
        ("over-capacity", SETTINGS, "I2", W),  # Alice 5.5 in S3 for 5
    ]
)


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.xlsx"
    build_plan(path)
    return path


def test_blind_english_plan_report_is_exact(plan: Path, tmp_path: Path) -> None:
    code, output, report = sync(plan, tmp_path / "r.json")
    assert code == 1, output  # the plan has errors
    assert report["today"] == TODAY

    got_periods = [
        (
            p["name"],
            p["start"],
            p["end"],
            p["days"],
            p["working_days"],
            p["actions"],
            p["person_days"],
            p["done_person_days"],
        )
        for p in report["periods"]
    ]
    assert got_periods == [
        (n, s, e, d, w, a, approx(pd), approx(dpd))
        for n, s, e, d, w, a, pd, dpd in EXPECTED_PERIODS
    ]
    for p, (*_, pd, _dpd) in zip(report["periods"], EXPECTED_PERIODS, strict=True):
        assert p["capacity"] == approx(CAPACITY)
        assert p["load"] == approx(pd / CAPACITY)

    got_owners = {
        (o["owner"], o["period"]): (o["person_days"], o["capacity"]) for o in report["owners"]
    }
    assert len(report["owners"]) == len(got_owners)
    assert got_owners == {k: (approx(a), approx(b)) for k, (a, b) in EXPECTED_OWNERS.items()}

    assert report["priority_order"] == EXPECTED_ORDER

    got_objectives = [
        (
            o["objective"],
            o["progress"],
            o["health"],
            [(r["id"], r["progress"], r["actions"], r["actions_done"]) for r in o["results"]],
        )
        for o in report["objectives"]
    ]
    assert got_objectives == [
        (
            name,
            approx(progress),
            health,
            [(i, approx(p), a, d) for i, p, a, d in results],
        )
        for name, progress, health, results in EXPECTED_OBJECTIVES
    ]

    got_issues = Counter(
        (i["code"], i["sheet"], i["cell"], i["severity"]) for i in report["issues"]
    )
    assert got_issues == EXPECTED_ISSUES


def test_blind_english_plan_messages_explain_the_fix(plan: Path, tmp_path: Path) -> None:
    _, _, report = sync(plan, tmp_path / "r.json")
    by_cell = {(i["code"], i["cell"]): i["message"] for i in report["issues"]}
    assert "Alice" in by_cell[("unknown-value", "C16")]
    assert "Done" in by_cell[("unknown-value", "E16")]
    assert "Email" in by_cell[("unknown-value", "L16")]
    assert "A-099" in by_cell[("unknown-dependency", "I11")]
    assert "A-003" in by_cell[("cancelled-dependency", "I7")]
    cycle = " ".join(i["message"] for i in report["issues"] if i["code"] == "dependency-cycle")
    assert all(a in cycle for a in ("A-008", "A-009", "A-010"))
    assert "two" in by_cell[("bad-number", "G14")]
    assert "31/02/2026" in by_cell[("bad-date", "G8")]


def test_blind_english_plan_tool_tabs_filled_and_typed_cells_untouched(
    plan: Path, tmp_path: Path
) -> None:
    before = typed_cells(plan)
    code, output, report = sync(plan, tmp_path / "r.json")
    assert code == 1, output
    assert report["writes"]["requests"] == 2
    assert report["writes"]["cells"] > 0
    after = typed_cells(plan)

    # Every cell the user typed is unchanged: value, type and number format.
    for key, typed in before.items():
        assert after.get(key) == typed, key

    # In the input tabs, the only new cells are the computed columns and the new ID.
    wb = openpyxl.load_workbook(plan)
    new_input_cells = {
        key for key in after if key not in before and key[0] in (SETTINGS, OBJECTIVES, ACTIONS)
    }
    allowed_actions = {f"O{r}" for r in ACTION_ROWS} | {"B20"}
    allowed_objectives = {f"{c}{r}" for r in OBJECTIVE_ROWS for c in "MN"}
    for sheet, cell in new_input_cells:
        allowed = allowed_actions if sheet == ACTIONS else allowed_objectives
        assert sheet != SETTINGS and cell in allowed, (sheet, cell)
    assert wb[OBJECTIVES].merged_cells.ranges and {
        str(r) for r in wb[OBJECTIVES].merged_cells.ranges
    } == {"B6:B8", "C6:C8"}

    # The ID-less row got the next free ID; ranks follow the priority order.
    actions = wb[ACTIONS]
    assert actions["B20"].value == "A-014"
    row_of = {v[1]: r for r, v in ACTION_ROWS.items() if v[1] and r != 19} | {"A-014": 20}
    for rank, action_id in enumerate(EXPECTED_ORDER, start=1):
        assert actions[f"O{row_of[action_id]}"].value == rank, action_id

    # Computed objective columns: the result's progress, and a health on every row.
    objectives = wb[OBJECTIVES]
    progress = {3: 0.4, 4: 0.25, 6: 0.5, 7: 1.0, 8: 0.0, 9: 1.0, 10: 0.1}
    for r, p in progress.items():
        assert objectives[f"M{r}"].value == approx(p), r
        assert objectives[f"N{r}"].value, r

    # Tool-owned tabs exist (English names: the plan's tabs are English) and are filled.
    titles = set(wb.sheetnames)
    assert {"Actions by period", "Priorities", "Checks"} <= titles, titles

    # the live block's formulas, as their cached results (what every viewer shows first)
    cached = openpyxl.load_workbook(plan, data_only=True)
    by_period = rows_of(cached["Actions by period"])
    assert wb["Actions by period"]["F2"].value == "S3"  # the period containing today
    # One overview row per period: name, start, end, days, working days, actions,
    # person-days, done, capacity, load.
    # (right of the action list, from column I)
    overview = [r[8:] for r in by_period if len(r) > 8 and r[8] in {"S1", "S2", "S3", "S4"}]
    assert [tuple(r[:10]) for r in overview] == [
        (n, _day(st), _day(en), d, w, a, approx(pd), approx(dpd), approx(CAPACITY),
         approx(pd / CAPACITY))
        for n, st, en, d, w, a, pd, dpd in EXPECTED_PERIODS
    ]  # fmt: skip
    # The selected period's figures (S3), label then value.
    figures = {r[1] for r in by_period if isinstance(r[0], str) and len(r) > 1}
    for value in (_day("2026-03-19"), _day("2026-03-31"), 13, 9, 4, 8.5, 15.5):
        assert value in figures, value
    assert any(v == approx(8.5 / CAPACITY) for v in figures if isinstance(v, float))
    # Its action list: workstream, action, description, owner, estimate, status, rank.
    listed = {r[1]: r[:7] for r in by_period if len(r) > 6 and r[6] is not None}
    assert {k: v for k, v in listed.items() if k in S3_ACTIONS} == S3_ACTIONS

    priorities = [r for r in rows_of(wb["Priorities"]) if isinstance(r[0], int)]
    assert [(r[0], r[1], r[4], r[8]) for r in priorities] == [
        (rank, action_id, *EXPECTED_BACKLOG[action_id])
        for rank, action_id in enumerate(EXPECTED_ORDER, start=1)
    ]

    checks = Counter(
        (r[0], r[1], r[3])
        for r in rows_of(cached["Checks"])
        if r[3] in {c[0] for c in EXPECTED_ISSUES}
    )
    assert checks == Counter((sheet, cell, code) for code, sheet, cell, _ in EXPECTED_ISSUES)
    # each issue's cell links to it, inside the workbook
    links = {r[1] for r in rows_of(wb["Checks"])[3:] if r[0] == ACTIONS and r[1]}
    assert links and all(link.startswith("=HYPERLINK(\"#'Action tracking'!") for link in links)


# The S3 action list on "Actions by period" (ranks from EXPECTED_ORDER; A-007 has no estimate).
S3_ACTIONS = {
    "Keyword research": ("SEO", "Keyword research", None, "Alice", 2, "To do", 1),
    "Write pillar article": ("Content", "Write pillar article", None, "Bob", 3, "To do", 2),
    "Fix site speed": ("SEO", "Fix site speed", "Waiting for IT", "Chloé", None, "Blocked", 6),
    "Segment mailing list": ("Email", "Segment mailing list", None, "Alice", 3.5, "To do", 9),
}
# Backlog: effective priority and "blocked by" (open dependencies). A-011's own priority
# "High" is unknown, so it has no effective priority; A-007's dependencies are an unknown
# ID and a done action: nothing blocks it.
EXPECTED_BACKLOG = {
    "A-004": ("P1", None),
    "A-005": ("P1", "A-004"),
    "A-006": ("P1", "A-005"),
    "A-014": ("P2", None),
    "A-002": ("P2", None),
    "A-007": ("P2", None),
    "A-012": ("P2", None),
    "A-011": (None, "A-006"),
    "A-008": ("P1", "A-009"),
    "A-009": ("P1", "A-010"),
    "A-010": ("P1", "A-008"),
}


def _day(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def rows_of(ws: Worksheet) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in ws.iter_rows(values_only=True)]


def test_blind_english_plan_second_sync_writes_nothing(plan: Path, tmp_path: Path) -> None:
    sync(plan, tmp_path / "r1.json")
    content = plan.read_bytes()
    code, output, report = sync(plan, tmp_path / "r2.json")
    assert code == 1, output
    assert report["writes"] == {"requests": 1, "cells": 0}
    assert plan.read_bytes() == content


def test_blind_english_plan_missing_column_stops_before_any_write(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    build_plan(path, drop_action_column="Estimate (person-days)")
    content = path.read_bytes()
    code, output, report = sync(path, tmp_path / "r.json")
    assert code == 1, output
    assert path.read_bytes() == content
    assert "Estimate" in output
    if report:
        missing = [i for i in report["issues"] if i["code"] == "missing-column"]
        assert missing and missing[0]["sheet"] == ACTIONS
        assert missing[0]["severity"] == "error"


def test_blind_english_plan_missing_tab_stops_before_any_write(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    build_plan(path)
    wb = openpyxl.load_workbook(path)
    del wb[OBJECTIVES]
    wb.save(path)
    content = path.read_bytes()
    code, output, report = sync(path, tmp_path / "r.json")
    assert code == 1, output
    assert path.read_bytes() == content
    assert "Objectives" in output
    if report:
        missing = [i for i in report["issues"] if i["code"] == "missing-tab"]
        assert [(i["sheet"], i["severity"]) for i in missing] == [(OBJECTIVES, "error")]
