"""Native charts in an .xlsx package: chart parts, the drawing that places them, and back.

A tab's charts live in one drawing part (`xl/drawings/drawingN.xml`, related from the
worksheet's rels and named by its ``<drawing r:id>``), each chart in a part of its own
(`xl/charts/chartN.xml`, related from the drawing's rels). A chart part holds only the
ranges it reads, no cached values: Excel and LibreOffice fill the chart from the cells
when they open the file, so a chart part is rewritten only when its title or ranges
change, and every other part stays as it is.

>>> from sheetpilot._workbook import ChartSeries
>>> chart = Chart("Dashboard", "combo", "Load", 22, 25, 0,
...     (ChartSeries(1, "column"), ChartSeries(3, "line")))
>>> chart_from_xml(chart_xml(chart), "Dashboard") == chart
True
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from lxml import etree

from sheetpilot._backends.xlsx._ooxml import (
    CONTENT_TYPES,
    CONTENT_TYPES_NS,
    PKG_REL,
    R_ID,
    REL_NS,
    XML_DECLARATION,
    local,
    parse_range,
    parse_xml,
    part_path,
    quote_sheet,
    rels_name,
    to_bytes,
)
from sheetpilot._backends.xlsx._package import Book
from sheetpilot._cells import col_letter
from sheetpilot._workbook import Chart, ChartSeries, SeriesKind

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
XDR_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
REL_DRAWING = REL_NS + "/drawing"
REL_CHART = REL_NS + "/chart"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
_EMU_PER_PX = 9525
# Where <drawing> goes in a worksheet: before these (CT_Worksheet sequence).
_AFTER_DRAWING = (
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
)


def _abs(sheet: str, row: int, col: int, last: int | None = None) -> str:
    ref = f"{quote_sheet(sheet)}!${col_letter(col)}${row + 1}"
    return ref if last is None else f"{ref}:${col_letter(col)}${last + 1}"


COLOURS = ("4472C4", "70AD47", "ED7D31")  # series 1, 2, 3 (the line is the third)


def _look(k: int, kind: SeriesKind) -> str:
    colour = COLOURS[k % len(COLOURS)]
    fill = f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
    if kind != "line":
        return f"<c:spPr>{fill}</c:spPr>" + '<c:invertIfNegative val="0"/>'
    return (
        f'<c:spPr><a:ln w="28575" cap="rnd">{fill}<a:round/></a:ln></c:spPr>'
        f'<c:marker><c:symbol val="circle"/><c:size val="6"/><c:spPr>{fill}</c:spPr></c:marker>'
    )


def _series(chart: Chart, k: int, series: ChartSeries) -> str:
    first = chart.header_row + 1
    return (
        f'<c:ser><c:idx val="{k}"/><c:order val="{k}"/>'
        f"<c:tx><c:strRef><c:f>{escape(_abs(chart.sheet, chart.header_row, series.col))}"
        "</c:f></c:strRef></c:tx>" + _look(k, series.kind) + f"<c:cat><c:strRef><c:f>"
        f"{escape(_abs(chart.sheet, first, chart.domain_col, chart.last_row))}</c:f></c:strRef>"
        f"</c:cat><c:val><c:numRef><c:f>"
        f"{escape(_abs(chart.sheet, first, series.col, chart.last_row))}</c:f></c:numRef></c:val>"
        + ('<c:smooth val="0"/>' if series.kind == "line" else "")
        + "</c:ser>"
    )


def chart_xml(chart: Chart) -> bytes:
    """The chart part of `chart`: clustered columns (or horizontal bars) and lines."""
    bars = [(k, s) for k, s in enumerate(chart.series) if s.kind != "line"]
    lines = [(k, s) for k, s in enumerate(chart.series) if s.kind == "line"]
    horizontal = chart.kind == "bar"
    axes = '<c:axId val="500000001"/><c:axId val="500000002"/>'
    plot = ""
    if bars:
        plot += (
            f'<c:barChart><c:barDir val="{"bar" if horizontal else "col"}"/>'
            '<c:grouping val="clustered"/><c:varyColors val="0"/>'
            + "".join(_series(chart, k, s) for k, s in bars)
            + f'<c:gapWidth val="80"/>{axes}</c:barChart>'
        )
    if lines:
        plot += (
            '<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>'
            + "".join(_series(chart, k, s) for k, s in lines)
            + f'<c:marker val="1"/>{axes}</c:lineChart>'
        )
    percent = horizontal  # the objectives chart: progress from 0 % to 100 %
    scaling = '<c:orientation val="minMax"/>' + (
        '<c:max val="1"/><c:min val="0"/>' if percent else ""
    )
    value_format = "0%" if percent else "General"
    return (
        XML_DECLARATION
        + (
            f'<c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}" xmlns:r="{REL_NS}">'
            '<c:roundedCorners val="0"/><c:chart>'
            '<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:pPr><a:defRPr sz="1200" b="1"/>'
            '</a:pPr><a:r><a:rPr lang="en-US" sz="1200" b="1"/>'
            f"<a:t>{escape(chart.title)}</a:t></a:r></a:p></c:rich></c:tx>"
            '<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>'
            f"<c:plotArea><c:layout/>{plot}"
            '<c:catAx><c:axId val="500000001"/><c:scaling><c:orientation val="minMax"/>'
            f'</c:scaling><c:delete val="0"/><c:axPos val="{"l" if horizontal else "b"}"/>'
            '<c:numFmt formatCode="General" sourceLinked="1"/><c:tickLblPos val="nextTo"/>'
            '<c:crossAx val="500000002"/><c:crosses val="autoZero"/><c:auto val="1"/>'
            '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/></c:catAx>'
            f'<c:valAx><c:axId val="500000002"/><c:scaling>{scaling}</c:scaling>'
            f'<c:delete val="0"/><c:axPos val="{"b" if horizontal else "l"}"/>'
            f'<c:majorGridlines/><c:numFmt formatCode="{value_format}" sourceLinked="0"/>'
            '<c:tickLblPos val="nextTo"/><c:crossAx val="500000001"/>'
            '<c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>'
            "</c:plotArea>"
            '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>'
            '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
        ).encode()
    )


def _c(tag: str) -> str:
    return f"{{{C_NS}}}{tag}"


def _box(ref: str | None) -> tuple[int, int, int, int] | None:
    if not ref or "!" not in ref:
        return None
    try:
        return parse_range(ref.rsplit("!", 1)[1])
    except ValueError:
        return None


def chart_from_xml(data: bytes, sheet: str, handle: str | None = None) -> Chart | None:
    """The chart a chart part draws, as sheetpilot describes charts; None for a chart of
    another shape (a pie, a chart without ranges…)."""
    try:
        root = parse_xml(data)
    except etree.XMLSyntaxError:
        return None
    plot = root.find(f"{_c('chart')}/{_c('plotArea')}")
    if plot is None:
        return None
    bar = plot.find(_c("barChart"))
    if bar is None:
        return None
    direction = bar.find(_c("barDir"))
    horizontal = direction is not None and direction.get("val") == "bar"
    found: list[tuple[int, ChartSeries, tuple[int, int, int, int], int]] = []
    for group in plot:
        kind: SeriesKind
        if local(group.tag) == "barChart":
            kind = "bar" if horizontal else "column"
        elif local(group.tag) == "lineChart":
            kind = "line"
        else:
            continue
        for ser in group.iter(_c("ser")):
            order = ser.find(_c("order"))
            cat = _box(ser.findtext(f"{_c('cat')}//{_c('f')}"))
            val = _box(ser.findtext(f"{_c('val')}//{_c('f')}"))
            name = _box(ser.findtext(f"{_c('tx')}//{_c('f')}"))
            if cat is None or val is None:
                return None
            header = name[0] if name is not None else cat[0] - 1
            rank = int(order.get("val", "0")) if order is not None else len(found)
            found.append((rank, ChartSeries(val[1], kind), cat, header))
    if not found:
        return None
    found.sort(key=lambda item: item[0])
    _, _, cat, header = found[0]
    title = "".join(t.text or "" for t in root.iter(f"{{{A_NS}}}t"))
    kinds = {s.kind for _, s, _, _ in found}
    return Chart(
        sheet=sheet,
        kind="bar" if kinds == {"bar"} else "combo",
        title=title,
        header_row=header,
        last_row=cat[2],
        domain_col=cat[1],
        series=tuple(s for _, s, _, _ in found),
        handle=handle,
    )


def _rels(book: Book, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id → (type, target part)."""
    name = rels_name(part)
    if not book.package.has(name):
        return {}
    return {
        r.get("Id", ""): (r.get("Type", ""), part_path(part, r.get("Target", "")))
        for r in parse_xml(book.package.read(name))
    }


