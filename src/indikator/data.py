"""Input data: read a table, check it against the declared inputs, build float columns.

Input: a mapping of column → values, a pandas DataFrame or a pyarrow Table. Output:
`Columns` (float64 arrays, NaN where a value is missing; option codes; yes/no as 0/1;
checklists as the number of items met) and the region ids. Every problem in every
column is collected and raised once as a `DataError`; nothing is coerced silently.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from indikator.errors import DataError, DataProblem, sample_regions
from indikator.numeric import HALF_QUANTUM
from indikator.plan import InputSpec, Plan

__all__ = ["Columns", "table_columns", "validate"]

_YES = {"ya", "yes", "y", "true", "1", "ada"}
_NO = {"tidak", "no", "n", "false", "0", "tidak ada"}


@attrs.frozen(kw_only=True)
class Columns:
    """Validated input arrays and the region id of each row."""

    arrays: dict[str, npt.NDArray[np.generic]]
    regions: tuple[str, ...]
    size: int


def table_columns(table: Any) -> dict[str, npt.NDArray[np.generic]]:
    """Turn a mapping, DataFrame or pyarrow Table into named 1-d numpy arrays."""
    if hasattr(table, "column_names") and hasattr(table, "column"):  # pyarrow.Table
        return {
            str(c): np.asarray(table.column(c).to_pylist(), dtype=object)
            for c in table.column_names
        }
    if hasattr(table, "columns") and hasattr(table, "to_numpy") and hasattr(table, "dtypes"):
        return {str(c): _pandas_column(table[c]) for c in table.columns}  # pandas.DataFrame
    if isinstance(table, Mapping):
        return {str(k): _as_array(v) for k, v in table.items()}
    kind = type(table).__name__
    msg = f"expected a mapping of columns, a pandas DataFrame or a pyarrow Table, not {kind}"
    raise TypeError(msg)


def _pandas_column(series: Any) -> npt.NDArray[np.generic]:
    if series.dtype.kind in "fiub":
        return np.asarray(series.to_numpy())
    return np.asarray(series.astype(object).where(series.notna(), None).to_numpy(), dtype=object)


def _as_array(values: Any) -> npt.NDArray[np.generic]:
    if isinstance(values, np.ndarray):
        return values.reshape(-1) if values.ndim == 0 else values
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        values = [values]
    items = list(values)
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in items):
        return np.asarray(items, dtype=np.float64)
    return np.asarray(items, dtype=object)


def validate(
    plan: Plan, raw: Mapping[str, npt.NDArray[np.generic]], *, extra: str = "error"
) -> Columns:
    """Check raw columns against the plan's inputs; raise one `DataError` listing everything."""
    problems: list[DataProblem] = []
    sizes = {len(v) for v in raw.values()}
    if len(sizes) > 1:
        lengths = ", ".join(f"'{k}' {len(v)}" for k, v in raw.items())
        raise DataError(
            [DataProblem(code="IK503", field="*", message=f"columns differ in length: {lengths}")]
        )
    size = sizes.pop() if sizes else 0
    if size == 0:
        raise DataError([DataProblem(code="IK511", field="*", message="the table has no rows")])
    regions = _region_ids(plan, raw, size, problems)
    expected = _expected_columns(plan)
    _check_names(expected, raw, extra, problems)
    arrays: dict[str, npt.NDArray[np.generic]] = {}
    for column in (plan.region, plan.region_name):  # kept for reports even if not inputs
        if column and column in raw:
            arrays[column] = np.asarray(
                [None if _is_missing(v) else str(v) for v in raw[column]], dtype=object
            )
    for spec in plan.inputs:
        for column, _ in _columns_of(spec):
            if column in raw:
                arrays[column] = _convert(spec, _Column(column, raw[column], regions), problems)
        item_columns = [c for c, _ in _columns_of(spec)]
        if spec.kind == "checklist" and all(c in arrays for c in item_columns):
            items = np.vstack([arrays.pop(c) for c in item_columns])
            arrays[spec.name] = items.sum(axis=0)  # NaN when any item is missing
    if problems:
        raise DataError(problems)
    _apply_policies(plan, arrays, regions, problems)
    if problems:
        raise DataError(problems)
    return Columns(arrays=arrays, regions=regions, size=size)


