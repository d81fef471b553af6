"""Laws every shipped ruleset obeys, checked with indikator.testing on random regions."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import indikator
from indikator.testing import (
    assert_batch_matches_single,
    assert_deterministic,
    assert_monotone,
    assert_order_independent,
    assert_tier_matches_total,
    assert_total_in_scale,
    inputs_for,
    tables_for,
)

RULESETS = Path(__file__).parents[2] / "rulesets"
SHIPPED = sorted(p for p in RULESETS.rglob("*.ikr") if p.stem.isdigit())
# Generated regions are big dictionaries; drawing them is the slow part, not a problem.
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module", params=SHIPPED, ids=[str(p.relative_to(RULESETS)) for p in SHIPPED])
def ruleset(request: pytest.FixtureRequest) -> indikator.Ruleset:
    return indikator.load(request.param, root=RULESETS)  # `common/` is imported


def test_every_shipped_edition_is_covered() -> None:
    assert {p.parent.name for p in SHIPPED} >= {"kla", "kks", "stunting"}


@SETTINGS
@given(data=st.data())
def test_single_region_laws(ruleset: indikator.Ruleset, data: st.DataObject) -> None:
    region = data.draw(inputs_for(ruleset))
    assert_total_in_scale(ruleset, region)
    assert_tier_matches_total(ruleset, region)
    assert_monotone(ruleset, region)
    assert_deterministic(ruleset, region, times=2)


@SETTINGS
@given(data=st.data())
def test_batch_laws(ruleset: indikator.Ruleset, data: st.DataObject) -> None:
    table = data.draw(tables_for(ruleset, max_size=5))
    assert_batch_matches_single(ruleset, table)
    assert_order_independent(ruleset, table)
