"""Drive's change signals for spreadsheets: file versions and the ``changes`` feed.

Every write to a spreadsheet (a Sheets ``values`` or ``batchUpdate`` call by the API's
caller, or a direct edit by "a user" through ``FakeSheets.set_values``) bumps the file's
``version`` and appends a change to the journal. What Drive v3 reports, and how:

- ``files.get``: ``version`` (an int64, sent as a JSON *string* as Drive v3 does),
  ``modifiedTime`` and ``lastModifyingUser`` (``me`` is true when the API's caller made
  the last change, false for a user's edit);
- ``changes.getStartPageToken`` → ``{"kind": "drive#startPageToken", "startPageToken"}``;
- ``changes.list?pageToken=…`` → ``{"kind": "drive#changeList", "changes": [...],
  "nextPageToken" | "newStartPageToken"}``, one change per file and page (Drive reports a
  file's latest state, not every edit), each ``{"kind": "drive#change", "changeType":
  "file", "fileId", "time", "removed", "file": {...}}``.

Google coalesces the change signals of Sheets files (its staff speak of about three
minutes). ``delay`` seconds model that: a change is listed only once it is that old,
and the page tokens never skip a change still hidden. ``files.get`` is not delayed.
``clock`` is injectable so a benchmark can simulate the coalescing time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

ME = {"kind": "drive#user", "displayName": "sheetpilot (service account)", "me": True}
A_USER = {
    "kind": "drive#user",
    "displayName": "A user",
    "emailAddress": "someone@example.com",
    "me": False,
}
PAGE_SIZE = 100  # Drive's default pageSize for changes.list
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class Change:
    seq: int  # position in the journal: page tokens are journal positions
    file_id: str
    at: float  # the journal clock when the change happened
    when: datetime  # wall time (the change's "time")
    version: int
    by_me: bool
    removed: bool = False


class ChangeJournal:
    """Versions per file and the ordered log of changes (thread-safety: the caller's lock)."""

    def __init__(self, delay: float = 0.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.delay = delay
        self.clock = clock
        self.changes: list[Change] = []
        self.versions: dict[str, int] = {}
        self.last: dict[str, Change] = {}

    def version(self, file_id: str) -> int:
        return self.versions.get(file_id, 1)

    def bump(self, file_id: str, *, by_me: bool, removed: bool = False) -> Change:
        """Record one change to `file_id` (a new version unless it was removed)."""
        version = self.version(file_id) + (0 if removed else 1)
        self.versions[file_id] = version
        change = Change(
            len(self.changes) + 1,
            file_id,
            self.clock(),
            datetime.now(UTC),
            version,
            by_me,
            removed,
        )
        self.changes.append(change)
        self.last[file_id] = change
        return change

    def _visible(self) -> int:
        """How many changes (a prefix of the journal) are old enough to be listed."""
        now = self.clock()
        count = 0
        for change in self.changes:
            if now - change.at < self.delay:
                break
            count += 1
        return count

    def start_token(self) -> str:
        return str(self._visible() + 1)

    def page(self, token: str, page_size: int) -> tuple[list[Change], str | None, str | None]:
        """The changes from `token` on: (changes, nextPageToken, newStartPageToken)."""
        try:
            start = int(token)
        except ValueError:
            raise ValueError(f"Invalid Value: pageToken={token!r}") from None
        if start < 1:
            raise ValueError(f"Invalid Value: pageToken={token!r}")
        visible = self._visible()
        stop = min(visible, start - 1 + page_size)
        window = self.changes[start - 1 : stop]
        latest: dict[str, Change] = {}
        for change in window:  # one entry per file: its latest state in this page
            latest.pop(change.file_id, None)
            latest[change.file_id] = change
        if stop < visible:
            return list(latest.values()), str(stop + 1), None
        return list(latest.values()), None, str(max(stop, start - 1) + 1)


def drive_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def user_of(change: Change | None) -> dict[str, Any]:
    return dict(ME if change is not None and change.by_me else A_USER)
