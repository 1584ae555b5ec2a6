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

from collections.abc import Collection, Mapping

from sheetpilot._cells import Grid, a1
from sheetpilot._i18n import Catalogs
from sheetpilot._models import Action, ComputedColumn, ParsedPlan, Result
from sheetpilot._parse.actions import parse_actions
from sheetpilot._parse.fields import UNCALCULATED
from sheetpilot._parse.headers import find_headers, find_table
from sheetpilot._parse.issues import IssueLog
from sheetpilot._parse.objectives import parse_objectives
from sheetpilot._parse.selector import selected_period
from sheetpilot._parse.settings import parse_settings
from sheetpilot._template import (
    A_ID,
    A_RANK,
    ACTION_COLUMNS,
    ACTIONS,
    ALL_TABS,
    COMPUTED_COLUMNS,
    O_HEALTH,
    O_ID,
    O_PROGRESS,
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
    grids: Mapping[str, Grid],
    locale: Locale | None = None,
    uncalculated: Mapping[str, Collection[tuple[int, int]]] | None = None,
    catalogs: Catalogs | None = None,
) -> ParsedPlan:
    """Read every input tab of a spreadsheet (title → grid) into a ParsedPlan.

    `uncalculated` (title → (row, col) cells) lists the formula cells saved without their
    result (`TabData.uncalculated`): each one of an input tab is a `formula-not-calculated`
    issue at its cell, never a missing or bad value, and a result whose baseline, target
    or current value is one has an unknown progress. Messages are in the plan's language
    from `catalogs` (English msgids without them).
    """
    tabs = find_tabs(list(grids))
    locale = locale or detect_locale(tabs)
    pending = {t: frozenset(cells) for t, cells in (uncalculated or {}).items() if cells}
    log = IssueLog(t=(catalogs or Catalogs())(locale), locale=locale)
    others = {title: grid for title, grid in grids.items() if title not in tabs.values()}
    settings_title = tabs.get(SETTINGS.key)
    if settings_title is None:  # defaults still apply, so that `check` can list everything else
        listed = tuple(c for c in SETTINGS_COLUMNS if c not in SETTINGS_PERIOD_TABLE)  # optional
        _missing_tab(SETTINGS, listed, locale, log, others)
    settings = parse_settings(
        settings_title, grids[settings_title] if settings_title else None, locale, log
    )
    objectives_title = tabs.get(OBJECTIVES.key)
    results: tuple[Result, ...] | None = None
    if objectives_title is None:
        _missing_tab(OBJECTIVES, OBJECTIVE_COLUMNS, locale, log, others)
    else:
        results = parse_objectives(
            objectives_title,
            grids[objectives_title],
            settings,
            locale,
            log,
            pending.get(objectives_title, frozenset()),
        )
    actions_title = tabs.get(ACTIONS.key)
    actions: tuple[Action, ...] = ()
    if actions_title is None:
        _missing_tab(ACTIONS, ACTION_COLUMNS, locale, log, others)
    else:
        actions = parse_actions(
            actions_title,
            grids[actions_title],
            settings,
            results,
            locale,
            log,
            pending.get(actions_title, frozenset()),
        )
    inputs = (settings_title, objectives_title, actions_title)
    read = _read_columns(grids, objectives_title, actions_title)
    unread = {
        title: frozenset((r, c) for r, c in cells if title not in read or c in read[title])
        for title, cells in pending.items()
    }  # a formula in a column of the user's own is not sheetpilot's to read
    _uncalculated_elsewhere([t for t in inputs if t is not None], unread, log)
    by_period = tabs.get("by_period")
    return ParsedPlan(
        locale=locale,
        tabs=tabs,
        settings=settings,
        results=results or (),
        actions=actions,
        selected_period=selected_period(grids[by_period] if by_period else None),
        issues=tuple(log.items),
        computed=_computed_columns(grids, objectives_title, actions_title),
    )


