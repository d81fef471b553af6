"""Number cells in SQL as numpy reads them (issue #18): no text a cast reads that numpy refuses.

DuckDB's cast reads '8_0' as 80 and '1.000' as 1; numpy refuses both ('1.000' is one, or
one thousand in Indonesian notation, unless a '85.25' in the same column shows decimal
points). The query must flag every such row, so that numpy reads it: the same values or
the same `DataError` as the numpy engine. The expected readings are numpy's own cell
reader on each cell alone (`cells.parse_numbers`), an independent path from the query.
"""

from __future__ import annotations

import csv
import functools
import itertools
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pytest

pytest.importorskip("duckdb")
pytest.importorskip("sqlglot")

import pyarrow as pa
import pyarrow.parquet as pq
from sqlglot import expressions as exp

import indikator
from indikator.cells import parse_numbers, read_number
from indikator.errors import DataError
from indikator.ruleset import Ruleset
from indikator.sql import _csv_blocks
from indikator.sql._compile import PROBLEM, UNSURE
from indikator.sql._inputs import _not_plain
from indikator.sql.engine import _number_texts, evaluate_path, query_text
from indikator.tables import read_table
from tests.postgres import Postgres
from tests.sql_helpers import compare_engines, connect, write_csv

ROOT = Path(__file__).resolve().parents[2]

# x: any number; p: a percentage ('85%' is 85); c: a count up to 100 000, where '1.000'
# may be one thousand. Each is simply added: the inputs are what is compared.
RULESET = """\
ruleset n { scale 0 to 1  region kode }
input kode: text
input x: number { missing zero }
input p: percent { missing zero }
input c: count { range 0 to 100000  missing zero }
indicator a = if x > 0 or p > 0 or c > 0 then 1 else 0
group total = sum(a)
"""
#: For each input: numpy's `percent` and `limit` (the largest magnitude it accepts).
READING = {"x": (False, None), "p": (True, 100.0), "c": (False, 100000.0)}


@functools.cache
def _ruleset() -> Ruleset:
    ruleset = indikator.loads(RULESET)
    assert isinstance(ruleset, Ruleset)
    return ruleset


@functools.cache
def _candidates() -> tuple[str, ...]:
    """Every text up to 4 characters over a number's characters and its near misses."""
    alphabet = "015.eE+-_,% \t"
    texts = ["".join(t) for n in range(1, 5) for t in itertools.product(alphabet, repeat=n)]
    # unicode digits and blanks, and the thousands numpy cannot tell from decimals
    texts += ["\u0661", "1\u0661", "\u00a01", "1\u00a0", "1\n", "\n1", "1\n2", "1\r", "\uff18"]
    texts += ["1.000", "1.500", "10.000", "-1.000", " 1.000\t", "999.999", "0.000", "1.000%"]
    texts += ["1_000", "8_0", "1.000e1", "1,000", "inf", "nan", "1e400", "+.5e-3 "]
    return tuple(texts)


@functools.cache
def _numpy_reads(cells: tuple[str, ...], column: str, sibling: str | None = None) -> list[Any]:
    """numpy's reading of each cell alone (or beside `sibling`): a float, or None if refused."""
    percent, limit = READING[column]
    read: list[Any] = []
    for cell in cells:
        given = np.array([cell] if sibling is None else [cell, sibling], dtype=object)
        values, bad = parse_numbers(given, percent=percent, limit=limit)
        read.append(None if bad[0] else float(values[0]))
    return read


