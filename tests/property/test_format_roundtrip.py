"""Formatting is idempotent, keeps the syntax tree and every comment, and is canonical.

Sources: every shipped ruleset, the tour fixture, and every ```ikr block in docs/ that
parses. Perturbations of a formatted file (white space changed between tokens wherever
the grammar allows it and the layout is not the author's choice) must format back to the
very same text.

What the formatter keeps as the author's choice, and so what is NOT perturbed here: a line
break inside a definition (a body on its own line, clauses on the next line, input fields
grouped on a line, an argument list over several lines), a blank line, and whether an
input's or a header's block is written on one line.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import cast

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indikator.errors import RulesetSyntaxError, Span
from indikator.formatter import format_text
from indikator.syntax import Token, parse, tokens

ROOT = Path(__file__).parents[2]
RULESETS = sorted((ROOT / "rulesets").rglob("*.ikr"))
FILES = [*RULESETS, ROOT / "tests" / "fixtures" / "tour.ikr"]
_FENCE = re.compile(r"^```ikr\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _doc_examples() -> list[tuple[str, str]]:
    examples = []
    for doc in sorted((ROOT / "docs").rglob("*.md")):
        text = doc.read_text(encoding="utf-8")
        for match in _FENCE.finditer(text):
            try:
                parse(match.group(1))
            except RulesetSyntaxError:
                continue  # an example of a syntax error
            line = text.count("\n", 0, match.start()) + 1
            examples.append((f"{doc.relative_to(ROOT)}:{line}", match.group(1)))
    return examples


SOURCES = [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in FILES]
SOURCES += _doc_examples()
SETTINGS = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# A perturbation makes thousands of random choices: drawn from one seed, not one by one
# from Hypothesis (which would make every example "large"); a failure prints its seed.
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


def shape(value: object) -> object:
    """A syntax tree with every span (and the file name) left out, for comparing."""
    if isinstance(value, Span):
        return None
    if attrs.has(type(value)):
        fields = attrs.fields(cast("type[attrs.AttrsInstance]", type(value)))
        return (
            type(value).__name__,
            tuple((f.name, shape(getattr(value, f.name))) for f in fields if f.name != "file"),
        )
    if isinstance(value, tuple | list):
        return tuple(shape(v) for v in value)
    return value


def comments(text: str) -> list[str]:
    return [t.text.rstrip() for t in tokens(text) if t.kind == "COMMENT"]


@pytest.fixture(scope="module")
def canonical() -> dict[str, str]:
    return {name: format_text(text) for name, text in SOURCES}


def test_the_sources_are_found() -> None:
    assert len(RULESETS) >= 6
    assert len(SOURCES) > len(FILES) + 50


@pytest.mark.parametrize(("name", "text"), SOURCES, ids=[name for name, _ in SOURCES])
def test_idempotent_and_meaning_preserving(name: str, text: str, canonical: dict[str, str]) -> None:
    formatted = canonical[name]
    assert format_text(formatted) == formatted
    assert shape(parse(formatted)) == shape(parse(text))
    assert comments(formatted) == comments(text)
    assert all(line == line.rstrip() and "\t" not in line for line in formatted.splitlines())
    assert formatted.endswith("\n")


# --- perturbations -----------------------------------------------------------------------

_ROWS = {"band_row", "option_row", "below", "tier", "rollup_item"}
_ROW_BLOCKS = {"bands", "options", "tiers", "rollup"}
_ONE_LINE = ("band_row", "option_row", "interval")
_WORD = re.compile(r"\w")


def _blanks(rnd: random.Random) -> str:
    return rnd.choice(["", " ", "  ", "\t", " \t  "])


def _starts_row_or_item(token: Token) -> bool:
    top_level = token.opens >= len(token.rules)
    return top_level or bool(_ROWS & set(token.opened))


def _one_line_blocks(text: str, stream: list[Token]) -> list[tuple[int, int]]:
    """The (start, end) offsets of `{ ... }` blocks written on one line."""
    spans, open_braces = [], []
    for token in stream:
        if token.kind == "COMMENT":
            continue
        if token.text == "{":
            open_braces.append(token)
        elif token.text == "}":
            start = open_braces.pop()
            if "\n" not in text[start.end : token.start]:
                spans.append((start.end, token.start))
    return spans


def _joinable(before: Token, after: Token) -> bool:
    """Whether the formatter puts a line break here whatever the author wrote."""
    if before.kind == "COMMENT" or after.kind == "COMMENT":
        return False
    if _starts_row_or_item(after):
        return True
    brace = (before.text == "{" and before.kind != "STRING") or after.text == "}"
    return brace and (before if before.text == "{" else after).rules[-1] in _ROW_BLOCKS


def _breakable(before: Token, after: Token) -> bool:
    """Whether the formatter joins a line broken here."""
    if after.kind == "COMMENT":
        return False
    if after.text in {"{", ",", ":", "%"} or before.kind == "SIGN":
        return True
    if before.text == "-" and before.rules[-1:] == ("neg",):
        return True
    return any(rule in after.rules and rule not in after.opened for rule in _ONE_LINE)


def _removable(before: Token, after: Token) -> bool:
    """Whether the space between two tokens can go without merging them."""
    return not (_WORD.match(before.text[-1]) and _WORD.match(after.text[0]))


def _line_gap(gap: str, rnd: random.Random, *, joinable: bool) -> str:
    """A gap holding line breaks: keep their meaning, change the blanks around them."""
    newlines = gap.count("\n")
    if joinable and newlines == 1 and rnd.random() < 0.3:
        return rnd.choice([" ", "  ", "\t"])
    if newlines >= 2:
        newlines = rnd.randint(2, 4)
    return "".join(_blanks(rnd) + "\n" for _ in range(newlines)) + _blanks(rnd)


def perturb(text: str, rnd: random.Random) -> str:
    """Formatted text with its white space changed where the layout is not the author's."""
    stream = tokens(text)
    one_line = _one_line_blocks(text, stream)
    pieces = [rnd.choice(["", "\n", "\n\n  ", "\t"])]
    position = 0
    for index, token in enumerate(stream):
        gap = text[position : token.start]
        if index == 0:
            pass
        elif "\n" in gap:
            pieces.append(_line_gap(gap, rnd, joinable=_joinable(stream[index - 1], token)))
        else:
            before = stream[index - 1]
            inside = any(start <= token.start <= end for start, end in one_line)
            choice = rnd.random()
            if choice < 0.15 and not inside and _breakable(before, token):
                pieces.append(_blanks(rnd) + "\n" + _blanks(rnd))
            elif choice < 0.5 and (token.kind == "COMMENT" or _removable(before, token)):
                pieces.append(rnd.choice(["", " ", "\t"]))
            else:
                pieces.append(gap + rnd.choice(["", " ", "  ", "\t"]))
        pieces.append(token.text + (_blanks(rnd) if token.kind == "COMMENT" else ""))
        position = token.end
    pieces.append(rnd.choice(["", "\n", "\n\n\n", "  \n\t"]))
    perturbed = "".join(pieces)
    if rnd.random() < 0.3:
        perturbed = perturbed.replace("\n", "\r\n")
    return perturbed


