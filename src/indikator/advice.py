"""Next-tier advice: what one region needs to reach the next tier, grouped by agency (OPD).

Input: a `Ruleset`, the `Results` of evaluating it and one region id. Output: a
`NextTierPlan`: the points missing, the failing requirements (gates) up to the next tier,
and the smallest sets of indicators whose full points would close the gap, each with its
agency, as text (`to_text`) or JSON (`to_dict`). An indicator's possible gain is its
missing points scaled by the groups between it and the classified score (1:1 through sum
groups; weight / sum of weights * group maximum / member maximum through mean and
weighted groups, over the members present in that region). Errors: `KeyError` for an
unknown region; `ValueError` when the ruleset has no tiers.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from indikator import messages
from indikator import plan as p
from indikator.attribution import (
    agency_of,
    edge,
    loads_of,
    score_factors,
    show_input,
)
from indikator.display import number
from indikator.errors import QuestionError
from indikator.messages import Message
from indikator.numeric import PLACES, holds, round_to, tolerance
from indikator.results import Results
from indikator.ruleset import Ruleset
from indikator.targets import Targets, targets

__all__ = ["Gain", "NextTierPlan", "Requirement", "next_tier", "phrases"]


def phrases(lang: str) -> dict[str, str]:
    """The phrase table in `lang`."""
    return messages.phrases("advice.", lang)


def _shown(value: float | None) -> float | None:
    """A number as JSON shows it: float noise below 10⁻⁹ removed, None when missing.

    The same rounding as the values of `Results` and of `compare`'s JSON.

    Examples:
        >>> _shown(75 - 70.82), _shown(0.1 + 0.2), _shown(float("nan")), _shown(-1e-12)
        (4.18, 0.3, None, 0.0)
    """
    if value is None or math.isnan(value):
        return None
    return round(value, PLACES) + 0.0  # + 0.0: no "-0.0"


@attrs.frozen(kw_only=True)
class Gain:
    """What one indicator can add to the classified score at its maximum."""

    indicator: str
    label: str
    agency: str
    points: float
    maximum: float
    gain: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; numbers without float noise (`_shown`)."""
        numbers = {"points": self.points, "maximum": self.maximum, "gain": self.gain}
        return {**attrs.asdict(self), **{k: _shown(v) for k, v in numbers.items()}}


@attrs.frozen(kw_only=True)
class Requirement:
    """A failing requirement (gate) of a tier, with the agencies behind what it reads."""

    tier: str
    label: str
    detail: str
    agencies: tuple[str, ...]
    unmet: tuple[tuple[str, str], ...] = ()  # (indicator, agency) read through met/all_met

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        unmet = [{"indicator": i, "agency": a} for i, a in self.unmet]
        return {**attrs.asdict(self), "agencies": list(self.agencies), "unmet": unmet}


