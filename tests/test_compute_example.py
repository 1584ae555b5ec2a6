"""A worked example of compute_plan, every expected figure computed by hand below."""

from datetime import date

import pytest

from sheetpilot._compute import compute_plan
from sheetpilot._locales import catalogs
from sheetpilot._models import (
    Action,
    Issue,
    Owner,
    ParsedPlan,
    Result,
    Settings,
    Status,
    StatusType,
)

ACTIONS = "Suivi des actions"
OBJECTIVES = "Objectifs"
SETTINGS = "Réglages"
ACTION_COLUMNS = {"id": "A", "status": "B", "target_result": "F", "priority": "G",
                  "depends_on": "J", "owner": "K", "estimate": "L", "period": "M"}  # fmt: skip
RESULT_COLUMNS = {"marketing_objective": "B", "id": "C", "baseline": "G", "target": "H",
                  "current": "I", "due": "J"}  # fmt: skip
LABEL = {StatusType.TODO: "À faire", StatusType.DOING: "En cours", StatusType.DONE: "Terminé",
         StatusType.BLOCKED: "Bloqué", StatusType.CANCELLED: "Abandonné"}  # fmt: skip
TODO, DOING, DONE, BLOCKED, CANCELLED = (
    StatusType.TODO,
    StatusType.DOING,
    StatusType.DONE,
    StatusType.BLOCKED,
    StatusType.CANCELLED,
)


def act(row, id, status, priority, owner, estimate, period, deps=(), impact=3, effort=3, res=None):
    return Action(
        sheet=ACTIONS,
        row=row,
        cells={k: f"{c}{row + 1}" for k, c in ACTION_COLUMNS.items()},
        id=id,
        status=LABEL[status],
        status_type=status,
        priority=priority,
        owner=owner,
        estimate=estimate,
        period=period,
        depends_on=deps,
        impact=impact,
        effort=effort,
        target_result=res,
    )


def res(row, id, objective, baseline, target, current, due):
    return Result(
        sheet=OBJECTIVES,
        row=row,
        cells={k: f"{c}{row + 1}" for k, c in RESULT_COLUMNS.items()},
        id=id,
        marketing_objective=objective,
        baseline=baseline,
        target=target,
        current=current,
        due=due,
    )


LEADS = "Générer plus de leads"
BRAND = "Augmenter la notoriété"
TODAY = date(2026, 1, 20)  # a Tuesday, inside P2
PARSER_ISSUE = Issue.of(
    "unknown-value", ACTIONS, "C3", "Unknown workstream 'SEOO' (did you mean 'SEO'?)"
)

PLAN = ParsedPlan(
    tabs={"settings": SETTINGS, "objectives": OBJECTIVES, "actions": ACTIONS},
    settings=Settings(
        statuses=tuple(Status(label=label, type=kind) for kind, label in LABEL.items()),
        priorities=("P1", "P2", "P3"),
        owners=(
            Owner(name="Alice", capacity=5, sheet=SETTINGS, capacity_cell="I3"),
            Owner(name="Bruno", capacity=3, sheet=SETTINGS, capacity_cell="I4"),
        ),
        plan_start=date(2026, 1, 5),  # a Monday
        period_length=10,
        period_count=3,
    ),
    actions=(
        #   row id       status     prio  owner    est  period deps
        act(1, "A-001", DOING, "P1", "Alice", 2, "P1", res="R1"),
        act(2, "A-002", DONE, "P2", "Alice", 1.5, "P1", res="R1"),
        act(3, "A-003", TODO, "P3", "Bruno", 3, "P3", impact=4, effort=2, res="R2"),
        act(4, "A-004", TODO, "P1", "Alice", 4, "P2", ("A-005",), impact=4, effort=2, res="r3"),
        act(5, "A-005", TODO, "P2", "Bruno", None, "P2", ("a-003",), res="R2"),
        act(6, "A-006", CANCELLED, "P1", "Bruno", 2, "P2", res="R3"),
        act(7, "A-007", TODO, "P2", "Alice", 1, "P3", ("A-006", "A-002"), impact=5, effort=1),
        act(8, "A-008", TODO, "P1", "Bruno", 3, "P2", ("A-009",)),
        act(9, "A-009", BLOCKED, "P2", "Alice", 1, "P2", ("A-008",)),
        act(10, "A-010", TODO, None, "Bruno", 1.5, "P2", ("A-099",)),
    ),
    results=(
        res(1, "R1", LEADS, 100, 200, 160, date(2026, 2, 3)),
        res(2, "R2", LEADS, 5.0, 3.0, 4.5, date(2026, 1, 31)),  # cost per lead: lower is better
        res(3, "R3", BRAND, 1000, 2000, None, date(2026, 1, 15)),
    ),
    issues=(PARSER_ISSUE,),
)


