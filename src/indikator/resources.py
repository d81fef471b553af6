"""Where the grammar and the shipped rulesets live, installed or in a checkout.

A wheel carries them inside the package (`indikator/grammars`, `indikator/rulesets`); an
editable install does not, so we fall back to the repository's top-level folders.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["grammar_text", "parser_cache", "rulesets_dir"]

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


def parser_cache(name: str) -> str | bool:
    """Where lark may keep the analysed grammar between runs (its `cache` option), or False.

    Building the LALR tables takes about half a second of every command; lark stores them
    with a hash of the grammar and rebuilds when it differs. The file is a pickle, so it
    lives in the user's own cache folder, never in a shared temporary one. An unusable
    folder, or `INDIKATOR_CACHE=off`, turns caching off.
    """
    if os.environ.get("INDIKATOR_CACHE", "").lower() in {"0", "off", "no", "false"}:
        return False
    try:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        folder = Path(base) / "indikator"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except (OSError, RuntimeError):  # no home folder, or not writable
        return False
    if not os.access(folder, os.W_OK):
        return False
    python = f"py{sys.version_info.major}{sys.version_info.minor}"
    return str(folder / f"{name}-{python}.lark-cache")
