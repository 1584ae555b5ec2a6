"""Drive's change signals: files.get versions, changes.getStartPageToken / changes.list,
the coalescing delay (never assumed to be zero)."""

from __future__ import annotations

from typing import Any

import gspread
import requests

from fakesheets import FakeSheets

CHANGE_FIELDS = (
    "nextPageToken,newStartPageToken,"
    "changes(fileId,removed,time,file(version,modifiedTime,lastModifyingUser(me,displayName)))"
)


def _file(fake: FakeSheets, key: str) -> dict[str, Any]:
    answer = requests.get(
        f"{fake.url}/drive/v3/files/{key}",
        params={"fields": "id,version,modifiedTime,lastModifyingUser(me,displayName)"},
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _start(fake: FakeSheets) -> str:
    answer = requests.get(f"{fake.url}/drive/v3/changes/startPageToken").json()
    assert answer["kind"] == "drive#startPageToken"
    return str(answer["startPageToken"])


def _list(fake: FakeSheets, token: str, **params: str) -> dict[str, Any]:
    query = {"pageToken": token, "fields": CHANGE_FIELDS, "spaces": "drive", **params}
    answer = requests.get(f"{fake.url}/drive/v3/changes", params=query)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _all(fake: FakeSheets, token: str, **params: str) -> tuple[list[dict[str, Any]], str]:
    changes: list[dict[str, Any]] = []
    while True:
        page = _list(fake, token, **params)
        changes += page["changes"]
        if "newStartPageToken" in page:
            return changes, page["newStartPageToken"]
        token = page["nextPageToken"]


def test_files_get_reports_version_as_a_string_and_who_changed_it_last(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Plan", sheets={"Tab": [["a"]]})
    first = _file(fake, key)
    assert isinstance(first["version"], str) and int(first["version"]) >= 1
    fake.set_values(key, "Tab!A2", [["typed by a user"]])
    edited = _file(fake, key)
    assert int(edited["version"]) > int(first["version"])
    assert edited["lastModifyingUser"]["me"] is False
    gc = fake.gspread_client()
    gc.open_by_key(key).worksheet("Tab").update_acell("B1", "written through the API")
    ours = _file(fake, key)
    assert int(ours["version"]) > int(edited["version"])
    assert ours["lastModifyingUser"]["me"] is True
    assert ours["modifiedTime"].endswith("Z")


def test_reads_do_not_change_the_version_and_every_kind_of_write_does(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Plan", sheets={"Tab": [["a"]]})
    gc = fake.gspread_client()
    sheet = gc.open_by_key(key).worksheet("Tab")
    versions = [int(_file(fake, key)["version"])]
    sheet.get_all_values()
    gc.open_by_key(key).fetch_sheet_metadata()
    versions.append(int(_file(fake, key)["version"]))
    sheet.update([["x"]], "A1")  # values.update
    versions.append(int(_file(fake, key)["version"]))
    sheet.spreadsheet.batch_update(
        {
            "requests": [
                {
                    "updateSheetProperties": {
                        "properties": {"sheetId": sheet.id, "title": "T"},
                        "fields": "title",
                    }
                }
            ]
        }
    )
    versions.append(int(_file(fake, key)["version"]))
    assert versions[0] == versions[1] < versions[2] < versions[3]


def test_changes_list_one_entry_per_file_and_a_token_to_go_on(fake: FakeSheets) -> None:
    a = fake.create_spreadsheet("A", sheets={"Tab": [["a"]]})
    b = fake.create_spreadsheet("B", sheets={"Tab": [["b"]]})
    token = _start(fake)
    assert _all(fake, token) == ([], token)
    for n in range(3):
        fake.set_values(a, "Tab!A1", [[f"edit {n}"]])
    fake.set_values(b, "Tab!A1", [["edit"]])
    changes, new_token = _all(fake, token)
    assert [c["fileId"] for c in changes] == [a, b]
    assert changes[0]["file"]["version"] == str(fake.version(a))
    assert all(
        c["removed"] is False and c["file"]["lastModifyingUser"]["me"] is False for c in changes
    )
    assert _all(fake, new_token) == ([], new_token)


def test_pages_follow_next_page_token(fake: FakeSheets) -> None:
    keys = [fake.create_spreadsheet(f"P{n}", sheets={"Tab": [["a"]]}) for n in range(5)]
    token = _start(fake)
    for key in keys:
        fake.set_values(key, "Tab!A1", [["edited"]])
    first = _list(fake, token, pageSize="2")
    assert len(first["changes"]) == 2 and "nextPageToken" in first
    assert "newStartPageToken" not in first
    changes, _ = _all(fake, token, pageSize="2")
    assert [c["fileId"] for c in changes] == keys


def test_a_coalescing_delay_hides_changes_until_they_are_old_enough(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("A", sheets={"Tab": [["a"]]})
    now = [1000.0]
    fake.app.changes.clock = lambda: now[0]
    fake.change_delay = 180.0
    token = _start(fake)
    fake.set_values(key, "Tab!A1", [["edited"]])
    hidden, same = _all(fake, token)
    assert hidden == [] and same == token  # the token does not skip the hidden change
    assert int(_file(fake, key)["version"]) == fake.version(key)  # files.get is not delayed
    now[0] += 179.0
    assert _all(fake, token)[0] == []
    now[0] += 1.0
    shown, _ = _all(fake, token)
    assert [c["fileId"] for c in shown] == [key]


def test_the_change_delay_is_set_over_http_too(fake: FakeSheets) -> None:
    answer = requests.post(f"{fake.url}/_fake/change_delay", json={"seconds": 2.5})
    assert answer.status_code == 200 and fake.change_delay == 2.5


def test_a_deleted_spreadsheet_is_a_removed_change(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Gone", sheets={"Tab": [["a"]]})
    token = _start(fake)
    fake.gspread_client().del_spreadsheet(key)
    changes, _ = _all(fake, token)
    assert changes == [{"fileId": key, "removed": True, "time": changes[0]["time"]}]
    assert _all(fake, token, includeRemoved="false")[0] == []


def test_changes_list_needs_a_page_token(fake: FakeSheets) -> None:
    answer = requests.get(f"{fake.url}/drive/v3/changes")
    assert answer.status_code == 400
    assert answer.json()["error"]["errors"][0]["reason"] == "required"
    bad = requests.get(f"{fake.url}/drive/v3/changes", params={"pageToken": "x"})
    assert bad.status_code == 400


def test_gspread_sees_no_difference(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Plan", sheets={"Tab": [["a"]]})
    gc: gspread.Client = fake.gspread_client()
    assert [s["id"] for s in gc.list_spreadsheet_files()] == [key]
