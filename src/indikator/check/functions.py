"""The built-in functions: how each is checked (types, units, ranges).

Their names, arities and argument kinds come from `operations.FUNCTIONS`, the one list the
language reference, the checker, the lowering (`plan`) and the tests share.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, assert_never

from indikator import nodes as n
from indikator.bounds import UNIT, Range, rounded_range
from indikator.errors import Diagnostic, Span
from indikator.messages import Message
from indikator.operations import FUNCTIONS
from indikator.valuetypes import BOOL, COUNT, NUMBER, PERCENT, Type

if TYPE_CHECKING:
    from indikator.check.expressions import Expressions

__all__ = ["DESCRIPTIONS", "FUNCTIONS", "check_call"]

#: One line per function, for the language reference; hints show it in either language.
DESCRIPTIONS: Mapping[str, str] = {name: str(Message(f"function.{name}")) for name in FUNCTIONS}


def _problem(code: str, message: Message, span: object, hint: Message | None = None) -> Diagnostic:
    assert isinstance(span, Span)  # noqa: S101  # every node carries a span
    return Diagnostic(code=code, message=message, span=span, hint=hint)


def check_call(exprs: Expressions, call: n.Call) -> tuple[Type, Range]:
    """Type and range of a call; reports unknown functions and wrong arguments."""
    name, args = call.function, call.args
    if name not in FUNCTIONS:
        close = [f for f in FUNCTIONS if f.startswith(name[:3])]
        hint = (
            Message("suggest.did_you_mean", name=close[0])
            if close
            else Message("call.hint_functions")
        )
        exprs.facts.problems.append(
            _problem("IK204", Message("call.unknown_function", name=name), call.function_span, hint)
        )
        return NUMBER, Range(None, None)
    spec = FUNCTIONS[name]
    least, most = spec.least, spec.most
    if len(args) < least or (most is not None and len(args) > most):
        exprs.facts.problems.append(
            _problem(
                "IK204",
                Message("call.arity", name=name, arity=_arity(least, most), count=len(args)),
                call.span,
                Message(f"function.{name}"),
            )
        )
        return NUMBER, Range(None, None)
    match spec.name:
        case "min" | "max":
            typed = [exprs.type_of(a) for a in args]
            typ = typed[0][0]
            rng = typed[0][1]
            for arg, (t, r) in zip(args[1:], typed[1:], strict=True):
                exprs.expect_number(t, arg, f"'{name}'")
                typ = exprs.unify(typ, t, call.span, f"'{name}'")
                rng = rng.minimum(r) if name == "min" else rng.maximum(r)
            exprs.expect_number(typed[0][0], args[0], f"'{name}'")
            return typ, rng
        case "clamp":
            (t, r), (_, lo), (_, hi) = (exprs.type_of(a) for a in args)
            exprs.expect_number(t, args[0], "'clamp'")
            return t, r.maximum(lo).minimum(hi)
        case "abs":
            t, r = exprs.type_of(args[0])
            exprs.expect_number(t, args[0], "'abs'")
            return t, r.hull(-r).maximum(Range.point(Fraction(0)))
        case "round":
            t, r = exprs.type_of(args[0])
            exprs.expect_number(t, args[0], "'round'")
            places = args[1]  # a whole number from 0 to 9: numbers have at most 9 places
            whole = isinstance(places, n.Number) and places.value == int(places.value)
            if not (whole and int(places.value) in range(10)):  # type: ignore[union-attr]
                exprs.facts.problems.append(
                    _problem("IK204", Message("call.round_places"), args[1].span)
                )
                return t, r
            # round() rounds half up: its values lie between the rounded ends (7.46 -> 7.5)
            return t, rounded_range(r, int(places.value), "half_up")  # type: ignore[union-attr]
        case "percent_of":
            (t, r), (tt, tr) = exprs.type_of(args[0]), exprs.type_of(args[1])
            exprs.expect_number(t, args[0], "'percent_of'")
            exprs.expect_number(tt, args[1], "'percent_of'")
            return PERCENT, (r / tr) * Range.point(Fraction(100))
        case "percent":
            target = _scored(exprs, args[0], "percent")
            if target is None:
                return PERCENT, Range(Fraction(0), Fraction(100))
            maximum = exprs.facts.maxima[target]
            rng = exprs.facts.ranges[target]
            return PERCENT, rng * Range.point(100 / maximum)
        case "count":
            arg = args[0]
            ok = isinstance(arg, n.Ref) and _input_kind(exprs, arg.name) == "checklist"
            if not ok:
                exprs.facts.problems.append(
                    _problem("IK202", Message("call.count_checklist"), arg.span)
                )
            return COUNT, exprs.type_of(arg)[1]
        case "count_reaching":
            t, _ = exprs.type_of(args[0])
            exprs.expect_number(t, args[0], "'count_reaching'")
            for arg in args[1:]:
                _scored(exprs, arg, "count_reaching")
            return COUNT, Range(Fraction(0), Fraction(len(args) - 1))
        case "all_met" | "met":
            _scored(exprs, args[0], name, indicator_only=spec.name == "met")
            return BOOL, UNIT
        case "present":
            arg = args[0]
            if not (isinstance(arg, n.Ref) and _input_kind(exprs, arg.name) is not None):
                exprs.facts.problems.append(
                    _problem("IK202", Message("call.present_input"), arg.span)
                )
            return BOOL, UNIT
        case "count_missing":
            for arg in args:
                if not (isinstance(arg, n.Ref) and _input_kind(exprs, arg.name) is not None):
                    exprs.facts.problems.append(
                        _problem("IK202", Message("call.count_missing_input"), arg.span)
                    )
            return COUNT, Range(Fraction(0), Fraction(len(args)))
        case "value_or":
            (t, r), (ft, fr) = exprs.type_of(args[0]), exprs.type_of(args[1])
            return exprs.unify(t, ft, call.span, "'value_or'"), r.hull(fr)
        case "prev":
            arg = args[0]
            if not (
                isinstance(arg, n.Ref)
                and _input_kind(exprs, arg.name) not in (None, "text", "checklist")
            ):
                exprs.facts.problems.append(_problem("IK202", Message("call.prev_input"), arg.span))
                return NUMBER, Range(None, None)
            return exprs.type_of(arg)
        case unknown:
            assert_never(unknown)


def _arity(least: int, most: int | None) -> Message:
    if most is None:
        return Message("call.at_least", count=least)
    if least == most:
        return Message("call.one") if least == 1 else Message("call.exactly", count=least)
    return Message("call.between", least=least, most=most)


def _input_kind(exprs: Expressions, name: str) -> str | None:
    definition = exprs.facts.defs.get(name)
    return definition.type.kind if isinstance(definition, n.Input) else None


def _scored(
    exprs: Expressions, arg: n.Expr, function: str, *, indicator_only: bool = False
) -> str | None:
    """The name of the indicator or group an argument names, or None after reporting."""
    kinds = (n.Indicator,) if indicator_only else (n.Indicator, n.Group)
    if isinstance(arg, n.Ref) and isinstance(exprs.facts.defs.get(arg.name), kinds):
        return arg.name if arg.name in exprs.facts.maxima else None
    key = "call.takes_indicator" if indicator_only else "call.takes_scored"
    exprs.facts.problems.append(_problem("IK206", Message(key, function=function), arg.span))
    return None
