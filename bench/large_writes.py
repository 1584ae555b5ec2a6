"""Benchmark: the first sync of large plans on Google, written in requests of at most 2 MB.

Run: `python bench/large_writes.py [--actions 1000 5000 10000]`. Prints a table.

For each plan size, a first sync (real gspread over real HTTP to the offline stand-in) is
measured twice, on its own copy of the plan: with sheetpilot's 2 MB cap (Google's
recommended maximum payload) and with the cap lifted (everything in ONE batchUpdate, as
before the split). Requests and bytes come from the stand-in's request log; times are shown
as ratios to the capped sync measured side by side (the machine is shared). The stand-in is
much slower than Google on large spreadsheets: read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.table import Table

from fakesheets import FakeSheets
from sheetpilot._backends.google import GoogleBackend
from sheetpilot._backends.google.write import MAX_REQUEST_BYTES
from sheetpilot._config import GoogleConfig
from sheetpilot._sync import run_sync

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.plan_builders import action, actions_grid, plan_grids

TODAY = date(2026, 1, 12)


def plan(n: int) -> dict:
    rows = [
        action(id=f"A-{i:05d}", status="À faire", title=f"Action numéro {i} du plan",
               priority=("P1", "P2", "P3")[i % 3], owner=("Alice", "Bruno")[i % 2],
               estimate=1 + i % 3, period=("P1", "P2", "P3")[i % 3], target_result="R1",
               depends_on=f"A-{i - 1:05d}" if i % 5 else None)
        for i in range(1, n + 1)
    ]  # fmt: skip
    return {**plan_grids(), "Suivi des actions": actions_grid(*rows)}


def first_sync(fake: FakeSheets, n: int, cap: int) -> tuple[int, int, int, float]:
    """(write requests, largest write body, bytes sent, seconds) of one first sync."""
    key = fake.create_spreadsheet("Bench", sheets=plan(n))
    fake.reset()
    backend = GoogleBackend(key, GoogleConfig(credentials="none", endpoint=fake.url))
    backend.max_request_bytes = cap
    started = time.perf_counter()
    run_sync(backend, plan="bench", today=TODAY, locale="fr")
    took = time.perf_counter() - started
    writes = [e for e in fake.log if e.method == "POST"]
    with fake.store.lock:
        del fake.store.spreadsheets[key]
    return (
        len(writes),
        max(e.request_bytes for e in writes),
        sum(e.request_bytes for e in writes),
        took,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, nargs="+", default=[1000, 5000, 10000])
    args = parser.parse_args()
    table = Table(title="First sync of a large plan on Google (offline stand-in)")
    for column in ("actions", "writes", "requests", "largest request", "bytes sent", "time", "×"):
        table.add_column(column, justify="left" if column == "writes" else "right")
    with FakeSheets() as fake:
        for n in args.actions:
            capped = first_sync(fake, n, MAX_REQUEST_BYTES)
            whole = first_sync(fake, n, 10**12)
            for label, (requests, largest, sent, took) in (
                ("split at 2 MB", capped),
                ("one request", whole),
            ):
                table.add_row(
                    f"{n:,}", label, str(requests), f"{largest / 1e6:.2f} MB",
                    f"{sent / 1e6:.2f} MB", f"{took:.1f} s", f"{took / capped[3]:.2f}",
                )  # fmt: skip
    Console().print(table)


if __name__ == "__main__":
    main()
