"""Spreadsheets and grid data rendered as Sheets API JSON (``spreadsheets.get``)."""

from __future__ import annotations

from typing import Any

from . import defaults
from .fields import Mask, select
from .state import Bounds, Evaluator, Sheet, Spreadsheet
from .values import formatted, json_number

SPREADSHEET_URL = "https://docs.google.com/spreadsheets/d/{}/edit"


def clone(value: Any) -> Any:
    """A copy of JSON data (dicts, lists, scalars): what deepcopy does, several times faster."""
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clone(v) for v in value]
    return value


def json_value(value: dict[str, Any]) -> dict[str, Any]:
    """An ExtendedValue with numbers printed as Google prints them."""
    if "numberValue" in value:
        return {"numberValue": json_number(float(value["numberValue"]))}
    return dict(value)


def sheet_properties(spreadsheet: Spreadsheet, sheet: Sheet) -> dict[str, Any]:
    props = clone(sheet.props)
    ordered: dict[str, Any] = {
        "sheetId": props.pop("sheetId"),
        "title": props.pop("title"),
        "index": spreadsheet.sheets.index(sheet),
        "sheetType": props.pop("sheetType", "GRID"),
        "gridProperties": props.pop("gridProperties", {}),
    }
    ordered.update(props)
    return ordered


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = clone(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = clone(value)
    return out


def cell_json(
    spreadsheet: Spreadsheet,
    sheet: Sheet,
    row: int,
    col: int,
    ev: Evaluator,
    wanted: frozenset[str] | None = None,
) -> dict[str, Any]:
    """One CellData: entered and effective value, formatted value, formats, note, rule.

    `wanted` names the CellData fields a field mask keeps (None: all); the others are not
    built at all, since the mask would drop them anyway.
    """
    stored = sheet.cells.get((row, col))
    if not stored:
        return {}
    out: dict[str, Any] = {}
    user_format = stored.get("userEnteredFormat")
    if "userEnteredValue" in stored:
        out["userEnteredValue"] = json_value(stored["userEnteredValue"])
        effective = ev.effective(sheet, row, col)
        if effective:
            out["effectiveValue"] = json_value(effective)
            if wanted is None or "formattedValue" in wanted:
                number_format = (user_format or {}).get("numberFormat")
                out["formattedValue"] = formatted(effective, number_format)
    if user_format:
        out["userEnteredFormat"] = clone(user_format)
    if (user_format or "userEnteredValue" in stored) and (
        wanted is None or "effectiveFormat" in wanted
    ):
        default_format = spreadsheet.props.get("defaultFormat", defaults.DEFAULT_FORMAT)
        out["effectiveFormat"] = _merged(default_format, user_format or {})
    for key in ("note", "dataValidation"):
        if key in stored:
            out[key] = clone(stored[key])
    return out


def grid_data(
    spreadsheet: Spreadsheet,
    bounds: Bounds,
    ev: Evaluator,
    wanted: frozenset[str] | None = None,
) -> dict[str, Any]:
    """GridData for ``bounds``: rows up to the last non-empty one, metadata for all."""
    sheet = bounds.sheet
    out: dict[str, Any] = {}
    if bounds.start_row:
        out["startRow"] = bounds.start_row
    if bounds.start_col:
        out["startColumn"] = bounds.start_col
    by_row: dict[int, list[int]] = {}
    for row, col in sheet.cells:
        if bounds.start_row <= row < bounds.end_row and bounds.start_col <= col < bounds.end_col:
            by_row.setdefault(row, []).append(col)
    if by_row:
        rows: list[dict[str, Any]] = []
        for row in range(bounds.start_row, max(by_row) + 1):
            cols = by_row.get(row)
            if not cols:
                rows.append({})
                continue
            values = [
                cell_json(spreadsheet, sheet, row, col, ev, wanted)
                for col in range(bounds.start_col, max(cols) + 1)
            ]
            rows.append({"values": values})
        out["rowData"] = rows
    out["rowMetadata"] = [
        {"pixelSize": defaults.ROW_HEIGHT, **sheet.row_meta.get(r, {})}
        for r in range(bounds.start_row, bounds.end_row)
    ]
    out["columnMetadata"] = [
        {"pixelSize": defaults.COLUMN_WIDTH, **sheet.col_meta.get(c, {})}
        for c in range(bounds.start_col, bounds.end_col)
    ]
    return out


def trim_grid(data: dict[str, Any]) -> dict[str, Any]:
    """Drop trailing empty cells and rows left after a field mask (Google omits them)."""
    rows = data.get("rowData")
    if rows is None:
        return data
    trimmed: list[dict[str, Any]] = []
    for row in rows:
        values = list(row.get("values", []))
        while values and not values[-1]:
            values.pop()
        trimmed.append(
            {**row, "values": values} if values else {k: v for k, v in row.items() if k != "values"}
        )
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    out = {k: v for k, v in data.items() if k != "rowData"}
    if trimmed:
        out["rowData"] = trimmed
    return out


def wants_grid(mask: Mask | None, include_grid_data: bool) -> bool:
    """Whether grid data is part of the answer: the field mask decides when there is one."""
    if mask is None:
        return include_grid_data
    if "*" in mask:
        return True
    sheets = mask.get("sheets")
    return sheets is not None and (not sheets or "*" in sheets or "data" in sheets)


def _cell_fields(mask: Mask | None) -> frozenset[str] | None:
    """The CellData fields a mask keeps under sheets.data.rowData.values (None: all)."""
    node: Mask | None = mask
    for key in ("sheets", "data", "rowData", "values"):
        if not node or "*" in node:
            return None
        node = node.get(key)
        if node is None:
            return frozenset()  # the mask keeps no cell data at all
    return None if not node or "*" in node else frozenset(node)


def spreadsheet_json(
    spreadsheet: Spreadsheet,
    *,
    ranges: list[Bounds] | None = None,
    include_grid_data: bool = False,
    mask: Mask | None = None,
) -> dict[str, Any]:
    """The Spreadsheet resource as ``spreadsheets.get`` returns it."""
    ev = Evaluator(spreadsheet)
    with_grid = wants_grid(mask, include_grid_data)
    wanted = _cell_fields(mask)
    sheets_out: list[dict[str, Any]] = []
    for sheet in spreadsheet.sheets:
        mine = None if ranges is None else [b for b in ranges if b.sheet is sheet]
        if mine is not None and not mine:
            continue
        entry: dict[str, Any] = {"properties": sheet_properties(spreadsheet, sheet)}
        if sheet.merges:
            entry["merges"] = clone(sheet.merges)
        if sheet.conditional_formats:
            entry["conditionalFormats"] = clone(sheet.conditional_formats)
        if sheet.protected_ranges:
            entry["protectedRanges"] = clone(sheet.protected_ranges)
        if sheet.developer_metadata:
            entry["developerMetadata"] = clone(sheet.developer_metadata)
        if sheet.charts:
            entry["charts"] = clone(sheet.charts)
        if with_grid:
            targets = mine or [Bounds(sheet, 0, sheet.rows, 0, sheet.cols)]
            entry["data"] = [grid_data(spreadsheet, bounds, ev, wanted) for bounds in targets]
        sheets_out.append(entry)
    out: dict[str, Any] = {
        "spreadsheetId": spreadsheet.id,
        "properties": clone(spreadsheet.props),
        "sheets": sheets_out,
    }
    if spreadsheet.named_ranges:
        out["namedRanges"] = clone(spreadsheet.named_ranges)
    if spreadsheet.developer_metadata:
        out["developerMetadata"] = clone(spreadsheet.developer_metadata)
    out["spreadsheetUrl"] = SPREADSHEET_URL.format(spreadsheet.id)
    if mask is None:
        return out
    selected: dict[str, Any] = select(out, mask)
    for sheet_entry in selected.get("sheets", []):
        if "data" in sheet_entry:
            sheet_entry["data"] = [trim_grid(d) for d in sheet_entry["data"]]
    return selected
