"""`next` against adversarial rulesets: every claim re-checked with the evaluator.

Each test builds a small ruleset where a plausible shortcut of the advice would give a
wrong answer (a value past the declared range, a value far past the edge, a tier said to
be out of reach although a nearer step reaches it), and checks the answer by applying it
and evaluating the region again with `evaluate_many`, independently of `steps`/`path`.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indikator import loads
from indikator import targets as targets_module
from indikator.advice import next_tier
from indikator.errors import DataError
from indikator.path import cheapest
from indikator.ruleset import Ruleset
from indikator.testing import inputs_for, rulesets


def _doc(ruleset: Ruleset, table: Mapping[str, Sequence[Any]], lang: str = "en") -> Any:
    results = ruleset.evaluate_many(table)
    return next_tier(ruleset, results, str(table["kode"][0]), lang=lang)


def _reaches(ruleset: Ruleset, region: Mapping[str, Any], path: Mapping[str, Any]) -> bool:
    """Whether the region with the path's targets applied reaches the path's tier."""
    changed = {k: [v] for k, v in region.items()}
    for step in path["steps"]:
        changed[step["input"]] = [step["target"]]
    before = ruleset.evaluate_many({k: [v] for k, v in region.items()})
    after = ruleset.evaluate_many(changed)
    return int(after.tier_codes[0]) > int(before.tier_codes[0])


# A farther band of x costs the points of a nearer one: x at its farthest step (95) scores
# 11 with a, b, e; at 50 it scores 20. With y at 50 (+10), 50 reaches High (30), 95 not (21).
OPPOSED = loads("""
ruleset t { scale 0 to 31  region kode }
input kode: text
input x: percent { agency "A" better higher missing zero }
input y: percent { agency "B" better higher missing zero }
indicator a = bands x { [0, 50) -> 0  [50, 100] -> 10 }
indicator b = bands x { [0, 60] -> 10  (60, 100] -> 0 }
indicator e = bands x { [0, 95) -> 0  [95, 100] -> 1 }
indicator c = bands y { [0, 50) -> 0  [50, 100] -> 10 }
group total = sum(a, b, e, c)
tiers on total { low "Low" [0, 25) high "High" [25, 31] }
""")


def test_a_tier_is_not_called_unreachable_when_a_nearer_step_reaches_it() -> None:
    region = {"kode": "01", "x": 40.0, "y": 0.0}
    plan = _doc(OPPOSED, {k: [v] for k, v in region.items()})
    path = plan.to_dict()["path"]
    assert path["outcome"] == "found"
    assert [(s["input"], s["target"]) for s in path["steps"]] == [("x", 50.0), ("y", 50.0)]
    assert path["score"] == 30.0
    assert _reaches(OPPOSED, region, path)
    assert "cannot be reached" not in plan.to_text()


def test_a_value_past_the_declared_range_is_never_asked_for() -> None:
    # High needs x >= 10.4895 (x / 10.5 * 10 >= 9.99); whole numbers in the data would
    # round that up to 11, past the range's end 10.5: the value asked for is 10.5 at most.
    rs = loads("""
ruleset t { scale 0 to 10  region kode }
input kode: text
input x: number { range 0 to 10.5  agency "A" better higher missing zero }
indicator a = linear x from 0 to 10.5 onto 0 to 10
tiers on a { low "Low" [0, 9.99) high "High" [9.99, 10] }
""")
    doc = _doc(rs, {"kode": ["01", "02"], "x": [3, 4]}).to_dict()
    targets = [s["target"] for a in doc["steps"] for s in a["steps"]]
    targets += [s["target"] for s in doc["path"]["steps"]]
    assert targets
    assert all(0 <= t <= 10.5 for t in targets), targets
    assert doc["path"]["outcome"] == "found"
    assert _reaches(rs, {"kode": "01", "x": 3.0}, doc["path"])


def test_tiny_values_keep_their_decimals() -> None:
    # The data writes x with 6 decimals; the band starts at 0.0000025, so 0.000003 reaches
    # it (not 0.0001, 40 times the edge, as 4 decimals at most would have it).
    rs = loads("""
