"""Google's documented limits, enforced as Google enforces them.

- 50,000 characters in one cell: a longer text or formula is a 400 INVALID_ARGUMENT with
  Google's message "Your input contains more than the maximum of 50000 characters in a
  single cell." (bare from values.update, after "Invalid data[i]: " from values.batchUpdate,
  after "Invalid requests[i].updateCells: " from spreadsheets.batchUpdate), and nothing of
  the request is applied.
- 10 million cells per spreadsheet: growing past it is Google's 400 "This action would
  increase the number of cells in the workbook above the limit of 10000000 cells."
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
import requests

from fakesheets import FakeSheets

TOO_LONG = "Your input contains more than the maximum of 50000 characters in a single cell."
AT_LIMIT = "x" * 50_000
OVER = "x" * 50_001


@pytest.fixture
def key(fake: FakeSheets) -> str:
    return fake.create_spreadsheet("Limits", sheets={"T": [["keep"]]})


def _error(response: requests.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["status"] == "INVALID_ARGUMENT" and error["code"] == 400
    return error


def _put(
    fake: FakeSheets, key: str, rng: str, values: list[list[str]], option: str = "RAW"
) -> requests.Response:
    return requests.put(
        f"{fake.url}/v4/spreadsheets/{key}/values/{quote(rng, safe='')}",
        params={"valueInputOption": option},
        json={"values": values},
    )


def _batch(fake: FakeSheets, key: str, body: dict[str, Any]) -> requests.Response:
    return requests.post(f"{fake.url}/v4/spreadsheets/{key}:batchUpdate", json=body)


def _update_cells(text: str, kind: str = "stringValue") -> dict[str, Any]:
    return {
        "updateCells": {
            "start": {"sheetId": 0, "rowIndex": 1, "columnIndex": 0},
            "rows": [{"values": [{"userEnteredValue": {kind: text}}]}],
            "fields": "userEnteredValue",
        }
    }


@pytest.mark.parametrize("option", ["RAW", "USER_ENTERED"])
def test_values_update_takes_50000_characters_and_refuses_one_more(
    fake: FakeSheets, key: str, option: str
) -> None:
    assert _put(fake, key, "T!B1", [[AT_LIMIT]], option).status_code == 200
    assert fake.values(key, "T!B1") == [[AT_LIMIT]]
    error = _error(_put(fake, key, "T!A1:B1", [["changed", OVER]], option))
    assert error["message"] == TOO_LONG
    assert fake.values(key, "T!A1") == [["keep"]]  # nothing of the request applied


def test_values_batch_update_names_the_data_item(fake: FakeSheets, key: str) -> None:
    body = {
        "valueInputOption": "RAW",
        "data": [{"range": "T!A1", "values": [["changed"]]}, {"range": "T!C1", "values": [[OVER]]}],
    }
    response = requests.post(f"{fake.url}/v4/spreadsheets/{key}/values:batchUpdate", json=body)
    assert _error(response)["message"] == f"Invalid data[1]: {TOO_LONG}"
    assert fake.values(key, "T!A1:C1") == [["keep"]]


@pytest.mark.parametrize("kind", ["stringValue", "formulaValue"])
def test_batch_update_cells_names_the_request_and_applies_nothing(
    fake: FakeSheets, key: str, kind: str
) -> None:
    text = "=" + "1" * 50_000 if kind == "formulaValue" else OVER
    first = {
        "updateCells": {
            "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
            "rows": [{"values": [{"userEnteredValue": {"stringValue": "changed"}}]}],
            "fields": "userEnteredValue",
        }
    }
    error = _error(_batch(fake, key, {"requests": [first, _update_cells(text, kind)]}))
    assert error["message"] == f"Invalid requests[1].updateCells: {TOO_LONG}"
    assert fake.values(key, "T!A1:A2") == [["keep"]]


def test_batch_update_cells_takes_exactly_50000_characters(fake: FakeSheets, key: str) -> None:
    assert _batch(fake, key, {"requests": [_update_cells(AT_LIMIT)]}).status_code == 200
    assert fake.values(key, "T!A2") == [[AT_LIMIT]]


def test_growing_past_ten_million_cells_is_googles_error(fake: FakeSheets, key: str) -> None:
    grow = {
        "updateSheetProperties": {
            "properties": {"sheetId": 0, "gridProperties": {"rowCount": 400_000}},
            "fields": "gridProperties.rowCount",
        }
    }  # 400,000 rows × 26 columns = 10.4 million cells
    error = _error(_batch(fake, key, {"requests": [grow]}))
    assert error["message"] == (
        "Invalid requests[0].updateSheetProperties: This action would increase the number of "
        "cells in the workbook above the limit of 10000000 cells."
    )


def test_a_request_body_over_10_mb_is_refused_before_anything_applies(
    fake: FakeSheets, key: str
) -> None:
    cells = [_update_cells(AT_LIMIT)] * 220  # 220 × 50,000 characters: 11 MB
    response = _batch(fake, key, {"requests": cells})
    assert _error(response)["message"] == (
        "Request payload size exceeds the limit: 10485760 bytes."
    )
    assert fake.values(key, "T!A1:A2") == [["keep"]]
