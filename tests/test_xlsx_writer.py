"""The package writer, part by part: what it writes into the XML, and what it leaves."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from lxml import etree

from sheetpilot._backends.xlsx import XlsxBackend
from sheetpilot._workbook import CellWrite, ChangeSet, Guard, TabLayout
from tests.xlsx_builders import raw_workbook

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def put(sheet: str, row: int, col: int, value, **kw) -> CellWrite:
    return CellWrite(sheet=sheet, row=row, col=col, value=value, **kw)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def xml(path: Path, name: str) -> etree._Element:
    return etree.fromstring(parts(path)[name])


def cell_xml(path: Path, ref: str, part: str = "xl/worksheets/sheet1.xml") -> etree._Element:
    found = [c for c in xml(path, part).iter(f"{MAIN}c") if c.get("r") == ref]
    assert len(found) == 1, ref
    return found[0]


def xf(path: Path, style: int) -> etree._Element:
    xfs = xml(path, "xl/styles.xml").find(f"{MAIN}cellXfs")
    assert xfs is not None
    return list(xfs)[style]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A workbook as Excel-like tools write it: shared strings, styles, a formula."""
    path = tmp_path / "book.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Notes")
    fill = wb.add_format({"bg_color": "#FFFF00"})
    ws.write_string("A1", "Réunion du lundi")
    ws.write_string("A2", "Budget")
    ws.write_number("B2", 1200, fill)
    ws.write_formula("C2", "=B2*2", None, 2400)
    ws.merge_range("A5:B6", "Fusion")
    wb.add_worksheet("Autre").write_string("A1", "x")
    wb.define_name("Zone", "=Autre!$A$1")
    wb.worksheets()[1].print_area("A1:B2")
    wb.close()
    return path


@pytest.mark.parametrize("text", ["=SUM(A1)", "+33 6 12 34 56 78", "-x", "@y"])
def test_text_that_looks_like_a_formula_is_stored_as_text_with_a_quote_prefix(
    book: Path, text: str
) -> None:
    XlsxBackend(book).write(ChangeSet(writes=(put("Notes", 0, 3, text),)))
    c = cell_xml(book, "D1")
    assert c.get("t") == "inlineStr"
    assert c.find(f"{MAIN}f") is None
    assert "".join(str(t) for t in c.itertext()) == text
    # Excel shows it as typed and never evaluates it: the style carries quotePrefix
    assert xf(book, int(c.get("s", "0"))).get("quotePrefix") == "1"
    assert XlsxBackend(book).read().grids()["Notes"][0][3] == text


def test_ordinary_text_gets_no_quote_prefix(book: Path) -> None:
    XlsxBackend(book).write(ChangeSet(writes=(put("Notes", 0, 3, "Salon"),)))
    c = cell_xml(book, "D1")
    assert xf(book, int(c.get("s", "0"))).get("quotePrefix") is None


def test_strings_are_inline_and_shared_strings_are_never_reindexed(book: Path) -> None:
    before = parts(book)
    XlsxBackend(book).write(
        ChangeSet(writes=(put("Notes", 0, 0, "Nouveau titre"), put("Notes", 9, 0, "Bas")))
    )
    after = parts(book)
    assert after["xl/sharedStrings.xml"] == before["xl/sharedStrings.xml"]
    assert cell_xml(book, "A2").get("t") == "s"  # the user's cell still points at its string
    assert XlsxBackend(book).read().grids()["Notes"][1][0] == "Budget"


