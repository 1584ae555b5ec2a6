"""Retries, error messages and credentials of the Google backend, over real HTTP."""

import logging
import random
import socket
import time
import traceback

import pytest
from gspread.exceptions import APIError

from sheetpilot._backends.google import GoogleBackend
from sheetpilot._backends.google.http import SheetsHTTPClient, gspread_client
from sheetpilot._backends.google.retry import RetryPolicy
from sheetpilot._config import GoogleConfig
from sheetpilot._errors import (
    ConfigError,
    PermissionDenied,
    SpreadsheetNotFound,
    TransientError,
)
from sheetpilot._workbook import CellWrite, ChangeSet, TabLayout

GRID = [["ID", "Action"], ["A-001", "Brief"]]


def api_log(fake, expected):
    """The stand-in's log once it holds `expected` entries."""
    give_up = time.monotonic() + 5
    while len(fake.log) < expected and time.monotonic() < give_up:
        time.sleep(0.002)
    return fake.log


class Sleeps(list):
    """An injected sleep that records the delays instead of waiting."""

    def __call__(self, seconds):
        self.append(seconds)


def backend(fake, key, sleeps, **config):
    settings = GoogleConfig(credentials="none", endpoint=fake.url, **config)
    return GoogleBackend(key, settings, sleep=sleeps, rng=random.Random(7))


def test_429_twice_then_success(fake, key):
    sleeps = Sleeps()
    gb = backend(fake, key, sleeps)
    fake.inject(status=429, count=2)
    assert gb.read().get("Suivi des actions").grid == GRID
    assert [e.status for e in api_log(fake, 3)] == [429, 429, 200]
    assert gb.requests == 3
    assert len(sleeps) == 2
    for n, delay in enumerate(sleeps):
        assert 2**n <= delay < 2**n + 1


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
def test_server_errors_are_retried(fake, key, status):
    sleeps = Sleeps()
    fake.inject(status=status, count=1)
    assert backend(fake, key, sleeps).read().titles == ["Suivi des actions"]
    assert len(sleeps) == 1


def test_persistent_503_stops_at_the_deadline(fake, key):
    sleeps = Sleeps()
    gb = backend(fake, key, sleeps, retry_deadline=300)
    fake.inject(status=503, count=None)
    with pytest.raises(TransientError, match="try again later") as info:
        gb.read()
    assert "HTTP 503" in str(info.value)
    assert sum(sleeps) <= 300
    assert sum(sleeps) + 32 > 300 - 5  # it used (nearly) all the time it had
    assert max(sleeps) <= 32
    assert gb.requests == len(sleeps) + 1
    assert len(api_log(fake, gb.requests)) == gb.requests


def test_many_retries_run_in_a_loop_not_by_recursion(fake, key):
    sleeps = Sleeps()
    http = SheetsHTTPClient(
        GoogleBackend(key, GoogleConfig(credentials="none", endpoint=fake.url)).http.auth,
        endpoint=fake.url,
        policy=RetryPolicy(cap=0.0, deadline=10_000.0),
        sleep=sleeps,
    )
    fake.inject(status=503, count=1200)
    assert http.fetch_sheet_metadata(key)["sheets"][0]["properties"]["title"] == "Suivi des actions"
    assert http.requests == 1201  # deeper than Python's recursion limit


def test_dropped_connection_is_retried(fake, key):
    sleeps = Sleeps()
    fake.inject(drop="before", count=1)
    assert backend(fake, key, sleeps).read().get("Suivi des actions").grid == GRID
    assert len(sleeps) == 1


def test_timeout_is_retried(fake, key):
    sleeps = Sleeps()
    gb = backend(fake, key, sleeps, timeout=0.2)
    fake.inject(delay_ms=1000, count=1)
    assert gb.read().titles == ["Suivi des actions"]
    assert gb.requests == 2


def test_idempotent_write_retried_after_a_drop_lands_once(fake, key):
    sleeps = Sleeps()
    gb = backend(fake, key, sleeps)
    gb.read()
    fake.inject(drop="after", count=1)
    assert gb.write(ChangeSet(writes=(CellWrite("Suivi des actions", 1, 2, 3),))) == 1
    assert fake.values(key, "Suivi des actions") == [["ID", "Action"], ["A-001", "Brief", 3]]
    assert gb.requests == 3


def test_batch_that_adds_a_tab_is_not_resent_after_a_drop(fake, key):
    sleeps = Sleeps()
    gb = backend(fake, key, sleeps)
    gb.read()
    fake.inject(drop="after", count=1)
    with pytest.raises(TransientError, match="run the sync again"):
        gb.write(ChangeSet(new_tabs=(TabLayout("Priorités"),)))
    assert gb.requests == 2
    assert sleeps == []
    assert fake.sheet_titles(key) == ["Suivi des actions", "Priorités"]  # it did land, once


