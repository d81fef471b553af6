"""Province roll-ups from the command line: counts, means, tier shares, ranks, next-tier gaps.

Input: a `Results` of a ruleset with tiers, and one grouping value per region (the
province, from a column of the data: `indikator evaluate ... --by provinsi`). Output: a
`GroupView`, one `Group` per value in the order the data first names it, each with its
count of regions, the mean classified score (regions without a score left out), the share
of its regions in each tier, and its regions ranked by score within the group; the
regions closest to the next tier are those with the smallest gap to that tier's lower
edge. Rendered as text tables, columns (one row per group or per region) and a JSON-ready
dict, in Indonesian or English. Errors: `DataError` IK505 for an empty grouping cell,
`QuestionError` for a ruleset without tiers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from indikator import plan as p
from indikator.data import Table
from indikator.display import number, percent
from indikator.display import table as text_table
from indikator.errors import DataError, DataProblem, QuestionError, sample_regions
from indikator.messages import Message, Words, closest, phrases
from indikator.outputs import json_text
from indikator.results import Results
from indikator.stages import take_column
from indikator.tables import replace_atomically, table_format, write_table

__all__ = [
    "Group",
    "GroupView",
    "Member",
    "group_sheets",
    "group_view",
    "take_group",
    "write_groups",
]

#: How many regions closest to the next tier each group lists by default.
CLOSEST = 3


@attrs.frozen(kw_only=True)
class Member:
    """One region in its group: score, tier, rank in the group and gap to the next tier.

    `gap` is the next tier's lower edge minus the score (0 when the score already reaches
    it and a tier requirement holds the region back: `held`); None at the top tier or
    without a score. `rank` counts equal scores as one place (1, 2, 2, 4).
    """

    region: str
    name: str | None
    score: float | None
    code: int  # 0 below every tier, 1.. per tier, -1 without a score
    tier: str
    rank: int | None
    next_tier: str | None
    gap: float | None
    held: bool


@attrs.frozen(kw_only=True)
class Group:
    """One value of the grouping column (a province) and its regions, best first."""

    name: str
    count: int
    mean: float | None
    shares: tuple[float, ...]  # per tier label of `GroupView.tiers`, as fractions of `count`
    members: tuple[Member, ...]

    def closest(self, top: int = CLOSEST) -> list[Member]:
        """The `top` regions with the smallest gap to their next tier (ties by region id)."""
        near = [m for m in self.members if m.gap is not None]
        return sorted(near, key=lambda m: (m.gap, m.region))[:top]


@attrs.frozen(kw_only=True)
class GroupView:
    """Every group of `group_view`, with the tier labels its shares follow (lowest first)."""

    by: str
    lang: str
    tiers: tuple[str, ...]
    groups: tuple[Group, ...]
    top: int = CLOSEST

    def summary_columns(self) -> dict[str, list[Any]]:
        """One row per group: its value, count, mean score, a share per tier, closest ones."""
        w = phrases("byview.column.", self.lang)
        out: dict[str, list[Any]] = {self.by: [g.name for g in self.groups]}
        out[w["count"]] = [g.count for g in self.groups]
        out[w["mean"]] = [g.mean for g in self.groups]
        for k, tier in enumerate(self.tiers):
            out[f"{w['share']} {tier}"] = [round(g.shares[k], 9) for g in self.groups]
        out[w["closest"]] = [
            "; ".join(self._near(m) for m in g.closest(self.top)) for g in self.groups
        ]
        return out

    def member_columns(self) -> dict[str, list[Any]]:
        """One row per region, group by group: rank in the group, tier, next tier, gap."""
        w = phrases("byview.column.", self.lang)
        rows = [(g, m) for g in self.groups for m in g.members]
        return {
            self.by: [g.name for g, _ in rows],
            "region": [m.region for _, m in rows],
            "name": [m.name for _, m in rows],
            w["score"]: [m.score for _, m in rows],
            "tier": [m.tier for _, m in rows],
            w["rank"]: [m.rank for _, m in rows],
            w["next_tier"]: [m.next_tier for _, m in rows],
            w["gap"]: [m.gap for _, m in rows],
            w["held"]: [m.held for _, m in rows],
        }

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: `by`, `tiers`, and per group its figures and ranked regions."""
        return {
            "by": self.by,
            "tiers": list(self.tiers),
            "groups": [
                {
                    "name": g.name,
                    "count": g.count,
                    "mean": g.mean,
                    "shares": dict(zip(self.tiers, g.shares, strict=True)),
                    "regions": [attrs.asdict(m) for m in g.members],
                    "closest": [m.region for m in g.closest(self.top)],
                }
                for g in self.groups
            ],
        }

    def to_text(self) -> str:
        """The summary table, then per group its regions closest to the next tier."""
        w = phrases("byview.", self.lang)
        headers = [self.by, w["column.count"], w["column.mean"], *self.tiers]
        rows = [
            [
                g.name,
                number(g.count, self.lang),
                number(g.mean, self.lang, places=2, fixed=True),
                *(percent(share, self.lang) for share in g.shares),
            ]
            for g in self.groups
        ]
        lines = [w["title"].format(by=self.by), text_table(headers, rows), "", w["ranks_title"]]
        for g in self.groups:
            lines += [f"  {g.name}:", *(f"    {line}" for line in self._ranks(g).splitlines())]
        lines += ["", w["closest_title"]]
        for g in self.groups:
            near = g.closest(self.top)
            lines.append(f"  {g.name}:" + ("" if near else f" {w['none']}"))
            lines += [f"    {self._near(m)}" for m in near]
        return "\n".join(lines)

    def _ranks(self, g: Group) -> str:
        """A group's regions by rank: score, tier and the points to the next tier."""
        w = phrases("byview.column.", self.lang)
        headers = [w["rank"], "region", "name", w["score"], "tier", w["gap"]]
        words = phrases("cli.column.", self.lang)
        rows = [
            [
                "-" if m.rank is None else str(m.rank),
                m.region,
                m.name or "",
                number(m.score, self.lang, places=2, fixed=True),
                m.tier,
                self.gap_text(m),
            ]
            for m in g.members
        ]
        return text_table([words.get(h, h) for h in headers], rows)

    def gap_text(self, m: Member) -> str:
        """'15 ke Madya', 'syarat Madya' when a requirement holds it, '-' at the top."""
        w = phrases("byview.", self.lang)
        if m.gap is None:
            return "-"
        if m.held:
            return w["held_short"].format(tier=m.next_tier)
        return w["gap_short"].format(gap=number(m.gap, self.lang, places=2), tier=m.next_tier)

    def _near(self, m: Member) -> str:
        """'9914 Kab. Contoh Ilalang: 0,6 ke Madya' (or 'syarat' when a requirement holds it)."""
        w = phrases("byview.", self.lang)
        title = f"{m.region} {m.name}" if m.name else m.region
        if m.held:
            return w["held"].format(region=title, tier=m.next_tier)
        gap = number(m.gap, self.lang, places=2)
        return w["gap"].format(region=title, gap=gap, tier=m.next_tier)


