"""Cell styles in `xl/styles.xml`: the few sheetpilot needs, appended, never renumbered.

A cell's style is an index into `cellXfs`. When sheetpilot writes a cell with a number
format, bold or not, or text that needs Excel's quote prefix, it takes the cell's current
style, changes only that, and uses an identical style already in the file when there is
one, else appends a new one (and a font or number format when needed) at the end of its
list. Existing entries keep their index, so every other cell keeps its look.
"""

from __future__ import annotations

from copy import deepcopy

from lxml import etree

from sheetpilot._backends.xlsx._ooxml import MAIN, is_date_format, local, parse_xml, q

# Excel's built-in number formats that sheetpilot may ask for by their code.
BUILTIN_FORMATS = {
    "General": 0,
    "0": 1,
    "0.00": 2,
    "#,##0": 3,
    "#,##0.00": 4,
    "0%": 9,
    "0.00%": 10,
    "0.00E+00": 11,
    "mm-dd-yy": 14,
    "h:mm": 20,
    "h:mm:ss": 21,
    "@": 49,
}
FIRST_CUSTOM_FORMAT = 164

# The smallest styles.xml Excel and LibreOffice accept (for a workbook sheetpilot creates).
EMPTY_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
).encode()

# Where a missing list goes: styleSheet's children come in this order.
_ORDER = (
    "numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
    "tableStyles", "colors", "extLst",
)  # fmt: skip
INPUT_FILL = "FFF2CC"  # a cell the user picks: light yellow, framed
INPUT_BORDER = "A6A6A6"


def _key(element: etree._Element) -> bytes:
    return bytes(etree.tostring(element, with_tail=False))


