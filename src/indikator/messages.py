"""The message catalogue: every text a diagnostic shows, in English and Indonesian.

A problem is recorded as a catalogue key and named arguments, and put into words only
when it is shown, so one error can be printed in either language:

    >>> m = Message("check.unknown_name", name="akt")
    >>> str(m)
    "unknown name 'akt'"
    >>> m.render("id")
    "nama 'akt' tidak dikenal"

An argument is text (a name, a number as written), another `Message` (a phrase that
is translated too), a `Phrase` given in both languages where it is made (a ruleset
label), or `Words` (a list joined with "or"/"atau"). Identifiers stay as written.
Building a `Message` checks the key and that its arguments are exactly the template's
placeholders, so a misspelt or forgotten argument fails at once, in either language.
"""

from __future__ import annotations

import difflib
import functools
import string
from collections.abc import Iterable, Mapping
from typing import Literal

import attrs

from indikator._texts import CATALOGUE, TITLES, Template

__all__ = [
    "CATALOGUE",
    "LANGS",
    "TITLES",
    "Arg",
    "Message",
    "Phrase",
    "Template",
    "Words",
    "check_catalogue",
    "closest",
    "phrases",
    "placeholders",
]

#: The languages every message is written in.
LANGS = ("en", "id")


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like `word`, for a "did you mean ...?" hint; None if none is close.

    The one place indikator guesses what a misspelt name meant (difflib's similarity of at
    least 0.6; the order of `candidates` does not matter).

    Examples:
        >>> closest("akt", ["akta", "paud"])
        'akta'
        >>> closest("xyz", ["akta", "paud"]) is None
        True
    """
    close = difflib.get_close_matches(word, list(candidates), n=1)
    return close[0] if close else None


@attrs.frozen
class Phrase:
    """Text given in both languages where it is made, e.g. a definition's label."""

    en: str
    id: str


@attrs.frozen
class Words:
    """A list joined as the language does: "a, b or c", "a, b atau c".

    `conjunction=None` joins with commas only; past `limit` items, the rest are counted
    ("a, b or 3 more").
    """

    items: tuple[Arg, ...]
    conjunction: Literal["or", "and"] | None = "or"
    limit: int | None = None


@attrs.frozen(init=False)
class Message:
    """A catalogue key with named arguments; rendered in a language when shown."""

    key: str
    args: tuple[tuple[str, Arg], ...]

    def __init__(self, key: str, /, **args: Arg) -> None:
        if key not in CATALOGUE:
            msg = f"no message {key!r} in the catalogue"
            raise KeyError(msg)
        if set(args) != placeholders(key):
            msg = f"message {key!r} takes {sorted(placeholders(key))}, got {sorted(args)}"
            raise TypeError(msg)
        self.__attrs_init__(key, tuple(sorted(args.items())))

    def render(self, lang: str = "en") -> str:
        """The text in `lang` ('en' or 'id')."""
        template = CATALOGUE[self.key]
        text = template.id if _language(lang) == "id" else template.en
        return text.format_map({name: _text(value, lang) for name, value in self.args})

    def __str__(self) -> str:
        return self.render("en")


Arg = str | int | Message | Phrase | Words


def phrases(prefix: str, lang: str) -> dict[str, str]:
    """The catalogue's texts under `prefix` in `lang` ('en'; else Indonesian), by key rest.

    The words of a view (`explain.`, `advice.`, `report.` ...) in catalogue order, for
    templates filled with `str.format` where they are shown and for column headers:

        >>> phrases("value.", "id")
        {'yes': 'ya', 'no': 'tidak'}
        >>> list(phrases("readiness.agency_column.", "en").values())[:2]
        ['agency', 'empty']
    """
    return {
        key.removeprefix(prefix): template.en if lang == "en" else template.id
        for key, template in CATALOGUE.items()
        if key.startswith(prefix)
    }


def _language(lang: str) -> str:
    if lang not in LANGS:
        msg = f"unknown language {lang!r}; use one of {', '.join(LANGS)}"
        raise ValueError(msg)
    return lang


def _text(value: Arg, lang: str) -> str:
    match value:
        case Message():
            return value.render(lang)
        case Phrase():
            return value.id if lang == "id" else value.en
        case Words():
            return _join(value, lang)
        case _:
            return str(value)


def _join(words: Words, lang: str) -> str:
    items = [_text(item, lang) for item in words.items]
    conjunction = words.conjunction
    if words.limit is not None and len(items) > words.limit:
        rest = Message("word.more", count=len(items) - words.limit).render(lang)
        items = [*items[: words.limit], rest]
        conjunction = conjunction or "and"
    if conjunction is None or len(items) <= 1:
        return ", ".join(items)
    key = "word.or" if conjunction == "or" else "word.and"
    return Message(key, first=", ".join(items[:-1]), last=items[-1]).render(lang)


@functools.cache
def placeholders(key: str) -> frozenset[str]:
    """The named placeholders of a catalogue entry (the same in both languages)."""
    return frozenset(_fields(CATALOGUE[key].en))


def _fields(template: str) -> list[str]:
    return [field for field, _, _ in _placeholders(template)]


def _placeholders(template: str) -> list[tuple[str, str, str]]:
    """(name, format spec, conversion) of each placeholder."""
    return [
        (field, spec or "", conversion or "")
        for _, field, spec, conversion in string.Formatter().parse(template)
        if field is not None
    ]


def check_catalogue(catalogue: Mapping[str, Template] = CATALOGUE) -> list[str]:
    """Problems with catalogue entries: a language missing, placeholders that differ.

    Run by the test suite; an empty list means every entry can be shown in every language.
    """
    problems = []
    for key, template in catalogue.items():
        texts = {"en": template.en, "id": template.id}
        for lang, text in texts.items():
            if not text.strip():
                problems.append(f"{key}: no {lang} text")
            if any(not f.isidentifier() or s or c for f, s, c in _placeholders(text)):
                problems.append(f"{key}: {lang} placeholders must be plain names: {text!r}")
        if set(_fields(template.en)) != set(_fields(template.id)):
            problems.append(f"{key}: placeholders differ between en and id")
    return problems
