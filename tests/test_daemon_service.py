"""The daemon in-process: plans on short intervals, a broken plan backing off, a slow
plan never running twice at once, reload, `--once`, the credentials-file check."""

from __future__ import annotations

import json
import os
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from sheetpilot._backends.xlsx import XlsxBackend
from sheetpilot._daemon import Daemon, run_daemon
from sheetpilot._daemon.runner import backoff_delay
from sheetpilot._example import example_plan
from sheetpilot._history import read_runs, read_states
from sheetpilot._status import status_rows
from sheetpilot._targets import plan_backend
from sheetpilot._workbook import ChangeSet, Snapshot
from tests.polling import wait_until


def lay_example(path: Path) -> None:
    from sheetpilot._scaffold import scaffold_changes

    backend = XlsxBackend(path, create=True)
    backend.write(scaffold_changes(backend.read(), "fr", example_plan(date(2026, 1, 5))))


def write_config(path: Path, plans: list[dict[str, str]], **daemon: object) -> Path:
    lines = ["[daemon]", 'history = "history.sqlite"']
    lines += [f"{k} = {json.dumps(v)}" for k, v in daemon.items()]
    for plan in plans:
        lines.append("[[plans]]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in plan.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def runs_of(tmp_path: Path, plan: str) -> int:
    return read_states(tmp_path / "history.sqlite", [plan])[0].runs


def backed_off(state, interval: float) -> bool:
    """The plan failed at least 3 times in a row and its next run waits out the backoff."""
    if state.failures_in_a_row < 3 or state.next_run is None or state.last_run is None:
        return False
    wait = (state.next_run - state.last_run).total_seconds()
    return wait >= backoff_delay(state.failures_in_a_row, interval)


@pytest.fixture
def daemons():
    started: list[Daemon] = []
    yield started
    for d in started:
        if not d._stop.is_set():
            d.stop()


def test_good_plans_keep_syncing_while_a_broken_one_backs_off(tmp_path, daemons):
    for name in ("a", "b", "c"):
        lay_example(tmp_path / f"{name}.xlsx")
    plans = [{"name": n, "path": f"{n}.xlsx", "every": "0.3s"} for n in ("a", "b", "c")]
    plans.append({"name": "broken", "path": "missing.xlsx", "every": "0.3s"})
    daemon = Daemon(write_config(tmp_path / "sheetpilot.toml", plans), {})
    daemons.append(daemon)
    daemon.start()
    wait_until(lambda: all(runs_of(tmp_path, n) >= 6 for n in "abc"))
    daemon.stop()

    rows = {r["plan"]: r for r in status_rows(daemon.config)}
    for name in "abc":
        assert rows[name]["outcome"] == "ok" and rows[name]["failures_in_a_row"] == 0
        outcomes = [r.outcome for r in read_runs(tmp_path / "history.sqlite", name)]
        assert set(outcomes) == {"ok"}
    broken = rows["broken"]
    assert broken["outcome"] == "failed"
    assert "check the plan's `path`" in broken["message"]
    assert 2 <= broken["failures_in_a_row"] == broken["runs"]
    assert broken["runs"] < min(rows[n]["runs"] for n in "abc")
    assert broken["next_run"] is None  # the daemon stopped: nothing is scheduled


def test_a_failing_plan_is_rescheduled_after_its_backoff(tmp_path, daemons):
    plans = [{"name": "broken", "path": "missing.xlsx", "every": "0.2s"}]
    daemon = Daemon(write_config(tmp_path / "sheetpilot.toml", plans), {})
    daemons.append(daemon)
    daemon.start()
    wait_until(lambda: backed_off(read_states(tmp_path / "history.sqlite", ["broken"])[0], 0.2))
    daemon.stop()


def test_a_plan_recovers_by_itself_when_the_cause_goes_away(tmp_path, daemons):
    plans = [{"name": "late", "path": "late.xlsx", "every": "0.2s"}]
    daemon = Daemon(write_config(tmp_path / "sheetpilot.toml", plans), {})
    daemons.append(daemon)
    daemon.start()
    wait_until(lambda: runs_of(tmp_path, "late") >= 2)
    lay_example(tmp_path / "late.xlsx")
    wait_until(lambda: read_states(tmp_path / "history.sqlite", ["late"])[0].last_outcome == "ok")
    daemon.stop()
    assert read_states(tmp_path / "history.sqlite", ["late"])[0].failures_in_a_row == 0


class SlowBackend:
    """A real backend whose read takes a while; counts syncs running at once."""

    running = 0
    most = 0
    lock = threading.Lock()

    def __init__(self, inner, delay: float) -> None:
        self.inner, self.delay = inner, delay

    @property
    def requests(self) -> int:
        return self.inner.requests

    @property
    def writes_formulas(self) -> bool:
        return self.inner.writes_formulas

    def read(self) -> Snapshot:
        cls = SlowBackend
        with cls.lock:
            cls.running += 1
            cls.most = max(cls.most, cls.running)
        try:
            time.sleep(self.delay)
            return self.inner.read()
        finally:
            with cls.lock:
                cls.running -= 1

    def write(self, changes: ChangeSet) -> int:
        return self.inner.write(changes)

    def describe(self) -> str:
        return self.inner.describe()


def test_a_slow_plan_never_runs_twice_at_once(tmp_path, daemons):
    lay_example(tmp_path / "slow.xlsx")
    plans = [{"name": "slow", "path": "slow.xlsx", "every": "0.1s"}]
    daemon = Daemon(
        write_config(tmp_path / "sheetpilot.toml", plans),
        {},
        open_backend=lambda config, plan: SlowBackend(plan_backend(config, plan), 0.5),
    )
    daemons.append(daemon)
    daemon.start()
    wait_until(lambda: runs_of(tmp_path, "slow") >= 3)
    daemon.stop()
    assert SlowBackend.most == 1
    assert {r.outcome for r in read_runs(tmp_path / "history.sqlite", "slow")} == {"ok"}


def test_reload_adds_removes_and_changes_plans(tmp_path, daemons):
    for name in ("keep", "drop", "new"):
        lay_example(tmp_path / f"{name}.xlsx")
    config = tmp_path / "sheetpilot.toml"
    write_config(
        config,
        [
            {"name": "keep", "path": "keep.xlsx", "every": "10s"},
            {"name": "drop", "path": "drop.xlsx", "every": "10s"},
        ],
    )
    daemon = Daemon(config, {})
    daemons.append(daemon)
    daemon.start()
    wait_until(lambda: runs_of(tmp_path, "keep") == 1 and runs_of(tmp_path, "drop") == 1)
    write_config(
        config,
        [
            {"name": "keep", "path": "keep.xlsx", "every": "0.2s"},
            {"name": "new", "path": "new.xlsx", "every": "10s"},
        ],
    )
    daemon.reload()
    assert daemon.scheduler is not None
    assert {j.id for j in daemon.scheduler.get_jobs()} == {"keep", "new"}
    wait_until(lambda: runs_of(tmp_path, "new") >= 1 and runs_of(tmp_path, "keep") >= 3)
    daemon.stop()
    assert runs_of(tmp_path, "drop") == 1
    assert [r["plan"] for r in status_rows(daemon.config)] == ["keep", "new"]


def test_a_bad_reload_keeps_the_running_configuration(tmp_path, daemons, caplog):
    lay_example(tmp_path / "a.xlsx")
    config = write_config(tmp_path / "sheetpilot.toml", [{"name": "a", "path": "a.xlsx"}])
    daemon = Daemon(config, {})
    daemons.append(daemon)
    daemon.start()
    config.write_text("[[plans]]\nname = 'a'\nevery = 'often'\n")
    daemon.reload()
    assert "reload failed, keeping the running configuration" in caplog.text
    assert daemon.scheduler is not None
    assert [j.id for j in daemon.scheduler.get_jobs()] == ["a"]
    daemon.stop()


def test_once_runs_every_plan_and_returns_the_worst_exit_code(tmp_path, capsys):
    lay_example(tmp_path / "a.xlsx")
    plans = [
        {"name": "a", "path": "a.xlsx", "every": "5m"},
        {"name": "gone", "path": "gone.xlsx", "cron": "0 9 * * 1-5"},
    ]
    config = write_config(tmp_path / "sheetpilot.toml", plans)
    assert run_daemon(config, once=True, log_format="json", env={}) == 3
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    runs = {line["plan"]: line for line in lines if line.get("event") == "run"}
    assert runs["a"]["outcome"] == "ok" and runs["a"]["cells"] > 0
    assert runs["a"]["budget"] == {
        "reads": 0,
        "reads_per_minute": 60,
        "writes": 0,
        "writes_per_minute": 60,
        "drive": 0,  # change detection's Drive budget (local plans use none)
        "drive_per_minute": 1000,
    }
    assert runs["gone"]["outcome"] == "failed" and "message" in runs["gone"]
    rows = {r["plan"]: r for r in status_rows(Daemon(config, {}).config)}
    assert rows["a"]["runs"] == 1 and rows["gone"]["outcome"] == "failed"
    lay_example(tmp_path / "gone.xlsx")
    assert run_daemon(config, once=True, env={}) == 0
    text = capsys.readouterr().err
    assert "run plan=a outcome=ok" in text and "budget=reads 0/60" in text


def test_a_credentials_file_readable_by_others_is_refused(tmp_path, capsys):
    key = tmp_path / "service-account.json"
    key.write_text("{}")
    os.chmod(key, 0o644)
    config = tmp_path / "sheetpilot.toml"
    config.write_text('[google]\ncredentials = "service-account.json"\n')
    assert run_daemon(config, once=True, env={}) == 2
    assert f"chmod 600 {key}" in capsys.readouterr().err
    os.chmod(key, 0o600)
    assert run_daemon(config, once=True, env={}) == 0


def test_a_missing_configuration_is_exit_code_2(tmp_path, capsys):
    assert run_daemon(tmp_path / "nope.toml", env={}) == 2
    assert "no configuration file" in capsys.readouterr().err


def test_an_unknown_log_format_is_a_configuration_error(tmp_path):
    from sheetpilot._errors import ConfigError

    with pytest.raises(ConfigError, match="text or json"):
        run_daemon(tmp_path / "sheetpilot.toml", log_format="xml", env={})


def test_the_thread_per_run_executor_reports_each_run_with_its_job_store():
    """No private APScheduler attribute: the executor names the one store the jobs live in."""
    import threading as _threading

    from apscheduler.events import EVENT_JOB_EXECUTED
    from apscheduler.schedulers.background import BackgroundScheduler

    from sheetpilot._daemon.service import JOBSTORE, ThreadPerRunExecutor

    seen = []
    done = _threading.Event()
    scheduler = BackgroundScheduler(executors={"default": ThreadPerRunExecutor()})

    def listener(event):
        seen.append((event.job_id, event.jobstore, event.retval))
        done.set()

    scheduler.add_listener(listener, EVENT_JOB_EXECUTED)
    scheduler.start()
    try:
        scheduler.add_job(lambda: 42, id="plan", jobstore=JOBSTORE)
        assert done.wait(10)
    finally:
        scheduler.shutdown(wait=False)
    assert seen == [("plan", "default", 42)]
