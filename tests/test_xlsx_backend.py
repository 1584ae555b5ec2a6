"""The local-workbook backend against real .xlsx files in tmp_path."""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from sheetpilot._backends.base import Backend
from sheetpilot._backends.xlsx import XlsxBackend, lock_files
from sheetpilot._cells import cell
from sheetpilot._errors import SpreadsheetNotFound, WorkbookUnavailable
from sheetpilot._workbook import CellWrite, ChangeSet, Guard, ListValidation, TabLayout


def make_workbook(path: Path, tabs: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in tabs.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def put(sheet: str, row: int, col: int, value, **kw) -> CellWrite:
    return CellWrite(sheet=sheet, row=row, col=col, value=value, **kw)


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return make_workbook(
        tmp_path / "plan.xlsx",
        {
            "Suivi des actions": [
                ["ID", "Statut", "Action", "Rang", "Ma note"],
                ["A-001", "À faire", "Audit SEO", None, "à revoir"],
                ["A-002", "En cours", "Livre blanc", None, None],
            ],
            "Notes": [["Réunion du lundi"], [date(2026, 1, 5)]],
        },
    )


def test_is_a_backend(plan: Path) -> None:
    backend: Backend = XlsxBackend(plan)
    assert backend.describe() == str(plan)


def test_read_returns_every_tab_with_trimmed_values(plan: Path) -> None:
    snap = XlsxBackend(plan).read()
    assert snap.titles == ["Suivi des actions", "Notes"]
    assert snap.grids()["Suivi des actions"][1] == [
        "A-001",
        "À faire",
        "Audit SEO",
        None,
        "à revoir",
    ]
    assert snap.grids()["Suivi des actions"][2] == ["A-002", "En cours", "Livre blanc"]
    assert snap.grids()["Notes"] == [["Réunion du lundi"], [date(2026, 1, 5)]]


@pytest.mark.parametrize(
    "value",
    ["texte", "", 3, 1.5, -2, True, False, date(2026, 3, 1), datetime(2026, 3, 1, 14, 30)],
)
def test_values_round_trip(plan: Path, value) -> None:
    backend = XlsxBackend(plan)
    assert backend.write(ChangeSet(writes=(put("Notes", 4, 2, value),))) == 1
    got = cell(XlsxBackend(plan).read().grids()["Notes"], 4, 2)
    assert got == (None if value == "" else value)
    assert type(got) is (type(None) if value == "" else type(value))


def test_midnight_datetime_reads_as_a_date(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "d.xlsx", {"T": [[datetime(2026, 1, 15, 0, 0)]]})
    assert XlsxBackend(path).read().grids()["T"] == [[date(2026, 1, 15)]]


@pytest.mark.parametrize("text", ["=1+1", "=SUM(A1)", "+33 6 12 34 56 78", "-x", "@y", "#N/A"])
def test_text_that_looks_like_a_formula_stays_text(plan: Path, text: str) -> None:
    XlsxBackend(plan).write(ChangeSet(writes=(put("Notes", 0, 3, text),)))
    cell = openpyxl.load_workbook(plan)["Notes"]["D1"]
    assert cell.data_type == "s"
    assert cell.value == text
    assert XlsxBackend(plan).read().grids()["Notes"][0][3] == text


def test_write_keeps_user_cells_formats_formulas_validations_and_other_tabs(plan: Path) -> None:
    wb = openpyxl.load_workbook(plan)
    ws = wb["Suivi des actions"]
    ws["E2"].fill = PatternFill("solid", fgColor="FFFF00")
    ws["E2"].font = Font(bold=True, color="FF0000", italic=True)
    ws["F1"] = "Total"
    ws["F2"] = "=LEN(C2)"
    user_dv = DataValidation(type="list", formula1='"oui,non"')
    user_dv.add("G2:G10")
    ws.add_data_validation(user_dv)
    ws.column_dimensions["C"].width = 42
    wb.save(plan)

    written = XlsxBackend(plan).write(
        ChangeSet(writes=(put("Suivi des actions", 1, 3, 1), put("Suivi des actions", 2, 3, 2)))
    )

    assert written == 2
    ws = openpyxl.load_workbook(plan)["Suivi des actions"]
    assert [ws["D2"].value, ws["D3"].value] == [1, 2]
    assert ws["E2"].value == "à revoir"
    assert ws["E2"].fill.fgColor.rgb == "00FFFF00"
    assert (ws["E2"].font.b, ws["E2"].font.i, ws["E2"].font.color.rgb) == (True, True, "00FF0000")
    assert ws["F2"].value == "=LEN(C2)" and ws["F2"].data_type == "f"
    assert ws.column_dimensions["C"].width == 42
    assert [(dv.formula1, str(dv.sqref)) for dv in ws.data_validations.dataValidation] == [
        ('"oui,non"', "G2:G10")
    ]
    assert XlsxBackend(plan).read().grids()["Notes"] == [["Réunion du lundi"], [date(2026, 1, 5)]]


def with_cached_value(path: Path, cell: str, cached: str) -> None:
    """Give a formula cell the cached result Excel or LibreOffice would have saved."""
    with zipfile.ZipFile(path) as zin:
        items = {name: zin.read(name) for name in zin.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    xml = items[sheet].decode()
    start = xml.index(f'<c r="{cell}"')
    end = xml.index("</c>", start)
    items[sheet] = (
        xml[:start] + re.sub(r"<v\s*/>|<v></v>", f"<v>{cached}</v>", xml[start:end]) + xml[end:]
    ).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zout:
        for name, data in items.items():
            zout.writestr(name, data)
    path.write_bytes(buffer.getvalue())


def test_formula_cells_read_as_their_cached_value(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "f.xlsx", {"T": [[2, 3, "=A1+B1"]]})
    with_cached_value(path, "C1", "5")
    assert XlsxBackend(path).read().grids()["T"] == [[2, 3, 5]]


def test_guard_skips_a_row_the_user_moved(plan: Path) -> None:
    backend = XlsxBackend(plan)
    backend.read()
    wb = openpyxl.load_workbook(plan)  # the user swaps the two rows meanwhile
    ws = wb["Suivi des actions"]
    ws["A2"], ws["A3"] = "A-002", "A-001"
    wb.save(plan)

    written = backend.write(
        ChangeSet(
            writes=(
                put("Suivi des actions", 1, 3, 1, guard=Guard(1, 0, "A-001")),
                put("Suivi des actions", 2, 3, 2, guard=Guard(2, 0, "A-002")),
                put("Suivi des actions", 0, 5, "Rang calculé"),
            )
        )
    )

    assert written == 1
    grid = XlsxBackend(plan).read().grids()["Suivi des actions"]
    assert [cell(grid, 1, 3), cell(grid, 2, 3), cell(grid, 0, 5)] == [None, None, "Rang calculé"]


def test_guard_on_a_blank_cell_protects_what_the_user_typed(plan: Path) -> None:
    changes = ChangeSet(writes=(put("Suivi des actions", 1, 4, "défaut", guard=Guard(1, 4, None)),))
    assert XlsxBackend(plan).write(changes) == 0
    assert XlsxBackend(plan).read().grids()["Suivi des actions"][1][4] == "à revoir"


def test_guards_are_checked_against_the_file_before_any_write_lands(plan: Path) -> None:
    changes = ChangeSet(
        writes=(
            put("Suivi des actions", 3, 0, "A-003", guard=Guard(3, 0, None)),  # an assigned ID
            put("Suivi des actions", 3, 3, 7, guard=Guard(3, 0, None)),  # its rank
        )
    )
    assert XlsxBackend(plan).write(changes) == 2
    assert XlsxBackend(plan).read().grids()["Suivi des actions"][3] == ["A-003", None, None, 7]


def test_an_assigned_id_is_skipped_when_its_row_changed_in_the_file(plan: Path) -> None:
    grid = XlsxBackend(plan).read().grids()["Suivi des actions"]
    row_as_read = tuple((c, v) for c, v in enumerate(grid[1]) if c and v is not None)
    wb = openpyxl.load_workbook(plan)  # meanwhile another row moves there, its ID blank too
    ws = wb["Suivi des actions"]
    ws["A2"], ws["B2"] = None, "une autre action"
    wb.save(plan)

    guard = Guard(1, 0, None, row_as_read)
    assert (
        XlsxBackend(plan).write(
            ChangeSet(writes=(put("Suivi des actions", 1, 0, "A-009", guard=guard),))
        )
        == 0
    )
    assert XlsxBackend(plan).read().grids()["Suivi des actions"][1][:2] == [
        None,
        "une autre action",
    ]


def test_empty_change_set_leaves_the_file_untouched(plan: Path) -> None:
    before = plan.read_bytes()
    os.utime(plan, (1_000_000_000, 1_000_000_000))
    backend = XlsxBackend(plan)
    assert backend.write(ChangeSet()) == 0
    assert plan.read_bytes() == before
    assert plan.stat().st_mtime == 1_000_000_000
    assert backend.requests == 0


def test_all_guards_failing_leaves_the_file_untouched(plan: Path) -> None:
    before = plan.read_bytes()
    changes = ChangeSet(writes=(put("Suivi des actions", 1, 0, "A-009", guard=Guard(1, 0, None)),))
    assert XlsxBackend(plan).write(changes) == 0
    assert plan.read_bytes() == before


def test_requests_count_file_reads_and_writes(plan: Path) -> None:
    backend = XlsxBackend(plan)
    backend.read()
    assert backend.requests == 1
    backend.write(ChangeSet())
    assert backend.requests == 1
    backend.write(ChangeSet(writes=(put("Notes", 0, 1, "x"),)))
    assert backend.requests == 2


def test_a_failed_replace_leaves_the_original_intact(plan: Path, monkeypatch) -> None:
    before = plan.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(WorkbookUnavailable, match="could not replace"):
        XlsxBackend(plan).write(ChangeSet(writes=(put("Notes", 0, 1, "x"),)))
    assert plan.read_bytes() == before
    # no temporary file is left; the backup made just before holds the same workbook
    assert sorted(p.name for p in plan.parent.iterdir()) == [
        "plan.sheetpilot-previous.xlsx",
        "plan.xlsx",
    ]
    assert (plan.parent / "plan.sheetpilot-previous.xlsx").read_bytes() == before


def test_permission_error_on_replace_says_the_file_is_open(plan: Path, monkeypatch) -> None:
    def denied(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", denied)
    with pytest.raises(WorkbookUnavailable, match="open in another program: close it"):
        XlsxBackend(plan).write(ChangeSet(writes=(put("Notes", 0, 1, "x"),)))


def test_missing_file_says_to_run_init(tmp_path: Path) -> None:
    path = tmp_path / "absent.xlsx"
    with pytest.raises(
        SpreadsheetNotFound, match=r"no workbook at .*absent.xlsx: run `sheetpilot init"
    ):
        XlsxBackend(path).read()


@pytest.mark.parametrize(
    ("content", "kind"),
    [(b"ID;Statut\nA-001;Fait\n", "not a zip archive"), (b"", "an empty file")],
)
def test_not_a_workbook(tmp_path: Path, content: bytes, kind: str) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(content)
    with pytest.raises(WorkbookUnavailable, match=f"is not an .xlsx workbook \\({kind}\\)"):
        XlsxBackend(path).read()


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "bonjour")
    with pytest.raises(
        WorkbookUnavailable, match=r"plan\.xlsx could not be read as an \.xlsx workbook"
    ):
        XlsxBackend(path).read()


@pytest.mark.parametrize("lock", [".~lock.plan.xlsx#", "~$plan.xlsx", "~$an.xlsx"])
def test_lock_file_beside_the_workbook_blocks_writes(plan: Path, lock: str) -> None:
    (plan.parent / lock).write_text("someone,host,2026")
    before = plan.read_bytes()
    backend = XlsxBackend(plan)
    assert backend.read().titles  # reading an open workbook is fine
    with pytest.raises(
        WorkbookUnavailable, match=re.escape(f"open in another program (lock file {lock})")
    ):
        backend.write(ChangeSet(writes=(put("Notes", 0, 1, "x"),)))
    assert plan.read_bytes() == before


def test_lock_file_names() -> None:
    assert [p.name for p in lock_files(Path("/x/p.xlsx"))] == [
        ".~lock.p.xlsx#",
        "~$p.xlsx",
        "~$xlsx",
    ]


def test_create_starts_an_empty_workbook_with_only_the_new_tabs(tmp_path: Path) -> None:
    path = tmp_path / "new.xlsx"
    backend = XlsxBackend(path, create=True)
    assert backend.read().tabs == ()
    assert not path.exists()
    changes = ChangeSet(
        new_tabs=(TabLayout("Réglages", column_widths=(140, 70), frozen_rows=1),),
        writes=(put("Réglages", 0, 0, "Statuts", bold=True),),
    )
    assert backend.write(changes) == 1
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Réglages"]
    ws = wb["Réglages"]
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width == 20
    assert ws.column_dimensions["B"].width == 10
    assert ws["A1"].font.b is True


def test_new_tab_goes_at_its_index(plan: Path) -> None:
    XlsxBackend(plan).write(ChangeSet(new_tabs=(TabLayout("Contrôles", index=1),)))
    assert openpyxl.load_workbook(plan).sheetnames == ["Suivi des actions", "Contrôles", "Notes"]


def test_existing_tab_in_new_tabs_is_kept_as_is(plan: Path) -> None:
    XlsxBackend(plan).write(ChangeSet(new_tabs=(TabLayout("Notes", frozen_rows=3),)))
    ws = openpyxl.load_workbook(plan)["Notes"]
    assert ws.freeze_panes is None and ws["A1"].value == "Réunion du lundi"


def test_number_format_and_bold(plan: Path) -> None:
    XlsxBackend(plan).write(
        ChangeSet(
            writes=(
                put("Notes", 5, 0, date(2026, 2, 1), number_format="dd/mm/yyyy"),
                put("Notes", 5, 1, 0.42, number_format="0%", bold=True),
            )
        )
    )
    ws = openpyxl.load_workbook(plan)["Notes"]
    assert ws["A6"].number_format == "dd/mm/yyyy"
    assert (ws["B6"].number_format, ws["B6"].font.b) == ("0%", True)


def test_writing_a_header_not_bold_anymore_unbolds_it(plan: Path) -> None:
    backend = XlsxBackend(plan)
    backend.write(ChangeSet(writes=(put("Notes", 0, 0, "Titre", bold=True),)))
    backend.write(ChangeSet(writes=(put("Notes", 0, 0, "Texte"),)))
    assert openpyxl.load_workbook(plan)["Notes"]["A1"].font.b is False


def test_clearing_cells(plan: Path) -> None:
    XlsxBackend(plan).write(
        ChangeSet(writes=(put("Notes", 0, 0, None), put("Notes", 30, 30, None)))
    )
    assert XlsxBackend(plan).read().grids()["Notes"] == [[], [date(2026, 1, 5)]]


def validations(path: Path, tab: str) -> list[tuple[str, str]]:
    ws = openpyxl.load_workbook(path)[tab]
    return sorted((dv.formula1, str(dv.sqref)) for dv in ws.data_validations.dataValidation)


def test_list_validations_from_values_and_from_a_range(plan: Path) -> None:
    XlsxBackend(plan).write(
        ChangeSet(
            validations=(
                ListValidation("Suivi des actions", 1, 1, values=("À faire", "Terminé"), rows=499),
                ListValidation("Suivi des actions", 1, 2, source="'Réglages'!$A$2:$A$100", rows=10),
            )
        )
    )
    assert validations(plan, "Suivi des actions") == [
        ('"À faire,Terminé"', "B2:B500"),
        ("'Réglages'!$A$2:$A$100", "C2:C11"),
    ]


def test_validation_written_twice_is_not_stacked(plan: Path) -> None:
    dv = ListValidation("Notes", 1, 0, values=("a", "b"), rows=5)
    XlsxBackend(plan).write(ChangeSet(validations=(dv,)))
    before = plan.read_bytes()
    XlsxBackend(plan).write(ChangeSet(validations=(dv,)))
    assert plan.read_bytes() == before  # nothing to change: not even saved
    XlsxBackend(plan).write(
        ChangeSet(validations=(ListValidation("Notes", 1, 0, values=("c",), rows=5),))
    )
    assert validations(plan, "Notes") == [('"c"', "A2:A6")]


def test_validation_replaces_the_overlapping_part_of_another(plan: Path) -> None:
    wb = openpyxl.load_workbook(plan)
    user_dv = DataValidation(type="list", formula1='"x,y"')
    user_dv.add("A1:B10")
    wb["Notes"].add_data_validation(user_dv)
    wb.save(plan)
    XlsxBackend(plan).write(
        ChangeSet(validations=(ListValidation("Notes", 4, 0, values=("z",), rows=3),))
    )
    assert validations(plan, "Notes") == [('"x,y"', "A1:B4 A8:B10 B5:B7"), ('"z"', "A5:A7")]


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), min_size=1, max_size=40),
    # xlsx keeps about 15 significant digits, like Excel
    number=st.integers(-(10**12), 10**12) | st.floats(-1e9, 1e9).map(lambda x: round(x, 4)),
)
def test_any_text_and_number_round_trip(tmp_path: Path, text: str, number: float) -> None:
    path = make_workbook(tmp_path / "h.xlsx", {"T": [["x"]]})
    XlsxBackend(path).write(ChangeSet(writes=(put("T", 0, 0, text), put("T", 0, 1, number))))
    assert XlsxBackend(path).read().grids()["T"] == [[text, number]]


