"""A generated plan of any size, for the scaling benchmarks.

50 periods of 10 days, 40 target results under 8 objectives, 20 owners, 6 workstreams,
N actions: a realistic mix of statuses, priorities, estimates (some as French text),
one or two dependencies on earlier actions for a third of them. Deterministic (seeded).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sheetpilot._cells import Grid
from sheetpilot._scaffold import header, settings_grid
from sheetpilot._template import (
    ACTION_COLUMNS,
    ACTIONS,
    DEFAULT_PRIORITIES,
    DEFAULT_STATUSES,
    OBJECTIVE_COLUMNS,
    OBJECTIVES,
    SETTINGS,
    Locale,
)

START = date(2026, 1, 5)
TODAY = date(2026, 6, 17)
PERIODS = 50
RESULTS = 40
OWNERS = tuple((f"Responsable {i:02d}", float(5 + i % 4)) for i in range(20))
WORKSTREAMS = ("Contenu", "SEO", "Emailing", "Social", "Site web", "Événements")


def generated_grids(actions: int, *, seed: int = 7) -> dict[str, Grid]:
    """The three input tabs (French titles) of a plan with `actions` actions."""
    rng = random.Random(seed)
    locale: Locale = "fr"
    statuses = [label for label, _ in DEFAULT_STATUSES[locale]]
    settings = settings_grid(
        locale,
        priorities=DEFAULT_PRIORITIES,
        workstreams=WORKSTREAMS,
        owners=OWNERS,
        start=START,
        period_length=10,
        period_count=PERIODS,
    )
    objectives: Grid = [header(OBJECTIVE_COLUMNS, locale)]
    for r in range(RESULTS):
        baseline, target = 10.0 * (r % 5), 10.0 * (r % 5) + 50
        objectives.append(
            [
                f"Objectif business {r // 10 + 1}",
                f"Objectif marketing {r // 5 + 1}",
                f"R{r + 1}",
                f"Résultat cible {r + 1}",
                DEFAULT_PRIORITIES[r % 3],
                "KPI",
                baseline,
                target,
                baseline + rng.randint(0, 50),
                START + timedelta(days=60 + 8 * r),
                "Leviers",
                None,
                None,
            ]
        )
    rows: Grid = [header(ACTION_COLUMNS, locale)]
    for i in range(actions):
        deps = []
        if i > 10 and rng.random() < 0.33:
            deps = sorted(
                {f"A-{rng.randint(max(1, i - 40), i):05d}" for _ in range(rng.randint(1, 2))}
            )
        estimate: float | str = rng.choice((0.5, 1, 1.5, 2, 3, 5))
        if rng.random() < 0.2:
            estimate = f"{estimate:g}".replace(".", ",") + " j"
        rows.append(
            [
                f"A-{i + 1:05d}",
                rng.choices(statuses, weights=(5, 3, 6, 1, 1))[0],
                WORKSTREAMS[i % len(WORKSTREAMS)],
                f"Action {i + 1}",
                f"Description de l'action {i + 1}, assez longue pour ressembler à une vraie.",
                f"R{i % RESULTS + 1}",
                DEFAULT_PRIORITIES[rng.randrange(3)],
                rng.randint(1, 5),
                rng.randint(1, 5),
                ", ".join(deps) or None,
                OWNERS[i % len(OWNERS)][0],
                estimate,
                f"P{i * PERIODS // max(actions, 1) + 1}",
                None,
            ]
        )
    return {
        SETTINGS.label(locale): settings,
        OBJECTIVES.label(locale): objectives,
        ACTIONS.label(locale): rows,
    }
