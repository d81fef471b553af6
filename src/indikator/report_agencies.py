"""The report's table of agencies (OPD): each agency's indicators, most points to gain first.

Input: a `Ruleset`, its `Results`, one region's row and the language. Output: the table
as HTML (every text escaped): per agency a subtotal row (points, maximum, shortfall),
then its indicators with their points, maximum, shortfall and the basis of their numbers
(cited, with the source, or assumed, never with a source). Agencies, and the indicators
inside each, come in the order of the points their missing points would add to the
classified score, as `next` counts them: 1:1 through sums; scaled through means and
weights, over the members present. When some indicator is not 1:1, those gains are a
column of their own. An indicator's agency is its own, else its inputs'.
"""

from __future__ import annotations

import functools
import html
import math
from collections.abc import Mapping

import attrs

from indikator import plan as p
from indikator.attribution import agency_of, score_factors
from indikator.display import number
from indikator.report_summary import places_for
from indikator.report_words import words
from indikator.results import Results
from indikator.ruleset import Ruleset

__all__ = ["Agencies", "Agency"]

#: Float noise: a factor this close to 1 is 1.
_NOISE = 1e-9


@functools.lru_cache(maxsize=4096)
def _number(value: float | None, lang: str, places: int) -> str:
    """`display.number` with fixed decimals, remembered.

    The same maxima and points come back region after region, and Babel's formatting is
    most of a big report's time.
    """
    return number(value, lang, places=places, fixed=True)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


@attrs.frozen
class Agency:
    """One agency's rows of a region: its indicators, most points to gain first."""

    name: str
    steps: tuple[p.IndicatorStep, ...]
    gains: tuple[float | None, ...]  # points each would add to the classified score

    @property
    def gain(self) -> float:
        """What the agency's indicators would add in all."""
        return sum(g for g in self.gains if g is not None)


@attrs.frozen
class Agencies:
    """The agency tables of a report: what every region's table shares, worked out once."""

    ruleset: Ruleset
    results: Results
    lang: str
    owners: Mapping[str, str]  # each indicator's agency
    weighed: bool  # some indicator is not 1:1 on the score: show the gains
    factors: Mapping[str, float | str]  # points on the score per point, every member present

    @classmethod
    def of(cls, ruleset: Ruleset, results: Results, lang: str) -> Agencies:
        """The tables of `results`, in `lang`."""
        plan, none = ruleset.plan, words(lang)["no_agency"]
        steps = [s for s in plan.steps if isinstance(s, p.IndicatorStep)]
        owners = {s.name: agency_of(plan, s.name) or none for s in steps}
        factors = score_factors(plan)
        weighed = any(not isinstance(f, float) or abs(f - 1.0) > _NOISE for f in factors.values())
        return cls(ruleset, results, lang, owners, weighed, factors)

    @property
    def plan(self) -> p.Plan:
        """The ruleset's plan."""
        return self.ruleset.plan

    def value(self, name: str, index: int) -> float | None:
        """A region's value of a step, None when missing."""
        value = float(self.results.env[name][index])
        return None if math.isnan(value) else value

    def by_agency(self, index: int) -> list[Agency]:
        """One region's agencies with their indicators, most points to gain on the score first.

        An indicator's gain is what its missing points add to the classified score (as
        `next` counts it: 1:1 through sums, scaled through means and weights, over the
        members present); one with no such number (missing, or reached through a formula)
        comes last. Ties keep the ruleset's order; agencies tie by name.
        """
        present = {
            s.name: self.value(s.name, index) is not None
            for s in self.plan.steps
            if not isinstance(s, p.LetStep)
        }
        factors = (
            self.factors
            if all(present.values())
            else score_factors(self.plan, lambda name: present.get(name, True))
        )
        grouped: dict[str, list[tuple[p.IndicatorStep, float | None]]] = {}
        for step in self.plan.steps:
            if not isinstance(step, p.IndicatorStep):
                continue
            points, factor = self.value(step.name, index), factors.get(step.name)
            gain = None
            if points is not None and isinstance(factor, float):
                gain = max(step.maximum - points, 0.0) * factor
            grouped.setdefault(self.owners[step.name], []).append((step, gain))
        agencies = []
        for name, rows in grouped.items():
            rows.sort(key=lambda row: (row[1] is None, -(row[1] or 0.0)))  # stable
            steps, gains = zip(*rows, strict=True)
            agencies.append(Agency(name, tuple(steps), tuple(gains)))
        return sorted(agencies, key=lambda a: (-a.gain, a.name))

    def table(self, index: int) -> str:
        """One region's table, with its heading."""
        agencies = self.by_agency(index)
        weighed = self.weighed
        values = [self.value(s.name, index) for a in agencies for s in a.steps]
        show = functools.partial(
            _number,
            lang=self.lang,
            places=places_for([*values, *(g for a in agencies for g in a.gains)]),
        )
        w = words(self.lang)
        rows = []
        for agency in agencies:
            points = sum(self.value(s.name, index) or 0.0 for s in agency.steps)
            maximum = sum(s.maximum for s in agency.steps)
            gain = f'<td class="num">{show(agency.gain)}</td>' if weighed else ""
            rows.append(
                f'<tr class="subtotal"><td colspan="2">{_e(agency.name)}</td>'
                f'<td class="num">{show(points)}</td><td class="num">{show(maximum)}</td>'
                f'<td class="num">{show(maximum - points)}</td>{gain}<td></td></tr>'
            )
            for step, step_gain in zip(agency.steps, agency.gains, strict=True):
                points_ = self.value(step.name, index)
                short = None if points_ is None else step.maximum - points_
                label = step.label.text(self.lang) if step.label else step.name
                gain = f'<td class="num">{show(step_gain)}</td>' if weighed else ""
                rows.append(
                    f"<tr><td></td><td>{_e(label)}</td>"
                    f'<td class="num">{show(points_)}</td><td class="num">{show(step.maximum)}</td>'
                    f'<td class="num">{show(short)}</td>{gain}{self.basis(step.name)}</tr>'
                )
        gain_head = f'<th class="num">{_e(w["gain"])}</th>' if weighed else ""
        return (
            f'<h3>{_e(w["agencies"])}</h3>\n<table class="agencies"><thead><tr>'
            f"<th>{_e(w['agency'])}</th>"
            f'<th>{_e(w["indicator"])}</th><th class="num">{_e(w["points"])}</th>'
            f'<th class="num">{_e(w["maximum"])}</th><th class="num">{_e(w["short"])}</th>'
            f"{gain_head}<th>{_e(w['basis'])}</th></tr></thead><tbody>{''.join(rows)}"
            "</tbody></table>\n"
        )

    def basis(self, name: str) -> str:
        """The provenance cell: 'dirujuk: ID passage' (also on hover), or 'asumsi'.

        An assumed number never shows a source.
        """
        mark = self.ruleset.provenance.mark(name)
        if mark.kind == "cited" and mark.sources:
            shown = f"{words(self.lang)['cited']}: {mark.text(self.lang)}"
            return f'<td class="cited" title="{_e(shown)}">{_e(shown)}</td>'
        if mark.kind == "structural":
            return "<td></td>"
        return f'<td class="{mark.kind}">{_e(mark.text(self.lang))}</td>'
