"""A bad number or date says what the sync does with the row until the cell is fixed."""

from __future__ import annotations

import pytest

from sheetpilot._parse import parse_plan
from tests.plan_builders import action, plan_grids


@pytest.mark.parametrize(
    ("field", "meanwhile"),
    [
        ("impact", "3 is used meanwhile"),
        ("effort", "3 is used meanwhile"),
        ("estimate", "counts 0 person-days meanwhile"),
    ],
)
def test_a_bad_number_in_an_action_says_what_is_used_meanwhile(field, meanwhile):
    plan = parse_plan(plan_grids(actions=[action(id="A-001", title="x", **{field: "beaucoup"})]))
    [issue] = [i for i in plan.issues if i.code == "bad-number"]
    assert "'beaucoup'" in issue.message and meanwhile in issue.message


@pytest.mark.parametrize(
    ("field", "value", "code", "meanwhile"),
    [
        ("current", "n/a", "bad-number", "progress counts 0 meanwhile"),
        ("target", "??", "bad-number", "progress counts 0 meanwhile"),
        ("due_date", "fin mars", "bad-date", "its health is unknown until then"),
    ],
)
def test_a_bad_value_in_a_result_says_what_it_means_meanwhile(field, value, code, meanwhile):
    result = {"marketing_objective": "Leads", "id": "R1", "baseline": 0, "target": 10,
              "current": 5, "due_date": "31/03/2026", field: value}  # fmt: skip
    plan = parse_plan(plan_grids(results=[result]))
    [issue] = [i for i in plan.issues if i.code == code]
    assert f"'{value}'" in issue.message and meanwhile in issue.message
