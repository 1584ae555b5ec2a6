"""The hand-built plan of test_end_to_end, laid into a spreadsheet on the stand-in and synced
through `sheetpilot sync --config cfg.toml --plan NAME`: the same report as the workbook
backend, within the request budget, every user-typed cell untouched."""

from __future__ import annotations

import json
from datetime import date, datetime

import openpyxl
import pytest
from typer.testing import CliRunner

from sheetpilot._cells import a1, date_to_serial
from sheetpilot._cli import app
from tests.test_end_to_end import ACTIONS, OBJECTIVES, SETTINGS, TODAY, build

TABS = {"Réglages": SETTINGS, "Objectifs": OBJECTIVES, "Suivi des actions": ACTIONS}
COMPUTED = {"Suivi des actions": {13}, "Objectifs": {10, 11}}  # Rang; Avancement, État


def raw(value):
    if isinstance(value, date | datetime):
        return date_to_serial(value)
    return "" if value is None else value


@pytest.fixture
def spreadsheet(fake):
    key = fake.create_spreadsheet("Plan T1", sheets={"Notes de l'équipe": [["kept as is"]]})
    book = fake.gspread_client().open_by_key(key)
    for title, rows in TABS.items():
        ws = book.add_worksheet(title, rows=100, cols=20)
        width = max(len(r) for r in rows)
        ws.update([[raw(v) for v in r] + [""] * (width - len(r)) for r in rows], "A1", raw=True)
    fake.reset()
    return key


def user_cells(fake, key):
    cells = {}
    for title in ("Notes de l'équipe", *TABS):
        for r, row in enumerate(fake.values(key, title)):
            for c, value in enumerate(row):
                if c not in COMPUTED.get(title, set()) and value != "":
                    cells[(title, r, c)] = value
    return cells


def computed_cells(fake, key):
    """What the computed columns show, cell by cell (blank cells left out)."""
    return {
        (title, r, c): row[c]
        for title, cols in COMPUTED.items()
        for r, row in enumerate(fake.values(key, title))
        for c in cols
        if r > 0 and c < len(row) and row[c] != ""
    }


def computed_in_workbook(path):
    book = openpyxl.load_workbook(path)
    return {
        (title, cell.row - 1, cell.column - 1): cell.value
        for title, cols in COMPUTED.items()
        for line in book[title].iter_rows()
        for cell in line
        if cell.column - 1 in cols and cell.row > 1 and cell.value not in (None, "")
    }


def sync_config(tmp_path, fake, key, *extra):
    config = tmp_path / "cfg.toml"
    config.write_text(
        f'[google]\ncredentials = "none"\nendpoint = "{fake.url}"\n'
        f'[[plans]]\nname = "plan"\nspreadsheet = "https://docs.google.com/spreadsheets/d/{key}/edit"\n',
        encoding="utf-8",
    )
    report = tmp_path / "google.json"
    result = CliRunner().invoke(
        app,
        [
            "sync",
            "--config",
            str(config),
            "--plan",
            "plan",
            "--today",
            TODAY,
            "--report",
            str(report),
            *extra,
        ],
    )
    return result, json.loads(report.read_text(encoding="utf-8"))


def test_same_report_as_the_workbook_within_budget(tmp_path, fake, spreadsheet):
    path = tmp_path / "plan.xlsx"
    build(path)
    CliRunner().invoke(
        app, ["sync", str(path), "--today", TODAY, "--report", str(tmp_path / "x.json")]
    )
    local = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))

    before = user_cells(fake, spreadsheet)
    result, google = sync_config(tmp_path, fake, spreadsheet)
    assert result.exit_code == 1, result.output  # the plan has errors, as in the workbook
    assert {k: v for k, v in google.items() if k != "writes"} == {
        k: v for k, v in local.items() if k != "writes"
    }
    assert google["writes"]["requests"] == 2  # one read, one batchUpdate
    # On Google the computed columns hold lookups that follow their rows, written on every
    # action (result) row, blank ones included, over the hidden lookups tab (which both
    # backends lay: it holds the live period block's data too); the workbook gets values.
    # The values people see are the same.
    blank_lookups = sum(
        1
        for title, cols in COMPUTED.items()
        for r, row in enumerate(fake.values(spreadsheet, title))
        for c in cols
        if (row[c] if c < len(row) else "") == ""
        and "formulaValue"
        in fake.cell(spreadsheet, f"'{title}'!{a1(r, c)}").get("userEnteredValue", {})
    )
    assert google["writes"]["cells"] == local["writes"]["cells"] + blank_lookups
    assert computed_cells(fake, spreadsheet) == computed_in_workbook(path)
    assert [e.method for e in fake.log] == ["GET", "POST"]
    assert user_cells(fake, spreadsheet) == before
    assert {"Actions par période", "Priorités", "Contrôles"} <= set(fake.sheet_titles(spreadsheet))

    fake.reset()
    _, again = sync_config(tmp_path, fake, spreadsheet)
    assert again["writes"] == {"requests": 1, "cells": 0}
    assert [e.method for e in fake.log] == ["GET"]


def test_dry_run_reads_once_and_writes_nothing(tmp_path, fake, spreadsheet):
    result, report = sync_config(tmp_path, fake, spreadsheet, "--dry-run")
    assert [e.method for e in fake.log] == ["GET"]
    assert report["writes"]["cells"] > 0
    assert "seraient écrites" in result.output  # a French plan: French output
    assert "Actions par période" not in fake.sheet_titles(spreadsheet)
