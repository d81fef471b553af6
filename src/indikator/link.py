"""Linking: resolve `import` and `extends` into one flat set of definitions.

Input: a parsed `Module` and a way to read other files. Output: a `Linked` ruleset where
every definition is known by name. Raises `RulesetCheckError` for missing files, import
cycles and paths that leave the ruleset's folder (IK103 to IK105), and for files that
import each other more than `MAX_IMPORT_DEPTH` deep (IK107).

Each file is read, parsed and linked once per load, however many files import it: a
"diamond" of imports (two files each importing the same two files, level after level)
would otherwise cost 2^levels parses.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import attrs

from indikator import nodes as n
from indikator.errors import Diagnostic, Note, RulesetCheckError, Span
from indikator.messages import Message, closest
from indikator.syntax import parse

__all__ = ["COMMON", "MAX_IMPORT_DEPTH", "Linked", "import_limit", "link", "read_source"]

#: How many files deep `import` and `extends` may chain (the first file is level 1).
#: Linking recurses once per level; this keeps it far inside Python's recursion limit.
MAX_IMPORT_DEPTH = 100


@attrs.frozen(kw_only=True, repr=False)
class Linked(n.FieldsRepr):
    """A ruleset with its imports and base merged; `sources` maps file → text."""

    header: n.Header | None
    definitions: tuple[n.Definition, ...]
    tiers: n.Tiers | None
    sources: dict[str, str]
    rollups: tuple[n.Rollup, ...] = ()
    duplicates: tuple[Diagnostic, ...] = ()
    #: Every `source` declared in the file, its base and its imports (the first by id).
    declared_sources: tuple[n.Source, ...] = ()
    #: Definitions that came from an `import` (directly, or through the base) and were not
    #: replaced: an input among them that nothing reads is not required (`check.names`).
    imported: frozenset[str] = frozenset()

    @property
    def catalogue(self) -> bool:
        """Definitions only (no header, tiers or rollups): a file made to be imported."""
        return self.header is None and self.tiers is None and not self.rollups


def read_source(path: Path, display: str) -> str:
    """Read ruleset text as UTF-8 (a BOM is allowed); report bad bytes with a position."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RulesetCheckError(
            [
                _file_problem(
                    "IK103",
                    Message("link.cannot_read", file=display, reason=str(error.strerror)),
                )
            ]
        ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        span = Span(file=display, line=line, column=column, end_line=line, end_column=column + 1)
        diagnostic = Diagnostic(
            code="IK004",
            message=Message("link.not_utf8", byte=f"{data[error.start]:02x}"),
            span=span,
            hint=Message("link.hint_utf8"),
        )
        raise RulesetCheckError([diagnostic], {display: data.decode("utf-8", "replace")}) from None


def _file_problem(code: str, message: Message, span: Span | None = None) -> Diagnostic:
    return Diagnostic(code=code, message=message, span=span)


