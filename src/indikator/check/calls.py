"""Calls of the built-in functions: the name, the count and the kind of every argument.

What each function takes and gives is defined once, in `functions.FUNCTIONS`. This pass
checks a call against that definition: the function exists, the number of arguments fits,
and each argument is what its `Arg` kind asks (a number, an input, an indicator, ...),
then hands the checked arguments to the function's own `typed` rule.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any, assert_never

from indikator import nodes as n
from indikator.bounds import Range
from indikator.check.facts import error, suggest
from indikator.functions import FUNCTIONS, Arg, Argument, Function
from indikator.messages import Message
from indikator.valuetypes import NUMBER, Type

if TYPE_CHECKING:
    from indikator.check.expressions import Expressions

__all__ = ["check_call"]

_PLACES = 9  # the most decimal places a number of the language has

#: The message for an argument that does not name what its kind asks, and its code.
_NOT_A: dict[Arg, tuple[str, str]] = {
    Arg.INPUT: ("IK202", "call.takes_input"),
    Arg.PAST: ("IK202", "call.takes_past"),
    Arg.CHECKLIST: ("IK202", "call.takes_checklist"),
    Arg.SCORED: ("IK206", "call.takes_scored"),
    Arg.INDICATOR: ("IK206", "call.takes_indicator"),
}


def check_call(exprs: Expressions, call: n.Call) -> tuple[Type, Range]:
    """Type and range of a call; reports unknown functions and wrong arguments."""
    name, args = call.function, call.args
    spec = FUNCTIONS.get(name)
    if spec is None:
        hint = suggest(name, list(FUNCTIONS)) or Message("call.hint_functions")
        message = Message("call.unknown_function", name=name)
        exprs.facts.problems.append(error("IK204", message, call.function_span, hint))
        return NUMBER, Range(None, None)
    if len(args) < spec.least or (spec.most is not None and len(args) > spec.most):
        arity = _arity(spec.least, spec.most)
        message = Message("call.arity", name=name, arity=arity, count=len(args))
        exprs.facts.problems.append(error("IK204", message, call.span, Message(f"function.{name}")))
        return NUMBER, Range(None, None)
    checked = [_argument(exprs, spec, i, arg) for i, arg in enumerate(args)]
    return spec.typed(_Kit(exprs), checked, call.span)


def _argument(exprs: Expressions, spec: Function, position: int, arg: n.Expr) -> Argument:
    """One argument checked against its kind; what is wrong is reported, not raised."""
    kind = spec.kind(position)
    match kind:
        case Arg.NUMBER | Arg.VALUE:
            typ, rng = exprs.type_of(arg)
            if kind is Arg.NUMBER:
                exprs.expect_number(typ, arg, f"'{spec.name}'")
            return Argument(arg, type=typ, range=rng)
        case Arg.PLACES:
            # a whole number from 0 to 9, as written: numbers have at most 9 places
            if (
                isinstance(arg, n.Number)
                and int(arg.value) == arg.value
                and 0 <= arg.value <= _PLACES
            ):
                return Argument(arg, places=int(arg.value))
            exprs.facts.problems.append(
                error("IK204", Message("call.takes_places", function=spec.name), arg.span)
            )
            return Argument(arg)
        case Arg.INPUT | Arg.PAST | Arg.CHECKLIST | Arg.SCORED | Arg.INDICATOR:
            if _names_a(exprs, kind, arg):
                assert isinstance(arg, n.Ref)  # noqa: S101  # `_names_a` holds only for names
                if kind in (Arg.PAST, Arg.CHECKLIST):  # their functions pass the values on
                    typ, rng = exprs.type_of(arg)
                    return Argument(arg, name=arg.name, type=typ, range=rng)
                return Argument(arg, name=arg.name)
            code, key = _NOT_A[kind]
            message = Message(key, function=spec.name)
            exprs.facts.problems.append(error(code, message, arg.span))
            return Argument(arg)
        case unknown:
            assert_never(unknown)


def _names_a(exprs: Expressions, kind: Arg, arg: n.Expr) -> bool:
    """Whether `arg` is the name of a definition of the kind `kind` asks for."""
    if not isinstance(arg, n.Ref):
        return False
    definition = exprs.facts.defs.get(arg.name)
    match kind:
        case Arg.SCORED | Arg.INDICATOR:
            kinds = (n.Indicator,) if kind is Arg.INDICATOR else (n.Indicator, n.Group)
            return isinstance(definition, kinds) and arg.name in exprs.facts.maxima
        case _:
            if not isinstance(definition, n.Input):
                return False
            input_kind = definition.type.kind
            if kind is Arg.CHECKLIST:
                return input_kind == "checklist"
            return kind is Arg.INPUT or input_kind not in ("text", "checklist")


class _Kit:
    """The checker as a function's `typed` rule sees it (`functions.Typing`)."""

    def __init__(self, exprs: Expressions) -> None:
        self._exprs = exprs

    def unify(self, a: Type, b: Type, span: Any, where: str) -> Type:
        return self._exprs.unify(a, b, span, where)

    def maximum(self, scored: str) -> Fraction:
        return self._exprs.facts.maxima[scored]

    def points(self, scored: str) -> Range:
        return self._exprs.facts.ranges[scored]


def _arity(least: int, most: int | None) -> Message:
    if most is None:
        return Message("call.at_least", count=least)
    if least == most:
        return Message("call.one") if least == 1 else Message("call.exactly", count=least)
    return Message("call.between", least=least, most=most)