ruleset t { scale 0 to 10  region kode }
input kode: text
input x: number { range 0 to 1  agency "A" better higher missing zero }
indicator a = bands x { [0, 0.0000025) -> 0  [0.0000025, 1] -> 10 }
tiers on a { low "Low" [0, 5) high "High" [5, 10] }
""")
    plan = _doc(rs, {"kode": ["01", "02"], "x": [0.000001, 0.000003]}, lang="id")
    [step] = plan.to_dict()["path"]["steps"]
    assert step["target"] == 0.000003
    assert "0,000001 -> 0,000003" in plan.to_text()


def test_an_indicator_only_several_inputs_raise_is_no_proof_of_unreachable() -> None:
    # m = min(x, y): neither input alone raises a; both at 50 reach High. The steps of
    # single inputs find no path, and the answer must say it did not search joint changes.
    rs = loads("""
ruleset t { scale 0 to 10  region kode }
input kode: text
input x: percent { agency "A" better higher missing zero }
input y: percent { agency "B" better higher missing zero }
let m = min(x, y)
indicator a = bands m { [0, 50) -> 0  [50, 100] -> 10 }
tiers on a { low "Low" [0, 5) high "High" [5, 10] }
""")
    table: dict[str, list[Any]] = {"kode": ["01"], "x": [40], "y": [30]}
    assert rs.evaluate_many({"kode": ["01"], "x": [50], "y": [50]}).tier_codes[0] == 2
    plan = _doc(rs, table)
    path = plan.to_dict()["path"]
    assert path["outcome"] == "joint"
    assert "cannot be reached" not in plan.to_text()
    assert "several inputs at once" in plan.to_text()
    assert "beberapa masukan sekaligus" in _doc(rs, table, lang="id").to_text()


def test_the_cheapest_path_compares_linear_steps_cut_back() -> None:
    # A step of a linear indicator offers its full points: x 40 -> 100 (+30, a change of
    # 60) against y 50 -> 100 (+5, a change of 50). High needs 5 points: x to 50 (a change
    # of 10) is the cheapest, not y to 100 chosen before cutting back.
    rs = loads("""
ruleset t { scale 0 to 60  region kode }
input kode: text
input x: percent { agency "A" better higher missing zero }
input y: percent { agency "B" better higher missing zero }
indicator a = linear x from 0 to 100 onto 0 to 50
indicator b = linear y from 0 to 100 onto 0 to 10
group total = sum(a, b)
tiers on total { low "Low" [0, 30) high "High" [30, 60] }
""")
    region = {"kode": "01", "x": 40.0, "y": 50.0}
    path = _doc(rs, {k: [v] for k, v in region.items()}).to_dict()["path"]
    assert [(s["input"], s["target"], s["change"], s["gain"]) for s in path["steps"]] == [
        ("x", 50.0, 10.0, 5.0)
    ]
    assert path["score"] == 30.0
    assert _reaches(rs, region, path)


def test_a_requirement_against_the_declared_direction_is_searched() -> None:
    # x is `better higher`, but T1 requires x <= 60: lowering x to 60 reaches T1 (its
    # points stay 5); the requirement is not "one no single input meets".
    rs = loads("""
ruleset t { scale 0 to 10  region kode }
input kode: text
input x: percent { better higher missing zero }
indicator s = bands x { [0, 50) -> 0  [50, 100] -> 5 }
indicator u = bands x { [0, 100] -> 5 }
group total = sum(s, u)
tiers on total { t0 "T0" [5, 10)  t1 "T1" [10, 10] requires x <= 60 "x at most 60" }
""")
    region = {"kode": "01", "x": 81.0}
    plan = _doc(rs, {k: [v] for k, v in region.items()})
    path = plan.to_dict()["path"]
    assert path["outcome"] == "found"
    assert [(s["input"], s["target"]) for s in path["steps"]] == [("x", 60.0)]
    assert path["blocked"] == []
    assert _reaches(rs, region, path)


def test_an_input_feeding_indicators_both_ways_is_searched_between() -> None:
    # x (`better higher`) gives s0 20 points above 5 but costs s2 points all the way: the
    # best score lies in between (x = 40 gives 20 + 12 = 32 >= 32), not at either end.
    rs = loads(
        """
