"""Moving a formula to another cell, as Excel does when it shares one formula over a range.

Excel and LibreOffice store a filled-down formula once, in the first cell of the range
(`<f t="shared" ref="B2:B500" si="0">A2*2</f>`); the other cells only name the group. The
formula a cell of the group holds is the first one with its relative references moved by
the distance between the cells: `A2*2` in B2 is `A3*2` in B3. References with `$` stay.

>>> shift("A2*2", 1, 0)
'A3*2'
>>> shift("SUM($A$1:A2)+Budget!B$2+'Mon onglet'!C3", 2, 1)
"SUM($A$1:B4)+Budget!C$2+'Mon onglet'!D5"
>>> shift('IF(A1="B2",LOG10(C3),D:D)', 1, 1)
'IF(B2="B2",LOG10(D4),E:E)'
>>> shift("SUM(Depenses[Col1])+A1", 1, 0)
'SUM(Depenses[Col1])+A2'

Functions newer than Excel 2007 are stored with a `_xlfn.` prefix, which the file keeps
and Excel hides: `as_stored` adds it to the formulas sheetpilot writes, `as_typed`
takes it away from the formulas it reads.

>>> as_stored('IFNA(XLOOKUP(A1,B:B,C:C),"IFS(")')
'_xlfn.IFNA(_xlfn.XLOOKUP(A1,B:B,C:C),"IFS(")'
>>> as_typed("_xlfn.IFNA(_xlfn._xlws.SORT(A1:A3),0)")
'IFNA(SORT(A1:A3),0)'
"""

from __future__ import annotations

import re

from sheetpilot._cells import col_index, col_letter

# A string literal, a quoted tab name, a table's [column] or an external [book], a cell
# reference, a whole-column or whole-row range,
# or any other run of name characters (function names, defined names, numbers).
_TOKEN = re.compile(
    r"""
    (?P<string>"(?:[^"]|"")*")
  | (?P<sheet>'(?:[^']|'')*'!)
  | (?P<bracket>\[(?:[^\[\]]|\[[^\]]*\])*\])
  | (?P<cols>(?<![\w.$])\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}(?![\w(]))
  | (?P<rows>(?<![\w.$:])\$?\d+:\$?\d+(?![\w.(]))
  | (?P<cell>(?<![\w.])(\$?)([A-Za-z]{1,3})(\$?)(\d+)(?![\w(!]))
  | (?P<name>[\w.]+)
    """,
    re.VERBOSE,
)
_COLS = re.compile(r"(\$?)([A-Za-z]{1,3})")
_ROWS = re.compile(r"(\$?)(\d+)")


def _col(dollar: str, letters: str, by: int) -> str:
    return dollar + letters if dollar else col_letter(max(col_index(letters) + by, 0))


def _row(dollar: str, digits: str, by: int) -> str:
    return dollar + digits if dollar else str(max(int(digits) + by, 1))


def shift(formula: str, rows: int, cols: int) -> str:
    """`formula` (without its `=`) as it reads `rows` down and `cols` right of its cell."""

    def move(m: re.Match[str]) -> str:
        kind = m.lastgroup
        if kind == "cell":
            col_dollar, letters, row_dollar, digits = m.group(7, 8, 9, 10)
            if col_index(letters) > 16383:  # not a column: a name such as LOG10 or TAX2026
                return m.group(0)
            return _col(col_dollar, letters, cols) + _row(row_dollar, digits, rows)
        if kind == "cols":
            return _COLS.sub(lambda c: _col(c.group(1), c.group(2), cols), m.group(0))
        if kind == "rows":
            return _ROWS.sub(lambda r: _row(r.group(1), r.group(2), rows), m.group(0))
        return m.group(0)

    return _TOKEN.sub(move, formula)


# Excel 2010+ functions Excel stores with the `_xlfn.` prefix (the common ones).
NEWER_FUNCTIONS = frozenset(
    [
        "AGGREGATE",
        "ARABIC",
        "BASE",
        "BITAND",
        "BITOR",
        "BITXOR",
        "CEILING.MATH",
        "CONCAT",
        "DAYS",
        "DECIMAL",
        "FILTER",
        "FLOOR.MATH",
        "FORMULATEXT",
        "IFNA",
        "IFS",
        "ISOWEEKNUM",
        "LET",
        "MAXIFS",
        "MINIFS",
        "NUMBERVALUE",
        "RANDARRAY",
        "SEQUENCE",
        "SHEET",
        "SHEETS",
        "SORT",
        "SORTBY",
        "SWITCH",
        "TEXTJOIN",
        "UNIQUE",
        "XLOOKUP",
        "XMATCH",
        "XOR",
    ]
)
_FUNCTION = re.compile(r'("(?:[^"]|"")*")|(?<![\w.])([A-Za-z][\w.]*)(?=\()')
_PREFIX = re.compile(r'("(?:[^"]|"")*")|_xlfn\.(?:_xlws\.)?')


def as_stored(formula: str) -> str:
    """A formula as the file stores it: newer functions get their `_xlfn.` prefix."""

    def prefix(m: re.Match[str]) -> str:
        name = m.group(2)
        if name is None or name.upper() not in NEWER_FUNCTIONS:
            return m.group(0)
        return ("_xlfn._xlws." if name.upper() in ("SORT", "FILTER") else "_xlfn.") + name

    return _FUNCTION.sub(prefix, formula)


def as_typed(formula: str) -> str:
    """A formula as Excel shows it: without the `_xlfn.` prefixes."""
    return _PREFIX.sub(lambda m: m.group(1) or "", formula)
