"""The built-in functions a ruleset may call: each defined once, here.

One `Function` says everything about a function: how it is written (`signature`), what
each argument must be (`Arg`), what a missing value does and how its result relates to
decimals (for the language reference), its result's type and exact range (`typed`, used
by the checker) and what it means as operations of the plan (`lowered`, used by `plan`).
The checker (`check.calls`) checks every argument against its `Arg` kind before `typed`
runs; the evaluators never see a function, only the plan's operations (`operations.Op`).

Adding a function: one entry in `FUNCTIONS` below, its line in the message catalogue
(`function.<name>`, both languages) and its section of docs/reference/language.md. The
tests then draw it in every evaluator (tests/property/test_every_operation.py); a new
`Op` is needed only if no composition of the existing ones will do.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Protocol, TypeVar

import attrs

from indikator.bounds import UNBOUNDED, UNIT, Range, rounded_range
from indikator.messages import Message
from indikator.operations import EXACT, TRUTH, Op
from indikator.valuetypes import BOOL, COUNT, NUMBER, PERCENT, Type

__all__ = [
    "DESCRIPTIONS",
    "FUNCTIONS",
    "Arg",
    "Argument",
    "Function",
    "Lowering",
    "Typing",
]


class Arg(enum.Enum):
    """What a built-in function takes in one argument position."""

    NUMBER = "number"  # an expression of numbers
    VALUE = "value"  # an expression of any type
    PLACES = "places"  # a whole number 0..9, written as a literal
    INPUT = "input"  # the name of an input of any type
    PAST = "past"  # the name of an input with a last year's column (not text, checklist)
    CHECKLIST = "checklist"  # the name of a checklist input
    SCORED = "scored"  # the name of an indicator or group
    INDICATOR = "indicator"  # the name of an indicator


@attrs.frozen
class Argument:
    """One argument as the checker found it, handed to a function's `typed` rule.

    `name` is set for the kinds that name a definition (None when the argument is not
    what its kind asks: the checker has reported it); `type` and `range` for expressions
    and for the inputs whose values the function passes on; `places` for `Arg.PLACES`.
    """

    expr: Any  # nodes.Expr: Any keeps this module free of the syntax tree's imports
    name: str | None = None
    type: Type = NUMBER
    range: Range = UNBOUNDED
    places: int | None = None


class Typing(Protocol):
    """What a `typed` rule may ask of the checker."""

    def unify(self, a: Type, b: Type, span: Any, where: str) -> Type:
        """The common type of two arguments; a mismatch is reported at `span`."""
        ...

    def maximum(self, scored: str) -> Fraction:
        """The maximum points of an indicator or group."""
        ...

    def points(self, scored: str) -> Range:
        """The exact range of an indicator's or group's points."""
        ...


IR = TypeVar("IR")


class Lowering(Protocol[IR]):
    """What a `lowered` rule may ask of the plan's lowering: operations and loads."""

    def expr(self, expr: Any) -> IR:
        """An argument's expression, lowered."""
        ...

    def apply(self, op: Op, args: Sequence[IR], *, places: int = 0, mode: str = "") -> IR:
        """An operation on lowered arguments (`places`, `mode`: round's)."""
        ...

    def const(self, value: float) -> IR:
        """A constant."""
        ...

    def load(self, name: str) -> IR:
        """The column of an input or of an earlier step (`x.met`)."""
        ...

    def percent(self, scored: str) -> IR:
        """An indicator's or group's points as a percent of its maximum."""
        ...

    def indicators_under(self, scored: str) -> list[str]:
        """The indicators an indicator or group is made of."""
        ...

    def past(self, name: str) -> IR:
        """An input's last-year column (`x.prev`), which the data must then hold."""
        ...


TypingRule = Callable[[Typing, Sequence[Argument], Any], tuple[Type, Range]]
LoweringRule = Callable[[Lowering[Any], Sequence[Argument]], Any]


