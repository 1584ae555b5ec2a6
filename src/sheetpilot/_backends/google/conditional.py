"""Guarded writes on Google: checked by the spreadsheet itself, inside the atomic batch.

The Sheets API has no conditional write, and a check read before the write leaves a
window in which a user can sort, insert, delete or type. So a guarded write (an ID for a
row whose ID cell was blank) is sent as three steps of the one batchUpdate, which Google
applies in order, all or nothing, with no edit in between:

1. `addSheet` a hidden scratch tab, one cell per guarded write, holding
   ``=IF(AND(<the guarded cells still hold what was read>),"A-031",<the target cell>)``;
2. `copyPaste` … `PASTE_VALUES` from that cell onto the target cell: the new ID when the
   row is still the one read and its ID cell still blank, else the cell's own current
   value (pasted onto itself: no change);
3. `deleteSheet` the scratch tab.

A user edit that reaches Google before the batch is seen by the formula (the row moved,
the ID was typed: nothing is written); one that comes after it wins over it, as any later
edit does. Conditions: a blank cell is ``LEN(TRIM(x&""))=0``; text is compared exactly
(``EXACT``); a whole number by value; other values only as "still a number". A text
longer than `_MAX_TEXT` characters or holding control characters is not compared (the
row's other cells still are). Values written this way are text or whole numbers.

>>> from sheetpilot._workbook import CellWrite, Guard
>>> w = CellWrite("Suivi", 6, 0, "A-031", guard=Guard(6, 0, None, ((3, "Site v2"), (7, 3))))
>>> print(guarded_formula(w))  # doctest: +NORMALIZE_WHITESPACE
=IF(AND(LEN(TRIM('Suivi'!A7&""))=0,EXACT('Suivi'!D7&"","Site v2"),AND(ISNUMBER('Suivi'!H7),'Suivi'!H7=3)),"A-031",'Suivi'!A7)
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from sheetpilot._cells import CellValue, a1, date_to_serial, is_blank, quote_tab, with_separator
from sheetpilot._errors import BackendError
from sheetpilot._workbook import CellWrite

JSON = dict[str, Any]
SCRATCH_TITLE = "sheetpilot-scratch"
_MAX_TEXT = 2000
_MAX_FORMULA = 40_000  # well under Google's 50,000 characters per cell


def _string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _literal(value: CellValue) -> str:
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise BackendError(f"a guarded write on Google takes text or a whole number, not {value!r}")


def _condition(ref: str, expected: CellValue) -> str | None:
    """The formula test that `ref` still holds `expected` (None: not testable)."""
    if is_blank(expected):
        return f'LEN(TRIM({ref}&""))=0'
    if isinstance(expected, bool):
        return None  # TRUE/FALSE read differently per locale: not compared
    if isinstance(expected, date):
        expected = date_to_serial(expected)
    if isinstance(expected, int | float):
        if math.isfinite(expected) and float(expected).is_integer():
            return f"AND(ISNUMBER({ref}),{ref}={int(expected)})"
        return f"ISNUMBER({ref})"  # no decimal literal: they depend on the locale
    text = str(expected)
    if len(text) > _MAX_TEXT or any(ord(ch) < 32 for ch in text):
        return None
    return f'EXACT({ref}&"",{_string(text)})'


def guarded_formula(write: CellWrite) -> str:
    """``=IF(AND(guards), new value, current value)`` for `write` (see the module doc)."""
    guard = write.guard
    assert guard is not None
    tab = quote_tab(write.sheet)
    target = tab + a1(write.row, write.col)
    value = _literal(write.value)
    tests: list[str] = []
    size = len(target) * 2 + len(value) + 20
    for col, expected in ((guard.col, guard.expected), *guard.also):
        test = _condition(tab + a1(guard.row, col), expected)
        if test is None or size + len(test) > _MAX_FORMULA:
            continue
        tests.append(test)
        size += len(test) + 1
    return f"=IF(AND({','.join(tests)}),{value},{target})"


def scratch_title(titles: list[str]) -> str:
    """A title for the scratch tab that no tab has (Google titles ignore case).

    >>> scratch_title(["Plan", "sheetpilot-scratch"])
    'sheetpilot-scratch-2'
    """
    taken = {t.casefold() for t in titles}
    title, n = SCRATCH_TITLE, 1
    while title.casefold() in taken:
        n += 1
        title = f"{SCRATCH_TITLE}-{n}"
    return title


def conditional_requests(
    writes: list[CellWrite], sheet_ids: dict[str, int], scratch_id: int, title: str = SCRATCH_TITLE
) -> list[JSON]:
    """The batchUpdate requests that apply `writes` (all guarded) server-side. They must
    travel in one request (one atomic batch), scratch tab to its deletion."""
    if not writes:
        return []
    scratch: JSON = {
        "sheetId": scratch_id,
        "title": title,
        "hidden": True,
        "gridProperties": {"rowCount": len(writes), "columnCount": 1},
    }
    rows = [
        {
            "values": [
                {"userEnteredValue": {"formulaValue": with_separator(guarded_formula(w), ";")}}
            ]
        }
        for w in writes
    ]
    requests: list[JSON] = [
        {"addSheet": {"properties": scratch}},
        {
            "updateCells": {
                "start": {"sheetId": scratch_id, "rowIndex": 0, "columnIndex": 0},
                "rows": rows,
                "fields": "userEnteredValue",
            }
        },
    ]
    for i, w in enumerate(writes):
        requests.append(
            {
                "copyPaste": {
                    "source": _cell_range(scratch_id, i, 0),
                    "destination": _cell_range(sheet_ids[w.sheet], w.row, w.col),
                    "pasteType": "PASTE_VALUES",
                }
            }
        )
    requests.append({"deleteSheet": {"sheetId": scratch_id}})
    return requests


def _cell_range(sheet_id: int, row: int, col: int) -> JSON:
    return {
        "sheetId": sheet_id,
        "startRowIndex": row,
        "endRowIndex": row + 1,
        "startColumnIndex": col,
        "endColumnIndex": col + 1,
    }
