"""``spreadsheets.batchUpdate``: every request of a batch applies, or none does.

The batch runs on a copy of the spreadsheet which replaces the original only when every
request succeeded; replies come back in request order.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from . import defaults, edits
from .a1 import A1Range, parse_range
from .errors import ApiError
from .fields import Mask, parse_mask, update
from .formats import mirror_colors, normalize_color, normalize_format
from .metadata import MetadataError, create_developer_metadata, delete_developer_metadata
from .references import move_relative
from .render import sheet_properties, spreadsheet_json
from .state import (
    Bounds,
    CellLimitError,
    Evaluator,
    Sheet,
    Spreadsheet,
    Store,
    exceeds_grid,
    new_sheet,
)
from .values import from_raw, too_long

Reply = dict[str, Any]
Handler = Callable[["Batch", dict[str, Any]], Reply]

# Every request kind the real API knows; those without a handler answer 501 here.
GOOGLE_KINDS = {
    "updateSpreadsheetProperties", "updateSheetProperties", "updateDimensionProperties",
    "updateNamedRange", "repeatCell", "addNamedRange", "deleteNamedRange", "addSheet",
    "deleteSheet", "autoFill", "cutPaste", "copyPaste", "mergeCells", "unmergeCells",
    "updateBorders", "updateCells", "addFilterView", "appendCells", "clearBasicFilter",
    "deleteDimension", "deleteEmbeddedObject", "deleteFilterView", "duplicateFilterView",
    "duplicateSheet", "findReplace", "insertDimension", "insertRange", "moveDimension",
    "updateEmbeddedObjectPosition", "pasteData", "textToColumns", "updateFilterView",
    "deleteRange", "appendDimension", "addConditionalFormatRule",
    "updateConditionalFormatRule", "deleteConditionalFormatRule", "sortRange",
    "setDataValidation", "setBasicFilter", "addProtectedRange", "updateProtectedRange",
    "deleteProtectedRange", "autoResizeDimensions", "addChart", "updateChartSpec",
    "updateBanding", "addBanding", "deleteBanding", "createDeveloperMetadata",
    "updateDeveloperMetadata", "deleteDeveloperMetadata", "randomizeRange",
    "addDimensionGroup", "deleteDimensionGroup", "updateDimensionGroup", "trimWhitespace",
    "deleteDuplicates", "updateEmbeddedObjectBorder", "addSlicer", "updateSlicerSpec",
    "addDataSource", "updateDataSource", "deleteDataSource", "refreshDataSource",
    "cancelDataSourceRefresh", "addTable", "updateTable", "deleteTable",
}  # fmt: skip

CONDITION_TYPES = {
    "NUMBER_GREATER", "NUMBER_GREATER_THAN_EQ", "NUMBER_LESS", "NUMBER_LESS_THAN_EQ",
    "NUMBER_EQ", "NUMBER_NOT_EQ", "NUMBER_BETWEEN", "NUMBER_NOT_BETWEEN", "TEXT_CONTAINS",
    "TEXT_NOT_CONTAINS", "TEXT_STARTS_WITH", "TEXT_ENDS_WITH", "TEXT_EQ", "TEXT_IS_EMAIL",
    "TEXT_IS_URL", "DATE_EQ", "DATE_BEFORE", "DATE_AFTER", "DATE_ON_OR_BEFORE",
    "DATE_ON_OR_AFTER", "DATE_BETWEEN", "DATE_NOT_BETWEEN", "DATE_IS_VALID", "ONE_OF_RANGE",
    "ONE_OF_LIST", "BLANK", "NOT_BLANK", "CUSTOM_FORMULA", "BOOLEAN", "TEXT_NOT_EQ",
    "DATE_NOT_EQ", "FILTER_EXPRESSION",
}  # fmt: skip

CELL_FIELDS = {
    "userEnteredValue",
    "userEnteredFormat",
    "note",
    "dataValidation",
    "hyperlink",
    "textFormatRuns",
}
EXTENDED_VALUE_KINDS = ("numberValue", "stringValue", "boolValue", "formulaValue", "errorValue")


class RequestError(Exception):
    """A problem with one request of the batch; becomes ``Invalid requests[i].kind: …``."""


class Batch:
    """One batchUpdate call being applied to a working copy of the spreadsheet."""

    def __init__(self, store: Store, spreadsheet: Spreadsheet) -> None:
        self.store = store
        self.work = spreadsheet.copy()

    def sheet(self, sheet_id: Any) -> Sheet:
        sheet = self.work.sheet_by_id(int(sheet_id or 0))
        if sheet is None:
            raise RequestError(f"No grid with id: {int(sheet_id or 0)}")
        return sheet

    def grid_range(self, rng: dict[str, Any] | None) -> Bounds:
        """A GridRange → closed bounds; open sides reach the grid's edges."""
        rng = rng or {}
        sheet = self.sheet(rng.get("sheetId", 0))
        r0 = int(rng.get("startRowIndex", 0))
        c0 = int(rng.get("startColumnIndex", 0))
        r1 = int(rng.get("endRowIndex", sheet.rows))
        c1 = int(rng.get("endColumnIndex", sheet.cols))
        if r0 < 0 or c0 < 0 or r1 < r0 or c1 < c0:
            raise RequestError("Invalid range: start index must not be greater than end index.")
        if r1 > sheet.rows or c1 > sheet.cols:
            raise exceeds_grid(sheet, A1Range(sheet.title, r0, r1, c0, c1))
        return Bounds(sheet, r0, r1, c0, c1)


