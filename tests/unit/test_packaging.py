"""What a user of a typed, licensed library expects to find in the installed package."""

from __future__ import annotations

import tomllib
from importlib import metadata, resources
from pathlib import Path

import indikator

ROOT = Path(__file__).parents[2]


def test_the_package_is_marked_typed() -> None:
    # PEP 561: without this file, mypy treats `import indikator` as untyped.
    assert resources.files("indikator").joinpath("py.typed").is_file()


def test_version_comes_from_the_package_metadata() -> None:
    assert indikator.__version__ == metadata.version("indikator")


def test_the_declared_licence_is_in_the_repository() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
