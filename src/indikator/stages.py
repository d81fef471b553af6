"""Stages of the assessment season: what each verification changed, region by region.

Input: a `Ruleset` and its data at several stages: one table whose rows carry their stage
in a column (`tahap` or `stage`), or one table per stage. Stages are named and ordered by
`DEFAULT_STAGES` (self-assessment, administrative verification, field visit, final) unless
the caller declares others. Output: `StageResults`, the `Results` of every stage present
and, for each pair of consecutive stages, every region whose score, tier or indicator
points changed (each indicator with its agency (OPD), its points before and after and
the change of its share of the classified score) and per agency the points its evidence
lost and gained. Errors: `DataError` naming the table (its file on the command line), the
field and the regions for a missing stage column (IK501), an empty stage cell (IK505), a
stage not declared (IK506), a stage given twice (IK507), or a region present in one
stage and not another (IK517); never a comparison of regions that do not match.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from indikator import plan as p
from indikator.attribution import agency_of, score_factors
from indikator.data import Table, table_columns
from indikator.display import row_id
from indikator.errors import DataError, DataProblem, sample_regions
from indikator.messages import Message, closest
from indikator.numeric import holds
from indikator.results import Results

if TYPE_CHECKING:
    from indikator.ruleset import Ruleset

__all__ = [
    "DEFAULT_STAGES",
    "STAGE_COLUMNS",
    "AgencyShift",
    "GateShift",
    "IndicatorShift",
    "RegionShift",
    "ScoreMove",
    "StageResults",
    "StageStep",
    "evaluate_stages",
    "one_stage",
    "split_stages",
    "stage_files",
    "take_column",
]

#: The stages of a KLA/KKS season in order: self-assessment (mandiri), administrative
#: verification, field visit, final decision.
DEFAULT_STAGES = ("mandiri", "verifikasi_adm", "verifikasi_lapangan", "final")
#: The columns looked for, in this order, when no stage column is named.
STAGE_COLUMNS = ("tahap", "stage")


@attrs.frozen(kw_only=True)
class IndicatorShift:
    """An indicator whose points differ between two stages, with its agency (None: none)."""

    indicator: str
    agency: str | None
    old: float | None
    new: float | None
    effect: float | None  # change of its share of the classified score; None through a formula

    @property
    def delta(self) -> float:
        """New minus old points (a missing side counts as 0)."""
        return round((self.new or 0.0) - (self.old or 0.0), 9) + 0.0

    @property
    def weight(self) -> float:
        """What the change did to the classified score: `effect`, else the points."""
        return self.effect if self.effect is not None else self.delta


@attrs.frozen(kw_only=True)
class GateShift:
    """A tier requirement whose outcome differs: tier `level` (1..), its `index`-th gate."""

    level: int
    index: int
    old: bool
    new: bool


@attrs.frozen(kw_only=True)
class ScoreMove:
    """One region's score and tier code on two sides (two stages, two rulesets or years)."""

    region: str
    name: str | None
    old_score: float | None
    new_score: float | None
    old_code: int  # 0 below every tier, 1.. per tier, -1 without a score
    new_code: int

    @property
    def delta(self) -> float | None:
        """New minus old score (None when either is missing)."""
        if self.old_score is None or self.new_score is None:
            return None
        return round(self.new_score - self.old_score, 9) + 0.0

    @property
    def direction(self) -> str:
        """'up', 'down' or 'same' by tier code (a missing score counts lowest)."""
        if self.new_code == self.old_code:
            return "same"
        return "up" if self.new_code > self.old_code else "down"


@attrs.frozen(kw_only=True)
class RegionShift(ScoreMove):
    """One region between two stages: scores, tier codes and the indicators that changed."""

    changes: tuple[IndicatorShift, ...]
    gates: tuple[GateShift, ...] = ()


@attrs.frozen(kw_only=True)
class AgencyShift:
    """What one agency's evidence lost and gained on the classified score between stages."""

    agency: str | None
    lost: float  # the sum of the falls (0 or less)
    gained: float  # the sum of the rises (0 or more)
    indicators: int  # changes counted (region x indicator)
    regions: int  # regions with a change


@attrs.frozen(kw_only=True)
class StageStep:
    """Two consecutive stages: the regions that changed, and per agency what moved."""

    before: str
    after: str
    regions: tuple[RegionShift, ...]
    agencies: tuple[AgencyShift, ...]

    def moved(self, direction: str) -> list[RegionShift]:
        """The regions that moved 'up' or 'down' a tier."""
        return [r for r in self.regions if r.direction == direction]


