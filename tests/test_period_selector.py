"""The F2 period selector over time: sheetpilot's default follows the calendar, the user's
choice stays, and a selector naming no period is reported at F2."""

from __future__ import annotations

import json

import openpyxl
from typer.testing import CliRunner

from sheetpilot._cli import app
from tests.test_end_to_end import build

TAB = "Actions par période"


def sync(path, today):
    report = path.parent / "r.json"
    CliRunner().invoke(app, ["sync", str(path), "--today", today, "--report", str(report)])
    return json.loads(report.read_text(encoding="utf-8"))


def selector(path):
    tab = openpyxl.load_workbook(path, data_only=True)[TAB]  # B4: its cached result
    return tab["F2"].value, tab["G2"].value, tab["B4"].value.date().isoformat()


def test_the_default_follows_the_calendar(tmp_path):
    path = tmp_path / "plan.xlsx"
    build(path)
    sync(path, "2026-01-22")  # in P2
    assert selector(path) == ("P2", "(choix automatique : P2)", "2026-01-19")
    sync(path, "2026-02-03")  # two weeks later, in P3: the default moves on
    assert selector(path) == ("P3", "(choix automatique : P3)", "2026-02-02")


def test_a_choice_of_the_user_stays_over_time(tmp_path):
    path = tmp_path / "plan.xlsx"
    build(path)
    sync(path, "2026-01-22")
    wb = openpyxl.load_workbook(path)
    wb[TAB]["F2"] = "P1"  # the user goes back to P1 for the review
    wb.save(path)
    sync(path, "2026-01-22")
    assert selector(path) == ("P1", None, "2026-01-05")
    sync(path, "2026-02-03")
    assert selector(path) == ("P1", None, "2026-01-05")


def test_a_selector_naming_no_period_is_reported_at_f2(tmp_path):
    path = tmp_path / "plan.xlsx"
    build(path)
    sync(path, "2026-01-22")
    wb = openpyxl.load_workbook(path)
    wb[TAB]["F2"] = "P9"
    wb.save(path)
    report = sync(path, "2026-01-22")
    [issue] = [i for i in report["issues"] if i["cell"] == "F2"]
    assert (issue["code"], issue["sheet"], issue["severity"]) == ("unknown-value", TAB, "warning")
    assert "'P9'" in issue["message"] and "P1, P2, P3" in issue["message"]
    assert selector(path) == ("P2", "(choix automatique : P2)", "2026-01-19")


def test_a_missing_estimate_column_is_one_error_not_one_per_row(tmp_path):
    path = tmp_path / "plan.xlsx"
    build(path)
    wb = openpyxl.load_workbook(path)
    wb["Suivi des actions"]["F1"] = None  # the Estimation (j-h) header is gone
    wb.save(path)
    report = sync(path, "2026-01-22")
    codes = [i["code"] for i in report["issues"]]
    assert codes.count("missing-column") == 1
    assert "missing-estimate" not in codes
