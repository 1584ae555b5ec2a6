"""The in-memory spreadsheets: sheets, sparse cells, and how cells evaluate.

Cells are stored sparsely as Google ``CellData`` dicts holding only what a user can set:
``userEnteredValue``, ``userEnteredFormat``, ``note`` and ``dataValidation``. Effective
and formatted values are computed when read.
"""

from __future__ import annotations

import pickle
import random
import string
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from . import defaults
from .a1 import A1Range, format_range, parse_cells, parse_range, quote_title
from .errors import ApiError
from .formula import ColumnCache, FormulaError, Scalar, evaluate
from .values import ExtendedValue, to_extended

Cell = dict[str, Any]

_ID_CHARS = string.ascii_letters + string.digits + "-_"


class CellLimitError(ApiError):
    """Growing the spreadsheet past Google's 10 million cells (a 400)."""

    def __init__(self, message: str) -> None:
        super().__init__(400, message)


@dataclass
class Sheet:
    """One tab: properties in Google's JSON shape plus sparse cells and metadata."""

    props: dict[str, Any]
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    row_meta: dict[int, dict[str, Any]] = field(default_factory=dict)
    col_meta: dict[int, dict[str, Any]] = field(default_factory=dict)
    merges: list[dict[str, Any]] = field(default_factory=list)
    conditional_formats: list[dict[str, Any]] = field(default_factory=list)
    protected_ranges: list[dict[str, Any]] = field(default_factory=list)
    # DeveloperMetadata located on this sheet, in Google's JSON shape (deleted with it)
    developer_metadata: list[dict[str, Any]] = field(default_factory=list)
    # EmbeddedCharts drawn on this sheet, in Google's JSON shape (deleted with it)
    charts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def sheet_id(self) -> int:
        return int(self.props["sheetId"])

    @property
    def title(self) -> str:
        return str(self.props["title"])

    @property
    def grid(self) -> dict[str, Any]:
        grid: dict[str, Any] = self.props.setdefault("gridProperties", {})
        return grid

    @property
    def rows(self) -> int:
        return int(self.grid.get("rowCount", 0))

    @property
    def cols(self) -> int:
        return int(self.grid.get("columnCount", 0))

    def set_cell(self, row: int, col: int, cell: Cell) -> None:
        """Store ``cell``, dropping it entirely when nothing is left in it."""
        cleaned = {k: v for k, v in cell.items() if v not in (None, "", {})}
        if cleaned:
            self.cells[(row, col)] = cleaned
        else:
            self.cells.pop((row, col), None)

    def has_value(self, row: int, col: int) -> bool:
        return "userEnteredValue" in self.cells.get((row, col), {})


@dataclass
class Spreadsheet:
    """A spreadsheet (a Drive file of the spreadsheet type)."""

    id: str
    props: dict[str, Any]
    sheets: list[Sheet]
    created: datetime
    modified: datetime
    shared: bool = True
    named_ranges: list[dict[str, Any]] = field(default_factory=list)
    next_protected_id: int = 1
    # DeveloperMetadata located on the spreadsheet itself
    developer_metadata: list[dict[str, Any]] = field(default_factory=list)

    def all_developer_metadata(self) -> list[dict[str, Any]]:
        """Every DeveloperMetadata of the spreadsheet: its own, then each sheet's in order."""
        found = list(self.developer_metadata)
        for sheet in self.sheets:
            found.extend(sheet.developer_metadata)
        return found

    def touch(self) -> None:
        self.modified = datetime.now(UTC)

    def copy(self) -> Spreadsheet:
        """A deep copy (a batch works on one; pickle is several times faster than
        ``copy.deepcopy`` on a sheet of 100,000 cells, and the cells are plain JSON data)."""
        clone: Spreadsheet = pickle.loads(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))
        return clone

    def sheet_by_id(self, sheet_id: int) -> Sheet | None:
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def sheet_by_title(self, title: str) -> Sheet | None:
        exact = next((s for s in self.sheets if s.title == title), None)
        if exact is not None:
            return exact
        folded = title.casefold()
        return next((s for s in self.sheets if s.title.casefold() == folded), None)

    def first_visible(self) -> Sheet:
        return next((s for s in self.sheets if not s.props.get("hidden")), self.sheets[0])

    def total_cells(self) -> int:
        return sum(s.rows * s.cols for s in self.sheets)

    def check_cell_limit(self, extra: int = 0) -> None:
        """Google's 10-million-cell limit (a batchUpdate names the request at fault)."""
        if self.total_cells() + extra > defaults.MAX_CELLS:
            raise CellLimitError(
                "This action would increase the number of cells in the workbook above the "
                f"limit of {defaults.MAX_CELLS} cells."
            )

    # --- ranges -------------------------------------------------------------------------

    def locate(self, text: str) -> tuple[Sheet, A1Range]:
        """A range string → its sheet and the (possibly open) bounds, before clamping."""
        try:
            if "!" not in text and not text.startswith("'"):
                sheet = self.sheet_by_title(text)
                if sheet is not None:
                    return sheet, A1Range(sheet.title)
                return self.first_visible(), parse_cells(None, text)
            parsed = parse_range(text)
        except ValueError:
            raise ApiError.invalid(f"Unable to parse range: {text}") from None
        sheet = self.sheet_by_title(parsed.title or "")
        if sheet is None:
            raise ApiError.invalid(f"Unable to parse range: {text}")
        return sheet, parsed

    def resolve(self, text: str) -> Bounds:
        """A range string → closed bounds clamped to the grid (reads and clears)."""
        sheet, rng = self.locate(text)
        return clamp(sheet, rng)


