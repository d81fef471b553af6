"""Sensitivity analysis: `Ruleset.sensitivity`, `indikator sensitivity`, and the drawn plan.

The drawn plan is internal: it is reached through the ruleset's private parts on purpose.

Expected probabilities are worked by hand from the uniform draws in the comment above
each test; the drawn plan is checked draw by draw against the plain plan of that draw's
parameters (`with_params`), so the vectorised path cannot drift from the one definition.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from indikator import RulesetError, load, loads
from indikator.cli import main
from indikator.sensitivity import _draw, drawn_parameters, sensitivity
from indikator.tables import read_table
from tests.drawn_check import compare_draws

ROOT = Path(__file__).resolve().parents[2]

# Every kind of place a drawn number can take: band edges and points, option points, linear
# ends, a formula, a `let` and a `met when` threshold, tiers on a
# weighted total with a declared max (so no scale-back here: `with_params` compiles every draw).
EVERY_PLACE = """
ruleset every_place { region kode }
input kode: text
input a: percent { range 0 to 100 }
input b: option("tidak", "sebagian", "penuh")
input c: number { range 0 to 50 }
input d: yesno

param e1 = 40 assumed "edge" within 30 to 50
param e2 = 70 assumed "edge" within 55 to 85
param p1 = 10 assumed "points" within 5 to 15
param p2 = 20 assumed "points" within 15 to 30
param o1 = 5 assumed "option points" within 0 to 10
param start = 10 assumed "linear start" within 5 to 15
param top = 30 assumed "linear top" within 20 to 40
param bonus = 7 assumed "formula points" within 3 to 9
param m = 50 assumed "met threshold" within 40 to 60

indicator i_a = bands a {
  [0, e1) -> 0
  [e1, e2) -> p1
  [e2, 100] -> p2
} met when a >= m
indicator i_b = options b { "tidak" -> 0, "sebagian" -> o1, "penuh" -> 10 }
indicator i_c = linear c from start to 50 onto 0 to top
let extra = if d then bonus else 0
indicator i_d = extra + 1
group total = weighted(i_a: 40, i_b: 20, i_c: 20, i_d: 20) max 100
tiers on total {
  rendah "rendah" [0, 40)
  sedang "sedang" [40, 70)
  tinggi "tinggi" [70, 100]
}
"""

REGIONS: dict[str, list[object]] = {
    "kode": [f"R{i}" for i in range(8)],
    "a": [0.0, 35.0, 45.0, 60.0, 75.0, 100.0, 50.0, 30.0],
    "b": ["tidak", "sebagian", "penuh", "sebagian", "penuh", "tidak", "penuh", "sebagian"],
    "c": [0.0, 7.0, 12.0, 20.0, 35.0, 50.0, 9.0, 14.0],
    "d": ["ya", "tidak", "ya", "ya", "tidak", "ya", "tidak", "ya"],
}


def _draws(text: str, draws: int, seed: int, root: Path | None = None) -> list[dict[str, float]]:
    """`draws` draws of a ruleset's assumed parameters, as `sensitivity` makes them."""
    parameters = drawn_parameters(loads(text, root=root))
    values = _draw(parameters, draws, seed)
    return [{p.name: float(v) for p, v in zip(parameters, row, strict=True)} for row in values]


def test_every_drawn_place_equals_the_plain_plan_of_its_draw() -> None:
    found, compared = compare_draws(EVERY_PLACE, REGIONS, _draws(EVERY_PLACE, 40, 3))
    assert found == []
    assert compared > 40 // 2  # most draws keep the structure here


def test_the_shipped_kks_2025_draws_equal_their_plain_plans() -> None:
    path = ROOT / "rulesets/kks/2025.ikr"
    text = path.read_text(encoding="utf-8")
    table = read_table(ROOT / "examples/kks_2025.csv")
    draws = _draws(text, 8, 11, root=path.parent)
    found, compared = compare_draws(text, table, draws, root=path.parent)
    assert found == []
    assert compared > 0


# One drawn number decides: the score is w itself, w ~ U(0, 10), tier "atas" from 5. A region
# is "atas" exactly when w >= 5: probability 1/2 (the draws' own share is checked to 0.03 on
# 4000 draws: 4 standard deviations of a share of 1/2).
HALF = """
ruleset half { region kode }
input kode: text
input x: yesno
param w = 5 assumed "a guess" within 0 to 10
indicator skor = if x then w else 0 max 10
tiers on skor {
  bawah "bawah" [0, 5)
  atas "atas" [5, 10]
}
"""


