"""The SQL compiler's last stages: the tier (with its gates) and the ranks, near ties flagged."""

from __future__ import annotations

from collections.abc import Sequence

import attrs
from sqlglot import expressions as e

from indikator import exact
from indikator import plan as p
from indikator.sql._build import DOUBLE, NULL, V, any_of, case, num
from indikator.sql._numeric import (
    flag_near,
    lift,
)
from indikator.sql._shared import (
    finite,
    is_null,
)
from indikator.sql._steps import StepStage

__all__ = ["TierRankStage"]


class TierRankStage(StepStage):
    """The tier of every row and its ranks."""

    # -- tiers and ranks ---------------------------------------------------------------

    def classify(self, c: p.Classification) -> None:
        score = self.values[c.subject]
        whens: list[tuple[e.Expr, e.Expr]] = [
            (e.GT(this=score.sql.copy(), expression=finite(c.cuts[index])), num(index + 1.0))
            for index in reversed(range(len(c.cuts)))
        ]
        raw = self.layers.bind(V(case(*whens, default=num(0.0)), score.level))
        if not exact.on_grid(self.plan, c.subject):
            flag_near(self.layers, score, c.cuts)
        allowed = V(num(float(len(c.names))), 0)
        passing: V = V(e.true(), 0)
        for level, gates in enumerate(c.gates, start=1):
            if not gates:
                continue
            for gate in gates:
                condition = self.layers.bind(self.expr(gate.condition))
                held = lift(
                    lambda g: e.Coalesce(
                        this=e.EQ(this=g, expression=num(1.0)), expressions=[e.false()]
                    ),
                    condition,
                )
                passing = self.layers.bind(lift(e.and_, passing, held))
            allowed = self.layers.bind(
                lift(
                    lambda ok, al, level=level: case(
                        (
                            e.and_(e.not_(ok), e.GTE(this=al, expression=num(float(level)))),
                            num(level - 1.0),
                        ),
                        default=al.copy(),
                    ),
                    passing,
                    allowed,
                )
            )
        tier = lift(
            lambda s, r, al: case(
                (is_null(s), num(-1.0)), default=e.Least(this=r, expressions=[al])
            ),
            score,
            raw,
            allowed,
        )
        self.store("tier", attrs.evolve(tier, size=float(len(c.names))))
        code = self.values["tier"]
        for column, lang in (("tier.label", "id"), ("tier.label.en", "en")):
            labels = [c.below.text(lang), *(label.text(lang) for label in c.labels)]
            label = case(
                *[
                    (e.EQ(this=code.sql.copy(), expression=num(float(i))), e.Literal.string(t))
                    for i, t in enumerate(labels)
                ],
                default=NULL.copy(),
            )
            self.store(column, V(label, code.level, 0.0))

    def ranks(self) -> None:
        for rank in self.plan.ranks:
            keys = [self.values[name] for name, _ in rank.keys]
            level = max(k.level for k in keys)
            within = [] if rank.within is None else [self.values[rank.within]]
            level = max([level, *(w.level for w in within)])
            order = [
                e.Ordered(this=self._sort_key(k, name), desc=descending, nulls_first=False)
                for k, (name, descending) in zip(keys, rank.keys, strict=True)
            ]
            window = e.Window(
                this=e.Anonymous(this="RANK"),
                partition_by=[w.sql.copy() for w in within] or None,
                order=e.Order(expressions=order),
            )
            missing = any_of([is_null(keys[0].sql), *(is_null(w.sql) for w in within)])
            value = case((missing, NULL.copy()), default=e.Cast(this=window, to=DOUBLE.copy()))
            self.store(rank.name, V(value, level, 2.0**63))
            for key, (name, _) in zip(keys, rank.keys, strict=True):
                if self._numeric(name):
                    self.flag_near_tie(key, within, level)

    def _sort_key(self, key: V, name: str) -> e.Expr:
        """A rank key; text in `text_order`'s collation (byte order: numpy's code points)."""
        if self._numeric(name) or self.text_order is None:
            return key.sql.copy()
        return e.Collate(
            this=key.sql.copy(), expression=e.Identifier(this=self.text_order, quoted=True)
        )

    def _numeric(self, name: str) -> bool:
        spec = next((s for s in self.plan.inputs if s.name == name), None)
        return spec is None or spec.kind != "text"

    def flag_near_tie(self, key: V, within: Sequence[V], level: int) -> None:
        """Rows whose key is within the tolerance of its neighbour's but not equal to it.

        Ranks tie such values (`evaluate._tie_classes`); RANK() does not: flagged.
        """
        neighbours = [
            e.Window(
                this=e.Anonymous(this=name, expressions=[key.sql.copy()]),
                partition_by=[w.sql.copy() for w in within] or None,
                order=e.Order(expressions=[e.Ordered(this=key.sql.copy())]),
            )
            for name in ("LAG", "LEAD")
        ]
        tests = [
            e.and_(
                e.NEQ(this=key.sql.copy(), expression=n.copy()),
                e.LT(
                    this=e.Abs(this=key.sql.copy() - n.copy()),
                    expression=e.Greatest(
                        this=e.Abs(this=key.sql.copy()) * num(1e-15), expressions=[num(1e-9)]
                    ),
                ),
            )
            for n in neighbours
        ]
        self.layers.flag_unsure(V(any_of(tests), level))
