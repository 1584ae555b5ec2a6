"""What a new Google spreadsheet looks like: default properties, format and theme (en_US)."""

from __future__ import annotations

import copy
from typing import Any

ROW_COUNT = 1000
COLUMN_COUNT = 26
ROW_HEIGHT = 21
COLUMN_WIDTH = 100
MAX_CELLS = 10_000_000
# Google's limit on one cell's text (a string or a formula), and its 400 message (as
# Google answers it: values.update bare, values.batchUpdate prefixed "Invalid data[i]: ",
# spreadsheets.batchUpdate prefixed "Invalid requests[i].updateCells: "). Sources: the
# answers quoted in public bug reports (freelabz/secator#96, gspread's APIError; bellingcat
# auto-archiver logs for "Invalid data[4]: …"), Google's "Sheets API usage limits" page for
# the 2 MB recommended payload; the 10-million-cell message as in burnash/gspread#950.
MAX_CELL_CHARS = 50_000
CELL_TOO_LONG = (
    f"Your input contains more than the maximum of {MAX_CELL_CHARS} characters in a single cell."
)
# Google's hard limit on a request body (it recommends 2 MB at most), and its 400 message.
MAX_REQUEST_BYTES = 10_485_760
PAYLOAD_TOO_LARGE = f"Request payload size exceeds the limit: {MAX_REQUEST_BYTES} bytes."
SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"

_WHITE = {"red": 1, "green": 1, "blue": 1}

DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": dict(_WHITE),
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": dict(_WHITE)},
}

_THEME_COLORS = [
    ("TEXT", {}),
    ("BACKGROUND", dict(_WHITE)),
    ("ACCENT1", {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}),
    ("ACCENT2", {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}),
    ("ACCENT3", {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}),
    ("ACCENT4", {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}),
    ("ACCENT5", {"red": 1, "green": 0.42745098, "blue": 0.003921569}),
    ("ACCENT6", {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}),
    ("LINK", {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}),
]

DEFAULT_THEME: dict[str, Any] = {
    "primaryFontFamily": "Arial",
    "themeColors": [{"colorType": kind, "color": {"rgbColor": rgb}} for kind, rgb in _THEME_COLORS],
}


def spreadsheet_properties(
    title: str, locale: str = "en_US", time_zone: str = "Etc/GMT"
) -> dict[str, Any]:
    """The ``properties`` of a new spreadsheet."""
    return {
        "title": title,
        "locale": locale,
        "autoRecalc": "ON_CHANGE",
        "timeZone": time_zone,
        "defaultFormat": copy.deepcopy(DEFAULT_FORMAT),
        "spreadsheetTheme": copy.deepcopy(DEFAULT_THEME),
    }
