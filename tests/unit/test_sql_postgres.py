"""The PostgreSQL queries run on a real server: numpy's values, bit for bit.

The server is the session's (`tests/postgres.py`: a private one, or INDIKATOR_TEST_POSTGRES's);
without PostgreSQL on the machine these tests skip. Tables are loaded with `\\copy` as text,
as `evaluate` reads CSV cells, and the results read back through `psql --csv` (PostgreSQL
writes a float8 in its shortest exact form, so the text is the float). The numpy engine is
the reference: equal tiers (codes and labels), values bit for bit (so totals to any
decimal), equal ranks, on every row the query does not flag.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

pytest.importorskip("sqlglot")
pd = pytest.importorskip("pandas")

import indikator  # noqa: E402
from indikator.errors import DataError  # noqa: E402
from indikator.ruleset import Ruleset  # noqa: E402
from indikator.sql import SqlError  # noqa: E402
from indikator.testing import rulesets, tables_for  # noqa: E402
from tests.postgres import Postgres  # noqa: E402
from tests.sql_helpers import assert_unflagged_equal  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
#: Every shipped ruleset with example data that compiles for PostgreSQL
#: (rulesets/examples/stunting_outcome.ikr ranks on text: refused, IK801).
EXAMPLES = [
    ("rulesets/kla/2025.ikr", "examples/kla_2025.csv"),
    ("rulesets/kks/2021.ikr", "examples/kks_2021.csv"),
    ("rulesets/kks/2025.ikr", "examples/kks_2025.csv"),
    ("rulesets/stunting/2024.ikr", "examples/stunting_2024.csv"),
]
TABLE = "indikator_data"


def _load_table(server: Postgres, path: Path, columns: list[str]) -> None:
    """The CSV file at `path` as the table TABLE, every column text, '' (quoted too) NULL."""
    names = ", ".join(f'"{c}"' for c in columns)
    typed = ", ".join(f'"{c}" TEXT' for c in columns)
    server.run(f"DROP TABLE IF EXISTS {TABLE};\nCREATE TABLE {TABLE} ({typed});")
    options = f"FORMAT csv, HEADER true, NULL '', FORCE_NULL ({names})"
    server.run(f"\\copy {TABLE} FROM '{path}' WITH ({options})")


def _query(server: Postgres, ruleset: Ruleset, expected: Any) -> dict[str, npt.NDArray[Any]]:
    """The query's rows in `_row` order, each column typed as numpy's (NaN for NULL)."""
    text = ruleset.to_sql(dialect="postgres", table=TABLE)
    frame = pd.read_csv(io.StringIO(server.run(text + ";", csv=True)), dtype=str)
    frame = frame.sort_values("_row", key=lambda c: c.astype(int))
    columns: dict[str, npt.NDArray[Any]] = {}
    for name in frame.columns:
        cells = frame[name].tolist()
        kind = np.asarray(expected[name]).dtype.kind if name in expected else "O"
        if name in ("_unsure", "_problem") or kind == "b":
            columns[name] = np.array([c == "t" for c in cells], dtype=object)
        elif kind in "fiu":
            columns[name] = np.array([float(c) if isinstance(c, str) else np.nan for c in cells])
        else:
            columns[name] = np.array([c if isinstance(c, str) else np.nan for c in cells], object)
    return columns


def _compare(server: Postgres, ruleset: Ruleset, path: Path, table: Any) -> dict[str, int]:
    """Load `path`, run the query; assert numpy's results on every unflagged row."""
    _load_table(server, path, list(table))
    try:
        expected = ruleset.evaluate_many(table, extra="ignore")
    except DataError:  # numpy refuses the data: the query must flag some row
        got = _query(server, ruleset, {})
        assert np.asarray(got["_problem"], dtype=bool).any()
        return {"refused": 1}
    got = _query(server, ruleset, expected.env)
    counts = assert_unflagged_equal(ruleset, got, expected.env)
    if ruleset.plan.classification is not None:
        plain = ~np.asarray(got["_unsure"] | got["_problem"], dtype=bool)
        for lang, column in (("id", "tier.label"), ("en", "tier.label.en")):
            labels = np.array(expected.tiers(lang), dtype=object)
            shown = [v if isinstance(v, str) else None for v in got[column][plain]]
            assert shown == list(labels[plain]), column
    return counts


@pytest.mark.parametrize(("ruleset", "data"), EXAMPLES, ids=[d for _, d in EXAMPLES])
def test_postgres_gives_numpys_results(postgres: Postgres, ruleset: str, data: str) -> None:
    compiled = indikator.load(ROOT / ruleset)
    assert isinstance(compiled, Ruleset)
    frame = pd.read_csv(ROOT / data, dtype=str, keep_default_na=False)
    table = {name: [c or None for c in frame[name]] for name in frame.columns}
    assert _compare(postgres, compiled, ROOT / data, table) == {"unsure": 0, "problem": 0}


def _write_csv(path: Path, table: dict[str, list[Any]]) -> None:
    """Cells as the CSV `evaluate` reads: yes/no words, numbers as Python writes them."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(table)
        for row in zip(*table.values(), strict=True):
            writer.writerow(["" if c is None else _cell(c) for c in row])


def _cell(cell: object) -> str:
    if isinstance(cell, bool):
        return "ya" if cell else "tidak"
    return repr(cell) if isinstance(cell, float) else str(cell)


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rulesets(), st.data())
def test_random_rulesets_give_numpys_results(
    postgres: Postgres, tmp_path: Path, text: str, data: st.DataObject
) -> None:
    ruleset = indikator.loads(text)
    assert isinstance(ruleset, Ruleset)
    try:
        ruleset.to_sql(dialect="postgres")
    except SqlError:
        reject()  # a construct PostgreSQL cannot express (IK801)
    table = data.draw(tables_for(ruleset, max_size=8))
    path = tmp_path / "data.csv"
    _write_csv(path, table)
    _compare(postgres, ruleset, path, table)


def test_the_query_fails_loudly_on_a_bad_cell(postgres: Postgres, tmp_path: Path) -> None:
    # PostgreSQL's CAST raises where DuckDB's TRY_CAST flags the row (docs/sql.md).
    ruleset = indikator.loads("ruleset r { scale 0 to 100 }\ninput x: percent\nindicator s = x\n")
    assert isinstance(ruleset, Ruleset)
    path = tmp_path / "bad.csv"
    _write_csv(path, {"x": ["12.5", "banyak"]})
    _load_table(postgres, path, ["x"])
    with pytest.raises(AssertionError, match="invalid input syntax"):
        postgres.run(ruleset.to_sql(dialect="postgres", table=TABLE) + ";")
