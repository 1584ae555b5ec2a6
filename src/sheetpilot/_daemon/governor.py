"""The quota governor: budgets of Sheets reads, Sheets writes and Drive requests per minute.

Google counts a service account as one user (60 reads and 60 writes per minute by
default), so every plan of the daemon draws from the same budget. Drive (change
detection: file versions, the changes feed) is a separate and much larger quota, so it
has a budget of its own (`drive_per_minute`) and never spends a Sheets slot. The governor is a
sliding-window limiter: no window of `window` seconds ever holds more than the budget
of either kind. When the budget is spent, `acquire` waits for a slot instead of failing.

`Governor.acquire("read" | "write")` is thread-safe and may be called from anywhere.
`governed(backend, budget)` draws a backend's requests from it: per HTTP attempt,
retries included, for a backend with a `before_request` hook (the Google backend), else
one slot per `read()` / `write()` call (`GovernedBackend`). `close()` wakes every
waiter with `GovernorClosed`, so a shutdown never waits on the budget.

The default window is 61 s, not 60: a request reaches Google a little after its slot
is taken, and the extra second absorbs that latency, so no 60-second window *as Google
sees it* holds more than the budget.

>>> t = [0.0]
>>> g = Governor(reads_per_minute=2, writes_per_minute=1, window=60.0, clock=lambda: t[0])
>>> g.try_acquire("read"), g.try_acquire("read"), g.try_acquire("read")
(0.0, 0.0, 60.0)
>>> t[0] = 60.0
>>> g.try_acquire("read")
0.0
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Literal, Protocol, runtime_checkable

from sheetpilot._backends.base import Backend
from sheetpilot._errors import SheetpilotError
from sheetpilot._history import BudgetUse
from sheetpilot._workbook import ChangeSet, Snapshot

Kind = Literal["read", "write", "drive"]
LATENCY_MARGIN = 1.0  # seconds added to the 60-second window (see the module docstring)
log = logging.getLogger("sheetpilot.daemon")


class GovernorClosed(SheetpilotError):
    """The daemon is shutting down: the request was not made."""


class Governor:
    """A thread-safe sliding-window budget of read and write requests."""

    def __init__(
        self,
        reads_per_minute: int = 60,
        writes_per_minute: int = 60,
        *,
        drive_per_minute: int = 1000,
        window: float = 60.0 + LATENCY_MARGIN,
        clock: Callable[[], float] = time.monotonic,
        on_grant: Callable[[Kind, float], None] | None = None,
    ) -> None:
        self.window = window
        self._clock = clock
        self._on_grant = on_grant  # told (kind, clock time) of every slot granted, under the lock
        self._budget: dict[Kind, int] = {
            "read": reads_per_minute,
            "write": writes_per_minute,
            "drive": drive_per_minute,
        }
        self._stamps: dict[Kind, deque[float]] = {
            "read": deque(),
            "write": deque(),
            "drive": deque(),
        }
        self.waits: dict[Kind, int] = {"read": 0, "write": 0, "drive": 0}  # requests that waited
        self.wait_seconds: dict[Kind, float] = {"read": 0.0, "write": 0.0, "drive": 0.0}
        self._cond = threading.Condition()
        self._closed = False

    def set_budget(
        self, reads_per_minute: int, writes_per_minute: int, drive_per_minute: int | None = None
    ) -> None:
        """Change the budget (on reload); waiters re-check at once."""
        with self._cond:
            self._budget = {
                "read": reads_per_minute,
                "write": writes_per_minute,
                "drive": self._budget["drive"] if drive_per_minute is None else drive_per_minute,
            }
            self._cond.notify_all()

    def _prune(self, kind: Kind, now: float) -> None:
        stamps = self._stamps[kind]
        while stamps and stamps[0] <= now - self.window:
            stamps.popleft()

    def try_acquire(self, kind: Kind) -> float:
        """Take a slot now and return 0.0, or return how many seconds until one frees up."""
        with self._cond:
            if self._closed:
                raise GovernorClosed("the daemon is shutting down")
            now = self._clock()
            self._prune(kind, now)
            stamps = self._stamps[kind]
            if len(stamps) < self._budget[kind]:
                stamps.append(now)
                if self._on_grant is not None:
                    self._on_grant(kind, now)
                return 0.0
            # The slot frees when the oldest stamp that keeps us at the budget leaves.
            excess = len(stamps) - self._budget[kind]
            return max(stamps[excess] + self.window - now, 0.0) or 1e-3

    def acquire(self, kind: Kind) -> float:
        """Wait until a `kind` request fits the budget, take it; return the seconds waited.

        Raises `GovernorClosed` when the governor is closed (before or while waiting).
        """
        start = self._clock()
        while True:
            delay = self.try_acquire(kind)
            if delay == 0.0:
                waited = self._clock() - start
                if waited > 0:
                    log.debug("waited %.1fs for a %s slot", waited, kind)
                    with self._cond:
                        self.waits[kind] += 1
                        self.wait_seconds[kind] += waited
                return waited
            with self._cond:
                if self._closed:
                    raise GovernorClosed("the daemon is shutting down")
                self._cond.wait(timeout=delay)

    def wait_stats(self) -> tuple[dict[Kind, int], dict[Kind, float]]:
        """How many requests waited for the budget, and how long in all, by kind."""
        with self._cond:
            return dict(self.waits), dict(self.wait_seconds)

    def close(self) -> None:
        """Refuse every further request and wake all waiters."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed

    def used(self, kind: Kind) -> int:
        """Requests of `kind` made within the last window."""
        with self._cond:
            self._prune(kind, self._clock())
            return len(self._stamps[kind])

    def usage(self) -> BudgetUse:
        """Requests made in the last window against the budget."""
        with self._cond:
            return BudgetUse(
                reads=self._count("read"),
                reads_per_minute=self._budget["read"],
                writes=self._count("write"),
                writes_per_minute=self._budget["write"],
                drive=self._count("drive"),
                drive_per_minute=self._budget["drive"],
            )

    def _count(self, kind: Kind) -> int:
        self._prune(kind, self._clock())
        return len(self._stamps[kind])


