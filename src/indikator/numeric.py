"""Decimal semantics on float arrays: comparisons and rounding that do not slip.

Every number stands for a decimal with at most 9 places and at most 15 significant
digits (the most a float64 holds exactly, so every such decimal survives the trip
through a float). Values are computed in float64; two values are the same decimal when
they differ by less than the *tolerance*: half of 10⁻⁹, or, for numbers above 10⁶,
half a unit in the 15th significant digit (5·10⁻¹⁶ of the larger one). That is more
than the float64 rounding error of a few operations and less than the gap between any
two different such decimals, so `0.1 + 0.2 == 0.3`, `10000000.1 + 0.2 == 10000000.3`,
a value exactly on a band edge of 10⁷ or 10¹² lands where the bracket says, and
`600.005` rounded half-up to 2 places is 600.01, as with `decimal.Decimal`.

A comparison with a constant (a band edge, a tier edge, `x >= 80`) is one comparison with
a *cut point* computed once from the constant: `cut` is the single place where that
happens, so a band, a tier and a `let` on the same edge always agree.
"""

from __future__ import annotations

import decimal
import math
from bisect import bisect_right
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import numpy.typing as npt

# The decimals themselves, without numpy (loading a ruleset needs only them); here too,
# for the modules that work on arrays.
from indikator.decimals import (
    DECIMAL_MODES,
    GRID_FROM,
    HALF_QUANTUM,
    HALF_QUANTUM_EXACT,
    LARGEST,
    MIRROR,
    PLACES,
    RELATIVE,
    RELATIVE_EXACT,
    SIGNIFICANT,
    cut,
    decimal_of,
    grid_exact,
    tolerance,
)

__all__ = [
    "DECIMAL_MODES",
    "ERROR",
    "GRID_FROM",
    "HALF_QUANTUM",
    "HALF_QUANTUM_EXACT",
    "LARGEST",
    "MIRROR",
    "ONE_MODES",
    "PLACES",
    "RELATIVE",
    "RELATIVE_EXACT",
    "SIGNIFICANT",
    "add",
    "compare",
    "cut",
    "exact_difference",
    "exactly_on_grid",
    "grid_exact",
    "grid_operation",
    "has_nan",
    "holds",
    "ndim",
    "on_grid_one",
    "resolve",
    "resolve_one",
    "round_one",
    "round_to",
    "round_watched",
    "subtract",
    "tolerance",
]

Array = npt.NDArray[np.float64]
_Seen = TypeVar("_Seen")

#: From this magnitude on the relative part of the tolerance is the larger one.
_RELATIVE_FROM = HALF_QUANTUM / RELATIVE
#: Floats at or above this magnitude have no fractional part.
_WHOLE_FROM = 2.0**52


def ndim(value: npt.ArrayLike) -> int:
    """`np.ndim` of an array, a numpy scalar or a number, without numpy's dispatch.

    The evaluator asks it of every operand (a few hundred times a call): `np.ndim` costs
    about a microsecond each, which counts at a thousand regions.
    """
    if isinstance(value, np.ndarray | np.generic):
        return value.ndim
    return 0 if type(value) is float else int(np.ndim(value))


def has_nan(values: Array) -> bool:
    """Whether any value is NaN, in one pass and no mask: the minimum is NaN then.

    `math.isnan` of the numpy scalar, not `np.isnan`: a ufunc call on one number costs
    more than the reduction over a thousand (the evaluator asks about a hundred a call).
    """
    return math.isnan(np.minimum.reduce(values, axis=None, initial=np.inf))


# -- comparisons ---------------------------------------------------------------------------


def compare(op: str, left: Array, right: Array | float) -> Array:
    """Compare with decimal semantics; 1.0 true, 0.0 false, NaN where a side is missing.

    A side that is a single number (an edge, a constant) is compared through its `cut`;
    two arrays through their difference and the tolerance of the larger.
    """
    right_is_one = ndim(right) == 0
    if ndim(left) == 0 and not right_is_one:  # a constant on the left: swap sides
        return compare(MIRROR[op], right, float(left))  # type: ignore[arg-type]
    if right_is_one:
        if ndim(left) == 0:  # two constants: a 0-d truth broadcasts like an array
            a, b = float(left), float(right)
            missing = a != a or b != b  # noqa: PLR0124
            return np.float64(np.nan if missing else holds(op, a, b))  # type: ignore[return-value]
        return _against(op, left, float(right))
    return _between(op, left, np.asarray(right))


