"""The plan with drawn parameters: one value per row where the plan holds a number.

Input: a checked `Analysis` and, for some parameters, one value per row (the rows are
draws x regions, see `sensitivity`). Output: a `Plan` that `evaluate.run` runs as it
runs any plan, and per row whether that row's draw keeps the ruleset's structure.

The plan's numbers are typed `float`; here some are float arrays, one value per row.
`evaluate` is written so that every number it reads from a plan broadcasts (bands,
options, linear ends, group weights and maxima, tier cuts), and `test_sensitivity`
checks every row against the plain plan of that row's parameters. Only `evaluate.run`
sees such a plan: the one-region path, explanations and advice never do.

Derived numbers follow the checker's rules elementwise: an indicator's maximum is its
declared `max`, else its highest band or option points, else the larger end of its
linear scale; a `sum` group's maximum is its members' maxima added up. Where a drawn
number would change a maximum that these rules cannot derive (a formula's range), the
parameter cannot be drawn (IK430). A row whose draw breaks the structure the checker
proved (band or tier edges out of order, points above a declared maximum, a linear
scale turned round) is marked invalid: the caller leaves that draw out and counts it.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import assert_never, cast

import attrs
import numpy as np
import numpy.typing as npt

from indikator import nodes as n
from indikator import plan as p
from indikator.check import Analysis
from indikator.errors import Diagnostic, RulesetError
from indikator.messages import Message
from indikator.numeric import HALF_QUANTUM, RELATIVE, round_to
from indikator.operations import Op

__all__ = ["check_assumed", "lower_drawn", "per_row"]

Array = npt.NDArray[np.float64]


def lower_drawn(
    analysis: Analysis,
    sources: Mapping[str, str],
    drawn: Mapping[str, Array],
) -> tuple[p.Plan, npt.NDArray[np.bool_]]:
    """The plan with `drawn` parameters (one value per row) and each row's validity.

    Raises `RulesetError` (IK430) for a parameter whose draws this plan cannot follow.
    """
    size = len(next(iter(drawn.values()))) if drawn else 0
    lowering = _Drawn(analysis, sources, drawn, size)
    plan = lowering.plan()
    return plan, lowering.valid


def check_assumed(
    analysis: Analysis, sources: Mapping[str, str], assumed: Mapping[str, float]
) -> None:
    """Refuse (IK430) when, at the assumed values, a derived maximum is not the checker's."""
    lowering = _Drawn(analysis, sources, {k: np.array([v]) for k, v in assumed.items()}, 1)
    lowering.plan()
    differ = lowering.differences()
    if differ:
        raise _cannot_draw(analysis, differ[0], "sensitivity.max_differs")


def per_row(values: Array | float) -> float:
    """A per-row array where the plan's type says float (see the module docstring)."""
    return cast("float", values)


def _is_drawn(number: float | Array) -> bool:
    return bool(np.ndim(number))


