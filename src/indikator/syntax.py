"""Parsing: ruleset text → `nodes.Module`. The only module that imports lark.

Raises `RulesetSyntaxError` with a located diagnostic that names what was expected in
the language's own words. `tokens` gives the formatter the token stream instead: every
token with its place in the grammar, comments included.
"""

from __future__ import annotations

import copy
import functools
import importlib
import importlib.util
import re
import sys
import types
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar, cast

import attrs


class _ImportedWhenUsed(types.ModuleType):
    """A module that stands in for another until one of its names is read.

    lark imports interegular whenever it is installed, for what only building a grammar
    uses (checking that no two terminals match the same text): a sixth of importing lark,
    and loading a ruleset from the shipped tables never reads it. The first name read
    imports the real module, which takes this one's place in `sys.modules`, and gives
    its names to this one for those who hold it (lark's `lexer.interegular`).
    """

    def __getattr__(self, attribute: str) -> Any:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        real = importlib.import_module(self.__name__)
        vars(self).update(vars(real))
        return getattr(real, attribute)


def _import_when_used(name: str) -> None:
    if name not in sys.modules and importlib.util.find_spec(name) is not None:
        sys.modules[name] = _ImportedWhenUsed(name)


_import_when_used("interegular")
import lark  # noqa: E402  # after interegular is made lazy

from indikator import nodes as n  # noqa: E402
from indikator.errors import Diagnostic, RulesetSyntaxError, Span  # noqa: E402
from indikator.messages import Arg, Message, Words  # noqa: E402
from indikator.resources import grammar_text, parser_cache, seal_cache  # noqa: E402

__all__ = ["MAX_NESTING", "MAX_NUMBER_LENGTH", "Token", "parse", "tokens", "write_tables"]

# How expected tokens are named in messages: the language's words, not lark's.
_TOKEN_WORDS: dict[str, Arg] = {
    "NAME": Message("token.name"),
    "DECIMAL": Message("token.number"),
    "INT": Message("token.whole_number"),
    "STRING": Message("token.string"),
    "SIGN": Message("token.sign"),
    "COMPARE": Message("token.compare"),
    "ADD_OP": Message("token.add"),
    "MUL_OP": Message("token.mul"),
    "PERCENT": "'%'",
    "$END": Message("token.end"),
}


_MAX_WORDS = 8  # expected tokens named in a syntax error before "or N more"


@functools.cache
def _parser() -> lark.Lark:
    # Nodes are built as lark reduces (no parse tree, no second pass); keep_all_tokens
    # hands every rule its keywords and punctuation, whose positions make the rule's span.
    return _lalr(transformer=_callbacks(), name="parser")


@functools.cache
def _token_parser() -> lark.Lark:
    # keep_all_tokens: keywords and punctuation stay in the tree, so every token is seen.
    return _lalr(transformer=None, name="tokens")


def _lalr(transformer: Any, name: str) -> lark.Lark:
    """The LALR parser of the grammar: from the shipped tables when they are current.

    Analysing the grammar takes a quarter of a second; `indikator._lalr_tables` holds the
    result for the grammar and lark version it was made from (`write_tables`), as plain
    data. Any other grammar text or lark version builds the tables here, cached per user.
    """
    grammar = grammar_text()
    from indikator import _lalr_tables as shipped  # noqa: PLC0415  # 250 KB: only when parsing

    if grammar == shipped.GRAMMAR and lark.__version__ == shipped.LARK_VERSION:
        # lark's own loader for serialised parsers (what its standalone parsers call).
        loaded: lark.Lark = lark.Lark._load_from_dict(  # type: ignore[no-untyped-call]  # noqa: SLF001
            shipped.DATA,
            shipped.MEMO,
            transformer=transformer,
            _plugins={"ContextualLexer": _SharedContextualLexer, "LALR_Parser": _TableParser},
        )
        return loaded
    cache = parser_cache(f"{name}-lark{lark.__version__}")
    options: dict[str, Any] = {"transformer": transformer} if transformer is not None else {}
    parser = lark.Lark(grammar, parser="lalr", keep_all_tokens=True, cache=cache, **options)
    seal_cache(cache)
    return parser


# --- the contextual lexer without a regex per parser state -----------------------------

_Matcher = Callable[[str, int, int], "str | None"]


def _lark_order(terminal: lark.lexer.TerminalDef) -> tuple[int, int, int, str]:
    """The order in which lark's lexer tries terminals (`BasicLexer.__init__`)."""
    return (
        -terminal.priority,
        -terminal.pattern.max_width,
        -len(terminal.pattern.value),
        terminal.name,
    )


class _Terminals:
    """What every state's lexer shares: each terminal's matcher and first characters."""

    def __init__(self, conf: Any) -> None:
        self._all = sorted(conf.terminals_by_name.values(), key=_lark_order)
        self._flags: int = conf.g_regex_flags
        self._alone: dict[str, _Matcher] = {}
        self.first = {t.name: _first_characters(t.pattern, self._flags) for t in self._all}

    @functools.cached_property
    def embeds(self) -> dict[str, list[lark.lexer.TerminalDef]]:
        """Each regex terminal's plain strings of its priority that it matches whole.

        In lark's order: what `_create_unless` looks for in each state, worked out once.
        """
        strings = [t for t in self._all if type(t.pattern) is lark.lexer.PatternStr]
        found: dict[str, list[lark.lexer.TerminalDef]] = {}
        for retok in self._all:
            if type(retok.pattern) is not lark.lexer.PatternRE:
                continue
            regex = re.compile(retok.pattern.to_regexp(), self._flags)
            for strtok in strings:
                value = strtok.pattern.value
                whole = regex.match(value)
                if strtok.priority == retok.priority and whole and whole.group(0) == value:
                    found.setdefault(retok.name, []).append(strtok)
        return found

    def alone(self, terminal: lark.lexer.TerminalDef) -> _Matcher:
        """What `terminal` alone matches at a place.

        A plain string by comparison (no regex to compile), anything else by its regex.
        """
        found = self._alone.get(terminal.name)
        if found is None:
            found = self._alone[terminal.name] = _matcher(terminal, self._flags)
        return found


