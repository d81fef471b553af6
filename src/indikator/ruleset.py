"""The compiled ruleset and the loading functions: the library's front door.

`load`/`loads` run the whole pipeline: read → parse (`syntax`) → link imports (`link`) →
check (`check`, `graph`) → lower (`plan`). The result is an immutable `Ruleset` whose
`evaluate_many` validates data (`data`) and runs the plan (`evaluate`).
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

import attrs
import networkx as nx

from indikator import nodes as n
from indikator.check import Analysis, analyse
from indikator.data import table_columns, validate
from indikator.errors import (
    DataError,
    DataProblem,
    Diagnostic,
    RulesetCheckError,
    Severity,
    too_deep,
)
from indikator.evaluate import run
from indikator.link import Linked, link, read_source
from indikator.messages import Message
from indikator.plan import Plan, lower
from indikator.results import Result, Results
from indikator.scalar import Fallback, OneRegion, compile_plan
from indikator.syntax import parse

__all__ = ["Catalogue", "Params", "Ruleset", "check_file", "load", "loads"]

Params = Mapping[str, float | int | str | Decimal] | str | Path | None
_Built = TypeVar("_Built")


class Ruleset:
    """A checked, compiled ruleset. Immutable; safe to share and to pickle."""

    __slots__ = ("_analysis", "_linked", "_one_region", "_plan")

    def __init__(self, linked: Linked, analysis: Analysis, plan: Plan) -> None:
        self._one_region: OneRegion | bool | None = False  # compiled on first use
        self._linked = linked
        self._analysis = analysis
        self._plan = plan

    def __setattr__(self, name: str, value: object) -> None:
        if hasattr(self, "_plan"):
            msg = "a Ruleset is immutable; use with_params() for a changed copy"
            raise AttributeError(msg)
        object.__setattr__(self, name, value)

    def __getstate__(self) -> tuple[Linked, Analysis, Plan]:
        return (self._linked, self._analysis, self._plan)

    def __setstate__(self, state: tuple[Linked, Analysis, Plan]) -> None:
        object.__setattr__(self, "_one_region", False)
        for name, value in zip(("_linked", "_analysis", "_plan"), state, strict=True):
            object.__setattr__(self, name, value)

    # -- description ----------------------------------------------------------------

    @property
    def header(self) -> n.Header | None:
        """The ruleset header (id, title, edition, sources, scale)."""
        return self._linked.header

    @property
    def name(self) -> str:
        """The ruleset's id."""
        return self.header.name if self.header else "ruleset"

    @property
    def edition(self) -> int | None:
        """The edition (year), if declared."""
        return self.header.edition if self.header else None

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        """Warnings from the checker (e.g. unused inputs, dead bands)."""
        return tuple(d for d in self._analysis.diagnostics if d.severity is Severity.WARNING)

    @property
    def params(self) -> dict[str, float]:
        """Parameter values in force."""
        return {k: float(v) for k, v in self._analysis.params.items()}

    @property
    def graph(self) -> nx.DiGraph[str]:
        """The dependency graph: a node per definition, edge a → b when b reads a."""
        return self._analysis.graph.copy()

    @property
    def plan(self) -> Plan:
        """The immutable evaluation plan."""
        return self._plan

    @property
    def inputs(self) -> tuple[str, ...]:
        """The input names, as data columns."""
        return tuple(i.name for i in self._plan.inputs)

    @property
    def sources(self) -> Mapping[str, str]:
        """File name → text of every file the ruleset was built from."""
        return dict(self._linked.sources)

    def maximum(self, name: str) -> float:
        """The maximum points of an indicator or group."""
        return self._plan.maxima[name]

    # -- evaluation -----------------------------------------------------------------

    def evaluate_many(self, table: Any, *, extra: str = "error") -> Results:
        """Evaluate every region (row) of a table at once.

        `table` is a mapping of column → values, a pandas DataFrame or a pyarrow Table.
        Columns that are not inputs are an error unless `extra="ignore"`.
        """
        columns = validate(self._plan, table_columns(table), extra=extra)
        env = run(self._plan, columns.arrays, columns.regions)
        return Results(self._plan, env, columns.regions)

    def evaluate(self, region: Mapping[str, Any], *, extra: str = "error") -> Result:
        """Evaluate one region given as a mapping of input → value.

        Valid input takes a compiled one-region path (`scalar`); anything else takes the
        vectorised path, which gives the same values and reports problems as for a table.
        """
        one_region = self._one_region_function()
        if one_region is not None:
            try:
                env = one_region(region, strict=extra == "error")
            except (Fallback, KeyError, TypeError, ValueError, ArithmeticError):
                pass  # invalid or unusual input: the vectorised path names the problem
            else:
                given = env.scalar(self._plan.region) if self._plan.region else None
                region_id = "row 1" if given is None else str(given)
                return Results(self._plan, env, (region_id,)).region(0)
        table = {key: [value] for key, value in region.items()}
        return self.evaluate_many(table, extra=extra).region(0)

    def _one_region_function(self) -> OneRegion | None:
        if self._one_region is False:  # compiled once; a race only compiles it twice
            object.__setattr__(self, "_one_region", compile_plan(self._plan))
        return self._one_region  # type: ignore[return-value]  # no longer False

    def with_params(self, params: Params) -> Ruleset:
        """A copy of this ruleset with parameters overridden (dict or TOML file)."""
        return _compile(self._linked, _read_params(params, self._linked))


