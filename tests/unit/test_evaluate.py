"""Evaluation on hand-computed cases (every expected number worked out in a comment)."""

from __future__ import annotations

import math
import pickle
from pathlib import Path

import numpy as np
import pytest

import indikator
from indikator.evaluate import run
from indikator.scalar import compile_plan
from indikator.tables import read_csv

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture(scope="module")
def tour() -> indikator.Results:
    ruleset = indikator.load(FIXTURES / "tour.ikr")
    return ruleset.evaluate_many(read_csv(FIXTURES / "tour.csv"))


def test_tour_totals_and_tiers(tour: indikator.Results) -> None:
    # 3201: akta 92.5 -> [80, inf) 60; perkawinan 5 -> linear 20..0 onto 0..40 = 30;
    #       k1 = 90. perda 'perda' 40/40, gugus 2 of 3 items * 5 = 10/15;
    #       kel = 100 * (40 * 40/40 + 60 * 10/15) / 100 = 80. total 170 -> [100, 150)? no:
    #       pratama is [100, 150), kla [150, 200]: 170 reaches kla, but all_met fails
    #       (akta is met, i_gugus 10 < 15) -> capped at pratama.
    # 3202: akta 45 -> 0; perkawinan missing (exclude) -> k1 renormalised 0/60*100 = 0;
    #       perda 'draft' 10/40, gugus 1 item = 5/15 -> kel = 40*.25 + 60*(1/3) = 30; total 30.
    # 3203: akta 80 -> 60; perkawinan 30 -> clamped 0; perda 'none' 0; gugus 3 -> 15/15;
    #       kel = 60; total 120 -> pratama. odf missing -> 'ok' missing.
    # 3204: akta missing (zero) -> 0; perkawinan 10 -> 20; k1 = 20; kel = 100; total 120.
    assert tour.total.tolist() == [170.0, 30.0, 120.0, 120.0]
    assert tour.tiers() == ["Pratama", "Belum", "Pratama", "Pratama"]
    assert tour["k1"].tolist() == [90.0, 0.0, 60.0, 20.0]
    assert math.isnan(tour["i_kaw"][1])
    assert math.isnan(tour["ok"][2])


def test_tour_gate_caps_the_tier(tour: indikator.Results) -> None:
    result = tour.region("3201")
    assert result.tier_name == "pratama"
    assert tour.env["tier.raw"][0] == 2  # the score alone reaches 'kla'


def test_tour_rank_within_province_with_tie_break(tour: indikator.Results) -> None:
    # Jabar: 3201 (170) then 3202 (30). Jateng: 3203 and 3204 tie at 120; the tie-break
    # i_akta desc puts 3203 (60) before 3204 (0).
    assert tour["r"].tolist() == [1.0, 2.0, 1.0, 2.0]


def test_single_region_matches_batch() -> None:
    ruleset = indikator.load(FIXTURES / "tour.ikr")
    row = {k: v[2] for k, v in read_csv(FIXTURES / "tour.csv").items()}
    single = ruleset.evaluate(row)
    assert single.total == 120.0
    assert single.tier() == "Pratama"
    assert single["kel"] == 60.0


def test_explain_names_band_gate_and_next_tier(tour: indikator.Results) -> None:
    text = tour.region("3202").explain("en").to_text()
    assert "band [0, 50) -> 0" in text
    assert "to reach Pratama: 70 more points" in text  # 100 - 30
    assert "left out and the group renormalised" in text
    indonesian = tour.region("3201").explain("id").to_text()
    assert "syarat TIDAK terpenuhi" in indonesian
    assert tour.region("3201").explain().to_dict()["value"] == "Pratama"


RULES = """
ruleset boundary { scale 0 to 1000 }
input skor: number { range 0 to 1000 }
indicator total = skor max 1000 round half_up 2
tiers on total {
  below "Belum"
  pratama "Pratama" [500, 601)
  madya "Madya" [601, 701)
  nindya "Nindya" [701, 801)
  utama "Utama" [801, 901)
  kla "KLA" [901, 1000]
}
"""


@pytest.mark.parametrize(
    ("score", "tier", "total"),
    [
        (499.99, "Belum", 499.99),
        (499.994, "Belum", 499.99),  # rounds down to 499.99
        (499.995, "Pratama", 500.0),  # half-up to 500.00
        (500, "Pratama", 500.0),
        (600, "Pratama", 600.0),
        (600.4, "Pratama", 600.4),  # in the published gap: half-open intervals keep it in Pratama
        (600.005, "Pratama", 600.01),  # decimal half-up, not float 600.00499999...
        (600.995, "Madya", 601.0),
        (601, "Madya", 601.0),
        (900.99, "Utama", 900.99),
        (901, "KLA", 901.0),
        (1000, "KLA", 1000.0),
    ],
)
def test_tier_boundaries(score: float, tier: str, total: float) -> None:
    result = indikator.loads(RULES).evaluate({"skor": score})
    assert result.tier() == tier
    assert result.total == total


