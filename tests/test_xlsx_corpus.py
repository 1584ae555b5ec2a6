"""Syncing rich workbooks (tests/data, built by tests/data/build_corpus.py) loses nothing.

After a sync, every zip part the sync has no reason to change is byte-identical; in a
worksheet part it writes into, the canonical XML differs only in the cells sheetpilot
owns; formula cells keep their formula and cached result; a second sync writes nothing
and leaves the file as it is.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from sheetpilot._backends.xlsx import XlsxBackend
from sheetpilot._backends.xlsx._package import Book, Package
from sheetpilot._sync import SyncOutcome, run_sync

DATA = Path(__file__).parent / "data"
CORPUS = sorted(p.name for p in DATA.iterdir() if p.suffix in (".xlsx", ".xlsm"))
TODAY = date(2026, 12, 2)
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# Workbook-level parts a sync may change: new tabs and marks are registered there, and
# styles are appended to.
WORKBOOK_PARTS = {
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "[Content_Types].xml",
    "xl/styles.xml",
}


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def sheet_parts(path: Path) -> dict[str, str]:
    """Tab title → its worksheet part."""
    book = Book(Package(path.read_bytes()))
    return {t.title: t.part for t in book.worksheets if t.part is not None}


def c14n(element: etree._Element) -> bytes:
    return etree.tostring(element, method="c14n")


def cells(root: etree._Element) -> dict[str, bytes]:
    return {c.get("r", ""): c14n(c) for c in root.iter(f"{MAIN}c")}


def without_cells(root: etree._Element) -> bytes:
    """The worksheet with its cell data and dimension taken out (rows' attributes kept,
    but `spans`, an optional hint that grows when a row gets a cell further right)."""
    root = etree.fromstring(etree.tostring(root))
    for row in root.iter(f"{MAIN}row"):
        if "spans" in row.attrib:
            del row.attrib["spans"]
        for c in list(row):
            row.remove(c)
    for dim in root.findall(f"{MAIN}dimension"):
        root.remove(dim)
    for held in root.findall(f"{MAIN}conditionalFormatting"):  # sheetpilot's own colours
        if 'ISTEXT("sheetpilot")' in "".join(str(t) for t in held.itertext()):
            root.remove(held)
    return c14n(root)


class Synced:
    def __init__(self, tmp_path: Path, name: str) -> None:
        self.path = tmp_path / name
        shutil.copy(DATA / name, self.path)
        self.before = parts(self.path)
        self.tabs_before = sheet_parts(self.path)
        self.outcome: SyncOutcome = run_sync(XlsxBackend(self.path), plan="corpus", today=TODAY)
        self.after = parts(self.path)
        self.tabs_after = sheet_parts(self.path)

    def written(self, title: str) -> set[str]:
        return {w.address for w in self.outcome.changes.writes if w.sheet == title}


@pytest.fixture(params=CORPUS)
def synced(request, tmp_path: Path) -> Synced:
    return Synced(tmp_path, request.param)


def test_the_corpus_is_there_and_syncs_without_errors(synced: Synced) -> None:
    assert len(CORPUS) >= 3
    report = synced.outcome.report
    assert not synced.outcome.blocked
    assert [i for i in report.issues if i.severity == "error"] == []
    assert report.writes.cells > 0


def test_every_part_the_sync_need_not_change_is_byte_identical(synced: Synced) -> None:
    written_tabs = {w.sheet for w in synced.outcome.changes.writes}
    may_change = WORKBOOK_PARTS | {
        part for title, part in synced.tabs_before.items() if title in written_tabs
    }
    kept = [name for name in synced.before if name not in may_change]
    assert kept, "the corpus workbook has parts of its own"
    for name in kept:
        if name.endswith("calcChain.xml"):
            continue
        assert name in synced.after, f"{name} was dropped"
        assert synced.after[name] == synced.before[name], f"{name} changed"
    new_parts = set(synced.after) - set(synced.before)
    new_tabs = {synced.tabs_after[t] for t in synced.tabs_after if t not in synced.tabs_before}
    # only the new tool-owned tabs' worksheets were added, with the dashboard's charts: its
    # drawing and chart parts and the rels that tie them to its worksheet
    rels = {t.replace("worksheets/", "worksheets/_rels/") + ".rels" for t in new_tabs}
    drawn = {n for n in new_parts if n.startswith(("xl/charts/", "xl/drawings/"))}
    assert new_parts - drawn - (rels & new_parts) == new_tabs
    assert len([n for n in drawn if n.startswith("xl/charts/chart")]) == 2


def test_user_tabs_and_drawings_are_untouched(synced: Synced) -> None:
    for title in ("Réglages", "Mesures", "Budget", "Archives"):
        part = synced.tabs_before.get(title)
        if part is not None:
            assert synced.after[part] == synced.before[part], title
    for name in synced.before:
        if name.startswith(("xl/charts/", "xl/drawings/", "xl/media/", "xl/tables/")) or (
            name.startswith("xl/comments") or name in ("xl/vbaProject.bin", "xl/sharedStrings.xml")
        ):
            assert synced.after[name] == synced.before[name], name


def test_changed_sheet_parts_differ_only_in_the_cells_sheetpilot_owns(synced: Synced) -> None:
    checked = 0
    for title, part in synced.tabs_before.items():
        before = etree.fromstring(synced.before[part])
        after = etree.fromstring(synced.after[part])
        assert without_cells(after) == without_cells(before), f"{title}: not only cells changed"
        owned = synced.written(title)
        old, new = cells(before), cells(after)
        for ref in set(old) | set(new):
            if ref not in owned:
                assert new.get(ref) == old.get(ref), f"{title}!{ref} changed"
        checked += bool(owned)
    assert checked >= 2  # Objectifs (Avancement, État) and Suivi des actions (Rang)


def _cell(path_parts: dict[str, bytes], part: str, ref: str) -> etree._Element:
    root = etree.fromstring(path_parts[part])
    found = [c for c in root.iter(f"{MAIN}c") if c.get("r") == ref]
    assert found, ref
    return found[0]


def test_formula_cells_keep_their_formula_and_cached_result(synced: Synced) -> None:
    objectives = synced.tabs_before["Objectifs"]
    actions = synced.tabs_before["Suivi des actions"]
    formulas = [(objectives, "I2"), (actions, "O2"), (actions, "O31")]
    if "Mesures" in synced.tabs_before:  # the rich plans: a lookup into a user tab
        formulas.append((objectives, "I3"))
    for part, ref in formulas:
        old, new = _cell(synced.before, part, ref), _cell(synced.after, part, ref)
        assert old.find(f"{MAIN}f") is not None, ref
        assert new.find(f"{MAIN}v") is not None, ref
        assert c14n(new) == c14n(old), ref
    # and the sync used the cached result: R1's current value is the formula =120+9
    results = {r.id: r for o in synced.outcome.report.objectives for r in o.results}
    assert results["R1"].progress == pytest.approx(0.5)
    assert not [i for i in synced.outcome.report.issues if i.code == "missing-current"]


def test_a_second_sync_writes_nothing_and_leaves_the_file_alone(synced: Synced) -> None:
    os.utime(synced.path, ns=(1_000_000_000, 1_000_000_000))
    data = synced.path.read_bytes()
    again = run_sync(XlsxBackend(synced.path), plan="corpus", today=TODAY)
    assert again.report.writes.cells == 0
    assert again.changes.empty
    # the formula in Valeur actuelle still reads as its result: nothing flips
    results = {r.id: r for o in again.report.objectives for r in o.results}
    assert results["R1"].progress == pytest.approx(0.5)
    assert synced.path.read_bytes() == data
    assert synced.path.stat().st_mtime_ns == 1_000_000_000


def test_existing_defined_names_and_tab_order_are_kept(synced: Synced) -> None:
    def names(data: bytes) -> list[bytes]:
        root = etree.fromstring(data)
        return [
            c14n(n)
            for n in root.iter(f"{MAIN}definedName")
            if not n.get("name", "").startswith("_sheetpilot")
            and not (  # the print titles of the tabs sheetpilot created
                n.get("name") == "_xlnm.Print_Titles"
                and any(f"'{t}'!" in (n.text or "") for t in created)
            )
        ]

    created = set(synced.tabs_after) - set(synced.tabs_before)

    assert names(synced.after["xl/workbook.xml"]) == names(synced.before["xl/workbook.xml"])
    titles_before = list(synced.tabs_before)
    assert [t for t in synced.tabs_after if t in synced.tabs_before] == titles_before


def test_new_tabs_carry_the_ownership_mark(synced: Synced) -> None:
    snapshot = XlsxBackend(synced.path).read()
    owned = {t.title for t in snapshot.tabs if t.owned}
    created = set(synced.tabs_after) - set(synced.tabs_before)
    assert created and owned == created


def test_the_macro_workbook_keeps_its_vba_project_byte_for_byte(tmp_path: Path) -> None:
    synced = Synced(tmp_path, "macros-plan.xlsm")
    assert synced.after["xl/vbaProject.bin"] == synced.before["xl/vbaProject.bin"]
    types = synced.after["[Content_Types].xml"].decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types


def test_x14_validation_in_extlst_is_kept(tmp_path: Path) -> None:
    synced = Synced(tmp_path, "rich-plan.xlsx")
    part = synced.tabs_before["Suivi des actions"]
    assert b"x14:dataValidation " in synced.before[part]
    root = etree.fromstring(synced.after[part])
    ext = root.find(f"{MAIN}extLst")
    assert ext is not None
    ext_before = etree.fromstring(synced.before[part]).find(f"{MAIN}extLst")
    assert ext_before is not None
    assert c14n(ext) == c14n(ext_before)


def test_other_readers_still_see_the_formula_results(tmp_path: Path) -> None:
    """pandas, BI tools and openpyxl's values-only mode read the cached results."""
    import openpyxl

    synced = Synced(tmp_path, "rich-plan.xlsx")
    with pytest.warns(UserWarning, match="extension is not supported"):  # openpyxl on x14
        wb = openpyxl.load_workbook(synced.path, data_only=True)
    assert wb["Objectifs"]["I2"].value == 129
    assert wb["Suivi des actions"]["O2"].value == 1350
    assert wb["Budget"]["E4"].value == 7700
    assert wb["Objectifs"]["L2"].value == pytest.approx(0.5)  # written by sheetpilot


