"""Evaluation results: every intermediate array, per-region views and tables.

Columns come in the order the ruleset writes its definitions (an indicator, its met flag,
then the next; a group after its members), not the order of evaluation. A rank is an
integer (None for a region without one), followed by the column it ranks within.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from indikator.evaluate import summarise
from indikator.explain import Explanation, explain_region
from indikator.numeric import PLACES
from indikator.plan import source_order
from indikator.provenance import Provenance
from indikator.scalar import ScalarEnv

if TYPE_CHECKING:
    from indikator.plan import Plan

__all__ = ["Result", "Results"]


def _shown(value: float) -> float | None:
    """A value as reported: None when missing, float noise below 10⁻⁹ removed."""
    return None if math.isnan(value) else round(value, PLACES) + 0.0


def _strict_json(document: Any, indent: int | None) -> str:
    """JSON that any reader accepts (RFC 8259): a number that is not finite is null."""

    def finite(value: Any) -> Any:
        if isinstance(value, float):
            return value if math.isfinite(value) else None
        if isinstance(value, dict):
            return {key: finite(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [finite(item) for item in value]
        return value

    return json.dumps(finite(document), ensure_ascii=False, indent=indent, allow_nan=False)


def _whole(value: float) -> int | None:
    """A rank as reported: an integer, None when the region has none."""
    return None if math.isnan(value) else int(value)


def _flag(value: float) -> bool | None:
    """A met flag as reported: True, False, or None when it cannot be told."""
    return None if math.isnan(value) else bool(value)


def _total_name(plan: Plan) -> str:
    """The classified score (or the last step without tiers): what `total` reports."""
    c = plan.classification
    return c.subject if c else plan.steps[-1].name


def _text_or_none(value: Any) -> str | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


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
        return self._env[_total_name(self._plan)]  # type: ignore[return-value]  # float array

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

    @property
    def ordered(self) -> tuple[str, ...]:
        """Names of the scored steps in the order the ruleset writes them."""
        return tuple(source_order(self._plan))

    def columns(self, lang: str = "id") -> dict[str, list[Any]]:
        """Output columns: region, name, each step (indicators with `x.met`), tier, ranks.

        Steps in the ruleset's order; a met flag is a bool (None when it cannot be told);
        a rank an int (None without one), followed by the column it ranks within.
        """
        out: dict[str, list[Any]] = {"region": list(self.regions)}
        if self._plan.region_name and self._plan.region_name in self._env:
            out["name"] = list(self._env[self._plan.region_name])
        for name in self.ordered:
            out[name] = self._floats(name)
            if f"{name}.met" in self._env:
                met = np.asarray(self._env[f"{name}.met"], dtype=float).tolist()
                out[f"{name}.met"] = [_flag(v) for v in met]
        if self._plan.classification is not None:
            out["tier"] = self.tiers(lang)
        for rank in self._plan.ranks:
            out.update(self.rank(rank.name))
        return out

    def _floats(self, name: str) -> list[float | None]:
        return [_shown(v) for v in np.asarray(self._env[name], dtype=float).tolist()]

    def rank(self, name: str) -> dict[str, list[Any]]:
        """A rank as integers (None without one) and the column it ranks within, if any.

        For example `{"peringkat": [8, 4, None], "provinsi": ["Jawa Barat", ...]}`.
        """
        step = next((r for r in self._plan.ranks if r.name == name), None)
        if step is None:
            known = ", ".join(r.name for r in self._plan.ranks) or "none"
            msg = f"no rank named '{name}'; known: {known}"
            raise KeyError(msg)
        out: dict[str, list[Any]] = {
            name: [_whole(v) for v in np.asarray(self._env[name], dtype=float).tolist()]
        }
        if step.within is not None:
            out[step.within] = [_text_or_none(v) for v in self._env[step.within].tolist()]
        return out

    def rank_sizes(self, name: str) -> list[int]:
        """For each region, how many regions hold a rank in its group (0 without a rank)."""
        columns = self.rank(name)
        ranks = columns[name]
        step = next(r for r in self._plan.ranks if r.name == name)
        groups = columns[step.within] if step.within else [None] * len(ranks)
        sizes: dict[Any, int] = {}
        for rank, group in zip(ranks, groups, strict=True):
            if rank is not None:
                sizes[group] = sizes.get(group, 0) + 1
        return [
            sizes.get(group, 0) if rank is not None else 0
            for rank, group in zip(ranks, groups, strict=True)
        ]

    def to_rows(self, lang: str = "id") -> list[dict[str, Any]]:
        """One dict per region."""
        columns = self.columns(lang)
        return [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]

    def to_pandas(self, lang: str = "id") -> Any:
        """A pandas DataFrame of `columns()` (needs pandas); ranks as nullable integers."""
        import pandas as pd  # noqa: PLC0415  # optional dependency: only this method needs it

        frame = pd.DataFrame(self.columns(lang))
        for rank in self._plan.ranks:
            frame[rank.name] = frame[rank.name].astype("Int64")
        for name in frame.columns:
            if str(name).endswith(".met"):
                frame[name] = frame[name].astype("boolean")
        return frame

    def to_arrow(self, lang: str = "id") -> Any:
        """A pyarrow Table of `columns()` (needs pyarrow); ranks as int64 with nulls.

        The assumption banner, when there is one, is in the schema's metadata under
        `indikator.assumptions`.
        """
        import pyarrow as pa  # noqa: PLC0415  # optional dependency: only this method needs it

        columns = self.columns(lang)
        ranks = {r.name for r in self._plan.ranks}
        arrays = {
            name: pa.array(values, type=pa.int64()) if name in ranks else pa.array(values)
            for name, values in columns.items()
        }
        note = self.provenance_note(lang)
        metadata = None if note is None else {"indikator.assumptions": note.encode()}
        return pa.table(arrays, metadata=metadata)

    def rollup(self, name: str) -> dict[str, list[Any]]:
        """A rollup's table (e.g. per province): its grouping column, then each item."""
        step = next((r for r in self._plan.rollups if r.name == name), None)
        if step is None:
            known = ", ".join(r.name for r in self._plan.rollups) or "none"
            msg = f"no rollup named '{name}'; known: {known}"
            raise KeyError(msg)
        table = summarise(step, self._env, self.regions)
        counts = {name for name, function, _ in step.items if function == "count"}
        return {
            column: [
                v if isinstance(v, str) else int(v) if column in counts else _shown(float(v))
                for v in values.tolist()
            ]
            for column, values in table.items()
        }

    def rollups(self) -> dict[str, dict[str, list[Any]]]:
        """Every rollup the ruleset declares, by name, each as `rollup(name)` gives it."""
        return {step.name: self.rollup(step.name) for step in self._plan.rollups}

    def to_dict(self, lang: str = "id") -> dict[str, Any]:
        """Everything as one JSON-ready document: banner, regions, rollups.

        `{"assumptions": ..., "regions": [row, ...], "rollups": {name: [row, ...]}}`;
        `assumptions` only when the ruleset assumes a scoring number. Missing values are
        None.
        """
        document: dict[str, Any] = {}
        note = self.provenance_note(lang)
        if note is not None:
            document["assumptions"] = note
        document["regions"] = self.to_rows(lang)
        document["rollups"] = {
            name: [dict(zip(table, row, strict=True)) for row in zip(*table.values(), strict=True)]
            for name, table in self.rollups().items()
        }
        return document

    def to_json(self, lang: str = "id", *, indent: int | None = 2) -> str:
        """`to_dict` as strict JSON (RFC 8259): NaN and infinity are `null`."""
        return _strict_json(self.to_dict(lang), indent)

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
        env = self._results.env
        if type(env) is ScalarEnv and name in env:
            value = env.scalar(name)
        else:
            value = self._results[name][self.index]
        if value is None or isinstance(value, str):
            return value
        return _shown(float(value))

    @property
    def total(self) -> float | None:
        """The classified score."""
        env = self._results.env
        if type(env) is ScalarEnv:  # one region: the plain float, without making an array
            return _shown(float(env.scalar(_total_name(self._results.plan))))
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
        env = self._results.env
        if type(env) is ScalarEnv and "tier" in env:  # one region: the plain int
            return int(env.scalar("tier"))
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

    def to_json(self, lang: str = "id", *, indent: int | None = 2) -> str:
        """This region's row as strict JSON, with the assumption banner when there is one.

        `{"assumptions": ..., **to_dict(lang)}`; missing values are `null`.
        """
        note = self._results.provenance_note(lang)
        document = {"assumptions": note} if note is not None else {}
        return _strict_json({**document, **self.to_dict(lang)}, indent)

    def __repr__(self) -> str:
        tier = f" tier={self.tier_name}" if self._results.plan.classification else ""
        return f"<Result {self.region}: total={self.total}{tier}>"
