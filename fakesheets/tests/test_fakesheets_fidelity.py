"""The stand-in answers every recorded Google interaction as Google did."""

from __future__ import annotations

import json
import os

import pytest

from fakesheets import FakeSheets
from fakesheets_fixtures import REFERENCE, Outcome, Replayer


def _cassettes() -> list:
    if not REFERENCE.is_dir():
        return []
    return sorted(REFERENCE.glob("*.json"))


def _describe(outcome: Outcome) -> str:
    google = json.dumps(outcome.expected[1], ensure_ascii=False)[:600]
    ours = json.dumps(outcome.actual[1], ensure_ascii=False)[:600]
    return (
        f"{outcome.cassette}#{outcome.index} {outcome.request}\n"
        f"  google: {outcome.expected[0]} {google}\n"
        f"  fake:   {outcome.actual[0]} {ours}"
    )


def test_every_reference_interaction_is_reproduced(capsys: pytest.CaptureFixture[str]) -> None:
    cassettes = _cassettes()
    if not cassettes:
        missing = f"no Google reference recordings at {REFERENCE}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{missing}: CI must check the stand-in against them")
        pytest.skip(missing)
    outcomes: list[Outcome] = []
    with FakeSheets(seed=1) as fake:
        for cassette in cassettes:
            fake.reset(spreadsheets=True)
            outcomes.extend(Replayer(fake).replay(cassette))
    matched = sum(o.ok for o in outcomes)
    with capsys.disabled():
        print(
            f"\nfakesheets fidelity: {matched}/{len(outcomes)} interactions match Google "
            f"across {len(cassettes)} recordings"
        )
    failures = [o for o in outcomes if not o.ok]
    assert not failures, "\n".join(_describe(o) for o in failures[:15])
