"""Data checks whose fast paths must still give the careful answer on awkward cells."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import indikator
from indikator import cells

IDS = (
    "ruleset r { scale 0 to 100 region kode }\ninput kode: text\n"
    "input nilai: percent { missing zero }\nindicator total = nilai\n"
)
OPTION = (
    'ruleset r { scale 0 to 100 }\ninput perda: option("belum", "perda") { missing zero }\n'
    'indicator i = options perda { "belum" -> 0 "perda" -> 100 }\n'
)
YESNO = (
    "ruleset r { scale 0 to 10 }\ninput ok: yesno { missing zero }\n"
    "indicator i = if ok then 10 else 0\n"
)


def test_ids_with_equal_hashes_are_not_repeats() -> None:
    # In CPython hash(-1) == hash(-2) == -2: equal hashes that are different ids.
    assert hash(-1) == hash(-2)
    kode = np.array([-1, -2, 3], dtype=object)
    results = indikator.loads(IDS).evaluate_many({"kode": kode, "nilai": [10.0, 20.0, 30.0]})
    assert list(results.regions) == ["-1", "-2", "3"]


def test_a_repeated_id_is_named_with_both_rows() -> None:
    kode = np.array(["a", "b", "c", "b"], dtype=object)
    with pytest.raises(indikator.DataError) as caught:
        indikator.loads(IDS).evaluate_many({"kode": kode, "nilai": [1.0, 2.0, 3.0, 4.0]})
    (problem,) = caught.value.problems
    assert problem.code == "IK507"
    assert [str(r) for r in problem.regions] == ["b (rows 2 and 4)"]


def test_a_missing_id_is_refused_once() -> None:
    kode = np.array(["a", None, "c"], dtype=object)
    with pytest.raises(indikator.DataError) as caught:
        indikator.loads(IDS).evaluate_many({"kode": kode, "nilai": [1.0, 2.0, 3.0]})
    assert [p.code for p in caught.value.problems] == ["IK505"]
    assert caught.value.problems[0].count == 1


def test_an_unhashable_option_cell_is_named() -> None:
    perda = np.array(["perda", None, "belum", None], dtype=object)
    perda[3] = ["perda"]  # a list cannot be looked up in a dictionary
    with pytest.raises(indikator.DataError) as caught:
        indikator.loads(OPTION).evaluate_many({"perda": perda})
    (problem,) = caught.value.problems
    assert problem.code == "IK506"
    assert problem.count == 1
    assert [str(r) for r in problem.regions] == ["row 4 (['perda'])"]


def test_option_cells_are_coded_in_declared_order() -> None:
    perda = np.array(["perda", None, "belum", ""], dtype=object)
    totals = indikator.loads(OPTION).evaluate_many({"perda": perda}).total.tolist()
    assert totals == [100.0, 0.0, 0.0, 0.0]  # None and "" are empty: missing zero


def test_zero_one_and_empty_are_yes_or_no() -> None:
    ok = np.array([1.0, np.nan, 0.0, -0.0])
    totals = indikator.loads(YESNO).evaluate_many({"ok": ok}).total.tolist()
    assert totals == [10.0, 0.0, 0.0, 0.0]


def test_yes_no_cells_of_every_kind() -> None:
    ok = np.array([True, 1, "1", "Ya", " tidak ", "no", np.float64(0.0), None, ""], dtype=object)
    totals = indikator.loads(YESNO).evaluate_many({"ok": ok}).total.tolist()
    assert totals == [10.0, 10.0, 10.0, 10.0, 0.0, 0.0, 0.0, 0.0, 0.0]


def _column_with(bad: object, *, objects: bool) -> np.ndarray:
    """Four yes/no cells, the fourth replaced by `bad`."""
    if not objects:
        return np.array([1.0, np.nan, 0.0, bad, -0.0])
    column = np.array(["ya", None, "tidak", None], dtype=object)
    column[3] = bad  # element by element: a list stays one cell
    return column


@pytest.mark.parametrize(
    ("bad", "objects"),
    [
        (0.5, False),
        (2.0, False),
        (-1.0, False),
        (float("inf"), False),
        ("maybe", True),
        (2, True),
        (["ya"], True),  # cannot be looked up in a dictionary
    ],
)
def test_a_cell_that_is_not_yes_or_no_is_named(bad: object, *, objects: bool) -> None:
    with pytest.raises(indikator.DataError) as caught:
        indikator.loads(YESNO).evaluate_many({"ok": _column_with(bad, objects=objects)})
    (problem,) = caught.value.problems
    assert problem.code == "IK503"
    assert problem.count == 1
    assert str(problem.regions[0]).startswith("row 4")


# -- cells shared by a column: matched by address, then the rest one by one ---------------------

CHOICES = ("belum", "proses", "ada")


def _own(text: str) -> str:
    """An equal string that is a new object (not the interned literal)."""
    return "".join([*text])


def _expected_codes(cells: list[object]) -> list[float]:
    """The oracle: each cell's position among the choices, by equality, else NaN."""
    codes = []
    for cell in cells:
        matched = isinstance(cell, str) and cell in CHOICES
        codes.append(float(CHOICES.index(cell)) if matched else np.nan)
    return codes


