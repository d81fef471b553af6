"""Differential tests: random valid rulesets, evaluated by indikator and by the exact oracle.

A case is generated in three phases: inputs, indicators, lets and groups first; then
regions whose values sit on, or 0.01 / 1e-6 beside, every band edge, linear end,
threshold and range end, with missing values mixed in; last the tiers, whose boundaries
are taken from the totals those regions reach (computed by the oracle), so that scores
land exactly on, just under and just over tier boundaries.

Each case has a magnitude, 10^-5 to 10^11 (mostly 1): its points, maxima and the values
of some `number` inputs are that many times larger, so edges, sums and tiers are drawn
across the whole range the checker accepts; values beside an edge then sit one unit of
the 15th significant digit away, or closer than the tolerance (the same decimal).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from decimal import Context, Decimal, localcontext
from fractions import Fraction

from hypothesis import event, given, note, settings
from hypothesis import strategies as st

import indikator
from indikator.nodes import Module, Number
from indikator.syntax import parse
from tests.one_region import assert_same_values
from tests.oracle import HALF_QUANTUM, RELATIVE, oracle_evaluate

Row = dict[str, object]
Scored = tuple[str, Fraction]  # a name and its maximum

CENT = Fraction(1, 100)
MICRO = Fraction(1, 10**6)
NANO = Fraction(1, 10**9)
NEAR = Fraction(2, 10**10)
#: Case magnitudes: 10^-5 keeps points x factors within 9 places, 10^11 totals below 10^15.
MAGNITUDES = (*[Fraction(1)] * 5, *(Fraction(10) ** e for e in (-5, -3, 3, 6, 9, 11)))


def resolution(x: Fraction) -> Fraction:
    """One unit of the last digit a decimal near `x` may have (9 places, 15 digits)."""
    if x == 0:
        return NANO
    digits = math.floor(math.log10(abs(x)))  # may be one low (float): a finer step, still fine
    return max(NANO, Fraction(10) ** (digits - 14))


def same_decimal(x: Fraction) -> Fraction:
    """An offset closer than the tolerance at `x`: the value is the same decimal."""
    return max(HALF_QUANTUM, RELATIVE * abs(x)) * 2 / 5


def to_grid(x: Fraction) -> Fraction:
    """`x` as the nearest decimal of at most 9 places and 15 significant digits."""
    with localcontext() as context:
        context.prec = 60
        exact = Decimal(x.numerator) / Decimal(x.denominator)
        snapped = exact.quantize(Decimal("1e-9")).normalize(Context(prec=15))
    return Fraction(snapped)


def fits(x: Fraction) -> bool:
    """Whether the checker accepts `x` as a literal (IK411, IK412)."""
    return abs(x) <= 10**15 and to_grid(x) == x


MODES = ("half_up", "half_even", "half_down", "up", "down", "floor", "ceiling")
TOLERANCE = 1e-9


def fmt(x: Fraction) -> str:
    """The exact decimal text of a terminating fraction."""
    with localcontext() as context:
        context.prec = 60
        text = format(Decimal(x.numerator) / Decimal(x.denominator), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def places(x: Fraction) -> int:
    """How many decimals a fraction needs (99 if it does not terminate)."""
    return next((k for k in range(30) if (x * 10**k).denominator == 1), 99)


def cents(draw: st.DrawFn, low: Fraction, high: Fraction, step: Fraction = CENT) -> Fraction:
    """A multiple of `step` in [low, high]."""
    return draw(st.integers(math.ceil(low / step), math.floor(high / step))) * step


# --- inputs ------------------------------------------------------------------------------


@dataclass
class InputSpec:
    name: str
    kind: str
    policy: str | None  # None: the default, which is `error`
    low: Fraction | None = None  # the declared or implied range; None = open
    high: Fraction | None = None
    choices: tuple[str, ...] = ()
    range_text: str = ""
    marks: set[Fraction] = field(default_factory=set)  # values worth hitting exactly
    unit: Fraction = Fraction(1)  # the case's magnitude for some `number` inputs, else 1

    @property
    def numeric(self) -> bool:
        return self.kind in ("percent", "number", "count")

    @property
    def step(self) -> Fraction:
        return Fraction(1) if self.kind == "count" else CENT * self.unit

    @property
    def window(self) -> tuple[Fraction, Fraction]:
        """Where edges and thresholds are drawn: the range, or a stretch of an open one."""
        low = Fraction(-50) * self.unit if self.low is None else self.low
        return low, low + 60 * self.unit if self.high is None else self.high

    def inside(self, value: Fraction, slack: Fraction = Fraction(0)) -> bool:
        """Whether the data check accepts `value` (it allows 5e-10 beyond the range)."""
        low_ok = self.low is None or value >= self.low - slack
        return low_ok and (self.high is None or value <= self.high + slack)

    def text(self) -> str:
        kind = self.kind
        if kind == "option":
            kind = "option(" + ", ".join(f'"{c}"' for c in self.choices) + ")"
        fields = [f"missing {self.policy}" if self.policy else "", self.range_text]
        return f"input {self.name}: {kind} {{ {' '.join(f for f in fields if f)} }}"


@st.composite
def input_specs(draw: st.DrawFn, name: str, magnitude: Fraction) -> InputSpec:
    kinds = ["percent", "number", "count", "yesno", "option"]
    kind = draw(st.sampled_from(kinds + ["number"] * 3 * (magnitude != 1)))
    policy = draw(st.sampled_from([None, "zero", "exclude", "exclude", "error"]))
    spec = InputSpec(name, kind, policy)
    if kind == "number" and draw(st.integers(0, 3)) > 0:
        spec.unit = magnitude
    if kind == "percent":
        spec.low, spec.high = Fraction(0), Fraction(100)
        if draw(st.booleans()):
            spec.low = Fraction(draw(st.integers(0, 50)))
            spec.high = spec.low + draw(st.integers(10, 100 - int(spec.low)))
    elif kind == "number" and draw(st.booleans()):
        spec.low = cents(draw, Fraction(-50), Fraction(50)) * spec.unit
        spec.high = spec.low + cents(draw, Fraction(1), Fraction(100)) * spec.unit
    elif kind == "count":
        spec.low = Fraction(0)
        spec.high = Fraction(draw(st.integers(4, 30))) if draw(st.booleans()) else None
    elif kind == "option":
        spec.choices = ("a", "b", "c", "d")[: draw(st.integers(2, 4))]
    if spec.low is not None and spec.high is not None:
        spec.range_text = f"range {fmt(spec.low)} to {fmt(spec.high)}"
        spec.marks |= {spec.low, spec.high}
    return spec


# --- indicators --------------------------------------------------------------------------


@dataclass
class Draft:
    """What the generator has written so far besides inputs."""

    params: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # lets that hold yes or no
    magnitude: Fraction = Fraction(1)  # points and maxima are this many times larger

    def points(self, draw: st.DrawFn, value: Fraction) -> str:
        """A points value as a literal or, sometimes, through a new parameter."""
        if draw(st.integers(0, 4)) > 0:
            return fmt(value)
        name = f"p{len(self.params)}"
        self.params.append(f"param {name} = {fmt(value)}")
        return name


def points(draw: st.DrawFn, magnitude: Fraction) -> Fraction:
    return cents(draw, Fraction(0), Fraction(20)) * magnitude


def two_points(draw: st.DrawFn, magnitude: Fraction) -> tuple[Fraction, Fraction]:
    """Two different points, the larger at least 1 (so every maximum is positive)."""
    a = cents(draw, Fraction(1), Fraction(20)) * magnitude
    b = draw(st.sampled_from([x for x in (points(draw, magnitude), a / 2, 0) if x != a]))
    return (a, Fraction(b)) if draw(st.booleans()) else (Fraction(b), a)


def inner(draw: st.DrawFn, spec: InputSpec) -> Fraction:
    """A threshold strictly inside the window (so both sides are reachable)."""
    low, high = spec.window
    threshold = cents(draw, low + spec.step, high - spec.step, spec.step)
    spec.marks.add(threshold)
    return threshold


def check_on(draw: st.DrawFn, spec: InputSpec) -> str:
    """A yes/no condition on one input."""
    if spec.kind == "yesno":
        return draw(st.sampled_from(["", "not "])) + spec.name
    if spec.kind == "option":
        op = draw(st.sampled_from(["==", "!="]))
        return f'{spec.name} {op} "{draw(st.sampled_from(spec.choices))}"'
    op = draw(st.sampled_from([">=", ">", "<", "<=", "==", "!="]))
    return f"{spec.name} {op} {fmt(inner(draw, spec))}"


def condition(draw: st.DrawFn, spec: InputSpec, specs: list[InputSpec], flags: list[str]) -> str:
    """A condition on `spec`, sometimes joined to one on another input or a yes/no let."""
    first = check_on(draw, spec)
    if draw(st.booleans()):
        return first
    other = draw(st.sampled_from([check_on(draw, draw(st.sampled_from(specs))), *flags]))
    return f"{first} {draw(st.sampled_from(['and', 'or']))} {other}"


def choose(condition: str, p: Fraction, q: Fraction) -> tuple[str, Fraction]:
    """An `if` formula with its explicit max."""
    return f"if {condition} then {fmt(p)} else {fmt(q)} max {fmt(max(p, q))}", max(p, q)


def scoring(
    draw: st.DrawFn, draft: Draft, spec: InputSpec, specs: list[InputSpec]
) -> tuple[str, Fraction]:
    """An indicator body mainly over one input, and its maximum."""
    m = draft.magnitude
    if spec.kind == "yesno" or (spec.kind == "option" and draw(st.booleans())):
        return choose(condition(draw, spec, specs, draft.flags), *two_points(draw, m))
    if spec.kind == "option":
        pts = [points(draw, m) for _ in spec.choices]
        pts[-1] = max(pts[-1], m)
        rows = ", ".join(
            f'"{c}" -> {draft.points(draw, p)}' for c, p in zip(spec.choices, pts, strict=True)
        )
        return f"options {spec.name} {{ {rows} }}", max(pts)
    low, high = spec.window
    forms = ["bands", "bands", "linear", "linear", "if"]
    if spec.low is not None and spec.low >= 0 and spec.high is not None:
        forms += ["times", "value_or", "min"]
    form = draw(st.sampled_from(forms))
    if form == "bands":
        return bands(draw, draft, spec)
    if form == "if":
        return choose(condition(draw, spec, specs, draft.flags), *two_points(draw, m))
    if form == "linear":  # both ends inside the range, so both scores are reachable
        a, b = (cents(draw, low, high, spec.step) for _ in range(2))
        a, b = (a, b) if a != b else (low, high)
        c, d = two_points(draw, m)
        spec.marks |= {a, b}
        return f"linear {spec.name} from {fmt(a)} to {fmt(b)} onto {fmt(c)} to {fmt(d)}", max(c, d)
    factor = cents(draw, Fraction(1, 4), Fraction(2)) * m / spec.unit  # points of magnitude m
    if form == "min":  # the threshold in the upper half keeps the maximum at least 1/4
        t = cents(draw, (low + high) / 2, high - spec.step, spec.step)
        spec.marks.add(t)
        return f"min({spec.name}, {fmt(t)}) * {fmt(factor)} max {fmt(t * factor)}", t * factor
    top = high * factor
    if form == "value_or":
        fallback = fmt(cents(draw, low, high, spec.step))
        return f"value_or({spec.name}, {fallback}) * {fmt(factor)} max {fmt(top)}", top
    return f"{spec.name} * {fmt(factor)} max {fmt(top)}", top


def bands(draw: st.DrawFn, draft: Draft, spec: InputSpec) -> tuple[str, Fraction]:
    low, high = spec.window
    if spec.kind == "count":  # odd edges two apart: every row holds a whole number
        grid = [Fraction(k) for k in range(1, int(high), 2)]
    else:
        grid = [k * spec.step for k in range(int(low / spec.step) + 1, int(high / spec.step))]
    edges = sorted(draw(st.lists(st.sampled_from(grid), max_size=3, unique=True)))
    spec.marks |= set(edges)
    first = "(-inf" if spec.low is None or draw(st.booleans()) else f"[{fmt(spec.low)}"
    last = "inf)" if spec.high is None or draw(st.booleans()) else f"{fmt(spec.high)}]"
    cuts = [draw(st.sampled_from([(")", "["), ("]", "(")])) for _ in edges]
    opens = [first] + [f"{o}{fmt(e)}" for e, (_, o) in zip(edges, cuts, strict=True)]
    closes = [f"{fmt(e)}{c}" for e, (c, _) in zip(edges, cuts, strict=True)] + [last]
    pts = [points(draw, draft.magnitude) for _ in opens]
    best = draw(st.integers(0, len(pts) - 1))
    pts[best] = max(pts[best], draft.magnitude)
    rows = "  ".join(
        f"{o}, {c} -> {draft.points(draw, p)}" for o, c, p in zip(opens, closes, pts, strict=True)
    )
    return f"bands {spec.name} {{ {rows} }}", max(pts)


def rounding(draw: st.DrawFn, maximum: Fraction) -> str:
    """Sometimes a round clause, with places enough to keep the maximum exact.

    (With fewer places, `round up` / `ceiling` could lift a score above the maximum.)
    """
    if places(maximum) > 3 or draw(st.integers(0, 3)) > 0:
        return ""
    mode = draw(st.sampled_from(MODES))
    kept = draw(st.integers(places(maximum), 3))
    if maximum * 10**kept >= 10**14:  # a place below the 15th digit: nothing to round
        return ""
    return f" round {mode} {kept}"


def let(draw: st.DrawFn, draft: Draft, name: str, specs: list[InputSpec]) -> str:
    spec = draw(st.sampled_from(specs))
    form = draw(st.sampled_from(["present", "condition", "condition", "value_or"]))
    if form == "value_or" and spec.numeric:
        return f"let {name} = value_or({spec.name}, {fmt(inner(draw, spec))})"
    draft.flags.append(name)
    if form == "present":
        return f"let {name} = present({spec.name})"
    return f"let {name} = {condition(draw, spec, specs, draft.flags[:-1])}"


def aggregate(
    draw: st.DrawFn, name: str, members: list[Scored], magnitude: Fraction
) -> tuple[str, Fraction]:
    kind = draw(st.sampled_from(["sum", "mean", "weighted"]))
    names = ", ".join(n for n, _ in members)
    if kind == "sum":
        maximum = sum((m for _, m in members), Fraction(0))
        body = f"sum({names})" + (f" max {fmt(maximum)}" if draw(st.booleans()) else "")
        return f"group {name} = {body}{rounding(draw, maximum)}", maximum
    maximum = (
        draw(
            st.sampled_from(
                [
                    Fraction(100),
                    Fraction(draw(st.integers(1, 200))),
                    cents(draw, Fraction(1), Fraction(200)),
                ]
            )
        )
        * magnitude
    )
    if kind == "weighted":
        size = len(members) - 1
        cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=size, max_size=size, unique=True)))
        weights = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
        names = ", ".join(f"{n}: {w}" for (n, _), w in zip(members, weights, strict=True))
    body = f"{kind}({names}) max {fmt(maximum)}"
    return f"group {name} = {body}{rounding(draw, maximum)}", maximum


# --- regions -----------------------------------------------------------------------------

MISSING: tuple[object, ...] = (None, "", math.nan)


def region_values(spec: InputSpec) -> st.SearchStrategy[object]:
    values: st.SearchStrategy[object]
    if spec.kind == "yesno":
        values = st.sampled_from(["ya", "tidak", "yes", "no", 1, 0, True, False])
    elif spec.kind == "option":
        values = st.sampled_from(spec.choices)
    else:
        low, high = spec.window
        offsets = [Fraction(0), Fraction(1), Fraction(-1)]
        if spec.kind != "count":
            # 2e-10 is closer than the language's 5e-10 (equal), 1e-9 is not (different);
            # at large magnitudes, 2/5 of the tolerance and one unit of the 15th digit.
            offsets += [CENT, -CENT, MICRO, -MICRO, NEAR, -NEAR, NANO, -NANO]
            offsets += [spec.step, -spec.step]
        near = sorted(
            v
            for m in spec.marks | {low, high}
            for o in [*offsets, *(_beside(m) if spec.kind != "count" else ())]
            if spec.inside(v := m + o, NEAR)
        )
        slack = 0 if spec.low is not None and spec.high is not None else 5
        anywhere = st.integers(int(low / spec.step) - slack, int(high / spec.step) + slack)
        numbers = st.one_of(
            st.sampled_from(near), anywhere.map(lambda k: k * spec.step).filter(spec.inside)
        )
        if spec.kind == "count":
            values = numbers.flatmap(lambda v: st.sampled_from([int(v), fmt(v)]))
        else:
            values = numbers.flatmap(lambda v: st.sampled_from([fmt(v), float(v)]))
    if spec.policy in ("zero", "exclude"):
        return st.one_of(values, st.sampled_from(MISSING))
    return values


def _beside(mark: Fraction) -> list[Fraction]:
    """Offsets from `mark` that are the same decimal, and one digit different."""
    same, other = same_decimal(mark), resolution(mark)
    return [same, -same, other, -other]


# --- whole cases -------------------------------------------------------------------------


@dataclass
class Case:
    text: str
    rows: list[Row]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    magnitude = draw(st.sampled_from(MAGNITUDES))
    specs = [draw(input_specs(f"x{k}", magnitude)) for k in range(draw(st.integers(1, 4)))]
    draft = Draft(magnitude=magnitude)
    scored: list[Scored] = []
    draft.lines += [let(draw, draft, f"l{k}", specs) for k in range(draw(st.integers(0, 2)))]
    for k in range(draw(st.integers(1, 6))):
        body, maximum = scoring(draw, draft, draw(st.sampled_from(specs)), specs)
        draft.lines.append(f"indicator i{k} = {body}{rounding(draw, maximum)}")
        scored.append((f"i{k}", maximum))
    # Up to two groups over runs of the unclaimed indicators and groups (so they may
    # nest), then `total` over everything still unclaimed.
    free = list(draw(st.permutations(scored)))
    for g in range(draw(st.integers(0, 2))):
        size = draw(st.integers(1, len(free)))
        line, maximum = aggregate(draw, f"g{g}", free[:size], magnitude)
        draft.lines.append(line)
        free = [(f"g{g}", maximum), *free[size:]]
    line, top = aggregate(draw, "total", free, magnitude)
    draft.lines.append(line)
    header = f"ruleset gen {{ scale 0 to {fmt(top)} }}"
    text = "\n".join([header, *draft.params, *(s.text() for s in specs), *draft.lines])
    rows = draw(
        st.lists(
            st.fixed_dictionaries({s.name: region_values(s) for s in specs}),
            min_size=1,
            max_size=12,
        )
    )
    tiers = draw(
        tier_blocks(
            module=parse(text), rows=rows, top=top, specs=specs, flags=draft.flags, unit=magnitude
        )
    )
    return Case(text=f"{text}\n{tiers}", rows=rows)


@st.composite
def tier_blocks(
    draw: st.DrawFn,
    *,
    module: Module,
    rows: list[Row],
    top: Fraction,
    specs: list[InputSpec],
    flags: list[str],
    unit: Fraction,
) -> str:
    """2-4 contiguous tiers ending at `top`, with edges at (or beside) the totals of `rows`."""
    pool: set[Fraction] = set()
    exact: set[Fraction] = set()  # totals that are edges themselves: on the edge
    for row in rows:
        total = oracle_evaluate(module, row).values["total"]
        if total is not None:
            near = to_grid(total)
            step = resolution(near)
            # (not ±2e-10: edges closer than 5e-10 would make an empty tier, see the report)
            offsets = (0, CENT, -CENT, MICRO, -MICRO, NANO, -NANO, step, -step, CENT * unit)
            pool |= {e for o in offsets if fits(e := near + o)}
            exact |= {total} if fits(total) and 0 < total < top else set()
    grain = CENT * unit
    anywhere = st.integers(1, int(top / grain) - 1).map(lambda k: k * grain)  # top >= unit/4
    edge = st.sampled_from(sorted(b for b in pool if 0 < b < top)) | anywhere if pool else anywhere
    if exact:
        edge |= st.sampled_from(sorted(exact))
    count = draw(st.integers(2, 4))
    edges = sorted(draw(st.lists(edge, min_size=count - 1, max_size=count, unique=True)))
    lows = edges if len(edges) == count else [Fraction(0), *edges]
    highs = [*lows[1:], top]
    cuts = [draw(st.sampled_from([(")", "["), ("]", "(")])) for _ in lows[1:]]
    first = draw(st.sampled_from("[(")) if lows[0] > 0 else "["
    for k, (low, high) in enumerate(zip(lows[:-1], highs, strict=False)):
        opened = first if k == 0 else cuts[k - 1][1]
        if opened == "(" and cuts[k][0] == ")" and high - low <= resolution(high):
            # Open at both ends and 10^-9 wide holds no value (IK409): close it above.
            cuts[k] = ("]", "(")
    opens = [first, *(o for _, o in cuts)]
    closes = [*(c for c, _ in cuts), "]"]
    lines = ["tiers on total {"] + ['  below "Di bawah"'] * draw(st.booleans())
    for k, (low, high) in enumerate(zip(lows, highs, strict=True)):
        gates = "".join(gate(draw, specs, flags) for _ in range(draw(st.integers(0, 3)) // 2))
        lines.append(f'  t{k} "T{k}" {opens[k]}{fmt(low)}, {fmt(high)}{closes[k]}{gates}')
    return "\n".join([*lines, "}"])


def gate(draw: st.DrawFn, specs: list[InputSpec], flags: list[str]) -> str:
    if flags and draw(st.integers(0, 3)) == 0:
        return f" requires {draw(st.sampled_from(flags))}"
    spec = draw(st.sampled_from(specs))
    if spec.numeric and draw(st.booleans()):
        threshold = draw(st.sampled_from(sorted(spec.marks | set(spec.window))))
        return f" requires {spec.name} >= {fmt(threshold)}"
    return f' requires {check_on(draw, spec)} "{spec.name}"'


# --- the tests ---------------------------------------------------------------------------


def table(rows: list[Row]) -> dict[str, list[object]]:
    return {name: [row[name] for row in rows] for name in rows[0]}


def same(engine: float, exact: Fraction | None) -> bool:
    if exact is None:
        return math.isnan(engine)
    return abs(engine - float(exact)) <= TOLERANCE * max(1.0, abs(float(exact)))


def shown(value: Fraction) -> str:
    return fmt(value) if places(value) < 99 else f"{value} (~{float(value)!r})"


def tier_edges(module: Module) -> set[Fraction]:
    assert module.tiers is not None
    return {Fraction(t.interval.low.value) for t in module.tiers.tiers
            if isinstance(t.interval.low, Number)}  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(cases())
def test_every_value_and_tier_agree_with_the_oracle(case: Case) -> None:
    note(case.text)
    ruleset = indikator.loads(case.text)
    module = parse(case.text)
    results = ruleset.evaluate_many(table(case.rows))
    for index, row in enumerate(case.rows):
        expected = oracle_evaluate(module, row)
        got = {name: float(results[name][index]) for name in expected.values}
        wrong = {
            name: (got[name], None if value is None else shown(value))
            for name, value in expected.values.items()
            if not same(got[name], value)
        }
        assert not wrong, f"row {index} {row}: (indikator, oracle) {wrong}"
        code = int(results.tier_codes[index])
        assert code == expected.tier_code, (
            f"row {index} {row}: tier {code}, oracle {expected.tier_code}; "
            f"total {got['total']!r} (exact {expected.values['total']})"
        )
        event(f"tier code {code}")
        if expected.values["total"] in tier_edges(module):
            event("total exactly on a tier edge")
        if any(v is None for k, v in expected.values.items() if k.startswith("i")):
            event("an indicator excluded")


@settings(max_examples=100, deadline=None)
@given(cases())
def test_one_region_equals_its_row_in_a_batch(case: Case) -> None:
    note(case.text)
    ruleset = indikator.loads(case.text)
    results = ruleset.evaluate_many(table(case.rows))
    rows = results.to_rows()
    for index, row in enumerate(case.rows):
        single = ruleset.evaluate(row)
        alone = single.to_dict()
        assert alone.pop("region") == "row 1"
        assert rows[index].pop("region") == f"row {index + 1}"
        assert alone == rows[index], (index, row)
        assert single.tier_code == int(results.tier_codes[index])
        assert_same_values(ruleset, row)


def same_float(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


@settings(max_examples=40, deadline=None)
@given(cases(), st.randoms(use_true_random=False))
def test_shuffling_rows_changes_no_region(case: Case, rng: random.Random) -> None:
    note(case.text)
    ruleset = indikator.loads(case.text)
    order = list(range(len(case.rows)))
    rng.shuffle(order)
    results = ruleset.evaluate_many(table(case.rows))
    shuffled = ruleset.evaluate_many(table([case.rows[k] for k in order]))
    for name in results.names:
        for position, k in enumerate(order):
            assert same_float(float(shuffled[name][position]), float(results[name][k])), name
    assert [int(results.tier_codes[k]) for k in order] == shuffled.tier_codes.tolist()
