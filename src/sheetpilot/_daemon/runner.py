"""One plan's job: open its backend, sync it, record the run, count failures for backoff.

A run never raises (except `GovernorClosed` at shutdown, before anything was written):
every error becomes a `failed` run in the history with a message that says what to do,
so one broken plan never stops the others.

A Google plan's run first asks change detection (`changes.why_sync`) whether it must be
read at all: `due()` gives the reason or None (no Sheets request). Around a sync it asks
Drive for the spreadsheet's version (before the read, and after our own write), so the
history knows which version the sync covered and our write never triggers another.

    outcome  ok      synced, no error issue
             errors  synced (or stopped before writing by a missing tab or column)
                     with error issues in the plan
             failed  an exception: the spreadsheet or the configuration is at fault
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sheetpilot._backends.base import Backend
from sheetpilot._backends.google.drive import DriveClient, FileChange
from sheetpilot._backends.google.target import spreadsheet_key
from sheetpilot._config import Config, PlanConfig
from sheetpilot._daemon.changes import why_sync
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
from sheetpilot._history import HistoryStore, Outcome, Reason, RunRecord
from sheetpilot._i18n import N_, Translator
from sheetpilot._locales import translator
from sheetpilot._models import Report
from sheetpilot._parse.issues import where
from sheetpilot._sync import run_sync
from sheetpilot._targets import is_local, plan_backend

log = logging.getLogger("sheetpilot.daemon")

BACKOFF_CAP = 3600.0  # seconds: a failing plan is retried at least once an hour
# Which process of a fleet sent a request (Google's logs, the stand-in's log).
USER_AGENT = f"sheetpilot-daemon ({socket.gethostname()}:{os.getpid()})"


def tag_client(client: object) -> None:
    """Send the daemon's User-Agent from `client` (a backend or Drive client with `http`)."""
    session = getattr(getattr(client, "http", None), "session", None)
    headers = getattr(session, "headers", None)
    if headers is not None:
        headers["User-Agent"] = USER_AGENT


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
        N_(
            "check the plan's `path` or `spreadsheet` in the configuration; a Google "
            "spreadsheet must also be shared with the service account"
        ),
    ),
    (WorkbookReadOnly, "the daemon syncs it again once it is writable"),
    (
        PermissionDenied,
        N_("share the spreadsheet with the service account's e-mail address as an editor"),
    ),
    (
        WorkbookUnavailable,
        N_("close the workbook in Excel or LibreOffice, or check that it is an .xlsx file"),
    ),
    (TransientError, N_("sheetpilot retries by itself, backing off")),
    (
        ConfigError,
        N_("fix the configuration, then reload the daemon (systemctl reload / SIGHUP)"),
    ),
)


# A local workbook has no sharing, and `daemon --once` has nothing to reload.
_LOCAL_HINTS: tuple[tuple[type[SheetpilotError], str], ...] = (
    (SpreadsheetNotFound, N_("check the plan's `path` in the configuration")),
    (PermissionDenied, N_("check that this account may read and write the file")),
)
_ONCE_HINTS: tuple[tuple[type[SheetpilotError], str], ...] = (
    (ConfigError, N_("fix the configuration, then run the command again")),
)


def failure_message(
    exc: BaseException, *, local: bool = False, once: bool = False, t: Translator | None = None
) -> str:
    """The error's message followed by what to do about it, in the language of `t`.

    `local`: the plan is a local workbook (no Google sharing advice); `once`: a single
    run (`daemon --once`), not a daemon that can be reloaded.

    >>> failure_message(PermissionDenied("no write access to KEY"))
    "no write access to KEY — share the spreadsheet with the service account's e-mail address as an editor"
    >>> failure_message(SpreadsheetNotFound("no workbook at plan.xlsx"), local=True)
    "no workbook at plan.xlsx — check the plan's `path` in the configuration"
    """
    t = t or translator("en")
    text = (exc.text(t) if isinstance(exc, SheetpilotError) else str(exc)) or type(exc).__name__
    hints = (_LOCAL_HINTS if local else ()) + (_ONCE_HINTS if once else ()) + _HINTS
    for kind, hint in hints:
        if isinstance(exc, kind):
            return f"{text} — {t(hint)}"
    if isinstance(exc, SheetpilotError):
        return text
    return f"internal error ({type(exc).__name__}: {text}); please report it"


