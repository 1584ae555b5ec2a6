"""Tool-owned tabs: sheetpilot never takes over a tab it did not create (foreign-tab), adopts
its own unmarked tabs (0.1.0) silently, and reports text typed into its tabs before clearing it.

Snapshots are built directly and synced through an in-memory backend that behaves like
a real one: it applies the change set, and marks the tabs it creates or adopts.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from sheetpilot._cells import CellValue, Grid
from sheetpilot._diff import apply
from sheetpilot._init import init_plan
from sheetpilot._ownership import check_ownership, has_our_layout, quoted, typed_cells
from sheetpilot._sync import BLOCKING_CODES, run_sync
from sheetpilot._workbook import ChangeSet, Snapshot, TabData
from tests.plan_builders import action, plan_grids

TODAY = date(2026, 1, 7)


class MemoryBackend:
    """A spreadsheet in memory: `marks` says whether the backend can tell a tab's mark."""

    writes_formulas = False

    def __init__(self, snapshot: Snapshot, *, marks: bool = True) -> None:
        self.snapshot = snapshot
        self.marks = marks
        self.requests = 0
        self.changes: list[ChangeSet] = []

    def read(self) -> Snapshot:
        self.requests += 1
        return self.snapshot

    def write(self, changes: ChangeSet) -> int:
        self.requests += 1
        self.changes.append(changes)
        before = {t.title: t.owned for t in self.snapshot.tabs}
        marked = {layout.title for layout in changes.new_tabs} | set(changes.adopt)
        after = apply(self.snapshot, changes)
        self.snapshot = Snapshot(
            tuple(
                replace(
                    t,
                    owned=(True if t.title in marked else before.get(t.title, False))
                    if self.marks
                    else None,
                )
                for t in after.tabs
            )
        )
        return len(changes.writes)

    def describe(self) -> str:
        return "memory"

    def tab(self, title: str) -> TabData:
        found = self.snapshot.get(title)
        assert found is not None, title
        return found

    def set(self, title: str, row: int, col: int, value: CellValue) -> None:
        """A user types into a cell."""
        tabs = []
        for t in self.snapshot.tabs:
            grid = [list(line) for line in t.grid]
            if t.title == title:
                while len(grid) <= row:
                    grid.append([])
                while len(grid[row]) <= col:
                    grid[row].append(None)
                grid[row][col] = value
            tabs.append(replace(t, grid=grid))
        self.snapshot = Snapshot(tuple(tabs))


def plan(*extra: TabData, locale="fr", marks: bool = True, **kw) -> MemoryBackend:
    owned = False if marks else None
    inputs = tuple(TabData(t, g, owned=owned) for t, g in plan_grids(locale, **kw).items())
    return MemoryBackend(Snapshot(inputs + extra), marks=marks)


def synced(locale="fr", **kw) -> MemoryBackend:
    backend = plan(locale=locale, **kw)
    run_sync(backend, plan="p", today=TODAY)
    return backend


def codes(outcome) -> list[str]:
    return [i.code for i in outcome.report.issues]


def issues_of(outcome, code):
    return [i for i in outcome.report.issues if i.code == code]


NOTES: Grid = [["Mes priorités perso"], ["appeler Paul"], [None, "relancer l'agence"]]


# --- foreign-tab ---------------------------------------------------------------------------
def test_foreign_tab_is_blocking_error():
    assert "foreign-tab" in BLOCKING_CODES


@pytest.mark.parametrize("owned", [False, None], ids=["unmarked", "backend-cannot-tell"])
def test_sync_refuses_a_users_tab_named_like_a_tool_tab_and_writes_nothing(owned):
    backend = plan(TabData("Priorités", NOTES, owned=owned), marks=owned is not None)
    outcome = run_sync(backend, plan="p", today=TODAY)

    assert backend.changes == []
    assert outcome.blocked and outcome.changes.empty
    assert outcome.blocked_by == {"foreign-tab"}
    (issue,) = issues_of(outcome, "foreign-tab")
    assert (issue.severity, issue.sheet, issue.cell) == ("error", "Priorités", "A1")
    assert issue.message.startswith("Priorités!A1 : ")  # a French plan: French messages
    assert "renommez l'onglet" in issue.message and "--adopt" in issue.message
    assert backend.tab("Priorités").grid == NOTES  # nothing lost


def test_a_dry_run_also_reports_the_foreign_tab():
    backend = plan(TabData("Checks", [["our team checklist"]], owned=False))
    outcome = run_sync(backend, plan="p", today=TODAY, dry_run=True)
    assert outcome.blocked and codes(outcome).count("foreign-tab") == 1
    assert outcome.preview == []


