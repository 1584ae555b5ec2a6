"""The daemon's run history: a small SQLite file the daemon writes and `status` reads.

Three tables:

- `runs`: one row per sync (plan, start, duration, outcome, requests, cells written,
  issues by severity, seconds spent waiting for the quota budget, message); at most
  `keep` rows per plan are kept, the oldest are pruned as new ones arrive.
- `plans`: one row per plan the daemon knows: total runs, failures in a row, the last
  outcome and message, and the next scheduled run (what `status` shows).
- `budget`: the quota governor's use over the last minute, refreshed after every run.
- `watch`: change detection per plan: the Drive version of its spreadsheet that the last
  sync covered (`synced_version`, our own write included), the newest version Drive
  reported (`seen_version`), when someone else last changed it (`last_change`), the last
  sync, its day in the plan's time zone and why it synced (`reason`).
- `drive_feed`: the page token of Drive's changes feed (one per history).

Times are stored as ISO 8601 strings in UTC. The writer (`History`) is thread-safe; the
reader (`read_states`) opens the file read-only and never creates it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from sheetpilot._errors import ConfigError

Outcome = Literal["ok", "errors", "failed"]
# Why a run synced: someone edited the spreadsheet, the plan's day changed, the safety
# net (max_interval) ran out, the plan was never synced, a local workbook's schedule, or
# `daemon --once`.
Reason = Literal["edit", "day-change", "safety-net", "first-run", "schedule", "once"]

SCHEMA_VERSION = 2
_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan TEXT NOT NULL,
    started TEXT NOT NULL,
    duration REAL NOT NULL,
    outcome TEXT NOT NULL,
    requests INTEGER NOT NULL DEFAULT 0,
    cells INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    waited REAL NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS runs_by_plan ON runs (plan, id);
CREATE TABLE IF NOT EXISTS plans (
    plan TEXT PRIMARY KEY,
    runs INTEGER NOT NULL DEFAULT 0,
    failures_in_a_row INTEGER NOT NULL DEFAULT 0,
    last_run TEXT,
    last_outcome TEXT,
    last_message TEXT NOT NULL DEFAULT '',
    next_run TEXT
);
CREATE TABLE IF NOT EXISTS budget (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    updated TEXT NOT NULL,
    reads INTEGER NOT NULL,
    reads_per_minute INTEGER NOT NULL,
    writes INTEGER NOT NULL,
    writes_per_minute INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS watch (
    plan TEXT PRIMARY KEY,
    spreadsheet TEXT NOT NULL,
    synced_version INTEGER,
    seen_version INTEGER,
    last_change TEXT,
    last_sync TEXT,
    synced_day TEXT,
    reason TEXT
);
CREATE INDEX IF NOT EXISTS watch_by_spreadsheet ON watch (spreadsheet);
CREATE TABLE IF NOT EXISTS drive_feed (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    token TEXT NOT NULL,
    updated TEXT NOT NULL
);
"""
# Columns added after version 1: (table, column, definition), added to older files.
_ADDED_COLUMNS = (
    ("runs", "reason", "TEXT NOT NULL DEFAULT ''"),
    ("runs", "drive_requests", "INTEGER NOT NULL DEFAULT 0"),
    ("budget", "drive", "INTEGER NOT NULL DEFAULT 0"),
    ("budget", "drive_per_minute", "INTEGER NOT NULL DEFAULT 0"),
)


def _iso(when: datetime | None) -> str | None:
    return None if when is None else when.astimezone(UTC).isoformat(timespec="milliseconds")


