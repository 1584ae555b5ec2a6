"""Validated models: what the parser produces and what the computations report.

Raw cells become these models in one place (`sheetpilot._parse`); nothing past the
parser sees a raw grid. Each row model remembers its tab and the A1 address of each
of its cells so that later checks can point at the exact cell to fix.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from sheetpilot._template import Locale

Severity = Literal["error", "warning"]


class StatusType(StrEnum):
    TODO = "todo"
    DOING = "doing"
    DONE = "done"
    BLOCKED = "blocked"
    CANCELLED = "cancelled"


OPEN_STATUS_TYPES = frozenset({StatusType.TODO, StatusType.DOING, StatusType.BLOCKED})

# The report's `code` (DESIGN.md §3). A code outside this list is a type error, and
# pydantic refuses it at run time: a misspelt code never silently becomes a warning.
IssueCode = Literal[
    "missing-tab",
    "missing-column",
    "bad-date",
    "bad-number",
    "out-of-range",
    "duplicate-id",
    "unknown-value",
    "unknown-dependency",
    "cancelled-dependency",
    "dependency-cycle",
    "dependency-later",
    "missing-estimate",
    "missing-current",
    "over-capacity",
    "overdue",
    "formula-not-calculated",
    "foreign-tab",
    "typed-in-tool-tab",
]
ERROR_CODES: frozenset[IssueCode] = frozenset(
    {
        "missing-tab",
        "missing-column",
        "duplicate-id",
        "unknown-dependency",
        "dependency-cycle",
        "bad-date",
        "bad-number",
        "foreign-tab",
    }
)
WARNING_CODES: frozenset[IssueCode] = frozenset(get_args(IssueCode)) - ERROR_CODES


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Issue(_Frozen):
    """One problem found in the plan, pointing at the cell to fix."""

    severity: Severity
    code: IssueCode
    sheet: str
    cell: str
    message: str

    @classmethod
    def of(cls, code: IssueCode, sheet: str, cell: str, message: str) -> Issue:
        """An issue whose severity follows from its code (DESIGN.md §3)."""
        return cls(
            severity="error" if code in ERROR_CODES else "warning",
            code=code,
            sheet=sheet,
            cell=cell,
            message=message,
        )


# --- settings -------------------------------------------------------------------------
class Status(_Frozen):
    label: str
    type: StatusType


class Owner(_Frozen):
    name: str
    capacity: float = 0.0
    sheet: str = ""
    capacity_cell: str = ""  # A1 of the capacity cell (the over-capacity issue points here)


class PeriodDef(_Frozen):
    name: str
    start: date
    end: date  # inclusive


class Settings(_Frozen):
    statuses: tuple[Status, ...]
    priorities: tuple[str, ...]  # highest first
    workstreams: tuple[str, ...] = ()
    owners: tuple[Owner, ...] = ()
    plan_start: date | None = None
    period_length: int = 10
    period_count: int | None = None
    explicit_periods: tuple[PeriodDef, ...] = ()  # when non-empty, wins over generated ones


# --- input rows -------------------------------------------------------------------------
class Row(_Frozen):
    """Common to every input row: where it lives."""

    sheet: str
    row: int  # 0-based row index in the tab
    cells: dict[str, str] = Field(default_factory=dict)  # field key → A1 address

    def cell(self, key: str) -> str:
        """A1 address of a field's cell (falls back to the ID cell, then column A)."""
        return self.cells.get(key) or self.cells.get("id") or f"A{self.row + 1}"


class Result(Row):
    """One row of Objectifs / Objectives: a target result of a marketing objective."""

    id: str
    business_objective: str = ""
    marketing_objective: str = ""
    target_result: str = ""
    priority: str | None = None
    kpi: str = ""
    baseline: float | None = None
    target: float | None = None
    current: float | None = None
    due: date | None = None
    due_unreadable: bool = False  # the due-date cell holds something that is not a date
    levers: str = ""
    # Fields whose cell holds a formula saved without its result: their value is unknown,
    # not blank (baseline, target or current among them: the progress is unknown).
    uncalculated: tuple[str, ...] = ()


