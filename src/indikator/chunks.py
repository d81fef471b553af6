"""Chunked evaluation: the row-wise part of a plan over slices of rows, on threads.

Input: a `Plan`, the validated columns and region ids (as `evaluate.run`), or the raw
table (`evaluate_table`: each chunk validates its own rows, so that the whole table's
validated inputs are never built unless kept), the rows per chunk and the number of
worker threads. Output: the env `evaluate.run` gives, bit for bit. Every step and the
tiers work out a region's values from its own row alone (`evaluate.run_rows`: element-wise
float operations, which give the same bits on a slice), so each chunk runs on views of the
columns and copies what is kept into full-size arrays, letting go of its intermediates at
once: an evaluation holds a chunk's worth of them, not a table's. The ranks compare
regions with each other: they run after, on the whole arrays.

numpy releases the GIL inside its loops, so chunks on threads use several cores. A chunk
that raises `DataError` (a division by zero, a value outside every band, an overflow)
makes the table evaluate again in one piece, which raises that error as an unchunked run
does: the same problems, regions and counts, in the same order. So does a chunk whose
rows fail validation: the whole table is validated, as `data.validate` would, for the
same `DataError`. What validation decides from a whole column is done once on the whole
table (`data.prepare`: names, region ids and their repeats) or from every chunk's notes
(`data.mixed_percents`). The plan's numbers must be one value each (not a drawn plan's
one value per row). No errors of its own.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

import attrs
import numpy as np
import numpy.typing as npt

from indikator import data, evaluate, liveness
from indikator import plan as p
from indikator.errors import DataError

if TYPE_CHECKING:
    from indikator.data import Regions

__all__ = ["CHUNK_ROWS", "Evaluated", "evaluate_table", "run"]

Arrays = Mapping[str, npt.NDArray[np.generic]]
Env = evaluate.Env

#: Rows per chunk: a chunk's intermediates (a few dozen arrays) stay within the caches
#: and a few MB, and a chunk's Python walk over the plan is small beside its numpy work
#: (see docs/performance.md, "Issue 15, chunks and threads").
CHUNK_ROWS = 1 << 16


def run(
    plan: p.Plan,
    columns: Arrays,
    regions: Regions,
    *,
    keep: str = "outputs",
    rows: int | None = None,
    workers: int = 1,
) -> Env:
    """`evaluate.run` in chunks of `rows` rows (`CHUNK_ROWS`), on `workers` threads.

    The same arrays, bit for bit, whatever `rows` and `workers`.
    """
    rows = _checked(rows, workers)
    schedule = liveness.schedule_for(plan, keep)
    size = len(regions)
    if size <= rows:
        env = evaluate.run_rows(plan, columns, regions, schedule)
        return evaluate.run_ranks(plan, env, columns, schedule)
    try:
        env = _chunked(
            plan,
            lambda start, stop: {name: values[start:stop] for name, values in columns.items()},
            lambda sliced, start, stop: (dict(sliced), regions.rows(start, stop)),
            schedule,
            whole=columns,
            skipped=columns.keys,
            spans=_spans(size, rows),
            workers=workers,
        )
    except DataError:
        # The whole table in one piece names every region concerned, as without chunks.
        return evaluate.run(plan, columns, regions, keep=keep)
    return evaluate.run_ranks(plan, {**columns, **env}, columns, schedule)


@attrs.frozen(kw_only=True)
class Evaluated:
    """An evaluation of a raw table: the env, and the names of its validated inputs.

    `env` holds every input kept (all but under `keep="scores"`, where only those the
    ranks read) at full size, and the outputs as `evaluate.run` keeps them.
    """

    env: Env
    inputs: tuple[str, ...]
    regions: Regions


def evaluate_table(
    plan: p.Plan,
    raw: Arrays,
    *,
    extra: str = "error",
    keep: str = "outputs",
    rows: int | None = None,
    workers: int = 1,
) -> Evaluated:
    """`data.validate` then `run`, each chunk validating its own rows (on the threads).

    The same arrays and the same first `DataError` as validating the whole table first.
    """
    rows = _checked(rows, workers)
    prepared = data.prepare(plan, raw, extra=extra)
    if not prepared.problems and prepared.size > rows:
        notes: set[tuple[str, str]] = set()
        try:
            evaluated = _validated_in_chunks(
                plan, prepared, notes, keep=keep, rows=rows, workers=workers
            )
        except DataError:
            pass  # the whole table, validated then evaluated, raises the same error
        else:
            if not data.mixed_percents(notes):
                return evaluated
    columns = prepared.validate()
    env = run(plan, columns.arrays, columns.regions, keep=keep, rows=rows, workers=workers)
    return Evaluated(env=env, inputs=tuple(columns.arrays), regions=columns.regions)


def _validated_in_chunks(
    plan: p.Plan,
    prepared: data.Prepared,
    notes: set[tuple[str, str]],
    *,
    keep: str,
    rows: int,
    workers: int,
) -> Evaluated:
    """Every chunk validated and evaluated, then the ranks on the kept arrays."""
    schedule = liveness.schedule_for(plan, keep)
    raw, regions = prepared.raw, prepared.regions
    every: list[str] = []  # every validated input's name, as the first chunk gives them

    def validated(sliced: Arrays, start: int, stop: int) -> tuple[Arrays, Regions]:
        columns = prepared.rows(sliced, start, notes)
        if not every:
            every.extend(columns)
        return columns, regions.rows(start, stop)

    def skipped() -> AbstractSet[str]:
        """What no full-size array keeps: the region ids and names (read whole already).

        Under `keep="scores"` also the inputs that neither the scores nor the ranks read.
        """
        if keep != "scores":
            return prepared.texts.keys()
        kept = liveness.scores_kept(plan) | _ranked(plan)
        return {*prepared.texts, *(name for name in every if name not in kept)}

    env = _chunked(
        plan,
        functools.partial(data.rows_of, raw),
        validated,
        schedule,
        whole=raw,
        skipped=skipped,
        spans=_spans(prepared.size, rows),
        workers=workers,
    )
    # The ids and names read once for the whole table; the env in a whole run's order
    # (the inputs, then the steps).
    texts = prepared.texts
    names = [name for name in every if name in texts or name in env]
    inputs = {name: texts[name] if name in texts else env[name] for name in names}
    env = {**inputs, **env}
    env = evaluate.run_ranks(plan, env, inputs, schedule)
    return Evaluated(env=env, inputs=tuple(every), regions=regions)


def _checked(rows: int | None, workers: int) -> int:
    """The rows per chunk (`CHUNK_ROWS` unless given); both whole numbers, at least 1.

    Checked before the table: a call's arguments are wrong whatever the data.
    """
    rows = CHUNK_ROWS if rows is None else rows
    given: tuple[tuple[str, object], ...] = (("chunk_rows", rows), ("workers", workers))
    for name, value in given:  # `object`: the annotations do not stop a caller
        if not isinstance(value, int | np.integer) or isinstance(value, bool):
            msg = f"{name} must be a whole number, not {value!r}"
            raise TypeError(msg)
        if value < 1:
            msg = f"{name} must be at least 1, not {value}"
            raise ValueError(msg)
    return int(rows)


def _spans(size: int, rows: int) -> list[tuple[int, int]]:
    return [(start, min(start + rows, size)) for start in range(0, size, rows)]


def _ranked(plan: p.Plan) -> set[str]:
    """The names the ranks read: their keys, and what they rank within."""
    ranked = {name for rank in plan.ranks for name, _ in rank.keys}
    return ranked | {rank.within for rank in plan.ranks if rank.within is not None}


def _chunked(
    plan: p.Plan,
    slice_rows: Callable[[int, int], Arrays],
    columns_of: Callable[[Arrays, int, int], tuple[Arrays, Regions]],
    schedule: liveness.Schedule | None,
    *,
    whole: Arrays,
    skipped: Callable[[], AbstractSet[str]],
    spans: Sequence[tuple[int, int]],
    workers: int,
) -> Env:
    """The steps and tiers of every chunk, their kept arrays in full-size outputs.

    `slice_rows` gives a chunk's rows of `whole`, `columns_of` its validated columns (the
    rows themselves, or validated from them) and region ids. The names `skipped()` gives
    once the first chunk ran are not kept.
    """
    end = _rows_end(plan, schedule)

    def chunk(span: tuple[int, int]) -> tuple[Env, Arrays]:
        start, stop = span
        sliced = slice_rows(start, stop)
        columns, chunk_regions = columns_of(sliced, start, stop)
        env = evaluate.run_rows(plan, columns, chunk_regions, schedule)
        liveness.release(env, end, columns)
        return env, sliced

    # The first chunk alone: it gives the names and types of the outputs, and it asks
    # the plan's questions (the per-plan memos) before any thread does.
    first, sliced = chunk(spans[0])
    outputs = _Outputs(first, sliced, whole, skipped(), spans[-1][1])
    outputs.write(spans[0], first, sliced)
    del first, sliced

    def chunk_into_outputs(span: tuple[int, int]) -> None:
        outputs.write(span, *chunk(span))  # the chunk's arrays are let go on return

    if workers == 1:
        for span in spans[1:]:
            chunk_into_outputs(span)
    else:
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="indikator")
        try:
            futures: list[Future[None]] = [pool.submit(chunk_into_outputs, s) for s in spans[1:]]
            for future in futures:
                future.result()
        finally:
            pool.shutdown(cancel_futures=True)
    return outputs.arrays


def _rows_end(plan: p.Plan, schedule: liveness.Schedule | None) -> liveness.Moment:
    """What a chunk lets go of after its tiers: what the end releases, unless a rank reads it.

    (The tiers' requirements may read every indicator at the end: under `keep="scores"`
    they are a chunk's, never a full-size array.)
    """
    if schedule is None:
        return liveness.Moment()
    ranked = _ranked(plan)
    return liveness.Moment(tuple(name for name in schedule[-1].release if name not in ranked))


class _Outputs:
    """Full-size arrays of every name a chunk's env holds but those skipped.

    A chunk writes its rows into them; threads write disjoint rows. A met flag is kept as
    bools while every chunk's flags are 1.0 or +0.0, and made float64 (1.0 and +0.0 again)
    at the first chunk with another value, as one run over the whole table would keep it.
    A name whose array is a column of `whole` in the chunk (an input used as it is given,
    or `met when x`) is that column, until a chunk gives other values: then a copy of it,
    as that chunk's rows are the only ones that differ.
    """

    def __init__(
        self, first: Env, sliced: Arrays, whole: Arrays, skip: AbstractSet[str], size: int
    ) -> None:
        self.arrays: dict[str, npt.NDArray[np.generic]] = {}
        self.inputs: dict[str, str] = {}  # name → the column of `whole` it is, so far
        self.lock = threading.Lock()
        sources = {id(values): name for name, values in sliced.items()}
        for name, values in first.items():
            if name in skip:
                continue
            source = sources.get(id(values))
            if source is not None:
                self.inputs[name] = source
                self.arrays[name] = whole[source]
            else:
                self.arrays[name] = np.empty(size, dtype=values.dtype)

    def write(self, span: tuple[int, int], env: Env, sliced: Arrays) -> None:
        """A chunk's rows: `env` its arrays, `sliced` its rows of `whole`."""
        start, stop = span
        for name in list(self.arrays):
            values = env[name]
            source = self.inputs.get(name)  # read before the array: see `own_copy`
            if source is not None and values is sliced[source]:
                continue
            target = self.arrays[name] if source is None else self.own_copy(name)
            if target.dtype != np.bool_:  # never becomes bools again: no lock needed
                target[start:stop] = values  # a bool flag into float64: 1.0 and +0.0
                continue
            flags = liveness.compact(values, at_least=0)
            with self.lock:  # another chunk may be making the flags float64
                target = self.arrays[name]
                if target.dtype == np.bool_ and flags.dtype != np.bool_:
                    target = self.arrays[name] = target.astype(np.float64)  # a missing flag
                target[start:stop] = flags

    def own_copy(self, name: str) -> npt.NDArray[np.generic]:
        """The array of `name`, no longer the column's (copied once, by one thread).

        The copy is stored before the name leaves `inputs`: a thread that finds no input
        for it finds the copy, never writes into the input.
        """
        with self.lock:
            if name in self.inputs:
                self.arrays[name] = np.array(self.arrays[name])
                del self.inputs[name]
            return self.arrays[name]
