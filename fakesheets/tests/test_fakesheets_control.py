"""Control surface: faults, user edits between requests, the log, the CLI, OAuth tokens."""

from __future__ import annotations

import subprocess
import sys

import gspread
import pytest
import requests
from google.oauth2 import service_account

from fakesheets import FakeSheets
from fakesheets.faults import Drop


@pytest.fixture
def gc(fake: FakeSheets) -> gspread.Client:
    return fake.gspread_client()


def _meta(fake: FakeSheets, key: str) -> requests.Response:
    return requests.get(f"{fake.url}/v4/spreadsheets/{key}", params={"includeGridData": "false"})


@pytest.mark.parametrize(
    ("status", "name"), [(429, "RESOURCE_EXHAUSTED"), (500, "INTERNAL"), (503, "UNAVAILABLE")]
)
def test_injected_status_answers_with_google_error_bodies(
    fake: FakeSheets, status: int, name: str
) -> None:
    key = fake.create_spreadsheet("F")
    fake.inject(status=status, count=2)
    answers = [_meta(fake, key) for _ in range(3)]
    assert [a.status_code for a in answers] == [status, status, 200]
    assert answers[0].json()["error"]["status"] == name
    assert [entry.status for entry in fake.log] == [status, status, 200]


def test_drop_before_loses_the_write_and_drop_after_applies_it(fake: FakeSheets) -> None:
    key = fake.create_spreadsheet("D")
    url = f"{fake.url}/v4/spreadsheets/{key}/values/Sheet1!A1"
    cases: tuple[tuple[Drop, list[list[str]]], ...] = (("before", []), ("after", [["x"]]))
    for drop, expected in cases:
        fake.inject(drop=drop)
        with pytest.raises(requests.ConnectionError):
            requests.put(url, params={"valueInputOption": "RAW"}, json={"values": [["x"]]})
        assert fake.values(key, "Sheet1") == expected


def test_user_edit_runs_between_two_requests(fake: FakeSheets, gc) -> None:
    key = fake.create_spreadsheet("E", sheets={"Suivi": [["ID", "Statut"], ["A-001", "À faire"]]})
    ws = gc.open_by_key(key).worksheet("Suivi")
    fake.on_next_request(lambda f: f.set_values(key, "Suivi!B2", [["Terminé"]]))
    assert ws.get_all_values() == [["ID", "Statut"], ["A-001", "Terminé"]]


def test_log_counts_requests_and_bytes_and_reset_clears_it(fake: FakeSheets, gc) -> None:
    key = fake.create_spreadsheet("L")
    gc.open_by_key(key).sheet1.update([["a"]], "A1")
    *reads, write = fake.log
    assert reads and all((e.method, e.status) == ("GET", 200) for e in reads)
    assert (write.method, write.status) == ("PUT", 200)
    assert write.path.endswith("/values/%27Sheet1%27%21A1")
    assert write.query == "valueInputOption=RAW"
    assert write.request_bytes > 0 and reads[0].response_bytes > 1000
    fake.reset()
    assert fake.log == []


def test_http_control_endpoints(fake: FakeSheets) -> None:
    key = requests.post(
        f"{fake.url}/_fake/spreadsheets", json={"title": "C", "sheets": {"T": [["v"]]}}
    ).json()["spreadsheetId"]
    requests.post(f"{fake.url}/_fake/faults", json={"status": 429, "count": 1}).raise_for_status()
    assert _meta(fake, key).status_code == 429
    log = requests.get(f"{fake.url}/_fake/log").json()
    assert log == [
        {
            "method": "GET",
            "path": f"/v4/spreadsheets/{key}",
            "query": "includeGridData=false",
            "status": 429,
            "request_bytes": 0,
            "response_bytes": log[0]["response_bytes"],
            "authorized": False,
            "at": log[0]["at"],
            "client": f"python-requests/{requests.__version__}",  # the User-Agent
            "decoded_bytes": log[0]["response_bytes"],  # not gzipped: no "gzip" in the agent
        }
    ]
    requests.post(f"{fake.url}/_fake/faults", json={"drop": True}).raise_for_status()
    requests.post(f"{fake.url}/_fake/reset").raise_for_status()
    assert _meta(fake, key).status_code == 200
    assert len(requests.get(f"{fake.url}/_fake/log").json()) == 1


def test_planted_service_account_gets_a_token_end_to_end(fake: FakeSheets, tmp_path) -> None:
    key_file = fake.plant_service_account(tmp_path / "sa.json")
    creds = service_account.Credentials.from_service_account_file(
        str(key_file), scopes=["https://www.googleapis.com/auth/spreadsheets"]
    )
    client = fake.gspread_client(creds)
    sheet = client.create("With a token")
    assert sheet.sheet1.title == "Sheet1"
    assert fake.token_requests == 1
    assert all(entry.authorized for entry in fake.log)


def test_a_key_not_planted_here_is_refused(fake: FakeSheets, tmp_path) -> None:
    with FakeSheets() as other:
        key_file = other.plant_service_account(tmp_path / "other.json")
        other_uri = other.token_uri
    text = key_file.read_text().replace(other_uri, fake.token_uri)
    key_file.write_text(text)
    creds = service_account.Credentials.from_service_account_file(str(key_file), scopes=["x"])
    with pytest.raises(Exception, match="Invalid JWT Signature"):
        fake.gspread_client(creds).create("nope")


def test_command_line_serves_and_prints_its_url() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "fakesheets", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        created = requests.post(
            f"{url}/v4/spreadsheets", json={"properties": {"title": "CLI"}}
        ).json()
        assert created["properties"]["title"] == "CLI"
        assert created["sheets"][0]["properties"]["title"] == "Sheet1"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def test_gspread_raises_on_not_found(gc) -> None:
    with pytest.raises(gspread.SpreadsheetNotFound):
        gc.open_by_key("1" + "x" * 43)
