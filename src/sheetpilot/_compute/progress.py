"""Objective progress: each target result's progress and health, then per objective.

DESIGN.md §3 "Objective progress". A result whose baseline, target or current cell holds
a formula saved without its result (`Result.uncalculated`) has an unknown progress: None,
with no health, rather than the 0 % "at risk" a blank cell gives; its objective's progress
and health are unknown too (a mean over the other results would pass a partial figure
for the whole), and sheetpilot leaves those cells blank until the formula is calculated.

>>> result_progress(baseline=100.0, target=60.0, current=80.0)  # a decreasing target
0.5
>>> expected_progress(date(2026, 1, 1), date(2026, 1, 11), today=date(2026, 1, 6))
0.5
>>> health(0.4, expected=0.5, due=date(2026, 3, 1), today=date(2026, 1, 6))
'at risk'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from sheetpilot._compute.keys import id_key, objective_key
from sheetpilot._models import (
    Action,
    Health,
    ObjectiveProgress,
    Result,
    ResultProgress,
    StatusType,
)


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def _shown(value: float) -> float:
    """Figures are stored and shown to 6 decimals; decisions use the exact value."""
    return round(value, 6)


def _exact_progress(baseline: float | None, target: float | None, current: float | None) -> float:
    if baseline is None or target is None or current is None:
        return 0.0
    if math.isclose(target, baseline, rel_tol=0.0, abs_tol=1e-9):
        return 1.0 if math.isclose(current, target, rel_tol=0.0, abs_tol=1e-9) else 0.0
    return _clamp((current - baseline) / (target - baseline))


_FIGURES = ("baseline", "target", "current")


def is_known(result: Result) -> bool:
    """Whether the result's figures can be read (none is an uncalculated formula)."""
    return not any(key in result.uncalculated for key in _FIGURES)


def _exact_expected(plan_start: date | None, due: date | None, today: date) -> float:
    if due is None or plan_start is None:
        return 0.0
    span = (due - plan_start).days
    if span <= 0:
        return 1.0
    return _clamp((today - plan_start).days / span)


def result_progress(baseline: float | None, target: float | None, current: float | None) -> float:
    """(current − baseline) / (target − baseline), clamped to [0, 1], to 6 decimals.

    Missing current, baseline or target → 0. When target = baseline: 1 if current
    equals the target, else 0.

    >>> result_progress(10.0, 10.0, 10.0), result_progress(10.0, 20.0, 25.0)
    (1.0, 1.0)
    """
    return _shown(_exact_progress(baseline, target, current))


def expected_progress(plan_start: date | None, due: date | None, today: date) -> float:
    """Share of the time from plan start to `due` already elapsed at `today`, in [0, 1].

    No due date (or no plan start) → 0; a due date on or before the plan start → 1.
    """
    return _shown(_exact_expected(plan_start, due, today))


def health(
    progress: float, expected: float, due: date | None, today: date, *, due_unknown: bool = False
) -> Health:
    """`done` when reached, `late` past the due date, `on track` if ahead of time, else `at risk`.

    `unknown` when a due date could not be read (`due_unknown`) and the target is not
    reached: without it neither lateness nor the expected progress can be told, and
    guessing would make the result look healthier than it may be.

    >>> feb = date(2026, 2, 1)
    >>> health(1.0, 1.0, date(2026, 1, 1), feb), health(0.2, 0.1, None, feb)
    ('done', 'on track')
    >>> health(0.2, 0.0, None, feb, due_unknown=True)
    'unknown'
    """
    if progress >= 1.0:
        return "done"
    if due_unknown:
        return "unknown"
    if due is not None and due < today:
        return "late"
    if progress >= expected:
        return "on track"
    return "at risk"


def _linked(actions: Sequence[Action], result: Result) -> list[Action]:
    """The non-cancelled actions linked to `result` (IDs compared case-insensitively)."""
    wanted = id_key(result.id)
    return [
        a
        for a in actions
        if a.status_type is not StatusType.CANCELLED
        and a.target_result is not None
        and id_key(a.target_result) == wanted
    ]


def _by_result(actions: Sequence[Action]) -> dict[str, list[Action]]:
    """The non-cancelled actions grouped by the key of the result they serve, in row order."""
    groups: dict[str, list[Action]] = {}
    for a in actions:
        if a.status_type is not StatusType.CANCELLED and a.target_result is not None:
            groups.setdefault(id_key(a.target_result), []).append(a)
    return groups


def progress_of_result(
    result: Result,
    actions: Sequence[Action],
    plan_start: date | None,
    today: date,
    linked: Sequence[Action] | None = None,
) -> ResultProgress:
    """One target result's progress, linked actions and health at `today` (progress and
    health None when a figure is an uncalculated formula).

    `linked` (the result's non-cancelled actions) saves a scan of every action when known.
    """
    progress = _exact_progress(result.baseline, result.target, result.current)
    expected = _exact_expected(plan_start, result.due, today)
    if linked is None:
        linked = _linked(actions, result)
    known = is_known(result)
    return ResultProgress(
        id=result.id,
        progress=_shown(progress) if known else None,
        actions=len(linked),
        actions_done=sum(1 for a in linked if a.status_type is StatusType.DONE),
        health=(
            health(progress, expected, result.due, today, due_unknown=result.due_unreadable)
            if known
            else None
        ),
        expected=_shown(expected),
    )


def objectives_progress(
    results: Sequence[Result], actions: Sequence[Action], plan_start: date | None, today: date
) -> tuple[ObjectiveProgress, ...]:
    """Results grouped by marketing-objective text (case and spacing ignored), in order
    of first appearance; an objective's progress is the mean of its results' and its due
    date the latest of theirs."""
    groups: dict[str, list[Result]] = {}
    for result in results:
        groups.setdefault(objective_key(result.marketing_objective), []).append(result)
    linked = _by_result(actions)
    objectives = []
    for members in groups.values():
        progresses = tuple(
            progress_of_result(r, actions, plan_start, today, linked.get(id_key(r.id), []))
            for r in members
        )
        exact = [_exact_progress(r.baseline, r.target, r.current) for r in members]
        mean = sum(exact) / len(exact)
        known = all(is_known(r) for r in members)
        dues = [r.due for r in members if r.due is not None]
        due = max(dues) if dues else None
        expected = _exact_expected(plan_start, due, today)
        objectives.append(
            ObjectiveProgress(
                objective=" ".join(members[0].marketing_objective.split()),
                progress=_shown(mean) if known else None,
                health=(
                    health(
                        mean,
                        expected,
                        due,
                        today,
                        due_unknown=any(r.due_unreadable for r in members),
                    )
                    if known
                    else None
                ),
                results=progresses,
                due=due,
                expected=_shown(expected),
            )
        )
    return tuple(objectives)