def _matcher(terminal: lark.lexer.TerminalDef, flags: int) -> _Matcher:
    pattern = terminal.pattern
    if type(pattern) is lark.lexer.PatternStr and not pattern.flags and not flags:
        value = pattern.value

        def same(text: str, pos: int, end: int) -> str | None:
            return value if text.startswith(value, pos, end) else None

        return same
    regex = re.compile(pattern.to_regexp(), flags)

    def matched(text: str, pos: int, end: int) -> str | None:
        found = regex.match(text, pos, end)
        return None if found is None else found.group(0)

    return matched


def _first_characters(pattern: Any, flags: int) -> frozenset[str] | None:
    """Every character a match of `pattern` can start with, or None (any, or unknown)."""
    if flags or pattern.flags:
        return None
    if type(pattern) is lark.lexer.PatternStr:
        return frozenset(pattern.value[:1]) or None
    # Python's own parse of the regex, for its first item (no stubs: a private module).
    import re._parser as sre  # type: ignore[import-not-found]  # noqa: PLC0415

    try:
        parsed = sre.parse(pattern.to_regexp())
    except re.error:
        return None
    return _starts(list(parsed))


def _starts(items: list[Any]) -> frozenset[str] | None:
    """The first characters of a parsed regex's items; None where it cannot tell."""
    import re._constants as c  # type: ignore[import-not-found]  # noqa: PLC0415

    if not items:
        return None
    op, arg = items[0]
    if op is c.LITERAL:
        return frozenset(chr(arg))
    if op is c.IN:
        return _class_characters(arg)
    if op is c.SUBPATTERN:
        _, add, remove, inner = arg
        return None if add or remove else _starts(list(inner))
    if op in {c.MAX_REPEAT, c.MIN_REPEAT}:
        least, _, inner = arg
        return _starts(list(inner)) if least > 0 else None
    if op is c.BRANCH:
        found: set[str] = set()
        for branch in arg[1]:
            starts = _starts(list(branch))
            if starts is None:
                return None
            found |= starts
        return frozenset(found)
    return None


def _class_characters(members: list[Any]) -> frozenset[str] | None:
    import re._constants as c  # noqa: PLC0415  # see _starts

    found: set[str] = set()
    for op, arg in members:
        if op is c.LITERAL:
            found.add(chr(arg))
        elif op is c.RANGE and arg[1] - arg[0] < 256:  # noqa: PLR2004  # a small range, listed
            found.update(chr(code) for code in range(arg[0], arg[1] + 1))
        else:  # a negated class, a category, a large range: any character, as far as we know
            return None
    return frozenset(found)


class _SharedScanner:
    """A state's scanner: the first of its terminals, in lark's order, that matches.

    lark compiles an alternation of the state's terminals, which tries them in that order
    and takes the first that matches. This one tries, in the same order, only those that
    can start with the character at hand (a terminal that cannot start with it cannot
    match there): the same terminal and the same text, without compiling anything but the
    few terminals that are regexes.
    """

    def __init__(self, terminals: list[lark.lexer.TerminalDef], shared: _Terminals) -> None:
        self.terminals = terminals
        self.allowed_types = {t.name for t in terminals}
        self._shared = shared
        self._by_character: dict[str, list[tuple[str, _Matcher]]] = {}

    def match(self, text: Any, pos: int) -> tuple[str, str] | None:
        character = text.text[pos]
        candidates = self._by_character.get(character)
        if candidates is None:
            candidates = self._by_character[character] = self._candidates(character)
        for name, alone in candidates:
            value = alone(text.text, pos, text.end)
            if value is not None:
                return value, name
        return None

    def _candidates(self, character: str) -> list[tuple[str, _Matcher]]:
        first = self._shared.first
        return [
            (t.name, self._shared.alone(t))
            for t in self.terminals
            if (starts := first[t.name]) is None or character in starts
        ]


class _Retype:
    """The `UnlessCallback` of lark for keywords without flags.

    A NAME that is a keyword the state accepts becomes that keyword (a whole match of a
    plain string is equality).
    """

    def __init__(self, keywords: dict[str, str]) -> None:
        self._keywords = keywords

    def __call__(self, token: lark.Token) -> lark.Token:
        keyword = self._keywords.get(token.value)
        if keyword is not None:
            token.type = keyword
        return token


class _SharedLexer(lark.lexer.BasicLexer):
    """lark's lexer of one parser state, scanning with `_SharedScanner`."""

    shared: _Terminals

    def _build_scanner(self) -> Any:
        unless = _unless(list(self.terminals), self.shared)
        if unless is None or self.user_callbacks or self.use_bytes:
            return super()._build_scanner()  # what this lexer cannot copy exactly: lark's own
        terminals, self.callback = unless
        return _SharedScanner(terminals, self.shared)


def _unless(
    terminals: list[lark.lexer.TerminalDef], shared: _Terminals
) -> tuple[list[lark.lexer.TerminalDef], dict[str, Any]] | None:
    """The `_create_unless` of lark, for one state.

    The keywords a regex terminal of the state (NAME) matches whole are left out of its
    scan, and a token of that terminal whose text is one of them becomes it. None when
    such a keyword has flags (a whole match of it would not be equality).
    """
    names = {t.name for t in terminals}
    embedded: set[str] = set()
    callback: dict[str, Any] = {}
    for retok in terminals:
        keywords: dict[str, str] = {}
        for strtok in shared.embeds.get(retok.name, ()):
            if strtok.name in names:
                if strtok.pattern.flags:
                    return None
                keywords.setdefault(strtok.pattern.value, strtok.name)
                embedded.add(strtok.name)
        if keywords:
            callback[retok.name] = _Retype(keywords)
    return [t for t in terminals if t.name not in embedded], callback


