"""The compiled ruleset and the loading functions: the library's front door.

`load`/`loads` run the whole pipeline: read → parse (`syntax`) → link imports (`link`) →
check (`check`, `graph`) → lower (`plan`). The result is an immutable `Ruleset` whose
`evaluate_many` validates data (`data`) and runs the plan (`evaluate`).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from indikator import decimals
from indikator import nodes as n
from indikator.check import Analysis, analyse
from indikator.errors import (
    DataError,
    DataProblem,
    Diagnostic,
    Note,
    RulesetCheckError,
    Severity,
    too_deep,
)
from indikator.link import Linked, link, read_source
from indikator.messages import Arg, Message, closest
from indikator.plan import EvidenceSpec, LetStep, Plan, lower, source_order
from indikator.provenance import Provenance

# Evaluation's modules are imported when first evaluating: `load` alone does not need them.
if TYPE_CHECKING:
    import networkx as nx

    from indikator.results import Result, Results
    from indikator.scalar import Fallback, OneRegion
    from indikator.sensitivity import Sensitivity
    from indikator.stages import StageResults
from indikator.syntax import parse

__all__ = ["Catalogue", "Params", "Ruleset", "check_file", "load", "loads"]


def _validated(plan: Plan, raw: Mapping[str, Any], extra: str) -> Mapping[str, Any]:
    """The table of a `keep="scores"` evaluation validated again (`kept.Kept`)."""
    from indikator.data import validate  # noqa: PLC0415  # see the imports

    return validate(plan, raw, extra=extra).arrays


@functools.cache
def _one_region_parts() -> tuple[type[Fallback], type[Results], type[Result], Callable[[int], str]]:
    """What `Ruleset.evaluate` needs from evaluation's modules, imported on its first call.

    Once, not on every call: `evaluate` is an app's per-request path, where three import
    statements cost about a twentieth of a call.
    """
    from indikator.display import row_id  # noqa: PLC0415  # see the imports
    from indikator.results import Result, Results  # noqa: PLC0415
    from indikator.scalar import Fallback  # noqa: PLC0415

    return Fallback, Results, Result, row_id


Params = Mapping[str, float | int | str | Decimal | Fraction] | str | Path | None
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
        """The ruleset header (id, title, edition, sources, scale, folded: `0 to maks`)."""
        return self._analysis.header

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
        return self._analysis.graph.to_networkx()  # networkx only when asked

    @property
    def plan(self) -> Plan:
        """The immutable evaluation plan."""
        return self._plan

    @property
    def inputs(self) -> tuple[str, ...]:
        """The input names, as data columns."""
        return tuple(i.name for i in self._plan.inputs)

    @property
    def declared_inputs(self) -> tuple[n.Input, ...]:
        """The inputs as declared (label, unit, range, agency, note, sources), in data order."""
        found = (self._analysis.definitions.get(i.name) for i in self._plan.inputs)
        return tuple(d for d in found if isinstance(d, n.Input))

    @property
    def declared_params(self) -> tuple[n.Param, ...]:
        """The parameters as declared (label, value, marks), in the order they were read."""
        found = self._analysis.definitions.values()
        return tuple(d for d in found if isinstance(d, n.Param))

    @property
    def sources(self) -> Mapping[str, str]:
        """File name → text of every file the ruleset was built from."""
        return dict(self._linked.sources)

    @property
    def provenance(self) -> Provenance:
        """Where every scoring number comes from: sources, what cites them, assumptions."""
        return self._analysis.provenance or Provenance(sources=(), assumed=(), numbers=())

    def schema(self, lang: str = "id") -> dict[str, Any]:
        r"""A JSON Schema (draft 2020-12) of one region's inputs, for web forms and APIs.

        One property per data column, each with its type, range or option ids, and its
        label (`lang` as the title; both languages, the unit and the agency under
        `x-indikator`). What it allows, `evaluate` accepts (see `indikator.schema`).

        Examples:
            >>> import indikator
            >>> rs = indikator.loads("ruleset r { }\ninput x: percent\nindicator s = x")
            >>> rs.schema()["properties"]["x"]["maximum"]
            100.0
        """
        declarations = {
            name: d for name, d in self._analysis.definitions.items() if isinstance(d, n.Input)
        }
        header = self.header
        title = header.title.text(lang) if header and header.title else self.name
        from indikator.schema import input_schema  # noqa: PLC0415  # see the imports

        return input_schema(self._plan, declarations, title=title, lang=lang)

    def evidence(self) -> tuple[EvidenceSpec, ...]:
        """The documents (*data dukung*) the inputs and indicators need, with their deadlines.

        Examples:
            >>> rs = loads('''
            ... ruleset d { scale 0 to 10 }
            ... input x: percent { agency "Dinkes" missing zero evidence "SK" due 2026-11-16 }
            ... indicator s = linear x from 0 to 100 onto 0 to 10
            ... ''')
            >>> [(e.document, e.owner, e.agency, str(e.due)) for e in rs.evidence()]
            [('SK', 'x', 'Dinkes', '2026-11-16')]
        """
        return self._plan.evidence

    def maximum(self, name: str) -> float:
        """The maximum points of an indicator or group."""
        return self._plan.maxima[name]

    def kind(self, name: str) -> str:
        r"""What a definition's value is: "number", "bool", "option", "text" or "tier".

        Examples:
            >>> import indikator
            >>> rs = indikator.loads("ruleset r { }\ninput x: percent\nlet ok = x > 50")
            >>> rs.kind("x"), rs.kind("ok")
            ('number', 'bool')
        """
        try:
            return self._analysis.types[name].kind
        except KeyError:
            message = Message("check.unknown_name", name=name)
            raise KeyError(message.render("en")) from None

    @property
    def score_name(self) -> str:
        """The definition that is the ruleset's score, which `evaluate` shows.

        The one the tiers classify; without tiers, the last group or indicator in the
        order the ruleset writes them (not a `let`, which is a step on the way).
        """
        c = self._plan.classification
        if c is not None:
            return c.subject
        lets = {s.name for s in self._plan.steps if isinstance(s, LetStep)}
        ordered = source_order(self._plan)
        return ([name for name in ordered if name not in lets] or ordered)[-1]

    # -- evaluation -----------------------------------------------------------------

    def evaluate_many(
        self,
        table: Any,
        *,
        extra: str = "error",
        keep: str = "outputs",
        workers: int = 1,
        chunk_rows: int | None = None,
    ) -> Results:
        """Evaluate every region (row) of a table at once.

        `table` is a mapping of column → values, a pandas DataFrame or a pyarrow Table.
        Columns that are not inputs are an error unless `extra="ignore"`. `keep="outputs"`
        keeps the arrays the outputs read (inputs, indicators, met flags, groups, score,
        tier, ranks) and works out the rest (`let` values, bands' subjects, gates) again
        when first asked for; `keep="scores"` keeps the groups, score, tier and ranks and
        works out the rest from `table` (referenced, not copied: do not change it while
        the results are in use); `keep="all"` keeps every array. The values are the same.
        The rows are validated and evaluated `chunk_rows` at a time (default
        `chunks.CHUNK_ROWS`) on `workers` threads (`chunks`); the values, and the first
        error, are the same whatever both are. Both must be whole numbers of at least 1
        (TypeError, ValueError; checked before the table).
        """
        from indikator.chunks import evaluate_table  # noqa: PLC0415  # see the imports
        from indikator.data import table_columns  # noqa: PLC0415
        from indikator.kept import Kept, owned  # noqa: PLC0415
        from indikator.liveness import KEEP_MODES, scores_kept  # noqa: PLC0415
        from indikator.results import Results  # noqa: PLC0415

        if keep not in KEEP_MODES:
            msg = f"keep must be one of {', '.join(map(repr, KEEP_MODES))}, not {keep!r}"
            raise ValueError(msg)
        raw = table_columns(table)
        # Each chunk validates its own rows: the whole table's inputs exist only if kept.
        evaluated = evaluate_table(
            self._plan, raw, extra=extra, keep=keep, rows=chunk_rows, workers=workers
        )
        env, inputs, regions = evaluated.env, evaluated.inputs, evaluated.regions
        if keep == "all":
            return Results(self._plan, env, regions, self.provenance)
        if keep == "outputs":
            columns = {name: env[name] for name in inputs}
            kept = Kept(self._plan, env, columns, regions)
            return Results(self._plan, kept, regions, self.provenance)
        scores = scores_kept(self._plan)
        env = {name: env[name] for name in env if name in scores or name not in inputs}
        env = owned(env, raw)  # the scores kept are the check's reference: never the table
        again = functools.partial(_validated, self._plan, raw, extra)  # picklable, as Results
        kept = Kept(self._plan, env, again, regions, inputs=inputs)
        return Results(self._plan, kept, regions, self.provenance)

    def to_sql(
        self, dialect: str = "duckdb", table: str = "data", *, keep: Sequence[str] = ()
    ) -> str:
        """This ruleset as one SQL query over `table` (see `indikator.sql`, docs/sql.md).

        `keep`: columns of the table passed through as text (a province to roll up by).
        """
        from indikator.sql import to_sql  # noqa: PLC0415  # sqlglot only when asked

        return to_sql(self._plan, dialect=dialect, table=table, keep=keep)

    def rollup_sql(
        self, by: str, *, dialect: str = "duckdb", table: str = "data", scores: str | None = None
    ) -> str:
        """The roll-up per value of `by` (count, mean score, tiers) as one SQL query.

        It reads `scores`, a view of `to_sql(keep=[by])`'s rows, or runs that query over
        `table` itself (docs/dashboards.md).
        """
        from indikator.sql import rollup_sql  # noqa: PLC0415  # sqlglot only when asked

        return rollup_sql(self._plan, by, dialect=dialect, table=table, scores=scores)

    def evaluate_sql(
        self, connection: Any, table: str, *, extra: str = "error", keep: str = "outputs"
    ) -> Results:
        """`evaluate_many` run inside DuckDB on `table` of `connection` (docs/sql.md).

        `keep` as `evaluate_many`'s: only the arrays kept are fetched from DuckDB; under
        "scores" the rest are read again through `connection` when first asked for.
        """
        from indikator.sql.engine import evaluate_sql  # noqa: PLC0415  # duckdb when asked

        return evaluate_sql(self, connection, table, extra=extra, keep=keep)

    def evaluate(self, region: Mapping[str, Any], *, extra: str = "error") -> Result:
        """Evaluate one region given as a mapping of input → value.

        Valid input takes a compiled one-region path (`scalar`); anything else takes the
        vectorised path, which gives the same values and reports problems as for a table.
        """
        fallback, results, result, row_id = _one_region_parts()
        one_region = self._one_region_function()
        if one_region is not None:
            try:
                env = one_region(region, strict=extra == "error")
            except fallback:
                pass  # invalid input: the vectorised path names the problem
            else:
                given = env.scalar(self._plan.region) if self._plan.region else None
                region_id = row_id(0) if given is None else str(given)
                provenance = self._analysis.provenance  # None: `Results` makes the empty one
                return result(results(self._plan, env, (region_id,), provenance), 0)
        table = {key: [value] for key, value in region.items()}
        return self.evaluate_many(table, extra=extra).region(0)

    def _one_region_function(self) -> OneRegion | None:
        compiled = self._one_region
        if compiled is False:  # compiled once; a race only compiles it twice
            from indikator.scalar import compile_plan  # noqa: PLC0415  # see the imports

            compiled = compile_plan(self._plan)
            object.__setattr__(self, "_one_region", compiled)
        return compiled  # type: ignore[return-value]  # no longer False

    def sensitivity(
        self,
        table: Any,
        *,
        draws: int = 1000,
        seed: int = 0,
        robust_at: float = 0.95,
        extra: str = "error",
    ) -> Sensitivity:
        """How sure each region's tier is: the assumed parameters drawn in their ranges.

        See `indikator.sensitivity.sensitivity`.
        """
        from indikator.sensitivity import sensitivity  # noqa: PLC0415  # numpy-heavy, on demand

        return sensitivity(self, table, draws=draws, seed=seed, robust_at=robust_at, extra=extra)

    def evaluate_stages(
        self,
        data: Any,
        *,
        stages: Sequence[str] | None = None,
        stage_column: str | None = None,
        extra: str = "error",
    ) -> StageResults:
        """Score every stage of the season and what verification changed between them.

        `data`: one table with a stage column (`tahap` or `stage`, or `stage_column`), a
        mapping of stage name to table, or tables in stage order. `stages` declares the
        names and their order (default `stages.DEFAULT_STAGES`). See
        `indikator.stages.evaluate_stages`.
        """
        from indikator.stages import evaluate_stages  # noqa: PLC0415  # the analyst's view

        return evaluate_stages(self, data, stages=stages, stage_column=stage_column, extra=extra)

    def with_params(self, params: Params) -> Ruleset:
        """A copy of this ruleset with parameters overridden (dict or TOML file)."""
        return _build(self._linked, params)


def loads(
    text: str,
    *,
    file: str = "<text>",
    params: Params = None,
    root: str | Path | None = None,
    strict: bool = False,
) -> Ruleset:
    """Compile ruleset text. Imports resolve relative to the current folder (or `root`).

    With `strict`, a scoring number neither cited nor assumed is an error (IK422).

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
        lambda: _build(link(parse(text, file), text, path=None, root=base), params, strict=strict),
        file,
    )


