"""A Parquet folder larger than DuckDB's memory limit: evaluate_sql still gives numpy's results.

DuckDB streams the rows through the query's levels, spills its sort (the row order) to
disk and writes the result to a Parquet file that Python reads, so DuckDB never holds it
whole (docs/sql.md, "Tables larger than memory"). Materialized levels, or the result
fetched from DuckDB, would not fit: this test then fails with an out-of-memory error.
Ranks: numpy ranks the fetched results; with the `RANK()` windows in DuckDB's query, or
the result written in DuckDB's default row groups, the second test runs out of memory.
A CSV file is read in blocks (`sql._csv_blocks`): the last test bounds the peak memory
of its evaluation by half the file's size, in a process of its own.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

duckdb = pytest.importorskip("duckdb")
pytest.importorskip("sqlglot")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pd = pytest.importorskip("pandas")

import indikator  # noqa: E402
from indikator.ruleset import Ruleset  # noqa: E402
from tests.sql_helpers import same  # noqa: E402

LIMIT = 64 * 2**20  # DuckDB's memory limit, bytes
ROWS = 2_500_000
PARTS = 4
RULES = """\
ruleset besar { region kode }
input kode: text
input a: number { range 0 to 100000000 missing exclude }
input b: number { range 0 to 100 missing zero }
let bagi = if b > 0 then a / b else 0
indicator i_a = bands a { [0, 10000000) -> 0  [10000000, 100000000] -> 10 }
indicator i_b = bands b { [0, 50) -> 0  [50, 100] -> 5 }
indicator i_bagi = bands bagi { (-inf, 1000000) -> 0  [1000000, inf) -> 3 }
indicator i_lin = linear b from 20 to 80 onto 0 to 7 round half_even 1
group total = mean(i_a, i_b, i_bagi, i_lin) max 100 round half_up 2
tiers on total {
  below "Belum"
  baik "Baik" [50, 100]
}
"""


def _write_parts(folder: Path) -> dict[str, np.ndarray]:
    """ROWS random regions in PARTS uncompressed Parquet files; the same table in numpy."""
    rng = np.random.default_rng(18)
    table = {
        "kode": np.array([f"R{i:08d}" for i in range(ROWS)], dtype=object),
        "a": np.round(rng.uniform(0, 1e8, ROWS), 2),
        "b": np.round(rng.uniform(0, 100, ROWS), 2),
    }
    table["b"][rng.random(ROWS) < 0.01] = np.nan  # some missing cells
    folder.mkdir()
    for part in range(PARTS):
        rows = slice(part * ROWS // PARTS, (part + 1) * ROWS // PARTS)
        columns = {name: pa.array(values[rows], from_pandas=True) for name, values in table.items()}
        path = folder / f"part{part}.parquet"
        pq.write_table(pa.table(columns), path, compression="none", use_dictionary=False)
    return table


def test_a_parquet_folder_larger_than_duckdbs_memory(tmp_path: Path) -> None:
    ruleset = indikator.loads(RULES)
    assert isinstance(ruleset, Ruleset)
    table = _write_parts(tmp_path / "data")
    size = sum(f.stat().st_size for f in (tmp_path / "data").iterdir())
    assert size > LIMIT, size  # the files alone are more than DuckDB may hold
    config = {"memory_limit": f"{LIMIT // 2**20}MB", "threads": "2"}
    connection = duckdb.connect(config={**config, "temp_directory": str(tmp_path / "spill")})
    connection.read_parquet(str(tmp_path / "data" / "*.parquet")).create_view("data")
    got = ruleset.evaluate_sql(connection, "data")
    expected = ruleset.evaluate_many(table)
    assert list(got.regions) == list(expected.regions)
    for name in ("total", "tier", "bagi", "i_lin"):
        assert same(got[name], expected[name]), name
    assert got.tiers("en") == expected.tiers("en")


RANKED_ROWS = 2_000_000
RANKED_LIMIT = 64 * 2**20
RANKED = RULES.replace("input kode: text\n", "input kode: text\ninput prov: text\n") + (
    "rank peringkat = total desc within prov ties b desc\nrank urutan = a desc\n"
)


def _write_ranked_parts(folder: Path) -> dict[str, np.ndarray]:
    """RANKED_ROWS regions in 34 provinces; many ties on `total` and `b`, missing cells."""
    rng = np.random.default_rng(1818)
    rows = RANKED_ROWS
    province = np.array([f"P{i:02d}" for i in rng.integers(0, 34, rows)], dtype=object)
    table = {
        "kode": np.array([f"R{i:08d}" for i in range(rows)], dtype=object),
        "prov": province,
        "a": np.round(rng.uniform(0, 1e8, rows), 2),
        "b": np.round(rng.uniform(0, 100, rows), 1),  # few values: many ties to break
    }
    table["a"][rng.random(rows) < 0.01] = np.nan  # missing: no rank by `a`
    table["b"][rng.random(rows) < 0.01] = np.nan  # missing: a tie-break key ranks last
    folder.mkdir()
    for part in range(PARTS):
        picked = slice(part * rows // PARTS, (part + 1) * rows // PARTS)
        columns = {n: pa.array(v[picked], from_pandas=True) for n, v in table.items()}
        path = folder / f"part{part}.parquet"
        pq.write_table(pa.table(columns), path, compression="none", use_dictionary=False)
    return table


def test_ranks_of_a_parquet_folder_larger_than_duckdbs_memory(tmp_path: Path) -> None:
    ruleset = indikator.loads(RANKED)
    assert isinstance(ruleset, Ruleset)
    table = _write_ranked_parts(tmp_path / "data")
    size = sum(f.stat().st_size for f in (tmp_path / "data").iterdir())
    assert size > RANKED_LIMIT, size
    config = {"memory_limit": f"{RANKED_LIMIT // 2**20}MB", "threads": "1"}
    connection = duckdb.connect(config={**config, "temp_directory": str(tmp_path / "spill")})
    connection.read_parquet(str(tmp_path / "data" / "*.parquet")).create_view("data")
    got = ruleset.evaluate_sql(connection, "data")
    expected = ruleset.evaluate_many(table)
    assert list(got.regions) == list(expected.regions)
    for name in ("total", "tier", "peringkat", "urutan"):
        assert same(got[name], expected[name]), name
    # And by an independent count: `a` has 2 decimals, so no two values are near-equal
    # without being equal, and numpy's rank is the competition rank ("min") of pandas.
    by_pandas = pd.Series(table["a"]).rank(method="min", ascending=False).to_numpy()
    assert same(got["urutan"], by_pandas)
    assert got.tiers("en") == expected.tiers("en")


CSV_ROWS = 20_000
NOTE = 10_000  # characters of an ignored column per row: the file is wide, the result not
MEASURE = """\
import resource, sys
from pathlib import Path
import numpy as np
import indikator
from indikator.sql.engine import evaluate_path

