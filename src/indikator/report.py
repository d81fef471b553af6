"""HTML reports: one region's result, or a page of every region, as one self-contained file.

Input: a `Ruleset` and the `Results` of evaluating it. Output: an HTML page (a string, or
a file written atomically) with inline CSS and inline SVG: no script, no external style
sheet, font or image, so it opens anywhere, offline, and can be mailed as is. Per
region: the tier, the total against the scale, the points of each group as a bar chart,
what is missing for the next tier (the explanation's text), the requirements of the
tiers, the indicators grouped by responsible agency (OPD), the full explanation, and the
ruleset's sources. Labels are Indonesian unless `lang="en"`. Every piece of text is
HTML-escaped: labels and region names come from files. Errors: `KeyError` for an
unknown region id.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import attrs

from indikator import plan as p
from indikator.display import number
from indikator.explain import Explanation
from indikator.messages import phrases
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
.tier-badge { display: inline-block; padding: 2px 10px; border-radius: 12px; color: #fff;
  background: var(--accent); font-weight: 600; }
.tier-badge.none { background: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { background: #f0f3f7; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.subtotal td { font-weight: 600; background: #fafbfc; }
td.assumed { color: #b45309; font-weight: 600; }
.fail { color: var(--poor); font-weight: 600; }
.ok { color: var(--good); }
.gap { background: #fff7e6; border-left: 4px solid var(--fair); padding: 8px 12px; margin: 6px 0; }
.chart { max-width: 100%; height: auto; }
.chart .label { font-size: 13px; fill: var(--ink); }
.chart .value { font-size: 13px; fill: var(--muted); font-variant-numeric: tabular-nums; }
.chart .tick { font-size: 11px; fill: var(--muted); }
.chart .track { fill: var(--track); }
.chart .grid { stroke: #c8ced8; stroke-dasharray: 2 3; }
.chart .good { fill: var(--good); } .chart .fair { fill: var(--fair); }
.chart .poor { fill: var(--poor); }
details pre { white-space: pre-wrap; font-size: 12.5px; background: #f6f7f9; padding: 10px;
  border-radius: 6px; }
footer { color: var(--muted); font-size: 12.5px; margin-top: 32px; }
@media print { body { background: #fff; } main { padding: 0; }
  section.region { break-before: page; } details { display: none; } }
"""

