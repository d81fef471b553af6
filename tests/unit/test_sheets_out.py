"""Ranks and rollups on the terminal and in files, `--show`, shipped rulesets by name,
`indikator list`, and the Python outputs (`to_json`, `to_pandas`, `to_arrow`, `rollups`).

The ruleset and data are those of tests/unit/test_workbook.py, whose docstring works out
every number by hand.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import indikator
from indikator.cli import main
from indikator.resources import rulesets_dir
from indikator.tables import read_csv, read_table
from tests.unit.test_workbook import DATA, RULESET

EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "r.ikr").write_text(RULESET, encoding="utf-8")
    (tmp_path / "d.csv").write_text(DATA, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def _strict(text: str) -> Any:
    def refuse(constant: str) -> None:
        raise AssertionError(constant)

    return json.loads(text, parse_constant=refuse)


# -- the terminal -------------------------------------------------------------------------


@pytest.mark.usefixtures("folder")
def test_ranks_read_with_their_group_and_rollups_follow() -> None:
    result = run("evaluate", "r.ikr", "d.csv")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["wilayah", "nama", "total", "predikat", "Peringkat", "provinsi"]
    row = {line.split()[0]: line for line in lines if line[:4].isdigit()}
    assert row["9968"].split()[-8:] == ["90", "Madya", "1", "dari", "2", "di", "Contoh", "Selatan"]
    assert row["9967"].endswith("2 dari 2 di Contoh Selatan")
    assert row["9914"].endswith("1 dari 1 di Contoh Barat")
    tail = result.output[result.output.index("Ringkasan provinsi (per_provinsi)") :].splitlines()
    assert tail[1].split() == ["provinsi", "jumlah", "rata", "persen"]
    assert tail[3].split() == ["Contoh", "Barat", "1", "46,00", "0,0", "%"]
    assert tail[4].split() == ["Contoh", "Selatan", "2", "70,00", "100,0", "%"]
    english = run("evaluate", "r.ikr", "d.csv", "--lang", "en").output
    assert "1 of 2 in Contoh Selatan" in english
    assert "Province summary (per_provinsi)" in english


@pytest.mark.usefixtures("folder")
def test_show_chooses_the_columns() -> None:
    result = run("evaluate", "r.ikr", "d.csv", "--show", "i_kawin, i_akta.met,total")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["wilayah", "i_kawin", "i_akta.met", "total"]
    assert lines[2].split() == ["9968", "30", "ya", "90"]
    assert lines[3].split() == ["9967", "-", "tidak", "50"]  # excluded: no points
    assert lines[4].split() == ["9914", "16", "tidak", "46"]


@pytest.mark.usefixtures("folder")
def test_show_refuses_an_unknown_column_with_a_guess() -> None:
    result = run("evaluate", "r.ikr", "d.csv", "--show", "totl")
    assert result.exit_code == 2  # a usage error
    assert "--show: tidak ada kolom 'totl'; maksud Anda 'total'?" in result.output
    result = run("evaluate", "r.ikr", "d.csv", "--show", "zzz", "--lang", "en")
    assert "--show: no column 'zzz'; the columns are region, name, i_akta" in result.output


# -- files ---------------------------------------------------------------------------


def test_csv_and_json_hold_ranks_as_integers_with_their_group(folder: Path) -> None:
    assert run("evaluate", "r.ikr", "d.csv", "-o", "hasil.csv").exit_code == 0
    text = (folder / "hasil.csv").read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    assert header[-3:] == ["tier", "peringkat", "provinsi"]
    assert text[1].split(",")[-3:] == ["Madya", "1", "Contoh Selatan"]
    assert "i_akta.met" in header
    assert run("evaluate", "r.ikr", "d.csv", "-o", "hasil.json").exit_code == 0
    document = _strict((folder / "hasil.json").read_text(encoding="utf-8"))
    records = document["records"] if isinstance(document, dict) else document
    assert [r["peringkat"] for r in records] == [1, 2, 1]
    assert records[1]["i_kawin"] is None


@pytest.mark.parametrize("suffix", [".csv", ".json", ".xlsx"])
def test_rollups_file(folder: Path, suffix: str) -> None:
    result = run("evaluate", "r.ikr", "d.csv", "--rollups", f"rekap{suffix}")
    assert result.exit_code == 0, result.output
    table = read_table(folder / f"rekap{suffix}")
    assert list(table) == ["provinsi", "jumlah", "rata", "persen"]
    assert list(table["provinsi"]) == ["Contoh Barat", "Contoh Selatan"]
    assert [float(v) for v in table["jumlah"]] == [1, 2]
    assert [float(v) for v in table["rata"]] == [46, 70]


def test_rollups_of_a_ruleset_without_any(folder: Path) -> None:
    (folder / "plain.ikr").write_text(RULESET[: RULESET.index("rank peringkat")], encoding="utf-8")
    result = run("evaluate", "plain.ikr", "d.csv", "--rollups", "rekap.csv")
    assert result.exit_code == 2
    assert "tidak mendeklarasikan rekap" in result.output
    assert not (folder / "rekap.csv").exists()


# -- shipped rulesets by name ------------------------------------------------------------


def test_a_shipped_ruleset_by_name_is_the_file() -> None:
    data = str(EXAMPLES / "kks_2021.csv")
    by_name = run("evaluate", "kks@2021", data)
    by_path = run("evaluate", str(rulesets_dir() / "kks" / "2021.ikr"), data)
    assert by_name.exit_code == 0, by_name.output
    assert by_name.output == by_path.output
    latest = run("evaluate", "kla", str(EXAMPLES / "kla_2025.csv"))
    assert latest.exit_code == 0, latest.output
    assert run("sources", "stunting@2024").exit_code == 0
    assert run("check", "kla").exit_code == 0


def test_an_unknown_name_or_edition_is_a_usage_error_with_a_guess() -> None:
    result = run("evaluate", "kal", str(EXAMPLES / "kla_2025.csv"))
    assert result.exit_code == 2
    assert "no shipped ruleset 'kal' (shipped: kks, kla, stunting); did you mean 'kla'?" in (
        result.output
    )
    result = run("sources", "kks@2019")
    assert result.exit_code == 2
    assert "no edition 2019 of 'kks' (editions: 2021, 2025)" in result.output


def test_a_local_file_of_that_name_wins(folder: Path) -> None:
    (folder / "kla").write_text(RULESET, encoding="utf-8")
    result = run("evaluate", "kla", "d.csv")
    assert result.exit_code == 0, result.output
    assert "1 dari 2 di Contoh Selatan" in result.output


@pytest.mark.usefixtures("folder")
def test_a_path_stays_a_path() -> None:
    result = run("evaluate", "tidak/ada.ikr", "d.csv", "--lang", "en")
    assert result.exit_code == 1
    assert "IK004" in result.output or "IK103" in result.output


# -- indikator list ------------------------------------------------------------------------


def test_list_names_every_shipped_ruleset() -> None:
    result = run("list")
    assert result.exit_code == 0, result.output
    heads = [line for line in result.output.splitlines() if line and not line.startswith(" ")]
    assert [h.split()[0] for h in heads] == [
        "kks@2021", "kks@2025", "kla@2025", "stunting@2021", "stunting@2024",
    ]  # fmt: skip
    assert heads[2].startswith("kla@2025  Evaluasi Kabupaten/Kota Layak Anak 2025")
    assert heads[2].endswith("(edisi terbaru: juga bernama 'kla')")
    assert "(edisi terbaru" not in heads[0]
    assert "    - Perpres 25/2021" in result.output
    english = run("list", "--lang", "en").output
    assert "kla@2025  Child-Friendly Regency/City Evaluation 2025" in english
    assert "    sources:" in english
    items = _strict(run("list", "--format", "json").output)
    kla = next(i for i in items if i["name"] == "kla@2025")
    assert kla["latest"] is True
    assert kla["sources"][:1] == ["Perpres 25/2021"]


# -- Python ---------------------------------------------------------------------------------


def _results(folder: Path) -> indikator.Results:
    return indikator.load(folder / "r.ikr").evaluate_many(read_csv(folder / "d.csv"))


def test_results_to_json_is_strict_and_has_ranks_and_rollups(folder: Path) -> None:
    document = _strict(_results(folder).to_json())
    assert "assumptions" not in document  # nothing in this ruleset is marked assumed
    regions = {r["region"]: r for r in document["regions"]}
    assert regions["9967"]["i_kawin"] is None
    assert regions["9967"]["peringkat"] == 2
    assert document["rollups"]["per_provinsi"][1] == {
        "provinsi": "Contoh Selatan", "jumlah": 2, "rata": 70.0, "persen": 100.0,
    }  # fmt: skip
    one = _strict(_results(folder).region("9967").to_json())
    assert one["total"] == 50
    assert one["i_kawin"] is None


def test_to_json_carries_the_assumption_banner() -> None:
    rs = indikator.load_ruleset("kla")
    results = rs.evaluate_many(read_csv(EXAMPLES / "kla_2025.csv"))
    banner = results.provenance_note("en")
    assert banner is not None
    assert _strict(results.to_json("en"))["assumptions"] == banner
    assert _strict(results.region(0).to_json("en"))["assumptions"] == banner


def test_pandas_and_arrow_hold_ranks_as_nullable_integers(folder: Path) -> None:
    pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    frame = _results(folder).to_pandas()
    assert str(frame["peringkat"].dtype) == "Int64"
    assert frame["peringkat"].tolist() == [1, 2, 1]
    assert str(frame["i_akta.met"].dtype) == "boolean"
    table = _results(folder).to_arrow()
    assert table.schema.field("peringkat").type == pa.int64()
    assert table.column("peringkat").to_pylist() == [1, 2, 1]


def test_rollups_returns_every_rollup(folder: Path) -> None:
    tables = _results(folder).rollups()
    assert list(tables) == ["per_provinsi"]
    assert tables["per_provinsi"]["jumlah"] == [1, 2]
    assert all(isinstance(v, int) for v in tables["per_provinsi"]["jumlah"])
    assert math.isclose(tables["per_provinsi"]["rata"][1], 70)


def test_columns_follow_the_ruleset_not_the_evaluation(folder: Path) -> None:
    columns = list(_results(folder).columns())
    assert columns == [
        "region", "name", "i_akta", "i_akta.met", "i_kawin", "i_kawin.met", "total", "tier",
        "peringkat", "provinsi",
    ]  # fmt: skip
    kla = indikator.load_ruleset("kla").evaluate_many(read_csv(EXAMPLES / "kla_2025.csv"))
    scored = [c for c in kla.columns() if c.startswith(("i", "klaster")) and "." not in c]
    first = [c for c in scored if c.startswith("i")][:4]
    assert first == sorted(first)  # i01, i02, i03, i04: in the ruleset's order
    assert scored.index("klaster_1") < scored.index("klaster_2")
