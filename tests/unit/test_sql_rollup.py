"""Roll-ups as SQL (`rollup_sql`, `indikator sql --by`): numpy's `evaluate --by` figures.

DuckDB runs every query here; the reference is `rollup_view.group_view` on numpy's results
(count, mean score, share per tier), and the counts per tier are counted again here from
the tier codes. PostgreSQL runs them in test_sql_postgres.py; Spark's text is parsed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("duckdb")
pytest.importorskip("sqlglot")

import sqlglot
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import indikator
from indikator.cli import main
from indikator.errors import QuestionError
from indikator.ruleset import Ruleset
from indikator.sql import DIALECTS, SqlError
from indikator.testing import rulesets, tables_for
from tests.examples import EXAMPLE_IDS, EXAMPLES
from tests.sql_helpers import (
    arrow_table,
    assert_groups_equal,
    connect,
    csv_table,
    rollup_expected,
)

ROOT = Path(__file__).resolve().parents[2]
# The example data: a table without a province column is
# grouped by the province code, the first two digits of the region code.

SMALL = """\
ruleset d { scale 0 to 100  region kode }
input kode: text
input x: percent { missing zero }
indicator a = linear x from 0 to 100 onto 0 to 100
group total = sum(a)
tiers on total { below "Belum" baik "Baik" [50, 80)  prima "Prima" [80, 100] }
"""


BIG = """\
ruleset d { scale 0 to 10000000  region kode }
input kode: text
input x: number { range 0 to 10000000  missing zero }
indicator a = x
group total = sum(a)
tiers on total { below "Belum" baik "Baik" [5000000, 10000000] }
"""


def _load(path: str | Path) -> Ruleset:
    ruleset = indikator.load(ROOT / path)
    assert isinstance(ruleset, Ruleset)
    return ruleset


def _rollup(
    ruleset: Ruleset, table: dict[str, list[Any]], by: str = "provinsi"
) -> list[dict[str, Any]]:
    """The roll-up query's rows in DuckDB, each a dict."""
    connection = connect(arrow_table(table))
    cursor = connection.execute(ruleset.rollup_sql(by))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.mark.parametrize(("ruleset", "data"), EXAMPLES, ids=EXAMPLE_IDS)
def test_the_rollup_query_gives_numpys_figures_on_the_example_data(ruleset: str, data: str) -> None:
    compiled = _load(ruleset)
    table = csv_table(data)
    expected = rollup_expected(compiled, table)
    got = _rollup(compiled, table)
    assert assert_groups_equal(got, expected) == 0
    assert sum(g["count"] for g in got) == len(table["kode_kabkota"])


def test_a_small_rollup_worked_by_hand() -> None:
    ruleset = indikator.loads(SMALL)
    assert isinstance(ruleset, Ruleset)
    table: dict[str, list[Any]] = {
        "kode": ["01", "02", "03", "04"],
        "x": [45, 70, 90, None],
        "provinsi": ["A", " A ", "B", "B"],
    }
    got = _rollup(ruleset, table)
    # A: 45 and 70, mean 57.5, one below and one baik; B: 90 and 0 (missing zero), mean 45.
    assert got == [
        {"provinsi": "A", "count": 2, "mean": 57.5, "count.below": 1, "count.baik": 1,
         "count.prima": 0, "share.below": 0.5, "share.baik": 0.5, "share.prima": 0.0,
         "_unsure": False, "_problem": False},
        {"provinsi": "B", "count": 2, "mean": 45.0, "count.below": 1, "count.baik": 0,
         "count.prima": 1, "share.below": 0.5, "share.baik": 0.0, "share.prima": 0.5,
         "_unsure": False, "_problem": False},
    ]  # fmt: skip


def test_a_mean_half_way_in_the_ninth_place_is_flagged() -> None:
    # (0.000000001 + 0.000000002) / 2 = 0.0000000015: numpy's float noise picks 1 or 2.
    ruleset = indikator.loads(SMALL)
    assert isinstance(ruleset, Ruleset)
    table: dict[str, list[Any]] = {
        "kode": ["01", "02", "03"],
        "x": [0.000000001, 0.000000002, 0.000000003],
        "provinsi": ["A", "A", "B"],
    }
    got = _rollup(ruleset, table)
    assert [(g["provinsi"], g["_unsure"]) for g in got] == [("A", True), ("B", False)]
    assert got[1]["mean"] == 0.000000003


def test_a_thirds_mean_is_rounded_to_nine_places_as_numpy_rounds_it() -> None:
    ruleset = indikator.loads(SMALL)
    assert isinstance(ruleset, Ruleset)
    table: dict[str, list[Any]] = {
        "kode": ["01", "02", "03"],
        "x": [10, 10, 20],
        "provinsi": ["A", "A", "A"],
    }
    (group,) = _rollup(ruleset, table)
    assert group["mean"] == 13.333333333  # 40 / 3 to 9 places
    assert group["share.below"] == 1.0


