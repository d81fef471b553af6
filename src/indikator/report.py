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

import attrs

from indikator import plan as p
from indikator.attribution import agency_of, score_factors
from indikator.display import number
from indikator.explain import Explanation
from indikator.messages import phrases
from indikator.report_charts import Bar, bar_chart
from indikator.report_sources import sources_section
from indikator.report_summary import Ranks, Summary, places_for
from indikator.report_words import condition_text, gate_detail, label_of
from indikator.results import Results
from indikator.ruleset import Ruleset
from indikator.sensitivity import Sensitivity
from indikator.tables import replace_atomically

__all__ = ["render_report", "write_report"]


_CSS = """
:root { --ink: #1d2430; --muted: #5b6575; --line: #d9dee6; --accent: #1f5fa8;
  --good: #2e8540; --fair: #c98a00; --poor: #c0392b; --track: #eceff3; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial,
  sans-serif; color: var(--ink); margin: 0; background: #f6f7f9; }
main { max-width: 980px; margin: 0 auto; padding: 24px 28px 40px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 36px 0 10px; padding-top: 14px; border-top: 3px solid var(--accent); }
h3 { font-size: 16px; margin: 22px 0 8px; color: var(--accent); }
.subtitle { color: var(--muted); margin: 0 0 18px; }
.banner { border: 2px solid #b45309; background: #fff7ed; padding: 8px 12px; font-weight: 600; }
.cards { display: flex; gap: 14px; flex-wrap: wrap; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 200px; }
.card .key { color: var(--muted); font-size: 13px; }
.card .big { font-size: 24px; font-weight: 600; }
.card .within { color: var(--muted); font-size: 13px; }
.tier-badge { display: inline-block; padding: 2px 10px; border-radius: 12px; color: #fff;
  background: var(--accent); font-weight: 600; }
.tier-badge.none { background: var(--muted); }
.pair { display: flex; gap: 24px; flex-wrap: wrap; align-items: flex-start; }
.pair table { width: auto; min-width: 280px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line);
  vertical-align: top; overflow-wrap: break-word; }
th { background: #f0f3f7; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
.wide { overflow-x: auto; }
tr.subtotal td { font-weight: 600; background: #fafbfc; }
td.assumed { color: #b45309; font-weight: 600; }
.fail { color: var(--poor); font-weight: 600; }
ul.unmet { margin: 2px 0 0; padding-left: 18px; columns: 2; column-gap: 24px; }
.ok { color: var(--good); }
.gap { background: #fff7e6; border-left: 4px solid var(--fair); padding: 8px 12px; margin: 6px 0; }
.chart { display: block; max-width: 100%; height: auto; margin: 6px 0 12px; }
.chart .label { font-size: 13px; fill: var(--ink); }
.chart .value { font-size: 13px; fill: var(--muted); font-variant-numeric: tabular-nums; }
.chart .tick { font-size: 11px; fill: var(--muted); }
.chart .track { fill: var(--track); }
.chart .grid { stroke: #c8ced8; stroke-dasharray: 2 3; }
.chart .good { fill: var(--good); } .chart .fair { fill: var(--fair); }
.chart .poor { fill: var(--poor); }
.chart .seg { stroke: #fff; stroke-width: 1; }
ol.documents li { margin-bottom: 8px; }
details pre { white-space: pre-wrap; font-size: 12.5px; background: #f6f7f9; padding: 10px;
  border-radius: 6px; }
footer { color: var(--muted); font-size: 12.5px; margin-top: 32px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  section + section { break-before: page; }
  h2, h3 { break-after: avoid; }
  tr, .card, .chart, .gap, .banner, li { break-inside: avoid; }
  thead { display: table-header-group; }
  .wide { overflow: visible; }
  table { font-size: 9.5pt; }
  a { color: inherit; text-decoration: none; }
  details { display: none; }
}
"""


