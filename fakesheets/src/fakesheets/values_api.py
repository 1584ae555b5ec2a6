"""``spreadsheets.values``: get, batchGet, update, batchUpdate, append, clear, batchClear."""

from __future__ import annotations

from typing import Any

from . import defaults
from .a1 import A1Range, cells_a1, format_range
from .errors import ApiError
from .state import Bounds, Evaluator, Sheet, Spreadsheet, clamp
from .values import from_raw, from_user_entered, render, too_long

INPUT_OPTIONS = ("RAW", "USER_ENTERED")
RENDER_OPTIONS = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
DATE_OPTIONS = ("SERIAL_NUMBER", "FORMATTED_STRING")
DIMENSIONS = ("ROWS", "COLUMNS")
VALUE_RANGE_FIELDS = {"range", "majorDimension", "values"}

Params = dict[str, list[str]]


def _param(params: Params, name: str, default: str | None = None) -> str | None:
    values = params.get(name)
    return values[-1] if values else default


def _enum(params: Params, name: str, allowed: tuple[str, ...], default: str, proto: str) -> str:
    value = _param(params, name, default) or default
    if value not in allowed:
        raise enum_error(_snake(name), proto, value)
    return value


def enum_error(field: str, proto: str, value: str) -> ApiError:
    """Google's answer to an enum value it does not know."""
    kind = f"type.googleapis.com/google.apps.sheets.v4.{proto}"
    return ApiError.bad_field(field, f"Invalid value at '{field}' ({kind}), \"{value}\"")


def _snake(name: str) -> str:
    return "".join("_" + ch.lower() if ch.isupper() else ch for ch in name)


def flag(params: Params, name: str) -> bool:
    return (_param(params, name, "false") or "false").lower() == "true"


# --- reading ------------------------------------------------------------------------------


def read(
    spreadsheet: Spreadsheet,
    bounds: Bounds,
    render_option: str = "FORMATTED_VALUE",
    date_option: str = "SERIAL_NUMBER",
    major: str = "ROWS",
    ev: Evaluator | None = None,
) -> dict[str, Any]:
    """A ValueRange for ``bounds``: trailing empty cells and rows left out."""
    ev = ev or Evaluator(spreadsheet)
    sheet = bounds.sheet
    grid: dict[tuple[int, int], Any] = {}
    for (row, col), stored in sheet.cells.items():
        if not (
            bounds.start_row <= row < bounds.end_row and bounds.start_col <= col < bounds.end_col
        ):
            continue
        entered = stored.get("userEnteredValue")
        if not entered:
            continue
        if render_option == "FORMULA" and "formulaValue" in entered:
            value: Any = entered["formulaValue"]
        else:
            fmt = stored.get("userEnteredFormat", {}).get("numberFormat")
            value = render(ev.effective(sheet, row, col), fmt, render_option, date_option)
        if value != "":
            key = (row - bounds.start_row, col - bounds.start_col)
            grid[key if major == "ROWS" else key[::-1]] = value
    out: dict[str, Any] = {"range": bounds.a1(), "majorDimension": major}
    if grid:
        last_line = max(k[0] for k in grid)
        lines: list[list[Any]] = [[] for _ in range(last_line + 1)]
        for (line, pos), value in sorted(grid.items()):
            current = lines[line]
            current.extend([""] * (pos - len(current)))
            current.append(value)
        out["values"] = lines
    return out


def _read_options(params: Params) -> tuple[str, str, str]:
    return (
        _enum(params, "valueRenderOption", RENDER_OPTIONS, "FORMATTED_VALUE", "ValueRenderOption"),
        _enum(
            params, "dateTimeRenderOption", DATE_OPTIONS, "SERIAL_NUMBER", "DateTimeRenderOption"
        ),
        _enum(params, "majorDimension", DIMENSIONS, "ROWS", "Dimension"),
    )


def get(spreadsheet: Spreadsheet, range_text: str, params: Params) -> dict[str, Any]:
    render_option, date_option, major = _read_options(params)
    return read(spreadsheet, spreadsheet.resolve(range_text), render_option, date_option, major)


def batch_get(spreadsheet: Spreadsheet, params: Params) -> dict[str, Any]:
    render_option, date_option, major = _read_options(params)
    ev = Evaluator(spreadsheet)
    ranges = [spreadsheet.resolve(text) for text in params.get("ranges", [])]
    return {
        "spreadsheetId": spreadsheet.id,
        "valueRanges": [
            read(spreadsheet, b, render_option, date_option, major, ev) for b in ranges
        ],
    }


