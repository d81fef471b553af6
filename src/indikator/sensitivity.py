"""Sensitivity: how sure each region's tier is, given the assumed numbers.

Every `assumed` parameter with a plausible range (`within A to B`) is drawn uniformly in
its range; cited and structural numbers stay as they are. Each region is evaluated
under every draw, draws x regions as the rows of one vectorised run (in chunks that fit
in memory), through `drawn.lower_drawn`. When drawn points change the maximum of the
tiered score, the score is scaled back to its maximum at the assumed values: weights
are drawn as shares, so the tiers keep their meaning. A draw that breaks the ruleset's
structure (band edges out of order, points above a declared maximum) is left out and
counted.

Per region: the tier under the assumed values, the probability of each tier, a robust
or fragile verdict, the 5th/50th/95th percentile of the score, and how strongly each
drawn parameter moves the score (Spearman's rank correlation over the draws).

Draw zero is the assumed values themselves, run through the same drawn plan: it must
give the plain evaluation's tiers, or the analysis stops (a guard, never expected).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from indikator import plan as p
from indikator.data import table_columns, validate
from indikator.drawn import check_assumed, lower_drawn, one_per_row, per_row
from indikator.errors import DataError, DataProblem
from indikator.evaluate import TIER_MISSING, run
from indikator.messages import Message

if TYPE_CHECKING:
    from indikator.ruleset import Ruleset

__all__ = ["DrawnParameter", "Sensitivity", "sensitivity"]

Array = npt.NDArray[np.float64]

#: Rows (draws x regions) evaluated at once: about 200 MB of columns for KLA 2025.
CHUNK_ROWS = 1 << 18

#: Drawn values are decimals of this many places (the language's numbers are decimals).
DRAW_PLACES = 4

#: Percentiles of the score reported per region.
PERCENTILES = (5.0, 50.0, 95.0)


@attrs.frozen
class DrawnParameter:
    """An assumed parameter drawn uniformly in `[low, high]`; `assumed` is its value."""

    name: str
    low: float
    high: float
    assumed: float
    reason: str


@attrs.frozen(kw_only=True, eq=False)
class Sensitivity:
    """The outcome of `sensitivity`: one row per region, one column per tier or parameter.

    `tiers[0]` is 'no tier' (below the lowest); `probability[i, k]` is the share of the
    used draws in which region `i` has tier `k`; `assumed[i]` its tier code under the
    assumed values (-1: no score). `influence[i, j]` is Spearman's correlation between
    parameter `j` and region `i`'s score over the draws (NaN where the score never moves);
    `first_order[i, j]` the share of the variance of region `i`'s score that parameter `j`
    explains alone (a first-order, variance-based index estimated from the same draws).
    """

    regions: tuple[str, ...]
    names: tuple[str | None, ...]
    tiers: tuple[str, ...]
    tier_labels: tuple[tuple[str, str], ...]  # (Indonesian, English)
    parameters: tuple[DrawnParameter, ...]
    draws: int
    used: int
    seed: int
    robust_at: float
    assumed: npt.NDArray[np.int16]
    assumed_score: Array
    probability: Array
    percentiles: Array
    influence: Array
    first_order: Array
    banner: str | None = None

    def __len__(self) -> int:
        return len(self.regions)

    @property
    def sure(self) -> Array:
        """Per region, the probability of its tier under the assumed values."""
        codes = np.clip(self.assumed, 0, None).astype(np.intp)
        sure = self.probability[np.arange(len(self.regions)), codes]
        return np.where(self.assumed == TIER_MISSING, np.nan, sure)

    @property
    def robust(self) -> npt.NDArray[np.bool_]:
        """Regions whose assumed tier holds in at least `robust_at` of the draws."""
        return np.asarray(self.sure >= self.robust_at - 1e-12)

    @property
    def could_change(self) -> int:
        """How many regions end in another tier in at least one draw."""
        return int(np.sum(self.sure < 1.0))

    def most_influential(self, index: int, count: int = 3) -> list[tuple[str, float]]:
        """The parameters that move a region's score most, strongest first."""
        row = self.influence[index]
        order = [j for j in np.argsort(-np.abs(np.nan_to_num(row))) if not np.isnan(row[j])]
        return [(self.parameters[j].name, float(row[j])) for j in order[:count] if row[j] != 0]

    def tier_name(self, code: int, lang: str = "id") -> str:
        """A tier code's label in `lang` ('-' for a region without a score)."""
        if code == TIER_MISSING:
            return "-"
        return self.tier_labels[code][lang == "en"]

    def to_text(self, lang: str = "id") -> str:
        """A report for the terminal: the run, the whole-data view, one line per region."""
        en = lang == "en"
        lines = [*self.summary(lang), ""]
        header = _WORDS[en]["columns"]
        rows = [header] + [self.text_row(i, en) for i in range(len(self))]
        widths = [max(len(r[k]) for r in rows) for k in range(len(header) - 1)]
        for row in rows:
            cells = [c.ljust(w) for c, w in zip(row, widths, strict=False)]
            lines.append("  ".join([*cells, row[-1]]).rstrip())
        return "\n".join(lines)

    def summary(self, lang: str = "id") -> list[str]:
        """The run and the whole-data view, one sentence each."""
        en = lang == "en"
        words = _WORDS[en]
        left_out = self.draws - self.used
        return [
            words["head"].format(
                draws=_count(self.draws, en),
                used=_count(self.used, en),
                left=_count(left_out, en),
                seed=self.seed,
                params=len(self.parameters),
            ),
            words["whole"].format(
                change=self.could_change,
                total=len(self),
                fragile=int(np.sum(~self.robust & ~np.isnan(self.sure))),
                at=_percent(self.robust_at, en),
            ),
        ]

    def columns(self, lang: str = "id") -> list[str]:
        """The column titles of `text_row` in `lang`."""
        return list(_WORDS[lang == "en"]["columns"])

    def text_row(self, i: int, en: bool) -> list[str]:  # noqa: FBT001
        """Region `i` as the cells of a line of `to_text`."""
        words = _WORDS[en]
        sure = self.sure[i]
        other = self.likeliest_other(i)
        verdict = "-" if np.isnan(sure) else words["robust" if self.robust[i] else "fragile"]
        movers = ", ".join(f"{name} ({_signed(v, en)})" for name, v in self.most_influential(i))
        return [
            self.regions[i],
            self.names[i] or "",
            self.tier_name(int(self.assumed[i]), "en" if en else "id"),
            _decimal(self.assumed_score[i], en),
            "-" if np.isnan(sure) else _percent(float(sure), en),
            verdict,
            "-"
            if other is None
            else f"{self.tier_name(other[0], 'en' if en else 'id')} {_percent(other[1], en)}",
            movers or "-",
        ]

    def likeliest_other(self, i: int) -> tuple[int, float] | None:
        """The most probable tier other than the assumed one, if any draw reached one."""
        row = self.probability[i].copy()
        if self.assumed[i] != TIER_MISSING:
            row[self.assumed[i]] = 0.0
        code = int(np.argmax(row))
        return (code, float(row[code])) if row[code] > 0 else None

    def to_rows(self, lang: str = "id") -> dict[str, list[Any]]:
        """Columns for a CSV or XLSX file: one row per region."""
        en = lang == "en"
        columns: dict[str, list[Any]] = {
            "region": list(self.regions),
            "name": [name or "" for name in self.names],
            "assumed_tier": [self.tier_name(int(c), lang) for c in self.assumed],
            "assumed_score": [_finite(v) for v in self.assumed_score],
            "sure": [_finite(v) for v in self.sure],
            "verdict": [
                None if np.isnan(v) else _WORDS[en]["robust" if ok else "fragile"]
                for v, ok in zip(self.sure, self.robust, strict=True)
            ],
        }
        for k, tier in enumerate(self.tiers):
            columns[f"p_{tier}"] = [float(v) for v in self.probability[:, k]]
        for q, values in zip(PERCENTILES, self.percentiles.T, strict=True):
            columns[f"score_p{q:g}"] = [_finite(v) for v in values]
        columns["most_influential"] = [
            ", ".join(f"{name} {v:+.2f}" for name, v in self.most_influential(i))
            for i in range(len(self))
        ]
        return columns

    def parameter_rows(self, lang: str = "id") -> list[list[Any]]:
        """A sheet of the drawn parameters: range, assumed value, reason, two strengths.

        The strengths are means over the regions: |rank correlation| and first-order index.
        """
        header = _WORDS[lang == "en"]["parameter_columns"]
        with warnings.catch_warnings():  # a parameter that moves no region's score: NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            strength = np.nanmean(np.abs(self.influence), axis=0)
            share = np.nanmean(self.first_order, axis=0)
        return [list(header)] + [
            [p.name, p.low, p.high, p.assumed, p.reason, _finite(float(v)), _finite(float(f))]
            for p, v, f in zip(self.parameters, strength, share, strict=False)
        ]

    def to_dict(self) -> dict[str, Any]:
        """Strict-JSON-ready: the run, the parameters and one record per region."""
        return {
            "draws": self.draws,
            "used": self.used,
            "seed": self.seed,
            "robust_at": self.robust_at,
            "assumptions": self.banner,
            "tiers": list(self.tiers),
            "parameters": [attrs.asdict(p) for p in self.parameters],
            "could_change": self.could_change,
            "fragile": int(np.sum(~self.robust & ~np.isnan(self.sure))),
            "regions": [self.region_record(i) for i in range(len(self.regions))],
        }

    def region_record(self, i: int) -> dict[str, Any]:
        """Region `i` as a strict-JSON-ready record."""
        sure = float(self.sure[i])
        return {
            "region": self.regions[i],
            "name": self.names[i],
            "assumed_tier": None
            if self.assumed[i] == TIER_MISSING
            else self.tiers[self.assumed[i]],
            "assumed_score": _finite(self.assumed_score[i]),
            "probability": {t: float(self.probability[i, k]) for k, t in enumerate(self.tiers)},
            "sure": _finite(sure),
            "verdict": None if np.isnan(sure) else ("robust" if self.robust[i] else "fragile"),
            "score_percentiles": {
                f"p{q:g}": _finite(v) for q, v in zip(PERCENTILES, self.percentiles[i], strict=True)
            },
            "first_order": {
                p.name: _finite(float(v))
                for p, v in zip(self.parameters, self.first_order[i], strict=True)
            },
            "influence": {
                p.name: _finite(float(v))
                for p, v in zip(self.parameters, self.influence[i], strict=True)
            },
        }