def load(
    path: str | Path,
    *,
    params: Params = None,
    root: str | Path | None = None,
    strict: bool = False,
) -> Ruleset:
    """Read and compile a ruleset file; imports may not leave its folder (or `root`).

    With `strict`, a scoring number neither cited nor assumed is an error (IK422).
    """
    path = Path(path)
    return _guarded(lambda: _build(_linked_file(path, root), params, strict=strict), str(path))


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
    provenance: Provenance = attrs.field(
        factory=lambda: Provenance(sources=(), assumed=(), numbers=())
    )

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


def check_file(
    path: str | Path, *, root: str | Path | None = None, strict: bool = False
) -> Ruleset | Catalogue:
    """Read and check a file: a ruleset is compiled as `load` does, a catalogue checked.

    Raises `RulesetError` listing every problem, as `load` does. With `strict`, a scoring
    number that is neither cited nor assumed is an error too (IK422, `provenance`).
    """
    path = Path(path)

    def build() -> Ruleset | Catalogue:
        linked = _linked_file(path, root)
        if not linked.catalogue:
            return _compile(linked, {}, strict=strict)
        analysis = analyse(linked, {}, catalogue=True, strict=strict)
        if analysis.errors:
            raise RulesetCheckError(analysis.diagnostics, linked.sources)
        warnings = tuple(d for d in analysis.diagnostics if d.severity is Severity.WARNING)
        return Catalogue(
            definitions=linked.definitions,
            warnings=warnings,
            sources=linked.sources,
            provenance=analysis.provenance or Provenance(sources=(), assumed=(), numbers=()),
        )

    return _guarded(build, str(path))


