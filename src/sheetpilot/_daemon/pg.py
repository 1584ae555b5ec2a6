"""Several daemons, one PostgreSQL: shared history and status, plan leases, one quota.

`[daemon] database = "postgresql://user@host/db"` makes every daemon process that reads
the same configuration a member of one fleet:

- **History** (`PgHistory`): the same tables as the SQLite history (runs, plans, watch,
  Drive's page token), in PostgreSQL, so `sheetpilot status` shows the whole fleet.
- **Leases** (`Leases`): one row per plan, `(holder, expires)`. A member renews its own
  leases every third of `lease_time` and takes free or expired ones with
  `SELECT … FOR UPDATE SKIP LOCKED`, up to its fair share (plans ÷ live members), so
  members balance as they come and go. A plan syncs only in the process holding its
  lease; a process that dies (kill -9, lost machine) loses its leases when they expire,
  and the others take them over; SIGTERM hands them back at once. (Session advisory locks
  were the other option: they vanish with a dead connection, but they cannot expire
  while a stalled process keeps its TCP session, they are invisible to `status`, and a
  connection pooler in transaction mode breaks them; lease rows have none of these.)
- **Quota** (`PgGovernor`): the sliding-window budget of `Governor`, kept in a table of
  grants: taking a slot is one short transaction serialised by a transaction-scoped
  advisory lock per kind (read, write, drive), so no 61-second window holds more than the
  budget across all members.

Times are the server's (`clock_timestamp()`), so members' clocks need not agree. The URL
may hold a password: it is never logged (`describe_url`).
"""

from __future__ import annotations

import logging
import math
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

import psycopg

from sheetpilot._daemon.governor import LATENCY_MARGIN, Governor, GovernorClosed, Kind
from sheetpilot._errors import ConfigError
from sheetpilot._history import BudgetUse, PlanState, RunRecord, Watch, plan_states

log = logging.getLogger("sheetpilot.daemon")

SCHEMA_LOCK = 0x5E7E_0001
KIND_LOCK: dict[Kind, int] = {"read": 0x5E7E_0011, "write": 0x5E7E_0012, "drive": 0x5E7E_0013}
SCHEMA = """
CREATE TABLE IF NOT EXISTS sheetpilot_runs (
    id BIGSERIAL PRIMARY KEY,
    plan TEXT NOT NULL,
    started TIMESTAMPTZ NOT NULL,
    duration DOUBLE PRECISION NOT NULL,
    outcome TEXT NOT NULL,
    requests INTEGER NOT NULL DEFAULT 0,
    cells INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    waited DOUBLE PRECISION NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    drive_requests INTEGER NOT NULL DEFAULT 0,
    holder TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS sheetpilot_runs_by_plan ON sheetpilot_runs (plan, id);
CREATE TABLE IF NOT EXISTS sheetpilot_plans (
    plan TEXT PRIMARY KEY,
    runs INTEGER NOT NULL DEFAULT 0,
    failures_in_a_row INTEGER NOT NULL DEFAULT 0,
    last_run TIMESTAMPTZ,
    last_outcome TEXT,
    last_message TEXT NOT NULL DEFAULT '',
    next_run TIMESTAMPTZ,
    next_by TEXT
);
CREATE TABLE IF NOT EXISTS sheetpilot_watch (
    plan TEXT PRIMARY KEY,
    spreadsheet TEXT NOT NULL,
    synced_version BIGINT,
    seen_version BIGINT,
    last_change TIMESTAMPTZ,
    last_sync TIMESTAMPTZ,
    synced_day DATE,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS sheetpilot_watch_by_spreadsheet ON sheetpilot_watch (spreadsheet);
CREATE TABLE IF NOT EXISTS sheetpilot_drive_feed (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    token TEXT NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS sheetpilot_leases (
    plan TEXT PRIMARY KEY,
    holder TEXT,
    expires TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS sheetpilot_members (
    holder TEXT PRIMARY KEY,
    seen TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS sheetpilot_grants (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS sheetpilot_grants_by_kind ON sheetpilot_grants (kind, at);
CREATE TABLE IF NOT EXISTS sheetpilot_budget (
    kind TEXT PRIMARY KEY,
    per_minute INTEGER NOT NULL
);
"""


def is_postgres(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("postgresql://", "postgres://"))


