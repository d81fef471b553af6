"""Values to reach (`next`): per-input steps and the cheapest path, against brute force.

The brute force here is independent of `steps`/`path`: it evaluates every combination of
values of the inputs (whole percents, every option, yes and no) with `evaluate_many` and
finds the fewest inputs that must change for the region to reach the next tier.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indikator import load, loads
from indikator.advice import next_tier
from indikator.probe import Probe
from indikator.ruleset import Ruleset
from indikator.tables import read_table

ROOT = Path(__file__).parents[2]

# Bands with closed and open ends, a lower-is-better input, options, a yes/no gate, a mean
# group, a `let` and a group rounded half up: every kind of step in a few inputs.
SMALL = loads("""
ruleset t { scale 0 to 70  region kode }
input kode: text
input a "A": percent { agency "Dinkes" better higher missing zero }
input b "B": percent { agency "Dikbud" better lower missing zero }
input o "O": option("none", "draft", "law") { agency "DP3A" missing zero }
input y "Y": yesno { agency "Bappeda" missing zero }
let half = a / 2
indicator ia = bands half { [0, 25) -> 0  [25, 40) -> 20  [40, 50] -> 40 }
indicator ib = bands b { [0, 10] -> 30  (10, 20] -> 15  (20, 100] -> 0 }
indicator io = options o { "none" -> 0  "draft" -> 10  "law" -> 30 }
group g = mean(ib, io) max 30
group total = sum(ia, g) round half_up 0
tiers on total {
  low "Low" [20, 45)
  mid "Mid" [45, 60)
  high "High" [60, 70] requires y "Y holds"
}
""")

INPUTS = ("a", "b", "o", "y")
VALUES = {"a": range(101), "b": range(101), "o": ("none", "draft", "law"), "y": ("ya", "tidak")}


def _table(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    return {k: [r[k] for r in rows] for k in rows[0]}


def _brute(ruleset: Ruleset, region: Mapping[str, Any], target: int) -> int | None:
    """The fewest inputs to change (to any value) for tier code `target` or higher."""
    for size in range(1, len(INPUTS) + 1):
        for chosen in itertools.combinations(INPUTS, size):
            rows = [
                {**region, **dict(zip(chosen, values, strict=True)), "kode": str(i)}
                for i, values in enumerate(itertools.product(*(VALUES[n] for n in chosen)))
            ]
            codes = ruleset.evaluate_many(_table(rows)).tier_codes
            if (np.asarray(codes) >= target).any():
                return size
    return None


def _apply(region: Mapping[str, Any], plan_dict: Mapping[str, Any]) -> dict[str, Any]:
    """The region with the path's changes, written as a table cell would be."""
    changed = dict(region)
    for step in plan_dict["path"]["steps"]:
        value = step["target_shown"]
        if step["kind"] == "percent":
            value = float(step["target"])
        elif step["kind"] == "yesno":
            value = "ya" if step["target"] == 1.0 else "tidak"
        changed[step["input"]] = value
    return changed


def _next(region: Mapping[str, Any]) -> tuple[dict[str, Any], int]:
    results = SMALL.evaluate_many(_table([{"kode": "01", **region}]))
    plan = next_tier(SMALL, results, "01", lang="en")
    return plan.to_dict(), int(results.tier_codes[0])


def test_band_edges_closed_open_and_through_a_let() -> None:
    # a = 60: half = 30, band [25, 40) -> 20; next band at half = 40, a = 80 (closed: 80).
    # b = 15: (10, 20] -> 15; better lower, next band [0, 10] -> b = 10 (closed).
    # mean(ib, io) max 30: ib 15, io 10 (draft) -> 12.5; b to 10: (30 + 10) / 2 = 20, +7.5;
    # total = 20 + 12.5 = 32.5 -> 33 (half up); b to 10: 20 + 20 = 40, +7.
    doc, code = _next({"a": 60, "b": 15, "o": "draft", "y": "tidak"})
    steps = {(s["input"], s["target"]): s for a in doc["steps"] for s in a["steps"]}
    assert code == 1  # Low
    assert steps[("a", 80.0)]["gain"] == 20.0  # ia 20 -> 40
    assert steps[("b", 10.0)]["gain"] == 7.0  # 33 -> 40 after rounding
    assert steps[("o", 2.0)]["target_shown"] == "law"
    assert steps[("o", 2.0)]["gain"] == 10.0  # io 10 -> 30: mean +10: 33 -> 43 (32.5 + 10)
    assert ("y", 1.0) not in steps or steps[("y", 1.0)]["gain"] == 0.0


