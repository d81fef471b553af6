"""Where each name is declared and used, in a file and in the files it imports or extends.

Built from the token stream (`syntax.tokens`): a NAME token's grammar rules say whether it
declares a definition (`input akta`), refers to one (`bands akta`, a group member, a sort
key, `tiers on total`), calls a function or names a source. Names resolve as `link`
resolves them: the file itself, then its imports, then its base (`extends`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Literal

import attrs

from indikator import nodes as n
from indikator.errors import RulesetError
from indikator.resources import grammar_text
from indikator.syntax import Token, parse, tokens

__all__ = [
    "DECLARING",
    "FileIndex",
    "Occurrence",
    "Workspace",
    "index_file",
    "keywords",
    "resolved",
    "valid_name",
]

Role = Literal["declaration", "reference", "function", "source", "cites", "tier"]

#: The rules whose first NAME declares a definition, by the keyword before it.
DECLARING = frozenset({"param", "input", "indicator", "let", "group", "rank", "rollup"})
# Rules in which a NAME is always a reference to a definition.
_REFERRING = frozenset({"ref", "member", "sort_key", "tiers", "region", "region_name"})
_NAME = re.compile(r"[a-z_][a-z0-9_]*")


@attrs.frozen(kw_only=True)
class Occurrence:
    """A NAME token: what it does there and its offsets [start, end) in its file."""

    name: str
    role: Role
    start: int
    end: int


@attrs.frozen(kw_only=True)
class FileIndex:
    """One file's text, syntax tree (None if it does not parse) and name occurrences."""

    path: Path
    text: str
    module: n.Module | None
    occurrences: tuple[Occurrence, ...]

    def at(self, offset: int) -> Occurrence | None:
        """The occurrence under (or just after) `offset`."""
        for occurrence in self.occurrences:
            if occurrence.start <= offset <= occurrence.end:
                return occurrence
        return None

    def declared(self, name: str, role: Role = "declaration") -> Occurrence | None:
        """This file's declaration of `name` (`source` for a source id)."""
        for occurrence in self.occurrences:
            if occurrence.role == role and occurrence.name == name:
                return occurrence
        return None

    def definition(self, name: str) -> n.Definition | n.Rollup | None:
        """The syntax node of this file's definition (or rollup) `name`."""
        if self.module is None:
            return None
        found = [d for d in (*self.module.definitions, *self.module.rollups) if d.name == name]
        return found[0] if found else None

    @property
    def linked_paths(self) -> tuple[Path, ...]:
        """The files it imports, then the one it extends, resolved next to it."""
        if self.module is None:
            return ()
        written = [i.path for i in self.module.imports]
        if self.module.extends is not None:
            written.append(self.module.extends.path)
        return tuple(resolved(self.path.parent / w) for w in written)


def resolved(path: Path) -> Path:
    """The absolute path, or the path as given if it cannot be resolved."""
    try:
        return path.resolve()
    except (OSError, ValueError):  # a NUL byte in an import path
        return path


def index_file(path: Path, text: str) -> FileIndex:
    """Index one file's text; text that does not parse gives no occurrences, never an error."""
    try:
        stream = tokens(text, str(path))
        module: n.Module | None = parse(text, str(path))
    except (RulesetError, RecursionError):
        return FileIndex(path=path, text=text, module=None, occurrences=())
    # `tokens` indexes the text without a byte order mark.
    shift = 1 if text.startswith("\ufeff") else 0
    found = tuple(_classified(stream, shift))
    return FileIndex(path=path, text=text, module=module, occurrences=found)


def _classified(stream: list[Token], shift: int) -> Iterator[Occurrence]:
    code = [t for t in stream if t.kind != "COMMENT"]
    for index, token in enumerate(code):
        if token.kind != "NAME" or not token.rules:
            continue
        role = _role(token, code[index - 1].text if index else "")
        if role is not None:
            yield Occurrence(
                name=token.text, role=role, start=token.start + shift, end=token.end + shift
            )


def _role(token: Token, before: str) -> Role | None:
    rule = token.rules[-1]
    if rule in DECLARING and before == rule:
        return "declaration"
    if rule in _REFERRING or (rule == "rank" and before == "within"):
        return "reference"
    if rule == "rollup" and before == "by":
        return "reference"
    if rule == "call":  # its arguments are `ref`s of their own
        return "function"
    if rule == "source_decl" and before == "source":
        return "source"
    if rule == "cites":
        return "cites"
    if rule == "tier" and token.opens:  # a tier's name begins its row
        return "tier"
    return None


@attrs.define
class Workspace:
    """Files as the editor holds them (open buffers) or else as saved; each indexed once."""

    buffers: Mapping[Path, str] = attrs.field(factory=dict)
    _indexed: dict[Path, FileIndex | None] = attrs.field(factory=dict)

    def file(self, path: Path) -> FileIndex | None:
        """The index of a file, or None if it cannot be read."""
        path = resolved(path)
        if path not in self._indexed:
            text = self.buffers.get(path)
            if text is None:
                try:
                    text = path.read_text(encoding="utf-8-sig")
                except (OSError, UnicodeDecodeError, ValueError):
                    self._indexed[path] = None
                    return None
            self._indexed[path] = index_file(path, text)
        return self._indexed[path]

    def scope(self, path: Path) -> list[FileIndex]:
        """The file, then (depth first) what it imports, then its base: lookup order."""
        seen: dict[Path, FileIndex] = {}
        pending = [resolved(path)]
        while pending:
            current = pending.pop(0)
            if current in seen:
                continue
            index = self.file(current)
            if index is None:
                continue
            seen[current] = index
            pending[:0] = [p for p in index.linked_paths if p not in seen]
        return list(seen.values())

    def resolve(self, path: Path, name: str, role: Role = "declaration") -> FileIndex | None:
        """The file whose declaration `name` means in `path` (`source` for a source id)."""
        for index in self.scope(path):
            if index.declared(name, role) is not None:
                return index
        return None

    def nearby(self, *paths: Path) -> list[FileIndex]:
        """Every ruleset file that may import these: open buffers, their folders' `.ikr`."""
        found: dict[Path, None] = dict.fromkeys(resolved(p) for p in self.buffers)
        for path in paths:
            for folder in (path.parent, path.parent.parent):
                found.update(dict.fromkeys(resolved(p) for p in sorted(folder.glob("*.ikr"))))
        return [index for index in map(self.file, found) if index is not None]


@functools.cache
def keywords() -> tuple[str, ...]:
    """The grammar's keywords, from its quoted words, sorted."""
    words = set(re.findall(r'"([a-z_]+)"', grammar_text()))
    return tuple(sorted(words))


def valid_name(name: str) -> bool:
    """Whether `name` can name a definition: a NAME that is not a keyword or `tier`."""
    return _NAME.fullmatch(name) is not None and name not in keywords() and name != "tier"
