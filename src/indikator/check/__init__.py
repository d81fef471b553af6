"""Semantic checks: names, types and units, and every scoring rule, reported all at once.

Input: a `Linked` ruleset and parameter values. Output: an `Analysis` (types, exact
ranges and maxima per definition, evaluation order, graph) plus diagnostics. `compile`
raises `RulesetCheckError` when any diagnostic is an error.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

import attrs
import networkx as nx

from indikator import nodes as n
from indikator.bounds import UNBOUNDED, UNIT, Range, format_number, hull_all, rounded_range
from indikator.check.functions import check_call
from indikator.errors import Diagnostic, Severity, Span
from indikator.graph import (
    build_graph,
    cycle_diagnostics,
    evaluation_order,
    expr_refs,
    option_source,
    references,
)
from indikator.link import Linked
from indikator.messages import Arg, Message, closest
from indikator.numeric import LARGEST as _LARGEST
from indikator.numeric import PLACES, SIGNIFICANT
from indikator.provenance import Provenance, trace
from indikator.valuetypes import BOOL, COUNT, NUMBER, PERCENT, POINTS, Type

__all__ = ["Analysis", "Checker", "analyse"]


@attrs.frozen(kw_only=True)
class Analysis:
    """What the checker learnt, for lowering: per-definition facts and order."""

    definitions: Mapping[str, n.Definition]
    order: tuple[str, ...]
    graph: nx.DiGraph[str]
    types: Mapping[str, Type]
    ranges: Mapping[str, Range]
    maxima: Mapping[str, Fraction]
    params: Mapping[str, Fraction]
    diagnostics: tuple[Diagnostic, ...]
    header: n.Header | None
    tiers: n.Tiers | None
    rollups: tuple[n.Rollup, ...] = ()
    provenance: Provenance | None = None

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """Only the errors."""
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)


def analyse(
    linked: Linked,
    params: Mapping[str, Fraction],
    *,
    catalogue: bool = False,
    strict: bool = False,
) -> Analysis:
    """Check a linked ruleset; never raises for user mistakes, returns diagnostics.

    `catalogue` checks a file of definitions on its own, as the rulesets that import it
    would check it, with no header needed. (In a file of definitions only no input is
    reported unused, whether checked alone or loaded: they are for the importers.)
    """
    checker = Checker(linked, params, catalogue=catalogue)
    analysis = checker.run()
    provenance, problems = trace(linked, params, strict=strict)
    return attrs.evolve(
        analysis, provenance=provenance, diagnostics=(*analysis.diagnostics, *problems)
    )


WEIGHTS_TOTAL = 100  # weights of a `weighted` group are percentages
# Float64 holds every decimal of 15 significant digits exactly; `numeric` says why 10^15.
LARGEST = Fraction(_LARGEST)
#: Tier codes are int16 (`evaluate.classify`), with -1 for no tier.
MOST_TIERS = 2**15 - 1


def _error(
    code: str, message: Message, span: Span | None, hint: Message | None = None
) -> Diagnostic:
    return Diagnostic(code=code, message=message, span=span, hint=hint)


def _warning(
    code: str, message: Message, span: Span | None, hint: Message | None = None
) -> Diagnostic:
    return Diagnostic(code=code, message=message, span=span, hint=hint, severity=Severity.WARNING)


_MAX_SUGGESTED = 20  # unknown names given a "did you mean" hint (each costs 0.3 s among 100k)


#: The language resolves decimals to 10⁻⁹ (`numeric`): an interval open at both ends and
#: no wider than that holds no value.
_RESOLUTION = Fraction(1, 10**9)


def _holds_nothing(
    lo: Fraction | None, hi: Fraction | None, *, low_closed: bool, high_closed: bool
) -> bool:
    """Whether no value falls in an interval (a reversed one included)."""
    if lo is None or hi is None:
        return False
    if low_closed and high_closed:
        return lo > hi
    if low_closed or high_closed:
        return lo >= hi
    return hi - lo <= _RESOLUTION


def _suggest(name: str, candidates: list[str]) -> Message | None:
    close = closest(name, candidates)
    return Message("suggest.did_you_mean", name=close) if close else None


class Checker:
    """Walks the definitions in dependency order, collecting types, ranges and problems."""

    def __init__(
        self, linked: Linked, params: Mapping[str, Fraction], *, catalogue: bool = False
    ) -> None:
        self.linked = linked
        self.needs_header = not catalogue
        self.defs: dict[str, n.Definition] = {d.name: d for d in linked.definitions}
        self.params = dict(params)
        self.problems: list[Diagnostic] = list(linked.duplicates)
        self.types: dict[str, Type] = {}
        self.ranges: dict[str, Range] = {}
        self.maxima: dict[str, Fraction] = {}
        self._errors_before = 0
        self._reading_ranks = False  # only rollups run after the ranks and may read them

    # -- driver ---------------------------------------------------------------------

    def run(self) -> Analysis:
        """Run every check; the analysis holds all diagnostics found."""
        self._check_header()
        self._check_names()
        graph = build_graph(self.defs)
        self.problems.extend(cycle_diagnostics(graph))
        order: tuple[str, ...] = ()
        if not any(d.code == "IK301" for d in self.problems):
            order = evaluation_order(graph)
            for name in order:
                self._definition(self.defs[name])
            self._check_tiers()
            self._check_rollups()
            self._check_roots(graph)
            self._check_unused(graph)
        return Analysis(
            definitions=self.defs,
            order=order,
            graph=graph,
            types=self.types,
            ranges=self.ranges,
            maxima=self.maxima,
            params=self.params,
            diagnostics=tuple(self.problems),
            header=self.linked.header,
            tiers=self.linked.tiers,
            rollups=self.linked.rollups,
        )

    def _check_header(self) -> None:
        header = self.linked.header
        if header is None and not self.needs_header:
            return
        if header is None:
            top = next(iter(self.linked.sources), "<text>")
            start = Span(file=top, line=1, column=1, end_line=1, end_column=2)
            first = self.linked.definitions[0].span if self.linked.definitions else start
            hint = "check.hint_catalogue" if self.linked.catalogue else "check.hint_header"
            self.problems.append(
                _error(
                    "IK102",
                    Message("check.no_header"),
                    first,
                    Message(hint),
                )
            )
            return
        if header.scale and header.scale[0] >= header.scale[1]:
            self.problems.append(_error("IK409", Message("check.scale_order"), header.span))
        for column in (header.region, header.region_name):
            if column is not None and column in self.defs:
                defined = self.defs[column]
                if not (isinstance(defined, n.Input) and defined.type.kind == "text"):
                    self.problems.append(
                        _error(
                            "IK202",
                            Message("check.region_column", column=column),
                            defined.span,
                        )
                    )

    def _check_names(self) -> None:
        if "tier" in self.defs:  # `tier` in gates and rollups means the tier reached
            self.problems.append(
                _error("IK106", Message("check.tier_reserved"), self.defs["tier"].span)
            )
        names = sorted(self.defs)
        hints: dict[str, Message | None] = {}
        refs = [r for d in self.defs.values() for r in references(d)]
        for ref in [*refs, *_tiers_refs(self.linked.tiers)]:
            if ref.name not in self.defs:
                if ref.name not in hints:  # a fuzzy match reads every name: bound the work
                    few = len(hints) < _MAX_SUGGESTED
                    hints[ref.name] = _suggest(ref.name, names) if few else None
                self.problems.append(
                    _error(
                        "IK201",
                        Message("check.unknown_name", name=ref.name),
                        ref.span,
                        hints[ref.name],
                    )
                )

    def _check_roots(self, graph: nx.DiGraph[str]) -> None:
        """Without tiers, every top-level score must fill the scale."""
        header = self.linked.header
        if self.linked.tiers is not None or header is None or header.scale is None:
            return
        top = Fraction(header.scale[1])
        for name in self.maxima:
            if graph.out_degree(name) == 0 and self.maxima[name] != top:
                self.problems.append(self._short_of_scale(name, top))

    def _check_unused(self, graph: nx.DiGraph[str]) -> None:
        if self.linked.catalogue:  # its inputs are for the rulesets that import it
            return
        header = self.linked.header
        region_columns = {header.region, header.region_name} if header else set()
        used = {r.name for r in _tiers_refs(self.linked.tiers)}
        for rollup in self.linked.rollups:
            used.add(rollup.by.name)
            used.update(r.name for item in rollup.items if item.arg for r in _expr_refs(item.arg))
        for name, definition in self.defs.items():
            if isinstance(definition, n.Input) and graph.out_degree(name) == 0:
                if name in region_columns or name in used:
                    continue
                self.problems.append(
                    _warning("IK302", Message("check.unused_input", name=name), definition.span)
                )

    # -- definitions ----------------------------------------------------------------

    def _definition(self, definition: n.Definition) -> None:
        self._errors_before = self._error_count()
        match definition:
            case n.Param():
                self._param(definition)
            case n.Input():
                self._input(definition)
            case n.Indicator():
                self._indicator(definition)
            case n.Let():
                kind, rng = self.expr(definition.expr)
                self._finish(definition.name, kind, rng, definition.clauses, scored=False)
            case n.Group():
                self._group(definition)
            case n.Rank():
                self._rank(definition)

    def _param(self, param: n.Param) -> None:
        value = self.params.get(param.name, Fraction(param.value))
        self._magnitude(value, param.span)
        self.params[param.name] = value
        self.types[param.name] = PERCENT if param.percent else NUMBER
        self.ranges[param.name] = Range.point(value)

    def _input(self, item: n.Input) -> None:
        kind = item.type.kind
        declared = Range(Fraction(item.range[0]), Fraction(item.range[1])) if item.range else None
        for end in item.range or ():
            self._magnitude(Fraction(end), item.span)
        if (
            declared
            and declared.lo is not None
            and declared.hi is not None
            and declared.lo > declared.hi
        ):
            self.problems.append(
                _error("IK409", Message("check.empty_range", name=item.name), item.span)
            )
        match kind:
            case "percent":
                typ, rng = PERCENT, declared or Range(Fraction(0), Fraction(100))
            case "count":
                typ, rng = COUNT, declared or Range(Fraction(0), None)
            case "number":
                typ, rng = Type(kind="number", unit=item.unit), declared or UNBOUNDED
            case "yesno":
                typ, rng = BOOL, UNIT
            case "checklist":
                typ, rng = COUNT, Range(Fraction(0), Fraction(len(item.type.choices)))
            case "option":
                typ, rng = Type(kind="option", choices=item.type.choices), UNBOUNDED
            case "text":
                typ, rng = Type(kind="text"), UNBOUNDED
        if kind in ("option", "checklist") and len(set(item.type.choices)) != len(
            item.type.choices
        ):
            self.problems.append(
                _error("IK106", Message("check.choice_twice", name=item.name), item.span)
            )
        if item.range is not None and kind not in ("number", "percent", "count"):
            self.problems.append(
                _error("IK106", Message("check.range_not_number", kind=kind), item.span)
            )
        self.types[item.name] = typ
        self.ranges[item.name] = rng

    def _indicator(self, indicator: n.Indicator) -> None:
        match indicator.scoring:
            case n.Bands():
                rng = self._bands(indicator.scoring)
            case n.Linear():
                rng = self._linear(indicator.scoring)
            case n.Options():
                rng = self._options(indicator.scoring)
            case n.Formula(expr=expr):
                typ, rng = self.expr(expr)
                self.expect_number(typ, expr, Message("where.formula"))
        self._finish(indicator.name, POINTS, rng, indicator.clauses, scored=True)

    def _error_count(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.problems)

    def _finish(
        self,
        name: str,
        typ: Type,
        rng: Range,
        clauses: n.Clauses,
        *,
        scored: bool,
        members_total: Fraction | None = None,
    ) -> None:
        definition = self.defs[name]
        if clauses.rounding is not None and self._places_ok(clauses.rounding):
            rng = _round_range(rng, clauses.rounding)
        self.types[name] = typ
        self.ranges[name] = rng
        if self._error_count() > self._errors_before:
            return  # the body is broken: its range means nothing, so no follow-on errors
        declared = self._value(clauses.max) if clauses.max is not None else None
        if not scored and declared is None:
            return
        if declared is not None and (rng.hi is None or rng.hi > declared):
            top = format_number(declared)
            message = (
                Message("check.unbounded_over_max", name=name, max=top)
                if rng.hi is None
                else Message("check.over_max", name=name, score=format_number(rng.hi), max=top)
            )
            self.problems.append(
                _error("IK410", message, definition.span, Message("check.hint_over_max", max=top))
            )
        # A sum group's maximum is its members' maxima added up, even when some member
        # can never reach its own maximum (the range would understate it).
        maximum = declared if declared is not None else members_total or rng.hi
        if maximum is None or maximum <= 0:
            self.problems.append(
                _error(
                    "IK410",
                    Message("check.unknown_max", name=name, range=rng.describe()),
                    definition.span,
                    None
                    if isinstance(definition, n.Group)
                    else Message("check.hint_add_clause", clause="max 40"),
                )
            )
            return
        self.maxima[name] = maximum
        if clauses.met is not None:  # after the maximum: `met when` may read percent(self)
            met_type, _ = self.expr(clauses.met)
            self.expect_bool(met_type, clauses.met, "'met when'")

    def _group(self, group: n.Group) -> None:
        members = []
        for member in group.members:
            target = self.defs.get(member.name)
            if target is None:
                continue
            if not isinstance(target, n.Indicator | n.Group) or member.name not in self.maxima:
                if isinstance(target, n.Indicator | n.Group):
                    continue  # its own problem is already reported
                self.problems.append(
                    _error(
                        "IK206",
                        Message("check.not_member", member=member.name, group=group.name),
                        member.span,
                    )
                )
                continue
            members.append(member)
        if len(members) != len(group.members):
            # A broken member is reported already; a partial total would only add noise.
            self.types[group.name], self.ranges[group.name] = POINTS, UNBOUNDED
            return
        declared = self._value(group.clauses.max) if group.clauses.max is not None else None
        if group.aggregator == "sum":
            total = sum((self.maxima[m.name] for m in members), Fraction(0))
            if declared is not None and members and declared != total:
                self.problems.append(
                    _error(
                        "IK405",
                        Message(
                            "check.members_total",
                            group=group.name,
                            total=format_number(total),
                            max=format_number(declared),
                        ),
                        group.span,
                        Message("check.hint_members_total"),
                    )
                )
            rng = sum((self.ranges[m.name] for m in members), Range.point(Fraction(0)))
            self._finish(
                group.name,
                POINTS,
                rng,
                attrs.evolve(group.clauses, max=None),
                scored=True,
                members_total=total,
            )
            return
        self._weights(group, members)
        if declared is None:
            self.problems.append(
                _error(
                    "IK405",
                    Message("check.group_needs_max", aggregator=group.aggregator),
                    group.span,
                    Message("check.hint_add_clause", clause="max 100"),
                )
            )
            return
        self._finish(group.name, POINTS, Range(Fraction(0), declared), group.clauses, scored=True)

    def _weights(self, group: n.Group, members: list[n.Member]) -> None:
        if group.aggregator == "mean":
            for member in members:
                if member.weight is not None:
                    self.problems.append(
                        _error(
                            "IK404",
                            Message("check.mean_weights"),
                            member.span,
                            Message("check.hint_weighted"),
                        )
                    )
            return
        total = Fraction(0)
        for member in members:
            if member.weight is None:
                self.problems.append(
                    _error(
                        "IK404",
                        Message("check.no_weight", name=member.name),
                        member.span,
                        Message("check.hint_weight", name=member.name),
                    )
                )
                continue
            total += self._value(member.weight)
        if all(m.weight is not None for m in members) and total != WEIGHTS_TOTAL:
            self.problems.append(
                _error(
                    "IK404",
                    Message("check.weights_total", group=group.name, total=format_number(total)),
                    group.span,
                )
            )

    def _rank(self, rank: n.Rank) -> None:
        for key in (rank.key, *rank.ties):
            typ = self.types.get(key.name)
            if typ is not None and typ.kind not in ("number", "text"):
                self.problems.append(
                    _error(
                        "IK202",
                        Message("check.rank_by", name=key.name, type=typ.describe()),
                        key.span,
                    )
                )
        if rank.within is not None:
            typ = self.types.get(rank.within.name)
            if typ is not None and typ.kind not in ("text", "option"):
                self.problems.append(
                    _error(
                        "IK202",
                        Message("check.within", name=rank.within.name, type=typ.describe()),
                        rank.within.span,
                    )
                )
        self.types[rank.name] = Type(kind="number", unit="rank")
        self.ranges[rank.name] = Range(Fraction(1), None)

    # -- scoring --------------------------------------------------------------------

    def _bands(self, bands: n.Bands) -> Range:
        typ, subject = self.expr(bands.subject)
        self.expect_number(typ, bands.subject, Message("where.band_table"))
        rows = [
            (row, self._bound(row.interval.low), self._bound(row.interval.high))
            for row in bands.rows
        ]
        reachable = []
        for index, (row, lo, hi) in enumerate(rows):
            iv = row.interval
            if _holds_nothing(lo, hi, low_closed=iv.low_closed, high_closed=iv.high_closed):
                self.problems.append(_error("IK409", Message("check.empty_band"), iv.span))
                continue
            if index > 0:
                self._adjacent(rows[index - 1], (row, lo, hi), subject, "band")
            if subject.overlaps(lo, hi, lo_closed=iv.low_closed, hi_closed=iv.high_closed):
                reachable.append(Range.point(self._value(row.points)))
            else:
                self.problems.append(
                    _warning(
                        "IK403",
                        Message("check.dead_band", range=subject.describe()),
                        iv.span,
                    )
                )
        self._coverage(rows, subject, bands.span)
        return hull_all(reachable) if reachable else Range.point(Fraction(0))

    def _adjacent(
        self,
        below: tuple[n.BandRow | n.Tier, Fraction | None, Fraction | None],
        above: tuple[n.BandRow | n.Tier, Fraction | None, Fraction | None],
        subject: Range,
        what: str,
        quantum: Fraction | None = None,
    ) -> None:
        low_row, start_below, edge_below = below
        high_row, edge_above, end_above = above
        # "band"/"tier" and their plurals, for the messages.
        one, many = _WHAT[what]
        closed_below, closed_above = low_row.interval.high_closed, high_row.interval.low_closed
        if start_below is not None and end_above is not None and end_above <= start_below:
            code = "IK406" if what == "tier" else "IK401"
            self.problems.append(
                _error(
                    code,
                    Message("check.below_previous", what=one),
                    high_row.interval.span,
                    Message("check.hint_order", whats=many),
                )
            )
            return
        if edge_below is None or edge_above is None:
            self.problems.append(
                _error("IK401", Message("check.overlaps", what=one), high_row.interval.span)
            )
            return
        if edge_above < edge_below or (edge_above == edge_below and closed_below and closed_above):
            self.problems.append(
                _error(
                    "IK401",
                    Message("check.overlaps", what=one),
                    high_row.interval.span,
                    Message("check.hint_overlap", whats=many),
                )
            )
            return
        open_gap = edge_above == edge_below and not closed_below and not closed_above
        if edge_above > edge_below or open_gap:
            gap = Range(edge_below, edge_above)
            lo_closed, hi_closed = not closed_below, not closed_above
            if _gap_reachable(
                subject, gap, lo_closed=lo_closed, hi_closed=hi_closed, quantum=quantum
            ):
                edge = format_number(edge_below)
                message = (
                    Message("check.gap_point", edge=edge, what=one)
                    if open_gap
                    else Message("check.gap", low=edge, high=format_number(edge_above), what=one)
                )
                self.problems.append(
                    _error(
                        "IK402",
                        message,
                        high_row.interval.span,
                        Message("check.hint_gap", whats=many, edge=edge),
                    )
                )

    def _coverage(
        self,
        rows: list[tuple[n.BandRow, Fraction | None, Fraction | None]],
        subject: Range,
        span: Span,
    ) -> None:
        if not rows:
            return
        first, last = rows[0], rows[-1]
        below_first = subject.overlaps(
            None, first[1], lo_closed=True, hi_closed=not first[0].interval.low_closed
        )
        above_last = subject.overlaps(
            last[2], None, lo_closed=not last[0].interval.high_closed, hi_closed=True
        )
        if (first[1] is not None and below_first) or (last[2] is not None and above_last):
            self.problems.append(
                _error(
                    "IK408",
                    Message("check.outside_bands", range=subject.describe()),
                    span,
                    Message("check.hint_outside_bands"),
                )
            )

    def _linear(self, linear: n.Linear) -> Range:
        typ, _ = self.expr(linear.subject)
        self.expect_number(typ, linear.subject, Message("where.linear"))
        if self._value(linear.start) == self._value(linear.stop):
            self.problems.append(_error("IK409", Message("check.from_to"), linear.span))
        low, high = self._value(linear.low), self._value(linear.high)
        return Range(min(low, high), max(low, high))

    def _options(self, options: n.Options) -> Range:
        typ, _ = self.expr(options.subject)
        if typ.kind != "option" or option_source(options.subject) is None:
            self.problems.append(
                _error(
                    "IK202",
                    Message("check.options_subject", type=typ.describe()),
                    options.subject.span,
                )
            )
            return UNBOUNDED
        seen: set[str] = set()
        for row in options.rows:
            if row.option not in typ.choices:
                self.problems.append(
                    _error(
                        "IK205",
                        Message("check.not_an_option", value=row.option),
                        row.span,
                        _suggest(row.option, list(typ.choices)),
                    )
                )
            elif row.option in seen:
                self.problems.append(
                    _error("IK401", Message("check.option_twice", option=row.option), row.span)
                )
            seen.add(row.option)
        for choice in typ.choices:
            if choice not in seen:
                self.problems.append(
                    _error("IK408", Message("check.option_no_points", option=choice), options.span)
                )
        return hull_all([Range.point(self._value(r.points)) for r in options.rows])

    # -- tiers ----------------------------------------------------------------------

    def _check_tiers(self) -> None:
        tiers = self.linked.tiers
        if tiers is None:
            return
        subject = tiers.subject.name
        if subject not in self.types:
            return
        if self.types[subject].kind != "number":
            self.problems.append(
                _error(
                    "IK202",
                    Message(
                        "check.tiers_subject", name=subject, type=self.types[subject].describe()
                    ),
                    tiers.subject.span,
                )
            )
            return
        if len(tiers.tiers) > MOST_TIERS:
            self.problems.append(
                _error(
                    "IK413",
                    Message("check.too_many_tiers", count=len(tiers.tiers), most=MOST_TIERS),
                    tiers.span,
                )
            )
            return
        rng = self.ranges[subject]
        quantum = _quantum(self.defs[subject])
        rows = [(t, self._bound(t.interval.low), self._bound(t.interval.high)) for t in tiers.tiers]
        names: set[str] = set()
        for index, (tier, lo, hi) in enumerate(rows):
            if tier.name in names:
                self.problems.append(
                    _error("IK101", Message("check.tier_twice", name=tier.name), tier.span)
                )
            names.add(tier.name)
            iv = tier.interval
            if lo is not None and hi is not None and lo > hi:
                self.problems.append(
                    _error(
                        "IK406",
                        Message("check.tier_reversed", name=tier.name),
                        tier.interval.span,
                    )
                )
            elif _holds_nothing(lo, hi, low_closed=iv.low_closed, high_closed=iv.high_closed):
                self.problems.append(
                    _error("IK409", Message("check.tier_empty", name=tier.name), tier.interval.span)
                )
            if index > 0:
                self._adjacent(rows[index - 1], (tier, lo, hi), rng, "tier", quantum)
            iv = tier.interval
            if not rng.overlaps(lo, hi, lo_closed=iv.low_closed, hi_closed=iv.high_closed):
                self.problems.append(
                    _warning(
                        "IK407",
                        Message(
                            "check.tier_unreachable",
                            tier=tier.name,
                            subject=subject,
                            range=rng.describe(),
                        ),
                        tier.span,
                    )
                )
            for requirement in tier.requirements:
                typ, _ = self.expr(requirement.condition)
                self.expect_bool(typ, requirement.condition, Message("where.tier_requirement"))
        if not any(d.code in ("IK401", "IK406") for d in self.problems):
            self._check_scale(subject, rows)  # with tiers out of order, the top is unclear

    def _check_rollups(self) -> None:
        self._reading_ranks = True
        tiers = self.linked.tiers
        tier_type = Type(kind="tier", choices=tuple(t.name for t in tiers.tiers) if tiers else ())
        for rollup in self.linked.rollups:
            if rollup.name in self.defs:
                self.problems.append(
                    _error("IK101", Message("link.defined_twice", name=rollup.name), rollup.span)
                )
            by = self.types.get(rollup.by.name)
            if by is None:
                self.problems.append(
                    _error(
                        "IK201",
                        Message("check.unknown_name", name=rollup.by.name),
                        rollup.by.span,
                        _suggest(rollup.by.name, sorted(self.defs)),
                    )
                )
            elif by.kind not in ("text", "option"):
                self.problems.append(
                    _error(
                        "IK202",
                        Message("check.by", name=rollup.by.name, type=by.describe()),
                        rollup.by.span,
                    )
                )
            # `tier` means the region's tier inside a rollup, and only there.
            self.types["tier"], self.ranges["tier"] = tier_type, UNBOUNDED
            for item in rollup.items:
                self._rollup_item(item, has_tiers=tiers is not None)
            del self.types["tier"], self.ranges["tier"]

    def _rollup_item(self, item: n.RollupItem, *, has_tiers: bool) -> None:
        if item.function == "count":
            if item.arg is not None:
                self.problems.append(_error("IK204", Message("check.count_argument"), item.span))
            return
        if item.arg is None:
            self.problems.append(
                _error("IK204", Message("check.needs_value", function=item.function), item.span)
            )
            return
        names = self.defs.keys() | ({"tier"} if has_tiers else set())
        for ref in _expr_refs(item.arg):
            if ref.name not in names:
                self.problems.append(
                    _error(
                        "IK201",
                        Message("check.unknown_name", name=ref.name),
                        ref.span,
                        _suggest(ref.name, sorted(names)),
                    )
                )
                return
        typ, _ = self.expr(item.arg)
        if item.function in ("share", "all", "any"):
            self.expect_bool(typ, item.arg, f"'{item.function}'")
        else:
            self.expect_number(typ, item.arg, f"'{item.function}'")

    def _check_scale(
        self, subject: str, rows: list[tuple[n.Tier, Fraction | None, Fraction | None]]
    ) -> None:
        header = self.linked.header
        if header is None or header.scale is None or subject not in self.maxima:
            return
        top = Fraction(header.scale[1])
        if self.maxima[subject] != top:
            self.problems.append(self._short_of_scale(subject, top))
        last_tier, last_lo, last_hi = rows[-1]
        reversed_ = last_lo is not None and last_hi is not None and last_lo > last_hi
        if last_hi is not None and last_hi < self.maxima[subject] and not reversed_:
            self.problems.append(
                _error(
                    "IK408",
                    Message("check.above_tiers", edge=format_number(last_hi)),
                    last_tier.interval.span,
                )
            )

    def _short_of_scale(self, name: str, top: Fraction) -> Diagnostic:
        """IK405: a top-level score cannot fill the scale."""
        reach = format_number(self.maxima[name])
        return _error(
            "IK405",
            Message("check.short_of_scale", name=name, reach=reach, top=format_number(top)),
            self.defs[name].span,
            Message("check.hint_scale"),
        )

    # -- expressions ----------------------------------------------------------------

    def expr(self, expr: n.Expr) -> tuple[Type, Range]:
        """Type and range of an expression; reports misuse and returns a best guess."""
        match expr:
            case n.Number(value=value, percent=percent):
                self._magnitude(Fraction(value), expr.span)
                return (PERCENT if percent else NUMBER), Range.point(Fraction(value))
            case n.Bool(value=value):
                return BOOL, Range.point(Fraction(int(value)))
            case n.String():
                return Type(kind="text"), UNBOUNDED
            case n.Ref(name=name):
                if isinstance(self.defs.get(name), n.Rank) and not self._reading_ranks:
                    self.problems.append(
                        _error("IK207", Message("check.rank_read", name=name), expr.span)
                    )
                    return NUMBER, UNBOUNDED
                if name not in self.types:
                    return NUMBER, UNBOUNDED  # unknown or broken: reported elsewhere
                return self.types[name], self.ranges[name]
            case n.Neg(operand=operand):
                typ, rng = self.expr(operand)
                self.expect_number(typ, operand, "'-'")
                return typ, -rng
            case n.Arith():
                return self._arith(expr)
            case n.Compare():
                return self._compare(expr)
            case n.And(left=left, right=right) | n.Or(left=left, right=right):
                for side in (left, right):
                    self.expect_bool(self.expr(side)[0], side, "'and'/'or'")
                return BOOL, UNIT
            case n.Not(operand=operand):
                self.expect_bool(self.expr(operand)[0], operand, "'not'")
                return BOOL, UNIT
            case n.If(condition=condition, then=then, otherwise=otherwise):
                self.expect_bool(self.expr(condition)[0], condition, "'if'")
                (t1, r1), (t2, r2) = self.expr(then), self.expr(otherwise)
                return self.unify(t1, t2, expr.span, Message("where.if_branches")), r1.hull(r2)
            case n.Call():
                return check_call(self, expr)

    def _arith(self, expr: n.Arith) -> tuple[Type, Range]:
        (lt, lr), (rt, rr) = self.expr(expr.left), self.expr(expr.right)
        self.expect_number(lt, expr.left, f"'{expr.op}'")
        self.expect_number(rt, expr.right, f"'{expr.op}'")
        if expr.op in "+-":
            typ = self.unify(lt, rt, expr.span, f"'{expr.op}'")
            return typ, (lr + rr if expr.op == "+" else lr - rr)
        # Scaling by a plain number keeps the unit; a product of two quantities has none.
        unit = (
            lt.unit
            if rt.unit is None
            else (rt.unit if lt.unit is None and expr.op == "*" else None)
        )
        return Type(kind="number", unit=unit), (lr * rr if expr.op == "*" else lr / rr)

    def _compare(self, expr: n.Compare) -> tuple[Type, Range]:
        (lt, _), (rt, _) = self.expr(expr.left), self.expr(expr.right)
        if "option" in (lt.kind, rt.kind) or "tier" in (lt.kind, rt.kind):
            self._option_compare(expr, lt, rt)
        elif lt.kind == "bool" and rt.kind == "bool" and expr.op in ("==", "!="):
            pass
        else:
            self.expect_number(lt, expr.left, f"'{expr.op}'")
            self.expect_number(rt, expr.right, f"'{expr.op}'")
            self.unify(lt, rt, expr.span, f"'{expr.op}'")
        return BOOL, UNIT

    def _option_compare(self, expr: n.Compare, lt: Type, rt: Type) -> None:
        left_is_option = lt.kind in ("option", "tier")
        option, other = (lt, expr.right) if left_is_option else (rt, expr.left)
        side = expr.left if left_is_option else expr.right
        if option.kind == "option" and option_source(side) is None:
            self.problems.append(_error("IK202", Message("check.option_direct"), side.span))
            return
        ordered = option.kind == "tier"  # tiers are ordered: `tier >= "madya"` is allowed
        if (expr.op not in ("==", "!=") and not ordered) or not isinstance(other, n.String):
            self.problems.append(_error("IK202", Message("check.option_compare"), expr.span))
        elif other.value not in option.choices:
            self.problems.append(
                _error(
                    "IK205",
                    Message(
                        "check.not_a_tier" if ordered else "check.not_an_option",
                        value=other.value,
                    ),
                    other.span,
                    _suggest(other.value, list(option.choices)),
                )
            )

    def unify(self, a: Type, b: Type, span: Span, where: Arg) -> Type:
        """The common type of two operands; reports a kind or unit mismatch."""
        if a.kind != b.kind:
            self.problems.append(
                _error(
                    "IK202",
                    Message("check.mixes", where=where, a=a.describe(), b=b.describe()),
                    span,
                )
            )
            return a
        if a.unit and b.unit and a.unit != b.unit:
            hint = Message("check.hint_percent") if "points" in (a.unit, b.unit) else None
            message = Message("check.mixes_units", where=where, a=a.unit, b=b.unit)
            self.problems.append(_error("IK203", message, span, hint))
        return a if a.unit else b

    def expect_number(self, typ: Type, expr: n.Expr, where: Arg) -> None:
        """Report IK202 unless `typ` is a number (`where`: "'+'", or a phrase)."""
        if typ.kind != "number":
            hint = Message("check.hint_count_yes_no") if typ.kind == "bool" else None
            message = Message("check.needs_number", where=where, type=typ.describe())
            self.problems.append(_error("IK202", message, expr.span, hint))

    def expect_bool(self, typ: Type, expr: n.Expr, where: Arg) -> None:
        """Report IK202 unless `typ` is yes/no."""
        if typ.kind != "bool":
            self.problems.append(
                _error(
                    "IK202",
                    Message("check.needs_condition", where=where, type=typ.describe()),
                    expr.span,
                    Message("check.hint_compare"),
                )
            )

    # -- values ---------------------------------------------------------------------

    def _magnitude(self, value: Fraction, span: Span) -> None:
        """Numbers must be decimals the evaluator holds exactly (see `numeric`).

        At most 10^15 (IK411), at most 9 decimal places and 15 significant digits (IK412).
        """
        if abs(value) > LARGEST:
            # Not str(value) nor float(value): either fails on thousands of digits.
            size = math.log10(abs(value.numerator)) - math.log10(value.denominator)
            digits = math.floor(size) + 1
            self.problems.append(
                _error(
                    "IK411",
                    Message("check.too_large", digits=digits),
                    span,
                    Message("check.hint_too_large"),
                )
            )
            return
        problem = precision_problem(value)
        if problem is not None:
            self.problems.append(_error("IK412", problem, span, Message("check.hint_too_precise")))

    def _places_ok(self, rounding: n.Rounding) -> bool:
        """A `round` clause keeps at most the 9 places numbers have (IK412)."""
        if rounding.places <= PLACES:
            return True
        self.problems.append(
            _error("IK412", Message("check.round_places", places=rounding.places), rounding.span)
        )
        return False

    def _value(self, value: n.Value) -> Fraction:
        if isinstance(value, n.Number):
            self._magnitude(Fraction(value.value), value.span)
            return Fraction(value.value)
        if value.name in self.params:
            return self.params[value.name]
        if value.name in self.defs:
            self.problems.append(
                _error(
                    "IK202",
                    Message("check.not_a_param", name=value.name),
                    value.span,
                )
            )
        return Fraction(0)

    def _bound(self, bound: n.Bound) -> Fraction | None:
        if isinstance(bound, n.Infinity):
            return None
        return self._value(bound)


_WHAT = {
    "band": (Message("what.band"), Message("what.bands")),
    "tier": (Message("what.tier"), Message("what.tiers")),
}


def precision_problem(value: Fraction) -> Message | None:
    """Why `value` is not a decimal of at most 9 places and 15 significant digits, if not.

    Examples:
        >>> precision_problem(Fraction("123456789012345")) is None
        True
        >>> [precision_problem(x).key for x in (Fraction("1234567890123456"), Fraction(1, 3))]
        ['check.too_many_digits', 'check.too_many_places']
    """
    scaled = value * 10**PLACES
    if scaled.denominator != 1:
        return Message("check.too_many_places", places=PLACES)
    digits = str(abs(scaled.numerator)).rstrip("0") or "0"  # |value| <= 10^15: short
    if len(digits) > SIGNIFICANT:
        return Message("check.too_many_digits", digits=SIGNIFICANT)
    return None


def _round_range(rng: Range, rounding: n.Rounding) -> Range:
    """Round both ends with the clause's own mode."""
    return rounded_range(rng, rounding.places, rounding.mode)


