"""The HTTP side: a threaded server on 127.0.0.1 routing Google's URLs to the handlers."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from . import batch_update, defaults, drive, render, values_api
from .auth import TokenError, grant, token_fault_body
from .changes import ChangeJournal
from .edits import Edit
from .errors import ApiError, fault_body
from .faults import Fault, LogEntry, Target, fault_from_json
from .fields import parse_mask
from .state import Store

if TYPE_CHECKING:
    from .control import FakeSheets

Params = dict[str, list[str]]
Answer = tuple[int, Any]
SHEETS = "/v4/spreadsheets"
DRIVE = "/drive/v3/files"
CHANGES = "/drive/v3/changes"


class App:
    """State shared by every request thread: store, faults, log, pending user edits."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.faults: list[Fault] = []
        self.log: list[LogEntry] = []
        self.callbacks: list[Callable[[], None]] = []
        self.requests_seen = 0  # API requests received since the start (never reset)
        self.scheduled: list[tuple[int, str, list[Edit]]] = []  # (request number, key, edits)
        self.public_keys: dict[str, str] = {}
        self.users: dict[str, tuple[str, str]] = {}  # refresh token -> (client id, secret)
        self.token_requests = 0
        self.guard = threading.Lock()
        self.changes = ChangeJournal()  # Drive versions and change feed (under store.lock)

    def next_fault(self, target: Target = "api") -> Fault | None:
        """The fault the next request to `target` suffers (the first one queued for it)."""
        with self.guard:
            fault = next((f for f in self.faults if f.target == target), None)
            if fault is None:
                return None
            if fault.skip > 0:
                fault.skip -= 1
                return None
            if fault.count is not None:
                fault.count -= 1
                if fault.count <= 0:
                    self.faults.remove(fault)
            return fault

    def next_callback(self) -> Callable[[], None] | None:
        with self.guard:
            return self.callbacks.pop(0) if self.callbacks else None

    def schedule(self, key: str, edits: list[Edit], before_request: int) -> int:
        """Apply ``edits`` to spreadsheet ``key`` just before the ``before_request``-th next
        API request (1 = the next one); returns that request's number."""
        if before_request < 1:
            raise ValueError("before_request counts from 1 (the next request)")
        with self.guard:
            number = self.requests_seen + before_request
            self.scheduled.append((number, key, list(edits)))
            return number

    def arrive(self) -> None:
        """One API request arrived: apply the user edits scheduled before it."""
        with self.guard:
            self.requests_seen += 1
            due = [(key, edits) for n, key, edits in self.scheduled if n == self.requests_seen]
            self.scheduled = [item for item in self.scheduled if item[0] > self.requests_seen]
        for key, edits in due:
            with self.store.lock:
                spreadsheet = self.store.spreadsheets.get(key)
                if spreadsheet is None:
                    continue
                for edit in edits:
                    edit(spreadsheet)
                spreadsheet.touch()

    def record(self, entry: LogEntry) -> None:
        with self.guard:
            self.log.append(entry)

    # --- the API ----------------------------------------------------------------------

    def api(self, method: str, path: str, params: Params, body: Any) -> Answer:
        """Route one Sheets or Drive request; returns (status, JSON body or None)."""
        with self.store.lock:
            if path.startswith(CHANGES):
                return self._changes(method, path[len(CHANGES) :], params)
            if path.startswith(DRIVE):
                return self._drive(method, path[len(DRIVE) :], params, body)
            answer = self._sheets(method, path[len(SHEETS) :], params, body)
            if method != "GET":  # a Sheets write by the caller: a new Drive version
                self._bump(path[len(SHEETS) :], answer)
            return answer

    def _bump(self, rest: str, answer: Answer) -> None:
        key = unquote(rest.lstrip("/").partition("/")[0]).removesuffix(":batchUpdate")
        if not key and isinstance(answer[1], dict):
            key = str(answer[1].get("spreadsheetId", ""))  # spreadsheets.create
        if key in self.store.spreadsheets:
            self.changes.bump(key, by_me=True)

    def _changes(self, method: str, rest: str, params: Params) -> Answer:
        if method == "GET" and rest.strip("/") == "startPageToken":
            return 200, drive.start_page_token(self.changes, params)
        if method == "GET" and rest.strip("/") == "":
            return 200, drive.list_changes(self.store, self.changes, params)
        raise ApiError(404, "Method not found.")

    def _drive(self, method: str, rest: str, params: Params, body: Any) -> Answer:
        file_id = unquote(rest.strip("/"))
        if not file_id:
            if method == "POST":
                return 200, drive.create(self.store, params, body, self.changes)
            if method == "GET":
                return 200, drive.list_files(self.store, params, self.changes)
        elif "/" not in file_id:
            if method == "GET":
                return 200, drive.get(self.store, file_id, params, self.changes)
            if method == "DELETE":
                drive.delete(self.store, file_id, self.changes)
                return 204, None
        raise ApiError(404, "Method not found.")

    def _sheets(self, method: str, rest: str, params: Params, body: Any) -> Answer:
        store = self.store
        if rest in ("", "/"):
            if method == "POST":
                return 200, self._create(body)
            raise ApiError(404, "Method not found.")
        rest = rest.lstrip("/")
        key, sep, tail = rest.partition("/")
        if not sep and key.endswith(":batchUpdate"):
            if method != "POST":
                raise ApiError(404, "Method not found.")
            spreadsheet = store.get(unquote(key[: -len(":batchUpdate")]))
            return 200, batch_update.apply(store, spreadsheet, body)
        spreadsheet = store.get(unquote(key))
        if not sep:
            if method != "GET":
                raise ApiError(404, "Method not found.")
            return 200, self._get(spreadsheet.id, params)
        if tail.startswith("values:"):
            action = tail[len("values:") :]
            return self._values_batch(method, action, spreadsheet.id, params, body)
        if tail.startswith("values/"):
            return self._values(method, tail[len("values/") :], spreadsheet.id, params, body)
        raise ApiError(404, "Method not found.")

    def _working(self, key: str) -> Any:
        """A copy to write on; stored back only when the write succeeded (atomic)."""
        return self.store.get(key).copy()

    def _commit(self, spreadsheet: Any) -> None:
        self.store.spreadsheets[spreadsheet.id] = spreadsheet

    def _values(self, method: str, raw: str, key: str, params: Params, body: Any) -> Answer:
        action = ""
        for suffix in (":append", ":clear"):
            if raw.endswith(suffix):
                raw, action = raw[: -len(suffix)], suffix[1:]
        range_text = unquote(raw)
        if method == "GET" and not action:
            return 200, values_api.get(self.store.get(key), range_text, params)
        if method == "PUT" and not action:
            work = self._working(key)
            answer = values_api.update(work, range_text, params, body)
            self._commit(work)
            return 200, answer
        if method == "POST" and action in ("append", "clear"):
            work = self._working(key)
            if action == "append":
                answer = values_api.append(work, range_text, params, body)
            else:
                answer = values_api.clear(work, range_text)
            self._commit(work)
            return 200, answer
        raise ApiError(404, "Method not found.")

    def _values_batch(
        self, method: str, action: str, key: str, params: Params, body: Any
    ) -> Answer:
        if method == "GET" and action == "batchGet":
            return 200, values_api.batch_get(self.store.get(key), params)
        if method == "POST" and action in ("batchUpdate", "batchClear"):
            work = self._working(key)
            if action == "batchUpdate":
                answer = values_api.batch_update(work, body)
            else:
                answer = values_api.batch_clear(work, body)
            self._commit(work)
            return 200, answer
        raise ApiError(404, "Method not found.")

    def _get(self, key: str, params: Params) -> dict[str, Any]:
        spreadsheet = self.store.get(key)
        fields = params.get("fields")
        try:
            mask = parse_mask(fields[-1]) if fields else None
        except ValueError:
            raise ApiError.invalid(
                f"Request contains an invalid argument: fields={fields}"
            ) from None
        ranges = params.get("ranges")
        bounds = [spreadsheet.resolve(text) for text in ranges] if ranges else None
        include = (params.get("includeGridData") or ["false"])[-1].lower() == "true"
        return render.spreadsheet_json(
            spreadsheet, ranges=bounds, include_grid_data=include, mask=mask
        )

    def _create(self, body: Any) -> dict[str, Any]:
        body = body if isinstance(body, dict) else {}
        title = (body.get("properties") or {}).get("title") or "Untitled spreadsheet"
        sheets = [dict(s.get("properties") or {}) for s in body.get("sheets") or []]
        spreadsheet = self.store.create(str(title), sheets or None)
        for key in ("locale", "timeZone", "autoRecalc"):
            if (body.get("properties") or {}).get(key):
                spreadsheet.props[key] = body["properties"][key]
        return render.spreadsheet_json(spreadsheet)


