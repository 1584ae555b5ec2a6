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
from sheetpilot._compute.keys import id_key
from sheetpilot._i18n import N_
from sheetpilot._models import Result, Settings
from sheetpilot._parse import fields
from sheetpilot._parse.headers import Table, find_table, report_missing_columns
from sheetpilot._parse.issues import IssueLog
from sheetpilot._parse.values import is_empty
from sheetpilot._template import (
    COMPUTED_COLUMNS,
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
    Name,
)

# A result's own columns: the template's objective columns, less the two objective
# headings (which carry down) and the computed ones.
RESULT_FIELDS = tuple(
    n for n in OBJECTIVE_COLUMNS if n not in (O_BUSINESS, O_MARKETING, *COMPUTED_COLUMNS)
)

_NO_PROGRESS = N_("the result's progress counts 0 meanwhile")
_UNKNOWN_PROGRESS = N_(
    "the result's progress is unknown meanwhile (not counted as 0, and left out of its "
    "objective's progress, shown as unknown)"
)
_FIGURES = (O_BASELINE, O_TARGET, O_CURRENT)
_NO_DUE = N_("its health is unknown until then: it could be late or at risk")


def parse_objectives(
    sheet: str,
    grid: Grid,
    settings: Settings,
    locale: Locale,
    log: IssueLog,
    uncalculated: frozenset[tuple[int, int]] = frozenset(),
) -> tuple[Result, ...]:
    """Read every target-result row of the objectives tab (`uncalculated`: the formula
    cells saved without their result)."""
    table = find_table(sheet, grid, OBJECTIVE_COLUMNS, uncalculated=uncalculated)
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
        key = id_key(result.id)
        if not result.id and table.is_uncalculated(row, O_ID.key):
            pass  # its formula-not-calculated issue says what to do
        elif not result.id:
            log.add(
                "unknown-value",
                sheet,
                table.address(row, O_ID.key),
                log.t(
                    "this target result has no {column}: give it a unique one (e.g. '{id}') "
                    "so actions can refer to it",
                    column=O_ID.label(locale),
                    id=free_id,
                ),
            )
        elif key in seen:
            log.add(
                "duplicate-id",
                sheet,
                table.address(row, O_ID.key),
                log.t(
                    "{column} '{id}' is already used at {cell}: give this row a unique ID (this "
                    "row is ignored until then; the first one is kept)",
                    column=O_ID.label(locale),
                    id=shorten(result.id),
                    cell=seen[key],
                ),
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
        log.t(
            "the {list} list of {tab}", list=S_PRIORITIES.label(locale), tab=SETTINGS.label(locale)
        ),
        log.t("the result has no priority"),
    )
    t = log.t
    unknown = tuple(
        n.key
        for n in _FIGURES
        if fields.uncalculated(table, row, n, log, n.label(locale), t(_UNKNOWN_PROGRESS))
    )

    def figure(name: Name) -> float | None:
        if name.key in unknown:
            return None  # its formula-not-calculated issue is recorded
        return fields.number(table, row, name, log, name.label(locale), t(_NO_PROGRESS))

    due = fields.day(table, row, O_DUE, log, O_DUE.label(locale), t(_NO_DUE))
    return Result(
        uncalculated=unknown,
        sheet=table.sheet,
        row=row,
        cells=table.cells(row),
        id=fields.text(table, row, O_ID),
        business_objective=business,
        marketing_objective=marketing,
        target_result=fields.text(table, row, O_RESULT),
        priority=priority,
        kpi=fields.text(table, row, O_KPI),
        baseline=figure(O_BASELINE),
        target=figure(O_TARGET),
        current=figure(O_CURRENT),
        due=due,
        due_unreadable=due is None and not is_empty(table.value(row, O_DUE.key)),
        levers=fields.text(table, row, O_LEVERS),
    )


_R_ID = re.compile(r"^r(\d+)$")


def _free_id(ids: Iterable[str]) -> str:
    """The next R<n> after the highest one in the tab."""
    numbers = [int(m.group(1)) for text in ids if (m := _R_ID.match(text.casefold()))]
    return f"R{max(numbers, default=0) + 1}"
