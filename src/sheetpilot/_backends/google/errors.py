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

from sheetpilot._backends.google.http import grant_refused, token_error_code
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
    status: int,
    message: str,
    reasons: tuple[str, ...],
    *,
    key: str,
    account: str | None,
    writing: bool = False,
) -> SheetpilotError:
    """The sheetpilot error for an HTTP error answer from Google (`writing`: to a write).

    >>> str(api_error_message(413, "", (), key="K", account=None, writing=True))[:52]
    'Google refused the write as too large (HTTP 413); no'
    """
    who = account or "the Google account whose credentials sheetpilot uses"
    if writing and status in (400, 413):
        return write_refused(status, message, key=key)
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
        # google-auth has already refreshed the token once and tried again: the
        # credentials themselves are rejected, which only a person can fix (exit 2).
        return ConfigError(
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


_TOO_LARGE = ("payload size exceeds", "too large", "request entity")
_CELL_TOO_LONG = "characters in a single cell"
_CELL_LIMIT = "number of cells in the workbook above the limit"


def write_refused(status: int, message: str, *, key: str) -> BackendError:
    """Google refused a write as too large (413, or a 400 about the payload) or invalid
    (another 400): nothing of it was applied; say so, why, and what to do."""
    answer = f"HTTP {status}: {message.rstrip('.')}" if message else f"HTTP {status}"
    if status == 413 or any(s in message.lower() for s in _TOO_LARGE):
        return BackendError(
            "Google refused the write as too large ({answer}); nothing of it was written to "
            "spreadsheet {key}. sheetpilot splits writes above 2 MB, so this should not "
            "happen: please report it, with the plan's number of actions",
            answer=answer,
            key=key,
        )
    if _CELL_TOO_LONG in message:
        return BackendError(
            "Google refused the write as invalid ({answer}); nothing of it was written to "
            "spreadsheet {key}. A cell over 50,000 characters cannot be written: shorten the "
            "longest texts of the plan, and please report it",
            answer=answer,
            key=key,
        )
    if _CELL_LIMIT in message:
        return BackendError(
            "Google refused the write as too large for the spreadsheet ({answer}); nothing of "
            "it was written to spreadsheet {key}. Google holds at most 10 million cells per "
            "spreadsheet: delete unused rows, columns or tabs to make room, then sync again",
            answer=answer,
            key=key,
        )
    return BackendError(
        "Google refused the write as invalid ({answer}); nothing of it was written to "
        "spreadsheet {key}, the spreadsheet is as it was. Run the sync again with -vv and "
        "report the message if it happens again",
        answer=answer,
        key=key,
    )


def translate(
    exc: Exception, *, key: str, account: str | None, writing: bool = False
) -> SheetpilotError | None:
    """The sheetpilot error for a third-party exception, None when it is not ours to map."""
    if isinstance(exc, SheetpilotError):
        return exc
    if isinstance(exc, APIError):
        payload = _json(exc)
        message = str(exc.error.get("message", "")) if isinstance(exc.error, dict) else ""
        return api_error_message(
            exc.response.status_code,
            message,
            error_reasons(payload),
            key=key,
            account=account,
            writing=writing,
        )
    if isinstance(exc, auth_exceptions.RefreshError) and grant_refused(exc):
        return ConfigError(
            "Google refused to issue a token for these credentials ({refresh_reason}): check "
            "the [google] credentials file, or create a new key",
            refresh_reason=token_error_code(exc),
        )
    if isinstance(exc, auth_exceptions.RefreshError):
        return TransientError(
            "Google's sign-in service did not issue a token ({said}): it is failing for now, "
            "the credentials were not refused; try again later",
            said=token_error_code(exc) or "an error answer",
        )
    if isinstance(exc, auth_exceptions.TransportError | requests.RequestException):
        return TransientError(
            "could not reach Google ({name}); try again later", name=type(exc).__name__
        )
    if isinstance(exc, auth_exceptions.DefaultCredentialsError):
        return ConfigError(str(exc))
    return None


@contextmanager
def translating(*, key: str, account: str | None, writing: bool = False) -> Iterator[None]:
    """Re-raise Google/gspread/requests errors inside the block as sheetpilot errors
    (`writing`: the block sends a write, whose 400/413 answers say so)."""
    try:
        yield
    except SheetpilotError:
        raise
    except Exception as exc:
        mapped = translate(exc, key=key, account=account, writing=writing)
        if mapped is None:
            raise
        raise mapped from exc


def _json(exc: APIError) -> object:
    try:
        return exc.response.json()
    except ValueError:
        return None
