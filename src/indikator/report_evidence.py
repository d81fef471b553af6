"""The report's evidence section: the documents (*data dukung*) still lacking, per agency.

Input: an `evidence.EvidenceReport` (from `indikator report --evidence`) and, for a
one-region report, that region's id. Output: an HTML fragment (every text escaped): the
count of documents in each state as of the report's date, one row per document still
lacking (missing, overdue, late, rejected, undated, or its file not found) with its agency
and the points that hang on it, and the summary per agency. Links are written as text, not
followed, so the page loads nothing.
"""

from __future__ import annotations

import html

import attrs

from indikator.evidence import EvidenceReport
from indikator.messages import phrases

__all__ = ["evidence_section"]


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def evidence_section(report: EvidenceReport, region: str | None = None) -> str:
    """The section, for every region or for `region` alone."""
    if region is not None:
        findings = tuple(f for f in report.findings if f.region == region)
        report = attrs.evolve(report, findings=findings, regions=1)
    w = phrases("evidence.", report.lang)
    parts = [
        f'<section class="evidence" id="evidence">\n<h2>{_e(w["section"])}</h2>\n',
        f"<p>{_e(report.headline())}</p>\n",
    ]
    if report.problems:
        columns = list(phrases("evidence.column.", report.lang).values())
        parts.append(_table(columns, report.rows()))
        agency_columns = list(phrases("evidence.agency_column.", report.lang).values())
        parts += [
            f"<h3>{_e(w['per_agency'])}</h3>\n",
            _table(agency_columns, report.agency_rows()),
        ]
        parts.append(f'<p class="caveat">{_e(w["points_rule"])}</p>\n')
    parts.append("</section>\n")
    return "".join(parts)


def _table(columns: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>\n" for row in rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n"