def _read_columns(
    grids: Mapping[str, Grid], objectives: str | None, actions: str | None
) -> dict[str, frozenset[int]]:
    """The columns sheetpilot reads in the objectives and actions tabs (by header)."""
    found: dict[str, frozenset[int]] = {}
    for title, columns in ((objectives, OBJECTIVE_COLUMNS), (actions, ACTION_COLUMNS)):
        if title is not None:
            table = find_table(title, grids[title], columns)
            if table.header_row is not None:
                found[title] = frozenset(table.columns.values())
    return found


def _uncalculated_elsewhere(
    titles: list[str], pending: Mapping[str, frozenset[tuple[int, int]]], log: IssueLog
) -> None:
    """`formula-not-calculated` at every such cell of an input tab not yet reported by a
    field (settings, columns of the user's, rows without other content). Any other issue
    at such a cell came from reading it as blank (a missing plan start…): it is dropped."""
    cells = {(t, a1(r, c)) for t in titles for r, c in pending.get(t, ())}
    log.items[:] = [
        i for i in log.items if i.code == "formula-not-calculated" or (i.sheet, i.cell) not in cells
    ]
    reported = {(i.sheet, i.cell) for i in log.items if i.code == "formula-not-calculated"}
    for title in titles:
        for row, col in sorted(pending.get(title, ())):
            if (title, a1(row, col)) not in reported:
                log.add(
                    "formula-not-calculated",
                    title,
                    a1(row, col),
                    log.t(
                        "{problem}; sheetpilot cannot read this cell meanwhile",
                        problem=log.t(UNCALCULATED),
                    ),
                )


def _computed_columns(
    grids: Mapping[str, Grid], objectives: str | None, actions: str | None
) -> tuple[ComputedColumn, ...]:
    """The tool-owned computed columns present in the input tabs, and their ID column."""
    found: list[ComputedColumn] = []
    for title, columns, id_name, computed in (
        (objectives, OBJECTIVE_COLUMNS, O_ID, (O_PROGRESS, O_HEALTH)),
        (actions, ACTION_COLUMNS, A_ID, (A_RANK,)),
    ):
        if title is None:
            continue
        table = find_table(title, grids[title], columns)
        if table.header_row is None:
            continue
        for name in computed:
            if name.key in table.columns:
                found.append(
                    ComputedColumn(
                        sheet=title,
                        key=name.key,
                        col=table.columns[name.key],
                        header_row=table.header_row,
                        id_col=table.columns.get(id_name.key),
                    )
                )
    return tuple(found)


def renamed_tab(tab: Name, columns: tuple[Name, ...], others: Mapping[str, Grid]) -> str | None:
    """The tab, among those that are no template tab, whose header row is `tab`'s: the
    input tab renamed. At least half of its columns (and 3) must be found; the best wins.

    >>> from sheetpilot._template import A_ID, A_STATUS, A_ACTION
    >>> renamed_tab(ACTIONS, (A_ID, A_STATUS, A_ACTION), {"Notes": [["x"]],
    ...     "Actions 2026": [["ID", "Statut", "Action"]]})
    'Actions 2026'
    """
    wanted = [c for c in columns if c not in COMPUTED_COLUMNS]
    needed = max(3, (len(wanted) + 1) // 2)
    best: tuple[int, str] | None = None
    for title, grid in others.items():
        if tab is SETTINGS:
            found = len(find_headers(grid, wanted))
        else:
            found = len(find_table(title, grid, wanted).columns)
        if found >= needed and (best is None or found > best[0]):
            best = (found, title)
    return best[1] if best else None


def _missing_tab(
    tab: Name,
    columns: tuple[Name, ...],
    locale: Locale,
    log: IssueLog,
    others: Mapping[str, Grid] | None = None,
) -> None:
    """A missing input tab: the tab that looks like it renamed, else which columns to lay."""
    renamed = renamed_tab(tab, columns, others or {})
    if renamed is not None:
        log.add(
            "missing-tab",
            tab.label(locale),
            "A1",
            log.t(
                "the tab '{tab}' is missing, but the tab '{found}' has its header row: rename "
                "'{found}' to '{tab}' (sheetpilot finds its input tabs by name)",
                tab=tab.label(locale),
                found=renamed,
            ),
        )
        return
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
