"""The highlighters (Pygments lexer, VS Code's TextMate grammar) against the parser.

The parser's tokens are the truth (tests/editor_tokens.py gives each one a role): the
Pygments lexer must give every token of every shipped ruleset the token type of its role,
and both highlighters must know every keyword of grammars/indikator.lark and every
built-in function, so that they cannot drift from the language. The TextMate grammar is
run token by token by `nox -s vscode` (editors/vscode/test/tokenize.mjs); here it is read
as JSON.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import lark
import pytest
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Literal,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
    _TokenType,
)

from indikator.functions import FUNCTIONS
from indikator.highlight import KEYWORDS, IndikatorLexer
from indikator.resources import grammar_text
from tests.editor_tokens import Role, classify

ROOT = Path(__file__).parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "highlight.ikr"
SHIPPED = sorted((ROOT / "rulesets").rglob("*.ikr"))
VSCODE = ROOT / "editors" / "vscode"
TEXTMATE = VSCODE / "syntaxes" / "indikator.tmLanguage.json"


def _grammar_keywords() -> set[str]:
    """The keywords of the lark grammar: its literal terminals that are words."""
    parser = lark.Lark(grammar_text(), parser="lalr")
    return {
        t.pattern.value
        for t in parser.terminals
        if isinstance(t.pattern, lark.lexer.PatternStr)
        and re.fullmatch(r"-?[a-z_]+", t.pattern.value)
    }


def test_the_grammar_keywords_are_found() -> None:
    # A guard on the helper itself: a few keywords of each kind, and no punctuation.
    keywords = _grammar_keywords()
    assert {"ruleset", "indicator", "half_up", "within", "yes", "-inf", "new"} <= keywords
    assert not keywords & {"->", "(", "%", "="}


# -- the fixture ----------------------------------------------------------------------


def test_the_fixture_uses_every_keyword_and_built_in_function() -> None:
    # The dynamic tests below (and the VS Code one) see every keyword only through it.
    roles = classify(FIXTURE.read_text(encoding="utf-8"))
    words = {r.text for r in roles if r.role in {"keyword", "constant"}}
    assert _grammar_keywords() - words == set()
    assert set(FUNCTIONS) - {r.text for r in roles if r.role == "builtin"} == set()


# -- Pygments -------------------------------------------------------------------------


def test_the_lexer_knows_every_keyword_of_the_grammar_and_no_other() -> None:
    listed = {word for group in KEYWORDS.values() for word in group}
    assert listed == _grammar_keywords()


# The token type each role must get (the type itself or one of its subtypes).
EXPECTED: dict[str, tuple[_TokenType, ...]] = {
    "comment": (Comment.Single,),
    "string": (String.Double,),
    "label": (String.Doc,),
    "option": (String.Symbol,),
    "number": (Number,),
    "percent": (Number,),
    "date": (Literal.Date,),
    "sign": (Number, Operator),
    "constant": (Keyword.Constant,),
    "keyword": (Keyword, Operator.Word),
    "operator": (Operator,),
    "interval": (Punctuation.Marker,),
    "builtin": (Name.Builtin,),
    "call": (Name.Function,),
    "definition": (Name.Function, Name.Class),
    "name": (Name,),
    "punctuation": (Punctuation,),
}


def _types_by_offset(text: str) -> list[_TokenType]:
    types: list[_TokenType] = [Whitespace] * len(text)
    for start, kind, value in IndikatorLexer().get_tokens_unprocessed(text):
        types[start : start + len(value)] = [kind] * len(value)
    return types


def _disagreements(text: str) -> Iterator[str]:
    types = _types_by_offset(text)
    if Error in types:
        yield f"an Error token at offset {types.index(Error)}"
    for role in classify(text):
        wanted = EXPECTED[role.role]
        for kind in types[role.start : role.end]:
            ancestry = kind.split()  # the type and every type it is a subtype of
            if not any(w in ancestry for w in wanted) or (
                role.role == "name" and Keyword in ancestry
            ):
                yield f"{role.line + 1}:{role.column + 1} {role.role} {role.text!r} is {kind}"
                break


@pytest.mark.parametrize("path", [*SHIPPED, FIXTURE], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_lexer_agrees_with_the_parser(path: Path) -> None:
    assert list(_disagreements(path.read_text(encoding="utf-8"))) == []


def test_a_disagreement_is_found() -> None:
    # The check above can fail.
    # A known limit: a keyword used as a name in an expression still looks like one.
    found = list(_disagreements("let a = count + 1\n"))
    assert found == ["1:9 name 'count' is Token.Keyword.Type"]


def _lexed(text: str) -> list[tuple[_TokenType, str]]:
    return [(t, v) for t, v in IndikatorLexer().get_tokens(text) if t is not Whitespace]


def test_a_hand_written_sample() -> None:
    text = (
        'indicator akta "Akta" en "Birth" = bands akta_lahir {  # bands\n'
        "  [0, 50) -> 0\n"
        "  [50, inf] -> 12.5 %\n"
        '} max round(x, 2) met when count(k) >= 3 and sum_x != no cites perpres "Pasal 5"\n'
    )
    assert _lexed(text) == [
        (Keyword.Declaration, "indicator"),
        (Name.Function, "akta"),
        (String.Doc, '"Akta"'),
        (Keyword, "en"),
        (String.Doc, '"Birth"'),
        (Operator, "="),
        (Keyword, "bands"),
        (Name, "akta_lahir"),
        (Punctuation, "{"),
        (Comment.Single, "# bands"),
        (Punctuation.Marker, "["),
        (Number.Integer, "0"),
        (Punctuation, ","),
        (Number.Integer, "50"),
        (Punctuation.Marker, ")"),
        (Operator, "->"),
        (Number.Integer, "0"),
        (Punctuation.Marker, "["),
        (Number.Integer, "50"),
        (Punctuation, ","),
        (Keyword.Constant, "inf"),
        (Punctuation.Marker, "]"),
        (Operator, "->"),
        (Number.Float, "12.5"),
        (Number, "%"),
        (Punctuation, "}"),
        (Keyword, "max"),
        (Name.Builtin, "round"),
        (Punctuation, "("),
        (Name, "x"),
        (Punctuation, ","),
        (Number.Integer, "2"),
        (Punctuation, ")"),
        (Keyword, "met"),
        (Keyword, "when"),
        (Name.Builtin, "count"),
        (Punctuation, "("),
        (Name, "k"),
        (Punctuation, ")"),
        (Operator, ">="),
        (Number.Integer, "3"),
        (Operator.Word, "and"),
        (Name, "sum_x"),
        (Operator, "!="),
        (Keyword.Constant, "no"),
        (Keyword, "cites"),
        (Name.Namespace, "perpres"),
        (String.Double, '"Pasal 5"'),
    ]


def test_rollup_summaries_are_keywords_and_tier_rows_are_named() -> None:
    text = (
        'tiers on total {\n  below "Belum"\n  utama "Utama" [90, 100]\n}\n'
        "rollup r by provinsi {\n  n = count()\n  top = max(total)\n}\n"
        "let m = max(a, b)\n"
    )
    lexed = _lexed(text)
    assert (Name.Label, "utama") in lexed
    assert (String.Doc, '"Belum"') in lexed
    assert lexed.count((Keyword, "count")) == 1
    assert (Keyword, "max") in lexed
    assert (Name.Builtin, "max") in lexed


def test_the_lexer_is_found_by_name_and_by_file_name() -> None:
    registered = {e.name: e.value for e in entry_points(group="pygments.lexers")}
    if "indikator" not in registered:
        pytest.skip("indikator is installed without its pygments entry point (an old editable)")
    assert get_lexer_by_name("ikr").__class__ is IndikatorLexer
    assert get_lexer_by_name("indikator").__class__ is IndikatorLexer
    assert get_lexer_for_filename("kla/2025.ikr").__class__ is IndikatorLexer


def test_the_entry_point_is_declared() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    points = pyproject["project"]["entry-points"]["pygments.lexers"]
    assert points == {"indikator": "indikator.highlight:IndikatorLexer"}
    assert "pygments>=2.12" in pyproject["project"]["optional-dependencies"]["highlight"]


def test_importing_indikator_does_not_import_pygments() -> None:
    code = "import sys, indikator; print('pygments' in sys.modules)"
    done = subprocess.run(  # noqa: S603  # the running interpreter, fixed arguments
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


def test_only_highlight_imports_pygments() -> None:
    src = ROOT / "src" / "indikator"
    users = [
        p.relative_to(src).as_posix()
        for p in sorted(src.rglob("*.py"))
        if re.search(r"^\s*(from|import) pygments", p.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert users == ["highlight.py"]


# -- TextMate (VS Code) ---------------------------------------------------------------


def _rules(node: Any) -> Iterator[dict[str, Any]]:
    """Every rule of a TextMate grammar: the objects with a `match` or a `begin`."""
    if isinstance(node, dict):
        if "match" in node or "begin" in node:
            yield node
        for value in node.values():
            yield from _rules(value)
    elif isinstance(node, list):
        for value in node:
            yield from _rules(value)


def _scopes(rule: dict[str, Any]) -> set[str]:
    names = {rule.get("name", ""), rule.get("contentName", "")}
    for key in ("captures", "beginCaptures", "endCaptures"):
        names |= {c.get("name", "") for c in rule.get(key, {}).values()}
    return names


def _textmate() -> dict[str, Any]:
    grammar: dict[str, Any] = json.loads(TEXTMATE.read_text(encoding="utf-8"))
    return grammar


def _words_of_rules_scoped(*prefixes: str) -> set[str]:
    """The words in the regular expressions of the rules giving one of these scopes."""
    found: set[str] = set()
    for rule in _rules(_textmate()):
        if any(s.startswith(prefixes) for s in _scopes(rule)):
            for key in ("match", "begin"):
                # Words, not escapes such as \b or \s: no backslash just before.
                found |= set(re.findall(r"(?<![\\\w-])-?[a-z_]+", rule.get(key, "")))
    return found


def test_textmate_knows_every_keyword_of_the_grammar() -> None:
    words = _words_of_rules_scoped("keyword.", "constant.language.")
    assert _grammar_keywords() - words == set()


def test_textmate_highlights_every_built_in_function() -> None:
    assert set(FUNCTIONS) - _words_of_rules_scoped("support.function.builtin.") == set()


def test_textmate_regular_expressions_compile() -> None:
    # Oniguruma (VS Code) and Python share the syntax used here; a typo fails both.
    for rule in _rules(_textmate()):
        for key in ("match", "begin", "end"):
            if key in rule:
                re.compile(rule[key])


def test_the_vscode_extension_contributes_the_grammar_and_the_server_setting() -> None:
    manifest = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    contributes = manifest["contributes"]
    (language,) = contributes["languages"]
    assert language["extensions"] == [".ikr"]
    assert (VSCODE / language["configuration"]).is_file()
    (grammar,) = contributes["grammars"]
    assert grammar["scopeName"] == _textmate()["scopeName"] == "source.indikator"
    assert (VSCODE / grammar["path"]).resolve() == TEXTMATE
    setting = contributes["configuration"]["properties"]["indikator.server.path"]
    assert setting["default"] == "indikator"
    assert "onLanguage:indikator" in manifest["activationEvents"]
    assert (VSCODE / manifest["main"]).is_file()


def test_roles_are_positions_in_the_text() -> None:
    # The VS Code test reads roles by line and column: they must point at the token.
    text = FIXTURE.read_text(encoding="utf-8")
    lines = text.split("\n")
    roles: list[Role] = classify(text)
    for role in roles:
        assert text[role.start : role.end] == role.text
        assert lines[role.line][role.column :].startswith(role.text.split("\n")[0])


def test_the_docs_fence_rulesets_with_a_name_of_the_lexer() -> None:
    # pymdownx.highlight finds the lexer by the fence's language: `ikr` must be one of its
    # names, or the site's rulesets would silently lose their colours.
    texts = [p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md")]
    fences = {m for text in texts for m in re.findall(r"^\s*```(\w+)", text, re.MULTILINE)}
    assert "ikr" in fences
    assert "ikr" in IndikatorLexer.aliases
