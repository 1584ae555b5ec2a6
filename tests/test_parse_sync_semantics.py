"""Parse/compute rules seen through a real sync of a real .xlsx workbook.

These check what the user sees after `sync`: which issues block the write and which do
not, and that the tool-owned tabs are filled whenever the plan's shape is right.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from sheetpilot._backends.xlsx import XlsxBackend
from sheetpilot._cells import CellValue, Grid
from sheetpilot._sync import run_sync
from tests.plan_builders import plan_grids

TODAY = date(2026, 1, 6)


def workbook(path: Path, grids: dict[str, Grid]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, grid in grids.items():
        sheet = wb.create_sheet(title)
        for row in grid:
            sheet.append(list(row))
    wb.save(path)
    return path


def test_settings_without_plan_start_still_sync_priorities_and_checks(tmp_path):
    settings: Grid = [
        ["Statuts", "Type", None, "Priorités", None, "Paramètre", "Valeur"],
        ["À faire", "todo", None, "P1", None, "Durée d'une période (jours)", 7],
        ["En cours", "doing", None, "P2"],
        ["Terminé", "done", None, "P3"],
    ]
    path = workbook(tmp_path / "plan.xlsx", plan_grids(settings=settings))
    outcome = run_sync(XlsxBackend(path), plan="p", today=TODAY)

    assert not outcome.blocked
    report = outcome.report
    assert report.periods == ()
    assert report.priority_order == ("A-001", "A-002")
    missing = [i for i in report.issues if i.sheet == "Réglages"]
    assert [(i.code, i.cell, i.severity) for i in missing] == [("bad-date", "F3", "error")]
    assert report.has_errors  # still an error: `check` and `sync` exit 1

    wb = openpyxl.load_workbook(path)
    priorities = [[c for c in row] for row in wb["Priorités"].iter_rows(values_only=True)]
    assert any("A-001" in row for row in priorities)
    shown = openpyxl.load_workbook(path, data_only=True)  # the cell column: links, shown as F3
    checks = [row for row in shown["Contrôles"].iter_rows(values_only=True)]
    assert any("F3" in row and "bad-date" in row for row in checks)


def test_merged_objective_cells_in_a_real_workbook_mean_same_as_above(tmp_path):
    """Vertically merged objective cells (blank under the value once read), across a blank
    row, and a new block starting on its own first row."""
    header: list[CellValue] = ["Objectif business", "Objectif marketing", "ID", "Valeur initiale",
              "Valeur cible", "Valeur actuelle", "Échéance"]  # fmt: skip
    objectives: Grid = [
        header,
        ["Vendre plus", "Leads", "R1", 0, 10, 5, "31/03/2026"],
        [None, None, "R2", 0, 10, 10, "31/03/2026"],
        [None, None, None, None, None, None, None],  # a blank row inside the merge
        [None, None, "R3", 0, 10, 0, "31/03/2026"],
        [None, "Conversion", "R4", 0, 4, 2, "30/06/2026"],  # new marketing, same business
        ["Marque", "Notoriété", "R5", 0, 100, 50, "30/06/2026"],  # new block, first row
        [None, None, "R6", 0, 100, 100, "30/06/2026"],
    ]
    grids = plan_grids()
    grids["Objectifs"] = objectives
    path = workbook(tmp_path / "plan.xlsx", grids)
    wb = openpyxl.load_workbook(path)
    for merged in ("A2:A6", "B2:B5", "A7:A8", "B7:B8"):
        wb["Objectifs"].merge_cells(merged)
    wb.save(path)

    report = run_sync(XlsxBackend(path), plan="p", today=TODAY).report
    by_objective = {o.objective: [r.id for r in o.results] for o in report.objectives}
    assert by_objective == {
        "Leads": ["R1", "R2", "R3"],
        "Conversion": ["R4"],
        "Notoriété": ["R5", "R6"],
    }
    assert [o.progress for o in report.objectives] == [0.5, 0.5, 0.75]