def test_a_tier_decided_by_one_uniform_number_has_probability_one_half() -> None:
    result = sensitivity(loads(HALF), {"kode": ["A", "B"], "x": ["ya", "tidak"]}, draws=4000)
    assert result.used == 4000
    assert result.tiers == ("below", "bawah", "atas")
    assert result.probability[0, 2] == pytest.approx(0.5, abs=0.03)
    # B scores 0 in every draw: always "bawah", robust, and its score never moves.
    assert result.probability[1].tolist() == [0.0, 1.0, 0.0]
    assert result.robust.tolist() == [False, True]
    assert np.isnan(result.influence[1, 0])
    # A's score is w: the rank correlation of w with it is exactly 1.
    assert result.influence[0, 0] == pytest.approx(1.0)
    assert result.could_change == 1


# Two drawn edges whose ranges overlap: e1 ~ U(0, 10), e2 ~ U(5, 15). A draw breaks the bands
# when e1 >= e2: the triangle x > y of [0, 10] x [5, 15] has area (10 - 5)^2 / 2 = 12.5 of 100,
# so 12.5 % of the draws are left out.
OVERLAP = """
ruleset overlap { region kode }
input kode: text
input x: number { range 0 to 20 }
param e1 = 4 assumed "edge" within 0 to 10
param e2 = 12 assumed "edge" within 5 to 15
indicator skor = bands x {
  [0, e1) -> 0
  [e1, e2) -> 1
  [e2, 20] -> 2
}
tiers on skor {
  nol "nol" [0, 1)
  satu "satu" [1, 2)
  dua "dua" [2, 2]
}
"""


def test_draws_that_break_the_band_order_are_left_out_and_counted() -> None:
    result = sensitivity(loads(OVERLAP), {"kode": ["A"], "x": [9.0]}, draws=4000, seed=5)
    assert 1 - result.used / 4000 == pytest.approx(0.125, abs=0.02)


# Scale-back: total = a + b on a scale of 100, a's points w ~ U(40, 60), b's fixed at 50. A
# region with only b's 50 points scores 50 * 100 / (w + 50) after scaling: at least 50 (tier
# "atas") exactly when w <= 50, probability 1/2. A region with both full scores 100 always.
SCALE = """
ruleset scaled { scale 0 to 100  region kode }
input kode: text
input xa: yesno
input xb: yesno
param w = 50 assumed "a's weight" within 40 to 60
indicator a = if xa then w else 0 max w
indicator b = if xb then 50 else 0 max 50
group total = sum(a, b)
tiers on total {
  bawah "bawah" [0, 50)
  atas "atas" [50, 100]
}
"""


def test_drawn_weights_are_shares_the_total_is_scaled_back_to_its_maximum() -> None:
    table = {"kode": ["only_b", "both"], "xa": ["tidak", "ya"], "xb": ["ya", "ya"]}
    result = sensitivity(loads(SCALE), table, draws=4000, seed=2)
    assert result.probability[0, 2] == pytest.approx(0.5, abs=0.03)
    assert result.probability[1].tolist() == [0.0, 0.0, 1.0]
    # 50 * 100 / (w + 50) for w in [40, 60]: from 45.45 to 55.56; the median 50 at w = 50.
    low, middle, high = result.percentiles[0]
    assert 45.45 <= low < middle < high <= 55.56
    assert middle == pytest.approx(50.0, abs=0.3)


# Drawn weights of a weighted group act as shares (the group renormalises by their sum, as the
# checker's "weights add up to the max" would after normalising): weighted(a: wa, b: 50) with a
# full and b empty scores 100 * wa / (wa + 50). At least 40 exactly when wa >= 100/3; with
# wa ~ U(20, 60) that is (60 - 33.33) / 40 = 2/3.
SHARES = """
ruleset shares { region kode }
input kode: text
input xa: yesno
input xb: yesno
param wa = 50 assumed "a's weight" within 20 to 60
indicator a = if xa then 10 else 0 max 10
indicator b = if xb then 10 else 0 max 10
group total = weighted(a: wa, b: 50) max 100
tiers on total {
  bawah "bawah" [0, 40)
  atas "atas" [40, 100]
}
"""


