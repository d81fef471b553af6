"""Explanations: how each number of one region arose, as a tree (text or JSON).

Input: a plan and the evaluated arrays. Output: an `Explanation` tree that cites the
band, weight or gate behind every value, in Indonesian or English.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from indikator import nodes as n
from indikator import plan as p
from indikator.display import number
from indikator.messages import phrases
from indikator.provenance import Mark, Provenance

__all__ = ["Explanation", "explain_region"]


@attrs.frozen(kw_only=True)
class Explanation:
    """One node of an explanation: a value, how it arose, and what it came from."""

    name: str
    label: str
    value: float | str | None
    detail: str = ""
    maximum: float | None = None
    children: tuple[Explanation, ...] = ()
    provenance: Mark | None = None  # what vouches for a definition's numbers; None for inputs
    lang: str = "id"

    def to_text(self, indent: int = 0) -> str:
        """An indented tree, one line per node; a definition's mark at the end of its line.

        The mark is '[asumsi]' / '[assumed]' for a definition with an assumed number, the
        cited source and passage ('[perpres25 Pasal 7]') for a cited one; none for a
        definition with only structural numbers.
        """
        value = _show(self.value, self.lang)
        out_of = f" / {_show(self.maximum, self.lang)}" if self.maximum is not None else ""
        detail = f"  ({self.detail})" if self.detail else ""
        mark = self.provenance
        shown = f"  [{mark.text(self.lang)}]" if mark and mark.kind != "structural" else ""
        head = f"{'  ' * indent}{self.label} [{self.name}]: {value}{out_of}{detail}{shown}"
        return "\n".join([head, *(c.to_text(indent + 1) for c in self.children)])

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: a missing value is None (null), never NaN.

        A value that is not a finite number (an overflow to infinity) is None too, as
        strict JSON has no infinity; `to_text` shows it as it is.
        """
        return {
            "name": self.name,
            "label": self.label,
            "value": _finite(self.value),
            "maximum": _finite(self.maximum),
            "detail": self.detail,
            "provenance": None if self.provenance is None else self.provenance.to_dict(),
            "children": [c.to_dict() for c in self.children],
        }

    def __str__(self) -> str:
        return self.to_text()


def _finite(value: float | str | None) -> float | str | None:
    """None for NaN (missing) and infinity, which JSON cannot hold."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _show(value: float | str | None, lang: str) -> str:
    """A value in the reader's notation (`595,84`); an option or text as it is."""
    if isinstance(value, str):
        return value
    return number(value, lang)


def _edge(value: float) -> str:
    """A band edge as the ruleset writes it: `[7.5, 10)` in both languages.

    A decimal point, since the comma separates the two ends.
    """
    shown = round(value, 4) + 0.0  # no "-0" for a negative zero or a tiny negative
    return f"{shown:.4f}".rstrip("0").rstrip(".")


def _label(label: n.Label | None, name: str, lang: str) -> str:
    return label.text(lang) if label else name


def explain_region(
    plan: p.Plan,
    env: Mapping[str, npt.NDArray[np.generic]],
    row: int,
    lang: str = "id",
    provenance: Provenance | None = None,
) -> Explanation:
    """The explanation tree of one region (row), rooted at the tier or the last step.

    With `provenance` (of a ruleset that declares a source or an assumption), every node
    of a definition (and the tier) carries its `Mark`.
    """
    words = phrases("explain.", lang)
    steps = {s.name: s for s in plan.steps}
    builder = _Builder(plan, env, row, lang, words, steps)
    if plan.classification is not None:
        tree = builder.tier(plan.classification)
    elif plan.steps:
        tree = builder.node(plan.steps[-1].name)
    else:
        return Explanation(name="-", label="-", value=None)
    if provenance is None or not (provenance.sources or provenance.assumed):
        return tree  # a ruleset that marks nothing: no marks, rather than 'unmarked' everywhere
    return _marked(tree, provenance, set(steps), lang)


def _marked(
    node: Explanation, provenance: Provenance, definitions: set[str], lang: str
) -> Explanation:
    """The tree with each definition's (and the tier's) provenance mark attached."""
    children = tuple(_marked(c, provenance, definitions, lang) for c in node.children)
    owner = "tiers" if node.name == "tier" else node.name
    mark = provenance.mark(owner) if owner == "tiers" or owner in definitions else None
    return attrs.evolve(node, children=children, provenance=mark, lang=lang)


