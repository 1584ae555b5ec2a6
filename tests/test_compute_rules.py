"""One rule at a time: periods, workload, priority order, progress, health, checks."""

from datetime import date

import pytest

from sheetpilot._compute import build_periods, compute_plan, period_containing
from sheetpilot._compute.periods import working_days
from sheetpilot._compute.progress import expected_progress, health, result_progress
from sheetpilot._models import (
    Action,
    Issue,
    Owner,
    ParsedPlan,
    PeriodDef,
    Result,
    Settings,
    StatusType,
)

ACTIONS = "Suivi des actions"
OBJECTIVES = "Objectifs"
SETTINGS = "Réglages"
START = date(2026, 1, 5)  # a Monday
TODAY = date(2026, 1, 6)


def act(n, status="todo", priority="P1", deps=(), impact=3, effort=3, **kw):
    """Action A-00n on row n; cells in the columns DESIGN.md's template uses."""
    kw.setdefault("period", "P1")
    kw.setdefault("estimate", 1.0)
    return Action(
        sheet=ACTIONS,
        row=n,
        cells={
            "id": f"A{n + 1}",
            "depends_on": f"J{n + 1}",
            "estimate": f"L{n + 1}",
            "period": f"M{n + 1}",
        },
        id=f"A-{n:03d}",
        status_type=StatusType(status),
        priority=priority,
        depends_on=tuple(deps),
        impact=impact,
        effort=effort,
        **kw,
    )


def result_row(n, objective="Leads", baseline=0.0, target=10.0, current=5.0, due=None):
    return Result(
        sheet=OBJECTIVES,
        row=n,
        cells={"id": f"C{n + 1}", "current": f"I{n + 1}"},
        id=f"R{n}",
        marketing_objective=objective,
        baseline=baseline,
        target=target,
        current=current,
        due=due,
    )


def settings(**kw):
    kw.setdefault("plan_start", START)
    kw.setdefault("period_count", 3)
    return Settings(statuses=(), priorities=("P1", "P2", "P3"), **kw)


def compute(actions=(), results=(), today=TODAY, issues=(), **settings_kw):
    plan = ParsedPlan(
        settings=settings(**settings_kw),
        actions=tuple(actions),
        results=tuple(results),
        issues=tuple(issues),
    )
    return compute_plan(plan, today)


def codes(result):
    return [(i.code, i.cell) for i in result.issues]


# --- periods ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 1, 5), date(2026, 1, 9), 5),  # Mon..Fri
        (date(2026, 1, 5), date(2026, 1, 11), 5),  # a whole week
        (date(2026, 1, 10), date(2026, 1, 11), 0),  # a weekend
        (date(2026, 1, 9), date(2026, 1, 12), 2),  # Fri..Mon
        (date(2026, 1, 7), date(2026, 1, 7), 1),  # one Wednesday
        (date(2026, 1, 4), date(2026, 1, 31), 20),  # Sunday to Saturday, four weeks
        (date(2026, 1, 9), date(2026, 1, 8), 0),  # end before start
    ],
)
def test_working_days(start, end, expected):
    assert working_days(start, end) == expected


def test_generated_periods_follow_length_and_count():
    periods = build_periods(settings(period_length=14, period_count=2))
    assert [(p.name, p.start, p.end) for p in periods] == [
        ("P1", date(2026, 1, 5), date(2026, 1, 18)),
        ("P2", date(2026, 1, 19), date(2026, 2, 1)),
    ]


@pytest.mark.parametrize(
    ("dues", "count"),
    [
        ((), 6),  # no due date: six periods
        ((None,), 6),
        ((date(2026, 1, 14),), 1),  # the last day of P1
        ((date(2026, 1, 15),), 2),  # the first day of P2
        ((date(2026, 3, 1), date(2026, 1, 20)), 6),  # Mar 1 is in P6 (Feb 24 .. Mar 5)
        ((date(2025, 12, 1),), 1),  # due before the plan starts: still one period
    ],
)
def test_period_count_when_absent_covers_latest_due(dues, count):
    assert len(build_periods(settings(period_count=None), dues)) == count


