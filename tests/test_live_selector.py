"""The live period selector: picking a period in F2 of *Actions par période* shows that
period at once, without a sync, on the stand-in (its formula engine), in an `.xlsx` file
(its formulas evaluated, and recalculated by LibreOffice where it is installed); for every
period of the example plan and of the worked example, the tab then shows exactly what a
sync renders for that period."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from fakesheets import FakeSheets
from fakesheets.formula import FormulaError, Scalar, evaluate
from sheetpilot._backends.google import GoogleBackend
from sheetpilot._backends.xlsx import XlsxBackend
from sheetpilot._cells import CellValue, canonical, date_to_serial, is_blank
from sheetpilot._compute import compute_plan
from sheetpilot._config import GoogleConfig
from sheetpilot._example import example_plan
from sheetpilot._locales import catalogs
from sheetpilot._parse import parse_plan
from sheetpilot._render import render
from sheetpilot._scaffold import scaffold_changes
from sheetpilot._sync import run_sync
from sheetpilot._workbook import CellWrite, ChangeSet, Snapshot
from tests.test_end_to_end import TODAY as WORKED_TODAY
from tests.test_end_to_end import build

TAB = "Actions par période"
EXAMPLE_TODAY = date(2026, 3, 4)
WORKED = date.fromisoformat(WORKED_TODAY)
SOFFICE = shutil.which("soffice")
Shown = dict[tuple[int, int], str | float | bool]


def shown(grid: list[list[CellValue]]) -> Shown:
    """Every non-blank cell, in the form cells are compared in."""
    out: Shown = {}
    for r, line in enumerate(grid):
        for c, value in enumerate(line):
            key = canonical(value)
            if key is not None and not is_blank(value):
                out[(r, c)] = key
    return out


def rendered(snapshot: Snapshot, today: date) -> Shown:
    """What a sync renders in the tab for the period F2 holds in `snapshot`."""
    messages = catalogs()
    parsed = parse_plan(snapshot.grids(), catalogs=messages)
    result = compute_plan(parsed, today, messages)
    tab = render(parsed, result, snapshot.titles, messages).tab("by_period")
    out: Shown = {}
    for where, cell in tab.cells.items():
        key = canonical(cell.value)
        if key is not None:
            out[where] = key
    return out


def periods(snapshot: Snapshot, today: date) -> list[str]:
    return [p.name for p in compute_plan(parse_plan(snapshot.grids()), today).periods]


# --- the stand-in ----------------------------------------------------------------------


def google(fake: FakeSheets, key: str) -> GoogleBackend:
    return GoogleBackend(key, GoogleConfig(credentials="none", endpoint=fake.url))


def example_on_google(fake: FakeSheets) -> str:
    key = fake.create_spreadsheet("Plan marketing")
    init = google(fake, key)
    demo = example_plan(EXAMPLE_TODAY - timedelta(days=21), "fr")
    init.write(scaffold_changes(init.read(), "fr", demo, start=EXAMPLE_TODAY))
    return key


def worked_on_google(fake: FakeSheets, tmp_path: Path) -> str:
    path = tmp_path / "worked.xlsx"
    build(path)
    key = fake.create_spreadsheet("Plan T1")
    book = fake.gspread_client().open_by_key(key)
    for tab in XlsxBackend(path).read().tabs:
        width = max((len(line) for line in tab.grid), default=1)
        rows = [
            [date_to_serial(v) if isinstance(v, date | datetime) else ("" if v is None else v)
             for v in line] + [""] * (width - len(line))
            for line in tab.grid
        ]  # fmt: skip
        sheet = book.add_worksheet(tab.title, rows=100, cols=20)
        sheet.update(rows, "A1", raw=True)
    return key


@pytest.mark.parametrize("plan", ["example", "worked"])
def test_switching_f2_on_the_stand_in_shows_each_period_at_once(fake, tmp_path, plan):
    key = example_on_google(fake) if plan == "example" else worked_on_google(fake, tmp_path)
    today = EXAMPLE_TODAY if plan == "example" else WORKED
    run_sync(google(fake, key), plan=plan, today=today)
    synced = google(fake, key).read()
    assert shown(synced.get(TAB).grid) == rendered(synced, today)  # type: ignore[union-attr]
    names = periods(synced, today)
    assert len(names) >= 3
    blocks = set()
    for name in [*names[::-1], names[0]]:
        fake.apply_edits(key, [{"set": {"range": f"'{TAB}'!F2", "values": [[name]]}}])
        snapshot = google(fake, key).read()  # no sync: what the spreadsheet shows now
        tab = snapshot.get(TAB)
        assert tab is not None and tab.grid[1][5] == name
        assert shown(tab.grid) == rendered(snapshot, today), name
        blocks.add(tuple(sorted(shown(tab.grid[3:]).items())))
    assert len(blocks) == len(names)  # each period shows its own block
    # the next sync keeps the user's choice and only drops G2's "automatic" note...
    choice = run_sync(google(fake, key), plan=plan, today=today, dry_run=True)
    assert [(tab, cell) for tab, cell, _, _ in choice.preview] in ([], [(TAB, "G2")])
    run_sync(google(fake, key), plan=plan, today=today)
    # ...and the one after writes nothing (the formulas compare as formulas)
    again = run_sync(google(fake, key), plan=plan, today=today)
    assert (again.report.writes.requests, again.report.writes.cells) == (1, 0)
    assert google(fake, key).read().get(TAB).grid[1][5] == names[0]  # type: ignore[union-attr]


def test_a_period_with_no_action_says_so_live_and_no_stale_rows_remain(fake):
    key = example_on_google(fake)
    run_sync(google(fake, key), plan="demo", today=EXAMPLE_TODAY)
    data = google(fake, key).read().get("Données calculées")
    assert data is not None
    # rename P6's actions away: P6 lists none, its first row says so
    backend = google(fake, key)
    snapshot = backend.read()
    actions = snapshot.get("Suivi des actions")
    assert actions is not None
    col = actions.grid[0].index("Période")
    for r, line in enumerate(actions.grid[1:], start=1):
        if len(line) > col and line[col] == "P6":
            fake.apply_edits(
                key,
                [{"set": {"range": f"'Suivi des actions'!{chr(65 + col)}{r + 1}",
                          "values": [["P5"]]}}],
            )  # fmt: skip
    run_sync(google(fake, key), plan="demo", today=EXAMPLE_TODAY)
    fake.apply_edits(key, [{"set": {"range": f"'{TAB}'!F2", "values": [["P6"]]}}])
    snapshot = google(fake, key).read()
    tab = snapshot.get(TAB)
    assert tab is not None
    assert tab.grid[15][0] == "Aucune action sur cette période."
    assert shown(tab.grid) == rendered(snapshot, EXAMPLE_TODAY)


# --- .xlsx -----------------------------------------------------------------------------


def example_xlsx(path: Path) -> Path:
    backend = XlsxBackend(path, create=True, backup=False)
    demo = example_plan(EXAMPLE_TODAY - timedelta(days=21), "fr")
    backend.write(scaffold_changes(backend.read(), "fr", demo, start=EXAMPLE_TODAY))
    return path


def synced_xlsx(tmp_path: Path, plan: str) -> tuple[Path, date]:
    if plan == "example":
        path, today = example_xlsx(tmp_path / "example.xlsx"), EXAMPLE_TODAY
    else:
        path, today = tmp_path / "worked.xlsx", WORKED
        build(path)
    run_sync(XlsxBackend(path, backup=False), plan=plan, today=today)
    return path, today


def pick(path: Path, name: str) -> None:
    """The user picks `name` in F2 (and saves; nothing recalculates)."""
    XlsxBackend(path, backup=False).write(ChangeSet(writes=(CellWrite(TAB, 1, 5, name),)))


def _as_scalar(value: CellValue) -> Scalar:
    if isinstance(value, date | datetime):
        return date_to_serial(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value if isinstance(value, str | bool) else None


def calculated(snapshot: Snapshot) -> list[list[CellValue]]:
    """The tab as a spreadsheet would calculate it: its formulas (as the file stores them)
    evaluated by the stand-in's formula engine over the values of the file."""
    grids = snapshot.grids()
    tab = snapshot.get(TAB)
    assert tab is not None

    def resolve(title: str | None, row: int, col: int) -> Scalar:
        grid = grids[title or TAB]
        if (title or TAB) == TAB and (row, col) in tab.formulas:
            return value_of(row, col)
        line = grid[row] if row < len(grid) else []
        return _as_scalar(line[col] if col < len(line) else None)

    def extent(title: str | None) -> int:
        return len(grids[title or TAB])

    def value_of(row: int, col: int) -> Scalar:
        return evaluate(tab.formulas[(row, col)], resolve, extent)

    grid = [list(line) for line in tab.grid]
    for row, col in tab.formulas:
        result = value_of(row, col)
        assert not isinstance(result, FormulaError), (row, col, result)
        while len(grid) <= row:
            grid.append([])
        grid[row].extend([None] * (col + 1 - len(grid[row])))
        grid[row][col] = None if result == "" else result
    return grid