@attrs.define
class _Builder:
    plan: p.Plan
    env: Mapping[str, npt.NDArray[np.generic]]
    row: int
    lang: str
    words: Mapping[str, str]
    steps: Mapping[str, p.Step]

    def value(self, name: str) -> float:
        return float(self.env[name][self.row])

    def tier(self, c: p.Classification) -> Explanation:
        code = int(self.env["tier"][self.row])
        raw = int(self.env["tier.raw"][self.row])
        score = self.value(c.subject)
        names = [c.below.text(self.lang), *(label.text(self.lang) for label in c.labels)]
        children = [self.node(c.subject)]
        details = []
        if code < 0:
            details.append(self.words["incomplete"])
        elif raw > code:
            details.append(f"{self.words['capped']} {names[raw]}")
        for level, gates in enumerate(c.gates, start=1):
            for index, gate in enumerate(gates):
                held = self.value(f"tier.gate.{level}.{index}") == 1.0
                label = gate.label.text(self.lang) if gate.label else gate.text
                status = self.words["gate_ok"] if held else self.words["gate_fail"]
                children.append(
                    Explanation(
                        name=f"{c.names[level - 1]}.requires",
                        label=label,
                        value=status,
                        detail=self.gate_detail(gate),
                    )
                )
        if 0 <= code < len(c.names):
            details.append(self.next_tier(c, code, score, names))
        elif code == len(c.names):
            details.append(self.words["top"])
        value = names[code] if code >= 0 else self.words["no_tier"]
        return Explanation(
            name="tier",
            label=self.words["tier"].capitalize(),
            value=value,
            detail="; ".join(details),
            children=tuple(children),
        )

    def gate_detail(self, gate: p.Gate) -> str:
        """The condition as written, with the values it read: 'odf >= 80; odf = 49'.

        For `met`/`all_met` it names the indicators that are not met instead of listing
        every indicator's points.
        """
        loaded = _loaded(gate.condition)
        judged = {name.removesuffix(".met") for name in loaded if name.endswith(".met")}
        values = [
            f"{name} = {_show(self.value(name), self.lang)}"
            for name in loaded
            if not name.endswith(".met") and name not in judged and self.env[name].dtype.kind == "f"
        ]
        unmet = [
            name
            for name in sorted(judged)
            if self.value(f"{name}.met") != 1.0 and not math.isnan(self.value(name))
        ]
        if unmet:
            values.append(f"{self.words['not_met']}: {', '.join(unmet)}")
        return "; ".join([gate.text, *values])

    def next_tier(self, c: p.Classification, code: int, score: float, names: list[str]) -> str:
        gap = max(0.0, c.lowers[code] - score)  # c.lowers[code] is the next tier's lower end
        failing = [
            gate.label.text(self.lang) if gate.label else gate.text
            for level, gates in enumerate(c.gates[: code + 1], start=1)
            for index, gate in enumerate(gates)
            if self.value(f"tier.gate.{level}.{index}") != 1.0
        ]
        tier = names[code + 1]
        parts = (
            [self.words["next"].format(tier=tier, points=_show(round(gap, 4), self.lang))]
            if gap
            else []
        )
        if failing:
            parts.append(self.words["next_gate"].format(gate=", ".join(failing)))
        if not gap:
            return self.words["next_only_gate"].format(tier=tier, gate=", ".join(failing))
        return " ".join(parts)

    def node(self, name: str) -> Explanation:
        step = self.steps.get(name)
        match step:
            case p.GroupStep():
                return self.group(step)
            case p.IndicatorStep():
                return self.indicator(step)
            case p.LetStep():
                return Explanation(
                    name=name, label=_label(step.label, name, self.lang), value=self.value(name)
                )
        column = self.env.get(name)
        shown = None if column is None else column[self.row]
        return Explanation(
            name=name, label=name, value=shown if isinstance(shown, str | None) else float(shown)
        )

    def group(self, step: p.GroupStep) -> Explanation:
        children = []
        for member, weight in zip(step.members, step.weights, strict=True):
            child = self.node(member)
            if step.aggregator == "weighted":
                share = f"{self.words['weight']} {_show(weight, self.lang)}%"
                child = attrs.evolve(
                    child,
                    detail=f"{share}; {child.detail}".rstrip("; "),
                )
            children.append(child)
        return Explanation(
            name=step.name,
            label=_label(step.label, step.name, self.lang),
            value=self.value(step.name),
            maximum=step.maximum,
            detail=step.aggregator,
            children=tuple(children),
        )

    def indicator(self, step: p.IndicatorStep) -> Explanation:
        points = self.value(step.name)
        inputs = self.inputs_of(step)
        detail = self.scoring_detail(step, inputs)
        if step.agency:
            detail = f"{detail}; {self.words['agency']}: {step.agency}".lstrip("; ")
        children = tuple(child for i in inputs for child in self.input_nodes(i))
        return Explanation(
            name=step.name,
            label=_label(step.label, step.name, self.lang),
            value=points,
            maximum=step.maximum,
            detail=detail,
            children=children,
        )

    def scoring_detail(self, step: p.IndicatorStep, inputs: list[str]) -> str:
        missing = [i for i in inputs if isinstance(self.raw(i), float) and math.isnan(self.raw(i))]  # type: ignore[arg-type]  # float checked
        if missing:
            excluded = any(i in step.exclude_inputs for i in missing)
            return self.words["excluded" if excluded else "zero"]
        subject = self.env.get(f"{step.name}.subject")
        if isinstance(step.scoring, p.BandsIR) and subject is not None:
            x = float(subject[self.row])
            if not math.isnan(x):
                bands = step.scoring
                index = int(np.searchsorted(np.array(bands.cuts), x, side="left"))
                points = _show(bands.points[index], self.lang)
                return f"{self.words['band']} {_band_text(bands, index)} -> {points}"
        return ""

    def inputs_of(self, step: p.IndicatorStep) -> list[str]:
        return list(step.inputs)

    def input_nodes(self, name: str) -> list[Explanation]:
        """An input's value, and last year's when the ruleset reads it."""
        nodes = [Explanation(name=name, label=self.input_label(name), value=self.shown(name))]
        if f"{name}.prev" in self.env:
            nodes.append(
                Explanation(
                    name=f"{name}.prev",
                    label=f"{self.input_label(name)} ({self.words['last_year']})",
                    value=self.shown(name, f"{name}.prev"),
                )
            )
        return nodes

    def shown(self, name: str, column: str | None = None) -> float | str | None:
        """An input as a person reads it: option names, ya/tidak, numbers."""
        spec = next(i for i in self.plan.inputs if i.name == name)
        value = self.raw(name, column)
        if spec.kind == "yesno" and isinstance(value, float) and not math.isnan(value):
            return self.words["yes"] if value == 1.0 else self.words["no"]
        return value

    def input_label(self, name: str) -> str:
        spec = next(i for i in self.plan.inputs if i.name == name)
        return _label(spec.label, name, self.lang)

    def raw(self, name: str, column: str | None = None) -> float | str | None:
        spec = next(i for i in self.plan.inputs if i.name == name)
        value = self.env[column or name][self.row]
        if spec.kind == "option" and not math.isnan(float(value)):
            return spec.choices[int(value)]
        return None if value is None else float(value)


