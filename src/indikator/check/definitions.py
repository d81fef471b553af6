"""Each definition in dependency order: its type, its exact range and, if scored, its maximum.

Parameters, inputs, indicators (scored by `check.scoring`), lets, groups (their members and
weights) and ranks. A definition whose body has an error gets no maximum and no follow-on
errors: its range would mean nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import attrs

from indikator import nodes as n
from indikator.bounds import UNBOUNDED, UNIT, Range, format_number, rounded_range
from indikator.check.expressions import Expressions
from indikator.check.facts import Facts, error
from indikator.check.numbers import magnitude, places_ok, value
from indikator.check.scoring import bands, linear, options
from indikator.messages import Message
from indikator.valuetypes import BOOL, COUNT, NUMBER, PERCENT, POINTS, Type

__all__ = ["WEIGHTS_TOTAL", "WEIGHT_SLACK", "check_definition"]

WEIGHTS_TOTAL = 100  # weights of a `weighted` group are percentages
WEIGHT_SLACK = Fraction(1, 2 * 10**9)  # half a unit in the 9th place, per weight


def check_definition(facts: Facts, exprs: Expressions, definition: n.Definition) -> None:
    """Learn one definition's type, range and maximum; report its problems."""
    facts.errors_before = facts.error_count()
    match definition:
        case n.Param():
            _param(facts, definition)
        case n.Input():
            _input(facts, definition)
        case n.Indicator():
            _indicator(facts, exprs, definition)
        case n.Let():
            kind, rng = exprs.type_of(definition.expr)
            _finish(
                facts, exprs, definition.name, kind, rng, clauses=definition.clauses, scored=False
            )
        case n.Group():
            _group(facts, exprs, definition)
        case n.Rank():
            _rank(facts, definition)
    if not isinstance(definition, n.Param | n.Rank):
        _evidence(facts, definition)


def _evidence(facts: Facts, definition: n.Input | n.Indicator | n.Let | n.Group) -> None:
    """IK115: evidence (*data dukung*) on an input or indicator, once each, due on a real date."""
    found = definition.evidence if isinstance(definition, n.Input) else definition.clauses.evidence
    seen: set[str] = set()
    for item in found:
        if not isinstance(definition, n.Input | n.Indicator):
            message = Message("check.evidence_not_scored", name=definition.name)
        elif item.document in seen:
            message = Message("check.evidence_twice", name=definition.name, document=item.document)
        elif item.due is not None and not _is_date(item.due):
            message = Message("check.evidence_date", document=item.document, date=item.due)
        else:
            seen.add(item.document)
            continue
        facts.problems.append(error("IK115", message, item.span))


def _is_date(text: str) -> bool:
    """Whether `YYYY-MM-DD` (the grammar's shape) names a day of the calendar."""
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _param(facts: Facts, param: n.Param) -> None:
    number = facts.params.get(param.name, Fraction(param.value))
    magnitude(facts, number, param.span)
    facts.params[param.name] = number
    facts.types[param.name] = PERCENT if param.percent else NUMBER
    facts.ranges[param.name] = Range.point(number)


