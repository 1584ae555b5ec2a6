"""sheetpilot: keeps a marketing action plan alive in a spreadsheet.

The public API is what this module exports (``__all__``); every module under it is
private (``sheetpilot._…``) and may change without notice.

>>> import sheetpilot
>>> backend = sheetpilot.open_backend("plan.xlsx", sheetpilot.GoogleConfig())  # doctest: +SKIP
>>> outcome = sheetpilot.run_sync(backend, plan="demo", today=date.today())  # doctest: +SKIP
>>> print(sheetpilot.report_json(outcome.report))  # doctest: +SKIP

Names are imported on first use, so that ``import sheetpilot`` (and the command line's
``--help``) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> private module that defines it
_EXPORTS = {
    # syncing
    "run_sync": "sheetpilot._sync",
    "SyncOutcome": "sheetpilot._sync",
    "report_json": "sheetpilot._sync",
    "init_plan": "sheetpilot._init",
    "InitOutcome": "sheetpilot._init",
    # backends
    "Backend": "sheetpilot._backends.base",
    "open_backend": "sheetpilot._targets",
    "plan_backend": "sheetpilot._targets",
    "XlsxBackend": "sheetpilot._backends.xlsx",
    "GoogleBackend": "sheetpilot._backends.google.backend",
    # configuration
    "load_config": "sheetpilot._config",
    "Config": "sheetpilot._config",
    "PlanConfig": "sheetpilot._config",
    "GoogleConfig": "sheetpilot._config",
    "DaemonConfig": "sheetpilot._config",
    # the report
    "Report": "sheetpilot._models",
    "Issue": "sheetpilot._models",
    "IssueCode": "sheetpilot._models",
    "PeriodSummary": "sheetpilot._models",
    "OwnerLoad": "sheetpilot._models",
    "ObjectiveProgress": "sheetpilot._models",
    "ResultProgress": "sheetpilot._models",
    "Writes": "sheetpilot._models",
    # errors
    "SheetpilotError": "sheetpilot._errors",
    "ConfigError": "sheetpilot._errors",
    "PlanError": "sheetpilot._errors",
    "BackendError": "sheetpilot._errors",
    "SpreadsheetNotFound": "sheetpilot._errors",
    "PermissionDenied": "sheetpilot._errors",
    "WorkbookUnavailable": "sheetpilot._errors",
    "TransientError": "sheetpilot._errors",
}

__all__ = [
    "Backend",
    "BackendError",
    "Config",
    "ConfigError",
    "DaemonConfig",
    "GoogleBackend",
    "GoogleConfig",
    "InitOutcome",
    "Issue",
    "IssueCode",
    "ObjectiveProgress",
    "OwnerLoad",
    "PeriodSummary",
    "PermissionDenied",
    "PlanConfig",
    "PlanError",
    "Report",
    "ResultProgress",
    "SheetpilotError",
    "SpreadsheetNotFound",
    "SyncOutcome",
    "TransientError",
    "WorkbookUnavailable",
    "Writes",
    "XlsxBackend",
    "__version__",
    "init_plan",
    "load_config",
    "open_backend",
    "plan_backend",
    "report_json",
    "run_sync",
]

if TYPE_CHECKING:
    from sheetpilot._backends.base import Backend
    from sheetpilot._backends.google.backend import GoogleBackend
    from sheetpilot._backends.xlsx import XlsxBackend
    from sheetpilot._config import Config, DaemonConfig, GoogleConfig, PlanConfig, load_config
    from sheetpilot._errors import (
        BackendError,
        ConfigError,
        PermissionDenied,
        PlanError,
        SheetpilotError,
        SpreadsheetNotFound,
        TransientError,
        WorkbookUnavailable,
    )
    from sheetpilot._init import InitOutcome, init_plan
    from sheetpilot._models import (
        Issue,
        IssueCode,
        ObjectiveProgress,
        OwnerLoad,
        PeriodSummary,
        Report,
        ResultProgress,
        Writes,
    )
    from sheetpilot._sync import SyncOutcome, report_json, run_sync
    from sheetpilot._targets import open_backend, plan_backend


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'sheetpilot' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