@functools.cache
def _query_rows(column: str, cells: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The query's value of `column` in each row (one cell each), and whether it is flagged."""
    others = {"x": "0", "p": "0", "c": "0"}
    table = {"kode": [str(i) for i in range(len(cells))]}
    table |= {name: [cells[i] if name == column else zero for i in range(len(cells))]
              for name, zero in others.items()}  # fmt: skip
    connection = connect(pa.table({k: pa.array(v, pa.string()) for k, v in table.items()}))
    got = connection.execute(query_text(_ruleset(), "data")).fetchnumpy()
    values = np.asarray(np.ma.filled(got[column].astype(np.float64), np.nan))
    flagged = np.asarray(got[UNSURE], dtype=bool) | np.asarray(got[PROBLEM], dtype=bool)
    return values, flagged


def _same(a: float, b: float) -> bool:
    return a == b or (np.isnan(a) and np.isnan(b))


@pytest.mark.parametrize("sibling", [None, "85.25"], ids=["alone", "beside-85.25"])
@pytest.mark.parametrize("column", ["x", "p", "c"])
def test_every_row_the_query_keeps_is_read_as_numpy_reads_the_cell(
    column: str, sibling: str | None
) -> None:
    cells = _candidates()
    values, flagged = _query_rows(column, cells)
    expected = _numpy_reads(cells, column, sibling)
    wrong = [
        (cell, value, numpy)
        for cell, value, numpy, flag in zip(cells, values.tolist(), expected, flagged, strict=True)
        if not flag and not (numpy is not None and _same(value, numpy))
    ]
    assert wrong == []
    # DuckDB reads these (80, 1000, 1, 1): they must be flagged, and the thousands where
    # the input accepts a thousand (a percentage's '1.000' is one, to both)
    odd = ["8_0", "1_000", "1\n"]
    thousands = ["1.000", "1.500", "10.000", " 1.000\t"]
    assert [bool(flagged[cells.index(c)]) for c in odd] == [True] * 3
    wanted = column != "p"
    assert [bool(flagged[cells.index(c)]) for c in thousands] == [wanted] * 4


def test_numpys_refusals_alone_are_all_flagged() -> None:
    # the converse, stated on its own: a cell numpy refuses never passes unflagged
    cells = _candidates()
    for column in READING:
        _, flagged = _query_rows(column, cells)
        refused = [c for c, v in zip(cells, _numpy_reads(cells, column), strict=True) if v is None]
        assert refused, column
        assert [c for c in refused if not flagged[cells.index(c)]] == [], column


# -- through the engine: the same values, or numpy's error -----------------------------


def _table(x: list[str]) -> dict[str, list[str]]:
    n = len(x)
    return {"kode": [f"r{i}" for i in range(n)], "x": x, "p": ["0"] * n, "c": ["0"] * n}


def _arrow(table: dict[str, list[str]]) -> pa.Table:
    return pa.table({name: pa.array(cells, pa.string()) for name, cells in table.items()})


def _outcome(run: Any) -> tuple[Any, ...]:
    """The values of x, or the error's codes and English text."""
    try:
        results = run()
    except DataError as error:
        return ("error", tuple(p.code for p in error.problems), error.render("en"))
    return ("ok", list(results.regions), results["x"].tolist())


@pytest.mark.parametrize("order", ["85.25 first", "1.000 first"])
def test_a_thousand_beside_a_decimal_point_is_one_as_numpy_reads_the_column(order: str) -> None:
    # numpy reads the column as a whole: '85.25' shows decimal points, so '1.000' is 1.
    # The query flags '1.000' alone; numpy, redoing that row alone, would refuse it.
    cells = ["85.25", "1.000", "3"] if order == "85.25 first" else ["1.000", "3", "85.25"]
    table = _table(cells)
    got = _ruleset().evaluate_sql(connect(_arrow(table)), "data")
    assert got["x"].tolist() == [float(c) for c in cells]  # 1.000 is 1.0
    assert got["x"].tolist() == _ruleset().evaluate_many(table)["x"].tolist()


def test_a_thousand_alone_is_refused_as_numpy_refuses_it() -> None:
    table = _table(["85", "1.000", "3"])
    numpy = _outcome(lambda: _ruleset().evaluate_many(table))
    sql = _outcome(lambda: _ruleset().evaluate_sql(connect(_arrow(table)), "data"))
    assert numpy[:2] == ("error", ("IK512",))
    assert sql == numpy


@pytest.mark.parametrize("order", ["85.25 first", "1.000 first"])
def test_a_thousand_and_a_decimal_point_in_other_csv_blocks(order: str, tmp_path: Path) -> None:
    # one row per block: DuckDB reads them as separate Parquet files
    cells = ["85.25", "7", "1.000"] if order == "85.25 first" else ["1.000", "7", "85.25"]
    path = tmp_path / "data.csv"
    _write_csv(_table(cells), path)
    with mock.patch.object(_csv_blocks, "BLOCK_ROWS", 1):
        got = evaluate_path(_ruleset(), path)
    assert got["x"].tolist() == [float(c) for c in cells]
    expected = _ruleset().evaluate_many(read_table(path, ruleset=_ruleset()))
    assert got["x"].tolist() == expected["x"].tolist()


def _write_csv(table: dict[str, list[str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(table)
        writer.writerows(zip(*table.values(), strict=True))


@functools.cache  # the query is compiled once per ruleset object
def _kla() -> Ruleset:
    kla = indikator.load(ROOT / "rulesets" / "kla" / "2025.ikr")
    assert isinstance(kla, Ruleset)
    return kla


def _kla_csv(column: str, cell: str, path: Path) -> Path:
    """The issue's reproducer: the example's first two regions, `cell` in the second's column."""
    with (ROOT / "examples" / "kla_2025.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[:3]
    rows[2][rows[0].index(column)] = cell
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


REPRODUCER = [
    ("akta_kelahiran", "8_0", "IK503"),  # a percentage: DuckDB read 80
    ("ila", "8_0", "IK503"),  # a count
    ("ila", "1_000", "IK503"),  # DuckDB read 1000
    ("ila", "1.000", "IK512"),  # one, or one thousand: DuckDB read 1
    ("ila", "1.500", "IK512"),
    ("ila", "10.000", "IK512"),
]


@pytest.mark.parametrize("source", ["csv", "parquet", "dict"])
@pytest.mark.parametrize(("column", "cell", "code"), REPRODUCER)
def test_the_reproducers_cells_give_numpys_error(
    source: str, column: str, cell: str, code: str, tmp_path: Path
) -> None:
    kla = _kla()
    path = _kla_csv(column, cell, tmp_path / "data.csv")
    read = read_table(path, ruleset=kla)
    numpy = _outcome_kla(lambda: kla.evaluate_many(read))
    assert numpy[:2] == ("error", (code,))
    if source == "csv":
        sql = _outcome_kla(lambda: evaluate_path(kla, path))
    else:  # every cell as text, as the CSV file holds it
        with path.open(encoding="utf-8", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        texts = pa.table({h: pa.array([r[i] or None for r in rows], pa.string())
                          for i, h in enumerate(header)})  # fmt: skip
        if source == "parquet":
            pq.write_table(texts, tmp_path / "data.parquet")
            sql = _outcome_kla(lambda: evaluate_path(kla, tmp_path / "data.parquet"))
        else:
            sql = _outcome_kla(lambda: kla.evaluate_sql(connect(texts), "data"))
            numpy = _outcome_kla(lambda: kla.evaluate_many(texts, extra="ignore"))
    assert sql == numpy


def _outcome_kla(run: Any) -> tuple[Any, ...]:
    try:
        results = run()
    except DataError as error:
        return ("error", tuple(p.code for p in error.problems), error.render("en"))
    return ("ok", list(results.regions), results["total"].tolist())


def test_numpys_refusals_give_numpys_error_through_the_engine() -> None:
    # a sample of the cells numpy refuses (every 499th), each in its own table
    cells = _candidates()
    refused = [c for c, v in zip(cells, _numpy_reads(cells, "x"), strict=True) if v is None]
    for cell in refused[::499]:
        table = _table(["5", cell])
        numpy = _outcome(lambda t=table: _ruleset().evaluate_many(t))
        assert numpy[0] == "error", cell
        assert _outcome(lambda t=table: _ruleset().evaluate_sql(connect(_arrow(t)), "data")) == (
            numpy
        ), cell


def test_the_cells_numpy_reads_give_numpys_values_through_the_engine() -> None:
    # every cell numpy reads alone and accepts (in the input's range), in one table
    cells = _candidates()
    for column, (low, high, whole) in VALID.items():
        read = [
            c
            for c, v in zip(cells, _numpy_reads(cells, column), strict=True)
            if v is not None and (np.isnan(v) or (low <= v <= high and (not whole or v % 1 == 0)))
        ]
        table = {name: (read if name == column else ["0"] * len(read)) for name in READING}
        table["kode"] = [f"r{i}" for i in range(len(read))]
        assert "refused" not in compare_engines(_ruleset(), _arrow(table)), column


#: Each input's range (a number's default is ±10^15) and whether it is whole.
VALID = {"x": (-1e15, 1e15, False), "p": (0.0, 100.0, False), "c": (0.0, 100000.0, True)}


def test_number_columns_of_a_number_type_are_not_checked_as_text() -> None:
    # a DOUBLE 1.125 is printed '1.125' (a thousand's shape), NaN 'nan': no cells of text
    table = pa.table({"kode": ["a", "b", "c"], "x": [1.125, float("nan"), 1e20],
                      "p": pa.array(["1", "2", "3"]), "c": pa.array([1, 2, 3])})  # fmt: skip
    first = {name: table[name].to_numpy(zero_copy_only=False) for name in table.column_names}
    assert _number_texts(_ruleset().plan, first) == frozenset({"p"})
    compare_engines(_ruleset(), table)


# -- the check itself, in each dialect: its regular expressions read alike -------------


def gate_query(dialect: str, table: str) -> str:
    """Each cell of `table`.`cell` (numbered `n`) and whether the check hands it to numpy."""
    spec = next(s for s in _ruleset().plan.inputs if s.name == "x")  # no limit: any number
    check = _not_plain(exp.column("cell"), spec)
    query = exp.select(exp.column("n"), exp.alias_(check, "odd")).from_(table)
    return query.order_by("n").sql(dialect)


def gate_expected(cells: tuple[str, ...]) -> list[bool]:
    """Which non-blank cells numpy, without a notation, does not read as plain numbers."""
    return [read_number(c) is None for c in cells]


def _non_blank() -> tuple[str, ...]:
    return tuple(c for c in _candidates() if c.strip())


def test_the_check_is_numpys_plain_number_in_duckdb() -> None:
    cells = _non_blank()
    connection = connect(pa.table({"n": list(range(len(cells))), "cell": list(cells)}))
    got = [bool(v) for (_, v) in connection.execute(gate_query("duckdb", "data")).fetchall()]
    assert got == gate_expected(cells)


def test_the_check_is_numpys_plain_number_in_postgres(postgres: Postgres, tmp_path: Path) -> None:
    cells = _non_blank()
    path = tmp_path / "cells.csv"
    write_csv(path, {"n": [str(i) for i in range(len(cells))], "cell": list(cells)})
    postgres.load_csv("indikator_cells", path, ["n", "cell"])
    text = gate_query("postgres", "indikator_cells").replace("ORDER BY n", "ORDER BY n::int")
    lines = postgres.run(text + ";", csv=True).splitlines()[1:]
    assert [line.rsplit(",", 1)[1] == "t" for line in lines] == gate_expected(cells)


def test_a_cell_numpy_must_read_flags_its_row_unsure_not_a_problem() -> None:
    """`to_sql` users read `_problem` as bad data: '8_0' is numpy's to judge, '85%' too.

    '8_0' (a cast reads 80, numpy refuses it) and '1.000' (one beside '85.25') are flagged
    `_unsure`; a cell no cast reads ('banyak') is still a `_problem`.
    """
    ruleset = _ruleset()
    import duckdb  # noqa: PLC0415  # imported when the test runs, as pytest skips above

    connection = duckdb.connect()
    cells = ["8_0", "1.000", "banyak", "5"]
    connection.execute("CREATE TABLE t (kode TEXT, x TEXT, p TEXT, c TEXT)")
    for index, cell in enumerate(cells):
        connection.execute("INSERT INTO t VALUES (?, ?, NULL, NULL)", [str(index), cell])
    query = f"SELECT {UNSURE}, {PROBLEM} FROM ({ruleset.to_sql(dialect='duckdb', table='t')})"  # noqa: S608  # the ruleset's own query
    flags = connection.execute(query).fetchall()
    assert flags[:2] == [(True, False), (True, False)]
    assert flags[2][1]  # 'banyak': a problem (and not plain, so unsure too)
    assert flags[3] == (False, False)
