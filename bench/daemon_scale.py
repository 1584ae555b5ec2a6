"""Benchmark: the daemon's cost at scale, with change detection through Drive.

Run: `python bench/daemon_scale.py [--plans 100,1000,10000] [--rates 0.01,0.10]
[--delays 0,180] [--cycles 3] [--seed 14]`. Prints one table; takes a few minutes.

For each number of plans × edit rate × Drive coalescing delay, real daemon parts (the
plan runners, the Drive changes feed, the SQLite history, the quota governor with the
default budget: 60 Sheets reads, 60 writes, 1,000 Drive requests a minute) talk real
HTTP to the stand-in, through `cycles` polling cycles of `every = 5m`:

- each cycle, a random `rate` of the plans is edited by "a user" at uniformly random
  moments of the cycle; at the end of the cycle the feed is polled once and every plan
  asks whether it must sync (the plans' jitter is left out: they poll together);
- then polls without edits follow until every edit has been recomputed (the drain).

**Time is simulated, honestly:** the clock (shared by the daemon side, the governor and the
stand-in's change journal) jumps from one event to the next (an edit, a poll) instead of
sleeping, runs at the real pace while work is done, and when the governor has no slot
left it moves forward to when one frees up instead of waiting. So a 180-s coalescing
delay and the Sheets quota cost no real time, yet a sync's duration and every quota wait
are in the latencies. Edit-to-recomputed latency is from the edit to the end of the sync
that covered it.

**The spreadsheets are one-tab stubs**, not full plans: 10,000 laid-out example plans
would need ~32 GB in the stand-in (3.2 MB each). A stub's sync reads it (one Sheets read)
and stops at the missing template tabs (outcome `errors`, nothing written), so the CPU
column is the daemon's own cost (feed, decisions, history, HTTP client) plus a small
read; a full plan's sync adds ~0.08 s and one write (`bench/run.py` measures that). Our
own writes triggering nothing is checked by `tests/test_daemon_changes.py` (200 full plans).

Columns: Sheets and Drive requests per edit cycle (from the stand-in's log), CPU per edit
cycle (this thread's CPU time: the daemon side, not the stand-in's), latency p50/p95, the
longest a poll's syncs took in simulated time (quota waits included), and whether that
fits in the 5-minute cycle (else the Sheets quota, not the daemon, is the bottleneck).

Each configuration starts after the previous one's change signals have all arrived (the
clock moves past the longest delay), since Drive lists a file's *current* state: a late
signal of an old edit would otherwise reveal a new one early.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from fakesheets import FakeSheets
from sheetpilot._backends.google.drive import DriveClient
from sheetpilot._config import config_from_dict
from sheetpilot._daemon.changes import ChangeFeed
from sheetpilot._daemon.governor import Governor, Kind
from sheetpilot._daemon.runner import PlanRunner
from sheetpilot._history import History

INTERVAL = 300.0  # every = "5m"
LONGEST_DELAY = 181.0  # seconds: more than any coalescing delay measured (the run stays
# within one day: no day-change syncs mix into the figures)
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday morning: no day change in the run


class SimTime:
    """A clock that runs at the real pace during work and jumps over idle time and waits."""

    def __init__(self, start: datetime) -> None:
        self.base = start.timestamp()
        self.anchor = time.perf_counter()

    def now(self) -> float:
        return self.base + (time.perf_counter() - self.anchor)

    def utc(self) -> datetime:
        return datetime.fromtimestamp(self.now(), UTC)

    def jump_to(self, moment: float) -> None:
        if moment > self.now():
            self.base, self.anchor = moment, time.perf_counter()

    def advance(self, seconds: float) -> None:
        self.base += seconds


class SimGovernor(Governor):
    """The governor, but a wait for a slot moves the simulated clock instead of sleeping."""

    def __init__(self, sim: SimTime) -> None:
        super().__init__(clock=sim.now)
        self.sim = sim

    def acquire(self, kind: Kind) -> float:
        waited = 0.0
        while True:
            delay = self.try_acquire(kind)
            if delay == 0.0:
                return waited
            self.sim.advance(delay)
            waited += delay


@dataclass
class Row:
    plans: int
    rate: float
    delay: float
    sheets: float
    drive: float
    cpu_ms: float
    p50: float
    p95: float
    drain: int
    edits: int
    busy: float  # the longest a poll's work took, in simulated seconds (quota waits included)


def stand_in(plans: int, sim: SimTime) -> tuple[FakeSheets, list[str]]:
    fake = FakeSheets(change_clock=sim.now).start()
    keys = [
        fake.create_spreadsheet(f"Plan {n}", sheets={"Feuille 1": [["notes"]]})
        for n in range(plans)
    ]
    return fake, keys


def one_run(
    fake: FakeSheets,
    keys: list[str],
    sim: SimTime,
    rate: float,
    delay: float,
    cycles: int,
    seed: int,
) -> Row:
    sim.advance(max(LONGEST_DELAY, delay + 1))  # earlier change signals have all arrived
    fake.change_delay = delay
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        config = config_from_dict(
            {
                "google": {"credentials": "none", "endpoint": fake.url},
                "plans": [
                    {"name": f"p{n}", "spreadsheet": key, "every": "5m"}
                    for n, key in enumerate(keys)
                ],
            },
            source=Path(tmp) / "sheetpilot.toml",
        )
        history = History(config.history_path)
        governor = SimGovernor(sim)
        drive = DriveClient(config.google, before_request=lambda: governor.acquire("drive"))
        feed = ChangeFeed(drive, history, clock=sim.now)
        runners = [
            PlanRunner(config, plan, governor=governor, history=history, clock=sim.utc, drive=drive)
            for plan in config.plans
        ]
        now = sim.utc()
        for n, key in enumerate(keys):  # a daemon that has synced every plan before
            history.record_sync(
                f"p{n}",
                key,
                version=fake.version(key),
                day=now.date(),
                when=now,
                reason="first-run",
            )
        feed.refresh(0.0)  # the feed's start token
        pending: dict[int, float] = {}
        latencies: list[float] = []
        sheets: list[int] = []
        drives: list[int] = []
        cpus: list[float] = []
        cycle_start = sim.now()
        drain = 0
        busy = 0.0
        for cycle in range(cycles + 1000):
            editing = cycle < cycles
            if not editing and not pending:
                break
            drain += 0 if editing else 1
            if editing:
                moments = sorted(
                    (cycle_start + rng.uniform(0, INTERVAL), n)
                    for n in rng.sample(range(len(keys)), round(rate * len(keys)))
                )
                for moment, n in moments:
                    sim.jump_to(moment)
                    fake.set_values(keys[n], "'Feuille 1'!A1", [[f"edit {cycle}"]])
                    pending.setdefault(n, moment)
            sim.jump_to(cycle_start + INTERVAL)
            cycle_start = max(cycle_start + INTERVAL, sim.now())
            poll_at = sim.now()
            mark = len(fake.log)
            cpu = time.thread_time()
            feed.refresh(0.0)
            for n, runner in enumerate(runners):
                reason = runner.due()
                if reason is None:
                    continue
                run = runner.run(reason)
                started = run.record.started.timestamp()
                if n in pending and pending[n] <= started:
                    latencies.append(started + run.record.duration - pending.pop(n))
            busy = max(busy, sim.now() - poll_at)
            if editing:
                cpus.append(time.thread_time() - cpu)
                entries = fake.log[mark:]
                sheets.append(sum(1 for e in entries if e.path.startswith("/v4/")))
                drives.append(sum(1 for e in entries if e.path.startswith("/drive/")))
        history.close()
        edits = round(rate * len(keys)) * cycles
    quantiles = (
        statistics.quantiles(latencies, n=20) if len(latencies) > 1 else [*latencies, 0.0] * 19
    )
    return Row(
        plans=len(keys),
        rate=rate,
        delay=delay,
        sheets=statistics.mean(sheets),
        drive=statistics.mean(drives),
        cpu_ms=statistics.mean(cpus) * 1000,
        p50=statistics.median(latencies) if latencies else 0.0,
        p95=quantiles[18],
        drain=drain,
        edits=edits,
        busy=busy,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", default="100,1000,10000")
    parser.add_argument("--rates", default="0.01,0.10")
    parser.add_argument("--delays", default="0,180")
    parser.add_argument("--cycles", type=int, default=3)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    console = Console(width=170)
    rows: list[Row] = []
    sim = SimTime(START)
    began = time.perf_counter()
    for plans in [int(p) for p in args.plans.split(",")]:
        fake, keys = stand_in(plans, sim)
        try:
            for rate in [float(r) for r in args.rates.split(",")]:
                for delay in [float(d) for d in args.delays.split(",")]:
                    rows.append(one_run(fake, keys, sim, rate, delay, args.cycles, args.seed))
                    console.print(
                        f"  done: {plans} plans, {rate:.0%} edited, delay {delay:g} s", style="dim"
                    )
        finally:
            fake.stop()
    table = Table(
        title=f"daemon at scale: every = 5m, default budget, {args.cycles} edit cycles (simulated time)"
    )
    for header in (
        "plans",
        "edited/cycle",
        "Drive delay",
        "Sheets req/cycle",
        "per edit",
        "Drive req/cycle",
        "CPU/cycle",
        "p50 edit→recomputed",
        "p95",
        "p95 goal",
        "longest poll",
        "kept up",
    ):
        table.add_column(header, justify="right")
    for r in rows:
        edited = r.rate * r.plans
        goal = r.delay + INTERVAL + 10
        table.add_row(
            f"{r.plans:,}",
            f"{edited:,.0f} ({r.rate:.0%})",
            f"{r.delay:g} s",
            f"{r.sheets:,.0f}",
            f"{r.sheets / edited:.2f}" if edited else "—",
            f"{r.drive:,.0f}",
            f"{r.cpu_ms:,.0f} ms",
            f"{r.p50:,.0f} s",
            f"{r.p95:,.0f} s",
            ("≤ " if r.p95 <= goal else "> ") + f"{goal:g} s",
            f"{r.busy:,.0f} s",
            "yes" if r.busy <= INTERVAL else "no: quota-bound",
        )
    console.print(table)
    console.print(
        f"Sheets quota: 60 reads a minute = {60 * INTERVAL / 60:.0f} per 5-minute cycle for one service account. "
        f"Ran in {time.perf_counter() - began:.0f} s of real time."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
