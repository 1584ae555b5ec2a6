"""Finding the header row and mapping columns, whatever their order or extra columns."""

from __future__ import annotations

import pytest

from sheetpilot._cells import CellValue, Grid
from sheetpilot._parse.headers import find_headers, find_table
from sheetpilot._template import ACTION_COLUMNS, S_OWNERS, S_STATUSES, SETTINGS_COLUMNS


@pytest.mark.parametrize("header_row", [0, 1, 4, 9])
def test_header_row_found_among_the_first_ten_rows(header_row):
    title: list[CellValue] = ["Plan d'actions marketing"]
    grid: Grid = [title] * header_row + [["ID", "Statut", "Action"], ["A-1"]]
    table = find_table("T", grid, ACTION_COLUMNS)
    assert table.header_row == header_row
    assert table.columns == {"id": 0, "status": 1, "action": 2}
    assert list(table.data_rows()) == [header_row + 1]


def test_header_below_row_ten_is_not_found():
    title: list[CellValue] = ["titre"]
    grid: Grid = [title] * 10 + [["ID", "Statut", "Action"]]
    table = find_table("T", grid, ACTION_COLUMNS)
    assert table.header_row is None
    assert table.missing_cell == "A1"
    assert list(table.data_rows()) == []


def test_row_matching_the_most_names_wins():
    grid: Grid = [["Action"], ["Note", "Statut", "ID", "Action"], ["Action", "ID"]]
    assert find_table("T", grid, ACTION_COLUMNS).header_row == 1


def test_reordered_and_user_columns_accents_case_ignored():
    grid: Grid = [["Mes notes", "PRIORITE", "statut ", "id", "Responsable", "Dépend de :", "Rang"]]
    table = find_table("T", grid, ACTION_COLUMNS)
    assert table.columns == {
        "priority": 1,
        "status": 2,
        "id": 3,
        "owner": 4,
        "depends_on": 5,
        "rank": 6,
    }


def test_english_and_alias_headers():
    grid: Grid = [["Owner", "Estimate", "Depends on", "Difficulty", "Target result"]]
    table = find_table("T", grid, ACTION_COLUMNS)
    assert table.columns == {
        "owner": 0,
        "estimate": 1,
        "depends_on": 2,
        "effort": 3,
        "target_result": 4,
    }


def test_repeated_header_leftmost_wins():
    table = find_table("T", [["ID", "Action", "ID"]], ACTION_COLUMNS)
    assert table.columns == {"id": 0, "action": 1}


def test_missing_column_points_just_past_the_last_header():
    grid: Grid = [[], ["ID", "Statut", None, "Notes", None]]
    assert find_table("T", grid, ACTION_COLUMNS).missing_cell == "E2"


def test_cells_give_the_address_of_every_mapped_column():
    grid: Grid = [["Statut", "Notes", "ID"], ["À faire", "x", None]]
    table = find_table("T", grid, ACTION_COLUMNS)
    assert table.cells(1) == {"status": "A2", "id": "C2"}
    assert table.address(1, "id") == "C2"


def test_side_by_side_lists_each_with_its_own_header_row():
    grid: Grid = [["Statuts", None, None], [None, None, "Responsables"], ["À faire", None, "Alice"]]
    found = find_headers(grid, SETTINGS_COLUMNS)
    assert found[S_STATUSES.key] == [(0, 0)]
    assert found[S_OWNERS.key] == [(1, 2)]
