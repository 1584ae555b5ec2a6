"""User edits between requests (sort, insert, delete, type) and the formulas that follow
rows: references adjusted as Google adjusts them, INDEX/MATCH lookups evaluated, and
copyPaste of values computed earlier in the same batch."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from fakesheets import FakeSheets
from fakesheets.formula import FormulaError, evaluate

ROWS: list[list[Any]] = [
    ["ID", "Action", "Rang"],
    ["A-1", "zeta", None],
    ["A-2", "alpha", None],
    ["", "mid", None],
]
LOOKUP = '=IF($A{r}="","",IFERROR(INDEX(Data!$B:$B;MATCH($A{r};Data!$A:$A;0));""))'


@pytest.fixture
def plan(fake: FakeSheets) -> str:
    key = fake.create_spreadsheet(
        "P", sheets={"T": ROWS, "Data": [["ID", "Rank"], ["A-1", 2], ["A-2", 1]]}
    )
    book = fake.gspread_client().open_by_key(key)
    book.worksheet("T").update(
        [[LOOKUP.format(r=r)] for r in (2, 3, 4)], "C2", value_input_option="USER_ENTERED"
    )
    fake.reset()
    return key


def formulas(fake: FakeSheets, key: str) -> list[Any]:
    return [
        fake.cell(key, f"T!C{r}").get("userEnteredValue", {}).get("formulaValue")
        for r in (2, 3, 4, 5)
    ]


def grid(fake: FakeSheets, key: str) -> list[list[Any]]:
    return fake.values(key, "T!A1:C6")


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ('=INDEX(A1:B3,MATCH("b",A1:A3,0),2)', 20.0),
        ('=MATCH("B";A:A;0)', 2.0),  # text matches ignoring case; `;` separates arguments
        ('=IFERROR(MATCH("zz",A:A,0),"none")', "none"),
        ("=INDEX(B:B,3)", 30.0),
        ('=EXACT(A1,"A")', False),
        ('=AND(ISBLANK(C1),ISNUMBER(B1),LEFT(A2,1)="b")', True),
    ],
)
def test_lookup_functions(formula: str, expected: Any) -> None:
    cells: dict[tuple[int, int], Any] = {
        (0, 0): "a",
        (1, 0): "b",
        (2, 0): "c",
        (0, 1): 10.0,
        (1, 1): 20.0,
        (2, 1): 30.0,
    }
    assert evaluate(formula, lambda t, r, c: cells.get((r, c)), lambda t: 3) == expected


def test_match_without_the_key_is_not_available() -> None:
    found = evaluate('=MATCH("x",A:A,0)', lambda t, r, c: None, lambda t: 5)
    assert isinstance(found, FormulaError) and found.type == "N_A"


def test_a_lookup_keyed_on_its_row_shows_its_rows_value(fake: FakeSheets, plan: str) -> None:
    assert grid(fake, plan)[1:] == [["A-1", "zeta", 2], ["A-2", "alpha", 1], ["", "mid"]]


def test_inserting_rows_shifts_references_below_and_moves_formats(
    fake: FakeSheets, plan: str
) -> None:
    fake.gspread_client().open_by_key(plan).worksheet("T").format(
        "B2", {"textFormat": {"bold": True}}
    )
    fake.apply_edits(plan, [{"insert_rows": {"sheet": "T", "row": 2, "count": 1}}])
    assert formulas(fake, plan)[1:] == [LOOKUP.format(r=r) for r in (3, 4, 5)]
    assert fake.cell(plan, "T!B3")["userEnteredFormat"]["textFormat"]["bold"] is True
    assert grid(fake, plan) == [
        ["ID", "Action", "Rang"],
        [],
        ["A-1", "zeta", 2],
        ["A-2", "alpha", 1],
        ["", "mid"],
    ]


def test_deleting_a_row_shifts_references_up_and_breaks_those_inside(
    fake: FakeSheets, plan: str
) -> None:
    book = fake.gspread_client().open_by_key(plan)
    book.worksheet("Data").update([['=T!B3&"!"']], "D1", value_input_option="USER_ENTERED")
    fake.apply_edits(plan, [{"delete_rows": {"sheet": "T", "row": 2, "count": 1}}])
    assert formulas(fake, plan)[:2] == [LOOKUP.format(r=r) for r in (2, 3)]
    assert fake.cell(plan, "Data!D1")["userEnteredValue"]["formulaValue"] == '=T!B2&"!"'
    fake.apply_edits(plan, [{"delete_rows": {"sheet": "T", "row": 2, "count": 1}}])
    assert fake.cell(plan, "Data!D1")["userEnteredValue"]["formulaValue"] == '=#REF!&"!"'
    assert grid(fake, plan) == [["ID", "Action", "Rang"], ["", "mid"]]


def test_sorting_moves_rows_and_their_relative_references(fake: FakeSheets, plan: str) -> None:
    fake.apply_edits(plan, [{"sort": {"range": "T!A2:C4", "column": "B"}}])
    assert grid(fake, plan) == [
        ["ID", "Action", "Rang"],
        ["A-2", "alpha", 1],
        ["", "mid"],
        ["A-1", "zeta", 2],
    ]
    assert formulas(fake, plan)[:3] == [LOOKUP.format(r=r) for r in (2, 3, 4)]


def test_sorting_descending_keeps_blanks_last(fake: FakeSheets, plan: str) -> None:
    fake.apply_edits(plan, [{"sort": {"range": "T!A2:C4", "column": "A", "descending": True}}])
    assert [row[0] for row in grid(fake, plan)[1:]] == ["A-2", "A-1", ""]


def test_sort_range_request_sorts_like_a_user(fake: FakeSheets, plan: str) -> None:
    book = fake.gspread_client().open_by_key(plan)
    sheet_id = book.worksheet("T").id
    book.batch_update(
        {
            "requests": [
                {
                    "sortRange": {
                        "range": {"sheetId": sheet_id, "startRowIndex": 1, "endRowIndex": 4},
                        "sortSpecs": [{"dimensionIndex": 1, "sortOrder": "DESCENDING"}],
                    }
                }
            ]
        }
    )
    assert [row[1] for row in grid(fake, plan)[1:]] == ["zeta", "mid", "alpha"]


def test_copy_paste_values_pastes_what_a_formula_of_the_same_batch_computes(
    fake: FakeSheets, plan: str
) -> None:
    book = fake.gspread_client().open_by_key(plan)
    sheet_id, data_id = book.worksheet("T").id, book.worksheet("Data").id
    when_blank = '=IF(LEN(TRIM(T!A{r}))=0,"A-9",T!A{r})'

    def batch(row: int) -> list[dict[str, Any]]:
        cell = {"userEnteredValue": {"formulaValue": when_blank.format(r=row + 1)}}
        return [
            {
                "updateCells": {
                    "start": {"sheetId": data_id, "rowIndex": 9, "columnIndex": 0},
                    "rows": [{"values": [cell]}],
                    "fields": "userEnteredValue",
                }
            },
            {
                "copyPaste": {
                    "source": _one(data_id, 9, 0),
                    "destination": _one(sheet_id, row, 0),
                    "pasteType": "PASTE_VALUES",
                }
            },
        ]

    book.batch_update({"requests": batch(3) + batch(1)})
    assert [row[0] for row in grid(fake, plan)[1:]] == ["A-1", "A-2", "A-9"]
    assert fake.cell(plan, "T!A4")["userEnteredValue"] == {"stringValue": "A-9"}


def _one(sheet_id: int, row: int, col: int) -> dict[str, int]:
    return {
        "sheetId": sheet_id,
        "startRowIndex": row,
        "endRowIndex": row + 1,
        "startColumnIndex": col,
        "endColumnIndex": col + 1,
    }


def test_edits_registered_over_http_land_just_before_the_nth_request(
    fake: FakeSheets, plan: str
) -> None:
    answer = requests.post(
        f"{fake.url}/_fake/edits",
        json={
            "spreadsheet": plan,
            "before_request": 2,
            "edits": [{"set": {"range": "T!A4", "values": [["A-7"]]}}],
        },
        timeout=5,
    )
    assert answer.status_code == 200
    assert isinstance(answer.json()["beforeRequest"], int)  # counted from the start
    url = f"{fake.url}/v4/spreadsheets/{plan}/values/T!A4"
    assert requests.get(url, timeout=5).json().get("values") is None  # request 1
    assert requests.get(url, timeout=5).json()["values"] == [["A-7"]]  # request 2


def test_edits_between_two_given_requests(fake: FakeSheets, plan: str) -> None:
    gc = fake.gspread_client()
    fake.schedule_edits(plan, [{"delete_rows": {"sheet": "T", "row": 2}}], after_request=1)
    sheet = gc.open_by_key(plan).worksheet("T")
    assert sheet.acell("A2").value == "A-2"


@pytest.mark.parametrize(
    "body",
    [
        {"spreadsheet": "nope", "before_request": 1, "edits": []},
        {"before_request": 1},
        {"spreadsheet": "x", "before_request": 0, "edits": []},
        {"spreadsheet": "x", "before_request": 1, "edits": [{"shuffle": {}}]},
    ],
)
def test_bad_edit_requests_are_refused(fake: FakeSheets, plan: str, body: dict[str, Any]) -> None:
    if body.get("spreadsheet") == "x":
        body = {**body, "spreadsheet": plan}
    answer = requests.post(f"{fake.url}/_fake/edits", json=body, timeout=5)
    assert answer.status_code == 400
    assert answer.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_reset_drops_scheduled_edits(fake: FakeSheets, plan: str) -> None:
    fake.schedule_edits(plan, [{"set": {"range": "T!A4", "values": [["A-7"]]}}], before_request=1)
    fake.reset()
    assert fake.gspread_client().open_by_key(plan).worksheet("T").acell("A4").value is None


def test_a_row_formula_shows_its_rows_position_after_rows_are_deleted(
    fake: FakeSheets, plan: str
) -> None:
    book = fake.gspread_client().open_by_key(plan)
    book.worksheet("T").update(
        [["=ROW()-1"] for _ in range(3)], "D2", value_input_option="USER_ENTERED"
    )
    assert [row[3] for row in fake.values(plan, "T!A2:D4")] == [1, 2, 3]
    fake.apply_edits(plan, [{"delete_rows": {"sheet": "T", "row": 2, "count": 1}}])
    assert [row[3] for row in fake.values(plan, "T!A2:D3")] == [1, 2]
    assert fake.cell(plan, "T!D3")["userEnteredValue"]["formulaValue"] == "=ROW()-1"
