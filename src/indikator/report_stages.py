"""The report's sections for the season's stages and for a grouping column (a province).

Input: a `StageResults` (`indikator report --stages`) or a `GroupView` (`report --by
provinsi`) and the language. Output: HTML fragments, every text escaped (names and labels
come from files), numbers in the reader's notation. The stages section has a table of
every region's score and tier per stage, then per pair of consecutive stages the agencies
(OPD) whose evidence lost or gained points and the regions that changed with their
indicators. The groups section has one row per group (regions, mean score, share per
tier, the regions closest to the next tier) and each group's regions by rank. No errors.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from indikator import plan as p
from indikator.display import number, percent
from indikator.messages import phrases
from indikator.rollup_view import GroupView
from indikator.stages import StageResults, StageStep
from indikator.stages_view import gate_texts, score_columns

__all__ = ["groups_section", "stages_section"]


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table(heads: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[bool]) -> str:
    """A table of escaped cells; `numeric` columns aligned as numbers."""

    def cell(tag: str, text: str, right: bool) -> str:  # noqa: FBT001  # zipped with the cells
        return f'<{tag} class="num">{_e(text)}</{tag}>' if right else f"<{tag}>{_e(text)}</{tag}>"

    head = "".join(cell("th", h, n) for h, n in zip(heads, numeric, strict=True))
    body = "".join(
        "<tr>" + "".join(cell("td", c, n) for c, n in zip(row, numeric, strict=True)) + "</tr>\n"
        for row in rows
    )
    return (
        f'<div class="wide"><table><thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{body}</tbody></table></div>\n"
    )


def stages_section(staged: StageResults, lang: str) -> str:
    """Scores per stage, then what each verification changed."""
    w = phrases("stages.", lang)
    report = phrases("report.", lang)
    scores = score_columns(staged, lang)

    def show(value: float | None) -> str:
        return number(value, lang, places=2, fixed=True)

    heads = [report["code"], report["name"], *staged.stages]
    rows = [
        [
            scores["region"][k],
            (scores.get("name") or [""] * len(scores["region"]))[k] or "",
            *(f"{show(scores[s][k])} {scores[f'{s}.tier'][k]}" for s in staged.stages),
        ]
        for k in range(len(scores["region"]))
    ]
    title = w["title"].format(stages=" → ".join(staged.stages))
    parts = [
        f'<section class="stages" id="stages">\n<h2>{_e(title)}</h2>\n',
        _table(heads, rows, [False, False, *(True for _ in staged.stages)]),
    ]
    tiers = _tier_words(staged, lang)
    parts += [_step(step, tiers, lang, staged.plan) for step in staged.steps]
    return "".join(parts) + "</section>\n"


def _tier_words(staged: StageResults, lang: str) -> dict[int, str]:
    c = staged.plan.classification
    if c is None:
        return {-1: "-", 0: "-"}
    return {-1: "-", 0: c.below.text(lang), **{k: t.text(lang) for k, t in enumerate(c.labels, 1)}}


def _step(step: StageStep, tiers: dict[int, str], lang: str, staged_plan: p.Plan) -> str:
    w = phrases("stages.", lang)
    counts = w["counts"].format(
        changed=len(step.regions), down=len(step.moved("down")), up=len(step.moved("up"))
    )
    out = [f"<h3>{_e(step.before)} → {_e(step.after)}</h3>\n<p>{_e(counts)}</p>\n"]
    if step.agencies:
        heads = [w[f"column.{k}"] for k in ("agency", "lost", "gained", "changes", "regions")]
        rows = [
            [
                a.agency or w["no_agency"],
                number(a.lost, lang, places=2, signed=True),
                number(a.gained, lang, places=2, signed=True),
                str(a.indicators),
                str(a.regions),
            ]
            for a in step.agencies
        ]
        out += [
            f"<p>{_e(w['agencies'])}</p>\n",
            _table(heads, rows, [False, True, True, True, True]),
        ]
    if step.regions:
        out.append(f"<p>{_e(w['regions'])}</p>\n<ul>\n")
        for r in step.regions:
            tier = (
                tiers[r.new_code]
                if r.direction == "same"
                else f"{tiers[r.old_code]} → {tiers[r.new_code]}"
            )
            title = f"{r.region} {r.name}" if r.name else r.region
            delta = number(r.delta, lang, places=2, signed=True)
            items = "".join(
                f"<li>{_e(c.indicator)} ({_e(c.agency or w['no_agency'])}): "
                f"{_e(number(c.old, lang, places=2))} → {_e(number(c.new, lang, places=2))} "
                f"({_e(number(c.delta, lang, places=2, signed=True))})</li>"
                for c in r.changes
            )
            items += "".join(f"<li>{_e(t)}</li>" for t in gate_texts(r, staged_plan, lang))
            inner = f"<ul>{items}</ul>" if items else ""
            out.append(f"<li>{_e(title)}: {_e(tier)} ({_e(delta)}){inner}</li>\n")
        out.append("</ul>\n")
    return "".join(out)


def groups_section(view: GroupView) -> str:
    """One row per group, then each group's regions by rank with the gap to the next tier."""
    w = phrases("byview.", view.lang)
    lang = view.lang
    heads = [view.by, w["column.count"], w["column.mean"], *view.tiers, w["column.closest"]]
    closest = view.summary_columns()[w["column.closest"]]
    rows = [
        [
            g.name,
            number(g.count, lang),
            number(g.mean, lang, places=2, fixed=True),
            *(percent(s, lang) for s in g.shares),
            closest[k],
        ]
        for k, g in enumerate(view.groups)
    ]
    numeric = [False, True, True, *(True for _ in view.tiers), False]
    title = w["title"].format(by=view.by)
    parts = [
        f'<section class="groups" id="by-{_e(view.by)}">\n<h2>{_e(title)}</h2>\n',
        _table(heads, rows, numeric),
        f"<p>{_e(w['ranks_title'])}</p>\n",
    ]
    members = view.member_columns()
    words = phrases("byview.column.", lang)
    columns = phrases("cli.column.", lang)
    for g in view.groups:
        keep = [k for k, name in enumerate(members[view.by]) if name == g.name]
        heads = [
            words["rank"],
            columns["region"],
            columns["name"],
            words["score"],
            columns["tier"],
            words["gap"],
        ]
        rows = [
            [
                "-" if members[words["rank"]][k] is None else str(members[words["rank"]][k]),
                members["region"][k],
                members["name"][k] or "",
                number(members[words["score"]][k], lang, places=2, fixed=True),
                members["tier"][k],
                view.gap_text(g.members[i]),
            ]
            for i, k in enumerate(keep)
        ]
        parts += [
            f"<h3>{_e(g.name)}</h3>\n",
            _table(heads, rows, [True, False, False, True, False, False]),
        ]
    return "".join(parts) + "</section>\n"
