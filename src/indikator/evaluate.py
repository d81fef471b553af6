"""Evaluation: run a plan over validated columns, all regions at once.

Input: a `Plan` and the float64 columns from `data.validate` (NaN marks a missing
value). Output: a dict of arrays, one per step plus `<indicator>.met`, the tier codes and
ranks. There is no Python loop over regions; loops run over steps, members and tiers.
Runtime faults (division by zero, a value outside every band) raise `DataError`.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from typing import Any, TypeVar, assert_never

import numpy as np
import numpy.typing as npt

from indikator import exact, liveness, wholes
from indikator import plan as p
from indikator.cells import missing_mask
from indikator.errors import DataError, DataProblem, sample_regions
from indikator.messages import Message
from indikator.numeric import (
    HALF_QUANTUM,
    add,
    compare,
    exact_difference,
    has_nan,
    holds,
    ndim,
    round_to,
    subtract,
)

__all__ = ["TIER_MISSING", "run", "run_ranks", "run_rows", "summarise"]

Array = npt.NDArray[np.float64]
Env = MutableMapping[str, npt.NDArray[np.generic]]
#: Answers about a plan's nodes (`_Evaluator.once`), by question and node identity.
Memo = dict[tuple[object, int], object]
T = TypeVar("T")
R = TypeVar("R")


#: Tier code for a region whose classified score is missing.
TIER_MISSING = -1


def run(
    plan: p.Plan,
    columns: Mapping[str, npt.NDArray[np.generic]],
    regions: Sequence[str],
    *,
    keep: str = "all",
) -> Env:
    """Evaluate every step; `regions` names rows in error messages.

    `keep="all"` returns every array; `keep="outputs"` only those `liveness.kept` names
    (`"scores"`: `liveness.scores_kept`) and the inputs, each other array released after
    the last step that reads it (met flags of 1.0 and 0.0 as bools).
    """
    schedule = liveness.schedule_for(plan, keep)
    env = run_rows(plan, columns, regions, schedule)
    return run_ranks(plan, env, columns, schedule)


def run_rows(
    plan: p.Plan,
    columns: Mapping[str, npt.NDArray[np.generic]],
    regions: Sequence[str],
    schedule: liveness.Schedule | None,
) -> Env:
    """The steps and the tiers: each region's values from its own row alone.

    `chunks` runs this on slices of the rows; with `schedule`, arrays are released (and
    met flags compacted) after each step as `liveness` says, but not after the end.
    """
    env: Env = dict(columns)
    evaluator = _Evaluator(env, len(regions), regions)
    evaluator.plan = plan
    evaluator.wholes = wholes.memo_of(plan)
    evaluator.memo = _memo_of(plan)
    # A number beyond float64 (about 10^308) would go on as infinity and come out as a
    # wrong band or a missing value: numpy raises instead, for free. One context for all
    # the steps (entering one costs microseconds); each step catches its own overflow.
    with np.errstate(over="raise"):
        for index, step in enumerate(plan.steps):
            try:
                _step(evaluator, step, env)
            except FloatingPointError:
                raise _overflow(evaluator, step, env) from None
            if schedule is not None:
                liveness.release(env, schedule[index], columns)
    if plan.classification is not None:
        env["tier"] = evaluator.classify(plan.classification)
    return env


def run_ranks(
    plan: p.Plan,
    env: Env,
    columns: Mapping[str, npt.NDArray[np.generic]],
    schedule: liveness.Schedule | None,
) -> Env:
    """The ranks, which compare regions with each other, on the whole table's `env`."""
    for rank in plan.ranks:
        env[rank.name] = _rank(rank, env)
    if schedule is not None:
        liveness.release(env, schedule[-1], columns)
    return env


@p.per_plan
def _memo_of(plan: p.Plan) -> Memo:  # noqa: ARG001  # a fresh memo per plan
    """The memo of `_Evaluator.once` for `plan`, kept while the plan lives.

    What depends on the plan alone (cut points of "met", whether a value is computed, a
    group's summation) is worked out on the first call, not on every call.
    """
    return {}


def _step(evaluator: _Evaluator, step: p.Step, env: Env) -> None:
    match step:
        case p.IndicatorStep():
            evaluator.indicator(step)
        case p.LetStep():
            value = evaluator.column(evaluator.expr(step.expr, step.name))
            env[step.name] = evaluator.rounded(step, value)
        case p.GroupStep():
            compensate = evaluator.once(compensated, step)
            env[step.name] = evaluator.rounded(step, _group(step, env, compensate=compensate))


def _overflow(evaluator: _Evaluator, step: p.Step, env: Env) -> DataError:
    """IK520 for `step`, naming the regions whose value came out infinite (if it did)."""
    with np.errstate(over="ignore", invalid="ignore"):
        _step(evaluator, step, env)
    value = np.asarray(env.get(step.name, np.zeros(evaluator.size)), dtype=np.float64)
    infinite = np.isinf(value)
    message = Message("data.overflow", name=step.name)
    return evaluator.fail("IK520", step.name, message, infinite, None)


#: Up to this many cut points, counting comparisons beats a binary search per value
#: (measured at 10^6 values: 4 cuts 4.5 ms against 25 ms for `np.searchsorted`).
_FEW_CUTS = 12