@pytest.mark.parametrize("drop", ["before", "after"])
def test_append_is_never_blindly_retried(fake, key, drop):
    sleeps = Sleeps()
    gb = backend(fake, key, sleeps)
    sheet = gspread_client(gb.http).open_by_key(key).sheet1
    fake.inject(drop=drop, count=1)
    with pytest.raises(TransientError):
        sheet.append_row(["A-002", "Post"])
    assert sleeps == []
    expected = [*GRID, ["A-002", "Post"]] if drop == "after" else GRID
    assert fake.values(key, "Suivi des actions") == expected


def test_append_not_retried_on_503_but_retried_on_429(fake, key):
    sleeps = Sleeps()
    gb = backend(fake, key, sleeps)
    sheet = gspread_client(gb.http).open_by_key(key).sheet1
    fake.inject(status=503, count=1)
    with pytest.raises(APIError):
        sheet.append_row(["A-002", "Post"])
    fake.inject(status=429, count=1)
    sheet.append_row(["A-003", "Mail"])
    assert fake.values(key, "Suivi des actions") == [*GRID, ["A-003", "Mail"]]
    assert len(sleeps) == 1


def test_404_fails_at_once_with_what_to_check(fake):
    sleeps = Sleeps()
    gb = backend(fake, "1NoSuchSpreadsheetKey0123456789", sleeps)
    with pytest.raises(
        SpreadsheetNotFound, match=r"no spreadsheet with key 1NoSuch\w+: check the URL/key"
    ):
        gb.read()
    assert (gb.requests, sleeps) == (1, [])


def test_403_tells_whom_to_share_with(fake, tmp_path):
    key = fake.create_spreadsheet("Someone else's", sheets={"T": [["x"]]}, shared=False)
    path = fake.plant_service_account(tmp_path / "sa.json")
    sleeps = Sleeps()
    gb = GoogleBackend(key, GoogleConfig(credentials=str(path), endpoint=fake.url), sleep=sleeps)
    with pytest.raises(PermissionDenied) as info:
        gb.read()
    assert gb.service_account_email == "sheetpilot-tests@fakesheets.iam.gserviceaccount.com"
    assert str(info.value) == (
        f"no access to spreadsheet {key}: share the spreadsheet with "
        "sheetpilot-tests@fakesheets.iam.gserviceaccount.com (Editor)"
    )
    assert (gb.requests, sleeps) == (1, [])


def test_400_carries_googles_message(fake, key):
    sleeps = Sleeps()
    gb = backend(fake, key, sleeps)
    gb.read()
    fake.inject(status=400, count=1, message="Invalid requests[0].updateCells: bad")
    with pytest.raises(Exception, match=r"Invalid requests\[0\].updateCells: bad"):
        gb.write(ChangeSet(writes=(CellWrite("Suivi des actions", 0, 0, "ID"),)))
    assert sleeps == []


@pytest.mark.parametrize(
    "endpoint", [None, "https://sheets.example.com", "http://192.168.1.9:8765"]
)
def test_no_token_is_refused_for_a_non_local_endpoint(endpoint):
    with pytest.raises(ConfigError, match="local endpoint"):
        GoogleBackend("1AbcdefghijKLMNOP", GoogleConfig(credentials="none", endpoint=endpoint))


def test_requests_leave_only_for_the_endpoint(fake, key):
    gb = backend(fake, key, Sleeps())
    gb.read()
    assert [e.authorized for e in api_log(fake, 1)] == [False]


def test_planted_service_account_end_to_end_without_leaking_the_token(fake, key, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    path = fake.plant_service_account(tmp_path / "sa.json")
    config = GoogleConfig(credentials=str(path), endpoint=fake.url)
    gb = GoogleBackend(key, config, sleep=Sleeps())
    gb.read()
    assert gb.write(ChangeSet(writes=(CellWrite("Suivi des actions", 1, 2, "ok"),))) == 1
    assert fake.values(key, "Suivi des actions!C2") == [["ok"]]
    token = gb.http.auth.token
    assert token and fake.token_requests == 1
    fake.inject(status=403, count=1)
    with pytest.raises(PermissionDenied) as info:
        gb.read()
    log = api_log(fake, 3)
    assert all(e.authorized for e in log)
    leaks = [
        str(info.value),
        repr(info.value),
        "".join(traceback.format_exception(info.value)),
        caplog.text,
        repr(log),
    ]
    for text in leaks:
        assert token not in text
        assert "PRIVATE KEY" not in text


def test_refused_connection_is_retried_even_for_an_append(caplog):
    caplog.set_level(logging.INFO, logger="sheetpilot.google")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    sleeps = Sleeps()
    gb = GoogleBackend(
        "1AbcdefghijKLMNOP",
        GoogleConfig(credentials="none", endpoint=closed, retry_deadline=10),
        sleep=sleeps,
    )
    append = "https://sheets.googleapis.com/v4/spreadsheets/1AbcdefghijKLMNOP/values/A1:append"
    with pytest.raises(TransientError, match="did not answer after"):
        gb.http.request("post", append, json={"values": [[1]]})
    assert len(sleeps) >= 2
    assert sum(sleeps) <= 10
    assert "retrying in" in caplog.text
