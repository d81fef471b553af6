"""The plan compiled to one SQL query, as a sqlglot expression tree.

The query reads one table (a column per data column, as `evaluate_many` takes them) and
gives one row per region: the region id and name, every input as the evaluator reads
it, every `let`, indicator (with `.met`) and group, `tier` (code) and `tier.label`, the
ranks, and two flags: `_unsure` (a decision numpy makes exactly: work the row out with
indikator) and `_problem` (numpy refuses the row: a bad cell, a value outside every
band, a division by zero). Arithmetic is DOUBLE, the same float64 operations as
`evaluate` in the same order (see `_numeric`), so every other row agrees bit for bit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import assert_never

import attrs
from sqlglot import expressions as e

from indikator import exact
from indikator import plan as p
from indikator.cells import YES_NO
from indikator.data import columns_of
from indikator.evaluate import compensated
from indikator.numeric import LARGEST, cut, exact_difference
from indikator.sql._build import DOUBLE, NULL, Layers, V, all_of, any_of, case, col, num
from indikator.sql._numeric import (
    add,
    compare,
    flag_between,
    flag_near,
    lift,
    resolve,
    round_to,
)

__all__ = ["PROBLEM", "RAW", "ROW", "UNSURE", "build_query"]

#: The prefix of the raw cells the query passes through when asked (`raw=True`).
RAW = "raw:"
#: The row number in the table (from 1), and the two flags of every row.
ROW, UNSURE, PROBLEM = "_row", "_unsure", "_problem"
_INPUT_CTE = "inputs"


def _is_null(sql: e.Expr) -> e.Expr:
    return e.Is(this=sql.copy(), expression=NULL.copy())


def _not_null(sql: e.Expr) -> e.Expr:
    return e.not_(_is_null(sql))


class _Compiler:
    def __init__(self, plan: p.Plan, *, raw: bool, materialized: bool = True) -> None:
        self.plan = plan
        self.layers = Layers()
        self.values: dict[str, V] = {}  # name → the value of an input or a step
        self.raw = raw
        self.materialized = materialized
        self.live: V | None = None  # inside `if`: the rows that chose the branch
        self.input_problems: list[e.Expr] = []  # on the raw cells: the first CTE

    # -- inputs ------------------------------------------------------------------------

    def inputs(self) -> list[tuple[str, e.Expr]]:
        """The first CTE's columns: each input read and checked as `data.validate` does."""
        columns: list[tuple[str, e.Expr]] = []
        for name in (self.plan.region, self.plan.region_name):
            if name is not None:
                columns.append((name, _text(col(name))))
                self.values[name] = V(col(name), 0)
        for spec in self.plan.inputs:
            for column in columns_of(spec):
                if spec.kind == "checklist" and not column.endswith(".prev"):
                    continue
                if column in (self.plan.region, self.plan.region_name):
                    continue
                columns.append((column, self.cell(spec, column)))
                self.values[column] = V(col(column), 0, _input_size(spec))
            if spec.kind == "checklist":
                columns.append((spec.name, self.checklist(spec)))
                self.values[spec.name] = V(col(spec.name), 0, float(len(spec.choices)))
        # The row's place in the table: the results come back in the table's order.
        columns.append((ROW, e.Window(this=e.RowNumber())))
        for index, condition in enumerate(self.input_problems):
            columns.append((f"#in{index}", condition))
            self.layers.problems.append(V(col(f"#in{index}"), 0))
        if self.raw:
            for spec in self.plan.inputs:
                columns += [(RAW + c, col(c)) for c in columns_of(spec)]
        return columns

    def cell(self, spec: p.InputSpec, column: str) -> e.Expr:
        source = col(column)
        match spec.kind:
            case "text":
                value = _text(source)
            case "yesno":
                value = self.yes_no(source)
            case "option":
                value = self.option(source, spec.choices)
            case _:
                value = self.number(spec, source)
        if spec.missing == "error":
            self.problem_at_input(
                _is_null(_text(source)) if spec.kind == "text" else _is_null(source)
            )
        return value

    def yes_no(self, source: e.Expr) -> e.Expr:
        """A yes/no cell by its word, any case (`cells.parse_yes_no`); others a problem."""
        word = e.Lower(this=e.Trim(this=e.Cast(this=source.copy(), to=e.DataType.build("TEXT"))))
        words = [(w, float(code)) for code in (1.0, 0.0) for w in YES_NO if YES_NO[w] == code]
        return self.choice(source, word, words)

    def option(self, source: e.Expr, choices: Sequence[str]) -> e.Expr:
        """An option cell: one of the choices exactly as written (`cells.parse_options`)."""
        word = e.Cast(this=source.copy(), to=e.DataType.build("TEXT"))
        return self.choice(source, word, [(c, float(i)) for i, c in enumerate(choices)])

    def choice(self, source: e.Expr, word: e.Expr, words: Sequence[tuple[str, float]]) -> e.Expr:
        """The code of a cell's word (one IN list per code); any other word is a problem."""
        codes = sorted({code for _, code in words})
        whens = [
            (
                e.In(
                    this=word.copy(),
                    expressions=[e.Literal.string(w) for w, c in words if c == code],
                ),
                num(code),
            )
            for code in codes
        ]
        value = case(*whens, default=NULL.copy())
        known = e.In(this=word.copy(), expressions=[e.Literal.string(w) for w, _ in words])
        self.problem_at_input(e.and_(_not_null(_text(source)), e.not_(known)))
        return value

    def number(self, spec: p.InputSpec, source: e.Expr) -> e.Expr:
        """A number cell: DOUBLE, in its range, whole for a count, on the decimal grid."""
        number = e.TryCast(this=source.copy(), to=DOUBLE.copy())
        self.problem_at_input(e.and_(_not_null(_text(source)), _is_null(number.copy())))
        low = -float(LARGEST) if spec.low is None else spec.low
        high = float(LARGEST) if spec.high is None else spec.high
        outside = e.or_(
            e.LTE(this=number.copy(), expression=num(cut(low, ">="))),
            e.GTE(this=number.copy(), expression=num(cut(high, "<="))),
        )
        self.problem_at_input(outside)
        if spec.kind == "count":
            self.problem_at_input(e.NEQ(this=number.copy(), expression=e.Floor(this=number.copy())))
        return number

    def problem_at_input(self, condition: e.Expr) -> None:
        self.input_problems.append(condition)

    def checklist(self, spec: p.InputSpec) -> e.Expr:
        """The items that are yes; under `missing zero` an empty item is simply not met."""
        items = [self.yes_no(col(c)) for c in columns_of(spec) if not c.endswith(".prev")]
        if spec.missing == "zero":
            terms = [
                case((e.EQ(this=i, expression=num(1.0)), num(1.0)), default=num(0.0)) for i in items
            ]
        else:
            terms = items
        total: e.Expr = terms[0]
        for term in terms[1:]:
            total = total + term
        return total

    def resolve_inputs(self) -> None:
        """Number and percent inputs on the decimal grid (`numeric.resolve`)."""
        for spec in self.plan.inputs:
            if spec.kind not in ("number", "percent"):
                continue
            for column in columns_of(spec):
                self.values[column] = resolve(self.layers, self.values[column])

    # -- steps -------------------------------------------------------------------------

    def steps(self) -> None:
        for step in self.plan.steps:
            match step:
                case p.IndicatorStep():
                    self.indicator(step)
                case p.LetStep():
                    value = self.expr(step.expr)
                    self.store(step.name, self.rounded(step, value))
                case p.GroupStep():
                    self.store(step.name, self.rounded(step, self.group(step)))
                case unknown:
                    assert_never(unknown)

    def store(self, name: str, value: V) -> None:
        self.values[name] = self.layers.bind(value, name)
        if not value.size < _OVERFLOW_FROM:  # a sum of members beyond float64: IK520
            self.layers.flag_problem(
                lift(lambda a: e.GT(this=e.Abs(this=a), expression=_MAX), self.values[name])
            )

    def rounded(self, step: p.Step, value: V) -> V:
        if step.rounding is None:
            return value
        places, mode = step.rounding
        rounded = round_to(self.layers, value, places, mode, unsure=exact.rounds_computed(step))
        return attrs.evolve(rounded, size=value.size + 1.0)

    def indicator(self, step: p.IndicatorStep) -> None:
        raw = self.layers.bind(self.scoring(step.scoring))
        excluded = [
            _is_null(self.values[c].sql)
            for name in step.exclude_inputs
            for c in (name, f"{name}.prev")
            if c in self.values
        ]
        levels = [
            raw.level,
            *(
                self.values[c].level
                for n in step.exclude_inputs
                for c in (n, f"{n}.prev")
                if c in self.values
            ),
        ]
        # A missing value scores 0 unless an input it reads under `exclude` is missing.
        policy = case(
            (e.and_(_is_null(raw.sql), e.not_(any_of(excluded))), num(0.0)), default=raw.sql.copy()
        )
        self.store(step.name, self.rounded(step, V(policy, max(levels), raw.size)))
        points = self.values[step.name]
        if step.met is not None:
            self.store(f"{step.name}.met", self.expr(step.met))
            return
        met = compare(self.layers, ">=", points, V(num(step.maximum), 0), (False, True))
        cuts = exact.met_cuts(self.plan, step)
        if cuts:
            flag_near(self.layers, points, cuts)
        self.store(f"{step.name}.met", met)

    def scoring(self, scoring: p.ScoringIR) -> V:
        match scoring:
            case p.BandsIR():
                return self.bands(scoring)
            case p.LinearIR():
                return self.linear(scoring)
            case p.OptionsIR():
                code = self.layers.bind(self.expr(scoring.subject))
                whens = [
                    (e.EQ(this=code.sql.copy(), expression=num(float(i))), num(points))
                    for i, points in enumerate(scoring.points)
                ]
                return V(case(*whens, default=NULL.copy()), code.level, _largest(scoring.points))
            case p.FormulaIR():
                return self.expr(scoring.expr)
            case unknown:
                assert_never(unknown)

    def bands(self, bands: p.BandsIR) -> V:
        x = self.layers.bind(self.expr(bands.subject))
        if bands.check_range:
            outside: list[e.Expr] = []
            if bands.lowest is not None:
                edge, closed = bands.lowest
                outside.append(
                    e.LT(this=x.sql.copy(), expression=num(cut(edge, "<" if closed else "<=")))
                )
            if bands.highest is not None:
                edge, closed = bands.highest
                outside.append(
                    e.GT(this=x.sql.copy(), expression=num(cut(edge, ">" if closed else ">=")))
                )
            if outside:
                self.layers.flag_problem(V(any_of(outside), x.level))
        whens: list[tuple[e.Expr, e.Expr]] = [(_is_null(x.sql), NULL.copy())]
        for point, points in reversed(list(zip(bands.cuts, bands.points[1:], strict=True))):
            whens.append((e.GT(this=x.sql.copy(), expression=num(point)), num(points)))
        if exact.computed(self.plan, bands.subject):
            flag_near(self.layers, x, bands.cuts)
        return V(case(*whens, default=num(bands.points[0])), x.level, _largest(bands.points))

    def linear(self, linear: p.LinearIR) -> V:
        """`low·(stop - x)/w + high·(x - start)/w`, each share clipped to [0, 1]."""
        x = self.layers.bind(self.expr(linear.subject))
        width = num(exact_difference(linear.stop, linear.start))
        start, stop = V(num(linear.start), 0), V(num(linear.stop), 0)
        share = self.layers.bind(
            lift(lambda d: _clip(d / width.copy()), add(self.layers, "-", x, start))
        )
        rest = self.layers.bind(
            lift(lambda d: _clip(d / width.copy()), add(self.layers, "-", stop, x))
        )
        return lift(
            lambda r, s: num(linear.low) * r + num(linear.high) * s,
            rest,
            share,
            size=abs(linear.low) + abs(linear.high),
        )

    # -- groups ------------------------------------------------------------------------

    def group(self, step: p.GroupStep) -> V:
        """`evaluate._group`: the full sum, and where a member is missing the renormalised."""
        shares: list[V] = []
        scales: list[float] = []
        for member, weight, maximum in zip(
            step.members, step.weights, step.member_maxima, strict=True
        ):
            points = self.values[member]
            if step.aggregator == "sum":
                shares.append(points)
                scales.append(maximum)
            else:
                factor = weight / maximum
                shares.append(self.layers.bind(lift(lambda a, f=factor: a * num(f), points)))
                scales.append(weight)
        carry = compensated(step)
        full = self.summed(shares, carry=carry, present=False)
        present = self.summed(shares, carry=carry, present=True)
        full_weight = 0.0
        for scale in scales:
            full_weight += scale
        present_weight = V(num(0.0), 0)
        for share, scale in zip(shares, scales, strict=True):
            present_weight = self.layers.bind(
                lift(
                    lambda s, w, scale=scale: w + case((_is_null(s), num(0.0)), default=num(scale)),
                    share,
                    present_weight,
                )
            )
        fw = num(full_weight)
        if step.aggregator == "sum":
            whole = full
            parts = lift(
                lambda s, w: case(
                    (
                        e.and_(
                            e.EQ(this=w, expression=num(0.0)),
                            e.NEQ(this=w.copy(), expression=fw.copy()),
                        ),
                        NULL.copy(),
                    ),
                    (e.EQ(this=w.copy(), expression=fw.copy()), s),
                    default=s.copy() / w.copy() * fw.copy(),
                ),
                present,
                present_weight,
            )
        else:
            if full_weight == 0:
                return V(NULL.copy(), 0)
            whole = lift(lambda s: s / fw.copy() * num(step.maximum), full)
            parts = lift(
                lambda s, w: case(
                    (e.EQ(this=w, expression=num(0.0)), NULL.copy()),
                    default=s / w.copy() * num(step.maximum),
                ),
                present,
                present_weight,
            )
        ratios = [v.size / m if m > 0 else math.inf for v, m in zip(
            (self.values[n] for n in step.members), step.member_maxima, strict=True
        )]  # fmt: skip
        top = full_weight if step.aggregator == "sum" else step.maximum
        return lift(
            lambda f, w, r: case((_is_null(f), r), default=w),
            full,
            whole,
            parts,
            size=abs(top) * max(ratios, default=0.0),
        )

    def summed(self, shares: Sequence[V], *, carry: bool, present: bool) -> V:
        """Members added in order (missing ones as 0 when `present`), Neumaier if `carry`."""
        total = V(num(0.0), 0)
        correction = V(num(0.0), 0)
        for share in shares:
            term = (
                lift(lambda s: e.Coalesce(this=s, expressions=[num(0.0)]), share)
                if present
                else share
            )
            term = self.layers.bind(term)
            new = self.layers.bind(lift(lambda t, s: t + s, total, term))
            if carry:
                correction = self.layers.bind(
                    lift(
                        lambda c, t, s, n: (
                            c
                            + case(
                                (
                                    e.GTE(this=e.Abs(this=t), expression=e.Abs(this=s)),
                                    (t.copy() - n) + s.copy(),
                                ),
                                default=(s.copy() - n.copy()) + t.copy(),
                            )
                        ),
                        correction,
                        total,
                        term,
                        new,
                    )
                )
            total = new
        if carry:
            total = self.layers.bind(lift(lambda t, c: t + c, total, correction))
        return total

    # -- expressions -------------------------------------------------------------------

    def expr(self, ir: p.IR) -> V:
        match ir:
            case p.Const(value=value):
                return V(num(float(value)), 0, abs(value) if value == value else 0.0)  # noqa: PLR0124
            case p.Load(name=name):
                return self.values[name]
            case p.Apply():
                return self.apply(ir)
            case unknown:
                assert_never(unknown)

    def apply(self, ir: p.Apply) -> V:
        """An operation, with a bound on its magnitude (`V.size`); an overflow is a problem."""
        match ir.op:
            case "if":
                return self.choose(ir)
            case "all_met":
                return attrs.evolve(self.all_met(ir.args), size=1.0)
        args = [self.expr(a) for a in ir.args]
        value = attrs.evolve(self.operate(ir, args), size=_size(ir.op, [a.size for a in args]))
        if ir.op in ("mul", "div", "sum") and not value.size < _OVERFLOW_FROM:
            value = self.layers.bind(value)
            # numpy stops with IK520 where a product or quotient overflows; SQL gives inf.
            self.layers.flag_problem(
                lift(lambda a: e.GT(this=e.Abs(this=a), expression=_MAX), value)
            )
        return value

    def operate(self, ir: p.Apply, args: list[V]) -> V:  # one case per op
        match ir.op:
            case "add" | "sub":
                return add(self.layers, "+" if ir.op == "add" else "-", args[0], args[1])
            case "mul":
                return lift(lambda a, b: a * b, *args)
            case "div":
                return self.divide(args[0], args[1])
            case "neg":
                return lift(lambda a: -a, *args)
            case "<" | "<=" | "==" | "!=" | ">=" | ">":
                return self.compare(ir, args)
            case "and" | "or":
                return self.kleene(ir.op, args)
            case "not":
                return lift(lambda a: num(1.0) - a, *args)
            case "min" | "max":
                return self.extreme(ir.op, args)
            case "clamp":
                low = self.extreme("max", args[:2])
                return self.extreme("min", [low, args[2]])
            case "abs":
                return lift(lambda a: e.Abs(this=a), *args)
            case "round":
                return round_to(
                    self.layers, args[0], ir.places, ir.mode,
                    unsure=exact.computed(self.plan, ir.args[0]),
                )  # fmt: skip
            case "sum":
                total = args[0]
                for arg in args[1:]:
                    total = lift(lambda a, b: a + b, total, arg)
                return total
            case "present":
                value = args[0]
                return lift(lambda a: case((_is_null(a), num(0.0)), default=num(1.0)), value)
            case "value_or":
                return lift(lambda a, b: e.Coalesce(this=a, expressions=[b]), *args)
            case "all_met" | "if":  # pragma: no cover  # handled above
                raise AssertionError(ir.op)
            case unknown:
                assert_never(unknown)

    def compare(self, ir: p.Apply, args: list[V]) -> V:
        """`numeric.compare`, and the rows whose decision numpy re-makes exactly flagged."""
        constants = (isinstance(ir.args[0], p.Const), isinstance(ir.args[1], p.Const))
        args = [self.layers.bind(a) for a in args]
        result = compare(self.layers, ir.op, args[0], args[1], constants)
        found = exact.against_constant(ir)
        if found is None:
            if not all(constants) and any(exact.computed(self.plan, a) for a in ir.args):
                flag_between(self.layers, args[0], args[1])
            return result
        side, op, edge = found
        if exact.computed(self.plan, ir.args[side]):
            flag_near(self.layers, args[side], exact.compare_cuts(op, edge))
        return result

    def extreme(self, op: str, args: Sequence[V]) -> V:
        """min/max that spread a missing value (numpy's minimum/maximum)."""
        kind = e.Least if op == "min" else e.Greatest

        def build(*sqls: e.Expr) -> e.Expr:
            missing = any_of([_is_null(s) for s in sqls])
            return case(
                (missing, NULL.copy()),
                default=kind(this=sqls[0].copy(), expressions=[s.copy() for s in sqls[1:]]),
            )

        return lift(build, *(self.layers.bind(a) for a in args))

    def kleene(self, op: str, args: Sequence[V]) -> V:
        """Three-valued and/or: a no (and) or a yes (or) beats a missing value."""
        decisive = 0.0 if op == "and" else 1.0

        def build(*sqls: e.Expr) -> e.Expr:
            return case(
                (
                    any_of([e.EQ(this=s.copy(), expression=num(decisive)) for s in sqls]),
                    num(decisive),
                ),
                (any_of([_is_null(s) for s in sqls]), NULL.copy()),
                default=num(1.0 - decisive),
            )

        return lift(build, *(self.layers.bind(a) for a in args))

    def choose(self, ir: p.Apply) -> V:
        condition = self.layers.bind(self.expr(ir.args[0]))
        then = self.branch(ir.args[1], lift(lambda c: e.EQ(this=c, expression=num(1.0)), condition))
        otherwise = self.branch(
            ir.args[2], lift(lambda c: e.EQ(this=c, expression=num(0.0)), condition)
        )
        return lift(
            lambda c, a, b: case(
                (_is_null(c), NULL.copy()), (e.EQ(this=c.copy(), expression=num(1.0)), a), default=b
            ),
            condition,
            then,
            otherwise,
            size=max(then.size, otherwise.size),
        )

    def branch(self, ir: p.IR, rows: V) -> V:
        outer = self.live
        self.live = rows if outer is None else lift(e.and_, outer, rows)
        try:
            return self.layers.bind(self.expr(ir))
        finally:
            self.live = outer

    def divide(self, top: V, bottom: V) -> V:
        top, bottom = self.layers.bind(top), self.layers.bind(bottom)
        zero = lift(
            lambda t, b: e.and_(e.EQ(this=b, expression=num(0.0)), _not_null(t)), top, bottom
        )
        if self.live is not None:
            zero = lift(e.and_, zero, self.live)
        self.layers.flag_problem(zero)
        return lift(
            lambda t, b: case(
                (e.EQ(this=b, expression=num(0.0)), NULL.copy()), default=t / b.copy()
            ),
            top,
            bottom,
        )

    def all_met(self, pairs: Sequence[p.IR]) -> V:
        helds = []
        for index in range(0, len(pairs), 2):
            points, met = (self.layers.bind(self.expr(a)) for a in pairs[index : index + 2])
            helds.append(
                lift(
                    lambda pt, m: e.or_(e.EQ(this=m, expression=num(1.0)), _is_null(pt)),
                    points,
                    met,
                )
            )
        return lift(
            lambda *hs: case((all_of([h.copy() for h in hs]), num(1.0)), default=num(0.0)), *helds
        )

    # -- tiers and ranks ---------------------------------------------------------------

    def classify(self, c: p.Classification) -> None:
        score = self.values[c.subject]
        whens: list[tuple[e.Expr, e.Expr]] = [
            (e.GT(this=score.sql.copy(), expression=_finite(c.cuts[index])), num(index + 1.0))
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
                (_is_null(s), num(-1.0)), default=e.Least(this=r, expressions=[al])
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
                e.Ordered(this=k.sql.copy(), desc=descending, nulls_first=False)
                for k, (_, descending) in zip(keys, rank.keys, strict=True)
            ]
            window = e.Window(
                this=e.Anonymous(this="RANK"),
                partition_by=[w.sql.copy() for w in within] or None,
                order=e.Order(expressions=order),
            )
            missing = any_of([_is_null(keys[0].sql), *(_is_null(w.sql) for w in within)])
            value = case((missing, NULL.copy()), default=e.Cast(this=window, to=DOUBLE.copy()))
            self.store(rank.name, V(value, level, 2.0**63))
            for key, (name, _) in zip(keys, rank.keys, strict=True):
                if self._numeric(name):
                    self.flag_near_tie(key, within, level)

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

    # -- the query ---------------------------------------------------------------------

    def outputs(self) -> list[str]:
        names = [n for n in (self.plan.region, self.plan.region_name) if n]
        for spec in self.plan.inputs:
            names += [
                c for c in (spec.name, f"{spec.name}.prev") if c in self.values and c not in names
            ]
        for step in self.plan.steps:
            names.append(step.name)
            if isinstance(step, p.IndicatorStep):
                names.append(f"{step.name}.met")
        if self.plan.classification is not None:
            names += ["tier", "tier.label", "tier.label.en"]
        names += [r.name for r in self.plan.ranks]
        return names

    def query(self, table: str) -> e.Select:
        first = self.inputs()
        self.resolve_inputs()
        self.steps()
        if self.plan.classification is not None:
            self.classify(self.plan.classification)
        self.ranks()
        finals: list[tuple[str, V]] = [(n, self.values[n]) for n in self.outputs()]
        unsure = [
            e.Coalesce(this=u.sql.copy(), expressions=[e.false()]) for u in self.layers.unsure
        ]
        problem = [
            e.Coalesce(this=u.sql.copy(), expressions=[e.false()]) for u in self.layers.problems
        ]
        top = len(self.layers.levels) - 1
        select = e.select(
            *[_alias(self.output(name, value), name) for name, value in finals],
            _alias(any_of(unsure), UNSURE),
            _alias(any_of(problem), PROBLEM),
            _alias(col(ROW), ROW),
        )
        if self.raw:
            select = select.select(
                *[_alias(col(name), name) for name, _ in first if name.startswith(RAW)], copy=False
            )
        select = select.from_(_cte_name(top), copy=False).order_by(col(ROW), copy=False)
        inputs = e.select(*[_alias(v, n) for n, v in first], *self.level_columns(0))
        select = select.with_(
            _INPUT_CTE, as_=inputs.from_(e.to_table(table), copy=False),
            materialized=self.materialized or None, copy=False,
        )  # fmt: skip
        for level in range(1, top + 1):
            # Each level one CTE over the one below. MATERIALIZED: DuckDB plans a deep
            # stack of inlined projections in about twice the time; but it keeps every
            # level's rows in memory, which cannot spill: inlined, the levels stream.
            body = e.select(e.Star(), *self.level_columns(level))
            body = body.from_(_cte_name(level - 1), copy=False)
            select = select.with_(
                _cte_name(level), as_=body, materialized=self.materialized or None, copy=False
            )
        return select

    def output(self, name: str, value: V) -> e.Expr:
        if name == "tier":
            return e.Cast(this=value.sql.copy(), to=e.DataType.build("INT"))
        return value.sql.copy()

    def level_columns(self, level: int) -> list[e.Expr]:
        return [_alias(sql, name) for name, sql in self.layers.levels[level]]


