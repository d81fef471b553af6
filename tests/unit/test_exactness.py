"""Exact at every magnitude the checker accepts (`numeric`, language reference "Numbers").

Each case is a finding of the reliability review, worked out by hand: a value exactly on a
band or tier edge above 2^23 landed in the lower band, `10000000.1 + 0.2 == 10000000.3`
was false, half-even rounding of 8388608.005 gave 8388608.01, more than 127 tiers
overflowed the tier code, `round` to 26 or 309 places crashed or gave infinity.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import indikator
from indikator import check
from indikator.cli import main
from indikator.numeric import compare, cut, holds, round_one, round_to, tolerance

#: Edge magnitudes from the review: all above 2^23 ≈ 8.4 million went wrong.
EDGES = [
    "8388608",
    "9999999",
    "10000000",
    "123456789.5",
    "1000000000",
    "1000000000000",
    "123456789012345",
    "999999999999999",
    "1000000000000000",
]


def edge_rules(edge: str, top: str = "1000000000000000") -> str:
    return f"""
ruleset edge {{ scale 0 to 10 region kode }}
input kode: text
input anggaran "Anggaran (rupiah)": number {{ range 0 to {top} missing zero }}
indicator i = bands anggaran {{ [0, {edge}) -> 0  [{edge}, {top}] -> 10 }}
let ge = anggaran >= {edge}
let eq = anggaran == {edge}
tiers on i {{ ok "Memenuhi" [10, 10] }}
"""


@pytest.mark.parametrize("edge", EDGES)
def test_a_value_on_a_closed_edge_belongs_above_at_every_magnitude(edge: str) -> None:
    rules = indikator.loads(edge_rules(edge))
    below = str(Decimal(edge) - 1)
    table = {"kode": ["a", "b"], "anggaran": [float(edge), float(below)]}
    batch = rules.evaluate_many(table)
    # On the edge: [edge, top] -> 10, and `>=`/`==` agree with the band; one below: 0.
    assert batch["i"].tolist() == [10.0, 0.0]
    assert batch["ge"].tolist() == [1.0, 0.0]
    assert batch["eq"].tolist() == [1.0, 0.0]
    assert batch.tiers(lang="en") == ["Memenuhi", "No tier"]
    single = rules.evaluate({"kode": "a", "anggaran": float(edge)})
    assert (single.total, single["ge"], single.tier_name) == (10.0, 1.0, "ok")


def test_the_reviews_edge_file_through_the_cli(tmp_path: Path) -> None:
    (tmp_path / "edge.ikr").write_text(edge_rules("10000000", "1000000000000"), encoding="utf-8")
    (tmp_path / "edge.csv").write_text(
        "kode,anggaran\n3201,9999999\n3202,10000000\n3203,10000001\n", encoding="utf-8"
    )
    out = tmp_path / "out.csv"
    args = ["evaluate", str(tmp_path / "edge.ikr"), str(tmp_path / "edge.csv"), "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    rows = [line.split(",") for line in out.read_text(encoding="utf-8").splitlines()]
    column = rows[0].index("i")
    assert [float(row[column]) for row in rows[1:]] == [0.0, 10.0, 10.0]


def test_tier_edges_of_ten_and_fifteen_million() -> None:
    rules = indikator.loads("""
ruleset t { scale 0 to 20000000 region kode }
input kode: text
input x: number { range 0 to 20000000 missing zero }
indicator i = x max 20000000
tiers on i {
  below "Belum"
  pratama "Pratama" [10000000, 15000000)
  madya "Madya" [15000000, 20000000]
}
""")
    values = [9999999.0, 10000000.0, 14999999.0, 15000000.0, 20000000.0]
    batch = rules.evaluate_many({"kode": list("abcde"), "x": values})
    assert batch.tiers() == ["Belum", "Pratama", "Pratama", "Madya", "Madya"]
    for value, tier in zip(values, batch.tiers(), strict=True):
        assert rules.evaluate({"kode": "a", "x": value}).tier() == tier


def sums_rules() -> indikator.Ruleset:
    return indikator.loads("""
