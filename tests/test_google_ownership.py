"""Tabs sheetpilot owns, on Google: marked with developer metadata in the batch that creates
them; a tab named like one of them but holding the user's content is never written
(foreign-tab, nothing sent but the read); `--adopt`; tabs of 0.1.0 adopted silently;
typed cells reported before they are cleared.

Real gspread over real HTTP to the stand-in, the CLI in-process.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
import requests
from typer.testing import CliRunner

from sheetpilot._backends.google import GoogleBackend
from sheetpilot._cli import app
from sheetpilot._config import GoogleConfig
from sheetpilot._sync import run_sync
from tests.plan_builders import plan_grids

TODAY = "2026-11-25"
NOTES = [["Mes priorités à moi"], ["appeler l'agence"], ["", "budget salon ?"]]
TOOL_TABS = ["Actions par période", "Priorités", "Contrôles"]


@pytest.fixture
def config(tmp_path, fake):
    path = tmp_path / "cfg.toml"
    path.write_text(f'[google]\ncredentials = "none"\nendpoint = "{fake.url}"\n')
    return path


def run(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "300"})


def batch_updates(fake) -> list:
    return [e for e in fake.log if e.method == "POST" and e.path.endswith(":batchUpdate")]


def marks(fake, key) -> dict[str, list[str]]:
    """Tab title → the keys of its developer metadata."""
    body = requests.get(
        f"{fake.url}/v4/spreadsheets/{key}",
        params={"fields": "sheets(properties.title,developerMetadata.metadataKey)"},
    ).json()
    return {
        s["properties"]["title"]: [m["metadataKey"] for m in s.get("developerMetadata", [])]
        for s in body["sheets"]
    }


def plan_spreadsheet(fake, **extra_tabs) -> str:
    """A spreadsheet with a valid plan typed in by hand (no tab marked)."""
    grids = plan_grids()
    return fake.create_spreadsheet("Plan", sheets={**grids, **extra_tabs})


def delete_all_marks(fake, key) -> None:
    lookup = {"metadataKey": "sheetpilot"}
    body = {
        "requests": [
            {"deleteDeveloperMetadata": {"dataFilter": {"developerMetadataLookup": lookup}}}
        ]
    }
    requests.post(f"{fake.url}/v4/spreadsheets/{key}:batchUpdate", json=body).raise_for_status()


# --- marks -------------------------------------------------------------------------------
def test_init_marks_every_tab_it_creates_in_its_one_batch(fake, config):
    key = fake.create_spreadsheet("Plan")
    result = run("init", key, "--example", "--config", str(config), "--today", TODAY)
    assert result.exit_code == 0, result.output
    found = marks(fake, key)
    for title in ("Réglages", "Objectifs", "Suivi des actions", *TOOL_TABS):
        assert found[title] == ["sheetpilot"], title
    assert found["Sheet1"] == []  # the user's tab stays unmarked
    assert len(batch_updates(fake)) == 2  # one for init's template, one for the example's sync


def test_a_marked_plan_syncs_in_one_request_when_nothing_changed(fake, config):
    key = fake.create_spreadsheet("Plan")
    run("init", key, "--example", "--config", str(config), "--today", TODAY)
    fake.reset()
    result = run("sync", key, "--config", str(config), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert len(fake.log) == 1 and batch_updates(fake) == []


# --- foreign-tab ---------------------------------------------------------------------------
@pytest.mark.parametrize("example", [False, True], ids=["template", "example"])
def test_init_refuses_a_users_tab_named_like_ours_and_sends_no_write(fake, config, example):
    key = fake.create_spreadsheet("Plan", sheets={"Priorités": NOTES})
    args = ["init", key, "--config", str(config), "--today", TODAY]
    result = run(*args, *(["--example"] if example else []))

    assert result.exit_code == 1, result.output
    assert "foreign-tab" in result.output and "Priorités!A1" in result.output
    assert "--adopt" in result.output and "Rien n'a été écrit" in result.output
    assert batch_updates(fake) == []
    assert fake.sheet_titles(key) == ["Priorités"]
    assert fake.values(key, "Priorités") == NOTES


def test_sync_refuses_a_foreign_tab_sends_only_the_read_and_reports_it(fake, config, tmp_path):
    key = plan_spreadsheet(fake, Contrôles=[["notre check-list"], ["- relire les devis"]])
    report = tmp_path / "report.json"
    result = run("sync", key, "--config", str(config), "--today", TODAY, "--report", str(report))

    assert result.exit_code == 1, result.output
    assert "renommez les onglets cités ci-dessus, ou relancez avec --adopt" in result.output
    assert [e.method for e in fake.log] == ["GET"]
    issues = [i for i in json.loads(report.read_text())["issues"] if i["code"] == "foreign-tab"]
    assert [(i["severity"], i["sheet"], i["cell"]) for i in issues] == [
        ("error", "Contrôles", "A1")
    ]
    assert fake.values(key, "Contrôles") == [["notre check-list"], ["- relire les devis"]]
    assert "Priorités" not in fake.sheet_titles(key)  # not even the missing tabs were added


def test_adopt_then_sync_works_and_the_tab_stays_ours(fake, config):
    key = plan_spreadsheet(fake, Priorités=NOTES)
    adopted = run("sync", key, "--config", str(config), "--today", TODAY, "--adopt")

    assert adopted.exit_code == 0, adopted.output
    assert "typed-in-tool-tab" in adopted.output and "'appeler l'agence'" in adopted.output
    assert len(batch_updates(fake)) == 1  # marks and cells in one atomic batch
    assert marks(fake, key)["Priorités"] == ["sheetpilot"]
    assert fake.values(key, "Priorités")[2][:2] == ["Rang", "ID"]
    checks = fake.values(key, "Contrôles")
    assert ["Priorités", "B3"] in [line[:2] for line in checks]

    plain = run("sync", key, "--config", str(config), "--today", TODAY)
    assert plain.exit_code == 0, plain.output
    assert "foreign-tab" not in plain.output and "typed-in-tool-tab" not in plain.output
    fake.reset()
    steady = run("sync", key, "--config", str(config), "--today", TODAY)
    assert steady.exit_code == 0 and len(fake.log) == 1


def test_init_adopt_marks_the_tab_and_the_next_sync_reports_what_it_replaces(fake, config):
    key = fake.create_spreadsheet("Plan", sheets={"Checks": [["my list"]]})
    done = run("init", key, "--config", str(config), "--today", TODAY, "--adopt")
    assert done.exit_code == 0, done.output
    assert marks(fake, key)["Checks"] == ["sheetpilot"]
    backend = GoogleBackend(key, GoogleConfig(credentials="none", endpoint=fake.url))
    outcome = run_sync(backend, plan="p", today=date(2026, 11, 25))
    typed = [i for i in outcome.report.issues if i.code == "typed-in-tool-tab"]
    assert [(i.sheet, i.cell) for i in typed] == [("Checks", "A1")]
    assert "'my list'" in typed[0].message


# --- tabs laid by sheetpilot 0.1.0 ------------------------------------------------------
def test_tabs_laid_by_0_1_0_are_adopted_silently_in_one_batch(fake, config, tmp_path):
    key = fake.create_spreadsheet("Plan")
    run("init", key, "--example", "--config", str(config), "--today", TODAY)
    delete_all_marks(fake, key)  # as 0.1.0 left them: our layout, no mark
    fake.reset()

    report = tmp_path / "r.json"
    result = run("sync", key, "--config", str(config), "--today", TODAY, "--report", str(report))
    assert result.exit_code == 0, result.output
    assert json.loads(report.read_text())["writes"] == {"requests": 2, "cells": 0}  # marks only
    assert "foreign-tab" not in result.output and "typed-in-tool-tab" not in result.output
    assert len(batch_updates(fake)) == 1
    assert len(fake.log) == 2
    found = marks(fake, key)
    assert all(found[t] == ["sheetpilot"] for t in TOOL_TABS)

    fake.reset()
    run("sync", key, "--config", str(config), "--today", TODAY)
    assert len(fake.log) == 1  # marked once, then steady


# --- typed-in-tool-tab ------------------------------------------------------------------------
def test_a_typed_note_is_shown_by_dry_run_then_reported_when_cleared(fake, config):
    key = fake.create_spreadsheet("Plan")
    run("init", key, "--example", "--config", str(config), "--today", TODAY)
    fake.set_values(key, "Priorités!J5", [["à voir avec Paul lundi"]])
    fake.reset()

    dry = run("sync", key, "--config", str(config), "--today", TODAY, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "typed-in-tool-tab" in dry.output
    assert "Priorités!J5 : contient 'à voir avec Paul lundi'" in dry.output
    preview = dry.output[dry.output.index("Simulation : cellules qui changeraient") :]
    assert "Priorités!J5" in preview and "à voir avec Paul lundi" in preview
    assert batch_updates(fake) == []
    assert fake.values(key, "Priorités!J5") == [["à voir avec Paul lundi"]]

    real = run("sync", key, "--config", str(config), "--today", TODAY)
    assert real.exit_code == 0, real.output
    assert fake.values(key, "Priorités!J5") == []
    assert ["Priorités", "J5"] in [line[:2] for line in fake.values(key, "Contrôles")]


def test_choosing_a_period_in_f2_is_not_a_typed_cell(fake, config):
    key = fake.create_spreadsheet("Plan")
    run("init", key, "--example", "--config", str(config), "--today", TODAY)
    fake.set_values(key, "'Actions par période'!F2", [["P1"]])
    result = run("sync", key, "--config", str(config), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "typed-in-tool-tab" not in result.output
    assert fake.values(key, "'Actions par période'!F2") == [["P1"]]