def _against(op: str, values: Array, edge: float) -> Array:
    """`values op edge` for a single number `edge`, through its cut point(s)."""
    if edge != edge:  # noqa: PLR0124  # a missing constant: every result is missing
        return np.full(values.shape, np.nan)
    out: Array = np.empty(np.shape(values))
    if op in ("==", "!="):
        inside = (values > cut(edge, ">=")) & (values < cut(edge, "<="))
        out[...] = inside if op == "==" else ~inside
    else:  # the truth written as 1.0/0.0 straight into the result: no mask to convert
        (np.greater if op in (">=", ">") else np.less)(values, cut(edge, op), out=out)
    if has_nan(values):
        out[np.isnan(values)] = np.nan
    return out


#: Each comparison of two arrays on their difference d and tolerance t: (ufunc, sign of t).
_ON_DIFFERENCE: dict[str, tuple[np.ufunc, float]] = {
    ">=": (np.greater, -1.0),
    ">": (np.greater, 1.0),
    "<=": (np.less, 1.0),
    "<": (np.less, -1.0),
    "==": (np.less, 1.0),  # on |d|
    "!=": (np.greater_equal, 1.0),  # on |d|
}


def _between(op: str, left: Array, right: Array) -> Array:
    """`left op right` for two arrays: their difference against the tolerance of the larger."""
    ufunc, sign = _ON_DIFFERENCE[op]
    diff = np.subtract(left, right)
    missing = np.isnan(diff) if has_nan(diff) else None
    limit: Array | float = HALF_QUANTUM
    if max(_largest(left), _largest(right)) >= _RELATIVE_FROM:  # large numbers somewhere
        limit = np.maximum(np.maximum(np.abs(left), np.abs(right)) * RELATIVE, HALF_QUANTUM)
    if op in ("==", "!="):
        np.abs(diff, out=diff)
    # The truth written over the difference, as 0.0/1.0: no other array is allocated.
    out: Array = ufunc(diff, np.multiply(limit, sign), out=diff)
    if missing is not None:
        out[missing] = np.nan
    return out


def _largest(values: Array | np.float64) -> float:
    """The largest magnitude among the values, NaN ignored (two passes, no copy).

    The two ends are compared as Python floats: a ufunc call on one number costs more
    than a reduction over a thousand. They are both NaN or neither (only a column of
    NaN has a NaN end), so `max` needs no NaN rule of its own.
    """
    if not values.ndim:  # a number: itself
        return abs(float(values))
    if values.size == 0:
        return 0.0
    top, bottom = np.fmax.reduce(values, axis=None), np.fmin.reduce(values, axis=None)
    return max(abs(float(top)), abs(float(bottom)))


def holds(op: str, left: float, right: float) -> bool:
    """`left op right` for two numbers, as a truth (false where one is missing).

    `right` is taken as the edge, as `compare` takes a constant: the same cut points.

    Examples:
        >>> holds(">=", 0.1 + 0.2, 0.3), holds("<", 0.3, 0.1 + 0.2), holds("<", np.nan, 1.0)
        (True, False, False)
        >>> holds(">=", 10000000.1 + 0.2, 10000000.3), holds(">=", 9999999.0, 1e7)
        (True, False)
    """
    if left != left or right != right:  # noqa: PLR0124  # missing: no truth
        return False
    if op in ("==", "!="):
        return (cut(right, ">=") < left < cut(right, "<=")) == (op == "==")
    if op in (">=", ">"):
        return left > cut(right, op)
    return left < cut(right, op)


# -- sums and differences at the precision of their operands -------------------------------

#: Decades from 10^6 on: at 10^d (d >= 6) a decimal of 15 digits has 14 - d places.
_DECADES = [10.0**d for d in range(6, 309)]
_SCALES = [10.0**k for k in range(309)]  # exact up to 10^22; beyond, past 10^15 anyway
_DECADE_ARRAY, _SCALE_ARRAY = np.array(_DECADES), np.array(_SCALES)
_NINE_PLACES = _SCALES[PLACES]
#: A bound on float64's error, in grid units per unit of (|operands| + |result|) x scale:
#: the representation of the operands, the sum and the scaling each add at most 2^-53.
#: Where the scaled float lies farther than this from a half, its nearest whole number is
#: the exact decimal's nearest grid point; elsewhere the decimals are worked out exactly.
ERROR = 2.0**-51

