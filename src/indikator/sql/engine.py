"""Evaluate a ruleset inside DuckDB: the compiled query, then the few rows it flags.

`evaluate_sql` runs `to_sql`'s query on a connection and builds the same `Results` as
`Ruleset.evaluate_many`. The query flags the rows numpy would decide exactly (`_unsure`)
or refuse (`_problem`: a bad cell, a value outside every band, a division by zero); those
rows, with their cells as the table holds them, go through `evaluate_many`, which gives
their exact values or raises the `DataError` numpy raises. Ranks are not in the query
DuckDB runs: numpy ranks the fetched results (held in Python's memory anyway), since a
rank's window over the whole table is held in DuckDB's memory whole and cannot spill
(docs/sql.md, "Tables larger than memory"); rollups as `Results` does.
"""

from __future__ import annotations

import functools
import glob
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from sqlglot import expressions as e

from indikator.data import Regions, Table, check_columns
from indikator.errors import DataError
from indikator.evaluate import _rank  # the one ranking, shared on purpose
from indikator.messages import Message
from indikator.results import Results
from indikator.sql import SqlError
from indikator.sql._compile import PROBLEM, RAW, ROW, UNSURE, build_query
from indikator.sql._csv_blocks import write_blocks
from indikator.tables import option_ids

if TYPE_CHECKING:
    from indikator.layout import Reading
    from indikator.plan import Plan
    from indikator.ruleset import Ruleset

__all__ = ["evaluate_path", "evaluate_read", "evaluate_sql", "query_text"]

Env = dict[str, npt.NDArray[np.generic]]

#: Rows per row group of the result DuckDB writes: it holds a row group of every column
#: (KLA: 150) per thread before writing it, so its default of 122,880 rows alone can pass a
#: small memory limit (64 MiB is too little for a table of 25 columns).
RESULT_ROW_GROUP = 16_384


def evaluate_sql(
    ruleset: Ruleset, connection: Any, table: str, *, extra: str = "error", labels: bool = False
) -> Results:
    """Evaluate every row of `table` (a table or view on a DuckDB connection).

    `labels`: option cells written as a label are read as `tables.read_table` reads a
    file's (`evaluate_path`); the query flags them, numpy redoes them with their ids.

    The same `Results` as `ruleset.evaluate_many` on the same rows: equal values, tiers
    and ranks, the same `DataError` for bad data. `explain` needs the numpy engine.
    """
    plan = ruleset.plan
    first = _fetch(connection, e.select("*").from_(e.to_table(table)).limit(1).sql("duckdb"))
    check_columns(plan, first, extra=extra)  # the missing or unknown columns, as numpy
    _refuse_column_types(plan, first)
    query = query_text(ruleset, table, raw=True, materialized=False, ranks=False)
    fetched = _fetch(connection, query)
    env: Env = {name: values for name, values in fetched.items() if not name.startswith(RAW)}
    flagged = env.pop(UNSURE).astype(bool) | env.pop(PROBLEM).astype(bool)
    env.pop(ROW)
    for label in ("tier.label", "tier.label.en"):  # `Results` shows the label from the code
        env.pop(label, None)
    if "tier" in env:
        env["tier"] = env["tier"].astype(np.int16)
    ids = None if plan.region is None else env[plan.region]
    if (ids is not None and len(set(ids.tolist())) < len(ids)) or flagged.any():
        raw = {n.removeprefix(RAW): v for n, v in fetched.items() if n.startswith(RAW)}
        for name in (plan.region, plan.region_name):
            if name is not None:
                raw[name] = fetched[name]
        rows = flagged if flagged.any() else np.ones(len(flagged), bool)
        _redo(ruleset, env, raw, rows, labels=labels)
    for rank in plan.ranks:  # after the redone rows: a redone value can move a rank
        env[rank.name] = _rank(rank, env)
    regions = Regions(None if ids is None else ids.astype(object), len(flagged))
    return Results(plan, env, regions, ruleset.provenance)


def _has_time(values: npt.NDArray[np.generic]) -> bool:
    """A datetime64 column of times, not of dates (a DATE reads '2020-01-01' in both)."""
    return np.datetime_data(str(values.dtype))[0] != "D"


def _refuse_column_types(plan: Plan, first: Env) -> None:
    """Refuse (IK804) a column whose stored type SQL reads otherwise than numpy.

    A text column of floats (numpy reads 3201.0 as '3201', SQL as '3201.0'), of BOOLEAN
    ('True' against 'true') or of TIMESTAMP ('2020-01-01T01:02:03' against a space); a
    number column of 32-bit floats (numpy reads a float32 10.1 as 10.1, SQL by its binary
    value) or of BOOLEAN (numpy refuses it, SQL reads 1 and 0). Each would give other
    values, or other region ids, without an error.
    """
    texts = {spec.name for spec in plan.inputs if spec.kind == "text"}
    texts |= {name for name in (plan.region, plan.region_name) if name is not None}
    numbers = {spec.name for spec in plan.inputs if spec.kind in ("number", "percent", "count")}
    for name in sorted(set(first) & (texts | numbers)):
        kind, size = first[name].dtype.kind, first[name].dtype.itemsize
        message = None
        if name in texts and kind == "f":
            message = Message("sql.engine_float_text", column=name)
        elif name in texts and (kind in "bm" or (kind == "M" and _has_time(first[name]))):
            stored = Message("sql.stored.bool" if kind == "b" else "sql.stored.time")
            message = Message("sql.engine_typed_text", column=name, stored=stored)
        elif name in numbers and kind == "f" and size < 8:  # noqa: PLR2004  # float64's bytes
            message = Message("sql.engine_float32", column=name)
        elif name in numbers and kind == "b":
            message = Message("sql.engine_bool_number", column=name)
        if message is not None:
            raise SqlError("IK804", message)


