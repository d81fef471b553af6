"""What `evaluate_sql` fetches from DuckDB: the kept values, and the flagged rows' cells.

The scores query gives only the values `Results` keeps (`keep`, as `evaluate_many`'s);
the cells of the rows the query flags are read by a second query, as the table holds
them and converted as numpy converts an Arrow table, so a bad cell is named as the numpy
engine names it (an integer beside a NULL as `1`, not `1.0`; a date as `'2020-01-01'`).
"""

from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("duckdb")
pytest.importorskip("sqlglot")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from click.testing import CliRunner  # noqa: E402

import indikator  # noqa: E402
from indikator.cli import main  # noqa: E402
from indikator.errors import DataError  # noqa: E402
from indikator.kept import Kept, TableChangedError  # noqa: E402
from indikator.ruleset import Ruleset  # noqa: E402
from indikator.sql import engine  # noqa: E402
from indikator.sql._compile import UNSURE  # noqa: E402
from indikator.sql.engine import _cells, _fetched, _input_names, query_text  # noqa: E402
from tests.sql_helpers import connect, same  # noqa: E402

RULES = """\
ruleset uji { region kode }
input kode: text
input a: number { range 0 to 1000000000000000 missing exclude }
input s: option("satu", "dua") { missing zero }
input y: yesno { missing zero }
let bagi = a / 7
indicator i_a = bands a { [0, 10000000) -> 0  [10000000, 1000000000000000] -> 10 }
indicator i_bagi = bands bagi { (-inf, 1000) -> 0  [1000, inf) -> 3 }
indicator i_s = options s { "satu" -> 1  "dua" -> 4 }
indicator i_y = if y then 2 else 0
group total = mean(i_a, i_bagi, i_s, i_y) max 100 round half_up 2
tiers on total {
  below "Belum"
  baik "Baik" [50, 100]
}
"""


def _ruleset(text: str = RULES) -> Ruleset:
    ruleset = indikator.loads(text)
    assert isinstance(ruleset, Ruleset)
    return ruleset


def _table(**columns: Any) -> Any:
    """Three regions, good cells; `columns` replaces some by Arrow arrays of other types."""
    base = {
        "kode": pa.array(["3201", "3202", "3203"]),
        "a": pa.array([5.0, 2e7, None], pa.float64()),
        "s": pa.array(["satu", "dua", None]),
        "y": pa.array(["ya", None, "tidak"]),
    }
    return pa.table(base | columns)


def _errors(ruleset: Ruleset, table: Any) -> list[tuple[str, str]]:
    """numpy's DataError beside the SQL engine's, in Indonesian and English: both raised."""
    with pytest.raises(DataError) as numpy:
        ruleset.evaluate_many(table)
    with pytest.raises(DataError) as sql:
        ruleset.evaluate_sql(connect(table), "data")
    return [(numpy.value.render(lang), sql.value.render(lang)) for lang in ("id", "en")]


# Bad option cells of other stored types: how numpy shows each (by hand, from the Arrow
# value: `data.arrow_column` keeps an integer an integer beside a NULL, a date ISO text).
BAD_CELLS = {
    "an integer beside a null": (pa.array([1, None, 3], pa.int64()), "3201 (1), 3203 (3)"),
    "a date": (pa.array([dt.date(2020, 1, 2), None, None]), "3201 ('2020-01-02')"),
    "integers": (pa.array([7, 8, 9], pa.int64()), "3201 (7), 3202 (8), 3203 (9)"),
    "a decimal": (
        pa.array([decimal.Decimal("1.50"), None, None], pa.decimal128(5, 2)),
        "3201 (1.50)",  # numpy shows a Decimal as its text, str(Decimal("1.50"))
    ),
    "a word with a blank": (pa.array([" dua", None, None]), "3201 (' dua')"),
}


@pytest.mark.parametrize("cells", BAD_CELLS.values(), ids=BAD_CELLS)
def test_a_bad_option_cell_is_named_as_numpy_names_it(cells: tuple[Any, str]) -> None:
    column, shown = cells
    for numpy, sql in _errors(_ruleset(), _table(s=column)):
        assert sql == numpy
        assert shown in sql  # the cell as written, worked out by hand above