class _SharedContextualLexer(lark.lexer.ContextualLexer):
    """lark's contextual lexer, without compiling a regex per parser state.

    lark compiles, for each parser state, one regex of the terminals the state accepts:
    64 of them for KLA 2025, a good part of a first load. Here each state tries its
    terminals one by one (`_SharedScanner`), matchers shared by all states, and finds
    exactly what lark's regex of the state finds: tokens, positions and syntax errors
    are lark's. From tables (lark checks no terminal then), a state's lexer is made when
    the parser first reaches the state, as lark would have made it.
    """

    BasicLexer = _SharedLexer

    def __init__(self, conf: Any, states: Any, always_accept: Any = ()) -> None:
        shared = _Terminals(conf)
        if not conf.skip_validation:  # a grammar being built: lark's own, with its checks
            super().__init__(conf, states, always_accept)
            for lexer in (*self.lexers.values(), self.root_lexer):
                cast("_SharedLexer", lexer).shared = shared
            return
        every = copy.copy(conf)
        every.terminals = list(conf.terminals)
        ignored = {*conf.ignore, *always_accept}
        by_accepts: dict[frozenset[str], _SharedLexer] = {}

        def made(state: int) -> _SharedLexer:
            accepts = frozenset(states[state])
            lexer = by_accepts.get(accepts)
            if lexer is None:
                one = copy.copy(every)
                named = conf.terminals_by_name
                one.terminals = [named[name] for name in accepts | ignored if name in named]
                lexer = by_accepts[accepts] = _shared_lexer(one, shared)
            return lexer

        self.lexers = _WhenReached(made)
        self.root_lexer = _shared_lexer(every, shared)


def _shared_lexer(conf: Any, shared: _Terminals) -> _SharedLexer:
    lexer = _SharedLexer(conf)
    lexer.shared = shared
    return lexer


class _WhenReached(dict[int, Any]):
    """Each parser state's lexer, made when first asked for."""

    def __init__(self, make: Callable[[int], Any]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, state: int) -> Any:
        lexer = self[state] = self._make(state)
        return lexer


class _TableParser(lark.parsers.lalr_parser.LALR_Parser):
    """lark's LALR parser, its table read without lark's generic deserialisation."""

    @classmethod
    def deserialize(  # type: ignore[override]  # lark's LALR_Parser.deserialize, untyped
        cls,
        data: Any,
        memo: Any,
        callbacks: Any,
        debug: bool = False,  # noqa: FBT001, FBT002
    ) -> Any:
        parser = cls.__new__(cls)
        table = _parse_table(data, memo)
        parser._parse_table = table  # noqa: SLF001  # what lark's own sets
        parser.parser = lark.parsers.lalr_parser._Parser(table, callbacks, debug)  # noqa: SLF001
        return parser


def _parse_table(data: Any, memo: Any) -> Any:
    """`IntParseTable.deserialize`, for tables whose rules are all in the memo.

    `write_tables` memoises every rule, so each reduce action is the memo's rule; lark's
    generic path looks that up too, through a call per action.
    """
    analysis = lark.parsers.lalr_analysis
    shift, reduce, rule = analysis.Shift, analysis.Reduce, lark.grammar.Rule
    tokens = data["tokens"]
    states = {
        state: {
            tokens[token]: (
                (reduce, memo[arg["@"]] if "@" in arg else rule.deserialize(arg, memo))
                if action == 1
                else (shift, arg)
            )
            for token, (action, arg) in actions.items()
        }
        for state, actions in data["states"].items()
    }
    return analysis.IntParseTable(states, data["start_states"], data["end_states"])  # type: ignore[no-untyped-call]


def write_tables(path: str) -> None:
    """Write the analysed grammar as the Python module `_lalr_tables` (`nox -s grammar`)."""
    grammar = grammar_text()
    parser = lark.Lark(grammar, parser="lalr", keep_all_tokens=True)
    data, memo = parser.memo_serialize([lark.lexer.TerminalDef, lark.grammar.Rule])
    header = (
        "# Generated by `nox -s grammar` from grammars/indikator.lark: do not edit.\n"
        "# The LALR tables of the grammar below, as lark serialises a parser; indikator.syntax\n"
        "# uses them only while GRAMMAR and LARK_VERSION match the grammar file and lark.\n"
        "# ruff: noqa\n"
        "from typing import Any\n\n"
    )
    body = (
        f"LARK_VERSION = {lark.__version__!r}\n"
        f"GRAMMAR = {grammar!r}\n"
        f"DATA: dict[str, Any] = {data!r}\n"
        f"MEMO: dict[Any, Any] = {memo!r}\n"
    )
    Path(path).write_text(header + body, encoding="utf-8")


def parse(text: str, file: str = "<text>") -> n.Module:
    r"""Parse ruleset text into a syntax tree.

    Examples:
        >>> m = parse('param w = 40\ninput x: percent')
        >>> [d.name for d in m.definitions]
        ['w', 'x']
    """
    text = text.removeprefix("\ufeff")
    _check_line_ends(text, file)
    reset = _FILE.set(file)
    try:
        items, _ = cast("_Reduced", _parser().parse(text))
    except lark.exceptions.UnexpectedInput as error:
        raise RulesetSyntaxError([_syntax_diagnostic(error, file, text)], {file: text}) from None
    except _TooDeep as deep:
        raise RulesetSyntaxError([_too_deep(deep.span)], {file: text}) from None
    except _Refused as refused:
        raise RulesetSyntaxError([refused.diagnostic], {file: text}) from None
    finally:
        _FILE.reset(reset)
    return _assemble(items, file, text)


_LONE_CR = re.compile(r"\r(?!\n)")


def _check_line_ends(text: str, file: str) -> None:
    r"""Refuse a carriage return without a line feed (IK007): old Mac line ends.

    lark, spans and `errors.render` count lines by "\n" alone; a CR-only file would be
    one long line whose first comment swallows the rest, and a lone CR inside a line
    would shift what is shown from it.
    """
    found = _LONE_CR.search(text)
    if found is None:
        return
    start = found.start()
    line = text.count("\n", 0, start) + 1
    column = start - text.rfind("\n", 0, start)
    span = Span(file=file, line=line, column=column, end_line=line, end_column=column + 1)
    diagnostic = Diagnostic(
        code="IK007",
        message=Message("syntax.cr_line_ends"),
        span=span,
        hint=Message("syntax.hint_cr_line_ends"),
    )
    raise RulesetSyntaxError([diagnostic], {file: text})


