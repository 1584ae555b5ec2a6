"""Real gspread/google-auth traffic recorded once into cassettes/, replayed offline.

Default: replay `cassettes/google_*.yaml` with record_mode "none" and no server at all.
`SHEETPILOT_RECORD=1` re-records against the offline stand-in; `SHEETPILOT_RECORD=google`
(with SHEETPILOT_RECORD_CREDENTIALS and SHEETPILOT_RECORD_SPREADSHEET, an empty
spreadsheet shared with that service account) re-records against Google itself.
Cassettes hold Google's hosts, a placeholder spreadsheet key, no Authorization header
and no token or signed assertion.
"""

import json
import os
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import vcr
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from fakesheets import FakeSheets
from sheetpilot._backends.google import GoogleBackend
from sheetpilot._config import GoogleConfig
from sheetpilot._errors import SpreadsheetNotFound
from sheetpilot._workbook import CellWrite, ChangeSet, Guard, ListValidation, TabLayout

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes"
MODE = os.environ.get("SHEETPILOT_RECORD", "")  # "", "1" (stand-in) or "google"
KEY = "sheetpilot-cassette-spreadsheet"
MISSING_KEY = "sheetpilot-cassette-no-such-spreadsheet"
TOKEN_URI = "https://oauth2.googleapis.com/token"
REDACTED = "REDACTED"
HOSTS = {"/v4/": "https://sheets.googleapis.com", "/drive/": "https://www.googleapis.com"}


@dataclass
class Session:
    """Where one test's traffic goes and how it is rewritten for the cassette."""

    credentials: str
    endpoint: str | None
    key: str  # the real key, replaced by KEY in the cassette
    base: str | None = None  # the stand-in's URL, replaced by Google's hosts

    def scrub_uri(self, uri):
        if self.base and uri.startswith(self.base):
            path = uri[len(self.base) :]
            host = next((h for p, h in HOSTS.items() if path.startswith(p)), None)
            uri = TOKEN_URI + path[len("/token") :] if path.startswith("/token") else host + path
        return uri.replace(self.key, KEY)

    def before_record_request(self, request):
        request.uri = self.scrub_uri(request.uri)
        if request.path.endswith("/token"):
            request.body = f"grant_type=jwt-bearer&assertion={REDACTED}".encode()
        elif request.body:
            request.body = request.body.replace(self.key.encode(), KEY.encode())
        return request

    def before_record_response(self, response):
        body = response["body"]["string"]
        if b"access_token" in body:
            token = {"access_token": REDACTED, "expires_in": 3599, "token_type": "Bearer"}
            body = json.dumps(token).encode()
        body = body.replace(self.key.encode(), KEY.encode())
        response["body"]["string"] = body
        headers = {k: v for k, v in response["headers"].items() if k.lower() != "set-cookie"}
        for name in headers:
            if name.lower() == "content-length":
                headers[name] = [str(len(body))]
        response["headers"] = headers
        return response


def recorder(session):
    return vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode="all" if MODE else "none",
        filter_headers=["authorization"],
        before_record_request=session.before_record_request,
        before_record_response=session.before_record_response,
        decode_compressed_response=True,
        match_on=["method", "scheme", "host", "port", "path", "query"],
    )


def replay_key_file(tmp_path):
    """A service-account key for replay: signs locally, its token request is replayed."""
    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    info = {
        "type": "service_account",
        "private_key_id": "replay",
        "private_key": pem.decode(),
        "client_email": "sheetpilot-tests@fakesheets.iam.gserviceaccount.com",
        "client_id": "1",
        "token_uri": TOKEN_URI,
    }
    path = tmp_path / "replay-key.json"
    path.write_text(json.dumps(info), encoding="utf-8")
    return str(path)


@pytest.fixture
def session(tmp_path):
    if MODE == "google":
        yield Session(
            os.environ["SHEETPILOT_RECORD_CREDENTIALS"],
            None,
            os.environ["SHEETPILOT_RECORD_SPREADSHEET"],
        )
    elif MODE:
        with FakeSheets() as fake:
            key = fake.create_spreadsheet("Cassette")
            path = fake.plant_service_account(tmp_path / "sa.json")
            yield Session(str(path), fake.url, key, base=fake.url)
    else:
        yield Session(replay_key_file(tmp_path), None, KEY)


