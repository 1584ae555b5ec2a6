"""The daemon's lifecycle: schedule every plan, reload on SIGHUP, stop gracefully.

- One APScheduler job per `[[plans]]` entry: `max_instances = 1` (a plan never syncs
  twice at once), missed runs coalesce, a misfire grace of half the interval.
- Each run is a `PlanRunner.run()` in its own daemon thread; a plan that failed backs
  off by moving its job's next run (the run after that follows the normal schedule).
- For a Google plan the job is a *poll*: Drive's changes feed (shared by every plan,
  see `changes`) tells whether the spreadsheet changed; the plan is read from Sheets
  only for an edit, a day change, the safety net (`max_interval`) or its first run.
- SIGTERM / SIGINT: stop scheduling, close the quota governor (a sync waiting for the
  budget stops before it writes), let in-flight syncs finish up to
  `[daemon] shutdown_grace` seconds, then return 0. A sync's write is one request or
  one atomic file replace, so no spreadsheet is ever left half-written. A second
  signal stops waiting at once.
- SIGHUP: reload the configuration; added plans are scheduled, removed ones dropped,
  changed ones rescheduled; an invalid file is reported and the running one kept.
"""

from __future__ import annotations

import logging
import random
import signal
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

from apscheduler.events import (
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
)
from apscheduler.executors.base import BaseExecutor, run_job
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler

from sheetpilot._backends.base import Backend
from sheetpilot._backends.google.drive import DriveClient
from sheetpilot._config import Config, PlanConfig, load_config
from sheetpilot._daemon.changes import ChangeFeed
from sheetpilot._daemon.governor import Governor, GovernorClosed
from sheetpilot._daemon.logs import log_run, run_fields
from sheetpilot._daemon.metrics import Metrics
from sheetpilot._daemon.pg import Leases, PgGovernor, PgHistory, describe_url
from sheetpilot._daemon.runner import PlanRunner, Run, tag_client
from sheetpilot._daemon.schedule import jitter_for, misfire_grace, plan_interval, plan_trigger
from sheetpilot._errors import ConfigError
from sheetpilot._history import History, HistoryStore
from sheetpilot._targets import is_local, plan_backend

log = logging.getLogger("sheetpilot.daemon")


def check_credentials_file(config: Config) -> None:
    """Refuse a credentials file that other users can read (it holds a private key)."""
    cred = config.google.credentials
    if cred is None or cred == "none":
        return
    path = Path(cred)
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # not a file here: the backend reports a missing key when it needs it
    if stat.S_ISREG(mode) and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            "the credentials file {path} can be read by other users: run `chmod 600 {path}` (and keep it owned by the user the daemon runs as)",
            path=path,
        )


# Every plan's job lives in this one in-memory job store; the executor names it in the
# events it reports (rather than reading APScheduler's private `job._jobstore_alias`).
JOBSTORE = "default"