ruleset s { region kode }
input kode: text
input a: number { missing zero }
input b: number { missing zero }
input c: number { missing zero }
let sama = a + b == c
let paling_sedikit = a + b >= c
let genap = a round half_even 2
let naik = a round half_up 2
""")


@pytest.mark.parametrize(
    ("a", "b", "c"),
    [
        ("10000000.1", "0.2", "10000000.3"),  # false before: the float sum is 1.9e-9 above
        ("1000000.1", "0.2", "1000000.3"),
        ("123456789.1", "0.2", "123456789.3"),
        ("0.1", "0.2", "0.3"),
        ("99999999999999.9", "0.1", "100000000000000"),
    ],
)
def test_sums_of_decimals_equal_their_exact_total(a: str, b: str, c: str) -> None:
    assert Decimal(a) + Decimal(b) == Decimal(c)  # the premise, exactly
    row = {"kode": "x", "a": float(a), "b": float(b), "c": float(c)}
    batch = sums_rules().evaluate_many({k: [v] for k, v in row.items()})
    assert (batch["sama"][0], batch["paling_sedikit"][0]) == (1.0, 1.0)
    single = sums_rules().evaluate(row)
    assert (single["sama"], single["paling_sedikit"]) == (1.0, 1.0)


@pytest.mark.parametrize(
    "a", ["8388608.005", "1234567890.005", "600.005", "1.005", "-2.675", "999999999999.995"]
)
def test_rounding_is_decimal_rounding_at_every_magnitude(a: str) -> None:
    even = Decimal(a).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    up = Decimal(a).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    row = {"kode": "x", "a": float(a), "b": 0.0, "c": 0.0}
    batch = sums_rules().evaluate_many({k: [v] for k, v in row.items()})
    single = sums_rules().evaluate(row)
    assert batch["genap"][0] == single["genap"] == float(even)
    assert batch["naik"][0] == single["naik"] == float(up)


def test_rounding_by_hand() -> None:
    # 8388608.005 half-even: the 5 after 8388608.00 ties, and 0 is even -> 8388608.00;
    # half-up -> 8388608.01. 1234567890.005 alike. Review: half_even gave .01 for both.
    assert round_to(np.array([8388608.005, 1234567890.005]), 2, "half_even").tolist() == [
        8388608.0,
        1234567890.0,
    ]
    assert round_one(8388608.005, 2, "half_up") == 8388608.01
    # 2^52 and beyond have no fraction to round; infinity and NaN pass through.
    assert round_one(2.0**53, 0, "ceiling") == 2.0**53
    assert math.isnan(round_one(math.nan, 2, "floor"))
    assert round_to(np.array([math.inf, 1e300]), 9, "up").tolist() == [math.inf, 1e300]


# -- the tolerance, and the cut points that bands, tiers and comparisons share -----------


def test_tolerance_by_hand() -> None:
    # Half of 10^-9 up to 10^6; then half a unit in the 15th significant digit (5e-16 of it).
    assert tolerance(0.0) == tolerance(-80.0) == tolerance(1e6) == 5e-10
    assert tolerance(1e7) == pytest.approx(5e-9)
    assert tolerance(-1e15) == pytest.approx(0.5)


def test_distinct_fifteen_digit_decimals_stay_distinct() -> None:
    # 999999999999998 and 999999999999999 differ in the 15th digit: not equal, and the
    # smaller is below the larger; 0.000000001 apart is not equal either.
    assert not holds("==", 999999999999998.0, 999999999999999.0)
    assert holds("<", 999999999999998.0, 999999999999999.0)
    assert not holds("==", 1.000000001, 1.0)
    assert holds("==", 1e15 + 0.25, 1e15)  # beyond 15 digits: the same decimal


MAGNITUDES = st.integers(-6, 15).map(lambda e: 10.0**e)
DECIMALS = st.builds(
    lambda digits, exponent: float(Decimal(digits).scaleb(exponent)),
    st.integers(1, 10**15 - 1),
    st.integers(-9, 0),
).filter(lambda x: abs(x) <= 1e15)


@given(DECIMALS, st.sampled_from([">=", ">", "<=", "<", "==", "!="]))
def test_a_let_and_a_band_on_the_same_edge_agree(edge: float, op: str) -> None:
    # The edge itself, its float neighbours and values a tolerance away, on both sides.
    near = [edge, *np.nextafter(edge, [-math.inf, math.inf])]
    step = tolerance(edge)
    values = np.array([*near, edge - step, edge + step, edge - 2 * step, edge + 2 * step])
    held = compare(op, values, edge)
    assert held.tolist() == [float(holds(op, v, edge)) for v in values]
    if op in (">=", ">"):  # a band's cut: the value moves up past the cut exactly when it holds
        assert (values > cut(edge, op)).tolist() == (held == 1.0).tolist()
    assert held[0] == float(op in (">=", "<=", "=="))  # on the edge itself


@given(DECIMALS, DECIMALS)
def test_two_columns_compare_as_their_decimals(a: float, b: float) -> None:
    exact_a, exact_b = Decimal(repr(a)), Decimal(repr(b))
    both = (np.array([a]), np.array([b]))
    assert compare("==", *both)[0] == float(exact_a == exact_b)
    assert compare("<", *both)[0] == float(exact_a < exact_b)


# -- tiers: codes wider than a byte, and a limit the checker states -----------------------


def many_tiers(count: int, width: int = 10) -> str:
    lines = [f'  t{k} "T{k}" [{k * width}, {(k + 1) * width})' for k in range(count - 1)]
    last = count - 1
    lines.append(f'  t{last} "T{last}" [{last * width}, {count * width}]')
    return (
        f"ruleset t {{ scale 0 to {count * width} region kode }}\n"
        "input kode: text\n"
        f"input x: number {{ range 0 to {count * width} missing zero }}\n"
        f"indicator i = x max {count * width}\n"
        "tiers on i {\n" + "\n".join(lines) + "\n}\n"
    )


def test_three_hundred_tiers_classify_past_a_byte() -> None:
    rules = indikator.loads(many_tiers(300))
    # 1265 lies in [1260, 1270): T126 (code 127); 1275 in T127 (code 128, -128 as int8);
    # 2005 in T200; 2999 in the last, T299 (code 300).
    scores = [1265.0, 1275.0, 2005.0, 2999.0]
    batch = rules.evaluate_many({"kode": list("abcd"), "x": scores})
    assert batch.tiers() == ["T126", "T127", "T200", "T299"]
    assert batch.tier_codes.tolist() == [127, 128, 201, 300]
    assert [rules.evaluate({"kode": "a", "x": s}).tier() for s in scores] == batch.tiers()


def test_more_tiers_than_the_codes_hold_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check, "MOST_TIERS", 3)  # 32,767 in earnest: a 1 MB ruleset
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads(many_tiers(4))
    [problem] = caught.value.diagnostics
    assert problem.code == "IK413"
    assert "4 tiers: at most 3" in problem.message.render("en")


# -- the checker refuses what the evaluator cannot hold --------------------------------

HEAD = "ruleset r { region kode }\ninput kode: text\ninput x: number { missing zero }\n"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("let r = x round half_up 26", "IK412"),  # crashed in the checker
        ("let r = x round half_up 10", "IK412"),
        ("let r = round(x, 309)", "IK204"),  # overflowed 10.0**309
        ("let r = round(x, 308)", "IK204"),  # gave infinity, reached the top tier
        ("let r = x >= 0.0000000001", "IK412"),  # 10 places
        ("let r = x >= 1234567890123456", "IK411"),  # beyond 10^15
        ("let r = x >= 123456789012345.6", "IK412"),  # 16 significant digits
        ("param p = " + "9" * 40 + "\nlet r = x >= p", "IK411"),  # 40 digits: the longest
        ("param p = " + "9" * 5000 + "\nlet r = x >= p", "IK006"),  # crashed str() in IK411
    ],
)
def test_precision_beyond_the_evaluator_is_a_located_error(text: str, code: str) -> None:
    source = f"{HEAD}{text}\n"
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads(source, file="r.ikr")
    codes = {d.code for d in caught.value.diagnostics}
    assert code in codes, caught.value
    assert all(d.span is not None for d in caught.value.diagnostics)


@pytest.mark.parametrize(
    "number", ["0.000000001", "123456789012345", "99999999999999.9", "1000000000000000", "0.5"]
)
def test_every_decimal_within_the_limits_is_accepted(number: str) -> None:
    source = f"{HEAD}let r = x >= {number}\n"
    rules = indikator.loads(source)
    assert rules.evaluate({"kode": "a", "x": float(number)})["r"] == 1.0


# -- beyond float64: an error, never infinity carried on --------------------------------

OVERFLOW = """
ruleset o { region kode }
input kode: text
input a: number { missing zero }
input b: number { missing zero }
let r = a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a
indicator i = bands r { (-inf, 50) -> 0  [50, inf) -> 10 }
"""


def test_a_value_beyond_float64_is_a_located_error_on_both_paths() -> None:
    rules = indikator.loads(OVERFLOW)
    # (10^15)^21 = 10^315 > 1.8e308: before, r was inf and scored 10 with exit 0.
    with pytest.raises(indikator.DataError) as caught:
        rules.evaluate_many({"kode": ["ok", "big"], "a": [2.0, 1e15], "b": [3.0, 1.0]})
    [problem] = caught.value.problems
    assert (problem.code, problem.field, problem.count) == ("IK520", "r", 1)
    assert "big" in caught.value.render("en")
    with pytest.raises(indikator.DataError, match="IK520"):
        rules.evaluate({"kode": "big", "a": 1e15, "b": 1.0})
    assert rules.evaluate({"kode": "ok", "a": 2.0, "b": 1.0})["r"] == 2.0**21  # 2097152


def test_an_overflow_consumed_inside_one_expression_is_still_an_error() -> None:
    product = "a * " * 20 + "a"
    consumed = OVERFLOW.replace(f"let r = {product}", f"let r = if {product} > 1 then 60 else 0")
    rules = indikator.loads(consumed)
    with pytest.raises(indikator.DataError, match="IK520"):
        rules.evaluate_many({"kode": ["big"], "a": [1e15], "b": [1.0]})
    with pytest.raises(indikator.DataError, match="IK520"):
        rules.evaluate({"kode": "big", "a": 1e15, "b": 1.0})


def test_data_beyond_ten_to_the_fifteen_is_refused_on_both_paths() -> None:
    # The numbers held exactly end at 10^15 (as in a ruleset, IK411): 2^53 + 1 would be
    # read as 2^53 and 10^20 as a float with 16 digits of noise.
    rules = indikator.loads(HEAD + "let r = x >= 0\n")
    assert rules.evaluate({"kode": "a", "x": 1e15})["r"] == 1.0
    for value in (2**53 + 1, 1e20, -1e16):
        with pytest.raises(indikator.DataError, match="IK504"):
            rules.evaluate_many({"kode": ["a"], "x": [value]})
        with pytest.raises(indikator.DataError, match="IK504"):
            rules.evaluate({"kode": "a", "x": value})


def test_cells_are_read_as_the_decimal_they_stand_for() -> None:
    # 79.9999999999 (10 places) is 80; 2380000000.000001 (16 digits) is 2380000000.
    rules = indikator.loads(HEAD + "let r = x >= 80\nlet s = x == 2380000000\n")
    batch = rules.evaluate_many({"kode": ["a", "b"], "x": [79.9999999999, 2380000000.000001]})
    assert batch["x"].tolist() == [80.0, 2380000000.0]
    assert batch["r"].tolist() == [1.0, 1.0]
    assert batch["s"].tolist() == [0.0, 1.0]
    assert rules.evaluate({"kode": "b", "x": 2380000000.000001})["s"] == 1.0


def test_range_ends_at_large_magnitudes_use_the_same_tolerance() -> None:
    rules = indikator.loads("""
