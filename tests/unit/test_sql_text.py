"""Text cells in SQL as in numpy (issue #18): blanks, tabs, no-break spaces, the "'" mark.

For each source (a dict, an Arrow table, a Parquet file, a CSV file) the DuckDB engine
must give what the numpy engine gives for that same source: the same region ids, values
and tiers, or the same error. The cases worked by hand come first; then a differential
over odd cells and a property over cells drawn from a blank-heavy alphabet.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("duckdb")
pytest.importorskip("sqlglot")

import pyarrow as pa
import pyarrow.parquet as pq
import sqlglot
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import indikator
from indikator.cli import main
from indikator.errors import DataError, IndikatorError
from indikator.ruleset import Ruleset
from indikator.sql import DIALECTS
from indikator.sql._shared import PYTHON_BLANKS
from indikator.sql.engine import evaluate_path
from indikator.tables import read_table
from tests.sql_helpers import assert_groups_equal, connect, rollup_expected

# x up to 100, 10 for a yes, 5 for "dua": the points are worked out by hand below.
RULESET = """\
ruleset d {{ scale 0 to 115  region kode }}
input kode: text
input b: yesno {{ missing {missing} }}
input o: option("satu", "dua") {{ missing {missing} }}
input x: percent {{ missing zero }}
indicator a = x + (if b then 10 else 0) + (if o == "dua" then 5 else 0)
group total = sum(a)
tiers on total {{ below "Belum" baik "Baik" [50, 115] }}
"""


@functools.cache  # one per policy: the query is compiled once per ruleset
def _ruleset(missing: str = "zero") -> Ruleset:
    ruleset = indikator.loads(RULESET.format(missing=missing))
    assert isinstance(ruleset, Ruleset)
    return ruleset


Table = dict[str, list[Any]]
Outcome = tuple[Any, ...]


def _outcome(run: Any) -> Outcome:
    """Region ids, totals and tiers; or the error's code(s) and English text."""
    try:
        results = run()
    except IndikatorError as error:
        codes = tuple(p.code for p in error.problems) if isinstance(error, DataError) else ()
        return ("error", codes, error.render("en"))
    return ("ok", list(results.regions), results["total"].tolist(), results.tiers("en"))


def _arrow(table: Table) -> pa.Table:
    return pa.table({name: pa.array(cells, pa.string()) for name, cells in table.items()})