def group_view(
    results: Results, groups: Sequence[Any], *, by: str, lang: str = "id", top: int = CLOSEST
) -> GroupView:
    """Group the regions of `results` by `groups` (one value per region, e.g. provinces).

    Examples:
        >>> from indikator import loads
        >>> rs = loads('''
        ... ruleset d { scale 0 to 100  region kode }
        ... input kode: text
        ... input x: percent { missing zero }
        ... indicator a = linear x from 0 to 100 onto 0 to 100
        ... group total = sum(a)
        ... tiers on total { below "Belum" baik "Baik" [50, 80)  prima "Prima" [80, 100] }
        ... ''')
        >>> res = rs.evaluate_many({"kode": ["01", "02", "03"], "x": [45, 70, 90]})
        >>> view = group_view(res, ["A", "A", "B"], by="provinsi", lang="en")
        >>> [(g.name, g.count, g.mean) for g in view.groups]
        [('A', 2, 57.5), ('B', 1, 90.0)]
        >>> [(m.region, m.rank, m.gap) for m in view.groups[0].members]
        [('02', 1, 10.0), ('01', 2, 5.0)]
    """
    lang = "en" if lang == "en" else "id"
    c = results.plan.classification
    if c is None:
        raise QuestionError(Message("question.no_tiers"))
    values = [_group_value(v) for v in groups]
    _check_groups(results, values, by)
    labels = (c.below.text(lang), *(label.text(lang) for label in c.labels))
    members = _members(results, c, labels)
    order = list(dict.fromkeys(v for v in values if v is not None))
    out = []
    for name in order:
        inside = [m for m, v in zip(members, values, strict=True) if v == name]
        out.append(_group(name, inside, labels))
    return GroupView(by=by, lang=lang, tiers=labels, groups=tuple(out), top=top)


