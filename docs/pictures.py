"""Pictures of the sheet for the docs: `python docs/pictures.py` (needs LibreOffice and
poppler's pdftoppm on PATH).

Runs sheetpilot on a fresh example workbook (`sheetpilot init X.xlsx --example`, then
`sheetpilot sync`, today being the example's today), has LibreOffice print it to PDF (headless, one page per tab), and
writes the pages of the tabs below as PNG into docs/images/.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
IMAGES = HERE / "images"
# Tab (as in the example workbook, French) → picture.
PICTURES = {
    "Actions par période": "actions-par-periode.png",
    "Tableau de bord": "tableau-de-bord.png",
}
PDF_FILTER = 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}'


def _run(*args: str, cwd: Path | None = None) -> None:
    subprocess.run(args, check=True, cwd=cwd, capture_output=True, timeout=300)


def _titles(path: Path) -> list[str]:
    """The tabs LibreOffice prints, one page each, in order (hidden tabs do not print)."""
    from zipfile import ZipFile

    from lxml import etree

    with ZipFile(path) as package:
        book = etree.fromstring(package.read("xl/workbook.xml"))
    sheets = book.iterfind("{*}sheets/{*}sheet")
    return [s.get("name", "") for s in sheets if s.get("state") not in ("hidden", "veryHidden")]


def main() -> int:
    sheetpilot = shutil.which("sheetpilot") or str(Path(sys.executable).with_name("sheetpilot"))
    IMAGES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        book = work / "plan.xlsx"
        _run(sheetpilot, "init", str(book), "--example")
        subprocess.run(
            [sheetpilot, "sync", str(book)], capture_output=True, timeout=300
        )  # exit 1 when the plan has errors: the pictures show them
        profile = (work / "profile").as_uri()
        _run(
            "soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
            PDF_FILTER, "--outdir", str(work), str(book),
        )  # fmt: skip
        titles = _titles(book)
        for title, name in PICTURES.items():
            page = titles.index(title) + 1
            stem = work / "page"
            _run("pdftoppm", "-png", "-r", "70", "-f", str(page), "-l", str(page),
                 "-singlefile", str(work / "plan.pdf"), str(stem))  # fmt: skip
            shutil.copyfile(stem.with_suffix(".png"), IMAGES / name)
            print(IMAGES / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
