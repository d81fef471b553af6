"""Liveness: which arrays an evaluation keeps, and after which step it lets go of the rest.

Input: a `Plan`. Output: a `Schedule` (per step, then once at the end: the names to
release and the met flags to store as bools) and the names of every array `evaluate.run`
writes, in the order it writes them. Both depend on the plan alone, so each is worked out
once per plan. No errors.

`evaluate_many` keeps by default what its outputs read (`kept`): the inputs, every
indicator and its met flag, the groups, the score the tiers classify, the tier and the
ranks. The rest (`let` values, bands' subjects, `tier.raw`, the gates) is
released once no later step reads it; `results.Results` works it out again, once, when
something asks for it. `keep="scores"` keeps only the groups, the classified score, the
tier and the ranks (`scores_kept`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping

import attrs
import numpy as np
import numpy.typing as npt

from indikator import plan as p

__all__ = [
    "COMPACT_FROM",
    "KEEP_MODES",
    "Moment",
    "Schedule",
    "compact",
    "kept",
    "release",
    "schedule_for",
    "schedule_of",
    "scores_kept",
    "written",
]

#: The values of `evaluate_many(keep=...)`: every array, what the outputs read, the scores.
KEEP_MODES = ("outputs", "scores", "all")


@attrs.frozen
class Moment:
    """What to do after a step: names to release, met flags to store as bools."""

    release: tuple[str, ...] = ()
    compact: tuple[str, ...] = ()


#: One `Moment` per step, then one for the end (after the tiers and ranks).
Schedule = tuple[Moment, ...]


_ONE_BITS = np.float64(1.0).view(np.uint64)


@p.per_plan
def schedule_of(plan: p.Plan) -> Schedule:
    """The plan's `Schedule` for `keep="outputs"`, worked out on its first evaluation."""
    return _schedule(plan, kept(plan))


@p.per_plan
def _scores_schedule_of(plan: p.Plan) -> Schedule:
    return _schedule(plan, scores_kept(plan))


def schedule_for(plan: p.Plan, keep: str) -> Schedule | None:
    """The `Schedule` of a keep mode (`KEEP_MODES`); None for "all", which releases nothing."""
    match keep:
        case "all":
            return None
        case "outputs":
            return schedule_of(plan)
        case "scores":
            return _scores_schedule_of(plan)
    msg = f"keep must be one of {', '.join(map(repr, KEEP_MODES))}, not {keep!r}"
    raise ValueError(msg)


@p.per_plan
def written(plan: p.Plan) -> tuple[str, ...]:
    """Every name `evaluate.run` writes (besides the inputs), in the order it writes them."""
    return tuple(name for _, name in _writes(plan))


def kept(plan: p.Plan) -> frozenset[str]:
    """The names `keep="outputs"` keeps besides the inputs: what the outputs read.

    `Results.total`, `tiers()` and the ranks read the classified score (without tiers,
    the last step), `tier` and the ranks; `columns()` every indicator, group and met flag.
    """
    names = {s.name for s in plan.steps if not isinstance(s, p.LetStep)}
    names |= {f"{s.name}.met" for s in plan.steps if isinstance(s, p.IndicatorStep)}
    return frozenset(names | _scores(plan))


def scores_kept(plan: p.Plan) -> frozenset[str]:
    """The names `keep="scores"` keeps: the groups, the classified score, tier and ranks.

    What `Results.total`, `tiers()`, the ranks and the group columns read; the indicators,
    met flags and inputs are worked out again from the table when first asked for.
    """
    groups = {s.name for s in plan.steps if isinstance(s, p.GroupStep)}
    return frozenset(groups | _scores(plan))


def _scores(plan: p.Plan) -> set[str]:
    """The ranks, and the classified score and tier (without tiers, the last step)."""
    names = {r.name for r in plan.ranks}
    if plan.classification is not None:
        names |= {plan.classification.subject, "tier"}
    elif plan.steps:
        names.add(plan.steps[-1].name)
    return names


def release(
    env: MutableMapping[str, npt.NDArray[np.generic]],
    moment: Moment,
    columns: Mapping[str, npt.NDArray[np.generic]],
) -> None:
    """Let go of `moment`'s arrays and store its met flags compactly (never an input)."""
    for name in moment.release:
        if name not in columns:
            env.pop(name, None)
    for name in moment.compact:
        values = env.get(name)
        if values is not None and name not in columns:
            env[name] = compact(values)


#: Fewer rows than this: the flags stay float64, the passes that compact them cost more
#: (a few microseconds each) than the 7 bytes a row they save.
COMPACT_FROM = 1024


