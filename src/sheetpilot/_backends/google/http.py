"""The one place where requests to Google leave: gspread's HTTPClient with our seam.

`SheetsHTTPClient.request()` rewrites Google's hosts to the configured endpoint, sends
with an explicit timeout, counts every attempt, and applies `retry.RetryPolicy`
(in a loop, never recursively). Before every attempt, retries included, it calls the
`before_request` hook with the request's kind (``"read"`` for GET, ``"write"`` for any
other method): the daemon's quota governor waits there for a slot of its budget. Permanent errors come out as gspread's `APIError`
(translated to sheetpilot errors by `errors.translating`); retries that run out raise
`TransientError`.

>>> rewrite_url("https://sheets.googleapis.com/v4/spreadsheets/k", "http://127.0.0.1:8765/")
'http://127.0.0.1:8765/v4/spreadsheets/k'
>>> rewrite_url("https://www.googleapis.com/drive/v3/files", None)
'https://www.googleapis.com/drive/v3/files'
"""

from __future__ import annotations

import json as jsonlib
import logging
import random
import time
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any, Literal

import gspread
import requests
from google.auth import exceptions as auth_exceptions
from google.auth.credentials import Credentials
from google.auth.transport.requests import AuthorizedSession
from gspread.exceptions import APIError
from gspread.http_client import FileType, HTTPClient, ParamsType

from sheetpilot._backends.google.retry import (
    RetryPolicy,
    error_reasons,
    is_idempotent,
    is_rate_limited,
    is_retryable_status,
    retry_after_seconds,
)
from sheetpilot._errors import Phrase, TransientError
from sheetpilot._i18n import N_

log = logging.getLogger("sheetpilot.google")
_NETWORK_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
)
GOOGLE_HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")
RequestKind = Literal["read", "write"]
BeforeRequest = Callable[[RequestKind], object]


def rewrite_url(url: str, endpoint: str | None) -> str:
    """Send a request meant for Google's hosts to `endpoint` instead (None: unchanged)."""
    if endpoint is None:
        return url
    base = endpoint.rstrip("/")
    for host in GOOGLE_HOSTS:
        if url == host or url.startswith(host + "/"):
            return base + url[len(host) :]
    return url