class ThreadPerRunExecutor(BaseExecutor):  # type: ignore[misc]
    """Runs each job in its own daemon thread, so a stop never waits past its deadline.

    `_do_submit_job` is the hook APScheduler 3.x documents for custom executors
    (`BaseExecutor`); APScheduler is pinned below 4, whose executor API differs.
    """

    def _do_submit_job(self, job: Any, run_times: list[datetime]) -> None:
        def target() -> None:
            try:
                events = run_job(job, JOBSTORE, run_times, self._logger.name)
            except BaseException as exc:
                self._run_job_error(job.id, exc, exc.__traceback__)
            else:
                self._run_job_success(job.id, events)

        threading.Thread(target=target, name=f"sync:{job.id}", daemon=True).start()


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Daemon:
    """The scheduler, the governor, the history and one runner per plan."""

    def __init__(
        self,
        config_path: Path,
        env: Mapping[str, str],
        *,
        open_backend: Callable[[Config, PlanConfig], Backend] = plan_backend,
    ) -> None:
        self.config_path = config_path
        self.env = env
        self._open_backend = open_backend
        self.config = load_config(config_path, env)
        check_credentials_file(self.config)
        daemon = self.config.daemon
        self.metrics = Metrics()
        self.metrics_address: tuple[str, int] | None = None  # where /metrics is served
        self.leases: Leases | None = None
        self._syncing: set[str] = set()  # plans syncing now (never handed over mid-sync)
        self.history: HistoryStore
        if daemon.postgres:  # a fleet: history, leases and quota in PostgreSQL
            self.governor: Governor = PgGovernor(
                daemon.postgres,
                daemon.reads_per_minute,
                daemon.writes_per_minute,
                drive_per_minute=daemon.drive_requests_per_minute,
                on_grant=self.metrics.granted,
            )
            try:
                history = PgHistory(daemon.postgres, keep=daemon.history_keep)
            except ConfigError:
                self.governor.close()
                raise
            try:
                self.leases = Leases(
                    daemon.postgres,
                    [p.name for p in self.config.plans],
                    lease_time=daemon.lease_seconds,
                    holder=history.holder,
                    busy=lambda: set(self._syncing),
                )
            except ConfigError:
                self.governor.close()
                history.close()
                raise
            history.owns = self.leases.holds
            self.leases.on_change = self.metrics.leased.set
            self.history = history
        else:
            self.governor = Governor(
                daemon.reads_per_minute,
                daemon.writes_per_minute,
                drive_per_minute=daemon.drive_requests_per_minute,
                on_grant=self.metrics.granted,
            )
            try:
                self.history = History(self.config.history_path, keep=daemon.history_keep)
            except (OSError, sqlite3.Error) as exc:
                raise ConfigError(
                    "cannot open the run history {history_path}: {exc}",
                    history_path=self.config.history_path,
                    exc=exc,
                ) from None
        self.metrics.watch_governor(self.governor.wait_stats)
        self.metrics.health = self._health
        self.runners: dict[str, PlanRunner] = {}
        self.scheduler: BackgroundScheduler | None = None
        self._inflight = 0
        self._idle = threading.Condition()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._force = threading.Event()
        self._reload = threading.Event()
        self._busy: set[str] = set()  # plans whose runs were skipped while they synced
        self.drive: DriveClient | None = None
        self.feed: ChangeFeed | None = None
        self.skipped = 0  # polls that found nothing to sync (no Sheets request)
        self._once = False  # `--once`: every plan syncs, whatever changed

    def _change_detection(self) -> None:
        """Open the Drive client when a Google plan needs it (once per process)."""
        if self.drive is not None or all(is_local(p.target) for p in self.config.plans):
            return
        try:
            self.drive = DriveClient(
                self.config.google, before_request=lambda: self.governor.acquire("drive")
            )
        except Exception as exc:
            log.warning("change detection is off, every poll reads its spreadsheet: %s", exc)
            return
        tag_client(self.drive)
        self.feed = ChangeFeed(self.drive, self.history)
        self.feed.on_poll = lambda ok: self.metrics.drive_polls.labels(
            "ok" if ok else "failed"
        ).inc()

    def _health(self) -> tuple[bool, dict[str, object]]:
        """What /healthz answers: serving (200) or stopping (503), and a few facts."""
        feed = "off" if self.feed is None else ("failing" if self.feed.failing else "ok")
        running = self.scheduler is not None and self.scheduler.running
        detail: dict[str, object] = {
            "plans": len(self.config.plans),
            "leased": len(self.runners) if self.leases is None else len(self.leases.held),
            "drive_feed": feed,
        }
        return running and not self._stop.is_set(), detail

    # --- one run ------------------------------------------------------------------------
    def _runner(self, plan: PlanConfig) -> PlanRunner:
        return PlanRunner(
            self.config,
            plan,
            governor=self.governor,
            history=self.history,
            open_backend=self._open_backend,
            once=self._once,
            drive=self.drive,
        )

    @contextmanager
    def _in_flight(self) -> Iterator[None]:
        with self._idle:
            self._inflight += 1
        try:
            yield
        finally:
            with self._idle:
                self._inflight -= 1
                self._idle.notify_all()

    @contextmanager
    def _syncing_plan(self, name: str) -> Iterator[None]:
        self._syncing.add(name)
        try:
            yield
        finally:
            self._syncing.discard(name)

    def run_plan(self, name: str) -> Run | None:
        """Run one plan now; None if it is no longer configured or the daemon is stopping."""
        runner = self.runners.get(name)
        if runner is None or self._stop.is_set():
            return None
        if self.leases is not None and not self.leases.holds(name):
            return None  # another member of the fleet syncs this plan
        with self._in_flight(), self._syncing_plan(name):
            try:
                if runner.watched and self.feed is not None:
                    self.feed.refresh(jitter_for(plan_interval(runner.plan)))
                reason = "once" if self._once else runner.due()
                if reason is None:  # nothing changed: no Sheets request
                    self.skipped += 1
                    self.metrics.skipped.inc()
                    self._busy.discard(name)
                    return None
                run = runner.run(reason)
                self.metrics.syncs.labels(run.record.outcome, reason).inc()
                self.metrics.duration.observe(run.record.duration)
            except GovernorClosed:
                log.info("plan %s: stopped before writing (the daemon is shutting down)", name)
                return None
            self._busy.discard(name)
            next_run = (
                self._back_off(runner, run.record.started)
                if runner.failures > 1  # the first failure keeps the normal schedule
                else self._next_run(name)
            )
            usage = self.governor.usage()
            try:
                self.history.set_budget(usage)
            except Exception:  # the history closed under us at the shutdown deadline
                log.debug("could not record the budget use", exc_info=True)
            fields = run_fields(run.record, usage, failures=runner.failures, next_run=next_run)
            log_run(log, fields)
            return run

    def _next_run(self, name: str) -> datetime | None:
        job = self.scheduler.get_job(name) if self.scheduler else None
        return job.next_run_time if job is not None else None

    def _back_off(self, runner: PlanRunner, started: datetime) -> datetime | None:
        """Move the plan's next run to its backoff delay after the failed run's start;
        return the next run."""
        name = runner.plan.name
        job = self.scheduler.get_job(name) if self.scheduler else None
        if job is None or job.next_run_time is None:
            return None
        not_before = started + timedelta(seconds=runner.retry_delay)
        if job.next_run_time >= not_before:
            return job.next_run_time  # type: ignore[no-any-return]
        when = job.trigger.get_next_fire_time(None, not_before)
        try:
            self.scheduler.modify_job(name, next_run_time=when)  # type: ignore[union-attr]
        except JobLookupError:
            return None
        self.history.set_next_run(name, when)
        return when  # type: ignore[no-any-return]

    # --- scheduling ---------------------------------------------------------------------
    def _schedule(self, plan: PlanConfig) -> None:
        assert self.scheduler is not None
        interval = plan_interval(plan)
        first: dict[str, datetime] = {}
        if plan.cron is None:  # interval plans sync once at start, spread by the jitter
            first["next_run_time"] = _utcnow() + timedelta(
                seconds=random.uniform(0, jitter_for(interval))
            )
        job = self.scheduler.add_job(
            self.run_plan,
            trigger=plan_trigger(self.config, plan),
            args=[plan.name],
            id=plan.name,
            name=plan.name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=misfire_grace(interval),
            replace_existing=True,
            jobstore=JOBSTORE,
            **first,
        )
        self.history.set_next_run(plan.name, job.next_run_time)

    def _on_job_event(self, event: JobEvent) -> None:
        """Keep each plan's next run in the history up to date for `status`; say once
        when a plan's run is skipped because its previous sync is still going."""
        if event.code == EVENT_JOB_MAX_INSTANCES and event.job_id not in self._busy:
            self._busy.add(event.job_id)
            log.info("plan %s: still syncing, skipping its next run(s)", event.job_id)
        elif event.code == EVENT_JOB_MISSED:
            log.info("plan %s: a run was missed (the machine was busy or asleep)", event.job_id)
        try:
            self.history.set_next_run(event.job_id, self._next_run(event.job_id))
        except Exception:
            log.debug("could not record the next run of %s", event.job_id, exc_info=True)

    def start(self) -> None:
        """Schedule every plan and start the scheduler (runs happen in background threads)."""
        self.scheduler = BackgroundScheduler(
            executors={"default": ThreadPerRunExecutor()},
            timezone=self.config.daemon.timezone,
        )
        self.scheduler.add_listener(
            self._on_job_event, EVENT_JOB_SUBMITTED | EVENT_JOB_MAX_INSTANCES | EVENT_JOB_MISSED
        )
        self.scheduler.start(paused=True)
        self._change_detection()
        for plan in self.config.plans:
            self.runners[plan.name] = self._runner(plan)
            self._schedule(plan)
        if self.leases is not None:
            self.leases.start()
        self.scheduler.resume()
        if self.leases is None:
            self.metrics.leased.set(len(self.runners))
        if self.config.daemon.listen:
            try:
                self.metrics_address = self.metrics.serve(self.config.daemon.listen)
            except OSError as exc:
                self.stop()
                raise ConfigError(
                    f"cannot serve metrics on {self.config.daemon.listen} ([daemon] listen): "
                    f"{exc.strerror or exc}"
                ) from None
            log.info("metrics on http://%s:%d/metrics", *self.metrics_address)
        log.info(
            "daemon started: %d plan(s), budget %d reads and %d writes per minute, history %s",
            len(self.config.plans),
            self.config.daemon.reads_per_minute,
            self.config.daemon.writes_per_minute,
            (
                f"{describe_url(self.config.daemon.postgres)} (a fleet, member {self.leases.holder})"
                if self.config.daemon.postgres and self.leases is not None
                else self.config.history_path
            ),
        )
        for runner in self.runners.values():
            if runner.failures:
                log.info(
                    "plan %s: %d failure(s) in a row recorded before this start",
                    runner.plan.name,
                    runner.failures,
                )

    def reload(self) -> None:
        """Re-read the configuration: schedule added plans, drop removed, redo changed ones."""
        try:
            new = load_config(self.config_path, self.env)
            check_credentials_file(new)
        except ConfigError as exc:
            log.error("reload failed, keeping the running configuration: %s", exc)
            return
        old = self.config
        if new.history_path != old.history_path:
            log.warning("the history path changes only when the daemon restarts")
        self.governor.set_budget(
            new.daemon.reads_per_minute,
            new.daemon.writes_per_minute,
            new.daemon.drive_requests_per_minute,
        )
        everything = new.google != old.google or new.daemon.timezone != old.daemon.timezone
        before = {p.name: p for p in old.plans}
        after = {p.name: p for p in new.plans}
        self.config = new
        if new.google != old.google:
            self.drive = self.feed = None
        self._change_detection()
        added = [n for n in after if n not in before]
        removed = [n for n in before if n not in after]
        changed = [n for n in after if n in before and (everything or after[n] != before[n])]
        for name in removed:
            self.runners.pop(name, None)
            if self.scheduler is not None:
                with suppress(JobLookupError):
                    self.scheduler.remove_job(name)
            self.history.set_next_run(name, None)
        for name in after:
            if name in added or name in changed:
                self.runners[name] = self._runner(after[name])
                self._schedule(after[name])
            else:
                self.runners[name].config = new
        if self.leases is None:
            self.metrics.leased.set(len(self.runners))
        else:
            self.leases.plans = [p.name for p in new.plans]
        log.info(
            "configuration reloaded: %d added, %d removed, %d changed, %d plan(s) in all",
            len(added),
            len(removed),
            len(changed),
            len(after),
        )

    def stop(self) -> None:
        """Stop scheduling, let in-flight syncs finish up to the grace deadline."""
        self._stop.set()
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.pause()
        self.governor.close()
        grace = self.config.daemon.shutdown_grace
        deadline = time.monotonic() + grace
        with self._idle:
            if self._inflight:
                log.info("stopping: waiting up to %gs for %d sync(s)", grace, self._inflight)
            while self._inflight and not self._force.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._idle.wait(timeout=min(left, 0.2))
            pending = self._inflight
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self.leases is not None:  # hand the plans to the other members at once
            self.leases.release_all()
        self.metrics.close()
        if pending:
            log.warning("stopped with %d sync(s) still in flight (not written)", pending)
        else:
            with suppress(Exception):  # status shows the budget use as the daemon left it
                self.history.set_budget(self.governor.usage())
            self.history.unschedule_all()
            self.history.close()
        log.info("daemon stopped")

    # --- entry points -------------------------------------------------------------------
    def run_once(self) -> int:
        """Run every plan once, one after the other; the worst exit code of the runs.

        In a fleet, only the plans whose leases this process gets (all of them when no
        other member runs), so that `--once` never syncs a plan a running member syncs."""
        self._once = True
        for plan in self.config.plans:
            self.runners[plan.name] = self._runner(plan)
        if self.leases is not None:
            held = self.leases.refresh()
            others = len(self.config.plans) - len(held)
            if others:
                log.info("%d plan(s) are leased to other members of the fleet: skipped", others)
        worst = 0
        try:
            for plan in self.config.plans:
                if self._stop.is_set():
                    break
                run = self.run_plan(plan.name)
                if run is not None:
                    worst = max(worst, run.exit_code)
        finally:
            if self.leases is not None:
                self.leases.release_all()
        self.governor.close()
        self.history.unschedule_all()
        self.history.close()
        return worst

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if signum == signal.SIGHUP:
            self._reload.set()
        elif self._stop.is_set():
            self._force.set()
        else:
            log.info("received %s: stopping", signal.Signals(signum).name)
            self._stop.set()
        self._wake.set()

    def serve(self) -> int:
        """Run until SIGTERM or SIGINT (SIGHUP reloads); returns 0 after a clean stop."""
        self.start()
        while not self._stop.is_set():
            self._wake.wait(timeout=1.0)
            self._wake.clear()
            if self._reload.is_set() and not self._stop.is_set():
                self._reload.clear()
                self.reload()
        self.stop()
        return 0

    @contextmanager
    def signals(self, *, once: bool = False) -> Iterator[None]:
        """Install the daemon's signal handlers for the duration (main thread only)."""
        wanted = [signal.SIGTERM, signal.SIGINT] + ([] if once else [signal.SIGHUP])
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous: list[tuple[signal.Signals, Callable[[int, FrameType | None], Any] | int | None]]
        previous = [(sig, signal.signal(sig, self._on_signal)) for sig in wanted]
        try:
            yield
        finally:
            for sig, handler in previous:
                signal.signal(sig, handler if handler is not None else signal.SIG_DFL)


