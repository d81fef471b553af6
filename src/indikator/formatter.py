"""Formatting: ruleset text → the same ruleset in canonical layout (`indikator fmt`).

Input: ruleset text. Output: the same tokens and comments, only the white space between
them rewritten:

* 2 spaces of indentation per open brace or bracket; a line that continues a definition
  (its body or clauses on the next line) is indented 2 more;
* every top-level definition, band or option row, tier and rollup item begins a line,
  and so does every header field in a header written over several lines;
* band and option rows are aligned on `->` within their table, tiers on their label,
  interval and first requirement;
* one space around `=`, `->`, binary operators and after commas; none inside brackets,
  before `,` `:` `)` `]`, between a function and its `(`, or after a unary minus;
* the author's other line breaks (a long body on its own line, the fields of an input
  grouped on a line, clauses on the next line) are kept; runs of blank lines become one;
  there are no blank lines just inside braces;
* comments stay where they are: a comment on its own line keeps its own line (indented
  like the code after it), an end-of-line comment stays after the same code; end-of-line
  comments on consecutive lines are aligned;
* LF line ends, no tabs or trailing white space outside strings, one final newline.

Formatting is idempotent, and the result re-reads to the same tokens in the same grammar
rules: that is checked on every call (a difference would raise `InternalError`).

Errors: `RulesetSyntaxError` (IK001-IK003, IK005, IK102) when the text does not parse;
`RulesetCheckError` (IK004) for a file that is not UTF-8.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import attrs

from indikator.errors import InternalError, too_deep
from indikator.link import read_source
from indikator.syntax import Token, parse, tokens

__all__ = ["format_file", "format_text"]

_INDENT = 2
# What separates two tokens: nothing but spaces, a line break, or a blank line too.
_SAME_LINE, _NEW_LINE, _BLANK_LINE = 0, 1, 2
_COMMENT_GAP = 2  # spaces between code and an end-of-line comment

_HEADER_FIELDS = frozenset({"title", "edition", "source", "scale", "region", "region_name"})
_INPUT_FIELDS = frozenset(
    {"unit", "range", "better", "agency", "missing", "source", "note_field", "evidence"}
)
_SOURCE_FIELDS = frozenset(
    {"src_issuer", "src_number", "src_date", "src_url", "src_offline", "src_passage", "src_note"}
)
# Rules that begin a line of their own inside a block.
_ROWS = frozenset({"band_row", "option_row", "below", "tier", "rollup_item"})
# Blocks whose contents are always laid out one row per line.
_ROW_BLOCKS = frozenset({"bands", "options", "tiers", "rollup"})
# Rows of a table: aligned in columns (the `->` of bands and options; tier, label, interval).
_TABLE_ROWS = frozenset({"band_row", "option_row", "tier"})
# Rules kept on one line: a row and an interval are read at a glance.
_ONE_LINE = ("band_row", "option_row", "interval")
# A `(` that belongs to the word before it: `count(x)`, `option("a")`, `sum(a, b)`.
_CALL_PARENS = frozenset({"call", "t_option", "t_checklist", "aggregate", "rollup_item"})
_OPENERS = frozenset("{[(")
_CLOSERS = frozenset("}])")


def format_text(text: str, file: str = "<text>") -> str:
    r"""The canonical layout of ruleset text; comments are kept.

    Examples:
        >>> print(format_text("param  w=40   # weight"), end="")
        param w = 40  # weight
        >>> print(format_text('indicator s=bands x{[0,50)->0 [50,100]->10}'), end="")
        indicator s = bands x {
          [0, 50)   -> 0
          [50, 100] -> 10
        }
    """
    text = text.removeprefix("\ufeff")
    _parse(text, file)  # the grammar, and the checks made after it
    stream = tokens(text, file)
    formatted = _Layout(stream, text).render()
    _verify(stream, formatted, file)
    return formatted


def format_file(path: str | Path, *, write: bool = False) -> tuple[str, bool]:
    """Format a ruleset file: its canonical text and whether that differs from the file.

    With `write=True` a file that differs is replaced atomically (a temporary file in the
    same folder, then a rename), so it is never left half written. A file that does not
    parse raises and is left untouched.
    """
    path = Path(path)
    formatted = format_text(read_source(path, str(path)), str(path))
    changed = formatted.encode("utf-8") != path.read_bytes()
    if write and changed:
        _replace(path, formatted)
    return formatted, changed


def _replace(path: Path, text: str) -> None:
    path = path.resolve()  # through a symbolic link, to the file itself
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        Path(temporary).chmod(path.stat().st_mode & 0o7777)  # keep the file's permissions
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _parse(text: str, file: str) -> None:
    try:
        parse(text, file)
    except RecursionError:
        raise too_deep(file, "format") from None


def _verify(before: Sequence[Token], formatted: str, file: str) -> None:
    """The formatted text must hold the same tokens, in the same rules, as the original."""
    after = tokens(formatted, file)
    if [_identity(t) for t in after] != [_identity(t) for t in before]:
        raise InternalError(f"formatting '{file}' would change its tokens")


def _identity(token: Token) -> tuple[str, str, tuple[str, ...]]:
    return (token.kind, token.text.rstrip(), token.rules)


# --- layout ------------------------------------------------------------------------------


@attrs.define
class _Line:
    """One output line: code (and/or a comment) at an indentation."""

    indent: int
    code: str = ""
    comment: str | None = None
    blank_before: bool = False
    table: int | None = None  # the `{` of the table whose row begins this line
    stops: dict[int, int] = attrs.Factory(dict)  # column → where it begins in `code`

    def indented(self) -> str:
        """The code with its indentation (empty for a line holding only a comment)."""
        return " " * self.indent + self.code if self.code else ""

    def text(self, comment_column: int = 0) -> str:
        """The whole line; an end-of-line comment starts at `comment_column` or later."""
        if self.comment is None:
            return self.indented()
        if not self.code:
            return " " * self.indent + self.comment
        return self.indented().ljust(comment_column) + self.comment


@attrs.define
class _Open:
    """An open bracket: the indentation of its line, and whether it is a brace."""

    base: int
    brace: bool
    token: int


def _is_comment(token: Token) -> bool:
    return token.kind == "COMMENT"


def _opens_at(token: Token, depth: int) -> bool:
    """Whether the token begins the rule at `depth` in its rules (0 = a top-level item)."""
    return len(token.rules) > depth and token.opens >= len(token.rules) - depth


def _starts_statement(token: Token) -> bool:
    """Whether the token begins a definition, a header or input field, or a row."""
    rules = token.rules
    if _opens_at(token, 0):
        return True
    if len(rules) > 1 and _opens_at(token, 1):
        fields = {
            "header": _HEADER_FIELDS,
            "input": _INPUT_FIELDS,
            "source_decl": _SOURCE_FIELDS,
        }.get(rules[0], frozenset())
        if rules[1] in fields:
            return True
    return any(rule in _ROWS for rule in token.opened)


def _unary(token: Token) -> bool:
    return token.kind == "SIGN" or (token.text == "-" and token.rules[-1:] == ("neg",))


def _space(before: Token, after: Token) -> bool:
    """Whether one space separates two tokens on a line."""
    if before.text in {"(", "["} or _unary(before):
        return False
    if after.text in {")", "]", ",", ":"}:
        return False
    return not (after.text == "(" and after.rules[-1] in _CALL_PARENS)


def _column(token: Token) -> int | None:
    """The column of a table row that this token begins, if any (column 0 begins the row).

    Band and option rows: 1 is the `->`. Tiers: 1 is the label, 2 the interval, 3 the
    first requirement.
    """
    if token.text == "->":
        return 1
    rules = token.rules
    cell = rules[2:3]  # the part of the tier this token is in
    if rules[:2] != ("tiers", "tier") or not cell or cell[0] not in token.opened:
        return None
    return {"label": 1, "interval": 2, "requirement": 3}.get(cell[0])


def _cells(line: _Line) -> list[tuple[int, tuple[int, int]]]:
    """A row's complete cells: (column, (start, end) in its code); the rest is left as is."""
    if line.table is None or not line.stops:
        return []
    columns = sorted(line.stops)
    starts = [0, *(line.stops[c] for c in columns)]
    return list(zip([0, *columns], itertools.pairwise(starts), strict=False))


