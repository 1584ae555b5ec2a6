"""The examples in the parse modules' and the template's docstrings hold."""

import doctest

import pytest

import sheetpilot._parse
from sheetpilot import _template as template
from sheetpilot._parse import actions, headers, issues, selector, settings, values


@pytest.mark.parametrize(
    "module", [sheetpilot._parse, actions, headers, issues, selector, settings, values, template]
)
def test_docstring_examples(module):
    failed, _ = doctest.testmod(module, verbose=False)
    assert failed == 0
