"""Every built-in function and every operation, one region against the vectorised path.

Each ruleset drawn here calls every function of `functions.FUNCTIONS` (arguments drawn
by their kind, so a new function is drawn as soon as it is specified) and uses every
operator, so its plan applies every `Op`; each row must give bit for bit the vectorised
values, and the one-region path may fall back only for invalid input (`Fallback`, where
the vectorised path reports a problem).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from hypothesis import event, given, settings
from hypothesis import strategies as st

import indikator
from indikator import plan as p
from indikator.functions import FUNCTIONS, Arg
from indikator.operations import OPS, Op
from indikator.testing import tables_for
from tests.one_region import assert_same_values

HEAD = """\
ruleset semua { }
input a: number { range -50 to 50  missing zero }
input b: number { range -5 to 5  missing exclude }
input c: count { range 0 to 20  missing zero }
input y: yesno { missing exclude }
input t: text { missing zero }
input o: option("u", "v", "w") { missing zero }
input k: checklist("p", "q") { missing zero }
indicator i1 = bands a { (-inf, 0) -> 0  [0, 20) -> 5  [20, inf) -> 10 }
indicator i2 = linear b from -5 to 5 onto 0 to 20
indicator i3 = options o { "u" -> 0, "v" -> 1, "w" -> 2 }
group g = sum(i1, i2)
"""

#: The operators, as one `let` each (with `if`: a division guarded, as users write it).
OPERATORS = (
    "a + b",
    "a - b * 3",
    "a / 4",
    "if b != 0 then a / b else 0",
    "-a",
    "a < b",
    "a <= b",
    "a == b",
    "a != b",
    "a >= b",
    "a > b",
    "y and a > 0",
    "y or not (b > 1)",
    'o == "v"',
)


def number(draw: st.DrawFn) -> str:
    """A number: an input, a literal or a small call on them (one unit: plain numbers)."""
    simple = st.sampled_from(["a", "b", "-2.5", "0", "7", "1.125", "prev(a)"])
    nested = st.sampled_from(["min", "max", "abs", "value_or"])
    if draw(st.integers(0, 3)) > 0:
        return draw(simple)
    match draw(nested):
        case "abs":
            return f"abs({draw(simple)})"
        case other:
            return f"{other}({draw(simple)}, {draw(simple)})"


ARGUMENTS: dict[Arg, Callable[[st.DrawFn], str]] = {
    Arg.NUMBER: number,
    Arg.VALUE: number,
    Arg.PLACES: lambda draw: str(draw(st.integers(0, 9))),
    Arg.INPUT: lambda draw: draw(st.sampled_from(["a", "b", "c", "y", "t", "o", "k"])),
    Arg.PAST: lambda draw: draw(st.sampled_from(["a", "b", "y", "o"])),
    Arg.CHECKLIST: lambda _: "k",
    Arg.SCORED: lambda draw: draw(st.sampled_from(["i1", "i2", "i3", "g"])),
    Arg.INDICATOR: lambda draw: draw(st.sampled_from(["i1", "i2", "i3"])),
}


@st.composite
def call(draw: st.DrawFn, name: str) -> str:
    """A call of `name` with arguments of the kinds its specification gives."""
    spec = FUNCTIONS[name]
    most = spec.least + 3 if spec.most is None else spec.most
    count = draw(st.integers(spec.least, most))
    return f"{name}({', '.join(ARGUMENTS[spec.kind(i)](draw) for i in range(count))})"


@st.composite
def rulesets(draw: st.DrawFn) -> str:
    lets = [f"let f_{name} = {draw(call(name))}" for name in FUNCTIONS]
    lets += [f"let o{k} = {text}" for k, text in enumerate(OPERATORS)]
    return HEAD + "\n".join(lets) + "\n"


def ops_of(plan: p.Plan) -> set[Op]:
    def walk(ir: p.IR) -> Iterator[Op]:
        if isinstance(ir, p.Apply):
            yield ir.op
            for arg in ir.args:
                yield from walk(arg)

    return {op for step in plan.steps if isinstance(step, p.LetStep) for op in walk(step.expr)}


def test_every_argument_kind_can_be_drawn() -> None:
    assert set(ARGUMENTS) == set(Arg)


@settings(max_examples=200, deadline=None)
@given(rulesets(), st.data())
def test_every_function_and_op_gives_the_vectorised_values_on_one_region(
    text: str, data: st.DataObject
) -> None:
    ruleset = indikator.loads(text)
    assert ops_of(ruleset.plan) == set(OPS)
    table = data.draw(tables_for(ruleset, max_size=3))
    size = len(next(iter(table.values())))
    for index in range(size):
        fast = assert_same_values(ruleset, {k: v[index] for k, v in table.items()})
        event("one-region path" if fast else "fell back (invalid input)")
