"""The SQL compiler's steps: `let`s, indicators (bands, linear scales) and groups, in plan order."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import assert_never

import attrs
from sqlglot import expressions as e

from indikator import exact
from indikator import plan as p
from indikator.evaluate import compensated
from indikator.numeric import cut, exact_difference
from indikator.sql._build import NULL, V, any_of, case, num
from indikator.sql._expressions import ExpressionStage
from indikator.sql._numeric import (
    add,
    compare,
    flag_near,
    lift,
    round_to,
)
from indikator.sql._shared import (
    MAX_FLOAT,
    OVERFLOW_FROM,
    clip,
    is_null,
    largest,
)

__all__ = ["StepStage"]


class StepStage(ExpressionStage):
    """Every step of the plan stored as a column, rounded as the plan says."""

    # -- steps -------------------------------------------------------------------------

    def steps(self) -> None:
        for step in self.plan.steps:
            match step:
                case p.IndicatorStep():
                    self.indicator(step)
                case p.LetStep():
                    value = self.expr(step.expr)
                    self.store(step.name, self.rounded(step, value))
                case p.GroupStep():
                    self.store(step.name, self.rounded(step, self.group(step)))
                case unknown:
                    assert_never(unknown)

    def store(self, name: str, value: V) -> None:
        self.values[name] = self.layers.bind(value, name)
        if not value.size < OVERFLOW_FROM:  # a sum of members beyond float64: IK520
            self.layers.flag_problem(
                lift(lambda a: e.GT(this=e.Abs(this=a), expression=MAX_FLOAT), self.values[name])
            )

    def rounded(self, step: p.Step, value: V) -> V:
        if step.rounding is None:
            return value
        places, mode = step.rounding
        rounded = round_to(self.layers, value, places, mode, unsure=exact.rounds_computed(step))
        return attrs.evolve(rounded, size=value.size + 1.0)

    def indicator(self, step: p.IndicatorStep) -> None:
        raw = self.layers.bind(self.scoring(step.scoring))
        excluded = [
            is_null(self.values[c].sql)
            for name in step.exclude_inputs
            for c in (name, f"{name}.prev")
            if c in self.values
        ]
        levels = [
            raw.level,
            *(
                self.values[c].level
                for n in step.exclude_inputs
                for c in (n, f"{n}.prev")
                if c in self.values
            ),
        ]
        # A missing value scores 0 unless an input it reads under `exclude` is missing.
        policy = case(
            (e.and_(is_null(raw.sql), e.not_(any_of(excluded))), num(0.0)), default=raw.sql.copy()
        )
        self.store(step.name, self.rounded(step, V(policy, max(levels), raw.size)))
        points = self.values[step.name]
        if step.met is not None:
            self.store(f"{step.name}.met", self.expr(step.met))
            return
        met = compare(self.layers, ">=", points, V(num(step.maximum), 0), (False, True))
        cuts = exact.met_cuts(self.plan, step)
        if cuts:
            flag_near(self.layers, points, cuts)
        self.store(f"{step.name}.met", met)

    def scoring(self, scoring: p.ScoringIR) -> V:
        match scoring:
            case p.BandsIR():
                return self.bands(scoring)
            case p.LinearIR():
                return self.linear(scoring)
            case p.OptionsIR():
                code = self.layers.bind(self.expr(scoring.subject))
                whens = [
                    (e.EQ(this=code.sql.copy(), expression=num(float(i))), num(points))
                    for i, points in enumerate(scoring.points)
                ]
                return V(case(*whens, default=NULL.copy()), code.level, largest(scoring.points))
            case p.FormulaIR():
                return self.expr(scoring.expr)
            case unknown:
                assert_never(unknown)

    def bands(self, bands: p.BandsIR) -> V:
        x = self.layers.bind(self.expr(bands.subject))
        if bands.check_range:
            outside: list[e.Expr] = []
            if bands.lowest is not None:
                edge, closed = bands.lowest
                outside.append(
                    e.LT(this=x.sql.copy(), expression=num(cut(edge, "<" if closed else "<=")))
                )
            if bands.highest is not None:
                edge, closed = bands.highest
                outside.append(
                    e.GT(this=x.sql.copy(), expression=num(cut(edge, ">" if closed else ">=")))
                )
            if outside:
                self.layers.flag_problem(V(any_of(outside), x.level))
        whens: list[tuple[e.Expr, e.Expr]] = [(is_null(x.sql), NULL.copy())]
        for point, points in reversed(list(zip(bands.cuts, bands.points[1:], strict=True))):
            whens.append((e.GT(this=x.sql.copy(), expression=num(point)), num(points)))
        if exact.computed(self.plan, bands.subject):
            flag_near(self.layers, x, bands.cuts)
        return V(case(*whens, default=num(bands.points[0])), x.level, largest(bands.points))

    def linear(self, linear: p.LinearIR) -> V:
        """`low·(stop - x)/w + high·(x - start)/w`, each share clipped to [0, 1]."""
        x = self.layers.bind(self.expr(linear.subject))
        width = num(exact_difference(linear.stop, linear.start))
        start, stop = V(num(linear.start), 0), V(num(linear.stop), 0)
        share = self.layers.bind(
            lift(lambda d: clip(d / width.copy()), add(self.layers, "-", x, start))
        )
        rest = self.layers.bind(
            lift(lambda d: clip(d / width.copy()), add(self.layers, "-", stop, x))
        )
        return lift(
            lambda r, s: num(linear.low) * r + num(linear.high) * s,
            rest,
            share,
            size=abs(linear.low) + abs(linear.high),
        )

    # -- groups ------------------------------------------------------------------------

    def group(self, step: p.GroupStep) -> V:
        """`evaluate._group`: the full sum, and where a member is missing the renormalised."""
        shares: list[V] = []
        scales: list[float] = []
        for member, weight, maximum in zip(
            step.members, step.weights, step.member_maxima, strict=True
        ):
            points = self.values[member]
            if step.aggregator == "sum":
                shares.append(points)
                scales.append(maximum)
            else:
                factor = weight / maximum
                shares.append(self.layers.bind(lift(lambda a, f=factor: a * num(f), points)))
                scales.append(weight)
        carry = compensated(step)
        full = self.summed(shares, carry=carry, present=False)
        present = self.summed(shares, carry=carry, present=True)
        full_weight = 0.0
        for scale in scales:
            full_weight += scale
        present_weight = V(num(0.0), 0)
        for share, scale in zip(shares, scales, strict=True):
            present_weight = self.layers.bind(
                lift(
                    lambda s, w, scale=scale: w + case((is_null(s), num(0.0)), default=num(scale)),
                    share,
                    present_weight,
                )
            )
        fw = num(full_weight)
        if step.aggregator == "sum":
            whole = full
            parts = lift(
                lambda s, w: case(
                    (
                        e.and_(
                            e.EQ(this=w, expression=num(0.0)),
                            e.NEQ(this=w.copy(), expression=fw.copy()),
                        ),
                        NULL.copy(),
                    ),
                    (e.EQ(this=w.copy(), expression=fw.copy()), s),
                    default=s.copy() / w.copy() * fw.copy(),
                ),
                present,
                present_weight,
            )
        else:
            if full_weight == 0:
                return V(NULL.copy(), 0)
            whole = lift(lambda s: s / fw.copy() * num(step.maximum), full)
            parts = lift(
                lambda s, w: case(
                    (e.EQ(this=w, expression=num(0.0)), NULL.copy()),
                    default=s / w.copy() * num(step.maximum),
                ),
                present,
                present_weight,
            )
        ratios = [v.size / m if m > 0 else math.inf for v, m in zip(
            (self.values[n] for n in step.members), step.member_maxima, strict=True
        )]  # fmt: skip
        top = full_weight if step.aggregator == "sum" else step.maximum
        return lift(
            lambda f, w, r: case((is_null(f), r), default=w),
            full,
            whole,
            parts,
            size=abs(top) * max(ratios, default=0.0),
        )

    def summed(self, shares: Sequence[V], *, carry: bool, present: bool) -> V:
        """Members added in order (missing ones as 0 when `present`), Neumaier if `carry`."""
        total = V(num(0.0), 0)
        correction = V(num(0.0), 0)
        for share in shares:
            term = (
                lift(lambda s: e.Coalesce(this=s, expressions=[num(0.0)]), share)
                if present
                else share
            )
            term = self.layers.bind(term)
            new = self.layers.bind(lift(lambda t, s: t + s, total, term))
            if carry:
                correction = self.layers.bind(
                    lift(
                        lambda c, t, s, n: (
                            c
                            + case(
                                (
                                    e.GTE(this=e.Abs(this=t), expression=e.Abs(this=s)),
                                    (t.copy() - n) + s.copy(),
                                ),
                                default=(s.copy() - n.copy()) + t.copy(),
                            )
                        ),
                        correction,
                        total,
                        term,
                        new,
                    )
                )
            total = new
        if carry:
            total = self.layers.bind(lift(lambda t, c: t + c, total, correction))
        return total