ruleset t { scale 0 to 40  region kode }
input kode: text
input x: percent { better higher missing zero }
indicator s0 = bands x { [0, 5] -> 1  (5, 100] -> 20 }
indicator s2 = linear x from 100 to 0 onto 0 to 20
group total = sum(s0, s2)
tiers on total { t0 "T0" [32, 40] }
""",
        strict=False,
    )
    region = {"kode": "01", "x": 46.6}
    plan = _doc(rs, {k: [v] for k, v in region.items()})
    path = plan.to_dict()["path"]
    assert path["outcome"] == "found"
    assert [(s["input"], s["target"]) for s in path["steps"]] == [("x", 40.0)]
    assert path["score"] == 32.0
    assert _reaches(rs, region, path)


def test_a_wide_range_still_asks_for_the_value_the_tier_needs() -> None:
    # i = anggaran / 10⁹ (clamped to 30): High from 20 needs anggaran = 2·10¹⁰ exactly. Over
    # a range to 10¹², a fixed number of bisection rounds left the edge ~10³ wide: the path
    # kept 20 511 718 750 (a grid point) and the full-points rung read 29 999 999 999,578.
    rs = loads("""
ruleset t { scale 0 to 30  region kode }
input kode: text
input anggaran: number { range 0 to 1000000000000 better higher missing zero }
indicator i = clamp(anggaran / 1000000000, 0, 30)
tiers on i { low "Low" [0, 20) high "High" [20, 30] }
""")
    plan = _doc(rs, {"kode": ["01", "02"], "anggaran": [1000000000, 5000000]}, lang="id")
    doc = plan.to_dict()
    [step] = doc["path"]["steps"]
    assert (step["target"], step["gain"], doc["path"]["score"]) == (2e10, 19.0, 20.0)
    targets = [s["target"] for a in doc["steps"] for s in a["steps"]]
    assert 3e10 in targets
    assert all(float(t).is_integer() for t in targets)  # the data writes whole numbers
    assert "1.000.000.000 -> 20.000.000.000" in plan.to_text()


def test_the_value_where_the_tier_rises_inside_a_linear_indicator_is_a_step() -> None:
    # s0 is linear in x1 and its full points (x1 = 100) fail T0's requirement x1 <= 58 and
    # cost s2 a point: the tier is reached at x1 = 40 (s0 = 8, total 38), inside the way.
    rs = loads(
        """
ruleset z { scale 0 to 50  region kode }
input kode: text
input x0: percent { better higher missing exclude }
input x1: percent { missing exclude }
indicator s0 = linear x1 from 0 to 100 onto 0 to 20
indicator s1 = bands x1 { [0, 15] -> 20  (15, 92] -> 20  (92, 100] -> 17 } met when x1 >= 15
indicator s2 = bands x1 { [0, 60) -> 5  [60, 100] -> 4 }
indicator s3 = bands x0 { [0, 21) -> 5  [21, 100] -> 5 } met when x0 >= 21
group total = sum(s0, s1, s2, s3)
tiers on total { t0 "T0" [38, 41) requires x1 <= 58  t1 "T1" [41, 50] requires x0 >= 85 }
""",
        strict=False,
    )
    region = {"kode": "01", "x0": 68.3, "x1": 38.58}
    path = _doc(rs, {k: [v] for k, v in region.items()}).to_dict()["path"]
    assert path["outcome"] == "found"
    assert [(s["input"], s["target"]) for s in path["steps"]] == [("x1", 40.0)]
    assert _reaches(rs, region, path)


def test_a_requirement_no_single_input_meets_may_be_met_by_two() -> None:
    # all_met(total) needs s0 met (x1 in [38, 85]) and s2 met (x0 at 80): neither input
    # alone meets it, both together do (weighted: 50 + 0 + 40 = 90).
    rs = loads(
        """
ruleset z { scale 0 to 100  region kode }
input kode: text
input x0: percent { better lower missing zero }
input x1: percent { missing exclude }
indicator s0 = bands x1 { [0, 3) -> 3  [3, 38) -> 8  [38, 85] -> 10  (85, 100] -> 7 }
indicator s1 = bands x0 { [0, 43) -> 5  [43, 62] -> 5  (62, 63] -> 4  (63, 100] -> 0 }
  met when x0 >= 43