@attrs.frozen(kw_only=True)
class NextTierPlan:
    """The answer of `next_tier`.

    `outcome` is found, none_needed, too_many, unreachable or uncounted (unreachable by
    the indicators counted, but some are not counted: `skipped`).
    """

    region: str
    name: str | None
    lang: str
    score: float | None
    tier: str | None
    max_size: int
    next_tier: str | None = None
    lower: float | None = None
    gap: float = 0.0
    requirements: tuple[Requirement, ...] = ()
    gains: tuple[Gain, ...] = ()
    sets: tuple[tuple[Gain, ...], ...] = ()
    more_sets: bool = False
    outcome: str = "none_needed"
    skipped: tuple[tuple[str, str], ...] = ()
    targets: Targets | None = None  # values to reach per input, cheapest path, rank gap

    def by_agency(self) -> dict[str, tuple[list[Gain], list[Requirement]]]:
        """Each agency's indicators to raise and requirements to meet, agencies sorted."""
        out: dict[str, tuple[list[Gain], list[Requirement]]] = {}
        # With the score already high enough, only the requirements are tasks.
        for gain in self.gains if self.gap > 0 else ():
            out.setdefault(gain.agency, ([], []))[0].append(gain)
        for requirement in self.requirements:
            for agency in requirement.agencies:
                out.setdefault(agency, ([], []))[1].append(requirement)
        last = phrases(self.lang)["no_agency"]
        return dict(sorted(out.items(), key=lambda item: (item[0] == last, item[0])))

    def sets_of(self, gain: Gain) -> list[int]:
        """The numbers (from 1) of the shown sets that contain this indicator."""
        return [number for number, chosen in enumerate(self.sets, start=1) if gain in chosen]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; numbers without float noise (`_shown`: 4.18, not 4.18000...07)."""
        return {
            "region": self.region,
            "name": self.name,
            "score": _shown(self.score),
            "tier": self.tier,
            "next_tier": self.next_tier,
            "lower": _shown(self.lower),
            "gap": _shown(self.gap),
            "outcome": self.outcome,
            "requirements": [r.to_dict() for r in self.requirements],
            "sets": [
                {"gain": _shown(sum(g.gain for g in s)), "indicators": [g.indicator for g in s]}
                for s in self.sets
            ],
            "more_sets": self.more_sets,
            "agencies": [
                {
                    "agency": agency,
                    "indicators": [{**g.to_dict(), "sets": self.sets_of(g)} for g in gains],
                    "requirements": [r.label for r in requirements],
                }
                for agency, (gains, requirements) in self.by_agency().items()
            ],
            "skipped": [{"indicator": i, "reason": r} for i, r in self.skipped],
            **(self.targets.to_dict() if self.targets is not None else {}),
        }

    def to_text(self) -> str:
        """A report for people, in the plan's language."""
        w = phrases(self.lang)
        show = functools.partial(number, lang=self.lang)
        title = f"{self.name} ({self.region})" if self.name else self.region
        lines = [f"{title}: {self.tier or '-'}, {w['score']} {show(self.score)}"]
        after = self.targets.lines() if self.targets is not None else []
        if self.score is None or self.next_tier is None:
            return "\n".join([*lines, w["incomplete" if self.score is None else "top"], *after])
        key = "toward" if self.gap > 0 else "toward_gates"
        lines.append(w[key].format(tier=self.next_tier, lower=show(self.lower), gap=show(self.gap)))
        if self.requirements:
            lines.append(w["gates"])
            lines += [f"  - {r.tier}: {r.label} ({r.detail})" for r in self.requirements]
        if self.outcome == "found":
            more = w["more"] if self.more_sets else ""
            lines.append(w["sets"].format(size=len(self.sets[0]), count=len(self.sets), more=more))
            for index, chosen in enumerate(self.sets, start=1):
                parts = [f"{g.indicator} ({g.agency}) {show(g.gain, signed=True)}" for g in chosen]
                total = show(sum(g.gain for g in chosen), signed=True)
                total = f" = {total}" if len(chosen) > 1 else ""
                lines.append(f"  {index}. {'; '.join(parts)}{total}")
        elif self.outcome in ("too_many", "unreachable", "uncounted"):
            lines.append(w[self.outcome].format(size=self.max_size))
        lines += self.targets.path_lines() if self.targets is not None else []
        lines += [w["by_agency"]] if self.by_agency() else []
        for agency, (gains, requirements) in self.by_agency().items():
            lines.append(f"  {agency}")
            for g in gains:
                sets = ", ".join(str(index) for index in self.sets_of(g))
                tag = f"  [{w['in_sets']} {sets}]" if sets else ""
                points = f"{show(g.points)} / {show(g.maximum)}"
                lines.append(
                    f"    {g.label} [{g.indicator}]: {points}, {show(g.gain, signed=True)}{tag}"
                )
            for r in requirements:
                mine = [i for i, a in r.unmet if a == agency]
                detail = f"{w['unmet']}: {', '.join(mine)}" if mine else r.detail
                lines.append(f"    {r.tier}: {r.label} ({detail})")
        if self.skipped:
            lines.append(w["skipped"])
            lines += [f"  - {name}: {reason}" for name, reason in self.skipped]
        return "\n".join([*lines, *after])

    def __str__(self) -> str:
        return self.to_text()


