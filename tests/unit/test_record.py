"""Run records: written beside and inside every output, found again, verified exactly.

A record made by an earlier run verifies; a changed data cell, ruleset line, imported
file or parameter file makes `verify` fail naming that file; records inside a workbook,
a report, a JSON and a Parquet file are found without the file beside them. The golden
transcripts (tests/golden/record/*.console) show `verify` in both languages.
"""

from __future__ import annotations

import hashlib
import json
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import indikator
from indikator import record as record_module
from indikator.cli import main
from indikator.record import RunRecord, make_record, results_of, verify_record
from indikator.record_files import read_record, record_json, sidecar
from indikator.tables import read_table
from tests.goldens import check_golden

GOLDEN = Path(__file__).parents[1] / "golden" / "record"

BASE = """\
ruleset skema {
  title "Skema rekam" en "Record scheme"
  edition 2025
  scale 0 to 100
  region kode
  name nama
}

param madya_dari "Batas bawah Madya" = 70

input kode: text
input nama: text
input akta "Akta kelahiran" en "Birth certificates": percent { missing zero }
input paud "PAUD" en "Early childhood": percent { missing zero }

indicator i_paud "PAUD" en "Early childhood" = linear paud from 0 to 100 onto 0 to 40

tiers on total {
  below "Belum" en "None"
  pratama "Pratama" [40, madya_dari)
  madya "Madya" [madya_dari, 100]
}
"""

MAIN = """\
# The main file: it extends the base with the birth-certificate indicator and the total.
extends "dasar.ikr"

ruleset skema { edition 2026 }

new indicator i_akta "Akta" en "Birth certificates" = linear akta from 0 to 100 onto 0 to 60
new group total "Nilai total" en "Total" = sum(i_akta, i_paud)
"""

DATA = """\
kode,nama,akta,paud
01,Kota A,80,60
02,Kota B,100,100
03,Kab C,20,50
"""

PARAMS = "[params]\nmadya_dari = 75\n"


