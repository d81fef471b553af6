"""HTML reports: one region's result, or a page of every region, as one self-contained file.

Input: a `Ruleset` and the `Results` of evaluating it. Output: an HTML page (a string, or
a file written atomically) with inline CSS and inline SVG: no script, no external style
sheet, font or image, so it opens anywhere, offline, can be mailed as is and printed to
PDF from the browser (A4, each region on its own pages). For all regions: the tiers'
distribution (table and chart), each `rollup` of the ruleset (table and chart per
province or whatever it groups by) and a table of every region with its ranks and what
they rank within. Per region: the tier, the total against the scale, its ranks, the
points of each group as a bar chart, what is missing for the next tier, the tiers'
requirements with the values they read (labels, not identifiers), the indicators by
responsible agency (OPD), the agency with most points to gain first and, inside it, the
indicator with most points to gain first, the full explanation; then the sources and
every assumed number. Words are Indonesian unless `lang="en"`, and so are numbers
(`595,84`, `1.000`, `61,5 %`). Every piece of text is HTML-escaped: labels and region
names come from files. Errors: `KeyError` for an unknown region id; a roll-up over an
empty grouping cell raises the evaluator's IK505 error.
"""

from __future__ import annotations

import functools
import html
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

import attrs

from indikator import plan as p
from indikator.display import number, places_beside
from indikator.evidence import EvidenceReport
from indikator.explain import Explanation
from indikator.messages import phrases
from indikator.report_agencies import Agencies
from indikator.report_charts import Bar, bar_chart
from indikator.report_evidence import evidence_section
from indikator.report_page import page
from indikator.report_sources import sources_section
from indikator.report_summary import Ranks, Summary, places_for
from indikator.report_words import condition_text, gate_detail, label_of
from indikator.results import Results
from indikator.ruleset import Ruleset
from indikator.sensitivity import Sensitivity
from indikator.tables import replace_atomically

__all__ = ["render_report", "write_report"]


@functools.cache
def _status(lang: str) -> Mapping[str, str]:
    """The explanation's words ('syarat terpenuhi' ...), looked up once."""
    return MappingProxyType(phrases("explain.", lang))


def _e(text: object) -> str:
    """Escape text for HTML: labels and region names come from files."""
    return html.escape(str(text), quote=True)


def _number(value: float | None, lang: str) -> str:
    """A number in the reader's notation with at most 2 decimals (`595,84`)."""
    return number(value, lang, places=2)


def render_report(
    ruleset: Ruleset,
    results: Results,
    *,
    region: str | None = None,
    lang: str = "id",
    note: str | None = None,
    sensitivity: Sensitivity | None = None,
    evidence: EvidenceReport | None = None,
    sections: str = "",
) -> str:
    """The report as one HTML page: one region (by id), or every region with an overview.

    `sections`: more sections (HTML, escaped by their maker), after the overview: the
    season's stages and the per-group view (`report_stages`).

    With `sensitivity` (from `Ruleset.sensitivity` on the same table), a section says how
    sure each region's tier is under the assumed numbers' plausible ranges. With `evidence`
    (`evidence.check_evidence` on the same regions), a section lists the documents (*data
    dukung*) still lacking, per agency.

    `note` (such as the synthetic-data banner of `tables.DataNote.banner`) is shown in a
    box under the heading, and so is the ruleset's assumption banner
    (`Provenance.banner`) when any scoring number is assumed. Each indicator row of the
    agency table names what its numbers rest on: 'dirujuk: ID passage' or 'asumsi'; an
    assumed indicator never shows a source.
    """
    words = phrases("report.", lang)
    tiers = results.tiers(lang) if ruleset.plan.classification else []
    view = _View(ruleset, results, lang, words, tiers, Agencies.of(ruleset, results, lang))
    title = ruleset.header.title.text(lang) if ruleset.header and ruleset.header.title else ""
    title = title or ruleset.name
    if region is not None:
        try:
            index = results.regions.index(region)
        except ValueError:
            msg = f"no region '{region}'"
            raise KeyError(msg) from None
        heading = f"{title} — {view.region_title(index)}"
        body = (
            sections
            + _sensitivity_section(sensitivity, lang, [index])
            + view.region_section(index, heading=False)
        )
    else:
        count = number(len(results), lang)
        heading = f"{title} — {words['overview']} ({count} {words['regions']})"
        body = (
            view.overview()
            + sections
            + _sensitivity_section(sensitivity, lang, range(len(results)))
            + "".join(view.region_section(i) for i in range(len(results)))
        )
    banner = "".join(
        f'<p class="banner" role="note">{_e(text)}</p>\n'
        for text in (note, ruleset.provenance.banner(lang))
        if text is not None
    )
    if evidence is not None:
        body += evidence_section(evidence, region)
    sources = sources_section(ruleset, lang)
    return page(heading, view.subtitle(), banner + body + sources, lang, words["footer"])


