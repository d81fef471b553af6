"""Data readiness (`indikator.readiness`, `indikator readiness`): every cell, never raising."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import indikator
from indikator.readiness import readiness
from indikator.tables import read_csv
from tests.goldens import check_transcript

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "cli"

RULES = """
ruleset siap { scale 0 to 40  region kode  name nama }
input kode: text
input nama: text
input akta: percent { agency "Disdukcapil" missing zero }
input fasilitas: count { agency "Diskominfo" missing exclude range 0 to 20 }
input perda: option("belum", "ada") { agency "DP3A" }
input tim: checklist("sk", "anggaran") { agency "Bappeda" missing zero }
input stunting: percent { agency "Dinkes" missing zero }
indicator i_akta = linear akta from 0 to 100 onto 0 to 10
indicator i_fasilitas = linear fasilitas from 0 to 20 onto 0 to 10
indicator i_perda = options perda { "belum" -> 0, "ada" -> 10 }
indicator i_tim = count(tim) * 2.5
indicator i_stunting = if stunting < prev(stunting) then 5 else 0
group total = sum(i_akta, i_fasilitas, i_perda, i_tim, i_stunting)
"""

CLEAN: dict[str, list[str | None]] = {
    "kode": ["01", "02"],
    "nama": ["Kota A", "Kab B"],
    "akta": ["90", "80"],
    "fasilitas": ["3", "4"],
    "perda": ["ada", "belum"],
    "tim.sk": ["ya", "tidak"],
    "tim.anggaran": ["ya", "ya"],
    "stunting": ["20", "18"],
    "stunting.prev": ["21", "19"],
}


def _with(**cells: list[str | None]) -> dict[str, list[str | None]]:
    return {**CLEAN, **cells}


def test_kla_example_reports_exactly_the_empty_cells_listed_in_examples_readme() -> None:
    ruleset = indikator.load(ROOT / "rulesets" / "kla" / "2025.ikr")
    report = readiness(ruleset, read_csv(ROOT / "examples" / "kla_2025.csv"))
    # examples/README.md, "A few cells are empty on purpose".
    assert sorted((p.region, p.column, p.policy) for p in report.problems) == [
        ("9908", "lksa_terstandar", "zero"),
        ("9915", "perkawinan_anak", "zero"),
        ("9919", "ila", "zero"),
        ("9923", "pmba", "zero"),
        ("9944", "prevalensi_stunting", "zero"),
        ("9948", "penguatan_kelembagaan.anggaran", "zero"),
    ]
    assert {p.kind for p in report.problems} == {"missing"}
    assert not report.blocked
    assert report.by_agency()["Dinas Kesehatan"] == {
        "missing": 2, "invalid": 0, "absent": 0, "regions": 2,
    }  # fmt: skip


def test_a_clean_table_has_no_problems() -> None:
    report = readiness(indikator.loads(RULES), CLEAN)
    assert (report.problems, report.blocked) == ((), False)
    assert report.to_text().endswith("tidak ada masalah")


def test_every_problem_of_every_cell_is_reported_without_raising() -> None:
    table = _with(
        akta=["92,4", "120"],  # unreadable; out of 0..100
        fasilitas=["2.5", None],  # not a whole count; empty under exclude
        perda=["perda", None],  # not an option; empty under error (the default)
        **{"tim.sk": ["mungkin", None]},  # not yes/no; empty item under zero
        **{"stunting.prev": [None, "19"]},  # last year's value empty under zero
    )
    report = readiness(indikator.loads(RULES), table, lang="en")
    found = [(p.region, p.column, p.kind, p.blocks) for p in report.problems]
    assert found == [
        ("01", "akta", "invalid", True),
        ("01", "fasilitas", "not_whole", True),
        ("01", "perda", "invalid", True),
        ("01", "tim.sk", "invalid", True),
        ("01", "stunting.prev", "missing", False),
        ("02", "akta", "out_of_range", True),
        ("02", "fasilitas", "missing", False),
        ("02", "perda", "missing", True),
        ("02", "tim.sk", "missing", False),
    ]
    described = [p.describe("en") for p in report.problems]
    assert described[0] == "unreadable: '92,4'"
    assert described[-2] == "empty (error: evaluation blocked)"
    assert described[-1] == "empty (zero: item counted as not met)"
    assert described[-3] == "empty (exclude: left out, its group renormalised)"
    # Per agency: Disdukcapil 2 invalid in 2 regions; DP3A 1 invalid + 1 empty; ...
    assert report.by_agency() == {
        "Bappeda": {"missing": 1, "invalid": 1, "absent": 0, "regions": 2},
        "DP3A": {"missing": 1, "invalid": 1, "absent": 0, "regions": 2},
        "Dinkes": {"missing": 1, "invalid": 0, "absent": 0, "regions": 1},
        "Disdukcapil": {"missing": 0, "invalid": 2, "absent": 0, "regions": 2},
        "Diskominfo": {"missing": 1, "invalid": 1, "absent": 0, "regions": 2},
    }
    assert report.blocked


def test_absent_extra_and_repeated() -> None:
    table = _with(kode=["01", "01"], catatan=["x", "y"])
    del table["stunting.prev"]
    report = readiness(indikator.loads(RULES), table)
    assert report.absent == (("stunting.prev", "Dinkes"),)
    assert (report.extra, report.repeated) == (("catatan",), ("01",))
    # An absent column concerns every region.
    assert report.by_agency()["Dinkes"] == {"missing": 0, "invalid": 0, "absent": 1, "regions": 2}
    text = report.to_text()
    assert "! Kolom tidak ada di tabel: stunting.prev - Dinkes" in text
    assert "! Kode wilayah berulang: 01" in text


def test_extra_columns_block_only_when_refused() -> None:
    rules = indikator.loads(RULES)
    table = _with(catatan=["x", "y"])
    assert readiness(rules, table).blocked
    relaxed = readiness(rules, table, extra="ignore")
    assert not relaxed.blocked
    assert "Kolom yang tidak dibaca aturan: catatan" in relaxed.to_text()


@pytest.mark.parametrize(
    "cells",
    [
        {},
        {"akta": ["", "80"]},
        {"fasilitas": [None, "4"]},
        {"akta": ["x", "80"]},
        {"fasilitas": ["-1", "4"]},
        {"perda": [None, "ada"]},
        {"kode": ["01", "01"]},
        {"kode": [None, "02"]},
        {"tim.sk": ["", "ya"]},
    ],
    ids=repr,
)
def test_blocked_agrees_with_evaluate_many(cells: dict[str, list[str | None]]) -> None:
    rules = indikator.loads(RULES)
    table = _with(**cells)
    try:
        rules.evaluate_many(table)
    except indikator.DataError:
        refused = True
    else:
        refused = False
    assert readiness(rules, table).blocked == refused


def test_json() -> None:
    report = readiness(indikator.loads(RULES), _with(akta=[None, "80"]))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["blocked"] is False
    assert data["problems"] == [
        {
            "region": "01", "name": "Kota A", "column": "akta", "input": "akta",
            "agency": "Disdukcapil", "kind": "missing", "value": None, "policy": "zero",
            "blocks": False,
        }
    ]  # fmt: skip
    assert data["agencies"] == {
        "Disdukcapil": {"missing": 1, "invalid": 0, "absent": 0, "regions": 1}
    }


def test_a_pandas_frame_is_read_too() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(_with(akta=[None, "80"]))
    report = readiness(indikator.loads(RULES), frame)
    assert [(p.region, p.column, p.kind) for p in report.problems] == [("01", "akta", "missing")]


# -- golden transcripts of `indikator readiness` ----------------------------------------


@pytest.mark.golden
@pytest.mark.parametrize("path", sorted(GOLDEN.glob("readiness_*.txt")), ids=lambda p: p.stem)
def test_golden_readiness(
    path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    update_golden: bool,  # noqa: FBT001  # a pytest fixture, passed by name
) -> None:
    monkeypatch.chdir(ROOT)
    check_transcript(path, tmp_path, update=update_golden)