#: The largest float64: a magnitude above it is infinity (an overflow).
_MAX = num(1.7976931348623157e308)
#: Values whose bound stays below this cannot overflow in one more operation.
_OVERFLOW_FROM = 1e300


def _size(op: str, sizes: list[float]) -> float:
    """A bound on the magnitude of an operation's result from those of its arguments."""
    match op:
        case "mul":
            return sizes[0] * sizes[1]
        case "add" | "sub" | "sum":
            return math.fsum(sizes)
        case "div":
            return math.inf
        case "round":
            return sizes[0] + 1.0
        case "neg" | "abs" | "min" | "max" | "clamp" | "value_or":
            return max(sizes)
    return 1.0  # comparisons, and/or/not, present: a yes/no


def _input_size(spec: p.InputSpec) -> float:
    """A bound on an input's magnitude: its range, else what indikator holds (10^15)."""
    match spec.kind:
        case "yesno":
            return 1.0
        case "option":
            return float(len(spec.choices))
        case "text":
            return math.inf
    low = -float(LARGEST) if spec.low is None else spec.low
    high = float(LARGEST) if spec.high is None else spec.high
    return max(abs(low), abs(high))


def _largest(points: tuple[float, ...]) -> float:
    return max((abs(x) for x in points), default=0.0)


