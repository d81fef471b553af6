"""Errors and diagnostics: one root exception, stable codes, rendering with a caret.

Every problem a user can cause becomes a `Diagnostic` (for a ruleset: file, line and
column) or a `DataProblem` (for data: field and regions). They travel inside one of the
exceptions below; nothing from lark, numpy or networkx reaches a user.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence

import attrs

__all__ = [
    "CODES",
    "DataError",
    "DataProblem",
    "Diagnostic",
    "IndikatorError",
    "InternalError",
    "Note",
    "QuestionError",
    "RulesetCheckError",
    "RulesetError",
    "RulesetNotFoundError",
    "RulesetSyntaxError",
    "Severity",
    "Span",
    "render",
    "too_deep",
]

#: Stable diagnostic codes and their short titles; docs/reference/errors.md lists them.
CODES: Mapping[str, str] = {
    # IK0xx — reading and parsing
    "IK001": "unexpected token",
    "IK002": "unexpected character",
    "IK003": "unexpected end of file",
    "IK004": "file cannot be read",
    "IK005": "nesting too deep",
    # IK1xx — declarations, names and modules
    "IK101": "duplicate definition",
    "IK102": "missing or repeated ruleset header",
    "IK103": "imported file not found",
    "IK104": "import cycle",
    "IK105": "import outside the ruleset folder",
    "IK106": "invalid declaration",
    # IK2xx — references and types
    "IK201": "unknown name",
    "IK202": "type mismatch",
    "IK203": "unit mismatch",
    "IK204": "wrong function call",
    "IK205": "unknown option",
    "IK206": "not a scored definition",
    # IK3xx — dependency graph
    "IK301": "dependency cycle",
    "IK302": "unused input",
    # IK4xx — scoring and classification
    "IK401": "overlapping intervals",
    "IK402": "gap between intervals",
    "IK403": "dead band",
    "IK404": "weights do not add up",
    "IK405": "maximum does not add up",
    "IK406": "tiers out of order",
    "IK407": "unreachable tier",
    "IK408": "values fall outside every band",
    "IK409": "empty interval",
    "IK410": "scores can exceed the declared maximum",
    "IK411": "number too large",
    # IK5xx — data
    "IK501": "missing column",
    "IK502": "unknown column",
    "IK503": "wrong value type",
    "IK504": "value out of range",
    "IK505": "missing value not allowed",
    "IK506": "unknown option value",
    "IK507": "duplicate region",
    "IK508": "division by zero",
    "IK509": "value outside every band",
    "IK510": "bad parameter override",
    "IK511": "empty table",
    # IK9xx — bugs
    "IK901": "internal error",
}

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


@attrs.frozen(kw_only=True)
class Note:
    """A secondary message pointing at another place, e.g. 'first defined here'."""

    message: str
    span: Span | None = None


@attrs.frozen(kw_only=True)
class Diagnostic:
    """One problem found in a ruleset."""

    code: str
    message: str
    span: Span | None
    severity: Severity = Severity.ERROR
    hint: str | None = None
    notes: tuple[Note, ...] = ()

    @property
    def title(self) -> str:
        """The code's short title from `CODES`."""
        return CODES[self.code]


@attrs.frozen(kw_only=True)
class DataProblem:
    """One problem found in input data, summarised over all regions it affects."""

    code: str
    field: str
    message: str
    regions: tuple[str, ...] = ()  # "3201 (104.2)"-style samples, at most a few
    count: int = 0  # how many regions are affected in all
    needed_by: str | None = None


class IndikatorError(Exception):
    """Root of every error indikator raises on purpose."""