def _bucket(
    cuts: Sequence[float], values: Array, *, missing: int
) -> npt.NDArray[np.intp] | npt.NDArray[np.uint8]:
    """For each value, how many cut points lie below it (`searchsorted`, side 'left').

    A missing value gets `missing`. A cut may be one value per row (a drawn plan).
    """
    if len(cuts) > _FEW_CUTS and not _per_row(cuts):
        index = np.searchsorted(np.array(cuts), values, side="left")
    else:
        small = len(cuts) < _UINT8_MAX  # more cuts only in a drawn plan
        index = np.zeros(values.shape, dtype=np.uint8 if small else np.intp)
        for cut in cuts:
            index += values > cut  # NaN is above no cut
    if has_nan(values):
        index[np.isnan(values)] = missing
    return index


_UINT8_MAX = int(np.iinfo(np.uint8).max)  # asked once (`np.iinfo` costs microseconds)


def _every_row(values: npt.ArrayLike, size: int) -> npt.NDArray[Any]:
    """`values` as one value per row: itself if it is, else `np.broadcast_to` (read-only).

    `np.broadcast_to` is Python around numpy, a few microseconds a call at any size.
    """
    if isinstance(values, np.ndarray) and values.shape == (size,):
        return values
    return np.broadcast_to(values, (size,))


def _per_row(numbers: Sequence[float]) -> bool:
    """Whether some number of the plan is one value per row (see `drawn.lower_drawn`)."""
    return any(ndim(number) for number in numbers)


def _lookup(table: Sequence[float]) -> Array | None:
    """`table` with NaN after it, as one array for `_pick`; None if one value per row."""
    return None if _per_row(table) else np.array([*table, np.nan])


def _pick(table: Sequence[float], index: npt.NDArray[np.integer], lookup: Array | None) -> Array:
    """`table[index]`, NaN where the index is `len(table)` (a missing value).

    `lookup` is `_lookup(table)`, asked once per plan.
    """
    if lookup is not None:
        picked: Array = lookup[index]  # a new array: the lookup is never written to
        return picked
    result = np.full(index.shape, np.nan)
    for slot, number in enumerate(table):
        np.copyto(result, np.broadcast_to(number, index.shape), where=index == slot)
    return result


def _width(scoring: p.LinearIR) -> float:
    """A `linear` scoring's width, its two ends' exact difference (asked once per plan)."""
    return exact_difference(scoring.stop, scoring.start)


def _at(number: float, rows: npt.NDArray[np.intp]) -> float:
    """A number of the plan at some rows (itself unless it is one value per row)."""
    return number[rows] if ndim(number) else number  # type: ignore[index]  # per row


def _rounded(values: Array, rounding: tuple[int, str] | None) -> Array:
    return values if rounding is None else round_to(values, *rounding)


