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

import attrs

from indikator import plan as p
from indikator.attribution import agency_of, score_factors
from indikator.display import number
from indikator.messages import phrases
from indikator.report_summary import places_for
from indikator.results import Results
from indikator.ruleset import Ruleset

__all__ = ["Agencies", "Agency"]

#: Float noise: a factor this close to 1 is 1.
_NOISE = 1e-9


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
    """One region's agency table."""

    ruleset: Ruleset
    results: Results
    index: int
    lang: str

    @property
    def plan(self) -> p.Plan:
        """The ruleset's plan."""
        return self.ruleset.plan

    @property
    def words(self) -> dict[str, str]:
        """The report's words in the language."""
        return phrases("report.", self.lang)

    def value(self, name: str) -> float | None:
        """The region's value of a step, None when missing."""
        value = float(self.results.env[name][self.index])
        return None if math.isnan(value) else value

    def by_agency(self) -> list[Agency]:
        """The agencies with their indicators, most points to gain on the score first.

        An indicator's gain is what its missing points add to the classified score (as
        `next` counts it: 1:1 through sums, scaled through means and weights, over the
        members present); one with no such number (missing, or reached through a formula)
        comes last. Ties keep the ruleset's order; agencies tie by name.
        """
        present = {
            s.name: self.value(s.name) is not None
            for s in self.plan.steps
            if not isinstance(s, p.LetStep)
        }
        factors = score_factors(self.plan, lambda name: present.get(name, True))
        grouped: dict[str, list[tuple[p.IndicatorStep, float | None]]] = {}
        for step in self.plan.steps:
            if not isinstance(step, p.IndicatorStep):
                continue
            points, factor = self.value(step.name), factors.get(step.name)
            gain = None
            if points is not None and isinstance(factor, float):
                gain = max(step.maximum - points, 0.0) * factor
            agency = agency_of(self.plan, step.name) or self.words["no_agency"]
            grouped.setdefault(agency, []).append((step, gain))
        agencies = []
        for name, rows in grouped.items():
            rows.sort(key=lambda row: (row[1] is None, -(row[1] or 0.0)))  # stable
            steps, gains = zip(*rows, strict=True)
            agencies.append(Agency(name, tuple(steps), tuple(gains)))
        return sorted(agencies, key=lambda a: (-a.gain, a.name))

    def table(self) -> str:
        """The table, with its heading."""
        agencies = self.by_agency()
        factors = score_factors(self.plan).values()
        weighed = any(not isinstance(f, float) or abs(f - 1.0) > _NOISE for f in factors)
        values = [self.value(s.name) for a in agencies for s in a.steps]
        show = functools.partial(
            number,
            lang=self.lang,
            places=places_for([*values, *(g for a in agencies for g in a.gains)]),
            fixed=True,
        )
        w = self.words
        rows = []
        for agency in agencies:
            points = sum(self.value(s.name) or 0.0 for s in agency.steps)
            maximum = sum(s.maximum for s in agency.steps)
            gain = f'<td class="num">{show(agency.gain)}</td>' if weighed else ""
            rows.append(
                f'<tr class="subtotal"><td colspan="2">{_e(agency.name)}</td>'
                f'<td class="num">{show(points)}</td><td class="num">{show(maximum)}</td>'
                f'<td class="num">{show(maximum - points)}</td>{gain}<td></td></tr>'
            )
            for step, step_gain in zip(agency.steps, agency.gains, strict=True):
                points_ = self.value(step.name)
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
            shown = f"{self.words['cited']}: {mark.text(self.lang)}"
            return f'<td class="cited" title="{_e(shown)}">{_e(shown)}</td>'
        if mark.kind == "structural":
            return "<td></td>"
        return f'<td class="{mark.kind}">{_e(mark.text(self.lang))}</td>'
