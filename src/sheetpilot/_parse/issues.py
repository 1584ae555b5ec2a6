"""Collecting the problems found while parsing: every issue, never raised one at a time."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sheetpilot._i18n import Translator
from sheetpilot._models import Issue, IssueCode, Severity
from sheetpilot._template import Locale

_PLAIN_TITLE = re.compile(r"^\w+$")


def where(sheet: str, cell: str) -> str:
    """A cell reference as a spreadsheet writes it.

    >>> where("Objectifs", "C4"), where("Suivi des actions", "H5")
    ('Objectifs!C4', "'Suivi des actions'!H5")
    """
    return f"{sheet}!{cell}" if _PLAIN_TITLE.match(sheet) else f"'{sheet}'!{cell}"


@dataclass
class IssueLog:
    """The issues found so far, in the order found; `t` says them in the plan's language."""

    items: list[Issue] = field(default_factory=list)
    t: Translator = field(default_factory=lambda: Translator("en"))
    locale: Locale | None = None  # the plan's language: how numbers are read

    def add(
        self,
        code: IssueCode,
        sheet: str,
        cell: str,
        message: str,
        *,
        severity: Severity | None = None,
    ) -> None:
        """Record an issue; the (translated) message is prefixed with the cell reference.

        Its severity follows from its code unless given (an ambiguous number is a
        `bad-number` that the sync could still read: a warning).
        """
        text = self.t("{cell}: {message}", cell=where(sheet, cell), message=message)
        issue = Issue.of(code, sheet, cell, text)
        if severity is not None and severity != issue.severity:
            issue = issue.model_copy(update={"severity": severity})
        self.items.append(issue)
