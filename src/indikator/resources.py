"""Where the grammar and the shipped rulesets live, installed or in a checkout.

A wheel carries them inside the package (`indikator/grammars`, `indikator/rulesets`); an
editable install does not, so we fall back to the repository's top-level folders.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["grammar_text", "rulesets_dir"]

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parents[1]


def _locate(name: str) -> Path:
    for base in (_PACKAGE, _CHECKOUT):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    msg = f"cannot find the '{name}' folder next to {_PACKAGE} or in {_CHECKOUT}"
    raise FileNotFoundError(msg)


def grammar_text() -> str:
    """The text of `indikator.lark`."""
    return (_locate("grammars") / "indikator.lark").read_text(encoding="utf-8")


def rulesets_dir() -> Path:
    """The folder of shipped rulesets."""
    return _locate("rulesets")
