"""The one definition of operations and built-in functions (`indikator.operations`).

Its lists are held equal to the places that repeat them (the type aliases, the message
catalogue), and every operation is run by every evaluator: the vectorised one, the
one-region one (bit for bit the same) and the drawn plan's interval arithmetic (an
interval that holds the value).
"""

from __future__ import annotations

import itertools
import math

import attrs
import pytest

import indikator
from indikator import plan as p
from indikator.data import table_columns, validate
from indikator.drawn import _apply_interval
from indikator.errors import Severity
from indikator.evaluate import run
from indikator.functions import FUNCTIONS, Arg
from indikator.messages import Message
from indikator.operations import OPERATIONS, OPS, Op
from indikator.scalar import compile_plan

NAN = math.nan


def test_every_operation_has_its_rules() -> None:
    assert set(OPERATIONS) == set(OPS)
    for rules in OPERATIONS.values():
        assert rules.least >= 1
        assert rules.most is None or rules.most >= rules.least


#: A ruleset where each argument kind has a right and a wrong example.
KINDS = """\
ruleset t { }
input x: number { missing zero }
input w: text { missing zero }
input k: checklist("p", "q") { missing zero }
indicator i = bands x { (-inf, 0) -> 0  [0, inf) -> 10 }
group g = sum(i)
"""
RIGHT = {
    Arg.NUMBER: "x",
    Arg.VALUE: "x",
    Arg.PLACES: "2",
    Arg.INPUT: "w",
    Arg.PAST: "x",
    Arg.CHECKLIST: "k",
    Arg.SCORED: "g",
    Arg.INDICATOR: "i",
}
WRONG = {  # what each kind refuses, with the code the checker gives
    Arg.NUMBER: ("yes", "IK202"),
    Arg.PLACES: ("1.5", "IK204"),
    Arg.INPUT: ("x + 1", "IK202"),
    Arg.PAST: ("w", "IK202"),
    Arg.CHECKLIST: ("x", "IK202"),
    Arg.SCORED: ("x", "IK206"),
    Arg.INDICATOR: ("g", "IK206"),
}


@pytest.mark.parametrize(
    ("name", "position"),
    [(f, i) for f, spec in FUNCTIONS.items() for i in range(max(spec.least, 1))],
)
def test_the_checker_holds_every_argument_to_its_kind(name: str, position: int) -> None:
    spec = FUNCTIONS[name]
    args = [RIGHT[spec.kind(i)] for i in range(max(spec.least, 1))]
    indikator.loads(f"{KINDS}let l = {name}({', '.join(args)})\n")  # right: it checks
    if spec.kind(position) is Arg.VALUE:
        return  # anything goes
    args[position], code = WRONG[spec.kind(position)]
    with pytest.raises(indikator.RulesetCheckError) as caught:
        indikator.loads(f"{KINDS}let l = {name}({', '.join(args)})\n")
    errors = caught.value.diagnostics
    assert {d.code for d in errors if d.severity is Severity.ERROR} == {code}


@pytest.mark.parametrize("name", list(FUNCTIONS))
@pytest.mark.parametrize("language", ["en", "id"])
def test_each_description_starts_with_the_signature(name: str, language: str) -> None:
    assert Message(f"function.{name}").render(language).startswith(FUNCTIONS[name].signature + ": ")


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_the_checker_takes_the_arity_from_the_specification(name: str) -> None:
    spec = FUNCTIONS[name]
    text = "ruleset t { }\ninput x: number { missing zero }\n"
    args = ", ".join(["x"] * (spec.least - 1))
    with pytest.raises(indikator.RulesetCheckError, match="IK204"):
        indikator.loads(f"{text}let l = {name}({args})\n")


# -- every evaluator runs every operation -------------------------------------------------

TEXT = """\
ruleset t { }
input x: number { missing zero }
input y: number { missing zero }
input z: number { missing zero }
"""
VALUES = (NAN, 0.0, -1.5, 2.25, 1.0, 7.0)
TRUTHS = (NAN, 0.0, 1.0)
TRUTH_ARGS: set[Op] = {"and", "or", "not", "if", "all_met"}


def apply(op: Op) -> p.Apply:
    """`op` on the inputs x, y, z (repeated up to its least number of arguments)."""
    loads = [p.Load(name) for name in ("x", "y", "z")]
    count = 4 if op == "all_met" else max(OPERATIONS[op].least, min(OPERATIONS[op].most or 3, 3))
    args = tuple(itertools.islice(itertools.cycle(loads), count))
    return p.Apply(op, args, places=1, mode="half_up") if op == "round" else p.Apply(op, args)


def rows(op: Op) -> list[dict[str, float]]:
    first = TRUTHS if op in TRUTH_ARGS else VALUES
    rest = VALUES if op == "if" else first
    if op == "all_met":  # (points, met) pairs: x is points, y its met
        rest = TRUTHS
    return [
        {"x": a, "y": b, "z": c}
        for a, b, c in itertools.product(first, rest, rest)
        if not (op == "div" and b == 0.0 and a == a)  # noqa: PLR0124  # IK508
    ]


@pytest.mark.parametrize("op", OPS)
def test_every_evaluator_runs_every_operation_alike(op: Op) -> None:
    ruleset = indikator.loads(TEXT)
    step = p.LetStep(
        name="v", origin=ruleset.plan.inputs[0].origin, label=None, expr=apply(op), rounding=None
    )
    plan = attrs.evolve(ruleset.plan, steps=(step,))
    table = rows(op)
    columns = validate(
        plan, table_columns({k: [r[k] for r in table] for k in "xyz"}), extra="error"
    )
    vectorised = run(plan, columns.arrays, columns.regions)["v"]
    one_region = compile_plan(plan)
    assert one_region is not None
    ir = step.expr
    assert isinstance(ir, p.Apply)
    for index, row in enumerate(table):
        got = one_region(row, strict=True).scalar("v")
        expected = float(vectorised[index])
        assert got == expected or (math.isnan(got) and math.isnan(expected)), (op, row)
        assert math.copysign(1.0, got) == math.copysign(1.0, expected) or math.isnan(got)
        # The drawn plan's interval arithmetic holds the value of the point intervals.
        points = [(row[a.name], row[a.name]) for a in ir.args]  # type: ignore[union-attr]
        low, high = _apply_interval(op, points, ir.places)
        if not math.isnan(expected) and not any(math.isnan(v) for v in row.values()):
            assert low - 1e-9 <= expected <= high + 1e-9, (op, row, low, high)


def test_the_range_of_round_holds_its_rounded_values() -> None:
    # round(x, 1) of x up to 7.46 reaches 7.5: the checker's range (and so the maximum, the
    # default `met` and percent()) must say 7.5, not 7.46 (a score above its own maximum).
    text = """
ruleset r { region kode }
input kode: text
input x: number { range 0 to 7.46 }
indicator s = round(x, 1)
"""
    ruleset = indikator.loads(text)
    assert ruleset.maximum("s") == 7.5
    results = ruleset.evaluate_many({"kode": ["A"], "x": [7.46]})
    assert results["s"].tolist() == [7.5]
    assert results["s.met"].tolist() == [1.0]
