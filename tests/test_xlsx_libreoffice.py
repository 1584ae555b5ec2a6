"""A synced workbook as real LibreOffice Calc reads it (runs where `soffice` is installed).

LibreOffice converts the workbook headless: to CSV (one file per tab, cells as shown),
to check the figures it displays, and to .xlsx, to check that its save keeps
sheetpilot's ownership marks and that the next sync has nothing to write.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from sheetpilot._backends.xlsx import XlsxBackend
from sheetpilot._sync import run_sync

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")

DATA = Path(__file__).parent / "data"
TODAY = date(2026, 12, 2)
# CSV export: comma, double quotes, UTF-8, cells as shown, every tab to its own file
CSV_ALL_TABS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def convert(path: Path, to: str, out: Path) -> None:
    assert SOFFICE is not None
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{out}/profile", "--headless",
         "--convert-to", to, "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip


def shown(out: Path, stem: str, tab: str) -> list[list[str]]:
    with open(out / f"{stem}-{tab}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def synced(tmp_path: Path):
    path = tmp_path / "plan.xlsx"
    shutil.copy(DATA / "rich-plan.xlsx", path)
    outcome = run_sync(XlsxBackend(path), plan="lo", today=TODAY)
    return path, outcome.report


def test_libreoffice_shows_the_figures_sheetpilot_computed(synced, tmp_path: Path) -> None:
    path, report = synced
    out = tmp_path / "csv"
    convert(path, CSV_ALL_TABS, out)
    objectives = shown(out, "plan", "Objectifs")
    head = objectives[0]
    progress, health, current = (
        head.index("Avancement"),
        head.index("État"),
        head.index("Valeur actuelle"),
    )
    results = {r.id: r for o in report.objectives for r in o.results}
    r1 = next(row for row in objectives if row[head.index("ID")] == "R1")
    assert r1[current] == "129"  # the user's formula =120+9, kept and calculated
    assert r1[progress] == f"{results['R1'].progress:.0%}" == "50%"
    assert r1[health] == "En bonne voie"
    by_period = shown(out, "plan", "Actions par période")
    lines = {row[0]: row[1] for row in by_period if row and row[0]}
    p3 = next(p for p in report.periods if p.name == "P3")
    assert lines["Début"] == p3.start.strftime("%d/%m/%Y")
    assert lines["Taux de charge"] == f"{p3.load:.0%}"
    actions = shown(out, "plan", "Suivi des actions")
    cost = actions[0].index("Coût (€)")
    assert actions[1][cost] == "1,350 €"  # the user's formula column still calculates


def test_a_libreoffice_save_keeps_the_marks_and_the_next_sync_writes_nothing(
    synced, tmp_path: Path
) -> None:
    path, _ = synced
    out = tmp_path / "saved"
    convert(path, "xlsx:Calc MS Excel 2007 XML", out)
    saved = out / "plan.xlsx"
    owned = {t.title for t in XlsxBackend(saved).read().tabs if t.owned}
    assert owned == {"Actions par période", "Priorités", "Contrôles"}
    again = run_sync(XlsxBackend(saved), plan="lo", today=TODAY)
    assert again.report.writes.cells == 0