def _never_sent(exc: requests.RequestException) -> bool:
    """True when the connection failed before the request could reach the server."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    text = repr(exc)
    return "NewConnectionError" in text or "Failed to establish a new connection" in text


class SheetsHTTPClient(HTTPClient):
    """gspread's HTTP client with an endpoint seam, a timeout, retries and a request count."""

    def __init__(
        self,
        credentials: Credentials,
        *,
        endpoint: str | None = None,
        timeout: float = 30.0,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        before_request: BeforeRequest | None = None,
    ) -> None:
        session = AuthorizedSession(credentials, refresh_timeout=timeout)  # type: ignore[no-untyped-call]
        super().__init__(credentials, session=session)
        self.auth = credentials
        self.endpoint = endpoint
        self.timeout = timeout
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.requests = 0  # every attempt sent, retries included
        self.before_request = before_request  # called before every attempt (quota)

    def request(
        self,
        method: str,
        endpoint: str,
        params: ParamsType | None = None,
        data: bytes | None = None,
        json: Mapping[str, Any] | None = None,
        files: FileType = None,
        headers: MutableMapping[str, str] | None = None,
    ) -> requests.Response:
        url = rewrite_url(endpoint, self.endpoint)
        idempotent = is_idempotent(method, url, json)
        if json is not None and data is None and files is None:
            data, json = compact_json(json), None  # fewer bytes than requests' json=
            headers = {**(headers or {}), "Content-Type": "application/json; charset=UTF-8"}
        headers = with_gzip(self.session.headers.get("User-Agent"), headers)
        kind: RequestKind = "read" if method.upper() == "GET" else "write"
        elapsed = 0.0
        attempt = 0
        maybe_applied = False  # a write went out and no answer came back
        while True:
            if self.before_request is not None:
                self.before_request(kind)  # waiting for the quota is not Google's delay
            started = time.monotonic()
            self.requests += 1
            retry_after: float | None = None
            failure: Exception
            status: int | None = None
            token_failure = False
            try:
                response = self.session.request(
                    method=method,
                    url=url,
                    json=json,
                    params=params,
                    data=data,
                    files=files,
                    headers=headers,
                    timeout=self.timeout,
                )
            except (auth_exceptions.RefreshError, auth_exceptions.TransportError) as exc:
                # No token: the request itself was never sent, so any request may be retried.
                if isinstance(exc, auth_exceptions.RefreshError) and grant_refused(exc):
                    raise  # the credentials are refused: errors.translate says what to do
                failure = exc
                what = f"no token from the token endpoint ({_token_reason(exc)})"
                token_failure = True
            except _NETWORK_ERRORS as exc:
                failure = exc
                what = _network_reason(exc)
                sent = not _never_sent(exc)
                maybe_applied = maybe_applied or (sent and kind == "write")
                if sent and not idempotent:
                    raise TransientError(
                        "the connection dropped during a {upper} that must not be sent twice; it may or may not have been applied: run the sync again (it re-reads the spreadsheet first)",
                        upper=method.upper(),
                    ) from exc
            else:
                if response.ok:
                    return response
                failure = APIError(response)
                what = f"HTTP {response.status_code}"
                status = response.status_code
                reasons = _reasons(response)
                if not is_retryable_status(response.status_code, reasons):
                    raise failure
                if not idempotent and not is_rate_limited(response.status_code, reasons):
                    raise failure
                retry_after = retry_after_seconds(
                    response.headers.get("Retry-After"), response.headers.get("Date")
                )
            elapsed += time.monotonic() - started
            delay = self.policy.delay(attempt, self.rng.random(), retry_after)
            if not self.policy.allows(elapsed, delay):
                tries = (attempt + 1, elapsed)
                if token_failure:
                    error = self._token_give_up_message(failure, *tries)
                elif status is None and maybe_applied:
                    error = self._maybe_applied_message(url, failure, *tries)
                else:
                    error = self._give_up_message(url, failure, status, *tries, retry_after)
                raise error from failure
            log.info("%s %s: %s, retrying in %.1f s", method.upper(), _path(url), what, delay)
            self.sleep(delay)
            elapsed += delay
            attempt += 1

    def _tries(self, attempts: int, elapsed: float) -> dict[str, object]:
        """The placeholders every give-up message shares: how many attempts, how long, and
        the setting that bounds the retries."""
        return {"attempts": attempts, "seconds": round(elapsed), "setting": self.policy.setting}

    def _token_give_up_message(
        self, failure: Exception, attempts: int, elapsed: float
    ) -> TransientError:
        """Google's token endpoint kept failing: temporary, not a configuration fault."""
        return TransientError(
            N_(
                "could not get an access token from Google's sign-in service ({reason}) "
                "after {attempts} attempt(s) over {seconds} s: the token endpoint is failing "
                "or unreachable, the credentials were not refused; try again later "
                "([google] {setting} sets how long sheetpilot retries)"
            ),
            reason=_token_reason(failure),
            **self._tries(attempts, elapsed),
        )

    def _maybe_applied_message(
        self, url: str, failure: Exception, attempts: int, elapsed: float
    ) -> TransientError:
        """A write went out but no answer came back: it may well have been applied."""
        where = self.endpoint.rstrip("/") if self.endpoint else _origin(url)
        return TransientError(
            N_(
                "the write reached {where} but no answer came back ({reason}, {attempts} "
                "attempt(s) over {seconds} s): it may have been applied; the next sync reads "
                "the spreadsheet again and writes only what is still missing "
                "([google] {setting} sets how long sheetpilot retries)"
            ),
            where=where,
            reason=Phrase(_network_reason(failure)),
            **self._tries(attempts, elapsed),
        )

    def _give_up_message(
        self,
        url: str,
        failure: Exception,
        status: int | None,
        attempts: int,
        elapsed: float,
        retry_after: float | None,
    ) -> TransientError:
        """Why the retries stopped, in words: unreachable, or what Google kept answering."""
        tries = self._tries(attempts, elapsed)
        if status is None:
            where = self.endpoint.rstrip("/") if self.endpoint else _origin(url)
            reason = Phrase(_network_reason(failure))
            if self.endpoint:
                message = N_(
                    "cannot reach {where} ({reason}); it did not answer after {attempts} "
                    "attempt(s) over {seconds} s: check the network and [google] endpoint, "
                    "then try again later ([google] {setting} sets how long sheetpilot retries)"
                )
            else:
                message = N_(
                    "cannot reach {where} ({reason}); it did not answer after {attempts} "
                    "attempt(s) over {seconds} s: check the network, then try again later "
                    "([google] {setting} sets how long sheetpilot retries)"
                )
            return TransientError(message, where=where, reason=reason, **tries)
        said = _google_message(failure)
        said = f" ({said})" if said else ""
        if retry_after is not None and retry_after > self.policy.deadline - elapsed:
            return TransientError(
                N_(
                    "Google answered HTTP {status}{said} and asked to wait {wait} s before "
                    "trying again, longer than sheetpilot waits; try again later ([google] "
                    "{setting} sets how long sheetpilot retries, now {deadline} s)"
                ),
                status=status,
                said=said,
                wait=round(retry_after),
                deadline=round(self.policy.deadline),
                **tries,
            )
        return TransientError(
            N_(
                "Google answered HTTP {status}{said} to {attempts} attempt(s) over {seconds} s; "
                "try again later ([google] {setting} sets how long sheetpilot retries)"
            ),
            status=status,
            said=said,
            **tries,
        )


