"""Fixtures shared by the test modules: the offline Sheets API and a small plan on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakesheets import FakeSheets

# A minimal action grid: enough for the HTTP, retry and credential tests.
GRID = [["ID", "Action"], ["A-001", "Brief"]]


@pytest.fixture
def fake() -> Iterator[FakeSheets]:
    """A running stand-in for the Sheets API, on a free port, stopped after the test."""
    with FakeSheets() as server:
        yield server


@pytest.fixture(scope="module")
def module_fake() -> Iterator[FakeSheets]:
    """One stand-in shared by a module's tests (for modules that build a costly plan once)."""
    with FakeSheets() as server:
        yield server


@pytest.fixture
def key(fake: FakeSheets) -> str:
    """A spreadsheet on the stand-in holding one action (`GRID`)."""
    return fake.create_spreadsheet("Plan", sheets={"Suivi des actions": GRID})
