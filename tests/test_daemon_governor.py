"""The quota governor: no window holds more requests than the budget, across threads."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from sheetpilot._backends.xlsx import XlsxBackend
from sheetpilot._daemon.governor import GovernedBackend, Governor, GovernorClosed
from sheetpilot._example import example_plan
from sheetpilot._scaffold import scaffold_changes
from sheetpilot._sync import run_sync


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_budget_is_per_kind():
    clock = Clock()
    g = Governor(reads_per_minute=2, writes_per_minute=1, window=60, clock=clock)
    assert [g.try_acquire("read") for _ in range(3)] == [0.0, 0.0, 60.0]
    assert [g.try_acquire("write") for _ in range(2)] == [0.0, 60.0]


def test_slots_free_as_the_window_slides():
    clock = Clock()
    g = Governor(reads_per_minute=2, writes_per_minute=2, window=60, clock=clock)
    g.try_acquire("read")
    clock.now += 20
    g.try_acquire("read")
    clock.now += 30
    assert g.try_acquire("read") == pytest.approx(10.0)
    clock.now += 10
    assert g.try_acquire("read") == 0.0
    assert g.try_acquire("read") == pytest.approx(20.0)


def test_usage_counts_the_last_window():
    clock = Clock()
    g = Governor(reads_per_minute=60, writes_per_minute=30, window=60, clock=clock)
    for _ in range(5):
        g.try_acquire("read")
    g.try_acquire("write")
    clock.now += 61
    g.try_acquire("read")
    use = g.usage()
    assert (use.reads, use.reads_per_minute, use.writes, use.writes_per_minute) == (1, 60, 0, 30)


def test_a_lower_budget_after_reload_holds_back_requests():
    clock = Clock()
    g = Governor(reads_per_minute=5, writes_per_minute=5, window=60, clock=clock)
    for _ in range(4):
        g.try_acquire("read")
    g.set_budget(2, 5)
    assert g.try_acquire("read") > 0


def test_the_default_window_leaves_a_margin_for_latency():
    clock = Clock()
    g = Governor(reads_per_minute=1, writes_per_minute=1, clock=clock)
    g.try_acquire("read")
    clock.now += 60
    assert g.try_acquire("read") == pytest.approx(1.0)


def test_many_threads_never_exceed_the_budget_in_any_window():
    window, budget = 0.4, 3
    stamps: list[float] = []  # the grant times, as the governor took them (under its lock)
    g = Governor(
        reads_per_minute=budget,
        writes_per_minute=budget,
        window=window,
        on_grant=lambda kind, at: stamps.append(at),
    )

    def worker() -> None:
        for _ in range(2):
            g.acquire("read")

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stamps.sort()
    assert len(stamps) == 12
    for i, start in enumerate(stamps):
        in_window = [s for s in stamps[i:] if s < start + window]
        assert len(in_window) <= budget


def test_close_wakes_a_waiting_request():
    g = Governor(reads_per_minute=1, writes_per_minute=1, window=3600)
    g.acquire("read")
    failed: list[BaseException] = []

    def waiter() -> None:
        try:
            g.acquire("read")
        except GovernorClosed as exc:
            failed.append(exc)

    t = threading.Thread(target=waiter)
    t.start()
    g.close()
    t.join(timeout=10)
    assert not t.is_alive() and len(failed) == 1
    with pytest.raises(GovernorClosed):
        g.acquire("write")


def test_governed_backend_takes_one_read_and_one_write_per_sync(tmp_path):
    path = tmp_path / "plan.xlsx"
    setup = XlsxBackend(path, create=True)
    setup.write(scaffold_changes(setup.read(), "fr", example_plan(date(2026, 1, 5))))
    g = Governor(reads_per_minute=60, writes_per_minute=60)
    backend = GovernedBackend(XlsxBackend(path), g)
    first = run_sync(backend, plan="p", today=date(2026, 1, 20))
    assert first.report.writes.cells > 0
    assert (g.used("read"), g.used("write")) == (1, 1)
    run_sync(GovernedBackend(XlsxBackend(path), g), plan="p", today=date(2026, 1, 20))
    assert (g.used("read"), g.used("write")) == (2, 1)  # nothing changed: no write
    assert backend.describe() == XlsxBackend(path).describe()
