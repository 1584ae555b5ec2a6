"""What the renderer produces: the target content of each tool-owned tab, and the few
writes it makes into input tabs; `Canvas` and `listing_tab`, the tools that lay a tab out.

A target tab lists only its non-blank cells; a cell absent from `cells` is meant to be
blank, so the diff clears whatever the sheet still holds there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sheetpilot._cells import CellValue, is_blank
from sheetpilot._models import ComputedColumn
from sheetpilot._render.formats import column_widths
from sheetpilot._workbook import CellWrite, Chart, Highlight, ListValidation, TabLayout

LISTING_HEADER_ROW = 2  # a listing tab: its title, a summary line, then the header


@dataclass(frozen=True)
class TargetCell:
    """One cell as sheetpilot wants it: its value and how it is shown.

    With `formula` (English function names, `,` separators, leading `=`), the cell holds
    that formula and `value` is its result as this sync computed it (the cached result an
    `.xlsx` file stores with it; None: blank).
    """

    value: CellValue
    number_format: str | None = None
    bold: bool = False
    formula: str | None = None


@dataclass(frozen=True)
class TargetTab:
    """The whole content of a tool-owned tab, keyed by 0-based (row, col)."""

    key: str
    title: str
    cells: Mapping[tuple[int, int], TargetCell]
    layout: TabLayout
    validations: tuple[ListValidation, ...] = ()
    # Cells that are the user's (the F2 selector): a formula typed there is kept as typed.
    user_cells: frozenset[tuple[int, int]] = frozenset()
    # A listing: the rows from this one down are items, one per row, that a backend moving
    # rows may move as a block (an item that leaves deletes its row; those below move up).
    rows_from: int | None = None
    charts: tuple[Chart, ...] = ()  # native charts over the tab's own cells

    @property
    def rows(self) -> int:
        """How many rows the content spans (0 when empty)."""
        return max((r for r, _ in self.cells), default=-1) + 1

    @property
    def cols(self) -> int:
        """How many columns the content spans (0 when empty)."""
        return max((c for _, c in self.cells), default=-1) + 1

    def value(self, row: int, col: int) -> CellValue:
        """The target value at (row, col), None when blank."""
        found = self.cells.get((row, col))
        return found.value if found else None


@dataclass(frozen=True)
class ComputedTarget:
    """A computed column of an input tab and what each of its cells should hold: the
    row's lookup formula (`template` with `{row}`; None when the tab has no ID column)."""

    column: ComputedColumn
    template: str | None
    number_format: str | None = None

    def formula(self, row: int) -> str | None:
        """The formula for 0-based `row`."""
        return None if self.template is None else self.template.replace("{row}", str(row + 1))


@dataclass(frozen=True)
class Rendered:
    """Everything one sync wants the spreadsheet to show.

    `computed` lists the computed columns of the input tabs: the diff keeps their cells
    on rows without an action (result) blank — or, on a backend that writes formulas,
    holding the row's lookup, which shows nothing there.
    """

    tabs: tuple[TargetTab, ...]
    input_writes: tuple[CellWrite, ...]
    computed: tuple[ComputedTarget, ...] = ()
    # Input tab → sheetpilot's conditional formats on it (its computed columns).
    highlights: Mapping[str, tuple[Highlight, ...]] = field(default_factory=dict)

    def tab(self, key: str) -> TargetTab:
        """The target tab with this key ('by_period', 'priorities', 'checks')."""
        for tab in self.tabs:
            if tab.key == key:
                return tab
        raise KeyError(key)


class Canvas:
    """A scratch pad to lay cells out row by row; blank values are simply not stored.

    >>> canvas = Canvas()
    >>> canvas.line(0, ["Rank", None, "ID"], bold=True)
    >>> sorted(canvas.cells)
    [(0, 0), (0, 2)]
    """

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], TargetCell] = {}

    def put(
        self,
        row: int,
        col: int,
        value: CellValue,
        number_format: str | None = None,
        *,
        bold: bool = False,
        formula: str | None = None,
    ) -> None:
        """A value (blank: nothing stored), or a `formula` with its result `value`."""
        if formula is None and is_blank(value):
            self.cells.pop((row, col), None)
            return
        if formula is not None and is_blank(value):
            value = None
        self.cells[(row, col)] = TargetCell(value, number_format, bold, formula)

    def line(
        self,
        row: int,
        values: Sequence[CellValue],
        formats: Sequence[str | None] = (),
        *,
        bold: bool = False,
    ) -> None:
        """Values from column A on; `formats[i]` (when given) formats column i."""
        for col, value in enumerate(values):
            fmt = formats[col] if col < len(formats) else None
            self.put(row, col, value, fmt, bold=bold)


def listing_tab(
    key: str,
    title: str,
    index: int,
    *,
    heading: str,
    summary: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[CellValue]],
    min_widths: Sequence[int],
    formats: Sequence[str | None] = (),
    bold_summary: bool = False,
    highlights: tuple[Highlight, ...] = (),
    wrapped: tuple[int, ...] = (),
) -> TargetTab:
    """A tab that lists one row per item (Priorités, Contrôles).

    Row 1 holds `heading`, row 2 `summary`, row 3 the bold `headers` (frozen with the rows
    above), then `rows`, each formatted by `formats` column by column. Columns are at
    least `min_widths` and wide enough for their header.
    """
    canvas = Canvas()
    canvas.put(0, 0, heading, bold=True)
    canvas.put(1, 0, summary, bold=bold_summary)
    canvas.line(LISTING_HEADER_ROW, headers, bold=True)
    for offset, values in enumerate(rows, start=LISTING_HEADER_ROW + 1):
        canvas.line(offset, values, formats)
    layout = TabLayout(
        title=title,
        column_widths=column_widths(min_widths, headers),
        frozen_rows=LISTING_HEADER_ROW + 1,
        index=index,
        highlights=highlights,
        printable=True,
        wrapped=wrapped,
    )
    return TargetTab(key, title, canvas.cells, layout, rows_from=LISTING_HEADER_ROW + 1)
