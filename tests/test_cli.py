"""The command line, in process: exit codes, messages, init/sync/check on a local workbook."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from sheetpilot._cli import app

TODAY = "2026-03-18"


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize("command", ["init", "sync", "check", "daemon", "status"])
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert len(result.output.strip().splitlines()) > 3


@pytest.fixture
def example(tmp_path) -> Path:
    path = tmp_path / "plan.xlsx"
    result = run("init", str(path), "--example", "--today", TODAY)
    assert result.exit_code == 0, result.output
    return path


def test_init_example_fills_every_tab(example):
    wb = openpyxl.load_workbook(example)
    for title in (
        "Réglages",
        "Objectifs",
        "Suivi des actions",
        "Actions par période",
        "Priorités",
        "Contrôles",
    ):
        assert title in wb.sheetnames
        assert wb[title].max_row > 3, title
    assert wb["Actions par période"]["F2"].value == "P3"  # the example puts today in P3


def test_init_twice_changes_nothing(example):
    data = example.read_bytes()
    result = run("init", str(example))
    assert result.exit_code == 0, result.output
    assert "0 cellule écrite" in result.output  # a French plan: French output
    assert example.read_bytes() == data


def test_sync_example_is_clean_and_idempotent(example, tmp_path):
    report_path = tmp_path / "r.json"
    result = run("sync", str(example), "--today", TODAY, "--report", str(report_path))
    assert result.exit_code == 0, result.output  # warnings only
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["writes"]["cells"] == 0
    assert report["writes"]["requests"] == 1
    assert len(report["periods"]) == 6
    assert len(report["priority_order"]) > 10
    assert {i["severity"] for i in report["issues"]} <= {"warning"}
    assert set(report) == {
        "plan",
        "today",
        "periods",
        "owners",
        "priority_order",
        "objectives",
        "issues",
        "writes",
    }


def test_check_json_prints_the_report_and_writes_nothing(example):
    data = example.read_bytes()
    result = run("check", str(example), "--json", "--today", "2026-06-01")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["today"] == "2026-06-01"
    assert example.read_bytes() == data


def test_config_plan_selects_the_workbook(example, tmp_path):
    config = tmp_path / "sheetpilot.toml"
    config.write_text(f'[[plans]]\nname = "demo"\npath = "{example.name}"\n', encoding="utf-8")
    result = run("check", "--config", str(config), "--plan", "demo", "--json", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["plan"] == "demo"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["sync"], 2, "give a TARGET"),
        (["sync", "x.xlsx", "--today", "15/01/2026"], 2, "--today must be a date"),
        (["sync", "--plan", "demo"], 2, "--plan needs --config"),
        (["sync", "--config", "nope.toml", "--plan", "demo"], 2, "no configuration file"),
        (["sync", "missing.xlsx"], 3, "no workbook at"),
        (["check", "x.xlsx", "--locale", "de"], 2, "--locale must be"),
    ],
)
def test_usage_and_failures_have_exit_codes_and_messages(
    tmp_path, monkeypatch, args, code, message
):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == code, result.output
    assert message in result.output


def test_not_a_workbook(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_text("Statut;Action\n", encoding="utf-8")
    result = run("sync", str(path))
    assert result.exit_code == 3
    assert "plan.xlsx" in result.output
    assert path.read_text(encoding="utf-8") == "Statut;Action\n"


def test_missing_input_tab_stops_before_any_write(tmp_path):
    path = tmp_path / "plan.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Objectifs"
    wb.active.append(
        [
            "ID",
            "Objectif marketing",
            "Valeur initiale",
            "Valeur cible",
            "Valeur actuelle",
            "Échéance",
        ]
    )
    wb.save(path)
    data = path.read_bytes()
    result = run("sync", str(path), "--today", TODAY)
    assert result.exit_code == 1
    assert "missing-tab" in result.output
    assert "Rien n'a été écrit" in result.output  # a French plan: French output
    assert path.read_bytes() == data
