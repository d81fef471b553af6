"""Expressions whose every value is a small whole number, known from their shape alone.

A sum of such values is exact in float64 and already on every decimal grid, so the
evaluator adds them without the grid work of `numeric.add` (a count of missing inputs,
`(if present(x) then 0 else 1) + ...`, is one such sum per input). Decided from the
expression, never from the data: inputs are left out, because a probe or a drawn plan may
hand the evaluator any float in any column.
"""

from __future__ import annotations

import math
from collections.abc import MutableMapping

import numpy as np

from indikator import plan as p

__all__ = ["EXACT_SUMS", "bound", "memo_of"]

#: Whole operands whose magnitudes add up to at most this: their sum or difference is exact
#: in float64 and, scaled by 10^9 (the finest grid), stays below 2^53, so the grid of
#: `numeric.add` gives it back unchanged (but for -0.0, which becomes 0.0).
EXACT_SUMS = 2.0**22

#: Operations whose result is a truth: 0, 1 or missing.
_TRUTHS = frozenset({"<", "<=", "==", "!=", ">=", ">", "present", "all_met"})
#: Operations whose result is one of their arguments' values (or a truth, for `or`).
_PICKS = frozenset({"if", "min", "max", "clamp", "value_or", "and", "or"})

Memo = MutableMapping[int, float | None]


@p.per_plan
def memo_of(plan: p.Plan) -> Memo:  # noqa: ARG001  # a fresh memo per plan
    """The memo of `bound` for the nodes of `plan`, kept while the plan lives.

    Worked out once per plan, not once per evaluation: the fixed cost of a call counts at
    a thousand regions. The node identities it holds are the plan's own nodes, which live
    as long as the plan does; the memo goes with the plan.
    """
    return {}


def bound(ir: p.IR, memo: Memo) -> float | None:
    """The largest magnitude among `ir`'s values when all are whole (or missing), else None.

    None also when that magnitude could pass `EXACT_SUMS`. `memo` (by node identity, for
    one plan) keeps a chain of sums from being walked again at each of its links.

    Examples:
        >>> one, present = p.Const(1.0), p.Apply("present", (p.Load("x"),))
        >>> bound(p.Apply("add", (p.Apply("if", (present, p.Const(0.0), one)), one)), {})
        2.0
        >>> bound(p.Apply("add", (p.Load("x"), one)), {}) is None  # an input: any float
        True
    """
    key = id(ir)
    if key not in memo:
        memo[key] = _bound(ir, memo)
    return memo[key]


def _bound(ir: p.IR, memo: Memo) -> float | None:
    match ir:
        case p.Const(value=value):
            whole = np.ndim(value) == 0 and math.isfinite(value) and float(value).is_integer()
            return _within(abs(float(value))) if whole else None
        case p.Load():
            return None
        case p.Apply(op=op, args=args):
            if op in _TRUTHS:
                return 1.0
            bounds = [bound(arg, memo) for arg in (args[1:] if op == "if" else args)]
            if None in bounds:
                return None
            known = [b for b in bounds if b is not None]
            return _combined(op, known)


def _combined(op: str, bounds: list[float]) -> float | None:
    """The bound of `op` on arguments with these bounds, for the operations that keep whole."""
    if op in _PICKS:
        return max([*bounds, 1.0]) if op == "or" else max(bounds)
    if op in ("add", "sub", "sum"):
        return _within(math.fsum(bounds))
    if op == "mul":
        return _within(math.prod(bounds))
    if op in ("neg", "abs"):
        return bounds[0]
    if op == "not":
        return _within(bounds[0] + 1.0)
    return None  # division, rounding: not whole in general


def _within(magnitude: float) -> float | None:
    return magnitude if magnitude <= EXACT_SUMS else None
