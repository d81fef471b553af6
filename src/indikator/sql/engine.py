"""Evaluate a ruleset inside DuckDB: the compiled query, then the few rows it flags.

`evaluate_sql` runs `to_sql`'s query on a connection and builds the same `Results` as
`Ruleset.evaluate_many`. The query gives only the values `Results` keeps (`keep`, as
`evaluate_many`'s) and flags the rows numpy would decide exactly (`_unsure`) or refuse
(`_problem`: a bad cell, a value outside every band, a division by zero). A second query
reads the cells of the flagged rows only, as the table holds them, converted as numpy
converts an Arrow table; `evaluate_many` gives their exact values or raises the
`DataError` numpy raises. Ranks are not in the query DuckDB runs: numpy ranks the fetched
results, since a rank's window over the whole table is held in DuckDB's memory whole and
cannot spill (docs/sql.md, "Tables larger than memory"); rollups as `Results` does.
"""

from __future__ import annotations

import functools
import glob
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from sqlglot import expressions as e

from indikator.data import Regions, Table, arrow_column, check_columns, columns_of, validate
from indikator.errors import DataError
from indikator.evaluate import _rank  # the one ranking, shared on purpose
from indikator.kept import Kept
from indikator.liveness import kept, schedule_for, scores_kept
from indikator.messages import Message
from indikator.results import Results
from indikator.sql import SqlError
from indikator.sql._build import col
from indikator.sql._compile import PROBLEM, ROW, UNSURE, build_query
from indikator.sql._csv_blocks import write_blocks
from indikator.sql._shared import alias
from indikator.tables import option_ids

if TYPE_CHECKING:
    from indikator.layout import Reading
    from indikator.plan import Plan
    from indikator.ruleset import Ruleset

__all__ = ["evaluate_path", "evaluate_read", "evaluate_sql", "query_text"]

Env = dict[str, npt.NDArray[np.generic]]
#: The cells of some rows of the table (the row numbers `_row` gives), or of all (None).
Cells = Callable[[npt.NDArray[np.int64] | None], Env]

#: Rows per row group of the result DuckDB writes: it holds a row group of every column
#: (KLA: 150) per thread before writing it, so its default of 122,880 rows alone can pass a
#: small memory limit (64 MiB is too little for a table of 25 columns).
RESULT_ROW_GROUP = 16_384
#: At most this many flagged rows are picked inside DuckDB, by their numbers: it holds
#: those numbers in a hash table within its memory limit (a million rows did not fit in
#: 64 MiB); more are read with every row and picked in Python, one column at a time.
PICKED_IN_DUCKDB = 65_536


def evaluate_sql(
    ruleset: Ruleset,
    connection: Any,
    table: str,
    *,
    extra: str = "error",
    labels: bool = False,
    keep: str = "outputs",
) -> Results:
    """Evaluate every row of `table` (a table or view on a DuckDB connection).

    `labels`: option cells written as a label are read as `tables.read_table` reads a
    file's (`evaluate_path`); the query flags them, numpy redoes them with their ids.
    `keep`: as `evaluate_many`'s; only the values kept are fetched from DuckDB, the rest
    are worked out again when first asked for (under "scores" from the table, read again
    through `connection`, which must then stay open).

    The same `Results` as `ruleset.evaluate_many` on the same rows: equal values, tiers
    and ranks, the same `DataError` for bad data. `explain` needs the numpy engine.
    """
    plan = ruleset.plan
    schedule_for(plan, keep)  # an unknown mode refused, as evaluate_many refuses it
    first = _fetch(connection, e.select("*").from_(e.to_table(table)).limit(1).sql("duckdb"))
    check_columns(plan, first, extra=extra)  # the missing or unknown columns, as numpy
    _refuse_column_types(plan, first)
    inputs = _input_names(plan)
    fetch = _fetched(plan, keep, inputs)
    texts = _number_texts(plan, first)
    query = query_text(
        ruleset, table, materialized=False, ranks=False, fetch=fetch, number_texts=texts
    )
    env = _fetch(connection, query)
    flagged = env.pop(UNSURE).astype(bool) | env.pop(PROBLEM).astype(bool)
    numbers = env.pop(ROW).astype(np.int64)
    if "tier" in env:
        env["tier"] = env["tier"].astype(np.int16)
    ids = None if plan.region is None else env[plan.region]
    repeated = ids is not None and len(set(ids.tolist())) < len(ids)
    if repeated or flagged.any():
        cells = functools.partial(_cells, plan, connection, table)
        _redo(ruleset, env, cells, None if repeated else flagged, numbers, labels=labels)
    for rank in plan.ranks:  # after the redone rows: a redone value can move a rank
        env[rank.name] = _rank(rank, env)
    regions = Regions(None if ids is None else ids.astype(object), len(flagged))
    if keep != "scores":
        read = {name: env[name] for name in inputs if name in env}
        return Results(plan, Kept(plan, env, read, regions), regions, ruleset.provenance)
    for name in inputs:  # in `regions`, or read by a rank: inputs, read again when asked
        env.pop(name, None)
    again = functools.partial(_validated_again, ruleset, connection, table, labels=labels)
    kept_ = Kept(plan, env, again, regions, inputs=inputs)
    return Results(plan, kept_, regions, ruleset.provenance)


