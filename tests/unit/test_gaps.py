"""An empty cell must not pay: `indikator.gaps`, and its part in `readiness` and `explain`.

Every expected number is worked by hand in the comment above it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import indikator
from indikator import Gaps, GapWorth, gaps, loads
from indikator.cli import main
from indikator.data import Table
from indikator.readiness import readiness

ROOT = Path(__file__).resolve().parents[2]

# The issue's example in a two-action miniature of the stunting 2021 scheme: action 4 sums the
# village-budget item (graded D/C/B/A = 1/2/3/4 from the share of villages, `missing exclude`)
# and the regulation document (4 points for "ya"), 8 points; action 1 a document of 8 points.
# The total weighs the two actions' shares 50 : 50 (as the scheme's 12.5 each of 8); tiers
# Baik [80, 95), Sangat baik [95, 100].
STUNTING = """
ruleset mini_stunting { scale 0 to 100  region kode  name nama }
input kode: text
input nama: text
input a1_dokumen: yesno { missing zero }
input a4_desa: percent { missing exclude }
input a4_dokumen: yesno { missing zero }
indicator i1 = if a1_dokumen then 8 else 0
indicator i4_desa = bands a4_desa {
  [0, 50)    -> 1
  [50, 75)   -> 2
  [75, 100)  -> 3
  [100, 100] -> 4
}
indicator i4_dokumen = if a4_dokumen then 4 else 0
group aksi_1 = sum(i1)
group aksi_4 = sum(i4_desa, i4_dokumen)
group total = weighted(aksi_1: 50, aksi_4: 50) max 100
tiers on total {
  below "Kurang" en "Poor"
  baik "Baik" en "Good" [80, 95)
  sangat_baik "Sangat baik" en "Very good" [95, 100]
}
"""

TABLE = {
    "kode": ["3201", "3202"],
    "nama": ["Kab. Kosong", "Kab. Jujur"],
    "a1_dokumen": ["ya", "ya"],
    "a4_desa": ["", "40"],
    "a4_dokumen": ["ya", "ya"],
}


def _ruleset() -> indikator.Ruleset:
    return loads(STUNTING)


def test_the_issue_example_empty_outranks_honest_40_percent() -> None:
    rs = _ruleset()
    results = rs.evaluate_many(TABLE)
    # 3201: a4_desa left out, aksi_4 = 4 of 4 renormalised to 8 of 8; total = 50 x 8/8 + 50 x 8/8
    # = 100. 3202: 40 % is a D = 1; aksi_4 = 1 + 4 = 5; total = 50 x 8/8 + 50 x 5/8 = 81.25.
    assert results.total.tolist() == [100.0, 81.25]
    report = gaps(rs, TABLE)
    assert isinstance(report, Gaps)
    (cell,) = report.cells
    assert isinstance(cell, GapWorth)
    # Worst value in the gap: any share below 50 % is a D = 1, as 3202's: total 81.25 (Baik).
    # Best: 100 % is an A = 4: aksi_4 = 8, total 100 (Sangat baik).
    assert (cell.region, cell.input, cell.score, cell.worst, cell.best) == (
        "3201", "a4_desa", 100.0, 81.25, 100.0,
    )  # fmt: skip
    assert cell.worst_value == 0.0
    assert cell.best_value == 100.0
    assert (cell.tier, cell.tier_worst, cell.tier_best) == ("Sangat baik", "Baik", "Sangat baik")
    assert cell.gains
    assert cell.tier_changes
    assert report.gaming == ("3201",)
    assert report.of("3202") == ()


def test_no_flag_when_the_empty_cell_scores_as_the_worst_answer() -> None:
    # missing zero instead: the empty cell is the worst answer's own score, nothing to gain,
    # and no cell is excluded at all.
    rs = loads(
        STUNTING.replace(
            "a4_desa: percent { missing exclude }", "a4_desa: percent { missing zero }"
        )
    )
    # 3201: i4_desa = 0; aksi_4 = 0 + 4 = 4; total = 50 + 50 x 4/8 = 75 < 3202's 81.25.
    assert rs.evaluate_many(TABLE).total.tolist() == [75.0, 81.25]
    assert gaps(rs, TABLE).cells == ()
    assert gaps(rs, TABLE).gaming == ()


def test_exclude_that_does_not_pay_is_not_flagged() -> None:
    # With every other item at 0, leaving the cell out gives 0 / 4 x 8 = 0 for aksi_4, the
    # worst answer D = 1 gives aksi_4 = 1: the empty cell scores below the worst answer.
    # (aksi_1 = 0 too.)
    table = {**TABLE, "a1_dokumen": ["tidak", "tidak"], "a4_dokumen": ["tidak", "tidak"]}
    (cell,) = gaps(_ruleset(), table).cells
    # as evaluated 0; worst 50 x 1/8 = 6.25; best 50 x 4/8 = 25.
    assert (cell.score, cell.worst, cell.best) == (0.0, 6.25, 25.0)
    assert not cell.gains


KINDS = """
ruleset kinds { scale 0 to 100  region kode }
input kode: text
input x: percent { missing zero }
input ok: yesno { missing exclude }
input lvl: option("rendah", "sedang", "tinggi") { missing exclude }
input n: count { missing exclude }
input lower: percent { better lower missing exclude }
indicator ix = linear x from 0 to 100 onto 0 to 20
indicator iok = if ok then 20 else 0
indicator ilvl = options lvl { "rendah" -> 20  "sedang" -> 5  "tinggi" -> 10 }
indicator in = linear n from 2 to 6 onto 0 to 20
indicator ilower = linear lower from 0 to 100 onto 20 to 0
group total = sum(ix, iok, ilvl, in, ilower)
"""


def test_worst_and_best_per_input_kind() -> None:
    rs = loads(KINDS)
    table = {
        "kode": ["1", "2", "3", "4"],
        "x": [50, 50, 50, 50],
        "ok": ["", "ya", "ya", "ya"],
        "lvl": ["sedang", "", "sedang", "sedang"],
        "n": [4, 4, "", 4],
        "lower": [50, 50, 50, ""],
    }
    cells = {c.region: c for c in gaps(rs, table).cells}
    # Row 1, others: ix 10, ilvl 5, in 10 (4 of 2..6), ilower 10 = 35 of 80 present.
    # As evaluated 35 / 80 x 100 = 43.75; worst ok = tidak: 35; best ok = ya: 55.
    assert (cells["1"].worst_value, cells["1"].best_value) == ("tidak", "ya")
    assert (cells["1"].score, cells["1"].worst, cells["1"].best) == (43.75, 35.0, 55.0)
    # Row 2, others: 10 + 20 + 10 + 10 = 50 of 80 -> 62.5; worst option 'sedang' (5): 55;
    # best 'rendah' (20): 70 (the worst and best option, not the first and last).
    assert (cells["2"].worst_value, cells["2"].best_value) == ("sedang", "rendah")
    assert (cells["2"].score, cells["2"].worst, cells["2"].best) == (62.5, 55.0, 70.0)
    # Row 3, count: others 10 + 20 + 5 + 10 = 45 of 80 -> 56.25; the scale's ends 2 and 6 are
    # the worst (0 points: 45) and the best (20 points: 65) values that matter.
    assert (cells["3"].worst, cells["3"].best) == (45.0, 65.0)
    assert float(cells["3"].worst_value) <= 2
    assert float(cells["3"].best_value) >= 6
    # Row 4, better lower: 100 % is the worst (0 points), 0 % the best (20); others 45 of 80
    # -> 56.25; worst 45; best 65.
    assert (cells["4"].worst_value, cells["4"].best_value) == (100.0, 0.0)
    assert (cells["4"].score, cells["4"].worst, cells["4"].best) == (56.25, 45.0, 65.0)
    assert all(c.tier is None and not c.tier_changes for c in cells.values())


def test_bands_with_an_open_edge_find_the_inner_value() -> None:
    rs = loads("""