class _Evaluator:
    def __init__(self, env: Env, size: int, regions: Sequence[str]) -> None:
        self.env = env
        self.size = size
        self.regions = regions
        # The rows whose value counts: inside `if c then a else b`, those where c chose
        # the branch (a division by zero in a branch not chosen is no error).
        self.live: npt.NDArray[np.bool_] | None = None
        # The plan, for the exact re-decision of values next to an edge (`exact`).
        self.plan: p.Plan | None = None
        # Which expressions are small whole numbers (`wholes.bound`), by node identity.
        self.wholes: wholes.Memo = {}
        # Answers about the plan alone (`once`), by question and node identity.
        self.memo: Memo = {}

    def once(self, question: Callable[[T], R], node: T) -> R:
        """`question(node)` for a node of the plan, asked once per plan (`_memo_of`)."""
        # A method of this evaluator stands for its function: it asks of `self.plan` only.
        key = (getattr(question, "__func__", question), id(node))
        try:
            return self.memo[key]  # type: ignore[return-value]  # keyed by the question
        except KeyError:
            answer = self.memo[key] = question(node)
            return answer

    def met_cuts(self, step: p.IndicatorStep) -> tuple[float, ...]:
        return () if self.plan is None else exact.met_cuts(self.plan, step)

    def computed(self, subject: p.IR) -> bool:
        return self.plan is not None and exact.computed(self.plan, subject)

    def fail(
        self,
        code: str,
        field: str,
        message: Message,
        mask: npt.NDArray[np.bool_],
        values: Array | None,
    ) -> DataError:
        rows = np.flatnonzero(np.broadcast_to(mask, (self.size,))).tolist()
        sample = sample_regions(
            (self.regions[i] for i in rows), None if values is None else (values[i] for i in rows)
        )
        return DataError(
            [
                DataProblem(
                    code=code,
                    field=field,
                    message=message,
                    regions=sample,
                    count=len(rows),
                    needed_by=Message("data.definition", name=field),
                )
            ]
        )

    # -- steps ----------------------------------------------------------------------

    def indicator(self, step: p.IndicatorStep) -> None:
        raw = self.column(self.scoring(step.scoring, step.name))
        if has_nan(raw):
            # A missing input under the 'zero' policy scores 0; under 'exclude' the
            # indicator drops out of its group, which renormalises over the rest.
            raw = np.where(self.scores_zero(step, np.isnan(raw)), 0.0, raw)
        points = self.rounded(step, raw)
        self.env[step.name] = points
        if step.met is not None:
            self.env[f"{step.name}.met"] = self.column(self.expr(step.met, step.name))
        else:
            met = compare(">=", points, step.maximum)
            cuts = () if self.plan is None else self.once(self.met_cuts, step)
            unsure = exact.near(points, cuts) if cuts else None
            for row in [] if unsure is None else np.flatnonzero(unsure).tolist():
                assert self.plan is not None  # noqa: S101  # cuts only with a plan
                value = exact.step_value(self.plan, f"{step.name}.met", exact.reader(self.env, row))
                if value is not None:
                    met[row] = value
            self.env[f"{step.name}.met"] = met

    def scores_zero(
        self, step: p.IndicatorStep, missing: npt.NDArray[np.bool_]
    ) -> npt.NDArray[np.bool_]:
        """The rows of `missing` that score 0: all but those of a missing 'exclude' input.

        `missing` itself (written over) when the step has no such input column.
        """
        excluded: npt.NDArray[np.bool_] | None = None
        for name in step.exclude_inputs:
            for column in (name, f"{name}.prev"):
                if column in self.env:
                    gone = np.isnan(self.env[column])
                    excluded = (
                        gone if excluded is None else np.logical_or(excluded, gone, out=excluded)
                    )
        if excluded is not None:
            missing &= ~excluded
        return missing

    def rounded(self, step: p.Step, values: Array) -> Array:
        """A step's values rounded; where the float cannot tell the way, exactly."""
        if step.rounding is None or self.plan is None or not self.once(exact.rounds_computed, step):
            return _rounded(values, step.rounding)
        result, unsure = exact.rounded_and_near(values, *step.rounding)
        for row in [] if unsure is None else np.flatnonzero(unsure).tolist():
            value = exact.step_value(self.plan, step.name, exact.reader(self.env, row))
            if value is not None:
                result[row] = value
        return result

    def scoring(self, scoring: p.ScoringIR, name: str) -> Array:
        match scoring:
            case p.BandsIR():
                return self.bands(scoring, name)
            case p.LinearIR():
                # low·(stop - x)/w + high·(x - start)/w, both differences exact decimals:
                # no term cancels another, as low + share·(high - low) would near 0.
                x = self.expr(scoring.subject, name)
                start, stop = np.float64(scoring.start), np.float64(scoring.stop)
                width = (
                    subtract(stop, start)  # type: ignore[arg-type]  # drawn: one per row
                    if _per_row((scoring.start, scoring.stop))
                    else self.once(_width, scoring)
                )
                share = np.clip(subtract(x, start) / width, 0.0, 1.0)  # type: ignore[arg-type]
                rest = np.clip(subtract(stop, x) / width, 0.0, 1.0)  # type: ignore[arg-type]
                result: Array = scoring.low * rest + scoring.high * share
                return result
            case p.OptionsIR():
                codes = self.expr(scoring.subject, name)
                index = np.where(np.isnan(codes), len(scoring.points), codes).astype(np.intp)
                return _pick(scoring.points, index, self.once(_lookup, scoring.points))
            case p.FormulaIR():
                return self.expr(scoring.expr, name)

    def bands(self, bands: p.BandsIR, name: str) -> Array:
        x = self.column(self.expr(bands.subject, name))
        self.env[f"{name}.subject"] = x  # kept (not copied) so explanations can name the band
        if bands.check_range and self.extreme_outside(x, bands.lowest, bands.highest):
            outside = self.outside(x, bands.lowest, bands.highest)
            raise self.fail("IK509", name, Message("data.outside_bands", name=name), outside, x)
        # A missing subject takes the slot after the last band: missing points.
        index = _bucket(bands.cuts, x, missing=len(bands.points))
        if self.plan is not None and self.once(self.computed, bands.subject):
            unsure = exact.near(x, bands.cuts)
            for row in [] if unsure is None else np.flatnonzero(unsure).tolist():
                band = exact.band_index(self.plan, bands, exact.reader(self.env, row))
                if band is not None:
                    index[row] = band
        return _pick(bands.points, index, self.once(_lookup, bands.points))

    @staticmethod
    def extreme_outside(
        x: Array, lowest: tuple[float, bool] | None, highest: tuple[float, bool] | None
    ) -> bool:
        """Whether the smallest or largest value (NaN skipped) lies outside every band.

        Two passes and two numbers compared: the cell-by-cell mask of `outside` is built
        only when one is.
        """
        return (
            lowest is not None
            and holds("<" if lowest[1] else "<=", float(np.fmin.reduce(x)), lowest[0])
        ) or (
            highest is not None
            and holds(">" if highest[1] else ">=", float(np.fmax.reduce(x)), highest[0])
        )

    @staticmethod
    def outside(
        x: Array, lowest: tuple[float, bool] | None, highest: tuple[float, bool] | None
    ) -> npt.NDArray[np.bool_]:
        result = np.zeros(x.shape, dtype=bool)
        if lowest is not None:
            result |= compare("<" if lowest[1] else "<=", x, lowest[0]) == 1.0
        if highest is not None:
            result |= compare(">" if highest[1] else ">=", x, highest[0]) == 1.0
        return result

    def classify(self, classification: p.Classification) -> npt.NDArray[np.int16]:
        score = np.asarray(self.env[classification.subject], dtype=np.float64)  # no copy
        raw = _bucket(classification.cuts, score, missing=len(classification.cuts))
        if self.plan is not None and not exact.on_grid(self.plan, classification.subject):
            # Where the float cannot tell the side of an edge, the exact value decides.
            unsure = exact.near(score, classification.cuts)
            for row in [] if unsure is None else np.flatnonzero(unsure).tolist():
                decided = exact.tier_raw(self.plan, exact.reader(self.env, row))
                if decided is not None:
                    raw[row] = decided
        allowed = np.full(self.size, len(classification.names), dtype=raw.dtype)
        passing = np.ones(self.size, dtype=bool)
        for level, gates in enumerate(classification.gates, start=1):
            if not gates:  # the rows already failing are capped below an earlier level
                continue
            for index, gate in enumerate(gates):
                condition = self.expr(gate.condition, f"{classification.subject}.gate")
                held = self.column(condition) == 1.0
                self.env[f"tier.gate.{level}.{index}"] = held.astype(np.float64)
                passing &= held
            # Gates are cumulative: a tier needs its own and every lower tier's gates.
            allowed = np.where(~passing & (allowed >= level), level - 1, allowed)
        tier: npt.NDArray[np.int16] = np.minimum(raw, allowed).astype(np.int16)
        self.env["tier.raw"] = raw.astype(np.int16)
        if has_nan(score):
            tier[np.isnan(score)] = TIER_MISSING
        return tier

    # -- expressions ----------------------------------------------------------------

    def expr(self, ir: p.IR, name: str) -> Array:
        """The value of `ir`; `name`, the step's, for messages."""
        prepared: Prepared | None = self.memo.get((_prepare, id(ir)))  # type: ignore[assignment]
        if prepared is None:  # `once`, without its generality on the usual path
            prepared = self.once(_prepare, ir)
        return prepared(self, name)

    def operate(self, ir: p.Apply, args: Sequence[Array], name: str) -> Array:
        """An operation on its arguments' values (`all_met` and `if` work out their own)."""
        match ir.op:
            case "add" | "sub":
                return self.add_or_subtract(ir, args[0], args[1])
            case "mul":
                return args[0] * args[1]
            case "div":
                return self.divide(args[0], args[1], name)
            case "neg":
                return -args[0]
            case "<" | "<=" | "==" | "!=" | ">=" | ">":
                return self.exact_compare(ir, args, compare(ir.op, args[0], args[1]))
            case "and":
                return self.kleene_and(args)
            case "or":
                return self.kleene_or(args)
            case "not":
                return 1.0 - args[0]
            case "min":
                return self.fold(np.minimum, args)
            case "max":
                return self.fold(np.maximum, args)
            case "clamp":
                return np.minimum(np.maximum(args[0], args[1]), args[2])
            case "abs":
                return np.abs(args[0])
            case "round":
                if self.plan is None or not self.once(self.computed, ir.args[0]):
                    return round_to(args[0], ir.places, ir.mode)
                x = self.column(args[0])  # one value per row, as the rows may differ
                return self.redecide(ir, *exact.rounded_and_near(x, ir.places, ir.mode))
            case "sum":
                return self.fold(np.add, args)
            case "present":  # of any input, text included
                return _present(np.asarray(args[0]))
            case "value_or":
                if not has_nan(args[0]):
                    return args[0]
                return np.where(np.isnan(args[0]), args[1], args[0])
            case "all_met" | "if":  # pragma: no cover  # prepared apart (`_prepare`)
                raise AssertionError(ir.op)
            case unknown:
                assert_never(unknown)

    def add_or_subtract(self, ir: p.Apply, left: Array, right: Array) -> Array:
        """`numeric.add`/`subtract`; of small whole numbers, a plain float sum, as exact.

        Their sum is a whole number below 2^22, which float64 holds and the grid keeps as
        it is: only the sign of -0.0 is left to drop, as the grid drops it.
        """
        if ndim(left) + ndim(right) == 0 or wholes.bound(ir, self.wholes) is None:
            return add(left, right) if ir.op == "add" else subtract(left, right)
        ufunc = np.add if ir.op == "add" else np.subtract
        result: Array = ufunc(left, right, dtype=np.float64)
        result += 0.0
        return result

    def exact_compare(self, ir: p.Apply, args: Sequence[Array], held: Array) -> Array:
        """A comparison with a constant; where the float cannot tell the side, exactly."""
        if self.plan is None:
            return held
        found = self.once(exact.against_constant, ir)
        if found is None:  # two columns (or two constants)
            if not any(self.once(self.computed, a) for a in ir.args):
                return held
            if ndim(held) == 0:  # columns that are one value for now: one per row
                held = np.full(self.size, float(held))
            rows = exact.near_between(self.column(args[0]), self.column(args[1]))
            return self.redecide(ir, held, rows)
        side, op, edge = found
        if not self.once(self.computed, ir.args[side]):
            return held
        x = self.column(args[side])
        if ndim(held) == 0:  # constants on both sides for now: one value per row
            held = np.full(x.shape, float(held))
        return self.redecide(ir, held, exact.near(x, exact.compare_cuts(op, edge)))

    def redecide(self, ir: p.IR, values: Array, rows: npt.NDArray[np.bool_] | None) -> Array:
        """`values` with the value of `ir` at `rows` worked out exactly (`exact`)."""
        if rows is None or self.plan is None:
            return values
        for row in np.flatnonzero(np.broadcast_to(rows, values.shape)).tolist():
            value = exact.expr_value(self.plan, ir, exact.reader(self.env, row))
            if value is not None:
                values[row] = value
        return values

    def all_met(self, pairs: Sequence[p.IR], name: str) -> Array:
        """`all_met`: each indicator's (points, met) pair; every one met, or left out.

        An indicator left out for missing data (policy exclude) takes no part; an unknown
        condition counts as not met, so the result is never missing and is worked out in
        byte masks: a pass over each `.met` (and over the points when some are missing),
        not float copies and a fold.
        """
        passing = np.ones(self.size, dtype=bool)
        for index in range(0, len(pairs), 2):
            points, met = (self.expr(arg, name) for arg in pairs[index : index + 2])
            held = met == 1.0  # a missing condition is not met
            if self.once(self.may_be_missing, pairs[index]) and has_nan(points):
                held = held | np.isnan(points)  # left out: takes no part
            passing &= held
        return passing.astype(np.float64)

    def may_be_missing(self, points: p.IR) -> bool:
        """Whether an indicator's points may be missing: only with an 'exclude' input.

        Without one, `indicator` scores every missing row 0, so no row is NaN and
        `all_met` need not look for one.
        """
        if self.plan is None or not isinstance(points, p.Load):
            return True
        step = next((s for s in self.plan.steps if s.name == points.name), None)
        return not isinstance(step, p.IndicatorStep) or bool(step.exclude_inputs)

    def column(self, values: Array) -> Array:
        """One value per region: a scalar (from constants only) is spread to every row."""
        return values if ndim(values) else np.full(self.size, float(values))

    def fold(self, ufunc: np.ufunc, args: Sequence[Array]) -> Array:
        """Ufunc over many arrays, accumulated in place (no stacked copy of the inputs)."""
        result = np.array(_every_row(args[0], self.size), dtype=np.float64)
        for arg in args[1:]:
            ufunc(result, arg, out=result)
        return result

    def kleene_and(self, args: Sequence[Array]) -> Array:
        """Three-valued and: any false → false, else any missing → missing, else true.

        On 0/1/NaN values that is the minimum (which spreads NaN), except that a false
        beats a missing value, which `fmin` (which skips NaN) tells us.
        """
        lowest = self.fold(np.minimum, args)
        if not has_nan(lowest):
            return lowest
        has_false = self.fold(np.fmin, args) == 0.0
        return np.where(has_false, 0.0, lowest)

    def kleene_or(self, args: Sequence[Array]) -> Array:
        """Three-valued or: any true → true, else any missing → missing, else false."""
        highest = self.fold(np.maximum, args)
        if not has_nan(highest):
            return highest
        has_true = self.fold(np.fmax, args) == 1.0
        return np.where(has_true, 1.0, highest)

    def choose(self, ir: p.Apply, name: str) -> Array:
        """`if c then a else b`: each branch worked out for the rows that choose it."""
        condition = self.expr(ir.args[0], name)
        if ndim(condition) and all(isinstance(a, p.Const) for a in ir.args[1:]):
            return self.choose_constant(condition, ir.args[1], ir.args[2], name)
        yes = _every_row(condition == 1.0, self.size)
        then = self.branch(ir.args[1], name, yes)
        otherwise = self.branch(ir.args[2], name, _every_row(condition == 0.0, self.size))
        return np.where(np.isnan(condition), np.nan, np.where(yes, then, otherwise))

    def choose_constant(self, condition: Array, then: p.IR, otherwise: p.IR, name: str) -> Array:
        """`choose` with two constant branches: no branch to work out, none can fail.

        One mask and one pick; the missing conditions are looked for only if there are any.
        """
        chosen: Array = np.where(
            condition == 1.0, self.expr(then, name), self.expr(otherwise, name)
        )
        if has_nan(condition):
            chosen[np.isnan(condition)] = np.nan
        return chosen

    def branch(self, ir: p.IR, name: str, rows: npt.NDArray[np.bool_]) -> Array:
        outer = self.live
        self.live = rows if outer is None else outer & rows
        try:
            return self.expr(ir, name)
        except FloatingPointError:
            # An overflow somewhere: an error only if a row that chose this branch has it.
            with np.errstate(over="ignore", invalid="ignore"):
                values = self.expr(ir, name)
            self.only_rows(self.live).expr(ir, name)  # raises again if a chosen row does
            return values
        finally:
            self.live = outer

    def only_rows(self, rows: npt.NDArray[np.bool_]) -> _Evaluator:
        """An evaluator of the same values at `rows` only (to find whose value overflows)."""
        picked = np.flatnonzero(rows)
        env: Env = {k: v[picked] for k, v in self.env.items() if ndim(v) == 1}
        return _Evaluator(env, len(picked), [self.regions[i] for i in picked.tolist()])

    def divide(self, top: Array, bottom: Array, name: str) -> Array:
        if ndim(bottom) == 0 and bottom != 0:  # a constant (or NaN): no row divides by 0
            return top / bottom
        at_zero = bottom == 0
        if not at_zero.any():  # the usual case: no 0/0 or x/0 to silence, nor to report
            return top / bottom
        zero = at_zero & ~np.isnan(top)
        if self.live is not None:
            zero &= self.live
        if zero.any():
            raise self.fail("IK508", name, Message("data.divides_by_zero", name=name), zero, None)
        with np.errstate(invalid="ignore", divide="ignore"):
            return top / bottom


