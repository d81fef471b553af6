"""`numeric` written in SQL: the same float64 operations, in the same order.

Each function here mirrors one of `indikator.numeric` on DOUBLE columns (NULL for NaN).
Where numpy leaves the float's sure path for an exact decision (a sum half-way between
two grid points, a value next to a cut point or a rounding step), the row is flagged
*unsure* instead (`Layers.flag_unsure`): `evaluate_sql` works those rows out again with
the numpy evaluator, and a caller of the bare SQL sees the flag.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import attrs
from sqlglot import expressions as e

from indikator.exact import NEAR
from indikator.numeric import ERROR, HALF_QUANTUM, MIRROR, PLACES, RELATIVE, cut, holds
from indikator.sql._build import NULL, Layers, V, any_of, case, num

__all__ = [
    "add",
    "compare",
    "flag_near",
    "lift",
    "resolve",
    "rint",
    "round_to",
]

#: Decades where the grid changes (9 places below 10^6, then 15 digits), up to 10^22,
#: beyond which a float has no place left and the row is flagged.
_DECADES = [10.0**d for d in range(6, 23)]
_WHOLE_FROM = 2.0**52
#: Sums of values bounded below this cannot overflow; the largest float64.
_OVERFLOW_FROM = 1e300
_MAX = 1.7976931348623157e308
#: From this magnitude the grid is coarser than 1: numpy divides by the scale.
_COARSE = 10.0 ** (PLACES + 6)


def lift(build: Callable[..., e.Expr], *values: V, size: float = math.inf) -> V:
    """An expression of values (`build(*sqls)`) at the level of the highest of them."""
    sqls = [v.sql.copy() for v in values]
    return V(build(*sqls), max(v.level for v in values), size)


def _is_null(sql: e.Expr) -> e.Expr:
    return e.Is(this=sql.copy(), expression=NULL.copy())


def rint(layers: Layers, y: V) -> V:
    """Numpy's `rint` (nearest whole, half to even), written out: exact below 2^52.

    No dialect's ROUND is it (DuckDB and Spark round half away from zero).
    """
    y = layers.bind(y)
    floor = layers.bind(lift(lambda a: e.Floor(this=a), y))
    rest = layers.bind(lift(lambda a, f: a - f, y, floor))
    even = lift(lambda f: e.EQ(this=f / num(2.0), expression=e.Floor(this=f / num(2.0))), floor)
    value = lift(
        lambda r, f, ev: case(
            (e.GT(this=r, expression=num(0.5)), f + num(1.0)),
            (e.LT(this=r, expression=num(0.5)), f.copy()),
            (ev, f.copy()),
            default=f + num(1.0),
        ),
        rest,
        floor,
        even,
    )
    return layers.bind(value)


def _grid(layers: Layers, result: V, magnitude: V, spread: V, size: float) -> V:
    """`numeric._on_grid`: `result` on the decimal grid at `magnitude`; unsure rows flagged.

    `size` bounds the magnitude: below 10^6 the grid is 9 places, whatever the row.
    """
    m = layers.bind(magnitude)
    if size < _DECADES[0]:
        scale = V(num(10.0**PLACES), 0)
    else:
        whens = [(e.LT(this=m.sql.copy(), expression=num(_DECADES[0])), num(10.0**PLACES))]
        for index, decade in enumerate(_DECADES[1:], start=1):
            whens.append(
                (e.LT(this=m.sql.copy(), expression=num(decade)), num(10.0 ** abs(PLACES - index)))
            )
            if decade > size:
                break
        scale = layers.bind(V(case(*whens, default=NULL.copy()), m.level))
    # At 10^15 and above the grid is coarser than 1: numpy divides by the scale there.
    coarse = V(e.GTE(this=m.sql.copy(), expression=num(_COARSE)), m.level)
    if size < _COARSE:
        coarse = V(e.false(), 0)
    scaled = layers.bind(
        lift(lambda c, r, s: _pick(c, r / s, r.copy() * s.copy()), coarse, result, scale)
    )
    whole = rint(layers, scaled)
    if size < _COARSE:  # numpy's grid never coarser than 1 here: no branch
        coarse = V(e.false(), 0)
    out = lift(
        lambda c, w, s: _pick(c, w * s, w.copy() / s.copy()) + num(0.0), coarse, whole, scale
    )
    bound = lift(
        lambda c, sp, s: _pick(c, sp / s, sp.copy() * s.copy()) * num(ERROR), coarse, spread, scale
    )
    sure = lift(
        lambda w, sc, b: e.GT(this=num(0.5) - e.Abs(this=sc - w), expression=b),
        whole,
        scaled,
        bound,
    )
    unsure = lift(
        lambda r, s, ok: e.and_(e.not_(_is_null(r)), e.or_(_is_null(s), e.not_(ok))),
        result,
        scale,
        sure,
    )
    layers.flag_unsure(unsure)
    return layers.bind(out)


def _pick(coarse: e.Expr, divided: e.Expr, multiplied: e.Expr) -> e.Expr:
    """The scaled value as numpy takes it: divided by the scale where the grid is coarse."""
    if isinstance(coarse, e.Boolean):
        return e.Paren(this=multiplied)
    return case((coarse, divided), default=multiplied)


def resolve(layers: Layers, value: V) -> V:
    """`numeric.resolve`: a cell as the decimal it stands for (9 places, 15 digits)."""
    value = layers.bind(value)
    magnitude = lift(lambda a: e.Abs(this=a), value)
    spread = lift(lambda s: s * num(2.0), magnitude)
    return attrs.evolve(_grid(layers, value, magnitude, spread, value.size), size=value.size)


def add(layers: Layers, op: str, left: V, right: V) -> V:
    """`numeric.add` / `subtract`: the float sum put on the grid of the larger operand."""
    left, right = layers.bind(left), layers.bind(right)
    raw = layers.bind(lift(lambda a, b: a + b if op == "+" else a - b, left, right))
    if not left.size + right.size < _OVERFLOW_FROM:  # numpy stops with IK520; SQL gives inf
        layers.flag_problem(lift(lambda r: e.GT(this=e.Abs(this=r), expression=num(_MAX)), raw))
    magnitude = lift(
        lambda a, b: e.Greatest(this=e.Abs(this=a), expressions=[e.Abs(this=b)]), left, right
    )
    spread = lift(lambda a, b, r: e.Abs(this=a) + e.Abs(this=b) + e.Abs(this=r), left, right, raw)
    size = left.size + right.size
    return attrs.evolve(
        _grid(layers, raw, magnitude, spread, max(left.size, right.size)), size=size
    )


def flag_near(layers: Layers, value: V, cuts: Sequence[float]) -> None:
    """`exact.near`: flag rows within the float's error bound of a cut point."""
    tests = []
    for point in cuts:
        if not math.isfinite(point):
            continue
        width = NEAR * abs(point) * 1.001
        tests.append(
            e.Between(this=value.sql.copy(), low=num(point - width), high=num(point + width))
        )
    if tests:
        layers.flag_unsure(V(any_of(tests), value.level))