ruleset r { region kode }
input kode: text
input anggaran: number { range 0 to 1000000000000 missing zero }
let ada = anggaran >= 0
""")
    # 10^12 + 10^-4 is 10^12 at 15 significant digits (tolerance 5e-4): in range, as
    # `anggaran <= 1000000000000` says; 10^12 + 1 is not.
    inside = {"kode": ["a"], "anggaran": [1000000000000.0001]}
    assert rules.evaluate_many(inside)["ada"][0] == 1.0
    assert rules.evaluate({"kode": "a", "anggaran": 1000000000000.0001})["ada"] == 1.0
    for evaluate in (lambda v: rules.evaluate_many({"kode": ["a"], "anggaran": [v]}),
                     lambda v: rules.evaluate({"kode": "a", "anggaran": v})):  # fmt: skip
        with pytest.raises(indikator.DataError, match="IK504"):
            evaluate(1000000000001.0)


# -- differences, long sums and ranks: the independent check's findings ----------------


def test_a_difference_of_large_numbers_is_exact() -> None:
    # 1000000000.3 - 1000000000.2 is 0.100000024 in float64; as decimals it is 0.1, which
    # [0.1, inf) holds, as it does for 10.3 - 10.2.
    rules = indikator.loads("""
ruleset selisih { scale 0 to 10 region kode }
input kode: text
input pagu: number { range 0 to 1000000000000 missing zero }
input realisasi: number { range 0 to 1000000000000 missing zero }
let d = realisasi - pagu
let cukup = realisasi - pagu >= 0.1
indicator i = bands realisasi - pagu { (-inf, 0.1) -> 0  [0.1, inf) -> 10 }
""")
    table = {"kode": ["a", "b"], "pagu": [1000000000.2, 10.2], "realisasi": [1000000000.3, 10.3]}
    batch = rules.evaluate_many(table)
    assert batch["d"].tolist() == [0.1, 0.1]
    assert batch["cukup"].tolist() == [1.0, 1.0]
    assert batch["i"].tolist() == [10.0, 10.0]
    single = rules.evaluate({"kode": "a", "pagu": 1000000000.2, "realisasi": 1000000000.3})
    assert (single["d"], single["i"]) == (0.1, 10.0)


def test_linear_on_large_ends_lands_on_the_decimal() -> None:
    # x = 1000000000.3 lies 0.3 of the way from 10^9 to 10^9 + 1: 30 points, tier 'ok'.
    # Going down: 0.039999999 is 0.99999995 of the way, 10^9 * 0.00000005 = 50 left.
    rules = indikator.loads("""
