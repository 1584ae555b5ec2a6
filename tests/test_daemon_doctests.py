"""The examples in the daemon, history and status docstrings hold."""

import doctest

import pytest

from sheetpilot import _history as history
from sheetpilot import _status as status
from sheetpilot._daemon import governor, logs, runner, schedule


@pytest.mark.parametrize("module", [governor, logs, runner, schedule, history, status])
def test_docstring_examples(module):
    failed, _ = doctest.testmod(module, verbose=False)
    assert failed == 0
