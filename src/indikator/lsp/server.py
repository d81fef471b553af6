"""The language server's wiring: protocol messages in, the feature functions' answers out.

Everything a feature knows comes from the editor's buffers (`Workspace`) and the check of
the document (`check_text`), made again on each change; the feature modules do the rest.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator
from importlib import metadata
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

from indikator.lsp.completion import completion
from indikator.lsp.diagnostics import SOURCE, protocol_diagnostics
from indikator.lsp.document import Checked, check_text
from indikator.lsp.edits import formatting, quick_fixes
from indikator.lsp.hover import hover
from indikator.lsp.index import FileIndex, Workspace, index_file, resolved
from indikator.lsp.navigation import (
    RenameRefused,
    definition,
    prepare_rename,
    references,
    rename,
)
from indikator.lsp.outline import symbols
from indikator.messages import Message

__all__ = ["IndikatorServer", "language", "make_server"]


def language(options: object, environ: os._Environ[str] | dict[str, str]) -> str:
    """The language of messages: initializationOptions' `lang`, else the locale's."""
    if isinstance(options, dict) and options.get("lang") in ("en", "id"):
        return str(options["lang"])
    chosen = environ.get("INDIKATOR_LANG", "")
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        chosen = chosen or environ.get(name, "")
    return "id" if chosen.lower().startswith("id") else "en"


class _Utf16Protocol(LanguageServerProtocol):
    """pygls' protocol, keeping positions in UTF-16 (`lsp.positions` counts in it).

    UTF-16 is the protocol's default, which every client supports; pygls would otherwise
    take the client's first preference (UTF-8 for some editors).
    """

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(
        self, params: types.InitializeParams
    ) -> Generator[Any, Any, types.InitializeResult]:
        """Initialize as pygls does, the client's position encodings left unread."""
        if params.capabilities.general is not None:
            params.capabilities.general.position_encodings = None
        return (yield from super().lsp_initialize(params))


class IndikatorServer(LanguageServer):
    """pygls' server with the language chosen and each document's last check."""

    def __init__(self) -> None:
        super().__init__("indikator", _version(), protocol_cls=_Utf16Protocol)
        self.lang = language(None, os.environ)
        self.checked: dict[str, Checked] = {}
        self.parsed: dict[str, FileIndex] = {}  # each buffer's last text that parsed

    def files(self) -> Workspace:
        """The open buffers, by path, over the saved files."""
        buffers = {
            resolved(Path(doc.path)): doc.source
            for doc in self.workspace.text_documents.values()
            if doc.path
        }
        return Workspace(buffers=buffers)

    def current(self, uri: str, files: Workspace) -> FileIndex:
        """The index of an open document's text."""
        doc = self.workspace.get_text_document(uri)
        found = files.file(Path(doc.path))
        return found if found is not None else index_file(resolved(Path(doc.path)), doc.source)

    def refresh(self, uri: str) -> None:
        """Check a document again and publish its diagnostics."""
        doc = self.workspace.get_text_document(uri)
        try:
            found = self._diagnose(uri, doc.source)
        except Exception as error:  # noqa: BLE001  # a bug shows as a diagnostic, not a crash
            found = [_internal(error, self.lang)]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=doc.version)
        )

    def _diagnose(self, uri: str, text: str) -> list[types.Diagnostic]:
        files = self.files()
        here = self.current(uri, files)
        checked = check_text(text, here.path, here.module)
        self.checked[uri] = checked
        if here.module is not None:
            self.parsed[uri] = here
        return protocol_diagnostics(checked, here, files, self.lang)


def _internal(error: Exception, lang: str) -> types.Diagnostic:
    start = types.Position(line=0, character=0)
    return types.Diagnostic(
        range=types.Range(start=start, end=start),
        message=Message("lsp.internal", reason=type(error).__name__).render(lang),
        code="IK901",
        source=SOURCE,
    )


def _version() -> str:
    try:
        return metadata.version("indikator")
    except metadata.PackageNotFoundError:  # a checkout on the path, not installed
        return "0+unknown"


# -- the handlers: each reads the request, calls one feature function, answers --------


def _initialize(ls: IndikatorServer, params: types.InitializeParams) -> None:
    ls.lang = language(params.initialization_options, os.environ)


