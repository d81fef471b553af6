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
from typing import Any, assert_never, cast

import attrs
import numpy as np
import numpy.typing as npt

from indikator import nodes as n
from indikator import plan as p
from indikator.check import Analysis
from indikator.constants import combine, leaves
from indikator.errors import Diagnostic, RulesetError
from indikator.messages import Message
from indikator.numeric import HALF_QUANTUM, RELATIVE, round_to
from indikator.operations import Op

__all__ = ["check_assumed", "lower_drawn", "one_per_row", "per_row"]

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


def one_per_row(plan: p.Plan, regions: int) -> p.Plan:
    """A plan lowered with one value per draw, with each value repeated for `regions` rows.

    Rows are draw-major (the rows of draw d are d*regions ... (d+1)*regions - 1), as the
    data columns tiled once per draw. Lowering per draw, not per row, keeps the derived
    numbers (maxima, cut points) as small as the draws.
    """
    return cast("p.Plan", _repeated(plan, regions))


def _repeated(node: object, regions: int) -> object:
    if isinstance(node, np.ndarray):
        return np.repeat(node, regions)
    if isinstance(node, tuple):
        return tuple(_repeated(item, regions) for item in node)
    if isinstance(node, dict):
        return {key: _repeated(value, regions) for key, value in node.items()}
    if attrs.has(type(node)) and type(node).__module__ == p.__name__:
        changes = {
            field.name: _repeated(getattr(node, field.name), regions)
            for field in attrs.fields(cast("Any", type(node)))
        }
        return attrs.evolve(node, **changes)  # type: ignore[misc]  # any plan node
    return node


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
        if isinstance(value, n.Arith) and any(
            isinstance(leaf, n.Ref) and leaf.name in self.drawn for leaf in leaves(value)
        ):  # `0.6 * w` with w drawn: one value per row, in floats like the draws themselves
            return combine(value, self.number)
        return super().number(value)

    def maximum(self, name: str) -> float:
        if name in self.maxima:
            return per_row(self.maxima[name])
        return super().maximum(name)

    def cuts(self, lowers: Sequence[tuple[n.Bound, bool]]) -> tuple[float, ...]:
        edges = [(self.bound_number(b), up) for b, up in lowers]
        return tuple(
            per_row(_cut(e, up)) if _is_drawn(e) else float(_cut(e, up)) for e, up in edges
        )

    def bound_number(self, bound: n.Bound, *, high: bool = False) -> float:
        if isinstance(bound, n.Infinity):
            return np.inf if high else -np.inf
        return self.number(bound)

    def rows_in_order(
        self,
        intervals: Sequence[n.Interval],
        subject: tuple[float, float] | None = None,
    ) -> None:
        """The checker's `_adjacent` (and, for bands, `_coverage`) under the draws.

        A row's draw is invalid where rows are empty, out of order or overlap, where the
        subject's range reaches a gap between two rows, or (bands, with `subject`) where it
        reaches beyond the first or the last row. Checked wherever an edge or the subject's
        range is drawn: a draw may move the subject into a gap the checker saw unreachable.
        Without `subject` (tiers), any gap between drawn edges is invalid.
        """
        ends = [
            (self.bound_number(iv.low), self.bound_number(iv.high, high=True), iv)
            for iv in intervals
        ]
        moving = subject is not None and (_is_drawn(subject[0]) or _is_drawn(subject[1]))
        for lo, hi, iv in ends:
            if _is_drawn(lo) or _is_drawn(hi):
                both = iv.low_closed and iv.high_closed
                self.valid &= np.less(lo, hi) | (np.equal(lo, hi) & both)
        for (start, edge_below, below), (edge_above, end, above) in itertools.pairwise(ends):
            if not moving and not any(map(_is_drawn, (start, edge_below, edge_above, end))):
                continue
            closed_below, closed_above = below.high_closed, above.low_closed
            ordered = np.greater(end, start)
            overlap = np.less(edge_above, edge_below) | (
                np.equal(edge_above, edge_below) & closed_below & closed_above
            )
            gap = np.greater(edge_above, edge_below) | (
                np.equal(edge_above, edge_below) & (not closed_below) & (not closed_above)
            )
            if subject is not None:  # a gap counts only where the subject reaches it
                gap &= _reaches(
                    subject,
                    edge_below,
                    edge_above,
                    low_closed=not closed_below,
                    high_closed=not closed_above,
                )
            self.valid &= ordered & ~overlap & ~gap
        if moving and ends:
            assert subject is not None  # noqa: S101  # moving implies a subject
            first_low, first = ends[0][0], ends[0][2]
            last_high, last = ends[-1][1], ends[-1][2]
            before = _reaches(
                subject, -np.inf, first_low, low_closed=True, high_closed=not first.low_closed
            )
            after = _reaches(
                subject, last_high, np.inf, low_closed=not last.high_closed, high_closed=True
            )
            self.valid &= ~(np.isfinite(first_low) & before) & ~(np.isfinite(last_high) & after)

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
        return self.finish(top, clauses.max)

    def finish(self, top: float, declared_max: n.Value | None) -> Array | None:
        """The checker's `_finish`: the maximum is the declared `max`, else the range's top.

        A row is invalid where the checker would refuse the draw (IK410): the range above
        the declared maximum, or a maximum that is not a positive number.
        """
        maximum = top
        if declared_max is not None:
            declared = self.number(declared_max)
            if _is_drawn(top) or _is_drawn(declared):
                self.valid &= _at_most(top, declared)
            maximum = declared
        if not _is_drawn(maximum):
            return None
        self.valid &= np.isfinite(maximum) & np.greater(maximum, 0.0)
        return np.asarray(maximum, dtype=np.float64)

    def points_range(self, scoring: n.Scoring) -> tuple[float, float]:
        """The lowest and highest points a scoring gives (one value per row if drawn)."""
        match scoring:
            case n.Bands(rows=rows):
                return self.reachable_points(scoring)
            case n.Options(rows=rows):
                return _hull([self.number(r.points) for r in rows])
            case n.Linear():
                return _hull([self.number(scoring.low), self.number(scoring.high)])
            case n.Formula(expr=expr):
                return self.interval(self.expr(expr))
        raise AssertionError(scoring)  # pragma: no cover

    def reachable_points(self, bands: n.Bands) -> tuple[float, float]:
        """The checker's `_bands`: the hull of the points of the bands the subject reaches."""
        low_s, high_s = self.interval(self.expr(bands.subject))
        lows, highs, reached = [], [], []
        for row in bands.rows:
            iv = row.interval
            lo, hi = self.bound_number(iv.low), self.bound_number(iv.high, high=True)
            above_end = np.less(high_s, lo) | (np.equal(high_s, lo) & (not iv.low_closed))
            below_start = np.greater(low_s, hi) | (np.equal(low_s, hi) & (not iv.high_closed))
            reach = ~(above_end | below_start)
            points = self.number(row.points)
            lows.append(np.where(reach, points, np.inf))
            highs.append(np.where(reach, points, -np.inf))
            reached.append(reach)
        anything = np.logical_or.reduce(np.broadcast_arrays(*reached))
        low = np.where(anything, np.minimum.reduce(np.broadcast_arrays(*lows)), 0.0)
        high = np.where(anything, np.maximum.reduce(np.broadcast_arrays(*highs)), 0.0)
        if not np.ndim(low):  # nothing drawn here
            return float(low), float(high)
        return per_row(low), per_row(high)

    def interval(self, ir: p.IR) -> tuple[float, float]:
        """The checker's interval arithmetic, elementwise (`differences` guards it)."""
        match ir:
            case p.Const(value=value):
                return value, value
            case p.Load(name=name):
                return self.range_of(name)
            case p.Apply(op=op, args=args):
                return _apply_interval(op, [self.interval(a) for a in args], ir.places)
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
        bands_node = cast("n.Bands", indicator.scoring)
        subject = self.interval(self.expr(bands_node.subject))
        self.rows_in_order([r.interval for r in bands_node.rows], subject)

    def group(self, group: n.Group) -> p.GroupStep:
        members_drawn = any(m.name in self.maxima for m in group.members)
        rounding = group.clauses.rounding
        if group.aggregator == "sum":
            if group.clauses.max is not None and members_drawn:
                # IK405: the members' maxima must add up to it; no draw keeps that.
                raise _cannot_draw(self.a, group.name, "sensitivity.sum_max")
            ends = [self.range_of(m.name) for m in group.members]
            low, high = _sum([lo for lo, _ in ends]), _sum([hi for _, hi in ends])
            if members_drawn:
                total = _sum([self.maximum(m.name) for m in group.members])
                self.valid &= np.isfinite(total) & np.greater(total, 0.0)
                self.maxima[group.name] = np.asarray(total, dtype=np.float64)
        else:  # mean and weighted: the checker's range is 0 to the declared maximum
            assert group.clauses.max is not None  # noqa: S101  # checked: IK405 without it
            low, high = 0.0, self.number(group.clauses.max)
            maximum = self.finish(high, None)
            if maximum is not None:
                self.maxima[group.name] = maximum
        if rounding is not None:
            low, high = (_round(end, (rounding.places, rounding.mode)) for end in (low, high))
            if group.aggregator != "sum" and _is_drawn(high):  # IK410: rounded above the max
                self.valid &= _at_most(high, self.number(group.clauses.max))
        step = super().group(group)
        drawn_weights = any(_is_drawn(w) for w in step.weights)
        members_read = any(m.name in self.reads_drawn for m in group.members)
        if drawn_weights or members_read or _is_drawn(low) or _is_drawn(high):
            self.reads_drawn.add(group.name)
            self.ranges[group.name] = (low, high)
        return step

    def let(self, let: n.Let) -> p.LetStep:
        step = super().let(let)
        declared = let.clauses.max
        if _ir_reads_drawn(step.expr, self.reads_drawn) or (
            declared is not None and _is_drawn(self.number(declared))
        ):
            self.reads_drawn.add(let.name)
            low, high = self.interval(step.expr)
            rounding = let.clauses.rounding
            if rounding is not None:
                low, high = (_round(end, (rounding.places, rounding.mode)) for end in (low, high))
            self.ranges[let.name] = (low, high)
            if declared is not None:
                maximum = self.number(declared)
                self.valid &= _at_most(high, maximum)  # IK410 in the checker
                if _is_drawn(maximum):
                    self.valid &= np.isfinite(maximum) & np.greater(maximum, 0.0)
                    self.maxima[let.name] = np.asarray(maximum, dtype=np.float64)
        return step

    def classification(self) -> p.Classification | None:
        tiers = self.a.tiers
        if tiers is not None and tiers.tiers:
            self.rows_in_order([tier.interval for tier in tiers.tiers])
            self.top_tier_reaches(tiers)
        return super().classification()

    def top_tier_reaches(self, tiers: n.Tiers) -> None:
        """The checker's IK408 `above_tiers`: the top tier reaches the score's maximum.

        The maximum is the one the tiers see: the declared or drawn maximum of a capped
        score, the maximum at the assumed values of a score that `sensitivity` scales back.
        """
        subject = tiers.subject.name
        if subject not in self.a.maxima:  # tiers on a `let` without a maximum
            return
        definition = self.a.definitions.get(subject)
        declared = getattr(getattr(definition, "clauses", None), "max", None)
        drawn = subject in self.maxima
        top = self.maxima[subject] if drawn and declared is not None else self.maximum(subject)
        if drawn and declared is None:
            top = float(self.a.maxima[subject])  # scaled back to it
        high = self.bound_number(tiers.tiers[-1].interval.high, high=True)
        if _is_drawn(top) or _is_drawn(high):
            self.valid &= ~np.less(high, top)

    def plan(self) -> p.Plan:
        plan = super().plan()
        maxima = {**plan.maxima, **{k: per_row(v) for k, v in self.maxima.items()}}
        return attrs.evolve(plan, ranks=(), rollups=(), maxima=maxima)  # ranks: not per draw


