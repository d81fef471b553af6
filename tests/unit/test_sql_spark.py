"""The Spark queries run in a local Spark session: numpy's values, bit for bit.

Run by `nox -s spark` (which installs pyspark; Spark needs Java). The plain test run skips
these tests: pyspark is not in the test group, and it is too heavy for CI. Each shipped
ruleset's example CSV is read by Spark as text (as `evaluate` reads it), the ruleset's
Spark SQL runs on it, and every row the query does not flag must equal numpy's: tiers,
values bit for bit (so totals to any decimal), ranks. Random rulesets from
`indikator.testing.rulesets()` on random tables go through the same comparison.
"""

from __future__ import annotations

import contextlib
import io
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
from tests.sql_helpers import (  # noqa: E402
    assert_groups_equal,
    assert_unflagged_equal,
    csv_table,
    rollup_expected,
    write_csv,
)

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


def _physical_plan(frame: Any) -> str:
    """The physical plan Spark would run, as `explain()` prints it."""
    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        frame.explain()
    return text.getvalue()


def test_the_query_keeps_the_rows_in_many_partitions(spark: Any) -> None:
    """Every level of KLA (no ranks) runs on every core, once; one core sorts the results.

    Numbering the rows with `ROW_NUMBER()` over the whole table moved every row to one
    partition before the first level: one core at 10^7. A sort across partitions made
    Spark work out the levels twice (once to sample the sort key, an exchange by range).
    The one exchange is the gathering after the last level, for the `ORDER BY`.
    """
    compiled = indikator.load(ROOT / "rulesets/kla/2025.ikr")
    assert isinstance(compiled, Ruleset)
    assert not compiled.plan.ranks  # a rank over the whole table needs one partition
    spark.read.csv(str(ROOT / "examples/kla_2025.csv"), header=True).createOrReplaceTempView("data")
    plan = _physical_plan(spark.sql(compiled.to_sql(dialect="spark", table="data")))
    lines = plan.splitlines()
    exchanges = [n for n, line in enumerate(lines) if "Exchange" in line]
    assert len(exchanges) == 1, plan
    (gather,) = exchanges
    assert "SinglePartition, REPARTITION_BY_NUM" in lines[gather], plan
    assert "Sort [_row" in lines[gather - 1], plan  # right under the final sort


@contextlib.contextmanager
def _files_split(spark: Any, size: str) -> Iterator[None]:
    """Spark reads a file in pieces of `size` bytes, one partition each."""
    spark.conf.set("spark.sql.files.maxPartitionBytes", size)
    try:
        yield
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")


def test_rows_come_back_in_the_tables_order_from_many_partitions(spark: Any) -> None:
    """`_row` rises in the table's order across partitions; the query returns that order."""
    compiled = indikator.load(ROOT / "rulesets/kks/2025.ikr")
    assert isinstance(compiled, Ruleset)
    data = ROOT / "examples/kks_2025.csv"
    with _files_split(spark, "1k"):
        table = spark.read.csv(str(data), header=True)
        assert table.rdd.getNumPartitions() > 3  # 5.7 kB in pieces of 1 kB
        table.createOrReplaceTempView("data")
        frame = spark.sql(compiled.to_sql(dialect="spark", table="data")).toPandas()
    text = pd.read_csv(data, dtype=str, keep_default_na=False)
    assert frame[compiled.plan.region].tolist() == text[compiled.plan.region].tolist()
    rows = frame["_row"].tolist()
    assert rows == sorted(set(rows))
    assert rows[-1] > len(rows)  # not 1..n: the ids of later partitions start higher
    expected = compiled.evaluate_many(
        {name: [c or None for c in text[name]] for name in text.columns}, extra="ignore"
    )
    assert assert_unflagged_equal(compiled, _columns(frame, expected.env), expected.env) == {
        "unsure": 0,
        "problem": 0,
    }


def test_spark_rolls_up_as_numpy(spark: Any, tmp_path: Path) -> None:
    """The roll-up per province, over the scores query or a view of it, from many partitions.

    Its groups come in the order the rows first name them (the least `_row` of each).
    """
    compiled = indikator.load(ROOT / "rulesets/kks/2025.ikr")
    assert isinstance(compiled, Ruleset)
    table = csv_table("examples/kks_2025.csv")
    # Provinces of 7 rows each, named against their order: first named P9, then P8, ...
    table["provinsi"] = [f"P{9 - i // 7}" for i in range(len(table["kode_kabkota"]))]
    path = tmp_path / "data.csv"
    write_csv(path, table)
    expected = rollup_expected(compiled, table)
    assert [g["provinsi"] for g in expected] == ["P9", "P8", "P7", "P6", "P5"]
    with _files_split(spark, "1k"):
        spark.read.csv(str(path), header=True).createOrReplaceTempView("data")
        scores = compiled.to_sql(dialect="spark", table="data", keep=["provinsi"])
        spark.sql(scores).createOrReplaceTempView("nilai")
        for view in (None, "nilai"):
            text = compiled.rollup_sql("provinsi", dialect="spark", table="data", scores=view)
            rows = spark.sql(text).toPandas().to_dict("records")
            got = [{k: _native(v) for k, v in row.items()} for row in rows]
            assert assert_groups_equal(got, expected) == 0


def _native(cell: Any) -> Any:
    """A cell of toPandas as the Python value numpy's figures are: NaN (NULL) as None."""
    if isinstance(cell, float) and np.isnan(cell):
        return None
    return cell.item() if isinstance(cell, np.generic) else cell


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


def test_the_number_check_is_numpys_plain_number_in_spark(spark: Any) -> None:
    """Spark's RLIKE (Java's regular expressions) hands numpy every cell numpy reads apart.

    Every text up to 3 characters over a number's characters and near misses, and the
    line breaks Java's `$` matches before: a cell is checked unless numpy's reader (no
    notation, no limit) reads it as a plain number.
    """
    import itertools  # noqa: PLC0415

    from sqlglot import expressions as exp  # noqa: PLC0415

    from indikator.cells import read_number  # noqa: PLC0415
    from indikator.sql._inputs import _not_plain  # noqa: PLC0415

    alphabet = "015.eE+-_,% \t"
    cells = ["".join(t) for n in range(1, 4) for t in itertools.product(alphabet, repeat=n)]
    cells += ["1\n", "1\r", "1\u2028", "1\u0085", "\u0661", "1.000", "8_0", "1e400", "nan"]
    cells = [c for c in cells if c.strip()]
    spec = next(s for s in indikator.loads(NUMBER_CHECK).plan.inputs if s.name == "x")
    check = exp.alias_(_not_plain(exp.column("cell"), spec), "odd")
    query = exp.select(exp.column("n"), check).from_("cells").order_by("n").sql("spark")
    frame = pd.DataFrame({"n": range(len(cells)), "cell": cells})
    spark.createDataFrame(frame).createOrReplaceTempView("cells")
    got = [bool(row["odd"]) for row in spark.sql(query).collect()]
    expected = [read_number(cell) is None for cell in cells]
    wrong = [cell for cell, g, e in zip(cells, got, expected, strict=True) if g != e]
    assert not wrong, wrong[:20]


NUMBER_CHECK = """\
ruleset n { scale 0 to 1 }
input x: number { missing zero }
indicator a = if x > 0 then 1 else 0
group total = sum(a)
"""