#: An expression prepared once per plan (`_prepare`): called with the evaluator and the
#: step's name (for messages).
Prepared = Callable[[_Evaluator, str], Array]


def _prepare(ir: p.IR) -> Prepared:
    """`ir` as a closure over closures of its arguments: the tree is walked once per plan.

    A call then makes no `isinstance` dispatch and no lookup per node; each node does
    what `expr` did, with the same numpy operations on the same values.
    """
    match ir:
        case p.Const(value=value):
            # A scalar: numpy broadcasts it, so no column of copies is ever built. (An
            # array of one value per row, in a drawn plan, is that array, as before.)
            number: Array = np.float64(value)  # type: ignore[assignment]  # broadcasts
            return lambda _evaluator, _name: number
        case p.Load(name=column):
            return lambda evaluator, _name: evaluator.env[column]  # type: ignore[return-value]
        case p.Apply(op="all_met"):  # the ops that do not work out every argument first
            return lambda evaluator, name: evaluator.all_met(ir.args, name)
        case p.Apply(op="if"):
            return _prepare_if_present(ir) or (lambda evaluator, name: evaluator.choose(ir, name))
        case p.Apply(op="add" | "sub") if wholes.bound(ir, {}) is not None:
            return _prepare_whole_sum(ir)
        case p.Apply():
            return _prepare_apply(ir, tuple(_prepare(arg) for arg in ir.args))