@pytest.fixture
def run_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the ruleset (and its base), the data and a parameter file; cwd there."""
    folder = tmp_path / "kerja"
    (folder / "data").mkdir(parents=True)
    (folder / "skema.ikr").write_text(MAIN, encoding="utf-8")
    (folder / "dasar.ikr").write_text(BASE, encoding="utf-8")
    (folder / "data" / "isian.csv").write_text(DATA, encoding="utf-8")
    (folder / "bobot.toml").write_text(PARAMS, encoding="utf-8")
    monkeypatch.chdir(folder)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    monkeypatch.setattr(record_module, "indikator_version", lambda: "1.0.0")
    return folder


def invoke(command: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, shlex.split(command))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


EVALUATE = "evaluate skema.ikr data/isian.csv --params bobot.toml --lang en -o"


def test_a_record_made_earlier_verifies(run_folder: Path) -> None:
    code, _ = invoke(f"{EVALUATE} hasil.csv")
    assert code == 0
    stored = json.loads((run_folder / "hasil.csv.record.json").read_text(encoding="utf-8"))
    assert stored["time"] == "2026-01-01T00:00:00Z"
    assert stored["indikator"] == "1.0.0"
    assert [(f["role"], f["path"]) for f in stored["files"]] == [
        ("ruleset", "skema.ikr"),
        ("import", "dasar.ikr"),
        ("params", "bobot.toml"),
        ("data", "data/isian.csv"),
    ]
    assert stored["command"] == [
        *("indikator", "evaluate", "skema.ikr", "data/isian.csv", "-o", "hasil.csv"),
        *("--params", "bobot.toml", "--lang", "en"),
    ]
    assert stored["parameters"] == {"madya_dari": 75.0}
    assert stored["results"]["columns"][:3] == ["region", "name", "i_paud"]
    assert stored["results"]["rows"][1] == ["02", "Kota B", 40.0, True, 60.0, True, 100.0, "Madya"]
    code, out = invoke("verify hasil.csv.record.json --lang en")
    assert (code, out.splitlines()[-1]) == (0, "the same as recorded")
    assert "files: 4 unchanged" in out


@pytest.mark.parametrize(
    ("path", "old", "new", "role"),
    [
        ("data/isian.csv", "03,Kab C,20,50", "03,Kab C,25,50", "data"),
        ("skema.ikr", "from 0 to 100 onto 0 to 60", "from 10 to 100 onto 0 to 60", "ruleset"),
        ("dasar.ikr", 'pratama "Pratama" [40,', 'pratama "Pratama" [30,', "imported"),
        ("bobot.toml", "madya_dari = 75", "madya_dari = 60", "parameter file"),
    ],
    ids=["data-cell", "ruleset-line", "imported-file", "params-file"],
)
def test_a_changed_file_is_named(
    run_folder: Path, path: str, old: str, new: str, role: str
) -> None:
    invoke(f"{EVALUATE} hasil.csv")
    file = run_folder / path
    before = record_module.file_sha256(file)
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")
    code, out = invoke("verify hasil.csv --lang en")
    assert code == 1
    assert f"file changed: {path} ({role}" in out
    assert f"recorded sha256 {before}" in out
    assert f"now      sha256 {record_module.file_sha256(file)}" in out
    assert "results differ" in out
    assert out.splitlines()[-1] == "NOT the same as recorded"


def test_a_missing_file_is_named(run_folder: Path) -> None:
    invoke(f"{EVALUATE} hasil.csv")
    (run_folder / "bobot.toml").unlink()
    code, out = invoke("verify hasil.csv --lang en")
    assert code == 1
    assert "file missing: bobot.toml (parameter file)" in out
    assert "the run could not be made again:" in out


def test_the_values_that_differ_are_named(run_folder: Path) -> None:
    invoke(f"{EVALUATE} hasil.csv")
    data = run_folder / "data" / "isian.csv"
    data.write_text(DATA.replace("02,Kota B,100,100", "02,Kota B,90,100"), encoding="utf-8")
    code, out = invoke("verify hasil.csv --lang en")
    assert code == 1
    assert "results differ: 3 value(s) in 1 of 3 regions" in out
    assert "    02 i_akta: recorded 60.0, now 54.0" in out
    assert "    02 total: recorded 100.0, now 94.0" in out
    assert '    02 tier: recorded "Madya", now "Madya"' not in out  # a tier that stayed


def test_a_changed_tier_alone_is_a_difference(run_folder: Path) -> None:
    # The parameter moves a tier edge: every score stays, one tier does not.
    invoke(f"{EVALUATE} hasil.csv")
    (run_folder / "bobot.toml").write_text("[params]\nmadya_dari = 70\n", encoding="utf-8")
    code, out = invoke("verify hasil.csv --lang en")
    assert code == 1
    assert '    01 tier: recorded "Pratama", now "Madya"' in out
    assert "results differ: 1 value(s) in 1 of 3 regions" in out


@pytest.mark.usefixtures("run_folder")
def test_another_version_of_indikator_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    invoke(f"{EVALUATE} hasil.csv")
    monkeypatch.setattr(record_module, "indikator_version", lambda: "2.0.0")
    code, out = invoke("verify hasil.csv --lang en")
    assert code == 1
    assert "indikator version changed: recorded 1.0.0, now 2.0.0" in out
    assert "results: the same" in out  # said, but the verdict is still "not the same"
    assert out.splitlines()[-1] == "NOT the same as recorded"


def test_an_edited_record_is_not_the_same(run_folder: Path) -> None:
    invoke(f"{EVALUATE} hasil.csv")
    path = run_folder / "hasil.csv.record.json"
    stored = json.loads(path.read_text(encoding="utf-8"))
    stored["results"]["rows"][0][4] = 99.0  # a value, its digest left as it was
    path.write_text(json.dumps(stored), encoding="utf-8")
    code, out = invoke("verify hasil.csv.record.json --lang en")
    assert code == 1
    assert "the record was edited" in out


@pytest.mark.parametrize("suffix", [".xlsx", ".json", ".parquet"])
def test_a_record_inside_an_output_is_found(run_folder: Path, suffix: str) -> None:
    invoke(f"{EVALUATE} hasil{suffix}")
    (run_folder / f"hasil{suffix}.record.json").unlink()  # only the one inside is left
    code, out = invoke(f"verify hasil{suffix} --lang en")
    assert (code, out.splitlines()[-1]) == (0, "the same as recorded")
    (run_folder / "data" / "isian.csv").write_text(DATA.replace("80", "81"), encoding="utf-8")
    code, out = invoke(f"verify hasil{suffix} --lang en")
    assert code == 1
    assert "file changed: data/isian.csv (data)" in out


def test_the_outputs_still_read_back_as_their_results(run_folder: Path) -> None:
    for suffix in (".xlsx", ".json", ".parquet"):
        invoke(f"{EVALUATE} hasil{suffix}")
        assert list(read_table(run_folder / f"hasil{suffix}")["region"]) == ["01", "02", "03"]


def test_a_record_inside_a_report_is_found(run_folder: Path) -> None:
    code, _ = invoke("report skema.ikr data/isian.csv --params bobot.toml -o out/laporan.html")
    assert code == 1  # the folder does not exist: nothing is written
    (run_folder / "out").mkdir()
    code, _ = invoke("report skema.ikr data/isian.csv --params bobot.toml -o out/laporan.html")
    assert code == 0
    page = (run_folder / "out" / "laporan.html").read_text(encoding="utf-8")
    assert '<script type="application/json" id="indikator-record">' in page
    assert "Rekam jejak: indikator 1.0.0, 2026-01-01T00:00:00Z" in page
    (run_folder / "out" / "laporan.html.record.json").unlink()
    stored = read_record(run_folder / "out" / "laporan.html")
    assert stored.argv(run_folder / "out")[:4] == [
        "indikator",
        "report",
        "../skema.ikr",
        "../data/isian.csv",
    ]
    code, out = invoke("verify out/laporan.html")
    assert (code, out.splitlines()[-1]) == (0, "sama dengan yang tercatat")


def test_a_report_of_one_region_records_it(run_folder: Path) -> None:
    invoke("report skema.ikr data/isian.csv -o laporan.html --region 02 --sensitivity 5")
    stored = read_record(run_folder / "laporan.html")
    assert stored.argv(run_folder)[-6:] == ["--region", "02", "--sensitivity", "5", "--seed", "0"]
    assert verify_record(stored).same


def test_text_that_would_end_the_report_block_is_escaped(run_folder: Path) -> None:
    data = run_folder / "data" / "isian.csv"
    data.write_text(DATA.replace("Kota A", "Kota </script><b>A"), encoding="utf-8")
    invoke("report skema.ikr data/isian.csv -o laporan.html")
    page = (run_folder / "laporan.html").read_text(encoding="utf-8")
    assert "</script><b>" not in page
    (run_folder / "laporan.html.record.json").unlink()
    assert read_record(run_folder / "laporan.html").results.rows is not None
    code, _ = invoke("verify laporan.html")
    assert code == 0


def test_the_sheet_and_reading_options_are_recorded_and_used_again(run_folder: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "Catatan"
    book.active.append(["bukan data"])
    sheet = book.create_sheet("Isian")
    sheet.append(["Isian KLA (contoh)"])  # a title row: the header is row 2
    for line in DATA.splitlines():
        sheet.append(line.split(","))
    book.save(run_folder / "data" / "isian.xlsx")
    command = "evaluate skema.ikr data/isian.xlsx --sheet Isian --header-row 2 --locale en"
    code, out = invoke(f"{command} --ignore-extra -o hasil.csv")
    assert code == 0, out
    stored = json.loads((run_folder / "hasil.csv.record.json").read_text(encoding="utf-8"))
    assert stored["run"]["sheet"] == ["Isian"]
    assert stored["command"][6:] == [
        *("--sheet", "Isian", "--header-row", "2", "--lang", "id"),
        *("--ignore-extra", "--locale", "en"),
    ]
    assert invoke("verify hasil.csv")[0] == 0
    book = openpyxl.load_workbook(run_folder / "data" / "isian.xlsx")
    book["Isian"]["C3"] = "81"  # Kota A's akta, on the sheet the record names
    book.save(run_folder / "data" / "isian.xlsx")
    code, out = invoke("verify hasil.csv --lang en")
    assert code == 1
    assert "file changed: data/isian.xlsx (data)" in out
    assert "    01 i_akta: recorded 48.0, now 48.6" in out


def test_record_option_writes_the_record_there(run_folder: Path) -> None:
    (run_folder / "rekam").mkdir()
    invoke(f"{EVALUATE} hasil.csv --record rekam/hasil.json")
    assert not (run_folder / "hasil.csv.record.json").exists()
    stored = json.loads((run_folder / "rekam" / "hasil.json").read_text(encoding="utf-8"))
    assert stored["run"]["data"] == "../data/isian.csv"
    code, _ = invoke("verify rekam/hasil.json")
    assert code == 0


def test_the_record_may_not_overwrite_an_input(run_folder: Path) -> None:
    code, out = invoke(f"{EVALUATE} hasil.csv --record dasar.ikr")
    assert code == 1
    assert "IK601" in out
    assert not (run_folder / "hasil.csv").exists()


@pytest.mark.parametrize(
    "command",
    [
        "explain skema.ikr data/isian.csv --region 02 --params bobot.toml --lang en",
        "next skema.ikr data/isian.csv --region 01 --region 03 --params bobot.toml --lang en",
    ],
    ids=["explain", "next"],
)
def test_printed_json_carries_a_record_of_the_digest(run_folder: Path, command: str) -> None:
    code, out = invoke(f"{command} --format json")
    assert code == 0
    printed = json.loads(out)
    record = (printed[0] if isinstance(printed, list) else printed)["record"]
    assert record["files"][0]["path"] == "skema.ikr"  # relative to the current folder
    assert record["results"]["rows"] is None  # the digest only: no table beside a region
    assert record["command"][-2:] == ["--format", "json"]
    (run_folder / "laporan").mkdir()
    invoke(f"{command} -o laporan/hasil.json")  # relative to -o's folder
    code, out = invoke("verify laporan/hasil.json --lang en")
    assert (code, out.splitlines()[-1]) == (0, "the same as recorded")
    assert "made by: indikator " + command.split(maxsplit=1)[0] + " ../skema.ikr" in out
    data = run_folder / "data" / "isian.csv"
    data.write_text(DATA.replace("02,Kota B,100,100", "02,Kota B,90,100"), encoding="utf-8")
    code, out = invoke("verify laporan/hasil.json --lang en")
    assert code == 1
    assert "the record keeps only the results' digest, not their values" in out


@pytest.mark.parametrize(
    "command", [f"{EVALUATE} hasil.csv", "report skema.ikr data/isian.csv --lang en -o hasil.csv"]
)
def test_the_record_may_not_replace_the_output(run_folder: Path, command: str) -> None:
    code, out = invoke(f"{command} --record ./hasil.csv")
    assert code == 2
    assert "--record: 'hasil.csv' is the output itself" in out
    assert not (run_folder / "hasil.csv").exists()


@pytest.mark.usefixtures("run_folder")
def test_a_file_without_a_record_is_refused() -> None:
    code, out = invoke("verify data/isian.csv --lang en")
    assert code == 1
    assert "'data/isian.csv' holds no indikator run record" in out


def test_python_api_round_trip(run_folder: Path) -> None:
    ruleset = indikator.load("skema.ikr", params="bobot.toml")
    results = ruleset.evaluate_many(read_table("data/isian.csv", ruleset=ruleset))
    made = make_record(
        ruleset, "skema.ikr", "data/isian.csv", results.columns("id"), params="bobot.toml"
    )
    text = record_json(made, run_folder)
    again = RunRecord.from_dict(json.loads(text), run_folder)
    assert again == made
    assert verify_record(again).same
    assert sidecar(Path("a/hasil.xlsx")) == Path("a/hasil.xlsx.record.json")


def test_the_digest_tells_every_written_difference() -> None:
    base: dict[str, list[Any]] = {"region": ["01"], "total": [1.0], "tier": ["Madya"]}
    digest = results_of(base).digest
    assert results_of({**base, "total": [1.0 + 2**-52]}).digest != digest
    assert results_of({**base, "total": [1]}).digest != digest  # 1 and 1.0 are written apart
    assert results_of({**base, "tier": ["Madya "]}).digest != digest
    assert results_of({"region": ["01"], "tier": ["Madya"], "total": [1.0]}).digest != digest
    assert results_of(dict(base)).digest == digest
    # the canonical form the docs give: compact JSON of the column ids and the rows
    text = '{"columns":["region","total","tier"],"rows":[["01",1.0,"Madya"]]}'
    assert digest == "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    nan = results_of({"region": ["01"], "total": [float("nan")]})
    assert nan.digest == results_of({"region": ["01"], "total": [None]}).digest
    assert nan.rows == (("01", None),)


# -- golden transcripts -------------------------------------------------------------------


@pytest.mark.golden
@pytest.mark.parametrize("lang", ["en", "id"])
def test_verify_transcripts(run_folder: Path, lang: str, *, update_golden: bool) -> None:
    commands = [
        f"{EVALUATE} hasil.xlsx",
        f"verify hasil.xlsx --lang {lang}",
        "CHANGE data/isian.csv: 02,Kota B,100,100 -> 02,Kota B,50,100",
        "CHANGE bobot.toml: madya_dari = 75 -> madya_dari = 70",
        f"verify hasil.xlsx --lang {lang}",
    ]
    transcript = []
    for command in commands:
        if command.startswith("CHANGE "):
            path, change = command.removeprefix("CHANGE ").split(": ")
            old, new = change.split(" -> ")
            file = run_folder / path
            file.write_text(file.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
            transcript.append(f"# {command}\n")
            continue
        code, out = invoke(command)
        out = out.replace(str(run_folder), "{tmp}")
        transcript.append(f"$ indikator {command}\n{out}" + (f"[exit {code}]\n" if code else ""))
    check_golden(GOLDEN / f"verify_{lang}.console", "".join(transcript), update=update_golden)


def test_a_report_with_evidence_records_the_register(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "bukti"
    shutil.copytree(Path(__file__).parents[2] / "examples" / "bukti", folder)
    monkeypatch.chdir(folder)
    command = "report kla_bukti.ikr kla_bukti_2025.csv --evidence daftar_bukti_2025.csv"
    code, out = invoke(f"{command} --as-of 2025-06-01 -o out.html")
    assert code == 0, out
    stored = read_record(folder / "out.html")
    assert stored.arguments == ("--evidence", "daftar_bukti_2025.csv", "--as-of", "2025-06-01")
    assert invoke("verify out.html")[0] == 0


@pytest.mark.parametrize(
    "command",
    [
        "evaluate mini.ikr mini_provinsi.csv --by provinsi -o hasil.xlsx",
        "report mini.ikr mini_provinsi.csv --by provinsi -o hasil.html",
        "report mini.ikr mini_tahap.csv --stages -o hasil.html",
    ],
    ids=["evaluate-by", "report-by", "report-stages"],
)
def test_grouped_and_staged_runs_verify(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    # --by takes its column out of the table and --stages reports the last stage: the
    # record keeps both, and the run made again does the same
    data = Path(__file__).parents[1] / "golden" / "cli" / "data"
    for name in ("mini.ikr", "mini_provinsi.csv", "mini_tahap.csv"):
        shutil.copy(data / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    code, out = invoke(command)
    assert code == 0, out
    output = command.rsplit(maxsplit=1)[-1]
    stored = read_record(tmp_path / output)
    assert ("--by" in stored.argv(tmp_path)) == ("--by" in command)
    assert ("--stages" in stored.argv(tmp_path)) == ("--stages" in command)
    code, out = invoke(f"verify {output} --lang en")
    assert (code, out.splitlines()[-1]) == (0, "the same as recorded"), out
