"""`sheetpilot init`: lay the template's input tabs into a spreadsheet, never destroying data.

Pure: takes the spreadsheet as read (a Snapshot) and returns the ChangeSet that adds
what is missing. Every cell write is guarded by ``Guard(same cell, expected=None)``, so a
cell that holds anything is never overwritten and running init again writes 0 cells.

Layout of Réglages / Settings (header row 1, one blank column between blocks)::

    A Statuts   B Type          D Priorités    F Chantiers
    H Responsables   I Capacité (j-h / période)
    K Paramètre   L Valeur      N Période   O Début   P Fin

An input tab that already exists under any accepted FR/EN name is reused: in Objectifs
and Suivi des actions the missing columns are added at the right of the header row;
in Réglages a missing block is added at its usual place when those columns (and one on
each side) are empty, else at the right of what is there, and missing parameters are
added under the existing ones. Example rows (``--example``) only go into empty tabs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sheetpilot._cells import CellValue, Grid, col_letter, is_blank
from sheetpilot._render.formats import date_format
from sheetpilot._template import (
    A_OWNER,
    A_PRIORITY,
    A_RESULT,
    A_STATUS,
    A_WORKSTREAM,
    ACTION_COLUMNS,
    DEFAULT_PERIOD_LENGTH,
    DEFAULT_PRIORITIES,
    DEFAULT_STATUSES,
    INPUT_TABS,
    O_ID,
    O_PRIORITY,
    OBJECTIVE_COLUMNS,
    OBJECTIVES,
    P_PERIOD_COUNT,
    P_PERIOD_LENGTH,
    P_PLAN_START,
    PARAMETERS,
    S_OWNERS,
    S_PARAMETER,
    S_PRIORITIES,
    S_STATUSES,
    S_WORKSTREAMS,
    SETTINGS,
    SETTINGS_BLOCKS,
    STATUS_TYPE_LABELS,
    Locale,
    Name,
    find_tab,
)
from sheetpilot._workbook import (
    CellWrite,
    ChangeSet,
    Guard,
    ListValidation,
    Snapshot,
    TabLayout,
)

if TYPE_CHECKING:
    from sheetpilot._example import ExamplePlan

DEFAULT_PERIOD_COUNT = 6
DROPDOWN_ROWS = 500  # rows of an input tab that get the dropdowns
LIST_ROWS = 99  # rows of a settings list a dropdown reads (A2:A100)
HEADER_SEARCH_ROWS = 10

# Réglages blocks (template.SETTINGS_BLOCKS) and the column (0-based) each one starts at.
SETTINGS_LAYOUT: tuple[tuple[tuple[Name, ...], int], ...] = tuple(
    zip(SETTINGS_BLOCKS, (0, 3, 5, 7, 10, 13), strict=True)
)

_WIDTHS: dict[str, tuple[int, ...]] = {
    "settings": (120, 90, 24, 90, 24, 140, 24, 150, 170, 24, 210, 110, 24, 90, 100, 100),
    "objectives": (200, 260, 50, 320, 70, 200, 100, 100, 110, 100, 160, 100, 110),
    "actions": (60, 90, 130, 260, 340, 110, 70, 60, 80, 90, 130, 110, 70, 60),
}


# --- the template grids -------------------------------------------------------------------
def header(columns: Iterable[Name], locale: Locale) -> list[CellValue]:
    """A header row: each column's label in `locale`."""
    return [c.label(locale) for c in columns]


