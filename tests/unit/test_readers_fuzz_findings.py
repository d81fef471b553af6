"""What the long fuzz run of the readers found (`tests/property/test_fuzz_readers.py`).

Each test pins one finding: a Python exception or warning where a located `DataError`
belonged, a value read or written differently from what its author meant, or time that
grows with the square of a cell's length.
"""

from __future__ import annotations

import contextlib
import csv
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import indikator
from indikator import cells
from indikator.data import Table, validate
from indikator.tables import read_table, write_table

RULES = """\
ruleset r { scale 0 to 1 region kode }
input kode: text
input n: number { missing zero }
indicator i_n = bands n { (-inf, 50) -> 0  [50, inf) -> 1 }
"""


@pytest.fixture(scope="module")
def rules() -> indikator.Ruleset:
    return indikator.loads(RULES)


def _numbers(rules: indikator.Ruleset, table: Table) -> list[float]:
    return validate(rules.plan, table).arrays["n"].tolist()  # type: ignore[no-any-return]


def _codes(error: pytest.ExceptionInfo[indikator.DataError]) -> list[str]:
    return [problem.code for problem in error.value.problems]


def _rewrite(path: Path, change: Any) -> None:
    """Rewrite a workbook's parts through `change(parts)`."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    change(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["kode", "n"])
    sheet.append(["3201", 5])
    book.save(path)
    return path


# -- exceptions and warnings instead of located errors ----------------------------------


def test_a_workbook_without_worksheets_is_refused(tmp_path: Path) -> None:
    # Was IndexError: without the only sheet's part, openpyxl lists no worksheet.
    path = _workbook(tmp_path / "none.xlsx")
    _rewrite(path, lambda parts: parts.pop("xl/worksheets/sheet1.xml"))
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _codes(error) == ["IK503"]
    assert "holds no worksheet" in str(error.value)
    assert "lembar kerja" in error.value.render("id")


def _open_descriptors(path: Path) -> int:
    """How many of this process's file descriptors point at `path` (Linux)."""
    found = 0
    for fd in Path("/proc/self/fd").iterdir():
        with contextlib.suppress(OSError):
            found += fd.readlink() == path
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("part", ["docProps/core.xml", "xl/styles.xml"])
def test_an_unreadable_workbook_leaves_no_file_open(tmp_path: Path, part: str) -> None:
    # Was a ResourceWarning when collected (an error under -W error): openpyxl, given a
    # path, leaves the file open when the workbook cannot be read, and the error kept it.
    path = _workbook(tmp_path / "cut.xlsx")
    _rewrite(path, lambda parts: parts.update({part: parts[part][: len(parts[part]) // 2]}))
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _codes(error) == ["IK503"]
    assert _open_descriptors(path) == 0


def test_a_float16_column_with_nan_is_read_without_a_warning(
    tmp_path: Path, rules: indikator.Ruleset
) -> None:
    # Was RuntimeWarning ('invalid value encountered in cast'), an error under -W error.
    path = tmp_path / "half.parquet"
    numbers = pa.array(np.array([np.nan, 80.1], dtype=np.float16))
    pq.write_table(pa.table({"kode": ["3201", "3202"], "n": numbers}), path)
    got = _numbers(rules, read_table(path))
    assert np.isnan(got[0])
    assert got[1] == float(str(np.float16(80.1)))  # the decimal the float16 shows


def test_a_binary_parquet_column_that_is_not_utf8_is_refused(
    tmp_path: Path, rules: indikator.Ruleset
) -> None:
    # Was UnicodeDecodeError, looking for decimal commas in the column.
    path = tmp_path / "bytes.parquet"
    blobs = pa.array([b"\x80\x81", b"5"], type=pa.binary())
    pq.write_table(pa.table({"kode": ["3201", "3202"], "n": blobs}), path)
    table = read_table(path)
    with pytest.raises(indikator.DataError) as error:
        rules.evaluate_many(table)
    assert _codes(error) == ["IK503"]
    assert "3201" in str(error.value)


def test_parquet_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    # Was UnicodeDecodeError: pyarrow reads a string column without checking its bytes.
    path = tmp_path / "latin1.parquet"
    table = pa.table({"kode": ["3201", "3202"], "n": ["85.5", "7"]})
    pq.write_table(table, path, compression="none")
    path.write_bytes(path.read_bytes().replace(b"85.5", b"\xb85.5"))  # data and statistics
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _codes(error) == ["IK503"]
    assert "not a readable Parquet file" in str(error.value)
    assert "UTF8" in str(error.value)


@pytest.mark.parametrize(
    ("stored", "kind"),
    [
        (2**62, pa.date64()),
        (2**31 - 1, pa.date32()),
        (2**62, pa.duration("s")),
        (1, pa.timestamp("s", tz="Bogus/Zone")),
    ],
)
def test_parquet_dates_beyond_python_are_refused(tmp_path: Path, stored: int, kind: Any) -> None:
    # Was OverflowError (or ArrowInvalid for an unknown time zone), from to_pylist().
    bits = pa.int32() if kind == pa.date32() else pa.int64()
    path = tmp_path / "far.parquet"
    column = pa.array([stored], type=bits).view(kind)
    pq.write_table(pa.table({"kode": ["3201"], "n": column}), path)
    with pytest.raises(indikator.DataError) as error:
        read_table(path)
    assert _codes(error) == ["IK503"]
    assert "column 'n' cannot be read" in str(error.value)
    assert "kolom 'n' tidak dapat dibaca" in error.value.render("id")


@pytest.mark.parametrize(
    ("ids", "shown"),
    [
        (np.array([1e19, 2.0]), ["10000000000000000000", "2"]),
        (np.array([np.inf, 2.0]), ["inf", "2"]),
        (np.array([9.223372e18, 1.0], dtype=np.float32), ["9223372036854775808", "1"]),
        (np.array([np.nan, 7.0], dtype=np.float16), [None, "7"]),
    ],
)
def test_whole_float_ids_beyond_int64_are_shown_as_written(ids: Any, shown: list[Any]) -> None:
    # Was '-9223372036854775808' (numpy's cast wraps) and a RuntimeWarning.
    assert cells.parse_texts(ids).tolist() == shown


def test_float_region_ids_beyond_int64_name_their_regions(
    tmp_path: Path, rules: indikator.Ruleset
) -> None:
    path = tmp_path / "ids.parquet"
    pq.write_table(pa.table({"kode": [1e19, 2e19], "n": [1.0, 2.0]}), path)
    results = rules.evaluate_many(read_table(path)).columns("en")
    assert results["region"] == ["10000000000000000000", "20000000000000000000"]


# -- values written differently from what was meant -------------------------------------


def test_xlsx_numbers_are_written_with_every_digit(tmp_path: Path) -> None:
    # openpyxl writes numbers with 16 significant digits: 1.8447310989257984e-131 came
    # back as 1.844731098925798e-131.
    numbers = [1.8447310989257984e-131, 1.7779283525832552e16, 0.1, -(2**60), 12345678901234567]
    path = tmp_path / "digits.xlsx"
    write_table({"kode": ["a", "b", "c", "d", "e"], "n": numbers}, path)
    assert read_table(path)["n"].tolist() == numbers


def test_csv_numbers_like_thousands_are_written_unambiguously(
    tmp_path: Path, rules: indikator.Ruleset
) -> None:
    # 1.125 was written '1.125', which the reader (rightly) refuses as ambiguous: one and
    # an eighth, or 1125 in Indonesian notation. '1.1250' is one and an eighth in both.
    numbers = [1.125, -2.375, 999.001, 1000.125, 0.125]
    path = tmp_path / "thousands.csv"
    write_table({"kode": ["a", "b", "c", "d", "e"], "n": numbers}, path)
    assert path.read_text(encoding="utf-8").splitlines()[1] == "a,1.1250"
    assert _numbers(rules, read_table(path)) == numbers
    assert _numbers(rules, read_table(path, locale="en")) == numbers


@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_an_infinite_number_is_not_written_where_it_cannot_be_held(
    tmp_path: Path, suffix: str
) -> None:
    # A workbook got an empty cell (read back as missing), JSON raised ValueError.
    path = tmp_path / f"inf{suffix}"
    with pytest.raises(indikator.DataError) as error:
        write_table({"kode": ["a", "b"], "n": [1.0, float("-inf")]}, path)
    assert _codes(error) == ["IK503"]
    assert "column 'n'" in str(error.value)
    assert "-inf" in str(error.value)
    assert not path.exists()


# -- time that grows with the square of a cell's length --------------------------------


def test_the_csv_separator_is_found_without_csv_sniffer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # csv.Sniffer's regular expressions take time quadratic in the header's length: a
    # first line of 64 KB of '"a;' took 6 s, of 1 MB about half an hour.
    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("csv.Sniffer called")

    monkeypatch.setattr(csv.Sniffer, "sniff", refuse)
    for separator in (",", ";", "\t"):
        path = tmp_path / "sep.csv"
        header = separator.join(["kode", '"nama, lengkap; atau"', "n"])
        path.write_text(f"{header}\n3201{separator}x{separator}5\n", encoding="utf-8")
        assert list(read_table(path)) == ["kode", "nama, lengkap; atau", "n"]
    path.write_text('"a;' * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(indikator.DataError):
        read_table(path)


def test_a_long_blank_run_in_a_cell_is_matched_in_one_pass() -> None:
    # '1', 20,000 blanks and a letter took 0.8 s (every split of the blanks between the
    # two runs around the '%' was tried); a cell of 200,000 took over a minute. The
    # blanks are possessive now; what the cells mean is unchanged.
    for pattern in cells._CELL.values():  # noqa: SLF001  # the pattern is the finding
        assert pattern.pattern.startswith("[ \\t]*+(")
        assert pattern.pattern.endswith(")[ \\t]*+(%?)[ \\t]*+")
    assert cells.read_number("1" + " " * 200_000 + "x") is None
    assert cells.read_number(" 85 % ", percent=True) == 85.0
    assert cells.read_number("\t85%\t", percent=True) == 85.0
    assert cells.read_number("85 %") is None
    assert cells.read_number("1.000,5 ", "id") == 1000.5
