"""The examples in the docstrings of the CLI-side modules hold (diff, render, xlsx, init)."""

import doctest

import pytest

from sheetpilot import _cells as cells
from sheetpilot import (
    _cli as cli,
)
from sheetpilot import (
    _diff as diff,
)
from sheetpilot import (
    _example as example,
)
from sheetpilot import (
    _scaffold as scaffold,
)
from sheetpilot import (
    _sync as sync,
)
from sheetpilot import (
    _targets as targets,
)
from sheetpilot._backends import xlsx
from sheetpilot._render import by_period, checks, formats, input_columns, lookups, priorities
from sheetpilot._render import targets as render_targets

MODULES = [
    cli, diff, example, scaffold, sync, targets, xlsx,
    by_period, checks, formats, input_columns, priorities, render_targets, lookups, cells,
]  # fmt: skip


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples(module):
    failed, _ = doctest.testmod(module, verbose=False)
    assert failed == 0
