"""Pointing real gspread at the stand-in through its one HTTP seam, ``HTTPClient.request``."""

from __future__ import annotations

from typing import Any

import gspread
from google.auth.credentials import AnonymousCredentials
from gspread.http_client import HTTPClient
from requests import Response, Session

GOOGLE_HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")


def rewrite(url: str, base: str) -> str:
    """Swap Google's hosts for ``base``.

    >>> rewrite("https://sheets.googleapis.com/v4/spreadsheets/x", "http://127.0.0.1:1")
    'http://127.0.0.1:1/v4/spreadsheets/x'
    """
    for host in GOOGLE_HOSTS:
        if url.startswith(host):
            return base.rstrip("/") + url[len(host) :]
    return url


class EndpointHTTPClient(HTTPClient):
    """gspread's HTTP client with every Google URL sent to another base URL."""

    base_url = "https://sheets.googleapis.com"

    def __init__(self, auth: Any, session: Session | None = None) -> None:
        super().__init__(auth, session)

    def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> Response:
        answer: Response = super().request(
            method, rewrite(endpoint, self.base_url), *args, **kwargs
        )
        return answer


def http_client_class(base_url: str) -> type[EndpointHTTPClient]:
    """An ``HTTPClient`` subclass bound to ``base_url`` (for ``gspread.Client(http_client=…)``)."""
    return type("BoundEndpointHTTPClient", (EndpointHTTPClient,), {"base_url": base_url})


def client_for(base_url: str, credentials: Any = None) -> gspread.Client:
    """A ``gspread.Client`` talking to ``base_url``; anonymous (no token) by default."""
    creds = credentials if credentials is not None else AnonymousCredentials()  # type: ignore[no-untyped-call]
    return gspread.Client(creds, http_client=http_client_class(base_url))