@attrs.define
class _Linker:
    root: Path
    sources: dict[str, str] = attrs.field(factory=dict)
    problems: list[Diagnostic] = attrs.field(factory=list)
    done: dict[Path, Linked] = attrs.field(factory=dict)  # each file linked once per load

    def display(self, path: Path) -> str:
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)

    def resolve(self, path: Path, written: str, via: Span, stack: tuple[Path, ...]) -> Path | None:
        """The file an import names, or None (and a problem) if it cannot be followed."""
        try:
            resolved = path.resolve()
            found = resolved.is_file()
        except (OSError, ValueError):  # a NUL byte, or a name the file system cannot hold
            self.problems.append(
                _file_problem("IK103", Message("link.not_found", file=written), via)
            )
            return None
        if resolved in stack:
            chain = " -> ".join(p.name for p in (*stack[stack.index(resolved) :], resolved))
            self.problems.append(
                _file_problem("IK104", Message("link.import_loop", chain=chain), via)
            )
            return None
        if not resolved.is_relative_to(self.root):
            self.problems.append(
                Diagnostic(
                    code="IK105",
                    message=Message("link.outside", file=written, root=self.display(self.root)),
                    span=via,
                    hint=Message("link.hint_outside"),
                )
            )
            return None
        if not found:
            self.problems.append(
                _file_problem("IK103", Message("link.not_found", file=self.display(resolved)), via)
            )
            return None
        if len(stack) >= MAX_IMPORT_DEPTH:
            self.problems.append(_too_deep(stack, via))
            return None
        return resolved

    def load(self, resolved: Path) -> n.Module:
        display = self.display(resolved)
        text = read_source(resolved, display)
        self.sources[display] = text
        return parse(text, display)

    def merge(self, module: n.Module, here: Path, stack: tuple[Path, ...]) -> Linked:
        header, tiers = module.header, module.tiers
        rollups: dict[str, n.Rollup] = {}
        definitions: dict[str, n.Definition] = {}
        # A dict as an ordered set: a file reached twice brings its duplicates twice.
        duplicates: dict[Diagnostic, None] = {}
        declared: dict[str, n.Source] = {}
        inherited: frozenset[str] = frozenset()
        if module.extends is not None:
            base = self.follow(module.extends.path, module.extends.span, here, stack)
            if base is not None:
                header = _merge_headers(base.header, header)
                tiers = tiers or base.tiers
                rollups.update((r.name, r) for r in base.rollups)
                definitions.update((d.name, d) for d in base.definitions)
                duplicates.update(dict.fromkeys(base.duplicates))
                _add_sources(declared, base.declared_sources, duplicates)
                duplicates.update(dict.fromkeys(_replacements(module, base)))
                inherited = base.imported
        imported: dict[str, n.Definition] = {}
        for item in module.imports:
            catalogue = self.follow(item.path, item.span, here, stack)
            if catalogue is not None:
                _add(imported, catalogue.definitions, duplicates)
                duplicates.update(dict.fromkeys(catalogue.duplicates))
                _add_sources(declared, catalogue.declared_sources, duplicates)
        # Imports and this file's definitions must not clash; both override the base by name.
        local = dict(imported)
        _add(local, module.definitions, duplicates)
        definitions.update(local)
        rollups.update((r.name, r) for r in module.rollups)
        _add_sources(declared, module.declared_sources, duplicates)
        own = {d.name for d in module.definitions}
        return Linked(
            header=header,
            definitions=tuple(definitions.values()),
            tiers=tiers,
            rollups=tuple(rollups.values()),
            sources=self.sources,
            duplicates=tuple(duplicates),
            declared_sources=tuple(declared.values()),
            imported=frozenset((inherited | imported.keys()) - own),
        )

    def follow(self, target: str, span: Span, here: Path, stack: tuple[Path, ...]) -> Linked | None:
        resolved = self.resolve(here.parent / target, target, span, stack)
        if resolved is None:
            return None
        # Not in `stack` (that was a cycle), so a file found here has been linked in full.
        if resolved not in self.done:
            module = self.load(resolved)
            self.done[resolved] = self.merge(module, resolved, (*stack, resolved))
        return self.done[resolved]


def _replacements(module: n.Module, base: Linked) -> Iterator[Diagnostic]:
    """IK108: in a file that extends a base, each definition replaces one, or says `new`.

    Without the rule a misspelt name (`i_aktaa`) silently adds a definition and the base's
    stays in force; `new` says the addition is meant.
    """
    assert module.extends is not None  # noqa: S101  # called for an extending file only
    file = module.extends.path
    inherited = {d.name: d for d in base.definitions}
    added = {a.definition.name for a in module.added}
    for definition in module.definitions:
        first = inherited.get(definition.name)
        if definition.name in added and first is not None:
            yield Diagnostic(
                code="IK108",
                message=Message("friction.new_but_inherited", name=definition.name, base=file),
                span=definition.span,
                hint=Message("friction.hint_new_but_inherited"),
                notes=(Note(message=Message("friction.base_defines"), span=first.span),),
            )
        elif definition.name not in added and first is None:
            # A guess among the base's definitions of the same kind not replaced already.
            here = {d.name for d in module.definitions}
            left = [d.name for d in base.definitions if type(d) is type(definition)]
            guess = closest(definition.name, set(left) - here)
            yield Diagnostic(
                code="IK108",
                message=Message("friction.replaces_nothing", name=definition.name, base=file),
                span=definition.span,
                hint=Message("suggest.did_you_mean", name=guess)
                if guess
                else Message(
                    "friction.hint_mark_new",
                    name=definition.name,
                    kind=n.KEYWORDS[type(definition)],
                ),
            )


