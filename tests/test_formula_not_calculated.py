"""A formula cell saved without its result (`TabData.uncalculated`) is its own issue at its
cell, never a blank: no missing-current, no 0 % "at risk", no ID written over it.

Snapshots are built directly, as a backend that reads formulas would return them.
"""

from __future__ import annotations

import json
from datetime import date

from sheetpilot._cells import CellValue
from sheetpilot._compute import compute_plan
from sheetpilot._models import Report
from sheetpilot._parse import parse_plan
from sheetpilot._sync import report_json, run_sync
from sheetpilot._workbook import ChangeSet, Snapshot, TabData
from tests.plan_builders import action, objectives_grid, plan_grids, settings_grid

TODAY = date(2026, 1, 7)
OBJ, ACT, SET = "Objectifs", "Suivi des actions", "Réglages"
I2 = (1, 8)  # Objectifs!I2: R1's Valeur actuelle
HINT = (
    "the cell holds a formula saved without its result: open and save the workbook in Excel "
    "or LibreOffice, or type the value"
)


def parsed(uncalculated, **kw):
    grids = plan_grids(**kw)
    for title, (row, col) in ((t, c) for t, cells in uncalculated.items() for c in cells):
        grids[title][row][col] = None  # no result was saved: the value reads None
    return parse_plan(grids, "fr", uncalculated)


def found(plan, code):
    return [i for i in plan.issues if i.code == code]


class Memory:
    writes_formulas = False

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot, self.requests = snapshot, 0
        self.changes: list[ChangeSet] = []

    def read(self) -> Snapshot:
        self.requests += 1
        return self.snapshot

    def write(self, changes: ChangeSet) -> int:
        self.requests += 1
        self.changes.append(changes)
        return len(changes.writes)

    def describe(self) -> str:
        return "memory"


def snapshot_with_current_uncalculated(*, computed_columns: bool = False) -> Snapshot:
    grids = plan_grids()
    objectives = grids[OBJ]
    if computed_columns:  # Avancement (L) and État (M) columns, as sheetpilot last wrote them
        objectives[0] += ["Avancement", "État"]
        objectives[1] += [0.2, "À risque"]
        objectives[2] += [0.5, "En bonne voie"]
    objectives[1][8] = None  # =SUM(…) saved by a script: no cached result
    tabs = tuple(
        TabData(title, grid, uncalculated=frozenset({I2}) if title == OBJ else frozenset())
        for title, grid in grids.items()
    )
    return Snapshot(tabs)


# --- the parser ----------------------------------------------------------------------------
def test_an_uncalculated_current_value_is_its_own_issue_at_its_cell():
    plan = parsed({OBJ: [I2]})
    (issue,) = found(plan, "formula-not-calculated")
    assert (issue.severity, issue.sheet, issue.cell) == ("warning", OBJ, "I2")
    assert issue.message == (
        f"Objectifs!I2: Valeur actuelle: {HINT}; the result's progress is unknown meanwhile "
        "(not counted as 0, and left out of its objective's progress, shown as unknown)"
    )
    assert plan.results[0].uncalculated == ("current",)
    codes = [i.code for i in compute_plan(plan, TODAY).issues]
    assert "missing-current" not in codes and "bad-number" not in codes


def test_a_blank_current_value_still_is_missing_current():
    plan = parsed({}, results=[{"id": "R1", "baseline": 1, "target": 2, "current": None}])
    codes = [i.code for i in compute_plan(plan, TODAY).issues]
    assert "missing-current" in codes and "formula-not-calculated" not in codes


def test_an_uncalculated_estimate_is_not_a_missing_estimate():
    plan = parsed({ACT: [(1, 11)]})  # L2: A-001's estimate
    (issue,) = found(plan, "formula-not-calculated")
    assert issue.cell == "L2"
    assert issue.message.startswith(f"'Suivi des actions'!L2: Estimation (j-h): {HINT}; ")
    assert "0 person-days meanwhile" in issue.message
    codes = [i.code for i in compute_plan(plan, TODAY).issues]
    assert "missing-estimate" not in codes and "bad-number" not in codes


def test_an_uncalculated_due_date_is_not_a_bad_date():
    plan = parsed({OBJ: [(1, 9)]})  # J2
    assert [i.cell for i in found(plan, "formula-not-calculated")] == ["J2"]
    assert not found(plan, "bad-date")


def test_an_action_id_that_is_an_uncalculated_formula_is_never_overwritten():
    grids = plan_grids()
    grids[ACT][1][0] = None  # A-001's ID: =CONCAT("A-", …) saved without result
    snapshot = Snapshot(
        tuple(
            TabData(t, g, uncalculated=frozenset({(1, 0)}) if t == ACT else frozenset())
            for t, g in grids.items()
        )
    )
    backend = Memory(snapshot)
    outcome = run_sync(backend, plan="p", today=TODAY, dry_run=True)
    assert [i.cell for i in outcome.report.issues if i.code == "formula-not-calculated"] == ["A2"]
    id_writes = [w for w in outcome.changes.writes if w.sheet == ACT and w.col == 0]
    assert id_writes == []


