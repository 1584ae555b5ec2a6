"""Change detection: whether a plan's spreadsheet must be read, without reading it.

Every plan's job fires on its `every`/`cron` cadence, but a Google plan is read from
Sheets only when `why_sync` gives a reason:

- ``first-run``: the history has never seen the plan synced (or its spreadsheet changed);
- ``edit``: Drive reported a version of the spreadsheet newer than the one our last sync
  covered (that version is taken *after our own write*, so our writes never count);
- ``day-change``: the plan's date, in its time zone, is not the one of its last sync
  (overdue flags, the default period and health depend on today);
- ``safety-net``: `max_interval` (default 6 h) has passed since the last sync.

Drive's changes feed (`ChangeFeed`) costs one Drive request per poll for every file the
account sees (one more per 1,000 changes); the polls of all plans share one feed, and a
poll younger than `freshness` seconds is reused by the next plans that fire.

>>> from datetime import UTC, date, datetime
>>> from sheetpilot._history import Watch
>>> now = datetime(2026, 1, 15, 10, 0, tzinfo=UTC)
>>> synced = Watch("p", "K", synced_version=7, seen_version=7, last_sync=now,
...                synced_day=date(2026, 1, 15))
>>> why_sync(None, "K", today=now.date(), now=now, max_interval=21600)
'first-run'
>>> why_sync(synced, "K", today=now.date(), now=now, max_interval=21600) is None
True
>>> why_sync(Watch(**{**synced.__dict__, "seen_version": 9}), "K", today=now.date(),
...          now=now, max_interval=21600)
'edit'
>>> why_sync(synced, "K", today=date(2026, 1, 16), now=now, max_interval=21600)
'day-change'
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date, datetime

from sheetpilot._backends.google.drive import DriveClient, PageTokenExpired
from sheetpilot._daemon.governor import GovernorClosed
from sheetpilot._history import HistoryStore, Reason, Watch

log = logging.getLogger("sheetpilot.daemon")


def why_sync(
    watch: Watch | None,
    spreadsheet: str,
    *,
    today: date,
    now: datetime,
    max_interval: float,
) -> Reason | None:
    """Why the plan must be read now, or None: nothing changed, no Sheets request."""
    if watch is None or watch.last_sync is None or watch.spreadsheet != spreadsheet:
        return "first-run"
    seen, synced = watch.seen_version, watch.synced_version
    if synced is None:  # Drive's feed restarted: what the last sync covered is unknown
        return "safety-net"
    if seen is not None and seen > synced:
        return "edit"
    if watch.synced_day != today:
        return "day-change"
    if (now - watch.last_sync).total_seconds() >= max_interval:
        return "safety-net"
    return None


class ChangeFeed:
    """Drive's changes feed for the whole daemon, its page token kept in the history."""

    def __init__(
        self,
        drive: DriveClient,
        history: HistoryStore,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.drive = drive
        self.history = history
        self._clock = clock
        self._lock = threading.Lock()
        self._polled: float | None = None  # clock time the last good poll started
        self.polls = 0
        self.failures = 0
        self.failing = False  # the last poll failed
        self.on_poll: Callable[[bool], object] = lambda ok: None  # metrics

    def refresh(self, freshness: float) -> bool:
        """Poll Drive unless a poll started less than `freshness` seconds ago.

        Returns False when Drive could not be asked (the plans then sync only for a day
        change, the safety net or a first run, until it answers again).
        """
        with self._lock:
            started = self._clock()
            if self._polled is not None and started - self._polled < freshness:
                return True
            try:
                self._poll()
            except GovernorClosed:
                raise
            except Exception as exc:
                self.failures += 1
                self.failing = True
                self.on_poll(False)
                log.warning("cannot list Drive's changes (edits wait for Drive): %s", exc)
                return False
            self._polled = started
            self.polls += 1
            self.failing = False
            self.on_poll(True)
            return True

    def _poll(self) -> None:
        token = self.history.feed_token()
        if token is None:
            self.history.set_feed_token(self.drive.start_token())
            return  # changes from now on; every plan's first run reads it anyway
        try:
            changes, new_token = self.drive.changes(token)
        except PageTokenExpired:
            log.warning("Drive's change feed restarts: every plan syncs once (safety net)")
            self.history.set_feed_token(self.drive.start_token())
            self.history.forget_syncs()
            return
        self.history.saw_changes(
            ((c.file_id, c.version, c.me, c.when) for c in changes if not c.removed),
            new_token,
        )
