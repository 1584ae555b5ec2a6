from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetpilot._backends.google.write import (
    batch_update_body,
    cell_data,
    cell_runs,
    keep_guarded,
    number_format,
)
from sheetpilot._errors import BackendError
from sheetpilot._workbook import (
    CellWrite,
    ChangeSet,
    Guard,
    ListValidation,
    Snapshot,
    TabData,
    TabLayout,
)

SNAP = Snapshot(
    tabs=(
        TabData("Réglages", [["Statuts"], ["À faire"]], sheet_id=0, row_count=100, col_count=10),
        TabData("Suivi des actions", [["ID"], ["A-001"]], sheet_id=7, row_count=20, col_count=13),
    )
)


def kinds(body):
    return [next(iter(r)) for r in body["requests"]]


@pytest.mark.parametrize("raw", ["=1+1", "+33 6 12", "-x", "@home", "'quoted", "2026-01-15", "1,5"])
def test_all_text_is_written_as_text(raw):
    data, fields = cell_data(CellWrite("T", 0, 0, raw))
    assert data == {"userEnteredValue": {"stringValue": raw}}
    assert fields == ("userEnteredValue",)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, {"numberValue": 3}),
        (2.5, {"numberValue": 2.5}),
        (True, {"boolValue": True}),
        (False, {"boolValue": False}),
    ],
)
def test_numbers_and_booleans(value, expected):
    assert cell_data(CellWrite("T", 0, 0, value))[0]["userEnteredValue"] == expected


@pytest.mark.parametrize("value", [None, "", float("nan"), float("inf")])
def test_clearing_a_cell_sends_the_field_without_a_value(value):
    assert cell_data(CellWrite("T", 0, 0, value)) == ({}, ("userEnteredValue",))


def test_dates_are_serials_with_a_date_format():
    data, fields = cell_data(CellWrite("T", 0, 0, date(2026, 1, 15), number_format="dd/mm/yyyy"))
    assert data["userEnteredValue"] == {"numberValue": 46037.0}
    assert data["userEnteredFormat"]["numberFormat"] == {"type": "DATE", "pattern": "dd/mm/yyyy"}
    assert fields == ("userEnteredValue", "userEnteredFormat.numberFormat")
    plain, _ = cell_data(CellWrite("T", 0, 0, date(2026, 1, 15)))
    assert plain["userEnteredFormat"]["numberFormat"] == {"type": "DATE"}
    stamp, _ = cell_data(CellWrite("T", 0, 0, datetime(2026, 1, 15, 12)))
    assert stamp["userEnteredValue"] == {"numberValue": 46037.5}
    assert stamp["userEnteredFormat"]["numberFormat"] == {"type": "DATE_TIME"}


def test_bold_and_number_format_are_in_the_mask_only_when_set():
    data, fields = cell_data(CellWrite("T", 0, 0, "Titre", bold=True))
    assert data["userEnteredFormat"] == {"textFormat": {"bold": True}}
    assert fields == ("userEnteredValue", "userEnteredFormat.textFormat.bold")
    data, fields = cell_data(CellWrite("T", 0, 0, 0.3, number_format="0%"))
    assert data["userEnteredFormat"] == {"numberFormat": {"type": "PERCENT", "pattern": "0%"}}


@pytest.mark.parametrize(
    ("pattern", "kind"),
    [
        ("dd/mm/yyyy", "DATE"),
        ("yyyy-mm-dd", "DATE"),
        ("d mmm yy", "DATE"),
        ("dd/mm/yyyy hh:mm", "DATE_TIME"),
        ("hh:mm:ss", "TIME"),
        ("0%", "PERCENT"),
        ("0.0%", "PERCENT"),
        ("0.0", "NUMBER"),
        ('0.0 "j"', "NUMBER"),
        ('#,##0.00 "days"', "NUMBER"),
        ("0.00E+00", "SCIENTIFIC"),
    ],
)
def test_number_format_type_from_pattern(pattern, kind):
    assert number_format(pattern) == {"type": kind, "pattern": pattern}