def test_explicit_periods_win():
    explicit = (
        PeriodDef(name="Janvier", start=date(2026, 1, 1), end=date(2026, 1, 31)),
        PeriodDef(name="Février", start=date(2026, 2, 1), end=date(2026, 2, 28)),
    )
    assert build_periods(settings(explicit_periods=explicit)) == list(explicit)
    result = compute([act(1, period="fevrier")], explicit_periods=explicit)
    assert [(p.name, p.actions, p.days) for p in result.periods] == [
        ("Janvier", 0, 31),
        ("Février", 1, 28),
    ]


@pytest.mark.parametrize(
    ("status", "warned"), [("todo", True), ("done", True), ("cancelled", False)]
)
def test_action_in_a_period_beyond_the_plan_is_warned(status, warned):
    result = compute([act(1, status, period="P9")], period_count=None)  # six periods
    assert len(result.periods) == 6
    assert sum(p.actions for p in result.periods) == 0
    assert codes(result) == ([("unknown-value", "M2")] if warned else [])


def test_no_plan_start_means_no_periods():
    assert build_periods(settings(plan_start=None)) == []


@pytest.mark.parametrize(
    ("day", "name"),
    [(date(2026, 1, 4), None), (START, "P1"), (date(2026, 1, 15), "P2"), (date(2026, 2, 4), None)],
)
def test_period_containing(day, name):
    found = period_containing(build_periods(settings()), day)
    assert (found.name if found else None) == name


def test_capacity_zero_gives_no_load():
    result = compute([act(1)], owners=(Owner(name="Alice", capacity=0),))
    assert (result.periods[0].capacity, result.periods[0].load) == (0.0, None)
    assert compute([act(1)]).periods[0].load is None  # no owners at all


def test_cancelled_actions_do_not_count_and_period_names_ignore_case():
    result = compute([act(1, estimate=2, period="p1"), act(2, "cancelled", estimate=5)])
    assert (result.periods[0].actions, result.periods[0].person_days) == (1, 2.0)


def test_done_person_days():
    result = compute([act(1, "done", estimate=2.5), act(2, "doing", estimate=1)])
    p1 = result.periods[0]
    assert (p1.person_days, p1.done_person_days) == (3.5, 2.5)


def test_person_days_have_no_float_noise():
    result = compute([act(1, estimate=0.1), act(2, estimate=0.2)])
    assert result.periods[0].person_days == 0.3


def test_missing_estimate_counts_zero_and_warns_unless_cancelled():
    result = compute([act(1, estimate=None), act(2, "cancelled", estimate=None), act(3)])
    assert result.periods[0].person_days == 1.0
    assert codes(result) == [("missing-estimate", "L2")]


def test_missing_estimate_not_repeated_on_a_cell_the_parser_flagged():
    bad = Issue.of("bad-number", ACTIONS, "L2", "'deux' is not a number")
    assert codes(compute([act(1, estimate=None)], issues=[bad])) == [("bad-number", "L2")]


# --- owners -------------------------------------------------------------------------------
def test_owner_loads_include_idle_owners_and_unknown_owners_with_actions():
    owners = (Owner(name="Alice", capacity=2), Owner(name="Bruno", capacity=4))
    result = compute(
        [
            act(1, owner="alice", estimate=1),
            act(2, owner="Zoé", estimate=3, period="P2"),
            act(3, owner="", estimate=2),
        ],
        owners=owners,
        period_count=2,
    )
    assert [(o.period, o.owner, o.person_days, o.capacity) for o in result.owners] == [
        ("P1", "Alice", 1.0, 2.0),
        ("P1", "Bruno", 0.0, 4.0),
        ("P2", "Alice", 0.0, 2.0),
        ("P2", "Bruno", 0.0, 4.0),
        ("P2", "Zoé", 3.0, 0.0),
    ]
    assert codes(result) == []  # Zoé is the parser's unknown-value, not an over-capacity