class Handler(BaseHTTPRequestHandler):
    """Reads a request, applies faults and pending user edits, answers in Google's shapes."""

    protocol_version = "HTTP/1.1"
    server: FakeServer

    def setup(self) -> None:
        super().setup()
        # One write per answer would still meet the client's delayed ACK: send at once.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def _handle(self, method: str) -> None:
        arrived = time.monotonic()
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        app = self.server.app
        if url.path.startswith("/_fake/"):
            self._control(method, url.path, raw)
            return
        if url.path == "/token":
            self._token(raw)
            return
        params = parse_qs(url.query, keep_blank_values=True)
        authorized = bool(self.headers.get("Authorization"))
        app.arrive()
        callback = app.next_callback()
        if callback is not None:
            callback()
        fault = app.next_fault()
        if fault is not None and fault.delay_ms:
            time.sleep(fault.delay_ms / 1000)
        if fault is not None and fault.drop == "before":
            self._drop(method, url, len(raw), authorized, arrived)
            return
        headers: dict[str, str] = {}
        if fault is not None and fault.status is not None:
            status, body = fault.status, fault_body(fault.status, fault.message, fault.reason)
            headers = fault.headers
        else:
            status, body = self._dispatch(method, url.path, params, raw)
        if fault is not None and fault.drop == "after":
            self._drop(method, url, len(raw), authorized, arrived)
            return
        data = self._encode(body, pretty=_pretty(params))
        decoded = len(data)
        if data and self._gzip_accepted():
            data = gzip.compress(data, compresslevel=6, mtime=0)
            headers = {**headers, "Content-Encoding": "gzip"}
        # Logged before answering, so a client that has its answer also sees the entry.
        app.record(
            LogEntry(
                method,
                url.path,
                url.query,
                status,
                len(raw),
                len(data),
                authorized,
                arrived,
                self.headers.get("User-Agent", ""),
                decoded,
            )
        )
        self._write(status, data, headers)

    def _gzip_accepted(self) -> bool:
        """Google compresses an answer when the client accepts gzip *and* its User-Agent
        contains "gzip" (Google's performance guide: ``User-Agent: my program (gzip)``)."""
        accepted = self.headers.get("Accept-Encoding", "")
        agent = self.headers.get("User-Agent", "")
        return "gzip" in accepted.lower() and "gzip" in agent.lower()

    def _dispatch(self, method: str, path: str, params: Params, raw: bytes) -> Answer:
        if not (path.startswith(SHEETS) or path.startswith(DRIVE) or path.startswith(CHANGES)):
            return 404, ApiError(404, "Method not found.").body()
        if len(raw) > defaults.MAX_REQUEST_BYTES:
            return 400, ApiError.invalid(defaults.PAYLOAD_TOO_LARGE).body()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            return 400, ApiError.bad_field(
                "", "Invalid JSON payload received. Unexpected token."
            ).body()
        try:
            status, answer = self.server.app.api(method, path, params, body)
        except ApiError as exc:
            return exc.code, exc.body()
        return status, answer

    def _drop(
        self, method: str, url: Any, request_bytes: int, authorized: bool, arrived: float
    ) -> None:
        self.close_connection = True
        self.server.app.record(
            LogEntry(
                method,
                url.path,
                url.query,
                None,
                request_bytes,
                0,
                authorized,
                arrived,
                self.headers.get("User-Agent", ""),
            )
        )

    @staticmethod
    def _encode(body: Any, *, pretty: bool = True) -> bytes:
        """Pretty-printed like Google's answers (two-space indent, a final newline), or
        compact (no whitespace at all) when the request says ``prettyPrint=false``.

        One deliberate difference: a pretty answer whose compact form is over 1 MB goes
        compact too (the same JSON to any client; Python's indenting encoder would take
        tens of seconds on a 5,000-action read). Measure bytes with ``prettyPrint=false``
        or under 1 MB."""
        if body is None:
            return b""
        compact = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if not pretty or len(compact) > 1_000_000:
            return compact
        return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    def _send(self, status: int, body: Any) -> int:
        return self._write(status, self._encode(body))

    def _write(self, status: int, data: bytes, headers: dict[str, str] | None = None) -> int:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if data:
            self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data:
            self.wfile.write(data)
        return len(data)

    def _token(self, raw: bytes) -> None:
        app = self.server.app
        fault = app.next_fault("token")
        if fault is not None and fault.delay_ms:
            time.sleep(fault.delay_ms / 1000)
        if fault is not None and fault.drop is not None:
            self.close_connection = True  # no answer at all: the client sees a dropped line
            with app.guard:
                app.token_requests += 1
            return
        if fault is not None and fault.status is not None:
            with app.guard:
                app.token_requests += 1
            self._write(fault.status, self._encode(token_fault_body(fault)), fault.headers)
            return
        with app.guard:
            app.token_requests += 1
            keys = dict(app.public_keys)
            users = dict(app.users)
        try:
            self._send(200, grant(raw, keys, users))
        except TokenError as exc:
            self._send(400, exc.body())

    def _control(self, method: str, path: str, raw: bytes) -> None:
        fake = self.server.fake
        try:
            body = json.loads(raw) if raw else {}
            if path == "/_fake/log" and method == "GET":
                self._send(200, [entry.as_json() for entry in fake.log])
            elif path == "/_fake/reset" and method == "POST":
                fake.reset(spreadsheets=bool((body or {}).get("spreadsheets")))
                self._send(200, {})
            elif path == "/_fake/faults" and method == "POST":
                fault = fault_from_json(body)
                with fake.app.guard:
                    fake.app.faults.append(fault)
                self._send(200, {})
            elif path == "/_fake/edits" and method == "POST":
                number = fake.schedule_edits_json(body)
                self._send(200, {"beforeRequest": number})
            elif path == "/_fake/change_delay" and method == "POST":
                fake.change_delay = float(body["seconds"])
                self._send(200, {"seconds": fake.change_delay})
            elif path == "/_fake/spreadsheets" and method == "POST":
                key = fake.create_spreadsheet(
                    str(body.get("title") or "Untitled spreadsheet"), body.get("sheets")
                )
                self._send(200, {"spreadsheetId": key})
            else:
                self._send(404, ApiError(404, "No such control endpoint.").body())
        except (ValueError, TypeError, KeyError) as exc:
            self._send(400, ApiError.invalid(str(exc)).body())


def _pretty(params: Params) -> bool:
    """Google's ``prettyPrint`` system parameter (default true; ``false`` or ``0`` turn it off).

    >>> _pretty({}), _pretty({"prettyPrint": ["false"]}), _pretty({"prettyPrint": ["0"]})
    (True, False, False)
    """
    value = (params.get("prettyPrint") or ["true"])[-1].strip().lower()
    return value not in ("false", "0")


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], fake: FakeSheets) -> None:
        super().__init__(address, Handler)
        self.fake = fake
        self.app = fake.app

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (timed out, hung up) is not an error of the stand-in."""
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)
