"""Evidence (*data dukung*): the documents a ruleset asks for, against a register of uploads.

Input: a `Ruleset` (its `evidence` declarations: a document per input or indicator, with an
optional deadline), the regions of a data table, and an evidence register read by
`evidence_register.read_register` (one row per document uploaded for a region). Output:
an `EvidenceReport`: per region and required document, whether it is verified, awaiting
verification, missing, overdue, late, rejected, undated or names a file that is not there,
with its agency (*OPD*) and the points that hang on it.

The points that hang on a document are the maxima of the indicators it backs (the owner
indicator, or every indicator that reads the owner input), carried onto the classified
score through the groups' weights (`attribution.score_factors`): an evaluator scores a
claim whose data dukung is missing or rejected as not proven, so the whole indicator is at
stake, whatever value the data claims. This needs no evaluation, so it is shown even when
the data cannot be evaluated yet.

No errors are raised here: the register's rows were checked when it was read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
from babel.dates import format_date

from indikator.attribution import score_factors
from indikator.cells import parse_texts
from indikator.data import table_columns
from indikator.display import number, row_id, table
from indikator.evidence_register import Register, RegisterRow
from indikator.messages import phrases
from indikator.plan import EvidenceSpec, IndicatorStep, Plan
from indikator.ruleset import Ruleset
from indikator.tables import write_table

__all__ = [
    "KINDS",
    "PROBLEMS",
    "EvidenceReport",
    "Finding",
    "check_evidence",
    "regions_of",
    "write_evidence",
]

_LINK = re.compile(r"[a-z][a-z0-9+.-]*://", re.IGNORECASE)  # http://, https://, ftp://...
#: What a finding can be, worst first; the first six are problems.
KINDS = ("overdue", "rejected", "no_file", "late", "undated", "missing", "pending", "verified")
PROBLEMS = KINDS[:6]


@attrs.frozen(kw_only=True)
class Finding:
    """One required document for one region: its state, and the points hanging on it."""

    region: str
    name: str | None
    requirement: EvidenceSpec
    kind: str  # one of KINDS
    status: str | None  # as the register says; None when no row names it
    date: dt.date | None
    link: str | None
    note: str | None
    points: float  # at most this many points of the classified score hang on it
    indicators: tuple[str, ...]

    def describe(self, lang: str, as_of: dt.date) -> str:
        """'not uploaded, past the deadline Nov 16, 2026', 'rejected: stamp missing', ..."""
        w = phrases("evidence.kind.", lang)
        due = self.requirement.due
        text = w[self.kind].format(
            due=show_date(due, lang),
            date=show_date(self.date, lang),
            link=self.link or "",
            days=number((due - as_of).days if due else 0, lang),
        )
        if self.kind == "missing" and due is None:
            text = phrases("evidence.", lang)["not_uploaded"]
        return f"{text}: {self.note}" if self.note and self.kind == "rejected" else text


@attrs.frozen(kw_only=True)
class EvidenceReport:
    """Every required document of every region, as of a date."""

    lang: str
    as_of: dt.date
    regions: int
    findings: tuple[Finding, ...]
    indicator_points: Mapping[str, float]  # points on the classified score per indicator

    @property
    def problems(self) -> tuple[Finding, ...]:
        """The findings to act on: missing, overdue, late, rejected, undated or no file."""
        return tuple(f for f in self.findings if f.kind in PROBLEMS)

    def counts(self) -> dict[str, int]:
        """How many findings of each kind."""
        return {kind: sum(f.kind == kind for f in self.findings) for kind in KINDS}

    def by_agency(self) -> dict[str, dict[str, Any]]:
        """Per agency: problems of each kind, regions concerned, and the most points at stake.

        The points are the most in one region, each indicator counted once however many of
        its documents are lacking.
        """
        none = phrases("readiness.", self.lang)["no_agency"]
        found: dict[str, dict[str, Any]] = {}
        stakes: dict[tuple[str, str], set[str]] = {}
        for f in self.problems:
            agency = f.requirement.agency or none
            entry = found.setdefault(agency, {**dict.fromkeys(PROBLEMS, 0), "regions": set()})
            entry[f.kind] += 1
            entry["regions"].add(f.region)
            stakes.setdefault((agency, f.region), set()).update(f.indicators)
        out = {}
        for agency in sorted(found, key=lambda a: (a == none, a)):
            entry = found[agency]
            most = max(
                sum(self.indicator_points[i] for i in names)
                for (a, _), names in stakes.items()
                if a == agency
            )
            out[agency] = {**entry, "regions": len(entry["regions"]), "points": most}
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "as_of": self.as_of.isoformat(),
            "regions": self.regions,
            "counts": self.counts(),
            "findings": [_finding_dict(f) for f in self.findings],
            "agencies": self.by_agency(),
        }

    def rows(self) -> list[list[str]]:
        """The problems as table rows: region, name, agency, for, document, state, points."""
        none = phrases("readiness.", self.lang)["no_agency"]
        return [
            [
                f.region,
                f.name or "",
                f.requirement.agency or none,
                f.requirement.owner,
                f.requirement.document,
                f.describe(self.lang, self.as_of),
                number(f.points, self.lang),
            ]
            for f in self.problems
        ]

    def headline(self) -> str:
        """'Evidence (data dukung) as of ...: 16 documents required in 4 regions: 4 past ...'."""
        w = phrases("evidence.", self.lang)
        counts = self.counts()
        shown = [k for k in KINDS if counts[k]]
        said = ", ".join(f"{number(counts[k], self.lang)} {w['count.' + k]}" for k in shown)
        head = w["head"].format(
            as_of=show_date(self.as_of, self.lang),
            documents=number(len(self.findings), self.lang),
            regions=number(self.regions, self.lang),
        )
        return f"{head}{': ' + said if said else ''}"

    def agency_rows(self) -> list[list[str]]:
        """The summary per agency as table rows, in the order of `agency_column.` phrases."""
        keys = (*PROBLEMS, "regions", "points")
        return [
            [agency, *(number(entry[k], self.lang) for k in keys)]
            for agency, entry in self.by_agency().items()
        ]

    def to_text(self) -> str:
        """The headline, the problems one per row, and the summary per agency."""
        w = phrases("evidence.", self.lang)
        lines = [self.headline()]
        if self.problems:
            columns = list(phrases("evidence.column.", self.lang).values())
            agency_columns = list(phrases("evidence.agency_column.", self.lang).values())
            lines += ["", table(columns, self.rows())]
            lines += ["", w["per_agency"], table(agency_columns, self.agency_rows())]
            lines += ["", w["points_rule"]]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()


def show_date(day: dt.date | None, lang: str) -> str:
    """A date as its readers write it: '16 November 2026', 'November 16, 2026'; '-' if None.

    Examples:
        >>> show_date(dt.date(2026, 11, 16), "id"), show_date(None, "en")
        ('16 November 2026', '-')
    """
    if day is None:
        return "-"
    return format_date(day, "long", locale="en" if lang == "en" else "id")


def regions_of(ruleset: Ruleset, raw_table: Any) -> list[tuple[str, str | None]]:
    """The (id, name) of each region (row) of a data table, as `readiness` names them."""
    plan = ruleset.plan
    raw = table_columns(raw_table)
    size = max((len(v) for v in raw.values()), default=0)

    def texts(column: str | None) -> list[Any]:
        return parse_texts(raw[column]).tolist() if column and column in raw else [None] * size

    ids, names = texts(plan.region), texts(plan.region_name)
    pairs = enumerate(zip(ids, names, strict=True))
    return [(row_id(i) if r is None else str(r), n) for i, (r, n) in pairs]


def write_evidence(report: EvidenceReport, path: str | Path, *, note: str | None = None) -> None:
    """Every finding (problems and the rest) as a workbook an agency can filter and sort."""
    w = phrases("evidence.sheet.", report.lang)
    none = phrases("readiness.", report.lang)["no_agency"]
    rows = [(_finding_dict(f), f) for f in report.findings]
    columns = {
        w["region"]: [d["region"] for d, _ in rows],
        w["name"]: [d["name"] for d, _ in rows],
        w["agency"]: [d["agency"] or none for d, _ in rows],
        w["for"]: [d["input"] for d, _ in rows],
        w["document"]: [d["document"] for d, _ in rows],
        w["due"]: [d["due"] for d, _ in rows],
        w["kind"]: [phrases("evidence.count.", report.lang)[d["kind"]] for d, _ in rows],
        w["state"]: [f.describe(report.lang, report.as_of) for _, f in rows],
        w["date"]: [d["date"] for d, _ in rows],
        w["link"]: [d["link"] for d, _ in rows],
        w["note"]: [d["note"] for d, _ in rows],
        w["points"]: [d["points"] for d, _ in rows],
    }
    write_table(columns, path, note=note)


# -- checking ------------------------------------------------------------------------


def check_evidence(
    ruleset: Ruleset,
    register: Register,
    regions: Sequence[tuple[str, str | None]],
    *,
    as_of: dt.date,
    lang: str = "id",
) -> EvidenceReport:
    """Each required document of each region (id, name) against the register, as of a date.

    A document with several rows in the register is judged by its latest (by date, then by
    row): a register is often a log, a rejection followed by a new upload.
    """
    plan = ruleset.plan
    points = _indicator_points(plan)
    latest = _latest(register.rows)
    findings = []
    for region, name in regions:
        for requirement in ruleset.evidence():
            row = latest.get((region, requirement.owner, requirement.document))
            backs = _backed(plan, requirement.owner)
            findings.append(
                Finding(
                    region=region, name=name, requirement=requirement,
                    kind=_kind(requirement, row, register.folder, as_of),
                    status=None if row is None else row.status,
                    date=None if row is None else row.date,
                    link=None if row is None else row.link,
                    note=None if row is None else row.note,
                    points=sum(points[i] for i in backs), indicators=backs,
                )
            )  # fmt: skip
    return EvidenceReport(
        lang="en" if lang == "en" else "id",
        as_of=as_of,
        regions=len(regions),
        findings=tuple(findings),
        indicator_points=points,
    )


def _latest(rows: Iterable[RegisterRow]) -> dict[tuple[str, str, str], RegisterRow]:
    """The latest row of each (region, owner, document): by date, a later row on a tie."""
    latest: dict[tuple[str, str, str], RegisterRow] = {}
    for row in rows:
        key = (row.region, row.owner, row.document)
        before = latest.get(key)
        if before is None or (row.date or dt.date.min) >= (before.date or dt.date.min):
            latest[key] = row
    return latest


def _kind(requirement: EvidenceSpec, row: RegisterRow | None, folder: Path, as_of: dt.date) -> str:
    """What the register says of one required document, worst first."""
    due = requirement.due
    if row is None or row.status == "not_uploaded":
        return "overdue" if due is not None and as_of > due else "missing"
    if row.status == "rejected":
        return "rejected"
    if row.link and not _LINK.match(row.link) and not (folder / row.link).exists():
        return "no_file"
    if due is not None and row.date is None:
        return "undated"
    if due is not None and row.date is not None and row.date > due:
        return "late"
    return "pending" if row.status == "uploaded" else "verified"


def _indicator_points(plan: Plan) -> dict[str, float]:
    """Each indicator's maximum on the classified score (its own maximum if it has none)."""
    factors = score_factors(plan)
    out = {}
    for step in plan.steps:
        if isinstance(step, IndicatorStep):
            factor = factors.get(step.name)
            out[step.name] = step.maximum * (factor if isinstance(factor, float) else 1.0)
    return out


def _backed(plan: Plan, owner: str) -> tuple[str, ...]:
    """The indicators whose points a document of `owner` backs."""
    steps = [s for s in plan.steps if isinstance(s, IndicatorStep)]
    if any(s.name == owner for s in steps):
        return (owner,)
    return tuple(s.name for s in steps if owner in s.inputs)


def _finding_dict(f: Finding) -> dict[str, Any]:
    r = f.requirement
    return {
        "region": f.region, "name": f.name, "agency": r.agency, "input": r.owner,
        "document": r.document, "due": None if r.due is None else r.due.isoformat(),
        "kind": f.kind, "status": f.status,
        "date": None if f.date is None else f.date.isoformat(), "link": f.link,
        "note": f.note, "points": f.points, "indicators": list(f.indicators),
    }  # fmt: skip
