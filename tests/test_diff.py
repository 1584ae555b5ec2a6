"""The minimal change set: first sync, steady state, stale rows, guards, preview."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest

from sheetpilot._cells import Grid, date_to_serial
from sheetpilot._diff import apply, diff, preview
from sheetpilot._locales import catalogs
from sheetpilot._models import (
    Action,
    Issue,
    ParsedPlan,
    PeriodSummary,
    PlanResult,
    RankedAction,
    Settings,
    Status,
    StatusType,
)
from sheetpilot._render import Rendered
from sheetpilot._render import render as render_with
from sheetpilot._workbook import CellWrite, ChangeSet, Guard, Snapshot, TabData

ACTIONS_TAB = "Suivi des actions"
HEADER = ["ID", "Statut", "Action", "Responsable", "Estimation (j-h)", "Période", "Notes", "Rang"]
RANK_COL = 7


def render(plan, result, titles) -> Rendered:
    """What the sync engine renders: with the package's catalogs (French words for fr)."""
    return render_with(plan, result, titles, catalogs())


def period(name: str, start: date, person_days: float) -> PeriodSummary:
    end = date.fromordinal(start.toordinal() + 9)
    return PeriodSummary(
        name=name, start=start, end=end, days=10, working_days=8, actions=2,
        person_days=person_days, done_person_days=1.0, capacity=8.0, load=person_days / 8,
    )  # fmt: skip


PERIODS = (period("P1", date(2026, 1, 5), 3.5), period("P2", date(2026, 1, 15), 2.0))


def action(id: str, row: int, kind: StatusType, where: str) -> Action:
    return Action(
        sheet=ACTIONS_TAB,
        row=row,
        cells={"id": f"A{row + 1}", "rank": f"H{row + 1}"},
        id=id,
        status=kind.value,
        status_type=kind,
        title=f"Action {id}",
        owner="Alice",
        estimate=1.5,
        period=where,
    )


ACTIONS = (
    action("A-001", 1, StatusType.DONE, "P1"),
    action("A-002", 2, StatusType.TODO, "P1"),
    action("A-003", 3, StatusType.TODO, "P2"),
)


def issues(n: int) -> tuple[Issue, ...]:
    return tuple(Issue.of("overdue", ACTIONS_TAB, f"A{i + 2}", f"problème {i}") for i in range(n))


def make_plan(selected: str | None = None) -> ParsedPlan:
    settings = Settings(statuses=(Status(label="todo", type=StatusType.TODO),), priorities=("P1",))
    return ParsedPlan(settings=settings, actions=ACTIONS, selected_period=selected)


def make_result(
    n_issues: int = 3,
    periods: tuple[PeriodSummary, ...] = PERIODS,
    ranks: tuple[str, ...] = ("A-003", "A-002"),
) -> PlanResult:
    order = tuple(
        RankedAction(rank=i + 1, id=id, effective_priority="P1") for i, id in enumerate(ranks)
    )
    return PlanResult(
        today=date(2026, 1, 6),
        periods=periods,
        owners=(),
        order=order,
        objectives=(),
        issues=issues(n_issues),
    )


def input_snapshot() -> Snapshot:
    actions: Grid = [list(HEADER)]
    for a in ACTIONS:
        actions.append(
            [a.id, a.status, a.title, a.owner, a.estimate, a.period, "ne pas toucher", None]
        )
    return Snapshot(
        (
            TabData("Réglages", [["Statuts", "Type"], ["todo", "todo"]]),
            TabData("Objectifs", [["ID", "Valeur cible"]]),
            TabData(ACTIONS_TAB, actions),
        )
    )


def sync(
    snapshot: Snapshot, plan: ParsedPlan | None = None, result: PlanResult | None = None
) -> ChangeSet:
    rendered = render(plan or make_plan(), result or make_result(), snapshot.titles)
    return diff(snapshot, rendered)


def synced() -> Snapshot:
    first = input_snapshot()
    return apply(first, sync(first))


def test_first_sync_creates_the_tool_tabs_and_writes_every_target_cell():
    snapshot = input_snapshot()
    rendered = render(make_plan(), make_result(), snapshot.titles)
    changes = diff(snapshot, rendered)

    assert [layout.title for layout in changes.new_tabs] == [
        "Actions par période",
        "Tableau de bord",
        "Priorités",
        "Contrôles",
        "Données calculées",
    ]
    tool_writes = [w for w in changes.writes if w.sheet != ACTIONS_TAB]
    assert len(tool_writes) == sum(len(t.cells) for t in rendered.tabs)
    assert all(w.value is not None or w.formula is not None for w in tool_writes)
    assert [(v.sheet, v.row, v.col) for v in changes.validations] == [("Actions par période", 1, 5)]
    assert changes.min_rows["Contrôles"] == 6 and changes.min_cols["Contrôles"] == 5


