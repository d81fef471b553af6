"""Where the grammar and the shipped rulesets live, installed or in a checkout.

A wheel carries them inside the package (`indikator/grammars`, `indikator/rulesets`); an
editable install does not, so we fall back to the repository's top-level folders.
"""

from __future__ import annotations

import logging
import os
import stat
import sys
from pathlib import Path

__all__ = ["grammar_text", "parser_cache", "rulesets_dir", "seal_cache"]

_log = logging.getLogger(__name__)

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
    with a hash of the grammar and rebuilds when it differs. The file is a pickle, and lark
    unpickles it before it compares the hash: whoever can write it can run code in every
    indikator command. So it lives in the user's own cache folder, and is used only when
    that folder and the file are the user's and nobody else can write them (checked here,
    before lark opens anything). Anything else, an unusable folder, a platform that
    cannot tell file owners (Windows), or `INDIKATOR_CACHE=off` turns caching off.
    """
    if os.environ.get("INDIKATOR_CACHE", "").lower() in {"0", "off", "no", "false"}:
        return False
    if not hasattr(os, "getuid"):  # no owners to check: a slower start, never foreign code
        return False
    try:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        folder = Path(base) / "indikator"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder = folder.resolve()
    except (OSError, RuntimeError):  # no home folder, or not writable
        return False
    python = f"py{sys.version_info.major}{sys.version_info.minor}"
    path = folder / f"{name}-{python}.lark-cache"
    problem = _unsafe(folder, path)
    if problem is not None:
        _log.debug("parser cache off: %s", problem)
        return False
    return str(path)


def seal_cache(cache: str | bool) -> None:  # noqa: FBT001  # what parser_cache gave
    """Make a cache file lark has just written readable and writable by its owner only.

    lark creates it with the process's umask (0664 under a umask of 002), which
    `parser_cache` would refuse on the next run.
    """
    if not isinstance(cache, str):
        return
    path = Path(cache)
    try:
        status = path.lstat()
        if stat.S_ISREG(status.st_mode) and status.st_uid == os.getuid():
            path.chmod(stat.S_IMODE(status.st_mode) & ~0o077)
    except OSError:  # not written (lark could not), or gone: the next run rebuilds it
        pass


def _unsafe(folder: Path, path: Path) -> str | None:
    """Why someone else could write the cache file, or None when only the user can."""
    try:
        status = folder.stat()
        if not stat.S_ISDIR(status.st_mode):
            return f"{folder} is not a folder"
        if (problem := _foreign(folder, status)) is not None:
            return problem
        if not os.access(folder, os.W_OK):
            return f"{folder} is not writable"
        for parent in folder.parents:  # someone who can rename the folder can swap it
            mode = parent.stat().st_mode
            if mode & 0o022 and not mode & stat.S_ISVTX:
                return f"{parent} is writable by others"
        status = path.lstat()
    except FileNotFoundError:
        return None  # lark writes it, in a folder only the user can write; see seal_cache
    except OSError as error:
        return f"{error.filename}: {error.strerror}"
    if not stat.S_ISREG(status.st_mode):
        return f"{path} is not a regular file"  # a link could point anywhere
    return _foreign(path, status)


def _foreign(path: Path, status: os.stat_result) -> str | None:
    if status.st_uid != os.getuid():
        return f"{path} belongs to another user"
    if status.st_mode & 0o022:
        return f"{path} is writable by its group or by others"
    return None
