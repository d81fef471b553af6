"""Targets: the values to reach, per input and agency, the cheapest path and the rank gap.

Input: a `Ruleset`, its `Results` and one region row. Output: `Targets`: every input step
(`steps.ladders`) with its agency, the values shown as people read them and the points
per unit of change; the cheapest combination to the next tier (`path.cheapest`); the
indicators below their maximum that no single input raises; and, for rulesets with
`rank`, the points between the region and the one ranked just above it. `next_tier`
(advice) attaches it to its plan and renders it (`lines`). No errors are raised.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np

from indikator import messages
from indikator import plan as p
from indikator.attribution import agency_of, loads_of, show_input
from indikator.display import PLACES, number
from indikator.path import Route, cheapest
from indikator.probe import Probe
from indikator.results import Results
from indikator.ruleset import Ruleset
from indikator.steps import Step, behind, decimals, ladders

__all__ = ["InputStep", "RankGap", "Targets", "targets"]


def _shown(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(value, 9) + 0.0


@attrs.frozen(kw_only=True)
class InputStep:
    """A step as people read it: the input's label and agency, both values shown."""

    step: Step
    label: str
    agency: str
    current: str  # shown in the plan's language: '81,18 %', 'rancangan', 'ya', '4 / 6'
    target: str
    requirements: tuple[str, ...]  # labels of the tier requirements it meets

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: plain numbers, and the values as shown."""
        s = self.step
        return {
            "input": s.input, "label": self.label, "agency": self.agency, "kind": s.kind,
            "current": _shown(s.current), "target": _shown(s.target),
            "current_shown": self.current, "target_shown": self.target,
            "change": _shown(s.units), "gain": _shown(s.gain), "per_unit": _shown(s.per_unit),
            "indicators": list(s.indicators), "requirements": list(self.requirements),
        }  # fmt: skip


@attrs.frozen(kw_only=True)
class RankGap:
    """A region's rank within its group and the points to the region ranked just above."""

    rank: str
    label: str
    position: int
    group: str | None
    ahead: str | None  # the region ranked just above (None: already first)
    ahead_position: int | None
    key: str
    gap: float | None  # the key's difference to that region

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {**attrs.asdict(self), "gap": _shown(self.gap)}


@attrs.frozen(kw_only=True)
class Targets:
    """What `targets` found for one region."""

    lang: str
    steps: tuple[InputStep, ...]
    route: Route | None  # None: no tier to reach (top, incomplete or none needed)
    path: tuple[InputStep, ...]
    tier: str | None  # the tier the route aims at
    stuck: tuple[str, ...]
    ranks: tuple[RankGap, ...]
    gate_labels: tuple[tuple[str, str], ...] = ()  # ("tier.gate.L.i", "Tier: label")

    def by_agency(self) -> dict[str, list[InputStep]]:
        """Steps per agency, best points per unit first; agencies by their best step."""
        out: dict[str, list[InputStep]] = {}
        for item in sorted(self.steps, key=lambda i: (-i.step.per_unit, i.step.input)):
            out.setdefault(item.agency, []).append(item)
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        route = self.route
        return {
            "steps": [
                {"agency": agency, "steps": [i.to_dict() for i in items]}
                for agency, items in self.by_agency().items()
            ],
            "path": None if route is None else {
                "tier": self.tier, "outcome": route.outcome, "score": _shown(route.score),
                "steps": [i.to_dict() for i in self.path], "alternatives": route.alternatives,
                "best": _shown(route.best), "blocked": list(self.blocked()),
                "compared": route.compared, "joint": list(route.joint),
                "limited": route.limited,
            },
            "stuck": list(self.stuck),
            "ranks": [r.to_dict() for r in self.ranks],
        }  # fmt: skip

    def blocked(self) -> list[str]:
        """Labels of the failing requirements no single input can meet."""
        return [] if self.route is None else [self._gate(g) for g in self.route.blocked]

    def _gate(self, key: str) -> str:
        return dict(self.gate_labels).get(key, key)

    def path_lines(self) -> list[str]:
        """The report's section on the cheapest path (none without a tier to reach)."""
        w = messages.phrases("steps.", self.lang)
        return [] if self.route is None else _route_lines(self, self.route, w)

    def _on_path(self) -> set[int]:
        """The steps the path takes (ids): the same value, or the rung it was cut back from.

        A cut-back step is no rung: the nearest rung at or past it, the same way, is.
        """
        out = set()
        for taken in self.path:
            t = taken.step
            same = [i for i in self.steps if i.step.input == t.input]
            way = [i for i in same if i.step.target == t.target] or [
                i for i in same if (i.step.target - t.start) * (t.target - t.start) > 0
                and abs(i.step.target - t.start) >= abs(t.target - t.start)
            ]  # fmt: skip
            if way:
                out.add(id(min(way, key=lambda i: abs(i.step.target - t.start))))
        return out

    def lines(self) -> list[str]:
        """The report's sections on the values to reach per agency and on the rank."""
        w = messages.phrases("steps.", self.lang)
        show = functools.partial(number, lang=self.lang)
        out: list[str] = []
        if self.steps:
            out.append(w["by_agency"])
            on_path = self._on_path()
            for agency, items in self.by_agency().items():
                out.append(f"  {agency}")
                for i in items:
                    tag = f"  [{w['on_path']}]" if id(i) in on_path else ""
                    out.append(
                        f"    {i.label} [{i.step.input}]: {i.current} -> {i.target}"
                        f" ({', '.join([*i.step.indicators, *i.requirements])}),"
                        f" {show(i.step.gain, signed=True)},"
                        f" {show(i.step.per_unit, places=_significant(i.step.per_unit))}"
                        f" {w['per_unit']}{tag}"
                    )
        if self.stuck:
            out.append(f"{w['stuck']} {', '.join(self.stuck)}")
        return out + [_rank_line(r, w, show) for r in self.ranks]


