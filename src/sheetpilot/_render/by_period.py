"""Actions par période / Actions by period: the period chosen in F2, its actions, and an
overview of every period.

    row 1   title
    row 2   E2 "Période :"   F2 the selector (a dropdown of period names)
    4–12    the selected period: start, end, days, working days, actions, person-days,
            done, capacity, load (labels in A, values in B)
    14      "Actions de la période", then its header and one row per action (A–G)
    3–      to the right, from column I: "Toutes les périodes", its header and one row
            per period (not under the wide Action and Description columns)

The selected block is live: sheetpilot computes every period and writes all of them
(figures and action lists) into the hidden `Données calculées` tab (`period_data`); B4:B12
and the action rows are formulas keyed on $F$2 over that data, so choosing another period
in F2 shows it at once, without a sync. They use only INDEX, MATCH, IF and IFERROR (Google
Sheets, Excel 2010+ and LibreOffice all share them, none is volatile), English names and
`,` separators; each carries its result for the F2 this sync leaves as its cached value.
There are as many action rows as the largest period lists; the rows past a period's own
actions show nothing, and its first row says when it has none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sheetpilot._cells import CellValue, col_letter, quote_tab
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
_MIN_WIDTHS = (170, 220, 300, 140, 110, 110, 90)
# The overview: to the right of the action list (a blank column between), from row 3.
OVERVIEW_COL = len(ACTION_HEADERS) + 1
OVERVIEW_ROW = BLOCK_ROW - 1
_OVERVIEW_WIDTHS = (90, 100, 100, 70, 100, 80, 110, 110, 110, 90)
_GAP_WIDTH = 24
# Action and Description read in full: as wide as their longest text, up to these widths
# (longer text wraps).
_TEXT_COLS = {1: 480, 2: 640}
_PX_PER_CHAR = 7  # a character of body text, roughly, in the default font

# Where the period data sits in the hidden computed-data tab (columns A–C are the result
# lookups of the input tabs): one row per period from E, then the action lists from R.
PERIOD_COL = 4
PERIOD_HEADERS = (
    N_("Period"),
    *BLOCK,
    N_("Actions listed before"),
    N_("Actions listed"),
)
ACTION_COL = PERIOD_COL + len(PERIOD_HEADERS) + 1
DATA_COLS = ACTION_COL + len(ACTION_HEADERS)  # the data tab's width
_OFFSET = len(PERIOD_HEADERS) - 2  # field index of "listed before"
_LISTED = len(PERIOD_HEADERS) - 1


@dataclass(frozen=True)
class PeriodData:
    """Every period as the data tab holds it: one row per period (its name, the block's
    figures, how many listed actions come before its own in `actions`, how many it lists),
    and every period's action list, one after the other (the lines of the tab's list)."""

    periods: tuple[tuple[CellValue, ...], ...]
    actions: tuple[tuple[CellValue, ...], ...]
    longest: int  # the most actions one period lists


def _figures(period: PeriodSummary) -> list[CellValue]:
    return [
        period.start,
        period.end,
        period.days,
        period.working_days,
        period.actions,
        period.person_days,
        period.done_person_days,
        period.capacity,
        period.load,
    ]


def _line(action: Action, rank_of: dict[str, int]) -> tuple[CellValue, ...]:
    return (
        action.workstream,
        action.title,
        action.description,
        action.owner,
        action.estimate,
        action.status,
        _rank(action, rank_of),
    )


def _f2_text(plan: ParsedPlan, result: PlanResult) -> tuple[PeriodSummary | None, str | None]:
    """The period the sync selects and the text F2 holds once it is done."""
    selected = select_period(result.periods, plan.selected_period, result.today)
    chosen = plan.selected_period
    if selected is not None and not (chosen and normalize(chosen) == normalize(selected.name)):
        chosen = selected.name
    return selected, chosen


def period_data(plan: ParsedPlan, result: PlanResult) -> PeriodData:
    """What the live block looks up. When F2 holds a choice spelled unlike its period
    (other accents or punctuation), that spelling gets a row of its own, so the lookup
    (which ignores case only) finds it."""
    rank_of = ranks(result)
    by_name: dict[str, list[Action]] = {}
    for action in plan.actions:
        if action.period is not None and action.status_type != StatusType.CANCELLED:
            by_name.setdefault(normalize(action.period), []).append(action)
    unranked = len(plan.actions) + len(result.order) + 1
    periods: list[tuple[CellValue, ...]] = []
    actions: list[tuple[CellValue, ...]] = []
    placed: dict[str, tuple[int, int]] = {}
    longest = 0
    for period in result.periods:
        key = normalize(period.name)
        if key in placed:  # a name repeated: MATCH finds its first row only
            offset, count = placed[key]
        else:
            listed = sorted(
                by_name.get(key, []), key=lambda a: (_rank(a, rank_of) or unranked, a.row)
            )
            offset, count = len(actions), len(listed)
            actions.extend(_line(a, rank_of) for a in listed)
            placed[key] = (offset, count)
            longest = max(longest, count)
        periods.append((period.name, *_figures(period), offset, count))
    selected, chosen = _f2_text(plan, result)
    if selected is not None and chosen and chosen.casefold() != selected.name.casefold():
        offset, count = placed[normalize(selected.name)]
        periods.append((chosen, *_figures(selected), offset, count))
    return PeriodData(tuple(periods), tuple(actions), longest)


def _lookups(data_title: str, periods: int) -> tuple[str, str]:
    """The MATCH that finds F2's row among the periods, and the period column template."""
    tab = quote_tab(data_title)
    last = periods + 1

    def column(field: int) -> str:
        letter = col_letter(PERIOD_COL + field)
        return f"{tab}${letter}$2:${letter}${last}"

    return f'MATCH($F$2&"",{column(0)},0)', column(0)


