"""Change detection against the stand-in: a plan is read from Sheets for an edit, a day
change, the safety net or its first run, never for our own write; Drive's change signals
arrive late (coalesced), and the daemon copes with that."""

from __future__ import annotations

import functools
import random
import time
from datetime import UTC, date, datetime, timedelta

from fakesheets import FakeSheets
from sheetpilot._backends.google import GoogleBackend
from sheetpilot._backends.google.drive import DriveClient
from sheetpilot._config import GoogleConfig, config_from_dict
from sheetpilot._daemon import Daemon
from sheetpilot._daemon.changes import ChangeFeed
from sheetpilot._daemon.governor import Governor
from sheetpilot._daemon.runner import PlanRunner
from sheetpilot._example import example_plan
from sheetpilot._history import History, Watch
from sheetpilot._scaffold import scaffold_changes
from sheetpilot._status import status_rows
from tests.polling import wait_until


def lay_example(fake: FakeSheets) -> str:
    key = fake.create_spreadsheet("Plan")
    backend = GoogleBackend(key, GoogleConfig(credentials="none", endpoint=fake.url))
    backend.write(scaffold_changes(backend.read(), "fr", example_plan(date(2026, 1, 5))))
    return key


def edit(fake: FakeSheets, key: str, impact: int) -> None:
    """A user changes the impact of an action to do (its rank changes: the sync writes)."""
    fake.set_values(key, "'Suivi des actions'!H26", [[impact]])


def sheets(fake: FakeSheets, method: str = "GET", key: str = "") -> int:
    return sum(
        1 for e in fake.log if e.path.startswith("/v4/") and e.method == method and key in e.path
    )


def drive(fake: FakeSheets) -> int:
    return sum(1 for e in fake.log if e.path.startswith("/drive/"))


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def setup(tmp_path, fake, plans: dict[str, tuple[str, str]], **daemon):
    """Runners for `plans` (name → (key, time zone)) sharing a history, a Drive client and
    a feed, with a clock the test moves."""
    config = config_from_dict(
        {
            "google": {"credentials": "none", "endpoint": fake.url},
            "daemon": daemon,
            "plans": [
                {"name": n, "spreadsheet": key, "every": "1m", "timezone": tz}
                for n, (key, tz) in plans.items()
            ],
        },
        source=tmp_path / "sheetpilot.toml",
    )
    history = History(config.history_path)
    governor = Governor()
    client = DriveClient(config.google, before_request=lambda: governor.acquire("drive"))
    feed = ChangeFeed(client, history)
    clock = Clock(datetime(2026, 1, 15, 12, 0, tzinfo=UTC))
    runners = {
        p.name: PlanRunner(config, p, governor=governor, history=history, clock=clock, drive=client)
        for p in config.plans
    }
    return runners, feed, clock, history


def poll(feed: ChangeFeed, runners) -> dict[str, str | None]:
    """One polling cycle: refresh the feed, sync whatever is due; {plan: reason}."""
    assert feed.refresh(0.0)
    reasons = {}
    for name, runner in runners.items():
        reasons[name] = runner.due()
        if reasons[name] is not None:
            assert runner.run(reasons[name]).record.outcome == "ok"
    return reasons


def test_first_run_then_nothing_then_an_edit_then_nothing(tmp_path, fake):
    key = lay_example(fake)
    runners, feed, _, history = setup(tmp_path, fake, {"p": (key, "UTC")})
    assert poll(feed, runners) == {"p": "first-run"}
    fake.reset()
    assert poll(feed, runners) == {"p": None}  # our own write is in the feed: nothing
    assert sheets(fake) == 0 and drive(fake) == 1  # one changes.list, no Sheets request
    edit(fake, key, 5)
    assert poll(feed, runners) == {"p": "edit"}
    assert sheets(fake, "GET") == 1 and sheets(fake, "POST") == 1  # read, and wrote ranks
    assert history.runs("p")[0].drive_requests == 2  # the version before, and after our write
    assert poll(feed, runners) == {"p": None}
    watch = history.watch("p")
    assert watch is not None and watch.synced_version == fake.version(key)
    assert watch.last_change is not None and watch.reason == "edit"