def _sensitivity_section(sensitivity: Sensitivity | None, lang: str, rows: Iterable[int]) -> str:
    """How sure each tier is: the run, the whole-data view and a row per region."""
    if sensitivity is None:
        return ""
    heading = phrases("report.", lang)["sensitivity"]
    summary = "".join(f"<p>{_e(line)}</p>\n" for line in sensitivity.summary(lang))
    head = "".join(f"<th>{_e(c)}</th>" for c in sensitivity.columns(lang))
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(c)}</td>" for c in sensitivity.text_row(i, lang)) + "</tr>\n"
        for i in rows
    )
    return (
        f'<section class="sensitivity">\n<h2>{_e(heading)}</h2>\n{summary}'
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n"
        "</section>\n"
    )


def write_report(
    ruleset: Ruleset,
    results: Results,
    path: str | Path,
    *,
    region: str | None = None,
    lang: str = "id",
    note: str | None = None,
    sensitivity: Sensitivity | None = None,
    evidence: EvidenceReport | None = None,
    sections: str = "",
) -> None:
    """Write `render_report` to `path`, replacing any old file atomically."""
    text = render_report(
        ruleset,
        results,
        region=region,
        lang=lang,
        note=note,
        sensitivity=sensitivity,
        evidence=evidence,
        sections=sections,
    )
    replace_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))