@attrs.frozen
class Function:
    """A built-in function: how it is written, checked, typed and lowered.

    `args` gives each position's kind; with `most` None the last kind repeats. The docs'
    heading is `signature`; the one-line description is the catalogue's
    `function.<name>` (both languages). `typed(kit, arguments, span)` gives the result's
    type and exact range; `lowered(kit, arguments)` the plan's operations for a call.
    """

    name: str
    params: tuple[str, ...]  # as the reference writes them; "..." for more of the last
    args: tuple[Arg, ...]
    least: int
    most: int | None
    result: str  # its type, in words
    missing: str  # what a missing argument gives
    decimal: str
    typed: TypingRule
    lowered: LoweringRule

    @property
    def signature(self) -> str:
        """`name(param, ...)`, as the language reference heads its section."""
        return f"{self.name}({', '.join(self.params)})"

    def kind(self, position: int) -> Arg:
        """The kind of argument at `position` (the last kind repeats)."""
        return self.args[min(position, len(self.args) - 1)]

    def checked(self, args: Sequence[Any]) -> list[Argument]:
        """The arguments of a call the checker passed, as `lowered` reads them."""
        return [_checked(self.kind(i), arg) for i, arg in enumerate(args)]


def _checked(kind: Arg, arg: Any) -> Argument:
    if kind is Arg.PLACES:
        return Argument(arg, places=int(arg.value))
    if kind in (Arg.NUMBER, Arg.VALUE):
        return Argument(arg)
    return Argument(arg, name=arg.name)


def _function(
    signature: str,
    args: tuple[Arg, ...],
    *,
    result: str,
    missing: str,
    decimal: str,
    typed: TypingRule,
    lowered: LoweringRule,
) -> Function:
    name, _, rest = signature.partition("(")
    params = tuple(p.strip() for p in rest.removesuffix(")").split(","))
    variadic = params[-1] == "..."
    least = len(params) - 1 if variadic else len(params)
    return Function(
        name=name,
        params=params,
        args=args,
        least=least,
        most=None if variadic else least,
        result=result,
        missing=missing,
        decimal=decimal,
        typed=typed,
        lowered=lowered,
    )


# -- rules shared by several functions -------------------------------------------------


def _same_op(op: Op) -> LoweringRule:
    """A function that is one operation of the plan on its lowered arguments."""
    return lambda kit, args: kit.apply(op, [kit.expr(a.expr) for a in args])


def _extreme(smallest: bool) -> TypingRule:  # noqa: FBT001  # min or max, said once
    def typed(kit: Typing, args: Sequence[Argument], span: Any) -> tuple[Type, Range]:
        typ, rng = args[0].type, args[0].range
        for arg in args[1:]:
            typ = kit.unify(typ, arg.type, span, "'min'" if smallest else "'max'")
            rng = rng.minimum(arg.range) if smallest else rng.maximum(arg.range)
        return typ, rng

    return typed


def _clamp(_: Typing, args: Sequence[Argument], __: Any) -> tuple[Type, Range]:
    x, low, high = args
    return x.type, x.range.maximum(low.range).minimum(high.range)


def _abs(_: Typing, args: Sequence[Argument], __: Any) -> tuple[Type, Range]:
    (x,) = args
    return x.type, x.range.hull(-x.range).maximum(Range.point(Fraction(0)))


def _round(_: Typing, args: Sequence[Argument], __: Any) -> tuple[Type, Range]:
    x, places = args
    if places.places is None:
        return x.type, x.range
    # round() rounds half up: its values lie between the rounded ends (7.46 -> 7.5)
    return x.type, rounded_range(x.range, places.places, "half_up")


def _lower_round(kit: Lowering[Any], args: Sequence[Argument]) -> Any:
    x, places = args
    assert places.places is not None  # noqa: S101  # lowering runs only after a clean check
    return kit.apply("round", [kit.expr(x.expr)], places=places.places, mode="half_up")