@pytest.mark.parametrize(("estimate", "over"), [(2.0, False), (2.5, True)])
def test_over_capacity_points_at_the_capacity_cell(estimate, over):
    owners = (Owner(name="Alice", capacity=2, sheet=SETTINGS, capacity_cell="I3"),)
    result = compute([act(1, owner="Alice", estimate=estimate)], owners=owners)
    assert [(i.code, i.sheet, i.cell) for i in result.issues] == (
        [("over-capacity", SETTINGS, "I3")] if over else []
    )


def test_over_capacity_without_a_known_cell_points_at_the_settings_tab():
    plan = ParsedPlan(
        tabs={"settings": "Paramètres"},
        settings=settings(owners=(Owner(name="Alice", capacity=1),)),
        actions=(act(1, owner="Alice", estimate=2),),
    )
    (issue,) = compute_plan(plan, TODAY).issues
    assert (issue.code, issue.sheet, issue.cell) == ("over-capacity", "Paramètres", "A1")


# --- priority order -----------------------------------------------------------------------
def ranks(result):
    return [(r.id, r.effective_priority) for r in result.order]


def test_priority_inheritance_is_transitive():
    result = compute(
        [
            act(1, priority="P3"),
            act(2, priority="P3", deps=["A-001"]),
            act(3, priority="P2", deps=["A-002"]),
            act(4, priority="P1", deps=["A-003"]),
            act(5, priority="P2"),
        ]
    )
    assert ranks(result) == [
        ("A-001", "P1"),
        ("A-002", "P1"),
        ("A-003", "P1"),
        ("A-004", "P1"),
        ("A-005", "P2"),
    ]


@pytest.mark.parametrize("status", ["done", "cancelled"])
def test_closed_dependents_lend_no_urgency(status):
    result = compute([act(1, priority="P3"), act(2, status, priority="P1", deps=["A-001"])])
    assert ranks(result) == [("A-001", "P3")]


def test_ties_broken_by_impact_over_effort_then_row():
    result = compute(
        [
            act(1, impact=3, effort=3),
            act(2, impact=2, effort=1),
            act(3, impact=2, effort=2),
            act(4, impact=5, effort=1, priority="P2"),
        ]
    )
    assert result.priority_order == ["A-002", "A-001", "A-003", "A-004"]


@pytest.mark.parametrize("priority", [None, "Urgent"])
def test_missing_or_unknown_priority_ranks_last(priority):
    result = compute([act(1, priority=priority, impact=5, effort=1), act(2, priority="P3")])
    assert ranks(result) == [("A-002", "P3"), ("A-001", None)]


def test_priority_names_ignore_case():
    assert ranks(compute([act(1, priority="p2"), act(2, priority="P1")])) == [
        ("A-002", "P1"),
        ("A-001", "P2"),
    ]


def test_only_open_actions_are_ranked():
    result = compute([act(1, "done"), act(2, "cancelled"), act(3, "blocked"), act(4, "doing")])
    assert [(r.rank, r.id) for r in result.order] == [(1, "A-003"), (2, "A-004")]


def test_dependency_on_done_action_is_satisfied():
    result = compute([act(1, "done", priority="P3"), act(2, deps=["a-001"])])
    assert [(r.id, r.blocked_by) for r in result.order] == [("A-002", ())]
    assert codes(result) == []


def test_dependency_on_cancelled_action_is_ignored_with_a_warning():
    result = compute([act(1, "cancelled"), act(2, deps=["A-001"])])
    assert [(r.id, r.blocked_by) for r in result.order] == [("A-002", ())]
    assert [(i.severity, i.code, i.cell) for i in result.issues] == [
        ("warning", "cancelled-dependency", "J3")
    ]