# --- writing ------------------------------------------------------------------------------


def _check_value_range(body: Any, field: str) -> list[list[Any]]:
    """The ``values`` of a ValueRange body, type-checked as Google's JSON parser does."""
    if not isinstance(body, dict):
        raise ApiError.bad_field("", "Invalid JSON payload received. Expected an object.")
    for key in body:
        if key not in VALUE_RANGE_FIELDS:
            message = f'Invalid JSON payload received. Unknown name "{key}": Cannot find field.'
            raise ApiError.bad_field("", message)
    values = body.get("values")
    if values is None:
        return []
    if not isinstance(values, list):
        raise _list_value_error(f"{field}.values", values)
    for i, line in enumerate(values):
        if not isinstance(line, list):
            raise _list_value_error(f"{field}.values[{i}]", line)
        for j, value in enumerate(line):
            if isinstance(value, dict | list):
                where = f"{field}.values[{i}][{j}]"
                kind = "type.googleapis.com/google.protobuf.Value"
                raise ApiError.bad_field(where, f"Invalid value at '{where}' ({kind})")
    return values


def _list_value_error(field: str, value: Any) -> ApiError:
    shown = (
        f'"{value}"'
        if isinstance(value, str)
        else str(value).lower()
        if isinstance(value, bool)
        else value
    )
    message = f"Invalid value at '{field}' (type.googleapis.com/google.protobuf.ListValue), {shown}"
    return ApiError.bad_field(field, message)


def _limit(rng: A1Range) -> A1Range | None:
    """The bounds a write must stay within; a single cell is only an anchor."""
    single = (
        rng.start_row is not None
        and rng.end_row == rng.start_row + 1
        and rng.start_col is not None
        and rng.end_col == rng.start_col + 1
    )
    return None if single else rng


def _as_rows(values: list[list[Any]], major: str) -> list[list[Any]]:
    if major != "COLUMNS":
        return values
    height = max((len(col) for col in values), default=0)
    return [[col[r] if r < len(col) else None for col in values] for r in range(height)]


def write(
    spreadsheet: Spreadsheet,
    sheet: Sheet,
    start_row: int,
    start_col: int,
    rows: list[list[Any]],
    input_option: str,
    limit: A1Range | None = None,
    prefix: str = "",
) -> dict[str, Any]:
    """Write ``rows`` with their top-left at (start_row, start_col); ``None`` leaves a cell
    unchanged. Grows the grid when needed. Returns an UpdateValuesResponse (sans id).

    A text over 50,000 characters is Google's 400, its message after ``prefix``."""
    height = len(rows)
    width = max((len(r) for r in rows), default=0)
    if height == 0 or width == 0:
        return {}
    if any(too_long(value) for line in rows for value in line):
        raise ApiError.invalid(prefix + defaults.CELL_TOO_LONG)
    if limit is not None:
        _check_within(sheet, limit, start_row, start_col, height, width)
    grow_rows = max(0, start_row + height - sheet.rows)
    grow_cols = max(0, start_col + width - sheet.cols)
    if grow_rows or grow_cols:
        extra = (sheet.rows + grow_rows) * (sheet.cols + grow_cols) - sheet.rows * sheet.cols
        spreadsheet.check_cell_limit(extra)
        sheet.grid["rowCount"] = sheet.rows + grow_rows
        sheet.grid["columnCount"] = sheet.cols + grow_cols
    count = 0
    for i, line in enumerate(rows):
        for j, value in enumerate(line):
            if value is None:
                continue
            count += 1
            put_value(sheet, start_row + i, start_col + j, value, input_option)
    spreadsheet.touch()
    return {
        "updatedRange": format_range(
            sheet.title, start_row, start_row + height, start_col, start_col + width
        ),
        "updatedRows": height,
        "updatedColumns": width,
        "updatedCells": count,
    }


def put_value(sheet: Sheet, row: int, col: int, value: Any, input_option: str) -> None:
    """Store one entered value (RAW or USER_ENTERED) in a cell, keeping its other fields."""
    cell = dict(sheet.cells.get((row, col), {}))
    if input_option == "RAW":
        entered, number_format = from_raw(value), None
    else:
        entered, number_format = from_user_entered(value)
    if entered is None:
        cell.pop("userEnteredValue", None)
    else:
        cell["userEnteredValue"] = entered
    if number_format is not None:
        fmt = dict(cell.get("userEnteredFormat", {}))
        fmt.setdefault("numberFormat", number_format)
        cell["userEnteredFormat"] = fmt
    sheet.set_cell(row, col, cell)


