"""The outline (document symbols): parameters, inputs, indicators, groups, tiers, ranks."""

from __future__ import annotations

from lsprotocol import types

from indikator import nodes as n
from indikator.lsp.index import FileIndex
from indikator.lsp.positions import Lines

__all__ = ["symbols"]

_KIND: dict[type, types.SymbolKind] = {
    n.Param: types.SymbolKind.Constant,
    n.Input: types.SymbolKind.Field,
    n.Indicator: types.SymbolKind.Function,
    n.Let: types.SymbolKind.Variable,
    n.Group: types.SymbolKind.Module,
    n.Rank: types.SymbolKind.Number,
    n.Rollup: types.SymbolKind.Struct,
}


def symbols(here: FileIndex, lang: str) -> list[types.DocumentSymbol]:
    """The file's definitions in written order, the tiers with one child per tier."""
    module = here.module
    if module is None:
        return []
    lines = Lines(here.text)
    found: list[tuple[int, types.DocumentSymbol]] = []
    for definition in (*module.definitions, *module.rollups):
        start, end = lines.span_offsets(definition.span)
        declared = here.declared(definition.name)
        name_at = (declared.start, declared.end) if declared else (start, end)
        symbol = types.DocumentSymbol(
            name=definition.name,
            detail=definition.label.text(lang) if definition.label else None,
            kind=_KIND[type(definition)],
            range=lines.range(start, end),
            selection_range=lines.range(*name_at),
        )
        found.append((start, symbol))
    if module.tiers is not None:
        found.append((lines.span_offsets(module.tiers.span)[0], _tiers(module.tiers, lines, lang)))
    return [symbol for _, symbol in sorted(found, key=lambda item: item[0])]


def _tiers(tiers: n.Tiers, lines: Lines, lang: str) -> types.DocumentSymbol:
    children = []
    for tier in tiers.tiers:
        start, _ = lines.span_offsets(tier.span)
        children.append(
            types.DocumentSymbol(
                name=tier.name,
                detail=tier.label.text(lang),
                kind=types.SymbolKind.EnumMember,
                range=lines.span_range(tier.span),
                selection_range=lines.range(start, start + len(tier.name)),
            )
        )
    subject = lines.span_range(tiers.subject.span)
    return types.DocumentSymbol(
        name=f"tiers on {tiers.subject.name}",
        kind=types.SymbolKind.Enum,
        range=lines.span_range(tiers.span),
        selection_range=subject,
        children=children,
    )
