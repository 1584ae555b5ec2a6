"""The computed columns of the input tabs as lookups that follow their rows.

`Rang`/`Rank` in the actions tab and `Avancement`/`Progress`, `État`/`Health` in the
objectives tab each hold a formula keyed on the ID of the row it sits on:

    =IF($A7="","",IFERROR(INDEX('Priorités'!$A:$A,MATCH($A7&"",'Priorités'!$B:$B,0)),""))

It looks the row's own ID up in tool-owned data: the rank column of `Priorités`, or the
hidden `Données calculées` tab (one row per result: ID, progress, health). The formula
text of a row never changes when ranks or progress change (only the data it looks up
is rewritten), it is right for whatever row it sits on after a sort, an insertion or a
deletion (Google moves relative references with the row), and it shows nothing on a row
without an ID or whose ID is not an open action (result). Function names are English
and arguments separated by `,`; the Google backend sends `;`, which every locale accepts.
No decimal numbers appear in them.

The same tab holds every period for the live block of `Actions par période` (see
`sheetpilot._render.by_period`): one row per period from column E, the action lists from
column R. It is laid out on every backend.

>>> print(lookup_template(0, "Priorités", 1, 0))
=IF($A{row}="","",IFERROR(INDEX('Priorités'!$A:$A,MATCH($A{row}&"",'Priorités'!$B:$B,0)),""))
"""

from __future__ import annotations

from sheetpilot._cells import CellValue, col_letter, quote_tab
from sheetpilot._i18n import HEALTH_WORDS, Translator
from sheetpilot._models import ParsedPlan, PlanResult
from sheetpilot._render import by_period as bp
from sheetpilot._render.formats import INTEGER, PERCENT, PERSON_DAYS, date_format
from sheetpilot._render.targets import Canvas, TargetTab
from sheetpilot._template import LOOKUPS, O_HEALTH, O_ID, O_PROGRESS
from sheetpilot._workbook import TabLayout

# Columns of the lookups tab: result ID, progress, health label.
ID_COL, PROGRESS_COL, HEALTH_COL = 0, 1, 2
_WIDTHS = (80, 110, 130, 60)


def lookup_template(id_col: int, data_title: str, key_col: int, value_col: int) -> str:
    """The lookup formula of a computed cell, with `{row}` for the row's 1-based number:
    the value in `value_col` of the `data_title` row whose `key_col` holds this row's ID."""
    me = f"${col_letter(id_col)}{{row}}"
    tab = quote_tab(data_title)
    keys = f"{tab}${col_letter(key_col)}:${col_letter(key_col)}"
    values = f"{tab}${col_letter(value_col)}:${col_letter(value_col)}"
    return f'=IF({me}="","",IFERROR(INDEX({values},MATCH({me}&"",{keys},0)),""))'


def lookups_tab(
    plan: ParsedPlan, result: PlanResult, title: str, index: int, t: Translator
) -> TargetTab:
    """The hidden data the computed columns look up (one row per result ID) and the
    period data of the live block (one row per period, then every period's actions)."""
    locale = plan.locale
    canvas = Canvas()
    canvas.line(
        0, [O_ID.label(locale), O_PROGRESS.label(locale), O_HEALTH.label(locale)], bold=True
    )
    row = 1
    seen: set[str] = set()
    for objective in result.objectives:
        for progress in objective.results:
            if not progress.id or progress.id.casefold() in seen:
                continue
            seen.add(progress.id.casefold())
            values: list[CellValue] = [
                progress.id,
                progress.progress,
                t(HEALTH_WORDS[progress.health]) if progress.health else None,
            ]
            canvas.line(row, values, [None, PERCENT, None])
            row += 1
    _period_data(canvas, plan, result, t)
    widths = (
        *_WIDTHS,
        *(110,) * len(bp.PERIOD_HEADERS),
        60,
        *(140,) * len(bp.ACTION_HEADERS),
    )
    layout = TabLayout(title=title, column_widths=widths, frozen_rows=1, index=index, hidden=True)
    return TargetTab(LOOKUPS.key, title, canvas.cells, layout)


def _period_data(canvas: Canvas, plan: ParsedPlan, result: PlanResult, t: Translator) -> None:
    day = date_format(plan.locale)
    data = bp.period_data(plan, result)
    header = [t(h) for h in bp.PERIOD_HEADERS]
    for col, text in enumerate(header, start=bp.PERIOD_COL):
        canvas.put(0, col, text, bold=True)
    for col, text in enumerate((t(h) for h in bp.ACTION_HEADERS), start=bp.ACTION_COL):
        canvas.put(0, col, text, bold=True)
    period_formats = (None, day, day, *(INTEGER,) * 3, *(PERSON_DAYS,) * 3, PERCENT, INTEGER)
    for row, values in enumerate(data.periods, start=1):
        for col, value in enumerate(values):
            fmt = period_formats[col] if col < len(period_formats) else INTEGER
            canvas.put(row, bp.PERIOD_COL + col, value, fmt)
    action_formats = (None, None, None, None, PERSON_DAYS, None, INTEGER)
    for row, values in enumerate(data.actions, start=1):
        for col, value in enumerate(values):
            canvas.put(row, bp.ACTION_COL + col, value, action_formats[col])
