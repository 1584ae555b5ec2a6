"""Thousands separators follow the plan's language; a number that reads two ways says how it was read.

Two planted bugs survived the whole suite before these tests: the thousands-group rule
(`len(g) == 3` loosened to `>= 3` read '1.2000,5' as 12000.5) and '1,200' read as 1.2 in
an English plan, silently.
"""

from __future__ import annotations

import pytest

from sheetpilot._diff import differs
from sheetpilot._parse import parse_plan
from sheetpilot._parse.values import BadValue, ambiguity, as_number
from tests.plan_builders import action, plan_grids


@pytest.mark.parametrize(
    "text",
    ["1.2000,5", "1,2000.5", "12.34.567", "1.20.300,5", "1234.567,8"],
)
@pytest.mark.parametrize("locale", [None, "fr", "en"])
def test_a_badly_grouped_number_is_not_read(text, locale):
    with pytest.raises(BadValue, match="is not a number"):
        as_number(text, locale)


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("1,200", "en", 1200.0),  # ',' groups thousands in English
        ("1,200", "fr", 1.2),  # ',' is the French decimal mark
        ("1.200", "fr", 1200.0),  # '.' groups thousands in French
        ("1.200", "en", 1.2),
        ("1,5", "en", 1.5),  # not three digits after: a decimal comma, whatever the plan
        ("1.5", "fr", 1.5),
        ("0,500", "en", 0.5),  # a grouped number never starts with a lone 0
        ("12,345", "en", 12345.0),
        ("1,234,567", "fr", 1234567.0),  # repeated marks group, in any language
        ("1.234,5", "en", 1234.5),  # a pair: the last one is the decimal mark
        ("1 200,5", "en", 1200.5),
        ("1,200", None, 1.2),  # no language known: a single mark is decimal
    ],
)
def test_separators_are_read_by_the_plan_language(text, locale, expected):
    assert as_number(text, locale) == expected


@pytest.mark.parametrize(
    ("text", "locale", "read_as", "or_else"),
    [
        ("1,200", "en", "1200", "1.2"),
        ("1.200", "fr", "1200", "1,2"),
        ("2,500", "en", "2500", "2.5"),
    ],
)
def test_ambiguity_says_how_the_number_was_read_and_how_to_be_explicit(
    text, locale, read_as, or_else
):
    note = ambiguity(text, locale)
    assert note is not None
    assert f"read as {read_as}" in note
    assert f"type {read_as} or {or_else}" in note


@pytest.mark.parametrize(
    ("text", "locale"), [("1,5", "en"), ("1,200", "fr"), ("1.234,5", "en"), ("12", "en")]
)
def test_a_number_that_reads_one_way_is_not_ambiguous(text, locale):
    assert ambiguity(text, locale) is None


def test_an_ambiguous_estimate_in_an_english_plan_is_a_bad_number_warning_at_its_cell():
    grids = plan_grids(
        "en",
        actions=[
            action(id="A-001", status="To do", title="Webinar", owner="Alice", estimate="1,200"),
        ],
    )
    plan = parse_plan(grids, "en")
    (issue,) = [i for i in plan.issues if i.code == "bad-number"]
    assert issue.severity == "warning"
    assert issue.sheet == "Action tracking"
    assert issue.cell == "L2"
    assert "'1,200' was read as 1200" in issue.message
    assert plan.actions[0].estimate == 1200.0


def test_the_same_estimate_in_a_french_plan_is_one_and_a_fifth_without_a_warning():
    grids = plan_grids(
        "fr",
        actions=[
            action(id="A-001", status="À faire", title="Webinar", owner="Alice", estimate="1,200"),
        ],
    )
    plan = parse_plan(grids, "fr")
    assert [i for i in plan.issues if i.code == "bad-number"] == []
    assert plan.actions[0].estimate == 1.2


def test_a_badly_grouped_estimate_is_a_bad_number_error_and_counts_nothing():
    grids = plan_grids(
        "fr", actions=[action(id="A-001", status="À faire", title="Webinar", estimate="1.2000,5")]
    )
    plan = parse_plan(grids, "fr")
    (issue,) = [i for i in plan.issues if i.code == "bad-number"]
    assert issue.severity == "error"
    assert plan.actions[0].estimate is None


def test_an_ambiguous_capacity_in_the_settings_is_a_warning_too():
    from tests.plan_builders import settings_grid

    grids = plan_grids("en", settings=settings_grid("en", owners=(("Alice", "1,000"),)))
    plan = parse_plan(grids, "en")
    (issue,) = [i for i in plan.issues if i.code == "bad-number"]
    assert issue.severity == "warning"
    assert "capacity of 'Alice'" in issue.message
    assert plan.settings.owners[0].capacity == 1000.0


@pytest.mark.parametrize(
    ("old", "new", "changes"),
    [
        (1, True, True),  # a number and a boolean are different cells, even when 1 == True
        (0, False, True),
        (True, 1, True),
        (True, True, False),
        ("TRUE", True, True),
        (1, 1.0, False),
    ],
)
def test_a_boolean_over_a_number_is_a_change(old, new, changes):
    assert differs(old, new) is changes
