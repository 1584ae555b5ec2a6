"""A1 notation as Google reads and writes it: sheet titles, open ranges, normalisation.

>>> parse_range("'It''s'!D4:A1")
A1Range(title="It's", start_row=0, end_row=4, start_col=0, end_col=4)
>>> parse_range("Sheet1!A2:2")
A1Range(title='Sheet1', start_row=1, end_row=2, start_col=0, end_col=None)
>>> format_range("D3", 0, 4, 0, 4), format_range("Sheet1", 0, 1, 1, 2)
("'D3'!A1:D4", 'Sheet1!B1')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ENDPOINT = re.compile(r"^\$?([A-Za-z]{1,3})?\$?([0-9]+)?$")
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CELL_LIKE = re.compile(r"^[A-Za-z]{1,3}[0-9]+$|^[Rr][0-9]*[Cc][0-9]*$")
MAX_COLUMNS = 18278  # ZZZ


def col_letter(col: int) -> str:
    """0-based column index → letters, written out as Google does.

    >>> [col_letter(c) for c in (0, 25, 26, 701, 702, 18277)]
    ['A', 'Z', 'AA', 'ZZ', 'AAA', 'ZZZ']
    """
    if not 0 <= col < MAX_COLUMNS:
        raise ValueError(f"column {col} is outside A..ZZZ")
    # Bijective base 26: the widths of the 1-, 2- and 3-letter blocks are 26, 676, 17576.
    for width in (1, 2, 3):
        block = (26, 676, 17576)[width - 1]
        if col < block:
            digits = []
            for _ in range(width):
                col, rem = divmod(col, 26)
                digits.append(chr(ord("A") + rem))
            return "".join(reversed(digits))
        col -= block
    raise AssertionError("unreachable")


def col_index(letters: str) -> int:
    """Column letters → 0-based index (case-insensitive).

    >>> [col_index(s) for s in ("A", "z", "AA", "ZZ", "AAA", "ZZZ")]
    [0, 25, 26, 701, 702, 18277]
    """
    letters = letters.upper()
    if not 1 <= len(letters) <= 3 or not all("A" <= ch <= "Z" for ch in letters):
        raise ValueError(f"not column letters: {letters!r}")
    offset = (0, 26, 26 + 676)[len(letters) - 1]  # columns named with fewer letters
    value = 0
    for ch in letters:
        value = value * 26 + (ord(ch) - ord("A"))
    return offset + value


@dataclass(frozen=True)
class A1Range:
    """A parsed range: 0-based, end-exclusive; ``None`` marks an open side."""

    title: str | None
    start_row: int | None = None
    end_row: int | None = None
    start_col: int | None = None
    end_col: int | None = None


def split_title(text: str) -> tuple[str | None, str | None]:
    """``"'My tab'!A1"`` → ``("My tab", "A1")``; ``"A1"`` → ``(None, "A1")``.

    A quoted title without a cell part gives ``(title, None)``.
    """
    if text.startswith("'"):
        i, title = 1, []
        while i < len(text):
            ch = text[i]
            if ch == "'":
                if text[i + 1 : i + 2] == "'":
                    title.append("'")
                    i += 2
                    continue
                rest = text[i + 1 :]
                if rest == "":
                    return "".join(title), None
                if rest.startswith("!"):
                    return "".join(title), rest[1:]
                raise ValueError(text)
            title.append(ch)
            i += 1
        raise ValueError(text)
    if "!" in text:
        head, _, cells = text.rpartition("!")
        return head, cells
    return None, text


def _endpoint(text: str) -> tuple[int | None, int | None]:
    m = _ENDPOINT.match(text)
    if not m or (m.group(1) is None and m.group(2) is None):
        raise ValueError(text)
    col = col_index(m.group(1)) if m.group(1) else None
    row = int(m.group(2)) - 1 if m.group(2) else None
    if (row is not None and row < 0) or (col is not None and col >= MAX_COLUMNS):
        raise ValueError(text)
    return row, col


def _span(a: int | None, b: int | None) -> tuple[int | None, int | None]:
    """Two endpoint coordinates on one axis → (start, end-exclusive), open sides None."""
    if a is not None and b is not None:
        return min(a, b), max(a, b) + 1
    return a, (b + 1 if b is not None else None)


def parse_cells(title: str | None, cells: str) -> A1Range:
    """Parse the part after ``!``: ``A1``, ``A1:B2``, ``A:C``, ``2:5``, ``A2:2``, ``A2:B``."""
    text = cells.strip()
    if ":" not in text:
        row, col = _endpoint(text)
        if row is None or col is None:
            raise ValueError(cells)
        return A1Range(title, row, row + 1, col, col + 1)
    left, _, right = text.partition(":")
    r0, c0 = _endpoint(left)
    r1, c1 = _endpoint(right)
    start_row, end_row = _span(r0, r1)
    start_col, end_col = _span(c0, c1)
    return A1Range(title, start_row, end_row, start_col, end_col)


def parse_range(text: str) -> A1Range:
    """Parse a full A1 range; raises ``ValueError`` when Google could not parse it either."""
    if not text or not text.strip():
        raise ValueError(text)
    title, cells = split_title(text)
    if cells is None:
        return A1Range(title)
    if title is not None and title == "":
        raise ValueError(text)
    return parse_cells(title, cells)


def quote_title(title: str) -> str:
    """A sheet title as Google prints it in ranges: bare when unambiguous, else quoted."""
    if _PLAIN_TITLE.match(title) and not _CELL_LIKE.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def cells_a1(start_row: int, end_row: int, start_col: int, end_col: int) -> str:
    """0-based, end-exclusive bounds → ``A1`` or ``A1:B2``."""
    first = f"{col_letter(start_col)}{start_row + 1}"
    if end_row - start_row == 1 and end_col - start_col == 1:
        return first
    return f"{first}:{col_letter(end_col - 1)}{end_row}"


def format_range(title: str, start_row: int, end_row: int, start_col: int, end_col: int) -> str:
    """A closed range as Google prints it back, e.g. ``Sheet1!A1:Z1000``."""
    return f"{quote_title(title)}!{cells_a1(start_row, end_row, start_col, end_col)}"