def test_sum_of_tenths_meets_boundary_exactly() -> None:
    # 0.1 + 0.2 is 0.30000000000000004 in floats; decimal semantics make it reach 0.3.
    rules = """
    ruleset t { scale 0 to 1 }
    input a: number { range 0 to 1 }
    input b: number { range 0 to 1 }
    let s = a + b
    indicator ok = if s >= 0.3 then 1 else 0
    """
    assert indikator.loads(rules).evaluate({"a": 0.1, "b": 0.2})["ok"] == 1.0


def test_data_errors_are_summarised() -> None:
    ruleset = indikator.loads(RULES)
    with pytest.raises(indikator.DataError) as caught:
        ruleset.evaluate_many({"skor": [10.0, 1200.0, float("inf"), -5.0]})
    codes = sorted(p.code for p in caught.value.problems)
    assert codes == ["IK503", "IK504"]
    assert "row 2 (1200.0)" in str(caught.value)
    assert "row 4 (-5.0)" in str(caught.value)


def test_missing_and_unknown_columns() -> None:
    ruleset = indikator.loads(RULES)
    with pytest.raises(indikator.DataError) as caught:
        ruleset.evaluate_many({"skr": [1.0]})
    messages = str(caught.value)
    assert "column 'skor' is missing (the table has 'skr')" in messages
    assert "column 'skr' is not an input" in messages
    result = ruleset.evaluate_many({"skor": [750.0], "extra": ["x"]}, extra="ignore")
    assert result.tiers() == ["Nindya"]


def test_text_in_number_column_names_region() -> None:
    ruleset = indikator.loads(RULES)
    with pytest.raises(indikator.DataError, match=r"row 2 \('92,4'\)"):
        ruleset.evaluate_many({"skor": ["10", "92,4"]})


def test_missing_policy_error_is_reported_before_evaluation() -> None:
    with pytest.raises(indikator.DataError, match="IK505"):
        indikator.loads(RULES).evaluate_many({"skor": [None, 3.0]})


def test_params_override_changes_points() -> None:
    rules = """
    ruleset p { scale 0 to 10 }
    param top = 10
    param edge = 80
    input x: percent
    indicator s = bands x { [0, edge) -> 0  [edge, 100] -> top }
    """
    ruleset = indikator.loads(rules)
    assert ruleset.evaluate({"x": 75})["s"] == 0.0
    lowered = ruleset.with_params({"edge": 70})
    assert lowered.evaluate({"x": 75})["s"] == 10.0
    with pytest.raises(indikator.DataError, match="did you mean 'edge'"):
        ruleset.with_params({"egde": 70})


def test_ruleset_is_immutable_and_picklable() -> None:
    ruleset = indikator.loads(RULES)
    with pytest.raises(AttributeError):
        ruleset._plan = None  # type: ignore[assignment]  # noqa: SLF001  # breaking the rule on purpose
    copy = pickle.loads(pickle.dumps(ruleset))  # noqa: S301  # our own object
    assert copy.evaluate({"skor": 650}).tier() == "Madya"


def test_division_by_zero_is_a_data_error() -> None:
    rules = """
    ruleset d { scale 0 to 100 }
    input capaian: percent
    input target: percent
    indicator s = clamp(percent_of(capaian, target), 0, 100) max 100
    """
    ruleset = indikator.loads(rules)
    # Bintan: 49 % achieved against a target of 80 % is 61.25 % of target.
    assert ruleset.evaluate({"capaian": 49, "target": 80})["s"] == 61.25
    with pytest.raises(indikator.DataError, match="IK508"):
        ruleset.evaluate_many({"capaian": [49.0, 10.0], "target": [80.0, 0.0]})


def test_numpy_and_pandas_inputs_agree() -> None:
    pandas = pytest.importorskip("pandas")
    ruleset = indikator.loads(RULES)
    values = np.array([450.0, 650.0, 950.0])
    from_numpy = ruleset.evaluate_many({"skor": values}).tiers()
    from_pandas = ruleset.evaluate_many(pandas.DataFrame({"skor": values})).tiers()
    assert from_numpy == from_pandas == ["Belum", "Madya", "KLA"]


def test_rollup_per_province(tour: indikator.Results) -> None:
    # Jabar: totals 170 (Pratama) and 30 (Belum) -> mean 100, 50 % at least Pratama, not all.
    # Jateng: 120 and 120, both Pratama -> mean 120, 100 %, all.
    table = tour.rollup("per_provinsi")
    assert table == {
        "provinsi": ["Jabar", "Jateng"],
        "regions": [2.0, 2.0],
        "mean_total": [100.0, 120.0],
        "share_pratama": [50.0, 100.0],
        "all_pratama": [0.0, 1.0],
        "best": [170.0, 120.0],
    }
    with pytest.raises(KeyError, match="per_provinsi"):
        tour.rollup("per_kecamatan")


def test_rollup_rejects_unknown_tier_name() -> None:
    text = (FIXTURES / "tour.ikr").read_text(encoding="utf-8").replace('"pratama")', '"pratma")', 1)
    with pytest.raises(indikator.RulesetCheckError, match="'pratma' is not one of the tiers"):
        indikator.loads(text)


