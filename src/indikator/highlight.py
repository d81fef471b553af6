"""Syntax highlighting of rulesets with Pygments: the `IndikatorLexer`.

Registered as the Pygments lexer `ikr` (also `indikator`, files `*.ikr`) through the
`pygments.lexers` entry point, so the docs site (pymdownx.highlight), Sphinx and
`pygmentize` colour rulesets once indikator is installed. Pygments is an optional
dependency (`pip install "indikator[highlight]"`) and only this module imports it.

The lexer mirrors the TextMate grammar of the VS Code extension
(editors/vscode/syntaxes/indikator.tmLanguage.json): regular expressions that follow the
parser's tokens closely enough to colour them, tested against the parser on every shipped
ruleset (tests/unit/test_highlight.py). Keywords are contextual in the grammar (`count` is
a type, a rollup summary and a built-in function); a word followed by `(` is a call.

Examples:
    >>> from pygments.token import Keyword
    >>> [(t, v) for t, v in IndikatorLexer().get_tokens("input x: percent") if t in Keyword]
    [(Token.Keyword.Declaration, 'input'), (Token.Keyword.Type, 'percent')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from pygments.lexer import LexerContext, RegexLexer, bygroups, include, words
from pygments.token import (
    Comment,
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

__all__ = ["KEYWORDS", "IndikatorLexer"]

_NAME = r"[a-z_][a-z0-9_]*"
_STRING = r'"(?:[^"\\\n]|\\.)*"'
_NOT_TIER = r"(?!(?:below|requires|on)\b)"  # words that start a tiers block's other lines
# Longest first: `count_missing` before `count`.
_BUILTINS = "|".join(sorted(FUNCTIONS, key=len, reverse=True))
_DEFINERS = "param|input|indicator|let|group|rank|ruleset"
_LABEL = rf"(?:(\s*)({_STRING}))?"  # an optional label after a name: whitespace, string

#: The grammar's keywords by the token type they get. tests/unit/test_highlight.py fails
#: when grammars/indikator.lark has a keyword missing here.
KEYWORDS: dict[_TokenType, tuple[str, ...]] = {
    Keyword.Declaration: (
        *("ruleset", "source", "param", "input", "indicator", "let", "group"),
        *("tiers", "rank", "rollup", "import", "extends", "new"),
    ),
    Keyword: (
        *("bands", "linear", "options", "if", "then", "else", "from", "to", "onto", "on"),
        *("by", "within", "ties", "below", "requires", "met", "when"),
        *("title", "edition", "scale", "region", "name", "en", "issuer", "date", "url"),
        *("offline", "passage", "note", "cites", "assumed", "unit", "range", "better"),
        *("agency", "missing", "max", "round", "evidence", "due"),
        # aggregators of a group, summaries of a rollup
        *("sum", "mean", "weighted", "min", "share", "all", "any"),
    ),
    Operator.Word: ("and", "or", "not"),
    Keyword.Type: ("number", "percent", "count", "yesno", "text", "option", "checklist"),
    Keyword.Pseudo: (
        *("higher", "lower", "zero", "exclude", "error", "half_up", "half_even"),
        *("half_down", "up", "down", "floor", "ceiling", "asc", "desc"),
    ),
    Keyword.Constant: ("yes", "no", "inf", "-inf"),
}

# A Pygments rule: (regular expression or `words`, token type or callback[, new state]).
_Rule = tuple[Any, ...]
_Callback = Callable[[RegexLexer, Any, LexerContext | None], Iterator[tuple[int, Any, str]]]


def _groups(*kinds: _TokenType) -> _Callback:
    """Pygments' `bygroups` (one token type per group of the match), typed."""
    callback: _Callback = bygroups(*kinds)  # type: ignore[no-untyped-call]  # untyped in the stubs
    return callback


def _keywords() -> list[_Rule]:
    rules: list[_Rule] = [(r"(?<![\w.])-inf\b", Keyword.Constant)]
    for kind, names in KEYWORDS.items():
        plain = tuple(name for name in names if name[0].isalpha())
        rules.append((words(plain, prefix=r"\b", suffix=r"\b"), kind))
    return rules


