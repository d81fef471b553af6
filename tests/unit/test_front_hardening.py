"""The front end under attack (issue #12; reliability review §8, §9, §10, §14, §16, §19, §22).

The parser cache never unpickles a file someone else could write; imports are read once
per file; requirement texts come from the line the parser counted; numbers, params and
line ends that cannot be read as their author meant them are located IKxxx errors.
Work is counted, never timed.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Iterator
from pathlib import Path

import lark
import pytest

from indikator import syntax
from indikator.resources import parser_cache

# -- §14: the parser cache ----------------------------------------------------------------

_PARSER = f"parser-lark{lark.__version__}"  # the name syntax gives parser_cache
_CACHE_FILE = f"{_PARSER}-py{sys.version_info.major}{sys.version_info.minor}.lark-cache"


class _Planted:
    """A pickle that writes a marker file when it is loaded: what an attacker would plant."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (exec, (f"with open({str(self.marker)!r}, 'w') as f: f.write('pwned')",))


def _plant(folder: Path, marker: Path) -> Path:
    """A malicious cache file where the parser's cache goes, laid out as lark writes it."""
    cache = folder / _CACHE_FILE
    cache.write_bytes(b"anything\n" + pickle.dumps(_Planted(marker)))
    return cache


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh cache home; the parser is built anew in the test and again after it."""
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("INDIKATOR_CACHE", raising=False)
    syntax._parser.cache_clear()  # noqa: SLF001
    yield home
    syntax._parser.cache_clear()  # noqa: SLF001


def _builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count how often lark analyses the grammar (rather than loading it from the cache)."""
    calls: list[int] = []
    build = lark.Lark._build_parser  # noqa: SLF001

    def counted(self: lark.Lark) -> object:
        calls.append(1)
        return build(self)

    monkeypatch.setattr(lark.Lark, "_build_parser", counted)
    return calls


needs_owners = pytest.mark.skipif(not hasattr(os, "getuid"), reason="no file owners (Windows)")


@needs_owners
@pytest.mark.parametrize(("folder_mode", "file_mode"), [(0o777, 0o600), (0o700, 0o666)])
def test_a_cache_others_can_write_is_never_unpickled(
    cache_home: Path, folder_mode: int, file_mode: int
) -> None:
    folder = cache_home / "indikator"
    folder.mkdir()
    marker = cache_home / "pwned.txt"
    _plant(folder, marker).chmod(file_mode)
    folder.chmod(folder_mode)  # after planting: a shared folder anyone can write
    assert syntax.parse("input x: percent").definitions[0].name == "x"
    assert not marker.exists()
    assert parser_cache(_PARSER) is False


@needs_owners
def test_a_cache_folder_inside_a_shared_folder_is_not_used(cache_home: Path) -> None:
    cache_home.chmod(0o777)  # anyone could rename 'indikator' away and put their own there
    assert parser_cache("probe") is False


@needs_owners
def test_a_linked_cache_file_is_not_followed(cache_home: Path) -> None:
    folder = cache_home / "indikator"
    folder.mkdir(mode=0o700)
    elsewhere = _plant(cache_home, cache_home / "pwned.txt")
    (folder / elsewhere.name).symlink_to(elsewhere)
    assert parser_cache(_PARSER) is False


@needs_owners
def test_a_private_cache_is_written_once_and_then_read(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds = _builds(monkeypatch)
    previous = os.umask(0o002)  # a common umask: lark would leave the file group-writable
    try:
        first = syntax.parse("input x: percent")
    finally:
        os.umask(previous)
    cached = cache_home / "indikator" / _CACHE_FILE
    assert cached.stat().st_mode & 0o077 == 0  # sealed for the owner
    syntax._parser.cache_clear()  # noqa: SLF001
    assert syntax.parse("input x: percent") == first
    assert len(builds) == 1  # the second parser came from the cache