#: Float noise: differences below it are no difference (a factor of 1, a whole number).
_NOISE = 1e-9


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
) -> str:
    """The report as one HTML page: one region (by id), or every region with an overview.

    With `sensitivity` (from `Ruleset.sensitivity` on the same table), a section says how
    sure each region's tier is under the assumed numbers' plausible ranges.

    `note` (such as the synthetic-data banner of `tables.DataNote.banner`) is shown in a
    box under the heading, and so is the ruleset's assumption banner
    (`Provenance.banner`) when any scoring number is assumed. Each indicator row of the
    agency table names what its numbers rest on: 'dirujuk: ID passage' or 'asumsi'; an
    assumed indicator never shows a source.
    """
    words = phrases("report.", lang)
    tiers = results.tiers(lang) if ruleset.plan.classification else []
    view = _View(ruleset, results, lang, words, tiers)
    title = ruleset.header.title.text(lang) if ruleset.header and ruleset.header.title else ""
    title = title or ruleset.name
    if region is not None:
        try:
            index = results.regions.index(region)
        except ValueError:
            msg = f"no region '{region}'"
            raise KeyError(msg) from None
        heading = f"{title} — {view.region_title(index)}"
        body = _sensitivity_section(sensitivity, lang, [index]) + view.region_section(
            index, heading=False
        )
    else:
        count = number(len(results), lang)
        heading = f"{title} — {words['overview']} ({count} {words['regions']})"
        body = (
            view.overview()
            + _sensitivity_section(sensitivity, lang, range(len(results)))
            + "".join(view.region_section(i) for i in range(len(results)))
        )
    banner = "".join(
        f'<p class="banner" role="note">{_e(text)}</p>\n'
        for text in (note, ruleset.provenance.banner(lang))
        if text is not None
    )
    sources = sources_section(ruleset, lang)
    return _page(heading, view.subtitle(), banner + body + sources, lang, words)


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
) -> None:
    """Write `render_report` to `path`, replacing any old file atomically."""
    text = render_report(
        ruleset, results, region=region, lang=lang, note=note, sensitivity=sensitivity
    )
    replace_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))


def _page(heading: str, subtitle: str, body: str, lang: str, words: Mapping[str, str]) -> str:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(heading)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        f'<h1>{_e(heading)}</h1>\n<p class="subtitle">{_e(subtitle)}</p>\n'
        f"{body}<footer>{_e(words['footer'])}</footer>\n</main>\n</body>\n</html>\n"
    )


@attrs.frozen
class _Agency:
    """One agency's rows of a region: its indicators, most points to gain first."""

    name: str
    steps: tuple[p.IndicatorStep, ...]
    gains: tuple[float | None, ...]  # points each would add to the classified score

    @property
    def gain(self) -> float:
        return sum(g for g in self.gains if g is not None)


@attrs.frozen
class _View:
    """What every part of the page reads: the ruleset, the results and the words."""

    ruleset: Ruleset
    results: Results
    lang: str
    words: Mapping[str, str]
    tiers: Sequence[str | None]  # every region's tier label, looked up once

    @property
    def plan(self) -> p.Plan:
        return self.ruleset.plan

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
        places = places_for(totals)
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
            self.agencies(index),
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
        total = _number(self.value(self.subject, index), self.lang)
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
        status = phrases("explain.", self.lang)
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

    def by_agency(self, index: int) -> list[_Agency]:
        """The agencies with their indicators, most points to gain on the score first.

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
        factors = score_factors(self.plan, lambda name: present.get(name, True))
        grouped: dict[str, list[tuple[p.IndicatorStep, float | None]]] = {}
        for step in self.plan.steps:
            if not isinstance(step, p.IndicatorStep):
                continue
            points, factor = self.value(step.name, index), factors.get(step.name)
            gain = None
            if points is not None and isinstance(factor, float):
                gain = max(step.maximum - points, 0.0) * factor
            agency = agency_of(self.plan, step.name) or self.words["no_agency"]
            grouped.setdefault(agency, []).append((step, gain))
        agencies = []
        for name, rows in grouped.items():
            rows.sort(key=lambda row: (row[1] is None, -(row[1] or 0.0)))  # stable
            steps, gains = zip(*rows, strict=True)
            agencies.append(_Agency(name, tuple(steps), tuple(gains)))
        return sorted(agencies, key=lambda a: (-a.gain, a.name))

    def agencies(self, index: int) -> str:
        agencies = self.by_agency(index)
        factors = score_factors(self.plan).values()
        weighed = any(not isinstance(f, float) or abs(f - 1.0) > _NOISE for f in factors)
        values = [self.value(s.name, index) for a in agencies for s in a.steps]
        show = functools.partial(
            number,
            lang=self.lang,
            places=places_for([*values, *(g for a in agencies for g in a.gains)]),
            fixed=True,
        )
        w = self.words
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
            shown = f"{self.words['cited']}: {mark.text(self.lang)}"
            return f'<td class="cited" title="{_e(shown)}">{_e(shown)}</td>'
        if mark.kind == "structural":
            return "<td></td>"
        return f'<td class="{mark.kind}">{_e(mark.text(self.lang))}</td>'
