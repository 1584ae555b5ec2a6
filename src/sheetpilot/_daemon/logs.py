"""The daemon's log: one line per run, in plain text or JSON, never a secret.

>>> from datetime import UTC, datetime
>>> from sheetpilot._history import BudgetUse, RunRecord
>>> run = RunRecord("demo", datetime(2026, 1, 15, tzinfo=UTC), 0.42, "ok", requests=2, cells=37)
>>> run_line(run_fields(run, BudgetUse(12, 60, 3, 60)))
'run plan=demo outcome=ok duration=0.42s requests=2 cells=37 errors=0 warnings=0 budget=reads 12/60, writes 3/60 per minute'
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import TextIO

from sheetpilot._history import BudgetUse, RunRecord

LOG_FORMATS = ("text", "json")

# Loggers that are chatty or could print credentials at DEBUG (google-auth logs signed
# token requests): kept at WARNING whatever the daemon's level.
QUIET_LOGGERS = (
    "google",
    "google.auth",
    "google.oauth2",
    "google_auth_httplib2",
    "urllib3",
    "requests",
    "requests_oauthlib",
    "apscheduler",
)

_SECRETS = (
    (
        re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.S),
        "[private key]",
    ),
    (re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1***"),
    (
        re.compile(
            r"""((?:access_token|refresh_token|id_token|private_key_id|private_key|client_secret"""
            r"""|assertion|token)["']?\s*[:=]\s*["']?)[^"'&\s,}]+""",
            re.I,
        ),
        r"\1***",
    ),
)


def redact(text: str) -> str:
    """Mask anything that looks like a token or key.

    >>> redact('Authorization: Bearer ya29.abc-DEF and {"access_token": "xyz"}')
    'Authorization: Bearer *** and {"access_token": "***"}'
    """
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


def run_fields(
    run: RunRecord,
    budget: BudgetUse,
    *,
    failures: int = 0,
    next_run: datetime | None = None,
) -> dict[str, object]:
    """What a run's log line says, as plain data (the JSON line's fields)."""
    fields: dict[str, object] = {
        "plan": run.plan,
        "outcome": run.outcome,
        "duration": round(run.duration, 3),
        "requests": run.requests,
        "cells": run.cells,
        "errors": run.errors,
        "warnings": run.warnings,
        "budget": {
            "reads": budget.reads,
            "reads_per_minute": budget.reads_per_minute,
            "writes": budget.writes,
            "writes_per_minute": budget.writes_per_minute,
            **(
                {"drive": budget.drive, "drive_per_minute": budget.drive_per_minute}
                if budget.drive_per_minute
                else {}
            ),
        },
    }
    if run.reason:
        fields["reason"] = run.reason  # why it synced (change detection)
    if run.waited >= 0.05:
        fields["waited"] = round(run.waited, 1)
    if failures:
        fields["failures_in_a_row"] = failures
    if next_run is not None and failures:
        fields["next_run"] = next_run.astimezone(UTC).isoformat(timespec="seconds")
    if run.message:
        fields["message"] = run.message
    return fields


def run_line(fields: dict[str, object]) -> str:
    """The text form of a run's log line."""
    budget = fields["budget"]
    assert isinstance(budget, dict)
    parts = [
        f"plan={fields['plan']}",
        f"outcome={fields['outcome']}",
        f"duration={fields['duration']:.2f}s",
        f"requests={fields['requests']}",
        f"cells={fields['cells']}",
        f"errors={fields['errors']}",
        f"warnings={fields['warnings']}",
    ]
    if "reason" in fields:
        parts.append(f"reason={fields['reason']}")
    if "waited" in fields:
        parts.append(f"waited={fields['waited']}s")
    if "failures_in_a_row" in fields:
        parts.append(f"failures_in_a_row={fields['failures_in_a_row']}")
    if "next_run" in fields:
        parts.append(f"retry_at={fields['next_run']}")
    use = BudgetUse(
        budget["reads"],
        budget["reads_per_minute"],
        budget["writes"],
        budget["writes_per_minute"],
        drive=budget.get("drive", 0),
        drive_per_minute=budget.get("drive_per_minute", 0),
    )
    parts.append(f"budget={use.describe()}")
    if "message" in fields:
        parts.append(f"message={json.dumps(fields['message'], ensure_ascii=False)}")
    return "run " + " ".join(parts)


class TextFormatter(logging.Formatter):
    """`2026-01-15T10:00:00+00:00 INFO run plan=… outcome=…`, secrets masked."""

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="seconds")
        line = f"{when} {record.levelname} {record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return redact(line)


class JsonFormatter(logging.Formatter):
    """One JSON object per line; a run's line carries its fields (`"event": "run"`)."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        fields = getattr(record, "run", None)
        if isinstance(fields, dict):
            data["event"] = "run"
            data.update(fields)
        else:
            data["message"] = record.getMessage()
        if record.exc_info:
            data["traceback"] = self.formatException(record.exc_info)
        return redact(json.dumps(data, ensure_ascii=False, default=str))


def setup_logging(
    log_format: str = "text", stream: TextIO | None = None, *, level: int = logging.INFO
) -> logging.Handler:
    """Send the process's log to `stream` (stderr) in `log_format`; return the handler.

    Remove it with `teardown_logging(handler)` when the daemon stops.
    """
    if log_format not in LOG_FORMATS:
        raise ValueError(f"unknown log format {log_format!r}: use text or json")
    handler = _DaemonHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root = logging.getLogger()
    # The daemon's handler is the only one while it runs: a handler the CLI set up before
    # would print every line a second time, in another format and without masking.
    handler.replaced = list(root.handlers)
    for previous in handler.replaced:
        root.removeHandler(previous)
    root.addHandler(handler)
    logging.getLogger("sheetpilot").setLevel(level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    # The daemon reports skipped and missed runs itself, once, in its own words.
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
    return handler


def teardown_logging(handler: logging.Handler) -> None:
    """Remove the daemon's handler and give back the ones it replaced."""
    root = logging.getLogger()
    root.removeHandler(handler)
    handler.close()
    for previous in getattr(handler, "replaced", ()):
        root.addHandler(previous)


class _DaemonHandler(logging.StreamHandler[TextIO]):
    """The daemon's log handler; remembers the root handlers it replaced."""

    replaced: list[logging.Handler]


def log_run(logger: logging.Logger, fields: dict[str, object]) -> None:
    """Log one run: INFO when it synced cleanly, WARNING otherwise."""
    level = logging.INFO if fields["outcome"] == "ok" else logging.WARNING
    logger.log(level, "%s", run_line(fields), extra={"run": fields})
