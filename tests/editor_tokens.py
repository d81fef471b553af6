"""What an editor should highlight in ruleset text, as indikator's own parser reads it.

The highlighters (the TextMate grammar of editors/vscode, the Pygments lexer) are
regular expressions; the parser is the truth. `classify` gives every token of a text a
role (keyword, label, built-in call, ...) from the lark tokens and the grammar rules they
belong to. tests/unit/test_highlight.py checks the Pygments lexer against it, and
`python -m tests.editor_tokens OUT.json FILE...` writes it for the VS Code test
(editors/vscode/test/tokenize.mjs, run by `nox -s vscode`).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import attrs

from indikator.functions import FUNCTIONS
from indikator.syntax import Token, tokens

__all__ = ["Role", "classify", "main"]

_WORD = re.compile(r"-?[a-z_]+")
_CONSTANTS = frozenset({"yes", "no", "inf", "-inf"})
_OPERATORS = frozenset({"COMPARE", "ADD_OP", "MUL_OP", "EQUAL"})
# The keywords that introduce a definition: the name after them is being defined.
_DEFINERS = frozenset({"param", "input", "indicator", "let", "group", "rank", "rollup", "ruleset"})


@attrs.frozen
class Role:
    """One token of the text: where it is (offsets, line and column from 0) and its role."""

    start: int
    end: int
    line: int
    column: int
    role: str
    text: str


def _string_role(token: Token, previous: Token | None) -> str:
    if token.rules[-1:] in {("strings",), ("option_row",)}:
        return "option"
    if previous is not None and previous.kind == "EN":
        return "label"
    # A requirement's label follows an expression, which no regular expression can find.
    if token.rules[-1:] == ("label",) and token.rules[-2:-1] != ("requirement",):
        return "label"
    return "string"


def _name_role(token: Token, previous: Token | None, following: Token | None) -> str:
    if previous is not None and (
        previous.text in _DEFINERS
        or (previous.text == "source" and token.rules[-1:] == ("source_decl",))
    ):
        return "definition"
    if token.rules[-1:] == ("call",) and following is not None and following.text == "(":
        return "builtin" if token.text in FUNCTIONS else "call"
    return "name"


def _role(token: Token, previous: Token | None, following: Token | None) -> str:
    kind = token.kind
    if kind == "COMMENT":
        return "comment"
    if kind == "STRING":
        return _string_role(token, previous)
    if kind in {"DECIMAL", "INT"}:
        return "number"
    if kind == "PERCENT":
        return "percent"
    if kind == "DATE":  # a deadline: `due 2026-11-16`
        return "date"
    if kind == "SIGN":  # of a number: `-5`
        return "sign"
    if kind == "NAME":
        return _name_role(token, previous, following)
    if token.text in _CONSTANTS:
        return "constant"
    if _WORD.fullmatch(token.text):
        return "keyword"
    if kind in _OPERATORS or token.text == "->":
        return "operator"
    if token.rules[-1:] in {("opening",), ("closing",)}:
        return "interval"
    return "punctuation"


def classify(text: str) -> list[Role]:
    """Every token of `text` (comments included) with the role a highlighter gives it.

    Roles: comment, string, label (a definition's or tier's label, or its English one),
    option (a value of an option or checklist), number, sign (of a number), percent, date,
    constant (yes, no, inf), keyword, operator, interval (a bracket of an interval),
    definition (the name a definition introduces), builtin (a call of a built-in
    function), call, name, punctuation.
    """
    text = text.removeprefix("\ufeff")
    found = tokens(text)
    code = [t for t in found if t.kind != "COMMENT"]
    around = {
        id(t): (code[i - 1] if i else None, code[i + 1] if i + 1 < len(code) else None)
        for i, t in enumerate(code)
    }
    roles = []
    for token in found:
        previous, following = around.get(id(token), (None, None))
        line = text.count("\n", 0, token.start)
        column = token.start - (text.rfind("\n", 0, token.start) + 1)
        role = _role(token, previous, following)
        # Only a label on the line of what it labels is recognisable as one.
        if role == "label" and previous and text.count("\n", previous.start, token.start):
            role = "string"
        roles.append(Role(token.start, token.end, line, column, role, token.text))
    return roles


def main(argv: list[str]) -> int:
    """Write `{file: [role, ...]}` of the files `argv[1:]` as JSON to `argv[0]`."""
    out, *files = argv
    data = {
        str(Path(name).resolve()): [
            attrs.asdict(r) for r in classify(Path(name).read_text(encoding="utf-8"))
        ]
        for name in files
    }
    Path(out).write_text(json.dumps(data), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
