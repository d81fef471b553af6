"""The pieces the SQL compiler builds with: values at a level, layers of CTEs, flags.

A value (`V`) is a sqlglot expression and the *level* of the CTE whose columns it reads.
`Layers.bind` puts an expression in the CTE one level up and gives back a reference to
it, so an expression used several times (a sum put on its grid reads its raw sum three
times) is written once: the query grows with the plan, never exponentially with its
nesting. Every level is one CTE, `SELECT *, <new columns> FROM <the level below>`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs
from sqlglot import expressions as e

__all__ = [
    "DOUBLE",
    "FALSE",
    "NULL",
    "TRUE",
    "Layers",
    "V",
    "all_of",
    "any_of",
    "case",
    "col",
    "num",
    "one_zero",
]

DOUBLE = e.DataType.build("DOUBLE")
NULL = e.null()
TRUE = e.true()
FALSE = e.false()


@attrs.frozen
class V:
    """A SQL value: its expression and the level of the columns it reads (0: the inputs)."""

    sql: e.Expr
    level: int
    #: A bound on the magnitude of the value (infinite if unknown): it picks the decimal
    #: grids a sum may need, so most sums need only the grid of 9 places.
    size: float = math.inf


def col(name: str) -> e.Column:
    """A column by its (quoted) name: names like `x.met` keep their dot."""
    return e.column(name, quoted=True)


def num(value: float) -> e.Expr:
    """A float64 constant, exactly: its shortest text cast to DOUBLE (NULL for NaN).

    From text, not a numeric literal: a dialect reads `0.1` as a DECIMAL and the cast
    from it is a second rounding; `CAST('0.1' AS DOUBLE)` is the float itself.
    """
    if value != value:  # noqa: PLR0124  # NaN: a missing constant
        return NULL
    if not math.isfinite(value):
        raise ValueError(value)  # the compiler never writes an infinite constant
    return e.Cast(this=e.Literal.string(repr(float(value) + 0.0)), to=DOUBLE.copy())


def case(*whens: tuple[e.Expr, e.Expr], default: e.Expr) -> e.Expr:
    """CASE WHEN ... THEN ... ELSE default END."""
    result = e.Case()
    for condition, value in whens:
        result = result.when(condition, value, copy=False)
    return result.else_(default, copy=False)


def one_zero(condition: e.Expr) -> e.Expr:
    """A truth as the evaluator's 1.0 / 0.0 (NULL stays NULL)."""
    return case((condition, num(1.0)), (e.not_(condition), num(0.0)), default=NULL.copy())


def any_of(conditions: Sequence[e.Expr]) -> e.Expr:
    """OR of conditions (FALSE for none)."""
    return e.or_(*conditions) if conditions else FALSE.copy()


def all_of(conditions: Sequence[e.Expr]) -> e.Expr:
    """AND of conditions (TRUE for none)."""
    return e.and_(*conditions) if conditions else TRUE.copy()


class Layers:
    """The CTEs of the query: columns added level by level, and the rows' flags."""

    def __init__(self) -> None:
        self.levels: list[list[tuple[str, e.Expr]]] = [[]]
        self.count = 0
        self.unsure: list[V] = []  # rows the float cannot decide: worked out exactly
        self.problems: list[V] = []  # rows the numpy path refuses (IK508, IK509, IK5xx)

    def bind(self, value: V, name: str | None = None) -> V:
        """`value` as a column of the next level; a column or constant is kept as it is."""
        if name is None:
            if isinstance(value.sql, e.Column | e.Null) or _constant(value.sql):
                return value
            self.count += 1
            name = f"#{self.count}"  # no ruleset name has a '#': no clash
        level = value.level + 1
        while len(self.levels) <= level:
            self.levels.append([])
        self.levels[level].append((name, value.sql))
        return V(col(name), level, value.size)

    def flag_unsure(self, value: V) -> None:
        self.unsure.append(self.bind(value))

    def flag_problem(self, value: V) -> None:
        self.problems.append(self.bind(value))


def _constant(sql: e.Expr) -> bool:
    return isinstance(sql, e.Cast) and isinstance(sql.this, e.Literal)