def _at_most(value: float, limit: float) -> npt.NDArray[np.bool_]:
    """`value <= limit` as the checker's exact arithmetic says it.

    Within the tolerance of the decimals: interval ends computed in floats can land a unit
    in the last place off.
    """
    tolerance = np.maximum(HALF_QUANTUM, RELATIVE * np.abs(limit))
    return np.asarray(np.less_equal(value, np.add(limit, tolerance)))


def _reaches(
    subject: tuple[float, float],
    low: float,
    high: float,
    *,
    low_closed: bool,
    high_closed: bool,
) -> npt.NDArray[np.bool_]:
    """`bounds.Range.overlaps`: whether the subject's range reaches the interval."""
    lo_s, hi_s = subject
    beyond_low = np.less(hi_s, low) | (np.equal(hi_s, low) & (not low_closed))
    beyond_high = np.greater(lo_s, high) | (np.equal(lo_s, high) & (not high_closed))
    return np.asarray(~(beyond_low | beyond_high))


def _cut(edge: float, goes_up: bool) -> Array:  # noqa: FBT001  # as `thresholds` pairs
    """`numeric.cut` elementwise, for `>=` (goes up) or `>`: both hold above the cut.

    So the float sum is rounded down where it came out above the exact one (Knuth's TwoSum
    gives the rounding error of the sum exactly).
    """
    shift = np.maximum(HALF_QUANTUM, RELATIVE * np.abs(edge))
    moved = -shift if goes_up else shift
    total = np.add(edge, moved)
    back = total - moved
    error = (np.subtract(edge, back)) + (moved - (total - back))
    result: Array = np.where(error < 0, np.nextafter(total, -np.inf), total)
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


