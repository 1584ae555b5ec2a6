"""Which tool-owned tabs sheetpilot may write, and what it would erase there. Pure.

A tab named like a tool-owned tab (`Actions par période`, `Priorités`, `Contrôles`, or
their English names, matched as every tab name is) is sheetpilot's when:

- it carries sheetpilot's mark (`TabData.owned` is True: developer metadata on Google,
  a workbook-level mark in `.xlsx`), or
- it has no mark but is blank (nothing to lose), or holds **our header layout**: the
  fixed cells that `sheetpilot._render` writes at the top of that tab, all of them, in
  one locale (see `HEADER_CELLS`); that is how sheetpilot 0.1.0 left its tabs, unmarked.

Such an unmarked tab is adopted silently: the change set asks the backend to mark it
(only when the backend could tell it has no mark, `owned is False`). Any other unmarked
tab holds **content the tool did not write**: it is `foreign-tab`, an error that stops
`init` and `sync` before any write, unless the user passes `--adopt`.

`typed_cells` lists the cells of a tool-owned tab that hold something sheetpilot did not
render there and that the sync is about to clear, as `typed-in-tool-tab` warnings. A cell
is **typed** when it is non-blank, lies outside the cells the renderer produces for that
tab now, and outside the tab's *table area*: the columns of its listing, from the first
listing row down to the last row of the block of consecutive non-blank rows that runs on
from the rendered content (rows a shorter listing no longer uses: ours, from an earlier
sync). The F2 period selector is the user's and never reported; the G2 note sheetpilot
writes beside it ("(choix automatique : P3)") is ours. In a tab just taken over with
`--adopt` (or marked but not showing our header layout), every cell whose content the
sync clears or replaces is reported.

>>> from sheetpilot._workbook import Snapshot, TabData
>>> notes = TabData("Priorités", [["Mes idées"], ["appeler Paul"]], owned=False)
>>> found = check_ownership(Snapshot((notes,)), "fr")
>>> [(i.code, i.sheet, i.cell) for i in found.issues], found.adopt
([('foreign-tab', 'Priorités', 'A1')], ())
>>> check_ownership(Snapshot((notes,)), "fr", adopt=True).adopt
('Priorités',)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sheetpilot._cells import CellValue, Grid, a1, cell, is_blank
from sheetpilot._diff import differs
from sheetpilot._i18n import N_, Catalogs, Translator
from sheetpilot._models import Issue
from sheetpilot._parse.issues import where
from sheetpilot._parse.selector import MARKER_COL, SELECTOR_COL, SELECTOR_ROW
from sheetpilot._render import Rendered, TargetTab
from sheetpilot._render import by_period as bp
from sheetpilot._render import checks as ck
from sheetpilot._render import dashboard as db
from sheetpilot._render import priorities as pr
from sheetpilot._render.targets import LISTING_HEADER_ROW
from sheetpilot._template import (
    BY_PERIOD,
    CHECKS,
    DASHBOARD,
    LOCALES,
    O_HEALTH,
    O_ID,
    O_PROGRESS,
    PRIORITIES,
    TOOL_TABS,
    Locale,
    Name,
    find_tab,
    normalize,
)
from sheetpilot._workbook import Snapshot, TabData

Cell = tuple[int, int]
QUOTE_LIMIT = 100  # characters of a typed cell quoted in its warning

# The by-period tab's actions section starts at a fixed row (the block above has a fixed
# height); everything below it moves with the number of actions of the chosen period.
_ACTIONS_ROW = bp.BLOCK_ROW + len(bp.BLOCK) + 1
_MARKER = re.compile(r"^\(\s*(?:choix automatique|automatic choice)\s*:.*\)$")


def header_cells(key: str) -> dict[Cell, Name | str]:
    """The fixed cells at the top of a tool-owned tab, as `sheetpilot._render` writes them.

    Listing tabs (Priorités, Contrôles): the tab's name in A1 and the listing's header
    in row 3. Actions par période: its name in A1, "Période :" in E2, the nine labels of
    the selected-period block in A4:A12, "Actions de la période" in A14 and its header
    in row 15. Données calculées (hidden): its header row (ID, Avancement, État).

    >>> sorted(a1(r, c) for r, c in header_cells("checks"))
    ['A1', 'A3', 'B3', 'C3', 'D3', 'E3']

    A cell holds a template `Name` (its label in each locale) or a message id (its
    translation in each locale). A tool tab this module does not know has none: its
    unmarked content is never taken for sheetpilot's (`tests/test_ownership.py` checks
    that every tool tab is known).
    """
    if key == "by_period":
        cells: dict[Cell, Name | str] = {
            (0, 0): BY_PERIOD,
            (SELECTOR_ROW, SELECTOR_COL - 1): bp.SELECTOR_LABEL,
        }
        cells |= {(bp.BLOCK_ROW + k, 0): name for k, name in enumerate(bp.BLOCK)}
        cells[_ACTIONS_ROW, 0] = bp.ACTIONS_TITLE
        cells |= {(_ACTIONS_ROW + 1, c): name for c, name in enumerate(bp.ACTION_HEADERS)}
        return cells
    if key == "dashboard":  # its name, then each table's title and header row
        cells = {(0, 0): DASHBOARD}
        for col, title, labels in db.TABLES:
            cells[db.TABLE_ROW, col] = title
            cells |= {(db.HEADER_ROW, col + k): label for k, label in enumerate(labels)}
        return cells
    if key == "lookups":  # the hidden data of the computed columns: a header row, then rows
        return {(0, col): name for col, name in enumerate((O_ID, O_PROGRESS, O_HEALTH))}
    listings = {"priorities": (PRIORITIES, pr.HEADERS), "checks": (CHECKS, ck.HEADERS)}
    if key not in listings:
        return {}
    heading, headers = listings[key]
    return {(0, 0): heading} | {(LISTING_HEADER_ROW, c): h for c, h in enumerate(headers)}


HEADER_CELLS = {tab.key: header_cells(tab.key) for tab in TOOL_TABS}

# Each tool tab's table area: (first row, first col, end col) rectangles whose stale
# content (from an earlier, longer listing) is ours; rows run on while non-blank.
_TABLE_AREA: dict[str, tuple[tuple[int, int, int], ...]] = {
    # the action list (and, as laid before the overview moved right, the overview under
    # it), then the overview to its right
    "by_period": (
        (_ACTIONS_ROW, 0, len(bp.OVERVIEW_HEADERS)),
        (bp.OVERVIEW_ROW, bp.OVERVIEW_COL, bp.OVERVIEW_COL + len(bp.OVERVIEW_HEADERS)),
    ),
    "priorities": ((LISTING_HEADER_ROW + 1, 0, len(pr.HEADERS)),),
    "checks": ((LISTING_HEADER_ROW + 1, 0, len(ck.HEADERS)),),
    "lookups": ((1, 0, bp.DATA_COLS),),
    "dashboard": tuple((db.FIRST_ROW, col, col + len(h)) for col, _, h in db.TABLES),
}
# Cells of the fixed block that a sync may leave blank (no period: no values in B4:B12).
_FIXED_AREA: dict[str, frozenset[Cell]] = {
    "by_period": frozenset((bp.BLOCK_ROW + k, 1) for k in range(len(bp.BLOCK))),
    "dashboard": frozenset({(db.CURRENT_ROW, 0)}),  # the current period's line
}


def _label(name: Name | str, locale: Locale, catalogs: Catalogs) -> str:
    return name.label(locale) if isinstance(name, Name) else catalogs(locale)(name)


def has_our_layout(key: str, grid: Grid, catalogs: Catalogs | None = None) -> bool:
    """Whether `grid` shows every header cell sheetpilot writes in the tool tab `key`,
    in one locale (names matched ignoring case, accents, spacing and punctuation).

    >>> has_our_layout("priorities", [["Priorities"], ["3 open actions"],
    ...     ["Rank", "ID", "Action", "Workstream", "Effective priority", "Owner", "Period",
    ...      "Status", "Blocked by"]])
    True
    >>> has_our_layout("priorities", [["Priorités"], [], ["Rang", "ID", "Action"]])
    False
    """
    cells = HEADER_CELLS.get(key) or header_cells(key)
    words = catalogs or Catalogs()
    return bool(cells) and any(
        all(
            normalize(cell(grid, r, c)) == normalize(_label(name, locale, words))
            for (r, c), name in cells.items()
        )
        for locale in LOCALES
    )


def _blank(grid: Grid) -> bool:
    return all(is_blank(v) for line in grid for v in line)


@dataclass(frozen=True)
class Ownership:
    """What the ownership check found: refusals, tabs to mark, tabs just taken over."""

    issues: tuple[Issue, ...] = ()  # foreign-tab errors (none with adopt)
    adopt: tuple[str, ...] = ()  # existing unmarked tabs the backend should mark
    # tabs whose content is not (yet) sheetpilot's: adopted by --adopt this run, or marked
    # but without our layout; every cell the sync clears or replaces there is reported
    taken: frozenset[str] = frozenset()


def tool_tabs(snapshot: Snapshot) -> list[tuple[Name, TabData]]:
    """Each tool-owned tab present, as the renderer will pick it (first matching title)."""
    found: list[tuple[Name, TabData]] = []
    for name in TOOL_TABS:
        title = find_tab(snapshot.titles, name)
        tab = snapshot.get(title) if title is not None else None
        if tab is not None:
            found.append((name, tab))
    return found


def check_ownership(
    snapshot: Snapshot,
    locale: Locale,
    *,
    adopt: bool = False,
    catalogs: Catalogs | None = None,
) -> Ownership:
    """Refuse (or, with `adopt`, take over) tool-named tabs holding the user's content.

    A marked tab is ours. An unmarked one that is blank or shows our header layout is
    adopted silently; any other is a `foreign-tab` error at its A1, or with `adopt` is
    taken over. Tabs to mark are listed only when the backend can tell a tab is unmarked
    (`owned is False`), so a backend that cannot mark tabs never gets a change to make.
    """
    issues: list[Issue] = []
    marks: list[str] = []
    taken: set[str] = set()
    for name, tab in tool_tabs(snapshot):
        ours = _blank(tab.grid) or has_our_layout(name.key, tab.grid, catalogs)
        if tab.owned:
            if not ours:  # marked (`init --adopt`) but still holding the user's content
                taken.add(tab.title)
            continue
        if not ours and not adopt:
            issues.append(foreign_tab(tab.title, name, locale, (catalogs or Catalogs())(locale)))
            continue
        if not ours:
            taken.add(tab.title)
        if tab.owned is False:
            marks.append(tab.title)
    return Ownership(tuple(issues), tuple(marks), frozenset(taken))


def foreign_tab(title: str, name: Name, locale: Locale, t: Translator | None = None) -> Issue:
    """The error for a tool-named tab that sheetpilot did not create and may not erase."""
    t = t or Translator(locale)
    return Issue.of(
        "foreign-tab",
        title,
        "A1",
        t(
            "{cell}: this tab has the name of a tab sheetpilot writes ('{tab}'), but "
            "sheetpilot did not create it and it holds content sheetpilot did not write, so "
            "nothing was written: rename the tab to keep it as it is (sheetpilot then adds "
            "its own '{tab}' tab), or run again with --adopt (in the daemon's configuration: "
            "adopt = true on the plan) to let sheetpilot own it (its content is then replaced).",
            cell=where(title, "A1"),
            tab=name.label(locale),
        ),
    )


def quoted(value: CellValue, limit: int = QUOTE_LIMIT) -> str:
    """A cell's content quoted for a message, at most `limit` characters (then '…').

    >>> quoted("appeler Paul"), quoted("x" * 120)[-3:], len(quoted("x" * 120))
    ("'appeler Paul'", "x…'", 102)
    """
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def typed_cells(
    snapshot: Snapshot,
    rendered: Rendered,
    taken: Iterable[str] = (),
    t: Translator | None = None,
) -> list[Issue]:
    """A `typed-in-tool-tab` warning for each typed cell the sync would clear (see the
    module docstring), tab by tab in render order, each by row then column; in a tab in
    `taken`, for every cell whose content the sync would clear or replace."""
    taken_titles = frozenset(taken)
    issues: list[Issue] = []
    for target in rendered.tabs:
        tab = snapshot.get(target.title)
        if tab is None:
            continue
        adopted = target.title in taken_titles
        end = _area_end(target, tab.grid)
        for (r, c), value in sorted(_present(tab.grid).items()):
            if target.key == "by_period" and (r, c) == (SELECTOR_ROW, SELECTOR_COL):
                continue  # the period selector is the user's
            if (r, c) in target.cells and not (adopted and _replaced(target, r, c, value)):
                continue
            if not adopted and _ours(target, end, r, c, value):
                continue
            issues.append(_typed(target.title, r, c, value, replaced=(r, c) in target.cells, t=t))
    return issues


def _present(grid: Grid) -> dict[Cell, CellValue]:
    return {(r, c): v for r, line in enumerate(grid) for c, v in enumerate(line) if not is_blank(v)}


def _replaced(target: TargetTab, row: int, col: int, value: CellValue) -> bool:
    return differs(value, target.value(row, col))


def _ours(target: TargetTab, end: int, row: int, col: int, value: CellValue) -> bool:
    """Whether a non-rendered cell is sheetpilot's own leftover (not typed by the user)."""
    if target.key == "by_period" and (row, col) == (SELECTOR_ROW, MARKER_COL):
        return isinstance(value, str) and bool(_MARKER.match(value.strip()))
    if (row, col) in _FIXED_AREA.get(target.key, frozenset()):
        return True
    return any(
        top <= row < end and left <= col < right
        for top, left, right in _TABLE_AREA.get(target.key, ())
    )


def _area_end(target: TargetTab, grid: Grid) -> int:
    """The row past the table area: the rendered rows, then the consecutive non-blank rows
    (within the area's columns) that follow them."""
    right = max((r for _, _, r in _TABLE_AREA.get(target.key, ())), default=0)
    row = target.rows
    while row < len(grid) and any(not is_blank(v) for v in grid[row][:right]):
        row += 1
    return row


def _typed(
    title: str,
    row: int,
    col: int,
    value: CellValue,
    *,
    replaced: bool,
    t: Translator | None = None,
) -> Issue:
    t = t or Translator("en")
    address = a1(row, col)
    if replaced:
        message = N_(
            "{cell}: holds {text}, which sheetpilot did not write in this tab it owns: this "
            "sync replaces it with its own content. Keep notes in a tab of your own, or in "
            "your own columns of the input tabs."
        )
    else:
        message = N_(
            "{cell}: holds {text}, which sheetpilot did not write in this tab it owns: this "
            "sync clears it. Keep notes in a tab of your own, or in your own columns of the "
            "input tabs."
        )
    return Issue.of(
        "typed-in-tool-tab",
        title,
        address,
        t(message, cell=where(title, address), text=quoted(value)),
    )
