"""The live period selector: picking a period in F2 of *Actions par période* shows it at
once, without a sync. For every period of the example plan and of the worked example of
the conformance tests, the block under F2 (figures, action list, the "no action" line, G2)
equals what sync itself renders for that period:

- on the stand-in, F2 edited as a user does, the block read back through the API;
- on `.xlsx`, the written formulas evaluated over the cached values the file holds, and,
  where LibreOffice is installed, recalculated by LibreOffice headless.

A sync after the switch keeps the user's choice and writes nothing the second time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from fakesheets import FakeSheets
from fakesheets.formula import FormulaError, evaluate
from sheetpilot._backends.google import GoogleBackend
from sheetpilot._backends.xlsx import XlsxBackend
from sheetpilot._cells import a1, date_to_serial
from sheetpilot._cli import app
from sheetpilot._compute import compute_plan
from sheetpilot._config import GoogleConfig
from sheetpilot._locales import catalogs
from sheetpilot._parse import parse_plan
from sheetpilot._render import render
from sheetpilot._render.by_period import SELECTOR
from sheetpilot._sync import run_sync
from sheetpilot._workbook import Snapshot, TabData
from tests.test_end_to_end import ACTIONS, OBJECTIVES, SETTINGS, build
from tests.test_end_to_end import TODAY as WORKED_TODAY
from tests.test_google_conformance import raw

EXAMPLE_TODAY = "2026-11-25"  # in P3 of the example plan
TAB = "Actions par période"
SOFFICE = shutil.which("soffice")
Cell = tuple[int, int]
WORKED_TABS = {"Réglages": SETTINGS, "Objectifs": OBJECTIVES, "Suivi des actions": ACTIONS}


def norm(value: Any) -> Any:
    """A cell as compared: dates as serial numbers, numbers as floats, "" as blank."""
    if isinstance(value, datetime | date):
        return float(date_to_serial(value))
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return None if value == "" else value
    return round(float(value), 9)


def expected_blocks(snapshot: Snapshot, today: date) -> dict[str, dict[Cell, Any]]:
    """For every period, the live block as sync renders it with that period in F2."""
    messages = catalogs()
    parsed = parse_plan(snapshot.grids(), None, {}, catalogs=messages)
    result = compute_plan(parsed, today, messages)
    blocks = {}
    for period in result.periods:
        chosen = parsed.model_copy(update={"selected_period": period.name})
        tab = render(chosen, result, snapshot.titles, messages).tab("by_period")
        live = {where for where, cell in tab.cells.items() if cell.formula is not None}
        area = live | {SELECTOR}
        blocks[period.name] = {where: norm(tab.value(*where)) for where in sorted(area)}
    assert len(blocks) >= 3
    assert len({tuple(b.values()) for b in blocks.values()}) == len(blocks)  # all differ
    return blocks


def shown(tab: TabData, area: dict[Cell, Any]) -> dict[Cell, Any]:
    def at(r: int, c: int) -> Any:
        line = tab.grid[r] if r < len(tab.grid) else []
        return line[c] if c < len(line) else None

    return {where: norm(at(*where)) for where in area}


def by_title(snapshot: Snapshot, title: str) -> TabData:
    found = snapshot.get(title)
    assert found is not None
    return found


# --- the stand-in --------------------------------------------------------------------------
def google(fake: FakeSheets, key: str) -> GoogleBackend:
    return GoogleBackend(key, GoogleConfig(credentials="none", endpoint=fake.url))


def switch_on_google(fake: FakeSheets, key: str, today: date) -> None:
    snapshot = google(fake, key).read()
    blocks = expected_blocks(snapshot, today)
    for name, block in blocks.items():
        fake.set_values(key, f"'{TAB}'!F2", [[name]])  # the user picks a period
        read = google(fake, key).read()  # the block read back through the API, no sync
        assert shown(by_title(read, TAB), block) == block, name
    fake.set_values(key, f"'{TAB}'!F2", [[name]])
    run_sync(google(fake, key), plan="p", today=today)  # G2's "automatic" note goes
    read = google(fake, key).read()
    assert by_title(read, TAB).grid[1][5] == name  # the choice is kept
    assert shown(by_title(read, TAB), blocks[name]) == blocks[name]
    again = run_sync(google(fake, key), plan="p", today=today).report.writes
    assert again.cells == 0 and again.requests == 1


def test_every_example_period_shows_live_on_the_stand_in(tmp_path: Path) -> None:
    with FakeSheets() as fake:
        config = tmp_path / "cfg.toml"
        config.write_text(f'[google]\ncredentials = "none"\nendpoint = "{fake.url}"\n')
        key = fake.create_spreadsheet("Plan")
        args = ["--config", str(config), "--today", EXAMPLE_TODAY]
        assert CliRunner().invoke(app, ["init", key, "--example", *args]).exit_code == 0
        switch_on_google(fake, key, date.fromisoformat(EXAMPLE_TODAY))


def test_every_worked_example_period_shows_live_on_the_stand_in(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Plan T1")
    book = fake.gspread_client().open_by_key(key)
    for title, rows in WORKED_TABS.items():
        ws = book.add_worksheet(title, rows=100, cols=20)
        width = max(len(r) for r in rows)
        ws.update([[raw(v) for v in r] + [""] * (width - len(r)) for r in rows], "A1", raw=True)
    today = date.fromisoformat(WORKED_TODAY)
    run_sync(google(fake, key), plan="p", today=today)
    switch_on_google(fake, key, today)


# --- .xlsx ---------------------------------------------------------------------------------
def example_xlsx(path: Path) -> date:
    result = CliRunner().invoke(app, ["init", str(path), "--example", "--today", EXAMPLE_TODAY])
    assert result.exit_code == 0, result.output
    return date.fromisoformat(EXAMPLE_TODAY)


def worked_xlsx(path: Path) -> date:
    build(path)
    today = date.fromisoformat(WORKED_TODAY)
    run_sync(XlsxBackend(path), plan="p", today=today)
    return today


PLANS = {"example": example_xlsx, "worked": worked_xlsx}


def cached_evaluation(path: Path, f2: str, area: dict[Cell, Any]) -> dict[Cell, Any]:
    """The block's written formulas evaluated over the file's cached values, F2 set."""
    book = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)

    def resolve(title: str | None, row: int, col: int) -> Any:
        if (title or TAB) == TAB and (row, col) == SELECTOR:
            return f2
        value = cached[title or TAB].cell(row + 1, col + 1).value
        return float(date_to_serial(value)) if isinstance(value, datetime | date) else value

    def extent(title: str | None) -> int:
        return int(cached[title or TAB].max_row)

    out = {}
    for r, c in area:
        text = book[TAB].cell(r + 1, c + 1).value
        if (r, c) == SELECTOR:
            out[(r, c)] = norm(f2)
            continue
        assert isinstance(text, str) and text.startswith("="), a1(r, c)
        value = evaluate(text, resolve, extent)
        assert not isinstance(value, FormulaError), (a1(r, c), value)
        out[(r, c)] = norm(value)
    return out


@pytest.mark.parametrize("plan", sorted(PLANS))
def test_every_period_from_the_written_formulas_and_cached_values(tmp_path: Path, plan) -> None:
    path = tmp_path / "plan.xlsx"
    today = PLANS[plan](path)
    blocks = expected_blocks(XlsxBackend(path).read(), today)
    for name, block in blocks.items():
        assert cached_evaluation(path, name, block) == block, name


@pytest.mark.parametrize("plan", sorted(PLANS))
def test_a_sync_after_the_switch_caches_that_period_and_then_writes_nothing(
    tmp_path: Path, plan
) -> None:
    path = tmp_path / "plan.xlsx"
    today = PLANS[plan](path)
    blocks = expected_blocks(XlsxBackend(path).read(), today)
    name = sorted(blocks)[0]
    book = openpyxl.load_workbook(path)
    book[TAB]["F2"] = name  # the user picks a period, the file saved by another program
    book.save(path)
    run_sync(XlsxBackend(path), plan="p", today=today)
    assert shown(by_title(XlsxBackend(path).read(), TAB), blocks[name]) == blocks[name]
    assert run_sync(XlsxBackend(path), plan="p", today=today).report.writes.cells == 0


needs_soffice = pytest.mark.skipif(
    SOFFICE is None and not os.environ.get("CI"),
    reason="LibreOffice (soffice) is not installed (CI installs it)",
)


@needs_soffice
@pytest.mark.parametrize("plan", sorted(PLANS))
def test_libreoffice_recalculates_every_period(tmp_path: Path, plan) -> None:
    assert SOFFICE is not None, "CI installs libreoffice-calc-nogui"
    path = tmp_path / "plan.xlsx"
    today = PLANS[plan](path)
    blocks = expected_blocks(XlsxBackend(path).read(), today)
    picked = tmp_path / "picked"
    picked.mkdir()
    for i, name in enumerate(blocks):
        book = openpyxl.load_workbook(path)  # saved without cached values: LibreOffice
        book[TAB]["F2"] = name  # must compute every formula itself
        book.save(picked / f"p{i}.xlsx")
    out = tmp_path / "calc"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "xlsx", "--outdir", str(out),
         *(str(p) for p in sorted(picked.iterdir()))],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    for i, (name, block) in enumerate(blocks.items()):
        calculated = XlsxBackend(out / f"p{i}.xlsx").read()
        assert shown(by_title(calculated, TAB), block) == block, name


# --- Contrôles: each issue's cell links to it ---------------------------------------------
CHECKS = "Contrôles"


def test_checks_cells_link_to_their_cell_on_the_stand_in(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Plan T1")
    book = fake.gspread_client().open_by_key(key)
    for title, rows in WORKED_TABS.items():
        ws = book.add_worksheet(title, rows=100, cols=20)
        width = max(len(r) for r in rows)
        ws.update([[raw(v) for v in r] + [""] * (width - len(r)) for r in rows], "A1", raw=True)
    today = date.fromisoformat(WORKED_TODAY)
    run_sync(google(fake, key), plan="p", today=today)
    ids = {t.title: t.sheet_id for t in google(fake, key).read().tabs}
    assert None not in ids.values()
    rows = fake.values(key, CHECKS)[3:]
    linked = 0
    for r, (tab, cell, *_) in enumerate(rows, start=4):
        if not cell or not isinstance(tab, str):
            continue
        entered = fake.cell(key, f"'{CHECKS}'!B{r}")["userEnteredValue"]
        assert entered == {"formulaValue": f'=HYPERLINK("#gid={ids[tab]}&range={cell}";"{cell}")'}
        linked += 1
    assert linked >= 5
    again = run_sync(google(fake, key), plan="p", today=today).report.writes
    assert again.cells == 0 and again.requests == 1


def test_checks_cells_link_to_their_cell_in_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    today = worked_xlsx(path)
    formulas = openpyxl.load_workbook(path)[CHECKS]
    shown_values = openpyxl.load_workbook(path, data_only=True)[CHECKS]
    linked = 0
    for r in range(4, shown_values.max_row + 1):
        tab, cell = shown_values.cell(r, 1).value, shown_values.cell(r, 2).value
        if not cell:
            continue
        quoted = tab.replace("'", "''")
        assert formulas.cell(r, 2).value == f'=HYPERLINK("#\'{quoted}\'!{cell}","{cell}")'
        linked += 1
    assert linked >= 5
    assert run_sync(XlsxBackend(path), plan="p", today=today).report.writes.cells == 0
