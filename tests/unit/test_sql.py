"""Rulesets compiled to SQL: every shipped ruleset compiles, and DuckDB gives numpy's results."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("duckdb")
pytest.importorskip("sqlglot")

import pyarrow as pa
import pyarrow.csv as pv
import sqlglot
from click.testing import CliRunner

import indikator
from indikator.cli import main
from indikator.errors import DataError
from indikator.ruleset import Ruleset
from indikator.sql import DIALECTS, SqlError
from tests.examples import EXAMPLE_IDS, EXAMPLES
from tests.sql_helpers import arrow_table, compare_engines, connect

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(  # catalogues (kks/catalogue.ikr, common/facts.ikr) are what rulesets import
    p
    for p in (ROOT / "rulesets").rglob("*.ikr")
    if p.name != "catalogue.ikr" and p.parent.name != "common"
)


def _load(path: str | Path) -> Ruleset:
    ruleset = indikator.load(ROOT / path)
    assert isinstance(ruleset, Ruleset)
    return ruleset


def test_the_shipped_rulesets_are_all_here() -> None:
    assert len(SHIPPED) >= 6  # kla, kks x2, stunting x2, the example


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem + "-" + p.parent.name for p in SHIPPED])
def test_every_shipped_ruleset_compiles_for_every_dialect(path: Path) -> None:
    ruleset = _load(path)
    for dialect in DIALECTS:
        text = ruleset.to_sql(dialect=dialect, table="skema.data")
        parsed = sqlglot.parse_one(text, read=dialect)  # the dialect's own parser reads it
        assert parsed.find(sqlglot.exp.Window) is not None or not ruleset.plan.ranks
        assert "skema" in text


@pytest.mark.parametrize(("ruleset", "data"), EXAMPLES, ids=EXAMPLE_IDS)
def test_duckdb_gives_numpys_results_on_the_example_data(ruleset: str, data: str) -> None:
    # Every cell as the text the CSV has (ids keep their zeros), as `evaluate` reads it.
    names = pv.read_csv(ROOT / data).column_names
    text = pv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()))
    table = pv.read_csv(ROOT / data, convert_options=text)
    flags = compare_engines(_load(ruleset), table, extra="ignore")
    assert flags == {"unsure": 0, "problem": 0}


def test_an_unknown_dialect_is_refused_with_a_guess() -> None:
    with pytest.raises(SqlError) as refused:
        _load("rulesets/kks/2021.ikr").to_sql(dialect="postgress")
    assert refused.value.code == "IK802"
    assert "postgres" in refused.value.render("en")
    assert "dialek" in refused.value.render("id")


def test_a_text_rank_is_ordered_by_code_point_in_postgres_only() -> None:
    # PostgreSQL orders text by the column's collation; "C" is byte order (docs/sql.md).
    text = (
        "ruleset r { region kode }\ninput kode: text\ninput wilayah: text\n"
        "input x: percent\nindicator s = x\nrank urut = s desc ties wilayah asc\n"
    )
    ruleset = indikator.loads(text)
    assert isinstance(ruleset, Ruleset)
    postgres = sqlglot.parse_one(ruleset.to_sql(dialect="postgres"), read="postgres")
    collated = list(postgres.find_all(sqlglot.exp.Collate))
    assert len(collated) == 1
    assert collated[0].this.sql() == '"wilayah"'
    assert collated[0].expression.sql("postgres") == '"C"'
    for dialect in ("duckdb", "spark"):
        assert "COLLATE" not in ruleset.to_sql(dialect=dialect)


RULES = """\
ruleset uji { region kode }
input kode: text
input a: number { range 0 to 1000000000000000 missing exclude }
input b: number { range 0 to 100 missing zero }
let selisih = a - b
indicator i_a = bands a { [0, 10000000) -> 0  [10000000, 1000000000000000] -> 10 }
indicator i_b = bands b { [0, 50) -> 0  [50, 100] -> 5 }
let bagi = if b > 0 then a / b else 0
indicator i_bagi = bands bagi { (-inf, 1000) -> 0  [1000, inf) -> 3 }
indicator i_lin = linear b from 20 to 80 onto 0 to 7 round half_even 1
group total = mean(i_a, i_b, i_bagi, i_lin) max 100 round half_up 2
tiers on total {
  below "Belum"
  baik "Baik" [50, 100]
}
"""


def test_bad_data_gives_numpys_data_error() -> None:
    ruleset = indikator.loads(RULES)
    table = {"kode": ["1", "2"], "a": [5.0, 2e15], "b": [10.0, 20.0]}  # 2e15: out of range
    with pytest.raises(DataError) as numpy_error:
        ruleset.evaluate_many(table)
    with pytest.raises(DataError) as sql_error:
        ruleset.evaluate_sql(connect(arrow_table(table)), "data")
    assert [p.code for p in sql_error.value.problems] == [
        p.code for p in numpy_error.value.problems
    ]


def test_a_division_by_zero_is_numpys_error() -> None:
    text = RULES.replace("if b > 0 then a / b else 0", "a / b")
    assert text != RULES
    ruleset = indikator.loads(text)
    table = {"kode": ["1", "2"], "a": [5.0, 7.0], "b": [10.0, 0.0]}
    with pytest.raises(DataError) as sql_error:
        ruleset.evaluate_sql(connect(arrow_table(table)), "data")
    assert [p.code for p in sql_error.value.problems] == ["IK508"]


def test_an_overflow_is_numpys_error_not_infinity() -> None:
    # 10^15 to the 21st power is beyond float64: numpy stops (IK520), DuckDB gives inf.
    power = " * ".join(["a"] * 21)
    text = RULES.replace("let selisih = a - b", f"let selisih = a - b\nlet besar = {power}")
    assert text != RULES
    ruleset = indikator.loads(text)
    table = {"kode": ["1", "2"], "a": [1.0, 1e15], "b": [10.0, 20.0]}
    with pytest.raises(DataError) as sql_error:
        ruleset.evaluate_sql(connect(arrow_table(table)), "data")
    assert [p.code for p in sql_error.value.problems] == ["IK520"]


def test_values_across_the_whole_range_agree() -> None:
    ruleset = indikator.loads(RULES)
    a = [1e-6, 0.1, 9999999.999999999, 1e7, 123456789012345.0, 1e15, None, 1000000000.3]
    b = [0.0, 50.0, 49.999999999, 100.0, 0.000000001, 33.3, 12.5, None]
    table = {"kode": [str(i) for i in range(len(a))], "a": a, "b": b}
    compare_engines(ruleset, arrow_table(table))


def test_the_cli_writes_the_query_and_evaluates_in_duckdb(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "kks.sql"
    written = runner.invoke(main, ["sql", "kks@2021", "--dialect", "postgres", "-o", str(out)])
    assert written.exit_code == 0, written.output
    assert out.read_text(encoding="utf-8").rstrip().endswith(";")
    data = str(ROOT / "examples" / "kks_2021.csv")
    numpy = runner.invoke(main, ["evaluate", "kks@2021", data, "--lang", "en"])
    duck = runner.invoke(main, ["evaluate", "--engine", "duckdb", "kks@2021", data, "--lang", "en"])
    assert duck.exit_code == 0, duck.output
    assert duck.output == numpy.output


def test_the_duckdb_engine_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    runner = CliRunner()
    data = str(ROOT / "examples" / "kks_2021.csv")
    for args, shown in (
        ([str(tmp_path / "kks.xlsx")], ".xlsx"),
        ([data, "--locale", "id"], "--locale"),
        ([str(tmp_path / "none.parquet")], "none.parquet"),
    ):
        done = runner.invoke(main, ["evaluate", "--engine", "duckdb", "kks@2021", *args])
        assert done.exit_code == 1, done.output
        assert "IK804" in done.output
        assert shown in done.output
    # A CSV file is read by indikator's reader: a missing one gets the numpy engine's error.
    missing = ["kks@2021", str(tmp_path / "none.csv")]
    numpy = runner.invoke(main, ["evaluate", *missing])
    duck = runner.invoke(main, ["evaluate", "--engine", "duckdb", *missing])
    assert (duck.exit_code, duck.output) == (numpy.exit_code, numpy.output) == (1, duck.output)
    assert "IK503" in duck.output


def test_importing_indikator_imports_neither_sqlglot_nor_duckdb() -> None:
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    code = "import sys, indikator; print('sqlglot' in sys.modules, 'duckdb' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert done.stdout.split() == ["False", "False"]
