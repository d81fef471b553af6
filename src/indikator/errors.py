"""Errors and diagnostics: one root exception, stable codes, rendering with a caret.

Every problem a user can cause becomes a `Diagnostic` (for a ruleset: file, line and
column) or a `DataProblem` (for data: field and regions). They travel inside one of the
exceptions below; nothing from lark, numpy or networkx reaches a user. Their texts are
catalogue `Message`s, shown in English by `str()` and in Indonesian by `render(lang="id")`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping, Sequence

import attrs

from indikator.messages import TITLES, Message

__all__ = [
    "CODES",
    "CodedError",
    "DataError",
    "DataProblem",
    "Diagnostic",
    "DiagramError",
    "IndikatorError",
    "InternalError",
    "Note",
    "OutputError",
    "QuestionError",
    "RulesetCheckError",
    "RulesetError",
    "RulesetNotFoundError",
    "RulesetSyntaxError",
    "Severity",
    "Span",
    "render",
    "title",
    "too_deep",
]

#: Stable diagnostic codes and their short English titles; docs/reference/errors.md lists
#: them. `title(code, lang)` gives a title in Indonesian too.
CODES: Mapping[str, str] = {code: text.en for code, text in TITLES.items()}

MAX_SHOWN = 20  # diagnostics shown in an exception's str(); the rest are counted


class Severity(enum.Enum):
    """How bad a diagnostic is: errors stop compilation, warnings do not."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@attrs.frozen(kw_only=True)
class Span:
    """A stretch of ruleset text: 1-based line and column, end exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


def _known_code(_instance: object, _attribute: attrs.Attribute[str], code: str) -> None:
    """Validate a diagnostic's code: only the codes of the catalogue (`CODES`) exist."""
    if code not in CODES:
        msg = f"unknown diagnostic code {code!r}: give it a title in the catalogue (_texts.py)"
        raise ValueError(msg)


_MESSAGE = attrs.validators.instance_of(Message)
_OPTIONAL_MESSAGE = attrs.validators.optional(_MESSAGE)


@attrs.frozen(kw_only=True)
class Note:
    """A secondary message pointing at another place, e.g. 'first defined here'."""

    message: Message = attrs.field(validator=_MESSAGE)
    span: Span | None = None


@attrs.frozen(kw_only=True)
class Diagnostic:
    """One problem found in a ruleset; `message` and `hint` render in English or Indonesian.

    `code` is one of `CODES`; any other raises `ValueError`.
    """

    code: str = attrs.field(validator=_known_code)
    message: Message = attrs.field(validator=_MESSAGE)
    span: Span | None
    severity: Severity = Severity.ERROR
    hint: Message | None = attrs.field(default=None, validator=_OPTIONAL_MESSAGE)
    notes: tuple[Note, ...] = ()

    @property
    def title(self) -> str:
        """The code's short title from `CODES`."""
        return CODES[self.code]

    def render(self, sources: Mapping[str, str] | None = None, *, lang: str = "en") -> str:
        """Plain text with the source line and a caret, in `lang`; see `render`."""
        return render(self, sources, lang=lang)


@attrs.frozen(kw_only=True)
class DataProblem:
    """One problem found in input data, summarised over all regions it affects.

    `code` is one of `CODES`; any other raises `ValueError`.
    """

    code: str = attrs.field(validator=_known_code)
    field: str
    message: Message = attrs.field(validator=_MESSAGE)
    regions: tuple[str | Message, ...] = ()  # "3201 (104.2)"-style samples, at most a few
    count: int = 0  # how many regions are affected in all
    needed_by: Message | None = attrs.field(default=None, validator=_OPTIONAL_MESSAGE)

    def render(self, lang: str = "en") -> str:
        """The problem as text in `lang`, with the regions and what needs the field."""
        return _render_problem(self, lang)


class IndikatorError(Exception):
    """Root of every error indikator raises on purpose.

    `str(error)` is English; `error.render("id")` gives the Indonesian text where the
    error carries catalogue messages (ruleset and data errors, and most others).
    """

    def render(self, lang: str = "en") -> str:
        """The error's text in `lang` ('en' or 'id')."""
        message = self.args[0] if len(self.args) == 1 else None
        return message.render(lang) if isinstance(message, Message) else str(self)


