"""Tiny builders for raw plan grids (what a backend reads), shared by the test files.

Layouts are fixed so tests can name cells:
- actions: A ID, B Statut, C Chantier, D Action, E Description, F Résultat cible,
  G Priorité, H Impact, I Difficulté, J Dépend de, K Responsable, L Estimation, M Période
- objectives: A Objectif business, B Objectif marketing, C ID, D Résultat cible,
  E Priorité, F KPI, G Valeur initiale, H Valeur cible, I Valeur actuelle, J Échéance, K Leviers
- settings: A Statuts, B Type, D Priorités, F Chantiers, H Responsables, I Capacité,
  K Paramètre, L Valeur (L2 plan start, L3 period length, L4 period count),
  N Période, O Début, P Fin (only when `periods` is given)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sheetpilot import _template as template
from sheetpilot._cells import CellValue, Grid
from sheetpilot._template import (
    ACTIONS,
    DEFAULT_STATUSES,
    OBJECTIVES,
    P_PERIOD_COUNT,
    P_PERIOD_LENGTH,
    P_PLAN_START,
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
    SETTINGS,
    Locale,
    Name,
)

ACTION_COLUMNS = tuple(n for n in template.ACTION_COLUMNS if n.key != "rank")
OBJECTIVE_COLUMNS = tuple(
    n for n in template.OBJECTIVE_COLUMNS if n.key not in ("progress", "health")
)


def table(names: Sequence[Name], rows: Iterable[Mapping[str, CellValue]], locale: Locale) -> Grid:
    """A header row of `names` in `locale`, then one row per mapping (field key → value)."""
    grid: Grid = [[n.label(locale) for n in names]]
    for row in rows:
        unknown = set(row) - {n.key for n in names}
        assert not unknown, f"unknown keys {unknown}"
        grid.append([row.get(n.key) for n in names])
    return grid


def action(**fields: CellValue) -> dict[str, CellValue]:
    """An action row: `action(id="A-001", status="En cours", estimate=2)`; title → 'action'."""
    if "title" in fields:
        fields["action"] = fields.pop("title")
    return fields


def actions_grid(*rows: Mapping[str, CellValue], locale: Locale = "fr") -> Grid:
    return table(ACTION_COLUMNS, rows, locale)


def objectives_grid(*rows: Mapping[str, CellValue], locale: Locale = "fr") -> Grid:
    return table(OBJECTIVE_COLUMNS, rows, locale)


def settings_grid(
    locale: Locale = "fr",
    *,
    statuses: Sequence[tuple[str, CellValue]] | None = None,
    priorities: Sequence[str] = ("P1", "P2", "P3"),
    workstreams: Sequence[str] = ("Contenu", "SEO"),
    owners: Sequence[tuple[str, CellValue]] = (("Alice", 5), ("Bruno", 3)),
    plan_start: CellValue = "05/01/2026",
    period_length: CellValue = 10,
    period_count: CellValue = 3,
    periods: Sequence[tuple[str, CellValue, CellValue]] | None = None,
) -> Grid:
    """A settings tab with its lists side by side (see the module docstring for columns)."""
    status_rows = list(DEFAULT_STATUSES[locale] if statuses is None else statuses)
    params = [
        (P_PLAN_START.label(locale), plan_start),
        (P_PERIOD_LENGTH.label(locale), period_length),
        (P_PERIOD_COUNT.label(locale), period_count),
    ]
    columns: list[tuple[int, Name, list[Any]]] = [
        (0, S_STATUSES, [s for s, _ in status_rows]),
        (1, S_STATUS_TYPE, [t for _, t in status_rows]),
        (3, S_PRIORITIES, list(priorities)),
        (5, S_WORKSTREAMS, list(workstreams)),
        (7, S_OWNERS, [o for o, _ in owners]),
        (8, S_CAPACITY, [c for _, c in owners]),
        (10, S_PARAMETER, [p for p, _ in params]),
        (11, S_VALUE, [v for _, v in params]),
    ]
    if periods is not None:
        columns += [
            (13, S_PERIOD, [p[0] for p in periods]),
            (14, S_PERIOD_START, [p[1] for p in periods]),
            (15, S_PERIOD_END, [p[2] for p in periods]),
        ]
    height = 1 + max(len(values) for _, _, values in columns)
    width = 1 + max(col for col, _, _ in columns)
    grid: Grid = [[None] * width for _ in range(height)]
    for col, name, values in columns:
        grid[0][col] = name.label(locale)
        for i, value in enumerate(values):
            grid[i + 1][col] = value
    return grid


DEFAULT_RESULTS: tuple[dict[str, CellValue], ...] = (
    {
        "business_objective": "Vendre plus",
        "marketing_objective": "Plus de leads",
        "id": "R1",
        "target_result": "200 leads",
        "priority": "P1",
        "baseline": 50,
        "target": 200,
        "current": 80,
        "due_date": "31/03/2026",
    },
    {"id": "R2", "target_result": "Taux de conversion", "baseline": 2, "target": 4, "current": 3},
)


def default_actions(locale: Locale = "fr") -> tuple[dict[str, CellValue], ...]:
    """Two valid actions: A-001 (doing, P1, Alice, 2) and A-002 (todo, P2, Bruno, '1,5')."""
    todo, doing = DEFAULT_STATUSES[locale][0][0], DEFAULT_STATUSES[locale][1][0]
    return (
        action(id="A-001", status=doing, title="Webinar", target_result="R1", priority="P1",
               owner="Alice", estimate=2, period="P1"),
        action(id="A-002", status=todo, title="Landing page", target_result="R2", priority="P2",
               depends_on="A-001", owner="Bruno", estimate="1,5", period="P2"),
    )  # fmt: skip


def plan_grids(
    locale: Locale = "fr",
    *,
    actions: Sequence[Mapping[str, CellValue]] | None = None,
    results: Sequence[Mapping[str, CellValue]] = DEFAULT_RESULTS,
    settings: Grid | None = None,
    with_settings: bool = True,
) -> dict[str, Grid]:
    """The three input tabs of a small valid plan, titled in `locale`."""
    grids = {
        OBJECTIVES.label(locale): objectives_grid(*results, locale=locale),
        ACTIONS.label(locale): actions_grid(
            *(default_actions(locale) if actions is None else actions), locale=locale
        ),
    }
    if with_settings:
        grids[SETTINGS.label(locale)] = settings if settings is not None else settings_grid(locale)
    return grids
