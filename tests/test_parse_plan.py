"""parse_plan: finding the tabs, the locale, missing tabs, the period selector, robustness."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetpilot import _template as template
from sheetpilot._cells import CellValue, parse_a1
from sheetpilot._compute import compute_plan
from sheetpilot._models import ERROR_CODES, WARNING_CODES
from sheetpilot._parse import parse_plan
from tests.plan_builders import action, objectives_grid, plan_grids


def test_tabs_found_whatever_the_case_accents_and_locale():
    grids = plan_grids()
    grids = {
        "REGLAGES": grids["Réglages"],
        "objectifs": grids["Objectifs"],
        "Suivi des Actions ": grids["Suivi des actions"],
        "Actions par periode": [],
        "Priorities": [],
        "Contrôles": [],
        "Notes de l'équipe": [["à garder"]],
    }
    plan = parse_plan(grids)
    assert plan.tabs == {
        "settings": "REGLAGES",
        "objectives": "objectifs",
        "actions": "Suivi des Actions ",
        "by_period": "Actions par periode",
        "priorities": "Priorities",
        "checks": "Contrôles",
    }
    assert plan.issues == ()
    assert [a.sheet for a in plan.actions] == ["Suivi des Actions "] * 2


def test_only_present_tabs_are_listed():
    plan = parse_plan(plan_grids(with_settings=False))
    assert plan.tabs == {"objectives": "Objectifs", "actions": "Suivi des actions"}
    assert [i.code for i in plan.issues] == ["missing-tab"]


@pytest.mark.parametrize(
    ("titles", "expected"),
    [
        (["Réglages", "Objectifs", "Suivi des actions"], "fr"),
        (["Settings", "Objectives", "Action tracking"], "en"),
        (["Settings", "Objectives", "Suivi des actions"], "en"),
        (["Réglages", "Objectives", "Suivi des actions", "Checks"], "fr"),
        (["Actions"], "fr"),  # an alias: neither locale
        ([], "fr"),
    ],
)
def test_locale_detected_from_the_tab_titles(titles, expected):
    assert parse_plan({t: [] for t in titles}).locale == expected


def test_explicit_locale_wins():
    plan = parse_plan(plan_grids("fr"), locale="en")
    assert plan.locale == "en"
    assert plan.settings.owners[0].name == "Alice"


@pytest.mark.parametrize(
    ("locale", "remove", "sheet", "column"),
    [
        ("fr", "Objectifs", "Objectifs", "Objectif marketing"),
        ("fr", "Suivi des actions", "Suivi des actions", "Estimation (j-h)"),
        ("en", "Objectives", "Objectives", "Marketing objective"),
        ("en", "Action tracking", "Action tracking", "Estimate (person-days)"),
    ],
)
def test_missing_input_tab_is_an_error_saying_what_to_add(locale, remove, sheet, column):
    grids = plan_grids(locale)
    del grids[remove]
    plan = parse_plan(grids)
    missing = [i for i in plan.issues if i.code == "missing-tab"]
    assert [(i.sheet, i.cell, i.severity) for i in missing] == [(sheet, "A1", "error")]
    assert f"'{sheet}'" in missing[0].message and column in missing[0].message
    assert "Rang" not in missing[0].message and "Avancement" not in missing[0].message


def test_empty_spreadsheet_reports_every_missing_input_tab():
    plan = parse_plan({})
    assert [(i.code, i.sheet) for i in plan.issues] == [
        ("missing-tab", "Réglages"),
        ("missing-tab", "Objectifs"),
        ("missing-tab", "Suivi des actions"),
    ]
    assert plan.results == () and plan.actions == ()


@pytest.mark.parametrize(
    ("f2", "expected"),
    [("P2", "P2"), (" p3 ", "p3"), ("Sprint 1", "Sprint 1"), (None, None), ("", None), (2, "2")],
)
def test_selected_period_is_f2_of_the_by_period_tab(f2, expected):
    grids = plan_grids()
    grids["Actions par période"] = [
        ["Actions par période"],
        [None, None, None, None, "Période :", f2],
    ]
    assert parse_plan(grids).selected_period == expected


def test_no_by_period_tab_or_short_grid_means_no_selection():
    grids = plan_grids()
    assert parse_plan(grids).selected_period is None
    grids["Actions by period"] = [["x"]]
    assert parse_plan(grids).selected_period is None


def test_serial_dates_from_google_and_datetimes_from_xlsx():
    results: list[dict[str, CellValue]] = [
        {"id": "R1", "due_date": 46112},  # Google: a serial number
        {"id": "R2", "due_date": datetime(2026, 3, 31)},  # openpyxl: a datetime
        {"id": "R3", "due_date": "31/03/26"},  # typed as text
    ]
    plan = parse_plan(plan_grids(results=results))
    assert [r.due for r in plan.results] == [date(2026, 3, 31)] * 3


def test_a_real_workbook_read_back_with_openpyxl(tmp_path):
    """Cells as openpyxl hands them over (datetimes, ints, floats, None) parse cleanly."""
    wb = openpyxl.Workbook()
    wb.active.title = "Objectifs"
    for row in objectives_grid(
        {"marketing_objective": "Leads", "id": "R1", "baseline": 0, "target": 10, "current": 2.5,
         "due_date": datetime(2026, 3, 31)}
    ):  # fmt: skip
        wb.active.append(row)
    ws = wb.create_sheet("Suivi des actions")
    for row in plan_grids(actions=[action(id="A-001", title="Audit", estimate=1.5, period="P1")])[
        "Suivi des actions"
    ]:
        ws.append(row)
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    loaded = openpyxl.load_workbook(path, data_only=True)
    grids = {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in loaded.worksheets}
    plan = parse_plan(grids)
    assert [(i.code, i.sheet) for i in plan.issues] == [("missing-tab", "Réglages")]
    assert plan.results[0].due == date(2026, 3, 31)
    assert (plan.actions[0].estimate, plan.actions[0].period) == (1.5, "P1")


def test_every_issue_message_names_the_cell():
    plan = parse_plan(
        plan_grids(
            actions=[action(id="A-1", title="x", status="??", impact=9, estimate="x", period="P9")],
            results=[{"id": "R1", "due_date": "hier"}],
        )
    )
    assert len(plan.issues) == 5
    for issue in plan.issues:
        assert issue.cell in issue.message and issue.sheet in issue.message


# --- robustness: any grid content parses without raising ------------------------------
NAMES = [
    label
    for names in (template.SETTINGS_COLUMNS, template.OBJECTIVE_COLUMNS, template.ACTION_COLUMNS,
                  template.PARAMETERS)
    for name in names
    for label in (name.fr, name.en)
]  # fmt: skip
NAMES += ["todo", "done", "En cours", "P1", "P2", "A-001", "R1", "15/01/2026", "1,5", "2 j", ""]
TITLES = [label for tab in template.ALL_TABS for label in (tab.fr, tab.en)]

cells = st.one_of(
    st.none(),
    st.sampled_from(NAMES),
    st.text(max_size=12),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)
grids = st.lists(st.lists(cells, max_size=8), max_size=10)
spreadsheets = st.dictionaries(
    st.one_of(st.sampled_from(TITLES), st.text(max_size=8)), grids, max_size=7
)


@settings(max_examples=150, deadline=None)
@given(spreadsheet=spreadsheets, locale=st.sampled_from([None, "fr", "en"]))
def test_random_grids_never_raise(spreadsheet, locale):
    plan = parse_plan(spreadsheet, locale)
    for issue in plan.issues:
        assert issue.code in ERROR_CODES | WARNING_CODES
        parse_a1(issue.cell)
    ids = [a.id.casefold() for a in plan.actions]
    assert len(ids) == len(set(ids))
    assert all(1 <= a.impact <= 5 and 1 <= a.effort <= 5 for a in plan.actions)
    compute_plan(plan, date(2026, 1, 6))  # and what was parsed computes
    assert all(a.estimate is None or a.estimate >= 0 for a in plan.actions)


INPUT_TITLES = [label for tab in template.INPUT_TABS for label in (tab.fr, tab.en)]
HEADER_NAMES = [
    label
    for names in (template.SETTINGS_COLUMNS, template.OBJECTIVE_COLUMNS, template.ACTION_COLUMNS)
    for name in names
    for label in (name.fr, name.en, *name.aliases)
]


@st.composite
def tab_with_a_header(draw):
    """Random junk rows, with a header row of known (and junk) names at a random row."""
    width = draw(st.integers(min_value=1, max_value=10))
    junk = st.lists(cells, min_size=0, max_size=width)
    rows = draw(st.lists(junk, max_size=8))
    header = draw(
        st.lists(st.one_of(st.sampled_from(HEADER_NAMES), cells), min_size=1, max_size=width)
    )
    rows.insert(draw(st.integers(min_value=0, max_value=len(rows))), header)
    if draw(st.booleans()):  # a second header lower down: stacked tables in Réglages
        rows.insert(draw(st.integers(min_value=0, max_value=len(rows))), list(reversed(header)))
    return rows


@settings(max_examples=120, deadline=None)
@given(
    spreadsheet=st.dictionaries(st.sampled_from(INPUT_TITLES), tab_with_a_header(), max_size=4),
    locale=st.sampled_from([None, "fr", "en"]),
)
def test_random_headers_at_random_rows_never_raise(spreadsheet, locale):
    plan = parse_plan(spreadsheet, locale)
    for issue in plan.issues:
        assert issue.code in ERROR_CODES | WARNING_CODES
        parse_a1(issue.cell)
        assert issue.message
    assert all(1 <= a.impact <= 5 and 1 <= a.effort <= 5 for a in plan.actions)
    compute_plan(plan, date(2026, 1, 6))  # and what was parsed computes
