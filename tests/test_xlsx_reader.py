"""The reader: values from python-calamine, formulas and their state from the sheet XML."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from sheetpilot._backends.xlsx import XlsxBackend
from sheetpilot._backends.xlsx._formulas import shift
from sheetpilot._cells import a1
from sheetpilot._workbook import TabData
from tests.xlsx_builders import raw_workbook


def tab(path: Path, title: str = "T") -> TabData:
    found = XlsxBackend(path).read().get(title)
    assert found is not None
    return found


def test_values_types_and_dates(tmp_path: Path) -> None:
    path = tmp_path / "v.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("T")
    ws.write_number("A1", 3)
    ws.write_number("B1", 1.5)
    ws.write_boolean("C1", True)
    ws.write_datetime("D1", datetime(2026, 1, 15), wb.add_format({"num_format": "dd/mm/yyyy"}))
    ws.write_datetime("E1", datetime(2026, 1, 15, 14, 30), wb.add_format({"num_format": "hh:mm"}))
    ws.write_string("A3", "texte")
    wb.close()
    t = tab(path)
    assert t.grid == [
        [3, 1.5, True, date(2026, 1, 15), datetime(2026, 1, 15, 14, 30)],
        [],
        ["texte"],
    ]
    assert type(t.grid[0][0]) is int
    assert t.owned is False and t.formulas == {} and t.uncalculated == frozenset()


def test_formula_cells_give_their_cached_result_and_their_text(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("T")
    ws.write_number("A1", 120)
    ws.write_formula("B1", "=A1+9", None, 129)
    ws.write_formula("C1", '=IF(A1>100,"haut","bas")', None, "haut")
    ws.write_formula("D1", "=_xlfn.IFS(A1>1,1)", None, 1)
    wb.close()
    t = tab(path)
    assert t.grid == [[120, 129, "haut", 1]]
    assert t.formulas == {
        (0, 1): "=A1+9",
        (0, 2): '=IF(A1>100,"haut","bas")',
        (0, 3): "=IFS(A1>1,1)",
    }
    assert t.uncalculated == frozenset()


def test_a_formula_saved_without_its_result_is_uncalculated_not_blank(tmp_path: Path) -> None:
    path = tmp_path / "o.xlsx"
    wb = openpyxl.Workbook()  # openpyxl saves formulas without a cached result
    ws = wb.active
    ws.title = "T"
    ws.append([120, "=A1+9"])
    wb.save(path)
    t = tab(path)
    assert t.grid == [[120]]
    assert t.formulas == {(0, 1): "=A1+9"}
    assert t.uncalculated == frozenset({(0, 1)})


def test_a_text_formula_with_an_empty_result_is_calculated(tmp_path: Path) -> None:
    path = raw_workbook(
        tmp_path / "e.xlsx", '<row r="1"><c r="A1" t="str"><f>IF(1,"","x")</f><v></v></c></row>'
    )
    t = tab(path)
    assert t.grid == [] and t.uncalculated == frozenset()
    assert t.formulas == {(0, 0): '=IF(1,"","x")'}


def test_shared_formulas_read_as_each_cell_would_show_them(tmp_path: Path) -> None:
    path = raw_workbook(
        tmp_path / "s.xlsx",
        '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f t="shared" ref="B1:B3" si="0">A1*2</f>'
        '<v>2</v></c></row><row r="2"><c r="A2"><v>2</v></c><c r="B2"><f t="shared" si="0"/>'
        '<v>4</v></c></row><row r="3"><c r="A3"><v>3</v></c><c r="B3"><f t="shared" si="0"/>'
        "</c></row>",
    )
    t = tab(path)
    assert t.grid == [[1, 2], [2, 4], [3]]
    assert t.formulas == {(0, 1): "=A1*2", (1, 1): "=A2*2", (2, 1): "=A3*2"}
    assert t.uncalculated == frozenset({(2, 1)})


def test_error_values_read_as_their_code(tmp_path: Path) -> None:
    path = raw_workbook(
        tmp_path / "err.xlsx",
        '<row r="1"><c r="A1" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="B1" t="e"><v>#N/A</v></c>'
        "</row>",
    )
    t = tab(path)
    assert t.grid == [["#DIV/0!", "#N/A"]]
    assert t.uncalculated == frozenset()


def test_inline_strings_and_cells_without_a_reference(tmp_path: Path) -> None:
    path = raw_workbook(
        tmp_path / "i.xlsx",
        '<row r="2"><c r="B2" t="inlineStr"><is><t>en ligne</t></is></c></row>',
    )
    assert tab(path).grid == [[], [None, "en ligne"]]


def test_chart_sheets_are_not_tabs(tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Données").write_column("A1", [1, 2, 3])
    chart = wb.add_chart({"type": "line"})
    chart.add_series({"values": "=Données!$A$1:$A$3"})
    wb.add_chartsheet("Graphique").set_chart(chart)
    wb.close()
    assert XlsxBackend(path).read().titles == ["Données"]


@pytest.mark.parametrize(
    "formula",
    [
        "A1*2",
        "SUM($A$1:A2)",
        "Budget!B$2+'Mon onglet'!C3",
        'IF(A1="B2",1,2)',
        "LOG10(C3)",
        "D:D",
        "$D:E",
        "3:4",
        "VLOOKUP(A2,Mesures!$A$2:$B$3,2,FALSE)",
        'IFERROR(INDEX($A:$A,ROW()),"")',
        'COUNTIF(B:B,"<"&C1)',
        "SUM(A1,B1,C1)*1.5E+10",
    ],
)
def test_shared_formulas_move_like_excel_moves_them(formula: str) -> None:
    """openpyxl's formula translator is the oracle (in the tests only)."""
    from openpyxl.formula.translate import Translator

    for rows, cols in ((1, 0), (0, 1), (5, 3)):
        expected = Translator("=" + formula, origin="B2").translate_formula(a1(1 + rows, 1 + cols))
        assert "=" + shift(formula, rows, cols) == expected