@attrs.frozen
class _View:
    """What every part of the page reads: the ruleset, the results and the words."""

    ruleset: Ruleset
    results: Results
    lang: str
    words: Mapping[str, str]
    tiers: Sequence[str | None]  # every region's tier label, looked up once
    agencies: Agencies  # the agency table's facts, worked out once

    @property
    def plan(self) -> p.Plan:
        return self.ruleset.plan

    @property
    def cuts(self) -> tuple[float, ...]:
        """The tier cut points: a score is shown with the decimals that keep it beside them."""
        c = self.plan.classification
        return tuple(c.cuts) if c else ()

    @property
    def subject(self) -> str:
        c = self.plan.classification
        return c.subject if c else self.plan.steps[-1].name

    def value(self, name: str, index: int) -> float | None:
        value = float(self.results.env[name][index])
        return None if math.isnan(value) else value

    def number_of(self, name: str, index: int) -> float:
        """A numeric column's value, NaN for a missing or a text one."""
        column = self.results.env.get(name)
        if column is None or column.dtype.kind != "f":
            return math.nan
        return float(column[index])

    def region_name(self, index: int) -> str:
        """The region's name from the ruleset's `name` column, or ''."""
        column = self.plan.region_name
        name = self.results.env[column][index] if column and column in self.results.env else None
        return str(name) if name else ""

    def region_title(self, index: int) -> str:
        return f"{self.results.regions[index]} {self.region_name(index)}".strip()

    def subtitle(self) -> str:
        edition = self.ruleset.edition
        return f"{self.ruleset.name}" + (f", {self.words['edition']} {edition}" if edition else "")

    def scale_top(self) -> float:
        header = self.ruleset.header
        if header and header.scale:
            return float(header.scale[1])
        return self.plan.maxima.get(self.subject, math.nan)

    def tier(self, index: int) -> str | None:
        return self.tiers[index] if self.tiers else None

    @property
    def ranks(self) -> Ranks:
        return Ranks(self.results, self.lang)

    # -- the overview of all regions ----------------------------------------------------

    def overview(self) -> str:
        summary = Summary(self.results, self.lang, self.scale_top())
        distribution = summary.distribution()
        first = (
            f'<section class="overview" id="overview">\n<h2>{_e(self.words["overview"])}</h2>\n'
            f"{distribution}{self.table()}</section>\n"
        )
        return first + summary.rollups()

    def table(self) -> str:
        """Every region: code, name, what it is ranked within, ranks, total and tier."""
        w = self.words
        ranks = self.ranks
        withins = list(dict.fromkeys(r.within for r in ranks.steps if r.within))
        heads = [f"<th>{_e(w['code'])}</th><th>{_e(w['name'])}</th>"]
        heads += [f"<th>{_e(label_of(self.plan, c, self.lang))}</th>" for c in withins]
        heads += [f'<th class="num">{_e(ranks.title(r))}</th>' for r in ranks.steps]
        heads.append(f'<th class="num">{_e(w["total"])}</th>')
        heads.append(f"<th>{_e(w['tier'])}</th>" if self.plan.classification else "")
        totals = [self.value(self.subject, i) for i in range(len(self.results))]
        # a column's decimals, more where a score would otherwise show on a tier edge
        places = max([places_for(totals), *(places_beside(t, self.cuts, 0) for t in totals)])
        rows = []
        for i, total in enumerate(totals):
            cells = [
                f'<td><a href="#r{i}">{_e(self.results.regions[i])}</a></td>',
                f"<td>{_e(self.region_name(i))}</td>",
            ]
            cells += [f"<td>{_e(self.results.env[c][i] or '-')}</td>" for c in withins]
            cells += [f'<td class="num">{_e(ranks.text(r, i))}</td>' for r in ranks.steps]
            cells.append(
                f'<td class="num">{number(total, self.lang, places=places, fixed=True)}</td>'
            )
            if self.plan.classification:
                cells.append(f"<td>{_e(self.tier(i) or '-')}</td>")
            rows.append(f"<tr>{''.join(cells)}</tr>")
        return (
            f'<h3>{_e(w["all_regions"])}</h3>\n<table class="regions"><thead><tr>'
            f"{''.join(heads)}</tr></thead>\n<tbody>{''.join(rows)}</tbody></table>\n"
        )

    # -- one region ---------------------------------------------------------------------

    def region_section(self, index: int, *, heading: bool = True) -> str:
        tree = self.results.region(index).explain(self.lang)
        parts = [
            f"<h2>{_e(self.region_title(index))}</h2>\n" if heading else "",
            self.cards(index),
            f"<h3>{_e(self.words['groups'])}</h3>\n{self.chart(index)}",
            self.next_tier(tree),
            self.requirements(index),
            self.agencies.table(index),
            (
                f"<details><summary>{_e(self.words['explanation'])}</summary>"
                f"<pre>{_e(tree.to_text())}</pre></details>\n"
            ),
        ]
        return f'<section class="region" id="r{index}">\n{"".join(parts)}</section>\n'

    def cards(self, index: int) -> str:
        tier = self.tier(index)
        badge = (
            f'<span class="tier-badge">{_e(tier)}</span>'
            if tier is not None and self.results.tier_codes[index] > 0
            else f'<span class="tier-badge none">{_e(tier or "-")}</span>'
        )
        score = self.value(self.subject, index)
        total = number(score, self.lang, places=places_beside(score, self.cuts))
        w = self.words
        tier_card = (
            f'<div class="card"><div class="key">{_e(w["tier"])}</div>'
            f'<div class="big">{badge}</div></div>'
            if self.plan.classification is not None
            else ""
        )
        rank_cards = "".join(
            f'<div class="card rank"><div class="key">{_e(self.ranks.title(r))}</div>'
            f'<div class="big">{_e(self.ranks.text(r, index))}</div>'
            f'<div class="within">{_e(self.ranks.within(r, index))}</div></div>'
            for r in self.ranks.steps
        )
        return (
            f'<div class="cards">{tier_card}<div class="card"><div class="key">'
            f'{_e(w["total"])}</div><div class="big">{total} '
            f"<small>{_e(w['of'])} {_number(self.scale_top(), self.lang)}</small>"
            f"</div></div>{rank_cards}</div>\n"
        )

    def chart_groups(self) -> list[p.GroupStep]:
        """The groups under the classified score, in the order the ruleset lists them."""
        groups = {s.name: s for s in self.plan.steps if isinstance(s, p.GroupStep)}
        ordered: dict[str, p.GroupStep] = {}

        def visit(name: str) -> None:  # preorder: a group, then the groups inside it
            if name in groups and name not in ordered:
                ordered[name] = groups[name]
                for member in groups[name].members:
                    visit(member)

        visit(self.subject)
        ordered.update(groups)  # groups outside the score keep their place after it
        shown = [g for name, g in ordered.items() if name != self.subject]
        return shown or list(ordered.values())

    def chart(self, index: int) -> str:
        groups = self.chart_groups()
        if not groups:
            return f"<p>{_e(self.words['no_groups'])}</p>\n"
        bars = [
            Bar(
                name=g.name,
                label=g.label.text(self.lang) if g.label else g.name,
                points=self.value(g.name, index),
                maximum=g.maximum,
            )
            for g in groups
        ]
        return bar_chart(bars, self.words["groups"], self.lang)

    def next_tier(self, tree: Explanation) -> str:
        if self.plan.classification is None or not tree.detail:
            return ""
        detail = tree.detail[:1].upper() + tree.detail[1:]
        return f'<h3>{_e(self.words["next"])}</h3>\n<p class="gap">{_e(detail)}</p>\n'

    def requirements(self, index: int) -> str:
        """Each requirement of each tier: held or not, and the values it read, by label."""
        c = self.plan.classification
        if c is None or not any(c.gates):
            return ""
        status = _status(self.lang)
        rows = []
        for level, gates in enumerate(c.gates, start=1):
            for i, gate in enumerate(gates):
                held = self.value(f"tier.gate.{level}.{i}", index) == 1.0
                label = gate.label.text(self.lang) if gate.label else None
                label = label or condition_text(self.plan, gate.condition, self.lang) or gate.text
                facts, unmet = gate_detail(
                    self.plan, gate, lambda name: self.number_of(name, index), self.lang
                )
                facts = [f for f in facts if f.casefold() != label.casefold()]  # said already
                detail = _e("; ".join(facts))
                if unmet:
                    items = "".join(f"<li>{_e(u)}</li>" for u in unmet)
                    detail += f"{'<br>' if facts else ''}{_e(self.words['not_met'])}:"
                    detail += f'<ul class="unmet">{items}</ul>'
                rows.append(
                    f"<tr><td>{_e(label)}</td><td>{_e(c.labels[level - 1].text(self.lang))}</td>"
                    f'<td class="{"ok" if held else "fail"}">'
                    f"{_e(status['gate_ok' if held else 'gate_fail'])}</td>"
                    f"<td>{detail}</td></tr>"
                )
        w = self.words
        return (
            f"<h3>{_e(w['requirements'])}</h3>\n<table><thead><tr><th>{_e(w['requirement'])}"
            f"</th><th>{_e(w['for_tier'])}</th><th>{_e(w['status'])}</th>"
            f"<th>{_e(w['detail'])}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>\n"
        )