ruleset lin { region kode }
input kode: text
input x: number { range 0 to 10000000000 missing zero }
input y: percent { missing zero }
indicator naik = linear x from 1000000000 to 1000000001 onto 0 to 100
indicator turun = linear y from 0.02 to 0.04 onto 1000000000 to 0
tiers on naik { below "Belum" ok "OK" [30, 100] }
""")
    row = {"kode": "a", "x": 1000000000.3, "y": 0.039999999}
    batch = rules.evaluate_many({k: [v] for k, v in row.items()})
    single = rules.evaluate(row)
    # Within float noise of the decimal (far inside the tolerance at 30 and 50).
    assert batch["naik"][0] == pytest.approx(30.0, abs=1e-12)
    assert batch["turun"][0] == pytest.approx(50.0, abs=1e-12)
    assert (single["naik"], single["turun"]) == (30.0, 50.0)
    assert batch.tiers() == [single.tier()] == ["OK"]


#: The independent check's 100 values (2 decimals, up to 10^5); they add up to 5252268.57.
FIXTURES = Path(__file__).parents[1] / "fixtures"
HUNDRED = [float(v) for v in (FIXTURES / "sum100.txt").read_text().split()]


def test_a_long_sum_of_decimals_is_their_exact_total() -> None:
    # Exactly 5252268.57, the lower edge of 'ok'; a plain float sum of these ends at
    # 5252268.569999995, below it by more than the tolerance there (2.6e-9).
    names = [f"x{k}" for k in range(100)]
    text = "ruleset s { region kode }\ninput kode: text\n"
    text += "".join(f"input {n}: number {{ range 0 to 100000 missing zero }}\n" for n in names)
    text += "".join(f"indicator i_{n} = {n} max 100000\n" for n in names)
    text += f"group total = sum({', '.join('i_' + n for n in names)})\n"
    text += 'tiers on total { below "Belum" ok "OK" [5252268.57, 10000000] }\n'
    rules = indikator.loads(text)
    row: dict[str, object] = {"kode": "a", **dict(zip(names, HUNDRED, strict=True))}
    assert sum(Decimal(repr(v)) for v in HUNDRED) == Decimal("5252268.57")
    batch = rules.evaluate_many({k: [v] for k, v in row.items()})
    assert batch.tiers() == [rules.evaluate(row).tier()] == ["OK"]


def test_equal_decimals_share_a_rank_and_go_to_the_tie_break() -> None:
    # A: 0.1 + 0.2 and B: 0.3 + 0 are both 0.3: tied, so the tie-break c (desc) decides:
    # B (c = 5) first, A (c = 1) second. Before: A first by float noise, c never read.
    rules = indikator.loads("""