def test_styles_are_appended_never_renumbered_and_reused(book: Path) -> None:
    xfs_before = [etree.tostring(x) for x in xml(book, "xl/styles.xml").iter(f"{MAIN}xf")]
    XlsxBackend(book).write(
        ChangeSet(writes=(put("Notes", 1, 1, 0.5, number_format="0%", bold=True),))
    )
    styles = xml(book, "xl/styles.xml")
    xfs_after = [etree.tostring(x) for x in styles.iter(f"{MAIN}xf")]
    assert xfs_after[: len(xfs_before)] == xfs_before
    c = cell_xml(book, "B2")
    new = xf(book, int(c.get("s", "0")))
    assert new.get("numFmtId") == "9"
    fonts = list(styles.iter(f"{MAIN}font"))
    assert fonts[int(new.get("fontId", "0"))].find(f"{MAIN}b") is not None
    # the user's yellow fill is kept on the restyled cell
    old_fill = xf(book, 1).get("fillId")
    assert new.get("fillId") == old_fill != "0"
    count = len(xfs_after)
    for row in (7, 8):  # two new cells, one new style shared by both
        XlsxBackend(book).write(
            ChangeSet(writes=(put("Notes", row, 3, 0.25, number_format="0%", bold=True),))
        )
    assert len(list(xml(book, "xl/styles.xml").iter(f"{MAIN}xf"))) == count + 1
    assert cell_xml(book, "D8").get("s") == cell_xml(book, "D9").get("s")


def test_custom_number_format_is_added_once(book: Path) -> None:
    for row in (3, 4):
        XlsxBackend(book).write(ChangeSet(writes=(put("Notes", row, 6, 1.5, number_format="0.0"),)))
    formats = xml(book, "xl/styles.xml").find(f"{MAIN}numFmts")
    assert formats is not None
    codes = [f.get("formatCode") for f in formats]
    assert codes.count("0.0") == 1
    assert all(int(f.get("numFmtId", "0")) >= 164 for f in formats)


def test_rows_are_created_in_order_and_the_dimension_grows(book: Path) -> None:
    XlsxBackend(book).write(
        ChangeSet(writes=(put("Notes", 9, 7, "bas"), put("Notes", 3, 0, "milieu")))
    )
    root = xml(book, "xl/worksheets/sheet1.xml")
    rows = [int(r.get("r", "0")) for r in root.iter(f"{MAIN}row")]
    assert rows == sorted(rows) and {4, 10} <= set(rows)
    dimension = root.find(f"{MAIN}dimension")
    assert dimension is not None and dimension.get("ref") == "A1:H10"
    assert openpyxl.load_workbook(book)["Notes"]["H10"].value == "bas"


def test_cells_keep_their_order_within_a_row(book: Path) -> None:
    XlsxBackend(book).write(ChangeSet(writes=(put("Notes", 1, 5, 1), put("Notes", 1, 3, 2))))
    row = [r for r in xml(book, "xl/worksheets/sheet1.xml").iter(f"{MAIN}row")][1]
    assert [c.get("r") for c in row] == ["A2", "B2", "C2", "D2", "F2"]


def test_a_write_inside_a_merged_range_is_skipped(book: Path) -> None:
    assert XlsxBackend(book).write(ChangeSet(writes=(put("Notes", 5, 1, "x"),))) == 0
    assert XlsxBackend(book).write(ChangeSet(writes=(put("Notes", 4, 0, "Titre"),))) == 1


def test_a_formula_is_written_with_its_cached_result(book: Path) -> None:
    XlsxBackend(book).write(
        ChangeSet(
            writes=(
                put("Notes", 3, 0, 3600, formula="=SUM(B2:C2)"),
                put("Notes", 3, 1, "Budget", formula='=IFERROR(INDEX(A1:A2,2),"")'),
            )
        )
    )
    a4, b4 = cell_xml(book, "A4"), cell_xml(book, "B4")
    assert (a4.findtext(f"{MAIN}f"), a4.findtext(f"{MAIN}v"), a4.get("t")) == (
        "SUM(B2:C2)",
        "3600",
        None,
    )
    assert (b4.findtext(f"{MAIN}v"), b4.get("t")) == ("Budget", "str")
    tab = XlsxBackend(book).read().tabs[0]
    assert tab.grid[3][:2] == [3600, "Budget"]
    assert tab.formulas[(3, 0)] == "=SUM(B2:C2)"
    assert (3, 0) not in tab.uncalculated
    before = book.read_bytes()
    XlsxBackend(book).write(ChangeSet(writes=(put("Notes", 3, 0, 3600, formula="=SUM(B2:C2)"),)))
    assert book.read_bytes() == before  # the same formula and result: nothing to save


