"""`sheetpilot init KEY --config cfg.toml` over the Sheets API stand-in, through the CLI."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from fakesheets.auth import CLIENT_EMAIL
from sheetpilot._cli import app


@pytest.fixture
def config(tmp_path, fake):
    fake.plant_service_account(tmp_path / "sa.json")
    path = tmp_path / "sheetpilot.toml"
    path.write_text(f'[google]\ncredentials = "sa.json"\nendpoint = "{fake.url}"\n')
    return path


def init(target: str, config, *args: str):
    return CliRunner().invoke(app, ["init", target, "--config", str(config), *args])


def calls(fake):
    return [(e.method, e.path.rsplit("/", 1)[-1]) for e in fake.log]


def test_init_lays_the_template_in_one_batch_then_changes_nothing(fake, config):
    key = fake.create_spreadsheet("Plan", sheets={"Feuille 1": [[]]})
    fake.reset()
    first = init(key, config)
    assert first.exit_code == 0, first.output
    assert calls(fake) == [("GET", key), ("POST", f"{key}:batchUpdate")]
    assert {"Réglages", "Objectifs", "Suivi des actions"} <= set(fake.sheet_titles(key))
    assert fake.values(key, "Suivi des actions!A1:B1") == [["ID", "Statut"]]
    # a French plan: French output
    assert f"Partagez le tableur avec {CLIENT_EMAIL} (Éditeur)" in first.output
    assert "cellules écrites" in first.output and " 0 cellule" not in first.output

    fake.set_values(key, "Suivi des actions!A2", [["A-001", "À faire", "SEO"]])
    before = {t: fake.values(key, t) for t in fake.sheet_titles(key)}
    fake.reset()
    second = init(f"https://docs.google.com/spreadsheets/d/{key}/edit", config)
    assert second.exit_code == 0, second.output
    assert "0 cellule écrite" in second.output  # a French plan: French output
    assert calls(fake) == [("GET", key)]  # one read, no write at all
    assert {t: fake.values(key, t) for t in fake.sheet_titles(key)} == before


def test_init_of_a_spreadsheet_not_shared_says_whom_to_share_with(fake, config):
    key = fake.create_spreadsheet("Someone else's", shared=False)
    result = init(key, config)
    assert result.exit_code == 3
    # init lays a French plan (its default --locale): its errors are French too
    assert f"partagez le tableur avec {CLIENT_EMAIL} (Éditeur)" in result.output
    assert "ya29." not in result.output and "PRIVATE KEY" not in result.output