@dataclass(frozen=True)
class Bounds:
    """A closed rectangle on one sheet: 0-based, end-exclusive."""

    sheet: Sheet
    start_row: int
    end_row: int
    start_col: int
    end_col: int

    def a1(self) -> str:
        if self.end_row <= self.start_row or self.end_col <= self.start_col:
            return quote_title(self.sheet.title)
        return format_range(
            self.sheet.title, self.start_row, self.end_row, self.start_col, self.end_col
        )


def clamp(sheet: Sheet, rng: A1Range) -> Bounds:
    """Close open sides at the grid's edges and clamp to it; a range wholly outside the
    grid is Google's "exceeds grid limits" error."""
    r0 = rng.start_row or 0
    c0 = rng.start_col or 0
    r1 = rng.end_row if rng.end_row is not None else sheet.rows
    c1 = rng.end_col if rng.end_col is not None else sheet.cols
    if (r0 >= sheet.rows and sheet.rows > 0) or (c0 >= sheet.cols and sheet.cols > 0):
        raise exceeds_grid(sheet, rng)
    return Bounds(sheet, r0, min(r1, sheet.rows), c0, min(c1, sheet.cols))


def exceeds_grid(sheet: Sheet, rng: A1Range) -> ApiError:
    r0 = rng.start_row or 0
    c0 = rng.start_col or 0
    r1 = rng.end_row if rng.end_row is not None else max(sheet.rows, r0 + 1)
    c1 = rng.end_col if rng.end_col is not None else max(sheet.cols, c0 + 1)
    text = format_range(sheet.title, r0, r1, c0, c1)
    if not text.startswith("'"):
        title, _, cells = text.partition("!")
        text = f"'{title}'!{cells}"
    return ApiError.invalid(
        f"Range ({text}) exceeds grid limits. Max rows: {sheet.rows}, max columns: {sheet.cols}"
    )


class Evaluator:
    """Computes effective values for one read, memoising formulas and catching cycles."""

    def __init__(self, spreadsheet: Spreadsheet) -> None:
        self.spreadsheet = spreadsheet
        self.memo: dict[tuple[int, int, int], ExtendedValue | None] = {}
        self.active: set[tuple[int, int, int]] = set()
        self.extents: dict[int, int] = {}
        self.columns = ColumnCache()

    def effective(self, sheet: Sheet, row: int, col: int) -> ExtendedValue | None:
        entered = sheet.cells.get((row, col), {}).get("userEnteredValue")
        if not entered or "formulaValue" not in entered:
            return dict(entered) if entered else None
        key = (sheet.sheet_id, row, col)
        if key in self.memo:
            return self.memo[key]
        if key in self.active:
            self.columns.cycles += 1
            return {"errorValue": {"type": "REF", "message": "Circular dependency detected."}}
        self.active.add(key)
        try:
            result = evaluate(
                entered["formulaValue"],
                lambda t, r, c: self._scalar(sheet, t, r, c),
                lambda t: self._extent(sheet, t),
                self.columns,
                (row, col),
            )
        finally:
            self.active.discard(key)
        value = to_extended(result)
        self.memo[key] = value
        return value

    def _extent(self, home: Sheet, title: str | None) -> int:
        """Rows a whole-column range covers: up to the last row holding a cell."""
        sheet = home if title is None else self.spreadsheet.sheet_by_title(title)
        if sheet is None:
            return 0
        if sheet.sheet_id not in self.extents:  # cells do not change during one read
            last = max((r for r, _ in sheet.cells), default=-1)
            self.extents[sheet.sheet_id] = min(sheet.rows, last + 1)
        return self.extents[sheet.sheet_id]

    def _scalar(self, home: Sheet, title: str | None, row: int, col: int) -> Scalar:
        sheet = home if title is None else self.spreadsheet.sheet_by_title(title)
        if sheet is None:
            return FormulaError("REF", f"Unresolved sheet name '{title}'.")
        value = self.effective(sheet, row, col)
        if not value:
            return None
        if "numberValue" in value:
            return float(value["numberValue"])
        if "boolValue" in value:
            return bool(value["boolValue"])
        if "errorValue" in value:
            err = value["errorValue"]
            return FormulaError(err.get("type", "ERROR"), err.get("message", ""))
        return str(value.get("stringValue", ""))


