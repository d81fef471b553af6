"""One region at a time: the plan compiled to a plain Python function.

An app calls `Ruleset.evaluate` once per request. Run on arrays of one element, the
vectorised evaluator spends milliseconds in numpy's per-call overhead; here the plan
becomes straight-line Python source on floats (one local variable per value, NaN for a
missing one), compiled once per ruleset, which runs in microseconds.

The function handles valid input only. Anything else (a missing or unknown column, a cell
of an unusual type, a value out of range, a missing value its policy refuses, a division by
zero, a value outside every band, a result beyond float64) raises `Fallback`, and the caller
runs the vectorised path, which reports the problem exactly as it does for many regions.
Nothing else falls back: any other exception is a bug of this module, and the property
tests fail on it. Values are bit-for-bit those of `evaluate.run`:
the same float operations in the same order (a property test compares the two on random
rulesets).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, assert_never

import attrs
import numpy as np
import numpy.typing as npt

from indikator import exact
from indikator import plan as p
from indikator.cells import YES_NO, exact_float, plain_number
from indikator.data import columns_of, expected_columns
from indikator.evaluate import TIER_MISSING, compensated
from indikator.numeric import (
    ERROR,
    GRID_FROM,
    HALF_QUANTUM,
    LARGEST,
    MIRROR,
    ONE_MODES,
    PLACES,
    RELATIVE,
    cut,
    exact_difference,
    grid_operation,
    resolve_one,
    round_one,
    tolerance,
)

__all__ = ["Fallback", "OneRegion", "ScalarEnv", "compile_plan", "source_of"]

NAN = math.nan
_EXACT_INTEGERS = 2**53  # floats hold every integer below this exactly
Row = Mapping[str, Any]
_VARIABLE = re.compile(r"[tv][0-9]+")  # a local of the generated code


#: Beyond this many lines Python's compiler takes longer (about 25 µs a line) than the
#: vectorised path needs for one region of such a ruleset; KLA 2025 has about 530.
MAX_LINES = 20_000


class _TooLarge(Exception):  # noqa: N818  # internal signal
    """The plan would need more than `MAX_LINES` lines."""


class Fallback(Exception):  # noqa: N818  # a signal to the caller, not an error
    """The region's input is invalid: the vectorised path names the problem.

    The one condition under which `Ruleset.evaluate` leaves the one-region path.
    """


# -- cells: the happy path of `data.validate` for one Python value ------------------------


def _number(value: Any, low: float, high: float) -> float:
    """A number strictly between the cut points of its range (`data` checks the same).

    `low` and `high` are `cut(low, ">=")` and `cut(high, "<=")`, worked out once.
    NaN or None is empty.
    """
    kind = type(value)
    if kind is float or kind is int or isinstance(value, np.floating | np.integer):
        x = exact_float(value)
        if low < x < high and -math.inf < x < math.inf:
            return x
        if x != x:  # noqa: PLR0124  # NaN: an empty cell
            return NAN
    elif value is None:
        return NAN
    elif kind is str:  # plain text only ('92.4'): '1.000', '85%', 'nan' take the table path
        if not value.strip():
            return NAN
        try:
            number = plain_number(value)
        except ValueError:
            raise Fallback from None
        return _number(number, low, high)
    raise Fallback  # a yes/no, infinity or a value out of range


#: Below this size a number cell's decimal is found inline (see `_Source.cell`): a scaled
#: value within `_SURE` of a whole number is that whole number's decimal.
_SHORT_RESOLVE = 1e5
_SURE = 0.4


def _decimal(value: Any, low: float, high: float) -> float:
    """`_number`, then the decimal it stands for: `_Source.cell`'s code for any value."""
    x = _number(value, low, high)
    if -_SHORT_RESOLVE < x < _SHORT_RESOLVE:
        scaled = x * 1e9
        whole = round(scaled)
        return whole / 1e9 if -_SURE < scaled - whole < _SURE else resolve_one(x)
    return resolve_one(x)


def _cut_range(spec: p.InputSpec) -> tuple[float, float]:
    """The cut points a number cell lies strictly between: its range, or ±10^15 (as `data`)."""
    low = cut(-float(LARGEST) if spec.low is None else spec.low, ">=")
    high = cut(float(LARGEST) if spec.high is None else spec.high, "<=")
    return low, high


def _whole(value: Any, low: float, high: float) -> float:
    x = _number(value, low, high)
    if x != x or x == round(x):  # noqa: PLR0124  # empty, or a whole number
        return x
    raise Fallback


def _yes_no(value: Any) -> float:
    kind = type(value)
    if kind is str:  # the common case first: a word as typed ('ya', 'tidak')
        found = YES_NO.get(value)
        if found is not None:
            return found
    elif value is True or value is False:
        return float(value)
    if kind is float or kind is int or isinstance(value, np.floating | np.integer):
        x = float(value)
        if x in (0.0, 1.0) or x != x:  # noqa: PLR0124
            return x + 0.0  # -0.0 is "no", read as 0.0 (as `data` does)
        raise Fallback
    if value is None:
        return NAN
    if kind is str:
        word = value.strip().lower()
        if not word:
            return NAN
        if word in YES_NO:
            return YES_NO[word]
    raise Fallback