def _mask(request: dict[str, Any], required: bool = True) -> Mask:
    text = request.get("fields")
    if not text:
        if required:
            raise RequestError("At least one field must be specified in 'fields'.")
        return {"*": {}}
    try:
        return parse_mask(str(text))
    except ValueError as exc:
        raise RequestError(f"Invalid field mask: {text}") from exc


def _check_cell(cell: Any) -> dict[str, Any]:
    if not isinstance(cell, dict):
        return {}
    value = cell.get("userEnteredValue")
    if value is not None:
        kinds = [k for k in EXTENDED_VALUE_KINDS if k in value]
        if len(kinds) > 1:
            raise RequestError("Only one value kind may be set in userEnteredValue.")
        if too_long(value.get("stringValue")) or too_long(value.get("formulaValue")):
            raise RequestError(defaults.CELL_TOO_LONG)
    return cell


def _store_cell(sheet: Sheet, row: int, col: int, source: dict[str, Any], mask: Mask) -> None:
    cell = copy.deepcopy(sheet.cells.get((row, col), {}))
    if "*" in mask:
        mask = {name: {} for name in CELL_FIELDS}
    update(cell, source, mask)
    value = cell.get("userEnteredValue")
    if isinstance(value, dict):
        if "numberValue" in value:
            cell["userEnteredValue"] = {"numberValue": float(value["numberValue"])}
        elif "stringValue" in value:
            cell["userEnteredValue"] = from_raw(str(value["stringValue"])) or {}
        elif "formulaValue" in value and not str(value["formulaValue"]).startswith("="):
            cell["userEnteredValue"] = from_raw(str(value["formulaValue"])) or {}
    if isinstance(cell.get("userEnteredFormat"), dict):
        cell["userEnteredFormat"] = normalize_format(cell["userEnteredFormat"])
    if isinstance(cell.get("dataValidation"), dict):
        cell["dataValidation"] = _normalize_rule(cell["dataValidation"])
    sheet.set_cell(row, col, cell)


def _normalize_rule(rule: dict[str, Any]) -> dict[str, Any]:
    out = {k: copy.deepcopy(v) for k, v in rule.items() if v not in (False, None, "")}
    return out


# --- handlers -----------------------------------------------------------------------------


def add_sheet(batch: Batch, request: dict[str, Any]) -> Reply:
    props = dict(request.get("properties") or {})
    work = batch.work
    title = props.get("title")
    if title is None:
        n = len(work.sheets) + 1
        while work.sheet_by_title(f"Sheet{n}") is not None:
            n += 1
        title = f"Sheet{n}"
    if work.sheet_by_title(str(title)) is not None:
        raise RequestError(
            f'A sheet with the name "{title}" already exists. Please enter another name.'
        )
    sheet_id = props.get("sheetId")
    if sheet_id is not None and work.sheet_by_id(int(sheet_id)) is not None:
        raise RequestError(f"Sheet with id {sheet_id} already exists.")
    if sheet_id is None:
        sheet_id = batch.store.new_sheet_id(work)
    sheet = new_sheet(int(sheet_id), {**props, "title": title}, str(title))
    index = props.get("index")
    position = len(work.sheets) if index is None else max(0, min(int(index), len(work.sheets)))
    work.check_cell_limit(sheet.rows * sheet.cols)
    work.sheets.insert(position, sheet)
    return {"addSheet": {"properties": sheet_properties(work, sheet)}}


def delete_sheet(batch: Batch, request: dict[str, Any]) -> Reply:
    sheet = batch.sheet(request.get("sheetId", 0))
    if len(batch.work.sheets) == 1:
        raise RequestError("You can't remove all the sheets in a document.")
    batch.work.sheets.remove(sheet)
    if all(s.props.get("hidden") for s in batch.work.sheets):
        raise RequestError("You can't remove all the visible sheets in a document.")
    return {}