_EXACT = decimal.Context(prec=80, rounding=decimal.ROUND_HALF_EVEN)


def _places(magnitude: float) -> int:
    """Decimal places of the grid at `magnitude`: 9 below 10^6, then 15 digits' worth."""
    return PLACES - bisect_right(_DECADES, magnitude)


def exactly_on_grid(value: decimal.Decimal, magnitude: float) -> float:
    """`value`, an exact decimal, rounded half-even to the grid at `magnitude`."""
    grid = decimal.Decimal(1).scaleb(-_places(magnitude))
    return float(value.quantize(grid, context=_EXACT)) + 0.0


def on_grid_one(
    result: float, magnitude: float, spread: float, exact: Callable[[], float]
) -> float:
    """`result` on the grid at `magnitude`; `exact()` where float64 cannot tell the side.

    `spread` is |operands| + |result|, from which the float error is bounded (`ERROR`).
    """
    if result != result or not magnitude < math.inf:  # noqa: PLR0124  # NaN, infinity
        return result
    places = _places(magnitude)
    scale = _SCALES[abs(places)]
    scaled = result * scale if places >= 0 else result / scale
    whole = round(scaled)
    if 0.5 - abs(scaled - whole) > (spread * scale if places >= 0 else spread / scale) * ERROR:
        return whole / scale if places >= 0 else whole * scale
    return exact()


def _on_grid(
    result: Array,
    magnitudes: Callable[[], Array],
    spread: Callable[[], Array],
    widest: float,
    exact: Callable[[int], float],
) -> Array:
    """`on_grid_one` for every row at once; `exact(row)` only for the rows it needs.

    `magnitudes()` gives each row's magnitude, which picks its grid, and `spread()` its
    |operands| + |result|; `widest` bounds the spreads. Both are worked out only if needed.
    """
    if widest < 2 * GRID_FROM:  # every row on the grid of 9 places: the short way
        return _on_nine_places(result, spread, widest, exact)
    magnitude, spreads = magnitudes(), spread()
    places = PLACES - np.searchsorted(_DECADE_ARRAY, magnitude, side="right")
    scale = _SCALE_ARRAY[np.minimum(np.abs(places), len(_SCALES) - 1)]
    multiply = places >= 0
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = np.where(multiply, result * scale, result / scale)
        whole = np.rint(scaled)
        bound = np.where(multiply, spreads * scale, spreads / scale) * ERROR
        out: Array = np.where(multiply, whole / scale, whole * scale) + 0.0
        unsure = ~(0.5 - np.abs(scaled - whole) > bound)
    unsure &= np.isfinite(result) & np.isfinite(magnitude)
    for row in np.flatnonzero(unsure).tolist():
        out[row] = exact(row)
    return out


def _on_nine_places(
    result: Array, spread: Callable[[], Array], widest: float, exact: Callable[[int], float]
) -> Array:
    """`_on_grid` where every magnitude is below 10^6: fewer passes over the rows.

    Rows farther from a half than the widest bound are sure without their own bound; the
    others (ties, mostly) are decided row by row as `on_grid_one` decides them.
    """
    # Two buffers instead of five: at 10^6 rows each new one costs its page faults. No
    # `errstate`: every value is finite (below 10^6) or NaN, which no operation here
    # overflows or makes invalid, and entering one costs more than the passes at 10^3.
    distance = np.multiply(result, _NINE_PLACES)
    out: Array = np.rint(distance)
    np.subtract(distance, out, out=distance)
    np.abs(distance, out=distance)
    np.divide(out, _NINE_PLACES, out=out)
    out += 0.0
    if not np.fmax.reduce(distance, axis=None, initial=0.0) >= 0.5 - widest * _NINE_PLACES * ERROR:
        return out
    with np.errstate(invalid="ignore", over="ignore"):
        unsure = ~(0.5 - distance > spread() * _NINE_PLACES * ERROR) & np.isfinite(result)
    for row in np.flatnonzero(unsure).tolist():
        out[row] = exact(row)
    return out


