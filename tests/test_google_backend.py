"""The Google backend over real gspread and real HTTP, against the offline stand-in."""

import random
import time
from datetime import date

import pytest

from sheetpilot._backends.google import GoogleBackend
from sheetpilot._config import GoogleConfig
from sheetpilot._errors import BackendError
from sheetpilot._workbook import CellWrite, ChangeSet, Guard, ListValidation, TabLayout

SETTINGS = [["Statuts", "Type"], ["À faire", "todo"], ["Terminé", "done"]]
ACTIONS = [
    ["ID", "Statut", "Action", "Estimation (j-h)", "Début"],
    ["A-001", "À faire", "Brief", 2.5],
]


@pytest.fixture
def plan_key(fake):
    return fake.create_spreadsheet(
        "Plan", sheets={"Réglages": SETTINGS, "Suivi des actions": ACTIONS}
    )


def api_log(fake, expected):
    """The stand-in's log once it holds `expected` entries (it records after answering)."""
    give_up = time.monotonic() + 5
    while len(fake.log) < expected and time.monotonic() < give_up:
        time.sleep(0.002)
    return fake.log


def backend(fake, plan_key):
    config = GoogleConfig(credentials="none", endpoint=fake.url)
    return GoogleBackend(plan_key, config, sleep=lambda s: None, rng=random.Random(0))


def test_read_every_tab_in_one_request(fake, plan_key):
    gb = backend(fake, plan_key)
    snap = gb.read()
    assert snap.titles == ["Réglages", "Suivi des actions"]
    assert snap.get("Réglages").grid == SETTINGS
    assert snap.get("Suivi des actions").grid == ACTIONS
    log = api_log(fake, 1)
    assert [(e.method, e.path) for e in log] == [("GET", f"/v4/spreadsheets/{plan_key}")]
    assert "includeGridData=true" in log[0].query
    assert gb.requests == 1


def test_read_accepts_the_spreadsheet_url(fake, plan_key):
    gb = backend(fake, f"https://docs.google.com/spreadsheets/d/{plan_key}/edit#gid=0")
    assert gb.read().titles == ["Réglages", "Suivi des actions"]
    assert gb.describe() == f"Google spreadsheet {plan_key}"


def test_typed_dates_numbers_and_formulas_read_as_values(fake, plan_key):
    fake.set_values(plan_key, "Suivi des actions!E2", [[date(2026, 1, 15), "=D2*2", "15/01/2026"]])
    grid = backend(fake, plan_key).read().get("Suivi des actions").grid
    assert grid[1][3:6] == [2.5, date(2026, 1, 15), 5]
    assert grid[1][6] == "15/01/2026"  # not a date in an en_US spreadsheet: left as text


def test_write_a_change_set_in_one_request_and_read_it_back(fake, plan_key):
    gb = backend(fake, plan_key)
    gb.read()
    changes = ChangeSet(
        writes=(
            CellWrite("Suivi des actions", 1, 5, 3, bold=True),
            CellWrite("Suivi des actions", 1, 6, "=1+1"),
            CellWrite("Suivi des actions", 1, 7, True),
            CellWrite("Suivi des actions", 1, 8, 0.25, number_format="0%"),
            CellWrite("Suivi des actions", 2, 0, "+33 6 12 34 56 78"),
            CellWrite("Suivi des actions", 2, 1, "@équipe"),
            CellWrite("Suivi des actions", 1, 2, None),
        )
    )
    assert gb.write(changes) == 7
    assert [(e.method, e.path) for e in api_log(fake, 2)[1:]] == [
        ("POST", f"/v4/spreadsheets/{plan_key}:batchUpdate")
    ]
    assert fake.values(plan_key, "Suivi des actions") == [
        ACTIONS[0],
        ["A-001", "À faire", "", 2.5, "", 3, "=1+1", True, 0.25],
        ["+33 6 12 34 56 78", "@équipe"],
    ]
    assert fake.cell(plan_key, "'Suivi des actions'!F2")["userEnteredFormat"]["textFormat"]["bold"]
    assert backend(fake, plan_key).read().get("Suivi des actions").grid[1][6] == "=1+1"


def test_dates_round_trip(fake, plan_key):
    gb = backend(fake, plan_key)
    gb.read()
    gb.write(
        ChangeSet(
            writes=(
                CellWrite("Réglages", 5, 1, date(2026, 1, 15), number_format="dd/mm/yyyy"),
                CellWrite("Réglages", 6, 1, date(2027, 12, 31)),
            )
        )
    )
    grid = backend(fake, plan_key).read().get("Réglages").grid
    assert grid[5][1] == date(2026, 1, 15)
    assert grid[6][1] == date(2027, 12, 31)


