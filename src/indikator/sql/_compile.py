"""The plan compiled to one SQL query, as a sqlglot expression tree.

The query reads one table (a column per data column, as `evaluate_many` takes them) and
gives one row per region: the region id and name, every input as the evaluator reads
it, every `let`, indicator (with `.met`) and group, `tier` (code) and `tier.label`, the
ranks, and two flags: `_unsure` (a decision numpy makes exactly: work the row out with
indikator) and `_problem` (numpy refuses the row: a bad cell, a value outside every
band, a division by zero). Arithmetic is DOUBLE, the same float64 operations as
`evaluate` in the same order (see `_numeric`), so every other row agrees bit for bit.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlglot import expressions as e

from indikator import plan as p
from indikator.sql._build import V, any_of, col
from indikator.sql._ranks import TierRankStage
from indikator.sql._shared import (
    INPUT_CTE,
    PROBLEM,
    ROW,
    UNSURE,
    alias,
    as_text,
    cte_name,
)

__all__ = ["PROBLEM", "ROW", "UNSURE", "build_query"]


class _Compiler(TierRankStage):
    """The stages put together: the query, its outputs and its CTEs."""

    # -- the query ---------------------------------------------------------------------

    def outputs(self, keep: Sequence[str] = ()) -> list[str]:
        names = [n for n in (self.plan.region, self.plan.region_name) if n]
        names += [n for n in keep if n not in names and n in self.values]
        for spec in self.plan.inputs:
            names += [
                c for c in (spec.name, f"{spec.name}.prev") if c in self.values and c not in names
            ]
        for step in self.plan.steps:
            names.append(step.name)
            if isinstance(step, p.IndicatorStep):
                names.append(f"{step.name}.met")
        if self.plan.classification is not None:
            names += ["tier", "tier.label", "tier.label.en"]
        if self.with_ranks:
            names += [r.name for r in self.plan.ranks]
        return names

    def query(
        self, table: str, keep: Sequence[str] = (), fetch: Collection[str] | None = None
    ) -> e.Select:
        first = self.inputs()
        first += self.kept(keep, [name for name, _ in first])
        self.resolve_inputs()
        self.steps()
        if self.plan.classification is not None:
            self.classify(self.plan.classification)
        if self.with_ranks:
            self.ranks()
        names = [n for n in self.outputs(keep) if fetch is None or n in fetch]
        finals: list[tuple[str, V]] = [(n, self.values[n]) for n in names]
        unsure = [
            e.Coalesce(this=u.sql.copy(), expressions=[e.false()]) for u in self.layers.unsure
        ]
        problem = [
            e.Coalesce(this=u.sql.copy(), expressions=[e.false()]) for u in self.layers.problems
        ]
        top = len(self.layers.levels) - 1
        select = e.select(
            *[alias(self.output(name, value), name) for name, value in finals],
            alias(any_of(unsure), UNSURE),
            alias(any_of(problem), PROBLEM),
            alias(col(ROW), ROW),
        )
        select = select.from_(cte_name(top), copy=False).order_by(col(ROW), copy=False)
        inputs = e.select(*[alias(v, n) for n, v in first], *self.level_columns(0))
        select = select.with_(
            INPUT_CTE, as_=inputs.from_(e.to_table(table), copy=False),
            materialized=self.materialized or None, copy=False,
        )  # fmt: skip
        for level in range(1, top + 1):
            # Each level one CTE over the one below. MATERIALIZED: DuckDB plans a deep
            # stack of inlined projections in about twice the time; but it keeps every
            # level's rows in memory, which cannot spill: inlined, the levels stream.
            body = e.select(e.Star(), *self.level_columns(level))
            body = body.from_(cte_name(level - 1), copy=False)
            select = select.with_(
                cte_name(level), as_=body, materialized=self.materialized or None, copy=False
            )
        return select

    def kept(self, keep: Sequence[str], read: Sequence[str]) -> list[tuple[str, e.Expr]]:
        """Columns of the table passed through as text (a province to roll up by)."""
        columns = [(name, as_text(col(name))) for name in keep if name not in read]
        for name, _ in columns:
            self.values[name] = V(col(name), 0)
        return columns

    def output(self, name: str, value: V) -> e.Expr:
        if name == "tier":
            return e.Cast(this=value.sql.copy(), to=e.DataType.build("INT"))
        return value.sql.copy()

    def level_columns(self, level: int) -> list[e.Expr]:
        return [alias(sql, name) for name, sql in self.layers.levels[level]]


def build_query(
    plan: p.Plan,
    table: str,
    *,
    materialized: bool = True,
    text_order: str | None = None,
    keep: Sequence[str] = (),
    ranks: bool = True,
    fetch: Collection[str] | None = None,
    number_texts: Collection[str] | None = None,
) -> e.Select:
    """The plan as one query over `table` (a name, possibly qualified).

    `materialized`: each level a MATERIALIZED CTE (planned faster; held in memory).
    `text_order`: the collation ranks order text keys by (None: the dialect's default).
    `keep`: columns of the table passed through, trimmed text (as a text input reads).
    `ranks=False`: no rank columns, nor their windows (`evaluate_sql` ranks in numpy).
    `fetch`: the values the query gives (None: all; the flags and `_row` always), so that
    DuckDB computes and writes out only those `evaluate_sql` keeps (and what they read).
    `number_texts`: the number columns the table holds as text, whose text is checked
    (None: every number column; one of a number type is read by the cast as numpy reads it).
    """
    compiler = _Compiler(
        plan,
        materialized=materialized,
        text_order=text_order,
        ranks=ranks,
        number_texts=number_texts,
    )
    return compiler.query(table, keep, fetch)
