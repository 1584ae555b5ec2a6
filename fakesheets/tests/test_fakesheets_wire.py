"""What goes over the wire: prettyPrint, gzip, and field masks that reach inside a cell."""

from __future__ import annotations

import gzip
import json
from typing import Any

import requests

from fakesheets import FakeSheets

MASK = (
    "sheets.data.rowData.values("
    "effectiveValue,userEnteredValue.formulaValue,userEnteredFormat.numberFormat.type)"
)


def _get(fake: FakeSheets, key: str, agent: str, **params: str) -> requests.Response:
    return requests.get(
        f"{fake.url}/v4/spreadsheets/{key}",
        params={"includeGridData": "false", **params},
        headers={"User-Agent": agent, "Accept-Encoding": "gzip"},
        stream=True,
    )


def test_answers_are_indented_unless_pretty_print_is_false(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("P", sheets={"Tab": [["a"]]})
    pretty = _get(fake, key, "client").raw.read()
    compact = _get(fake, key, "client", prettyPrint="false").raw.read()
    assert pretty.startswith(b'{\n  "spreadsheetId"') and pretty.endswith(b"\n}\n")
    assert compact.startswith(b'{"spreadsheetId":"') and b"\n" not in compact
    assert b": " not in compact and b", " not in compact
    assert json.loads(pretty) == json.loads(compact)


def test_gzip_only_when_the_user_agent_asks_for_it_as_google_documents(
    fake: FakeSheets,
) -> None:
    key = fake.create_spreadsheet("G", sheets={"Tab": [["texte répété"] * 40] * 40})
    fake.reset()
    plain = _get(fake, key, "my program", prettyPrint="false")
    zipped = _get(fake, key, "my program (gzip)", prettyPrint="false")
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    body = zipped.raw.read()
    assert json.loads(gzip.decompress(body)) == json.loads(plain.raw.read())
    first, second = fake.log
    assert first.response_bytes == first.decoded_bytes
    assert second.response_bytes == len(body) < second.decoded_bytes == first.decoded_bytes


def _cells(fake: FakeSheets, key: str) -> list[dict[str, Any]]:
    answer = requests.get(
        f"{fake.url}/v4/spreadsheets/{key}",
        params={"includeGridData": "true", "fields": MASK, "prettyPrint": "false"},
    ).json()
    row = answer["sheets"][0]["data"][0]["rowData"][0]
    return list(row["values"])


def test_a_mask_inside_a_cell_keeps_only_what_it_names(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("M", sheets={"Tab": [["texte", 3, None, "=B1*2", "fin"]]})
    sheet = fake.gspread_client().open_by_key(key).sheet1
    sheet.format("B1", {"numberFormat": {"type": "DATE", "pattern": "d/m/yyyy"}})
    # A message the mask empties stays as {} (Google: fields=sheets.properties.tabColorStyle
    # answers {"sheets": [{"properties": {}}]}); a blank cell keeps its place as {}.
    assert _cells(fake, key) == [
        {"effectiveValue": {"stringValue": "texte"}, "userEnteredValue": {}},
        {
            "effectiveValue": {"numberValue": 3},
            "userEnteredValue": {},
            "userEnteredFormat": {"numberFormat": {"type": "DATE"}},  # no pattern
        },
        {},
        {"effectiveValue": {"numberValue": 6}, "userEnteredValue": {"formulaValue": "=B1*2"}},
        {"effectiveValue": {"stringValue": "fin"}, "userEnteredValue": {}},
    ]
