"""Sensitivity analysis: the findings of an independent adversarial check, each pinned.

`disagreements` compares the drawn plan, draw by draw, with the checker and the plain
evaluation of that draw's parameters (`loads(text, params=draw)`): the same draws kept,
the same maxima, every step and `.met`, and the tier.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from click.testing import CliRunner

from indikator import RulesetError, loads
from indikator import sensitivity as sensitivity_module
from indikator.cli import main
from indikator.drawn import lower_drawn
from indikator.sensitivity import _draw, drawn_parameters, sensitivity
from tests.drawn_check import Table, disagreements

# abs(): the checker's range of abs(x) starts at 0 (hull of r and -r, at least 0).
ABS = """
ruleset a { region kode }
input kode: text
input x: percent { range 50 to 100 }
param w = 50 assumed "centre" within 40 to 60
indicator s = 100 - abs(x - w)
tiers on s {
  rendah "rendah" [0, 90)
  tinggi "tinggi" [90, 100]
}
"""

# A band the subject cannot reach (e2 past 100 for a percent) gives no maximum.
DEAD_BAND = """
ruleset a { region kode }
input kode: text
input x: percent
param e2 = 95 assumed "edge" within 90 to 110
indicator s = bands x {
  [0, 50) -> 0
  [50, e2) -> 5
  [e2, 150] -> 10
}
tiers on s {
  rendah "rendah" [0, 5)
  tinggi "tinggi" [5, 10] requires met(s) "s met"
}
"""

# A weighted group's drawn `max`: its range is 0 to that maximum for what reads it.
GROUP_MAX = """
ruleset a { region kode }
input kode: text
input xa: yesno
input xb: yesno
param gm = 100 assumed "group top" within 80 to 120
indicator a = if xa then 10 else 0 max 10
indicator b = if xb then 10 else 0 max 10
group g = weighted(a: 50, b: 50) max gm
indicator t = g / 2
tiers on t {
  rendah "rendah" [0, 30)
  tinggi "tinggi" [30, 60] requires met(t) "t at its maximum"
}
"""

# round(): the checker keeps the range of its argument.
ROUND = """
ruleset a { region kode }
input kode: text
input x: yesno
param w = 7 assumed "points" within 6 to 8
indicator s = if x then round(w, 0) else 0
tiers on s {
  rendah "rendah" [0, 5)
  tinggi "tinggi" [5, 8] requires met(s) "s at its maximum"
}
"""

# A `let` with a `max`: a draw that takes it past its maximum is refused (IK410).
LET_MAX = """
ruleset a { region kode }
input kode: text
input x: percent
param k = 1 assumed "k" within 0.5 to 1.5
let l = x * k max 100
indicator s = bands l {
  (-inf, 50) -> 0
  [50, inf) -> 10
}
tiers on s {
  nol "nol" [0, 10)
  satu "satu" [10, 10]
}
"""


@pytest.mark.parametrize(
    ("text", "table", "draws"),
    [
        (ABS, {"kode": ["A"], "x": [59.0]}, [{"w": 45.0}, {"w": 55.0}, {"w": 40.0}]),
        (DEAD_BAND, {"kode": ["A"], "x": [60.0]}, [{"e2": 105.0}, {"e2": 99.0}, {"e2": 100.0}]),
        (GROUP_MAX, {"kode": ["A"], "xa": ["ya"], "xb": ["ya"]}, [{"gm": 80.0}, {"gm": 120.0}]),
        (ROUND, {"kode": ["A"], "x": ["ya"]}, [{"w": 7.4}, {"w": 6.5}]),
        (LET_MAX, {"kode": ["A"], "x": [90.0]}, [{"k": 1.2}, {"k": 0.8}, {"k": 1.0}]),
    ],
    ids=["abs", "dead_band", "group_max", "round", "let_max"],
)
def test_the_drawn_plan_agrees_with_the_checker_draw_by_draw(
    text: str, table: Table, draws: list[dict[str, float]]
) -> None:
    assert disagreements(text, table, draws) == []


# s = if x then w else 0 with w ~ U(-5, 10): the checker wants a positive maximum (IK410),
# so exactly the draws with w > 0 are used.
NON_POSITIVE = """
ruleset a { region kode }
input kode: text
input x: yesno
param w = 5 assumed "points" within -5 to 10
indicator s = if x then w else 0
tiers on s {
  nol "nol" [0, 5)
  satu "satu" [5, 10]
}
"""

# s = 10 - x * w with w ~ U(-1, 1): unbounded but for w = 0, so the checker refuses every
# draw: none is used, and no region is called sure or fragile.
UNBOUNDED = """
ruleset a { region kode }
input kode: text
input x: count
param w = 0 assumed "w" within -1 to 1
indicator s = 10 - x * w
tiers on s {
  nol "nol" [0, 5)
  satu "satu" [5, 10]
}
"""

# A band's high edge drawn: [0, hi) then [50, 100] overlaps or leaves a gap unless hi = 50.
HIGH_EDGE = """
ruleset a { region kode }
input kode: text
input x: percent
param hi = 50 assumed "top of band 1" within 40 to 60
indicator s = bands x {
  [0, hi) -> 0
  [50, 100] -> 10
}
tiers on s {
  nol "nol" [0, 10)
  satu "satu" [10, 10]
}
"""

# A band dead at the assumed e2 = 105 (a percent stops at 100) becomes reachable for
# e2 <= 100, and its 12 points exceed `max 10`: those draws are refused.
DEAD_OVER_MAX = """
ruleset a { region kode }
input kode: text
input x: percent
param e2 = 105 assumed "edge" within 95 to 110
indicator s = bands x {
  [0, 50) -> 0
  [50, e2) -> 5
  [e2, 150] -> 12
} max 10
tiers on s {
  rendah "rendah" [0, 5)
  tinggi "tinggi" [5, 10]
}
"""


def _drawn_values(text: str, draws: int, seed: int = 0) -> npt.NDArray[np.float64]:
    return _draw(drawn_parameters(loads(text)), draws, seed)


def test_draws_the_checker_refuses_are_left_out() -> None:
    table = {"kode": ["A", "B"], "x": ["ya", "tidak"]}
    result = sensitivity(loads(NON_POSITIVE), table, draws=200)
    assert result.used == int((_drawn_values(NON_POSITIVE, 200)[:, 0] > 0).sum())
    assert np.allclose(result.probability.sum(axis=1), 1.0)
    unbounded = sensitivity(loads(UNBOUNDED), {"kode": ["A"], "x": [3.0]}, draws=50)
    assert unbounded.used == 0
    assert np.isnan(unbounded.sure).all()
    assert unbounded.could_change == 0
    assert "nothing can be concluded" in unbounded.to_text("en")
    edge = sensitivity(loads(HIGH_EDGE), {"kode": ["A"], "x": [45.0]}, draws=50)
    assert edge.used == 0  # no continuous draw hits hi = 50 exactly
    over = sensitivity(loads(DEAD_OVER_MAX), {"kode": ["A"], "x": [100.0]}, draws=300)
    assert over.used == int((_drawn_values(DEAD_OVER_MAX, 300)[:, 0] > 100).sum())
    let = sensitivity(loads(LET_MAX), {"kode": ["A"], "x": [90.0]}, draws=300)
    # the checker bounds l by the input's range (x up to 100), not by the data: k <= 1
    assert let.used == int((_drawn_values(LET_MAX, 300)[:, 0] <= 1.0).sum())


# A range narrower than 10^-4: draws keep 12 significant digits. x = 0.000025 against an edge
# e ~ U(0.00001, 0.00003): "satu" when e <= x, probability (2.5 - 1) / 2 = 3/4.
NARROW = """
ruleset a { region kode }
input kode: text
input x: number { range 0 to 1 }
param e = 0.00002 assumed "edge" within 0.00001 to 0.00003
indicator s = bands x {
  [0, e) -> 0
  [e, 1] -> 1
}
tiers on s {
  nol "nol" [0, 1)
  satu "satu" [1, 1]
}
"""


def test_draws_keep_their_digits_in_narrow_and_huge_ranges() -> None:
    result = sensitivity(loads(NARROW), {"kode": ["A"], "x": [0.000025]}, draws=4000)
    assert result.probability[0, 2] == pytest.approx(0.75, abs=0.03)
    huge = NARROW.replace('within 0.00001 to 0.00003"', "").replace(
        "within 0.00001 to 0.00003", "within 1000000000000 to 3000000000000"
    )
    huge = (
        huge.replace("= 0.00002", "= 2000000000000")
        .replace("range 0 to 1", "range 0 to 5000000000000")
        .replace("[e, 1] -> 1", "[e, 5000000000000] -> 1")
    )
    values = _drawn_values(huge, 20)[:, 0]
    for value in values:  # each drawn value is a decimal the language reads back exactly
        loads(huge, params={"e": float(value)})
        assert float(repr(float(value))) == value


# More than 255 bands whose edges are drawn: the per-row band count must not wrap around.
def test_more_than_255_drawn_bands() -> None:
    rows = "\n".join(f"  [{k}, {k + 1}) -> {k}" for k in range(1, 300))
    text = f"""
