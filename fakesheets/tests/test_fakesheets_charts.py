"""Embedded charts: addChart (chartId in the reply), updateChartSpec, deleteEmbeddedObject,
checked roughly as Google checks them, and returned by spreadsheets.get when asked."""

from __future__ import annotations

from typing import Any

import requests

from fakesheets import FakeSheets


def _batch(fake: FakeSheets, key: str, *requests_: dict[str, Any]) -> requests.Response:
    return requests.post(
        f"{fake.url}/v4/spreadsheets/{key}:batchUpdate", json={"requests": list(requests_)}
    )


def _charts(fake: FakeSheets, key: str, fields: str = "sheets.charts") -> list[dict[str, Any]]:
    answer = requests.get(f"{fake.url}/v4/spreadsheets/{key}", params={"fields": fields})
    answer.raise_for_status()
    return [c for s in answer.json().get("sheets", []) for c in s.get("charts", [])]


def _source(sheet_id: int, col: int, rows: int = 4) -> dict[str, Any]:
    grid = {
        "sheetId": sheet_id,
        "startRowIndex": 0,
        "endRowIndex": rows,
        "startColumnIndex": col,
        "endColumnIndex": col + 1,
    }
    return {"sourceRange": {"sources": [grid]}}


def _spec(sheet_id: int = 0, rows: int = 4, title: str = "Load") -> dict[str, Any]:
    return {
        "title": title,
        "basicChart": {
            "chartType": "COMBO",
            "headerCount": 1,
            "domains": [{"domain": _source(sheet_id, 0, rows)}],
            "series": [
                {"series": _source(sheet_id, 1, rows), "type": "COLUMN", "targetAxis": "LEFT_AXIS"},
                {"series": _source(sheet_id, 2, rows), "type": "LINE", "targetAxis": "LEFT_AXIS"},
            ],
        },
    }


def _add(spec: dict[str, Any], sheet_id: int = 0) -> dict[str, Any]:
    anchor = {"sheetId": sheet_id, "rowIndex": 5, "columnIndex": 0}
    position = {"overlayPosition": {"anchorCell": anchor, "widthPixels": 600}}
    return {"addChart": {"chart": {"spec": spec, "position": position}}}


def test_add_chart_assigns_a_chart_id_and_get_returns_the_chart(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Charts")
    answer = _batch(fake, key, _add(_spec()))
    assert answer.status_code == 200
    reply = answer.json()["replies"][0]["addChart"]["chart"]
    assert isinstance(reply["chartId"], int) and reply["spec"] == _spec()
    (chart,) = _charts(fake, key)
    assert chart["chartId"] == reply["chartId"]
    assert chart["spec"]["basicChart"]["series"][1]["type"] == "LINE"
    narrow = _charts(fake, key, "sheets.charts(chartId,spec(title))")
    assert narrow == [{"chartId": reply["chartId"], "spec": {"title": "Load"}}]
    assert _charts(fake, key, "sheets.properties.title") == []  # not asked: not sent


def test_update_chart_spec_replaces_the_spec_and_delete_removes_the_chart(
    fake: FakeSheets,
) -> None:
    key = fake.create_spreadsheet("Charts")
    chart_id = _batch(fake, key, _add(_spec())).json()["replies"][0]["addChart"]["chart"]["chartId"]
    update = {"updateChartSpec": {"chartId": chart_id, "spec": _spec(rows=6, title="More")}}
    assert _batch(fake, key, update).status_code == 200
    (chart,) = _charts(fake, key)
    assert chart["spec"]["title"] == "More"
    domain = chart["spec"]["basicChart"]["domains"][0]["domain"]["sourceRange"]["sources"][0]
    assert domain["endRowIndex"] == 6
    assert _batch(fake, key, {"deleteEmbeddedObject": {"objectId": chart_id}}).status_code == 200
    assert _charts(fake, key) == []


def test_bad_sheet_ids_ranges_and_chart_ids_are_refused_like_google(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Charts")

    def error(*requests_: dict[str, Any]) -> str:
        answer = _batch(fake, key, *requests_)
        assert answer.status_code == 400
        return str(answer.json()["error"]["message"])

    assert error(_add(_spec(), sheet_id=42)) == "Invalid requests[0].addChart: No grid with id: 42"
    assert error(_add(_spec(sheet_id=9))) == "Invalid requests[0].addChart: No grid with id: 9"
    assert "exceeds grid limits" in error(_add(_spec(rows=5000)))
    assert error({"updateChartSpec": {"chartId": 5, "spec": _spec()}}) == (
        "Invalid requests[0].updateChartSpec: No chart with id: 5"
    )
    bar = _spec()
    bar["basicChart"]["chartType"] = "BAR"  # a series type is "valid only" in a COMBO chart
    assert "A series type is valid only in a COMBO chart, not BAR" in error(_add(bar))
    combo = _spec()
    combo["basicChart"]["series"][0]["type"] = "STEPPED_AREA"  # "Only LINE, AREA, and COLUMN"
    assert "Series type STEPPED_AREA is not valid in a COMBO chart" in error(_add(combo))
    # all or nothing: a good addChart before a bad request is not kept
    error(_add(_spec()), {"deleteEmbeddedObject": {"objectId": 1}})
    assert _charts(fake, key) == []
