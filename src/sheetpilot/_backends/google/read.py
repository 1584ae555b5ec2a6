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
from sheetpilot._workbook import Cell, Snapshot, TabData

# The developer metadata sheetpilot puts on each tab it creates or adopts (on the sheet,
# visible to anyone with access to the document, so that any credentials see it).
MARK_KEY = "sheetpilot"
MARK_VALUE = "owned"

# One request reads everything the engine needs, and nothing else.
READ_FIELDS = (
    "sheets.properties(sheetId,title,index,gridProperties(rowCount,columnCount)),"
    "sheets.data(startRow,startColumn,"
    "rowData.values(effectiveValue,userEnteredValue,userEnteredFormat.numberFormat)),"
    "sheets.developerMetadata(metadataKey)," + CHART_FIELDS
    # the dashboard's charts: their ids and the parts of the spec the diff compares
)
READ_PARAMS = {"includeGridData": "true", "fields": READ_FIELDS}

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
    return TabData(
        title=str(props.get("title", "")),
        grid=_trim(grid),
        sheet_id=int(props.get("sheetId", 0)),
        row_count=int(size.get("rowCount", 0)),
        col_count=int(size.get("columnCount", 0)),
        owned=is_marked(sheet),
        formulas=formulas,
        charts=charts_in(sheet, str(props.get("title", "")), int(props.get("sheetId", 0))),
    )


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
