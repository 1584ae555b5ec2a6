"""Applying a change set to the package: guards first, then the cells, tabs and dropdowns.

Only the parts that change are re-serialised: the worksheet parts sheetpilot writes
into, `styles.xml` when a style had to be added, and `workbook.xml` with its
relationships and `[Content_Types].xml` when a tab is created or marked. Every other
part is copied as it is. When formula cells change, the calculation chain is dropped
(Excel rebuilds it); when the user's tabs hold formulas that may depend on the cells
written, Excel and LibreOffice are asked to recalculate when they open the file.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from sheetpilot._backends.xlsx._charts import chart_xml, place_charts
from sheetpilot._backends.xlsx._ooxml import MAIN, REL_NS, parse_xml
from sheetpilot._backends.xlsx._package import Book, Package, Tab
from sheetpilot._backends.xlsx._present import lay_out, set_highlights
from sheetpilot._backends.xlsx._read import has_formulas
from sheetpilot._backends.xlsx._sheet import SheetPart
from sheetpilot._cells import canonical
from sheetpilot._errors import BackendError
from sheetpilot._workbook import CellWrite, ChangeSet, Chart, TabLayout

PX_PER_WIDTH_UNIT = 7  # a column width unit is about 7 px of the default font
_BAD_TITLE_CHARS = set("[]:*?/\\")


def check_title(title: str) -> None:
    """Refuse a tab name Excel would refuse."""
    if (
        not title
        or len(title) > 31
        or set(title) & _BAD_TITLE_CHARS
        or title[0] == "'"
        or title[-1] == "'"
    ):
        raise BackendError(
            "cannot create a tab named {title!r}: Excel tab names have 1 to 31 characters, "
            "none of [ ] : * ? / \\, and do not start or end with an apostrophe",
            title=title,
        )


def new_sheet_xml(layout: TabLayout) -> bytes:
    """The worksheet part of a new tab: its column widths and frozen header rows."""
    pane = ""
    if layout.frozen_rows > 0:
        top = f"A{layout.frozen_rows + 1}"
        pane = (
            f'<pane ySplit="{layout.frozen_rows}" topLeftCell="{top}" activePane="bottomLeft" '
            f'state="frozen"/><selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
        )
    cols = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{round(px / PX_PER_WIDTH_UNIT, 2)}" '
        'customWidth="1"/>'
        for i, px in enumerate(layout.column_widths)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN}" xmlns:r={quoteattr(REL_NS)}>'
        '<dimension ref="A1"/>'
        f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + "<sheetData/>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    ).encode()


class _Edit:
    def __init__(self, data: bytes | None) -> None:
        self.package = Package(data)
        self.book = Book(self.package)
        self.sheets: dict[str, SheetPart] = {}
        self.structure_changed = data is None

    def sheet(self, title: str) -> SheetPart:
        if title in self.sheets:
            return self.sheets[title]
        tab = self.book.tab(title)
        if tab is None:
            tab = self.new_tab(TabLayout(title=title))
        assert tab.part is not None
        part = SheetPart(parse_xml(self.package.read(tab.part)), self.book.styles)
        self.sheets[title] = part
        return part

    def new_tab(self, layout: TabLayout) -> Tab:
        check_title(layout.title)
        for tab in self.book.tabs:
            if tab.title.casefold() == layout.title.casefold():
                raise BackendError(
                    "cannot create a tab named {title!r}: the workbook already has a tab named "
                    "{other!r} (Excel tells tab names apart regardless of case)",
                    title=layout.title,
                    other=tab.title,
                )
        tab = self.book.add_worksheet(
            layout.title, layout.index, new_sheet_xml(layout), hidden=layout.hidden
        )
        self.book.mark_owned(layout.title)
        self.structure_changed = True
        return tab

    def guard_holds(self, write: CellWrite) -> bool:
        guard = write.guard
        if guard is None:
            return True
        if self.book.tab(write.sheet) is None:
            return canonical(guard.expected) is None
        sheet = self.sheet(write.sheet)
        checks = ((guard.col, guard.expected), *guard.also)  # the cell, and its row as read
        return all(
            canonical(sheet.value(guard.row, col, self.book.shared_string)) == canonical(expected)
            for col, expected in checks
        )


def apply_changes(data: bytes | None, changes: ChangeSet) -> tuple[bytes | None, int]:
    """The new bytes of the workbook (None: nothing changed) and the cells written.

    `data` is the workbook as it is now (None: a new workbook). Every guard is checked
    against it before any write lands.
    """
    edit = _Edit(data)
    allowed = [w for w in changes.writes if edit.guard_holds(w)]
    for layout in changes.new_tabs:
        if edit.book.tab(layout.title) is None:
            edit.new_tab(layout)
    written = sum(1 for w in allowed if edit.sheet(w.sheet).write(w))
    for validation in changes.validations:
        edit.sheet(validation.sheet).validate(validation)
    for title, highlights in changes.highlights.items():
        if edit.book.tab(title) is not None:
            part = edit.sheet(title)
            set_highlights(part.root, highlights, edit.book.styles())
            part.touch()
    for layout in (*changes.new_tabs, *changes.restyle):
        if edit.book.tab(layout.title) is None:
            continue
        part = edit.sheet(layout.title)
        lay_out(part.root, layout, edit.book.styles())
        part.touch()
        if layout.printable:
            edit.book.set_print_titles(layout.title, layout.frozen_rows)
    for title in changes.adopt:
        if edit.book.tab(title) is not None and title not in edit.book.owned():
            edit.book.mark_owned(title)
            edit.structure_changed = True
    changed: dict[str, bytes] = {}
    for title, part in edit.sheets.items():
        xml = part.serialize()
        if xml is not None:
            changed[title] = xml
    if changes.charts:
        _write_charts(edit, changes.charts, changed)
    if not (changed or edit.structure_changed):
        return None, written
    if any(edit.sheets[t].formulas_changed for t in changed):
        edit.book.drop_calc_chain()
    if changed and data is not None and _user_formulas(edit):
        edit.book.recalculate_on_load()
    for title, xml in changed.items():
        tab = edit.book.tab(title)
        assert tab is not None and tab.part is not None
        edit.package.put(tab.part, xml)
    edit.book.save()
    return edit.package.save(), written


def _write_charts(edit: _Edit, charts: tuple[Chart, ...], changed: dict[str, bytes]) -> None:
    """A chart read from the file (`handle`: its part) gets its part rewritten; the others
    are added to their tab's drawing. Only these parts (and a new drawing's) change."""
    added: dict[str, list[Chart]] = {}
    for chart in charts:
        if isinstance(chart.handle, str) and edit.package.has(chart.handle):
            edit.package.put(chart.handle, chart_xml(chart))
            edit.structure_changed = True
        else:
            added.setdefault(chart.sheet, []).append(chart)
    for title, new in added.items():
        tab = edit.book.tab(title)
        if tab is None or tab.part is None:
            continue
        xml = changed.get(title) or edit.package.read(tab.part)
        placed = place_charts(edit.book, tab.part, xml, new)
        if placed is not None:
            changed[title] = placed
        edit.structure_changed = True


def _user_formulas(edit: _Edit) -> bool:
    """Whether the workbook holds formulas sheetpilot did not write (they may depend on
    the cells it changed, so their cached results must be recalculated)."""
    owned = edit.book.owned()
    for tab in edit.book.worksheets:
        if tab.title in owned or tab.part is None:
            continue
        if has_formulas(edit.package.read(tab.part)):
            return True
    return False
