"""Numbers as their readers write them, through Babel's CLDR number formats.

`595,84` and `1.000,5` in Indonesian, `595.84` and `1,000.5` in English (not hand-rolled
separators).

Every text shown to people (explain, next, readiness, compare, report, the evaluate table,
sensitivity) formats its numbers here; JSON and data files keep plain numbers.
"""

from __future__ import annotations

import functools
import math
from decimal import Decimal

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

__all__ = ["number", "percent"]

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
    '-' when missing, a '+' on positive values when `signed`.

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


def percent(share: float | None, lang: str, *, places: int = 1) -> str:
    """A share (0.615) as a percentage with a space before the sign: `61,5 %`."""
    if share is None or math.isnan(share):
        return "-"
    return f"{number(100 * share, lang, places=places, fixed=True)} %"


@functools.cache
def _locale(lang: str) -> Locale:
    return Locale.parse("en" if lang == "en" else "id")


@functools.cache
def _pattern(places: int, fixed: bool) -> NumberPattern:  # noqa: FBT001  # cache key
    decimals = ("0" if fixed else "#") * places
    return parse_pattern(f"#,##0.{decimals}" if places else "#,##0")
