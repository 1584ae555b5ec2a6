"""Property: render → diff → apply → diff again is empty, whatever the sheet held before."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sheetpilot._cells import Grid, canonical, cell, is_blank
from sheetpilot._diff import apply, diff
from sheetpilot._models import (
    ERROR_CODES,
    WARNING_CODES,
    Action,
    Issue,
    ParsedPlan,
    PeriodSummary,
    PlanResult,
    RankedAction,
    Settings,
    Status,
    StatusType,
)
from sheetpilot._render import render
from sheetpilot._workbook import Snapshot, TabData

ACTIONS_TAB = "Suivi des actions"
TOOL_TITLES = {
    "by_period": ["Actions par période", "ACTIONS BY PERIOD"],
    "priorities": ["Priorités", "priorities"],
    "checks": ["Contrôles", "Checks"],
}

junk_value = st.one_of(
    st.none(),
    st.text(max_size=6),
    st.integers(-5, 50),
    st.floats(-10, 10, allow_nan=False),
    st.dates(date(2025, 12, 1), date(2026, 3, 1)),
    st.booleans(),
)
junk_grid = st.lists(st.lists(junk_value, max_size=12), max_size=25)
message = st.text(max_size=12).map(lambda t: t.strip() or "x") | st.sampled_from(
    ["=SUM(A1)", "+33 6", "-1", "@here"]
)
issue = st.builds(
    Issue.of,
    st.sampled_from(sorted(ERROR_CODES | WARNING_CODES)),
    st.just(ACTIONS_TAB),
    st.sampled_from(["A2", "H5", "G12"]),
    message,
)


@st.composite
def periods(draw: st.DrawFn) -> tuple[PeriodSummary, ...]:
    count = draw(st.integers(0, 4))
    start = date(2026, 1, 5)
    found = []
    for i in range(count):
        person_days = draw(st.floats(0, 20, allow_nan=False))
        capacity = draw(st.sampled_from([0.0, 5.0, 8.5]))
        found.append(
            PeriodSummary(
                name=f"P{i + 1}",
                start=start + timedelta(days=10 * i),
                end=start + timedelta(days=10 * i + 9),
                days=10,
                working_days=8,
                actions=draw(st.integers(0, 5)),
                person_days=person_days,
                done_person_days=draw(st.floats(0, 5, allow_nan=False)),
                capacity=capacity,
                load=person_days / capacity if capacity else None,
            )
        )
    return tuple(found)


@st.composite
def plans(draw: st.DrawFn) -> tuple[ParsedPlan, PlanResult]:
    found_periods = draw(periods())
    names = [p.name for p in found_periods]
    actions = tuple(
        Action(
            sheet=ACTIONS_TAB,
            row=row,
            cells={"id": f"A{row + 1}", "rank": f"C{row + 1}"},
            id=f"A-00{row}",
            status_type=draw(st.sampled_from(list(StatusType))),
            title=f"Action {row}",
            estimate=draw(st.none() | st.floats(0, 5, allow_nan=False)),
            period=draw(st.sampled_from([None, *names])),
        )
        for row in range(1, draw(st.integers(0, 6)) + 1)
    )
    open_ids = draw(st.permutations([a.id for a in actions if a.is_open]))
    order = tuple(
        RankedAction(rank=i + 1, id=id, effective_priority="P1") for i, id in enumerate(open_ids)
    )
    selected = draw(st.sampled_from([None, "", "nope", *names, *(n.lower() for n in names)]))
    plan = ParsedPlan(
        locale=draw(st.sampled_from(["fr", "en"])),
        settings=Settings(statuses=(Status(label="x", type=StatusType.TODO),), priorities=("P1",)),
        actions=actions,
        selected_period=selected,
    )
    result = PlanResult(
        today=draw(st.dates(date(2025, 12, 1), date(2026, 3, 1))),
        periods=found_periods,
        owners=(),
        order=order,
        objectives=(),
        issues=tuple(draw(st.lists(issue, max_size=8))),
    )
    return plan, result


@st.composite
def snapshots(draw: st.DrawFn, plan: ParsedPlan) -> Snapshot:
    rows: Grid = [["ID", "Action", "Rang"]]
    rows += [[a.id, a.title, draw(junk_value)] for a in plan.actions]
    tabs = [TabData("Réglages", []), TabData("Objectifs", []), TabData(ACTIONS_TAB, rows)]
    for choices in TOOL_TITLES.values():
        title = draw(st.sampled_from([None, *choices]))
        if title is not None:
            tabs.insert(draw(st.integers(0, len(tabs))), TabData(title, draw(junk_grid)))
    return Snapshot(tuple(tabs))


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_second_diff_after_applying_the_first_is_empty(data):
    plan, result = data.draw(plans())
    before = data.draw(snapshots(plan))

    after = apply(before, diff(before, render(plan, result, before.titles)))
    rendered = render(plan, result, after.titles)

    assert diff(after, rendered).empty
    for tab in rendered.tabs:
        current = after.get(tab.title)
        assert current is not None
        for (r, c), target in tab.cells.items():
            assert canonical(cell(current.grid, r, c)) == canonical(target.value)
        extra = [
            (r, c)
            for r, line in enumerate(current.grid)
            for c, value in enumerate(line)
            if not is_blank(value) and (r, c) not in tab.cells
        ]
        assert extra == []
