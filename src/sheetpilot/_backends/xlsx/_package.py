"""The .xlsx package as a set of parts: read from the zip, edited, saved back.

A part nobody edits is copied byte for byte (its content; the zip may compress it anew).
`Book` knows the workbook-level parts: `workbook.xml` (tabs, defined names), its
relationships, `[Content_Types].xml`, styles, shared strings and the calculation chain.

sheetpilot's ownership mark is a hidden workbook-level defined name per tab it owns,
``_sheetpilot_owned_N``, whose reference points at the tab (``'Priorités'!$A$1``).
Excel and LibreOffice keep defined names when they save, and rewrite the reference when
the tab is renamed, so the mark follows its tab (tests/test_xlsx_libreoffice.py checks a
LibreOffice save and rename; LibreOffice drops the `hidden` flag, which is harmless); a
copy of the tab does not get it, and a deleted tab leaves a ``#REF!`` mark that matches
no tab. The alternative, a custom document property, would hold tab names as text and
go stale on every rename.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from sheetpilot._backends.xlsx._ooxml import (
    CONTENT_TYPES,
    CONTENT_TYPES_NS,
    CT_STYLES,
    CT_WORKSHEET,
    MAIN,
    PKG_REL,
    R_ID,
    REL_CALC_CHAIN,
    REL_NS,
    REL_OFFICE_DOCUMENT,
    REL_SHARED_STRINGS,
    REL_STYLES,
    REL_WORKSHEET,
    ROOT_RELS,
    XML_DECLARATION,
    local,
    parse_xml,
    part_path,
    q,
    quote_sheet,
    rels_name,
    to_bytes,
)
from sheetpilot._backends.xlsx._styles import EMPTY_STYLES, Styles

MARK_PREFIX = "_sheetpilot_owned_"
PRINT_TITLES = "_xlnm.Print_Titles"
_MARK_REF = re.compile(r"^\s*(?:'((?:[^']|'')+)'|([^'!]+))!")
# Where a missing <definedNames> goes in workbook.xml: after these (CT_Workbook sequence).
_BEFORE_NAMES = ("sheets", "functionGroups", "externalReferences")


class NotAWorkbook(Exception):
    """The zip is not an .xlsx workbook (no workbook part, unreadable XML)."""


def new_package() -> dict[str, bytes]:
    """The parts of an empty workbook (no tab yet: the first write adds them)."""
    return {
        CONTENT_TYPES: XML_DECLARATION
        + (
            f'<Types xmlns="{CONTENT_TYPES_NS}">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{CT_STYLES}"/>'
            "</Types>"
        ).encode(),
        ROOT_RELS: XML_DECLARATION
        + (
            f'<Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL_OFFICE_DOCUMENT}" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ).encode(),
        "xl/workbook.xml": XML_DECLARATION
        + (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL_NS}">'
            '<bookViews><workbookView activeTab="0"/></bookViews><sheets/></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": XML_DECLARATION
        + (
            f'<Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL_STYLES}" Target="styles.xml"/>'
            "</Relationships>"
        ).encode(),
        "xl/styles.xml": EMPTY_STYLES,
    }


class Package:
    """The parts of one .xlsx; edits are kept until `save()`."""

    def __init__(self, data: bytes | None) -> None:
        self._zip: zipfile.ZipFile | None = None
        self._infos: dict[str, zipfile.ZipInfo] = {}
        self._edited: dict[str, bytes] = {}
        self._dropped: set[str] = set()
        if data is None:
            self._edited = new_package()
        else:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            self._infos = {info.filename: info for info in self._zip.infolist()}

    def has(self, name: str) -> bool:
        return name not in self._dropped and (name in self._edited or name in self._infos)

    def names(self) -> Iterator[str]:
        for name in [*self._infos, *self._edited]:
            if self.has(name):
                yield name

    def read(self, name: str) -> bytes:
        if name in self._edited:
            return self._edited[name]
        if self._zip is None or name not in self._infos or name in self._dropped:
            raise KeyError(name)
        return self._zip.read(name)

    def put(self, name: str, data: bytes) -> None:
        self._dropped.discard(name)
        self._edited[name] = data

    def drop(self, name: str) -> None:
        self._dropped.add(name)
        self._edited.pop(name, None)

    def save(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
            done: set[str] = set()
            for name, info in self._infos.items():
                if name in self._dropped:
                    continue
                fresh = zipfile.ZipInfo(name, date_time=info.date_time)  # its own date kept
                fresh.compress_type = info.compress_type
                fresh.external_attr = info.external_attr
                out.writestr(fresh, self.read(name))
                done.add(name)
            now = time.localtime()[:6]
            for name, data in self._edited.items():
                if name not in done:
                    info = zipfile.ZipInfo(name, date_time=now)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    out.writestr(info, data)
        return buffer.getvalue()


@dataclass
class Tab:
    """One entry of workbook.xml's <sheets>."""

    title: str
    element: etree._Element
    part: str | None  # the zip name of its XML part
    worksheet: bool  # False for a chart sheet or a dialog sheet

    @property
    def hidden(self) -> bool:
        return self.element.get("state") in ("hidden", "veryHidden")