def _zero_if_empty(value: float) -> float:
    return value if value == value else 0.0  # noqa: PLR0124


def _option(value: Any, codes: Mapping[str, float]) -> float:
    if type(value) is str:
        code = codes.get(value)
        if code is not None:
            return code
        if not value.strip():
            return NAN
    elif value is None or (type(value) is float and value != value):  # noqa: PLR0124
        return NAN
    raise Fallback


def _text(value: Any) -> str | None:
    kind = type(value)
    if kind is str:
        return value or None
    if value is None:
        return None
    if kind is int and abs(value) < _EXACT_INTEGERS:  # a region code given as a number
        return str(value)
    raise Fallback


def _absent(value: Any) -> bool:
    return value is None or value != value  # noqa: PLR0124


# -- the rarer operations, as `evaluate._Evaluator.apply` does them on arrays --------------


def _divide_by_zero(top: float) -> float:
    if top == top:  # noqa: PLR0124
        raise Fallback  # the vectorised path reports the division by zero
    return NAN


def _min(*args: float) -> float:
    """`np.minimum` folded over the arguments: NaN wins; of two equal values the later.

    One loop, no generator: `_and` of an `all_met` gate folds a value per indicator.
    """
    result = args[0]
    if result != result:  # noqa: PLR0124
        return NAN
    for x in args[1:]:
        if x != x:  # noqa: PLR0124
            return NAN
        if not result < x:  # as numpy's loop: 0.0 and -0.0 give the second
            result = x
    return result


def _max(*args: float) -> float:
    """`np.maximum` folded over the arguments: NaN wins; of two equal values the later."""
    result = args[0]
    if result != result:  # noqa: PLR0124
        return NAN
    for x in args[1:]:
        if x != x:  # noqa: PLR0124
            return NAN
        if not result > x:
            result = x
    return result


def _sum(*args: float) -> float:
    result = args[0]
    for x in args[1:]:
        result += x
    return result


def _clamp(x: float, low: float, high: float) -> float:
    return _min(_max(x, low), high)


def _and(*args: float) -> float:
    """Three-valued and, as `evaluate._Evaluator.kleene_and`: a false beats a missing.

    Without a missing value, `_min` of the arguments; with one, 0.0 if the least value
    present is 0.0, else NaN. One loop does both.
    """
    lowest = args[0]  # the least value present (NaN while none is)
    missing = lowest != lowest  # noqa: PLR0124
    for x in args[1:]:
        if x != x:  # noqa: PLR0124
            missing = True
        elif not lowest < x:  # as `_min`: of two equal values the later
            lowest = x
    if not missing:
        return lowest
    return 0.0 if lowest == 0.0 else NAN


def _or(*args: float) -> float:
    return 1.0 - _and(*[1.0 - a for a in args])


def _exact_band(plan: p.Plan, bands: p.BandsIR, values: dict[str, Any], index: int) -> int:
    """`exact.band_index` where the float lies next to a band edge (else `index`)."""
    band = exact.band_index(plan, bands, values.__getitem__)
    return index if band is None else band


def _exact_step(plan: p.Plan, name: str, values: dict[str, Any], value: float) -> float:
    """`exact.step_value` where the rounding of a value is unsure (else `value`)."""
    decided = exact.step_value(plan, name, values.__getitem__)
    return value if decided is None else decided


def _exact_expr(plan: p.Plan, ir: p.IR, values: dict[str, Any], value: float) -> float:
    """`exact.expr_value` where the float cannot decide (else `value`)."""
    decided = exact.expr_value(plan, ir, values.__getitem__)
    return value if decided is None else decided


def _exact_tier(plan: p.Plan, values: dict[str, Any], raw: int) -> int:
    """`exact.tier_raw` where the score lies next to a tier edge (else `raw`)."""
    decided = exact.tier_raw(plan, values.__getitem__)
    return raw if decided is None else decided


#: `numeric.round_one` leaves a scaled value of this size as it is, and `exact.round_near_one`
#: is never unsure of it; below, the window where the float cannot tell the way of a rounding
#: is `exact.NEAR` of the scaled size, and a thousandth more.
_WHOLE_FROM = 2.0**52
_UNSURE = exact.NEAR * 1.001

#: Results of arithmetic checked for overflow by one sum each (a short expression).
_SUMMED = 32

#: What generated code may call, besides the constants it defines itself.
#: Up to this many cut points, a window test is written out in the one-region code.
_INLINE_WINDOWS = 8

