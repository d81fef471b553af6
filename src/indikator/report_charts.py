"""The report's charts as inline SVG: no script, no external file, printable.

Input: what to draw, already in the reader's words (labels, counts, points) and the
language for numbers. Output: an `<svg>` element as a string, every text HTML-escaped.
Three shapes: `bar_chart` (points against a maximum, one bar per group), `count_chart`
(how many regions per tier, one bar per tier) and `stacked_chart` (each group of regions,
e.g. a province, as one bar split into its tiers' shares, with a legend). Each drawn bar
carries `data-*` attributes (group, tier, count) so tests and readers of the page source
can check it against the numbers. Geometry is in SVG units (= CSS pixels at 100 %); the
page scales the charts down to its width (`max-width: 100%`), which keeps them inside an
A4 page when printed.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import attrs

from indikator.display import number, percent

__all__ = ["NO_TIER", "Bar", "Row", "bar_chart", "count_chart", "stacked_chart", "tier_colours"]

_LABEL_WIDTH = 330
_BAR_WIDTH = 300
_VALUE_WIDTH = 150
_ROW = 30
_BAR = 20
_TOP = 6
_LABEL_CHARS = 46
# The colours of the tiers, lowest first: grey below every tier, then amber to green.
_BELOW = (0x9A, 0xA3, 0xAF)
_LOW = (0xE0, 0xA5, 0x26)
_HIGH = (0x1E, 0x7B, 0x3C)
#: The colour of regions without a tier (their score is missing).
NO_TIER = "#dfe3e8"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _cut(label: str, limit: int = _LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _svg(width: int, height: int, title: str, body: Sequence[str]) -> str:
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" aria-label="{_e(title)}">'
        f"<title>{_e(title)}</title>{''.join(body)}</svg>\n"
    )


def tier_colours(count: int) -> list[str]:
    """`count` fill colours for the tiers, lowest (below every tier) first.

    Examples:
        >>> tier_colours(3)
        ['#9aa3af', '#e0a526', '#1e7b3c']
    """
    steps = count - 1
    colours = [_hex(_BELOW)]
    for k in range(steps):
        t = k / (steps - 1) if steps > 1 else 1.0
        colours.append(
            _hex(tuple(round(a + (b - a) * t) for a, b in zip(_LOW, _HIGH, strict=True)))
        )
    return colours[:count]


def _hex(rgb: Sequence[int]) -> str:
    return "#" + "".join(f"{c:02x}" for c in rgb)


@attrs.frozen(kw_only=True)
class Bar:
    """One group's points against its maximum."""

    name: str
    label: str
    points: float | None
    maximum: float

    @property
    def share(self) -> float:
        """Points / maximum, within 0..1 (0 when missing)."""
        if self.points is None or not self.maximum:
            return 0.0
        return min(max(self.points / self.maximum, 0.0), 1.0)


def _ticks(bottom: int, lang: str) -> list[str]:
    out = []
    for tick in (0, 25, 50, 75, 100):
        x = _LABEL_WIDTH + _BAR_WIDTH * tick / 100
        out.append(
            f'<line class="grid" x1="{x:g}" y1="{_TOP - 2}" x2="{x:g}" y2="{bottom}" />'
            f'<text class="tick" x="{x:g}" y="{bottom + 14}" text-anchor="middle">'
            f"{_e(percent(tick / 100, lang, places=0))}</text>"
        )
    return out


def bar_chart(bars: Sequence[Bar], title: str, lang: str) -> str:
    """One bar per group: its points as a share of its maximum, '122,19 / 180 (68 %)'."""
    width = _LABEL_WIDTH + _BAR_WIDTH + _VALUE_WIDTH
    bottom = _TOP + _ROW * len(bars)
    out = _ticks(bottom, lang)
    for row, bar in enumerate(bars):
        y = _TOP + row * _ROW
        shown = f"{number(bar.points, lang, places=2)} / {number(bar.maximum, lang, places=2)}"
        if bar.points is not None:
            shown += f" ({percent(bar.share, lang, places=0)})"
        level = "good" if bar.share >= 0.8 else "fair" if bar.share >= 0.5 else "poor"  # noqa: PLR2004
        out.append(
            f'<text class="label" x="0" y="{y + 15}"><title>{_e(bar.label)}</title>'
            f"{_e(_cut(bar.label))}</text>"
            f'<rect class="track" x="{_LABEL_WIDTH}" y="{y}" width="{_BAR_WIDTH}" '
            f'height="{_BAR}" rx="3" />'
            f'<rect class="bar {level}" data-group="{_e(bar.name)}" x="{_LABEL_WIDTH}" '
            f'y="{y}" width="{_BAR_WIDTH * bar.share:.1f}" height="{_BAR}" rx="3">'
            f"<title>{_e(bar.label)}: {_e(shown)}</title></rect>"
            f'<text class="value" x="{_LABEL_WIDTH + _BAR_WIDTH + 8}" y="{y + 15}">'
            f"{_e(shown)}</text>"
        )
    return _svg(width, bottom + 22, title, out)