def drawing_part(book: Book, sheet_part: str, sheet_xml: bytes) -> str | None:
    """The drawing part of a worksheet, None when it has none."""
    if b"drawing" not in sheet_xml:
        return None
    root = parse_xml(sheet_xml)
    drawing = next((e for e in root if local(e.tag) == "drawing"), None)
    if drawing is None:
        return None
    rel = _rels(book, sheet_part).get(drawing.get(R_ID, ""))
    return rel[1] if rel is not None and rel[0] == REL_DRAWING else None


def read_charts(book: Book, sheet: str, sheet_part: str, sheet_xml: bytes) -> tuple[Chart, ...]:
    """The charts drawn on a worksheet, each with its chart part as `handle`."""
    drawing = drawing_part(book, sheet_part, sheet_xml)
    if drawing is None or not book.package.has(drawing):
        return ()
    charts: list[Chart] = []
    for kind, target in _rels(book, drawing).values():
        if kind == REL_CHART and book.package.has(target):
            chart = chart_from_xml(book.package.read(target), sheet, target)
            if chart is not None:
                charts.append(chart)
    return tuple(charts)


def _free(book: Book, pattern: str) -> str:
    n = 1
    while book.package.has(pattern.format(n)):
        n += 1
    return pattern.format(n)


def _add_rel(tree: etree._Element, rel_type: str, target: str) -> str:
    used = {r.get("Id") for r in tree}
    n = len(used) + 1
    while f"rId{n}" in used:
        n += 1
    etree.SubElement(tree, f"{{{PKG_REL}}}Relationship", Id=f"rId{n}", Type=rel_type, Target=target)
    return f"rId{n}"


