"""Spreadsheet JSON (spreadsheets.get with grid data) → Snapshot. Pure.

Each cell becomes its effective (computed) value, unformatted: numbers, text, booleans;
a formula cell gives its result. A number whose format is DATE becomes a `date`, and
DATE_TIME a `datetime`, so dates read the same way from Google as from a workbook; other
numbers (TIME, PERCENT, …) stay numbers. An error result (``#DIV/0!``) is read as its
text. Rows and cells are trimmed of trailing blanks. A sheet carrying developer metadata
with the key `MARK_KEY` is sheetpilot's (`TabData.owned`). The text of every formula cell
(``userEnteredValue.formulaValue``, in the same request) goes to `TabData.formulas`.

>>> data = {"sheets": [{"properties": {"sheetId": 7, "title": "Réglages",
...     "gridProperties": {"rowCount": 100, "columnCount": 5}},
...     "data": [{"rowData": [{"values": [{"effectiveValue": {"stringValue": "Début"}},
...         {"effectiveValue": {"numberValue": 46037},
...          "userEnteredFormat": {"numberFormat": {"type": "DATE"}}}]}]}]}]}
>>> tab = snapshot_from_json(data).tabs[0]
>>> tab.title, tab.sheet_id, tab.row_count, tab.grid, tab.owned
('Réglages', 7, 100, [['Début', datetime.date(2026, 1, 15)]], False)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sheetpilot._backends.google.charts import CHART_FIELDS, charts_in
from sheetpilot._cells import CellValue, Grid, serial_to_date, with_separator
from sheetpilot._workbook import Cell, Highlight, Snapshot, TabData

# The developer metadata sheetpilot puts on each tab it creates or adopts (on the sheet,
# visible to anyone with access to the document, so that any credentials see it).
MARK_KEY = "sheetpilot"
MARK_VALUE = "owned"

# One request reads everything the engine needs, and nothing else: each cell's value
# (a formula's result), the text of formula cells only (computed columns, the F2 selector)
# and the number-format type only (DATE/DATE_TIME make dates), in compact JSON
# (`prettyPrint=false`; the client also asks for gzip, see `http`). A field mask applies
# to every tab alike, so tool tabs cost the same per cell as input tabs.
READ_FIELDS = (
    "sheets.properties(sheetId,title,index,gridProperties(rowCount,columnCount)),"
    "sheets.data(startRow,startColumn,"
    "rowData.values(effectiveValue,userEnteredValue.formulaValue,userEnteredFormat.numberFormat.type)),"
    "sheets.developerMetadata(metadataKey),"
    "sheets.conditionalFormats(ranges,booleanRule),"  # to tell whether sheetpilot's differ
    # the dashboard's charts: their ids and the parts of the spec the diff compares
    + CHART_FIELDS
)
READ_PARAMS = {"includeGridData": "true", "prettyPrint": "false", "fields": READ_FIELDS}

_ERROR_TEXT = {
    "NULL_VALUE": "#NULL!",
    "DIVIDE_BY_ZERO": "#DIV/0!",
    "VALUE": "#VALUE!",
    "REF": "#REF!",
    "NAME": "#NAME?",
    "NUM": "#NUM!",
    "N_A": "#N/A",
    "LOADING": "#LOADING",
}
_SERIAL_EPOCH = datetime(1899, 12, 30)


def snapshot_from_json(spreadsheet: Mapping[str, Any]) -> Snapshot:
    """Every tab of a spreadsheets.get answer, in tab order."""
    sheets = sorted(
        spreadsheet.get("sheets", []),
        key=lambda s: s.get("properties", {}).get("index", 0),
    )
    return Snapshot(tabs=tuple(tab_from_json(sheet) for sheet in sheets))


def tab_from_json(sheet: Mapping[str, Any]) -> TabData:
    """One Sheet resource (properties + data) → TabData."""
    props = sheet.get("properties", {})
    size = props.get("gridProperties", {})
    grid: Grid = []
    formulas: dict[Cell, str] = {}
    for block in sheet.get("data", []):
        _place(grid, block, formulas)
    found = highlights_in(sheet)
    return TabData(
        title=str(props.get("title", "")),
        grid=_trim(grid),
        sheet_id=int(props.get("sheetId", 0)),
        row_count=int(size.get("rowCount", 0)),
        col_count=int(size.get("columnCount", 0)),
        owned=is_marked(sheet),
        formulas=formulas,
        highlights=tuple(h for _, h in found),
        highlight_at=tuple(i for i, _ in found),
        charts=charts_in(sheet, str(props.get("title", "")), int(props.get("sheetId", 0))),
    )


def highlights_in(sheet: Mapping[str, Any]) -> list[tuple[int, Highlight]]:
    """sheetpilot's conditional formats on a Sheet resource, with their positions; a rule
    without sheetpilot's mark is the user's and is left out.

    >>> rule = {"ranges": [{"sheetId": 1, "startRowIndex": 3, "endColumnIndex": 5}],
    ...     "booleanRule": {"condition": {"type": "CUSTOM_FORMULA", "values": [
    ...         {"userEnteredValue": '=AND(ISTEXT("sheetpilot");$C4="Erreur")'}]},
    ...         "format": {"backgroundColor": {"red": 0.95686275, "green": 0.8, "blue": 0.8}}}}
    >>> highlights_in({"conditionalFormats": [{"booleanRule": {}}, rule]})
    [(1, Highlight(row=3, col=0, end_col=5, condition='$C4="Erreur"', fill='F4CCCC', end_row=None))]
    """
    out: list[tuple[int, Highlight]] = []
    for index, rule in enumerate(sheet.get("conditionalFormats", [])):
        boolean = rule.get("booleanRule") or {}
        condition = boolean.get("condition") or {}
        values = condition.get("values") or [{}]
        formula = values[0].get("userEnteredValue")
        ranges = rule.get("ranges") or []
        if condition.get("type") != "CUSTOM_FORMULA" or not isinstance(formula, str) or not ranges:
            continue
        ours = Highlight.condition_of(with_separator(formula, ","))
        if ours is None:
            continue
        box = ranges[0]
        end_row = box.get("endRowIndex")
        highlight = Highlight(
            row=int(box.get("startRowIndex", 0)),
            col=int(box.get("startColumnIndex", 0)),
            end_col=int(box.get("endColumnIndex", 0)),
            condition=ours,
            fill=_hex(boolean.get("format", {})),
            end_row=None if end_row is None else int(end_row),
        )
        out.append((index, highlight))
    return out


def _hex(paint: Mapping[str, Any]) -> str:
    color = paint.get("backgroundColor") or paint.get("backgroundColorStyle", {}).get("rgbColor")
    color = color or {}
    return "".join(f"{round(float(color.get(c, 0)) * 255):02X}" for c in ("red", "green", "blue"))


def is_marked(sheet: Mapping[str, Any]) -> bool:
    """Whether a Sheet resource carries sheetpilot's mark (its developer metadata).

    >>> is_marked({"developerMetadata": [{"metadataKey": "sheetpilot"}]}), is_marked({})
    (True, False)
    """
    return any(m.get("metadataKey") == MARK_KEY for m in sheet.get("developerMetadata", []))


def formulas_in(sheet: Mapping[str, Any]) -> dict[tuple[int, int], str]:
    """The formula text of every formula cell of a Sheet resource, by (row, col).

    >>> block = {"startRow": 1, "rowData": [{"values": [{}, {"userEnteredValue":
    ...     {"formulaValue": "=P3"}}]}]}
    >>> formulas_in({"data": [block]})
    {(1, 1): '=P3'}
    """
    found: dict[tuple[int, int], str] = {}
    for block in sheet.get("data", []):
        top, left = int(block.get("startRow", 0)), int(block.get("startColumn", 0))
        for r, row in enumerate(block.get("rowData", [])):
            for c, cell in enumerate(row.get("values", [])):
                formula = (cell.get("userEnteredValue") or {}).get("formulaValue")
                if isinstance(formula, str):
                    found[(top + r, left + c)] = formula
    return found


def cell_value(cell: Mapping[str, Any]) -> CellValue:
    """One CellData → its unformatted value (see the module docstring).

    >>> formula = {"formulaValue": "=1+1"}
    >>> cell_value({"effectiveValue": {"numberValue": 2}, "userEnteredValue": formula})
    2
    >>> cell_value({"effectiveValue": {"errorValue": {"type": "DIVIDE_BY_ZERO"}}})
    '#DIV/0!'
    >>> cell_value({"userEnteredValue": {"stringValue": "=x"}})
    '=x'
    """
    value = cell.get("effectiveValue")
    if value is None:
        value = cell.get("userEnteredValue")
        if value is None or "formulaValue" in value:
            return None
    if "stringValue" in value:
        return str(value["stringValue"])
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "numberValue" in value:
        return _number(value["numberValue"], cell)
    if "errorValue" in value:
        error = value["errorValue"]
        return _ERROR_TEXT.get(str(error.get("type", "")), "#ERROR!")
    return None


def _number(raw: Any, cell: Mapping[str, Any]) -> CellValue:
    number = float(raw)
    kind = cell.get("userEnteredFormat", {}).get("numberFormat", {}).get("type")
    if kind == "DATE":
        return serial_to_date(number)
    if kind == "DATE_TIME":
        return _SERIAL_EPOCH + timedelta(days=number)
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def formula_text(cell: Mapping[str, Any]) -> str | None:
    """The formula a CellData holds, with `,` separators (Google may show the
    spreadsheet locale's `;`), or None.

    >>> formula_text({"userEnteredValue": {"formulaValue": "=IF(A1;1;2)"}})
    '=IF(A1,1,2)'
    """
    entered = cell.get("userEnteredValue") or {}
    formula = entered.get("formulaValue")
    return None if formula is None else with_separator(str(formula), ",")


def _place(grid: Grid, block: Mapping[str, Any], formulas: dict[Cell, str]) -> None:
    top = int(block.get("startRow", 0))
    left = int(block.get("startColumn", 0))
    for r, row in enumerate(block.get("rowData", [])):
        values = row.get("values", [])
        if not values:
            continue
        while len(grid) <= top + r:
            grid.append([])
        line = grid[top + r]
        for c, cell in enumerate(values):
            formula = formula_text(cell)
            if formula is not None:
                formulas[(top + r, left + c)] = formula
            value = cell_value(cell)
            if value is None:
                continue
            while len(line) <= left + c:
                line.append(None)
            line[left + c] = value


def _trim(grid: Grid) -> Grid:
    rows = [_trim_row(row) for row in grid]
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _trim_row(row: list[CellValue]) -> list[CellValue]:
    end = len(row)
    while end and (row[end - 1] is None or row[end - 1] == ""):
        end -= 1
    return row[:end]
