"""Dependency diagrams of a ruleset: Graphviz DOT and Mermaid text (`indikator graph`).

Input: a compiled `Ruleset`; its `graph` (a node per definition with its `kind` and
`label`, an edge `a → b` when b reads a) and the subject of its tiers. Output: the text of
a DOT `digraph` or a Mermaid `flowchart LR`, drawn left to right from inputs and
parameters to the score the tiers classify. Each kind of definition has its own shape and
colour; the tiers' subject has a thick double border. A node shows the Indonesian label
and, under it, the name.

`render_image` turns DOT text into an SVG, PNG or PDF with Graphviz's `dot` program; it
raises `DiagramError` when `dot` is not installed or fails.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import attrs

from indikator.errors import DiagramError  # re-exported: its home was this module
from indikator.ruleset import Ruleset
from indikator.tables import replace_atomically

__all__ = ["IMAGE_FORMATS", "DiagramError", "render_image", "to_dot", "to_mermaid"]

#: File suffixes `render_image` can draw (with Graphviz's `dot`).
IMAGE_FORMATS = frozenset({"svg", "png", "pdf"})


@attrs.frozen
class _Style:
    dot_shape: str
    mermaid: tuple[str, str]  # Mermaid's brackets around the label for this shape
    fill: str
    stroke: str


_STYLES = {
    "input": _Style("parallelogram", ('[/"', '"/]'), "#dbeafe", "#1d4ed8"),
    "param": _Style("note", ('>"', '"]'), "#f3f4f6", "#6b7280"),
    "indicator": _Style("box", ('["', '"]'), "#fef3c7", "#b45309"),
    "let": _Style("ellipse", ('("', '")'), "#ffffff", "#6b7280"),
    "group": _Style("box3d", ('[["', '"]]'), "#dcfce7", "#15803d"),
    "rank": _Style("hexagon", ('{{"', '"}}'), "#fce7f3", "#be185d"),
}
_OTHER = _Style("box", ('["', '"]'), "#ffffff", "#000000")


@attrs.frozen
class _Node:
    name: str
    kind: str
    label: str
    subject: bool


def _nodes(ruleset: Ruleset) -> Iterator[_Node]:
    graph = ruleset.graph
    classification = ruleset.plan.classification
    subject = classification.subject if classification is not None else None
    for name, data in graph.nodes(data=True):
        yield _Node(
            name=str(name),
            kind=str(data.get("kind", "")),
            label=str(data.get("label", name)),
            subject=name == subject,
        )


def _edges(ruleset: Ruleset) -> list[tuple[str, str]]:
    """The edges in the order of the definitions they lead to (then of their sources)."""
    graph = ruleset.graph
    order = {name: position for position, name in enumerate(graph.nodes)}
    edges = sorted(graph.edges, key=lambda edge: (order[edge[1]], order[edge[0]]))
    return [(str(a), str(b)) for a, b in edges]


def _lines(node: _Node) -> list[str]:
    """The label's lines: the Indonesian label, then the name (once if they are equal)."""
    return [node.name] if node.label == node.name else [node.label, node.name]


# --- DOT -----------------------------------------------------------------------------------


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(ruleset: Ruleset) -> str:
    r"""The dependency graph as Graphviz DOT text (render it with `dot -Tsvg`).

    Examples:
        >>> from indikator import loads
        >>> rs = loads('''
        ... ruleset demo { scale 0 to 10 }
        ... input x "Cakupan": percent { missing zero }
        ... indicator skor = linear x from 0 to 100 onto 0 to 10
        ... ''')
        >>> print(to_dot(rs))  # doctest: +ELLIPSIS
        digraph "demo" {
          ...
          "x" [label="Cakupan\nx", shape=parallelogram, fillcolor="#dbeafe", color="#1d4ed8"];
          "skor" [label="skor", shape=box, fillcolor="#fef3c7", color="#b45309"];
          "x" -> "skor";
        }
    """
    out = [
        f"digraph {_dot_string(ruleset.name)} {{",
        "  graph [rankdir=LR];",
        '  node [style=filled, fontname="Helvetica", fontsize=11];',
        '  edge [color="#6b7280"];',
    ]
    for node in _nodes(ruleset):
        style = _STYLES.get(node.kind, _OTHER)
        label = _dot_string("\n".join(_lines(node))).replace("\n", "\\n")
        attributes = [
            f"label={label}",
            f"shape={style.dot_shape}",
            f'fillcolor="{style.fill}"',
            f'color="{style.stroke}"',
        ]
        if node.subject:
            attributes += ["peripheries=2", "penwidth=2", 'tooltip="tiers on this score"']
        out.append(f"  {_dot_string(node.name)} [{', '.join(attributes)}];")
    out.extend(f"  {_dot_string(a)} -> {_dot_string(b)};" for a, b in _edges(ruleset))
    out.append("}")
    return "\n".join(out) + "\n"


