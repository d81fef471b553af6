"""What the terminal shows: numbers, text tables and the synthetic 'row N' region id.

Numbers as their readers write them, through Babel's CLDR number formats: `595,84` and
`1.000,5` in Indonesian, `595.84` and `1,000.5` in English (not hand-rolled separators).
Every text shown to people (explain, next, readiness, compare, report, the evaluate table,
sensitivity) formats its numbers here; JSON and data files keep plain numbers.

`table` lays out the text tables (the evaluate table, readiness, the gaps of explain);
`row_id` names a region the data gives no id: 'row 3', in every language, since it is
also what `--region` accepts.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

__all__ = ["number", "percent", "places_beside", "row_id", "table"]

#: At most this many decimals unless a caller asks for another count.
PLACES = 4


def number(
    value: float | None,
    lang: str,
    *,
    places: int = PLACES,
    fixed: bool = False,
    signed: bool = False,
) -> str:
    """`value` in `lang`'s notation.

    At most `places` decimals (exactly `places` when `fixed`), no trailing zeros otherwise,
    '-' when missing, a '+' on positive values when `signed`. The float is read as its
    shortest decimal; a tie at the last shown place rounds half to even (CLDR's rule).
    Scores a ruleset rounds itself (`round half_up 2`) are shown as they are.

    Examples:
        >>> number(595.84, "id"), number(1000.5, "en"), number(None, "id")
        ('595,84', '1,000.5', '-')
        >>> number(4.5, "id", signed=True), number(2, "en", places=2, fixed=True)
        ('+4,5', '2.00')
    """
    if value is None or math.isnan(value):
        return "-"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    exact = Decimal(repr(float(value)))
    text = _pattern(places, fixed).apply(exact, _locale(lang))
    if text in ("-0", "+0") or (text.startswith("-") and not text.strip("-0,.")):
        text = text.lstrip("-")  # -0.00001 shown with 4 places is 0, not -0
    return f"+{text}" if signed and exact > 0 and text.strip("0,.") else text


def places_beside(value: float | None, cuts: Sequence[float], places: int = 2) -> int:
    """Decimals enough that `value`, shown, stays on its side of every tier cut point.

    A score of 600.996 under a tier edge at 601 shown with 2 decimals reads "601,00" next
    to the lower tier: a slip an official would take for a wrong tier. The places grow
    (up to 9, the language's precision) until the shown number is on the same side of
    each cut (`x > cut` decides a tier) as the score itself.

    Examples:
        >>> places_beside(600.996, [601 - 5e-10]), places_beside(600.5, [601 - 5e-10])
        (3, 2)
        >>> cut = 601 - 5e-10  # 601 and what is the same decimal as 601 hold above it
        >>> places_beside(600.9999999994, [cut]), places_beside(600.9999999996, [cut])
        (9, 2)
    """
    if value is None or math.isnan(value) or math.isinf(value):
        return places
    exact = Decimal(repr(float(value)))
    for shown_places in range(places, 10):
        shown = float(exact.quantize(Decimal(10) ** -shown_places, ROUND_HALF_EVEN))
        if all((shown > cut) == (value > cut) for cut in cuts):
            return shown_places
    return 9


def percent(share: float | None, lang: str, *, places: int = 1) -> str:
    """A share (0.615) as a percentage with a space before the sign: `61,5 %`."""
    if share is None or math.isnan(share):
        return "-"
    return f"{number(100 * share, lang, places=places, fixed=True)} %"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, rule: bool = True) -> str:
    """Rows of text as aligned columns under a header (and a rule), trailing spaces trimmed.

    Columns are two spaces apart, each as wide as its widest cell or title. Cells are
    shown as given: escape control characters (`outputs.terminal_text`) before, so the
    widths are measured on what is shown.

    Examples:
        >>> print(table(["OPD", "kosong"], [["DP3A", "1"], ["Dinas Kesehatan", "12"]]))
        OPD              kosong
        ---------------  ------
        DP3A             1
        Dinas Kesehatan  12
    """
    widths = [max([len(h), *(len(r[k]) for r in rows)]) for k, h in enumerate(headers)]
    lines = [headers, *([["-" * w for w in widths]] if rule else []), *rows]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines
    )


def row_id(index: int) -> str:
    """The id of a region the data names no id for: its row, counted from 1.

    Examples:
        >>> row_id(0)
        'row 1'
    """
    return f"row {index + 1}"


@functools.cache
def _locale(lang: str) -> Locale:
    return Locale.parse("en" if lang == "en" else "id")


@functools.cache
def _pattern(places: int, fixed: bool) -> NumberPattern:  # noqa: FBT001  # cache key
    decimals = ("0" if fixed else "#") * places
    return parse_pattern(f"#,##0.{decimals}" if places else "#,##0")
