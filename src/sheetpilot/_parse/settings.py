"""Réglages / Settings: lists side by side, key/value parameters, an optional period table.

Each list has its header somewhere in the first rows and runs down to the end of the
tab (or to the next header found in the same column); blank cells are skipped. A column
that belongs to a list (`Type` beside `Statuts`, `Capacité` beside `Responsables`,
`Valeur` beside `Paramètre`, `Début`/`Fin` beside `Période`) is read on the same rows.
Empty lists fall back to the template defaults; repeated entries keep the first.

Choices where the template is silent:
- No Réglages tab at all: defaults (`parse_plan` reports the `missing-tab` error, which
  stops the sync before any write). With the tab but neither a plan start nor a period
  table: `bad-date` at its Valeur cell when that cell is blank or unreadable; when the
  `Début du plan` row is absent, `bad-date` at the first free cell of the Paramètre
  column (A1 without one), saying what to add. Not `missing-column`: the sync goes on
  without periods (priority order, progress and checks still written).
- A `Période` table without `Début`/`Fin` columns beside it: `bad-date` at the cell
  right of its header, and the table is ignored (not blocking either).
- A status's Type cell wins; blank, the label itself names the type ('Terminé' → done);
  otherwise an `unknown-value` warning and todo.
- A capacity that is blank counts 0; unreadable is `bad-number`, negative `out-of-range`
  (0 used). Without a capacity column, `Owner.capacity_cell` is the owner's name cell.
- Period length and count are whole numbers (1–366 days, 1–520 periods), else
  `out-of-range` and the default (10 days; count left open).
- A period row with a missing or unreadable date, an end before its start (`bad-date`)
  or a repeated name (`duplicate-id`) is dropped.
- An unknown parameter name is the user's own, unless it is a near miss of a known one
  ('Debut du pla'): then an `unknown-value` warning suggests the right name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sheetpilot._cells import CellValue, Grid, a1, cell, is_blank, shorten
from sheetpilot._i18n import STATUS_TYPE_WORDS, Translator
from sheetpilot._models import Owner, PeriodDef, Settings, Status, StatusType
from sheetpilot._parse.headers import find_headers
from sheetpilot._parse.issues import IssueLog
from sheetpilot._parse.values import (
    BadValue,
    ambiguity,
    as_date,
    as_number,
    as_text,
    closest,
    show,
    suggestion,
)
from sheetpilot._template import (
    DEFAULT_PERIOD_LENGTH,
    DEFAULT_PRIORITIES,
    DEFAULT_STATUSES,
    P_PERIOD_COUNT,
    P_PERIOD_LENGTH,
    P_PLAN_START,
    PARAMETERS,
    S_CAPACITY,
    S_OWNERS,
    S_PARAMETER,
    S_PERIOD,
    S_PERIOD_END,
    S_PERIOD_START,
    S_PRIORITIES,
    S_STATUS_TYPE,
    S_STATUSES,
    S_VALUE,
    S_WORKSTREAMS,
    SETTINGS_COLUMNS,
    STATUS_TYPE_LABELS,
    Locale,
    normalize,
    status_type_of,
)

MAX_PERIOD_LENGTH = 366  # days
MAX_PERIOD_COUNT = 520


def default_settings(locale: Locale) -> Settings:
    """The settings of a plan without a Réglages tab."""
    statuses = tuple(Status(label=lbl, type=StatusType(t)) for lbl, t in DEFAULT_STATUSES[locale])
    return Settings(statuses=statuses, priorities=DEFAULT_PRIORITIES)


@dataclass(frozen=True)
class _Column:
    """One list column of the settings tab: its header cell and the rows under it."""

    col: int
    rows: range


def parse_settings(sheet: str | None, grid: Grid | None, locale: Locale, log: IssueLog) -> Settings:
    """Read the settings tab; without one, the template defaults (and no issue)."""
    if sheet is None or grid is None:
        return default_settings(locale)
    return _SettingsReader(sheet, grid, locale, log).read()


class _SettingsReader:
    def __init__(self, sheet: str, grid: Grid, locale: Locale, log: IssueLog) -> None:
        self.sheet, self.grid, self.locale, self.log = sheet, grid, locale, log
        self.headers = find_headers(grid, SETTINGS_COLUMNS)
        self.lists: dict[str, _Column] = {}
        for key, places in self.headers.items():
            row, col = places[0]
            below = [r for r, c in _all_places(self.headers) if c == col and r > row]
            self.lists[key] = _Column(col, range(row + 1, min(below, default=len(grid))))

    def read(self) -> Settings:
        defaults = default_settings(self.locale)
        periods = self._periods()
        plan_start, length, count = self._parameters(bool(periods))
        return Settings(
            statuses=self._statuses() or defaults.statuses,
            priorities=tuple(self._labels(S_PRIORITIES.key)) or defaults.priorities,
            workstreams=tuple(self._labels(S_WORKSTREAMS.key)),
            owners=self._owners(),
            plan_start=plan_start,
            period_length=length,
            period_count=count,
            explicit_periods=periods,
        )

    # --- helpers ----------------------------------------------------------------------
    def _companion(self, primary: str, key: str) -> int | None:
        """The column of `key`'s header beside `primary`'s (same row, nearest right)."""
        if primary not in self.lists or key not in self.headers:
            return None
        head_row = self.lists[primary].rows.start - 1
        head_col = self.lists[primary].col
        beside = [c for r, c in self.headers[key] if r == head_row and c > head_col]
        return min(beside) if beside else self.headers[key][0][1]

    def _entries(self, key: str) -> list[tuple[int, str]]:
        """(row, text) of every non-blank entry of a list, repeats (normalized) dropped."""
        column = self.lists.get(key)
        if column is None:
            return []
        seen: set[str] = set()
        entries = []
        for row in column.rows:
            text = as_text(cell(self.grid, row, column.col))
            if text and normalize(text) not in seen:
                seen.add(normalize(text))
                entries.append((row, text))
        return entries

    def _labels(self, key: str) -> list[str]:
        return [text for _, text in self._entries(key)]

    def _at(self, row: int, col: int | None) -> CellValue:
        return None if col is None else cell(self.grid, row, col)

    # --- lists ------------------------------------------------------------------------
    def _statuses(self) -> tuple[Status, ...]:
        """Each status with its type: the Type cell, else inferred from the label, else todo."""
        type_col = self._companion(S_STATUSES.key, S_STATUS_TYPE.key)
        label_col = self.lists[S_STATUSES.key].col if S_STATUSES.key in self.lists else 0
        statuses = []
        for row, label in self._entries(S_STATUSES.key):
            raw = self._at(row, type_col)
            inferred = status_type_of(label)
            typed = status_type_of(raw)
            where = a1(row, label_col if type_col is None else type_col)
            if typed is None and not is_blank(raw):
                names = [x for labels in STATUS_TYPE_LABELS.values() for x in labels]
                self.log.add(
                    "unknown-value",
                    self.sheet,
                    where,
                    self.log.t(
                        "status type {value} of '{status}' is not one of {types}{suggestion}; "
                        "treated as {type}",
                        value=show(raw, self.log.t),
                        status=shorten(label),
                        types=_type_names(self.log.t),
                        suggestion=suggestion(as_text(raw), names, self.log.t),
                        type=self.log.t(STATUS_TYPE_WORDS[inferred or "todo"]),
                    ),
                )
            elif typed is None and inferred is None:
                self.log.add(
                    "unknown-value",
                    self.sheet,
                    where,
                    self.log.t(
                        "status '{status}' has no {column} and its name is not a known status: "
                        "set its {column} to one of {types}; treated as todo",
                        status=shorten(label),
                        column=S_STATUS_TYPE.label(self.locale),
                        types=_type_names(self.log.t),
                    ),
                )
            statuses.append(Status(label=label, type=StatusType(typed or inferred or "todo")))
        return tuple(statuses)

    def _owners(self) -> tuple[Owner, ...]:
        cap_col = self._companion(S_OWNERS.key, S_CAPACITY.key)
        owners = []
        for row, name in self._entries(S_OWNERS.key):
            owner_cell = a1(row, self.lists[S_OWNERS.key].col)
            cap_cell = a1(row, cap_col) if cap_col is not None else owner_cell
            capacity = self._capacity(row, cap_col, cap_cell, name)
            owners.append(
                Owner(name=name, capacity=capacity, sheet=self.sheet, capacity_cell=cap_cell)
            )
        return tuple(owners)

    def _note_ambiguity(self, raw: CellValue, address: str, label: str) -> None:
        """A number that reads two ways was read the plan language's way: say how."""
        t = self.log.t
        note = ambiguity(raw, self.log.locale, t)
        if note is not None:
            message = t("{field}: {problem}", field=label, problem=note)
            self.log.add("bad-number", self.sheet, address, message, severity="warning")

    def _capacity(self, row: int, col: int | None, address: str, name: str) -> float:
        raw = self._at(row, col)
        try:
            value = as_number(raw, self.log.locale)
        except BadValue as exc:
            self.log.add(
                "bad-number",
                self.sheet,
                address,
                self.log.t(
                    "capacity of '{owner}': {problem}", owner=name, problem=exc.text(self.log.t)
                ),
            )
            return 0.0
        self._note_ambiguity(raw, address, self.log.t("capacity of '{owner}'", owner=name))
        if value is not None and value < 0:
            self.log.add(
                "out-of-range",
                self.sheet,
                address,
                self.log.t(
                    "capacity of '{owner}' is {value}: a capacity cannot be negative; using 0",
                    owner=shorten(name),
                    value=show(raw, self.log.t),
                ),
            )
            return 0.0
        return value or 0.0

    # --- explicit periods -----------------------------------------------------------------
    def _periods(self) -> tuple[PeriodDef, ...]:
        column = self.lists.get(S_PERIOD.key)
        if column is None:
            return ()
        start_col = self._companion(S_PERIOD.key, S_PERIOD_START.key)
        end_col = self._companion(S_PERIOD.key, S_PERIOD_END.key)
        if start_col is None or end_col is None:
            head = column.rows.start - 1
            self.log.add(
                "bad-date",
                self.sheet,
                a1(head, column.col + 1),
                self.log.t(
                    "the '{table}' table needs '{start}' and '{end}' columns beside it, with a "
                    "date on each row: add them (the table is ignored until then)",
                    table=S_PERIOD.label(self.locale),
                    start=S_PERIOD_START.label(self.locale),
                    end=S_PERIOD_END.label(self.locale),
                ),
            )
            return ()
        periods: list[PeriodDef] = []
        seen: dict[str, str] = {}
        for row in column.rows:
            name = as_text(cell(self.grid, row, column.col))
            if not name:
                continue
            here = a1(row, column.col)
            if normalize(name) in seen:
                self.log.add(
                    "duplicate-id",
                    self.sheet,
                    here,
                    self.log.t(
                        "period '{period}' is already defined at {cell}: rename or delete this "
                        "row (it is ignored)",
                        period=shorten(name),
                        cell=seen[normalize(name)],
                    ),
                )
                continue
            seen[normalize(name)] = here
            start = self._period_date(row, start_col, name, "start")
            end = self._period_date(row, end_col, name, "end")
            if start is None or end is None:
                continue
            if end < start:
                self.log.add(
                    "bad-date",
                    self.sheet,
                    a1(row, end_col),
                    self.log.t(
                        "period '{period}' ends ({end}) before it starts ({start}): fix its end "
                        "date (the period is ignored)",
                        period=shorten(name),
                        end=self.log.t.date(end),
                        start=self.log.t.date(start),
                    ),
                )
                continue
            periods.append(PeriodDef(name=name, start=start, end=end))
        return tuple(periods)

    def _period_date(self, row: int, col: int, name: str, what: str) -> date | None:
        raw = cell(self.grid, row, col)
        t = self.log.t
        try:
            value = as_date(raw)
        except BadValue as exc:
            self.log.add(
                "bad-date",
                self.sheet,
                a1(row, col),
                t(
                    "start of period '{period}': {problem} (the period is ignored)",
                    period=shorten(name),
                    problem=exc.text(t),
                )
                if what == "start"
                else t(
                    "end of period '{period}': {problem} (the period is ignored)",
                    period=shorten(name),
                    problem=exc.text(t),
                ),
            )
            return None
        if value is None:
            self.log.add(
                "bad-date",
                self.sheet,
                a1(row, col),
                t(
                    "period '{period}' has no start date: enter one like 15/01/2026 (the period "
                    "is ignored)",
                    period=shorten(name),
                )
                if what == "start"
                else t(
                    "period '{period}' has no end date: enter one like 15/01/2026 (the period "
                    "is ignored)",
                    period=shorten(name),
                ),
            )
        return value

    # --- parameters -----------------------------------------------------------------------
    def _parameters(self, has_periods: bool) -> tuple[date | None, int, int | None]:
        value_col = self._companion(S_PARAMETER.key, S_VALUE.key)
        rows: dict[str, int] = {}
        if S_PARAMETER.key in self.lists:
            param_col = self.lists[S_PARAMETER.key].col
            value_col = param_col + 1 if value_col is None else value_col
            for row, label in self._entries(S_PARAMETER.key):
                known = next((p for p in PARAMETERS if p.matches(label)), None)
                if known is not None:
                    rows.setdefault(known.key, row)
                else:
                    self._unknown_parameter(row, param_col, label)
        start = self._plan_start(rows.get(P_PLAN_START.key), value_col, has_periods)
        length = self._whole(rows.get(P_PERIOD_LENGTH.key), value_col, P_PERIOD_LENGTH.key)
        count = self._whole(rows.get(P_PERIOD_COUNT.key), value_col, P_PERIOD_COUNT.key)
        return start, length or DEFAULT_PERIOD_LENGTH, count

    def _unknown_parameter(self, row: int, col: int, label: str) -> None:
        forms = [n for p in PARAMETERS for n in (p.fr, p.en, *p.aliases)]
        near = closest(label, forms, cutoff=0.8)
        if near is not None:
            self.log.add(
                "unknown-value",
                self.sheet,
                a1(row, col),
                self.log.t(
                    "parameter '{parameter}' is not known (did you mean '{choice}'?): it is ignored",
                    parameter=shorten(label),
                    choice=shorten(near),
                ),
            )

    def _plan_start(self, row: int | None, col: int | None, has_periods: bool) -> date | None:
        label = P_PLAN_START.label(self.locale)
        if row is None or col is None:
            if not has_periods:
                loc = self.locale
                self.log.add(
                    "bad-date",
                    self.sheet,
                    self._free_parameter_cell(),
                    self.log.t(
                        "no plan start, so no periods can be computed: add a row '{parameter}' "
                        "with a date like 05/01/2026 under '{column}' (the date under '{value}'), "
                        "or a {period}/{start}/{end} table; the rest of the plan is computed "
                        "meanwhile",
                        parameter=label,
                        column=S_PARAMETER.label(loc),
                        value=S_VALUE.label(loc),
                        period=S_PERIOD.label(loc),
                        start=S_PERIOD_START.label(loc),
                        end=S_PERIOD_END.label(loc),
                    ),
                )
            return None
        raw = cell(self.grid, row, col)
        try:
            value = as_date(raw)
        except BadValue as exc:
            self.log.add(
                "bad-date",
                self.sheet,
                a1(row, col),
                self.log.t("{field}: {problem}", field=label, problem=exc.text(self.log.t)),
            )
            return None
        if value is None and not has_periods:
            self.log.add(
                "bad-date",
                self.sheet,
                a1(row, col),
                self.log.t(
                    "'{parameter}' is blank: enter the plan's first day like 15/01/2026, "
                    "otherwise no periods can be computed",
                    parameter=label,
                ),
            )
        return value

    def _free_parameter_cell(self) -> str:
        """Where a missing parameter row goes: the first blank cell of the Paramètre list
        (just below it when full), or A1 without a Paramètre column."""
        column = self.lists.get(S_PARAMETER.key)
        if column is None:
            return "A1"
        free = (r for r in column.rows if is_blank(cell(self.grid, r, column.col)))
        return a1(next(free, column.rows.stop), column.col)

    def _whole(self, row: int | None, col: int | None, key: str) -> int | None:
        """A whole-number parameter (period length or count), None when blank or invalid."""
        if row is None or col is None:
            return None
        name = P_PERIOD_LENGTH if key == P_PERIOD_LENGTH.key else P_PERIOD_COUNT
        upper = MAX_PERIOD_LENGTH if name is P_PERIOD_LENGTH else MAX_PERIOD_COUNT
        raw = cell(self.grid, row, col)
        label = name.label(self.locale)
        try:
            value = as_number(raw, self.log.locale)
        except BadValue as exc:
            self.log.add(
                "bad-number",
                self.sheet,
                a1(row, col),
                self.log.t("{field}: {problem}", field=label, problem=exc.text(self.log.t)),
            )
            return None
        self._note_ambiguity(raw, a1(row, col), label)
        if value is None:
            return None
        if not value.is_integer() or not 1 <= value <= upper:
            t = self.log.t
            fallback = (
                t("using {value}", value=DEFAULT_PERIOD_LENGTH)
                if name is P_PERIOD_LENGTH
                else t("it is ignored")
            )
            self.log.add(
                "out-of-range",
                self.sheet,
                a1(row, col),
                t(
                    "{field} is {value}: enter a whole number from 1 to {upper}; {fallback}",
                    field=label,
                    value=show(raw, t),
                    upper=upper,
                    fallback=fallback,
                ),
            )
            return None
        return int(value)


def _all_places(headers: dict[str, list[tuple[int, int]]]) -> list[tuple[int, int]]:
    return [place for places in headers.values() for place in places]


def _type_names(t: Translator) -> str:
    return ", ".join(t(STATUS_TYPE_WORDS[kind]) for kind in STATUS_TYPE_LABELS)