ruleset peringkat { region kode }
input kode: text
input a: number { range 0 to 100 missing zero }
input b: number { range 0 to 100 missing zero }
input c: number { range 0 to 100 missing zero }
indicator skor = a + b max 200
rank r = skor desc ties c desc
rank tanpa = skor desc
""")
    batch = rules.evaluate_many({"kode": ["A", "B"], "a": [0.1, 0.3], "b": [0.2, 0.0], "c": [1, 5]})
    assert batch["r"].tolist() == [2.0, 1.0]
    assert batch["tanpa"].tolist() == [1.0, 1.0]


def test_parameters_may_be_numpy_floats() -> None:
    rules = indikator.loads(HEAD + "param t = 80\nlet r = x >= t\n")
    changed = rules.with_params({"t": np.float64(80.1)})
    assert changed.evaluate({"kode": "a", "x": 80.1})["r"] == 1.0
    assert changed.evaluate({"kode": "a", "x": 80.0})["r"] == 0.0


def test_quotients_equal_as_decimals_tie_in_ranks() -> None:
    # 1.000000001 / 2 and 3.000000003 / 6 are both 0.5000000005; their floats differ in
    # the last bit, on either side of the 10th decimal's half. Equal scores, equal ranks.
    rules = indikator.loads("""
ruleset bagi { region kode }
input kode: text
input a: number { range 0 to 100 missing zero }
input b: number { range 1 to 100 missing zero }
indicator skor = clamp(a / b, 0, 10) max 10
rank r = skor desc
""")
    batch = rules.evaluate_many({"kode": ["A", "B"], "a": [1.000000001, 3.000000003], "b": [2, 6]})
    assert batch["r"].tolist() == [1.0, 1.0]


# -- the second independent check: the grid where float64 cannot tell the side ---------


def test_a_difference_below_the_grid_rounds_as_its_decimals_say() -> None:
    # 993709808229000 - 0.500001 = 993709808228999.499999, on the grid of the larger
    # operand (whole numbers) 993709808228999: below the edge. float64 holds ...999.5,
    # which half-even took to ...9000 and the tier 'OK'.
    rules = indikator.loads("""
