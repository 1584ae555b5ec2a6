"""The Drive v3 calls: ``files`` create, get, list, delete (what gspread makes, spreadsheets
only), and the ``changes`` feed (``changes.getStartPageToken``, ``changes.list``; see
``changes`` for versions and the coalescing delay)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from . import defaults
from .changes import MAX_PAGE_SIZE, PAGE_SIZE, ChangeJournal, drive_time, user_of
from .errors import DriveError
from .fields import parse_mask, select
from .state import Spreadsheet, Store

DEFAULT_FIELDS = "kind,id,name,mimeType"
_CLAUSE = re.compile(r"""^\s*(name|mimeType)\s*(=|!=|contains)\s*(['"])(.*)\3\s*$""")


def _time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def file_resource(spreadsheet: Spreadsheet, journal: ChangeJournal | None = None) -> dict[str, Any]:
    resource = {
        "kind": "drive#file",
        "id": spreadsheet.id,
        "name": spreadsheet.props.get("title", ""),
        "mimeType": defaults.SPREADSHEET_MIME,
        "createdTime": _time(spreadsheet.created),
        "modifiedTime": _time(spreadsheet.modified),
        "trashed": False,
    }
    if journal is not None:
        last = journal.last.get(spreadsheet.id)
        resource["version"] = str(journal.version(spreadsheet.id))  # int64: a JSON string
        resource["lastModifyingUser"] = user_of(last)
        if last is not None:
            resource["modifiedTime"] = drive_time(last.when)
    return resource


def _visible(store: Store, file_id: str) -> Spreadsheet:
    spreadsheet = store.spreadsheets.get(file_id)
    if spreadsheet is None or not spreadsheet.shared:
        raise DriveError.file_not_found(file_id)
    return spreadsheet


def _fields(params: dict[str, list[str]], default: str) -> str:
    values = params.get("fields")
    return values[-1] if values else default


def create(
    store: Store, params: dict[str, list[str]], body: Any, journal: ChangeJournal | None = None
) -> dict[str, Any]:
    body = body if isinstance(body, dict) else {}
    mime = body.get("mimeType")
    if mime != defaults.SPREADSHEET_MIME:
        raise DriveError(400, f"fakesheets only creates spreadsheets, not {mime!r}.", "badRequest")
    spreadsheet = store.create(str(body.get("name") or "Untitled spreadsheet"))
    if journal is not None:
        journal.bump(spreadsheet.id, by_me=True)
    resource = file_resource(spreadsheet, journal)
    return select(resource, parse_mask(_fields(params, DEFAULT_FIELDS)))  # type: ignore[no-any-return]


def get(
    store: Store, file_id: str, params: dict[str, list[str]], journal: ChangeJournal | None = None
) -> dict[str, Any]:
    resource = file_resource(_visible(store, file_id), journal)
    return select(resource, parse_mask(_fields(params, DEFAULT_FIELDS)))  # type: ignore[no-any-return]


def delete(store: Store, file_id: str, journal: ChangeJournal | None = None) -> None:
    _visible(store, file_id)
    del store.spreadsheets[file_id]
    if journal is not None:
        journal.bump(file_id, by_me=True, removed=True)


def list_files(
    store: Store, params: dict[str, list[str]], journal: ChangeJournal | None = None
) -> dict[str, Any]:
    """``files.list`` with a ``q`` made of ``name``/``mimeType`` clauses joined by ``and``."""
    query = (params.get("q") or [""])[-1]
    files = [file_resource(s, journal) for s in store.spreadsheets.values() if s.shared]
    for clause in filter(None, re.split(r"\s+and\s+", query)):
        m = _CLAUSE.match(clause)
        if m is None:
            continue  # parents / trashed clauses: every spreadsheet is at the root, none trashed
        field, op, value = m.group(1), m.group(2), m.group(4)
        if op == "=":
            files = [f for f in files if f[field] == value]
        elif op == "!=":
            files = [f for f in files if f[field] != value]
        else:
            files = [f for f in files if value.lower() in str(f[field]).lower()]
    out = {"kind": "drive#fileList", "incompleteSearch": False, "files": files}
    mask = parse_mask(_fields(params, "kind,incompleteSearch,files(kind,id,name,mimeType)"))
    return select(out, mask)  # type: ignore[no-any-return]


def _param(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    return values[-1] if values else None


def start_page_token(journal: ChangeJournal, params: dict[str, list[str]]) -> dict[str, Any]:
    """``changes.getStartPageToken``: where a list of future changes starts."""
    out = {"kind": "drive#startPageToken", "startPageToken": journal.start_token()}
    return select(out, parse_mask(_fields(params, "kind,startPageToken")))  # type: ignore[no-any-return]


def list_changes(
    store: Store, journal: ChangeJournal, params: dict[str, list[str]]
) -> dict[str, Any]:
    """``changes.list``: the changes since ``pageToken`` (required), Drive's shapes.

    ``includeRemoved`` (default true) keeps the changes of deleted or unshared files,
    with ``removed: true`` and no ``file``; ``spaces`` other than ``drive`` list nothing.
    """
    token = _param(params, "pageToken")
    if not token:
        raise DriveError(400, "Required parameter: pageToken", "required")
    size_text = _param(params, "pageSize")
    try:
        size = int(size_text) if size_text else PAGE_SIZE
    except ValueError:
        raise DriveError(400, f"Invalid value for pageSize: {size_text}", "invalid") from None
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise DriveError(
            400, f"Invalid value '{size}'. Values must be within the range: [1, 1000]", "invalid"
        )
    include_removed = (_param(params, "includeRemoved") or "true").lower() != "false"
    spaces = {s.strip() for s in (_param(params, "spaces") or "drive").split(",")}
    try:
        page, next_token, new_start = journal.page(token, size)
    except ValueError as exc:
        raise DriveError(400, str(exc), "invalid") from None
    changes = []
    for change in page if "drive" in spaces else []:
        spreadsheet = store.spreadsheets.get(change.file_id)
        gone = change.removed or spreadsheet is None or not spreadsheet.shared
        if gone and not include_removed:
            continue
        entry: dict[str, Any] = {
            "kind": "drive#change",
            "changeType": "file",
            "fileId": change.file_id,
            "time": drive_time(change.when),
            "removed": gone,
        }
        if not gone:
            assert spreadsheet is not None
            entry["file"] = file_resource(spreadsheet, journal)
        changes.append(entry)
    out: dict[str, Any] = {"kind": "drive#changeList", "changes": changes}
    if next_token is not None:
        out["nextPageToken"] = next_token
    if new_start is not None:
        out["newStartPageToken"] = new_start
    mask = parse_mask(_fields(params, "kind,nextPageToken,newStartPageToken,changes"))
    return select(out, mask)  # type: ignore[no-any-return]
