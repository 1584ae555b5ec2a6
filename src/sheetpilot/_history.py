"""The daemon's run history: a small SQLite file the daemon writes and `status` reads.

Three tables:

- `runs`: one row per sync (plan, start, duration, outcome, requests, cells written,
  issues by severity, seconds spent waiting for the quota budget, message); at most
  `keep` rows per plan are kept, the oldest are pruned as new ones arrive.
- `plans`: one row per plan the daemon knows: total runs, failures in a row, the last
  outcome and message, and the next scheduled run (what `status` shows).
- `budget`: the quota governor's use over the last minute, refreshed after every run.

Times are stored as ISO 8601 strings in UTC. The writer (`History`) is thread-safe; the
reader (`read_states`) opens the file read-only and never creates it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from sheetpilot._errors import ConfigError

Outcome = Literal["ok", "errors", "failed"]

SCHEMA_VERSION = 1
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
"""


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


@dataclass(frozen=True)
class BudgetUse:
    """Requests made in the last minute against the per-minute budget."""

    reads: int
    reads_per_minute: int
    writes: int
    writes_per_minute: int
    updated: datetime | None = None

    def describe(self) -> str:
        """A short line for logs and `status`.

        >>> BudgetUse(12, 60, 3, 60).describe()
        'reads 12/60, writes 3/60 per minute'
        """
        return (
            f"reads {self.reads}/{self.reads_per_minute}, "
            f"writes {self.writes}/{self.writes_per_minute} per minute"
        )


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
                " errors, warnings, waited, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                "INSERT OR REPLACE INTO budget VALUES (1, ?, ?, ?, ?, ?)",
                (
                    _iso(use.updated or datetime.now(UTC)),
                    use.reads,
                    use.reads_per_minute,
                    use.writes,
                    use.writes_per_minute,
                ),
            )

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


def _runs(db: sqlite3.Connection, plan: str, limit: int) -> list[RunRecord]:
    rows = db.execute(
        "SELECT plan, started, duration, outcome, requests, cells, errors, warnings,"
        " waited, message FROM runs WHERE plan = ? ORDER BY id DESC LIMIT ?",
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
        raise _not_a_history(path) from exc
    finally:
        db.close()
    states = []
    for name in names:
        r = rows.get(name)
        if r is None:
            states.append(PlanState(plan=name))
            continue
        states.append(
            PlanState(
                plan=name,
                runs=r[1],
                failures_in_a_row=r[2],
                last_run=_when(r[3]),
                last_outcome=r[4],
                last_message=r[5],
                next_run=_when(r[6]),
            )
        )
    return states


def read_budget(path: Path) -> BudgetUse | None:
    """The governor's last recorded budget use, or None when the daemon never ran."""
    db = _read_only(path)
    if db is None:
        return None
    try:
        row = db.execute(
            "SELECT updated, reads, reads_per_minute, writes, writes_per_minute FROM budget"
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
