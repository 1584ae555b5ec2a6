"""Soak benchmark of the sync daemon: issue 5's "done means", measured and checked.

Run: `python bench/daemon_soak.py [--plans 20] [--minutes 3] [--every 20s]
[--reads-per-minute 60] [--writes-per-minute 60] [--tight]`.

What it does:
- starts the offline Sheets stand-in (FakeSheets) in this process and lays the example plan
  into N-1 spreadsheets through the real Google backend; plan N points at a key that does
  not exist (the broken plan);
- writes a TOML configuration in a temp dir and runs `sheetpilot daemon --config …
  --log-format json` as a subprocess: the daemon reaches the stand-in over real HTTP;
- plays the users: every ~30 s it changes one status cell in a few spreadsheets, so that
  syncs have something to write;
- after --minutes sends SIGTERM, and times the shutdown;
- prints per plan (from `sheetpilot status --json`, the run history and the stand-in's
  request log) and overall figures, then a PASS/FAIL line per claim:
    every good plan synced at its first run and then only after edits (change detection:
    a poll with nothing changed costs no Sheets request), the broken plan failed and backed
    off, no 60-second window (as the stand-in saw the Sheets requests arrive) went over the
    budget, a good sync is 1 request when nothing changed and 2 when something did, status
    tells the story, and SIGTERM ended the daemon cleanly (exit 0).
`--tight` lowers the read budget to 30 per minute and makes the users edit every good plan
every 20 s (57 edits a minute, more than the budget): the governor must make syncs wait,
and the busiest window must still stay within 30.

Exit code: 0 when every claim passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import itertools
import json
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from fakesheets import FakeSheets, LogEntry, most_in_window
from sheetpilot._backends.google import GoogleBackend
from sheetpilot._cells import col_letter
from sheetpilot._config import GoogleConfig, parse_every
from sheetpilot._daemon.runner import backoff_delay
from sheetpilot._example import example_plan
from sheetpilot._history import RunRecord, read_runs
from sheetpilot._scaffold import scaffold_changes

MISSING_KEY = "1" * 44  # the shape of a spreadsheet key; no such spreadsheet
ACTIONS_TAB = "Suivi des actions"
STATUSES = ("À faire", "En cours", "Terminé")
CLI = "from sheetpilot._cli import main; main()"
console = Console(width=140)


# --- the stand-in's spreadsheets and the users editing them ----------------------------------
def lay_plan(fake: FakeSheets, start: date) -> str:
    key = fake.create_spreadsheet("Plan d'actions marketing")
    backend = GoogleBackend(key, GoogleConfig(credentials="none", endpoint=fake.url))
    backend.write(scaffold_changes(backend.read(), "fr", example_plan(start, "fr"), start=start))
    return key


class Users(threading.Thread):
    """Every `every` seconds, change one action's status in `per_round` spreadsheets (round
    robin), as a user would in the browser. Edits go straight into the stand-in's store."""

    def __init__(self, fake: FakeSheets, keys: list[str], every: float, per_round: int) -> None:
        super().__init__(name="users", daemon=True)
        self.fake, self.keys, self.every, self.per_round = fake, keys, every, per_round
        self.edits: Counter[str] = Counter()
        self.last_edit_at: dict[str, float] = {}
        self.last_edit_wall: dict[str, float] = {}  # time.time() of each plan's last edit
        self._stop_event = threading.Event()
        self._turn = 0

    def edit(self, key: str) -> None:
        grid = self.fake.values(key, ACTIONS_TAB)
        status = grid[0].index("Statut")
        rows = [r for r, row in enumerate(grid[1:], start=2) if len(row) > status and row[status]]
        row = rows[(self.edits[key] * 7) % len(rows)]
        current = grid[row - 1][status]
        new = STATUSES[(STATUSES.index(current) + 1) % 3 if current in STATUSES else 0]
        self.fake.set_values(key, f"'{ACTIONS_TAB}'!{col_letter(status)}{row}", [[new]])
        self.edits[key] += 1
        self.last_edit_at[key] = time.monotonic()
        self.last_edit_wall[key] = time.time()

    def run(self) -> None:
        while not self._stop_event.wait(self.every):
            for _ in range(self.per_round):
                self.edit(self.keys[self._turn % len(self.keys)])
                self._turn += 1

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