def update_sheet_properties(batch: Batch, request: dict[str, Any]) -> Reply:
    source = dict(request.get("properties") or {})
    sheet = batch.sheet(source.get("sheetId", 0))
    mask = _mask(request)
    if "*" in mask:
        mask = {
            k: {}
            for k in (
                "title",
                "index",
                "gridProperties",
                "hidden",
                "tabColor",
                "tabColorStyle",
                "rightToLeft",
            )
        }
    work = batch.work
    target = copy.deepcopy(sheet.props)
    target["index"] = work.sheets.index(sheet)
    old_rows, old_cols = sheet.rows, sheet.cols
    if "sheetId" in mask and int(source.get("sheetId", 0)) != sheet.sheet_id:
        raise RequestError("Cannot change the sheetId of a sheet.")
    update(target, source, {k: v for k, v in mask.items() if k != "sheetId"})
    title = target.get("title")
    if not title:
        raise RequestError("Sheet title must not be empty.")
    other = work.sheet_by_title(str(title))
    if other is not None and other is not sheet:
        raise RequestError(
            f'A sheet with the name "{title}" already exists. Please enter another name.'
        )
    if "tabColorStyle" in mask and "tabColor" not in mask:
        target.pop("tabColor", None)
    if "tabColor" in mask and "tabColorStyle" not in mask:
        target.pop("tabColorStyle", None)
    mirror_colors(target)
    index = int(target.pop("index", 0) or 0)
    grid = target.setdefault("gridProperties", {})
    grid["rowCount"] = int(grid.get("rowCount", old_rows))
    grid["columnCount"] = int(grid.get("columnCount", old_cols))
    if grid["rowCount"] < 1 or grid["columnCount"] < 1:
        raise RequestError("A sheet must have at least one row and one column.")
    for key in (
        "frozenRowCount",
        "frozenColumnCount",
        "hideGridlines",
        "rowGroupControlAfter",
        "columnGroupControlAfter",
    ):
        if not grid.get(key):
            grid.pop(key, None)
    if grid.get("frozenRowCount", 0) >= grid["rowCount"]:
        raise RequestError("You can't freeze all visible rows on the sheet.")
    if grid.get("frozenColumnCount", 0) >= grid["columnCount"]:
        raise RequestError("You can't freeze all visible columns on the sheet.")
    for key in ("hidden", "rightToLeft"):
        if not target.get(key):
            target.pop(key, None)
    sheet.props = target
    if sheet.rows < old_rows or sheet.cols < old_cols:
        sheet.cells = {
            k: v for k, v in sheet.cells.items() if k[0] < sheet.rows and k[1] < sheet.cols
        }
    work.check_cell_limit()
    if "index" in mask:
        work.sheets.remove(sheet)
        work.sheets.insert(max(0, min(index, len(work.sheets))), sheet)
    if all(s.props.get("hidden") for s in work.sheets):
        raise RequestError("You can't hide all the sheets in a document.")
    return {}


def update_spreadsheet_properties(batch: Batch, request: dict[str, Any]) -> Reply:
    mask = _mask(request)
    props = batch.work.props
    update(props, dict(request.get("properties") or {}), mask)
    if not props.get("title"):
        raise RequestError("Spreadsheet title must not be empty.")
    return {}


def update_cells(batch: Batch, request: dict[str, Any]) -> Reply:
    mask = _mask(request)
    rows = request.get("rows") or []
    if "start" in request and "range" in request:
        raise RequestError("Only one of start or range may be set.")
    if "range" in request:
        bounds = batch.grid_range(request["range"])
        for r in range(bounds.start_row, bounds.end_row):
            line = (
                rows[r - bounds.start_row].get("values", [])
                if r - bounds.start_row < len(rows)
                else []
            )
            for c in range(bounds.start_col, bounds.end_col):
                i = c - bounds.start_col
                source = _check_cell(line[i]) if i < len(line) else {}
                _store_cell(bounds.sheet, r, c, source, mask)
        return {}
    start = request.get("start") or {}
    sheet = batch.sheet(start.get("sheetId", 0))
    r0, c0 = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
    height = len(rows)
    width = max((len(row.get("values", [])) for row in rows), default=0)
    if r0 + height > sheet.rows or c0 + width > sheet.cols:
        raise exceeds_grid(
            sheet, A1Range(sheet.title, r0, r0 + max(height, 1), c0, c0 + max(width, 1))
        )
    for i, row in enumerate(rows):
        for j, cell in enumerate(row.get("values", [])):
            _store_cell(sheet, r0 + i, c0 + j, _check_cell(cell), mask)
    return {}