def test_an_open_edge_asks_for_the_next_value_of_the_data() -> None:
    # b = 25 in (20, 100] -> 0; the next band (10, 20] starts just below 20 inclusive: 20.
    doc, _ = _next({"a": 0, "b": 25, "o": "none", "y": "tidak"})
    b = [s for a in doc["steps"] for s in a["steps"] if s["input"] == "b"]
    assert [s["target"] for s in b] == [20.0, 10.0]
    # b = 20.5 with one decimal in the data: (10, 20] is reached at 20.
    rs = SMALL
    results = rs.evaluate_many({"kode": ["01", "02"], "a": [0, 0], "b": [20.5, 30],
                                "o": ["none"] * 2, "y": ["tidak"] * 2})  # fmt: skip
    doc = next_tier(rs, results, "01", lang="en").to_dict()
    b = [s for a in doc["steps"] for s in a["steps"] if s["input"] == "b"]
    assert b[0]["target"] == 20.0


def test_open_lower_edge_needs_one_more_unit_of_the_data() -> None:
    rs = loads("""
ruleset u { scale 0 to 10  region kode }
input kode: text
input x: percent { better higher missing zero }
indicator s = bands x { [0, 85] -> 0  (85, 100] -> 10 }
tiers on s { ok "OK" [10, 10] }
""")
    results = rs.evaluate_many({"kode": ["01", "02"], "x": [81.18, 50]})
    doc = next_tier(rs, results, "01", lang="id").to_dict()
    assert doc["path"]["steps"][0]["target"] == 85.01  # two decimals in the data
    assert doc["path"]["steps"][0]["target_shown"] == "85,01 %"
    results = rs.evaluate_many({"kode": ["01"], "x": [81]})
    doc = next_tier(rs, results, "01", lang="id").to_dict()
    assert doc["path"]["steps"][0]["target"] == 86.0  # whole numbers in the data


def test_a_gate_no_input_can_pass_is_named() -> None:
    rs = loads("""
ruleset v { scale 0 to 10  region kode }
input kode: text
input x: percent { better higher missing zero }
input z: percent { missing zero }
indicator s = linear x from 0 to 100 onto 0 to 10
tiers on s { ok "OK" [5, 10] requires z > 100 "Z over the top" }
""")
    results = rs.evaluate_many({"kode": ["01"], "x": [10], "z": [3]})
    plan = next_tier(rs, results, "01", lang="en")
    doc = plan.to_dict()
    assert doc["path"]["outcome"] == "unreachable"
    assert doc["path"]["blocked"] == ["OK: Z over the top"]
    assert "Z over the top" in plan.to_text()


def test_the_kla_example_names_the_value_to_reach() -> None:
    rs = load(ROOT / "rulesets/kla/2025.ikr")
    results = rs.evaluate_many(read_table(ROOT / "examples/kla_2025.csv"))
    plan = next_tier(rs, results, "9914", lang="id")
    # By hand: 595.84 (Pratama), Madya from 601. wajib_belajar 88.06 % is in the band
    # [85, 90) of i18 (35 points); 90 % gives the top band (50): +15 -> 610.84, a change
    # of 1.94 points of percent. Child marriage (linear, better lower) needs less: 9.23 %
    # -> 7.88 % gives +5.19 -> 601.03, a change of 1.35 (7.89 % gives 600.99).
    path = plan.to_dict()["path"]
    assert path["outcome"] == "found"
    assert [(s["input"], s["current"], s["target"], s["gain"]) for s in path["steps"]] == [
        ("perkawinan_anak", 9.23, 7.88, 5.19)
    ]
    assert path["score"] == 601.03
    text = plan.to_text()
    assert "9,23 % -> 7,88 %" in text
    assert "88,06 % -> 90 %" in text
    assert "81,18 % -> 85 %" in text  # birth certificates: the next band of i04


@settings(max_examples=25, deadline=None)
@given(
    a=st.integers(0, 100),
    b=st.integers(0, 100),
    o=st.sampled_from(["none", "draft", "law"]),
    y=st.sampled_from(["ya", "tidak"]),
)
def test_the_path_reaches_and_nothing_smaller_does(a: int, b: int, o: str, y: str) -> None:
    region = {"a": a, "b": b, "o": o, "y": y}
    doc, code = _next(region)
    path = doc.get("path")
    if path is None:  # at the top
        assert code == 3
        return
    target = code + 1
    fewest = _brute(SMALL, {"kode": "01", **region}, target)
    if path["outcome"] == "found":
        changed = _apply({"kode": "01", **region}, doc)
        after = SMALL.evaluate_many(_table([changed]))
        assert int(after.tier_codes[0]) >= target
        assert after.total[0] == pytest.approx(path["score"])
        assert fewest == len(path["steps"])
    else:
        assert path["outcome"] == "unreachable"
        assert fewest is None


