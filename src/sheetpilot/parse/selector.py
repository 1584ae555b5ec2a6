"""The period selector: cell F2 of the Actions par période / Actions by period tab."""

from __future__ import annotations

from sheetpilot.cells import Grid, cell
from sheetpilot.parse.values import as_text

SELECTOR_ROW, SELECTOR_COL = 1, 5  # F2


def selected_period(grid: Grid | None) -> str | None:
    """The period name the user picked in F2, as text; None when the tab or F2 is blank.

    >>> selected_period([[], ["", "", "", "", "Période :", " P2 "]])
    'P2'
    """
    if grid is None:
        return None
    return as_text(cell(grid, SELECTOR_ROW, SELECTOR_COL)) or None