def _build(linked: Linked, params: Params, *, strict: bool = False) -> Ruleset:
    values = _read_params(params, linked)
    try:
        return _compile(linked, values, strict=strict)
    except RulesetCheckError as error:
        if not values:
            raise
        raise _after_overrides(error, linked, values, params) from None


def _plain(value: Fraction) -> str:
    """An override as written: an accepted one has at most 9 places, so this is exact."""
    text = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


#: Problems an override can cause by changing a point budget: each names the override.
_BUDGET = frozenset({"IK404", "IK405", "IK408", "IK410"})
_NAMED = 4  # overrides named in a note before "and N more"


def _after_overrides(
    error: RulesetCheckError, linked: Linked, values: Mapping[str, Fraction], params: Params
) -> RulesetCheckError:
    """The error with a note on each budget problem: the overrides that changed the numbers.

    The span points at the ruleset's line (a `group ... max 100`); without the note, the
    author looks for the mistake in a file that has none, not in the override that made it.
    """
    written = {d.name: Fraction(d.value) for d in linked.definitions if isinstance(d, n.Param)}
    changed = [f"{name} = {_plain(v)}" for name, v in values.items() if written.get(name) != v]
    if not changed:
        return error
    shown = ", ".join(changed[:_NAMED])
    if len(changed) > _NAMED:
        shown += f", +{len(changed) - _NAMED}"
    if isinstance(params, str | Path):
        note = Message("friction.after_overrides_file", overrides=shown, file=str(params))
    else:
        note = Message("friction.after_overrides", overrides=shown)
    diagnostics = [
        attrs.evolve(d, notes=(*d.notes, Note(message=note))) if d.code in _BUDGET else d
        for d in error.diagnostics
    ]
    return RulesetCheckError(diagnostics, error.sources)


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