def with_calc_chain(path: Path) -> None:
    """Add the calculation chain Excel saves beside formulas."""
    items = parts(path)
    items["xl/calcChain.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<c r="C2" i="1"/></calcChain>'
    )
    rels = items["xl/_rels/workbook.xml.rels"].decode()
    items["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>",
        '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>',
    ).encode()
    types = items["[Content_Types].xml"].decode()
    items["[Content_Types].xml"] = types.replace(
        "</Types>",
        '<Override PartName="/xl/calcChain.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>',
    ).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in items.items():
            z.writestr(name, data)
    path.write_bytes(buffer.getvalue())


def test_calc_chain_is_dropped_when_formula_cells_change(book: Path) -> None:
    with_calc_chain(book)
    XlsxBackend(book).write(ChangeSet(writes=(put("Notes", 1, 2, 5),)))  # over C2's formula
    after = parts(book)
    assert "xl/calcChain.xml" not in after
    assert b"calcChain" not in after["xl/_rels/workbook.xml.rels"]
    assert b"calcChain" not in after["[Content_Types].xml"]
    assert openpyxl.load_workbook(book)["Notes"]["C2"].value == 5


def test_calc_chain_is_kept_when_no_formula_cell_changes(book: Path) -> None:
    with_calc_chain(book)
    chain = parts(book)["xl/calcChain.xml"]
    XlsxBackend(book).write(ChangeSet(writes=(put("Notes", 0, 4, "note"),)))
    assert parts(book)["xl/calcChain.xml"] == chain


def test_user_formulas_are_recalculated_when_the_workbook_is_opened(book: Path) -> None:
    XlsxBackend(book).write(ChangeSet(writes=(put("Notes", 1, 1, 1300),)))  # C2 = B2*2
    calc = xml(book, "xl/workbook.xml").find(f"{MAIN}calcPr")
    assert calc is not None and calc.get("fullCalcOnLoad") == "1"


def test_new_tab_layout_hidden_frozen_widths_and_position(book: Path) -> None:
    layout = TabLayout("Contrôles", column_widths=(140, 70), frozen_rows=2, index=0, hidden=True)
    XlsxBackend(book).write(ChangeSet(new_tabs=(layout,), writes=(put("Contrôles", 0, 0, "x"),)))
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["Contrôles", "Notes", "Autre"]
    ws = wb["Contrôles"]
    assert ws.sheet_state == "hidden"
    assert ws.freeze_panes == "A3"
    assert (ws.column_dimensions["A"].width, ws.column_dimensions["B"].width) == (20, 10)
    assert ws["A1"].value == "x"
    assert wb.active.title == "Notes"  # the tab the user left open stays the active one


def test_a_tab_inserted_before_others_keeps_their_print_areas_on_them(book: Path) -> None:
    XlsxBackend(book).write(ChangeSet(new_tabs=(TabLayout("Priorités", index=0),)))
    names = {
        n.get("name"): n
        for n in xml(book, "xl/workbook.xml").iter(f"{MAIN}definedName")
        if n.get("name", "").startswith("_xlnm")
    }
    area = names["_xlnm.Print_Area"]
    assert area.get("localSheetId") == "2"  # "Autre" moved from index 1 to 2
    wb = openpyxl.load_workbook(book)
    assert wb["Autre"].print_area == "'Autre'!$A$1:$B$2"


def test_new_tabs_and_adopted_tabs_carry_the_ownership_mark(book: Path) -> None:
    snapshot = XlsxBackend(book).read()
    assert [t.owned for t in snapshot.tabs] == [False, False]
    XlsxBackend(book).write(ChangeSet(new_tabs=(TabLayout("Priorités"),)))
    XlsxBackend(book).write(ChangeSet(adopt=("Autre",)))
    before = book.read_bytes()
    XlsxBackend(book).write(ChangeSet(adopt=("Autre",)))  # already ours: nothing to write
    assert book.read_bytes() == before
    owned = {t.title: t.owned for t in XlsxBackend(book).read().tabs}
    assert owned == {"Notes": False, "Autre": True, "Priorités": True}
    marks = [
        n.text or ""
        for n in xml(book, "xl/workbook.xml").iter(f"{MAIN}definedName")
        if n.get("name", "").startswith("_sheetpilot_owned_")
    ]
    assert sorted(marks) == ["'Autre'!$A$1", "'Priorités'!$A$1"]


