"""Shared pytest configuration: Hypothesis profiles and the ``--update-golden`` switch.

Golden tests (marked ``golden``) compare through `tests.goldens`; with ``--update-golden``
they rewrite their files instead.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from tests.postgres import postgres  # the session's PostgreSQL server, for the SQL tests

__all__ = ["postgres"]

# `dev` keeps the local loop fast; `ci` is thorough and reproducible: a fixed
# seed, no per-example deadline on a shared machine, and a reproduction blob
# printed for every failure.
settings.register_profile("dev", max_examples=50)
settings.register_profile("ci", max_examples=100, deadline=None, print_blob=True, derandomize=True)
# `fuzz` (nox -s fuzz): long runs with new random seeds each time, no example database.
settings.register_profile("fuzz", deadline=None, print_blob=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--update-golden``, which rewrites golden files instead of comparing with them."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the expected-output files under tests/golden from the current output",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether golden tests should rewrite their expected output rather than check it."""
    return bool(request.config.getoption("--update-golden"))
