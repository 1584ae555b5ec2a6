"""The only writes into input tabs: computed columns and newly assigned action IDs.

- `Rang`/`Rank` of each action (blank for closed actions),
- `Avancement`/`Progress` and `État`/`Health` of each objective row,
- the ID sheetpilot chose for an action whose ID cell was blank.

Each is written only where the parser found that column, and is guarded by the row's ID
cell: if the row moved or changed since the read, the backend skips the write.
"""

from __future__ import annotations

from sheetpilot._cells import CellValue, parse_a1
from sheetpilot._i18n import HEALTH_WORDS, Translator
from sheetpilot._models import Action, ParsedPlan, PlanResult, ResultProgress, Row
from sheetpilot._render.formats import PERCENT
from sheetpilot._render.priorities import ranks
from sheetpilot._workbook import CellWrite, Guard


def input_writes(
    plan: ParsedPlan, result: PlanResult, t: Translator | None = None
) -> tuple[CellWrite, ...]:
    """Every write into input tabs, row by row (an assigned ID before that row's rank)."""
    rank_of = ranks(result)
    progress_of: dict[str, ResultProgress] = {}
    for objective in result.objectives:
        for progress in objective.results:
            progress_of.setdefault(progress.id, progress)

    writes: list[CellWrite] = []
    for action in plan.actions:
        writes.extend(_action_writes(action, rank_of))
    for row in plan.results:
        found = progress_of.get(row.id)
        health = (t or Translator(plan.locale))(HEALTH_WORDS[found.health]) if found else None
        writes.extend(_guarded(row, row.id, "progress", found.progress if found else None, PERCENT))
        writes.extend(_guarded(row, row.id, "health", health))
    return tuple(writes)


def _action_writes(action: Action, rank_of: dict[str, int]) -> list[CellWrite]:
    writes: list[CellWrite] = []
    if action.id_assigned and "id" in action.cells:
        row, col = parse_a1(action.cells["id"])
        writes.append(CellWrite(action.sheet, row, col, action.id, guard=Guard(row, col, None)))
    rank = rank_of.get(action.id) if action.is_open else None
    writes.extend(_guarded(action, None if action.id_assigned else action.id, "rank", rank))
    return writes


def _guarded(
    row: Row, id_as_read: str | None, key: str, value: CellValue, number_format: str | None = None
) -> list[CellWrite]:
    """A write into the row's `key` column, if the parser found it, guarded by the ID cell."""
    if key not in row.cells or "id" not in row.cells:
        return []
    id_row, id_col = parse_a1(row.cells["id"])
    r, c = parse_a1(row.cells[key])
    guard = Guard(id_row, id_col, id_as_read)
    return [CellWrite(row.sheet, r, c, value, number_format=number_format, guard=guard)]