ruleset a {{ region kode }}
input kode: text
input x: number {{ range 0 to 300 }}
param e = 0.5 assumed "edge" within 0.2 to 0.8
indicator s = bands x {{
  [0, e) -> 0
  [e, 1) -> 0
{rows}
  [300, 300] -> 300
}}
tiers on s {{
  nol "nol" [0, 100)
  satu "satu" [100, 300]
}}
"""
    table: Table = {"kode": ["A", "B"], "x": [280.0, 20.0]}
    assert disagreements(text, table, [{"e": 0.3}, {"e": 0.7}]) == []


# Tiers on a `let` (no maximum): no scale-back, and the run works as `evaluate` does.
def test_tiers_on_a_let_and_draws_that_fail_on_the_data() -> None:
    on_let = """
ruleset a { region kode }
input kode: text
input x: number { range 0 to 100 }
param w = 2 assumed "w" within 1 to 3
let l = x * w
tiers on l {
  nol "nol" [0, 100)
  satu "satu" [100, 300]
}
"""
    result = sensitivity(loads(on_let), {"kode": ["A"], "x": [40.0]}, draws=400, seed=1)
    # 40 w >= 100 exactly when w >= 2.5: probability 1/4
    assert result.probability[0, 2] == pytest.approx(0.25, abs=0.05)
    # A drawn divisor whose range crosses 0 gives no maximum: such a ruleset is refused by the
    # checker at any draw; a divisor that fails on one region's data only (x = w) is counted.
    divides = """
