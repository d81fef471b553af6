"""What an excluded cell is worth: the score with the worst and the best value in the gap.

An input declared `missing exclude` leaves its indicator out when the cell is empty and
renormalises the group over what remains. That is right where the scheme itself does so
(a city has no village budget), but it also means an empty cell can *pay*: a region that
leaves the cell empty may outrank one that honestly reports a poor value. `gaps` measures
it, for every region and every excluded cell: the table is evaluated again with the gap
filled by each value the input can take that may change its points (the two ends of its
declared range, the band edges and a value inside every band, the ends of a linear scale;
`tidak` and `ya`; every option), with `evaluate_many` over all regions at once, and the
lowest and highest resulting scores are the cell's worth (ordered by score, then tier;
among equal outcomes an end of the declared range is the value shown).

A region *gains by leaving it empty* when its score as evaluated is above its score with
the worst value in the gap. The worst value, not a neutral one (a mean, the middle of the
range), is the yardstick on purpose: it is what `missing zero` ("no evidence, no credit")
gives, and it is the only one under which no honest answer is ever beaten by an empty
cell; against a neutral value every region whose true value lies below it still gains.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from indikator.attribution import agency_of
from indikator.cells import missing_mask, parse_texts
from indikator.data import Table, table_columns
from indikator.display import number, table
from indikator.messages import Message
from indikator.plan import BandsIR, IndicatorStep, InputSpec, LinearIR, Plan
from indikator.ruleset import Ruleset

__all__ = ["GapWorth", "Gaps", "gaps"]

#: Scores closer than this are the same score (float noise of a renormalised mean).
_TOLERANCE = 1e-9


@attrs.frozen(kw_only=True)
class GapWorth:
    """One region's excluded cell: its score as evaluated, and with the worst and best value.

    `worst_value` and `best_value` are the values put in the gap (a number, 'tidak'/'ya',
    an option); worst and best order by score, then by tier (a value that only moves a tier
    requirement). `tier*` are the tier labels (None without tiers). `gains`: the score as
    evaluated is above the score with the worst value, or its tier above that one's tier.
    """

    region: str
    name: str | None
    input: str
    agency: str | None
    score: float
    worst: float
    best: float
    worst_value: float | str
    best_value: float | str
    tier: str | None = None
    tier_worst: str | None = None
    tier_best: str | None = None
    gains: bool = False  # the empty cell scores (or ranks) above the worst honest answer

    @property
    def tier_changes(self) -> bool:
        """Whether some value in the gap would give another tier."""
        return self.tier_worst != self.tier or self.tier_best != self.tier

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (no NaN: a missing score is None)."""
        return {
            **{k: _finite(v) for k, v in attrs.asdict(self).items()},
            "tier_changes": self.tier_changes,
        }


@attrs.frozen(kw_only=True)
class Gaps:
    """Every excluded cell of a table, with its worth; see `gaps`."""

    lang: str
    subject: str  # the score compared: the classified one, or the last step
    cells: tuple[GapWorth, ...]

    @property
    def gaming(self) -> tuple[str, ...]:
        """The regions that gain by leaving some cell empty, in table order."""
        return tuple(dict.fromkeys(c.region for c in self.cells if c.gains))

    def of(self, region: str) -> tuple[GapWorth, ...]:
        """The excluded cells of one region."""
        return tuple(c for c in self.cells if c.region == region)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "score": self.subject,
            "cells": [c.to_dict() for c in self.cells],
            "gaming": list(self.gaming),
        }

    def to_text(self, region: str | None = None) -> str:
        """The table of excluded cells (of one region if given), and the gaming verdict."""
        cells = self.of(region) if region is not None else self.cells
        lang = self.lang
        if not cells:
            return _say("gaps.none", lang)
        tiers = any(c.tier is not None for c in cells)
        heads = ["region", "name", "input", "score", "worst", "best", "tier", "flag"]
        headers = [_say(f"gaps.col_{h}", lang) for h in heads if tiers or h != "tier"]
        rows = []
        for c in cells:
            row = [c.region, c.name or "", c.input, _show(c.score, lang)]
            row += [f"{_show(c.worst, lang)} ({_show(c.worst_value, lang)})"]
            row += [f"{_show(c.best, lang)} ({_show(c.best_value, lang)})"]
            if tiers:
                row.append(f"{c.tier or '-'} ({c.tier_worst or '-'} .. {c.tier_best or '-'})")
            row.append(_say("gaps.flag_gains", lang) if c.gains else "")
            rows.append(row)
        lines = [_say("gaps.title", lang, score=self.subject), table(headers, rows)]
        gaming = [r for r in self.gaming if region is None or r == region]
        if gaming:
            lines += ["", _say("gaps.gaming", lang, count=str(len(gaming)))]
            lines.append(_say("gaps.hint", lang))
        else:
            lines += ["", _say("gaps.no_gaming", lang)]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()


