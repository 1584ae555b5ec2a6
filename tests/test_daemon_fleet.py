"""Several daemon processes, one PostgreSQL, one stand-in: leases, shared quota, failover.

PostgreSQL is a real server: `eval "$(bash .ci/postgres.sh)"` starts a throw-away one and
exports SHEETPILOT_TEST_POSTGRES. Without it these tests skip (and fail under CI=true).
"""

from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from fakesheets import FakeSheets, LogEntry, most_in_window
from sheetpilot._backends.google import GoogleBackend
from sheetpilot._config import GoogleConfig, load_config
from sheetpilot._example import example_plan
from sheetpilot._scaffold import scaffold_changes
from sheetpilot._status import status_rows
from tests.polling import wait_until

PLANS = 60
DAEMON = """
import sys
from pathlib import Path
from sheetpilot._daemon import run_daemon
sys.exit(run_daemon(Path(sys.argv[1]), env={}))
"""


@pytest.fixture(scope="module")
def pg_url() -> str:
    url = os.environ.get("SHEETPILOT_TEST_POSTGRES")
    if not url:
        how = (
            'the fleet tests need PostgreSQL: run `eval "$(bash .ci/postgres.sh)"` '
            "(installs and starts a throw-away server, exports SHEETPILOT_TEST_POSTGRES)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"SHEETPILOT_TEST_POSTGRES is not set under CI: {how}")
        pytest.skip(how)
    return url


@pytest.fixture
def db(pg_url: str) -> Iterator[str]:
    """A database with no sheetpilot tables (each test starts a new fleet)."""
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        for table in ("runs", "plans", "watch", "drive_feed", "leases", "members", "grants"):
            conn.execute(f"DROP TABLE IF EXISTS sheetpilot_{table} CASCADE")
        conn.execute("DROP TABLE IF EXISTS sheetpilot_budget CASCADE")
    yield pg_url


@pytest.fixture(scope="module")
def stand_in() -> Iterator[tuple[FakeSheets, list[str]]]:
    """One stand-in holding 60 laid-out plans, shared by the fleet tests."""
    with FakeSheets() as fake:
        cfg = GoogleConfig(credentials="none", endpoint=fake.url)
        keys = []
        for _ in range(PLANS):
            key = fake.create_spreadsheet("Plan")
            backend = GoogleBackend(key, cfg)
            backend.write(scaffold_changes(backend.read(), "fr", example_plan(date(2026, 1, 5))))
            keys.append(key)
        yield fake, keys


def write_config(tmp_path: Path, fake: FakeSheets, keys: list[str], db: str, **daemon) -> Path:
    lines = ["[google]", 'credentials = "none"', f'endpoint = "{fake.url}"', "[daemon]"]
    lines += [f'database = "{db}"'] + [f"{k} = {v!r}" for k, v in daemon.items()]
    for n, key in enumerate(keys):
        lines += ["[[plans]]", f'name = "p{n:02d}"', f'spreadsheet = "{key}"', 'every = "1s"']
    path = tmp_path / "sheetpilot.toml"
    path.write_text("\n".join(lines).replace("'", '"') + "\n")
    return path


def seed_synced(db: str, fake: FakeSheets, keys: list[str]) -> None:
    """The fleet restarts after every plan was synced (first runs are not the point here)."""
    from sheetpilot._daemon.pg import PgHistory

    now = datetime.now(UTC)
    with PgHistory(db) as history:
        for n, key in enumerate(keys):
            history.record_sync(
                f"p{n:02d}",
                key,
                version=fake.version(key),
                day=now.date(),
                when=now,
                reason="first-run",
            )


def start(config: Path, count: int) -> list[subprocess.Popen[str]]:
    return [
        subprocess.Popen(
            [sys.executable, "-c", DAEMON, str(config)],
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        for _ in range(count)
    ]


def holder(proc: subprocess.Popen[str]) -> str:
    return f"{socket.gethostname()}:{proc.pid}"


def leases(db: str) -> dict[str, str | None]:
    import psycopg

    with psycopg.connect(db, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT plan, holder FROM sheetpilot_leases WHERE expires > clock_timestamp()"
            " OR holder IS NULL"
        ).fetchall()
    return {r[0]: r[1] for r in rows}


def held_by(db: str, who: str) -> set[str]:
    return {plan for plan, h in leases(db).items() if h == who}


def edit(fake: FakeSheets, key: str, impact: int) -> None:
    fake.set_values(key, "'Suivi des actions'!H26", [[impact]])


def synced(db: str, fake: FakeSheets, key: str, plan: str) -> bool:
    from sheetpilot._daemon.pg import PgHistory

    with PgHistory(db) as history:
        watch = history.watch(plan)
    return watch is not None and watch.synced_version == fake.version(key)


def sheets_log(fake: FakeSheets) -> list[LogEntry]:
    return [e for e in fake.log if e.path.startswith("/v4/")]


def sync_intervals(entries: list[LogEntry], key: str) -> list[tuple[str, float, float]]:
    """(client, read at, last request at) of each sync of `key`: a read and what follows it
    from the same client until that client's next read."""
    out: list[tuple[str, float, float]] = []
    open_: dict[str, list[float]] = {}
    for e in entries:
        if key not in e.path:
            continue
        if e.method == "GET":
            if e.client in open_:
                out.append((e.client, *_span(open_[e.client])))
            open_[e.client] = [e.at]
        elif e.client in open_:
            open_[e.client].append(e.at)
    out += [(c, *_span(times)) for c, times in open_.items()]
    return out


def _span(times: list[float]) -> tuple[float, float]:
    return times[0], times[-1]


def stop_all(procs: list[subprocess.Popen[str]]) -> list[str]:
    errs = []
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            _, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        errs.append(err or "")
    return errs


def test_three_daemons_share_the_plans_and_one_budget_without_overlapping(tmp_path, db, stand_in):
    fake, keys = stand_in
    config = write_config(
        tmp_path, fake, keys, db, reads_per_minute=12, writes_per_minute=12, lease_time="6s"
    )
    seed_synced(db, fake, keys)
    fake.reset()
    procs = start(config, 3)
    try:
        members = [holder(p) for p in procs]
        wait_until(lambda: all(len(held_by(db, m)) == PLANS // 3 for m in members), proc=procs[0])
        for n in range(0, PLANS, 2):  # 30 plans edited at once: more than the budget
            edit(fake, keys[n], 5)
        wait_until(lambda: len([e for e in sheets_log(fake) if e.method == "GET"]) >= 12)
        wait_until(lambda: len([e for e in sheets_log(fake) if e.method == "POST"]) >= 10)
    finally:
        errs = stop_all(procs)
    log = sheets_log(fake)
    reads = [e for e in log if e.method == "GET"]
    writes = [e for e in log if e.method == "POST"]
    # the shared budget held across the three processes, as the stand-in saw it
    assert most_in_window(reads) == len(reads) == 12
    assert most_in_window(writes) <= 12
    assert len({e.client for e in reads}) >= 2  # the work was shared
    for key in keys:
        spans = sorted(sync_intervals(log, key), key=lambda s: s[1])
        assert len({client for client, _, _ in spans}) <= 1, f"{key} synced by two processes"
        for (_, _, end), (_, begin, _) in itertools.pairwise(spans):
            assert end < begin  # never two overlapping syncs of one spreadsheet
    assert all(held_by(db, m) == set() for m in members)  # SIGTERM handed them back
    assert all("daemon stopped" in err for err in errs), errs


def test_a_killed_daemon_s_plans_move_to_the_others_and_sigterm_hands_back_at_once(
    tmp_path, db, stand_in
):
    fake, keys = stand_in
    config = write_config(tmp_path, fake, keys, db, lease_time="4s")
    seed_synced(db, fake, keys)
    fake.reset()
    procs = start(config, 3)
    try:
        members = [holder(p) for p in procs]
        wait_until(lambda: all(len(held_by(db, m)) == PLANS // 3 for m in members), proc=procs[0])
        victim, survivor, leaver = procs
        lost = sorted(held_by(db, members[0]))
        victim.kill()  # kill -9: no goodbye, its leases run out by themselves
        victim.wait()
        plan_keys = {f"p{n:02d}": key for n, key in enumerate(keys)}
        for plan in lost[:5]:
            edit(fake, plan_keys[plan], 4)
        wait_until(lambda: all(synced(db, fake, plan_keys[p], p) for p in lost[:5]))
        readers = {e.client for e in sheets_log(fake) if e.method == "GET"}
        assert len(readers) >= 1 and all(str(victim.pid) not in r for r in readers)
        assert held_by(db, members[0]) == set()
        # SIGTERM: the leaver's plans are free at once, long before its lease would expire
        mine = held_by(db, members[2])
        assert mine
        leaver.send_signal(signal.SIGTERM)
        _, err = leaver.communicate(timeout=60)
        assert leaver.returncode == 0, err
        assert held_by(db, members[2]) == set()  # free now, not after the 4-s lease time
        wait_until(lambda: len(held_by(db, holder(survivor))) == PLANS)
        plan = sorted(mine)[0]
        edit(fake, plan_keys[plan], 3)
        wait_until(lambda: synced(db, fake, plan_keys[plan], plan))
    finally:
        stop_all(procs)
    rows = {r["plan"]: r for r in status_rows(load_config(config))}
    assert rows[lost[0]]["reason"] == "edit" and rows[lost[0]]["outcome"] == "ok"
