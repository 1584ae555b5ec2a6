"""The Drive v3 ``files`` calls gspread makes: create, get, list, delete (spreadsheets only)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from . import defaults
from .errors import DriveError
from .fields import parse_mask, select
from .state import Spreadsheet, Store

DEFAULT_FIELDS = "kind,id,name,mimeType"
_CLAUSE = re.compile(r"""^\s*(name|mimeType)\s*(=|!=|contains)\s*(['"])(.*)\3\s*$""")


def _time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def file_resource(spreadsheet: Spreadsheet) -> dict[str, Any]:
    return {
        "kind": "drive#file",
        "id": spreadsheet.id,
        "name": spreadsheet.props.get("title", ""),
        "mimeType": defaults.SPREADSHEET_MIME,
        "createdTime": _time(spreadsheet.created),
        "modifiedTime": _time(spreadsheet.modified),
        "trashed": False,
    }


def _visible(store: Store, file_id: str) -> Spreadsheet:
    spreadsheet = store.spreadsheets.get(file_id)
    if spreadsheet is None or not spreadsheet.shared:
        raise DriveError.file_not_found(file_id)
    return spreadsheet


def _fields(params: dict[str, list[str]], default: str) -> str:
    values = params.get("fields")
    return values[-1] if values else default


def create(store: Store, params: dict[str, list[str]], body: Any) -> dict[str, Any]:
    body = body if isinstance(body, dict) else {}
    mime = body.get("mimeType")
    if mime != defaults.SPREADSHEET_MIME:
        raise DriveError(400, f"fakesheets only creates spreadsheets, not {mime!r}.", "badRequest")
    spreadsheet = store.create(str(body.get("name") or "Untitled spreadsheet"))
    return select(file_resource(spreadsheet), parse_mask(_fields(params, DEFAULT_FIELDS)))  # type: ignore[no-any-return]


def get(store: Store, file_id: str, params: dict[str, list[str]]) -> dict[str, Any]:
    resource = file_resource(_visible(store, file_id))
    return select(resource, parse_mask(_fields(params, DEFAULT_FIELDS)))  # type: ignore[no-any-return]


def delete(store: Store, file_id: str) -> None:
    _visible(store, file_id)
    del store.spreadsheets[file_id]


def list_files(store: Store, params: dict[str, list[str]]) -> dict[str, Any]:
    """``files.list`` with a ``q`` made of ``name``/``mimeType`` clauses joined by ``and``."""
    query = (params.get("q") or [""])[-1]
    files = [file_resource(s) for s in store.spreadsheets.values() if s.shared]
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
