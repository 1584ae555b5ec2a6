"""The command line as a new user meets it: each rough edge found trying it, fixed.

In-process with typer's CliRunner; real workbooks, a real run history.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import typer.main
from rich.console import Console
from typer.testing import CliRunner

from sheetpilot._cli import app
from sheetpilot._config import load_config
from sheetpilot._status import print_status

TODAY = "2026-03-18"
COMMANDS = ["sync", "check", "init", "daemon", "status"]


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), env={"LANG": "C.UTF-8", **(env or {})})


@pytest.fixture
def example(tmp_path: Path) -> Path:
    path = tmp_path / "plan.xlsx"
    assert run("init", str(path), "--example", "--today", TODAY).exit_code == 0
    return path


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
def test_help_shows_no_type_beside_a_flag_or_the_verbosity_count(command):
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output and "<int>" not in result.output
    assert "[default: 0]" not in result.output


def test_verbosity_is_a_repeated_flag_as_its_help_says(example):
    assert "-vv" in run("--help").output
    result = run("-vv", "check", str(example), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "No such command" not in result.output


def test_options_that_take_a_value_say_what_value(example):
    text = run("sync", "--help").output
    for shown in (
        "--config FILE",
        "--plan NAME",
        "--today YYYY-MM-DD",
        "--locale fr|en",
        "--report FILE",
    ):
        assert shown in text


def test_the_status_message_is_readable_at_80_columns(tmp_path: Path):
    config = tmp_path / "sheetpilot.toml"
    config.write_text(
        '[daemon]\nhistory = "h.sqlite"\n\n[[plans]]\nname = "demo"\npath = "absent.xlsx"\n'
        'every = "5m"\n',
        encoding="utf-8",
    )
    assert run("daemon", "--config", str(config), "--once").exit_code == 3
    out = io.StringIO()
    print_status(load_config(config, env={}), console=Console(file=out, width=80))
    lines = out.getvalue().splitlines()
    assert all(len(line) <= 80 for line in lines)
    start = next(i for i, line in enumerate(lines) if line.startswith("demo: "))
    message = " ".join(lines[start:])  # full width, wrapped at words: not a 9-character column
    assert "no workbook at" in message
    assert "check the plan's `path` in the configuration" in message


def test_status_speaks_langs_language_and_keeps_its_json_english(tmp_path: Path):
    config = tmp_path / "sheetpilot.toml"
    config.write_text(
        '[daemon]\nhistory = "h.sqlite"\n\n[[plans]]\nname = "demo"\npath = "absent.xlsx"\n',
        encoding="utf-8",
    )
    run("daemon", "--config", str(config), "--once")
    french = run("status", "--config", str(config), env={"LANG": "fr_FR.UTF-8"}).output
    assert "Résultat" in french and "échec" in french and "quota sur la dernière minute" in french
    english = run("status", "--config", str(config)).output
    assert "Outcome" in english and "failed" in english
    as_json = run("status", "--config", str(config), "--json", env={"LANG": "fr_FR.UTF-8"})
    assert '"outcome": "failed"' in as_json.output


def test_a_failed_run_is_told_in_the_language_of_its_plan(tmp_path: Path):
    config = tmp_path / "sheetpilot.toml"
    config.write_text(
        '[daemon]\nhistory = "h.sqlite"\n\n[[plans]]\nname = "demo"\npath = "absent.xlsx"\n'
        'locale = "fr"\n',
        encoding="utf-8",
    )
    run("daemon", "--config", str(config), "--once")
    status = run("status", "--config", str(config), "--json")
    [row] = __import__("json").loads(status.output)
    assert row["outcome"] == "failed"
    assert row["message"].startswith("aucun classeur à ")
    assert row["message"].endswith("vérifiez le `path` du plan dans la configuration")


def test_daemon_once_says_nothing_of_reloading_and_a_local_file_nothing_of_sharing(tmp_path):
    config = tmp_path / "sheetpilot.toml"
    config.write_text(
        '[google]\ncredentials = "missing-sa.json"\n\n[daemon]\nhistory = "h.sqlite"\n\n'
        '[[plans]]\nname = "local"\npath = "absent.xlsx"\nevery = "5m"\n\n'
        '[[plans]]\nname = "remote"\nspreadsheet = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEF"\n'
        'every = "5m"\n',
        encoding="utf-8",
    )
    run("daemon", "--config", str(config), "--once")
    status = run("status", "--config", str(config), "--json")
    messages = {row["plan"]: row["message"] for row in __import__("json").loads(status.output)}
    assert "credentials file not found" in messages["remote"]
    assert "reload" not in messages["remote"] and "SIGHUP" not in messages["remote"]
    assert "run the command again" in messages["remote"]
    assert "service account" not in messages["local"] and "shared" not in messages["local"]
    assert "check the plan's `path`" in messages["local"]


def test_a_local_sync_counts_cells_not_requests(example):
    example.touch()
    import openpyxl

    workbook = openpyxl.load_workbook(example)
    workbook["Suivi des actions"]["L3"] = 4  # one estimate changes
    workbook.save(example)
    result = run("sync", str(example), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert re.search(r"\d+ cellules? écrites?\.", result.output)
    assert "requête" not in result.output and "request" not in result.output


def test_a_sync_into_a_missing_folder_says_so_and_does_not_send_to_init(tmp_path):
    result = run("sync", str(tmp_path / "nope" / "plan.xlsx"))
    assert result.exit_code == 3
    assert "the folder" in result.output and "does not exist" in result.output
    init = run("init", str(tmp_path / "nope" / "plan.xlsx"))  # lays a French plan: French error
    assert init.exit_code == 3 and "n'existe pas" in init.output


def test_errors_are_said_in_the_plans_language_or_langs(tmp_path):
    missing = str(tmp_path / "absent.xlsx")
    assert "error: no workbook at" in run("sync", missing).output
    assert "erreur : aucun classeur à" in run("sync", missing, "--locale", "fr").output
    assert "erreur : aucun classeur à" in run("sync", missing, env={"LANG": "fr_FR.UTF-8"}).output
    wrong = run("sync", missing, "--today", "15/01/2026", env={"LANG": "fr_FR.UTF-8"})
    assert wrong.exit_code == 2 and "--today doit être une date comme 2026-01-15" in wrong.output


def test_the_quick_start_does_not_print_the_summary_twice(tmp_path):
    """README's quick start: `init plan.xlsx --example && sync plan.xlsx --report report.json`."""
    path = tmp_path / "plan.xlsx"
    first = run("init", str(path), "--example")
    second = run("sync", str(path), "--report", str(tmp_path / "report.json"))
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert "Période" in first.output  # the summary, once
    assert second.output.startswith("À jour : rien à écrire")
    assert len(second.output.splitlines()) == 1
    assert (tmp_path / "report.json").exists()