def sensitivity(
    ruleset: Ruleset,
    table: Any,
    *,
    draws: int = 1000,
    seed: int = 0,
    robust_at: float = 0.95,
    extra: str = "error",
    chunk_rows: int = CHUNK_ROWS,
) -> Sensitivity:
    """Draw the assumed parameters `draws` times and evaluate every region under each.

    Reproducible: the same seed gives the same draws, and the first k draws of a longer
    run are the draws of a run of k.
    """
    if draws < 1:
        raise ValueError(f"draws must be at least 1, not {draws}")
    if not 0.0 < robust_at <= 1.0:
        raise ValueError(f"robust_at must be in (0, 1], not {robust_at}")
    plan = ruleset.plan
    classification = plan.classification
    if classification is None:
        raise DataError(
            [DataProblem(code="IK530", field="tiers", message=Message("sensitivity.no_tiers"))]
        )
    columns = validate(plan, table_columns(table), extra=extra)
    regions = tuple(columns.regions)
    plain = run(plan, columns.arrays, regions)
    parameters = drawn_parameters(ruleset)
    values = _draw(parameters, draws, seed)
    analysis, sources = ruleset._analysis, ruleset._linked.sources  # noqa: SLF001  # same package
    check_assumed(analysis, sources, {p.name: p.assumed for p in parameters})
    zero = _Run(analysis, sources, plan, columns.arrays, regions, parameters)
    guard_tiers, _, _ = zero.evaluate(np.array([[p.assumed for p in parameters]]))
    if not np.array_equal(guard_tiers[0], plain["tier"]):  # pragma: no cover  # a guard
        raise AssertionError("the drawn plan at the assumed values differs from the plan")
    tiers, scores, valid = zero.evaluate_chunked(values, chunk_rows)
    used = int(valid.sum())
    tiers, scores = tiers[valid], scores[valid]
    size = len(classification.names) + 1
    probability = np.zeros((len(regions), size))
    percentiles = np.full((len(regions), len(PERCENTILES)), np.nan)
    if used:
        for code in range(size):
            probability[:, code] = np.mean(tiers == code, axis=0)
        scored = ~np.isnan(scores).all(axis=0)
        found = np.nanpercentile(scores[:, scored], PERCENTILES, axis=0).T
        percentiles[scored] = np.round(found, 4)  # interpolated: shown as decimals
    names = plain.get(plan.region_name) if plan.region_name else None
    return Sensitivity(
        regions=regions,
        names=tuple(str(v) for v in names) if names is not None else (None,) * len(regions),
        tiers=("below", *classification.names),
        tier_labels=tuple(
            (label.id, label.en or label.id)
            for label in (classification.below, *classification.labels)
        ),
        parameters=parameters,
        draws=draws,
        used=used,
        seed=seed,
        robust_at=robust_at,
        assumed=np.asarray(plain["tier"], dtype=np.int16),
        assumed_score=np.asarray(plain[classification.subject], dtype=np.float64),
        probability=probability,
        percentiles=np.asarray(percentiles),
        influence=_influence(values[valid], scores),
        first_order=_first_order(values[valid], scores),
        banner=ruleset.provenance.banner("id"),
    )