def compact(
    values: npt.NDArray[np.generic], at_least: int = COMPACT_FROM
) -> npt.NDArray[np.generic]:
    """Flags that are all 1.0 or +0.0 (bit for bit) as bools; anything else as it is.

    `values.astype(np.float64)` gives the same bits back. Fewer than `at_least` values
    stay as they are.
    """
    if values.dtype != np.float64 or values.ndim != 1 or len(values) < at_least:
        return values
    bits = values.view(np.uint64)
    flags: npt.NDArray[np.bool_] = bits == _ONE_BITS
    if np.count_nonzero(flags) + np.count_nonzero(bits == 0) != len(values):
        return values  # a missing flag (NaN) or another number: kept exactly as it is
    return flags


def _schedule(plan: p.Plan, keep: frozenset[str]) -> Schedule:
    """Each written name not in `keep`, released after its last reader; met flags compacted.

    A met flag is compacted after its last reader that needs it as a float: `all_met`
    reads its flags as truths, which bools are as well.
    """
    # `met when x`: the flag is x's own array, which a bool copy would only add to.
    aliases = {
        f"{s.name}.met"
        for s in plan.steps
        if isinstance(s, p.IndicatorStep) and isinstance(s.met, p.Load)
    }
    last = {name: position for position, name in _writes(plan)}
    as_float = dict(last)
    for position, name, truth in _reads(plan):
        if name in last:
            last[name] = max(last[name], position)
            if not truth:
                as_float[name] = max(as_float[name], position)
    releases: list[list[str]] = [[] for _ in range(len(plan.steps) + 1)]
    compacts: list[list[str]] = [[] for _ in range(len(plan.steps) + 1)]
    for name, position in last.items():
        # A flag read last as a truth is held as bools from its last reader as a number,
        # kept or not (`keep="scores"`: the tiers' requirements read them at the end).
        flag = name.endswith(".met") and name not in aliases
        if flag and (name in keep or as_float[name] < position):
            compacts[as_float[name]].append(name)
        if name not in keep:
            releases[position].append(name)
    return tuple(
        Moment(tuple(names), tuple(flags)) for names, flags in zip(releases, compacts, strict=True)
    )


def _writes(plan: p.Plan) -> Iterator[tuple[int, str]]:
    """(position, name) of each array `evaluate.run` writes, in its order."""
    end = len(plan.steps)
    for position, step in enumerate(plan.steps):
        if isinstance(step, p.IndicatorStep):
            if isinstance(step.scoring, p.BandsIR):
                yield position, f"{step.name}.subject"
            yield position, step.name
            yield position, f"{step.name}.met"
        else:
            yield position, step.name
    classification = plan.classification
    if classification is not None:
        for level, gates in enumerate(classification.gates, start=1):
            for index in range(len(gates)):
                yield end, f"tier.gate.{level}.{index}"
        yield end, "tier.raw"
        yield end, "tier"
    for rank in plan.ranks:
        yield end, rank.name


def _reads(plan: p.Plan) -> Iterator[tuple[int, str, bool]]:
    """(position, name, as a truth only) of each array a step (or the end) reads."""
    for position, step in enumerate(plan.steps):
        match step:
            case p.IndicatorStep():
                reads = _step_reads(step)
            case p.LetStep():
                reads = _loads(step.expr)
            case p.GroupStep():
                reads = ((name, False) for name in step.members)
        yield from ((position, name, truth) for name, truth in reads)
    yield from ((len(plan.steps), name, truth) for name, truth in _end_reads(plan))


def _end_reads(plan: p.Plan) -> Iterator[tuple[str, bool]]:
    """What the tiers (their score and gates) and the ranks read."""
    classification = plan.classification
    if classification is not None:
        yield classification.subject, False
        for gates in classification.gates:
            for gate in gates:
                yield from _loads(gate.condition)
    for rank in plan.ranks:
        yield from ((name, False) for name, _ in rank.keys)
        if rank.within is not None:
            yield rank.within, False


def _step_reads(step: p.IndicatorStep) -> Iterator[tuple[str, bool]]:
    scoring = step.scoring
    yield from _loads(scoring.expr if isinstance(scoring, p.FormulaIR) else scoring.subject)
    if step.met is not None:
        yield from _loads(step.met)
    for name in step.exclude_inputs:
        yield from ((name, False), (f"{name}.prev", False))


def _loads(ir: p.IR) -> Iterator[tuple[str, bool]]:
    """The names an expression reads, each with whether it reads it as a truth only.

    `all_met` takes (points, met) pairs and compares each met flag with 1.0, which gives
    the same for a bool as for 1.0 and 0.0.
    """
    match ir:
        case p.Load(name=name):
            yield name, False
        case p.Apply(op="all_met", args=args):
            for index, arg in enumerate(args):
                truth = index % 2 == 1 and isinstance(arg, p.Load)
                yield from ((name, truth) for name, _ in _loads(arg))
        case p.Apply(args=args):
            for arg in args:
                yield from _loads(arg)
        case p.Const():
            return