_RUNTIME: dict[str, Any] = {
    **{f.__name__: f for f in (_number, _decimal, _whole, _yes_no, _zero_if_empty, _option)},
    **{f.__name__: f for f in (_text, _absent)},
    **{f.__name__: f for f in (_divide_by_zero, _min, _max, _sum, _clamp, _and, _or)},
    "_round": round_one,
    "_grid": grid_operation,
    "ERROR": ERROR,
    "_resolve": resolve_one,
    "GRID_FROM": GRID_FROM,
    "_tolerance": tolerance,
    "_bisect_left": bisect_left,
    "_near_one": exact.near_one,
    "_exact_band": _exact_band,
    "_exact_tier": _exact_tier,
    "_exact_step": _exact_step,
    "_exact_expr": _exact_expr,
    "_round_near_one": exact.round_near_one,
    "_near_between_one": exact.near_between_one,
    "NAN": NAN,
    "INF": math.inf,
    "Fallback": Fallback,
    "TIER_MISSING": TIER_MISSING,
}


# -- code generation --------------------------------------------------------------------

_ON_DIFFERENCE = {  # `numeric.compare` of two values, on their difference d and tolerance t
    ">=": "{d} > -{t}",
    ">": "{d} > {t}",
    "<=": "{d} < {t}",
    "<": "{d} < -{t}",
    "==": "abs({d}) < {t}",
    "!=": "abs({d}) >= {t}",
}