def repeat_cell(batch: Batch, request: dict[str, Any]) -> Reply:
    mask = _mask(request)
    bounds = batch.grid_range(request.get("range"))
    source = _check_cell(request.get("cell") or {})
    for r in range(bounds.start_row, bounds.end_row):
        for c in range(bounds.start_col, bounds.end_col):
            _store_cell(bounds.sheet, r, c, source, mask)
    return {}


def set_data_validation(batch: Batch, request: dict[str, Any]) -> Reply:
    bounds = batch.grid_range(request.get("range"))
    rule = request.get("rule")
    if rule:
        _check_rule(batch, rule)
    source = {"dataValidation": rule} if rule else {}
    for r in range(bounds.start_row, bounds.end_row):
        for c in range(bounds.start_col, bounds.end_col):
            _store_cell(bounds.sheet, r, c, source, {"dataValidation": {}})
    return {}


def _check_rule(batch: Batch, rule: dict[str, Any]) -> None:
    condition = rule.get("condition") or {}
    kind = condition.get("type")
    if kind not in CONDITION_TYPES:
        raise ApiError.bad_field(
            "requests.set_data_validation.rule.condition.type",
            "Invalid value at 'requests.set_data_validation.rule.condition.type' "
            f'(type.googleapis.com/google.apps.sheets.v4.ConditionType), "{kind}"',
        )
    values = condition.get("values") or []
    entered = [str(v.get("userEnteredValue", "")) for v in values if isinstance(v, dict)]
    if kind == "ONE_OF_LIST" and not entered:
        raise RequestError(
            "Invalid ConditionValue for ONE_OF_LIST: at least one value is required."
        )
    if kind == "ONE_OF_RANGE":
        if len(entered) != 1 or not entered[0].startswith("="):
            raise RequestError(
                "ONE_OF_RANGE takes exactly one value: a range formula such as =Sheet1!A1:A10."
            )
        target = entered[0][1:]
        try:
            parsed = parse_range(target)
        except ValueError:
            raise RequestError(f"Invalid ConditionValue.userEnteredValue: {entered[0]}") from None
        if parsed.title is not None and batch.work.sheet_by_title(parsed.title) is None:
            raise RequestError(f"Invalid ConditionValue.userEnteredValue: {entered[0]}")


def update_dimension_properties(batch: Batch, request: dict[str, Any]) -> Reply:
    mask = _mask(request)
    rng = request.get("range") or {}
    sheet = batch.sheet(rng.get("sheetId", 0))
    dimension = rng.get("dimension")
    if dimension not in ("ROWS", "COLUMNS"):
        raise RequestError("range.dimension must be ROWS or COLUMNS.")
    size = sheet.rows if dimension == "ROWS" else sheet.cols
    start = int(rng.get("startIndex", 0))
    end = int(rng.get("endIndex", size))
    if end > size:
        bounds = (start, end, 0, 1) if dimension == "ROWS" else (0, 1, start, end)
        raise exceeds_grid(sheet, A1Range(sheet.title, *bounds))
    meta = sheet.row_meta if dimension == "ROWS" else sheet.col_meta
    source = dict(request.get("properties") or {})
    for i in range(start, end):
        target = dict(meta.get(i, {}))
        update(target, source, mask)
        target = {k: v for k, v in target.items() if v not in (None, False, 0)}
        if target:
            meta[i] = target
        else:
            meta.pop(i, None)
    return {}


def add_conditional_format_rule(batch: Batch, request: dict[str, Any]) -> Reply:
    rule = copy.deepcopy(request.get("rule") or {})
    ranges = rule.get("ranges") or []
    if not ranges:
        raise RequestError("A conditional format rule needs at least one range.")
    sheets = {batch.grid_range(r).sheet.sheet_id for r in ranges}
    if len(sheets) != 1:
        raise RequestError("All ranges of a conditional format rule must be on the same sheet.")
    kinds = [key for key in ("booleanRule", "gradientRule") if key in rule]
    if len(kinds) != 1:
        raise RequestError(
            "A conditional format rule needs exactly one of booleanRule or gradientRule."
        )
    if "booleanRule" in rule:
        _check_boolean_rule(rule["booleanRule"])
    for key in ("booleanRule", "gradientRule"):
        if isinstance(rule.get(key, {}).get("format"), dict):
            rule[key]["format"] = normalize_format(rule[key]["format"])
    sheet = batch.sheet(next(iter(sheets)))
    index = int(request.get("index", 0))
    sheet.conditional_formats.insert(max(0, min(index, len(sheet.conditional_formats))), rule)
    return {}


# What a conditional format may change (Google: "only bold, italic, strikethrough,
# foreground color and background color" of a cell).
CONDITIONAL_FORMAT_FIELDS = {"backgroundColor", "backgroundColorStyle", "textFormat"}
CONDITIONAL_TEXT_FIELDS = {
    "bold", "italic", "strikethrough", "underline", "foregroundColor", "foregroundColorStyle",
}  # fmt: skip