def _decimal_comma(text: str, token: lark.Token) -> bool:
    """Whether an unexpected ',' sits between digits, as in the decimal comma 92,4."""
    start = token.start_pos
    if str(token) != "," or start is None or not 0 < start < len(text) - 1:
        return False
    return text[start - 1].isdigit() and text[start + 1].isdigit()


def _syntax_diagnostic(error: lark.exceptions.UnexpectedInput, file: str, text: str) -> Diagnostic:
    line, column = max(error.line, 1), max(error.column, 1)
    span = Span(file=file, line=line, column=column, end_line=line, end_column=column + 1)
    if isinstance(error, lark.exceptions.UnexpectedCharacters):
        char = error.char
        return Diagnostic(
            code="IK002",
            message=Message("syntax.character", char=repr(char)),
            span=span,
            hint=_character_hint(char),
        )
    token = getattr(error, "token", None)
    # Listed in the order of the English words, in both languages.
    expected = sorted((_word(t) for t in getattr(error, "expected", ()) or ()), key=str)
    wanted = Words(tuple(expected), limit=_MAX_WORDS)
    if token is None or token.type == "$END":
        message = Message("syntax.end_expected", expected=wanted) if expected else None
        return Diagnostic(code="IK003", message=message or Message("syntax.end"), span=span)
    width = max(1, len(str(token)))
    span = Span(file=file, line=line, column=column, end_line=line, end_column=column + width)
    hint = _character_hint(",") if _decimal_comma(text, token) else None
    found = repr(str(token))
    message = (
        Message("syntax.token_expected", token=found, expected=wanted)
        if expected
        else Message("syntax.token", token=found)
    )
    return Diagnostic(code="IK001", message=message, span=span, hint=hint)


def _too_deep(span: Span) -> Diagnostic:
    return Diagnostic(
        code="IK005",
        message=Message("syntax.nested_deeper", levels=MAX_NESTING),
        span=span,
        hint=Message("syntax.hint_too_deep"),
    )


def _character_hint(char: str) -> Message | None:
    if char.isupper():
        return Message("syntax.hint_lower_case")
    if char == "'":
        return Message("syntax.hint_quotes")
    if char == ",":
        return Message("syntax.hint_decimal_point")
    return None


@functools.cache
def _terminal_patterns() -> dict[str, str]:
    return {t.name: str(t.pattern.value) for t in _parser().terminals}


def _word(terminal: str) -> Arg:
    if terminal in _TOKEN_WORDS:
        return _TOKEN_WORDS[terminal]
    pattern = _terminal_patterns().get(terminal)
    return f"'{pattern}'" if pattern is not None else terminal.lower()


# --- grammar rules → nodes ------------------------------------------------------------

# The file being parsed. lark's callbacks are built once per process, so the name reaches
# them through a context variable: each thread and each parse sees its own.
_FILE: ContextVar[str] = ContextVar("_FILE")

# What a rule's callback leaves on lark's stack: its value, where its text starts and
# ends (line, column, end line, end column), so an enclosing rule can find its own span,
# and how deeply expressions nest inside it.
_Extent = tuple[int, int, int, int, int]
_Reduced = tuple[Any, _Extent]
_F = TypeVar("_F", bound=Callable[..., Any])

#: How deeply expressions may nest: operators, `if`, calls and parentheses each count one
#: level, so `a + b + c` is 2 deep and `abs((a))` 3. Deeper text is refused (IK005) while
#: it is parsed: checking, evaluating, explaining and pickling all walk expressions
#: recursively, and stay well inside Python's recursion limit at this depth.
MAX_NESTING = 200

# The rules that add a level of nesting.
_NESTING = frozenset({"neg", "arith", "compare", "and_", "or_", "not_", "if_expr", "call", "atom"})


class _TooDeep(Exception):  # noqa: N818  # a signal out of lark's callbacks, not an error
    def __init__(self, span: Span) -> None:
        super().__init__()
        self.span = span


class _Refused(Exception):  # noqa: N818  # a signal out of lark's callbacks, not an error
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__()
        self.diagnostic = diagnostic


#: The most characters a number may be written with (IK006). Every number the checker
#: accepts (at most 10^15, at most 9 decimal places) fits in 26; longer ones are refused
#: before they are converted, which costs time quadratic in their length (a million
#: digits: minutes) and, for whole numbers over 4,300 digits, raises in `int()`.
MAX_NUMBER_LENGTH = 40


def _digits(token: lark.Token) -> str:
    """A number token's text, refused (IK006) when it is written too long to convert."""
    if len(token) <= MAX_NUMBER_LENGTH:
        return str(token)
    line, column = token.line or 1, token.column or 1
    span = Span(
        file=_FILE.get(), line=line, column=column, end_line=line, end_column=column + len(token)
    )
    raise _Refused(
        Diagnostic(
            code="IK006",
            message=Message("syntax.number_too_long", length=len(token), limit=MAX_NUMBER_LENGTH),
            span=span,
            hint=Message("syntax.hint_number_too_long"),
        )
    )


def _spanned(method: _F) -> _F:
    """Mark a builder method that takes the rule's span after its children."""
    method.spanned = True  # type: ignore[attr-defined]  # read back by `_reducer`
    return method


def _callbacks() -> lark.Transformer[lark.Token, Any]:
    """The inline transformer lark calls: one callback per rule, around a `_Builder` method."""
    grammar = grammar_text()
    # Terminals the grammar names (NAME, STRING, ...) reach the builder; the anonymous
    # ones (keywords, punctuation) do, too, in the `!` rules that keep them.
    named = frozenset(re.findall(r"^([A-Z][A-Z_]*)\s*:", grammar, re.MULTILINE))
    keeping = frozenset(re.findall(r"^!(\w+)\s*:", grammar, re.MULTILINE))
    builder = _Builder()
    callbacks = lark.Transformer[lark.Token, Any]()
    for name in dir(_Builder):
        if not name.startswith("_"):
            kept = None if name in keeping else named
            reducer = _reducer(getattr(builder, name), kept, nests=name in _NESTING)
            setattr(callbacks, name, reducer)
    return callbacks


