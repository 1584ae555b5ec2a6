from datetime import date, datetime

import pytest

from sheetpilot._backends.google.read import READ_FIELDS, cell_value, snapshot_from_json


def sheet(title, sheet_id, index, rows, *, row_count=1000, col_count=26, start=None):
    data = {"rowData": [{"values": values} if values else {} for values in rows]}
    if start:
        data["startRow"], data["startColumn"] = start
    return {
        "properties": {
            "sheetId": sheet_id,
            "title": title,
            "index": index,
            "gridProperties": {"rowCount": row_count, "columnCount": col_count},
        },
        "data": [data],
    }


def num(n, kind=None):
    cell = {"effectiveValue": {"numberValue": n}, "userEnteredValue": {"numberValue": n}}
    if kind:
        cell["userEnteredFormat"] = {"numberFormat": {"type": kind, "pattern": "x"}}
    return cell


def text(s):
    return {"effectiveValue": {"stringValue": s}, "userEnteredValue": {"stringValue": s}}


def test_tabs_in_sheet_order_with_ids_and_sizes():
    data = {
        "sheets": [
            sheet("Suivi des actions", 22, 1, [[text("ID")]], row_count=50, col_count=13),
            sheet("Réglages", 11, 0, [[text("Statuts")]]),
        ]
    }
    snap = snapshot_from_json(data)
    assert snap.titles == ["Réglages", "Suivi des actions"]
    tab = snap.get("Suivi des actions")
    assert tab is not None
    assert (tab.sheet_id, tab.row_count, tab.col_count) == (22, 50, 13)


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        (text("à faire"), "à faire"),
        (text("=1+1"), "=1+1"),
        (num(3), 3),
        (num(1.5), 1.5),
        (num(0.25, "PERCENT"), 0.25),
        (num(46037, "DATE"), date(2026, 1, 15)),
        (num(46037.5, "DATE_TIME"), datetime(2026, 1, 15, 12, 0)),
        (num(0.5, "TIME"), 0.5),
        ({"effectiveValue": {"boolValue": True}}, True),
        ({"effectiveValue": {"boolValue": False}}, False),
        ({"userEnteredValue": {"formulaValue": "=A1"}, "effectiveValue": {"numberValue": 2}}, 2),
        ({"userEnteredValue": {"formulaValue": "=A1"}}, None),
        ({"effectiveValue": {"errorValue": {"type": "REF", "message": "x"}}}, "#REF!"),
        ({"effectiveValue": {"errorValue": {"type": "ERROR"}}}, "#ERROR!"),
        ({"userEnteredFormat": {"numberFormat": {"type": "DATE"}}}, None),
        ({}, None),
    ],
)
def test_cell_values_are_unformatted(cell, value):
    got = cell_value(cell)
    assert got == value
    assert type(got) is type(value)


def test_blank_rows_kept_inside_trailing_blanks_trimmed():
    rows = [[text("a"), {}, text("c"), {}], [], [{}, num(2)], [{}], []]
    tab = snapshot_from_json({"sheets": [sheet("T", 1, 0, rows)]}).tabs[0]
    assert tab.grid == [["a", None, "c"], [], [None, 2]]


def test_grid_data_with_an_offset_is_placed():
    tab = snapshot_from_json({"sheets": [sheet("T", 1, 0, [[text("x")]], start=(2, 1))]}).tabs[0]
    assert tab.grid == [[], [], [None, "x"]]


def test_empty_spreadsheet_and_empty_tab():
    assert snapshot_from_json({}).tabs == ()
    bare = {"sheets": [{"properties": {"sheetId": 0, "title": "Feuille 1"}}]}
    tab = snapshot_from_json(bare).tabs[0]
    assert (tab.title, tab.grid, tab.sheet_id) == ("Feuille 1", [], 0)


def test_fields_mask_asks_only_for_what_is_read():
    for part in ("sheetId", "title", "rowCount", "effectiveValue", "numberFormat"):
        assert part in READ_FIELDS
    assert "formattedValue" not in READ_FIELDS
    assert "effectiveFormat" not in READ_FIELDS


def test_a_sheet_with_sheetpilots_developer_metadata_is_owned():
    data = {
        "sheets": [
            {"properties": {"sheetId": 1, "title": "Priorités"},
             "developerMetadata": [{"metadataKey": "other"}, {"metadataKey": "sheetpilot"}]},
            {"properties": {"sheetId": 2, "title": "Notes"},
             "developerMetadata": [{"metadataKey": "other"}]},
            {"properties": {"sheetId": 3, "title": "Contrôles"}},
        ]
    }  # fmt: skip
    assert [t.owned for t in snapshot_from_json(data).tabs] == [True, False, False]
    assert "sheets.developerMetadata(metadataKey)" in READ_FIELDS  # in the one read


def test_formula_text_is_read_with_commas_next_to_its_result():
    from sheetpilot._backends.google.read import snapshot_from_json

    formula = (
        '=IF($A2="";"";IFERROR(INDEX(\'Priorités\'!$A:$A;MATCH($A2&"";\'Priorités\'!$B:$B;0));""))'
    )
    data = {
        "sheets": [
            {
                "properties": {"sheetId": 1, "title": "Suivi des actions"},
                "data": [
                    {
                        "rowData": [
                            {"values": [{"effectiveValue": {"stringValue": "ID"}}]},
                            {
                                "values": [
                                    {"effectiveValue": {"stringValue": "A-001"}},
                                    {
                                        "userEnteredValue": {"formulaValue": formula},
                                        "effectiveValue": {"numberValue": 4},
                                    },
                                ]
                            },
                        ]
                    }
                ],
            }
        ]
    }
    tab = snapshot_from_json(data).tabs[0]
    assert tab.grid[1] == ["A-001", 4]
    assert tab.formulas == {(1, 1): formula.replace(";", ",")}


def test_a_read_asks_for_compact_gzipped_json_and_reads_the_same_plan(fake):
    from sheetpilot._backends.google import GoogleBackend
    from sheetpilot._config import GoogleConfig
    from sheetpilot._sync import run_sync
    from tests.plan_builders import plan_grids

    key = fake.create_spreadsheet("Plan", sheets=plan_grids())
    config = GoogleConfig(credentials="none", endpoint=fake.url)
    run_sync(GoogleBackend(key, config), plan="p", today=date(2026, 1, 12), locale="fr")
    fake.reset()
    snapshot = GoogleBackend(key, config).read()
    (entry,) = fake.log
    assert "prettyPrint=false" in entry.query
    assert "gzip" in entry.client  # Google compresses only for such a User-Agent
    assert entry.response_bytes < entry.decoded_bytes / 3  # served gzipped, decoded by requests
    # the same snapshot as from the whole, unmasked spreadsheet resource
    import requests

    whole = requests.get(f"{fake.url}/v4/spreadsheets/{key}", params={"includeGridData": "true"})
    assert snapshot == snapshot_from_json(whole.json())