class RulesetError(IndikatorError, ValueError):
    """A ruleset could not be read, parsed or checked; carries all diagnostics."""

    def __init__(
        self,
        diagnostics: Sequence[Diagnostic],
        sources: Mapping[str, str] | None = None,
    ) -> None:
        self.diagnostics = tuple(diagnostics)
        self.sources = dict(sources or {})
        super().__init__(self.render())

    def render(self, lang: str = "en") -> str:
        """Every diagnostic (the first `MAX_SHOWN`, then a count) as text in `lang`."""
        shown = [render(d, self.sources, lang=lang) for d in self.diagnostics[:MAX_SHOWN]]
        rest = len(self.diagnostics) - MAX_SHOWN
        if rest > 0:
            shown.append(Message("frame.more", count=rest).render(lang))
        return "\n".join(shown)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.diagnostics, self.sources))


class RulesetSyntaxError(RulesetError):
    """The text does not follow the grammar."""


class RulesetCheckError(RulesetError):
    """The ruleset parses but breaks a semantic rule (names, types, bands, tiers)."""


class DataError(IndikatorError, ValueError):
    """Input data does not fit the ruleset's declared inputs."""

    def __init__(self, problems: Sequence[DataProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(self.render())

    def render(self, lang: str = "en") -> str:
        """Every problem (the first `MAX_SHOWN`, then a count) as text in `lang`."""
        # Capped like `RulesetError`: 100,000 unknown parameters must not print 100,000 lines.
        shown = [_render_problem(p, lang) for p in self.problems[:MAX_SHOWN]]
        rest = len(self.problems) - MAX_SHOWN
        if rest > 0:
            shown.append(Message("frame.more", count=rest).render(lang))
        return "\n".join(shown)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.problems,))


class RulesetNotFoundError(IndikatorError, LookupError):
    """No shipped ruleset or edition with that name."""


class QuestionError(IndikatorError, ValueError):
    """A question the ruleset cannot answer, e.g. the next tier of a ruleset without tiers."""


class CodedError(IndikatorError):
    """An error of one code, message and hint, with no place in a file.

    Its text is made in either language when shown (`render`); it pickles with its parts.
    """

    def __init__(self, code: str, message: Message, hint: Message | None = None) -> None:
        self.code = code
        self.message = message
        self.hint = hint
        super().__init__(self.render())

    def render(self, lang: str = "en") -> str:
        """'error[IK601]: ...' and the hint, in `lang`."""
        lines = [f"{_word('severity.error', lang)}[{self.code}]: {self.message.render(lang)}"]
        if self.hint is not None:
            lines.append(f"    {_word('frame.hint', lang)}: {self.hint.render(lang)}")
        return "\n".join(lines)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.code, self.message, self.hint))


class OutputError(CodedError):
    """A command cannot write its output (IK6xx): the file is one of its inputs, or unwritable.

    `code`, `message` and `hint` say which file and what to do.
    """

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.code, self.message, self.hint))


class DiagramError(IndikatorError, RuntimeError):
    """A diagram could not be drawn as an image (Graphviz missing or failing)."""


class InternalError(IndikatorError, RuntimeError):
    """A bug in indikator; the message asks for a report."""

    def __init__(self, message: str) -> None:
        # Not translated: it is meant for the bug report.
        super().__init__(
            f"internal error[IK901]: {message} (this is a bug in indikator; please report it)"
        )


_DOING = {
    "compile": Message("syntax.doing_compile"),
    "format": Message("syntax.doing_format"),
}


def too_deep(file: str, doing: str) -> RulesetSyntaxError:
    """IK005: the text nests deeper than Python's recursion allows (`doing`: 'compile')."""
    diagnostic = Diagnostic(
        code="IK005",
        message=Message("syntax.too_deep", file=file, doing=_DOING[doing]),
        span=None,
        hint=Message("syntax.hint_too_deep"),
    )
    return RulesetSyntaxError([diagnostic])


def title(code: str, lang: str = "en") -> str:
    """A code's short title in `lang`: `title("IK201", "id")` is 'nama tidak dikenal'."""
    return Message(f"title.{code}").render(lang)