def _when(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


@dataclass(frozen=True)
class RunRecord:
    """One sync of one plan, as the history keeps it."""

    plan: str
    started: datetime  # timezone-aware
    duration: float  # seconds
    outcome: Outcome
    requests: int = 0
    cells: int = 0
    errors: int = 0
    warnings: int = 0
    waited: float = 0.0  # seconds spent waiting for the quota budget
    message: str = ""
    reason: str = ""  # why it synced (a `Reason`); "" in histories from before
    drive_requests: int = 0  # Drive metadata requests (change detection) of this run


@dataclass(frozen=True)
class Watch:
    """Change detection's view of one plan (the `watch` table)."""

    plan: str
    spreadsheet: str
    synced_version: int | None = None
    seen_version: int | None = None
    last_change: datetime | None = None
    last_sync: datetime | None = None
    synced_day: date | None = None
    reason: str = ""


@dataclass(frozen=True)
class PlanState:
    """What the history knows about one plan (what `status` prints)."""

    plan: str
    runs: int = 0
    failures_in_a_row: int = 0
    last_run: datetime | None = None
    last_outcome: Outcome | None = None
    last_message: str = ""
    next_run: datetime | None = None
    last_change: datetime | None = None  # someone else's last change Drive reported
    last_sync: datetime | None = None  # the last sync that read the spreadsheet
    reason: str = ""  # why that sync happened


@dataclass(frozen=True)
class BudgetUse:
    """Requests made in the last minute against the per-minute budget."""

    reads: int
    reads_per_minute: int
    writes: int
    writes_per_minute: int
    updated: datetime | None = None
    drive: int = 0  # Drive metadata requests (change detection), a budget of its own
    drive_per_minute: int = 0  # 0: not known (a history from before)

    def describe(self) -> str:
        """A short line for logs and `status`.

        >>> BudgetUse(12, 60, 3, 60).describe()
        'reads 12/60, writes 3/60 per minute'
        >>> BudgetUse(12, 60, 3, 60, drive=7, drive_per_minute=1000).describe()
        'reads 12/60, writes 3/60, Drive 7/1000 per minute'
        """
        drive = f", Drive {self.drive}/{self.drive_per_minute}" if self.drive_per_minute else ""
        return (
            f"reads {self.reads}/{self.reads_per_minute}, "
            f"writes {self.writes}/{self.writes_per_minute}{drive} per minute"
        )


class HistoryStore(Protocol):
    """What the daemon writes and reads back: `History` (SQLite, one process) or the
    PostgreSQL store of a fleet (`sheetpilot._daemon.pg.PgHistory`)."""

    def close(self) -> None: ...
    def record(self, run: RunRecord) -> None: ...
    def set_next_run(self, plan: str, when: datetime | None) -> None: ...
    def unschedule_all(self) -> None: ...
    def set_budget(self, use: BudgetUse) -> None: ...
    def failures_in_a_row(self, plan: str) -> int: ...
    def runs(self, plan: str, *, limit: int = 100) -> list[RunRecord]: ...
    def watch(self, plan: str) -> Watch | None: ...
    def record_sync(
        self,
        plan: str,
        spreadsheet: str,
        *,
        version: int | None,
        day: date,
        when: datetime,
        reason: str,
    ) -> None: ...
    def saw_changes(
        self, changes: Iterable[tuple[str, int | None, bool, datetime | None]], token: str
    ) -> None: ...
    def forget_syncs(self) -> None: ...
    def set_feed_token(self, token: str) -> None: ...
    def feed_token(self) -> str | None: ...


class History:
    """The writer side of the run history (the daemon holds one for its lifetime)."""

    def __init__(self, path: Path, *, keep: int = 1000) -> None:
        self.path = path
        self.keep = keep
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, timeout=10.0, check_same_thread=False)
        with self._lock, self._db:
            self._db.executescript(_SCHEMA)
            for table, column, definition in _ADDED_COLUMNS:
                have = {r[1] for r in self._db.execute(f"PRAGMA table_info({table})")}
                if column not in have:
                    self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(self, run: RunRecord) -> None:
        """Store a run, update the plan's state, prune runs beyond `keep` for that plan."""
        failed = run.outcome == "failed"
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO runs (plan, started, duration, outcome, requests, cells,"
                " errors, warnings, waited, message, reason, drive_requests)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run.plan,
                    _iso(run.started),
                    run.duration,
                    run.outcome,
                    run.requests,
                    run.cells,
                    run.errors,
                    run.warnings,
                    run.waited,
                    run.message,
                    run.reason,
                    run.drive_requests,
                ),
            )
            self._db.execute(
                "INSERT INTO plans (plan, runs, failures_in_a_row, last_run, last_outcome,"
                " last_message) VALUES (?, 1, ?, ?, ?, ?)"
                " ON CONFLICT (plan) DO UPDATE SET runs = runs + 1,"
                " failures_in_a_row = CASE WHEN ? THEN failures_in_a_row + 1 ELSE 0 END,"
                " last_run = excluded.last_run, last_outcome = excluded.last_outcome,"
                " last_message = excluded.last_message",
                (run.plan, int(failed), _iso(run.started), run.outcome, run.message, failed),
            )
            self._db.execute(
                "DELETE FROM runs WHERE plan = ? AND id NOT IN"
                " (SELECT id FROM runs WHERE plan = ? ORDER BY id DESC LIMIT ?)",
                (run.plan, run.plan, self.keep),
            )

    def set_next_run(self, plan: str, when: datetime | None) -> None:
        """Remember when the plan runs next (None: not scheduled)."""
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO plans (plan, next_run) VALUES (?, ?)"
                " ON CONFLICT (plan) DO UPDATE SET next_run = excluded.next_run",
                (plan, _iso(when)),
            )

    def unschedule_all(self) -> None:
        """Clear every plan's next run (the daemon stopped)."""
        with self._lock, self._db:
            self._db.execute("UPDATE plans SET next_run = NULL")

    def set_budget(self, use: BudgetUse) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO budget (id, updated, reads, reads_per_minute, writes,"
                " writes_per_minute, drive, drive_per_minute) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _iso(use.updated or datetime.now(UTC)),
                    use.reads,
                    use.reads_per_minute,
                    use.writes,
                    use.writes_per_minute,
                    use.drive,
                    use.drive_per_minute,
                ),
            )

    # --- change detection ---------------------------------------------------------------
    def watch(self, plan: str) -> Watch | None:
        """What change detection knows of `plan` (None: never synced)."""
        with self._lock:
            row = self._db.execute(_WATCH_SELECT + " WHERE plan = ?", (plan,)).fetchone()
        return _watch(row) if row else None

    def record_sync(
        self,
        plan: str,
        spreadsheet: str,
        *,
        version: int | None,
        day: date,
        when: datetime,
        reason: str,
    ) -> None:
        """A sync read the spreadsheet at `when` (and covered Drive `version`, our own write
        included): edits up to that version are done, the day is `day`."""
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO watch (plan, spreadsheet, synced_version, seen_version, last_sync,"
                " synced_day, reason) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (plan) DO UPDATE SET"
                " synced_version = CASE WHEN watch.spreadsheet = excluded.spreadsheet AND"
                "   (excluded.synced_version IS NULL OR"
                "    watch.synced_version > excluded.synced_version)"
                "   THEN watch.synced_version ELSE excluded.synced_version END,"
                " seen_version = CASE WHEN watch.spreadsheet = excluded.spreadsheet"
                "   THEN watch.seen_version END,"
                " last_change = CASE WHEN watch.spreadsheet = excluded.spreadsheet"
                "   THEN watch.last_change END,"
                " spreadsheet = excluded.spreadsheet, last_sync = excluded.last_sync,"
                " synced_day = excluded.synced_day, reason = excluded.reason",
                (plan, spreadsheet, version, version, _iso(when), day.isoformat(), reason),
            )

    def saw_changes(
        self, changes: Iterable[tuple[str, int | None, bool, datetime | None]], token: str
    ) -> None:
        """Drive reported these (file id, version, by us, time) changes; list from `token`
        next. A change made by someone else is the plan's `last_change`."""
        with self._lock, self._db:
            for file_id, version, me, when in changes:
                self._db.execute(
                    "UPDATE watch SET seen_version = CASE WHEN seen_version IS NULL"
                    " OR seen_version < ? THEN ? ELSE seen_version END WHERE spreadsheet = ?",
                    (version, version, file_id),
                )
                if not me:
                    self._db.execute(
                        "UPDATE watch SET last_change = ? WHERE spreadsheet = ?",
                        (_iso(when or datetime.now(UTC)), file_id),
                    )
            self._set_token(token)

    def _set_token(self, token: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO drive_feed (id, token, updated) VALUES (1, ?, ?)",
            (token, _iso(datetime.now(UTC))),
        )

    def forget_syncs(self) -> None:
        """Drive's feed restarted: what the last syncs covered is unknown (each plan then
        syncs once, as its safety net)."""
        with self._lock, self._db:
            self._db.execute("UPDATE watch SET synced_version = NULL, seen_version = NULL")

    def set_feed_token(self, token: str) -> None:
        with self._lock, self._db:
            self._set_token(token)

    def feed_token(self) -> str | None:
        """The stored page token of Drive's changes feed, None before the first poll."""
        with self._lock:
            row = self._db.execute("SELECT token FROM drive_feed WHERE id = 1").fetchone()
        return str(row[0]) if row else None

    def failures_in_a_row(self, plan: str) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT failures_in_a_row FROM plans WHERE plan = ?", (plan,)
            ).fetchone()
        return int(row[0]) if row else 0

    def runs(self, plan: str, *, limit: int = 100) -> list[RunRecord]:
        """The plan's most recent runs, newest first."""
        with self._lock:
            return _runs(self._db, plan, limit)


