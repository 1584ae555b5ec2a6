"""From what the user typed (a path, a key, a URL, a plan of the config) to a backend."""

from __future__ import annotations

from pathlib import Path

from sheetpilot._backends.base import Backend
from sheetpilot._config import Config, GoogleConfig, PlanConfig, XlsxConfig
from sheetpilot._errors import ConfigError


def is_local(target: str) -> bool:
    """A local workbook path (by extension or because it exists), not a Google key or URL."""
    return target.lower().endswith((".xlsx", ".xlsm")) or Path(target).exists()


def _looks_like_a_file(target: str) -> bool:
    """A path or a file name (a spreadsheet key has no dot, slash or space).

    >>> _looks_like_a_file("my plan.ods"), _looks_like_a_file("1AbC-d_9xyz0123456789")
    (True, False)
    """
    return any(c in target.strip() for c in "./\\ ")


def open_backend(
    target: str,
    google: GoogleConfig,
    *,
    create: bool = False,
    interactive: bool = False,
    xlsx: XlsxConfig | None = None,
) -> Backend:
    """The backend for a target: a local `.xlsx` workbook, or a Google spreadsheet key/URL.

    `interactive`: a one-off command with someone waiting at the prompt, so Google
    requests are retried for `[google] cli_retry_deadline`, not the daemon's `retry_deadline`.
    `xlsx`: the `[xlsx]` settings of a local workbook (keeping the previous version).
    """
    if is_local(target):
        from sheetpilot._backends.xlsx import XlsxBackend

        backup = (xlsx or XlsxConfig()).backup
        return XlsxBackend(Path(target), create=create, backup=backup)
    if "docs.google.com" not in target and _looks_like_a_file(target):
        raise ConfigError(
            "{target!r} is neither a .xlsx workbook nor a Google spreadsheet key or URL: sheetpilot opens .xlsx workbooks (save this file as .xlsx) and Google spreadsheets (give the spreadsheet's address or its key)",
            target=target,
        )
    from sheetpilot._backends.google import GoogleBackend

    return GoogleBackend(target, google, interactive=interactive)


def plan_backend(config: Config, plan: PlanConfig, *, create: bool = False) -> Backend:
    return open_backend(plan.target, config.google, create=create, xlsx=config.xlsx)
