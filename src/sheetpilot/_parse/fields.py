"""Reading one typed field of a table row, recording an issue when the cell is bad."""

from __future__ import annotations

from datetime import date

from sheetpilot._cells import CellValue, shorten
from sheetpilot._i18n import N_
from sheetpilot._parse.headers import Table
from sheetpilot._parse.issues import IssueLog
from sheetpilot._parse.values import (
    BadValue,
    ambiguity,
    as_date,
    as_number,
    as_text,
    match,
    suggestion,
)
from sheetpilot._template import Name


def text(table: Table, row: int, name: Name) -> str:
    return as_text(table.value(row, name.key))


UNCALCULATED = N_(
    "the cell holds a formula saved without its result: open and save the workbook in "
    "Excel or LibreOffice, or type the value"
)


def uncalculated(
    table: Table, row: int, name: Name, log: IssueLog, label: str, meanwhile: str = ""
) -> bool:
    """Whether the field's cell holds a formula saved without its result; if so, record a
    `formula-not-calculated` issue at that cell (never a missing or bad value)."""
    if not table.is_uncalculated(row, name.key):
        return False
    t = log.t
    if meanwhile:
        message = t(
            "{field}: {problem}; {meanwhile}",
            field=label,
            problem=t(UNCALCULATED),
            meanwhile=meanwhile,
        )
    else:
        message = t("{field}: {problem}", field=label, problem=t(UNCALCULATED))
    log.add("formula-not-calculated", table.sheet, table.address(row, name.key), message)
    return True


def number(
    table: Table, row: int, name: Name, log: IssueLog, label: str, meanwhile: str = ""
) -> float | None:
    """The field as a number; a bad cell is a `bad-number` issue and None, a formula saved
    without its result a `formula-not-calculated` issue and None.

    `meanwhile` tells the user what the sync does until the cell is fixed. A number that
    reads two ways ('1,200' in an English plan) is read the plan language's way, with a
    `bad-number` warning saying how.
    """
    if uncalculated(table, row, name, log, label, meanwhile):
        return None
    raw = table.value(row, name.key)
    return read_number(raw, log, table.sheet, table.address(row, name.key), label, meanwhile)


def read_number(
    raw: CellValue, log: IssueLog, sheet: str, cell: str, label: str, meanwhile: str = ""
) -> float | None:
    """A cell as a number, by the plan's language; a bad one is a `bad-number` issue and None."""
    try:
        value = as_number(raw, log.locale)
    except BadValue as exc:
        log.add("bad-number", sheet, cell, _bad(log, label, exc, meanwhile))
        return None
    note = ambiguity(raw, log.locale, log.t)
    if note is not None:
        message = log.t("{field}: {problem}", field=label, problem=note)
        log.add("bad-number", sheet, cell, message, severity="warning")
    return value


def day(
    table: Table, row: int, name: Name, log: IssueLog, label: str, meanwhile: str = ""
) -> date | None:
    """The field as a date; a bad cell is a `bad-date` issue and None (a formula saved
    without its result: `formula-not-calculated`)."""
    if uncalculated(table, row, name, log, label, meanwhile):
        return None
    try:
        return as_date(table.value(row, name.key))
    except BadValue as exc:
        message = _bad(log, label, exc, meanwhile)
        log.add("bad-date", table.sheet, table.address(row, name.key), message)
        return None


def _bad(log: IssueLog, label: str, exc: BadValue, meanwhile: str) -> str:
    t = log.t
    if meanwhile:
        return t(
            "{field}: {problem}; {meanwhile}", field=label, problem=exc.text(t), meanwhile=meanwhile
        )
    return t("{field}: {problem}", field=label, problem=exc.text(t))


def choice(
    table: Table,
    row: int,
    name: Name,
    choices: tuple[str, ...],
    log: IssueLog,
    what: str,
    source: str,
    consequence: str,
) -> tuple[str, str | None]:
    """The text of a list field and the known choice it names (None when blank or unknown).

    An unknown value is an `unknown-value` warning quoting the closest known choice.
    """
    value = text(table, row, name)
    if not value:
        return value, None
    known = match(value, choices)
    if known is None:
        log.add(
            "unknown-value",
            table.sheet,
            table.address(row, name.key),
            log.t(
                "{field} '{value}' is not in {source}{suggestion}: use one of {choices} or add "
                "it there; {consequence}",
                field=what,
                value=shorten(value),
                source=source,
                suggestion=suggestion(value, choices, log.t),
                choices=_listing(choices),
                consequence=consequence,
            ),
        )
    return value, known


def _listing(choices: tuple[str, ...], limit: int = 8) -> str:
    shown = ", ".join(f"'{shorten(c)}'" for c in choices[:limit])
    return shown + (", …" if len(choices) > limit else "")