def test_unknown_dependency_is_an_error_and_ignored():
    result = compute([act(1, deps=["A-404", "A-404"]), act(2, priority="P3")])
    assert result.priority_order == ["A-001", "A-002"]
    assert [(i.severity, i.code, i.cell) for i in result.issues] == [
        ("error", "unknown-dependency", "J2")
    ]


def test_blocked_by_lists_open_dependencies_by_rank():
    result = compute(
        [
            act(1, deps=["A-003", "A-002", "A-004"]),
            act(2, priority="P2"),
            act(3, priority="P3"),
            act(4, "done"),
        ]
    )
    first = result.order[-1]
    assert (first.id, first.blocked_by) == ("A-001", ("A-002", "A-003"))


def test_cycle_is_one_error_and_its_actions_go_last_in_row_order():
    result = compute(
        [
            act(1, priority="P1", deps=["A-003"]),
            act(2, priority="P3"),
            act(3, priority="P1", deps=["A-004"]),
            act(4, priority="P1", deps=["A-001"]),
        ]
    )
    assert result.priority_order == ["A-002", "A-001", "A-003", "A-004"]
    (issue,) = result.issues
    assert (issue.code, issue.cell) == ("dependency-cycle", "J2")
    assert "A-001 → A-003 → A-004 → A-001" in issue.message


def test_self_dependency_is_a_cycle():
    result = compute([act(1, deps=["A-001"]), act(2, priority="P3")])
    assert result.priority_order == ["A-002", "A-001"]
    assert codes(result) == [("dependency-cycle", "J2")]


def test_two_cycles_give_two_errors():
    result = compute(
        [
            act(1, deps=["A-002"]),
            act(2, deps=["A-001"]),
            act(3, deps=["A-004"]),
            act(4, deps=["A-003"]),
        ]
    )
    assert codes(result) == [("dependency-cycle", "J2"), ("dependency-cycle", "J4")]


def test_actions_waiting_on_a_cycle_go_after_it_and_after_their_dependencies():
    result = compute(
        [
            act(1, priority="P1", deps=["A-002"]),  # waits on A-002, which waits on the cycle
            act(2, priority="P2", deps=["A-003"]),
            act(3, priority="P3", deps=["A-004"]),
            act(4, priority="P3", deps=["A-003"]),
            act(5, priority="P3"),
        ]
    )
    assert result.priority_order == ["A-005", "A-003", "A-004", "A-002", "A-001"]
    assert codes(result) == [("dependency-cycle", "J4")]


def test_dependency_later_warns_at_the_period_cell():
    result = compute(
        [
            act(1, period="P2"),
            act(2, period="P1", deps=["A-001"]),
            act(3, period="P2", deps=["A-001"]),
            act(4, "done", period="P3"),
            act(5, period="P1", deps=["A-004"]),
        ]
    )
    assert codes(result) == [("dependency-later", "M3")]


# --- overdue ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "today", "overdue"),
    [
        ("todo", date(2026, 1, 15), True),  # P1 ended 01-14
        ("blocked", date(2026, 1, 15), True),
        ("doing", date(2026, 1, 14), False),  # its last day: not yet
        ("done", date(2026, 1, 20), False),
        ("cancelled", date(2026, 1, 20), False),
    ],
)
def test_overdue(status, today, overdue):
    result = compute([act(1, status, period="P1")], today=today)
    assert codes(result) == ([("overdue", "M2")] if overdue else [])


def test_action_without_period_is_never_overdue():
    assert codes(compute([act(1, period=None)], today=date(2027, 1, 1))) == []