@pytest.mark.parametrize("plan", ["example", "worked"])
def test_switching_f2_in_an_xlsx_recalculates_to_each_period(tmp_path, plan):
    path, today = synced_xlsx(tmp_path, plan)
    synced = XlsxBackend(path).read()
    tab = synced.get(TAB)
    assert tab is not None and tab.formulas  # the block is formulas...
    assert shown(tab.grid) == rendered(synced, today)  # ...cached for the current F2
    for name in periods(synced, today):
        pick(path, name)
        snapshot = XlsxBackend(path).read()
        # the formulas alone (no sync) give the period's block
        assert shown(calculated(snapshot)) == rendered(snapshot, today), name
        # and a sync leaves each formula as it is, with the period's figures cached
        run_sync(XlsxBackend(path, backup=False), plan=plan, today=today)
        after = XlsxBackend(path).read()
        block = {w: f for w, f in tab.formulas.items() if w != (1, 6)}  # G2: the auto note
        assert after.get(TAB).formulas == block  # type: ignore[union-attr]
        assert shown(after.get(TAB).grid) == rendered(after, today), name  # type: ignore[union-attr]
        again = run_sync(XlsxBackend(path, backup=False), plan=plan, today=today)
        assert again.report.writes.cells == 0


# LibreOffice recalculates every formula of an .xlsx when it opens it (profile setting).
_ALWAYS_RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def libreoffice_saves(files: list[Path], out: Path) -> None:
    """Open each file in LibreOffice headless (recalculating it) and save it as .xlsx."""
    assert SOFFICE is not None
    profile = out / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_ALWAYS_RECALCULATE)
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out),
         *map(str, files)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip


needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None and not os.environ.get("CI"),
    reason="LibreOffice (soffice) is not installed (CI installs it)",
)


@needs_libreoffice
def test_libreoffice_recalculates_the_block_for_each_period(tmp_path):
    picked: list[tuple[Path, str, date]] = []
    for plan in ("example", "worked"):
        (tmp_path / plan).mkdir()
        path, today = synced_xlsx(tmp_path / plan, plan)
        for i, name in enumerate(periods(XlsxBackend(path).read(), today)):
            copy = tmp_path / f"{plan}-{i}.xlsx"
            shutil.copy(path, copy)
            pick(copy, name)
            picked.append((copy, name, today))
    out = tmp_path / "lo"
    libreoffice_saves([p for p, _, _ in picked], out)
    for copy, name, today in picked:
        snapshot = XlsxBackend(out / copy.name).read()
        tab = snapshot.get(TAB)
        assert tab is not None and tab.grid[1][5] == name
        assert shown(tab.grid) == rendered(snapshot, today), (copy.name, name)


# --- Contrôles: each issue's cell links to it ---------------------------------------------
CHECKS = "Contrôles"


def test_checks_cells_link_to_their_cell_on_the_stand_in(fake, tmp_path):
    key = worked_on_google(fake, tmp_path)
    run_sync(google(fake, key), plan="p", today=WORKED)
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
    again = run_sync(google(fake, key), plan="p", today=WORKED).report.writes
    assert again.cells == 0 and again.requests == 1


def test_checks_cells_link_to_their_cell_in_a_workbook(tmp_path):
    path, today = synced_xlsx(tmp_path, "worked")
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
