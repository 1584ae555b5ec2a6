"""Tableau de bord / Dashboard: its tables equal the report, its native charts read them,
on a real .xlsx and on Google (the stand-in, read back through gspread)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from sheetpilot._backends.google import GoogleBackend
from sheetpilot._backends.google.write import batch_update_body
from sheetpilot._backends.xlsx import XlsxBackend
from sheetpilot._config import GoogleConfig
from sheetpilot._example import example_plan
from sheetpilot._render import dashboard as db
from sheetpilot._scaffold import scaffold_changes
from sheetpilot._sync import run_sync
from sheetpilot._template import Locale
from sheetpilot._workbook import CellWrite, ChangeSet

TODAY = date(2026, 3, 4)
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
TITLE = {"fr": "Tableau de bord", "en": "Dashboard"}
LOAD_CHART = {
    "fr": "Charge prévue et réalisée (j-h) face à la capacité",
    "en": "Planned and done person-days against capacity",
}
PERIOD_COUNT = (3, 11)  # L4 of Réglages: "Nombre de périodes" in the example


def workbook(tmp_path: Path, locale: Locale = "fr", *, example: bool = True) -> Path:
    path = tmp_path / "plan.xlsx"
    backend = XlsxBackend(path, create=True)
    demo = example_plan(TODAY - timedelta(days=21), locale) if example else None
    backend.write(scaffold_changes(backend.read(), locale, demo, start=None))
    return path


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as z:
        return {name: z.read(name) for name in z.namelist()}


def chart_refs(xml: bytes) -> list[str]:
    """Every range a chart part reads (series names, categories, values), in order."""
    return [f.text or "" for f in etree.fromstring(xml).iter(f"{C}f")]


def google(fake, locale: Locale = "fr", *, example: bool = True):
    key = fake.create_spreadsheet("Plan")

    def backend() -> GoogleBackend:
        return GoogleBackend(key, GoogleConfig(credentials="none", endpoint=fake.url))

    first = backend()
    demo = example_plan(TODAY - timedelta(days=21), locale) if example else None
    first.write(scaffold_changes(first.read(), locale, demo, start=None))
    return key, backend


def gspread_charts(fake, key: str, title: str) -> list[dict]:
    sheet = fake.gspread_client().open_by_key(key)
    meta = sheet.fetch_sheet_metadata({"fields": "sheets(properties(title,sheetId),charts)"})
    (tab,) = [s for s in meta["sheets"] if s["properties"]["title"] == title]
    return tab.get("charts", [])


# --- the tables ---------------------------------------------------------------------------
def test_the_dashboard_shows_the_reports_periods_objectives_and_owners(tmp_path):
    path = workbook(tmp_path)
    outcome = run_sync(XlsxBackend(path), plan="demo", today=TODAY)
    tab = XlsxBackend(path).read().get("Tableau de bord")
    assert tab is not None
    grid = tab.grid

    def at(row: int, col: int):
        return grid[row][col] if row < len(grid) and col < len(grid[row]) else None

    report = outcome.report
    periods = [[at(db.FIRST_ROW + k, c) for c in range(4)] for k in range(len(report.periods))]
    assert periods == [
        [p.name, p.person_days, p.done_person_days, p.capacity] for p in report.periods
    ]
    assert at(db.FIRST_ROW + len(report.periods), 0) is None
    objectives = [
        [at(db.FIRST_ROW + k, db.OBJECTIVES_COL + c) for c in range(3)]
        for k in range(len(report.objectives))
    ]
    assert objectives == [[o.objective, o.progress, o.expected] for o in report.objectives]
    assert any(0 < o.expected < 1 for o in report.objectives)  # expected progress today
    assert at(db.FIRST_ROW, db.OBJECTIVES_COL + 3) in ("En bonne voie", "À risque", "En retard")
    # P3 holds today; the example has one owner over capacity there
    over = [o for o in report.owners if o.period in ("P3", "P4") and o.person_days > o.capacity]
    owners = [[at(db.FIRST_ROW + k, db.OWNERS_COL + c) for c in range(4)] for k in range(len(over))]
    assert over and owners == [[o.owner, o.period, o.person_days, o.capacity] for o in over]
    assert at(1, 0) == "Période en cours : P3"


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_titles_and_headers_follow_the_plans_language(tmp_path, locale):
    path = workbook(tmp_path, locale)
    run_sync(XlsxBackend(path), plan="demo", today=TODAY)
    snapshot = XlsxBackend(path).read()
    tab = snapshot.get(TITLE[locale])
    assert tab is not None
    assert (
        snapshot.titles.index(TITLE[locale])
        == snapshot.titles.index({"fr": "Actions par période", "en": "Actions by period"}[locale])
        + 1
    )
    assert tab.grid[0][0] == TITLE[locale]
    headers = tab.grid[db.HEADER_ROW][:4]
    assert (
        headers
        == {
            "fr": ["Période", "Prévu (j-h)", "Réalisé (j-h)", "Capacité (j-h)"],
            "en": [
                "Period",
                "Planned (person-days)",
                "Done (person-days)",
                "Capacity (person-days)",
            ],
        }[locale]
    )
    assert tab.charts[0].title == LOAD_CHART[locale]


# --- .xlsx charts ---------------------------------------------------------------------------
def test_xlsx_charts_read_only_the_dashboards_own_ranges(tmp_path):
    path = workbook(tmp_path)
    outcome = run_sync(XlsxBackend(path), plan="demo", today=TODAY)
    found = parts(path)
    n = len(outcome.report.periods)  # 6 periods: rows 24 to 29
    assert chart_refs(found["xl/charts/chart1.xml"]) == [
        "'Tableau de bord'!$B$23",
        "'Tableau de bord'!$A$24:$A$29",
        "'Tableau de bord'!$B$24:$B$29",
        "'Tableau de bord'!$C$23",
        "'Tableau de bord'!$A$24:$A$29",
        "'Tableau de bord'!$C$24:$C$29",
        "'Tableau de bord'!$D$23",
        "'Tableau de bord'!$A$24:$A$29",
        "'Tableau de bord'!$D$24:$D$29",
    ]
    assert n == 6
    chart = etree.fromstring(found["xl/charts/chart1.xml"])
    plot = chart.find(f"{C}chart/{C}plotArea")
    assert plot is not None
    assert [g.tag.split("}")[1] for g in plot if g.tag.endswith("Chart")] == [
        "barChart",
        "lineChart",
    ]  # columns for planned and done, a line for capacity
    objectives = chart_refs(found["xl/charts/chart2.xml"])
    last = 23 + len(outcome.report.objectives)
    assert objectives[:3] == [
        "'Tableau de bord'!$G$23",
        f"'Tableau de bord'!$F$24:$F${last}",
        f"'Tableau de bord'!$G$24:$G${last}",
    ]
    # wired into the dashboard tab: another reader (openpyxl) finds both charts there
    sheet = openpyxl.load_workbook(path)["Tableau de bord"]
    anchors = [(c.anchor._from.row, c.anchor._from.col) for c in sheet._charts]
    assert anchors == [(db.CHART_ROW, db.LOAD_COL), (db.CHART_ROW, db.OBJECTIVES_COL)]
    types = found["[Content_Types].xml"].decode()
    assert "/xl/charts/chart1.xml" in types and "/xl/drawings/drawing1.xml" in types


def test_xlsx_second_sync_writes_nothing_and_keeps_the_file(tmp_path):
    path = workbook(tmp_path)
    run_sync(XlsxBackend(path), plan="demo", today=TODAY)
    before = path.read_bytes()
    again = run_sync(XlsxBackend(path), plan="demo", today=TODAY)
    assert (again.report.writes.cells, again.changes.charts) == (0, ())
    assert path.read_bytes() == before


def test_xlsx_a_period_added_rewrites_only_the_load_chart(tmp_path):
    path = workbook(tmp_path)
    run_sync(XlsxBackend(path), plan="demo", today=TODAY)
    XlsxBackend(path).write(ChangeSet(writes=(CellWrite("Réglages", *PERIOD_COUNT, 7),)))
    before = parts(path)
    outcome = run_sync(XlsxBackend(path), plan="demo", today=TODAY)
    assert [c.kind for c in outcome.changes.charts] == ["combo"]
    after = parts(path)
    assert "'Tableau de bord'!$A$24:$A$30" in chart_refs(after["xl/charts/chart1.xml"])
    changed = {name for name in after if after[name] != before.get(name)}
    assert "xl/charts/chart1.xml" in changed
    assert not changed & {
        "xl/charts/chart2.xml",
        "xl/drawings/drawing1.xml",
        "xl/drawings/_rels/drawing1.xml.rels",
        "[Content_Types].xml",
    }
    dashboard = XlsxBackend(path).read().get("Tableau de bord")
    assert dashboard is not None and len(dashboard.charts) == 2


def test_an_empty_plan_gets_empty_state_lines_and_valid_charts(tmp_path):
    path = workbook(tmp_path, example=False)
    outcome = run_sync(XlsxBackend(path), plan="empty", today=TODAY)
    assert outcome.report.periods == ()
    tab = XlsxBackend(path).read().get("Tableau de bord")
    assert tab is not None
    row = tab.grid[db.FIRST_ROW]
    assert (row[0], row[db.OBJECTIVES_COL], row[db.OWNERS_COL]) == (
        "Aucune période.",
        "Aucun objectif.",
        "Aucun responsable au-delà de sa capacité.",
    )
    assert tab.grid[1][0] == "Aucune période ne contient la date du jour."
    assert [(c.header_row, c.last_row) for c in tab.charts] == [(22, 23), (22, 23)]
    again = run_sync(XlsxBackend(path), plan="empty", today=TODAY)
    assert (again.report.writes.cells, again.changes.charts) == (0, ())


# --- Google ---------------------------------------------------------------------------------
def test_google_charts_are_added_in_the_syncs_one_write_and_read_their_ranges(fake):
    key, backend = google(fake)
    first = run_sync(backend(), plan="demo", today=TODAY)
    assert first.report.writes.requests == 2  # one read, one batchUpdate with the charts
    charts = gspread_charts(fake, key, "Tableau de bord")
    sheet_id = backend().read().get("Tableau de bord").sheet_id
    assert [c["spec"]["basicChart"]["chartType"] for c in charts] == ["COMBO", "BAR"]
    load = charts[0]["spec"]["basicChart"]
    assert [s["type"] for s in load["series"]] == ["COLUMN", "COLUMN", "LINE"]
    domain = load["domains"][0]["domain"]["sourceRange"]["sources"][0]
    assert domain == {
        "sheetId": sheet_id,
        "startRowIndex": 22,
        "endRowIndex": 29,  # the header row and the 6 periods
        "startColumnIndex": 0,
        "endColumnIndex": 1,
    }
    sources = [s["series"]["sourceRange"]["sources"][0] for s in load["series"]]
    assert {s["sheetId"] for s in sources} == {sheet_id}  # the dashboard's own data only
    assert [s["startColumnIndex"] for s in sources] == [1, 2, 3]
    assert charts[0]["spec"]["title"] == LOAD_CHART["fr"]
    bar = charts[1]["spec"]["basicChart"]
    assert [s["targetAxis"] for s in bar["series"]] == ["BOTTOM_AXIS", "BOTTOM_AXIS"]

    second = run_sync(backend(), plan="demo", today=TODAY)
    assert (second.report.writes.requests, second.report.writes.cells) == (1, 0)
    assert second.changes.charts == ()


def test_google_a_period_added_sends_one_update_chart_spec(fake):
    key, backend = google(fake)
    run_sync(backend(), plan="demo", today=TODAY)
    ids = [c["chartId"] for c in gspread_charts(fake, key, "Tableau de bord")]
    fake.set_values(key, "'Réglages'!L4", [[7]])
    snapshot = backend().read()
    outcome = run_sync(backend(), plan="demo", today=TODAY)
    assert outcome.report.writes.requests == 2
    body = batch_update_body(outcome.changes, snapshot)
    kinds = [next(iter(r)) for r in body["requests"]]
    assert kinds.count("updateChartSpec") == 1 and "addChart" not in kinds
    charts = gspread_charts(fake, key, "Tableau de bord")
    assert [c["chartId"] for c in charts] == ids
    domain = charts[0]["spec"]["basicChart"]["domains"][0]["domain"]["sourceRange"]["sources"][0]
    assert domain["endRowIndex"] == 30


def test_google_empty_plan_and_english_titles(fake):
    key, backend = google(fake, "en", example=False)
    first = run_sync(backend(), plan="empty", today=TODAY)
    assert first.report.periods == ()
    charts = gspread_charts(fake, key, "Dashboard")
    assert [c["spec"]["title"] for c in charts] == [
        LOAD_CHART["en"],
        "Progress against expected progress today",
    ]
    assert fake.values(key, "'Dashboard'!A24")[0][0] == "No period."
    again = run_sync(backend(), plan="empty", today=TODAY)
    assert (again.report.writes.requests, again.report.writes.cells) == (1, 0)
