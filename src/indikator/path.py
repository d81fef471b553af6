"""Path: the cheapest combination of input steps that lifts a region to a tier.

Input: a `Probe` of one region, each input's ladder of `Step`s (`steps.ladders`), the tier
code to reach and the score still missing. Output: a `Route`: the fewest steps (at most one
per input) whose combined effect reaches the tier, ties broken by the least change (each
step's change as a share of its input's range, options or items, after its numeric steps
are cut back to what the tier needs), then by the highest resulting score; each candidate
is checked by re-evaluating the region with all its changes at once (never by adding
gains: gates, mean groups and rounding are the evaluator's business). Every combination is
tried while there are at most `limit` of a size; beyond that, only those whose summed
gains come near the missing points (the search is then `limited`, and says so: when it
finds nothing, and when it finds a path only after a size it searched in part). Every
input at its farthest step falling short is no proof: the search runs all the same. No
errors are raised.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping, Sequence

import attrs
import numpy as np

from indikator.probe import Probe
from indikator.steps import Step

__all__ = ["Route", "cheapest"]

#: Rows evaluated per batch; points per bisection round and rounds when trimming a step.
_BATCH = 4096
_SPLIT = 15
_ROUNDS = 6
_MOST_ROUNDS = 16
#: At most this many combinations reaching the tier are trimmed and compared (the least
#: changes before trimming first); `Route.compared` says when there were more.
_TRIMS = 256
_NUMERIC = ("number", "percent", "count")


@attrs.frozen(kw_only=True)
class Route:
    """The answer of `cheapest`; `outcome` is found, unreachable, too_many or limited.

    `targets` turns unreachable and too_many into joint when an indicator below its
    maximum rises with no single input: joint changes were not searched.
    """

    outcome: str
    steps: tuple[Step, ...] = ()
    score: float | None = None  # the classified score after every step, re-evaluated
    alternatives: int = 0  # other combinations of the same size that also reach the tier
    best: float | None = None  # the score with every input at its farthest step
    blocked: tuple[str, ...] = ()  # failing gates ("tier.gate.L.i") no step can pass
    compared: int = 0  # when not every reaching combination was trimmed: how many were
    joint: tuple[str, ...] = ()  # what reads several inputs, when outcome is joint
    limited: bool = False  # found, but the search was cut on the way (by summed gains)


def cheapest(
    probe: Probe,
    ladders: Mapping[str, Sequence[Step]],
    target: int,
    need: float,
    *,
    max_size: int = 6,
    limit: int = 20000,
    failing: Sequence[str] = (),
    places: Mapping[str, int] | None = None,
) -> Route:
    """The fewest steps that reach tier code `target`; `need` is the score missing.

    `failing` names the gates ("tier.gate.L.i") that fail now, to say why none reaches.
    Each number, percent or count step of the combinations that reach is trimmed to the
    smallest change (with `places` decimals, the data's) that still reaches the tier with
    the other steps (a linear indicator's step is its full points, but the tier may need
    less), and the least change is chosen among the trimmed combinations.
    """
    inputs = sorted(ladders, key=lambda name: -max(s.gain for s in ladders[name]))
    passable = {g for steps in ladders.values() for s in steps for g in s.gates}
    blocked = tuple(g for g in failing if g not in passable)
    farthest = [ladders[name][-1] for name in inputs]
    best = _evaluate(probe, [farthest])
    best_score = best[0][0] if best[0] else None
    # Every input at its farthest step is no upper bound when a nearer step does more (a
    # farther band of one indicator costs points in another, or passes no requirement a
    # nearer one does, and no single input meeting a requirement is no proof two cannot):
    # short of the tier there, the combinations are still searched.
    short = not best[0] or best[1][0] < target
    if not inputs or not best[0]:
        return Route(outcome="unreachable", best=best_score, blocked=blocked)
    limited = False
    for size in range(1, min(max_size, len(inputs)) + 1):
        for combos, capped in _candidates(ladders, inputs, size, need, limit):
            limited |= capped
            hits = [
                (combo, score)
                for batch in _batches(combos)
                for combo, (score, code) in zip(
                    batch, zip(*_evaluate(probe, batch), strict=True), strict=True
                )
                if code >= target
            ]
            if hits:
                # A step of full points may be cut back (a linear indicator's): the least
                # change is known after trimming, so the hits are compared trimmed.
                key = lambda h: (round(sum(s.effort for s in h[0]), 9), -h[1])  # noqa: E731
                hits.sort(key=key)
                trimmed = _trim(probe, [combo for combo, _ in hits[:_TRIMS]], target,
                                places or {})  # fmt: skip
                scores = _evaluate(probe, trimmed)[0]
                combo, score = min(zip(trimmed, scores, strict=True), key=key)
                combo = tuple(_moved(probe, s) for s in combo)
                compared = _TRIMS if len(hits) > _TRIMS else 0
                return Route(outcome="found", steps=combo, score=round(score, 9) + 0.0,
                             alternatives=len(hits) - 1, best=best_score,
                             compared=compared, limited=limited)  # fmt: skip
    outcome = "limited" if limited else "unreachable" if short else "too_many"
    return Route(outcome=outcome, best=best_score, blocked=blocked)


def _trim(
    probe: Probe, combos: Sequence[Sequence[Step]], target: int, places: Mapping[str, int]
) -> list[tuple[Step, ...]]:
    """Each numeric step of each combination cut back to what `target` needs.

    The nearest value that still reaches the tier with the other steps, all combinations
    in one evaluation per round. A cut step keeps its gain and carries its new target,
    change and effort (`_moved` re-evaluates its gain alone).
    """
    steps = [list(combo) for combo in combos]
    for k in range(max((len(c) for c in steps), default=0)):
        jobs = [i for i, c in enumerate(steps) if k < len(c) and c[k].kind in _NUMERIC
                and c[k].units > 0]  # fmt: skip
        quantum = {i: 10.0 ** -_places(steps[i][k], places) for i in jobs}
        # A step one unit of the data short of its target that misses the tier cannot be
        # cut (a band's edge): only the others are bisected.
        near = {i: steps[i][k].target - math.copysign(quantum[i], steps[i][k].target -
                                                      steps[i][k].start) for i in jobs}  # fmt: skip
        near = {i: v for i, v in near.items()
                if (v - steps[i][k].start) * (steps[i][k].target - v) > 0}  # fmt: skip
        codes = _codes(
            probe, [[*_others(steps[i], k), _at(steps[i][k], v)] for i, v in near.items()]
        )
        jobs = [i for i, code in zip(near, codes, strict=True) if code >= target]
        pairs = {i: (steps[i][k].start, steps[i][k].target) for i in jobs}  # a misses, b hits
        for round_ in range(_MOST_ROUNDS):
            # More rounds only for the pairs still wider than the data's last decimal.
            active = [i for i in jobs if round_ < _ROUNDS
                      or abs(pairs[i][1] - pairs[i][0]) > quantum[i] / 100]  # fmt: skip
            if not active:
                break
            grids = {i: np.linspace(*pairs[i], _SPLIT + 2)[1:-1] for i in active}
            codes = _codes(probe, [[*_others(steps[i], k), _at(steps[i][k], float(v))]
                                   for i in active for v in grids[i]])  # fmt: skip
            for n, i in enumerate(active):
                hit = [j for j, code in enumerate(codes[n * _SPLIT : (n + 1) * _SPLIT])
                       if code >= target]  # fmt: skip
                a, b = pairs[i]
                if hit:
                    grid = grids[i]
                    pairs[i] = (a if hit[0] == 0 else float(grid[hit[0] - 1]), float(grid[hit[0]]))
                else:
                    pairs[i] = (float(grids[i][-1]), b)
        tried: dict[int, float] = {}
        for i in jobs:
            step, (a, _) = steps[i][k], pairs[i]
            sign = 1.0 if step.target > step.start else -1.0
            q = quantum[i]
            first = math.ceil(a / q - 1e-9) if sign > 0 else math.floor(a / q + 1e-9)
            value = round(first * q, 9)
            if (value - step.target) * sign < 0 and (value - a) * sign > 0:
                tried[i] = value
        codes = _codes(probe, [[*_others(steps[i], k), _at(steps[i][k], v)]
                               for i, v in tried.items()])  # fmt: skip
        for (i, value), code in zip(tried.items(), codes, strict=True):
            if code >= target:
                step = steps[i][k]
                units = abs(value - step.start)
                steps[i][k] = attrs.evolve(step, target=value, units=units,
                                           effort=step.effort * units / step.units)  # fmt: skip
    return [tuple(c) for c in steps]


def _places(step: Step, places: Mapping[str, int]) -> int:
    """The data's decimals only: finer would read as a fake precision."""
    return 0 if step.kind == "count" else places.get(step.input, 0)


def _others(combo: Sequence[Step], k: int) -> list[Step]:
    return [s for j, s in enumerate(combo) if j != k]


def _codes(probe: Probe, combos: Sequence[Sequence[Step]]) -> list[int]:
    """Tier codes of each combination, evaluated in batches."""
    return [code for batch in _batches(combos) for code in _evaluate(probe, batch)[1]]


def _at(step: Step | None, value: float, name: str = "") -> Step:
    return Step(input=step.input if step else name, kind="", current=math.nan, start=math.nan,
                target=value, units=0.0, gain=0.0, indicators=(), gates=(), effort=0.0)  # fmt: skip


def _moved(probe: Probe, step: Step) -> Step:
    """A step as `_trim` left it, its gain re-evaluated alone if it was cut back."""
    if step.kind not in _NUMERIC or step.units <= 0:
        return step
    base, alone = _evaluate(probe, [[], [step]])[0]
    return attrs.evolve(step, gain=round(alone - base, 9) + 0.0)


def _evaluate(probe: Probe, combos: Sequence[Sequence[Step]]) -> tuple[list[float], list[int]]:
    """Score and tier code of the region with each combination applied."""
    env = probe.run([{s.input: s.target for s in combo} for combo in combos])
    c = probe.plan.classification
    if not env or c is None:
        return [], []
    scores = np.asarray(env[c.subject], dtype=np.float64)
    codes = np.asarray(env["tier"], dtype=np.float64)
    return [float(x) for x in scores], [int(x) if math.isfinite(x) else -1 for x in codes]


def _batches(combos: Sequence[Sequence[Step]]) -> Iterator[Sequence[Sequence[Step]]]:
    for start in range(0, len(combos), _BATCH):
        yield combos[start : start + _BATCH]


def _candidates(
    ladders: Mapping[str, Sequence[Step]], inputs: Sequence[str], size: int, need: float,
    limit: int,
) -> Iterator[tuple[list[tuple[Step, ...]], bool]]:  # fmt: skip
    """Lists of combinations of `size` inputs, one step each, and whether a list was cut.

    All of them at once if there are at most `limit`. Else at most `limit` whose summed
    gains reach `need`, then at most `limit` that come within a margin of it (the margin
    lets non-additive effects through: renormalised means, rounding; the evaluator, not
    this sum, decides). A list chosen by summed gains is always cut: two steps may reach
    together what their gains alone do not.
    """
    count = 0
    for chosen in itertools.combinations(inputs, size):
        count += math.prod(len(ladders[name]) for name in chosen)
        if count > limit:
            break
    else:
        yield (
            [
                combo
                for chosen in itertools.combinations(inputs, size)
                for combo in itertools.product(*(ladders[name] for name in chosen))
            ],
            False,
        )
        return
    for floor in (need, need - max(1.0, 0.2 * need)):
        found = _summing(ladders, inputs, size, floor, limit)
        yield found, True  # combinations left out by their summed gains: a limited search


def _summing(
    ladders: Mapping[str, Sequence[Step]], inputs: Sequence[str], size: int, floor: float,
    limit: int,
) -> list[tuple[Step, ...]]:  # fmt: skip
    """At most `limit` combinations whose summed gains reach `floor`, larger steps first."""
    best = [max(s.gain for s in ladders[name]) for name in inputs]
    found: list[tuple[Step, ...]] = []

    def walk(start: int, chosen: tuple[Step, ...], total: float) -> None:
        left = size - len(chosen)
        if left == 0:
            if total >= floor:
                found.append(chosen)
            return
        for i in range(start, len(inputs) - left + 1):
            if len(found) >= limit or total + sum(best[i : i + left]) < floor:
                return  # inputs are sorted by best gain: later ones cannot do better
            for step in reversed(ladders[inputs[i]]):
                walk(i + 1, (*chosen, step), total + step.gain)

    walk(0, (), 0.0)
    return found
