"""Fewer numpy calls at 10^3 regions (issue 15): each short way gives the long way's bits.

The short ways: a chain of whole-number sums added in one buffer, `if present(x) then a
else b` of constants as one pick, a rounding whose every row has the same tolerance, the
largest magnitude of a number, `all_met` without looking for missing points that the plan
proves there are none of. Each is checked against an independent computation (integers
added exactly, Python's rounding of one number) and against the general path, bit for bit,
on random values and rulesets with edge values (NaN, -0.0, half steps, 1e-6, 1e15).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import indikator
from indikator import evaluate, numeric
from indikator import plan as p
from indikator.numeric import round_one, round_to
from indikator.testing import rulesets, tables_for

# The short ways, and the general paths they stand for, are private: named here once.
Evaluator = evaluate._Evaluator  # noqa: SLF001
prepare, prepare_apply = evaluate._prepare, evaluate._prepare_apply  # noqa: SLF001
one_tolerance, largest = numeric._one_tolerance, numeric._largest  # noqa: SLF001
every_row = evaluate._every_row  # noqa: SLF001

MODES = ("half_up", "half_down", "half_even", "up", "down", "floor", "ceiling")


def bits(values: object) -> bytes:
    return np.asarray(values, dtype=np.float64).tobytes()


@contextmanager
def general_paths(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every short way turned off: what the evaluator did before them."""
    with monkeypatch.context() as patch:
        patch.setattr(
            evaluate,
            "_prepare_whole_sum",
            lambda ir: prepare_apply(ir, tuple(prepare(a) for a in ir.args)),
        )
        patch.setattr(evaluate, "_prepare_if_present", lambda _ir: None)
        patch.setattr(numeric, "_one_tolerance", lambda *_args: None)
        patch.setattr(Evaluator, "may_be_missing", lambda _self, _ir: True)
        yield


# -- a chain of whole-number sums ----------------------------------------------------------

#: A term of a chain, with its value per row worked out by hand from the column `x`.
WHOLE_TERMS: dict[str, tuple[p.IR, Any]] = {
    "1": (p.Const(1.0), lambda _x: 1),
    "-0": (p.Const(-0.0), lambda _x: 0),
    "7": (p.Const(7.0), lambda _x: 7),
    "if present(x) then 0 else 1": (
        p.Apply("if", (p.Apply("present", (p.Load("x"),)), p.Const(0.0), p.Const(1.0))),
        lambda x: 0 if x == x else 1,  # noqa: PLR0124  # NaN: missing
    ),
    "if present(x) then -0 else 3": (
        p.Apply("if", (p.Apply("present", (p.Load("x"),)), p.Const(-0.0), p.Const(3.0))),
        lambda x: 0 if x == x else 3,  # noqa: PLR0124
    ),
    "present(y)": (p.Apply("present", (p.Load("y"),)), None),  # by the column y
    "x >= 50": (
        p.Apply(">=", (p.Load("x"), p.Const(50.0))),
        lambda x: math.nan if x != x else int(x >= 50),  # noqa: PLR0124  # no x near 50
    ),
}


def chain(first: str, links: list[tuple[str, str]]) -> p.IR:
    ir = WHOLE_TERMS[first][0]
    for op, term in links:
        ir = p.Apply(op, (ir, WHOLE_TERMS[term][0]))  # type: ignore[arg-type]  # add, sub
    return ir


def by_hand(first: str, links: list[tuple[str, str]], x: float, y: float) -> float:
    """The chain at one row: integers added exactly, NaN if a term is; zero as +0.0."""

    def value(term: str) -> float:
        return (1 if y == y else 0) if term == "present(y)" else WHOLE_TERMS[term][1](x)  # noqa: PLR0124

    total = value(first)
    for op, term in links:
        total = total + value(term) if op == "add" else total - value(term)
    return float(total) + 0.0


