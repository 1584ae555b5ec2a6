"""Developer metadata: created and deleted in batchUpdate, read back with spreadsheets.get,
shaped as Google shapes it (reply with its metadataId, location with its locationType)."""

from __future__ import annotations

import doctest
from typing import Any

import gspread
import pytest
import requests

import fakesheets.metadata
from fakesheets import FakeSheets


def _batch(fake: FakeSheets, key: str, *requests_: dict[str, Any]) -> requests.Response:
    return requests.post(
        f"{fake.url}/v4/spreadsheets/{key}:batchUpdate", json={"requests": list(requests_)}
    )


def _get(fake: FakeSheets, key: str, **params: str) -> dict[str, Any]:
    answer = requests.get(f"{fake.url}/v4/spreadsheets/{key}", params=params)
    answer.raise_for_status()
    body: dict[str, Any] = answer.json()
    return body


def _mark(sheet_id: int, key: str = "sheetpilot", **extra: object) -> dict[str, Any]:
    metadata = {"metadataKey": key, "location": {"sheetId": sheet_id}, "visibility": "DOCUMENT"}
    return {"createDeveloperMetadata": {"developerMetadata": {**metadata, **extra}}}


def test_create_on_a_sheet_answers_the_metadata_with_its_id(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Plan")
    answer = _batch(fake, key, _mark(0, metadataValue="owned"))
    assert answer.status_code == 200
    (reply,) = answer.json()["replies"]
    made = reply["createDeveloperMetadata"]["developerMetadata"]
    assert isinstance(made["metadataId"], int) and made["metadataId"] > 0
    assert made == {
        "metadataId": made["metadataId"],
        "metadataKey": "sheetpilot",
        "metadataValue": "owned",
        "location": {"locationType": "SHEET", "sheetId": 0},
        "visibility": "DOCUMENT",
    }


def test_the_sheets_metadata_reads_back_with_a_field_mask(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Plan", sheets={"Priorités": [["x"]], "Notes": [["y"]]})
    ids = {s["properties"]["title"]: s["properties"]["sheetId"] for s in _get(fake, key)["sheets"]}
    made = _batch(fake, key, _mark(ids["Priorités"])).json()["replies"][0]
    body = _get(fake, key, fields="sheets(properties(title),developerMetadata)")
    assert body == {
        "sheets": [
            {
                "properties": {"title": "Priorités"},
                "developerMetadata": [made["createDeveloperMetadata"]["developerMetadata"]],
            },
            {"properties": {"title": "Notes"}},
        ]
    }
    narrow = _get(fake, key, fields="sheets.developerMetadata.metadataKey")
    assert narrow == {"sheets": [{"developerMetadata": [{"metadataKey": "sheetpilot"}]}, {}]}
    without = _get(fake, key, fields="sheets.properties.title")
    assert "developerMetadata" not in without["sheets"][0]


def test_a_new_sheet_can_be_marked_in_the_same_batch(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Plan")
    answer = _batch(
        fake, key, {"addSheet": {"properties": {"sheetId": 42, "title": "Contrôles"}}}, _mark(42)
    )
    assert answer.status_code == 200
    sheets = _get(fake, key, fields="sheets(properties.sheetId,developerMetadata.metadataKey)")
    assert sheets["sheets"][1] == {
        "properties": {"sheetId": 42},
        "developerMetadata": [{"metadataKey": "sheetpilot"}],
    }


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ({"location": {"sheetId": 0}, "visibility": "DOCUMENT"}, "must always have a key"),
        ({"metadataKey": "k", "location": {"sheetId": 0}}, "must always have a visibility"),
        ({"metadataKey": "k", "visibility": "DOCUMENT"}, "must always have a location"),
        ({"metadataKey": "k", "location": {"sheetId": 9}, "visibility": "DOCUMENT"}, "No grid"),
    ],
    ids=["no-key", "no-visibility", "no-location", "unknown-sheet"],
)
def test_a_bad_metadata_request_rolls_the_whole_batch_back(
    fake: FakeSheets, metadata: dict[str, Any], message: str
) -> None:
    key = fake.create_spreadsheet("Plan")
    answer = _batch(
        fake,
        key,
        {"addSheet": {"properties": {"title": "New"}}},
        {"createDeveloperMetadata": {"developerMetadata": metadata}},
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["status"] == "INVALID_ARGUMENT"
    assert error["message"].startswith("Invalid requests[1].createDeveloperMetadata: ")
    assert message in error["message"]
    assert fake.sheet_titles(key) == ["Sheet1"]


def test_an_explicit_id_is_kept_and_may_not_be_reused(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Plan")
    made = _batch(fake, key, _mark(0, metadataId=77)).json()["replies"][0]
    assert made["createDeveloperMetadata"]["developerMetadata"]["metadataId"] == 77
    again = _batch(fake, key, _mark(0, metadataId=77))
    assert again.status_code == 400
    assert "77 already exists" in again.json()["error"]["message"]


def test_metadata_goes_with_its_deleted_sheet(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Plan", sheets={"Sheet1": [], "Priorités": []})
    sheet_id = _get(fake, key)["sheets"][1]["properties"]["sheetId"]
    _batch(fake, key, _mark(sheet_id)).raise_for_status()
    _batch(fake, key, {"deleteSheet": {"sheetId": sheet_id}}).raise_for_status()
    _batch(fake, key, {"addSheet": {"properties": {"title": "Priorités"}}}).raise_for_status()
    body = _get(fake, key, fields="sheets(properties.title,developerMetadata)")
    assert body["sheets"][1] == {"properties": {"title": "Priorités"}}  # a new, unmarked tab


def test_delete_by_lookup_answers_what_it_deleted(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Plan")
    _batch(fake, key, _mark(0, metadataId=5), _mark(0, key="other", metadataId=6))
    answer = _batch(
        fake,
        key,
        {
            "deleteDeveloperMetadata": {
                "dataFilter": {
                    "developerMetadataLookup": {
                        "metadataKey": "sheetpilot",
                        "metadataLocation": {"sheetId": 0},
                    }
                }
            }
        },
    )
    deleted = answer.json()["replies"][0]["deleteDeveloperMetadata"]["deletedDeveloperMetadata"]
    assert [m["metadataId"] for m in deleted] == [5]
    left = _get(fake, key, fields="sheets.developerMetadata.metadataId")
    assert left == {"sheets": [{"developerMetadata": [{"metadataId": 6}]}]}


def test_spreadsheet_level_metadata_shows_on_the_spreadsheet(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Plan")
    location = {"spreadsheet": True}
    metadata = {"metadataKey": "k", "location": location, "visibility": "DOCUMENT"}
    _batch(fake, key, {"createDeveloperMetadata": {"developerMetadata": metadata}})
    body = _get(fake, key, fields="developerMetadata(metadataKey,location)")
    assert body == {
        "developerMetadata": [
            {"metadataKey": "k", "location": {"locationType": "SPREADSHEET", "spreadsheet": True}}
        ]
    }


def test_row_locations_are_not_implemented(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Plan")
    rows = {"dimensionRange": {"sheetId": 0, "dimension": "ROWS", "startIndex": 0, "endIndex": 1}}
    metadata = {"metadataKey": "k", "location": rows, "visibility": "DOCUMENT"}
    answer = _batch(fake, key, {"createDeveloperMetadata": {"developerMetadata": metadata}})
    assert answer.status_code == 501


def test_real_gspread_creates_and_reads_metadata(fake: FakeSheets) -> None:
    gc: gspread.Client = fake.gspread_client()
    sh = gc.create("Plan")
    reply = sh.batch_update({"requests": [_mark(0)]})
    assert "metadataId" in reply["replies"][0]["createDeveloperMetadata"]["developerMetadata"]
    meta = sh.fetch_sheet_metadata(params={"fields": "sheets(properties,developerMetadata)"})
    assert meta["sheets"][0]["developerMetadata"][0]["metadataKey"] == "sheetpilot"


def test_docstring_examples() -> None:
    failed, _ = doctest.testmod(fakesheets.metadata, verbose=False)
    assert failed == 0
