"""Edits: the "did you mean" quick fix and formatting with `indikator fmt`'s formatter."""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types

from indikator.errors import IndikatorError
from indikator.formatter import format_text
from indikator.lsp.positions import Lines
from indikator.messages import Message

__all__ = ["formatting", "quick_fixes"]


def quick_fixes(
    uri: str, diagnostics: Sequence[types.Diagnostic], lang: str
) -> list[types.CodeAction]:
    """One quick fix per diagnostic whose `data` carries a suggested replacement."""
    actions = []
    for diagnostic in diagnostics:
        edit = _edit(diagnostic.data)
        if edit is None:
            continue
        title = Message("lsp.fix_replace", name=edit.new_text).render(lang)
        actions.append(
            types.CodeAction(
                title=title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                is_preferred=True,
                edit=types.WorkspaceEdit(changes={uri: [edit]}),
            )
        )
    return actions


def _edit(data: object) -> types.TextEdit | None:
    """The edit a diagnostic's `data` describes (as `lsp.diagnostics` wrote it), if valid."""
    if not isinstance(data, dict):
        return None
    new_text, where = data.get("newText"), data.get("range")
    if not isinstance(new_text, str) or not isinstance(where, list) or len(where) != 4:  # noqa: PLR2004
        return None
    if not all(isinstance(x, int) and x >= 0 for x in where):
        return None
    start = types.Position(line=where[0], character=where[1])
    end = types.Position(line=where[2], character=where[3])
    return types.TextEdit(range=types.Range(start=start, end=end), new_text=new_text)


def formatting(text: str, file: str) -> list[types.TextEdit] | None:
    """The whole text in canonical layout as one edit; none if unchanged, None if unreadable."""
    try:
        formatted = format_text(text, file)
    except (IndikatorError, RecursionError):
        return None  # the diagnostics already say why it does not parse
    if formatted == text:
        return []
    lines = Lines(text)
    return [types.TextEdit(range=lines.range(0, len(text)), new_text=formatted)]