def _check_boolean_rule(rule: Any) -> None:
    if not isinstance(rule, dict):
        raise RequestError("booleanRule must be an object.")
    condition = rule.get("condition") or {}
    kind = condition.get("type")
    if kind not in CONDITION_TYPES:
        raise ApiError.bad_field(
            "requests.add_conditional_format_rule.rule.boolean_rule.condition.type",
            "Invalid value at 'requests.add_conditional_format_rule.rule.boolean_rule."
            f'condition.type\' (type.googleapis.com/google.apps.sheets.v4.ConditionType), "{kind}"',
        )
    values = [v for v in condition.get("values") or [] if isinstance(v, dict)]
    if kind == "CUSTOM_FORMULA":
        entered = [str(v.get("userEnteredValue", "")) for v in values]
        if len(entered) != 1 or not entered[0].startswith("="):
            raise RequestError(
                "Invalid ConditionValue for CUSTOM_FORMULA: exactly one value, a formula "
                "starting with '=', is required."
            )
    fmt = rule.get("format") or {}
    extra = set(fmt) - CONDITIONAL_FORMAT_FIELDS
    extra |= {f"textFormat.{k}" for k in set(fmt.get("textFormat") or {}) - CONDITIONAL_TEXT_FIELDS}
    if extra:
        raise RequestError(
            "Conditional formats may only set bold, italic, strikethrough, underline, "
            f"foreground color and background color, not {', '.join(sorted(extra))}."
        )


def delete_conditional_format_rule(batch: Batch, request: dict[str, Any]) -> Reply:
    sheet = batch.sheet(request.get("sheetId", 0))
    index = int(request.get("index", 0))
    if not 0 <= index < len(sheet.conditional_formats):
        raise RequestError(f"No conditional format on sheet {sheet.sheet_id} at index {index}.")
    removed = sheet.conditional_formats.pop(index)
    return {"deleteConditionalFormatRule": {"rule": removed}}


def add_protected_range(batch: Batch, request: dict[str, Any]) -> Reply:
    protected = copy.deepcopy(request.get("protectedRange") or {})
    bounds = batch.grid_range(protected.get("range"))
    protected.setdefault("protectedRangeId", batch.store.rng.randrange(1, 2**31 - 1))
    protected["range"] = {
        k: v
        for k, v in {
            "sheetId": bounds.sheet.sheet_id,
            "startRowIndex": protected.get("range", {}).get("startRowIndex"),
            "endRowIndex": protected.get("range", {}).get("endRowIndex"),
            "startColumnIndex": protected.get("range", {}).get("startColumnIndex"),
            "endColumnIndex": protected.get("range", {}).get("endColumnIndex"),
        }.items()
        if v is not None
    }
    protected["requestingUserCanEdit"] = True
    protected = {k: v for k, v in protected.items() if v not in (False, "")}
    bounds.sheet.protected_ranges.append(protected)
    return {"addProtectedRange": {"protectedRange": copy.deepcopy(protected)}}


def insert_dimension(batch: Batch, request: dict[str, Any]) -> Reply:
    rng = request.get("range") or {}
    sheet = batch.sheet(rng.get("sheetId", 0))
    start, end = int(rng.get("startIndex", 0)), int(rng.get("endIndex", 0))
    count = end - start
    if count <= 0:
        raise RequestError("endIndex must be greater than startIndex.")
    if rng.get("dimension") == "ROWS":
        batch.work.check_cell_limit(count * sheet.cols)
        edits.insert_rows(batch.work, sheet, start, count)
    else:
        batch.work.check_cell_limit(count * sheet.rows)
        sheet.cells = {
            (r, (c + count if c >= start else c)): v for (r, c), v in sheet.cells.items()
        }
        sheet.grid["columnCount"] = sheet.cols + count
    return {}


def delete_dimension(batch: Batch, request: dict[str, Any]) -> Reply:
    rng = request.get("range") or {}
    sheet = batch.sheet(rng.get("sheetId", 0))
    rows = rng.get("dimension") == "ROWS"
    size = sheet.rows if rows else sheet.cols
    start, end = int(rng.get("startIndex", 0)), int(rng.get("endIndex", size))
    if end > size or start >= end:
        raise RequestError("Invalid dimension range.")
    if end - start >= size:
        raise RequestError(
            f"You can't delete all the {'rows' if rows else 'columns'} on the sheet."
        )
    if rows:
        edits.delete_rows(batch.work, sheet, start, end)
        return {}
    count = end - start
    moved: dict[tuple[int, int], dict[str, Any]] = {}
    for (r, c), v in sheet.cells.items():
        if start <= c < end:
            continue
        moved[(r, c - count if c >= end else c)] = v
    sheet.cells = moved
    sheet.grid["columnCount"] = size - count
    return {}


