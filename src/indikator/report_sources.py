"""The report's last section: what the numbers rest on (sources, and which are assumed).

Input: a `Ruleset` and the language. Output: an HTML fragment (every text escaped): when
any scoring number is assumed, how many are cited, assumed, structural or unmarked, and
that the assumed ones do not come from the sources; the ruleset's short
source list; each declared source document (title, issuer, number, date, address as
text, the passage and the definitions that cite it, by label); and every assumption (the
definition or parameter, its value, its plausible range and the authors' reason). Links
are written out as text, not followed, so the page loads nothing. Empty when the ruleset
declares nothing of the kind.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from decimal import Decimal

from indikator.display import number
from indikator.messages import Message, phrases
from indikator.provenance import SourceRecord
from indikator.report_words import label_of
from indikator.ruleset import Ruleset

__all__ = ["sources_section"]


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def sources_section(ruleset: Ruleset, lang: str) -> str:
    """Sources and assumptions, or '' when the ruleset names neither."""
    provenance = ruleset.provenance
    short = ruleset.header.sources if ruleset.header else ()
    if not (short or provenance.sources or provenance.assumed):
        return ""
    w = phrases("report.", lang)
    counts = {
        kind: provenance.count(kind) for kind in ("cited", "assumed", "structural", "unmarked")
    }
    parts = [f'<section class="sources" id="sources">\n<h2>{_e(w["sources"])}</h2>\n']
    if counts["assumed"]:  # how many are assumed, against the others (none: nothing to say)
        parts.append(f'<p class="counts">{_e(Message("prov.counts", **counts).render(lang))}</p>\n')
    if counts["assumed"]:
        parts.append(f'<p class="caveat">{_e(w["assumed_note"])}</p>\n')
    if short:
        parts.append(f"<ul>{''.join(f'<li>{_e(s)}</li>' for s in short)}</ul>\n")
    if provenance.sources:
        items = "".join(_document(ruleset, record, lang) for record in provenance.sources)
        parts.append(f'<h3>{_e(w["documents"])}</h3>\n<ol class="documents">{items}</ol>\n')
    if provenance.assumed:
        parts.append(_assumptions(ruleset, lang))
    parts.append("</section>\n")
    return "".join(parts)


def _document(ruleset: Ruleset, record: SourceRecord, lang: str) -> str:
    w = phrases("report.", lang)
    facts = [record.issuer, record.number, record.date]
    where = Message("prov.not_online").render(lang) if record.offline else record.url
    line = " · ".join(_e(f) for f in [*facts, where] if f)
    extra = "".join(f"<br>{_e(text)}" for text in (record.passage, record.note) if text)
    citing = ", ".join(
        (w["tiers"] if c.definition == "tiers" else label_of(ruleset.plan, c.definition, lang))
        + (f" ({c.passage})" if c.passage else "")
        for c in record.cited_by
    )
    cited = Message("prov.cited_by" if citing else "prov.not_cited").render(lang)
    return (
        f'<li id="source-{_e(record.id)}"><strong>{_e(record.title.text(lang))}</strong>'
        f"<br>{line}{extra}<br><em>{_e(cited)}</em>{': ' + _e(citing) if citing else ''}</li>"
    )


def _assumptions(ruleset: Ruleset, lang: str) -> str:
    w = phrases("report.", lang)
    rows = []
    name_of = _assumed_names(ruleset, lang)
    for a in ruleset.provenance.assumed:
        within = (
            f"{_decimal(a.within[0], lang)} \N{EN DASH} {_decimal(a.within[1], lang)}"
            if a.within
            else "-"
        )
        value = "-" if a.value is None else _decimal(a.value, lang)
        rows.append(
            f"<tr><td>{name_of(a.definition)}</td>"
            f'<td class="num">{_e(value)}</td><td class="num">{_e(within)}</td>'
            f"<td>{_e(a.reason)}</td></tr>"
        )
    heading = f"{Message('prov.heading_assumed').render(lang)}: {len(rows)}"
    return (
        f'<h3>{_e(heading)}</h3>\n<table class="assumptions"><thead><tr>'
        f'<th>{_e(w["definition"])}</th><th class="num">{_e(w["value"])}</th>'
        f'<th class="num">{_e(w["range"])}</th><th>{_e(w["reason"])}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>\n"
    )


def _assumed_names(ruleset: Ruleset, lang: str) -> Callable[[str], str]:
    """An assumption's name cell, so that an official can find it in the ruleset.

    A definition shows its label; a parameter its label (when it has one), its id and
    the definitions that read it.
    """
    graph = ruleset.graph
    params = {p.name: p for p in ruleset.declared_params}
    used_in = Message("report.used_in").render(lang)

    def name(definition: str) -> str:
        param = params.get(definition)
        if param is None:
            return _e(label_of(ruleset.plan, definition, lang))
        shown = f"{_e(param.label.text(lang))} " if param.label else ""
        readers = sorted(label_of(ruleset.plan, r, lang) for r in graph.successors(definition))
        where = f'<br><span class="used">{_e(used_in)}: {_e(", ".join(readers))}</span>'
        return f"{shown}<code>{_e(definition)}</code>{where if readers else ''}"

    return name


def _decimal(value: Decimal, lang: str) -> str:
    return number(float(value), lang)
