"""What the checker's passes share: the definitions and what is learnt about them.

One `Facts` object goes through every pass (`names`, `definitions`, `scoring`, `tiers`,
`rollups`, with `expressions` typing the expressions they hold): each pass reads the
types, ranges and maxima the passes before it learnt, adds its own, and reports its
problems in the one list. `Analysis` is the outcome, for lowering.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import attrs

from indikator import nodes as n
from indikator.bounds import Range
from indikator.errors import Diagnostic, Severity, Span
from indikator.graph import Dependencies
from indikator.link import Linked
from indikator.messages import Message, closest
from indikator.provenance import Provenance
from indikator.valuetypes import Type

__all__ = ["Analysis", "Facts", "error", "suggest", "warning"]


@attrs.frozen(kw_only=True, repr=False)
class Analysis(n.FieldsRepr):
    """What the checker learnt, for lowering: per-definition facts and order."""

    definitions: Mapping[str, n.Definition]
    order: tuple[str, ...]
    graph: Dependencies
    types: Mapping[str, Type]
    ranges: Mapping[str, Range]
    maxima: Mapping[str, Fraction]
    params: Mapping[str, Fraction]
    diagnostics: tuple[Diagnostic, ...]
    header: n.Header | None
    tiers: n.Tiers | None
    rollups: tuple[n.Rollup, ...] = ()
    provenance: Provenance | None = None

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """Only the errors."""
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)


class Facts:
    """The definitions, what the passes learnt of them so far, and every problem found."""

    def __init__(
        self, linked: Linked, params: Mapping[str, Fraction], *, catalogue: bool = False
    ) -> None:
        self.linked = linked
        self.needs_header = not catalogue
        self.defs: dict[str, n.Definition] = {d.name: d for d in linked.definitions}
        self.params = dict(params)
        self.problems: list[Diagnostic] = list(linked.duplicates)
        self.types: dict[str, Type] = {}
        self.ranges: dict[str, Range] = {}
        self.maxima: dict[str, Fraction] = {}
        self.errors_before = 0  # errors found before the definition being checked
        self.reading_ranks = False  # only rollups run after the ranks and may read them

    def error_count(self) -> int:
        """How many errors have been found so far."""
        return sum(d.severity is Severity.ERROR for d in self.problems)


def error(
    code: str, message: Message, span: Span | None, hint: Message | None = None
) -> Diagnostic:
    """An error diagnostic."""
    return Diagnostic(code=code, message=message, span=span, hint=hint)


def warning(
    code: str, message: Message, span: Span | None, hint: Message | None = None
) -> Diagnostic:
    """A warning diagnostic."""
    return Diagnostic(code=code, message=message, span=span, hint=hint, severity=Severity.WARNING)


def suggest(name: str, candidates: list[str]) -> Message | None:
    """A "did you mean ...?" for the closest candidate, if one is close."""
    close = closest(name, candidates)
    return Message("suggest.did_you_mean", name=close) if close else None