ruleset selisih { scale 0 to 10 region kode }
input kode: text
input pagu: number { range 0 to 1000000000000000 missing zero }
input sisa: number { range 0 to 1000 missing zero }
let d = pagu - sisa
indicator i = bands pagu - sisa { (-inf, 993709808229000) -> 0  [993709808229000, inf) -> 10 }
tiers on i { below "Belum" ok "OK" [10, 10] }
""")
    row = {"kode": "1", "pagu": 993709808229000.0, "sisa": 0.500001}
    batch = rules.evaluate_many({k: [v] for k, v in row.items()})
    assert batch["d"].tolist() == [993709808228999.0]
    assert batch.tiers() == [rules.evaluate(row).tier()] == ["Belum"]


@pytest.mark.parametrize(
    ("a", "b", "exact"),
    [
        ("4734900000.03337", "0.0000048", "4734900000.03337"),  # ...0333748: .48 of a unit
        ("-8.553362921", "842514816948376", "842514816948367"),  # ...367.4466
        ("0.006094455", "-328699999.999999", "-328699999.993905"),  # ...993904545
    ],
)
def test_sums_near_half_a_unit_go_to_the_nearest_grid_point(a: str, b: str, exact: str) -> None:
    rules = indikator.loads(
        "ruleset t { region kode }\ninput kode: text\n"
        "input a: number { missing zero }\ninput b: number { missing zero }\nlet s = a + b\n"
    )
    row = {"kode": "1", "a": float(a), "b": float(b)}
    assert rules.evaluate_many({k: [v] for k, v in row.items()})["s"][0] == float(exact)
    assert rules.evaluate(row)["s"] == float(exact)


def test_a_long_cell_is_read_as_the_nearest_decimal_of_its_float() -> None:
    # 4734900000.0333748 (17 digits) is 4734900000.033374786... as a float: nearest 15-digit
    # decimal ...03337 (its shortest text, ...033375, would tie and go to ...03338).
    rules = indikator.loads(HEAD + "let r = x >= 4734900000.03338\n")
    batch = rules.evaluate_many({"kode": ["a"], "x": ["4734900000.0333748"]})
    assert batch["x"].tolist() == [4734900000.03337]
    assert batch["r"].tolist() == [0.0]


def test_the_documented_division_guard_guards() -> None:
    # errors.md (IK508) advises `if desa_total > 0 then percent_of(...) else 0`: the branch
    # not chosen must not fail the table. 3673: 0 villages -> 0; 3674: 8 of 10 -> 80.
    rules = indikator.loads("""
