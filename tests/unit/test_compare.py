"""Year over year (`compare`) and edition against edition (`diff`), and their commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import indikator
from indikator.compare import Comparison, Movement, compare, diff
from tests.goldens import check_transcript

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "cli"

SUM3 = """
ruleset tiga { title "Tiga" edition 2025  scale 0 to 150  region kode  name nama }
param madya_dari = 100
input kode: text
input nama: text
input x: percent { agency "Dinkes" missing zero }
input y: percent { agency "Dikbud" missing zero }
input z: percent { agency "Dinsos" missing exclude }
input odf: yesno { agency "PUPR" }
indicator a = linear x from 0 to 100 onto 0 to 50
indicator b = linear y from 0 to 100 onto 0 to 50
indicator c = linear z from 0 to 100 onto 0 to 50
group total = sum(a, b, c)
tiers on total {
  pratama "Pratama" [50, 100)
  madya "Madya" [100, 150] requires odf "ODF"
}
"""


def _table(
    *rows: tuple[str, float | None, float | None, float | None, str],
) -> dict[str, list[object]]:
    names = ("kode", "x", "y", "z", "odf")
    table: dict[str, list[object]] = {n: [r[i] for r in rows] for i, n in enumerate(names)}
    return {**table, "nama": [f"Daerah {r[0]}" for r in rows]}


def _movement(result: Comparison, region: str) -> Movement:
    return next(m for m in result.movements if m.region == region)


def test_year_over_year_moves_causes_gates_and_one_sided_regions() -> None:
    rules = indikator.loads(SUM3)
    old = _table(
        ("01", 80, 60, 40, "ya"),  # 40 + 30 + 20 = 90: Pratama
        ("02", 100, 100, 100, "ya"),  # 150: Madya
        ("03", 50, 50, 50, "ya"),  # 75: Pratama
        ("05", 10, 10, 10, "ya"),  # only last year
    )
    new = _table(
        ("01", 100, 80, 40, "ya"),  # 50 + 40 + 20 = 110: Madya (up: a +10, b +10)
        ("02", 100, 100, 100, "tidak"),  # 150 but no ODF: Pratama (down: the gate)
        ("03", 50, 50, 50, "ya"),  # unchanged
        ("04", 10, 10, 10, "ya"),  # only this year
    )
    result = compare(rules, old, new)
    assert [(m.region, m.direction) for m in result.movements] == [
        ("01", "up"), ("02", "down"), ("03", "same"),
    ]  # fmt: skip
    up = _movement(result, "01")
    assert (up.old_score, up.new_score, up.old_tier, up.new_tier) == (90, 110, "Pratama", "Madya")
    assert [(c.indicator, c.old, c.new, c.delta, c.effect, c.agency) for c in up.changes] == [
        ("a", 40.0, 50.0, 10.0, 10.0, "Dinkes"),
        ("b", 30.0, 40.0, 10.0, 10.0, "Dikbud"),
    ]
    down = _movement(result, "02")
    assert down.changes == ()
    assert [(g.tier, g.label, g.old, g.new) for g in down.gates] == [("Madya", "ODF", True, False)]
    assert _movement(result, "03").changes == ()  # only moved regions are explained
    assert (result.only_old, result.only_new) == (("05",), ("04",))
    text = result.to_text()
    assert text.splitlines()[0] == (
        "Perbandingan tahun ke tahun: 3 wilayah di kedua sisi; naik 1, turun 1, tetap 1"
    )
    assert "  01 Daerah 01: Pratama -> Madya (90 -> 110, +20)" in text
    assert "    a (Dinkes): 40 -> 50 (+10), nilai +10" in text
    assert "    syarat Madya: ODF: terpenuhi -> tidak terpenuhi" in text
    assert text.endswith("Hanya di data lama: 05\nHanya di data baru: 04")


def test_an_excluded_indicator_shifts_the_others_shares() -> None:
    rules = indikator.loads(SUM3)
    old = _table(("01", 80, 60, 40, "ya"))  # 40 + 30 + 20 = 90: Pratama
    new = _table(("01", 80, 60, None, "ya"))  # c left out: (40 + 30) / 100 * 150 = 105: Madya
    [moved] = compare(rules, old, new, lang="en").movements
    # Shares of the score: old a 40, b 30, c 20; new a 40 * 1.5 = 60, b 30 * 1.5 = 45, c 0.
    # Effects +20, +15, -20 add up to the score's change, 105 - 90 = 15. Up: the pushes first.
    assert [(c.indicator, c.delta, c.effect) for c in moved.changes] == [
        ("a", 0.0, 20.0),
        ("b", 0.0, 15.0),
        ("c", -20.0, -20.0),
    ]
    assert moved.changes[2].new is None


def test_top_limits_the_causes() -> None:
    rules = indikator.loads(SUM3)
    old = _table(("01", 0, 0, 0, "ya"))
    new = _table(("01", 100, 60, 40, "ya"))  # +50, +30, +20: 100, Madya
    [moved] = compare(rules, old, new, top=2).movements
    assert [c.indicator for c in moved.changes] == ["a", "b"]


def test_diff_of_weights_names_the_changed_parameters_and_the_tier_bounds() -> None:
    rules = indikator.loads(
        SUM3.replace("[50, 100)", "[50, madya_dari)").replace("[100, 150]", "[madya_dari, 150]")
    )
    table = _table(("01", 80, 60, 40, "ya"), ("02", 20, 20, 20, "ya"))  # 90 and 30
    result = diff(rules, rules.with_params({"madya_dari": 90}), table)
    # Madya from 100 -> 90: region 01 (90, with ODF) moves up; 02 (30) stays below Pratama.
    assert [(m.region, m.direction) for m in result.movements] == [("01", "up"), ("02", "same")]
    assert _movement(result, "01").changes == ()  # the same points: the bound moved
    assert result.bounds == (("Madya", 100.0, 90.0),)
    assert (result.a, result.b) == ("tiga 2025", "tiga 2025 (madya_dari = 90)")
    assert "Batas bawah predikat berubah: Madya 100 -> 90" in result.to_text()


def test_diff_of_editions_lists_one_sided_definitions_and_their_points() -> None:
    old_rules = indikator.loads(SUM3)
    # The new edition scores c through a 0..50 band table and adds d (from y), dropping b.
    new_rules = indikator.loads(
        SUM3.replace("edition 2025", "edition 2026")
        .replace("indicator b = linear y from 0 to 100 onto 0 to 50\n", "")
        .replace("sum(a, b, c)", "sum(a, c, d)")
        + "indicator d = bands y { [0, 50) -> 0  [50, 100] -> 50 }\n"
    )
    table = _table(("01", 80, 60, 40, "ya"))
    result = diff(old_rules, new_rules, table, lang="en")
    # A: 40 + 30 + 20 = 90 Pratama; B: 40 + 20 + 50 = 110 Madya. Shares: b 30 -> 0 (-30),
    # d 0 -> 50 (+50). Up: d first.
    [moved] = result.movements
    assert (moved.old_score, moved.new_score, moved.direction) == (90.0, 110.0, "up")
    assert [(c.indicator, c.old, c.new, c.effect) for c in moved.changes] == [
        ("d", None, 50.0, 50.0),
        ("b", 30.0, None, -30.0),
    ]
    assert (result.only_old, result.only_new) == (("b",), ("d",))
    assert result.to_text().splitlines()[-2:] == [
        "Definitions only in A: b",
        "Definitions only in B: d",
    ]


def test_json_and_errors() -> None:
    rules = indikator.loads(SUM3)
    old = _table(("01", 80, 60, 40, "ya"))
    new = _table(("01", 100, 80, 40, "ya"))
    data = json.loads(json.dumps(compare(rules, old, new).to_dict()))
    assert data["movements"][0]["direction"] == "up"
    assert data["movements"][0]["changes"][0] == {
        "indicator": "a", "label": "a", "agency": "Dinkes", "old": 40.0, "new": 50.0,
        "effect": 10.0, "delta": 10.0,
    }  # fmt: skip
    with pytest.raises(indikator.DataError):
        compare(rules, old, _table(("01", 100, 80, 40, "mungkin")))
    flat = indikator.loads("ruleset f { scale 0 to 10 }\ninput x: percent\n"
                           "indicator a = linear x from 0 to 100 onto 0 to 10")  # fmt: skip
    with pytest.raises(ValueError, match="no tiers"):
        compare(flat, {"x": [1]}, {"x": [2]})


# -- golden transcripts of `indikator compare` and `indikator diff` ---------------------


TRANSCRIPTS = sorted([*GOLDEN.glob("compare_*.txt"), *GOLDEN.glob("diff_*.txt")])


@pytest.mark.golden
@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: p.stem)
def test_golden_compare_and_diff(
    path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    update_golden: bool,  # noqa: FBT001  # a pytest fixture, passed by name
) -> None:
    monkeypatch.chdir(ROOT)
    check_transcript(path, tmp_path, update=update_golden)


def test_score_changes_inside_a_tier_are_listed_largest_rise_first() -> None:
    rules = indikator.loads(SUM3)
    old = _table(
        ("01", 60, 60, 60, "ya"),  # 30 + 30 + 30 = 90: Pratama
        ("02", 60, 60, 60, "ya"),  # 90: Pratama
        ("03", 60, 60, 60, "ya"),  # 90: Pratama
        ("04", 60, 60, 60, "ya"),  # 90: Pratama
    )
    new = _table(
        ("01", 70, 60, 60, "ya"),  # a 30 -> 35: 95 (+5), still Pratama
        ("02", 60, 20, 60, "ya"),  # b 30 -> 10: 70 (-20), still Pratama
        ("03", 60, 60, 60, "ya"),  # unchanged
        ("04", 60, 60, 64, "ya"),  # c 30 -> 32: 92 (+2), still Pratama
    )
    result = compare(rules, old, new, lang="en")
    assert [(m.region, m.delta) for m in result.shifted()] == [
        ("01", 5.0), ("04", 2.0), ("02", -20.0),
    ]  # fmt: skip
    assert [(c.indicator, c.delta) for c in _movement(result, "02").changes] == [("b", -20.0)]
    text = result.to_text()
    assert "Same tier, score moved:\n  01 Daerah 01: Pratama (90 -> 95, +5)" in text
    assert "    b (Dikbud): 30 -> 10 (-20), score -20" in text
    document = result.to_dict()
    assert document["shifted"] == ["01", "04", "02"]
    assert [m["delta"] for m in document["movements"]] == [5.0, -20.0, 0.0, 2.0]
    # From 5 points on: 04 (+2) is left out; 5 itself counts.
    larger = compare(rules, old, new, lang="id", min_change=5)
    assert [m.region for m in larger.shifted()] == ["01", "02"]
    assert "Predikat tetap, nilai berubah 5 poin atau lebih:" in larger.to_text()
    with pytest.raises(ValueError, match="min_change"):
        compare(rules, old, new, min_change=-1)
