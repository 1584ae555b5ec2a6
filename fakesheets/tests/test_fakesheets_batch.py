"""spreadsheets.get with masks and batchUpdate: faithful, field-masked, atomic."""

from __future__ import annotations

import requests

from fakesheets import FakeSheets

READ_FIELDS = (
    "sheets.properties,sheets.data.rowData.values(effectiveValue,userEnteredValue,"
    "userEnteredFormat.numberFormat)"
)


def _batch(fake: FakeSheets, key: str, *requests_: dict) -> requests.Response:
    return requests.post(
        f"{fake.url}/v4/spreadsheets/{key}:batchUpdate", json={"requests": list(requests_)}
    )


def _get(fake: FakeSheets, key: str, **params: str) -> dict:
    answer = requests.get(f"{fake.url}/v4/spreadsheets/{key}", params=params)
    answer.raise_for_status()
    return answer.json()


def test_one_request_reads_every_tab_with_the_masked_grid(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet(
        "Plan", sheets={"Réglages": [["Statuts", 3]], "Objectifs": [["ID"]]}
    )
    body = _get(fake, key, includeGridData="true", fields=READ_FIELDS)
    assert [s["properties"]["title"] for s in body["sheets"]] == ["Réglages", "Objectifs"]
    cells = body["sheets"][0]["data"][0]["rowData"][0]["values"]
    assert cells == [
        {
            "userEnteredValue": {"stringValue": "Statuts"},
            "effectiveValue": {"stringValue": "Statuts"},
        },
        {"userEnteredValue": {"numberValue": 3}, "effectiveValue": {"numberValue": 3}},
    ]
    assert set(body) == {"sheets"}


def test_metadata_leaves_out_defaults(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Meta")
    props = _get(fake, key)["sheets"][0]["properties"]
    assert props == {
        "sheetId": 0,
        "title": "Sheet1",
        "index": 0,
        "sheetType": "GRID",
        "gridProperties": {"rowCount": 1000, "columnCount": 26},
    }


def test_sheetpilot_style_write_batch_applies_in_order(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet(
        "Plan", sheets={"Réglages": [["Statut"], ["À faire"], ["Terminé"]]}
    )
    answer = _batch(
        fake,
        key,
        {
            "addSheet": {
                "properties": {
                    "sheetId": 42,
                    "title": "Contrôles",
                    "gridProperties": {"rowCount": 5, "columnCount": 3},
                }
            }
        },
        {
            "updateCells": {
                "start": {"sheetId": 42, "rowIndex": 0, "columnIndex": 0},
                "rows": [
                    {
                        "values": [
                            {
                                "userEnteredValue": {"stringValue": "Onglet"},
                                "userEnteredFormat": {"textFormat": {"bold": True}},
                            },
                            {
                                "userEnteredValue": {"numberValue": 46037},
                                "userEnteredFormat": {
                                    "numberFormat": {"type": "DATE", "pattern": "dd/mm/yyyy"}
                                },
                            },
                        ]
                    }
                ],
                "fields": "userEnteredValue,userEnteredFormat.numberFormat",
            }
        },
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 42, "gridProperties": {"frozenRowCount": 1}},
                "fields": "gridProperties.frozenRowCount",
            }
        },
        {
            "setDataValidation": {
                "range": {
                    "sheetId": 42,
                    "startRowIndex": 1,
                    "endRowIndex": 5,
                    "startColumnIndex": 2,
                    "endColumnIndex": 3,
                },
                "rule": {
                    "condition": {
                        "type": "ONE_OF_RANGE",
                        "values": [{"userEnteredValue": "='Réglages'!A2:A3"}],
                    },
                    "strict": True,
                    "showCustomUi": True,
                },
            }
        },
        {
            "updateDimensionProperties": {
                "range": {"sheetId": 42, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1},
                "properties": {"pixelSize": 180},
                "fields": "pixelSize",
            }
        },
    )
    assert answer.status_code == 200, answer.text
    replies = answer.json()["replies"]
    assert replies[0]["addSheet"]["properties"]["index"] == 1
    assert replies[1:] == [{}, {}, {}, {}]
    assert fake.cell(key, "Contrôles!A1").get("userEnteredFormat") is None  # bold not in the mask
    assert fake.cell(key, "Contrôles!B1")["formattedValue"] == "15/01/2026"
    assert fake.cell(key, "Contrôles!C2")["dataValidation"]["condition"]["type"] == "ONE_OF_RANGE"
    body = _get(fake, key, ranges="Contrôles!A1:A1", includeGridData="true")
    sheet = body["sheets"][0]
    assert sheet["properties"]["gridProperties"]["frozenRowCount"] == 1
    assert sheet["data"][0]["columnMetadata"] == [{"pixelSize": 180}]


