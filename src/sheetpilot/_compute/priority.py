"""Priority order: effective priority, a topological order of open actions, cycles.

DESIGN.md §3 "Priority order". Open actions are ordered so that each comes after its
open dependencies; among the actions that are ready, the one with the best
(effective priority index, −impact/effort, row) goes first. A blocker inherits the
urgency of everything that waits on it, transitively.

Actions on a dependency cycle cannot be ordered: they go after all the others, in row
order. Actions that merely depend (directly or transitively) on a cycle cannot be
scheduled before it either, so they go after the cycle's actions, still each after its
own open dependencies (ready ones picked by the same key).

>>> from sheetpilot._models import Action, ParsedPlan, Settings
>>> settings = Settings(statuses=(), priorities=("P1", "P2", "P3"))
>>> plan = ParsedPlan(settings=settings, actions=(
...     Action(sheet="Suivi des actions", row=1, id="A-001", priority="P1", depends_on=("A-002",)),
...     Action(sheet="Suivi des actions", row=2, id="A-002", priority="P3"),
...     Action(sheet="Suivi des actions", row=3, id="A-003", priority="P2"),
... ))
>>> [(r.rank, r.id, r.effective_priority) for r in schedule(plan).ranked]
[(1, 'A-002', 'P1'), (2, 'A-001', 'P1'), (3, 'A-003', 'P2')]
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sheetpilot._compute.keys import id_key, name_key
from sheetpilot._models import Action, ParsedPlan, RankedAction

SortKey = tuple[int, float, int, int]  # (effective priority index, −impact/effort, row, node)


@dataclass(frozen=True)
class Dependency:
    """One ID listed in an open action's `depends_on`, resolved against the plan."""

    action: Action  # the open action that waits
    typed: str  # the ID as typed
    target: Action | None  # the action it names, None when no action has that ID


@dataclass(frozen=True)
class Schedule:
    """The priority order and what was learned about dependencies while building it."""

    ranked: tuple[RankedAction, ...]
    dependencies: tuple[Dependency, ...]  # every open action's, row order then typed order
    cycles: tuple[tuple[Action, ...], ...]  # each in cycle order, first-row action first

    @property
    def on_cycles(self) -> frozenset[str]:
        """ID keys of the actions that lie on a dependency cycle."""
        return frozenset(id_key(a.id) for cycle in self.cycles for a in cycle)


def priority_index(priority: str | None, priorities: Sequence[str]) -> int:
    """0 for the highest priority; missing or unknown ranks after every known one.

    >>> priority_index("p2", ("P1", "P2")), priority_index(None, ("P1", "P2"))
    (1, 2)
    """
    if priority is not None:
        wanted = name_key(priority)
        for i, name in enumerate(priorities):
            if name_key(name) == wanted:
                return i
    return len(priorities)


def resolve_dependencies(actions: Sequence[Action]) -> list[Dependency]:
    """Every ID in an open action's `depends_on`, each listed once, resolved by ID.

    IDs compare case-insensitively; when two actions share an ID the first row wins
    (the parser already reports the duplicate).
    """
    by_id: dict[str, Action] = {}
    for action in actions:
        key = id_key(action.id)
        if key and key not in by_id:
            by_id[key] = action
    resolved = []
    for action in actions:
        if not action.is_open:
            continue
        seen: set[str] = set()
        for typed in action.depends_on:
            key = id_key(typed)
            if not key or key in seen:
                continue
            seen.add(key)
            resolved.append(Dependency(action, typed.strip(), by_id.get(key)))
    return resolved


def _strongly_connected(edges: Sequence[Sequence[int]]) -> list[list[int]]:
    """Tarjan's strongly connected components, iterative; emitted dependencies first."""
    n = len(edges)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    components: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        work = [(root, 0)]
        while work:
            v, i = work[-1]
            if i < len(edges[v]):
                work[-1] = (v, i + 1)
                w = edges[v][i]
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    component.append(w)
                    if w == v:
                        break
                components.append(component)
    return components


def _cycle_order(members: Sequence[int], edges: Sequence[Sequence[int]]) -> list[int]:
    """The members of one cycle from its first row, following dependencies (DFS preorder)."""
    inside = set(members)
    order: list[int] = []
    seen: set[int] = set()
    todo = [min(members)]
    while todo:
        v = todo.pop()
        if v in seen:
            continue
        seen.add(v)
        order.append(v)
        todo.extend(reversed([w for w in edges[v] if w in inside and w not in seen]))
    return order


