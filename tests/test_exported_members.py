"""The public API is declared in `sheetpilot.__all__` and pinned here: a change is deliberate."""

from __future__ import annotations

import importlib
import pkgutil

import sheetpilot

PUBLIC = [
    "__version__",
    # syncing
    "run_sync",
    "SyncOutcome",
    "report_json",
    "init_plan",
    "InitOutcome",
    # backends
    "Backend",
    "open_backend",
    "plan_backend",
    "XlsxBackend",
    "GoogleBackend",
    # configuration
    "load_config",
    "Config",
    "PlanConfig",
    "GoogleConfig",
    "DaemonConfig",
    # the report
    "Report",
    "Issue",
    "IssueCode",
    "PeriodSummary",
    "OwnerLoad",
    "ObjectiveProgress",
    "ResultProgress",
    "Writes",
    # errors
    "SheetpilotError",
    "ConfigError",
    "PlanError",
    "BackendError",
    "SpreadsheetNotFound",
    "PermissionDenied",
    "WorkbookUnavailable",
    "TransientError",
]


def test_the_public_api_is_exactly_the_declared_list() -> None:
    assert sorted(sheetpilot.__all__) == sorted(PUBLIC)
    assert sorted(dir(sheetpilot)) == sorted(PUBLIC)


def test_every_exported_name_resolves_and_is_defined_in_a_private_module() -> None:
    for name in PUBLIC[1:]:
        member = getattr(sheetpilot, name)
        module = getattr(member, "__module__", None)
        if module is not None and module != "typing":  # IssueCode is a typing alias
            assert module.startswith("sheetpilot._"), (name, module)


def test_every_module_of_the_package_is_private() -> None:
    names = [m.name for m in pkgutil.iter_modules(sheetpilot.__path__)]
    assert names, "the package has modules"
    assert [n for n in names if not n.startswith("_")] == []


def test_errors_share_one_base_so_callers_can_catch_them_all() -> None:
    errors = [n for n in PUBLIC if n.endswith(("Error", "NotFound", "Denied", "Unavailable"))]
    assert all(issubclass(getattr(sheetpilot, n), sheetpilot.SheetpilotError) for n in errors)


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        sheetpilot.run_synk  # noqa: B018
    except AttributeError as exc:
        assert "run_synk" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("no AttributeError")


def test_importing_the_package_loads_no_backend_or_model_yet() -> None:
    code = "import sys, sheetpilot; print(sorted(m for m in sys.modules if m.startswith(('sheetpilot.', 'gspread', 'pydantic', 'openpyxl'))))"
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_private_module_is_importable_for_the_project_itself() -> None:
    assert importlib.import_module("sheetpilot._sync").run_sync is sheetpilot.run_sync
