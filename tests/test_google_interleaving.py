"""A user edits the sheet while a sync runs (DESIGN §2): real gspread over HTTP to the
stand-in, each user edit landing in each gap between the sync's requests.

Every sync here assigns an ID (a new action row has none). For each gap (before the read,
between the read and the write, after the write) and each edit (sort the actions, insert a
row at the top, delete a row, delete the new row, type an ID into its blank cell, edit an
input, edit the new row itself, type into a tool tab, insert a row in the objectives),
compared with a twin
spreadsheet that got the same edit and no sync:

- no user-entered cell and no existing ID changed (sheetpilot only filled the blank ID of
  the row that needed one, and only on that row);
- every computed cell is right for the row it sits on: right after the sync (for edits
  that change no input), and after the next sync in every case;
- a further sync writes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from fakesheets import FakeSheets
from sheetpilot._backends.google import GoogleBackend
from sheetpilot._config import GoogleConfig
from sheetpilot._example import example_plan
from sheetpilot._models import Report
from sheetpilot._scaffold import scaffold_changes
from sheetpilot._sync import run_sync

TODAY = date(2026, 3, 4)
ACTIONS, OBJECTIVES = "Suivi des actions", "Objectifs"
NEW_ROW = 32  # 1-based: the action typed below the 30 of the example, without an ID
NEW_ACTION = [
    "À faire",
    "SEO",
    "Nouvelle action",
    "",
    "R1",
    "P1",
    4,
    1,
    "",
    "Julien Petit",
    2,
    "P4",
]

EDITS: dict[str, list[dict[str, Any]]] = {
    "sort the actions": [{"sort": {"range": f"'{ACTIONS}'!A2:N{NEW_ROW}", "column": "D"}}],
    "insert a row at the top": [{"insert_rows": {"sheet": ACTIONS, "row": 2}}],
    "delete a row": [{"delete_rows": {"sheet": ACTIONS, "row": 5}}],
    "delete the new row": [{"delete_rows": {"sheet": ACTIONS, "row": NEW_ROW}}],
    "type an ID into the blank cell": [
        {"set": {"range": f"'{ACTIONS}'!A{NEW_ROW}", "values": [["A-099"]]}}
    ],
    "edit an input": [{"set": {"range": f"'{ACTIONS}'!B12", "values": [["Terminé"]]}}],
    "edit the new row": [{"set": {"range": f"'{ACTIONS}'!E{NEW_ROW}", "values": [["Détail"]]}}],
    "type into a tool tab": [{"set": {"range": "'Priorités'!C5", "values": [["à revoir"]]}}],
    "insert a row in the objectives": [{"insert_rows": {"sheet": OBJECTIVES, "row": 2}}],
}
CHANGES_NO_INPUT = {
    "sort the actions",
    "insert a row at the top",
    "delete the new row",
    "type an ID into the blank cell",
    "type into a tool tab",
    "insert a row in the objectives",
}
# The sync's requests: 1 = its read, 2 = its write; 3 = the next request after it.
GAPS = {"before the read": 1, "between read and write": 2, "after the write": 3}


def backend(module_fake: FakeSheets, key: str) -> GoogleBackend:
    return GoogleBackend(key, GoogleConfig(credentials="none", endpoint=module_fake.url))


def sync(module_fake: FakeSheets, key: str) -> Report:
    return run_sync(backend(module_fake, key), plan="p", today=TODAY, locale="fr").report


@pytest.fixture(scope="module")
def synced_plan(module_fake: FakeSheets) -> str:
    """The example plan, synced once, plus a new action row without an ID."""
    key = module_fake.create_spreadsheet("Plan marketing")
    init = backend(module_fake, key)
    demo = example_plan(TODAY - timedelta(days=21), "fr")
    init.write(scaffold_changes(init.read(), "fr", demo, start=TODAY))
    sync(module_fake, key)
    module_fake.set_values(key, f"'{ACTIONS}'!B{NEW_ROW}", [NEW_ACTION])
    return key


def columns(module_fake: FakeSheets, key: str, title: str) -> dict[str, int]:
    return {name: c for c, name in enumerate(module_fake.values(key, title)[0])}


def user_cells(module_fake: FakeSheets, key: str) -> dict[tuple[str, int, int], Any]:
    """Every non-blank cell of the input tabs, computed columns left out."""
    computed = {ACTIONS: {"Rang"}, OBJECTIVES: {"Avancement", "État"}}
    out: dict[tuple[str, int, int], Any] = {}
    for title in ("Réglages", OBJECTIVES, ACTIONS):
        skip = {
            c
            for name, c in columns(module_fake, key, title).items()
            if name in computed.get(title, ())
        }
        for r, row in enumerate(module_fake.values(key, title)):
            for c, value in enumerate(row):
                if c not in skip and value != "":
                    out[(title, r, c)] = value
    return out


def ranks(report: Report) -> dict[str, int]:
    return {action_id: i for i, action_id in enumerate(report.priority_order, start=1)}


def wrong_computed_cells(module_fake: FakeSheets, key: str, report: Report) -> list[str]:
    """Computed cells that do not show what `report` says of their row's ID."""
    wrong: list[str] = []
    cols = columns(module_fake, key, ACTIONS)
    rank_of = ranks(report)
    for r, row in enumerate(module_fake.values(key, ACTIONS)[1:], start=2):
        row = row + [""] * (len(cols) - len(row))
        expected = rank_of.get(row[cols["ID"]], "")
        if row[cols["Rang"]] != expected:
            wrong.append(f"{ACTIONS}!N{r}: {row[cols['Rang']]!r}, expected {expected!r}")
    progress = {result.id: result.progress for obj in report.objectives for result in obj.results}
    cols = columns(module_fake, key, OBJECTIVES)
    for r, row in enumerate(module_fake.values(key, OBJECTIVES)[1:], start=2):
        row = row + [""] * (len(cols) - len(row))
        wanted: float | str | None = progress.get(row[cols["ID"]], "")
        shown = row[cols["Avancement"]]
        if shown != wanted and not (
            isinstance(shown, float | int)
            and isinstance(wanted, float)
            and abs(shown - wanted) < 1e-9
        ):
            wrong.append(f"{OBJECTIVES}!L{r}: {shown!r}, expected {wanted!r}")
        if (row[cols["État"]] == "") != (wanted == ""):
            wrong.append(
                f"{OBJECTIVES}!M{r}: {row[cols['État']]!r} on a row of {row[cols['ID']]!r}"
            )
    return wrong


