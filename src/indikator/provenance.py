"""Provenance: where every scoring number comes from (cited, assumed or structural).

Input: a linked ruleset and its parameter overrides. Output: a `Provenance` record and
diagnostics: IK420 (a citation names no declared source), IK421 (a source nobody cites,
a warning), IK422 (with `strict`: a scoring number neither cited nor assumed), IK424 (an
assumption's `within` range that is reversed or leaves out the value). IK423 (one source
id declared twice) is found while linking.

The rule. The scoring numbers are the values of parameters and the number literals in
indicators, lets and groups (body, band and option rows, `max`, `met when`, member
weights) and in the tiers block (edges and requirements). A parameter is covered by its
own `cites`/`assumed`; a literal by the marks on the definition (or tiers block) it is
written in. Structural numbers need no mark: 0, 1, 100 and the two ends of the header's
`scale`. When a definition is both cited and assumed, its numbers count as assumed (the
citation is kept: it says what the assumption builds on). Rollups summarise regions and
score nothing, so their numbers are not scoring numbers; nor are input ranges.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, cast

import attrs

from indikator import nodes as n
from indikator.errors import Diagnostic, Severity, Span
from indikator.graph import references
from indikator.link import Linked
from indikator.messages import Message, closest

__all__ = [
    "Assumed",
    "Citing",
    "Mark",
    "NumberRecord",
    "Provenance",
    "SourceRecord",
    "provenance_json",
    "provenance_text",
    "trace",
]

Kind = Literal["cited", "assumed", "structural", "unmarked"]
_STRUCTURAL = frozenset({Decimal(0), Decimal(1), Decimal(100)})


@attrs.frozen(kw_only=True, repr=False)
class Citing(n.FieldsRepr):
    """One place that cites a source: the definition (or 'tiers') and the passage."""

    definition: str
    passage: str | None


@attrs.frozen(kw_only=True, repr=False)
class SourceRecord(n.FieldsRepr):
    """A declared source, with everything that cites it."""

    id: str
    title: n.Label
    issuer: str | None
    number: str | None
    date: str | None
    url: str | None
    offline: bool
    passage: str | None
    note: str | None
    cited_by: tuple[Citing, ...]


@attrs.frozen(kw_only=True, repr=False)
class Assumed(n.FieldsRepr):
    """A definition or parameter declared `assumed`, with its reason and plausible range."""

    definition: str
    reason: str
    within: tuple[Decimal, Decimal] | None
    value: Decimal | None  # a parameter's declared value; None for a definition


@attrs.frozen(kw_only=True, repr=False)
class NumberRecord(n.FieldsRepr):
    """One scoring number: where it is written and what vouches for it.

    `override` is the value a parameter was given at load time (its marks still say where
    the declared value came from).
    """

    definition: str
    value: Decimal
    span: Span
    kind: Kind
    sources: tuple[str, ...] = ()
    override: Fraction | None = None


@attrs.frozen(kw_only=True, repr=False)
class Provenance(n.FieldsRepr):
    """Sources, assumptions and the kind of every scoring number of a ruleset."""

    sources: tuple[SourceRecord, ...]
    assumed: tuple[Assumed, ...]
    numbers: tuple[NumberRecord, ...]
    # per definition (and 'tiers'), the parameters it reads: their marks are its marks too
    uses: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # per group, its members: a group's maximum and score are made of theirs
    members: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def count(self, kind: Kind) -> int:
        """How many scoring numbers are of `kind`."""
        return sum(record.kind == kind for record in self.numbers)

    @property
    def unmarked(self) -> tuple[NumberRecord, ...]:
        """The scoring numbers neither cited, assumed nor structural."""
        return tuple(r for r in self.numbers if r.kind == "unmarked")

    @property
    def scoring(self) -> int:
        """How many scoring numbers are not structural (cited, assumed or unmarked)."""
        return sum(record.kind != "structural" for record in self.numbers)

    def banner(self, lang: str = "id") -> str | None:
        """The assumption banner every output carries, in both languages, or None.

        'Asumsi: 100 dari 101 angka penilaian tidak dipublikasikan resmi; lihat `indikator
        sources` / Assumed: 100 of 101 scoring numbers are not officially published; see
        `indikator sources`', the language asked for first. None when no number is assumed.
        """
        assumed = self.count("assumed")
        if not assumed:
            return None
        message = Message("prov.banner", assumed=assumed, total=self.scoring)
        first, second = ("en", "id") if lang == "en" else ("id", "en")
        return f"{message.render(first)} / {message.render(second)}"

    def rows(self, lang: str = "id") -> list[list[str]]:
        """Every parameter, definition and the tiers with its mark, as rows of a sheet.

        A header row, then (name, kind, the sources cited with their passages).
        """
        names = dict.fromkeys([*(r.definition for r in self.numbers), *dict(self.uses)])
        header = [
            Message("prov.col_definition").render(lang),
            Message("prov.col_kind").render(lang),
            Message("prov.col_sources").render(lang),
        ]
        rows = [header]
        for name in names:
            mark = self.mark(name)
            cited = _cited(mark.sources) if mark.kind == "cited" else ""  # never for assumed
            rows.append([name, Message(f"prov.mark_{mark.kind}").render(lang), cited])
        return rows

    def mark(self, definition: str) -> Mark:
        """What vouches for one definition's (or 'tiers') numbers.

        Worked out once per definition: a report asks for every definition of every region.
        """
        if definition not in self._marks:
            self._marks[definition] = self._mark(definition)
        return self._marks[definition]

    @functools.cached_property
    def _marks(self) -> dict[str, Mark]:
        return {}

    def _mark(self, definition: str) -> Mark:
        """`mark`, worked out.

        Its numbers are those written in it and the values of the parameters it reads;
        a group's are also its members' (its maximum is theirs added or weighed), so a
        cluster of assumed weights is assumed whatever regulation defines the cluster.
        'assumed' when any of them is assumed, else 'cited' when any is
        cited (or the definition cites a source), else 'unmarked' when one is bare, else
        'structural' (only 0, 1, 100, the scale, or no number at all).
        """
        owners = {definition, *dict(self.uses).get(definition, ())}
        records = [r for r in self.numbers if r.definition in owners]
        kinds = {r.kind for r in records}
        sources = tuple(
            dict.fromkeys(
                (s.id, c.passage)
                for s in self.sources
                for c in s.cited_by
                if c.definition in owners
            )
        )
        kind: Kind
        members = dict(self.members).get(definition, ())
        if (
            "assumed" in kinds
            or any(a.definition == definition for a in self.assumed)
            or any(self.mark(m).kind == "assumed" for m in members)
        ):
            kind = "assumed"
        elif "cited" in kinds or sources:
            kind = "cited"
        elif "unmarked" in kinds:
            kind = "unmarked"
        else:
            kind = "structural"
        return Mark(kind=kind, sources=sources)


@attrs.frozen(kw_only=True, repr=False)
class Mark(n.FieldsRepr):
    """What vouches for one definition: its kind and the (source id, passage) it cites."""

    kind: Kind
    sources: tuple[tuple[str, str | None], ...] = ()

    def text(self, lang: str = "id") -> str:
        """'asumsi' / 'assumed', 'perpres25 Pasal 7', 'struktural', 'tanpa tanda'.

        An assumed definition never shows a source: the number is not in it.
        """
        if self.kind == "cited" and self.sources:
            return _cited(self.sources)
        return Message(f"prov.mark_{self.kind}").render(lang)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: {'kind': ..., 'sources': [...], 'also_cites': [...]}, each {'id', 'passage'}.

        `sources` vouch for the numbers, so an assumed mark has none (as `text` shows none):
        the sources an assumed definition cites all the same (what the assumption builds on,
        or numbers of it other than the assumed ones) are `also_cites`, never its authority.
        """
        cited = [{"id": sid, "passage": passage} for sid, passage in self.sources]
        if self.kind == "assumed":
            return {"kind": self.kind, "sources": [], "also_cites": cited}
        return {"kind": self.kind, "sources": cited, "also_cites": []}


def trace(
    linked: Linked, params: Mapping[str, Fraction], *, strict: bool = False
) -> tuple[Provenance, list[Diagnostic]]:
    """The provenance of a linked ruleset, and the problems found (see the module doc)."""
    declared = {s.name: s for s in linked.declared_sources}
    scale = linked.header.scale if linked.header and linked.header.scale else ()
    structural = _STRUCTURAL | set(scale)
    problems: list[Diagnostic] = []
    citing: dict[str, list[Citing]] = {name: [] for name in declared}
    assumed: list[Assumed] = []
    numbers: list[NumberRecord] = []

    def marks_of(owner: str, marks: tuple[n.Mark, ...], value: Decimal | None) -> None:
        for mark in marks:
            if isinstance(mark, n.Citation):
                if mark.source in declared:
                    citing[mark.source].append(Citing(definition=owner, passage=mark.passage))
                else:
                    problems.append(_unknown(mark, list(declared)))
            else:
                assumed.append(
                    Assumed(definition=owner, reason=mark.reason, within=mark.within, value=value)
                )
                if mark.within is not None and value is not None:
                    low, high = mark.within
                    if not low <= value <= high:
                        problems.append(_outside(owner, mark, value))

    def record(
        owner: str,
        marks: tuple[n.Mark, ...],
        number: n.Number | Decimal,
        span: Span,
        override: Fraction | None = None,
        *,
        param: bool = False,
    ) -> None:
        value = number.value if isinstance(number, n.Number) else number
        cited = tuple(m.source for m in marks if isinstance(m, n.Citation))
        kind: Kind
        assumed_param = param and any(isinstance(m, n.Assumption) for m in marks)
        if value in structural and not assumed_param:  # an assumed parameter is assumed, 0 too
            kind = "structural"
        elif any(isinstance(m, n.Assumption) for m in marks):
            kind = "assumed"
        elif cited:
            kind = "cited"
        else:
            kind = "unmarked"
        numbers.append(
            NumberRecord(
                definition=owner,
                value=value,
                span=span,
                kind=kind,
                sources=cited,
                override=override,
            )
        )

    for definition in linked.definitions:
        if isinstance(definition, n.Param):
            marks_of(definition.name, definition.marks, definition.value)
            record(
                definition.name,
                definition.marks,
                definition.value,
                definition.span,
                params.get(definition.name),
                param=True,
            )
        elif isinstance(definition, n.Indicator | n.Let | n.Group):
            marks_of(definition.name, definition.clauses.marks, None)
            for number in _numbers_in(definition):
                record(definition.name, definition.clauses.marks, number, number.span)
    params_declared = {d.name for d in linked.definitions if isinstance(d, n.Param)}
    uses = [
        (d.name, tuple(dict.fromkeys(r.name for r in references(d) if r.name in params_declared)))
        for d in linked.definitions
        if isinstance(d, n.Indicator | n.Let | n.Group)
    ]
    if linked.tiers is not None:
        uses.append(
            ("tiers", tuple(r.name for r in _refs_in(linked.tiers) if r.name in params_declared))
        )
        marks_of("tiers", linked.tiers.marks, None)
        for number in _numbers_in(linked.tiers):
            record("tiers", linked.tiers.marks, number, number.span)
    for name, source in declared.items():
        if not citing[name]:
            problems.append(
                Diagnostic(
                    code="IK421",
                    message=Message("prov.unused_source", name=name),
                    span=source.span,
                    severity=Severity.WARNING,
                )
            )
    if strict:
        problems.extend(_bare(r) for r in numbers if r.kind == "unmarked")
    provenance = Provenance(
        sources=tuple(
            SourceRecord(
                id=s.name,
                title=s.title,
                issuer=s.issuer,
                number=s.number,
                date=s.date,
                url=s.url,
                offline=s.offline,
                passage=s.passage,
                note=s.note,
                cited_by=tuple(citing[s.name]),
            )
            for s in declared.values()
        ),
        assumed=tuple(assumed),
        numbers=tuple(numbers),
        uses=tuple(uses),
        members=tuple(
            (d.name, tuple(m.name for m in d.members))
            for d in linked.definitions
            if isinstance(d, n.Group)
        ),
    )
    return provenance, problems


def _unknown(mark: n.Citation, declared: list[str]) -> Diagnostic:
    close = closest(mark.source, declared)
    return Diagnostic(
        code="IK420",
        message=Message("prov.unknown_source", name=mark.source),
        span=mark.source_span,
        hint=Message("suggest.did_you_mean", name=close)
        if close
        else Message("prov.hint_declare", name=mark.source),
    )


def _outside(owner: str, mark: n.Assumption, value: Decimal) -> Diagnostic:
    low, high = mark.within or (value, value)
    return Diagnostic(
        code="IK424",
        message=Message(
            "prov.outside_within", name=owner, value=str(value), low=str(low), high=str(high)
        ),
        span=mark.span,
    )


def _bare(record: NumberRecord) -> Diagnostic:
    return Diagnostic(
        code="IK422",
        message=Message("prov.unmarked", value=str(record.value), name=record.definition),
        span=record.span,
        hint=Message("prov.hint_unmarked"),
    )


def _numbers_in(node: object) -> Iterator[n.Number]:
    """Every number literal inside a node, in source order (rollups are not walked)."""
    if isinstance(node, n.Number):
        yield node
        return
    if isinstance(node, tuple):
        for item in node:
            yield from _numbers_in(item)
        return
    if not attrs.has(type(node)) or isinstance(node, n.Label | Span | n.Rounding):
        return
    for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(node))):
        if field.name in {"span", "marks"}:
            continue
        yield from _numbers_in(getattr(node, field.name))


def _cited(sources: tuple[tuple[str, str | None], ...]) -> str:
    """'perpres25 Pasal 7; permen12' from (source id, passage) pairs."""
    return "; ".join(f"{sid} {passage}" if passage else sid for sid, passage in sources)


def _refs_in(node: object) -> Iterator[n.Ref]:
    """Every name reference inside a node (the tiers block), in source order."""
    if isinstance(node, n.Ref):
        yield node
        return
    if isinstance(node, tuple):
        for item in node:
            yield from _refs_in(item)
        return
    if not attrs.has(type(node)) or isinstance(node, n.Label | Span | n.Rounding):
        return
    for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(node))):
        if field.name not in {"span", "marks"}:
            yield from _refs_in(getattr(node, field.name))


def provenance_json(provenance: Provenance, lang: str = "id") -> dict[str, Any]:
    """`indikator sources --format json`: sources, what cites them, assumptions, counts."""
    return {
        "sources": [
            {
                "id": s.id,
                "title": s.title.text(lang),
                "issuer": s.issuer,
                "number": s.number,
                "date": s.date,
                "url": s.url,
                "offline": s.offline,
                "passage": s.passage,
                "note": s.note,
                "cited_by": [
                    {"definition": c.definition, "passage": c.passage} for c in s.cited_by
                ],
            }
            for s in provenance.sources
        ],
        "assumed": [
            {
                "definition": a.definition,
                "reason": a.reason,
                "value": None if a.value is None else str(a.value),
                "within": None if a.within is None else [str(v) for v in a.within],
            }
            for a in provenance.assumed
        ],
        "counts": {kind: provenance.count(kind) for kind in _KINDS},
    }


def provenance_text(provenance: Provenance, lang: str = "id") -> str:
    """`indikator sources`: the same as `provenance_json`, for people."""
    lines = [Message("prov.heading_sources").render(lang)]
    if not provenance.sources:
        lines.append("  " + Message("cli.sources_none").render(lang))
    for s in provenance.sources:
        lines.append(f"  {s.id}: {s.title.text(lang)}")
        details = [
            s.issuer,
            s.number,
            s.date,
            Message("prov.not_online").render(lang) if s.offline else s.url,
        ]
        shown = [d for d in details if d]
        if shown:
            lines.append("    " + " · ".join(shown))
        if s.passage:
            lines.append(f"    {s.passage}")
        if s.note:
            lines.append(f"    {s.note}")
        if s.cited_by:
            cited = ", ".join(
                c.definition + (f" ({c.passage})" if c.passage else "") for c in s.cited_by
            )
            lines.append(f"    {Message('prov.cited_by').render(lang)}: {cited}")
        else:
            lines.append(f"    {Message('prov.not_cited').render(lang)}")
    if provenance.assumed:
        lines += ["", Message("prov.heading_assumed").render(lang)]
    for a in provenance.assumed:
        value = "" if a.value is None else f" = {a.value}"
        lines.append(f"  {a.definition}{value}: {a.reason}")
        if a.within is not None:
            within = Message("prov.within", low=str(a.within[0]), high=str(a.within[1]))
            lines.append(f"    {within.render(lang)}")
    counts = {kind: provenance.count(kind) for kind in _KINDS}
    lines += ["", Message("prov.counts", **counts).render(lang)]
    return "\n".join(lines)


_KINDS: tuple[Kind, ...] = ("cited", "assumed", "structural", "unmarked")