class Store:
    """Every spreadsheet the stand-in holds, behind one lock."""

    def __init__(self, seed: int | None = None) -> None:
        self.lock = threading.RLock()
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.rng = random.Random(seed)

    def new_id(self) -> str:
        while True:
            key = "1" + "".join(self.rng.choice(_ID_CHARS) for _ in range(43))
            if key not in self.spreadsheets:
                return key

    def new_sheet_id(self, spreadsheet: Spreadsheet) -> int:
        taken = {s.sheet_id for s in spreadsheet.sheets}
        while True:
            sheet_id = self.rng.randrange(1, 2**31 - 1)
            if sheet_id not in taken:
                return sheet_id

    def create(
        self,
        title: str,
        sheets: list[dict[str, Any]] | None = None,
        *,
        shared: bool = True,
        locale: str = "en_US",
        time_zone: str = "Etc/GMT",
    ) -> Spreadsheet:
        """A new spreadsheet; ``sheets`` are SheetProperties dicts (default: one ``Sheet1``)."""
        now = datetime.now(UTC)
        spreadsheet = Spreadsheet(
            id=self.new_id(),
            props=defaults.spreadsheet_properties(title, locale, time_zone),
            sheets=[],
            created=now,
            modified=now,
            shared=shared,
        )
        for i, props in enumerate(sheets or [{}]):
            sheet_id = props.get("sheetId")
            if sheet_id is None:
                sheet_id = 0 if i == 0 else self.new_sheet_id(spreadsheet)
            spreadsheet.sheets.append(new_sheet(int(sheet_id), props, f"Sheet{i + 1}"))
        spreadsheet.check_cell_limit()
        self.spreadsheets[spreadsheet.id] = spreadsheet
        return spreadsheet

    def get(self, key: str) -> Spreadsheet:
        """The spreadsheet ``key`` as the caller may see it (404 / 403 otherwise)."""
        spreadsheet = self.spreadsheets.get(key)
        if spreadsheet is None:
            raise ApiError(404, "Requested entity was not found.")
        if not spreadsheet.shared:
            raise ApiError(403, "The caller does not have permission")
        return spreadsheet


def new_sheet(sheet_id: int, props: dict[str, Any], default_title: str) -> Sheet:
    """A sheet from (partial) SheetProperties, with Google's defaults filled in."""
    grid_in = props.get("gridProperties") or {}
    grid: dict[str, Any] = {
        "rowCount": int(grid_in.get("rowCount", defaults.ROW_COUNT)),
        "columnCount": int(grid_in.get("columnCount", defaults.COLUMN_COUNT)),
    }
    for key in ("frozenRowCount", "frozenColumnCount"):
        if grid_in.get(key):
            grid[key] = int(grid_in[key])
    for key in ("hideGridlines", "rowGroupControlAfter", "columnGroupControlAfter"):
        if grid_in.get(key):
            grid[key] = True
    out: dict[str, Any] = {
        "sheetId": sheet_id,
        "title": props.get("title") or default_title,
        "sheetType": props.get("sheetType", "GRID"),
        "gridProperties": grid,
    }
    for key in ("hidden", "rightToLeft"):
        if props.get(key):
            out[key] = True
    for key in ("tabColor", "tabColorStyle"):
        if key in props:
            out[key] = props[key]
    from .formats import mirror_colors

    mirror_colors(out)
    return Sheet(out)
