"""The minimal change set: what differs between the sheet as read and the rendered target.

Pure. Cells are compared in canonical form (`cells.canonical`), so a date rendered by
sheetpilot and read back as a serial number or a datetime is not written again; a second
sync with no input change writes nothing:

>>> from sheetpilot._render import Rendered
>>> diff(Snapshot(()), Rendered((), ())).empty
True

`apply` plays a change set onto a snapshot the way a backend would (guards checked
against the values read), for dry runs and tests; `preview` lists each write as
(tab, A1, old, new).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from difflib import SequenceMatcher

from sheetpilot._cells import (
    MAX_CELL_CHARS,
    CellValue,
    Grid,
    a1,
    canonical,
    cell,
    fit_cell,
    formula_key,
    is_blank,
)
from sheetpilot._render import Rendered, TargetCell, TargetTab
from sheetpilot._workbook import (
    CellWrite,
    ChangeSet,
    Chart,
    Guard,
    Highlight,
    ListValidation,
    RowEdit,
    Snapshot,
    TabData,
    TabLayout,
)


def differs(old: CellValue, new: CellValue) -> bool:
    """True when writing `new` over `old` would change what the cell holds.

    >>> from datetime import date
    >>> differs(46037, date(2026, 1, 15)), differs("", None), differs(1, True)
    (False, False, True)
    """
    a, b = canonical(old), canonical(new)
    return isinstance(a, bool) != isinstance(b, bool) or a != b


def bounded(value: CellValue) -> CellValue:
    """The last guard before a write: no text cell exceeds Google's 50,000 characters
    (longer text is cut, with an ellipsis), so one oversized value never makes Google
    refuse the whole write.

    >>> len(bounded("x" * 70_000)), bounded("court")
    (50000, 'court')
    """
    return fit_cell(value)


def diff(
    snapshot: Snapshot, rendered: Rendered, *, formulas: bool = False, charts: bool = False
) -> ChangeSet:
    """Only the cells that change, tool tabs first (in order), then input writes; each
    by row then column. A tool tab missing from the snapshot is created.

    `formulas`: the backend writes formulas (and reads them back into `TabData.formulas`).
    Then a computed cell is written as its row's lookup formula, compared as a formula
    (`formula_key`), unguarded since it is right on whatever row it lands; every non-blank
    cell of a computed column gets its row's lookup too (blank on a row without an action).
    Otherwise a computed cell is written as its value, guarded by the row's ID as read,
    and a computed cell on a row without an action (result) is cleared.

    A formula cell of a tool tab (`TargetCell.formula`: the live period block, the links
    of `Contrôles`) is written on every backend, with its result as its cached value. It
    is compared as a formula (`formula_key`); without `formulas` (`.xlsx`, which nothing
    recalculates between syncs) its cached value is compared too, so it stays current.

    With `formulas`, the rows of a listing (`TargetTab.rows_from`: Priorités, Contrôles)
    that are still there move rather than being written again: an item that left deletes
    its row, one that arrived inserts a row (`RowEdit`, see `row_edits`), and the writes
    are what differs once the rows have moved.

    `charts`: the backend draws native charts; the charts whose title or ranges differ
    from those read are added or updated (`chart_changes`).
    """
    new_tabs: list[TabLayout] = []
    writes: list[CellWrite] = []
    row_edits: list[RowEdit] = []
    validations: list[ListValidation] = []
    min_rows: dict[str, int] = {}
    min_cols: dict[str, int] = {}
    highlights: dict[str, tuple[Highlight, ...]] = {}
    restyle: list[TabLayout] = []
    drawn: list[Chart] = []
    for tab in rendered.tabs:
        current = snapshot.get(tab.title)
        if charts:
            drawn.extend(chart_changes(tab.charts, current.charts if current else ()))
        if current is None:
            new_tabs.append(tab.layout)
            if tab.layout.highlights:
                highlights[tab.title] = tab.layout.highlights
        elif _highlights_differ(current, tab.layout.highlights):
            highlights[tab.title] = tab.layout.highlights
            restyle.append(tab.layout)
        elif current.presented is False and tab.layout.printable:
            restyle.append(tab.layout)
        if formulas and current is not None and tab.rows_from is not None:
            moves = row_edits_for(tab, current)
            if moves:
                row_edits.extend(moves)
                current = moved(current, moves)
        tab_writes = _tab_writes(tab, current, cached=not formulas)
        if current is not None:
            tab_writes = _keep_typed_formulas(tab, current, tab_writes)
        writes.extend(tab_writes)
        if current is None or tab_writes:
            validations.extend(tab.validations)
        min_rows[tab.title] = tab.rows
        min_cols[tab.title] = tab.cols
    writes.extend(_input_writes(snapshot, rendered, formulas))
    for title, wanted in rendered.highlights.items():
        current = snapshot.get(title)
        if current is not None and _highlights_differ(current, wanted):
            highlights[title] = wanted
    return ChangeSet(
        new_tabs=tuple(new_tabs),
        writes=tuple(writes),
        validations=tuple(validations),
        min_rows=min_rows,
        min_cols=min_cols,
        row_edits=tuple(row_edits),
        highlights=highlights,
        restyle=tuple(restyle),
        charts=tuple(drawn),
    )


def chart_changes(targets: tuple[Chart, ...], read: tuple[Chart, ...]) -> list[Chart]:
    """The charts to add (no `handle`) or to update (the `handle` of the one read, of the
    same kind): only those whose title or ranges differ from what was read.

    >>> from sheetpilot._workbook import ChartSeries
    >>> want = Chart("D", "bar", "T", 2, 5, 0, (ChartSeries(1, "bar"),))
    >>> chart_changes((want,), ()) == [want], chart_changes((want,), (want,))
    (True, [])
    >>> moved = Chart("D", "bar", "T", 2, 6, 0, (ChartSeries(1, "bar"),), handle=7)
    >>> [c.handle for c in chart_changes((want,), (moved,))]
    [7]
    """
    out: list[Chart] = []
    for target in targets:
        held = next((c for c in read if c.kind == target.kind), None)
        if held is None:
            out.append(target)
        elif held != target:
            out.append(replace(target, handle=held.handle))
    return out


def _highlights_differ(current: TabData, wanted: tuple[Highlight, ...]) -> bool:
    """Whether sheetpilot's conditional formats on the tab, as read, are not `wanted`
    (a backend that does not read them: never)."""
    return current.highlights is not None and current.highlights != wanted


MAX_ROW_EDITS = 100  # beyond, the rows are written where they are (a reordering, not moves)


def row_edits_for(tab: TargetTab, current: TabData) -> list[RowEdit]:
    """The row deletions and insertions that bring the listing rows of `current` (from
    `tab.rows_from` down) where the target has them, top to bottom, each at its row once
    the edits before it are made: `difflib.SequenceMatcher` over the rows, each compared
    by its values and formulas (a rank `=ROW()-3` is the same on every row). Rows that
    only need new values are left to the writes; rows added below the last one read are
    simply written. None when nothing moves, when more than `MAX_ROW_EDITS` would, or
    when the sheet would keep no row below its frozen ones (Google refuses that).

    >>> from sheetpilot._render.targets import TargetCell
    >>> rows = {(r, 0): TargetCell(v) for r, v in enumerate(["Top", "a", "c"])}
    >>> tab = TargetTab("k", "T", rows, TabLayout("T"), rows_from=1)
    >>> read = TabData("T", [["Top"], ["a"], ["b"], ["c"]], row_count=100)
    >>> row_edits_for(tab, read)
    [RowEdit(sheet='T', start=2, count=1, insert=False)]
    """
    start = tab.rows_from
    grid, held = current.grid, current.formulas
    if start is None or len(grid) <= start or _unchanged(tab, grid, held, False):
        return []
    old = [_read_row(grid[r], r, held) for r in range(start, len(grid))]
    new = _target_rows(tab, start)
    edits: list[RowEdit] = []
    shift = 0  # rows inserted minus rows deleted by the edits so far
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        kept = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        at = start + i1 + shift + kept
        if tag in ("delete", "replace") and i2 - i1 > j2 - j1:
            count = (i2 - i1) - (j2 - j1)
            edits.append(RowEdit(tab.title, at, count))
            shift -= count
        elif tag in ("insert", "replace") and j2 - j1 > i2 - i1 and i2 < len(old):
            count = (j2 - j1) - (i2 - i1)
            edits.append(RowEdit(tab.title, at, count, insert=True))
            shift += count
    if len(edits) > MAX_ROW_EDITS:
        return []
    deleted = sum(e.count for e in edits if not e.insert)
    inserted = sum(e.count for e in edits if e.insert)
    if current.row_count and current.row_count - deleted + inserted <= start:
        return []
    return edits


_Row = tuple[object, ...]


def _read_row(line: Sequence[CellValue], r: int, held: Mapping[tuple[int, int], str]) -> _Row:
    out: list[object] = []
    for c, value in enumerate(line):
        formula = held.get((r, c))
        out.append(("=", formula_key(formula)) if formula is not None else canonical(value))
    return _trimmed(out)


def _target_rows(tab: TargetTab, start: int) -> list[_Row]:
    lines: list[list[object]] = [[] for _ in range(max(tab.rows - start, 0))]
    for (r, c), target in tab.cells.items():
        if r < start:
            continue
        line = lines[r - start]
        while len(line) <= c:
            line.append(canonical(None))
        value = bounded(target.value)
        formula = target.formula
        line[c] = ("=", formula_key(formula)) if formula is not None else canonical(value)
    return [_trimmed(line) for line in lines]


def _trimmed(line: list[object]) -> _Row:
    blank = canonical(None)
    end = len(line)
    while end and line[end - 1] in (blank, canonical("")):
        end -= 1
    return tuple(line[:end])


def play_rows(
    grid: Grid, formulas: Mapping[tuple[int, int], str], edits: Sequence[RowEdit]
) -> tuple[Grid, dict[tuple[int, int], str]]:
    """A tab's grid and formulas after `edits` (its own), as Google moves them.

    >>> play_rows([["a"], ["b"], ["c"]], {(2, 0): "=ROW()"}, [RowEdit("T", 1, 1)])
    ([['a'], ['c']], {(1, 0): '=ROW()'})
    """
    rows = list(grid)
    held = dict(formulas)
    for e in edits:
        end = e.start + e.count
        if e.insert:
            if e.start < len(rows):
                rows[e.start : e.start] = [[] for _ in range(e.count)]
            held = {((r + e.count if r >= e.start else r), c): f for (r, c), f in held.items()}
        else:
            del rows[e.start : end]
            held = {
                ((r - e.count if r >= end else r), c): f
                for (r, c), f in held.items()
                if not e.start <= r < end
            }
    return rows, held


def moved(tab: TabData, edits: Sequence[RowEdit]) -> TabData:
    """`tab` as it reads once `edits` (rows of this tab) are made."""
    mine = [e for e in edits if e.sheet == tab.title]
    if not mine:
        return tab
    grid, held = play_rows(tab.grid, tab.formulas, mine)
    net = sum(e.count if e.insert else -e.count for e in mine)
    return replace(tab, grid=grid, formulas=held, row_count=max(tab.row_count + net, 0))


def _tab_writes(tab: TargetTab, current: TabData | None, *, cached: bool) -> list[CellWrite]:
    grid = current.grid if current else []
    held: Mapping[tuple[int, int], str] = current.formulas if current else {}
    if _unchanged(tab, grid, held, cached):
        return []
    present = {
        (r, c) for r, line in enumerate(grid) for c, value in enumerate(line) if not is_blank(value)
    }
    writes: list[CellWrite] = []
    for r, c in sorted(present | set(tab.cells) | set(held)):
        target = tab.cells.get((r, c))
        new = bounded(target.value) if target else None
        if _cell_differs(target, cell(grid, r, c), held.get((r, c)), cached):
            fmt, bold = (target.number_format, target.bold) if target else (None, False)
            formula = target.formula if target else None
            writes.append(CellWrite(tab.title, r, c, new, formula, number_format=fmt, bold=bold))
    return writes


def _cell_differs(
    target: TargetCell | None, old: CellValue, formula: str | None, cached: bool
) -> bool:
    """Whether a tool-tab cell needs writing: a formula target by its formula (and, when
    `cached`, its result), a value target by its value or a formula it must replace."""
    if target is None or target.formula is None:
        return formula is not None or differs(old, bounded(target.value) if target else None)
    if formula is None or formula_key(formula) != formula_key(target.formula):
        return True
    return cached and differs(old, bounded(target.value))


def _unchanged(
    tab: TargetTab, grid: Grid, held: Mapping[tuple[int, int], str], cached: bool
) -> bool:
    """Whether the tab already shows its target, checked cell by cell without sorting or
    canonicalising what is plainly equal: the no-change sync's path. False means "maybe
    not": the full comparison then finds the writes."""
    cells = tab.cells
    height = len(grid)
    for (r, c), target in cells.items():
        line = grid[r] if r < height else ()
        old = line[c] if c < len(line) else None
        if target.formula is not None or held:
            if (r, c) not in tab.user_cells and _cell_differs(
                target, old, held.get((r, c)), cached
            ):
                return False
            continue
        new = target.value
        if old is new or (type(old) is type(new) and old == new and not _too_long(new)):
            continue
        if differs(old, bounded(new)):
            return False
    for r, line in enumerate(grid):
        for c, value in enumerate(line):
            if value is not None and (r, c) not in cells and not is_blank(value):
                return False
    return not any(where not in cells for where in held)


