"""Writes that fit: a change set above Google's recommended 2 MB goes in several requests,
structure first, each request idempotent, so an interruption anywhere converges.

The proof: a 2,000-action first sync, with the request size limit scaled down from 2 MB to
400 KB so that it takes as many requests as a 10,000-action plan does at 2 MB (the stand-in
evaluates every formula of a large sheet in Python at each read, seconds where Google takes
milliseconds), is killed at every boundary
between its requests (the k-th request and every one after it fail: a 503 storm or
dropped connections); a normal sync afterwards leaves the spreadsheet exactly as an
uninterrupted sync does (which a further sync leaves alone: 0 cells), and no user cell
changed. About two minutes on a laptop: it is the proof of DESIGN §4's convergence claim. Normal plans still sync in ONE write request.
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from sheetpilot._backends.google import GoogleBackend
from sheetpilot._backends.google.write import MAX_REQUEST_BYTES
from sheetpilot._config import GoogleConfig
from sheetpilot._errors import BackendError
from sheetpilot._sync import run_sync
from tests.plan_builders import action, actions_grid, plan_grids

TODAY = date(2026, 1, 12)
ACTIONS = 2_000
LIMIT = 400_000  # bytes per request: MAX_REQUEST_BYTES (2 MB) scaled to the plan's size
INPUT_TABS = ("Réglages", "Objectifs", "Suivi des actions")


def big_plan(n: int = ACTIONS):
    rows = [
        action(id=f"A-{i:05d}", status="À faire", title=f"Action numéro {i} du plan",
               priority=("P1", "P2", "P3")[i % 3], owner=("Alice", "Bruno")[i % 2],
               estimate=1 + i % 3, period=("P1", "P2", "P3")[i % 3], target_result="R1",
               depends_on=f"A-{i - 1:05d}" if i % 5 else None)
        for i in range(1, n + 1)
    ]  # fmt: skip
    return {**plan_grids(), "Suivi des actions": actions_grid(*rows)}


def backend(module_fake, key, limit=LIMIT):
    config = GoogleConfig(
        credentials="none", endpoint=module_fake.url, retry_deadline=4, timeout=120
    )
    google = GoogleBackend(key, config, sleep=lambda s: None, rng=random.Random(0))
    google.max_request_bytes = limit
    return google


def sync(module_fake, key, limit=LIMIT):
    return run_sync(backend(module_fake, key, limit), plan="big", today=TODAY, locale="fr")


def contents(module_fake, key):
    return {title: module_fake.values(key, f"'{title}'") for title in module_fake.sheet_titles(key)}


@pytest.fixture(scope="module")
def reference(module_fake):
    """The big plan synced without interruption: its requests and its contents."""
    key = module_fake.create_spreadsheet("Big", sheets=big_plan())
    module_fake.reset()
    first = sync(module_fake, key)
    log = module_fake.log
    again = sync(module_fake, key)
    return {
        "key": key,
        "first": first,
        "log": log,
        "again": again,
        "contents": contents(module_fake, key),
    }


def test_a_big_first_sync_goes_in_requests_within_the_limit(reference):
    log = reference["log"]
    writes = [e for e in log if e.method == "POST"]
    assert len(writes) >= 4  # several times the limit: structure first, then cells in chunks
    assert all(e.request_bytes <= LIMIT for e in writes)
    assert sum(e.request_bytes for e in writes) > 3 * LIMIT
    assert reference["first"].report.writes.requests == len(log)
    assert reference["again"].report.writes.cells == 0  # converged


def test_killed_at_every_boundary_the_next_sync_converges(module_fake, reference):
    requests = len(reference["log"])
    typed = big_plan()
    for k in range(1, requests):  # after the read (k=1), …, before the last write
        key = module_fake.create_spreadsheet("Big", sheets=typed)
        user = {t: module_fake.values(key, f"'{t}'") for t in INPUT_TABS}
        # requests 1..k land; then a 503 storm, connections dropped before the request
        # lands, or every request landing but never answered
        fault = ({"status": 503}, {"drop": "before"}, {"drop": "after"})[k % 3]
        module_fake.reset()
        module_fake.inject(count=None, skip=k, **fault)
        with pytest.raises(BackendError) as failed:
            sync(module_fake, key)
        if k > 1:
            assert f"{k - 1} of the" in str(failed.value) and "next sync" in str(failed.value)
        if fault == {"drop": "after"}:
            assert "may have been applied" in str(failed.value), str(failed.value)
        module_fake.reset()
        after = sync(module_fake, key)
        assert after.report.writes.cells > 0, k
        assert contents(module_fake, key) == reference["contents"], k  # as if never interrupted
        assert {t: module_fake.values(key, f"'{t}'") for t in INPUT_TABS} == user, k
        with module_fake.store.lock:
            del module_fake.store.spreadsheets[key]  # keep the stand-in's memory in check


def test_a_normal_plan_still_syncs_in_one_write_request(module_fake):
    key = module_fake.create_spreadsheet("Small", sheets=big_plan(200))
    module_fake.reset()
    first = sync(module_fake, key, MAX_REQUEST_BYTES)
    assert first.report.writes.requests == 2  # one read, ONE write
    assert [e.method for e in module_fake.log] == ["GET", "POST"]
