"""The run history: what the daemon records and what `status` reads back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sheetpilot._history import (
    BudgetUse,
    History,
    RunRecord,
    read_budget,
    read_runs,
    read_states,
)

T0 = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)


def run(plan: str = "demo", outcome: str = "ok", minutes: int = 0, **kw) -> RunRecord:
    return RunRecord(plan, T0 + timedelta(minutes=minutes), 0.5, outcome, **kw)  # type: ignore[arg-type]


@pytest.fixture
def history(tmp_path):
    with History(tmp_path / "h.sqlite", keep=3) as h:
        yield h


def test_a_run_is_stored_with_every_field(history, tmp_path):
    history.record(
        run(requests=2, cells=37, errors=1, warnings=4, waited=1.5, message="Objectifs!A1: x")
    )
    [stored] = read_runs(tmp_path / "h.sqlite", "demo")
    assert stored == RunRecord(
        "demo",
        T0,
        0.5,
        "ok",
        requests=2,
        cells=37,
        errors=1,
        warnings=4,
        waited=1.5,
        message="Objectifs!A1: x",
    )


def test_retention_keeps_the_newest_runs_per_plan(history):
    for i in range(5):
        history.record(run(minutes=i))
    history.record(run(plan="other"))
    assert [r.started.minute for r in history.runs("demo")] == [4, 3, 2]
    assert len(history.runs("other")) == 1


def test_total_runs_survive_pruning(history, tmp_path):
    for i in range(5):
        history.record(run(minutes=i))
    [state] = read_states(tmp_path / "h.sqlite", ["demo"])
    assert state.runs == 5
    assert state.last_run == T0 + timedelta(minutes=4)


@pytest.mark.parametrize(
    ("outcomes", "failures"),
    [
        (["ok"], 0),
        (["failed"], 1),
        (["ok", "failed", "failed"], 2),
        (["failed", "failed", "errors"], 0),
        (["failed", "ok", "failed"], 1),
    ],
)
def test_failures_in_a_row_count_only_the_latest_streak(history, outcomes, failures):
    for i, outcome in enumerate(outcomes):
        history.record(run(outcome=outcome, minutes=i))
    assert history.failures_in_a_row("demo") == failures


def test_last_outcome_and_message_are_the_latest(history, tmp_path):
    history.record(run(outcome="failed", message="gone"))
    history.record(run(outcome="errors", minutes=1, message="Suivi!B3: bad date"))
    [state] = read_states(tmp_path / "h.sqlite", ["demo"])
    assert (state.last_outcome, state.last_message) == ("errors", "Suivi!B3: bad date")


def test_next_run_is_kept_until_unscheduled(history, tmp_path):
    history.set_next_run("demo", T0 + timedelta(minutes=5))
    history.record(run())
    [state] = read_states(tmp_path / "h.sqlite", ["demo"])
    assert state.next_run == T0 + timedelta(minutes=5)
    history.unschedule_all()
    [state] = read_states(tmp_path / "h.sqlite", ["demo"])
    assert state.next_run is None


def test_times_are_stored_in_utc(history, tmp_path):
    paris = datetime(2026, 1, 15, 10, 0, tzinfo=__import__("zoneinfo").ZoneInfo("Europe/Paris"))
    history.set_next_run("demo", paris)
    [state] = read_states(tmp_path / "h.sqlite", ["demo"])
    assert state.next_run == paris
    assert state.next_run is not None and state.next_run.utcoffset() == timedelta(0)


def test_reading_a_missing_history_creates_nothing(tmp_path):
    path = tmp_path / "none.sqlite"
    [state] = read_states(path, ["demo"])
    assert (state.runs, state.last_outcome, state.next_run) == (0, None, None)
    assert read_budget(path) is None and read_runs(path, "demo") == []
    assert not path.exists()


def test_a_file_that_is_not_a_history_reads_as_empty(tmp_path):
    path = tmp_path / "other.sqlite"
    import sqlite3

    sqlite3.connect(path).close()
    assert read_states(path, ["demo"])[0].runs == 0
    assert read_budget(path) is None


def test_budget_use_is_replaced_not_accumulated(history, tmp_path):
    history.set_budget(BudgetUse(10, 60, 2, 60, updated=T0))
    history.set_budget(BudgetUse(12, 60, 3, 50, updated=T0))
    assert read_budget(tmp_path / "h.sqlite") == BudgetUse(12, 60, 3, 50, updated=T0)


def test_history_file_is_created_with_its_folder(tmp_path):
    path = tmp_path / "var" / "lib" / "h.sqlite"
    with History(path) as h:
        h.record(run())
    assert path.is_file()
