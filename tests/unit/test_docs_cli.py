"""docs/cli.md is the reference of every command: it cannot fall behind the command line.

Each click command has a section `## \\`indikator NAME\\``; its usage line (the section's
first ```text block) names every option, and each option's default, when it shows one in
`--help`, is written in the section.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from indikator.cli import main

PAGE = (Path(__file__).parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
COMMANDS = sorted(main.commands)


def _section(name: str) -> str:
    """The text of the section `## \\`indikator NAME\\``, up to the next `## ` heading."""
    found = re.search(
        rf"^## `indikator {re.escape(name)}`\n(.*?)(?=^## |\Z)", PAGE, re.MULTILINE | re.DOTALL
    )
    assert found is not None, f"docs/cli.md has no section '## `indikator {name}`'"
    return found.group(1)


def _usage(name: str) -> str:
    """The section's first ```text block: the usage line(s)."""
    found = re.search(r"```text\n(.*?)```", _section(name), re.DOTALL)
    assert found is not None, f"the section of {name} has no usage block"
    return found.group(1)


def _named(option: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


def _options(name: str) -> list[click.Option]:
    return [p for p in main.commands[name].params if isinstance(p, click.Option)]


def test_the_commands_are_the_pages_sections() -> None:
    shown = re.findall(r"^## `indikator (\S+)`$", PAGE, re.MULTILINE)
    assert sorted(shown) == COMMANDS


@pytest.mark.parametrize("name", COMMANDS)
def test_the_usage_line_names_every_option(name: str) -> None:
    usage = _usage(name)
    assert usage.lstrip().startswith(f"indikator {name}")
    missing = [o.opts for o in _options(name) if not any(_named(n, usage) for n in o.opts)]
    assert missing == [], f"docs/cli.md, usage of {name}, does not name {missing}"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_shown_default_is_written(name: str) -> None:
    section = _section(name)
    for option in _options(name):
        if option.show_default and not option.is_flag and option.default is not None:
            default = str(option.default)
            assert re.search(rf"(?<![\w.]){re.escape(default)}(?![\w.])", section), (
                f"docs/cli.md, {name}: the default of {option.opts[-1]} ({default}) is not written"
            )