def test_a_group_whose_sum_of_units_may_pass_a_bigint_is_flagged() -> None:
    # 18,400 regions of 500,000 points: 9.2e9 points, 9.2e18 units of 10^-9, near a
    # BIGINT's 9.223e18 (where Spark's sum wraps): flagged. 18,399 regions stay below the
    # guard. Scores of 500,000 are exact in units and their mean is far from a half unit
    # (scores from about 563,000 on are within numpy's error of one: flagged anyway).
    ruleset = indikator.loads(BIG)
    assert isinstance(ruleset, Ruleset)
    for regions, flagged in ((18_400, True), (18_399, False)):
        table: dict[str, list[Any]] = {
            "kode": [f"{i:05d}" for i in range(regions)],
            "x": [500_000] * regions,
            "provinsi": ["A"] * regions,
        }
        (group,) = _rollup(ruleset, table)
        assert group["count"] == regions
        assert group["_unsure"] is flagged
        assert group["mean"] == 500_000.0  # DuckDB adds in HUGEINT: the value is right


def test_an_empty_group_cell_flags_its_group_where_numpy_refuses() -> None:
    ruleset = indikator.loads(SMALL)
    assert isinstance(ruleset, Ruleset)
    table: dict[str, list[Any]] = {"kode": ["01", "02"], "x": [45, 70], "provinsi": ["A", "  "]}
    got = _rollup(ruleset, table)
    assert [(g["provinsi"], g["_problem"]) for g in got] == [("A", False), (None, True)]


def test_the_rollup_reads_a_view_of_the_scores() -> None:
    ruleset = _load("rulesets/kks/2025.ikr")
    table = csv_table("examples/kks_2025.csv")
    connection = connect(arrow_table(table))
    connection.execute(f"CREATE VIEW kks_scores AS {ruleset.to_sql(keep=['provinsi'])}")
    from_view = connection.execute(ruleset.rollup_sql("provinsi", scores="kks_scores")).fetchall()
    whole = connection.execute(ruleset.rollup_sql("provinsi")).fetchall()
    assert from_view == whole
    assert len(whole) == 3


@settings(max_examples=25, deadline=None)
@given(rulesets(), st.data())
def test_random_rulesets_and_tables_give_numpys_figures(text: str, data: st.DataObject) -> None:
    ruleset = indikator.loads(text)
    assert isinstance(ruleset, Ruleset)
    table = data.draw(tables_for(ruleset, max_size=12))
    rows = len(next(iter(table.values())))
    table["provinsi"] = data.draw(
        st.lists(st.sampled_from(["Aceh", " Bali", "Papua "]), min_size=rows, max_size=rows)
    )
    try:
        expected = rollup_expected(ruleset, table)
    except indikator.DataError:
        return  # numpy refuses the data; the scores query flags it (test_sql.py)
    assert_groups_equal(_rollup(ruleset, table), expected)


def test_every_dialect_compiles_the_rollup() -> None:
    ruleset = _load("rulesets/kla/2025.ikr")
    for dialect in DIALECTS:
        for scores in (None, "skema.kla_nilai"):
            text = ruleset.rollup_sql(
                "provinsi", dialect=dialect, table="skema.data", scores=scores
            )
            parsed = sqlglot.parse_one(text, read=dialect)  # the dialect's own parser reads it
            assert parsed.find(sqlglot.exp.Group) is not None
            assert len(list(parsed.find_all(sqlglot.exp.With))) == 1  # the CTEs in one list
    spark = ruleset.rollup_sql("provinsi", dialect="spark")
    assert "MATERIALIZED" not in spark
    assert "monotonically_increasing_id" in spark.lower()


def test_a_rollup_by_a_computed_value_or_without_tiers_is_refused() -> None:
    ruleset = indikator.loads(SMALL)
    assert isinstance(ruleset, Ruleset)
    for by in ("x", "total", "tier"):
        with pytest.raises(SqlError) as refused:
            ruleset.rollup_sql(by)
        assert refused.value.code == "IK801"
        assert f"'{by}'" in refused.value.render("en")
    with pytest.raises(SqlError):
        ruleset.to_sql(keep=["a.met"])
    untiered = indikator.loads("ruleset r { scale 0 to 100 }\ninput x: percent\nindicator s = x\n")
    assert isinstance(untiered, Ruleset)
    with pytest.raises(QuestionError):
        untiered.rollup_sql("provinsi")


def test_the_cli_prints_the_rollup_query() -> None:
    runner = CliRunner()
    whole = runner.invoke(main, ["sql", "kks@2025", "--by", "provinsi"])
    assert whole.exit_code == 0, whole.output
    ruleset = _load("rulesets/kks/2025.ikr")
    assert whole.output == ruleset.rollup_sql("provinsi") + ";\n"
    viewed = runner.invoke(
        main,
        ["sql", "kks@2025", "--by", "provinsi", "--from", "kks_nilai", "--dialect", "postgres"],
    )
    assert viewed.exit_code == 0, viewed.output
    assert "FROM kks_nilai" in viewed.output
    scores = runner.invoke(main, ["sql", "kks@2025", "--keep", "provinsi"])
    assert scores.output == ruleset.to_sql(keep=["provinsi"]) + ";\n"
    lone = runner.invoke(main, ["sql", "kks@2025", "--from", "kks_nilai"])
    assert lone.exit_code == 2
    assert "--by" in lone.output
