"""Data readiness (*kesiapan data dukung*): every problem of every cell, before submission.

Input: a `Ruleset` and a raw table (mapping of columns, pandas DataFrame or pyarrow Table;
cells as text or numbers, as `tables.read_csv` gives them). Output: a `Readiness` report:
per region and column, the empty cells (with the input's missing policy and what it does:
`zero` → scored 0, `exclude` → left out, `error` → evaluation blocked), the cells that
cannot be read, the values out of range, the columns absent from the table, a summary
per agency (*OPD*), and, when the table can be evaluated, what each excluded cell is worth
(`indikator.gaps`: the score with the worst and the best value in the gap, and the regions
that gain by leaving a cell empty). Cells are parsed with the same functions as `data.validate`, but
nothing is raised: the report works on tables that `evaluate_many` refuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from indikator.attribution import agency_of
from indikator.cells import (
    missing_mask,
    number_faults,
    parse_numbers,
    parse_options,
    parse_texts,
    parse_yes_no,
)
from indikator.data import table_columns
from indikator.display import row_id, table
from indikator.errors import IndikatorError
from indikator.gaps import Gaps, gaps
from indikator.messages import phrases
from indikator.numeric import cut
from indikator.plan import InputSpec
from indikator.ruleset import Ruleset

__all__ = ["CellProblem", "Readiness", "readiness"]


def _phrases(lang: str) -> dict[str, str]:
    """The phrase table in `lang`."""
    return phrases("readiness.", lang)


_SUMMARY = ("missing", "invalid", "absent", "regions")


@attrs.frozen(kw_only=True)
class CellProblem:
    """One cell's problem; `kind` is missing, invalid, ambiguous, out_of_range or not_whole."""

    region: str
    name: str | None
    column: str
    input: str
    agency: str
    kind: str
    value: str | None
    policy: str

    @property
    def blocks(self) -> bool:
        """Whether this cell stops evaluation (`evaluate_many` would raise)."""
        return self.kind != "missing" or self.policy == "error"

    def describe(self, lang: str = "id") -> str:
        """'kosong (zero: dinilai 0)', "tidak terbaca: '92,4'", ..."""
        w = _phrases(lang)
        if self.kind == "missing":
            item = self.policy == "zero" and self.column.startswith(f"{self.input}.")
            consequence = w[
                "zero_item" if item and not self.column.endswith(".prev") else self.policy
            ]
            return f"{w['missing']} ({self.policy}: {consequence})"
        return f"{w[self.kind]}: '{self.value}'"


