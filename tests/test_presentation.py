"""Tool-owned tabs that read at a glance and print cleanly, on both backends: colours as
conditional formats (load over 100 %, error and warning rows, results late or at risk),
print setup, the period selector shown as an input, wrapped long text. A user's own
conditional formats are never touched; a sync with nothing new writes nothing."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from gspread.exceptions import APIError
from lxml import etree

from sheetpilot._backends.google import GoogleBackend
from sheetpilot._backends.xlsx import XlsxBackend
from sheetpilot._config import GoogleConfig
from sheetpilot._example import example_plan
from sheetpilot._scaffold import scaffold_changes
from sheetpilot._sync import run_sync
from sheetpilot._workbook import CellWrite, ChangeSet

TODAY = date(2026, 3, 4)
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
WORDS = {
    "fr": {
        "period": "Actions par période",
        "checks": "Contrôles",
        "priorities": "Priorités",
        "objectives": "Objectifs",
        "health": "État",
        "error": "Erreur",
        "warning": "Avertissement",
        "late": "En retard",
        "at risk": "À risque",
        "note": "Choisissez une période dans la liste",
    },
    "en": {
        "period": "Actions by period",
        "checks": "Checks",
        "priorities": "Priorities",
        "objectives": "Objectives",
        "health": "Health",
        "error": "Error",
        "warning": "Warning",
        "late": "Late",
        "at risk": "At risk",
        "note": "Pick a period from the list",
    },
}
# The user's own rule on their actions tab: bold when a status cell says "x".
USER_RULE = (
    '<conditionalFormatting sqref="B2:B50"><cfRule type="expression" dxfId="0" priority="1">'
    '<formula>B2="x"</formula></cfRule></conditionalFormatting>'
)


# --- xlsx -------------------------------------------------------------------------------


def _xlsx(tmp_path: Path, locale: str) -> Path:
    path = tmp_path / f"plan-{locale}.xlsx"
    backend = XlsxBackend(path, create=True)
    demo = example_plan(TODAY - timedelta(days=21), locale)  # type: ignore[arg-type]
    backend.write(scaffold_changes(backend.read(), locale, demo, start=TODAY))  # type: ignore[arg-type]
    return path


def _sync(path: Path, locale: str) -> Any:
    return run_sync(XlsxBackend(path), plan="demo", today=TODAY, locale=locale)  # type: ignore[arg-type]


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _part_of(path: Path, title: str) -> str:
    """The worksheet part that holds tab `title`."""
    parts = _parts(path)
    book = etree.fromstring(parts["xl/workbook.xml"])
    rels = etree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    targets = {r.get("Id"): r.get("Target") for r in rels}
    rel_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    for sheet in book.iterfind(".//m:sheet", NS):
        if sheet.get("name") == title:
            target = str(targets[sheet.get(rel_id)]).lstrip("/").removeprefix("xl/")
            return "xl/" + target
    raise AssertionError(f"no tab {title}")


def _sheet_xml(path: Path, title: str) -> etree._Element:
    return etree.fromstring(_parts(path)[_part_of(path, title)])


def _find(root: etree._Element, path: str) -> etree._Element:
    found = root.find(path, NS)
    assert found is not None, path
    return found


def _text(element: etree._Element) -> str:
    return "".join(str(t) for t in element.itertext())


def _rules(root: etree._Element, styles: etree._Element) -> list[tuple[str, str, str]]:
    """(sqref, formula, fill) of every conditional format of a worksheet."""
    dxfs = styles.findall("m:dxfs/m:dxf", NS)
    out = []
    for holder in root.iterfind("m:conditionalFormatting", NS):
        for rule in holder.iterfind("m:cfRule", NS):
            fill = ""
            dxf_id = rule.get("dxfId")
            if dxf_id is not None and int(dxf_id) < len(dxfs):
                color = dxfs[int(dxf_id)].find(".//m:bgColor", NS)
                fill = "" if color is None else str(color.get("rgb"))[-6:]
            out.append((str(holder.get("sqref")), str(rule.findtext("m:formula", "", NS)), fill))
    return out


def _column_letter(root: etree._Element, header: str) -> str:
    for c in root.iterfind(".//m:row[@r='1']/m:c", NS):
        if _text(c) == header:
            return re.sub(r"\d", "", str(c.get("r")))
    raise AssertionError(header)


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_xlsx_colours_follow_the_data_in_the_plans_language(tmp_path: Path, locale: str) -> None:
    words = WORDS[locale]
    path = _xlsx(tmp_path, locale)
    _sync(path, locale)
    styles = etree.fromstring(_parts(path)["xl/styles.xml"])

    period = _rules(_sheet_xml(path, words["period"]), styles)
    assert ("B12", 'AND(ISTEXT("sheetpilot"),AND(ISNUMBER(B12),B12>1))', "F4CCCC") in period
    assert (
        "R5:R1048576",
        'AND(ISTEXT("sheetpilot"),AND(ISNUMBER(R5),R5>1))',
        "F4CCCC",
    ) in period

    checks = _rules(_sheet_xml(path, words["checks"]), styles)
    assert checks == [
        ("A4:E1048576", f'AND(ISTEXT("sheetpilot"),$C4="{words["error"]}")', "F4CCCC"),
        ("A4:E1048576", f'AND(ISTEXT("sheetpilot"),$C4="{words["warning"]}")', "FCE8B2"),
    ]

    objectives = _sheet_xml(path, words["objectives"])
    col = _column_letter(objectives, words["health"])
    assert _rules(objectives, styles) == [
        (f"{col}2:{col}1048576", f'AND(ISTEXT("sheetpilot"),{col}2="{words["late"]}")', "F4CCCC"),
        (
            f"{col}2:{col}1048576",
            f'AND(ISTEXT("sheetpilot"),{col}2="{words["at risk"]}")',
            "FCE8B2",
        ),
    ]


def test_xlsx_tool_tabs_print_landscape_one_page_wide_with_their_headers(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, "fr")
    _sync(path, "fr")
    words = WORDS["fr"]
    for key in ("period", "priorities", "checks"):
        root = _sheet_xml(path, words[key])
        assert _find(root, "m:sheetPr/m:pageSetUpPr").get("fitToPage") == "1"
        setup = _find(root, "m:pageSetup")
        assert (setup.get("orientation"), setup.get("fitToWidth"), setup.get("fitToHeight")) == (
            "landscape",
            "1",
            "0",
        )
    book = _parts(path)["xl/workbook.xml"].decode()
    names = dict(re.findall(r'<definedName name="([^"]+)"[^>]*>([^<]*)<', book))
    titles = re.findall(r'name="_xlnm.Print_Titles" localSheetId="\d+">([^<]*)<', book)
    assert "'Actions par période'!$1:$2" in titles
    assert "'Priorités'!$1:$3" in titles and "'Contrôles'!$1:$3" in titles
    assert sum(1 for n in names if n.startswith("_sheetpilot_owned_")) >= 6  # marks kept


def test_xlsx_selector_looks_like_an_input_and_keeps_the_users_choice(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, "fr")
    _sync(path, "fr")
    XlsxBackend(path).write(ChangeSet(writes=(CellWrite("Actions par période", 1, 5, "P2"),)))
    outcome = _sync(path, "fr")
    assert outcome.report.writes.cells > 0  # the block now shows P2
    root = _sheet_xml(path, "Actions par période")
    f2 = _find(root, ".//m:c[@r='F2']")
    assert _text(f2) == "P2"
    styles = etree.fromstring(_parts(path)["xl/styles.xml"])
    xf = styles.findall("m:cellXfs/m:xf", NS)[int(f2.get("s", "0"))]
    fill = styles.findall("m:fills/m:fill", NS)[int(xf.get("fillId", "0"))]
    assert _find(fill, ".//m:fgColor").get("rgb") == "FFFFF2CC"
    assert int(xf.get("borderId", "0")) > 0
    validation = _find(root, ".//m:dataValidation[@sqref='F2']")
    assert validation.get("prompt") == WORDS["fr"]["note"]
    assert validation.get("showInputMessage") == "1"
    # long text wraps: Action and Description of the period, the Checks' message
    cols = {c.get("min"): c.get("style") for c in root.iterfind("m:cols/m:col", NS)}
    wrapped = styles.findall("m:cellXfs/m:xf", NS)[int(cols["3"] or 0)]
    assert _find(wrapped, "m:alignment").get("wrapText") == "1"


def test_xlsx_second_sync_leaves_the_file_untouched(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, "fr")
    _sync(path, "fr")
    before = path.read_bytes()
    outcome = _sync(path, "fr")
    assert outcome.report.writes.cells == 0
    assert path.read_bytes() == before


def _add_user_rule(path: Path, title: str) -> None:
    """Give the user's tab a conditional format of their own, as Excel would save it."""
    parts = _parts(path)
    part = _part_of(path, title)
    parts[part] = parts[part].replace(b"</sheetData>", b"</sheetData>" + USER_RULE.encode(), 1)
    styles = parts["xl/styles.xml"].decode()
    if "<dxfs" not in styles:
        bold = '<dxfs count="1"><dxf><font><b/></font></dxf></dxfs>'
        styles = styles.replace("</cellStyles>", "</cellStyles>" + bold)
    parts["xl/styles.xml"] = styles.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, raw in parts.items():
            z.writestr(name, raw)
    path.write_bytes(buffer.getvalue())


