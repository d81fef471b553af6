"""Limits (issue #6): deep nesting, many definitions, long files and lines.

Each limit either works or gives a located error; nothing escapes as a RecursionError.
Timings are in benchmarks/limits.py, not here.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import indikator
from indikator.cli import main
from indikator.diagram import to_dot
from indikator.formatter import format_text
from indikator.nodes import Label
from indikator.plan import LetStep
from indikator.syntax import MAX_NESTING

HEADER = "ruleset t { scale 0 to 10 }\ninput x: number { range 0 to 100 }\n"
SCORE = 'indicator s = bands x { [0, 100] -> 10 }\ntiers on s { a "A" [0, 10] }\n'


def _ruleset(expr: str) -> str:
    return f"{HEADER}let y = {expr}\n{SCORE}"


# Expressions `levels` deep (operators, `if`, calls and parentheses each count one level).
def _chain(levels: int) -> str:
    return " + ".join(["x"] * (levels + 1))


def _parens(levels: int) -> str:
    return "(" * levels + "x" + ")" * levels


def _negations(levels: int) -> str:
    return "-" * levels + "x"


def _ifs(levels: int) -> str:  # the innermost condition, x > 1, is one more level
    return "if x > 1 then " * (levels - 1) + "x" + " else 0" * (levels - 1)


def _calls(levels: int) -> str:
    return "abs(" * levels + "x" + ")" * levels


SHAPES: dict[str, tuple[Callable[[int], str], Callable[[int], float]]] = {
    # shape: (expression, its value at x = 3 at MAX_NESTING levels)
    "chain": (_chain, lambda levels: 3.0 * (levels + 1)),
    "parens": (_parens, lambda _: 3.0),
    "negations": (_negations, lambda levels: 3.0 if levels % 2 == 0 else -3.0),
    "ifs": (_ifs, lambda _: 3.0),
    "calls": (_calls, lambda _: 3.0),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_nesting_at_the_limit_works_everywhere(shape: str) -> None:
    build, value = SHAPES[shape]
    text = _ruleset(build(MAX_NESTING))
    ruleset = indikator.loads(text)
    result = ruleset.evaluate({"x": 3})
    assert result["y"] == value(MAX_NESTING)
    assert result.explain().to_text()
    copy = pickle.loads(pickle.dumps(ruleset))  # noqa: S301  # our own object
    assert copy.evaluate({"x": 3})["y"] == value(MAX_NESTING)
    assert f"let y = {build(MAX_NESTING)}\n" in format_text(text)
    assert "y -> s" not in to_dot(ruleset)  # the graph is drawn: y is read by nothing


@pytest.mark.parametrize("levels", [MAX_NESTING + 1, 10_000])
@pytest.mark.parametrize("shape", SHAPES)
def test_deeper_nesting_is_a_located_ik005(shape: str, levels: int) -> None:
    text = _ruleset(SHAPES[shape][0](levels))
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads(text, file="deep.ikr")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "IK005"
    assert diagnostic.span is not None
    assert (diagnostic.span.file, diagnostic.span.line) == ("deep.ikr", 3)
    assert diagnostic.span.column >= len("let y = ") + 1


def test_ik005_points_at_the_start_of_a_long_chain() -> None:
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads(_ruleset(_chain(10_000)), file="deep.ikr")
    assert str(caught.value.diagnostics[0].span) == "deep.ikr:3:9"


@pytest.mark.parametrize("command", ["check", "fmt", "graph"])
def test_the_cli_reports_deep_nesting_with_its_place(tmp_path: Path, command: str) -> None:
    path = tmp_path / "deep.ikr"
    path.write_text(_ruleset(_chain(10_000)), encoding="utf-8")
    result = CliRunner().invoke(main, [command, str(path)])
    assert result.exit_code == 1
    assert f"{path}:3:9: error[IK005]" in result.output
    assert "Traceback" not in result.output


def test_a_hundred_term_formula_is_far_from_the_limit() -> None:
    assert MAX_NESTING >= 2 * 100


def _many(definitions: int) -> str:
    """`definitions` definitions: half inputs, half indicators, in groups of 100."""
    half = definitions // 2
    lines = [HEADER.splitlines()[0]]
    for i in range(half):
        lines.append(f'input i{i} "Masukan {i}": percent')
        lines.append(f"indicator s{i} = bands i{i} {{ [0, 50) -> 0  [50, 100] -> 10 }}")
    groups = [f"g{g}" for g in range(0, half, 100)]
    lines.extend(
        f"group g{g} = sum({', '.join(f's{i}' for i in range(g, min(half, g + 100)))})"
        for g in range(0, half, 100)
    )
    lines.append(f"group total = mean({', '.join(groups)}) max 10")
    lines.append('tiers on total { low "Rendah" [0, 5)  high "Tinggi" [5, 10] }')
    return "\n".join(lines) + "\n"


def test_thousands_of_definitions_compile_and_evaluate() -> None:
    # 4000 keeps CI quick; benchmarks/limits.py compiles 100,000 and shows the scaling.
    ruleset = indikator.loads(_many(4_000))
    assert len(ruleset.inputs) == 2_000
    region = {f"i{i}": 50 if i % 2 else 10 for i in range(2_000)}
    result = ruleset.evaluate(region)
    # every group of 100 has 50 indicators at 10 points: 500 of 1000, so the mean is 5
    assert result["total"] == 5.0
    assert result.tier() == "Tinggi"


def test_unknown_names_among_many_get_a_bounded_number_of_hints() -> None:
    typos = "\n".join(f"let t{k} = s{k}x" for k in range(30))
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads(_many(400) + typos)
    hints = [d.hint for d in caught.value.diagnostics if d.code == "IK201"]
    assert len(hints) == 30
    assert str(hints[0]) == "did you mean 's0'?"
    assert hints[-1] is None  # past the first 20 unknown names, no fuzzy search


def test_a_hundred_thousand_lines_and_a_megabyte_label() -> None:
    label = "kata " * 200_000  # a 1 MB line
    comments = "# catatan\n" * 100_000
    text = f'{HEADER}{comments}let y "{label}" = x + 1\n{SCORE}'
    ruleset = indikator.loads(text)
    assert ruleset.evaluate({"x": 3})["y"] == 4.0
    (step,) = [s for s in ruleset.plan.steps if s.name == "y"]
    assert isinstance(step, LetStep)
    assert step.label == Label(id=label)
