"""Interval analysis: the smallest and largest value each node can take, exactly.

Bounds are `Fraction`s (exact, so a band edge at 600.005 is not blurred by floats);
`None` means unbounded. `check` uses them to find dead bands, unreachable tiers, gaps
that matter and maxima that do not add up.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from fractions import Fraction

import attrs

from indikator.decimals import DECIMAL_MODES
from indikator.messages import Message

__all__ = ["UNBOUNDED", "UNIT", "Range"]

Bound = Fraction | None


@attrs.frozen
class Range:
    """A closed range [lo, hi]; `None` ends are unbounded."""

    lo: Bound
    hi: Bound

    @classmethod
    def point(cls, value: Fraction) -> Range:
        """The range holding one value."""
        return cls(value, value)

    @property
    def bounded(self) -> bool:
        """Whether both ends are finite."""
        return self.lo is not None and self.hi is not None

    def hull(self, other: Range) -> Range:
        """The smallest range holding both."""
        lo = None if self.lo is None or other.lo is None else min(self.lo, other.lo)
        hi = None if self.hi is None or other.hi is None else max(self.hi, other.hi)
        return Range(lo, hi)

    def __add__(self, other: Range) -> Range:
        return Range(_add(self.lo, other.lo), _add(self.hi, other.hi))

    def __neg__(self) -> Range:
        return Range(_neg(self.hi), _neg(self.lo))

    def __sub__(self, other: Range) -> Range:
        return self + (-other)

    def __mul__(self, other: Range) -> Range:
        if not (self.bounded and other.bounded):
            if ZERO in {self, other}:
                return ZERO
            return UNBOUNDED
        ends = [e for e in (self.lo, self.hi, other.lo, other.hi) if e is not None]
        products = [a * b for a in ends[:2] for b in ends[2:]]
        return Range(min(products), max(products))

    def __truediv__(self, other: Range) -> Range:
        if other.lo is None or other.hi is None or other.lo <= 0 <= other.hi:
            return UNBOUNDED
        return self * Range(1 / other.hi, 1 / other.lo)

    def minimum(self, other: Range) -> Range:
        """Range of min(a, b)."""
        return Range(_min(self.lo, other.lo, unbounded_wins=True), _min(self.hi, other.hi))

    def maximum(self, other: Range) -> Range:
        """Range of max(a, b)."""
        return Range(_max(self.lo, other.lo), _max(self.hi, other.hi, unbounded_wins=True))

    def overlaps(self, lo: Bound, hi: Bound, *, lo_closed: bool, hi_closed: bool) -> bool:
        """Whether any value of this range lies in the interval lo..hi."""
        if (
            lo is not None
            and self.hi is not None
            and (self.hi < lo or (self.hi == lo and not lo_closed))
        ):
            return False
        return not (
            hi is not None
            and self.lo is not None
            and (self.lo > hi or (self.lo == hi and not hi_closed))
        )

    def describe(self) -> Message:
        """For messages: '0 to 100', '-inf to 5'."""
        return Message("range", low=_text(self.lo, "-inf"), high=_text(self.hi, "inf"))


def _add(a: Bound, b: Bound) -> Bound:
    return None if a is None or b is None else a + b


def _neg(a: Bound) -> Bound:
    return None if a is None else -a


def _min(a: Bound, b: Bound, *, unbounded_wins: bool = False) -> Bound:
    if a is None or b is None:
        return None if unbounded_wins else (a if b is None else b)
    return min(a, b)


def _max(a: Bound, b: Bound, *, unbounded_wins: bool = False) -> Bound:
    if a is None or b is None:
        return None if unbounded_wins else (a if b is None else b)
    return max(a, b)


def _text(value: Bound, infinite: str) -> str:
    if value is None:
        return infinite
    return format_number(value)


def format_number(value: Fraction) -> str:
    """A fraction as a short decimal: 600.5, 1000, 99.999999999 (exact), 0.333333 (1/3).

    Examples:
        >>> [format_number(Fraction(x)) for x in ("600.5", "99.999999999", "-0.25", "1/3")]
        ['600.5', '99.999999999', '-0.25', '0.333333']
    """
    if value.denominator == 1:
        return str(value.numerator)
    if abs(value) >= 10**15:  # beyond what a float shows to 6 places (and past 10^308, at all)
        return str(round(value))
    scaled = value * 10**9
    if scaled.denominator == 1:  # a decimal of at most 9 places, as written: 99.999999999
        whole, rest = divmod(abs(scaled.numerator), 10**9)
        sign = "-" if value < 0 else ""
        return f"{sign}{whole}.{rest:09d}".rstrip("0").rstrip(".")
    return f"{float(value):.6f}".rstrip("0").rstrip(".")


def hull_all(ranges: Iterable[Range]) -> Range:
    """The hull of several ranges (they must not be empty)."""
    ranges = list(ranges)
    result = ranges[0]
    for item in ranges[1:]:
        result = result.hull(item)
    return result


UNBOUNDED = Range(None, None)
ZERO = Range(Fraction(0), Fraction(0))
UNIT = Range(Fraction(0), Fraction(1))

__all__ += ["ZERO", "format_number", "hull_all"]


def rounded_range(rng: Range, places: int, mode: str) -> Range:
    """Both ends rounded to `places` with `mode` (every mode is monotone: this is exact).

    Examples:
        >>> rounded_range(Range(Fraction(746, 100), Fraction(749, 100)), 1, "half_up")
        Range(lo=Fraction(15, 2), hi=Fraction(15, 2))
    """
    quantum = decimal.Decimal(1).scaleb(-places)
    context = decimal.Context(prec=60)

    def rounded(value: Bound) -> Bound:
        if value is None:
            return None
        exact = context.divide(decimal.Decimal(value.numerator), decimal.Decimal(value.denominator))
        return Fraction(exact.quantize(quantum, rounding=DECIMAL_MODES[mode]))

    return Range(rounded(rng.lo), rounded(rng.hi))
