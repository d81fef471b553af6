"""The PostgreSQL queries run on a real server: numpy's values, bit for bit.

The server is the session's (`tests/postgres.py`: a private one, or INDIKATOR_TEST_POSTGRES's);
without PostgreSQL on the machine these tests skip. Tables are loaded with `\\copy` as text,
as `evaluate` reads CSV cells, and the results read back through `psql --csv` (PostgreSQL
writes a float8 in its shortest exact form, so the text is the float). The numpy engine is
the reference: equal tiers (codes and labels), values bit for bit (so totals to any
decimal), equal ranks, on every row the query does not flag.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("sqlglot")
pd = pytest.importorskip("pandas")

import indikator  # noqa: E402
from indikator.errors import DataError  # noqa: E402
from indikator.ruleset import Ruleset  # noqa: E402
from indikator.testing import rulesets, tables_for  # noqa: E402
from tests.examples import EXAMPLE_IDS, EXAMPLES  # noqa: E402
from tests.postgres import Postgres  # noqa: E402
from tests.sql_helpers import (  # noqa: E402
    assert_groups_equal,
    assert_unflagged_equal,
    csv_table,
    rollup_expected,
    write_csv,
)

ROOT = Path(__file__).resolve().parents[2]
# stunting_outcome.ikr (in EXAMPLES) ranks on text too.
TABLE = "indikator_data"


def _load_table(server: Postgres, path: Path, columns: list[str]) -> None:
    """The CSV file at `path` as the table TABLE, every column text, '' (quoted too) NULL."""
    server.load_csv(TABLE, path, columns)


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


@pytest.mark.parametrize(("ruleset", "data"), EXAMPLES, ids=EXAMPLE_IDS)
def test_postgres_gives_numpys_results(postgres: Postgres, ruleset: str, data: str) -> None:
    compiled = indikator.load(ROOT / ruleset)
    assert isinstance(compiled, Ruleset)
    frame = pd.read_csv(ROOT / data, dtype=str, keep_default_na=False)
    table = {name: [c or None for c in frame[name]] for name in frame.columns}
    assert _compare(postgres, compiled, ROOT / data, table) == {"unsure": 0, "problem": 0}


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rulesets(), st.data())
def test_random_rulesets_give_numpys_results(
    postgres: Postgres, tmp_path: Path, text: str, data: st.DataObject
) -> None:
    ruleset = indikator.loads(text)
    assert isinstance(ruleset, Ruleset)
    table = data.draw(tables_for(ruleset, max_size=8))
    path = tmp_path / "data.csv"
    write_csv(path, table)
    _compare(postgres, ruleset, path, table)


def test_the_query_fails_loudly_on_a_bad_cell(postgres: Postgres, tmp_path: Path) -> None:
    # PostgreSQL's CAST raises where DuckDB's TRY_CAST flags the row (docs/sql.md).
    ruleset = indikator.loads("ruleset r { scale 0 to 100 }\ninput x: percent\nindicator s = x\n")
    assert isinstance(ruleset, Ruleset)
    path = tmp_path / "bad.csv"
    write_csv(path, {"x": ["12.5", "banyak"]})
    _load_table(postgres, path, ["x"])
    with pytest.raises(AssertionError, match="invalid input syntax"):
        postgres.run(ruleset.to_sql(dialect="postgres", table=TABLE) + ";")


#: Names whose code-point order differs from a language's: case, accents, digits, a
#: letter beyond the Basic Multilingual Plane (U+1F600 sorts after U+FF5E in code points
#: and in UTF-8 bytes, before it in UTF-16), a space.
NAMES = ["Zebra", "apel", "Ápel", "éclair", "Émile", "10 Kota", "9 Kota", "kota 2", "Kota 10",
         "ß", "Ñandú", "naga", "\uff5e", "😀", "日本", "a b", "ab"]  # fmt: skip
TEXT_RANK = """\
ruleset r { region kode }
input kode: text
input nama: text
input x: percent
indicator s = x
rank urut = s desc ties nama asc
"""


def _language_collation(server: Postgres) -> str | None:
    """A collation that orders text as a language does (ICU's root), if the server has one."""
    found = server.run("SELECT collname FROM pg_collation WHERE collname = 'und-x-icu'", csv=True)
    return "und-x-icu" if "und-x-icu" in found else None


def test_a_rank_on_text_orders_by_code_point_as_numpy(postgres: Postgres, tmp_path: Path) -> None:
    ruleset = indikator.loads(TEXT_RANK)
    assert isinstance(ruleset, Ruleset)
    table = {
        "kode": [f"{i:02}" for i in range(len(NAMES))],
        "nama": NAMES,
        "x": ["50"] * len(NAMES),
    }
    path = tmp_path / "names.csv"
    write_csv(path, table)
    _load_table(postgres, path, list(table))
    language = _language_collation(postgres)
    if language is not None:  # the column ordered as a language: the query must not follow it
        postgres.run(f'ALTER TABLE {TABLE} ALTER COLUMN nama TYPE TEXT COLLATE "{language}"')
        by_language = postgres.run(f"SELECT nama FROM {TABLE} ORDER BY nama", csv=True)  # noqa: S608
        assert by_language.splitlines()[1:] != sorted(NAMES)  # so this test can fail
    got = _query(postgres, ruleset, ruleset.evaluate_many(table).env)
    by_rank = [
        name for _, name in sorted(zip(got["urut"].tolist(), got["nama"].tolist(), strict=True))
    ]
    assert by_rank == sorted(NAMES)  # Python orders str by code point
    assert got["urut"].tolist() == ruleset.evaluate_many(table)["urut"].tolist()
    assert 'COLLATE "C"' in ruleset.to_sql(dialect="postgres")


@pytest.mark.parametrize(("ruleset", "data"), EXAMPLES, ids=EXAMPLE_IDS)
def test_postgres_rolls_up_as_numpy(
    postgres: Postgres, tmp_path: Path, ruleset: str, data: str
) -> None:
    compiled = indikator.load(ROOT / ruleset)
    assert isinstance(compiled, Ruleset)
    table = csv_table(data)
    path = tmp_path / "data.csv"
    write_csv(path, table)
    _load_table(postgres, path, list(table))
    view = compiled.to_sql(dialect="postgres", table=TABLE, keep=["provinsi"])
    postgres.run(f"DROP VIEW IF EXISTS nilai;\nCREATE VIEW nilai AS {view};")
    try:
        for scores in (None, "nilai"):
            text = compiled.rollup_sql("provinsi", dialect="postgres", table=TABLE, scores=scores)
            shown = postgres.run(text + ";", csv=True)
            frame = pd.read_csv(io.StringIO(shown), dtype=str, keep_default_na=False)
            got = [_typed_group(row) for row in frame.to_dict("records")]
            assert assert_groups_equal(got, rollup_expected(compiled, table)) == 0
    finally:
        postgres.run("DROP VIEW nilai;")  # the next test drops the table


def _typed_group(row: dict[str, str]) -> dict[str, Any]:
    """A roll-up row from psql's CSV: counts as int, mean and shares as float, flags as bool."""
    out: dict[str, Any] = {}
    for name, cell in row.items():
        if name in ("_unsure", "_problem"):
            out[name] = cell == "t"
        elif name == "count" or name.startswith("count."):
            out[name] = int(cell)
        elif name == "mean" or name.startswith("share."):
            out[name] = float(cell) if cell else None
        else:
            out[name] = cell
    return out