def settings_grid(
    locale: Locale,
    *,
    statuses: Sequence[tuple[str, str]] | None = None,
    priorities: Sequence[str] = DEFAULT_PRIORITIES,
    workstreams: Sequence[str] = (),
    owners: Sequence[tuple[str, float]] = (),
    start: date | None = None,
    period_length: int = DEFAULT_PERIOD_LENGTH,
    period_count: int = DEFAULT_PERIOD_COUNT,
) -> Grid:
    """The Réglages grid in the documented layout, header on row 1.

    >>> grid = settings_grid("fr")
    >>> grid[0][:4], grid[1][:4]
    (['Statuts', 'Type', None, 'Priorités'], ['À faire', 'todo', None, 'P1'])
    >>> [row[10:12] for row in grid[1:4]]
    [['Début du plan', None], ["Durée d'une période (jours)", 10], ['Nombre de périodes', 6]]
    """
    pairs = statuses if statuses is not None else DEFAULT_STATUSES[locale]
    params: list[tuple[CellValue, CellValue]] = [
        (P_PLAN_START.label(locale), start),
        (P_PERIOD_LENGTH.label(locale), period_length),
        (P_PERIOD_COUNT.label(locale), period_count),
    ]
    columns: list[list[Sequence[CellValue]]] = [
        [[label for label, _ in pairs], [kind for _, kind in pairs]],
        [list(priorities)],
        [list(workstreams)],
        [[name for name, _ in owners], [cap for _, cap in owners]],
        [[k for k, _ in params], [v for _, v in params]],
        [[], [], []],
    ]
    cells: dict[tuple[int, int], CellValue] = {}
    for (names, at), values in zip(SETTINGS_LAYOUT, columns, strict=True):
        for k, name in enumerate(names):
            cells[0, at + k] = name.label(locale)
            for r, value in enumerate(values[k], start=1):
                cells[r, at + k] = value
    return _to_grid(cells)


def default_grids(locale: Locale, start: date | None = None) -> dict[str, Grid]:
    """The empty template: settings with default lists, header rows of the other tabs."""
    return {
        "settings": settings_grid(locale, start=start),
        "objectives": [header(OBJECTIVE_COLUMNS, locale)],
        "actions": [header(ACTION_COLUMNS, locale)],
    }


# --- laying it into a spreadsheet ---------------------------------------------------------
def scaffold_changes(
    snapshot: Snapshot,
    locale: Locale,
    example: ExamplePlan | None = None,
    *,
    start: date | None = None,
) -> ChangeSet:
    """The changes that lay the template (and the example, if any) into `snapshot`.

    `start` fills the empty template's "Début du plan" (the example brings its own).
    """
    grids = example.grids if example is not None else default_grids(locale, start)
    new_tabs: list[TabLayout] = []
    tabs: dict[str, _Tab] = {}
    for tab in INPUT_TABS:
        title = find_tab(snapshot.titles, tab)
        existing: Grid = []
        if title is None:
            title = tab.label(locale)
            new_tabs.append(TabLayout(title=title, column_widths=_WIDTHS[tab.key], frozen_rows=1))
        else:
            data = snapshot.get(title)
            existing = data.grid if data is not None else []
        laid = _Tab.of(title, existing, locale)
        template = grids[tab.key]
        if laid.blank:
            laid.put_grid(template)
        elif tab is SETTINGS:
            _complete_settings(laid, template)
        else:
            _complete_header(laid, OBJECTIVE_COLUMNS if tab is OBJECTIVES else ACTION_COLUMNS)
        tabs[tab.key] = laid
    writes = tuple(w for t in tabs.values() for w in t.writes)
    # Dropdowns come with what init lays; an init with nothing to lay changes nothing
    # (Google cannot tell cheaply which dropdowns a spreadsheet already has).
    laying = bool(new_tabs or writes)
    return ChangeSet(
        new_tabs=tuple(new_tabs),
        writes=writes,
        validations=(
            _dropdowns(tabs["settings"], tabs["objectives"], tabs["actions"]) if laying else ()
        ),
    )


def tabs_holding_data(snapshot: Snapshot) -> tuple[str, ...]:
    """The input tabs of `snapshot` that already hold something (the example skips them).

    >>> from sheetpilot._workbook import TabData
    >>> tabs_holding_data(Snapshot((TabData("Objectifs", [[None, "R1"]]), TabData("Réglages", []))))
    ('Objectifs',)
    """
    found: list[str] = []
    for tab in INPUT_TABS:
        title = find_tab(snapshot.titles, tab)
        data = snapshot.get(title) if title is not None else None
        if data is not None and any(not is_blank(v) for row in data.grid for v in row):
            found.append(data.title)
    return tuple(found)


