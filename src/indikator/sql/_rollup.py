"""The roll-up per group (a province) as one SQL query over the scores query's rows.

Per value of the grouping column, what `rollup_view.group_view` gives: the count of
regions, the mean classified score and, per tier, its count and share. Counts and shares
are whole numbers and one float division, the same as numpy's. The mean is numpy's
`round(fsum(scores) / n, 9)` on scores rounded to 9 places: the query adds the scores as
whole numbers of 10⁻⁹ (exact), divides as integers and rounds to the nearest, then one
float division by 10⁹, which gives the same float. A score or a mean within the floats'
error of a half-way point in the 9th place, where numpy's float noise decides, flags its
group `_unsure`; a row flagged in the scores query flags its group.
"""

from __future__ import annotations

from sqlglot import expressions as e

from indikator import plan as p
from indikator.sql._build import DOUBLE, NULL, case, col, num
from indikator.sql._shared import PROBLEM, ROW, UNSURE, alias, is_null, stripped

__all__ = ["build_rollup"]

#: Scores are added as whole numbers of this unit (numpy's `round(score, 9)`).
UNITS = 1e9
#: Beyond this magnitude a score's units are not exact in a float (2⁵³ / 10⁹): unsure.
LARGEST_SCORE = 9e6
#: A bound on the relative error of numpy's mean (fsum, a division, scores as floats), doubled.
MEAN_ERROR = 2.0**-50
#: Regions x largest score from which the sum of units may pass 2^63 - 1 (about 9.22e9
#: scores): Spark adds BIGINTs in a BIGINT, which wraps without an error.
LARGEST_SUM = 9.2e9

SCORES, ROWS, SUMS, QUOTIENTS = "rollup_scores", "rollup_rows", "rollup_sums", "rollup_quotients"
GROUP, SCORE, UNITS_COLUMN = "#group", "#score", "#units"
COUNT, SCORED, FIRST, LARGEST = "count", "#scored", "#first", "#largest"
QUOTIENT, REMAINDER = "#quotient", "#remainder"


def build_rollup(plan: p.Plan, by: str, *, source: e.Select | None, scores: str | None) -> e.Select:
    """The roll-up by `by` over `scores` (a view's name) or `source` (the scores query)."""
    c = plan.classification
    assert c is not None  # noqa: S101  # rollup_sql refuses a ruleset without tiers
    tiers = ("below", *c.names)
    if source is not None:
        query = _hoisted(source)
        table = SCORES
    else:
        assert scores is not None  # noqa: S101  # one of the two
        query, table = e.select(), scores
    rows = e.select(
        alias(stripped(col(by)), GROUP),
        alias(col(c.subject), SCORE),
        alias(_units(col(c.subject)), UNITS_COLUMN),
        alias(col("tier"), "tier"),
        alias(col(ROW), ROW),
        alias(e.or_(col(UNSURE), _score_unsure(col(c.subject))), UNSURE),
        alias(e.or_(col(PROBLEM), is_null(stripped(col(by)))), PROBLEM),
    ).from_(e.to_table(table))
    query = query.with_(ROWS, as_=rows, copy=False)
    query = query.with_(SUMS, as_=_sums(tiers), copy=False)
    quotient = e.IntDiv(
        this=col(UNITS_COLUMN),
        expression=e.Nullif(this=col(SCORED), expression=e.Literal.number(0)),
    )
    quotients = e.select(
        e.Star(),
        alias(quotient, QUOTIENT),
    ).from_(SUMS)
    query = query.with_(QUOTIENTS, as_=quotients, copy=False)
    remainder = col(UNITS_COLUMN) - col(QUOTIENT) * col(SCORED)
    final = query.select(
        alias(col(GROUP), by),
        alias(col(COUNT), COUNT),
        alias(_mean(remainder), "mean"),
        *[alias(col(f"count.{t}"), f"count.{t}") for t in tiers],
        *[alias(_share(col(f"count.{t}")), f"share.{t}") for t in tiers],
        alias(
            e.or_(
                e.EQ(this=col(UNSURE), expression=e.Literal.number(1)),
                _mean_unsure(remainder),
                _sum_may_overflow(),
            ),
            UNSURE,
        ),
        alias(e.EQ(this=col(PROBLEM), expression=e.Literal.number(1)), PROBLEM),
        copy=False,
    )
    return final.from_(QUOTIENTS, copy=False).order_by(col(FIRST), copy=False)


def _hoisted(source: e.Select) -> e.Select:
    """An empty SELECT with the scores query's CTEs, then the scores query as one more."""
    scores = source.copy()
    ctes = list(scores.ctes)
    for key, part in list(scores.args.items()):  # by type: sqlglot's key names change
        if isinstance(part, e.With | e.Order):  # the roll-up orders its groups itself
            scores.set(key, None)
    query = e.select()
    for cte in ctes:
        query = query.with_(
            cte.alias, as_=cte.this, materialized=cte.args.get("materialized"), copy=False
        )
    return query.with_(SCORES, as_=scores, copy=False)


