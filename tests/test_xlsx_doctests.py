"""The examples in the local-workbook backend's docstrings hold."""

import doctest

import pytest

from sheetpilot._backends.xlsx import _charts, _file, _formulas, _ooxml, _package, _read, _sheet


@pytest.mark.parametrize("module", [_charts, _file, _formulas, _ooxml, _package, _read, _sheet])
def test_docstring_examples(module):
    failed, attempted = doctest.testmod(module, verbose=False)
    assert failed == 0 and attempted > 0