def _reducer(
    build: Callable[..., Any], kept: frozenset[str] | None, *, nests: bool
) -> Callable[[list[Any]], _Reduced]:
    """The callback for one rule: children in, (value, extent) out.

    `kept` names the token types the builder sees (None: all). The extent runs from the
    first child's start to the last child's end, as lark's `propagate_positions` does.
    """
    spanned = getattr(build, "spanned", False)
    token = lark.Token

    def reduce(raw: list[Any]) -> _Reduced:
        children = [
            child if type(child) is token or child is None else child[0]
            for child in raw
            if kept is None or type(child) is not token or child.type in kept
        ]
        if not raw:
            return build(children), (1, 1, 1, 1, 0)
        head, tail = raw[0], raw[-1]  # each a token or a (value, extent) pair
        # A token from lark's lexer always has its line and column.
        start = (head.line, head.column) if type(head) is token else head[1][:2]
        end = (tail.end_line, tail.end_column) if type(tail) is token else tail[1][2:4]
        (line, column), (end_line, end_column) = cast("tuple[tuple[int, int], ...]", (start, end))
        depth = max([c[1][4] for c in raw if type(c) is tuple], default=0) + nests
        if depth > MAX_NESTING:  # point at where it starts: the whole may be megabytes
            raise _TooDeep(
                Span(
                    file=_FILE.get(), line=line, column=column, end_line=line, end_column=column + 1
                )
            )
        extent = (line, column, end_line, end_column, depth)
        if not spanned:
            return build(children), extent
        span = Span(
            file=_FILE.get(), line=line, column=column, end_line=end_line, end_column=end_column
        )
        return build(children, span), extent

    return reduce


def _unquote(token: str) -> str:
    body = token[1:-1]
    return body.replace('\\"', '"').replace("\\\\", "\\")


