"""From a plan's `every` or `cron` to an APScheduler 3 trigger.

- `every = "5m"` → an interval trigger with a small jitter (a tenth of the interval, at
  most 30 s) so plans that share an interval spread out instead of hitting the quota
  together.
- `cron = "*/10 8-19 * * 1-5"` → a cron trigger. Day-of-week numbers follow crontab
  (0 or 7 = Sunday, 1 = Monday); APScheduler 3 counts 0 as Monday, so the field is
  translated to day names first.
- A plan with neither runs every 5 minutes.

The time zone is the plan's `timezone`, else the daemon's.

>>> crontab_days("1-5"), crontab_days("0,6"), crontab_days("*/2"), crontab_days("*")
('mon,tue,wed,thu,fri', 'sun,sat', 'sun,tue,thu,sat', '*')
"""

from __future__ import annotations

import math
import random
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from sheetpilot._config import Config, PlanConfig
from sheetpilot._errors import ConfigError

DEFAULT_EVERY = 300.0  # seconds, for a plan with neither `every` nor `cron`
CRON_BACKOFF_BASE = 60.0  # seconds: the first backoff step of a cron plan
MAX_JITTER = 30.0
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def jitter_for(interval: float) -> float:
    """The random delay added to each run of an interval plan.

    >>> jitter_for(300), jitter_for(1), jitter_for(3600)
    (30.0, 0.1, 30.0)
    """
    return min(interval / 10, MAX_JITTER)


def misfire_grace(interval: float) -> int:
    """How late a run may still start (a busy or suspended machine): half the interval,
    between 1 s and 5 minutes. Later than that the run is skipped; missed runs coalesce.

    >>> misfire_grace(1), misfire_grace(300), misfire_grace(86400)
    (1, 150, 300)
    """
    return int(max(1.0, min(interval / 2, 300.0)))


class JitteredInterval(IntervalTrigger):  # type: ignore[misc]
    """An interval trigger whose jitter does not accumulate.

    APScheduler 3 adds each run's jitter to the previous (already jittered) run time, so
    the schedule drifts later by half the jitter every run. Here every run is a random
    offset from its own slot of the fixed grid `start_date + k * interval`.
    """

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        start = self.start_date.timestamp()
        length: float = self.interval_length
        if previous_fire_time is None:
            slot = max(0, math.ceil((now.timestamp() - start) / length))
        else:
            slot = max(0, math.floor((previous_fire_time.timestamp() - start) / length) + 1)
        fire = start + slot * length + random.uniform(0, self.jitter or 0)
        return datetime.fromtimestamp(fire, tz=self.timezone)


def _day(token: str) -> int:
    token = token.strip().lower()
    if token.isdigit() and 0 <= int(token) <= 7:
        return int(token) % 7
    if token[:3] in _DAYS:
        return _DAYS.index(token[:3])
    raise ValueError(f"{token!r} is not a day of the week (0-7 or sun..sat)")


def crontab_days(field: str) -> str:
    """A crontab day-of-week field as APScheduler 3 day names (see the module docstring)."""
    days: set[int] = set()
    for term in field.split(","):
        span, _, step_text = term.partition("/")
        step = int(step_text) if step_text else 1
        if step < 1:
            raise ValueError(f"{term!r}: the step must be at least 1")
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            a, b = span.split("-", 1)
            first, last = _day(a), _day(b)
            if b.strip() == "7":
                last = 7
        else:
            first = _day(span)
            last = 6 if step_text else first
        if last < first:
            raise ValueError(f"{term!r}: the range goes backwards")
        days.update(d % 7 for d in range(first, last + 1, step))
    if days == set(range(7)):
        return "*"
    return ",".join(_DAYS[d] for d in sorted(days))


def plan_timezone(config: Config, plan: PlanConfig) -> ZoneInfo:
    return ZoneInfo(plan.timezone or config.daemon.timezone)


def plan_interval(plan: PlanConfig) -> float:
    """The plan's nominal interval in seconds (a cron plan: the backoff base)."""
    if plan.cron is not None:
        return CRON_BACKOFF_BASE
    return plan.every_seconds or DEFAULT_EVERY


def plan_trigger(config: Config, plan: PlanConfig) -> BaseTrigger:
    """The APScheduler trigger for a plan's schedule, in the plan's time zone."""
    tz = plan_timezone(config, plan)
    if plan.cron is not None:
        minute, hour, day, month, dow = plan.cron.split()
        try:
            return CronTrigger(
                minute=minute,
                hour=hour,
                day=day,
                month=month,
                day_of_week=crontab_days(dow),
                timezone=tz,
            )
        except ValueError as exc:
            raise ConfigError(
                "plan {name!r}: cron {cron!r} is not valid: {exc}",
                name=plan.name,
                cron=plan.cron,
                exc=exc,
            ) from None
    interval = plan_interval(plan)
    return JitteredInterval(seconds=interval, jitter=jitter_for(interval), timezone=tz)
