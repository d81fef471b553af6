"""Decimal comparisons: the one-number `holds` says what the array `compare` says."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from indikator.numeric import HALF_QUANTUM, compare, holds

OPS = ("<", "<=", "==", "!=", ">=", ">")
# Numbers near each other and near the tolerance, where a slip would show. No infinity:
# validation refuses it before anything is compared.
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=False),
    st.sampled_from([0.0, 0.3, 0.1 + 0.2, 1.0, 1.0 + HALF_QUANTUM / 2, 1.0 + 3 * HALF_QUANTUM]),
)


@given(st.sampled_from(OPS), NUMBERS, NUMBERS)
def test_holds_is_compare_true(op: str, left: float, right: float) -> None:
    assert holds(op, left, right) == (compare(op, np.array([left]), right)[0] == 1.0)


@pytest.mark.parametrize(
    ("op", "left", "right", "expected"),
    [
        (">=", 0.1 + 0.2, 0.3, True),  # 0.30000000000000004: the same decimal
        ("<", 0.3, 0.1 + 0.2, False),
        ("==", 1.0, 1.0 + 4e-10, True),  # closer than half of 10^-9
        ("==", 1.0, 1.0 + 6e-10, False),
        ("<", -1e-10, 0.0, False),  # not below a closed lower edge of 0
        ("<", -1e-9, 0.0, True),
        ("<", float("nan"), 1.0, False),  # missing: no truth
        ("!=", float("nan"), 1.0, False),
    ],
)
def test_holds_by_hand(op: str, left: float, right: float, *, expected: bool) -> None:
    assert holds(op, left, right) is expected
