"""Google and gspread errors → sheetpilot errors, with messages that say what to do.

Messages name the spreadsheet key and the account, never a token or key material.

>>> str(api_error_message(404, "Requested entity was not found.", (), key="K", account=None))
'no spreadsheet with key K: check the URL/key'
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import requests
from google.auth import exceptions as auth_exceptions
from gspread.exceptions import APIError

from sheetpilot._backends.google.retry import error_reasons, is_retryable_status
from sheetpilot._errors import (
    BackendError,
    ConfigError,
    PermissionDenied,
    SheetpilotError,
    SpreadsheetNotFound,
    TransientError,
)

_API_DISABLED = frozenset({"SERVICE_DISABLED", "accessNotConfigured"})


def api_error_message(
    status: int, message: str, reasons: tuple[str, ...], *, key: str, account: str | None
) -> BackendError:
    """The sheetpilot error for an HTTP error answer from Google."""
    who = account or "the Google account whose credentials sheetpilot uses"
    if status == 404:
        return SpreadsheetNotFound("no spreadsheet with key {key}: check the URL/key", key=key)
    if status == 403 and _API_DISABLED.intersection(reasons):
        return PermissionDenied(
            "the Google Sheets API is not enabled for this account's project: {message}",
            message=message,
        )
    if status == 403:
        return PermissionDenied(
            "no access to spreadsheet {key}: share the spreadsheet with {who} (Editor)",
            key=key,
            who=who,
        )
    if status == 401:
        return PermissionDenied(
            "Google rejected the credentials (401): check the [google] credentials file, "
            "or create a new key for the service account"
        )
    if status == 400:
        return BackendError(
            "Google rejected the request for spreadsheet {key}: {message}", key=key, message=message
        )
    if is_retryable_status(status, reasons):
        return TransientError(
            "Google is unavailable (HTTP {status}): {message}; try again later",
            status=status,
            message=message,
        )
    return BackendError(
        "Google answered HTTP {status} for spreadsheet {key}: {message}",
        status=status,
        key=key,
        message=message,
    )


def translate(exc: Exception, *, key: str, account: str | None) -> SheetpilotError | None:
    """The sheetpilot error for a third-party exception, None when it is not ours to map."""
    if isinstance(exc, SheetpilotError):
        return exc
    if isinstance(exc, APIError):
        payload = _json(exc)
        message = str(exc.error.get("message", "")) if isinstance(exc.error, dict) else ""
        return api_error_message(
            exc.response.status_code, message, error_reasons(payload), key=key, account=account
        )
    if isinstance(exc, auth_exceptions.RefreshError):
        return ConfigError(
            "Google refused to issue a token for these credentials ({refresh_reason}): check the [google] credentials file, or create a new key",
            refresh_reason=_refresh_reason(exc),
        )
    if isinstance(exc, auth_exceptions.TransportError | requests.RequestException):
        return TransientError(
            "could not reach Google ({name}); try again later", name=type(exc).__name__
        )
    if isinstance(exc, auth_exceptions.DefaultCredentialsError):
        return ConfigError(str(exc))
    return None


@contextmanager
def translating(*, key: str, account: str | None) -> Iterator[None]:
    """Re-raise Google/gspread/requests errors inside the block as sheetpilot errors."""
    try:
        yield
    except SheetpilotError:
        raise
    except Exception as exc:
        mapped = translate(exc, key=key, account=account)
        if mapped is None:
            raise
        raise mapped from exc


def _json(exc: APIError) -> object:
    try:
        return exc.response.json()
    except ValueError:
        return None


def _refresh_reason(exc: auth_exceptions.RefreshError) -> str:
    """The OAuth error code only (e.g. invalid_grant): never the response body."""
    for arg in exc.args[1:]:
        if isinstance(arg, dict) and isinstance(arg.get("error"), str):
            return str(arg["error"])
    return "no reason given"