def test_grid_grows_to_fit(fake, plan_key):
    gb = backend(fake, plan_key)
    before = gb.read().get("Réglages")
    row, col = before.row_count + 5, before.col_count + 2
    gb.write(ChangeSet(writes=(CellWrite("Réglages", row, col, "loin"),)))
    after = backend(fake, plan_key).read().get("Réglages")
    assert (after.row_count, after.col_count) == (row + 1, col + 1)
    assert after.grid[row][col] == "loin"
    assert len(api_log(fake, 3)) == 3  # read, one batchUpdate, read


def test_init_change_set_in_one_batch(fake, plan_key):
    gb = backend(fake, plan_key)
    gb.read()
    changes = ChangeSet(
        new_tabs=(
            TabLayout("Objectifs", column_widths=(180, 180, 60), frozen_rows=1, index=1),
            TabLayout("Actions par période", frozen_rows=3),
        ),
        writes=(
            CellWrite("Objectifs", 0, 0, "Objectif business", bold=True),
            CellWrite("Objectifs", 0, 1, "Objectif marketing", bold=True),
            CellWrite("Actions par période", 1, 5, "P1"),
            CellWrite("Suivi des actions", 0, 5, "Rang", bold=True),
        ),
        validations=(
            ListValidation("Suivi des actions", 1, 1, source="'Réglages'!$A$2:$A$200", rows=500),
            ListValidation("Actions par période", 1, 5, values=("P1", "P2")),
        ),
    )
    assert gb.write(changes) == 4
    assert len(api_log(fake, 2)) == 2  # the read, then ONE batchUpdate
    assert fake.sheet_titles(plan_key) == [
        "Réglages",
        "Objectifs",
        "Suivi des actions",
        "Actions par période",
    ]
    snap = backend(fake, plan_key).read()
    assert snap.get("Objectifs").grid == [["Objectif business", "Objectif marketing"]]
    assert snap.get("Actions par période").grid[1][5] == "P1"
    rule = fake.cell(plan_key, "'Suivi des actions'!B300")["dataValidation"]
    assert rule["condition"]["type"] == "ONE_OF_RANGE"
    assert rule["showCustomUi"] is True
    dropdown = fake.cell(plan_key, "'Actions par période'!F2")["dataValidation"]["condition"]
    assert [v["userEnteredValue"] for v in dropdown["values"]] == ["P1", "P2"]


def test_init_run_twice_adds_no_tab_twice(fake, plan_key):
    changes = ChangeSet(new_tabs=(TabLayout("Priorités", frozen_rows=1),))
    gb = backend(fake, plan_key)
    gb.read()
    gb.write(changes)
    gb.read()
    assert gb.write(changes) == 0
    assert gb.requests == 3  # read, write, read: no second write


def test_a_batch_google_rejects_applies_nothing(fake, plan_key):
    gb = backend(fake, plan_key)
    gb.read()
    changes = ChangeSet(
        new_tabs=(TabLayout("Priorités"),),
        writes=(CellWrite("Réglages", 1, 0, "changé"), CellWrite("Priorités", 0, 0, "Rang")),
        min_rows={"Réglages": 10_000_000},
    )
    with pytest.raises(BackendError, match="Google refused the write as too large") as info:
        gb.write(changes)
    assert "10 million cells" in str(info.value) and "delete unused rows" in str(info.value)
    assert "nothing of it was written" in str(info.value)
    assert fake.values(plan_key, "Réglages") == SETTINGS
    assert fake.sheet_titles(plan_key) == ["Réglages", "Suivi des actions"]


def test_guard_checked_against_the_snapshot_read(fake, plan_key):
    gb = backend(fake, plan_key)
    gb.read()
    changes = ChangeSet(
        writes=(
            CellWrite("Suivi des actions", 1, 5, 1, guard=Guard(1, 0, "A-001")),
            CellWrite("Suivi des actions", 2, 5, 2, guard=Guard(2, 0, "A-002")),
        )
    )
    assert gb.write(changes) == 1
    assert len(api_log(fake, 2)) == 2
    assert fake.values(plan_key, "Suivi des actions!F1:F3") == [[], [1]]


def test_nothing_to_write_sends_nothing(fake, plan_key):
    gb = backend(fake, plan_key)
    gb.read()
    assert gb.write(ChangeSet()) == 0
    assert gb.requests == 1
    assert len(api_log(fake, 1)) == 1


def test_write_without_a_read_reads_first(fake, plan_key):
    gb = backend(fake, plan_key)
    assert gb.write(ChangeSet(writes=(CellWrite("Réglages", 3, 0, "Bloqué"),))) == 1
    assert [e.method for e in api_log(fake, 2)] == ["GET", "POST"]
    assert fake.values(plan_key, "Réglages!A4") == [["Bloqué"]]


def test_unknown_tab_is_refused_before_any_request(fake, plan_key):
    gb = backend(fake, plan_key)
    gb.read()
    with pytest.raises(BackendError, match="no tab named 'Contrôles'"):
        gb.write(ChangeSet(writes=(CellWrite("Contrôles", 0, 0, "x"),)))
    assert gb.requests == 1
