"""The Google path as a user meets it: the `sheetpilot` CLI against the Sheets API stand-in.

Real HTTP to `FakeSheets`, real gspread, the CLI in-process through typer's CliRunner.
"""

from __future__ import annotations

import socket

import pytest
from typer.testing import CliRunner

from sheetpilot._cli import app

TODAY = "2026-11-25"


def write_config(tmp_path, endpoint: str, extra: str = ""):
    path = tmp_path / "cfg.toml"
    path.write_text(f'[google]\ncredentials = "none"\nendpoint = "{endpoint}"\n{extra}')
    return path


@pytest.fixture
def config(tmp_path, fake):
    return write_config(tmp_path, fake.url)


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def example(fake, config):
    """A spreadsheet laid out and synced by `init --example`, log cleared."""
    key = fake.create_spreadsheet("Plan")
    result = run("init", key, "--example", "--config", str(config), "--today", TODAY)
    assert result.exit_code == 0, result.output
    fake.reset()
    return key


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- the hints the CLI prints --------------------------------------------------------------


def test_init_with_a_config_says_to_sync_with_that_config(fake, config):
    key = fake.create_spreadsheet("Plan")
    result = run("init", key, "--config", str(config))
    assert result.exit_code == 0, result.output
    # Without --config the next sync would go to Google with other credentials.
    assert f"sheetpilot sync {key} --config {config}" in result.output


@pytest.mark.parametrize("target", ["my plan.ods", "plan.ods", "budget.csv"])
def test_a_file_name_that_is_not_a_workbook_says_so(config, target):
    result = run("sync", target, "--config", str(config))
    assert result.exit_code == 2
    assert "not a spreadsheet key" not in result.output
    assert ".xlsx" in result.output and target in result.output


# --- Google slow, failing or gone ------------------------------------------------------------


def test_a_one_off_command_does_not_wait_the_daemons_two_minutes(fake, example, config):
    # Google asks to come back in 45 s: the daemon may wait, a person at a prompt should not.
    fake.inject(status=503, count=1, headers={"Retry-After": "45"})
    result = run("sync", example, "--config", str(config), "--today", TODAY)
    assert result.exit_code == 3, result.output
    assert len(fake.log) == 1
    assert "45 s" in result.output and "cli_retry_deadline" in result.output
    assert "Traceback" not in result.output


def test_the_cli_retry_deadline_is_a_config_knob(fake, example, tmp_path):
    config = write_config(tmp_path, fake.url, "cli_retry_deadline = 60\n")
    fake.inject(status=503, count=1, headers={"Retry-After": "1"})
    result = run("sync", example, "--config", str(config), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert [e.status for e in fake.log] == [503, 200]


def test_a_stopped_endpoint_is_named_in_a_clean_cannot_reach_message(tmp_path):
    endpoint = f"http://127.0.0.1:{closed_port()}"
    config = write_config(tmp_path, endpoint, "cli_retry_deadline = 2\n")
    result = run("sync", "1AbcdefghijKLMNOPqrst", "--config", str(config))
    assert result.exit_code == 3
    assert f"cannot reach {endpoint}" in result.output
    assert "connection refused" in result.output
    assert "Max retries exceeded" not in result.output  # urllib3's noise
    assert "Traceback" not in result.output


def test_google_failing_for_good_is_told_apart_from_google_unreachable(fake, example, tmp_path):
    config = write_config(tmp_path, fake.url, "cli_retry_deadline = 2\n")
    fake.inject(status=500, count=None)
    result = run("sync", example, "--config", str(config), "--today", TODAY)
    assert result.exit_code == 3
    assert "Google answered HTTP 500" in result.output
    assert "did not answer" not in result.output and "cannot reach" not in result.output
    assert "try again later" in result.output


def test_a_rate_limit_storm_is_ridden_out(fake, example, config):
    fake.set_values(example, "Suivi des actions!L2", [[4]])  # an edit: the sync must write
    fake.inject(status=429, count=3, headers={"Retry-After": "0"})
    result = run("sync", example, "--config", str(config), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert [e.status for e in fake.log] == [429, 429, 429, 200, 200]
    assert "en 5 requêtes" in result.output  # a French plan: French output


# --- a user typing while a sync runs -----------------------------------------------------------


def between_read_and_write(fake, edit):
    """Run `edit(fake)` after the sync's read, just before its write reaches the stand-in."""
    fake.on_next_request(lambda f: f.on_next_request(edit))


def test_a_cell_typed_between_the_read_and_the_write_is_kept(fake, example, config):
    fake.set_values(example, "Suivi des actions!B2", [["En cours"]])  # A-001 reopened: a write
    between_read_and_write(
        fake, lambda f: f.set_values(example, "Suivi des actions!L2:M2", [[7, "P5"]])
    )
    result = run("sync", example, "--config", str(config), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert [e.method for e in fake.log] == ["GET", "POST"]
    assert fake.values(example, "Suivi des actions!B2:M2")[0][-2:] == [7, "P5"]
    # the next sync takes the edit into account and converges
    assert run("sync", example, "--config", str(config), "--today", TODAY).exit_code == 0
    again = run("sync", example, "--config", str(config), "--today", TODAY)
    assert "À jour" in again.output
    assert fake.values(example, "Suivi des actions!L2:M2") == [[7, "P5"]]


def test_while_it_retries_the_cli_says_so(fake, example, config, caplog):
    # Without a word a user waits up to half a minute in silence and presses Ctrl-C.
    fake.inject(status=503, count=1, headers={"Retry-After": "0"})
    result = run("sync", example, "--config", str(config), "--today", TODAY)
    assert result.exit_code == 0, result.output
    notices = [r.getMessage() for r in caplog.records if r.name == "sheetpilot.google"]
    assert any("HTTP 503, retrying in 0.0 s" in n for n in notices), notices


def test_a_misspelt_google_key_is_called_unknown_and_the_known_keys_listed(tmp_path):
    config = write_config(tmp_path, "http://127.0.0.1:8765", "retry_deadlin = 5\n")
    result = run("check", "1AbcdefghijKLMNOPqrst", "--config", str(config))
    assert result.exit_code == 2
    assert "google.retry_deadlin: unknown key" in result.output
    assert "cli_retry_deadline" in result.output and "Extra inputs" not in result.output


def test_a_french_user_reads_why_google_could_not_be_reached_in_french(tmp_path):
    endpoint = f"http://127.0.0.1:{closed_port()}"
    config = write_config(tmp_path, endpoint, "cli_retry_deadline = 2\n")
    result = run("sync", "1AbcdefghijKLMNOPqrst", "--config", str(config), "--locale", "fr")
    assert result.exit_code == 3
    assert f"impossible de joindre {endpoint} (connexion refusée)" in result.output
    assert "réessayez plus tard" in result.output
    assert "cannot reach" not in result.output and "attempt" not in result.output


def test_a_french_user_reads_what_google_kept_answering_in_french(fake, example, tmp_path):
    config = write_config(tmp_path, fake.url, "cli_retry_deadline = 2\n")
    fake.inject(status=500, count=None)
    result = run("sync", example, "--config", str(config), "--today", TODAY, "--locale", "fr")
    assert result.exit_code == 3
    assert "Google a répondu HTTP 500" in result.output
    assert "try again later" not in result.output