def _significant(value: float) -> int:
    """Decimals that show three significant digits of a small value (4 to 9).

    Examples:
        >>> _significant(0.5), _significant(0.000123), _significant(1e-9), _significant(0.0)
        (4, 6, 9, 4)
    """
    if value == 0 or not math.isfinite(value):
        return PLACES
    return min(9, max(PLACES, 2 - math.floor(math.log10(abs(value)))))


def _route_lines(t: Targets, route: Route, w: Mapping[str, str]) -> list[str]:
    show = functools.partial(number, lang=t.lang)
    if route.outcome == "found":
        head = w["path"].format(tier=t.tier, size=len(t.path), score=show(route.score))
        lines = [head]
        for index, i in enumerate(t.path, start=1):
            gain = show(i.step.gain, signed=True)
            lines.append(f"  {index}. {i.label} [{i.step.input}] ({i.agency}): "
                         f"{i.current} -> {i.target}, {gain}")  # fmt: skip
        if route.alternatives:
            lines.append(f"  {w['alternatives'].format(count=route.alternatives)}")
        if route.limited:
            lines.append(f"  {w['limited_found']}")
        if route.compared:
            total = route.alternatives + 1
            lines.append(f"  {w['compared'].format(count=route.compared, total=total)}")
        return lines
    joint = ", ".join(route.joint)
    lines = [w[f"path_{route.outcome}"].format(tier=t.tier, best=show(route.best), joint=joint)]
    lines += [f"  - {w['blocked']} {label}" for label in t.blocked()]
    return lines


def _rank_line(r: RankGap, w: Mapping[str, str], show: Any) -> str:
    where = f" {w['within']} {r.group}" if r.group else ""
    head = f"{r.label}: {r.position}{where}"
    if r.ahead is None:
        return f"{head}; {w['rank_first']}"
    return f"{head}; " + w["rank_gap"].format(
        gap=show(r.gap), key=r.key, ahead=r.ahead, position=r.ahead_position
    )


def directions(ruleset: Ruleset) -> dict[str, int]:
    """+1 for `better higher`, -1 for `better lower`, per input that declares it."""
    out = {}
    for definition in ruleset._linked.definitions:  # noqa: SLF001  # declared directions live in the syntax tree
        better = getattr(definition, "better", None)
        if better:
            out[definition.name] = 1 if better == "higher" else -1
    return out


