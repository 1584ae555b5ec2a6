"""Computed columns (Rang; Avancement, État) on rows that no longer hold an action or a
result: blank after the next sync, on Google (a lookup that shows nothing) and in a
workbook (cleared); and formulas compared as formulas, so a second sync writes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from fakesheets import FakeSheets
from sheetpilot._backends.google import GoogleBackend
from sheetpilot._cli import app
from sheetpilot._config import GoogleConfig
from sheetpilot._diff import diff
from sheetpilot._example import example_plan
from sheetpilot._locales import catalogs
from sheetpilot._render import render
from sheetpilot._scaffold import scaffold_changes
from sheetpilot._sync import run_sync
from sheetpilot._workbook import Snapshot, TabData

TODAY = date(2026, 3, 4)
ACTIONS, OBJECTIVES = "Suivi des actions", "Objectifs"


def backend(module_fake: FakeSheets, key: str) -> GoogleBackend:
    return GoogleBackend(key, GoogleConfig(credentials="none", endpoint=module_fake.url))


def sync(module_fake: FakeSheets, key: str):
    return run_sync(backend(module_fake, key), plan="p", today=TODAY, locale="fr").report


@pytest.fixture(scope="module")
def synced(module_fake: FakeSheets) -> str:
    key = module_fake.create_spreadsheet("Plan")
    init = backend(module_fake, key)
    init.write(
        scaffold_changes(
            init.read(), "fr", example_plan(TODAY - timedelta(days=21), "fr"), start=TODAY
        )
    )
    sync(module_fake, key)
    return key


@pytest.fixture
def plan(module_fake: FakeSheets, synced: str) -> str:
    return module_fake.copy_spreadsheet(synced)


def shown(module_fake: FakeSheets, key: str, address: str):
    found = module_fake.values(key, address)
    return found[0][0] if found and found[0] else ""


def clear(module_fake: FakeSheets, key: str, title: str, row: int, first: str, last: str) -> None:
    """The user empties cells first..last of a row (typing nothing in)."""
    width = ord(last) - ord(first) + 1
    module_fake.apply_edits(
        key, [{"set": {"range": f"'{title}'!{first}{row}", "values": [[""] * width]}}]
    )


@pytest.mark.parametrize(
    ("title", "row", "first", "last", "computed"),
    [
        (ACTIONS, 20, "A", "M", ("N",)),  # an emptied action row (open: it had a rank)
        (ACTIONS, 20, "B", "M", ("N",)),  # a row holding only its ID
        (OBJECTIVES, 3, "A", "K", ("L", "M")),  # an emptied objective row
    ],
    ids=["emptied action", "action ID only", "emptied objective"],
)
def test_google_a_row_without_an_action_shows_blank_computed_cells(
    module_fake: FakeSheets,
    plan: str,
    title: str,
    row: int,
    first: str,
    last: str,
    computed: tuple[str, ...],
) -> None:
    assert all(shown(module_fake, plan, f"'{title}'!{c}{row}") != "" for c in computed)
    clear(module_fake, plan, title, row, first, last)
    sync(module_fake, plan)
    assert [shown(module_fake, plan, f"'{title}'!{c}{row}") for c in computed] == [""] * len(
        computed
    )
    assert sync(module_fake, plan).writes.cells == 0


def test_google_a_value_typed_into_rank_on_a_blank_row_is_replaced_by_the_blank_lookup(
    module_fake: FakeSheets, plan: str
) -> None:
    module_fake.set_values(plan, f"'{ACTIONS}'!N40", [[17]])
    first = sync(module_fake, plan)
    assert first.writes.cells == 1
    assert shown(module_fake, plan, f"'{ACTIONS}'!N40") == ""
    assert "formulaValue" in module_fake.cell(plan, f"'{ACTIONS}'!N40")["userEnteredValue"]
    assert sync(module_fake, plan).writes.cells == 0


def test_google_ranks_change_without_rewriting_the_rank_column(
    module_fake: FakeSheets, plan: str
) -> None:
    grid = module_fake.values(plan, ACTIONS)
    row = next(r for r, line in enumerate(grid) if line[1] == "À faire") + 1
    module_fake.set_values(plan, f"'{ACTIONS}'!B{row}", [["Terminé"]])  # every rank below moves up
    outcome = run_sync(backend(module_fake, plan), plan="p", today=TODAY, locale="fr")
    assert outcome.report.writes.cells > 0
    assert [w for w in outcome.changes.writes if w.sheet == ACTIONS] == []  # Priorités only
    rank_of = {a: i for i, a in enumerate(outcome.report.priority_order, start=1)}
    for line in module_fake.values(plan, ACTIONS)[1:]:
        assert (line[13] if len(line) > 13 else "") == rank_of.get(line[0], "")


def test_formulas_read_back_with_semicolons_another_case_or_fewer_quotes_are_not_rewritten(
    module_fake: FakeSheets, synced: str
) -> None:
    snapshot = backend(module_fake, synced).read()
    shouting = Snapshot(
        tuple(
            TabData(
                t.title,
                t.grid,
                t.sheet_id,
                t.row_count,
                t.col_count,
                formulas={
                    k: f.replace(",", "; ")
                    .replace("IFERROR(INDEX", "iferror(index")
                    .replace("'Priorités'!", "Priorités!")  # quoted only when it must be
                    for k, f in t.formulas.items()
                },
            )
            for t in snapshot.tabs
        )
    )
    from sheetpilot._compute import compute_plan
    from sheetpilot._parse import parse_plan

    messages = catalogs()  # the sheet was synced in French
    parsed = parse_plan(shouting.grids(), "fr", catalogs=messages)
    result = compute_plan(parsed, TODAY, messages)
    ids = {t.title: t.sheet_id for t in shouting.tabs if t.sheet_id is not None}  # as sync
    rendered = render(parsed, result, shouting.titles, messages, formulas=True, sheet_ids=ids)
    assert diff(shouting, rendered, formulas=True).empty  # the Contrôles links included


# --- a workbook (values; formulas are not written there yet) ----------------------------
def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def workbook(tmp_path) -> Path:
    path = tmp_path / "plan.xlsx"
    assert run("init", str(path), "--example", "--today", "2026-03-18").exit_code == 0
    assert run("sync", str(path), "--today", "2026-03-18").exit_code == 0
    return path


@pytest.mark.parametrize(
    ("title", "row", "columns", "computed"),
    [
        (ACTIONS, 20, "ABCDEFGHIJKLM", "N"),
        (ACTIONS, 20, "BCDEFGHIJKLM", "N"),
        (OBJECTIVES, 3, "ABCDEFGHIJK", "LM"),
    ],
    ids=["emptied action", "action ID only", "emptied objective"],
)
def test_workbook_a_row_without_an_action_gets_its_computed_cells_cleared(
    workbook: Path, title: str, row: int, columns: str, computed: str
) -> None:
    book = openpyxl.load_workbook(workbook)
    assert all(book[title][f"{c}{row}"].value is not None for c in computed)
    for c in columns:
        book[title][f"{c}{row}"] = None
    book.save(workbook)

    assert run("sync", str(workbook), "--today", "2026-03-18").exit_code == 0
    book = openpyxl.load_workbook(workbook)
    assert [book[title][f"{c}{row}"].value for c in computed] == [None] * len(computed)
    assert "rien à écrire" in run("sync", str(workbook), "--today", "2026-03-18").output
