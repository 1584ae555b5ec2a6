"""Start-up: `--help` and `check` import only what they use (checked in fresh processes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("pydantic", "gspread", "google", "google_auth_oauthlib", "lxml", "python_calamine")

# Runs the command line with `argv`, then prints the top-level packages and sheetpilot
# modules it imported, as JSON on stderr's last line (after the command's own output).
PROBE = """
import atexit, json, sys
def report():
    names = {m.split('.')[0] for m in sys.modules} | {m for m in sys.modules if m.startswith('sheetpilot.')}
    sys.stderr.write('\\n' + json.dumps(sorted(names)) + '\\n')
atexit.register(report)
sys.argv = ['sheetpilot', ARGV]
from sheetpilot._cli import main
main()
"""


def imported_by(
    *argv: str, cwd: Path | None = None
) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    code = PROBE.replace("ARGV", repr(list(argv))[1:-1] or "")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, check=False
    )
    return done, set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_help_imports_no_models_no_backends_no_google() -> None:
    done, names = imported_by("--help")
    assert done.returncode == 0 and "sync" in done.stdout
    assert not names & set(HEAVY)
    assert not {n for n in names if n.startswith(("sheetpilot._backends", "sheetpilot._render"))}


def test_check_of_a_workbook_imports_no_google_library(tmp_path: Path) -> None:
    made, _ = imported_by("init", "plan.xlsx", "--example", "--today", "2026-03-18", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    done, names = imported_by("check", "plan.xlsx", "--today", "2026-03-18", cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    assert "sheetpilot._backends.xlsx" in names
    assert not names & {"gspread", "google", "google_auth_oauthlib", "requests"}


def test_the_google_backend_leaves_the_oauth_browser_flow_unimported() -> None:
    code = (
        "import sys, sheetpilot._backends.google, gspread.auth\n"
        "print(any(m.startswith(('google_auth_oauthlib', 'requests_oauthlib')) for m in sys.modules))\n"
        "config = {'installed': {'client_id': 'id', 'client_secret': 's',"
        " 'auth_uri': 'https://accounts.google.com/o/oauth2/auth',"
        " 'token_uri': 'https://oauth2.googleapis.com/token'}}\n"
        "flow = gspread.auth.InstalledAppFlow.from_client_config(config, ['scope'])\n"
        "print(type(flow).__module__, type(flow).__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # Not imported until a flow is made; then gspread's OAuth flow is the real one.
    assert done.stdout.split("\n")[:2] == ["False", "google_auth_oauthlib.flow InstalledAppFlow"]
