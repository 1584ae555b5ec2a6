"""ChangeSet → the body of ONE spreadsheets.batchUpdate, which Google applies all or nothing
(`batch_update_body`); above 2 MB, several bodies that converge when interrupted
(`batch_update_bodies`).

Pure. Order inside the batch: addSheet for new tabs (with a sheet id chosen here, so the
later requests can target it), updateSheetProperties to grow grids, updateCells per
contiguous run of cells, setDataValidation, updateDimensionProperties (column widths),
addChart / updateChartSpec (`charts`).

Cells: all text goes as ``stringValue`` (like RAW input: ``=x``, ``+x``, ``@x`` stay text),
numbers as ``numberValue``, booleans as ``boolValue``, dates as a serial ``numberValue``
with a DATE number format; ``None`` clears the value (the field is in the mask, the value
is not). ``bold=True`` sets bold; ``bold=False`` leaves the cell's weight as it is;
``number_format=None`` leaves its number format as it is.

Formulas (``CellWrite.formula``) go as ``formulaValue``, English function names with `;`
between arguments, which Google accepts in every spreadsheet locale (`,` fails in
locales whose decimal separator is the comma).

Guards: Google has no conditional write. A write whose guard already fails against the
snapshot read is dropped (`keep_guarded`); the others are checked again by the
spreadsheet itself when the batch lands (`conditional`: a scratch formula and a
``copyPaste`` of its value, inside the same atomic batch).

>>> from sheetpilot._workbook import CellWrite
>>> snap = Snapshot(tabs=(TabData("T", [], sheet_id=3, row_count=10, col_count=5),))
>>> body = batch_update_body(ChangeSet(writes=(CellWrite("T", 0, 0, "=1+1"),)), snap)
>>> body["requests"][0]["updateCells"]["rows"]
[{'values': [{'userEnteredValue': {'stringValue': '=1+1'}}]}]
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sheetpilot._backends.google.charts import chart_requests
from sheetpilot._backends.google.conditional import (
    SCRATCH_TITLE,
    conditional_requests,
    scratch_title,
)
from sheetpilot._backends.google.read import MARK_KEY, MARK_VALUE
from sheetpilot._cells import canonical, cell, date_to_serial, with_separator
from sheetpilot._errors import BackendError
from sheetpilot._workbook import (
    CellWrite,
    ChangeSet,
    Highlight,
    ListValidation,
    Snapshot,
    TabData,
    TabLayout,
)

NEW_TAB_ROWS = 1000  # Google's default size for a new sheet
NEW_TAB_COLS = 26
_MAX_SHEET_ID = 2**31 - 1

JSON = dict[str, Any]


def keep_guarded(changes: ChangeSet, snapshot: Snapshot) -> ChangeSet:
    """The change set without the writes whose guard no longer holds in `snapshot`.

    >>> from sheetpilot._workbook import CellWrite, Guard
    >>> snap = Snapshot(tabs=(TabData("T", [["A-001"], ["A-002"]]),))
    >>> ok = CellWrite("T", 0, 3, 1, guard=Guard(0, 0, "A-001"))
    >>> moved = CellWrite("T", 1, 3, 2, guard=Guard(1, 0, "A-009"))
    >>> [w.value for w in keep_guarded(ChangeSet(writes=(ok, moved)), snap).writes]
    [1]
    """
    kept = tuple(w for w in changes.writes if _guard_holds(w, snapshot))
    return changes if len(kept) == len(changes.writes) else replace(changes, writes=kept)


def _guard_holds(write: CellWrite, snapshot: Snapshot) -> bool:
    if write.guard is None:
        return True
    tab = _find_tab(snapshot.tabs, write.sheet)
    guard = write.guard
    return all(
        _same(cell(tab.grid, guard.row, col) if tab else None, expected)
        for col, expected in ((guard.col, guard.expected), *guard.also)
    )


def _same(a: Any, b: Any) -> bool:
    ca, cb = canonical(a), canonical(b)
    if isinstance(ca, str) and isinstance(cb, str):
        return ca.strip() == cb.strip()
    return ca == cb


def batch_update_body(changes: ChangeSet, snapshot: Snapshot) -> JSON:
    """The batchUpdate body for `changes` against a spreadsheet that looks like `snapshot`.

    Raises BackendError when a change names a tab that neither exists nor is created.
    """
    plan = _SheetPlan.build(changes, snapshot)
    requests: list[JSON] = []
    requests += [plan.add_sheet(layout) for layout in plan.created]
    requests += row_edit_requests(plan, changes)
    requests += plan.grow_requests()
    fresh = frozenset(layout.title for layout in plan.created)
    guarded = [w for w in changes.writes if server_checked(w, fresh)]
    plain = [w for w in changes.writes if not server_checked(w, fresh)]
    requests += [
        {"updateCells": run.request(plan.sheet_id(run.sheet))}
        for run in cell_runs(plain, fresh=fresh)
    ]
    if guarded:
        ids = {w.sheet: plan.sheet_id(w.sheet) for w in guarded}
        scratch = new_sheet_id(SCRATCH_TITLE, set(plan.ids.values()))
        title = scratch_title([*plan.ids, *snapshot.titles])
        requests += conditional_requests(guarded, ids, scratch, title)
    requests += [validation_request(v, plan.sheet_id(v.sheet)) for v in changes.validations]
    for layout in plan.created:
        requests += width_requests(plan.sheet_id(layout.title), layout.column_widths)
    requests += presentation_requests(plan, changes)
    requests += chart_requests(changes.charts, plan.sheet_id)
    requests += mark_requests(plan, changes)
    return {"requests": requests}


def row_edit_requests(plan: _SheetPlan, changes: ChangeSet) -> list[JSON]:
    """deleteDimension / insertDimension for each row edit, in order, before any cell is
    written (the writes' rows are those after the edits). Inserted rows take the format of
    the row below (a listing row: rows are inserted only above one, never under the bold
    header's format). Not idempotent: a batch holding them is never resent blindly.

    >>> from sheetpilot._workbook import RowEdit
    >>> snap = Snapshot(tabs=(TabData("T", [], sheet_id=3, row_count=50, col_count=5),))
    >>> edits = (RowEdit("T", 7, 1), RowEdit("T", 9, 2, insert=True))
    >>> [list(r) for r in row_edit_requests(_SheetPlan.build(ChangeSet(row_edits=edits), snap),
    ...     ChangeSet(row_edits=edits))]
    [['deleteDimension'], ['insertDimension']]
    """
    out: list[JSON] = []
    for edit in changes.row_edits:
        span = {
            "sheetId": plan.sheet_id(edit.sheet),
            "dimension": "ROWS",
            "startIndex": edit.start,
            "endIndex": edit.start + edit.count,
        }
        if edit.insert:
            out.append({"insertDimension": {"range": span, "inheritFromBefore": False}})
        else:
            out.append({"deleteDimension": {"range": span}})
    return out


def presentation_requests(plan: _SheetPlan, changes: ChangeSet) -> list[JSON]:
    """How tool tabs look: sheetpilot's conditional formats replaced where they differ
    (deleted by position, highest first, then added on top of the user's), and the
    layout of new and restyled tabs (wrapped columns, the input cell's look and note).
    Google's API has no print settings: printed, a tab repeats its frozen rows."""
    fresh = {layout.title for layout in plan.created}
    out: list[JSON] = []
    for title, wanted in changes.highlights.items():
        sheet_id = plan.sheet_id(title)
        tab = plan.existing.get(title)
        if tab is not None and title not in fresh:
            for index in sorted(tab.highlight_at, reverse=True):
                delete = {"sheetId": sheet_id, "index": index}
                out.append({"deleteConditionalFormatRule": delete})
        for index, highlight in enumerate(wanted):
            rule = conditional_rule(highlight, sheet_id)
            out.append({"addConditionalFormatRule": {"rule": rule, "index": index}})
    for layout in (*plan.created, *changes.restyle):
        out += layout_requests(layout, plan.sheet_id(layout.title))
    return out


def conditional_rule(highlight: Highlight, sheet_id: int) -> JSON:
    """A ConditionalFormatRule: a custom formula (`;` between arguments, as for cells)
    that fills its range.

    >>> rule = conditional_rule(Highlight(3, 0, 5, '$C4="Erreur"', "F4CCCC"), 7)
    >>> rule["ranges"], rule["booleanRule"]["condition"]["values"]
    ([{'sheetId': 7, 'startRowIndex': 3, 'startColumnIndex': 0, 'endColumnIndex': 5}], \
[{'userEnteredValue': '=AND(ISTEXT("sheetpilot");$C4="Erreur")'}])
    """
    grid_range: JSON = {
        "sheetId": sheet_id,
        "startRowIndex": highlight.row,
        "startColumnIndex": highlight.col,
        "endColumnIndex": highlight.end_col,
    }
    if highlight.end_row is not None:
        grid_range["endRowIndex"] = highlight.end_row
    formula = with_separator(highlight.formula, ";")
    condition = {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": formula}]}
    paint = {"backgroundColor": rgb_color(highlight.fill)}
    return {"ranges": [grid_range], "booleanRule": {"condition": condition, "format": paint}}


def rgb_color(hex_rgb: str) -> JSON:
    """RRGGBB → a Color (channels 0–1).

    >>> rgb_color("FF8000")
    {'red': 1.0, 'green': 0.502, 'blue': 0.0}
    """
    channels = [int(hex_rgb[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    return dict(zip(("red", "green", "blue"), (round(c, 3) for c in channels), strict=True))


INPUT_FILL = "FFF2CC"  # the cell a user picks: light yellow, framed
INPUT_BORDER = "A6A6A6"


def layout_requests(layout: TabLayout, sheet_id: int) -> list[JSON]:
    """Wrapped columns below the header rows, and the input cell's fill, frame and note
    (its value untouched)."""
    out: list[JSON] = []
    for col in layout.wrapped:
        grid_range = {
            "sheetId": sheet_id,
            "startRowIndex": layout.frozen_rows,
            "startColumnIndex": col,
            "endColumnIndex": col + 1,
        }
        cell: JSON = {"userEnteredFormat": {"wrapStrategy": "WRAP", "verticalAlignment": "TOP"}}
        fields = "userEnteredFormat(wrapStrategy,verticalAlignment)"
        out.append({"repeatCell": {"range": grid_range, "cell": cell, "fields": fields}})
    if layout.input_cell is not None:
        row, col = layout.input_cell
        edge: JSON = {"style": "SOLID", "color": rgb_color(INPUT_BORDER)}
        looks: JSON = {
            "userEnteredFormat": {
                "backgroundColor": rgb_color(INPUT_FILL),
                "borders": {side: edge for side in ("top", "bottom", "left", "right")},
            },
            "note": layout.input_note,
        }
        grid_range = {
            "sheetId": sheet_id,
            "startRowIndex": row,
            "endRowIndex": row + 1,
            "startColumnIndex": col,
            "endColumnIndex": col + 1,
        }
        fields = "note,userEnteredFormat(backgroundColor,borders)"
        out.append({"repeatCell": {"range": grid_range, "cell": looks, "fields": fields}})
    return out


def mark_requests(plan: _SheetPlan, changes: ChangeSet) -> list[JSON]:
    """createDeveloperMetadata marking each tab created by this batch, and each existing
    tab adopted (`ChangeSet.adopt`), as sheetpilot's: in the same atomic batch, so a tab
    is never created without its mark. An adopted tab already marked is not marked twice.
    """
    marked = {t.title for t in plan.existing.values() if t.owned}
    titles = [layout.title for layout in plan.created]
    titles += [t for t in changes.adopt if t not in marked and t not in titles]
    return [mark_request(plan.sheet_id(title)) for title in dict.fromkeys(titles)]


def mark_request(sheet_id: int) -> JSON:
    """The developer metadata that marks a sheet as sheetpilot's.

    >>> mark_request(7)["createDeveloperMetadata"]["developerMetadata"]["location"]
    {'sheetId': 7}
    """
    metadata = {
        "metadataKey": MARK_KEY,
        "metadataValue": MARK_VALUE,
        "location": {"sheetId": sheet_id},
        "visibility": "DOCUMENT",
    }
    return {"createDeveloperMetadata": {"developerMetadata": metadata}}


def server_checked(write: CellWrite, fresh: Collection[str] = ()) -> bool:
    """Whether Google checks `write`'s guard as the batch lands (`conditional`): a guarded
    text or whole-number value with no format, into a tab that exists (a tab created by the
    same batch is blank). Other guarded writes (init's formatted cells) are checked against
    the snapshot read only.

    >>> from sheetpilot._workbook import Guard
    >>> server_checked(CellWrite("T", 4, 0, "A-007", guard=Guard(4, 0, None)))
    True
    >>> server_checked(CellWrite("T", 0, 0, "Statut", bold=True, guard=Guard(0, 0, None)))
    False
    """
    value = write.value
    return (
        write.guard is not None
        and write.formula is None
        and write.sheet not in fresh
        and write.number_format is None
        and not write.bold
        and (isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)))
    )


@dataclass
class _SheetPlan:
    """Sheet ids and sizes: existing tabs from the snapshot, new ones with ids chosen here."""

    existing: dict[str, TabData]
    created: list[TabLayout]
    ids: dict[str, int]
    rows_needed: dict[str, int]
    cols_needed: dict[str, int]
    row_delta: dict[str, int] = field(default_factory=dict)  # rows inserted - deleted

    @classmethod
    def build(cls, changes: ChangeSet, snapshot: Snapshot) -> _SheetPlan:
        existing = {t.title: t for t in snapshot.tabs}
        ids = {t.title: t.sheet_id for t in snapshot.tabs if t.sheet_id is not None}
        used = set(ids.values())
        created: list[TabLayout] = []
        for layout in changes.new_tabs:
            if _find_tab(snapshot.tabs, layout.title) or layout.title in {c.title for c in created}:
                continue  # already there (init run again): nothing to add
            ids[layout.title] = new_sheet_id(layout.title, used)
            used.add(ids[layout.title])
            created.append(layout)
        rows, cols = needed_size(changes)
        delta: dict[str, int] = {}
        for edit in changes.row_edits:
            delta[edit.sheet] = delta.get(edit.sheet, 0) + (
                edit.count if edit.insert else -edit.count
            )
        return cls(existing, created, ids, rows, cols, delta)

    def sheet_id(self, title: str) -> int:
        if title in self.ids:
            return self.ids[title]
        for known, sheet_id in self.ids.items():
            if known.casefold() == title.casefold():
                return sheet_id
        raise BackendError("the spreadsheet has no tab named {title!r} to write to", title=title)

    def add_sheet(self, layout: TabLayout) -> JSON:
        grid: JSON = {
            "rowCount": max(NEW_TAB_ROWS, self.rows_needed.get(layout.title, 0)),
            "columnCount": max(NEW_TAB_COLS, self.cols_needed.get(layout.title, 0)),
        }
        if layout.frozen_rows:
            grid["frozenRowCount"] = layout.frozen_rows
        props: JSON = {
            "sheetId": self.ids[layout.title],
            "title": layout.title,
            "gridProperties": grid,
        }
        if layout.index is not None:
            props["index"] = layout.index
        if layout.hidden:
            props["hidden"] = True
        return {"addSheet": {"properties": props}}

    def grow_requests(self) -> list[JSON]:
        out: list[JSON] = []
        for title in sorted(set(self.rows_needed) | set(self.cols_needed)):
            tab = _find_tab(tuple(self.existing.values()), title)
            if tab is None:
                continue  # a new tab is created big enough
            grid: JSON = {}
            if self.rows_needed.get(title, 0) > tab.row_count + self.row_delta.get(title, 0):
                grid["rowCount"] = self.rows_needed[title]
            if self.cols_needed.get(title, 0) > tab.col_count:
                grid["columnCount"] = self.cols_needed[title]
            if grid:
                fields = ",".join(f"gridProperties.{k}" for k in grid)
                props = {"sheetId": self.sheet_id(tab.title), "gridProperties": grid}
                out.append({"updateSheetProperties": {"properties": props, "fields": fields}})
        return out


def needed_size(changes: ChangeSet) -> tuple[dict[str, int], dict[str, int]]:
    """Rows and columns each tab must have for every write and dropdown to fit."""
    rows = dict(changes.min_rows)
    cols = dict(changes.min_cols)

    def need(sheet: str, row_end: int, col_end: int) -> None:
        rows[sheet] = max(rows.get(sheet, 0), row_end)
        cols[sheet] = max(cols.get(sheet, 0), col_end)

    for w in changes.writes:
        need(w.sheet, w.row + 1, w.col + 1)
    for v in changes.validations:
        need(v.sheet, v.row + max(v.rows, 1), v.col + 1)
    return rows, cols


def new_sheet_id(title: str, used: set[int]) -> int:
    """A sheet id for a new tab: stable for a title, never one already in use.

    >>> new_sheet_id("Priorités", set()) == new_sheet_id("Priorités", {1})
    True
    """
    candidate = zlib.crc32(title.encode("utf-8")) % _MAX_SHEET_ID or 1
    while candidate in used:
        candidate = candidate % _MAX_SHEET_ID + 1
    return candidate


FIELD_ORDER = (
    "userEnteredValue",
    "userEnteredFormat.numberFormat",
    "userEnteredFormat.textFormat.bold",
)


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f for f in FIELD_ORDER if f in a or f in b)


@dataclass
class CellRun:
    """Cells written with one updateCells and one field mask: rows of contiguous cells that
    all start at `col`, one under the other (rows may differ in length, as the API allows).
    """

    sheet: str
    row: int
    col: int
    fields: tuple[str, ...]
    rows: list[list[JSON]]

    def request(self, sheet_id: int) -> JSON:
        return {
            "start": {"sheetId": sheet_id, "rowIndex": self.row, "columnIndex": self.col},
            "rows": [{"values": values} for values in self.rows],
            "fields": ",".join(self.fields),
        }


def cell_runs(writes: Iterable[CellWrite], *, fresh: Collection[str] = ()) -> list[CellRun]:
    """Group writes into runs: same tab, contiguous cells, the same field mask; a run's
    rows start at the same column on consecutive rows, and may differ in length.

    On a tab created by the same batch (`fresh`) every cell is blank and unformatted, so
    cells with different masks share one run under the union of their masks: a format a
    cell does not set is "cleared" to the default it already has. Elsewhere a format field
    is only in the mask of cells that set it (``bold=False`` leaves the weight as it is).

    >>> from sheetpilot._workbook import CellWrite
    >>> ws = [CellWrite("T", r, c, r * 10 + c) for r in (0, 1) for c in (0, 1, 3)]
    >>> [(r.row, r.col, len(r.rows), len(r.rows[0])) for r in cell_runs(ws)]
    [(0, 0, 2, 2), (0, 3, 2, 1)]
    >>> ws = [CellWrite("T", 0, 0, "Rang", bold=True), CellWrite("T", 0, 1, 1)]
    >>> [(len(r.rows[0]), r.fields[-1]) for r in cell_runs(ws, fresh={"T"})]
    [(2, 'userEnteredFormat.textFormat.bold')]
    """
    latest: dict[tuple[str, int, int], CellWrite] = {}
    for w in writes:
        latest[(w.sheet, w.row, w.col)] = w  # the last write to a cell wins
    line_runs: list[CellRun] = []
    for (sheet, row, col), w in sorted(latest.items()):
        data, fields = cell_data(w)
        last = line_runs[-1] if line_runs else None
        if (
            last is not None
            and (last.sheet, last.row) == (sheet, row)
            and last.col + len(last.rows[0]) == col
            and (last.fields == fields or sheet in fresh)
        ):
            last.rows[0].append(data)
            last.fields = _union(last.fields, fields)
        else:
            line_runs.append(CellRun(sheet, row, col, fields, [[data]]))
    return _stack(line_runs, fresh)


def _stack(line_runs: list[CellRun], fresh: Collection[str] = ()) -> list[CellRun]:
    """Merge one-row runs that start at the same column on consecutive rows."""
    open_runs: dict[tuple[str, int, tuple[str, ...]], CellRun] = {}
    out: list[CellRun] = []
    for run in line_runs:
        shape = (run.sheet, run.col, () if run.sheet in fresh else run.fields)
        above = open_runs.get(shape)
        if above is not None and above.row + len(above.rows) == run.row:
            above.rows.append(run.rows[0])
            above.fields = _union(above.fields, run.fields)
            continue
        open_runs[shape] = run
        out.append(run)
    return out


def cell_data(write: CellWrite) -> tuple[JSON, tuple[str, ...]]:
    """One CellData and the fields it sets.

    >>> cell_data(CellWrite("T", 0, 0, None))
    ({}, ('userEnteredValue',))
    >>> cell_data(CellWrite("T", 0, 0, 0.5, number_format="0%", bold=True))[1]
    ('userEnteredValue', 'userEnteredFormat.numberFormat', 'userEnteredFormat.textFormat.bold')
    """
    data: JSON = {}
    fields = ["userEnteredValue"]
    value = write.value
    pattern = write.number_format
    fmt: JSON = {}
    if write.formula is not None:
        data["userEnteredValue"] = {"formulaValue": with_separator(write.formula, ";")}
    elif isinstance(value, bool):
        data["userEnteredValue"] = {"boolValue": value}
    elif isinstance(value, date):
        data["userEnteredValue"] = {"numberValue": date_to_serial(value)}
        kind = "DATE_TIME" if isinstance(value, datetime) and not _is_midnight(value) else "DATE"
        fmt["numberFormat"] = number_format(pattern) if pattern else {"type": kind}
    elif isinstance(value, int | float):
        if math.isfinite(value):
            data["userEnteredValue"] = {"numberValue": value}
    elif isinstance(value, str) and value != "":
        data["userEnteredValue"] = {"stringValue": value}
    if pattern is not None or "numberFormat" in fmt:
        fields.append("userEnteredFormat.numberFormat")
        if pattern and "numberFormat" not in fmt:
            fmt["numberFormat"] = number_format(pattern)
    if write.bold:
        fields.append("userEnteredFormat.textFormat.bold")
        fmt["textFormat"] = {"bold": True}
    if fmt:
        data["userEnteredFormat"] = fmt
    return data, tuple(fields)


def _is_midnight(value: datetime) -> bool:
    return (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0)


_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def number_format(pattern: str) -> JSON:
    """A NumberFormat for a spreadsheet pattern, its type guessed from the pattern.

    >>> number_format("dd/mm/yyyy")
    {'type': 'DATE', 'pattern': 'dd/mm/yyyy'}
    >>> [number_format(p)["type"] for p in ("0.0", "0%", "hh:mm", "dd/mm/yyyy hh:mm", "0.00E+00")]
    ['NUMBER', 'PERCENT', 'TIME', 'DATE_TIME', 'SCIENTIFIC']
    """
    bare = _QUOTED.sub("", pattern).lower()
    has_date = any(ch in bare for ch in "dy")
    has_time = any(ch in bare for ch in "hs")
    if has_date and has_time:
        kind = "DATE_TIME"
    elif has_date:
        kind = "DATE"
    elif has_time:
        kind = "TIME"
    elif "%" in bare:
        kind = "PERCENT"
    elif "e+" in bare or "e-" in bare:
        kind = "SCIENTIFIC"
    else:
        kind = "NUMBER"
    return {"type": kind, "pattern": pattern}


def validation_request(v: ListValidation, sheet_id: int) -> JSON:
    """setDataValidation for a dropdown (a list, or a range that feeds it; neither: remove)."""
    grid_range = {
        "sheetId": sheet_id,
        "startRowIndex": v.row,
        "endRowIndex": v.row + max(v.rows, 1),
        "startColumnIndex": v.col,
        "endColumnIndex": v.col + 1,
    }
    body: JSON = {"range": grid_range}
    if v.source:
        formula = v.source if v.source.startswith("=") else "=" + v.source
        body["rule"] = _rule("ONE_OF_RANGE", [formula])
    elif v.values:
        body["rule"] = _rule("ONE_OF_LIST", list(v.values))
    if v.prompt and "rule" in body:
        body["rule"]["inputMessage"] = v.prompt
    return {"setDataValidation": body}


def _rule(kind: str, values: list[str]) -> JSON:
    condition = {"type": kind, "values": [{"userEnteredValue": x} for x in values]}
    return {"condition": condition, "showCustomUi": True}


def width_requests(sheet_id: int, widths: tuple[int, ...]) -> list[JSON]:
    """updateDimensionProperties setting column widths (pixels), one per run of equal widths."""
    out: list[JSON] = []
    start = 0
    while start < len(widths):
        end = start
        while end + 1 < len(widths) and widths[end + 1] == widths[start]:
            end += 1
        if widths[start] > 0:
            span = {"sheetId": sheet_id, "dimension": "COLUMNS"}
            span |= {"startIndex": start, "endIndex": end + 1}
            out.append(
                {
                    "updateDimensionProperties": {
                        "range": span,
                        "properties": {"pixelSize": widths[start]},
                        "fields": "pixelSize",
                    }
                }
            )
        start = end + 1
    return out


def _find_tab(tabs: Iterable[TabData], title: str) -> TabData | None:
    """The tab titled `title`; Google titles are unique ignoring case."""
    by_fold: TabData | None = None
    for tab in tabs:
        if tab.title == title:
            return tab
        if tab.title.casefold() == title.casefold():
            by_fold = tab
    return by_fold


# --- writes that fit: change sets above Google's recommended payload, in several requests ---

# Google recommends at most 2 MB per request ("Usage limits" of the Sheets API); its hard
# limit is 10 MB ("Request payload size exceeds the limit: 10485760 bytes").
MAX_REQUEST_BYTES = 2_000_000


def request_size(body: JSON) -> int:
    """Bytes of `body` as sent: compact UTF-8 JSON (what `http.compact_json` sends).

    >>> request_size({"requests": []})
    15
    """
    return len(json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode())


def batch_update_bodies(
    changes: ChangeSet, snapshot: Snapshot, *, max_bytes: int = MAX_REQUEST_BYTES
) -> list[JSON]:
    """The batchUpdate bodies for `changes`, each at most `max_bytes` when it can be.

    A change set that fits is ONE body, applied all or nothing (every normal sync). A
    larger one is sent in a safe order, so that an interruption anywhere converges on the
    next sync: first the structure (new tabs, grids grown, dropdowns, column widths), then
    the cell writes in chunks of whole runs (a run too big for one request is cut into runs
    of fewer rows, a row too big into runs of fewer cells). Every chunk writes absolute
    cells, so it gives the same result when sent twice; the next sync reads the sheet again
    and writes only what is still missing.

    >>> from sheetpilot._workbook import CellWrite
    >>> snap = Snapshot(tabs=(TabData("T", [], sheet_id=3, row_count=2000, col_count=5),))
    >>> few = ChangeSet(writes=tuple(CellWrite("T", r, 0, "x" * 90) for r in range(10)))
    >>> len(batch_update_bodies(few, snap, max_bytes=2000))
    1
    >>> many = ChangeSet(writes=tuple(CellWrite("T", r, 0, "x" * 90) for r in range(100)))
    >>> bodies = batch_update_bodies(many, snap, max_bytes=2000)
    >>> len(bodies), max(request_size(b) for b in bodies) <= 2000
    (8, True)
    """
    plan = _SheetPlan.build(changes, snapshot)
    fresh = frozenset(layout.title for layout in plan.created)
    adds = [plan.add_sheet(layout) for layout in plan.created]
    grows = row_edit_requests(plan, changes) + plan.grow_requests()  # rows move first
    guarded = [w for w in changes.writes if server_checked(w, fresh)]
    plain = [w for w in changes.writes if not server_checked(w, fresh)]
    runs = [(run, plan.sheet_id(run.sheet)) for run in cell_runs(plain, fresh=fresh)]
    cells = [{"updateCells": run.request(sheet_id)} for run, sheet_id in runs]
    checked: list[JSON] = []  # the in-batch ID check: one block, never split
    if guarded:
        ids = {w.sheet: plan.sheet_id(w.sheet) for w in guarded}
        scratch = new_sheet_id(SCRATCH_TITLE, set(plan.ids.values()))
        title = scratch_title([*plan.ids, *snapshot.titles])
        checked = conditional_requests(guarded, ids, scratch, title)
    tail = [validation_request(v, plan.sheet_id(v.sheet)) for v in changes.validations]
    for layout in plan.created:
        tail += width_requests(plan.sheet_id(layout.title), layout.column_widths)
    tail += presentation_requests(plan, changes)
    tail += chart_requests(changes.charts, plan.sheet_id)
    marks = mark_requests(plan, changes)  # a tab is never created without its mark
    whole = adds + grows + cells + checked + tail + marks  # the order of `batch_update_body`
    if not whole:
        return []
    budget = max_bytes - request_size({"requests": []})
    if sum(request_size(r) + 1 for r in whole) <= budget + 1:
        return [{"requests": whole}]
    structure = adds + grows + tail + marks
    pieces: list[tuple[list[JSON], int]] = []
    for (run, sheet_id), request in zip(runs, cells, strict=True):
        size = request_size(request) + 1
        if size <= budget:
            pieces.append(([request], size))
        else:
            pieces += [([r], request_size(r) + 1) for r in _run_requests(run, sheet_id, budget)]
    if checked:
        pieces.append((checked, sum(request_size(r) + 1 for r in checked)))
    bodies = [{"requests": structure}] if structure else []
    return bodies + [{"requests": chunk} for chunk in _pack(pieces, budget)]


def _run_requests(run: CellRun, sheet_id: int, budget: int) -> list[JSON]:
    """updateCells requests for `run`, each within `budget` bytes when a cell allows it."""
    request = {"updateCells": run.request(sheet_id)}
    if request_size(request) + 1 <= budget:
        return [request]
    if len(run.rows) > 1:  # fewer rows per request: cut where the rows stop fitting
        out: list[JSON] = []
        overhead = request_size({"updateCells": replace(run, rows=[]).request(sheet_id)}) + 1
        first, used = 0, overhead
        for i, values in enumerate(run.rows):
            size = request_size({"values": values}) + 1
            if i > first and used + size > budget:
                out += _run_requests(_rows(run, first, i), sheet_id, budget)
                first, used = i, overhead
            used += size
        return out + _run_requests(_rows(run, first, len(run.rows)), sheet_id, budget)
    values = run.rows[0]
    if len(values) <= 1:
        return [request]  # one cell: never above Google's 10 MB (50,000 characters at most)
    half = len(values) // 2  # fewer cells per request
    left = replace(run, rows=[values[:half]])
    right = replace(run, col=run.col + half, rows=[values[half:]])
    return _run_requests(left, sheet_id, budget) + _run_requests(right, sheet_id, budget)


def _rows(run: CellRun, start: int, end: int) -> CellRun:
    """The rows `start`..`end` (exclusive) of `run`, as a run of their own."""
    return replace(run, row=run.row + start, rows=run.rows[start:end])


def _pack(pieces: list[tuple[list[JSON], int]], budget: int) -> list[list[JSON]]:
    """Consecutive pieces (requests that go together, with their size) grouped greedily
    into bodies of at most `budget` bytes; a piece is never split."""
    chunks: list[list[JSON]] = []
    current: list[JSON] = []
    used = 0
    for requests, size in pieces:
        if current and used + size > budget:
            chunks.append(current)
            current, used = [], 0
        current.extend(requests)
        used += size
    if current:
        chunks.append(current)
    return chunks
