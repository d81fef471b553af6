"""Values worked out by division, next to an edge: the exact value decides the side.

A quotient is off by a unit or so in float64's last place, and at large magnitudes the
tolerance of an edge is only a few such units wide: where the float lies within its
error bound of a cut point, both paths work the row out again exactly (`exact`). Each
case below is worked out by hand with `Fraction`s, and each failed before that.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

import indikator
from tests.one_region import assert_same_values

HALF_QUANTUM, RELATIVE = Fraction(5, 10**10), Fraction(5, 10**16)


def tolerance(a: Fraction, b: Fraction) -> Fraction:
    """The language's rule: closer than this is the same decimal."""
    return max(HALF_QUANTUM, RELATIVE * max(abs(a), abs(b)))


def tier_of(source: str, row: dict[str, Any]) -> tuple[str, str]:
    """The tier of one row by the table path and by the one-region path."""
    ruleset = indikator.loads(source)
    many = ruleset.evaluate_many({key: [value] for key, value in row.items()}).region(0)
    one = ruleset.evaluate(row)
    assert_same_values(ruleset, row)
    return str(many.tier_name), str(one.tier_name)


# The case the differential test found: a mean group at 10^11, an edge 4.8e-5 above it.
MEAN_OF_SHARES = """\
ruleset gen { scale 0 to 700000000000 }
param p0 = 100000000000
param p1 = 0
param p2 = 355000000000
param p3 = 100000000000
input x0: percent { range 0 to 100 }
input x1: option("a", "b", "c") {  }
input x2: number { missing zero range 0 to 1 }
indicator i0 = bands x2 { [0, 1] -> p0 } round half_up 0
indicator i1 = options x1 { "a" -> p1, "b" -> p2, "c" -> p3 }
group total = mean(i0, i1) max 700000000000
tiers on total {
  t0 "T0" [0, 98591549295.7746]
  t1 "T1" (98591549295.7746, 700000000000]
}
"""


def test_a_mean_within_the_tolerance_below_an_edge_is_on_it() -> None:
    # i0 = 0 (x2 missing, policy zero), i1 = 10^11 of at most 3.55·10^11: the mean is
    # 7·10^11 · (0/10^11 + 10^11/(3.55·10^11)) / 2 = 7·10^12/71.
    total = Fraction(7 * 10**11) * (Fraction(0) + Fraction(10**11, 355 * 10**9)) / 2
    assert total == Fraction(7 * 10**12, 71)
    edge = Fraction("98591549295.7746")
    assert 0 < total - edge < tolerance(total, edge)  # the same decimal: T0's closed end
    row = {"x0": -0.0000000002, "x1": "c", "x2": None}
    assert tier_of(MEAN_OF_SHARES, row) == ("t0", "t0")


THIRDS = """\
ruleset gen {{ scale 0 to 1941211000 }}
input x0: option("a", "b") {{ }}
input x1: option("a", "b") {{ }}
input x2: option("a", "b") {{ }}
indicator i0 = options x0 {{ "a" -> 1, "b" -> 0 }}
indicator i1 = options x1 {{ "a" -> 1, "b" -> 0 }}
indicator i2 = options x2 {{ "a" -> 1, "b" -> 0 }}
group total = mean(i0, i1, i2) max 1941211000
tiers on total {{
  t0 "T0" [0, {edge}]
  t1 "T1" ({edge}, 1941211000]
}}
"""