def test_drawn_weights_of_a_weighted_group_are_shares() -> None:
    text = SHARES.replace("weighted(a: wa, b: 50)", "weighted(a: wa, b: 50)")
    table = {"kode": ["A"], "xa": ["ya"], "xb": ["tidak"]}
    result = sensitivity(loads(text), table, draws=4000, seed=4)
    assert result.used == 4000
    assert result.probability[0, 2] == pytest.approx(2 / 3, abs=0.03)


def test_a_sum_group_with_a_declared_max_over_drawn_members_cannot_be_drawn() -> None:
    text = SCALE.replace("group total = sum(a, b)", "group total = sum(a, b) max 100")
    with pytest.raises(RulesetError) as caught:
        sensitivity(loads(text), {"kode": ["A"], "xa": ["ya"], "xb": ["ya"]}, draws=5)
    assert "IK430" in str(caught.value)
    assert "total" in str(caught.value)


# -- laws -------------------------------------------------------------------------------------


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    x=st.lists(st.sampled_from(["ya", "tidak"]), min_size=1, max_size=6),
)
def test_collapsed_ranges_give_the_assumed_tier_with_certainty(seed: int, x: list[str]) -> None:
    collapsed = SCALE.replace("within 40 to 60", "within 50 to 50")
    table = {"kode": [f"R{i}" for i in range(len(x))], "xa": x, "xb": x[::-1]}
    result = sensitivity(loads(collapsed), table, draws=20, seed=seed)
    assert result.parameters == ()
    assert result.sure.tolist() == [1.0] * len(x)
    assert result.robust.all()


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), short=st.integers(1, 60), extra=st.integers(1, 60))
def test_more_draws_never_change_a_seeded_prefix(seed: int, short: int, extra: int) -> None:
    parameters = drawn_parameters(loads(EVERY_PLACE))
    first = _draw(parameters, short, seed)
    longer = _draw(parameters, short + extra, seed)
    assert np.array_equal(first, longer[:short])
    a = sensitivity(loads(EVERY_PLACE), REGIONS, draws=short, seed=seed, chunk_rows=8)
    b = sensitivity(loads(EVERY_PLACE), REGIONS, draws=short, seed=seed)
    assert np.array_equal(a.probability, b.probability)  # chunking changes nothing


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), a=st.sampled_from([0.0, 5.0, 95.0, 100.0]))
def test_a_region_far_from_every_edge_is_robust(seed: int, a: float) -> None:
    # a = 0 or 5 is below every drawn e1 (>= 30): 0 points; 95 or 100 above every e2 (<= 85).
    table = {"kode": ["R"], "a": [a], "b": ["tidak"], "c": [0.0], "d": ["tidak"]}
    text = EVERY_PLACE.replace(
        "group total = weighted(i_a: 40, i_b: 20, i_c: 20, i_d: 20) max 100",
        "group total = sum(i_a)",
    ).replace(
        'rendah "rendah" [0, 40)\n  sedang "sedang" [40, 70)\n  tinggi "tinggi" [70, 100]',
        'rendah "rendah" [0, 1)\n  tinggi "tinggi" [1, 40]',
    )
    result = sensitivity(loads(text), table, draws=30, seed=seed)
    assert result.robust.all()


# -- the shipped KLA ruleset, the CLI ----------------------------------------------------------


def test_kla_2025_on_the_example_data() -> None:
    ruleset = load(ROOT / "rulesets/kla/2025.ikr")
    table = read_table(ROOT / "examples/kla_2025.csv")
    result = ruleset.sensitivity(table, draws=300, seed=1)
    assert len(result.parameters) == len(
        [
            a
            for a in ruleset.provenance.assumed
            if a.within is not None and a.within[0] < a.within[1]
        ]
    )
    assert 0 < result.used <= 300
    assert np.allclose(result.probability.sum(axis=1), 1.0)
    plain = ruleset.evaluate_many(table)
    assert result.assumed.tolist() == plain["tier"].tolist()
    # A region whose assumed score sits 4.16 below the Pratama edge (500) cannot be sure of it.
    assert result.could_change > 0


