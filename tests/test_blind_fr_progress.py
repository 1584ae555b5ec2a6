"""Objective progress and health are decided on exact figures; rounding (6 decimals) is for
what is stored and shown only. Found by the blind conformance test (test_blind_fr_google):
an objective whose results stand at 2/30 and 0 was reported at 0.033334 instead of 1/30,
because the mean was taken of already-rounded result progress."""

from datetime import date

from sheetpilot._compute import compute_plan
from sheetpilot._models import ParsedPlan, Result, Settings

START = date(2027, 1, 6)


def objective(*results, today):
    rows = tuple(
        Result(
            sheet="Objectifs",
            row=n,
            cells={"id": f"A{n + 1}", "current": f"H{n + 1}"},
            id=f"R{n}",
            marketing_objective="Leads",
            baseline=baseline,
            target=target,
            current=current,
            due=due,
        )
        for n, (baseline, target, current, due) in enumerate(results, 1)
    )
    settings = Settings(statuses=(), priorities=("P1",), plan_start=START, period_count=2)
    plan = ParsedPlan(settings=settings, actions=(), results=rows, issues=())
    (found,) = compute_plan(plan, today).objectives
    return found


def test_objective_progress_is_the_mean_of_exact_result_progress():
    # R1: (78 − 80) / (50 − 80) = 1/15; R2: target = baseline, current ≠ target → 0
    found = objective(
        (80.0, 50.0, 78.0, date(2027, 6, 30)),
        (100.0, 100.0, 95.0, date(2027, 4, 30)),
        today=date(2027, 1, 21),
    )
    assert found.progress == round(1 / 30, 6) == 0.033333
    assert found.results[0].progress == 0.066667


def test_a_result_short_of_its_target_is_not_done():
    # 9 999 996 of 10 000 000: 99.99996 %, rounds to 1.0 for display but is not reached
    found = objective((0.0, 10_000_000.0, 9_999_996.0, date(2027, 3, 1)), today=date(2027, 1, 21))
    assert found.results[0].health != "done"
    assert found.health != "done"
    assert found.health == "on track"


def test_an_objective_exactly_on_schedule_is_on_track():
    # 1 of 6 days elapsed (expected 1/6); results at 0 and 1/3 → mean 1/6 exactly: on
    # track. Averaging rounded figures gave 0.166666 < 0.166667 and said "at risk".
    found = objective(
        (0.0, 2.0, 0.0, date(2027, 1, 12)),
        (0.0, 3.0, 1.0, date(2027, 1, 10)),
        today=date(2027, 1, 7),
    )
    assert (found.progress, found.expected) == (0.166667, 0.166667)
    assert found.health == "on track"