def _compile(linked: Linked, params: Mapping[str, Fraction], *, strict: bool = False) -> Ruleset:
    analysis = analyse(linked, params, strict=strict)
    if analysis.errors:
        raise RulesetCheckError(analysis.diagnostics, linked.sources)
    return Ruleset(linked, analysis, lower(analysis, linked.sources))


def _read_params(params: Params, linked: Linked) -> dict[str, Fraction]:
    """Parameter overrides as exact numbers, or a `DataError` (IK510) naming each bad one.

    Every value is checked against the limits the checker puts on numbers *before* it is
    converted: `Fraction(Decimal("1e999999999"))` would build a number of a billion digits.
    """
    if params is None:
        return {}
    file = str(params) if isinstance(params, str | Path) else None
    # Typed as a Mapping, but Python callers may pass anything.
    overrides: object = _params_file(Path(params)) if isinstance(params, str | Path) else params
    if not isinstance(overrides, Mapping):
        found = Message("params.not_mapping", found=type(overrides).__name__)
        raise DataError([DataProblem(code="IK510", field="params", message=found)])
    declared = {d.name for d in linked.definitions if isinstance(d, n.Param)}
    problems = []
    values: dict[str, Fraction] = {}
    for key, value in overrides.items():
        name = key if isinstance(key, str) else repr(key)
        checked = _param_value(name, value) if key in declared else _unknown(name, declared)
        if isinstance(checked, Fraction):
            values[name] = checked
            continue
        message = checked if file is None else Message("params.in_file", problem=checked, file=file)
        problems.append(DataProblem(code="IK510", field=name, message=message))
    if problems:
        raise DataError(problems)
    return values


