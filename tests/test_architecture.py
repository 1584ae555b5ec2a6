"""The functional core stays pure (DESIGN.md §1, STYLE.md 1 and 6).

parse, compute, render, diff, cells, template, models, workbook, scaffold and example
never import gspread, openpyxl, requests, the filesystem or the clock, never read
`os.environ`, and only import other pure sheetpilot modules. Checked on the source
with `ast`, so a docstring that mentions `open(` does not count.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import sheetpilot

PACKAGE = Path(sheetpilot.__file__).parent
PURE = ("_parse", "_compute", "_render", "_diff", "_cells", "_template", "_models", "_workbook")
PURE_TOO = (
    "_scaffold",
    "_example",
    "_ownership",
    "_i18n",
)  # pure as well: init's layout, the example plan, tab ownership, the translator
PURE_MODULES = PURE + PURE_TOO

# Top-level packages a pure module must not import: spreadsheets, HTTP, files, clock, env.
FORBIDDEN = frozenset(
    {
        "gspread",
        "openpyxl",
        "requests",
        "google",
        "urllib3",
        "httpx",
        "os",
        "pathlib",
        "io",
        "shutil",
        "tempfile",
        "glob",
        "sqlite3",
        "socket",
        "http",
        "urllib",
        "subprocess",
        "time",
        "random",
        "threading",
        "apscheduler",
        "typer",
        "rich",
        "tomllib",
    }
)
# Calls that read the clock or touch files, whatever module they come from.
CLOCK_OR_FILES = frozenset(
    {"today", "now", "utcnow", "open", "read_text", "write_text", "read_bytes", "write_bytes"}
)


def _files(module: str) -> list[Path]:
    folder = PACKAGE / module
    return sorted(folder.rglob("*.py")) if folder.is_dir() else [PACKAGE / f"{module}.py"]


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(tree: ast.AST, here: str, is_package: bool) -> list[str]:
    """Every module an import statement names, relative imports resolved."""
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                prefix = ".".join(base)
                module = f"{prefix}.{node.module}" if node.module else prefix
            else:
                module = node.module or ""
            names.append(module)
            names.extend(f"{module}.{alias.name}" for alias in node.names)
    return names


def violations(source: str, here: str = "sheetpilot.x", *, is_package: bool = False) -> list[str]:
    """What in `source` breaks the purity rules, one line each ("line N: ...")."""
    tree = ast.parse(source)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            sub = ast.Module(body=[node], type_ignores=[])
            for name in _imported(sub, here, is_package):
                top = name.split(".")[0]
                if top in FORBIDDEN:
                    found.append(f"line {node.lineno}: imports {name}")
                elif top == "sheetpilot" and name.count(".") >= 1:
                    first = name.split(".")[1]
                    # `from sheetpilot import x` names x itself; `from sheetpilot._parse import y`
                    # names a symbol of a pure package, fine.
                    if first not in PURE_MODULES and name != "sheetpilot.__version__":
                        found.append(f"line {node.lineno}: imports {name} (not a pure module)")
        elif isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"):
            found.append(f"line {node.lineno}: reads os.{node.attr}")
        elif isinstance(node, ast.Call):
            func = node.func
            called = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            if called in CLOCK_OR_FILES:
                found.append(f"line {node.lineno}: calls {called}()")
    return found


PURE_FILES = [path for module in PURE_MODULES for path in _files(module)]


def test_every_pure_module_is_checked() -> None:
    assert len(PURE_FILES) >= 20
    assert all(path.exists() for path in PURE_FILES)


@pytest.mark.parametrize("path", PURE_FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_pure_module_touches_no_spreadsheet_file_clock_or_environment(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    found = violations(source, _module_name(path), is_package=path.name == "__init__.py")
    assert found == [], f"{path.relative_to(PACKAGE)}: " + "; ".join(found)


@pytest.mark.parametrize("path", PURE_FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_pure_module_text_has_no_clock_or_environment_call(path: Path) -> None:
    """The plain grep of the brief, on code lines (docstrings and comments aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    code = ast.unparse(_without_docstrings(tree))
    for needle in (r"\bdate\.today\(", r"\bdatetime\.now\(", r"\bos\.environ", r"(?<![\w.])open\("):
        assert not re.search(needle, code), f"{path.relative_to(PACKAGE)} matches {needle}"


def _without_docstrings(tree: ast.Module) -> ast.Module:
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                node.body = body[1:] or [ast.Pass()]
    return tree


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import openpyxl", "imports openpyxl"),
        ("from gspread.utils import a1_to_rowcol", "imports gspread.utils"),
        ("import os\nx = os.environ['HOME']", "imports os"),
        ("from datetime import date\nd = date.today()", "calls today()"),
        ("from datetime import datetime\nd = datetime.now()", "calls now()"),
        ("with open('plan.xlsx') as f:\n    pass", "calls open()"),
        ("from pathlib import Path", "imports pathlib"),
        ("import time", "imports time"),
        ("from sheetpilot._backends.xlsx import XlsxBackend", "not a pure module"),
        ("from sheetpilot._config import Config", "not a pure module"),
        ("from ..sync import run_sync", "not a pure module"),
    ],
)
def test_the_checker_catches_each_kind_of_violation(source: str, expected: str) -> None:
    found = violations(source, "sheetpilot._render.checks")
    assert any(expected in line for line in found), found


def test_the_checker_accepts_pure_imports() -> None:
    source = (
        "from datetime import date, timedelta\n"
        "from sheetpilot._cells import a1\n"
        "from .targets import Canvas\n"
        "from sheetpilot._template import CHECKS\n"
        "def f(today: date) -> date:\n"
        "    return today + timedelta(days=1)\n"
    )
    assert violations(source, "sheetpilot._render.checks") == []


FAKESHEETS = Path(__file__).resolve().parents[1] / "fakesheets" / "src" / "fakesheets"


@pytest.mark.parametrize("path", sorted(FAKESHEETS.rglob("*.py")), ids=lambda p: p.name)
def test_the_stand_in_imports_nothing_from_sheetpilot(path: Path) -> None:
    """A bug in sheetpilot's own code must not be mirrored by the stand-in it is tested against."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = _imported(tree, "fakesheets.x", is_package=path.name == "__init__.py")
    assert [n for n in names if n.split(".")[0] == "sheetpilot"] == []


def test_the_product_package_carries_no_test_server() -> None:
    assert not (PACKAGE / "testing").exists()
    assert not list(PACKAGE.rglob("fakesheets*"))


TEST_ROOTS = (Path(__file__).resolve().parent, FAKESHEETS.parents[1] / "tests")


def _fixtures(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(
            "fixture" in ast.unparse(d) for d in node.decorator_list
        ):
            names.add(node.name)
    return names


@pytest.mark.parametrize("root", TEST_ROOTS, ids=lambda p: p.parent.name)
def test_no_shared_fixture_is_defined_again_in_a_test_module(root: Path) -> None:
    """The stand-in fixtures live in each test folder's conftest.py, once."""
    shared = _fixtures(root / "conftest.py")
    again = {
        f"{path.name}: {name}"
        for path in sorted(root.glob("test_*.py"))
        for name in _fixtures(path) & shared
    }
    assert again == set()
