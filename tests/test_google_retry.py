import random

import pytest

from sheetpilot._backends.google.retry import (
    RetryPolicy,
    error_reasons,
    is_idempotent,
    is_retryable_status,
    retry_after_seconds,
)

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets/KEY"


@pytest.mark.parametrize("attempt", range(10))
def test_delay_is_capped_exponential_with_jitter(attempt):
    policy = RetryPolicy(cap=32.0)
    rng = random.Random(attempt)
    for _ in range(20):
        delay = policy.delay(attempt, rng.random())
        low = min(2.0**attempt, 32.0)
        assert low <= delay <= min(2.0**attempt + 1.0, 32.0)


def test_retry_after_wins_over_backoff():
    assert RetryPolicy().delay(5, 0.9, retry_after=2.0) == 2.0
    assert RetryPolicy().delay(0, 0.9, retry_after=-1.0) == 0.0


def test_deadline_counts_waits_and_time_spent():
    policy = RetryPolicy(deadline=10.0)
    assert policy.allows(6.0, 4.0)
    assert not policy.allows(6.0, 4.5)


@pytest.mark.parametrize(
    ("status", "reasons", "retryable"),
    [
        (408, (), True),
        (429, (), True),
        (500, (), True),
        (502, (), True),
        (503, (), True),
        (504, (), True),
        (403, ("rateLimitExceeded",), True),
        (403, ("userRateLimitExceeded",), True),
        (403, ("forbidden",), False),
        (403, (), False),
        (400, (), False),
        (401, (), False),
        (404, (), False),
        (409, (), False),
    ],
)
def test_which_statuses_are_retried(status, reasons, retryable):
    assert is_retryable_status(status, reasons) is retryable


@pytest.mark.parametrize(
    ("method", "url", "body", "idempotent"),
    [
        ("GET", SHEETS, None, True),
        ("put", SHEETS + "/values/A1", {"values": [[1]]}, True),
        ("post", SHEETS + "/values/Sheet1!A1:append", {"values": [[1]]}, False),
        ("post", SHEETS + "/values/Sheet1!A1:append?valueInputOption=RAW", None, False),
        ("post", SHEETS + "/values:batchUpdate", {"data": []}, True),
        ("post", SHEETS + "/values/A1:clear", None, True),
        ("post", SHEETS + ":batchUpdate", {"requests": [{"updateCells": {}}]}, True),
        ("post", SHEETS + ":batchUpdate", {"requests": [{"addSheet": {}}]}, False),
        ("post", SHEETS + ":batchUpdate", {"requests": [{"insertDimension": {}}]}, False),
        ("post", "https://sheets.googleapis.com/v4/spreadsheets", {}, False),
        ("post", "https://www.googleapis.com/drive/v3/files", {}, False),
        ("delete", "https://www.googleapis.com/drive/v3/files/KEY", None, True),
    ],
)
def test_idempotent_requests(method, url, body, idempotent):
    assert is_idempotent(method, url, body) is idempotent


def test_error_reasons_from_v3_and_v4_bodies():
    body = {
        "error": {
            "code": 403,
            "errors": [{"domain": "usageLimits", "reason": "userRateLimitExceeded"}],
            "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "X"}],
        }
    }
    assert error_reasons(body) == ("userRateLimitExceeded", "X")
    assert error_reasons({"error": "nope"}) == ()
    assert error_reasons(None) == ()


@pytest.mark.parametrize(
    ("value", "date", "seconds"),
    [
        ("0", None, 0.0),
        ("12", None, 12.0),
        (" 1.5 ", None, 1.5),
        ("-3", None, 0.0),
        ("Wed, 21 Oct 2015 07:28:30 GMT", "Wed, 21 Oct 2015 07:28:00 GMT", 30.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 07:29:00 GMT", 0.0),
        ("Wed, 21 Oct 2015 07:28:30 GMT", None, None),
        ("later", "Wed, 21 Oct 2015 07:28:00 GMT", None),
        (None, None, None),
    ],
)
def test_retry_after_header(value, date, seconds):
    assert retry_after_seconds(value, date) == seconds


def test_delay_never_overflows_after_many_attempts():
    assert RetryPolicy(cap=32.0).delay(5000, 0.5) == 32.0