def _check_within(
    sheet: Sheet, limit: A1Range, row: int, col: int, height: int, width: int
) -> None:
    shown = format_range(
        sheet.title,
        limit.start_row or 0,
        limit.end_row if limit.end_row is not None else sheet.rows,
        limit.start_col or 0,
        limit.end_col if limit.end_col is not None else sheet.cols,
    )
    if limit.end_row is not None and row + height > limit.end_row:
        row_number = limit.end_row + 1
        raise ApiError.invalid(
            f"Requested writing within range [{shown}], but tried writing to row [{row_number}]"
        )
    if limit.end_col is not None and col + width > limit.end_col:
        letter = cells_a1(0, 1, limit.end_col, limit.end_col + 1)[:-1]
        raise ApiError.invalid(
            f"Requested writing within range [{shown}], but tried writing to column [{letter}]"
        )


def _input_option(params: Params, body: dict[str, Any] | None = None) -> str:
    value = _param(params, "valueInputOption") or (body or {}).get("valueInputOption")
    if not value:
        raise ApiError.invalid("'valueInputOption' is required but not specified")
    if value not in INPUT_OPTIONS:
        raise enum_error("value_input_option", "ValueInputOption", str(value))
    return str(value)


def _with_data(
    spreadsheet: Spreadsheet,
    response: dict[str, Any],
    params: Params | dict[str, Any],
    prefix: str = "response",
) -> None:
    """Add ``updatedData`` when ``includeValuesInResponse`` asked for it."""
    if not response.get("updatedRange"):
        return
    bounds = spreadsheet.resolve(response["updatedRange"])
    render_option = _get(params, f"{prefix}ValueRenderOption") or "FORMATTED_VALUE"
    date_option = _get(params, f"{prefix}DateTimeRenderOption") or "SERIAL_NUMBER"
    data = read(spreadsheet, bounds, render_option, date_option)
    response["updatedData"] = data


def _get(params: Params | dict[str, Any], name: str) -> str | None:
    value = params.get(name)
    if isinstance(value, list):
        return str(value[-1]) if value else None
    return None if value is None else str(value)


def _wants_data(params: Params | dict[str, Any]) -> bool:
    value = params.get("includeValuesInResponse")
    if isinstance(value, list):
        value = value[-1] if value else None
    return str(value).lower() == "true"


def update(spreadsheet: Spreadsheet, range_text: str, params: Params, body: Any) -> dict[str, Any]:
    input_option = _input_option(params)
    values = _check_value_range(body, "data")
    major = (body or {}).get("majorDimension") or "ROWS"
    sheet, rng = spreadsheet.locate(range_text)
    response: dict[str, Any] = {"spreadsheetId": spreadsheet.id}
    response.update(
        write(
            spreadsheet,
            sheet,
            rng.start_row or 0,
            rng.start_col or 0,
            _as_rows(values, major),
            input_option,
            _limit(rng),
        )
    )
    if _wants_data(params):
        _with_data(spreadsheet, response, params)
    return response