def test_every_foreign_tab_is_named_at_once():
    backend = plan(
        TabData("priorites", NOTES, owned=False),
        TabData("Contrôles", [["x"]], owned=False),
        TabData("Actions by period", [[None, "y"]], owned=False),
    )
    outcome = run_sync(backend, plan="p", today=TODAY)
    assert sorted(i.sheet for i in issues_of(outcome, "foreign-tab")) == [
        "Actions by period",
        "Contrôles",
        "priorites",
    ]
    assert backend.changes == []


def test_a_renamed_tab_is_left_alone_and_sheetpilot_adds_its_own():
    backend = plan(TabData("Mes priorités", NOTES, owned=False))
    outcome = run_sync(backend, plan="p", today=TODAY)
    assert not outcome.blocked
    assert "Priorités" in [t.title for t in outcome.changes.new_tabs]
    assert backend.tab("Mes priorités").grid == NOTES


def test_adopt_takes_the_tab_over_reports_what_it_replaces_and_marks_it():
    backend = plan(TabData("Priorités", NOTES, owned=False))
    outcome = run_sync(backend, plan="p", today=TODAY, adopt=True)

    assert not outcome.blocked and "foreign-tab" not in codes(outcome)
    assert outcome.changes.adopt == ("Priorités",)
    typed = {
        (i.cell, i.message.split(" : ")[1].rstrip())
        for i in issues_of(outcome, "typed-in-tool-tab")
    }
    assert typed == {
        (
            "A1",
            "contient 'Mes priorités perso', que sheetpilot n'a pas écrit dans cet onglet qui lui appartient",
        ),
        (
            "A2",
            "contient 'appeler Paul', que sheetpilot n'a pas écrit dans cet onglet qui lui appartient",
        ),
        (
            "B3",
            "contient 'relancer l'agence', que sheetpilot n'a pas écrit dans cet onglet qui lui appartient",
        ),
    }
    assert backend.tab("Priorités").owned is True
    assert backend.tab("Priorités").grid[2][:2] == ["Rang", "ID"]

    again = run_sync(backend, plan="p", today=TODAY)  # marked now: no --adopt needed
    assert not again.blocked and again.changes.adopt == ()
    assert "typed-in-tool-tab" not in codes(again)  # (Contrôles drops the three warnings)
    assert run_sync(backend, plan="p", today=TODAY).changes.empty


def test_a_marked_tab_is_ours_and_what_it_held_is_reported_before_it_goes():
    backend = plan(TabData("Priorités", NOTES, owned=True))
    outcome = run_sync(backend, plan="p", today=TODAY)
    assert not outcome.blocked and "foreign-tab" not in codes(outcome)
    assert outcome.changes.adopt == ()
    assert {i.cell for i in issues_of(outcome, "typed-in-tool-tab")} == {"A1", "A2", "B3"}


def test_a_blank_unmarked_tab_is_adopted_silently():
    backend = plan(TabData("Contrôles", [[None, ""]], owned=False))
    outcome = run_sync(backend, plan="p", today=TODAY)
    assert not outcome.blocked
    assert outcome.changes.adopt == ("Contrôles",)
    assert "typed-in-tool-tab" not in codes(outcome)


# --- tabs laid by sheetpilot 0.1.0: unmarked, our layout -------------------------------------
@pytest.mark.parametrize("locale", ["fr", "en"])
def test_tabs_laid_by_0_1_0_are_adopted_silently(locale):
    laid = synced(locale)
    unmarked = MemoryBackend(
        Snapshot(tuple(replace(t, owned=False) for t in laid.snapshot.tabs))
    )  # as 0.1.0 left them: no mark anywhere
    outcome = run_sync(unmarked, plan="p", today=TODAY)

    assert not outcome.blocked
    assert not [c for c in codes(outcome) if c in ("foreign-tab", "typed-in-tool-tab")]
    assert (
        len(outcome.changes.adopt) == 5
    )  # 0.1.0's three, the computed data, a dashboard laid alike
    assert outcome.changes.writes == ()
    assert all(unmarked.tab(t).owned for t in outcome.changes.adopt)
    assert run_sync(unmarked, plan="p", today=TODAY).changes.empty  # marked once


def test_our_layout_in_the_other_locale_is_ours_too():
    fr_tabs = synced("fr").snapshot
    # a French plan whose tool tabs were laid in English (same header cells, EN labels)
    en_tabs = synced("en").snapshot
    by_period = en_tabs.get("Actions by period")
    assert by_period is not None and has_our_layout("by_period", by_period.grid)
    renamed = replace(by_period, title="Actions par période", owned=False)
    backend = MemoryBackend(
        Snapshot((*tuple(t for t in fr_tabs.tabs if t.title != "Actions par période"), renamed))
    )
    outcome = run_sync(backend, plan="p", today=TODAY)
    assert not outcome.blocked
    assert "Actions par période" in outcome.changes.adopt