def next_tier(
    ruleset: Ruleset,
    results: Results,
    region: str,
    *,
    max_sets: int = 5,
    max_size: int = 6,
    lang: str = "id",
) -> NextTierPlan:
    """What `region` needs to reach the next tier.

    Examples:
        >>> from indikator import loads
        >>> rs = loads('''
        ... ruleset d { scale 0 to 60  region kode }
        ... input kode: text
        ... input x: percent { agency "Dinkes" missing zero }
        ... input y: percent { agency "Dikbud" missing zero }
        ... indicator a = linear x from 0 to 100 onto 0 to 30
        ... indicator b = linear y from 0 to 100 onto 0 to 30
        ... group total = sum(a, b)
        ... tiers on total { baik "Baik" [40, 60] }
        ... ''')
        >>> res = rs.evaluate_many({"kode": ["01"], "x": [50], "y": [50]})
        >>> plan = next_tier(rs, res, "01", lang="en")
        >>> plan.gap, [[g.indicator for g in s] for s in plan.sets]  # 40 - 30; each gains 15
        (10.0, [['a'], ['b']])

    The value to reach: a = 0.3 x, so 40 needs a = 25, x = 83.3..., 84 in whole numbers:

        >>> [(i.step.input, i.current, i.target) for i in plan.targets.path]
        [('x', '50 %', '84 %')]

    `max_sets` and `max_size` must be at least 1 (ValueError otherwise).
    """
    for argument, count in (("max_sets", max_sets), ("max_size", max_size)):
        if count < 1:  # 0 sets would report "found" with nothing to show
            msg = f"{argument} must be at least 1, not {count}"
            raise ValueError(msg)
    plan, env = ruleset.plan, results.env
    c = plan.classification
    if c is None:
        raise QuestionError(Message("question.no_tiers"))
    row = results.region(region).index
    w = phrases(lang)
    labels = [c.below.text(lang), *(label.text(lang) for label in c.labels)]
    code = int(results.tier_codes[row])
    score = float(results.total[row])
    names = env.get(plan.region_name) if plan.region_name else None
    name = None if names is None or names[row] is None else str(names[row])
    tier = labels[code] if code >= 0 else None
    if code < 0 or code >= len(c.names):  # no score, or already at the top
        score_ = None if code < 0 else score
        found = None if code < 0 else targets(ruleset, results, row, target=None, need=0.0,
                                               max_size=max_size, lang=lang)  # fmt: skip
        return NextTierPlan(region=region, name=name, lang=lang, score=score_, tier=tier,
                            max_size=max_size, targets=found)  # fmt: skip
    value = {k: float(v[row]) for k, v in env.items() if v.dtype.kind == "f"}
    factors = score_factors(plan, lambda m: not math.isnan(value[m]))
    gains, skipped = [], []
    for step in (s for s in plan.steps if isinstance(s, p.IndicatorStep)):
        factor = factors.get(step.name)
        if factor is None or holds(">=", value[step.name], step.maximum):
            continue
        if isinstance(factor, str) or math.isnan(value[step.name]):
            why = w["excluded"] if not isinstance(factor, str) else w["through"]
            skipped.append((step.name, why.format(name=factor)))
            continue
        label = step.label.text(lang) if step.label else step.name
        agency = agency_of(plan, step.name) or w["no_agency"]
        missing = step.maximum - value[step.name]
        gains.append(Gain(indicator=step.name, label=label, agency=agency,
                          points=value[step.name], maximum=step.maximum,
                          gain=missing * factor))  # fmt: skip
    gains.sort(key=lambda g: -g.gain)
    raw = _unrounded(plan, c.subject, value)
    reaches = _reacher(plan, c, raw, code + 1)
    gap = max(0.0, c.lowers[code] - score)
    sets: list[tuple[int, ...]] = []
    more, outcome = False, "none_needed"
    if not reaches(0.0):
        slack = _slack(plan, c.subject, c.lowers[code])
        need = c.lowers[code] - raw - slack
        sets, more, outcome = _search([g.gain for g in gains], reaches, need, max_sets, max_size)
        if outcome == "unreachable" and skipped:
            # The indicators not counted may close the gap: no claim either way.
            outcome = "uncounted"
    return NextTierPlan(
        region=region, name=name, lang=lang, score=score, tier=tier, max_size=max_size,
        next_tier=labels[code + 1], lower=c.lowers[code], gap=gap,
        requirements=_requirements(plan, c, value, code, lang), gains=tuple(gains),
        sets=tuple(tuple(gains[i] for i in s) for s in sets), more_sets=more, outcome=outcome,
        skipped=tuple(skipped),
        targets=targets(ruleset, results, row, target=code + 1, need=gap, max_size=max_size,
                        lang=lang),
    )  # fmt: skip