def _origin(url: str) -> str:
    """scheme://host[:port] of a URL.

    >>> _origin("https://sheets.googleapis.com/v4/spreadsheets/k?x=1")
    'https://sheets.googleapis.com'
    """
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0].split('?', 1)[0]}"


def _network_reason(exc: Exception) -> str:
    """A few words for a network failure (never the URL or urllib3's retry chatter)."""
    if isinstance(exc, requests.Timeout):
        return N_("timed out")
    seen: set[int] = set()
    current: BaseException | None = exc
    text = repr(exc)
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError):
            return N_("connection refused")
        current = current.__cause__ or current.__context__
    if "Connection refused" in text or "ConnectionRefusedError" in text:
        return N_("connection refused")
    if "NameResolutionError" in text or "Name or service not known" in text:
        return N_("unknown host name")
    if isinstance(exc, requests.exceptions.ChunkedEncodingError) or "aborted" in text:
        return N_("connection dropped")
    return type(exc).__name__


# OAuth error codes that mean "these credentials are refused" (RFC 6749 §5.2): fixing
# them takes a person; anything else from the token endpoint is Google failing for now.
REFUSED_GRANT_ERRORS = frozenset(
    {
        "invalid_grant",
        "invalid_client",
        "unauthorized_client",
        "invalid_scope",
        "unsupported_grant_type",
        "invalid_request",
        "access_denied",
    }
)


def token_error_code(exc: auth_exceptions.RefreshError) -> str | None:
    """The OAuth error code of a token-endpoint answer (never the body, never a secret)."""
    for arg in exc.args[1:]:
        if isinstance(arg, dict) and isinstance(arg.get("error"), str):
            return str(arg["error"])
    return None


def grant_refused(exc: auth_exceptions.RefreshError) -> bool:
    """Whether the token endpoint refused the credentials (fix the configuration), as
    opposed to failing (5xx, an HTML error page, a retryable answer: try again later)."""
    if getattr(exc, "retryable", False):
        return False
    return token_error_code(exc) in REFUSED_GRANT_ERRORS


def _token_reason(exc: Exception) -> Phrase:
    """A few words for a token-endpoint failure."""
    if isinstance(exc, auth_exceptions.RefreshError):
        code = token_error_code(exc)
        return (
            Phrase(N_("it answered {code}"), code=code)
            if code
            else Phrase(N_("it answered an error"))
        )
    cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    return Phrase(_network_reason(cause))


def _google_message(failure: Exception) -> str:
    """Google's own short message from an error answer ('' when there is none)."""
    if isinstance(failure, APIError) and isinstance(failure.error, dict):
        return _short(str(failure.error.get("message", "")))
    return ""


def with_gzip(
    agent: str | bytes | None, headers: MutableMapping[str, str] | None
) -> MutableMapping[str, str] | None:
    """`headers` with a User-Agent that asks Google for gzip: requests already sends
    ``Accept-Encoding: gzip``, but Google compresses only for a User-Agent containing
    "gzip" (its performance guide). requests decodes the answer.

    >>> with_gzip("python-requests/2.32", None)
    {'User-Agent': 'python-requests/2.32 (gzip)'}
    >>> with_gzip("sheetpilot (gzip)", None) is None
    True
    """
    text = agent.decode() if isinstance(agent, bytes) else (agent or "")
    if "gzip" in text.lower():
        return headers
    return {**(headers or {}), "User-Agent": f"{text} (gzip)".strip()}


def compact_json(body: Mapping[str, Any]) -> bytes:
    """A request body as compact UTF-8 JSON (no spaces, accents unescaped).

    >>> compact_json({"title": "Priorités", "n": [1, 2]})
    b'{"title":"Priorit\\xc3\\xa9s","n":[1,2]}'
    """
    return jsonlib.dumps(body, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def _reasons(response: requests.Response) -> tuple[str, ...]:
    try:
        return error_reasons(response.json())
    except ValueError:
        return ()


def _path(url: str) -> str:
    """The URL without scheme, host or query, for log lines."""
    rest = url.split("://", 1)[-1]
    return "/" + rest.split("/", 1)[-1].split("?", 1)[0] if "/" in rest else "/"


def _short(text: str) -> str:
    return text if len(text) <= 200 else text[:197] + "..."


def gspread_client(http: SheetsHTTPClient) -> gspread.Client:
    """A gspread Client that sends everything through `http` (for gspread's own flows)."""
    client = gspread.Client(http.auth)
    client.http_client = http
    return client
