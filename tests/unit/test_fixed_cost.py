"""The fixed cost of a call (issue 15): the short ways give what the long ways give.

Each short way (a sum of a column and a number without broadcast copies, the option cells
matched by address, the largest magnitude handed to `resolve`, a validation without the
warning context) is checked against an independent computation: decimals worked out
with `decimal`, one dictionary lookup per cell, the general path bit for bit.
"""

from __future__ import annotations

import decimal
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import indikator
from indikator.cells import parse_options
from indikator.errors import DataError
from indikator.numeric import add, has_nan, resolve, subtract

CHOICES = ("tidak_ada", "ada", "terstandar")
#: `add` and `subtract`, called here with numbers and lists too (the general path).
OPERATIONS: tuple[Callable[..., Any], ...] = (add, subtract)


def bits(values: object) -> bytes:
    return np.asarray(values, dtype=np.float64).tobytes()


def decimals(rng: np.random.Generator, size: int, digits: int, places: int) -> list[str]:
    """Decimals as text: up to `digits` digits before the point and `places` after."""
    whole = rng.integers(-(10**digits), 10**digits, size)
    fraction = rng.integers(0, 10**places, size)
    return [f"{w}.{f:0{places}d}" for w, f in zip(whole.tolist(), fraction.tolist(), strict=True)]


@pytest.mark.parametrize(("digits", "places"), [(3, 9), (5, 4), (9, 5), (12, 2)])
def test_a_column_and_a_number_add_as_their_decimals(digits: int, places: int) -> None:
    # Small operands take the nine-place grid, large ones (10^9, 10^12) the general one.
    rng = np.random.default_rng(15)
    left = decimals(rng, 400, digits, places)
    number = decimals(rng, 1, digits, places)[0]
    column, constant = np.array([float(x) for x in left]), np.float64(float(number))
    exactly = (decimal.Decimal.__add__, decimal.Decimal.__sub__)
    for operate, ufunc in zip(OPERATIONS, exactly, strict=True):
        expected = [float(ufunc(decimal.Decimal(x), decimal.Decimal(number))) for x in left]
        assert operate(column, constant).tolist() == expected
        mirrored = [float(ufunc(decimal.Decimal(number), decimal.Decimal(x))) for x in left]
        assert operate(constant, column).tolist() == mirrored


def test_the_short_way_is_the_general_way_bit_for_bit() -> None:
    # A Python float or an integer column takes the general path (broadcast copies).
    rng = np.random.default_rng(7)
    column = rng.normal(0.0, 1e3, 500).round(6)
    column[[3, 40]] = np.nan
    column[7] = -0.0
    for operate in OPERATIONS:
        assert bits(operate(column, np.float64(0.1))) == bits(operate(column, 0.1))
        assert bits(operate(np.float64(0.1), column)) == bits(operate([0.1], column))
        twin = column[::-1].copy()
        assert bits(operate(column, twin)) == bits(operate(column, twin.tolist()))
        every = np.full(500, np.nan)
        assert bits(operate(column, np.float64(np.nan))) == bits(every)


def test_has_nan() -> None:
    assert not has_nan(np.array([]))
    assert not has_nan(np.array([1.0, np.inf, -np.inf]))
    assert has_nan(np.array([1.0, np.nan]))
    assert has_nan(np.array([[1.0], [np.nan]], dtype=np.float32))


def test_resolve_with_the_largest_given_is_resolve() -> None:
    values = np.array([79.9999999999, 2380000000.000001, 0.1, -0.0, np.nan, 5e5 + 1e-10])
    for part in (values, values[:4], values[2:4], np.array([np.nan, np.nan])):
        largest = float(np.fmax.reduce(np.abs(part)))
        assert bits(resolve(part, largest=largest)) == bits(resolve(part))
    assert resolve(values).tolist()[:4] == [80.0, 2380000000.0, 0.1, 0.0]


def looked_up_one_by_one(cells: list[object]) -> tuple[list[float], list[bool]]:
    codes = {choice: float(code) for code, choice in enumerate(CHOICES)}
    found = [codes.get(cell, np.nan) if isinstance(cell, str) else np.nan for cell in cells]
    empty = [cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells]
    bad = [bool(np.isnan(code)) and not blank for code, blank in zip(found, empty, strict=True)]
    return found, bad


def option_column(cells: list[object]) -> np.ndarray:
    array = np.empty(len(cells), dtype=object)
    array[:] = cells
    return array


