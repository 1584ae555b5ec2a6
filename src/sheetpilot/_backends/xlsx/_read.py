"""Reading a workbook: values from python-calamine, formulas from a light lxml pass.

python-calamine (Rust) reads every cell's value, a formula cell as its cached result, and
gives dates as dates by their number format. Only a worksheet part that holds formulas
or error cells is also parsed with lxml, for the formula text, the formula cells saved
without a result (`uncalculated`: openpyxl and some generators save none) and the error
values (`#N/A`, `#DIV/0!`, … which calamine reads as blank).
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from typing import Any

from python_calamine import CalamineWorkbook

from sheetpilot._backends.xlsx._charts import read_charts
from sheetpilot._backends.xlsx._formulas import as_typed, shift
from sheetpilot._backends.xlsx._ooxml import parse_ref, parse_xml, q
from sheetpilot._backends.xlsx._package import Book, Package
from sheetpilot._backends.xlsx._present import CONDITIONAL_MARK, PRINT_MARK, read_highlights
from sheetpilot._cells import CellValue, Grid
from sheetpilot._workbook import Cell, Highlight, Snapshot, TabData

# What a formula or an error cell looks like in a worksheet part's bytes (a quick look:
# a substring search is many times faster than a regular expression over megabytes).
_FORMULA_MARKS = (b"<f>", b"<f ", b"<f/>", b":f>", b":f ", b":f/>")
_ERROR_MARK = b' t="e"'


def has_formulas(part: bytes) -> bool:
    """Whether a worksheet part holds a formula (a quick look at its bytes)."""
    return any(mark in part for mark in _FORMULA_MARKS)


def to_cell_value(value: object) -> CellValue:
    """A value as read → a CellValue (midnight datetimes become dates, whole floats ints).

    >>> to_cell_value(datetime(2026, 1, 15)), to_cell_value(time(12, 30)), to_cell_value(3.0)
    (datetime.date(2026, 1, 15), '12:30:00', 3)
    >>> to_cell_value(""), to_cell_value(1.5), to_cell_value(timedelta(hours=6))
    (None, 1.5, 0.25)
    """
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, str):
        return value or None
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) and value.tzinfo is None else value
    if isinstance(value, date):
        return value
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    return str(value)


def _grid(rows: list[list[Any]]) -> Grid:
    """calamine's rows → a Grid, trailing blank cells and rows trimmed (like Google's API)."""
    grid: Grid = []
    for row in rows:
        line: list[CellValue] = []
        for v in row:
            kind = type(v)  # the common kinds first: this runs for every cell
            if kind is str:
                line.append(v or None)
            elif kind is float:
                line.append(int(v) if v.is_integer() and -(2**53) < v < 2**53 else v)
            else:
                line.append(to_cell_value(v))
        while line and line[-1] is None:
            line.pop()
        grid.append(line)
    while grid and not grid[-1]:
        grid.pop()
    return grid


def _put(grid: Grid, row: int, col: int, value: CellValue) -> None:
    while len(grid) <= row:
        grid.append([])
    line = grid[row]
    while len(line) <= col:
        line.append(None)
    line[col] = value


class _Formulas:
    """What the lxml pass finds in one worksheet part."""

    def __init__(self, data: bytes) -> None:
        self.formulas: dict[Cell, str] = {}
        self.uncalculated: set[Cell] = set()
        self.errors: dict[Cell, str] = {}
        shared: dict[str, tuple[Cell, str]] = {}
        pending: list[tuple[Cell, str]] = []
        root = parse_xml(data)
        for c in root.iter(q("c")):
            f = c.find(q("f"))
            kind = c.get("t")
            if f is None and kind != "e":
                continue
            ref = c.get("r")
            if not ref:
                continue
            where = parse_ref(ref)
            v = c.find(q("v"))
            if kind == "e" and v is not None and v.text:
                self.errors[where] = v.text
            if f is None:
                continue
            if v is None or (v.text in (None, "") and kind not in ("str", "inlineStr")):
                self.uncalculated.add(where)
            text = f.text
            if f.get("t") == "shared" and f.get("si") is not None:
                if text:
                    shared[f.get("si", "")] = (where, text)
                else:
                    pending.append((where, f.get("si", "")))
                    continue
            if text:
                self.formulas[where] = "=" + as_typed(text)
        for where, si in pending:  # cells that share a formula written once, on its first cell
            if si in shared:
                origin, text = shared[si]
                self.formulas[where] = "=" + as_typed(_shift(text, origin, where))


def _shift(formula: str, origin: Cell, where: Cell) -> str:
    """A shared formula as it reads in another cell (relative references moved)."""
    return shift(formula, where[0] - origin[0], where[1] - origin[1])


def read_workbook(data: bytes) -> Snapshot:
    """Every worksheet of the .xlsx in `data`, with its values, formulas and ownership."""
    book = Book(Package(data))
    owned = book.owned()
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
    tabs = []
    for tab in book.worksheets:
        sheet = calamine.get_sheet_by_name(tab.title)
        grid = _grid(sheet.to_python(skip_empty_area=False))
        end = sheet.end
        rows, cols = (end[0] + 1, end[1] + 1) if end is not None else (len(grid), 0)
        formulas: dict[Cell, str] = {}
        uncalculated: frozenset[Cell] = frozenset()
        assert tab.part is not None
        raw = book.package.read(tab.part)
        if has_formulas(raw) or _ERROR_MARK in raw:
            found = _Formulas(raw)
            formulas = found.formulas
            uncalculated = frozenset(found.uncalculated)
            for (r, c), text in found.errors.items():
                _put(grid, r, c, text)
            for r, c in uncalculated:
                if r < len(grid) and c < len(grid[r]):
                    grid[r][c] = None
        highlights: tuple[Highlight, ...] = ()
        if CONDITIONAL_MARK in raw:
            highlights = read_highlights(parse_xml(raw), book.styles())
        is_owned = tab.title in owned
        tabs.append(
            TabData(
                title=tab.title,
                grid=grid,
                row_count=max(rows, 1),
                col_count=max(cols, 1),
                formulas=formulas,
                uncalculated=uncalculated,
                owned=is_owned,
                highlights=highlights,
                presented=(PRINT_MARK in raw) if is_owned else None,
                charts=read_charts(book, tab.title, tab.part, raw) if is_owned else (),
            )
        )
    return Snapshot(tabs=tuple(tabs))