def test_without_marks_our_layout_is_still_recognised_but_nothing_is_marked():
    backend = plan(marks=False)
    run_sync(backend, plan="p", today=TODAY)
    outcome = run_sync(backend, plan="p", today=TODAY)
    assert not outcome.blocked and outcome.changes.empty  # nothing to mark, nothing to write


@pytest.mark.parametrize(
    ("tab", "grid"),
    [
        ("priorities", [["Priorités"], [], ["Rang", "ID", "Action"]]),  # part of the header
        ("checks", [["Notes"], [], ["Onglet", "Cellule", "Gravité", "Code", "Message"]]),
        ("by_period", [["Actions par période"]]),
    ],
    ids=["partial-header", "other-heading", "title-only"],
)
def test_a_partial_layout_is_not_ours(tab, grid):
    assert not has_our_layout(tab, grid)


def test_check_ownership_on_a_snapshot_without_tool_tabs_finds_nothing():
    found = check_ownership(Snapshot((TabData("Objectifs", [["ID"]], owned=False),)), "fr")
    assert found.issues == () and found.adopt == ()


# --- init --------------------------------------------------------------------------------
def test_init_refuses_a_foreign_tab_and_writes_nothing():
    backend = MemoryBackend(Snapshot((TabData("Priorités", NOTES, owned=False),)))
    done = init_plan(lambda create: backend, plan="p", locale="fr", today=TODAY)
    assert [i.code for i in done.refused] == ["foreign-tab"]
    assert done.cells == 0 and backend.changes == []


def test_init_with_example_refuses_before_laying_anything():
    backend = MemoryBackend(Snapshot((TabData("Checks", [["ma liste"]], owned=False),)))
    done = init_plan(lambda create: backend, plan="p", locale="fr", today=TODAY, example=True)
    assert done.refused and done.sync is None and backend.changes == []


def test_init_adopt_marks_the_tab_then_sync_takes_it_over():
    backend = MemoryBackend(Snapshot((TabData("Priorités", NOTES, owned=False),)))
    done = init_plan(lambda create: backend, plan="p", locale="fr", today=TODAY, adopt=True)
    assert done.refused == () and done.cells > 0
    assert backend.changes[0].adopt == ("Priorités",)
    assert backend.tab("Priorités").owned is True
    outcome = run_sync(backend, plan="p", today=TODAY)
    assert not outcome.blocked
    assert {i.cell for i in issues_of(outcome, "typed-in-tool-tab")} == {"A1", "A2", "B3"}


def test_init_marks_0_1_0_tabs_on_the_way():
    laid = synced()
    backend = MemoryBackend(Snapshot(tuple(replace(t, owned=False) for t in laid.snapshot.tabs)))
    done = init_plan(lambda create: backend, plan="p", locale="fr", today=TODAY)
    assert done.refused == ()
    assert sorted(backend.changes[0].adopt) == [
        "Actions par période",
        "Contrôles",
        "Données calculées",
        "Priorités",
        "Tableau de bord",
    ]


# --- typed-in-tool-tab -------------------------------------------------------------------
def test_a_note_typed_beside_the_backlog_is_reported_then_cleared():
    backend = synced()
    backend.set("Priorités", 4, 9, "note : voir avec Paul")  # J5
    outcome = run_sync(backend, plan="p", today=TODAY)

    (issue,) = issues_of(outcome, "typed-in-tool-tab")
    assert (issue.severity, issue.sheet, issue.cell) == ("warning", "Priorités", "J5")
    assert issue.message == (  # a French plan: the message is French
        "Priorités!J5 : contient 'note : voir avec Paul', que sheetpilot n'a pas écrit dans cet "
        "onglet qui lui appartient : cette synchronisation l'efface. Gardez vos notes dans un "
        "onglet à vous, ou dans vos propres colonnes des onglets de saisie."
    )
    checks = backend.tab("Contrôles").grid  # listed in the tab written by the same sync
    assert any(line[:2] == ["Priorités", "J5"] for line in checks)
    assert backend.tab("Priorités").grid[4][9] is None  # cleared


def test_a_long_typed_text_is_quoted_capped_with_an_ellipsis():
    backend = synced()
    backend.set("Actions par période", 2, 3, "x" * 300)  # D3
    (issue,) = issues_of(run_sync(backend, plan="p", today=TODAY), "typed-in-tool-tab")
    assert issue.cell == "D3"
    assert "'" + "x" * 99 + "…'" in issue.message
    assert "x" * 100 not in issue.message