def test_contiguous_cells_share_one_update_cells():
    writes = tuple(CellWrite("Suivi des actions", 1, c, c) for c in (13, 14, 15))
    body = batch_update_body(ChangeSet(writes=writes, min_cols={"Suivi des actions": 16}), SNAP)
    assert kinds(body) == ["updateSheetProperties", "updateCells"]
    update = body["requests"][1]["updateCells"]
    assert update["start"] == {"sheetId": 7, "rowIndex": 1, "columnIndex": 13}
    assert update["rows"] == [
        {"values": [{"userEnteredValue": {"numberValue": c}} for c in (13, 14, 15)]}
    ]
    assert update["fields"] == "userEnteredValue"


def test_runs_split_where_the_field_mask_differs_or_a_gap_is():
    writes = [
        CellWrite("T", 0, 0, "a"),
        CellWrite("T", 0, 1, "b", bold=True),
        CellWrite("T", 0, 2, "c", bold=True),
        CellWrite("T", 0, 4, "e", bold=True),
    ]
    runs = cell_runs(writes)
    assert [(r.col, len(r.rows[0])) for r in runs] == [(0, 1), (1, 2), (4, 1)]


def test_last_write_to_a_cell_wins():
    runs = cell_runs([CellWrite("T", 0, 0, "old"), CellWrite("T", 0, 0, "new")])
    assert runs[0].rows == [[{"userEnteredValue": {"stringValue": "new"}}]]


@settings(max_examples=60, deadline=None)
@given(
    st.sets(
        st.tuples(st.integers(0, 6), st.integers(0, 6), st.booleans()),
        max_size=30,
    )
)
def test_runs_cover_every_write_exactly_once(cells):
    writes = [CellWrite("T", r, c, f"{r}:{c}", bold=b) for r, c, b in cells]
    expected = {(w.row, w.col): w for w in writes}
    for fresh in ((), ("T",)):
        seen = {}
        for run in cell_runs(writes, fresh=fresh):
            for dr, values in enumerate(run.rows):  # rows may differ in length
                for dc, data in enumerate(values):
                    key = (run.row + dr, run.col + dc)
                    assert key not in seen
                    seen[key] = (data, run.fields)
        assert set(seen) == set(expected)
        for key, (data, fields) in seen.items():
            own_data, own_fields = cell_data(expected[key])
            assert data == own_data
            if fresh:  # a new, blank tab: a wider mask only clears what is already default
                assert set(own_fields) <= set(fields)
            else:  # an existing tab: a format is in the mask only where it is set
                assert fields == own_fields


def test_a_new_tab_is_written_in_few_runs_and_an_existing_one_keeps_formats():
    writes = [CellWrite("T", 0, c, f"h{c}", bold=True) for c in range(3)]
    writes += [CellWrite("T", r, 0, r, number_format="0") for r in (1, 2)]
    writes += [CellWrite("T", r, c, f"{r}:{c}") for r in (1, 2) for c in range(1, 1 + r)]
    fresh = cell_runs(writes, fresh={"T"})
    assert [(r.row, r.col, [len(v) for v in r.rows]) for r in fresh] == [(0, 0, [3, 2, 3])]
    kept = cell_runs(writes)
    assert [(r.row, r.col, [len(v) for v in r.rows]) for r in kept] == [
        (0, 0, [3]),
        (1, 0, [1, 1]),
        (1, 1, [1, 2]),
    ]


def test_new_tab_gets_its_own_id_frozen_rows_and_widths_in_the_same_batch():
    layout = TabLayout("Priorités", column_widths=(60, 60, 240), frozen_rows=1, index=3)
    changes = ChangeSet(
        new_tabs=(layout,),
        writes=(CellWrite("Priorités", 0, 0, "Rang", bold=True),),
        validations=(ListValidation("Priorités", 1, 1, values=("P1", "P2"), rows=2000),),
    )
    body = batch_update_body(changes, SNAP)
    assert kinds(body) == [
        "addSheet",
        "updateCells",
        "setDataValidation",
        "updateDimensionProperties",
        "updateDimensionProperties",
        "createDeveloperMetadata",  # marked as sheetpilot's in the same batch
    ]
    props = body["requests"][0]["addSheet"]["properties"]
    new_id = props["sheetId"]
    assert new_id not in (0, 7)
    assert props["title"] == "Priorités"
    assert props["index"] == 3
    assert props["gridProperties"] == {"rowCount": 2001, "columnCount": 26, "frozenRowCount": 1}
    assert body["requests"][1]["updateCells"]["start"]["sheetId"] == new_id
    widths = [r["updateDimensionProperties"] for r in body["requests"][3:5]]
    assert [
        (w["range"]["startIndex"], w["range"]["endIndex"], w["properties"]["pixelSize"])
        for w in widths
    ] == [(0, 2, 60), (2, 3, 240)]
    assert batch_update_body(changes, SNAP) == body  # the same ids on every run