def test_the_mark_follows_a_renamed_tab(book: Path) -> None:
    """Excel and LibreOffice rewrite defined names' references when a tab is renamed."""
    XlsxBackend(book).write(ChangeSet(new_tabs=(TabLayout("Priorités"),)))
    items = parts(book)
    workbook = items["xl/workbook.xml"].decode()
    items["xl/workbook.xml"] = workbook.replace("Priorités", "Priorités 2026").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in items.items():
            z.writestr(name, data)
    book.write_bytes(buffer.getvalue())
    owned = {t.title: t.owned for t in XlsxBackend(book).read().tabs}
    assert owned["Priorités 2026"] is True


def test_a_bad_tab_name_is_refused_before_any_write(book: Path) -> None:
    from sheetpilot._errors import BackendError

    before = book.read_bytes()
    with pytest.raises(BackendError, match=r"cannot create a tab named 'a/b'"):
        XlsxBackend(book).write(ChangeSet(new_tabs=(TabLayout("a/b"),)))
    assert book.read_bytes() == before


def test_a_new_workbook_opens_in_openpyxl_with_only_its_tabs(tmp_path: Path) -> None:
    path = tmp_path / "new.xlsx"
    backend = XlsxBackend(path, create=True)
    backend.write(
        ChangeSet(
            new_tabs=(TabLayout("Réglages"), TabLayout("Objectifs")),
            writes=(put("Objectifs", 0, 0, "ID", bold=True),),
        )
    )
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Réglages", "Objectifs"]
    assert wb["Objectifs"]["A1"].font.b is True


def test_a_tab_differing_only_in_case_is_refused(book: Path) -> None:
    from sheetpilot._errors import BackendError

    before = book.read_bytes()
    with pytest.raises(BackendError, match=r"already has a tab named 'Notes'"):
        XlsxBackend(book).write(ChangeSet(new_tabs=(TabLayout("NOTES"),)))
    assert book.read_bytes() == before


def test_overwriting_the_first_cell_of_a_shared_formula_keeps_the_others(tmp_path: Path) -> None:
    """Excel stores a filled-down formula once, in its first cell; the others refer to it."""
    path = raw_workbook(
        tmp_path / "s.xlsx",
        '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f t="shared" ref="B1:B3" si="0">A1*2</f>'
        '<v>2</v></c></row><row r="2"><c r="A2"><v>2</v></c><c r="B2"><f t="shared" si="0"/>'
        '<v>4</v></c></row><row r="3"><c r="A3"><v>3</v></c><c r="B3"><f t="shared" si="0"/>'
        "<v>6</v></c></row>",
    )
    XlsxBackend(path).write(ChangeSet(writes=(put("T", 0, 1, "rang"),)))
    tab = XlsxBackend(path).read().tabs[0]
    assert tab.grid == [[1, "rang"], [2, 4], [3, 6]]
    assert tab.formulas == {(1, 1): "=A2*2", (2, 1): "=A3*2"}
    assert openpyxl.load_workbook(path)["T"]["B3"].value == "=A3*2"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('<c r="A1" t="b"><v>1</v></c>', True),
        ('<c r="A1" t="e"><v>#N/A</v></c>', "#N/A"),
        ('<c r="A1" t="inlineStr"><is><t>A-001</t></is></c>', "A-001"),
        ('<c r="A1" t="str"><f>"A-"&amp;"001"</f><v>A-001</v></c>', "A-001"),
        ('<c r="A1"><v>46037</v></c>', date(2026, 1, 15)),  # a date is its serial number
        ('<c r="A1"><v>2.5</v></c>', 2.5),
        ("<c r='A1'/>", None),
    ],
)
def test_guards_compare_what_every_kind_of_cell_holds(tmp_path: Path, cell: str, expected) -> None:
    path = raw_workbook(tmp_path / "g.xlsx", f'<row r="1">{cell}</row>')
    guarded = put("T", 0, 1, "ok", guard=Guard(0, 0, expected))
    assert XlsxBackend(path).write(ChangeSet(writes=(guarded,))) == 1
    other = put("T", 0, 2, "non", guard=Guard(0, 0, "autre chose"))
    assert XlsxBackend(path).write(ChangeSet(writes=(other,))) == 0


