"""What each operation of the plan means: one definition.

`Op` names the operations a plan applies (`plan.Apply`); every evaluator dispatches on it
with `typing.assert_never`, so an operation one of them forgets fails mypy. `OPERATIONS`
says, per operation, how many arguments it takes, what a missing argument does and how
its result relates to the decimals the language promises. The built-in functions a
ruleset calls are defined in `functions`, as compositions of these operations.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, get_args

import attrs

__all__ = ["EXACT", "OPERATIONS", "OPS", "TRUTH", "Op", "Operation"]


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
TRUTH = "a yes/no: exactly 0 or 1"
EXACT = "exact on decimals: only picks or moves an argument"


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
    "neg": Operation(1, 1, _PROPAGATES, EXACT),
    "<": _COMPARES,
    "<=": _COMPARES,
    "==": _COMPARES,
    "!=": _COMPARES,
    ">=": _COMPARES,
    ">": _COMPARES,
    "and": Operation(2, None, "three-valued: a no beats a missing value", TRUTH),
    "or": Operation(2, None, "three-valued: a yes beats a missing value", TRUTH),
    "not": Operation(1, 1, _PROPAGATES, TRUTH),
    "if": Operation(3, 3, "missing if the condition is; else the chosen branch's value", EXACT),
    "min": Operation(2, None, _PROPAGATES, EXACT),
    "max": Operation(2, None, _PROPAGATES, EXACT),
    "clamp": Operation(3, 3, _PROPAGATES, EXACT),
    "abs": Operation(1, 1, _PROPAGATES, EXACT),
    "round": Operation(1, 1, _PROPAGATES, "the decimal rounded in its mode and places"),
    "sum": Operation(1, None, _PROPAGATES, "a float sum, left to right"),
    "present": Operation(1, 1, "never missing: 0 for a missing value, else 1", TRUTH),
    "value_or": Operation(2, 2, "the second argument where the first is missing", EXACT),
    "all_met": Operation(
        2,
        None,
        "(points, met) pairs: a missing points value takes no part, a missing met is not met;"
        " never missing",
        TRUTH,
    ),
}
