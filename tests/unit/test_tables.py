"""Data files: reading and writing CSV, Excel, Parquet and JSON; errors; atomic output; chunks."""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import indikator
from indikator import tables
from indikator.tables import evaluate_table, read_csv, read_table, write_table

FIXTURES = Path(__file__).parents[1] / "fixtures"
FORMATS = [".csv", ".xlsx", ".parquet", ".json"]

# Output-like columns: text ids with a leading zero, a text that looks like a formula,
# numbers with decimals, missing values in every column kind.
COLUMNS: dict[str, list[Any]] = {
    "region": ["0101", "3201", "3202"],
    "name": ["Kab A", "=1+1", None],
    "total": [170.0, 92.45, None],
    "count": [1.0, 0.0, 3.0],
    "tier": ["Pratama", None, "KLA"],
}


def _cells(values: Any) -> list[Any]:
    """A read column as plain Python values: NaN as None, numbers as float."""
    out: list[Any] = []
    for value in np.asarray(values, dtype=object).tolist():
        if value is None or (isinstance(value, float) and math.isnan(value)):
            out.append(None)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out.append(float(value))
        else:
            out.append(value)
    return out


def _expected(fmt: str) -> dict[str, list[Any]]:
    """CSV cells come back as text; the other formats keep numbers as numbers."""
    if fmt != ".csv":
        return COLUMNS
    return {k: [None if v is None else str(v) for v in vs] for k, vs in COLUMNS.items()}


def _problem(error: pytest.ExceptionInfo[indikator.DataError]) -> str:
    return "\n".join(str(p.message) for p in error.value.problems)