def resolve(values: Array, *, largest: float | None = None) -> Array:
    """Each value as the decimal it stands for: 9 places, at most 15 significant digits.

    `values` itself when nothing changes (no copy is kept). `largest`, the largest
    magnitude (NaN skipped), when the caller has it already: two passes fewer.

    Examples:
        >>> resolve(np.array([79.9999999999, 2380000000.000001, 0.1])).tolist()
        [80.0, 2380000000.0, 0.1]
    """
    values = np.asarray(values, dtype=np.float64)

    def magnitudes() -> Array:
        return np.abs(values)

    def exact(row: int) -> float:  # the float's own value decides, digit for digit
        value = float(values[row])
        return exactly_on_grid(decimal.Decimal(value), abs(value))

    def spread() -> Array:
        with np.errstate(over="ignore"):  # near float64's largest: the bound is infinite
            twice: Array = 2 * np.abs(values)
        return twice

    # A Python float: near float64's largest, twice it is infinite without a warning.
    widest = 2 * float(_largest(values) if largest is None else largest)
    resolved = _on_grid(values, magnitudes, spread, widest, exact)
    # Bit for bit (-0.0 becomes 0.0, as one region's Python `round` gives).
    same = np.array_equal(resolved.view(np.uint64), values.view(np.uint64))
    return values if same else resolved


def resolve_one(value: float) -> float:
    """`resolve` of one number: the same operations.

    Examples:
        >>> resolve_one(123456789012345.67), resolve_one(4734900000.0333748)
        (123456789012346.0, 4734900000.03337)
    """
    magnitude = abs(value)
    return on_grid_one(
        value,
        magnitude,
        2 * magnitude,
        lambda: exactly_on_grid(decimal.Decimal(float(value)), magnitude),
    )


def _operate(op: str, left: Array, right: Array) -> Array:
    shape: tuple[int, ...] | None = None  # the operands' own shape: nothing to reshape
    if _one_column(left, right):  # the evaluator's usual case: the broadcast is numpy's
        a, b = left, right
    else:
        shape = np.broadcast_shapes(np.shape(left), np.shape(right))  # () for two constants
        a, b = np.broadcast_arrays(
            np.atleast_1d(np.asarray(left, dtype=np.float64)),
            np.atleast_1d(np.asarray(right, dtype=np.float64)),
        )
    result = np.add(a, b) if op == "+" else np.subtract(a, b)
    widest = 4 * max(_largest(a), _largest(b))  # |a| + |b| + |a ± b| <= 4 max(|a|, |b|)

    def magnitudes() -> Array:
        larger: Array = np.fmax(np.abs(a), np.abs(b))
        return larger

    def spread() -> Array:
        with np.errstate(over="ignore", invalid="ignore"):
            total: Array = np.abs(a) + np.abs(b) + np.abs(result)
        return total

    def exact(row: int) -> float:
        x, y = _at_row(a, row), _at_row(b, row)
        return _exact_operation(op, x, y, max(abs(x), abs(y)))

    on_grid = _on_grid(result, magnitudes, spread, widest, exact)
    return on_grid if shape is None else on_grid.reshape(shape)


def _one_column(left: Array, right: Array) -> bool:
    """Whether two float64 operands are one column and a column or a number (no copies).

    Then numpy's own broadcast gives every row the float `broadcast_arrays` would: the
    same sums, the same largest magnitudes.
    """
    operands = (left, right)
    if not all(type(x) in _FLOATS and x.dtype == np.float64 for x in operands):
        return False
    dims = (left.ndim, right.ndim)
    return dims in ((1, 0), (0, 1)) or (dims == (1, 1) and left.shape == right.shape)


_FLOATS = (np.ndarray, np.float64)


def _at_row(values: Array, row: int) -> float:
    """A row's operand: a number is every row's."""
    return float(values[row] if values.ndim else values)


def exact_difference(stop: float, start: float) -> float:
    """`stop - start` of two decimals exactly, as the nearest float (a `linear` width).

    Examples:
        >>> exact_difference(1000000000.5, 1000000000.3), 1000000000.5 - 1000000000.3
        (0.2, 0.20000004768371582)
    """
    return float(_EXACT.subtract(decimal_of(stop), decimal_of(start)))


def _exact_operation(op: str, left: float, right: float, magnitude: float) -> float:
    x, y = decimal_of(left), decimal_of(right)
    return exactly_on_grid(_EXACT.add(x, y) if op == "+" else _EXACT.subtract(x, y), magnitude)


def add(left: Array, right: Array) -> Array:
    """`left + right` as decimals, on the grid of the larger operand (half-even).

    Float64 addition is off by up to half a unit in the last binary place of the larger
    operand, which a difference of large numbers makes visible (1000000000.3 -
    1000000000.2 is 0.100000024 in float64); the result is put on the decimal grid of the
    larger operand, and where float64 cannot tell which grid point is nearest, the
    operands' decimals are added exactly.
    """
    return _operate("+", left, right)


