"""Rollups: summaries of the regions by a text or option column, checked last.

Only rollups run after the ranks, so only they may read a rank; inside a rollup `tier`
means the region's tier.
"""

from __future__ import annotations

from indikator import nodes as n
from indikator.bounds import UNBOUNDED
from indikator.check.expressions import Expressions
from indikator.check.facts import Facts, error, suggest
from indikator.graph import expr_refs
from indikator.messages import Message
from indikator.valuetypes import Type

__all__ = ["check_rollups"]


def check_rollups(facts: Facts, exprs: Expressions) -> None:
    """Each rollup: a new name, a text or option `by`, and items of the right type."""
    facts.reading_ranks = True
    tiers = facts.linked.tiers
    tier_type = Type(kind="tier", choices=tuple(t.name for t in tiers.tiers) if tiers else ())
    for rollup in facts.linked.rollups:
        if rollup.name in facts.defs:
            facts.problems.append(
                error("IK101", Message("link.defined_twice", name=rollup.name), rollup.span)
            )
        by = facts.types.get(rollup.by.name)
        if by is None:
            facts.problems.append(
                error(
                    "IK201",
                    Message("check.unknown_name", name=rollup.by.name),
                    rollup.by.span,
                    suggest(rollup.by.name, sorted(facts.defs)),
                )
            )
        elif by.kind not in ("text", "option"):
            facts.problems.append(
                error(
                    "IK202",
                    Message("check.by", name=rollup.by.name, type=by.describe()),
                    rollup.by.span,
                )
            )
        # `tier` means the region's tier inside a rollup, and only there.
        facts.types["tier"], facts.ranges["tier"] = tier_type, UNBOUNDED
        for item in rollup.items:
            _rollup_item(facts, exprs, item, has_tiers=tiers is not None)
        del facts.types["tier"], facts.ranges["tier"]


def _rollup_item(facts: Facts, exprs: Expressions, item: n.RollupItem, *, has_tiers: bool) -> None:
    if item.function == "count":
        if item.arg is not None:
            facts.problems.append(error("IK204", Message("check.count_argument"), item.span))
        return
    if item.arg is None:
        facts.problems.append(
            error("IK204", Message("check.needs_value", function=item.function), item.span)
        )
        return
    names = facts.defs.keys() | ({"tier"} if has_tiers else set())
    for ref in expr_refs(item.arg):
        if ref.name not in names:
            facts.problems.append(
                error(
                    "IK201",
                    Message("check.unknown_name", name=ref.name),
                    ref.span,
                    suggest(ref.name, sorted(names)),
                )
            )
            return
    typ, _ = exprs.type_of(item.arg)
    if item.function in ("share", "all", "any"):
        exprs.expect_bool(typ, item.arg, f"'{item.function}'")
    else:
        exprs.expect_number(typ, item.arg, f"'{item.function}'")
