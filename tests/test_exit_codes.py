"""The exit-code tables (README *Troubleshooting*, docs/google.md *Errors and retries*), one test per row, through the real CLI.

*Commands → Exit codes*: 0 ok, 1 the plan has errors, 2 usage or configuration error,
3 spreadsheet or network failure. *Google Sheets → Errors and retries*: what each Google
answer ends as. Real gspread over real HTTP to the stand-in; the CLI in-process.
"""

from __future__ import annotations

import json
import socket

import pytest
from typer.testing import CliRunner

from sheetpilot._cli import app
from sheetpilot._history import read_states

TODAY = "2026-11-25"


def write_config(tmp_path, fake, credentials: str = "none", extra: str = ""):
    path = tmp_path / "cfg.toml"
    path.write_text(
        f'[google]\ncredentials = "{credentials}"\nendpoint = "{fake.url}"\n'
        f"cli_retry_deadline = 2\nretry_deadline = 2\n{extra}"
    )
    return path


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def config(tmp_path, fake):
    return write_config(tmp_path, fake)


@pytest.fixture
def example(fake, config):
    """A synced example plan with one edit pending, so the next sync writes; log cleared."""
    key = fake.create_spreadsheet("Plan")
    assert run("init", key, "--example", "--config", str(config), "--today", TODAY).exit_code == 0
    fake.set_values(key, "Suivi des actions!L2", [[4]])
    fake.reset()
    return key


@pytest.fixture
def user_config(tmp_path, fake):
    """A config signing in as a planted OAuth user: tokens come from the stand-in."""
    path = fake.plant_authorized_user(tmp_path / "authorized_user.json")
    return write_config(tmp_path, fake, credentials=str(path))


def sync(key, config, *more: str):
    return run("sync", key, "--config", str(config), "--today", TODAY, *more)


def clean(result) -> None:
    assert "Traceback" not in result.output


# --- Commands → Exit codes ----------------------------------------------------------------


def test_exit_0_the_plan_synced_without_errors(example, config):
    result = sync(example, config)
    assert result.exit_code == 0, result.output
    assert "cellules écrites" in result.output  # a French plan: French output


def test_exit_1_the_plan_has_errors(fake, example, config):
    fake.set_values(example, "Suivi des actions!A3", [["A-001"]])  # a duplicate ID
    result = sync(example, config)
    assert result.exit_code == 1, result.output
    assert "duplicate-id" in result.output


def test_exit_2_usage_or_configuration_error(example, config):
    result = sync(example, config, "--today", "tomorrow")
    assert result.exit_code == 2, result.output
    assert "--today must be a date" in result.output
    clean(result)


def test_exit_3_spreadsheet_or_network_failure(fake, config):
    result = sync("1" * 44, config)  # no such spreadsheet
    assert result.exit_code == 3, result.output
    assert "no spreadsheet with key" in result.output
    clean(result)


# --- Google Sheets → Errors and retries ----------------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 429, "headers": {"Retry-After": "0"}},
        {"status": 408},
        {"status": 503},
        {"status": 403, "reason": "rateLimitExceeded"},
        {"drop": "before"},
    ],
    ids=["429", "408", "503", "403-rate-limit", "dropped"],
)
def test_row_transient_answers_are_retried_then_3_when_they_persist(fake, example, config, fault):
    fake.inject(count=1, **fault)
    assert sync(example, config).exit_code == 0  # once: ridden out
    fake.set_values(example, "Suivi des actions!L2", [[5]])
    fake.inject(count=None, **fault)
    result = sync(example, config)
    assert result.exit_code == 3, result.output
    assert "try again later" in result.output
    clean(result)


def test_row_a_timeout_is_retried_then_3(fake, example, tmp_path):
    config = write_config(tmp_path, fake, extra="timeout = 0.3\n")
    fake.inject(delay_ms=700, count=None)
    result = sync(example, config)
    assert result.exit_code == 3, result.output
    assert "timed out" in result.output
    clean(result)


@pytest.mark.parametrize(
    "fault",
    [{"status": 502}, {"status": 500}, {"drop": "before"}],
    ids=["502", "500", "dropped"],
)
def test_row_token_endpoint_failing_is_retried_like_any_5xx(fake, example, user_config, fault):
    fake.inject(count=1, target="token", **fault)
    result = sync(example, user_config)
    assert result.exit_code == 0, result.output  # retried, then synced


@pytest.mark.parametrize(
    "fault", [{"status": 502}, {"status": 503}, {"drop": "before"}], ids=["502", "503", "dropped"]
)
def test_row_token_endpoint_down_ends_as_a_temporary_failure_3(fake, example, user_config, fault):
    fake.inject(count=None, target="token", **fault)
    result = sync(example, user_config)
    assert result.exit_code == 3, result.output
    assert "try again later" in result.output
    assert "create a new key" not in result.output and "credentials file" not in result.output
    assert fake.log == []  # no Sheets request went out without a token
    clean(result)