def _too_long(value: CellValue) -> bool:
    return isinstance(value, str) and len(value) > MAX_CELL_CHARS


def _keep_typed_formulas(
    tab: TargetTab, current: TabData, writes: list[CellWrite]
) -> list[CellWrite]:
    """A formula the user typed in one of the tab's user cells (F2) is kept as typed:
    its result is what the sync read as the user's choice."""
    kept = {cell for cell in tab.user_cells if cell in current.formulas}
    if not kept:
        return writes
    return [w for w in writes if (w.row, w.col) not in kept]


def _input_writes(snapshot: Snapshot, rendered: Rendered, formulas: bool) -> list[CellWrite]:
    order = {title: i for i, title in enumerate(snapshot.titles)}
    tabs = {t.title: t for t in snapshot.tabs}
    computed_cols: dict[str, set[int]] = {}
    for target in rendered.computed:
        computed_cols.setdefault(target.column.sheet, set()).add(target.column.col)
    kept: list[CellWrite] = []
    for w in (*rendered.input_writes, *_stray_computed(tabs, rendered)):
        if _too_long(w.value):
            w = replace(w, value=bounded(w.value))
        tab = tabs.get(w.sheet)
        grid = tab.grid if tab else []
        held = tab.formulas.get((w.row, w.col)) if tab else None
        if formulas and w.formula is not None:
            if held is None or formula_key(held) != formula_key(w.formula):
                kept.append(replace(w, guard=None))
            continue
        w = replace(w, formula=None) if w.formula is not None else w
        if differs(cell(grid, w.row, w.col), w.value):
            kept.append(_with_row_guard(w, grid, computed_cols.get(w.sheet, set())))
    return sorted(kept, key=lambda w: (order.get(w.sheet, len(order)), w.row, w.col))