ruleset contoh { region kode }
input kode: text
input desa_odf: count { missing zero }
input desa_total: count { missing zero }
let persen_odf = if desa_total > 0 then percent_of(desa_odf, desa_total) else 0
let q = if desa_total == 0 then 0 else desa_odf / desa_total
""")
    table = {"kode": ["3673", "3674"], "desa_odf": [0, 8], "desa_total": [0, 10]}
    batch = rules.evaluate_many(table)
    assert batch["persen_odf"].tolist() == [0.0, 80.0]
    assert batch["q"].tolist() == [0.0, 0.8]
    single = rules.evaluate({"kode": "3673", "desa_odf": 0, "desa_total": 0})
    assert (single["persen_odf"], single["q"]) == (0.0, 0.0)
    unguarded = indikator.loads(HEAD + "input n: count { missing zero }\nlet q = x / n\n")
    with pytest.raises(indikator.DataError, match="IK508"):
        unguarded.evaluate_many({"kode": ["a"], "x": [1.0], "n": [0]})


def test_weights_that_miss_the_total_say_by_how_much() -> None:
    # The message once showed "add up to 100, not 100". 3 x 33.333333333 = 99.999999999 is
    # now within the tolerance (3 x 0.0000000005, issue 17); 3 x 33.33333333 is not.
    text = (
        "ruleset w { scale 0 to 100 }\n"
        + "".join(
            f"input {x}: percent {{ missing zero }}\nindicator i{x} = {x} max 100\n" for x in "abc"
        )
        + "group g = weighted(ia: W, ib: W, ic: W) max 100\n"
    )
    indikator.loads(text.replace("W", "33.333333333"))
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads(text.replace("W", "33.33333333"))
    assert "add up to 99.99999999, expected 100 (off by 0.00000001)" in caught.value.render("en")


# -- the third independent check -----------------------------------------------------------


def test_a_difference_of_two_constants_needing_the_exact_path_evaluates() -> None:
    # pagu - 0.500001 with pagu a parameter: both constants (0-d), and the exact path.
    rules = indikator.loads(HEAD + "param pagu = 993709808229000\nlet batas = pagu - 0.500001\n")
    batch = rules.evaluate_many({"kode": ["a", "b"], "x": [1.0, 2.0]})
    assert batch["batas"].tolist() == [993709808228999.0] * 2
    assert rules.evaluate({"kode": "a", "x": 1.0})["batas"] == 993709808228999.0


def test_linear_width_is_the_exact_difference_of_its_ends() -> None:
    # from 1000000000.3 to 1000000000.5: width 0.2 exactly (float64: 0.20000004768); x in
    # the middle scores 50 and reaches [50, 100].
    rules = indikator.loads("""
ruleset lin { region kode }
input kode: text
input x: number { range 0 to 10000000000 missing zero }
indicator i = linear x from 1000000000.3 to 1000000000.5 onto 0 to 100
tiers on i { below "Belum" a "A" [50, 100] }
""")
    batch = rules.evaluate_many({"kode": ["a"], "x": [1000000000.4]})
    assert batch["i"][0] == pytest.approx(50.0, abs=1e-12)
    assert batch.tiers() == [rules.evaluate({"kode": "a", "x": 1000000000.4}).tier()] == ["A"]


def test_tie_classes_start_at_their_smallest_and_stay_in_their_group() -> None:
    # 0.1000000001 (C), 0.1000000005 (B), 0.1000000009 (A): B is C's decimal (4e-10 apart),
    # A is not (8e-10 from C). Classes {C, B} and {A}: A first, then the tie-break b desc
    # puts C (3) before B (2). A region of another province changes nothing in this one.
    rules = indikator.loads("""