_WATCH_SELECT = (
    "SELECT plan, spreadsheet, synced_version, seen_version, last_change, last_sync,"
    " synced_day, reason FROM watch"
)


def _watch(row: tuple[object, ...]) -> Watch:
    day = row[6]
    return Watch(
        plan=str(row[0]),
        spreadsheet=str(row[1]),
        synced_version=None if row[2] is None else int(str(row[2])),
        seen_version=None if row[3] is None else int(str(row[3])),
        last_change=_when(None if row[4] is None else str(row[4])),
        last_sync=_when(None if row[5] is None else str(row[5])),
        synced_day=date.fromisoformat(day) if isinstance(day, str) else None,
        reason=str(row[7] or ""),
    )


def _runs(db: sqlite3.Connection, plan: str, limit: int) -> list[RunRecord]:
    columns = {r[1] for r in db.execute("PRAGMA table_info(runs)")}
    extra = ", reason, drive_requests" if "reason" in columns else ", '', 0"
    rows = db.execute(
        "SELECT plan, started, duration, outcome, requests, cells, errors, warnings,"
        f" waited, message{extra} FROM runs WHERE plan = ? ORDER BY id DESC LIMIT ?",
        (plan, limit),
    ).fetchall()
    return [
        RunRecord(
            plan=r[0],
            started=datetime.fromisoformat(r[1]),
            duration=r[2],
            outcome=r[3],
            requests=r[4],
            cells=r[5],
            errors=r[6],
            warnings=r[7],
            waited=r[8],
            message=r[9],
            reason=r[10],
            drive_requests=r[11],
        )
        for r in rows
    ]