def _params_file(path: Path) -> Mapping[str, Any]:
    """The table of overrides in a TOML file: its `[params]` table, or the whole file."""
    import tomllib  # noqa: PLC0415  # 4 ms of every first load otherwise: only with a file

    try:
        with path.open("rb") as handle:
            loaded: dict[str, Any] = tomllib.load(handle)
    except UnicodeDecodeError as error:
        reason: Arg = Message("params.not_utf8", byte=f"{error.object[error.start]:02x}")
        raise _file_problem(path, reason) from None
    except (OSError, ValueError) as error:  # TOMLDecodeError, and ints over 4,300 digits
        digits = "integer string conversion" in str(error)  # Python's int() limit
        raise _file_problem(path, Message("params.too_long") if digits else str(error)) from None
    except RecursionError:  # arrays nested thousands deep
        raise _file_problem(path, Message("params.too_deep")) from None
    table = loaded.get("params", loaded)
    if not isinstance(table, dict):
        found = _shown(table)
        raise DataError(
            [
                DataProblem(
                    code="IK510",
                    field="params",
                    message=Message(
                        "params.in_file",
                        problem=Message("params.not_table", found=found),
                        file=str(path),
                    ),
                )
            ]
        )
    return table


def _file_problem(path: Path, reason: Arg) -> DataError:
    message = Message("params.cannot_read", file=str(path), reason=reason)
    return DataError([DataProblem(code="IK510", field=str(path), message=message)])


def _unknown(key: str, declared: set[str]) -> Message:
    close = closest(key, declared)
    if close:
        return Message("params.unknown_close", key=key, close=close)
    return Message("params.unknown", key=key)