def _mark_target(ref: str) -> str | None:
    """The tab a mark's reference points at.

    >>> _mark_target("'l''équipe'!$A$1"), _mark_target("Checks!$A$1"), _mark_target("#REF!$A$1")
    ("l'équipe", 'Checks', None)
    """
    m = _MARK_REF.match(ref or "")
    if not m:
        return None
    title = m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2).strip()
    return None if title.startswith("#") else title


def _in_phonetic(t: etree._Element) -> bool:
    parent = t.getparent()
    return parent is not None and local(parent.tag) == "rPh"


class Book:
    """The workbook-level parts of a package, parsed once and saved when changed."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self._dirty: set[str] = set()
        self._trees: dict[str, etree._Element] = {}
        try:
            main = "xl/workbook.xml"  # where every tool puts it, when _rels/.rels is missing
            if self.package.has(ROOT_RELS):
                main = next(
                    (
                        r.get("Target", "")
                        for r in self.tree(ROOT_RELS)
                        if r.get("Type") == REL_OFFICE_DOCUMENT
                    ),
                    main,
                )
            self.name = part_path("", main.lstrip("/"))  # relative to the package's root
            self.workbook = self.tree(self.name)
        except (KeyError, etree.XMLSyntaxError) as exc:
            raise NotAWorkbook(f"no readable workbook part ({exc})") from exc
        if etree.QName(self.workbook).namespace != MAIN:
            raise NotAWorkbook(
                "the workbook is saved as Strict Open XML: save it as an ordinary .xlsx"
            )
        self.rels_name = rels_name(self.name)
        if not self.package.has(self.rels_name):
            raise NotAWorkbook(f"its list of parts, {self.rels_name}, is missing")
        self.rels = self.tree(self.rels_name)
        sheets = self.workbook.find(q("sheets"))
        if sheets is None:
            raise NotAWorkbook("the workbook part lists no tabs")
        self.sheets_element: etree._Element = sheets
        targets = {r.get("Id"): r for r in self.rels}
        self.tabs: list[Tab] = []
        for s in self.sheets_element.iter(q("sheet")):
            rel = targets.get(s.get(R_ID))
            part = part_path(self.name, rel.get("Target", "")) if rel is not None else None
            kind = rel.get("Type") if rel is not None else None
            self.tabs.append(Tab(s.get("name", ""), s, part, kind == REL_WORKSHEET))
        self._styles: Styles | None = None
        self._strings: list[str] | None = None

    # --- parts ----------------------------------------------------------------------------
    def tree(self, name: str) -> etree._Element:
        if name not in self._trees:
            self._trees[name] = parse_xml(self.package.read(name))
        return self._trees[name]

    def touch(self, name: str) -> None:
        self._dirty.add(name)

    def _rel_part(self, rel_type: str) -> str | None:
        for r in self.rels:
            if r.get("Type") == rel_type:
                return part_path(self.name, r.get("Target", ""))
        return None

    @property
    def worksheets(self) -> list[Tab]:
        return [t for t in self.tabs if t.worksheet and t.part is not None]

    def tab(self, title: str) -> Tab | None:
        for t in self.worksheets:
            if t.title == title:
                return t
        return None

    def styles(self) -> Styles:
        if self._styles is None:
            part = self._rel_part(REL_STYLES)
            if part is None or not self.package.has(part):
                part = part or "xl/styles.xml"
                self.package.put(part, EMPTY_STYLES)
                self._add_rel(REL_STYLES, part)
                self._add_override(part, CT_STYLES)
            self._styles_part = part
            self._styles = Styles(self.package.read(part))
        return self._styles

    def shared_string(self, index: int) -> str:
        if self._strings is None:
            part = self._rel_part(REL_SHARED_STRINGS)
            self._strings = []
            if part is not None and self.package.has(part):
                for si in parse_xml(self.package.read(part)).iter(q("si")):
                    texts = [t.text or "" for t in si.iter(q("t")) if not _in_phonetic(t)]
                    self._strings.append("".join(texts))
        return self._strings[index] if 0 <= index < len(self._strings) else ""

    # --- ownership ------------------------------------------------------------------------
    def _names(self) -> list[etree._Element]:
        holder = self.workbook.find(q("definedNames"))
        return list(holder.iter(q("definedName"))) if holder is not None else []

    def owned(self) -> set[str]:
        """The titles of the tabs that carry sheetpilot's mark."""
        out = set()
        for name in self._names():
            if name.get("name", "").startswith(MARK_PREFIX) and name.get("localSheetId") is None:
                target = _mark_target(name.text or "")
                if target is not None:
                    out.add(target)
        return out

    def mark_owned(self, title: str) -> None:
        if title in self.owned():
            return
        holder = self.workbook.find(q("definedNames"))
        if holder is None:
            holder = etree.Element(q("definedNames"))
            self._anchor(_BEFORE_NAMES).addnext(holder)
        used = {n.get("name", "") for n in self._names()}
        n = 1
        while f"{MARK_PREFIX}{n}" in used:
            n += 1
        mark = etree.SubElement(holder, q("definedName"), name=f"{MARK_PREFIX}{n}", hidden="1")
        mark.text = f"{quote_sheet(title)}!$A$1"
        self.touch(self.name)

    def set_print_titles(self, title: str, rows: int) -> None:
        """Print the first `rows` rows of tab `title` on every page (`_xlnm.Print_Titles`,
        a name local to that tab); other names, sheetpilot's marks included, are kept."""
        tab = self.tab(title)
        if tab is None or rows <= 0:
            return
        local_id = str(self.tabs.index(tab))
        text = f"{quote_sheet(title)}!$1:${rows}"
        for name in self._names():
            if name.get("name") == PRINT_TITLES and name.get("localSheetId") == local_id:
                if name.text != text:
                    name.text = text
                    self.touch(self.name)
                return
        holder = self.workbook.find(q("definedNames"))
        if holder is None:
            holder = etree.Element(q("definedNames"))
            self._anchor(_BEFORE_NAMES).addnext(holder)
        name = etree.SubElement(holder, q("definedName"), name=PRINT_TITLES, localSheetId=local_id)
        name.text = text
        self.touch(self.name)

    def _anchor(self, names: tuple[str, ...]) -> etree._Element:
        """The last child of workbook.xml among `names` (a new element goes after it)."""
        found = [c for c in self.workbook if local(c.tag) in names]
        return found[-1] if found else self.sheets_element

    # --- structure ------------------------------------------------------------------------
    def _add_rel(self, rel_type: str, part: str) -> str:
        used = {r.get("Id") for r in self.rels}
        n = len(used) + 1
        while f"rId{n}" in used:
            n += 1
        folder = self.name.rsplit("/", 1)[0] + "/" if "/" in self.name else ""
        target = part[len(folder) :] if part.startswith(folder) else "/" + part
        etree.SubElement(
            self.rels, f"{{{PKG_REL}}}Relationship", Id=f"rId{n}", Type=rel_type, Target=target
        )
        self.touch(self.rels_name)
        return f"rId{n}"

    def _add_override(self, part: str, content_type: str) -> None:
        types = self.tree(CONTENT_TYPES)
        etree.SubElement(
            types,
            f"{{{CONTENT_TYPES_NS}}}Override",
            PartName="/" + part,
            ContentType=content_type,
        )
        self.touch(CONTENT_TYPES)

    def add_worksheet(self, title: str, index: int | None, xml: bytes, *, hidden: bool) -> Tab:
        """A new tab with the worksheet part `xml`, at `index` among the worksheets."""
        n = 1
        while self.package.has(f"xl/worksheets/sheet{n}.xml"):
            n += 1
        part = f"xl/worksheets/sheet{n}.xml"
        self.package.put(part, xml)
        rid = self._add_rel(REL_WORKSHEET, part)
        self._add_override(part, CT_WORKSHEET)
        sheet_id = 1 + max((int(t.element.get("sheetId", "0")) for t in self.tabs), default=0)
        element = etree.Element(q("sheet"), name=title, sheetId=str(sheet_id))
        if hidden:
            element.set("state", "hidden")
        element.set(R_ID, rid)
        worksheets = self.worksheets
        if index is None or index >= len(worksheets):
            position = len(self.tabs)
            self.sheets_element.append(element)
        else:
            before = worksheets[max(index, 0)]
            position = self.tabs.index(before)
            before.element.addprevious(element)
        self._shift_sheet_indexes(position)
        tab = Tab(title, element, part, True)
        self.tabs.insert(position, tab)
        self.touch(self.name)
        return tab

    def _shift_sheet_indexes(self, position: int) -> None:
        """Tab indexes stored in workbook.xml, moved past a tab inserted at `position`."""
        if position >= len(self.tabs):
            return
        for name in self._names():
            local = name.get("localSheetId")
            if local is not None and local.isdigit() and int(local) >= position:
                name.set("localSheetId", str(int(local) + 1))
        views = self.workbook.find(q("bookViews"))
        for view in views.iter(q("workbookView")) if views is not None else ():
            for attr in ("activeTab", "firstSheet"):
                value = view.get(attr, "0" if attr == "activeTab" else None)
                if value is not None and value.isdigit() and int(value) >= position:
                    view.set(attr, str(int(value) + 1))  # the same tab stays the active one

    def drop_calc_chain(self) -> None:
        """Remove the calculation chain: Excel rebuilds it; a stale one makes it repair."""
        part = self._rel_part(REL_CALC_CHAIN)
        if part is None:
            return
        for r in list(self.rels):
            if r.get("Type") == REL_CALC_CHAIN:
                self.rels.remove(r)
        self.touch(self.rels_name)
        self.package.drop(part)
        types = self.tree(CONTENT_TYPES)
        for o in list(types):
            if o.get("PartName") == "/" + part:
                types.remove(o)
                self.touch(CONTENT_TYPES)

    def recalculate_on_load(self) -> None:
        """Ask Excel and LibreOffice to recalculate the user's formulas when they open it."""
        calc = self.workbook.find(q("calcPr"))
        if calc is None:
            calc = etree.Element(q("calcPr"))
            self._anchor((*_BEFORE_NAMES, "definedNames")).addnext(calc)
        if calc.get("fullCalcOnLoad") != "1":
            calc.set("fullCalcOnLoad", "1")
            self.touch(self.name)

    def save(self) -> None:
        """Serialise the workbook-level parts that changed into the package."""
        if self._styles is not None and self._styles.changed:
            self.package.put(self._styles_part, to_bytes(self._styles.root))
        for name in self._dirty:
            self.package.put(name, to_bytes(self._trees[name]))
