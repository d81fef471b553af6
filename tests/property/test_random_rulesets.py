"""Laws hold on random valid rulesets drawn by indikator.testing.rulesets()."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

import indikator
from indikator.testing import (
    assert_batch_matches_single,
    assert_monotone,
    assert_order_independent,
    assert_tier_matches_total,
    assert_total_in_scale,
    inputs_for,
    rulesets,
    tables_for,
)


@settings(max_examples=60, deadline=None)
@given(rulesets(), st.data())
def test_random_rulesets_compile_and_obey_the_laws(text: str, data: st.DataObject) -> None:
    ruleset = indikator.loads(text)
    # Random edges can leave a band or a tier out of reach; nothing else may be flagged.
    assert {w.code for w in ruleset.warnings} <= {"IK403", "IK407"}, text
    region = data.draw(inputs_for(ruleset))
    assert_total_in_scale(ruleset, region)
    assert_tier_matches_total(ruleset, region)
    assert_monotone(ruleset, region)
    table = data.draw(tables_for(ruleset, max_size=6))
    assert_batch_matches_single(ruleset, table)
    assert_order_independent(ruleset, table)


@given(rulesets())
def test_random_gates_go_the_way_of_their_input(text: str) -> None:
    # A gate `x >= n` on a better-lower input would make improving x lose the tier, which
    # the monotone law above rightly refuses: the strategy draws `x <= n` there.
    directions = dict(re.findall(r"input (x\d+): percent \{ better (\w+)", text))
    for name, op in re.findall(r"requires (x\d+) ([<>]=)", text):
        assert op == (">=" if directions[name] == "higher" else "<="), text
