"""A CSV file read in blocks for DuckDB (issue #18): the cells and errors of `read_table`.

`evaluate_path` reads a CSV file in blocks of rows written as Parquet files
(`sql._csv_blocks`), so that a file larger than memory is read out of core. The blocks
must hold the cells `read_table` reads from the whole file, and a file it refuses must be
refused with its error, whatever block the offending row falls in. Cases worked by hand
first, then two differentials over odd files cut into small blocks: the cells and the
reading account against `read_table`, and the results or errors against the numpy engine.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

pytest.importorskip("duckdb")
pytest.importorskip("sqlglot")

import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import indikator
from indikator.errors import DataError, IndikatorError
from indikator.ruleset import Ruleset
from indikator.sql import _csv_blocks
from indikator.sql._csv_blocks import write_blocks
from indikator.sql.engine import evaluate_path
from indikator.tables import read_table

# x up to 100, 10 for a yes, 5 for "dua": the totals below are worked out by hand.
RULESET = """\
ruleset d { scale 0 to 115  region kode }
input kode "Kode wilayah": text
input b "Ada layanan": yesno { missing zero }
input o "Status regulasi": option("belum_ada", "dua") { missing zero }
input x "Nilai X" en "X value": percent { missing zero }
indicator a = x + (if b then 10 else 0) + (if o == "dua" then 5 else 0)
group total = sum(a)
tiers on total { below "Belum" baik "Baik" [50, 115] }
"""


@functools.cache
def _ruleset() -> Ruleset:
    ruleset = indikator.loads(RULESET)
    assert isinstance(ruleset, Ruleset)
    return ruleset


def _blocks(path: Path, folder: Path, rows: int, chars: int | None = None) -> Any:
    """The blocks' cells, concatenated, and the reading account; or the error."""
    folder.mkdir()
    try:
        reading = write_blocks(path, _ruleset(), folder, rows=rows, chars=chars).reading
    except IndikatorError as error:
        return _error(error)
    parts = sorted(folder.glob("*.parquet"))
    columns: dict[str, list[Any]] = {}
    for part in parts:
        for name, cells in pq.read_table(part).to_pydict().items():
            columns.setdefault(name, []).extend(cells)
    return ("ok", columns, reading, len(parts))


def _whole(path: Path) -> Any:
    """`read_table`'s cells and reading account; or its error."""
    try:
        table = read_table(path, ruleset=_ruleset())
    except IndikatorError as error:
        return _error(error)
    assert table.reading is not None
    columns = {name: cells.tolist() for name, cells in table.items()}
    return ("ok", columns, table.reading)


def _error(error: IndikatorError) -> tuple[Any, ...]:
    codes = tuple(p.code for p in error.problems) if isinstance(error, DataError) else ()
    return ("error", codes, error.render("en"))


def _evaluated(run: Any) -> tuple[Any, ...]:
    try:
        results = run()
    except IndikatorError as error:
        return _error(error)
    return ("ok", list(results.regions), results["total"].tolist(), results.tiers("en"))


