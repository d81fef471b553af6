"""Go to definition, find references and rename, across `import` and `extends` files.

A name means the declaration `link` would give it (`Workspace.resolve`); a use of the
same name in another file counts only if it resolves to the same declaration there.
"""

from __future__ import annotations

import attrs
from lsprotocol import types

from indikator import nodes as n
from indikator.lsp.index import FileIndex, Occurrence, Role, Workspace, valid_name
from indikator.lsp.positions import Lines
from indikator.messages import Message

__all__ = ["RenameRefused", "definition", "prepare_rename", "references", "rename"]


class RenameRefused(Exception):  # noqa: N818  # a refusal shown to the user, not a bug
    """A rename the server will not make; `message` says why."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


@attrs.frozen(kw_only=True)
class _Target:
    """A name at a position and the file declaring what it means."""

    occurrence: Occurrence
    declared_in: FileIndex
    role: Role  # "declaration" for definitions, "source" for source ids
    here: FileIndex


def _target(here: FileIndex, position: types.Position, workspace: Workspace) -> _Target | None:
    occurrence = here.at(Lines(here.text).offset(position))
    if occurrence is None or occurrence.role in ("function", "tier"):
        return None
    role: Role = "source" if occurrence.role in ("source", "cites") else "declaration"
    found = workspace.resolve(here.path, occurrence.name, role)
    if found is None:
        return None
    return _Target(occurrence=occurrence, declared_in=found, role=role, here=here)


def _location(index: FileIndex, occurrence: Occurrence) -> types.Location:
    return types.Location(
        uri=index.path.as_uri(), range=Lines(index.text).range(occurrence.start, occurrence.end)
    )


def definition(
    here: FileIndex, position: types.Position, workspace: Workspace
) -> types.Location | None:
    """Where the name at `position` is declared, in this file or one it imports or extends."""
    target = _target(here, position, workspace)
    if target is None:
        return _linked_file(here, position)
    declared = target.declared_in.declared(target.occurrence.name, target.role)
    return None if declared is None else _location(target.declared_in, declared)


def _linked_file(here: FileIndex, position: types.Position) -> types.Location | None:
    """On an `import` or `extends` line: the top of the file it names."""
    module = here.module
    if module is None:
        return None
    lines = Lines(here.text)
    offset = lines.offset(position)
    statements: list[n.Import | n.Extends] = [*module.imports]
    if module.extends is not None:
        statements.append(module.extends)
    for statement, target in zip(statements, here.linked_paths, strict=True):
        start, end = lines.span_offsets(statement.span)
        if start <= offset <= end and target.is_file():
            top = types.Position(line=0, character=0)
            return types.Location(uri=target.as_uri(), range=types.Range(start=top, end=top))
    return None


def _uses(target: _Target, workspace: Workspace) -> list[tuple[FileIndex, Occurrence]]:
    """Every occurrence that means the target's declaration, the declaration first."""
    name, declaring = target.occurrence.name, target.declared_in
    uses_role = ("cites",) if target.role == "source" else ("reference",)
    found: list[tuple[FileIndex, Occurrence]] = []
    declared = declaring.declared(name, target.role)
    if declared is not None:
        found.append((declaring, declared))
    for index in workspace.nearby(declaring.path, target.here.path):
        if all(o.name != name or o.role not in uses_role for o in index.occurrences):
            continue
        resolved = workspace.resolve(index.path, name, target.role)
        if resolved is None or resolved.path != declaring.path:
            continue
        found += [(index, o) for o in index.occurrences if o.name == name and o.role in uses_role]
    return found


def references(
    here: FileIndex,
    position: types.Position,
    workspace: Workspace,
    *,
    include_declaration: bool,
) -> list[types.Location]:
    """Every use of the name at `position` in the files that can see its declaration."""
    target = _target(here, position, workspace)
    if target is None:
        return []
    uses = _uses(target, workspace)
    if not include_declaration:
        uses = [(i, o) for i, o in uses if o.role not in ("declaration", "source")]
    return [_location(index, occurrence) for index, occurrence in uses]


def prepare_rename(
    here: FileIndex, position: types.Position, workspace: Workspace
) -> types.Range | None:
    """The name's range if it can be renamed: a definition this server can see declared."""
    target = _target(here, position, workspace)
    if target is None:
        return None
    occurrence = target.occurrence
    return Lines(here.text).range(occurrence.start, occurrence.end)


def rename(
    here: FileIndex, position: types.Position, new_name: str, workspace: Workspace
) -> types.WorkspaceEdit | None:
    """Every use of the name renamed; `RenameRefused` for an invalid or a taken name."""
    target = _target(here, position, workspace)
    if target is None:
        return None
    if not valid_name(new_name):
        raise RenameRefused(Message("lsp.rename_invalid", name=new_name))
    uses = _uses(target, workspace)
    for path in {index.path for index, _ in uses}:
        if workspace.resolve(path, new_name, target.role) is not None:
            raise RenameRefused(Message("lsp.rename_taken", name=new_name, file=path.name))
    changes: dict[str, list[types.TextEdit]] = {}
    for index, occurrence in uses:
        edit = types.TextEdit(
            range=Lines(index.text).range(occurrence.start, occurrence.end), new_text=new_name
        )
        changes.setdefault(index.path.as_uri(), []).append(edit)
    return types.WorkspaceEdit(changes=changes)