def _loaded(ir: p.IR) -> list[str]:
    """The columns an expression reads, in order, once each."""
    found: list[str] = []

    def walk(node: p.IR) -> None:
        if isinstance(node, p.Load) and node.name not in found:
            found.append(node.name)
        elif isinstance(node, p.Apply):
            for arg in node.args:
                walk(arg)

    walk(ir)
    return found


def _band_text(bands: p.BandsIR, index: int) -> str:
    """A band row with its edges as numbers (parameters resolved): '[50, 80)'."""
    # A cut just below an edge means the edge's own value belongs to the band above it.
    edges = [(round(cut, 6), cut < round(cut, 6)) for cut in bands.cuts]
    if index == 0:
        low = (
            "(-inf"
            if bands.lowest is None
            else ("[" if bands.lowest[1] else "(") + _edge(bands.lowest[0])
        )
    else:
        edge, goes_up = edges[index - 1]
        low = ("[" if goes_up else "(") + _edge(edge)
    if index == len(edges):
        high = (
            "inf)"
            if bands.highest is None
            else _edge(bands.highest[0]) + ("]" if bands.highest[1] else ")")
        )
    else:
        edge, goes_up = edges[index]
        high = _edge(edge) + (")" if goes_up else "]")
    return f"{low}, {high}"