def _truth(condition: e.Expr, *sides: e.Expr) -> e.Expr:
    """1.0 / 0.0 for a condition, NULL where a side is missing (as numpy's NaN)."""
    missing = any_of([_is_null(s) for s in sides])
    return case((missing, NULL.copy()), (condition, num(1.0)), default=num(0.0))


def compare(layers: Layers, op: str, left: V, right: V, constants: tuple[bool, bool]) -> V:
    """`numeric.compare`: through cut points against a constant, else on the difference.

    `constants` says which sides are constants (`plan.Const`), as numpy's shapes do.
    """
    left_const, right_const = constants
    if left_const and right_const:
        a, b = (_constant_value(v) for v in (left, right))
        if a != a or b != b:  # noqa: PLR0124
            return V(NULL.copy(), 0)
        return V(num(1.0 if holds(op, a, b) else 0.0), 0)
    if left_const:
        return compare(layers, MIRROR[op], right, left, (False, True))
    if right_const:
        return _against(op, layers.bind(left), _constant_value(right))
    return _between(layers, op, layers.bind(left), layers.bind(right))


def _constant_value(value: V) -> float:
    if isinstance(value.sql, e.Null):
        return math.nan
    literal = value.sql.this
    assert isinstance(literal, e.Literal)  # noqa: S101  # `num` builds every constant
    return float(literal.this)


def _against(op: str, x: V, edge: float) -> V:
    if edge != edge:  # noqa: PLR0124  # a missing constant
        return V(NULL.copy(), 0)
    s = x.sql
    if op in ("==", "!="):
        inside = e.and_(
            e.GT(this=s.copy(), expression=_cut(edge, ">=")),
            e.LT(this=s.copy(), expression=_cut(edge, "<=")),
        )
        held: e.Expr = inside if op == "==" else e.not_(inside)
    elif op in (">=", ">"):
        held = e.GT(this=s.copy(), expression=_cut(edge, op))
    else:
        held = e.LT(this=s.copy(), expression=_cut(edge, op))
    return V(_truth(held, s), x.level)


def _cut(edge: float, op: str) -> e.Expr:
    point = cut(edge, op)
    if math.isinf(point):  # an infinite cut: every number is above (or below) it
        return num(-1.7976931348623157e308 if point < 0 else 1.7976931348623157e308)
    return num(point)