class RulesetError(IndikatorError, ValueError):
    """A ruleset could not be read, parsed or checked; carries all diagnostics."""

    def __init__(
        self,
        diagnostics: Sequence[Diagnostic],
        sources: Mapping[str, str] | None = None,
    ) -> None:
        self.diagnostics = tuple(diagnostics)
        self.sources = dict(sources or {})
        super().__init__(self._summary())

    def _summary(self) -> str:
        shown = [render(d, self.sources) for d in self.diagnostics[:MAX_SHOWN]]
        rest = len(self.diagnostics) - MAX_SHOWN
        if rest > 0:
            shown.append(f"... and {rest} more")
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
        super().__init__("\n".join(_render_problem(p) for p in self.problems))

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.problems,))


class RulesetNotFoundError(IndikatorError, LookupError):
    """No shipped ruleset or edition with that name."""


class QuestionError(IndikatorError, ValueError):
    """A question the ruleset cannot answer, e.g. the next tier of a ruleset without tiers."""


class InternalError(IndikatorError, RuntimeError):
    """A bug in indikator; the message asks for a report."""

    def __init__(self, message: str) -> None:
        super().__init__(
            f"internal error[IK901]: {message} (this is a bug in indikator; please report it)"
        )


def too_deep(file: str, doing: str) -> RulesetSyntaxError:
    """IK005: the text nests deeper than Python's recursion allows (`doing`: 'compile')."""
    diagnostic = Diagnostic(
        code="IK005",
        message=f"'{file}' nests expressions too deeply to {doing}",
        span=None,
        hint="split long chains such as a + b + c + ... into several 'let' definitions",
    )
    return RulesetSyntaxError([diagnostic])


def render(diagnostic: Diagnostic, sources: Mapping[str, str] | None = None) -> str:
    """Render a diagnostic as plain text with the source line and a caret.

    Examples:
        >>> span = Span(file="a.ikr", line=1, column=7, end_line=1, end_column=10)
        >>> d = Diagnostic(code="IK201", message="unknown name 'akt'", span=span)
        >>> print(render(d, {"a.ikr": "let x = akt + 1"}))
        a.ikr:1:7: error[IK201]: unknown name 'akt'
            1 | let x = akt + 1
              |       ^^^
    """
    sources = sources or {}
    where = f"{diagnostic.span}: " if diagnostic.span else ""
    lines = [f"{where}{diagnostic.severity.value}[{diagnostic.code}]: {diagnostic.message}"]
    if diagnostic.span:
        lines.extend(_excerpt(diagnostic.span, sources.get(diagnostic.span.file)))
    for note in diagnostic.notes:
        at = f"{note.span}: " if note.span else ""
        lines.append(f"    note: {at}{note.message}")
    if diagnostic.hint:
        lines.append(f"    hint: {diagnostic.hint}")
    return "\n".join(lines)


def _excerpt(span: Span, text: str | None) -> list[str]:
    if text is None:
        return []
    source_lines = text.splitlines()
    if not 1 <= span.line <= len(source_lines):
        return []
    line = source_lines[span.line - 1].expandtabs(1)
    width = (span.end_column - span.column) if span.end_line == span.line else len(line)
    width = max(1, min(width, len(line) - span.column + 1))
    gutter = f"{span.line:>5}"
    return [f"{gutter} | {line}", f"{' ' * len(gutter)} | {' ' * (span.column - 1)}{'^' * width}"]


def _render_problem(problem: DataProblem) -> str:
    lines = [f"error[{problem.code}]: {problem.message}"]
    if problem.regions:
        more = problem.count - len(problem.regions)
        sample = ", ".join(problem.regions) + (f", and {more} more" if more > 0 else "")
        lines.append(f"    regions: {sample}")
    if problem.needed_by:
        lines.append(f"    needed by: {problem.needed_by}")
    return "\n".join(lines)


def sample_regions(
    ids: Iterable[str], values: Iterable[object] | None = None, limit: int = 3
) -> tuple[str, ...]:
    """Format the first few affected regions, with their offending values if given."""
    if values is None:
        return tuple(str(i) for _, i in zip(range(limit), ids, strict=False))
    return tuple(
        f"{i} ({v!r})" if isinstance(v, str) else f"{i} ({v})"
        for _, i, v in zip(range(limit), ids, values, strict=False)
    )