# --- objective progress -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("baseline", "target", "current", "expected"),
    [
        (0.0, 10.0, 5.0, 0.5),
        (0.0, 10.0, 12.0, 1.0),  # beyond the target: clamped
        (0.0, 10.0, -3.0, 0.0),  # worse than the baseline: clamped
        (100.0, 60.0, 80.0, 0.5),  # decreasing target
        (100.0, 60.0, 50.0, 1.0),  # decreasing, beyond target
        (100.0, 60.0, 120.0, 0.0),  # decreasing, worse than baseline
        (7.0, 7.0, 7.0, 1.0),  # target = baseline, reached
        (7.0, 7.0, 8.0, 0.0),  # target = baseline, not reached
        (None, 10.0, 5.0, 0.0),
        (0.0, None, 5.0, 0.0),
        (0.0, 10.0, None, 0.0),
        (0.0, 3.0, 1.0, 0.333333),
    ],
)
def test_result_progress(baseline, target, current, expected):
    assert result_progress(baseline, target, current) == expected


@pytest.mark.parametrize(
    ("start", "due", "today", "expected"),
    [
        (date(2026, 1, 1), date(2026, 1, 11), date(2026, 1, 6), 0.5),
        (date(2026, 1, 1), date(2026, 1, 11), date(2025, 12, 1), 0.0),  # before the plan
        (date(2026, 1, 1), date(2026, 1, 11), date(2026, 3, 1), 1.0),  # past the due date
        (date(2026, 1, 1), date(2026, 1, 1), date(2026, 1, 1), 1.0),  # due = plan start
        (date(2026, 1, 1), None, date(2026, 1, 6), 0.0),  # no due date
        (None, date(2026, 1, 11), date(2026, 1, 6), 0.0),  # no plan start
    ],
)
def test_expected_progress(start, due, today, expected):
    assert expected_progress(start, due, today) == expected


@pytest.mark.parametrize(
    ("progress", "expected", "due", "want"),
    [
        (1.0, 1.0, date(2026, 1, 1), "done"),  # reached, even past the due date
        (0.9, 1.0, date(2026, 1, 9), "late"),  # due yesterday
        (0.5, 0.5, date(2026, 1, 10), "on track"),  # due today: not late yet
        (0.6, 0.5, None, "on track"),
        (0.4, 0.5, date(2026, 2, 1), "at risk"),
    ],
)
def test_health(progress, expected, due, want):
    assert health(progress, expected, due, date(2026, 1, 10)) == want


def test_missing_current_warns_at_the_current_cell():
    result = compute(results=[result_row(1, current=None), result_row(2)])
    assert codes(result) == [("missing-current", "I2")]


def test_missing_baseline_or_target_adds_no_issue():
    result = compute(results=[result_row(1, baseline=None), result_row(2, target=None)])
    assert [r.progress for r in result.objectives[0].results] == [0.0, 0.0]
    assert codes(result) == []


def test_missing_current_not_repeated_on_a_cell_the_parser_flagged():
    bad = Issue.of("bad-number", OBJECTIVES, "I2", "'n/a' is not a number")
    result = compute(results=[result_row(1, current=None)], issues=[bad])
    assert codes(result) == [("bad-number", "I2")]


def test_objectives_grouped_by_text_in_first_appearance_order():
    result = compute(
        results=[
            result_row(1, "Notoriété", current=10.0),
            result_row(2, "Leads", current=0.0),
            result_row(3, " notoriété ", current=5.0, due=date(2026, 3, 1)),
            result_row(4, "Notoriété", current=2.0, due=date(2026, 2, 1)),
        ]
    )
    # Notoriété: (1 + 0.5 + 0.2) / 3 = 0.566667, due = latest of its results
    got = [(o.objective, o.progress, [r.id for r in o.results], o.due) for o in result.objectives]
    assert got == [
        ("Notoriété", 0.566667, ["R1", "R3", "R4"], date(2026, 3, 1)),
        ("Leads", 0.0, ["R2"], None),
    ]


