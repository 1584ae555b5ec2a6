"""The backend's Retry-After and 403-rate-limit retry paths, end to end over HTTP."""

from __future__ import annotations

import email.utils
import random
import time

import pytest

from sheetpilot._backends.google import GoogleBackend
from sheetpilot._backends.google.http import gspread_client
from sheetpilot._config import GoogleConfig
from sheetpilot._errors import PermissionDenied, TransientError
from sheetpilot._workbook import ChangeSet, TabLayout

GRID = [["ID", "Action"], ["A-001", "Brief"]]


class Sleeps(list):
    def __call__(self, seconds):
        self.append(seconds)


def backend(fake, key, sleeps, **config):
    settings = GoogleConfig(credentials="none", endpoint=fake.url, **config)
    return GoogleBackend(key, settings, sleep=sleeps, rng=random.Random(7))


def statuses(fake):
    return [e.status for e in fake.log]


def test_retry_after_seconds_is_obeyed(fake, key):
    sleeps = Sleeps()
    fake.inject(status=429, headers={"Retry-After": "7"})
    assert backend(fake, key, sleeps).read().get("Suivi des actions").grid == GRID
    assert sleeps == [7.0]
    assert statuses(fake) == [429, 200]


def test_retry_after_as_an_http_date(fake, key):
    sleeps = Sleeps()
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    fake.inject(status=503, headers={"Retry-After": when})
    backend(fake, key, sleeps).read()
    assert len(sleeps) == 1 and 18 <= sleeps[0] <= 21  # measured against the answer's Date


def test_a_retry_after_past_the_deadline_gives_up_at_once(fake, key):
    sleeps = Sleeps()
    fake.inject(status=429, headers={"Retry-After": "600"})
    with pytest.raises(TransientError, match="HTTP 429"):
        backend(fake, key, sleeps, retry_deadline=60).read()
    assert sleeps == [] and statuses(fake) == [429]


@pytest.mark.parametrize("reason", ["rateLimitExceeded", "userRateLimitExceeded"])
def test_403_rate_limit_is_retried(fake, key, reason):
    sleeps = Sleeps()
    fake.inject(status=403, count=2, reason=reason)
    assert backend(fake, key, sleeps).read().titles == ["Suivi des actions"]
    assert statuses(fake) == [403, 403, 200]
    assert len(sleeps) == 2 and 1 <= sleeps[0] < 2 <= sleeps[1] < 3


def test_403_without_a_rate_limit_reason_is_not_retried(fake, key):
    sleeps = Sleeps()
    fake.inject(status=403, reason="forbidden")
    with pytest.raises(PermissionDenied, match="share the spreadsheet"):
        backend(fake, key, sleeps).read()
    assert sleeps == [] and statuses(fake) == [403]


def test_a_rate_limited_batch_that_adds_a_tab_is_retried(fake, key):
    # A rate-limit answer means Google did nothing: even a request that must not run
    # twice can be sent again.
    sleeps = Sleeps()
    gb = backend(fake, key, sleeps)
    gb.read()
    fake.inject(status=403, reason="rateLimitExceeded")
    gb.write(ChangeSet(new_tabs=(TabLayout("Priorités"),)))
    assert fake.sheet_titles(key) == ["Suivi des actions", "Priorités"]
    assert statuses(fake) == [200, 403, 200] and len(sleeps) == 1


def test_drive_rate_limit_on_create_is_retried(fake, key):
    sleeps = Sleeps()
    gb = backend(fake, key, sleeps)
    fake.inject(status=403, reason="userRateLimitExceeded", headers={"Retry-After": "2"})
    created = gspread_client(gb.http).create("Nouveau plan")
    assert created.id in fake.spreadsheet_ids
    assert sleeps == [2.0]
    assert sum(1 for k in fake.spreadsheet_ids if k != key) == 1  # created once
