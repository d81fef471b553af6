"""The front end never crashes: mutated rulesets compile or raise a located IndikatorError."""

from __future__ import annotations

import os
from pathlib import Path

import lark
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

import indikator
from indikator.resources import grammar_text

#: `nox -s fuzz` multiplies every example budget here (the suite runs with 1).
SCALE = int(os.environ.get("INDIKATOR_FUZZ_SCALE", "1"))
TOUR = (Path(__file__).parents[1] / "fixtures" / "tour.ikr").read_text(encoding="utf-8")
TOKENS = (
    *("{", "}", "(", ")", "[", "]", ",", "->", "=", "%", "-inf", "inf", "if", "then", "else"),
    *("and", "not", "max", "round", "requires", "bands", "1e5", '"', "#", "\t", "\r\n", "\ufeff"),
)


def _compile_or_located_error(text: str) -> None:
    try:
        indikator.loads(text, file="fuzz.ikr")
    except indikator.RulesetError as error:
        assert error.diagnostics  # noqa: PT017  # the property is about the error's content
        for diagnostic in error.diagnostics:
            assert diagnostic.span is not None, diagnostic
            assert diagnostic.span.line >= 1


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = TOUR
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        match draw(st.sampled_from(["delete", "insert", "duplicate", "flip"])):
            case "delete":
                length = draw(st.integers(1, 12))
                text = text[:position] + text[position + length :]
            case "insert":
                text = text[:position] + draw(st.sampled_from(TOKENS)) + text[position:]
            case "duplicate":
                length = draw(st.integers(1, 40))
                text = (
                    text[:position]
                    + text[position : position + length] * 2
                    + text[position + length :]
                )
            case "flip":
                char = draw(st.characters(codec="utf-8"))
                text = text[:position] + char + text[position + 1 :]
    return text


@settings(max_examples=150 * SCALE, deadline=None)
@given(mutated())
@example("")
@example("ruleset")
@example(TOUR.replace("[80, inf)", "[80, 70)"))
def test_mutated_rulesets_never_crash(text: str) -> None:
    _compile_or_located_error(text)


@settings(max_examples=100 * SCALE, deadline=None)
@given(st.text(max_size=200))
def test_random_text_never_crashes(text: str) -> None:
    _compile_or_located_error(text)


@settings(max_examples=100 * SCALE, deadline=None)
@given(from_lark(lark.Lark(grammar_text(), parser="lalr")))
def test_text_drawn_from_the_grammar_never_crashes(text: str) -> None:
    # Sentences of the grammar (tokens drawn from each terminal's pattern, the ignored
    # whitespace only now and then): they reach far past the first token, into the
    # checker, with names, numbers and strings of every shape.
    _compile_or_located_error(text)


@settings(max_examples=30 * SCALE, deadline=None)
@given(
    st.integers(16, 400),
    st.sampled_from(["param w = {n}", "let y = x * {n}", "indicator z = x * {n}.5 max 10"]),
)
def test_huge_numbers_give_located_errors(digits: int, template: str) -> None:
    line = template.format(n="9" * digits)
    text = (
        f"ruleset r {{ }}\ninput x: percent {{ missing zero }}\nindicator s = x max 100\n{line}\n"
    )
    _compile_or_located_error(text)