@attrs.frozen(kw_only=True)
class StageResults:
    """Every stage's `Results` (in stage order) and what changed between consecutive ones."""

    stages: tuple[str, ...]
    results: tuple[Results, ...]
    steps: tuple[StageStep, ...]

    def __getitem__(self, stage: str) -> Results:
        """The results of one stage, e.g. `staged["verifikasi_adm"]`."""
        try:
            return self.results[self.stages.index(stage)]
        except ValueError:
            msg = f"no stage '{stage}'; stages: {', '.join(self.stages)}"
            raise KeyError(msg) from None

    @property
    def plan(self) -> p.Plan:
        """The plan every stage was evaluated with."""
        return self.results[0].plan


def evaluate_stages(
    ruleset: Ruleset,
    data: Any,
    *,
    stages: Sequence[str] | None = None,
    stage_column: str | None = None,
    extra: str = "error",
    where: str | Mapping[str, str] = "table",
) -> StageResults:
    """Score every stage of `data` and say what changed between consecutive stages.

    `data` is one table whose rows carry their stage in `stage_column` (by default the
    first of `STAGE_COLUMNS` it has), a mapping of stage name to table, or a sequence of
    tables in stage order. `where` names the data in errors (the file, on the command line).

    Examples:
        >>> from indikator import loads
        >>> rs = loads('''
        ... ruleset d { scale 0 to 20  region kode }
        ... input kode: text
        ... input x: percent { agency "Dinkes" missing zero }
        ... indicator a = linear x from 0 to 100 onto 0 to 20
        ... group total = sum(a)
        ... tiers on total { below "Belum" baik "Baik" [10, 20] }
        ... ''')
        >>> staged = rs.evaluate_stages(
        ...     {"kode": ["01", "01"], "x": [60, 40], "tahap": ["mandiri", "final"]})
        >>> staged.stages
        ('mandiri', 'final')
        >>> step = staged.steps[0]
        >>> [(r.region, r.direction, r.delta) for r in step.regions]
        [('01', 'down', -4.0)]
        >>> [(a.agency, a.lost) for a in step.agencies]
        [('Dinkes', -4.0)]
    """
    order = tuple(stages) if stages is not None else DEFAULT_STAGES
    names = (lambda _: where) if isinstance(where, str) else where.get
    region = ruleset.plan.region
    tables = _stage_tables(data, order, stage_column, names(order[0]) or "table", region)
    present = [s for s in order if s in tables]
    results = tuple(ruleset.evaluate_many(tables[s], extra=extra) for s in present)
    _check_same_regions(present, results, {s: names(s) or "table" for s in present})
    steps = tuple(
        _step(present[k], present[k + 1], results[k], results[k + 1])
        for k in range(len(present) - 1)
    )
    return StageResults(stages=tuple(present), results=results, steps=steps)


def _is_table(value: Any) -> bool:
    """A table, as opposed to a column: a mapping, a DataFrame or a pyarrow Table."""
    return isinstance(value, Mapping) or hasattr(value, "columns") or hasattr(value, "column_names")


def _stage_tables(
    data: Any, order: tuple[str, ...], column: str | None, where: str, region: str | None
) -> dict[str, Any]:
    """Stage name -> table, from any of the three shapes `evaluate_stages` takes."""
    if isinstance(data, Mapping) and data and all(_is_table(v) for v in data.values()):
        # keyed by stage: a stage column left in a table would be refused as extra
        for stage in data:
            _check_declared(str(stage), order, where, column or "tahap", [])
        return {str(k): v for k, v in data.items()}
    if isinstance(data, list | tuple):
        if len(data) > len(order):
            msg = f"{len(data)} tables for {len(order)} stages ({', '.join(order)})"
            raise ValueError(msg)
        return dict(zip(order, data, strict=False))
    return split_stages(table_columns(data), order, column=column, where=where, region=region)


def take_column(table: Table, column: str, *, keep: bool = False) -> tuple[Table, list[Any]]:
    """A column's values, and the table without it (with it, when `keep`)."""
    values = list(np.asarray(table[column], dtype=object).tolist())
    rest = table if keep else {k: v for k, v in table.items() if k != column}
    return Table(rest, locale=table.locale, reading=table.reading), values


