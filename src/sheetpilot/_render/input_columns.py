"""The only writes into input tabs: computed columns and newly assigned action IDs.

- `Rang`/`Rank` of each action (blank for closed actions),
- `Avancement`/`Progress` and `État`/`Health` of each objective row,
- the ID sheetpilot chose for an action whose ID cell was blank.

A computed cell is written as a lookup formula keyed on its row's ID (`lookups`), with
its current result as the cached value; a backend that does not write formulas gets that
value, guarded by the row's ID cell (skipped if the row moved or changed since the read).
An assigned ID is guarded by its blank ID cell (and, added by the diff, the rest of its
row as read): it lands only if, at the moment of the write, that cell is still blank and
the row still holds what was read (`Guard`).
"""

from __future__ import annotations

from functools import lru_cache

from sheetpilot._cells import CellValue, parse_a1
from sheetpilot._i18n import HEALTH_WORDS, Translator
from sheetpilot._models import Action, ComputedColumn, ParsedPlan, PlanResult, ResultProgress, Row
from sheetpilot._render.formats import PERCENT
from sheetpilot._render.lookups import HEALTH_COL, ID_COL, PROGRESS_COL, lookup_template
from sheetpilot._render.priorities import HEADERS as PRIORITY_HEADERS
from sheetpilot._render.priorities import ranks
from sheetpilot._render.targets import ComputedTarget
from sheetpilot._workbook import CellWrite, Guard

_RANK_COL = PRIORITY_HEADERS.index("Rank")  # the msgids of the Priorités header
_ID_COL = PRIORITY_HEADERS.index("ID")


def computed_targets(
    plan: ParsedPlan, priorities_title: str, lookups_title: str
) -> tuple[ComputedTarget, ...]:
    """Each computed column found in the input tabs, with the lookup its cells hold."""
    sources = {
        "rank": (priorities_title, _ID_COL, _RANK_COL, None),
        "progress": (lookups_title, ID_COL, PROGRESS_COL, PERCENT),
        "health": (lookups_title, ID_COL, HEALTH_COL, None),
    }
    out: list[ComputedTarget] = []
    for column in plan.computed:
        title, key_col, value_col, number_format = sources[column.key]
        template = (
            None
            if column.id_col is None
            else lookup_template(column.id_col, title, key_col, value_col)
        )
        out.append(ComputedTarget(column, template, number_format))
    return tuple(out)


def input_writes(
    plan: ParsedPlan,
    result: PlanResult,
    computed: tuple[ComputedTarget, ...] = (),
    t: Translator | None = None,
) -> tuple[CellWrite, ...]:
    """Every write into input tabs, row by row (an assigned ID before that row's rank)."""
    rank_of = ranks(result)
    progress_of: dict[str, ResultProgress] = {}
    for objective in result.objectives:
        for progress in objective.results:
            progress_of.setdefault(progress.id.casefold(), progress)
    templates = {(t.column.sheet, t.column.key): t for t in computed}

    writes: list[CellWrite] = []
    for action in plan.actions:
        if action.id_assigned and "id" in action.cells:
            writes.append(_assigned_id(action))
        rank = rank_of.get(action.id) if action.is_open else None
        as_read = None if action.id_assigned else action.id
        writes.extend(_computed(action, as_read, "rank", rank, templates))
    for row in plan.results:
        found = progress_of.get(row.id.casefold()) if row.id else None
        # unknown progress (an uncalculated formula): both cells left blank, not 0 %
        words = t or Translator(plan.locale)
        health = words(HEALTH_WORDS[found.health]) if found and found.health else None
        value = found.progress if found else None
        writes.extend(_computed(row, row.id or None, "progress", value, templates))
        writes.extend(_computed(row, row.id or None, "health", health, templates))
    return tuple(writes)


def _assigned_id(action: Action) -> CellWrite:
    """The new ID, to land only while its cell is blank (the diff adds the rest of the row
    as read to the guard)."""
    row, col = parse_a1(action.cells["id"])
    return CellWrite(action.sheet, row, col, action.id, guard=Guard(row, col, None))


def _computed(
    row: Row,
    id_as_read: str | None,
    key: str,
    value: CellValue,
    templates: dict[tuple[str, str], ComputedTarget],
) -> list[CellWrite]:
    """The write into the row's `key` column, if the parser found it: its lookup formula
    (when the tab has an ID column), its value, guarded by the ID cell as read."""
    if key not in row.cells or "id" not in row.cells:
        return []
    id_row, id_col = _row_col(row.cells["id"])
    r, c = _row_col(row.cells[key])
    target = templates.get((row.sheet, key))
    formula = target.formula(r) if target is not None else None
    number_format = PERCENT if key == "progress" else None
    guard = Guard(id_row, id_col, id_as_read)
    return [CellWrite(row.sheet, r, c, value, formula, number_format, guard=guard)]


def _row_col(address: str) -> tuple[int, int]:
    """`parse_a1` for the parser's own addresses, its column letters looked up once."""
    letters = address.rstrip("0123456789")
    digits = address[len(letters) :]
    if not digits or not letters.isalpha() or not letters.isupper():
        return parse_a1(address)
    return int(digits) - 1, _column(letters)


@lru_cache(maxsize=1024)
def _column(letters: str) -> int:
    return parse_a1(f"{letters}1")[1]


__all__ = ["ComputedColumn", "computed_targets", "input_writes"]
