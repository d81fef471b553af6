"""A check shared by the property tests: one region's fast path against the vectorised one."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pytest

import indikator
from indikator.errors import DataError
from indikator.scalar import Fallback, compile_plan

__all__ = ["assert_same_values"]


def same_value(a: Any, b: Any) -> bool:
    """Identical floats (NaN equals NaN; 0.0 and -0.0 differ), or equal objects."""
    if isinstance(a, float) and isinstance(b, float):
        same_sign = math.copysign(1.0, a) == math.copysign(1.0, b)
        return (a == b and same_sign) or (math.isnan(a) and math.isnan(b))
    return bool(a == b)


def assert_same_values(ruleset: indikator.Ruleset, row: Mapping[str, Any]) -> bool:
    """Every value of `row` from `scalar` equals the vectorised one, bit for bit.

    Falling back is allowed only with `Fallback` (invalid input), and only where the
    vectorised path reports a problem; any other exception fails. Returns whether the
    fast path took the row.
    """
    one_region = compile_plan(ruleset.plan)
    assert one_region is not None
    table = {k: [v] for k, v in row.items()}
    try:
        strict = one_region(row, strict=True)
    except Fallback:
        with pytest.raises(DataError):  # e.g. a column the ruleset does not know
            ruleset.evaluate_many(table)
    else:
        loose = one_region(row, strict=False).scalars
        assert all(same_value(a, b) for a, b in zip(strict.scalars, loose, strict=True))
    try:
        fast = one_region(row, strict=False)
    except Fallback:
        with pytest.raises(DataError):
            ruleset.evaluate_many(table, extra="ignore")
        return False
    env = ruleset.evaluate_many(table, extra="ignore").env
    assert set(fast) == set(env)
    for name, array in env.items():
        expected = np.asarray(array)[0]
        got = fast.scalar(name)
        assert same_value(got, expected.item() if hasattr(expected, "item") else expected), (
            name,
            got,
            expected,
            dict(row),
        )
        assert fast[name].dtype.kind == np.asarray(array).dtype.kind, name
    return True