def _read_only(path: Path) -> sqlite3.Connection | None:
    if not path.is_file():
        return None
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10.0)
    except sqlite3.Error:
        return None


def _not_a_history(path: Path) -> ConfigError:
    return ConfigError(
        "{path} is not a sheetpilot run history (an SQLite file): point [daemon] history at another file, or move this one away",
        path=path,
    )


def read_states(path: Path, plans: Iterable[str]) -> list[PlanState]:
    """Each named plan's state from the history at `path` (a plan never run: all empty).

    A missing history file (the daemon never ran) is not an error; a file that is not
    SQLite (the wrong path in [daemon] history) is a ConfigError.
    """
    names = list(plans)
    db = _read_only(path)
    if db is None:
        return [PlanState(plan=name) for name in names]
    try:
        rows = {
            r[0]: r
            for r in db.execute(
                "SELECT plan, runs, failures_in_a_row, last_run, last_outcome, last_message,"
                " next_run FROM plans"
            )
        }
    except sqlite3.OperationalError:  # not a history file (yet)
        rows = {}
    except sqlite3.DatabaseError as exc:
        db.close()
        raise _not_a_history(path) from exc
    try:
        watches = {w.plan: w for w in map(_watch, db.execute(_WATCH_SELECT))}
    except sqlite3.DatabaseError:  # a history from before change detection
        watches = {}
    finally:
        db.close()
    return plan_states(names, rows, watches, _when)


def plan_states(
    names: Iterable[str],
    rows: Mapping[str, Sequence[Any]],
    watches: Mapping[str, Watch],
    when: Callable[[Any], datetime | None],
) -> list[PlanState]:
    """Each plan's state from its `plans` row (plan, runs, failures in a row, last run, last
    outcome, last message, next run) and its watch, as SQLite and PostgreSQL store them
    (`when` reads a stored time); a plan with no row has never run."""
    states = []
    for name in names:
        r = rows.get(name)
        if r is None:
            states.append(PlanState(plan=name))
            continue
        w = watches.get(name) or Watch(plan=name, spreadsheet="")
        states.append(
            PlanState(
                plan=name,
                runs=r[1],
                failures_in_a_row=r[2],
                last_run=when(r[3]),
                last_outcome=r[4],
                last_message=r[5],
                next_run=when(r[6]),
                last_change=w.last_change,
                last_sync=w.last_sync,
                reason=w.reason,
            )
        )
    return states


def read_budget(path: Path) -> BudgetUse | None:
    """The governor's last recorded budget use, or None when the daemon never ran."""
    db = _read_only(path)
    if db is None:
        return None
    try:
        columns = {r[1] for r in db.execute("PRAGMA table_info(budget)")}
        drive = ", drive, drive_per_minute" if "drive" in columns else ", 0, 0"
        row = db.execute(
            f"SELECT updated, reads, reads_per_minute, writes, writes_per_minute{drive} FROM budget"
        ).fetchone()
    except sqlite3.OperationalError:
        row = None
    except sqlite3.DatabaseError as exc:
        raise _not_a_history(path) from exc
    finally:
        db.close()
    if row is None:
        return None
    return BudgetUse(
        reads=row[1],
        reads_per_minute=row[2],
        writes=row[3],
        writes_per_minute=row[4],
        updated=_when(row[0]),
        drive=row[5],
        drive_per_minute=row[6],
    )


def read_runs(path: Path, plan: str, *, limit: int = 100) -> list[RunRecord]:
    """A plan's most recent runs from the history at `path`, newest first."""
    db = _read_only(path)
    if db is None:
        return []
    try:
        return _runs(db, plan, limit)
    except sqlite3.OperationalError:
        return []
    except sqlite3.DatabaseError as exc:
        raise _not_a_history(path) from exc
    finally:
        db.close()