def evaluate_ir(ir: p.IR, env: dict[str, np.ndarray]) -> np.ndarray:
    size = len(next(iter(env.values())))
    evaluator = Evaluator(dict(env), size, [f"r{i}" for i in range(size)])
    return np.broadcast_to(evaluator.expr(ir, "s"), (size,))


TERM_NAMES = st.sampled_from(sorted(WHOLE_TERMS))
X_VALUES = st.sampled_from([0.0, -0.0, 12.5, 80.0, 1e-6, 1e15, math.nan])


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    TERM_NAMES,
    st.lists(st.tuples(st.sampled_from(["add", "sub"]), TERM_NAMES), min_size=1, max_size=8),
    st.lists(st.tuples(X_VALUES, X_VALUES), min_size=1, max_size=6),
)
def test_a_whole_sum_is_its_integers_added(
    monkeypatch: pytest.MonkeyPatch,
    first: str,
    links: list[tuple[str, str]],
    rows: list[tuple[float, float]],
) -> None:
    x = np.array([row[0] for row in rows])
    y = np.array([row[1] for row in rows])
    ir = chain(first, links)
    fused = evaluate_ir(ir, {"x": x, "y": y})
    expected = [by_hand(first, links, a, b) for a, b in zip(x.tolist(), y.tolist(), strict=True)]
    assert bits(np.where(np.isnan(fused), 0.0, fused)) == bits(
        [0.0 if math.isnan(e) else e for e in expected]
    )
    assert np.isnan(fused).tolist() == [math.isnan(e) for e in expected]
    with general_paths(monkeypatch):
        general = evaluate_ir(chain(first, links), {"x": x, "y": y})  # new nodes: prepared anew
    assert bits(fused) == bits(general)


def test_a_whole_sum_leaves_the_environment_alone() -> None:
    # A chain whose first term is an input's own column must not add into that column.
    x = np.array([1.0, np.nan, 3.0])
    ir = p.Apply("add", (p.Apply("present", (p.Load("x"),)), p.Const(1.0)))
    env = {"x": x}
    evaluator = Evaluator(env, 3, ["a", "b", "c"])
    assert evaluator.expr(ir, "s").tolist() == [2.0, 1.0, 2.0]
    assert bits(env["x"]) == bits([1.0, np.nan, 3.0])
    value_or = p.Apply("value_or", (p.Load("z"), p.Const(0.0)))  # the column itself, no NaN
    z = np.array([1.0, 2.0, 3.0])
    evaluator = Evaluator({"z": z}, 3, ["a", "b", "c"])
    assert evaluator.expr(p.Apply("add", (value_or, p.Const(1.0))), "s").tolist() == [2.0, 3.0, 4.0]
    assert z.tolist() == [1.0, 2.0, 3.0]


def test_constants_only_take_the_decimal_path() -> None:
    two = p.Apply("add", (p.Const(1.0), p.Const(1.0)))
    assert float(evaluate_ir(p.Apply("sub", (two, p.Const(3.0))), {"x": np.zeros(2)})[0]) == -1.0


def test_if_present_of_text_picks_as_choose(monkeypatch: pytest.MonkeyPatch) -> None:
    text = np.array(["a", None, "", "b"], dtype=object)
    ir = p.Apply("if", (p.Apply("present", (p.Load("t"),)), p.Const(2.0), p.Const(5.0)))
    fused = evaluate_ir(ir, {"t": text})
    with general_paths(monkeypatch):
        general = evaluate_ir(
            p.Apply("if", (p.Apply("present", (p.Load("t"),)), p.Const(2.0), p.Const(5.0))),
            {"t": text},
        )
    assert bits(fused) == bits(general)
    assert fused.tolist()[:2] == [2.0, 5.0]


def test_a_column_is_every_rows_value_as_it_is() -> None:
    column = np.array([1.0, np.nan, -0.0])
    assert every_row(column, 3) is column  # no broadcast view of a column
    assert every_row(np.float64(2.5), 3).tolist() == [2.5, 2.5, 2.5]
    assert every_row(1.5, 2).tolist() == [1.5, 1.5]


