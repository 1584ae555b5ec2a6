"""`init`: lay the template into a spreadsheet (and, with the example, sync it once).

The orchestration behind the `init` command, so that the CLI only prints what it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sheetpilot._backends.base import Backend
from sheetpilot._example import example_plan
from sheetpilot._locales import catalogs
from sheetpilot._models import Issue
from sheetpilot._ownership import check_ownership
from sheetpilot._scaffold import scaffold_changes, tabs_holding_data
from sheetpilot._sync import SyncOutcome, run_sync
from sheetpilot._template import Locale


def example_start(today: date) -> date:
    """The example plan starts on a Monday two periods back, so that today falls in P3.

    >>> example_start(date(2026, 12, 2))
    datetime.date(2026, 11, 9)
    """
    return today - timedelta(days=today.weekday()) - timedelta(days=21)


@dataclass(frozen=True)
class InitOutcome:
    """What `init` did: where, how many cells, what it left alone, and the example's sync."""

    described: str  # the spreadsheet, named for messages
    cells: int
    kept: tuple[str, ...]  # input tabs that already held data: the example was not added
    service_account_email: str | None
    sync: SyncOutcome | None  # the example's first sync, when --example
    # foreign-tab errors: tabs named like tool-owned tabs that hold the user's content;
    # when there are any, init wrote nothing
    refused: tuple[Issue, ...] = ()


def init_plan(
    open_target: Callable[[bool], Backend],
    *,
    plan: str,
    locale: Locale,
    today: date,
    example: bool = False,
    adopt: bool = False,
) -> InitOutcome:
    """Lay the template (headers, dropdowns, formats; with `example`, a realistic plan).

    `open_target(create)` opens the spreadsheet, creating a new workbook when `create` is
    true. Run again on a laid plan, it writes nothing. With `example`, the plan is synced
    once so that the tool-owned tabs are filled.

    A tab named like a tool-owned tab that holds the user's own content stops init before
    any write (`refused`); `adopt` lets sheetpilot take it over (see `sheetpilot._ownership`).
    Unmarked tabs that sheetpilot laid (0.1.0) are marked as sheetpilot's on the way.
    """
    backend = open_target(True)
    snapshot = backend.read()
    email = getattr(backend, "service_account_email", None)
    ownership = check_ownership(snapshot, locale, adopt=adopt, catalogs=catalogs())
    if ownership.issues:
        return InitOutcome(
            described=backend.describe(),
            cells=0,
            kept=(),
            service_account_email=email if isinstance(email, str) else None,
            sync=None,
            refused=ownership.issues,
        )
    demo = example_plan(example_start(today), locale) if example else None
    monday = today - timedelta(days=today.weekday())
    changes = scaffold_changes(snapshot, locale, demo, start=monday)
    written = backend.write(replace(changes, adopt=ownership.adopt))
    kept = tuple(tabs_holding_data(snapshot)) if example else ()
    outcome = None
    if example:
        outcome = run_sync(open_target(False), plan=plan, today=today, locale=locale, adopt=adopt)
    return InitOutcome(
        described=backend.describe(),
        cells=written,
        kept=kept,
        service_account_email=email if isinstance(email, str) else None,
        sync=outcome,
    )