def _percent_of(_: Typing, args: Sequence[Argument], __: Any) -> tuple[Type, Range]:
    x, target = args
    return PERCENT, (x.range / target.range) * Range.point(Fraction(100))


def _lower_percent_of(kit: Lowering[Any], args: Sequence[Argument]) -> Any:
    # x * 100 / target: multiplying first keeps 49 of 80 at exactly 61.25.
    x, target = (kit.expr(a.expr) for a in args)
    return kit.apply("div", [kit.apply("mul", [x, kit.const(100.0)]), target])


def _percent(kit: Typing, args: Sequence[Argument], _: Any) -> tuple[Type, Range]:
    name = args[0].name
    if name is None:
        return PERCENT, Range(Fraction(0), Fraction(100))
    return PERCENT, kit.points(name) * Range.point(100 / kit.maximum(name))


def _named(args: Sequence[Argument], position: int = 0) -> str:
    name = args[position].name
    assert name is not None  # noqa: S101  # lowering runs only after a clean check
    return name


def _count(_: Typing, args: Sequence[Argument], __: Any) -> tuple[Type, Range]:
    return COUNT, args[0].range


def _count_reaching(_: Typing, args: Sequence[Argument], __: Any) -> tuple[Type, Range]:
    return COUNT, Range(Fraction(0), Fraction(len(args) - 1))


def _lower_count_reaching(kit: Lowering[Any], args: Sequence[Argument]) -> Any:
    threshold = kit.expr(args[0].expr)
    reached = [
        kit.apply(">=", [kit.percent(_named(args, i)), threshold]) for i in range(1, len(args))
    ]
    return kit.apply("sum", reached)


def _yes_no(_: Typing, __: Sequence[Argument], ___: Any) -> tuple[Type, Range]:
    return BOOL, UNIT


def _lower_all_met(kit: Lowering[Any], args: Sequence[Argument]) -> Any:
    indicators = kit.indicators_under(_named(args))
    pairs = [kit.load(i) if j == 0 else kit.load(f"{i}.met") for i in indicators for j in (0, 1)]
    return kit.apply("all_met", pairs)


def _lower_met(kit: Lowering[Any], args: Sequence[Argument]) -> Any:
    # all_met of the one indicator: met() and all_met() read a missing value the same way.
    name = _named(args)
    return kit.apply("all_met", [kit.load(name), kit.load(f"{name}.met")])


def _count_of_args(_: Typing, args: Sequence[Argument], __: Any) -> tuple[Type, Range]:
    return COUNT, Range(Fraction(0), Fraction(len(args)))


def _lower_count_missing(kit: Lowering[Any], args: Sequence[Argument]) -> Any:
    absent = [kit.apply("not", [kit.apply("present", [kit.expr(a.expr)])]) for a in args]
    return kit.apply("sum", absent)


def _value_or(kit: Typing, args: Sequence[Argument], span: Any) -> tuple[Type, Range]:
    x, fallback = args
    return kit.unify(x.type, fallback.type, span, "'value_or'"), x.range.hull(fallback.range)


def _prev(_: Typing, args: Sequence[Argument], __: Any) -> tuple[Type, Range]:
    return args[0].type, args[0].range


_SAME = "the type of its (first) argument"
_NUMBERS = "missing if any argument is missing"

