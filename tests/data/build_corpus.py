"""Build the corpus of rich workbooks the xlsx tests sync (committed beside this script).

Run from the repository root: `python tests/data/build_corpus.py` (needs XlsxWriter, a
test dependency; `--libreoffice` also re-saves the rich plan with LibreOffice, when
`soffice` is installed, into `libreoffice-plan.xlsx`).

Every workbook is a valid plan (the example plan of `sheetpilot init --example`, dated
from 2026-11-09, to be synced with today = 2026-12-02) plus what users put around it:

- `rich-plan.xlsx`: a chart and an image on a user tab, comments, conditional formats,
  an Excel 2010 (x14) data validation in `extLst`, defined names (one of them a print
  area scoped to a tab), a table with a total row, hyperlinks, a hidden tab, frozen
  panes, formulas with cached results in a user column of `Suivi des actions` and in
  `Valeur actuelle` (one a constant sum, one a lookup into a user tab), an autofilter,
  document properties.
- `macros-plan.xlsm`: the plan with a VBA project (a small stand-in `vbaProject.bin`:
  sheetpilot must copy it byte for byte, not run it).
- `libreoffice-plan.xlsx`: `rich-plan.xlsx` as LibreOffice Calc saves it (shared
  strings, its own styles and names), built with `--libreoffice`.
"""

from __future__ import annotations

import argparse
import io
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from datetime import date
from pathlib import Path

import xlsxwriter

from sheetpilot._example import example_plan

HERE = Path(__file__).resolve().parent
START = date(2026, 11, 9)
TODAY = date(2026, 12, 2)  # the day the tests sync the corpus
X14_URI = "{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"