def test_cli_text_json_and_files(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["sensitivity", str(ROOT / "rulesets/kks/2025.ikr"), str(ROOT / "examples/kks_2025.csv")]
    text = runner.invoke(main, [*args, "--draws", "50"])
    assert text.exit_code == 0, text.output
    assert "Analisis sensitivitas: 50 undian" in text.output
    assert "Asumsi:" in text.output
    english = runner.invoke(main, [*args, "--draws", "50", "--lang", "en", "--format", "json"])
    assert english.exit_code == 0
    data = json.loads(english.stdout)
    assert data["draws"] == 50
    assert len(data["regions"]) == 30
    assert set(data["regions"][0]["probability"]) == {"below", "padapa", "wiwerda", "wistara"}
    out = tmp_path / "s.xlsx"
    written = runner.invoke(main, [*args, "--draws", "20", "-o", str(out)])
    assert written.exit_code == 0, written.output
    book = openpyxl.load_workbook(out)
    assert {"parameter", "asal_angka"} <= set(book.sheetnames)


def test_cli_refuses_a_ruleset_without_tiers(tmp_path: Path) -> None:
    ruleset = tmp_path / "no_tiers.ikr"
    ruleset.write_text(
        "ruleset t { region kode }\ninput kode: text\ninput x: yesno\n"
        'param w = 5 assumed "g" within 1 to 9\nindicator s = if x then w else 0 max 9\n',
        encoding="utf-8",
    )
    data = tmp_path / "d.csv"
    data.write_text("kode,x\nA,ya\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["sensitivity", str(ruleset), str(data)])
    assert result.exit_code == 1
    assert "IK530" in result.output


def test_the_html_report_shows_how_sure_each_tier_is(tmp_path: Path) -> None:
    out = tmp_path / "laporan.html"
    args = ["report", str(ROOT / "rulesets/kks/2025.ikr"), str(ROOT / "examples/kks_2025.csv")]
    result = CliRunner().invoke(main, [*args, "-o", str(out), "--sensitivity", "40", "--seed", "3"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Seberapa pasti predikatnya? (analisis sensitivitas)" in page
    section = page.split('<section class="sensitivity">')[1].split("</section>")[0]
    assert section.count("<tr><td>") == 30  # one row per region of the example data
    assert "Analisis sensitivitas: 40 undian" in section
    assert ("kokoh" in section) or ("rapuh" in section)
    english = CliRunner().invoke(
        main, [*args, "-o", str(out), "--sensitivity", "40", "--lang", "en", "--region", "9953"]
    )
    assert english.exit_code == 0, english.output
    page = out.read_text(encoding="utf-8")
    assert "How sure is each tier? (sensitivity analysis)" in page
    section = page.split('<section class="sensitivity">')[1].split("</section>")[0]
    assert section.count("<tr><td>") == 1
    assert "<td>9953</td>" in section


# The first-order index of an additive score: skor = u + v with u, v ~ U(0, 10) independent.
# Var(skor) = Var(u) + Var(v) and E[skor | u] = u + 5, so each explains exactly half:
# S_u = S_v = 1/2 (estimated from 4000 draws in 80 bins: within 0.05). A third parameter the
# score never reads explains nothing (0 up to the estimate's bias of about bins/draws = 0.02).
ADDITIVE = """
ruleset additive { region kode }
input kode: text
input x: yesno
param u = 5 assumed "a guess" within 0 to 10
param v = 5 assumed "a guess" within 0 to 10
param z = 5 assumed "never read" within 0 to 10
indicator a = if x then u else 0 max 10
indicator b = if x then v else 0 max 10
group skor = sum(a, b)
tiers on skor {
  bawah "bawah" [0, 10)
  atas "atas" [10, 20]
}
"""


def test_the_first_order_index_of_an_additive_score_splits_its_variance() -> None:
    result = sensitivity(loads(ADDITIVE), {"kode": ["A"], "x": ["ya"]}, draws=4000, seed=9)
    names = [p.name for p in result.parameters]
    assert names == ["u", "v", "z"]
    s_u, s_v, s_z = result.first_order[0]
    assert s_u == pytest.approx(0.5, abs=0.05)
    assert s_v == pytest.approx(0.5, abs=0.05)
    assert s_z == pytest.approx(0.0, abs=0.03)
    # one parameter deciding the score alone explains all of it
    alone = sensitivity(loads(HALF), {"kode": ["A"], "x": ["ya"]}, draws=4000)
    assert alone.first_order[0, 0] == pytest.approx(1.0, abs=0.01)
