"""What a second, independent check of the readers and writers found.

Each test pins one finding: a Python exception where a located `DataError` belonged, a
value read differently on one path than on another, or a value that `write_table` then
`read_table` did not give back as written.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import indikator
from indikator.tables import read_table, write_table

RULES = """\
ruleset t { region kode }
input kode: text
input p: percent { missing zero }
input c: count { missing zero }
let vp = p
let vc = c
"""


@pytest.fixture(scope="module")
def rules() -> indikator.Ruleset:
    return indikator.loads(RULES)


def _keys(error: pytest.ExceptionInfo[indikator.DataError]) -> list[str]:
    return [problem.message.key for problem in error.value.problems]


# -- 1. JSON text with a lone surrogate escape ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '[{"kode": "\\ud800", "p": 1, "c": 3}]',
        '[{"kode": "1", "p": "\\udfff", "c": 3}]',
        '{"kode": ["1"], "p": ["x\\ud800"], "c": [3]}',
    ],
)
def test_json_lone_surrogate_is_a_located_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "data.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _keys(error) == ["readers.json_surrogate"]
    shown = str(error.value)
    assert "column '" in shown
    assert "record 1" in shown or "row 1" in shown


def test_json_lone_surrogate_in_a_column_name_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text('[{"kode": "1", "p": 1, "c": 3, "x\\udc80": 1}]', encoding="utf-8")
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _keys(error) == ["readers.json_surrogate_key"]


def test_json_surrogate_pair_is_one_character(tmp_path: Path, rules: indikator.Ruleset) -> None:
    path = tmp_path / "data.json"
    path.write_text('[{"kode": "\\ud83d\\ude00", "p": 1, "c": 3}]', encoding="utf-8")
    assert list(rules.evaluate_many(read_table(path)).regions) == ["\U0001f600"]


def test_json_lone_surrogate_through_the_cli(tmp_path: Path) -> None:
    ruleset, data = tmp_path / "r.ikr", tmp_path / "data.json"
    ruleset.write_text(RULES, encoding="utf-8")
    data.write_text('[{"kode": "\\ud800", "p": 1, "c": 3}]', encoding="utf-8")
    command = [sys.executable, "-m", "indikator", "evaluate", str(ruleset), str(data)]
    done = subprocess.run(  # noqa: S603  # our own CLI
        [*command, "--lang", "en"], capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "error[IK503]" in done.stderr
    assert "record 1, column 'kode'" in done.stderr


# -- 3. Decimal NaN and infinity in the API --------------------------------------------


@pytest.mark.parametrize("nan", ["NaN", "sNaN", "-sNaN"])
def test_decimal_nan_is_missing_like_float_nan(rules: indikator.Ruleset, nan: str) -> None:
    cell = Decimal(nan)
    many = rules.evaluate_many({"kode": ["1"], "p": [cell], "c": [cell]})
    floats = rules.evaluate_many({"kode": ["1"], "p": [np.nan], "c": [np.nan]})
    assert np.isnan(many["vp"][0])  # missing, as float('nan') is
    assert np.isnan(many["vc"][0])
    assert many.columns("en") == floats.columns("en")
    one = rules.evaluate({"kode": "1", "p": cell, "c": 2})
    assert one.to_dict() == rules.evaluate({"kode": "1", "p": None, "c": 2}).to_dict()


def test_decimal_nan_in_every_input_kind_is_missing() -> None:
    ruleset = indikator.loads(
        """\