def test_option_cells_shared_by_address_read_as_each_looked_up() -> None:
    # Most cells share a few objects (a column built in memory); some are strings of their
    # own (equal text, another address), some wrong or empty, some after the sample.
    rng = np.random.default_rng(3)
    shared = [*CHOICES, "salah", None]
    cells: list[object] = [shared[i] for i in rng.integers(0, len(shared), 1000).tolist()]
    own = [f"ter{'standar'[: 7 - row % 1]}" for row in range(3)]  # built, not interned
    assert all(cell == "terstandar" and cell is not CHOICES[2] for cell in own)
    for row, cell in zip((5, 300, 999), own, strict=True):
        cells[row] = cell
    cells[600], cells[700] = "lain", "  "
    codes, bad = parse_options(option_column(cells), CHOICES)
    expected_codes, expected_bad = looked_up_one_by_one(cells)
    assert bits(codes) == bits(expected_codes)
    assert bad.tolist() == expected_bad
    assert codes[[5, 300, 999]].tolist() == [2.0, 2.0, 2.0]


def test_option_cells_of_many_objects_read_as_each_looked_up() -> None:
    # More than a few objects in the sample: every cell is looked up on its own.
    cells: list[object] = [f"{CHOICES[i % 3]}{'' if i % 2 else ' '}".strip() for i in range(600)]
    cells += [f"x{i}" for i in range(40)]
    cells = cells[::-1]
    codes, bad = parse_options(option_column(cells), CHOICES)
    expected_codes, expected_bad = looked_up_one_by_one(cells)
    assert bits(codes) == bits(expected_codes)
    assert bad.tolist() == expected_bad


COUNTS = """\
ruleset counts {
  scale 0 to 10
}
input n: count { missing zero }
indicator a = bands n { [0, 5) -> 0  [5, inf) -> 10 }
"""


@pytest.mark.parametrize("bad", [np.inf, -np.inf])
def test_an_infinite_count_is_named_without_a_warning(bad: float) -> None:
    ruleset = indikator.loads(COUNTS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DataError) as caught:
            ruleset.evaluate_many({"n": [1.0, bad, 2.5]})
    codes = sorted(problem.code for problem in caught.value.problems)
    assert codes == ["IK503", "IK504"]  # infinite, and 2.5 is not a whole count


def test_a_count_of_whole_numbers_passes_and_a_fraction_is_named() -> None:
    ruleset = indikator.loads(COUNTS)
    results = ruleset.evaluate_many({"n": [1.0, 7.0, np.nan]}, keep="all")
    assert results.env["a"].tolist()[:2] == [0.0, 10.0]
    with pytest.raises(DataError) as caught:
        ruleset.evaluate_many({"n": [1.0, 7.5]})
    assert [problem.code for problem in caught.value.problems] == ["IK504"]


def test_a_zero_divisor_in_no_row_divides_quietly_and_one_is_named() -> None:
    ruleset = indikator.loads(RATIO)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        results = ruleset.evaluate_many({"a": [1.0, np.nan, 3.0], "b": [2.0, 0.0, 4.0]})
        # 1/2 and 3/4 of 10; the missing `a` over 0 is no division by zero: it scores 0.
        assert results.env["r"].tolist() == [5.0, 0.0, 7.5]
        with pytest.raises(DataError) as caught:
            ruleset.evaluate_many({"a": [1.0, 2.0], "b": [2.0, 0.0]})
    assert [problem.code for problem in caught.value.problems] == ["IK508"]


RATIO = """\
ruleset ratio {
  scale 0 to 10
}
input a: number { missing zero }
input b: number
indicator r = clamp(a / b, 0, 1) * 10
"""


IDS = """\
ruleset ids {
  scale 0 to 10
  region kode
}
input kode: text { missing zero }
input n: count { missing zero }
indicator a = bands n { [0, 5) -> 0  [5, inf) -> 10 }
"""


def codes_of(table: dict[str, list[object]]) -> list[str]:
    with pytest.raises(DataError) as caught:
        indikator.loads(IDS).evaluate_many(table)
    return sorted(problem.code for problem in caught.value.problems)


def test_region_ids_asked_their_kinds_once_still_refuse_repeats_and_truths() -> None:
    count: list[object] = [1.0] * 300
    ids: list[object] = [f"32{i:04d}" for i in range(300)]
    assert indikator.loads(IDS).evaluate_many({"kode": ids, "n": count}).total.size == 300
    unsorted = ids[::-1]
    unsorted[7] = ""  # an empty id among plain strings: left to its policy, no repeat
    assert indikator.loads(IDS).evaluate_many({"kode": unsorted, "n": count}).total.size == 300
    repeated = [*ids[:-1], ids[0]]
    assert codes_of({"kode": repeated, "n": count}) == ["IK507"]
    truth = [*ids[:-1], True]
    assert codes_of({"kode": truth, "n": count}) == ["IK503"]
