"""Actions par période / Actions by period: the period chosen in F2, its actions, and an
overview of every period.

    row 1   title
    row 2   E2 "Période :"   F2 the selector (a dropdown of period names)
    4–12    the selected period: start, end, days, working days, actions, person-days,
            done, capacity, load (labels in A, values in B)
    14      "Actions de la période", then its header and one row per action
    then    "Toutes les périodes", its header and one row per period
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sheetpilot._cells import CellValue
from sheetpilot._i18n import N_, Translator
from sheetpilot._models import Action, ParsedPlan, PeriodSummary, PlanResult, StatusType
from sheetpilot._parse.selector import auto_marker
from sheetpilot._render.formats import INTEGER, PERCENT, PERSON_DAYS, column_widths, date_format
from sheetpilot._render.highlights import over_capacity
from sheetpilot._render.priorities import ranks
from sheetpilot._render.targets import Canvas, TargetTab
from sheetpilot._template import BY_PERIOD, normalize
from sheetpilot._workbook import ListValidation, TabLayout

SELECTOR = (1, 5)  # F2
# Labels: English msgids, said in the plan's language by the catalog (`t`).
SELECTOR_LABEL = N_("Period:")
BLOCK_ROW = 3
BLOCK = (
    N_("Start"),
    N_("End"),
    N_("Duration (days)"),
    N_("Working days"),
    N_("Number of actions"),
    N_("Estimated load (person-days)"),
    N_("Done (person-days)"),
    N_("Capacity (person-days)"),
    N_("Load"),
)
ACTIONS_TITLE = N_("Actions in this period")
NO_ACTIONS = N_("No action in this period.")
ACTION_HEADERS = (
    N_("Workstream"),
    N_("Action"),
    N_("Description"),
    N_("Owner"),
    N_("Estimate (person-days)"),
    N_("Status"),
    N_("Rank"),
)
OVERVIEW_TITLE = N_("All periods")
OVERVIEW_HEADERS = (
    N_("Period"),
    N_("Start"),
    N_("End"),
    N_("Days"),
    N_("Working days"),
    N_("Actions"),
    N_("Estimated (person-days)"),
    N_("Done (person-days)"),
    N_("Capacity (person-days)"),
    N_("Load"),
)
_MIN_WIDTHS = (170, 220, 300, 140, 110, 110, 90, 110, 110, 100)
SELECTOR_NOTE = N_("Pick a period from the list")
# Colours: the selected period's load, and the overview's load column (below the block:
# the action list never reaches that column), red over 100 %.
LOAD_CELL = (BLOCK_ROW + BLOCK.index("Load"), 1)
OVERVIEW_LOAD_COL = OVERVIEW_HEADERS.index("Load")
_HIGHLIGHTS = (
    over_capacity(*LOAD_CELL, end_row=LOAD_CELL[0] + 1),
    over_capacity(BLOCK_ROW + len(BLOCK) + 1, OVERVIEW_LOAD_COL, end_row=None),
)
_WRAPPED = (ACTION_HEADERS.index("Action"), ACTION_HEADERS.index("Description"))


def select_period(
    periods: Sequence[PeriodSummary], chosen: str | None, today: date
) -> PeriodSummary | None:
    """The period F2 shows: the one `chosen` names (any case or accents), else the one
    holding `today`, else the first; None when there are no periods."""
    if chosen is not None:
        wanted = normalize(chosen)
        for period in periods:
            if normalize(period.name) == wanted:
                return period
    for period in periods:
        if period.start <= today <= period.end:
            return period
    return periods[0] if periods else None


def period_actions(
    actions: Sequence[Action], period: PeriodSummary, result: PlanResult
) -> list[Action]:
    """The period's actions (cancelled ones left out, as in its count): by rank, then row."""
    wanted = normalize(period.name)
    rank_of = ranks(result)
    chosen = [
        a
        for a in actions
        if a.period is not None
        and normalize(a.period) == wanted
        and a.status_type != StatusType.CANCELLED
    ]
    unranked = len(actions) + len(result.order) + 1
    return sorted(chosen, key=lambda a: (_rank(a, rank_of) or unranked, a.row))