def loads(
    text: str, *, file: str = "<text>", params: Params = None, root: str | Path | None = None
) -> Ruleset:
    """Compile ruleset text. Imports resolve relative to the current folder (or `root`).

    Examples:
        >>> rs = loads('''
        ... ruleset demo { scale 0 to 10 }
        ... input x: percent
        ... indicator score = bands x { [0, 50) -> 0  [50, 100] -> 10 }
        ... tiers on score { good "Baik" [10, 10] }
        ... ''')
        >>> rs.evaluate({"x": 75}).tier()
        'Baik'
    """
    base = Path(root) if root is not None else Path.cwd()
    return _guarded(
        lambda: _build(link(parse(text, file), text, path=None, root=base), params), file
    )


def load(path: str | Path, *, params: Params = None, root: str | Path | None = None) -> Ruleset:
    """Read and compile a ruleset file; imports may not leave its folder (or `root`)."""
    path = Path(path)
    return _guarded(lambda: _build(_linked_file(path, root), params), str(path))


@attrs.frozen(kw_only=True)
class Catalogue:
    """A checked catalogue: a file of definitions only, made to be imported by rulesets.

    It has no header, tiers or rollups, so it is not evaluated; it is checked as the
    rulesets that import it would check it, except that it needs no header and none of
    its inputs is unused (they are there for the importers).
    """

    definitions: tuple[n.Definition, ...]
    warnings: tuple[Diagnostic, ...]
    sources: Mapping[str, str]

    @property
    def inputs(self) -> tuple[str, ...]:
        """The input names it declares."""
        return tuple(d.name for d in self.definitions if isinstance(d, n.Input))

    @property
    def scored(self) -> tuple[str, ...]:
        """The indicators, lets and groups it defines (what a ruleset's plan has steps for)."""
        return tuple(
            d.name for d in self.definitions if isinstance(d, n.Indicator | n.Let | n.Group)
        )


def check_file(path: str | Path, *, root: str | Path | None = None) -> Ruleset | Catalogue:
    """Read and check a file: a ruleset is compiled as `load` does, a catalogue checked.

    Raises `RulesetError` listing every problem, as `load` does.
    """
    path = Path(path)

    def build() -> Ruleset | Catalogue:
        linked = _linked_file(path, root)
        if not linked.catalogue:
            return _compile(linked, {})
        analysis = analyse(linked, {}, catalogue=True)
        if analysis.errors:
            raise RulesetCheckError(analysis.diagnostics, linked.sources)
        warnings = tuple(d for d in analysis.diagnostics if d.severity is Severity.WARNING)
        return Catalogue(definitions=linked.definitions, warnings=warnings, sources=linked.sources)

    return _guarded(build, str(path))


def _build(linked: Linked, params: Params) -> Ruleset:
    return _compile(linked, _read_params(params, linked))


def _linked_file(path: Path, root: str | Path | None) -> Linked:
    """Read, parse and link a file; imports may not leave its folder (or `root`)."""
    text = read_source(path, str(path))
    return link(parse(text, str(path)), text, path=path, root=None if root is None else Path(root))


def _guarded(build: Callable[[], _Built], file: str) -> _Built:
    """Run the pipeline; a recursion overflow on absurdly deep text becomes IK005."""
    try:
        return build()
    except RecursionError:
        raise too_deep(file, "compile") from None


def _compile(linked: Linked, params: Mapping[str, Fraction]) -> Ruleset:
    analysis = analyse(linked, params)
    if analysis.errors:
        raise RulesetCheckError(analysis.diagnostics, linked.sources)
    return Ruleset(linked, analysis, lower(analysis, linked.sources))


def _read_params(params: Params, linked: Linked) -> dict[str, Fraction]:
    if params is None:
        return {}
    overrides: Mapping[str, Any]
    if isinstance(params, str | Path):
        try:
            with Path(params).open("rb") as handle:
                loaded: Mapping[str, Any] = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise DataError(
                [
                    DataProblem(
                        code="IK510",
                        field=str(params),
                        message=Message("params.cannot_read", file=str(params), reason=str(error)),
                    )
                ]
            ) from None
        overrides = loaded.get("params", loaded)
    else:
        overrides = params
    declared = {d.name for d in linked.definitions if isinstance(d, n.Param)}
    problems = []
    values: dict[str, Fraction] = {}
    for key, value in overrides.items():
        if key not in declared:
            close = difflib.get_close_matches(key, sorted(declared), n=1)
            message = (
                Message("params.unknown_close", key=key, close=close[0])
                if close
                else Message("params.unknown", key=key)
            )
            problems.append(DataProblem(code="IK510", field=key, message=message))
            continue
        try:
            if isinstance(value, bool):
                raise TypeError  # noqa: TRY301  # booleans are not numbers here
            values[key] = Fraction(Decimal(str(value)))
        except (InvalidOperation, TypeError, ValueError):
            problems.append(
                DataProblem(
                    code="IK510",
                    field=key,
                    message=Message("params.not_number", key=key, value=repr(value)),
                )
            )
    if problems:
        raise DataError(problems)
    return values