def test_a_linear_step_on_the_path_is_cut_back_to_what_the_tier_needs() -> None:
    rs = loads("""
ruleset w { scale 0 to 100  region kode }
input kode: text
input x: percent { agency "Dinkes" better higher missing zero }
input y: percent { agency "Dikbud" better higher missing zero }
indicator ix = linear x from 0 to 100 onto 0 to 50
indicator iy = linear y from 0 to 100 onto 0 to 50
group total = sum(ix, iy) round half_up 0
tiers on total { ok "OK" [60, 100] }
""")
    # x = y = 40: 20 + 20 = 40; OK needs 60. Each step alone: full points, +30 (-> 70).
    # The tier needs ix = 39.5 (59.5 rounds half up to 60): x = 79 with whole-number data.
    results = rs.evaluate_many({"kode": ["01"], "x": [40], "y": [40]})
    doc = next_tier(rs, results, "01", lang="en").to_dict()
    steps = {s["input"]: s["target"] for a in doc["steps"] for s in a["steps"]}
    assert steps == {"x": 100.0, "y": 100.0}
    [step] = doc["path"]["steps"]
    assert (step["target"], step["gain"], doc["path"]["score"]) == (79.0, 20.0, 60.0)
    # With one decimal in the data: 79.0 is the least with one decimal too (78.9: 59.45 -> 59).
    results = rs.evaluate_many({"kode": ["01", "02"], "x": [40, 0.5], "y": [40, 0]})
    [step] = next_tier(rs, results, "01", lang="en").to_dict()["path"]["steps"]
    assert step["target"] == 79.0


def test_steps_are_grouped_by_agency_and_ranked_per_unit_and_the_stuck_named() -> None:
    rs = loads("""
ruleset s { scale 0 to 60  region kode  name nama }
input kode: text
input nama: text
input x: percent { agency "Dinkes" better higher missing zero }
input y: percent { agency "Dinkes" better higher missing zero }
input u: percent { agency "Dikbud" better higher missing zero }
input v: percent { agency "Dikbud" better higher missing zero }
indicator ix = bands x { [0, 50) -> 0  [50, 100] -> 10 }
indicator iy = bands y { [0, 90) -> 0  [90, 100] -> 20 }
indicator both "Both" = if u >= 50 and v >= 50 then 30 else 0
group total = sum(ix, iy, both)
tiers on total { ok "OK" [60, 60] }
rank r "Rank" = total desc ties kode asc
""")
    table = {"kode": ["01", "02", "03"], "nama": ["A", "B", "C"],
             "x": [40, 60, 60], "y": [80, 95, 80], "u": [0, 0, 0], "v": [0, 0, 0]}  # fmt: skip
    results = rs.evaluate_many(table)
    plan = next_tier(rs, results, "01", lang="en")
    doc = plan.to_dict()
    # x 40 -> 50: +10 over 10 points = 1 per unit; y 80 -> 90: +20 over 10 = 2 per unit.
    [dinkes] = doc["steps"]
    assert dinkes["agency"] == "Dinkes"
    assert [(s["input"], s["target"], s["gain"], s["per_unit"]) for s in dinkes["steps"]] == [
        ("y", 90.0, 20.0, 2.0), ("x", 50.0, 10.0, 1.0),
    ]  # fmt: skip
    assert doc["stuck"] == ["both"]  # u or v alone never gives its 30 points
    # At most 30 without 'both', but u and v at 50 together give it: not unreachable, and
    # joint changes are not searched (said so).
    assert doc["path"]["outcome"] == "joint"
    # Totals: 01 0 + 0 + 0 = 0; 02 10 + 20 = 30 (first); 03 10 (second). 01 is third,
    # 10 points behind 03.
    [rank] = doc["ranks"]
    assert (rank["position"], rank["ahead"], rank["ahead_position"], rank["gap"]) == (
        3, "C (03)", 2, 10.0,
    )  # fmt: skip
    assert "Rank: 3; C (03) (rank 2) is 10 points of total ahead" in plan.to_text()
    top = next_tier(rs, results, "02", lang="id").to_dict()["ranks"][0]
    assert (top["position"], top["ahead"]) == (1, None)