#: The built-in functions, in the order of the language reference.
FUNCTIONS: Mapping[str, Function] = {
    f.name: f
    for f in (
        _function(
            "min(a, b, ...)",
            (Arg.NUMBER,),
            result=_SAME,
            missing=_NUMBERS,
            decimal=EXACT,
            typed=_extreme(smallest=True),
            lowered=_same_op("min"),
        ),
        _function(
            "max(a, b, ...)",
            (Arg.NUMBER,),
            result=_SAME,
            missing=_NUMBERS,
            decimal=EXACT,
            typed=_extreme(smallest=False),
            lowered=_same_op("max"),
        ),
        _function(
            "clamp(x, low, high)",
            (Arg.NUMBER,),
            result=_SAME,
            missing=_NUMBERS,
            decimal=EXACT,
            typed=_clamp,
            lowered=_same_op("clamp"),
        ),
        _function(
            "abs(x)",
            (Arg.NUMBER,),
            result=_SAME,
            missing=_NUMBERS,
            decimal=EXACT,
            typed=_abs,
            lowered=_same_op("abs"),
        ),
        _function(
            "round(x, places)",
            (Arg.NUMBER, Arg.PLACES),
            result=_SAME,
            missing=_NUMBERS,
            decimal="the decimal rounded half-up to `places` places",
            typed=_round,
            lowered=_lower_round,
        ),
        _function(
            "percent_of(x, target)",
            (Arg.NUMBER,),
            result="percent",
            missing=_NUMBERS + "; a target of 0 is an error (IK508)",
            decimal="x * 100 / target: multiplied first, so 49 of 80 is exactly 61.25",
            typed=_percent_of,
            lowered=_lower_percent_of,
        ),
        _function(
            "percent(score)",
            (Arg.SCORED,),
            result="percent",
            missing="missing if the score is",
            decimal="points * 100 / maximum",
            typed=_percent,
            lowered=lambda kit, args: kit.percent(_named(args)),
        ),
        _function(
            "count(checklist)",
            (Arg.CHECKLIST,),
            result="count",
            missing="the checklist's missing-value policy",
            decimal="a whole number",
            typed=_count,
            lowered=lambda kit, args: kit.expr(args[0].expr),
        ),
        _function(
            "count_reaching(threshold, s1, s2, ...)",
            (Arg.NUMBER, Arg.SCORED),
            result="count",
            missing=_NUMBERS,
            decimal="a whole number; each percent(s) >= threshold compared as decimals",
            typed=_count_reaching,
            lowered=_lower_count_reaching,
        ),
        _function(
            "all_met(score)",
            (Arg.SCORED,),
            result="yes/no",
            missing="never missing: an indicator left out takes no part, an unknown one is not met",
            decimal=TRUTH,
            typed=_yes_no,
            lowered=_lower_all_met,
        ),
        _function(
            "met(indicator)",
            (Arg.INDICATOR,),
            result="yes/no",
            missing="never missing: an undecided condition is not met, a left-out indicator"
            " takes no part (as in all_met)",
            decimal=TRUTH,
            typed=_yes_no,
            lowered=_lower_met,
        ),
        _function(
            "present(input)",
            (Arg.INPUT,),
            result="yes/no",
            missing="never missing",
            decimal=TRUTH,
            typed=_yes_no,
            lowered=_same_op("present"),
        ),
        _function(
            "count_missing(a, b, ...)",
            (Arg.INPUT,),
            result="count",
            missing="never missing: counts the missing inputs",
            decimal="a whole number",
            typed=_count_of_args,
            lowered=_lower_count_missing,
        ),
        _function(
            "count_present(a, b, ...)",
            (Arg.INPUT,),
            result="count",
            missing="never missing: counts the inputs that have a value",
            decimal="a whole number",
            typed=_count_of_args,
            lowered=lambda kit, args: kit.apply(
                "sum", [kit.apply("present", [kit.expr(a.expr)]) for a in args]
            ),
        ),
        _function(
            "value_or(x, fallback)",
            (Arg.VALUE,),
            result="the type of both arguments",
            missing="fallback where x is missing",
            decimal=EXACT,
            typed=_value_or,
            lowered=_same_op("value_or"),
        ),
        _function(
            "prev(input)",
            (Arg.PAST,),
            result="the input's type",
            missing="the input's missing-value policy",
            decimal="the cell's decimal, as the input's",
            typed=_prev,
            lowered=lambda kit, args: kit.past(_named(args)),
        ),
    )
}

#: One line per function, for the language reference; hints show it in either language.
DESCRIPTIONS: Mapping[str, str] = {name: str(Message(f"function.{name}")) for name in FUNCTIONS}