@pytest.fixture(scope="module")
def result():
    return compute_plan(PLAN, TODAY, catalogs())


def test_periods(result):
    # P1 2026-01-05 (Mon) .. 01-14 (Wed): 10 days; Mon-Fri 5-9 + 12-14 = 5 + 3 = 8 working days.
    #    A-001 2 + A-002 1.5 = 3.5 person-days, done A-002 1.5; capacity 5 + 3 = 8 → 3.5/8 = 0.4375
    # P2 01-15 (Thu) .. 01-24 (Sat): 15-16 + 19-23 = 2 + 5 = 7 working days.
    #    A-004 4 + A-005 0 (no estimate) + A-008 3 + A-009 1 + A-010 1.5 = 9.5 (A-006 cancelled)
    #    → 5 actions, 9.5/8 = 1.1875
    # P3 01-25 (Sun) .. 02-03 (Tue): 26-30 + Feb 2-3 = 5 + 2 = 7 working days.
    #    A-003 3 + A-007 1 = 4 → 4/8 = 0.5
    got = [
        (p.name, p.start, p.end, p.days, p.working_days, p.actions, p.person_days,
         p.done_person_days, p.capacity, p.load)
        for p in result.periods
    ]  # fmt: skip
    assert got == [
        ("P1", date(2026, 1, 5), date(2026, 1, 14), 10, 8, 2, 3.5, 1.5, 8.0, 0.4375),
        ("P2", date(2026, 1, 15), date(2026, 1, 24), 10, 7, 5, 9.5, 0.0, 8.0, 1.1875),
        ("P3", date(2026, 1, 25), date(2026, 2, 3), 10, 7, 2, 4.0, 0.0, 8.0, 0.5),
    ]


def test_owner_loads(result):
    # P1: Alice A-001 2 + A-002 1.5 = 3.5; Bruno nothing.
    # P2: Alice A-004 4 + A-009 1 = 5 (= capacity, not over); Bruno A-005 0 + A-008 3 + A-010 1.5
    #     = 4.5 > 3 (A-006 cancelled does not count).
    # P3: Alice A-007 1; Bruno A-003 3 (= capacity).
    assert [(o.period, o.owner, o.person_days, o.capacity) for o in result.owners] == [
        ("P1", "Alice", 3.5, 5.0),
        ("P1", "Bruno", 0.0, 3.0),
        ("P2", "Alice", 5.0, 5.0),
        ("P2", "Bruno", 4.5, 3.0),
        ("P3", "Alice", 1.0, 5.0),
        ("P3", "Bruno", 3.0, 3.0),
    ]


def test_priority_order(result):
    # Effective priorities: A-004 P1 → A-005 (own P2) → A-003 (own P3) all P1.
    # Cycle A-008 ↔ A-009 goes last in row order. A-007's deps are cancelled/done: none open.
    # Ready at start: A-001 (P1, 3/3 = 1), A-003 (P1, 4/2 = 2), A-007 (P2), A-010 (none).
    #   A-003 wins on impact/effort; then A-001 and A-005 (both P1, ratio 1) → row 1 first;
    #   then A-005, which frees A-004; then A-007 (P2) and A-010 (no priority).
    assert result.priority_order == [
        "A-003", "A-001", "A-005", "A-004", "A-007", "A-010", "A-008", "A-009",
    ]  # fmt: skip
    assert [(r.rank, r.id, r.effective_priority, r.blocked_by) for r in result.order] == [
        (1, "A-003", "P1", ()),
        (2, "A-001", "P1", ()),
        (3, "A-005", "P1", ("A-003",)),
        (4, "A-004", "P1", ("A-005",)),
        (5, "A-007", "P2", ()),
        (6, "A-010", None, ()),
        (7, "A-008", "P1", ("A-009",)),
        (8, "A-009", "P1", ("A-008",)),
    ]


