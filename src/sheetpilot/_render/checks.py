"""Contrôles / Checks: every issue found, errors first, each pointing at its cell.

The cell column is a link to the offending cell when the issue names one (an address
such as `K10` or `B6:B8` on a tab): `HYPERLINK` with the address as its text. On Google
the link is `#gid=<sheetId>&range=K10` (the form Sheets' own "link to this cell" gives);
in a workbook it is `#'Suivi des actions'!K10`, an in-document reference that Excel and
LibreOffice both follow (a HYPERLINK formula, not a hyperlink part: it is a plain formula
cell, compared and rewritten like the live block's, and LibreOffice keeps it on save).
Tab names and addresses are quoted, `"` doubled: nothing the user typed becomes code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace

from sheetpilot._cells import quote_tab
from sheetpilot._i18n import N_, Translator
from sheetpilot._models import Issue, ParsedPlan, PlanResult
from sheetpilot._render.highlights import AMBER, RED, row_where
from sheetpilot._render.targets import LISTING_HEADER_ROW, TargetTab, listing_tab
from sheetpilot._template import CHECKS

HEADERS = (N_("Tab"), N_("Cell"), N_("Severity"), N_("Code"), N_("Message"))
SEVERITY = {"error": N_("Error"), "warning": N_("Warning")}
_MIN_WIDTHS = (150, 70, 110, 150, 520)
_FIRST = LISTING_HEADER_ROW + 1  # the first issue's row
SEVERITY_COL = HEADERS.index("Severity")
MESSAGE_COL = HEADERS.index("Message")


def ordered(issues: Iterable[Issue]) -> list[Issue]:
    """Errors first, then warnings, each in the order found."""
    listed = list(issues)
    return [i for i in listed if i.severity == "error"] + [
        i for i in listed if i.severity != "error"
    ]


def summary(errors: int, warnings: int, t: Translator) -> str:
    """The line on top of the tab (and of the terminal's issue table).

    >>> summary(1, 0, Translator("en")), summary(2, 5, Translator("en"))
    ('1 error, 0 warnings', '2 errors, 5 warnings')
    """
    return t(
        "{errors}, {warnings}",
        errors=t.plural("{n} error", "{n} errors", errors),
        warnings=t.plural("{n} warning", "{n} warnings", warnings),
    )


_ADDRESS = re.compile(r"\$?[A-Z]{1,3}\$?[1-9][0-9]{0,6}(?::\$?[A-Z]{1,3}\$?[1-9][0-9]{0,6})?")


def cell_link(
    sheet: str | None, cell: str | None, sheet_ids: Mapping[str, int] | None
) -> str | None:
    """The link formula to `cell` of `sheet` (English names, `,` separators), or None when
    the issue names no cell, or no tab this backend can point at.

    >>> print(cell_link("Suivi des actions", "K10", None))
    =HYPERLINK("#'Suivi des actions'!K10","K10")
    >>> print(cell_link("Suivi des actions", "K10", {"Suivi des actions": 42}))
    =HYPERLINK("#gid=42&range=K10","K10")
    >>> cell_link("Réglages", "(whole tab)", None) is None
    True
    """
    if not sheet or not cell or not _ADDRESS.fullmatch(cell):
        return None
    if sheet_ids is None:
        target = "#" + quote_tab(sheet) + cell
    elif sheet in sheet_ids:
        target = f"#gid={sheet_ids[sheet]}&range={cell}"
    else:
        return None
    quoted, text = target.replace('"', '""'), cell.replace('"', '""')
    return f'=HYPERLINK("{quoted}","{text}")'


def checks_tab(
    plan: ParsedPlan,
    result: PlanResult,
    title: str,
    index: int,
    t: Translator,
    sheet_ids: Mapping[str, int] | None = None,
) -> TargetTab:
    """One row per issue: tab, cell, severity, code, message (text stays text, never a
    formula); the cell is a link to it (`cell_link`: Google's `#gid=` form when the
    tabs' `sheet_ids` are given, else a workbook reference)."""
    locale = plan.locale
    issues = ordered(result.issues)
    errors = sum(1 for i in issues if i.severity == "error")
    tab = listing_tab(
        "checks",
        title,
        index,
        heading=CHECKS.label(locale),
        summary=summary(errors, len(issues) - errors, t),
        bold_summary=True,
        headers=[t(h) for h in HEADERS],
        rows=(
            [
                issue.sheet,
                issue.cell,
                t(SEVERITY[issue.severity]),
                issue.code,
                issue.message,
            ]
            for issue in issues
        ),
        min_widths=_MIN_WIDTHS,
        highlights=(
            row_where(_FIRST, 0, len(HEADERS), SEVERITY_COL, t(SEVERITY["error"]), RED),
            row_where(_FIRST, 0, len(HEADERS), SEVERITY_COL, t(SEVERITY["warning"]), AMBER),
        ),
        wrapped=(MESSAGE_COL,),
    )
    cells = dict(tab.cells)
    for row, issue in enumerate(issues, start=LISTING_HEADER_ROW + 1):
        link = cell_link(issue.sheet, issue.cell, sheet_ids)
        shown = cells.get((row, 1))
        if link is not None and shown is not None:
            cells[(row, 1)] = replace(shown, formula=link)
    return replace(tab, cells=cells)