@functools.lru_cache(maxsize=16)
def query_text(
    ruleset: Ruleset, table: str, *, raw: bool, materialized: bool = True, ranks: bool = True
) -> str:
    """The DuckDB query of a ruleset over `table`, compiled once per ruleset and table.

    `raw`: also pass every input's cells through as the table holds them (`RAW` + name),
    for the rows `evaluate_sql` hands to numpy. `materialized=False` inlines the levels:
    DuckDB then streams rows through them and spills its sorts, so a table larger than
    its memory limit runs (materialized levels are held in memory whole). `ranks=False`
    leaves the ranks out (with their windows, which DuckDB cannot spill).
    """
    query = build_query(ruleset.plan, table, raw=raw, materialized=materialized, ranks=ranks)
    return query.sql(dialect="duckdb")


def _redo(
    ruleset: Ruleset, env: Env, raw: Env, rows: npt.NDArray[np.bool_], *, labels: bool
) -> None:
    """The flagged rows worked out by numpy (which raises for bad data).

    Bad data is named by numpy on the whole table: among the flagged rows alone, a
    region without an id would be named by its place there ('row 1'), not the table's.
    """
    try:
        redone = _by_numpy(ruleset, raw if rows.all() else _picked(raw, rows), labels=labels)
    except DataError:
        if not rows.all():
            _by_numpy(ruleset, raw, labels=labels)  # raises numpy's own error
        raise
    for name, values in env.items():
        if name in redone:
            values[rows] = np.asarray(redone[name], dtype=values.dtype)


def _picked(columns: Env, rows: npt.NDArray[np.bool_]) -> Env:
    return {name: values[rows] for name, values in columns.items()}


def _by_numpy(ruleset: Ruleset, raw: Env, *, labels: bool) -> Mapping[str, npt.NDArray[Any]]:
    """The values numpy gives for `raw`, its option labels first read as ids if asked."""
    table = option_ids(Table(raw), ruleset) if labels else raw
    return ruleset.evaluate_many(table, extra="ignore").env


def _fetch(connection: Any, query: str) -> Env:
    """A query's columns as numpy arrays: floats with NaN for NULL, text as objects."""
    if hasattr(connection, "sql"):  # DuckDB: through a Parquet file, column by column
        return _through_parquet(connection, query)
    cursor = connection.execute(query)
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    columns: Env = {}
    for index, name in enumerate(names):
        cells = [row[index] for row in rows]
        columns[name] = _array(cells)
    return columns


def _through_parquet(connection: Any, query: str) -> Env:
    """A DuckDB query's rows, written by DuckDB to a temporary Parquet file and read back.

    DuckDB holds a fetched result whole within its memory limit, but writes one out in
    row groups, spilling its sorts: so a table larger than that limit runs, and the
    result is held once, in Python's memory (as Arrow, then numpy).
    """
    import pyarrow.parquet as pq  # noqa: PLC0415  # with duckdb, in the `sql` extra

    with tempfile.TemporaryDirectory(prefix="indikator-sql-") as folder:
        path = Path(folder) / "result.parquet"
        target = e.Literal.string(str(path)).sql("duckdb")
        options = f"FORMAT parquet, ROW_GROUP_SIZE {RESULT_ROW_GROUP}"
        connection.execute(f"COPY ({query}) TO {target} ({options})")
        table = pq.read_table(path)
    return {name: _numpy(table.column(name)) for name in table.column_names}


def _numpy(column: Any) -> npt.NDArray[np.generic]:
    """An Arrow column as the evaluator's array: NaN for a NULL number, None for text."""
    values: npt.NDArray[np.generic] = column.to_numpy()  # a number with NULLs: NaN
    if values.dtype.kind in "UO":
        return values.astype(object)
    if values.dtype.kind in "iu" and column.null_count:  # pragma: no cover  # arrow: float
        return values.astype(np.float64)
    return values if values.flags.writeable else values.copy()  # redone rows are written


def _array(cells: list[Any]) -> npt.NDArray[np.generic]:
    present = [c for c in cells if c is not None]
    if present and all(isinstance(c, float | int) and not isinstance(c, bool) for c in present):
        return np.array([np.nan if c is None else float(c) for c in cells], dtype=np.float64)
    if present and all(isinstance(c, bool) for c in present):
        return np.array([bool(c) for c in cells], dtype=bool)
    out = np.empty(len(cells), dtype=object)
    out[:] = cells
    return out