def _rels_tree(book: Book, part: str) -> etree._Element:
    name = rels_name(part)
    if book.package.has(name):
        return parse_xml(book.package.read(name))
    return parse_xml(f'<Relationships xmlns="{PKG_REL}"/>'.encode())


def _override(book: Book, part: str, content_type: str) -> None:
    types = book.tree(CONTENT_TYPES)
    etree.SubElement(
        types, f"{{{CONTENT_TYPES_NS}}}Override", PartName="/" + part, ContentType=content_type
    )
    book.touch(CONTENT_TYPES)


def _anchor(chart: Chart, rid: str, number: int) -> etree._Element:
    (row, col), (rows, cols) = chart.anchor, chart.span
    xml = (
        f'<xdr:twoCellAnchor xmlns:xdr="{XDR_NS}" xmlns:a="{A_NS}" editAs="oneCell">'
        f"<xdr:from><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row}</xdr:row>"
        "<xdr:rowOff>0</xdr:rowOff></xdr:from>"
        f"<xdr:to><xdr:col>{col + cols}</xdr:col><xdr:colOff>0</xdr:colOff>"
        f"<xdr:row>{row + rows}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
        f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{number + 1}" '
        f'name="Chart {number}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>'
        '<xdr:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="{chart.size[0] * _EMU_PER_PX}" cy="{chart.size[1] * _EMU_PER_PX}"/>'
        '</xdr:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/'
        f'drawingml/2006/chart"><c:chart xmlns:c="{C_NS}" xmlns:r="{REL_NS}" r:id="{rid}"/>'
        "</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>"
    )
    return parse_xml(xml.encode())


def _relative(source: str, target: str) -> str:
    """`target` as a relationship of `source` writes it (the parts sit one folder down
    from `xl/`: worksheets, drawings, charts)."""
    return "../" + target.split("/", 1)[1] if target.startswith("xl/") else "/" + target


def place_charts(
    book: Book, sheet_part: str, sheet_xml: bytes, charts: list[Chart]
) -> bytes | None:
    """Add `charts` (no handle yet) to a worksheet: a chart part each, anchored in the
    sheet's drawing (created, with its `<drawing r:id>`, when the sheet has none). The new
    worksheet XML when it had to change, else None."""
    drawing = drawing_part(book, sheet_part, sheet_xml)
    new_sheet: bytes | None = None
    if drawing is None or not book.package.has(drawing):
        drawing = _free(book, "xl/drawings/drawing{}.xml")
        book.package.put(
            drawing,
            XML_DECLARATION + f'<xdr:wsDr xmlns:xdr="{XDR_NS}" xmlns:a="{A_NS}"/>'.encode(),
        )
        _override(book, drawing, CT_DRAWING)
        sheet_rels = _rels_tree(book, sheet_part)
        rid = _add_rel(sheet_rels, REL_DRAWING, _relative(sheet_part, drawing))
        book.package.put(rels_name(sheet_part), to_bytes(sheet_rels))
        root = parse_xml(sheet_xml)
        main = etree.QName(root).namespace
        element = etree.Element(f"{{{main}}}drawing")
        element.set(R_ID, rid)
        for i, child in enumerate(root):
            if isinstance(child.tag, str) and local(child.tag) in _AFTER_DRAWING:
                root.insert(i, element)
                break
        else:
            root.append(element)
        new_sheet = to_bytes(root)
    tree = parse_xml(book.package.read(drawing))
    rels = _rels_tree(book, drawing)
    for chart in charts:
        part = _free(book, "xl/charts/chart{}.xml")
        book.package.put(part, chart_xml(chart))
        _override(book, part, CT_CHART)
        rid = _add_rel(rels, REL_CHART, _relative(drawing, part))
        tree.append(_anchor(chart, rid, len(tree) + 1))
    book.package.put(rels_name(drawing), to_bytes(rels))
    book.package.put(drawing, to_bytes(tree))
    return new_sheet