def _write(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# -- worked by hand --------------------------------------------------------------------


def test_blocks_hold_read_tables_cells_across_block_ends(tmp_path: Path) -> None:
    rows = "".join(f"{i:02d};ya;Belum Ada;{i}\n" for i in range(1, 11))
    path = _write(tmp_path / "d.csv", "Rekap 2025\n\nKode wilayah;b;o;Nilai X\n" + rows)
    got = _blocks(path, tmp_path / "parts", rows=4)
    assert got[0] == "ok"
    assert got[3] == 3  # 10 regions in blocks of 4: 4, 4, 2
    assert got[1]["kode"] == [f"{i:02d}" for i in range(1, 11)]
    assert got[1]["o"] == ["belum_ada"] * 10  # the label read as the choice's id
    assert got[1]["x"] == [str(i) for i in range(1, 11)]
    assert got[1:3] == _whole(path)[1:3]
    # The account: the title rows, the columns by label, and the 10 labels counted once.
    account = "\n".join(got[2].lines("en"))
    assert "'Belum Ada'" in account
    assert "10" in account


def test_a_decimal_comma_in_a_late_block_is_refused_as_the_whole_file_is(tmp_path: Path) -> None:
    # Points in rows 2-31, then '"81,5"' (quoted: commas separate the cells) in row 32.
    rows = [f"{i:02d},ya,dua,{i}.5\n" for i in range(1, 31)]
    path = _write(tmp_path / "d.csv", "kode,b,o,x\n" + "".join(rows) + '31,ya,dua,"81,5"\n')
    got = _blocks(path, tmp_path / "parts", rows=4)
    assert got == _whole(path)
    assert got[1] == ("IK503",)
    # Worked by hand: the one comma cell is row 32, the first point row 2 ('1.5').
    assert "1 cell(s) use a decimal comma: row 32 ('81,5')" in got[2]
    assert "e.g. row 2 ('1.5')" in got[2]


def test_a_row_of_another_width_in_a_late_block_is_refused_naming_it(tmp_path: Path) -> None:
    rows = [f"{i:02d},ya,dua,{i}\n" for i in range(1, 20)]
    rows[15] = "16,ya,dua,16,extra\n"  # row 17 of the file
    path = _write(tmp_path / "d.csv", "kode,b,o,x\n" + "".join(rows))
    got = _blocks(path, tmp_path / "parts", rows=3)
    assert got == _whole(path)
    assert "row 17" in got[2]


def test_bytes_not_utf8_after_a_bad_header_are_the_error_as_for_the_whole_file(
    tmp_path: Path,
) -> None:
    # The whole-file reader decodes the file first: a late bad byte wins over the header.
    text = b"a,b\n1,2\n" + b"3,4\n" * 50 + b"\xff,5\n"
    path = tmp_path / "d.csv"
    path.write_bytes(text)
    got = _blocks(path, tmp_path / "parts", rows=2)
    assert got == _whole(path)
    assert "UTF-8" in got[2]


def test_a_row_the_csv_module_refuses_in_a_late_block_is_named(tmp_path: Path) -> None:
    # A cell past the csv module's field limit (131,072 characters) in row 9.
    rows = [f"{i:02d},ya,dua,{i}\n" for i in range(1, 12)]
    rows[7] = "08,ya,dua," + "9" * 140_000 + "\n"
    path = _write(tmp_path / "d.csv", "kode,b,o,x\n" + "".join(rows))
    got = _blocks(path, tmp_path / "parts", rows=2)
    assert got == _whole(path)
    assert got[1] == ("IK503",)
    assert "row 9" in got[2]
    # Bytes that are not UTF-8 after it are the error, as the whole file is decoded first.
    path.write_bytes(path.read_bytes() + b"12,ya,dua,\xff\n")
    got = _blocks(path, tmp_path / "parts2", rows=2)
    assert got == _whole(path)
    assert "UTF-8" in got[2]


def test_the_whole_file_readers_order_of_errors_is_kept(tmp_path: Path) -> None:
    # A column named twice is refused, but a row of another width (row 12) first.
    rows = [f"{i:02d},ya,dua,{i},{i}\n" for i in range(1, 14)]
    path = _write(tmp_path / "d.csv", "kode,b,o,x,x\n" + "".join(rows))
    got = _blocks(path, tmp_path / "parts", rows=2)
    assert got == _whole(path)
    assert "'x'" in got[2]
    rows[10] = "11,ya,dua,11\n"
    path = _write(tmp_path / "d.csv", "kode,b,o,x,x\n" + "".join(rows))
    got = _blocks(path, tmp_path / "parts2", rows=2)
    assert got == _whole(path)
    assert "row 12" in got[2]


@pytest.mark.parametrize("text", ["", "\n\n", " \r\n\t\n", "\ufeff"])
def test_an_empty_file_is_refused_as_the_whole_file_is(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path / "d.csv", text)
    got = _blocks(path, tmp_path / "parts", rows=2)
    assert got == _whole(path)
    assert got[1] == ("IK511",)


def test_a_value_under_no_header_in_a_late_row_is_refused_naming_its_row(tmp_path: Path) -> None:
    rows = [f"{i:02d},ya,dua,{i},\n" for i in range(1, 12)]
    rows[9] = "10,ya,dua,10,lost\n"  # row 11 of the file, column E
    path = _write(tmp_path / "d.csv", "kode,b,o,x,\n" + "".join(rows))
    got = _blocks(path, tmp_path / "parts", rows=2)
    assert got == _whole(path)
    assert "row 11" in got[2]
    assert "'lost'" in got[2]


def test_a_bad_cell_in_a_late_row_gives_numpys_error_naming_the_region(tmp_path: Path) -> None:
    rows = [f"{i:02d},ya,dua,{i}\n" for i in range(1, 41)]
    rows[36] = "37,ya,dua,banyak\n"
    path = _write(tmp_path / "d.csv", "kode,b,o,x\n" + "".join(rows))
    numpy = _evaluated(lambda: _ruleset().evaluate_many(read_table(path, ruleset=_ruleset())))
    with mock.patch.object(_csv_blocks, "BLOCK_ROWS", 8):
        duckdb = _evaluated(lambda: evaluate_path(_ruleset(), path))
    assert duckdb == numpy
    assert duckdb[0] == "error"
    assert "37" in duckdb[2]
    assert "banyak" in duckdb[2]


def test_evaluate_path_reads_a_csv_file_in_blocks_with_numpys_totals(tmp_path: Path) -> None:
    # 10 + 10 + 5 = 25; 60 + 0 + 0 = 60 (option by label); 81.5 + 10 + 5 = 96.5. A BOM,
    # CRLF, a blank line, quoted cells, blanks around cells.
    path = _write(
        tmp_path / "d.csv",
        "\ufeffkode,b,o,x\r\n01,ya,dua,10\r\n\r\n"
        '02,tidak ,Belum Ada, 60 \r\n"03",YA,"DUA ","81.5"\r\n',
    )
    with mock.patch.object(_csv_blocks, "BLOCK_ROWS", 1):
        got = evaluate_path(_ruleset(), path)
    assert list(got.regions) == ["01", "02", "03"]
    assert got["total"].tolist() == [25.0, 60.0, 96.5]
    assert got.tiers("en") == ["Belum", "Baik", "Baik"]


def test_the_blocks_folder_is_deleted_after_the_evaluation(tmp_path: Path) -> None:
    path = _write(tmp_path / "d.csv", "kode,b,o,x\n01,ya,dua,10\n")
    with mock.patch.dict("os.environ", {"TMPDIR": str(tmp_path / "tmp")}):
        (tmp_path / "tmp").mkdir()
        import tempfile  # noqa: PLC0415

        tempfile.tempdir = None  # TMPDIR is read again
        try:
            evaluate_path(_ruleset(), path)
        finally:
            tempfile.tempdir = None
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_glob_of_csv_files_is_read_file_by_file_in_the_order_of_their_names(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    # Each file read as its own: separators, title rows, labels, column order, BOM, CRLF.
    _write(folder / "b.csv", "Rekap\nNilai X;Kode wilayah;b;o\n60;03;tidak;Belum Ada\n")
    _write(folder / "a.csv", "kode,b,o,x\n01,ya,dua,10\n02,YA,belum_ada,50\n")
    _write(folder / "c.csv", "\ufeffo\tx\tkode\tb\r\n DUA\t81.5\t04\tya\r\n")
    with mock.patch.object(_csv_blocks, "BLOCK_ROWS", 1):
        got = evaluate_path(_ruleset(), str(folder / "*.csv"))
    assert list(got.regions) == ["01", "02", "03", "04"]
    # 10 + 10 + 5; 50 + 10; 60; 81.5 + 10 + 5, worked by hand
    assert got["total"].tolist() == [25.0, 60.0, 60.0, 96.5]
    tables = [read_table(folder / f"{n}.csv", ruleset=_ruleset()) for n in "abc"]
    whole = {name: [c for t in tables for c in t[name].tolist()] for name in tables[0]}
    assert _evaluated(lambda: got) == _evaluated(lambda: _ruleset().evaluate_many(whole))


def test_a_glob_of_csv_files_with_other_columns_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    _write(folder / "a.csv", "kode,b,o,x\n01,ya,dua,10\n")
    _write(folder / "b.csv", "kode,b,o\n02,ya,dua\n")  # no x: not all missing, refused
    got = _evaluated(lambda: evaluate_path(_ruleset(), str(folder / "*.csv")))
    assert got[0] == "error"
    assert "IK804" in got[2]
    assert "b.csv' has other columns than" in got[2]
    assert "(kode, b, o against kode, b, o, x)" in got[2]


def test_a_glob_matching_no_csv_file_is_refused(tmp_path: Path) -> None:
    got = _evaluated(lambda: evaluate_path(_ruleset(), str(tmp_path / "*.csv")))
    assert got[0] == "error"
    assert "IK804" in got[2]
    assert "no CSV file matches" in got[2]


def test_a_file_named_like_a_glob_is_read_as_that_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "data[1].csv", "kode,b,o,x\n01,ya,dua,10\n")
    assert evaluate_path(_ruleset(), path)["total"].tolist() == [25.0]


def test_a_bad_cell_in_a_globs_second_file_gives_numpys_error(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    _write(folder / "a.csv", "kode,b,o,x\n01,ya,dua,10\n")
    _write(folder / "b.csv", "kode,b,o,x\n02,ya,dua,banyak\n")
    got = _evaluated(lambda: evaluate_path(_ruleset(), str(folder / "*.csv")))
    whole = {"kode": ["01", "02"], "b": ["ya", "ya"], "o": ["dua", "dua"], "x": ["10", "banyak"]}
    assert got == _evaluated(lambda: _ruleset().evaluate_many(whole))
    assert got[0] == "error"
    assert "banyak" in got[2]


# -- differentials over odd files ------------------------------------------------------

# Cells numpy reads (blanks, the writer's "'", labels, both cases), and odd ones: empty,
# a repeated or missing id, unknown words, thousands separators, the other decimal mark.
GOOD = {
    "b": ["ya", " Tidak ", "YA", "tidak", "\u3000ya\xa0", "Ya"],
    "o": ["dua", "belum_ada", "Belum Ada", "BELUM-ADA", " Dua ", "DUA"],
}
ODD = {
    "kode": ["", "01", " "],
    "b": ["", "mungkin", "yes"],
    "o": ["", "tiga", "Belum"],
    "x": ["", "abc", "1.000", "1,000", "1.000,5", "-5", "2,5", "2.5", "1e1", "'=1"],
}
HEADERS = {"kode": ["kode", "Kode wilayah"], "b": ["b", "Ada layanan"], "o": ["o"]}
HEADERS["x"] = ["x", "Nilai X", "X value"]
FIXTURE = HealthCheck.function_scoped_fixture  # tmp_path_factory: a folder per example


def _cell(cell: str, delimiter: str, *, quote: bool) -> str:
    if quote or any(c in cell for c in (delimiter, '"', "\r", "\n")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


@st.composite
def _number(draw: st.DrawFn, mark: str) -> str:
    whole = draw(st.integers(0, 99))
    if draw(st.booleans()):
        return str(whole)
    return f"{whole}{mark}{draw(st.integers(0, 99))}"


@st.composite
def _row(draw: st.DrawFn, index: int, mark: str) -> list[str]:
    kode = draw(st.sampled_from([f"{index:02d}", f" {index:02d} ", f"'\t{index:02d}"]))
    cells = {"kode": kode, "b": draw(st.sampled_from(GOOD["b"]))}
    cells["o"] = draw(st.sampled_from(GOOD["o"]))
    cells["x"] = draw(_number(draw(st.sampled_from([mark] * 6 + [".", ","]))))
    if draw(st.integers(0, 9)) == 0:  # one odd cell
        name = draw(st.sampled_from(list(ODD)))
        cells[name] = draw(st.sampled_from(ODD[name]))
    return list(cells.values())


@st.composite
def odd_files(draw: st.DrawFn) -> tuple[str, str]:
    """The text of an odd CSV file, and how to encode it (a BOM or not)."""
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    mark = draw(st.sampled_from([".", ".", ".", ","]))  # the file's decimal mark
    quoted = st.integers(0, 4).map(lambda n: n == 0)
    titles = draw(st.lists(st.sampled_from(["Rekap data 2025", "", delimiter * 3]), max_size=2))
    lines = list(titles)
    header = [draw(st.sampled_from(HEADERS[name])) for name in HEADERS]
    unnamed = draw(st.booleans())  # a last column with no name: a value there is refused
    header += [""] if unnamed else []
    lines.append(delimiter.join(_cell(h, delimiter, quote=draw(quoted)) for h in header))
    for index in range(1, draw(st.sampled_from([0, *range(1, 17)] * 3)) + 1):
        kind = draw(st.sampled_from(["row"] * 12 + ["blank", "blanks", "wide"]))
        if kind == "blank":
            lines.append("")
        elif kind == "blanks":
            lines.append(delimiter * 3)
        else:
            cells = draw(_row(index, mark)) + (["extra"] if kind == "wide" else [])
            cells += [draw(st.sampled_from(["", "", "", " ", "lost"]))] if unnamed else []
            lines.append(delimiter.join(_cell(c, delimiter, quote=draw(quoted)) for c in cells))
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    return text, draw(st.sampled_from(["utf-8", "utf-8-sig"]))


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(odd=odd_files(), rows=st.integers(1, 4), chars=st.sampled_from([None, 1, 40]))
def test_blocks_of_odd_files_are_read_tables_cells_or_its_error(
    tmp_path_factory: pytest.TempPathFactory, odd: tuple[str, str], rows: int, chars: int | None
) -> None:
    folder = tmp_path_factory.mktemp("odd")
    path = _write(folder / "d.csv", odd[0], encoding=odd[1])
    got, expected = _blocks(path, folder / "parts", rows, chars), _whole(path)
    assert got[:3] == expected


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(odd=odd_files(), rows=st.integers(1, 3))
def test_odd_files_through_duckdb_give_numpys_results_or_its_error(
    tmp_path_factory: pytest.TempPathFactory, odd: tuple[str, str], rows: int
) -> None:
    path = _write(tmp_path_factory.mktemp("odd") / "d.csv", odd[0], encoding=odd[1])
    numpy = _evaluated(lambda: _ruleset().evaluate_many(read_table(path, ruleset=_ruleset())))
    with mock.patch.object(_csv_blocks, "BLOCK_ROWS", rows):
        duckdb = _evaluated(lambda: evaluate_path(_ruleset(), path))
    assert duckdb == numpy
