"""Colours that follow the data: the conditional formats sheetpilot keeps on its tabs.

Pure. Each rule is a `Highlight`: a range, a condition for its top-left cell, a fill.
The kinds a tab can use:

- `over_capacity`: a number above a limit (a load over 100 %);
- `over_column`: a number above the one in another column of its row (person-days over
  an owner's capacity);
- `row_where`: a whole row when one of its columns holds a word (an error in Contrôles);
- `cell_is`: a cell holding exactly a word (a result *À risque* in the objectives).

>>> over_capacity(11, 1, end_row=12).condition
'AND(ISNUMBER(B12),B12>1)'
>>> row_where(3, 0, 5, 2, "Erreur", RED).condition
'$C4="Erreur"'
>>> cell_is(1, 12, "En retard", RED).condition
'M2="En retard"'
>>> over_column(5, 2, 3).condition
'AND(ISNUMBER(C6),ISNUMBER(D6),D6>0,C6>D6)'
"""

from __future__ import annotations

from sheetpilot._cells import a1, col_letter
from sheetpilot._i18n import HEALTH_WORDS, Translator
from sheetpilot._models import ParsedPlan
from sheetpilot._workbook import Highlight

RED = "F4CCCC"  # Google's "light red 2": needs attention now
AMBER = "FCE8B2"  # "light yellow 2": worth a look


def _text(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def over_capacity(
    row: int,
    col: int,
    *,
    end_row: int | None,
    end_col: int | None = None,
    limit: float = 1,
    fill: str = RED,
) -> Highlight:
    """Cells from (row, col) to `end_row` (None: the last row) holding a number above
    `limit` (1: a load over 100 %); text such as a header is never coloured."""
    ref = a1(row, col)
    return Highlight(
        row,
        col,
        end_col if end_col is not None else col + 1,
        f"AND(ISNUMBER({ref}),{ref}>{limit:g})",
        fill,
        end_row,
    )


def over_column(
    row: int, col: int, capacity_col: int, *, end_row: int | None = None, fill: str = RED
) -> Highlight:
    """Cells of column `col` from `row` down whose number exceeds the positive one in
    `capacity_col` on the same row (person-days over an owner's capacity)."""
    ref = a1(row, col)
    cap = a1(row, capacity_col)
    return Highlight(
        row,
        col,
        col + 1,
        f"AND(ISNUMBER({ref}),ISNUMBER({cap}),{cap}>0,{ref}>{cap})",
        fill,
        end_row,
    )


def row_where(row: int, col: int, end_col: int, key_col: int, word: str, fill: str) -> Highlight:
    """Rows from `row` down, columns `col`..`end_col`, whose `key_col` holds `word`."""
    return Highlight(row, col, end_col, f"${col_letter(key_col)}{row + 1}={_text(word)}", fill)


def cell_is(row: int, col: int, word: str, fill: str, *, end_row: int | None = None) -> Highlight:
    """Cells of column `col` from `row` down holding exactly `word`."""
    return Highlight(row, col, col + 1, f"{a1(row, col)}={_text(word)}", fill, end_row)


def health_highlights(plan: ParsedPlan, t: Translator) -> dict[str, tuple[Highlight, ...]]:
    """The objectives tab's computed `État`/`Health` column: late red, at risk amber, in
    the words the column holds (the plan's language)."""
    out: dict[str, tuple[Highlight, ...]] = {}
    for column in plan.computed:
        if column.key != "health":
            continue
        first = column.header_row + 1
        out[column.sheet] = (
            cell_is(first, column.col, t(HEALTH_WORDS["late"]), RED),
            cell_is(first, column.col, t(HEALTH_WORDS["at risk"]), AMBER),
        )
    return out
