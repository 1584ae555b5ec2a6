"""Priorités / Priorities: the ordered backlog of open actions."""

from __future__ import annotations

from dataclasses import replace

from sheetpilot._cells import CellValue
from sheetpilot._i18n import N_, Translator
from sheetpilot._models import Action, ParsedPlan, PlanResult, RankedAction
from sheetpilot._render.formats import INTEGER
from sheetpilot._render.targets import LISTING_HEADER_ROW, TargetCell, TargetTab, listing_tab
from sheetpilot._template import PRIORITIES

HEADERS = (
    N_("Rank"),
    N_("ID"),
    N_("Action"),
    N_("Workstream"),
    N_("Effective priority"),
    N_("Owner"),
    N_("Period"),
    N_("Status"),
    N_("Blocked by"),
)
_MIN_WIDTHS = (60, 80, 280, 150, 130, 140, 90, 110, 140)


def ranks(result: PlanResult) -> dict[str, int]:
    """Action ID → rank (1-based) for every open action in the priority order."""
    found: dict[str, int] = {}
    for ranked in result.order:
        found.setdefault(ranked.id, ranked.rank)
    return found


def actions_by_id(plan: ParsedPlan) -> dict[str, Action]:
    """Action ID → its row; with a duplicated ID, the first open row (else the first row)."""
    found: dict[str, Action] = {}
    for action in plan.actions:
        held = found.get(action.id)
        if held is None or (action.is_open and not held.is_open):
            found[action.id] = action
    return found


def open_actions_summary(count: int, t: Translator) -> str:
    """'3 actions ouvertes' / '1 open action'.

    >>> open_actions_summary(1, Translator("en")), open_actions_summary(2, Translator("en"))
    ('1 open action', '2 open actions')
    """
    return t.plural("{n} open action", "{n} open actions", count)


# The rank as the row's position (the first action sits below three rows): right on
# whatever row it lands when rows above it are deleted or inserted.
RANK_FORMULA = f"=ROW()-{LISTING_HEADER_ROW + 1}"


def priorities_tab(
    plan: ParsedPlan,
    result: PlanResult,
    title: str,
    index: int,
    t: Translator,
    *,
    positional: bool = False,
) -> TargetTab:
    """The backlog: one row per open action, in rank order.

    `positional` (a backend that writes formulas): each rank is `RANK_FORMULA`, so when
    an action leaves the backlog and the rows below move up, no rank is written again.
    """
    locale = plan.locale
    by_id = actions_by_id(plan)
    tab = listing_tab(
        "priorities",
        title,
        index,
        heading=PRIORITIES.label(locale),
        summary=open_actions_summary(len(result.order), t),
        headers=[t(h) for h in HEADERS],
        rows=(_backlog_row(ranked, by_id.get(ranked.id)) for ranked in result.order),
        min_widths=_MIN_WIDTHS,
        formats=[INTEGER],
        wrapped=(HEADERS.index("Action"),),
    )
    if not positional:
        return tab
    cells = dict(tab.cells)
    for offset, ranked in enumerate(result.order, start=LISTING_HEADER_ROW + 1):
        if ranked.rank == offset - LISTING_HEADER_ROW:  # the rank is the row's position
            cells[(offset, 0)] = TargetCell(ranked.rank, INTEGER, formula=RANK_FORMULA)
    return replace(tab, cells=cells)


def _backlog_row(ranked: RankedAction, action: Action | None) -> list[CellValue]:
    return [
        ranked.rank,
        ranked.id,
        action.title if action else "",
        action.workstream if action else "",
        ranked.effective_priority,
        action.owner if action else "",
        (action.period or "") if action else "",
        action.status if action else "",
        ", ".join(ranked.blocked_by),
    ]