def evaluate_path(
    ruleset: Ruleset,
    path: Path | str,
    *,
    extra: str = "error",
    reading: Sequence[str] = (),
    account: Callable[[Reading], object] | None = None,
) -> Results:
    """`evaluate_sql` on a Parquet file (or a glob of them) or a CSV file, read by DuckDB.

    A CSV file (or a glob of them) is read as the numpy engine reads it, in blocks of
    rows written as Parquet files into a temporary folder that DuckDB reads out of core
    (`sql._csv_blocks`); a file `read_table` refuses is refused with its error, and
    `account` is given how each file was read (`Table.reading`) before the evaluation.
    `reading` names the options given that DuckDB does not follow (`--sheet`, `--locale`,
    `--by`, ...): they are refused rather than ignored (IK804).
    """
    text = str(path)
    suffix = Path(text).suffix.lower()
    if reading:
        raise SqlError("IK804", Message("sql.engine_options", what=", ".join(reading)))
    if suffix not in (".csv", ".parquet"):
        raise SqlError("IK804", Message("sql.engine_reads", what=suffix or text))
    try:
        import duckdb  # noqa: PLC0415  # optional: `pip install indikator[sql]`
    except ImportError:  # pragma: no cover  # the tests install it
        raise SqlError("IK803", Message("sql.missing_extra")) from None
    if suffix == ".csv":
        return _evaluate_csv(ruleset, text, extra=extra, account=account)
    connection = duckdb.connect()
    try:
        relation = connection.read_parquet(text)
    except duckdb.Error as error:  # a missing file, a broken one: named, not a traceback
        raise SqlError(
            "IK804", Message("sql.engine_failed", path=text, reason=str(error))
        ) from None
    relation.create_view("data")
    return evaluate_sql(ruleset, connection, "data", extra=extra, labels=True)


def _evaluate_csv(
    ruleset: Ruleset, pattern: str, *, extra: str, account: Callable[[Reading], object] | None
) -> Results:
    """CSV files' blocks of text cells, as Parquet files DuckDB reads; deleted after.

    A glob's files are read in the order of their names, each as `read_table` reads it
    (its own separator, header and labels), and must have the same columns.
    """
    import duckdb  # noqa: PLC0415  # optional: `pip install indikator[sql]`

    paths = _csv_files(pattern)
    with tempfile.TemporaryDirectory(prefix="indikator-csv-") as folder:
        first: tuple[Path, tuple[str, ...]] | None = None
        for index, path in enumerate(paths):
            blocks = write_blocks(path, ruleset, Path(folder), prefix=f"{index:08d}-")
            first = first or (path, blocks.columns)
            if set(blocks.columns) != set(first[1]):
                message = Message(
                    "sql.csv_columns",
                    path=str(path),
                    first=str(first[0]),
                    columns=", ".join(blocks.columns),
                    expected=", ".join(first[1]),
                )
                raise SqlError("IK804", message)
            if account is not None:
                account(blocks.reading)
        connection = duckdb.connect()
        try:  # the blocks in their order: DuckDB reads a glob's files sorted by name
            glob = str(Path(folder) / "*.parquet")
            connection.read_parquet(glob, union_by_name=True).create_view("data")
            return evaluate_sql(ruleset, connection, "data", extra=extra)
        finally:
            connection.close()


def _csv_files(pattern: str) -> list[Path]:
    """The CSV file `pattern` names, or the files of a glob, sorted by name."""
    if Path(pattern).is_file() or not any(mark in pattern for mark in "*?["):
        return [Path(pattern)]  # a missing file: `write_blocks` says so, as `read_table`
    paths = sorted(Path(path) for path in glob.glob(pattern))  # noqa: PTH207  # a pattern
    if not paths:
        raise SqlError("IK804", Message("sql.csv_no_files", pattern=pattern))
    return paths


def evaluate_read(ruleset: Ruleset, table: Table, *, extra: str = "error") -> Results:
    """`evaluate_sql` on a table `tables.read_table` read, held in memory, its cells as text.

    Its cells are then what the numpy engine reads (blanks around them and the "'" mark
    taken off, blank rows skipped, the header found by id or label, options by label).
    `evaluate_path` reads a CSV file the same way, in blocks, out of core.
    """
    import duckdb  # noqa: PLC0415  # optional: `pip install indikator[sql]`
    import pyarrow as pa  # noqa: PLC0415  # with duckdb, in the `sql` extra

    if table.locale is not None:  # a template in Indonesian: numbers as '85,5'
        where = table.reading.path if table.reading is not None else "data"
        raise SqlError("IK804", Message("sql.engine_locale", path=where))
    texts = {name: pa.array(cells.tolist(), pa.string()) for name, cells in table.items()}
    connection = duckdb.connect()
    connection.register("data", pa.table(texts))
    return evaluate_sql(ruleset, connection, "data", extra=extra)