def subtract(left: Array, right: Array) -> Array:
    """`left - right` as decimals (see `add`).

    Examples:
        >>> subtract(np.array([1000000000.3]), np.array([1000000000.2])).tolist()
        [0.1]
    """
    return _operate("-", left, right)


def grid_operation(op: str, left: float, right: float, result: float) -> float:
    """`add`/`subtract` of two numbers, given their float result: the same operations."""
    magnitude = max(abs(left), abs(right))
    spread = abs(left) + abs(right) + abs(result)
    return on_grid_one(
        result, magnitude, spread, lambda: _exact_operation(op, left, right, magnitude)
    )


# -- rounding ------------------------------------------------------------------------------


def _half_up(y: Array, out: Array) -> None:
    np.abs(y, out=out)
    out += 0.5
    np.floor(out, out=out)
    np.copysign(out, y, out=out)


def _half_down(y: Array, out: Array) -> None:
    np.abs(y, out=out)
    out -= 0.5
    np.ceil(out, out=out)
    np.copysign(out, y, out=out)


def _up(y: Array, out: Array) -> None:
    np.abs(y, out=out)
    np.ceil(out, out=out)
    np.copysign(out, y, out=out)


#: Each mode written into `out` (which may not be `y`): no temporary of its own.
_MODES: dict[str, Callable[[Array, Array], object]] = {
    "half_up": _half_up,
    "half_down": _half_down,
    "half_even": lambda y, out: np.round(y, out=out),
    "up": _up,
    "down": lambda y, out: np.trunc(y, out=out),
    "floor": lambda y, out: np.floor(y, out=out),
    "ceiling": lambda y, out: np.ceil(y, out=out),
}


def round_to(values: Array, places: int, mode: str) -> Array:
    """Round like `decimal.Decimal.quantize` with the given mode ('half_up', ...).

    A mode decides only at whole and half units of the last place kept; a value within
    its tolerance of one of those is that decimal with float noise, so it is moved onto
    it first (at 9 places only whole units are decimals: there is no half to tie on).

    Examples:
        >>> round_to(np.array([600.005, 1.005, -2.5, 8388608.005]), 2, "half_up").tolist()
        [600.01, 1.01, -2.5, 8388608.01]
        >>> round_to(np.array([2.5, 3.5, 8388608.005]), 0, "half_even").tolist()
        [2.0, 4.0, 8388608.0]
    """
    if ndim(values) == 0:  # one number (a constant): the same operations on one row
        return round_to(np.atleast_1d(values), places, mode)[0]  # type: ignore[no-any-return]
    return round_watched(values, places, mode, _unwatched)[0]


def _unwatched(_scaled: Array, _distance: Array) -> None:
    """The watch of a plain `round_to`: sees nothing."""


def round_watched(
    values: Array, places: int, mode: str, watch: Callable[[Array, Array], _Seen]
) -> tuple[Array, _Seen]:
    """`round_to` of a column, and what `watch` sees of its work on the way.

    `watch(scaled, distance)` is called with the values in units of the last place kept
    and their distance to the nearest whole (or half) unit; it may overwrite the distance
    (not the scaled values). The exact re-decision (`exact.round_near`) starts from those
    instead of working them out again.
    """
    scale = 10.0**places
    step = 1.0 if places >= PLACES else 0.5
    tolerance = _one_tolerance(values, scale, step)
    if tolerance is not None:
        return _round_small(
            values, scale=scale, step=step, tolerance=tolerance, mode=mode, watch=watch
        )
    # In place, in four buffers (there were about ten): the same float operations.
    with np.errstate(over="ignore", invalid="ignore"):  # huge or infinite values stay as they are
        scaled = np.multiply(values, scale)
        near = np.abs(scaled)
        # From 2^52 on a float is whole in these units: it has no digit left to round.
        kept = near < _WHOLE_FROM
        # The tolerance in units of the last place, kept within half a step so that the
        # nearest candidate is the only one.
        near *= RELATIVE
        np.maximum(near, HALF_QUANTUM * scale, out=near)
        np.minimum(near, step / 2, out=near)
        distance, seen = _snap_and_round(
            scaled, scale=scale, step=step, tolerance=near, mode=mode, watch=watch
        )
    np.copyto(distance, values, where=np.logical_not(kept, out=kept))
    distance += 0.0  # turn -0.0 into 0.0
    return distance, seen


