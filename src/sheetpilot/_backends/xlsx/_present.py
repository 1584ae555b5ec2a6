"""How a tool-owned tab looks in a workbook: sheetpilot's conditional formats, its print
setup, wrapped columns and the input cell.

Conditional formats: one `<conditionalFormatting>` per rule, an `expression` rule whose
formula carries sheetpilot's mark (`Highlight.formula`) and a differential style (a dxf
appended to `styles.xml`). A rule without the mark is the user's: never read as ours,
never removed, its bytes kept. Ours come after the user's in priority.

Print: `<sheetPr><pageSetUpPr fitToPage="1"/>`, `<pageSetup orientation="landscape"
fitToWidth="1" fitToHeight="0"/>`, and the frozen header rows as the tab's print titles
(`_xlnm.Print_Titles`, set by `Book.set_print_titles`).
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from sheetpilot._backends.xlsx._ooxml import local, parse_range, q, range_ref
from sheetpilot._backends.xlsx._styles import Styles
from sheetpilot._cells import col_letter
from sheetpilot._workbook import Highlight, TabLayout

LAST_ROW = 1_048_576  # Excel's grid: a range to the bottom of the tab ends here
CONDITIONAL_MARK = b"conditionalFormatting"
PRINT_MARK = b'fitToPage="1"'

# CT_Worksheet's children after <conditionalFormatting>, and after <pageSetup>.
_AFTER_CONDITIONAL = (
    "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup",
    "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches",
    "ignoredErrors", "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "picture",
    "oleObjects", "controls", "webPublishItems", "tableParts", "extLst",
)  # fmt: skip
_AFTER_PAGE_SETUP = _AFTER_CONDITIONAL[_AFTER_CONDITIONAL.index("pageSetup") + 1 :]
_AFTER_MARGINS = _AFTER_CONDITIONAL[_AFTER_CONDITIONAL.index("pageMargins") + 1 :]
_SHEET_PR_AFTER_SETUP: tuple[str, ...] = ()  # pageSetUpPr is sheetPr's last child


def _insert_before(parent: etree._Element, element: etree._Element, later: Iterable[str]) -> None:
    names = set(later)
    for i, child in enumerate(parent):
        if isinstance(child.tag, str) and local(child.tag) in names:
            parent.insert(i, element)
            return
    parent.append(element)


def _ours(rule: etree._Element) -> str | None:
    formula = rule.find(q("formula"))
    if rule.get("type") != "expression" or formula is None or not formula.text:
        return None
    return Highlight.condition_of(formula.text)


def read_highlights(root: etree._Element, styles: Styles) -> tuple[Highlight, ...]:
    """sheetpilot's conditional formats in a worksheet, in priority order."""
    found: list[tuple[int, int, Highlight]] = []
    for n, holder in enumerate(root.iter(q("conditionalFormatting"))):
        refs = (holder.get("sqref") or "").split()
        if not refs:
            continue
        try:
            top, left, bottom, right = parse_range(refs[0])
        except ValueError:
            continue
        for rule in holder.iter(q("cfRule")):
            condition = _ours(rule)
            if condition is None:
                continue
            fill = styles.highlight_fill(int(rule.get("dxfId", "-1")))
            end_row = None if bottom + 1 >= LAST_ROW else bottom + 1
            highlight = Highlight(top, left, right + 1, condition, fill or "", end_row)
            found.append((int(rule.get("priority", "0")), n, highlight))
    return tuple(h for _, _, h in sorted(found, key=lambda x: (x[0], x[1])))


def set_highlights(root: etree._Element, highlights: Iterable[Highlight], styles: Styles) -> None:
    """Replace sheetpilot's conditional formats in a worksheet by `highlights`."""
    holders = list(root.iter(q("conditionalFormatting")))
    for holder in holders:
        for rule in list(holder.iter(q("cfRule"))):
            if _ours(rule) is not None:
                holder.remove(rule)
        if not any(isinstance(c.tag, str) and local(c.tag) == "cfRule" for c in holder):
            parent = holder.getparent()
            if parent is not None:
                parent.remove(holder)
    priorities = [int(r.get("priority", "0")) for r in root.iter(q("cfRule"))]
    priority = max(priorities, default=0)
    anchor: etree._Element | None = None
    for highlight in highlights:
        priority += 1
        bottom = (highlight.end_row or LAST_ROW) - 1
        box = (highlight.row, highlight.col, bottom, highlight.end_col - 1)
        holder = etree.Element(q("conditionalFormatting"), sqref=range_ref(box))
        rule = etree.SubElement(
            holder,
            q("cfRule"),
            type="expression",
            dxfId=str(styles.highlight(highlight.fill)),
            priority=str(priority),
        )
        etree.SubElement(rule, q("formula")).text = highlight.formula.removeprefix("=")
        if anchor is None:
            kept = list(root.iter(q("conditionalFormatting")))
            if kept:
                kept[-1].addnext(holder)
            else:
                _insert_before(root, holder, _AFTER_CONDITIONAL)
        else:
            anchor.addnext(holder)
        anchor = holder


