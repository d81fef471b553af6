"""Several schemes on one table: each region's total and tier per scheme, side by side.

Input: compiled rulesets and one table holding the columns they read (the shared data
dictionary, `rulesets/common/facts.ikr`, lets one column serve several schemes). Output:
`Schemes`, one `Results` per scheme, in the order given. A column that no scheme reads is
an error (IK502) unless `extra="ignore"`; each scheme's own problems (a column it needs
missing, a value out of range) are gathered into one `DataError`, each problem once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import attrs
import numpy as np

from indikator.data import expected_columns, table_columns
from indikator.errors import DataError, DataProblem
from indikator.messages import Message
from indikator.results import Results
from indikator.ruleset import Ruleset

__all__ = ["Schemes", "evaluate_schemes"]

_SHOWN = 4  # unknown columns named in the message, as `data` names them


@attrs.frozen(kw_only=True)
class Schemes:
    """One `Results` per scheme for the same regions (the rows of one table)."""

    names: tuple[str, ...]
    results: tuple[Results, ...]
    #: Each scheme's score (`Ruleset.score_name`): what `evaluate` shows for it alone.
    scores: tuple[str, ...]

    def __getitem__(self, name: str) -> Results:
        """The results of the scheme named `name` (its ruleset's id, e.g. 'kla_2025')."""
        try:
            return self.results[self.names.index(name)]
        except ValueError:
            msg = f"no scheme '{name}'; known: {', '.join(self.names)}"
            raise KeyError(msg) from None

    def __iter__(self) -> Iterator[tuple[str, Results]]:
        return iter(zip(self.names, self.results, strict=True))

    def __len__(self) -> int:
        return len(self.names)

    @property
    def regions(self) -> Sequence[str]:
        """The region ids, as the first scheme reads them."""
        return self.results[0].regions

    def columns(self, lang: str = "id") -> dict[str, list[Any]]:
        """Region, name, then one block per scheme: `<scheme>.total` and `<scheme>.tier`.

        The total is the scheme's score (the one its tiers classify; without tiers, its last
        group or indicator), the tier its label; a scheme without tiers has no tier column.
        """
        out: dict[str, list[Any]] = {"region": list(self.regions)}
        names = _region_names(self.results)
        if names is not None:
            out["name"] = names
        for scheme, results, score in zip(self.names, self.results, self.scores, strict=True):
            totals = np.asarray(results[score], dtype=float).tolist()
            out[f"{scheme}.total"] = [None if np.isnan(v) else v for v in totals]
            if results.plan.classification is not None:
                out[f"{scheme}.tier"] = results.tiers(lang)
        return out


def evaluate_schemes(rulesets: Sequence[Ruleset], table: Any, *, extra: str = "error") -> Schemes:
    """Evaluate one table with several rulesets: each scheme's results for every region.

    Examples:
        >>> import indikator
        >>> a = indikator.loads('''
        ... ruleset a { scale 0 to 100 region kode }
        ... input kode: text
        ... input x: percent
        ... indicator total = x
        ... ''')
        >>> b = indikator.loads('''
        ... ruleset b { scale 0 to 100 region kode }
        ... input kode: text
        ... input y: percent
        ... indicator total = 100 - y
        ... ''')
        >>> both = evaluate_schemes([a, b], {"kode": ["01"], "x": [40], "y": [30]})
        >>> both.columns()
        {'region': ['01'], 'a.total': [40.0], 'b.total': [70.0]}
    """
    if not rulesets:
        msg = "evaluate_schemes needs at least one ruleset"
        raise ValueError(msg)
    columns = table_columns(table)
    problems: dict[DataProblem, None] = {}  # an ordered set: a shared column's problem once
    if extra == "error":
        problems.update(dict.fromkeys(_unknown(rulesets, list(columns))))
    results: list[Results] = []
    for ruleset in rulesets:
        try:
            results.append(ruleset.evaluate_many(columns, extra="ignore"))
        except DataError as error:
            problems.update(dict.fromkeys(error.problems))
    if problems:
        raise DataError(list(problems))
    scores = tuple(r.score_name for r in rulesets)
    return Schemes(names=_names(rulesets), results=tuple(results), scores=scores)


def _unknown(rulesets: Sequence[Ruleset], given: list[str]) -> list[DataProblem]:
    """IK502 for the columns that no scheme reads."""
    known = set().union(*(expected_columns(r.plan) for r in rulesets))
    unknown = [column for column in given if column not in known]
    if not unknown:
        return []
    if len(unknown) == 1:
        message = Message("data.extra_column", column=unknown[0])
    else:
        more = ", …" if len(unknown) > _SHOWN else ""
        shown = ", ".join(f"'{c}'" for c in unknown[:_SHOWN]) + more
        message = Message("data.extra_columns", count=len(unknown), shown=shown)
    return [DataProblem(code="IK502", field=unknown[0], message=message)]


def _names(rulesets: Sequence[Ruleset]) -> tuple[str, ...]:
    """Each ruleset's id; the same id twice gets its position (`kla_2025_2`)."""
    names: list[str] = []
    for position, ruleset in enumerate(rulesets, start=1):
        name = ruleset.name
        names.append(f"{name}_{position}" if name in names else name)
    return tuple(names)


def _region_names(results: Sequence[Results]) -> list[Any] | None:
    """The first scheme's region names, if any scheme declares a name column."""
    for one in results:
        column = one.plan.region_name
        if column:
            return list(one.env[column])
    return None
