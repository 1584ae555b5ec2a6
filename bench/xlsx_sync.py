"""Benchmark: `sheetpilot sync` of a local workbook, as whole processes, today vs 0.1.0.

Run: `python bench/xlsx_sync.py [--sizes 1000 5000] [--reps 3]`. Prints a table.

For each plan size (actions in `Suivi des actions`, built from the example plan repeated,
over 6 periods), each approach syncs its own copy once, then is timed on:
  no change  `sheetpilot sync` when nothing changed since the last sync;
  one edit   the same after one user edit (the first open action marked done).
Each run is a whole `sheetpilot sync` process (interpreter start-up and imports
included), as a user or a cron job meets it. Times are medians over the reps (and the
best run, a steadier figure on a shared machine); ratios are of medians, to today's
backend measured side by side in the same run.

  sheetpilot    today's backend: python-calamine read, part-by-part package writer;
  openpyxl 0.1  sheetpilot 0.1.0's backend (openpyxl load and save), vendored in
                `bench/_openpyxl_xlsx.py`, run through the same CLI.

"rewritten" says whether a no-change sync replaced the file (it must not).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table

from sheetpilot._backends.xlsx import XlsxBackend
from sheetpilot._cells import Grid
from sheetpilot._example import ExamplePlan, example_plan
from sheetpilot._scaffold import scaffold_changes
from sheetpilot._template import ACTIONS
from sheetpilot._workbook import CellWrite, ChangeSet

TODAY = date(2026, 3, 18)
START = TODAY - timedelta(days=TODAY.weekday()) - timedelta(days=21)
HERE = Path(__file__).resolve().parent
console = Console(width=120)

# Run the CLI with 0.1.0's openpyxl backend in place of today's.
_OLD_CLI = (
    "import sys; sys.path.insert(0, {here!r}); import _openpyxl_xlsx as old; "
    "import sheetpilot._backends.xlsx as xlsx; "
    "xlsx.XlsxBackend = lambda path, create=False, backup=True: old.XlsxBackend(path, create=create); "
    "from sheetpilot._cli import main; sys.argv = ['sheetpilot', *sys.argv[1:]]; main()"
)


def scaled_plan(actions: int) -> ExamplePlan:
    """The example plan with its 30 actions repeated until there are `actions` of them."""
    base = example_plan(START, "fr")
    head, *rows = base.grids["actions"]
    id_col, dep_col = 0, head.index("Dépend de")
    grid: Grid = [head]
    for n in range(actions):
        block, row = divmod(n, len(rows))
        line = list(rows[row])
        line[id_col] = f"A-{block:03d}{row:02d}"
        deps = line[dep_col]
        if isinstance(deps, str):
            line[dep_col] = ", ".join(
                f"A-{block:03d}{int(d.strip()[2:]) - 1:02d}" for d in deps.split(",")
            )
        grid.append(line)
    return ExamplePlan(START, "fr", {**base.grids, "actions": grid})


def build(path: Path, actions: int) -> None:
    backend = XlsxBackend(path, create=True, backup=False)
    backend.write(scaffold_changes(backend.read(), "fr", scaled_plan(actions), start=START))


def user_edit(path: Path) -> None:
    """The user marks the first open action as done (one cell)."""
    snapshot = XlsxBackend(path).read()
    grid = snapshot.grids()[ACTIONS.label("fr")]
    status = grid[0].index("Statut")
    for r, row in enumerate(grid[1:], start=1):
        if len(row) > status and row[status] in ("À faire", "En cours"):
            change = CellWrite(ACTIONS.label("fr"), r, status, "Terminé")
            XlsxBackend(path, backup=False).write(ChangeSet(writes=(change,)))
            return


def command(approach: str, path: Path) -> list[str]:
    args = ["sync", str(path), "--today", TODAY.isoformat()]
    if approach == "sheetpilot":
        return [str(Path(sys.executable).with_name("sheetpilot")), *args]
    return [sys.executable, "-c", _OLD_CLI.format(here=str(HERE)), *args]


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t0
    finished = "Up to date" in done.stdout or "Wrote " in done.stdout
    if done.returncode not in (0, 1) or not finished:
        raise SystemExit(f"{' '.join(cmd[:2])} failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed


def bench(sizes: list[int], reps: int) -> None:
    approaches = ("sheetpilot", "openpyxl 0.1")
    table = Table(title=f"Local sync as whole processes, median of {reps} (today {TODAY})")
    columns = ("actions", "scenario", "sheetpilot", "best", "openpyxl 0.1", "best ", "× sheetpilot")
    for column in (*columns, "rewritten"):
        table.add_column(column, justify="left" if column in ("scenario",) else "right")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            seed = Path(tmp) / f"seed-{size}.xlsx"
            build(seed, size)
            synced: dict[str, Path] = {}
            for approach in approaches:
                path = Path(tmp) / f"{approach.split()[0]}-{size}-synced.xlsx"
                shutil.copy(seed, path)
                timed(command(approach, path))  # the first sync fills the tool tabs
                synced[approach] = path
            results: dict[tuple[str, str], list[float]] = {}
            rewritten: dict[str, bool] = {}
            for _ in range(reps):
                for approach in approaches:
                    work = Path(tmp) / "work.xlsx"
                    shutil.copy(synced[approach], work)
                    os.utime(work, ns=(1_000_000_000, 1_000_000_000))
                    before = work.read_bytes()
                    results.setdefault((approach, "no change"), []).append(
                        timed(command(approach, work))
                    )
                    changed = (
                        work.stat().st_mtime_ns != 1_000_000_000 or work.read_bytes() != before
                    )
                    rewritten[approach] = rewritten.get(approach, False) or changed
                    user_edit(work)
                    results.setdefault((approach, "one edit"), []).append(
                        timed(command(approach, work))
                    )
                    work.unlink()
            for scenario in ("no change", "one edit"):
                ours = statistics.median(results[("sheetpilot", scenario)])
                old = statistics.median(results[("openpyxl 0.1", scenario)])
                table.add_row(
                    f"{size:,}",
                    scenario,
                    f"{ours:.2f} s",
                    f"{min(results[('sheetpilot', scenario)]):.2f} s",
                    f"{old:.2f} s",
                    f"{min(results[('openpyxl 0.1', scenario)]):.2f} s",
                    f"{old / ours:.1f}",
                    "/".join(("yes" if rewritten[a] else "no") for a in approaches)
                    if scenario == "no change"
                    else "",
                )
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args(argv)
    bench(args.sizes, args.reps)
    return 0


if __name__ == "__main__":
    sys.exit(main())
