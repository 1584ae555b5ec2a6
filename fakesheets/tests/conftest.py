"""Fixtures shared by the stand-in's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakesheets import FakeSheets


@pytest.fixture
def fake() -> Iterator[FakeSheets]:
    """A running stand-in with seeded ids, on a free port, stopped after the test."""
    with FakeSheets(seed=7) as running:
        yield running
