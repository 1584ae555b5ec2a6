"""Tabs sheetpilot owns, on a local workbook, through the CLI and the daemon: a user's tab
named like a tool-owned tab is never written (the file stays byte for byte), `--adopt`
and the per-plan `adopt = true` let sheetpilot own it, messages say what to do."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from sheetpilot._cli import app
from sheetpilot._config import config_from_dict
from sheetpilot._daemon.governor import Governor
from sheetpilot._daemon.runner import PlanRunner
from sheetpilot._history import History
from sheetpilot._ownership import foreign_tab
from sheetpilot._template import PRIORITIES

TODAY = "2026-03-18"


def run(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "300"})


def with_notes_tab(path: Path, title: str = "Priorités") -> bytes:
    """A laid plan plus the user's own notes in a tab named like a tool-owned tab."""
    assert run("init", str(path), "--today", TODAY).exit_code == 0
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet(title)
    ws["A1"] = "Nos priorités du trimestre"
    ws["B4"] = "appeler l'imprimeur"
    wb.save(path)
    return path.read_bytes()


def test_the_foreign_tab_message_says_what_to_do():
    issue = foreign_tab("Priorités", PRIORITIES, "fr")
    assert (issue.code, issue.severity, issue.sheet, issue.cell) == (
        "foreign-tab",
        "error",
        "Priorités",
        "A1",
    )
    assert issue.message == (
        "Priorités!A1: this tab has the name of a tab sheetpilot writes ('Priorités'), but "
        "sheetpilot did not create it and it holds content sheetpilot did not write, so "
        "nothing was written: rename the tab to keep it as it is (sheetpilot then adds its "
        "own 'Priorités' tab), or run again with --adopt (in the daemon's configuration: "
        "adopt = true on the plan) to let sheetpilot own it (its content is then replaced)."
    )


def test_sync_refuses_and_leaves_the_workbook_byte_for_byte(tmp_path):
    path = tmp_path / "plan.xlsx"
    before = with_notes_tab(path)
    result = run("sync", str(path), "--today", TODAY)
    assert result.exit_code == 1, result.output
    assert "foreign-tab" in result.output
    assert "renommez les onglets cités ci-dessus, ou relancez avec --adopt" in result.output
    assert path.read_bytes() == before


def test_init_refuses_too_and_says_so(tmp_path):
    path = tmp_path / "plan.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Contrôles"
    wb.active["A1"] = "checklist salon"
    wb.save(path)
    before = path.read_bytes()
    result = run("init", str(path), "--example", "--today", TODAY)
    assert result.exit_code == 1, result.output
    assert "Contrôles!A1" in result.output and "Rien n'a été écrit" in result.output
    assert "Modèle posé" not in result.output
    assert path.read_bytes() == before


def test_sync_adopt_takes_the_tab_over_and_says_what_it_replaced(tmp_path):
    path = tmp_path / "plan.xlsx"
    with_notes_tab(path)
    report = tmp_path / "r.json"
    result = run("sync", str(path), "--today", TODAY, "--adopt", "--report", str(report))
    assert result.exit_code == 0, result.output
    assert "'Nos priorités du trimestre'" in result.output
    assert "'appeler l'imprimeur'" in result.output
    wb = openpyxl.load_workbook(path)
    assert wb["Priorités"]["A3"].value == "Rang"
    assert wb["Priorités"]["B4"].value != "appeler l'imprimeur"
    again = run("sync", str(path), "--today", TODAY)  # sheetpilot's layout now: no refusal
    assert again.exit_code == 0, again.output
    assert "foreign-tab" not in again.output


def test_dry_run_adopt_lists_the_takeover_and_writes_nothing(tmp_path):
    path = tmp_path / "plan.xlsx"
    before = with_notes_tab(path)
    result = run("sync", str(path), "--today", TODAY, "--adopt", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "typed-in-tool-tab" in result.output and "Priorités!B4" in result.output
    assert path.read_bytes() == before


def test_a_renamed_notes_tab_is_kept_beside_sheetpilots_own(tmp_path):
    path = tmp_path / "plan.xlsx"
    with_notes_tab(path, title="Mes priorités")
    assert run("sync", str(path), "--today", TODAY).exit_code == 0
    wb = openpyxl.load_workbook(path)
    assert wb["Mes priorités"]["B4"].value == "appeler l'imprimeur"
    assert "Priorités" in wb.sheetnames


@pytest.mark.parametrize(("adopt", "outcome"), [(False, "errors"), (True, "ok")])
def test_the_daemon_refuses_unless_the_plan_says_adopt(tmp_path, adopt, outcome):
    path = tmp_path / "plan.xlsx"
    before = with_notes_tab(path)
    config = config_from_dict(
        {"plans": [{"name": "p", "path": str(path), "every": "1m", "adopt": adopt}]},
        source=tmp_path / "sheetpilot.toml",
    )
    clock = lambda: datetime(2026, 3, 18, 9, 0, tzinfo=UTC)  # noqa: E731
    runner = PlanRunner(
        config,
        config.plans[0],
        governor=Governor(),
        history=History(config.history_path),
        clock=clock,
    )
    record = runner.run().record
    assert record.outcome == outcome
    if not adopt:
        assert record.message.startswith("rien n'a été écrit : ")  # a French plan
        assert "--adopt" in record.message
        assert path.read_bytes() == before
    else:
        assert openpyxl.load_workbook(path)["Priorités"]["A3"].value == "Rang"
