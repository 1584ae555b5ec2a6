"""Render: from the parsed plan and its computed result to what the spreadsheet should show.

Pure: no I/O, no clock. `render` lays out the tool-owned tabs (keeping the title of
a tab that already exists under any accepted name) and the few writes into input tabs;
`sheetpilot._diff` turns that into the minimal change set.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from sheetpilot._i18n import Catalogs, Translator
from sheetpilot._models import ParsedPlan, PlanResult
from sheetpilot._render.by_period import by_period_tab
from sheetpilot._render.checks import checks_tab
from sheetpilot._render.dashboard import dashboard_tab
from sheetpilot._render.highlights import health_highlights
from sheetpilot._render.input_columns import computed_targets, input_writes
from sheetpilot._render.lookups import lookups_tab
from sheetpilot._render.priorities import priorities_tab
from sheetpilot._render.targets import ComputedTarget, Rendered, TargetCell, TargetTab
from sheetpilot._template import (
    BY_PERIOD,
    CHECKS,
    DASHBOARD,
    INPUT_TABS,
    LOOKUPS,
    PRIORITIES,
    Name,
    find_tab,
)

__all__ = ["ComputedTarget", "Rendered", "TargetCell", "TargetTab", "render"]

_TabBuilder = Callable[[ParsedPlan, PlanResult, str, int, Translator], TargetTab]
_TOOL_TABS: tuple[tuple[Name, _TabBuilder], ...] = (
    (BY_PERIOD, by_period_tab),
    (DASHBOARD, dashboard_tab),
    (PRIORITIES, priorities_tab),
    (CHECKS, checks_tab),
    (LOOKUPS, lookups_tab),
)


def render(
    plan: ParsedPlan,
    result: PlanResult,
    titles: Sequence[str],
    catalogs: Catalogs | None = None,
    *,
    formulas: bool = False,
    sheet_ids: Mapping[str, int] | None = None,
) -> Rendered:
    """The target content of every tool-owned tab, and the writes into input tabs.

    `titles` are the tabs that exist now. A tool-owned tab found among them (FR or EN
    name, any case) keeps its title; a missing one gets the plan locale's title and is
    placed after the input tabs (and after the tool tabs before it). The computed columns
    of the input tabs look their values up in `Priorités` and the hidden lookups tab
    (on a backend that writes `formulas`); the live block of `Actions par période` looks
    its periods up in that same tab, laid out on every backend. The cells of `Contrôles`
    link to the cells they name: by `sheet_ids` (title to the backend's sheet id, as
    Google's links need) when given, else as in-workbook references.
    """
    t = (catalogs or Catalogs())(plan.locale)
    placed = list(titles)
    tabs: list[TargetTab] = []
    before: list[Name] = list(INPUT_TABS)
    data_title = find_tab(placed, LOOKUPS) or LOOKUPS.label(plan.locale)
    for name, build in _TOOL_TABS:
        title = find_tab(placed, name)
        if title is None:
            title = name.label(plan.locale)
            index = _index_after(placed, before)
            placed.insert(index, title)
        else:
            index = placed.index(title)
        if name is BY_PERIOD:
            tabs.append(by_period_tab(plan, result, title, index, t, data_title))
        elif name is PRIORITIES:
            tabs.append(priorities_tab(plan, result, title, index, t, positional=formulas))
        elif name is CHECKS:
            tabs.append(checks_tab(plan, result, title, index, t, sheet_ids))
        else:
            tabs.append(build(plan, result, title, index, t))
        before.append(name)
    titles_of = {tab.key: tab.title for tab in tabs}
    lookups = titles_of.get(LOOKUPS.key) or find_tab(placed, LOOKUPS) or LOOKUPS.label(plan.locale)
    computed = computed_targets(plan, titles_of[PRIORITIES.key], lookups)
    return Rendered(
        tabs=tuple(tabs),
        input_writes=input_writes(plan, result, computed, t),
        computed=computed,
        highlights=health_highlights(plan, t),
    )


def _index_after(titles: Sequence[str], before: Sequence[Name]) -> int:
    """Just after the last tab of `before` present in `titles`, else at the end."""
    positions = [i for i, t in enumerate(titles) if any(n.matches(t) for n in before)]
    return positions[-1] + 1 if positions else len(titles)