def test_tab_that_already_exists_is_not_added_again():
    changes = ChangeSet(new_tabs=(TabLayout("réglages", frozen_rows=1),))
    assert batch_update_body(changes, SNAP) == {"requests": []}


def test_grid_grows_to_fit_writes_and_minimums():
    changes = ChangeSet(
        writes=(CellWrite("Suivi des actions", 24, 0, "A-024"),),
        min_rows={"Réglages": 50},
        min_cols={"Réglages": 12},
    )
    grow = [r["updateSheetProperties"] for r in batch_update_body(changes, SNAP)["requests"][:-1]]
    assert grow == [
        {
            "properties": {"sheetId": 0, "gridProperties": {"columnCount": 12}},
            "fields": "gridProperties.columnCount",
        },
        {
            "properties": {"sheetId": 7, "gridProperties": {"rowCount": 25}},
            "fields": "gridProperties.rowCount",
        },
    ]


def test_dropdowns_from_a_list_or_a_range():
    changes = ChangeSet(
        validations=(
            ListValidation("Suivi des actions", 1, 1, source="'Réglages'!$A$2:$A$200", rows=19),
            ListValidation("Suivi des actions", 1, 6, values=("P1", "P2", "P3")),
            ListValidation("Suivi des actions", 1, 7),
        )
    )
    reqs = [r["setDataValidation"] for r in batch_update_body(changes, SNAP)["requests"]]
    assert reqs[0]["range"] == {
        "sheetId": 7,
        "startRowIndex": 1,
        "endRowIndex": 20,
        "startColumnIndex": 1,
        "endColumnIndex": 2,
    }
    assert reqs[0]["rule"] == {
        "condition": {
            "type": "ONE_OF_RANGE",
            "values": [{"userEnteredValue": "='Réglages'!$A$2:$A$200"}],
        },
        "showCustomUi": True,
    }
    assert reqs[1]["rule"]["condition"]["type"] == "ONE_OF_LIST"
    assert [v["userEnteredValue"] for v in reqs[1]["rule"]["condition"]["values"]] == [
        "P1",
        "P2",
        "P3",
    ]
    assert "rule" not in reqs[2]  # neither list nor range: the dropdown is removed


def test_writing_to_an_unknown_tab_is_an_error():
    with pytest.raises(BackendError, match="no tab named 'Nope'"):
        batch_update_body(ChangeSet(writes=(CellWrite("Nope", 0, 0, 1),)), SNAP)


def test_guards_checked_against_the_snapshot():
    writes = (
        CellWrite("Suivi des actions", 1, 13, 1, guard=Guard(1, 0, "A-001")),
        CellWrite("Suivi des actions", 1, 14, 2, guard=Guard(1, 0, "A-002")),
        CellWrite("Suivi des actions", 2, 13, 3, guard=Guard(2, 0, None)),
        CellWrite("Absent", 0, 0, 4, guard=Guard(0, 0, "x")),
        CellWrite("Réglages", 5, 5, 5),
    )
    kept = keep_guarded(ChangeSet(writes=writes), SNAP)
    assert [w.value for w in kept.writes] == [1, 3, 5]


# --- the ownership mark (developer metadata) -------------------------------------------------
def _marked(body):
    return [
        r["createDeveloperMetadata"]["developerMetadata"]["location"]["sheetId"]
        for r in body["requests"]
        if "createDeveloperMetadata" in r
    ]


