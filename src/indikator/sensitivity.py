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

import functools
import warnings
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from indikator import plan as p
from indikator.check import analyse
from indikator.data import table_columns, validate
from indikator.display import number, percent, table
from indikator.drawn import check_assumed, lower_drawn, one_per_row, per_row
from indikator.errors import DataError, DataProblem, Diagnostic, RulesetError
from indikator.evaluate import TIER_MISSING, run
from indikator.messages import Message, phrases
from indikator.numeric import HALF_QUANTUM, PLACES, RELATIVE

if TYPE_CHECKING:
    from indikator.ruleset import Ruleset

__all__ = ["DrawnParameter", "Sensitivity", "sensitivity"]

Array = npt.NDArray[np.float64]

#: Rows (draws x regions) evaluated at once: about 200 MB of columns for KLA 2025.
CHUNK_ROWS = 1 << 18

#: Significant digits of a drawn value (the language holds decimals of up to 15).
DRAW_DIGITS = 12

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
    failed: int
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

    @functools.cached_property  # read per region by the reports: worked out once
    def sure(self) -> Array:
        """Per region, the probability of its tier under the assumed values.

        NaN for a region without a score, and for every region when no draw was used.
        With nothing to draw, every draw is the assumed values: 1 (the summary says so).
        """
        if not self.used:
            return np.full(len(self.regions), np.nan)
        codes = np.clip(self.assumed, 0, None).astype(np.intp)
        sure = self.probability[np.arange(len(self.regions)), codes]
        return np.where(self.assumed == TIER_MISSING, np.nan, sure)

    @functools.cached_property
    def no_score(self) -> Array:
        """Per region, the share of the used draws in which it has no score."""
        return np.asarray(1.0 - self.probability.sum(axis=1))

    def verdict(self, i: int) -> str | None:
        """'robust', 'fragile', or None (no score, no draw used, nothing drawn)."""
        if not self.parameters or np.isnan(self.sure[i]):
            return None
        return "robust" if self.robust[i] else "fragile"

    @functools.cached_property
    def robust(self) -> npt.NDArray[np.bool_]:
        """Regions whose assumed tier holds in at least `robust_at` of the draws."""
        with np.errstate(invalid="ignore"):
            return np.asarray(self.sure >= self.robust_at - 1e-12)

    @property
    def fragile(self) -> npt.NDArray[np.bool_]:
        """Regions with a verdict that is not robust."""
        return np.asarray(~self.robust & ~np.isnan(self.sure))

    @property
    def could_change(self) -> int:
        """How many regions end in another tier (or without a score) in a used draw.

        A region without a score at the assumed values counts when some draw scores it.
        """
        if not self.used:
            return 0
        unscored = (self.assumed == TIER_MISSING) & (self.no_score < 1.0)
        with np.errstate(invalid="ignore"):
            return int(np.sum(self.sure < 1.0) + np.sum(unscored))

    def most_influential(self, index: int, count: int = 3) -> list[tuple[str, float]]:
        """The parameters that move a region's score most, strongest first."""
        row = self.influence[index]
        order = [j for j in np.argsort(-np.abs(np.nan_to_num(row))) if not np.isnan(row[j])]
        return [(self.parameters[j].name, float(row[j])) for j in order[:count] if row[j] != 0]

    def tier_name(self, code: int, lang: str = "id") -> str:
        """A tier code's label in `lang` ('tanpa nilai' / 'no score' for -1)."""
        if code == TIER_MISSING:
            return _words(lang)["no_score"]
        return self.tier_labels[code][lang == "en"]

    def to_text(self, lang: str = "id") -> str:
        """A report for the terminal: the run, the whole-data view, one line per region."""
        lines = [*self.summary(lang), ""]
        rows = [self.text_row(i, lang) for i in range(len(self))]
        lines.append(table(self.columns(lang), rows, rule=False))
        return "\n".join(lines)

    def summary(self, lang: str = "id") -> list[str]:
        """The run and the whole-data view, one sentence each."""
        words = _words(lang)
        if not self.parameters:
            return [words["nothing"]]
        broke = self.draws - self.used - self.failed
        lines = [
            words["head"].format(
                draws=number(self.draws, lang, places=0),
                used=number(self.used, lang, places=0),
                left=number(broke, lang, places=0),
                seed=self.seed,
                params=len(self.parameters),
            ),
        ]
        if self.failed:
            lines.append(words["failed"].format(failed=number(self.failed, lang, places=0)))
        if not self.used:
            return [*lines, words["none_used"]]
        return [
            *lines,
            words["whole"].format(
                change=self.could_change,
                total=len(self),
                fragile=int(self.fragile.sum()),
                at=percent(self.robust_at, lang),
            ),
        ]

    def columns(self, lang: str = "id") -> list[str]:
        """The column titles of `text_row` in `lang`."""
        return _headers("column", lang)

    def text_row(self, i: int, lang: str = "id") -> list[str]:
        """Region `i` as the cells of a line of `to_text`."""
        other = self.likeliest_other(i)
        movers = [
            f"{name} ({number(v, lang, places=2, fixed=True, signed=True)})"
            for name, v in self.most_influential(i)
        ]
        return [
            self.regions[i],
            self.names[i] or "",
            self.tier_name(int(self.assumed[i]), lang),
            number(self.assumed_score[i], lang, places=2, fixed=True),
            percent(float(self.sure[i]), lang),
            _words(lang).get(self.verdict(i) or "", "-"),
            "-" if other is None else f"{self.tier_name(other[0], lang)} {percent(other[1], lang)}",
            ", ".join(movers) or "-",
        ]

    def likeliest_other(self, i: int) -> tuple[int, float] | None:
        """The most probable outcome other than the assumed tier.

        A tier code, or -1 for no score; None if every used draw gives the assumed tier.
        """
        row = np.append(self.probability[i], self.no_score[i])  # the last: no score
        row[self.assumed[i]] = 0.0  # -1 is the last: the assumed outcome "no score"
        code = int(np.argmax(row))
        if not row[code] > 0:
            return None
        return (TIER_MISSING if code == len(row) - 1 else code, float(row[code]))

    def to_rows(self, lang: str = "id") -> dict[str, list[Any]]:
        """Columns for a CSV or XLSX file: one row per region."""
        columns: dict[str, list[Any]] = {
            "region": list(self.regions),
            "name": [name or "" for name in self.names],
            "assumed_tier": [self.tier_name(int(c), lang) for c in self.assumed],
            "assumed_score": [_finite(v) for v in self.assumed_score],
            "sure": [_finite(v) for v in self.sure],
            "verdict": [
                None if self.verdict(i) is None else _words(lang)[self.verdict(i) or ""]
                for i in range(len(self))
            ],
            "no_score": [_finite(float(v)) for v in self.no_score],
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
        header = _headers("parameter_column", lang)
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
            "tiers": list(self.tiers),
            "parameters": [attrs.asdict(p) for p in self.parameters],
            "could_change": self.could_change,
            "failed": self.failed,
            "fragile": int(self.fragile.sum()),
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
            "verdict": self.verdict(i),
            "no_score": _finite(float(self.no_score[i])),
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
    _check_arguments(draws, seed, robust_at)
    plan = ruleset.plan
    classification = plan.classification
    if classification is None:
        raise _refused("sensitivity.no_tiers")
    columns = validate(plan, table_columns(table), extra=extra)
    regions = tuple(columns.regions)
    if draws * max(1, len(regions)) > MAX_DRAW_REGIONS:
        raise _refused("sensitivity.too_many", rows=f"{draws * len(regions):,}")
    plain = run(plan, columns.arrays, regions)
    parameters = drawn_parameters(ruleset)
    values = _draw(parameters, draws, seed)
    analysis, linked = ruleset._analysis, ruleset._linked  # noqa: SLF001  # same package
    check_assumed(analysis, linked.sources, {p.name: p.assumed for p in parameters})
    runner = _Run(analysis, linked.sources, plan, columns.arrays, regions, parameters)
    guard_tiers, _, _ = runner.evaluate(np.array([[p.assumed for p in parameters]]))
    if not np.array_equal(guard_tiers[0], plain["tier"]):  # pragma: no cover  # a guard
        raise AssertionError("the drawn plan at the assumed values differs from the plan")
    checked = np.unique(np.linspace(0, draws - 1, min(draws, CHECKED_DRAWS)).astype(np.intp))
    _agrees_with_the_checker(linked, analysis, parameters, values[checked], checked)
    tiers, scores, valid = runner.evaluate_chunked(values, chunk_rows)
    tiers, scores = tiers[valid], scores[valid]
    names = plain.get(plan.region_name) if plan.region_name else None
    return Sensitivity(
        regions=regions,
        names=tuple(_name(v) for v in names) if names is not None else (None,) * len(regions),
        tiers=("below", *classification.names),
        tier_labels=tuple(
            (label.id, label.en or label.id)
            for label in (classification.below, *classification.labels)
        ),
        parameters=parameters,
        draws=draws,
        used=int(valid.sum()),
        failed=runner.failed,
        seed=seed,
        robust_at=robust_at,
        assumed=np.asarray(plain["tier"], dtype=np.int16),
        assumed_score=np.asarray(plain[classification.subject], dtype=np.float64),
        probability=_shares(tiers, len(classification.names) + 1),
        percentiles=_percentiles(scores),
        influence=_influence(values[valid], scores),
        first_order=_first_order(values[valid], scores),
        banner=ruleset.provenance.banner("id"),
    )


#: At most this many draws x regions in one analysis: about 1 GB of tiers and scores.
MAX_DRAW_REGIONS = 10**8

#: This many draws, spread evenly over the run (the first and the last among them), are
#: also checked by the checker itself (`_agrees_with_the_checker`): about 6 ms each.
CHECKED_DRAWS = 64

#: Checker errors a draw may cause on purpose: drawn weights are shares, so group weights
#: and maxima no longer add up to the declared maximum or the scale.
_SHARES = frozenset({"IK404", "IK405"})
#: ... and, when the tiered score is scaled back to its old maximum, the check that the top
#: tier reaches the (unscaled) maximum.
_SCALED_BACK = "check.above_tiers"


def _check_arguments(draws: int, seed: int, robust_at: float) -> None:
    if draws < 1:
        raise ValueError(f"draws must be at least 1, not {draws}")
    if seed < 0:
        raise ValueError(f"seed must be 0 or more, not {seed}")
    if not 0.0 < robust_at <= 1.0:
        raise ValueError(f"robust_at must be in (0, 1], not {robust_at}")


def _refused(key: str, **args: str) -> DataError:
    return DataError([DataProblem(code="IK530", field="sensitivity", message=Message(key, **args))])


def _agrees_with_the_checker(
    linked: Any,
    analysis: Any,
    parameters: Sequence[DrawnParameter],
    values: Array,
    indices: npt.NDArray[np.intp],
) -> None:
    """The checker itself on draws spread over the run: the drawn plan must agree, or stop.

    The drawn plan must keep exactly the draws the checker accepts (but for the shares
    design) with exactly its maxima; else IK430. The drawn plan derives maxima and
    validity elementwise, following the checker's rules; this keeps that derivation
    honest on every run, whatever the ruleset.
    """
    if not parameters or not len(values):
        return
    drawn = {p.name: values[:, j] for j, p in enumerate(parameters)}
    plan, valid = lower_drawn(analysis, linked.sources, drawn)
    scaled = _scales_back(analysis, plan)
    for k, (row, index) in enumerate(zip(values, indices, strict=True)):
        params = dict(analysis.params)
        drawn_values = zip(parameters, row, strict=True)
        params.update({p.name: Fraction(repr(float(v))) for p, v in drawn_values})
        checked = analyse(linked, params)
        refused = [
            d
            for d in checked.errors
            if d.code not in _SHARES and not (scaled and d.message.key == _SCALED_BACK)
        ]
        if bool(valid[k]) == bool(refused):
            key = "sensitivity.checker_refuses" if refused else "sensitivity.checker_accepts"
            detail = refused[0].code if refused else ""
            raise _differs(analysis, parameters[0].name, key, str(index), detail)
        if refused:
            continue
        for name, maximum in plan.maxima.items():
            if np.ndim(maximum) and name in checked.maxima:
                ours, theirs = float(maximum[k]), float(checked.maxima[name])  # type: ignore[index]
                if not np.isclose(ours, theirs, rtol=1e-12, atol=0.0):
                    detail = f"{ours!r} / {theirs!r}"
                    raise _differs(
                        analysis, name, "sensitivity.checker_maximum", str(index), detail
                    )


def _scales_back(analysis: Any, drawn: p.Plan) -> bool:
    """Whether the tiered score is scaled back to its maximum at the assumed values.

    When its maximum follows the draws and is made of its members' or bands' points; not
    when declared with `max` (a declared maximum caps the score, it does not rescale it).
    """
    classification = drawn.classification
    if classification is None:
        return False
    subject = classification.subject
    definition = analysis.definitions.get(subject)
    declared = getattr(getattr(definition, "clauses", None), "max", None)
    return bool(np.ndim(drawn.maxima.get(subject, 0.0))) and declared is None


def _differs(analysis: Any, name: str, key: str, draw: str, detail: str) -> RulesetError:
    definition = analysis.definitions.get(name)
    return RulesetError(
        [
            Diagnostic(
                code="IK430",
                message=Message(key, name=name, draw=draw, detail=detail)
                if key == "sensitivity.checker_maximum"
                else Message(key, draw=draw, detail=detail),
                span=definition.span if definition is not None else None,
            )
        ]
    )


def _shares(tiers: npt.NDArray[np.int16], size: int) -> Array:
    """Per region, the share of the draws in each tier code 0 .. size-1 (NaN: no draws)."""
    probability = np.full((tiers.shape[1], size), np.nan)
    if len(tiers):
        for code in range(size):
            probability[:, code] = np.mean(tiers == code, axis=0)
    return probability


def _percentiles(scores: Array) -> Array:
    percentiles = np.full((scores.shape[1], len(PERCENTILES)), np.nan)
    scored = ~np.isnan(scores).all(axis=0)
    if len(scores) and scored.any():
        found = np.nanpercentile(scores[:, scored], PERCENTILES, axis=0).T
        percentiles[scored] = np.round(found, 9)  # interpolated: as decimals of 9 places
    return percentiles


def _name(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return str(value)


def drawn_parameters(ruleset: Ruleset) -> tuple[DrawnParameter, ...]:
    """The assumed parameters with a plausible range wider than a point, in ruleset order.

    A parameter given another value at load time (`params=`, `--params`) is not drawn:
    the user has chosen its value.
    """
    params = ruleset.params
    chosen = {r.definition for r in ruleset.provenance.numbers if r.override is not None}
    found = []
    for assumed in ruleset.provenance.assumed:
        if assumed.definition not in params or assumed.within is None:
            continue
        if assumed.definition in chosen:
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
    """`draws` x parameters, uniform in each range, as decimals the language holds.

    One block from one generator, row by row: the first k rows do not depend on `draws`.
    Each value is rounded to `DRAW_DIGITS` significant digits of its range's magnitude
    (at most 9 places), so a drawn value can be written in a ruleset and read back exactly.
    """
    uniform = np.random.default_rng(seed).random((draws, len(parameters)))
    low = np.array([p.low for p in parameters])
    high = np.array([p.high for p in parameters])
    values: Array = low + uniform * (high - low)
    for j, places in enumerate(_places(low, high)):
        values[:, j] = np.round(values[:, j], places)
    return np.clip(values, low, high)


def _places(low: Array, high: Array) -> list[int]:
    """Decimal places that keep `DRAW_DIGITS` significant digits across each range."""
    largest = np.maximum(np.abs(low), np.abs(high))
    whole = np.floor(np.log10(np.maximum(largest, 1e-300))).astype(int) + 1  # digits before .
    return [int(np.clip(DRAW_DIGITS - w, 0, PLACES)) for w in whole]


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
        self.failed = 0  # draws that keep the structure but fail on this data

    def evaluate_chunked(
        self, values: Array, chunk_rows: int
    ) -> tuple[npt.NDArray[np.int16], Array, npt.NDArray[np.bool_]]:
        per_chunk = max(1, chunk_rows // max(1, len(self.regions)))
        parts = [
            self.evaluate_or_split(values[start : start + per_chunk])
            for start in range(0, len(values), per_chunk)
        ]
        return (
            np.concatenate([t for t, _, _ in parts]),
            np.concatenate([s for _, s, _ in parts]),
            np.concatenate([v for _, _, v in parts]),
        )

    def evaluate_or_split(
        self, values: Array
    ) -> tuple[npt.NDArray[np.int16], Array, npt.NDArray[np.bool_]]:
        """`evaluate`, leaving out a draw that fails on the data.

        A division by zero or a value outside every drawn band: the draws are halved until
        the failing one is alone.
        """
        try:
            return self.evaluate(values)
        except DataError:
            if len(values) > 1:
                half = len(values) // 2
                parts = [
                    self.evaluate_or_split(values[:half]),
                    self.evaluate_or_split(values[half:]),
                ]
                return (
                    np.concatenate([t for t, _, _ in parts]),
                    np.concatenate([s for _, s, _ in parts]),
                    np.concatenate([v for _, _, v in parts]),
                )
        drawn = {p.name: values[:, j] for j, p in enumerate(self.parameters)}
        _, valid = lower_drawn(self.analysis, self.sources, drawn)
        self.failed += int(valid[0])  # an invalid draw is left out as such, not as failed
        size = len(self.regions)
        missing = np.full((1, size), TIER_MISSING, dtype=np.int16)
        return missing, np.full((1, size), np.nan), np.zeros(1, dtype=bool)

    def evaluate(self, values: Array) -> tuple[npt.NDArray[np.int16], Array, npt.NDArray[np.bool_]]:
        """Tier codes and scores (draws x regions) and which draws keep the structure."""
        draws, size = len(values), len(self.regions)
        drawn = {p.name: values[:, j] for j, p in enumerate(self.parameters)}
        plan, valid = lower_drawn(self.analysis, self.sources, drawn)
        plan = one_per_row(_scaled_back(plan, self.plan, self.analysis), size)
        columns = {name: np.tile(column, draws) for name, column in self.columns.items()}
        with np.errstate(invalid="ignore", divide="ignore"):  # rows of invalid draws
            env = run(plan, columns, _Repeated(self.regions, draws))
        classification = plan.classification
        assert classification is not None  # noqa: S101  # checked by the caller
        tiers = np.asarray(env["tier"], dtype=np.int16).reshape(draws, size)
        scores = np.asarray(env[classification.subject], dtype=np.float64).reshape(draws, size)
        return tiers, scores, valid if drawn else np.ones(draws, dtype=bool)


SCALED = "score scaled back"


def _scaled_back(drawn: p.Plan, plain: p.Plan, analysis: Any) -> p.Plan:
    """Tiers on the score scaled back to its maximum at the assumed values.

    Only when drawn points move that maximum: weights drawn as shares.
    """
    classification = drawn.classification
    assert classification is not None  # noqa: S101  # checked by the caller
    subject = classification.subject
    if not _scales_back(analysis, drawn):
        return drawn
    maximum = drawn.maxima[subject]
    step = next(s for s in drawn.steps if s.name == subject)
    with np.errstate(divide="ignore", invalid="ignore"):  # such draws are invalid, left out
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
    ranked_scores = _centred(_average_ranks(np.nan_to_num(scores, nan=0.0)))
    covariance = ranked_scores.T @ ranked_values
    spread = np.outer(
        np.sqrt((ranked_scores**2).sum(axis=0)), np.sqrt((ranked_values**2).sum(axis=0))
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        result: Array = np.where(spread > 0, covariance / spread, np.nan)
    # A region without a score in some draw, or whose score does not move beyond the
    # decimals' tolerance (scaling back can leave float noise): no correlation.
    result[np.isnan(scores).any(axis=0) | _still(scores)] = np.nan
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
    filled = np.nan_to_num(scores, nan=0.0)
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
    result[np.isnan(scores).any(axis=0) | _still(scores)] = np.nan  # as for the correlation
    return result


def _still(scores: Array) -> npt.NDArray[np.bool_]:
    """Per region, whether its score moves less than the decimals' tolerance over the draws."""
    with np.errstate(invalid="ignore"):
        spread = np.nanmax(scores, axis=0) - np.nanmin(scores, axis=0) if len(scores) else 0.0
        size = np.nanmax(np.abs(scores), axis=0) if len(scores) else 0.0
    return np.asarray(np.less_equal(spread, np.maximum(HALF_QUANTUM, RELATIVE * size)))


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


def _words(lang: str) -> dict[str, str]:
    """The report's sentences and verdicts in `lang` (the catalogue's)."""
    return phrases("sensitivity.report.", lang)


def _headers(kind: str, lang: str) -> list[str]:
    """Column titles: `column` (a line per region) or `parameter_column`."""
    return list(phrases(f"sensitivity.{kind}.", lang).values())


def _finite(value: float) -> float | None:
    return None if np.isnan(value) else float(value)