def _columns_of(spec: InputSpec) -> list[tuple[str, str | None]]:
    names: list[tuple[str, str | None]]
    if spec.kind == "checklist":
        names = [(f"{spec.name}.{item}", item) for item in spec.choices]
    else:
        names = [(spec.name, None)]
    if spec.needs_prev:  # prev() is refused on checklists by the checker
        names.append((f"{spec.name}.prev", None))
    return names


def _expected_columns(plan: Plan) -> set[str]:
    expected = {c for spec in plan.inputs for c, _ in _columns_of(spec)}
    expected |= {c for c in (plan.region, plan.region_name) if c}
    return expected


def _check_names(
    expected: set[str], raw: Mapping[str, Any], extra: str, problems: list[DataProblem]
) -> None:
    for column in sorted(expected - set(raw)):
        close = difflib.get_close_matches(column, list(raw), n=1)
        hint = f" (the table has '{close[0]}')" if close else ""
        problems.append(
            DataProblem(code="IK501", field=column, message=f"column '{column}' is missing{hint}")
        )
    if extra == "error":
        problems.extend(
            DataProblem(
                code="IK502",
                field=column,
                message=f"column '{column}' is not an input of the ruleset "
                "(pass extra='ignore' to allow it)",
            )
            for column in sorted(set(raw) - expected)
        )


def _region_ids(
    plan: Plan, raw: Mapping[str, Any], size: int, problems: list[DataProblem]
) -> tuple[str, ...]:
    if plan.region is None or plan.region not in raw:
        return tuple(f"row {i + 1}" for i in range(size))
    ids = tuple(_id_text(v) for v in raw[plan.region])
    seen: dict[str, int] = {}
    duplicates = []
    for index, region in enumerate(ids):
        if region in seen:
            duplicates.append(f"{region} (rows {seen[region] + 1} and {index + 1})")
        seen.setdefault(region, index)
    if duplicates:
        problems.append(
            DataProblem(
                code="IK507",
                field=plan.region,
                message=f"region ids in '{plan.region}' repeat",
                regions=tuple(duplicates[:3]),
                count=len(duplicates),
            )
        )
    return ids


def _id_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@attrs.frozen
class _Column:
    """A raw column with what error messages need: its name and the region ids."""

    name: str
    values: npt.NDArray[np.generic]
    regions: Sequence[str]


def _convert(
    spec: InputSpec, column: _Column, problems: list[DataProblem]
) -> npt.NDArray[np.generic]:
    if spec.kind == "text":
        return np.asarray([None if _is_missing(v) else str(v) for v in column.values], dtype=object)
    if spec.kind in ("yesno", "checklist"):
        return _parse(column, _yes_no, "yes or no (ya/tidak, 1/0)", problems)
    if spec.kind == "option":
        lookup = {choice: float(i) for i, choice in enumerate(spec.choices)}
        expected = "one of " + ", ".join(f"'{c}'" for c in spec.choices)
        return _parse(column, lambda v: lookup.get(str(v)), expected, problems, code="IK506")
    numbers = _numbers(column, problems)
    _check_range(spec, column, numbers, problems)
    return numbers


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _yes_no(value: object) -> float | None:
    if isinstance(value, bool | np.bool_):
        return float(value)
    if isinstance(value, int | float | np.integer | np.floating) and value in (0, 1):
        return float(value)
    text = str(value).strip().lower()
    return 1.0 if text in _YES else 0.0 if text in _NO else None


