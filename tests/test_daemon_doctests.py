"""The examples in the daemon, history and status docstrings hold."""

import doctest

import pytest

from sheetpilot import _history as history
from sheetpilot import _status as status
from sheetpilot._backends.google import drive
from sheetpilot._daemon import changes, governor, logs, pg, runner, schedule


@pytest.mark.parametrize(
    "module", [governor, logs, runner, schedule, history, status, changes, pg, drive]
)
def test_docstring_examples(module):
    failed, _ = doctest.testmod(module, verbose=False)
    assert failed == 0