def test_row_token_endpoint_timing_out_is_a_temporary_failure_3(fake, example, tmp_path):
    path = fake.plant_authorized_user(tmp_path / "authorized_user.json")
    config = write_config(tmp_path, fake, credentials=str(path), extra="timeout = 0.3\n")
    fake.inject(delay_ms=700, count=None, target="token")
    result = sync(example, config)
    assert result.exit_code == 3, result.output
    assert "timed out" in result.output and "try again later" in result.output
    clean(result)


def test_row_the_daemon_records_a_token_outage_as_temporary(fake, example, tmp_path):
    path = fake.plant_authorized_user(tmp_path / "authorized_user.json")
    path.chmod(0o600)  # the daemon refuses a key file others can read
    config = write_config(
        tmp_path,
        fake,
        credentials=str(path),
        extra=f'[daemon]\nhistory = "h.sqlite"\n[[plans]]\nname = "p"\nspreadsheet = "{example}"\n',
    )
    fake.inject(status=502, count=None, target="token")
    result = run("daemon", "--config", str(config), "--once")
    assert result.exit_code == 3, result.output
    [state] = read_states(tmp_path / "h.sqlite", ["p"])
    assert state.last_outcome == "failed"
    assert "retries by itself" in state.last_message
    assert "try again later" in state.last_message
    assert "fix the configuration" not in state.last_message


def test_row_403_share_the_spreadsheet_3(fake, config):
    key = fake.create_spreadsheet("Private", shared=False)
    result = sync(key, config)
    assert result.exit_code == 3, result.output
    assert "share the spreadsheet with" in result.output
    assert len(fake.log) == 1  # not retried


def test_row_404_no_spreadsheet_with_key_3(fake, config):
    result = sync("1" * 44, config)
    assert result.exit_code == 3, result.output
    assert f"no spreadsheet with key {'1' * 44}: check the URL/key" in result.output
    assert len(fake.log) == 1


@pytest.mark.parametrize(
    ("status", "cause"), [(400, "as invalid"), (413, "as too large")], ids=["400", "413"]
)
def test_row_a_write_refused_names_the_cause_and_what_to_do_3(fake, example, config, status, cause):
    fake.inject(status=status, skip=1)  # the read passes, the write is refused
    result = sync(example, config)
    assert result.exit_code == 3, result.output
    assert f"Google refused the write {cause} (HTTP {status}" in result.output
    assert "nothing of it was written" in result.output
    assert len(fake.log) == 2  # not retried
    clean(result)


def test_row_401_credentials_rejected_is_a_configuration_error_2(fake, example, user_config):
    fake.inject(status=401, count=None)
    result = sync(example, user_config)
    assert result.exit_code == 2, result.output
    assert "check the [google] credentials file" in result.output
    clean(result)


def test_row_token_refused_is_a_configuration_error_2(fake, example, user_config):
    fake.revoke_users()
    result = sync(example, user_config)
    assert result.exit_code == 2, result.output
    assert "invalid_grant" in result.output and "credentials file" in result.output
    assert "try again later" not in result.output
    clean(result)


def test_row_a_write_that_went_out_unanswered_may_have_been_applied_3(fake, example, config):
    fake.inject(drop="after", count=None, skip=1)  # every write applied, no answer
    result = sync(example, config)
    assert result.exit_code == 3, result.output
    assert "cannot reach" not in result.output
    assert "may have been applied" in result.output and "next sync" in result.output
    fake.reset()
    assert "À jour" in sync(example, config).output  # it had been applied
    clean(result)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_row_nothing_answers_cannot_reach_3(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text(
        f'[google]\ncredentials = "none"\nendpoint = "http://127.0.0.1:{closed_port()}"\n'
        "cli_retry_deadline = 2\n"
    )
    result = run("sync", "1" * 44, "--config", str(config))
    assert result.exit_code == 3, result.output
    assert "cannot reach" in result.output and "connection refused" in result.output


# --- a failed sync leaves no report that looks current ---------------------------------------


def test_a_failed_sync_removes_the_older_report(fake, example, config, tmp_path):
    report = tmp_path / "report.json"
    assert sync(example, config, "--report", str(report)).exit_code == 0
    assert json.loads(report.read_text())["writes"]["cells"] > 0
    fake.inject(status=500, count=None)
    result = sync(example, config, "--report", str(report))
    assert result.exit_code == 3, result.output
    assert not report.exists()  # an older report would look like this sync's
    assert "was removed" in result.output
