"""`to_dot`, `to_mermaid`, `render_image` and the `indikator graph` command."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import indikator
from indikator.cli import main
from indikator.diagram import DiagramError, render_image, to_dot, to_mermaid

TOUR = Path(__file__).parents[1] / "fixtures" / "tour.ikr"
SHIPPED = sorted((Path(__file__).parents[2] / "rulesets").rglob("20*.ikr"))

_DOT_STRING = r'"(?:[^"\\]|\\.)*"'
_DOT_NODE = re.compile(rf"^  (?P<id>{_DOT_STRING}) \[(?P<attributes>.*)\];$")
_DOT_EDGE = re.compile(rf"^  (?P<a>{_DOT_STRING}) -> (?P<b>{_DOT_STRING});$")
_DOT_ATTRIBUTE = re.compile(rf"(\w+)=({_DOT_STRING}|[\w.]+)")
_MERMAID_NODE = re.compile(
    r'^  (?P<id>n\d+)(?P<open>\[/"|>"|\["|\("|\[\["|\{\{")(?P<label>[^"]*)'
    r'(?P<close>"/\]|"\]|"\)|"\]\]|"\}\})$'
)
_MERMAID_EDGE = re.compile(r"^  (n\d+) --> (n\d+)$")

SOURCE = """
ruleset demo { scale 0 to 10 }
param w "Bobot \\"utama\\" <a> & b # c" = 10
input x "Cakupan\\\\air": percent { missing zero }
input node: percent { missing zero }
indicator end = linear x from 0 to 100 onto 0 to w
indicator graph = linear node from 0 to 100 onto 0 to 10
let half = x / 2
group total "Total" = mean(end, graph) max 10
tiers on total { baik "Baik" [5, 10] }
"""


@pytest.fixture(scope="module")
def demo() -> indikator.Ruleset:
    return indikator.loads(SOURCE)


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text[1:-1])


def parse_dot(text: str) -> tuple[dict[str, dict[str, str]], set[tuple[str, str]]]:
    """Nodes (with their attributes) and edges of our DOT; fails on any other line."""
    lines = text.splitlines()
    assert re.fullmatch(rf"digraph {_DOT_STRING} \{{", lines[0])
    assert lines[-1] == "}"
    nodes: dict[str, dict[str, str]] = {}
    edges: set[tuple[str, str]] = set()
    for line in lines[1:-1]:
        if node := _DOT_NODE.match(line):
            attributes = node["attributes"]
            pairs = _DOT_ATTRIBUTE.findall(attributes)
            assert ", ".join(f"{k}={v}" for k, v in pairs) == attributes, line
            nodes[_unquote(node["id"])] = dict(pairs)
        elif edge := _DOT_EDGE.match(line):
            edges.add((_unquote(edge["a"]), _unquote(edge["b"])))
        else:
            assert re.fullmatch(r"  (graph|node|edge) \[.*\];", line), line
    return nodes, edges


def test_dot_has_every_definition_and_dependency(demo: indikator.Ruleset) -> None:
    nodes, edges = parse_dot(to_dot(demo))
    assert set(nodes) == set(demo.graph.nodes)
    assert edges == set(demo.graph.edges)
    assert ("x", "end") in edges
    assert ("end", "total") in edges


def test_dot_shapes_labels_and_the_tiers_subject(demo: indikator.Ruleset) -> None:
    nodes, _ = parse_dot(to_dot(demo))
    assert nodes["x"]["shape"] == "parallelogram"
    assert nodes["w"]["shape"] == "note"
    assert nodes["end"]["shape"] == "box"
    assert nodes["half"]["shape"] == "ellipse"
    assert nodes["total"]["shape"] == "box3d"
    assert nodes["total"]["peripheries"] == "2"
    assert "peripheries" not in nodes["end"]
    assert nodes["total"]["label"] == '"Total\\ntotal"'
    assert nodes["x"]["label"] == '"Cakupan\\\\air\\nx"'
    assert nodes["w"]["label"] == '"Bobot \\"utama\\" <a> & b # c\\nw"'
    assert nodes["node"]["label"] == '"node"'  # no label: the name once


def test_dot_quotes_names_that_are_dot_keywords(demo: indikator.Ruleset) -> None:
    text = to_dot(demo)
    assert '"node" -> "graph";' in text
    assert '"graph" [label=' in text


def test_rank_nodes_are_hexagons() -> None:
    ruleset = indikator.load(TOUR)
    nodes, _ = parse_dot(to_dot(ruleset))
    assert nodes["r"]["shape"] == "hexagon"


def test_mermaid_is_a_flowchart_with_safe_ids_and_escaped_labels(
    demo: indikator.Ruleset,
) -> None:
    lines = to_mermaid(demo).splitlines()
    assert lines[0] == "flowchart LR"
    labels: dict[str, str] = {}
    edges: set[tuple[str, str]] = set()
    for line in lines[1:]:
        if node := _MERMAID_NODE.match(line):
            labels[node["id"]] = node["label"]
        elif edge := _MERMAID_EDGE.match(line):
            edges.add((edge[1], edge[2]))
        else:
            assert re.fullmatch(r"  (classDef \w+ \S+|class [n\d,]+ \w+|style n\d+ \S+)", line)
    names = {label.rsplit("<br/>", 1)[-1]: node for node, label in labels.items()}
    assert set(names) == set(demo.graph.nodes)
    assert edges == {(names[a], names[b]) for a, b in demo.graph.edges}
    assert labels[names["w"]] == "Bobot #34;utama#34; #60;a#62; #38; b #35; c<br/>w"
    assert f"  style {names['total']} stroke-width:4px" in lines
    assert f"  class {names['x']},{names['node']} input" in lines


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_shipped_ruleset_can_be_drawn(path: Path) -> None:
    ruleset = indikator.load(path)
    nodes, edges = parse_dot(to_dot(ruleset))
    assert len(nodes) == ruleset.graph.number_of_nodes()
    assert len(edges) == ruleset.graph.number_of_edges()
    assert to_mermaid(ruleset).count(" --> ") == len(edges)


def test_an_image_needs_graphviz(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(shutil, "which", lambda _: None)
    with pytest.raises(DiagramError, match="'dot' program"):
        render_image("digraph { }", tmp_path / "g.svg")
    with pytest.raises(DiagramError, match=r"'\.gif'"):
        render_image("digraph { }", tmp_path / "g.gif")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graphviz_renders_the_dot(demo: indikator.Ruleset, tmp_path: Path) -> None:
    render_image(to_dot(demo), tmp_path / "g.svg")
    assert "<svg" in (tmp_path / "g.svg").read_text(encoding="utf-8")


# --- the command -----------------------------------------------------------------------------


def test_graph_prints_dot_by_default() -> None:
    result = CliRunner().invoke(main, ["graph", str(TOUR)])
    assert result.exit_code == 0
    assert result.output.startswith('digraph "kla_mini" {')


def test_graph_writes_mermaid_for_an_mmd_file(tmp_path: Path) -> None:
    out = tmp_path / "g.mmd"
    result = CliRunner().invoke(main, ["graph", str(TOUR), "-o", str(out)])
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("flowchart LR\n")
    result = CliRunner().invoke(main, ["graph", str(TOUR), "--format", "mermaid"])
    assert result.output.startswith("flowchart LR\n")


def test_graph_image_without_graphviz_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(shutil, "which", lambda _: None)
    result = CliRunner().invoke(main, ["graph", str(TOUR), "-o", str(tmp_path / "g.svg")])
    assert result.exit_code == 1
    assert "--format mermaid" in result.output
    assert not (tmp_path / "g.svg").exists()


def test_graph_mermaid_image_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["graph", str(TOUR), "--format", "mermaid", "-o", str(tmp_path / "g.png")]
    )
    assert result.exit_code == 2


def test_graph_of_a_broken_ruleset_reports_it(tmp_path: Path) -> None:
    broken = tmp_path / "r.ikr"
    broken.write_text("ruleset r { scale 0 to 10 }\nlet a = b\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["graph", str(broken)])
    assert result.exit_code == 1
    assert "IK201" in result.output