def test_first_sync_carries_formats_and_bold():
    writes = {(w.sheet, w.address): w for w in sync(input_snapshot()).writes}

    start = writes[("Actions par période", "B4")]
    assert (start.value, start.number_format) == (date(2026, 1, 5), "dd/mm/yyyy")
    assert writes[("Contrôles", "A3")].bold
    assert not writes[("Contrôles", "A4")].bold


def test_second_sync_with_no_input_change_writes_nothing():
    changes = sync(synced())

    assert changes.empty
    assert changes.cells == 0


def test_writes_are_in_tab_then_row_then_column_order():
    changes = sync(input_snapshot())
    tab_order = {
        title: i
        for i, title in enumerate(
            [
                "Actions par période",
                "Tableau de bord",
                "Priorités",
                "Contrôles",
                "Données calculées",
                ACTIONS_TAB,
            ]
        )
    }

    keys = [(tab_order[w.sheet], w.row, w.col) for w in changes.writes]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    "read_back",
    [date_to_serial, lambda d: datetime(d.year, d.month, d.day)],
    ids=["serial (Google)", "datetime (openpyxl)"],
)
def test_dates_read_back_in_another_form_are_not_rewritten(read_back):
    def as_read(tab: TabData) -> TabData:
        grid = [[read_back(v) if isinstance(v, date) else v for v in line] for line in tab.grid]
        return TabData(tab.title, grid, formulas=tab.formulas)  # the live block's formulas

    snapshot = Snapshot(tuple(as_read(t) for t in synced().tabs))

    assert sync(snapshot).empty


def test_a_real_xlsx_workbook_round_trip_writes_nothing_the_second_time(tmp_path):
    path = tmp_path / "plan.xlsx"
    book = openpyxl.Workbook()
    book.remove(book.active)
    for tab in synced().tabs:
        sheet = book.create_sheet(tab.title)
        for r, line in enumerate(tab.grid):
            for c, value in enumerate(line):
                sheet.cell(r + 1, c + 1, value)
    book.save(path)

    reread = openpyxl.load_workbook(path)
    formulas = {t.title: t.formulas for t in synced().tabs}  # as the xlsx backend reads them
    tabs = tuple(
        TabData(
            s.title,
            [list(line) for line in s.iter_rows(values_only=True)],
            formulas=formulas[s.title],
        )
        for s in reread.worksheets
    )
    reread.close()

    assert sync(Snapshot(tabs)).empty


def test_shorter_lists_clear_their_stale_rows():
    changes = sync(synced(), result=make_result(n_issues=1))
    checks = [(w.address, w.value) for w in changes.writes if w.sheet == "Contrôles"]

    assert checks == [
        ("A2", "0 erreur, 1 avertissement"),
        ("A5", None), ("B5", None), ("C5", None), ("D5", None), ("E5", None),
        ("A6", None), ("B6", None), ("C6", None), ("D6", None), ("E6", None),
    ]  # fmt: skip
    assert changes.min_rows["Contrôles"] == 4
    assert sync(apply(synced(), changes), result=make_result(n_issues=1)).empty


def test_cells_typed_into_a_tool_tab_are_cleared():
    snapshot = synced()
    checks = snapshot.get("Contrôles")
    assert checks is not None
    checks.grid.append([None, None, None, None, None, None, None, "une note"])

    changes = sync(snapshot)
    assert [(w.sheet, w.address, w.value) for w in changes.writes] == [("Contrôles", "H7", None)]


def test_validations_resent_only_when_their_tab_changes():
    assert sync(synced(), result=make_result(n_issues=0)).validations == ()

    moved = (PERIODS[0], period("P2", date(2026, 1, 15), 4.0))
    changes = sync(synced(), result=make_result(periods=moved))
    assert [v.values for v in changes.validations] == [("P1", "P2")]