def render(
    diagnostic: Diagnostic, sources: Mapping[str, str] | None = None, *, lang: str = "en"
) -> str:
    """Render a diagnostic as plain text with the source line and a caret, in `lang`.

    Examples:
        >>> span = Span(file="a.ikr", line=1, column=9, end_line=1, end_column=12)
        >>> d = Diagnostic(
        ...     code="IK201", message=Message("check.unknown_name", name="akt"), span=span
        ... )
        >>> print(render(d, {"a.ikr": "let x = akt + 1"}))
        a.ikr:1:9: error[IK201]: unknown name 'akt'
            1 | let x = akt + 1
              |         ^^^
        >>> print(render(d, lang="id"))
        a.ikr:1:9: kesalahan[IK201]: nama 'akt' tidak dikenal
    """
    sources = sources or {}
    where = f"{diagnostic.span}: " if diagnostic.span else ""
    severity = _word(f"severity.{diagnostic.severity.value}", lang)
    message = diagnostic.message.render(lang)
    lines = [f"{where}{severity}[{diagnostic.code}]: {message}"]
    if diagnostic.span:
        lines.extend(_excerpt(diagnostic.span, sources.get(diagnostic.span.file)))
    for note in diagnostic.notes:
        at = f"{note.span}: " if note.span else ""
        lines.append(f"    {_word('severity.note', lang)}: {at}{note.message.render(lang)}")
    if diagnostic.hint:
        lines.append(f"    {_word('frame.hint', lang)}: {diagnostic.hint.render(lang)}")
    return "\n".join(lines)


def _word(key: str, lang: str) -> str:
    return Message(key).render(lang)


#: Source lines longer than this are shown as a window around the span.
_EXCERPT_WIDTH = 120
#: Control characters (a lone CR, ESC, ...) are shown as U+FFFD: one column each, so the
#: caret stays aligned, and nothing reaches the terminal as a command.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _excerpt(span: Span, text: str | None) -> list[str]:
    if text is None:
        return []
    # Lines as the parser counts them: only "\n" ends one (not a form feed or U+2028).
    source_lines = [line.removesuffix("\r") for line in text.split("\n")]
    if not 1 <= span.line <= len(source_lines):
        return []
    line = _CONTROL.sub("\ufffd", source_lines[span.line - 1].expandtabs(1))
    width = (span.end_column - span.column) if span.end_line == span.line else len(line)
    width = max(1, min(width, len(line) - span.column + 1))
    start = span.column - 1
    if len(line) > _EXCERPT_WIDTH:  # a megabyte line: a window around the span
        first = max(0, start - _EXCERPT_WIDTH // 4)
        last = min(len(line), first + _EXCERPT_WIDTH)
        before, after = ("…" if first else ""), ("…" if last < len(line) else "")
        line, start = before + line[first:last] + after, start - first + len(before)
        width = max(1, min(width, last - span.column + 1))
    gutter = f"{span.line:>5}"
    return [f"{gutter} | {line}", f"{' ' * len(gutter)} | {' ' * start}{'^' * width}"]


def _render_problem(problem: DataProblem, lang: str = "en") -> str:
    error = _word("severity.error", lang)
    lines = [f"{error}[{problem.code}]: {problem.message.render(lang)}"]
    if problem.regions:
        more = problem.count - len(problem.regions)
        shown = ", ".join(r if isinstance(r, str) else r.render(lang) for r in problem.regions)
        if more > 0:
            shown += ", " + Message("frame.and_more", count=more).render(lang)
        lines.append(f"    {_word('frame.regions', lang)}: {shown}")
    if problem.needed_by:
        lines.append(f"    {_word('frame.needed_by', lang)}: {problem.needed_by.render(lang)}")
    return "\n".join(lines)


def sample_regions(
    ids: Iterable[str], values: Iterable[object] | None = None, limit: int = 3
) -> tuple[str, ...]:
    """Format the first few affected regions, with their offending values if given."""
    if values is None:
        return tuple(str(i) for _, i in zip(range(limit), ids, strict=False))
    return tuple(
        f"{i} ({_shown_cell(v)})" for _, i, v in zip(range(limit), ids, values, strict=False)
    )


def _shown_cell(value: object, width: int = 40) -> str:
    """A cell as the user typed it: text quoted (numpy's str too), long values cut."""
    shown = repr(str(value)) if isinstance(value, str) else str(value)
    return shown if len(shown) <= width else shown[: width - 1] + "…"
