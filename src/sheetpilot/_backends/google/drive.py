"""The daemon's Drive v3 calls: a file's version, and the account's changes feed.

Change detection reads only metadata, with the Drive read-only metadata scope
(`credentials.DRIVE_METADATA_SCOPES`), through the same HTTP client as Sheets (endpoint
seam, timeouts, retries). Drive counts quota units, not Sheets requests: every attempt
calls `before_request()` with nothing, and the daemon draws it from its Drive budget.

- `file_version(key)`: `files.get?fields=version,modifiedTime,lastModifyingUser(me)`,
  one request. Drive v3 sends `version` (an int64) as a JSON string.
- `start_token()`: `changes.getStartPageToken`, one request.
- `changes(token)`: `changes.list` from `token`, following `nextPageToken` until Drive
  gives a `newStartPageToken`; one request per page of up to 1,000 changes, covering every
  file the account sees, and only the fields used (`fields=` keeps the answers small).

>>> parse_change({"fileId": "k", "removed": False, "time": "2026-01-15T10:00:00.000Z",
...               "file": {"version": "42", "lastModifyingUser": {"me": True}}})
FileChange(file_id='k', version=42, me=True, when=datetime.datetime(2026, 1, 15, 10, 0, tzinfo=datetime.timezone.utc), removed=False)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from gspread.exceptions import APIError

from sheetpilot._backends.google.credentials import (
    DRIVE_METADATA_SCOPES,
    load_credentials,
    quiet_auth_logs,
)
from sheetpilot._backends.google.http import SheetsHTTPClient
from sheetpilot._backends.google.retry import RetryPolicy
from sheetpilot._config import GoogleConfig
from sheetpilot._errors import BackendError, PermissionDenied, SpreadsheetNotFound

DRIVE = "https://www.googleapis.com/drive/v3"
FILE_FIELDS = "version,modifiedTime,lastModifyingUser(me)"
CHANGE_FIELDS = f"nextPageToken,newStartPageToken,changes(fileId,removed,time,file({FILE_FIELDS}))"
PAGE_SIZE = 1000  # the most Drive lists per page


class PageTokenExpired(BackendError):
    """Drive no longer accepts the stored page token: changes since then are unknown."""


@dataclass(frozen=True)
class FileChange:
    """A file's state as Drive reported it: its version and who changed it last."""

    file_id: str
    version: int | None
    me: bool  # the last change was made by the daemon's own account
    when: datetime | None
    removed: bool = False


def _time(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _version(text: object) -> int | None:
    try:
        return int(str(text)) if text is not None else None
    except ValueError:
        return None


def parse_file(file_id: str, data: dict[str, Any], *, when: object = None) -> FileChange:
    user = data.get("lastModifyingUser") or {}
    return FileChange(
        file_id=file_id,
        version=_version(data.get("version")),
        me=bool(user.get("me")),
        when=_time(when if when is not None else data.get("modifiedTime")),
    )


def parse_change(entry: dict[str, Any]) -> FileChange:
    """One `changes[]` entry of changes.list."""
    file_id = str(entry.get("fileId", ""))
    if entry.get("removed") or not isinstance(entry.get("file"), dict):
        return FileChange(file_id, None, False, _time(entry.get("time")), removed=True)
    return parse_file(file_id, entry["file"], when=entry.get("time"))


class DriveClient:
    """Drive metadata calls for the daemon, one HTTP client shared by every plan."""

    def __init__(
        self, config: GoogleConfig, *, before_request: Callable[[], object] | None = None
    ) -> None:
        quiet_auth_logs()
        credentials = load_credentials(
            config.credentials, config.endpoint, scopes=DRIVE_METADATA_SCOPES
        )
        self.before_request = before_request
        self.http = SheetsHTTPClient(
            credentials,
            endpoint=config.endpoint,
            timeout=config.timeout,
            policy=RetryPolicy(deadline=config.retry_deadline),
            before_request=lambda _kind: self._count(),
        )

    def _count(self) -> None:
        if self.before_request is not None:
            self.before_request()

    @property
    def requests(self) -> int:
        return self.http.requests

    def _get(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            answer = self.http.request("get", f"{DRIVE}/{path}", params=params)
        except APIError as exc:
            raise _drive_error(exc, path) from None
        data = answer.json()
        return data if isinstance(data, dict) else {}

    def file_version(self, key: str) -> FileChange:
        """The spreadsheet's Drive version now (files.get, one request)."""
        data = self._get(f"files/{key}", {"fields": FILE_FIELDS, "supportsAllDrives": "true"})
        return parse_file(key, data)

    def start_token(self) -> str:
        """Where the feed of future changes starts (changes.getStartPageToken)."""
        data = self._get("changes/startPageToken", {"supportsAllDrives": "true"})
        return str(data["startPageToken"])

    def changes(self, token: str) -> tuple[list[FileChange], str]:
        """Every change since `token` and the token to list from next time."""
        found: list[FileChange] = []
        while True:
            try:
                page = self._get(
                    "changes",
                    {
                        "pageToken": token,
                        "pageSize": str(PAGE_SIZE),
                        "fields": CHANGE_FIELDS,
                        "includeRemoved": "true",
                        "spaces": "drive",
                        "supportsAllDrives": "true",
                        "includeItemsFromAllDrives": "true",
                    },
                )
            except BackendError as exc:
                if "page token" in str(exc):
                    raise PageTokenExpired(str(exc)) from None
                raise
            found += [parse_change(c) for c in page.get("changes") or [] if isinstance(c, dict)]
            if page.get("newStartPageToken"):
                return found, str(page["newStartPageToken"])
            if not page.get("nextPageToken"):
                raise BackendError("Drive's changes.list gave neither a next nor a new token")
            token = str(page["nextPageToken"])


def _drive_error(exc: APIError, path: str) -> BackendError:
    status = exc.response.status_code
    message = str(exc.error.get("message", "")) if isinstance(exc.error, dict) else ""
    if path.startswith("changes") and status in (400, 404) and "pageToken" in message:
        return BackendError(
            "Drive no longer accepts the stored page token ({message})", message=message
        )
    if status == 404:
        return SpreadsheetNotFound("Drive knows no file {key}", key=path.removeprefix("files/"))
    if status in (401, 403):
        return PermissionDenied(
            "Drive refused the metadata request (HTTP {status}: {message}): change "
            "detection needs the Drive API enabled in the service account's project and the "
            "drive.metadata.readonly scope",
            status=status,
            message=message,
        )
    return BackendError(
        "Drive answered HTTP {status} to {what}: {message}",
        status=status,
        what=path.split("/")[0],
        message=message,
    )
