"""One edit writes what changed, not what moved: on Google, when an action leaves the
backlog, its Priorités row is deleted and the rows below move up with their ranks
(`=ROW()-3`), instead of every row below being written again."""

from __future__ import annotations

from datetime import date

from sheetpilot._backends.google import GoogleBackend
from sheetpilot._config import GoogleConfig
from sheetpilot._sync import run_sync
from tests.plan_builders import action, actions_grid, plan_grids

TODAY = date(2026, 1, 12)
ACTIONS = 120


def grids(done: int | None = None):
    rows = [
        action(id=f"A-{i:03d}", status="Terminé" if i == done else "À faire",
               title=f"Action {i}", priority=("P1", "P2", "P3")[i % 3],
               owner=("Alice", "Bruno")[i % 2], estimate=1 + i % 3, period="P1",
               target_result="R1")
        for i in range(1, ACTIONS + 1)
    ]  # fmt: skip
    return {**plan_grids(), "Suivi des actions": actions_grid(*rows)}


def sync(fake, key):
    config = GoogleConfig(credentials="none", endpoint=fake.url)
    return run_sync(GoogleBackend(key, config), plan="p", today=TODAY, locale="fr")


def tool_tabs(fake, key):
    return {t: fake.values(key, f"'{t}'") for t in ("Priorités", "Actions par période")}


def test_an_action_done_deletes_its_row_and_writes_a_handful_of_cells(fake):
    key = fake.create_spreadsheet("Plan", sheets=grids())
    sync(fake, key)
    priorities = fake.values(key, "'Priorités'")
    row = next(r for r, line in enumerate(priorities) if line[1:2] == ["A-010"])
    actions = fake.values(key, "'Suivi des actions'")
    status = actions[0].index("Statut")
    fake.set_values(key, f"'Suivi des actions'!{chr(65 + status)}11", [["Terminé"]])

    edited = sync(fake, key)

    assert [(e.start, e.count, e.insert) for e in edited.changes.row_edits] == [(row, 1, False)]
    # The rows below moved with their ranks: one cell (the summary), not ~80 rows rewritten.
    assert [(w.row, w.col) for w in edited.changes.writes if w.sheet == "Priorités"] == [(1, 0)]
    # The same sheet as a first sync of the edited plan gives, ranks included.
    fresh = fake.create_spreadsheet("Fresh", sheets=grids(done=10))
    sync(fake, fresh)
    assert tool_tabs(fake, key) == tool_tabs(fake, fresh)
    assert [line[0] for line in fake.values(key, "'Priorités'")[3:6]] == [1, 2, 3]
    assert fake.cell(key, "'Priorités'!A50")["userEnteredValue"] == {"formulaValue": "=ROW()-3"}
    assert sync(fake, key).report.writes.cells == 0


def test_a_dry_run_previews_the_cells_as_they_read_once_rows_moved(fake):
    key = fake.create_spreadsheet("Plan", sheets=grids())
    sync(fake, key)
    fake.set_values(key, "'Suivi des actions'!B3", [["Terminé"]])  # A-002's status
    config = GoogleConfig(credentials="none", endpoint=fake.url)
    dry = run_sync(GoogleBackend(key, config), plan="p", today=TODAY, locale="fr", dry_run=True)
    assert dry.changes.row_edits
    assert all(old != new for _, _, old, new in dry.preview)  # nothing shown that stays


def test_an_action_reopened_inserts_its_row_where_it_ranks(fake):
    key = fake.create_spreadsheet("Plan", sheets=grids(done=10))
    sync(fake, key)
    status = fake.values(key, "'Suivi des actions'")[0].index("Statut")
    fake.set_values(key, f"'Suivi des actions'!{chr(65 + status)}11", [["À faire"]])

    reopened = sync(fake, key)

    assert [(e.count, e.insert) for e in reopened.changes.row_edits] == [(1, True)]
    fresh = fake.create_spreadsheet("Fresh", sheets=grids())
    sync(fake, fresh)
    assert tool_tabs(fake, key) == tool_tabs(fake, fresh)
    assert sync(fake, key).report.writes.cells == 0
