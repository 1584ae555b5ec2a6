"""The period selector: cell F2 of the Actions par période / Actions by period tab.

F2 is the user's choice. When sheetpilot fills it by default (the period containing
today), it says so in G2 — "(choix automatique : P3)" — so that the next sync can tell
its own default, which follows the calendar, from a period the user picked, which stays.
"""

from __future__ import annotations

import re

from sheetpilot._cells import Grid, cell
from sheetpilot._parse.values import as_text
from sheetpilot._template import Locale

SELECTOR_ROW, SELECTOR_COL = 1, 5  # F2
MARKER_COL = 6  # G2
_MARKER_LABEL: dict[Locale, str] = {"fr": "choix automatique", "en": "automatic choice"}
_MARKER = re.compile(r"^\(\s*(?:choix automatique|automatic choice)\s*:\s*(.*?)\s*\)$")


def auto_marker(period: str, locale: Locale) -> str:
    """The G2 note saying F2 was filled by default.

    >>> auto_marker("P3", "fr")
    '(choix automatique : P3)'
    """
    colon = " :" if locale == "fr" else ":"
    return f"({_MARKER_LABEL[locale]}{colon} {period})"


def selected_period(grid: Grid | None) -> str | None:
    """The period name the user picked in F2, as text; None when the tab or F2 is blank,
    or when F2 still holds the default sheetpilot chose (G2 names that same period).

    >>> selected_period([[], ["", "", "", "", "Période :", " P2 "]])
    'P2'
    >>> selected_period([[], ["", "", "", "", "Période :", "P2", "(choix automatique : P2)"]])
    >>> selected_period([[], ["", "", "", "", "Période :", "P4", "(choix automatique : P2)"]])
    'P4'

    Only F2 exactly as sheetpilot wrote it is its default: `=P3` typed over the default
    P3 is the user's, kept as typed.

    >>> selected_period([[], ["", "", "", "", "Période :", "=P3", "(choix automatique : P3)"]])
    '=P3'
    """
    if grid is None:
        return None
    chosen = as_text(cell(grid, SELECTOR_ROW, SELECTOR_COL)) or None
    marker = _MARKER.match(as_text(cell(grid, SELECTOR_ROW, MARKER_COL)))
    if chosen is not None and marker and marker.group(1).strip() == chosen:
        return None
    return chosen