def _too_deep(stack: tuple[Path, ...], via: Span | None) -> Diagnostic:
    return Diagnostic(
        code="IK107",
        message=Message("link.too_deep", levels=MAX_IMPORT_DEPTH, first=stack[0].name),
        span=via,
        hint=Message("link.hint_too_deep"),
    )


#: A definition or a source: each has a name, a span and a place it was first declared.
_Named = TypeVar("_Named", n.Definition, n.Source)


def _add(
    into: dict[str, _Named],
    new: tuple[_Named, ...],
    problems: dict[Diagnostic, None],
    code: str = "IK101",
    key: str = "link.defined_twice",
) -> None:
    """Definitions (or sources) by name; the same one reached twice is fine, two not."""
    for item in new:
        first = into.get(item.name)
        if first is not None and first != item:  # the same file imported twice is fine
            twice = Diagnostic(
                code=code,
                message=Message(key, name=item.name),
                span=item.span,
                notes=(Note(message=Message("link.first_defined"), span=first.span),),
            )
            problems[twice] = None
            continue
        into[item.name] = item


def _add_sources(
    into: dict[str, n.Source], new: tuple[n.Source, ...], problems: dict[Diagnostic, None]
) -> None:
    """Sources by id (IK423 for two different declarations of one id)."""
    _add(into, new, problems, "IK423", "prov.source_twice")


def _merge_headers(base: n.Header | None, local: n.Header | None) -> n.Header | None:
    if base is None or local is None:
        return local or base
    changes = {
        field: getattr(local, field)
        for field in ("title", "edition", "scale", "region", "region_name")
        if getattr(local, field) is not None
    }
    if local.sources:
        changes["sources"] = local.sources
    # A scale written here replaces the base's, whether a number or an expression.
    if local.scale_written is not None:
        changes |= {"scale": None, "scale_written": local.scale_written}
    elif local.scale is not None:
        changes["scale_written"] = None
    return attrs.evolve(base, span=local.span, name=local.name, **changes)


#: A folder of shared catalogues beside the schemes' folders (`rulesets/common/`).
COMMON = "common"


def import_limit(here: Path) -> Path:
    """Where the imports of the file `here` may reach when no root is given.

    Its own folder, or the folder above when that holds a `common/` folder of shared
    catalogues: `rulesets/kla/2025.ikr` may import `../common/facts.ikr`.
    """
    above = here.parent.parent
    return above if (above / COMMON).is_dir() else here.parent


def link(module: n.Module, text: str, *, path: Path | None, root: Path | None) -> Linked:
    """Resolve a module's imports and base; `path` is where it was read from, if anywhere.

    `root` limits the imports of a file read from `path`; for text (no `path`) it is the
    folder the text stands in. Without a limit given, `import_limit` decides.
    """
    here = (path or (root or Path.cwd()) / module.file).resolve()
    base_root = (root if path is not None and root is not None else import_limit(here)).resolve()
    linker = _Linker(root=base_root)
    linker.sources[module.file] = text
    try:
        linked = linker.merge(module, here, (here,))
    except RecursionError:  # only when called already deep in the stack: see MAX_IMPORT_DEPTH
        raise RulesetCheckError([_too_deep((here,), None)], linker.sources) from None
    if linker.problems:
        raise RulesetCheckError(linker.problems, linker.sources)
    return linked