class Action(Row):
    """One row of Suivi des actions / Action tracking."""

    id: str
    id_assigned: bool = False  # True when the ID cell was blank and sheetpilot chose one
    status: str = ""  # the label as typed (or the default)
    status_type: StatusType = StatusType.TODO
    workstream: str = ""
    title: str = ""
    description: str = ""
    target_result: str | None = None
    priority: str | None = None  # None when missing or unknown
    impact: float = 3.0
    effort: float = 3.0
    depends_on: tuple[str, ...] = ()
    owner: str = ""
    estimate: float | None = None
    period: str | None = None  # None when missing or unknown

    @property
    def is_open(self) -> bool:
        return self.status_type in OPEN_STATUS_TYPES


class ComputedColumn(_Frozen):
    """Where a tool-owned computed column sits in an input tab (0-based indexes).

    Its cells below the header are sheetpilot's: each row holding an action (result)
    gets the lookup keyed on `id_col`, every other row is kept blank.
    """

    sheet: str
    key: str  # "rank", "progress" or "health"
    col: int
    header_row: int
    id_col: int | None = None


class ParsedPlan(_Frozen):
    """Everything read from the input tabs, validated, with every problem found."""

    locale: Locale = "fr"
    tabs: dict[str, str] = Field(default_factory=dict)  # tab key → actual title
    settings: Settings
    results: tuple[Result, ...] = ()
    actions: tuple[Action, ...] = ()
    selected_period: str | None = None  # the F2 selector's value as found, if any
    issues: tuple[Issue, ...] = ()
    computed: tuple[ComputedColumn, ...] = ()  # the computed columns found in input tabs


# --- computed ---------------------------------------------------------------------------
class PeriodSummary(_Frozen):
    name: str
    start: date
    end: date
    days: int
    working_days: int
    actions: int
    person_days: float
    done_person_days: float
    capacity: float
    load: float | None


class OwnerLoad(_Frozen):
    owner: str
    period: str
    person_days: float
    capacity: float


# "unknown": a due date that cannot be read; the result could be late or at risk.
Health = Literal["done", "late", "on track", "at risk", "unknown"]


class ResultProgress(_Frozen):
    """A result's progress; None (and no health) when a figure it needs is unknown: a
    formula saved without its result in its baseline, target or current cell."""

    id: str
    progress: float | None
    actions: int
    actions_done: int
    health: Health | None = Field(default="at risk", exclude=True)
    expected: float = Field(default=0.0, exclude=True)


class ObjectiveProgress(_Frozen):
    """An objective's progress; None (and health None) when one of its results' is unknown."""

    objective: str
    progress: float | None
    health: Health | None
    results: tuple[ResultProgress, ...]
    due: date | None = Field(default=None, exclude=True)
    expected: float = Field(default=0.0, exclude=True)


class RankedAction(_Frozen):
    """An open action in priority order."""

    rank: int
    id: str
    effective_priority: str | None
    blocked_by: tuple[str, ...] = ()  # open dependencies not yet done


class PlanResult(_Frozen):
    """What compute() derives from a ParsedPlan and a date; every issue included."""

    today: date
    periods: tuple[PeriodSummary, ...]
    owners: tuple[OwnerLoad, ...]
    order: tuple[RankedAction, ...]
    objectives: tuple[ObjectiveProgress, ...]
    issues: tuple[Issue, ...]  # the parser's issues followed by compute's

    @property
    def priority_order(self) -> list[str]:
        return [r.id for r in self.order]


class Writes(_Frozen):
    requests: int = 0
    cells: int = 0


class Report(_Frozen):
    """The JSON report of DESIGN.md §4."""

    plan: str
    today: date
    periods: tuple[PeriodSummary, ...]
    owners: tuple[OwnerLoad, ...]
    priority_order: tuple[str, ...]
    objectives: tuple[ObjectiveProgress, ...]
    issues: tuple[Issue, ...]
    writes: Writes

    @property
    def has_errors(self) -> bool:
        return any(i.severity == "error" for i in self.issues)