# --- the daemon as a subprocess --------------------------------------------------------------
def write_config(
    folder: Path, fake: FakeSheets, plans: dict[str, str], every: str, reads: int, writes: int
) -> Path:
    lines = [
        "[google]",
        'credentials = "none"',
        f'endpoint = "{fake.url}"',
        "",
        "[daemon]",
        'history = "history.sqlite"',
        f"reads_per_minute = {reads}",
        f"writes_per_minute = {writes}",
        'timezone = "UTC"',
    ]
    for name, key in plans.items():
        lines += [
            "",
            "[[plans]]",
            f'name = "{name}"',
            f'spreadsheet = "{key}"',
            f'every = "{every}"',
        ]
    path = folder / "sheetpilot.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CLI, *args], capture_output=True, text=True, check=False
    )


@dataclass
class DaemonRun:
    exit_code: int
    shutdown_seconds: float
    started_at: float  # monotonic, this process (the stand-in's clock too)
    stopped_at: float
    log_lines: list[dict[str, Any]] = field(default_factory=list)
    stray_lines: list[str] = field(default_factory=list)


def run_daemon(config: Path, seconds: float, users: Users) -> DaemonRun:
    err_path = config.parent / "daemon.log"
    with err_path.open("w", encoding="utf-8") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", CLI, "daemon", "--config", str(config), "--log-format", "json"],
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        started = time.monotonic()
        users.start()
        deadline = started + seconds
        with console.status("") as spinner:
            while (left := deadline - time.monotonic()) > 0 and proc.poll() is None:
                spinner.update(f"soaking: {left:.0f}s left, {sum(users.edits.values())} edits")
                time.sleep(min(left, 1.0))
        users.stop()
        if proc.poll() is not None:
            console.print(f"[red]the daemon exited early with {proc.returncode}[/]")
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
        stopped = time.monotonic()
    lines: list[dict[str, Any]] = []
    stray: list[str] = []
    for text in err_path.read_text(encoding="utf-8").splitlines():
        try:
            lines.append(json.loads(text))
        except json.JSONDecodeError:
            stray.append(text)
    return DaemonRun(code, stopped - sent, started, stopped, lines, stray)


# --- figures ---------------------------------------------------------------------------------
def is_read(entry: LogEntry) -> bool:
    return entry.method == "GET"


def for_key(entries: list[LogEntry], key: str) -> list[LogEntry]:
    return [e for e in entries if f"/{key}" in e.path]


def gaps(records: list[RunRecord]) -> list[float]:
    starts = sorted(r.started.timestamp() for r in records)
    return [b - a for a, b in itertools.pairwise(starts)]


@dataclass
class Claim:
    text: str
    ok: bool
    evidence: str


def soak(args: argparse.Namespace) -> bool:
    every = parse_every(args.every)
    reads_budget = 30 if args.tight else args.reads_per_minute
    writes_budget = args.writes_per_minute
    today = date.today()
    start = today - timedelta(days=today.weekday()) - timedelta(days=21)
    names = [f"plan-{i:02d}" for i in range(1, args.plans)] + ["broken"]
    with FakeSheets() as fake, tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        folder = Path(tmp)
        keys = [lay_plan(fake, start) for _ in range(args.plans - 1)]
        plans = dict(zip(names, [*keys, MISSING_KEY], strict=True))
        config = write_config(folder, fake, plans, args.every, reads_budget, writes_budget)
        fake.reset()  # count only the daemon's requests
        if args.tight:  # more edits than the budget: every good plan every 20 s
            args.edit_every, args.edits_per_round = 20.0, len(keys)
        users = Users(fake, keys, args.edit_every, args.edits_per_round)
        mode = "tight" if args.tight else "default"
        console.print(
            f"[bold]daemon soak[/] ({mode} budget): {args.plans} plans ({args.plans - 1} good, "
            f"1 broken) every {args.every} for {args.minutes:g} min, budget {reads_budget} "
            f"reads + {writes_budget} writes per minute; users change {args.edits_per_round} "
            f"status cells every {args.edit_every:g}s"
        )
        daemon = run_daemon(config, args.minutes * 60, users)
        everything = fake.log
        entries = [e for e in everything if e.path.startswith("/v4/")]  # Sheets requests
        args.drive_requests = len(everything) - len(entries)  # change detection (Drive)
        status = cli("status", "--config", str(config), "--json")
        rows = {r["plan"]: r for r in json.loads(status.stdout)} if status.returncode == 0 else {}
        history = {n: read_runs(folder / "history.sqlite", n, limit=10_000) for n in names}
        skipped = Counter(
            line["message"].split()[1].rstrip(":")
            for line in daemon.log_lines
            if line.get("event") != "run" and "still syncing, skipping" in line.get("message", "")
        )
        claims = report(
            args,
            every=every,
            reads_budget=reads_budget,
            writes_budget=writes_budget,
            plans=plans,
            rows=rows,
            status_error=status.stderr if status.returncode else "",
            history=history,
            entries=entries,
            users=users,
            daemon=daemon,
            skipped=skipped,
        )
    verdicts = Table(title="Claims (issue 5: done means)", show_lines=False)
    verdicts.add_column("")
    verdicts.add_column("claim")
    verdicts.add_column("evidence", overflow="fold")
    for claim in claims:
        verdicts.add_row(
            "[green]PASS[/]" if claim.ok else "[bold red]FAIL[/]", claim.text, claim.evidence
        )
    console.print(verdicts)
    return all(c.ok for c in claims)