def gaps(ruleset: Ruleset, raw_table: Any, *, extra: str = "error", lang: str = "id") -> Gaps:
    """The worth of every empty cell of a `missing exclude` input, per region.

    The table must be one `evaluate_many` accepts (else its `DataError` is raised).

    Examples:
        >>> from indikator import loads
        >>> rs = loads('''
        ... ruleset d { scale 0 to 100  region kode }
        ... input kode: text
        ... input a: percent { missing zero }
        ... input b: percent { missing exclude }
        ... indicator ia = linear a from 0 to 100 onto 0 to 50
        ... indicator ib = linear b from 0 to 100 onto 0 to 50
        ... group total = sum(ia, ib)
        ... ''')
        >>> report = gaps(rs, {"kode": ["01", "02"], "a": [80, 80], "b": ["", 40]})
        >>> [(c.region, c.score, c.worst, c.best, c.gains) for c in report.cells]
        [('01', 80.0, 40.0, 90.0, True)]
        >>> report.gaming
        ('01',)
    """
    plan = ruleset.plan
    raw = table_columns(raw_table)
    lang = "en" if lang == "en" else "id"
    base = ruleset.evaluate_many(raw, extra=extra)
    subject = plan.classification.subject if plan.classification else plan.steps[-1].name
    score = np.asarray(base.total, dtype=np.float64)
    codes = base.tier_codes if plan.classification else None
    labels = _tier_labels(plan, lang)
    names = _texts(raw, plan.region_name, len(base))
    found: list[tuple[int, int, GapWorth]] = []
    for order, spec in enumerate(plan.inputs):
        columns = [c for c in _columns(spec) if c in raw]
        if spec.missing != "exclude" or not columns:
            continue
        empty = {c: missing_mask(raw[c]) for c in columns}
        rows = np.flatnonzero(np.logical_or.reduce(list(empty.values())))
        if not len(rows):
            continue
        values = _candidates(spec, plan)
        scores = np.empty((len(values), len(rows)))
        tiers = np.zeros((len(values), len(rows)), dtype=np.int64)
        for k, value in enumerate(values):
            filled = _filled(raw, empty, value)
            results = ruleset.evaluate_many(filled, extra=extra)
            scores[k] = np.asarray(results.total, dtype=np.float64)[rows]
            if plan.classification:
                tiers[k] = results.tier_codes[rows]
        # Ordered by score, then tier, per region; a missing score sorts below every score.
        # Among equal outcomes the ends of the declared range are shown (0 %, not 65 %).
        ends = np.array([v in (spec.low, spec.high) for v in values], dtype=np.int64)
        preferred = np.broadcast_to(ends[:, None], scores.shape)
        finite = np.where(np.isnan(scores), -np.inf, scores)
        low = np.asarray(np.lexsort((-preferred, tiers, finite), axis=0), dtype=np.intp)[0]
        high = np.asarray(np.lexsort((preferred, tiers, finite), axis=0), dtype=np.intp)[-1]
        agency = agency_of(plan, spec.name)
        for j, row in enumerate(rows.tolist()):
            lo, hi = int(low[j]), int(high[j])
            worth = GapWorth(
                region=base.regions[row], name=names[row], input=spec.name, agency=agency,
                score=float(score[row]), worst=float(scores[lo, j]), best=float(scores[hi, j]),
                worst_value=values[lo], best_value=values[hi],
                tier=_label(labels, codes, row), tier_worst=_code(labels, int(tiers[lo, j])),
                tier_best=_code(labels, int(tiers[hi, j])),
                gains=_gains(float(score[row]), float(scores[lo, j]),
                             -1 if codes is None else int(codes[row]), int(tiers[lo, j])),
            )  # fmt: skip
            found.append((row, order, worth))
    found.sort(key=lambda f: (f[0], f[1]))
    return Gaps(lang=lang, subject=subject, cells=tuple(w for _, _, w in found))