class Styles:
    """The workbook's styles, edited by appending only; `changed` once anything was added."""

    def __init__(self, data: bytes) -> None:
        self.root = parse_xml(data)
        self.changed = False
        self._formats: dict[int, str] = {}
        for fmt in self._list("numFmts", create=False):
            self._formats[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "")
        self._derived: dict[tuple[int, str | None, bool | None, bool | None, bool, bool], int] = {}

    def _list(self, name: str, *, create: bool = True) -> etree._Element:
        found = self.root.find(q(name))
        if found is not None or not create:
            return found if found is not None else etree.Element(q(name))
        element = etree.Element(q(name), count="0")
        later = _ORDER[_ORDER.index(name) + 1 :]
        for i, child in enumerate(self.root):
            if local(child.tag) in later:
                self.root.insert(i, element)
                break
        else:
            self.root.append(element)
        return element

    def _append(self, name: str, entry: etree._Element) -> int:
        """The index of an entry equal to `entry` in list `name`, appending it if needed."""
        items = self._list(name)
        key = _key(entry)
        children = [c for c in items if isinstance(c.tag, str)]
        for i, existing in enumerate(children):
            if _key(existing) == key:
                return i
        entry.tail = None
        items.append(entry)
        items.set("count", str(len(children) + 1))
        self.changed = True
        return len(children)

    def _xf(self, index: int) -> etree._Element:
        xfs = [c for c in self._list("cellXfs") if isinstance(c.tag, str)]
        if not xfs:
            base = etree.Element(q("xf"), numFmtId="0", fontId="0", fillId="0", borderId="0")
            self._append("cellXfs", base)
            xfs = [base]
        return xfs[index] if 0 <= index < len(xfs) else xfs[0]

    def format_code(self, style: int) -> tuple[int, str | None]:
        xf = self._xf(style)
        num = int(xf.get("numFmtId", "0"))
        return num, self._formats.get(num)

    def is_date(self, style: int) -> bool:
        return is_date_format(*self.format_code(style))

    def has_quote_prefix(self, style: int) -> bool:
        return self._xf(style).get("quotePrefix") in ("1", "true")

    def _format_id(self, code: str) -> int:
        for num, existing in self._formats.items():
            if existing == code:
                return num
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        num = max([FIRST_CUSTOM_FORMAT - 1, *self._formats]) + 1
        fmt = etree.Element(q("numFmt"), numFmtId=str(num), formatCode=code)
        formats = self._list("numFmts")
        formats.append(fmt)
        formats.set("count", str(len([c for c in formats if isinstance(c.tag, str)])))
        self._formats[num] = code
        self.changed = True
        return num

    def _font_id(self, font_id: int, bold: bool) -> int:
        fonts = [c for c in self._list("fonts") if isinstance(c.tag, str)]
        if not fonts:
            return font_id
        font = fonts[font_id] if 0 <= font_id < len(fonts) else fonts[0]
        b = font.find(q("b"))
        is_bold = b is not None and b.get("val", "1") not in ("0", "false")
        if is_bold == bold:
            return font_id
        new = deepcopy(font)
        for old in new.findall(q("b")):
            new.remove(old)
        if bold:
            new.insert(0, etree.Element(q("b")))
        return self._append("fonts", new)

    def derive(
        self,
        style: int,
        *,
        number_format: str | None = None,
        bold: bool | None = None,
        quote_prefix: bool | None = None,
        wrap: bool = False,
        input_cell: bool = False,
    ) -> int:
        """The style like `style` but with these changes (None, False: keep what it has).

        `wrap`: long text wraps, top-aligned. `input_cell`: filled and framed as a cell
        the user picks."""
        key = (style, number_format, bold, quote_prefix, wrap, input_cell)
        if key in self._derived:
            return self._derived[key]
        xf = self._xf(style)
        new = deepcopy(xf)
        if number_format is not None:
            num = self._format_id(number_format)
            if int(xf.get("numFmtId", "0")) != num:
                new.set("numFmtId", str(num))
                new.set("applyNumberFormat", "1")
        if bold is not None:
            font = self._font_id(int(xf.get("fontId", "0")), bold)
            if int(xf.get("fontId", "0")) != font:
                new.set("fontId", str(font))
                new.set("applyFont", "1")
        if quote_prefix is not None and self.has_quote_prefix(style) != quote_prefix:
            if quote_prefix:
                new.set("quotePrefix", "1")
            else:
                del new.attrib["quotePrefix"]
        if wrap:
            alignment = new.find(q("alignment"))
            if alignment is None:
                alignment = etree.Element(q("alignment"))
                new.insert(0, alignment)
            alignment.set("wrapText", "1")
            alignment.set("vertical", "top")
            new.set("applyAlignment", "1")
        if input_cell:
            new.set("fillId", str(self._append("fills", _solid_fill(INPUT_FILL))))
            new.set("borderId", str(self._append("borders", _frame(INPUT_BORDER))))
            new.set("applyFill", "1")
            new.set("applyBorder", "1")
        result = style if _key(new) == _key(xf) else self._append("cellXfs", new)
        self._derived[key] = result
        return result

    # --- conditional formats ----------------------------------------------------------
    def highlight(self, fill: str) -> int:
        """The index of a differential style (dxf) that fills a cell with `fill` (RRGGBB),
        appended to `dxfs` unless an identical one is there."""
        dxf = etree.Element(q("dxf"), nsmap={None: MAIN})  # type: ignore[dict-item]
        dxf.append(_solid_fill(fill))
        return self._append("dxfs", dxf)

    def highlight_fill(self, index: int) -> str | None:
        """The fill (RRGGBB) of differential style `index`, None when it has none."""
        dxfs = [c for c in self._list("dxfs", create=False) if isinstance(c.tag, str)]
        if not 0 <= index < len(dxfs):
            return None
        for tag in ("bgColor", "fgColor"):
            color = dxfs[index].find(f"{q('fill')}/{q('patternFill')}/{q(tag)}")
            if color is not None and color.get("rgb"):
                return color.get("rgb", "")[-6:].upper()
        return None


def _solid_fill(rgb: str) -> etree._Element:
    """A solid fill; the colour is given as both fgColor (cells) and bgColor (which a
    differential style reads), as Excel writes them."""
    fill = etree.Element(q("fill"), nsmap={None: MAIN})  # type: ignore[dict-item]
    pattern = etree.SubElement(fill, q("patternFill"), patternType="solid")
    etree.SubElement(pattern, q("fgColor"), rgb=f"FF{rgb}")
    etree.SubElement(pattern, q("bgColor"), rgb=f"FF{rgb}")
    return fill


def _frame(rgb: str) -> etree._Element:
    border = etree.Element(q("border"), nsmap={None: MAIN})  # type: ignore[dict-item]
    for side in ("left", "right", "top", "bottom"):
        edge = etree.SubElement(border, q(side), style="thin")
        etree.SubElement(edge, q("color"), rgb=f"FF{rgb}")
    etree.SubElement(border, q("diagonal"))
    return border