def test_the_kks_odf_requirement_names_the_share_to_reach() -> None:
    # Kab. Contoh Bakau (9902): 80.64 points is enough for Padapa (from 71) but ODF is 49 %
    # and Padapa requires at least 80 % (odf_padapa): one step, 49 % -> 80 %, passes it.
    rs = load(ROOT / "rulesets/kks/2025.ikr")
    results = rs.evaluate_many(read_table(ROOT / "examples/kks_2025.csv"))
    doc = next_tier(rs, results, "9902", lang="id").to_dict()
    [step] = doc["path"]["steps"]
    assert (step["input"], step["current_shown"], step["target_shown"]) == ("odf", "49 %", "80 %")
    assert step["requirements"] == ["Swasti Saba Padapa: Desa/kelurahan ODF mencapai syarat Padapa"]


def test_a_variant_the_evaluator_refuses_does_not_sink_the_others() -> None:
    rs = loads("""
ruleset z { scale 0 to 10  region kode }
input kode: text
input x: percent { better higher missing zero }
input y: count { range 0 to 10 missing zero }
let r = x / y
indicator s = bands r { [-inf, 5) -> 0  [5, inf] -> 10 }
tiers on s { ok "OK" [10, 10] }
""")
    results = rs.evaluate_many({"kode": ["01"], "x": [20], "y": [8]})
    env = Probe(rs.plan, results.env, 0).run([{"y": 0.0}, {"y": 2.0}, {"y": 5.0}])
    assert np.isnan(env["s"][0])  # 20 / 0: refused
    assert env["s"][1:].tolist() == [10.0, 0.0]  # 20 / 2 = 10; 20 / 5 = 4
    doc = next_tier(rs, results, "01", lang="en").to_dict()
    # r = 20 / 8 = 2.5; r >= 5 needs x = 40 (closed edge) or y = 4 (no direction declared:
    # both are searched; y = 0 is refused, not a step).
    steps = {(s["input"], s["target"]) for a in doc["steps"] for s in a["steps"]}
    assert steps == {("x", 40.0), ("y", 4.0)}


# Linear scoring, a weighted group, a `met when` threshold that a tier requires through
# met(), and a total rounded half up to whole numbers.
GATED = loads("""
ruleset g { scale 0 to 100  region kode }
input kode: text
input p: percent { agency "Dinkes" better higher missing zero }
input q: percent { agency "Dikbud" better lower missing zero }
input z: yesno { agency "DP3A" missing zero }
indicator ip = linear p from 20 to 80 onto 0 to 40 met when p >= 70
indicator iq = bands q { [0, 15] -> 30  (15, 40) -> 10  [40, 100] -> 0 }
indicator iz = if z then 30 else 0
group total = weighted(ip: 50, iq: 25, iz: 25) max 100 round half_up 0
tiers on total {
  mid "Mid" [40, 70)
  top "Top" [70, 100] requires met(ip) "P at 70 % or more"
}
""")
GATED_VALUES = {"p": range(101), "q": range(101), "z": ("ya", "tidak")}


def _brute_gated(region: Mapping[str, Any], target: int) -> int | None:
    names = tuple(GATED_VALUES)
    for size in range(1, len(names) + 1):
        for chosen in itertools.combinations(names, size):
            rows = [
                {**region, **dict(zip(chosen, values, strict=True)), "kode": str(i)}
                for i, values in enumerate(itertools.product(*(GATED_VALUES[n] for n in chosen)))
            ]
            if (np.asarray(GATED.evaluate_many(_table(rows)).tier_codes) >= target).any():
                return size
    return None


@settings(max_examples=20, deadline=None)
@given(p=st.integers(0, 100), q=st.integers(0, 100), z=st.sampled_from(["ya", "tidak"]))
def test_with_linear_weights_and_a_met_gate_the_path_is_as_short_as_brute_force(
    p: int, q: int, z: str
) -> None:
    region = {"kode": "01", "p": p, "q": q, "z": z}
    results = GATED.evaluate_many(_table([region]))
    code = int(results.tier_codes[0])
    doc = next_tier(GATED, results, "01", lang="en").to_dict()
    path = doc.get("path")
    if path is None:
        assert code == 2
        return
    fewest = _brute_gated(region, code + 1)
    if path["outcome"] == "found":
        after = GATED.evaluate_many(_table([_apply(region, doc)]))
        assert int(after.tier_codes[0]) >= code + 1
        assert fewest == len(path["steps"])
    else:
        assert fewest is None
