"""``FakeSheets``: start the stand-in in a thread and drive it from a test."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any

from . import auth, defaults
from .edits import edit_from_json
from .faults import Drop, Fault, LogEntry, Target
from .server import App, FakeServer
from .state import Evaluator, Store
from .values import serial
from .values_api import put_value, read


class FakeSheets:
    """An offline Sheets API v4 + Drive v3 on 127.0.0.1, in a background thread.

    >>> with FakeSheets() as fake:
    ...     key = fake.create_spreadsheet("Plan", sheets={"Tab": [["a", 1]]})
    ...     fake.values(key, "Tab")
    [['a', 1]]
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        seed: int | None = None,
        change_delay: float = 0.0,
        change_clock: Callable[[], float] | None = None,
    ) -> None:
        """``change_delay``: seconds before ``changes.list`` shows a change (see
        ``change_delay``); ``change_clock``: the clock that delay is measured on
        (``time.monotonic`` by default; a benchmark may simulate time with its own)."""
        self.store = Store(seed)
        self.app = App(self.store)
        self.app.changes.delay = change_delay
        if change_clock is not None:
            self.app.changes.clock = change_clock
        self._address = (host, port)
        self._server: FakeServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------

    def start(self) -> FakeSheets:
        """Bind (port 0 = a free port) and serve in a daemon thread."""
        if self._server is None:
            self._server = FakeServer(self._address, self)
            self._thread = threading.Thread(
                target=self._server.serve_forever, args=(0.05,), name="fakesheets", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeSheets:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError(
                "FakeSheets is not running; use it as a context manager or call start()"
            )
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """Base URL: Sheets under ``/v4/spreadsheets``, Drive under ``/drive/v3/files``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def token_uri(self) -> str:
        return f"{self.url}/token"

    # --- spreadsheets as a user sees them ----------------------------------------------

    def create_spreadsheet(
        self,
        title: str = "Untitled spreadsheet",
        sheets: Mapping[str, Sequence[Sequence[Any]]] | None = None,
        *,
        shared: bool = True,
        locale: str = "en_US",
    ) -> str:
        """Create a spreadsheet directly (not logged); ``sheets`` maps tab titles to rows
        typed in as a user would (USER_ENTERED; dates become date-formatted serials).

        ``shared=False`` makes one the caller may not open (403), like someone else's file.
        """
        tabs = dict(sheets or {})
        props = [
            {
                "title": name,
                "gridProperties": {
                    "rowCount": max(defaults.ROW_COUNT, len(rows)),
                    "columnCount": max(
                        defaults.COLUMN_COUNT, max((len(r) for r in rows), default=0)
                    ),
                },
            }
            for name, rows in tabs.items()
        ]
        with self.store.lock:
            spreadsheet = self.store.create(title, props or None, shared=shared, locale=locale)
            for sheet, rows in zip(spreadsheet.sheets, tabs.values(), strict=False):
                for i, line in enumerate(rows):
                    for j, value in enumerate(line):
                        _type_in(sheet, i, j, value)
            return spreadsheet.id

    def copy_spreadsheet(self, key: str) -> str:
        """A copy of spreadsheet ``key`` under a new key (not logged), e.g. a twin on which
        a test applies the same user edits without a sync in between."""
        with self.store.lock:
            twin = self.store.spreadsheets[key].copy()
            twin.id = self.store.new_id()
            self.store.spreadsheets[twin.id] = twin
            return twin.id

    def values(self, key: str, range_text: str) -> list[list[Any]]:
        """The range's unformatted values, trailing empties trimmed like ``values.get``."""
        with self.store.lock:
            spreadsheet = self.store.spreadsheets[key]
            bounds = spreadsheet.resolve(range_text)
            answer = read(spreadsheet, bounds, "UNFORMATTED_VALUE", ev=Evaluator(spreadsheet))
            return list(answer.get("values", []))

    def set_values(self, key: str, range_text: str, rows: Sequence[Sequence[Any]]) -> None:
        """A direct "user edit": type ``rows`` in from the range's top-left (not logged)."""
        with self.store.lock:
            spreadsheet = self.store.spreadsheets[key]
            sheet, rng = spreadsheet.locate(range_text)
            r0, c0 = rng.start_row or 0, rng.start_col or 0
            for i, line in enumerate(rows):
                for j, value in enumerate(line):
                    if value is not None:
                        if r0 + i >= sheet.rows:
                            sheet.grid["rowCount"] = r0 + i + 1
                        if c0 + j >= sheet.cols:
                            sheet.grid["columnCount"] = c0 + j + 1
                        _type_in(sheet, r0 + i, c0 + j, value)
            spreadsheet.touch()
            self.app.changes.bump(key, by_me=False)  # a user's edit: Drive sees a change

    # --- Drive's change signals ---------------------------------------------------------

    @property
    def change_delay(self) -> float:
        """Seconds before a change is listed by ``changes.list`` (Google coalesces the
        change signals of Sheets files; about 3 minutes). Also ``POST /_fake/change_delay
        {"seconds": 180}``."""
        return self.app.changes.delay

    @change_delay.setter
    def change_delay(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the change delay cannot be negative")
        with self.store.lock:
            self.app.changes.delay = float(seconds)

    def version(self, key: str) -> int:
        """The spreadsheet's Drive ``version`` now (every write bumps it)."""
        with self.store.lock:
            return self.app.changes.version(key)

    def cell(self, key: str, address: str) -> dict[str, Any]:
        """The CellData of one cell, as ``spreadsheets.get`` with grid data shows it."""
        from .render import cell_json

        with self.store.lock:
            spreadsheet = self.store.spreadsheets[key]
            bounds = spreadsheet.resolve(address)
            return cell_json(
                spreadsheet,
                bounds.sheet,
                bounds.start_row,
                bounds.start_col,
                Evaluator(spreadsheet),
            )

    def sheet_titles(self, key: str) -> list[str]:
        with self.store.lock:
            return [s.title for s in self.store.spreadsheets[key].sheets]

    @property
    def spreadsheet_ids(self) -> list[str]:
        with self.store.lock:
            return list(self.store.spreadsheets)

    # --- faults, edits between requests, log ------------------------------------------

    def inject(
        self,
        status: int | None = None,
        count: int | None = 1,
        *,
        delay_ms: int = 0,
        drop: Drop | None = None,
        message: str | None = None,
        headers: Mapping[str, str] | None = None,
        reason: str | None = None,
        target: Target = "api",
        skip: int = 0,
    ) -> None:
        """Make the next ``count`` API requests fail with ``status`` (Google's error body),
        wait ``delay_ms`` first, or drop the connection ``"before"`` or ``"after"`` the
        request is applied. ``count=None`` keeps the fault until ``reset()``.

        ``headers`` are sent with the error answer (``{"Retry-After": "3"}``); ``reason``
        is the error's machine-readable reason, e.g. ``status=403,
        reason="rateLimitExceeded"`` for Drive's rate-limit answer.

        ``target="token"`` hits the OAuth token endpoint instead (a status answers with an
        OAuth error body, ``{"error": "internal_failure", …}`` for a 5xx or ``reason``;
        a drop closes the connection unanswered; ``delay_ms`` beyond the client's timeout
        is a timeout). ``skip=k`` lets the next ``k`` requests of the target through first:
        ``inject(drop="after", skip=2)`` applies the third request and drops its answer."""
        fault = Fault(
            status,
            delay_ms,
            drop,
            message,
            count,
            headers=dict(headers or {}),
            reason=reason,
            target=target,
            skip=max(skip, 0),
        )
        with self.app.guard:
            self.app.faults.append(fault)

    def on_next_request(self, callback: Callable[[FakeSheets], None]) -> None:
        """Run ``callback(fake)`` just before the next API request is handled."""
        with self.app.guard:
            self.app.callbacks.append(lambda: callback(self))

    def schedule_edits(
        self,
        key: str,
        edits: Sequence[Mapping[str, Any]],
        *,
        before_request: int | None = None,
        after_request: int | None = None,
    ) -> int:
        """Register user edits on spreadsheet ``key``, applied just before the
        ``before_request``-th next API request (1: the next one), or between the
        ``after_request``-th and the one after it; returns the request number they precede.

        Each edit is a JSON object, as for ``POST /_fake/edits`` (see `fakesheets.edits`):

        >>> with FakeSheets() as fake:
        ...     key = fake.create_spreadsheet("P", sheets={"T": [["b"], ["a"]]})
        ...     _ = fake.schedule_edits(key, [{"sort": {"range": "T!A1:A2"}}], before_request=1)
        ...     fake.gspread_client().open_by_key(key).sheet1.get_all_values()
        [['a'], ['b']]
        """
        if (before_request is None) == (after_request is None):
            raise ValueError("give exactly one of before_request and after_request")
        when = before_request if before_request is not None else (after_request or 0) + 1
        parsed = [edit_from_json(dict(e)) for e in edits]
        with self.store.lock:
            if key not in self.store.spreadsheets:
                raise KeyError(f"no spreadsheet {key!r}")
        return self.app.schedule(key, parsed, when)

    def schedule_edits_json(self, body: Any) -> int:
        """``POST /_fake/edits``: ``{"spreadsheet": KEY, "before_request": N, "edits": [...]}``
        (or ``"after_request": N``)."""
        if not isinstance(body, dict) or not isinstance(body.get("edits"), list):
            raise ValueError(
                'edits: send {"spreadsheet": KEY, "before_request": N, "edits": [...]}'
            )
        before, after = body.get("before_request"), body.get("after_request")
        return self.schedule_edits(
            str(body.get("spreadsheet", "")),
            body["edits"],
            before_request=None if before is None else int(before),
            after_request=None if after is None else int(after),
        )

    def apply_edits(self, key: str, edits: Sequence[Mapping[str, Any]]) -> None:
        """Apply user edits now (not logged), as `schedule_edits` would."""
        parsed = [edit_from_json(dict(e)) for e in edits]
        with self.store.lock:
            spreadsheet = self.store.spreadsheets[key]
            for edit in parsed:
                edit(spreadsheet)
            spreadsheet.touch()

    @property
    def log(self) -> list[LogEntry]:
        """Every API request since the last reset (control and token calls excluded)."""
        with self.app.guard:
            return list(self.app.log)

    @property
    def token_requests(self) -> int:
        with self.app.guard:
            return self.app.token_requests

    def reset(self, *, spreadsheets: bool = False) -> None:
        """Clear the log, faults, callbacks and scheduled edits (and every spreadsheet if
        asked)."""
        with self.app.guard:
            self.app.log.clear()
            self.app.faults.clear()
            self.app.callbacks.clear()
            self.app.scheduled.clear()
        if spreadsheets:
            with self.store.lock:
                self.store.spreadsheets.clear()

    # --- clients ------------------------------------------------------------------------

    def plant_service_account(self, path: Path | str) -> Path:
        """Write a service-account key file whose ``token_uri`` is this stand-in; tokens
        google-auth obtains with it are granted here. Needs the ``cryptography`` package."""
        key_id, private_pem, public_pem = auth.new_key()
        with self.app.guard:
            self.app.public_keys[key_id] = public_pem
        return auth.write_key_file(Path(path), auth.key_file(self.token_uri, key_id, private_pem))

    def plant_authorized_user(self, path: Path | str) -> Path:
        """Write an OAuth authorized-user file (``"type": "authorized_user"``, as
        ``gspread.oauth()`` saves one) whose ``token_uri`` is this stand-in; its refresh
        token is exchanged here for access tokens until ``revoke_users()``."""
        user = auth.new_user()
        with self.app.guard:
            self.app.users[user["refresh_token"]] = (user["client_id"], user["client_secret"])
        return auth.write_key_file(Path(path), auth.user_file(self.token_uri, user))

    def revoke_users(self) -> None:
        """Revoke every planted refresh token: refreshing then fails with invalid_grant."""
        with self.app.guard:
            self.app.users.clear()

    def gspread_client(self, credentials: Any = None) -> Any:
        """A real ``gspread.Client`` whose HTTP goes to this stand-in."""
        from .gspread_seam import client_for

        return client_for(self.url, credentials)


def _type_in(sheet: Any, row: int, col: int, value: Any) -> None:
    if isinstance(value, date):
        cell = dict(sheet.cells.get((row, col), {}))
        cell["userEnteredValue"] = {"numberValue": serial(value)}
        fmt = dict(cell.get("userEnteredFormat", {}))
        fmt.setdefault("numberFormat", {"type": "DATE", "pattern": "yyyy-mm-dd"})
        cell["userEnteredFormat"] = fmt
        sheet.set_cell(row, col, cell)
        return
    put_value(sheet, row, col, value, "USER_ENTERED")
