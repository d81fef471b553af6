"""Small faults of the command line's wording and JSON (found while writing the guides).

IK502 names the command's option, `report` says what it wrote in the language asked for,
`next --format json` shows numbers without float noise, and `compare --format json` has no
empty ruleset titles.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import indikator
from indikator.cli import main
from indikator.tables import read_csv

ROOT = Path(__file__).parents[2]
MINI = "tests/golden/cli/data/mini.ikr"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _invoke(args: list[str]) -> Any:
    return CliRunner().invoke(main, args, prog_name="indikator")


# -- IK502: the command line's option, not Python's keyword ------------------------------


@pytest.mark.parametrize(
    ("lang", "hint"),
    [("id", "(beri --ignore-extra untuk mengizinkannya)"), ("en", "(pass --ignore-extra")],
)
@pytest.mark.parametrize("command", ["evaluate", "explain", "next", "sensitivity"])
def test_ik502_on_the_command_line_names_ignore_extra(
    command: str, lang: str, hint: str, tmp_path: Path
) -> None:
    data = tmp_path / "data.csv"
    data.write_text("kode,nama,akta,perda,catatan\n01,A,50,ya,x\n", encoding="utf-8")
    args = [command, MINI, str(data), "--lang", lang]
    if command in ("explain", "next"):
        args += ["--region", "01"]
    result = _invoke(args)
    assert result.exit_code == 1
    assert "[IK502]" in result.output
    assert hint in result.output
    assert "extra='ignore'" not in result.output


def test_ik502_in_python_keeps_pythons_keyword() -> None:
    ruleset = indikator.load(ROOT / MINI)
    table = read_csv(ROOT / "tests/golden/cli/data/mini_2025.csv")
    table["catatan"] = table["kode"]
    with pytest.raises(indikator.DataError) as error:
        ruleset.evaluate_many(table)
    assert "pass extra='ignore' to allow it" in error.value.render("en")
    assert "berikan extra='ignore'" in error.value.render("id")


# -- report: what it wrote, in the language asked for ----------------------------------------


@pytest.mark.parametrize(("lang", "said"), [("id", "laporan.html sudah ditulis"), ("en", "wrote")])
def test_report_says_what_it_wrote_in_the_language(lang: str, said: str, tmp_path: Path) -> None:
    output = tmp_path / "laporan.html"
    args = ["report", "tests/fixtures/tour.ikr", "tests/fixtures/tour.csv", "-o", str(output)]
    result = _invoke([*args, "--lang", lang])
    assert result.exit_code == 0, result.output
    last = result.output.splitlines()[-1]
    assert said in last
    assert str(output) in last
    if lang == "id":
        assert not last.startswith("wrote")


# -- next: numbers as they are, without float noise ------------------------------------------


def _numbers(value: Any) -> list[float]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [x for item in value.values() for x in _numbers(item)]
    if isinstance(value, list):
        return [x for item in value for x in _numbers(item)]
    return []


def test_next_json_shows_numbers_without_float_noise() -> None:
    args = ["next", "rulesets/stunting/2024.ikr", "examples/stunting_2024.csv", "--region", "9914"]
    result = _invoke([*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)[0]
    assert plan["gap"] == 4.18  # 75 - 70.82, not 4.180000000000007
    assert plan["score"] == 70.82
    numbers = _numbers(plan)
    assert len(numbers) > 10
    assert all(x == round(x, 9) for x in numbers)  # the 9 decimals of `Results` and `compare`


# -- compare: no empty titles --------------------------------------------------------------


def test_compare_json_has_no_empty_ruleset_titles() -> None:
    data = "examples/kla_2025.csv"
    result = _invoke(["compare", "rulesets/kla/2025.ikr", data, data, "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert "" not in document.values()
    assert not {"a", "b", "bounds"} & set(document)  # a diff's: the two rulesets' titles


def test_diff_json_keeps_the_ruleset_titles() -> None:
    ruleset, data = "rulesets/kla/2025.ikr", "examples/kla_2025.csv"
    result = _invoke(["diff", ruleset, ruleset, data, "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["a"] == document["b"] == "kla_2025 2025"
    assert document["bounds"] == []