ruleset peringkat { region kode }
input kode: text
input prov: text
input a: number { range 0 to 1000 missing zero }
input b: number { range 0 to 100 missing zero }
indicator skor = a / 1000 max 1
rank r = skor desc ties b desc
rank p = skor desc within prov ties b desc
""")
    table = {"kode": list("ABC"), "prov": ["X"] * 3, "a": [100.0000009, 100.0000005, 100.0000001],
             "b": [1, 2, 3]}  # fmt: skip
    assert rules.evaluate_many(table)["r"].tolist() == [1.0, 3.0, 2.0]
    alone: dict[str, list[object]] = {
        "kode": ["A", "C"], "prov": ["X", "X"], "a": [100.0000009, 100.0000001], "b": [1, 3]
    }  # fmt: skip
    extra = {"kode": "B", "prov": "Y", "a": 100.0000005, "b": 2}  # another province
    other = {k: [*v, extra[k]] for k, v in alone.items()}
    assert rules.evaluate_many(alone)["p"].tolist() == [1.0, 2.0]
    assert rules.evaluate_many(other)["p"].tolist()[:2] == [1.0, 2.0]


def test_an_overflow_in_the_branch_not_chosen_is_no_error() -> None:
    # a^22: 2^22 = 4194304 for a = 2; (10^15)^22 overflows, but region 2 chooses 0.
    product = "a * " * 21 + "a"
    head = HEAD.replace("input x", "input a")
    rules = indikator.loads(f"{head}let p = if a < 1000 then {product} else 0\n")
    batch = rules.evaluate_many({"kode": ["1", "2"], "a": [2.0, 1e15]})
    assert batch["p"].tolist() == [2.0**22, 0.0]
    assert rules.evaluate({"kode": "2", "a": 1e15})["p"] == 0.0
    chosen = indikator.loads(f"{head}let p = if a > 0 then {product} else 0\n")
    with pytest.raises(indikator.DataError, match="IK520"):
        chosen.evaluate_many({"kode": ["3"], "a": [1e15]})


def test_a_cut_point_rounds_to_the_safe_side_of_its_exact_value() -> None:
    # Found by the oracle differential test: at 7.6e7 the tolerance (3.8e-8) is about 2.5
    # units in the last place, and edge + tolerance rounded to the *nearest* float was the
    # float of a total 5.3e-8 above the edge (exact 1937306125000/25331): that total fell in
    # the lower tier. The cut point now rounds down for `>`/`>=` and up for `<`/`<=`.
    edge = 76479654.3760609
    above = 76479654.37606095  # the float of 1937306125000 / 25331
    assert Fraction(above) - Fraction("76479654.3760609") > Fraction(5, 10**16) * Fraction(
        "76479654.3760609"
    )  # beyond the tolerance: above the edge by the decimal rule
    assert above > cut(edge, ">")
    # The differential test's case itself: a weighted total of 1937306125000/25331.
    case = """ruleset gen { scale 0 to 100000000 }
param p0 = 1000000
param p4 = 13880000
param p6 = 4020000
input x0: count { range 0 to 12 }
indicator i0 = linear x0 from 4 to 2 onto 4630000 to 11680000
indicator i1 = bands x0 { [0, 12] -> p0 }
indicator i2 = x0 * 250000 max 3000000 round half_up 0
indicator i3 = bands x0 { [0, 12] -> p0 } round half_up 0
indicator i4 = bands x0 { [0, 12] -> p0 }
indicator i5 = bands x0 { [0, 1) -> p0  [1, 3) -> p4  [3, 5) -> 0  [5, 12] -> p6 }
group total = weighted(i0: 18, i3: 1, i2: 4, i5: 15, i4: 14, i1: 48) max 100000000
tiers on total {
  t0 "T0" [0, 76479654.3760609]
  t1 "T1" (76479654.3760609, 100000000]
}"""
    ruleset = indikator.loads(case)
    results = ruleset.evaluate_many({"x0": [6.0]})
    assert float(results["total"][0]) == above
    assert results["tier"].tolist() == [2]
    assert ruleset.evaluate({"x0": 6}).tier() == "T1"
