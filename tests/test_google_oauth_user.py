"""OAuth authorized-user credentials against the stand-in's token endpoint: no secret leaks."""

from __future__ import annotations

import json
import logging
import random
import traceback

import pytest
from google.oauth2 import credentials as user_credentials

from sheetpilot._backends.google import GoogleBackend
from sheetpilot._backends.google.credentials import load_credentials
from sheetpilot._config import GoogleConfig
from sheetpilot._errors import ConfigError
from sheetpilot._workbook import CellWrite, ChangeSet

GRID = [["ID", "Action"], ["A-001", "Brief"]]


def open_as_user(fake, key, path):
    config = GoogleConfig(credentials=str(path), endpoint=fake.url)
    return GoogleBackend(key, config, sleep=lambda s: None, rng=random.Random(1))


def secrets_of(path) -> list[str]:
    info = json.loads(path.read_text())
    return [info["refresh_token"], info["client_secret"]]


def test_authorized_user_refreshes_its_token_and_syncs(fake, key, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    path = fake.plant_authorized_user(tmp_path / "authorized_user.json")
    gb = open_as_user(fake, key, path)
    assert gb.read().get("Suivi des actions").grid == GRID
    assert gb.write(ChangeSet(writes=(CellWrite("Suivi des actions", 1, 2, "ok"),))) == 1
    assert fake.values(key, "Suivi des actions!C2") == [["ok"]]
    assert fake.token_requests == 1  # one refresh, the token is reused
    assert all(e.authorized for e in fake.log) and len(fake.log) == 2
    assert gb.service_account_email is None  # a person, not an account to share with
    token = gb.http.auth.token
    assert token and token.startswith("ya29.")
    for secret in [token, *secrets_of(path)]:
        assert secret not in caplog.text
        assert secret not in repr(fake.log)


def test_a_revoked_refresh_token_is_a_config_error_that_leaks_nothing(fake, key, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    path = fake.plant_authorized_user(tmp_path / "authorized_user.json")
    fake.revoke_users()
    gb = open_as_user(fake, key, path)
    with pytest.raises(ConfigError) as info:
        gb.read()
    message = str(info.value)
    assert "invalid_grant" in message and "[google] credentials" in message
    assert fake.log == []  # nothing reached the Sheets API without a token
    texts = [message, repr(info.value), "".join(traceback.format_exception(info.value))]
    for secret in secrets_of(path):
        for text in [*texts, caplog.text]:
            assert secret not in text


def test_a_wrong_client_secret_is_refused(fake, key, tmp_path):
    path = fake.plant_authorized_user(tmp_path / "authorized_user.json")
    info = json.loads(path.read_text())
    path.write_text(json.dumps({**info, "client_secret": "GOCSPX-wrong"}))
    with pytest.raises(ConfigError, match="invalid_client"):
        open_as_user(fake, key, path).read()


@pytest.mark.parametrize(
    ("token_uri", "endpoint", "honoured"),
    [
        ("http://127.0.0.1:9/token", "http://127.0.0.1:9", True),
        ("http://127.0.0.1:9/token", None, False),  # talking to Google: refresh at Google
        ("https://evil.example.com/token", "http://127.0.0.1:9", False),
    ],
)
def test_a_token_uri_is_honoured_only_on_this_machine(tmp_path, token_uri, endpoint, honoured):
    path = tmp_path / "authorized_user.json"
    info = {"type": "authorized_user", "client_id": "c", "client_secret": "s"}
    path.write_text(json.dumps({**info, "refresh_token": "r", "token_uri": token_uri}))
    creds = load_credentials(str(path), endpoint)
    assert isinstance(creds, user_credentials.Credentials)
    expected = token_uri if honoured else "https://oauth2.googleapis.com/token"
    assert creds.token_uri == expected