indicator s2 = linear x0 from 20 to 80 onto 0 to 20
group total = weighted(s0: 50, s1: 10, s2: 40) max 100
tiers on total { t0 "T0" [55, 84) requires all_met(total)  t1 "T1" [84, 100] }
""",
        strict=False,
    )
    region = {"kode": "01", "x0": 74.48, "x1": 88.7}
    path = _doc(rs, {k: [v] for k, v in region.items()}).to_dict()["path"]
    assert path["outcome"] == "found"
    assert sorted((s["input"], s["target"]) for s in path["steps"]) == [("x0", 80.0), ("x1", 85.0)]
    assert _reaches(rs, region, path)


def test_an_input_that_helps_only_once_another_moved_is_found() -> None:
    # s1 reads min(x0, x1): x0 alone cannot lift it while x1 is 50; with x1 at its step 95
    # (s2), x0 at 90 gives s1 too: 10 + 5 = 15.
    rs = loads("""
ruleset z { scale 0 to 15  region kode }
input kode: text
input x0: percent { better higher missing zero }
input x1: percent { better higher missing zero }
let m = min(x0, x1)
indicator s1 = bands m { [0, 89] -> 0  (89, 100] -> 10 }
indicator s2 = bands x1 { [0, 95) -> 0  [95, 100] -> 5 }
group total = sum(s1, s2)
tiers on total { t0 "T0" [15, 15] }
""")
    region = {"kode": "01", "x0": 50.0, "x1": 50.0}
    path = _doc(rs, {k: [v] for k, v in region.items()}).to_dict()["path"]
    assert path["outcome"] == "found"
    assert sorted((s["input"], s["target"]) for s in path["steps"]) == [("x0", 90.0), ("x1", 95.0)]
    assert _reaches(rs, region, path)


def test_what_reads_several_inputs_is_named_when_no_path_is_found() -> None:
    # min(x, y) >= 50 needs both: no single input's step finds it; `joint` names it.
    rs = loads("""
ruleset t { scale 0 to 10  region kode }
input kode: text
input x: percent { better higher missing zero }
input y: percent { better higher missing zero }
let m = min(x, y)
indicator a = bands m { [0, 50) -> 0  [50, 100] -> 10 }
tiers on a { high "High" [5, 10] }
""")
    path = _doc(rs, {"kode": ["01"], "x": [40], "y": [30]}).to_dict()["path"]
    assert (path["outcome"], path["joint"]) == ("joint", ["a"])


def test_an_open_range_is_searched_as_far_as_the_formula_needs() -> None:
    # No declared range: the plan's constants (0, 30) sized the search to about 2·10⁹, and
    # High (anggaran = 2·10¹⁰) was called unreachable with "score at best 2".
    rs = loads("""
ruleset t { scale 0 to 30  region kode }
input kode: text
input anggaran: number { better higher missing zero }
indicator i = clamp(anggaran / 1000000000, 0, 30)
tiers on i { low "Low" [0, 20) high "High" [20, 30] }
""")
    plan = _doc(rs, {"kode": ["01", "02"], "anggaran": [1000000000, 5000000]}, lang="id")
    doc = plan.to_dict()
    assert doc["path"]["outcome"] == "found"
    assert [s["target"] for s in doc["path"]["steps"]] == [2e10]
    assert sorted(s["target"] for a in doc["steps"] for s in a["steps"]) == [2e10, 3e10]
    # 19 points over 1.9·10¹⁰: 10⁻⁹ per unit, not "0 per satuan".
    assert "+19, 0,000000001 per satuan" in plan.to_text()


ON_A_LET = loads(
    """