ruleset t { region kode }
input kode: text
input y: yesno { missing zero }
input o: option("a", "b") { missing zero }
input k: checklist("s", "t") { missing zero }
let vy = y
let vo = o
let vk = k
"""
    )

    def table(cell: object) -> dict[str, list[object]]:
        columns: dict[str, list[object]] = {"kode": ["1", "2"], "y": [cell, 1]}
        return columns | {"o": [cell, "b"], "k.s": [cell, 1], "k.t": [1, cell]}

    results = ruleset.evaluate_many(table(Decimal("sNaN")))
    assert results.columns("en") == ruleset.evaluate_many(table(None)).columns("en")
    assert results["vk"].tolist() == [1.0, 1.0]
    cell = Decimal("sNaN")
    with pytest.raises(indikator.DataError) as error:  # an id that is NaN is missing
        ruleset.evaluate_many({"kode": [cell], "y": [1], "o": ["a"], "k.s": [1], "k.t": [1]})
    assert [p.code for p in error.value.problems] == ["IK505"]


@pytest.mark.parametrize("infinity", ["Infinity", "-Infinity"])
def test_decimal_infinity_is_a_located_error(rules: indikator.Ruleset, infinity: str) -> None:
    for call in (
        lambda: rules.evaluate({"kode": "3201", "p": Decimal(infinity), "c": 1}),
        lambda: rules.evaluate_many({"kode": ["3201"], "p": [Decimal(infinity)], "c": [1]}),
    ):
        with pytest.raises(indikator.DataError) as error:
            call()
        (problem,) = error.value.problems
        assert (problem.code, problem.field) == ("IK503", "p")
        assert str(problem.regions[0]).startswith("3201")


# -- 6. region ids given as numbers or booleans ----------------------------------------


def test_whole_float_ids_are_the_same_region_on_every_path(
    tmp_path: Path, rules: indikator.Ruleset
) -> None:
    json_path = tmp_path / "data.json"
    json_path.write_text('[{"kode": 3201.0, "p": 5, "c": 1}, {"kode": 32.5, "p": 5, "c": 1}]')
    parquet_path = tmp_path / "data.parquet"
    pq.write_table(pa.table({"kode": [3201.0, 32.5], "p": [5, 5], "c": [1, 1]}), parquet_path)
    want = ["3201", "32.5"]
    for table in (
        read_table(json_path),
        read_table(parquet_path),
        {"kode": [3201.0, 32.5], "p": [5, 5], "c": [1, 1]},
        {"kode": [np.float64(3201.0), np.float64(32.5)], "p": [5, 5], "c": [1, 1]},
        {"kode": np.array([3201.0, 32.5]), "p": [5, 5], "c": [1, 1]},
        {"kode": np.array([3201.0, 32.5], dtype=np.float32), "p": [5, 5], "c": [1, 1]},
        {"kode": np.array([3201.0, 32.5], dtype=object), "p": [5, 5], "c": [1, 1]},
    ):
        assert list(rules.evaluate_many(table).regions) == want, table
    assert rules.evaluate({"kode": 3201.0, "p": 5, "c": 1}).region == "3201"


def test_whole_float_ids_repeat_their_text(rules: indikator.Ruleset) -> None:
    with pytest.raises(indikator.DataError) as error:
        rules.evaluate_many({"kode": [3201.0, "3201"], "p": [5, 5], "c": [1, 1]})
    assert [p.code for p in error.value.problems] == ["IK507"]


def test_boolean_region_ids_are_refused(tmp_path: Path, rules: indikator.Ruleset) -> None:
    json_path = tmp_path / "data.json"
    json_path.write_text('[{"kode": "3201", "p": 5, "c": 1}, {"kode": true, "p": 5, "c": 1}]')
    parquet_path = tmp_path / "data.parquet"
    pq.write_table(pa.table({"kode": [True], "p": [5], "c": [1]}), parquet_path)
    for table in (
        read_table(json_path),
        read_table(parquet_path),
        {"kode": ["3201", True], "p": [5, 5], "c": [1, 1]},
        {"kode": [np.False_], "p": [5], "c": [1]},
        {"kode": np.array([True]), "p": [5], "c": [1]},
    ):
        with pytest.raises(indikator.DataError) as error:
            rules.evaluate_many(table)
        (problem,) = error.value.problems
        assert (problem.code, problem.field) == ("IK503", "kode")
        assert str(problem.regions[0]).startswith("row ")
    with pytest.raises(indikator.DataError):
        rules.evaluate({"kode": True, "p": 5, "c": 1})


# -- 7. NaN and Infinity in a JSON file -------------------------------------------------


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_json_constants_are_refused(tmp_path: Path, rules: indikator.Ruleset, token: str) -> None:
    path = tmp_path / "data.json"
    path.write_text(f'[{{"kode": "1", "p": 5, "c": 1}}, {{"kode": "2", "p": {token}, "c": 1}}]')
    with pytest.raises(indikator.DataError) as error:
        rules.evaluate_many(read_table(path))
    (problem,) = error.value.problems
    assert (problem.code, problem.field, problem.message.key) == (
        "IK503",
        "p",
        "readers.json_constant",
    )
    assert f"record 2, column 'p': {token} is not a JSON value" in str(error.value)
    columns = tmp_path / "columns.json"
    columns.write_text(f'{{"kode": ["1"], "p": [{token}], "c": [1]}}')
    with pytest.raises(indikator.DataError, match="row 1, column 'p'"):
        read_table(columns)


# -- 8. numpy scalars in a list ---------------------------------------------------------


def test_numpy_scalars_in_a_list_read_as_python_values(rules: indikator.Ruleset) -> None:
    plain = rules.evaluate_many({"kode": ["1", "2"], "p": ["50", 7.5], "c": ["1", 2]})
    for table in (
        {"kode": [np.str_("1"), np.str_("2")], "p": [np.str_("50"), 7.5], "c": ["1", 2]},
        {"kode": ["1", "2"], "p": [np.str_("50"), np.float64(7.5)], "c": [np.str_("1"), 2]},
        {"kode": ["1", "2"], "p": np.array([np.str_("50"), 7.5], dtype=object), "c": ["1", 2]},
        {"kode": ["1", "2"], "p": ["50", 7.5], "c": [np.str_("1"), np.int64(2)]},
    ):
        results = rules.evaluate_many(table)
        assert list(results.regions) == ["1", "2"]
        assert results["vp"].tolist() == plain["vp"].tolist()
        assert results["vc"].tolist() == plain["vc"].tolist()


def test_numpy_text_in_yes_no_and_options() -> None:
    ruleset = indikator.loads(
        """\