def _cte_name(level: int) -> str:
    return _INPUT_CTE if level == 0 else f"level_{level}"


def _alias(sql: e.Expr, name: str) -> e.Expr:
    return e.alias_(sql, name, quoted=True)


def _text(source: e.Expr) -> e.Expr:
    """A text cell: trimmed, and an empty one missing (as `cells.parse_texts_and_empty`)."""
    text = e.Trim(this=e.Cast(this=source.copy(), to=e.DataType.build("TEXT")))
    return case(
        (e.EQ(this=text.copy(), expression=e.Literal.string("")), NULL.copy()), default=text
    )


def _clip(value: e.Expr) -> e.Expr:
    """np.clip(value, 0, 1); NULL stays NULL."""
    return case(
        (e.LT(this=value.copy(), expression=num(0.0)), num(0.0)),
        (e.GT(this=value.copy(), expression=num(1.0)), num(1.0)),
        default=value.copy(),
    )


def _finite(point: float) -> e.Expr:
    return num(max(point, -1.7976931348623157e308))


def build_query(
    plan: p.Plan, table: str, *, raw: bool = False, materialized: bool = True
) -> e.Select:
    """The plan as one query over `table` (a name, possibly qualified).

    `materialized`: each level a MATERIALIZED CTE (planned faster; held in memory).
    """
    return _Compiler(plan, raw=raw, materialized=materialized).query(table)


_Builder = Callable[..., e.Expr]
