"""Cell values, A1 addresses and the canonical form used to compare cells.

Pure helpers shared by the parser, the renderer, the diff and the backends.

>>> a1(0, 0), a1(11, 6), a1(0, 27)
('A1', 'G12', 'AB1')
>>> parse_a1("F2")
(1, 5)
>>> canonical(date(2026, 1, 15)) == canonical(46037.0)
True
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

# What a cell may hold once read: the backends convert to these and nothing else.
CellValue = str | int | float | bool | date | datetime | None
Grid = list[list[CellValue]]

SERIAL_EPOCH = date(1899, 12, 30)


@lru_cache(maxsize=1024)  # the same few columns are named on every row
def col_letter(col: int) -> str:
    """0-based column index → letters (0 → A, 26 → AA)."""
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str) -> int:
    """Column letters → 0-based index (A → 0, AA → 26)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def a1(row: int, col: int) -> str:
    """0-based (row, col) → A1 address."""
    return f"{col_letter(col)}{row + 1}"


_A1 = re.compile(r"^([A-Za-z]{1,3})(\d+)$")


def parse_a1(address: str) -> tuple[int, int]:
    """A1 address → 0-based (row, col)."""
    m = _A1.match(address.strip())
    if not m:
        raise ValueError(f"not an A1 cell address: {address!r}")
    return int(m.group(2)) - 1, col_index(m.group(1))


def date_to_serial(value: date) -> float:
    """A date (or datetime) → Sheets/Excel serial number (days since 1899-12-30)."""
    if isinstance(value, datetime):
        delta = value - datetime(1899, 12, 30, tzinfo=value.tzinfo)
        return delta.days + delta.seconds / 86400
    return float((value - SERIAL_EPOCH).days)


def serial_to_date(serial: float) -> date:
    """Serial number → date (the fractional part, a time of day, is dropped)."""
    return SERIAL_EPOCH + timedelta(days=int(serial))


def cell(grid: Grid, row: int, col: int) -> CellValue:
    """The value at (row, col), None when outside the grid."""
    if 0 <= row < len(grid):
        line = grid[row]
        if 0 <= col < len(line):
            return line[col]
    return None


def is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def canonical(value: CellValue) -> str | float | bool | None:
    """The form two cells are compared in: dates as serials, numbers as floats, blank as None.

    A date written by sheetpilot and read back as a serial number (Google) or a datetime
    (openpyxl) compares equal to the date it was rendered from.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, date):
        return date_to_serial(value)
    if isinstance(value, int | float):
        return float(value)
    if value == "":
        return None
    return value


# Google's limit on the text of one cell; nothing sheetpilot writes is longer.
MAX_CELL_CHARS = 50_000
# How much of a user's text a message quotes.
QUOTE_CHARS = 100
ELLIPSIS = "…"


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """`text` cut to at most `limit` characters, an ellipsis marking the cut.

    >>> shorten("Campagne e-mail"), shorten("x" * 500)[-3:], len(shorten("x" * 500))
    ('Campagne e-mail', 'xx…', 100)
    """
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)] + ELLIPSIS


def fit_cell(value: CellValue) -> CellValue:
    """A value as it may be written: text over 50,000 characters is shortened (ellipsis).

    >>> len(fit_cell("é" * 60_000)), fit_cell(3.5)
    (50000, 3.5)
    """
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        return shorten(value, MAX_CELL_CHARS)
    return value


# --- formula text ---------------------------------------------------------------------
def _formula_parts(text: str) -> list[tuple[bool, str]]:
    """Split formula text into (literal?, piece): "…" strings and '…' tab names are
    literal, everything else is code."""
    parts: list[tuple[bool, str]] = []
    i, start = 0, 0
    while i < len(text):
        quote = text[i]
        if quote in "\"'":
            if start < i:
                parts.append((False, text[start:i]))
            j = i + 1
            while j < len(text):
                if text[j] == quote:
                    if text[j + 1 : j + 2] == quote:  # a doubled quote stays inside
                        j += 2
                        continue
                    break
                j += 1
            parts.append((True, text[i : j + 1]))
            i = start = j + 1
            continue
        i += 1
    if start < len(text):
        parts.append((False, text[start:]))
    return parts


@lru_cache(maxsize=1 << 16)
def formula_key(text: str) -> str:
    """The form two formulas are compared in: argument separators as `,`, no spaces,
    function names, references and tab names upper-case and tab names unquoted (Google
    quotes a tab name only when it must), strings kept as they are; so a formula read back
    from Google (which may show `;`, change case or drop quotes) equals the one written.

    >>> formula_key('=iferror(index(Priorités!$a:$a; 2) ; "x; y")')
    '=IFERROR(INDEX(PRIORITÉS!$A:$A,2),"x; y")'
    >>> formula_key("=INDEX(Priorités!A:A,2)") == formula_key("=index('priorités'!A:A;2)")
    True

    Remembered: a warm daemon compares the same formula texts at every sync.
    """
    out = []
    for literal, piece in _formula_parts(text.strip()):
        if literal and piece.startswith("'"):
            out.append(piece[1:-1].replace("''", "'").upper())  # a tab name
        elif literal:
            out.append(piece)
        else:
            out.append("".join(piece.split()).replace(";", ",").upper())
    return "".join(out)


def with_separator(text: str, separator: str) -> str:
    """The formula with its argument separators (`,` or `;`, outside strings) as `separator`.

    Formulas here hold no decimal numbers and no array literals, so every `,` or `;` in
    code separates arguments.

    >>> with_separator('=IF(A1="a,b",1,2)', ";")
    '=IF(A1="a,b";1;2)'
    """
    other = ";" if separator == "," else ","
    return "".join(
        piece if literal else piece.replace(other, separator)
        for literal, piece in _formula_parts(text)
    )


def quote_tab(title: str) -> str:
    """A tab title as a formula reference prefix: always quoted, quotes doubled.

    >>> quote_tab("L'équipe")
    "'L''équipe'!"
    """
    return "'" + title.replace("'", "''") + "'!"
