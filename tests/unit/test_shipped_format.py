"""Shipped rulesets and fixtures are kept in canonical form (`indikator fmt --check`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from indikator.formatter import format_text

ROOT = Path(__file__).parents[2]
FILES = sorted([*(ROOT / "rulesets").rglob("*.ikr"), ROOT / "tests" / "fixtures" / "tour.ikr"])


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_is_canonical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_text(text, str(path)) == text, f"run: indikator fmt --write {path}"
