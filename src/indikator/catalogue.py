"""The shipped rulesets: find them by scheme and edition.

Shipped files live in `rulesets/<scheme>/<edition>.ikr`; `load_ruleset("kla")` takes the
latest edition, `load_ruleset("kla", edition=2024)` a given one.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs

from indikator.errors import RulesetNotFoundError
from indikator.messages import Message, closest
from indikator.resources import rulesets_dir
from indikator.ruleset import Params, Ruleset, load

__all__ = ["RulesetInfo", "list_rulesets", "load_ruleset"]

_EDITION_FILE = re.compile(r"^(\d{4})\.ikr$")


@attrs.frozen(kw_only=True)
class RulesetInfo:
    """A shipped ruleset file: scheme, edition, title and sources."""

    scheme: str
    edition: int
    path: Path
    title: str
    sources: tuple[str, ...]


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
            infos.append(
                RulesetInfo(
                    scheme=scheme,
                    edition=edition,
                    path=path,
                    title=title,
                    sources=header.sources if header else (),
                )
            )
    return infos


def load_ruleset(scheme: str, edition: int | None = None, *, params: Params = None) -> Ruleset:
    """Load a shipped ruleset: the latest edition unless `edition` is given."""
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
    return load(editions[scheme][chosen], params=params, root=rulesets_dir())