def test_xlsx_a_users_own_conditional_formats_are_kept(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, "fr")
    _add_user_rule(path, "Suivi des actions")
    _add_user_rule(path, "Objectifs")
    _sync(path, "fr")
    styles = etree.fromstring(_parts(path)["xl/styles.xml"])
    actions = _rules(_sheet_xml(path, "Suivi des actions"), styles)
    assert [r[:2] for r in actions] == [("B2:B50", 'B2="x"')]
    objectives = _rules(_sheet_xml(path, "Objectifs"), styles)
    assert objectives[0][:2] == ("B2:B50", 'B2="x"')  # the user's first, then ours
    assert len(objectives) == 3
    before = path.read_bytes()
    assert _sync(path, "fr").report.writes.cells == 0
    assert path.read_bytes() == before


# --- Google -----------------------------------------------------------------------------


def _google(fake: Any, key: str) -> GoogleBackend:
    return GoogleBackend(key, GoogleConfig(credentials="none", endpoint=fake.url))


def _google_plan(fake: Any, locale: str) -> str:
    key = fake.create_spreadsheet("Plan marketing")
    init = _google(fake, key)
    demo = example_plan(TODAY - timedelta(days=21), locale)  # type: ignore[arg-type]
    init.write(scaffold_changes(init.read(), locale, demo, start=TODAY))  # type: ignore[arg-type]
    return key