class _Drawn(p._Lowering):  # noqa: SLF001  # the plan's own lowering, with other numbers
    def __init__(
        self, analysis: Analysis, sources: Mapping[str, str], drawn: Mapping[str, Array], size: int
    ) -> None:
        super().__init__(analysis, sources)
        self.drawn = drawn
        self.valid = np.ones(size, dtype=bool)
        self.maxima: dict[str, Array] = {}
        self.reads_drawn: set[str] = set()  # definitions whose value depends on a draw
        self.ranges: dict[str, tuple[float, float]] = {}  # of those, elementwise

    # -- the numbers ------------------------------------------------------------------

    def number(self, value: n.Value | None) -> float:
        if isinstance(value, n.Ref) and value.name in self.drawn:
            return per_row(self.drawn[value.name])
        return super().number(value)

    def maximum(self, name: str) -> float:
        if name in self.maxima:
            return per_row(self.maxima[name])
        return super().maximum(name)

    def cuts(self, lowers: Sequence[tuple[n.Bound, bool]]) -> tuple[float, ...]:
        edges = [(self.bound_number(b), up) for b, up in lowers]
        self.keep_order([e for e, _ in edges])
        return tuple(
            per_row(_cut(e, up)) if _is_drawn(e) else float(_cut(e, up)) for e, up in edges
        )

    def bound_number(self, bound: n.Bound) -> float:
        return -np.inf if isinstance(bound, n.Infinity) else self.number(bound)

    def keep_order(self, edges: Sequence[float]) -> None:
        """Rows whose drawn edges are not strictly ascending are invalid."""
        for below, above in itertools.pairwise(edges):
            if _is_drawn(below) or _is_drawn(above):
                self.valid &= np.less(below, above)

    # -- definitions whose maximum follows a draw --------------------------------------

    def indicator(self, indicator: n.Indicator) -> p.IndicatorStep:
        maximum = self.indicator_maximum(indicator)
        if maximum is not None:
            self.maxima[indicator.name] = maximum
        step = super().indicator(indicator)
        if _ir_reads_drawn(step.scoring, self.reads_drawn) or _is_drawn(step.maximum):
            self.reads_drawn.add(indicator.name)
        if isinstance(step.scoring, p.BandsIR):
            self.outer_edges(indicator, step.scoring)
        if isinstance(step.scoring, p.LinearIR):
            self.keep_direction(indicator, step.scoring)
        return step

    def indicator_maximum(self, indicator: n.Indicator) -> Array | None:
        """The maximum under the draws, or None when no draw changes it."""
        clauses = indicator.clauses
        low, top = self.points_range(indicator.scoring)
        if clauses.rounding is not None:
            low, top = (
                _round(end, (clauses.rounding.places, clauses.rounding.mode)) for end in (low, top)
            )
        if _is_drawn(low) or _is_drawn(top):
            self.ranges[indicator.name] = (low, top)
        if clauses.max is not None:
            declared = self.number(clauses.max)
            if _is_drawn(top) or _is_drawn(declared):
                # IK410 in the checker: no points above the declared maximum.
                self.valid &= np.less_equal(top, np.add(declared, HALF_QUANTUM))
            return np.asarray(declared) if _is_drawn(declared) else None
        return np.asarray(top, dtype=np.float64) if _is_drawn(top) else None

    def points_range(self, scoring: n.Scoring) -> tuple[float, float]:
        """The lowest and highest points a scoring gives (one value per row if drawn)."""
        match scoring:
            case n.Bands(rows=rows) | n.Options(rows=rows):
                return _hull([self.number(r.points) for r in rows])
            case n.Linear():
                return _hull([self.number(scoring.low), self.number(scoring.high)])
            case n.Formula(expr=expr):
                return self.interval(self.expr(expr))
        raise AssertionError(scoring)  # pragma: no cover

    def interval(self, ir: p.IR) -> tuple[float, float]:
        """The checker's interval arithmetic, elementwise (`differences` guards it)."""
        match ir:
            case p.Const(value=value):
                return value, value
            case p.Load(name=name):
                return self.range_of(name)
            case p.Apply(op=op, args=args):
                return _apply_interval(op, [self.interval(a) for a in args], ir)
        raise AssertionError(ir)  # pragma: no cover

    def range_of(self, column: str) -> tuple[float, float]:
        name, _, suffix = column.partition(".")
        if suffix == "met":
            return 0.0, 1.0
        if name in self.ranges:
            return self.ranges[name]
        found = self.a.ranges.get(name)
        if found is None:
            return -np.inf, np.inf
        return (
            -np.inf if found.lo is None else float(found.lo),
            np.inf if found.hi is None else float(found.hi),
        )

    def differences(self) -> list[str]:
        """Definitions whose derived maximum differs from the checker's in row 0.

        Lowered with the assumed values, the derivation must agree with the checker.
        """
        return [
            name
            for name, maximum in self.maxima.items()
            if not np.isclose(maximum[0], float(self.a.maxima[name]), rtol=1e-12, atol=0.0)
        ]

    def outer_edges(self, indicator: n.Indicator, bands: p.BandsIR) -> None:
        if any(edge is not None and _is_drawn(edge[0]) for edge in (bands.lowest, bands.highest)):
            # A value outside a drawn outer edge would be an error in one draw only.
            raise _cannot_draw(self.a, indicator.name, "sensitivity.outer_edge")
        rows = cast("n.Bands", indicator.scoring).rows
        inner = [self.bound_number(r.interval.low) for r in rows]
        high = rows[-1].interval.high
        self.keep_order([*inner, np.inf if isinstance(high, n.Infinity) else self.number(high)])

    def keep_direction(self, indicator: n.Indicator, linear: p.LinearIR) -> None:
        if _is_drawn(linear.start) or _is_drawn(linear.stop):
            scoring = cast("n.Linear", indicator.scoring)
            rising = self.value(scoring.stop) > self.value(scoring.start)  # as the checker saw it
            self.valid &= (np.less if rising else np.greater)(linear.start, linear.stop)

    def group(self, group: n.Group) -> p.GroupStep:
        members_drawn = any(m.name in self.maxima for m in group.members)
        if group.clauses.max is not None:
            declared = self.number(group.clauses.max)
            if _is_drawn(declared):
                self.maxima[group.name] = np.asarray(declared)
            if group.aggregator == "sum" and (members_drawn or _is_drawn(declared)):
                # IK405: the members' maxima must add up to it; no draw keeps that.
                raise _cannot_draw(self.a, group.name, "sensitivity.sum_max")
        elif group.aggregator == "sum":
            if members_drawn:
                self.maxima[group.name] = np.asarray(
                    _sum([self.maximum(m.name) for m in group.members]), dtype=np.float64
                )
        elif members_drawn:
            raise _cannot_draw(self.a, group.name, "sensitivity.mean_max")
        step = super().group(group)
        drawn_weights = any(_is_drawn(w) for w in step.weights)
        if drawn_weights or any(m.name in self.reads_drawn for m in group.members):
            self.reads_drawn.add(group.name)
            if group.aggregator == "sum":
                ends = [self.range_of(m.name) for m in group.members]
                self.ranges[group.name] = (
                    _sum([lo for lo, _ in ends]),
                    _sum([hi for _, hi in ends]),
                )
        return step

    def let(self, let: n.Let) -> p.LetStep:
        step = super().let(let)
        if _ir_reads_drawn(step.expr, self.reads_drawn):
            self.reads_drawn.add(let.name)
            low, high = self.interval(step.expr)
            if let.clauses.rounding is not None:
                low, high = (
                    _round(end, (let.clauses.rounding.places, let.clauses.rounding.mode))
                    for end in (low, high)
                )
            self.ranges[let.name] = (low, high)
        return step

    def plan(self) -> p.Plan:
        plan = super().plan()
        maxima = {**plan.maxima, **{k: per_row(v) for k, v in self.maxima.items()}}
        return attrs.evolve(plan, ranks=(), rollups=(), maxima=maxima)  # ranks: not per draw


