"""The daemon as a real process: signals end it cleanly, SIGHUP reloads, status reads
what it wrote, no spreadsheet is ever left half-written."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sheetpilot._backends.xlsx import XlsxBackend
from sheetpilot._config import load_config
from sheetpilot._example import example_plan
from sheetpilot._history import read_states
from sheetpilot._scaffold import scaffold_changes
from sheetpilot._status import status_rows
from sheetpilot._sync import run_sync
from tests.polling import wait_until

RUN_DAEMON = """
import sys
from pathlib import Path
from sheetpilot._daemon import run_daemon
sys.exit(run_daemon(Path(sys.argv[1]), log_format=sys.argv[2], env={}))
"""

# The real daemon, with each write held back for a moment (announced in a marker file)
# so that a signal can arrive while a sync is in flight.
SLOW_WRITES = """
import sys, time
from pathlib import Path
from sheetpilot._daemon import Daemon
from sheetpilot._daemon.logs import setup_logging
from sheetpilot._targets import plan_backend

class SlowWrite:
    def __init__(self, inner):
        self.inner = inner
        self.requests = 0
    def read(self):
        return self.inner.read()
    def write(self, changes):
        Path(sys.argv[2]).write_text("writing")
        time.sleep(1.5)
        return self.inner.write(changes)
    def describe(self):
        return self.inner.describe()

setup_logging("text")
daemon = Daemon(Path(sys.argv[1]), {}, open_backend=lambda c, p: SlowWrite(plan_backend(c, p)))
with daemon.signals():
    sys.exit(daemon.serve())
"""


def lay_example(path: Path) -> None:
    backend = XlsxBackend(path, create=True)
    backend.write(scaffold_changes(backend.read(), "fr", example_plan(date(2026, 1, 5))))


def write_config(path: Path, plans: list[str], every: str = "0.3s", **daemon: object) -> Path:
    lines = ["[daemon]", 'history = "history.sqlite"']
    lines += [f"{k} = {json.dumps(v)}" for k, v in daemon.items()]
    for name in plans:
        lines += ["[[plans]]", f'name = "{name}"', f'path = "{name}.xlsx"', f'every = "{every}"']
    path.write_text("\n".join(lines) + "\n")
    return path


def start(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def grids(path: Path):
    return XlsxBackend(path).read().grids()


def runs_of(tmp_path: Path, plan: str) -> int:
    return read_states(tmp_path / "history.sqlite", [plan])[0].runs


def test_sighup_picks_up_a_new_plan_and_sigterm_ends_cleanly(tmp_path):
    for name in ("a", "b"):
        lay_example(tmp_path / f"{name}.xlsx")
    config = write_config(tmp_path / "sheetpilot.toml", ["a"])
    proc = start(RUN_DAEMON, str(config), "text")
    wait_until(lambda: runs_of(tmp_path, "a") >= 2, proc=proc)
    write_config(config, ["a", "b"])
    proc.send_signal(signal.SIGHUP)
    wait_until(lambda: runs_of(tmp_path, "b") >= 2, proc=proc)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "configuration reloaded: 1 added, 0 removed, 0 changed" in err
    assert "run plan=b outcome=ok" in err and "daemon stopped" in err
    rows = {r["plan"]: r for r in status_rows(load_config(config))}
    assert rows["a"]["runs"] >= 2 and rows["b"]["runs"] >= 2
    assert rows["a"]["outcome"] == rows["b"]["outcome"] == "ok"
    assert rows["a"]["next_run"] is None


def test_json_logs_carry_one_object_per_line(tmp_path):
    lay_example(tmp_path / "a.xlsx")
    config = write_config(tmp_path / "sheetpilot.toml", ["a"])
    proc = start(RUN_DAEMON, str(config), "json")
    wait_until(lambda: runs_of(tmp_path, "a") >= 1, proc=proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    lines = [json.loads(line) for line in err.splitlines()]
    runs = [line for line in lines if line.get("event") == "run"]
    assert runs and runs[0]["plan"] == "a" and runs[0]["outcome"] == "ok"
    assert {"duration", "requests", "cells", "budget"} <= set(runs[0])
    assert lines[-1]["message"] == "daemon stopped"


@pytest.mark.parametrize(("grace", "expect"), [(20, "new"), (0, "old")])
def test_sigterm_mid_sync_leaves_each_workbook_fully_old_or_fully_new(tmp_path, grace, expect):
    names = ["p1", "p2", "p3"]
    for name in names:
        lay_example(tmp_path / f"{name}.xlsx")
    old = grids(tmp_path / "p1.xlsx")
    shutil.copy(tmp_path / "p1.xlsx", tmp_path / "reference.xlsx")
    run_sync(XlsxBackend(tmp_path / "reference.xlsx"), plan="p1", today=datetime.now(UTC).date())
    new = grids(tmp_path / "reference.xlsx")
    assert new != old
    config = write_config(tmp_path / "sheetpilot.toml", names, every="1m", shutdown_grace=grace)
    marker = tmp_path / "writing"
    proc = start(SLOW_WRITES, str(config), str(marker))
    wait_until(marker.exists, proc=proc)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    after = [grids(tmp_path / f"{name}.xlsx") for name in names]
    assert all(g in (old, new) for g in after)
    if expect == "new":  # the grace let the write in flight finish
        assert new in after
        assert "waiting up to 20s" in err
    else:
        assert after == [old, old, old]
        assert "still in flight (not written)" in err


RUN_CLI = "from sheetpilot._cli import main; main()"


def test_the_cli_daemon_logs_each_line_once_as_json(tmp_path):
    """Through the real `sheetpilot` entry point (whose callback configures logging first)."""
    lay_example(tmp_path / "a.xlsx")
    config = write_config(tmp_path / "sheetpilot.toml", ["a"])
    proc = start(RUN_CLI, "daemon", "--config", str(config), "--log-format", "json", "--once")
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    lines = [json.loads(line) for line in err.splitlines()]  # every line is JSON
    runs = [line for line in lines if line.get("event") == "run"]
    assert len(runs) == 1 and runs[0]["plan"] == "a"