def sort_range(batch: Batch, request: dict[str, Any]) -> Reply:
    """sortRange by its first sort spec (the only one fakesheets honours)."""
    bounds = batch.grid_range(request.get("range"))
    specs = request.get("sortSpecs") or [{}]
    spec = specs[0] if isinstance(specs[0], dict) else {}
    if len(specs) > 1:
        raise RequestError("fakesheets sorts by one sort spec only.")
    column = int(spec.get("dimensionIndex", bounds.start_col))
    if not bounds.start_col <= column < bounds.end_col:
        raise RequestError("The sort column must be inside the range.")
    edits.sort_range(
        batch.work,
        bounds.sheet,
        (bounds.start_row, bounds.end_row),
        (bounds.start_col, bounds.end_col),
        column,
        descending=spec.get("sortOrder") == "DESCENDING",
    )
    return {}


def copy_paste(batch: Batch, request: dict[str, Any]) -> Reply:
    """copyPaste with PASTE_VALUES (the source's computed values; the destination keeps
    its formats) or PASTE_NORMAL (whole cells; formulas keep relative rows relative),
    onto the destination's top-left cell, the source's size."""
    source = batch.grid_range(request.get("source"))
    destination = batch.grid_range(request.get("destination"))
    kind = request.get("pasteType", "PASTE_NORMAL")
    if kind not in ("PASTE_VALUES", "PASTE_NORMAL"):
        raise RequestError(f"fakesheets implements PASTE_VALUES and PASTE_NORMAL, not {kind}.")
    if request.get("pasteOrientation", "NORMAL") != "NORMAL":
        raise RequestError("fakesheets does not transpose.")
    ev = Evaluator(batch.work)
    height, width = source.end_row - source.start_row, source.end_col - source.start_col
    target = destination.sheet
    if destination.start_row + height > target.rows or destination.start_col + width > target.cols:
        raise exceeds_grid(
            target,
            A1Range(
                target.title,
                destination.start_row,
                destination.start_row + height,
                destination.start_col,
                destination.start_col + width,
            ),
        )
    copied: dict[tuple[int, int], Any] = {}
    for i in range(height):
        for j in range(width):
            r, c = source.start_row + i, source.start_col + j
            if kind == "PASTE_VALUES":
                value = ev.effective(source.sheet, r, c)
                copied[(i, j)] = None if not value or "errorValue" in value else dict(value)
            else:
                copied[(i, j)] = copy.deepcopy(source.sheet.cells.get((r, c)))
    shift = destination.start_row - source.start_row
    for (i, j), data in copied.items():
        r, c = destination.start_row + i, destination.start_col + j
        if kind == "PASTE_VALUES":
            cell = dict(target.cells.get((r, c), {}))
            cell.pop("userEnteredValue", None)
            if data:
                cell["userEnteredValue"] = data
            target.set_cell(r, c, cell)
            continue
        if data and "formulaValue" in data.get("userEnteredValue", {}) and shift:
            data["userEnteredValue"] = {
                "formulaValue": move_relative(data["userEnteredValue"]["formulaValue"], shift)
            }
        target.set_cell(r, c, data or {})
    return {}


def append_dimension(batch: Batch, request: dict[str, Any]) -> Reply:
    sheet = batch.sheet(request.get("sheetId", 0))
    length = int(request.get("length", 0))
    if length <= 0:
        raise RequestError("length must be greater than 0.")
    rows = request.get("dimension") == "ROWS"
    batch.work.check_cell_limit(length * (sheet.cols if rows else sheet.rows))
    key = "rowCount" if rows else "columnCount"
    sheet.grid[key] = int(sheet.grid[key]) + length
    return {}


def merge_cells(batch: Batch, request: dict[str, Any]) -> Reply:
    bounds = batch.grid_range(request.get("range"))
    bounds.sheet.merges.append(
        {
            "sheetId": bounds.sheet.sheet_id,
            "startRowIndex": bounds.start_row,
            "endRowIndex": bounds.end_row,
            "startColumnIndex": bounds.start_col,
            "endColumnIndex": bounds.end_col,
        }
    )
    return {}


def unmerge_cells(batch: Batch, request: dict[str, Any]) -> Reply:
    bounds = batch.grid_range(request.get("range"))

    def inside(m: dict[str, Any]) -> bool:
        return bool(
            bounds.start_row <= m["startRowIndex"]
            and m["endRowIndex"] <= bounds.end_row
            and bounds.start_col <= m["startColumnIndex"]
            and m["endColumnIndex"] <= bounds.end_col
        )

    bounds.sheet.merges = [m for m in bounds.sheet.merges if not inside(m)]
    return {}