ruleset b { scale 0 to 10  region kode }
input kode: text
input a: number { missing zero }
input b: number { missing exclude }
indicator ia = linear a from 0 to 10 onto 0 to 5
indicator ib = bands b {
  (-inf, 0]  -> 1
  (0, 10)    -> 5
  [10, inf)  -> 0
}
group total = sum(ia, ib)
""")
    (cell,) = gaps(rs, {"kode": ["1"], "a": [10], "b": [""]}).cells
    # ia = 5; as evaluated 5 / 5 x 10 = 10; worst b >= 10: 0 points, 5 of 10 = 5 (scale 10);
    # best 0 < b < 10: 5 points, 10.
    assert (cell.score, cell.worst, cell.best) == (10.0, 5.0, 10.0)
    assert 0 < float(cell.best_value) < 10
    assert float(cell.worst_value) >= 10


def test_json_is_strict_and_complete() -> None:
    document = gaps(_ruleset(), TABLE).to_dict()
    text = json.dumps(document, allow_nan=False)
    assert json.loads(text)["gaming"] == ["3201"]
    (cell,) = document["cells"]
    assert cell["gains"] is True
    assert cell["tier_changes"] is True
    assert set(cell) >= {"region", "input", "score", "worst", "best", "worst_value", "best_value"}


def test_texts_in_indonesian_and_english() -> None:
    id_text = gaps(_ruleset(), TABLE).to_text()
    en_text = gaps(_ruleset(), TABLE, lang="en").to_text()
    assert "untung karena dikosongkan" in id_text
    assert "jika terburuk" in id_text
    assert "Sangat baik (Baik .. Sangat baik)" in id_text
    assert "81,25 (0)" in id_text  # Indonesian notation: a decimal comma
    assert "gains by leaving it empty" in en_text
    assert "81.25 (0)" in en_text
    assert "Very good (Good .. Very good)" in en_text
    assert "tidak ada wilayah" in gaps(_ruleset(), TABLE).to_text("3202") or (
        "tidak ada sel kosong" in gaps(_ruleset(), TABLE).to_text("3202")
    )


def test_readiness_carries_the_gaps_and_not_when_blocked() -> None:
    report = readiness(_ruleset(), TABLE)
    assert report.gaps is not None
    assert report.gaps.gaming == ("3201",)
    assert "untung karena dikosongkan" in report.to_text()
    assert json.loads(json.dumps(report.to_dict(), allow_nan=False))["gaps"]["gaming"] == ["3201"]
    blocked = readiness(_ruleset(), {**TABLE, "a4_dokumen": ["ya", "mungkin"]})
    assert blocked.blocked
    assert blocked.gaps is None


def _write(tmp_path: Path) -> tuple[str, str]:
    rules = tmp_path / "mini.ikr"
    rules.write_text(STUNTING, encoding="utf-8")
    data = tmp_path / "data.csv"
    lines = [",".join(TABLE)] + [",".join(str(TABLE[c][i]) for c in TABLE) for i in range(2)]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(rules), str(data)


def test_cli_readiness_text_and_json(tmp_path: Path) -> None:
    rules, data = _write(tmp_path)
    result = CliRunner().invoke(main, ["readiness", rules, data])
    assert result.exit_code == 0, result.output
    assert "! untung karena dikosongkan" in result.output
    assert "1 wilayah mendapat skor lebih tinggi" in result.output
    result = CliRunner().invoke(main, ["readiness", rules, data, "--format", "json"])
    document = json.loads(result.output)
    assert document["gaps"]["cells"][0]["worst"] == 81.25
    assert document["gaps"]["gaming"] == ["3201"]


def test_cli_explain_shows_the_region_gaps(tmp_path: Path) -> None:
    rules, data = _write(tmp_path)
    result = CliRunner().invoke(main, ["explain", rules, data, "--region", "3201", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "gains by leaving it empty" in result.output
    assert "81.25 (0)" in result.output
    result = CliRunner().invoke(main, ["explain", rules, data, "--region", "3202"])
    assert "dikosongkan" not in result.output
    result = CliRunner().invoke(
        main, ["explain", rules, data, "--region", "3201", "--format", "json"]
    )
    (cell,) = json.loads(result.output)["gaps"]
    assert (cell["score"], cell["worst"], cell["best"], cell["gains"]) == (100, 81.25, 100, True)


def test_public_api() -> None:
    assert {"gaps", "Gaps", "GapWorth"} <= set(indikator.__all__)
    with pytest.raises(AttributeError):
        gaps(_ruleset(), TABLE).cells[0].score = 0  # type: ignore[misc]  # frozen


def test_one_evaluation_per_value_not_per_region(monkeypatch: pytest.MonkeyPatch) -> None:
    rs = _ruleset()
    calls = []
    original = indikator.Ruleset.evaluate_many

    def counting(self: indikator.Ruleset, table: object, **kwargs: Any) -> indikator.Results:
        calls.append(1)
        return original(self, table, **kwargs)

    monkeypatch.setattr(indikator.Ruleset, "evaluate_many", counting)
    size = 200
    table = {
        "kode": [f"{i:04d}" for i in range(size)],
        "nama": ["x"] * size,
        "a1_dokumen": ["ya"] * size,
        "a4_desa": ["" if i % 2 else "40" for i in range(size)],
        "a4_dokumen": ["ya"] * size,
    }
    report = gaps(rs, table)
    assert len(report.cells) == size // 2
    # the table as it is, then one evaluation per value tried: the range ends 0 and 100, the
    # band edges 50 and 75, and a value inside each band (25, 62.5, 87.5): 1 + 7 calls.
    assert len(calls) == 1 + 7


def test_checklist_and_indonesian_notation() -> None:
    rs = loads("""
ruleset c { scale 0 to 10  region kode }
input kode: text
input x: percent { missing zero }
input sk: checklist("a", "b") { missing exclude }
indicator ix = linear x from 0 to 100 onto 0 to 5
indicator isk = count(sk) * 2.5
group total = sum(ix, isk)
""")
    table = Table({"kode": ["1"], "x": ["50,5"], "sk.a": [""], "sk.b": [""]}, locale="id")
    (cell,) = gaps(rs, table).cells
    # ix = 50.5 / 100 x 5 = 2.525; left out: 2.525 / 5 x 10 = 5.05; worst both items 'tidak':
    # 2.525 + 0 = 2.525; best both 'ya': 2.525 + 5 = 7.525.
    assert (cell.worst_value, cell.best_value) == ("tidak", "ya")
    assert cell.score == pytest.approx(5.05)
    assert cell.worst == pytest.approx(2.525)
    assert cell.best == pytest.approx(7.525)
