"""Stages of the season (`Ruleset.evaluate_stages`, `indikator stages`) and per-group roll-ups
(`rollup_view`, `evaluate --by`), on small tables worked by hand.

The mini scheme (tests/golden/cli/data/mini.ikr): total = (akta + paud + gizi) / 2 rounded
to a whole number; Pratama from 50, Madya from 115 when the Perda exists.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import indikator
from indikator.cli import main
from indikator.errors import DataError
from indikator.rollup_view import group_view
from indikator.stages import DEFAULT_STAGES, StageResults
from indikator.stages_view import change_columns, score_columns
from indikator.tables import read_table

ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "golden" / "cli" / "data"
MINI = indikator.load(DATA / "mini.ikr")


def _rows(**stages: Sequence[tuple[str, float, float, float, str]]) -> dict[str, list[Any]]:
    """One table with a `tahap` column from (kode, akta, paud, gizi, perda) rows per stage."""
    table: dict[str, list[Any]] = {k: [] for k in ("kode", "akta", "paud", "gizi", "perda")}
    table["nama"], table["tahap"] = [], []
    for stage, rows in stages.items():
        for row in rows:
            for key, value in zip(("kode", "akta", "paud", "gizi", "perda"), row, strict=True):
                table[key].append(value)
            table["nama"].append(f"Kota {row[0]}")
            table["tahap"].append(stage)
    return table


SEASON = _rows(
    mandiri=[("01", 80, 60, 60, "ya"), ("02", 100, 100, 90, "ya")],
    verifikasi_adm=[("01", 80, 40, 60, "ya"), ("02", 100, 100, 90, "tidak")],
    final=[("01", 60, 40, 60, "ya"), ("02", 100, 100, 90, "tidak")],
)


def test_every_stage_is_scored_in_the_declared_order() -> None:
    staged = MINI.evaluate_stages(SEASON)
    assert isinstance(staged, StageResults)
    assert staged.stages == ("mandiri", "verifikasi_adm", "final")  # no verifikasi_lapangan
    # 01: (80+60+60)/2 = 100, then (80+40+60)/2 = 90, then (60+40+60)/2 = 80
    assert staged["mandiri"].total.tolist() == [100.0, 145.0]
    assert staged["verifikasi_adm"].total.tolist() == [90.0, 145.0]
    assert staged["final"].total.tolist() == [80.0, 145.0]
    with pytest.raises(KeyError, match="verifikasi_lapangan"):
        staged["verifikasi_lapangan"]


def test_what_the_administrative_check_changed() -> None:
    step = MINI.evaluate_stages(SEASON).steps[0]
    assert (step.before, step.after) == ("mandiri", "verifikasi_adm")
    one, two = step.regions
    # 01 lost PAUD points: paud 60 -> 40 is i_paud 30 -> 20, 10 points off the total
    assert (one.region, one.old_score, one.new_score, one.delta) == ("01", 100.0, 90.0, -10.0)
    assert one.direction == "same"
    (change,) = one.changes
    assert (change.indicator, change.agency, change.old, change.new) == (
        "i_paud",
        "Dinas Pendidikan",
        30.0,
        20.0,
    )
    assert (change.delta, change.effect) == (-10.0, -10.0)
    # 02: same points, the Perda rejected: Madya (2) -> Pratama (1), no indicator changed
    assert (two.region, two.delta, two.old_code, two.new_code) == ("02", 0.0, 2, 1)
    assert two.direction == "down"
    assert two.changes == ()
    (gate,) = two.gates  # Madya's only requirement, the Perda: held, then not
    assert (gate.level, gate.index, gate.old, gate.new) == (2, 0, True, False)
    (agency,) = step.agencies
    assert (agency.agency, agency.lost, agency.gained, agency.indicators, agency.regions) == (
        "Dinas Pendidikan",
        -10.0,
        0.0,
        1,
        1,
    )


def test_an_agency_that_loses_and_gains() -> None:
    season = _rows(
        mandiri=[("01", 80, 60, 60, "ya"), ("03", 20, 40, 50, "ya")],
        final=[("01", 60, 60, 60, "ya"), ("03", 30, 40, 50, "ya")],
    )
    (step,) = MINI.evaluate_stages(season).steps
    # 01 akta 80 -> 60: i_akta 40 -> 30 (-10); 03 akta 20 -> 30: i_akta 10 -> 15 (+5)
    assert [(r.region, r.delta) for r in step.regions] == [("01", -10.0), ("03", 5.0)]
    (agency,) = step.agencies
    assert (agency.agency, agency.lost, agency.gained, agency.regions) == (
        "Disdukcapil",
        -10.0,
        5.0,
        2,
    )


def test_unchanged_regions_are_left_out() -> None:
    same = [("01", 80, 60, 60, "ya")]
    (step,) = MINI.evaluate_stages(_rows(mandiri=same, final=same)).steps
    assert step.regions == ()
    assert step.agencies == ()


def test_tables_per_stage_by_name_or_in_order_give_the_same_answer() -> None:
    def stage(name: str) -> dict[str, list[Any]]:
        keep = [i for i, t in enumerate(SEASON["tahap"]) if t == name]
        return {k: [v[i] for i in keep] for k, v in SEASON.items() if k != "tahap"}

    names = ("mandiri", "verifikasi_adm", "final")
    by_name = MINI.evaluate_stages({name: stage(name) for name in names})
    in_order = MINI.evaluate_stages(
        [stage(name) for name in names], stages=("mandiri", "verifikasi_adm", "final")
    )
    for staged in (by_name, in_order):
        assert staged.stages == names
        assert [r.total.tolist() for r in staged.results] == [[100, 145], [90, 145], [80, 145]]


def test_declared_stages_and_a_named_stage_column() -> None:
    table = dict(SEASON)
    table["putaran"] = [
        {"mandiri": "a", "verifikasi_adm": "b", "final": "c"}[t] for t in SEASON["tahap"]
    ]
    del table["tahap"]
    staged = MINI.evaluate_stages(table, stages=["c", "b", "a"], stage_column="putaran")
    # the declared order decides: c (final) first
    assert staged.stages == ("c", "b", "a")
    assert staged.steps[0].regions[0].delta == 10.0  # 01: 80 -> 90


def _error(table: Any, **options: Any) -> DataError:
    with pytest.raises(DataError) as caught:
        MINI.evaluate_stages(table, **options)
    return caught.value


def test_a_stage_not_declared_is_named_with_its_regions() -> None:
    table = dict(SEASON, tahap=[t.replace("final", "finall") for t in SEASON["tahap"]])
    (problem,) = _error(table).problems
    assert (problem.code, problem.field) == ("IK506", "tahap")
    assert problem.regions == ("01", "02")
    assert "'finall'" in problem.message.render("en")
    assert "'final'" in problem.message.render("en")  # the guess
    (problem,) = _error(SEASON, stages=("mandiri", "final")).problems
    assert "verifikasi_adm" in problem.message.render("en")


def test_a_missing_or_empty_stage_column() -> None:
    table = {k: v for k, v in SEASON.items() if k != "tahap"}
    (problem,) = _error(table).problems
    assert (problem.code, problem.field) == ("IK501", "tahap")
    (problem,) = _error(SEASON, stage_column="putaran").problems
    assert (problem.code, problem.field) == ("IK501", "putaran")
    empty = dict(SEASON, tahap=["mandiri", "", *SEASON["tahap"][2:]])
    (problem,) = _error(empty).problems
    assert (problem.code, problem.regions) == ("IK505", ("02",))


def test_a_region_in_one_stage_only_is_refused_not_compared() -> None:
    table = _rows(
        mandiri=[("01", 80, 60, 60, "ya"), ("02", 100, 100, 90, "ya")],
        final=[("01", 80, 60, 60, "ya"), ("03", 20, 40, 50, "ya")],
    )
    problems = _error(table).problems
    assert [(p.code, p.regions) for p in problems] == [("IK517", ("02",)), ("IK517", ("03",))]
    text = problems[0].message.render("en")
    assert "'mandiri'" in text
    assert "'final'" in text


def test_the_default_stages() -> None:
    assert DEFAULT_STAGES == ("mandiri", "verifikasi_adm", "verifikasi_lapangan", "final")


def test_columns_of_the_changes_and_the_scores() -> None:
    staged = MINI.evaluate_stages(SEASON)
    changes = change_columns(staged, "en")
    assert changes["region"] == ["01", "01"]
    assert changes["indicator"] == ["i_paud", "i_akta"]
    assert changes["delta"] == [-10.0, -10.0]
    assert changes["from_stage"] == ["mandiri", "verifikasi_adm"]
    scores = score_columns(staged, "en")
    assert scores["final"] == [80.0, 145.0]
    assert scores["verifikasi_adm.tier"] == ["Pratama", "Pratama"]


# -- per group ----------------------------------------------------------------------


def test_groups_count_mean_shares_ranks_and_gaps() -> None:
    results = MINI.evaluate_many(
        {k: v for k, v in read_table(DATA / "mini_provinsi.csv").items() if k != "provinsi"}
    )
    groups = ["Barat", "Barat", "Barat", "Timur", "Timur", "Timur"]
    view = group_view(results, groups, by="provinsi", lang="en")
    barat, timur = view.groups
    assert view.tiers == ("None", "Pratama", "Madya")
    # Barat: 100, 145, 55 -> mean 100; Pratama 2 of 3, Madya 1 of 3
    assert (barat.count, barat.mean, barat.shares) == (3, 100.0, (0.0, 2 / 3, 1 / 3))
    assert [(m.region, m.rank) for m in barat.members] == [("02", 1), ("01", 2), ("03", 3)]
    # 01: 115 - 100 = 15 to Madya; 03: 115 - 55 = 60; 02 at the top tier
    assert [(m.region, m.gap) for m in barat.closest()] == [("01", 15.0), ("03", 60.0)]
    # Timur: 130 (Pratama for want of a Perda: held), 40, 75 -> mean 245 / 3
    assert timur.mean == pytest.approx(81.666666667)
    held = timur.members[0]
    assert (held.region, held.gap, held.held, held.next_tier) == ("04", 0.0, True, "Madya")
    assert [(m.region, m.gap) for m in timur.closest(2)] == [("04", 0.0), ("05", 10.0)]


def test_equal_scores_share_a_rank_and_empty_groups_are_refused() -> None:
    table = {
        "kode": ["01", "02", "03"],
        "akta": [50, 50, 10],
        "paud": [50, 50, 10],
        "gizi": [50, 50, 10],
        "perda": ["ya", "ya", "ya"],
        "nama": ["A", "B", "C"],
    }
    results = MINI.evaluate_many(table)
    (group,) = group_view(results, ["X", "X", "X"], by="provinsi").groups
    assert [m.rank for m in group.members] == [1, 1, 3]  # 75, 75, 15
    with pytest.raises(DataError) as caught:
        group_view(results, ["X", None, " "], by="provinsi")
    (problem,) = caught.value.problems
    assert (problem.code, problem.field, problem.regions) == ("IK505", "provinsi", ("02", "03"))


# -- the command line's files ----------------------------------------------------------


def _run(*arguments: str) -> str:
    result = CliRunner().invoke(main, list(arguments))
    assert result.exit_code == 0, result.output
    return result.output


def test_stages_writes_csv_json_and_a_workbook(tmp_path: Path) -> None:
    data = str(DATA / "mini_tahap.csv")
    for suffix in ("csv", "json", "xlsx"):
        _run("stages", str(DATA / "mini.ikr"), data, "-o", str(tmp_path / f"t.{suffix}"))
    rows = read_table(tmp_path / "t.csv")
    # adm: 01 i_paud -10; lapangan: 01 i_akta -10, 03 i_akta +5
    assert [str(r) for r in rows["region"]] == ["01", "01", "03"]
    assert [float(d) for d in rows["delta"]] == [-10.0, -10.0, 5.0]
    document = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert [s["to"] for s in document["steps"]] == ["verifikasi_adm", "verifikasi_lapangan"]
    assert document["steps"][0]["regions"][1]["direction"] == "down"
    sheet = read_table(tmp_path / "t.xlsx")
    assert [float(d) for d in sheet["delta"]] == [-10.0, -10.0, 5.0]


def test_stages_from_one_file_per_stage(tmp_path: Path) -> None:
    lines = (DATA / "mini_tahap.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].replace(",tahap", "")
    files = []
    for stage in ("mandiri", "verifikasi_adm"):
        rows = [line.replace(f",{stage}", "") for line in lines[1:] if f",{stage}," in line]
        path = tmp_path / f"{stage}.csv"
        path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        files.append(str(path))
    output = _run("stages", str(DATA / "mini.ikr"), *files, "--format", "json")
    document = json.loads(output)
    assert document["stages"] == ["mandiri", "verifikasi_adm"]
    assert [r["region"] for r in document["steps"][0]["regions"]] == ["01", "02"]


def test_evaluate_by_writes_the_groups(tmp_path: Path) -> None:
    data = str(DATA / "mini_provinsi.csv")
    for suffix in ("csv", "xlsx", "json"):
        out = str(tmp_path / f"p.{suffix}")
        _run("evaluate", str(DATA / "mini.ikr"), data, "--by", "provinsi", "--rollups", out)
    summary = read_table(tmp_path / "p.csv")
    assert [str(v) for v in summary["provinsi"]] == ["Barat", "Timur"]
    assert [float(v) for v in summary["jumlah wilayah"]] == [3, 3]
    assert [round(float(v), 2) for v in summary["rata-rata nilai"]] == [100.0, 81.67]
    document = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    timur = document["groups"][1]
    assert [r["region"] for r in timur["regions"]] == ["04", "06", "05"]
    assert timur["closest"] == ["04", "05", "06"]
    workbook = read_table(tmp_path / "p.xlsx", sheet="wilayah")
    assert [int(float(v)) for v in workbook["peringkat"]] == [1, 2, 3, 1, 2, 3]


def test_the_report_shows_the_stages_and_the_groups(tmp_path: Path) -> None:
    lines = (DATA / "mini_tahap.csv").read_text(encoding="utf-8").splitlines()
    rows = [f"{line},{'Timur' if line.startswith('03,') else 'Barat'}" for line in lines[1:]]
    data = tmp_path / "tahap.csv"
    data.write_text("\n".join([f"{lines[0]},provinsi", *rows]) + "\n", encoding="utf-8")
    page = tmp_path / "laporan.html"
    _run("report", str(DATA / "mini.ikr"), str(data), "--stages", "--by", "provinsi",
         "-o", str(page), "--lang", "en")  # fmt: skip
    html = page.read_text(encoding="utf-8")
    stages = html[html.index('id="stages"') : html.index('id="by-provinsi"')]
    assert "mandiri → verifikasi_adm" in stages
    assert "Dinas Pendidikan" in stages  # lost 10 at the administrative check
    groups = html[html.index('id="by-provinsi"') :]
    # the last stage: Barat 01 80 and 02 145 (Pratama, held): mean 112.50; Timur 03 60
    assert "112.50" in groups
    assert "35 to Madya" in groups  # 01: 115 - 80
    assert "55 to Madya" in groups  # 03: 115 - 60


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_new_outputs_speak_one_language(lang: str, tmp_path: Path) -> None:
    from tests.unit.test_untranslated import _text_of_html, untranslated  # noqa: PLC0415

    mini, season = str(DATA / "mini.ikr"), str(DATA / "mini_tahap.csv")
    text = _run("stages", mini, season, "--lang", lang)
    text += _run("evaluate", mini, str(DATA / "mini_provinsi.csv"), "--by", "provinsi",
                 "--lang", lang)  # fmt: skip
    page = tmp_path / "laporan.html"
    _run("report", mini, season, "--stages", "-o", str(page), "--lang", lang)
    text += _text_of_html(page.read_text(encoding="utf-8"))
    assert untranslated(text, lang) == []


def test_the_results_workbook_holds_the_groups(tmp_path: Path) -> None:
    out = tmp_path / "hasil.xlsx"
    _run("evaluate", str(DATA / "mini.ikr"), str(DATA / "mini_provinsi.csv"), "--by", "provinsi",
         "-o", str(out))  # fmt: skip
    summary = read_table(out, sheet="per_provinsi")
    assert [str(v) for v in summary["provinsi"]] == ["Barat", "Timur"]
    assert [round(float(v), 2) for v in summary["rata-rata nilai"]] == [100.0, 81.67]
    regions = read_table(out, sheet="per_provinsi_wilayah")
    assert [str(v) for v in regions["region"]] == ["02", "01", "03", "04", "06", "05"]
