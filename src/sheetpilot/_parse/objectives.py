"""Objectifs / Objectives: one Result per target-result row.

- A blank `Objectif business` / `Objectif marketing` cell under a value means "same as
  above" (vertically merged cells); a row holding only those two cells is a heading that
  sets them for the rows below.
- A row with other content but no ID is kept with `id == ""` and an `unknown-value`
  warning at its ID cell (actions cannot point at it until it gets one).
- IDs compare case-insensitively; a repeated ID is a `duplicate-id` error and that later
  row is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sheetpilot._cells import Grid, shorten
from sheetpilot._models import Result, Settings
from sheetpilot._parse import fields
from sheetpilot._parse.headers import Table, find_table, report_missing_columns
from sheetpilot._parse.issues import IssueLog
from sheetpilot._template import (
    O_BASELINE,
    O_BUSINESS,
    O_CURRENT,
    O_DUE,
    O_ID,
    O_KPI,
    O_LEVERS,
    O_MARKETING,
    O_PRIORITY,
    O_RESULT,
    O_TARGET,
    OBJECTIVE_COLUMNS,
    OBJECTIVE_REQUIRED,
    S_PRIORITIES,
    SETTINGS,
    Locale,
)

RESULT_FIELDS = (
    O_ID,
    O_RESULT,
    O_PRIORITY,
    O_KPI,
    O_BASELINE,
    O_TARGET,
    O_CURRENT,
    O_DUE,
    O_LEVERS,
)

_NO_PROGRESS = "the result's progress counts 0 meanwhile"
_NO_DUE = "the result has no due date meanwhile (it cannot be late)"


def parse_objectives(
    sheet: str, grid: Grid, settings: Settings, locale: Locale, log: IssueLog
) -> tuple[Result, ...]:
    """Read every target-result row of the objectives tab."""
    table = find_table(sheet, grid, OBJECTIVE_COLUMNS)
    report_missing_columns(table, OBJECTIVE_REQUIRED, locale, log)
    if O_ID.key not in table.columns:
        return ()
    keys = [n.key for n in RESULT_FIELDS]
    business = marketing = ""
    seen: dict[str, str] = {}
    free_id = _free_id(fields.text(table, row, O_ID) for row in table.data_rows())
    results: list[Result] = []
    for row in table.data_rows():
        business = fields.text(table, row, O_BUSINESS) or business
        marketing = fields.text(table, row, O_MARKETING) or marketing
        if not table.has_content(row, keys):
            continue
        result = _result(table, row, settings, locale, log, business, marketing)
        key = result.id.casefold()
        if not result.id:
            log.add(
                "unknown-value",
                sheet,
                table.address(row, O_ID.key),
                f"this target result has no {O_ID.label(locale)}: give it a unique one "
                f"(e.g. '{free_id}') so actions can refer to it",
            )
        elif key in seen:
            log.add(
                "duplicate-id",
                sheet,
                table.address(row, O_ID.key),
                f"{O_ID.label(locale)} '{shorten(result.id)}' is already used at {seen[key]}: give this "
                "row a unique ID (this row is ignored until then; the first one is kept)",
            )
            continue
        else:
            seen[key] = table.address(row, O_ID.key)
        results.append(result)
    return tuple(results)


def _result(
    table: Table,
    row: int,
    settings: Settings,
    locale: Locale,
    log: IssueLog,
    business: str,
    marketing: str,
) -> Result:
    _, priority = fields.choice(
        table,
        row,
        O_PRIORITY,
        settings.priorities,
        log,
        O_PRIORITY.label(locale),
        f"the {S_PRIORITIES.label(locale)} list of {SETTINGS.label(locale)}",
        "the result has no priority",
    )
    return Result(
        sheet=table.sheet,
        row=row,
        cells=table.cells(row),
        id=fields.text(table, row, O_ID),
        business_objective=business,
        marketing_objective=marketing,
        target_result=fields.text(table, row, O_RESULT),
        priority=priority,
        kpi=fields.text(table, row, O_KPI),
        baseline=fields.number(table, row, O_BASELINE, log, O_BASELINE.label(locale), _NO_PROGRESS),
        target=fields.number(table, row, O_TARGET, log, O_TARGET.label(locale), _NO_PROGRESS),
        current=fields.number(table, row, O_CURRENT, log, O_CURRENT.label(locale), _NO_PROGRESS),
        due=fields.day(table, row, O_DUE, log, O_DUE.label(locale), _NO_DUE),
        levers=fields.text(table, row, O_LEVERS),
    )


_R_ID = re.compile(r"^r(\d+)$")


def _free_id(ids: Iterable[str]) -> str:
    """The next R<n> after the highest one in the tab."""
    numbers = [int(m.group(1)) for text in ids if (m := _R_ID.match(text.casefold()))]
    return f"R{max(numbers, default=0) + 1}"
