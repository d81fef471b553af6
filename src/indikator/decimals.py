"""The language's decimals without numpy: their limits, tolerance, grid and cut points.

`numeric` applies them to float arrays; these are what the checker and the plan need,
so that loading a ruleset does not import numpy (a tenth of a second). `numeric`
re-exports every name, the one place the evaluators take them from.
"""

from __future__ import annotations

import decimal
import functools
import math
from fractions import Fraction

__all__ = [
    "DECIMAL_MODES",
    "GRID_FROM",
    "HALF_QUANTUM",
    "HALF_QUANTUM_EXACT",
    "LARGEST",
    "MIRROR",
    "PLACES",
    "RELATIVE",
    "RELATIVE_EXACT",
    "SIGNIFICANT",
    "cut",
    "cut_points",
    "decimal_of",
    "grid_exact",
    "tolerance",
]

#: Half of the smallest decimal step we resolve (10⁻⁹).
HALF_QUANTUM = 5e-10
#: Half a unit in the 15th significant digit, relative to the number.
RELATIVE = 5e-16
#: The two parts of the tolerance as fractions, for decisions made exactly.
HALF_QUANTUM_EXACT = Fraction(5, 10**10)
RELATIVE_EXACT = Fraction(5, 10**16)
#: Decimal places and significant digits a number may have (the checker enforces both).
PLACES = 9
SIGNIFICANT = 15
#: The largest magnitude a ruleset may write (the checker enforces it, IK411).
LARGEST = 10**15
#: Below this magnitude the decimal grid is 10⁻⁹ (9 places); above, 15 digits decide.
GRID_FROM = 1e6
#: The rounding modes of the language, as `decimal` names them.
DECIMAL_MODES = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "half_down": decimal.ROUND_HALF_DOWN,
    "up": decimal.ROUND_UP,
    "down": decimal.ROUND_DOWN,
    "floor": decimal.ROUND_FLOOR,
    "ceiling": decimal.ROUND_CEILING,
}


def tolerance(magnitude: float) -> float:
    """Below this distance from a number of this size, another number is the same decimal.

    Examples:
        >>> tolerance(80.0), tolerance(1e7), tolerance(1e15)
        (5e-10, 5e-09, 0.5)
    """
    return max(HALF_QUANTUM, RELATIVE * abs(magnitude))


def grid_exact(value: Fraction, magnitude: Fraction | None = None) -> Fraction:
    """`value` rounded half-even onto the language's grid at `magnitude`.

    The grid is 9 places, or 15 significant digits from 10^6 up; `magnitude` is the
    value's own size unless a sum asks for its larger operand's.

    Examples:
        >>> grid_exact(Fraction(2, 3))
        Fraction(666666667, 1000000000)
        >>> grid_exact(Fraction(12345678901, 3))  # 4115226300.33..., 15 digits
        Fraction(411522630033333, 100000)
    """
    size = abs(value) if magnitude is None else magnitude
    places = PLACES
    if size >= GRID_FROM:
        places = SIGNIFICANT - len(str(math.floor(size)))  # the digits before the point
    step = Fraction(10) ** -places
    return round(value / step) * step  # round(): half to even, as the language


def decimal_of(value: float) -> decimal.Decimal:
    """The decimal a float stands for: its shortest representation (80.1, not 80.0999...)."""
    return decimal.Decimal(repr(float(value)))


#: The operator with its sides swapped: `c < x` is `x > c`.
MIRROR = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def cut(edge: float, op: str) -> float:
    """The cut point of `x op edge` for `>=`, `>`, `<=`, `<`: `x > cut` or `x < cut`.

    `>=` and `>` hold above the cut, `<=` and `<` below it. The edge is moved by its
    tolerance, away from the side that holds when a value is on the edge.

    Examples:
        >>> cut(80.0, ">=") < 80.0 < cut(80.0, ">"), cut(1e7, ">=") < 1e7
        (True, True)
    """
    return _cut(float(edge), op)


@functools.cache
def _cut(edge: float, op: str) -> float:
    """`cut`, exactly: the edge's decimal moved by its exact tolerance, rounded safely.

    Rounded to the float on the safe side (down for `>=`/`>`, which hold above, up for
    `<=`/`<`), so a float compared with it lands where the exact decimal rule puts it.
    Rounding to the nearest float instead can put the cut on a value a few units in the
    last place beyond the tolerance (found at 7.6e7, where the tolerance is 2.5 units).
    """
    shift = tolerance(edge)
    near = edge - shift if op in (">=", "<") else edge + shift
    if not math.isfinite(near):
        return near
    decimal_edge = Fraction(decimal_of(edge))
    exact_shift = max(HALF_QUANTUM_EXACT, RELATIVE_EXACT * abs(decimal_edge))
    point = decimal_edge - exact_shift if op in (">=", "<") else decimal_edge + exact_shift
    if op in (">=", ">"):  # holds above: the largest float not above the point
        return near if Fraction(near) <= point else math.nextafter(near, -math.inf)
    return near if Fraction(near) >= point else math.nextafter(near, math.inf)


def cut_points(edges: list[tuple[float, bool]]) -> tuple[float, ...]:
    """Cut points of band or tier edges: (edge, value at edge goes up) → shifted edge.

    A value moves past an edge when it is greater than the returned cut point: the `cut`
    of `x >= edge` where the edge's own value belongs above, else of `x > edge`.
    """
    return tuple(cut(edge, ">=" if goes_up else ">") for edge, goes_up in edges)