@dataclass
class _Tab:
    """A tab as it will be: what it holds now plus what init writes into blank cells."""

    title: str
    locale: Locale
    cells: dict[tuple[int, int], CellValue]
    blank: bool
    writes: list[CellWrite] = field(default_factory=list)

    @classmethod
    def of(cls, title: str, grid: Grid, locale: Locale) -> _Tab:
        cells = {
            (r, c): v for r, row in enumerate(grid) for c, v in enumerate(row) if not is_blank(v)
        }
        return cls(title=title, locale=locale, cells=cells, blank=not cells)

    def put(self, row: int, col: int, value: CellValue, *, bold: bool = False) -> None:
        """Write `value` at (row, col) if that cell is blank (guarded: it must stay blank)."""
        if is_blank(value) or (row, col) in self.cells:
            return
        self.cells[row, col] = value
        fmt = date_format(self.locale) if isinstance(value, date) else None
        self.writes.append(
            CellWrite(
                self.title,
                row,
                col,
                value,
                number_format=fmt,
                bold=bold,
                guard=Guard(row, col, None),
            )
        )

    def put_grid(self, grid: Grid, *, at: tuple[int, int] = (0, 0), header_row: int = 0) -> None:
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                self.put(at[0] + r, at[1] + c, value, bold=r == header_row)

    def find(self, name: Name) -> tuple[int, int] | None:
        """The first cell among the first rows whose text is `name`."""
        for (r, c), value in sorted(self.cells.items()):
            if r < HEADER_SEARCH_ROWS and name.matches(value):
                return r, c
        return None

    def header_row(self, columns: Sequence[Name]) -> int | None:
        """The row among the first rows naming the most `columns` (None: no header)."""
        counts: dict[int, int] = {}
        for (r, _), value in self.cells.items():
            if r < HEADER_SEARCH_ROWS and any(n.matches(value) for n in columns):
                counts[r] = counts.get(r, 0) + 1
        return min(counts, key=lambda r: (-counts[r], r)) if counts else None

    def column_of(self, row: int, name: Name) -> int | None:
        cols = [c for (r, c), v in self.cells.items() if r == row and name.matches(v)]
        return min(cols) if cols else None

    @property
    def width(self) -> int:
        return max((c for _, c in self.cells), default=-1) + 1

    def room_for(self, first: int, count: int) -> bool:
        """Whether `count` columns from `first`, and one on each side, are all empty."""
        return not any(first - 1 <= c <= first + count for _, c in self.cells)


def _complete_header(tab: _Tab, columns: Sequence[Name]) -> None:
    """Add the template's missing columns at the right of the existing header row."""
    row = tab.header_row(columns)
    if row is None:
        tab.put_grid([header(columns, tab.locale)])
        return
    for name in columns:
        if tab.column_of(row, name) is None:
            tab.put(row, tab.width, name.label(tab.locale), bold=True)


def _complete_settings(tab: _Tab, template: Grid) -> None:
    """Add the settings blocks and parameters that the existing Réglages tab lacks."""
    source = _Tab.of("", template, tab.locale)
    for names, _ in SETTINGS_LAYOUT:
        found = tab.find(names[0])
        origin = source.find(names[0])
        if origin is None:
            continue
        block = [
            [source.cells.get((r, origin[1] + k)) for k in range(len(names))]
            for r in range(origin[0], origin[0] + _height(source, origin, len(names)))
        ]
        if found is None:
            at = origin[1] if tab.room_for(origin[1], len(names)) else tab.width + 1
            tab.put_grid(block, at=(0, at))
            continue
        row, col = found
        for k, name in enumerate(names[1:], start=1):
            if tab.cells.get((row, col + k)) is None:
                tab.put(row, col + k, name.label(tab.locale), bold=True)
        if names[0] is S_PARAMETER:
            _complete_parameters(tab, (row, col), block[1:])


