"""Expressions: the type, unit and exact range of each, and every misuse reported.

`Expressions.type_of` is the interval analysis the other passes call for every expression
they hold; `unify`, `expect_number` and `expect_bool` are the type rules they share. Calls
of the built-in functions are checked in `check.calls`.
"""

from __future__ import annotations

from fractions import Fraction

from indikator import nodes as n
from indikator.bounds import UNBOUNDED, UNIT, Range
from indikator.check.calls import check_call
from indikator.check.facts import Facts, error, suggest
from indikator.check.numbers import magnitude
from indikator.errors import Span
from indikator.graph import option_source
from indikator.messages import Arg, Message
from indikator.valuetypes import BOOL, NUMBER, PERCENT, Type

__all__ = ["Expressions"]


class Expressions:
    """Types expressions with what `facts` knows, reporting problems into it."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts

    def type_of(self, expr: n.Expr) -> tuple[Type, Range]:
        """Type and range of an expression; reports misuse and returns a best guess."""
        facts = self.facts
        match expr:
            case n.Number(value=value, percent=percent):
                magnitude(facts, Fraction(value), expr.span)
                return (PERCENT if percent else NUMBER), Range.point(Fraction(value))
            case n.Bool(value=value):
                return BOOL, Range.point(Fraction(int(value)))
            case n.String():
                return Type(kind="text"), UNBOUNDED
            case n.Ref(name=name):
                if isinstance(facts.defs.get(name), n.Rank) and not facts.reading_ranks:
                    facts.problems.append(
                        error("IK207", Message("check.rank_read", name=name), expr.span)
                    )
                    return NUMBER, UNBOUNDED
                if name not in facts.types:
                    return NUMBER, UNBOUNDED  # unknown or broken: reported elsewhere
                return facts.types[name], facts.ranges[name]
            case n.Neg(operand=operand):
                typ, rng = self.type_of(operand)
                self.expect_number(typ, operand, "'-'")
                return typ, -rng
            case n.Arith():
                return self._arith(expr)
            case n.Compare():
                return self._compare(expr)
            case n.And(left=left, right=right) | n.Or(left=left, right=right):
                for side in (left, right):
                    self.expect_bool(self.type_of(side)[0], side, "'and'/'or'")
                return BOOL, UNIT
            case n.Not(operand=operand):
                self.expect_bool(self.type_of(operand)[0], operand, "'not'")
                return BOOL, UNIT
            case n.If(condition=condition, then=then, otherwise=otherwise):
                self.expect_bool(self.type_of(condition)[0], condition, "'if'")
                (t1, r1), (t2, r2) = self.type_of(then), self.type_of(otherwise)
                return self.unify(t1, t2, expr.span, Message("where.if_branches")), r1.hull(r2)
            case n.Call():
                return check_call(self, expr)

    def _arith(self, expr: n.Arith) -> tuple[Type, Range]:
        (lt, lr), (rt, rr) = self.type_of(expr.left), self.type_of(expr.right)
        self.expect_number(lt, expr.left, f"'{expr.op}'")
        self.expect_number(rt, expr.right, f"'{expr.op}'")
        if expr.op in "+-":
            typ = self.unify(lt, rt, expr.span, f"'{expr.op}'")
            return typ, (lr + rr if expr.op == "+" else lr - rr)
        # Scaling by a plain number keeps the unit; a product of two quantities has none.
        unit = (
            lt.unit
            if rt.unit is None
            else (rt.unit if lt.unit is None and expr.op == "*" else None)
        )
        return Type(kind="number", unit=unit), (lr * rr if expr.op == "*" else lr / rr)

    def _compare(self, expr: n.Compare) -> tuple[Type, Range]:
        (lt, _), (rt, _) = self.type_of(expr.left), self.type_of(expr.right)
        if "option" in (lt.kind, rt.kind) or "tier" in (lt.kind, rt.kind):
            self._option_compare(expr, lt, rt)
        elif lt.kind == "bool" and rt.kind == "bool" and expr.op in ("==", "!="):
            pass
        else:
            self.expect_number(lt, expr.left, f"'{expr.op}'")
            self.expect_number(rt, expr.right, f"'{expr.op}'")
            self.unify(lt, rt, expr.span, f"'{expr.op}'")
        return BOOL, UNIT

    def _option_compare(self, expr: n.Compare, lt: Type, rt: Type) -> None:
        problems = self.facts.problems
        left_is_option = lt.kind in ("option", "tier")
        option, other = (lt, expr.right) if left_is_option else (rt, expr.left)
        side = expr.left if left_is_option else expr.right
        if option.kind == "option" and option_source(side) is None:
            problems.append(error("IK202", Message("check.option_direct"), side.span))
            return
        ordered = option.kind == "tier"  # tiers are ordered: `tier >= "madya"` is allowed
        if (expr.op not in ("==", "!=") and not ordered) or not isinstance(other, n.String):
            problems.append(error("IK202", Message("check.option_compare"), expr.span))
        elif other.value not in option.choices:
            problems.append(
                error(
                    "IK205",
                    Message(
                        "check.not_a_tier" if ordered else "check.not_an_option",
                        value=other.value,
                    ),
                    other.span,
                    suggest(other.value, list(option.choices)),
                )
            )

    def unify(self, a: Type, b: Type, span: Span, where: Arg) -> Type:
        """The common type of two operands; reports a kind or unit mismatch."""
        if a.kind != b.kind:
            self.facts.problems.append(
                error(
                    "IK202",
                    Message("check.mixes", where=where, a=a.describe(), b=b.describe()),
                    span,
                )
            )
            return a
        if a.unit and b.unit and a.unit != b.unit:
            hint = Message("check.hint_percent") if "points" in (a.unit, b.unit) else None
            message = Message("check.mixes_units", where=where, a=a.unit, b=b.unit)
            self.facts.problems.append(error("IK203", message, span, hint))
        return a if a.unit else b

    def expect_number(self, typ: Type, expr: n.Expr, where: Arg) -> None:
        """Report IK202 unless `typ` is a number (`where`: "'+'", or a phrase)."""
        if typ.kind != "number":
            hint = Message("check.hint_count_yes_no") if typ.kind == "bool" else None
            message = Message("check.needs_number", where=where, type=typ.describe())
            self.facts.problems.append(error("IK202", message, expr.span, hint))

    def expect_bool(self, typ: Type, expr: n.Expr, where: Arg) -> None:
        """Report IK202 unless `typ` is yes/no."""
        if typ.kind != "bool":
            self.facts.problems.append(
                error(
                    "IK202",
                    Message("check.needs_condition", where=where, type=typ.describe()),
                    expr.span,
                    Message("check.hint_compare"),
                )
            )
