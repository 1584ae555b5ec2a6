"""The Values API: A1 notation, input and render options, trimming, grid limits."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import pytest
import requests

from fakesheets import FakeSheets
from fakesheets.a1 import format_range, parse_range, quote_title


def _values(fake: FakeSheets, key: str, rng: str, **params: str) -> requests.Response:
    return requests.get(
        f"{fake.url}/v4/spreadsheets/{key}/values/{quote(rng, safe='')}", params=params
    )


def _put(
    fake: FakeSheets, key: str, rng: str, values: object, option: str = "RAW"
) -> requests.Response:
    return requests.put(
        f"{fake.url}/v4/spreadsheets/{key}/values/{quote(rng, safe='')}",
        params={"valueInputOption": option},
        json={"values": values},
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sheet1!A1", ("Sheet1", 0, 1, 0, 1)),
        ("'It''s'!D4:A1", ("It's", 0, 4, 0, 4)),
        ("A:C", (None, None, None, 0, 3)),
        ("2:5", (None, 1, 5, None, None)),
        ("A2:2", (None, 1, 2, 0, None)),
        ("$B$2:$C$3", (None, 1, 3, 1, 3)),
    ],
)
def test_a1_ranges_parse_like_google(text: str, expected: tuple) -> None:
    r = parse_range(text)
    assert (r.title, r.start_row, r.end_row, r.start_col, r.end_col) == expected


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("Sheet1", "Sheet1"),
        ("D3", "'D3'"),
        ("Suivi des actions", "'Suivi des actions'"),
        ("I'm", "'I''m'"),
    ],
)
def test_titles_are_quoted_only_when_needed(title: str, shown: str) -> None:
    assert quote_title(title) == shown
    assert format_range(title, 0, 2, 0, 2) == f"{shown}!A1:B2"


@pytest.mark.parametrize(
    ("requested", "normalised"),
    [
        ("Tab", "Tab!A1:E10"),
        ("'Tab'!C2:A1", "Tab!A1:C2"),
        ("Tab!B:C", "Tab!B1:C10"),
        ("Tab!3:4", "Tab!A3:E4"),
        ("Tab!A2:2", "Tab!A2:E2"),
        ("Tab!A1:Z99", "Tab!A1:E10"),
        ("tab!A1", "Tab!A1"),
        ("A1:B2", "Tab!A1:B2"),
    ],
)
def test_read_ranges_are_normalised_and_clamped(
    fake: FakeSheets, requested: str, normalised: str
) -> None:
    key = fake.create_spreadsheet("R", sheets={"Tab": []})
    requests.post(
        f"{fake.url}/v4/spreadsheets/{key}:batchUpdate",
        json={
            "requests": [
                {
                    "updateSheetProperties": {
                        "properties": {
                            "sheetId": 0,
                            "gridProperties": {"rowCount": 10, "columnCount": 5},
                        },
                        "fields": "gridProperties(rowCount,columnCount)",
                    }
                }
            ]
        },
    ).raise_for_status()
    assert _values(fake, key, requested).json()["range"] == normalised


def test_trailing_empties_are_trimmed_and_empty_ranges_have_no_values(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("T")
    _put(
        fake, key, "Sheet1!A1", [["a", "", ""], ["", "", ""], ["", "b", ""], ["", "", ""]]
    ).raise_for_status()
    assert _values(fake, key, "Sheet1").json()["values"] == [["a"], [], ["", "b"]]
    assert "values" not in _values(fake, key, "Sheet1!D1:E5").json()


def test_columns_major_dimension(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("C", sheets={"S": [["a", "b"], ["c"]]})
    body = _values(fake, key, "S!A1:B2", majorDimension="COLUMNS").json()
    assert body["values"] == [["a", "c"], ["b"]]


@pytest.mark.parametrize(
    ("typed", "formatted", "unformatted"),
    [
        ("42", "42", 42),
        ("0042", "42", 42),
        ("2,000,000.01", "2,000,000.01", 2000000.01),
        ("15%", "15%", 0.15),
        ("2026-01-15", "2026-01-15", 46037),
        ("1/15/2026", "1/15/2026", 46037),
        ("TRUE", "TRUE", True),
        ("'0042", "0042", "0042"),
        ("= 1 / 1024", "0.0009765625", 0.0009765625),
        ("=1/0", "#DIV/0!", "#DIV/0!"),
        ("À faire", "À faire", "À faire"),
    ],
)
def test_user_entered_values_render_like_sheets(
    fake: FakeSheets, typed, formatted, unformatted
) -> None:
    key = fake.create_spreadsheet("U")
    _put(fake, key, "Sheet1!A1", [[typed]], "USER_ENTERED").raise_for_status()
    assert _values(fake, key, "Sheet1!A1").json()["values"] == [[formatted]]
    got = _values(fake, key, "Sheet1!A1", valueRenderOption="UNFORMATTED_VALUE").json()["values"]
    assert got == [[unformatted]]


def test_raw_keeps_text_and_formula_option_shows_formulas(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("F")
    _put(fake, key, "Sheet1!A1", [["=1+1", 2]], "RAW").raise_for_status()
    _put(fake, key, "Sheet1!C1", [["=B1*3"]], "USER_ENTERED").raise_for_status()
    assert _values(fake, key, "Sheet1!A1:C1").json()["values"] == [["=1+1", "2", "6"]]
    formulas = _values(fake, key, "Sheet1!A1:C1", valueRenderOption="FORMULA").json()["values"]
    assert formulas == [["=1+1", 2, "=B1*3"]]


def test_dates_typed_by_a_user_read_back_as_serials(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("D", sheets={"Réglages": [["Début du plan", date(2026, 1, 5)]]})
    assert fake.values(key, "Réglages") == [["Début du plan", 46027]]
    shown = _values(
        fake,
        key,
        "Réglages!B1",
        valueRenderOption="UNFORMATTED_VALUE",
        dateTimeRenderOption="FORMATTED_STRING",
    ).json()["values"]
    assert shown == [["2026-01-05"]]


def test_null_cells_are_left_unchanged_and_not_counted(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("N", sheets={"Sheet1": [["keep", "old"]]})
    answer = _put(fake, key, "Sheet1!A1:B1", [[None, "new"]]).json()
    assert (answer["updatedRange"], answer["updatedCells"]) == ("Sheet1!A1:B1", 1)
    assert fake.values(key, "Sheet1") == [["keep", "new"]]


def test_writing_outside_the_declared_range_is_refused(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("W")
    answer = _put(fake, key, "Sheet1!A1:B1", [["a", "b", "c"]])
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == (
        "Requested writing within range [Sheet1!A1:B1], but tried writing to column [C]"
    )
    assert fake.values(key, "Sheet1") == []


def test_writes_past_the_grid_grow_it_and_reads_past_it_fail(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("G")
    assert (
        _put(fake, key, "Sheet1!A1000", [["x"], ["y"]]).json()["updatedRange"]
        == "Sheet1!A1000:A1001"
    )
    assert fake.values(key, "Sheet1!A1001") == [["y"]]
    error = _values(fake, key, "Sheet1!A2000").json()["error"]
    assert (
        error["message"]
        == "Range ('Sheet1'!A2000) exceeds grid limits. Max rows: 1001, max columns: 26"
    )


def test_ten_million_cell_limit(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Big")
    answer = _put(fake, key, "Sheet1!A400000", [["x"]])
    assert answer.status_code == 400
    assert "above the limit of 10000000 cells" in answer.json()["error"]["message"]


def test_values_body_type_errors_match_google(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("E")
    answer = _put(fake, key, "Sheet1!A1", "X")
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["message"] == (
        "Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), \"X\""
    )
    assert error["details"][0]["fieldViolations"][0]["field"] == "data.values"


def test_append_finds_the_table_and_writes_below_it(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("A", sheets={"Log": [["when", "what"], ["d1", "x"]]})
    answer = requests.post(
        f"{fake.url}/v4/spreadsheets/{key}/values/Log:append",
        params={"valueInputOption": "RAW", "includeValuesInResponse": "true"},
        json={"values": [["d2", "y"]]},
    ).json()
    assert answer["tableRange"] == "Log!A1:B2"
    assert answer["updates"]["updatedRange"] == "Log!A3:B3"
    assert answer["updates"]["updatedData"]["values"] == [["d2", "y"]]


def test_batch_update_and_batch_clear(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("B", sheets={"S": [["a", "b"], ["c", "d"]]})
    body = {
        "valueInputOption": "RAW",
        "data": [{"range": "S!A1", "values": [["x"]]}, {"range": "S!B2", "values": [["y"]]}],
    }
    answer = requests.post(f"{fake.url}/v4/spreadsheets/{key}/values:batchUpdate", json=body).json()
    assert (answer["totalUpdatedCells"], answer["totalUpdatedSheets"]) == (2, 1)
    cleared = requests.post(
        f"{fake.url}/v4/spreadsheets/{key}/values:batchClear", json={"ranges": ["S!A:A"]}
    )
    assert cleared.json()["clearedRanges"] == ["S!A1:A1000"]
    assert fake.values(key, "S") == [["", "b"], ["", "y"]]