def _formats(fake: Any, key: str) -> dict[str, list[dict[str, Any]]]:
    params: dict[str, Any] = {"fields": "sheets(properties(sheetId,title),conditionalFormats)"}
    data = _google(fake, key).http.fetch_sheet_metadata(key, params=params)
    return {s["properties"]["title"]: s.get("conditionalFormats", []) for s in data["sheets"]}


def _summary(rule: dict[str, Any]) -> tuple[Any, ...]:
    box = rule["ranges"][0]
    formula = rule["booleanRule"]["condition"]["values"][0]["userEnteredValue"]
    color = rule["booleanRule"]["format"]["backgroundColor"]
    rgb = "".join(f"{round(color.get(c, 0) * 255):02X}" for c in ("red", "green", "blue"))
    return (
        box.get("startRowIndex", 0),
        box.get("endRowIndex"),
        box.get("startColumnIndex", 0),
        box.get("endColumnIndex"),
        formula,
        rgb,
    )


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_google_colours_follow_the_data_and_settle(fake: Any, locale: str) -> None:
    words = WORDS[locale]
    key = _google_plan(fake, locale)
    first = run_sync(_google(fake, key), plan="demo", today=TODAY, locale=locale)  # type: ignore[arg-type]
    assert first.report.writes.requests == 2
    rules = _formats(fake, key)
    assert [_summary(r) for r in rules[words["checks"]]] == [
        (3, None, 0, 5, f'=AND(ISTEXT("sheetpilot");$C4="{words["error"]}")', "F4CCCC"),
        (3, None, 0, 5, f'=AND(ISTEXT("sheetpilot");$C4="{words["warning"]}")', "FCE8B2"),
    ]
    assert [_summary(r) for r in rules[words["period"]]] == [
        (11, 12, 1, 2, '=AND(ISTEXT("sheetpilot");AND(ISNUMBER(B12);B12>1))', "F4CCCC"),
        (4, None, 17, 18, '=AND(ISTEXT("sheetpilot");AND(ISNUMBER(R5);R5>1))', "F4CCCC"),
    ]
    health = [_summary(r) for r in rules[words["objectives"]]]
    assert [h[4].split(";")[1] for h in health] == [
        health[0][4].split(";")[1].split("=")[0] + f'="{words["late"]}")',
        health[1][4].split(";")[1].split("=")[0] + f'="{words["at risk"]}")',
    ]
    assert [h[5] for h in health] == ["F4CCCC", "FCE8B2"]

    second = run_sync(_google(fake, key), plan="demo", today=TODAY, locale=locale)  # type: ignore[arg-type]
    assert (second.report.writes.requests, second.report.writes.cells) == (1, 0)


