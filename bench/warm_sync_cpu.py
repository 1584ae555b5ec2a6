"""Client CPU per sync in a warm process (what a daemon spends per plan), on Google.

Run: `python bench/warm_sync_cpu.py [--actions 500] [--reps 5]`. Prints a table.

One process keeps running syncs of the same generated plan (`generated_plan.py`) laid on the
offline stand-in, as the daemon does: after a warm-up sync, `--reps` syncs with nothing
changed and `--reps` syncs after one edited status. The CPU figure is `time.thread_time()`
of the thread that syncs: the stand-in answers from its own server threads, so its work
(building the answer, evaluating formulas) is not counted; decoding the answer, parsing,
computing, rendering and diffing are. Medians.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generated_plan import TODAY, generated_grids
from bench.sync_bytes import mark_done
from fakesheets import FakeSheets
from sheetpilot._backends.google import GoogleBackend
from sheetpilot._config import GoogleConfig
from sheetpilot._sync import run_sync


def _sync(fake: FakeSheets, key: str) -> tuple[float, float, int]:
    backend = GoogleBackend(key, GoogleConfig(credentials="none", endpoint=fake.url))
    cpu, wall = time.thread_time(), time.perf_counter()
    outcome = run_sync(backend, plan="bench", today=TODAY, locale="fr")
    return time.thread_time() - cpu, time.perf_counter() - wall, outcome.report.writes.requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=500)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    rows: list[tuple[str, float, float, int]] = []
    with FakeSheets() as fake:
        key = fake.create_spreadsheet("Bench", sheets=generated_grids(args.actions))
        _sync(fake, key)  # the first sync lays the tool tabs
        _sync(fake, key)  # warm: imports, catalogs, caches
        for scenario in ("no change", "one edit"):
            cpus, walls, requests = [], [], 0
            for _ in range(args.reps):
                if scenario == "one edit":
                    mark_done(fake, key)
                cpu, wall, requests = _sync(fake, key)
                cpus.append(cpu)
                walls.append(wall)
            rows.append((scenario, statistics.median(cpus), statistics.median(walls), requests))
    table = Table(title=f"Warm process, {args.actions} actions, Google stand-in, {args.reps} reps")
    for column in ("scenario", "client CPU per sync", "wall per sync", "requests"):
        table.add_column(column, justify="left" if column == "scenario" else "right")
    for scenario, cpu, wall, requests in rows:
        table.add_row(scenario, f"{cpu * 1000:.0f} ms", f"{wall * 1000:.0f} ms", str(requests))
    Console().print(table)


if __name__ == "__main__":
    main()
