"""The PostgreSQL queries run on a real server: numpy's values, bit for bit.

Skipped unless INDIKATOR_TEST_POSTGRES names a database `psql` can reach (a connection
string, e.g. `host=/tmp/pgsql port=55432 user=postgres`); CI has no server yet. The
example tables are loaded with `\\copy` as text, as `evaluate` reads CSV cells.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sqlglot")
pd = pytest.importorskip("pandas")

import indikator  # noqa: E402
from indikator.ruleset import Ruleset  # noqa: E402

DSN = os.environ.get("INDIKATOR_TEST_POSTGRES")
pytestmark = pytest.mark.skipif(
    DSN is None or shutil.which("psql") is None,
    reason="INDIKATOR_TEST_POSTGRES is not set (or psql is missing): no PostgreSQL server",
)
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = [
    ("rulesets/kla/2025.ikr", "examples/kla_2025.csv"),
    ("rulesets/kks/2021.ikr", "examples/kks_2021.csv"),
    ("rulesets/kks/2025.ikr", "examples/kks_2025.csv"),
    ("rulesets/stunting/2024.ikr", "examples/stunting_2024.csv"),
]


def _psql(sql: str, *, csv: bool = False) -> str:
    args = ["psql", str(DSN), "-v", "ON_ERROR_STOP=1", "-q", *(["--csv"] if csv else [])]
    done = subprocess.run(args, input=sql, capture_output=True, text=True, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize(("ruleset", "data"), EXAMPLES, ids=[d for _, d in EXAMPLES])
def test_postgres_gives_numpys_results(ruleset: str, data: str) -> None:
    compiled = indikator.load(ROOT / ruleset)
    assert isinstance(compiled, Ruleset)
    frame = pd.read_csv(ROOT / data, dtype=str, keep_default_na=False)
    columns = ", ".join(f'"{c}" TEXT' for c in frame.columns)
    copy = f"\\copy indikator_data FROM '{ROOT / data}' WITH (FORMAT csv, HEADER true, NULL '')"
    _psql(f"DROP TABLE IF EXISTS indikator_data;\nCREATE TABLE indikator_data ({columns});")
    _psql(copy)
    query = compiled.to_sql(dialect="postgres", table="indikator_data")
    got = pd.read_csv(io.StringIO(_psql(query + ";", csv=True)), dtype=str, keep_default_na=False)
    expected = compiled.evaluate_many(frame.replace("", None), extra="ignore")
    assert not (got["_unsure"] == "t").any()
    assert not (got["_problem"] == "t").any()
    for name in expected.names:
        values = np.asarray(expected[name])
        if values.dtype.kind not in "fi":
            continue
        ours = np.array([np.nan if v == "" else float(v) for v in got[name]])
        theirs = values.astype(float)
        assert np.array_equal(np.isnan(ours), np.isnan(theirs)), name
        assert np.all((ours == theirs) | np.isnan(ours)), name
