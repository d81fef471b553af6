"""The region profile across schemes: one HTML page, each scheme's total and tier per region.

Input: the rulesets and the `Schemes` of evaluating them on one table (`evaluate_schemes`).
Output: a self-contained HTML page (`report_page.page`: inline style, no script) with the
banners (the data's synthetic-data note, each ruleset's assumption banner), one section
"Profil wilayah" / "Region profile" (a row per region, a block of columns per scheme, under
the scheme's title), then each scheme's sources and assumed numbers (`report_sources`).
Every text is escaped: labels and region names come from files.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from indikator.display import number
from indikator.messages import Message, phrases
from indikator.report_page import page
from indikator.report_sources import sources_section
from indikator.ruleset import Ruleset
from indikator.schemes import Schemes
from indikator.tables import replace_atomically

__all__ = ["render_profile", "write_profile"]


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _words(key: str, lang: str, **args: str) -> str:
    return Message(f"facts.profile_{key}", **args).render(lang)


def _title(ruleset: Ruleset, lang: str) -> str:
    header = ruleset.header
    title = header.title.text(lang) if header and header.title else ruleset.name
    edition = str(ruleset.edition or "")
    return f"{title} {edition}" if edition and edition not in title else title


def profile_section(rulesets: Sequence[Ruleset], schemes: Schemes, lang: str) -> str:
    """The section: a row per region, each scheme's total and tier side by side."""
    columns = schemes.columns(lang)
    names = phrases("cli.column.", lang)
    left = [c for c in ("region", "name") if c in columns]
    top = "".join(f'<th rowspan="2">{_e(names[c])}</th>' for c in left)
    below = ""
    for ruleset, scheme in zip(rulesets, schemes.names, strict=True):
        parts = [c for c in (f"{scheme}.total", f"{scheme}.tier") if c in columns]
        top += f'<th colspan="{len(parts)}">{_e(_title(ruleset, lang))}</th>'
        below += "".join(f"<th>{_e(_words(c.rsplit('.', 1)[1], lang))}</th>" for c in parts)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_e(_cell(columns[c][i], lang))}</td>" for c in columns) + "</tr>\n"
        for i in range(len(columns["region"]))
    )
    count = number(len(columns["region"]), lang)
    return (
        f'<section class="profile">\n<h2>{_e(_words("heading", lang))}</h2>\n'
        f"<p>{_e(_words('intro', lang, regions=count, schemes=number(len(schemes), lang)))}</p>\n"
        f'<div class="wide"><table>\n<thead><tr>{top}</tr>\n<tr>{below}</tr></thead>\n'
        f"<tbody>\n{rows}</tbody>\n</table></div>\n</section>\n"
    )


def _cell(value: object, lang: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return number(value, lang, places=2)
    return str(value)


def render_profile(
    rulesets: Sequence[Ruleset], schemes: Schemes, *, lang: str = "id", note: str | None = None
) -> str:
    """The page: heading, banners, the profile section, then each scheme's sources."""
    banners = [note, *dict.fromkeys(r.provenance.banner(lang) for r in rulesets)]
    banner = "".join(
        f'<p class="banner" role="note">{_e(text)}</p>\n' for text in banners if text is not None
    )
    sources = "".join(sources_section(r, lang) for r in rulesets)
    heading = _words("heading", lang)
    subtitle = " · ".join(_title(r, lang) for r in rulesets)
    footer = phrases("report.", lang)["footer"]
    body = banner + profile_section(rulesets, schemes, lang) + sources
    return page(heading, subtitle, body, lang, footer)


def write_profile(
    rulesets: Sequence[Ruleset],
    schemes: Schemes,
    path: str | Path,
    *,
    lang: str = "id",
    note: str | None = None,
) -> None:
    """Write `render_profile` to `path`, replacing any old file atomically."""
    text = render_profile(rulesets, schemes, lang=lang, note=note)
    replace_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))