def test_help_and_usage_errors_follow_lang():
    french = run("sync", "--help", env={"LANG": "fr_FR.UTF-8"})
    assert "Lit le plan, recalcule tout" in french.output
    assert "Affiche ce message et s'arrête." in french.output
    assert "Commandes" in run("--help", env={"LANG": "fr_FR.UTF-8"}).output
    english = run("sync", "--help", env={"LANG": "en_US.UTF-8"})
    assert "Read the plan, recompute everything" in english.output
    wrong = run("nope", env={"LC_ALL": "fr_FR.UTF-8"})
    assert wrong.exit_code == 2 and "Erreur : Commande inconnue : 'nope'" in wrong.output
    assert wrong.output.startswith("Usage : ")  # CliRunner names the program "root"
    assert "--help\xa0» pour l'aide." in wrong.output
    english = run("nope", env={"LANG": "C"})
    assert "Error: No such command 'nope'" in english.output
    assert "--help' for help." in english.output
    assert run("sync", "--help", env={"LANG": "fr_FR.UTF-8"}).output.startswith("Usage : ")


def test_every_command_has_help_in_both_languages():
    command = typer.main.get_command(app)
    assert sorted(command.commands) == sorted(COMMANDS)  # type: ignore[attr-defined]
    for name in COMMANDS:
        en = run(name, "--help").output
        fr = run(name, "--help", env={"LANG": "fr_FR.UTF-8"})
        assert fr.exit_code == 0 and fr.output != en


def test_a_mistyped_option_is_explained_in_french_to_a_french_user():
    french = {"LANG": "fr_FR.UTF-8"}
    unknown = run("sync", "plan.xlsx", "--dry", env=french)
    assert unknown.exit_code == 2
    assert "option inconnue : --dry (options possibles : --dry-run" in unknown.output
    missing = run("sync", "plan.xlsx", "--today", env=french)
    assert missing.exit_code == 2
    assert "l'option '--today' attend une valeur." in missing.output
    assert "No such option" not in unknown.output + missing.output
    assert "requires an argument" not in missing.output


def test_a_mistyped_option_stays_in_english_for_an_english_user():
    unknown = run("sync", "plan.xlsx", "--dry")
    assert "No such option: --dry (Possible options: --dry-run" in unknown.output
    assert "Option '--today' requires a value." in run("sync", "x", "--today").output
