import json
import logging

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth.credentials import AnonymousCredentials
from google.oauth2 import credentials as user_credentials
from google.oauth2 import service_account

from sheetpilot._backends.google.credentials import (
    SCOPES,
    account_email,
    is_local_endpoint,
    load_credentials,
    quiet_auth_logs,
)
from sheetpilot._errors import ConfigError

EMAIL = "sheetpilot@demo-project.iam.gserviceaccount.com"


@pytest.fixture(scope="module")
def pem():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def write_json(path, info):
    path.write_text(json.dumps(info), encoding="utf-8")
    return str(path)


def sa_info(pem):
    return {
        "type": "service_account",
        "project_id": "demo-project",
        "private_key_id": "abc123",
        "private_key": pem,
        "client_email": EMAIL,
        "client_id": "1",
        "token_uri": "http://127.0.0.1:9/token",
    }


def test_service_account_file_asks_only_for_the_sheets_scope(tmp_path, pem):
    creds = load_credentials(write_json(tmp_path / "sa.json", sa_info(pem)))
    assert isinstance(creds, service_account.Credentials)
    assert tuple(creds.scopes) == SCOPES == ("https://www.googleapis.com/auth/spreadsheets",)
    assert account_email(creds) == EMAIL


@pytest.mark.parametrize("typed", [True, False])
def test_authorized_user_file_with_or_without_type(tmp_path, typed):
    info = {"refresh_token": "r", "client_id": "c", "client_secret": "s"}
    if typed:
        info["type"] = "authorized_user"
    creds = load_credentials(write_json(tmp_path / "user.json", info))
    assert isinstance(creds, user_credentials.Credentials)
    assert account_email(creds) is None


@pytest.mark.parametrize(
    "endpoint", ["http://127.0.0.1:8765", "http://localhost:1", "http://[::1]:8080/base"]
)
def test_none_means_no_token_for_a_local_endpoint(endpoint):
    assert isinstance(load_credentials("none", endpoint), AnonymousCredentials)
    assert is_local_endpoint(endpoint)


@pytest.mark.parametrize(
    "endpoint",
    [None, "https://sheets.googleapis.com", "http://10.0.0.5:8765", "http://127.0.0.1.example.com"],
)
def test_none_is_refused_for_a_remote_endpoint(endpoint):
    with pytest.raises(ConfigError, match="local endpoint"):
        load_credentials("none", endpoint)


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="credentials file not found"):
        load_credentials(str(tmp_path / "nope.json"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not a JSON credentials file"),
        ("[1, 2]", "not a JSON credentials file"),
        ('{"installed": {"client_id": "x"}}', "OAuth client file"),
        ('{"type": "external_thing"}', "unsupported credentials type"),
        ('{"type": "service_account", "client_email": "a@b"}', "lacks private_key, token_uri"),
        ('{"type": "authorized_user", "client_id": "c"}', "lacks refresh_token, client_secret"),
    ],
)
def test_bad_files_say_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "creds.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_credentials(str(path))


def test_broken_private_key_is_not_repeated_in_the_message(tmp_path):
    secret = "-----BEGIN PRIVATE KEY-----\nTOPSECRETMATERIAL\n-----END PRIVATE KEY-----\n"
    path = write_json(tmp_path / "sa.json", {**sa_info(secret)})
    with pytest.raises(ConfigError) as info:
        load_credentials(path)
    assert "TOPSECRET" not in str(info.value)
    assert info.value.__cause__ is None


def test_adc_through_google_application_credentials(tmp_path, pem, monkeypatch):
    monkeypatch.setenv(
        "GOOGLE_APPLICATION_CREDENTIALS", write_json(tmp_path / "sa.json", sa_info(pem))
    )
    creds = load_credentials(None)
    assert account_email(creds) == EMAIL


def test_auth_loggers_are_kept_at_warning_unless_configured():
    configured = logging.getLogger("google_auth_httplib2")
    configured.setLevel(logging.DEBUG)
    try:
        quiet_auth_logs()
        assert logging.getLogger("google.auth").level == logging.WARNING
        assert configured.level == logging.DEBUG
    finally:
        configured.setLevel(logging.NOTSET)
