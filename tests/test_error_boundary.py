"""Errors reach the user as one clean line and an exit code, never as a traceback.

Files the user names (the TOML configuration, a credentials file) that are not UTF-8
text — a configuration saved as Latin-1, a workbook passed as --config by mistake —
are configuration errors (exit 2) that say which file and what to do.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from sheetpilot._backends.google.credentials import load_credentials
from sheetpilot._cli import app
from sheetpilot._config import load_config
from sheetpilot._errors import ConfigError
from sheetpilot._history import read_budget, read_runs, read_states

LATIN1_CONFIG = '[[plans]]\nname = "Plan été"\npath = "plan.xlsx"\n'.encode("latin-1")


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_a_latin1_configuration_is_a_config_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "sheetpilot.toml"
    path.write_bytes(LATIN1_CONFIG)
    with pytest.raises(ConfigError, match="not UTF-8 text") as caught:
        load_config(path)
    assert str(path) in str(caught.value)
    assert "save it as UTF-8" in str(caught.value)


@pytest.mark.parametrize("command", ["status", "daemon"])
def test_cli_reports_a_non_utf8_configuration_without_a_traceback(
    tmp_path: Path, command: str
) -> None:
    path = tmp_path / "sheetpilot.toml"
    path.write_bytes(LATIN1_CONFIG)
    result = run(command, "--config", str(path))
    assert result.exit_code == 2, result.output
    assert "not UTF-8 text" in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, UnicodeDecodeError)


def test_a_workbook_given_as_config_is_a_clean_usage_error(tmp_path: Path) -> None:
    workbook = tmp_path / "plan.xlsx"
    assert run("init", str(workbook), "--today", "2026-03-18").exit_code == 0
    result = run("sync", "--config", str(workbook), "--plan", "demo")
    assert result.exit_code == 2, result.output
    assert f"{workbook}" in result.output and "not UTF-8 text" in result.output
    assert not isinstance(result.exception, UnicodeDecodeError)


def test_a_binary_credentials_file_is_a_config_error(tmp_path: Path) -> None:
    key = tmp_path / "key.json"
    key.write_bytes(b"\xff\xfe{\x00}\x00")  # saved as UTF-16 by a text editor
    with pytest.raises(ConfigError, match="not UTF-8 text") as caught:
        load_credentials(str(key))
    assert str(key) in str(caught.value)


def test_check_with_a_binary_credentials_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "key.json").write_bytes(b"\xff\xfe{\x00}\x00")
    config = tmp_path / "sheetpilot.toml"
    config.write_text(
        '[google]\ncredentials = "key.json"\n\n[[plans]]\nname = "g"\n'
        'spreadsheet = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEF"\n',
        encoding="utf-8",
    )
    result = run("check", "--config", str(config), "--plan", "g")
    assert result.exit_code == 2, result.output
    assert "key.json" in result.output and "not UTF-8 text" in result.output


def _config_with_history(tmp_path: Path, history: bytes) -> Path:
    (tmp_path / "runs.sqlite").write_bytes(history)
    config = tmp_path / "sheetpilot.toml"
    config.write_text(
        '[daemon]\nhistory = "runs.sqlite"\n\n[[plans]]\nname = "demo"\npath = "plan.xlsx"\n',
        encoding="utf-8",
    )
    return config


@pytest.mark.parametrize("as_json", [False, True])
def test_status_with_a_history_that_is_not_a_database_is_a_config_error(
    tmp_path: Path, as_json: bool
) -> None:
    config = _config_with_history(tmp_path, b"these are my notes, not a database\n" * 40)
    result = run("status", "--config", str(config), *(["--json"] if as_json else []))
    assert result.exit_code == 2, result.output
    assert "runs.sqlite" in result.output and "not a sheetpilot run history" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_history_readers_raise_config_errors_for_a_foreign_file(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 600)  # a workbook given as the history
    for read in (
        lambda: read_states(path, ["demo"]),
        lambda: read_budget(path),
        lambda: read_runs(path, "demo"),
    ):
        with pytest.raises(ConfigError, match="not a sheetpilot run history"):
            read()


def test_status_with_an_empty_sqlite_file_still_says_never(tmp_path: Path) -> None:
    config = _config_with_history(tmp_path, b"")
    result = run("status", "--config", str(config), "--json")
    assert result.exit_code == 0, result.output
    assert '"outcome": "never"' in result.output


def test_error_messages_keep_their_square_brackets(tmp_path: Path) -> None:
    """'[google] credentials' names a TOML table: the console must not eat it as markup."""
    (tmp_path / "client.json").write_text('{"installed": {"client_id": "x"}}', encoding="utf-8")
    config = tmp_path / "sheetpilot.toml"
    config.write_text(
        '[google]\ncredentials = "client.json"\n\n[[plans]]\nname = "g"\n'
        'spreadsheet = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEF"\n',
        encoding="utf-8",
    )
    result = run("check", "--config", str(config), "--plan", "g")
    assert result.exit_code == 2, result.output
    assert "point [google] credentials at the authorized_user.json" in result.output


def test_a_plan_name_that_looks_like_markup_is_printed_as_typed(tmp_path: Path) -> None:
    config = tmp_path / "sheetpilot.toml"
    config.write_text('[[plans]]\nname = "[/b]"\npath = "plan.xlsx"\n', encoding="utf-8")
    result = run("sync", "--config", str(config), "--plan", "other")
    assert result.exit_code == 2, result.output
    assert "known plans: [/b]" in result.output


@pytest.fixture
def plan_with_bracketed_text(tmp_path: Path) -> Path:
    """The example plan, where users typed text that looks like console markup."""
    path = tmp_path / "[b]plan.xlsx"
    assert run("init", str(path), "--example", "--today", "2026-03-18").exit_code == 0
    workbook = openpyxl.load_workbook(path)
    actions = workbook["Suivi des actions"]
    actions["B2"] = "[/x] bloqué"  # an unknown status: its warning quotes it
    actions["C3"] = "[bold]SEO"  # an unknown workstream
    workbook.save(path)
    return path


@pytest.mark.parametrize("command", [["check"], ["sync"], ["sync", "--dry-run"]])
def test_text_typed_in_the_sheet_is_printed_as_typed(
    plan_with_bracketed_text: Path, command: list[str]
) -> None:
    result = run(*command, str(plan_with_bracketed_text), "--today", "2026-03-18")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output  # warnings only
    squashed = re.sub(r"[\s│]+", "", result.output)  # the message column wraps at 80 columns
    assert "«[/x]bloqué»" in squashed
    assert "«[bold]SEO»" in squashed


def test_sync_with_bracketed_text_writes_its_report(
    plan_with_bracketed_text: Path, tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    path = str(plan_with_bracketed_text)
    result = run("sync", path, "--today", "2026-03-18", "--report", str(report))
    assert result.exit_code == 0, result.output
    assert "[b]plan — 18/03/2026" in result.output  # the plan's name, as the file is named
    assert '"plan": "[b]plan"' in report.read_text(encoding="utf-8")


def test_init_into_a_missing_folder_says_to_create_it(tmp_path: Path) -> None:
    target = tmp_path / "plans" / "plan.xlsx"
    result = run("init", str(target))
    assert result.exit_code == 3, result.output
    assert f"le dossier {target.parent} n'existe pas" in result.output  # init lays a French plan
    assert ".tmp" not in result.output  # not the name of sheetpilot's temporary file