def test_google_selector_note_and_fill_keep_the_users_choice(fake: Any) -> None:
    key = _google_plan(fake, "fr")
    run_sync(_google(fake, key), plan="demo", today=TODAY, locale="fr")
    fake.set_values(key, "'Actions par période'!F2", [["P2"]])
    run_sync(_google(fake, key), plan="demo", today=TODAY, locale="fr")
    f2 = fake.cell(key, "'Actions par période'!F2")
    assert f2["effectiveValue"] == {"stringValue": "P2"}
    assert f2["note"] == WORDS["fr"]["note"]
    assert f2["userEnteredFormat"]["backgroundColor"] == {
        "red": 1,
        "green": pytest.approx(0.949, abs=0.01),
        "blue": pytest.approx(0.8, abs=0.01),
    }
    assert f2["dataValidation"]["inputMessage"] == WORDS["fr"]["note"]
    message = fake.cell(key, "'Contrôles'!E4")
    assert message["userEnteredFormat"]["wrapStrategy"] == "WRAP"


def test_google_a_users_own_rules_are_kept_and_ours_restored(fake: Any) -> None:
    key = _google_plan(fake, "fr")
    backend = _google(fake, key)
    sheets = {t.title: t.sheet_id for t in backend.read().tabs}
    mine = {
        "ranges": [
            {
                "sheetId": sheets["Objectifs"],
                "startRowIndex": 1,
                "startColumnIndex": 1,
                "endColumnIndex": 2,
            }
        ],
        "booleanRule": {
            "condition": {"type": "TEXT_CONTAINS", "values": [{"userEnteredValue": "urgent"}]},
            "format": {"textFormat": {"bold": True}},
        },
    }
    backend.http.batch_update(key, {"requests": [{"addConditionalFormatRule": {"rule": mine}}]})
    run_sync(_google(fake, key), plan="demo", today=TODAY, locale="fr")
    objectives = _formats(fake, key)["Objectifs"]
    assert (
        len(objectives) == 3
        and objectives[2]["booleanRule"]["condition"]["type"] == "TEXT_CONTAINS"
    )

    # the user deletes one of ours: the next sync puts it back, and only it changes
    backend = _google(fake, key)
    checks_id = {t.title: t.sheet_id for t in backend.read().tabs}["Contrôles"]
    backend.http.batch_update(
        key, {"requests": [{"deleteConditionalFormatRule": {"sheetId": checks_id, "index": 1}}]}
    )
    again = run_sync(_google(fake, key), plan="demo", today=TODAY, locale="fr")
    assert (again.report.writes.requests, again.report.writes.cells) == (2, 0)
    assert len(_formats(fake, key)["Contrôles"]) == 2
    objectives = _formats(fake, key)["Objectifs"]
    assert (
        len(objectives) == 3
        and objectives[2]["booleanRule"]["condition"]["type"] == "TEXT_CONTAINS"
    )
    last = run_sync(_google(fake, key), plan="demo", today=TODAY, locale="fr")
    assert (last.report.writes.requests, last.report.writes.cells) == (1, 0)