def tiny_png() -> bytes:
    """A 4×4 orange PNG, built by hand (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\x80\x00" * 4 for _ in range(4))
    header = struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _write_grid(ws, grid, fmt_date, *, skip=()) -> None:
    for r, line in enumerate(grid):
        for c, value in enumerate(line):
            if value is None or (r, c) in skip:
                continue
            if isinstance(value, date):
                ws.write_datetime(r, c, value, fmt_date)
            elif isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write(r, c, value)


def build_plan(wb, *, rich: bool) -> None:
    plan = example_plan(START, "fr")
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7"})
    fmt_date = wb.add_format({"num_format": "dd/mm/yyyy"})
    money = wb.add_format({"num_format": "#,##0 €"})

    settings = wb.add_worksheet("Réglages")
    _write_grid(settings, plan.grids["settings"], fmt_date)
    settings.set_row(0, None, bold)
    settings.freeze_panes(1, 0)

    objectives = wb.add_worksheet("Objectifs")
    grid = plan.grids["objectives"]
    current = grid[0].index("Valeur actuelle")
    _write_grid(objectives, grid, fmt_date, skip={(1, current), (2, current)})
    objectives.write_formula(1, current, "=120+9", None, 129)
    objectives.freeze_panes(1, 0)

    actions = wb.add_worksheet("Suivi des actions")
    grid = plan.grids["actions"]
    _write_grid(actions, grid, fmt_date)
    actions.freeze_panes(1, 1)
    estimate = grid[0].index("Estimation (j-h)")
    status = grid[0].index("Statut")
    cost = len(grid[0])  # the user's own column after Rang
    actions.write_string(0, cost, "Coût (€)", bold)
    for r, line in enumerate(grid[1:], start=1):
        days = line[estimate]
        value = float(days) * 450 if isinstance(days, int | float) else 0
        actions.write_formula(r, cost, f"=L{r + 1}*Budget!$B$2", money, value)
    if not rich:
        objectives.write_number(2, current, float(grid_value(plan, "objectives", 2, current)))
        return

    mesures = wb.add_worksheet("Mesures")
    mesures.write_row(0, 0, ["Indicateur", "Valeur", "Source"])
    leads = grid_value(plan, "objectives", 2, current)
    mesures.write_row(1, 0, ["Leads / mois", leads])
    mesures.write_url(1, 2, "https://analytics.example.com/leads", string="Tableau GA4")
    mesures.write_row(2, 0, ["Taux de conversion", 2.4])
    objectives.write_formula(
        2, current, '=VLOOKUP("Leads / mois",Mesures!$A$2:$B$3,2,FALSE)', None, leads
    )

    budget = wb.add_worksheet("Budget")
    budget.write_row(0, 0, ["Paramètre", "Valeur"])
    budget.write_row(1, 0, ["Taux journalier (€)", 450])
    budget.add_table(
        "A4:C8",
        {
            "name": "Depenses",
            "columns": [
                {"header": "Poste"},
                {"header": "Montant", "total_function": "sum"},
                {"header": "Mois"},
            ],
            "data": [
                ["Salon", 4000, "Janvier"],
                ["Publicité LinkedIn", 2500, "Février"],
                ["Rédaction", 1200, "Mars"],
            ],
            "total_row": True,
        },
    )
    budget.write_formula("E4", "=SUM(Depenses[Montant])", None, 7700)

    chart = wb.add_chart({"type": "column"})
    chart.add_series({"name": "Montant", "categories": "=Budget!$A$5:$A$7",
                      "values": "=Budget!$B$5:$B$7"})  # fmt: skip
    chart.set_title({"name": "Dépenses"})
    mesures.insert_chart("E2", chart)
    with tempfile.TemporaryDirectory() as tmp:
        image = Path(tmp) / "logo.png"
        image.write_bytes(tiny_png())
        mesures.insert_image("E20", str(image), {"image_data": io.BytesIO(tiny_png())})

    archives = wb.add_worksheet("Archives")
    archives.write_row(0, 0, ["Ancienne action", "Année"])
    archives.write_row(1, 0, ["Salon 2025", 2025])
    archives.hide()

    actions.write_comment(1, 1, "Terminé le 20/11 : voir le compte rendu", {"author": "Camille"})
    objectives.write_comment(1, 0, "Objectif validé en comité", {"author": "Julien"})
    red = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
    actions.conditional_format(
        1, status, 200, status, {"type": "cell", "criteria": "==", "value": '"Bloqué"',
                                 "format": red}
    )  # fmt: skip
    objectives.conditional_format("L2:L20", {"type": "data_bar", "bar_color": "#63BE7B"})
    actions.data_validation(1, status, 200, status, {"validate": "list",
                            "source": "='Réglages'!$A$2:$A$20"})  # fmt: skip
    actions.autofilter(0, 0, len(grid) - 1, cost)
    actions.write_url(0, cost + 1, "https://intranet.example.com/plan", string="Intranet")
    actions.print_area(0, 0, len(grid) - 1, cost)
    wb.define_name("Taux_journalier", "=Budget!$B$2")
    wb.define_name("Responsables_liste", "='Réglages'!$H$2:$H$20")
    wb.set_properties({"title": "Plan d'actions marketing", "author": "Équipe marketing",
                       "company": "Exemple SAS"})  # fmt: skip
    wb.set_custom_property("Département", "Marketing")


def grid_value(plan, key: str, row: int, col: int):
    return plan.grids[key][row][col]


def add_x14_validation(path: Path, sheet_part: str, column: str) -> None:
    """Add an Excel 2010 data validation (kept in `extLst`) the way Excel writes one."""
    with zipfile.ZipFile(path) as zin:
        parts = [(info, zin.read(info.filename)) for info in zin.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in parts:
            if info.filename == sheet_part:
                assert b"<extLst>" not in data
                ext = (
                    f'<extLst><ext uri="{X14_URI}" xmlns:x14="http://schemas.microsoft.com/'
                    'office/spreadsheetml/2009/9/main"><x14:dataValidations count="1" '
                    'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
                    '<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" '
                    'showErrorMessage="1"><x14:formula1><xm:f>Réglages!$H$2:$H$20</xm:f>'
                    f"</x14:formula1><xm:sqref>{column}2:{column}200</xm:sqref>"
                    "</x14:dataValidation></x14:dataValidations></ext></extLst>"
                ).encode()
                data = data.replace(b"</worksheet>", ext + b"</worksheet>")
            zout.writestr(info, data)
    path.write_bytes(out.getvalue())


def build_rich(path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path))
    build_plan(wb, rich=True)
    wb.close()
    add_x14_validation(path, "xl/worksheets/sheet3.xml", "K")


def build_macros(path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path))
    build_plan(wb, rich=False)
    with tempfile.TemporaryDirectory() as tmp:
        vba = Path(tmp) / "vbaProject.bin"
        # a stand-in for the compiled project: the sync must copy it, never read it
        vba.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
        wb.add_vba_project(str(vba))
        wb.set_vba_name("ThisWorkbook")
        wb.close()


def build_libreoffice(source: Path, target: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("--libreoffice needs LibreOffice (soffice) on PATH")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
             "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", tmp, str(source)],
            check=True, capture_output=True,
        )  # fmt: skip
        shutil.copy(Path(tmp) / source.name, target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--libreoffice", action="store_true")
    args = parser.parse_args(argv)
    build_rich(HERE / "rich-plan.xlsx")
    build_macros(HERE / "macros-plan.xlsm")
    if args.libreoffice:
        build_libreoffice(HERE / "rich-plan.xlsx", HERE / "libreoffice-plan.xlsx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