ruleset t { scale 0 to 100  region kode }
input kode: text
input x: percent { agency "A" better higher missing exclude }
input y: percent { agency "B" better higher missing exclude }
input o: option("a", "b", "c") { agency "C" missing zero }
indicator a = bands x { [0, 50) -> 0  [50, 80) -> 5  [80, 100] -> 10 }
indicator b = bands y { [0, 50) -> 0  [50, 100] -> 10 }
indicator c = options o { "a" -> 10  "b" -> 0  "c" -> 5 }
group total = mean(a, b, c) max 100
let t2 = round(total, 0)
tiers on t2 { low "Low" [0, 60) mid "Mid" [60, 90) high "High" [90, 100] }
""",
    strict=False,
)


def test_indicators_not_counted_make_no_unreachable_claim() -> None:
    # Tiers on a let: the indicator sets cannot count a, b, c (scored through 't2'); they
    # said "the gap stays open even with every indicator at its maximum", while o = a
    # alone reaches Mid (and High).
    plan = _doc(ON_A_LET, {"kode": ["01"], "x": [85], "y": [None], "o": ["b"]})
    doc = plan.to_dict()
    assert doc["outcome"] == "uncounted"
    assert doc["path"]["outcome"] == "found"
    assert "even with every indicator at its maximum" not in plan.to_text()
    assert "not counted (below) may" in plan.to_text()


def test_filling_an_empty_option_is_a_change() -> None:
    # o empty: filling it with its first option "a" was a change of 0 (0 per unit, free
    # for the cheapest path); it is one option level.
    doc = _doc(ON_A_LET, {"kode": ["01"], "x": [None], "y": [None], "o": [None]}).to_dict()
    [step] = [s for a in doc["steps"] for s in a["steps"] if s["input"] == "o"]
    assert (step["current"], step["target_shown"], step["change"]) == (None, "a", 1.0)
    assert step["per_unit"] == step["gain"] == 100.0


def test_a_search_cut_by_summed_gains_says_it_was_limited(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # x and y alone add 1 point each; together they also give 'both' (+10); z adds 9.
    # T needs 12: x and y (two steps). Past `limit` combinations only those whose summed
    # gains come near 12 are tried: (x, z) and (y, z) (10 each), never (x, y) (2), and the
    # three steps x, y, z were answered as if no two did. Now it says the search was cut.
    rs = loads("""
ruleset t { scale 0 to 21  region kode }
input kode: text
input x: percent { better higher missing zero }
input y: percent { better higher missing zero }
input z: percent { better higher missing zero }
indicator a = bands x { [0, 50) -> 0  [50, 100] -> 1 }
indicator b = bands y { [0, 50) -> 0  [50, 100] -> 1 }
indicator c = bands z { [0, 50) -> 0  [50, 100] -> 9 }
indicator both = if x >= 50 and y >= 50 then 10 else 0
group total = sum(a, b, c, both)
tiers on total { t "T" [12, 21] }
""")
    table: dict[str, list[Any]] = {"kode": ["01"], "x": [10], "y": [10], "z": [10]}
    assert len(_doc(rs, table).to_dict()["path"]["steps"]) == 2  # every pair tried
    monkeypatch.setattr(targets_module, "cheapest", functools.partial(cheapest, limit=2))
    plan = _doc(rs, table)
    path = plan.to_dict()["path"]
    assert (path["outcome"], len(path["steps"]), path["limited"]) == ("found", 3, True)
    assert "a shorter path, or one with less change, may exist" in plan.to_text()


def test_a_farther_value_is_not_dominated_by_one_the_other_way() -> None:
    # x1 = 41.51: down to 35 gives s0 its 5 points, up to 89 passes T1's requirement, up
    # to 98 does both. 98 was dropped as "nothing new" (s0 and the requirement were seen,
    # but on opposite sides), so T1 was out of reach of x1 -> 98 and
    # cn -> 4: (5/5 + 8/10 + 13/13) / 3 = 93.3.
    rs = loads(
        """