def _prepare_apply(ir: p.Apply, args: tuple[Prepared, ...]) -> Prepared:
    """An operation whose arguments are worked out first (one and two without a loop)."""
    if len(args) == 1:
        (only,) = args
        return lambda evaluator, name: evaluator.operate(ir, (only(evaluator, name),), name)
    if len(args) == 2:  # noqa: PLR2004  # the binary operations
        left, right = args
        return lambda evaluator, name: evaluator.operate(
            ir, (left(evaluator, name), right(evaluator, name)), name
        )
    return lambda evaluator, name: evaluator.operate(
        ir, [arg(evaluator, name) for arg in args], name
    )


def _prepare_if_present(ir: p.Apply) -> Prepared | None:
    """`if present(x) then A else B` of constants, or None for any other `if`.

    A term of a count of missing inputs: one mask and one pick, where `choose` makes
    the 1.0/0.0 column of `present`, compares it with 1.0 and looks for missing truths
    that `present` never gives. The same pick of the same two constants.
    """
    match ir.args:
        case (p.Apply(op="present", args=(p.Load(name=column),)), p.Const(), p.Const()):
            then, otherwise = (_prepare(arg) for arg in ir.args[1:])
        case _:
            return None

    def pick(evaluator: _Evaluator, name: str) -> Array:
        values = evaluator.env[column]
        if values.dtype != np.float64 or not values.ndim:  # text, or a drawn scalar
            return evaluator.choose(ir, name)
        chosen: Array = np.where(
            np.equal(values, values), then(evaluator, name), otherwise(evaluator, name)
        )
        return chosen

    return pick


