"""Suivi des actions / Action tracking: one Action per row with content.

Rules (DESIGN.md §2–§3):
- A row counts when a cell other than its ID (and the tool-owned rank) is filled: a
  column of pre-filled IDs with nothing else is not a list of actions.
- IDs keep their typed spelling and compare case-insensitively ('a-001' repeats
  'A-001'). A blank ID gets the next free `A-NNN` after the highest `A-NNN` in the
  column (`id_assigned=True`); a repeated ID is a `duplicate-id` error and the later row
  is dropped. `Dépend de` IDs are split on commas, semicolons and spaces, likewise kept
  as typed and deduplicated case-insensitively.
- Known list values take the spelling of the settings list (`en cours` → `En cours`).
  A status missing from the settings list is a warning; it counts as todo unless it is a
  standard label ('Terminé', 'done', 'en cours'…), which keeps its type.
  Owner and workstream checks are skipped while their settings list is empty; an
  unknown owner or workstream keeps its text (its workload still counts).
- Periods: the explicit table's names, or generated `P1`..`Pn` (`p01` → `P1`; any
  `P<n>` while the number of periods is open). With no periods at all the check is
  skipped and the text kept; an unknown period is a warning and `period=None`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from sheetpilot._cells import CellValue, Grid, is_blank, shorten
from sheetpilot._i18n import STATUS_TYPE_WORDS
from sheetpilot._models import Action, Result, Settings, StatusType
from sheetpilot._parse import fields
from sheetpilot._parse.headers import Table, find_table, report_missing_columns
from sheetpilot._parse.issues import IssueLog
from sheetpilot._parse.values import BadValue, as_number, as_text, is_empty, match, show, suggestion
from sheetpilot._template import (
    A_ACTION,
    A_DEPENDS,
    A_DESCRIPTION,
    A_EFFORT,
    A_ESTIMATE,
    A_ID,
    A_IMPACT,
    A_OWNER,
    A_PERIOD,
    A_PRIORITY,
    A_RANK,
    A_RESULT,
    A_STATUS,
    A_WORKSTREAM,
    ACTION_COLUMNS,
    ACTION_REQUIRED,
    OBJECTIVES,
    P_PERIOD_COUNT,
    P_PLAN_START,
    S_OWNERS,
    S_PERIOD,
    S_PRIORITIES,
    S_STATUSES,
    S_WORKSTREAMS,
    SETTINGS,
    Locale,
    Name,
    normalize,
    status_type_of,
)

_NUMERIC = (int, float)

DEFAULT_SCORE = 3.0
_A_ID = re.compile(r"^A-(\d+)$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[,;\s]+")
_GENERATED = re.compile(r"^p0*([1-9]\d*)$")

PeriodMatcher = Callable[[str], str | None]


def parse_actions(
    sheet: str,
    grid: Grid,
    settings: Settings,
    results: tuple[Result, ...] | None,
    locale: Locale,
    log: IssueLog,
    uncalculated: frozenset[tuple[int, int]] = frozenset(),
) -> tuple[Action, ...]:
    """Read every action row; `results` None means the objectives tab is missing.

    `uncalculated`: the formula cells saved without their result. An action whose ID cell
    is one gets a stand-in ID for this sync only: it is never written into the cell.
    """
    table = find_table(sheet, grid, ACTION_COLUMNS, uncalculated=uncalculated)
    report_missing_columns(table, ACTION_REQUIRED, locale, log)
    content = [n.key for n in ACTION_COLUMNS if n not in (A_ID, A_RANK)]
    content_cols = [table.columns[k] for k in content if k in table.columns]
    reader = _ActionReader(table, settings, results, locale, log)
    next_number = _highest_number(fields.text(table, r, A_ID) for r in table.data_rows()) + 1
    seen: dict[str, int] = {}  # casefolded ID → the row that holds it first
    actions: list[Action] = []
    grid = table.grid
    for row in table.data_rows():
        line = grid[row]
        width = len(line)
        if not any(c < width and not is_blank(line[c]) for c in content_cols):
            continue
        typed = fields.text(table, row, A_ID)
        action_id = typed or f"A-{next_number:03d}"
        if not typed:
            next_number += 1
        if table.uncalculated and fields.uncalculated(
            table,
            row,
            A_ID,
            log,
            A_ID.label(locale),
            f"the action is listed as {action_id} meanwhile, and its rank is not written",
        ):
            typed = action_id  # a stand-in, never written over the formula
        key = action_id.casefold()
        if key in seen:
            log.add(
                "duplicate-id",
                sheet,
                table.address(row, A_ID.key),
                log.t(
                    "{column} '{id}' is already used at {cell}: give this row a unique ID (this "
                    "row is ignored until then; the first one is kept)",
                    column=A_ID.label(locale),
                    id=shorten(action_id),
                    cell=table.address(seen[key], A_ID.key),
                ),
            )
            continue
        seen[key] = row
        actions.append(reader.action(row, action_id, assigned=not typed))
    return tuple(actions)


def _highest_number(ids: Iterable[str]) -> int:
    """The highest N among IDs shaped A-NNN (0 when there is none)."""
    return max((int(m.group(1)) for i in ids if (m := _A_ID.match(i))), default=0)


def split_ids(value: str) -> tuple[str, ...]:
    """IDs separated by commas, semicolons or spaces, repeats dropped (case-insensitive).

    A lone dash means "none", as in number and date cells.

    >>> split_ids("A-001, a-001;A-002  A-003"), split_ids("-")
    (('A-001', 'A-002', 'A-003'), ())
    """
    ids: dict[str, str] = {}
    for part in _SEPARATORS.split(value):
        if not is_empty(part):
            ids.setdefault(part.casefold(), part)
    return tuple(ids.values())


def period_matcher(settings: Settings) -> tuple[PeriodMatcher | None, tuple[str, ...]]:
    """How to recognise a period name, and the names to suggest; None: no periods known.

    >>> from datetime import date
    >>> from sheetpilot._parse.settings import default_settings
    >>> s = default_settings("fr").model_copy(update={"plan_start": date(2026, 1, 5)})
    >>> find, _ = period_matcher(s)
    >>> find("p02"), find("Q1")
    ('P2', None)
    """
    if settings.explicit_periods:
        names = tuple(p.name for p in settings.explicit_periods)
        return (lambda text: match(text, names)), names
    if settings.plan_start is None:
        return None, ()
    count = settings.period_count

    def generated(text: str) -> str | None:
        m = _GENERATED.match(normalize(text))
        if m is None or len(m.group(1)) > 6:
            return None
        number = int(m.group(1))
        return f"P{number}" if count is None or number <= count else None

    return generated, tuple(f"P{i}" for i in range(1, (count or 6) + 1))


class _ActionReader:
    """Reads one action row against the settings and the objectives."""

    def __init__(
        self,
        table: Table,
        settings: Settings,
        results: tuple[Result, ...] | None,
        locale: Locale,
        log: IssueLog,
    ) -> None:
        self.table, self.settings, self.locale, self.log = table, settings, locale, log
        self.result_ids = None if results is None else tuple(r.id for r in results if r.id)
        # per plan, not per row: result IDs by casefold, list spellings by normal form
        self.result_by_key: dict[str, str] = {}
        for i in self.result_ids or ():
            self.result_by_key.setdefault(i.casefold(), i)
        self.periods, self.period_names = period_matcher(settings)
        self.period_cache: dict[str, str | None] = {}
        todo = [s.label for s in settings.statuses if s.type == StatusType.TODO]
        self.default_status = todo[0] if todo else ""
        self.status_labels = tuple(s.label for s in settings.statuses)
        self.status_types: dict[str, StatusType] = {}
        for s in settings.statuses:
            self.status_types.setdefault(s.label, s.type)
        self.owner_names = tuple(o.name for o in settings.owners)
        self.known = {
            A_STATUS.key: _by_normal(self.status_labels),
            A_PRIORITY.key: _by_normal(settings.priorities),
            A_OWNER.key: _by_normal(self.owner_names),
            A_WORKSTREAM.key: _by_normal(settings.workstreams),
        }
        self.labels = {n.key: n.label(locale) for n in ACTION_COLUMNS}
        t = log.t
        self.meanwhile_score = t("{value} is used meanwhile", value=t.number(DEFAULT_SCORE))
        self.score_what = {
            n.key: t("{field} (1 to 5)", field=self.labels[n.key]) for n in (A_IMPACT, A_EFFORT)
        }
        self.meanwhile_estimate = t("it counts 0 person-days meanwhile")

    def _listed(self, name: Name) -> str:
        return self.log.t(
            "the {list} list of {tab}",
            list=name.label(self.locale),
            tab=SETTINGS.label(self.locale),
        )

    def _value(self, row: int, key: str) -> CellValue:
        col = self.table.columns.get(key)
        if col is None:
            return None
        line = self.table.grid[row]
        return line[col] if col < len(line) else None

    def _known(self, row: int, name: Name) -> tuple[str, str | None] | None:
        """The fast path of `fields.choice`: (text, known choice) when the cell is blank or
        names a listed value; None when it needs the slow path (which records the issue)."""
        value = as_text(self._value(row, name.key))
        if not value:
            return value, None
        known = self.known[name.key].get(normalize(value))
        return None if known is None else (value, known)

    def action(self, row: int, action_id: str, assigned: bool) -> Action:
        table, settings, log = self.table, self.settings, self.log
        status, status_type = self._status(row)
        quick = self._known(row, A_PRIORITY)
        if quick is not None:
            priority = quick[1]
        else:
            _, priority = fields.choice(
                table,
                row,
                A_PRIORITY,
                settings.priorities,
                log,
                self.labels[A_PRIORITY.key],
                self._listed(S_PRIORITIES),
                log.t("the action ranks after every prioritised one"),
            )
        owner = self._member(row, A_OWNER, self.owner_names, S_OWNERS)
        workstream = self._member(row, A_WORKSTREAM, settings.workstreams, S_WORKSTREAMS)
        value = self._value
        return Action(
            sheet=table.sheet,
            row=row,
            cells=table.cells(row),
            id=action_id,
            id_assigned=assigned,
            status=status,
            status_type=status_type,
            workstream=workstream,
            title=as_text(value(row, A_ACTION.key)),
            description=as_text(value(row, A_DESCRIPTION.key)),
            target_result=self._target(row),
            priority=priority,
            impact=self._score(row, A_IMPACT),
            effort=self._score(row, A_EFFORT),
            depends_on=split_ids(as_text(value(row, A_DEPENDS.key))),
            owner=owner,
            estimate=self._estimate(row),
            period=self._period(row),
        )

    def _status(self, row: int) -> tuple[str, StatusType]:
        """The status label and its type; an unlisted standard label keeps its meaning."""
        quick = self._known(row, A_STATUS)
        if quick is not None:
            typed, known = quick
            if not typed:
                return self.default_status, StatusType.TODO
            return known or typed, self.status_types[known or typed]
        labels = self.status_labels
        standard = StatusType(status_type_of(fields.text(self.table, row, A_STATUS)) or "todo")
        typed, known = fields.choice(
            self.table,
            row,
            A_STATUS,
            labels,
            self.log,
            self.labels[A_STATUS.key],
            self._listed(S_STATUSES),
            self.log.t("the action is treated as todo (not started)")
            if standard is StatusType.TODO
            else self.log.t(
                "the action is treated as {type}",
                type=self.log.t(STATUS_TYPE_WORDS[standard.value]),
            ),
        )
        if not typed:
            return self.default_status, StatusType.TODO
        if known is None:
            return typed, standard
        return known, self.status_types[known]

    def _member(self, row: int, name: Name, choices: tuple[str, ...], listed: Name) -> str:
        """Owner or workstream: the listed spelling when known, else the text as typed."""
        if not choices:
            return as_text(self._value(row, name.key))
        quick = self._known(row, name)
        if quick is not None:
            return quick[1] or quick[0]
        typed, known = fields.choice(
            self.table,
            row,
            name,
            choices,
            self.log,
            self.labels[name.key],
            self._listed(listed),
            self.log.t("the text is kept as typed"),
        )
        return known or typed

    def _number(self, row: int, name: Name, what: str, meanwhile: str) -> float | None:
        """`fields.number`, without its per-field work for a blank or numeric cell."""
        raw = self._value(row, name.key)
        if (raw is None or type(raw) in _NUMERIC) and not self.table.uncalculated:
            try:
                return as_number(raw, self.log.locale)
            except BadValue:
                pass  # the slow path records the issue
        return fields.number(self.table, row, name, self.log, what, meanwhile)

    def _score(self, row: int, name: Name) -> float:
        """Impact or effort: 1 to 5, default 3."""
        label = self.labels[name.key]
        t = self.log.t
        meanwhile = self.meanwhile_score
        value = self._number(row, name, self.score_what[name.key], meanwhile)
        if value is None:
            return DEFAULT_SCORE
        if not 1 <= value <= 5:
            self.log.add(
                "out-of-range",
                self.table.sheet,
                self.table.address(row, name.key),
                t(
                    "{field} {value} is outside 1–5: enter a value from 1 to 5; {meanwhile}",
                    field=label,
                    value=show(self.table.value(row, name.key), t),
                    meanwhile=meanwhile,
                ),
            )
            return DEFAULT_SCORE
        return value

    def _estimate(self, row: int) -> float | None:
        label = self.labels[A_ESTIMATE.key]
        t = self.log.t
        value = self._number(row, A_ESTIMATE, label, self.meanwhile_estimate)
        if value is not None and value < 0:
            self.log.add(
                "out-of-range",
                self.table.sheet,
                self.table.address(row, A_ESTIMATE.key),
                t(
                    "{field} {value} is negative: enter the person-days the action needs (0 or "
                    "more); it counts as missing meanwhile",
                    field=label,
                    value=show(self.table.value(row, A_ESTIMATE.key), t),
                ),
            )
            return None
        return value

    def _period(self, row: int) -> str | None:
        typed = as_text(self._value(row, A_PERIOD.key))
        if not typed:
            return None
        if self.periods is None:
            return typed
        if typed in self.period_cache:
            known = self.period_cache[typed]
            if known is not None:
                return known
        else:
            known = self.period_cache[typed] = self.periods(typed)
        if known is None:
            names = self.period_names
            shown = ", ".join(f"'{shorten(n)}'" for n in names[:8]) + (
                ", …" if len(names) > 8 else ""
            )
            self.log.add(
                "unknown-value",
                self.table.sheet,
                self.table.address(row, A_PERIOD.key),
                self.log.t(
                    "{field} '{value}' is not a period of the plan{suggestion}: use one of "
                    "{choices} ({source}); the action is left out of every period meanwhile",
                    field=A_PERIOD.label(self.locale),
                    value=shorten(typed),
                    suggestion=suggestion(typed, names, self.log.t),
                    choices=shown,
                    source=self._period_source(),
                ),
            )
        return known

    def _period_source(self) -> str:
        loc, t = self.locale, self.log.t
        if self.settings.explicit_periods:
            return t(
                "the {table} table of {tab}", table=S_PERIOD.label(loc), tab=SETTINGS.label(loc)
            )
        count = self.settings.period_count
        return (
            t(
                "{parameter} is {count} in {tab}",
                parameter=P_PERIOD_COUNT.label(loc),
                count=count,
                tab=SETTINGS.label(loc),
            )
            if count
            else t(
                "generated from {parameter} in {tab}",
                parameter=P_PLAN_START.label(loc),
                tab=SETTINGS.label(loc),
            )
        )

    def _target(self, row: int) -> str | None:
        typed = as_text(self._value(row, A_RESULT.key))
        if not typed:
            return None
        if self.result_ids is None:
            return typed
        known = self.result_by_key.get(typed.casefold())
        if known is None:
            self.log.add(
                "unknown-value",
                self.table.sheet,
                self.table.address(row, A_RESULT.key),
                self.log.t(
                    "{field} '{value}' is not an ID of {tab}{suggestion}: enter the ID of a "
                    "target result; the action counts for none meanwhile",
                    field=A_RESULT.label(self.locale),
                    value=shorten(typed),
                    tab=OBJECTIVES.label(self.locale),
                    suggestion=suggestion(typed, self.result_ids or (), self.log.t),
                ),
            )
        return known


def _by_normal(choices: tuple[str, ...]) -> dict[str, str]:
    """Normal form → the first choice with it: `values.match` as one lookup."""
    found: dict[str, str] = {}
    for choice in choices:
        found.setdefault(normalize(choice), choice)
    return found