def test_dry_run_reports_typed_cells_and_previews_their_clearing():
    backend = synced()
    backend.set("Contrôles", 0, 3, "à revoir")  # D1
    outcome = run_sync(backend, plan="p", today=TODAY, dry_run=True)
    assert [i.cell for i in issues_of(outcome, "typed-in-tool-tab")] == ["D1"]
    assert ("Contrôles", "D1", "à revoir", None) in outcome.preview
    assert backend.tab("Contrôles").grid[0][3] == "à revoir"  # dry run: still there


def test_the_period_selector_is_the_users_and_never_reported():
    backend = synced()
    backend.set("Actions par période", 1, 5, "P2")  # F2
    outcome = run_sync(backend, plan="p", today=TODAY)
    assert "typed-in-tool-tab" not in codes(outcome)
    assert backend.tab("Actions par période").grid[1][5] == "P2"


def test_a_shorter_backlog_clears_its_old_rows_without_warnings():
    grids_actions = [
        action(id=f"A-{n:03}", status="À faire", title=f"Action {n}", priority="P1",
               owner="Alice", estimate=1, period="P1")
        for n in range(1, 6)
    ]  # fmt: skip
    backend = synced(actions=grids_actions)
    assert len(backend.tab("Priorités").grid) == 8
    for row in range(1, 5):  # four actions done: the backlog shrinks to one row
        backend.set("Suivi des actions", row, 1, "Terminé")
    outcome = run_sync(backend, plan="p", today=TODAY)
    assert "typed-in-tool-tab" not in codes(outcome)
    left = backend.tab("Priorités").grid
    assert left[3][1] == "A-005" and all(v is None for line in left[4:] for v in line)


def test_choosing_another_period_moves_the_overview_without_warnings():
    many = [
        action(id=f"A-{n:03}", status="À faire", title=f"Action {n}", priority="P2",
               owner="Bruno", estimate=1, period="P1" if n < 6 else "P2")
        for n in range(1, 8)
    ]  # fmt: skip
    backend = synced(actions=many)
    backend.set("Actions par période", 1, 5, "P2")  # 5 actions in P1, 2 in P2
    outcome = run_sync(backend, plan="p", today=TODAY)
    assert "typed-in-tool-tab" not in codes(outcome)
    assert outcome.report.writes.cells > 0


def test_a_note_below_the_backlog_after_a_blank_row_is_typed():
    backend = synced()
    rows = len(backend.tab("Priorités").grid)
    backend.set("Priorités", rows + 1, 0, "idée : webinar client")
    outcome = run_sync(backend, plan="p", today=TODAY)
    assert [i.cell for i in issues_of(outcome, "typed-in-tool-tab")] == [f"A{rows + 2}"]


def test_typed_cells_on_a_snapshot_with_no_tool_tabs_is_empty():
    from sheetpilot._compute import compute_plan
    from sheetpilot._parse import parse_plan
    from sheetpilot._render import render

    snapshot = plan().snapshot
    parsed = parse_plan(snapshot.grids())
    rendered = render(parsed, compute_plan(parsed, TODAY), snapshot.titles)
    assert typed_cells(snapshot, rendered) == []


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("court", "'court'"),
        ("  plusieurs\n lignes ", "'plusieurs lignes'"),
        (42, "'42'"),
        ("é" * 100, "'" + "é" * 100 + "'"),
        ("é" * 101, "'" + "é" * 99 + "…'"),
    ],
)
def test_quoted(value, shown):
    assert quoted(value) == shown


def test_docstring_examples():
    import doctest

    from sheetpilot import _ownership

    failed, _ = doctest.testmod(_ownership, verbose=False)
    assert failed == 0


def test_every_tool_tab_has_a_known_layout_and_table_area():
    from sheetpilot import _ownership
    from sheetpilot._template import TOOL_TABS

    for tab in TOOL_TABS:
        assert _ownership.header_cells(tab.key), tab.key
        assert tab.key in _ownership._TABLE_AREA, tab.key


def test_a_tool_tab_this_module_does_not_know_is_never_taken_for_ours():
    assert not has_our_layout("dashboard", [["Tableau de bord"]])


def test_a_backlog_shrinking_from_many_rows_leaves_no_warning():
    many = [
        action(id=f"A-{n:03}", status="À faire", title=f"Action {n}", priority="P3",
               owner="Alice", estimate=0.5, period="P2")
        for n in range(1, 301)
    ]  # fmt: skip
    backend = synced(actions=many)
    for row in range(1, 300):
        backend.set("Suivi des actions", row, 1, "Terminé")
    outcome = run_sync(backend, plan="p", today=TODAY)
    assert "typed-in-tool-tab" not in codes(outcome)