def _units(score: e.Expr) -> e.Expr:
    """The score as a whole number of 10⁻⁹ (numpy's `round(score, 9)`); NULL if unsure."""
    scaled = e.Round(this=score.copy() * num(UNITS))
    exact = e.LT(this=e.Abs(this=score.copy()), expression=num(LARGEST_SCORE))
    return case((exact, e.Cast(this=scaled, to=e.DataType.build("BIGINT"))), default=NULL.copy())


def _score_unsure(score: e.Expr) -> e.Expr:
    """A score too large for exact units, or within the float's error of a half unit."""
    scaled = score.copy() * num(UNITS)
    off_half = e.Abs(this=e.Abs(this=scaled.copy() - e.Round(this=scaled.copy())) - num(0.5))
    near = e.LTE(this=off_half, expression=e.Abs(this=scaled) * num(2.0**-52))
    large = e.GTE(this=e.Abs(this=score.copy()), expression=num(LARGEST_SCORE))
    return e.Coalesce(this=e.or_(large, near), expressions=[e.false()])


def _flagged(name: str) -> e.Expr:
    """1 if any row of the group is flagged `name`, else 0."""
    return e.Max(this=case((col(name), e.Literal.number(1)), default=e.Literal.number(0)))


def _sums(tiers: tuple[str, ...]) -> e.Select:
    """Per group: counts, the sum of the scores' units, flags, the first row."""
    bigint = e.DataType.build("BIGINT")
    per_tier = [
        alias(
            e.Cast(
                this=e.Sum(
                    this=case(
                        (
                            e.EQ(this=col("tier"), expression=e.Literal.number(code)),
                            e.Literal.number(1),
                        ),
                        default=e.Literal.number(0),
                    )
                ),
                to=bigint.copy(),
            ),
            f"count.{tier}",
        )
        for code, tier in enumerate(tiers)
    ]
    return (
        e.select(
            col(GROUP),
            alias(e.Count(this=e.Star()), COUNT),
            alias(e.Count(this=col(SCORE)), SCORED),
            alias(e.Sum(this=col(UNITS_COLUMN)), UNITS_COLUMN),
            alias(e.Max(this=e.Abs(this=col(SCORE))), LARGEST),
            alias(e.Min(this=col(ROW)), FIRST),
            *per_tier,
            alias(_flagged(UNSURE), UNSURE),
            alias(_flagged(PROBLEM), PROBLEM),
        )
        .from_(ROWS)
        .group_by(col(GROUP))
    )


def _mean(remainder: e.Expr) -> e.Expr:
    """The quotient rounded to the nearest unit (a half is `_unsure`), over 10⁹ as a float."""
    twice = e.Literal.number(2) * e.Paren(this=remainder.copy())
    step = case(
        (e.GT(this=twice.copy(), expression=col(SCORED)), e.Literal.number(1)),
        (e.LT(this=twice, expression=e.Neg(this=col(SCORED))), e.Literal.number(-1)),
        default=e.Literal.number(0),
    )
    nearest = e.Cast(this=col(QUOTIENT) + step, to=DOUBLE.copy())
    return case(
        (e.EQ(this=col(SCORED), expression=e.Literal.number(0)), NULL.copy()),
        default=e.Div(this=nearest, expression=num(UNITS)),
    )


def _mean_unsure(remainder: e.Expr) -> e.Expr:
    """The exact mean within numpy's float error of a half unit: numpy's noise decides.

    The exact mean in units is quotient + remainder / scored; its distance to a half is
    | |2 remainder| - scored | / (2 scored), against numpy's error of about 2⁻⁵¹ of the
    largest score (in units).
    """
    twice = e.Abs(this=e.Literal.number(2) * e.Paren(this=remainder.copy()))
    distance = e.Cast(this=e.Abs(this=twice - col(SCORED)), to=DOUBLE.copy())
    bound = (
        e.Cast(this=e.Literal.number(2) * col(SCORED), to=DOUBLE.copy())
        * col(LARGEST)
        * num(UNITS * MEAN_ERROR)
    )
    return e.and_(
        e.GT(this=col(SCORED), expression=e.Literal.number(0)),
        e.LTE(this=distance, expression=bound),
    )


def _sum_may_overflow() -> e.Expr:
    """The group's sum of units may pass a BIGINT's range (Spark would wrap it silently)."""
    regions = e.Cast(this=col(SCORED), to=DOUBLE.copy())
    return e.GTE(this=regions * col(LARGEST), expression=num(LARGEST_SUM))


def _share(count: e.Expr) -> e.Expr:
    """A tier's count over the group's regions, one float division as numpy's `k / n`."""
    return e.Div(
        this=e.Cast(this=count, to=DOUBLE.copy()),
        expression=e.Cast(this=col(COUNT), to=DOUBLE.copy()),
    )