# --- Mermaid ---------------------------------------------------------------------------------

# Characters Mermaid would read as syntax (or markdown, or a comment) in a quoted label,
# written as its entity codes (`#34;` is a double quote).
_MERMAID_ESCAPES = {c: f"#{ord(c)};" for c in '"#<>&`*%'}


def _mermaid_text(text: str) -> str:
    return "".join(_MERMAID_ESCAPES.get(c, c) for c in text)


def to_mermaid(ruleset: Ruleset) -> str:
    r"""The dependency graph as a Mermaid `flowchart LR` (GitHub and MkDocs can show it).

    Nodes are named `n1`, `n2`, ... (Mermaid reserves words such as `end`); the labels
    carry the definitions' names.

    Examples:
        >>> from indikator import loads
        >>> rs = loads('''
        ... ruleset demo { scale 0 to 10 }
        ... input x "Cakupan \\"air\\"": percent { missing zero }
        ... indicator skor = linear x from 0 to 100 onto 0 to 10
        ... ''')
        >>> print(to_mermaid(rs))  # doctest: +ELLIPSIS
        flowchart LR
          n1[/"Cakupan #34;air#34;<br/>x"/]
          n2["skor"]
          n1 --> n2
          classDef input fill:#dbeafe,stroke:#1d4ed8
          ...
          class n1 input
          class n2 indicator
    """
    nodes = list(_nodes(ruleset))
    ids = {node.name: f"n{number}" for number, node in enumerate(nodes, start=1)}
    out = ["flowchart LR"]
    for node in nodes:
        opening, closing = _STYLES.get(node.kind, _OTHER).mermaid
        label = "<br/>".join(_mermaid_text(line) for line in _lines(node))
        out.append(f"  {ids[node.name]}{opening}{label}{closing}")
    out.extend(f"  {ids[a]} --> {ids[b]}" for a, b in _edges(ruleset))
    out.extend(
        f"  classDef {kind} fill:{style.fill},stroke:{style.stroke}"
        for kind, style in _STYLES.items()
    )
    kinds = sorted({node.kind for node in nodes if node.kind in _STYLES}, key=list(_STYLES).index)
    for kind in kinds:
        members = ",".join(ids[node.name] for node in nodes if node.kind == kind)
        out.append(f"  class {members} {kind}")
    out.extend(f"  style {ids[node.name]} stroke-width:4px" for node in nodes if node.subject)
    return "\n".join(out) + "\n"


# --- images ----------------------------------------------------------------------------------


def render_image(dot: str, path: str | Path) -> None:
    """Draw DOT text into an image file (SVG, PNG or PDF, by the file's suffix) with Graphviz.

    Raises `DiagramError` if the suffix is not one of `IMAGE_FORMATS`, if Graphviz's `dot`
    program is not on PATH, or if it fails.
    """
    path = Path(path)
    suffix = path.suffix.lower().removeprefix(".")
    if suffix not in IMAGE_FORMATS:
        raise DiagramError(f"cannot draw a '.{suffix}' image; use .svg, .png or .pdf")
    program = shutil.which("dot")
    if program is None:
        raise DiagramError(
            "drawing an image needs Graphviz's 'dot' program, which is not on PATH: "
            "install Graphviz, or write the diagram as text (--format dot or --format mermaid, "
            "or -o FILE.dot / -o FILE.mmd) and draw it elsewhere"
        )

    def draw(temporary: Path) -> None:
        completed = subprocess.run(  # noqa: S603  # a fixed program; the DOT text is our own
            [program, f"-T{suffix}", "-o", str(temporary)],
            input=dot.encode("utf-8"),
            capture_output=True,
            check=False,
        )
        if completed.returncode != 0:
            message = completed.stderr.decode("utf-8", "replace").strip()
            raise DiagramError(f"Graphviz 'dot' failed: {message}")

    # Drawn beside the file and moved over it: a failed or killed `dot` leaves the old one.
    replace_atomically(path, draw)