def test_the_stand_in_refuses_rules_google_refuses(fake: Any) -> None:
    key = _google_plan(fake, "fr")
    backend = _google(fake, key)
    sheet_id = backend.read().tabs[0].sheet_id
    bad_formula = {
        "ranges": [{"sheetId": sheet_id}],
        "booleanRule": {
            "condition": {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": "A1>1"}]},
            "format": {"backgroundColor": {"red": 1}},
        },
    }
    bad_format = {
        "ranges": [{"sheetId": sheet_id}],
        "booleanRule": {
            "condition": {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": "=A1>1"}]},
            "format": {"borders": {"top": {"style": "SOLID"}}},
        },
    }
    for rule in (bad_formula, bad_format):
        with pytest.raises(APIError, match=r"\[400\]"):
            backend.http.batch_update(
                key, {"requests": [{"addConditionalFormatRule": {"rule": rule}}]}
            )
    with pytest.raises(APIError, match=r"\[400\]"):
        backend.http.batch_update(
            key, {"requests": [{"deleteConditionalFormatRule": {"sheetId": sheet_id, "index": 5}}]}
        )


DASHBOARD = {"fr": "Tableau de bord", "en": "Dashboard"}


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_the_dashboard_colours_overloads_and_late_objectives(tmp_path: Path, locale: str) -> None:
    words = WORDS[locale]
    path = _xlsx(tmp_path, locale)
    _sync(path, locale)
    styles = etree.fromstring(_parts(path)["xl/styles.xml"])
    rules = _rules(_sheet_xml(path, DASHBOARD[locale]), styles)
    assert rules == [
        (
            "B24:B1048576",
            'AND(ISTEXT("sheetpilot"),AND(ISNUMBER(B24),ISNUMBER(D24),D24>0,B24>D24))',
            "F4CCCC",
        ),
        (
            "M24:M1048576",
            'AND(ISTEXT("sheetpilot"),AND(ISNUMBER(M24),ISNUMBER(N24),N24>0,M24>N24))',
            "F4CCCC",
        ),
        ("I24:I1048576", f'AND(ISTEXT("sheetpilot"),I24="{words["late"]}")', "F4CCCC"),
        ("I24:I1048576", f'AND(ISTEXT("sheetpilot"),I24="{words["at risk"]}")', "FCE8B2"),
    ]
    before = path.read_bytes()
    _sync(path, locale)
    assert path.read_bytes() == before  # the rules settle: nothing rewritten


def test_the_dashboard_colours_on_google_settle(fake: Any) -> None:
    key = _google_plan(fake, "fr")
    run_sync(_google(fake, key), plan="demo", today=TODAY, locale="fr")
    rules = _formats(fake, key)["Tableau de bord"]
    assert [r[5] for r in map(_summary, rules)] == ["F4CCCC", "F4CCCC", "F4CCCC", "FCE8B2"]
    assert '="En retard")' in _summary(rules[2])[4]
    second = run_sync(_google(fake, key), plan="demo", today=TODAY, locale="fr")
    assert (second.report.writes.requests, second.report.writes.cells) == (1, 0)
