"""Exact re-decision of the few values that float64 alone cannot place beside an edge.

A value computed by division (a mean or weighted group, `percent`, `linear`, `/`) is not
a decimal on the language's grid, and its float is off from the exact value by a few
units in the last place. Against an edge, the language's rule (equal when closer than
the tolerance) is decided by the float's cut point (`numeric.cut`); where the float lies
within its own error bound of a cut point, the float cannot tell the side. Those rows
(none, or very few, in real data) are worked out again here with exact arithmetic
(`Fraction`) from the plan, and the edge is decided by the exact rule: tier edges, band
edges, comparisons (with a constant or of two columns), an indicator's default "met"
and the steps where rounding decides (a `round` clause or `round()`), each where its
value is computed (not an input or a constant).

The bound (`NEAR`): every float operation of the plan rounds once, with a relative error
of at most 2⁻⁵³; a value the plan computes goes through a chain of such operations, each
step a sum of non-negative shares, a product, a quotient or a decimal put on its grid,
so its relative error is at most k·2⁻⁵³ for a chain of k roundings. `NEAR` allows
k = 2048 (2⁻⁴²) of the value: far more than any plan's chain (a group of n members is
n + 4 roundings, a linear indicator 6, a `let` one per operation), and still a width of
only 2.3·10⁻¹³ of the value, so that at everyday magnitudes (below 2000) a value exactly
on an edge, half of 10⁻⁹ from its cut point, is never re-decided.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any, assert_never

import numpy as np
import numpy.typing as npt

from indikator import plan as p
from indikator.numeric import (
    DECIMAL_MODES,
    HALF_QUANTUM,
    HALF_QUANTUM_EXACT,
    MIRROR,
    PLACES,
    RELATIVE,
    RELATIVE_EXACT,
    cut,
    grid_exact,
    ndim,
    round_watched,
)

__all__ = [
    "NEAR",
    "band_index",
    "computed",
    "near",
    "near_one",
    "near_text",
    "on_grid",
    "reader",
    "round_near",
    "round_near_one",
    "rounded_and_near",
    "rounds_computed",
    "step_value",
    "tier_raw",
]

Array = npt.NDArray[np.float64]

#: Relative error bound of a computed value (see the module's notes): 2⁻⁴².
NEAR = 2.0**-42
_CONTEXT = decimal.Context(prec=200)

Value = Fraction | str | None


class Unknown(Exception):  # noqa: N818  # internal signal: the float decision stays
    """A value the exact evaluation cannot work out (a division by zero, a drawn plan)."""


def near(values: Array, cuts: Sequence[float]) -> npt.NDArray[np.bool_] | None:
    """The rows whose value lies within its float error bound of a cut point, or None.

    Two comparisons per cut point (about a millisecond for 10⁶ rows); NaN is near none.
    """
    found: npt.NDArray[np.bool_] | None = None
    for point in cuts:
        if ndim(point) or not math.isfinite(point):
            continue
        width = _width(point)
        rows = values >= point - width
        rows &= values <= point + width
        if rows.any():
            found = rows if found is None else found | rows
    return found


def _width(point: float) -> float:
    """Half the window around a cut point: `NEAR` of the larger of value and cut point.

    Inside the window |value| ≤ |cut|·(1 + 2·NEAR), so a thousandth more covers it, and
    the two float operations here are far below that thousandth.
    """
    return NEAR * abs(point) * 1.001


def near_text(value: str, cuts: Sequence[float]) -> str:
    """`near_one(value, cuts)` as Python source, for the one-region code.

    One interval test per finite cut point, its ends worked out as `near_one` does.
    """
    tests = [
        f"{point - _width(point)!r} <= {value} <= {point + _width(point)!r}"
        for point in cuts
        if math.isfinite(point)
    ]
    return " or ".join(tests) or "False"


def near_one(value: float, cuts: Sequence[float]) -> bool:
    """`near` for one value."""
    return any(
        point - _width(point) <= value <= point + _width(point)
        for point in cuts
        if math.isfinite(point)
    )


def round_near(values: Array, places: int) -> npt.NDArray[np.bool_] | None:
    """The rows whose rounding to `places` the float cannot decide, or None.

    `numeric.round_to` moves a value within its tolerance of a multiple of the step (a
    whole or, below 9 places, a half unit of the last place kept) onto it, and every mode
    decides at those multiples: its decisions fall at a multiple ± the tolerance. A row
    is unsure when its scaled value lies within its error bound of one of those.
    """
    scale = 10.0**places
    step = 1.0 if places >= PLACES else 0.5
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = np.multiply(values, scale)
        distance = np.multiply(scaled, 1.0 / step)  # 1 or 2: exact
        np.rint(distance, out=distance)
        distance *= step
        np.subtract(scaled, distance, out=distance)
        np.abs(distance, out=distance)
    return _near_rounding(values, scaled, distance, places)


def rounded_and_near(
    values: Array, places: int, mode: str
) -> tuple[Array, npt.NDArray[np.bool_] | None]:
    """`numeric.round_to` and `round_near` of a column, on the same scaled values."""
    return round_watched(
        values,
        places,
        mode,
        lambda scaled, distance: _near_rounding(values, scaled, distance, places),
    )


def _near_rounding(
    values: Array, scaled: Array, distance: Array, places: int
) -> npt.NDArray[np.bool_] | None:
    """`round_near` from the scaled values and their distance to the nearest step (used up)."""
    scale = 10.0**places
    step = 1.0 if places >= PLACES else 0.5
    with np.errstate(over="ignore", invalid="ignore"):
        high = np.fmax.reduce(values, axis=None, initial=-np.inf)
        low = np.fmin.reduce(values, axis=None, initial=np.inf)
        top = float(max(abs(high), abs(low))) * scale if values.size else 0.0
        if top * RELATIVE <= HALF_QUANTUM * scale:  # one tolerance for every row
            distance -= min(HALF_QUANTUM * scale, step / 2)
            np.abs(distance, out=distance)
            if not (distance <= top * (NEAR * 1.001)).any():
                return None  # (NaN is near nothing)
            rows = distance <= np.abs(scaled) * (NEAR * 1.001)
        else:
            size = np.abs(scaled)
            distance -= np.minimum(np.maximum(size * RELATIVE, HALF_QUANTUM * scale), step / 2)
            np.abs(distance, out=distance)
            rows = distance <= size * (NEAR * 1.001)
    if not rows.any():
        return None
    rows &= np.abs(scaled) < 2.0**52  # from there on a float has no digit left to round
    return rows


def round_near_one(value: float, places: int) -> bool:
    """`round_near` for one value."""
    if value != value:  # noqa: PLR0124  # missing
        return False
    scale = 10.0**places
    step = 1.0 if places >= PLACES else 0.5
    scaled = value * scale
    size = abs(scaled)
    if not size < 2.0**52:
        return False
    distance = abs(scaled - round(scaled / step) * step)
    near = min(max(size * RELATIVE, HALF_QUANTUM * scale), step / 2)
    return abs(distance - near) <= size * (NEAR * 1.001)


def rounds_computed(step: p.Step) -> bool:
    """Whether a step rounds a value that may be off its decimal (see `on_grid`)."""
    if step.rounding is None:
        return False
    return not (
        isinstance(step, p.IndicatorStep) and isinstance(step.scoring, p.BandsIR | p.OptionsIR)
    )


def against_constant(ir: p.Apply) -> tuple[int, str, float] | None:
    """For a comparison with one constant side: (the other side's index, op, edge)."""
    left, right = ir.args
    if isinstance(left, p.Const) and not isinstance(right, p.Const):
        side, op, edge = 1, MIRROR[ir.op], left.value
    elif isinstance(right, p.Const) and not isinstance(left, p.Const):
        side, op, edge = 0, ir.op, right.value
    else:
        return None
    if ndim(edge) or edge != edge:  # noqa: PLR0124  # per row, or missing
        return None
    return side, op, float(edge)


def near_between(left: Array, right: Array) -> npt.NDArray[np.bool_] | None:
    """The rows where a comparison of two columns is within its error bound of flipping.

    `numeric.compare` decides on the difference against the tolerance of the larger
    side: the decisions fall where |left - right| is that tolerance.
    """
    with np.errstate(invalid="ignore", over="ignore"):
        size = np.maximum(np.abs(left), np.abs(right))
        limit = np.maximum(size * RELATIVE, HALF_QUANTUM)
        gap = np.abs(np.abs(left - right) - limit)
        rows = gap <= size * (2 * NEAR * 1.001)
    return rows if rows.any() else None


def near_between_one(left: float, right: float) -> bool:
    """`near_between` for two numbers."""
    size = max(abs(left), abs(right))
    limit = max(size * RELATIVE, HALF_QUANTUM)
    return abs(abs(left - right) - limit) <= size * (2 * NEAR * 1.001)


def compare_cuts(op: str, edge: float) -> tuple[float, ...]:
    """The cut points through which `numeric.compare` decides `x op edge`."""
    if op in ("==", "!="):
        return (cut(edge, ">="), cut(edge, "<="))
    return (cut(edge, op),)


def expr_value(plan: p.Plan, ir: p.IR, read: Callable[[str], Any]) -> float | None:
    """An expression's value at a row worked out exactly, or None if missing or unknown."""
    row = _Row(plan, read)
    try:
        value = row.expr(ir)
    except Unknown:
        return None
    return float(value) + 0.0 if isinstance(value, Fraction) else None


def met_cuts(plan: p.Plan, step: p.IndicatorStep) -> tuple[float, ...]:
    """The cut point of an indicator's default "met" (points at their maximum).

    None where its points are decimals whatever the row (`on_grid`): the float decides.
    """
    if step.met is not None or on_grid(plan, step.name) or ndim(step.maximum):
        return ()
    return compare_cuts(">=", float(step.maximum))


def step_value(plan: p.Plan, name: str, read: Callable[[str], Any]) -> float | None:
    """A step's value at a row worked out exactly (rounding included), or None if unknown."""
    row = _Row(plan, read)
    try:
        value = row.load(name)
    except Unknown:
        return None
    return float(value) + 0.0 if isinstance(value, Fraction) else None


def _decimal(value: float) -> Fraction:
    return Fraction(decimal.Decimal(repr(float(value))))


def _tolerance(a: Fraction, b: Fraction) -> Fraction:
    return max(HALF_QUANTUM_EXACT, RELATIVE_EXACT * max(abs(a), abs(b)))


def _reaches(x: Fraction, edge: Fraction, closed: bool) -> bool:  # noqa: FBT001
    """`x >= edge` (closed) or `x > edge` by the language's rule, exactly."""
    difference = x - edge
    tolerance = _tolerance(x, edge)
    return difference > -tolerance if closed else difference >= tolerance


def _unit(value: Fraction) -> Fraction:
    """`value` clamped to 0..1."""
    return min(max(value, Fraction(0)), Fraction(1))


def _round(value: Fraction, places: int, mode: str) -> Fraction:
    """The decimal on the grid, then rounded to `places` in `mode`."""
    snapped = grid_exact(value)
    exact = _CONTEXT.divide(decimal.Decimal(snapped.numerator), snapped.denominator)
    return Fraction(
        exact.quantize(decimal.Decimal(1).scaleb(-places), rounding=DECIMAL_MODES[mode])
    )


class _Row:
    """One row of a plan worked out exactly; `read(name)` gives a column's float value."""

    def __init__(self, plan: p.Plan, read: Callable[[str], Any]) -> None:
        self.read = read
        self.steps = {step.name: step for step in plan.steps}
        self.cache: dict[str, Value] = {}

    def number(self, value: Any) -> Fraction:
        if np.ndim(value):
            raise Unknown  # a drawn plan: one number per row
        return _decimal(float(value))

    def load(self, name: str) -> Value:
        if name in self.cache:
            return self.cache[name]
        base = name.removesuffix(".met")
        step = self.steps.get(base)
        if step is None:  # an input (or a column from outside the steps)
            raw = self.read(name)
            if raw is None or (isinstance(raw, str) and raw == ""):
                return None
            if isinstance(raw, str):
                return raw
            number = float(raw)
            return None if number != number else _decimal(number)  # noqa: PLR0124
        # Only indicators have `.met`.
        result = self.met(step) if name.endswith(".met") else self.step(step)  # type: ignore[arg-type]
        self.cache[name] = result
        return result

    def step(self, step: p.Step) -> Value:
        match step:
            case p.IndicatorStep():
                raw = self.scoring(step.scoring)
                if raw is None:
                    excluded = any(
                        self.load(column) is None
                        for name in step.exclude_inputs
                        for column in (name, f"{name}.prev")
                        if self.has(column)
                    )
                    raw = None if excluded else Fraction(0)
                return self.rounded(raw, step.rounding)
            case p.LetStep():
                return self.rounded(self.expr(step.expr), step.rounding)
            case p.GroupStep():
                return self.rounded(self.group(step), step.rounding)

    def has(self, column: str) -> bool:
        try:
            self.read(column)
        except KeyError:
            return False
        return True

    def met(self, step: p.IndicatorStep) -> Value:
        if step.met is not None:
            return self.expr(step.met)
        points = self.load(step.name)
        if not isinstance(points, Fraction):
            return None
        return Fraction(_reaches(points, self.number(step.maximum), closed=True))

    @staticmethod
    def rounded(value: Value, rounding: tuple[int, str] | None) -> Value:
        if rounding is None or not isinstance(value, Fraction):
            return value
        return _round(value, *rounding)

    def scoring(self, scoring: p.ScoringIR) -> Value:
        match scoring:
            case p.BandsIR():
                x = self.expr(scoring.subject)
                if not isinstance(x, Fraction):
                    return None
                return self.number(scoring.points[self.band(x, scoring)])
            case p.LinearIR():
                x = self.expr(scoring.subject)
                if not isinstance(x, Fraction):
                    return None
                a, b = self.number(scoring.start), self.number(scoring.stop)
                low, high = self.number(scoring.low), self.number(scoring.high)
                share = _unit(grid_exact(x - a, max(abs(x), abs(a))) / (b - a))
                rest = _unit(grid_exact(b - x, max(abs(b), abs(x))) / (b - a))
                return low * rest + high * share
            case p.OptionsIR():
                code = self.expr(scoring.subject)
                if not isinstance(code, Fraction):
                    return None
                return self.number(scoring.points[int(code)])
            case p.FormulaIR():
                return self.expr(scoring.expr)

    def band(self, x: Fraction, bands: p.BandsIR) -> int:
        if len(bands.edges) != len(bands.cuts):
            raise Unknown
        index = 0
        for edge, closed in bands.edges:
            if (math.isinf(edge) and edge < 0) or _reaches(x, self.number(edge), closed):
                index += 1
        return index

    def group(self, step: p.GroupStep) -> Value:
        total, present, full = Fraction(0), Fraction(0), Fraction(0)
        for member, weight, maximum in zip(
            step.members, step.weights, step.member_maxima, strict=True
        ):
            points = self.load(member)
            scale = self.number(maximum) if step.aggregator == "sum" else self.number(weight)
            full += scale
            if not isinstance(points, Fraction):
                continue
            present += scale
            total += (
                points
                if step.aggregator == "sum"
                else points * self.number(weight) / self.number(maximum)
            )
        if present == 0:
            return None
        if step.aggregator == "sum":
            return total if present == full else total / present * full
        return total / present * self.number(step.maximum)

    def expr(self, ir: p.IR) -> Value:
        match ir:
            case p.Const(value=value):
                number = float(self.number(value)) if np.ndim(value) == 0 else math.nan
                return None if number != number else self.number(value)  # noqa: PLR0124
            case p.Load(name=name):
                return self.load(name)
        op = ir.op
        if op == "if":
            condition = self.expr(ir.args[0])
            if condition is None:
                return None
            return self.expr(ir.args[1] if condition == 1 else ir.args[2])
        if op == "all_met":
            passing = True
            for index in range(0, len(ir.args), 2):
                points, met = self.expr(ir.args[index]), self.expr(ir.args[index + 1])
                passing = passing and (met == 1 or points is None)
            return Fraction(passing)
        args = [self.expr(arg) for arg in ir.args]
        if op == "present":
            return Fraction(args[0] is not None)
        if op == "value_or":
            return args[1] if args[0] is None else args[0]
        if op in ("and", "or"):
            decisive = Fraction(0) if op == "and" else Fraction(1)
            if decisive in args:
                return decisive
            return None if None in args else 1 - decisive
        if any(arg is None for arg in args):
            return None
        xs: list[Fraction] = [arg for arg in args if isinstance(arg, Fraction)]
        if len(xs) != len(args):
            raise Unknown  # a text where a number goes (never in a checked plan)
        return self.operate(ir, xs)

    @staticmethod
    def operate(ir: p.Apply, xs: list[Fraction]) -> Fraction:
        match ir.op:
            case "add" | "sub":
                value = xs[0] + xs[1] if ir.op == "add" else xs[0] - xs[1]
                return grid_exact(value, max(abs(xs[0]), abs(xs[1])))
            case "mul":
                return xs[0] * xs[1]
            case "div":
                if xs[1] == 0:
                    raise Unknown
                return xs[0] / xs[1]
            case "neg":
                return -xs[0]
            case "<" | "<=" | "==" | "!=" | ">=" | ">":
                return Fraction(_compare(ir.op, xs[0], xs[1]))
            case "not":
                return 1 - xs[0]
            case "min":
                return min(xs)
            case "max":
                return max(xs)
            case "clamp":
                return min(max(xs[0], xs[1]), xs[2])
            case "abs":
                return abs(xs[0])
            case "round":
                return _round(xs[0], ir.places, ir.mode)
            case "sum":
                return sum(xs, Fraction(0))
            case "if" | "all_met" | "present" | "value_or" | "and" | "or":
                raise Unknown  # pragma: no cover  # decided in `expr` before the numbers
            case unknown:
                assert_never(unknown)  # a new op this evaluator forgets fails mypy


def _compare(op: str, x: Fraction, y: Fraction) -> bool:
    above, below = not _reaches(y, x, closed=False), not _reaches(x, y, closed=False)
    # above: not (y > x), i.e. x >= y; below: not (x > y), i.e. x <= y
    return {
        ">=": above,
        "<=": below,
        ">": not below,
        "<": not above,
        "==": above and below,
        "!=": not (above and below),
    }[op]


def computed(plan: p.Plan, subject: p.IR) -> bool:
    """Whether a value may be off its decimal: worked out from a column (not an input).

    An input is its decimal; an expression of constants only is one number for every
    row, decided the same way on both paths.
    """
    if isinstance(subject, p.Load):
        return subject.name.removesuffix(".prev") in _steps_of(plan)
    return _reads(subject)


@p.per_plan
def _steps_of(plan: p.Plan) -> Mapping[str, p.Step]:
    """The plan's steps by name, found once per plan (not a scan per question per call)."""
    # The first step of a name, as a scan from the start finds it.
    return {step.name: step for step in reversed(plan.steps)}


def _reads(ir: p.IR) -> bool:
    """Whether an expression reads a column."""
    if isinstance(ir, p.Load):
        return True
    return isinstance(ir, p.Apply) and any(_reads(arg) for arg in ir.args)


def on_grid(plan: p.Plan, name: str) -> bool:
    """Whether a step's value is a decimal on the grid whatever the row: the float decides.

    A rounded value, or the points of bands or options (numbers of the ruleset).
    """
    step = _steps_of(plan).get(name)
    if step is None or step.rounding is not None:
        return step is not None
    return isinstance(step, p.IndicatorStep) and isinstance(step.scoring, p.BandsIR | p.OptionsIR)


def band_index(plan: p.Plan, bands: p.BandsIR, read: Callable[[str], Any]) -> int | None:
    """The band of a row's subject, decided exactly; None for a missing subject or unknown."""
    row = _Row(plan, read)
    try:
        x = row.expr(bands.subject)
        return row.band(x, bands) if isinstance(x, Fraction) else None
    except Unknown:
        return None


def tier_raw(plan: p.Plan, read: Callable[[str], Any]) -> int | None:
    """The tier a row's score reaches (before gates), decided exactly; None if unknown."""
    classification = plan.classification
    if classification is None or len(classification.closed) != len(classification.lowers):
        return None
    row = _Row(plan, read)
    if classification.subject not in row.steps:
        return None  # a column worked out elsewhere (a sensitivity draw)
    try:
        score = row.load(classification.subject)
    except Unknown:
        return None
    if not isinstance(score, Fraction):
        return None
    raw = 0
    for lower, closed in zip(classification.lowers, classification.closed, strict=True):
        if np.ndim(lower):
            return None
        if (math.isinf(lower) and lower < 0) or _reaches(score, _decimal(lower), closed):
            raw += 1
    return raw


def reader(env: Mapping[str, Any], row: int) -> Callable[[str], Any]:
    """`read` for one row of the vectorised path's columns."""

    def read(name: str) -> Any:
        value = env[name]
        return value[row] if ndim(value) else value

    return read