def test_choosing_another_period_in_f2_rewrites_the_period_block():
    snapshot = synced()
    by_period = snapshot.get("Actions par période")
    assert by_period is not None
    by_period.grid[1][5] = "p2"  # the user picks P2 (typed, in lower case)

    changes = sync(snapshot, plan=make_plan("p2"))
    written = {w.address: w.value for w in changes.writes if w.sheet == by_period.title}
    assert "F2" not in written  # the user's choice stays as typed
    assert (written["B4"], written["B5"]) == (date(2026, 1, 15), date(2026, 1, 24))
    assert sync(apply(snapshot, changes), plan=make_plan("p2")).empty


def test_rank_written_only_where_it_changed_and_guarded_by_the_id():
    snapshot = synced()
    changes = sync(snapshot, result=make_result(ranks=("A-002", "A-003")))
    ranks = [(w.address, w.value, w.guard) for w in changes.writes if w.sheet == ACTIONS_TAB]

    assert ranks == [("H3", 1, Guard(2, 0, "A-002")), ("H4", 2, Guard(3, 0, "A-003"))]


def test_a_closed_action_rank_is_blanked():
    snapshot = synced()
    actions = snapshot.get(ACTIONS_TAB)
    assert actions is not None
    assert actions.grid[1][RANK_COL] is None and actions.grid[2][RANK_COL] == 2
    actions.grid[1][RANK_COL] = 9  # a stale rank left on a done action

    writes = [(w.address, w.value) for w in sync(snapshot).writes]
    assert writes == [("H2", None)]


def test_user_cells_of_input_tabs_are_never_written():
    changes = sync(input_snapshot())
    input_writes = [w for w in changes.writes if w.sheet in {"Réglages", "Objectifs", ACTIONS_TAB}]

    assert input_writes
    assert {(w.sheet, w.col) for w in input_writes} == {(ACTIONS_TAB, RANK_COL)}
    after = apply(input_snapshot(), changes).get(ACTIONS_TAB)
    assert after is not None
    assert [line[:RANK_COL] for line in after.grid] == [
        line[:RANK_COL] for line in input_snapshot().tabs[2].grid
    ]


def test_apply_skips_a_write_whose_guarded_id_moved():
    snapshot = input_snapshot()
    changes = sync(snapshot)
    actions = snapshot.get(ACTIONS_TAB)
    assert actions is not None
    actions.grid[3][0] = "A-099"  # a user retyped the ID of row 4 since the read

    after = apply(snapshot, changes).get(ACTIONS_TAB)
    assert after is not None
    assert [line[RANK_COL] for line in after.grid[1:]] == [None, 2, None]


def test_apply_inserts_new_tabs_at_their_index():
    titles = apply(input_snapshot(), sync(input_snapshot())).titles

    assert titles == [
        "Réglages",
        "Objectifs",
        ACTIONS_TAB,
        "Actions par période",
        "Tableau de bord",
        "Priorités",
        "Contrôles",
        "Données calculées",
    ]


def test_preview_lists_each_cell_old_and_new():
    busier = (period("P1", date(2026, 1, 5), 4.0), PERIODS[1])
    changes = sync(synced(), result=make_result(periods=busier, n_issues=2))

    assert preview(synced(), changes) == [
        ("Actions par période", "O5", 3.5, 4.0),  # the overview, right of the block
        ("Actions par période", "R5", 0.4375, 0.5),
        ("Actions par période", "B9", 3.5, 4.0),
        ("Actions par période", "B12", 0.4375, 0.5),
        ("Tableau de bord", "B24", 3.5, 4.0),  # P1's planned person-days
        ("Contrôles", "A2", "0 erreur, 3 avertissements", "0 erreur, 2 avertissements"),
        ("Contrôles", "A6", ACTIONS_TAB, None),
        ("Contrôles", "B6", "A4", None),
        ("Contrôles", "C6", "Avertissement", None),
        ("Contrôles", "D6", "overdue", None),
        ("Contrôles", "E6", "problème 2", None),
        ("Données calculées", "K2", 3.5, 4.0),  # the live block's data
        ("Données calculées", "N2", 0.4375, 0.5),
    ]


def test_preview_leaves_out_writes_whose_guard_fails():
    snapshot = input_snapshot()
    guarded = CellWrite(ACTIONS_TAB, 1, RANK_COL, 5, guard=Guard(1, 0, "A-999"))
    free = CellWrite(ACTIONS_TAB, 2, RANK_COL, 6, guard=Guard(2, 0, "A-002"))

    assert preview(snapshot, ChangeSet(writes=(guarded, free))) == [(ACTIONS_TAB, "H3", None, 6)]
