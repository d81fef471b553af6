"""The report's words for what a ruleset names: labels for identifiers, conditions as read.

Input: a `Plan`, a language and (for the details) a function giving one region's value of
a column. Output: text for people: the label an author gave an input, indicator, group or
rank instead of its identifier ('Perda KLA', not 'i01_perda_kla'); a tier requirement as
a condition on labels with the numbers the parameters resolved to ('Desa/kelurahan SBS
(ODF) ≥ 80', not 'odf >= odf_padapa'); and the values a requirement read in one region,
with the indicators it found unmet named by their labels. An identifier with no label is
shown as it is. No errors are raised.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from types import MappingProxyType

from indikator import plan as p
from indikator.attribution import loads_of, show_input
from indikator.display import number
from indikator.messages import phrases

__all__ = ["condition_text", "gate_detail", "label_of", "words"]

_SYMBOLS = {"<": "<", "<=": "≤", "==": "=", "!=": "≠", ">=": "≥", ">": ">"}
_ARITHMETIC = {"add": "+", "sub": "\N{MINUS SIGN}", "mul": "\N{MULTIPLICATION SIGN}", "div": ":"}

_LISTED = 3  # a min()/max() of more values is worded by their count


@functools.cache
def words(lang: str) -> Mapping[str, str]:
    """The report's words (`report.` in the catalogue) in `lang`, looked up once."""
    return MappingProxyType(phrases("report.", lang))


def label_of(plan: p.Plan, name: str, lang: str) -> str:
    """The label of an input, step or rank (`x.prev`: last year's), else the name itself."""
    base = name.removesuffix(".met").removesuffix(".prev")
    found = next((s.label for s in plan.inputs if s.name == base), None)
    for step in (*plan.steps, *plan.ranks):
        if found is None and step.name == base:
            found = step.label
    text = found.text(lang) if found is not None else base
    if name.endswith(".prev"):
        return f"{text} ({words(lang)['last_year']})"
    return text


def condition_text(plan: p.Plan, ir: p.IR, lang: str) -> str | None:
    """A requirement as people read it, on labels and resolved numbers.

    None when the condition uses an operation with no plain wording (the caller then
    shows the values it reads only).

    Examples:
        >>> from indikator import loads
        >>> rs = loads('''
        ... ruleset d { scale 0 to 10 }
        ... input odf "ODF desa" en "ODF villages": percent { missing zero }
        ... indicator s = linear odf from 0 to 100 onto 0 to 10
        ... tiers on s { ok "OK" [5, 10] requires odf >= 80 }
        ... ''')
        >>> gate = rs.plan.classification.gates[0][0]
        >>> condition_text(rs.plan, gate.condition, "id"), label_of(rs.plan, "odf.prev", "en")
        ('ODF desa ≥ 80', 'ODF villages (last year)')
    """
    w = words(lang)

    def show(node: p.IR) -> str | None:
        match node:
            case p.Const(value=value):
                return number(value, lang)
            case p.Load(name=name) if name.endswith(".met"):
                return f"{label_of(plan, name, lang)} {w['is_met']}"
            case p.Load(name=name):
                return label_of(plan, name, lang)
            case p.Apply(op="all_met"):
                return w["all_met"]
            case p.Apply(op=op, args=(left, right)) if op in _SYMBOLS or op in _ARITHMETIC:
                a, b = show(left), show(right)
                symbol = _SYMBOLS.get(op) or _ARITHMETIC[op]
                return None if a is None or b is None else f"{a} {symbol} {b}"
            case p.Apply(op="and" | "or" as op, args=args):
                parts = [show(arg) for arg in args]
                if any(part is None for part in parts):
                    return None
                return f" {w[op]} ".join(f"({part})" for part in parts if part is not None)
            case p.Apply(op="not", args=(arg,)):
                inner = show(arg)
                return None if inner is None else f"{w['not']} ({inner})"
            case p.Apply(op="min" | "max" as op, args=args) if len(args) > _LISTED:
                # the values themselves follow the condition: no need to list them twice
                return f"{w[op]} {number(len(args), lang)} {w['values']}"
            case p.Apply(op="min" | "max" as op, args=args):
                parts = [show(arg) for arg in args]
                if any(part is None for part in parts):
                    return None
                return f"{w[op]} ({', '.join(part for part in parts if part is not None)})"
        return None

    return show(ir)


def gate_detail(
    plan: p.Plan, gate: p.Gate, value: Callable[[str], float], lang: str
) -> tuple[list[str], list[str]]:
    """What a requirement reads in one region, in words: (facts, unmet indicators).

    The facts are its condition and each value it reads, by label ('Desa/kelurahan SBS
    (ODF) ≥ 80', 'Desa/kelurahan SBS (ODF): 82,7'); the unmet indicators are the labels
    of those `met`/`all_met` found not met, in the ruleset's order ('Perda KLA'). Labels
    may hold commas: the caller lists them one by one.
    """
    read = loads_of(gate.condition)
    judged = {name.removesuffix(".met") for name in read if name.endswith(".met")}
    # A bare yes/no is its own value ('SK Forum: tidak'): no condition line for it.
    text = (
        None if isinstance(gate.condition, p.Load) else condition_text(plan, gate.condition, lang)
    )
    parts = [text] if text else []
    for name in read:
        if name.endswith(".met") or name in judged:
            continue
        shown = (
            show_input(plan, name, value(name), lang)
            if any(i.name == name.removesuffix(".prev") for i in plan.inputs)
            else number(value(name), lang, places=2)  # a score: as the report shows scores
        )
        parts.append(f"{label_of(plan, name, lang)}: {shown}")
    unmet = [
        label_of(plan, name, lang)
        for name in sorted(judged, key=_order(plan))
        if value(f"{name}.met") != 1.0 and value(name) == value(name)  # excluded: not unmet
    ]
    return parts, unmet


def _order(plan: p.Plan) -> Callable[[str], tuple[str, int]]:
    """Sort key: where a step is written (the plan's order is the evaluation order)."""
    places = {step.name: (step.origin.file, step.origin.line) for step in plan.steps}
    return lambda name: places.get(name, ("", 0))
