"""Property-based testing of rulesets: hypothesis strategies and one-line property checks.

Needs hypothesis (`pip install indikator[testing]`); `import indikator` never imports it.

Examples:
    >>> from hypothesis import given, settings
    >>> import indikator
    >>> from indikator.testing import assert_total_in_scale, inputs_for
    >>> rs = indikator.loads('''
    ... ruleset demo { scale 0 to 10 }
    ... input x: percent { missing zero }
    ... indicator s = bands x { [0, 50) -> 0  [50, 100] -> 10 }
    ... ''')
    >>> @settings(max_examples=20)
    ... @given(inputs_for(rs))
    ... def test_total_in_scale(region):
    ...     assert_total_in_scale(rs, region)
    >>> test_total_in_scale()
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import strategies as st

from indikator.errors import DataError
from indikator.numeric import holds
from indikator.plan import BandsIR, IndicatorStep, InputSpec, LinearIR, Load, Plan
from indikator.results import Result, Results
from indikator.ruleset import Ruleset

__all__ = [
    "RULESET_FUNCTIONS",
    "assert_batch_matches_single",
    "assert_deterministic",
    "assert_monotone",
    "assert_order_independent",
    "assert_tier_matches_total",
    "assert_total_in_scale",
    "inputs_for",
    "rulesets",
    "tables_for",
    "values_for",
]

Region = dict[str, Any]
Table = dict[str, list[Any]]
_UNBOUNDED = 1e6  # the stand-in range for numbers without a declared end


TOLERANCE = 1e-9  # values this close are the same result


def _require_ruleset(ruleset: object, function: str) -> None:
    """Fail early with a fix when handed text or a path instead of a compiled ruleset."""
    if not isinstance(ruleset, Ruleset):
        kind = type(ruleset).__name__
        msg = f"{function}() takes a compiled Ruleset (from indikator.load(...)), not {kind}"
        raise TypeError(msg)


# --- strategies ------------------------------------------------------------------------


def inputs_for(
    ruleset: Ruleset, *, missing: bool = True, edges: bool = True, region_id: str = "R1"
) -> st.SearchStrategy[Region]:
    """One region's inputs: declared types, ranges and options; biased to band edges.

    Missing values are drawn only for inputs whose policy is `zero` or `exclude` (and
    only if `missing` is true), so every drawn region can be evaluated.
    """
    _require_ruleset(ruleset, "inputs_for")
    plan = ruleset.plan
    cut_points = _edges_by_input(plan) if edges else {}
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for spec in plan.inputs:
        for column, strategy in _column_strategies(spec, cut_points.get(spec.name, ())):
            optional = missing and spec.missing != "error" and spec.kind != "text"
            fields[column] = st.one_of(st.none(), strategy) if optional else strategy
    if plan.region:  # one region: a fixed id (tables_for numbers them)
        fields[plan.region] = st.just(region_id)
    return st.fixed_dictionaries(fields)


def values_for(ruleset: Ruleset, name: str, *, missing: bool = True) -> st.SearchStrategy[Any]:
    r"""Values of one input as a data cell holds them (for a checklist: one item's cell).

    Examples:
        >>> import indikator
        >>> rs = indikator.loads("ruleset r { }\ninput x: percent\nindicator s = x")
        >>> from hypothesis import find
        >>> find(values_for(rs, "x", missing=False), lambda v: v >= 50)
        50.0
    """
    _require_ruleset(ruleset, "values_for")
    spec = next((i for i in ruleset.plan.inputs if i.name == name), None)
    if spec is None:
        known = ", ".join(i.name for i in ruleset.plan.inputs)
        msg = f"no input named {name!r}; the inputs are: {known}"
        raise ValueError(msg)
    _, strategy = _column_strategies(spec, _edges_by_input(ruleset.plan).get(name, ()))[0]
    optional = missing and spec.missing != "error" and spec.kind != "text"
    return st.one_of(st.none(), strategy) if optional else strategy


def tables_for(
    ruleset: Ruleset,
    *,
    min_size: int = 1,
    max_size: int = 20,
    missing: bool = True,
    edges: bool = True,
) -> st.SearchStrategy[Table]:
    """Whole tables (column → list) of distinct regions, for batch properties."""
    if min_size < 1 or max_size < min_size:
        msg = f"need 1 <= min_size <= max_size, got min_size={min_size}, max_size={max_size}"
        raise ValueError(msg)

    @st.composite
    def build(draw: st.DrawFn) -> Table:
        size = draw(st.integers(min_size, max_size))
        rows = [
            draw(inputs_for(ruleset, missing=missing, edges=edges, region_id=f"R{i + 1}"))
            for i in range(size)
        ]
        return {column: [row[column] for row in rows] for column in rows[0]}

    return build()


def _column_strategies(
    spec: InputSpec, cut_points: Sequence[float]
) -> list[tuple[str, st.SearchStrategy[Any]]]:
    match spec.kind:
        case "yesno":
            strategy: st.SearchStrategy[Any] = st.sampled_from(["ya", "tidak", True, False, 1, 0])
        case "option":
            strategy = st.sampled_from(spec.choices)
        case "text":
            strategy = st.sampled_from(["Jawa Barat", "Jawa Tengah", "Kalimantan Timur"])
        case "checklist":
            yes_no = st.sampled_from(["ya", "tidak"])
            return [(f"{spec.name}.{item}", yes_no) for item in spec.choices]
        case _:
            strategy = _numbers(spec, cut_points)
    columns = [(spec.name, strategy)]
    if spec.needs_prev:
        columns.append((f"{spec.name}.prev", strategy))
    return columns


def _numbers(spec: InputSpec, cut_points: Sequence[float]) -> st.SearchStrategy[float]:
    low = spec.low if spec.low is not None else -_UNBOUNDED
    high = spec.high if spec.high is not None else _UNBOUNDED
    if spec.kind == "count":
        return st.integers(math.ceil(low), math.floor(high)).map(float)
    # Values with at most 2 decimals: what indicators are reported with, and exactly
    # representable in the decimal semantics the evaluator promises.
    cents = st.integers(math.ceil(low * 100), math.floor(high * 100)).map(lambda c: c / 100)
    near = [v for edge in cut_points for v in (edge - 0.01, edge, edge + 0.01) if low <= v <= high]
    if not near:
        return cents
    return st.one_of(cents, st.sampled_from(sorted(set(near))))


def _edges_by_input(plan: Plan) -> dict[str, list[float]]:
    """Band edges and linear ends of every indicator that reads an input directly."""
    found: dict[str, list[float]] = {}
    for step in plan.steps:
        if not isinstance(step, IndicatorStep):
            continue
        scoring = step.scoring
        if isinstance(scoring, BandsIR) and isinstance(scoring.subject, Load):
            found.setdefault(scoring.subject.name, []).extend(round(c, 6) for c in scoring.cuts)
        elif isinstance(scoring, LinearIR) and isinstance(scoring.subject, Load):
            found.setdefault(scoring.subject.name, []).extend((scoring.start, scoring.stop))
    return found


@st.composite
def rulesets(draw: st.DrawFn, *, max_inputs: int = 4) -> str:
    """Random *valid* ruleset text, for fuzzing compilers and evaluators.

    Each ruleset has 1..`max_inputs` percent inputs (random missing policies), one indicator
    per input (a band table with random edges and inclusivity, an inverted or plain linear
    scale, or a formula with `min`), a sum group, and two or three tiers, some with a gate.
    Compile with `indikator.loads(text)`.
    """
    count = draw(st.integers(1, max_inputs))
    lines: list[str] = []
    names, maxima, directions = [], [], []
    for index in range(count):
        policy = draw(st.sampled_from(["zero", "exclude", "error"]))
        direction = draw(st.sampled_from(["higher", "lower"]))
        lines.append(f"input x{index}: percent {{ better {direction} missing {policy} }}")
        points = draw(st.integers(1, 50))
        lines.append(f"indicator s{index} = {draw(_scoring(f'x{index}', points, direction))}")
        names.append(f"s{index}")
        maxima.append(points)
        directions.append(direction)
    total = sum(maxima)
    lines.append(f"group total = sum({', '.join(names)})")
    lines.append(draw(_tiers(total, directions)))
    return "\n".join([f"ruleset acak {{ scale 0 to {total} }}", *lines]) + "\n"


RULESET_FUNCTIONS = ("bands", "linear", "formula")  # the scorings `rulesets()` draws from


@st.composite
def _scoring(draw: st.DrawFn, subject: str, points: int, direction: str) -> str:
    kind = draw(st.sampled_from(RULESET_FUNCTIONS))
    if kind == "linear":
        ends = (0, 100) if direction == "higher" else (100, 0)
        return f"linear {subject} from {ends[0]} to {ends[1]} onto 0 to {points}"
    if kind == "formula":
        amount = subject if direction == "higher" else f"(100 - {subject})"
        return f"min({amount} * {points} / 100, {points}) max {points}"
    edges = sorted(draw(st.sets(st.integers(1, 99), min_size=1, max_size=4)))
    bounds = [0, *edges, 100]
    steps = sorted(
        draw(st.lists(st.integers(0, points), min_size=len(bounds) - 2, max_size=len(bounds) - 2))
    )
    awarded = [*steps, points] if direction == "higher" else [points, *reversed(steps)]
    rows: list[tuple[str, str, int]] = []
    for row, (low, high) in enumerate(itertools.pairwise(bounds)):
        last = row == len(bounds) - 2
        closing = "]" if last else draw(st.sampled_from([")", "]"]))
        opening = "[" if row == 0 or rows[-1][1] == ")" else "("
        rows.append((f"{opening}{low}, {high}", closing, awarded[row]))
    return "bands " + subject + " { " + "  ".join(f"{a}{c} -> {p}" for a, c, p in rows) + " }"


@st.composite
def _tiers(draw: st.DrawFn, total: int, directions: Sequence[str]) -> str:
    cuts = sorted(draw(st.sets(st.integers(1, max(total - 1, 1)), min_size=1, max_size=2)))
    cuts = [c for c in cuts if 0 < c < total] or [total]
    names = ["pratama", "madya", "utama"][: len(cuts)]
    rows = []
    for index, (name, low) in enumerate(zip(names, cuts, strict=True)):
        high = cuts[index + 1] if index + 1 < len(cuts) else total
        closing = ")" if index + 1 < len(cuts) else "]"
        gate = ""
        if draw(st.booleans()):
            # A gate goes the input's way, as a real one does: the monotone law holds.
            k = draw(st.integers(0, len(directions) - 1))
            op = ">=" if directions[k] == "higher" else "<="
            gate = f" requires x{k} {op} {draw(st.integers(0, 100))}"
        rows.append(f'  {name} "{name.capitalize()}" [{low}, {high}{closing}{gate}')
    return 'tiers on total {\n  below "Belum"\n' + "\n".join(rows) + "\n}"


# --- property checks -------------------------------------------------------------------


def _fail(
    ruleset: Ruleset, message: str, *regions: Mapping[str, Any], also: Result | None = None
) -> AssertionError:
    """An AssertionError naming the counter-example and how each result arose.

    `also` adds the explanation of a result the regions alone do not reproduce (a row of a
    batch, say), so both sides of a disagreement are shown.
    """
    parts = [message]
    if also is not None:
        parts.append(f"as evaluated in the table:\n{also.explain('en').to_text()}")
    for region in regions:
        parts.append(f"region: {dict(region)!r}")
        try:
            parts.append(ruleset.evaluate(region, extra="ignore").explain("en").to_text())
        except DataError as error:
            parts.append(f"(cannot evaluate: {error})")
    return AssertionError("\n".join(parts))


def assert_total_in_scale(ruleset: Ruleset, region: Mapping[str, Any]) -> None:
    """The classified score stays within the ruleset's scale (or 0..its maximum)."""
    result = ruleset.evaluate(region, extra="ignore")
    total = result.total
    if total is None:
        return
    header = ruleset.header
    low, high = (
        (float(header.scale[0]), float(header.scale[1]))
        if header and header.scale
        else (0.0, _maximum(ruleset))
    )
    if not (holds(">=", total, low) and holds("<=", total, high)):
        raise _fail(ruleset, f"total {total} is outside the scale {low:g}..{high:g}", region)


def assert_tier_matches_total(ruleset: Ruleset, region: Mapping[str, Any]) -> None:
    """The tier's interval holds the score, or a requirement of a higher tier failed."""
    result = ruleset.evaluate(region, extra="ignore")
    c = ruleset.plan.classification
    if c is None or result.total is None:
        return
    reached = sum(holds(">=", result.total, low) for low in c.lowers)  # by score alone
    code = result.tier_code
    if code > reached:
        raise _fail(
            ruleset,
            f"tier {code} is above what the score {result.total} reaches ({reached})",
            region,
        )
    if code < reached and not _a_gate_failed(result, c.gates, code):
        raise _fail(
            ruleset,
            f"tier {code} is below the score's tier {reached} with every requirement met",
            region,
        )


def _a_gate_failed(result: Result, gates: Sequence[Sequence[object]], code: int) -> bool:
    env = result._results.env  # noqa: SLF001  # gate outcomes are kept per region
    return any(
        env[f"tier.gate.{level}.{index}"][result.index] != 1.0
        for level in range(1, len(gates) + 1)
        for index in range(len(gates[level - 1]))
        if level > code
    )


def assert_monotone(ruleset: Ruleset, region: Mapping[str, Any], *, step: float = 1.0) -> None:
    """Improving an input never lowers the total or the tier.

    Improving means more of a `better higher` input or less of a `better lower` one;
    inputs without a declared direction are left alone.
    """
    base = ruleset.evaluate(region, extra="ignore")
    for spec in ruleset.plan.inputs:
        direction = _direction(ruleset, spec.name)
        value = region.get(spec.name)
        if direction == 0 or not isinstance(value, int | float) or isinstance(value, bool):
            continue
        moved = float(value) + direction * step
        if (spec.low is not None and moved < spec.low) or (
            spec.high is not None and moved > spec.high
        ):
            continue
        better = {**region, spec.name: moved}
        after = ruleset.evaluate(better, extra="ignore")
        if _worse(after, base):
            raise _fail(
                ruleset,
                f"improving '{spec.name}' from {value} to {moved} lowered the result: "
                f"{_summary(base)} -> {_summary(after)}",
                region,
                better,
            )


def _direction(ruleset: Ruleset, name: str) -> int:
    for definition in ruleset._linked.definitions:  # noqa: SLF001  # declared directions live in the syntax tree
        if definition.name == name and getattr(definition, "better", None):
            return 1 if definition.better == "higher" else -1  # type: ignore[union-attr]  # inputs only
    return 0


def _summary(result: Result) -> str:
    tier = f", tier {result.tier_name or result.tier_code}" if result.has_tiers else ""
    return f"total {result.total}{tier}"


def _worse(after: Result, before: Result) -> bool:
    if before.total is None or after.total is None:
        return False
    lower_total = after.total < before.total - TOLERANCE
    return lower_total or (before.has_tiers and 0 <= after.tier_code < before.tier_code)


def assert_batch_matches_single(ruleset: Ruleset, table: Mapping[str, Sequence[Any]]) -> None:
    """Evaluating a table gives, row by row, what evaluating each region alone gives.

    Ranks depend on the other regions on purpose and are left out.
    """
    batch = ruleset.evaluate_many(dict(table), extra="ignore")
    names = _per_region(ruleset, batch)
    for row in range(len(batch)):
        region = {column: values[row] for column, values in table.items()}
        single = ruleset.evaluate(region, extra="ignore")
        if not _same(batch.region(row), single, names):
            message = f"row {row + 1} differs from evaluating it alone"
            raise _fail(ruleset, message, region, also=batch.region(row))


def assert_order_independent(ruleset: Ruleset, table: Mapping[str, Sequence[Any]]) -> None:
    """Reversing the rows, or evaluating them in two chunks, changes no region's result.

    Ranks and rollups depend on the other regions on purpose; only per-region values are
    compared.
    """
    whole = ruleset.evaluate_many(dict(table), extra="ignore")
    size = len(whole)
    reversed_table = {column: list(values)[::-1] for column, values in table.items()}
    backwards = ruleset.evaluate_many(reversed_table, extra="ignore")
    half = size // 2
    chunks = [
        ruleset.evaluate_many({c: list(v)[part] for c, v in table.items()}, extra="ignore")
        for part in (slice(0, half), slice(half, size))
        if part.stop > part.start
    ]
    rows_from_chunks = [chunk.region(i) for chunk in chunks for i in range(len(chunk))]
    names = _per_region(ruleset, whole)
    for row in range(size):
        for other in (backwards.region(size - 1 - row), rows_from_chunks[row]):
            if not _same(whole.region(row), other, names):
                region = {column: values[row] for column, values in table.items()}
                message = f"row {row + 1} changed with the order or chunking of rows"
                raise _fail(ruleset, message, region, also=other)


def assert_deterministic(ruleset: Ruleset, region: Mapping[str, Any], *, times: int = 3) -> None:
    """The same region evaluates to the same values every time."""
    first = ruleset.evaluate(region, extra="ignore")
    names = _per_region(ruleset, first._results)  # noqa: SLF001  # the row's names
    for _ in range(times - 1):
        again = ruleset.evaluate(region, extra="ignore")
        if not _same(first, again, names):
            raise _fail(ruleset, "two evaluations of the same region differ", region)


def _per_region(ruleset: Ruleset, results: Results) -> tuple[str, ...]:
    ranks = {r.name for r in ruleset.plan.ranks}
    return tuple(name for name in results.names if name not in ranks)


def _same(a: Result, b: Result, names: Sequence[str]) -> bool:
    if a.has_tiers and a.tier_code != b.tier_code:
        return False
    for name in names:
        x, y = a[name], b[name]
        if x is None or y is None:
            if x is not y:
                return False
        elif isinstance(x, float) and isinstance(y, float) and abs(x - y) > TOLERANCE:
            return False
    return True


def _maximum(ruleset: Ruleset) -> float:
    c = ruleset.plan.classification
    name = c.subject if c else ruleset.plan.steps[-1].name
    return ruleset.plan.maxima.get(name, math.inf)