class _Source:
    """Python source for one plan: one assignment per value, no nesting (no depth limit).

    The common cases are written inline (a call costs more than the work); the rare ones
    call the helpers above.
    """

    def __init__(self, plan: p.Plan) -> None:
        self.plan = plan
        self.lines: list[str] = []
        self.arithmetic: list[tuple[str, str]] = []  # results of + - * / and their guards
        # Inside `if c then a else b`: the conditions under which the branch is chosen, as
        # the vectorised path's `live` rows (a division by zero elsewhere is no error).
        self.guards: list[str] = []
        self.constants: dict[str, Any] = {}
        self.local: dict[str, str] = {}  # column or step → local variable
        self.temporaries = 0
        self.variables = 0

    def emit(self, line: str) -> None:
        if len(self.lines) >= MAX_LINES:
            raise _TooLarge
        self.lines.append("    " + line)

    def constant(self, value: Any) -> str:
        name = f"K{len(self.constants)}"
        self.constants[name] = value
        return name

    def fresh(self) -> str:
        self.temporaries += 1
        return f"t{self.temporaries}"

    def let(self, expression: str) -> str:
        """Assign an expression to a new temporary."""
        target = self.fresh()
        self.emit(f"{target} = {expression}")
        return target

    def on_grid(self, left: str | float, op: str, right: str | float) -> str:
        """`numeric.add`/`subtract`: on the grid of the larger operand, inline at 9 places.

        An operand is a variable or a constant (a float): a constant's size is tested, and
        its `abs` taken, here rather than on every call.
        """
        left, right = (x if isinstance(x, str) else float(x) for x in (left, right))
        a, b = (x if isinstance(x, str) else self.number(x) for x in (left, right))
        result = self.arithmetic_result(f"{a} {op} {b}")
        exact = f"_grid({op!r}, {a}, {b}, {result})"
        self.emit(f"if {result} == {result}:")
        if not all(-GRID_FROM < x < GRID_FROM for x in (left, right) if isinstance(x, float)):
            self.emit(f"    {result} = {exact}")
            return result
        small = " and ".join(
            f"-GRID_FROM < {x} < GRID_FROM" for x in (left, right) if isinstance(x, str)
        )
        sizes = (f"abs({x})" if isinstance(x, str) else self.number(abs(x)) for x in (left, right))
        spread = f"({' + '.join(sizes)} + abs({result}))"
        if not small:  # two constants
            self.nine_places(result, spread, exact, indent="    ")
            return result
        self.emit(f"    if {small}:")
        self.nine_places(result, spread, exact, indent="        ")
        self.emit("    else:")
        self.emit(f"        {result} = {exact}")
        return result

    def nine_places(self, value: str, spread: str, exact: str, indent: str = "") -> None:
        """`numeric.on_grid_one` below 10^6, inline: the grid of 9 places, or `exact`."""
        scaled, whole = self.fresh(), self.fresh()
        self.emit(f"{indent}{scaled} = {value} * 1e9")
        self.emit(f"{indent}{whole} = round({scaled})")
        sure = f"0.5 - abs({scaled} - {whole}) > {spread} * 1e9 * ERROR"
        self.emit(f"{indent}{value} = {whole} / 1e9 if {sure} else {exact}")

    def arithmetic_result(self, expression: str) -> str:
        """`let`, for a result of arithmetic: checked for overflow before returning."""
        target = self.let(expression)
        self.arithmetic.append((target, self.guard()))
        return target

    def guard(self) -> str:
        """When the value being written counts: '' always, else the chosen branches' test."""
        return " and ".join(self.guards)

    def bind(self, name: str, expression: str) -> str:
        """Assign a named value (column or step) to a new local variable.

        A name bound again (the region column named twice) keeps its place and takes
        the new value, as a key assigned again in the vectorised path's dict.
        """
        if _VARIABLE.fullmatch(expression):  # already in a variable, never assigned again
            self.local[name] = expression
            return expression
        self.variables += 1
        variable = f"v{self.variables}"
        self.local[name] = variable
        self.emit(f"{variable} = {expression}")
        return variable

    @staticmethod
    def number(value: float) -> str:
        if math.isnan(value):
            return "NAN"
        if math.isinf(value):
            return "INF" if value > 0 else "(-INF)"
        return repr(float(value))

    # -- the function -------------------------------------------------------------------

    def function(self) -> str:
        self.inputs()
        for step in self.plan.steps:
            match step:
                case p.IndicatorStep():
                    self.indicator(step)
                case p.LetStep():
                    self.bind_rounded(step, self.expr(step.expr))
                case p.GroupStep():
                    self.group(step)
        if self.plan.classification is not None:
            self.classify(self.plan.classification)
        for rank in self.plan.ranks:
            self.rank(rank)
        # Beyond float64 where the value counts: the vectorised path names it (IK520).
        always = [target for target, guard in self.arithmetic if not guard]
        for start in range(0, len(always), _SUMMED):
            # A sum is finite unless a term is infinite or missing (or the sum overflows):
            # only then is each term looked at.
            terms = always[start : start + _SUMMED]
            results = ", ".join(terms)
            self.emit(f"if not -INF < {' + '.join(terms)} < INF and (")
            self.emit(f"    INF in ({results},) or -INF in ({results},)")
            self.emit("):")
            self.emit("    raise Fallback")
        for target, guard in self.arithmetic:
            if guard:
                self.emit(f"if ({target} == INF or {target} == -INF) and {guard}:")
                self.emit("    raise Fallback")
        values = "".join(f"{variable}, " for variable in self.local.values())
        header = "def evaluate_one(row, strict):"
        return "\n".join([header, *self.lines, f"    return ({values})", ""])

    def inputs(self) -> None:
        plan = self.plan
        expected = expected_columns(plan)
        # Every expected column is read below (a missing one raises KeyError), so the
        # same number of columns means no unknown ones, which are an error unless ignored.
        self.emit(f"if strict and len(row) != {len(expected)}:")
        self.emit("    raise Fallback")
        for column in (plan.region, plan.region_name):
            if column:
                self.bind(column, f"_text(row[{column!r}])")
        for spec in plan.inputs:
            self.input(spec)

    def input(self, spec: p.InputSpec) -> None:
        if spec.kind == "text" and spec.name in self.local:
            self.required(spec, self.local[spec.name])  # the region id or name, read above
            return
        if spec.kind == "checklist":
            zero = spec.missing == "zero"  # an empty item is not met
            items = [self.let(self.cell(spec, column, zero)) for column in columns_of(spec)]
            self.required(spec, self.bind(spec.name, " + ".join(["0.0", *items])))
            return
        for column in columns_of(spec):
            self.required(spec, self.bind(column, self.cell(spec, column)))

    def cell(self, spec: p.InputSpec, column: str, empty_is_zero: bool = False) -> str:  # noqa: FBT001, FBT002
        """Read and check one cell: inline for a float, a helper for anything else.

        `empty_is_zero`: an empty yes/no (a checklist item under `missing zero`) is 0.0.
        """
        x = self.let(f"row[{column!r}]")
        match spec.kind:
            case "text":
                return f"_text({x})"
            case "yesno" | "checklist":
                fast = f"{x}.__class__ is float and ({x} == 1.0 or {x} == 0.0)"
                slow = f"_zero_if_empty(_yes_no({x}))" if empty_is_zero else f"_yes_no({x})"
                return f"{x} + 0.0 if {fast} else {slow}"  # -0.0 read as 0.0
            case "option":  # a choice as written: one lookup, `_option` for the rest
                codes = self.constant(
                    {choice: float(code) for code, choice in enumerate(spec.choices)}
                )
                code = self.let(f"{codes}.get({x}) if {x}.__class__ is str else None")
                self.emit(f"if {code} is None:")
                self.emit(f"    {code} = _option({x}, {codes})")
                return code
        low, high = _cut_range(spec)
        shown = f"{self.number(low)}, {self.number(high)}"
        fast = f"{x}.__class__ is float and {self.number(low)} < {x} < {self.number(high)}"
        if spec.kind == "count":  # a whole float in range is itself; `_whole` checks the rest
            return f"{x} if {fast} and {x} == round({x}) else _whole({x}, {shown})"
        # `numeric.resolve`: the decimal the cell stands for. Below 10^5 float64's error is
        # under 0.09 of a unit of the 9th place, so a scaled value within 0.4 of a whole
        # number is sure without its own bound; anything else is `_decimal`'s to decide.
        if not (low >= -_SHORT_RESOLVE and high <= _SHORT_RESOLVE):
            fast += f" and {-_SHORT_RESOLVE!r} < {x} < {_SHORT_RESOLVE!r}"
        number, scaled, whole = self.fresh(), self.fresh(), self.fresh()
        self.emit(f"if {fast}:")
        self.emit(f"    {scaled} = {x} * 1e9")
        self.emit(f"    {whole} = round({scaled})")
        near = f"{-_SURE!r} < {scaled} - {whole} < {_SURE!r}"
        self.emit(f"    {number} = {whole} / 1e9 if {near} else _resolve({x})")
        self.emit("else:")
        self.emit(f"    {number} = _decimal({x}, {shown})")
        return number

    def required(self, spec: p.InputSpec, variable: str) -> None:
        if spec.missing == "error":  # a missing value is reported by the vectorised path
            self.emit(f"if {variable} is None or {variable} != {variable}:  # `_absent`")
            self.emit("    raise Fallback")

    # -- steps --------------------------------------------------------------------------

    def indicator(self, step: p.IndicatorStep) -> None:
        raw = self.scoring(step.scoring, step.name)
        excluded = [
            self.local[c]
            for name in step.exclude_inputs
            for c in (name, f"{name}.prev")
            if c in self.local
        ]
        # A missing input under 'zero' scores 0; under 'exclude' the indicator drops out.
        kept = "".join(f" and {v} == {v}" for v in excluded)
        self.emit(f"if {raw} != {raw}{kept}:")
        self.emit(f"    {raw} = 0.0")
        points = self.bind_rounded(step, raw)
        if step.met is not None:
            met = self.expr(step.met)
        else:
            full = self.against(points, ">=", step.maximum)
            met = self.truth(points, full)
            cuts = exact.met_cuts(self.plan, step)
            if cuts:  # `evaluate`: where the float cannot tell, the exact points decide
                plan, name = self.constant(self.plan), self.constant(f"{step.name}.met")
                self.emit(f"if {self.near(points, cuts)}:")
                self.emit(f"    {met} = _exact_step({plan}, {name}, {self.values()}, {met})")
        self.bind(f"{step.name}.met", met)

    def scoring(self, scoring: p.ScoringIR, name: str) -> str:
        match scoring:
            case p.BandsIR():
                x = self.bind(f"{name}.subject", self.expr(scoring.subject))
                if scoring.check_range:
                    self.outside(x, scoring.lowest, scoring.highest)
                cuts, points = self.constant(scoring.cuts), self.constant(scoring.points)
                if not exact.computed(self.plan, scoring.subject):
                    return self.let(f"NAN if {x} != {x} else {points}[_bisect_left({cuts}, {x})]")
                # `evaluate`: where the float lies next to an edge, the exact value decides.
                index = self.let(f"0 if {x} != {x} else _bisect_left({cuts}, {x})")
                plan, ir = self.constant(self.plan), self.constant(scoring)
                self.emit(f"if {self.near(x, scoring.cuts)}:")
                self.emit(f"    {index} = _exact_band({plan}, {ir}, {self.values()}, {index})")
                return self.let(f"NAN if {x} != {x} else {points}[{index}]")
            case p.LinearIR(start=start, stop=stop, low=low, high=high):
                x = self.expr(scoring.subject)
                width = self.number(exact_difference(stop, start))
                offset = self.on_grid(x, "-", start)
                remaining = self.on_grid(stop, "-", x)
                share = self.let(f"{offset} / {width}")
                rest = self.let(f"{remaining} / {width}")
                for part in (share, rest):  # `np.clip` to 0..1, NaN kept
                    self.emit(f"if {part} < 0.0: {part} = 0.0")
                    self.emit(f"elif {part} > 1.0: {part} = 1.0")
                return self.let(f"{self.number(low)} * {rest} + {self.number(high)} * {share}")
            case p.OptionsIR():
                code = self.expr(scoring.subject)
                points = self.constant(scoring.points)
                return self.let(f"NAN if {code} != {code} else {points}[int({code})]")
            case p.FormulaIR():
                return self.let(self.expr(scoring.expr))

    def outside(
        self, x: str, lowest: tuple[float, bool] | None, highest: tuple[float, bool] | None
    ) -> None:
        """A value outside every band: the vectorised path reports it (IK509)."""
        tests = []
        if lowest is not None:
            tests.append(self.against(x, "<" if lowest[1] else "<=", lowest[0]))
        if highest is not None:
            tests.append(self.against(x, ">" if highest[1] else ">=", highest[0]))
        if tests:
            self.emit(f"if {' or '.join(tests)}:")
            self.emit("    raise Fallback")

    def group(self, step: p.GroupStep) -> None:
        """`evaluate._group` for one region: the same float operations in the same order."""
        total, present = self.let("0.0"), self.let("0.0")
        carry = self.let("0.0") if compensated(step) else None
        full = 0.0
        for member, weight, maximum in zip(
            step.members, step.weights, step.member_maxima, strict=True
        ):
            points = self.local[member]
            factor = 1.0 if step.aggregator == "sum" else weight / maximum
            scale = maximum if step.aggregator == "sum" else weight
            full += scale
            share = points if factor == 1.0 else f"{points} * {self.number(factor)}"
            self.emit(f"if {points} == {points}:")
            if carry is None:
                self.emit(f"    {total} += {share}")
            else:  # `evaluate._add_member` with a carry: the same operations
                s, new = self.fresh(), self.fresh()
                self.emit(f"    {s} = {share}")
                self.emit(f"    {new} = {total} + {s}")
                self.emit(f"    if abs({total}) >= abs({s}):")
                self.emit(f"        {carry} += ({total} - {new}) + {s}")
                self.emit("    else:")
                self.emit(f"        {carry} += ({s} - {new}) + {total}")
                self.emit(f"    {total} = {new}")
            self.emit(f"    {present} += {self.number(scale)}")
        if carry is not None:
            self.emit(f"{total} += {carry}")
        if step.aggregator == "sum":  # excluded members: renormalise to the full maximum
            value = (
                f"{total} if {present} == {self.number(full)} else "
                f"NAN if {present} == 0 else {total} / {present} * {self.number(full)}"
            )
        else:
            value = f"NAN if {present} == 0 else {total} / {present} * {self.number(step.maximum)}"
        self.bind_rounded(step, self.let(value))

    def bind_rounded(self, step: p.Step, value: str) -> str:
        """`bind` of a step's rounded value; where the float cannot tell the way, exactly."""
        if step.rounding is None:
            return self.bind(step.name, value)
        rounded, unsure = self.round_and_check(value, *step.rounding)
        variable = self.bind(step.name, rounded)
        if exact.rounds_computed(step):
            plan, name = self.constant(self.plan), self.constant(step.name)
            self.emit(f"if {unsure}:")
            self.emit(f"    {variable} = _exact_step({plan}, {name}, {self.values()}, {variable})")
        return variable

    def round_and_check(self, x: str, places: int, mode: str) -> tuple[str, str]:
        """`numeric.round_one` and `exact.round_near_one` of `x`, written out as one.

        The same float operations as the two functions, their shared part done once and
        their constants worked out here: a score is rounded on every call. Returns the
        rounded value and whether the float cannot tell the way (both variables).
        """
        scale = 10.0**places
        step = 1.0 if places >= PLACES else 0.5
        rounded, unsure = self.fresh(), self.fresh()
        scaled, size, nearest, near, distance = (self.fresh() for _ in range(5))
        number, mode_of = self.number, self.constant(ONE_MODES[mode])
        self.emit(f"if {x} != {x}:")
        self.emit(f"    {rounded}, {unsure} = {x}, False")
        self.emit("else:")
        self.emit(f"    {scaled} = {x} * {number(scale)}")
        self.emit(f"    {size} = abs({scaled})")
        self.emit(f"    if not {size} < {number(_WHOLE_FROM)}:")
        self.emit(f"        {rounded}, {unsure} = {x} + 0.0, False")
        self.emit("    else:")
        self.emit(f"        {nearest} = round({scaled} / {number(step)}) * {number(step)}")
        least = number(HALF_QUANTUM * scale)
        self.emit(
            f"        {near} = min(max({size} * {number(RELATIVE)}, {least}), {number(step / 2)})"
        )
        self.emit(f"        {distance} = abs({scaled} - {nearest})")
        snapped = f"{nearest} if {distance} <= {near} else {scaled}"
        self.emit(f"        {rounded} = {mode_of}({snapped}) / {number(scale)} + 0.0")
        self.emit(f"        {unsure} = abs({distance} - {near}) <= {size} * {number(_UNSURE)}")
        return rounded, unsure

    def near(self, x: str, cuts: Sequence[float]) -> str:
        """Whether `x` lies where the float cannot tell its side of a cut point.

        The window tests are written out (a call per test costs more than the tests);
        NaN is never near.
        """
        if len(cuts) > _INLINE_WINDOWS:
            return f"{x} == {x} and _near_one({x}, {tuple(cuts)!r})"
        return exact.near_text(x, cuts)

    def classify(self, classification: p.Classification) -> None:
        score = self.local[classification.subject]
        cuts = self.constant(classification.cuts)
        # `searchsorted` puts NaN after every cut point; `bisect` would put it first.
        raw = self.let(f"len({cuts}) if {score} != {score} else _bisect_left({cuts}, {score})")
        if not exact.on_grid(self.plan, classification.subject):
            # `evaluate`: where the float lies next to an edge, the exact value decides.
            self.emit(f"if {self.near(score, classification.cuts)}:")
            self.emit(
                f"    {raw} = _exact_tier({self.constant(self.plan)}, {self.values()}, {raw})"
            )
        allowed = self.let(str(len(classification.names)))
        passing = self.let("True")
        for level, gates in enumerate(classification.gates, start=1):
            for index, gate in enumerate(gates):
                held = self.expr(gate.condition)
                flag = self.bind(f"tier.gate.{level}.{index}", f"1.0 if {held} == 1.0 else 0.0")
                self.emit(f"{passing} = {passing} and {flag} == 1.0")
            # Gates are cumulative: a tier needs its own and every lower tier's gates.
            self.emit(f"if not {passing} and {allowed} >= {level}:")
            self.emit(f"    {allowed} = {level - 1}")
        self.bind("tier.raw", raw)
        self.bind("tier", f"TIER_MISSING if {score} != {score} else min({raw}, {allowed})")

    def redecide(self, ir: p.IR, variable: str, unsure: str) -> None:
        """`evaluate`'s `redecide`: where `unsure` holds, the exact value of `ir`."""
        plan, node = self.constant(self.plan), self.constant(ir)
        self.emit(f"if {unsure}:")
        self.emit(f"    {variable} = _exact_expr({plan}, {node}, {self.values()}, {variable})")

    def values(self) -> str:
        """A dict of every value bound so far, by name (for `exact`)."""
        return "{" + ", ".join(f"{name!r}: {var}" for name, var in self.local.items()) + "}"

    def rank(self, rank: p.RankStep) -> None:
        main = self.local[rank.keys[0][0]]  # a number or a text
        alone = f"NAN if _absent({main}) else 1.0"  # one region is first of its group
        if rank.within:
            within = self.local[rank.within]
            alone = f"NAN if _absent({main}) or _absent({within}) else 1.0"
        self.bind(rank.name, alone)

    # -- expressions ----------------------------------------------------------------------

    def expr(self, ir: p.IR) -> str:
        """An atom (literal or variable) holding the value of `ir`."""
        match ir:
            case p.Const(value=value):
                return self.number(value)
            case p.Load(name=name):
                return self.local[name]
            case p.Apply(op="if", args=(condition, then, otherwise)):
                c = self.expr(condition)
                args = [c, self.branch(f"{c} == 1.0", then), self.branch(f"{c} == 0.0", otherwise)]
                return self.apply(ir, args)
            case p.Apply():
                return self.apply(ir, [self.expr(a) for a in ir.args])

    def branch(self, chosen: str, ir: p.IR) -> str:
        """A branch of `if`, whose value counts only where `chosen` holds."""
        self.guards.append(chosen)
        try:
            return self.expr(ir)
        finally:
            self.guards.pop()

    def compare(self, op: str, operands: tuple[p.IR, ...], args: list[str]) -> str:
        """`numeric.compare`: through the cut points of a constant side, as bands are."""
        left, right = operands
        if isinstance(left, p.Const) and not isinstance(right, p.Const):
            op, operands, args = MIRROR[op], (right, left), args[::-1]
        if isinstance(operands[1], p.Const) and not math.isnan(operands[1].value):
            x, held = args[0], self.against(args[0], op, operands[1].value)
            return self.truth(x, held)
        d = self.let(f"{args[0]} - {args[1]}")
        t = self.let(f"_tolerance(max(abs({args[0]}), abs({args[1]})))")
        held = _ON_DIFFERENCE[op].format(d=d, t=t)
        return self.truth(d, held)

    def truth(self, value: str, held: str) -> str:
        """1.0 or 0.0 as `held` says; NaN where `value` (what it tests) is missing."""
        return self.let(f"NAN if {value} != {value} else 1.0 if {held} else 0.0")

    def against(self, x: str, op: str, edge: float) -> str:
        """`x op edge` for a constant edge, through its cut point(s) (False if x is NaN)."""
        if op in ("==", "!="):
            inside = f"{self.number(cut(edge, '>='))} < {x} < {self.number(cut(edge, '<='))}"
            return f"({inside})" if op == "==" else f"not ({inside})"
        sign = ">" if op in (">=", ">") else "<"
        return f"{x} {sign} {self.number(cut(edge, op))}"

    def apply(self, ir: p.Apply, args: list[str]) -> str:
        match ir.op:
            case "add" | "sub":
                left, right = (
                    a.value if isinstance(a, p.Const) else atom
                    for a, atom in zip(ir.args, args, strict=True)
                )
                return self.on_grid(left, "+" if ir.op == "add" else "-", right)
            case "mul":
                return self.arithmetic_result(f"{args[0]} * {args[1]}")
            case "div":
                top, bottom = args
                by_zero = f"_divide_by_zero({top})"
                if self.guard():  # in a branch not chosen, no error and no value
                    by_zero = f"({by_zero} if {self.guard()} else NAN)"
                return self.arithmetic_result(f"{top} / {bottom} if {bottom} else {by_zero}")
            case "<" | "<=" | "==" | "!=" | ">=" | ">":
                held = self.compare(ir.op, ir.args, args)
                found = exact.against_constant(ir)
                if found is not None and exact.computed(self.plan, ir.args[found[0]]):
                    x, cuts = args[found[0]], exact.compare_cuts(found[1], found[2])
                    self.redecide(ir, held, self.near(x, cuts))
                elif found is None and any(exact.computed(self.plan, a) for a in ir.args):
                    self.redecide(ir, held, f"_near_between_one({args[0]}, {args[1]})")
                return held
            case "neg":
                return self.let(f"-{args[0]}")
            case "not":
                return self.let(f"1.0 - {args[0]}")
            case "and":
                return self.let(f"_and({', '.join(args)})")
            case "or":
                return self.let(f"_or({', '.join(args)})")
            case "if":
                c, then, otherwise = args
                return self.let(f"{c} if {c} != {c} else {then} if {c} == 1.0 else {otherwise}")
            case "min" | "max" | "sum" | "clamp":
                return self.let(f"_{ir.op}({', '.join(args)})")
            case "abs":
                return self.let(f"abs({args[0]})")
            case "round":
                rounded = self.let(f"_round({args[0]}, {ir.places}, {ir.mode!r})")
                if exact.computed(self.plan, ir.args[0]):
                    self.redecide(ir, rounded, f"_round_near_one({args[0]}, {ir.places})")
                return rounded
            case "all_met":
                # Each (points, met) pair: excluded for missing data, no part in "every
                # indicator met"; an unknown met is not met.
                pairs = [
                    self.let(f"1.0 if {points} != {points} else 0.0 if {met} != {met} else {met}")
                    for points, met in zip(args[::2], args[1::2], strict=True)
                ]
                return self.let(f"_and({', '.join(pairs)})")
            case "present":  # of any input, text included
                return self.let(f"0.0 if _absent({args[0]}) else 1.0")
            case "value_or":
                x, fallback = args
                return self.let(f"{fallback} if {x} != {x} else {x}")
            case unknown:
                assert_never(unknown)


