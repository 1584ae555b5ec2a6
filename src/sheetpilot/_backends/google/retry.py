"""The retry policy for Google API requests: pure decisions, no I/O, no clock.

Capped exponential backoff as Google recommends: the n-th wait (n from 0) is
``min(2**n + random(0..1), cap)`` seconds, unless the server sent ``Retry-After``;
the retries of one logical request stop at a total deadline.

Retried: 408, 429, 5xx, Drive's 403 ``rateLimitExceeded`` / ``userRateLimitExceeded``,
dropped connections and timeouts. A request that is not idempotent (``values:append``,
a batchUpdate that adds or inserts) is retried only when it certainly did not run:
a rate-limit answer (429, or 403 with a rate-limit reason: rejected before any work) or
a connection that never opened.

>>> policy = RetryPolicy(cap=32.0)
>>> [round(policy.delay(n, 0.5), 1) for n in range(7)]
[1.5, 2.5, 4.5, 8.5, 16.5, 32.0, 32.0]
>>> policy.delay(0, 0.5, retry_after=7.0)
7.0
>>> is_retryable_status(503, ()), is_retryable_status(403, ("rateLimitExceeded",))
(True, True)
>>> is_retryable_status(403, ("forbidden",)), is_retryable_status(404, ())
(False, False)
"""

from __future__ import annotations

import email.utils
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

RATE_LIMIT_REASONS = frozenset(
    {"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED"}
)
# batchUpdate request kinds that give the same result when applied twice.
IDEMPOTENT_BATCH_KINDS = frozenset(
    {
        "updateCells",
        "repeatCell",
        "updateSheetProperties",
        "updateSpreadsheetProperties",
        "updateDimensionProperties",
        "setDataValidation",
        "updateBorders",
        "mergeCells",
        "unmergeCells",
    }
)


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait between attempts and when to give up."""

    cap: float = 32.0  # longest single wait, seconds (Google suggests 32 to 64)
    deadline: float = 120.0  # total seconds for one logical request, waits included
    setting: str = "retry_deadline"  # the [google] key that sets `deadline`, for messages

    def delay(self, attempt: int, jitter: float, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number `attempt` (0-based); `jitter` in [0, 1)."""
        if retry_after is not None:
            return max(retry_after, 0.0)
        return min(2.0 ** min(attempt, 60) + jitter, self.cap)  # no float overflow

    def allows(self, elapsed: float, delay: float) -> bool:
        """Whether waiting `delay` more seconds still ends the retries within the deadline."""
        return elapsed + delay <= self.deadline


def is_retryable_status(status: int, reasons: Iterable[str]) -> bool:
    """Whether an HTTP error status (with Google's error reasons) is worth retrying."""
    if status in (408, 429) or 500 <= status <= 599:
        return True
    return status == 403 and any(r in RATE_LIMIT_REASONS for r in reasons)


def is_rate_limited(status: int, reasons: Iterable[str]) -> bool:
    """Whether Google refused the request for quota before doing any work.

    >>> is_rate_limited(429, ()), is_rate_limited(403, ("userRateLimitExceeded",))
    (True, True)
    >>> is_rate_limited(403, ()), is_rate_limited(503, ())
    (False, False)
    """
    return status == 429 or (status == 403 and any(r in RATE_LIMIT_REASONS for r in reasons))


def is_idempotent(method: str, url: str, body: Mapping[str, Any] | None) -> bool:
    """Whether sending the request twice has the same effect as sending it once.

    >>> is_idempotent("get", "https://sheets.googleapis.com/v4/spreadsheets/k", None)
    True
    >>> values = "https://sheets.googleapis.com/v4/spreadsheets/k/values"
    >>> is_idempotent("post", values + "/A1:append", {})
    False
    >>> batch = "https://sheets.googleapis.com/v4/spreadsheets/k:batchUpdate"
    >>> is_idempotent("post", batch, {"requests": [{"updateCells": {}}]})
    True
    >>> is_idempotent("post", batch, {"requests": [{"addSheet": {}}, {"updateCells": {}}]})
    False
    """
    verb = method.upper()
    path = url.split("?", 1)[0]
    if verb in ("GET", "HEAD", "PUT", "DELETE"):
        return True
    if path.endswith(":append"):
        return False
    if path.endswith((":clear", ":batchClear", ":batchUpdate", ":batchGet")) and "/values" in path:
        return True
    if path.endswith(":batchUpdate"):
        requests = (body or {}).get("requests", [])
        return all(set(r) <= IDEMPOTENT_BATCH_KINDS for r in requests)
    return False


def error_reasons(payload: Any) -> tuple[str, ...]:
    """The machine-readable reasons in a Google error body (v3 `errors`, v4 `details`).

    >>> error_reasons({"error": {"errors": [{"reason": "rateLimitExceeded"}]}})
    ('rateLimitExceeded',)
    >>> error_reasons({"error": {"details": [{"reason": "RATE_LIMIT_EXCEEDED"}]}})
    ('RATE_LIMIT_EXCEEDED',)
    >>> error_reasons("not json")
    ()
    """
    if not isinstance(payload, Mapping):
        return ()
    error = payload.get("error")
    if not isinstance(error, Mapping):
        return ()
    reasons: list[str] = []
    for key in ("errors", "details"):
        items = error.get(key)
        if isinstance(items, list):
            reasons.extend(
                str(item["reason"])
                for item in items
                if isinstance(item, Mapping) and "reason" in item
            )
    return tuple(reasons)


def retry_after_seconds(value: str | None, date_header: str | None = None) -> float | None:
    """Parse a Retry-After header: delta seconds, or an HTTP date relative to the Date header.

    >>> retry_after_seconds("3")
    3.0
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", "Wed, 21 Oct 2015 07:28:00 GMT")
    10.0
    >>> retry_after_seconds("soon") is None
    True
    """
    if value is None:
        return None
    text = value.strip()
    try:
        return max(float(text), 0.0)
    except ValueError:
        pass
    if date_header is None:
        return None
    try:
        when = email.utils.parsedate_to_datetime(text)
        now = email.utils.parsedate_to_datetime(date_header)
    except (TypeError, ValueError):
        return None
    return max((when - now).total_seconds(), 0.0)
