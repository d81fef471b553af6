"""Next-tier advice (`indikator.advice`, `indikator next`): gaps, smallest sets, agencies.

Every expected number is worked by hand in the comments next to it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import indikator
from indikator.advice import NextTierPlan, next_tier
from indikator.attribution import score_factors
from indikator.tables import read_csv
from tests.goldens import check_transcript

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "cli"

# Three indicators of 50 points each, summed; one agency each.
SUM3 = """
ruleset tiga { scale 0 to 150  region kode  name nama }
param madya_dari = 115
input kode: text
input nama: text
input x: percent { agency "Dinkes" missing zero }
input y: percent { agency "Dikbud" missing zero }
input z: percent { agency "Dinsos" missing exclude }
indicator a "Indikator A" en "Indicator A" = linear x from 0 to 100 onto 0 to 50
indicator b = linear y from 0 to 100 onto 0 to 50
indicator c = linear z from 0 to 100 onto 0 to 50
group total = sum(a, b, c) round half_up 0
tiers on total { pratama "Pratama" [50, madya_dari)  madya "Madya" [madya_dari, 150] }
"""


def _plan(
    text: str, row: dict[str, object], *, params: dict[str, float] | None = None, **options: Any
) -> NextTierPlan:
    ruleset = indikator.loads(text, params=params)
    table = (
        {"kode": "01", "nama": "Kota A", **row}
        if "nama" in ruleset.inputs
        else {"kode": "01", **row}
    )
    results = ruleset.evaluate_many({k: [v] for k, v in table.items()})
    return next_tier(ruleset, results, "01", **options)


def _sets(plan: NextTierPlan) -> list[list[str]]:
    return [[g.indicator for g in chosen] for chosen in plan.sets]


# x 80 -> a 40 (can gain 10), y 60 -> b 30 (gain 20), z 40 -> c 20 (gain 30); total 90.
ROW = {"nama": "Kota A", "x": 80, "y": 60, "z": 40}


def test_gap_25_is_closed_by_the_single_indicator_that_can_gain_30() -> None:
    plan = _plan(SUM3, ROW)
    # Madya starts at 115: 115 - 90 = 25 missing. Alone: a +10 < 25, b +20 < 25, c +30 >= 25.
    assert (plan.score, plan.tier, plan.next_tier, plan.gap) == (90.0, "Pratama", "Madya", 25.0)
    assert _sets(plan) == [["c"]]
    assert not plan.more_sets
    assert plan.outcome == "found"
    assert [(g.indicator, g.points, g.maximum, g.gain) for g in plan.gains] == [
        ("c", 20.0, 50.0, 30.0),
        ("b", 30.0, 50.0, 20.0),
        ("a", 40.0, 50.0, 10.0),
    ]


def test_gap_35_needs_two_indicators_and_lists_each_pair_that_reaches() -> None:
    plan = _plan(SUM3, ROW, params={"madya_dari": 125})
    # 125 - 90 = 35. No single gain reaches 35 (max 30). Pairs: c+b = 50, c+a = 40 reach;
    # b+a = 30 does not.
    assert plan.gap == 35.0
    assert _sets(plan) == [["c", "b"], ["c", "a"]]
    capped = _plan(SUM3, ROW, params={"madya_dari": 125}, max_sets=1)
    assert _sets(capped) == [["c", "b"]]
    assert capped.more_sets


def test_gap_60_needs_all_three_and_a_search_capped_at_two_says_so() -> None:
    plan = _plan(SUM3, ROW, params={"madya_dari": 150})
    # 150 - 90 = 60 = 10 + 20 + 30: only all three together.
    assert _sets(plan) == [["c", "b", "a"]]
    capped = _plan(SUM3, ROW, params={"madya_dari": 150}, max_size=2, lang="en")
    assert (capped.outcome, capped.sets) == ("too_many", ())
    assert "needs more than 2 indicators" in capped.to_text()


def test_the_rounded_score_decides() -> None:
    # x 80.2 -> a 40.1 (gain 9.9); y 60 -> b 30 (gain 20); z 39 -> c 19.5 (gain 30.5).
    # total 89.6, shown rounded half-up as 90. Madya at 100: the shown gap is 10, but a at
    # its maximum gives 89.6 + 9.9 = 99.5, which rounds to 100: a alone is enough.
    plan = _plan(SUM3, {"x": 80.2, "y": 60, "z": 39}, params={"madya_dari": 100})
    assert (plan.score, plan.gap) == (90.0, 10.0)
    assert _sets(plan) == [["c"], ["b"], ["a"]]


def test_an_excluded_member_renormalises_the_factor_and_is_listed_as_skipped() -> None:
    # z missing (exclude): c drops out; total = (30 + 20) / 100 * 150 = 75.
    # Each point of a or b now counts 150 / 100 = 1.5: a gains (50 - 30) * 1.5 = 30,
    # b gains (50 - 20) * 1.5 = 45. Madya at 100: gap 25; both reach alone.
    plan = _plan(SUM3, {"x": 60, "y": 40, "z": None}, params={"madya_dari": 100})
    assert (plan.score, plan.gap) == (75.0, 25.0)
    assert [(g.indicator, g.gain) for g in plan.gains] == [("b", 45.0), ("a", 30.0)]
    assert _sets(plan) == [["b"], ["a"]]
    assert [name for name, _ in plan.skipped] == ["c"]


NESTED = """
ruleset bertingkat { scale 0 to 100  region kode }
input kode: text
input x: percent { agency "A" missing zero }
input y: percent { agency "B" missing zero }
input z: percent { agency "C" missing zero }
indicator a = linear x from 0 to 100 onto 0 to 10
indicator b = linear y from 0 to 100 onto 0 to 10
indicator c = linear z from 0 to 100 onto 0 to 40
group g1 = sum(a, b)
group total = mean(g1, c) max 100
tiers on total { baik "Baik" [60, 100] }
"""


def test_factors_through_a_sum_inside_a_mean() -> None:
    ruleset = indikator.loads(NESTED)
    # a: 1 (sum) * 1/2 * 100/20 (mean over 2 members, g1's max 20) = 2.5; c: 1/2 * 100/40.
    assert score_factors(ruleset.plan) == {"a": 2.5, "b": 2.5, "c": 1.25}
    plan = _plan(NESTED, {"x": 50, "y": 100, "z": 20})
    # total = 100 * (15/20 + 8/40) / 2 = 47.5; gap 12.5. a gains (10 - 5) * 2.5 = 12.5 and
    # just reaches 60; c gains (40 - 8) * 1.25 = 40.
    assert (plan.score, plan.gap) == (47.5, 12.5)
    assert _sets(plan) == [["c"], ["a"]]


def test_weighted_factors() -> None:
    ruleset = indikator.loads("""
    ruleset berbobot { scale 0 to 100 }
    input x: percent { missing zero }
    indicator a = linear x from 0 to 100 onto 0 to 10
    indicator b = linear x from 0 to 100 onto 0 to 40
    group total = weighted(a: 30, b: 70) max 100
    tiers on total { baik "Baik" [60, 100] }
    """)
    # Points on the score per point: a gets 30/100 of it over 10 points (3 each),
    # b gets 70/100 over 40 points (1.75 each).
    assert score_factors(ruleset.plan) == {"a": 3.0, "b": 1.75}


FORMULA = """
ruleset rumus { scale 0 to 100  region kode }
input kode: text
input x: percent { agency "A" missing zero }
input y: percent { agency "B" missing zero }
indicator a = linear x from 0 to 100 onto 0 to 50
indicator bonus = if a >= 40 then 50 else 0
indicator b = linear y from 0 to 100 onto 0 to 50
group total = sum(bonus, b)
tiers on total { baik "Baik" [60, 100] }
"""


def test_an_indicator_behind_a_formula_is_skipped_with_the_formula_named() -> None:
    # x 10 -> a 5, bonus 0 (a < 40); y 50 -> b 25. total 25, gap 35: bonus +50 reaches.
    plan = _plan(FORMULA, {"x": 10, "y": 50}, lang="en")
    assert plan.gap == 35.0
    assert _sets(plan) == [["bonus"]]
    assert plan.skipped == (("a", "scored through the formula 'bonus'"),)


def test_a_let_subject_leaves_nothing_to_search() -> None:
    plan = _plan(
        """
        ruleset lets { scale 0 to 100  region kode }
        input kode: text
        input x: percent { missing zero }
        indicator a = linear x from 0 to 100 onto 0 to 100
        let s = a * 1
        tiers on s { baik "Baik" [60, 100] }
        """,
        {"x": 10},
    )
    # a is not counted (read through the let s), and x = 60 reaches Baik: no claim that
    # the gap stays open, only that the indicators counted (none) do not close it.
    assert (plan.outcome, plan.sets, [n for n, _ in plan.skipped]) == ("uncounted", (), ["a"])


GATED = """
ruleset syarat { scale 0 to 100  region kode }
input kode: text
input x: percent { agency "Dinkes" missing zero }
input odf: percent { agency "Dinas PUPR" missing zero }
indicator a = linear x from 0 to 100 onto 0 to 50 met when x >= 80
indicator b = linear x from 0 to 100 onto 0 to 50 agency "Bappeda"
group total = sum(a, b)
tiers on total {
  pratama "Pratama" [40, 70) requires odf >= 80 "ODF 80 %"
  madya "Madya" [70, 100] requires all_met(total) "Semua terpenuhi"
}
"""


def test_a_score_high_enough_leaves_only_the_failing_requirements() -> None:
    # x 75 -> a 37.5, b 37.5: total 75 reaches Madya's 70, but odf 60 < 80 fails the
    # Pratama gate (cumulative), so the tier is below Pratama and the next one is Pratama.
    plan = _plan(GATED, {"x": 75, "odf": 60})
    assert (plan.tier, plan.next_tier, plan.gap, plan.outcome) == (
        "Tidak berpredikat", "Pratama", 0.0, "none_needed",
    )  # fmt: skip
    [requirement] = plan.requirements
    assert (requirement.tier, requirement.label, requirement.agencies) == (
        "Pratama", "ODF 80 %", ("Dinas PUPR",),
    )  # fmt: skip
    assert requirement.detail == "odf >= 80; odf = 60"
    assert list(plan.by_agency()) == ["Dinas PUPR"]  # the points are not the task


def test_all_met_names_each_unmet_indicator_under_its_agency() -> None:
    # x 60: a 30 (met needs x >= 80: no), b 30 (met needs 50 points: no). total 60 with
    # odf 90: Pratama; Madya needs 10 more points and every indicator met.
    plan = _plan(GATED, {"x": 60, "odf": 90})
    assert (plan.tier, plan.gap) == ("Pratama", 10.0)
    [requirement] = plan.requirements
    assert requirement.unmet == (("a", "Dinkes"), ("b", "Bappeda"))
    assert requirement.agencies == ("Bappeda", "Dinkes")
    text = plan.to_text()
    assert "    Madya: Semua terpenuhi (belum terpenuhi: a)" in text
    assert "    Madya: Semua terpenuhi (belum terpenuhi: b)" in text


def test_top_tier_and_missing_score() -> None:
    top = _plan(SUM3, {"x": 100, "y": 100, "z": 100})
    assert (top.tier, top.next_tier, top.outcome) == ("Madya", None, "none_needed")
    assert top.to_text().endswith("predikat tertinggi sudah tercapai")
    ruleset = indikator.loads("""
    ruleset kosong { scale 0 to 50  region kode }
    input kode: text
    input z: percent { missing exclude }
    indicator c = linear z from 0 to 100 onto 0 to 50
    group total = sum(c)
    tiers on total { baik "Baik" [25, 50] }
    """)
    results = ruleset.evaluate_many({"kode": ["01"], "z": [None]})
    missing = next_tier(ruleset, results, "01", lang="en")
    assert (missing.score, missing.tier) == (None, None)
    assert "score incomplete" in missing.to_text()


def test_errors() -> None:
    ruleset = indikator.loads(SUM3)
    results = ruleset.evaluate_many({"kode": ["01"], "nama": ["A"], "x": [1], "y": [1], "z": [1]})
    with pytest.raises(KeyError):
        next_tier(ruleset, results, "99")
    flat = indikator.loads("ruleset f { scale 0 to 10 }\ninput x: percent\n"
                           "indicator a = linear x from 0 to 100 onto 0 to 10")  # fmt: skip
    with pytest.raises(ValueError, match="no tiers"):
        next_tier(flat, flat.evaluate_many({"x": [1]}), "row 1")


def test_json_is_grouped_by_agency() -> None:
    plan = _plan(SUM3, ROW, lang="en")
    data = json.loads(json.dumps(plan.to_dict()))
    assert data["sets"] == [{"gain": 30.0, "indicators": ["c"]}]
    assert [a["agency"] for a in data["agencies"]] == ["Dikbud", "Dinkes", "Dinsos"]
    assert data["agencies"][1]["indicators"][0]["label"] == "Indicator A"


def test_kla_example_region_9914() -> None:
    ruleset = indikator.load(ROOT / "rulesets" / "kla" / "2025.ikr")
    results = ruleset.evaluate_many(read_csv(ROOT / "examples" / "kla_2025.csv"))
    plan = next_tier(ruleset, results, "9914", max_sets=2)
    # 595.84 (Pratama) -> Madya from 601: 5.16 points. The largest single gain is the Perda
    # (rancangan = 20 of 60 points: +40), then nutrition (15 of 50: +35).
    assert (plan.tier, plan.next_tier, round(plan.gap, 9)) == ("Pratama", "Madya", 5.16)
    assert _sets(plan) == [["i01_perda_kla"], ["i13_prevalensi_gizi"]]
    assert plan.sets[0][0].agency == "DP3A"


# -- golden transcripts of `indikator next` ---------------------------------------------


@pytest.mark.golden
@pytest.mark.parametrize("path", sorted(GOLDEN.glob("next_*.txt")), ids=lambda p: p.stem)
def test_golden_next(
    path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    update_golden: bool,  # noqa: FBT001  # a pytest fixture, passed by name
) -> None:
    monkeypatch.chdir(ROOT)
    check_transcript(path, tmp_path, update=update_golden)