def _input_names(plan: Plan) -> list[str]:
    """The names of the validated inputs (`data.validate`'s arrays), as the query gives them."""
    names = [n for n in (plan.region, plan.region_name) if n is not None]
    for spec in plan.inputs:
        names += [spec.name] + ([f"{spec.name}.prev"] if spec.needs_prev else [])
    return list(dict.fromkeys(names))


def _fetched(plan: Plan, keep: str, inputs: Sequence[str]) -> tuple[str, ...]:
    """What the query gives for `keep`: the kept arrays, the region ids, what ranks read.

    The arrays `evaluate_many` keeps, and the rank keys (a `let` or an input among them)
    and `within` columns, which numpy ranks by after the query.

    Under "all" every value the query computes (the rest, such as a band's subject, is
    worked out again when asked for, as under "outputs"). The tier's labels never: `Results`
    shows the label of the code.
    """
    ranked = [name for rank in plan.ranks for name, _ in rank.keys]
    ranked += [rank.within for rank in plan.ranks if rank.within is not None]
    match keep:
        case "scores":
            names = [n for n in (plan.region,) if n is not None] + sorted(scores_kept(plan))
        case "outputs":
            names = [*inputs, *sorted(kept(plan))]
        case _:
            names = [*inputs, *(s.name for s in plan.steps), *sorted(kept(plan))]
    return tuple(dict.fromkeys(names + ranked))


def _has_time(values: npt.NDArray[np.generic]) -> bool:
    """A datetime64 column of times, not of dates (a DATE reads '2020-01-01' in both)."""
    return np.datetime_data(str(values.dtype))[0] != "D"


#: The kinds of input whose cells are numbers.
_NUMBER_KINDS = ("number", "percent", "count")


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
    numbers = {spec.name for spec in plan.inputs if spec.kind in _NUMBER_KINDS}
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


def _number_texts(plan: Plan, first: Env) -> frozenset[str]:
    """The number columns held as text (or NULL, or DECIMAL), whose text the query checks.

    A column of a number type (DOUBLE, BIGINT) is read by the cast as numpy reads it; its
    text ('nan', '1e+20') is no writing of an author's, and is not checked.
    """
    numbers = {c for spec in plan.inputs if spec.kind in _NUMBER_KINDS for c in columns_of(spec)}
    return frozenset(c for c in numbers & set(first) if first[c].dtype.kind not in "fiu")


@functools.lru_cache(maxsize=16)
def query_text(
    ruleset: Ruleset,
    table: str,
    *,
    materialized: bool = True,
    ranks: bool = True,
    fetch: tuple[str, ...] | None = None,
    number_texts: frozenset[str] | None = None,
) -> str:
    """The DuckDB query of a ruleset over `table`, compiled once per ruleset and table.

    `materialized=False` inlines the levels: DuckDB
    then streams rows through them and spills its sorts, so a table larger than its memory
    limit runs (materialized levels are held in memory whole). `ranks=False` leaves the
    ranks out (with their windows, which DuckDB cannot spill). `fetch`: the values it
    gives (None: all), besides the flags and `_row`. `number_texts`: the number columns
    held as text, whose text is checked as numpy reads it (None: all).
    """
    query = build_query(
        ruleset.plan,
        table,
        materialized=materialized,
        ranks=ranks,
        fetch=fetch,
        number_texts=number_texts,
    )
    return query.sql(dialect="duckdb")


def _redo(
    ruleset: Ruleset,
    env: Env,
    cells: Cells,
    rows: npt.NDArray[np.bool_] | None,
    numbers: npt.NDArray[np.int64],
    *,
    labels: bool,
) -> None:
    """The `rows` (None: all) worked out by numpy, which raises for bad data.

    `numbers`: each row's number in the table (`_row`), by which DuckDB picks its cells.
    Bad data is named by numpy on the whole table: among the flagged rows alone, a
    region without an id would be named by its place there ('row 1'), not the table's.
    So only then, on the way to an error, are every row's cells read.
    """
    try:
        redone = _by_numpy(ruleset, cells(None if rows is None else numbers[rows]), labels=labels)
    except DataError:
        if rows is None:
            raise
        # numpy's own error; or none: numpy reads a column as a whole, and '1.000',
        # refused alone, is one beside a '85.25' among the rows left out.
        redone = _by_numpy(ruleset, cells(None), labels=labels)
        rows = None
    picked = slice(None) if rows is None else rows
    for name, values in env.items():
        if name in redone:
            values[picked] = np.asarray(redone[name], dtype=values.dtype)


def _by_numpy(ruleset: Ruleset, raw: Env, *, labels: bool) -> Mapping[str, npt.NDArray[Any]]:
    """The values numpy gives for `raw`, its option labels first read as ids if asked."""
    return ruleset.evaluate_many(_with_ids(ruleset, raw, labels), extra="ignore", keep="all").env


