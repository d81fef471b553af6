"""Evaluation results: every intermediate array, per-region views and tables."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from indikator.evaluate import summarise
from indikator.explain import Explanation, explain_region
from indikator.numeric import PLACES
from indikator.provenance import Provenance

if TYPE_CHECKING:
    from indikator.plan import Plan

__all__ = ["Result", "Results"]


def _shown(value: float) -> float | None:
    """A value as reported: None when missing, float noise below 10⁻⁹ removed."""
    return None if math.isnan(value) else round(value, PLACES) + 0.0


class Results:
    """The outcome of `Ruleset.evaluate_many`: one value per region for every step."""

    def __init__(
        self,
        plan: Plan,
        env: Mapping[str, npt.NDArray[np.generic]],
        regions: Sequence[str],
        provenance: Provenance | None = None,
    ) -> None:
        self._plan = plan
        self._env = env
        self.regions = regions
        self.provenance = provenance or Provenance(sources=(), assumed=(), numbers=())

    def provenance_note(self, lang: str = "id") -> str | None:
        """The assumption banner of the ruleset (both languages, `lang` first), or None.

        For example 'Asumsi: 100 dari 101 angka penilaian tidak dipublikasikan resmi; lihat
        `indikator sources` / Assumed: 100 of 101 ...'. None when no scoring number is assumed.
        """
        return self.provenance.banner(lang)

    def __len__(self) -> int:
        return len(self.regions)

    def __getitem__(self, name: str) -> npt.NDArray[np.generic]:
        """The array of an input or a definition, e.g. `results["klaster_1"]`."""
        try:
            return self._env[name]
        except KeyError:
            names = ", ".join(self.names)
            msg = f"no value named '{name}'; known: {names}"
            raise KeyError(msg) from None

    @property
    def names(self) -> tuple[str, ...]:
        """Names of the scored steps and ranks, in evaluation order."""
        return tuple(s.name for s in self._plan.steps) + tuple(r.name for r in self._plan.ranks)

    @property
    def tier_codes(self) -> npt.NDArray[np.int16]:
        """0 below every tier, 1.. for each tier in order, -1 when the score is missing."""
        if "tier" not in self._env:
            msg = "this ruleset has no tiers"
            raise AttributeError(msg)
        return self._env["tier"]  # type: ignore[return-value]  # int16 array

    def tiers(self, lang: str = "id") -> list[str | None]:
        """The tier label of each region (the 'below' label under every tier, None if missing)."""
        c = self._plan.classification
        if c is None:
            msg = "this ruleset has no tiers"
            raise AttributeError(msg)
        labels = [c.below.text(lang), *(label.text(lang) for label in c.labels)]
        return [labels[code] if code >= 0 else None for code in self.tier_codes.tolist()]

    @property
    def total(self) -> npt.NDArray[np.float64]:
        """The classified score (or the last step's value without tiers)."""
        c = self._plan.classification
        name = c.subject if c else self._plan.steps[-1].name
        return self._env[name]  # type: ignore[return-value]  # float array

    def region(self, key: str | int) -> Result:
        """One region's result, by region id or by row number."""
        if isinstance(key, str):
            try:
                index = self.regions.index(key)
            except ValueError:
                msg = f"no region '{key}'"
                raise KeyError(msg) from None
        else:
            index = key
        return Result(self, index)

    def __iter__(self) -> Iterator[Result]:
        return (Result(self, i) for i in range(len(self)))

    def columns(self, lang: str = "id") -> dict[str, list[Any]]:
        """Output columns: region, each step's value, tier and ranks."""
        out: dict[str, list[Any]] = {"region": list(self.regions)}
        if self._plan.region_name and self._plan.region_name in self._env:
            out["name"] = list(self._env[self._plan.region_name])
        for name in self.names:
            out[name] = [_shown(v) for v in np.asarray(self._env[name], dtype=float).tolist()]
        if self._plan.classification is not None:
            out["tier"] = self.tiers(lang)
        return out

    def to_rows(self, lang: str = "id") -> list[dict[str, Any]]:
        """One dict per region."""
        columns = self.columns(lang)
        return [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]

    def to_pandas(self, lang: str = "id") -> Any:
        """A pandas DataFrame of `columns()` (needs pandas)."""
        import pandas as pd  # noqa: PLC0415  # optional dependency: only this method needs it

        return pd.DataFrame(self.columns(lang))

    def rollup(self, name: str) -> dict[str, list[Any]]:
        """A rollup's table (e.g. per province): its grouping column, `count` and each item."""
        step = next((r for r in self._plan.rollups if r.name == name), None)
        if step is None:
            known = ", ".join(r.name for r in self._plan.rollups) or "none"
            msg = f"no rollup named '{name}'; known: {known}"
            raise KeyError(msg)
        table = summarise(step, dict(self._env), self.regions)
        return {
            column: [v if isinstance(v, str) else _shown(float(v)) for v in values.tolist()]
            for column, values in table.items()
        }

    @property
    def plan(self) -> Plan:
        """The plan that produced these results."""
        return self._plan

    @property
    def env(self) -> Mapping[str, npt.NDArray[np.generic]]:
        """Every array, including derived ones (`x.met`, `tier.raw`, gates)."""
        return self._env


class Result:
    """One region's view of `Results`."""

    def __init__(self, results: Results, index: int) -> None:
        self._results = results
        self.index = index
        self.region = results.regions[index]

    def __getitem__(self, name: str) -> float | str | None:
        value = self._results[name][self.index]
        if value is None or isinstance(value, str):
            return value
        return _shown(float(value))

    @property
    def total(self) -> float | None:
        """The classified score."""
        return _shown(float(self._results.total[self.index]))

    def tier(self, lang: str = "id") -> str | None:
        """The tier label (Indonesian by default)."""
        code = self.tier_code
        c = self._results.plan.classification
        if c is None or code < 0:
            return None
        return (c.below if code == 0 else c.labels[code - 1]).text(lang)

    @property
    def has_tiers(self) -> bool:
        """Whether the ruleset classifies into tiers."""
        return self._results.plan.classification is not None

    @property
    def tier_code(self) -> int:
        """0 below every tier, 1.. per tier, -1 when the score is missing."""
        return int(self._results.tier_codes[self.index])

    @property
    def tier_name(self) -> str | None:
        """The tier's identifier as written in the ruleset (e.g. 'madya'), or None."""
        c = self._results.plan.classification
        code = self.tier_code
        return c.names[code - 1] if c and code >= 1 else None

    def explain(self, lang: str = "id") -> Explanation:
        """How every number of this region arose."""
        return explain_region(
            self._results.plan,
            self._results.env,
            self.index,
            lang,
            provenance=self._results.provenance,
        )

    def to_dict(self, lang: str = "id") -> dict[str, Any]:
        """This region's row of `Results.columns()`."""
        return self._results.to_rows(lang)[self.index]

    def __repr__(self) -> str:
        tier = f" tier={self.tier_name}" if self._results.plan.classification else ""
        return f"<Result {self.region}: total={self.total}{tier}>"
