"""Shared by the SQL tests: a table into DuckDB, the numpy and SQL results compared.

Also for roll-ups: an example CSV file as text cells, numpy's `evaluate --by` figures per
group (`rollup_expected`) and the comparison with a roll-up query's rows.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pytest

from indikator.errors import DataError
from indikator.rollup_view import group_view
from indikator.ruleset import Ruleset
from indikator.sql._compile import PROBLEM, UNSURE
from indikator.sql.engine import query_text

duckdb = pytest.importorskip("duckdb")

ROOT = Path(__file__).resolve().parents[1]


def arrow_table(table: Mapping[str, Any]) -> pa.Table:
    """A table of cells as pyarrow holds them: numbers as float64, anything else as text."""
    columns = {}
    for name, cells in table.items():
        present = [c for c in cells if c is not None]
        if present and all(isinstance(c, float | int) and not isinstance(c, bool) for c in present):
            columns[name] = pa.array([None if c is None else float(c) for c in cells], pa.float64())
        else:
            columns[name] = pa.array([None if c is None else _text(c) for c in cells], pa.string())
    return pa.table(columns)


def _text(cell: object) -> str:
    if isinstance(cell, bool):
        return "ya" if cell else "tidak"
    return str(cell)


def connect(table: pa.Table) -> Any:
    """A DuckDB connection with `table` as the table `data`."""
    connection = duckdb.connect()
    connection.register("source", table)
    connection.execute("CREATE TABLE data AS SELECT * FROM source")
    return connection


def same(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> bool:
    """Equal arrays: floats bit for bit (0.0 and -0.0 alike), NaN where NaN; text equal."""
    if np.asarray(a).dtype.kind in "fiub" and np.asarray(b).dtype.kind in "fiub":
        x, y = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
        return bool(np.array_equal(np.isnan(x), np.isnan(y)) and np.all((x == y) | np.isnan(x)))
    return list(a) == list(b)


def compare_engines(ruleset: Ruleset, table: pa.Table, *, extra: str = "error") -> dict[str, int]:
    """Assert that DuckDB gives numpy's results; returns counts of flagged rows.

    Both engines must refuse the same data (the same `DataError` codes) or both accept it;
    `evaluate_sql` must equal `evaluate_many` on every column it returns, and the bare
    query's values must equal numpy's bit for bit on every row it does not flag.
    """
    connection = connect(table)
    try:
        expected = ruleset.evaluate_many(table, extra=extra)
    except DataError as error:
        codes = {p.code for p in error.problems}
        with pytest.raises(DataError) as other:
            ruleset.evaluate_sql(connection, "data", extra=extra)
        assert {p.code for p in other.value.problems} == codes
        return {"refused": 1}
    got = ruleset.evaluate_sql(connection, "data", extra=extra)
    assert list(got.regions) == list(expected.regions)
    for name in expected.names:
        assert name in got.env, name
        assert same(got[name], expected[name]), (name, got[name], expected[name])
    if ruleset.plan.classification is not None:
        assert got.tiers("en") == expected.tiers("en")
    return _bare_query(ruleset, connection, expected.env)


def _bare_query(ruleset: Ruleset, connection: Any, expected: Mapping[str, Any]) -> dict[str, int]:
    """The query itself, without evaluate_sql's re-decisions: equal where not flagged."""
    fetched = connection.execute(query_text(ruleset, "data")).fetchnumpy()
    columns: dict[str, npt.NDArray[Any]] = {}
    for name, values in fetched.items():
        mask = np.ma.getmaskarray(values)
        ours = np.array(np.ma.getdata(values), dtype=object)
        ours[mask] = np.nan
        columns[name] = ours
    return assert_unflagged_equal(ruleset, columns, expected)


def assert_unflagged_equal(
    ruleset: Ruleset, fetched: Mapping[str, npt.NDArray[Any]], expected: Mapping[str, Any]
) -> dict[str, int]:
    """Every row the query does not flag has numpy's values: floats bit for bit, text equal.

    `fetched`: the query's columns, row for row with `expected`, as objects (NaN for NULL).
    Returns the counts of flagged rows.
    """
    unsure = np.asarray(fetched[UNSURE], dtype=bool)
    problem = np.asarray(fetched[PROBLEM], dtype=bool)
    flagged = unsure | problem
    plain = ~flagged
    for name, ours in fetched.items():
        if name not in expected or name in (UNSURE, PROBLEM):
            continue
        theirs = np.asarray(expected[name], dtype=object)
        if any(r.name == name for r in ruleset.plan.ranks) and flagged.any():
            continue  # a redone row may move every rank of its group
        numeric = np.asarray(expected[name]).dtype.kind in "fiub"
        if numeric:
            assert same(ours[plain].astype(float), theirs[plain].astype(float)), name
        else:
            shown = [None if isinstance(v, float) and np.isnan(v) else v for v in ours[plain]]
            assert shown == list(theirs[plain]), name
    return {"unsure": int(np.sum(unsure)), "problem": int(np.sum(problem))}


def csv_table(path: str) -> dict[str, list[Any]]:
    """A CSV file's cells as text (an empty cell missing), as `evaluate` reads them."""
    with (ROOT / path).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    table: dict[str, list[Any]] = {
        name: [row[i] or None for row in rows[1:]] for i, name in enumerate(rows[0])
    }
    if "provinsi" not in table:
        table["provinsi"] = [code[:2] for code in table["kode_kabkota"]]
    return table


def rollup_expected(
    ruleset: Ruleset, table: dict[str, list[Any]], by: str = "provinsi"
) -> list[dict[str, Any]]:
    """numpy's figures per group, with the counts per tier counted here from the codes."""
    results = ruleset.evaluate_many(table, extra="ignore")
    view = group_view(results, table[by], by=by)
    c = ruleset.plan.classification
    assert c is not None
    tiers = ("below", *c.names)
    codes = results.tier_codes.tolist()
    out = []
    for group in view.groups:
        inside = [
            code for code, g in zip(codes, table[by], strict=True) if str(g).strip() == group.name
        ]
        row: dict[str, Any] = {by: group.name, "count": group.count, "mean": group.mean}
        row |= {f"count.{t}": inside.count(k) for k, t in enumerate(tiers)}
        row |= {f"share.{t}": share for t, share in zip(tiers, group.shares, strict=True)}
        out.append(row)
    return out


def assert_groups_equal(got: list[dict[str, Any]], expected: list[dict[str, Any]]) -> int:
    """Every group not flagged has numpy's figures exactly (floats bit for bit)."""
    assert [g["provinsi"] for g in got] == [g["provinsi"] for g in expected]
    flagged = 0
    for ours, theirs in zip(got, expected, strict=True):
        if ours["_unsure"] or ours["_problem"]:
            flagged += 1
            continue
        for name, value in theirs.items():
            assert ours[name] == value, (ours["provinsi"], name, ours[name], value)
            assert type(ours[name]) is type(value), name
    return flagged


def write_csv(path: Path, table: dict[str, list[Any]]) -> None:
    """Cells as the CSV `evaluate` reads: yes/no words, numbers as Python writes them."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(table)
        for row in zip(*table.values(), strict=True):
            writer.writerow(["" if c is None else _csv_cell(c) for c in row])


def _csv_cell(cell: object) -> str:
    if isinstance(cell, bool):
        return "ya" if cell else "tidak"
    return repr(cell) if isinstance(cell, float) else str(cell)