def test_a_plan_with_missing_tabs_is_read_once_not_on_every_poll(tmp_path, fake):
    key = fake.create_spreadsheet("Not a plan yet", sheets={"Feuille 1": [["notes"]]})
    runners, feed, _, _ = setup(tmp_path, fake, {"p": (key, "UTC")})
    assert feed.refresh(0.0)
    first = runners["p"].run(runners["p"].due() or "once")
    assert first.record.outcome == "errors" and "est absent" in first.record.message  # fr plan
    fake.reset()
    assert feed.refresh(0.0) and runners["p"].due() is None
    assert sheets(fake) == 0
    fake.set_values(key, "'Feuille 1'!A2", [["more notes"]])
    assert feed.refresh(0.0) and runners["p"].due() == "edit"


def test_the_day_changes_in_each_plans_own_time_zone(tmp_path, fake):
    plans = {"paris": (lay_example(fake), "Europe/Paris"), "utc": (lay_example(fake), "UTC")}
    runners, feed, clock, _ = setup(tmp_path, fake, plans)
    clock.now = datetime(2026, 1, 15, 22, 30, tzinfo=UTC)  # 23:30 in Paris
    assert poll(feed, runners) == {"paris": "first-run", "utc": "first-run"}
    clock.now = datetime(2026, 1, 15, 23, 30, tzinfo=UTC)  # past midnight in Paris only
    assert poll(feed, runners) == {"paris": "day-change", "utc": None}
    clock.now = datetime(2026, 1, 16, 0, 30, tzinfo=UTC)
    assert poll(feed, runners) == {"paris": None, "utc": "day-change"}


def test_the_safety_net_reads_a_plan_nobody_touched(tmp_path, fake):
    runners, feed, clock, _ = setup(
        tmp_path, fake, {"p": (lay_example(fake), "UTC")}, max_interval="2h"
    )
    clock.now = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)
    assert poll(feed, runners) == {"p": "first-run"}
    clock.now += timedelta(hours=1, minutes=59)
    assert poll(feed, runners) == {"p": None}
    clock.now += timedelta(minutes=1)
    assert poll(feed, runners) == {"p": "safety-net"}
    assert poll(feed, runners) == {"p": None}


def test_late_change_signals_are_picked_up_when_they_arrive(tmp_path, fake):
    key = lay_example(fake)
    runners, feed, _, _ = setup(tmp_path, fake, {"p": (key, "UTC")})
    now = [time.monotonic()]  # the stand-in's change clock, moved by the test
    fake.app.changes.clock = lambda: now[0]
    fake.change_delay = 180.0
    assert poll(feed, runners) == {"p": "first-run"}
    now[0] += 180.0  # our own write's signal arrives: still nothing to do
    assert poll(feed, runners) == {"p": None}
    edit(fake, key, 5)
    now[0] += 179.0
    assert poll(feed, runners) == {"p": None}  # Drive has not told yet
    now[0] += 1.0
    assert poll(feed, runners) == {"p": "edit"}
    now[0] += 180.0
    assert poll(feed, runners) == {"p": None}


def test_an_edit_already_read_by_another_sync_does_not_read_again(tmp_path, fake):
    key = lay_example(fake)
    runners, feed, clock, _ = setup(tmp_path, fake, {"p": (key, "UTC")})
    now = [time.monotonic()]  # the stand-in's change clock, moved by the test
    fake.app.changes.clock = lambda: now[0]
    fake.change_delay = 180.0
    assert poll(feed, runners) == {"p": "first-run"}
    edit(fake, key, 5)
    clock.now += timedelta(days=1)  # the day changes before Drive tells of the edit
    assert poll(feed, runners) == {"p": "day-change"}
    now[0] += 400.0
    assert poll(feed, runners) == {"p": None}  # that sync covered the edit


def test_status_rows_show_the_last_change_the_last_sync_and_why(tmp_path, fake):
    key = lay_example(fake)
    runners, feed, _, _ = setup(tmp_path, fake, {"p": (key, "UTC")})
    poll(feed, runners)
    edit(fake, key, 5)
    poll(feed, runners)
    config = runners["p"].config
    (row,) = status_rows(config)
    assert row["reason"] == "edit" and row["runs"] == 2
    assert row["last_sync"] == "2026-01-15T12:00:00+00:00"
    assert row["last_change"] is not None


