"""The built-in functions: how each is checked (types, units, ranges).

Kept in one table so the language reference, the checker and the lowering agree on the
same list. Lowering to numpy lives in `plan`.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING

from indikator import nodes as n
from indikator.bounds import UNIT, Range
from indikator.errors import Diagnostic, Span
from indikator.valuetypes import BOOL, COUNT, NUMBER, PERCENT, Type

if TYPE_CHECKING:
    from indikator.check import Checker

__all__ = ["DESCRIPTIONS", "FUNCTIONS", "check_call"]

# name → (minimum number of arguments, maximum or None for any)
FUNCTIONS: Mapping[str, tuple[int, int | None]] = {
    "min": (2, None),
    "max": (2, None),
    "clamp": (3, 3),
    "abs": (1, 1),
    "round": (2, 2),
    "percent_of": (2, 2),
    "percent": (1, 1),
    "count": (1, 1),
    "count_reaching": (2, None),
    "all_met": (1, 1),
    "met": (1, 1),
    "present": (1, 1),
    "value_or": (2, 2),
    "prev": (1, 1),
}


#: One line per function, for error hints and the language reference.
DESCRIPTIONS = {
    "min": "min(a, b, ...): the smallest value",
    "max": "max(a, b, ...): the largest value",
    "clamp": "clamp(x, low, high): x kept within low..high",
    "abs": "abs(x): the absolute value",
    "round": "round(x, places): x rounded half-up to `places` decimals",
    "percent_of": "percent_of(x, target): x as a percentage of target (49 of 80 is 61.25 %)",
    "percent": "percent(score): a score as a percentage of its maximum",
    "count": "count(checklist): how many items of a checklist are met",
    "count_reaching": (
        "count_reaching(threshold, s1, s2, ...): how many scores reach threshold % of their maximum"
    ),
    "all_met": "all_met(score): yes when every indicator under the score is met",
    "met": "met(indicator): yes when the indicator is met",
    "present": "present(input): yes when the input has a value",
    "value_or": "value_or(x, fallback): x, or fallback where x is missing",
    "prev": "prev(input): last year's value of an input (column 'input.prev')",
}


def _problem(code: str, message: str, span: object, hint: str | None = None) -> Diagnostic:
    assert isinstance(span, Span)  # noqa: S101  # every node carries a span
    return Diagnostic(code=code, message=message, span=span, hint=hint)


def check_call(checker: Checker, call: n.Call) -> tuple[Type, Range]:
    """Type and range of a call; reports unknown functions and wrong arguments."""
    name, args = call.function, call.args
    if name not in FUNCTIONS:
        close = [f for f in FUNCTIONS if f.startswith(name[:3])]
        hint = (
            f"did you mean '{close[0]}'?" if close else "see the list of functions in the reference"
        )
        checker.problems.append(
            _problem("IK204", f"unknown function '{name}'", call.function_span, hint)
        )
        return NUMBER, Range(None, None)
    least, most = FUNCTIONS[name]
    if len(args) < least or (most is not None and len(args) > most):
        checker.problems.append(
            _problem(
                "IK204",
                f"'{name}' takes {_arity(least, most)}, got {len(args)}",
                call.span,
                DESCRIPTIONS[name],
            )
        )
        return NUMBER, Range(None, None)
    match name:
        case "min" | "max":
            typed = [checker.expr(a) for a in args]
            typ = typed[0][0]
            rng = typed[0][1]
            for arg, (t, r) in zip(args[1:], typed[1:], strict=True):
                checker.expect_number(t, arg, f"'{name}'")
                typ = checker.unify(typ, t, call.span, f"'{name}'")
                rng = rng.minimum(r) if name == "min" else rng.maximum(r)
            checker.expect_number(typed[0][0], args[0], f"'{name}'")
            return typ, rng
        case "clamp":
            (t, r), (_, lo), (_, hi) = (checker.expr(a) for a in args)
            checker.expect_number(t, args[0], "'clamp'")
            return t, r.maximum(lo).minimum(hi)
        case "abs":
            t, r = checker.expr(args[0])
            checker.expect_number(t, args[0], "'abs'")
            return t, r.hull(-r).maximum(Range.point(Fraction(0)))
        case "round":
            t, r = checker.expr(args[0])
            checker.expect_number(t, args[0], "'round'")
            if not (isinstance(args[1], n.Number) and args[1].value == int(args[1].value) >= 0):
                checker.problems.append(
                    _problem("IK204", "round's places must be a whole number", args[1].span)
                )
            return t, r
        case "percent_of":
            (t, r), (tt, tr) = checker.expr(args[0]), checker.expr(args[1])
            checker.expect_number(t, args[0], "'percent_of'")
            checker.expect_number(tt, args[1], "'percent_of'")
            return PERCENT, (r / tr) * Range.point(Fraction(100))
        case "percent":
            target = _scored(checker, args[0], "percent")
            if target is None:
                return PERCENT, Range(Fraction(0), Fraction(100))
            maximum = checker.maxima[target]
            rng = checker.ranges[target]
            return PERCENT, rng * Range.point(100 / maximum)
        case "count":
            arg = args[0]
            ok = isinstance(arg, n.Ref) and _input_kind(checker, arg.name) == "checklist"
            if not ok:
                checker.problems.append(
                    _problem("IK202", "count(...) takes a checklist input", arg.span)
                )
            return COUNT, checker.expr(arg)[1]
        case "count_reaching":
            t, _ = checker.expr(args[0])
            checker.expect_number(t, args[0], "'count_reaching'")
            for arg in args[1:]:
                _scored(checker, arg, "count_reaching")
            return COUNT, Range(Fraction(0), Fraction(len(args) - 1))
        case "all_met" | "met":
            _scored(checker, args[0], name, indicator_only=name == "met")
            return BOOL, UNIT
        case "present":
            arg = args[0]
            if not (isinstance(arg, n.Ref) and _input_kind(checker, arg.name) is not None):
                checker.problems.append(_problem("IK202", "present(...) takes an input", arg.span))
            return BOOL, UNIT
        case "value_or":
            (t, r), (ft, fr) = checker.expr(args[0]), checker.expr(args[1])
            return checker.unify(t, ft, call.span, "'value_or'"), r.hull(fr)
        case "prev":
            arg = args[0]
            if not (
                isinstance(arg, n.Ref)
                and _input_kind(checker, arg.name) not in (None, "text", "checklist")
            ):
                checker.problems.append(
                    _problem(
                        "IK202",
                        "prev(...) takes an input that is not text or a checklist",
                        arg.span,
                    )
                )
                return NUMBER, Range(None, None)
            return checker.expr(arg)
    return NUMBER, Range(None, None)  # pragma: no cover  # every name is matched above


def _arity(least: int, most: int | None) -> str:
    if most is None:
        return f"at least {least} arguments"
    if least == most:
        return f"{least} argument" + ("s" if least != 1 else "")
    return f"{least} to {most} arguments"


def _input_kind(checker: Checker, name: str) -> str | None:
    definition = checker.defs.get(name)
    return definition.type.kind if isinstance(definition, n.Input) else None


def _scored(
    checker: Checker, arg: n.Expr, function: str, *, indicator_only: bool = False
) -> str | None:
    """The name of the indicator or group an argument names, or None after reporting."""
    kinds = (n.Indicator,) if indicator_only else (n.Indicator, n.Group)
    if isinstance(arg, n.Ref) and isinstance(checker.defs.get(arg.name), kinds):
        return arg.name if arg.name in checker.maxima else None
    what = "an indicator" if indicator_only else "an indicator or group"
    checker.problems.append(_problem("IK206", f"{function}(...) takes {what}", arg.span))
    return None