def _prepare_whole_sum(ir: p.Apply) -> Prepared:
    """A chain `a + b - c + ...` of small whole numbers (`wholes`) added in one buffer.

    `add_or_subtract` makes a new array for each link and drops its -0.0 each time; here
    the links are applied in the same order, to the same operands, into one array of
    our own, and -0.0 dropped once at the end. Every partial sum is a whole number below
    2^22, exact in float64, so only the sign of a zero can differ on the way, and the
    last `+= 0.0` makes it +0.0 as every link's did; a NaN goes on as the same operand.
    """
    links: list[tuple[str, Prepared]] = []
    first: p.IR = ir
    while isinstance(first, p.Apply) and first.op in ("add", "sub"):
        links.append((first.op, _prepare(first.args[1])))
        first = first.args[0]
    links.reverse()
    start = _prepare(first)

    def whole_sum(evaluator: _Evaluator, name: str) -> Array:
        total = start(evaluator, name)
        owned = False  # `total` may be an array of the environment until the first link
        for op, term in links:
            value = term(evaluator, name)
            ufunc = np.add if op == "add" else np.subtract
            if owned:
                ufunc(total, value, out=total)
            elif ndim(total) + ndim(value) == 0:  # two constants: as `add_or_subtract`
                total = add(total, value) if op == "add" else subtract(total, value)
            else:
                total, owned = ufunc(total, value, dtype=np.float64), True
        if owned:
            total += 0.0
        return total

    return whole_sum


def _present(values: npt.NDArray[np.generic]) -> Array:
    """1.0 where a value is there, 0.0 where it is missing (`cells.missing_mask`).

    A float is there when it equals itself (only NaN does not): one pass, no mask.
    """
    if values.dtype == np.float64 and values.ndim:
        present: Array = np.equal(values, values, out=np.empty(values.shape))
        return present
    return (~missing_mask(values)).astype(np.float64)


