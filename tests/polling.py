"""Waiting for a daemon or a background thread to get somewhere, without sleeping blindly."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable

import pytest


def wait_until(
    check: Callable[[], object],
    timeout: float = 30.0,
    *,
    proc: subprocess.Popen[str] | None = None,
) -> None:
    """Poll `check` until it holds; the deadline only guards against a hang.

    With `proc`, a process that exits first (or the deadline) fails the test with its stderr.
    """
    deadline = time.monotonic() + timeout
    while not check():
        if proc is not None and (proc.poll() is not None or time.monotonic() > deadline):
            proc.kill()
            _, err = proc.communicate()
            pytest.fail(f"the daemon did not get there (exit {proc.returncode}):\n{err}")
        assert time.monotonic() < deadline, "the daemon did not get there in time"
        time.sleep(0.05)