def _did_open(ls: IndikatorServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.refresh(params.text_document.uri)


def _did_change(ls: IndikatorServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.refresh(params.text_document.uri)


def _did_save(ls: IndikatorServer, params: types.DidSaveTextDocumentParams) -> None:
    # A saved file may be imported by the others: they are checked against it again.
    saved = params.text_document.uri
    for uri in [saved, *(u for u in ls.workspace.text_documents if u != saved)]:
        ls.refresh(uri)


def _did_close(ls: IndikatorServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.checked.pop(uri, None)
    ls.parsed.pop(uri, None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


def _hover(ls: IndikatorServer, params: types.HoverParams) -> types.Hover | None:
    files = ls.files()
    checked = ls.checked.get(params.text_document.uri)
    analysis = checked.analysis if checked is not None else None
    here = ls.current(params.text_document.uri, files)
    return hover(here, params.position, files, analysis, ls.lang)


def _definition(ls: IndikatorServer, params: types.DefinitionParams) -> types.Location | None:
    files = ls.files()
    return definition(ls.current(params.text_document.uri, files), params.position, files)


def _references(ls: IndikatorServer, params: types.ReferenceParams) -> list[types.Location]:
    files = ls.files()
    here = ls.current(params.text_document.uri, files)
    include = params.context.include_declaration
    return references(here, params.position, files, include_declaration=include)


def _completion(ls: IndikatorServer, params: types.CompletionParams) -> list[types.CompletionItem]:
    files = ls.files()
    uri = params.text_document.uri
    return completion(ls.current(uri, files), params.position, files, ls.lang, ls.parsed.get(uri))


def _symbols(ls: IndikatorServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
    return symbols(ls.current(params.text_document.uri, ls.files()), ls.lang)


def _prepare_rename(ls: IndikatorServer, params: types.PrepareRenameParams) -> types.Range | None:
    files = ls.files()
    return prepare_rename(ls.current(params.text_document.uri, files), params.position, files)


def _rename(ls: IndikatorServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
    files = ls.files()
    here = ls.current(params.text_document.uri, files)
    try:
        return rename(here, params.position, params.new_name, files)
    except RenameRefused as refused:  # the editor shows the error's message
        raise JsonRpcInvalidParams(refused.message.render(ls.lang)) from None


def _formatting(
    ls: IndikatorServer, params: types.DocumentFormattingParams
) -> list[types.TextEdit] | None:
    doc = ls.workspace.get_text_document(params.text_document.uri)
    return formatting(doc.source, doc.path)


def _code_action(ls: IndikatorServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    return quick_fixes(params.text_document.uri, params.context.diagnostics, ls.lang)


#: Every method the server answers: its handler and the options it advertises.
_FEATURES: tuple[tuple[str, object, Callable[..., object]], ...] = (
    (types.INITIALIZE, None, _initialize),
    (types.TEXT_DOCUMENT_DID_OPEN, None, _did_open),
    (types.TEXT_DOCUMENT_DID_CHANGE, None, _did_change),
    (types.TEXT_DOCUMENT_DID_SAVE, None, _did_save),
    (types.TEXT_DOCUMENT_DID_CLOSE, None, _did_close),
    (types.TEXT_DOCUMENT_HOVER, None, _hover),
    (types.TEXT_DOCUMENT_DEFINITION, None, _definition),
    (types.TEXT_DOCUMENT_REFERENCES, None, _references),
    # '"' opens an option value: `status == "` offers the input's options.
    (
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=['"']),
        _completion,
    ),
    (types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, None, _symbols),
    (types.TEXT_DOCUMENT_PREPARE_RENAME, None, _prepare_rename),
    (types.TEXT_DOCUMENT_RENAME, None, _rename),
    (types.TEXT_DOCUMENT_FORMATTING, None, _formatting),
    (
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
        _code_action,
    ),
)


def make_server() -> IndikatorServer:
    """A server with every feature registered."""
    server = IndikatorServer()
    for method, options, handler in _FEATURES:
        server.feature(method, options)(handler)
    return server


def serve() -> None:
    """Run the server on standard input and output until the editor says exit."""
    make_server().start_io()