def _write_csv(table: Table, path: Path) -> None:
    """Cells written as they are (quoted where csv needs it), an empty cell as ''."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(table)
        writer.writerows(zip(*([c or "" for c in cells] for cells in table.values()), strict=True))


def _both(ruleset: Ruleset, table: Table, source: str, folder: Path) -> tuple[Outcome, Outcome]:
    """numpy's and DuckDB's outcome for `table` given as `source`."""
    if source in ("dict", "arrow"):
        given = table if source == "dict" else _arrow(table)
        numpy = _outcome(lambda: ruleset.evaluate_many(given))
        return numpy, _outcome(lambda: ruleset.evaluate_sql(connect(_arrow(table)), "data"))
    path = folder / f"data.{source}"
    if source == "parquet":
        pq.write_table(_arrow(table), path)
    else:
        _write_csv(table, path)
    numpy = _outcome(lambda: ruleset.evaluate_many(read_table(path, ruleset=ruleset)))
    return numpy, _outcome(lambda: evaluate_path(ruleset, path))


SOURCES = ("dict", "arrow", "parquet", "csv")


# -- worked by hand --------------------------------------------------------------------


def test_a_region_id_with_blanks_is_kept_as_written() -> None:
    # numpy keeps text cells as written: ' 01' is not '01', and '02\t' keeps its tab.
    table: Table = {"kode": [" 01", "02\t"], "b": ["ya", "tidak"], "o": ["dua", "satu"]}
    table["x"] = ["10", "60"]
    got = _ruleset().evaluate_sql(connect(_arrow(table)), "data")
    assert list(got.regions) == [" 01", "02\t"]
    assert got["total"].tolist() == [25.0, 60.0]  # 10 + 10 + 5; 60


def test_yes_no_words_are_stripped_of_every_python_blank() -> None:
    # ' ya ', 'tidak\t', '\u3000YA\xa0': yes, no, yes; a cell of blanks is empty (0 points).
    table: Table = {
        "kode": ["01", "02", "03", "04"],
        "b": [" ya ", "tidak\t", "\u3000YA\xa0", " \t\u2007"],
        "o": ["satu", "satu", "satu", "satu"],
        "x": ["0", "0", "0", "0"],
    }
    got = _ruleset().evaluate_sql(connect(_arrow(table)), "data")
    assert got["total"].tolist() == [10.0, 0.0, 10.0, 0.0]


@pytest.mark.parametrize("source", ["arrow", "parquet"])
def test_a_text_column_stored_as_floats_is_refused_not_read_otherwise(
    source: str, tmp_path: Path
) -> None:
    # numpy reads the float 3201.0 as the id '3201'; SQL's cast would give '3201.0'.
    ruleset = _ruleset()
    table = pa.table({"kode": [3201.0, 3202.0], "b": ["ya", "tidak"], "o": ["dua", "satu"],
                      "x": [10.0, 60.0]})  # fmt: skip
    assert list(ruleset.evaluate_many(table).regions) == ["3201", "3202"]
    path = tmp_path / "data.parquet"
    pq.write_table(table, path)

    def run() -> object:
        if source == "arrow":
            return ruleset.evaluate_sql(connect(table), "data")
        return evaluate_path(ruleset, path)

    with pytest.raises(IndikatorError) as raised:
        run()
    assert "IK804" in raised.value.render("en")
    assert "column 'kode' is text in the ruleset but holds decimal numbers" in (
        raised.value.render("en")
    )
    # whole numbers stored as integers read the same in both: no refusal
    integers = table.set_column(0, "kode", pa.array([3201, 3202]))
    assert list(ruleset.evaluate_sql(connect(integers), "data").regions) == ["3201", "3202"]


TYPED = """\
ruleset d { scale 0 to 100  region kode }
input kode: text
input prov: text
input x: percent { missing zero }
indicator a = linear x from 0 to 100 onto 0 to 100
tiers on a { below "Belum" baik "Baik" [50, 100] }
"""
MOMENT = dt.datetime(2020, 1, 1, 1, 2, 3)  # noqa: DTZ001  # a naive TIMESTAMP, as Excel writes


@pytest.mark.parametrize(
    ("column", "cells", "said"),
    [
        # numpy refuses yes/no cells for a number (IK503); SQL would read 1 and 0
        ("x", pa.array([True, False]), "holds yes/no values (BOOLEAN) where the ruleset"),
        # numpy reads a float32 10.1 as 10.1; SQL would read 10.100000381
        ("x", pa.array([10.1, 66.7], pa.float32()), "holds 32-bit floats"),
        # numpy writes 'True' and '2020-01-01T01:02:03'; SQL 'true' and a space
        ("prov", pa.array([True, False]), "holds yes/no values (BOOLEAN) in the table"),
        ("prov", pa.array([MOMENT, MOMENT]), "holds dates with times (TIMESTAMP)"),
    ],
    ids=["bool-number", "float32-number", "bool-text", "timestamp-text"],
)
def test_a_column_type_sql_reads_otherwise_is_refused(column: str, cells: Any, said: str) -> None:
    ruleset = indikator.loads(TYPED)
    assert isinstance(ruleset, Ruleset)
    columns: dict[str, Any] = {"kode": ["1", "2"], "prov": ["a", "b"], "x": [10.1, 66.7]}
    columns[column] = cells
    with pytest.raises(IndikatorError) as raised:
        ruleset.evaluate_sql(connect(pa.table(columns)), "data")
    assert "IK804" in raised.value.render("en")
    assert f"column '{column}' " in raised.value.render("en")
    assert said in raised.value.render("en")


def test_a_date_column_read_as_text_is_the_same_in_both() -> None:
    # a DATE is '2020-01-01' to numpy and to SQL: not refused
    ruleset = indikator.loads(TYPED)
    assert isinstance(ruleset, Ruleset)
    table = pa.table(
        {"kode": ["1", "2"], "prov": pa.array([dt.date(2020, 1, 1)] * 2), "x": [10.5, 60.0]}
    )
    got = ruleset.evaluate_sql(connect(table), "data")
    assert got.total.tolist() == [10.5, 60.0]  # linear 0..100 onto 0..100: the value itself
    assert got.tiers("en") == ruleset.evaluate_many(table).tiers("en")


def test_a_dotted_capital_i_is_no_yes_no_letter() -> None:
    # Python lowers 'İ' (U+0130) to 'i' and a combining dot, DuckDB to a plain 'i'.
    table: Table = {"kode": ["01"], "b": ["T\u0130DAK"], "o": ["satu"], "x": ["0"]}
    got = _outcome(lambda: _ruleset().evaluate_sql(connect(_arrow(table)), "data"))
    assert got[0] == "error"
    assert got[1] == ("IK503",)
    assert "T\u0130DAK" in got[2]


def test_options_with_blanks_are_refused_naming_every_one() -> None:
    # Options are matched exactly as written: ' dua' and 'satu\xa0' are both wrong.
    table: Table = {
        "kode": ["01", "02", "03"],
        "b": [" ya ", "tidak\t", "Ya"],
        "o": [" dua", "satu\xa0", "dua"],
        "x": ["10", "60", "70"],
    }
    got = _outcome(lambda: _ruleset().evaluate_sql(connect(_arrow(table)), "data"))
    assert got[:2] == ("error", ("IK506",))
    assert "has 2 value(s)" in got[2]
    assert "' dua'" in got[2]
    assert "'satu\\xa0'" in got[2]


def test_a_cell_of_blanks_is_missing_under_missing_error() -> None:
    # '' and '  \t' are empty in a yes/no or option column: `missing error` refuses them.
    table: Table = {"kode": ["01", "02"], "b": ["", "ya"], "o": ["dua", "  \t"], "x": ["1", "2"]}
    got = _outcome(lambda: _ruleset("error").evaluate_sql(connect(_arrow(table)), "data"))
    assert got[0] == "error"
    assert sorted(got[1]) == ["IK505", "IK505"]


def test_bad_data_among_flagged_rows_is_named_by_its_place_in_the_table() -> None:
    # Row 3's id is empty ('row 3'); redone alone it would be 'row 1' of the flagged rows.
    table: Table = {"kode": ["01", "02", ""], "b": ["ya"] * 3, "o": ["satu"] * 3}
    table["x"] = ["1", "2", "3"]
    got = _outcome(lambda: _ruleset().evaluate_sql(connect(_arrow(table)), "data"))
    assert got[:2] == ("error", ("IK505",))
    assert "regions: row 3" in got[2]


def test_the_csv_protection_mark_keeps_blanks_around_an_id(tmp_path: Path) -> None:
    # The writer protects ' 01' as "' 01": the reader takes the mark off, keeps the blank.
    path = tmp_path / "data.csv"
    path.write_text("kode,b,o,x\n' 01,ya,dua,10\n 02 ,tidak , satu,60\n", encoding="utf-8")
    got = evaluate_path(_ruleset(), path)
    assert list(got.regions) == [" 01", "02"]
    assert got["total"].tolist() == [25.0, 60.0]


def test_csv_blank_rows_and_title_rows_are_skipped_as_numpy_skips_them(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text(
        "Data 2025;;;\nkode;b;o;x\n01;ya;dua;10\n\n;;;\n02;tidak;satu;60\n", encoding="utf-8-sig"
    )
    got = evaluate_path(_ruleset(), path)
    assert list(got.regions) == ["01", "02"]  # two regions: no 'row 2' from the blank row
    assert got["total"].tolist() == [25.0, 60.0]


def test_the_cli_gives_numpys_output_for_an_odd_csv(tmp_path: Path) -> None:
    ruleset = tmp_path / "d.ikr"
    ruleset.write_text(RULESET.format(missing="zero"), encoding="utf-8")
    data = tmp_path / "data.csv"
    data.write_text(
        "Judul\nkode,b,o,x\n'\t01, ya ,dua\u3000,10\n\n02\xa0,tidak\t, satu ,60\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    outputs = [
        runner.invoke(main, ["evaluate", *engine, str(ruleset), str(data), "--lang", "en"])
        for engine in ([], ["--engine", "duckdb"])
    ]
    assert outputs[0].exit_code == outputs[1].exit_code == 0, outputs[1].output
    assert outputs[1].output == outputs[0].output
    assert "\t01" in outputs[0].output


def test_a_template_in_indonesian_is_refused_by_the_duckdb_engine(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text('kode,b,o,x\n01,ya,dua,"10,5"\n', encoding="utf-8")
    table = read_table(path, ruleset=_ruleset())
    table.locale = "id"  # as `read_table` marks a template written in Indonesian
    from indikator.sql.engine import evaluate_read  # noqa: PLC0415

    got = _outcome(lambda: evaluate_read(_ruleset(), table))
    assert got[0] == "error"
    assert "IK804" in got[2]
    assert "Indonesian notation" in got[2]


def test_the_blanks_are_every_character_python_strips() -> None:
    every = [chr(c) for c in range(sys.maxunicode + 1)]
    assert "".join(c for c in every if c.strip() == "") == PYTHON_BLANKS
    assert "\xa0" in PYTHON_BLANKS
    assert "\u3000" in PYTHON_BLANKS
    assert "\u200b" not in PYTHON_BLANKS  # zero width space: no blank to Python


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_strip_survives_every_dialect(dialect: str) -> None:
    # The blanks are a literal and CHR(n) for the controls, which each dialect reads back.
    text = _ruleset().to_sql(dialect=dialect)
    # Spark writes U+2028 and U+2029 as characters (a terminal's escape reads back the same).
    unsafe = ("Cc",) if dialect == "spark" else ("Cc", "Zl", "Zp")
    assert not any(unicodedata.category(c) in unsafe for c in text if c != "\n")
    parsed = sqlglot.parse_one(text, read=dialect)
    trims = [t for t in parsed.find_all(sqlglot.exp.Trim) if t.expression is not None]
    assert trims
    for trim in trims:
        strings = [s.this for s in trim.expression.find_all(sqlglot.exp.Literal) if s.is_string]
        codes = [int(c.expressions[0].this) for c in trim.expression.find_all(sqlglot.exp.Chr)]
        if dialect == "spark":  # Spark's CHR(n) is CHR(n % 256)
            assert max(codes) < 256
        assert sorted("".join(strings) + "".join(map(chr, codes))) == sorted(PYTHON_BLANKS)


def test_the_printed_query_is_the_query() -> None:
    # `indikator sql` shows control characters escaped: the query must hold none.
    done = CliRunner().invoke(main, ["sql", "kla", "--by", "provinsi"])
    assert done.exit_code == 0, done.output
    assert done.output == indikator.load_ruleset("kla").rollup_sql("provinsi") + ";\n"


def test_a_group_cell_is_stripped_of_every_python_blank() -> None:
    ruleset = _ruleset()
    table: Table = {
        "kode": ["01", "02", "03"],
        "b": ["ya", "ya", "tidak"],
        "o": ["dua", "satu", "satu"],
        "x": ["40", "70", "20"],
        "provinsi": ["Jawa", "\u3000Jawa\t", "Bali\xa0"],
    }
    cursor = connect(_arrow(table)).execute(ruleset.rollup_sql("provinsi"))
    names = [d[0] for d in cursor.description]
    got = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    # Jawa (first seen first): 55 and 80, mean 67.5; Bali: 20.
    assert [(g["provinsi"], g["count"], g["mean"]) for g in got] == [
        ("Jawa", 2, 67.5),
        ("Bali", 1, 20.0),
    ]
    assert assert_groups_equal(got, rollup_expected(ruleset, table)) == 0


# -- differential: each odd cell through each source -----------------------------------

ODD_IDS = [" 01", "01 ", "\t01", "01\xa0", "\u300001", "'01", "' 01", "", "   "]
ODD_YES_NO = [" ya ", "tidak\t", "YA", "Tidak Ada", "ya\xa0", "\u3000ya", "", "   ", "'ya", "yes\n"]
ODD_OPTIONS = [" dua", "satu\xa0", "Dua", "", "   ", "'dua", "dua\u3000", "\tsatu"]
ODD_NUMBERS = [" 10", "10\t", "\xa010", "10\u3000", "", "  ", "'10", "1.000", "10,5"]


def _cases() -> list[tuple[str, str]]:
    cases = [("kode", cell) for cell in ODD_IDS]
    cases += [("b", cell) for cell in ODD_YES_NO]
    cases += [("o", cell) for cell in ODD_OPTIONS]
    return cases + [("x", cell) for cell in ODD_NUMBERS]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize(("column", "cell"), _cases(), ids=repr)
@pytest.mark.parametrize("missing", ["zero", "error"])
def test_an_odd_cell_gives_numpys_outcome(
    source: str, column: str, cell: str, missing: str, tmp_path: Path
) -> None:
    table: Table = {"kode": ["02", "03"], "b": ["ya", "tidak"], "o": ["satu", "dua"]}
    table["x"] = ["60", "70"]
    table[column][0] = cell
    numpy, duck = _both(_ruleset(missing), table, source, tmp_path)
    assert duck == numpy


# -- property: cells from a blank-heavy alphabet ---------------------------------------

_BLANKS = [" ", "\t", "\n", "\r", "\xa0", "\u3000", "\u2007", "\x1f", "\u200b"]
_WORDS = ["ya", "YA", "tidak", "satu", "dua", "1", "0", "10", "'", "1.5"]
_CELLS = st.lists(st.sampled_from(_BLANKS + _WORDS), max_size=4).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ids=st.lists(_CELLS, min_size=1, max_size=4),
    words=st.lists(_CELLS, min_size=4, max_size=4),
    options=st.lists(_CELLS, min_size=4, max_size=4),
    numbers=st.lists(_CELLS, min_size=4, max_size=4),
    missing=st.sampled_from(["zero", "error"]),
)
def test_random_text_cells_give_numpys_outcome(
    ids: list[str], words: list[str], options: list[str], numbers: list[str], missing: str
) -> None:
    size = len(ids)
    table: Table = {"kode": ids, "b": words[:size], "o": options[:size], "x": numbers[:size]}
    numpy, duck = _both(_ruleset(missing), table, "arrow", Path())
    assert duck == numpy
