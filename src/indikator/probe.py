"""Probe: one region re-evaluated with changed inputs, many variants at once.

Input: a `Plan`, the evaluated `env` of a table and one row. Output: `Probe.run(changes)`
evaluates one variant per mapping of input → value (the rest of the region as it is) in
one vectorised pass of the real evaluator (`evaluate.run`), so every number the advice
gives comes from the same code as `evaluate`. A variant the evaluator refuses (a value
outside every band, a division by zero) gives NaN everywhere instead of failing its batch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from indikator import plan as p
from indikator.errors import DataError
from indikator.evaluate import run

__all__ = ["Probe"]

Env = Mapping[str, npt.NDArray[np.generic]]


class Probe:
    """The inputs of one region, ready to be varied and re-evaluated."""

    def __init__(self, plan: p.Plan, env: Env, row: int) -> None:
        self.plan = plan
        names = [c for c in (plan.region, plan.region_name) if c]
        for spec in plan.inputs:
            names += [spec.name, f"{spec.name}.prev"]
        self.base = {k: env[k][row : row + 1] for k in names if k in env}

    def run(self, changes: Sequence[Mapping[str, float]]) -> dict[str, npt.NDArray[np.generic]]:
        """The evaluated columns of each variant (row i is `changes[i]`); empty input allowed.

        Examples:
            >>> from indikator import loads
            >>> rs = loads('''
            ... ruleset d { scale 0 to 10 }
            ... input x: percent { missing zero }
            ... indicator s = bands x { [0, 50) -> 0  [50, 100] -> 10 }
            ... ''')
            >>> results = rs.evaluate_many({"x": [20]})
            >>> Probe(rs.plan, results.env, 0).run([{"x": 49.9}, {"x": 50}])["s"].tolist()
            [0.0, 10.0]
        """
        size = len(changes)
        columns = {k: np.repeat(v, size) for k, v in self.base.items()}
        for name in {k for change in changes for k in change}:
            column = np.asarray(columns[name], dtype=np.float64).copy()
            for i, change in enumerate(changes):
                if name in change:
                    column[i] = change[name]
            columns[name] = column
        if size == 0:
            return {}
        try:
            return dict(run(self.plan, columns, ["probe"] * size))
        except DataError:
            if size == 1:
                return {}
        # A refused variant: split the batch in halves until the refused ones stand alone
        # (they are left NaN); refusals cluster (values past the bands), so few runs.
        half = size // 2
        parts = [self.run(changes[:half]), self.run(changes[half:])]
        sizes = [half, size - half]
        keys = next((part.keys() for part in parts if part), ())
        return {
            k: np.concatenate(
                [
                    np.asarray(part[k], dtype=np.float64) if part else np.full(n, np.nan)
                    for part, n in zip(parts, sizes, strict=True)
                ]
            )
            for k in keys
            if all(not part or part[k].dtype.kind in "fiub" for part in parts)
        }