def test_a_password_protected_or_old_xls_workbook_says_so(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))  # an OLE container
    with pytest.raises(WorkbookUnavailable, match=r"password-protected or an old \.xls workbook"):
        XlsxBackend(path).read()


def test_a_damaged_sheet_part_is_refused_and_the_file_kept(plan: Path) -> None:
    with zipfile.ZipFile(plan) as z:
        items = {name: z.read(name) for name in z.namelist()}
    items["xl/worksheets/sheet2.xml"] = b"<worksheet><sheetData><row>"  # cut short
    with zipfile.ZipFile(plan, "w") as z:
        for name, data in items.items():
            z.writestr(name, data)
    before = plan.read_bytes()
    with pytest.raises(WorkbookUnavailable, match=r"plan\.xlsx could not be read as an \.xlsx"):
        XlsxBackend(plan).write(ChangeSet(writes=(put("Notes", 0, 1, "x"),)))
    assert plan.read_bytes() == before


@pytest.mark.parametrize(
    ("drop", "reason"),
    [
        ("xl/_rels/workbook.xml.rels", "its list of parts, xl/_rels/workbook.xml.rels, is missing"),
        ("xl/worksheets/sheet1.xml", "the content of the tab Suivi des actions is missing"),
    ],
)
def test_a_workbook_missing_a_part_says_which(plan: Path, drop: str, reason: str) -> None:
    with zipfile.ZipFile(plan) as z:
        items = {name: z.read(name) for name in z.namelist() if name != drop}
    with zipfile.ZipFile(plan, "w") as z:
        for name, data in items.items():
            z.writestr(name, data)
    with pytest.raises(WorkbookUnavailable, match=re.escape(reason)):
        XlsxBackend(plan).read()
