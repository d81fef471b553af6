"""The arrays of an evaluation that kept only its outputs, the rest worked out on demand.

Input: the env of `evaluate.run(..., keep="outputs")`, with the plan, the validated
columns and the region ids it ran on. Output: a read-only mapping with every name of a
full env (`keep="all"`), in the same order and with the same bits: a met flag kept as
bools is given back as float64, and the first name asked for that was not kept evaluates
the plan again, once, keeping everything.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from indikator import liveness
from indikator import plan as p
from indikator.evaluate import run

__all__ = ["Kept"]

Arrays = Mapping[str, npt.NDArray[np.generic]]


class Kept(Mapping[str, npt.NDArray[np.generic]]):
    """Every array of an evaluation; those it did not keep are worked out when asked for."""

    def __init__(self, plan: p.Plan, env: Arrays, columns: Arrays, regions: Sequence[str]) -> None:
        self._plan = plan
        self._arrays = dict(env)  # bool arrays are met flags stored compactly
        self._columns = columns
        self._regions = regions
        # The full env's names in its order: the inputs, then what the steps write.
        self._names = dict.fromkeys([*columns, *liveness.written(plan)])
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
        full = run(self._plan, self._columns, self._regions, keep="all")
        for name, values in full.items():
            known = self._arrays.get(name)
            if known is None or known.dtype == np.bool_:
                self._arrays[name] = values
        self._complete = True