def _effective_priorities(
    components: Sequence[Sequence[int]], own: Sequence[int], dependents: Sequence[Sequence[int]]
) -> list[int]:
    """Best priority index of each node and of everything waiting on it, transitively.

    Components come dependencies first (Tarjan's order), so walking them in reverse sees
    every dependent before the node it waits on; a cycle's members share one value.
    """
    component_of = [0] * len(own)
    for c, members in enumerate(components):
        for v in members:
            component_of[v] = c
    effective = list(own)
    for members in reversed(components):
        best = min(own[v] for v in members)
        for v in members:
            for w in dependents[v]:
                if component_of[w] != component_of[v]:
                    best = min(best, effective[w])
        for v in members:
            effective[v] = best
    return effective


def _waiting_on(on_cycle: set[int], dependents: Sequence[Sequence[int]]) -> set[int]:
    """Nodes not on a cycle that wait, directly or transitively, on one that is."""
    found: set[int] = set()
    todo = [w for v in on_cycle for w in dependents[v]]
    while todo:
        v = todo.pop()
        if v not in on_cycle and v not in found:
            found.add(v)
            todo.extend(dependents[v])
    return found


def schedule(plan: ParsedPlan) -> Schedule:
    """The priority order of the plan's open actions (DESIGN.md §3, rules 1–5)."""
    priorities = plan.settings.priorities
    nodes = [a for a in plan.actions if a.is_open]  # already in row order
    node_of = {id(a): i for i, a in enumerate(nodes)}
    dependencies = resolve_dependencies(plan.actions)

    edges: list[list[int]] = [[] for _ in nodes]  # node → its open dependencies
    dependents: list[list[int]] = [[] for _ in nodes]  # node → open actions waiting on it
    for dep in dependencies:
        if dep.target is None or not dep.target.is_open:
            continue
        waiter, blocker = node_of[id(dep.action)], node_of[id(dep.target)]
        if blocker not in edges[waiter]:
            edges[waiter].append(blocker)
            dependents[blocker].append(waiter)

    components = _strongly_connected(edges)
    own = [priority_index(a.priority, priorities) for a in nodes]
    effective = _effective_priorities(components, own, dependents)
    cycles = [
        _cycle_order(members, edges)
        for members in components
        if len(members) > 1 or members[0] in edges[members[0]]
    ]
    cycles.sort(key=lambda order: order[0])
    on_cycle = {v for cycle in cycles for v in cycle}
    downstream = _waiting_on(on_cycle, dependents)

    def key(v: int) -> SortKey:
        action = nodes[v]
        ratio = action.impact / action.effort if action.effort > 0 else action.impact
        return (effective[v], -ratio, action.row, v)

    order = _kahn(
        [v for v in range(len(nodes)) if v not in on_cycle and v not in downstream], edges, key
    )
    order += sorted(on_cycle, key=lambda v: (nodes[v].row, v))
    order += _kahn(sorted(downstream), edges, key)

    rank = {v: r for r, v in enumerate(order, start=1)}
    ranked = tuple(
        RankedAction(
            rank=rank[v],
            id=nodes[v].id,
            effective_priority=priorities[effective[v]] if effective[v] < len(priorities) else None,
            blocked_by=tuple(nodes[w].id for w in sorted(edges[v], key=rank.__getitem__)),
        )
        for v in order
    )
    return Schedule(
        ranked=ranked,
        dependencies=tuple(dependencies),
        cycles=tuple(tuple(nodes[v] for v in cycle) for cycle in cycles),
    )


def _kahn(
    group: Sequence[int],
    edges: Sequence[Sequence[int]],
    key: Callable[[int], SortKey],
) -> list[int]:
    """Topological order of `group` (dependencies outside it count as met), best key first."""
    members = set(group)
    waiting = {v: sum(1 for w in edges[v] if w in members) for v in group}
    unblocks: dict[int, list[int]] = {v: [] for v in group}
    for v in group:
        for w in edges[v]:
            if w in members:
                unblocks[w].append(v)
    ready = [(key(v), v) for v in group if waiting[v] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        _, v = heapq.heappop(ready)
        order.append(v)
        for u in unblocks[v]:
            waiting[u] -= 1
            if waiting[u] == 0:
                heapq.heappush(ready, (key(u), u))
    return order