def _quantum(definition: n.Definition) -> Fraction | None:
    clauses = getattr(definition, "clauses", None)
    if clauses is None or clauses.rounding is None:
        return None
    return Fraction(1, 10**clauses.rounding.places)


def _gap_reachable(
    subject: Range, gap: Range, *, lo_closed: bool, hi_closed: bool, quantum: Fraction | None
) -> bool:
    """Whether a value of `subject` (a multiple of `quantum`, if rounded) lies in the gap."""
    if not subject.overlaps(gap.lo, gap.hi, lo_closed=lo_closed, hi_closed=hi_closed):
        return False
    if quantum is None or gap.lo is None or gap.hi is None:
        return True
    first = -(-gap.lo // quantum) * quantum  # smallest multiple of quantum >= lo
    if first == gap.lo and not lo_closed:
        first += quantum
    return first < gap.hi or (first == gap.hi and hi_closed)


def _bound_refs(interval: n.Interval) -> list[n.Ref]:
    return [b for b in (interval.low, interval.high) if isinstance(b, n.Ref)]


def _expr_refs(expr: n.Expr) -> list[n.Ref]:
    return list(expr_refs(expr))


def _tiers_refs(tiers: n.Tiers | None) -> list[n.Ref]:
    if tiers is None:
        return []
    refs = [tiers.subject]
    for tier in tiers.tiers:
        refs.extend(_bound_refs(tier.interval))
        for requirement in tier.requirements:
            refs.extend(_expr_refs(requirement.condition))
    return refs
