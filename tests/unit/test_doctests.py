"""The Examples: sections of public docstrings run as doctests (against the installed package)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import indikator

MODULES = sorted(
    name
    for _, name, _ in pkgutil.walk_packages(indikator.__path__, "indikator.")
    if name not in {"indikator.__main__", "indikator.pytest_plugin"}
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"


def test_the_package_docstring() -> None:
    assert doctest.testmod(indikator).failed == 0
    assert doctest.testmod(indikator).attempted >= 2
