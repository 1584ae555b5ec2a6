"""Tableau de bord / Dashboard: two native charts over three tool-owned tables.

    row 1    title
    row 2    the current period (the one holding today)
    3–21     the charts: load against capacity per period; progress against expected
    row 22   the tables' titles, side by side: per period (A–D), per objective (F–I),
             owners over capacity in the current and next period (K–N)
    row 23   their headers, then one row per item (or an empty-state line)

The tables sit side by side so that each grows on its own: a period added changes the
load chart's range only. The charts read only these tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sheetpilot._cells import CellValue
from sheetpilot._i18n import HEALTH_WORDS, N_, Translator
from sheetpilot._models import OwnerLoad, ParsedPlan, PeriodSummary, PlanResult
from sheetpilot._render.formats import PERCENT, PERSON_DAYS
from sheetpilot._render.highlights import AMBER, RED, cell_is, over_column
from sheetpilot._render.targets import Canvas, TargetTab
from sheetpilot._template import DASHBOARD
from sheetpilot._workbook import Chart, ChartSeries, TabLayout

CURRENT_ROW = 1
CHART_ROW = 2
CHART_ROWS = 18
TABLE_ROW = 21  # the tables' titles; their headers on the next row
HEADER_ROW = TABLE_ROW + 1
FIRST_ROW = HEADER_ROW + 1
LOAD_COL, OBJECTIVES_COL, OWNERS_COL = 0, 5, 10
ROW_PX = 21  # the default row height, in pixels

LOAD_TITLE = N_("Load per period")
LOAD_HEADERS = (
    N_("Period"),
    N_("Planned (person-days)"),
    N_("Done (person-days)"),
    N_("Capacity (person-days)"),
)
NO_PERIOD = N_("No period.")
LOAD_CHART = N_("Planned and done person-days against capacity")
OBJECTIVES_TITLE = N_("Objectives")
OBJECTIVE_HEADERS = (N_("Objective"), N_("Progress"), N_("Expected today"), N_("Health"))
NO_OBJECTIVE = N_("No objective.")
OBJECTIVES_CHART = N_("Progress against expected progress today")
OWNERS_TITLE = N_("Owners over capacity (current and next period)")
OWNER_HEADERS = (
    N_("Owner"),
    N_("Period"),
    N_("Person-days"),
    N_("Capacity (person-days)"),
)
NO_OWNER = N_("No owner over capacity.")
CURRENT = N_("Current period: {period}")
NO_CURRENT = N_("No period holds today.")
# Each table: its first column, title and headers (what `_ownership` knows as ours).
TABLES = (
    (LOAD_COL, LOAD_TITLE, LOAD_HEADERS),
    (OBJECTIVES_COL, OBJECTIVES_TITLE, OBJECTIVE_HEADERS),
    (OWNERS_COL, OWNERS_TITLE, OWNER_HEADERS),
)
_WIDTHS = (110, 150, 150, 160, 60, 240, 100, 150, 100, 60, 150, 90, 110, 160)


def current_and_next(
    periods: Sequence[PeriodSummary], today: date
) -> tuple[PeriodSummary | None, PeriodSummary | None]:
    """The period holding `today` and the one after it (the first to start after today)."""
    current = next((p for p in periods if p.start <= today <= p.end), None)
    upcoming = next((p for p in periods if p.start > today), None)
    return current, upcoming


def over_capacity(result: PlanResult) -> list[OwnerLoad]:
    """The owners over capacity in the current and the next period, period by period."""
    current, upcoming = current_and_next(result.periods, result.today)
    names = [p.name for p in (current, upcoming) if p is not None]
    return [
        load
        for name in names
        for load in result.owners
        if load.period == name and load.person_days > load.capacity
    ]


def _table(
    canvas: Canvas,
    col: int,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[CellValue]],
    formats: Sequence[str | None],
    empty: str,
) -> int:
    """Lay one table out from `col`; the row past its last data row."""
    canvas.put(TABLE_ROW, col, title, bold=True)
    for k, header in enumerate(headers):
        canvas.put(HEADER_ROW, col + k, header, bold=True)
    if not rows:
        canvas.put(FIRST_ROW, col, empty)
        return FIRST_ROW + 1
    for offset, values in enumerate(rows):
        for k, value in enumerate(values):
            canvas.put(FIRST_ROW + offset, col + k, value, formats[k] if k < len(formats) else None)
    return FIRST_ROW + len(rows)


def _px(first: int, cols: int) -> int:
    return sum(_WIDTHS[first : first + cols])


def dashboard_tab(
    plan: ParsedPlan, result: PlanResult, title: str, index: int, t: Translator
) -> TargetTab:
    """The dashboard's tables and charts (labels in the plan's language)."""
    canvas = Canvas()
    canvas.put(0, 0, DASHBOARD.label(plan.locale), bold=True)
    current, _ = current_and_next(result.periods, result.today)
    canvas.put(CURRENT_ROW, 0, t(CURRENT, period=current.name) if current else t(NO_CURRENT))
    load_end = _table(
        canvas,
        LOAD_COL,
        t(LOAD_TITLE),
        [t(h) for h in LOAD_HEADERS],
        [[p.name, p.person_days, p.done_person_days, p.capacity] for p in result.periods],
        (None, PERSON_DAYS, PERSON_DAYS, PERSON_DAYS),
        t(NO_PERIOD),
    )
    objectives_end = _table(
        canvas,
        OBJECTIVES_COL,
        t(OBJECTIVES_TITLE),
        [t(h) for h in OBJECTIVE_HEADERS],
        [
            [
                o.objective,
                o.progress,
                o.expected,
                t(HEALTH_WORDS[o.health]) if o.health else None,
            ]
            for o in result.objectives
        ],
        (None, PERCENT, PERCENT, None),
        t(NO_OBJECTIVE),
    )
    _table(
        canvas,
        OWNERS_COL,
        t(OWNERS_TITLE),
        [t(h) for h in OWNER_HEADERS],
        [[o.owner, o.period, o.person_days, o.capacity] for o in over_capacity(result)],
        (None, None, PERSON_DAYS, PERSON_DAYS),
        t(NO_OWNER),
    )
    height = CHART_ROWS * ROW_PX
    charts = (
        Chart(
            sheet=title,
            kind="combo",
            title=t(LOAD_CHART),
            header_row=HEADER_ROW,
            last_row=load_end - 1,
            domain_col=LOAD_COL,
            series=(
                ChartSeries(LOAD_COL + 1, "column"),
                ChartSeries(LOAD_COL + 2, "column"),
                ChartSeries(LOAD_COL + 3, "line"),
            ),
            anchor=(CHART_ROW, LOAD_COL),
            span=(CHART_ROWS, 5),
            size=(_px(LOAD_COL, 5), height),
        ),
        Chart(
            sheet=title,
            kind="bar",
            title=t(OBJECTIVES_CHART),
            header_row=HEADER_ROW,
            last_row=objectives_end - 1,
            domain_col=OBJECTIVES_COL,
            series=(
                ChartSeries(OBJECTIVES_COL + 1, "bar"),
                ChartSeries(OBJECTIVES_COL + 2, "bar"),
            ),
            anchor=(CHART_ROW, OBJECTIVES_COL),
            span=(CHART_ROWS, 5),
            size=(_px(OBJECTIVES_COL, 5), height),
        ),
    )
    late, at_risk = t(HEALTH_WORDS["late"]), t(HEALTH_WORDS["at risk"])
    health_col = OBJECTIVES_COL + OBJECTIVE_HEADERS.index("Health")
    highlights = (
        over_column(FIRST_ROW, LOAD_COL + 1, LOAD_COL + 3),  # planned above capacity
        over_column(FIRST_ROW, OWNERS_COL + 2, OWNERS_COL + 3),  # an owner over capacity
        cell_is(FIRST_ROW, health_col, late, RED),
        cell_is(FIRST_ROW, health_col, at_risk, AMBER),
    )
    layout = TabLayout(
        title=title,
        column_widths=_WIDTHS,
        frozen_rows=0,
        index=index,
        highlights=highlights,
        printable=True,
    )
    return TargetTab("dashboard", title, canvas.cells, layout, charts=charts)
