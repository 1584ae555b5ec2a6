"""Plan schedules → APScheduler triggers (every / cron, time zones, jitter)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger

from sheetpilot._config import config_from_dict
from sheetpilot._daemon.schedule import (
    JitteredInterval,
    crontab_days,
    jitter_for,
    plan_interval,
    plan_trigger,
)
from sheetpilot._errors import ConfigError

PARIS = ZoneInfo("Europe/Paris")


def config(tz: str = "UTC", **plan):
    return config_from_dict(
        {"daemon": {"timezone": tz}, "plans": [{"name": "p", "path": "p.xlsx", **plan}]}
    )


@pytest.mark.parametrize(
    ("field", "days"),
    [
        ("*", "*"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("0", "sun"),
        ("7", "sun"),
        ("6,0", "sun,sat"),
        ("5-7", "sun,fri,sat"),
        ("*/2", "sun,tue,thu,sat"),
        ("1/2", "mon,wed,fri"),
        ("mon-fri", "mon,tue,wed,thu,fri"),
        ("SAT,sun", "sun,sat"),
        ("0-6", "*"),
    ],
)
def test_crontab_day_numbers_count_sunday_as_zero(field, days):
    assert crontab_days(field) == days


@pytest.mark.parametrize("field", ["8", "5-1", "xyz", "*/0"])
def test_bad_day_fields_are_refused(field):
    with pytest.raises(ValueError):
        crontab_days(field)


def test_weekday_cron_fires_monday_to_friday_only():
    trigger = plan_trigger(config(cron="0 9 * * 1-5"), config(cron="0 9 * * 1-5").plans[0])
    assert isinstance(trigger, CronTrigger)
    when = datetime(2026, 1, 9, 10, 0, tzinfo=ZoneInfo("UTC"))  # a Friday, after 9:00
    fires = []
    for _ in range(5):
        when = trigger.get_next_fire_time(None, when + timedelta(seconds=1))
        fires.append(when.strftime("%a %H:%M"))
    assert fires == ["Mon 09:00", "Tue 09:00", "Wed 09:00", "Thu 09:00", "Fri 09:00"]


def test_cron_runs_in_the_plans_time_zone_over_the_default():
    cfg = config(tz="UTC", cron="0 9 * * *", timezone="Europe/Paris")
    trigger = plan_trigger(cfg, cfg.plans[0])
    fire = trigger.get_next_fire_time(None, datetime(2026, 7, 1, tzinfo=ZoneInfo("UTC")))
    assert fire.astimezone(PARIS).hour == 9
    assert fire.astimezone(ZoneInfo("UTC")).hour == 7  # summer time


def test_cron_takes_the_daemon_time_zone_by_default():
    cfg = config(tz="Europe/Paris", cron="30 8 * * *")
    fire = plan_trigger(cfg, cfg.plans[0]).get_next_fire_time(
        None, datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC"))
    )
    assert (fire.astimezone(PARIS).hour, fire.minute) == (8, 30)


def test_an_impossible_cron_is_a_config_error():
    cfg = config(cron="61 * * * *")
    with pytest.raises(ConfigError, match="cron"):
        plan_trigger(cfg, cfg.plans[0])


@pytest.mark.parametrize(
    ("plan", "seconds"), [({"every": "5m"}, 300.0), ({}, 300.0), ({"every": "1.5s"}, 1.5)]
)
def test_interval_plans_run_every_interval(plan, seconds):
    cfg = config(**plan)
    trigger = plan_trigger(cfg, cfg.plans[0])
    assert isinstance(trigger, JitteredInterval)
    assert trigger.interval_length == seconds == plan_interval(cfg.plans[0])
    assert trigger.jitter == jitter_for(seconds)


def test_jitter_spreads_runs_but_never_drifts():
    cfg = config(every="10s")
    trigger = plan_trigger(cfg, cfg.plans[0])
    start = trigger.start_date
    fire = trigger.get_next_fire_time(None, start)
    for _ in range(200):
        fire = trigger.get_next_fire_time(fire, fire)
    slot = 201 * 10.0
    offset = (fire - start).total_seconds()
    assert slot - 10 <= offset <= slot - 10 + jitter_for(10.0)
