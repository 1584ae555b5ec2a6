"""Objectifs / Objectives: target-result rows, merged objective cells, bad cells."""

from __future__ import annotations

from datetime import date

import pytest

from sheetpilot._parse import parse_plan
from tests.plan_builders import objectives_grid, plan_grids


def parse(grid, locale="fr"):
    grids = plan_grids(locale)
    grids["Objectifs" if locale == "fr" else "Objectives"] = grid
    plan = parse_plan(grids)
    sheet = plan.tabs["objectives"]
    return plan, [(i.code, i.cell) for i in plan.issues if i.sheet == sheet]


def test_rows_become_results_with_every_field():
    plan, found = parse(
        objectives_grid(
            {
                "business_objective": "Vendre plus",
                "marketing_objective": "Plus de leads",
                "id": "R1",
                "target_result": "200 leads / mois",
                "priority": "p1",
                "kpi": "formulaires",
                "baseline": "50",
                "target": "200",
                "current": "1 200,5",
                "due_date": "31/03/2026",
                "levers": "SEO, Ads",
            }
        )
    )
    assert found == []
    (result,) = plan.results
    assert result.id == "R1"
    assert (result.business_objective, result.marketing_objective) == (
        "Vendre plus",
        "Plus de leads",
    )
    assert result.target_result == "200 leads / mois"
    assert result.priority == "P1"  # the settings' spelling
    assert (result.kpi, result.levers) == ("formulaires", "SEO, Ads")
    assert (result.baseline, result.target, result.current) == (50.0, 200.0, 1200.5)
    assert result.due == date(2026, 3, 31)
    assert result.sheet == "Objectifs" and result.row == 1
    assert result.cells["current"] == "I2" and result.cells["due_date"] == "J2"


def test_header_not_on_row_one_reordered_and_user_columns():
    grid = [
        ["Objectifs marketing T1"],
        [],
        ["ID", "Notes", "Échéance", "Valeur actuelle", "Valeur cible", "Valeur initiale",
         "Objectif marketing", "Avancement", "État"],
        ["R1", "à revoir", 46112, 80, 200, 50, "Plus de leads"],
    ]  # fmt: skip
    plan, found = parse(grid)
    assert found == []
    (result,) = plan.results
    assert (result.id, result.row, result.due) == ("R1", 3, date(2026, 3, 31))
    assert (result.baseline, result.target, result.current) == (50.0, 200.0, 80.0)
    assert result.cells["progress"] == "H4" and result.cells["health"] == "I4"
    assert "Notes" not in result.cells.values()


def test_english_headers():
    grid = objectives_grid(
        {"marketing_objective": "More leads", "id": "R1", "baseline": 0, "target": 10,
         "current": 5, "due_date": "2026-03-31"},
        locale="en",
    )  # fmt: skip
    plan, found = parse(grid, locale="en")
    assert found == []
    assert plan.results[0].marketing_objective == "More leads"


def test_merged_objective_cells_mean_same_as_above():
    grid = objectives_grid(
        {"business_objective": "Vendre plus", "marketing_objective": "Leads", "id": "R1"},
        {"id": "R2"},
        {},  # a blank row in the middle of the merge
        {"marketing_objective": "Conversion", "id": "R3"},
        {"business_objective": "Marque", "marketing_objective": "Notoriété", "id": "R4"},
        {"id": "R5"},
    )
    plan, _ = parse(grid)
    assert [(r.id, r.business_objective, r.marketing_objective) for r in plan.results] == [
        ("R1", "Vendre plus", "Leads"),
        ("R2", "Vendre plus", "Leads"),
        ("R3", "Vendre plus", "Conversion"),
        ("R4", "Marque", "Notoriété"),
        ("R5", "Marque", "Notoriété"),
    ]


def test_a_row_with_only_the_objectives_is_a_heading():
    grid = objectives_grid(
        {"business_objective": "Vendre plus", "marketing_objective": "Leads"},
        {"id": "R1", "target_result": "200 leads"},
    )
    plan, found = parse(grid)
    assert found == []
    assert [(r.id, r.marketing_objective, r.row) for r in plan.results] == [("R1", "Leads", 2)]