class _Builder:
    """Turns each grammar rule into frozen nodes as lark reduces it.

    One method per rule, called with the rule's children (keywords and punctuation left
    out) and, if marked `_spanned`, the rule's span. Problems surface in `check`, except
    a number too long to convert (`_digits`).
    """

    def _token_span(self, token: lark.Token) -> Span:
        return Span(
            file=_FILE.get(),
            line=token.line or 1,
            column=token.column or 1,
            end_line=token.end_line or 1,
            end_column=token.end_column or 1,
        )

    def start(self, children: list[Any]) -> list[object]:
        return children

    def atom(self, children: list[Any]) -> Any:
        """A parenthesised expression: the expression (its span leaves out the parentheses)."""
        return children[0]

    # header
    @_spanned
    def header(self, children: list[Any], span: Span) -> n.Header:
        name, *fields = children
        return n.Header(span=span, name=str(name), **_fold(fields))

    def title(self, children: list[Any]) -> tuple[str, Any]:
        return ("title", children[0])

    def edition(self, children: list[Any]) -> tuple[str, Any]:
        return ("edition", int(_digits(children[0])))

    def source(self, children: list[Any]) -> tuple[str, Any]:
        return ("sources", _unquote(children[0]))

    def scale(self, children: list[Any]) -> tuple[str, Any]:
        low, high = children
        if isinstance(low, n.Number) and isinstance(high, n.Number):
            return ("scale", (low.value, high.value))
        # A constant expression (`scale 0 to maks`): folded by the checker, with overrides.
        return ("scale_written", (low, high))

    def region(self, children: list[Any]) -> tuple[str, Any]:
        return ("region", str(children[0]))

    def region_name(self, children: list[Any]) -> tuple[str, Any]:
        return ("region_name", str(children[0]))

    def label(self, children: list[Any]) -> n.Label:
        english = _unquote(children[1]) if len(children) > 1 else None
        return n.Label(id=_unquote(children[0]), en=english)

    # modules
    @_spanned
    def import_(self, children: list[Any], span: Span) -> n.Import:
        return n.Import(span=span, path=_unquote(children[0]))

    @_spanned
    def extends(self, children: list[Any], span: Span) -> n.Extends:
        return n.Extends(span=span, path=_unquote(children[0]))

    # params and inputs
    @_spanned
    def param(self, children: list[Any], span: Span) -> n.Param:
        name, label, rest = _name_and_label(children)
        value = rest.pop(0)
        percent = bool(rest) and isinstance(rest[0], lark.Token) and rest[0].type == "PERCENT"
        if percent:
            rest.pop(0)
        note = rest.pop(0) if rest and isinstance(rest[0], str) else None
        return n.Param(
            span=span,
            name=str(name),
            label=label,
            value=value,
            percent=percent,
            note=note,
            marks=tuple(rest),
        )

    # sources and provenance
    @_spanned
    def source_decl(self, children: list[Any], span: Span) -> n.Source:
        name, title, *fields = children
        return n.Source(span=span, name=str(name), title=title, **dict(fields))

    def src_issuer(self, children: list[Any]) -> tuple[str, Any]:
        return ("issuer", _unquote(children[0]))

    def src_number(self, children: list[Any]) -> tuple[str, Any]:
        return ("number", _unquote(children[0]))

    def src_date(self, children: list[Any]) -> tuple[str, Any]:
        return ("date", _unquote(children[0]))

    def src_url(self, children: list[Any]) -> tuple[str, Any]:
        return ("url", _unquote(children[0]))

    def src_offline(self, _: list[Any]) -> tuple[str, Any]:
        return ("offline", True)

    def src_passage(self, children: list[Any]) -> tuple[str, Any]:
        return ("passage", _unquote(children[0]))

    def src_note(self, children: list[Any]) -> tuple[str, Any]:
        return ("note", _unquote(children[0]))

    @_spanned
    def cites(self, children: list[Any], span: Span) -> n.Citation:
        name = children[0]
        passage = _unquote(children[1]) if len(children) > 1 else None
        return n.Citation(
            span=span, source=str(name), source_span=self._token_span(name), passage=passage
        )

    @_spanned
    def assumed(self, children: list[Any], span: Span) -> n.Assumption:
        within = (children[1], children[2]) if len(children) > 1 else None
        return n.Assumption(span=span, reason=_unquote(children[0]), within=within)

    assumed_within = assumed

    def note(self, children: list[Any]) -> str:
        return _unquote(children[0])

    @_spanned
    def input(self, children: list[Any], span: Span) -> n.Input:
        name, label, rest = _name_and_label(children)
        kind = rest.pop(0)
        fields = _fold(rest)
        return n.Input(span=span, name=str(name), label=label, type=kind, **fields)

    def t_number(self, _: list[Any]) -> n.InputType:
        return n.InputType(kind="number")

    def t_percent(self, _: list[Any]) -> n.InputType:
        return n.InputType(kind="percent")

    def t_count(self, _: list[Any]) -> n.InputType:
        return n.InputType(kind="count")

    def t_yesno(self, _: list[Any]) -> n.InputType:
        return n.InputType(kind="yesno")

    def t_text(self, _: list[Any]) -> n.InputType:
        return n.InputType(kind="text")

    def t_option(self, children: list[Any]) -> n.InputType:
        return n.InputType(kind="option", choices=children[0])

    def t_checklist(self, children: list[Any]) -> n.InputType:
        return n.InputType(kind="checklist", choices=children[0])

    def strings(self, children: list[Any]) -> tuple[str, ...]:
        return tuple(_unquote(c) for c in children)

    def unit(self, children: list[Any]) -> tuple[str, Any]:
        return ("unit", _unquote(children[0]))

    def range(self, children: list[Any]) -> tuple[str, Any]:
        # An open end (`inf`, `-inf`) is held as a Decimal infinity.
        ends = [
            (Decimal("-Infinity") if end.negative else Decimal("Infinity"))
            if isinstance(end, n.Infinity)
            else end
            for end in children
        ]
        return ("range", (ends[0], ends[1]))

    def better(self, children: list[Any]) -> tuple[str, Any]:
        return ("better", children[0])

    def agency(self, children: list[Any]) -> tuple[str, Any]:
        return ("agency", _unquote(children[0]))

    def missing(self, children: list[Any]) -> tuple[str, Any]:
        return ("missing", children[0])

    def note_field(self, children: list[Any]) -> tuple[str, Any]:
        return ("note", _unquote(children[0]))

    @_spanned
    def evidence(self, children: list[Any], span: Span) -> tuple[str, Any]:
        due = str(children[1]) if len(children) > 1 else None
        return ("evidence", n.Evidence(span=span, document=_unquote(children[0]), due=due))

    def direction(self, children: list[Any]) -> str:
        return str(children[0])

    policy = direction
    rounding = direction
    aggregator = direction
    order = direction
    summary = direction
    opening = direction
    closing = direction

    # definitions
    @_spanned
    def indicator(self, children: list[Any], span: Span) -> n.Indicator:
        name, label, body, clauses = _definition_parts(children)
        scoring = body if not _is_expr(body) else n.Formula(span=span, expr=body)
        return n.Indicator(span=span, name=name, label=label, scoring=scoring, clauses=clauses)

    @_spanned
    def let(self, children: list[Any], span: Span) -> n.Let:
        name, label, body, clauses = _definition_parts(children)
        return n.Let(span=span, name=name, label=label, expr=body, clauses=clauses)

    @_spanned
    def group(self, children: list[Any], span: Span) -> n.Group:
        name, label, (aggregator, members), clauses = _definition_parts(children)
        return n.Group(
            span=span,
            name=name,
            label=label,
            aggregator=aggregator,
            members=members,
            clauses=clauses,
        )

    def max_clause(self, children: list[Any]) -> tuple[str, Any]:
        return ("max", children[0])

    @_spanned
    def round_clause(self, children: list[Any], span: Span) -> tuple[str, Any]:
        mode, places = children
        return ("rounding", n.Rounding(span=span, mode=mode, places=int(_digits(places))))

    def met_clause(self, children: list[Any]) -> tuple[str, Any]:
        return ("met", children[0])

    def formula(self, children: list[Any]) -> Any:
        return children[0]

    @_spanned
    def bands(self, children: list[Any], span: Span) -> n.Bands:
        subject, *rows = children
        return n.Bands(span=span, subject=subject, rows=tuple(rows))

    @_spanned
    def band_row(self, children: list[Any], span: Span) -> n.BandRow:
        return n.BandRow(span=span, interval=children[0], points=children[1])

    @_spanned
    def interval(self, children: list[Any], span: Span) -> n.Interval:
        opening, low, high, closing = children
        return n.Interval(
            span=span,
            low=low,
            high=high,
            low_closed=opening == "[",
            high_closed=closing == "]",
        )

    @_spanned
    def pos_inf(self, _: list[Any], span: Span) -> n.Infinity:
        return n.Infinity(span=span, negative=False)

    @_spanned
    def neg_inf(self, _: list[Any], span: Span) -> n.Infinity:
        return n.Infinity(span=span, negative=True)

    @_spanned
    def linear(self, children: list[Any], span: Span) -> n.Linear:
        subject, start, stop, low, high = children
        return n.Linear(span=span, subject=subject, start=start, stop=stop, low=low, high=high)

    @_spanned
    def options(self, children: list[Any], span: Span) -> n.Options:
        subject, *rows = children
        return n.Options(span=span, subject=subject, rows=tuple(rows))

    @_spanned
    def option_row(self, children: list[Any], span: Span) -> n.OptionRow:
        return n.OptionRow(span=span, option=_unquote(children[0]), points=children[1])

    def aggregate(self, children: list[Any]) -> tuple[str, tuple[n.Member, ...]]:
        return (children[0], children[1])

    def members(self, children: list[Any]) -> tuple[n.Member, ...]:
        return tuple(children)

    @_spanned
    def member(self, children: list[Any], span: Span) -> n.Member:
        weight = children[1] if len(children) > 1 else None
        return n.Member(span=span, name=str(children[0]), weight=weight)

    @_spanned
    def new_definition(self, children: list[Any], span: Span) -> n.New:
        return n.New(span=span, definition=children[0])

    @_spanned
    def new_item(self, children: list[Any], span: Span) -> n.New:
        return n.New(span=span, definition=children[0])

    # classification
    @_spanned
    def tiers(self, children: list[Any], span: Span) -> n.Tiers:
        subject, *rest = children
        below = rest.pop(0) if rest and isinstance(rest[0], n.Label) else None
        return n.Tiers(
            span=span,
            subject=n.Ref(span=self._token_span(subject), name=str(subject)),
            below=below,
            tiers=tuple(t for t in rest if isinstance(t, n.Tier)),
            marks=tuple(m for m in rest if isinstance(m, n.Citation | n.Assumption)),
        )

    def below(self, children: list[Any]) -> n.Label:
        return cast("n.Label", children[0])

    @_spanned
    def tier(self, children: list[Any], span: Span) -> n.Tier:
        name, label, interval, *requirements = children
        return n.Tier(
            span=span,
            name=str(name),
            label=label,
            interval=interval,
            requirements=tuple(requirements),
        )

    @_spanned
    def requirement(self, children: list[Any], span: Span) -> n.Requirement:
        label = children[1] if len(children) > 1 else None
        return n.Requirement(span=span, condition=children[0], label=label)

    @_spanned
    def rank(self, children: list[Any], span: Span) -> n.Rank:
        name, label, rest = _name_and_label(children)
        key = rest.pop(0)
        within = None
        if rest and isinstance(rest[0], lark.Token):
            token = rest.pop(0)
            within = n.Ref(span=self._token_span(token), name=str(token))
        return n.Rank(
            span=span,
            name=str(name),
            label=label,
            key=key,
            within=within,
            ties=tuple(rest),
        )

    @_spanned
    def rollup(self, children: list[Any], span: Span) -> n.Rollup:
        name, label, rest = _name_and_label(children)
        by = rest.pop(0)
        return n.Rollup(
            span=span,
            name=str(name),
            label=label,
            by=n.Ref(span=self._token_span(by), name=str(by)),
            items=tuple(rest),
        )

    @_spanned
    def rollup_item(self, children: list[Any], span: Span) -> n.RollupItem:
        name, label, rest = _name_and_label(children)
        function = rest.pop(0)
        return n.RollupItem(
            span=span,
            name=str(name),
            label=label,
            function=function,
            arg=rest[0] if rest else None,
        )

    @_spanned
    def sort_key(self, children: list[Any], span: Span) -> n.SortKey:
        return n.SortKey(span=span, name=str(children[0]), descending=children[1] == "desc")

    # values and expressions
    def signed(self, children: list[Any]) -> Decimal:
        value = Decimal(_digits(children[-1]))
        return -value if len(children) > 1 and children[0] == "-" else value

    @_spanned
    def literal(self, children: list[Any], span: Span) -> n.Number:
        return n.Number(span=span, value=children[0], percent=len(children) > 1)

    @_spanned
    def number(self, children: list[Any], span: Span) -> n.Number:
        value = Decimal(_digits(children[0]))
        return n.Number(span=span, value=value, percent=len(children) > 1)

    @_spanned
    def string(self, children: list[Any], span: Span) -> n.String:
        return n.String(span=span, value=_unquote(children[0]))

    @_spanned
    def ref(self, children: list[Any], span: Span) -> n.Ref:
        return n.Ref(span=span, name=str(children[0]))

    @_spanned
    def yes(self, _: list[Any], span: Span) -> n.Bool:
        return n.Bool(span=span, value=True)

    @_spanned
    def no(self, _: list[Any], span: Span) -> n.Bool:
        return n.Bool(span=span, value=False)

    @_spanned
    def neg(self, children: list[Any], span: Span) -> n.Neg:
        return n.Neg(span=span, operand=children[0])

    @_spanned
    def arith(self, children: list[Any], span: Span) -> n.Arith:
        left, op, right = children
        return n.Arith(span=span, op=str(op), left=left, right=right)  # type: ignore[arg-type]  # grammar limits op

    @_spanned
    def compare(self, children: list[Any], span: Span) -> n.Compare:
        left, op, right = children
        return n.Compare(span=span, op=str(op), left=left, right=right)  # type: ignore[arg-type]  # grammar limits op

    @_spanned
    def and_(self, children: list[Any], span: Span) -> n.And:
        return n.And(span=span, left=children[0], right=children[1])

    @_spanned
    def or_(self, children: list[Any], span: Span) -> n.Or:
        return n.Or(span=span, left=children[0], right=children[1])

    @_spanned
    def not_(self, children: list[Any], span: Span) -> n.Not:
        return n.Not(span=span, operand=children[0])

    @_spanned
    def if_expr(self, children: list[Any], span: Span) -> n.If:
        condition, then, otherwise = children
        return n.If(span=span, condition=condition, then=then, otherwise=otherwise)

    @_spanned
    def call(self, children: list[Any], span: Span) -> n.Call:
        function, *args = children
        return n.Call(
            span=span,
            function=str(function),
            function_span=self._token_span(function),
            args=tuple(a for a in args if a is not None),
        )