def shown(plan: p.Plan, spec: p.InputSpec, value: float, lang: str) -> str:
    """An input's value as people read it: '81,18 %', an option, ya/tidak, '4 / 6' items."""
    if math.isnan(value):
        return "-"
    if spec.kind == "checklist":
        return f"{number(value, lang)} / {len(spec.choices)}"
    # Every decimal the value has (up to JSON's 9): 0.000003 is not shown as 0.
    places = max(PLACES, decimals(np.array([value]), most=9))
    if spec.kind == "percent":
        return f"{number(value, lang, places=places)} %"
    if spec.kind in ("number", "count"):
        return number(value, lang, places=places)
    return show_input(plan, spec.name, value, lang)


def targets(
    ruleset: Ruleset, results: Results, row: int, *, target: int | None, need: float,
    max_size: int, lang: str,
) -> Targets:  # fmt: skip
    """Steps, cheapest path to tier code `target` (None: none to reach) and rank gaps."""
    plan, env = ruleset.plan, results.env
    probe = Probe(plan, env, row)
    base = {k: v[row : row + 1] for k, v in env.items()}
    places = {s.name: decimals(env[s.name]) for s in plan.inputs
              if s.kind in ("number", "percent") and s.name in env}  # fmt: skip
    found = ladders(probe, directions(ruleset), places, base)
    specs = {s.name: s for s in plan.inputs}
    labels = _gate_labels(plan, lang)
    w = messages.phrases("advice.", lang)

    def present(step: Step) -> InputStep:
        spec = specs[step.input]
        return InputStep(
            step=step, label=spec.label.text(lang) if spec.label else spec.name,
            agency=agency_of(plan, spec.name) or w["no_agency"],
            current=shown(plan, spec, step.current, lang),
            target=shown(plan, spec, step.target, lang),
            requirements=tuple(dict(labels).get(g, g) for g in step.gates),
        )  # fmt: skip

    route, tier = None, None
    c = plan.classification
    if target is not None and c is not None:
        failing = [k for k in env if k.startswith("tier.gate.") and env[k][row] != 1.0
                   and int(k.split(".")[2]) <= target]  # fmt: skip
        route = cheapest(probe, found, target, need, max_size=max_size, failing=failing,
                         places=places)  # fmt: skip
        if route.outcome != "found":
            # A declared direction is no proof: one input may feed indicators both ways
            # (or against it). Before saying no path, every input is tried both ways, and
            # from where the others' farthest steps leave the region (min(x, y) rises
            # with x only once y has).
            wider = ladders(probe, directions(ruleset), places, base, both=True)
            wider = _joined(probe, wider, ladders_from(probe, wider, directions(ruleset),
                                                       places))  # fmt: skip
            route = cheapest(probe, wider, target, need, max_size=max_size,
                             failing=failing, places=places)  # fmt: skip
        tier = c.labels[target - 1].text(lang)
    raised = {name for steps in found.values() for s in steps for name in s.indicators}
    stuck = tuple(
        s.name for s in plan.steps
        if isinstance(s, p.IndicatorStep) and s.name not in raised
        and not math.isnan(float(env[s.name][row]))
        and float(env[s.name][row]) < s.maximum - 1e-9 and s.inputs
    )  # fmt: skip
    joint = _joint(plan, env, row, target) if target is not None else ()
    if route is not None and route.outcome in ("unreachable", "too_many") and joint:
        # Steps of single inputs prove nothing about what reads several inputs at once.
        route = attrs.evolve(route, outcome="joint", joint=joint)
    return Targets(
        lang=lang, steps=tuple(present(s) for steps in found.values() for s in steps),
        route=route, path=tuple(present(s) for s in route.steps) if route else (),
        tier=tier, stuck=stuck, ranks=_ranks(plan, results, row, lang), gate_labels=labels,
    )  # fmt: skip


def ladders_from(
    probe: Probe, found: Mapping[str, list[Step]], direction: Mapping[str, int],
    places: Mapping[str, int],
) -> dict[str, list[Step]]:  # fmt: skip
    """Each input's steps with every other input at its farthest step."""
    farthest = {name: steps[-1].target for name, steps in found.items() if steps}
    env = probe.run([farthest])
    if not env or not farthest:
        return {}
    moved = {k: np.array([v], dtype=np.float64) for k, v in farthest.items()}
    there = Probe(probe.plan, {**probe.base, **moved}, 0)
    return ladders(there, direction, places, env, both=True)