ruleset a { region kode }
input kode: text
input x: number { range 0 to 10 }
param w = 4 assumed "w" within 3 to 5
indicator s = if x > w then 10 else 0 max 10
let r = 10 / (x - round(w, 0))
tiers on s {
  nol "nol" [0, 10)
  satu "satu" [10, 10]
}
"""
    failing = sensitivity(loads(divides), {"kode": ["A"], "x": [3.0]}, draws=400, seed=2)
    # round(w) = 3 = x exactly when w < 3.5: a quarter of the draws divide by zero
    assert failing.failed / 400 == pytest.approx(0.25, abs=0.06)
    assert failing.used + failing.failed == 400
    assert "failed" in failing.to_text("en")


# A score missing in some draws: that outcome has its own share, and a region without a score
# at the assumed values that has one in some draws could change.
def test_a_score_missing_in_some_draws_has_its_share() -> None:
    text = """
ruleset a { region kode }
input kode: text
input x: number { range 0 to 100 }
param w = 40 assumed "w" within 20 to 80
input y: number { range 0 to 10 missing exclude }
indicator s = if x >= w then 10 else y max 10
tiers on s {
  nol "nol" [0, 10)
  satu "satu" [10, 10]
}
"""
    # B (x = 30) scores 10 where w <= 30 and has no score (y empty) elsewhere: w ~ U(20, 80),
    # so 1/6 of the draws score it and 5/6 leave it without a score.
    table = {"kode": ["A", "B"], "x": [90.0, 30.0], "y": [1.0, None]}
    result = sensitivity(loads(text), table, draws=3000)
    assert np.allclose(result.probability.sum(axis=1) + result.no_score, 1.0)
    assert result.no_score[1] == pytest.approx(5 / 6, abs=0.03)
    assert result.assumed[1] == -1  # at w = 40 > 30: no score
    assert result.could_change == 1  # B: without a score at the assumed values, with one here


def test_parameters_set_at_load_time_are_not_drawn_and_names_may_be_empty() -> None:
    text = """