ruleset t { region kode }
input kode: text
input y: yesno { missing zero }
input o: option("a", "b") { missing zero }
let vy = y
let vo = o
"""
    )
    results = ruleset.evaluate_many({"kode": ["1"], "y": [np.str_("ya")], "o": [np.str_("b")]})
    assert (results["vy"].tolist(), results["vo"].tolist()) == ([1.0], [1.0])


# -- 4. which section of a number format shows the value -------------------------------


def _read_percent(tmp_path: Path, rules: indikator.Ruleset, fmt: str, value: float) -> float:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["kode", "p", "c"])
    sheet.append(["1", value, 1])
    sheet["B2"].number_format = fmt
    path = tmp_path / "data.xlsx"
    book.save(path)
    return float(rules.evaluate_many(read_table(path))["vp"][0])


@pytest.mark.parametrize(
    ("fmt", "value", "read"),
    [
        ("0.00;0.00%", 0.5, 0.5),  # the '%' is in the negative section only
        ("0.00;0.00%", -0.5, -50.0),  # ... which shows -0.5 as 50.00% (range check aside)
        ("0.00_%", 81.18, 81.18),  # '_%' pads the width of a '%': no percent
        ("0.00*%", 81.18, 81.18),  # '*%' fills the cell with '%': no percent
        ('0.00"%"', 81.18, 81.18),  # a quoted '%' is literal text
        ("0.0\\%", 81.2, 81.2),  # an escaped '%' too
        ("[$%-409]0.00", 81.18, 81.18),  # inside brackets
        ("0.00%", 0.8118, 81.18),
        ("[Red]0.00%", 0.8118, 81.18),
        ("0%;[Red]-0%", 0.85, 85.0),
        ("0.00%;-0.00%;0", 0.85, 85.0),
        ("0.00;-0.00;0%", 0.0, 0.0),  # zero shown by the third section: 0% is 0 either way
        ("0.00%;0.00;0.00", 0.25, 25.0),
        ('0.00;"-";0.00%', 0.25, 0.25),  # positive section: no percent
        ("[>=1]0.00;0.0%", 0.25, 25.0),  # a condition chooses the section
        ("[>=1]0.00;0.0%", 75.0, 75.0),
        ("[<1]0.0%;0.00", 0.25, 25.0),
        ("[<1]0.0%;0.00", 75.0, 75.0),
    ],
)
def test_percent_is_read_from_the_section_showing_the_value(
    tmp_path: Path, rules: indikator.Ruleset, fmt: str, value: float, read: float
) -> None:
    if read < 0:  # a negative percent is out of range: look at the cell as read instead
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["kode", "p", "c"])
        sheet.append(["1", value, 1])
        sheet["B2"].number_format = fmt
        book.save(tmp_path / "data.xlsx")
        cell = read_table(tmp_path / "data.xlsx")["p"][0]
        assert str(cell) == "-50%"
        return
    assert _read_percent(tmp_path, rules, fmt, value) == read


# -- 2 and 5. write_table then read_table gives every text back ------------------------

TEXTS = [
    "\rx",
    "'\t",
    "a\r\nb",
    "a\rb",
    " lead",
    "trail ",
    "  both\t",
    "\u00a0x",
    "x\u00a0",
    "' x",
    "'x ",
    "''=x",
    "'=1+1",
    "=1+1",
    "-5",
    "@x",
    "'",
    "''",
    "32\x0102",
    "\x1b]0;t\x07",
    "\x00",
    "a\x0bb\x0cc\x1f",
    "_x001B_",
    "_x0041_",
    "_x005f_",
    "_x005F_x0041_",
    "_x0041_x0001_",
    "x\ufffe\uffff",
    "tab\tnl\nx",
]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json", ".parquet"])
def test_write_then_read_gives_every_text_back(tmp_path: Path, suffix: str) -> None:
    columns = {"region": [f"r{i}" for i in range(len(TEXTS))], "t": TEXTS}
    path = tmp_path / f"out{suffix}"
    write_table(columns, path)
    back = read_table(path)
    assert list(back["t"]) == TEXTS
    assert list(back["region"]) == columns["region"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_text_with_blanks_in_names_and_ids_round_trips(tmp_path: Path, suffix: str) -> None:
    columns = {" kode": [" 3201", "3202 "], "nama": ["\x1b[31mKota", "Kab.\u00a0"]}
    path = tmp_path / f"out{suffix}"
    write_table(columns, path)
    back = read_table(path)
    assert list(back) == ["kode", "nama"]  # column names are stripped
    assert list(back["kode"]) == columns[" kode"]
    assert list(back["nama"]) == columns["nama"]


def test_hand_written_cells_are_still_stripped(tmp_path: Path, rules: indikator.Ruleset) -> None:
    path = tmp_path / "data.csv"
    path.write_text("kode,p,c\n 3201 , 85 ,\t2\n \u00a0'3202,'=x,1\n", encoding="utf-8")
    table = read_table(path)
    assert list(table["kode"]) == ["3201", "'3202"]
    assert list(table["p"]) == ["85", "=x"]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["kode", "p", "c"])
    sheet.append(["  3201 ", 85, 2])
    sheet.append(["_x0041_", 85, 2])  # not a control character: text as it stands
    book.save(tmp_path / "data.xlsx")
    results = rules.evaluate_many(read_table(tmp_path / "data.xlsx"))
    assert list(results.regions) == ["3201", "_x0041_"]


def test_evaluate_to_a_workbook_with_control_characters(tmp_path: Path) -> None:
    ruleset, data, out = tmp_path / "r.ikr", tmp_path / "data.csv", tmp_path / "out.xlsx"
    ruleset.write_text(RULES, encoding="utf-8")
    data.write_text("kode,p,c\n3201,1,2\n32\x0102,1,2\n\x1b]0;t\x07,1,2\n", encoding="utf-8")
    command = [sys.executable, "-m", "indikator", "evaluate", str(ruleset), str(data)]
    done = subprocess.run(  # noqa: S603  # our own CLI
        [*command, "-o", str(out), "--lang", "en"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert list(read_table(out)["region"]) == ["3201", "32\x0102", "\x1b]0;t\x07"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json", ".parquet"])
def test_writing_a_lone_surrogate_is_a_located_error(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"out{suffix}"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(indikator.DataError) as error:
        write_table({"region": ["a", "x\ud800"]}, path)
    (problem,) = error.value.problems
    assert (problem.code, problem.field, problem.message.key) == (
        "IK503",
        "region",
        "readers.write_surrogate",
    )
    with pytest.raises(indikator.DataError, match="column name"):
        write_table({"r\udc80": ["a"]}, path)
    assert path.read_text(encoding="utf-8") == "old"  # the old output is left as it was
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
