"""Google's per-cell limit: a plan whose cells hold 50,000 characters (the most a Google
cell can hold) still syncs, and nothing sheetpilot writes exceeds 50,000 characters.

Issue messages quote what the user typed; before, a 50,000-character value quoted in a
*Contrôles* message made a 50,113-character cell, Google refused the whole batch with a
400, and that plan could never sync again. The stand-in refuses such a cell as Google does.
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from sheetpilot._backends.google import GoogleBackend
from sheetpilot._cells import CellValue
from sheetpilot._config import GoogleConfig
from sheetpilot._sync import run_sync
from tests.plan_builders import (
    ACTION_COLUMNS,
    DEFAULT_RESULTS,
    OBJECTIVE_COLUMNS,
    action,
    actions_grid,
    default_actions,
    objectives_grid,
    plan_grids,
    settings_grid,
)

TODAY = date(2026, 1, 12)
LIMIT = 50_000


def huge(tag: str) -> str:
    """A 50,000-character text, different for each tag (so it is not a duplicate)."""
    return (tag + " ") + "é" * (LIMIT - len(tag) - 1)


def oversized_actions():
    rows = list(default_actions())
    for n, column in enumerate(ACTION_COLUMNS, start=3):
        row = dict(action(id=f"A-{n:03d}", status="À faire", title=f"Action {n}", priority="P2",
                          owner="Alice", estimate=1, period="P1"))  # fmt: skip
        row[column.key] = huge(column.key)
        rows.append(row)
    return {**plan_grids(), "Suivi des actions": actions_grid(*rows)}


def oversized_objectives():
    rows = list(DEFAULT_RESULTS)
    for n, column in enumerate(OBJECTIVE_COLUMNS, start=3):
        row: dict[str, CellValue] = {"marketing_objective": "Plus de leads", "id": f"R{n}", "baseline": 0,
               "target": 10, "current": 5, "due_date": "31/03/2026"}  # fmt: skip
        row[column.key] = huge(column.key)
        rows.append(row)
    return {**plan_grids(), "Objectifs": objectives_grid(*rows)}


def oversized_settings():
    grid = settings_grid(
        statuses=[("À faire", "todo"), (huge("statut"), "doing"), ("Bloqué", huge("type"))],
        priorities=("P1", "P2", huge("priorite")),
        workstreams=("Contenu", huge("chantier")),
        owners=(("Alice", 5), (huge("responsable"), 3), ("Bruno", huge("capacite"))),
        plan_start="05/01/2026",
        period_length=huge("duree"),
        period_count=3,
        periods=[("P1", "05/01/2026", "14/01/2026"), (huge("periode"), huge("debut"), huge("fin"))],
    )
    extra: list[CellValue] = [None] * 10
    extra += [huge("parametre"), 1]
    grid.append(extra)
    return {**plan_grids(), "Réglages": grid}


PLANS = {
    "Suivi des actions": oversized_actions,
    "Objectifs": oversized_objectives,
    "Réglages": oversized_settings,
}


def backend(fake, key):
    config = GoogleConfig(credentials="none", endpoint=fake.url)
    return GoogleBackend(key, config, sleep=lambda s: None, rng=random.Random(0))


def longest_cell(fake, key) -> int:
    snapshot = backend(fake, key).read()
    return max(
        (len(v) for tab in snapshot.tabs for line in tab.grid for v in line if isinstance(v, str)),
        default=0,
    )


@pytest.mark.parametrize("tab", list(PLANS))
def test_50000_characters_in_every_text_column_of_a_tab_syncs(fake, tab):
    grids = PLANS[tab]()
    assert any(isinstance(v, str) and len(v) == LIMIT for line in grids[tab] for v in line), (
        "the test plan holds the oversized values"
    )
    key = fake.create_spreadsheet("Plan", sheets=grids)
    typed = {t: fake.values(key, t) for t in grids}

    first = run_sync(backend(fake, key), plan="big", today=TODAY, locale="fr")
    assert first.report.writes.cells > 0  # Google took the write (the stand-in refuses > 50,000)
    for write in first.changes.writes:
        if isinstance(write.value, str):
            assert len(write.value) <= LIMIT, (write.sheet, write.address)
    assert longest_cell(fake, key) <= LIMIT
    # the Contrôles messages quote the long values shortened, with an ellipsis
    quoted = [i.message for i in first.report.issues if "…" in i.message]
    assert quoted, [i.message[:200] for i in first.report.issues]
    assert all(len(i.message) < 1_000 for i in first.report.issues)
    # no user cell changed, and the next sync converges
    for t, values in typed.items():
        after = fake.values(key, t)
        for r, line in enumerate(values):
            for c, value in enumerate(line):
                if value not in (None, ""):
                    assert after[r][c] == value, (t, r, c)
    second = run_sync(backend(fake, key), plan="big", today=TODAY, locale="fr")
    assert second.report.writes.cells == 0