def run_daemon(
    config_path: Path,
    *,
    once: bool = False,
    log_format: str = "text",
    env: Mapping[str, str],
) -> int:
    """`sheetpilot daemon`: serve until stopped (or run every plan once); the exit code.

    Exit codes: 0 after a clean stop (or, with `once`, every plan synced cleanly); with
    `once`, 1 when a plan has errors and 3 when one failed (2 for a configuration fault);
    2 when the daemon cannot start (bad configuration, unsafe credentials file).
    An unknown `log_format` raises `ConfigError`.
    """
    from sheetpilot._daemon.logs import LOG_FORMATS, setup_logging, teardown_logging

    if log_format not in LOG_FORMATS:
        raise ConfigError(
            "unknown log format {log_format!r}: use text or json", log_format=log_format
        )
    handler = setup_logging(log_format)
    try:
        try:
            daemon = Daemon(config_path, env)
        except ConfigError as exc:
            log.error("cannot start: %s", exc)
            return ConfigError.exit_code
        with daemon.signals(once=once):
            try:
                return daemon.run_once() if once else daemon.serve()
            except ConfigError as exc:  # e.g. [daemon] listen on an address in use
                log.error("cannot start: %s", exc)
                return ConfigError.exit_code
    finally:
        teardown_logging(handler)
