"""A deliberately simple reference evaluator for differential tests: one region, exact arithmetic.

It follows the language notes directly and shares nothing with the vectorised evaluator
but the parser: every number is a `Fraction`, every definition is computed on demand by
walking the syntax tree. Only single-file rulesets (no import / extends) are supported,
and formula indicators must state their `max`.

Values are `Fraction`, `bool`, `str` (option or text input) or `None` (missing).
Two numbers are equal when closer than half of 10^-9 or, for large ones, half a unit in
the 15th significant digit (5e-16 of the larger), as the language reference says.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import attrs

from indikator import nodes as n

__all__ = ["OracleResult", "on_grid", "oracle_evaluate", "round_exact", "to_fraction", "tolerance"]

Val = Fraction | bool | str | None

HALF_QUANTUM = Fraction(5, 10**10)
RELATIVE = Fraction(5, 10**16)
_YES = {"ya", "yes", "true", "1"}
_NO = {"tidak", "no", "false", "0"}
_MODES = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "half_down": decimal.ROUND_HALF_DOWN,
    "up": decimal.ROUND_UP,
    "down": decimal.ROUND_DOWN,
    "floor": decimal.ROUND_FLOOR,
    "ceiling": decimal.ROUND_CEILING,
}


@dataclass(frozen=True)
class OracleResult:
    """Every indicator, let and group (booleans as 1/0, None = missing) and the tier code."""

    values: dict[str, Fraction | None]
    tier_code: int


def oracle_evaluate(
    module: n.Module, region: Mapping[str, object], params: Mapping[str, object] | None = None
) -> OracleResult:
    """Evaluate one region of a single-file ruleset exactly."""
    return _Oracle(module, region, params or {}).run()


def to_fraction(value: object) -> Fraction:
    """An input number or parameter as an exact fraction (via its decimal text)."""
    return Fraction(Decimal(str(value)))


def resolved(value: Fraction) -> Fraction:
    """A data value as the decimal it stands for: 9 places and 15 significant digits."""
    return on_grid(value, abs(value))


def round_exact(value: Fraction, mode: str, places: int) -> Fraction:
    """Round to `places` decimals with a `decimal` rounding mode.

    Numbers are decimals of at most 9 places and 15 significant digits in the language, so
    the value is snapped to those first: 0.999999999998 rounded `down` to 0 places is 1.
    """
    with decimal.localcontext() as context:
        context.prec = 200  # far more digits than any generated value has
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        snapped = exact.quantize(Decimal("1e-9"), rounding=decimal.ROUND_HALF_EVEN)
        snapped = snapped.normalize(decimal.Context(prec=15, rounding=decimal.ROUND_HALF_EVEN))
        return Fraction(snapped.quantize(Decimal(1).scaleb(-places), rounding=_MODES[mode]))


def _is_missing(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _num(value: Val) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, Fraction):
        raise TypeError(f"expected a number, got {value!r}")
    return value


def tolerance(a: Fraction, b: Fraction) -> Fraction:
    """Below this distance `a` and `b` are the same decimal."""
    return max(HALF_QUANTUM, RELATIVE * max(abs(a), abs(b)))


def on_grid(value: Fraction, magnitude: Fraction) -> Fraction:
    """A sum or difference on the grid of its larger operand: 9 places, or 15 digits.

    The language computes `a + b` and `a - b` at the precision of the larger operand
    (half-even), so 1000000000.3 - 1000000000.2 is 0.1 however floats round.
    """
    places = 9 if magnitude < 10**6 else 14 - math.floor(math.log10(magnitude))
    step = Fraction(10) ** -places
    return round(value / step) * step  # round(): half-even, as the language


def _ge(a: Fraction, b: Fraction) -> bool:
    return a - b > -tolerance(a, b)


def _gt(a: Fraction, b: Fraction) -> bool:
    return a - b >= tolerance(a, b)


def _fold(value: n.Expr, leaf: Callable[[n.Value], Fraction]) -> Fraction:
    """A constant expression, written out again rather than borrowed from `constants`."""
    if not isinstance(value, n.Arith):
        return leaf(value)  # type: ignore[arg-type]  # the grammar: a number or a name
    left, right = _fold(value.left, leaf), _fold(value.right, leaf)
    return {"+": left + right, "-": left - right, "*": left * right}.get(
        value.op, left / right if right else Fraction(0)
    )


def _on_grid(value: Fraction) -> Fraction:
    places = 9 if abs(value) < 10**6 else 14 - math.floor(math.log10(abs(value)))
    step = Fraction(10) ** -places
    return round(value / step) * step


def _refs(node: object) -> set[str]:
    """Names referred to anywhere under a syntax node."""
    if isinstance(node, n.Ref):
        return {node.name}
    if isinstance(node, tuple):
        return set().union(*(_refs(item) for item in node))
    cls = type(node)
    if attrs.has(cls):
        return set().union(*(_refs(getattr(node, f.name)) for f in attrs.fields(cls)))
    return set()


class _Oracle:
    def __init__(
        self, module: n.Module, region: Mapping[str, object], params: Mapping[str, object]
    ) -> None:
        if module.imports or module.extends:
            raise NotImplementedError("the oracle handles single-file rulesets only")
        self.module = module
        self.region = region
        self.defs = {d.name: d for d in module.definitions}
        self.params = {name: to_fraction(v) for name, v in params.items()}
        self.cache: dict[str, Val] = {}

    def run(self) -> OracleResult:
        values: dict[str, Fraction | None] = {}
        for d in self.module.definitions:
            if isinstance(d, n.Indicator | n.Let | n.Group):
                value = self.value(d.name)
                values[d.name] = None if value is None else Fraction(_num_or_bool(value))
        return OracleResult(values=values, tier_code=self.tier_code())

    # -- definitions ---------------------------------------------------------------------

    def value(self, name: str) -> Val:
        if name not in self.cache:
            d = self.defs[name]
            match d:
                case n.Param():
                    self.cache[name] = self.params.get(name, Fraction(d.value))
                case n.Input():
                    self.cache[name] = self.read(d)
                case n.Indicator():
                    self.cache[name] = self.score(d)
                case n.Let():
                    self.cache[name] = self.rounded(self.expr(d.expr), d.clauses)
                case n.Group():
                    self.cache[name] = self.aggregate(d)
                case _:
                    raise NotImplementedError(f"{type(d).__name__} '{name}'")
        return self.cache[name]

    def read(self, spec: n.Input) -> Val:
        kind = spec.type.kind
        if kind == "checklist":
            items = [self.yes_no(self.region.get(f"{spec.name}.{c}")) for c in spec.type.choices]
            return None if None in items else Fraction(sum(1 for item in items if item))
        raw = self.region.get(spec.name)
        if _is_missing(raw):
            return None
        if kind == "yesno":
            return self.yes_no(raw)
        if kind in ("option", "text"):
            return str(raw)
        return to_fraction(raw) if kind == "count" else resolved(to_fraction(raw))

    @staticmethod
    def yes_no(raw: object) -> bool | None:
        if _is_missing(raw):
            return None
        text = str(raw).strip().lower()
        if text not in _YES | _NO:
            raise ValueError(f"not a yes/no: {raw!r}")
        return text in _YES

    def number(self, value: n.Value) -> Fraction:
        if isinstance(value, n.Arith):  # a constant expression: exact, then the 9-place grid
            return _on_grid(_fold(value, self.number))
        return _num(self.value(value.name)) if isinstance(value, n.Ref) else Fraction(value.value)

    def maximum(self, name: str) -> Fraction:
        d = self.defs[name]
        if isinstance(d, n.Indicator | n.Group) and d.clauses.max is not None:
            return self.number(d.clauses.max)
        match d:
            case n.Indicator(scoring=n.Bands(rows=rows) | n.Options(rows=rows)):
                return max(self.number(row.points) for row in rows)
            case n.Indicator(scoring=n.Linear() as lin):
                return max(self.number(lin.low), self.number(lin.high))
            case n.Group(aggregator="sum"):
                return sum((self.maximum(m.name) for m in d.members), Fraction(0))
            case _:
                raise NotImplementedError(f"'{name}' needs an explicit max in the oracle")

    def score(self, d: n.Indicator) -> Val:
        raw = self.scoring(d.scoring)
        if raw is None:
            if any(self.excluded(name) for name in self.inputs_under(_refs(d.scoring))):
                return None
            return Fraction(0)
        return self.rounded(Fraction(_num_or_bool(raw)), d.clauses)

    def excluded(self, name: str) -> bool:
        spec = self.defs[name]
        return isinstance(spec, n.Input) and spec.missing == "exclude" and self.value(name) is None

    def inputs_under(self, names: set[str]) -> set[str]:
        """The inputs that the named definitions read, directly or through others."""
        found: set[str] = set()
        for name in names:
            match self.defs.get(name):
                case n.Input():
                    found.add(name)
                case n.Let(expr=sub) | n.Indicator(scoring=sub):
                    found |= self.inputs_under(_refs(sub))
                case n.Group(members=members):
                    found |= self.inputs_under({m.name for m in members})
        return found

    def scoring(self, scoring: n.Scoring) -> Val:
        match scoring:
            case n.Formula(expr=expr):
                return self.expr(expr)
            case n.Options(subject=subject, rows=rows):
                option = self.expr(subject)
                if option is None:
                    return None
                return next(self.number(r.points) for r in rows if r.option == option)
            case _:
                x = self.expr(scoring.subject)
                if x is None:
                    return None
                return self.scale(_num(x), scoring)

    def scale(self, x: Fraction, scoring: n.Bands | n.Linear) -> Fraction:
        if isinstance(scoring, n.Bands):
            for row in scoring.rows:
                if self.inside(x, row.interval):
                    return self.number(row.points)
            raise AssertionError(f"{x} falls in no band")
        a, b = self.number(scoring.start), self.number(scoring.stop)
        c, d = self.number(scoring.low), self.number(scoring.high)
        # The share of the way from `a` and the rest of it to `b`, each difference a decimal
        # at the precision of its operands; c + t·(d - c) when they add up to 1.
        t = min(max(on_grid(x - a, max(abs(x), abs(a))) / (b - a), Fraction(0)), Fraction(1))
        r = min(max(on_grid(b - x, max(abs(b), abs(x))) / (b - a), Fraction(0)), Fraction(1))
        return c * r + d * t

    def inside(self, x: Fraction, interval: n.Interval) -> bool:
        return self.reaches(x, interval) and self.below_top(x, interval)

    def reaches(self, x: Fraction, interval: n.Interval) -> bool:
        low = interval.low
        if isinstance(low, n.Infinity):
            return low.negative
        return (_ge if interval.low_closed else _gt)(x, self.number(low))

    def below_top(self, x: Fraction, interval: n.Interval) -> bool:
        high = interval.high
        if isinstance(high, n.Infinity):
            return not high.negative
        return (_ge if interval.high_closed else _gt)(self.number(high), x)

    def aggregate(self, g: n.Group) -> Val:
        weights = [Fraction(1) if m.weight is None else self.number(m.weight) for m in g.members]
        present = [(m.name, w) for m, w in zip(g.members, weights, strict=True)
                   if self.value(m.name) is not None]  # fmt: skip
        if not present:
            return None
        if g.aggregator == "sum":
            points = sum((_num(self.value(name)) for name, _ in present), Fraction(0))
            reached = sum((self.maximum(name) for name, _ in present), Fraction(0))
            total = points / reached * self.maximum(g.name)
        else:
            share = sum((w * _num(self.value(name)) / self.maximum(name) for name, w in present),
                        Fraction(0))  # fmt: skip
            total = self.maximum(g.name) * share / sum(w for _, w in present)
        return self.rounded(total, g.clauses)

    @staticmethod
    def rounded(value: Val, clauses: n.Clauses) -> Val:
        if clauses.rounding is None or value is None or isinstance(value, bool | str):
            return value
        return round_exact(value, clauses.rounding.mode, clauses.rounding.places)

    def tier_code(self) -> int:
        tiers = self.module.tiers
        if tiers is None:
            return 0
        score = self.value(tiers.subject.name)
        if score is None:
            return -1
        code, gates_hold = 0, True
        for number, tier in enumerate(tiers.tiers, start=1):
            met = all(self.expr(r.condition) is True for r in tier.requirements)
            gates_hold = gates_hold and met  # gates are cumulative
            if gates_hold and self.reaches(_num(score), tier.interval):
                code = number
        return code

    # -- expressions ---------------------------------------------------------------------

    def expr(self, e: n.Expr) -> Val:
        match e:
            case n.Number(value=v) | n.String(value=v) | n.Bool(value=v):
                return Fraction(v) if isinstance(v, Decimal) else v
            case n.Ref(name=name):
                return self.value(name)
            case n.Neg(operand=operand):
                x = self.expr(operand)
                return None if x is None else -_num(x)
            case n.Arith(op=op, left=left, right=right):
                a, b = self.expr(left), self.expr(right)
                if a is None or b is None:
                    return None
                x, y = _num(a), _num(b)
                if op in "+-":
                    return on_grid(x + y if op == "+" else x - y, max(abs(x), abs(y)))
                return x * y if op == "*" else x / y
            case n.Compare(op=op, left=left, right=right):
                return self.compare(op, self.expr(left), self.expr(right))
            case n.And(left=left, right=right):
                sides = (self.expr(left), self.expr(right))
                return False if False in sides else None if None in sides else True
            case n.Or(left=left, right=right):
                sides = (self.expr(left), self.expr(right))
                return True if True in sides else None if None in sides else False
            case n.Not(operand=operand):
                x = self.expr(operand)
                return None if x is None else not x
            case n.If(condition=condition, then=then, otherwise=otherwise):
                c = self.expr(condition)
                return None if c is None else self.expr(then if c else otherwise)
            case n.Call(function=function, args=args):
                return self.call(function, args)

    @staticmethod
    def compare(op: str, a: Val, b: Val) -> Val:
        if a is None or b is None:
            return None
        if isinstance(a, str) or isinstance(b, str):
            return (a == b) if op == "==" else (a != b) if op == "!=" else _fail(op)
        x, y = _num(a), _num(b)
        equal = not _gt(x, y) and not _gt(y, x)
        return {"<": _gt(y, x), "<=": _ge(y, x), "==": equal, "!=": not equal,
                ">=": _ge(x, y), ">": _gt(x, y)}[op]  # fmt: skip

    def call(self, function: str, args: tuple[n.Expr, ...]) -> Val:
        if function == "value_or":
            x = self.expr(args[0])
            return self.expr(args[1]) if x is None else x
        if function == "present":
            return self.expr(args[0]) is not None
        if function == "count_missing":
            return Fraction(sum(self.expr(a) is None for a in args))
        if function == "count_present":
            return Fraction(sum(self.expr(a) is not None for a in args))
        if function == "percent" and isinstance(args[0], n.Ref):
            x = self.expr(args[0])
            return None if x is None else _num(x) / self.maximum(args[0].name) * 100
        values = [self.expr(a) for a in args]
        if None in values:
            return None
        xs = [_num(v) for v in values]
        match function:
            case "min":
                return min(xs)
            case "max":
                return max(xs)
            case "clamp":
                return min(max(xs[0], xs[1]), xs[2])
            case "abs":
                return abs(xs[0])
            case "round":
                return round_exact(xs[0], "half_up", int(xs[1]))
            case "percent_of":
                return xs[0] / xs[1] * 100
            case "count":
                return xs[0]
        raise NotImplementedError(f"function {function}() is not in the oracle")


def _num_or_bool(value: Val) -> Fraction | bool:
    if isinstance(value, bool):
        return value
    return _num(value)


def _fail(op: str) -> bool:
    raise TypeError(f"'{op}' does not compare texts")
