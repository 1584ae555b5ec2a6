"""What a user sees at the terminal and in the saved workbook, driven through the CLI.

Each test starts from `sheetpilot init --example`, edits the workbook with openpyxl the way
a user would in Excel or LibreOffice, and runs the real commands.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from sheetpilot._cli import app

TODAY = "2026-03-18"  # the example puts today in P3
ACTIONS = "Suivi des actions"


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def example(tmp_path) -> Path:
    path = tmp_path / "plan.xlsx"
    result = run("init", str(path), "--example", "--today", TODAY)
    assert result.exit_code == 0, result.output
    return path


def edit(path: Path, tab: str, values: dict[str, object]) -> None:
    wb = openpyxl.load_workbook(path)
    for address, value in values.items():
        wb[tab][address] = value
    wb.save(path)


def test_check_lists_errors_before_warnings_so_none_is_hidden(example):
    # 25 warnings (an owner not in the settings) in rows 2..26, then one error in row 30
    typo = {f"K{r}": "Julien Peti" for r in range(2, 27)}
    edit(example, ACTIONS, {**typo, "L30": "beaucoup"})

    result = run("check", str(example), "--today", TODAY)

    assert result.exit_code == 1, result.output
    assert "1 erreur," in result.output  # a French plan: French output
    assert f"{ACTIONS}!L30" in result.output  # the error is shown, not cut off in "… more"
    assert result.output.index("erreur ") < result.output.index("avertissement ")


def test_report_to_a_missing_folder_is_a_usage_error_before_any_write(example, tmp_path):
    edit(example, ACTIONS, {"B13": "Terminé"})  # a change sync would write
    data = example.read_bytes()

    result = run(
        "sync", str(example), "--today", TODAY, "--report", str(tmp_path / "no" / "r.json")
    )

    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "r.json" in result.output
    assert example.read_bytes() == data  # nothing written: the user fixes the path, syncs again


def test_report_into_a_folder_path_is_a_usage_error(example, tmp_path):
    result = run("check", str(example), "--today", TODAY)
    assert result.exit_code == 0
    result = run("sync", str(example), "--today", TODAY, "--report", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)


def test_blocked_sync_does_not_send_the_user_to_a_tab_it_did_not_write(example):
    typo = {f"K{r}": "Julien Peti" for r in range(2, 27)}  # 25 unknown-owner warnings
    edit(example, ACTIONS, {**typo, "L1": None})  # and the estimate column is gone: blocked

    result = run("sync", str(example), "--today", TODAY)

    assert result.exit_code == 1, result.output
    assert "de plus" in result.output  # a French plan: French output
    assert "Contrôles tab" not in result.output
    assert "--report" in result.output


def test_a_missing_required_column_names_it_and_its_tab_and_writes_nothing(example):
    edit(example, ACTIONS, {"K1": None})  # the user deleted the Responsable header
    data = example.read_bytes()

    result = run("sync", str(example), "--today", TODAY)

    assert result.exit_code == 1, result.output
    assert "missing-column" in result.output
    assert "Responsable" in result.output and ACTIONS in result.output
    assert "Rien n'a été écrit" in result.output  # a French plan: French output
    assert example.read_bytes() == data


def test_an_action_without_id_gets_the_next_free_one_and_the_report_uses_it(example, tmp_path):
    edit(
        example,
        ACTIONS,
        {"B33": "À faire", "D33": "Nouvelle action", "G33": "P1", "K33": "Julien Petit",
         "L33": 1, "M33": "P4"},
    )  # fmt: skip
    report = tmp_path / "r.json"

    result = run("sync", str(example), "--today", TODAY, "--report", str(report))

    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(example)[ACTIONS]
    assert sheet["A33"].value == "A-031"
    assert isinstance(sheet["N33"].value, int)  # and its rank, in the same write
    order = json.loads(report.read_text(encoding="utf-8"))["priority_order"]
    assert "A-031" in order and order.index("A-031") + 1 == sheet["N33"].value
    again = run("sync", str(example), "--today", TODAY)
    assert "rien à écrire" in again.output


def test_init_in_english_with_the_example_syncs_cleanly(tmp_path):
    path = tmp_path / "plan.xlsx"
    result = run("init", str(path), "--locale", "en", "--example", "--today", TODAY)
    assert result.exit_code == 0, result.output

    assert openpyxl.load_workbook(path).sheetnames == [
        "Settings", "Objectives", "Action tracking", "Actions by period", "Dashboard",
        "Priorities", "Checks",
        "Computed data",  # hidden: the data of the live period block
    ]  # fmt: skip
    report = tmp_path / "r.json"
    result = run("sync", str(path), "--today", TODAY, "--report", str(report))
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["writes"]["cells"] == 0
    assert {i["severity"] for i in data["issues"]} == {"warning"}
    sheet = openpyxl.load_workbook(path)["Action tracking"]
    assert sheet["B2"].value == "Done" and sheet["N1"].value == "Rank"


def test_the_tool_tabs_read_at_a_glance(example):
    wb = openpyxl.load_workbook(example)
    by_period = wb["Actions par période"]
    assert by_period.freeze_panes == "A3"
    assert [(str(dv.sqref), dv.formula1) for dv in by_period.data_validations.dataValidation] == [
        ("F2", '"P1,P2,P3,P4,P5,P6"')
    ]
    formats = {by_period[a].number_format for a in ("B4", "B5")}
    assert formats == {"dd/mm/yyyy"}  # start, end
    assert by_period["B9"].number_format == "0.0"  # estimated person-days
    assert by_period["B12"].number_format == "0%"  # load
    assert all(by_period.column_dimensions[c].width > 10 for c in "ABCDEF")
    for title, header_row in (("Priorités", 3), ("Contrôles", 3)):
        assert wb[title].freeze_panes == f"A{header_row + 1}"
        assert wb[title][f"A{header_row}"].font.b
    assert wb["Priorités"].column_dimensions["C"].width >= 30  # the action's name
    assert wb["Objectifs"]["L2"].number_format == "0%"  # Avancement


@pytest.mark.parametrize("text", ["=SUM(A1)", "+33 6 12", "@team", "-urgent"])
def test_text_that_looks_like_a_formula_is_text_in_the_tool_tabs(example, text):
    wb = openpyxl.load_workbook(example)
    cell = wb[ACTIONS]["D20"]  # A-019, the first action of the backlog
    cell.value = text
    cell.data_type = "s"  # typed as text (Excel: '=SUM(A1))
    wb.save(example)

    result = run("sync", str(example), "--today", TODAY)

    assert result.exit_code == 0, result.output
    backlog = openpyxl.load_workbook(example)["Priorités"]
    assert backlog["B4"].value == "A-019"
    assert (backlog["C4"].value, backlog["C4"].data_type) == (text, "s")
    assert "rien à écrire" in run("sync", str(example), "--today", TODAY).output


def test_an_open_workbook_is_never_written_but_can_be_checked(example):
    edit(example, ACTIONS, {"B13": "Terminé"})
    lock = example.with_name(f".~lock.{example.name}#")
    lock.write_text("user,host,0;", encoding="utf-8")
    data = example.read_bytes()

    result = run("sync", str(example), "--today", TODAY)
    assert result.exit_code == 3
    assert "open in another program" in result.output and lock.name in result.output
    assert "delete" in result.output  # a lock file left behind by a crash: say how to get out
    assert example.read_bytes() == data
    assert run("check", str(example), "--today", TODAY).exit_code == 0
    assert run("sync", str(example), "--today", TODAY, "--dry-run").exit_code == 0


def test_init_example_on_a_plan_that_holds_data_says_the_example_was_not_added(tmp_path):
    path = tmp_path / "plan.xlsx"
    first = run("init", str(path), "--today", TODAY)
    assert first.exit_code == 0, first.output
    assert f"sheetpilot sync {path}" in first.output  # what to do next

    result = run("init", str(path), "--example", "--today", TODAY)

    assert result.exit_code == 0, result.output
    assert "0 cellule écrite" in result.output  # a French plan: French output
    assert "L'exemple n'a pas été ajouté" in result.output
    assert "Suivi des actions" in result.output
