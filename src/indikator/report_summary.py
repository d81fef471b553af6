"""The report's views over all regions: the tier distribution, ranks and roll-ups.

Input: a `Results` (with its plan) and the language. Output: HTML fragments (strings,
every text escaped) and the per-region rank texts the region pages show. The tier
distribution is a table and a bar chart (one bar per tier, highest first). Each `rank` of
the ruleset gives, per region, '2 dari 15' together with the value of its grouping column
(the province), since a rank means nothing without what it ranks within. Each `rollup`
gives a table (one row per value of its `by` column, one column per item, numbers in the
reader's notation: counts, means with two decimals, shares as percentages, all/any as
yes/no) and a chart: each group's regions split by tier, or, for a ruleset without tiers,
its first mean as a bar against the scale. A rollup whose grouping column has an empty
cell raises the evaluator's IK505 error naming the rows.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence

import attrs
import numpy as np

from indikator import plan as p
from indikator.display import number, percent
from indikator.messages import phrases
from indikator.report_charts import NO_TIER, Bar, Row, bar_chart, count_chart, stacked_chart
from indikator.report_charts import tier_colours as colours_for
from indikator.report_words import label_of, words
from indikator.results import Results

__all__ = ["Ranks", "Summary", "places_for"]

#: Float noise: a value this close to a whole number (or one decimal) is one.
_NOISE = 1e-9


def places_for(values: Iterable[float | None]) -> int:
    """The decimals a column needs (at most 2), so '772,60' lines up with '595,84'.

    Examples:
        >>> places_for([772.6, 595.84]), places_for([92.0, 91.9]), places_for([None, 3.0])
        (2, 1, 0)
    """
    return max(
        (
            next((k for k in (0, 1) if abs(round(v, k) - v) < _NOISE), 2)
            for v in values
            if v is not None
        ),
        default=0,
    )


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


@attrs.frozen
class Ranks:
    """Every rank of the ruleset as text per region: '2 dari 15' and what it ranks within."""

    results: Results
    lang: str

    @property
    def steps(self) -> tuple[p.RankStep, ...]:
        """The ruleset's ranks, in order."""
        return self.results.plan.ranks

    def title(self, rank: p.RankStep) -> str:
        """The rank's label ('Peringkat dalam provinsi')."""
        return label_of(self.results.plan, rank.name, self.lang)

    def within(self, rank: p.RankStep, index: int) -> str:
        """The value of the grouping column ('Contoh Barat'), or '' for a single ranking."""
        if rank.within is None:
            return ""
        value = self.results.env[rank.within][index]
        return "" if value is None else str(value)

    def text(self, rank: p.RankStep, index: int) -> str:
        """'2 dari 15': the place among the ranked regions of the same group; '-' unranked."""
        ranks = np.asarray(self.results.env[rank.name], dtype=float)
        if math.isnan(ranks[index]):
            return "-"
        if rank.within is None:
            peers = ~np.isnan(ranks)
        else:
            groups = self.results.env[rank.within]
            peers = ~np.isnan(ranks) & (groups == groups[index])
        of = words(self.lang)["of"]
        return f"{number(ranks[index], self.lang)} {of} {number(int(peers.sum()), self.lang)}"