def test_objective_progress(result):
    # Plan start 2026-01-05, today 01-20: 15 days elapsed.
    # R1 (100 → 200, now 160): 60/100 = 0.6; due 02-03, 29 days → expected 15/29 = 0.517241;
    #    0.6 ≥ 0.517 → on track. Linked: A-001, A-002 (done) → 2, 1 done.
    # R2 (5 → 3, now 4.5, decreasing): -0.5/-2 = 0.25; due 01-31, 26 days → 15/26 = 0.576923
    #    → at risk. Linked: → 2, 0 done.
    # Leads: mean (0.6 + 0.25)/2 = 0.425, due = latest 02-03 → expected 0.517241 → at risk.
    # R3 (no current) → 0; due 01-15 < today → late (expected 15/10 days, clamped to 1).
    #    Linked: A-004 ("r3"); A-006 is cancelled → 1, 0 done.
    got = [
        (o.objective, o.progress, o.health, o.due, o.expected,
         [(r.id, r.progress, r.health, r.expected, r.actions, r.actions_done) for r in o.results])
        for o in result.objectives
    ]  # fmt: skip
    assert got == [
        (LEADS, 0.425, "at risk", date(2026, 2, 3), 0.517241, [
            ("R1", 0.6, "on track", 0.517241, 2, 1),
            ("R2", 0.25, "at risk", 0.576923, 2, 0),
        ]),
        (BRAND, 0.0, "late", date(2026, 1, 15), 1.0, [
            ("R3", 0.0, "late", 1.0, 1, 0),
        ]),
    ]  # fmt: skip


def test_issues(result):
    # Parser's issues first, then compute's rule by rule.
    assert [(i.severity, i.code, i.sheet, i.cell) for i in result.issues] == [
        ("warning", "unknown-value", ACTIONS, "C3"),
        ("error", "unknown-dependency", ACTIONS, "J11"),  # A-010 → A-099
        ("warning", "cancelled-dependency", ACTIONS, "J8"),  # A-007 → A-006
        ("error", "dependency-cycle", ACTIONS, "J9"),  # A-008 → A-009 → A-008
        ("warning", "dependency-later", ACTIONS, "M6"),  # A-005 in P2, A-003 in P3
        ("warning", "overdue", ACTIONS, "M2"),  # A-001 still open, P1 ended 01-14
        ("warning", "missing-estimate", ACTIONS, "L6"),
        ("warning", "over-capacity", SETTINGS, "I4"),  # Bruno, P2: 4.5 > 3
        ("warning", "missing-current", OBJECTIVES, "I4"),  # R3
    ]


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("unknown-dependency", ["A-010", "A-099"]),
        ("cancelled-dependency", ["A-007", "A-006"]),
        ("dependency-cycle", ["A-008 → A-009 → A-008"]),
        ("dependency-later", ["A-005", "P2", "A-003 (P3)"]),
        ("overdue", ["A-001", "P1", "14/01/2026", "reportez-la"]),  # a French plan: French text
        ("missing-estimate", ["A-005"]),
        ("over-capacity", ["Bruno", "P2", "4,5 j-h", "3", "dépassement de 1,5"]),
        ("missing-current", ["R3"]),
    ],
)
def test_issue_messages_name_what_to_fix(result, code, words):
    (issue,) = [i for i in result.issues if i.code == code]
    for word in words:
        assert word in issue.message


def test_report_json_excludes_internal_fields(result):
    data = result.objectives[0].model_dump(mode="json")
    assert set(data) == {"objective", "progress", "health", "results"}
    assert data["results"][0] == {"id": "R1", "progress": 0.6, "actions": 2, "actions_done": 1}
