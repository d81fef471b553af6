"""The arrays of an evaluation that kept only its outputs, the rest worked out on demand.

Input: the env of `evaluate.run(..., keep="outputs")`, with the plan, the validated
columns and the region ids it ran on. Output: a read-only mapping with every name of a
full env (`keep="all"`), in the same order and with the same bits: a met flag kept as
bools is given back as float64, and the first name asked for that was not kept evaluates
the plan again, once, keeping everything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from indikator import liveness
from indikator import plan as p
from indikator.evaluate import run

__all__ = ["Kept", "TableChangedError", "owned"]

Arrays = Mapping[str, npt.NDArray[np.generic]]


class Kept(Mapping[str, npt.NDArray[np.generic]]):
    """Every array of an evaluation; those it did not keep are worked out when asked for.

    `columns` are the validated inputs, or (`keep="scores"`) a function that validates
    the user's table again, with `inputs` their names: then the inputs too are worked out
    when first asked for, and the arrays kept must come out the same, bit for bit, or the
    table was changed in between (a `TableChangedError`, never other values).
    """

    def __init__(
        self,
        plan: p.Plan,
        env: Arrays,
        columns: Arrays | Callable[[], Arrays],
        regions: Sequence[str],
        *,
        inputs: Iterable[str] = (),
    ) -> None:
        self._plan = plan
        self._arrays = dict(env)  # bool arrays are met flags stored compactly
        self._columns = columns
        self._regions = regions
        # The full env's names in its order: the inputs, then what the steps write.
        given = inputs if callable(columns) else columns
        self._names = dict.fromkeys([*given, *liveness.written(plan)])
        self._complete = False

    def __getitem__(self, name: str) -> npt.NDArray[np.generic]:
        value = self._arrays.get(name)
        if value is not None and value.dtype != np.bool_:
            return value
        if name not in self._names:
            raise KeyError(name)
        if value is not None:  # a flag: float64 again (+0.0 and 1.0), once
            value = self._arrays[name] = value.astype(np.float64)
            return value
        self._evaluate_again()
        return self._arrays[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def complete(self) -> bool:
        """Whether every array is at hand (the plan was evaluated again, or kept all)."""
        return self._complete or all(name in self._arrays for name in self._names)

    def _evaluate_again(self) -> None:
        """Evaluate the plan on the kept inputs, keeping what was not kept (same values)."""
        if self._complete:
            return
        again = callable(self._columns)
        columns = self._columns() if callable(self._columns) else self._columns
        full = run(self._plan, columns, self._regions, keep="all")
        for name, values in full.items():
            known = self._arrays.get(name)
            if known is None or known.dtype == np.bool_:
                self._arrays[name] = values
            elif again and not _same_bits(known, values):
                raise TableChangedError(name)
        self._complete = True


class TableChangedError(RuntimeError):
    """The table of a `keep="scores"` evaluation changed before its inputs were read."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"the table given to evaluate_many(keep='scores') changed after the evaluation: "
            f"'{name}' comes out different; evaluate it again, or keep='outputs'"
        )


def _same_bits(kept: npt.NDArray[np.generic], again: npt.NDArray[np.generic]) -> bool:
    """Whether two arrays hold the same values bit for bit (numbers) or the same texts."""
    if kept.dtype != again.dtype or kept.shape != again.shape:
        return False
    if kept.dtype.kind == "f":
        bits = f"u{kept.dtype.itemsize}"
        return bool(np.array_equal(kept.view(bits), again.view(bits)))
    return bool(np.array_equal(kept, again))


def owned(
    env: Mapping[str, npt.NDArray[np.generic]], table: Mapping[str, object]
) -> dict[str, npt.NDArray[np.generic]]:
    """`env` with a copy of every array that may share memory with a column of `table`.

    Number columns are validated without a copy: a kept score that is an input (`indicator
    b = y`) would be the caller's array, change with it, and hide the change from the
    check that refuses a changed table.
    """
    columns = [c for c in table.values() if isinstance(c, np.ndarray)]

    def own(values: npt.NDArray[np.generic]) -> npt.NDArray[np.generic]:
        shared = any(np.may_share_memory(values, column) for column in columns)
        return values.copy() if shared else values

    return {name: own(values) for name, values in env.items()}