def batch_update(spreadsheet: Spreadsheet, body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ApiError.bad_field("", "Invalid JSON payload received. Expected an object.")
    allowed = {
        "valueInputOption", "data", "includeValuesInResponse", "responseValueRenderOption",
        "responseDateTimeRenderOption",
    }  # fmt: skip
    for key in body:
        if key not in allowed:
            raise ApiError.bad_field(
                "", f'Invalid JSON payload received. Unknown name "{key}": Cannot find field.'
            )
    input_option = _input_option({}, body)
    responses: list[dict[str, Any]] = []
    totals = {"totalUpdatedRows": 0, "totalUpdatedColumns": 0, "totalUpdatedCells": 0}
    sheets: set[int] = set()
    for i, item in enumerate(body.get("data") or []):
        values = _check_value_range(item, f"data[{i}]")
        if "range" not in item:
            raise ApiError.invalid(f"Invalid data[{i}]: Must specify a range.")
        sheet, rng = spreadsheet.locate(str(item["range"]))
        rows = _as_rows(values, item.get("majorDimension") or "ROWS")
        result: dict[str, Any] = {"spreadsheetId": spreadsheet.id}
        result.update(
            write(
                spreadsheet,
                sheet,
                rng.start_row or 0,
                rng.start_col or 0,
                rows,
                input_option,
                _limit(rng),
                prefix=f"Invalid data[{i}]: ",
            )
        )
        if _wants_data(body):
            _with_data(spreadsheet, result, body)
        responses.append(result)
        if result.get("updatedCells"):
            sheets.add(sheet.sheet_id)
            totals["totalUpdatedRows"] += result["updatedRows"]
            totals["totalUpdatedColumns"] += result["updatedColumns"]
            totals["totalUpdatedCells"] += result["updatedCells"]
    out: dict[str, Any] = {"spreadsheetId": spreadsheet.id}
    out.update({k: v for k, v in totals.items() if v})
    if sheets:
        out["totalUpdatedSheets"] = len(sheets)
    if responses:
        out["responses"] = responses
    return out


def append(spreadsheet: Spreadsheet, range_text: str, params: Params, body: Any) -> dict[str, Any]:
    """Find the table in the range, write after its last row from its first column."""
    input_option = _input_option(params)
    values = _check_value_range(body, "data")
    rows = _as_rows(values, (body or {}).get("majorDimension") or "ROWS")
    insert = _param(params, "insertDataOption", "OVERWRITE")
    if insert not in ("OVERWRITE", "INSERT_ROWS"):
        raise enum_error("insert_data_option", "InsertDataOption", str(insert))
    sheet, rng = spreadsheet.locate(range_text)
    search = clamp(sheet, rng)
    table = find_table(search)
    out: dict[str, Any] = {"spreadsheetId": spreadsheet.id}
    if table is None:
        start_row, start_col = search.start_row, search.start_col
    else:
        out["tableRange"] = table.a1()
        start_row, start_col = table.end_row, table.start_col
    if insert == "INSERT_ROWS" and rows:
        insert_rows(spreadsheet, sheet, start_row, len(rows))
    updates = {"spreadsheetId": spreadsheet.id}
    updates.update(write(spreadsheet, sheet, start_row, start_col, rows, input_option))
    if _wants_data(params):
        _with_data(spreadsheet, updates, params)
    out["updates"] = updates
    return out


def insert_rows(spreadsheet: Spreadsheet, sheet: Sheet, at: int, count: int) -> None:
    """Insert ``count`` empty rows before row ``at`` (cells below move down)."""
    spreadsheet.check_cell_limit(count * sheet.cols)
    sheet.cells = {((r + count if r >= at else r), c): v for (r, c), v in sheet.cells.items()}
    sheet.row_meta = {(r + count if r >= at else r): v for r, v in sheet.row_meta.items()}
    sheet.grid["rowCount"] = sheet.rows + count


def find_table(search: Bounds) -> Bounds | None:
    """The "table" values.append appends to: the block of contiguous non-empty cells that
    holds the last non-empty cell of the searched range (row by row, left to right).

    The block grows through horizontally and vertically adjacent non-empty cells and may
    extend past the searched range, as Google's table detection does.
    """
    sheet = search.sheet
    filled = {key for key in sheet.cells if sheet.has_value(*key)}
    inside = [
        (r, c)
        for (r, c) in filled
        if search.start_row <= r < search.end_row and search.start_col <= c < search.end_col
    ]
    if not inside:
        return None
    seed = max(inside)
    block = {seed}
    todo = [seed]
    while todo:
        r, c = todo.pop()
        for nxt in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if nxt in filled and nxt not in block:
                block.add(nxt)
                todo.append(nxt)
    rows = [r for r, _ in block]
    cols = [c for _, c in block]
    return Bounds(sheet, min(rows), max(rows) + 1, min(cols), max(cols) + 1)


# --- clearing -----------------------------------------------------------------------------


def clear_bounds(spreadsheet: Spreadsheet, bounds: Bounds) -> None:
    """Clear values only; formats, notes and validation rules stay."""
    sheet = bounds.sheet
    for row, col in list(sheet.cells):
        if bounds.start_row <= row < bounds.end_row and bounds.start_col <= col < bounds.end_col:
            cell = dict(sheet.cells[(row, col)])
            cell.pop("userEnteredValue", None)
            sheet.set_cell(row, col, cell)
    spreadsheet.touch()


def clear(spreadsheet: Spreadsheet, range_text: str) -> dict[str, Any]:
    bounds = spreadsheet.resolve(range_text)
    clear_bounds(spreadsheet, bounds)
    return {"spreadsheetId": spreadsheet.id, "clearedRange": bounds.a1()}


def batch_clear(spreadsheet: Spreadsheet, body: Any) -> dict[str, Any]:
    ranges = (body or {}).get("ranges") or []
    bounds = [spreadsheet.resolve(str(text)) for text in ranges]
    for b in bounds:
        clear_bounds(spreadsheet, b)
    out: dict[str, Any] = {"spreadsheetId": spreadsheet.id}
    if bounds:
        out["clearedRanges"] = [b.a1() for b in bounds]
    return out
