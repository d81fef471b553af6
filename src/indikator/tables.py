"""Reading data files into columns (CSV for now; the analyst issue adds Excel and Parquet).

Cells stay text here; `data.validate` parses them against the declared inputs, so a
malformed number is reported with its region and column, never silently coerced.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import numpy.typing as npt

from indikator.errors import DataError, DataProblem

__all__ = ["read_csv"]


def read_csv(path: str | Path) -> dict[str, npt.NDArray[np.generic]]:
    """Read a CSV file (UTF-8, a BOM allowed; ',' or ';' separated) into text columns."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(
            [DataProblem(code="IK503", field=str(path), message=f"cannot read '{path}': {error}")]
        ) from None
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text.splitlines()[0] if text else ",", delimiters=",;\t"
        )
    except csv.Error:  # a single column has no delimiter to find
        dialect = csv.excel
    reader = csv.reader(text.splitlines(), dialect)
    rows = list(reader)
    if not rows:
        raise DataError([DataProblem(code="IK511", field=str(path), message=f"'{path}' is empty")])
    header, body = rows[0], rows[1:]
    problems = [
        DataProblem(
            code="IK503",
            field=str(path),
            message=f"'{path}' line {number}: {len(row)} cells, the header has {len(header)}",
        )
        for number, row in enumerate(body, start=2)
        if len(row) != len(header)
    ]
    repeated = sorted({name for name in header if header.count(name) > 1})
    problems += [
        DataProblem(code="IK503", field=name, message=f"column '{name}' appears twice in '{path}'")
        for name in repeated
    ]
    if problems:
        raise DataError(problems[:10])
    return {
        name.strip(): np.asarray([row[i].strip() or None for row in body], dtype=object)
        for i, name in enumerate(header)
    }
