"""Errors the stand-in answers with, in Google's JSON shapes.

Sheets API v4 errors look like ``{"error": {"code", "message", "status"[, "details"]}}``;
Drive v3 errors carry an ``errors`` list instead of ``status``.

>>> ApiError.invalid("Unable to parse range: Foo!").body()["error"]["status"]
'INVALID_ARGUMENT'
"""

from __future__ import annotations

from typing import Any

STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "NOT_IMPLEMENTED",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}

DEFAULT_MESSAGES = {
    400: "Request contains an invalid argument.",
    401: "Request had invalid authentication credentials.",
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    429: (
        "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user'"
        " of service 'sheets.googleapis.com'."
    ),
    500: "Internal error encountered.",
    502: "Bad Gateway",
    503: "The service is currently unavailable.",
    504: "The request timed out.",
}

BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest"
ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"
USAGE_LIMIT_REASONS = frozenset(
    {"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED", "quotaExceeded"}
)


class ApiError(Exception):
    """A Sheets API error answer: HTTP status, message, canonical status name, details."""

    def __init__(
        self, code: int, message: str | None = None, details: list[dict[str, Any]] | None = None
    ) -> None:
        self.code = code
        self.message = message if message is not None else DEFAULT_MESSAGES.get(code, "Error")
        self.status = STATUS_NAMES.get(code, "UNKNOWN")
        self.details = details
        super().__init__(f"{code} {self.message}")

    @classmethod
    def invalid(cls, message: str) -> ApiError:
        """A 400 INVALID_ARGUMENT with ``message``."""
        return cls(400, message)

    @classmethod
    def bad_field(cls, field: str, message: str) -> ApiError:
        """A 400 that names the offending request field, as Google does for JSON errors."""
        details = [
            {
                "@type": BAD_REQUEST,
                "fieldViolations": [
                    {"field": field, "description": message} if field else {"description": message}
                ],
            }
        ]
        return cls(400, message, details)

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message, "status": self.status}
        if self.details:
            error["details"] = self.details
        return {"error": error}


def fault_body(status: int, message: str | None, reason: str | None) -> dict[str, Any]:
    """The error body of an injected fault; ``reason`` goes where Google puts reasons.

    >>> body = fault_body(403, "Rate Limit Exceeded", "rateLimitExceeded")["error"]
    >>> body["errors"][0]["reason"], body["details"][0]["reason"], body["code"]
    ('rateLimitExceeded', 'rateLimitExceeded', 403)
    """
    if message is None and reason in USAGE_LIMIT_REASONS:
        message = "Rate Limit Exceeded"
    body = ApiError(status, message).body()
    if reason:
        error = body["error"]
        domain = "usageLimits" if reason in USAGE_LIMIT_REASONS else "global"
        error["errors"] = [{"message": error["message"], "domain": domain, "reason": reason}]
        error["details"] = [{"@type": ERROR_INFO, "reason": reason, "domain": "googleapis.com"}]
    return body


class DriveError(ApiError):
    """A Drive v3 error answer (``errors`` list, no ``status``)."""

    def __init__(self, code: int, message: str, reason: str, location: str | None = None) -> None:
        super().__init__(code, message)
        self.reason = reason
        self.location = location

    @classmethod
    def file_not_found(cls, file_id: str) -> DriveError:
        return cls(404, f"File not found: {file_id}.", "notFound", "fileId")

    def body(self) -> dict[str, Any]:
        item: dict[str, Any] = {"message": self.message, "domain": "global", "reason": self.reason}
        if self.location:
            item["location"] = self.location
            item["locationType"] = "parameter"
        return {"error": {"code": self.code, "message": self.message, "errors": [item]}}


def not_found() -> ApiError:
    return ApiError(404, "Requested entity was not found.")


def permission_denied() -> ApiError:
    return ApiError(403, "The caller does not have permission")