def _gains(score: float, worst: float, tier: int, worst_tier: int) -> bool:
    """Above the worst answer's score (beyond float noise), or in a higher tier than it."""
    if math.isnan(score):
        return False
    above = math.isnan(worst) or score > worst + _TOLERANCE * max(1.0, abs(worst))
    return above or tier > worst_tier


def _candidates(spec: InputSpec, plan: Plan) -> list[float | str]:
    """The values an input can take that may change its points, worst and best among them."""
    if spec.kind in ("yesno", "checklist"):
        return ["tidak", "ya"]
    if spec.kind == "option":
        return list(spec.choices)
    points: set[float] = {v for v in (spec.low, spec.high) if v is not None}
    for step in plan.steps:
        if not isinstance(step, IndicatorStep) or spec.name not in step.inputs:
            continue
        scoring = step.scoring
        if isinstance(scoring, BandsIR):
            points.update(round(c, 6) for c in scoring.cuts if math.isfinite(c))
            points.update(end[0] for end in (scoring.lowest, scoring.highest) if end is not None)
        elif isinstance(scoring, LinearIR):
            points.update((scoring.start, scoring.stop))
    edges = sorted(points) or [0.0]
    inner = [(a + b) / 2 for a, b in itertools.pairwise(edges)]
    outer = [] if spec.low is not None else [edges[0] - 1]
    outer += [] if spec.high is not None else [edges[-1] + 1]
    values = sorted({*edges, *inner, *outer})
    if spec.kind == "count":
        values = sorted({float(f(v)) for v in values for f in (math.floor, math.ceil)})
    low = -math.inf if spec.low is None else spec.low
    high = math.inf if spec.high is None else spec.high
    return [v for v in values if low <= v <= high]


def _columns(spec: InputSpec) -> list[str]:
    """The columns of an input this year: one per checklist item, else its name."""
    if spec.kind == "checklist":
        return [f"{spec.name}.{item}" for item in spec.choices]
    return [spec.name]


def _filled(raw: Table, empty: dict[str, npt.NDArray[np.bool_]], value: float | str) -> Table:
    """A copy of the table with `value` in the empty cells of the given columns."""
    columns = dict(raw)
    for name, mask in empty.items():
        column = columns[name].astype(object)
        column[mask] = value
        columns[name] = column
    return Table(columns, locale=raw.locale)


def _tier_labels(plan: Plan, lang: str) -> list[str] | None:
    c = plan.classification
    if c is None:
        return None
    return [c.below.text(lang), *(label.text(lang) for label in c.labels)]


def _code(labels: list[str] | None, code: int) -> str | None:
    return labels[code] if labels is not None and code >= 0 else None


def _label(labels: list[str] | None, codes: npt.NDArray[np.int16] | None, row: int) -> str | None:
    return None if codes is None else _code(labels, int(codes[row]))


def _texts(raw: Table, column: str | None, size: int) -> Sequence[str | None]:
    if column is None or column not in raw:
        return [None] * size
    return [None if v is None else str(v) for v in parse_texts(raw[column]).tolist()]


def _finite(value: object) -> object:
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _show(value: float | str, lang: str) -> str:
    """A number as the other commands show it (`595,84`); text (an option) as it is."""
    return value if isinstance(value, str) else number(value, lang)


def _say(key: str, lang: str, **args: str) -> str:
    return Message(key, **args).render(lang)