@pytest.mark.parametrize("gap", list(GAPS))
@pytest.mark.parametrize("edit", list(EDITS))
def test_a_user_edit_in_any_gap_of_a_sync_that_assigns_an_id(
    module_fake: FakeSheets, synced_plan: str, edit: str, gap: str
) -> None:
    key = module_fake.copy_spreadsheet(synced_plan)
    twin = module_fake.copy_spreadsheet(synced_plan)
    module_fake.apply_edits(twin, EDITS[edit])  # the same edit, no sync
    module_fake.reset()
    module_fake.schedule_edits(key, EDITS[edit], before_request=GAPS[gap])

    first = sync(module_fake, key)
    assert first.writes.requests == (2 if first.writes.cells else 1)
    if gap == "after the write":
        module_fake.gspread_client().open_by_key(key)  # the next request: the edit lands
    if edit in CHANGES_NO_INPUT:
        assert wrong_computed_cells(module_fake, key, first) == []

    second = sync(module_fake, key)
    assert wrong_computed_cells(module_fake, key, second) == []
    third = sync(module_fake, key)
    assert (third.writes.requests, third.writes.cells) == (1, 0)

    mine, expected = user_cells(module_fake, key), user_cells(module_fake, twin)
    assert {k: v for k, v in mine.items() if k in expected} == expected  # nothing lost or moved
    filled = {k: v for k, v in mine.items() if k not in expected}
    id_col = columns(module_fake, twin, ACTIONS)["ID"]
    if edit in ("delete the new row", "type an ID into the blank cell"):
        assert filled == {}  # no row needs an ID any more: none is written, nowhere
    else:
        ((where, new_id),) = filled.items()  # one ID, filled into the new row's blank cell
        title, row, col = where
        assert (title, col) == (ACTIONS, id_col)
        assert (
            expected[(ACTIONS, row, columns(module_fake, twin, ACTIONS)["Action"])]
            == "Nouvelle action"
        )
        assert new_id == "A-031" and new_id in second.priority_order


def test_an_id_typed_just_before_the_write_is_kept_and_no_other_row_gets_it(
    module_fake: FakeSheets, synced_plan: str
) -> None:
    key = module_fake.copy_spreadsheet(synced_plan)
    module_fake.reset()
    module_fake.schedule_edits(key, EDITS["type an ID into the blank cell"], before_request=2)

    first = sync(module_fake, key)

    assert "A-031" in first.priority_order  # the sync meant to write A-031 there...
    grid = module_fake.values(key, ACTIONS)
    assert grid[NEW_ROW - 1][0] == "A-099"  # ...but Google found the cell typed in
    assert all(row[0] != "A-031" for row in grid)
    assert [e.method for e in module_fake.log] == ["GET", "POST"]
