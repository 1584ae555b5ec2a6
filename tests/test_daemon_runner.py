"""One plan's run: outcome, history, failures in a row and backoff, messages that help."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import openpyxl
import pytest

from sheetpilot._backends.xlsx import XlsxBackend
from sheetpilot._config import config_from_dict
from sheetpilot._daemon.governor import Governor
from sheetpilot._daemon.runner import PlanRunner, backoff_delay, failure_message
from sheetpilot._errors import (
    ConfigError,
    PermissionDenied,
    SpreadsheetNotFound,
    TransientError,
    WorkbookUnavailable,
)
from sheetpilot._example import example_plan
from sheetpilot._history import History
from sheetpilot._scaffold import scaffold_changes


def lay_example(path):
    backend = XlsxBackend(path, create=True)
    backend.write(scaffold_changes(backend.read(), "fr", example_plan(date(2026, 1, 5))))


def runner_for(tmp_path, target: str = "plan.xlsx", every: str = "1m"):
    config = config_from_dict(
        {"plans": [{"name": "p", "path": target, "every": every}]},
        source=tmp_path / "sheetpilot.toml",
    )
    history = History(config.history_path)
    clock = lambda: datetime(2026, 1, 20, 9, 0, tzinfo=UTC)  # noqa: E731
    runner = PlanRunner(config, config.plans[0], governor=Governor(), history=history, clock=clock)
    return runner, history


def test_a_good_plan_syncs_then_stays_quiet(tmp_path):
    lay_example(tmp_path / "plan.xlsx")
    runner, history = runner_for(tmp_path)
    first = runner.run()
    assert (first.record.outcome, first.exit_code) == ("ok", 0)
    assert first.record.cells > 0 and first.record.requests == 2
    assert first.record.warnings > 0  # a French plan: its message is French
    assert re.fullmatch(r"\d+ avertissements?", first.record.message)
    second = runner.run()
    assert (second.record.cells, second.record.requests) == (0, 1)
    assert [r.outcome for r in history.runs("p")] == ["ok", "ok"]
    assert runner.failures == 0 and runner.retry_delay == 0


def test_a_missing_workbook_fails_says_what_to_do_and_recovers(tmp_path):
    runner, history = runner_for(tmp_path)
    for expected in (1, 2, 3):
        run = runner.run()
        assert run.record.outcome == "failed" and run.exit_code == 3
        assert runner.failures == expected
    assert (
        "check the plan's `path` in the configuration" in run.record.message
    )  # no Google advice for a file
    assert runner.retry_delay == 240.0
    lay_example(tmp_path / "plan.xlsx")
    assert runner.run().record.outcome == "ok"
    assert runner.failures == 0 and history.failures_in_a_row("p") == 0


def test_failures_in_a_row_survive_a_restart(tmp_path):
    runner, history = runner_for(tmp_path)
    runner.run()
    runner.run()
    again = PlanRunner(runner.config, runner.plan, governor=Governor(), history=history)
    assert again.failures == 2


def test_a_plan_missing_an_input_tab_has_errors_and_is_not_written(tmp_path):
    path = tmp_path / "plan.xlsx"
    lay_example(path)
    wb = openpyxl.load_workbook(path)
    del wb["Objectifs"]
    wb.save(path)
    before = path.read_bytes()
    runner, _ = runner_for(tmp_path)
    run = runner.run()
    assert (run.record.outcome, run.exit_code) == ("errors", 1)
    assert run.record.errors >= 1 and run.record.message.startswith(
        "rien n'a été écrit : "
    )  # French plan
    assert runner.failures == 0
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_workbook_fails(tmp_path):
    (tmp_path / "plan.xlsx").write_text("hello")
    runner, _ = runner_for(tmp_path)
    run = runner.run()
    assert run.record.outcome == "failed" and runner.failures == 1


def test_local_plans_do_not_spend_the_google_budget(tmp_path):
    lay_example(tmp_path / "plan.xlsx")
    runner, _ = runner_for(tmp_path)
    runner.run()
    assert (runner.governor.used("read"), runner.governor.used("write")) == (0, 0)


@pytest.mark.parametrize(
    ("failures", "interval", "delay"),
    [(0, 60, 0.0), (1, 60, 60.0), (2, 60, 120.0), (4, 1, 8.0), (40, 60, 3600.0), (2, 7200, 7200.0)],
)
def test_backoff_doubles_and_is_capped(failures, interval, delay):
    assert backoff_delay(failures, interval) == delay


@pytest.mark.parametrize(
    ("error", "hint"),
    [
        (SpreadsheetNotFound("no spreadsheet KEY"), "shared with the service account"),
        (PermissionDenied("read-only"), "as an editor"),
        (WorkbookUnavailable("locked"), "close the workbook"),
        (TransientError("timeout"), "retries by itself"),
        (ConfigError("bad target"), "reload the daemon"),
        (KeyError("x"), "internal error (KeyError"),
    ],
)
def test_failure_messages_say_what_to_do(error, hint):
    assert hint in failure_message(error)
