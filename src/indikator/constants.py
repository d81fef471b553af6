"""Constant expressions: a number written as arithmetic where a number goes (`0.6 * maks`).

Input: a value node (a number, a parameter name, or `+ - * /` and parentheses over those)
and the value of each leaf; output: the folded number. The checker, the plan and the
oracle fold the same way, exactly (fractions, never floats), then put the result on the
language's grid of numbers (9 places, or 15 significant digits), half-even, as a
spreadsheet author expects `100 / 3` to be 33.333333333. Dividing by zero raises
`DivisionByZeroError`, which the checker reports (IK414) at the divisor's span.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any, TypeVar

from indikator import nodes as n
from indikator.decimals import grid_exact
from indikator.errors import Span

__all__ = ["DivisionByZeroError", "combine", "fold", "leaves"]

_T = TypeVar("_T")


class DivisionByZeroError(ArithmeticError):
    """A constant divides by zero; `span` is the divisor's."""

    def __init__(self, span: Span) -> None:
        super().__init__("division by zero")
        self.span = span


def leaves(value: n.Value | n.Expr) -> list[n.Number | n.Ref]:
    """The numbers and names a constant reads, in source order."""
    if isinstance(value, n.Arith):
        return [*leaves(value.left), *leaves(value.right)]
    if isinstance(value, n.Number | n.Ref):
        return [value]
    return []


def combine(value: n.Value | n.Expr, leaf: Callable[[n.Number | n.Ref], _T]) -> _T:
    """`value` with each leaf replaced by `leaf(...)` and its operators applied as written.

    For floats and per-row arrays (a drawn parameter); exact folding is `fold`.
    """
    if isinstance(value, n.Arith):
        left: Any = combine(value.left, leaf)
        right: Any = combine(value.right, leaf)
        match value.op:
            case "+":
                result = left + right
            case "-":
                result = left - right
            case "*":
                result = left * right
            case _:
                result = left / right
        return result  # type: ignore[no-any-return]  # the leaves' own arithmetic
    if isinstance(value, n.Number | n.Ref):
        return leaf(value)
    msg = f"not a constant: {type(value).__name__}"  # the grammar allows no other node
    raise TypeError(msg)


def fold(value: n.Value | n.Expr, leaf: Callable[[n.Number | n.Ref], Fraction]) -> Fraction:
    """The exact value of a constant, on the language's grid (see the module docstring).

    Examples:
        >>> from indikator.syntax import parse
        >>> band = parse("param w = 80 input x: percent "
        ...     "indicator a = bands x { [0, 100] -> 100 / 3 * (w / 80) }").definitions[2]
        >>> def leaf(leaf):  # a number is its value; w is 80
        ...     return Fraction(leaf.value) if isinstance(leaf, n.Number) else Fraction(80)
        >>> fold(band.scoring.rows[0].points, leaf)
        Fraction(33333333333, 1000000000)
    """
    if not isinstance(value, n.Arith):
        return leaf(value)  # type: ignore[arg-type]  # a number or a name: no rounding
    return grid_exact(_exact(value, leaf))


def _exact(value: n.Value | n.Expr, leaf: Callable[[n.Number | n.Ref], Fraction]) -> Fraction:
    if not isinstance(value, n.Arith):
        return leaf(value)  # type: ignore[arg-type]  # the grammar: a number or a name
    left, right = _exact(value.left, leaf), _exact(value.right, leaf)
    match value.op:
        case "+":
            return left + right
        case "-":
            return left - right
        case "*":
            return left * right
        case _:
            if right == 0:
                raise DivisionByZeroError(value.right.span)
            return left / right