def split_stages(
    table: Table,
    order: Sequence[str],
    *,
    column: str | None = None,
    where: str = "table",
    region: str | None = None,
) -> dict[str, Table]:
    """One table per stage from a table whose rows carry their stage in `column`.

    Errors name `where` (the file), the column and the rows (by their `region` id when the
    table has that column): the column missing (IK501), an empty cell (IK505) or a stage
    not in `order` (IK506).
    """
    name = column or next((c for c in STAGE_COLUMNS if c in table), None)
    if name is None or name not in table:
        wanted = column or STAGE_COLUMNS[0]
        message = Message("stages.no_column", file=where, column=wanted, known=", ".join(table))
        raise DataError([DataProblem(code="IK501", field=wanted, message=message)])
    rest, values = take_column(table, name)
    texts = [_text(v) for v in values]
    ids = [str(v) for v in table[region].tolist()] if region and region in table else None
    label = ids.__getitem__ if ids else row_id
    empty = [k for k, t in enumerate(texts) if t is None]
    if empty:
        message = Message("stages.empty_cell", file=where, column=name)
        rows = sample_regions(label(k) for k in empty)
        raise DataError(
            [DataProblem(code="IK505", field=name, message=message, regions=rows, count=len(empty))]
        )
    for stage in dict.fromkeys(t for t in texts if t is not None):
        rows_of = [label(k) for k, t in enumerate(texts) if t == stage]
        _check_declared(stage, order, where, name, rows_of)
    out = {}
    for stage in order:
        mask = np.array([t == stage for t in texts], dtype=bool)
        if mask.any():
            out[stage] = Table(
                {k: np.asarray(v)[mask] for k, v in rest.items()},
                locale=rest.locale,
                reading=rest.reading,
            )
    return out


def one_stage(
    table: Table,
    stage: str,
    *,
    column: str | None = None,
    where: str = "table",
    region: str | None = None,
) -> Table:
    """The rows of one stage (without the stage column), e.g. the final stage for `readiness`.

    Every stage the table names counts as declared, so only `stage` itself can be unknown:
    IK506, naming the file's stages and the closest one.
    """
    name = column or next((c for c in STAGE_COLUMNS if c in table), None)
    found = (
        list(dict.fromkeys(_text(v) for v in table[name] if _text(v) is not None))
        if name is not None and name in table
        else []
    )
    tables = split_stages(table, [str(s) for s in found], column=column, where=where, region=region)
    if stage not in tables:
        _check_declared(stage, tuple(tables), where, name or STAGE_COLUMNS[0], [])
    return tables[stage]


def stage_files(
    files: Sequence[tuple[str, Table]],
    order: Sequence[str],
    *,
    column: str | None = None,
    region: str | None = None,
) -> tuple[dict[str, Table], dict[str, str]]:
    """Stage -> table and stage -> file, from tables read from files (the command line).

    A file with a stage column gives the stages its rows name; a file without one is the
    stage at its place in `order` (the first file the first stage...). A stage that two
    files give is IK507, naming both.
    """
    tables: dict[str, Table] = {}
    where: dict[str, str] = {}
    for index, (name, table) in enumerate(files):
        carries = column in table if column else any(c in table for c in STAGE_COLUMNS)
        if carries or len(files) == 1:
            found = split_stages(table, order, column=column, where=name, region=region)
        elif index < len(order):
            found = {order[index]: table}
        else:
            message = Message("stages.too_many_files", file=name, count=len(order))
            raise DataError([DataProblem(code="IK501", field=column or "tahap", message=message)])
        for stage, part in found.items():
            if stage in tables:
                message = Message("stages.twice", stage=stage, first=where[stage], second=name)
                raise DataError(
                    [DataProblem(code="IK507", field=column or "tahap", message=message)]
                )
            tables[stage], where[stage] = part, name
    return tables, where


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value).strip() or None


def _check_declared(
    stage: str, order: Sequence[str], where: str, column: str, rows: Sequence[str]
) -> None:
    """IK506 for a stage not declared, with the declared ones and a guess."""
    if stage in order:
        return
    guess = closest(stage, order)
    message = (
        Message("stages.unknown_close", file=where, stage=stage, close=guess)
        if guess
        else Message("stages.unknown", file=where, stage=stage, known=", ".join(order))
    )
    problem = DataProblem(
        code="IK506", field=column, message=message, regions=sample_regions(rows), count=len(rows)
    )
    raise DataError([problem])


def _check_same_regions(
    stages: Sequence[str], results: Sequence[Results], where: Mapping[str, str]
) -> None:
    """IK517 for every region one stage has and another lacks: no comparison is guessed."""
    if not results:
        return
    problems = []
    first = set(results[0].regions)
    for stage, res in zip(stages[1:], results[1:], strict=True):
        here = set(res.regions)
        for one, other, lacking in (
            (stages[0], stage, first - here),
            (stage, stages[0], here - first),
        ):
            if lacking:
                files = ", ".join(dict.fromkeys((where[one], where[other])))
                message = Message("stages.region_missing", file=files, stage=one, other=other)
                regions = sample_regions(sorted(lacking))
                problems.append(
                    DataProblem(
                        code="IK517",
                        field=results[0].plan.region or "region",
                        message=message,
                        regions=regions,
                        count=len(lacking),
                    )
                )
    if problems:
        raise DataError(problems)