def _codes(column: np.ndarray) -> tuple[list[float], list[int]]:
    values, bad = cells.parse_options(column, CHOICES)
    return values.tolist(), np.flatnonzero(bad).tolist()


def test_shared_option_objects_and_the_cells_after_them() -> None:
    # 300 shared cells (more than the sample), then cells of their own, empty and wrong ones.
    shared = np.asarray(CHOICES, dtype=object)[np.arange(300) % 3].tolist()
    tail = [_own("ada"), None, "", _own("proses"), "lengkap", 7, _own("belum")]
    column = np.array(shared + tail, dtype=object)
    assert column[303] is not column[2]  # equal text, another object
    values, bad = _codes(column)
    np.testing.assert_array_equal(values, _expected_codes(shared + tail))
    assert bad == [304, 305]  # "lengkap" and 7; None and "" are empty, not wrong


def test_shared_option_objects_in_a_strided_column() -> None:
    table = np.empty((400, 2), dtype=object)
    table[:, 0] = np.asarray(CHOICES, dtype=object)[np.arange(400) % 3]
    table[:, 1] = "lengkap"
    column = table[:, 0]  # a view whose cells are not next to each other
    assert not column.flags.c_contiguous
    values, bad = _codes(column)
    np.testing.assert_array_equal(values, [float(i % 3) for i in range(400)])
    assert bad == []


def test_an_unhashable_cell_after_shared_objects_is_named() -> None:
    column = np.asarray(CHOICES, dtype=object)[np.arange(500) % 3]
    column[450] = ["ada"]
    values, bad = _codes(column)
    assert bad == [450]
    assert values[449] == float(449 % 3)


_SHARED = st.sampled_from([*CHOICES, None, "", "lengkap"])  # the same objects, over and over
_ANY_CELL = st.one_of(_SHARED, st.sampled_from(CHOICES).map(_own), st.text(max_size=3))


@given(
    st.builds(
        lambda head, tail: head + tail,
        st.lists(_SHARED, min_size=256, max_size=300),  # the sample: a few shared objects
        st.lists(_ANY_CELL, max_size=300),
    )
)
def test_option_codes_match_a_lookup_cell_by_cell(column: list[object]) -> None:
    values, bad = _codes(np.array(column, dtype=object))
    np.testing.assert_array_equal(values, _expected_codes(column))
    blank = [c is None or (isinstance(c, str) and not c.strip()) for c in column]
    unmatched = np.isnan(_expected_codes(column))
    assert bad == [i for i, cell_blank in enumerate(blank) if unmatched[i] and not cell_blank]


@pytest.mark.parametrize(
    "kode",
    [
        ["3201", "3202", "3202", "3204"],  # sorted, with a repeat
        ["3201", "3202", 3202, "3204"],  # the same id as text and as a number
        ["3204", "3202", "3201", "3202"],  # not sorted
        ["3201", "3202", np.str_("3202\0"), "3204"],  # increasing, but shown alike
    ],
)
def test_repeated_ids_are_found_in_sorted_and_unsorted_columns(kode: list[object]) -> None:
    with pytest.raises(indikator.DataError) as caught:
        indikator.loads(IDS).evaluate_many(
            {"kode": np.array(kode, dtype=object), "nilai": [1.0, 2.0, 3.0, 4.0]}
        )
    (problem,) = caught.value.problems
    assert problem.code == "IK507"
    assert problem.count == 1


def test_sorted_distinct_ids_are_accepted() -> None:
    kode = np.array([f"32{i:02d}" for i in range(100)], dtype=object)
    results = indikator.loads(IDS).evaluate_many({"kode": kode, "nilai": np.arange(100.0)})
    assert results.regions[99] == "3299"
