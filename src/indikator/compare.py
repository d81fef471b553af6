"""Comparisons: year over year (`compare`) and edition against edition (`diff`).

Input: `compare` takes one `Ruleset` and two tables keyed by region id (last year's and
this year's); `diff` takes two rulesets (a new edition, or new weights) and one table.
Output: a `Comparison`: every region in both, with its scores and tiers on each side; for
each region whose tier moved, the indicators that changed most (signed points, and the
change of their contribution to the classified score) with their agency, and the
requirements whose outcome flipped; in `compare`, the regions that kept their tier but
whose score moved (by at least `min_change`), with the same causes; plus regions present
on one side only (`compare`) or definitions present in one ruleset only (`diff`). Errors:
`DataError` when a table does not validate (run `readiness` first), `ValueError` when a
ruleset has no tiers.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import attrs
import numpy as np

from indikator import plan as p
from indikator.attribution import agency_of, score_factors
from indikator.bounds import format_number
from indikator.display import number
from indikator.errors import QuestionError
from indikator.messages import Message, phrases
from indikator.numeric import holds
from indikator.results import Results
from indikator.ruleset import Ruleset
from indikator.stages import ScoreMove

__all__ = ["Change", "Comparison", "GateChange", "Movement", "compare", "diff"]


def _phrases(lang: str) -> dict[str, str]:
    """The phrase table in `lang`."""
    return phrases("compare.", lang)


@attrs.frozen(kw_only=True)
class Change:
    """An indicator's points on each side and the change of its share of the score."""

    indicator: str
    label: str
    agency: str
    old: float | None
    new: float | None
    effect: float | None  # None: the points reach the score through a formula

    @property
    def delta(self) -> float:
        """New minus old points (a missing side counts as 0)."""
        return (self.new or 0.0) - (self.old or 0.0)


@attrs.frozen(kw_only=True)
class GateChange:
    """A requirement whose outcome differs (None: the requirement is absent on that side)."""

    tier: str
    label: str
    old: bool | None
    new: bool | None


@attrs.frozen(kw_only=True)
class Movement(ScoreMove):
    """One region on both sides; `changes`/`gates` are filled when its tier moved."""

    old_tier: str
    new_tier: str
    changes: tuple[Change, ...] = ()
    gates: tuple[GateChange, ...] = ()