class Budget:
    """One sync's draw on the shared governor, and the seconds it spent waiting."""

    def __init__(self, governor: Governor) -> None:
        self.governor = governor
        self.waited = 0.0

    def acquire(self, kind: Kind) -> None:
        self.waited += self.governor.acquire(kind)


@runtime_checkable
class CountsEachRequest(Protocol):
    """A backend that calls `before_request(kind)` before every HTTP attempt (Google)."""

    before_request: Callable[[Kind], object] | None


def governed(backend: Backend, budget: Budget) -> Backend:
    """`backend` with every request it makes drawn from `budget`.

    A backend with a per-request hook gets `budget.acquire` there, so its retries count
    too; any other backend is wrapped to take one slot per `read()` / `write()` call.
    Never both: no request is counted twice.
    """
    if isinstance(backend, CountsEachRequest):
        backend.before_request = budget.acquire
        return backend
    return GovernedBackend(backend, budget.governor, budget)


class GovernedBackend:
    """A backend whose reads and writes each wait for a slot of the shared budget.

    For a backend that cannot count its own requests; the Google backend counts each
    HTTP attempt through its `before_request` hook instead (see `governed`).
    """

    def __init__(self, backend: Backend, governor: Governor, budget: Budget | None = None) -> None:
        self.backend = backend
        self.governor = governor
        self.budget = budget or Budget(governor)

    @property
    def waited(self) -> float:
        """Seconds this backend spent waiting for the budget."""
        return self.budget.waited

    @property
    def requests(self) -> int:
        return self.backend.requests

    @property
    def writes_formulas(self) -> bool:
        return self.backend.writes_formulas

    @property
    def draws_charts(self) -> bool:
        return bool(getattr(self.backend, "draws_charts", False))

    def read(self) -> Snapshot:
        self.budget.acquire("read")
        return self.backend.read()

    def write(self, changes: ChangeSet) -> int:
        self.budget.acquire("write")
        return self.backend.write(changes)

    def describe(self) -> str:
        return self.backend.describe()