# Bar chart geometry (SVG user units = CSS pixels at 100 %).
_LABEL_WIDTH = 330
_BAR_WIDTH = 300
_VALUE_WIDTH = 140
_ROW = 30
_BAR = 20
_TOP = 6
_LABEL_CHARS = 46


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
        heading = f"{title} — {words['overview']} ({len(results)} {words['regions']})"
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
    return _page(heading, view.subtitle(), banner + body + view.sources(), lang, words)


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

    # -- the overview of all regions ----------------------------------------------------

    def overview(self) -> str:
        rows = [
            f'<tr><td><a href="#r{i}">{_e(self.results.regions[i])}</a></td>'
            f"<td>{_e(self.region_name(i))}</td>"
            f'<td class="num">{_number(self.value(self.subject, i), self.lang)}</td>'
            f"<td>{_e(self.tier(i) or '-')}</td></tr>"
            for i in range(len(self.results))
        ]
        w = self.words
        table = (
            f"<table><thead><tr><th>{_e(w['code'])}</th>"
            f'<th>{_e(w["name"])}</th><th class="num">{_e(w["total"])}</th>'
            f"<th>{_e(w['tier'])}</th></tr></thead>\n<tbody>{''.join(rows)}</tbody></table>\n"
        )
        return self.tier_counts() + table

    def tier_counts(self) -> str:
        c = self.plan.classification
        if c is None:
            return ""
        labels = [c.below.text(self.lang), *(label.text(self.lang) for label in c.labels)]
        codes = self.results.tier_codes.tolist()
        counted = [(labels[k], codes.count(k)) for k in range(len(labels) - 1, -1, -1)]
        if -1 in codes:
            counted.append((self.words["no_tier"], codes.count(-1)))
        rows = "".join(f'<tr><td>{_e(t)}</td><td class="num">{n}</td></tr>' for t, n in counted)
        return (
            f"<h2>{_e(self.words['overview'])}</h2>\n"
            f"<table><thead><tr><th>{_e(self.words['tier'])}</th>"
            f'<th class="num">{_e(self.words["count"])}</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>\n"
        )

    # -- one region ---------------------------------------------------------------------

    def region_section(self, index: int, *, heading: bool = True) -> str:
        tree = self.results.region(index).explain(self.lang)
        parts = [
            f"<h2>{_e(self.region_title(index))}</h2>\n" if heading else "",
            self.cards(index),
            f"<h3>{_e(self.words['groups'])}</h3>\n{self.chart(index)}",
            self.next_tier(tree),
            self.requirements(index, tree),
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
        return (
            f'<div class="cards">{tier_card}<div class="card"><div class="key">'
            f'{_e(w["total"])}</div><div class="big">{total} '
            f"<small>{_e(w['of'])} {_number(self.scale_top(), self.lang)}</small>"
            "</div></div></div>\n"
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
            _Bar(
                name=g.name,
                label=g.label.text(self.lang) if g.label else g.name,
                points=self.value(g.name, index),
                maximum=g.maximum,
            )
            for g in groups
        ]
        return _bar_chart(bars, self.words["groups"], self.lang)

    def next_tier(self, tree: Explanation) -> str:
        if self.plan.classification is None or not tree.detail:
            return ""
        detail = tree.detail[:1].upper() + tree.detail[1:]
        return f'<h3>{_e(self.words["next"])}</h3>\n<p class="gap">{_e(detail)}</p>\n'

    def requirements(self, index: int, tree: Explanation) -> str:
        c = self.plan.classification
        if c is None or not any(c.gates):
            return ""
        held = [
            (c.labels[level - 1].text(self.lang), self.value(f"tier.gate.{level}.{i}", index))
            for level, gates in enumerate(c.gates, start=1)
            for i in range(len(gates))
        ]
        nodes = [child for child in tree.children if child.name.endswith(".requires")]
        rows = "".join(
            f"<tr><td>{_e(node.label)}</td><td>{_e(tier)}</td>"
            f'<td class="{"ok" if value == 1.0 else "fail"}">{_e(node.value)}</td>'
            f"<td>{_e(node.detail)}</td></tr>"
            for (tier, value), node in zip(held, nodes, strict=True)
        )
        w = self.words
        return (
            f"<h3>{_e(w['requirements'])}</h3>\n<table><thead><tr><th>{_e(w['requirement'])}"
            f"</th><th>{_e(w['for_tier'])}</th><th>{_e(w['status'])}</th>"
            f"<th>{_e(w['detail'])}</th></tr></thead><tbody>{rows}</tbody></table>\n"
        )

    def agencies(self, index: int) -> str:
        by_agency: dict[str, list[p.IndicatorStep]] = {}
        for step in self.plan.steps:
            if isinstance(step, p.IndicatorStep):
                by_agency.setdefault(self.agency_of(step), []).append(step)

        def short(steps: Iterable[p.IndicatorStep]) -> float:
            return sum(s.maximum - (self.value(s.name, index) or 0.0) for s in steps)

        order = sorted(by_agency, key=lambda a: (-short(by_agency[a]), a))  # most to gain first
        w = self.words
        rows = []
        for agency in order:
            steps = by_agency[agency]
            points = sum(self.value(s.name, index) or 0.0 for s in steps)
            maximum = sum(s.maximum for s in steps)
            rows.append(
                f'<tr class="subtotal"><td colspan="2">{_e(agency)}</td>'
                f'<td class="num">{_number(points, self.lang)}</td>'
                f'<td class="num">{_number(maximum, self.lang)}</td>'
                f'<td class="num">{_number(maximum - points, self.lang)}</td><td></td></tr>'
            )
            rows += [self.indicator_row(step, index) for step in steps]
        return (
            f"<h3>{_e(w['agencies'])}</h3>\n<table><thead><tr><th>{_e(w['agency'])}</th>"
            f'<th>{_e(w["indicator"])}</th><th class="num">{_e(w["points"])}</th>'
            f'<th class="num">{_e(w["maximum"])}</th><th class="num">{_e(w["short"])}</th>'
            f"<th>{_e(w['basis'])}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>\n"
        )

    def indicator_row(self, step: p.IndicatorStep, index: int) -> str:
        points = self.value(step.name, index)
        short = None if points is None else step.maximum - points
        label = step.label.text(self.lang) if step.label else step.name
        return (
            f'<tr><td></td><td>{_e(label)}</td><td class="num">{_number(points, self.lang)}</td>'
            f'<td class="num">{_number(step.maximum, self.lang)}</td>'
            f'<td class="num">{_number(short, self.lang)}</td>{self.basis(step.name)}</tr>'
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

    def agency_of(self, step: p.IndicatorStep) -> str:
        """The indicator's agency, else its inputs' (when they agree on one), else none."""
        if step.agency:
            return step.agency
        agencies = {i.agency for i in self.plan.inputs if i.name in step.inputs and i.agency}
        return agencies.pop() if len(agencies) == 1 else self.words["no_agency"]

    def sources(self) -> str:
        header = self.ruleset.header
        if header is None or not header.sources:
            return ""
        items = "".join(f"<li>{_e(s)}</li>" for s in header.sources)
        caveat = (
            f"<p>{_e(self.words['assumed_note'])}</p>\n"
            if self.ruleset.provenance.count("assumed")
            else ""
        )
        return f"<h2>{_e(self.words['sources'])}</h2>\n{caveat}<ul>{items}</ul>\n"


@attrs.frozen(kw_only=True)
class _Bar:
    name: str
    label: str
    points: float | None
    maximum: float

    @property
    def percent(self) -> float:
        if self.points is None or not self.maximum:
            return 0.0
        return min(max(self.points / self.maximum * 100, 0.0), 100.0)


def _bar_chart(bars: Sequence[_Bar], title: str, lang: str) -> str:
    """A horizontal bar chart as inline SVG: one bar per group, points / maximum in %."""
    width = _LABEL_WIDTH + _BAR_WIDTH + _VALUE_WIDTH
    height = _TOP + _ROW * len(bars) + 22
    out = [
        (
            f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" aria-label="{_e(title)}">'
            f"<title>{_e(title)}</title>"
        )
    ]
    bottom = _TOP + _ROW * len(bars)
    for tick in (0, 25, 50, 75, 100):
        x = _LABEL_WIDTH + _BAR_WIDTH * tick / 100
        out.append(
            f'<line class="grid" x1="{x:g}" y1="{_TOP - 2}" x2="{x:g}" y2="{bottom}" />'
            f'<text class="tick" x="{x:g}" y="{bottom + 14}" text-anchor="middle">{tick}%</text>'
        )
    for row, bar in enumerate(bars):
        y = _TOP + row * _ROW
        label = bar.label if len(bar.label) <= _LABEL_CHARS else bar.label[: _LABEL_CHARS - 1] + "…"
        shown = f"{_number(bar.points, lang)} / {_number(bar.maximum, lang)}"
        percent = "" if bar.points is None else f" ({bar.percent:.0f}%)"
        level = "good" if bar.percent >= 80 else "fair" if bar.percent >= 50 else "poor"  # noqa: PLR2004
        filled = _BAR_WIDTH * bar.percent / 100
        out.append(
            f'<text class="label" x="0" y="{y + 15}"><title>{_e(bar.label)}</title>'
            f"{_e(label)}</text>"
            f'<rect class="track" x="{_LABEL_WIDTH}" y="{y}" width="{_BAR_WIDTH}" '
            f'height="{_BAR}" rx="3" />'
            f'<rect class="bar {level}" data-group="{_e(bar.name)}" x="{_LABEL_WIDTH}" '
            f'y="{y}" width="{filled:.1f}" height="{_BAR}" rx="3">'
            f"<title>{_e(bar.label)}: {_e(shown)}{percent}</title></rect>"
            f'<text class="value" x="{_LABEL_WIDTH + _BAR_WIDTH + 8}" y="{y + 15}">'
            f"{_e(shown)}{percent}</text>"
        )
    out.append("</svg>\n")
    return "".join(out)
