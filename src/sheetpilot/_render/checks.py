"""Contrôles / Checks: every issue found, errors first, each pointing at its cell."""

from __future__ import annotations

from collections.abc import Iterable

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


def checks_tab(
    plan: ParsedPlan, result: PlanResult, title: str, index: int, t: Translator
) -> TargetTab:
    """One row per issue: tab, cell, severity, code, message (text stays text, never a formula)."""
    locale = plan.locale
    issues = ordered(result.issues)
    errors = sum(1 for i in issues if i.severity == "error")
    return listing_tab(
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