def test_an_integer_yes_no_cell_beside_a_null_is_not_shown_as_a_float() -> None:
    column = pa.array([2, None, 1], pa.int64())  # 1 is a yes word, 2 is not
    for numpy, sql in _errors(_ruleset(), _table(y=column)):
        assert sql == numpy
        assert "(2)" in sql
        assert "2.0" not in sql


def test_a_bad_cell_of_a_region_without_id_is_named_by_its_row_in_the_table() -> None:
    # Among the flagged rows alone the region would be 'row 1': numpy names the table's row.
    table = _table(kode=pa.array(["3201", "3202", None]), s=pa.array(["satu", "dua", "tiga"]))
    (numpy_id, sql_id), (numpy_en, sql_en) = _errors(_ruleset(), table)
    assert (sql_id, sql_en) == (numpy_id, numpy_en)
    assert "row 3 ('tiga')" in sql_en


def test_repeated_region_ids_are_refused_as_numpy_refuses_them() -> None:
    for numpy, sql in _errors(_ruleset(), _table(kode=pa.array(["3201", "3202", "3201"]))):
        assert sql == numpy


def test_a_parquet_file_gives_the_numpy_engines_error_text(tmp_path: Path) -> None:
    ruleset = tmp_path / "uji.ikr"
    ruleset.write_text(RULES, encoding="utf-8")
    data = tmp_path / "data.parquet"
    pq.write_table(_table(s=pa.array([1, None, 3], pa.int64())), data)
    runner = CliRunner()
    numpy = runner.invoke(main, ["evaluate", str(ruleset), str(data)])
    duck = runner.invoke(main, ["evaluate", "--engine", "duckdb", str(ruleset), str(data)])
    assert numpy.exit_code == duck.exit_code == 1
    assert duck.output == numpy.output
    assert "(1)" in duck.output


def _near_edges() -> Any:
    """Regions the query flags `_unsure` (a value within the float's error of an edge)."""
    a = [5.0, 9999999.999999999, 7000.000000001, 6999.999999999, None, 1e15, 2e7, 0.1]
    return pa.table(
        {
            "kode": pa.array([f"32{i:02d}" for i in range(len(a))]),
            "a": pa.array(a, pa.float64()),
            "s": pa.array(["satu", "dua", None, "satu", "dua", None, "satu", "dua"]),
            "y": pa.array(["ya", "tidak", None, "ya", "ya", "tidak", None, "ya"]),
        }
    )


@pytest.mark.parametrize("keep", ["outputs", "scores", "all"])
def test_every_value_of_every_keep_mode_is_numpys(keep: str) -> None:
    ruleset, table = _ruleset(), _near_edges()
    connection = connect(table)
    bare = connection.execute(query_text(ruleset, "data")).fetchnumpy()
    assert np.asarray(bare[UNSURE], dtype=bool).any()  # so rows are redone by numpy
    expected = ruleset.evaluate_many(table, keep="all")
    got = ruleset.evaluate_sql(connection, "data", keep=keep)
    assert list(got.regions) == list(expected.regions)
    assert set(got.env) == set(expected.env)
    for name in expected.env:  # lets, a band's subject, inputs: worked out when asked for
        assert same(got[name], expected[name]), name
    assert got.tiers("en") == expected.tiers("en")


RANKED = RULES.replace("input kode: text\n", "input kode: text\ninput prov: text\n") + (
    "rank urut = total desc within prov ties bagi desc, a asc\n"
)


@pytest.mark.parametrize("keep", ["outputs", "scores", "all"])
def test_a_rank_by_a_let_and_an_input_within_a_column_is_numpys(keep: str) -> None:
    ruleset = _ruleset(RANKED)
    table = _near_edges().append_column("prov", pa.array(["P1", "P2"] * 4))
    expected = ruleset.evaluate_many(table)
    got = ruleset.evaluate_sql(connect(table), "data", keep=keep)
    assert same(got["urut"], expected["urut"])
    assert got.rank("urut") == expected.rank("urut")
    # By hand: competition ranks of (total desc, bagi desc, a asc) in each province.
    keys = zip(expected.total, expected["bagi"], expected["a"], strict=True)
    assert got.rank("urut")["urut"] == _by_hand(list(keys), ["P1", "P2"] * 4)


