"""Which spreadsheet a target names: a bare key or a docs.google.com URL.

>>> spreadsheet_key("https://docs.google.com/spreadsheets/d/1AbC-d_9/edit#gid=0")
'1AbC-d_9'
>>> spreadsheet_key("1AbC-d_9xyz0123456789")
'1AbC-d_9xyz0123456789'
>>> is_google_target("plan.xlsx"), is_google_target("1AbC-d_9xyz0123456789")
(False, True)
"""

from __future__ import annotations

import re

from sheetpilot._errors import ConfigError

_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
# /spreadsheets/d/KEY, also under /u/0/ or /a/domain/ prefixes; the key stops at / ? # or end.
_URL = re.compile(
    r"^https?://docs\.google\.com/(?:a/[^/]+/)?spreadsheets/(?:u/\d+/)?d/([A-Za-z0-9_-]+)(?:[/?#]|$)"
)
# Real keys are 44 characters; anything shorter than this is more likely a typo or a file name.
MIN_KEY_LENGTH = 10


def spreadsheet_key(target: str) -> str:
    """The spreadsheet key in `target` (a key or a spreadsheet URL); ConfigError otherwise."""
    text = target.strip()
    match = _URL.match(text)
    if match:
        return match.group(1)
    if _KEY.match(text) and len(text) >= MIN_KEY_LENGTH:
        return text
    if "docs.google.com" in text:
        raise ConfigError(
            "not a Google Sheets URL: {target!r}; copy the address of the spreadsheet (https://docs.google.com/spreadsheets/d/KEY/edit) or just its KEY",
            target=target,
        )
    raise ConfigError(
        "not a spreadsheet key or URL: {target!r}; a key is the long part between /d/ and /edit in the spreadsheet's address",
        target=target,
    )


def is_google_target(target: str) -> bool:
    """True when `target` reads as a Google spreadsheet key or URL (not a local path)."""
    try:
        spreadsheet_key(target)
    except ConfigError:
        return False
    return True
