"""One daemon on PostgreSQL, in this process: history, status, leases and the shared budget.

Needs SHEETPILOT_TEST_POSTGRES (`eval "$(bash .ci/postgres.sh)"`); skips without it, fails
under CI=true (see tests/test_daemon_fleet.py).
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from rich.console import Console

from fakesheets import FakeSheets
from sheetpilot._backends.google import GoogleBackend
from sheetpilot._config import GoogleConfig, config_from_dict, load_config
from sheetpilot._daemon import Daemon
from sheetpilot._daemon.pg import Leases, PgGovernor, PgHistory, connect
from sheetpilot._errors import ConfigError
from sheetpilot._example import example_plan
from sheetpilot._history import RunRecord
from sheetpilot._scaffold import scaffold_changes
from sheetpilot._status import print_status, status_rows
from tests.polling import wait_until
from tests.test_daemon_fleet import db, pg_url  # noqa: F401  (fixtures)


def lay_example(fake: FakeSheets) -> str:
    key = fake.create_spreadsheet("Plan")
    backend = GoogleBackend(key, GoogleConfig(credentials="none", endpoint=fake.url))
    backend.write(scaffold_changes(backend.read(), "fr", example_plan(date(2026, 1, 5))))
    return key


def write_config(path: Path, fake: FakeSheets, plans: dict[str, str], url: str) -> Path:
    lines = ["[google]", 'credentials = "none"', f'endpoint = "{fake.url}"', "[daemon]"]
    lines += [f'database = "{url}"', 'lease_time = "3s"', "reads_per_minute = 30"]
    for name, key in plans.items():
        lines += ["[[plans]]", f'name = "{name}"', f'spreadsheet = "{key}"', 'every = "0.5s"']
    path.write_text("\n".join(lines) + "\n")
    return path


def test_one_daemon_on_postgres_keeps_history_status_and_budget_there(tmp_path, fake, db):  # noqa: F811
    plans = {name: lay_example(fake) for name in ("a", "b")}
    config = write_config(tmp_path / "sheetpilot.toml", fake, plans, db)
    daemon = Daemon(config, {})
    daemon.start()
    try:
        assert daemon.leases is not None
        wait_until(lambda: all(r["runs"] == 1 for r in status_rows(load_config(config))))
        assert daemon.leases.held == {"a", "b"}
        assert daemon.governor.usage().reads == 2 and daemon.governor.used("read") == 2
        fake.set_values(plans["a"], "'Suivi des actions'!H26", [[5]])
        wait_until(lambda: status_rows(load_config(config))[0]["runs"] == 2)
        out = io.StringIO()
        print_status(load_config(config), console=Console(file=out, width=200))
        assert "reads 3/30" in out.getvalue() and "edit" in out.getvalue()
    finally:
        daemon.stop()
    rows = {r["plan"]: r for r in status_rows(load_config(config))}
    assert rows["a"]["reason"] == "edit" and rows["b"]["reason"] == "first-run"
    assert rows["a"]["next_run"] is None  # the stopped member unscheduled its plans
    with PgHistory(db) as history:
        assert [r.reason for r in history.runs("a")] == ["edit", "first-run"]
        assert history.holders("a") == [daemon.history.holder] * 2  # type: ignore[attr-defined]
        assert history.failures_in_a_row("a") == 0
        assert history.feed_token() is not None
    with connect(db) as conn:
        assert conn.execute(
            "SELECT count(*) FROM sheetpilot_leases WHERE holder IS NOT NULL"
        ).fetchone() == (0,)


def test_the_history_keeps_only_the_newest_runs(db):  # noqa: F811
    with PgHistory(db, keep=2) as history:
        for n in range(4):
            history.record(RunRecord("p", datetime(2026, 1, 15, 9, n, tzinfo=UTC), 0.1, "failed"))
        assert [r.started.minute for r in history.runs("p")] == [3, 2]
        assert history.failures_in_a_row("p") == 4
        history.saw_changes([("K", 3, False, None)], "9")
        history.forget_syncs()
        assert history.states(["p", "q"])[1].runs == 0


def test_a_shared_window_refuses_the_second_member_what_the_first_used(db):  # noqa: F811
    one = PgGovernor(db, reads_per_minute=2, writes_per_minute=1)
    two = PgGovernor(db, reads_per_minute=2, writes_per_minute=1)
    try:
        assert one.try_acquire("read") == 0.0 and two.try_acquire("read") == 0.0
        assert two.try_acquire("read") > 50  # the window holds two reads: wait ~61 s
        assert one.try_acquire("write") == 0.0 and two.try_acquire("write") > 50
        assert one.usage().reads == 2 and two.usage().writes == 1
    finally:
        one.close()
        two.close()


def test_leases_split_fairly_and_balance_when_a_member_joins(db):  # noqa: F811
    plans = [f"p{n}" for n in range(6)]
    first = Leases(db, plans, lease_time=30, holder="first")
    assert first.refresh() == set(plans)
    second = Leases(db, plans, lease_time=30, holder="second")
    assert second.refresh() == set()  # all taken; the first hands over at its next renewal
    assert len(first.refresh()) == 3
    assert len(second.refresh()) == 3 and first.held.isdisjoint(second.held)
    second.release_all()
    assert first.refresh() == set(plans)
    first.release_all()


def test_a_database_that_cannot_be_reached_names_it_without_the_password(tmp_path, fake):
    url = "postgresql://sheetpilot:s3cret@127.0.0.1:9/sheetpilot"
    config = write_config(tmp_path / "sheetpilot.toml", fake, {}, url)
    with pytest.raises(ConfigError) as caught:
        Daemon(config, {})
    assert "postgresql://sheetpilot@127.0.0.1:9/sheetpilot" in str(caught.value)
    assert "s3cret" not in str(caught.value)


def test_database_is_a_postgresql_url_or_the_sqlite_file(tmp_path):
    with pytest.raises(ConfigError, match=r"daemon\.database: mysql:// is not a database"):
        config_from_dict({"daemon": {"database": "mysql://db/x"}}, source=tmp_path / "c.toml")
    sqlite = config_from_dict({"daemon": {"database": "h.sqlite"}}, source=tmp_path / "c.toml")
    assert sqlite.history_path == tmp_path / "h.sqlite" and sqlite.daemon.postgres is None
    with pytest.raises(ConfigError, match="give `history` or `database`, not both"):
        config_from_dict({"daemon": {"database": "a", "history": "b"}}, source=tmp_path / "c.toml")


def test_once_in_a_fleet_syncs_only_the_plans_it_could_lease(tmp_path, fake, db):  # noqa: F811
    plans = {name: lay_example(fake) for name in ("a", "b")}
    config = write_config(tmp_path / "sheetpilot.toml", fake, plans, db)
    member = Leases(db, ["a", "b"], lease_time=30, holder="a running member")
    assert member.refresh() == {"a", "b"}
    daemon = Daemon(config, {})
    assert daemon.run_once() == 0
    assert [r["runs"] for r in status_rows(load_config(config))] == [0, 0]
    member.release_all()
    assert Daemon(config, {}).run_once() == 0
    assert [r["runs"] for r in status_rows(load_config(config))] == [1, 1]
    with PgHistory(db) as history:
        assert [r.reason for r in history.runs("a")] == ["once"]
