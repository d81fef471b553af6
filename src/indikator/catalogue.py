"""The shipped rulesets: find them by scheme and edition.

Shipped files live in `rulesets/<scheme>/<edition>.ikr`; `load_ruleset("kla")` takes the
latest edition, `load_ruleset("kla", edition=2024)` a given one. On the command line a
ruleset is named `kla` or `kks@2021` (`shipped_path`) wherever a file is accepted.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs

from indikator.errors import RulesetNotFoundError
from indikator.messages import Message, closest
from indikator.resources import rulesets_dir
from indikator.ruleset import Params, Ruleset, load

__all__ = ["RulesetInfo", "is_name", "list_rulesets", "load_ruleset", "shipped_path"]

_EDITION_FILE = re.compile(r"^(\d{4})\.ikr$")
# A shipped ruleset's name on the command line: 'kla', 'kks@2021'.
_NAME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9_-]*)(?:@(?P<edition>\d{4}))?$")


@attrs.frozen(kw_only=True)
class RulesetInfo:
    """A shipped ruleset file: scheme, edition, title (Indonesian, and English) and sources."""

    scheme: str
    edition: int
    path: Path
    title: str
    sources: tuple[str, ...]
    title_en: str = ""

    @property
    def name(self) -> str:
        """How the command line names it: 'kks@2021'."""
        return f"{self.scheme}@{self.edition}"


def _editions() -> dict[str, dict[int, Path]]:
    found: dict[str, dict[int, Path]] = {}
    for folder in sorted(p for p in rulesets_dir().iterdir() if p.is_dir()):
        for file in sorted(folder.glob("*.ikr")):
            match = _EDITION_FILE.match(file.name)
            if match:
                found.setdefault(folder.name, {})[int(match.group(1))] = file
    return found


def list_rulesets() -> list[RulesetInfo]:
    """Every shipped scheme and edition, with its title and sources."""
    infos = []
    for scheme, editions in _editions().items():
        for edition, path in sorted(editions.items()):
            ruleset = load(path, root=rulesets_dir())
            header = ruleset.header
            title = header.title.id if header and header.title else scheme
            title_en = header.title.en if header and header.title and header.title.en else title
            infos.append(
                RulesetInfo(
                    scheme=scheme,
                    edition=edition,
                    path=path,
                    title=title,
                    sources=header.sources if header else (),
                    title_en=title_en,
                )
            )
    return infos


def is_name(text: str) -> bool:
    """Whether `text` is written as a shipped ruleset's name ('kla', 'kks@2021'), not a path."""
    return _NAME.match(text) is not None


def shipped_path(name: str) -> Path:
    """The file of a shipped ruleset named 'scheme' (latest edition) or 'scheme@edition'.

    Raises `RulesetNotFoundError` naming what ships, with a "did you mean" guess.

    Examples:
        >>> shipped_path("kks@2021").name
        '2021.ikr'
    """
    match = _NAME.match(name)
    if match is None:
        return _path(name, None)
    edition = match.group("edition")
    return _path(match.group("scheme"), None if edition is None else int(edition))


def _path(scheme: str, edition: int | None) -> Path:
    editions = _editions()
    if scheme not in editions:
        close = closest(scheme, editions)
        shipped = ", ".join(sorted(editions))
        raise RulesetNotFoundError(
            Message("shipped.no_ruleset_close", scheme=scheme, shipped=shipped, close=close)
            if close
            else Message("shipped.no_ruleset", scheme=scheme, shipped=shipped)
        )
    chosen = max(editions[scheme]) if edition is None else edition
    if chosen not in editions[scheme]:
        known = ", ".join(str(e) for e in sorted(editions[scheme]))
        raise RulesetNotFoundError(
            Message("shipped.no_edition", edition=chosen, scheme=scheme, known=known)
        )
    return editions[scheme][chosen]


def load_ruleset(scheme: str, edition: int | None = None, *, params: Params = None) -> Ruleset:
    """Load a shipped ruleset: the latest edition unless `edition` is given."""
    return load(_path(scheme, edition), params=params, root=rulesets_dir())