def test_blank_rows_are_skipped():
    grid = objectives_grid({"id": "R1"}, {}, {"kpi": None}, {"id": "R2"})
    grid.insert(2, [None, "", "   "])
    plan, found = parse(grid)
    assert found == []
    assert [(r.id, r.row) for r in plan.results] == [("R1", 1), ("R2", 5)]


@pytest.mark.parametrize(
    ("field", "value", "code", "cell"),
    [
        ("baseline", "beaucoup", "bad-number", "G2"),
        ("target", "1.2.3", "bad-number", "H2"),
        ("current", "n/a", "bad-number", "I2"),
        ("due_date", "32/13/2026", "bad-date", "J2"),
        ("due_date", "fin mars", "bad-date", "J2"),
    ],
)
def test_bad_cells_are_reported_and_the_row_kept_with_the_field_empty(field, value, code, cell):
    grid = objectives_grid({"id": "R1", "baseline": 1, "target": 2, "current": 1, field: value})
    plan, found = parse(grid)
    assert found == [(code, cell)]
    issue = next(i for i in plan.issues if i.code == code)
    assert issue.severity == "error"
    assert issue.message.startswith(f"Objectifs!{cell}: ")
    assert f"'{value}'" in issue.message
    (result,) = plan.results
    assert getattr(result, "due" if field == "due_date" else field) is None


def test_bad_date_message_says_what_to_type():
    plan, _ = parse(objectives_grid({"id": "R1", "due_date": "32/13/2026"}))
    assert "'32/13/2026' is not a date: use 15/01/2026 or 2026-01-15" in plan.issues[0].message


@pytest.mark.parametrize(("value", "expected"), [("15 %", 15.0), ("1 200", 1200.0), ("2,5", 2.5)])
def test_numbers_as_typed(value, expected):
    plan, found = parse(objectives_grid({"id": "R1", "target": value}))
    assert found == []
    assert plan.results[0].target == expected


def test_duplicate_id_keeps_the_first_row():
    grid = objectives_grid(
        {"id": "R1", "kpi": "first"}, {"id": "R2"}, {"id": "r1", "kpi": "second"}
    )
    plan, found = parse(grid)
    assert found == [("duplicate-id", "C4")]
    assert "C2" in plan.issues[0].message and "ignored" in plan.issues[0].message
    assert [(r.id, r.kpi) for r in plan.results] == [("R1", "first"), ("R2", "")]


def test_row_without_id_is_kept_with_a_warning_suggesting_a_free_id():
    grid = objectives_grid({"id": "R1"}, {"target_result": "Sans ID", "target": 10}, {"id": "R7"})
    plan, found = parse(grid)
    assert found == [("unknown-value", "C3")]
    assert plan.issues[0].severity == "warning"
    assert "'R8'" in plan.issues[0].message
    assert [r.id for r in plan.results] == ["R1", "", "R7"]


def test_unknown_priority_warns_with_suggestion_and_is_none():
    plan, found = parse(objectives_grid({"id": "R1", "priority": "P4"}))
    assert found == [("unknown-value", "E2")]
    assert "'P4'" in plan.issues[0].message
    assert plan.results[0].priority is None


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (["Objectif marketing", "ID", "Valeur initiale", "Valeur cible", "Valeur actuelle"],
         ["Échéance"]),
        (["ID", "Échéance", "Notes"],
         ["Objectif marketing", "Valeur initiale", "Valeur cible", "Valeur actuelle"]),
    ],
)  # fmt: skip
def test_missing_required_columns_point_past_the_last_header(header, missing):
    plan, found = parse([["Titre"], header, ["R1"]])
    past = chr(ord("A") + len(header)) + "2"
    assert found == [("missing-column", past)] * len(missing)
    messages = [i.message for i in plan.issues if i.code == "missing-column"]
    for name, message in zip(missing, messages, strict=True):
        assert f"'{name}'" in message and "add it" in message


def test_no_header_at_all_reports_every_required_column_at_a1():
    plan, found = parse([["rien"], ["à voir"]])
    assert found == [("missing-column", "A1")] * 6
    assert plan.results == ()


def test_missing_column_named_in_english_for_an_english_plan():
    plan, _ = parse([["ID", "Marketing objective", "Baseline", "Target", "Current"]], locale="en")
    (issue,) = [i for i in plan.issues if i.code == "missing-column"]
    assert "'Due date'" in issue.message
    assert issue.cell == "F1"