def _input(facts: Facts, item: n.Input) -> None:
    kind = item.type.kind
    declared = _declared_range(item.range) if item.range else None
    for end in item.range or ():
        if end.is_finite():
            magnitude(facts, Fraction(end), item.span)
    # `inf to 5` and `5 to -inf` hold no value, like `5 to 1`.
    open_wrong = item.range is not None and (
        item.range[0] == Decimal("Infinity") or item.range[1] == Decimal("-Infinity")
    )
    if open_wrong or (
        declared is not None
        and declared.lo is not None
        and declared.hi is not None
        and declared.lo > declared.hi
    ):
        facts.problems.append(
            error("IK409", Message("check.empty_range", name=item.name), item.span)
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
    if kind in ("option", "checklist") and len(set(item.type.choices)) != len(item.type.choices):
        facts.problems.append(
            error("IK106", Message("check.choice_twice", name=item.name), item.span)
        )
    if item.range is not None and kind not in ("number", "percent", "count"):
        facts.problems.append(
            error("IK106", Message("check.range_not_number", kind=kind), item.span)
        )
    facts.types[item.name] = typ
    facts.ranges[item.name] = rng


def _declared_range(ends: tuple[Decimal, Decimal]) -> Range:
    """`range A to B` as exact bounds; an open end (`inf`, `-inf`) is unbounded."""
    low, high = (Fraction(end) if end.is_finite() else None for end in ends)
    return Range(low, high)


def _indicator(facts: Facts, exprs: Expressions, indicator: n.Indicator) -> None:
    match indicator.scoring:
        case n.Bands():
            rng = bands(facts, exprs, indicator.scoring)
        case n.Linear():
            rng = linear(facts, exprs, indicator.scoring)
        case n.Options():
            rng = options(facts, exprs, indicator.scoring)
        case n.Formula(expr=expr):
            typ, rng = exprs.type_of(expr)
            exprs.expect_number(typ, expr, Message("where.formula"))
    _finish(facts, exprs, indicator.name, POINTS, rng, clauses=indicator.clauses, scored=True)


def _finish(
    facts: Facts,
    exprs: Expressions,
    name: str,
    typ: Type,
    rng: Range,
    *,
    clauses: n.Clauses,
    scored: bool,
    members_total: Fraction | None = None,
) -> None:
    """Record a definition's type and range (rounded by its clause); check its maximum."""
    definition = facts.defs[name]
    if clauses.rounding is not None and places_ok(facts, clauses.rounding):
        rng = rounded_range(rng, clauses.rounding.places, clauses.rounding.mode)
    facts.types[name] = typ
    facts.ranges[name] = rng
    if facts.error_count() > facts.errors_before:
        return  # the body is broken: its range means nothing, so no follow-on errors
    declared = value(facts, clauses.max) if clauses.max is not None else None
    if not scored and declared is None:
        return
    if declared is not None and (rng.hi is None or rng.hi > declared):
        top = format_number(declared)
        message = (
            Message("check.unbounded_over_max", name=name, max=top)
            if rng.hi is None
            else Message("check.over_max", name=name, score=format_number(rng.hi), max=top)
        )
        facts.problems.append(
            error("IK410", message, definition.span, Message("check.hint_over_max", max=top))
        )
    # A sum group's maximum is its members' maxima added up, even when some member
    # can never reach its own maximum (the range would understate it).
    maximum = declared if declared is not None else members_total or rng.hi
    if maximum is None or maximum <= 0:
        facts.problems.append(
            error(
                "IK410",
                Message("check.unknown_max", name=name, range=rng.describe()),
                definition.span,
                None
                if isinstance(definition, n.Group)
                else Message("check.hint_add_clause", clause="max 40"),
            )
        )
        return
    facts.maxima[name] = maximum
    if clauses.met is not None:  # after the maximum: `met when` may read percent(self)
        met_type, _ = exprs.type_of(clauses.met)
        exprs.expect_bool(met_type, clauses.met, "'met when'")


def _group(facts: Facts, exprs: Expressions, group: n.Group) -> None:
    members = []
    for member in group.members:
        target = facts.defs.get(member.name)
        if target is None:
            continue
        if not isinstance(target, n.Indicator | n.Group) or member.name not in facts.maxima:
            if isinstance(target, n.Indicator | n.Group):
                continue  # its own problem is already reported
            facts.problems.append(
                error(
                    "IK206",
                    Message("check.not_member", member=member.name, group=group.name),
                    member.span,
                )
            )
            continue
        members.append(member)
    if len(members) != len(group.members):
        # A broken member is reported already; a partial total would only add noise.
        facts.types[group.name], facts.ranges[group.name] = POINTS, UNBOUNDED
        return
    declared = value(facts, group.clauses.max) if group.clauses.max is not None else None
    if group.aggregator == "sum":
        total = sum((facts.maxima[m.name] for m in members), Fraction(0))
        if declared is not None and members and declared != total:
            facts.problems.append(
                error(
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
        rng = sum((facts.ranges[m.name] for m in members), Range.point(Fraction(0)))
        _finish(
            facts,
            exprs,
            group.name,
            POINTS,
            rng,
            clauses=attrs.evolve(group.clauses, max=None),
            scored=True,
            members_total=total,
        )
        return
    _weights(facts, group, members)
    if declared is None:
        facts.problems.append(
            error(
                "IK405",
                Message("check.group_needs_max", aggregator=group.aggregator),
                group.span,
                Message("check.hint_add_clause", clause="max 100"),
            )
        )
        return
    _finish(
        facts,
        exprs,
        group.name,
        POINTS,
        Range(Fraction(0), declared),
        clauses=group.clauses,
        scored=True,
    )


def _weights(facts: Facts, group: n.Group, members: list[n.Member]) -> None:
    if group.aggregator == "mean":
        for member in members:
            if member.weight is not None:
                facts.problems.append(
                    error(
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
            facts.problems.append(
                error(
                    "IK404",
                    Message("check.no_weight", name=member.name),
                    member.span,
                    Message("check.hint_weight", name=member.name),
                )
            )
            continue
        total += value(facts, member.weight)
    # Each weight is a number of 9 places, so it may be half a unit in the 9th place off its
    # exact share (100 / 3 is 33.333333333): the sum may be off by that much per weight.
    slack = len(members) * WEIGHT_SLACK
    if all(m.weight is not None for m in members) and abs(total - WEIGHTS_TOTAL) > slack:
        facts.problems.append(
            error(
                "IK404",
                Message(
                    "friction.weights_total",
                    group=group.name,
                    total=format_number(total),
                    expected=WEIGHTS_TOTAL,
                    difference=format_number(abs(total - WEIGHTS_TOTAL)),
                ),
                group.span,
                Message("friction.hint_weights_total", count=len(members)),
            )
        )


def _rank(facts: Facts, rank: n.Rank) -> None:
    for key in (rank.key, *rank.ties):
        typ = facts.types.get(key.name)
        if typ is not None and typ.kind not in ("number", "text"):
            facts.problems.append(
                error(
                    "IK202",
                    Message("check.rank_by", name=key.name, type=typ.describe()),
                    key.span,
                )
            )
    if rank.within is not None:
        typ = facts.types.get(rank.within.name)
        if typ is not None and typ.kind not in ("text", "option"):
            facts.problems.append(
                error(
                    "IK202",
                    Message("check.within", name=rank.within.name, type=typ.describe()),
                    rank.within.span,
                )
            )
    facts.types[rank.name] = Type(kind="number", unit="rank")
    facts.ranges[rank.name] = Range(Fraction(1), None)