def _rank(action: Action, rank_of: dict[str, int]) -> int | None:
    return rank_of.get(action.id) if action.is_open else None


def by_period_tab(
    plan: ParsedPlan, result: PlanResult, title: str, index: int, t: Translator
) -> TargetTab:
    """The period dashboard; its middle block follows the user's choice in F2."""
    locale = plan.locale
    day = date_format(locale)
    canvas = Canvas()
    canvas.put(0, 0, BY_PERIOD.label(locale), bold=True)
    canvas.put(1, 4, t(SELECTOR_LABEL), bold=True)
    selected = select_period(result.periods, plan.selected_period, result.today)
    chosen = plan.selected_period
    if selected is not None and not (chosen and normalize(chosen) == normalize(selected.name)):
        # blank, unknown or still our own default: today's period, and G2 says it is automatic
        chosen = selected.name
        canvas.put(SELECTOR[0], SELECTOR[1] + 1, auto_marker(selected.name, locale))
    canvas.put(*SELECTOR, chosen, bold=True)  # a valid choice of the user's stays as typed

    values: list[CellValue] = []
    if selected is not None:
        values = [
            selected.start,
            selected.end,
            selected.days,
            selected.working_days,
            selected.actions,
            selected.person_days,
            selected.done_person_days,
            selected.capacity,
            selected.load,
        ]
    formats = (day, day, INTEGER, INTEGER, INTEGER, PERSON_DAYS, PERSON_DAYS, PERSON_DAYS, PERCENT)
    for offset, label in enumerate(BLOCK):
        row = BLOCK_ROW + offset
        canvas.put(row, 0, t(label))
        if values:
            canvas.put(row, 1, values[offset], formats[offset])

    row = BLOCK_ROW + len(BLOCK) + 1
    canvas.put(row, 0, t(ACTIONS_TITLE), bold=True)
    action_headers = [t(h) for h in ACTION_HEADERS]
    canvas.line(row + 1, action_headers, bold=True)
    row += 2
    listed = period_actions(plan.actions, selected, result) if selected else []
    rank_of = ranks(result)
    for action in listed:
        canvas.line(
            row,
            [
                action.workstream,
                action.title,
                action.description,
                action.owner,
                action.estimate,
                action.status,
                _rank(action, rank_of),
            ],
            [None, None, None, None, PERSON_DAYS, None, INTEGER],
        )
        row += 1
    if not listed:
        canvas.put(row, 0, t(NO_ACTIONS))
        row += 1

    row += 1
    canvas.put(row, 0, t(OVERVIEW_TITLE), bold=True)
    overview_headers = [t(h) for h in OVERVIEW_HEADERS]
    canvas.line(row + 1, overview_headers, bold=True)
    row += 2
    for period in result.periods:
        canvas.line(
            row,
            [
                period.name,
                period.start,
                period.end,
                period.days,
                period.working_days,
                period.actions,
                period.person_days,
                period.done_person_days,
                period.capacity,
                period.load,
            ],
            [
                None,
                day,
                day,
                INTEGER,
                INTEGER,
                INTEGER,
                PERSON_DAYS,
                PERSON_DAYS,
                PERSON_DAYS,
                PERCENT,
            ],
        )
        row += 1

    validations: tuple[ListValidation, ...] = ()
    if result.periods:
        names = tuple(p.name for p in result.periods)
        validations = (ListValidation(title, *SELECTOR, values=names, prompt=t(SELECTOR_NOTE)),)
    layout = TabLayout(
        title=title,
        column_widths=column_widths(_MIN_WIDTHS, action_headers, overview_headers),
        frozen_rows=2,
        index=index,
        highlights=_HIGHLIGHTS,
        printable=True,
        wrapped=_WRAPPED,
        input_cell=SELECTOR,
        input_note=t(SELECTOR_NOTE),
    )
    return TargetTab(
        "by_period", title, canvas.cells, layout, validations, user_cells=frozenset({SELECTOR})
    )
