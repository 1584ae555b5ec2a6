"""The stand-in's request log (arrival times, recorded before answering) and rich faults."""

from __future__ import annotations

import time

import pytest
import requests

from fakesheets import FakeSheets, most_in_window


def test_each_entry_carries_its_arrival_time(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Plan")
    bounds = []
    for _ in range(3):
        before = time.monotonic()
        requests.get(f"{fake.url}/v4/spreadsheets/{key}")
        bounds.append((before, time.monotonic()))
    log = fake.log
    assert len(log) == 3
    for entry, (before, after) in zip(log, bounds, strict=True):
        assert before <= entry.at <= after
    served = requests.get(f"{fake.url}/_fake/log").json()
    assert [e["at"] for e in served] == [e.at for e in log]
    assert most_in_window(log) == 3
    assert most_in_window(log, seconds=1e-9) == 1


def test_the_arrival_time_is_taken_before_an_injected_delay(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Plan")
    fake.inject(delay_ms=300)
    before = time.monotonic()
    requests.get(f"{fake.url}/v4/spreadsheets/{key}")
    assert fake.log[0].at - before < 0.25


@pytest.mark.parametrize("drop", [None, "after"])
def test_a_client_that_has_its_answer_finds_the_entry_logged(fake: FakeSheets, drop) -> None:
    key = fake.create_spreadsheet("Plan")
    session = requests.Session()
    for n in range(1, 31):
        if drop:
            fake.inject(drop=drop)
            with pytest.raises(requests.ConnectionError):
                session.get(f"{fake.url}/v4/spreadsheets/{key}")
            session = requests.Session()
        else:
            session.get(f"{fake.url}/v4/spreadsheets/{key}")
        assert len(fake.log) == n  # no waiting: the entry is there when the answer is


def test_a_fault_sends_headers_and_a_rate_limit_reason(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Plan")
    fake.inject(status=403, reason="rateLimitExceeded", headers={"Retry-After": "3"})
    answer = requests.get(f"{fake.url}/v4/spreadsheets/{key}")
    assert answer.status_code == 403
    assert answer.headers["Retry-After"] == "3"
    error = answer.json()["error"]
    assert error["errors"][0]["reason"] == "rateLimitExceeded"
    assert error["errors"][0]["domain"] == "usageLimits"
    assert error["details"][0]["reason"] == "rateLimitExceeded"
    assert requests.get(f"{fake.url}/v4/spreadsheets/{key}").status_code == 200


def test_the_control_endpoint_takes_headers_and_reason(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Plan")
    fault = {"status": 429, "reason": "RATE_LIMIT_EXCEEDED", "headers": {"Retry-After": "1"}}
    assert requests.post(f"{fake.url}/_fake/faults", json=fault).status_code == 200
    answer = requests.get(f"{fake.url}/v4/spreadsheets/{key}")
    assert (answer.status_code, answer.headers["Retry-After"]) == (429, "1")
    assert answer.json()["error"]["details"][0]["reason"] == "RATE_LIMIT_EXCEEDED"
    bad = requests.post(f"{fake.url}/_fake/faults", json={"status": 429, "headers": ["x"]})
    assert bad.status_code == 400 and "headers" in bad.json()["error"]["message"]


def test_a_plain_fault_has_no_reason_and_no_extra_header(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("Plan")
    fake.inject(status=403)
    answer = requests.get(f"{fake.url}/v4/spreadsheets/{key}")
    assert "Retry-After" not in answer.headers
    assert set(answer.json()["error"]) == {"code", "message", "status"}