def lay_out(root: etree._Element, layout: TabLayout, styles: Styles) -> None:
    """Print setup, wrapped columns and the input cell's look (its value untouched)."""
    if layout.printable:
        _print_setup(root)
    for col in layout.wrapped:
        _wrap_column(root, col, layout.frozen_rows, styles)
    if layout.input_cell is not None:
        row, col = layout.input_cell
        cell = _cell(root, row, col)
        style = int(cell.get("s") or 0)
        new = styles.derive(style, input_cell=True)
        if new != style:
            cell.set("s", str(new))


def _print_setup(root: etree._Element) -> None:
    sheet_pr = root.find(q("sheetPr"))
    if sheet_pr is None:
        sheet_pr = etree.Element(q("sheetPr"))
        root.insert(0, sheet_pr)
    setup_pr = sheet_pr.find(q("pageSetUpPr"))
    if setup_pr is None:
        setup_pr = etree.SubElement(sheet_pr, q("pageSetUpPr"))
    setup_pr.set("fitToPage", "1")
    if root.find(q("pageMargins")) is None:
        margins = etree.Element(
            q("pageMargins"), left="0.7", right="0.7", top="0.75", bottom="0.75",
            header="0.3", footer="0.3",
        )  # fmt: skip
        _insert_before(root, margins, _AFTER_MARGINS)
    setup = root.find(q("pageSetup"))
    if setup is None:
        setup = etree.Element(q("pageSetup"))
        _insert_before(root, setup, _AFTER_PAGE_SETUP)
    setup.set("orientation", "landscape")
    setup.set("fitToWidth", "1")
    setup.set("fitToHeight", "0")


def _wrap_column(root: etree._Element, col: int, below: int, styles: Styles) -> None:
    """Column `col` wraps: its `<col>` style (which new cells take) and every cell below
    the header rows."""
    cols = root.find(q("cols"))
    if cols is None:
        cols = etree.Element(q("cols"))
        _insert_before(root, cols, ("sheetData",))
    target = None
    for element in cols.iter(q("col")):
        if int(element.get("min", "0")) <= col + 1 <= int(element.get("max", "0")):
            target = element
    if target is None:
        target = etree.Element(q("col"), min=str(col + 1), max=str(col + 1), width="9.14")
        later = [c for c in cols.iter(q("col")) if int(c.get("min", "0")) > col + 1]
        if later:
            later[0].addprevious(target)
        else:
            cols.append(target)
    if target.get("min") == target.get("max"):
        style = int(target.get("style") or 0)
        new = styles.derive(style, wrap=True)
        if new != style:
            target.set("style", str(new))
    data = root.find(q("sheetData"))
    for row in data.iter(q("row")) if data is not None else ():
        if int(row.get("r", "0")) <= below:
            continue
        for c in row.iter(q("c")):
            ref = c.get("r") or ""
            if ref.rstrip("0123456789") != col_letter(col):
                continue
            style = int(c.get("s") or 0)
            new = styles.derive(style, wrap=True)
            if new != style:
                c.set("s", str(new))


def column_styles(root: etree._Element) -> dict[int, int]:
    """Column index → the style its `<col>` gives the cells created in it."""
    out: dict[int, int] = {}
    cols = root.find(q("cols"))
    for element in cols.iter(q("col")) if cols is not None else ():
        style = element.get("style")
        if style and style != "0":
            for c in range(int(element.get("min", "1")) - 1, int(element.get("max", "1"))):
                out[c] = int(style)
    return out


def _cell(root: etree._Element, row: int, col: int) -> etree._Element:
    """The `<c>` at (row, col), created (in order) when missing."""
    data = root.find(q("sheetData"))
    if data is None:
        data = etree.SubElement(root, q("sheetData"))
    ref = f"{col_letter(col)}{row + 1}"
    line = None
    for candidate in data.iter(q("row")):
        r = int(candidate.get("r", "0"))
        if r == row + 1:
            line = candidate
            break
        if r > row + 1:
            line = etree.Element(q("row"), r=str(row + 1))
            candidate.addprevious(line)
            break
    if line is None:
        line = etree.SubElement(data, q("row"), r=str(row + 1))
    for c in line.iter(q("c")):
        if c.get("r") == ref:
            return c
    new = etree.Element(q("c"), r=ref)
    for c in line.iter(q("c")):
        other = c.get("r") or ""
        letters = other.rstrip("0123456789")
        if (len(letters), letters) > (len(col_letter(col)), col_letter(col)):
            c.addprevious(new)
            return new
    line.append(new)
    return new
