"""The README documents every command and option of the CLI (as sqlite-utils' test_docs does)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from sheetpilot._cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMAND = typer.main.get_command(app)
SUBCOMMANDS = sorted(COMMAND.commands)  # type: ignore[attr-defined]


def _options(command) -> list[str]:
    return sorted(
        opt
        for param in command.params
        for opt in (*param.opts, *param.secondary_opts)
        if opt.startswith("-") and opt != "--help"
    )


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_command_is_in_the_readme(name):
    assert f"sheetpilot {name}" in README


@pytest.mark.parametrize(
    ("name", "option"),
    [(name, opt) for name in SUBCOMMANDS for opt in _options(COMMAND.commands[name])]  # type: ignore[attr-defined]
    + [("", opt) for opt in _options(COMMAND)],
)
def test_every_option_is_in_the_readme(name, option):
    assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", README), (name, option)


def test_the_readme_links_resolve():
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", README):
        assert (ROOT / target).exists(), target


def test_the_readme_cites_no_document_outside_the_repository():
    assert "DESIGN.md" not in README
