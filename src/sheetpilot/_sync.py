"""The sync engine: one read, one compute, at most one write. Same for every backend and entry point.

    Backend.read() → parse → compute → render → diff → Backend.write(change set)

Only `read` and `write` touch the spreadsheet; everything between is pure.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date

from sheetpilot._backends.base import Backend
from sheetpilot._cells import CellValue
from sheetpilot._compute import compute_plan
from sheetpilot._diff import diff, preview
from sheetpilot._locales import catalogs
from sheetpilot._models import Issue, Report, Writes
from sheetpilot._ownership import check_ownership, typed_cells
from sheetpilot._parse import parse_plan
from sheetpilot._render import render
from sheetpilot._template import Locale
from sheetpilot._workbook import ChangeSet

log = logging.getLogger("sheetpilot")

# Issues that stop a plan's sync before any write: the plan's shape is wrong, or a tab
# named like a tool-owned tab holds the user's own content (`sheetpilot._ownership`).
BLOCKING_CODES = frozenset({"missing-tab", "missing-column", "foreign-tab"})


@dataclass(frozen=True)
class SyncOutcome:
    """What one sync did (or, in a dry run, would do)."""

    report: Report
    changes: ChangeSet
    preview: list[tuple[str, str, CellValue, CellValue]]  # (tab, A1, old, new)
    dry_run: bool
    blocked: bool  # a missing tab or column, or a foreign tab, stopped the sync before any write
    locale: Locale = "fr"  # the plan's language: what the terminal summary is printed in

    @property
    def has_errors(self) -> bool:
        return self.report.has_errors

    @property
    def blocked_by(self) -> frozenset[str]:
        """The codes of the issues that stopped the sync (empty when it was not stopped)."""
        return blocking_codes(self.report.issues) if self.blocked else frozenset()


def blocking_codes(issues: tuple[Issue, ...]) -> frozenset[str]:
    """The blocking codes among `issues`."""
    return frozenset(i.code for i in issues if i.code in BLOCKING_CODES)


@contextmanager
def core_gc() -> Iterator[None]:
    """The garbage collector paused around the core pipeline, what was allocated before
    frozen out of later collections.

    The pipeline builds many small long-lived objects (a few per cell) and frees nothing
    until it ends: generational collections then only rescan them (15–17 % of the time at
    50–100k actions). Reference counting still frees everything as usual; the collector,
    enabled again, picks up any cycle later.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def run_sync(
    backend: Backend,
    *,
    plan: str,
    today: date,
    locale: Locale | None = None,
    dry_run: bool = False,
    adopt: bool = False,
) -> SyncOutcome:
    """Sync one plan: read everything once, recompute, write only what changed.

    With `dry_run` nothing is written; the outcome's preview lists each cell that would
    change. A plan whose input tabs or required columns are missing is not written to,
    nor one with a tab named like a tool-owned tab that holds the user's own content
    (`foreign-tab`), unless `adopt` lets sheetpilot take such tabs over. Cells typed into
    tool-owned tabs are reported (`typed-in-tool-tab`) in the same sync that clears them.
    """
    snapshot = backend.read()
    with core_gc():  # the pure pipeline: parse, compute, render, diff
        messages = catalogs()
        parsed = parse_plan(
            snapshot.grids(),
            locale,
            {t.title: t.uncalculated for t in snapshot.tabs if t.uncalculated},
            catalogs=messages,
        )
        result = compute_plan(parsed, today, messages)
        words = messages(parsed.locale)
        ownership = check_ownership(snapshot, parsed.locale, adopt=adopt, catalogs=messages)
        if ownership.issues:
            result = result.model_copy(update={"issues": (*result.issues, *ownership.issues)})
        blocked = bool(blocking_codes(result.issues))
        # a wrapper that does not say (a test double, say) gets values, the safe default
        formulas = bool(getattr(backend, "writes_formulas", False))
        charts = bool(getattr(backend, "draws_charts", False))
        changes = ChangeSet()
        ids = {t.title: t.sheet_id for t in snapshot.tabs if t.sheet_id is not None}
        sheet_ids = ids or None  # Google's tabs have ids: Contrôles links by them
        if not blocked:
            rendered = render(
                parsed, result, snapshot.titles, messages, formulas=formulas, sheet_ids=sheet_ids
            )
            typed = typed_cells(snapshot, rendered, ownership.taken, t=words)
            if typed:  # listed in the Contrôles tab written by this very sync
                result = result.model_copy(update={"issues": (*result.issues, *typed)})
                rendered = render(
                    parsed,
                    result,
                    snapshot.titles,
                    messages,
                    formulas=formulas,
                    sheet_ids=sheet_ids,
                )
            changes = replace(
                diff(snapshot, rendered, formulas=formulas, charts=charts), adopt=ownership.adopt
            )
    written = 0
    if not (dry_run or blocked or changes.empty):
        written = backend.write(changes)
    cells = changes.cells if dry_run else written
    requests = backend.requests + (_write_requests(backend, changes) if dry_run else 0)
    report = Report(
        plan=plan,
        today=today,
        periods=result.periods,
        owners=result.owners,
        priority_order=tuple(result.priority_order),
        objectives=result.objectives,
        issues=result.issues,
        writes=Writes(requests=requests, cells=cells),
    )
    log.debug(
        "synced %s: %d issue(s), %d cell(s) %s in %d request(s)",
        backend.describe(),
        len(result.issues),
        cells,
        "to write" if dry_run else "written",
        requests,
    )
    return SyncOutcome(
        report=report,
        changes=changes,
        preview=preview(snapshot, changes) if dry_run else [],
        dry_run=dry_run,
        blocked=blocked,
        locale=parsed.locale,
    )


def report_json(report: Report) -> str:
    """The report as the JSON document of DESIGN.md §4."""
    return report.model_dump_json(indent=2) + "\n"


def _write_requests(backend: Backend, changes: ChangeSet) -> int:
    """The requests the write of `changes` would take (a dry run's count): the backend's
    own figure when it can tell (a Google write above 2 MB is split), else one."""
    if changes.empty:
        return 0
    planned = getattr(backend, "write_requests", None)
    return int(planned(changes)) if planned is not None else 1