_EXPR_TYPES = (
    n.Number,
    n.String,
    n.Bool,
    n.Ref,
    n.Neg,
    n.Arith,
    n.Compare,
    n.And,
    n.Or,
    n.Not,
    n.If,
    n.Call,
)


def _is_expr(node: object) -> bool:
    return isinstance(node, _EXPR_TYPES)


def _fold(fields: list[Any]) -> dict[str, Any]:
    """Collect (key, value) pairs; repeatable keys ('sources') become tuples."""
    folded: dict[str, Any] = {}
    for field in fields:
        if isinstance(field, n.Citation | n.Assumption):
            folded["marks"] = (*folded.get("marks", ()), field)
            continue
        key, value = field
        if key in {"sources", "evidence"}:
            folded[key] = (*folded.get(key, ()), value)
        else:
            folded[key] = value
    return folded


def _name_and_label(children: list[Any]) -> tuple[Any, n.Label | None, list[Any]]:
    """A definition's name, its optional label, and the children after them."""
    name, *rest = children
    label = rest.pop(0) if rest and isinstance(rest[0], n.Label) else None
    return name, label, rest


def _definition_parts(children: list[Any]) -> tuple[str, n.Label | None, Any, n.Clauses]:
    name, label, rest = _name_and_label(children)
    body = rest.pop(0)
    return str(name), label, body, n.Clauses(**_fold(rest))