@pytest.mark.parametrize(
    ("edge", "expected"),
    [
        # 1941211000/3 = 647070333.333333333…: 3.3·10⁻⁷ above the edge, beyond the
        # tolerance 5·10⁻¹⁶ · 647070333.3… = 3.24·10⁻⁷: above the edge (the float said on it).
        ("647070333.333333", "t1"),
        # 6.7·10⁻⁷ below this edge, beyond the tolerance again: below it.
        ("647070333.333334", "t0"),
        # 3.3·10⁻⁶ below: plainly below (no exact work needed, the same answer).
        ("647070333.33334", "t0"),
    ],
)
def test_a_mean_of_thirds_at_a_billion_next_to_an_edge(edge: str, expected: str) -> None:
    total = Fraction(1941211000) * (Fraction(1) + 0 + 0) / 3
    difference = total - Fraction(edge)
    above = difference >= tolerance(total, Fraction(edge))
    assert ("t1" if above else "t0") == expected
    row = {"x0": "a", "x1": "b", "x2": "b"}
    assert tier_of(THIRDS.format(edge=edge), row) == (expected, expected)


BAND_ON_A_QUOTIENT = """\
ruleset gen { scale 0 to 10 }
input x: number { range 0 to 10000000000 }
let r = x / 3
indicator i0 = bands r { [0, 710461001.333333] -> 0, (710461001.333333, 10000000000] -> 10 }
group total = sum(i0)
tiers on total {
  t0 "T0" [0, 5)
  t1 "T1" [5, 10]
}
"""


def test_a_band_edge_on_a_let_worked_out_by_division() -> None:
    # 2131383004/3 = 710461001.333333333…: 3.3·10⁻⁷ above the edge, within the
    # tolerance 5·10⁻¹⁶ · 710461001.3… = 3.55·10⁻⁷: on the edge, so the lower band (0).
    r = Fraction(2131383004, 3)
    edge = Fraction("710461001.333333")
    assert 0 < r - edge < tolerance(r, edge)
    ruleset = indikator.loads(BAND_ON_A_QUOTIENT)
    row = {"x": 2131383004}
    assert ruleset.evaluate_many({"x": [2131383004]}).region(0)["i0"] == 0.0
    assert ruleset.evaluate(row)["i0"] == 0.0
    assert tier_of(BAND_ON_A_QUOTIENT, row) == ("t0", "t0")


def test_a_value_far_from_every_edge_is_not_worked_out_again() -> None:
    from indikator import exact  # noqa: PLC0415

    ruleset = indikator.loads(THIRDS.format(edge="647070333.333333"))
    assert ruleset.plan.classification is not None
    cuts = ruleset.plan.classification.cuts
    assert exact.near_one(1941211000 / 3, cuts)
    assert not exact.near_one(647070333.334, cuts)
    assert not exact.near_one(647070333.332, cuts)


ROUNDED_QUOTIENT = """\
ruleset gen { scale 0 to 10 }
input x: number { range 0 to 10000000000 }
let r = x / 3 round up 6
indicator i0 = bands r { [0, 710461001.333333] -> 0, (710461001.333333, 10000000000] -> 10 }
group total = sum(i0)
tiers on total {
  t0 "T0" [0, 5)
  t1 "T1" [5, 10]
}
"""


def test_a_quotient_within_the_tolerance_of_a_decimal_rounds_from_that_decimal() -> None:
    # 710461001.333333333… is 710461001.333333 (within the tolerance, as above): rounded
    # up to 6 places it stays 710461001.333333; the float, a unit above, went to …334.
    r = Fraction(2131383004, 3)
    kept = Fraction("710461001.333333")
    assert 0 < r - kept < tolerance(r, kept)
    ruleset = indikator.loads(ROUNDED_QUOTIENT)
    row = {"x": 2131383004}
    assert ruleset.evaluate_many({"x": [2131383004]}).region(0)["r"] == 710461001.333333
    assert ruleset.evaluate(row)["r"] == 710461001.333333
    assert tier_of(ROUNDED_QUOTIENT, row) == ("t0", "t0")


COMPARED_QUOTIENT = """\
ruleset gen { scale 0 to 10 }
input x: number { range 0 to 10000000000 }
let above = x / 3 > 710461001.333333
let same = x / 3 == 710461001.333333
indicator i0 = if above then 10 else 0
group total = sum(i0)
tiers on total {
  t0 "T0" [0, 5)
  t1 "T1" [5, 10]
}
"""


