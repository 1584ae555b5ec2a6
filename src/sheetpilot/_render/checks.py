"""Contrôles / Checks: every issue found, errors first, each pointing at its cell."""

from __future__ import annotations

from collections.abc import Iterable

from sheetpilot._models import Issue, ParsedPlan, PlanResult
from sheetpilot._render.targets import TargetTab, listing_tab
from sheetpilot._template import CHECKS, Locale, Name

HEADERS = (
    Name("sheet", "Onglet", "Tab"),
    Name("cell", "Cellule", "Cell"),
    Name("severity", "Gravité", "Severity"),
    Name("code", "Code", "Code"),
    Name("message", "Message", "Message"),
)
SEVERITY = {
    "error": Name("error", "Erreur", "Error"),
    "warning": Name("warning", "Avertissement", "Warning"),
}
_MIN_WIDTHS = (150, 70, 110, 150, 520)


def ordered(issues: Iterable[Issue]) -> list[Issue]:
    """Errors first, then warnings, each in the order found."""
    listed = list(issues)
    return [i for i in listed if i.severity == "error"] + [
        i for i in listed if i.severity != "error"
    ]


def summary(errors: int, warnings: int, locale: Locale) -> str:
    """The line on top of the tab.

    >>> summary(2, 5, "fr"), summary(1, 0, "fr"), summary(1, 0, "en")
    ('2 erreurs, 5 avertissements', '1 erreur, 0 avertissement', '1 error, 0 warnings')
    """
    if locale == "fr":
        return f"{errors} erreur{'s' if errors > 1 else ''}, " + (
            f"{warnings} avertissement{'s' if warnings > 1 else ''}"
        )
    return f"{errors} error{'' if errors == 1 else 's'}, " + (
        f"{warnings} warning{'' if warnings == 1 else 's'}"
    )


def checks_tab(plan: ParsedPlan, result: PlanResult, title: str, index: int) -> TargetTab:
    """One row per issue: tab, cell, severity, code, message (text stays text, never a formula)."""
    locale = plan.locale
    issues = ordered(result.issues)
    errors = sum(1 for i in issues if i.severity == "error")
    return listing_tab(
        "checks",
        title,
        index,
        heading=CHECKS.label(locale),
        summary=summary(errors, len(issues) - errors, locale),
        bold_summary=True,
        headers=[h.label(locale) for h in HEADERS],
        rows=(
            [
                issue.sheet,
                issue.cell,
                SEVERITY[issue.severity].label(locale),
                issue.code,
                issue.message,
            ]
            for issue in issues
        ),
        min_widths=_MIN_WIDTHS,
    )
