"""What a user does to a spreadsheet between two API requests: sort, insert or delete
rows, type into cells. Shared by the batchUpdate handlers (``insertDimension``,
``deleteDimension``, ``sortRange``) and by the control API's scheduled user edits.

Rows move with everything in their cells (values, formats, notes, validation), and formula
references change the way Google changes them (see `references`).

An edit as JSON (``POST /_fake/edits``, `edit_from_json`), rows 1-based as a user sees them:

- ``{"sort": {"range": "'Suivi des actions'!A2:N40", "column": "D", "descending": false}}``
- ``{"insert_rows": {"sheet": "Suivi des actions", "row": 2, "count": 1}}`` (above row 2)
- ``{"delete_rows": {"sheet": "Suivi des actions", "row": 5, "count": 1}}``
- ``{"set": {"range": "'Suivi des actions'!A7", "values": [["A-099"]]}}`` (typed in)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .references import column_of, move_relative, shift_rows
from .state import Evaluator, Sheet, Spreadsheet
from .values import ExtendedValue
from .values_api import put_value


def _rewrite_formulas(spreadsheet: Spreadsheet, change: Callable[[str, str], str]) -> None:
    """Apply ``change(home title, formula)`` to every formula of the spreadsheet."""
    for sheet in spreadsheet.sheets:
        for cell in sheet.cells.values():
            entered = cell.get("userEnteredValue")
            if entered and "formulaValue" in entered:
                entered["formulaValue"] = change(sheet.title, str(entered["formulaValue"]))


def insert_rows(spreadsheet: Spreadsheet, sheet: Sheet, at: int, count: int) -> None:
    """``count`` blank rows inserted before 0-based row ``at``."""
    sheet.cells = {((r + count if r >= at else r), c): v for (r, c), v in sheet.cells.items()}
    sheet.row_meta = {(r + count if r >= at else r): v for r, v in sheet.row_meta.items()}
    sheet.grid["rowCount"] = sheet.rows + count
    _rewrite_formulas(
        spreadsheet,
        lambda home, f: shift_rows(f, home=home, sheet=sheet.title, at=at, count=count),
    )


def delete_rows(spreadsheet: Spreadsheet, sheet: Sheet, start: int, end: int) -> None:
    """Rows ``start`` to ``end`` (0-based, end-exclusive) removed; those below move up."""
    count = end - start
    moved: dict[tuple[int, int], dict[str, Any]] = {}
    for (r, c), v in sheet.cells.items():
        if start <= r < end:
            continue
        moved[(r - count if r >= end else r, c)] = v
    sheet.cells = moved
    sheet.row_meta = {
        (r - count if r >= end else r): v for r, v in sheet.row_meta.items() if not start <= r < end
    }
    sheet.grid["rowCount"] = sheet.rows - count
    _rewrite_formulas(
        spreadsheet,
        lambda home, f: shift_rows(f, home=home, sheet=sheet.title, at=start, count=-count),
    )


def _sort_key(value: ExtendedValue | None) -> tuple[int, Any] | None:
    """Google's order: numbers, then text (ignoring case), then booleans; None: blank."""
    if not value:
        return None
    if "numberValue" in value:
        return (0, float(value["numberValue"]))
    if "stringValue" in value:
        return (1, str(value["stringValue"]).casefold())
    if "boolValue" in value:
        return (2, bool(value["boolValue"]))
    return (3, 0)


