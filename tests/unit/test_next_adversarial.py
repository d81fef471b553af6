"""`next` against adversarial rulesets: every claim re-checked with the evaluator.

Each test builds a small ruleset where a plausible shortcut of the advice would give a
wrong answer (a value past the declared range, a value far past the edge, a tier said to
be out of reach although a nearer step reaches it), and checks the answer by applying it
and evaluating the region again with `evaluate_many`, independently of `steps`/`path`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from indikator import loads
from indikator.advice import next_tier
from indikator.ruleset import Ruleset


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
