"""Credentials for the Sheets API: a service-account key, an OAuth user file, ADC, or none.

- a path to a JSON file: a service-account key (``"type": "service_account"``) or an
  authorized-user file (``"type": "authorized_user"``, or gspread's oauth file, which has
  no type but a refresh token);
- ``None``: Application Default Credentials (``google.auth.default``);
- ``"none"``: send no token at all, accepted only for a local endpoint (the stand-in).

google-auth always sends an authorized user's refresh token to Google's token endpoint,
whatever ``token_uri`` the file names; sheetpilot honours a ``token_uri`` on this machine
(the stand-in's) when the Sheets endpoint is local too, and never sends it elsewhere.

Only the Sheets scope is requested, except by the daemon's change detection, which asks
for the Drive read-only *metadata* scope alone (`DRIVE_METADATA_SCOPES`: file versions
and the changes feed, never a file's content). Nothing here logs or repeats key material.

>>> is_local_endpoint("http://127.0.0.1:8765"), is_local_endpoint("http://[::1]:80")
(True, True)
>>> is_local_endpoint(None), is_local_endpoint("https://sheets.example.com")
(False, False)
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import google.auth
from google.auth import exceptions as auth_exceptions
from google.auth.credentials import AnonymousCredentials, Credentials
from google.oauth2 import credentials as user_credentials
from google.oauth2 import service_account

from sheetpilot._config import read_user_file
from sheetpilot._errors import ConfigError

SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
DRIVE_METADATA_SCOPES = ("https://www.googleapis.com/auth/drive.metadata.readonly",)
NO_CREDENTIALS = "none"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_SERVICE_ACCOUNT_FIELDS = ("client_email", "private_key", "token_uri")
_USER_FIELDS = ("refresh_token", "client_id", "client_secret")


def is_local_endpoint(endpoint: str | None) -> bool:
    """Whether `endpoint` is on this machine (the only place a token may be left out)."""
    if not endpoint:
        return False
    return urlsplit(endpoint).hostname in LOCAL_HOSTS


def load_credentials(
    spec: str | None, endpoint: str | None = None, *, scopes: tuple[str, ...] = SCOPES
) -> Credentials:
    """The google-auth credentials `spec` names (see the module docstring), for `scopes`
    (an authorized-user file keeps the scopes it was granted)."""
    if spec is not None and spec.strip().lower() == NO_CREDENTIALS:
        if not is_local_endpoint(endpoint):
            raise ConfigError(
                'credentials = "none" sends no token, which only a local endpoint accepts (127.0.0.1, localhost, ::1), not {value}: give a service-account key file instead',
                value=endpoint or "Google",
            )
        return AnonymousCredentials()  # type: ignore[no-untyped-call]
    if spec is None:
        return _default_credentials(scopes)
    return credentials_from_info(
        _read_json(Path(spec).expanduser()), source=spec, endpoint=endpoint, scopes=scopes
    )


def credentials_from_info(
    info: Mapping[str, Any],
    *,
    source: str,
    endpoint: str | None = None,
    scopes: tuple[str, ...] = SCOPES,
) -> Credentials:
    """Credentials from the parsed JSON of a key or authorized-user file."""
    kind = info.get("type")
    if kind == "service_account":
        _require(info, _SERVICE_ACCOUNT_FIELDS, source, "service-account key")
        try:
            key: Credentials = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
                info, scopes=list(scopes)
            )
        except ValueError:
            raise ConfigError(
                "{source}: the private key of this service-account file cannot be loaded; download a new JSON key for the service account",
                source=source,
            ) from None
        return key
    if kind == "authorized_user" or (kind is None and "refresh_token" in info):
        _require(info, _USER_FIELDS, source, "authorized-user file")
        try:
            user: Credentials = user_credentials.Credentials.from_authorized_user_info(  # type: ignore[no-untyped-call]
                dict(info)
            )
        except ValueError:
            raise ConfigError("{source}: not a valid authorized-user file", source=source) from None
        token_uri = info.get("token_uri")
        # Only the stand-in's token endpoint is honoured: refresh there, not at Google.
        if (
            isinstance(token_uri, str)
            and is_local_endpoint(token_uri)
            and is_local_endpoint(endpoint)
        ):
            user = user.with_token_uri(token_uri)  # type: ignore[attr-defined]
        return user
    if "installed" in info or "web" in info:
        raise ConfigError(
            "{source} is an OAuth client file, not credentials: sign in once with gspread.oauth() and point [google] credentials at the authorized_user.json it writes, or use a service-account key",
            source=source,
        )
    raise ConfigError(
        "{source}: unsupported credentials type {kind!r}; use a service-account key (type service_account) or an authorized-user file (type authorized_user)",
        source=source,
        kind=kind,
    )


def account_email(credentials: Credentials) -> str | None:
    """The service account's e-mail (whom to share the spreadsheet with), if known."""
    email = getattr(credentials, "service_account_email", None)
    return email if isinstance(email, str) and "@" in email else None


def quiet_auth_logs() -> None:
    """google-auth logs token requests at DEBUG: keep its loggers at WARNING unless set."""
    for name in ("google.auth", "google.oauth2", "google_auth_httplib2"):
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.WARNING)


def _default_credentials(scopes: tuple[str, ...] = SCOPES) -> Credentials:
    try:
        credentials, _project = google.auth.default(scopes=list(scopes))
    except auth_exceptions.DefaultCredentialsError:
        raise ConfigError(
            "no Google credentials found: set [google] credentials to a service-account key "
            "file, or GOOGLE_APPLICATION_CREDENTIALS, or run "
            "`gcloud auth application-default login`"
        ) from None
    if not isinstance(credentials, Credentials):
        raise ConfigError("Application Default Credentials gave something that is not credentials")
    return credentials


def _read_json(path: Path) -> Mapping[str, Any]:
    text = read_user_file(path, "credentials file", missing=f"credentials file not found: {path}")
    try:
        info = json.loads(text)
    except ValueError:
        raise ConfigError("{path} is not a JSON credentials file", path=path) from None
    if not isinstance(info, dict):
        raise ConfigError("{path} is not a JSON credentials file (expected an object)", path=path)
    return info


def _require(info: Mapping[str, Any], fields: tuple[str, ...], source: str, what: str) -> None:
    missing = [f for f in fields if not info.get(f)]
    if missing:
        raise ConfigError(
            "{source}: this {what} lacks {join}", source=source, what=what, join=", ".join(missing)
        )