ruleset = indikator.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
evaluate_path(ruleset, sys.argv[2], extra="ignore")  # DuckDB, the query: fixed costs
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
got = evaluate_path(ruleset, sys.argv[3], extra="ignore")
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before  # KiB on Linux
np.save(sys.argv[4], np.stack([got["total"], got["tier"].astype(float)]))
print(grown * 1024)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is counted in KiB on Linux")
def test_a_csv_file_larger_than_its_bound_is_read_in_blocks(tmp_path: Path) -> None:
    """The peak memory of `evaluate_path` on a CSV file grows by less than half the file.

    Measured as the peak resident memory (`ru_maxrss`) of a fresh process, after the
    same evaluation of a small file (DuckDB's and the query's fixed costs), against the
    file's size. RLIMIT_AS would bound the address space instead, which DuckDB's thread
    arenas and reservations fill unpredictably. The whole-file reader holds the file's
    text, then its rows, at once (four times the file here: one ASCII byte per
    character each, and more for the rows' objects), so this fails if the file is read
    whole; it could also fail if the rows' results (held in memory, about 1.4 kB per row
    measured) grew past it, or DuckDB's cost did with the data.
    """
    rng = np.random.default_rng(5)
    a = [f"{v:.2f}" for v in rng.uniform(0, 1e8, CSV_ROWS)]
    b = [f"{v:.1f}" for v in rng.uniform(0, 100, CSV_ROWS)]
    kode = [f"R{i:08d}" for i in range(CSV_ROWS)]
    path, small = tmp_path / "data.csv", tmp_path / "small.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("kode;a;b;catatan\n")
        note = "x" * NOTE
        handle.writelines(f"{k};{x};{y};{note}\n" for k, x, y in zip(kode, a, b, strict=True))
    small.write_text("kode;a;b;catatan\nR1;1.5;2;-\n", encoding="utf-8")
    rules = tmp_path / "besar.ikr"
    rules.write_text(RULES, encoding="utf-8")
    saved = tmp_path / "got.npy"
    command = [sys.executable, "-c", MEASURE, str(rules), str(small), str(path), str(saved)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr
    grown, size = int(done.stdout.split()[-1]), path.stat().st_size
    assert size > 190 * 2**20
    assert grown < size / 2, (grown, size)
    ruleset = indikator.loads(RULES)
    assert isinstance(ruleset, Ruleset)
    expected = ruleset.evaluate_many({"kode": kode, "a": a, "b": b})
    total, tier = np.load(saved)
    assert same(total, expected["total"])
    assert same(tier, expected["tier"].astype(float))
