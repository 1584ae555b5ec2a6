"""How tool-owned tabs look: number and date formats, column widths, per locale.

>>> date_format("fr"), date_format("en")
('dd/mm/yyyy', 'yyyy-mm-dd')
>>> column_widths([60, 100], ["ID", "Description (longue)"])
(60, 176)
"""

from __future__ import annotations

from collections.abc import Sequence

from sheetpilot._template import Locale

PERSON_DAYS = "0.0"
PERCENT = "0%"
INTEGER = "0"

_DATE: dict[Locale, str] = {"fr": "dd/mm/yyyy", "en": "yyyy-mm-dd"}

_PX_PER_CHAR = 8  # a bold header character, roughly, in the default font
_PADDING = 16
_MAX_WIDTH = 360


def date_format(locale: Locale) -> str:
    """The date format users of this locale read at a glance."""
    return _DATE[locale]


def column_widths(minimums: Sequence[int], *header_rows: Sequence[str]) -> tuple[int, ...]:
    """Pixels per column: at least its minimum, and wide enough for every header above it."""
    widths = list(minimums)
    for headers in header_rows:
        for col, header in enumerate(headers):
            need = min(_MAX_WIDTH, len(header) * _PX_PER_CHAR + _PADDING)
            if col >= len(widths):
                widths.append(need)
            else:
                widths[col] = max(widths[col], need)
    return tuple(widths)