def _between(layers: Layers, op: str, left: V, right: V) -> V:
    diff = layers.bind(lift(lambda a, b: a - b, left, right))
    size = lift(
        lambda a, b: e.Greatest(this=e.Abs(this=a), expressions=[e.Abs(this=b)]), left, right
    )
    size = layers.bind(size)
    limit = layers.bind(
        lift(lambda s: e.Greatest(this=s * num(RELATIVE), expressions=[num(HALF_QUANTUM)]), size)
    )
    held: Callable[[e.Expr, e.Expr], e.Expr] = {
        ">=": lambda d, t: e.GT(this=d, expression=-t),
        ">": lambda d, t: e.GT(this=d, expression=t),
        "<=": lambda d, t: e.LT(this=d, expression=t),
        "<": lambda d, t: e.LT(this=d, expression=-t),
        "==": lambda d, t: e.LT(this=e.Abs(this=d), expression=t),
        "!=": lambda d, t: e.GTE(this=e.Abs(this=d), expression=t),
    }[op]
    return lift(lambda d, t: _truth(held(d, t), d.copy()), diff, limit)


def flag_between(layers: Layers, left: V, right: V) -> None:
    """`exact.near_between`: a comparison of two columns within its error of flipping."""
    size = layers.bind(
        lift(lambda a, b: e.Greatest(this=e.Abs(this=a), expressions=[e.Abs(this=b)]), left, right)
    )
    gap = lift(
        lambda a, b, s: e.Abs(
            this=e.Abs(this=a - b)
            - e.Greatest(this=s * num(RELATIVE), expressions=[num(HALF_QUANTUM)])
        ),
        left,
        right,
        size,
    )
    layers.flag_unsure(
        lift(lambda g, s: e.LTE(this=g, expression=s * num(2 * NEAR * 1.001)), gap, size)
    )


#: The modes numpy writes as copysign(f(|y|), y): f of the magnitude.
_MODES: dict[str, Callable[[e.Expr], e.Expr]] = {
    "half_up": lambda y: e.Floor(this=e.Abs(this=y) + num(0.5)),
    "half_down": lambda y: e.Ceil(this=e.Abs(this=y) - num(0.5)),
    "up": lambda y: e.Ceil(this=e.Abs(this=y)),
    "down": lambda y: e.Floor(this=e.Abs(this=y)),
}


def round_to(layers: Layers, value: V, places: int, mode: str, *, unsure: bool) -> V:
    """`numeric.round_to`; with `unsure`, rows `exact.round_near` would re-decide flagged."""
    scale, step = 10.0**places, 1.0 if places >= PLACES else 0.5
    value = layers.bind(value)
    scaled = layers.bind(lift(lambda v: v * num(scale), value))
    nearest = layers.bind(
        lift(lambda r: r * num(step), rint(layers, lift(lambda s: s / num(step), scaled)))
    )
    near = layers.bind(
        lift(
            lambda s: e.Least(
                this=e.Greatest(
                    this=e.Abs(this=s) * num(RELATIVE), expressions=[num(HALF_QUANTUM * scale)]
                ),
                expressions=[num(step / 2)],
            ),
            scaled,
        )
    )
    snapped = layers.bind(
        lift(
            lambda s, n, t: case((e.LTE(this=e.Abs(this=s - n), expression=t), n), default=s),
            scaled,
            nearest,
            near,
        )
    )
    rounded = _mode(layers, snapped, mode)
    out = lift(
        lambda v, s, r: (
            case((e.LT(this=e.Abs(this=s), expression=num(_WHOLE_FROM)), r / num(scale)), default=v)
            + num(0.0)
        ),
        value,
        scaled,
        rounded,
    )
    if unsure:
        distance = lift(lambda s, n: e.Abs(this=s - n), scaled, nearest)
        layers.flag_unsure(
            lift(
                lambda d, t, s: e.and_(
                    e.LTE(
                        this=e.Abs(this=d - t),
                        expression=e.Abs(this=s) * num(NEAR * 1.001),
                    ),
                    e.LT(this=e.Abs(this=s.copy()), expression=num(_WHOLE_FROM)),
                ),
                distance,
                near,
                scaled,
            )
        )
    return layers.bind(out)


def _mode(layers: Layers, y: V, mode: str) -> V:
    """A rounding mode on the scaled value (numpy's `_MODES`), signs as numpy's copysign."""
    match mode:
        case "half_even":
            return rint(layers, y)
        case "floor":
            return lift(lambda a: e.Floor(this=a), y)
        case "ceiling":
            return lift(lambda a: e.Ceil(this=a), y)
    magnitude = _MODES[mode]
    return lift(
        lambda a: case(
            (e.LT(this=a, expression=num(0.0)), e.Neg(this=magnitude(a.copy()))),
            default=magnitude(a.copy()),
        ),
        y,
    )
