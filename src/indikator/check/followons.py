"""One error per cause: what an unknown name (IK201) would otherwise set off is dropped.

An unknown name has no type and no range, so the checker guesses "a number, any value".
Every conclusion drawn from that guess is noise that points the wrong way: a band table
over `aktaa` "can take values outside every band" (IK408, whose hint says to declare a
range), `if perdaa` "needs a yes/no condition" (IK202), and the input the author meant is
"never used" (IK302). Run last, this pass keeps the IK201 and drops, among the other
diagnostics:

- those whose span holds an unknown name (an expression built on it);
- the conclusions drawn from a type or a range (IK202, IK203, IK403, IK405, IK407, IK408,
  IK410) inside a definition that reads an unknown name, or that reads (directly or
  through others) a definition that does, and inside a `tiers` block that does;
- IK302 for the input an IK201 suggests ("did you mean 'akta'?"): it is used, misspelt.

A problem that does not depend on the guess (a gap between bands, weights that do not
add up) is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from indikator import nodes as n
from indikator.errors import Diagnostic, Span
from indikator.graph import Dependencies

__all__ = ["without_follow_ons"]

_CAUSE = "IK201"
# Conclusions from a type or a range, which the guess for an unknown name makes up.
_DERIVED = frozenset({"IK202", "IK203", "IK403", "IK405", "IK407", "IK408", "IK410"})


def without_follow_ons(
    problems: Sequence[Diagnostic],
    definitions: Mapping[str, n.Definition],
    graph: Dependencies,
    tiers: n.Tiers | None,
    tiers_reads: Iterable[str],
) -> list[Diagnostic]:
    """`problems` without the follow-ons of their unknown names (see the module docstring)."""
    causes = [d.span for d in problems if d.code == _CAUSE and d.span is not None]
    if not causes:
        return list(problems)
    broken = {
        name
        for name, definition in definitions.items()
        if any(_within(cause, definition.span) for cause in causes)
    }
    for name in list(broken):
        broken |= graph.descendants(name) if name in graph else set()
    regions = [definitions[name].span for name in broken]
    if tiers is not None and (
        any(_within(cause, tiers.span) for cause in causes) or broken & set(tiers_reads)
    ):
        regions.append(tiers.span)
    meant = {_suggested(d) for d in problems if d.code == _CAUSE} - {None}
    return [d for d in problems if d.code == _CAUSE or not _follows(d, causes, regions, meant)]


def _follows(
    problem: Diagnostic, causes: list[Span], regions: list[Span], meant: set[str | None]
) -> bool:
    if problem.code == "IK302":
        return dict(problem.message.args).get("name") in meant
    span = problem.span
    if span is None:
        return False
    if any(_within(cause, span) for cause in causes):
        return True
    return problem.code in _DERIVED and any(_within(span, region) for region in regions)


def _suggested(problem: Diagnostic) -> str | None:
    hint = problem.hint
    if hint is None or hint.key != "suggest.did_you_mean":
        return None
    name = dict(hint.args).get("name")
    return name if isinstance(name, str) else None


def _within(inner: Span, outer: Span) -> bool:
    """Whether `inner` lies inside `outer` (the same file, both ends included)."""
    return (
        inner.file == outer.file
        and (outer.line, outer.column) <= (inner.line, inner.column)
        and (inner.end_line, inner.end_column) <= (outer.end_line, outer.end_column)
    )