def auto_resize_dimensions(batch: Batch, request: dict[str, Any]) -> Reply:
    dims = request.get("dimensions") or {}
    batch.sheet(dims.get("sheetId", 0))
    return {}


def create_metadata(batch: Batch, request: dict[str, Any]) -> Reply:
    try:
        return create_developer_metadata(batch.work, request, batch.store.rng)
    except MetadataError as exc:
        raise RequestError(str(exc)) from None


def delete_metadata(batch: Batch, request: dict[str, Any]) -> Reply:
    try:
        return delete_developer_metadata(batch.work, request)
    except MetadataError as exc:
        raise RequestError(str(exc)) from None


# --- charts -------------------------------------------------------------------------------
CHART_TYPES = {
    "BAR", "LINE", "AREA", "COLUMN", "SCATTER", "COMBO", "STEPPED_AREA",
}  # fmt: skip
SERIES_TYPES = {"COMBO": {"COLUMN", "LINE", "AREA"}}  # "Only LINE, AREA, and COLUMN"
AXES = {"BAR": {"BOTTOM_AXIS"}}  # a bar chart's values run along the bottom axis
DEFAULT_AXES = {"LEFT_AXIS", "RIGHT_AXIS"}


def _check_sources(batch: Batch, data: Any, where: str) -> None:
    sources = ((data or {}).get("sourceRange") or {}).get("sources") or []
    if not sources:
        raise RequestError(f"{where} must have a source range.")
    for source in sources:
        batch.grid_range(source)  # an unknown sheet or a range past the grid: Google's 400


def _check_spec(batch: Batch, spec: Any) -> dict[str, Any]:
    """A ChartSpec, checked roughly as Google does (basic charts only here)."""
    if not isinstance(spec, dict) or not spec:
        raise RequestError("ChartSpec must be set.")
    basic = spec.get("basicChart")
    if basic is None:
        raise RequestError("fakesheets supports only basicChart chart specs.")
    chart_type = basic.get("chartType")
    if chart_type not in CHART_TYPES:
        raise RequestError(f"Invalid chart type: {chart_type}")
    domains = basic.get("domains") or []
    if len(domains) > 1:
        raise RequestError("Only a single domain is supported.")
    for domain in domains:
        _check_sources(batch, domain.get("domain"), "Chart domain")
    for series in basic.get("series") or []:
        _check_sources(batch, series.get("series"), "Chart series")
        kind = series.get("type")
        if kind is not None and chart_type not in SERIES_TYPES:
            # Google's reference: a series type is "valid only if the chartType is COMBO"
            raise RequestError(f"A series type is valid only in a COMBO chart, not {chart_type}.")
        if kind is not None and kind not in SERIES_TYPES[chart_type]:
            raise RequestError(f"Series type {kind} is not valid in a {chart_type} chart.")
        axis = series.get("targetAxis")
        if axis is not None and axis not in AXES.get(chart_type, DEFAULT_AXES):
            raise RequestError(f"Invalid target axis {axis} for a {chart_type} chart.")
    return copy.deepcopy(spec)


def _find_chart(batch: Batch, chart_id: Any) -> tuple[Sheet, dict[str, Any]] | None:
    for sheet in batch.work.sheets:
        for chart in sheet.charts:
            if chart.get("chartId") == chart_id:
                return sheet, chart
    return None


def add_chart(batch: Batch, request: dict[str, Any]) -> Reply:
    chart = request.get("chart") or {}
    spec = _check_spec(batch, chart.get("spec"))
    position = chart.get("position") or {}
    overlay = position.get("overlayPosition")
    if overlay is not None:
        anchor = overlay.get("anchorCell") or {}
        sheet = batch.sheet(anchor.get("sheetId", 0))
        row, col = int(anchor.get("rowIndex", 0)), int(anchor.get("columnIndex", 0))
        if not (0 <= row < sheet.rows and 0 <= col < sheet.cols):
            raise RequestError("The anchor cell of the chart is outside the grid.")
    elif "sheetId" in position:
        sheet = batch.sheet(position["sheetId"])
    else:
        raise RequestError("fakesheets places charts on an existing sheet only.")
    chart_id = chart.get("chartId")
    if chart_id is not None and _find_chart(batch, chart_id) is not None:
        raise RequestError(f"An embedded object with id {chart_id} already exists.")
    if chart_id is None:
        chart_id = batch.store.rng.randrange(1, 2**31 - 1)
    stored = {"chartId": int(chart_id), "spec": spec, "position": copy.deepcopy(position)}
    sheet.charts.append(stored)
    return {"addChart": {"chart": copy.deepcopy(stored)}}