def _value(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) else round(number, 9) + 0.0


_Factors = dict[tuple[bool, ...], dict[str, float | str]]


def _shares(results: Results, row: int, cache: _Factors) -> dict[str, float | None]:
    """Each indicator's points times its factor on the classified score (None: a formula).

    _Factors depend only on which group members have a value, so `cache` keeps them per
    pattern of missing members (one or two per table).
    """
    env, plan = results.env, results.plan
    members = sorted({m for s in plan.steps if isinstance(s, p.GroupStep) for m in s.members})
    here = tuple(not math.isnan(float(env[m][row])) for m in members)
    if here not in cache:
        present = dict(zip(members, here, strict=True))
        cache[here] = score_factors(plan, lambda m: present.get(m, True))
    factors = cache[here]
    out: dict[str, float | None] = {}
    for name, factor in factors.items():
        points = float(env[name][row])
        out[name] = (
            None if isinstance(factor, str) else (0.0 if math.isnan(points) else points * factor)
        )
    return out


def _step(before: str, after: str, old: Results, new: Results) -> StageStep:
    """The regions whose score, tier or indicator points changed, and the agency totals."""
    plan = new.plan
    indicators = [s.name for s in plan.steps if isinstance(s, p.IndicatorStep)]
    rows = {r: i for i, r in enumerate(old.regions)}
    names = plan.region_name
    regions = []
    cache: _Factors = {}
    for j, region in enumerate(new.regions):
        i = rows[region]
        shares = (_shares(old, i, cache), _shares(new, j, cache))
        changes = tuple(
            change
            for name in indicators
            if (change := _indicator(plan, name, old.env[name][i], new.env[name][j], shares))
        )
        shift = RegionShift(
            region=region,
            name=str(new.env[names][j]) if names and names in new.env else None,
            old_score=_value(old.total[i]),
            new_score=_value(new.total[j]),
            old_code=int(old.tier_codes[i]),
            new_code=int(new.tier_codes[j]),
            changes=tuple(sorted(changes, key=lambda c: (c.weight, c.indicator))),
            gates=_gates(old, i, new, j),
        )
        moved = shift.delta is not None and not holds("==", shift.delta, 0.0)
        if changes or moved or shift.direction != "same":
            regions.append(shift)
    return StageStep(
        before=before, after=after, regions=tuple(regions), agencies=_agencies(regions)
    )


def _gates(old: Results, i: int, new: Results, j: int) -> tuple[GateShift, ...]:
    """The tier requirements held at one stage and not at the other (a lost Perda)."""
    c = new.plan.classification
    if c is None:
        return ()
    out = []
    for level, gates in enumerate(c.gates, start=1):
        for index in range(len(gates)):
            name = f"tier.gate.{level}.{index}"
            before, after = bool(old.env[name][i] == 1.0), bool(new.env[name][j] == 1.0)
            if before != after:
                out.append(GateShift(level=level, index=index, old=before, new=after))
    return tuple(out)


def _indicator(
    plan: p.Plan,
    name: str,
    old_points: Any,
    new_points: Any,
    shares: tuple[dict[str, float | None], dict[str, float | None]],
) -> IndicatorShift | None:
    a, b = _value(old_points), _value(new_points)
    if (a is None) == (b is None) and holds("==", b or 0.0, a or 0.0):
        return None
    x, y = shares[0].get(name), shares[1].get(name)
    effect = None if x is None or y is None else round(y - x, 9) + 0.0
    return IndicatorShift(indicator=name, agency=agency_of(plan, name), old=a, new=b, effect=effect)


def _agencies(regions: Sequence[RegionShift]) -> tuple[AgencyShift, ...]:
    """Per agency the points lost and gained, the agency that lost most first."""
    totals: dict[str | None, list[float]] = {}
    touched: dict[str | None, set[str]] = {}
    for region in regions:
        for change in region.changes:
            totals.setdefault(change.agency, []).append(change.weight)
            touched.setdefault(change.agency, set()).add(region.region)
    out = [
        AgencyShift(
            agency=agency,
            lost=round(math.fsum(w for w in weights if w < 0), 9) + 0.0,
            gained=round(math.fsum(w for w in weights if w > 0), 9) + 0.0,
            indicators=len(weights),
            regions=len(touched[agency]),
        )
        for agency, weights in totals.items()
    ]
    return tuple(sorted(out, key=lambda a: (a.lost, -a.gained, a.agency or "")))
