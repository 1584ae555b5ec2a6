"""GoogleBackend: a Google spreadsheet read in one request and written in one batchUpdate.

The imperative shell around the pure `read`, `write` and `retry` modules: it owns the
credentials, the HTTP client (gspread's, with our endpoint seam and retry policy) and
the snapshot it last read, against which guards are checked before writing (the Sheets
API has no conditional write).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from sheetpilot._backends.google.credentials import account_email, load_credentials, quiet_auth_logs
from sheetpilot._backends.google.errors import translating
from sheetpilot._backends.google.http import BeforeRequest, SheetsHTTPClient
from sheetpilot._backends.google.read import READ_PARAMS, snapshot_from_json
from sheetpilot._backends.google.retry import RetryPolicy
from sheetpilot._backends.google.target import spreadsheet_key
from sheetpilot._backends.google.write import (
    MAX_REQUEST_BYTES,
    batch_update_bodies,
    keep_guarded,
)
from sheetpilot._config import GoogleConfig
from sheetpilot._errors import SheetpilotError
from sheetpilot._workbook import ChangeSet, Snapshot


class GoogleBackend:
    """A Google Sheets spreadsheet behind the Backend protocol.

    `read()` costs one HTTP request, `write()` at most one (none for an empty change set),
    plus retries of transient failures. `requests` counts every attempt sent.

    `before_request(kind)` is called before every HTTP attempt, retries included, with
    ``"read"`` (GET) or ``"write"`` (anything else): the daemon passes its quota
    governor's `acquire` there, so retries count against the budget too.

    `interactive` (the CLI's one-off commands) retries for `config.cli_retry_deadline`
    seconds instead of the daemon's `config.retry_deadline`.
    """

    def __init__(
        self,
        target: str,
        config: GoogleConfig,
        *,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        before_request: BeforeRequest | None = None,
        interactive: bool = False,
    ) -> None:
        self.key = spreadsheet_key(target)
        quiet_auth_logs()
        credentials = load_credentials(config.credentials, config.endpoint)
        self.service_account_email: str | None = account_email(credentials)
        self.http = SheetsHTTPClient(
            credentials,
            endpoint=config.endpoint,
            timeout=config.timeout,
            policy=(
                RetryPolicy(deadline=config.cli_retry_deadline, setting="cli_retry_deadline")
                if interactive
                else RetryPolicy(deadline=config.retry_deadline)
            ),
            sleep=sleep,
            rng=rng,
            before_request=before_request,
        )
        self.title: str | None = None
        self.max_request_bytes = MAX_REQUEST_BYTES
        self._snapshot: Snapshot | None = None

    @property
    def requests(self) -> int:
        return self.http.requests

    @property
    def writes_formulas(self) -> bool:
        """Computed columns are written as lookup formulas that follow their rows."""
        return True

    @property
    def draws_charts(self) -> bool:
        """Charts are EmbeddedCharts, read back with the spreadsheet (`sheets.charts`)."""
        return True

    @property
    def before_request(self) -> BeforeRequest | None:
        """The per-request hook (see the class docstring); settable after opening."""
        return self.http.before_request

    @before_request.setter
    def before_request(self, hook: BeforeRequest | None) -> None:
        self.http.before_request = hook

    def describe(self) -> str:
        return f"Google spreadsheet {self.key}"

    def read(self) -> Snapshot:
        """Every tab with its values, in one GET spreadsheets/{key}?includeGridData=true."""
        with translating(key=self.key, account=self.service_account_email):
            data: Any = self.http.fetch_sheet_metadata(self.key, params=dict(READ_PARAMS))
        snapshot = snapshot_from_json(data)
        self._snapshot = snapshot
        return snapshot

    def write_requests(self, changes: ChangeSet) -> int:
        """How many requests `write(changes)` would send now: what a dry run reports."""
        if changes.empty and not (changes.min_rows or changes.min_cols):
            return 0
        snapshot = self._snapshot if self._snapshot is not None else self.read()
        kept = keep_guarded(changes, snapshot)
        return len(batch_update_bodies(kept, snapshot, max_bytes=self.max_request_bytes))

    def write(self, changes: ChangeSet) -> int:
        """Apply `changes` in one batchUpdate; return the number of cells written.

        A change set above `max_request_bytes` (Google recommends 2 MB at most) goes in
        several batchUpdates, structure first, then cells (`write.batch_update_bodies`):
        an interruption leaves part of it applied, which the next sync completes.

        Guards are checked against the snapshot of the last `read()` (one is made first
        if there was none): writes whose guard no longer holds are dropped; the others
        are checked again by Google as the batch lands (see `conditional`).
        """
        if changes.empty and not (changes.min_rows or changes.min_cols):
            return 0
        snapshot = self._snapshot if self._snapshot is not None else self.read()
        kept = keep_guarded(changes, snapshot)
        bodies = batch_update_bodies(kept, snapshot, max_bytes=self.max_request_bytes)
        if not bodies:
            return 0
        self._snapshot = None  # sheet ids and sizes change: the next write reads again
        for done, body in enumerate(bodies):
            try:
                with translating(key=self.key, account=self.service_account_email, writing=True):
                    self.http.batch_update(self.key, body)
            except SheetpilotError as exc:
                if done == 0:
                    raise
                raise partly_written(exc, done, len(bodies)) from exc
        return len(kept.writes)


def partly_written(exc: SheetpilotError, done: int, parts: int) -> SheetpilotError:
    """`exc`, of the same kind, saying that the first `done` of `parts` requests landed."""
    return type(exc)(
        f"{exc} — {done} of the {parts} parts of this large write were applied before; "
        "the next sync reads the spreadsheet again and writes the rest"
    )
