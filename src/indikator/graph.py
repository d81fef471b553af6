"""The dependency graph: which definition reads which, cycles, and evaluation order.

Input: the linked definitions. Output: a `networkx.DiGraph` (edge `a → b`: b reads a) and
a topological order. Cycles become `IK301` diagnostics that show the whole loop.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import networkx as nx

from indikator import nodes as n
from indikator.errors import Diagnostic, Note
from indikator.messages import Message

__all__ = [
    "build_graph",
    "cycle_diagnostics",
    "evaluation_order",
    "expr_refs",
    "option_source",
    "references",
]


def expr_refs(expr: n.Expr) -> Iterator[n.Ref]:
    """Every name an expression reads, in source order (function names excluded)."""
    match expr:
        case n.Ref():
            yield expr
        case n.Number() | n.String() | n.Bool():
            return
        case n.Neg(operand=operand) | n.Not(operand=operand):
            yield from expr_refs(operand)
        case n.Arith(left=left, right=right) | n.Compare(left=left, right=right):
            yield from expr_refs(left)
            yield from expr_refs(right)
        case n.And(left=left, right=right) | n.Or(left=left, right=right):
            yield from expr_refs(left)
            yield from expr_refs(right)
        case n.If(condition=condition, then=then, otherwise=otherwise):
            for part in (condition, then, otherwise):
                yield from expr_refs(part)
        case n.Call(args=args):
            for arg in args:
                yield from expr_refs(arg)


def option_source(expr: n.Expr) -> str | None:
    """The input behind an option value: `perda` or `prev(perda)`; None for anything else."""
    if isinstance(expr, n.Call) and expr.function == "prev" and len(expr.args) == 1:
        expr = expr.args[0]
    return expr.name if isinstance(expr, n.Ref) else None


def _value_refs(*values: n.Value | n.Bound | None) -> Iterator[n.Ref]:
    for value in values:
        if isinstance(value, n.Ref | n.Arith):  # a constant expression reads its names
            yield from expr_refs(value)


def _scoring_refs(scoring: n.Scoring) -> Iterator[n.Ref]:
    match scoring:
        case n.Bands(subject=subject, rows=rows):
            yield from expr_refs(subject)
            for row in rows:
                yield from _value_refs(row.interval.low, row.interval.high, row.points)
        case n.Linear():
            yield from expr_refs(scoring.subject)
            yield from _value_refs(scoring.start, scoring.stop, scoring.low, scoring.high)
        case n.Options(subject=subject, rows=rows):
            yield from expr_refs(subject)
            yield from _value_refs(*(row.points for row in rows))
        case n.Formula(expr=expr):
            yield from expr_refs(expr)


def _clause_refs(clauses: n.Clauses) -> Iterator[n.Ref]:
    yield from _value_refs(clauses.max)
    if clauses.met is not None:
        yield from expr_refs(clauses.met)


def references(definition: n.Definition) -> Iterator[n.Ref]:
    """Every name a definition reads."""
    match definition:
        case n.Param() | n.Input():
            return
        case n.Indicator():
            yield from _scoring_refs(definition.scoring)
            # `met when percent(self) >= 80 %` reads the points just computed: not a loop.
            own = definition.name
            yield from (r for r in _clause_refs(definition.clauses) if r.name != own)
        case n.Let():
            yield from expr_refs(definition.expr)
            yield from _clause_refs(definition.clauses)
        case n.Group():
            for member in definition.members:
                yield n.Ref(span=member.span, name=member.name)
                yield from _value_refs(member.weight)
            yield from _clause_refs(definition.clauses)
        case n.Rank():
            for key in (definition.key, *definition.ties):
                yield n.Ref(span=key.span, name=key.name)
            if definition.within is not None:
                yield definition.within


def build_graph(definitions: Mapping[str, n.Definition]) -> nx.DiGraph[str]:
    """One node per definition (with its kind and label); edge a → b when b reads a."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    for name, definition in definitions.items():
        label = getattr(definition, "label", None)
        graph.add_node(
            name,
            kind=type(definition).__name__.lower(),
            label=label.id if label else name,
            span=definition.span,
        )
    for name, definition in definitions.items():
        for ref in references(definition):
            if ref.name in definitions and ref.name != name:
                graph.add_edge(ref.name, name)
            elif ref.name == name:
                graph.add_edge(name, name)
    return graph


def cycle_diagnostics(graph: nx.DiGraph[str]) -> list[Diagnostic]:
    """One IK301 diagnostic per strongly connected loop, showing the loop's path."""
    diagnostics = []
    for component in nx.strongly_connected_components(graph):
        members = sorted(component)
        first = members[0]
        if len(members) == 1 and not graph.has_edge(first, first):
            continue
        cycle = [first] if graph.has_edge(first, first) else _cycle_path(graph, first)
        path = " -> ".join([*cycle, cycle[0]])
        spans = [graph.nodes[name]["span"] for name in cycle]
        diagnostics.append(
            Diagnostic(
                code="IK301",
                message=Message("graph.loop", path=path),
                span=spans[0],
                notes=tuple(
                    Note(message=Message("graph.in_loop", name=c), span=s)
                    for c, s in zip(cycle[1:], spans[1:], strict=True)
                ),
            )
        )
    return diagnostics


def _cycle_path(graph: nx.DiGraph[str], start: str) -> list[str]:
    edges = nx.find_cycle(graph, source=start)
    return [str(edge[0]) for edge in edges]


def evaluation_order(graph: nx.DiGraph[str]) -> tuple[str, ...]:
    """A deterministic topological order (ties broken by name)."""
    return tuple(nx.lexicographical_topological_sort(graph))
