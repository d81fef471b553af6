"""The rules of rulesets/kla/2025.ikr as a GoRules ZEN decision graph: a per-row peer engine.

ZEN (`zen-engine`, a Rust engine with Python bindings) evaluates a JSON Decision Model (JDM)
for one JSON-like context at a time. The graph is benchmarks/kla_zen.json, a translation of
kla_numpy.py (the reference hand translation): an input node, an expression node with the 24
indicators, the checklist counts and the KLA tier's `all_met` gate, an expression node with
the six groups and the total (rounded to 2 places), a first-hit decision table for the tier
code, and an output node.

A context is one region: numbers, yes/no and options as JSON values (null = missing) and each
checklist as an object of item → 1/0/null (`context` reshapes a kla_python row dict; the
ruleset's ``input.item`` columns become ``{"input": {"item": ...}}``). `evaluate` runs one
context through a `ZenDecision`; `evaluate_batch` sends many through `ZenEngine.evaluate_batch`.

Differences from the ruleset language, none visible on the benchmark data:

- ZEN computes in decimal (rust_decimal, 28 digits), not binary floats, so it needs no
  tolerance at the edges: a value within 5e-10 of an edge but not on it (which the ruleset
  language counts as on the edge) is on its own side here. The benchmark values have at most
  2 decimals, so no value is that close to an edge without being on it.
- ZEN's `round(x, 2)` rounds half away from zero, like the ruleset's `round half_up 2` for the
  non-negative totals here; it rounds the exact decimal, with no float noise to drop first.
- A comparison with null is an error in ZEN, so each missing-data policy is written out
  (`x == null ? 0 : …` for `missing zero`, the only policy the shipped KLA ruleset uses).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import zen
from kla_numpy import CHECKLISTS

__all__ = ["GRAPH", "KEY", "context", "engine", "evaluate", "evaluate_batch"]

GRAPH = Path(__file__).with_name("kla_zen.json")
KEY = "kla_2025"


def engine() -> tuple[zen.ZenEngine, zen.ZenDecision]:
    """An engine whose loader serves the KLA graph under `KEY`, and the compiled decision."""
    content = GRAPH.read_text("utf-8")
    zen_engine = zen.ZenEngine({"loader": lambda _key: content})
    return zen_engine, zen_engine.create_decision(content)


def context(row: Mapping[str, Any]) -> dict[str, Any]:
    """A kla_python row dict as a ZEN context: checklist items nested under their input."""
    out: dict[str, Any] = {name: {} for name in CHECKLISTS}
    for name, value in row.items():
        head, dot, item = name.partition(".")
        if dot:
            out[head][item] = value
        else:
            out[name] = value
    return out


def _answer(result: Mapping[str, Any]) -> tuple[float, int]:
    return float(result["total"]), int(result["tier"])


def evaluate(decision: zen.ZenDecision, region: Mapping[str, Any]) -> tuple[float, int]:
    """Total score and tier code of one region (a ZEN context)."""
    return _answer(decision.evaluate(dict(region))["result"])


def evaluate_batch(
    zen_engine: zen.ZenEngine, regions: Iterable[Mapping[str, Any]]
) -> Sequence[tuple[float, int]]:
    """Total score and tier code of many regions through one `evaluate_batch` call."""
    requests: list[zen.EvaluateBatchRequest] = [
        {"key": KEY, "context": region} for region in regions
    ]
    answers = []
    for reply in zen_engine.evaluate_batch(requests):
        if not reply.get("success"):
            msg = f"zen-engine failed: {reply.get('error')!r}"
            raise RuntimeError(msg)
        answers.append(_answer(reply["data"]["result"]))
    return answers


def _graph_summary() -> str:
    """Node names of the graph, for a quick look (`python kla_zen.py`)."""
    graph = json.loads(GRAPH.read_text("utf-8"))
    return " -> ".join(node["name"] for node in graph["nodes"])


if __name__ == "__main__":
    print(_graph_summary())
