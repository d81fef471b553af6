"""Rulesets compiled to SQL: one query per ruleset, run inside a database.

`to_sql` writes a ruleset's plan as one SQL query (a sqlglot tree, transpiled per
dialect); `engine.evaluate_sql` runs it on a DuckDB connection and gives the same
`Results` as `Ruleset.evaluate_many`. sqlglot and duckdb are imported only here, on
demand (`pip install "indikator[sql]"`). See docs/sql.md.
"""

from __future__ import annotations

from typing import Any

from indikator.errors import CodedError
from indikator.messages import Message, closest
from indikator.plan import Plan

__all__ = ["DIALECTS", "SqlError", "to_sql"]

#: The dialects the compiler writes: DuckDB runs in the tests, the others are compiled.
DIALECTS = ("duckdb", "postgres", "spark")


class SqlError(CodedError, ValueError):
    """A ruleset the SQL compiler refuses (IK8xx).

    A dialect it does not know, or a construct a dialect cannot express exactly;
    `code`, `message` and `hint` say which.
    """


def to_sql(plan: Plan, *, dialect: str = "duckdb", table: str = "data", pretty: bool = True) -> str:
    """The plan as one SQL query over `table` in `dialect` (see `DIALECTS`)."""
    refuse(plan, dialect)
    try:
        from indikator.sql._compile import build_query  # noqa: PLC0415  # sqlglot on demand
    except ImportError:  # pragma: no cover  # the tests install it
        raise SqlError("IK803", Message("sql.missing_extra")) from None

    # Spark SQL has no `AS MATERIALIZED`: its CTEs are inlined.
    query = build_query(plan, table, materialized=dialect != "spark")
    if dialect == "spark":
        _spark_row_numbers(query)
    text: str = query.sql(dialect=dialect, pretty=pretty)
    return text


def _spark_row_numbers(query: Any) -> None:
    """Spark numbers rows only in an order: the order it read them in (a scan's ids rise)."""
    from sqlglot import expressions as e  # noqa: PLC0415  # sqlglot on demand

    for window in query.find_all(e.Window):
        if isinstance(window.this, e.RowNumber) and not window.args.get("order"):
            scan = e.Anonymous(this="monotonically_increasing_id")
            window.set("order", e.Order(expressions=[e.Ordered(this=scan)]))


def refuse(plan: Plan, dialect: str) -> None:
    """IK802 for an unknown dialect; IK801 for the first construct it cannot express."""
    if dialect not in DIALECTS:
        guess = closest(dialect, DIALECTS)
        raise SqlError(
            "IK802",
            Message("sql.unknown_dialect", dialect=dialect, known=", ".join(DIALECTS)),
            None if guess is None else Message("suggest.did_you_mean", name=guess),
        )
    for construct in _refused(plan, dialect):
        raise SqlError(
            "IK801",
            Message(f"sql.refused.{construct[0]}", dialect=dialect, name=construct[1]),
            Message("sql.refused_hint", dialect=dialect),
        )


def _refused(plan: Plan, dialect: str) -> list[tuple[str, str]]:
    """(construct, definition) pairs `dialect` cannot express exactly."""
    found: list[tuple[str, str]] = []
    kinds = {spec.name: spec.kind for spec in plan.inputs}
    if dialect == "postgres":
        # PostgreSQL orders text by the database's collation, numpy by code point: a rank
        # on a text key could differ from one server to the next.
        found += [
            ("text_rank", rank.name)
            for rank in plan.ranks
            if any(kinds.get(key) == "text" for key, _ in rank.keys)
        ]
    return found