@pytest.mark.parametrize(
    ("op", "args", "expected"),
    [
        # By hand, three-valued: false beats missing in `and`, true beats it in `or`.
        ("and", (p.Const(1.0), p.Load("t")), [1.0, 0.0, math.nan]),
        ("and", (p.Load("t"), p.Const(0.0)), [0.0, 0.0, 0.0]),
        ("or", (p.Const(0.0), p.Load("t")), [1.0, 0.0, math.nan]),
        ("min", (p.Load("t"), p.Const(0.5)), [0.5, 0.0, math.nan]),
        ("if", (p.Load("t"), p.Load("t"), p.Const(7.0)), [1.0, 7.0, math.nan]),
        ("if", (p.Const(1.0), p.Load("t"), p.Const(7.0)), [1.0, 0.0, math.nan]),
    ],
)
def test_folds_and_branches_of_a_column_and_a_number(
    op: str, args: tuple[p.IR, ...], expected: list[float]
) -> None:
    truths = {"t": np.array([1.0, 0.0, np.nan])}
    got = evaluate_ir(p.Apply(op, args), truths).tolist()  # type: ignore[arg-type]  # ops
    assert [math.isnan(v) for v in got] == [math.isnan(v) for v in expected]
    assert [v for v in got if not math.isnan(v)] == [v for v in expected if not math.isnan(v)]
    assert truths["t"][:2].tolist() == [1.0, 0.0]  # the column is left as it was


# -- rounding with one tolerance -----------------------------------------------------------

SMALL = st.one_of(
    st.floats(-1e5, 1e5, allow_nan=False),
    st.integers(-(10**6), 10**6).map(lambda n: n / 8),  # exact halves and quarters
    st.integers(-(10**6), 10**6).map(lambda n: n / 1000 + 0.0005),  # a half at 3 places
    st.sampled_from([0.0, -0.0, 1e-6, -1e-6, 0.125, 2.5, 600.005, 1.005]),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(SMALL, min_size=1, max_size=30),
    st.integers(0, 9),
    st.sampled_from(MODES),
)
def test_one_tolerance_rounds_as_one_number_does(
    monkeypatch: pytest.MonkeyPatch, values: list[float], places: int, mode: str
) -> None:
    column = np.array(values)
    if one_tolerance(column, 10.0**places, 1.0 if places >= 9 else 0.5) is None:
        return  # large at 9 places: the general path, checked below
    rounded = round_to(column, places, mode)
    assert bits(rounded) == bits([round_one(v, places, mode) for v in values])
    with general_paths(monkeypatch):
        assert bits(round_to(column, places, mode)) == bits(rounded)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.integers(-(10**6), 10**6), st.sampled_from([0.0, -7e-10, -3e-10, 3e-10, 7e-10])
        ),
        min_size=1,
        max_size=20,
    ),
    st.integers(0, 4),
    st.sampled_from(MODES),
)
def test_values_by_a_half_step_round_as_one_number_does(
    monkeypatch: pytest.MonkeyPatch, halves: list[tuple[int, float]], places: int, mode: str
) -> None:
    # A half step at `places`, off by less and by more than the tolerance (5e-10): where
    # the snap to the step decides the way the value goes.
    values = [n / (2 * 10**places) + offset for n, offset in halves]
    column = np.array(values)
    rounded = round_to(column, places, mode)
    assert bits(rounded) == bits([round_one(v, places, mode) for v in values])
    with general_paths(monkeypatch):
        assert bits(round_to(column, places, mode)) == bits(rounded)


@pytest.mark.parametrize(
    "values",
    [
        [1.5, np.nan, -2.5],  # a missing value: the general path
        [1e15, 2.5],  # too large for one tolerance
        [4503599627370.4966, 0.5],  # near 2^52 units at 3 places
        [np.inf, 1.0],
    ],
)
def test_where_one_tolerance_is_not_every_rows_the_general_path_rounds(values: list[float]) -> None:
    column = np.array(values)
    assert one_tolerance(column, 1e3, 0.5) is None
    rounded = round_to(column, 3, "half_up")
    assert bits(rounded) == bits([round_one(v, 3, "half_up") for v in values])


