"""Steps: the smallest change of each input that lifts an indicator to its next band.

Input: a `Probe` of one region, its plan and the declared direction of each input
(`better higher/lower`; both directions are tried when none is declared, for the inputs a
failing requirement reads, and for all with `both`). Output: for each input, a ladder of
`Step`s: each value at which an indicator reaches a higher band or level, a `met when`
threshold, a tier requirement (gate) becomes true or the region's tier rises, and where the
score peaks inside the way, nearest first. The values
are found with the real evaluator, never from the band table alone, so they hold through
`let`s, functions and rounding: a grid over the input's declared range (an open end
carried on as far as the region still changes) finds where a watched value improves,
bisection narrows the edge to the data's last decimal, and the value is snapped to the
decimals the data uses (a closed edge `[85, ...` gives 85, an open one `(85, ...` 85.01
with two decimals), then checked again. Options, yes/no and checklists try every value.
A step's `gain` is the change of the classified score, re-evaluated. No errors are raised.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal

import attrs
import numpy as np
import numpy.typing as npt

from indikator import plan as p
from indikator.numeric import PLACES, tolerance
from indikator.probe import Probe

__all__ = ["Step", "behind", "decimals", "ladders"]

Env = Mapping[str, npt.NDArray[np.generic]]

#: Grid points over an input's range, and points per bisection round (rounds: `_ROUNDS`).
_GRID = 256
_SPLIT = 15
_ROUNDS = 7
_MOST_ROUNDS = 16
#: An open end is tried up to 16**(this - 1) times as far as the plan's constants reach.
_STRETCH = 9
#: Above this many distinct levels along the grid an indicator counts as continuous: its
#: only rung is the value where it reaches its best (linear scoring has no next band).
_LEVELS = 16
#: Whole-number inputs spanning at most this many values are tried value by value.
_WHOLE = 4096
#: Float noise below this is no change.
_NOISE = 1e-9


@attrs.frozen(kw_only=True)
class _Search:
    """What every search of one region shares: its probe and the watched values now."""

    probe: Probe
    names: tuple[str, ...]
    old: Mapping[str, float]
    directions: Mapping[str, int]
    both: frozenset[str] = frozenset()  # inputs a failing gate reads: searched both ways
    score: float = math.nan  # the classified score now
    tier: float = -1.0  # the tier code now


@attrs.frozen(kw_only=True)
class Step:
    """One input changed to one value, and what that does to the region."""

    input: str
    kind: str
    current: float  # NaN: the cell is empty
    start: float  # where the change is measured from: the value, or the range's end if empty
    target: float
    units: float  # size of the change: input units, items, option levels; 1 for yes/no
    gain: float  # classified score after minus before (re-evaluated)
    indicators: tuple[str, ...]  # indicators whose points or met flag improve
    gates: tuple[str, ...]  # tier requirements that become true ("tier.gate.L.i")
    effort: float  # the change as a share of the input's span (range, options, items)

    @property
    def per_unit(self) -> float:
        """Points gained per unit of change."""
        return self.gain / self.units if self.units > 0 else 0.0


def decimals(values: npt.NDArray[np.generic], most: int = PLACES) -> int:
    """The decimals the data writes an input with (at most `most`, the places shown).

    Each value is read at 15 significant digits (float noise such as 0.1 + 0.2 is not a
    decimal of the data), so tiny values keep theirs: 0.000003 has 6.

    Examples:
        >>> decimals(np.array([81.18, 7.0, np.nan])), decimals(np.array([3.0, 12.0]))
        (2, 0)
        >>> decimals(np.array([0.1 + 0.2, 3e-06])), decimals(np.array([1e12 + 0.5]))
        (6, 1)
    """
    found = 0
    for value in np.asarray(values, dtype=np.float64):
        if not math.isfinite(value):
            continue
        exponent = Decimal(format(float(value), ".15g")).normalize().as_tuple().exponent
        found = max(found, min(most, -exponent if isinstance(exponent, int) else 0))
    return found


def watched(plan: p.Plan, env: Env) -> list[str]:
    """Columns whose improvement is a step: indicator points and met flags, tier gates."""
    names = []
    for step in plan.steps:
        if isinstance(step, p.IndicatorStep):
            names += [step.name, f"{step.name}.met"]
    return names + sorted(k for k in env if k.startswith("tier.gate."))


def _better(name: str, new: npt.NDArray[np.float64], old: float) -> npt.NDArray[np.bool_]:
    """Where `new` improves on `old`: more points, or a flag that became 1."""
    if name.endswith(".met") or name.startswith("tier.gate."):
        return np.asarray(new == 1.0) & (old != 1.0)
    base = 0.0 if math.isnan(old) else old
    return np.asarray(new > base + tolerance(base)) & ~np.isnan(new)


@attrs.frozen(kw_only=True)
class _Job:
    """One input searched in one direction, from `start` towards `end`."""

    name: str
    start: float
    end: float
    places: int
    count: bool
    open: bool = False  # `end` is no declared bound, only far enough for the plan's constants
    beyond: float | None = None  # an open job goes on to here (a second, coarser grid)


@attrs.frozen(kw_only=True)
class _Edge:
    """A watched column to lift to `level` along one input, between two grid values."""

    name: str
    column: str
    level: float
    below: float  # does not reach the level
    at: float  # reaches it
    places: int


def ladders(
    probe: Probe,
    directions: Mapping[str, int],
    places: Mapping[str, int],
    base: Env,
    *,
    both: bool = False,
) -> dict[str, list[Step]]:
    """Each changeable input's steps, nearest first; inputs without a step are left out.

    `directions` maps an input to +1 (better higher), -1 (better lower) or 0 (unknown);
    `places` to the decimals of its data; `base` is the region's evaluated row (size 1).
    The inputs a failing requirement reads are searched both ways, and with `both` every
    input is (a declared direction is then only where an empty cell starts).
    Every input is searched at once: one evaluation per phase (grid, each bisection
    round, snapping, measuring), not one per input.
    """
    plan = probe.plan
    names = watched(plan, base)
    old = {k: float(np.asarray(base[k], dtype=np.float64)[0]) for k in names}
    subject = plan.classification.subject if plan.classification else ""
    score = float(np.asarray(base[subject], dtype=np.float64)[0]) if subject else math.nan
    failing = [k for k in names if k.startswith("tier.gate.") and old[k] != 1.0]
    tier = float(np.asarray(base["tier"], dtype=np.float64)[0]) if subject else -1.0
    search = _Search(probe=probe, names=tuple(names), old=old, directions=directions, score=score,
                     tier=-1.0 if math.isnan(tier) else tier,
                     both=frozenset(s.name for s in plan.inputs) if both else
                     frozenset(behind(plan, _gate_loads(plan, failing))))  # fmt: skip
    specs = [s for s in plan.inputs if s.kind != "text" and s.name in probe.base]
    current = {s.name: float(np.asarray(probe.base[s.name], dtype=np.float64)[0]) for s in specs}
    values: dict[str, list[float]] = {}
    jobs: list[_Job] = []
    for spec in specs:
        if spec.kind in ("option", "yesno", "checklist"):
            values[spec.name] = _discrete(spec, current[spec.name])
        else:
            values[spec.name] = []
            jobs += _jobs(search, spec, current[spec.name], places.get(spec.name, 0))
    for name, found in _edges(search, _stretch(search, jobs)).items():
        values[name] += found
    starts = {
        s.name: current[s.name] if not math.isnan(current[s.name]) else _empty_start(s, search)
        for s in specs
    }
    orders = {name: _nearest(found, starts[name]) for name, found in values.items()}
    env = probe.run([{name: v} for name, order in orders.items() for v in order])
    out: dict[str, list[Step]] = {}
    offset = 0
    for spec in specs:
        order = orders[spec.name]
        rows = slice(offset, offset + len(order))
        offset += len(order)
        if not env or not order:
            continue
        part = {k: np.asarray(env[k][rows], dtype=np.float64) for k in [*names, subject] if k}
        steps = _measure(search, spec, (current[spec.name], starts[spec.name]), (order, part),
                         score)  # fmt: skip
        if steps:
            out[spec.name] = steps
    return out


def _nearest(values: Sequence[float], start: float) -> list[float]:
    """Distinct values, nearest to `start` first."""
    return sorted(set(values), key=lambda v: (abs(v - start), v))


def _discrete(spec: p.InputSpec, current: float) -> list[float]:
    """Every other value of an option, yes/no or checklist (a count of items)."""
    count = len(spec.choices) + 1 if spec.kind == "checklist" else len(spec.choices)
    top = 2 if spec.kind == "yesno" else count
    return [float(v) for v in range(top) if float(v) != current]


def _measure(
    search: _Search, spec: p.InputSpec, values: tuple[float, float],
    evaluated: tuple[Sequence[float], Mapping[str, npt.NDArray[np.float64]]], score: float,
) -> list[Step]:  # fmt: skip
    """Steps from the evaluated values (nearest first): those that improve something.

    `values` is (current, start); `evaluated` the values tried and their columns. A
    farther value is kept only if it gains more than every nearer one the same way or
    passes something new (a dominated rung is never the cheaper choice).
    """
    current, start = values
    order, env = evaluated
    names, old = search.names, search.old
    subject = search.probe.plan.classification.subject if search.probe.plan.classification else ""
    steps: list[Step] = []
    # Per way (up, down): a value on the other side of the start passes nothing on this one.
    best = {1.0: -math.inf, -1.0: -math.inf}
    seen: dict[float, set[str]] = {1.0: set(), -1.0: set()}
    for i, value in enumerate(order):
        better = [n for n in names if _better(n, env[n][i : i + 1], old[n])[0]]
        if not better:
            continue
        after = float(env[subject][i]) if subject else math.nan
        gain = (after - (0.0 if math.isnan(score) else score)) if not math.isnan(after) else 0.0
        way = 1.0 if value >= start else -1.0
        news = set(better) - seen[way]
        if gain <= best[way] + _NOISE and not news:
            continue
        best[way], seen[way] = max(best[way], gain), seen[way] | set(better)
        indicators = tuple(dict.fromkeys(n.removesuffix(".met") for n in better
                                         if not n.startswith("tier.gate.")))  # fmt: skip
        units = abs(value - start) if spec.kind != "yesno" else 1.0
        if math.isnan(current) and spec.kind in ("option", "checklist"):
            units = max(units, 1.0)  # filling an empty cell is a change, even with the first
        gates = tuple(n for n in better if n.startswith("tier.gate."))
        steps.append(Step(input=spec.name, kind=spec.kind, current=current, start=start,
                          target=value, units=units, gain=round(gain, 9) + 0.0,
                          indicators=indicators, effort=units / _span(spec, start, value),
                          gates=gates))  # fmt: skip
    return steps


def _empty_start(spec: p.InputSpec, search: _Search) -> float:
    """Where filling an empty cell starts: the bottom of the range, the top if lower is better."""
    low = spec.low if spec.low is not None and math.isfinite(spec.low) else 0.0
    high = spec.high if spec.high is not None and math.isfinite(spec.high) else low
    return high if search.directions.get(spec.name, 0) < 0 else low


def _range(spec: p.InputSpec) -> tuple[float, float]:
    """The declared range of an input (open ends infinite)."""
    low = spec.low if spec.low is not None else -math.inf
    return low, spec.high if spec.high is not None else math.inf


def _span(spec: p.InputSpec, start: float, value: float) -> float:
    """What a whole change of the input is: its declared range, its options or items."""
    if spec.kind in ("option", "checklist"):
        return float(max(len(spec.choices) - (spec.kind == "option"), 1))
    if spec.kind == "yesno":
        return 1.0
    if spec.low is not None and spec.high is not None and math.isfinite(spec.high - spec.low):
        return max(spec.high - spec.low, 1e-9)
    return max(abs(start), abs(value), 1.0)  # an open range: relative to the values


def _jobs(search: _Search, spec: p.InputSpec, current: float, places: int) -> list[_Job]:
    """The searches of a number, percent or count: one per direction worth trying."""
    # An open end: far enough to pass every constant of the plan and the current value.
    here = abs(current) if math.isfinite(current) else 0.0
    far = max([*_constants(search.probe.plan), here]) * 2 + 10
    low = spec.low if spec.low is not None and math.isfinite(spec.low) else -far
    high = spec.high if spec.high is not None and math.isfinite(spec.high) else far
    direction = search.directions.get(spec.name, 0)
    # An empty cell is filled from the bottom of its range (from the top if lower is better).
    filled = (direction or 1,) if not math.isfinite(current) else None
    # A requirement may ask for the other way than the declared one (`x <= 60` on a
    # `better higher` input): the inputs of a failing one are searched both ways.
    ways = (direction,) if direction and spec.name not in search.both else (1, -1)
    jobs = []
    for sign in filled or ways:
        start = current if math.isfinite(current) else (low if sign > 0 else high)
        end = high if sign > 0 else low
        if (end - start) * sign > 0:
            count = spec.kind == "count"
            bounded = (spec.high if sign > 0 else spec.low) is not None
            jobs.append(_Job(name=spec.name, start=start, end=end, places=0 if count else places,
                             count=count, open=not bounded))  # fmt: skip
    return jobs


def _stretch(search: _Search, jobs: Sequence[_Job]) -> list[_Job]:
    """The jobs, those towards an open end carried on as far as the region changes.

    The plan's constants size an open end, but a formula may need far more (`clamp(x /
    10⁹, 0, 30)` is full at 3·10¹⁰): each open job's end is tried 16, 256, ... times as far and the
    way on to where nothing watched, the score or the tier changes any more is searched
    too (`beyond`; the plan's span keeps its own, finer grid).
    """
    far = [(k, job.start + (job.end - job.start) * 16.0**m)
           for k, job in enumerate(jobs) if job.open for m in range(_STRETCH)]  # fmt: skip
    env = search.probe.run([{jobs[k].name: v} for k, v in far])
    if not env:
        return list(jobs)
    c = search.probe.plan.classification
    columns = [*search.names, *([c.subject, "tier"] if c is not None else [])]
    table = np.stack([np.asarray(env[n], dtype=np.float64) for n in columns], axis=1)
    out = list(jobs)
    for k in {k for k, _ in far}:
        rows = [i for i, (j, _) in enumerate(far) if j == k]
        seen = np.nan_to_num(table[rows], nan=-np.inf)
        # The first end past which the columns stay as they are.
        stay = next((m for m in range(len(rows)) if (seen[m:] == seen[m]).all()), len(rows) - 1)
        if stay > 0:  # the plan's span keeps its grid, the rest of the way one of its own
            out[k] = attrs.evolve(jobs[k], beyond=far[rows[stay]][1])
    return out


def _loads(ir: p.IR) -> list[str]:
    """The columns an expression reads (`attribution.loads_of`, which steps may not import)."""
    if isinstance(ir, p.Load):
        return [ir.name]
    if isinstance(ir, p.Apply):
        return [name for arg in ir.args for name in _loads(arg)]
    return []


def _gate_loads(plan: p.Plan, gates: Sequence[str]) -> list[str]:
    """What the gates named "tier.gate.L.i" read."""
    c = plan.classification
    if c is None:
        return []
    out: list[str] = []
    for key in gates:
        level, index = (int(part) for part in key.split(".")[2:4])
        out += _loads(c.gates[level - 1][index].condition)
    return out


def behind(plan: p.Plan, names: Sequence[str]) -> set[str]:
    """The inputs behind some columns (through lets, indicators and their met, groups)."""
    steps = {s.name: s for s in plan.steps}
    inputs = {s.name for s in plan.inputs}
    out: set[str] = set()
    todo, seen = list(names), set[str]()
    while todo:
        name = todo.pop().removesuffix(".met").removesuffix(".prev")
        if name in seen:
            continue
        seen.add(name)
        step = steps.get(name)
        if name in inputs:
            out.add(name)
        elif isinstance(step, p.LetStep):
            todo += _loads(step.expr)
        elif isinstance(step, p.IndicatorStep):
            todo += [*step.inputs, *(_loads(step.met) if step.met is not None else [])]
        elif isinstance(step, p.GroupStep):
            todo += list(step.members)
    return out


def _constants(plan: p.Plan) -> list[float]:
    """The finite cut points and bounds of the plan's scorings (to size open ranges)."""
    out = [0.0]
    for step in plan.steps:
        if isinstance(step, p.IndicatorStep):
            s = step.scoring
            if isinstance(s, p.BandsIR):
                out += [abs(c) for c in s.cuts if math.isfinite(c)]
            elif isinstance(s, p.LinearIR):
                out += [abs(s.start), abs(s.stop)]
    return out


def _grid(job: _Job) -> tuple[npt.NDArray[np.float64], bool]:
    """The values tried along a job, and whether they are every whole number of its span.

    Counts over a short span are all tried: the first one at a level is then exact, with
    no bisection.
    """
    start, end = job.start, job.end
    if job.count and abs(end - start) <= _WHOLE and float(start).is_integer() and not job.beyond:
        sign = 1.0 if end > start else -1.0
        return start + sign * np.arange(1, math.floor(abs(end - start)) + 1, dtype=np.float64), True
    grid = np.linspace(start, end, _GRID + 1)[1:]
    if job.beyond is not None:
        grid = np.concatenate([grid, np.linspace(end, job.beyond, _GRID + 1)[1:]])
    return grid, False


def _edges(search: _Search, jobs: Sequence[_Job]) -> dict[str, list[float]]:
    """Per input, where each watched value first improves, snapped to the data's decimals.

    For step functions each further level too; all inputs in one evaluation per phase.
    """
    grids = [_grid(job) for job in jobs]
    env = search.probe.run(
        [{job.name: float(v)} for job, (grid, _) in zip(jobs, grids, strict=True) for v in grid]
    )
    out: dict[str, list[float]] = {job.name: [] for job in jobs}
    if not env:
        return out
    pending: list[_Edge] = []
    offset = 0
    c = search.probe.plan.classification
    for job, (grid, whole) in zip(jobs, grids, strict=True):
        rows = slice(offset, offset + len(grid))
        offset += len(grid)
        if c is not None:
            out[job.name] += _peak(search, job, grid, np.asarray(env[c.subject][rows]))
        # The tier itself is watched too: with a continuous indicator, the value where
        # the tier rises lies inside its way, not at its full points.
        for column in [*search.names, *(["tier"] if c is not None else [])]:
            values = np.asarray(env[column][rows], dtype=np.float64)
            improved = _better(column, values, search.old.get(column, search.tier))
            if not improved.any():
                continue
            flag = column.endswith(".met") or column.startswith("tier.gate.")
            for i, level in _levels(values, improved, flag=flag):
                below = job.start if i == 0 else float(grid[i - 1])
                if whole:  # every whole number was tried: the first one at a level is exact
                    out[job.name].append(float(grid[i]))
                else:
                    pending.append(_Edge(name=job.name, column=column, level=level, below=below,
                                         at=float(grid[i]), places=job.places))  # fmt: skip
    for edge, value in _snap(search.probe, pending, _bisect(search.probe, pending)):
        out[edge.name].append(value)
    return out


def _peak(
    search: _Search, job: _Job, grid: npt.NDArray[np.float64], score: npt.NDArray[np.generic]
) -> list[float]:
    """The grid value giving the best classified score along a job, if better than now.

    A continuous indicator's only rung is its full points; when the input also costs
    points elsewhere (or a farther band gives less), the best score lies between.
    """
    values = np.asarray(score, dtype=np.float64)
    values = np.where(np.isnan(values), -np.inf, values)
    if not len(values):
        return []
    i = int(np.argmax(values))
    base = 0.0 if math.isnan(search.score) else search.score
    # Only a peak inside the way: at its end lies the full-points rung already.
    if values[i] <= max(base, values[-1]) + tolerance(base):
        return []
    return [round(float(grid[i]), job.places)]


def _levels(
    values: npt.NDArray[np.float64], improved: npt.NDArray[np.bool_], *, flag: bool
) -> list[tuple[int, float]]:
    """Grid indices where a new best level starts, with that level."""
    if flag:
        first = int(np.argmax(improved))
        return [(first, 1.0)]
    finite = np.where(np.isnan(values), -np.inf, values)
    running = np.maximum.accumulate(finite)
    rises = [
        i
        for i in range(len(values))
        if improved[i] and (i == 0 or running[i] > running[i - 1] + tolerance(running[i]))
    ]
    if len(rises) > _LEVELS:  # continuous: only the value where the best is reached
        top = running[-1]
        first = int(np.argmax(finite >= top - tolerance(top)))
        return [(first, float(top))]
    return [(i, float(finite[i])) for i in rises]


def _reached(column: str, values: npt.NDArray[np.float64], level: float) -> npt.NDArray[np.bool_]:
    if column.endswith(".met") or column.startswith("tier.gate."):
        return np.asarray(values == 1.0)
    return np.asarray(values >= level - tolerance(level))


def _bisect(probe: Probe, pending: Sequence[_Edge]) -> list[tuple[float, float]]:
    """Narrow each edge's (below, at) pair, every edge in one evaluation per round.

    `_ROUNDS` rounds, then more (up to `_MOST_ROUNDS`) for the pairs still wider than a
    hundredth of their data's last decimal: a wide range (a budget up to 10¹²) would
    otherwise leave the edge far from the value the data can write.
    """
    pairs = [(e.below, e.at) for e in pending]
    for round_ in range(_MOST_ROUNDS):
        active = [k for k, (e, (a, b)) in enumerate(zip(pending, pairs, strict=True))
                  if round_ < _ROUNDS or abs(b - a) > 10.0 ** -(e.places + 2)]  # fmt: skip
        if not active:
            break
        points = {k: np.linspace(*pairs[k], _SPLIT + 2)[1:-1] for k in active}
        env = probe.run([{pending[k].name: float(v)} for k in active for v in points[k]])
        if not env:
            break
        for n, k in enumerate(active):
            e, (a, b), row = pending[k], pairs[k], points[k]
            values = np.asarray(env[e.column], dtype=np.float64)[n * _SPLIT : (n + 1) * _SPLIT]
            hit = _reached(e.column, values, e.level)
            if hit.any():
                first = int(np.argmax(hit))
                pairs[k] = (a if first == 0 else float(row[first - 1]), float(row[first]))
            else:
                pairs[k] = (float(row[-1]), b)
    return pairs


def _snap(
    probe: Probe, pending: Sequence[_Edge], pairs: Sequence[tuple[float, float]]
) -> list[tuple[_Edge, float]]:
    """The value each edge asks for, with the data's decimals where they suffice."""
    specs = {s.name: s for s in probe.plan.inputs}
    options: list[list[float]] = []
    for e, (a, b) in zip(pending, pairs, strict=True):
        sign = 1.0 if e.at > e.below else -1.0
        low, high = _range(specs[e.name])
        row = []
        # The data's decimals first, then finer, never finer than the places shown.
        for d in range(e.places, min(e.places + 4, PLACES + 1)):
            q = 10.0**-d
            first = (math.ceil(a / q - 1e-9) if sign > 0 else math.floor(a / q + 1e-9)) * q
            row += [round(first, d), round(first + sign * q, d)]
        # Rounded up past the declared range is no value the data can hold.
        options.append([v for v in [*row, b] if (v - a) * sign > 0 and low <= v <= high])
    env = probe.run([{e.name: v} for e, row in zip(pending, options, strict=True) for v in row])
    out: list[tuple[_Edge, float]] = []
    offset = 0
    for e, row in zip(pending, options, strict=True):
        values = (
            np.asarray(env[e.column], dtype=np.float64)[offset : offset + len(row)]
            if env
            else np.array([])
        )
        offset += len(row)
        hit = [v for v, ok in zip(row, _reached(e.column, values, e.level), strict=False) if ok]
        if hit:
            out.append((e, hit[0]))
    return out
