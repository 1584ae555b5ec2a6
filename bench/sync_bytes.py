"""Benchmark: bytes and cells per sync on Google, per scenario, from the stand-in's log.

Run: `python bench/sync_bytes.py [--actions 30 5000] [--latency-ms 100]`. Prints a table.

For each plan (30: the example plan; any other number: the generated plan of
`generated_plan.py`), on its own copy laid on the offline stand-in, three syncs in fresh
backends: the first sync, a sync with nothing changed, and a sync after one user edit (the
first open action of the backlog marked done). For each: requests, bytes read as served
(gzip when the client asks for it, as Google does) and decoded (the JSON the client
parses), cells written and bytes sent, and the wall time, split into the client's own
CPU and the rest (the stand-in building its answers, in the same process here, plus
waiting). With `--latency-ms`, every request is delayed that long by the stand-in, as
a round trip to Google would be.
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
from sheetpilot._cells import col_letter
from sheetpilot._config import GoogleConfig
from sheetpilot._sync import run_sync

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.generated_plan import TODAY, generated_grids
from bench.run import new_google_plan

EXAMPLE_TODAY = date(2026, 3, 18)


def lay(fake: FakeSheets, actions: int) -> tuple[str, date]:
    if actions == 30:
        return new_google_plan(fake), EXAMPLE_TODAY
    return fake.create_spreadsheet("Bench", sheets=generated_grids(actions)), TODAY


def mark_done(fake: FakeSheets, key: str) -> None:
    """The user marks the first open action (not the first row) as done."""
    grid = fake.values(key, "Suivi des actions")
    status = grid[0].index("Statut")
    for r, row in enumerate(grid[1:], start=2):
        if r > 3 and len(row) > status and row[status] in ("À faire", "En cours"):
            fake.set_values(key, f"'Suivi des actions'!{col_letter(status)}{r}", [["Terminé"]])
            return


def one_sync(fake: FakeSheets, key: str, today: date, latency_ms: int) -> dict[str, float]:
    fake.reset()
    if latency_ms:
        fake.inject(delay_ms=latency_ms, count=None)
    backend = GoogleBackend(key, GoogleConfig(credentials="none", endpoint=fake.url))
    cpu, wall = time.process_time(), time.perf_counter()
    outcome = run_sync(backend, plan="bench", today=today, locale="fr")
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu
    log = fake.log
    fake.reset()
    reads = [e for e in log if e.method == "GET"]
    writes = [e for e in log if e.method != "GET"]
    return {
        "requests": len(log),
        "read_wire": sum(e.response_bytes for e in reads),
        "read_decoded": sum(e.decoded_bytes for e in reads),
        "cells": outcome.report.writes.cells,
        "sent": sum(e.request_bytes for e in writes),
        "wall": wall,
        "cpu": cpu,
    }


def _size(n: float) -> str:
    if n >= 1e6:
        return f"{n / 1e6:.2f} MB"
    if n >= 1e3:
        return f"{n / 1e3:.1f} KB"
    return f"{int(n)} B"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, nargs="+", default=[30, 5000])
    parser.add_argument("--latency-ms", type=int, default=0)
    args = parser.parse_args()
    table = Table(title="Bytes and cells per sync on Google (offline stand-in's log)")
    for column in (
        "actions",
        "scenario",
        "requests",
        "read (served)",
        "read (decoded)",
        "cells written",
        "bytes sent",
        "wall",
        "process CPU",
    ):
        table.add_column(column, justify="left" if column == "scenario" else "right")
    with FakeSheets() as fake:
        for n in args.actions:
            key, today = lay(fake, n)
            rows = [("first", one_sync(fake, key, today, args.latency_ms))]
            rows.append(("no change", one_sync(fake, key, today, args.latency_ms)))
            mark_done(fake, key)
            rows.append(("one edit", one_sync(fake, key, today, args.latency_ms)))
            for label, m in rows:
                table.add_row(
                    str(n),
                    label,
                    str(int(m["requests"])),
                    _size(m["read_wire"]),
                    _size(m["read_decoded"]),
                    f"{int(m['cells']):,}",
                    _size(m["sent"]),
                    f"{m['wall']:.2f} s",
                    f"{m['cpu']:.2f} s",
                )
    Console(width=140).print(table)
    print(
        "process CPU includes the stand-in's threads (same process): the client's own share "
        "is at most that figure; bench/run.py --latency-ms shows fresh processes side by side"
    )


if __name__ == "__main__":
    main()
