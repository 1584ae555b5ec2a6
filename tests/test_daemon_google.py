"""The daemon against the Sheets API stand-in: real HTTP, real timing kept short."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from datetime import UTC, date, datetime
from pathlib import Path

from fakesheets import FakeSheets, most_in_window
from sheetpilot._backends.google import GoogleBackend
from sheetpilot._config import GoogleConfig, load_config
from sheetpilot._daemon import Daemon
from sheetpilot._daemon.governor import Governor, GovernorClosed
from sheetpilot._daemon.runner import PlanRunner, backoff_delay
from sheetpilot._example import example_plan
from sheetpilot._history import read_budget, read_states
from sheetpilot._scaffold import scaffold_changes
from sheetpilot._status import status_rows
from sheetpilot._sync import run_sync
from tests.polling import wait_until

MISSING = "1" * 44


def lay_example(fake: FakeSheets) -> str:
    key = fake.create_spreadsheet("Plan")
    backend = GoogleBackend(key, GoogleConfig(credentials="none", endpoint=fake.url))
    backend.write(scaffold_changes(backend.read(), "fr", example_plan(date(2026, 1, 5))))
    return key


def write_config(path: Path, fake: FakeSheets, plans: dict[str, str], every: str, **daemon):
    lines = ["[google]", 'credentials = "none"', f'endpoint = "{fake.url}"', "[daemon]"]
    lines += ['history = "history.sqlite"'] + [f"{k} = {json.dumps(v)}" for k, v in daemon.items()]
    for name, key in plans.items():
        lines += ["[[plans]]", f'name = "{name}"', f'spreadsheet = "{key}"', f'every = "{every}"']
    path.write_text("\n".join(lines) + "\n")
    return path


def states(tmp_path: Path, *names: str):
    return {s.plan: s for s in read_states(tmp_path / "history.sqlite", names)}


def backed_off(state, interval: float) -> bool:
    """The plan failed at least 3 times in a row and its next run waits out the backoff."""
    if state.failures_in_a_row < 3 or state.next_run is None or state.last_run is None:
        return False
    wait = (state.next_run - state.last_run).total_seconds()
    return wait >= backoff_delay(state.failures_in_a_row, interval)


def requests(fake: FakeSheets, method: str, key: str | None = None) -> int:
    """Sheets requests (Drive's metadata calls for change detection are a quota apart)."""
    return sum(
        1
        for e in fake.log
        if e.path.startswith("/v4/") and e.method == method and (key is None or key in e.path)
    )


def edit(fake: FakeSheets, key: str, impact: int) -> None:
    """A user changes the impact of an action to do (its rank changes: the sync writes)."""
    fake.set_values(key, "'Suivi des actions'!H26", [[impact]])


def test_plans_sync_once_then_on_edits_only_while_a_missing_spreadsheet_backs_off(tmp_path, fake):
    # Before change detection every poll read every plan; now a plan is read on its first
    # run, then only when someone edits it: our own writes trigger nothing.
    plans = {name: lay_example(fake) for name in ("a", "b", "c")}
    plans["gone"] = MISSING
    fake.reset()
    config = write_config(tmp_path / "sheetpilot.toml", fake, plans, "0.4s")
    daemon = Daemon(config, {})
    daemon.start()
    try:
        wait_until(lambda: all(states(tmp_path, n)[n].runs == 1 for n in "abc"))
        wait_until(lambda: backed_off(states(tmp_path, "gone")["gone"], 0.4))
        feed = daemon.feed
        assert feed is not None
        polls = feed.polls
        wait_until(lambda: feed.polls >= polls + 3)  # our writes are in the feed
        assert all(states(tmp_path, n)[n].runs == 1 for n in "abc")
        edit(fake, plans["b"], 5)
        wait_until(lambda: states(tmp_path, "b")["b"].runs == 2)
        polls = feed.polls
        wait_until(lambda: feed.polls >= polls + 3)
    finally:
        daemon.stop()
    rows = {r["plan"]: r for r in status_rows(load_config(config))}
    assert {n: rows[n]["runs"] for n in "abc"} == {"a": 1, "b": 2, "c": 1}
    assert {n: rows[n]["reason"] for n in "abc"} == {
        "a": "first-run",
        "b": "edit",
        "c": "first-run",
    }
    assert rows["b"]["last_change"] is not None and rows["a"]["last_change"] is None
    for name in "abc":
        assert rows[name]["outcome"] == "ok" and rows[name]["failures_in_a_row"] == 0
        assert requests(fake, "GET", plans[name]) == rows[name]["runs"]
    # the first sync writes (read + batchUpdate); b's edit changed the ranks: it wrote again
    assert [requests(fake, "POST", plans[n]) for n in "abc"] == [1, 2, 1]
    gone = rows["gone"]
    assert gone["outcome"] == "failed" and gone["failures_in_a_row"] == gone["runs"] >= 2
    assert "check the URL/key" in gone["message"] and "service account" in gone["message"]
    assert requests(fake, "GET", MISSING) == gone["runs"]


def test_the_governor_holds_many_due_plans_to_the_budget(tmp_path, fake):
    plans = {f"p{i}": lay_example(fake) for i in range(6)}
    fresh = {
        key: GoogleBackend(key, GoogleConfig(credentials="none", endpoint=fake.url)).read()
        for key in plans.values()
    }
    fake.reset()
    config = write_config(
        tmp_path / "sheetpilot.toml", fake, plans, "0.2s", reads_per_minute=4, writes_per_minute=2
    )
    daemon = Daemon(config, {})
    daemon.start()
    try:
        wait_until(lambda: requests(fake, "GET") == 4 and requests(fake, "POST") == 2)
        wait_until(lambda: sum(s.runs for s in states(tmp_path, *plans).values()) == 2)
        assert daemon.governor.usage().reads == 4
    finally:
        daemon.stop()
    # within the test's minute nothing went past the budget, and the waiting syncs
    # neither failed nor wrote: they stopped at shutdown before their write
    assert (requests(fake, "GET"), requests(fake, "POST")) == (4, 2)
    all_states = states(tmp_path, *plans).values()
    assert sorted(s.last_outcome or "never" for s in all_states) == ["never"] * 4 + ["ok"] * 2
    assert all(s.failures_in_a_row == 0 for s in all_states)
    budget = read_budget(tmp_path / "history.sqlite")
    assert budget is not None and (budget.reads, budget.reads_per_minute) == (4, 4)
    cfg = GoogleConfig(credentials="none", endpoint=fake.url)
    unwritten = [k for k in plans.values() if requests(fake, "POST", k) == 0]
    assert len(unwritten) == 4
    assert all(GoogleBackend(k, cfg).read() == fresh[k] for k in unwritten)


SLOW_DAEMON = """
import sys
from pathlib import Path
from sheetpilot._daemon import run_daemon
sys.exit(run_daemon(Path(sys.argv[1]), env={}))
"""


def test_sigterm_mid_sync_leaves_every_spreadsheet_old_or_new(tmp_path, fake):
    plans = {f"p{i}": lay_example(fake) for i in range(3)}
    cfg = GoogleConfig(credentials="none", endpoint=fake.url)
    old = GoogleBackend(plans["p0"], cfg).read().grids()
    reference = lay_example(fake)
    run_sync(GoogleBackend(reference, cfg), plan="ref", today=datetime.now(UTC).date())
    new = GoogleBackend(reference, cfg).read().grids()
    assert old != new
    config = write_config(tmp_path / "sheetpilot.toml", fake, plans, "1m", shutdown_grace=20)
    fake.reset()
    fake.inject(delay_ms=700, count=None)  # every request is slow: signals land mid-sync
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_DAEMON, str(config)], stderr=subprocess.PIPE, text=True
    )
    try:
        wait_until(lambda: requests(fake, "GET") >= 2)
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    fake.reset()
    after = [GoogleBackend(key, cfg).read().grids() for key in plans.values()]
    assert all(grids in (old, new) for grids in after)
    assert "daemon stopped" in err