@attrs.frozen(kw_only=True)
class Readiness:
    """The report of `readiness`: cell problems in table order, and table-level findings."""

    lang: str
    regions: int
    problems: tuple[CellProblem, ...]
    absent: tuple[tuple[str, str], ...]  # (column, agency)
    extra: tuple[str, ...]
    repeated: tuple[str, ...]
    extra_refused: bool = True  # as `evaluate_many(extra="error")`
    gaps: Gaps | None = None  # the worth of each excluded cell; None when evaluation is blocked

    @property
    def blocked(self) -> bool:
        """Whether `evaluate_many` would refuse this table."""
        refused = self.absent or self.repeated or (self.extra and self.extra_refused)
        return bool(refused or any(p.blocks for p in self.problems))

    def by_agency(self) -> dict[str, dict[str, int]]:
        """Per agency: empty cells, invalid cells, absent columns, and regions concerned."""
        counts: dict[str, dict[str, int]] = {}
        regions: dict[str, set[str]] = {}
        for problem in self.problems:
            entry = counts.setdefault(problem.agency, dict.fromkeys(_SUMMARY, 0))
            entry["missing" if problem.kind == "missing" else "invalid"] += 1
            regions.setdefault(problem.agency, set()).add(problem.region)
        for _, agency in self.absent:
            counts.setdefault(agency, dict.fromkeys(_SUMMARY, 0))["absent"] += 1
        for agency, entry in counts.items():  # an absent column concerns every region
            entry["regions"] = self.regions if entry["absent"] else len(regions[agency])
        return dict(
            sorted(
                counts.items(),
                key=lambda item: (item[0] == _phrases(self.lang)["no_agency"], item[0]),
            )
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "regions": self.regions,
            "blocked": self.blocked,
            "problems": [{**attrs.asdict(p), "blocks": p.blocks} for p in self.problems],
            "absent": [{"column": c, "agency": a} for c, a in self.absent],
            "extra": list(self.extra),
            "repeated": list(self.repeated),
            "agencies": self.by_agency(),
            "gaps": None if self.gaps is None else self.gaps.to_dict(),
        }

    def to_text(self) -> str:
        """The region-by-problem table and the summary per agency."""
        w = _phrases(self.lang)
        missing = sum(p.kind == "missing" for p in self.problems)
        invalid = len(self.problems) - missing
        counts = {"missing": missing, "invalid": invalid, "absent": len(self.absent)}
        head = w["head"].format(regions=self.regions, **counts)
        lines = [f"{w['title']}: {head}: {w['blocked' if self.blocked else 'ready']}"]
        if self.problems:
            rows = [
                [
                    p.region,
                    p.name or "",
                    p.column,
                    p.agency,
                    f"{'! ' * p.blocks}{p.describe(self.lang)}",
                ]
                for p in self.problems
            ]
            lines += ["", table(list(phrases("readiness.column.", self.lang).values()), rows)]
        findings = (
            ("absent", [f"{c} - {a}" for c, a in self.absent], True),
            ("ids", list(self.repeated), True),
            ("extra", list(self.extra), self.extra_refused),
        )
        for key, items, blocks in findings:
            if items:
                lines += ["", f"{'! ' * blocks}{w[key]} {', '.join(items)}"]
        summary = self.by_agency()
        if summary:
            rows = [[a, *(str(e[k]) for k in _SUMMARY)] for a, e in summary.items()]
            lines += [
                "",
                w["per_agency"],
                table(list(phrases("readiness.agency_column.", self.lang).values()), rows),
            ]
        elif not (self.repeated or self.extra):
            lines.append(w["none"])
        if self.gaps is not None and self.gaps.cells:
            lines += ["", self.gaps.to_text()]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()


def readiness(
    ruleset: Ruleset, raw_table: Any, *, extra: str = "error", lang: str = "id"
) -> Readiness:
    """Every empty, unreadable or out-of-range cell of `raw_table` for `ruleset`.

    `extra="ignore"` reports columns the ruleset does not read without counting them as
    blocking (as `evaluate_many(extra="ignore")` accepts them).

    Examples:
        >>> from indikator import loads
        >>> rs = loads('''
        ... ruleset d { scale 0 to 10  region kode }
        ... input kode: text
        ... input x: percent { agency "Dinkes" missing zero }
        ... input y: percent { agency "Dikbud" }
        ... indicator a = linear x from 0 to 100 onto 0 to 5
        ... indicator b = linear y from 0 to 100 onto 0 to 5
        ... group total = sum(a, b)
        ... ''')
        >>> report = readiness(rs, {"kode": ["01", "02"], "x": ["", "50"], "y": ["120", "9,5"]})
        >>> [(p.region, p.column, p.kind) for p in report.problems]
        [('01', 'x', 'missing'), ('01', 'y', 'out_of_range'), ('02', 'y', 'invalid')]
        >>> report.blocked, report.by_agency()["Dinkes"]["missing"]
        (True, 1)
    """
    plan = ruleset.plan
    raw = table_columns(raw_table)
    size = max((len(v) for v in raw.values()), default=0)
    ids = _texts(raw, plan.region, size)
    names = _texts(raw, plan.region_name, size)
    regions = [i if i is not None else row_id(n) for n, i in enumerate(ids)]
    lang = "en" if lang == "en" else "id"
    w = _phrases(lang)
    found: list[tuple[int, int, CellProblem]] = []
    absent = []
    expected = {c for c in (plan.region, plan.region_name) if c}
    for order, spec in enumerate(plan.inputs):
        agency = agency_of(plan, spec.name) or w["no_agency"]
        for column in _columns(spec):
            expected.add(column)
            if column not in raw:
                absent.append((column, agency))
                continue
            for row, kind in _cells(spec, raw[column], getattr(raw, "locale", None)):
                value = raw[column][row]
                problem = CellProblem(
                    region=regions[row], name=names[row], column=column, input=spec.name,
                    agency=agency, kind=kind, value=None if value is None else str(value),
                    policy=spec.missing,
                )  # fmt: skip
                found.append((row, order, problem))
    seen: dict[str, int] = {}
    for region in (i for i in ids if i is not None):
        seen[region] = seen.get(region, 0) + 1
    report = Readiness(
        lang=lang,
        regions=size,
        problems=tuple(p for _, _, p in sorted(found, key=lambda f: (f[0], f[1]))),
        absent=tuple(absent),
        extra=tuple(sorted(set(raw) - expected)),
        repeated=tuple(r for r, count in seen.items() if count > 1),
        extra_refused=extra == "error",
    )
    if report.blocked or not any(p.policy == "exclude" for p in report.problems):
        return report
    try:
        worth = gaps(ruleset, raw, extra=extra, lang=lang)
    except IndikatorError:  # a finding the cell checks above do not make: report without it
        return report
    return attrs.evolve(report, gaps=worth)


