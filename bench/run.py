"""Benchmarks: API economy and speed of a sync, against the compared approaches.

Run: `python bench/run.py [--reps N] [--latency-ms MS]` (or `make bench`). Prints tables.

Google (real gspread over real HTTP to the offline stand-in, the example plan of 30 actions):
  sheetpilot   one batched read (spreadsheets.get with grid data), one batchUpdate of the
               changed cells only;
  per-tab      what a gspread script usually does: open (metadata), get_all_values per input
               tab, then clear + update every tool-owned tab and update each computed column;
  cell-by-cell the same reads, then one update_cell per changed cell.
Each approach runs three scenarios on its own copy of the plan: the first sync, a sync after
one user edit (an action marked done), and a sync with nothing changed. Requests and cells
written are counted exactly from the stand-in's request log; times are medians over the reps,
shown as ratios to sheetpilot measured side by side in the same run (the machine is shared).

xlsx (a real workbook on disk): sheetpilot's no-change sync and one-edit sync versus a full
rewrite (load, rewrite every tool-owned tab, save), same ratios.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from fakesheets import FakeSheets
from sheetpilot._backends.google import GoogleBackend
from sheetpilot._backends.xlsx import XlsxBackend
from sheetpilot._cells import col_letter, date_to_serial
from sheetpilot._compute import compute_plan
from sheetpilot._config import GoogleConfig
from sheetpilot._diff import diff
from sheetpilot._example import example_plan
from sheetpilot._parse import parse_plan
from sheetpilot._render import render
from sheetpilot._scaffold import scaffold_changes
from sheetpilot._sync import run_sync
from sheetpilot._template import ACTIONS, find_tab

TODAY = date(2026, 3, 18)
START = TODAY - timedelta(days=TODAY.weekday()) - timedelta(days=21)
console = Console(width=130)


# --- the plan on the stand-in ---------------------------------------------------------------
def new_google_plan(fake: FakeSheets) -> str:
    key = fake.create_spreadsheet("Plan d'actions marketing", sheets={"Feuille 1": [[]]})
    backend = GoogleBackend(key, GoogleConfig(credentials="none", endpoint=fake.url))
    backend.write(scaffold_changes(backend.read(), "fr", example_plan(START, "fr"), start=START))
    return key


def user_edit(fake: FakeSheets, key: str) -> None:
    """The user marks the first open action as done (one cell)."""
    grid = fake.values(key, "Suivi des actions")
    header = grid[0]
    status = header.index("Statut")
    for r, row in enumerate(grid[1:], start=2):
        if len(row) > status and row[status] in ("À faire", "En cours"):
            fake.set_values(key, f"'Suivi des actions'!{col_letter(status)}{r}", [["Terminé"]])
            return


def sheetpilot_sync(fake: FakeSheets, key: str) -> None:
    backend = GoogleBackend(key, GoogleConfig(credentials="none", endpoint=fake.url))
    run_sync(backend, plan="bench", today=TODAY)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return date_to_serial(value)
    return "" if value is None else value


def per_tab_sync(fake: FakeSheets, key: str, *, cell_by_cell: bool = False) -> None:
    """A typical gspread script: one request per tab read, whole tabs (or cells) rewritten."""
    gc = fake.gspread_client()
    book = gc.open_by_key(key)  # 1 request: metadata
    worksheets = {ws.title: ws for ws in book.worksheets()}
    grids: dict[str, Any] = {}
    for title, ws in worksheets.items():  # one request per tab
        grids[title] = ws.get_all_values(value_render_option="UNFORMATTED_VALUE")
    plan = parse_plan(grids)
    result = compute_plan(plan, TODAY)
    rendered = render(plan, result, list(worksheets))
    if cell_by_cell:
        from sheetpilot._workbook import Snapshot, TabData

        snapshot = Snapshot(tuple(TabData(t, g) for t, g in grids.items()))
        for w in diff(snapshot, rendered).writes:
            ws = worksheets.get(w.sheet) or book.add_worksheet(w.sheet, rows=200, cols=20)
            worksheets[w.sheet] = ws
            ws.update_cell(w.row + 1, w.col + 1, _plain(w.value))
        return
    for tab in rendered.tabs:
        ws = worksheets.get(tab.title) or book.add_worksheet(tab.title, rows=200, cols=20)
        ws.clear()
        rows = [[_plain(tab.value(r, c)) for c in range(tab.cols)] for r in range(tab.rows)]
        ws.update(rows, "A1", raw=True)
    actions = worksheets[find_tab(worksheets, ACTIONS) or "Suivi des actions"]
    by_column: dict[int, list[Any]] = {}
    for w in rendered.input_writes:
        if w.sheet == actions.title:
            by_column.setdefault(w.col, []).append((w.row, _plain(w.value)))
    for col, cells in by_column.items():
        top = min(r for r, _ in cells)
        bottom = max(r for r, _ in cells)
        column = [[""] for _ in range(bottom - top + 1)]
        for r, v in cells:
            column[r - top] = [v]
        actions.update(column, f"{col_letter(col)}{top + 1}", raw=True)
    for w in rendered.input_writes:
        if w.sheet != actions.title:
            worksheets[w.sheet].update_cell(w.row + 1, w.col + 1, _plain(w.value))


APPROACHES: dict[str, Callable[[FakeSheets, str], None]] = {
    "sheetpilot": sheetpilot_sync,
    "per-tab": per_tab_sync,
    "cell-by-cell": lambda fake, key: per_tab_sync(fake, key, cell_by_cell=True),
}
SCENARIOS = ("first sync", "one edit", "no change")


def cells_written(fake: FakeSheets, since: int) -> tuple[int, int]:
    """(write requests, bytes sent) from the stand-in's log since an index."""
    entries = fake.log[since:]
    writes = [e for e in entries if e.method in ("POST", "PUT")]
    return len(writes), sum(e.request_bytes for e in entries)


