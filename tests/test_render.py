"""Layout of the tool-owned tabs, as a user opening the sheet would see them."""

from __future__ import annotations

from datetime import date

import pytest

from sheetpilot._locales import catalogs
from sheetpilot._models import (
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
from sheetpilot._render import Rendered
from sheetpilot._render import render as render_with
from sheetpilot._template import Locale, normalize

ACTIONS_TAB = "Suivi des actions"
INPUT_TITLES = ["Réglages", "Objectifs", ACTIONS_TAB]
TODAY = date(2026, 1, 16)

PERIODS = (
    PeriodSummary(
        name="P1", start=date(2026, 1, 5), end=date(2026, 1, 14), days=10, working_days=8,
        actions=2, person_days=3.5, done_person_days=2.0, capacity=10.0, load=0.35,
    ),
    PeriodSummary(
        name="P2", start=date(2026, 1, 15), end=date(2026, 1, 24), days=10, working_days=8,
        actions=2, person_days=4.0, done_person_days=0.0, capacity=10.0, load=0.4,
    ),
    PeriodSummary(
        name="Été", start=date(2026, 1, 25), end=date(2026, 2, 3), days=10, working_days=8,
        actions=0, person_days=0.0, done_person_days=0.0, capacity=0.0, load=None,
    ),
)  # fmt: skip


def render(plan, result, titles) -> Rendered:
    """What the sync engine renders: with the package's catalogs (French words for fr)."""
    return render_with(plan, result, titles, catalogs())


def action(
    id: str, row: int, kind: StatusType, period: str | None, estimate: float | None
) -> Action:
    labels = {"todo": "À faire", "doing": "En cours", "done": "Terminé", "cancelled": "Abandonné"}
    return Action(
        sheet=ACTIONS_TAB,
        row=row,
        cells={"id": f"A{row + 1}", "rank": f"J{row + 1}"},
        id=id,
        status=labels[kind.value],
        status_type=kind,
        workstream="SEO",
        title=f"Action {id}",
        description=f"Faire {id}",
        priority="P1",
        owner="Alice",
        estimate=estimate,
        period=period,
    )


ACTIONS = (
    action("A-001", 1, StatusType.DONE, "P1", 2.0),
    action("A-002", 2, StatusType.TODO, "P1", 1.5),
    action("A-003", 3, StatusType.DOING, "P2", 3.0),
    action("A-004", 4, StatusType.CANCELLED, "P2", 5.0),
    action("A-005", 5, StatusType.TODO, "p2", 1.0),
)
ORDER = (
    RankedAction(rank=1, id="A-003", effective_priority="P1"),
    RankedAction(rank=2, id="A-002", effective_priority="P1"),
    RankedAction(rank=3, id="A-005", effective_priority="P2", blocked_by=("A-003",)),
)
ISSUES = (
    Issue.of("overdue", ACTIONS_TAB, "A3", "A-002 est en retard"),
    Issue.of("bad-number", ACTIONS_TAB, "H6", "=SUM(H2:H5) n'est pas un nombre"),
    Issue.of("missing-estimate", ACTIONS_TAB, "H7", "estimation manquante"),
    Issue.of("duplicate-id", ACTIONS_TAB, "A8", "A-001 en double"),
)


def make_plan(selected: str | None = None, locale: Locale = "fr") -> ParsedPlan:
    settings = Settings(
        statuses=(Status(label="À faire", type=StatusType.TODO),), priorities=("P1", "P2", "P3")
    )
    return ParsedPlan(locale=locale, settings=settings, actions=ACTIONS, selected_period=selected)


def make_result(today: date = TODAY, issues: tuple[Issue, ...] = ISSUES) -> PlanResult:
    return PlanResult(
        today=today, periods=PERIODS, owners=(), order=ORDER, objectives=(), issues=issues
    )


def row_values(tab, row: int, width: int) -> list[object]:
    return [tab.value(row, col) for col in range(width)]


def test_by_period_layout_fr():
    tab = render(make_plan(), make_result(), INPUT_TITLES).tab("by_period")

    assert tab.title == "Actions par période"
    assert tab.value(0, 0) == "Actions par période"
    assert tab.cells[(0, 0)].bold
    assert (tab.value(1, 4), tab.value(1, 5)) == ("Période :", "P2")
    start = tab.cells[(3, 1)]
    assert (tab.value(3, 0), start.value, start.number_format) == (
        "Début",
        date(2026, 1, 15),
        "dd/mm/yyyy",
    )
    assert row_values(tab, 9, 2) == ["Réalisé (j-h)", 0.0]
    assert tab.cells[(11, 1)].value == 0.4 and tab.cells[(11, 1)].number_format == "0%"
    assert tab.value(13, 0) == "Actions de la période"
    assert row_values(tab, 14, 7) == [
        "Chantier", "Action", "Description", "Responsable", "Estimation (j-h)", "Statut", "Rang"
    ]  # fmt: skip
    assert all(tab.cells[(14, c)].bold for c in range(7))
    # A-004 is cancelled: left out, as in the period's count; A-005 is typed "p2"
    assert row_values(tab, 15, 7) == [
        "SEO",
        "Action A-003",
        "Faire A-003",
        "Alice",
        3.0,
        "En cours",
        1,
    ]
    assert tab.cells[(15, 4)].number_format == "0.0"
    assert tab.value(16, 1) == "Action A-005"
    assert tab.value(17, 0) is None  # nothing under the action list
    # the overview sits right of the action list (a gap column H), from row 3
    assert tab.value(2, 8) == "Toutes les périodes"
    assert tab.value(3, 8) == "Période" and tab.value(3, 17) == "Taux de charge"
    assert [tab.value(4, c) for c in range(8, 18)] == [
        "P1", date(2026, 1, 5), date(2026, 1, 14), 10, 8, 2, 3.5, 2.0, 10.0, 0.35
    ]  # fmt: skip
    assert [tab.cells[(4, c)].number_format for c in (9, 14, 17)] == ["dd/mm/yyyy", "0.0", "0%"]
    assert tab.value(6, 8) == "Été" and tab.value(6, 17) is None  # no capacity: no load
    assert all(tab.value(r, 7) is None for r in range(tab.rows))
    assert tab.rows == 17 and tab.cols == 18


def test_by_period_lists_open_actions_by_rank_then_closed_ones_without_rank():
    tab = render(make_plan("P1"), make_result(), INPUT_TITLES).tab("by_period")

    assert [tab.value(r, 1) for r in (15, 16)] == ["Action A-002", "Action A-001"]
    assert [tab.value(r, 6) for r in (15, 16)] == [2, None]


def test_by_period_says_so_when_the_period_has_no_action():
    tab = render(make_plan("Été"), make_result(), INPUT_TITLES).tab("by_period")

    assert tab.value(15, 0) == "Aucune action sur cette période."
    # the block keeps as many rows as the longest period lists (P1, P2: two), blank here
    assert tab.value(16, 0) is None and tab.cells[(16, 0)].formula is not None
    assert tab.value(2, 8) == "Toutes les périodes"


@pytest.mark.parametrize(
    ("selected", "shown"),
    [
        ("P1", "P1"),
        ("p1", "p1"),  # a valid choice stays as the user typed it
        ("ETE", "ETE"),
        (" été ", " été "),
        (None, "P2"),
        ("", "P2"),
        ("P9", "P2"),
    ],
)
def test_selector_keeps_a_known_period_else_defaults_to_today(selected, shown):
    tab = render(make_plan(selected), make_result(), INPUT_TITLES).tab("by_period")

    assert tab.value(1, 5) == shown
    start = next(p.start for p in PERIODS if normalize(p.name) == normalize(shown))
    assert tab.value(3, 1) == start


@pytest.mark.parametrize("today", [date(2025, 12, 1), date(2026, 6, 1)])
def test_selector_defaults_to_first_period_when_today_is_outside_the_plan(today):
    tab = render(make_plan(None), make_result(today), INPUT_TITLES).tab("by_period")

    assert tab.value(1, 5) == "P1"


def test_selector_has_a_dropdown_of_period_names():
    tab = render(make_plan(), make_result(), INPUT_TITLES).tab("by_period")

    (validation,) = tab.validations
    assert (validation.sheet, validation.row, validation.col) == (tab.title, 1, 5)
    assert validation.values == ("P1", "P2", "Été")


def test_by_period_english_labels_and_iso_dates():
    tab = render(make_plan(locale="en"), make_result(), INPUT_TITLES).tab("by_period")

    assert tab.title == "Actions by period"
    assert (tab.value(1, 4), tab.value(1, 5)) == ("Period:", "P2")
    assert tab.cells[(3, 1)].number_format == "yyyy-mm-dd"
    assert tab.value(14, 4) == "Estimate (person-days)"


def test_no_periods_keeps_the_users_selector_and_offers_no_dropdown():
    result = make_result().model_copy(update={"periods": ()})
    tab = render(make_plan("Sprint 1"), result, INPUT_TITLES).tab("by_period")

    assert tab.value(1, 5) == "Sprint 1"
    assert tab.value(3, 1) is None
    assert tab.validations == ()


def test_priorities_layout():
    tab = render(make_plan(), make_result(), INPUT_TITLES).tab("priorities")

    assert (tab.title, tab.value(0, 0), tab.value(1, 0)) == (
        "Priorités",
        "Priorités",
        "3 actions ouvertes",
    )
    assert row_values(tab, 2, 9) == [
        "Rang", "ID", "Action", "Chantier", "Priorité effective",
        "Responsable", "Période", "Statut", "Bloquée par",
    ]  # fmt: skip
    assert row_values(tab, 3, 9)[:2] == [1, "A-003"]
    assert row_values(tab, 5, 9) == [
        3, "A-005", "Action A-005", "SEO", "P2", "Alice", "p2", "À faire", "A-003"
    ]  # fmt: skip
    assert tab.rows == 6
    assert tab.layout.frozen_rows == 3


def test_checks_layout_errors_first_then_warnings_in_order_found():
    tab = render(make_plan(), make_result(), INPUT_TITLES).tab("checks")

    assert tab.value(0, 0) == "Contrôles"
    assert tab.value(1, 0) == "2 erreurs, 2 avertissements"
    assert row_values(tab, 2, 5) == ["Onglet", "Cellule", "Gravité", "Code", "Message"]
    assert [tab.value(r, 3) for r in range(3, 7)] == [
        "bad-number", "duplicate-id", "overdue", "missing-estimate"
    ]  # fmt: skip
    assert row_values(tab, 3, 3) == [ACTIONS_TAB, "H6", "Erreur"]
    assert tab.value(5, 2) == "Avertissement"


def test_checks_text_that_looks_like_a_formula_stays_text():
    tab = render(make_plan(), make_result(), INPUT_TITLES).tab("checks")

    assert tab.value(3, 4) == "=SUM(H2:H5) n'est pas un nombre"


@pytest.mark.parametrize(
    ("locale", "issues", "line"),
    [
        ("fr", (), "0 erreur, 0 avertissement"),
        ("en", (), "0 errors, 0 warnings"),
        ("en", ISSUES[:2], "1 error, 1 warning"),
    ],
)
def test_checks_summary(locale, issues, line):
    tab = render(make_plan(locale=locale), make_result(issues=issues), INPUT_TITLES).tab("checks")

    assert tab.value(1, 0) == line
    assert tab.rows == 3 + len(issues)


def test_missing_tool_tabs_get_locale_titles_after_the_input_tabs():
    titles = ["Notes", *INPUT_TITLES, "Archive"]
    tabs = render(make_plan(locale="en"), make_result(), titles).tabs

    assert [(t.title, t.layout.index) for t in tabs] == [
        ("Actions by period", 4),
        ("Dashboard", 5),
        ("Priorities", 6),
        ("Checks", 7),
        ("Computed data", 8),  # hidden: the live period block looks its periods up there
    ]
    assert all(t.layout.title == t.title for t in tabs)


def test_existing_english_tool_tab_keeps_its_title_under_a_french_plan():
    titles = [*INPUT_TITLES, "PRIORITIES"]
    tabs = render(make_plan(locale="fr"), make_result(), titles).tabs

    assert [(t.title, t.layout.index) for t in tabs] == [
        ("Actions par période", 3),
        ("Tableau de bord", 4),
        ("PRIORITIES", 5),
        ("Contrôles", 6),
        ("Données calculées", 7),
    ]
    assert tabs[2].value(2, 0) == "Rang"  # the content still follows the plan's locale


def test_layouts_freeze_header_rows_and_size_columns():
    tabs = {t.key: t for t in render(make_plan(), make_result(), INPUT_TITLES).tabs}

    assert {k: t.layout.frozen_rows for k, t in tabs.items()} == {
        "by_period": 2,
        "dashboard": 0,  # charts on top: nothing to freeze
        "priorities": 3,
        "checks": 3,
        "lookups": 1,
    }
    gap = {"by_period": 7}  # the narrow blank column between the action list and overview
    for key, tab in tabs.items():
        assert len(tab.layout.column_widths) >= tab.cols
        widths = [w for c, w in enumerate(tab.layout.column_widths) if c != gap.get(key)]
        assert all(60 <= w <= 640 for w in widths)
    assert tabs["checks"].layout.column_widths[4] > tabs["checks"].layout.column_widths[1]


def test_action_and_description_are_as_wide_as_the_longest_text_of_any_period():
    plan = make_plan()
    long_text = "Une description vraiment longue " * 2  # 64 characters, in P1 (not shown)
    actions = [a.model_copy(update={"description": long_text}) if a.id == "A-001" else a
               for a in plan.actions]  # fmt: skip
    tab = render(plan.model_copy(update={"actions": tuple(actions)}), make_result(), INPUT_TITLES)
    widths = tab.tab("by_period").layout.column_widths
    assert widths[2] >= 7 * len(long_text)  # Description reads in full
    assert widths[1] >= 7 * len("Action A-003") and widths[7] < 60