#: The numbers a parameter may hold: what the checker accepts anywhere in a ruleset
#: (at most 10^15 in size, 9 decimal places and 15 significant digits).
_LARGEST = decimals.LARGEST
_LARGEST_EXPONENT = len(str(_LARGEST)) - 1
_PLACES = decimals.PLACES
_SIGNIFICANT = decimals.SIGNIFICANT
#: A number as text: ASCII digits, an optional sign, decimal point and exponent. Python
#: would also take '6_0' (60) and other scripts' digits; a parameter file should not.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NOT_FINITE = frozenset({"inf", "infinity", "nan", "snan"})


def _param_value(key: str, value: object) -> Fraction | Message:
    """One override as an exact number, or why it cannot be one."""
    exact = _exact(value)
    if isinstance(exact, Fraction):
        exact = _within_limits(exact)
    if isinstance(exact, Fraction):
        return exact
    shown = _shown(value)
    if exact == "params.too_large":
        return Message(exact, key=key, value=shown, largest=f"10^{_LARGEST_EXPONENT}")
    if exact == "params.too_precise":
        return Message(exact, key=key, value=shown, places=_PLACES, digits=_SIGNIFICANT)
    return Message(exact, key=key, value=shown)


def _exact(value: object) -> Fraction | str:
    """A value as a Fraction, or the message key of why not; never a huge conversion."""
    if isinstance(value, bool):  # booleans are ints in Python, not numbers here
        return "params.not_number"
    if isinstance(value, int):
        return Fraction(value) if abs(value) <= _LARGEST else "params.too_large"
    if isinstance(value, Fraction):
        return value
    decimal = _as_decimal(value)
    return _decimal_fraction(decimal) if isinstance(decimal, Decimal) else decimal


def _as_decimal(value: object) -> Decimal | str:
    """A float, Decimal or text as a finite Decimal, or the message key of what is wrong."""
    if isinstance(value, float | Decimal):
        # repr(float(...)): numpy's float64 is a float whose repr is 'np.float64(80.1)'.
        number = Decimal(repr(float(value))) if isinstance(value, float) else value
        return number if number.is_finite() else "params.not_finite"
    text = str(value).strip()
    if _NUMBER.fullmatch(text):
        return Decimal(text)
    if text.lstrip("+-").lower() in _NOT_FINITE:
        return "params.not_finite"
    if "_" in text or any(c.isdigit() and not c.isascii() for c in text):
        return "params.bad_digits"
    return "params.not_number"


def _decimal_fraction(decimal: Decimal) -> Fraction | str:
    """A finite Decimal as a Fraction once its exponent is known to be small.

    `Fraction(Decimal("1e999999999"))` builds a number of a billion digits; the digits
    and exponent tell first whether it can be within the limits at all.
    """
    if decimal.is_zero():
        return Fraction(0)
    _, digits, exponent = decimal.as_tuple()
    written = "".join(map(str, digits))
    significant = written.rstrip("0")
    exponent = int(exponent) + len(written) - len(significant)  # finite: an int
    if exponent + len(significant) - 1 > _LARGEST_EXPONENT:
        return "params.too_large"
    if exponent < -_PLACES:
        return "params.too_precise"
    return Fraction(decimal)


def _within_limits(exact: Fraction) -> Fraction | str:
    """The Fraction, if it is at most 10^15 with 9 places and 15 significant digits."""
    if abs(exact) > _LARGEST:
        return "params.too_large"
    scaled = exact * 10**_PLACES
    if scaled.denominator != 1 or len(str(abs(scaled.numerator)).rstrip("0")) > _SIGNIFICANT:
        return "params.too_precise"
    return exact


def _shown(value: object, width: int = 40) -> Arg:
    """A value as the user gave it, cut short (a whole number of 5,000 digits has no str)."""
    if isinstance(value, int) and abs(value) > 10**width:
        return Message("params.huge", digits=int(value.bit_length() * math.log10(2)) + 1)
    try:
        shown = repr(value)
    except (ValueError, RecursionError):  # a list nested thousands deep, an odd object
        shown = type(value).__name__
    return shown if len(shown) <= width else shown[: width - 1] + "…"