def _stray_computed(tabs: dict[str, TabData], rendered: Rendered) -> list[CellWrite]:
    """A write for every non-blank computed cell on a row that holds no action (result):
    its row's lookup (which shows blank there), or, as a value, blank."""
    targeted = {(w.sheet, w.row, w.col) for w in rendered.input_writes}
    out: list[CellWrite] = []
    for target in rendered.computed:
        column = target.column
        tab = tabs.get(column.sheet)
        if tab is None:
            continue
        rows = {
            r
            for r in range(column.header_row + 1, len(tab.grid))
            if not is_blank(cell(tab.grid, r, column.col))
        }
        rows |= {r for r, c in tab.formulas if c == column.col and r > column.header_row}
        for r in sorted(rows):
            if (column.sheet, r, column.col) in targeted:
                continue
            guard = None
            if column.id_col is not None:
                guard = Guard(r, column.id_col, cell(tab.grid, r, column.id_col))
            write = CellWrite(column.sheet, r, column.col, None, target.formula(r), guard=guard)
            out.append(write)
    return out


def _with_row_guard(write: CellWrite, grid: Grid, computed: set[int]) -> CellWrite:
    """A write that fills a blank cell (an assigned ID) is also guarded by the rest of its
    row as read, so that it never lands on another row moved there since the read."""
    guard = write.guard
    if (
        guard is None
        or guard.expected is not None
        or (guard.row, guard.col)
        != (
            write.row,
            write.col,
        )
    ):
        return write
    line = grid[write.row] if write.row < len(grid) else []
    also = tuple(
        (c, v)
        for c, v in enumerate(line)
        if c != write.col and c not in computed and not is_blank(v)
    )
    return replace(write, guard=replace(guard, also=also))


