"""Periods: the period list, and the workload per period and per owner.

Generated periods follow DESIGN.md §3: period i (1-based) is named ``P{i}``, starts at
``plan_start + (i − 1)·length`` and ends ``length − 1`` days later (inclusive).

>>> from sheetpilot._models import Settings
>>> s = Settings(statuses=(), priorities=(), plan_start=date(2026, 1, 5), period_count=2)
>>> [(p.name, p.start.isoformat(), p.end.isoformat()) for p in build_periods(s)]
[('P1', '2026-01-05', '2026-01-14'), ('P2', '2026-01-15', '2026-01-24')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Protocol, TypeVar

from sheetpilot._compute.keys import name_key
from sheetpilot._models import (
    Action,
    OwnerLoad,
    ParsedPlan,
    PeriodDef,
    PeriodSummary,
    Settings,
    StatusType,
)

DEFAULT_PERIOD_COUNT = 6


class Span(Protocol):
    """Anything with a name and an inclusive date range (PeriodDef, PeriodSummary)."""

    @property
    def name(self) -> str: ...
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...


SpanT = TypeVar("SpanT", bound=Span)


def build_periods(settings: Settings, due_dates: Iterable[date | None] = ()) -> list[PeriodDef]:
    """The plan's periods: the explicit table when present, else generated P1..Pn.

    n is ``settings.period_count`` when set. When it is absent, enough periods are
    generated to cover the latest of `due_dates` (the results' due dates; at least one
    period), or 6 periods when no due date is given. Without a plan start and without
    an explicit table there is nothing to anchor periods on: the list is empty.

    >>> from sheetpilot._models import Settings
    >>> s = Settings(statuses=(), priorities=(), plan_start=date(2026, 1, 1), period_length=7)
    >>> len(build_periods(s)), len(build_periods(s, [date(2026, 1, 15)]))
    (6, 3)
    """
    if settings.explicit_periods:
        return list(settings.explicit_periods)
    start = settings.plan_start
    if start is None:
        return []
    length = max(1, settings.period_length)
    count = settings.period_count
    if count is None:
        dues = [d for d in due_dates if d is not None]
        if dues:
            covered_days = (max(dues) - start).days + 1
            count = max(1, -(-covered_days // length))  # ceiling division
        else:
            count = DEFAULT_PERIOD_COUNT
    return [
        PeriodDef(
            name=f"P{i}",
            start=start + timedelta(days=(i - 1) * length),
            end=start + timedelta(days=i * length - 1),
        )
        for i in range(1, count + 1)
    ]


def plan_periods(plan: ParsedPlan) -> list[PeriodDef]:
    """The periods compute_plan uses for `plan` (due dates taken from its results)."""
    return build_periods(plan.settings, (r.due for r in plan.results))


def period_containing(periods: Sequence[SpanT], day: date) -> SpanT | None:
    """The first period whose range holds `day`, None when none does.

    >>> from sheetpilot._models import PeriodDef
    >>> p = [PeriodDef(name="P1", start=date(2026, 1, 1), end=date(2026, 1, 10))]
    >>> period_containing(p, date(2026, 1, 10)).name, period_containing(p, date(2026, 1, 11))
    ('P1', None)
    """
    for period in periods:
        if period.start <= day <= period.end:
            return period
    return None


def find_period(periods: Sequence[SpanT], name: str | None) -> SpanT | None:
    """The period called `name` (case, accents and spacing ignored), None when unknown."""
    if name is None:
        return None
    wanted = name_key(name)
    for period in periods:
        if name_key(period.name) == wanted:
            return period
    return None


def period_index(periods: Sequence[SpanT]) -> dict[str, SpanT]:
    """Periods by comparison key, the first of each name: `find_period` for many lookups.

    >>> from sheetpilot._models import PeriodDef
    >>> index = period_index([PeriodDef(name="P1", start=date(2026, 1, 1), end=date(2026, 1, 10))])
    >>> index[name_key(" p1 ")].name
    'P1'
    """
    index: dict[str, SpanT] = {}
    for period in periods:
        index.setdefault(name_key(period.name), period)
    return index


def working_days(start: date, end: date) -> int:
    """Monday–Friday days between `start` and `end`, both included (0 when end < start).

    >>> working_days(date(2026, 1, 9), date(2026, 1, 12))  # Friday to Monday
    2
    """
    if end < start:
        return 0
    days = (end - start).days + 1
    full_weeks, rest = divmod(days, 7)
    first = start.weekday()  # Monday = 0
    extra = sum(1 for k in range(rest) if (first + k) % 7 < 5)
    return full_weeks * 5 + extra


def _round(value: float) -> float:
    return round(value, 6)


def _counted(action: Action) -> bool:
    return action.status_type is not StatusType.CANCELLED


def actions_in(actions: Iterable[Action], period: Span) -> list[Action]:
    """The non-cancelled actions assigned to `period`, in row order."""
    return by_period(actions).get(name_key(period.name), [])


def by_period(actions: Iterable[Action]) -> dict[str, list[Action]]:
    """The non-cancelled actions grouped by their period's key, each group in row order.

    One pass over the actions, so that a plan of many periods is not scanned per period.
    """
    groups: dict[str, list[Action]] = {}
    for a in actions:
        if a.period is not None and _counted(a):
            groups.setdefault(name_key(a.period), []).append(a)
    return groups


def summarize_periods(
    actions: Sequence[Action], periods: Sequence[PeriodDef], settings: Settings
) -> tuple[PeriodSummary, ...]:
    """One summary per period: its actions, estimated and done person-days, capacity, load.

    A missing estimate counts 0 (checks.missing_estimates reports it). Capacity is the
    sum of every owner's capacity; load is person-days / capacity, None when capacity
    is 0.
    """
    capacity = _round(sum(o.capacity for o in settings.owners))
    groups = by_period(actions)
    summaries = []
    for period in periods:
        members = groups.get(name_key(period.name), [])
        person_days = _round(sum(a.estimate or 0.0 for a in members))
        done = _round(sum(a.estimate or 0.0 for a in members if a.status_type is StatusType.DONE))
        summaries.append(
            PeriodSummary(
                name=period.name,
                start=period.start,
                end=period.end,
                days=(period.end - period.start).days + 1,
                working_days=working_days(period.start, period.end),
                actions=len(members),
                person_days=person_days,
                done_person_days=done,
                capacity=capacity,
                load=_round(person_days / capacity) if capacity > 0 else None,
            )
        )
    return tuple(summaries)


def owner_loads(
    actions: Sequence[Action], periods: Sequence[PeriodDef], settings: Settings
) -> tuple[OwnerLoad, ...]:
    """Person-days per owner and period against the owner's capacity, period by period.

    Within a period: every owner of the settings, in settings order (0 person-days when
    idle), then each owner not in the settings who has actions in that period, in order
    of first appearance, with capacity 0. Actions without an owner are not counted.
    """
    known = {name_key(o.name): o for o in settings.owners}
    unknown: dict[str, str] = {}  # key → name as first typed
    for action in actions:
        key = name_key(action.owner)
        if key and key not in known and key not in unknown:
            unknown[key] = action.owner.strip()
    groups = by_period(actions)
    loads = []
    for period in periods:
        per_owner: dict[str, float] = {}
        for action in groups.get(name_key(period.name), []):
            key = name_key(action.owner)
            if key:
                per_owner[key] = per_owner.get(key, 0.0) + (action.estimate or 0.0)
        for key, owner in known.items():
            loads.append(
                OwnerLoad(
                    owner=owner.name,
                    period=period.name,
                    person_days=_round(per_owner.get(key, 0.0)),
                    capacity=owner.capacity,
                )
            )
        for key, name in unknown.items():
            if key in per_owner:
                loads.append(
                    OwnerLoad(
                        owner=name,
                        period=period.name,
                        person_days=_round(per_owner[key]),
                        capacity=0.0,
                    )
                )
    return tuple(loads)