# -- round trips -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_write_then_read_gives_the_same_columns(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"out{fmt}"
    write_table(COLUMNS, path)
    read = read_table(path)
    assert list(read) == list(COLUMNS)
    assert {k: _cells(v) for k, v in read.items()} == _expected(fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_numpy_columns_with_nan_are_written_as_empty_cells(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"out{fmt}"
    write_table({"x": np.array([1.5, np.nan]), "y": np.array(["a", "b"], dtype=object)}, path)
    assert _cells(read_table(path)["x"])[1] is None


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_evaluates_like_the_csv(tmp_path: Path, fmt: str) -> None:
    ruleset = indikator.load(FIXTURES / "tour.ikr")
    expected = ruleset.evaluate_many(read_csv(FIXTURES / "tour.csv")).columns()
    path = tmp_path / f"tour{fmt}"
    write_table(read_csv(FIXTURES / "tour.csv"), path)
    assert ruleset.evaluate_many(read_table(path)).columns() == expected


def test_xlsx_numbers_stay_numbers_and_empty_cells_are_none(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["kode", "akta", "catatan"], ["3201", 92.5, "  "], [3202, 45, None], [None] * 3):
        sheet.append(row)
    book.save(path)
    read = read_table(path)
    assert read["kode"].tolist() == ["3201", 3202]  # text stays text, a number a number
    assert read["akta"].tolist() == [92.5, 45]
    assert read["catatan"].tolist() == [None, None]  # blank text is empty; blank rows go


def test_xlsx_sheet_by_name(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Catatan"
    first.append(["bukan", "data"])
    second = book.create_sheet("Data")
    second.append(["kode", "akta"])
    second.append(["3201", 80])
    book.save(path)
    assert list(read_table(path)) == ["bukan", "data"]  # the first sheet by default
    assert read_table(path, sheet="Data")["akta"].tolist() == [80]


def test_json_object_of_columns(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text('{"kode": ["3201", "3202"], "akta": [92.5, null]}', encoding="utf-8")
    assert _cells(read_table(path)["akta"]) == [92.5, None]


def test_json_records_with_missing_keys(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text('[{"kode": "3201", "akta": 9}, {"kode": "3202", "odf": 1}]', encoding="utf-8")
    read = read_table(path)
    assert list(read) == ["kode", "akta", "odf"]
    assert read["odf"].tolist() == [None, 1]


def test_csv_quoted_cells_and_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text('kode;nama\n3201;"Kab; A"\n\n3202;"Kab\nB"\n', encoding="utf-8")
    assert read_table(path)["nama"].tolist() == ["Kab; A", "Kab\nB"]


def test_xlsx_text_that_looks_like_a_formula_is_written_as_text(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_table({"name": ["=HYPERLINK(1)"]}, path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet["A2"].data_type == "s"


# -- errors ----------------------------------------------------------------------------


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_extension(tmp_path: Path) -> None:
    path = _write(tmp_path, "data.txt", "kode\n1\n")
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _problem(error) == (
        f"'{path}' has '.txt'; data files must be one of .csv, .xlsx, .parquet, .json"
    )
    with pytest.raises(indikator.DataError, match=r"has '\.xls'"):
        write_table(COLUMNS, tmp_path / "out.xls")


def test_wrong_sheet_lists_the_sheets(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"
    book = openpyxl.Workbook()
    assert book.active is not None
    book.active.title = "Data"
    book.create_sheet("Catatan")
    book.save(path)
    with pytest.raises(indikator.DataError) as error:
        read_table(path, sheet="data")
    assert _problem(error) == f"'{path}' has no sheet 'data'; its sheets: 'Data', 'Catatan'"


def test_sheet_on_a_csv(tmp_path: Path) -> None:
    path = _write(tmp_path, "data.csv", "kode\n1\n")
    with pytest.raises(indikator.DataError, match=r"--sheet applies to \.xlsx files"):
        read_table(path, sheet="Data")


def test_missing_header_csv(tmp_path: Path) -> None:
    path = _write(tmp_path, "data.csv", "3201,92.5\n3202,45\n")
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _problem(error) == (
        f"'{path}': the first row holds numbers (3201, 92.5), not column names: "
        "add a header row naming each column"
    )


def test_a_blank_first_row_moves_the_header_down_and_says_so(tmp_path: Path) -> None:
    # Once refused (IK511, "row 1 is empty"); now the header is found below it, and the
    # account of the reading names the row, so the liberty is never silent.
    path = tmp_path / "data.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Data"
    sheet["A2"] = "kode"
    sheet["A3"] = "3201"
    book.save(path)
    table = read_table(path)
    assert list(table) == ["kode"]
    assert table["kode"].tolist() == ["3201"]
    assert table.reading is not None
    assert table.reading.lines("en") == ["sheet 'Data': header on row 2"]


def test_duplicate_columns_csv(tmp_path: Path) -> None:
    path = _write(tmp_path, "data.csv", "kode,akta,akta\n1,2,3\n")
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _problem(error) == f"'{path}': column 'akta' appears twice (columns B and C)"


def test_duplicate_columns_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Data"
    sheet.append(["kode", "akta", "odf", "akta"])
    sheet.append(["3201", 1, 2, 3])
    book.save(path)
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _problem(error) == (
        f"'{path}', sheet 'Data': column 'akta' appears twice (columns B and D)"
    )


def test_duplicate_columns_json_and_parquet(tmp_path: Path) -> None:
    path = _write(tmp_path, "data.json", '[{"kode": 1, "kode": 2}]')
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _problem(error) == f"'{path}': key 'kode' appears twice in one object"
    parquet = tmp_path / "data.parquet"
    pq.write_table(pa.Table.from_arrays([pa.array([1]), pa.array([2])], names=["a", "a"]), parquet)
    with pytest.raises(indikator.DataError) as error:
        read_table(parquet)
    assert _problem(error) == f"'{parquet}': column 'a' appears twice"


def test_row_with_too_many_cells_csv(tmp_path: Path) -> None:
    path = _write(tmp_path, "data.csv", "kode,akta\n3201,90\n3202,45,7\n")
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _problem(error) == f"'{path}' row 3: 3 cells, the header has 2"


def test_row_with_too_many_cells_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Data"
    sheet.append(["kode", "akta"])
    sheet.append(["3201", 90])
    sheet.append(["3202", 45, 7])
    book.save(path)
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _problem(error) == (
        f"'{path}', sheet 'Data' row 3: a value in column C (7), which has no name in the "
        "header row"
    )


def test_mixed_decimal_commas_are_reported_with_their_cells(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "data.csv", 'kode,akta,nama\n3201,92.4,A\n3202,"88,1",B\n3203,"7,5",C\n'
    )
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _problem(error) == (
        f"'{path}', column 'akta': 2 cell(s) use a decimal comma: row 3 ('88,1'), "
        "row 4 ('7,5'); others use a point, e.g. row 2 ('92.4'). "
        "Use a point as the decimal separator (88.1, not 88,1)"
    )


def test_mixed_decimal_commas_in_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Data"
    for row in (["kode", "akta"], ["3201", 92.4], ["3202", "88,1"]):
        sheet.append(row)
    book.save(path)
    with pytest.raises(indikator.DataError, match=r"sheet 'Data', column 'akta': 1 cell\(s\)"):
        read_table(path)


@pytest.mark.parametrize(
    "cells",
    [
        ["Kab A, Jabar", "Kab B"],  # text with commas is text
        ["92,4", "80"],  # commas only: data.validate names these cells as not numbers
        ["1.5", "2"],
    ],
)
def test_commas_that_are_not_mixed_pass(tmp_path: Path, cells: list[str]) -> None:
    path = _write(tmp_path, "data.csv", "x\n" + "\n".join(f'"{c}"' for c in cells) + "\n")
    assert read_table(path)["x"].tolist() == cells


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("data.csv", b"PK\x03\x04rest", "is not a CSV file: it is an Excel workbook (.xlsx)"),
        ("data.json", b"PAR1rest", "is not a JSON file: it is a Parquet file"),
        ("data.xlsx", b"kode,akta\n", "is not an Excel workbook (.xlsx): it is text"),
        ("data.parquet", b"kode,akta\n", "is not a Parquet file: it is text"),
        ("data.xlsx", b"\xd0\xcf\x11\xe0rest", "it is an old Excel workbook (.xls): save it"),
        ("data.xlsx", b"PK\x03\x04broken", "is not a readable Excel workbook (.xlsx)"),
        ("data.parquet", b"PAR1broken", "is not a readable Parquet file"),
        ("data.csv", b"kode\n\xff\xfe\n", "is not UTF-8 text: save it as 'CSV UTF-8'"),
        ("data.json", b"kode,akta\n", "is not valid JSON: line 1 column 1: Expecting value"),
    ],
)
def test_a_file_that_is_not_what_its_extension_says(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert message in _problem(error)
    assert str(path) in _problem(error)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"kode": [1, 2], "akta": [1]}', "columns differ in length: 'kode' 2, 'akta' 1"),
        ('[{"kode": 1}, [1]]', "record 2 is list, not an object of column → value"),
        ('[{"kode": {"a": 1}}]', "record 1, column 'kode': a nested dict"),
        ('"kode"', "must hold a list of records or an object of columns, not str"),
        ("[]", "holds no records"),
    ],
)
def test_malformed_json(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, "data.json", text)
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert message in _problem(error)


def test_empty_files(tmp_path: Path) -> None:
    with pytest.raises(indikator.DataError) as error:
        read_table(_write(tmp_path, "data.csv", "\n"))
    assert error.value.problems[0].code == "IK511"
    book = openpyxl.Workbook()
    book.save(tmp_path / "data.xlsx")
    with pytest.raises(indikator.DataError, match="sheet 'Sheet' is empty"):
        read_table(tmp_path / "data.xlsx")


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(indikator.DataError, match=r"cannot read .*nothing\.csv"):
        read_table(tmp_path / "nothing.csv")


@pytest.mark.parametrize(
    ("fmt", "module", "extra"), [(".xlsx", "openpyxl", "excel"), (".parquet", "pyarrow", "parquet")]
)
def test_missing_optional_dependency(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, module: str, extra: str
) -> None:
    path = tmp_path / f"data{fmt}"
    write_table({"kode": ["1"]}, path)
    monkeypatch.setitem(sys.modules, module, None)  # `import module` now raises ImportError
    expected = f"files need the '{module}' package: pip install 'indikator[{extra}]'"
    with pytest.raises(indikator.DataError, match=expected.replace("[", r"\[").replace("]", r"\]")):
        read_table(path)
    with pytest.raises(indikator.DataError, match="pip install"):
        write_table({"kode": ["1"]}, tmp_path / f"out{fmt}")
    assert not (tmp_path / f"out{fmt}").exists()


# -- atomic writes ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_failed_write_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    path = tmp_path / f"out{fmt}"
    write_table(COLUMNS, path)
    before = path.read_bytes()
    writer_name = {".csv": "_write_csv", ".xlsx": "_write_xlsx"}.get(fmt, f"_write_{fmt[1:]}")
    real: Callable[[Any, Path], None] = getattr(tables, writer_name)

    def half_then_fail(columns: Any, temporary: Path) -> None:
        real(columns, temporary)
        with temporary.open("r+b") as handle:  # a half-written file, then the disk fills up
            handle.truncate(max(1, temporary.stat().st_size // 2))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tables, writer_name, half_then_fail)
    with pytest.raises(OSError, match="No space left"):
        write_table({"other": [1.0]}, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temporary left


def test_a_written_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_table(COLUMNS, tmp_path / "out.csv")
    finally:
        os.umask(umask)
    assert (tmp_path / "out.csv").stat().st_mode & 0o777 == 0o644  # not mkstemp's 0o600


def test_interrupting_a_write_removes_the_temporary(tmp_path: Path) -> None:
    def interrupted(_: Path) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        tables.replace_atomically(tmp_path / "out.json", interrupted)
    assert list(tmp_path.iterdir()) == []


# -- evaluating in chunks --------------------------------------------------------------

NO_RANKS = """
ruleset chunks { scale 0 to 10 region kode }
input kode: text
input akta: percent { missing zero }
indicator i_akta = bands akta { [0, 50) -> 0  [50, 100] -> 10 }
tiers on i_akta { baik "Baik" [10, 10] }
"""


def _table(size: int, *, ids: bool = True) -> dict[str, Any]:
    table: dict[str, Any] = {"akta": np.arange(size, dtype=float) % 101}
    if ids:
        table["kode"] = np.array([f"{i:05d}" for i in range(size)], dtype=object)
    return table


def test_chunks_give_the_same_columns_as_one_evaluation() -> None:
    ruleset = indikator.loads(NO_RANKS)
    table = _table(250)
    done: list[int] = []
    chunked = evaluate_table(ruleset, table, chunk_rows=100, progress=done.append)
    assert done == [100, 100, 50]
    assert chunked == ruleset.evaluate_many(table).columns()


def test_chunks_number_rows_without_ids_across_the_whole_table() -> None:
    ruleset = indikator.loads(NO_RANKS.replace(" region kode", "").replace("input kode: text", ""))
    columns = evaluate_table(ruleset, _table(5, ids=False), chunk_rows=2)
    assert columns["region"] == ["row 1", "row 2", "row 3", "row 4", "row 5"]


def test_ids_repeated_across_chunks_are_reported() -> None:
    ruleset = indikator.loads(NO_RANKS)
    table = _table(4)
    table["kode"][3] = table["kode"][0]  # in another chunk than its twin
    with pytest.raises(indikator.DataError) as error:
        evaluate_table(ruleset, table, chunk_rows=2)
    assert error.value.problems[0].code == "IK507"


def test_a_data_error_in_one_chunk_counts_every_row() -> None:
    ruleset = indikator.loads(NO_RANKS)
    table = _table(6)
    table["akta"][[1, 4]] = 120.0  # out of 0..100 in the first and in the last chunk
    with pytest.raises(indikator.DataError) as error:
        evaluate_table(ruleset, table, chunk_rows=3)
    assert error.value.problems[0].count == 2


def test_ranks_and_rollups_run_on_the_whole_table() -> None:
    ruleset = indikator.load(FIXTURES / "tour.ikr")
    assert tables.needs_whole_table(ruleset)
    done: list[int] = []
    columns = evaluate_table(
        ruleset, read_csv(FIXTURES / "tour.csv"), chunk_rows=1, progress=done.append
    )
    assert done == [4]
    assert columns["r"] == [1.0, 2.0, 1.0, 2.0]  # ranks within each province


def test_json_output_is_a_list_of_records(tmp_path: Path) -> None:
    write_table({"region": ["3201"], "total": [170.0]}, tmp_path / "out.json")
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == [
        {"region": "3201", "total": 170.0}
    ]


# -- a JSON file with texts about its records (`evaluate -o FILE.json`) --------------------


def test_json_written_with_texts_reads_back_as_its_records(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    about = {"note": "Data contoh sintetis", "assumptions": "Asumsi: 1 dari 2"}
    write_table(COLUMNS, path, about=about)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert list(document) == ["note", "assumptions", "records"]
    assert {key: document[key] for key in about} == about
    read = read_table(path)
    assert list(read) == list(COLUMNS)
    assert {k: _cells(v) for k, v in read.items()} == _expected(".json")


def test_json_texts_cannot_take_the_records_key(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="records"):
        write_table(COLUMNS, tmp_path / "out.json", about={"records": "x"})
    assert not (tmp_path / "out.json").exists()


def test_a_column_named_records_is_still_a_column(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text('{"kode": ["3201"], "records": [4]}', encoding="utf-8")
    assert list(read_table(path)) == ["kode", "records"]


def test_json_records_beside_texts_are_checked_like_a_list(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text('{"note": "x", "records": [{"kode": "3201"}, 5]}', encoding="utf-8")
    with pytest.raises(indikator.DataError, match="record 2"):
        read_table(path)
    path.write_text('{"note": "x", "records": []}', encoding="utf-8")
    with pytest.raises(indikator.DataError) as empty:
        read_table(path)
    assert empty.value.problems[0].code == "IK511"