def _with_ids(ruleset: Ruleset, raw: Env, labels: bool) -> Env | Table:  # noqa: FBT001
    """`raw`, its option cells written as labels read as ids if `labels` (`option_ids`)."""
    return option_ids(Table(raw), ruleset) if labels else raw


def _validated_again(
    ruleset: Ruleset, connection: Any, table: str, *, labels: bool
) -> Mapping[str, npt.NDArray[np.generic]]:
    """The table's inputs read again and validated (`keep="scores"`, `kept.Kept`)."""
    raw = _cells(ruleset.plan, connection, table, None)
    return validate(ruleset.plan, _with_ids(ruleset, raw, labels), extra="ignore").arrays


def _cells(plan: Plan, connection: Any, table: str, numbers: npt.NDArray[np.int64] | None) -> Env:
    """The cells of the rows numbered `numbers` (increasing; None: all), as the table holds them.

    Each column as numpy reads the same column of an Arrow table (`data.arrow_column`):
    an integer stays an integer beside a NULL, a date is its ISO text; so a bad cell is
    named as the numpy engine names it. The rows are found by the numbers the scores
    query gave them (`ROW_NUMBER() OVER ()` over the same table): up to `PICKED_IN_DUCKDB`
    are picked in DuckDB, the other rows' cells never leaving it; more are written out
    with every row and picked in Python one column at a time.
    """
    import pyarrow as pa  # noqa: PLC0415  # with duckdb, in the `sql` extra

    names = [n for n in (plan.region, plan.region_name) if n is not None]
    names = list(dict.fromkeys(names + [c for spec in plan.inputs for c in columns_of(spec)]))
    numbered = e.select(*[col(n) for n in names], alias(e.Window(this=e.RowNumber()), ROW))
    query = e.select(*[col(n) for n in [*names, ROW]]).from_(
        numbered.from_(e.to_table(table)).subquery("numbered")
    )
    few = numbers is not None and len(numbers) <= PICKED_IN_DUCKDB
    with _registered(connection, numbers if few else None) as picked:
        if picked is not None:
            query = query.where(col(ROW).isin(query=e.select(col(ROW)).from_(picked)))
        with _through_parquet(connection, query.sql("duckdb")) as file:
            got = file.read([ROW]).column(0).to_numpy()
            wanted = np.arange(1, len(got) + 1) if numbers is None else numbers
            positions = np.flatnonzero(np.isin(got, wanted))
            positions = positions[np.argsort(got[positions], kind="stable")]
            if not np.array_equal(got[positions], wanted):  # pragma: no cover  # a guard
                msg = f"DuckDB numbered the rows of {table!r} otherwise in a second query"
                raise RuntimeError(msg)
            rows = pa.array(positions)
            return {n: arrow_column(file.read([n]).column(0).take(rows)) for n in names}


@contextmanager
def _registered(connection: Any, numbers: npt.NDArray[np.int64] | None) -> Iterator[str | None]:
    """The row numbers as a table of the connection for one query (its name), then gone."""
    if numbers is None:
        yield None
        return
    import pyarrow as pa  # noqa: PLC0415  # with duckdb, in the `sql` extra

    name = f"indikator_rows_{uuid.uuid4().hex}"
    connection.register(name, pa.table({ROW: pa.array(numbers, pa.int64())}))
    try:
        yield name
    finally:
        connection.unregister(name)


def _fetch(connection: Any, query: str) -> Env:
    """A query's columns as the evaluator's arrays: floats with NaN for NULL, text as objects.

    Read one column at a time from the file DuckDB writes (`_through_parquet`), each
    column's Arrow copy let go before the next is read.
    """
    with _through_parquet(connection, query) as file:
        columns = file.schema_arrow.names
        return {name: _numpy(file.read([name]).column(0)) for name in columns}


@contextmanager
def _through_parquet(connection: Any, query: str) -> Iterator[Any]:
    """A DuckDB query's rows, written by DuckDB to a temporary Parquet file (opened).

    DuckDB holds a fetched result whole within its memory limit, but writes one out in
    row groups, spilling its sorts: so a table larger than that limit runs, and the
    result is held once, in Python's memory.
    """
    import pyarrow.parquet as pq  # noqa: PLC0415  # with duckdb, in the `sql` extra

    with tempfile.TemporaryDirectory(prefix="indikator-sql-") as folder:
        path = Path(folder) / "result.parquet"
        target = e.Literal.string(str(path)).sql("duckdb")
        options = f"FORMAT parquet, ROW_GROUP_SIZE {RESULT_ROW_GROUP}"
        connection.execute(f"COPY ({query}) TO {target} ({options})")
        yield pq.ParquetFile(path)


def _numpy(column: Any) -> npt.NDArray[np.generic]:
    """An Arrow column as the evaluator's array: NaN for a NULL number, None for text."""
    values: npt.NDArray[np.generic] = column.to_numpy()  # a number with NULLs: NaN
    if values.dtype.kind in "UO":
        return values.astype(object)
    if values.dtype.kind in "iu" and column.null_count:  # pragma: no cover  # arrow: float
        return values.astype(np.float64)
    return values if values.flags.writeable else values.copy()  # redone rows are written


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
