"""Tiers and the scale: the tier table on its subject, and the top scores that fill the scale.

Tiers are ordered, non-overlapping intervals of a number (their rows checked as band rows
are, `check.scoring.adjacent`, on the subject's rounded values); with tiers the subject
fills the scale, without them every top-level score does (IK405).
"""

from __future__ import annotations

from fractions import Fraction

from indikator import nodes as n
from indikator.bounds import format_number
from indikator.check.expressions import Expressions
from indikator.check.facts import Facts, error, warning
from indikator.check.numbers import bound
from indikator.check.scoring import adjacent, holds_nothing
from indikator.errors import Diagnostic
from indikator.graph import Dependencies
from indikator.messages import Message

__all__ = ["check_roots", "check_tiers"]


def check_tiers(facts: Facts, exprs: Expressions, *, most: int) -> None:
    """The tier table: a number subject, at most `most` tiers, in order, each reachable."""
    tiers = facts.linked.tiers
    if tiers is None:
        return
    subject = tiers.subject.name
    if subject not in facts.types:
        return
    if facts.types[subject].kind != "number":
        facts.problems.append(
            error(
                "IK202",
                Message("check.tiers_subject", name=subject, type=facts.types[subject].describe()),
                tiers.subject.span,
            )
        )
        return
    if len(tiers.tiers) > most:
        facts.problems.append(
            error(
                "IK413",
                Message("check.too_many_tiers", count=len(tiers.tiers), most=most),
                tiers.span,
            )
        )
        return
    rng = facts.ranges[subject]
    quantum = _quantum(facts.defs[subject])
    rows = [(t, bound(facts, t.interval.low), bound(facts, t.interval.high)) for t in tiers.tiers]
    names: set[str] = set()
    for index, (tier, lo, hi) in enumerate(rows):
        if tier.name in names:
            facts.problems.append(
                error("IK101", Message("check.tier_twice", name=tier.name), tier.span)
            )
        names.add(tier.name)
        iv = tier.interval
        if lo is not None and hi is not None and lo > hi:
            facts.problems.append(
                error(
                    "IK406",
                    Message("check.tier_reversed", name=tier.name),
                    tier.interval.span,
                )
            )
        elif holds_nothing(lo, hi, low_closed=iv.low_closed, high_closed=iv.high_closed):
            facts.problems.append(
                error("IK409", Message("check.tier_empty", name=tier.name), tier.interval.span)
            )
        if index > 0:
            adjacent(facts, rows[index - 1], (tier, lo, hi), rng, what="tier", quantum=quantum)
        iv = tier.interval
        if not rng.overlaps(lo, hi, lo_closed=iv.low_closed, hi_closed=iv.high_closed):
            facts.problems.append(
                warning(
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
            typ, _ = exprs.type_of(requirement.condition)
            exprs.expect_bool(typ, requirement.condition, Message("where.tier_requirement"))
    if not any(d.code in ("IK401", "IK406") for d in facts.problems):
        _check_scale(facts, subject, rows)  # with tiers out of order, the top is unclear


def check_roots(facts: Facts, graph: Dependencies) -> None:
    """Without tiers, every top-level score must fill the scale."""
    header = facts.linked.header
    if facts.linked.tiers is not None or header is None or header.scale is None:
        return
    top = Fraction(header.scale[1])
    for name in facts.maxima:
        if graph.out_degree(name) == 0 and facts.maxima[name] != top:
            facts.problems.append(_short_of_scale(facts, name, top))


def _check_scale(
    facts: Facts, subject: str, rows: list[tuple[n.Tier, Fraction | None, Fraction | None]]
) -> None:
    header = facts.linked.header
    if header is None or header.scale is None or subject not in facts.maxima:
        return
    top = Fraction(header.scale[1])
    if facts.maxima[subject] != top:
        facts.problems.append(_short_of_scale(facts, subject, top))
    last_tier, last_lo, last_hi = rows[-1]
    reversed_ = last_lo is not None and last_hi is not None and last_lo > last_hi
    if last_hi is not None and last_hi < facts.maxima[subject] and not reversed_:
        facts.problems.append(
            error(
                "IK408",
                Message("check.above_tiers", edge=format_number(last_hi)),
                last_tier.interval.span,
            )
        )


def _short_of_scale(facts: Facts, name: str, top: Fraction) -> Diagnostic:
    """IK405: a top-level score cannot fill the scale."""
    reach = format_number(facts.maxima[name])
    return error(
        "IK405",
        Message("check.short_of_scale", name=name, reach=reach, top=format_number(top)),
        facts.defs[name].span,
        Message("check.hint_scale"),
    )


def _quantum(definition: n.Definition) -> Fraction | None:
    clauses = getattr(definition, "clauses", None)
    if clauses is None or clauses.rounding is None:
        return None
    return Fraction(1, 10**clauses.rounding.places)
