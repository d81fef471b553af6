"""Hover: what a name is, in the reader's language, from its definition and the checker.

A definition shows its label in both languages, unit, range, agency, sources or the
assumption behind it, its maximum points and, for a band table, its bands as written; a
function its signature; a source id its title.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from lsprotocol import types

from indikator import nodes as n
from indikator.bounds import Range
from indikator.check import Analysis
from indikator.display import number
from indikator.errors import Span
from indikator.functions import FUNCTIONS
from indikator.lsp.index import FileIndex, Occurrence, Workspace
from indikator.lsp.positions import Lines
from indikator.messages import Message

__all__ = ["hover"]


def hover(
    here: FileIndex,
    position: types.Position,
    workspace: Workspace,
    analysis: Analysis | None,
    lang: str,
) -> types.Hover | None:
    """The hover text of the name at `position`, or None where there is no name."""
    lines = Lines(here.text)
    occurrence = here.at(lines.offset(position))
    if occurrence is None:
        return None
    if occurrence.role == "function":
        text = _function(occurrence.name, lang)
    elif occurrence.role in ("source", "cites"):
        text = _source(occurrence, here, workspace)
    elif occurrence.role == "tier":
        text = _tier(occurrence.name, here, lang)
    else:
        text = _definition(occurrence.name, here, workspace, analysis, lang)
    if text is None:
        return None
    content = types.MarkupContent(kind=types.MarkupKind.Markdown, value=text)
    return types.Hover(contents=content, range=lines.range(occurrence.start, occurrence.end))


def _function(name: str, lang: str) -> str | None:
    spec = FUNCTIONS.get(name)
    if spec is None:
        return None
    return f"```\n{spec.signature}\n```\n{Message(f'function.{name}').render(lang)}"


def _source(occurrence: Occurrence, here: FileIndex, workspace: Workspace) -> str | None:
    found = workspace.resolve(here.path, occurrence.name, "source")
    if found is None or found.module is None:
        return None
    sources = [s for s in found.module.declared_sources if s.name == occurrence.name]
    if not sources:
        return None
    source = sources[0]
    lines = [f"**source** `{source.name}`", "", _label(source.title)]
    lines += [f"- {value}" for value in (source.issuer, source.number, source.url) if value]
    return "\n".join(lines)


def _tier(name: str, here: FileIndex, lang: str) -> str | None:
    tiers = here.module.tiers if here.module is not None else None
    found = [t for t in tiers.tiers if t.name == name] if tiers is not None else []
    if tiers is None or not found:
        return None
    tier = found[0]
    interval = _written(tier.interval.span, here)
    parts = [f"**tier** `{name}`", "", _label(tier.label), "", f"- {tiers.subject.name} {interval}"]
    for requirement in tier.requirements:
        condition = _written(requirement.condition.span, here)
        parts.append("- " + Message("lsp.hover.requires", condition=condition).render(lang))
    return "\n".join(parts)


def _written(span: Span, found: FileIndex) -> str:
    """The text of a span as written, on one line."""
    start, end = Lines(found.text).span_offsets(span)
    return " ".join(found.text[start:end].split())


def _definition(
    name: str, here: FileIndex, workspace: Workspace, analysis: Analysis | None, lang: str
) -> str | None:
    found = workspace.resolve(here.path, name)
    definition = found.definition(name) if found is not None else None
    if found is None or definition is None:
        return None
    head = f"**{n.KEYWORDS[type(definition)]}** `{name}`"
    if found.path != here.path:
        head += "  \n" + Message("lsp.hover.file", file=found.path.name).render(lang)
    parts = [head]
    if definition.label is not None:
        parts += ["", _label(definition.label)]
    facts = _facts(definition, analysis, lang)
    if facts:
        parts += ["", *(f"- {fact}" for fact in facts)]
    if isinstance(definition, n.Indicator) and isinstance(definition.scoring, n.Bands):
        rows = _rows(definition.scoring, found)
        parts += ["", Message("lsp.hover.bands").render(lang), "```", *rows, "```"]
    return "\n".join(parts)


def _label(label: n.Label) -> str:
    return f"{label.id} · *{label.en}*" if label.en else label.id


def _facts(definition: n.Definition | n.Rollup, analysis: Analysis | None, lang: str) -> list[str]:
    """The hover's lines after the label: type, value, unit, range, agency, sources, maximum."""
    facts: list[Message] = []
    name = definition.name
    match definition:
        case n.Param():
            value = _shown(Fraction(definition.value), lang) + ("%" if definition.percent else "")
            facts.append(Message("lsp.hover.value", value=value))
            facts += _marks(definition.marks)
        case n.Input():
            kind: str = definition.type.kind
            if definition.type.choices:
                kind += "(" + ", ".join(f'"{c}"' for c in definition.type.choices) + ")"
            facts.append(Message("lsp.hover.type", value=kind))
            if definition.unit:
                facts.append(Message("lsp.hover.unit", value=definition.unit))
            if definition.agency:
                facts.append(Message("lsp.hover.agency", value=definition.agency))
            facts += [Message("lsp.hover.source", value=s) for s in definition.sources]
        case n.Indicator() | n.Let() | n.Group():
            clauses = definition.clauses
            if clauses.agency:
                facts.append(Message("lsp.hover.agency", value=clauses.agency))
            facts += [Message("lsp.hover.source", value=s) for s in clauses.sources]
            facts += _marks(clauses.marks)
        case _:
            pass
    found = analysis.ranges.get(name) if analysis is not None else None
    if found is not None and _numeric(definition) and (found.lo, found.hi) != (None, None):
        facts.insert(1 if isinstance(definition, n.Input) else 0, _range(found, lang))
    if analysis is not None and name in analysis.maxima:
        facts.append(Message("lsp.hover.maximum", value=_shown(analysis.maxima[name], lang)))
    return [fact.render(lang) for fact in facts]


def _numeric(definition: n.Definition | n.Rollup) -> bool:
    """Whether a range of values means something: not for a parameter, text or options."""
    if isinstance(definition, n.Input):
        return definition.type.kind not in ("text", "option", "checklist")
    return not isinstance(definition, n.Param | n.Rollup)


def _marks(marks: tuple[n.Mark, ...]) -> list[Message]:
    shown = []
    for mark in marks:
        if isinstance(mark, n.Citation):
            cited = f'{mark.source} "{mark.passage}"' if mark.passage else mark.source
            shown.append(Message("lsp.hover.source", value=cited))
        else:
            shown.append(Message("lsp.hover.assumed", reason=mark.reason))
    return shown


def _range(found: Range, lang: str) -> Message:
    low = "-∞" if found.lo is None else _shown(found.lo, lang)
    high = "∞" if found.hi is None else _shown(found.hi, lang)
    return Message("lsp.hover.range", low=low, high=high)


def _shown(value: Fraction | Decimal, lang: str) -> str:
    try:
        return number(float(value), lang, places=9)
    except OverflowError:  # a proven range can pass float's largest (x * x * x ...)
        exact = Fraction(value)
        return format(Decimal(exact.numerator) / Decimal(exact.denominator), ".6e")


def _rows(bands: n.Bands, found: FileIndex) -> list[str]:
    return [_written(row.span, found).rstrip(",") for row in bands.rows]