def _apply_interval(
    op: Op, args: list[tuple[float, float]], places: int = 0
) -> tuple[float, float]:
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
                return _product(args[0], args[1])
            case "div":  # bounds.Range.__truediv__
                c, d = args[1]
                spans_zero = (
                    ~np.isfinite(c)
                    | ~np.isfinite(d)
                    | (np.less_equal(c, 0) & np.greater_equal(d, 0))
                )
                with np.errstate(divide="ignore"):
                    inverse = (per_row(np.divide(1.0, d)), per_row(np.divide(1.0, c)))
                low, high = _product(args[0], inverse)
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
            case "abs":  # the checker's hull(r, -r) at least 0: from 0 up
                a, b = args[0]
                return 0.0, per_row(np.maximum(np.abs(a), np.abs(b)))
            case "round":  # the checker rounds both ends, half up (`bounds.rounded_range`)
                return _round(lows[0], (places, "half_up")), _round(highs[0], (places, "half_up"))
            case unknown:
                assert_never(unknown)


def _product(left: tuple[float, float], right: tuple[float, float]) -> tuple[float, float]:
    """`bounds.Range.__mul__`: unbounded with an unbounded factor, unless the other is 0."""
    (a, b), (c, d) = left, right
    bounded = np.isfinite(a) & np.isfinite(b) & np.isfinite(c) & np.isfinite(d)
    zero = (np.equal(a, 0) & np.equal(b, 0)) | (np.equal(c, 0) & np.equal(d, 0))
    with np.errstate(invalid="ignore", over="ignore"):
        corners = _hull([np.multiply(x, y) for x in (a, b) for y in (c, d)])
    low = np.where(bounded, corners[0], np.where(zero, 0.0, -np.inf))
    high = np.where(bounded, corners[1], np.where(zero, 0.0, np.inf))
    if not np.ndim(low):
        return float(low), float(high)
    return per_row(low), per_row(high)


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