def _one_tolerance(values: Array, scale: float, step: float) -> float | None:
    """The tolerance of every row of `round_watched`, when one number is every row's.

    That is when no value is missing and the largest scaled magnitude is small enough
    that its relative tolerance stays below the absolute one: each row's `near`
    (`min(max(|v·scale|·RELATIVE, HALF_QUANTUM·scale), step/2)`) is then that same
    number, as float products grow with their operands, and no row reaches 2^52 units.
    Two reductions instead of a column of tolerances and of large-value masks.
    """
    if values.dtype != np.float64:
        return None
    low = np.minimum.reduce(values, axis=None, initial=np.inf)
    high = np.maximum.reduce(values, axis=None, initial=-np.inf)
    if math.isnan(low) or math.isnan(high):  # a missing value: the general path's NaNs
        return None
    top = max(abs(float(low)), abs(float(high))) * scale
    if not (top < _WHOLE_FROM and top * RELATIVE <= HALF_QUANTUM * scale):
        return None
    return min(HALF_QUANTUM * scale, step / 2)


def _round_small(
    values: Array,
    *,
    scale: float,
    step: float,
    tolerance: float,
    mode: str,
    watch: Callable[[Array, Array], _Seen],
) -> tuple[Array, _Seen]:
    """`round_watched` when `_one_tolerance` found one: the same float operations.

    No `errstate`: every value is finite and below 2^52 units, which nothing here
    overflows or makes invalid, and entering one costs more than a pass at 10^3 rows.
    """
    scaled = np.multiply(values, scale)
    distance, seen = _snap_and_round(
        scaled, scale=scale, step=step, tolerance=tolerance, mode=mode, watch=watch
    )
    distance += 0.0  # turn -0.0 into 0.0
    return distance, seen


def _snap_and_round(
    scaled: Array,
    *,
    scale: float,
    step: float,
    tolerance: Array | float,
    mode: str,
    watch: Callable[[Array, Array], _Seen],
) -> tuple[Array, _Seen]:
    """Scaled values snapped to their step within `tolerance`, rounded by `mode`, unscaled.

    `scaled`: in units of the last place kept (overwritten); `tolerance`: a float's error
    there. Also what `watch` saw.
    """
    nearest = _nearest(scaled, step)
    distance = np.subtract(scaled, nearest)
    np.abs(distance, out=distance)
    snap = distance <= tolerance
    seen = watch(scaled, distance)
    np.copyto(scaled, nearest, where=snap)
    _MODES[mode](scaled, distance)
    distance /= scale
    return distance, seen


def _nearest(scaled: Array, step: float) -> Array:
    """`rint(scaled / step) * step` for a step of 1 or 1/2: dividing by 1/2 is doubling."""
    nearest = np.rint(scaled) if step == 1.0 else np.multiply(scaled, 2.0)
    if step != 1.0:
        np.rint(nearest, out=nearest)
        nearest *= step
    return nearest


#: Each rounding mode on one scaled float (`round_one`; the one-region code calls them too).
ONE_MODES: dict[str, Callable[[float], float]] = {
    "half_up": lambda y: math.copysign(math.floor(abs(y) + 0.5), y),
    "half_down": lambda y: math.copysign(math.ceil(abs(y) - 0.5), y),
    "half_even": lambda y: float(round(y)),
    "up": lambda y: math.copysign(math.ceil(abs(y)), y),
    "down": lambda y: float(math.trunc(y)),
    "floor": lambda y: float(math.floor(y)),
    "ceiling": lambda y: float(math.ceil(y)),
}


def round_one(value: float, places: int, mode: str) -> float:
    """`round_to` of one number, in plain Python: the same float operations, step by step.

    Examples:
        >>> round_one(600.005, 2, "half_up"), round_one(8388608.005, 2, "half_even")
        (600.01, 8388608.0)
    """
    if value != value:  # noqa: PLR0124  # missing
        return value
    scale = 10.0**places
    scaled = value * scale
    if not abs(scaled) < _WHOLE_FROM:
        return value + 0.0
    step = 1.0 if places >= PLACES else 0.5
    nearest = round(scaled / step) * step
    near = min(max(abs(scaled) * RELATIVE, HALF_QUANTUM * scale), step / 2)
    snapped = nearest if abs(scaled - nearest) <= near else scaled
    return ONE_MODES[mode](snapped) / scale + 0.0