def _cut(edge: float, goes_up: bool) -> Array:  # noqa: FBT001  # as `thresholds` pairs
    """`numeric.thresholds` elementwise: the cut point of each row's edge."""
    shift = np.maximum(HALF_QUANTUM, RELATIVE * np.abs(edge))
    result: Array = np.subtract(edge, shift) if goes_up else np.add(edge, shift)
    return result


def _sum(numbers: Sequence[float]) -> float:
    total: float = 0.0
    for number in numbers:
        total = (
            per_row(np.add(total, number))
            if _is_drawn(number) or _is_drawn(total)
            else total + number
        )
    return total


def _hull(numbers: Sequence[float]) -> tuple[float, float]:
    if not any(map(_is_drawn, numbers)):
        return min(numbers), max(numbers)
    stacked = np.broadcast_arrays(*numbers)
    return per_row(np.minimum.reduce(stacked)), per_row(np.maximum.reduce(stacked))


def _round(value: float, rounding: tuple[int, str]) -> float:
    rounded = round_to(np.atleast_1d(np.asarray(value, dtype=np.float64)), *rounding)
    return per_row(rounded) if _is_drawn(value) else float(rounded[0])


def _apply_interval(op: Op, args: list[tuple[float, float]], ir: p.Apply) -> tuple[float, float]:
    """One operation of interval arithmetic on (low, high) pairs of floats or arrays."""
    lows, highs = [lo for lo, _ in args], [hi for _, hi in args]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        match op:
            case (
                "<" | "<=" | "==" | "!=" | ">=" | ">"
                | "and" | "or" | "not" | "present" | "all_met"
            ):  # fmt: skip
                return 0.0, 1.0  # a yes/no
            case "add" | "sum":
                return _sum(lows), _sum(highs)
            case "sub":
                return per_row(np.subtract(lows[0], highs[1])), per_row(
                    np.subtract(highs[0], lows[1])
                )
            case "neg":
                return per_row(np.negative(highs[0])), per_row(np.negative(lows[0]))
            case "mul":
                corners = [
                    np.nan_to_num(np.multiply(x, y), nan=0.0) for x in args[0] for y in args[1]
                ]
                return _hull(corners)
            case "div":
                low, high = _hull([np.divide(x, y) for x in args[0] for y in args[1]])
                spans_zero = np.logical_and(
                    np.less_equal(lows[1], 0), np.greater_equal(highs[1], 0)
                )
                return (
                    per_row(np.where(spans_zero, -np.inf, low)),
                    per_row(np.where(spans_zero, np.inf, high)),
                )
            case "if":
                return _hull([lows[1], lows[2]])[0], _hull([highs[1], highs[2]])[1]
            case "value_or":
                return _hull(lows)[0], _hull(highs)[1]
            case "min":
                return _extreme(np.minimum, lows), _extreme(np.minimum, highs)
            case "max":
                return _extreme(np.maximum, lows), _extreme(np.maximum, highs)
            case "clamp":
                return (
                    per_row(np.minimum(np.maximum(lows[0], lows[1]), lows[2])),
                    per_row(np.minimum(np.maximum(highs[0], highs[1]), highs[2])),
                )
            case "abs":
                a, b = args[0]
                inside = np.where(np.less_equal(b, 0), np.negative(b), 0.0)
                return (
                    per_row(np.where(np.greater_equal(a, 0), a, inside)),
                    per_row(np.maximum(np.abs(a), np.abs(b))),
                )
            case "round":
                return _round(lows[0], (ir.places, ir.mode)), _round(highs[0], (ir.places, ir.mode))
            case unknown:
                assert_never(unknown)