def _bracket(token: Token, brackets: frozenset[str]) -> bool:
    return not _is_comment(token) and token.text in brackets


class _Layout:
    """Lays the token stream out line by line, then aligns rows and comments."""

    def __init__(self, stream: Sequence[Token], text: str) -> None:
        self.stream = stream
        self.text = text
        self.openers: dict[int, int] = {}  # position of each `}` → position of its `{`
        self.enclosing: dict[int, int] = {}  # position of a token → its innermost `{`
        self.multiline = self._multiline_blocks()
        self.lines: list[_Line] = []
        self.stack: list[_Open] = []
        self.waiting: list[_Line] = []  # own-line comments: indented like the next code
        self.previous: Token | None = None  # the last code token placed

    def _multiline_blocks(self) -> set[int]:
        """The `{` (by position in the stream) whose contents go on lines of their own.

        Rows (bands, options, tiers, rollups) always do; a header or an input's fields
        only if the author spread them over lines. An empty block stays `{ }`.
        """
        multiline: set[int] = set()
        open_braces: list[int] = []
        for index, token in enumerate(self.stream):
            if open_braces:
                self.enclosing[index] = open_braces[-1]
            if _is_comment(token) or token.text not in {"{", "}"}:
                continue
            if token.text == "{":
                open_braces.append(index)
                continue
            start = self.openers[index] = open_braces.pop()
            spread = "\n" in self.text[self.stream[start].end : token.start]
            rows = self.stream[start].rules[-1] in _ROW_BLOCKS
            if index > start + 1 and (spread or rows):
                multiline.add(start)
        return multiline

    # -- deciding line breaks

    def _breaks(self, index: int) -> int:
        """What separates token `index` from the one before: `_SAME_LINE`, `_NEW_LINE`, ..."""
        token = self.stream[index]
        if index == 0:
            return _NEW_LINE
        before = self.stream[index - 1]
        newlines = min(self.text.count("\n", before.end, token.start), _BLANK_LINE)
        if _is_comment(token):
            wanted = newlines
        elif _is_comment(before) or self._forced(index):
            wanted = max(newlines, _NEW_LINE)
        elif self._joined(before, token):
            wanted = _SAME_LINE
        else:
            wanted = newlines
        if wanted == _BLANK_LINE and (_bracket(before, _OPENERS) or _bracket(token, _CLOSERS)):
            return _NEW_LINE  # no blank line just inside brackets
        return wanted

    def _forced(self, index: int) -> bool:
        """Whether a line must break before token `index` (not a comment, nor after one)."""
        token = self.stream[index]
        if _opens_at(token, 0) or any(rule in _ROWS for rule in token.opened):
            return True
        if token.rules[0] == "header" and _starts_statement(token):
            return self.enclosing.get(index) in self.multiline  # a header field
        if self.stream[index - 1].text == "{" and index - 1 in self.multiline:
            return True
        return token.text == "}" and self.openers[index] in self.multiline

    @staticmethod
    def _joined(before: Token, token: Token) -> bool:
        """Whether two code tokens go on one line even if the author broke the line."""
        if token.text in {"{", ",", ":", "%"} or _unary(before):
            return True
        return any(rule in token.rules and rule not in token.opened for rule in _ONE_LINE)

    # -- laying out

    def render(self) -> str:
        for index, token in enumerate(self.stream):
            self._place(index, token, self._breaks(index))
        for line in self.waiting:
            line.indent = 0  # comments after the last definition
        if not self.lines:
            return ""
        self._align_rows()
        return "\n".join(self._final_lines()) + "\n"

    def _place(self, index: int, token: Token, breaks: int) -> None:
        if _is_comment(token):
            self._place_comment(token.text.rstrip(), breaks)
            return
        if breaks != _SAME_LINE or self.previous is None:
            indent = self._indent(token)
            for line in self.waiting:
                closing = token.text in _CLOSERS
                line.indent = self.stack[-1].base + _INDENT if closing else indent
            self.waiting.clear()
            table = self.stack[-1].token if any(r in _TABLE_ROWS for r in token.opened) else None
            self.lines.append(
                _Line(indent, token.text, blank_before=breaks == _BLANK_LINE, table=table)
            )
        else:
            line = self.lines[-1]
            column = _column(token)
            if line.table is not None and column is not None and column not in line.stops:
                line.stops[column] = len(line.code)
            line.code += (" " if _space(self.previous, token) else "") + token.text
        self.previous = token
        if token.text in _OPENERS:
            self.stack.append(_Open(self.lines[-1].indent, brace=token.text == "{", token=index))
        elif token.text in _CLOSERS:
            self.stack.pop()

    def _place_comment(self, comment: str, breaks: int) -> None:
        if breaks == _SAME_LINE and self.lines:
            self.lines[-1].comment = comment
            return
        line = _Line(0, comment=comment, blank_before=breaks == _BLANK_LINE)
        self.lines.append(line)
        self.waiting.append(line)

    def _indent(self, token: Token) -> int:
        if token.text in _CLOSERS:
            return self.stack[-1].base
        continuation = 0 if _starts_statement(token) else _INDENT
        if not self.stack:
            return continuation
        top = self.stack[-1]
        return top.base + _INDENT + (continuation if top.brace else 0)

    # -- aligning

    def _align_rows(self) -> None:
        """Pad the columns of each table's rows (band, option and tier rows) to one width."""
        widths: dict[tuple[int, int], int] = {}
        for line in self.lines:
            for column, (start, end) in _cells(line):
                key = (line.table or 0, column)
                widths[key] = max(widths.get(key, 0), end - start)
        for line in self.lines:
            cells = _cells(line)
            if not cells:
                continue
            padded = [
                line.code[start:end].ljust(widths[line.table or 0, column])
                for column, (start, end) in cells
            ]
            line.code = "".join(padded) + line.code[cells[-1][1][1] :]

    def _final_lines(self) -> list[str]:
        """The text of each line; end-of-line comments on consecutive lines share a column."""
        out: list[str] = []
        start = 0
        while start < len(self.lines):
            end = start + 1
            while (
                self._trailing(start)
                and end < len(self.lines)
                and self._trailing(end)
                and not self.lines[end].blank_before
            ):
                end += 1
            column = max(len(line.indented()) for line in self.lines[start:end]) + _COMMENT_GAP
            for line in self.lines[start:end]:
                if line.blank_before and out:
                    out.append("")
                out.append(line.text(column))
            start = end
        return out

    def _trailing(self, index: int) -> bool:
        """Whether the line has code and an end-of-line comment."""
        line = self.lines[index]
        return bool(line.code) and line.comment is not None