def _complete_parameters(tab: _Tab, at: tuple[int, int], rows: Grid) -> None:
    """Append the missing parameters (key and value) under the existing ones."""
    row, col = at
    below = [r for (r, c) in tab.cells if c == col and r > row]
    present = [tab.cells[r, col] for r in below]
    next_row = max(below, default=row) + 1
    for key, value in ((line[0], line[1]) for line in rows):
        param = next((p for p in PARAMETERS if p.matches(key)), None)
        if param is not None and not any(param.matches(v) for v in present):
            tab.put(next_row, col, key)
            tab.put(next_row, col + 1, value)
            next_row += 1


def _height(tab: _Tab, origin: tuple[int, int], count: int) -> int:
    """Rows of the block starting at `origin` (header included) down to its last value."""
    rows = [r for (r, c) in tab.cells if origin[1] <= c < origin[1] + count and r >= origin[0]]
    return max(rows, default=origin[0]) - origin[0] + 1


# --- dropdowns ----------------------------------------------------------------------------
def _dropdowns(settings: _Tab, objectives: _Tab, actions: _Tab) -> tuple[ListValidation, ...]:
    """Statut/Priorité/Chantier/Responsable/Résultat cible fed by the settings and objective IDs."""
    lists: dict[str, str] = {}
    for name in (S_STATUSES, S_PRIORITIES, S_WORKSTREAMS, S_OWNERS):
        found = settings.find(name)
        if found is not None:
            lists[name.key] = _column_range(settings.title, found)
    out: list[ListValidation] = []
    status = settings.find(S_STATUSES)
    if status is not None and settings.cells.get((status[0], status[1] + 1)) is not None:
        out.append(
            ListValidation(
                settings.title,
                status[0] + 1,
                status[1] + 1,
                values=tuple(STATUS_TYPE_LABELS),
                rows=LIST_ROWS,
            )
        )
    id_row = objectives.header_row(OBJECTIVE_COLUMNS)
    if id_row is not None:
        id_col = objectives.column_of(id_row, O_ID)
        if id_col is not None:
            lists["results"] = _column_range(objectives.title, (id_row, id_col))
    wanted: tuple[tuple[_Tab, Sequence[Name], Mapping[Name, str]], ...] = (
        (objectives, OBJECTIVE_COLUMNS, {O_PRIORITY: "priorities"}),
        (
            actions,
            ACTION_COLUMNS,
            {
                A_STATUS: "statuses",
                A_PRIORITY: "priorities",
                A_WORKSTREAM: "workstreams",
                A_OWNER: "owners",
                A_RESULT: "results",
            },
        ),
    )
    for tab, columns, feeds in wanted:
        row = tab.header_row(columns)
        if row is None:
            continue
        for name, key in feeds.items():
            col = tab.column_of(row, name)
            if col is not None and key in lists:
                out.append(
                    ListValidation(tab.title, row + 1, col, source=lists[key], rows=DROPDOWN_ROWS)
                )
    return tuple(out)


def _column_range(title: str, header_cell: tuple[int, int]) -> str:
    """The list under a header cell, as an absolute range on its tab.

    >>> _column_range("Réglages", (0, 0))
    "'Réglages'!$A$2:$A$100"
    """
    row, col = header_cell
    letter = col_letter(col)
    quoted = title.replace("'", "''")
    return f"'{quoted}'!${letter}${row + 2}:${letter}${row + 1 + LIST_ROWS}"


def _to_grid(cells: Mapping[tuple[int, int], CellValue]) -> Grid:
    rows = max((r for r, _ in cells), default=-1) + 1
    cols = max((c for _, c in cells), default=-1) + 1
    return [[cells.get((r, c)) for c in range(cols)] for r in range(rows)]