def _report_message(report: Report, blocked: bool, t: Translator | None = None) -> str:
    """The run's message for `status`, in the plan's language (`t`), like its issues."""
    t = t or translator("en")
    errors = [i for i in report.issues if i.severity == "error"]
    warnings = len(report.issues) - len(errors)
    if errors:
        first = errors[0]
        more = (
            t.plural(" (and {n} more error)", " (and {n} more errors)", len(errors) - 1)
            if len(errors) > 1
            else ""
        )
        stop = t("nothing written: ") if blocked else ""
        cell = where(first.sheet, first.cell)
        said = first.message if first.message.startswith(cell) else f"{cell}: {first.message}"
        return f"{stop}{said}{more}"  # the cell named once, whether the message names it
    return t.plural("{n} warning", "{n} warnings", warnings) if warnings else ""


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
        history: HistoryStore | None = None,
        clock: Callable[[], datetime] = _utcnow,
        open_backend: Callable[[Config, PlanConfig], Backend] = plan_backend,
        once: bool = False,
        drive: DriveClient | None = None,
    ) -> None:
        self.once = once  # a single run (`daemon --once`): hints say nothing of reloading
        self.config = config
        self.plan = plan
        self.governor = governor
        self.history = history
        self._clock = clock
        self._open_backend = open_backend
        self.drive = drive  # None: no change detection (local workbooks, `--once`)
        self.failures = history.failures_in_a_row(plan.name) if history else 0
        self._drive_calls = 0  # files.get calls of the current run (the feed's are shared)

    @property
    def watched(self) -> bool:
        """Whether change detection decides when this plan is read (a Google plan)."""
        return self.drive is not None and not is_local(self.plan.target)

    @property
    def key(self) -> str:
        return spreadsheet_key(self.plan.target)

    def due(self) -> Reason | None:
        """Why the plan must sync now (None: nothing changed, no Sheets request)."""
        if not self.watched:
            return "schedule"
        now = self._clock()
        today = now.astimezone(plan_timezone(self.config, self.plan)).date()
        watch = self.history.watch(self.plan.name) if self.history else None
        return why_sync(
            watch,
            self.key,
            today=today,
            now=now,
            max_interval=self.config.daemon.max_interval_seconds,
        )

    def _version(self) -> FileChange | None:
        """The spreadsheet's Drive version now (None when Drive cannot tell)."""
        if self.drive is None:
            return None
        self._drive_calls += 1
        try:
            return self.drive.file_version(self.key)
        except GovernorClosed:
            raise
        except Exception as exc:
            log.info("plan %s: Drive cannot tell the version (%s)", self.plan.name, exc)
            return None

    @property
    def retry_delay(self) -> float:
        """How long to wait before the next try, given the failures in a row."""
        return backoff_delay(self.failures, plan_interval(self.plan))

    def run(self, reason: Reason = "once") -> Run:
        """Sync the plan once, record the run; never raises but `GovernorClosed`."""
        started = self._clock()
        watched = self.watched
        self._drive_calls = 0
        before = self._version() if watched else None
        t0 = time.monotonic()
        today = started.astimezone(plan_timezone(self.config, self.plan)).date()
        backend: Backend | None = None
        budget = Budget(self.governor)
        outcome: Outcome
        requests = cells = errors = warnings = 0
        try:
            backend = self._open_backend(self.config, self.plan)
            tag_client(backend)
            if not is_local(self.plan.target):  # only Google requests count against the quota
                backend = governed(backend, budget)
            result = run_sync(
                backend,
                plan=self.plan.name,
                today=today,
                locale=self.plan.locale,
                adopt=self.plan.adopt,
            )
        except GovernorClosed:
            raise
        except PlanError as exc:  # read, but a tab or column is missing: nothing written
            said = translator(self.plan.locale or "en")
            outcome, message, code = "errors", exc.text(said), exc.exit_code
            if watched and self.history is not None:  # reading again helps only after an edit
                self._covered(before, wrote=False, when=started, today=today, reason=reason)
        except Exception as exc:
            if not isinstance(exc, SheetpilotError):
                log.exception("plan %s: unexpected error", self.plan.name)
            local = is_local(self.plan.target)
            said = translator(self.plan.locale or "en")  # the plan is not read: its config's
            message = failure_message(exc, local=local, once=self.once, t=said)
            outcome = "failed"
            code = exc.exit_code if isinstance(exc, SheetpilotError) else BackendError.exit_code
        else:
            report = result.report
            requests, cells = report.writes.requests, report.writes.cells
            errors = sum(1 for i in report.issues if i.severity == "error")
            warnings = len(report.issues) - errors
            bad = result.blocked or report.has_errors
            outcome, code = ("errors", 1) if bad else ("ok", 0)
            message = _report_message(report, result.blocked, translator(result.locale))
            if watched and self.history is not None:
                self._covered(
                    before,
                    wrote=_wrote(report),
                    when=started,
                    today=today,
                    reason=reason,
                )
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
            reason=reason,
            drive_requests=self._drive_calls,
        )
        if self.history is not None:
            self.history.record(record)
        return Run(record=record, exit_code=code)

    def _covered(
        self,
        before: FileChange | None,
        *,
        wrote: bool,
        when: datetime,
        today: date,
        reason: Reason,
    ) -> None:
        """Record which Drive version this sync covered.

        Without a write, the version seen before the read. After our write, the version
        right after it, when Drive says we made the last change; if someone else changed
        the file since, the version before, so that their change triggers a sync.
        """
        version = before.version if before is not None else None
        if wrote:
            after = self._version()
            if after is not None and after.me:
                version = after.version
        assert self.history is not None
        self.history.record_sync(
            self.plan.name, self.key, version=version, day=today, when=when, reason=reason
        )


def _wrote(report: Report) -> bool:
    """Whether the sync wrote (cells, or more requests than its one read: a resize, or a
    retry, when one files.get more is the safe side)."""
    return report.writes.cells > 0 or report.writes.requests > 1


def _safe_requests(backend: Backend) -> int:
    try:
        return int(backend.requests)
    except Exception:
        return 0
