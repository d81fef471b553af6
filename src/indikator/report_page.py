"""The report's page: its style sheet (screen and print) and the HTML around the sections.

Input: the heading, subtitle, body (HTML already escaped) and footer text. Output: one
HTML document with its CSS inline. The print rules make it an A4 document when printed
to PDF from a browser: each section from a new page, headings kept with what follows,
table rows, cards and charts never cut, table headers repeated on each page, colours
kept, the folded explanation left out.
"""

from __future__ import annotations

import html

__all__ = ["CSS", "page"]

#: The style sheet of every report.
CSS = """
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
.used { color: var(--muted); font-size: 13px; }
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


def page(heading: str, subtitle: str, body: str, lang: str, footer: str) -> str:
    """The whole document: head (title, style), heading, subtitle, `body`, footer."""

    def e(text: str) -> str:
        return html.escape(text, quote=True)

    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(heading)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        f'<h1>{e(heading)}</h1>\n<p class="subtitle">{e(subtitle)}</p>\n'
        f"{body}<footer>{e(footer)}</footer>\n</main>\n</body>\n</html>\n"
    )