class IndikatorLexer(RegexLexer):
    """Pygments lexer for indikator rulesets (`.ikr`)."""

    name = "indikator"
    aliases: ClassVar[list[str]] = ["indikator", "ikr"]
    filenames: ClassVar[list[str]] = ["*.ikr"]
    mimetypes: ClassVar[list[str]] = ["text/x-indikator"]

    tokens: ClassVar[dict[str, list[_Rule | include]]] = {
        "root": [include("code")],
        "code": [
            (r"\s+", Whitespace),
            (r"#.*?$", Comment.Single),
            # Blocks whose words mean something else inside: summaries, tier rows.
            (
                rf"\b(rollup)(\s+)({_NAME}){_LABEL}",
                _groups(Keyword.Declaration, Whitespace, Name.Function, Whitespace, String.Doc),
                "rollup",
            ),
            (r"\btiers\b", Keyword.Declaration, "tiers"),
            (
                r"\b(option|checklist)(\s*)(\()",
                _groups(Keyword.Type, Whitespace, Punctuation),
                "values",
            ),
            (rf"({_STRING})(\s*)(->)", _groups(String.Symbol, Whitespace, Operator)),
            # A definition's name, and the label (shown to users) that follows it.
            (
                rf"\b(?:(new)(\s+))?({_DEFINERS})(\s+)({_NAME}){_LABEL}",
                _groups(
                    Keyword.Declaration,
                    Whitespace,
                    Keyword.Declaration,
                    Whitespace,
                    Name.Function,
                    Whitespace,
                    String.Doc,
                ),
            ),
            (
                rf"\b(source)(\s+)({_NAME}){_LABEL}",
                _groups(Keyword.Declaration, Whitespace, Name.Class, Whitespace, String.Doc),
            ),
            (rf"\b(cites)(\s+)({_NAME})", _groups(Keyword, Whitespace, Name.Namespace)),
            (rf"\b(en|title)(\s*)({_STRING})", _groups(Keyword, Whitespace, String.Doc)),
            (rf"{_STRING}|\"[^\"\n]*", String.Double),
            # A call takes its parenthesis (on its line), which is then no interval's.
            (r"\b(sum|mean|weighted)([ \t]*)(\()", _groups(Keyword, Whitespace, Punctuation)),
            (rf"\b({_BUILTINS})([ \t]*)(\()", _groups(Name.Builtin, Whitespace, Punctuation)),
            *_keywords(),
            (rf"({_NAME})([ \t]*)(\()", _groups(Name.Function, Whitespace, Punctuation)),
            (r"(?<![\w.])[0-9]{4}-[0-9]{2}-[0-9]{2}(?![\w.])", Literal.Date),  # `due` a date
            (r"(?<![\w.])[-+]?[0-9]+\.[0-9]+(?![\w.])", Number.Float),
            (r"(?<![\w.])[-+]?[0-9]+(?![\w.])", Number.Integer),
            (r"%", Number),
            # [a, b) and (a, b]: which side is included is the point of the brackets.
            (r"\[|\((?=[^()\[\]\n,]*,[^()\[\]\n,]*[\])])", Punctuation.Marker, "interval"),
            (r"->|>=|<=|==|!=|[<>=+\-*/]", Operator),
            (r"[{}(),:]", Punctuation),
            (_NAME, Name),
        ],
        "interval": [(r"[\])]", Punctuation.Marker, "#pop"), include("code")],
        "values": [
            (r"\s+", Whitespace),
            (r"#.*?$", Comment.Single),
            (_STRING, String.Symbol),
            (r",", Punctuation),
            (r"\)", Punctuation, "#pop"),
        ],
        "tiers": [
            (rf"\b(below)(\s*)({_STRING})", _groups(Keyword, Whitespace, String.Doc)),
            (
                # At a line's start (or after `{` or an interval): the whitespace before it
                # is part of the match, as the shared rules would take it otherwise.
                rf"((?:[ \t]*\n|(?<=[{{\])]))\s*){_NOT_TIER}({_NAME})(\s+)({_STRING})",
                _groups(Whitespace, Name.Label, Whitespace, String.Doc),
            ),
            (r"\}", Punctuation, "#pop"),
            include("code"),
        ],
        "rollup": [
            (
                rf"((?:[ \t]*\n|^)\s*)({_NAME}){_LABEL}(?=\s*(?:=|en\b))",
                _groups(Whitespace, Name.Variable, Whitespace, String.Doc),
            ),
            (
                r"(=)(\s*)(count|sum|mean|min|max|share|all|any)(\s*)(\()",
                _groups(Operator, Whitespace, Keyword, Whitespace, Punctuation),
            ),
            (r"\}", Punctuation, "#pop"),
            include("code"),
        ],
    }
