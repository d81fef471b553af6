"""What `indikator stages` shows and writes: scores per stage and what each verification changed.

Input: a `StageResults` and the language. Output: text (a table of every region's score
and tier at each stage, then per pair of consecutive stages the agencies (OPD) whose
evidence lost or gained points and each changed region with its indicators), columns
(one row per region and changed indicator; the scores per stage; the agency totals), a
JSON-ready dict, and files: CSV or Parquet hold the changes, a workbook the changes with
sheets for the scores and the agencies, JSON the whole document. Numbers are in the
reader's notation (`595,84` in Indonesian). No errors beyond the writers'.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from indikator import plan as p
from indikator.display import number
from indikator.display import table as text_table
from indikator.messages import phrases
from indikator.outputs import json_text, terminal_text
from indikator.stages import AgencyShift, RegionShift, StageResults, StageStep
from indikator.tables import replace_atomically, table_format, write_table

__all__ = [
    "agency_columns",
    "change_columns",
    "gate_texts",
    "score_columns",
    "stages_dict",
    "stages_text",
    "write_stages",
]


def _tiers(staged: StageResults, lang: str) -> dict[int, str]:
    """Tier code -> label ('-' without a score)."""
    c = staged.plan.classification
    if c is None:
        return {-1: "-", 0: "-"}
    return {-1: "-", 0: c.below.text(lang), **{k: t.text(lang) for k, t in enumerate(c.labels, 1)}}


def _label(staged: StageResults, name: str, lang: str) -> str:
    step = next((s for s in staged.plan.steps if s.name == name), None)
    label = getattr(step, "label", None)
    return label.text(lang) if label is not None else name


def score_columns(staged: StageResults, lang: str = "id") -> dict[str, list[Any]]:
    """Every region (in the first stage's order) with its score and tier at each stage."""
    tiers = _tiers(staged, lang)
    first = staged.results[0]
    out: dict[str, list[Any]] = {"region": list(first.regions)}
    names = staged.plan.region_name
    if names and names in first.env:
        out["name"] = [None if v is None else str(v) for v in first.env[names].tolist()]
    for stage, res in zip(staged.stages, staged.results, strict=True):
        rows = {r: i for i, r in enumerate(res.regions)}
        order = [rows[r] for r in first.regions]
        totals = res.columns(lang)
        subject = staged.plan.classification.subject if staged.plan.classification else None
        scores = totals[subject] if subject else [None] * len(order)
        out[stage] = [scores[i] for i in order]
        out[f"{stage}.tier"] = [tiers[int(res.tier_codes[i])] for i in order]
    return out


def change_columns(staged: StageResults, lang: str = "id") -> dict[str, list[Any]]:
    """One row per pair of stages, region and changed indicator."""
    tiers = _tiers(staged, lang)
    w = phrases("stages.", lang)
    rows = [
        (step, region, change)
        for step in staged.steps
        for region in step.regions
        for change in region.changes
    ]
    return {
        "from_stage": [s.before for s, _, _ in rows],
        "to_stage": [s.after for s, _, _ in rows],
        "region": [r.region for _, r, _ in rows],
        "name": [r.name for _, r, _ in rows],
        "indicator": [c.indicator for _, _, c in rows],
        "label": [_label(staged, c.indicator, lang) for _, _, c in rows],
        "agency": [c.agency or w["no_agency"] for _, _, c in rows],
        "old": [c.old for _, _, c in rows],
        "new": [c.new for _, _, c in rows],
        "delta": [c.delta for _, _, c in rows],
        "effect": [c.effect for _, _, c in rows],
        "old_tier": [tiers[r.old_code] for _, r, _ in rows],
        "new_tier": [tiers[r.new_code] for _, r, _ in rows],
    }


def agency_columns(staged: StageResults, lang: str = "id") -> dict[str, list[Any]]:
    """Per pair of stages and agency: points lost and gained, changes and regions."""
    w = phrases("stages.", lang)
    rows = [(step, a) for step in staged.steps for a in step.agencies]
    return {
        "from_stage": [s.before for s, _ in rows],
        "to_stage": [s.after for s, _ in rows],
        "agency": [a.agency or w["no_agency"] for _, a in rows],
        "lost": [a.lost for _, a in rows],
        "gained": [a.gained for _, a in rows],
        "indicators": [a.indicators for _, a in rows],
        "regions": [a.regions for _, a in rows],
    }


def stages_dict(staged: StageResults, lang: str = "id") -> dict[str, Any]:
    """A JSON-ready document: the stages, every region's scores, then each step's changes."""
    tiers = _tiers(staged, lang)
    scores = score_columns(staged, lang)
    return {
        "stages": list(staged.stages),
        "scores": [
            dict(zip(scores, row, strict=True)) for row in zip(*scores.values(), strict=True)
        ],
        "steps": [
            {
                "from": step.before,
                "to": step.after,
                "agencies": [_agency_dict(a) for a in step.agencies],
                "regions": [_region_dict(r, tiers) for r in step.regions],
            }
            for step in staged.steps
        ],
    }


def _agency_dict(a: AgencyShift) -> dict[str, Any]:
    return {
        "agency": a.agency,
        "lost": a.lost,
        "gained": a.gained,
        "indicators": a.indicators,
        "regions": a.regions,
    }


def _region_dict(r: RegionShift, tiers: dict[int, str]) -> dict[str, Any]:
    return {
        "region": r.region,
        "name": r.name,
        "old_score": r.old_score,
        "new_score": r.new_score,
        "delta": r.delta,
        "old_tier": tiers[r.old_code],
        "new_tier": tiers[r.new_code],
        "direction": r.direction,
        "gates": [attrs.asdict(g) for g in r.gates],
        "changes": [
            {
                "indicator": c.indicator,
                "agency": c.agency,
                "old": c.old,
                "new": c.new,
                "delta": c.delta,
                "effect": c.effect,
            }
            for c in r.changes
        ],
    }


def stages_text(staged: StageResults, lang: str = "id") -> str:
    """The scores per stage, then what each verification changed."""
    w = phrases("stages.", lang)
    show = functools.partial(number, lang=lang, places=2, fixed=True)
    scores = score_columns(staged, lang)
    headers = ["region", *(["name"] if "name" in scores else []), *staged.stages]
    words = phrases("cli.column.", lang)
    rows = [
        [
            scores["region"][k],
            *([scores["name"][k] or ""] if "name" in scores else []),
            *(f"{show(scores[s][k])} {scores[f'{s}.tier'][k]}" for s in staged.stages),
        ]
        for k in range(len(scores["region"]))
    ]
    cells = [[terminal_text(str(c)) for c in row] for row in rows]
    lines = [
        w["title"].format(stages=" -> ".join(staged.stages)),
        text_table([words.get(h, h) for h in headers], cells),
    ]
    tiers = _tiers(staged, lang)
    for step in staged.steps:
        lines += ["", *_step_text(step, tiers, w, lang, staged.plan)]
    return "\n".join(lines)


def _step_text(
    step: StageStep, tiers: dict[int, str], w: dict[str, str], lang: str, plan: p.Plan
) -> list[str]:
    show = functools.partial(number, lang=lang, places=2)
    counts = w["counts"].format(
        changed=len(step.regions), down=len(step.moved("down")), up=len(step.moved("up"))
    )
    lines = [f"{step.before} -> {step.after}: {counts}"]
    if not step.regions:
        return lines
    headers = [
        w["column.agency"],
        w["column.lost"],
        w["column.gained"],
        w["column.changes"],
        w["column.regions"],
    ]
    rows = [
        [
            terminal_text(a.agency or w["no_agency"]),
            show(a.lost, signed=True),
            show(a.gained, signed=True),
            str(a.indicators),
            str(a.regions),
        ]
        for a in step.agencies
    ]
    if rows:
        lines += [w["agencies"], text_table(headers, rows)]
    lines.append(w["regions"])
    for r in step.regions:
        lines += _region_text(r, tiers, w, lang, plan)
    return lines


def gate_texts(r: RegionShift, plan: p.Plan, lang: str) -> list[str]:
    """'syarat Madya: Perda KLA ada: terpenuhi -> tidak terpenuhi', per requirement flipped."""
    c = plan.classification
    if c is None:
        return []
    w = phrases("compare.", lang)
    out = []
    for g in r.gates:
        gate = c.gates[g.level - 1][g.index]
        label = gate.label.text(lang) if gate.label else gate.text
        old, new = (w["yes" if v else "no"] for v in (g.old, g.new))
        out.append(f"{w['requires']} {c.labels[g.level - 1].text(lang)}: {label}: {old} -> {new}")
    return out


def _region_text(
    r: RegionShift, tiers: dict[int, str], w: dict[str, str], lang: str, plan: p.Plan
) -> list[str]:
    show = functools.partial(number, lang=lang, places=2)
    title = terminal_text(f"{r.region} {r.name}" if r.name else r.region)
    tier = (
        tiers[r.new_code]
        if r.direction == "same"
        else f"{tiers[r.old_code]} -> {tiers[r.new_code]}"
    )
    scores = f"{show(r.old_score)} -> {show(r.new_score)}, {show(r.delta, signed=True)}"
    lines = [f"  {title}: {tier} ({scores})"]
    lines += [f"    {text}" for text in gate_texts(r, plan, lang)]
    for c in r.changes:
        points = f"{show(c.old)} -> {show(c.new)} ({show(c.delta, signed=True)})"
        effect = f", {w['effect']} {show(c.effect, signed=True)}" if c.effect is not None else ""
        agency = terminal_text(c.agency or w["no_agency"])
        lines.append(f"    {c.indicator} ({agency}): {points}{effect}")
    return lines


def write_stages(
    staged: StageResults, path: Path, lang: str = "id", note: str | None = None
) -> None:
    """The changes to `path`: a CSV/Parquet table, a workbook with more sheets, or JSON."""
    fmt = table_format(path)
    if fmt == ".json":
        document = stages_dict(staged, lang)
        if note is not None:
            document = {"note": note, **document}
        text = json_text(document)
        replace_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))
        return
    sheets = None
    if fmt == ".xlsx":
        w = phrases("stages.sheet.", lang)
        sheets = {
            w["scores"]: _rows(score_columns(staged, lang)),
            w["agencies"]: _rows(agency_columns(staged, lang)),
        }
    write_table(change_columns(staged, lang), path, note=note, sheets=sheets)


def _rows(columns: dict[str, list[Any]]) -> Sequence[Sequence[Any]]:
    """A header row, then the rows of `columns`."""
    return [list(columns), *(list(row) for row in zip(*columns.values(), strict=True))]
