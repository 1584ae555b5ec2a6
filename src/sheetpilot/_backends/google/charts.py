"""Native charts on Google Sheets: `Chart` → addChart / updateChartSpec, and back. Pure.

A chart is an EmbeddedChart whose spec is a BasicChartSpec: `COMBO` (COLUMN series and
a LINE series on the left axis) or `BAR` (BAR series on the bottom axis), one header row
(`headerCount: 1`: the first row of each source names its series), a domain and one
series per column, each source a GridRange of the chart's own tab. A chart over a range
follows the data written there without being rewritten: only a change of title or range
(a period added, say) sends `updateChartSpec`.

>>> from sheetpilot._workbook import ChartSeries
>>> chart = Chart("Dashboard", "combo", "Load", 22, 25, 0,
...     (ChartSeries(1, "column"), ChartSeries(3, "line")))
>>> spec = chart_spec(chart, 7)
>>> spec["basicChart"]["series"][1]["type"], spec["basicChart"]["domains"][0]["domain"]
('LINE', {'sourceRange': {'sources': [{'sheetId': 7, 'startRowIndex': 22, 'endRowIndex': 26, \
'startColumnIndex': 0, 'endColumnIndex': 1}]}})
>>> chart_from_json({"chartId": 3, "spec": spec}, "Dashboard", 7) == chart
True

A series has a `type` only in a COMBO chart (Google's reference: "valid only if the
chartType is COMBO"); a bar chart's series are bars:

>>> bar = Chart("Dashboard", "bar", "Progress", 22, 25, 5, (ChartSeries(6, "bar"),))
>>> bar_spec = chart_spec(bar, 7)
>>> "type" in bar_spec["basicChart"]["series"][0]
False
>>> chart_from_json({"chartId": 4, "spec": bar_spec}, "Dashboard", 7) == bar
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sheetpilot._workbook import Chart, ChartKind, ChartSeries, SeriesKind

JSON = dict[str, Any]

# What the read asks of each chart: its id, and the parts of the spec compared.
CHART_FIELDS = "sheets.charts(chartId,spec(title,basicChart(chartType,domains,series)))"

_CHART_TYPE: dict[ChartKind, str] = {"combo": "COMBO", "bar": "BAR"}
_KIND_OF_TYPE = {v: k for k, v in _CHART_TYPE.items()}
_SERIES_TYPE: dict[SeriesKind, str] = {"column": "COLUMN", "line": "LINE", "bar": "BAR"}
_SERIES_OF_TYPE = {v: k for k, v in _SERIES_TYPE.items()}


def _source(sheet_id: int, chart: Chart, col: int) -> JSON:
    """The column `col` from the header row to the last row, as a ChartData."""
    grid = {
        "sheetId": sheet_id,
        "startRowIndex": chart.header_row,
        "endRowIndex": chart.last_row + 1,
        "startColumnIndex": col,
        "endColumnIndex": col + 1,
    }
    return {"sourceRange": {"sources": [grid]}}


def chart_spec(chart: Chart, sheet_id: int) -> JSON:
    """The ChartSpec of `chart`, its sources on the tab `sheet_id`."""
    axis = "BOTTOM_AXIS" if chart.kind == "bar" else "LEFT_AXIS"
    return {
        "title": chart.title,
        "basicChart": {
            "chartType": _CHART_TYPE[chart.kind],
            "legendPosition": "BOTTOM_LEGEND",
            "headerCount": 1,
            "domains": [{"domain": _source(sheet_id, chart, chart.domain_col)}],
            "series": [_series(chart, s, sheet_id, axis) for s in chart.series],
        },
    }


def _series(chart: Chart, series: ChartSeries, sheet_id: int, axis: str) -> JSON:
    """One BasicChartSeries; its `type` only on a COMBO chart ("valid only if the
    chartType is COMBO", and only LINE, AREA or COLUMN, says Google's reference)."""
    out: JSON = {"series": _source(sheet_id, chart, series.col), "targetAxis": axis}
    if chart.kind == "combo":
        out["type"] = _SERIES_TYPE[series.kind]
    return out


def chart_requests(charts: Iterable[Chart], sheet_id: Callable[[str], int]) -> list[JSON]:
    """addChart for a chart not read (no `handle`), updateChartSpec for one read."""
    out: list[JSON] = []
    for chart in charts:
        tab = sheet_id(chart.sheet)
        spec = chart_spec(chart, tab)
        if isinstance(chart.handle, int):
            out.append({"updateChartSpec": {"chartId": chart.handle, "spec": spec}})
            continue
        (row, col), (width, height) = chart.anchor, chart.size
        position = {
            "overlayPosition": {
                "anchorCell": {"sheetId": tab, "rowIndex": row, "columnIndex": col},
                "widthPixels": width,
                "heightPixels": height,
            }
        }
        out.append({"addChart": {"chart": {"spec": spec, "position": position}}})
    return out


def _grid(data: Mapping[str, Any]) -> Mapping[str, Any] | None:
    sources = (data.get("sourceRange") or {}).get("sources") or []
    return sources[0] if len(sources) == 1 else None


def chart_from_json(embedded: Mapping[str, Any], title: str, sheet_id: int) -> Chart | None:
    """An EmbeddedChart read from the tab `title` as a `Chart` (its chartId the handle);
    None when it is not a basic chart over one column per series. A source on another
    tab reads as a range no chart of sheetpilot has, so the spec is rewritten."""
    spec = embedded.get("spec") or {}
    basic = spec.get("basicChart") or {}
    kind = _KIND_OF_TYPE.get(str(basic.get("chartType", "")))
    domains = basic.get("domains") or []
    domain = _grid(domains[0].get("domain") or {}) if len(domains) == 1 else None
    if kind is None or domain is None:
        return None
    series: list[ChartSeries] = []
    elsewhere = int(domain.get("sheetId", 0)) != sheet_id
    for entry in basic.get("series") or []:
        grid = _grid(entry.get("series") or {})
        # a series of a non-COMBO chart has no type of its own: it is drawn as the chart
        series_kind = _SERIES_OF_TYPE.get(str(entry.get("type") or basic.get("chartType")))
        if grid is None or series_kind is None:
            return None
        elsewhere = elsewhere or int(grid.get("sheetId", 0)) != sheet_id
        series.append(ChartSeries(int(grid.get("startColumnIndex", 0)), series_kind))
    chart_id = embedded.get("chartId")
    return Chart(
        sheet=title,
        kind=kind,
        title=str(spec.get("title", "")),
        header_row=-1 if elsewhere else int(domain.get("startRowIndex", 0)),
        last_row=int(domain.get("endRowIndex", 0)) - 1,
        domain_col=int(domain.get("startColumnIndex", 0)),
        series=tuple(series),
        handle=int(chart_id) if chart_id is not None else None,
    )


def charts_in(sheet: Mapping[str, Any], title: str, sheet_id: int) -> tuple[Chart, ...]:
    """The charts of a Sheet resource that sheetpilot can compare."""
    found = (chart_from_json(c, title, sheet_id) for c in sheet.get("charts") or [])
    return tuple(c for c in found if c is not None)