def source_of(plan: p.Plan) -> tuple[str, dict[str, Any], tuple[str, ...]]:
    """A plan's one-region function: its source, its constants, the names it returns."""
    source = _Source(plan)
    return source.function(), source.constants, tuple(source.local)


@attrs.frozen
class OneRegion:
    """A plan compiled for one region at a time."""

    function: Callable[[Row, bool], tuple[Any, ...]]
    positions: Mapping[str, int]  # value name → position in the function's result
    columns: tuple[str, ...]  # the columns the function reads

    def __call__(self, row: Row, *, strict: bool) -> ScalarEnv:
        """One region's values.

        Raises `Fallback` where the input is invalid (the vectorised path then names the
        problem), and nothing else.
        """
        try:
            return ScalarEnv(self.positions, self.function(row, strict))
        except KeyError:
            if any(column not in row for column in self.columns):
                raise Fallback from None  # a missing column (IK501)
            raise


def compile_plan(plan: p.Plan) -> OneRegion | None:
    """The one-region function of a plan, or None for a plan too large to be worth it."""
    try:
        text, constants, names = source_of(plan)
        namespace: dict[str, Any] = {**_RUNTIME, **constants}
        exec(compile(text, "<indikator one-region plan>", "exec"), namespace)  # noqa: S102  # generated above from the plan, never from user text
    except (_TooLarge, RecursionError, MemoryError):
        return None
    return OneRegion(
        namespace["evaluate_one"],
        {name: i for i, name in enumerate(names)},
        tuple(sorted(expected_columns(plan))),
    )


