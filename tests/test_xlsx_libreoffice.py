"""A synced workbook as real LibreOffice Calc reads it (runs where `soffice` is installed).

LibreOffice converts the workbook headless: to CSV (one file per tab, cells as shown),
to check the figures it displays, and to .xlsx, to check that its save keeps
sheetpilot's ownership marks and that the next sync has nothing to write.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import textwrap
from datetime import date
from pathlib import Path

import pytest

from sheetpilot._backends.xlsx import XlsxBackend
from sheetpilot._sync import run_sync

SOFFICE = shutil.which("soffice")
SYSTEM_PYTHON = Path("/usr/bin/python3")  # LibreOffice's Python-UNO bridge lives there
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
    assert owned == {
        "Actions par période",
        "Tableau de bord",
        "Priorités",
        "Contrôles",
        "Données calculées",
    }
    again = run_sync(XlsxBackend(saved), plan="lo", today=TODAY)
    assert again.report.writes.cells == 0


# Renames a tab the way a user does in LibreOffice, through its UNO API, then saves as .xlsx.
RENAME = textwrap.dedent(
    """
    import subprocess, sys, time
    import uno
    from com.sun.star.beans import PropertyValue

    src, dst, old, new, profile = sys.argv[1:6]
    pipe = "sheetpilot_test_%d" % time.time_ns()
    office = subprocess.Popen(["soffice", "-env:UserInstallation=file://" + profile,
        "--headless", "--invisible", "--norestore", "--accept=pipe,name=%s;urp;" % pipe])
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(600):
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except Exception:
                time.sleep(0.1)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        hidden = PropertyValue(Name="Hidden", Value=True)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (hidden,))
        doc.Sheets.getByName(old).Name = new
        xlsx = PropertyValue(Name="FilterName", Value="Calc MS Excel 2007 XML")
        doc.storeToURL(uno.systemPathToFileUrl(dst), (xlsx,))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass
    finally:
        try:
            office.wait(timeout=60)
        except subprocess.TimeoutExpired:
            office.kill()
    """
)


def _has_uno() -> bool:
    if not SYSTEM_PYTHON.exists():
        return False
    found = subprocess.run([str(SYSTEM_PYTHON), "-c", "import uno"], capture_output=True)
    return found.returncode == 0


@pytest.mark.skipif(SOFFICE is None or not _has_uno(), reason="no LibreOffice Python-UNO bridge")
def test_the_mark_follows_a_tab_renamed_in_libreoffice(synced, tmp_path: Path) -> None:
    path, _ = synced
    renamed = tmp_path / "renamed.xlsx"
    subprocess.run(
        [str(SYSTEM_PYTHON), "-c", RENAME, str(path), str(renamed), "Priorités",
         "Priorités 2026", str(tmp_path / "profile")],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    owned = {t.title for t in XlsxBackend(renamed).read().tabs if t.owned}
    assert owned == {"Actions par période", "Priorités 2026", "Contrôles"}