def report(
    args: argparse.Namespace,
    *,
    every: float,
    reads_budget: int,
    writes_budget: int,
    plans: dict[str, str],
    rows: dict[str, dict[str, Any]],
    status_error: str,
    history: dict[str, list[RunRecord]],
    entries: list[LogEntry],
    users: Users,
    daemon: DaemonRun,
    skipped: Counter[str],
) -> list[Claim]:
    good = [n for n in plans if n != "broken"]
    per_plan = Table(title="Per plan (status --json, run history, stand-in log)")
    for header in (
        "plan",
        "runs",
        "ok",
        "errors",
        "failed",
        "last outcome",
        "fails in a row",
        "GETs",
        "POSTs",
        "wrote",
        "req/sync",
        "edits",
        "waited s",
        "skips",
    ):
        per_plan.add_column(
            header, justify="left" if header in {"plan", "last outcome"} else "right"
        )
    odd_syncs: list[str] = []
    for name, key in plans.items():
        row = rows.get(name, {})
        runs = history[name]
        outcomes = Counter(r.outcome for r in runs)
        mine = for_key(entries, key)
        gets = sum(1 for e in mine if is_read(e))
        posts = len(mine) - gets
        wrote = sum(1 for r in runs if r.cells > 0)
        if name != "broken":
            for r in runs:
                if (r.requests, r.cells > 0) not in ((1, False), (2, True)):
                    odd_syncs.append(
                        f"{name} {r.started:%H:%M:%S} {r.requests} req {r.cells} cells"
                    )
            if gets != len(runs) or posts != wrote:
                odd_syncs.append(
                    f"{name}: stand-in saw {gets} GET/{posts} POST for {len(runs)} runs"
                )
        per_plan.add_row(
            name,
            str(row.get("runs", "?")),
            str(outcomes["ok"]),
            str(outcomes["errors"]),
            str(outcomes["failed"]),
            str(row.get("outcome", "?")),
            str(row.get("failures_in_a_row", "?")),
            str(gets),
            str(posts),
            str(wrote),
            f"{len(mine) / len(runs):.2f}" if runs else "—",
            str(users.edits[key]),
            f"{sum(r.waited for r in runs):.1f}",
            str(skipped[name]),
        )
    console.print(per_plan)

    reads = [e for e in entries if is_read(e)]
    writes = [e for e in entries if not is_read(e)]
    busiest_reads, busiest_writes = most_in_window(reads), most_in_window(writes)
    good_runs = [r for n in good for r in history[n]]
    no_change = sum(1 for r in good_runs if r.cells == 0)
    changed = len(good_runs) - no_change
    good_requests = sum(len(for_key(entries, plans[n])) for n in good)
    waited = sum(r.waited for r in good_runs)
    overall = Table(title="Overall (requests as the stand-in saw them arrive)")
    overall.add_column("figure")
    overall.add_column("value", justify="right")
    overall.add_column("budget / expected", justify="right")
    soak_s = daemon.stopped_at - daemon.started_at
    overall.add_row("Sheets requests seen by the stand-in", str(len(entries)), "")
    overall.add_row("  reads (GET)", str(len(reads)), f"≈ {len(reads) / soak_s * 60:.1f}/min")
    overall.add_row("  writes (POST batchUpdate)", str(len(writes)), "")
    overall.add_row("Drive requests (change detection)", str(args.drive_requests), "")
    overall.add_row("busiest 60 s window of reads", str(busiest_reads), f"≤ {reads_budget}")
    overall.add_row("busiest 60 s window of writes", str(busiest_writes), f"≤ {writes_budget}")
    overall.add_row("good syncs", str(len(good_runs)), "")
    overall.add_row("  nothing changed (1 request each)", str(no_change), "")
    overall.add_row("  something changed (2 requests each)", str(changed), "")
    overall.add_row(
        "requests per good sync",
        f"{good_requests / max(len(good_runs), 1):.3f}",
        f"{(no_change + 2 * changed) / max(len(good_runs), 1):.3f}",
    )
    overall.add_row("user edits", str(sum(users.edits.values())), "")
    overall.add_row("seconds good syncs waited for the budget", f"{waited:.1f}", "")
    overall.add_row("runs skipped (previous sync still going)", str(sum(skipped.values())), "")
    overall.add_row("daemon exit code", str(daemon.exit_code), "0")
    overall.add_row("shutdown after SIGTERM", f"{daemon.shutdown_seconds:.2f} s", "")
    console.print(overall)

    broken = sorted(history["broken"], key=lambda r: r.started)
    broken_gaps = gaps(broken)
    # what each failed run scheduled next, from its log line (`next_run`, whole seconds)
    broken_lines = [
        line
        for line in daemon.log_lines
        if line.get("event") == "run" and line.get("plan") == "broken"
    ]
    waits: list[float | None] = []
    for r, line in zip(broken, broken_lines, strict=False):
        nxt = line.get("next_run")
        waits.append(
            datetime.fromisoformat(nxt).timestamp() - r.started.timestamp() if nxt else None
        )
    backoff = Table(title="The broken plan's runs (backoff)")
    for header in (
        "run",
        "started s",
        "gap s",
        "fails in a row",
        "next run set +s",
        "backoff due s",
        "outcome",
    ):
        backoff.add_column(header, justify="right")
    t0 = broken[0].started.timestamp() if broken else 0.0
    for i, r in enumerate(broken):
        line = broken_lines[i] if i < len(broken_lines) else {}
        wait = waits[i] if i < len(waits) else None
        backoff.add_row(
            str(i + 1),
            f"{r.started.timestamp() - t0:.1f}",
            f"{broken_gaps[i - 1]:.1f}" if i else "—",
            str(line.get("failures_in_a_row", "?")),
            "—" if wait is None else f"{wait:.1f}",
            f"{backoff_delay(i + 1, every):.0f}" if i else "(schedule)",
            r.outcome,
        )
    console.print(backoff)
    if broken:
        console.print(f"broken plan's message: {broken[-1].message}", markup=False)

    claims: list[Claim] = []
    counts = {n: len(history[n]) for n in good}
    fewest = min(counts.values(), default=0)
    stop_wall = time.time() - (time.monotonic() - daemon.stopped_at)
    too_many = sorted(n for n in good if counts[n] > 1 + users.edits[plans[n]])
    claims.append(
        Claim(
            "every good plan synced at its first run, then only after edits (≤ 1 + its edits)",
            fewest >= 1 and not too_many,
            f"{sum(counts.values())} syncs for {len(good)} plans and "
            f"{sum(users.edits.values())} edits"
            + (f"; too many: {', '.join(too_many)}" if too_many else ""),
        )
    )
    if args.tight:
        claims.append(
            Claim(
                "the governor made syncs wait rather than fail",
                waited > 0 and all(r.outcome != "failed" for r in good_runs),
                f"{waited:.0f} s waited in all; failed good runs: "
                f"{sum(1 for r in good_runs if r.outcome == 'failed')}",
            )
        )
    else:
        unsynced = sorted(
            n
            for n in good
            if (edited := users.last_edit_wall.get(plans[n])) is not None
            and edited < stop_wall - 2 * every
            and max(r.started.timestamp() for r in history[n]) < edited
        )
        claims.append(
            Claim(
                "every edit made two intervals before the stop was synced",
                not unsynced,
                ", ".join(unsynced)
                or f"{len([k for k in users.edits if users.edits[k]])} edited plans",
            )
        )
    all_ok = all(r.outcome == "ok" for r in good_runs)
    claims.append(
        Claim(
            "every good sync was ok",
            all_ok,
            ", ".join(f"{k} {v}" for k, v in Counter(r.outcome for r in good_runs).items()),
        )
    )
    growing = all(b > a for a, b in itertools.pairwise(broken_gaps))
    # a failure k >= 2 moves the next run at least backoff_delay(k) after the run's start
    # (the log's next_run has whole seconds: 1 s of slack)
    on_backoff = len(waits) == len(broken) and all(
        w is not None and w >= backoff_delay(k, every) - 1.0
        for k, w in enumerate(waits, start=1)
        if k > 1
    )
    in_a_row = [line.get("failures_in_a_row") for line in broken_lines]
    claims.append(
        Claim(
            "the broken plan failed every run and backed off "
            "(next run ≥ backoff after each failure from the 2nd, gaps growing)",
            len(broken) >= 2
            and all(r.outcome == "failed" for r in broken)
            and in_a_row == list(range(1, len(broken) + 1))
            and on_backoff
            and growing,
            f"{len(broken)} runs; next run set "
            + ", ".join("—" if w is None else f"+{w:.0f}" for w in waits)
            + f" s; gaps seen {', '.join(f'{g:.0f}' for g in broken_gaps) or '—'} s",
        )
    )
    claims.append(
        Claim(
            f"no 60 s window over budget ({reads_budget} reads, {writes_budget} writes)",
            busiest_reads <= reads_budget and busiest_writes <= writes_budget,
            f"busiest: {busiest_reads} reads, {busiest_writes} writes",
        )
    )
    claims.append(
        Claim(
            "a good sync is 1 request when nothing changed, 2 when something did",
            not odd_syncs and bool(good_runs),
            "; ".join(odd_syncs[:5]) or f"{no_change}×1 + {changed}×2 = {good_requests} requests",
        )
    )
    b = rows.get("broken", {})
    story = (
        not status_error
        and set(rows) == set(plans)
        and all(rows[n]["outcome"] == "ok" and rows[n]["failures_in_a_row"] == 0 for n in good)
        and all(rows[n]["runs"] == counts[n] for n in good)
        and b.get("outcome") == "failed"
        and b.get("failures_in_a_row") == b.get("runs") == len(broken)
        and "check the URL/key" in (b.get("message") or "")
        and all(r["next_run"] is None for r in rows.values())
    )
    claims.append(
        Claim(
            "status tells the story (good ok, broken failed with advice, nothing scheduled)",
            story,
            status_error.strip()
            or f"broken: {b.get('outcome')}, {b.get('failures_in_a_row')} in a row",
        )
    )
    lifecycle = [line.get("message", "") for line in daemon.log_lines if line.get("event") != "run"]
    clean = (
        daemon.exit_code == 0
        and any("daemon stopped" in m for m in lifecycle)
        and not any(
            line.get("level") in ("error", "critical") or "traceback" in line
            for line in daemon.log_lines
        )
        and not any("Traceback" in line for line in daemon.stray_lines)
    )
    claims.append(
        Claim(
            "SIGTERM ends it cleanly (exit 0, 'daemon stopped', no error or traceback)",
            clean,
            f"exit {daemon.exit_code} after {daemon.shutdown_seconds:.2f} s",
        )
    )
    claims.append(
        Claim(
            "--log-format json: stderr is one JSON object per line",
            bool(daemon.log_lines) and not daemon.stray_lines,
            f"{len(daemon.log_lines)} JSON lines, {len(daemon.stray_lines)} other lines"
            + (f", e.g. {daemon.stray_lines[0][:70]!r}" if daemon.stray_lines else ""),
        )
    )
    return claims


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=20, help="plans, the last one broken")
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--every", default="20s", help="each plan's interval (30s, 5m, …)")
    parser.add_argument("--reads-per-minute", type=int, default=60)
    parser.add_argument("--writes-per-minute", type=int, default=60)
    parser.add_argument("--tight", action="store_true", help="read budget of 30 per minute")
    parser.add_argument("--edit-every", type=float, default=30.0, help="seconds between edits")
    parser.add_argument("--edits-per-round", type=int, default=3)
    args = parser.parse_args(argv)
    if args.plans < 2:
        parser.error("--plans must be at least 2 (one good, one broken)")
    return 0 if soak(args) else 1


if __name__ == "__main__":
    sys.exit(main())
