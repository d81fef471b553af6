"""Rulesets compiled to SQL: one query per ruleset, run inside a database.

`to_sql` writes a ruleset's plan as one SQL query (a sqlglot tree, transpiled per
dialect), `rollup_sql` its roll-up per province (`_rollup`); `engine.evaluate_sql` runs
the first on a DuckDB connection and gives the same `Results` as `Ruleset.evaluate_many`.
sqlglot and duckdb are imported only here, on demand (`pip install "indikator[sql]"`).
See docs/sql.md and docs/dashboards.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from indikator.data import columns_of
from indikator.errors import CodedError, QuestionError
from indikator.messages import Message, closest
from indikator.plan import Plan

__all__ = ["DIALECTS", "SqlError", "rollup_sql", "to_sql"]

#: The dialects the compiler writes: DuckDB runs in the tests, the others are compiled.
DIALECTS = ("duckdb", "postgres", "spark")


class SqlError(CodedError, ValueError):
    """A ruleset the SQL compiler refuses (IK8xx).

    A dialect it does not know, or a construct a dialect cannot express exactly;
    `code`, `message` and `hint` say which.
    """


def to_sql(
    plan: Plan,
    *,
    dialect: str = "duckdb",
    table: str = "data",
    pretty: bool = True,
    keep: Sequence[str] = (),
) -> str:
    """The plan as one SQL query over `table` in `dialect` (see `DIALECTS`).

    `keep`: columns of the table passed through (as trimmed text), e.g. the province a
    roll-up groups by.
    """
    refuse(dialect)
    refuse_kept(plan, keep)
    build_query = _compiler()
    query = build_query(plan, table, keep=keep, **_options(dialect))
    return _text(query, dialect, pretty=pretty)


def rollup_sql(
    plan: Plan,
    by: str,
    *,
    dialect: str = "duckdb",
    table: str = "data",
    scores: str | None = None,
    pretty: bool = True,
) -> str:
    """The roll-up per value of `by` (a province) as one SQL query in `dialect`.

    Per group, in the order the rows first name it, what `evaluate --by` gives: the count
    of regions, the mean classified score, and per tier its count and share; `_unsure`
    and `_problem` as in the scores query (docs/sql.md). It reads `scores` (a view or
    table of `to_sql`'s rows, with the `by` column: `keep=[by]`), or, without it, runs
    the scores query over `table` as a CTE.
    """
    refuse(dialect)
    if plan.classification is None:
        raise QuestionError(Message("question.no_tiers"))
    refuse_kept(plan, (by,))
    from indikator.sql._rollup import build_rollup  # noqa: PLC0415  # sqlglot on demand

    source = None
    if scores is None:
        source = _compiler()(plan, table, keep=(by,), **_options(dialect))
    query = build_rollup(plan, by, source=source, scores=scores)
    return _text(query, dialect, pretty=pretty)


def _compiler() -> Any:
    """`_compile.build_query`, imported with sqlglot only when a query is asked for."""
    try:
        from indikator.sql._compile import build_query  # noqa: PLC0415  # sqlglot on demand
    except ImportError:  # pragma: no cover  # the tests install it
        raise SqlError("IK803", Message("sql.missing_extra")) from None
    return build_query


def _options(dialect: str) -> dict[str, Any]:
    """How the scores query differs per dialect."""
    return {
        # Spark SQL has no `AS MATERIALIZED`: its CTEs are inlined.
        "materialized": dialect != "spark",
        # PostgreSQL orders text by the database's collation; "C" is byte order, which
        # for UTF-8 is code-point order, numpy's (docs/sql.md).
        "text_order": "C" if dialect == "postgres" else None,
    }


def _text(query: Any, dialect: str, *, pretty: bool) -> str:
    if dialect == "spark":
        _spark_row_numbers(query)
        _spark_one_sort(query)
        _spark_characters(query)
    text: str = query.sql(dialect=dialect, pretty=pretty)
    return text


def _spark_characters(query: Any) -> None:
    """CHR(n) beyond 255 as the character: Spark's CHR takes n modulo 256."""
    from sqlglot import expressions as e  # noqa: PLC0415  # sqlglot on demand

    for chr_ in list(query.find_all(e.Chr)):
        (code,) = chr_.expressions
        if int(code.this) > 0xFF:  # noqa: PLR2004  # one byte
            chr_.replace(e.Literal.string(chr(int(code.this))))


def _spark_row_numbers(query: Any) -> None:
    """`_row` in Spark: `monotonically_increasing_id()`, the scan's ids, not `ROW_NUMBER()`.

    Spark numbers rows only in an order, and a `ROW_NUMBER()` over the whole table moves
    every row to one partition, where the rest of the query then runs on one core. The
    scan's ids rise in the order it reads the rows, as the row numbers did, with gaps
    between partitions: the order of the results and of a roll-up's groups is the same.
    """
    from sqlglot import expressions as e  # noqa: PLC0415  # sqlglot on demand

    for window in list(query.find_all(e.Window)):
        if isinstance(window.this, e.RowNumber) and not window.args.get("order"):
            window.replace(e.Anonymous(this="monotonically_increasing_id"))


def _spark_one_sort(query: Any) -> None:
    """The rows gathered into one partition after every level, for the final `ORDER BY`.

    A sort across partitions makes Spark sample the sort key first, in a job that works
    out every level once more; gathered (`REPARTITION(1)` on the last `SELECT`, which
    Spark applies before its `ORDER BY`), the levels run once, on every core, and one
    core sorts the results.
    """
    from sqlglot import expressions as e  # noqa: PLC0415  # sqlglot on demand

    if query.args.get("order"):
        gather = e.Anonymous(this="REPARTITION", expressions=[e.Literal.number(1)])
        query.set("hint", e.Hint(expressions=[gather]))


def refuse(dialect: str) -> None:
    """IK802 for a dialect the compiler does not write (with a guess)."""
    if dialect not in DIALECTS:
        guess = closest(dialect, DIALECTS)
        raise SqlError(
            "IK802",
            Message("sql.unknown_dialect", dialect=dialect, known=", ".join(DIALECTS)),
            None if guess is None else Message("suggest.did_you_mean", name=guess),
        )


def refuse_kept(plan: Plan, keep: Sequence[str]) -> None:
    """IK801 for a passed-through or grouping column the query computes as a value.

    The region columns and text inputs are text as the table holds them (trimmed), like
    any other column passed through; an input read as a number, yes/no or option code,
    or a computed value, is not the cell a roll-up must group by.
    """
    text = {plan.region, plan.region_name} | {s.name for s in plan.inputs if s.kind == "text"}
    computed = {column for spec in plan.inputs for column in columns_of(spec)}
    computed |= {s.name for s in plan.inputs} | {s.name for s in plan.steps}
    computed |= {r.name for r in plan.ranks} | {f"{s.name}.met" for s in plan.steps}
    computed |= {"tier", "tier.label", "tier.label.en", "_row", "_unsure", "_problem"}
    for name in keep:
        if name in computed and name not in text:
            raise SqlError(
                "IK801",
                Message("sql.kept_value", name=name),
                Message("sql.kept_value_hint"),
            )
