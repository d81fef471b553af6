"""Decimal semantics on float arrays: comparisons and rounding that do not slip.

Values are computed in float64, whose errors are far below 10⁻⁹ for scores of this size.
We take every value as the decimal it stands for at 9 places: two values closer than
half of 10⁻⁹ compare equal, and rounding first removes that noise. So `0.1 + 0.2 >= 0.3`
holds and `600.005` rounded half-up to 2 places is 600.01, as with `decimal.Decimal`,
for any data with at most 9 decimal places.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

__all__ = ["HALF_QUANTUM", "compare", "has_nan", "holds", "round_to", "thresholds"]

Array = npt.NDArray[np.float64]

#: Half of the smallest decimal step we resolve (10⁻⁹).
HALF_QUANTUM = 5e-10
PLACES = 9


def has_nan(values: Array) -> bool:
    """Whether any value is NaN, in one pass and no mask: the minimum is NaN then."""
    return bool(np.isnan(np.minimum.reduce(values, axis=None, initial=np.inf)))


#: Each comparison as a ufunc on the difference and the threshold it is compared with.
_COMPARISONS: dict[str, tuple[np.ufunc, float, bool]] = {  # (ufunc, threshold, on |diff|)
    ">=": (np.greater, -HALF_QUANTUM, False),
    ">": (np.greater, HALF_QUANTUM, False),
    "<=": (np.less, HALF_QUANTUM, False),
    "<": (np.less, -HALF_QUANTUM, False),
    "==": (np.less, HALF_QUANTUM, True),
    "!=": (np.greater_equal, HALF_QUANTUM, True),
}


def compare(op: str, left: Array, right: Array | float) -> Array:
    """Compare with decimal semantics; 1.0 true, 0.0 false, NaN where a side is missing."""
    ufunc, threshold, absolute = _COMPARISONS[op]
    diff = np.subtract(left, right)
    if diff.ndim == 0:  # two constants
        held = ufunc(abs(diff) if absolute else diff, threshold)
        return np.float64(np.nan if np.isnan(diff) else held)  # type: ignore[return-value]  # broadcasts
    missing = np.isnan(diff) if has_nan(diff) else None
    if absolute:
        np.abs(diff, out=diff)
    # The truth written over the difference, as 0.0/1.0: no other array is allocated.
    out: Array = ufunc(diff, threshold, out=diff)
    if missing is not None:
        out[missing] = np.nan
    return out


def holds(op: str, left: float, right: float) -> bool:
    """`compare` of two numbers, as a truth: false where one is missing.

    Examples:
        >>> holds(">=", 0.1 + 0.2, 0.3), holds("<", 0.3, 0.1 + 0.2), holds("<", np.nan, 1.0)
        (True, False, False)
    """
    ufunc, threshold, absolute = _COMPARISONS[op]
    diff = left - right
    return bool(ufunc(abs(diff) if absolute else diff, threshold))


def _half_up(y: Array) -> Array:
    return np.copysign(np.floor(np.abs(y) + 0.5), y)


def _half_down(y: Array) -> Array:
    return np.copysign(np.ceil(np.abs(y) - 0.5), y)


def _up(y: Array) -> Array:
    return np.copysign(np.ceil(np.abs(y)), y)


_MODES: dict[str, Callable[[Array], Array]] = {
    "half_up": _half_up,
    "half_down": _half_down,
    "half_even": np.round,
    "up": _up,
    "down": np.trunc,
    "floor": np.floor,
    "ceiling": np.ceil,
}


def round_to(values: Array, places: int, mode: str) -> Array:
    """Round like `decimal.Decimal.quantize` with the given mode ('half_up', ...).

    Examples:
        >>> round_to(np.array([600.005, 1.005, -2.5]), 2, "half_up").tolist()
        [600.01, 1.01, -2.5]
        >>> round_to(np.array([2.5, 3.5]), 0, "half_even").tolist()
        [2.0, 4.0]
    """
    scale = 10.0**places
    scaled = np.round(values * scale, max(PLACES - places, 0))  # drop float noise first
    result: Array = _MODES[mode](scaled) / scale
    return result + 0.0  # turn -0.0 into 0.0


def thresholds(edges: list[tuple[float, bool]]) -> Array:
    """Cut points for `searchsorted`: (edge, value at edge goes up) → shifted edge.

    A value moves past an edge when it is greater than the returned cut point, so an edge
    whose own value belongs above is moved down by half a quantum, otherwise up.
    """
    return np.array(
        [edge - HALF_QUANTUM if goes_up else edge + HALF_QUANTUM for edge, goes_up in edges],
        dtype=np.float64,
    )
