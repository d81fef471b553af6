"""Hand-checked examples, run through both the exact oracle and indikator.

Every expected number below was worked out by hand (the working is in the comments),
so these cases check the oracle itself as well as the evaluator.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

import indikator
from indikator.syntax import parse
from tests.oracle import oracle_evaluate


def check(text: str, region: dict[str, object], expected: dict[str, str | None], tier: int) -> None:
    """Both evaluators give the hand-computed values (exactly for the oracle) and tier."""
    oracle = oracle_evaluate(parse(text), region)
    for name, value in expected.items():
        assert oracle.values[name] == (None if value is None else Fraction(value)), name
    assert oracle.tier_code == tier
    result = indikator.loads(text).evaluate(region)
    for name, value in expected.items():
        got = result[name]
        if value is None:
            assert got is None, name
        else:
            assert isinstance(got, float), name
            assert math.isclose(got, float(value), rel_tol=0, abs_tol=1e-9), name
    assert result.tier_code == tier


ROUNDED = """
ruleset rounded { scale 0 to 1000 }
input x: number { range 0 to 1000 }
indicator i = linear x from 0 to 1000 onto 0 to 1000 round MODE 2
group total = sum(i)
tiers on total { bawah "Bawah" [0, 600.01) atas "Atas" [600.01, 1000] }
"""


@pytest.mark.parametrize(
    ("mode", "value", "tier"),
    [
        # 600.005 is exact in decimal (the float is 600.00499999999999545...).
        # half_up: the dropped digit 5 rounds away from zero -> 600.01, which reaches
        # [600.01, 1000] -> tier 2.
        ("half_up", "600.01", 2),
        # half_even: the kept digit 0 is even -> 600.00 -> stays in [0, 600.01) -> tier 1.
        ("half_even", "600.00", 1),
        # half_down: exactly half rounds toward zero -> 600.00 -> tier 1.
        ("half_down", "600.00", 1),
        # ceiling: anything above 600.00 goes up -> 600.01 -> tier 2.
        ("ceiling", "600.01", 2),
    ],
)
def test_rounding_decides_the_tier(mode: str, value: str, tier: int) -> None:
    check(ROUNDED.replace("MODE", mode), {"x": "600.005"}, {"i": value, "total": value}, tier)


RENORMALISED = """
ruleset renorm { scale 0 to 100 }
input a: percent { missing zero }
input b: percent { missing exclude }
indicator ia = linear a from 0 to 100 onto 0 to 40
indicator ib = bands b { [0, 50) -> 10  [50, 100] -> 60 }
group total = sum(ia, ib)
tiers on total { cukup "Cukup" [50, 80) baik "Baik" [80, 100] }
"""


def test_sum_renormalises_over_present_members() -> None:
    # a = 75 -> ia = 40 * 75/100 = 30 (max 40); b missing with `exclude` -> ib dropped.
    # total = 30 / 40 * (40 + 60) = 75 -> [50, 80) -> tier 1.
    check(RENORMALISED, {"a": "75", "b": None}, {"ia": "30", "ib": None, "total": "75"}, 1)
    # Both present: b = 50 -> [50, 100] -> 60; total = 30 + 60 = 90 -> tier 2.
    check(RENORMALISED, {"a": 75, "b": 50}, {"ia": "30", "ib": "60", "total": "90"}, 2)
    # a missing with `zero` scores 0 and still counts: total = 0 + 60 = 60 -> tier 1.
    check(RENORMALISED, {"a": None, "b": 50}, {"ia": "0", "ib": "60", "total": "60"}, 1)
    # Every member gone? Only ib can be: a missing scores 0, so total = 0/40 * 100 = 0,
    # below the first tier -> code 0.
    check(RENORMALISED, {"a": None, "b": None}, {"ia": "0", "ib": None, "total": "0"}, 0)


WEIGHTED = """
ruleset weighted { scale 0 to 100 }
input p: count { range 0 to 10 }
input q: number { range 0 to 20 missing exclude }
indicator ip = linear p from 0 to 10 onto 0 to 10
indicator iq = linear q from 0 to 20 onto 0 to 20
group total = weighted(ip: 40, iq: 60) max 100 round half_up 1
tiers on total { madya "Madya" [50, 56) utama "Utama" [56, 100] }
"""


def test_weighted_group_and_its_renormalisation() -> None:
    # ip = 5 of 10 (0.5), iq = 12 of 20 (0.6): 100 * (40 * 0.5 + 60 * 0.6) / 100
    # = 20 + 36 = 56 -> reaches [56, 100] -> tier 2.
    check(WEIGHTED, {"p": 5, "q": "12"}, {"ip": "5", "iq": "12", "total": "56"}, 2)
    # q missing (exclude): 100 * (40 * 0.5) / 40 = 50 -> [50, 56) -> tier 1.
    check(WEIGHTED, {"p": 5, "q": None}, {"ip": "5", "iq": None, "total": "50"}, 1)
    # p = 7, q = 1: 40 * 0.7 + 60 * 0.05 = 28 + 3 = 31 -> below 50 -> code 0.
    check(WEIGHTED, {"p": 7, "q": 1}, {"total": "31"}, 0)
    # p = 6, q = 11.99: 40 * 0.6 + 60 * 0.5995 = 24 + 35.97 = 59.97 -> half_up 1 -> 60.0.
    check(WEIGHTED, {"p": 6, "q": "11.99"}, {"total": "60"}, 2)


INVERTED = """
ruleset inverted { scale 0 to 40 }
input kawin: percent { better lower }
indicator i = linear kawin from 20 to 0 onto 0 to 40
group total = sum(i)
tiers on total { sedang "Sedang" [20, 30) tinggi "Tinggi" [30, 40] }
"""


@pytest.mark.parametrize(
    ("kawin", "points", "tier"),
    [
        ("5", "30", 2),  # 40 * (20 - 5) / 20 = 30 -> exactly on the edge of [30, 40]
        ("5.000001", "29.999998", 1),  # 40 * 14.999999 / 20 = 29.999998: just under 30
        ("12.5", "15", 0),  # 40 * 7.5 / 20 = 15 -> below 20
        ("0", "40", 2),  # the best value scores the full 40
        ("25", "0", 0),  # beyond 20 (worse than the zero end): clamped to 0
    ],
)
def test_inverted_linear(kawin: str, points: str, tier: int) -> None:
    check(INVERTED, {"kawin": kawin}, {"i": points, "total": points}, tier)


GATED = """
ruleset gated { scale 0 to 100 }
input skor: percent
input perda: yesno { missing zero }
input odf: percent { missing exclude }
indicator i = linear skor from 0 to 100 onto 0 to 100
group total = sum(i)
tiers on total {
  below "Belum"
  pratama "Pratama" [40, 60) requires perda "Perda"
  madya "Madya" [60, 80)
  utama "Utama" [80, 100] requires odf >= 90
}
"""


@pytest.mark.parametrize(
    ("region", "tier"),
    [
        # 95 reaches utama and every gate holds -> 3.
        ({"skor": 95, "perda": "ya", "odf": 90}, 3),
        # odf 89.99 < 90: utama's gate fails, madya (60) is still reached -> 2.
        ({"skor": 95, "perda": "ya", "odf": "89.99"}, 2),
        # odf missing: the gate's condition is missing, so it is not met -> 2.
        ({"skor": 95, "perda": 1, "odf": None}, 2),
        # perda "tidak": pratama's gate fails, and gates are cumulative, so madya and
        # utama are out of reach too even though their own gates hold -> below (0).
        ({"skor": 95, "perda": "tidak", "odf": 100}, 0),
        # perda missing: missing condition -> not met -> 0 as well.
        ({"skor": 95, "perda": None, "odf": 100}, 0),
        # 39.999999 is under pratama's 40 -> 0 whatever the gates.
        ({"skor": "39.999999", "perda": "ya", "odf": 100}, 0),
    ],
)
def test_cumulative_gates_cap_the_tier(region: dict[str, object], tier: int) -> None:
    check(GATED, region, {"total": str(region["skor"])}, tier)


LOGIC = """
ruleset logic { scale 0 to 10 }
input x: percent { missing exclude }
input y: yesno { missing exclude }
indicator i = bands x { [0, 50) -> 1  [50, 80] -> 5  (80, 100] -> 10 }
let both = x >= 50 and y
let either = x >= 50 or y
group total = sum(i)
tiers on total { t "T" [5, 10] }
"""


@pytest.mark.parametrize(
    ("region", "expected", "tier"),
    [
        # 50 is in [50, 80] -> 5; and/or with y missing: true and missing -> missing,
        # true or missing -> true.
        ({"x": 50, "y": None}, {"i": "5", "both": None, "either": "1"}, 1),
        # 80 is still in [50, 80]; 80.000001 is in (80, 100] -> 10.
        ({"x": 80, "y": "ya"}, {"i": "5", "both": "1", "either": "1"}, 1),
        ({"x": "80.000001", "y": "tidak"}, {"i": "10", "both": "0", "either": "1"}, 1),
        # 49.999999 -> [0, 50) -> 1; false and missing -> false; false or missing -> missing.
        ({"x": "49.999999", "y": None}, {"i": "1", "both": "0", "either": None}, 0),
        # x missing (exclude): i is excluded, total has no member left -> missing, tier -1.
        ({"x": None, "y": "ya"}, {"i": None, "both": None, "either": "1", "total": None}, -1),
    ],
)
def test_bands_edges_and_missing_logic(
    region: dict[str, object], expected: dict[str, str | None], tier: int
) -> None:
    check(LOGIC, region, expected, tier)


PARAMS = """
ruleset params { scale 0 to 60 }
param w = 40
input akta: percent
indicator i = bands akta { [0, 50) -> 0  [50, 80) -> w  [80, 100] -> 60 }
group total = sum(i)
tiers on total { pratama "Pratama" [40, 60) utama "Utama" [60, 60] }
"""


@pytest.mark.parametrize(("params", "points", "tier"), [(None, "40", 1), ({"w": 35}, "35", 0)])
def test_parameters_and_their_overrides(
    params: dict[str, int] | None, points: str, tier: int
) -> None:
    # akta = 79.99 is in [50, 80) and scores w: 40 as written (-> [40, 60), tier 1),
    # 35 when loaded with w = 35 (under 40 -> code 0). The maximum stays 60 either way.
    oracle = oracle_evaluate(parse(PARAMS), {"akta": "79.99"}, params)
    assert oracle.values["i"] == Fraction(points)
    assert oracle.tier_code == tier
    result = indikator.loads(PARAMS, params=params).evaluate({"akta": "79.99"})
    assert result["i"] == float(points)
    assert result.tier_code == tier


UNREACHED_MAX = """
ruleset unreached { scale 0 to 100 }
input x: percent
input y: percent { missing exclude }
indicator i = x * 0.5 max 60
indicator j = bands y { [0, 50) -> 0  [50, 100] -> 20 }
group g = sum(i, j)
group total = mean(g) max 100
tiers on total { baik "Baik" [80, 100] }
"""


def test_a_sum_group_maximum_adds_the_declared_maxima() -> None:
    # i = 100 * 0.5 = 50 of a declared max 60 (it can never reach 60); j = 20 of 20.
    # g = 50 + 20 = 70, and its max is the sum of its members' maxima: 60 + 20 = 80.
    # total = 100 * (70 / 80) = 87.5 -> [80, 100] -> tier 1.
    check(UNREACHED_MAX, {"x": 100, "y": 60}, {"i": "50", "j": "20", "g": "70", "total": "87.5"}, 1)
