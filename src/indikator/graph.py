"""The dependency graph: which definition reads which, cycles, and evaluation order.

Input: the linked definitions. Output: `Dependencies` (edge `a → b`: b reads a), a
`networkx.DiGraph` on demand (`Dependencies.to_networkx`), and a topological order.
Cycles become `IK301` diagnostics that show the whole loop.

Loading a ruleset needs the order and whether there is a loop, which plain Python finds;
networkx, a tenth of a second to import, is imported only to name a loop's path (as it
always has) and for the analyses that read the graph as a whole (`Ruleset.graph`).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from indikator import nodes as n
from indikator.errors import Diagnostic, Note
from indikator.messages import Message

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Dependencies",
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


class Dependencies:
    """A directed graph of names, with what the checker and the plan ask of it.

    Nodes and edges keep the order they were added in, as networkx's do, so
    `to_networkx` gives the same graph, iterated in the same order.
    """

    def __init__(self) -> None:
        self._attributes: dict[str, dict[str, Any]] = {}
        self._successors: dict[str, dict[str, None]] = {}  # a dict: ordered, no repeats
        self._predecessors: dict[str, dict[str, None]] = {}

    def add_node(self, name: str, **attributes: Any) -> None:
        """Add a node, or update its attributes."""
        self._attributes.setdefault(name, {}).update(attributes)
        self._successors.setdefault(name, {})
        self._predecessors.setdefault(name, {})

    def add_edge(self, source: str, target: str) -> None:
        """Add the edge source → target (and either node, as networkx does)."""
        for name in (source, target):
            if name not in self._attributes:
                self.add_node(name)
        self._successors[source][target] = None
        self._predecessors[target][source] = None

    def __contains__(self, name: object) -> bool:
        return name in self._attributes

    def __iter__(self) -> Iterator[str]:
        return iter(self._attributes)

    def __len__(self) -> int:
        return len(self._attributes)

    def has_edge(self, source: str, target: str) -> bool:
        """Whether source → target is an edge."""
        return target in self._successors.get(source, {})

    def successors(self, name: str) -> Iterator[str]:
        """The names that read `name`."""
        return iter(self._successors[name])

    def predecessors(self, name: str) -> Iterator[str]:
        """The names `name` reads."""
        return iter(self._predecessors[name])

    def out_degree(self, name: str) -> int:
        """How many names read `name`."""
        return len(self._successors[name])

    def descendants(self, name: str) -> set[str]:
        """Every name that reads `name`, directly or not (`networkx.descendants`)."""
        found: set[str] = set()
        pending = [name]
        while pending:
            for child in self._successors[pending.pop()]:
                if child not in found:
                    found.add(child)
                    pending.append(child)
        found.discard(name)  # networkx leaves a node out of its own descendants
        return found

    def topological_order(self) -> tuple[str, ...] | None:
        """Each name after every name it reads, ties broken by name; None with a loop.

        `networkx.lexicographical_topological_sort`: the least name free to go next,
        each time.
        """
        waiting = {name: len(parents) for name, parents in self._predecessors.items()}
        free = [name for name, count in waiting.items() if count == 0]
        heapq.heapify(free)
        order = []
        while free:
            name = heapq.heappop(free)
            order.append(name)
            for child in self._successors[name]:
                waiting[child] -= 1
                if waiting[child] == 0:
                    heapq.heappush(free, child)
        return tuple(order) if len(order) == len(waiting) else None

    def to_networkx(self) -> nx.DiGraph[str]:
        """The same graph as a `networkx.DiGraph`: nodes, attributes and edges in order."""
        import networkx as nx  # noqa: PLC0415  # see the module docstring

        graph: nx.DiGraph[str] = nx.DiGraph()
        for name, attributes in self._attributes.items():
            graph.add_node(name, **attributes)
        for source, targets in self._successors.items():
            for target in targets:
                graph.add_edge(source, target)
        return graph


def build_graph(definitions: Mapping[str, n.Definition]) -> Dependencies:
    """One node per definition (with its kind and label); edge a → b when b reads a."""
    graph = Dependencies()
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


def cycle_diagnostics(dependencies: Dependencies) -> list[Diagnostic]:
    """One IK301 diagnostic per strongly connected loop, showing the loop's path."""
    if dependencies.topological_order() is not None:
        return []  # no loop: networkx is not needed
    import networkx as nx  # noqa: PLC0415  # see the module docstring

    graph = dependencies.to_networkx()
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
    import networkx as nx  # noqa: PLC0415  # see the module docstring

    edges = nx.find_cycle(graph, source=start)
    return [str(edge[0]) for edge in edges]


def evaluation_order(graph: Dependencies) -> tuple[str, ...]:
    """A deterministic topological order (ties broken by name); the graph has no loop."""
    order = graph.topological_order()
    if order is None:
        msg = "evaluation_order of a graph with a loop: report it with cycle_diagnostics"
        raise ValueError(msg)
    return order
