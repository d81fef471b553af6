"""Names: the header, the names every definition reads, and the inputs nothing reads.

Before any type is known: a ruleset needs a header with an ordered scale and text region
columns (IK102, IK409, IK202), `tier` is reserved (IK106), every name read is defined
(IK201, with a "did you mean"). After the definitions: an input nothing reads is IK302.
Before all of it, an imported input nothing reads is dropped (`without_unused_imports`).
"""

from __future__ import annotations

import attrs

from indikator import nodes as n
from indikator.check.facts import Facts, error, suggest, warning
from indikator.errors import Span
from indikator.graph import Dependencies, build_graph, expr_refs, references
from indikator.link import Linked
from indikator.messages import Message

__all__ = [
    "check_header",
    "check_names",
    "check_unused",
    "tiers_refs",
    "without_unused_imports",
]

_MAX_SUGGESTED = 20  # unknown names given a "did you mean" hint (each costs 0.3 s among 100k)


def check_header(facts: Facts) -> None:
    """A ruleset has a header (a catalogue need not); its scale and region columns make sense."""
    header = facts.linked.header
    if header is None and not facts.needs_header:
        return
    if header is None:
        top = next(iter(facts.linked.sources), "<text>")
        start = Span(file=top, line=1, column=1, end_line=1, end_column=2)
        first = facts.linked.definitions[0].span if facts.linked.definitions else start
        hint = "check.hint_catalogue" if facts.linked.catalogue else "check.hint_header"
        facts.problems.append(
            error(
                "IK102",
                Message("check.no_header"),
                first,
                Message(hint),
            )
        )
        return
    if header.scale and header.scale[0] >= header.scale[1]:
        facts.problems.append(error("IK409", Message("check.scale_order"), header.span))
    for column in (header.region, header.region_name):
        if column is not None and column in facts.defs:
            defined = facts.defs[column]
            if not (isinstance(defined, n.Input) and defined.type.kind == "text"):
                facts.problems.append(
                    error(
                        "IK202",
                        Message("check.region_column", column=column),
                        defined.span,
                    )
                )


def check_names(facts: Facts) -> None:
    """`tier` is reserved; every name a definition or the tiers read is defined."""
    if "tier" in facts.defs:  # `tier` in gates and rollups means the tier reached
        facts.problems.append(
            error("IK106", Message("check.tier_reserved"), facts.defs["tier"].span)
        )
    names = sorted(facts.defs)
    hints: dict[str, Message | None] = {}
    refs = [r for d in facts.defs.values() for r in references(d)]
    header = facts.linked.header
    scale = header.scale_written if header and header.scale_written else ()
    in_scale = [r for end in scale for r in expr_refs(end)]
    for ref in [*refs, *tiers_refs(facts.linked.tiers), *in_scale]:
        if ref.name not in facts.defs:
            if ref.name not in hints:  # a fuzzy match reads every name: bound the work
                few = len(hints) < _MAX_SUGGESTED
                hints[ref.name] = suggest(ref.name, names) if few else None
            facts.problems.append(
                error(
                    "IK201",
                    Message("check.unknown_name", name=ref.name),
                    ref.span,
                    hints[ref.name],
                )
            )


def check_unused(facts: Facts, graph: Dependencies) -> None:
    """IK302: an input that nothing reads (not a region column, the tiers or a rollup)."""
    if facts.linked.catalogue:  # its inputs are for the rulesets that import it
        return
    used = _read_outside_definitions(facts.linked)
    for name, definition in facts.defs.items():
        if isinstance(definition, n.Input) and graph.out_degree(name) == 0:
            if name in used:
                continue
            facts.problems.append(
                warning("IK302", Message("check.unused_input", name=name), definition.span)
            )


def without_unused_imports(linked: Linked) -> Linked:
    """The ruleset without the imported inputs it never reads.

    A shared catalogue of facts declares more than any one scheme reads; a scheme must not
    demand a column for a fact it does not use (nor warn that it is unused).
    """
    if linked.catalogue or not linked.imported:
        return linked
    definitions = {d.name: d for d in linked.definitions}
    used = _read_outside_definitions(linked)
    read = {r.name for d in linked.definitions for r in references(d)} | used
    if not read <= definitions.keys():  # an unknown name: keep every import for "did you mean"
        return linked
    graph = build_graph(definitions)
    kept = tuple(
        d
        for d in linked.definitions
        if not isinstance(d, n.Input)
        or d.name not in linked.imported
        or d.name in used
        or graph.out_degree(d.name) > 0
    )
    return attrs.evolve(linked, definitions=kept)


def _read_outside_definitions(linked: Linked) -> set[str]:
    """The names the header, the tiers and the rollups read."""
    header = linked.header
    used = {header.region, header.region_name} if header else set()
    used.update(r.name for r in tiers_refs(linked.tiers))
    for rollup in linked.rollups:
        used.add(rollup.by.name)
        used.update(r.name for item in rollup.items if item.arg for r in expr_refs(item.arg))
    return {name for name in used if name is not None}


def tiers_refs(tiers: n.Tiers | None) -> list[n.Ref]:
    """The names the tiers read: their subject, their edges and their requirements."""
    if tiers is None:
        return []
    refs = [tiers.subject]
    for tier in tiers.tiers:
        for bound in (tier.interval.low, tier.interval.high):
            if isinstance(bound, n.Ref | n.Arith):  # a constant edge reads its names
                refs.extend(expr_refs(bound))
        for requirement in tier.requirements:
            refs.extend(expr_refs(requirement.condition))
    return refs