@attrs.frozen
class Summary:
    """The tier distribution and the roll-ups of all regions, as HTML."""

    results: Results
    lang: str
    scale_top: float

    @property
    def plan(self) -> p.Plan:
        """The plan of the results."""
        return self.results.plan

    @property
    def words(self) -> Mapping[str, str]:
        """The report's words in the language."""
        return words(self.lang)

    def tiers(self) -> list[tuple[str, str]]:
        """(id, label) of every tier code, lowest first: 'below', then each tier."""
        c = self.plan.classification
        assert c is not None  # noqa: S101  # callers check
        return [("below", c.below.text(self.lang))] + [
            (name, label.text(self.lang)) for name, label in zip(c.names, c.labels, strict=True)
        ]

    def distribution(self) -> str:
        """How many regions hold each tier: a table and a chart, highest tier first."""
        if self.plan.classification is None:
            return ""
        codes = self.results.tier_codes.tolist()
        tiers = self.tiers()
        colours = colours_for(len(tiers))
        rows = [(name, label, codes.count(k)) for k, (name, label) in enumerate(tiers)][::-1]
        colours = colours[::-1]
        if -1 in codes:
            rows.append(("", self.words["no_tier"], codes.count(-1)))
            colours.append(NO_TIER)
        w = self.words
        body = "".join(
            f'<tr><td>{_e(label)}</td><td class="num">{number(n, self.lang)}</td>'
            f'<td class="num">{_e(percent(n / len(codes) if codes else None, self.lang))}</td></tr>'
            for _, label, n in rows
        )
        table = (
            f'<table class="distribution"><thead><tr><th>{_e(w["tier"])}</th>'
            f'<th class="num">{_e(w["count"])}</th><th class="num">{_e(w["share"])}</th></tr>'
            f"</thead><tbody>{body}</tbody></table>\n"
        )
        chart = count_chart(rows, colours, w["distribution"], self.lang)
        return f'<div class="pair">{table}{chart}</div>\n'

    def rollups(self) -> str:
        """A section per rollup of the ruleset: its table and its chart."""
        return "".join(self.rollup(step) for step in self.plan.rollups)

    def rollup(self, step: p.RollupStep) -> str:
        """One roll-up: its table and its chart."""
        table = self.results.rollup(step.name)
        groups = [str(g) for g in table[step.by]]
        places = {name: places_for(map(_float, table[name])) for name, _, _ in step.items}
        heads = [label_of(self.plan, step.by, self.lang)] + [
            label.text(self.lang) if label else name
            for (name, _, _), label in zip(step.items, step.labels, strict=True)
        ]
        head = f"<th>{_e(heads[0])}</th>" + "".join(
            f'<th class="num">{_e(h)}</th>' for h in heads[1:]
        )
        body = "".join(
            f"<tr><td>{_e(group)}</td>"
            + "".join(
                f'<td class="num">{_e(self.cell(function, table[name][row], places[name]))}</td>'
                for name, function, _ in step.items
            )
            + "</tr>"
            for row, group in enumerate(groups)
        )
        title = step.label.text(self.lang) if step.label else step.name
        return (
            f'<section class="rollup" id="rollup-{_e(step.name)}">\n<h2>{_e(title)}</h2>\n'
            f'<div class="wide"><table class="rollup"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>\n{self.rollup_chart(step, groups, table)}"
            "</section>\n"
        )

    def cell(self, function: str, value: object, places: int = 2) -> str:
        """One roll-up value in the reader's notation."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "-"
        assert isinstance(value, int | float)  # noqa: S101  # Results.rollup: counts are ints
        value = float(value)
        match function:
            case "count":
                return number(value, self.lang, places=0)
            case "share":
                return percent(value / 100, self.lang)
            case "all" | "any":
                return phrases("value.", self.lang)["yes" if value == 1.0 else "no"]
        return number(value, self.lang, places=places, fixed=True)

    def rollup_chart(
        self, step: p.RollupStep, groups: Sequence[str], table: dict[str, list[object]]
    ) -> str:
        """Each group's regions by tier; without tiers, the first mean against the scale."""
        title = step.label.text(self.lang) if step.label else step.name
        if self.plan.classification is not None:
            tiers = self.tiers()
            codes = self.results.tier_codes
            keys = np.asarray([str(k) for k in self.results.env[step.by]], dtype=object)
            rows = [
                Row(label=group, counts=tuple(int(((keys == group) & (codes == k)).sum())
                                              for k in (*range(len(tiers)), -1)))
                for group in groups
            ]  # fmt: skip
            colours = [*colours_for(len(tiers)), NO_TIER]
            missing = any(row.counts[-1] for row in rows)
            named = [*tiers, ("", self.words["no_tier"])] if missing else tiers
            if not missing:
                rows = [attrs.evolve(row, counts=row.counts[:-1]) for row in rows]
                colours = colours[:-1]
            heading = f"{self.words['tiers_per']} {label_of(self.plan, step.by, self.lang)}"
            return stacked_chart(rows, named, colours, heading, self.lang, self.words["regions"])
        mean = next((name for name, function, _ in step.items if function == "mean"), None)
        if mean is None:
            return ""
        bars = [
            Bar(name=group, label=group, points=_float(value), maximum=self.scale_top)
            for group, value in zip(groups, table[mean], strict=True)
        ]
        return bar_chart(bars, title, self.lang)


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