def _group(step: p.GroupStep, env: Env, *, compensate: bool) -> Array:
    """Sum, mean or weighted mean of the members; missing members are left out.

    The members are added as they are, so a row with a missing member comes out NaN: only
    those rows (few, usually) are worked out again with the member left out and the
    weights renormalised, in the same operations as the one-region path.
    """
    size = len(next(iter(env.values()))) if env else 0
    weighted_sum = np.zeros(size)
    scratch = np.empty(size)
    full_weight = 0.0  # added in the same order as `_group_rows` adds the present ones
    carry = np.zeros(size) if compensate else None
    for points, factor, scale in _members(step, env):
        share = points if factor is None else np.multiply(points, factor, out=scratch)
        weighted_sum = _add_member(weighted_sum, share, carry)
        full_weight += scale
    if carry is not None:
        weighted_sum += carry
    # The rows with a missing member, found before the sum is scaled where it lies.
    rows = np.flatnonzero(np.isnan(weighted_sum)) if has_nan(weighted_sum) else None
    result = weighted_sum
    if step.aggregator != "sum":
        if not np.any(full_weight):
            return np.full(size, np.nan)
        result = np.divide(weighted_sum, full_weight, out=weighted_sum)  # a buffer of our own
        result *= step.maximum
    if rows is not None:
        result[rows] = _group_rows(step, env, rows, full_weight, compensate=compensate)
    return result


def compensated(step: p.GroupStep) -> bool:
    """Whether the group adds with a running correction (Neumaier's summation).

    A plain float sum of n members is off by up to about n units in the last place of
    the total: far below half of 10⁻⁹ for scores up to a few thousand, but not for 100
    members in the millions. Decided from the plan alone, so both paths agree.
    """
    largest = step.maximum if step.aggregator != "sum" else sum(step.member_maxima)
    return len(step.members) * 2.0**-53 * float(np.max(np.abs(largest))) >= HALF_QUANTUM / 8


def _add_member(total: Array, share: Array, carry: Array | None) -> Array:
    """`total + share` (in place); with a `carry`, its rounding error is added to it."""
    if carry is None:
        total += share
        return total
    new = total + share
    carry += np.where(np.abs(total) >= np.abs(share), (total - new) + share, (share - new) + total)
    return new


def _members(step: p.GroupStep, env: Env) -> Iterator[tuple[Array, float | None, float]]:
    """Each member's points, the factor that makes its share, and its weight in the group."""
    for member, weight, maximum in zip(step.members, step.weights, step.member_maxima, strict=True):
        points: Array = env[member]  # type: ignore[assignment]  # scores are float arrays
        # sum adds points as they are; mean/weighted add each member's share of its max.
        if step.aggregator == "sum":
            yield points, None, maximum
        else:
            yield points, weight / maximum, weight


def _group_rows(
    step: p.GroupStep,
    env: Env,
    rows: npt.NDArray[np.intp],
    full_weight: float,
    *,
    compensate: bool,
) -> Array:
    """The group at some rows, each missing member left out and the weights renormalised."""
    full_weight, maximum = _at(full_weight, rows), _at(step.maximum, rows)
    weighted_sum = np.zeros(len(rows))
    present_weight = np.zeros(len(rows))
    carry = np.zeros(len(rows)) if compensate else None
    for points, factor, scale in _members(step, env):
        share = points[rows] if factor is None else points[rows] * _at(factor, rows)
        missing = np.isnan(share)
        weighted_sum = _add_member(weighted_sum, np.where(missing, 0.0, share), carry)
        present_weight = present_weight + np.where(missing, 0.0, _at(scale, rows))
    if carry is not None:
        weighted_sum += carry
    with np.errstate(invalid="ignore", divide="ignore"):
        if step.aggregator == "sum":
            # Excluded members: renormalise the present points to the full maximum.
            result = np.where(
                present_weight == full_weight,
                weighted_sum,
                weighted_sum / present_weight * full_weight,
            )
        else:
            result = weighted_sum / present_weight * maximum
    empty = present_weight == 0
    if step.aggregator == "sum":  # a row with every member present keeps its sum
        empty &= present_weight != full_weight
    return np.where(empty, np.nan, result)


def _rank(step: p.RankStep, env: Env) -> Array:
    """Competition ranks (1, 2, 2, 4) per group; missing keys get no rank (NaN)."""
    keys = [np.asarray(env[name]) for name, _ in step.keys]
    unranked = missing_mask(keys[0])  # numbers or text: a missing main key gets no rank
    size = len(unranked)
    group = np.zeros(size)
    no_group = np.zeros(size, dtype=bool)
    if step.within:
        within = np.asarray(env[step.within])
        no_group = missing_mask(within)  # a region without a province gets no rank
        group = _sortable(np.where(no_group, "", within), np.zeros(size))
    codes_of = [_sortable(key, group) for key in keys]
    sort_columns: list[npt.NDArray[np.generic]] = []
    for (_, descending), codes in zip(reversed(step.keys), reversed(codes_of), strict=True):
        sort_columns.append(-codes if descending else codes)
    order = np.lexsort((*sort_columns, group))  # equal numbers tie: 0.1 + 0.2 and 0.3
    ranks = np.full(size, np.nan)
    sorted_group = group[order]
    # Missing tie-break values tie with each other (NaN never equals NaN, infinity does).
    sorted_keys = np.vstack([np.nan_to_num(codes[order], nan=np.inf) for codes in codes_of])
    new_group = np.r_[True, sorted_group[1:] != sorted_group[:-1]]
    new_value = np.r_[True, (sorted_keys[:, 1:] != sorted_keys[:, :-1]).any(axis=0)] | new_group
    position = np.arange(size)
    group_start = np.maximum.accumulate(np.where(new_group, position, 0))
    value_start = np.maximum.accumulate(np.where(new_value, position, 0))
    ranks[order] = value_start - group_start + 1
    return np.where(unranked | no_group, np.nan, ranks)


