"""The plan: an immutable, ordered list of resolved steps that the evaluator runs.

Input: an `Analysis` without errors. Output: a `Plan`. Names are resolved, parameters
are substituted, numbers become floats here and only here (bounds stay exact in
`check`), so evaluation never touches syntax.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import weakref
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import TypeVar

import attrs

from indikator import nodes as n
from indikator.check import Analysis
from indikator.constants import fold
from indikator.decimals import cut_points
from indikator.errors import Span
from indikator.functions import FUNCTIONS
from indikator.graph import option_source
from indikator.operations import Op

__all__ = [
    "Apply",
    "BandsIR",
    "Classification",
    "Const",
    "EvidenceSpec",
    "FormulaIR",
    "Gate",
    "GroupStep",
    "IndicatorStep",
    "InputSpec",
    "LetStep",
    "LinearIR",
    "Load",
    "Op",
    "OptionsIR",
    "Plan",
    "RankStep",
    "RollupStep",
    "lower",
    "per_plan",
    "source_order",
]


@attrs.frozen(repr=False)
class Const(n.FieldsRepr):
    """A constant."""

    value: float


@attrs.frozen(repr=False)
class Load(n.FieldsRepr):
    """The array of an input or an earlier step (`x.met`, `x.prev` for derived columns)."""

    name: str


@attrs.frozen(repr=False)
class Apply(n.FieldsRepr):
    """An operation (`operations.Op`) on its arguments; `places` and `mode` are round's.

    `"all_met"` takes (points, met) pairs, one per indicator: `all_met(score)` lowered.
    """

    op: Op
    args: tuple[IR, ...]
    places: int = 0
    mode: str = ""


IR = Const | Load | Apply


@attrs.frozen(kw_only=True, repr=False)
class BandsIR(n.FieldsRepr):
    """Bands as `searchsorted` cut points; `lowest`/`highest` bound the covered range."""

    subject: IR
    cuts: tuple[float, ...]
    points: tuple[float, ...]
    lowest: tuple[float, bool] | None  # (edge, closed); None when open to -inf
    highest: tuple[float, bool] | None
    check_range: bool  # False when the checker proved every value falls in a band
    #: The lower edges behind `cuts` (edge, closed), for an exact decision (`exact`).
    edges: tuple[tuple[float, bool], ...] = ()


@attrs.frozen(kw_only=True, repr=False)
class LinearIR(n.FieldsRepr):
    """Linear scaling, clamped."""

    subject: IR
    start: float
    stop: float
    low: float
    high: float


@attrs.frozen(kw_only=True, repr=False)
class OptionsIR(n.FieldsRepr):
    """Points per option code (the input's choices, in order)."""

    subject: IR
    points: tuple[float, ...]


@attrs.frozen(kw_only=True, repr=False)
class FormulaIR(n.FieldsRepr):
    """Points from an expression."""

    expr: IR


ScoringIR = BandsIR | LinearIR | OptionsIR | FormulaIR


@attrs.frozen(kw_only=True, repr=False)
class InputSpec(n.FieldsRepr):
    """A column to read and validate."""

    name: str
    kind: str
    choices: tuple[str, ...]
    low: float | None
    high: float | None
    missing: str
    label: n.Label | None
    agency: str | None
    origin: Span
    needs_prev: bool = False


@attrs.frozen(kw_only=True, repr=False)
class EvidenceSpec(n.FieldsRepr):
    """A document (*data dukung*) an input or indicator needs, its agency and its deadline."""

    document: str
    owner: str  # the input or indicator that declares it
    agency: str | None  # the owner's, else (as `attribution.agency_of`) its readers' or inputs'
    due: dt.date | None
    origin: Span


@attrs.frozen(kw_only=True, repr=False)
class IndicatorStep(n.FieldsRepr):
    """Points of an indicator, with its missing-data policy resolved per input."""

    name: str
    origin: Span
    label: n.Label | None
    scoring: ScoringIR
    maximum: float
    rounding: tuple[int, str] | None
    met: IR | None
    zero_inputs: tuple[str, ...]
    exclude_inputs: tuple[str, ...]
    inputs: tuple[str, ...]  # every input behind the points, for explanations
    agency: str | None


@attrs.frozen(kw_only=True, repr=False)
class LetStep(n.FieldsRepr):
    """A named intermediate value."""

    name: str
    origin: Span
    label: n.Label | None
    expr: IR
    rounding: tuple[int, str] | None


@attrs.frozen(kw_only=True, repr=False)
class GroupStep(n.FieldsRepr):
    """A sum, mean or weighted mean of members' points."""

    name: str
    origin: Span
    label: n.Label | None
    aggregator: str
    members: tuple[str, ...]
    weights: tuple[float, ...]
    member_maxima: tuple[float, ...]
    maximum: float
    rounding: tuple[int, str] | None


@attrs.frozen(kw_only=True, repr=False)
class RankStep(n.FieldsRepr):
    """Competition ranking (1, 2, 2, 4) within a grouping column, after tie-breaks."""

    name: str
    origin: Span
    label: n.Label | None
    keys: tuple[tuple[str, bool], ...]  # (column, descending), main key first
    within: str | None


Step = IndicatorStep | LetStep | GroupStep


@attrs.frozen(kw_only=True, repr=False)
class RollupStep(n.FieldsRepr):
    """Summaries per value of a grouping column; `items` are (name, function, value)."""

    name: str
    origin: Span
    label: n.Label | None
    by: str
    items: tuple[tuple[str, str, IR | None], ...]
    labels: tuple[n.Label | None, ...]


@attrs.frozen(kw_only=True, repr=False)
class Gate(n.FieldsRepr):
    """A requirement of a tier."""

    condition: IR
    label: n.Label | None
    text: str
    origin: Span


@attrs.frozen(kw_only=True, repr=False)
class Classification(n.FieldsRepr):
    """Tiers on one score: cut points of their lower ends, labels and gates."""

    subject: str
    cuts: tuple[float, ...]
    names: tuple[str, ...]
    labels: tuple[n.Label, ...]
    lowers: tuple[float, ...]
    below: n.Label
    gates: tuple[tuple[Gate, ...], ...]
    #: Whether each tier's lower end is closed, for an exact decision (`exact`).
    closed: tuple[bool, ...] = ()


@attrs.frozen(kw_only=True, repr=False)
class Plan(n.FieldsRepr):
    """Everything the evaluator needs, in order."""

    inputs: tuple[InputSpec, ...]
    steps: tuple[Step, ...]
    ranks: tuple[RankStep, ...]
    classification: Classification | None
    rollups: tuple[RollupStep, ...]
    region: str | None
    region_name: str | None
    maxima: Mapping[str, float]
    evidence: tuple[EvidenceSpec, ...] = ()


def lower(analysis: Analysis, sources: Mapping[str, str]) -> Plan:
    """Turn a checked ruleset into a plan."""
    return _Lowering(analysis, sources).plan()


class _Lowering:
    def __init__(self, analysis: Analysis, sources: Mapping[str, str]) -> None:
        self.a = analysis
        self.sources = sources
        self.prev_inputs: set[str] = set()
        self.tier_names = [t.name for t in analysis.tiers.tiers] if analysis.tiers else []
        self._lines: dict[str, list[str]] = {}

    def plan(self) -> Plan:
        steps: list[Step] = []
        ranks: list[RankStep] = []
        for name in self.a.order:
            definition = self.a.definitions[name]
            match definition:
                case n.Indicator():
                    steps.append(self.indicator(definition))
                case n.Let():
                    steps.append(self.let(definition))
                case n.Group():
                    steps.append(self.group(definition))
                case n.Rank():
                    keys = tuple((k.name, k.descending) for k in (definition.key, *definition.ties))
                    within = definition.within.name if definition.within else None
                    ranks.append(
                        RankStep(
                            name=name,
                            origin=definition.span,
                            label=definition.label,
                            keys=keys,
                            within=within,
                        )
                    )
        classification = self.classification()
        rollups = tuple(self.rollup(r) for r in self.a.rollups)
        header = self.a.header
        inputs = tuple(self.input(d) for d in self.a.definitions.values() if isinstance(d, n.Input))
        return Plan(
            inputs=inputs,
            steps=tuple(steps),
            ranks=tuple(ranks),
            classification=classification,
            rollups=rollups,
            region=header.region if header else None,
            region_name=header.region_name if header else None,
            maxima={k: float(v) for k, v in self.a.maxima.items()},
            evidence=self.evidence(inputs, steps),
        )

    def evidence(
        self, inputs: Sequence[InputSpec], steps: Sequence[Step]
    ) -> tuple[EvidenceSpec, ...]:
        """Every evidence requirement, in the order of the definitions."""
        indicators = [s for s in steps if isinstance(s, IndicatorStep)]
        agencies: dict[str, str | None] = {i.name: i.agency for i in inputs}
        agencies |= {s.name: s.agency for s in indicators}
        found = []
        for definition in self.a.definitions.values():
            if isinstance(definition, n.Input):
                items = definition.evidence
                others = {s.agency for s in indicators if definition.name in s.inputs}
            elif isinstance(definition, n.Indicator):
                items = definition.clauses.evidence
                step = next(s for s in indicators if s.name == definition.name)
                others = {agencies[i] for i in step.inputs}
            else:
                continue
            agency = agencies[definition.name] or " / ".join(sorted(a for a in others if a)) or None
            found += [
                EvidenceSpec(
                    document=e.document,
                    owner=definition.name,
                    agency=agency,
                    due=None if e.due is None else dt.date.fromisoformat(e.due),
                    origin=e.span,
                )
                for e in items
            ]
        return tuple(found)

    def let(self, let: n.Let) -> LetStep:
        return LetStep(
            name=let.name,
            origin=let.span,
            label=let.label,
            expr=self.expr(let.expr),
            rounding=_rounding(let.clauses),
        )

    def rollup(self, rollup: n.Rollup) -> RollupStep:
        items = tuple(
            (item.name, item.function, None if item.arg is None else self.expr(item.arg))
            for item in rollup.items
        )
        return RollupStep(
            name=rollup.name,
            origin=rollup.span,
            label=rollup.label,
            by=rollup.by.name,
            items=items,
            labels=tuple(item.label for item in rollup.items),
        )

    def input(self, item: n.Input) -> InputSpec:
        rng = self.a.ranges[item.name]
        numeric = item.type.kind in ("number", "percent", "count")
        return InputSpec(
            name=item.name,
            kind=item.type.kind,
            choices=item.type.choices,
            low=_float(rng.lo) if numeric else None,
            high=_float(rng.hi) if numeric else None,
            missing=item.missing or "error",
            label=item.label,
            agency=item.agency,
            origin=item.span,
            needs_prev=item.name in self.prev_inputs,
        )

    def indicator(self, indicator: n.Indicator) -> IndicatorStep:
        inputs = self.inputs_behind(indicator.name)
        policies = {name: self.a.definitions[name].missing or "error" for name in inputs}  # type: ignore[union-attr]  # inputs only
        return IndicatorStep(
            name=indicator.name,
            origin=indicator.span,
            label=indicator.label,
            scoring=self.scoring(indicator.scoring),
            maximum=self.maximum(indicator.name),
            rounding=_rounding(indicator.clauses),
            met=self.expr(indicator.clauses.met) if indicator.clauses.met is not None else None,
            zero_inputs=tuple(sorted(k for k, v in policies.items() if v == "zero")),
            inputs=tuple(sorted(inputs)),
            exclude_inputs=tuple(sorted(k for k, v in policies.items() if v == "exclude")),
            agency=indicator.clauses.agency,
        )

    def inputs_behind(self, name: str) -> set[str]:
        """Inputs an indicator reads directly or through `let`s (not through other scores)."""
        found: set[str] = set()
        seen: set[str] = set()
        pending = [name]  # a walk with a list, not recursion: `let` chains can be long
        while pending:
            for parent in self.a.graph.predecessors(pending.pop()):
                definition = self.a.definitions[parent]
                if isinstance(definition, n.Input):
                    found.add(parent)
                elif isinstance(definition, n.Let) and parent not in seen:
                    seen.add(parent)
                    pending.append(parent)
        return found

    def group(self, group: n.Group) -> GroupStep:
        members = tuple(m.name for m in group.members)
        if group.aggregator == "weighted":
            weights = tuple(self.number(m.weight) if m.weight else 0.0 for m in group.members)
        else:
            weights = tuple(1.0 for _ in members)
        return GroupStep(
            name=group.name,
            origin=group.span,
            label=group.label,
            aggregator=group.aggregator,
            members=members,
            weights=weights,
            member_maxima=tuple(self.maximum(m) for m in members),
            maximum=self.maximum(group.name),
            rounding=_rounding(group.clauses),
        )

    def scoring(self, scoring: n.Scoring) -> ScoringIR:
        match scoring:
            case n.Bands():
                return self.bands(scoring)
            case n.Linear():
                return LinearIR(
                    subject=self.expr(scoring.subject),
                    start=self.number(scoring.start),
                    stop=self.number(scoring.stop),
                    low=self.number(scoring.low),
                    high=self.number(scoring.high),
                )
            case n.Options():
                by_option = {row.option: self.number(row.points) for row in scoring.rows}
                source = option_source(scoring.subject)
                assert source is not None  # noqa: S101  # checked: options read an option input
                choices = self.a.types[source].choices
                return OptionsIR(
                    subject=self.expr(scoring.subject), points=tuple(by_option[c] for c in choices)
                )
            case n.Formula(expr=expr):
                return FormulaIR(expr=self.expr(expr))

    def bands(self, bands: n.Bands) -> BandsIR:
        rows = bands.rows
        first, last = rows[0].interval, rows[-1].interval
        return BandsIR(
            subject=self.expr(bands.subject),
            cuts=self.cuts([(row.interval.low, row.interval.low_closed) for row in rows[1:]]),
            points=tuple(self.number(r.points) for r in rows),
            lowest=self.edge(first.low, first.low_closed),
            highest=self.edge(last.high, last.high_closed),
            check_range=True,
            edges=tuple(
                (-math.inf if isinstance(b, n.Infinity) else self.number(b), closed)
                for b, closed in ((row.interval.low, row.interval.low_closed) for row in rows[1:])
            ),
        )

    def classification(self) -> Classification | None:
        tiers = self.a.tiers
        if tiers is None:
            return None
        lowers = [(tier.interval.low, tier.interval.low_closed) for tier in tiers.tiers]
        gates = tuple(
            tuple(
                Gate(
                    condition=self.expr(r.condition),
                    label=r.label,
                    text=self.text(r.condition.span),
                    origin=r.span,
                )
                for r in tier.requirements
            )
            for tier in tiers.tiers
        )
        return Classification(
            subject=tiers.subject.name,
            cuts=self.cuts(lowers),
            names=tuple(t.name for t in tiers.tiers),
            labels=tuple(t.label for t in tiers.tiers),
            lowers=tuple(
                -math.inf if isinstance(b, n.Infinity) else self.number(b) for b, _ in lowers
            ),
            below=tiers.below or n.Label(id="Tidak berpredikat", en="No tier"),
            gates=gates,
            closed=tuple(closed for _, closed in lowers),
        )

    # -- expressions ----------------------------------------------------------------

    def value(self, value: n.Value | None) -> Fraction:
        if value is None:
            return Fraction(0)
        if isinstance(value, n.Number):
            return Fraction(value.value)
        if isinstance(value, n.Arith):  # a constant expression, folded as the checker did
            return fold(value, self.value)
        return self.a.params[value.name]

    # Every number of the ruleset reaches the plan through these four methods, so that
    # `drawn.lower_drawn` can put one value per row in their place.

    def number(self, value: n.Value | None) -> float:
        """A number of the ruleset (a literal or a parameter) as the plan holds it."""
        return float(self.value(value))

    def maximum(self, name: str) -> float:
        return float(self.a.maxima[name])

    def edge(self, bound: n.Bound, closed: bool) -> tuple[float, bool] | None:  # noqa: FBT001
        """An outer band edge, None when open to infinity."""
        return None if isinstance(bound, n.Infinity) else (self.number(bound), closed)

    def cuts(self, lowers: Sequence[tuple[n.Bound, bool]]) -> tuple[float, ...]:
        """The cut points of ascending lower edges (a value at a closed edge goes up)."""
        edges = [
            (-math.inf if isinstance(b, n.Infinity) else self.number(b), up) for b, up in lowers
        ]
        return cut_points(edges)

    def text(self, span: Span) -> str:
        """The source text under a one-line span, as the user wrote it."""
        lines = self.lines(span.file)
        if span.line != span.end_line or not 1 <= span.line <= len(lines):
            return ""
        return lines[span.line - 1][span.column - 1 : span.end_column - 1]

    def lines(self, file: str) -> list[str]:
        r"""A file's lines as the parser counts them: only "\n" ends one.

        Not `str.splitlines()`, which also ends lines at form feeds, U+2028 and other
        separators that the grammar takes as white space or as text inside a string.
        Split once per file: a ruleset may have thousands of requirements.
        """
        if file not in self._lines:
            source = self.sources.get(file, "").removeprefix("\ufeff")  # as `parse` reads it
            self._lines[file] = source.split("\n")
        return self._lines[file]

    def expr(self, expr: n.Expr) -> IR:
        match expr:
            case n.Number(value=value):
                return Const(float(value))
            case n.Bool(value=value):
                return Const(1.0 if value else 0.0)
            case n.String():
                return Const(float("nan"))  # only reachable inside option comparisons
            case n.Ref(name=name):
                if name in self.a.params:
                    return Const(self.number(expr))
                return Load(name)
            case n.Neg(operand=operand):
                return Apply("neg", (self.expr(operand),))
            case n.Arith(op=op, left=left, right=right):
                return Apply(_ARITHMETIC[op], (self.expr(left), self.expr(right)))
            case n.Compare(op=op, left=left, right=right):
                return Apply(op, (self.operand(left, right), self.operand(right, left)))
            case n.And(left=left, right=right):
                return Apply("and", (self.expr(left), self.expr(right)))
            case n.Or(left=left, right=right):
                return Apply("or", (self.expr(left), self.expr(right)))
            case n.Not(operand=operand):
                return Apply("not", (self.expr(operand),))
            case n.If(condition=condition, then=then, otherwise=otherwise):
                return Apply("if", (self.expr(condition), self.expr(then), self.expr(otherwise)))
            case n.Call():
                return self.call(expr)

    def operand(self, expr: n.Expr, other: n.Expr) -> IR:
        """A comparison side; a string next to an option input becomes the option's code."""
        if isinstance(expr, n.String) and isinstance(other, n.Ref) and other.name == "tier":
            return Const(float(self.tier_names.index(expr.value) + 1))  # tier codes start at 1
        source = option_source(other)
        if isinstance(expr, n.String) and source is not None:
            choices = self.a.types[source].choices
            return Const(float(choices.index(expr.value)))
        return self.expr(expr)

    def call(self, call: n.Call) -> IR:
        """A call as the operations its function's definition lowers it to."""
        spec = FUNCTIONS[call.function]
        lowered: IR = spec.lowered(self, spec.checked(call.args))
        return lowered

    # -- what a function's `lowered` rule may ask (`functions.Lowering`) -------------

    def apply(self, op: Op, args: Sequence[IR], *, places: int = 0, mode: str = "") -> IR:
        return Apply(op, tuple(args), places=places, mode=mode)

    def const(self, value: float) -> IR:
        return Const(value)

    def load(self, name: str) -> IR:
        return Load(name)

    def past(self, name: str) -> IR:
        self.prev_inputs.add(name)
        return Load(f"{name}.prev")

    def percent(self, name: str) -> IR:
        scaled = Apply("mul", (Load(name), Const(100.0)))
        return Apply("div", (scaled, Const(self.maximum(name))))

    def indicators_under(self, name: str) -> list[str]:
        definition = self.a.definitions[name]
        if isinstance(definition, n.Indicator):
            return [name]
        assert isinstance(definition, n.Group)  # noqa: S101  # checked
        return [i for m in definition.members for i in self.indicators_under(m.name)]


_ARITHMETIC: dict[str, Op] = {"+": "add", "-": "sub", "*": "mul", "/": "div"}


def _rounding(clauses: n.Clauses) -> tuple[int, str] | None:
    if clauses.rounding is None:
        return None
    return (clauses.rounding.places, clauses.rounding.mode)


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def source_order(plan: Plan) -> list[str]:
    """The scored steps in the order the ruleset writes them (files in the order linked).

    Evaluation order is topological, which scatters an indicator far from its group; a
    reader expects the order of the text. Files rank by their first definition among the
    inputs, which the linker keeps in the order it met them.
    """
    files: dict[str, int] = {}
    for item in (*plan.inputs, *plan.steps):
        files.setdefault(item.origin.file or "", len(files))
    return [
        step.name
        for step in sorted(
            plan.steps,
            key=lambda s: (files[s.origin.file or ""], s.origin.line, s.origin.column),
        )
    ]


_T = TypeVar("_T")


def per_plan(derive: Callable[[Plan], _T]) -> Callable[[Plan], _T]:
    """`derive(plan)` worked out once per plan and kept while the plan lives.

    What depends on the plan alone is not worked out again on every evaluation: the fixed
    cost of a call counts at a thousand regions. A plan holds mappings (it has no hash),
    so the answers are kept by its identity and dropped when it is freed.
    """
    found: dict[int, _T] = {}

    @functools.wraps(derive)
    def once(plan: Plan) -> _T:
        key = id(plan)
        if key not in found:
            answer = derive(plan)
            # Threads that derive at once (chunks of one evaluation) all keep the first.
            if found.setdefault(key, answer) is answer:
                weakref.finalize(plan, found.pop, key, None)
        return found[key]

    return once
