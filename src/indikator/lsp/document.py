"""One open document checked as `indikator check` checks a file, from the editor's text.

`check_text` parses the buffer (not the saved file), links its imports and base from the
folder it lives in and runs every check; it never raises: whatever goes wrong becomes a
diagnostic, so a language server on a half-typed ruleset keeps running.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from indikator import nodes as n
from indikator.check import Analysis, analyse
from indikator.errors import Diagnostic, RulesetError, too_deep
from indikator.link import Linked, link
from indikator.messages import Message
from indikator.syntax import parse

__all__ = ["Checked", "check_text"]


@attrs.frozen(kw_only=True)
class Checked:
    """What checking a buffer found: its diagnostics and, if it got that far, the analysis."""

    diagnostics: tuple[Diagnostic, ...]
    linked: Linked | None = None
    analysis: Analysis | None = None


def check_text(text: str, path: Path, module: n.Module | None = None) -> Checked:
    """Check ruleset text as if saved at `path`; imports resolve next to that file.

    `module` is the text already parsed (as `path`), if it was.
    """
    file = str(path)
    try:
        parsed = module if module is not None else parse(text, file)
        linked = link(parsed, text, path=path, root=None)
        analysis = analyse(linked, {}, catalogue=linked.catalogue)
    except RulesetError as error:
        return Checked(diagnostics=error.diagnostics)
    except RecursionError:
        return Checked(diagnostics=too_deep(file, "compile").diagnostics)
    except Exception as error:  # noqa: BLE001  # a bug must not take the editor's server down
        internal = Diagnostic(
            code="IK901",
            message=Message("lsp.internal", reason=type(error).__name__),
            span=None,
        )
        return Checked(diagnostics=(internal,))
    return Checked(diagnostics=analysis.diagnostics, linked=linked, analysis=analysis)