def test_expected_progress_uses_first_period_start_without_plan_start():
    explicit = (PeriodDef(name="S1", start=date(2026, 1, 1), end=date(2026, 1, 31)),)
    result = compute(
        results=[result_row(1, current=4.0, due=date(2026, 1, 11))],
        today=date(2026, 1, 6),
        plan_start=None,
        explicit_periods=explicit,
    )
    (objective,) = result.objectives
    # 5 days of 10 elapsed → expected 0.5; progress 0.4 < 0.5
    assert (objective.expected, objective.health) == (0.5, "at risk")


def test_linked_actions_count_all_but_cancelled():
    actions = [
        act(1, "done", target_result="r1"),
        act(2, "todo", target_result="R1"),
        act(3, "cancelled", target_result="R1"),
        act(4, target_result="R2"),
    ]
    (objective,) = compute(actions, results=[result_row(1)]).objectives
    assert (objective.results[0].actions, objective.results[0].actions_done) == (2, 1)


# --- the whole -----------------------------------------------------------------------------
def test_clean_plan_has_no_issues_and_parser_issues_come_first():
    parser = Issue.of("unknown-value", ACTIONS, "C2", "Unknown workstream")
    result = compute([act(1), act(2, deps=["A-001"])], results=[result_row(1)], issues=[parser])
    assert result.issues == (parser,)


def test_compute_is_deterministic():
    actions = [act(1, deps=["A-002", "A-9"]), act(2, deps=["A-001"]), act(3, estimate=None)]
    assert compute(actions) == compute(actions)


# --- messages: each names the value found and says what to do ------------------------------
def test_every_compute_message_quotes_the_value_and_says_what_to_do():
    owners = (Owner(name="Alice", capacity=1, sheet=SETTINGS, capacity_cell="I2"),)
    result = compute(
        [
            act(1, deps=["A-404"], owner="Alice", estimate=2),  # unknown dep, over capacity
            act(2, "cancelled"),
            act(3, deps=["A-002"], estimate=None),  # cancelled dep, missing estimate
            act(4, deps=["A-005"]),
            act(5, deps=["A-004"]),  # cycle
            act(6, period="P2"),
            act(7, period="P1", deps=["A-006"]),  # dependency-later
        ],
        results=[result_row(1, current=None)],
        owners=owners,
        today=date(2026, 1, 20),  # P1 has ended: overdue
    )
    messages = {i.code: i.message for i in result.issues}
    expected = {
        "unknown-dependency": ("'A-404'", "correct the ID or remove it"),
        "cancelled-dependency": ("A-002", "remove it"),
        "dependency-cycle": ("A-004 → A-005 → A-004", "remove one of these dependencies"),
        "dependency-later": ("A-006 (P2)", "move A-007 to P2 or later"),
        "overdue": ("P1", "carry it over"),
        "missing-estimate": ("A-003", "enter its estimate"),
        "over-capacity": ("Alice", "move actions"),
        "missing-current": ("R1", "enter its current value"),
    }
    assert set(messages) == set(expected)
    for code, (value, todo) in expected.items():
        assert value in messages[code] and todo in messages[code], (code, messages[code])


@pytest.mark.parametrize(
    ("current", "due", "health", "expected"),
    [
        (5.0, date(2026, 1, 15), "at risk", 1.0),  # due today: not late, but behind
        (10.0, date(2026, 1, 15), "done", 1.0),  # due today and reached
        (10.0, date(2026, 1, 14), "done", 1.0),  # due passed, progress 1: done, not late
        (9.99, date(2026, 1, 14), "late", 1.0),  # due yesterday, not reached
        (5.0, date(2026, 1, 25), "on track", 0.5),  # 10 of 20 days elapsed, half done
        (4.9, date(2026, 1, 25), "at risk", 0.5),
    ],
)
def test_objective_health_at_the_boundaries(current, due, health, expected):
    # plan start 2026-01-05, today 2026-01-15
    result = compute(results=[result_row(1, current=current, due=due)], today=date(2026, 1, 15))
    (objective,) = result.objectives
    assert (objective.health, objective.expected) == (health, expected)
    assert objective.results[0].health == health