PERTURBED = [(name, text) for name, text in SOURCES if not name.startswith("docs")]
PERTURBED_IDS = [name for name, _ in PERTURBED]


def _random(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311  # reproducible test data, not a secret


@pytest.mark.parametrize("name", PERTURBED_IDS)
@SETTINGS
@given(seed=SEEDS)
def test_perturbed_white_space_formats_back(
    name: str, canonical: dict[str, str], seed: int
) -> None:
    perturbed = perturb(canonical[name], _random(seed))
    assert format_text(perturbed) == canonical[name]


def _with_comments(text: str, rnd: random.Random) -> str:
    """The text with a few comments added after random tokens (end of line or own line)."""
    stream = [t for t in tokens(text) if t.kind != "COMMENT"]
    chosen = sorted(rnd.sample(range(len(stream)), k=min(5, len(stream))), reverse=True)
    for number, index in enumerate(chosen):
        end = stream[index].end
        comment = rnd.choice([f"  # note {number}\n", f"\n# note {number}\n", f"#{number}\t\n"])
        text = text[:end] + comment + text[end:]
    return text


@pytest.mark.parametrize("text", [text for _, text in PERTURBED], ids=PERTURBED_IDS)
@SETTINGS
@given(seed=SEEDS)
def test_added_comments_are_kept(text: str, seed: int) -> None:
    commented = _with_comments(text, _random(seed))
    formatted = format_text(commented)
    assert comments(formatted) == comments(commented)
    assert shape(parse(formatted)) == shape(parse(text))
    assert format_text(formatted) == formatted