def test_a_created_tab_is_marked_after_it_is_added():
    body = batch_update_body(ChangeSet(new_tabs=(TabLayout("Contrôles"),)), SNAP)
    assert kinds(body) == ["addSheet", "createDeveloperMetadata"]
    new_id = body["requests"][0]["addSheet"]["properties"]["sheetId"]
    assert body["requests"][1] == {
        "createDeveloperMetadata": {
            "developerMetadata": {
                "metadataKey": "sheetpilot",
                "metadataValue": "owned",
                "location": {"sheetId": new_id},
                "visibility": "DOCUMENT",
            }
        }
    }


def test_an_adopted_tab_is_marked_once_alone_or_with_cells():
    snap = Snapshot(
        (
            TabData(
                "Priorités", [["Priorités"]], sheet_id=4, row_count=10, col_count=5, owned=False
            ),
            TabData("Contrôles", [], sheet_id=5, row_count=10, col_count=5, owned=True),
        )
    )
    alone = batch_update_body(ChangeSet(adopt=("Priorités", "Priorités")), snap)
    assert kinds(alone) == ["createDeveloperMetadata"] and _marked(alone) == [4]
    with_cells = ChangeSet(writes=(CellWrite("Priorités", 1, 0, "x"),), adopt=("Priorités",))
    assert kinds(batch_update_body(with_cells, snap)) == ["updateCells", "createDeveloperMetadata"]
    assert _marked(batch_update_body(ChangeSet(adopt=("Contrôles",)), snap)) == []  # marked


def test_adopting_an_unknown_tab_is_an_error():
    with pytest.raises(BackendError, match="no tab named 'Nope'"):
        batch_update_body(ChangeSet(adopt=("Nope",)), SNAP)


def test_formulas_go_as_formula_values_with_semicolons_and_strings_kept():
    write = CellWrite("T", 0, 0, 3, formula='=IF($A1="a,b","",INDEX(B:B,2))', number_format="0%")
    data, fields = cell_data(write)
    assert data["userEnteredValue"] == {"formulaValue": '=IF($A1="a,b";"";INDEX(B:B;2))'}
    assert fields == ("userEnteredValue", "userEnteredFormat.numberFormat")


def test_a_guarded_id_is_checked_by_google_inside_the_same_batch():
    row_guard = Guard(1, 0, None, ((1, "À faire"), (11, 2)))
    write = CellWrite("Suivi des actions", 1, 0, "A-031", guard=row_guard)
    snap = Snapshot(
        tabs=(
            TabData(
                "Suivi des actions",
                [["ID"], [None, "À faire"]],
                sheet_id=7,
                row_count=20,
                col_count=13,
            ),
            TabData("sheetpilot-scratch", [], sheet_id=9),  # a tab of the user's by that name
        )
    )
    body = batch_update_body(ChangeSet(writes=(write,)), snap)

    assert kinds(body) == ["addSheet", "updateCells", "copyPaste", "deleteSheet"]
    scratch = body["requests"][0]["addSheet"]["properties"]
    assert scratch["hidden"] is True and scratch["title"] == "sheetpilot-scratch-2"
    formula = body["requests"][1]["updateCells"]["rows"][0]["values"][0]["userEnteredValue"]
    assert formula == {
        "formulaValue": "=IF(AND(LEN(TRIM('Suivi des actions'!A2&\"\"))=0;"
        'EXACT(\'Suivi des actions\'!B2&"";"À faire");'
        "AND(ISNUMBER('Suivi des actions'!L2);'Suivi des actions'!L2=2));"
        "\"A-031\";'Suivi des actions'!A2)"
    }
    paste = body["requests"][2]["copyPaste"]
    assert paste["pasteType"] == "PASTE_VALUES"
    assert paste["source"]["sheetId"] == scratch["sheetId"]
    assert (paste["destination"]["sheetId"], paste["destination"]["startRowIndex"]) == (7, 1)
    assert body["requests"][3] == {"deleteSheet": {"sheetId": scratch["sheetId"]}}


def test_init_cells_with_formats_are_not_sent_through_the_scratch_tab():
    write = CellWrite("Réglages", 0, 3, "Priorités", bold=True, guard=Guard(0, 3, None))
    assert kinds(batch_update_body(ChangeSet(writes=(write,)), SNAP)) == ["updateCells"]
