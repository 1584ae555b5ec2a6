"""The pure computations: periods and workload, priority order, objective progress, checks.

``compute_plan(plan, today)`` derives everything the tool-owned tabs and the report
show from a ParsedPlan and a date, with no I/O and no clock.
"""

from __future__ import annotations

from datetime import date

from sheetpilot._compute import checks
from sheetpilot._compute.periods import (
    build_periods,
    owner_loads,
    period_containing,
    plan_periods,
    summarize_periods,
)
from sheetpilot._compute.priority import schedule
from sheetpilot._compute.progress import objectives_progress
from sheetpilot._i18n import Catalogs
from sheetpilot._models import Issue, ParsedPlan, PlanResult
from sheetpilot._template import BY_PERIOD, SETTINGS

__all__ = ["build_periods", "compute_plan", "period_containing", "plan_periods"]


def compute_plan(plan: ParsedPlan, today: date, catalogs: Catalogs | None = None) -> PlanResult:
    """Periods, owner loads, priority order and objective progress of `plan` at `today`.

    Messages are in the plan's language from `catalogs` (English msgids without them).

    PlanResult.issues holds the parser's issues followed by compute's, rule by rule in
    the order of `checks.RULES`, each rule's issues in row order.
    """
    settings = plan.settings
    periods = plan_periods(plan)
    loads = owner_loads(plan.actions, periods, settings)
    order = schedule(plan)
    plan_start = settings.plan_start or min((p.start for p in periods), default=None)
    reported = checks.reported_cells(plan.issues)
    settings_sheet = plan.tabs.get("settings") or SETTINGS.label(plan.locale)
    t = (catalogs or Catalogs())(plan.locale)
    found: list[Issue] = [
        *checks.unknown_dependencies(order, t),
        *checks.cancelled_dependencies(order, t),
        *checks.dependency_cycles(order, t),
        *checks.dependency_later(order, periods, t),
        *checks.periods_beyond_plan(plan.actions, periods, t),
        *checks.overdue(plan.actions, periods, today, t),
        *checks.missing_estimates(plan.actions, reported, t),
        *checks.over_capacity(loads, settings, settings_sheet, t),
        *checks.missing_current(plan.results, reported, t),
        *checks.unknown_selection(
            plan.selected_period,
            periods,
            plan.tabs.get("by_period") or BY_PERIOD.label(plan.locale),
            today,
            t,
        ),
    ]
    return PlanResult(
        today=today,
        periods=summarize_periods(plan.actions, periods, settings),
        owners=loads,
        order=order.ranked,
        objectives=objectives_progress(plan.results, plan.actions, plan_start, today),
        issues=(*plan.issues, *found),
    )
