"""Writes into input tabs: only rank, progress, health and assigned IDs, always guarded."""

from __future__ import annotations

from datetime import date

import pytest

from sheetpilot._locales import catalogs
from sheetpilot._models import (
    Action,
    ObjectiveProgress,
    ParsedPlan,
    PlanResult,
    RankedAction,
    Result,
    ResultProgress,
    Settings,
    Status,
    StatusType,
)
from sheetpilot._render import Rendered
from sheetpilot._render import render as render_with
from sheetpilot._template import Locale
from sheetpilot._workbook import Guard

ACTIONS_TAB = "Suivi des actions"
OBJECTIVES_TAB = "Objectifs"
SETTINGS = Settings(statuses=(Status(label="À faire", type=StatusType.TODO),), priorities=("P1",))


def render(plan, result, titles) -> Rendered:
    """What the sync engine renders: with the package's catalogs (French words for fr)."""
    return render_with(plan, result, titles, catalogs())


def action(id: str, row: int, kind: StatusType = StatusType.TODO, **kw: object) -> Action:
    cells = {"id": f"B{row + 1}", "status": f"C{row + 1}", "rank": f"P{row + 1}"}
    return Action(sheet=ACTIONS_TAB, row=row, cells=cells, id=id, status_type=kind, **kw)


def objective_row(id: str, row: int, cells: dict[str, str] | None = None) -> Result:
    if cells is None:
        cells = {"id": f"C{row + 1}", "progress": f"L{row + 1}", "health": f"M{row + 1}"}
    return Result(sheet=OBJECTIVES_TAB, row=row, cells=cells, id=id)


def make(actions=(), results=(), order=(), objectives=(), locale: Locale = "fr"):
    plan = ParsedPlan(locale=locale, settings=SETTINGS, actions=actions, results=results)
    result = PlanResult(
        today=date(2026, 1, 16),
        periods=(),
        owners=(),
        order=order,
        objectives=objectives,
        issues=(),
    )
    return render(plan, result, ["Réglages", OBJECTIVES_TAB, ACTIONS_TAB]).input_writes


def test_rank_written_in_the_rank_column_guarded_by_the_id_as_read():
    (write,) = make(
        actions=(action("A-007", 4),),
        order=(RankedAction(rank=2, id="A-007", effective_priority="P1"),),
    )

    assert (write.sheet, write.address, write.value) == (ACTIONS_TAB, "P5", 2)
    assert write.guard == Guard(4, 1, "A-007")


@pytest.mark.parametrize("kind", [StatusType.DONE, StatusType.CANCELLED])
def test_closed_action_gets_a_blank_rank(kind):
    (write,) = make(actions=(action("A-001", 1, kind),))

    assert write.value is None and write.guard == Guard(1, 1, "A-001")


def test_assigned_id_is_written_into_the_blank_id_cell_and_guards_expect_it_blank():
    writes = make(
        actions=(action("A-004", 3, id_assigned=True),),
        order=(RankedAction(rank=1, id="A-004", effective_priority="P1"),),
    )

    assert [(w.address, w.value, w.guard) for w in writes] == [
        ("B4", "A-004", Guard(3, 1, None)),
        ("P4", 1, Guard(3, 1, None)),
    ]


def test_no_rank_column_no_rank_write():
    bare = Action(sheet=ACTIONS_TAB, row=2, cells={"id": "A3"}, id="A-002")

    assert (
        make(actions=(bare,), order=(RankedAction(rank=1, id="A-002", effective_priority=None),))
        == ()
    )


@pytest.mark.parametrize(("locale", "label"), [("fr", "En bonne voie"), ("en", "On track")])
def test_progress_and_health_written_per_objective_row(locale, label):
    progress = ResultProgress(id="R1", progress=0.5, actions=2, actions_done=1, health="on track")
    objectives = (
        ObjectiveProgress(objective="Leads", progress=0.5, health="on track", results=(progress,)),
    )
    writes = make(results=(objective_row("R1", 1),), objectives=objectives, locale=locale)

    assert [(w.sheet, w.address, w.value, w.number_format) for w in writes] == [
        (OBJECTIVES_TAB, "L2", 0.5, "0%"),
        (OBJECTIVES_TAB, "M2", label, None),
    ]
    assert all(w.guard == Guard(1, 2, "R1") for w in writes)


def test_progress_only_when_that_column_was_mapped():
    progress = ResultProgress(id="R1", progress=1.0, actions=0, actions_done=0, health="done")
    objectives = (
        ObjectiveProgress(objective="Leads", progress=1.0, health="done", results=(progress,)),
    )
    row = objective_row("R1", 1, {"id": "C2", "health": "N2"})

    (write,) = make(results=(row,), objectives=objectives)
    assert (write.address, write.value) == ("N2", "Atteint")


def test_only_computed_columns_and_ids_are_ever_written():
    actions = (
        action("A-001", 1, StatusType.DONE),
        action("A-002", 2),
        action("A-003", 3, id_assigned=True),
    )
    order = tuple(RankedAction(rank=i, id=f"A-00{i + 1}", effective_priority=None) for i in (1, 2))
    progress = ResultProgress(id="R1", progress=0.2, actions=0, actions_done=0)
    objectives = (
        ObjectiveProgress(objective="x", progress=0.2, health="at risk", results=(progress,)),
    )
    writes = make(
        actions=actions, results=(objective_row("R1", 1),), order=order, objectives=objectives
    )

    written = {(w.sheet, w.address[0]) for w in writes}
    assert written == {
        (ACTIONS_TAB, "P"),
        (ACTIONS_TAB, "B"),
        (OBJECTIVES_TAB, "L"),
        (OBJECTIVES_TAB, "M"),
    }
    assert [w.address for w in writes if w.address.startswith("B")] == ["B4"]
    assert all(w.guard is not None for w in writes)
