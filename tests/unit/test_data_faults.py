"""Data faults (issue #6): each gets its declared behaviour or a clear `DataError`.

Every fault is tried through both doors, `evaluate_many` (a table) and `evaluate` (one
region, which runs the compiled fast path and falls back to the table path on bad input),
and the error must name the field and the region. Expected numbers are worked by hand
from the ruleset below.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import indikator
from indikator.errors import DataError

# a: cakupan 0..100 % → 0..40 points, empty = 0 points (missing zero)
# b: capaian 0..100 % → 0..30 points, empty = left out, the rest scaled to 100 (exclude)
# c: wajib   0..100 % → 0..30 points, empty = an error (the default policy)
RULES = """\
ruleset faults {
  scale 0 to 100
  region kode
}
input kode: text
input cakupan: percent { missing zero }
input capaian: percent { missing exclude }
input wajib: percent
indicator a = linear cakupan from 0 to 100 onto 0 to 40
indicator b = linear capaian from 0 to 100 onto 0 to 30
indicator c = linear wajib from 0 to 100 onto 0 to 30
group total = sum(a, b, c)
"""

GOOD = {"kode": "3201", "cakupan": 50.0, "capaian": 60.0, "wajib": 80.0}


@pytest.fixture(scope="module")
def ruleset() -> indikator.Ruleset:
    return indikator.loads(RULES)


def both_doors(ruleset: indikator.Ruleset, row: dict[str, Any]) -> list[DataError]:
    """The error of `evaluate` and of `evaluate_many` on the same one-row table."""
    errors = []
    for run in (ruleset.evaluate, lambda r: ruleset.evaluate_many({k: [v] for k, v in r.items()})):
        with pytest.raises(DataError) as caught:
            run(row)
        errors.append(caught.value)
    assert str(errors[0]) == str(errors[1])
    return errors


def test_a_clean_region_scores_as_worked_by_hand(ruleset: indikator.Ruleset) -> None:
    # a = 50 % of 40 = 20, b = 60 % of 30 = 18, c = 80 % of 30 = 24: total 62.
    assert ruleset.evaluate(GOOD).total == 62.0
    assert ruleset.evaluate_many({k: [v] for k, v in GOOD.items()}).total.tolist() == [62.0]


@pytest.mark.parametrize("empty", [None, math.nan, ""])
def test_an_empty_cell_follows_its_policy(ruleset: indikator.Ruleset, empty: object) -> None:
    # zero: a = 0, so 0 + 18 + 24 = 42.
    assert ruleset.evaluate({**GOOD, "cakupan": empty}).total == 42.0
    # exclude: b is left out; 20 + 24 = 44 of the 70 points left, scaled to 100.
    alone = ruleset.evaluate({**GOOD, "capaian": empty})
    assert alone["b"] is None
    assert alone.total == pytest.approx(44 / 70 * 100, abs=1e-9)
    # error: refused, naming the field and the region.
    (error, _) = both_doors(ruleset, {**GOOD, "wajib": empty})
    (problem,) = error.problems
    assert (problem.code, problem.field) == ("IK505", "wajib")
    assert [str(r) for r in problem.regions] == ["3201"]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (math.inf, "IK503"),
        (-math.inf, "IK503"),
        ("abc", "IK503"),
        ("92,4", "IK503"),  # a decimal comma is text, not silently 92.4 or 924
        (True, "IK503"),  # a yes/no in a number column, not silently 1.0
        (-0.5, "IK504"),  # a negative percentage
        (100.01, "IK504"),  # over 100 %
    ],
)
def test_a_bad_number_is_refused_with_field_and_region(
    ruleset: indikator.Ruleset, value: object, code: str
) -> None:
    for error in both_doors(ruleset, {**GOOD, "cakupan": value}):
        (problem,) = error.problems
        assert (problem.code, problem.field) == (code, "cakupan")
        assert str(problem.regions[0]).startswith("3201")


def test_an_empty_table_is_refused(ruleset: indikator.Ruleset) -> None:
    with pytest.raises(DataError, match="IK511"):
        ruleset.evaluate_many({k: [] for k in GOOD})


def test_repeated_region_codes_are_refused_naming_both_rows(ruleset: indikator.Ruleset) -> None:
    table = {k: [v, v, v] for k, v in GOOD.items()}
    table["kode"] = ["3201", "3202", "3201"]
    with pytest.raises(DataError) as caught:
        ruleset.evaluate_many(table)
    (problem,) = caught.value.problems
    assert problem.code == "IK507"
    assert [str(r) for r in problem.regions] == ["3201 (rows 1 and 3)"]


def test_a_million_regions_with_five_percent_missing_lose_nothing(
    ruleset: indikator.Ruleset,
) -> None:
    size = 1_000_000
    rng = np.random.default_rng(6)
    cakupan = rng.uniform(0, 100, size).round(2)
    capaian = rng.uniform(0, 100, size).round(2)
    wajib = rng.uniform(0, 100, size).round(2)
    cakupan[rng.random(size) < 0.05] = np.nan
    capaian[rng.random(size) < 0.05] = np.nan
    kode = np.array([f"R{i:07d}" for i in range(size)], dtype=object)
    results = ruleset.evaluate_many(
        {"kode": kode, "cakupan": cakupan, "capaian": capaian, "wajib": wajib}
    )
    # The policies written out by hand in numpy.
    a = np.where(np.isnan(cakupan), 0.0, cakupan * 0.4)
    c = wajib * 0.3
    excluded = np.isnan(capaian)
    expected = np.where(excluded, (a + c) / 70 * 100, a + capaian * 0.3 + c)
    assert len(results) == size
    assert results.regions[size - 1] == f"R{size - 1:07d}"
    assert 0.04 < excluded.mean() < 0.06
    assert np.isnan(results["b"]).sum() == excluded.sum()
    assert not np.isnan(results.total).any()
    np.testing.assert_allclose(results.total, expected, rtol=0, atol=1e-9)