ruleset a { region kode name nama }
input kode: text
input nama: text { missing exclude }
input x: yesno
param w = 5 assumed "w" within 1 to 9
indicator s = if x then w else 0 max 10
tiers on s {
  nol "nol" [0, 5)
  satu "satu" [5, 10]
}
"""
    table = {"kode": ["A"], "nama": [None], "x": ["ya"]}
    chosen = loads(text, params={"w": 6})
    result = sensitivity(chosen, table, draws=20)
    assert result.parameters == ()
    assert "nothing is drawn" in result.to_text("en")
    assert result.region_record(0)["name"] is None
    assert sensitivity(loads(text), table, draws=20).parameters[0].name == "w"


# The guard itself: a drawn plan that kept a draw the checker refuses stops the run (IK430).
def test_the_sampled_checker_stops_a_run_it_disagrees_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def keeps_everything(*args: object) -> tuple[object, npt.NDArray[np.bool_]]:
        plan, valid = lower_drawn(*args)  # type: ignore[arg-type]
        return plan, np.ones_like(valid)

    monkeypatch.setattr(sensitivity_module, "lower_drawn", keeps_everything)
    with pytest.raises(RulesetError) as caught:
        sensitivity(loads(NON_POSITIVE), {"kode": ["A"], "x": ["ya"]}, draws=20)
    assert "IK430" in str(caught.value)


def test_cli_bounds_and_json_file(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    args = ["sensitivity", str(root / "rulesets/kks/2025.ikr"), str(root / "examples/kks_2025.csv")]
    runner = CliRunner()
    assert runner.invoke(main, [*args, "--seed", "-1"]).exit_code == 2
    assert runner.invoke(main, [*args, "--draws", "10000000000"]).exit_code == 2
    out = tmp_path / "s.json"
    written = runner.invoke(main, [*args, "--draws", "20", "-o", str(out)])
    assert written.exit_code == 0, written.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["draws"] == 20
    assert document["assumptions"].startswith("Asumsi:")
    assert document["note"].startswith("Data contoh sintetis")


def test_outputs_carry_the_no_score_share_and_no_verdict_without_draws() -> None:
    text = """
ruleset a { region kode }
input kode: text
input x: number { range 0 to 100 }
input y: number { range 0 to 10 missing exclude }
param w = 40 assumed "w" within 20 to 80
indicator s = if x >= w then 10 else y max 10
tiers on s {
  nol "nol" [0, 10)
  satu "satu" [10, 10]
}
"""
    table = {"kode": ["B"], "x": [30.0], "y": [None]}
    result = sensitivity(loads(text), table, draws=600)
    record = result.region_record(0)
    assert record["no_score"] == pytest.approx(5 / 6, abs=0.05)
    assert sum(record["probability"].values()) + record["no_score"] == pytest.approx(1.0)
    assert result.to_rows("en")["no_score"][0] == record["no_score"]
    other = result.likeliest_other(0)
    assert other is not None
    assert other[0] == 2  # the assumed outcome is "no score"; the other is tier satu
    fixed = sensitivity(loads(text.replace("within 20 to 80", "within 40 to 40")), table, draws=5)
    assert fixed.region_record(0)["verdict"] is None  # nothing drawn: no verdict


def test_a_score_that_never_moves_has_no_influence() -> None:
    text = """
ruleset a { scale 0 to 100  region kode }
input kode: text
input xa: yesno
input xb: yesno
param pa = 50 assumed "a" within 40 to 60
param pb = 50 assumed "b" within 40 to 60
indicator a = if xa then pa else 0 max pa
indicator b = if xb then pb else 0 max pb
group total = sum(a, b)
tiers on total {
  rendah "rendah" [0, 50)
  tinggi "tinggi" [50, 100]
}
"""
    table = {"kode": ["FULL", "HALF"], "xa": ["ya", "ya"], "xb": ["ya", "tidak"]}
    result = sensitivity(loads(text), table, draws=300)
    assert np.isnan(result.influence[0]).all()  # 100 of 100 in every draw, scaled back
    assert np.isnan(result.first_order[0]).all()
    assert result.most_influential(0) == []
    assert not np.isnan(result.influence[1]).any()


def test_cli_refuses_a_robust_share_that_is_not_a_number() -> None:
    root = Path(__file__).resolve().parents[2]
    args = ["sensitivity", str(root / "rulesets/kks/2025.ikr"), str(root / "examples/kks_2025.csv")]
    result = CliRunner().invoke(main, [*args, "--robust", "nan"])
    assert result.exit_code == 2
    assert "not a number" in result.output
