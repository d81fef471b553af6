"""Completion: names, built-in functions and keywords, or the options of an option input.

Names are those defined in the file and in what it imports or extends; where an option is
expected (`options x {`, `x == "`), only the option values of that input are offered.
"""

from __future__ import annotations

import re

from lsprotocol import types

from indikator import nodes as n
from indikator.functions import FUNCTIONS
from indikator.lsp.index import FileIndex, Workspace, keywords
from indikator.lsp.positions import Lines
from indikator.messages import Message

__all__ = ["completion"]

_NAME = r"([a-z_][a-z0-9_]*)"
# Where an option is expected: inside an `options x { ... }` table (not after `->`), or
# after `x ==`/`x !=`.
_IN_OPTIONS = re.compile(rf"options\s+{_NAME}\s*\{{[^{{}}]*$")
_COMPARED = re.compile(rf"{_NAME}\s*(?:==|!=)\s*$")

_KIND: dict[type, types.CompletionItemKind] = {
    n.Param: types.CompletionItemKind.Constant,
    n.Input: types.CompletionItemKind.Field,
    n.Indicator: types.CompletionItemKind.Variable,
    n.Let: types.CompletionItemKind.Variable,
    n.Group: types.CompletionItemKind.Module,
    n.Rank: types.CompletionItemKind.Value,
    n.Rollup: types.CompletionItemKind.Struct,
}


def completion(
    here: FileIndex,
    position: types.Position,
    workspace: Workspace,
    lang: str,
    known: FileIndex | None = None,
) -> list[types.CompletionItem]:
    """What may be written at `position`; `known` is the buffer's last text that parsed."""
    lines = Lines(here.text)
    offset = lines.offset(position)
    before = here.text[:offset]
    scope = workspace.scope(here.path) if here.module is not None or known is None else []
    if not scope and known is not None:
        scope = [known, *workspace.scope(known.path)[1:]]
    options = _options(before, scope)
    if options is not None:
        subject, typed = options
        start = offset - len(typed)
        return [_option(choice, lines.range(start, offset)) for choice in subject.type.choices]
    return [*_names(scope, lang), *_functions(lang), *_keywords()]


def _options(before: str, scope: list[FileIndex]) -> tuple[n.Input, str] | None:
    """The option input whose value is expected at the end of `before`, and what is typed."""
    line = before[before.rfind("\n") + 1 :]
    # Inside a string already begun: what is typed of it is replaced by the chosen option.
    typed = line[line.rfind('"') :] if line.count('"') % 2 else ""
    head = before[: len(before) - len(typed)]
    found = _COMPARED.search(head)
    if found is None and not head.rstrip().endswith("->"):
        found = _IN_OPTIONS.search(head)
    if found is None:
        return None
    for index in scope:
        definition = index.definition(found.group(1))
        if isinstance(definition, n.Input) and definition.type.kind == "option":
            return definition, typed
        if definition is not None:
            return None
    return None


def _option(choice: str, replaced: types.Range) -> types.CompletionItem:
    text = '"' + choice.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return types.CompletionItem(
        label=text,
        kind=types.CompletionItemKind.EnumMember,
        text_edit=types.TextEdit(range=replaced, new_text=text),
        filter_text=text,
    )


def _names(scope: list[FileIndex], lang: str) -> list[types.CompletionItem]:
    items: dict[str, types.CompletionItem] = {}
    for index in scope:
        if index.module is None:
            continue
        for definition in (*index.module.definitions, *index.module.rollups):
            if definition.name in items:
                continue  # the first in lookup order wins, as in `link`
            label = definition.label.text(lang) if definition.label else None
            items[definition.name] = types.CompletionItem(
                label=definition.name,
                kind=_KIND[type(definition)],
                detail=label,
                label_details=types.CompletionItemLabelDetails(description=index.path.name),
            )
    return list(items.values())


def _functions(lang: str) -> list[types.CompletionItem]:
    return [
        types.CompletionItem(
            label=name,
            kind=types.CompletionItemKind.Function,
            detail=spec.signature,
            documentation=Message(f"function.{name}").render(lang),
        )
        for name, spec in FUNCTIONS.items()
    ]


def _keywords() -> list[types.CompletionItem]:
    return [
        types.CompletionItem(label=word, kind=types.CompletionItemKind.Keyword)
        for word in keywords()
    ]
