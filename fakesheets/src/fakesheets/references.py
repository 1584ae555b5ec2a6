"""How formula references change when rows move, as Google Sheets changes them.

- Rows inserted on a tab: every reference (relative or absolute, from any tab) to a row
  at or below the insertion point moves down; a range that spans it grows.
- Rows deleted: references below move up; a range loses the deleted rows; a reference
  wholly inside them becomes ``#REF!``.
- A sorted range: each formula that moves with its row keeps its relative references
  relative to its new position (``=$A7`` moved from row 7 to row 3 reads ``=$A3``);
  absolute rows and references from cells that did not move are left alone, so they now
  see whatever row sits at the place they name.

Whole-column references (``A:A``) never change.

>>> shift_rows("=SUM(B2:B9)+$C$12", home="T", sheet="T", at=4, count=2)
'=SUM(B2:B11)+$C$14'
>>> shift_rows("='T'!A5+A7", home="U", sheet="T", at=4, count=-1)
'=#REF!+A7'
>>> move_relative("=IF($A7=\\"\\",\\"\\",$A7&B$2)", -4)
'=IF($A3="","",$A3&B$2)'
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .a1 import col_index, col_letter, split_title
from .formula import _TOKEN

_POINT = re.compile(r"^(\$?)([A-Za-z]{1,3})(\$?)(\d+)$")

Rewrite = Callable[[str | None, list[tuple[bool, int]]], list[int] | None]


def _rewrite_refs(formula: str, rewrite: Rewrite) -> str:
    """Apply ``rewrite(title, [(absolute row?, row)...])`` to every cell or range reference.

    ``rewrite`` returns the new rows, or None for ``#REF!``. Text inside strings is kept.
    """
    if not formula.startswith("="):
        return formula
    out: list[str] = ["="]
    pos, text = 1, formula
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            return formula  # not something we can parse: Google would keep it as is
        kind = m.lastgroup
        token = m.group(kind or "op")
        lead = text[pos : m.start(kind or "op")]
        pos = m.end()
        if kind != "ref":
            out.append(lead + token)
            continue
        title, cells = split_title(token) if "!" in token else (None, token)
        prefix = token[: len(token) - len(cells or "")]
        parts = (cells or "").split(":")
        points = [_POINT.match(p) for p in parts]
        if not all(points):
            out.append(lead + token)  # a whole-column range
            continue
        rows = rewrite(title, [(bool(p.group(3)), int(p.group(4)) - 1) for p in points if p])
        if rows is None:
            out.append(lead + "#REF!")
            continue
        new = [
            f"{p.group(1)}{p.group(2)}{p.group(3)}{row + 1}"
            for p, row in zip(points, rows, strict=True)
            if p
        ]
        out.append(lead + prefix + ":".join(new))
    return "".join(out)


def shift_rows(formula: str, *, home: str, sheet: str, at: int, count: int) -> str:
    """References to tab ``sheet`` from a formula on tab ``home`` after ``count`` rows were
    inserted at 0-based row ``at`` (``count`` < 0: ``-count`` rows deleted from ``at``)."""

    def rewrite(title: str | None, points: list[tuple[bool, int]]) -> list[int] | None:
        if (title if title is not None else home).casefold() != sheet.casefold():
            return [row for _, row in points]
        if count > 0:
            return [row + count if row >= at else row for _, row in points]
        end = at - count  # first row after the deleted block
        rows = [row for _, row in points]
        if len(rows) == 1:
            row = rows[0]
            if at <= row < end:
                return None
            return [row + count if row >= end else row]
        lo, hi = min(rows), max(rows)
        if at <= lo and hi < end:
            return None
        new_lo = lo if lo < at else (at if lo < end else lo + count)
        new_hi = hi if hi < at else (at - 1 if hi < end else hi + count)
        return [new_lo, new_hi] if rows[0] <= rows[1] else [new_hi, new_lo]

    return _rewrite_refs(formula, rewrite)


def move_relative(formula: str, rows: int) -> str:
    """A formula moved ``rows`` rows down (up when negative) by a sort: relative row
    references follow it, absolute ones stay."""

    def rewrite(title: str | None, points: list[tuple[bool, int]]) -> list[int] | None:
        moved = [row if absolute else row + rows for absolute, row in points]
        return None if any(row < 0 for row in moved) else moved

    return _rewrite_refs(formula, rewrite)


def column_of(letters: str) -> int:
    """Column letters or a 0-based index as text → 0-based index (``"B"`` → 1)."""
    return int(letters) if letters.isdigit() else col_index(letters)


__all__ = ["col_letter", "column_of", "move_relative", "shift_rows"]