def update_chart_spec(batch: Batch, request: dict[str, Any]) -> Reply:
    found = _find_chart(batch, request.get("chartId"))
    if found is None:
        raise RequestError(f"No chart with id: {request.get('chartId')}")
    found[1]["spec"] = _check_spec(batch, request.get("spec"))
    return {}


def delete_embedded_object(batch: Batch, request: dict[str, Any]) -> Reply:
    found = _find_chart(batch, request.get("objectId"))
    if found is None:
        raise RequestError(f"No embedded object with id: {request.get('objectId')}")
    found[0].charts.remove(found[1])
    return {}


HANDLERS: dict[str, Handler] = {
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "updateCells": update_cells,
    "repeatCell": repeat_cell,
    "setDataValidation": set_data_validation,
    "updateDimensionProperties": update_dimension_properties,
    "addConditionalFormatRule": add_conditional_format_rule,
    "deleteConditionalFormatRule": delete_conditional_format_rule,
    "addProtectedRange": add_protected_range,
    "insertDimension": insert_dimension,
    "deleteDimension": delete_dimension,
    "sortRange": sort_range,
    "copyPaste": copy_paste,
    "appendDimension": append_dimension,
    "mergeCells": merge_cells,
    "unmergeCells": unmerge_cells,
    "autoResizeDimensions": auto_resize_dimensions,
    "createDeveloperMetadata": create_metadata,
    "deleteDeveloperMetadata": delete_metadata,
    "addChart": add_chart,
    "updateChartSpec": update_chart_spec,
    "deleteEmbeddedObject": delete_embedded_object,
}

TOP_LEVEL = {
    "requests",
    "includeSpreadsheetInResponse",
    "responseRanges",
    "responseIncludeGridData",
}


def _kind(index: int, request: Any) -> str:
    if not isinstance(request, dict) or not request:
        raise ApiError.invalid(f"Invalid requests[{index}]: No request set.")
    kinds = list(request)
    for kind in kinds:
        if kind not in GOOGLE_KINDS:
            message = (
                f"Invalid JSON payload received. Unknown name \"{kind}\" at 'requests[{index}]': "
                "Cannot find field."
            )
            raise ApiError.bad_field(f"requests[{index}]", message)
    if len(kinds) > 1:
        message = (
            f"Invalid value at 'requests[{index}]' (oneof), oneof field 'kind' is already set. "
            f"Cannot set '{kinds[1]}'"
        )
        raise ApiError.bad_field(f"requests[{index}]", message)
    return str(kinds[0])


def apply(store: Store, spreadsheet: Spreadsheet, body: Any) -> dict[str, Any]:
    """Run a batchUpdate body; returns the response and stores the result atomically."""
    if not isinstance(body, dict):
        raise ApiError.bad_field("", "Invalid JSON payload received. Expected an object.")
    for key in body:
        if key not in TOP_LEVEL:
            raise ApiError.bad_field(
                "", f'Invalid JSON payload received. Unknown name "{key}": Cannot find field.'
            )
    requests = body.get("requests") or []
    if not isinstance(requests, list):
        raise ApiError.bad_field("requests", "Invalid value at 'requests'")
    if not requests:
        raise ApiError.invalid("Must specify at least one request.")
    kinds = [_kind(i, request) for i, request in enumerate(requests)]
    batch = Batch(store, spreadsheet)
    replies: list[Reply] = []
    for i, (kind, request) in enumerate(zip(kinds, requests, strict=True)):
        handler = HANDLERS.get(kind)
        if handler is None:
            raise ApiError(
                501, f"fakesheets does not implement the '{kind}' request (requests[{i}])."
            )
        payload = request[kind]
        if not isinstance(payload, dict):
            raise ApiError.bad_field(
                f"requests[{i}].{kind}", f"Invalid value at 'requests[{i}].{kind}'"
            )
        try:
            replies.append(handler(batch, payload))
        except RequestError as exc:
            raise ApiError.invalid(f"Invalid requests[{i}].{kind}: {exc}") from None
        except CellLimitError as exc:
            raise ApiError.invalid(f"Invalid requests[{i}].{kind}: {exc.message}") from None
    batch.work.touch()
    store.spreadsheets[spreadsheet.id] = batch.work
    out: dict[str, Any] = {"spreadsheetId": spreadsheet.id, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        ranges = [batch.work.resolve(str(r)) for r in body.get("responseRanges") or []]
        out["updatedSpreadsheet"] = spreadsheet_json(
            batch.work,
            ranges=ranges or None,
            include_grid_data=bool(body.get("responseIncludeGridData")),
        )
    return out


__all__ = ["HANDLERS", "apply", "normalize_color"]
