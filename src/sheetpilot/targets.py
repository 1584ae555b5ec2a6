"""From what the user typed (a path, a key, a URL, a plan of the config) to a backend."""

from __future__ import annotations

from pathlib import Path

from sheetpilot.backends.base import Backend
from sheetpilot.config import Config, GoogleConfig, PlanConfig
from sheetpilot.errors import ConfigError


def is_local(target: str) -> bool:
    """A local workbook path (by extension or because it exists), not a Google key or URL."""
    return target.lower().endswith((".xlsx", ".xlsm")) or Path(target).exists()


def open_backend(target: str, google: GoogleConfig, *, create: bool = False) -> Backend:
    """The backend for a target: a local `.xlsx` workbook, or a Google spreadsheet key/URL."""
    if is_local(target):
        from sheetpilot.backends.xlsx import XlsxBackend

        return XlsxBackend(Path(target), create=create)
    if "/" in target and "docs.google.com" not in target:
        raise ConfigError(
            f"{target!r} is neither a .xlsx workbook nor a Google spreadsheet key or URL"
        )
    from sheetpilot.backends.google import GoogleBackend

    return GoogleBackend(target, google)


def plan_backend(config: Config, plan: PlanConfig, *, create: bool = False) -> Backend:
    return open_backend(plan.target, config.google, create=create)
