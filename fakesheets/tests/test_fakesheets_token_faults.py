"""Faults on the OAuth token endpoint, and faults aimed at the k-th request from now."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests

from fakesheets import FakeSheets


def _refresh(fake: FakeSheets, user: dict[str, str], timeout: float = 5) -> requests.Response:
    form = {
        "grant_type": "refresh_token",
        "refresh_token": user["refresh_token"],
        "client_id": user["client_id"],
        "client_secret": user["client_secret"],
    }
    return requests.post(
        fake.token_uri,
        data=urlencode(form),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=timeout,
    )


@pytest.fixture
def user(fake: FakeSheets, tmp_path: Path) -> dict[str, str]:
    info: dict[str, str] = json.loads(fake.plant_authorized_user(tmp_path / "u.json").read_text())
    return info


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_token_fault_answers_an_oauth_error_then_tokens_again(
    fake: FakeSheets, user: dict[str, str], status: int
) -> None:
    fake.inject(status=status, count=2, target="token")
    answers = [_refresh(fake, user) for _ in range(3)]
    assert [a.status_code for a in answers] == [status, status, 200]
    assert answers[0].json() == {
        "error": "internal_failure",
        "error_description": "Internal error.",
    }
    assert "access_token" in answers[2].json()
    assert fake.token_requests == 3
    assert fake.log == []  # token calls are not API requests


def test_a_token_fault_leaves_api_requests_alone_and_the_reverse(
    fake: FakeSheets, user: dict[str, str]
) -> None:
    key = fake.create_spreadsheet("T")
    fake.inject(status=503, target="token")
    fake.inject(status=500)  # an API fault
    assert requests.get(f"{fake.url}/v4/spreadsheets/{key}").status_code == 500
    assert _refresh(fake, user).status_code == 503
    assert requests.get(f"{fake.url}/v4/spreadsheets/{key}").status_code == 200
    assert _refresh(fake, user).status_code == 200


def test_a_dropped_token_request_gets_no_answer(fake: FakeSheets, user: dict[str, str]) -> None:
    fake.inject(drop="before", target="token")
    with pytest.raises(requests.ConnectionError):
        _refresh(fake, user)
    assert _refresh(fake, user).status_code == 200


def test_a_slow_token_endpoint_times_the_client_out(fake: FakeSheets, user: dict[str, str]) -> None:
    fake.inject(delay_ms=600, target="token")
    with pytest.raises(requests.Timeout):
        _refresh(fake, user, timeout=0.2)


def test_a_refused_grant_is_a_400_invalid_grant(fake: FakeSheets, user: dict[str, str]) -> None:
    fake.inject(status=400, target="token")
    answer = _refresh(fake, user)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def test_skip_aims_a_fault_at_a_later_request(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("S")
    fake.inject(status=503, skip=2)
    statuses = [requests.get(f"{fake.url}/v4/spreadsheets/{key}").status_code for _ in range(4)]
    assert statuses == [200, 200, 503, 200]


def test_token_faults_and_skip_over_http(fake: FakeSheets, user: dict[str, str]) -> None:
    body = {"status": 503, "target": "token", "skip": 1}
    assert requests.post(f"{fake.url}/_fake/faults", json=body).status_code == 200
    assert [_refresh(fake, user).status_code for _ in range(3)] == [200, 503, 200]
    bad = requests.post(f"{fake.url}/_fake/faults", json={"status": 503, "target": "drive"})
    assert bad.status_code == 400
