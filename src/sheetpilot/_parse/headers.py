"""Finding a tab's header row and mapping its columns, whatever their order.

The header row is the row, among the first `HEADER_ROWS`, that matches the most known
column names (ties: the upper one). Unknown columns are the user's: ignored and kept.
When a name appears twice, the leftmost column wins.

>>> from sheetpilot._template import A_ID, A_STATUS
>>> grid = [["Plan"], ["Note", "Statut", "ID"], ["", "En cours", "A-001"]]
>>> t = find_table("T", grid, (A_ID, A_STATUS))
>>> t.header_row, t.columns, t.address(2, "id")
(1, {'status': 1, 'id': 2}, 'C3')
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sheetpilot._cells import CellValue, Grid, a1, cell, is_blank
from sheetpilot._parse.issues import IssueLog
from sheetpilot._template import Locale, Name

HEADER_ROWS = 10


@dataclass(frozen=True)
class Table:
    """A tab's rows under its header, read by column key."""

    sheet: str
    grid: Grid
    header_row: int | None  # None when no row matches any known name
    columns: dict[str, int]  # column key → 0-based column index
    end_col: int = 0  # first column past the header row's last non-blank cell
    # (row, col) of the formula cells saved without their result (their value reads None)
    uncalculated: frozenset[tuple[int, int]] = frozenset()

    def data_rows(self) -> Iterator[int]:
        """0-based indexes of the rows below the header."""
        start = len(self.grid) if self.header_row is None else self.header_row + 1
        return iter(range(start, len(self.grid)))

    def value(self, row: int, key: str) -> CellValue:
        col = self.columns.get(key)
        return None if col is None else cell(self.grid, row, col)

    def is_uncalculated(self, row: int, key: str) -> bool:
        """Whether the field's cell holds a formula saved without its result."""
        col = self.columns.get(key)
        return col is not None and (row, col) in self.uncalculated

    def address(self, row: int, key: str) -> str:
        """A1 of a field's cell (column A when that column is not mapped)."""
        return a1(row, self.columns.get(key, 0))

    def cells(self, row: int) -> dict[str, str]:
        """Field key → A1 address, for every mapped column."""
        return {key: a1(row, col) for key, col in self.columns.items()}

    def has_content(self, row: int, keys: Sequence[str]) -> bool:
        return any(not is_blank(self.value(row, key)) for key in keys)

    @property
    def missing_cell(self) -> str:
        """Where a missing column should go: just past the last header (A1 without one)."""
        return "A1" if self.header_row is None else a1(self.header_row, self.end_col)


def find_table(
    sheet: str,
    grid: Grid,
    names: Sequence[Name],
    max_rows: int = HEADER_ROWS,
    uncalculated: frozenset[tuple[int, int]] = frozenset(),
) -> Table:
    """Locate the header row of `grid` and map every known column name found on it."""
    best_row: int | None = None
    best: dict[str, int] = {}
    for row in range(min(max_rows, len(grid))):
        found = _match_row(grid[row], names)
        if len(found) > len(best):
            best_row, best = row, found
    if best_row is None:
        return Table(sheet, grid, None, {}, uncalculated=uncalculated)
    line = grid[best_row]
    end = max((c for c, v in enumerate(line) if not is_blank(v)), default=-1) + 1
    return Table(sheet, grid, best_row, best, end, uncalculated)


def _match_row(line: Sequence[CellValue], names: Sequence[Name]) -> dict[str, int]:
    found: dict[str, int] = {}
    for col, value in enumerate(line):
        if is_blank(value):
            continue
        for name in names:
            if name.key not in found and name.matches(value):
                found[name.key] = col
                break
    return found


def find_headers(
    grid: Grid, names: Sequence[Name], max_rows: int = HEADER_ROWS
) -> dict[str, list[tuple[int, int]]]:
    """Every (row, col) among the first rows whose text is one of `names`, by key.

    For tabs holding several lists side by side (Réglages), each with its own header.
    """
    found: dict[str, list[tuple[int, int]]] = {}
    for row in range(min(max_rows, len(grid))):
        for col, value in enumerate(grid[row]):
            if is_blank(value):
                continue
            for name in names:
                if name.matches(value):
                    found.setdefault(name.key, []).append((row, col))
                    break
    return found


def report_missing_columns(
    table: Table, required: tuple[Name, ...], locale: Locale, log: IssueLog
) -> None:
    """A `missing-column` error for each required column the header row lacks."""
    for name in required:
        if name.key not in table.columns:
            log.add(
                "missing-column",
                table.sheet,
                table.missing_cell,
                log.t(
                    "column '{column}' is missing: add it to the header row",
                    column=name.label(locale),
                )
                if table.header_row is None
                else log.t(
                    "column '{column}' is missing: add it to the header row (row {row})",
                    column=name.label(locale),
                    row=table.header_row + 1,
                ),
            )
