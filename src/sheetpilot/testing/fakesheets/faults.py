"""Fault injection and the request log."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Drop = Literal["before", "after"]


@dataclass
class Fault:
    """What the next ``count`` API requests suffer (``count=None``: until reset)."""

    status: int | None = None
    delay_ms: int = 0
    drop: Drop | None = None
    message: str | None = None
    count: int | None = 1


@dataclass(frozen=True)
class LogEntry:
    """One API request as the stand-in saw it."""

    method: str
    path: str
    query: str
    status: int | None
    request_bytes: int
    response_bytes: int
    authorized: bool

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def fault_from_json(body: Any) -> Fault:
    """``{"status": 429, "count": 3}``, ``{"delay_ms": 200}``, ``{"drop": true}`` → Fault."""
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
    return Fault(
        status=int(body["status"]) if body.get("status") is not None else None,
        delay_ms=int(body.get("delay_ms") or 0),
        drop=drop,
        message=body.get("message"),
        count=None if count is None else int(count),
    )
