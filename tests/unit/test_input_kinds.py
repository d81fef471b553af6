"""One table, whatever brings it (issue 15): a mapping, a DataFrame, an Arrow table, Parquet.

pandas categoricals and Arrow text, dictionary-encoded and nullable integer columns are
read through their distinct values (no Python object per cell), numbers without a copy.
The results must be bit for bit those of the mapping of the same cells, and a bad cell
must be named exactly as the mapping's: same region, field and value.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import run  # benchmarks/ is on the path: `pythonpath` in pyproject.toml
from hypothesis import given, settings
from hypothesis import strategies as st

import indikator
from indikator import data
from indikator.cells import parse_options
from indikator.data import columns_of, table_columns
from indikator.errors import DataError
from indikator.tables import read_table
from indikator.testing import rulesets, tables_for
from tests.unit.test_speed_digests import EXPECTED, digest

Columns = dict[str, list[Any]]

RULES = """\
ruleset jenis {
  scale 0 to 100
  region kode
}
input kode: text
input opsi: option("a", "b", "c") { missing zero }
input ada: yesno { missing zero }
input nilai: number { range 0 to 10000 missing zero }
input jumlah: count { range 0 to 3 missing zero }
indicator p = options opsi {
  "a" -> 10
  "b" -> 20
  "c" -> 30
}
indicator q = if ada then 20 else 0
indicator r = linear nilai from 0 to 100 onto 0 to 20
indicator s = linear jumlah from 0 to 3 onto 0 to 30
group total = sum(p, q, r, s)
"""

# Each row's bad cell worked out by hand: 3202's option 'x', 3203's yes/no 'mungkin',
# 3202's '9O' (not a number) and 3204's '1.000' (one, or one thousand?), 3205's count 5
# (above 3).
BAD: Columns = {
    "kode": ["3201", "3202", "3203", "3204", "3205"],
    "opsi": ["a", "x", "b", None, "a"],
    "ada": ["ya", "tidak", "mungkin", "ya", None],
    "nilai": ["50", "9O", None, "1.000", "75"],
    "jumlah": [1, 2, None, 3, 5],
}


def as_frame(columns: Columns) -> pd.DataFrame:
    """A DataFrame as pandas infers it: text in Arrow ("str"), integers with NA "Int64"."""
    frame = pd.DataFrame(columns)
    for name, values in columns.items():
        if all(isinstance(v, int) or v is None for v in values):
            frame[name] = pd.array(values, dtype="Int64")
    return frame


def as_categories(columns: Columns) -> pd.DataFrame:
    frame = as_frame(columns)
    return frame.astype(dict.fromkeys(frame.columns, "category"))


def as_arrow(columns: Columns) -> pa.Table:
    return pa.table({name: pa.array(values) for name, values in columns.items()})


def as_dictionary(columns: Columns) -> pa.Table:
    table = as_arrow(columns)
    return pa.table({name: table[name].dictionary_encode() for name in table.column_names})


def as_parquet(folder: Path) -> Callable[[Columns], Any]:
    def write(columns: Columns) -> Any:
        path = folder / "data.parquet"
        pq.write_table(as_arrow(columns), path)
        return read_table(path)

    return write


def kinds(folder: Path) -> dict[str, Callable[[Columns], Any]]:
    return {
        "pandas": as_frame,
        "pandas-category": as_categories,
        "pandas-object": lambda columns: as_frame(columns).astype(object),
        "arrow": as_arrow,
        "arrow-dictionary": as_dictionary,
        "parquet": as_parquet(folder),
    }


@pytest.fixture(scope="module")
def ruleset() -> indikator.Ruleset:
    return indikator.loads(RULES)


def _refused(ruleset: indikator.Ruleset, table: Any) -> DataError:
    with pytest.raises(DataError) as caught:
        ruleset.evaluate_many(table)
    return caught.value


def test_the_bad_table_names_each_bad_cell(ruleset: indikator.Ruleset) -> None:
    # The reference the other kinds are held to: every bad cell, with its region and value.
    text = str(_refused(ruleset, BAD))
    for cell in ("3202 ('x')", "3203 ('mungkin')", "3202 ('9O')", "3204 ('1.000')", "3205 (5.0)"):
        assert cell in text, text


@pytest.mark.parametrize("kind", sorted(kinds(Path())))
def test_a_bad_cell_is_named_as_from_a_mapping(
    ruleset: indikator.Ruleset, kind: str, tmp_path: Path
) -> None:
    expected = _refused(ruleset, BAD)
    found = _refused(ruleset, kinds(tmp_path)[kind](BAD))
    assert [p.code for p in found.problems] == [p.code for p in expected.problems]
    for lang in ("en", "id"):
        assert found.render(lang) == expected.render(lang)


@pytest.mark.parametrize("kind", sorted(kinds(Path())))
def test_repeated_ids_are_named_as_from_a_mapping(
    ruleset: indikator.Ruleset, kind: str, tmp_path: Path
) -> None:
    # Two ids over eight rows: read through their codes, and still each repeat found.
    cells: Columns = {"kode": ["3201", "3202"] * 4, "opsi": ["a"] * 8, "ada": ["ya"] * 8}
    cells |= {"nilai": ["50"] * 8, "jumlah": [1] * 8}
    expected = _refused(ruleset, cells)
    assert [p.code for p in expected.problems] == ["IK507"]
    assert _refused(ruleset, kinds(tmp_path)[kind](cells)).render() == expected.render()


@pytest.mark.parametrize("kind", sorted(kinds(Path())))
def test_good_cells_give_the_results_of_a_mapping(
    ruleset: indikator.Ruleset, kind: str, tmp_path: Path
) -> None:
    good: Columns = {
        "kode": ["3201", "3202", "3203", "3204"],
        "opsi": ["a", "c", None, "b"],
        "ada": ["ya", None, "tidak", "ya"],
        "nilai": ["50", "12.5", None, "100"],
        "jumlah": [1, None, 3, 0],
    }
    # By hand: 10+20+10+10, 30+0+2.5+0, 0+0+0+30, 20+20+20+0.
    expected = ruleset.evaluate_many(good)
    assert expected["total"].tolist() == [50.0, 32.5, 30.0, 60.0]
    assert digest(ruleset.evaluate_many(kinds(tmp_path)[kind](good))) == digest(expected)


def test_an_unused_category_does_not_change_how_text_is_read(
    ruleset: indikator.Ruleset,
) -> None:
    # '85.25' beside '1.000' says points are decimal points: '1.000' would be one. Unused,
    # it is no cell of the column, and '1.000' stays refused as from a mapping.
    cells: Columns = {"kode": ["3201"], "opsi": ["a"], "ada": ["ya"], "nilai": ["1.000"]}
    cells["jumlah"] = [1]
    frame = as_frame(cells)
    frame["nilai"] = pd.Categorical(["1.000"], categories=["1.000", "85.25"])
    arrow = as_arrow(cells).set_column(
        3, "nilai", pa.DictionaryArray.from_arrays([0], ["1.000", "85.25"])
    )
    expected = _refused(ruleset, cells)
    assert [p.code for p in expected.problems] == ["IK512"]
    for table in (frame, arrow):
        assert _refused(ruleset, table).render() == expected.render()


def test_categories_are_read_once_each(
    ruleset: indikator.Ruleset, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    parse = parse_options

    def counted(values: Any, choices: Any) -> Any:
        seen.append(len(values))
        return parse(values, choices)

    monkeypatch.setattr(data, "parse_options", counted)
    size = 3000
    frame = pd.DataFrame(
        {
            "kode": [f"R{i}" for i in range(size)],
            "opsi": pd.Categorical(["a", "b", None] * (size // 3), categories=["c", "b", "a"]),
            "ada": [1.0] * size,
            "nilai": [50.0] * size,
            "jumlah": [1.0] * size,
        }
    )
    results = ruleset.evaluate_many(frame)
    assert seen == [3]  # 'a', 'b' and the empty cell; 'c' is no cell's
    assert results["p"][:3].tolist() == [10.0, 20.0, 0.0]


def test_numbers_are_not_copied() -> None:
    frame = pd.DataFrame({"x": np.arange(5.0), "y": np.arange(5)})
    columns = table_columns(frame)
    assert np.shares_memory(columns["x"], frame["x"].to_numpy())
    assert np.shares_memory(columns["y"], frame["y"].to_numpy())
    arrow = pa.table({"x": np.arange(5.0)})
    assert np.shares_memory(table_columns(arrow)["x"], arrow["x"].chunk(0).to_numpy())


def test_cells_read_through_codes_cannot_be_changed() -> None:
    # validate reads them by their codes: a changed cell would be read as it was.
    cells = table_columns(pa.table({"t": ["a", "b", None] * 4}))["t"]
    assert cells.tolist() == ["a", "b", None] * 4
    with pytest.raises(ValueError, match="read-only"):
        cells[0] = "c"


def test_chunks_with_dictionaries_of_their_own() -> None:
    column = pa.chunked_array(
        [pa.array(["b", "a"]).dictionary_encode(), pa.array([None, "c", "b"]).dictionary_encode()]
    )
    assert table_columns(pa.table({"t": column}))["t"].tolist() == ["b", "a", None, "c", "b"]


def test_yes_no_with_nulls_as_from_a_mapping(ruleset: indikator.Ruleset) -> None:
    cells: Columns = {"kode": ["3201", "3202", "3203"], "opsi": ["a", "b", "c"]}
    cells |= {"ada": [True, None, False], "nilai": [1.0, 2.0, 3.0], "jumlah": [1, 2, 3]}
    frame = as_frame(cells)
    frame["ada"] = pd.array(cells["ada"], dtype="boolean")
    assert table_columns(frame)["ada"].tolist() == [True, None, False]
    # By hand: a 10+20, b 20+0, c 30+0, with 0.2, 0.4, 0.6 and 10, 20, 30 points.
    expected = ruleset.evaluate_many(cells)
    assert expected["total"].tolist() == [40.2, 40.4, 60.6]
    for table in (frame, as_arrow(cells)):
        assert digest(ruleset.evaluate_many(table)) == digest(expected)


def test_integers_beyond_floats_stay_exact() -> None:
    big = 2**62 + 1  # float64 would round it to 2**62
    for table in (pa.table({"n": [big, None]}), pd.DataFrame({"n": pd.array([big, None])})):
        assert table_columns(table)["n"].tolist() == [big, None]


@pytest.mark.parametrize("kind", ["pandas", "pandas-category", "arrow", "arrow-dictionary"])
def test_the_benchmark_table_gives_its_pinned_digest(kind: str) -> None:
    # The digest was pinned from the mapping before this change (test_speed_digests).
    table = run.make_table(1000)
    coded: list[str] = [c for c in ("kode_kabkota", "nama_kabkota") if c in table]
    for spec in indikator.load(run.RULESET).plan.inputs:
        if spec.kind in ("option", "yesno", "checklist"):
            coded += columns_of(spec)
    if kind.startswith("pandas"):
        given: Any = pd.DataFrame(table)
        if kind == "pandas-category":
            given = given.astype(dict.fromkeys(coded, "category"))
    else:
        arrays = {name: pa.array(values) for name, values in table.items()}
        if kind == "arrow-dictionary":
            arrays = {n: a.dictionary_encode() if n in coded else a for n, a in arrays.items()}
        given = pa.table(arrays)
    results = indikator.load(run.RULESET).evaluate_many(given)
    assert digest(results) == EXPECTED["kla", 1000]


@settings(max_examples=40, deadline=None)
@given(text=rulesets(), draws=st.data())
def test_random_rulesets_give_the_same_bits_from_every_kind(
    text: str, draws: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    ruleset = indikator.loads(text)
    table: Columns = draws.draw(tables_for(ruleset, max_size=8))
    if draws.draw(st.booleans()):  # numbers as text, as a CSV or a text column brings them
        table = {k: [None if v is None else repr(v) for v in vs] for k, vs in table.items()}
    try:
        expected: Any = digest(ruleset.evaluate_many(table))
    except DataError as error:  # `missing error` refuses an empty cell: refused alike
        expected = error.render()
    folder = tmp_path_factory.mktemp("kinds")
    for kind, make in kinds(folder).items():
        try:
            found: Any = digest(ruleset.evaluate_many(make(table)))
        except DataError as error:
            found = error.render()
        assert found == expected, (kind, table)