def sort_range(
    spreadsheet: Spreadsheet,
    sheet: Sheet,
    rows: tuple[int, int],
    cols: tuple[int, int],
    column: int,
    *,
    descending: bool = False,
) -> None:
    """Sort the rows of a rectangle (0-based, end-exclusive) by one column's values.

    Whole cells move; a formula that moves keeps its relative references relative to its
    new row. Blank cells sort last either way; the sort is stable.
    """
    start, end = rows
    left, right = cols
    ev = Evaluator(spreadsheet)
    keys = {r: _sort_key(ev.effective(sheet, r, column)) for r in range(start, end)}
    filled = [r for r in range(start, end) if keys[r] is not None]
    # Python's sort is stable, reverse=True included; blank cells go last either way
    order = sorted(filled, key=lambda r: keys[r], reverse=descending)  # type: ignore[arg-type,return-value]
    order += [r for r in range(start, end) if keys[r] is None]
    old = {(r, c): sheet.cells.get((r, c)) for r in range(start, end) for c in range(left, right)}
    for new_row, old_row in enumerate(order, start=start):
        for c in range(left, right):
            cell = old[(old_row, c)]
            if cell is None:
                sheet.cells.pop((new_row, c), None)
                continue
            entered = cell.get("userEnteredValue")
            if entered and "formulaValue" in entered and new_row != old_row:
                cell = dict(cell)
                cell["userEnteredValue"] = {
                    "formulaValue": move_relative(str(entered["formulaValue"]), new_row - old_row)
                }
            sheet.cells[(new_row, c)] = cell


def set_cells(sheet: Sheet, row: int, col: int, values: list[list[Any]]) -> None:
    """Values typed in from (row, col) as a user types them (USER_ENTERED); None skips."""
    for i, line in enumerate(values):
        for j, value in enumerate(line):
            if value is None:
                continue
            if row + i >= sheet.rows:
                sheet.grid["rowCount"] = row + i + 1
            if col + j >= sheet.cols:
                sheet.grid["columnCount"] = col + j + 1
            put_value(sheet, row + i, col + j, value, "USER_ENTERED")


# --- edits as data ------------------------------------------------------------------------
Edit = Callable[[Spreadsheet], None]


def _sheet(spreadsheet: Spreadsheet, title: Any) -> Sheet:
    sheet = spreadsheet.sheet_by_title(str(title))
    if sheet is None:
        raise ValueError(f"no tab named {title!r}")
    return sheet


def edit_from_json(body: Any) -> Edit:
    """One edit (see the module docstring) → a function applying it to a spreadsheet."""
    if not isinstance(body, dict) or len(body) != 1:
        raise ValueError("an edit is an object with one key: sort, insert_rows, delete_rows, set")
    ((kind, args),) = body.items()
    if not isinstance(args, dict):
        raise ValueError(f"{kind} takes an object")
    if kind == "sort":
        text = str(args["range"])
        by = column_of(str(args.get("column", "A")))
        descending = bool(args.get("descending", False))

        def sort(spreadsheet: Spreadsheet) -> None:
            bounds = spreadsheet.resolve(text)
            sort_range(
                spreadsheet,
                bounds.sheet,
                (bounds.start_row, bounds.end_row),
                (bounds.start_col, bounds.end_col),
                by,
                descending=descending,
            )

        return sort
    if kind in ("insert_rows", "delete_rows"):
        title, row, count = args["sheet"], int(args["row"]) - 1, int(args.get("count", 1))
        if row < 0 or count < 1:
            raise ValueError("row is 1-based and count at least 1")

        def rows(spreadsheet: Spreadsheet) -> None:
            sheet = _sheet(spreadsheet, title)
            if kind == "insert_rows":
                insert_rows(spreadsheet, sheet, row, count)
            else:
                delete_rows(spreadsheet, sheet, row, min(row + count, sheet.rows))

        return rows
    if kind == "set":
        text, values = str(args["range"]), args["values"]
        if not isinstance(values, list) or not all(isinstance(v, list) for v in values):
            raise ValueError("values must be a list of rows")

        def typed(spreadsheet: Spreadsheet) -> None:
            sheet, rng = spreadsheet.locate(text)
            set_cells(sheet, rng.start_row or 0, rng.start_col or 0, values)

        return typed
    raise ValueError(f"unknown edit {kind!r}: use sort, insert_rows, delete_rows or set")
