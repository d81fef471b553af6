"""Run records of the commands beyond `evaluate -o` and `report -o` (issue 16, item 5).

Each output verifies as written; a changed data cell or ruleset line is named. Records
whose results are made again (`evaluate` with several schemes, `sensitivity`) also name
the values that differ; the others check their files only and `verify` says so.
"""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from indikator import record as record_module
from indikator.cli import main
from indikator.record_files import read_record

ROOT = Path(__file__).parents[2]
MINI = ROOT / "tests" / "golden" / "cli" / "data"
SAME = "the same as recorded"
SAME_FILES = "the files are the same as recorded (files checked only, not the output)"
FILES_ONLY = "results: not made again; a '{command}' record checks its files only"


@pytest.fixture(name="folder")
def _folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini scheme, its data, the evidence example and the shipped rulesets; cwd there."""
    for name in ("mini.ikr", "mini_2026.ikr", "mini_2024.csv", "mini_2025.csv"):
        shutil.copy(MINI / name, tmp_path / name)
    for name in ("mini_provinsi.csv", "mini_tahap.csv"):
        shutil.copy(MINI / name, tmp_path / name)
    shutil.copytree(ROOT / "examples" / "bukti", tmp_path / "bukti")
    shutil.copytree(ROOT / "rulesets", tmp_path / "rulesets")
    shutil.copy(ROOT / "examples" / "profil_2025.csv", tmp_path / "profil_2025.csv")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return tmp_path


def invoke(command: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, shlex.split(command))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


BUKTI = "bukti/kla_bukti.ikr bukti/kla_bukti_2025.csv --evidence bukti/daftar_bukti_2025.csv"
SCHEMES = "rulesets/kla/2025.ikr rulesets/kks/2025.ikr rulesets/stunting/2024.ikr"

# (command, the file holding its record, the data file and ruleset to change, made again)
CASES = {
    "readiness-json": ("readiness mini.ikr mini_2025.csv -o r.json", "r.json", "mini_2025.csv"),
    "readiness-xlsx": (
        f"readiness {BUKTI} --as-of 2025-06-01 --evidence-xlsx dukung.xlsx",
        "dukung.xlsx",
        "bukti/kla_bukti_2025.csv",
    ),
    "readiness-text": ("readiness mini.ikr mini_2025.csv -o r.txt", "r.txt", ""),
    "compare-text": ("compare mini.ikr mini_2024.csv mini_2025.csv -o c.md", "c.md", ""),
    "compare": ("compare mini.ikr mini_2024.csv mini_2025.csv -o c.json", "c.json", ""),
    "diff": ("diff mini.ikr mini_2026.ikr mini_2025.csv -o d.json", "d.json", "mini_2025.csv"),
    "sensitivity-csv": ("sensitivity mini.ikr mini_2025.csv --draws 20 -o s.csv", "s.csv", ""),
    "sensitivity-xlsx": ("sensitivity mini.ikr mini_2025.csv --draws 20 -o s.xlsx", "s.xlsx", ""),
    "sensitivity-json": ("sensitivity mini.ikr mini_2025.csv --draws 20 -o s.json", "s.json", ""),
    "rollups": (
        "evaluate mini.ikr mini_provinsi.csv --by provinsi --rollups g.csv",
        "g.csv",
        "mini_provinsi.csv",
    ),
    "stages": ("stages mini.ikr mini_tahap.csv -o t.xlsx", "t.xlsx", "mini_tahap.csv"),
    "template": ("template mini.ikr -o isian.xlsx", "isian.xlsx", ""),
    "schemes": (f"evaluate {SCHEMES} profil_2025.csv -o p.xlsx", "p.xlsx", "profil_2025.csv"),
}
AGAIN = {"sensitivity-csv", "sensitivity-xlsx", "sensitivity-json", "schemes"}


def _data(case: str) -> str:
    return CASES[case][2] or "mini_2025.csv"


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.usefixtures("folder")
def test_the_record_verifies(case: str) -> None:
    command, output, _ = CASES[case]
    code, out = invoke(command)
    assert code == 0, out
    code, out = invoke(f"verify {output} --lang en")
    assert code == 0, out
    lines = out.splitlines()
    if case in AGAIN:
        assert lines[-1] == SAME
        assert "results: the same" in out
    else:
        verb = shlex.split(command)[0]
        assert lines[-1] == SAME_FILES
        assert FILES_ONLY.format(command=verb) in out


def _changed(cell: str) -> str:
    """Another value of the same kind: a number halved, 'ya' and 'tidak' swapped."""
    if cell in ("ya", "tidak"):
        return "tidak" if cell == "ya" else "ya"
    return str(float(cell) / 2)


@pytest.mark.parametrize("case", [case for case in CASES if case != "template"])
def test_a_changed_data_cell_is_named(folder: Path, case: str) -> None:
    command, output, _ = CASES[case]
    invoke(command)
    data = folder / _data(case)
    lines = data.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[3] = _changed(cells[3])  # the first row's fourth cell: a value, not a name
    data.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    code, out = invoke(f"verify {output} --lang en")
    assert code == 1, out
    assert f"file changed: {_data(case)} (data)" in out
    assert out.splitlines()[-1] == "NOT the same as recorded"
    if case in AGAIN:
        assert "results differ" in out


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.usefixtures("folder")
def test_a_changed_ruleset_line_is_named(case: str) -> None:
    command, output, _ = CASES[case]
    invoke(command)
    ruleset = next(Path(word) for word in shlex.split(command) if word.endswith(".ikr"))
    text = ruleset.read_text(encoding="utf-8")
    ruleset.write_text(text.replace("edition", "# a comment\n  edition", 1), encoding="utf-8")
    code, out = invoke(f"verify {output} --lang en")
    assert code == 1, out
    assert f"file changed: {ruleset.as_posix()} (ruleset)" in out
    assert out.splitlines()[-1] == "NOT the same as recorded"


@pytest.mark.usefixtures("folder")
def test_a_files_only_record_is_never_the_same_with_another_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    invoke("template mini.ikr -o isian.xlsx")
    monkeypatch.setattr(record_module, "indikator_version", lambda: "9.9.9")
    code, out = invoke("verify isian.xlsx --lang en")
    assert code == 1
    assert out.splitlines()[-1] == "NOT the same as recorded"


def test_an_unknown_kind_of_check_is_refused(folder: Path) -> None:
    invoke("template mini.ikr -o isian.xlsx")
    stored = folder / "isian.xlsx.record.json"
    data = json.loads(stored.read_text(encoding="utf-8"))
    data["run"]["checks"] = "nothing"
    stored.write_text(json.dumps(data), encoding="utf-8")
    code, out = invoke("verify isian.xlsx.record.json --lang en")
    assert code == 1
    assert "checks=nothing" in out


def test_the_records_name_their_files_in_order(folder: Path) -> None:
    invoke(f"readiness {BUKTI} --as-of 2025-06-01 --evidence-xlsx dukung.xlsx")
    stored = read_record(folder / "dukung.xlsx")
    assert stored.argv(folder) == [
        *("indikator", "readiness", "bukti/kla_bukti.ikr", "bukti/kla_bukti_2025.csv"),
        *("--evidence", "bukti/daftar_bukti_2025.csv", "--lang", "id", "--as-of", "2025-06-01"),
        *("--evidence-xlsx", "dukung.xlsx"),
    ]
    invoke("diff mini.ikr mini_2026.ikr mini_2025.csv --format json -o d.json")
    assert read_record(folder / "d.json").argv(folder)[:5] == [
        *("indikator", "diff", "mini.ikr", "mini_2026.ikr", "mini_2025.csv"),
    ]
    assert "--format" in read_record(folder / "d.json").argv(folder)


@pytest.mark.parametrize("fmt", ["--format json", ""])
def test_printed_sensitivity_json_keeps_the_digest_only(folder: Path, fmt: str) -> None:
    code, out = invoke(f"sensitivity mini.ikr mini_2025.csv --draws 20 {fmt} -o s.json")
    assert code == 0, out
    document = json.loads((folder / "s.json").read_text(encoding="utf-8"))
    assert document["record"]["results"]["rows"] is None
    assert document["record"]["run"]["seed"] == 0
    side = json.loads((folder / "s.json.record.json").read_text(encoding="utf-8"))
    assert side["results"]["rows"]  # beside the output: the values, to name a change
