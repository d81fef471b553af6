"""Case files: loading, checking, reporting a wrong expectation, CLI and pytest plugin."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

import pytest
from click.testing import CliRunner

from indikator.cases import load_cases, run_file
from indikator.cli import main
from indikator.errors import DataError

FIXTURES = Path(__file__).parents[1] / "fixtures"

WRONG = """
ruleset = "{ruleset}"
[defaults.inputs]
kode = "1"
nama = "A"
provinsi = "Jabar"
akta = 92.5
perkawinan = 5
perda = "perda"
"gugus.sk" = "ya"
"gugus.anggaran" = "ya"
"gugus.sop" = "tidak"
odf = 100

[[cases]]
name = "deliberately wrong"
expected = {{ total = 171, tier = "kla" }}
"""


def test_load_cases_merges_defaults() -> None:
    cases = load_cases(FIXTURES / "tour.cases.toml")
    assert cases[1].regions[0]["gugus.sop"] == "ya"
    assert cases[1].regions[0]["akta"] == 92.5
    assert cases[3].error == "IK505"


def test_a_wrong_expectation_is_reported(tmp_path: Path) -> None:
    case_file = tmp_path / "wrong.cases.toml"
    case_file.write_text(WRONG.format(ruleset=(FIXTURES / "tour.ikr").as_posix()), encoding="utf-8")
    (outcome,) = run_file(case_file)
    assert not outcome.passed
    assert tuple(str(f) for f in outcome.failures) == (
        "total: expected 171, got 170.0",
        "tier: expected 'kla', got 'pratama'",
    )


def test_malformed_case_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.cases.toml"
    bad.write_text("cases = 3\n", encoding="utf-8")
    with pytest.raises(DataError, match="needs `ruleset"):
        load_cases(bad)


def test_cli_test_command(tmp_path: Path) -> None:
    runner = CliRunner()
    good = runner.invoke(main, ["test", str(FIXTURES / "tour.cases.toml")])
    assert good.exit_code == 0
    assert good.output.strip().endswith("5 passed, 0 failed")
    wrong = tmp_path / "wrong.cases.toml"
    wrong.write_text(WRONG.format(ruleset=(FIXTURES / "tour.ikr").as_posix()), encoding="utf-8")
    bad = runner.invoke(main, ["test", str(wrong)])
    assert bad.exit_code == 1
    assert "FAILED" in bad.output
    assert "0 passed, 1 failed" in bad.output


def test_pytest_plugin_collects_case_files(pytester: pytest.Pytester) -> None:
    target = pytester.path / "tour.cases.toml"
    text = (FIXTURES / "tour.cases.toml").read_text(encoding="utf-8")
    target.write_text(
        text.replace('"tour.ikr"', f'"{(FIXTURES / "tour.ikr").as_posix()}"'), encoding="utf-8"
    )
    installed = any(e.name == "indikator" for e in entry_points(group="pytest11"))
    plugin = [] if installed else ["-p", "indikator.pytest_plugin"]  # a checkout has no entry point
    result = pytester.runpytest(*plugin, "-v")
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(["*tour.cases.toml::gate caps KLA at Pratama PASSED*"])


def test_cli_test_command_in_indonesian(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.cases.toml"
    wrong.write_text(WRONG.format(ruleset=(FIXTURES / "tour.ikr").as_posix()), encoding="utf-8")
    bad = CliRunner().invoke(main, ["test", str(wrong), "--lang", "id"])
    assert bad.exit_code == 1
    assert bad.output.splitlines() == [
        f"GAGAL {wrong}::{bad.output.split('::')[1].splitlines()[0]}",
        "    total: diharapkan 171, hasilnya 170.0",
        "    tier: diharapkan 'kla', hasilnya 'pratama'",
        "0 lulus, 1 gagal",
    ]
