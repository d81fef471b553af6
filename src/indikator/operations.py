"""What each operation of the plan and each built-in function means: one definition.

`Op` names the operations a plan applies (`plan.Apply`); every evaluator dispatches on it
with `typing.assert_never`, so an operation one of them forgets fails mypy. `OPERATIONS`
says, per operation, how many arguments it takes, what a missing argument does and how
its result relates to the decimals the language promises. `FUNCTIONS` says the same of the
functions a ruleset may call, in the order of the language reference: the checker takes
their names and arities from it, the reference lists exactly these signatures, and the
property tests draw every one (tests/property/test_every_operation.py).

Adding a function: an entry in `FUNCTIONS`, its line in the message catalogue
(`function.<name>`), its typing in `functions`, its lowering in `plan` and its section of
docs/reference/language.md; a new `Op` only if no composition of the others will do.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Literal, cast, get_args

import attrs

__all__ = [
    "FUNCTIONS",
    "OPERATIONS",
    "OPS",
    "Arg",
    "Function",
    "FunctionName",
    "Op",
    "Operation",
]


#: An operation of the plan: its name (a comparison's is its operator). A `Literal` union,
#: not an enum: matching a string costs the evaluators nothing (an enum member is a class
#: attribute lookup per `case` in Python 3.11), and mypy checks exhaustiveness all the same.
Op = Literal[
    "add", "sub", "mul", "div", "neg", "<", "<=", "==", "!=", ">=", ">",
    "and", "or", "not", "if", "min", "max", "clamp", "abs", "round", "sum",
    "present", "value_or", "all_met",
]  # fmt: skip

#: Every operation, in order.
OPS: tuple[Op, ...] = get_args(Op)

#: The decimal rule of every operation whose result is a yes/no (1.0, 0.0 or missing).
_TRUTH = "a yes/no: exactly 0 or 1"
_EXACT = "exact on decimals: only picks or moves an argument"


@attrs.frozen
class Operation:
    """The rules of one operation: arity, missing values, decimals."""

    least: int
    most: int | None  # None: any number
    missing: str  # what a missing argument (NaN) gives
    decimal: str  # how the float result relates to the exact decimal one


_PROPAGATES = "missing if any argument is missing"
_COMPARES = Operation(
    2,
    2,
    _PROPAGATES,
    "decimal comparison: values closer than the tolerance (5e-10, or 1e-15 relative) are equal",
)

OPERATIONS: Mapping[Op, Operation] = {
    "add": Operation(2, 2, _PROPAGATES, "on the grid of 9 places of the larger operand"),
    "sub": Operation(2, 2, _PROPAGATES, "on the grid of 9 places of the larger operand"),
    "mul": Operation(2, 2, _PROPAGATES, "a float product: one rounding"),
    "div": Operation(
        2, 2, _PROPAGATES + "; a number divided by zero is an error (IK508)", "a float quotient"
    ),
    "neg": Operation(1, 1, _PROPAGATES, _EXACT),
    "<": _COMPARES,
    "<=": _COMPARES,
    "==": _COMPARES,
    "!=": _COMPARES,
    ">=": _COMPARES,
    ">": _COMPARES,
    "and": Operation(2, None, "three-valued: a no beats a missing value", _TRUTH),
    "or": Operation(2, None, "three-valued: a yes beats a missing value", _TRUTH),
    "not": Operation(1, 1, _PROPAGATES, _TRUTH),
    "if": Operation(3, 3, "missing if the condition is; else the chosen branch's value", _EXACT),
    "min": Operation(2, None, _PROPAGATES, _EXACT),
    "max": Operation(2, None, _PROPAGATES, _EXACT),
    "clamp": Operation(3, 3, _PROPAGATES, _EXACT),
    "abs": Operation(1, 1, _PROPAGATES, _EXACT),
    "round": Operation(1, 1, _PROPAGATES, "the decimal rounded in its mode and places"),
    "sum": Operation(1, None, _PROPAGATES, "a float sum, left to right"),
    "present": Operation(1, 1, "never missing: 0 for a missing value, else 1", _TRUTH),
    "value_or": Operation(2, 2, "the second argument where the first is missing", _EXACT),
    "all_met": Operation(
        2,
        None,
        "(points, met) pairs: a missing points value takes no part, a missing met is not met;"
        " never missing",
        _TRUTH,
    ),
}


#: The name of a built-in function: the checker and the lowering match on it exhaustively.
FunctionName = Literal[
    "min", "max", "clamp", "abs", "round", "percent_of", "percent", "count",
    "count_reaching", "all_met", "met", "present", "count_missing", "value_or", "prev",
]  # fmt: skip


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
class Function:
    """A built-in function: how it is written, typed, and what a missing value does.

    `args` gives each position's kind; with `most` None the last kind repeats. The docs'
    heading is `signature`; the one-line description is the catalogue's
    `function.<name>` (both languages).
    """

    name: FunctionName
    params: tuple[str, ...]  # as the reference writes them; "..." for more of the last
    args: tuple[Arg, ...]
    least: int
    most: int | None
    result: str  # its type
    missing: str  # what a missing argument gives
    decimal: str

    @property
    def signature(self) -> str:
        """`name(param, ...)`, as the language reference heads its section."""
        return f"{self.name}({', '.join(self.params)})"

    def kind(self, position: int) -> Arg:
        """The kind of argument at `position` (the last kind repeats)."""
        return self.args[min(position, len(self.args) - 1)]


def _function(
    signature: str, args: tuple[Arg, ...], result: str, missing: str, decimal: str
) -> Function:
    name, _, rest = signature.partition("(")
    params = tuple(p.strip() for p in rest.removesuffix(")").split(","))
    variadic = params[-1] == "..."
    least = len(params) - 1 if variadic else len(params)
    return Function(
        name=cast("FunctionName", name),  # the tests hold FunctionName to FUNCTIONS
        params=params,
        args=args,
        least=least,
        most=None if variadic else least,
        result=result,
        missing=missing,
        decimal=decimal,
    )


_SAME = "the type of its (first) argument"
_NUMBERS = "missing if any argument is missing"

#: The built-in functions, in the order of the language reference.
FUNCTIONS: Mapping[str, Function] = {
    f.name: f
    for f in (
        _function("min(a, b, ...)", (Arg.NUMBER,), _SAME, _NUMBERS, _EXACT),
        _function("max(a, b, ...)", (Arg.NUMBER,), _SAME, _NUMBERS, _EXACT),
        _function("clamp(x, low, high)", (Arg.NUMBER,), _SAME, _NUMBERS, _EXACT),
        _function("abs(x)", (Arg.NUMBER,), _SAME, _NUMBERS, _EXACT),
        _function(
            "round(x, places)",
            (Arg.NUMBER, Arg.PLACES),
            _SAME,
            _NUMBERS,
            "the decimal rounded half-up to `places` places",
        ),
        _function(
            "percent_of(x, target)",
            (Arg.NUMBER,),
            "percent",
            _NUMBERS + "; a target of 0 is an error (IK508)",
            "x * 100 / target: multiplied first, so 49 of 80 is exactly 61.25",
        ),
        _function(
            "percent(score)",
            (Arg.SCORED,),
            "percent",
            "missing if the score is",
            "points * 100 / maximum",
        ),
        _function(
            "count(checklist)",
            (Arg.CHECKLIST,),
            "count",
            "the checklist's missing-value policy",
            "a whole number",
        ),
        _function(
            "count_reaching(threshold, s1, s2, ...)",
            (Arg.NUMBER, Arg.SCORED),
            "count",
            _NUMBERS,
            "a whole number; each percent(s) >= threshold compared as decimals",
        ),
        _function(
            "all_met(score)",
            (Arg.SCORED,),
            "yes/no",
            "never missing: an indicator left out takes no part, an unknown one is not met",
            _TRUTH,
        ),
        _function("met(indicator)", (Arg.INDICATOR,), "yes/no", "missing if the met is", _TRUTH),
        _function("present(input)", (Arg.INPUT,), "yes/no", "never missing", _TRUTH),
        _function(
            "count_missing(a, b, ...)",
            (Arg.INPUT,),
            "count",
            "never missing: counts the missing inputs",
            "a whole number",
        ),
        _function(
            "value_or(x, fallback)",
            (Arg.VALUE,),
            "the type of both arguments",
            "fallback where x is missing",
            _EXACT,
        ),
        _function(
            "prev(input)",
            (Arg.PAST,),
            "the input's type",
            "the input's missing-value policy",
            "the cell's decimal, as the input's",
        ),
    )
}
