"""Properties of compute_plan over random plans (Hypothesis)."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from sheetpilot._compute import compute_plan
from sheetpilot._compute.priority import priority_index, schedule
from sheetpilot._models import Action, ParsedPlan, Settings, StatusType

PRIORITIES = ("P1", "P2", "P3")
SETTINGS = Settings(statuses=(), priorities=PRIORITIES, plan_start=date(2026, 1, 5), period_count=3)


@st.composite
def plans(draw):
    n = draw(st.integers(min_value=1, max_value=12))
    ids = [f"A-{i:03d}" for i in range(1, n + 1)]
    dep_ids = st.sampled_from([*ids, "A-999", *(i.lower() for i in ids)])
    actions = tuple(
        Action(
            sheet="Suivi des actions",
            row=i,
            id=ids[i - 1],
            status_type=draw(st.sampled_from(list(StatusType))),
            priority=draw(st.sampled_from([*PRIORITIES, None])),
            impact=draw(st.integers(1, 5)),
            effort=draw(st.integers(1, 5)),
            depends_on=tuple(draw(st.lists(dep_ids, max_size=3))),
            estimate=draw(st.none() | st.floats(0, 20, allow_nan=False).map(lambda x: round(x, 2))),
            period=draw(st.sampled_from(["P1", "P2", "P3", None])),
        )
        for i in range(1, n + 1)
    )
    return ParsedPlan(settings=SETTINGS, actions=actions)


def open_dependencies(plan):
    by_id = {a.id.casefold(): a for a in plan.actions}
    return {
        a.id: {
            by_id[d.casefold()].id
            for d in a.depends_on
            if d.casefold() in by_id and by_id[d.casefold()].is_open
        }
        for a in plan.actions
        if a.is_open
    }


@settings(max_examples=100, deadline=None)
@given(plans())
def test_order_ranks_each_open_action_once_after_its_open_dependencies(plan):
    result = compute_plan(plan, date(2026, 1, 20))
    order = result.priority_order
    assert sorted(order) == sorted(a.id for a in plan.actions if a.is_open)
    assert [r.rank for r in result.order] == list(range(1, len(order) + 1))
    position = {action_id: i for i, action_id in enumerate(order)}
    on_cycle = schedule(plan).on_cycles
    for action_id, deps in open_dependencies(plan).items():
        if action_id.casefold() in on_cycle:
            continue
        assert all(position[d] < position[action_id] for d in deps)


@settings(max_examples=100, deadline=None)
@given(plans())
def test_effective_priority_is_the_best_of_itself_and_what_waits_on_it(plan):
    own = {a.id: priority_index(a.priority, PRIORITIES) for a in plan.actions}
    waiting_on: dict[str, set[str]] = {a: set() for a in open_dependencies(plan)}
    for action_id, deps in open_dependencies(plan).items():
        for d in deps:
            waiting_on[d].add(action_id)
    for ranked in compute_plan(plan, date(2026, 1, 20)).order:
        effective = priority_index(ranked.effective_priority, PRIORITIES)
        assert effective <= own[ranked.id]
        reached, todo = {ranked.id}, [ranked.id]
        while todo:
            for w in waiting_on[todo.pop()] - reached:
                reached.add(w)
                todo.append(w)
        assert effective == min(own[a] for a in reached)


@settings(max_examples=100, deadline=None)
@given(plans())
def test_period_person_days_are_the_sum_of_their_estimates(plan):
    for period in compute_plan(plan, date(2026, 1, 20)).periods:
        members = [
            a
            for a in plan.actions
            if a.period == period.name and a.status_type is not StatusType.CANCELLED
        ]
        assert period.actions == len(members)
        assert abs(period.person_days - sum(a.estimate or 0 for a in members)) < 1e-6