def _tie_classes(numbers: Array, group: Array) -> Array:
    """Numbers as the order of their classes of equal values, per group (NaN stays NaN).

    In each group, sorted, a class starts at its smallest number and takes every number
    equal to it (`numeric.compare`: closer than the tolerance): 0.1 + 0.2 and 0.3, or two
    quotients a float's last bit apart, tie and go to the tie-break. A class never chains
    past its first number, and other groups' numbers play no part.
    """
    order = np.lexsort((numbers, group))
    ordered, groups = numbers[order], group[order]
    same_group = np.diff(groups) == 0
    close = (compare("==", ordered[1:], ordered[:-1]) == 1.0) & same_group
    new = ~close
    # An exact repeat of the number before it never starts a class (it holds against the
    # anchor as that number did, or is the anchor): only the distinct numbers are measured.
    distinct = np.flatnonzero(~((ordered[1:] == ordered[:-1]) & same_group)) + 1
    # Runs of three or more close numbers may span more than one class: measure each
    # distinct number from the class's first (few such, so a loop over them).
    for start, stop in _runs(close):
        if stop - start >= 2:  # noqa: PLR2004  # three numbers or more
            anchor = ordered[start]
            first, last = np.searchsorted(distinct, [start + 1, stop + 1])
            for position in distinct[first:last].tolist():
                if not holds("==", float(ordered[position]), float(anchor)):
                    new[position - 1], anchor = True, ordered[position]
    classes = np.empty(len(numbers))
    classes[order] = np.concatenate(([0.0], np.cumsum(new)))
    return np.where(np.isnan(numbers), np.nan, classes)


def _runs(flags: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """(first, last) positions of each run of numbers joined by true `flags` between them."""
    edges = np.diff(np.concatenate(([0], flags.astype(np.int8), [0])))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return list(zip(starts.tolist(), stops.tolist(), strict=True))


def _sortable(values: npt.NDArray[np.generic], group: Array) -> npt.NDArray[np.float64]:
    """Sort keys as floats: numbers by their tie class in their group, texts by their order.

    A missing key is NaN (sorted last).
    """
    if values.dtype.kind in "fiub":
        return _tie_classes(values.astype(np.float64), group)
    missing = missing_mask(values)
    _, codes = np.unique(np.where(missing, "", values).astype(str), return_inverse=True)
    return np.where(missing, np.nan, codes.astype(np.float64))


def summarise(
    step: p.RollupStep, env: Mapping[str, npt.NDArray[np.generic]], regions: Sequence[str]
) -> dict[str, npt.NDArray[np.generic]]:
    """A rollup's table: one row per value of its grouping column, one column per item.

    Missing values are left out of sum/mean/min/max; `share` is the percentage of all
    the group's regions where the condition holds; `all`/`any` follow three-valued logic.
    """
    keys = np.asarray(env[step.by], dtype=object)
    absent = np.array([k is None for k in keys])
    if absent.any():
        evaluator = _Evaluator({}, len(regions), regions)  # for its message only
        raise evaluator.fail(
            "IK505", step.by, Message("data.rollup_missing", by=step.by, rollup=step.name),
            absent, None,
        )  # fmt: skip
    groups, inverse = np.unique(keys.astype(str), return_inverse=True)
    count = np.bincount(inverse, minlength=len(groups)).astype(np.float64)
    table: dict[str, npt.NDArray[np.generic]] = {step.by: groups}
    # Read through, not copied: a `Results` works out an array it did not keep only if read.
    tier = {"tier": env["tier"].astype(np.float64)} if "tier" in env else {}
    view: Env = ChainMap(tier, env)  # type: ignore[arg-type]  # the evaluator only reads it
    evaluator = _Evaluator(view, len(regions), regions)
    for name, function, ir in step.items:
        if function == "count":
            table[name] = count
            continue
        assert ir is not None  # noqa: S101  # checked: only count() has no argument
        table[name] = _summary(function, evaluator.expr(ir, step.name), inverse, len(groups), count)
    return table


def _summary(
    function: str, values: Array, inverse: npt.NDArray[np.intp], size: int, count: Array
) -> Array:
    values = np.broadcast_to(values, inverse.shape)
    present = ~np.isnan(values)
    filled = np.where(present, values, 0.0)
    present_count = np.bincount(inverse, weights=present, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        match function:
            case "sum":
                return np.where(
                    present_count > 0, np.bincount(inverse, weights=filled, minlength=size), np.nan
                )
            case "mean":
                return np.bincount(inverse, weights=filled, minlength=size) / present_count
            case "min" | "max":
                ufunc = np.fmin if function == "min" else np.fmax
                out = np.full(size, np.nan)
                ufunc.at(out, inverse, values)
                return out
            case "share":
                return np.bincount(inverse, weights=values == 1.0, minlength=size) / count * 100.0
            case "all" | "any":
                truth = values if function == "all" else 1.0 - values
                falses = np.bincount(inverse, weights=truth == 0.0, minlength=size)
                unknown = np.bincount(inverse, weights=np.isnan(truth), minlength=size)
                result = np.where(falses > 0, 0.0, np.where(unknown > 0, np.nan, 1.0))
                return result if function == "all" else 1.0 - result
    raise AssertionError(function)  # pragma: no cover  # the grammar lists every summary
