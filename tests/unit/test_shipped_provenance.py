"""Shipped rulesets say where every scoring number comes from, and cite no private notes.

Every shipped `.ikr` file passes `indikator check --strict`: each scoring number cites a
declared source or is `assumed` (IK422), and every declared source is cited (no IK421).
No file under `rulesets/`, `docs/` or `examples/` refers to the team's outside research notes
(a path into the shared notes folder, or a "kla.md §4"-style section reference), which users
do not have.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indikator import Catalogue, check_file, load

ROOT = Path(__file__).parents[2]
RULESETS = [
    "rulesets/common/facts.ikr",
    "rulesets/kla/2025.ikr",
    "rulesets/kks/2021.ikr",
    "rulesets/kks/2025.ikr",
    "rulesets/kks/catalogue.ikr",
    "rulesets/stunting/2021.ikr",
    "rulesets/stunting/2024.ikr",
    "rulesets/examples/stunting_outcome.ikr",
]
CATALOGUES = {"rulesets/common/facts.ikr", "rulesets/kks/catalogue.ikr"}


def test_every_shipped_ruleset_is_listed() -> None:
    shipped = {str(p.relative_to(ROOT)) for p in (ROOT / "rulesets").rglob("*.ikr")}
    assert shipped == set(RULESETS)


@pytest.mark.parametrize("name", RULESETS)
def test_checks_strictly(name: str) -> None:
    checked = check_file(ROOT / name, strict=True)
    assert isinstance(checked, Catalogue) == (name in CATALOGUES)
    assert checked.provenance.unmarked == ()
    assert [w.code for w in checked.warnings if w.code == "IK421"] == []


@pytest.mark.parametrize("name", sorted(set(RULESETS) - CATALOGUES))
def test_loads_strictly(name: str) -> None:
    ruleset = load(ROOT / name, strict=True)
    provenance = ruleset.provenance
    assert provenance.count("unmarked") == 0
    assert provenance.count("cited") + provenance.count("assumed") > 0
    assert provenance.sources, "a shipped ruleset declares the sources it relies on"
    for source in provenance.sources:
        assert source.url or source.offline, f"{source.id}: give a url or `offline`"
        assert source.cited_by, f"{source.id} is declared but never cited"
    for assumption in provenance.assumed:
        assert assumption.reason.strip(), f"{assumption.definition}: empty reason"


OUTSIDE_NOTES = re.compile(
    r"\.\./shared|/work/|shared/(domain|data|reviews)|\b(kla|kks|stunting)\.md`? §"
)
TEXT_SUFFIXES = {".ikr", ".toml", ".md", ".py", ".csv", ".json", ".txt", ".yml", ".yaml"}


def _text_files() -> list[Path]:
    return [
        path
        for folder in ("rulesets", "docs", "examples")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.is_file() and path.suffix in TEXT_SUFFIXES
    ]


def test_no_reference_to_outside_notes() -> None:
    found = []
    for path in _text_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if OUTSIDE_NOTES.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == [], "\n".join(found)