def block_formula(data_title: str, periods: int, field: int) -> str:
    """The formula of a block figure (`field` 1–9 of `PERIOD_HEADERS`): F2's value.

    >>> print(block_formula("Données", 3, 1))
    =IFERROR(IF(INDEX('Données'!$F$2:$F$4,MATCH($F$2&"",'Données'!$E$2:$E$4,0))="","",INDEX('Données'!$F$2:$F$4,MATCH($F$2&"",'Données'!$E$2:$E$4,0))),"")
    """
    found = _period_field(data_title, periods, field)
    return f'=IFERROR(IF({found}="","",{found}),"")'


def _period_field(data_title: str, periods: int, field: int) -> str:
    match, _ = _lookups(data_title, periods)
    letter = col_letter(PERIOD_COL + field)
    tab = quote_tab(data_title)
    return f"INDEX({tab}${letter}$2:${letter}${periods + 1},{match})"


def action_formula(
    data_title: str, periods: int, position: int, field: int, none: str | None = None
) -> str:
    """The formula of the `position`-th (1-based) action row's `field` (0–6 of
    `ACTION_HEADERS`): blank past the period's own actions; with `none`, that text when
    the period lists no action."""
    tab = quote_tab(data_title)
    letter = col_letter(ACTION_COL + field)
    offset = _period_field(data_title, periods, _OFFSET)
    count = _period_field(data_title, periods, _LISTED)
    item = f"INDEX({tab}${letter}:${letter},{offset}+{position + 1})"
    shown = f'IF({item}="","",{item})'
    if none is not None:
        text = none.replace('"', '""')
        return f'=IFERROR(IF({count}=0,"{text}",{shown}),"")'
    return f'=IFERROR(IF({position}>{count},"",{shown}),"")'


def _widths(
    action_headers: Sequence[str],
    overview_headers: Sequence[str],
    data: PeriodData | None,
    listed: Sequence[Action],
) -> tuple[int, ...]:
    """Pixels per column: the action list's (Action and Description as wide as the
    longest text any period lists), a narrow gap, then the overview's."""
    widths = list(column_widths(_MIN_WIDTHS, action_headers))
    lines = (
        data.actions
        if data is not None
        else [(a.workstream, a.title, a.description) for a in listed]
    )
    for col, most in _TEXT_COLS.items():
        longest = max((len(str(line[col] or "")) for line in lines), default=0)
        widths[col] = max(widths[col], min(most, longest * _PX_PER_CHAR + 16))
    return (*widths, _GAP_WIDTH, *column_widths(_OVERVIEW_WIDTHS, overview_headers))