def drawn_parameters(ruleset: Ruleset) -> tuple[DrawnParameter, ...]:
    """The assumed parameters with a plausible range wider than a point, in ruleset order."""
    params = ruleset.params
    found = []
    for assumed in ruleset.provenance.assumed:
        if assumed.definition not in params or assumed.within is None:
            continue
        low, high = (float(v) for v in assumed.within)
        if low < high:
            found.append(
                DrawnParameter(
                    name=assumed.definition,
                    low=low,
                    high=high,
                    assumed=params[assumed.definition],
                    reason=assumed.reason,
                )
            )
    return tuple(found)


def _draw(parameters: Sequence[DrawnParameter], draws: int, seed: int) -> Array:
    """`draws` x parameters, uniform in each range, as decimals of `DRAW_PLACES` places.

    One block from one generator, row by row: the first k rows do not depend on `draws`.
    """
    uniform = np.random.default_rng(seed).random((draws, len(parameters)))
    low = np.array([p.low for p in parameters])
    high = np.array([p.high for p in parameters])
    values: Array = np.round(low + uniform * (high - low), DRAW_PLACES)
    return np.clip(values, low, high)


class _Run:
    """Evaluate regions under many draws: rows are draws x regions, draw-major."""

    def __init__(  # noqa: PLR0917  # one place builds it
        self,
        analysis: Any,
        sources: Mapping[str, str],
        plan: p.Plan,
        columns: Mapping[str, npt.NDArray[np.generic]],
        regions: Sequence[str],
        parameters: Sequence[DrawnParameter],
    ) -> None:
        self.analysis, self.sources, self.plan = analysis, sources, plan
        self.columns, self.regions, self.parameters = columns, regions, parameters

    def evaluate_chunked(
        self, values: Array, chunk_rows: int
    ) -> tuple[npt.NDArray[np.int16], Array, npt.NDArray[np.bool_]]:
        per_chunk = max(1, chunk_rows // max(1, len(self.regions)))
        parts = [
            self.evaluate(values[start : start + per_chunk])
            for start in range(0, len(values), per_chunk)
        ]
        return (
            np.concatenate([t for t, _, _ in parts]),
            np.concatenate([s for _, s, _ in parts]),
            np.concatenate([v for _, _, v in parts]),
        )

    def evaluate(self, values: Array) -> tuple[npt.NDArray[np.int16], Array, npt.NDArray[np.bool_]]:
        """Tier codes and scores (draws x regions) and which draws keep the structure."""
        draws, size = len(values), len(self.regions)
        drawn = {p.name: values[:, j] for j, p in enumerate(self.parameters)}
        plan, valid = lower_drawn(self.analysis, self.sources, drawn)
        plan = one_per_row(_scaled_back(plan, self.plan), size)
        columns = {name: np.tile(column, draws) for name, column in self.columns.items()}
        env = run(plan, columns, _Repeated(self.regions, draws))
        classification = plan.classification
        assert classification is not None  # noqa: S101  # checked by the caller
        tiers = np.asarray(env["tier"], dtype=np.int16).reshape(draws, size)
        scores = np.asarray(env[classification.subject], dtype=np.float64).reshape(draws, size)
        return tiers, scores, valid if drawn else np.ones(draws, dtype=bool)


SCALED = "score scaled back"


def _scaled_back(drawn: p.Plan, plain: p.Plan) -> p.Plan:
    """Tiers on the score scaled back to its maximum at the assumed values.

    Only when drawn points move that maximum: weights drawn as shares.
    """
    classification = drawn.classification
    assert classification is not None  # noqa: S101  # checked by the caller
    subject = classification.subject
    maximum = drawn.maxima[subject]
    if not np.ndim(maximum):
        return drawn
    step = next(s for s in drawn.steps if s.name == subject)
    factor = p.Const(per_row(np.divide(plain.maxima[subject], maximum)))
    scaled = p.LetStep(
        name=SCALED,
        origin=step.origin,
        label=step.label,
        expr=p.Apply("mul", (p.Load(subject), factor)),
        rounding=getattr(step, "rounding", None),
    )
    return attrs.evolve(
        drawn,
        steps=(*drawn.steps, scaled),
        classification=attrs.evolve(classification, subject=SCALED),
    )


class _Repeated(Sequence[str]):
    """Region names for the rows of many draws (for error messages), without copies."""

    def __init__(self, regions: Sequence[str], times: int) -> None:
        self.regions, self.times = regions, times

    def __len__(self) -> int:
        return len(self.regions) * self.times

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self.regions[index % len(self.regions)]


def _influence(values: Array, scores: Array) -> Array:
    """Spearman's rank correlation of each parameter with each region's score.

    Regions x parameters; NaN where the score (or the parameter) never moves.
    """
    if len(values) < 2 or values.shape[1] == 0:  # noqa: PLR2004  # a correlation needs two draws
        return np.full((scores.shape[1], values.shape[1]), np.nan)
    ranked_values = _centred(_average_ranks(values))
    ranked_scores = _centred(_average_ranks(scores))
    covariance = ranked_scores.T @ ranked_values
    spread = np.outer(
        np.sqrt((ranked_scores**2).sum(axis=0)), np.sqrt((ranked_values**2).sum(axis=0))
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        result: Array = np.where(spread > 0, covariance / spread, np.nan)
    return result


#: Draws per bin of a parameter's range for the first-order index (5 to 20 bins).
DRAWS_PER_BIN = 50


def _first_order(values: Array, scores: Array) -> Array:
    """Var(E[score | parameter]) / Var(score), per region and parameter: regions x parameters.

    Estimated from the draws themselves ("given data"): each parameter's draws are cut into
    equal-count bins, and the variance of the bins' mean scores is set against the whole
    variance (Plischke, Borgonovo and Smith 2013). NaN where the score never moves. The
    bins' sums of every parameter come from one matrix product (bins one-hot x scores).
    """
    draws, count = values.shape
    size = scores.shape[1]
    bins = max(5, min(draws // DRAWS_PER_BIN, 20))
    if draws < 2 * bins or count == 0:
        return np.full((size, count), np.nan)
    filled = np.where(np.isnan(scores), np.nanmean(scores, axis=0), scores)
    centred = filled - filled.mean(axis=0)
    total = (centred**2).mean(axis=0)
    labels = np.empty((count, draws), dtype=np.intp)
    ranks = np.argsort(values, axis=0, kind="stable")
    labels[np.arange(count)[None, :], ranks] = (np.arange(draws) * bins // draws)[:, None]
    one_hot = np.zeros((count * bins, draws))
    one_hot[
        (np.arange(count)[:, None] * bins + labels).ravel(), np.tile(np.arange(draws), count)
    ] = 1.0
    sums = (one_hot @ centred).reshape(count, bins, size)  # per parameter, bin and region
    counts = one_hot.sum(axis=1).reshape(count, bins, 1)
    between = (sums**2 / counts).sum(axis=1) / draws  # sum of n_b * mean_b^2, centred
    with np.errstate(invalid="ignore", divide="ignore"):
        result: Array = np.where(total > 0, between / total, np.nan).T
    return result


def _average_ranks(matrix: Array) -> Array:
    """Ranks within each column, ties given their average rank (as Spearman needs)."""
    ranks = np.empty(matrix.shape)
    for j in range(matrix.shape[1]):
        column = matrix[:, j]
        order = np.argsort(column, kind="stable")
        ordered = column[order]
        new = np.concatenate(([True], ordered[1:] != ordered[:-1]))
        group = np.cumsum(new) - 1
        counts = np.bincount(group)
        first = np.cumsum(counts) - counts
        ranks[order, j] = (first + (counts + 1) / 2.0)[group]
    return ranks


def _centred(ranks: Array) -> Array:
    centred: Array = ranks - ranks.mean(axis=0)
    return centred


_WORDS: dict[bool, dict[str, Any]] = {
    False: {
        "head": "Analisis sensitivitas: {draws} undian ({used} dipakai, {left} melanggar"
        " struktur ruleset), benih {seed}; {params} parameter asumsi diundi seragam dalam"
        " rentang wajarnya, angka lain tetap.",
        "whole": "{change} dari {total} wilayah dapat berpindah predikat; {fragile} rapuh"
        " (predikat asumsi bertahan di kurang dari {at} undian).",
        "columns": [
            "wilayah",
            "nama",
            "predikat asumsi",
            "nilai",
            "yakin",
            "putusan",
            "kemungkinan lain",
            "parameter paling berpengaruh (korelasi peringkat)",
        ],
        "robust": "kokoh",
        "fragile": "rapuh",
        "parameter_columns": [
            "parameter",
            "batas bawah",
            "batas atas",
            "nilai asumsi",
            "alasan",
            "rata-rata |korelasi peringkat|",
            "rata-rata indeks orde pertama",
        ],
    },
    True: {
        "head": "Sensitivity analysis: {draws} draws ({used} used, {left} broke the"
        " ruleset's structure), seed {seed}; {params} assumed parameters drawn uniformly in"
        " their plausible ranges, every other number fixed.",
        "whole": "{change} of {total} regions could change tier; {fragile} fragile (the"
        " assumed tier holds in less than {at} of the draws).",
        "columns": [
            "region",
            "name",
            "assumed tier",
            "score",
            "sure",
            "verdict",
            "likeliest other",
            "most influential parameters (rank correlation)",
        ],
        "robust": "robust",
        "fragile": "fragile",
        "parameter_columns": [
            "parameter",
            "low",
            "high",
            "assumed value",
            "reason",
            "mean |rank correlation|",
            "mean first-order index",
        ],
    },
}


def _decimal(value: float, en: bool, places: int = 2) -> str:  # noqa: FBT001
    """A number as its readers write it: `595,84` in Indonesian, `595.84` in English."""
    if np.isnan(value):
        return "-"
    text = f"{value:,.{places}f}"
    return text if en else text.replace(",", " ").replace(".", ",").replace(" ", ".")


def _count(value: int, en: bool) -> str:  # noqa: FBT001
    return _decimal(value, en, 0)


def _percent(share: float, en: bool) -> str:  # noqa: FBT001
    return f"{_decimal(100 * share, en, 1)} %"


def _signed(value: float, en: bool) -> str:  # noqa: FBT001
    return ("+" if value > 0 else "") + _decimal(value, en)


def _finite(value: float) -> float | None:
    return None if np.isnan(value) else float(value)
