"""The checker's diagnostics as the protocol's: range, severity, code, text in a language.

A problem in another file (an imported catalogue) is shown on the `import` or `extends`
line that brings that file in, naming where it is. A "did you mean" hint also travels in
the diagnostic's `data` as the edit that applies it, for the quick fix (`lsp.edits`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lsprotocol import types

from indikator import nodes as n
from indikator.errors import Diagnostic, Severity, Span
from indikator.lsp.document import Checked
from indikator.lsp.index import FileIndex, Workspace, resolved
from indikator.lsp.positions import Lines
from indikator.messages import Message

__all__ = ["SOURCE", "protocol_diagnostics", "span_path"]

#: The `source` of every diagnostic the server publishes.
SOURCE = "indikator"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.NOTE: types.DiagnosticSeverity.Information,
}


def span_path(span: Span) -> Path:
    """The file a span is in (spans name files relative to the working folder)."""
    path = Path(span.file)
    return resolved(path if path.is_absolute() else Path.cwd() / path)


def protocol_diagnostics(
    checked: Checked, here: FileIndex, workspace: Workspace, lang: str
) -> list[types.Diagnostic]:
    """Every diagnostic of a checked buffer, for publishing on `here`'s document."""
    lines = Lines(here.text)
    return [_one(d, here, lines, workspace, lang) for d in checked.diagnostics]


def _one(
    diagnostic: Diagnostic, here: FileIndex, lines: Lines, workspace: Workspace, lang: str
) -> types.Diagnostic:
    text = diagnostic.message.render(lang)
    if diagnostic.hint is not None:
        text += f"\n{Message('frame.hint').render(lang)}: {diagnostic.hint.render(lang)}"
    span = diagnostic.span
    data: dict[str, Any] | None = None
    if span is None:
        where = lines.range(0, 0)
    elif span_path(span) == here.path:
        where = lines.span_range(span)
        data = _fix(diagnostic, span, lines)
    else:
        where = _importing_line(here, span_path(span), lines)
        text = Message("lsp.elsewhere", place=_place(span), message=text).render(lang)
    related = [
        types.DiagnosticRelatedInformation(location=location, message=note.message.render(lang))
        for note in diagnostic.notes
        if note.span is not None and (location := span_location(note.span, workspace))
    ]
    return types.Diagnostic(
        range=where,
        message=text,
        severity=_SEVERITY[diagnostic.severity],
        code=diagnostic.code,
        source=SOURCE,
        related_information=related or None,
        data=data,
    )


def _place(span: Span) -> str:
    return f"{Path(span.file).name}:{span.line}:{span.column}"


def span_location(span: Span, workspace: Workspace) -> types.Location | None:
    """Where a span is, as a protocol location; None if its file cannot be read."""
    index = workspace.file(span_path(span))
    if index is None:
        return None
    return types.Location(uri=index.path.as_uri(), range=Lines(index.text).span_range(span))


def _importing_line(here: FileIndex, target: Path, lines: Lines) -> types.Range:
    """The `import`/`extends` statement that brings `target` in (else the first one)."""
    module = here.module
    if module is None:
        return lines.range(0, 0)
    statements: list[n.Import | n.Extends] = [
        *module.imports,
        *([module.extends] if module.extends else []),
    ]
    for statement in statements:
        if resolved(here.path.parent / statement.path) == target:
            return lines.span_range(statement.span)
    return lines.span_range(statements[0].span) if statements else lines.range(0, 0)


def _fix(diagnostic: Diagnostic, span: Span, lines: Lines) -> dict[str, Any] | None:
    """A "did you mean" hint as an edit: the misspelt word in the span and its replacement."""
    hint = diagnostic.hint
    if hint is None or hint.key != "suggest.did_you_mean":
        return None
    args = dict(diagnostic.message.args)
    wrong, right = args.get("name", args.get("value")), dict(hint.args).get("name")
    if not isinstance(wrong, str) or not isinstance(right, str):
        return None
    start, end = lines.span_offsets(span)
    inside = lines.text[start:end]
    quoted = f'"{_escaped(wrong)}"'
    found = re.search(rf"(?<![\w\"]){re.escape(wrong)}(?![\w\"])", inside)
    if quoted in inside:
        at, new_text = inside.index(quoted), f'"{_escaped(right)}"'
        length = len(quoted)
    elif found is not None:
        at, new_text, length = found.start(), right, len(wrong)
    else:
        return None
    edit = lines.range(start + at, start + at + length)
    return {
        "newText": new_text,
        "range": [edit.start.line, edit.start.character, edit.end.line, edit.end.character],
    }


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
