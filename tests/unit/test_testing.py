"""indikator.testing catches broken rules and explains the counter-example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings

import indikator
from indikator.cases import run_file
from indikator.testing import (
    assert_monotone,
    assert_total_in_scale,
    inputs_for,
    tables_for,
    values_for,
)

BROKEN = """
ruleset rusak { scale 0 to 10 }
input akta "Akta kelahiran": percent { better higher missing zero }
# Deliberately broken: the bands reward fewer birth certificates.
indicator s = bands akta { [0, 50) -> 10  [50, 100] -> 0 }
"""


def test_monotonicity_helper_catches_an_inverted_band() -> None:
    ruleset = indikator.loads(BROKEN)

    @settings(max_examples=200, database=None)
    @given(inputs_for(ruleset))
    def check(region: dict[str, object]) -> None:
        assert_monotone(ruleset, region)

    with pytest.raises(AssertionError) as caught:
        check()
    message = str(caught.value)
    assert "improving 'akta'" in message
    assert "band [0, 50) -> 10" in message  # the explanation of the better-off region


def test_scale_helper_accepts_a_total_at_the_top_of_the_scale() -> None:
    # The checker proves a formula's maximum (100 / 10 = 10, the scale's end), so a region
    # at the top must pass; a total outside the scale cannot be built past the checker.
    ruleset = indikator.loads(
        "ruleset r { scale 0 to 10 }\ninput x: percent { missing zero }\nindicator s = x / 10\n"
    )
    assert_total_in_scale(ruleset, {"x": 100})


def test_inputs_respect_types_ranges_and_policies() -> None:
    ruleset = indikator.loads(
        "ruleset r { scale 0 to 30 }\n"
        "input a: number { range 5 to 7 missing error }\n"
        'input o: option("x", "y") { missing zero }\n'
        'input c: checklist("p", "q") { missing zero }\n'
        "indicator s = linear a from 5 to 7 onto 0 to 10\n"
        'indicator t = options o { "x" -> 0, "y" -> 10 }\n'
        "indicator u = count(c) * 5\n"
        "group total = sum(s, t, u)\n"
    )

    @settings(max_examples=50, database=None)
    @given(inputs_for(ruleset))
    def check(region: dict[str, object]) -> None:
        assert region["a"] is not None  # policy error: never drawn missing
        assert 5 <= region["a"] <= 7  # type: ignore[operator]  # a number here
        assert region["o"] in (None, "x", "y")
        assert set(region) == {"a", "o", "c.p", "c.q"}
        ruleset.evaluate(region)

    check()


def test_tables_have_distinct_region_ids() -> None:
    ruleset = indikator.loads(
        "ruleset r { scale 0 to 10 region kode }\ninput kode: text\n"
        "input x: percent { missing zero }\nindicator s = x / 10\n"
    )

    @settings(max_examples=20, database=None)
    @given(tables_for(ruleset, min_size=2, max_size=5))
    def check(table: dict[str, list[object]]) -> None:
        assert len(set(table["kode"])) == len(table["kode"])
        ruleset.evaluate_many(table)

    check()


def test_strategies_refuse_text() -> None:
    with pytest.raises(TypeError, match=r"compiled Ruleset \(from indikator.load"):
        inputs_for("ruleset r { }")  # type: ignore[arg-type]  # the mistake under test
    with pytest.raises(ValueError, match="min_size"):
        tables_for(indikator.loads(BROKEN), min_size=0)


def test_import_indikator_does_not_import_hypothesis() -> None:
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    code = "import sys, indikator; print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.strip() == "False"


def test_the_testing_guide_case_file_passes(tmp_path: Path) -> None:
    """docs/testing.md shows a ruleset and its case file: they must agree."""
    guide = (Path(__file__).parents[2] / "docs" / "testing.md").read_text(encoding="utf-8")
    ruleset = re.search(r"```ikr\n(.*?)```", guide, re.DOTALL)
    cases = re.search(r"```toml\n(.*?)```", guide, re.DOTALL)
    assert ruleset
    assert cases
    (tmp_path / "kks_mini.ikr").write_text(ruleset.group(1), encoding="utf-8")
    (tmp_path / "kks_mini.cases.toml").write_text(cases.group(1), encoding="utf-8")
    outcomes = run_file(tmp_path / "kks_mini.cases.toml")
    assert [o.failures for o in outcomes] == [(), (), (), ()]


def test_the_testing_guide_broken_rule_is_caught() -> None:
    guide = (Path(__file__).parents[2] / "docs" / "testing.md").read_text(encoding="utf-8")
    broken = re.findall(r"```ikr\n(.*?)```", guide, re.DOTALL)[1]
    ruleset = indikator.loads(broken)
    with pytest.raises(AssertionError, match=r"improving 'pasar' from 49.99 to 50.99 lowered"):
        assert_monotone(ruleset, {"jamban": 0.0, "pasar": 49.99})


def test_values_for_one_input() -> None:
    ruleset = indikator.loads(BROKEN)

    @settings(max_examples=30, database=None)
    @given(values_for(ruleset, "akta"))
    def check(value: float | None) -> None:
        assert value is None or 0 <= value <= 100

    check()
    with pytest.raises(ValueError, match="no input named 'atka'; the inputs are: akta"):
        values_for(ruleset, "atka")