BANDED = """
ruleset b { title "b" scale 0 to 10 }
input x: percent { agency "A" }
indicator i = bands x { [0, 50) -> 0  [50, 100] -> 10 }
"""


@pytest.mark.parametrize(
    ("values", "outside"),
    [
        ([50.0, 100.0 + 1e-9, 20.0], 1),  # above the top edge, between two values inside
        ([50.0, -1e-9, 20.0], 1),  # below the bottom edge
        ([100.0 + 1e-9, -1e-9, np.nan], 2),  # both sides, and a missing value
    ],
)
def test_a_value_past_every_band_is_refused_by_the_evaluator(
    values: list[float], outside: int
) -> None:
    # The checker proves a percent falls in [0, 100] and validation refuses the rest; the
    # evaluator checks again (a plan run on columns no one validated), to the same 10^-9.
    plan = indikator.loads(BANDED).plan
    regions = ["r1", "r2", "r3"]
    with pytest.raises(indikator.DataError, match="IK509") as caught:
        run(plan, {"x": np.array(values)}, regions)
    assert caught.value.problems[0].count == outside


def test_a_value_within_half_a_quantum_of_the_edges_is_in_a_band() -> None:
    plan = indikator.loads(BANDED).plan
    env = run(plan, {"x": np.array([100.0 + 4e-10, -4e-10, np.nan])}, ["r1", "r2", "r3"])
    assert env["i"][:2].tolist() == [10.0, 0.0]


def test_or_of_two_false_yes_no_cells_is_zero_on_both_paths() -> None:
    # -0.0 is a valid "no" (it equals 0.0); `or` of two of them is false, shown as a plain
    # 0.0 on both paths (a maximum alone would keep the sign: np.maximum(0.0, -0.0) is -0.0).
    rules = """
ruleset r { title "r" scale 0 to 10 }
input a: yesno
input b: yesno
let x = a or b
"""
    ruleset = indikator.loads(rules)
    batch = ruleset.evaluate_many({"a": [-0.0, 0.0, -0.0], "b": [-0.0, -0.0, 1.0]})
    one_region = compile_plan(ruleset.plan)
    assert one_region is not None
    one = one_region({"a": 0.0, "b": -0.0}, strict=True)  # the raw values, before display
    assert batch["x"].tolist() == [0.0, 0.0, 1.0]
    assert [math.copysign(1.0, v) for v in batch["x"]] == [1.0, 1.0, 1.0]
    assert math.copysign(1.0, float(one["x"][0])) == 1.0


GATED = """
ruleset g { title "g" scale 0 to 100 }
input x: percent { missing zero }
input y: percent { missing exclude }
input z: percent { missing zero }
indicator a = bands x { [0, 50) -> 0  [50, 100] -> 50 } met when z >= 90
indicator b = bands y { [0, 50) -> 0  [50, 100] -> 50 }
group total = sum(a, b) max 100
tiers on total {
  below "Belum"
  madya "Madya" [50, 90)
  utama "Utama" [90, 100] requires all_met(total) "semua"
}
"""


def test_all_met_counts_an_unknown_condition_as_not_met_and_skips_an_excluded_indicator() -> None:
    # 1: a = 50 (met: z 95 >= 90), b = 50 (its maximum) -> total 100, every one met: Utama.
    # 2: z missing -> a's condition is unknown, which counts as not met -> capped at Madya.
    # 3: y missing (exclude) -> b left out, total 50 of 50 renormalised to 100; b takes no
    #    part in all_met and a is met -> Utama.
    table = {
        "x": [95.0, 95.0, 95.0],
        "y": [60.0, 60.0, np.nan],
        "z": [95.0, np.nan, 95.0],
    }
    ruleset = indikator.loads(GATED)
    batch = ruleset.evaluate_many(table)
    assert batch.total.tolist() == [100.0, 100.0, 100.0]
    assert batch.tiers() == ["Utama", "Madya", "Utama"]
    one = [ruleset.evaluate({k: v[i] for k, v in table.items()}).tier() for i in range(3)]
    assert one == ["Utama", "Madya", "Utama"]


def test_a_yes_no_cell_of_minus_zero_is_read_as_zero_on_both_paths() -> None:
    # -0.0 == 0.0 is a valid "no"; read as 0.0, no sign reaches and, or or all_met.
    rules = """
ruleset r { title "r" scale 0 to 100 }
input x: percent { missing zero }
input f: yesno { missing zero }
indicator a = bands x { [0, 50) -> 0  [50, 100] -> 100 } met when f
group total = sum(a) max 100
let both = f and f
let met_all = all_met(total)
"""
    ruleset = indikator.loads(rules)
    batch = ruleset.evaluate_many({"x": [60.0, 60.0], "f": [-0.0, np.nan]})
    one_region = compile_plan(ruleset.plan)
    assert one_region is not None
    one = one_region({"x": 60.0, "f": -0.0}, strict=True)  # the raw values, before display
    for name in ("f", "both", "met_all"):
        assert batch[name][0] == 0.0
        assert math.copysign(1.0, batch[name][0]) == 1.0, name
        assert math.copysign(1.0, float(one[name][0])) == 1.0, name