def describe_url(url: str) -> str:
    """The URL without its password, for messages.

    >>> describe_url("postgresql://sp:secret@db.example.com:5432/sheetpilot")
    'postgresql://sp@db.example.com:5432/sheetpilot'
    """
    parts = urlsplit(url)
    user = f"{parts.username}@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{user}{parts.hostname or ''}{port}{parts.path}"


def holder_id() -> str:
    """This process in the fleet: host name and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def connect(url: str) -> psycopg.Connection[Any]:
    """An autocommit connection with the schema in place (created once, by one member)."""
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(
            f"cannot connect to the database {describe_url(url)} ([daemon] database): "
            f"{reason.replace(url, describe_url(url))}"
        ) from None
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        conn.execute(SCHEMA)
    return conn


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


class PgHistory:
    """The fleet's run history (the `HistoryStore` of `sheetpilot._history`)."""

    def __init__(self, url: str, *, keep: int = 1000, holder: str | None = None) -> None:
        self.url = url
        self.keep = keep
        self.holder = holder or holder_id()
        self._db = connect(url)
        self._lock = threading.Lock()
        self.owns: Callable[[str], bool] = lambda plan: True  # set by the daemon's leases

    def _exec(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            cur = self._db.execute(sql, tuple(params))
            return list(cur.fetchall()) if cur.description else []

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> PgHistory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(self, run: RunRecord) -> None:
        failed = run.outcome == "failed"
        with self._lock, self._db.transaction():
            self._db.execute(
                "INSERT INTO sheetpilot_runs (plan, started, duration, outcome, requests, cells,"
                " errors, warnings, waited, message, reason, drive_requests, holder)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    run.plan,
                    run.started,
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
                    self.holder,
                ),
            )
            self._db.execute(
                "INSERT INTO sheetpilot_plans (plan, runs, failures_in_a_row, last_run,"
                " last_outcome, last_message) VALUES (%s, 1, %s, %s, %s, %s)"
                " ON CONFLICT (plan) DO UPDATE SET runs = sheetpilot_plans.runs + 1,"
                " failures_in_a_row = CASE WHEN %s THEN sheetpilot_plans.failures_in_a_row + 1"
                " ELSE 0 END, last_run = excluded.last_run,"
                " last_outcome = excluded.last_outcome, last_message = excluded.last_message",
                (run.plan, int(failed), run.started, run.outcome, run.message, failed),
            )
            self._db.execute(
                "DELETE FROM sheetpilot_runs WHERE plan = %s AND id <= (SELECT id FROM"
                " sheetpilot_runs WHERE plan = %s ORDER BY id DESC OFFSET %s LIMIT 1)",
                (run.plan, run.plan, self.keep),
            )

    def set_next_run(self, plan: str, when: datetime | None) -> None:
        if not self.owns(plan):
            return  # the member holding the plan's lease schedules it
        self._exec(
            "INSERT INTO sheetpilot_plans (plan, next_run, next_by) VALUES (%s, %s, %s)"
            " ON CONFLICT (plan) DO UPDATE SET next_run = excluded.next_run,"
            " next_by = excluded.next_by",
            (plan, when, self.holder),
        )

    def unschedule_all(self) -> None:
        self._exec("UPDATE sheetpilot_plans SET next_run = NULL WHERE next_by = %s", (self.holder,))

    def set_budget(self, use: BudgetUse) -> None:
        """The budget is the shared window itself (`PgGovernor`): nothing to store."""

    def failures_in_a_row(self, plan: str) -> int:
        rows = self._exec("SELECT failures_in_a_row FROM sheetpilot_plans WHERE plan = %s", (plan,))
        return int(rows[0][0]) if rows else 0

    def runs(self, plan: str, *, limit: int = 100) -> list[RunRecord]:
        rows = self._exec(
            "SELECT plan, started, duration, outcome, requests, cells, errors, warnings,"
            " waited, message, reason, drive_requests FROM sheetpilot_runs WHERE plan = %s"
            " ORDER BY id DESC LIMIT %s",
            (plan, limit),
        )
        return [
            RunRecord(
                plan=r[0],
                started=r[1],
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

    def holders(self, plan: str) -> list[str]:
        """Which members synced `plan`, newest run first (for tests and operators)."""
        rows = self._exec(
            "SELECT holder FROM sheetpilot_runs WHERE plan = %s ORDER BY id DESC", (plan,)
        )
        return [str(r[0]) for r in rows]

    # --- change detection ---------------------------------------------------------------
    def watch(self, plan: str) -> Watch | None:
        rows = self._exec(_WATCH_SELECT + " WHERE plan = %s", (plan,))
        return _watch(rows[0]) if rows else None

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
        self._exec(
            "INSERT INTO sheetpilot_watch AS w (plan, spreadsheet, synced_version, seen_version,"
            " last_sync, synced_day, reason) VALUES (%s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (plan) DO UPDATE SET"
            " synced_version = CASE WHEN w.spreadsheet = excluded.spreadsheet AND"
            "   (excluded.synced_version IS NULL OR w.synced_version > excluded.synced_version)"
            "   THEN w.synced_version ELSE excluded.synced_version END,"
            " seen_version = CASE WHEN w.spreadsheet = excluded.spreadsheet"
            "   THEN w.seen_version END,"
            " last_change = CASE WHEN w.spreadsheet = excluded.spreadsheet"
            "   THEN w.last_change END,"
            " spreadsheet = excluded.spreadsheet, last_sync = excluded.last_sync,"
            " synced_day = excluded.synced_day, reason = excluded.reason",
            (plan, spreadsheet, version, version, when, day, reason),
        )

    def saw_changes(
        self, changes: Iterable[tuple[str, int | None, bool, datetime | None]], token: str
    ) -> None:
        with self._lock, self._db.transaction():
            for file_id, version, me, when in changes:
                self._db.execute(
                    "UPDATE sheetpilot_watch SET seen_version = GREATEST(seen_version, %s)"
                    " WHERE spreadsheet = %s",
                    (version, file_id),
                )
                if not me:
                    self._db.execute(
                        "UPDATE sheetpilot_watch SET last_change = %s WHERE spreadsheet = %s",
                        (when or datetime.now(UTC), file_id),
                    )
            self._set_token(token)

    def _set_token(self, token: str) -> None:
        self._db.execute(
            "INSERT INTO sheetpilot_drive_feed (id, token, updated) VALUES (1, %s, now())"
            " ON CONFLICT (id) DO UPDATE SET token = excluded.token, updated = excluded.updated",
            (token,),
        )

    def forget_syncs(self) -> None:
        self._exec("UPDATE sheetpilot_watch SET synced_version = NULL, seen_version = NULL")

    def set_feed_token(self, token: str) -> None:
        with self._lock:
            self._set_token(token)

    def feed_token(self) -> str | None:
        rows = self._exec("SELECT token FROM sheetpilot_drive_feed WHERE id = 1")
        return str(rows[0][0]) if rows else None

    # --- status -------------------------------------------------------------------------
    def states(self, plans: Iterable[str]) -> list[PlanState]:
        names = list(plans)
        rows = {
            r[0]: r
            for r in self._exec(
                "SELECT plan, runs, failures_in_a_row, last_run, last_outcome, last_message,"
                " next_run FROM sheetpilot_plans WHERE plan = ANY(%s)",
                (names,),
            )
        }
        watches = {
            w.plan: w
            for w in map(_watch, self._exec(_WATCH_SELECT + " WHERE plan = ANY(%s)", (names,)))
        }
        return plan_states(names, rows, watches, _utc)

    def budget(self, window: float = 60.0 + LATENCY_MARGIN) -> BudgetUse | None:
        """The fleet's use of the shared budget over the last window."""
        per = dict(self._exec("SELECT kind, per_minute FROM sheetpilot_budget"))
        if not per:
            return None
        used = dict(
            self._exec(
                "SELECT kind, count(*) FROM sheetpilot_grants"
                " WHERE at > clock_timestamp() - make_interval(secs => %s) GROUP BY kind",
                (window,),
            )
        )
        return BudgetUse(
            reads=int(used.get("read", 0)),
            reads_per_minute=int(per.get("read", 0)),
            writes=int(used.get("write", 0)),
            writes_per_minute=int(per.get("write", 0)),
            updated=datetime.now(UTC),
            drive=int(used.get("drive", 0)),
            drive_per_minute=int(per.get("drive", 0)),
        )


_WATCH_SELECT = (
    "SELECT plan, spreadsheet, synced_version, seen_version, last_change, last_sync,"
    " synced_day, reason FROM sheetpilot_watch"
)


def _watch(row: tuple[Any, ...]) -> Watch:
    return Watch(
        plan=str(row[0]),
        spreadsheet=str(row[1]),
        synced_version=None if row[2] is None else int(row[2]),
        seen_version=None if row[3] is None else int(row[3]),
        last_change=_utc(row[4]),
        last_sync=_utc(row[5]),
        synced_day=row[6],
        reason=str(row[7] or ""),
    )


class PgGovernor(Governor):
    """`Governor` whose sliding windows live in PostgreSQL, shared by every member."""

    def __init__(
        self,
        url: str,
        reads_per_minute: int = 60,
        writes_per_minute: int = 60,
        *,
        drive_per_minute: int = 1000,
        window: float = 60.0 + LATENCY_MARGIN,
        on_grant: Callable[[Kind, float], None] | None = None,
    ) -> None:
        super().__init__(
            reads_per_minute,
            writes_per_minute,
            drive_per_minute=drive_per_minute,
            window=window,
            on_grant=on_grant,
        )
        self._db = connect(url)
        self._db_lock = threading.Lock()
        self._publish()

    def _publish(self) -> None:
        with self._db_lock, self._db.transaction():
            for kind, per in self._budget.items():
                self._db.execute(
                    "INSERT INTO sheetpilot_budget (kind, per_minute) VALUES (%s, %s)"
                    " ON CONFLICT (kind) DO UPDATE SET per_minute = excluded.per_minute",
                    (kind, per),
                )

    def set_budget(
        self, reads_per_minute: int, writes_per_minute: int, drive_per_minute: int | None = None
    ) -> None:
        super().set_budget(reads_per_minute, writes_per_minute, drive_per_minute)
        self._publish()

    def try_acquire(self, kind: Kind) -> float:
        if self._closed:
            raise GovernorClosed("the daemon is shutting down")
        budget = self._budget[kind]
        with self._db_lock, self._db.transaction():
            self._db.execute("SELECT pg_advisory_xact_lock(%s)", (KIND_LOCK[kind],))
            self._db.execute(
                "DELETE FROM sheetpilot_grants WHERE kind = %s"
                " AND at <= clock_timestamp() - make_interval(secs => %s)",
                (kind, self.window),
            )
            row = self._db.execute(
                "SELECT count(*) FROM sheetpilot_grants WHERE kind = %s", (kind,)
            ).fetchone()
            used = int(row[0]) if row else 0
            if used < budget:
                self._db.execute(
                    "INSERT INTO sheetpilot_grants (kind, at) VALUES (%s, clock_timestamp())",
                    (kind,),
                )
                if self._on_grant is not None:
                    self._on_grant(kind, time.monotonic())
                return 0.0
            row = self._db.execute(
                "SELECT extract(epoch FROM at + make_interval(secs => %s) - clock_timestamp())"
                " FROM sheetpilot_grants WHERE kind = %s ORDER BY at OFFSET %s LIMIT 1",
                (self.window, kind, used - budget),
            ).fetchone()
        delay = float(row[0]) if row and row[0] is not None else 1.0
        return max(delay, 1e-3)

    def _count(self, kind: Kind) -> int:
        with self._db_lock:
            row = self._db.execute(
                "SELECT count(*) FROM sheetpilot_grants WHERE kind = %s"
                " AND at > clock_timestamp() - make_interval(secs => %s)",
                (kind, self.window),
            ).fetchone()
        return int(row[0]) if row else 0

    def used(self, kind: Kind) -> int:
        return self._count(kind)

    def usage(self) -> BudgetUse:
        return BudgetUse(
            reads=self._count("read"),
            reads_per_minute=self._budget["read"],
            writes=self._count("write"),
            writes_per_minute=self._budget["write"],
            drive=self._count("drive"),
            drive_per_minute=self._budget["drive"],
        )

    def close(self) -> None:
        super().close()
        with self._db_lock:
            self._db.close()


class Leases:
    """This member's plan leases, renewed by a background thread (see the module doc)."""

    def __init__(
        self,
        url: str,
        plans: Iterable[str],
        *,
        lease_time: float = 60.0,
        holder: str | None = None,
        busy: Callable[[], set[str]] = set,
    ) -> None:
        self.lease_time = lease_time
        self.holder = holder or holder_id()
        self.plans = list(plans)
        self.busy = busy  # plans syncing now: never handed over mid-sync
        self._db = connect(url)
        self._lock = threading.Lock()
        self._held: set[str] = set()
        self._valid_until = 0.0  # monotonic time our leases are sure to last until
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.on_change: Callable[[int], object] = lambda held: None  # metrics

    def holds(self, plan: str) -> bool:
        """Whether this member may sync `plan` now (its lease is ours and not expiring)."""
        with self._lock:
            return plan in self._held and time.monotonic() < self._valid_until

    @property
    def held(self) -> set[str]:
        with self._lock:
            return set(self._held)

    def refresh(self) -> set[str]:
        """Heartbeat, renew ours, take free or expired ones up to a fair share, give back
        the surplus (never a plan syncing now); the plans held."""
        started = time.monotonic()
        seconds = self.lease_time
        busy = self.busy()
        with self._db.transaction():
            db = self._db
            db.execute(
                "INSERT INTO sheetpilot_members (holder, seen) VALUES (%s, clock_timestamp())"
                " ON CONFLICT (holder) DO UPDATE SET seen = excluded.seen",
                (self.holder,),
            )
            db.execute(
                "DELETE FROM sheetpilot_members WHERE seen < clock_timestamp()"
                " - make_interval(secs => %s)",
                (seconds * 3,),
            )
            db.execute(
                "INSERT INTO sheetpilot_leases (plan) SELECT unnest(%s::text[])"
                " ON CONFLICT (plan) DO NOTHING",
                (self.plans,),
            )
            row = db.execute(
                "SELECT count(*) FROM sheetpilot_members"
                " WHERE seen > clock_timestamp() - make_interval(secs => %s)",
                (seconds,),
            ).fetchone()
            members = max(1, int(row[0]) if row else 1)
            share = math.ceil(len(self.plans) / members)
            mine = [
                r[0]
                for r in db.execute(
                    "UPDATE sheetpilot_leases SET expires = clock_timestamp()"
                    " + make_interval(secs => %s) WHERE holder = %s AND plan = ANY(%s)"
                    " RETURNING plan",
                    (seconds, self.holder, self.plans),
                ).fetchall()
            ]
            if len(mine) > share:  # a member joined: hand over the surplus (not busy ones)
                surplus = [p for p in sorted(mine, reverse=True) if p not in busy]
                surplus = surplus[: len(mine) - share]
                db.execute(
                    "UPDATE sheetpilot_leases SET holder = NULL, expires = NULL"
                    " WHERE holder = %s AND plan = ANY(%s)",
                    (self.holder, surplus),
                )
                mine = [p for p in mine if p not in surplus]
            elif len(mine) < share:
                taken = db.execute(
                    "WITH free AS (SELECT plan FROM sheetpilot_leases WHERE plan = ANY(%s)"
                    " AND (holder IS NULL OR expires < clock_timestamp()) ORDER BY plan"
                    " LIMIT %s FOR UPDATE SKIP LOCKED)"
                    " UPDATE sheetpilot_leases l SET holder = %s, expires = clock_timestamp()"
                    " + make_interval(secs => %s) FROM free WHERE l.plan = free.plan"
                    " RETURNING l.plan",
                    (self.plans, share - len(mine), self.holder, seconds),
                ).fetchall()
                mine += [r[0] for r in taken]
        with self._lock:
            self._held = set(mine)
            # sure to be ours until a little before the lease runs out
            self._valid_until = started + seconds * 2 / 3
        self.on_change(len(mine))
        return set(mine)

    def start(self) -> None:
        self.refresh()
        self._thread = threading.Thread(target=self._loop, name="leases", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self.lease_time / 3):
            try:
                self.refresh()
            except Exception as exc:  # the database is away: our leases run out by themselves
                log.warning("cannot renew the plan leases: %s", exc)

    def release_all(self) -> None:
        """Stop renewing and hand every lease back at once (SIGTERM)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            self._held = set()
        try:
            self._db.execute(
                "UPDATE sheetpilot_leases SET holder = NULL, expires = NULL WHERE holder = %s",
                (self.holder,),
            )
            self._db.execute("DELETE FROM sheetpilot_members WHERE holder = %s", (self.holder,))
        except psycopg.Error as exc:
            log.warning("could not hand the leases back (they expire by themselves): %s", exc)
        finally:
            self._db.close()
        self.on_change(0)
