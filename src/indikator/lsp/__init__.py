"""A language server for rulesets: `indikator lsp`.

Diagnostics as you type, hover, go to definition, references, completion, outline,
rename, formatting and quick fixes. It needs pygls (`pip install "indikator[lsp]"`);
`import indikator` never imports it, and this package imports it only when the server
starts.
"""

from __future__ import annotations

__all__ = ["available", "serve"]


def available() -> bool:
    """Whether pygls and lsprotocol can be imported."""
    try:
        import lsprotocol.types  # noqa: F401, PLC0415  # only asking
        import pygls.lsp.server  # noqa: F401, PLC0415
    except ImportError:
        return False
    return True


def serve() -> None:
    """Run the language server on standard input and output."""
    from indikator.lsp.server import serve as run  # noqa: PLC0415  # pygls only now

    run()