def _parse(
    column: _Column,
    parse: Callable[[object], float | None],
    expected: str,
    problems: list[DataProblem],
    code: str = "IK503",
) -> npt.NDArray[np.float64]:
    """Parse each distinct cell once, then spread the results (no loop over regions)."""
    values = column.values
    if values.dtype.kind in "fiub":
        values = values.astype(object)
    keys = (
        np.array([f"{type(v).__name__}:{v}" for v in values]) if values.dtype == object else values
    )
    distinct, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    parsed = np.full(len(distinct), np.nan)
    bad_distinct = np.zeros(len(distinct), dtype=bool)
    for index, position in enumerate(first):
        value = values[position]
        if _is_missing(value):
            continue
        result = parse(value)
        if result is None:
            bad_distinct[index] = True
        else:
            parsed[index] = result
    bad = np.flatnonzero(bad_distinct[inverse]).tolist()
    if bad:
        problems.append(
            DataProblem(
                code=code,
                field=column.name,
                message=f"column '{column.name}' has {len(bad)} value(s) that are not {expected}",
                regions=sample_regions([column.regions[i] for i in bad], [values[i] for i in bad]),
                count=len(bad),
            )
        )
    out: npt.NDArray[np.float64] = parsed[inverse]
    return out


def _numbers(column: _Column, problems: list[DataProblem]) -> npt.NDArray[np.float64]:
    if column.values.dtype.kind in "fiu":
        numbers = column.values.astype(np.float64)
    else:
        numbers = _parse(column, _number, "numbers", problems)
    infinite = np.isinf(numbers)
    if infinite.any():
        rows = np.flatnonzero(infinite).tolist()
        problems.append(
            DataProblem(
                code="IK503",
                field=column.name,
                message=f"column '{column.name}' holds infinite values",
                regions=sample_regions([column.regions[i] for i in rows], numbers[rows]),
                count=len(rows),
            )
        )
    return numbers


def _number(value: object) -> float | None:
    if isinstance(value, bool | np.bool_):
        return None  # a yes/no in a number column is a mistake, not 1.0
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def _check_range(
    spec: InputSpec, column: _Column, numbers: npt.NDArray[np.float64], problems: list[DataProblem]
) -> None:
    nowhere = np.zeros(len(numbers), dtype=bool)
    with np.errstate(invalid="ignore"):
        low = numbers < spec.low - HALF_QUANTUM if spec.low is not None else nowhere
        high = numbers > spec.high + HALF_QUANTUM if spec.high is not None else nowhere
    wrong = (low | high) & np.isfinite(numbers)
    if spec.kind == "count":
        wrong |= np.isfinite(numbers) & (numbers != np.round(numbers))
    if wrong.any():
        rows = np.flatnonzero(wrong).tolist()
        lo = "-inf" if spec.low is None else f"{spec.low:g}"
        hi = "inf" if spec.high is None else f"{spec.high:g}"
        whole = " whole numbers" if spec.kind == "count" else ""
        problems.append(
            DataProblem(
                code="IK504",
                field=column.name,
                message=(
                    f"column '{column.name}' has {len(rows)} value(s) outside{whole} {lo}..{hi}"
                ),
                regions=sample_regions([column.regions[i] for i in rows], numbers[rows]),
                count=len(rows),
                needed_by=f"input '{spec.name}' ({spec.origin})",
            )
        )


def _apply_policies(
    plan: Plan,
    arrays: dict[str, npt.NDArray[np.generic]],
    regions: Sequence[str],
    problems: list[DataProblem],
) -> None:
    for spec in plan.inputs:
        if spec.missing != "error" or spec.kind == "text":
            continue
        # Last year's column follows the same policy as this year's.
        for column in (spec.name, f"{spec.name}.prev"):
            if column in arrays:
                _refuse_missing(spec, column, arrays[column], regions, problems)


def _refuse_missing(
    spec: InputSpec,
    column: str,
    values: npt.NDArray[np.generic],
    regions: Sequence[str],
    problems: list[DataProblem],
) -> None:
    missing = np.isnan(values.astype(np.float64))
    if missing.any():
        rows = np.flatnonzero(missing).tolist()
        problems.append(
            DataProblem(
                code="IK505",
                field=column,
                message=f"'{column}' is missing for {len(rows)} region(s), and its policy "
                "is 'missing error'",
                regions=sample_regions([regions[i] for i in rows]),
                count=len(rows),
                needed_by=f"input '{spec.name}' ({spec.origin})",
            )
        )
