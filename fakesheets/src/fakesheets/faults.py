"""Fault injection and the request log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Drop = Literal["before", "after"]
Target = Literal["api", "token"]
TARGETS: tuple[Target, ...] = ("api", "token")


@dataclass
class Fault:
    """What the next ``count`` API requests suffer (``count=None``: until reset).

    ``target`` is what the fault hits: ``"api"`` (Sheets and Drive requests) or
    ``"token"`` (the OAuth token endpoint, ``/token``). ``skip`` lets that many requests
    of the target through untouched first, so ``skip=k`` hits the (k+1)-th request from now:
    a test can fail a sync at any boundary between its requests.

    ``headers`` go on the error answer (e.g. ``{"Retry-After": "3"}``); ``reason`` puts a
    machine-readable reason in the error body, in both of Google's places:
    ``error.errors[0].reason`` (Drive/v3 style) and ``error.details`` (an ``ErrorInfo``).
    """

    status: int | None = None
    delay_ms: int = 0
    drop: Drop | None = None
    message: str | None = None
    count: int | None = 1
    headers: dict[str, str] = field(default_factory=dict)
    reason: str | None = None
    target: Target = "api"
    skip: int = 0


@dataclass(frozen=True)
class LogEntry:
    """One API request as the stand-in saw it.

    ``at`` is its arrival time (``time.monotonic()`` seconds in the stand-in's process), so
    a test can check how many requests any 60-second window held from the server's side;
    ``client`` (the User-Agent) tells the processes of a fleet apart.
    An entry is recorded before its answer is sent: a client that has the answer finds the
    entry in the log.
    """

    method: str
    path: str
    query: str
    status: int | None
    request_bytes: int
    response_bytes: int
    authorized: bool
    at: float
    client: str = ""  # the request's User-Agent: which client (or process) sent it
    decoded_bytes: int = 0  # the answer's JSON before gzip (= response_bytes when not gzipped)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def fault_from_json(body: Any) -> Fault:
    """``{"status": 429, "count": 3}``, ``{"delay_ms": 200}``, ``{"drop": true}`` → Fault.

    Also ``"headers": {"Retry-After": "3"}``, ``"reason": "rateLimitExceeded"``,
    ``"target": "token"`` (the OAuth token endpoint) and ``"skip": 2`` (spare two first).
    """
    if not isinstance(body, dict):
        raise ValueError("fault must be a JSON object")
    raw_drop = body.get("drop")
    drop: Drop | None
    if raw_drop is True or raw_drop == "before":
        drop = "before"
    elif raw_drop == "after":
        drop = "after"
    elif raw_drop in (None, False):
        drop = None
    else:
        raise ValueError("drop must be true, 'before' or 'after'")
    count = body.get("count", 1)
    headers = body.get("headers") or {}
    if not isinstance(headers, dict):
        raise ValueError("headers must be a JSON object of header names to values")
    reason = body.get("reason")
    target = body.get("target", "api")
    if target not in TARGETS:
        raise ValueError("target must be 'api' or 'token'")
    return Fault(
        status=int(body["status"]) if body.get("status") is not None else None,
        delay_ms=int(body.get("delay_ms") or 0),
        drop=drop,
        message=body.get("message"),
        count=None if count is None else int(count),
        headers={str(k): str(v) for k, v in headers.items()},
        reason=None if reason is None else str(reason),
        target="token" if target == "token" else "api",
        skip=max(int(body.get("skip") or 0), 0),
    )


def most_in_window(entries: Iterable[LogEntry], seconds: float = 60.0) -> int:
    """The most requests that arrived within any window of ``seconds``, as the server saw them.

    >>> log = [LogEntry("GET", "/", "", 200, 0, 0, False, at) for at in (0.0, 30.0, 59.9, 61.0)]
    >>> most_in_window(log), most_in_window(log, 10.0)
    (3, 2)
    """
    stamps = sorted(e.at for e in entries)
    most = first = 0
    for last, stamp in enumerate(stamps):
        while stamp - stamps[first] >= seconds:
            first += 1
        most = max(most, last - first + 1)
    return most
