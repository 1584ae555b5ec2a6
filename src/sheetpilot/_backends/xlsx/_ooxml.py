"""The vocabulary of an .xlsx package: namespaces, part names, cell ranges, XML in and out.

>>> parse_ref("B3"), parse_ref("$AA$10")
((2, 1), (9, 26))
>>> parse_range("A1:C4"), parse_range("D7")
((0, 0, 3, 2), (6, 3, 6, 3))
>>> range_ref((4, 0, 6, 0))
'A5:A7'
>>> part_path("xl/workbook.xml", "worksheets/sheet1.xml"), part_path("xl/workbook.xml", "/xl/s.xml")
('xl/worksheets/sheet1.xml', 'xl/s.xml')
"""

from __future__ import annotations

import posixpath
import re

from lxml import etree

from sheetpilot._cells import a1, col_index

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"

REL_OFFICE_DOCUMENT = REL_NS + "/officeDocument"
REL_WORKSHEET = REL_NS + "/worksheet"
REL_STYLES = REL_NS + "/styles"
REL_SHARED_STRINGS = REL_NS + "/sharedStrings"
REL_CALC_CHAIN = REL_NS + "/calcChain"

CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"

CONTENT_TYPES = "[Content_Types].xml"
ROOT_RELS = "_rels/.rels"

Box = tuple[int, int, int, int]  # (first row, first col, last row, last col), 0-based, inclusive


def q(tag: str) -> str:
    """A tag of the spreadsheetml main namespace in lxml's Clark notation."""
    return f"{{{MAIN}}}{tag}"


R_ID = f"{{{REL_NS}}}id"

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False
)


def parse_xml(data: bytes) -> etree._Element:
    """A part's XML; entities are never resolved and nothing is fetched."""
    return etree.fromstring(data, _PARSER)


def to_bytes(root: etree._Element) -> bytes:
    """A part's XML as Excel writes it: UTF-8 with a standalone declaration."""
    return XML_DECLARATION + bytes(etree.tostring(root, encoding="UTF-8"))


def local(tag: object) -> str:
    """The tag without its namespace ('' for comments and processing instructions)."""
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def parse_ref(ref: str) -> tuple[int, int]:
    """`B3` → (2, 1): a cell reference as 0-based (row, col)."""
    m = _REF.match(ref.strip())
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(m.group(2)) - 1, col_index(m.group(1))


def parse_range(ref: str) -> Box:
    first, _, last = ref.partition(":")
    r1, c1 = parse_ref(first)
    r2, c2 = parse_ref(last) if last else (r1, c1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def range_ref(box: Box) -> str:
    r1, c1, r2, c2 = box
    return a1(r1, c1) if (r1, c1) == (r2, c2) else f"{a1(r1, c1)}:{a1(r2, c2)}"


def overlap(a: Box, b: Box) -> bool:
    return not (a[2] < b[0] or a[0] > b[2] or a[3] < b[1] or a[1] > b[3])


def subtract(box: Box, cut: Box) -> list[Box]:
    """The parts of `box` outside `cut`, each a rectangle.

    >>> [range_ref(b) for b in subtract(parse_range("A1:B10"), parse_range("A5:A7"))]
    ['A1:B4', 'A8:B10', 'B5:B7']
    """
    if not overlap(box, cut):
        return [box]
    r1, c1, r2, c2 = box
    s1, k1, s2, k2 = cut
    parts: list[Box] = []
    if r1 < s1:
        parts.append((r1, c1, s1 - 1, c2))  # above
    if r2 > s2:
        parts.append((s2 + 1, c1, r2, c2))  # below
    top, bottom = max(r1, s1), min(r2, s2)
    if c1 < k1:
        parts.append((top, c1, bottom, k1 - 1))  # left
    if c2 > k2:
        parts.append((top, k2 + 1, bottom, c2))  # right
    return parts


def part_path(source: str, target: str) -> str:
    """The zip name of a relationship's target, relative to the part that holds the rels."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def rels_name(part: str) -> str:
    """The name of a part's relationships part: `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def quote_sheet(title: str) -> str:
    """A tab name as formulas and defined names write it.

    >>> quote_sheet("Priorités"), quote_sheet("l'équipe")
    ("'Priorités'", "'l''équipe'")
    """
    return "'" + title.replace("'", "''") + "'"


def is_date_format(num_fmt_id: int, code: str | None) -> bool:
    """Whether a number format shows a date or time.

    >>> is_date_format(14, None), is_date_format(164, "dd/mm/yyyy"), is_date_format(9, "0%")
    (True, True, False)
    >>> is_date_format(165, '0.0" j"'), is_date_format(166, "[Red]0.00")
    (False, False)
    """
    if 14 <= num_fmt_id <= 22 or 27 <= num_fmt_id <= 36 or 45 <= num_fmt_id <= 47:
        return True
    if not code:
        return 50 <= num_fmt_id <= 58
    plain = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code.split(";")[0])
    return any(ch in plain for ch in "dmyhsDMYHS")