def _by_hand(keys: list[tuple[float, float, float]], groups: list[str]) -> list[int | None]:
    """Competition ranks (1, 2, 2, 4): by the first key descending, then the second
    descending, the third ascending, a missing tie-break last; no rank without the first."""
    late = float("inf")
    order = [(-t, late if np.isnan(b) else -b, late if np.isnan(a) else a) for t, b, a in keys]
    out: list[int | None] = []
    for index, (key, group) in enumerate(zip(order, groups, strict=True)):
        mates = [k for k, g in zip(order, groups, strict=True) if g == group]
        ranked = [k for k in mates if not np.isnan(k[0])]
        out.append(None if np.isnan(keys[index][0]) else 1 + sum(k < key for k in ranked))
    return out


def test_keep_scores_reads_the_inputs_again_from_the_connection() -> None:
    ruleset, table = _ruleset(), _near_edges()
    connection = connect(table)
    got = ruleset.evaluate_sql(connection, "data", keep="scores")
    assert isinstance(got.env, Kept)
    assert not got.env.complete()  # neither inputs nor indicators were fetched
    connection.execute("UPDATE data SET a = 2e7 WHERE a < 1e7")  # i_a changes
    assert same(got.total, ruleset.evaluate_many(table).total)  # kept: fetched before
    with pytest.raises(TableChangedError):
        got["i_a"]


def test_the_query_gives_only_what_is_kept() -> None:
    plan = _ruleset().plan
    inputs = _input_names(plan)
    assert inputs == ["kode", "a", "s", "y"]
    outputs = {"kode", "a", "s", "y", "i_a", "i_a.met", "i_bagi", "i_bagi.met"}
    outputs |= {"i_s", "i_s.met", "i_y", "i_y.met", "tier", "total"}
    assert set(_fetched(plan, "outputs", inputs)) == outputs  # not the let `bagi`
    assert set(_fetched(plan, "scores", inputs)) == {"kode", "tier", "total"}
    assert set(_fetched(plan, "all", inputs)) == outputs | {"bagi"}


def test_keep_outputs_works_a_let_out_from_the_inputs_it_fetched() -> None:
    ruleset, table = _ruleset(), _near_edges()
    connection = connect(table)
    got = ruleset.evaluate_sql(connection, "data")
    connection.execute("DROP TABLE data")  # no longer read: `bagi` from the fetched inputs
    assert same(got["bagi"], ruleset.evaluate_many(table)["bagi"])


def test_an_unknown_keep_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="keep must be one of"):
        _ruleset().evaluate_sql(connect(_table()), "data", keep="some")


def test_the_cells_of_the_picked_rows_only_as_the_table_holds_them() -> None:
    table = _table(s=pa.array([1, None, 3], pa.int64()))
    cells = _cells(_ruleset().plan, connect(table), "data", np.array([2, 3]))
    assert cells["kode"].tolist() == ["3202", "3203"]
    assert cells["s"].tolist() == [None, 3]  # an integer, not 3.0
    assert cells["a"].tolist()[0] == 2e7
    assert np.isnan(cells["a"][1])


def test_many_rows_are_picked_in_python_with_the_same_cells(monkeypatch: Any) -> None:
    table = _table(s=pa.array([1, None, 3], pa.int64()))
    plan, connection = _ruleset().plan, connect(table)
    in_duckdb = _cells(plan, connection, "data", np.array([1, 3]))
    monkeypatch.setattr(engine, "PICKED_IN_DUCKDB", 1)  # two rows are "many"
    in_python = _cells(plan, connection, "data", np.array([1, 3]))
    assert in_python.keys() == in_duckdb.keys()
    for name, cells in in_duckdb.items():
        assert same(in_python[name], cells), name
    assert in_python["s"].tolist() == [1, 3]
    assert in_python["kode"].tolist() == ["3201", "3203"]
