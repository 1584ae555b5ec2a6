"""Parsing: raw grids in, validated models and every problem found out (DESIGN.md §2–§3).

Pure: no I/O, no clock. `parse_plan` never raises on any grid content; each problem is
an Issue pointing at the cell to fix, and a bad cell leaves its field empty. Messages
start with the cell reference ("'Suivi des actions'!H5: ..."), quote the value found
and say what to do.

Modules: `values` (cell → text/date/number, closest known value), `headers` (header
row and column mapping), `settings`, `objectives`, `actions` (one per input tab),
`selector` (the F2 period choice), `issues` (the issue collector), `fields` (one typed
field of a row, with its issue).

>>> plan = parse_plan({"Objectives": [["ID"]], "Action tracking": [["ID"]]})
>>> plan.locale, sorted(plan.tabs), [i.code for i in plan.issues][:2]
('en', ['actions', 'objectives'], ['missing-tab', 'missing-column'])
"""

from __future__ import annotations

from collections.abc import Mapping

from sheetpilot._cells import Grid
from sheetpilot._i18n import Catalogs
from sheetpilot._models import Action, ParsedPlan, Result
from sheetpilot._parse.actions import parse_actions
from sheetpilot._parse.issues import IssueLog
from sheetpilot._parse.objectives import parse_objectives
from sheetpilot._parse.selector import selected_period
from sheetpilot._parse.settings import parse_settings
from sheetpilot._template import (
    ACTION_COLUMNS,
    ACTIONS,
    ALL_TABS,
    COMPUTED_COLUMNS,
    OBJECTIVE_COLUMNS,
    OBJECTIVES,
    SETTINGS,
    SETTINGS_COLUMNS,
    SETTINGS_PERIOD_TABLE,
    Locale,
    Name,
    find_tab,
    normalize,
)

__all__ = ["detect_locale", "find_tabs", "parse_plan"]


def find_tabs(titles: list[str]) -> dict[str, str]:
    """Tab key → actual title, for every template tab present (any locale's name)."""
    found = {tab.key: find_tab(titles, tab) for tab in ALL_TABS}
    return {key: title for key, title in found.items() if title is not None}


def detect_locale(tabs: Mapping[str, str]) -> Locale:
    """'en' when more template tabs carry their English title than their French one.

    >>> detect_locale({"objectives": "Objectives", "actions": "Suivi des actions"})
    'fr'
    """
    names = {tab.key: tab for tab in ALL_TABS}
    en = sum(
        normalize(t) == normalize(names[k].en) != normalize(names[k].fr) for k, t in tabs.items()
    )
    fr = sum(
        normalize(t) == normalize(names[k].fr) != normalize(names[k].en) for k, t in tabs.items()
    )
    return "en" if en > fr else "fr"


def parse_plan(
    grids: Mapping[str, Grid], locale: Locale | None = None, catalogs: Catalogs | None = None
) -> ParsedPlan:
    """Read every input tab of a spreadsheet (title → grid) into a ParsedPlan.

    Messages are in the plan's language from `catalogs` (English msgids without them).
    """
    tabs = find_tabs(list(grids))
    locale = locale or detect_locale(tabs)
    log = IssueLog(t=(catalogs or Catalogs())(locale))
    settings_title = tabs.get(SETTINGS.key)
    if settings_title is None:  # defaults still apply, so that `check` can list everything else
        listed = tuple(c for c in SETTINGS_COLUMNS if c not in SETTINGS_PERIOD_TABLE)  # optional
        _missing_tab(SETTINGS, listed, locale, log)
    settings = parse_settings(
        settings_title, grids[settings_title] if settings_title else None, locale, log
    )
    objectives_title = tabs.get(OBJECTIVES.key)
    results: tuple[Result, ...] | None = None
    if objectives_title is None:
        _missing_tab(OBJECTIVES, OBJECTIVE_COLUMNS, locale, log)
    else:
        results = parse_objectives(objectives_title, grids[objectives_title], settings, locale, log)
    actions_title = tabs.get(ACTIONS.key)
    actions: tuple[Action, ...] = ()
    if actions_title is None:
        _missing_tab(ACTIONS, ACTION_COLUMNS, locale, log)
    else:
        actions = parse_actions(actions_title, grids[actions_title], settings, results, locale, log)
    by_period = tabs.get("by_period")
    return ParsedPlan(
        locale=locale,
        tabs=tabs,
        settings=settings,
        results=results or (),
        actions=actions,
        selected_period=selected_period(grids[by_period] if by_period else None),
        issues=tuple(log.items),
    )


def _missing_tab(tab: Name, columns: tuple[Name, ...], locale: Locale, log: IssueLog) -> None:
    """A missing input tab: say which columns to lay (not the computed ones)."""
    names = ", ".join(c.label(locale) for c in columns if c not in COMPUTED_COLUMNS)
    log.add(
        "missing-tab",
        tab.label(locale),
        "A1",
        log.t(
            "the tab '{tab}' is missing: add a tab with that name and a header row with these "
            "columns: {columns} (`sheetpilot init` lays the missing tabs without touching the "
            "others)",
            tab=tab.label(locale),
            columns=names,
        ),
    )