def test_a_comparison_of_a_quotient_with_a_constant_is_decided_exactly() -> None:
    # 2131383004/3 is within the tolerance of 710461001.333333 (see above): equal to it,
    # so not above it.
    ruleset = indikator.loads(COMPARED_QUOTIENT)
    row = {"x": 2131383004}
    many = ruleset.evaluate_many({"x": [2131383004]}).region(0)
    one = ruleset.evaluate(row)
    assert (many["above"], many["same"]) == (0.0, 1.0)
    assert (one["above"], one["same"]) == (0.0, 1.0)
    assert tier_of(COMPARED_QUOTIENT, row) == ("t0", "t0")


MET_BY_A_QUOTIENT = """\
ruleset gen { scale 0 to 672087894.666667 }
input x: number { range 0 to 2016263684 }
indicator i0 = x / 3 max 672087894.666667
"""


def test_the_default_met_of_a_quotient_at_its_maximum_is_decided_exactly() -> None:
    # 2016263684/3 = 672087894.666666666…, 3.3·10⁻⁷ below the maximum 672087894.666667,
    # within the tolerance 5·10⁻¹⁶ · 672087894.7 = 3.36·10⁻⁷: at its maximum, so met.
    points, maximum = Fraction(2016263684, 3), Fraction("672087894.666667")
    assert 0 < maximum - points < tolerance(points, maximum)
    ruleset = indikator.loads(MET_BY_A_QUOTIENT)
    many = ruleset.evaluate_many({"x": [2016263684]}).region(0)
    one = ruleset.evaluate({"x": 2016263684})
    assert many["i0.met"] == one["i0.met"] == 1.0
    assert_same_values(ruleset, {"x": 2016263684})


@pytest.mark.parametrize(
    ("ruleset_path", "data_path"),
    [
        ("rulesets/kla/2025.ikr", "examples/kla_2025.csv"),
        ("tests/fixtures/tour.ikr", "tests/fixtures/tour.csv"),
    ],
)
def test_the_exact_values_agree_with_the_float_ones_away_from_edges(
    ruleset_path: str, data_path: str
) -> None:
    # The exact evaluation follows the same plan: on real data every step's value is the
    # float's within the tolerance, and every tier the same.
    from pathlib import Path  # noqa: PLC0415

    from indikator import exact  # noqa: PLC0415
    from indikator.tables import read_table  # noqa: PLC0415

    root = Path(__file__).resolve().parents[2]
    ruleset = indikator.load(root / ruleset_path)
    env = ruleset.evaluate_many(read_table(root / data_path), extra="ignore").env
    for row in range(len(env["tier"])):
        read = exact.reader(env, row)
        for step in ruleset.plan.steps:
            value, float_value = (
                exact.step_value(ruleset.plan, step.name, read),
                env[step.name][row],
            )
            if value is None:
                assert float_value != float_value  # noqa: PLR0124  # missing on both
            else:
                assert abs(value - float_value) < max(5e-10, 1e-15 * abs(value))
        assert exact.tier_raw(ruleset.plan, read) == env["tier.raw"][row]


COMPARED_COLUMNS = """\
ruleset gen { scale 0 to 10 }
input x: number { range 0 to 10000000000 }
input y: number { range 0 to 10000000000 }
let above = x / 3 > y
let same = x / 3 == y
indicator i0 = if above then 10 else 0
"""


def test_a_comparison_of_a_quotient_with_a_column_is_decided_exactly() -> None:
    # As above, with the edge in a column: 2131383004/3 equals 710461001.333333.
    ruleset = indikator.loads(COMPARED_COLUMNS)
    row = {"x": 2131383004, "y": 710461001.333333}
    many = ruleset.evaluate_many({key: [value] for key, value in row.items()}).region(0)
    one = ruleset.evaluate(row)
    assert (many["above"], many["same"]) == (0.0, 1.0)
    assert (one["above"], one["same"]) == (0.0, 1.0)
    assert_same_values(ruleset, row)