def _texts(
    raw: Mapping[str, npt.NDArray[np.generic]], column: str | None, size: int
) -> list[str | None]:
    if column is None or column not in raw:
        return [None] * size
    return [None if v is None else str(v) for v in parse_texts(raw[column]).tolist()]


def _columns(spec: InputSpec) -> list[str]:
    """The data columns of an input: one per checklist item, and last year's if read."""
    names = [f"{spec.name}.{item}" for item in spec.choices] if spec.kind == "checklist" else []
    names = names or [spec.name]
    return [*names, f"{spec.name}.prev"] if spec.needs_prev else names


def _cells(
    spec: InputSpec, values: npt.NDArray[np.generic], locale: str | None
) -> list[tuple[int, str]]:
    """(row, kind) of each problem cell of one column, in row order.

    Numbers are read as `data.validate` reads them: in the table's notation, '85%' for a
    percentage, '1.000' and '1,000' refused where they may be one thousand (kind
    'ambiguous').
    """
    kinds = np.full(len(values), "", dtype=object)
    kinds[missing_mask(values)] = "missing"
    if spec.kind in ("yesno", "checklist"):
        kinds[parse_yes_no(values)[1]] = "invalid"
    elif spec.kind == "option":
        kinds[parse_options(values, spec.choices)[1]] = "invalid"
    elif spec.kind != "text":
        percent = spec.kind == "percent"
        limit = None if spec.low is None or spec.high is None else max(-spec.low, spec.high)
        numbers, bad = parse_numbers(values, locale=locale, percent=percent, limit=limit)
        kinds[bad | np.isinf(numbers)] = "invalid"
        for row in np.flatnonzero(bad).tolist():
            fault = number_faults(values[row], locale, percent=percent, limit=limit)
            if fault in ("ambiguous", "ambiguous_comma"):
                kinds[row] = "ambiguous"
        kinds[_out_of_range(spec, numbers)] = "out_of_range"
        if spec.kind == "count":
            finite = np.where(np.isfinite(numbers), numbers, 0.0)
            kinds[finite != np.round(finite)] = "not_whole"
    return [(int(row), str(kinds[row])) for row in np.flatnonzero(kinds != "")]


def _out_of_range(spec: InputSpec, numbers: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    """Values below or above the declared range, at decimal precision."""
    finite = np.isfinite(numbers)
    safe = np.where(finite, numbers, 0.0)
    wrong = np.zeros(len(numbers), dtype=bool)
    if spec.low is not None:
        wrong |= safe <= cut(spec.low, ">=")  # not `x >= low`
    if spec.high is not None:
        wrong |= safe >= cut(spec.high, "<=")  # not `x <= high`
    return wrong & finite