@pytest.mark.parametrize("name", CORPUS)
def test_init_on_a_complete_plan_writes_nothing(tmp_path: Path, name: str) -> None:
    from typer.testing import CliRunner

    from sheetpilot._cli import app

    path = tmp_path / name
    shutil.copy(DATA / name, path)
    result = CliRunner().invoke(app, ["init", str(path), "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert "0 cellule écrite" in result.output  # a French plan: French output
    assert path.read_bytes() == (DATA / name).read_bytes()


def test_workbook_level_parts_only_gain_entries(synced: Synced) -> None:
    """Content types, relationships and styles keep every entry they had, in order."""

    def entries(name: str, tag: str) -> list[bytes]:
        return [c14n(e) for e in etree.fromstring(synced.after[name]).findall(tag)]

    def entries_before(name: str, tag: str) -> list[bytes]:
        return [c14n(e) for e in etree.fromstring(synced.before[name]).findall(tag)]

    ct = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    rel = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
    for name, tag in (
        ("[Content_Types].xml", f"{ct}Override"),
        ("[Content_Types].xml", f"{ct}Default"),
        ("xl/_rels/workbook.xml.rels", rel),
        ("xl/styles.xml", f"{MAIN}cellXfs/{MAIN}xf"),
        ("xl/styles.xml", f"{MAIN}cellStyleXfs/{MAIN}xf"),
        ("xl/styles.xml", f"{MAIN}fonts/{MAIN}font"),
        ("xl/styles.xml", f"{MAIN}numFmts/{MAIN}numFmt"),
        ("xl/styles.xml", f"{MAIN}dxfs/{MAIN}dxf"),
    ):
        old = [e for e in entries_before(name, tag) if b"calcChain" not in e]
        new = entries(name, tag)
        assert new[: len(old)] == old, f"{name}: {tag} entries changed"