def _joined(
    probe: Probe, found: Mapping[str, list[Step]], more: Mapping[str, list[Step]]
) -> dict[str, list[Step]]:
    """`found` with the values of `more` it lacks, their gains measured from the region."""
    out = {name: list(steps) for name, steps in found.items()}
    extra = [(name, s) for name, steps in more.items() for s in steps
             if s.target not in {t.target for t in out.get(name, [])}]  # fmt: skip
    if not extra:
        return out
    c = probe.plan.classification
    env = probe.run([{}, *({name: s.target} for name, s in extra)])
    if not env or c is None:
        return out
    score = np.asarray(env[c.subject], dtype=np.float64)
    before = 0.0 if math.isnan(score[0]) else float(score[0])
    current = {k: float(np.asarray(v, dtype=np.float64)[0]) for k, v in probe.base.items()
               if k in more}  # fmt: skip
    for k, (name, s) in enumerate(extra, start=1):
        start = current[name] if not math.isnan(current[name]) else s.start
        units = abs(s.target - start) if s.kind != "yesno" else 1.0
        gain = 0.0 if math.isnan(score[k]) else float(score[k]) - before
        effort = s.effort * units / s.units if s.units > 0 else s.effort
        moved = attrs.evolve(s, current=current[name], start=start, units=units,
                             gain=round(gain, 9) + 0.0, effort=effort)  # fmt: skip
        out.setdefault(name, []).append(moved)
    for steps in out.values():
        steps.sort(key=lambda s: (abs(s.target - s.start), s.target))
    return out


def _joint(plan: p.Plan, env: Mapping[str, Any], row: int, target: int) -> tuple[str, ...]:
    """Indicators below their maximum and failing requirements that read several inputs."""
    out = [
        s.name for s in plan.steps
        if isinstance(s, p.IndicatorStep) and not float(env[s.name][row]) >= s.maximum - 1e-9
        and len(behind(plan, [s.name])) > 1
    ]  # fmt: skip
    c = plan.classification
    for level, gates in enumerate(c.gates[:target] if c else (), start=1):
        for index, gate in enumerate(gates):
            failing = env[f"tier.gate.{level}.{index}"][row] != 1.0
            if failing and len(behind(plan, loads_of(gate.condition))) > 1:
                out.append(gate.text)
    return tuple(out)


def _gate_labels(plan: p.Plan, lang: str) -> tuple[tuple[str, str], ...]:
    c = plan.classification
    if c is None:
        return ()
    return tuple(
        (f"tier.gate.{level}.{index}",
         f"{c.labels[level - 1].text(lang)}: {g.label.text(lang) if g.label else g.text}")
        for level, gates in enumerate(c.gates, start=1)
        for index, g in enumerate(gates)
    )  # fmt: skip


def _ranks(plan: p.Plan, results: Results, row: int, lang: str) -> tuple[RankGap, ...]:
    """Per rank: the region's position and the key gap to the region just above it."""
    env, out = results.env, []
    names = env.get(plan.region_name) if plan.region_name else None
    for rank in plan.ranks:
        positions = np.asarray(env[rank.name], dtype=np.float64)
        mine = positions[row]
        if math.isnan(mine):
            continue
        group = env[rank.within] if rank.within else None
        same = np.ones(len(positions), dtype=bool) if group is None else group == group[row]
        above = np.flatnonzero(same & (positions < mine))
        key, descending = rank.keys[0]
        label = rank.label.text(lang) if rank.label else rank.name
        where = None if group is None else str(group[row])
        if len(above) == 0:
            out.append(RankGap(rank=rank.name, label=label, position=int(mine), group=where,
                               ahead=None, ahead_position=None, key=key, gap=None))  # fmt: skip
            continue
        other = int(above[np.argmax(positions[above])])
        values = np.asarray(env[key], dtype=np.float64)
        gap = (values[other] - values[row]) * (1 if descending else -1)
        ahead = results.regions[other]
        if names is not None and names[other] is not None:
            ahead = f"{names[other]} ({ahead})"
        out.append(RankGap(rank=rank.name, label=label, position=int(mine), group=where,
                           ahead=ahead, ahead_position=int(positions[other]), key=key,
                           gap=float(gap)))  # fmt: skip
    return tuple(out)
