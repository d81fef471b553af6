"""docs/dashboards.md stays true: every code block on it runs, its figures are numpy's.

The page's ```python and ```sql blocks run in DuckDB, in page order, in a fresh folder
holding `examples/`; its ```sh block (the views made with `indikator sql` and `psql`) and
its ```sql blocks run in PostgreSQL where the tests can start a server (tests/postgres.py).
The table of figures under the first SQL query is that query's result in both, and
`evaluate --by provinsi`'s (numpy); the picture is the one the page's code draws.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("duckdb")
pytest.importorskip("sqlglot")
pd = pytest.importorskip("pandas")

import io  # noqa: E402

import indikator  # noqa: E402
from tests.postgres import Postgres  # noqa: E402
from tests.sql_helpers import csv_table, rollup_expected  # noqa: E402
from tests.unit.test_docs_transcripts import _blocks  # noqa: E402  # the one block reader

ROOT = Path(__file__).resolve().parents[2]
PAGE = "dashboards.md"
PICTURE = ROOT / "docs" / "img" / "dasbor-kks-provinsi.svg"
FIGURES_HEADER = "| provinsi | count | mean |"


def _code(lang: str) -> list[str]:
    return ["\n".join(body) for _, language, body in _blocks(PAGE) if language == lang]


def _figures() -> list[list[str]]:
    """The page's table of figures per province: its rows of cells, as text."""
    lines = (ROOT / "docs" / PAGE).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(FIGURES_HEADER))
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return [rows[0], *rows[2:]]  # the header, then the rows after the |---| line


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def test_every_block_is_one_this_module_runs() -> None:
    languages = [language for _, language, _ in _blocks(PAGE)]
    assert set(languages) == {"python", "sh", "sql"}
    assert languages.count("sh") == 1


def test_the_page_runs_in_duckdb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    first, chart = _code("python")
    exec(first, namespace)  # noqa: S102  # the page's own code
    con = namespace["con"]
    figures, one_province, per_tier = _code("sql")
    cursor = con.execute(figures)
    header = [d[0] for d in cursor.description]
    rows = [[_shown(v) for v in row] for row in cursor.fetchall()]
    assert [header, *rows] == _figures()
    kks = indikator.load_ruleset("kks", 2025)
    numpy = rollup_expected(kks, csv_table("examples/kks_2025.csv"))
    assert [[_shown(g[name]) for name in header] for g in numpy] == rows
    barat = con.execute(one_province).fetchall()
    assert len(barat) == next(int(r[1]) for r in rows if r[0] == "Contoh Barat")
    assert [r[2] for r in barat] == sorted((r[2] for r in barat), reverse=True)
    counted = con.execute(per_tier).fetchall()
    assert sum(r[2] for r in counted) == sum(int(r[1]) for r in rows)
    exec(chart, namespace)  # noqa: S102
    drawn = (tmp_path / "dasbor-kks-provinsi.svg").read_text(encoding="utf-8")
    assert drawn == PICTURE.read_text(encoding="utf-8")
    con.close()


def test_the_page_runs_in_postgres(postgres: Postgres, tmp_path: Path) -> None:
    table = csv_table("examples/kks_2025.csv")
    postgres.run("DROP VIEW IF EXISTS kks_provinsi, kks_nilai;")
    postgres.load_csv("kks_data", ROOT / "examples" / "kks_2025.csv", list(table))
    (shell,) = _code("sh")
    psql, dsn = postgres.psql, postgres.dsn
    prelude = (
        f'indikator() {{ "{sys.executable}" -m indikator "$@"; }}\n'
        # `psql -d dasbor` on the page: the tests' server instead of the database dasbor
        f'psql() {{ "{psql}" "{dsn}" -X -v ON_ERROR_STOP=1 -q "${{@:3}}"; }}\n'
        "set -e\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(  # noqa: S603  # the page's own commands
        ["bash", "-c", prelude + shell],  # noqa: S607
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    try:
        figures, one_province, per_tier = _code("sql")
        frame = pd.read_csv(io.StringIO(postgres.run(figures + ";", csv=True)), dtype=str)
        assert [list(frame.columns), *frame.values.tolist()] == _figures()
        for query in (one_province, per_tier):
            assert postgres.run(query + ";", csv=True).count("\n") > 1
    finally:
        postgres.run("DROP VIEW IF EXISTS kks_provinsi, kks_nilai;\nDROP TABLE kks_data;")
