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
import pandas as pd
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


# -- odd cells, found by review: missing markers of every kind, huge integers, odd ids ----

ODD = """\
ruleset odd {
  scale 0 to 30
  region kode
}
input kode: text
input p: percent { missing zero }
input yn: yesno { missing zero }
input op: option("a", "b") { missing zero }
indicator ip = linear p from 0 to 100 onto 0 to 10
indicator iy = if yn then 10 else 0
indicator io = options op { "a" -> 0, "b" -> 10 }
group total = sum(ip, iy, io)
"""


@pytest.mark.parametrize(
    "empty",
    [pd.NA, pd.NaT, np.float32("nan"), np.float64("nan")],
    ids=["pd.NA", "pd.NaT", "float32 nan", "float64 nan"],
)
@pytest.mark.parametrize("column", ["p", "yn", "op"])
def test_every_kind_of_missing_marker_is_a_missing_cell(column: str, empty: object) -> None:
    compiled = indikator.loads(ODD)
    row = {"kode": "3201", "p": 50.0, "yn": "ya", "op": "b", column: empty}
    # By hand: 5 + 10 + 10 = 25, less the missing (zero-scored) column's points.
    expected = {"p": 20.0, "yn": 15.0, "op": 15.0}[column]
    batch = compiled.evaluate_many({k: np.array([v], dtype=object) for k, v in row.items()})
    assert batch.total.tolist() == [expected]
    assert compiled.evaluate(row).total == expected


def test_nullable_pandas_columns_with_na_are_missing_cells() -> None:
    compiled = indikator.loads(ODD)
    frame = pd.DataFrame(
        {
            "kode": ["1", "2"],
            "p": pd.array([pd.NA, 50], dtype="Int64"),
            "yn": pd.array([pd.NA, True], dtype="boolean"),
            "op": ["a", None],
        }
    )
    # Row 1: p and yn missing (0) and op "a" (0); row 2: 5 + 10 + 0.
    assert compiled.evaluate_many(frame).total.tolist() == [0.0, 15.0]


def test_an_integer_beyond_floats_is_a_located_data_error() -> None:
    compiled = indikator.loads(ODD)
    table = {"kode": ["1", "2"], "p": [10**400, 1], "yn": [1, 0], "op": ["a", "b"]}
    with pytest.raises(DataError) as caught:
        compiled.evaluate_many(table)
    (problem,) = caught.value.problems
    assert (problem.code, problem.field) == ("IK503", "p")
    assert str(problem.regions[0]).startswith("1 (")
    assert str(problem.regions[0]).endswith("…)")  # 400 digits are cut short


def test_region_ids_compare_as_the_text_they_are_shown_as() -> None:
    compiled = indikator.loads(ODD)
    table = {"kode": [3201, "3201"], "p": [1.0, 2.0], "yn": [1, 0], "op": ["a", "b"]}
    with pytest.raises(DataError, match="IK507"):
        compiled.evaluate_many(table)
    table["kode"] = [["1"], "2"]  # an unhashable cell is shown as text too, not a crash
    assert compiled.evaluate_many(table).regions[0] == "['1']"


def test_blank_region_ids_are_named_by_their_row_and_never_repeat() -> None:
    text = ODD.replace("input kode: text", "input kode: text { missing zero }")
    compiled = indikator.loads(text)
    table = {"kode": [None, "", "3"], "p": [1.0, 2.0, 3.0], "yn": [1, 0, 1], "op": ["a", "b", "a"]}
    results = compiled.evaluate_many(table)
    assert list(results.regions) == ["row 1", "row 2", "3"]
    assert results.region("row 2").index == 1


def test_numpy_text_is_shown_as_text_in_errors() -> None:
    compiled = indikator.loads(ODD)
    table = {"kode": ["1", "2"], "p": [1.0, 2.0], "yn": [1, 0], "op": np.array(["a", "c"])}
    with pytest.raises(DataError) as caught:
        compiled.evaluate_many(table)
    assert [str(r) for r in caught.value.problems[0].regions] == ["2 ('c')"]


RANKED_TEXT = """\
ruleset teks {
  scale 0 to 10
  region kode
}
input kode: text
input prov: text
input x: number { range 0 to 10 }
indicator i_x = x
group total = sum(i_x)
rank r = total desc within prov
"""


@pytest.mark.parametrize("cell", [bytearray(b"P1"), b"P1", ("P1",), ["P1"], {"P1": 1}])
def test_a_text_cell_that_is_no_text_is_refused_with_its_region(cell: Any) -> None:
    """Bytes or a list in a text column: IK503 naming the column and region, not a crash.

    A rank within the column sorted the cells, and a list or bytearray crashed numpy.
    """
    ruleset = indikator.loads(RANKED_TEXT)
    table = {"kode": ["3201", "3202", "3203"], "prov": ["P1", cell, "P2"], "x": [1.0, 2.0, 3.0]}
    with pytest.raises(DataError) as caught:
        ruleset.evaluate_many(table)
    (problem,) = caught.value.problems
    assert (problem.code, problem.field) == ("IK503", "prov")
    assert "3202" in str(caught.value)
    assert "not text or numbers" in str(caught.value)


def test_numbers_in_a_text_column_are_their_text() -> None:
    """The cells a text column may hold besides text: numbers, read as their text."""
    ruleset = indikator.loads(RANKED_TEXT)
    table = {"kode": ["3201", "3202"], "prov": [7, 7.5], "x": [1.0, 2.0]}
    results = ruleset.evaluate_many(table)
    assert list(results["r"]) == [1.0, 1.0]  # two provinces, each region first in its own
