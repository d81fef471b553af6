"""Rulesets compiled to SQL: one query per ruleset, run inside a database.

`to_sql` writes the plan as one SQL query (a sqlglot tree, transpiled per dialect);
`evaluate_sql` runs it on a DuckDB (or DB-API) connection and gives the same `Results`
as `Ruleset.evaluate_many`. sqlglot and duckdb are imported here only, on demand
(`pip install indikator[sql]`). See docs/sql.md.
"""

from __future__ import annotations

__all__ = ["DIALECTS", "to_sql"]

#: The dialects the compiler writes and tests; `duckdb` runs, the others compile.
DIALECTS = ("duckdb", "postgres", "spark")


def to_sql(plan: object, *, dialect: str = "duckdb", table: str = "data") -> str:
    """Placeholder replaced below."""
    raise NotImplementedError