def governed_runner(tmp_path, fake, key, governor):
    """A plan runner whose Google backend retries without sleeping."""
    config = load_config(write_config(tmp_path / "sheetpilot.toml", fake, {"p": key}, "1m"))
    return PlanRunner(
        config,
        config.plans[0],
        governor=governor,
        open_backend=lambda c, p: GoogleBackend(p.target, c.google, sleep=lambda s: None),
    )


def test_every_retry_takes_a_slot_of_the_budget(tmp_path, fake):
    key = lay_example(fake)
    governor = Governor(reads_per_minute=3, writes_per_minute=3)
    runner = governed_runner(tmp_path, fake, key, governor)
    fake.reset()
    fake.inject(status=503, count=10)  # the read is retried again and again
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(runner.run())
        except GovernorClosed as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        wait_until(lambda: governor.used("read") == 3 and len(fake.log) == 3)
    finally:
        governor.close()  # the fourth attempt waits for a slot: shutting down ends it
        thread.join(timeout=30)
    assert isinstance(outcome[0], GovernorClosed)
    assert [e.status for e in fake.log] == [503, 503, 503]
    assert most_in_window(fake.log) <= 3


def test_the_budget_counts_what_google_receives_once(tmp_path, fake):
    key = lay_example(fake)
    governor = Governor(reads_per_minute=60, writes_per_minute=60)
    runner = governed_runner(tmp_path, fake, key, governor)
    fake.reset()
    fake.inject(status=503, count=2)
    run = runner.run()
    assert run.record.outcome == "ok"
    gets, posts = requests(fake, "GET"), requests(fake, "POST")
    assert (gets, posts) == (3, 1)
    assert (governor.used("read"), governor.used("write")) == (gets, posts)
    assert run.record.requests == 4