def _assemble(items: list[object], file: str, text: str) -> n.Module:
    headers = [i for i in items if isinstance(i, n.Header)]
    tiers = [i for i in items if isinstance(i, n.Tiers)]
    extends = [i for i in items if isinstance(i, n.Extends)]
    problems = [
        _repeated(what, found)
        for what, found in (
            (Message("syntax.what_header"), headers),
            (Message("syntax.what_tiers"), tiers),
            (Message("syntax.what_extends"), extends),
        )
        if len(found) > 1
    ]
    if problems:
        raise RulesetSyntaxError(problems, {file: text})
    return n.Module(
        file=file,
        header=headers[0] if headers else None,
        imports=tuple(i for i in items if isinstance(i, n.Import)),
        extends=extends[0] if extends else None,
        definitions=tuple(_definitions(items)),
        tiers=tiers[0] if tiers else None,
        rollups=tuple(i for i in items if isinstance(i, n.Rollup)),
        declared_sources=tuple(i for i in items if isinstance(i, n.Source)),
        added=tuple(i for i in items if isinstance(i, n.New)),
    )


def _definitions(items: list[object]) -> Iterator[n.Definition]:
    kinds = (n.Param, n.Input, n.Indicator, n.Let, n.Group, n.Rank)
    unwrapped = (i.definition if isinstance(i, n.New) else i for i in items)
    return (i for i in unwrapped if isinstance(i, kinds))


def _repeated(what: Message, found: list[Any]) -> Diagnostic:
    return Diagnostic(
        code="IK102",
        message=Message("syntax.repeated", what=what, count=len(found)),
        span=found[1].span,
    )


# --- the token stream (for the formatter) -----------------------------------------------


@attrs.frozen(kw_only=True, repr=False)
class Token(n.FieldsRepr):
    """One token of ruleset text, with the grammar rules it sits in.

    `kind` is the grammar's terminal name (`NAME`, `STRING`, `DECIMAL`, ...; keywords and
    punctuation have generated names such as `LBRACE`, so compare their `text`), or
    `COMMENT`. `rules` names the grammar rules around the token, outermost first (a
    comment has none); the innermost `opens` of them begin with this token. Offsets index
    the text without a leading byte order mark.
    """

    kind: str
    text: str
    start: int
    end: int
    rules: tuple[str, ...]
    opens: int

    @property
    def opened(self) -> tuple[str, ...]:
        """The rules this token begins, outermost first."""
        return self.rules[len(self.rules) - self.opens :]


_COMMENT = re.compile(r"#[^\n]*")


def tokens(text: str, file: str = "<text>") -> list[Token]:
    r"""Every token of ruleset text in order, comments included.

    Raises `RulesetSyntaxError` as `parse` does when the text does not follow the grammar
    (the checks `parse` makes after the grammar, such as one header per file, are not made).

    Examples:
        >>> [(t.text, t.rules, t.opens) for t in tokens("param w = 4  # four")]
        [('param', ('param',), 1), ('w', ('param',), 0), ('=', ('param',), 0),
         ('4', ('param', 'signed'), 1), ('# four', (), 0)]
    """
    text = text.removeprefix("\ufeff")
    _check_line_ends(text, file)
    try:
        tree = _token_parser().parse(text)
    except lark.exceptions.UnexpectedInput as error:
        raise RulesetSyntaxError([_syntax_diagnostic(error, file, text)], {file: text}) from None
    return _with_comments(list(_tree_tokens(tree)), text)


_MARKS = frozenset({"new_item", "new_definition"})  # rules that only mark the rule they wrap


def _tree_tokens(tree: lark.Tree[lark.Token]) -> Iterator[Token]:
    """The tree's tokens in order; iterative, so deep nesting cannot overflow the stack."""
    end = object()
    stack: list[tuple[Iterator[object], tuple[str, ...]]] = [(iter(tree.children), ())]
    entered = 0  # rules entered since the last token: the next token begins all of them
    while stack:
        children, rules = stack[-1]
        child = next(children, end)
        if child is end:
            stack.pop()
        elif isinstance(child, lark.Tree) and child.data in _MARKS:
            # `new param ...` lays out as the param it marks: `new` begins that rule.
            mark, inner = child.children
            assert isinstance(inner, lark.Tree)  # noqa: S101  # the grammar: `new` + definition
            stack.append((iter([lark.Tree(inner.data, [mark, *inner.children])]), rules))
        elif isinstance(child, lark.Tree):
            stack.append((iter(child.children), (*rules, str(child.data))))
            entered += 1
        elif isinstance(child, lark.Token):
            start = child.start_pos or 0
            stop = child.end_pos if child.end_pos is not None else start + len(child)
            yield Token(
                kind=child.type, text=str(child), start=start, end=stop, rules=rules, opens=entered
            )
            entered = 0


def _with_comments(code: list[Token], text: str) -> list[Token]:
    """Insert the comments: between two tokens there is only white space and comments."""
    merged: list[Token] = []
    position = 0
    for token in [*code, None]:
        gap_end = token.start if token is not None else len(text)
        merged.extend(
            Token(kind="COMMENT", text=m.group(), start=m.start(), end=m.end(), rules=(), opens=0)
            for m in _COMMENT.finditer(text, position, gap_end)
        )
        if token is not None:
            merged.append(token)
            position = token.end
    return merged