ruleset z { scale 0 to 100  region kode }
input kode: text
input x1: percent { missing zero }
input cn: count { range 0 to 12 missing zero }
indicator sc = clamp(value_or(cn, 0) * 2, 0, 10)
indicator s0 = bands x1 { [0, 35] -> 5  (35, 98) -> 0  [98, 100] -> 5 }
indicator s2 = bands x1 { [0, 100] -> 13 }
group total = mean(s0, sc, s2) max 100
tiers on total { t0 "T0" [40, 90)  t1 "T1" [90, 100] requires x1 >= 89 }
""",
        strict=False,
    )
    region = {"kode": "01", "x1": 41.51, "cn": 2.0}
    plan = _doc(rs, {k: [v] for k, v in region.items()})
    doc = plan.to_dict()
    x1 = [s["target"] for a in doc["steps"] for s in a["steps"] if s["input"] == "x1"]
    assert 98.0 in x1
    path = doc["path"]
    assert sorted((s["input"], s["target"]) for s in path["steps"]) == [("cn", 4.0), ("x1", 98.0)]
    assert _reaches(rs, region, path)


def _grid(ruleset: Ruleset) -> list[float]:
    """Whole percents and every band edge with its neighbours at two decimals."""
    cuts = {
        round(c + d, 2)
        for step in ruleset.plan.steps
        for c in getattr(getattr(step, "scoring", None), "cuts", ())
        if math.isfinite(c)
        for d in (-0.01, 0.0, 0.01)
    }
    return sorted({float(v) for v in range(101)} | {v for v in cuts if 0 <= v <= 100})


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_random_rulesets_the_path_reaches_and_no_fewer_inputs_do(data: st.DataObject) -> None:
    # Random rulesets (`indikator.testing.rulesets`): the path, applied and re-evaluated,
    # reaches its tier with its score; a brute force over whole percents and band edges
    # finds no path with fewer inputs, and none at all when the path says there is none.
    text = data.draw(rulesets(max_inputs=2))
    text = text.replace("{ scale", "{ region kode  scale", 1).replace(
        "\n", "\ninput kode: text\n", 1
    )
    rs = loads(text)
    region = {**data.draw(inputs_for(rs, region_id="01")), "kode": "01"}
    other = {**data.draw(inputs_for(rs, region_id="02")), "kode": "02"}
    table = {k: [region[k], other[k]] for k in region}
    try:
        results = rs.evaluate_many(table)
    except DataError:
        return
    path = next_tier(rs, results, "01", lang="id").to_dict().get("path")
    if path is None:  # at the top, or no score
        return
    target = int(results.tier_codes[0]) + 1
    names = [s.name for s in rs.plan.inputs if s.kind != "text"]
    if path["outcome"] == "found":
        assert _reaches(rs, region, path)
        changed = {**region, **{s["input"]: s["target"] for s in path["steps"]}}
        after = rs.evaluate_many({k: [v] for k, v in changed.items()})
        assert after.total[0] == pytest.approx(path["score"])
    fewest = None
    for size in range(1, len(names) + 1):
        for chosen in itertools.combinations(names, size):
            rows = [{**region, **dict(zip(chosen, values, strict=True))}
                    for values in itertools.product(_grid(rs), repeat=size)]  # fmt: skip
            rows = [{**r, "kode": str(i)} for i, r in enumerate(rows)]
            codes = rs.evaluate_many({k: [r[k] for r in rows] for k in region}).tier_codes
            if (np.asarray(codes) >= target).any():
                fewest = size
                break
        if fewest is not None:
            break
    if fewest is None:
        assert path["outcome"] != "found" or len(path["steps"]) > len(names)
    else:
        assert path["outcome"] == "found"
        assert len(path["steps"]) <= fewest


def test_only_the_rung_the_path_takes_is_marked_on_the_path() -> None:
    # The path takes x -> 60; the other rung of x (100, full points) is not on it.
    rs = loads("""
ruleset t { scale 0 to 60  region kode }
input kode: text
input x: percent { agency "A" better higher missing zero }
indicator a = linear x from 0 to 100 onto 0 to 50
indicator b = bands x { [0, 100] -> 10 }
group total = sum(a, b)
tiers on total { low "Low" [0, 40) high "High" [40, 60] }
""")
    text = _doc(rs, {"kode": ["01"], "x": [40]}).to_text()
    # High needs a = 30: x = 60; the full points (x = 100) are another rung.
    assert "x [x]: 40 % -> 60 % (a), +10, 0.5 per unit  [on the path]" in text
    assert "x [x]: 40 % -> 100 % (a), +30, 0.5 per unit\n" in text + "\n"


def test_an_open_count_is_searched_as_far_as_the_formula_needs() -> None:
    # A count without a range, tried value by value up to 20 only: High (n = 20 000) was
    # called unreachable, with fifteen rungs of +0.001 instead.
    rs = loads("""
ruleset t { scale 0 to 30  region kode }
input kode: text
input n: count { better higher missing zero }
indicator i = clamp(n / 1000, 0, 30)
tiers on i { low "Low" [0, 20) high "High" [20, 30] }
""")
    doc = _doc(rs, {"kode": ["01", "02"], "n": [5, 7]}).to_dict()
    assert [(s["input"], s["target"]) for s in doc["path"]["steps"]] == [("n", 20000.0)]
    assert sorted(s["target"] for a in doc["steps"] for s in a["steps"]) == [20000.0, 30000.0]
