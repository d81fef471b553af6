"""The parser's lexer without a regex per parser state finds exactly what lark's finds.

`syntax` loads the shipped LALR tables with a contextual lexer of its own
(`syntax._SharedContextualLexer`): each state tries its terminals one by one instead of
compiling an alternation of them. Here lark's own lexer, loaded from the same tables, is
the oracle: every state at every place of real and broken text gives the same terminal
and text, and whole parses give the same tokens (type, text, every position) or the same
error.
"""

from __future__ import annotations

import functools
import random
import re
from pathlib import Path
from typing import Any

import lark
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.extra.lark import from_lark
from lark.utils import TextSlice

from indikator import _lalr_tables, syntax
from indikator.resources import grammar_text, rulesets_dir

pytestmark = pytest.mark.skipif(
    lark.__version__ != _lalr_tables.LARK_VERSION or grammar_text() != _lalr_tables.GRAMMAR,
    reason="the shipped tables are not this lark's or this grammar's: lark's own lexer runs",
)

_SHIPPED = sorted(rulesets_dir().rglob("*.ikr"))
_DOCS = sorted((Path(__file__).parents[2] / "docs").rglob("*.md"))
_FENCED = re.compile(r"^```ikr\n(.*?)^```", re.MULTILINE | re.DOTALL)

# Pieces that broken text is made of: the language's words and signs, and some it lacks.
_PIECES = (
    *"{}[]()<>=!+-*/%,.:;#\"'\n\t _",
    "->",
    ">=",
    "<=",
    "==",
    "!=",
    "1",
    "0.5",
    "2025-01-31",
    "x",
    "if",
    "iff",
    "to",
    "total",
    "input",
    "indicator",
    "Bands",
    "é",
    "\u00a0",
)


@functools.cache
def _lark_parser() -> lark.Lark:
    """lark's own parser of the shipped tables, as it loads them (no lexer of ours)."""
    loaded: lark.Lark = lark.Lark._load_from_dict(_lalr_tables.DATA, _lalr_tables.MEMO)  # type: ignore[no-untyped-call]  # noqa: SLF001
    return loaded


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in _SHIPPED]
    texts += [m for p in _DOCS for m in _FENCED.findall(p.read_text(encoding="utf-8"))]
    return [t for t in texts if t.strip()]


def _broken(text: str, rng: random.Random) -> str:
    """`text` with a few pieces deleted, inserted or replaced somewhere."""
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(text) + 1)
        kind = rng.randrange(3)
        piece = rng.choice(_PIECES)
        if kind == 0:
            text = text[:at] + text[at + rng.randint(1, 6) :]
        elif kind == 1:
            text = text[:at] + piece + text[at:]
        else:
            text = text[:at] + piece + text[at + len(piece) :]
    return text


def _outcome(parser: lark.Lark, text: str) -> Any:
    """Every token with all its positions, or the error with what it says and holds."""
    try:
        tree = parser.parse(text)
    except lark.exceptions.UnexpectedInput as error:
        return (
            type(error).__name__,
            str(error),
            error.line,
            error.column,
            error.pos_in_stream,
            sorted(getattr(error, "expected", None) or getattr(error, "allowed", None) or ()),
            repr(getattr(error, "token", None)),
        )
    return [
        (t.type, str(t), t.start_pos, t.line, t.column, t.end_line, t.end_column, t.end_pos)
        for t in tree.scan_values(lambda v: isinstance(v, lark.Token))
    ]


def test_the_shipped_tables_load_with_our_lexer_and_table_reader() -> None:
    frontend = syntax._token_parser().parser  # noqa: SLF001
    assert isinstance(frontend.lexer, syntax._SharedContextualLexer)  # noqa: SLF001
    assert isinstance(frontend.parser, syntax._TableParser)  # noqa: SLF001


def _actions(table: Any) -> dict[int, dict[str, tuple[str, Any]]]:
    """A parse table's actions, each rule by what it is (the two parsers' are not shared)."""
    return {
        state: {
            token: (action.name, arg if isinstance(arg, int) else (str(arg), arg.order, arg.alias))
            for token, (action, arg) in actions.items()
        }
        for state, actions in table.states.items()
    }


def test_the_parse_table_is_lark_own() -> None:
    ours = syntax._token_parser().parser.parser._parse_table  # noqa: SLF001
    theirs = _lark_parser().parser.parser._parse_table  # noqa: SLF001
    assert _actions(ours) == _actions(theirs)
    assert (ours.start_states, ours.end_states) == (theirs.start_states, theirs.end_states)
    assert len(ours.states) > 100


@pytest.mark.parametrize("seed", range(4))
def test_every_state_matches_what_lark_matches_at_every_place(seed: int) -> None:
    ours = syntax._token_parser().parser.lexer  # noqa: SLF001
    theirs = _lark_parser().parser.lexer
    rng = random.Random(seed)  # noqa: S311  # reproducible test data, not a secret
    text = _broken(rng.choice(_texts()), rng)
    places = rng.sample(range(len(text)), min(len(text), 300))
    whole = TextSlice(text, 0, len(text))
    compared = 0
    for state in sorted(theirs.lexers):
        mine, lark_own = ours.lexers[state], theirs.lexers[state]  # ours made when asked
        assert mine.scanner.allowed_types == lark_own.scanner.allowed_types
        assert set(mine.callback) == set(lark_own.callback)
        for place in places:
            found = mine.match(whole, place)
            assert found == lark_own.match(whole, place), (state, place, text[place : place + 20])
            if found is not None and found[1] in mine.callback:  # a NAME that may be a keyword
                token = lark.Token(found[1], found[0])
                same = lark.Token(found[1], found[0])
                assert mine.callback[found[1]](token).type == lark_own.callback[found[1]](same).type
            compared += 1
    assert compared > 10_000


def test_real_text_parses_to_the_same_tokens() -> None:
    ours, theirs = syntax._token_parser(), _lark_parser()  # noqa: SLF001
    for text in _texts():
        assert _outcome(ours, text) == _outcome(theirs, text)


@pytest.mark.parametrize("seed", range(6))
def test_broken_text_gives_the_same_tokens_or_the_same_error(seed: int) -> None:
    ours, theirs = syntax._token_parser(), _lark_parser()  # noqa: SLF001
    rng = random.Random(1000 + seed)  # noqa: S311  # reproducible test data, not a secret
    texts = _texts()
    errors = 0
    for _ in range(40):
        text = _broken(rng.choice(texts), rng)
        outcome = _outcome(ours, text)
        assert outcome == _outcome(theirs, text), text
        errors += isinstance(outcome, tuple)
    assert errors > 0  # the broken texts do reach lark's error paths


# Drawing from the grammar is slow on a loaded machine: a health check is no finding.
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(from_lark(lark.Lark(grammar_text(), parser="lalr")))
def test_sentences_of_the_grammar_give_the_same_tokens(text: str) -> None:
    # Every terminal drawn from its own pattern: names that are almost keywords, numbers
    # and dates of every shape, strings with escapes, comments.
    assert _outcome(syntax._token_parser(), text) == _outcome(_lark_parser(), text)  # noqa: SLF001
