"""Reading one typed field of a table row, recording an issue when the cell is bad."""

from __future__ import annotations

from datetime import date

from sheetpilot._cells import shorten
from sheetpilot._parse.headers import Table
from sheetpilot._parse.issues import IssueLog
from sheetpilot._parse.values import BadValue, as_date, as_number, as_text, match, suggestion
from sheetpilot._template import Name


def text(table: Table, row: int, name: Name) -> str:
    return as_text(table.value(row, name.key))


def number(
    table: Table, row: int, name: Name, log: IssueLog, label: str, meanwhile: str = ""
) -> float | None:
    """The field as a number; a bad cell is a `bad-number` issue and None.

    `meanwhile` tells the user what the sync does until the cell is fixed.
    """
    try:
        return as_number(table.value(row, name.key))
    except BadValue as exc:
        message = f"{label}: {exc}" + (f"; {meanwhile}" if meanwhile else "")
        log.add("bad-number", table.sheet, table.address(row, name.key), message)
        return None


def day(
    table: Table, row: int, name: Name, log: IssueLog, label: str, meanwhile: str = ""
) -> date | None:
    """The field as a date; a bad cell is a `bad-date` issue and None."""
    try:
        return as_date(table.value(row, name.key))
    except BadValue as exc:
        message = f"{label}: {exc}" + (f"; {meanwhile}" if meanwhile else "")
        log.add("bad-date", table.sheet, table.address(row, name.key), message)
        return None


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
            f"{what} '{shorten(value)}' is not in {source}{suggestion(value, choices)}: "
            f"use one of {_listing(choices)} or add it there; {consequence}",
        )
    return value, known


def _listing(choices: tuple[str, ...], limit: int = 8) -> str:
    shown = ", ".join(f"'{shorten(c)}'" for c in choices[:limit])
    return shown + (", …" if len(choices) > limit else "")