def test_an_invalid_request_rolls_back_the_whole_batch(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Atomic", sheets={"Sheet1": [["before"]]})
    answer = _batch(
        fake,
        key,
        {"addSheet": {"properties": {"title": "New"}}},
        {
            "updateCells": {
                "start": {"sheetId": 0},
                "rows": [{"values": [{"userEnteredValue": {"stringValue": "after"}}]}],
                "fields": "userEnteredValue",
            }
        },
        {"deleteSheet": {"sheetId": 999}},
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == {
        "code": 400,
        "message": "Invalid requests[2].deleteSheet: No grid with id: 999",
        "status": "INVALID_ARGUMENT",
    }
    assert fake.sheet_titles(key) == ["Sheet1"]
    assert fake.values(key, "Sheet1") == [["before"]]


def test_duplicate_sheet_title_is_refused_like_google(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Dup")
    error = _batch(fake, key, {"addSheet": {"properties": {"title": "sheet1"}}}).json()["error"]
    assert error["message"] == (
        'Invalid requests[0].addSheet: A sheet with the name "sheet1" already exists. '
        "Please enter another name."
    )


def test_unknown_request_kind_is_a_json_error(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Unknown")
    error = _batch(fake, key, {"frobnicate": {}}).json()["error"]
    assert error["message"] == (
        "Invalid JSON payload received. Unknown name \"frobnicate\" at 'requests[0]': "
        "Cannot find field."
    )
    assert error["details"][0]["@type"] == "type.googleapis.com/google.rpc.BadRequest"


def test_repeat_cell_colours_are_stored_as_google_stores_them(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Colour")
    _batch(
        fake,
        key,
        {
            "repeatCell": {
                "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1},
                "cell": {
                    "userEnteredFormat": {
                        "backgroundColor": {"red": 1.0, "green": 0.0, "blue": 0.4980392156862745}
                    }
                },
                "fields": "userEnteredFormat.backgroundColor",
            }
        },
    ).raise_for_status()
    fmt = fake.cell(key, "Sheet1!Z1")["userEnteredFormat"]
    assert fmt == {
        "backgroundColor": {"red": 1, "blue": 0.49803922},
        "backgroundColorStyle": {"rgbColor": {"red": 1, "blue": 0.49803922}},
    }


def test_protected_range_and_conditional_format_show_in_metadata(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Protect")
    reply = _batch(
        fake,
        key,
        {
            "addProtectedRange": {
                "protectedRange": {"range": {"sheetId": 0, "endRowIndex": 1}, "warningOnly": True}
            }
        },
        {
            "addConditionalFormatRule": {
                "rule": {
                    "ranges": [{"sheetId": 0}],
                    "booleanRule": {
                        "condition": {"type": "NOT_BLANK"},
                        "format": {"textFormat": {"bold": True}},
                    },
                }
            }
        },
    ).json()["replies"][0]
    protected = reply["addProtectedRange"]["protectedRange"]
    assert protected["warningOnly"] is True and "protectedRangeId" in protected
    sheet = _get(fake, key)["sheets"][0]
    assert sheet["protectedRanges"] == [protected]
    assert sheet["conditionalFormats"][0]["booleanRule"]["format"] == {"textFormat": {"bold": True}}