def _extreme(ufunc: np.ufunc, numbers: Sequence[float]) -> float:
    result = ufunc.reduce(np.broadcast_arrays(*numbers))
    return per_row(result) if any(map(_is_drawn, numbers)) else float(result)


def _ir_reads_drawn(node: object, names: set[str]) -> bool:
    """Whether a scoring or expression reads a drawn number or a definition that does."""
    match node:
        case p.Const(value=value):
            return _is_drawn(value)
        case p.Load(name=name):
            return name.split(".")[0] in names
        case p.Apply(args=args):
            return any(_ir_reads_drawn(a, names) for a in args)
        case p.FormulaIR(expr=expr):
            return _ir_reads_drawn(expr, names)
        case p.BandsIR() | p.OptionsIR():
            numbers = [*getattr(node, "cuts", ()), *node.points]
            return _ir_reads_drawn(node.subject, names) or any(map(_is_drawn, numbers))
        case p.LinearIR():
            ends = (node.start, node.stop, node.low, node.high)
            return _ir_reads_drawn(node.subject, names) or any(map(_is_drawn, ends))
    return False


def _cannot_draw(analysis: Analysis, name: str, key: str) -> RulesetError:
    definition = analysis.definitions[name]
    return RulesetError(
        [Diagnostic(code="IK430", message=Message(key, name=name), span=definition.span)]
    )
