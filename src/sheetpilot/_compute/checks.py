"""The checks compute adds to the parser's issues (DESIGN.md §3 issue codes).

Each function is one rule and returns its issues in row order; `compute_plan` runs
them in the order of `RULES`. Each issue points at the cell to fix: the action's
`depends_on`, period or estimate cell, the result's current-value cell, the owner's
capacity cell in the settings.

`missing-estimate` and `missing-current` are not repeated for a cell the parser
already reported (a bad number there is one issue, not two).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sheetpilot._cells import shorten
from sheetpilot._compute.keys import name_key
from sheetpilot._compute.periods import period_containing, period_index
from sheetpilot._compute.priority import Schedule
from sheetpilot._i18n import N_, STATUS_TYPE_WORDS, Translator
from sheetpilot._models import (
    Action,
    Issue,
    IssueCode,
    OwnerLoad,
    PeriodDef,
    Result,
    Row,
    Settings,
    StatusType,
)

RULES = (
    "unknown-dependency",
    "cancelled-dependency",
    "dependency-cycle",
    "dependency-later",
    "unknown-value",  # a period name beyond the plan's periods
    "overdue",
    "missing-estimate",
    "over-capacity",
    "missing-current",
    "unknown-value",  # the F2 period selector names no period
)

Reported = frozenset[tuple[str, str]]  # (sheet, cell) pairs that already carry an issue
ENGLISH = Translator("en")


def reported_cells(issues: Iterable[Issue]) -> Reported:
    """The (sheet, cell) pairs that already carry an issue."""
    return frozenset((i.sheet, i.cell) for i in issues)


def _unreported(row: Row, key: str, reported: Reported) -> bool:
    """The row has a `key` cell that no issue points at yet.

    Without the column there is no cell: the parser's one missing-column error covers
    every row, so the per-row checks stay silent.
    """
    return key in row.cells and (row.sheet, row.cell(key)) not in reported


def unknown_dependencies(plan_schedule: Schedule, t: Translator = ENGLISH) -> list[Issue]:
    """An open action depends on an ID no action has: error, the dependency is ignored."""
    return [
        Issue.of(
            "unknown-dependency",
            dep.action.sheet,
            dep.action.cell("depends_on"),
            t(
                "{id} depends on '{dependency}', but no action has that ID: correct the ID or "
                "remove it; the dependency is ignored meanwhile.",
                id=shorten(dep.action.id),
                dependency=shorten(dep.typed),
            ),
        )
        for dep in plan_schedule.dependencies
        if dep.target is None
    ]


def cancelled_dependencies(plan_schedule: Schedule, t: Translator = ENGLISH) -> list[Issue]:
    """An open action depends on a cancelled action: warning, the dependency is ignored."""
    return [
        Issue.of(
            "cancelled-dependency",
            dep.action.sheet,
            dep.action.cell("depends_on"),
            t(
                "{id} depends on {dependency}, which is cancelled ({status}): remove it from the "
                "dependencies; it is ignored meanwhile.",
                id=shorten(dep.action.id),
                dependency=shorten(dep.target.id),
                status=dep.target.status or t(STATUS_TYPE_WORDS["cancelled"]),
            ),
        )
        for dep in plan_schedule.dependencies
        if dep.target is not None and dep.target.status_type is StatusType.CANCELLED
    ]


def dependency_cycles(plan_schedule: Schedule, t: Translator = ENGLISH) -> list[Issue]:
    """One error per cycle, at its first action's `depends_on` cell, naming every action.

    The IDs are listed in cycle order, each depending on the next.
    """
    issues = []
    for cycle in plan_schedule.cycles:
        first = cycle[0]
        path = " → ".join(shorten(a.id) for a in (*cycle, first))
        issues.append(
            Issue.of(
                "dependency-cycle",
                first.sheet,
                first.cell("depends_on"),
                t(
                    "Dependency cycle: {path} (each depends on the next): remove one of these "
                    "dependencies to break it; meanwhile these actions are ranked last.",
                    path=path,
                ),
            )
        )
    return issues


def dependency_later(
    plan_schedule: Schedule, periods: Sequence[PeriodDef], t: Translator = ENGLISH
) -> list[Issue]:
    """An open action's period starts before the period of one of its open dependencies.

    One warning per action, at its period cell, naming every such dependency.
    """
    late: dict[int, tuple[Action, PeriodDef, list[tuple[Action, PeriodDef]]]] = {}
    index = period_index(periods)
    for dep in plan_schedule.dependencies:
        target = dep.target
        if target is None or not target.is_open:
            continue
        mine = index.get(name_key(dep.action.period)) if dep.action.period else None
        theirs = index.get(name_key(target.period)) if target.period else None
        if mine is None or theirs is None or mine.start >= theirs.start:
            continue
        late.setdefault(id(dep.action), (dep.action, mine, []))[2].append((target, theirs))
    issues = []
    for action, period, blockers in late.values():
        names = ", ".join(
            f"{shorten(target.id)} ({shorten(theirs.name)})" for target, theirs in blockers
        )
        latest = max((theirs for _, theirs in blockers), key=lambda p: p.start)
        issues.append(
            Issue.of(
                "dependency-later",
                action.sheet,
                action.cell("period"),
                t(
                    "{id} is planned in {period}, before its dependencies {dependencies}: move "
                    "{id} to {latest} or later, or plan its dependencies earlier.",
                    id=shorten(action.id),
                    period=shorten(period.name),
                    dependencies=names,
                    latest=latest.name,
                ),
            )
        )
    return issues


def periods_beyond_plan(
    actions: Sequence[Action], periods: Sequence[PeriodDef], t: Translator = ENGLISH
) -> list[Issue]:
    """A non-cancelled action names a period the plan does not have (e.g. P9 of 6 periods).

    The parser accepts any ``P<n>`` while the number of periods is open; the periods
    generated then cover the results' due dates only, so such an action would silently
    count nowhere. Nothing is checked when there are no periods at all.
    """
    if not periods:
        return []
    last = periods[-1]
    index = period_index(periods)
    return [
        Issue.of(
            "unknown-value",
            a.sheet,
            a.cell("period"),
            t(
                "{id} is planned in {period}, but the plan's periods end with {last} ({end}): set "
                "the number of periods in the settings or pick another period; the action counts "
                "in no period meanwhile.",
                id=shorten(a.id),
                period=shorten(a.period),
                last=last.name,
                end=t.date(last.end),
            ),
        )
        for a in actions
        if a.period is not None
        and a.status_type is not StatusType.CANCELLED
        and name_key(a.period) not in index
    ]


def overdue(
    actions: Sequence[Action], periods: Sequence[PeriodDef], today: date, t: Translator = ENGLISH
) -> list[Issue]:
    """An open action whose period ended before `today`: carry it over or close it."""
    issues = []
    index = period_index(periods)
    for action in actions:
        period = index.get(name_key(action.period or "")) if action.is_open else None
        if period is not None and period.end < today:
            issues.append(
                Issue.of(
                    "overdue",
                    action.sheet,
                    action.cell("period"),
                    t(
                        "{id} is still open ({status}) but its period {period} ended on {end}; "
                        "carry it over to a later period or close it.",
                        id=shorten(action.id),
                        status=action.status or t(STATUS_TYPE_WORDS[action.status_type.value]),
                        period=shorten(period.name),
                        end=t.date(period.end),
                    ),
                )
            )
    return issues


def missing_estimates(
    actions: Sequence[Action], reported: Reported = frozenset(), t: Translator = ENGLISH
) -> list[Issue]:
    """A non-cancelled action without an estimate (it counts 0 person-days)."""
    counted = [a for a in actions if a.status_type is not StatusType.CANCELLED]
    return _missing(
        counted,
        "estimate",
        "missing-estimate",
        N_(
            "{id} has no estimate: enter its estimate in person-days; it counts 0 in its "
            "period's workload meanwhile."
        ),
        reported,
        t,
    )


def _missing(
    rows: Sequence[Action] | Sequence[Result],
    key: str,
    code: IssueCode,
    message: str,
    reported: Reported,
    t: Translator,
) -> list[Issue]:
    """One `code` issue at the `key` cell of every row whose `key` field is blank, unless
    an issue already points at that cell (a bad value there says more)."""
    return [
        Issue.of(code, r.sheet, r.cell(key), t(message, id=shorten(r.id)))
        for r in rows
        if getattr(r, key) is None and _unreported(r, key, reported)
    ]


def over_capacity(
    loads: Sequence[OwnerLoad],
    settings: Settings,
    settings_sheet: str = "Réglages",
    t: Translator = ENGLISH,
) -> list[Issue]:
    """An owner of the settings has more person-days in a period than their capacity.

    The issue points at the owner's capacity cell. Owners missing from the settings
    are not checked here: the parser already reports them as unknown values.
    """
    owners = {name_key(o.name): o for o in settings.owners}
    issues = []
    for load in loads:
        owner = owners.get(name_key(load.owner))
        if owner is None or load.person_days <= owner.capacity:
            continue
        issues.append(
            Issue.of(
                "over-capacity",
                owner.sheet or settings_sheet,
                owner.capacity_cell or "A1",
                t(
                    "{owner} has {planned} person-days planned in {period} for a capacity of "
                    "{capacity} (over by {over}): move actions to another period or owner, or "
                    "raise the capacity.",
                    owner=shorten(owner.name),
                    planned=t.number(load.person_days),
                    period=shorten(load.period),
                    capacity=t.number(owner.capacity),
                    over=t.number(load.person_days - owner.capacity),
                ),
            )
        )
    return issues


def missing_current(
    results: Sequence[Result], reported: Reported = frozenset(), t: Translator = ENGLISH
) -> list[Issue]:
    """A target result without a current value (its progress counts 0)."""
    return _missing(
        results,
        "current",
        "missing-current",
        N_("{id} has no current value: enter its current value; its progress counts 0 meanwhile."),
        reported,
        t,
    )


def unknown_selection(
    selected: str | None,
    periods: Sequence[PeriodDef],
    sheet: str,
    today: date,
    t: Translator = ENGLISH,
) -> list[Issue]:
    """F2 of Actions par période names no period: the tab shows the default meanwhile."""
    if not selected or not periods or any(name_key(p.name) == name_key(selected) for p in periods):
        return []
    shown = period_containing(periods, today) or periods[0]
    names = ", ".join(shorten(p.name) for p in periods)
    return [
        Issue.of(
            "unknown-value",
            sheet,
            "F2",
            t(
                "the period selector holds {value}, which is not a period: pick one of {periods} "
                "from the dropdown; the tab shows {shown} meanwhile.",
                value=repr(selected),
                periods=names,
                shown=shown.name,
            ),
        )
    ]
