"""The Spark queries run in a local Spark session: numpy's values, bit for bit.

Run by `nox -s spark` (which installs pyspark; Spark needs Java). The plain test run skips
these tests: pyspark is not in the test group, and it is too heavy for CI. Each shipped
ruleset's example CSV is read by Spark as text (as `evaluate` reads it), the ruleset's
Spark SQL runs on it, and every row the query does not flag must equal numpy's: tiers,
values bit for bit (so totals to any decimal), ranks. Random rulesets from
`indikator.testing.rulesets()` on random tables go through the same comparison.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("sqlglot")
pd = pytest.importorskip("pandas")
pyspark_sql = pytest.importorskip("pyspark.sql", reason="pyspark is not installed (nox -s spark)")
if shutil.which("java") is None:
    pytest.skip("no java on PATH: Spark needs a Java runtime", allow_module_level=True)

import indikator  # noqa: E402
from indikator.errors import DataError  # noqa: E402
from indikator.ruleset import Ruleset  # noqa: E402
from indikator.testing import rulesets, tables_for  # noqa: E402
from tests.examples import EXAMPLE_IDS, EXAMPLES  # noqa: E402
from tests.sql_helpers import assert_unflagged_equal, write_csv  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """A local Spark session on 2 cores, quiet."""
    session = (
        pyspark_sql.SparkSession.builder.master("local[2]")
        .appName("indikator-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        # One nested projection per level (40 for KLA): more than the analyzer's default
        # 100 resolution passes, and more heap than the default 1 GB to plan them.
        .config("spark.sql.analyzer.maxIterations", "1000")
        .config("spark.sql.optimizer.maxIterations", "1000")
        .config("spark.driver.memory", "3g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _columns(frame: Any, expected: Any) -> dict[str, npt.NDArray[Any]]:
    """Spark's rows in `_row` order, each column as numpy's kind (NaN for NULL)."""
    frame = frame.sort_values("_row")
    columns: dict[str, npt.NDArray[Any]] = {}
    for name in frame.columns:
        cells = frame[name].tolist()
        kind = np.asarray(expected[name]).dtype.kind if name in expected else "O"
        if kind in "fiub" or name in ("_unsure", "_problem"):
            columns[name] = np.array([np.nan if c is None else float(c) for c in cells], object)
        else:
            columns[name] = np.array([np.nan if c is None else c for c in cells], object)
    return columns


@pytest.mark.parametrize(("ruleset", "data"), EXAMPLES, ids=EXAMPLE_IDS)
def test_spark_gives_numpys_results(spark: Any, ruleset: str, data: str) -> None:
    compiled = indikator.load(ROOT / ruleset)
    assert isinstance(compiled, Ruleset)
    # Every cell text; an empty cell NULL (Spark's CSV reader does both by default).
    spark.read.csv(str(ROOT / data), header=True).createOrReplaceTempView("data")
    frame = spark.sql(compiled.to_sql(dialect="spark", table="data")).toPandas()
    text = pd.read_csv(ROOT / data, dtype=str, keep_default_na=False)
    table = {name: [c or None for c in text[name]] for name in text.columns}
    expected = compiled.evaluate_many(table, extra="ignore")
    got = _columns(frame, expected.env)
    assert assert_unflagged_equal(compiled, got, expected.env) == {"unsure": 0, "problem": 0}
    if compiled.plan.classification is not None:
        assert [v if isinstance(v, str) else None for v in got["tier.label.en"]] == (
            expected.tiers("en")
        )


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rulesets(), st.data())
def test_random_rulesets_give_numpys_results(
    spark: Any, tmp_path: Path, text: str, data: st.DataObject
) -> None:
    ruleset = indikator.loads(text)
    assert isinstance(ruleset, Ruleset)
    table = data.draw(tables_for(ruleset, max_size=8))
    path = tmp_path / f"data-{data.draw(st.integers(0, 10**9))}.csv"  # one file per example
    write_csv(path, table)
    spark.read.csv(str(path), header=True).createOrReplaceTempView("data")
    frame = spark.sql(ruleset.to_sql(dialect="spark", table="data")).toPandas()
    try:
        expected = ruleset.evaluate_many(table, extra="ignore")
    except DataError:  # numpy refuses the data: the query must flag some row
        assert np.asarray(frame["_problem"].tolist(), dtype=bool).any()
        return
    got = _columns(frame, expected.env)
    assert_unflagged_equal(ruleset, got, expected.env)  # asserts row by row
    if ruleset.plan.classification is not None:
        plain = ~(np.asarray(got["_unsure"], bool) | np.asarray(got["_problem"], bool))
        labels = np.array(expected.tiers("en"), dtype=object)
        shown = [v if isinstance(v, str) else None for v in got["tier.label.en"][plain]]
        assert shown == list(labels[plain])
