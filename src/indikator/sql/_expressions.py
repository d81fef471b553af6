"""The SQL compiler's expressions: operations, comparisons, `if` branches, divisions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import assert_never

import attrs
from sqlglot import expressions as e

from indikator import exact
from indikator import plan as p
from indikator.sql._build import NULL, V, all_of, any_of, case, num
from indikator.sql._inputs import InputStage
from indikator.sql._numeric import (
    add,
    compare,
    flag_between,
    flag_near,
    lift,
    round_to,
)
from indikator.sql._shared import (
    MAX_FLOAT,
    OVERFLOW_FROM,
    is_null,
    not_null,
    size_of,
)

__all__ = ["ExpressionStage"]


class ExpressionStage(InputStage):
    """The plan's expressions as values at a level, with the rows they flag."""

    # -- expressions -------------------------------------------------------------------

    def expr(self, ir: p.IR) -> V:
        match ir:
            case p.Const(value=value):
                return V(num(float(value)), 0, abs(value) if value == value else 0.0)  # noqa: PLR0124
            case p.Load(name=name):
                return self.values[name]
            case p.Apply():
                return self.apply(ir)
            case unknown:
                assert_never(unknown)

    def apply(self, ir: p.Apply) -> V:
        """An operation, with a bound on its magnitude (`V.size`); an overflow is a problem."""
        match ir.op:
            case "if":
                return self.choose(ir)
            case "all_met":
                return attrs.evolve(self.all_met(ir.args), size=1.0)
        args = [self.expr(a) for a in ir.args]
        value = attrs.evolve(self.operate(ir, args), size=size_of(ir.op, [a.size for a in args]))
        if ir.op in ("mul", "div", "sum") and not value.size < OVERFLOW_FROM:
            value = self.layers.bind(value)
            # numpy stops with IK520 where a product or quotient overflows; SQL gives inf.
            self.layers.flag_problem(
                lift(lambda a: e.GT(this=e.Abs(this=a), expression=MAX_FLOAT), value)
            )
        return value

    def operate(self, ir: p.Apply, args: list[V]) -> V:  # one case per op
        match ir.op:
            case "add" | "sub":
                return add(self.layers, "+" if ir.op == "add" else "-", args[0], args[1])
            case "mul":
                return lift(lambda a, b: a * b, *args)
            case "div":
                return self.divide(args[0], args[1])
            case "neg":
                return lift(lambda a: -a, *args)
            case "<" | "<=" | "==" | "!=" | ">=" | ">":
                return self.compare(ir, args)
            case "and" | "or":
                return self.kleene(ir.op, args)
            case "not":
                return lift(lambda a: num(1.0) - a, *args)
            case "min" | "max":
                return self.extreme(ir.op, args)
            case "clamp":
                low = self.extreme("max", args[:2])
                return self.extreme("min", [low, args[2]])
            case "abs":
                return lift(lambda a: e.Abs(this=a), *args)
            case "round":
                return round_to(
                    self.layers, args[0], ir.places, ir.mode,
                    unsure=exact.computed(self.plan, ir.args[0]),
                )  # fmt: skip
            case "sum":
                total = args[0]
                for arg in args[1:]:
                    total = lift(lambda a, b: a + b, total, arg)
                return total
            case "present":
                value = args[0]
                return lift(lambda a: case((is_null(a), num(0.0)), default=num(1.0)), value)
            case "value_or":
                return lift(lambda a, b: e.Coalesce(this=a, expressions=[b]), *args)
            case "all_met" | "if":  # pragma: no cover  # handled above
                raise AssertionError(ir.op)
            case unknown:
                assert_never(unknown)

    def compare(self, ir: p.Apply, args: list[V]) -> V:
        """`numeric.compare`, and the rows whose decision numpy re-makes exactly flagged."""
        constants = (isinstance(ir.args[0], p.Const), isinstance(ir.args[1], p.Const))
        args = [self.layers.bind(a) for a in args]
        result = compare(self.layers, ir.op, args[0], args[1], constants)
        found = exact.against_constant(ir)
        if found is None:
            if not all(constants) and any(exact.computed(self.plan, a) for a in ir.args):
                flag_between(self.layers, args[0], args[1])
            return result
        side, op, edge = found
        if exact.computed(self.plan, ir.args[side]):
            flag_near(self.layers, args[side], exact.compare_cuts(op, edge))
        return result

    def extreme(self, op: str, args: Sequence[V]) -> V:
        """min/max that spread a missing value (numpy's minimum/maximum)."""
        kind = e.Least if op == "min" else e.Greatest

        def build(*sqls: e.Expr) -> e.Expr:
            missing = any_of([is_null(s) for s in sqls])
            return case(
                (missing, NULL.copy()),
                default=kind(this=sqls[0].copy(), expressions=[s.copy() for s in sqls[1:]]),
            )

        return lift(build, *(self.layers.bind(a) for a in args))

    def kleene(self, op: str, args: Sequence[V]) -> V:
        """Three-valued and/or: a no (and) or a yes (or) beats a missing value."""
        decisive = 0.0 if op == "and" else 1.0

        def build(*sqls: e.Expr) -> e.Expr:
            return case(
                (
                    any_of([e.EQ(this=s.copy(), expression=num(decisive)) for s in sqls]),
                    num(decisive),
                ),
                (any_of([is_null(s) for s in sqls]), NULL.copy()),
                default=num(1.0 - decisive),
            )

        return lift(build, *(self.layers.bind(a) for a in args))

    def choose(self, ir: p.Apply) -> V:
        condition = self.layers.bind(self.expr(ir.args[0]))
        then = self.branch(ir.args[1], lift(lambda c: e.EQ(this=c, expression=num(1.0)), condition))
        otherwise = self.branch(
            ir.args[2], lift(lambda c: e.EQ(this=c, expression=num(0.0)), condition)
        )
        return lift(
            lambda c, a, b: case(
                (is_null(c), NULL.copy()), (e.EQ(this=c.copy(), expression=num(1.0)), a), default=b
            ),
            condition,
            then,
            otherwise,
            size=max(then.size, otherwise.size),
        )

    def branch(self, ir: p.IR, rows: V) -> V:
        outer = self.live
        self.live = rows if outer is None else lift(e.and_, outer, rows)
        try:
            return self.layers.bind(self.expr(ir))
        finally:
            self.live = outer

    def divide(self, top: V, bottom: V) -> V:
        top, bottom = self.layers.bind(top), self.layers.bind(bottom)
        zero = lift(
            lambda t, b: e.and_(e.EQ(this=b, expression=num(0.0)), not_null(t)), top, bottom
        )
        if self.live is not None:
            zero = lift(e.and_, zero, self.live)
        self.layers.flag_problem(zero)
        return lift(
            lambda t, b: case(
                (e.EQ(this=b, expression=num(0.0)), NULL.copy()), default=t / b.copy()
            ),
            top,
            bottom,
        )

    def all_met(self, pairs: Sequence[p.IR]) -> V:
        helds = []
        for index in range(0, len(pairs), 2):
            points, met = (self.layers.bind(self.expr(a)) for a in pairs[index : index + 2])
            helds.append(
                lift(
                    lambda pt, m: e.or_(e.EQ(this=m, expression=num(1.0)), is_null(pt)),
                    points,
                    met,
                )
            )
        return lift(
            lambda *hs: case((all_of([h.copy() for h in hs]), num(1.0)), default=num(0.0)), *helds
        )
