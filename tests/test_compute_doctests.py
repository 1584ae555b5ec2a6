"""The examples in the compute modules' docstrings hold."""

import doctest

import pytest

from sheetpilot._compute import checks, keys, periods, priority, progress


@pytest.mark.parametrize("module", [keys, periods, priority, progress, checks])
def test_docstring_examples(module):
    failed, _ = doctest.testmod(module, verbose=False)
    assert failed == 0
