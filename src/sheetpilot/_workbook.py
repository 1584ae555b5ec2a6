"""What flows between the engine and a backend: a snapshot read, a change set to write.

Plain data, no I/O. Row and column indexes are 0-based everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from sheetpilot._cells import CellValue, Grid, a1

Cell = tuple[int, int]  # (row, col), 0-based
ChartKind = Literal["combo", "bar"]  # columns with a line / horizontal bars
SeriesKind = Literal["column", "line", "bar"]


@dataclass(frozen=True)
class ChartSeries:
    """One series of a chart: the column holding it (its name in the chart's header row)."""

    col: int
    kind: SeriesKind


@dataclass(frozen=True)
class Chart:
    """A native chart over a table of its own tab: the header row names the series, the
    rows below it (to `last_row`, inclusive) hold the categories (`domain_col`) and values.

    Two charts are the same when their kind, title and ranges are: where the chart sits
    (`anchor`, `span` in cells, `size` in pixels) is not compared (a user may move it),
    nor `handle`, the backend's name for it (Google's chartId, the .xlsx chart part).
    """

    sheet: str
    kind: ChartKind
    title: str
    header_row: int
    last_row: int
    domain_col: int
    series: tuple[ChartSeries, ...]
    anchor: Cell = field(default=(0, 0), compare=False)  # top-left cell
    span: Cell = field(default=(18, 5), compare=False)  # rows, cols covered
    size: tuple[int, int] = field(default=(600, 360), compare=False)  # width, height in px
    handle: int | str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class TabData:
    """One tab as read: its title, its values, and what the backend knows of its size.

    `grid` holds what each cell shows: for a formula cell, its result as last calculated.
    `formulas` gives the formula text (English function names, `,` separators, leading
    `=`) of the formula cells the backend knows; `uncalculated` lists formula cells saved
    without a result (their grid value is None, which does not mean blank). `owned` is
    whether the tab carries sheetpilot's ownership mark (None: the backend cannot tell).
    """

    title: str
    grid: Grid
    sheet_id: int | None = None
    row_count: int = 0  # grid size (Google) or max row (xlsx)
    col_count: int = 0
    formulas: Mapping[Cell, str] = field(default_factory=dict)
    uncalculated: frozenset[Cell] = frozenset()
    owned: bool | None = None
    # sheetpilot's own conditional formats on the tab, as read (None: the backend did not
    # look); `presented`: whether its print setup is there (None: the backend cannot tell).
    highlights: tuple[Highlight, ...] | None = None
    presented: bool | None = None
    # Where `highlights` sit among all the tab's conditional formats (Google deletes a
    # rule by its position).
    highlight_at: tuple[int, ...] = ()
    charts: tuple[Chart, ...] = ()  # the native charts the backend read on this tab


@dataclass(frozen=True)
class Snapshot:
    """Every tab of a spreadsheet, read in one go."""

    tabs: tuple[TabData, ...]

    @property
    def titles(self) -> list[str]:
        return [t.title for t in self.tabs]

    def grids(self) -> dict[str, Grid]:
        return {t.title: t.grid for t in self.tabs}

    def get(self, title: str) -> TabData | None:
        for t in self.tabs:
            if t.title == title:
                return t
        return None


@dataclass(frozen=True)
class Guard:
    """Write only if, when the write lands, the cell at (row, col) of the same tab still
    holds `expected` (None: blank) and each (column, value) of `also` on the same row
    still holds its value.

    An assigned ID is guarded by its blank cell and the rest of its row as read, so it
    never lands on a row the user moved there, nor over an ID the user just typed. On a
    backend without formulas, computed columns are guarded by the row's ID.
    """

    row: int
    col: int
    expected: CellValue
    also: tuple[tuple[int, CellValue], ...] = ()


@dataclass(frozen=True)
class CellWrite:
    sheet: str
    row: int
    col: int
    value: CellValue  # None clears the cell; with `formula`, the formula's result
    formula: str | None = None  # e.g. "=IFERROR(INDEX(…),\"\")": English names, `,` separators
    number_format: str | None = None  # e.g. "dd/mm/yyyy", "0.0", "0%"; None: leave as is
    bold: bool = False
    guard: Guard | None = None

    @property
    def address(self) -> str:
        return a1(self.row, self.col)


@dataclass(frozen=True)
class ListValidation:
    """A dropdown: the cell accepts one of `values`."""

    sheet: str
    row: int
    col: int
    values: tuple[str, ...] = ()  # an explicit list...
    source: str | None = None  # ...or a range that feeds it, e.g. "'Réglages'!$A$2:$A$200"
    rows: int = 1  # how many cells down from (row, col) get the same dropdown
    prompt: str = ""  # shown when the cell is selected ("Pick a period from the list")


# Every conditional format sheetpilot writes carries this always-true test, so that its
# own rules are told apart from the user's (which it never touches) on both backends.
HIGHLIGHT_MARK = 'ISTEXT("sheetpilot")'
_MARKED = re.compile(r'^=?AND\(\s*ISTEXT\(\s*"sheetpilot"\s*\)\s*[,;]\s*(.*)\)\s*$', re.S)


@dataclass(frozen=True)
class Highlight:
    """A conditional format sheetpilot owns: the cells of the range are filled with
    `fill` (RRGGBB) where `condition` holds.

    `condition` is a formula without its `=` (English names, `,` separators) written for
    the range's top-left cell; its relative references move across the range as in any
    conditional format. Rows and columns are 0-based, `end_*` exclusive; `end_row` None
    reaches the last row of the tab.

    >>> rule = Highlight(3, 0, 5, '$C4="Erreur"', "F4CCCC")
    >>> rule.formula
    '=AND(ISTEXT("sheetpilot"),$C4="Erreur")'
    >>> Highlight.condition_of(rule.formula), Highlight.condition_of("=A1>2")
    ('$C4="Erreur"', None)
    """

    row: int
    col: int
    end_col: int
    condition: str
    fill: str
    end_row: int | None = None

    @property
    def formula(self) -> str:
        """The rule's formula as stored: the condition behind sheetpilot's mark."""
        return f"=AND({HIGHLIGHT_MARK},{self.condition})"

    @staticmethod
    def condition_of(formula: str) -> str | None:
        """The condition of a formula sheetpilot wrote, None for anyone else's."""
        found = _MARKED.match(formula.strip())
        return found.group(1).strip() if found else None


@dataclass(frozen=True)
class TabLayout:
    """How a tool-owned tab looks: laid when sheetpilot creates it; its `highlights` are
    kept as rendered on every sync, the rest is laid again with them.

    `printable`: printed landscape, one page wide, its frozen rows repeated on each page.
    `wrapped`: columns whose long text wraps. `input_cell`: the one cell the user picks
    (filled and framed like an input, `input_note` beside it as a note); its value is
    never touched by the layout.
    """

    title: str
    column_widths: tuple[int, ...] = ()  # in pixels, from column A
    frozen_rows: int = 0
    index: int | None = None  # position among the tabs, None: at the end
    hidden: bool = False
    highlights: tuple[Highlight, ...] = ()
    printable: bool = False
    wrapped: tuple[int, ...] = ()
    input_cell: Cell | None = None
    input_note: str = ""


@dataclass(frozen=True)
class RowEdit:
    """Rows inserted (blank) or deleted in a tool-owned tab, the rows below moving with
    them: `count` rows at 0-based `start`, as the tab is after the edits before it."""

    sheet: str
    start: int
    count: int
    insert: bool = False  # False: delete


@dataclass(frozen=True)
class ChangeSet:
    """The minimal set of changes one sync makes: applied all or nothing."""

    new_tabs: tuple[TabLayout, ...] = ()
    writes: tuple[CellWrite, ...] = ()
    validations: tuple[ListValidation, ...] = ()
    min_rows: dict[str, int] = field(default_factory=dict)  # tab → rows it must have
    min_cols: dict[str, int] = field(default_factory=dict)
    # Existing tabs to mark as sheetpilot's (new tabs are marked when created).
    adopt: tuple[str, ...] = ()
    # Charts to add (`handle` None) or whose spec to replace (`handle` of the one read).
    charts: tuple[Chart, ...] = ()
    # Rows moved in tool-owned tabs, in order, before the writes (whose rows are after them).
    row_edits: tuple[RowEdit, ...] = ()
    # Tab → every conditional format of sheetpilot's it must carry (its old ones go).
    highlights: Mapping[str, tuple[Highlight, ...]] = field(default_factory=dict)
    # Existing tool tabs whose layout (print setup, wrapping, input cell) is laid again.
    restyle: tuple[TabLayout, ...] = ()

    @property
    def empty(self) -> bool:
        return not (
            self.new_tabs
            or self.writes
            or self.validations
            or self.adopt
            or self.row_edits
            or self.highlights
            or self.restyle
            or self.charts
        )

    @property
    def cells(self) -> int:
        return len(self.writes)
