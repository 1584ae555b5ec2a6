"""Real, unmodified gspread works against the stand-in over real HTTP."""

from __future__ import annotations

import gspread
import pytest

from fakesheets import FakeSheets


@pytest.fixture
def gc(fake: FakeSheets) -> gspread.Client:
    return fake.gspread_client()


def test_create_open_and_delete_a_spreadsheet(fake, gc) -> None:
    created = gc.create("Plan d'actions")
    opened = gc.open_by_key(created.id)
    assert opened.title == "Plan d'actions"
    assert [ws.title for ws in opened.worksheets()] == ["Sheet1"]
    gc.del_spreadsheet(created.id)
    with pytest.raises(gspread.SpreadsheetNotFound):
        gc.open_by_key(created.id)


def test_add_reorder_and_delete_worksheets(gc) -> None:
    sh = gc.create("Tabs")
    first = sh.add_worksheet("Réglages", rows=20, cols=5)
    sh.add_worksheet("Objectifs", rows=20, cols=5)
    sh.reorder_worksheets([first, sh.sheet1])
    assert [ws.title for ws in sh.worksheets()][:2] == ["Réglages", "Sheet1"]
    sh.del_worksheet(first)
    assert [ws.title for ws in sh.worksheets()] == ["Sheet1", "Objectifs"]


def test_values_round_trip_through_update_get_append_clear(fake, gc) -> None:
    ws = gc.create("Values").sheet1
    ws.update([["ID", "Estimate"], ["A-001", 2.5]], "A1")
    ws.append_row(["A-002", "3"], value_input_option="USER_ENTERED")
    assert ws.get_all_records() == [
        {"ID": "A-001", "Estimate": 2.5},
        {"ID": "A-002", "Estimate": 3},
    ]
    ws.batch_clear(["A2:B2"])
    assert ws.get_all_values() == [["ID", "Estimate"], ["", ""], ["A-002", "3"]]
    ws.clear()
    assert fake.values(ws.spreadsheet.id, "Sheet1") == []


def test_batch_update_formats_a_range(gc) -> None:
    ws = gc.create("Formats").sheet1
    ws.format("A1:B1", {"textFormat": {"bold": True}, "backgroundColor": {"red": 0.5}})
    formats = ws.spreadsheet.fetch_sheet_metadata(
        {"ranges": "Sheet1!B1", "fields": "sheets.data.rowData.values.userEnteredFormat"}
    )
    cell = formats["sheets"][0]["data"][0]["rowData"][0]["values"][0]["userEnteredFormat"]
    assert cell["textFormat"] == {"bold": True}
    assert cell["backgroundColorStyle"] == {"rgbColor": {"red": 0.5}}


def test_gspread_sees_google_errors(gc) -> None:
    ws = gc.create("Errors").sheet1
    with pytest.raises(gspread.exceptions.APIError) as caught:
        ws.get("Nope!A1")
    assert caught.value.response.status_code == 400
    assert caught.value.error["status"] == "INVALID_ARGUMENT"


def test_private_spreadsheet_is_permission_denied(fake, gc) -> None:
    key = fake.create_spreadsheet("Someone else's", shared=False)
    with pytest.raises(PermissionError):
        gc.open_by_key(key)
