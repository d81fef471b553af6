"""Numbers shown to people: Indonesian notation (`595,84`, `1.000,5`) and English."""

from __future__ import annotations

import math

import pytest
from click.testing import CliRunner

from indikator.cli import main
from indikator.display import number, percent, row_id, table

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [
        (595.84, "id", "595,84"),
        (595.84, "en", "595.84"),
        (1000.5, "id", "1.000,5"),
        (1000.5, "en", "1,000.5"),
        (1234567.891, "id", "1.234.567,891"),
        (-3.25, "id", "-3,25"),
        (0.00001, "id", "0"),  # beyond 4 places: 0, never "-0" or "0,0000"
        (-0.00001, "id", "0"),
        (5.0, "id", "5"),
        (1e15, "id", "1.000.000.000.000.000"),
        (None, "id", "-"),
        (math.nan, "en", "-"),
    ],
)
def test_numbers_in_each_notation(value: float | None, lang: str, shown: str) -> None:
    assert number(value, lang) == shown


def test_signs_places_and_percentages() -> None:
    assert number(4.5, "id", signed=True) == "+4,5"
    assert number(-4.5, "en", signed=True) == "-4.5"
    assert number(0.0, "id", signed=True) == "0"
    assert number(80, "id", places=2, fixed=True) == "80,00"
    # A tie on the shown decimal rounds half to even (CLDR's rule, which Babel applies):
    # 2.345 -> 2.34 and 2.355 -> 2.36; 0.125 -> 0,12.
    assert number(2.345, "en", places=2) == "2.34"
    assert number(2.355, "en", places=2) == "2.36"
    assert number(0.125, "id", places=2) == "0,12"
    assert percent(0.615, "id") == "61,5 %"
    assert percent(1.0, "en") == "100.0 %"


def test_indonesian_outputs_write_numbers_the_indonesian_way() -> None:
    args = [str(ROOT / "rulesets/kla/2025.ikr"), str(ROOT / "examples/kla_2025.csv")]
    runner = CliRunner()
    evaluate = runner.invoke(main, ["evaluate", *args])
    assert "595,84" in evaluate.output
    assert "595.84" not in evaluate.output
    explain = runner.invoke(main, ["explain", *args, "--region", "9914"])
    assert "595,84 / 1.000" in explain.output
    english = runner.invoke(main, ["explain", *args, "--region", "9914", "--lang", "en"])
    assert "595.84 / 1,000" in english.output
    nxt = runner.invoke(main, ["next", *args, "--region", "9914"])
    assert "595,84" in nxt.output


# -- text tables and the synthetic region id ---------------------------------------------


def test_a_table_is_as_wide_as_its_widest_cell_or_title() -> None:
    text = table(["wilayah", "n"], [["3201", "12345"], ["row 2", "-"]])
    assert text.splitlines() == ["wilayah  n", "-------  -----", "3201     12345", "row 2    -"]


def test_a_table_without_rows_is_its_header() -> None:
    assert table(["OPD", "kosong"], []) == "OPD  kosong\n---  ------"


def test_a_table_without_a_rule() -> None:
    assert table(["a", "b"], [["xx", "y"]], rule=False) == "a   b\nxx  y"


def test_a_region_without_an_id_is_its_row_from_one() -> None:
    assert [row_id(i) for i in range(3)] == ["row 1", "row 2", "row 3"]
