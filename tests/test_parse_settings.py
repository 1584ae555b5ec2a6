"""Réglages / Settings: lists side by side, parameters, explicit periods, defaults."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from sheetpilot._models import Owner, PeriodDef, Status, StatusType
from sheetpilot._parse import parse_plan
from sheetpilot._template import DEFAULT_PRIORITIES
from tests.plan_builders import plan_grids, settings_grid


def read(grid, locale="fr"):
    """The settings parsed from `grid`, and the (code, cell) of the issues in that tab."""
    plan = parse_plan(plan_grids(locale, settings=grid))
    found = [(i.code, i.cell) for i in plan.issues if i.sheet == plan.tabs["settings"]]
    return plan.settings, found, plan


def one_issue(grid, code, cell):
    _, found, plan = read(grid)
    assert found == [(code, cell)]
    issue = next(i for i in plan.issues if i.cell == cell and i.code == code)
    assert issue.message.startswith(f"Réglages!{cell}: ")
    return issue


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_no_settings_tab_is_a_missing_tab_but_defaults_still_parse(locale):
    plan = parse_plan(plan_grids(locale, with_settings=False))
    labels = {"fr": "À faire", "en": "To do"}[locale]
    assert plan.settings.statuses[0] == Status(label=labels, type=StatusType.TODO)
    assert [s.type for s in plan.settings.statuses] == list(StatusType)
    assert plan.settings.priorities == DEFAULT_PRIORITIES
    assert plan.settings.plan_start is None
    assert "settings" not in plan.tabs
    title = {"fr": "Réglages", "en": "Settings"}[locale]
    assert [(i.code, i.sheet, i.cell) for i in plan.issues] == [("missing-tab", title, "A1")]
    assert "Statuts" in plan.issues[0].message or "Statuses" in plan.issues[0].message


def test_full_settings_tab_french():
    settings, found, _ = read(settings_grid())
    assert found == []
    assert [(s.label, s.type) for s in settings.statuses][:2] == [
        ("À faire", StatusType.TODO),
        ("En cours", StatusType.DOING),
    ]
    assert settings.priorities == ("P1", "P2", "P3")
    assert settings.workstreams == ("Contenu", "SEO")
    assert settings.owners == (
        Owner(name="Alice", capacity=5.0, sheet="Réglages", capacity_cell="I2"),
        Owner(name="Bruno", capacity=3.0, sheet="Réglages", capacity_cell="I3"),
    )
    assert settings.plan_start == date(2026, 1, 5)
    assert settings.period_length == 10
    assert settings.period_count == 3
    assert settings.explicit_periods == ()


def test_full_settings_tab_english():
    settings, found, _ = read(settings_grid("en", plan_start="2026-01-05"), locale="en")
    assert found == []
    assert settings.statuses[2] == Status(label="Done", type=StatusType.DONE)
    assert settings.owners[1].capacity_cell == "I3"
    assert settings.owners[1].sheet == "Settings"
    assert settings.plan_start == date(2026, 1, 5)


@pytest.mark.parametrize(
    ("label", "kind", "expected"),
    [
        ("Fait", "done", StatusType.DONE),
        ("Fait", "terminé", StatusType.DONE),  # French type labels accepted
        ("Stand-by", "BLOQUÉ", StatusType.BLOCKED),
        ("Go", "en cours", StatusType.DOING),
        ("Terminé", None, StatusType.DONE),  # blank type: inferred from the label
        ("Abandonné", "", StatusType.CANCELLED),
        ("Blocked", None, StatusType.BLOCKED),
    ],
)
def test_status_types(label, kind, expected):
    settings, found, _ = read(settings_grid(statuses=[(label, kind)]))
    assert found == []
    assert settings.statuses == (Status(label=label, type=expected),)


def test_status_without_type_and_unknown_name_is_todo_with_a_warning():
    issue = one_issue(
        settings_grid(statuses=[("À faire", "todo"), ("Idée", None)]), "unknown-value", "B3"
    )
    assert "'Idée'" in issue.message and "todo" in issue.message


def test_unknown_status_type_suggests_the_closest():
    grid = settings_grid(statuses=[("Fini", "terminee"), ("Plus tard", "zzz")])
    settings, found, plan = read(grid)
    assert found == [("unknown-value", "B2"), ("unknown-value", "B3")]
    assert "did you mean 'terminé'?" in plan.issues[0].message
    assert [s.type for s in settings.statuses] == [StatusType.TODO, StatusType.TODO]


def test_empty_lists_fall_back_to_defaults():
    settings, found, _ = read(settings_grid(statuses=[], priorities=[]))
    assert settings.statuses[0].label == "À faire"
    assert settings.priorities == DEFAULT_PRIORITIES
    assert found == []


def test_priorities_keep_their_order_and_drop_repeats():
    settings, _, _ = read(settings_grid(priorities=["Haute", "Moyenne", "haute", "Basse"]))
    assert settings.priorities == ("Haute", "Moyenne", "Basse")


@pytest.mark.parametrize(
    ("capacity", "expected"),
    [(5, 5.0), ("2,5", 2.5), ("4 j-h", 4.0), (None, 0.0), (0, 0.0)],
)
def test_owner_capacity(capacity, expected):
    settings, found, _ = read(settings_grid(owners=[("Alice", capacity)]))
    assert found == []
    assert settings.owners[0].capacity == expected
    assert settings.owners[0].capacity_cell == "I2"


def test_bad_capacity_is_bad_number_at_its_cell():
    grid = settings_grid(owners=[("Alice", 5), ("Bruno", "beaucoup")])
    issue = one_issue(grid, "bad-number", "I3")
    assert "'beaucoup'" in issue.message
    assert read(grid)[0].owners[1].capacity == 0.0


def test_negative_capacity_is_out_of_range():
    grid = settings_grid(owners=[("Alice", -2)])
    one_issue(grid, "out-of-range", "I2")
    assert read(grid)[0].owners[0].capacity == 0.0


def test_owner_without_capacity_column_points_at_the_owner():
    grid = [["Responsables"], ["Alice"], ["Bruno"]]
    settings, _, _ = read(grid)
    assert [(o.name, o.capacity, o.capacity_cell) for o in settings.owners] == [
        ("Alice", 0.0, "A2"),
        ("Bruno", 0.0, "A3"),
    ]


@pytest.mark.parametrize(
    "start",
    [46027, 46027.0, "05/01/2026", "5/1/26", "2026-01-05", date(2026, 1, 5), datetime(2026, 1, 5)],
)
def test_plan_start_in_any_date_form(start):
    settings, found, _ = read(settings_grid(plan_start=start))
    assert found == []
    assert settings.plan_start == date(2026, 1, 5)


def test_unreadable_plan_start_is_bad_date_at_the_value_cell():
    issue = one_issue(settings_grid(plan_start="lundi"), "bad-date", "L2")
    assert "'lundi' is not a date" in issue.message
    assert issue.severity == "error"


def test_blank_plan_start_is_bad_date_at_the_value_cell():
    issue = one_issue(settings_grid(plan_start=None), "bad-date", "L2")
    assert "blank" in issue.message


@pytest.mark.parametrize(
    ("grid", "cell"),
    [
        ([["Statuts", "Type"], ["À faire", "todo"]], "A1"),  # no Paramètre column
        ([["Paramètre", "Valeur"], ["Durée d'une période (jours)", 7]], "A3"),
        ([["Paramètre", "Valeur"], ["Agence", "Acme"], [None, None], ["Nombre de périodes", 3]],
         "A3"),
        ([["Notes", "Paramètre", "Valeur"], [None, "Nombre de périodes", 3]], "B3"),
    ],
)  # fmt: skip
def test_absent_plan_start_is_a_non_blocking_bad_date_saying_what_to_add(grid, cell):
    issue = one_issue(grid, "bad-date", cell)
    assert issue.severity == "error"
    assert "'Début du plan'" in issue.message and "05/01/2026" in issue.message
    assert "Paramètre" in issue.message and "Période/Début/Fin" in issue.message


def test_absent_plan_start_message_in_english():
    plan = parse_plan(
        plan_grids("en", settings=[["Parameter", "Value"], ["Period length (days)", 7]])
    )
    (issue,) = plan.issues
    assert (issue.code, issue.sheet, issue.cell) == ("bad-date", "Settings", "A3")
    assert "'Plan start'" in issue.message and "Period/Start/End" in issue.message


def test_period_table_replaces_plan_start():
    grid = [
        ["Période", "Début", "Fin"],
        ["Sprint 1", "05/01/2026", "16/01/2026"],
        ["Sprint 2", 46038, datetime(2026, 1, 30)],
    ]
    settings, found, _ = read(grid)
    assert found == []
    assert settings.plan_start is None
    assert settings.explicit_periods == (
        PeriodDef(name="Sprint 1", start=date(2026, 1, 5), end=date(2026, 1, 16)),
        PeriodDef(name="Sprint 2", start=date(2026, 1, 16), end=date(2026, 1, 30)),
    )


def test_explicit_periods_beside_the_other_lists():
    grid = settings_grid(
        periods=[("P1", "05/01/2026", "18/01/2026"), ("P2", "19/01/2026", "01/02/2026")]
    )
    settings, found, _ = read(grid)
    assert found == []
    assert [p.name for p in settings.explicit_periods] == ["P1", "P2"]
    assert settings.plan_start == date(2026, 1, 5)  # kept too; the table wins in compute


@pytest.mark.parametrize(
    ("period", "code", "cell"),
    [
        (("P1", "05/01/2026", "01/01/2026"), "bad-date", "P2"),  # ends before it starts
        (("P1", "35/01/2026", "18/01/2026"), "bad-date", "O2"),
        (("P1", "05/01/2026", "jamais"), "bad-date", "P2"),
        (("P1", None, "18/01/2026"), "bad-date", "O2"),
    ],
)
def test_bad_period_rows_are_reported_and_dropped(period, code, cell):
    grid = settings_grid(periods=[period, ("P2", "19/01/2026", "01/02/2026")])
    settings, found, _ = read(grid)
    assert found == [(code, cell)]
    assert [p.name for p in settings.explicit_periods] == ["P2"]


def test_repeated_period_name_is_duplicate_id():
    grid = settings_grid(
        periods=[("P1", "05/01/2026", "18/01/2026"), ("p1", "19/01/2026", "01/02/2026")]
    )
    issue = one_issue(grid, "duplicate-id", "N3")
    assert "N2" in issue.message
    assert len(read(grid)[0].explicit_periods) == 1


def test_period_table_without_dates_is_a_non_blocking_bad_date_beside_it():
    grid = [["Période", None, "Paramètre", "Valeur"], ["P1", None, "Début du plan", "05/01/2026"]]
    issue = one_issue(grid, "bad-date", "B1")
    assert "'Début' and 'Fin'" in issue.message
    settings, _, _ = read(grid)
    assert settings.explicit_periods == () and settings.plan_start == date(2026, 1, 5)


@pytest.mark.parametrize(
    ("length", "expected", "issue"),
    [
        (14, 14, None),
        ("7 jours", 7, None),
        (None, 10, None),
        ("deux", 10, ("bad-number", "L3")),
        (0, 10, ("out-of-range", "L3")),
        (2.5, 10, ("out-of-range", "L3")),
        (-7, 10, ("out-of-range", "L3")),
    ],
)
def test_period_length(length, expected, issue):
    settings, found, _ = read(settings_grid(period_length=length))
    assert settings.period_length == expected
    assert found == ([issue] if issue else [])


@pytest.mark.parametrize(
    ("count", "expected", "issue"),
    [
        (6, 6, None),
        ("4", 4, None),
        (None, None, None),
        ("x", None, ("bad-number", "L4")),
        (-1, None, ("out-of-range", "L4")),
    ],
)
def test_period_count(count, expected, issue):
    settings, found, _ = read(settings_grid(period_count=count))
    assert settings.period_count == expected
    assert found == ([issue] if issue else [])


def test_misspelt_parameter_gets_a_suggestion_other_rows_ignored():
    grid = [
        ["Paramètre", "Valeur"],
        ["Debut du pla", "05/01/2026"],
        ["Agence", "Acme"],  # the user's own row: ignored silently
        ["Début du plan", "05/01/2026"],
    ]
    issue = one_issue(grid, "unknown-value", "A2")
    assert "did you mean 'Début du plan'?" in issue.message


def test_lists_with_headers_on_different_rows_and_blank_cells():
    grid = [
        ["Réglages du plan", None, None, None],
        [None, None, "Priorités", None],
        ["Statuts", "Type", "Urgent", "Chantiers"],
        ["À faire", "todo", None, "SEO"],
        [None, None, "Normal", None],
        ["Terminé", "done", None, "Emailing"],
    ]
    settings, _, _ = read(grid)
    assert [s.label for s in settings.statuses] == ["À faire", "Terminé"]
    assert settings.priorities == ("Urgent", "Normal")
    assert settings.workstreams == ("SEO", "Emailing")


def test_tables_stacked_in_the_same_columns():
    grid = [
        ["Paramètre", "Valeur"],
        ["Début du plan", "05/01/2026"],
        [None, None],
        ["Période", "Début", "Fin"],
        ["S1", "05/01/2026", "09/01/2026"],
    ]
    settings, found, _ = read(grid)
    assert found == []
    assert settings.plan_start == date(2026, 1, 5)
    assert settings.explicit_periods == (
        PeriodDef(name="S1", start=date(2026, 1, 5), end=date(2026, 1, 9)),
    )
