"""Chunked evaluation: the row-wise part of a plan over slices of rows, on threads.

Input: a `Plan`, the validated columns and region ids (as `evaluate.run`), the rows per
chunk and the number of worker threads. Output: the env `evaluate.run` gives, bit for
bit. Every step and the tiers work out a region's values from its own row alone
(`evaluate.run_rows`: element-wise float operations, which give the same bits on a slice),
so each chunk runs on views of the columns and copies what is kept into full-size arrays,
letting go of its intermediates at once: an evaluation holds a chunk's worth of them, not
a table's. The ranks compare regions with each other: they run after, on the whole arrays.

numpy releases the GIL inside its loops, so chunks on threads use several cores. A chunk
that raises `DataError` (a division by zero, a value outside every band, an overflow)
makes the table evaluate again in one piece, which raises that error as an unchunked run
does: the same problems, regions and counts, in the same order. The plan's numbers must be
one value each (not a drawn plan's one value per row). No errors of its own.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from indikator import evaluate, liveness
from indikator import plan as p
from indikator.errors import DataError

if TYPE_CHECKING:
    from indikator.data import Regions

__all__ = ["CHUNK_ROWS", "run"]

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
    rows = CHUNK_ROWS if rows is None else rows
    if rows < 1 or workers < 1:
        msg = f"rows and workers must be at least 1, not {rows} and {workers}"
        raise ValueError(msg)
    schedule = liveness.schedule_for(plan, keep)
    size = len(regions)
    if size <= rows:
        env = evaluate.run_rows(plan, columns, regions, schedule)
        return evaluate.run_ranks(plan, env, columns, schedule)
    spans = [(start, min(start + rows, size)) for start in range(0, size, rows)]
    try:
        env = _chunked(plan, columns, regions, schedule, spans=spans, workers=workers)
    except DataError:
        # The whole table in one piece names every region concerned, as without chunks.
        return evaluate.run(plan, columns, regions, keep=keep)
    return evaluate.run_ranks(plan, env, columns, schedule)


def _chunked(
    plan: p.Plan,
    columns: Arrays,
    regions: Regions,
    schedule: liveness.Schedule | None,
    *,
    spans: Sequence[tuple[int, int]],
    workers: int,
) -> Env:
    """The steps and tiers of every chunk, their kept arrays in full-size outputs."""
    end = _rows_end(plan, schedule)

    def chunk(span: tuple[int, int]) -> Env:
        start, stop = span
        sliced = {name: values[start:stop] for name, values in columns.items()}
        env = evaluate.run_rows(plan, sliced, regions.rows(start, stop), schedule)
        liveness.release(env, end, sliced)
        return env

    # The first chunk alone: it gives the names and types of the outputs, and it asks
    # the plan's questions (the per-plan memos) before any thread does.
    first = chunk(spans[0])
    outputs = _Outputs(first, columns, len(regions))
    outputs.write(spans[0], first)
    del first

    def chunk_into_outputs(span: tuple[int, int]) -> None:
        outputs.write(span, chunk(span))  # the chunk's arrays are let go on return

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
    return outputs.finish(columns)


def _rows_end(plan: p.Plan, schedule: liveness.Schedule | None) -> liveness.Moment:
    """What a chunk lets go of after its tiers: what the end releases, unless a rank reads it.

    (The tiers' requirements may read every indicator at the end: under `keep="scores"`
    they are a chunk's, never a full-size array.)
    """
    if schedule is None:
        return liveness.Moment()
    ranked = {name for rank in plan.ranks for name, _ in rank.keys}
    ranked |= {rank.within for rank in plan.ranks if rank.within is not None}
    return liveness.Moment(tuple(name for name in schedule[-1].release if name not in ranked))


class _Outputs:
    """Full-size arrays of every name a chunk's env holds besides the inputs.

    A chunk writes its rows into them; threads write disjoint rows. A met flag is kept as
    bools while every chunk's flags are 1.0 or +0.0, and made float64 (1.0 and +0.0 again)
    at the first chunk with another value, as one run over the whole table would keep it.
    A name whose array is an input's (`met when x`) is that input, until a chunk gives
    other values: then a copy of the input, as that chunk's rows are the only ones that
    differ.
    """

    def __init__(self, first: Env, columns: Arrays, size: int) -> None:
        self.arrays: dict[str, npt.NDArray[np.generic]] = {}
        self.inputs: dict[str, str] = {}  # name → the input whose array it is, so far
        self.lock = threading.Lock()
        sliced = {id(values): name for name, values in first.items() if name in columns}
        for name, values in first.items():
            if name in columns:
                continue
            source = sliced.get(id(values))
            if source is not None:
                self.inputs[name] = source
                self.arrays[name] = columns[source]
            else:
                self.arrays[name] = np.empty(size, dtype=values.dtype)

    def write(self, span: tuple[int, int], env: Env) -> None:
        start, stop = span
        for name in list(self.arrays):
            values = env[name]
            source = self.inputs.get(name)  # read before the array: see `own_copy`
            if source is not None and values is env[source]:
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
        """The array of `name`, no longer the input's (copied once, by one thread).

        The copy is stored before the name leaves `inputs`: a thread that finds no input
        for it finds the copy, never writes into the input.
        """
        with self.lock:
            if name in self.inputs:
                self.arrays[name] = np.array(self.arrays[name])
                del self.inputs[name]
            return self.arrays[name]

    def finish(self, columns: Arrays) -> Env:
        """The inputs and every output."""
        return {**columns, **self.arrays}
