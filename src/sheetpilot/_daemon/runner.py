"""One plan's job: open its backend, sync it, record the run, count failures for backoff.

A run never raises (except `GovernorClosed` at shutdown, before anything was written):
every error becomes a `failed` run in the history with a message that says what to do,
so one broken plan never stops the others.

    outcome  ok      synced, no error issue
             errors  synced (or stopped before writing by a missing tab or column)
                     with error issues in the plan
             failed  an exception: the spreadsheet or the configuration is at fault
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sheetpilot._backends.base import Backend
from sheetpilot._config import Config, PlanConfig
from sheetpilot._daemon.governor import Budget, Governor, GovernorClosed, governed
from sheetpilot._daemon.schedule import plan_interval, plan_timezone
from sheetpilot._errors import (
    BackendError,
    ConfigError,
    PermissionDenied,
    PlanError,
    SheetpilotError,
    SpreadsheetNotFound,
    TransientError,
    WorkbookReadOnly,
    WorkbookUnavailable,
)
from sheetpilot._history import History, Outcome, RunRecord
from sheetpilot._models import Report
from sheetpilot._sync import run_sync
from sheetpilot._targets import is_local, plan_backend

log = logging.getLogger("sheetpilot.daemon")

BACKOFF_CAP = 3600.0  # seconds: a failing plan is retried at least once an hour


def backoff_delay(failures: int, interval: float, *, cap: float = BACKOFF_CAP) -> float:
    """Seconds a plan waits after `failures` failed runs in a row (0: no failure).

    The first failure keeps the normal schedule, then the wait doubles up to `cap`
    (never below the plan's own interval).

    >>> [backoff_delay(n, 60) for n in range(6)]
    [0.0, 60.0, 120.0, 240.0, 480.0, 960.0]
    >>> backoff_delay(30, 60), backoff_delay(3, 7200)
    (3600.0, 7200.0)
    """
    if failures <= 0:
        return 0.0
    return float(min(interval * 2 ** min(failures - 1, 32), max(cap, interval)))


_HINTS: tuple[tuple[type[SheetpilotError], str], ...] = (
    (
        SpreadsheetNotFound,
        "check the plan's `path` or `spreadsheet` in the configuration; a Google "
        "spreadsheet must also be shared with the service account",
    ),
    (WorkbookReadOnly, "the daemon syncs it again once it is writable"),
    (
        PermissionDenied,
        "share the spreadsheet with the service account's e-mail address as an editor",
    ),
    (
        WorkbookUnavailable,
        "close the workbook in Excel or LibreOffice, or check that it is an .xlsx file",
    ),
    (TransientError, "sheetpilot retries by itself, backing off"),
    (ConfigError, "fix the configuration, then reload the daemon (systemctl reload / SIGHUP)"),
)


def failure_message(exc: BaseException) -> str:
    """The error's message followed by what to do about it.

    >>> failure_message(PermissionDenied("no write access to KEY"))
    "no write access to KEY — share the spreadsheet with the service account's e-mail address as an editor"
    """
    text = str(exc) or type(exc).__name__
    for kind, hint in _HINTS:
        if isinstance(exc, kind):
            return f"{text} — {hint}"
    if isinstance(exc, SheetpilotError):
        return text
    return f"internal error ({type(exc).__name__}: {text}); please report it"


def _report_message(report: Report, blocked: bool) -> str:
    errors = [i for i in report.issues if i.severity == "error"]
    warnings = len(report.issues) - len(errors)
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more error(s))" if len(errors) > 1 else ""
        stop = "nothing written: " if blocked else ""
        return f"{stop}{first.sheet}!{first.cell}: {first.message}{more}"
    return f"{warnings} warning(s)" if warnings else ""


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Run:
    """A finished run and the exit code it stands for (0 ok, 1 errors, 2 config, 3 backend)."""

    record: RunRecord
    exit_code: int


class PlanRunner:
    """Runs one plan's syncs and remembers its failures in a row (seeded from the history)."""

    def __init__(
        self,
        config: Config,
        plan: PlanConfig,
        *,
        governor: Governor,
        history: History | None = None,
        clock: Callable[[], datetime] = _utcnow,
        open_backend: Callable[[Config, PlanConfig], Backend] = plan_backend,
    ) -> None:
        self.config = config
        self.plan = plan
        self.governor = governor
        self.history = history
        self._clock = clock
        self._open_backend = open_backend
        self.failures = history.failures_in_a_row(plan.name) if history else 0

    @property
    def retry_delay(self) -> float:
        """How long to wait before the next try, given the failures in a row."""
        return backoff_delay(self.failures, plan_interval(self.plan))

    def run(self) -> Run:
        """Sync the plan once, record the run; never raises but `GovernorClosed`."""
        started = self._clock()
        t0 = time.monotonic()
        today = started.astimezone(plan_timezone(self.config, self.plan)).date()
        backend: Backend | None = None
        budget = Budget(self.governor)
        outcome: Outcome
        requests = cells = errors = warnings = 0
        try:
            backend = self._open_backend(self.config, self.plan)
            if not is_local(self.plan.target):  # only Google requests count against the quota
                backend = governed(backend, budget)
            result = run_sync(backend, plan=self.plan.name, today=today, locale=self.plan.locale)
        except GovernorClosed:
            raise
        except PlanError as exc:
            outcome, message, code = "errors", str(exc), exc.exit_code
        except Exception as exc:
            if not isinstance(exc, SheetpilotError):
                log.exception("plan %s: unexpected error", self.plan.name)
            outcome, message = "failed", failure_message(exc)
            code = exc.exit_code if isinstance(exc, SheetpilotError) else BackendError.exit_code
        else:
            report = result.report
            requests, cells = report.writes.requests, report.writes.cells
            errors = sum(1 for i in report.issues if i.severity == "error")
            warnings = len(report.issues) - errors
            bad = result.blocked or report.has_errors
            outcome, code = ("errors", 1) if bad else ("ok", 0)
            message = _report_message(report, result.blocked)
        if outcome != "ok" and requests == 0 and backend is not None:
            requests = _safe_requests(backend)
        self.failures = self.failures + 1 if outcome == "failed" else 0
        record = RunRecord(
            plan=self.plan.name,
            started=started,
            duration=time.monotonic() - t0,
            outcome=outcome,
            requests=requests,
            cells=cells,
            errors=errors,
            warnings=warnings,
            waited=budget.waited,
            message=message,
        )
        if self.history is not None:
            self.history.record(record)
        return Run(record=record, exit_code=code)


def _safe_requests(backend: Backend) -> int:
    try:
        return int(backend.requests)
    except Exception:
        return 0
