"""One worksheet part, edited in place: only the `<c>` elements sheetpilot writes change.

Rows and cells are found by their `r` reference; a missing row is created in order, a
missing cell in column order. Everything else in the part (formulas with their cached
results, styles, merged ranges, conditional formats, data validations, `extLst`, …) is
left as it was. `dimension` grows to cover new cells.

Strings are written inline (`t="inlineStr"`): the shared-strings table is never touched,
so no other cell's index moves. Text is always text: a value that starts with `=`, `+`,
`-` or `@` gets Excel's quote prefix and is never stored as a formula.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Callable
from datetime import date, datetime, time

from lxml import etree

from sheetpilot._backends.xlsx._formulas import as_stored, shift
from sheetpilot._backends.xlsx._ooxml import (
    Box,
    local,
    overlap,
    parse_range,
    parse_ref,
    q,
    range_ref,
    subtract,
    to_bytes,
)
from sheetpilot._backends.xlsx._present import column_styles
from sheetpilot._backends.xlsx._styles import Styles
from sheetpilot._cells import CellValue, col_index, col_letter, date_to_serial
from sheetpilot._workbook import CellWrite, ListValidation

QUOTE_PREFIXED = ("=", "+", "-", "@")
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Characters XML 1.0 cannot hold (openpyxl drops them too).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Where a missing <dimension> or <dataValidations> goes: the worksheet's children that
# must come after it (CT_Worksheet is a sequence).
_AFTER_DIMENSION = ("sheetViews", "sheetFormatPr", "cols", "sheetData")
_AFTER_VALIDATIONS = (
    "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks",
    "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing",
    "legacyDrawing", "legacyDrawingHF", "picture", "oleObjects", "controls",
    "webPublishItems", "tableParts", "extLst",
)  # fmt: skip

StringLookup = Callable[[int], str]
_COLUMNS: dict[str, int] = {}  # column letters → index, as met
_LETTERS: dict[int, str] = {}  # index → column letters, as met
_C, _F, _V, _IS, _T = q("c"), q("f"), q("v"), q("is"), q("t")
_CONTENT = (_F, _V, _IS)


def _ref(row: int, col: int) -> str:
    """(row, col) → `B7`, its column letters memoised."""
    letters = _LETTERS.get(col)
    if letters is None:
        letters = _LETTERS[col] = col_letter(col)
    return f"{letters}{row + 1}"


def _insert_before(parent: etree._Element, element: etree._Element, later: tuple[str, ...]) -> None:
    for i, child in enumerate(parent):
        if isinstance(child.tag, str) and local(child.tag) in later:
            parent.insert(i, element)
            return
    parent.append(element)


def clean_text(text: str) -> str:
    return _ILLEGAL.sub("", text) if _ILLEGAL.search(text) else text


def number_text(value: float) -> str:
    """A number as xlsx stores it.

    >>> number_text(3), number_text(0.1), number_text(46037.0), number_text(1e-7)
    ('3', '0.1', '46037', '1E-07')
    """
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = repr(value)
    if "e" in text:
        mantissa, exp = text.split("e")
        text = f"{mantissa}E{'-' if exp.startswith('-') else '+'}{exp.lstrip('+-').zfill(2)}"
    return text


class SheetPart:
    """A worksheet's XML tree with an index of its rows and cells; `serialize()` gives the
    new XML when a write changed it."""

    def __init__(self, root: etree._Element, styles: Callable[[], Styles]) -> None:
        self.root = root
        self._styles = styles
        self._original = to_bytes(root)  # to tell, at the end, whether anything changed
        self._touched = False
        self.formulas_changed = False
        data = root.find(q("sheetData"))
        if data is None:
            data = etree.SubElement(root, q("sheetData"))
            _insert_before(root, data, _AFTER_VALIDATIONS)
        self.data = data
        self.rows: dict[int, etree._Element] = {}
        last = -1
        for row in data.iter(q("row")):
            r = row.get("r")
            last = int(r) - 1 if r else last + 1
            self.rows[last] = row
        self._order = sorted(self.rows)
        self._index: dict[int, dict[int, etree._Element]] = {}
        self._by_ref: dict[int, dict[str, etree._Element]] = {}
        self._merged: list[Box] | None = None
        self._grown: Box | None = None
        self._col_styles: dict[int, int] | None = None

    def touch(self) -> None:
        """Mark the part as edited outside `write` (its layout): compared when serialised."""
        self._touched = True

    # --- finding cells ------------------------------------------------------------------
    def _cells(self, row: int) -> dict[int, etree._Element]:
        """The cells of a row by column (indexed once per row, kept up to date)."""
        found = self._index.get(row)
        if found is not None:
            return found
        found = {}
        line = self.rows.get(row)
        last = -1
        for c in line.iterchildren(_C) if line is not None else ():
            ref = c.get("r")
            letters = ref.rstrip("0123456789").lstrip("$") if ref else ""
            known = _COLUMNS.get(letters)
            if known is None:
                known = col_index(letters) if letters.isalpha() else -1
                _COLUMNS[letters] = known
            last = known if known >= 0 else last + 1
            found[last] = c
        self._index[row] = found
        return found

    def _refs(self, row: int) -> dict[str, etree._Element]:
        """The cells of a row by reference (`B7`): the quick index most look-ups use."""
        found = self._by_ref.get(row)
        if found is None:
            line = self.rows.get(row)
            found = {c.get("r", ""): c for c in line.iterchildren(_C)} if line is not None else {}
            if "" in found:  # some cells carry no reference: name them by their position
                found = {_ref(row, col): c for col, c in self._cells(row).items()}
            self._by_ref[row] = found
        return found

    def find(self, row: int, col: int) -> etree._Element | None:
        return self._refs(row).get(_ref(row, col)) if row in self.rows else None

    def _row(self, row: int) -> etree._Element:
        line = self.rows.get(row)
        if line is not None:
            return line
        line = etree.Element(q("row"), r=str(row + 1))
        at = bisect_left(self._order, row)
        if at < len(self._order):
            self.rows[self._order[at]].addprevious(line)
        else:
            self.data.append(line)
        self._order.insert(at, row)
        self.rows[row] = line
        return line

    def _cell(self, row: int, col: int) -> etree._Element:
        found = self.find(row, col)
        if found is not None:
            if not found.get("r"):
                found.set("r", _ref(row, col))
            return found
        line = self._row(row)
        cells = self._cells(row)
        c = etree.Element(_C, r=_ref(row, col))
        if self._col_styles is None:
            self._col_styles = column_styles(self.root)
        if col in self._col_styles:  # a new cell takes its column's style, as in Excel
            c.set("s", str(self._col_styles[col]))
        after = [k for k in cells if k > col]
        if after:
            cells[min(after)].addprevious(c)
        else:
            line.append(c)
        cells[col] = c
        self._refs(row)[_ref(row, col)] = c
        self._widen_spans(line, col)
        self._grow(row, col)
        return c

    def _widen_spans(self, line: etree._Element, col: int) -> None:
        spans = line.get("spans")
        if not spans or ":" not in spans:
            return
        first, _, last = spans.partition(":")
        if first.isdigit() and last.isdigit():
            lo, hi = min(int(first), col + 1), max(int(last), col + 1)
            line.set("spans", f"{lo}:{hi}")

    def _grow(self, row: int, col: int) -> None:
        g = self._grown
        self._grown = (
            (row, col, row, col)
            if g is None
            else (min(g[0], row), min(g[1], col), max(g[2], row), max(g[3], col))
        )

    def merged_hidden(self, row: int, col: int) -> bool:
        """Whether (row, col) lies inside a merged range but is not its top-left cell."""
        if self._merged == []:
            return False
        if self._merged is None:
            merges = self.root.find(q("mergeCells"))
            self._merged = [
                parse_range(m.get("ref", "A1"))
                for m in (merges.iter(q("mergeCell")) if merges is not None else ())
                if m.get("ref")
            ]
        for box in self._merged:
            if overlap(box, (row, col, row, col)) and (row, col) != (box[0], box[1]):
                return True
        return False

    # --- reading a cell (for guards) ----------------------------------------------------
    def value(self, row: int, col: int, strings: StringLookup) -> CellValue:
        """What the cell holds now, in raw form (dates as serial numbers; see `canonical`)."""
        c = self.find(row, col)
        if c is None:
            return None
        kind = c.get("t", "n")
        if kind == "inlineStr":
            node = c.find(q("is"))
            return "".join(str(t) for t in node.itertext()) if node is not None else ""
        v = c.find(q("v"))
        text = v.text if v is not None else None
        if text is None:
            return None
        if kind == "s":
            return strings(int(text))
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind in ("str", "e"):
            return text
        try:
            return float(text)
        except ValueError:
            return text

    # --- writing ------------------------------------------------------------------------
    def write(self, write: CellWrite) -> bool:
        """Write one cell; False when it lies hidden in a merged range (skipped)."""
        if self.merged_hidden(write.row, write.col):
            return False
        value = write.value
        if value == "":
            value = None
        existing = self.find(write.row, write.col)
        if existing is None and value is None and write.formula is None:
            return True  # clearing a cell that does not exist: nothing to do
        c = existing if existing is not None else self._cell(write.row, write.col)
        f = c.find(_F)
        if write.formula is not None or f is not None:
            self.formulas_changed = True
        if f is not None and f.get("t") == "shared" and f.text and f.get("ref"):
            self._unshare(f.get("si", ""), f.text, c.get("r", ""))
        self._set(c, write, value)
        self._touched = True
        return True

    def _unshare(self, si: str, formula: str, origin: str) -> None:
        """Before the first cell of a shared formula is overwritten, give every other
        cell of the group its own formula (the group's text lives in the first cell only)."""
        first = parse_ref(origin)
        for f in self.root.iter(_F):
            if f.get("t") == "shared" and f.get("si") == si and not f.text:
                cell = f.getparent()
                if cell is None or not cell.get("r"):
                    continue
                row, col = parse_ref(cell.get("r", ""))
                for attr in ("t", "si", "ref"):
                    if attr in f.attrib:
                        del f.attrib[attr]
                f.text = shift(formula, row - first[0], col - first[1])

    def _set(self, c: etree._Element, write: CellWrite, value: CellValue) -> None:
        for child in list(c):
            if child.tag in _CONTENT:
                c.remove(child)
        attrib = c.attrib
        for attr in ("t", "vm", "cm"):
            if attr in attrib:
                del attrib[attr]
        style = int(c.get("s") or 0)  # some writers leave s=""
        styles = self._styles()
        number_format = write.number_format
        quote: bool | None = None
        content: list[etree._Element] = []
        if write.formula is not None:
            f = etree.Element(_F)
            f.text = as_stored(clean_text(write.formula.removeprefix("=")))
            content.append(f)
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        if isinstance(value, str):
            text = clean_text(value)
            # a quote prefix already on other text is harmless: the style is kept then
            quote = text.startswith(QUOTE_PREFIXED) or None
            if write.formula is not None:
                c.set("t", "str")
                content.append(_v(text))
            else:
                c.set("t", "inlineStr")
                node = etree.Element(_IS)
                t = etree.SubElement(node, _T)
                t.text = text
                if text != text.strip():
                    t.set(XML_SPACE, "preserve")
                content.append(node)
        elif isinstance(value, bool):
            c.set("t", "b")
            content.append(_v("1" if value else "0"))
            quote = False
        elif isinstance(value, int | float):
            if isinstance(value, float) and not math.isfinite(value):
                c.set("t", "e")
                content.append(_v("#NUM!"))
            else:
                content.append(_v(number_text(value)))
            quote = False
        elif isinstance(value, date):
            content.append(_v(number_text(date_to_serial(value))))
            if number_format is None and not styles.is_date(style):
                number_format = (
                    "yyyy-mm-dd h:mm:ss" if isinstance(value, datetime) else "yyyy-mm-dd"
                )
            quote = False
        elif isinstance(value, time):
            seconds = value.hour * 3600 + value.minute * 60 + value.second
            content.append(_v(number_text(seconds / 86400)))
            quote = False
        else:
            quote = False
            if write.formula is not None:  # a formula whose result is blank
                c.set("t", "str")
                content.append(_v(""))
        for i, node in enumerate(content):
            c.insert(i, node)
        new_style = styles.derive(
            style, number_format=number_format, bold=write.bold, quote_prefix=quote
        )
        if new_style != style:
            c.set("s", str(new_style))

    def serialize(self) -> bytes | None:
        """The part's new XML, or None when what sheetpilot wrote changed nothing."""
        self._finish()
        if not self._touched:
            return None
        data = to_bytes(self.root)
        return None if data == self._original else data

    def _finish(self) -> None:
        """Grow `dimension` to cover the cells created."""
        if self._grown is None:
            return
        dim = self.root.find(q("dimension"))
        box = self._grown
        if dim is not None and dim.get("ref"):
            try:
                old = parse_range(dim.get("ref", "A1"))
            except ValueError:
                old = box
            box = (
                min(old[0], box[0]),
                min(old[1], box[1]),
                max(old[2], box[2]),
                max(old[3], box[3]),
            )
        if dim is None:
            dim = etree.Element(q("dimension"))
            _insert_before(self.root, dim, _AFTER_DIMENSION)
        ref = range_ref(box)
        if dim.get("ref") != ref:
            dim.set("ref", ref)

    # --- dropdowns ----------------------------------------------------------------------
    def validate(self, validation: ListValidation) -> None:
        """A list dropdown on its cells; it replaces whatever validated them before."""
        if validation.source:
            formula = validation.source.removeprefix("=")
        else:
            formula = '"' + ",".join(v.replace('"', '""') for v in validation.values) + '"'
        last = validation.row + max(validation.rows, 1) - 1
        target: Box = (validation.row, validation.col, last, validation.col)
        holder = self.root.find(q("dataValidations"))
        existing = list(holder.iter(q("dataValidation"))) if holder is not None else []
        for dv in existing:
            f1 = dv.find(q("formula1"))
            boxes = _boxes(dv.get("sqref", ""))
            if (
                dv.get("type") == "list"
                and f1 is not None
                and f1.text == formula
                and boxes == [target]
                and (dv.get("prompt") or "") == validation.prompt
            ):
                return  # already there, as it should be
        if holder is None:
            holder = etree.Element(q("dataValidations"), count="0")
            _insert_before(self.root, holder, _AFTER_VALIDATIONS)
        for dv in existing:  # ours replaces whatever validated these cells before
            boxes = _boxes(dv.get("sqref", ""))
            if not any(overlap(b, target) for b in boxes):
                continue
            kept = [part for b in boxes for part in subtract(b, target)]
            if kept:
                dv.set("sqref", " ".join(range_ref(b) for b in kept))
            else:
                holder.remove(dv)
        self._cut_x14_validations(target)
        dv = etree.SubElement(
            holder, q("dataValidation"), type="list", allowBlank="1", sqref=range_ref(target)
        )
        if validation.prompt:
            dv.set("showInputMessage", "1")
            dv.set("prompt", validation.prompt)
        etree.SubElement(dv, q("formula1")).text = formula
        holder.set("count", str(len(list(holder.iter(q("dataValidation"))))))
        self._touched = True

    def _cut_x14_validations(self, target: Box) -> None:
        """Excel 2010 validations (in `extLst`) on the same cells give way to ours too."""
        ext_list = self.root.find(q("extLst"))
        if ext_list is None:
            return
        for holder in list(ext_list.iter(f"{{{X14}}}dataValidations")):
            for dv in list(holder.iter(f"{{{X14}}}dataValidation")):
                sqref = dv.find(f"{{{XM}}}sqref")
                if sqref is None:
                    continue
                boxes = _boxes(sqref.text or "")
                if not any(overlap(b, target) for b in boxes):
                    continue
                kept = [part for b in boxes for part in subtract(b, target)]
                if kept:
                    sqref.text = " ".join(range_ref(b) for b in kept)
                else:
                    holder.remove(dv)
            left = len(list(holder.iter(f"{{{X14}}}dataValidation")))
            if left:
                holder.set("count", str(left))
                continue
            ext = holder.getparent()
            if ext is not None:
                ext.remove(holder)
                if not any(isinstance(c.tag, str) for c in ext):
                    ext_list.remove(ext)
        if not any(isinstance(c.tag, str) for c in ext_list):
            self.root.remove(ext_list)


def _v(text: str | None) -> etree._Element:
    v = etree.Element(_V)
    v.text = text
    return v


def _boxes(sqref: str) -> list[Box]:
    out = []
    for part in sqref.split():
        try:
            out.append(parse_range(part))
        except ValueError:
            continue
    return out