def test_one_tolerance_is_the_rows_own() -> None:
    # By hand: at 2 places the absolute tolerance 5e-10·100 (as a float product) beats
    # the relative 1e5·100·5e-16; at 1e7 the relative one is the larger.
    assert one_tolerance(np.array([1e5, -3.0]), 100.0, 0.5) == 5e-10 * 100.0
    assert one_tolerance(np.array([1e7]), 100.0, 0.5) is None  # relative is larger
    assert one_tolerance(np.array([2, 3]), 100.0, 0.5) is None  # not float64


def test_the_largest_magnitude_of_a_number() -> None:
    assert largest(np.float64(-3.5)) == 3.5
    assert math.isnan(largest(np.float64(np.nan)))
    assert largest(np.array([2.0, np.nan, -7.0])) == 7.0
    assert math.isnan(largest(np.array([np.nan, np.nan])))
    assert largest(np.array([], dtype=np.float64)) == 0.0


# -- all_met without missing points --------------------------------------------------------

GATED = """
ruleset gated { scale 0 to 20 }
input a: percent { missing zero }
input b: percent { missing exclude }
indicator sa = bands a { [0, 50) -> 0  [50, 100] -> 10 } met when a >= 50
indicator sb = bands b { [0, 50) -> 0  [50, 100] -> 10 }
group total = sum(sa, sb)
tiers on total {
  below "none"
  top "top" [10, 20] requires all_met(total) "all met"
}
"""


def test_all_met_leaves_out_only_the_excluded() -> None:
    ruleset = indikator.loads(GATED)
    step = {s.name: s for s in ruleset.plan.steps}
    evaluator = Evaluator({}, 0, [])
    evaluator.plan = ruleset.plan
    assert not evaluator.may_be_missing(p.Load("sa"))  # missing zero: scored 0
    assert evaluator.may_be_missing(p.Load("sb"))  # missing exclude: left out
    assert evaluator.may_be_missing(p.Load("a"))  # an input
    assert isinstance(step["sb"], p.IndicatorStep)
    assert step["sb"].exclude_inputs == ("b",)
    # By hand: a missing a scores 0, unmet, so no top tier; a missing b takes no part.
    results = ruleset.evaluate_many({"a": [None, 60.0, 60.0, 40.0], "b": [60.0, None, 40.0, 60.0]})
    assert results.tiers() == ["none", "top", "none", "none"]


# -- random rulesets -----------------------------------------------------------------------


def with_sums(text: str) -> str:
    """`text` with a count of missing inputs and a rounded value of each input as lets."""
    names = sorted(set(__import__("re").findall(r"input (x\d+):", text)))
    count = " + ".join(f"(if present({n}) then 0 else 1)" for n in names)
    rounded = "\n".join(
        f"let r{i} = {n} * 1.5 - 0.25 round half_up {i % 4}" for i, n in enumerate(names)
    )
    return f"{text}let kosong = {count} - 1 + 2\n{rounded}\n"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rulesets(), st.data())
def test_random_rulesets_give_the_general_paths_bits(
    monkeypatch: pytest.MonkeyPatch, text: str, data: st.DataObject
) -> None:
    text = with_sums(text)
    fast = indikator.loads(text)
    table = data.draw(tables_for(fast, max_size=12))
    try:
        fused = fast.evaluate_many(table, keep="all").env
    except indikator.DataError:
        return  # a table the ruleset refuses (missing error): nothing evaluated
    with general_paths(monkeypatch):
        general = indikator.loads(text).evaluate_many(table, keep="all").env
    assert sorted(fused) == sorted(general)
    for name in fused:
        ours, theirs = np.asarray(fused[name]), np.asarray(general[name])
        if ours.dtype == object:
            assert ours.tolist() == theirs.tolist(), name
        else:
            assert ours.dtype == theirs.dtype, name
            assert ours.tobytes() == theirs.tobytes(), name
