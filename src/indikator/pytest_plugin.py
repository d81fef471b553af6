"""pytest plugin: every `*.cases.toml` file becomes a test file, each case a test.

Installed with indikator (entry point `pytest11`), so plain `pytest` in a folder of
rulesets runs their case files, with readable ids such as `2025.cases.toml::Pratama edge`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from indikator.cases import Case, load_cases, run_case
from indikator.errors import IndikatorError
from indikator.ruleset import Ruleset, load

__all__ = ["pytest_collect_file"]

SUFFIX = ".cases.toml"


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Collect case files."""
    if file_path.name.endswith(SUFFIX):
        return CaseFile.from_parent(parent, path=file_path)
    return None


class CaseFile(pytest.File):
    """A case file; its ruleset is compiled once for all its cases."""

    def collect(self) -> Iterator[pytest.Item]:
        """One item per case."""
        cases = load_cases(self.path)
        ruleset: Ruleset | None = None
        if cases:
            try:
                ruleset = load(cases[0].ruleset)
            except IndikatorError:
                ruleset = None  # each case reports the ruleset's error
        for case in cases:
            yield CaseItem.from_parent(self, name=case.name, case=case, ruleset=ruleset)


class CaseFailedError(Exception):
    """A case's outputs differ from the expected ones."""


class CaseItem(pytest.Item):
    """One case."""

    def __init__(self, *, case: Case, ruleset: Ruleset | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.ruleset = ruleset

    def runtest(self) -> None:
        """Evaluate and compare."""
        outcome = run_case(self.case, self.ruleset)
        if not outcome.passed:
            raise CaseFailedError("\n".join(str(f) for f in outcome.failures))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The differences, and where the case comes from."""
        if isinstance(excinfo.value, CaseFailedError):
            source = f"\n(source: {self.case.source})" if self.case.source else ""
            return f"case '{self.case.name}' in {self.case.file.name}:\n{excinfo.value}{source}"
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int, str]:
        """Where the case lives."""
        return self.path, 0, f"case: {self.name}"
