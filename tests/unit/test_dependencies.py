"""`graph.Dependencies` against networkx, which it stands in for when loading a ruleset."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from indikator.graph import Dependencies, build_graph, cycle_diagnostics, evaluation_order
from indikator.link import link, read_source
from indikator.resources import rulesets_dir
from indikator.syntax import parse

NAMES = st.sampled_from([f"n{i}" for i in range(12)])
EDGES = st.lists(st.tuples(NAMES, NAMES), max_size=30)


def _both(nodes: list[str], edges: list[tuple[str, str]]) -> tuple[Dependencies, nx.DiGraph[str]]:
    ours = Dependencies()
    theirs: nx.DiGraph[str] = nx.DiGraph()
    for name in nodes:
        ours.add_node(name, kind="let", span=None)
        theirs.add_node(name, kind="let", span=None)
    for source, target in edges:
        ours.add_edge(source, target)
        theirs.add_edge(source, target)
    return ours, theirs


@given(st.lists(NAMES, unique=True), EDGES)
def test_the_same_graph_as_networkx_built_the_same_way(
    nodes: list[str], edges: list[tuple[str, str]]
) -> None:
    ours, theirs = _both(nodes, edges)
    converted = ours.to_networkx()
    assert list(converted.nodes(data=True)) == list(theirs.nodes(data=True))
    assert list(converted.edges) == list(theirs.edges)
    for name in theirs:
        assert list(ours.predecessors(name)) == list(theirs.predecessors(name))
        assert list(ours.successors(name)) == list(theirs.successors(name))
        assert ours.out_degree(name) == theirs.out_degree(name)
        assert ours.descendants(name) == nx.descendants(theirs, name)


@given(st.lists(NAMES, unique=True), EDGES)
def test_the_order_is_networkx_lexicographic_order_and_a_loop_is_none(
    nodes: list[str], edges: list[tuple[str, str]]
) -> None:
    every = list(dict.fromkeys([*nodes, *(name for edge in edges for name in edge)]))
    ours, theirs = _both(every, edges)  # each node with a span, as the checker's
    if nx.is_directed_acyclic_graph(theirs):
        expected = tuple(nx.lexicographical_topological_sort(theirs))
        assert ours.topological_order() == expected
        assert cycle_diagnostics(ours) == []
    else:
        assert ours.topological_order() is None
        assert [d.code for d in cycle_diagnostics(ours)] == ["IK301"] * sum(
            1
            for component in nx.strongly_connected_components(theirs)
            if len(component) > 1 or theirs.has_edge(*[next(iter(component))] * 2)
        )
        with pytest.raises(ValueError, match="loop"):
            evaluation_order(ours)


@pytest.mark.parametrize("path", sorted(rulesets_dir().rglob("*.ikr")), ids=lambda p: p.name)
def test_each_shipped_file_is_ordered_as_networkx_orders_it(path: Path) -> None:
    text = read_source(path, str(path))
    linked = link(parse(text, str(path)), text, path=path, root=None)
    ours = build_graph({d.name: d for d in linked.definitions})
    assert evaluation_order(ours) == tuple(nx.lexicographical_topological_sort(ours.to_networkx()))