def test_an_uncalculated_id_of_a_result_is_not_reported_as_missing():
    plan = parsed({OBJ: [(2, 2)]})  # C3: R2's ID
    assert [i.cell for i in found(plan, "formula-not-calculated")] == ["C3"]
    assert not [i for i in plan.issues if i.code == "unknown-value" and i.cell == "C3"]


def test_uncalculated_cells_sheetpilot_reads_are_reported_not_the_users_own_columns():
    grids = plan_grids(settings=settings_grid())
    grids[OBJ][1].extend([None, None, "note"])  # a user's column N holds a formula at N2
    grids[OBJ][1][13] = None
    plan = parse_plan(grids, "fr", {SET: [(1, 8)], OBJ: [(1, 13)]})  # capacity of Alice, N2
    issues = found(plan, "formula-not-calculated")
    # the capacity is read by the sync; column N is the user's own, never read
    assert [(i.sheet, i.cell) for i in issues] == [(SET, "I2")]
    assert issues[0].message == f"Réglages!I2: {HINT}; sheetpilot cannot read this cell meanwhile"


def test_only_input_tabs_are_checked():
    plan = parse_plan(plan_grids(), "fr", {"Priorités": [(0, 0)], "Mes notes": [(3, 3)]})
    assert not found(plan, "formula-not-calculated")


def test_one_issue_per_cell_in_row_order():
    rows: list[dict[str, CellValue]] = [
        {"id": "R1", "baseline": None, "target": None, "current": None},
        {"id": "R2", "baseline": 1, "target": 2, "current": None},
    ]
    plan = parse_plan(
        {OBJ: objectives_grid(*rows), **{k: v for k, v in plan_grids().items() if k != OBJ}},
        "fr",
        {OBJ: [(2, 8), (1, 6), (1, 7)]},
    )
    assert [i.cell for i in found(plan, "formula-not-calculated")] == ["G2", "H2", "I3"]


# --- the sync does not compute figures from it as if it were blank -------------------------
def test_the_progress_of_the_result_and_its_objective_is_unknown_not_zero():
    outcome = run_sync(Memory(snapshot_with_current_uncalculated()), plan="p", today=TODAY)
    (objective,) = outcome.report.objectives
    r1, r2 = objective.results
    assert (r1.id, r1.progress, r1.health) == ("R1", None, None)
    assert r2.progress == 0.5  # the other result is known
    assert (objective.progress, objective.health) == (None, None)
    data = json.loads(report_json(outcome.report))
    assert data["objectives"][0]["progress"] is None
    assert data["objectives"][0]["health"] is None
    assert data["objectives"][0]["results"][0]["progress"] is None
    Report.model_validate_json(report_json(outcome.report))  # the report reads back


def test_the_computed_columns_are_left_blank_for_that_result_not_zero_at_risk():
    backend = Memory(snapshot_with_current_uncalculated(computed_columns=True))
    outcome = run_sync(backend, plan="p", today=TODAY)
    writes = {(w.row, w.col): w.value for w in outcome.changes.writes if w.sheet == OBJ}
    assert writes[(1, 11)] is None and writes[(1, 12)] is None  # Avancement, État of R1
    assert (2, 11) not in writes  # R2 unchanged at 50 %


def test_a_result_with_its_figures_known_is_unchanged():
    snapshot = Snapshot(tuple(TabData(t, g) for t, g in plan_grids().items()))
    outcome = run_sync(Memory(snapshot), plan="p", today=TODAY)
    (objective,) = outcome.report.objectives
    assert objective.progress is not None and objective.health is not None


def test_an_action_whose_estimate_is_uncalculated_still_ranks():
    grids = plan_grids(actions=[action(id="A-001", status="À faire", title="x", priority="P1",
                                       owner="Alice", estimate=None, period="P1")])  # fmt: skip
    plan = parse_plan(grids, "fr", {ACT: [(1, 11)]})
    assert compute_plan(plan, TODAY).priority_order == ["A-001"]


def test_an_uncalculated_plan_start_is_not_reported_as_missing():
    grids = plan_grids()
    grids[SET][1][11] = None  # L2: =DATE(2026;1;5) saved without its result
    plan = parse_plan(grids, "fr", {SET: [(1, 11)]})
    at_l2 = [i.code for i in plan.issues if (i.sheet, i.cell) == (SET, "L2")]
    assert at_l2 == ["formula-not-calculated"]