def _subject_step(plan: p.Plan, subject: str) -> p.Step:
    return next(s for s in plan.steps if s.name == subject)


def _unrounded(plan: p.Plan, subject: str, value: Mapping[str, float]) -> float:
    """The classified score before its own rounding: present members times their edges."""
    step = _subject_step(plan, subject)
    if not isinstance(step, p.GroupStep) or step.rounding is None:
        return value[subject]
    here = [m for m in step.members if not math.isnan(value[m])]
    return sum(edge(step, m, here.__contains__) * value[m] for m in here)


def _slack(plan: p.Plan, subject: str, edge: float) -> float:
    """How far rounding and the tolerance at `edge` can lift the score past it."""
    rounding = _subject_step(plan, subject).rounding
    return (10.0 ** -rounding[0] if rounding else 0.0) + tolerance(edge)


def _reacher(plan: p.Plan, c: p.Classification, raw: float, target: int) -> Callable[[float], bool]:
    """Whether adding `extra` points lifts the (rounded) score into tier `target` or higher."""
    rounding = _subject_step(plan, c.subject).rounding
    cuts = np.array(c.cuts)

    def reaches(extra: float) -> bool:
        score = np.array([raw + extra])
        if rounding is not None:
            score = round_to(score, *rounding)
        return int(np.searchsorted(cuts, score[0], side="left")) >= target

    return reaches


def _search(
    gains: Sequence[float],
    reaches: Callable[[float], bool],
    need: float,
    max_sets: int,
    max_size: int,
) -> tuple[list[tuple[int, ...]], bool, str]:
    """The first `max_sets` smallest index sets (gains sorted high to low) that reach."""
    if not reaches(sum(gains)):
        return [], False, "unreachable"
    for size in range(1, min(max_size, len(gains)) + 1):
        found: list[tuple[int, ...]] = []
        for combo in _combinations(gains, size, need):
            if reaches(sum(gains[i] for i in combo)):
                found.append(combo)
                if len(found) > max_sets:
                    break
        if found:
            return found[:max_sets], len(found) > max_sets, "found"
    return [], False, "too_many"


def _combinations(gains: Sequence[float], size: int, need: float) -> Iterator[tuple[int, ...]]:
    """Index sets of `size` whose sum can reach `need`; gains sorted high to low prune early."""

    def walk(start: int, chosen: tuple[int, ...], total: float) -> Iterator[tuple[int, ...]]:
        left = size - len(chosen)
        if left == 0:
            yield chosen
            return
        for i in range(start, len(gains) - left + 1):
            if total + sum(gains[i : i + left]) < need:
                return  # later starts only have smaller gains
            yield from walk(i + 1, (*chosen, i), total + gains[i])

    yield from walk(0, (), 0.0)


def _requirements(
    plan: p.Plan, c: p.Classification, value: Mapping[str, float], code: int, lang: str
) -> tuple[Requirement, ...]:
    """Failing gates of every tier up to the next one (gates are cumulative)."""
    w = phrases(lang)
    out = []
    for level, gates in enumerate(c.gates[: code + 1], start=1):
        for index, gate in enumerate(gates):
            if value[f"tier.gate.{level}.{index}"] == 1.0:
                continue
            read = loads_of(gate.condition)
            # met(x)/all_met(g) read x.met (and x itself, to tell excluded from unmet):
            # the task is each unmet indicator, owned by its agency.
            unmet = [r[:-4] for r in read if r.endswith(".met") and value.get(r) != 1.0]
            plain = [r for r in read if not r.endswith(".met") and f"{r}.met" not in read]
            owners = [(u, agency_of(plan, u) or w["no_agency"]) for u in unmet]
            agencies = {a for _, a in owners}
            agencies |= {a for r in plain if (a := agency_of(plan, r.removesuffix(".prev")))}
            shown = [f"{r} = {show_input(plan, r, value[r], lang)}" for r in plain if r in value]
            if unmet:
                shown.append(f"{w['unmet']}: {', '.join(unmet)}")
            label = gate.label.text(lang) if gate.label else gate.text
            out.append(
                Requirement(
                    tier=c.labels[level - 1].text(lang), label=label,
                    detail="; ".join([gate.text, *shown]),
                    agencies=tuple(sorted(agencies)) or (w["no_agency"],), unmet=tuple(owners),
                )
            )  # fmt: skip
    return tuple(out)