def _group_value(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _check_groups(results: Results, values: Sequence[str | None], by: str) -> None:
    """IK505 naming the regions whose grouping cell is empty: a group cannot be guessed."""
    if len(values) != len(results):
        msg = f"{len(values)} grouping values for {len(results)} regions"
        raise ValueError(msg)
    empty = [r for r, v in zip(results.regions, values, strict=True) if v is None]
    if empty:
        problem = DataProblem(
            code="IK505",
            field=by,
            message=Message("byview.empty_group", column=by),
            regions=sample_regions(empty),
            count=len(empty),
        )
        raise DataError([problem])


def _members(results: Results, c: p.Classification, labels: Sequence[str]) -> list[Member]:
    """Every region as a `Member` (ranks are filled in per group by `_group`)."""
    names = results.plan.region_name
    out = []
    for i, region in enumerate(results.regions):
        raw = float(results.total[i])
        score = None if math.isnan(raw) else round(raw, 9) + 0.0
        code = int(results.tier_codes[i])
        top = code >= len(c.labels) or score is None or code < 0
        edge = None if top else c.lowers[code]
        gap = None if edge is None or score is None else round(edge - score, 9) + 0.0
        name = results.env[names][i] if names and names in results.env else None
        out.append(
            Member(
                region=region,
                name=None if name is None else str(name),
                score=score,
                code=code,
                tier=labels[code] if code >= 0 else "-",
                rank=None,
                next_tier=None if edge is None else labels[code + 1],
                gap=None if gap is None else max(gap, 0.0),
                held=gap is not None and gap <= 0,
            )
        )
    return out


def _group(name: str, members: list[Member], labels: Sequence[str]) -> Group:
    """A group: its members ranked by score (equal scores share a place), and its figures."""
    scored = sorted((m for m in members if m.score is not None), key=lambda m: (-m.score, m.region))  # type: ignore[operator]  # filtered: score is a float
    ranked: list[Member] = []
    for position, m in enumerate(scored, start=1):
        same = ranked and ranked[-1].score == m.score
        ranked.append(attrs.evolve(m, rank=ranked[-1].rank if same else position))
    unscored = sorted((m for m in members if m.score is None), key=lambda m: m.region)
    scores = [m.score for m in scored if m.score is not None]
    counts = [sum(1 for m in members if m.code == code) for code in range(len(labels))]
    return Group(
        name=name,
        count=len(members),
        mean=round(math.fsum(scores) / len(scores), 9) + 0.0 if scores else None,
        shares=tuple(k / len(members) for k in counts),
        members=(*ranked, *unscored),
    )


def take_group(
    table: Table, by: str, *, file: str, inputs: Sequence[str]
) -> tuple[Table, list[Any]]:
    """The grouping column's values, and the table to evaluate (without it unless an input).

    IK501 naming the file and its columns when it has no such column.
    """
    if by not in table:
        guess = closest(by, table)
        message = (
            Message("byview.missing_column_close", file=file, column=by, close=guess)
            if guess
            else Message(
                "byview.missing_column",
                file=file,
                column=by,
                known=Words(tuple(table), conjunction=None, limit=8),
            )
        )
        raise DataError([DataProblem(code="IK501", field=by, message=message)])
    return take_column(table, by, keep=by in inputs)


def group_sheets(view: GroupView) -> dict[str, list[list[Any]]]:
    """The groups as workbook sheets: `per_provinsi` (a row per group) and the regions."""
    sheets = {}
    for suffix, columns in (("", view.summary_columns()), ("_wilayah", view.member_columns())):
        rows = [list(columns), *(list(row) for row in zip(*columns.values(), strict=True))]
        sheets[f"per_{view.by}{suffix}"] = rows
    return sheets


def write_groups(view: GroupView, path: Path, note: str | None = None) -> None:
    """The groups to `path`: one row per group, or the whole document.

    CSV and Parquet hold the row per group; a workbook adds a sheet of the regions ranked in
    their group; JSON holds `GroupView.to_dict`.
    """
    if table_format(path) == ".json":
        document = view.to_dict() if note is None else {"note": note, **view.to_dict()}
        text = json_text(document) + "\n"
        replace_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))
        return
    members = view.member_columns()
    rows = [list(members), *(list(row) for row in zip(*members.values(), strict=True))]
    sheets = (
        {phrases("byview.", view.lang)["sheet"]: rows} if table_format(path) == ".xlsx" else None
    )
    write_table(view.summary_columns(), path, note=note, sheets=sheets)
