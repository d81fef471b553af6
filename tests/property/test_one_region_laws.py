"""The one-region path (`indikator.scalar`) gives the vectorised evaluator's values exactly.

`Ruleset.evaluate` runs a plan compiled to plain Python for valid input and falls back
to the vectorised path otherwise. Both must agree bit for bit on every value (inputs,
points, `.met`, band subjects, gates, tier codes), and the fast path may fall back only
where the vectorised path reports a problem.
"""

from __future__ import annotations

from hypothesis import event, given, settings
from hypothesis import strategies as st

import indikator
from indikator.testing import rulesets, tables_for
from tests.one_region import assert_same_values


@settings(max_examples=150, deadline=None)
@given(rulesets(), st.data())
def test_one_region_path_matches_the_vectorised_values(text: str, data: st.DataObject) -> None:
    ruleset = indikator.loads(text)
    table = data.draw(tables_for(ruleset, max_size=4))
    size = len(next(iter(table.values())))
    for index in range(size):
        fast = assert_same_values(ruleset, {k: v[index] for k, v in table.items()})
        event("one-region path" if fast else "fell back")