def test_watch_state_survives_in_the_history(tmp_path):
    with History(tmp_path / "h.sqlite") as history:
        history.record_sync(
            "p",
            "K",
            version=4,
            day=date(2026, 1, 15),
            when=datetime(2026, 1, 15, tzinfo=UTC),
            reason="edit",
        )
        history.saw_changes([("K", 3, False, None), ("other", 9, False, None)], "17")
    with History(tmp_path / "h.sqlite") as history:
        watch = history.watch("p")
        assert history.feed_token() == "17"
    assert watch is not None and isinstance(watch, Watch)
    assert (watch.synced_version, watch.seen_version, watch.reason) == (4, 4, "edit")


def synced(daemon: Daemon, fake: FakeSheets, keys: list[str], n: int) -> bool:
    """Plan `n`'s last sync covered its spreadsheet's current version."""
    watch = daemon.history.watch(f"p{n}")
    return watch is not None and watch.synced_version == fake.version(keys[n])


def all_synced(daemon: Daemon, fake: FakeSheets, keys: list[str], plans: list[int]) -> bool:
    return all(synced(daemon, fake, keys, n) for n in plans)


def test_200_plans_cost_sheets_reads_per_edit_not_per_plan(tmp_path, fake):
    # A daemon restarted after every plan was synced; each cycle users edit a random 5 %.
    keys = [lay_example(fake) for _ in range(200)]
    today = datetime.now(UTC)
    config_path = tmp_path / "sheetpilot.toml"
    lines = ["[google]", 'credentials = "none"', f'endpoint = "{fake.url}"', "[daemon]"]
    lines += ['history = "history.sqlite"']  # the default budget: 60 reads, 60 writes a minute
    for n, key in enumerate(keys):
        lines += ["[[plans]]", f'name = "p{n}"', f'spreadsheet = "{key}"', 'every = "1s"']
    config_path.write_text("\n".join(lines) + "\n")
    with History(tmp_path / "history.sqlite") as history:
        for n, key in enumerate(keys):
            history.record_sync(
                f"p{n}",
                key,
                version=fake.version(key),
                day=today.date(),
                when=today,
                reason="first-run",
            )
    fake.reset()
    rng = random.Random(14)
    daemon = Daemon(config_path, {})
    daemon.start()
    per_cycle = []
    try:
        feed = daemon.feed
        assert feed is not None
        wait_until(lambda: feed.polls >= 1)
        for cycle in range(3):
            edited = rng.sample(range(200), 10)  # 5 %
            before = sheets(fake)
            for n in edited:
                edit(fake, keys[n], 5 - cycle)
            wait_until(functools.partial(all_synced, daemon, fake, keys, edited))
            per_cycle.append(sheets(fake) - before)
        polls = feed.polls
        reads = sheets(fake)
        wait_until(lambda: feed.polls >= polls + 3)  # our writes reached the feed: nothing
        assert sheets(fake) == reads
    finally:
        daemon.stop()
    assert per_cycle == [10, 10, 10]  # one read per edited plan, none for the 190 others
    assert sheets(fake, "POST") == 30  # each edit changed the ranks: one write each


def test_a_runs_log_line_says_why_it_synced(tmp_path, fake):
    from sheetpilot._daemon.logs import run_fields, run_line
    from sheetpilot._history import BudgetUse

    key = lay_example(fake)
    runners, feed, _, _ = setup(tmp_path, fake, {"p": (key, "UTC")})
    assert feed.refresh(0.0)
    run = runners["p"].run(runners["p"].due() or "once")
    fields = run_fields(run.record, BudgetUse(1, 60, 1, 60, drive=2, drive_per_minute=1000))
    assert fields["reason"] == "first-run"
    assert " reason=first-run " in run_line(fields)
    assert " budget=reads 1/60, writes 1/60, Drive 2/1000 per minute" in run_line(fields)