def count_chart(counts: Sequence[tuple[str, str, int]], colours: Sequence[str], title: str,
                lang: str) -> str:  # fmt: skip
    """One bar per tier: (id, label, regions), scaled to the largest count, '7 (23,3 %)'.

    Narrower than the other charts, to stand beside the table of the same numbers.
    """
    label_width, bar_width = _LABEL_WIDTH // 2, _BAR_WIDTH - 120
    width = label_width + bar_width + _VALUE_WIDTH - 50
    total = sum(n for _, _, n in counts)
    largest = max((n for _, _, n in counts), default=0) or 1
    out = []
    for row, ((name, label, count), colour) in enumerate(zip(counts, colours, strict=True)):
        y = _TOP + row * _ROW
        shown = f"{number(count, lang)} ({percent(count / total if total else None, lang)})"
        out.append(
            f'<text class="label" x="0" y="{y + 15}"><title>{_e(label)}</title>'
            f"{_e(_cut(label, _LABEL_CHARS // 2))}</text>"
            f'<rect class="track" x="{label_width}" y="{y}" width="{bar_width}" '
            f'height="{_BAR}" rx="3" />'
            f'<rect class="bar tier" data-tier="{_e(name)}" data-count="{count}" '
            f'x="{label_width}" y="{y}" width="{bar_width * count / largest:.1f}" '
            f'height="{_BAR}" rx="3" fill="{colour}"><title>{_e(label)}: {_e(shown)}</title>'
            f'</rect><text class="value" x="{label_width + bar_width + 8}" y="{y + 15}">'
            f"{_e(shown)}</text>"
        )
    return _svg(width, _TOP + _ROW * len(counts) + 4, title, out)


@attrs.frozen(kw_only=True)
class Row:
    """One group of regions (e.g. a province) and its regions per tier, lowest tier first."""

    label: str
    counts: tuple[int, ...]


def stacked_chart(  # noqa: PLR0917  # what to draw, then how to word it
    rows: Sequence[Row],
    tiers: Sequence[tuple[str, str]],
    colours: Sequence[str],
    title: str,
    lang: str,
    regions_word: str,
) -> str:
    """One bar per group split into the tiers' shares, a legend of (id, label) above.

    Each segment is a `rect.seg` with `data-group`, `data-tier` and `data-count`; the
    text after the bar gives the group's number of regions.
    """
    width = _LABEL_WIDTH + _BAR_WIDTH + _VALUE_WIDTH
    out: list[str] = []
    x, legend_rows = 0, 0
    for (name, label), colour in zip(tiers, colours, strict=True):  # the legend, wrapped
        step = 26 + 7 * len(label)
        if x and x + step > width:
            x, legend_rows = 0, legend_rows + 1
        y = _TOP + legend_rows * 20
        out.append(
            f'<rect class="key" data-tier="{_e(name)}" x="{x}" y="{y}" width="12" height="12" '
            f'fill="{colour}" /><text class="tick" x="{x + 16}" y="{y + 10}">{_e(label)}</text>'
        )
        x += step
    top = _TOP + (legend_rows + 1) * 20 + 4
    for row_number, row in enumerate(rows):
        y = top + row_number * _ROW
        total = sum(row.counts)
        out.append(
            f'<text class="label" x="0" y="{y + 15}"><title>{_e(row.label)}</title>'
            f"{_e(_cut(row.label))}</text>"
        )
        left = float(_LABEL_WIDTH)
        for (name, label), colour, count in zip(tiers, colours, row.counts, strict=True):
            if not count:
                continue
            wide = _BAR_WIDTH * count / total
            share = percent(count / total, lang)
            out.append(
                f'<rect class="seg" data-group="{_e(row.label)}" data-tier="{_e(name)}" '
                f'data-count="{count}" x="{left:.1f}" y="{y}" width="{wide:.1f}" '
                f'height="{_BAR}" fill="{colour}"><title>{_e(row.label)}, {_e(label)}: '
                f"{number(count, lang)} ({_e(share)})</title></rect>"
            )
            left += wide
        out.append(
            f'<text class="value" x="{_LABEL_WIDTH + _BAR_WIDTH + 8}" y="{y + 15}">'
            f"{number(total, lang)} {_e(regions_word)}</text>"
        )
    return _svg(width, top + _ROW * len(rows) + 4, title, out)