def open_backend(session, key):
    config = GoogleConfig(credentials=session.credentials, endpoint=session.endpoint)
    return GoogleBackend(key, config, sleep=lambda s: None, rng=random.Random(0))


SETTINGS = "Réglages"
ACTIONS = "Suivi des actions"
INIT = ChangeSet(
    new_tabs=(TabLayout(SETTINGS, frozen_rows=1), TabLayout(ACTIONS, (70, 90, 240), 1)),
    writes=(
        CellWrite(SETTINGS, 0, 0, "Statuts", bold=True),
        CellWrite(SETTINGS, 0, 1, "Type", bold=True),
        CellWrite(SETTINGS, 1, 0, "À faire"),
        CellWrite(SETTINGS, 1, 1, "todo"),
        CellWrite(SETTINGS, 0, 3, "Début du plan"),
        CellWrite(SETTINGS, 0, 4, date(2026, 1, 5), number_format="dd/mm/yyyy"),
        CellWrite(ACTIONS, 0, 0, "ID", bold=True),
        CellWrite(ACTIONS, 0, 1, "Statut", bold=True),
        CellWrite(ACTIONS, 0, 2, "Action", bold=True),
        CellWrite(ACTIONS, 0, 3, "Rang", bold=True),
        CellWrite(ACTIONS, 1, 0, "A-001"),
        CellWrite(ACTIONS, 1, 1, "À faire"),
        CellWrite(ACTIONS, 1, 2, "=1+1"),
        CellWrite(ACTIONS, 2, 0, "A-002"),
        CellWrite(ACTIONS, 2, 2, "+33 relance"),
    ),
    validations=(ListValidation(ACTIONS, 1, 1, source=f"'{SETTINGS}'!$A$2:$A$50", rows=200),),
)
RANKS = ChangeSet(
    writes=(
        CellWrite(ACTIONS, 1, 3, 2, guard=Guard(1, 0, "A-001")),
        CellWrite(ACTIONS, 2, 3, 1, guard=Guard(2, 0, "A-002")),
        CellWrite(ACTIONS, 3, 3, 3, guard=Guard(3, 0, "A-003")),  # no such row: dropped
    )
)


def test_cassette_init_then_sync_then_nothing_changed(session):
    with recorder(session).use_cassette("google_init_sync.yaml"):
        gb = open_backend(session, KEY if not MODE else session.key)
        first = gb.read()
        assert SETTINGS not in first.titles
        assert gb.write(INIT) == len(INIT.writes)
        snap = gb.read()
        assert snap.titles[-2:] == [SETTINGS, ACTIONS]
        assert snap.get(SETTINGS).grid[0][3:] == ["Début du plan", date(2026, 1, 5)]
        assert snap.get(ACTIONS).grid[1:] == [
            ["A-001", "À faire", "=1+1"],
            ["A-002", None, "+33 relance"],
        ]
        assert gb.write(RANKS) == 2
        after = gb.read()
        assert [row[3] for row in after.get(ACTIONS).grid] == ["Rang", 2, 1]
        assert gb.write(ChangeSet()) == 0
        assert gb.requests == 5  # 3 reads + 2 writes: one request each
    if MODE == "google":
        ids = [after.get(t).sheet_id for t in (SETTINGS, ACTIONS)]
        gb.http.batch_update(
            session.key, {"requests": [{"deleteSheet": {"sheetId": i}} for i in ids]}
        )


def test_cassette_missing_spreadsheet(session):
    with recorder(session).use_cassette("google_not_found.yaml"):
        gb = open_backend(session, MISSING_KEY)
        with pytest.raises(SpreadsheetNotFound, match=f"no spreadsheet with key {MISSING_KEY}"):
            gb.read()
        assert gb.requests == 1


@pytest.mark.parametrize("name", ["google_init_sync.yaml", "google_not_found.yaml"])
def test_cassettes_hold_no_secret_and_only_google_hosts(name):
    text = (CASSETTES / name).read_text(encoding="utf-8")
    for secret in ("ya29.", "PRIVATE KEY", "Bearer ", "assertion=ey", "127.0.0.1"):
        assert secret not in text
    assert "authorization" not in text.lower()
    assert "https://sheets.googleapis.com/v4/spreadsheets/" in text
