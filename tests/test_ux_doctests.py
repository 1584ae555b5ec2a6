"""The examples in the docstrings of the CLI-side modules hold (diff, render, xlsx, init)."""

import doctest

import pytest

from sheetpilot import cli, diff, example, scaffold, sync, targets
from sheetpilot.backends import xlsx
from sheetpilot.render import by_period, checks, formats, input_columns, priorities
from sheetpilot.render import targets as render_targets

MODULES = [
    cli, diff, example, scaffold, sync, targets, xlsx,
    by_period, checks, formats, input_columns, priorities, render_targets,
]  # fmt: skip


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples(module):
    failed, _ = doctest.testmod(module, verbose=False)
    assert failed == 0