@attrs.frozen(kw_only=True)
class Comparison:
    """The answer of `compare` or `diff` (`kind`); `a`/`b` name the rulesets in a diff."""

    kind: str
    lang: str
    movements: tuple[Movement, ...]
    only_old: tuple[str, ...] = ()
    only_new: tuple[str, ...] = ()
    a: str = ""
    b: str = ""
    bounds: tuple[tuple[str, float, float], ...] = ()  # (tier, lower end in A, in B)
    min_change: float | None = None  # compare: score changes inside a tier from this size

    def shifted(self) -> list[Movement]:
        """Regions that kept their tier but whose score moved by `min_change` or more.

        The largest rise first; none in a diff.
        """
        if self.min_change is None:
            return []
        return sorted(
            (m for m in self.movements if m.direction == "same" and _shifted(m, self.min_change)),
            key=lambda m: (-(m.delta or 0.0), m.region),
        )

    def moved(self, direction: str) -> list[Movement]:
        """The regions that moved 'up' or 'down' (or stayed: 'same')."""
        return [m for m in self.movements if m.direction == direction]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict.

        `a`, `b` (the rulesets' titles) and `bounds` only in a diff: the two sides of a
        comparison are the old and new data under one ruleset, so they would be empty.
        """
        movements = [
            {
                **attrs.asdict(m),
                "direction": m.direction,
                "delta": m.delta,
                "changes": [{**attrs.asdict(c), "delta": c.delta} for c in m.changes],
            }
            for m in self.movements
        ]
        document = {**attrs.asdict(self), "movements": movements}
        if self.kind == "compare":
            for key in ("a", "b", "bounds"):
                del document[key]
            document["shifted"] = [m.region for m in self.shifted()]
        else:
            del document["min_change"]
        return document

    def to_text(self) -> str:
        """Moved regions with their causes, then the one-sided regions or definitions."""
        w = _phrases(self.lang)
        title = w["compare"] if self.kind == "compare" else w["diff"].format(a=self.a, b=self.b)
        counts = {d: len(self.moved(d)) for d in ("up", "down", "same")}
        lines = [f"{title}: {w['counts'].format(both=len(self.movements), **counts)}"]
        for direction in ("up", "down"):
            if counts[direction]:
                lines.append(w[direction])
                lines += [_movement_text(m, w, self.lang) for m in self.moved(direction)]
        if self.shifted():
            size = number(self.min_change, self.lang)
            lines.append(w["shifted"].format(size=size) if self.min_change else w["shifted_any"])
            lines += [_movement_text(m, w, self.lang) for m in self.shifted()]
        if self.bounds:
            shown = [(t, number(x, self.lang), number(y, self.lang)) for t, x, y in self.bounds]
            moved = [f"{t} {x} -> {y}" for t, x, y in shown]
            lines.insert(1, f"{w['bounds']} {', '.join(moved)}")
        sides = ("only_old", "only_new") if self.kind == "compare" else ("only_a", "only_b")
        for key, items in zip(sides, (self.only_old, self.only_new), strict=True):
            if items:
                lines.append(f"{w[key]} {', '.join(items)}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()


def _movement_text(m: Movement, w: Mapping[str, str], lang: str) -> str:
    show = functools.partial(number, lang=lang)
    title = f"{m.region} {m.name}" if m.name else m.region
    delta = None if m.old_score is None or m.new_score is None else m.new_score - m.old_score
    scores = f"{show(m.old_score)} -> {show(m.new_score)}, {show(delta, signed=True)}"
    tiers = m.new_tier if m.direction == "same" else f"{m.old_tier} -> {m.new_tier}"
    lines = [f"  {title}: {tiers} ({scores})"]
    for c in m.changes:
        effect = f", {w['effect']} {show(c.effect, signed=True)}" if c.effect is not None else ""
        points = f"{show(c.old)} -> {show(c.new)} ({show(c.delta, signed=True)})"
        lines.append(f"    {c.indicator} ({c.agency}): {points}{effect}")
    for g in m.gates:
        old, new = (w["yes" if v else "no"] if v is not None else "-" for v in (g.old, g.new))
        lines.append(f"    {w['requires']} {g.tier}: {g.label}: {old} -> {new}")
    return "\n".join(lines)


def compare(
    ruleset: Ruleset, old_table: Any, new_table: Any, *, top: int = 5, extra: str = "error",
    lang: str = "id", min_change: float = 0.0,
) -> Comparison:  # fmt: skip
    """Year over year: which regions moved a tier between two tables, and why.

    Regions that kept their tier but whose score moved by `min_change` or more (any change
    at 0) are listed too (`Comparison.shifted`), with the indicators behind the change.

    Examples:
        >>> from indikator import loads
        >>> rs = loads('''
        ... ruleset d { scale 0 to 20  region kode }
        ... input kode: text
        ... input x: percent { agency "Dinkes" missing zero }
        ... input y: percent { agency "Dikbud" missing zero }
        ... indicator a = linear x from 0 to 100 onto 0 to 10
        ... indicator b = linear y from 0 to 100 onto 0 to 10
        ... group total = sum(a, b)
        ... tiers on total { baik "Baik" [10, 20] }
        ... ''')
        >>> old = {"kode": ["01", "02"], "x": [40, 90], "y": [40, 90]}
        >>> new = {"kode": ["01", "03"], "x": [80, 50], "y": [40, 50]}
        >>> result = compare(rs, old, new)
        >>> [(m.region, m.direction, [(c.indicator, c.delta) for c in m.changes])
        ...  for m in result.movements]
        [('01', 'up', [('a', 4.0)])]
        >>> result.only_old, result.only_new
        (('02',), ('03',))
    """
    lang = "en" if lang == "en" else "id"
    old = ruleset.evaluate_many(old_table, extra=extra)
    new = ruleset.evaluate_many(new_table, extra=extra)
    old_ids, new_ids = list(old.regions), list(new.regions)
    rows = {r: i for i, r in enumerate(old_ids)}
    pairs = [(rows[r], j) for j, r in enumerate(new_ids) if r in rows]
    if not (min_change >= 0):  # NaN too
        msg = f"min_change must be 0 or more, not {min_change}"
        raise ValueError(msg)
    return Comparison(
        kind="compare", lang=lang, min_change=min_change,
        movements=_movements(old, new, pairs, top, lang, min_change=min_change),
        only_old=tuple(sorted(set(old_ids) - set(new_ids))),
        only_new=tuple(sorted(set(new_ids) - set(old_ids))),
    )  # fmt: skip


def diff(
    ruleset_a: Ruleset, ruleset_b: Ruleset, table: Any, *, top: int = 5, lang: str = "id"
) -> Comparison:
    """Edition against edition (or weights against weights) on the same table.

    Columns one ruleset does not read are ignored. `only_old`/`only_new` hold the names of
    the indicators, groups and lets defined in one ruleset only.

    Examples:
        >>> from indikator import loads
        >>> rs = loads('''
        ... ruleset d { scale 0 to 10  region kode }
        ... param wa = 50
        ... param wb = 50
        ... input kode: text
        ... input x: percent { missing zero }
        ... input y: percent { missing zero }
        ... indicator a = linear x from 0 to 100 onto 0 to 10
        ... indicator b = linear y from 0 to 100 onto 0 to 10
        ... group total = weighted(a: wa, b: wb) max 10
        ... tiers on total { baik "Baik" [6, 10] }
        ... ''')
        >>> table = {"kode": ["01"], "x": [100], "y": [30]}
        >>> result = diff(rs, rs.with_params({"wa": 20, "wb": 80}), table)
        >>> m = result.movements[0]  # A: 10 * 0.5 + 3 * 0.5 = 6.5; B: 10 * 0.2 + 3 * 0.8 = 4.4
        >>> m.direction, m.old_score, m.new_score
        ('down', 6.5, 4.4)
        >>> [(c.indicator, c.delta, round(c.effect, 9)) for c in m.changes]  # a 5->2, b 1.5->2.4
        [('a', 0.0, -3.0), ('b', 0.0, 0.9)]
    """
    lang = "en" if lang == "en" else "id"
    res_a = ruleset_a.evaluate_many(table, extra="ignore")
    res_b = ruleset_b.evaluate_many(table, extra="ignore")
    names_a = {s.name for s in ruleset_a.plan.steps}
    names_b = {s.name for s in ruleset_b.plan.steps}
    pairs = [(i, i) for i in range(len(res_a))]
    return Comparison(
        kind="diff", lang=lang, movements=_movements(res_a, res_b, pairs, top, lang),
        only_old=tuple(sorted(names_a - names_b)), only_new=tuple(sorted(names_b - names_a)),
        a=_title(ruleset_a), b=_title(ruleset_b, ruleset_a), bounds=_bounds(res_a, res_b, lang),
    )  # fmt: skip


def _title(ruleset: Ruleset, other: Ruleset | None = None) -> str:
    """'kla_2025 2025', with the parameters that differ from `other`'s: '(w = 40)'."""
    title = f"{ruleset.name} {ruleset.edition}" if ruleset.edition else ruleset.name
    theirs = other.params if other is not None else ruleset.params
    # as the ruleset language writes a parameter (the same in both languages and in JSON)
    changed = [
        f"{k} = {format_number(Fraction(repr(v)))}"
        for k, v in ruleset.params.items()
        if theirs.get(k) != v
    ]
    return f"{title} ({', '.join(changed)})" if changed else title


def _bounds(a: Results, b: Results, lang: str) -> tuple[tuple[str, float, float], ...]:
    """Tiers (by id) whose lower end differs between the two rulesets."""
    ca, cb = a.plan.classification, b.plan.classification
    if ca is None or cb is None:
        return ()
    lows = dict(zip(ca.names, ca.lowers, strict=True))
    return tuple(
        (label.text(lang), lows[name], low)
        for name, label, low in zip(cb.names, cb.labels, cb.lowers, strict=True)
        if name in lows and lows[name] != low
    )


def _shifted(m: Movement, min_change: float) -> bool:
    """Whether a score moved, by `min_change` or more (float noise is no move)."""
    delta = m.delta
    return delta is not None and not holds("==", delta, 0.0) and holds(">=", abs(delta), min_change)


def _movements(
    old: Results, new: Results, pairs: list[tuple[int, int]], top: int, lang: str,
    *, min_change: float | None = None,
) -> tuple[Movement, ...]:  # fmt: skip
    w = _phrases(lang)
    for results in (old, new):
        if results.plan.classification is None:
            raise QuestionError(Message("question.no_tiers"))
    labels = [_labels(r.plan, lang, w) for r in (old, new)]
    shares = (_shares(old), _shares(new))
    out = []
    for i, j in pairs:
        codes = int(old.tier_codes[i]), int(new.tier_codes[j])
        movement = Movement(
            region=new.regions[j], name=_name(new, j) or _name(old, i),
            old_score=_value(old.total[i]), new_score=_value(new.total[j]),
            old_code=codes[0], new_code=codes[1],
            old_tier=labels[0][codes[0]], new_tier=labels[1][codes[1]],
        )  # fmt: skip
        if codes[0] != codes[1]:
            gates = _gate_changes(_gates(old, i, lang), _gates(new, j, lang))
            sign = 1 if codes[1] > codes[0] else -1
            changes = _changes(old, i, new, j, shares=shares, lang=lang, sign=sign)[:top]
            movement = attrs.evolve(movement, changes=tuple(changes), gates=gates)
        elif min_change is not None and _shifted(movement, min_change):
            sign = 1 if (movement.delta or 0.0) > 0 else -1
            changes = _changes(old, i, new, j, shares=shares, lang=lang, sign=sign)[:top]
            movement = attrs.evolve(movement, changes=tuple(changes))
        out.append(movement)
    return tuple(out)


def _labels(plan: p.Plan, lang: str, w: Mapping[str, str]) -> dict[int, str]:
    c = plan.classification
    assert c is not None  # noqa: S101  # checked by the caller
    below = c.below.text(lang)
    return {-1: w["missing"], 0: below, **{k: t.text(lang) for k, t in enumerate(c.labels, 1)}}


def _name(results: Results, row: int) -> str | None:
    column = results.plan.region_name
    value = results.env[column][row] if column and column in results.env else None
    return None if value is None else str(value)


def _value(value: Any) -> float | None:
    return None if math.isnan(float(value)) else round(float(value), 9) + 0.0


Shares = Callable[[int], dict[str, float | None]]


def _shares(results: Results) -> Shares:
    """Each indicator's points times its factor on the classified score, row by row.

    Factors depend only on which group members have a value, so they are computed once
    per pattern of missing members (usually one or two per table).
    """
    env, plan = results.env, results.plan
    members = sorted({m for s in plan.steps if isinstance(s, p.GroupStep) for m in s.members})
    cache: dict[tuple[bool, ...], dict[str, float | str]] = {}

    def shares(row: int) -> dict[str, float | None]:
        here = tuple(not math.isnan(float(env[m][row])) for m in members)
        if here not in cache:
            present = dict(zip(members, here, strict=True))
            cache[here] = score_factors(plan, lambda m: present.get(m, True))
        points = {name: float(env[name][row]) for name in cache[here]}
        return {
            name: None
            if isinstance(f, str)
            else (0.0 if math.isnan(points[name]) else points[name] * f)
            for name, f in cache[here].items()
        }

    return shares


def _changes(
    old: Results, i: int, new: Results, j: int, *, shares: tuple[Shares, Shares], lang: str,
    sign: int,
) -> list[Change]:  # fmt: skip
    """Indicators whose points or share of the score differ, those pushing the move first."""
    steps = {s.name: s for r in (old, new) for s in r.plan.steps if isinstance(s, p.IndicatorStep)}
    before, after = shares[0](i), shares[1](j)
    changes = []
    for name, step in steps.items():
        a = _value(old.env[name][i]) if name in old.env else None
        b = _value(new.env[name][j]) if name in new.env else None
        # An indicator the other side does not define contributes nothing there.
        x = before.get(name) if name in old.env else 0.0
        y = after.get(name) if name in new.env else 0.0
        effect = None if x is None or y is None else y - x
        moved = (a is None) != (b is None) or not holds("==", b or 0.0, a or 0.0)
        if not moved and (effect is None or holds("==", y or 0.0, x or 0.0)):
            continue  # unchanged, and no reweighting or renormalisation moved its share
        changes.append(
            Change(
                indicator=name, label=step.label.text(lang) if step.label else name,
                agency=agency_of(new.plan if name in new.env else old.plan, name)
                or _phrases(lang)["no_agency"],
                old=a, new=b, effect=effect,
            )
        )  # fmt: skip
    return sorted(changes, key=lambda c: -sign * (c.effect if c.effect is not None else c.delta))


def _gates(results: Results, row: int, lang: str) -> dict[tuple[str, str], tuple[str, str, bool]]:
    c = results.plan.classification
    assert c is not None  # noqa: S101  # checked by the caller
    out = {}
    for level, gates in enumerate(c.gates, start=1):
        for index, gate in enumerate(gates):
            held = bool(np.asarray(results.env[f"tier.gate.{level}.{index}"])[row] == 1.0)
            label = gate.label.text(lang) if gate.label else gate.text
            out[(c.names[level - 1], gate.text)] = (c.labels[level - 1].text(lang), label, held)
    return out


def _gate_changes(
    old: Mapping[tuple[str, str], tuple[str, str, bool]],
    new: Mapping[tuple[str, str], tuple[str, str, bool]],
) -> tuple[GateChange, ...]:
    changed = []
    for key in [*old, *(k for k in new if k not in old)]:
        tier, label, _ = new.get(key) or old[key]
        before, after = (old[key][2] if key in old else None), (new[key][2] if key in new else None)
        if before != after:
            changed.append(GateChange(tier=tier, label=label, old=before, new=after))
    return tuple(changed)