class ScalarEnv(Mapping[str, npt.NDArray[np.generic]]):
    """One region's values, shown as the one-element arrays `Results` expects.

    An array is made on first use of a name, so reading the tier and the total costs
    no numpy call.
    """

    __slots__ = ("_arrays", "_positions", "_values")  # one per call: made quickly

    def __init__(self, positions: Mapping[str, int], values: tuple[Any, ...]) -> None:
        self._positions = positions
        self._values = values
        self._arrays: dict[str, npt.NDArray[np.generic]] = {}

    def __getitem__(self, name: str) -> npt.NDArray[np.generic]:
        array = self._arrays.get(name)
        if array is None:
            value = self.scalar(name)
            if isinstance(value, float):
                array = np.array([value], dtype=np.float64)
            elif isinstance(value, int):
                array = np.array([value], dtype=np.int16)  # tier codes
            else:
                array = np.array([value], dtype=object)
            self._arrays[name] = array
        return array

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)

    def __contains__(self, name: object) -> bool:
        return name in self._positions

    @property
    def scalars(self) -> tuple[Any, ...]:
        """Every plain value, in the order of the names."""
        return self._values

    def scalar(self, name: str) -> Any:
        """The plain value (float, tier code, text or None), without making an array."""
        return self._values[self._positions[name]]
