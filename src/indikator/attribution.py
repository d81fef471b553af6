"""Attribution: who owns a number, and how much an indicator's point moves the classified score.

Shared by the analyst's commands (`advice`, `compare`, `readiness`). Input: a `Plan` (and,
for renormalisation, which members have a value). Output: agencies (*OPD*), the columns an
expression reads, and per-indicator factors on the classified score: 1 through sum groups;
weight / sum of weights * group maximum / member maximum through mean and weighted groups.
A path through a `let` or a formula has no factor: the name of that step is returned instead.
No errors are raised.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from indikator import plan as p
from indikator.display import number
from indikator.messages import phrases

__all__ = [
    "agency_of",
    "edge",
    "loads_of",
    "score_factors",
    "show_input",
]


def show_input(plan: p.Plan, name: str, value: float, lang: str = "id") -> str:
    """An input's value as people read it: option names, ya/tidak (yes/no), numbers."""
    spec = next((i for i in plan.inputs if i.name == name.removesuffix(".prev")), None)
    if spec is None or math.isnan(value):
        return number(value, lang)
    if spec.kind == "option":
        return spec.choices[int(value)]
    if spec.kind == "yesno":
        return phrases("value.", lang)["yes" if value == 1.0 else "no"]
    return number(value, lang)


def agency_of(plan: p.Plan, name: str) -> str | None:
    """The agency of an indicator (else of its inputs) or of an input (else of its indicators).

    Examples:
        >>> from indikator import loads
        >>> rs = loads('''
        ... ruleset d { scale 0 to 10 }
        ... input x: percent { agency "Dinkes" missing zero }
        ... indicator s = linear x from 0 to 100 onto 0 to 10
        ... ''')
        >>> agency_of(rs.plan, "s"), agency_of(rs.plan, "x"), agency_of(rs.plan, "nothing")
        ('Dinkes', 'Dinkes', None)
    """
    steps = {s.name: s for s in plan.steps if isinstance(s, p.IndicatorStep)}
    specs = {i.name: i for i in plan.inputs}
    if name in steps:
        if steps[name].agency:
            return steps[name].agency
        found = {specs[i].agency for i in steps[name].inputs}
    elif name in specs:
        if specs[name].agency:
            return specs[name].agency
        found = {s.agency for s in steps.values() if name in s.inputs}
    else:
        return None
    return " / ".join(sorted(a for a in found if a)) or None


def loads_of(ir: p.IR) -> list[str]:
    """The columns an expression reads, in order, once each."""
    if isinstance(ir, p.Load):
        return [ir.name]
    if isinstance(ir, p.Apply):
        return list(dict.fromkeys(name for arg in ir.args for name in loads_of(arg)))
    return []


def _readers(plan: p.Plan) -> dict[str, list[tuple[str, bool]]]:
    """Map each name to [(step reading its points, whether that step is a group)]."""
    readers: dict[str, list[tuple[str, bool]]] = {}
    for step in plan.steps:
        if isinstance(step, p.GroupStep):
            names = list(step.members)
        elif isinstance(step, p.LetStep):
            names = loads_of(step.expr)
        else:
            scoring = step.scoring
            names = loads_of(scoring.expr if isinstance(scoring, p.FormulaIR) else scoring.subject)
        for name in names:
            readers.setdefault(name, []).append((step.name, isinstance(step, p.GroupStep)))
    return readers


def score_factors(
    plan: p.Plan, present: Callable[[str], bool] = lambda _: True
) -> dict[str, float | str]:
    """Points on the classified score per point of each indicator feeding it.

    A string instead of a number names the `let` or formula the points pass through.
    `present(name)` tells which group members have a value (renormalisation).

    Examples:
        >>> from indikator import loads
        >>> rs = loads('''
        ... ruleset d { scale 0 to 100 }
        ... input x: percent { missing zero }
        ... indicator a = linear x from 0 to 100 onto 0 to 10
        ... indicator b = linear x from 0 to 100 onto 0 to 40
        ... group g = weighted(a: 25, b: 75) max 100
        ... tiers on g { ok "OK" [50, 100] }
        ... ''')
        >>> score_factors(rs.plan)  # a: 25/100 * 100/10; b: 75/100 * 100/40
        {'a': 2.5, 'b': 1.875}
    """
    c = plan.classification
    if c is None:
        return {}
    groups = {s.name: s for s in plan.steps if isinstance(s, p.GroupStep)}
    readers = _readers(plan)
    memo: dict[str, float | str | None] = {c.subject: 1.0}

    def route(name: str) -> float | str | None:
        """Points on the score per point of `name`; a str names a formula on the way."""
        if name in memo:
            return memo[name]
        total: float | str | None = None
        for reader, is_group in readers.get(name, []):
            up = route(reader)
            if up is None:
                continue  # this reader does not lead to the classified score
            if isinstance(up, str) or not is_group:
                total = up if isinstance(up, str) else reader
                break
            total = (total if isinstance(total, float) else 0.0) + edge(
                groups[reader], name, present
            ) * up
        memo[name] = total
        return total

    indicators = [s.name for s in plan.steps if isinstance(s, p.IndicatorStep)]
    return {name: f for name in indicators if (f := route(name)) is not None}


def edge(group: p.GroupStep, member: str, present: Callable[[str], bool]) -> float:
    """Points on `group` per point of `member`, given which members have a value."""
    here = [present(m) for m in group.members]
    i = group.members.index(member)
    if group.aggregator == "sum":  # renormalised over the maxima of present members
        have = sum(m for m, ok in zip(group.member_maxima, here, strict=True) if ok)
        return sum(group.member_maxima) / have if have else 0.0
    weight = sum(w for w, ok in zip(group.weights, here, strict=True) if ok)
    return group.weights[i] / weight * group.maximum / group.member_maxima[i] if weight else 0.0
