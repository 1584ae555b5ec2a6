"""The examples in the parse modules' and the template's docstrings hold."""

import doctest

import pytest

import sheetpilot.parse
from sheetpilot import template
from sheetpilot.parse import actions, headers, issues, selector, settings, values


@pytest.mark.parametrize(
    "module", [sheetpilot.parse, actions, headers, issues, selector, settings, values, template]
)
def test_docstring_examples(module):
    failed, _ = doctest.testmod(module, verbose=False)
    assert failed == 0