def _guard_holds(write: CellWrite, grids: dict[str, Grid]) -> bool:
    if write.guard is None:
        return True
    grid = grids.get(write.sheet, [])
    guard = write.guard
    checks = ((guard.col, guard.expected), *guard.also)
    return not any(differs(cell(grid, guard.row, col), expected) for col, expected in checks)


def apply(snapshot: Snapshot, changes: ChangeSet) -> Snapshot:
    """The snapshot as it would read after a backend wrote `changes` (pure, for dry runs
    and tests): new tabs inserted at their index, guarded writes skipped when the guarded
    cell no longer holds the expected value (checked against the values read). A formula
    write leaves its cached value in the grid and its text in `formulas`."""
    read = snapshot.grids()  # guards are checked against the values read
    if changes.row_edits:
        snapshot = Snapshot(tuple(moved(t, changes.row_edits) for t in snapshot.tabs))
    tabs = [TabData(t.title, [list(line) for line in t.grid], t.sheet_id) for t in snapshot.tabs]
    for layout in changes.new_tabs:
        at = len(tabs) if layout.index is None else max(0, min(layout.index, len(tabs)))
        tabs.insert(at, TabData(layout.title, []))
    by_title = {t.title: t.grid for t in tabs}
    formulas_of = {t.title: dict(t.formulas) for t in snapshot.tabs}
    formulas_of.update({layout.title: {} for layout in changes.new_tabs})
    for write in changes.writes:
        grid = by_title.get(write.sheet)
        if grid is None or not _guard_holds(write, read):
            continue
        held = formulas_of.setdefault(write.sheet, {})
        if write.formula is not None:
            held[(write.row, write.col)] = write.formula
        else:
            held.pop((write.row, write.col), None)
        while len(grid) <= write.row:
            grid.append([])
        line = grid[write.row]
        while len(line) <= write.col:
            line.append(None)
        line[write.col] = write.value
    return Snapshot(
        tuple(
            TabData(
                t.title,
                t.grid,
                t.sheet_id,
                formulas=formulas_of.get(t.title, {}),
                row_count=max(len(t.grid), changes.min_rows.get(t.title, 0)),
                col_count=max(
                    max((len(line) for line in t.grid), default=0),
                    changes.min_cols.get(t.title, 0),
                ),
            )
            for t in tabs
        )
    )


def preview(snapshot: Snapshot, changes: ChangeSet) -> list[tuple[str, str, CellValue, CellValue]]:
    """Each write that would land, as (tab, A1, old value, new value), in write order
    (the old value as the rows read once the row edits are made)."""
    read = snapshot.grids()
    grids = Snapshot(tuple(moved(t, changes.row_edits) for t in snapshot.tabs)).grids()
    return [
        (w.sheet, a1(w.row, w.col), cell(grids.get(w.sheet, []), w.row, w.col), w.value)
        for w in changes.writes
        if _guard_holds(w, read)
    ]
