"""The examples in the Google backend's and the stand-in's docstrings hold."""

import doctest

import pytest

from fakesheets import control, faults, formula, references
from fakesheets import errors as fake_errors
from sheetpilot._backends.google import (
    charts,
    conditional,
    credentials,
    errors,
    http,
    read,
    retry,
    target,
    write,
)


@pytest.mark.parametrize(
    "module",
    [
        *(credentials, errors, http, read, retry, target, write, conditional, charts),
        *(fake_errors, faults, formula, references, control),
    ],
)
def test_docstring_examples(module):
    failed, attempted = doctest.testmod(module, verbose=False)
    assert failed == 0 and attempted > 0
