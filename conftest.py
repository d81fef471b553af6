"""Repository-wide pytest setup: case files (`*.cases.toml`) run as tests from a checkout.

An installed indikator registers its pytest plugin through an entry point; a plain
checkout (`PYTHONPATH=src pytest rulesets/kks`) has none, so it is registered here.
"""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]  # tests/unit/test_cases.py runs pytest on case files


def pytest_configure(config: pytest.Config) -> None:
    """Register the case-file plugin unless the installed entry point already did."""
    import indikator.pytest_plugin as plugin  # noqa: PLC0415  # needs the package on the path

    if not config.pluginmanager.is_registered(plugin):
        config.pluginmanager.register(plugin, "indikator")