def google_bench(reps: int, latency_ms: int) -> None:
    figures: dict[tuple[str, str], dict[str, float]] = {}
    with FakeSheets() as fake:
        if latency_ms:
            fake.inject(delay_ms=latency_ms, count=None)
        for rep in range(reps):
            for name, approach in APPROACHES.items():
                key = new_google_plan(fake)
                for scenario in SCENARIOS:
                    if scenario == "one edit":
                        user_edit(fake, key)
                    start = len(fake.log)
                    t0 = time.perf_counter()
                    approach(fake, key)
                    elapsed = time.perf_counter() - t0
                    requests = len(fake.log) - start
                    writes, sent = cells_written(fake, start)
                    row = figures.setdefault((name, scenario), {"times": []})  # type: ignore[dict-item]
                    row["times"].append(elapsed)  # type: ignore[attr-defined]
                    if rep == 0:
                        row.update(requests=requests, writes=writes, bytes=sent)
    table = Table(title=f"Google (stand-in, {latency_ms} ms latency per request), {reps} reps")
    for column in (
        "scenario",
        "approach",
        "requests",
        "write req.",
        "bytes sent",
        "median time",
        "× sheetpilot",
    ):
        table.add_column(column, justify="left" if column in ("scenario", "approach") else "right")
    for scenario in SCENARIOS:
        base = statistics.median(figures[("sheetpilot", scenario)]["times"])  # type: ignore[arg-type]
        for name in APPROACHES:
            f = figures[(name, scenario)]
            median = statistics.median(f["times"])  # type: ignore[arg-type]
            table.add_row(
                scenario,
                name,
                str(f["requests"]),
                str(f["writes"]),
                f"{f['bytes']:,}",
                f"{median * 1000:.0f} ms",
                f"{median / base:.2f}",
            )
    console.print(table)


# --- xlsx ---------------------------------------------------------------------------------
def xlsx_full_rewrite(path: Path) -> None:
    """Load, rewrite every tool-owned tab whole, save: what a naive script does."""
    import openpyxl

    backend = XlsxBackend(path)
    snapshot = backend.read()
    plan = parse_plan(snapshot.grids())
    rendered = render(plan, compute_plan(plan, TODAY), snapshot.titles)
    wb = openpyxl.load_workbook(path)
    for tab in rendered.tabs:
        if tab.title in wb.sheetnames:
            del wb[tab.title]
        ws = wb.create_sheet(tab.title)
        for (r, c), target in tab.cells.items():
            ws.cell(r + 1, c + 1, target.value)
    wb.save(path)


def xlsx_bench(reps: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        seed = Path(tmp) / "seed.xlsx"
        backend = XlsxBackend(seed, create=True)
        backend.write(
            scaffold_changes(backend.read(), "fr", example_plan(START, "fr"), start=START)
        )
        run_sync(XlsxBackend(seed), plan="bench", today=TODAY)
        times: dict[str, list[float]] = {"sheetpilot (no change)": [], "full rewrite": []}
        for _ in range(reps):
            for name in times:
                path = Path(tmp) / "plan.xlsx"
                shutil.copy(seed, path)
                t0 = time.perf_counter()
                if name == "full rewrite":
                    xlsx_full_rewrite(path)
                else:
                    run_sync(XlsxBackend(path), plan="bench", today=TODAY)
                times[name].append(time.perf_counter() - t0)
    base = statistics.median(times["sheetpilot (no change)"])
    table = Table(title=f"Local workbook (example plan), {reps} reps")
    for column in ("approach", "median time", "× sheetpilot"):
        table.add_column(column, justify="left" if column == "approach" else "right")
    for name, values in times.items():
        median = statistics.median(values)
        table.add_row(name, f"{median * 1000:.0f} ms", f"{median / base:.2f}")
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument(
        "--latency-ms",
        type=int,
        default=20,
        help="delay the stand-in adds to every request (Google's is ~100 ms+)",
    )
    args = parser.parse_args(argv)
    google_bench(args.reps, 0)
    if args.latency_ms:
        google_bench(max(1, args.reps // 2), args.latency_ms)
    xlsx_bench(args.reps)
    return 0


if __name__ == "__main__":
    sys.exit(main())
