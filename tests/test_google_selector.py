"""F2 of *Actions par période* is the user's, kept as typed: text that merely looks like
the default (``=P3`` over the default P3) is the user's choice, not sheetpilot's default."""

from __future__ import annotations

from typer.testing import CliRunner

from fakesheets import FakeSheets
from sheetpilot._cli import app

TODAY = "2026-11-25"  # in P3 of the example plan
F2 = "'Actions par période'!F2:G2"


def test_text_typed_over_the_default_is_kept_as_typed(tmp_path):
    with FakeSheets() as fake:
        config = tmp_path / "cfg.toml"
        config.write_text(f'[google]\ncredentials = "none"\nendpoint = "{fake.url}"\n')
        key = fake.create_spreadsheet("Plan")
        run = CliRunner().invoke
        args = ["--config", str(config), "--today", TODAY]
        assert run(app, ["init", key, "--example", *args]).exit_code == 0
        assert fake.values(key, F2) == [["P3", "(choix automatique : P3)"]]
        fake.set_values(key, "'Actions par période'!F2", [["'=P3"]])  # the text =P3
        assert run(app, ["sync", key, *args]).exit_code == 0
        assert fake.values(key, F2) == [["=P3"]]  # kept; G2 no longer says "automatic"
        shown = fake.values(key, "'Actions par période'!B4")
        again = run(app, ["sync", key, *args])
        assert "À jour" in again.output
        assert (
            fake.values(key, F2) == [["=P3"]]
            and fake.values(key, "'Actions par période'!B4") == shown
        )


def test_a_formula_typed_in_f2_is_kept_as_typed(tmp_path):
    with FakeSheets() as fake:
        config = tmp_path / "cfg.toml"
        config.write_text(f'[google]\ncredentials = "none"\nendpoint = "{fake.url}"\n')
        key = fake.create_spreadsheet("Plan")
        run = CliRunner().invoke
        args = ["--config", str(config), "--today", TODAY]
        assert run(app, ["init", key, "--example", *args]).exit_code == 0
        fake.set_values(key, "'Actions par période'!F2", [["=P3"]])  # typed: a formula
        assert run(app, ["sync", key, *args]).exit_code == 0
        entered = fake.cell(key, "'Actions par période'!F2")["userEnteredValue"]
        assert entered == {"formulaValue": "=P3"}  # not rewritten to the text P3
        again = run(app, ["sync", key, *args])
        assert "À jour" in again.output, again.output
        assert fake.cell(key, "'Actions par période'!F2")["userEnteredValue"] == entered