SELECTOR_NOTE = N_("Pick a period from the list")
# Colours: the selected period's load, and the overview's load column (beside the action
# list, from its first period row down), red over 100 %.
LOAD_CELL = (BLOCK_ROW + BLOCK.index("Load"), 1)
OVERVIEW_LOAD_COL = OVERVIEW_COL + OVERVIEW_HEADERS.index("Load")
_HIGHLIGHTS = (
    over_capacity(*LOAD_CELL, end_row=LOAD_CELL[0] + 1),
    over_capacity(OVERVIEW_ROW + 2, OVERVIEW_LOAD_COL, end_row=None),
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
    plan: ParsedPlan,
    result: PlanResult,
    title: str,
    index: int,
    t: Translator,
    data_title: str | None = None,
) -> TargetTab:
    """The period dashboard; its middle block follows the user's choice in F2, live, from
    the period data in `data_title` (the hidden computed-data tab)."""
    locale = plan.locale
    day = date_format(locale)
    canvas = Canvas()
    canvas.put(0, 0, BY_PERIOD.label(locale), bold=True)
    canvas.put(1, 4, t(SELECTOR_LABEL), bold=True)
    selected, chosen = _f2_text(plan, result)
    if selected is not None and chosen != plan.selected_period:
        # blank, unknown or still our own default: today's period, and G2 says it is
        # automatic, until the user picks another period in F2 (then G2 shows nothing)
        marker = auto_marker(selected.name, locale)
        quoted = marker.replace('"', '""')
        name = selected.name.replace('"', '""')
        canvas.put(
            SELECTOR[0],
            SELECTOR[1] + 1,
            marker,
            formula=f'=IF($F$2&""="{name}","{quoted}","")' if data_title else None,
        )
    canvas.put(*SELECTOR, chosen, bold=True)  # a valid choice of the user's stays as typed

    live = selected is not None and data_title is not None
    data = period_data(plan, result) if live else None
    periods = len(data.periods) if data else 0
    values = _figures(selected) if selected is not None else []
    formats = (day, day, INTEGER, INTEGER, INTEGER, PERSON_DAYS, PERSON_DAYS, PERSON_DAYS, PERCENT)
    for offset, label in enumerate(BLOCK):
        row = BLOCK_ROW + offset
        canvas.put(row, 0, t(label))
        if values:
            formula = block_formula(data_title, periods, offset + 1) if data_title else None
            canvas.put(row, 1, values[offset], formats[offset], formula=formula if live else None)

    row = BLOCK_ROW + len(BLOCK) + 1
    canvas.put(row, 0, t(ACTIONS_TITLE), bold=True)
    action_headers = [t(h) for h in ACTION_HEADERS]
    canvas.line(row + 1, action_headers, bold=True)
    row += 2
    listed = period_actions(plan.actions, selected, result) if selected else []
    rank_of = ranks(result)
    line_formats = (None, None, None, None, PERSON_DAYS, None, INTEGER)
    if data is not None and data_title is not None:
        lines = [_line(a, rank_of) for a in listed]
        for position in range(1, max(data.longest, 1) + 1):
            shown = lines[position - 1] if position <= len(lines) else (None,) * len(line_formats)
            for field, fmt in enumerate(line_formats):
                value = shown[field]
                none = None
                if position == 1 and field == 0:
                    none = t(NO_ACTIONS)
                    value = value if lines else none
                formula = action_formula(data_title, periods, position, field, none)
                canvas.put(row, field, value, fmt, formula=formula)
            row += 1
    else:
        for action in listed:
            canvas.line(row, list(_line(action, rank_of)), line_formats)
            row += 1
        if not listed:
            canvas.put(row, 0, t(NO_ACTIONS))
            row += 1

    # the overview sits to the right of the block and the action list, not under their
    # wide text columns: its title in row 3, its header in row 4, one row per period
    canvas.put(OVERVIEW_ROW, OVERVIEW_COL, t(OVERVIEW_TITLE), bold=True)
    overview_headers = [t(h) for h in OVERVIEW_HEADERS]
    for col, text in enumerate(overview_headers, start=OVERVIEW_COL):
        canvas.put(OVERVIEW_ROW + 1, col, text, bold=True)
    for row, period in enumerate(result.periods, start=OVERVIEW_ROW + 2):
        for col, (value, fmt) in enumerate(
            zip([period.name, *_figures(period)], [None, *formats], strict=True),
            start=OVERVIEW_COL,
        ):
            canvas.put(row, col, value, fmt)

    validations: tuple[ListValidation, ...] = ()
    if result.periods:
        names = tuple(p.name for p in result.periods)
        validations = (ListValidation(title, *SELECTOR, values=names, prompt=t(SELECTOR_NOTE)),)
    layout = TabLayout(
        title=title,
        column_widths=_widths(action_headers, overview_headers, data, listed),
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