def test_times_and_datetimes_are_written_as_serial_numbers_with_a_format(book: Path) -> None:
    XlsxBackend(book).write(
        ChangeSet(
            writes=(
                put("Notes", 7, 0, datetime(2026, 1, 15, 12, 0)),
                put("Notes", 7, 1, time(6, 0)),
                put("Notes", 7, 2, float("nan")),
            )
        )
    )
    assert cell_xml(book, "A8").findtext(f"{MAIN}v") == "46037.5"
    assert cell_xml(book, "B8").findtext(f"{MAIN}v") == "0.25"
    assert cell_xml(book, "C8").get("t") == "e"  # never an invalid number in the file
    assert XlsxBackend(book).read().grids()["Notes"][7][0] == datetime(2026, 1, 15, 12, 0)


def test_clearing_a_cell_keeps_its_style_and_drops_its_value(book: Path) -> None:
    XlsxBackend(book).write(ChangeSet(writes=(put("Notes", 1, 1, None),)))  # the yellow B2
    c = cell_xml(book, "B2")
    assert c.find(f"{MAIN}v") is None and c.get("s") is not None
    assert XlsxBackend(book).read().grids()["Notes"][1][:2] == ["Budget", None]


def test_a_dropdown_replaces_an_excel_2010_validation_on_the_same_cells(tmp_path: Path) -> None:
    from sheetpilot._workbook import ListValidation

    x14 = (
        '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="http://schemas.'
        'microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations count="1" '
        'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:dataValidation '
        'type="list"><x14:formula1><xm:f>Autre!$A$1:$A$5</xm:f></x14:formula1>'
        "<xm:sqref>B2:C10</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"
    )
    path = raw_workbook(tmp_path / "x.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>')
    items = parts(path)
    sheet = next(n for n in items if n.startswith("xl/worksheets/"))
    items[sheet] = items[sheet].replace(b"</worksheet>", x14.encode() + b"</worksheet>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in items.items():
            z.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    XlsxBackend(path).write(
        ChangeSet(validations=(ListValidation("T", 1, 1, values=("a", "b"), rows=9),))
    )
    root = xml(path, sheet)
    sqref = root.find(".//{http://schemas.microsoft.com/office/excel/2006/main}sqref")
    assert sqref is not None and sqref.text == "C2:C10"  # the user's keeps column C
    ours = root.find(f"{MAIN}dataValidations/{MAIN}dataValidation")
    assert ours is not None and ours.get("sqref") == "B2:B10"


def test_newer_functions_are_stored_with_excels_prefix_and_read_without(book: Path) -> None:
    XlsxBackend(book).write(
        ChangeSet(writes=(put("Notes", 3, 0, 1200, formula='=IFNA(INDEX(B2:B2,1),"IFS(")'),))
    )
    assert cell_xml(book, "A4").findtext(f"{MAIN}f") == '_xlfn.IFNA(INDEX(B2:B2,1),"IFS(")'
    tab = XlsxBackend(book).read().tabs[0]
    assert tab.formulas[(3, 0)] == '=IFNA(INDEX(B2:B2,1),"IFS(")'


def test_a_cell_with_an_empty_style_attribute_is_written(tmp_path: Path) -> None:
    path = raw_workbook(tmp_path / "s.xlsx", '<row r="1"><c r="A1" s=""><v>1</v></c></row>')
    assert XlsxBackend(path).write(ChangeSet(writes=(put("T", 0, 0, 2),))) == 1
    assert XlsxBackend(path).read().grids()["T"] == [[2]]
