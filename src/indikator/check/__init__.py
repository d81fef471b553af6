"""Semantic checks: names, types and units, and every scoring rule, reported all at once.

Input: a `Linked` ruleset and parameter values. Output: an `Analysis` (types, exact
ranges and maxima per definition, evaluation order, graph) plus diagnostics. `compile`
raises `RulesetCheckError` when any diagnostic is an error.

The checker is a sequence of passes over one `Facts` object (`check.facts`): the header
and the names (`check.names`), the cycles (`graph`), then each definition in dependency
order (`check.definitions`, scoring in `check.scoring`, expressions in
`check.expressions`, calls in `check.calls`), the tiers and the scale
(`check.tiers`), the rollups (`check.rollups`), the follow-ons of an unknown name dropped
(`check.followons`), and last the provenance of every number (`provenance`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

import attrs

from indikator.check.definitions import check_definition
from indikator.check.expressions import Expressions
from indikator.check.facts import Analysis, Facts
from indikator.check.followons import without_follow_ons
from indikator.check.names import (
    check_header,
    check_names,
    check_unused,
    tiers_refs,
    without_unused_imports,
)
from indikator.check.numbers import scale_ends
from indikator.check.rollups import check_rollups
from indikator.check.tiers import check_roots, check_tiers
from indikator.graph import build_graph, cycle_diagnostics, evaluation_order
from indikator.link import Linked
from indikator.provenance import trace

__all__ = ["Analysis", "Checker", "analyse"]

#: Tier codes are int16 (`evaluate.classify`), with -1 for no tier. Handed to the tiers
#: pass at each run, so a test may lower it here.
MOST_TIERS = 2**15 - 1


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
    if not catalogue:
        linked = without_unused_imports(linked)
    checker = Checker(linked, params, catalogue=catalogue)
    analysis = checker.run()
    # The linked ruleset as checked: a `scale 0 to maks` folded into numbers.
    provenance, problems = trace(checker.facts.linked, params, strict=strict)
    return attrs.evolve(
        analysis, provenance=provenance, diagnostics=(*analysis.diagnostics, *problems)
    )


class Checker:
    """Runs the passes in order over one `Facts`, collecting types, ranges and problems."""

    def __init__(
        self, linked: Linked, params: Mapping[str, Fraction], *, catalogue: bool = False
    ) -> None:
        self.facts = Facts(linked, params, catalogue=catalogue)
        self.expressions = Expressions(self.facts)

    def run(self) -> Analysis:
        """Run every check; the analysis holds all diagnostics found."""
        facts, exprs = self.facts, self.expressions
        _fold_scale(facts)
        check_header(facts)
        check_names(facts)
        graph = build_graph(facts.defs)
        facts.problems.extend(cycle_diagnostics(graph))
        order: tuple[str, ...] = ()
        if not any(d.code == "IK301" for d in facts.problems):
            order = evaluation_order(graph)
            for name in order:
                check_definition(facts, exprs, facts.defs[name])
            check_tiers(facts, exprs, most=MOST_TIERS)
            check_rollups(facts, exprs)
            check_roots(facts, graph)
            check_unused(facts, graph)
        reads = [ref.name for ref in tiers_refs(facts.linked.tiers)]
        problems = without_follow_ons(facts.problems, facts.defs, graph, facts.linked.tiers, reads)
        return Analysis(
            definitions=facts.defs,
            order=order,
            graph=graph,
            types=facts.types,
            ranges=facts.ranges,
            maxima=facts.maxima,
            params=facts.params,
            diagnostics=tuple(problems),
            header=facts.linked.header,
            tiers=facts.linked.tiers,
            rollups=facts.linked.rollups,
        )


def _fold_scale(facts: Facts) -> None:
    """`scale 0 to maks`: the header's scale folded, as every later pass reads it."""
    header = facts.linked.header
    if header is None or header.scale_written is None:
        return
    ends = scale_ends(facts, header.scale_written)
    # A folded number has at most 9 places (numeric.grid_exact): its Decimal is exact.
    scale = None if ends is None else (_decimal(ends[0]), _decimal(ends[1]))
    facts.linked = attrs.evolve(facts.linked, header=attrs.evolve(header, scale=scale))


def _decimal(number: Fraction) -> Decimal:
    return Decimal(number.numerator) / number.denominator
