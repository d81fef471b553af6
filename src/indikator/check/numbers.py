"""The numbers a ruleset writes: decimals the evaluator holds exactly, and parameter values.

Every literal and parameter goes through here: at most 10^15 (IK411), at most 9 decimal
places and 15 significant digits (IK412), a `round` clause of at most 9 places; a value
that names a definition must name a parameter (IK202).
"""

from __future__ import annotations

import math
from fractions import Fraction

from indikator import nodes as n
from indikator.check.facts import Facts, error
from indikator.constants import DivisionByZeroError, fold, leaves
from indikator.decimals import LARGEST as _LARGEST
from indikator.decimals import PLACES, SIGNIFICANT
from indikator.errors import Span
from indikator.messages import Message

__all__ = [
    "LARGEST",
    "bound",
    "magnitude",
    "places_ok",
    "precision_problem",
    "scale_ends",
    "value",
]

# Float64 holds every decimal of 15 significant digits exactly; `decimals` says why 10^15.
LARGEST = Fraction(_LARGEST)


def magnitude(facts: Facts, number: Fraction, span: Span) -> None:
    """Numbers must be decimals the evaluator holds exactly (see `numeric`).

    At most 10^15 (IK411), at most 9 decimal places and 15 significant digits (IK412).
    """
    if abs(number) > LARGEST:
        # Not str(number) nor float(number): either fails on thousands of digits.
        size = math.log10(abs(number.numerator)) - math.log10(number.denominator)
        digits = math.floor(size) + 1
        facts.problems.append(
            error(
                "IK411",
                Message("check.too_large", digits=digits),
                span,
                Message("check.hint_too_large"),
            )
        )
        return
    problem = precision_problem(number)
    if problem is not None:
        facts.problems.append(error("IK412", problem, span, Message("check.hint_too_precise")))


def places_ok(facts: Facts, rounding: n.Rounding) -> bool:
    """A `round` clause keeps at most the 9 places numbers have (IK412)."""
    if rounding.places <= PLACES:
        return True
    facts.problems.append(
        error("IK412", Message("check.round_places", places=rounding.places), rounding.span)
    )
    return False


def value(facts: Facts, written: n.Value) -> Fraction:
    """The exact value of a number, a parameter or a constant expression (0 after a problem).

    A constant is folded exactly (`constants.fold`); each name it reads must be a parameter
    (IK202), a divisor must not be zero (IK414), the folded number must fit (IK411).
    """
    if isinstance(written, n.Number):
        magnitude(facts, Fraction(written.value), written.span)
        return Fraction(written.value)
    if isinstance(written, n.Ref):
        return _param(facts, written)
    reported = len(facts.problems)
    try:
        folded = fold(written, lambda leaf: value(facts, leaf))
    except DivisionByZeroError as zero:
        facts.problems.append(
            error(
                "IK414",
                Message("friction.divides_by_zero"),
                zero.span,
                Message("friction.hint_divides_by_zero"),
            )
        )
        return Fraction(0)
    if len(facts.problems) > reported:
        return Fraction(0)  # a leaf's own problem is reported: no second one for the whole
    if abs(folded) > LARGEST:
        magnitude(facts, folded, written.span)
        return Fraction(0)
    return folded


def _param(facts: Facts, written: n.Ref) -> Fraction:
    if written.name in facts.params:
        return facts.params[written.name]
    if written.name in facts.defs:
        facts.problems.append(
            error(
                "IK202",
                Message("check.not_a_param", name=written.name),
                written.span,
            )
        )
    return Fraction(0)


def scale_ends(facts: Facts, written: tuple[n.Value, n.Value]) -> tuple[Fraction, Fraction] | None:
    """`scale 0 to maks`: both ends folded with the parameters' values (None after a problem).

    The header is checked before any definition, so the parameters' written values are
    read here, under the overrides.
    """
    declared = {
        d.name: Fraction(d.value) for d in facts.linked.definitions if isinstance(d, n.Param)
    }
    overrides = facts.params
    facts.params = {**declared, **overrides}
    reported = len(facts.problems)
    try:
        ends = value(facts, written[0]), value(facts, written[1])
        # An unknown name is IK201 (check.names); no scale, so nothing is checked against it.
        unknown = any(
            isinstance(leaf, n.Ref) and leaf.name not in facts.params
            for end in written
            for leaf in leaves(end)
        )
    finally:
        facts.params = overrides
    return None if unknown or len(facts.problems) > reported else ends


def bound(facts: Facts, written: n.Bound) -> Fraction | None:
    """An interval's end: a value, or None for infinity."""
    if isinstance(written, n.Infinity):
        return None
    return value(facts, written)


def precision_problem(number: Fraction) -> Message | None:
    """Why `number` is not a decimal of at most 9 places and 15 significant digits, if not.

    Examples:
        >>> precision_problem(Fraction("123456789012345")) is None
        True
        >>> [precision_problem(x).key for x in (Fraction("1234567890123456"), Fraction(1, 3))]
        ['check.too_many_digits', 'check.too_many_places']
    """
    scaled = number * 10**PLACES
    if scaled.denominator != 1:
        return Message("check.too_many_places", places=PLACES)
    digits = str(abs(scaled.numerator)).rstrip("0") or "0"  # |number| <= 10^15: short
    if len(digits) > SIGNIFICANT:
        return Message("check.too_many_digits", digits=SIGNIFICANT)
    return None
