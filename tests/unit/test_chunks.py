"""Chunked evaluation on threads (`indikator.chunks`): the same arrays, bit for bit.

Whatever the rows per chunk (1, sizes that do not divide the table) and the threads, every
array is the one `evaluate.run` gives the whole table in one piece, and an error names
the same regions, counts and fields in the same order.
"""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt
import pytest
import run  # benchmarks/ is on the path: `pythonpath` in pyproject.toml
from hypothesis import given, settings
from hypothesis import strategies as st

import indikator
from indikator import chunks, evaluate, liveness
from indikator.cells import PercentCell
from indikator.data import table_columns, validate
from indikator.plan import per_plan
from indikator.testing import rulesets, tables_for

Env = dict[str, npt.NDArray[np.generic]]


def whole_and_chunked(
    ruleset: indikator.Ruleset, table: object, *, keep: str, rows: int, workers: int
) -> tuple[Env, Env]:
    columns = validate(ruleset.plan, table_columns(table), extra="ignore")
    whole = evaluate.run(ruleset.plan, columns.arrays, columns.regions, keep=keep)
    chunked = chunks.run(
        ruleset.plan, columns.arrays, columns.regions, keep=keep, rows=rows, workers=workers
    )
    return dict(whole), dict(chunked)


def assert_same_arrays(chunked: Env, whole: Env) -> None:
    """Same names in the same order, the same bits; a met flag as bools or float64.

    A flag is stored as bools only from `liveness.COMPACT_FROM` rows: a chunk below that
    keeps it as float64, which `Results` gives back alike (1.0 and +0.0).
    """
    assert list(chunked) == list(whole)
    for name, values in whole.items():
        got, expected = chunked[name], values
        if got.dtype != expected.dtype and np.bool_ in (got.dtype, expected.dtype):
            got, expected = got.astype(np.float64), expected.astype(np.float64)
        assert (got.dtype, got.shape) == (expected.dtype, expected.shape), name
        if got.dtype == object:
            assert got.tolist() == expected.tolist(), name
        else:
            assert got.tobytes() == expected.tobytes(), name


@settings(max_examples=60, deadline=None)
@given(
    rulesets(),
    st.data(),
    st.sampled_from(["all", "outputs", "scores"]),
    st.integers(1, 4),
)
def test_random_rulesets_chunked_are_the_same(
    text: str, data: st.DataObject, keep: str, workers: int
) -> None:
    ruleset = indikator.loads(text)
    table = data.draw(tables_for(ruleset, max_size=12))
    size = len(next(iter(table.values())))
    rows = data.draw(st.integers(1, size + 1), label="rows per chunk")
    columns = validate(ruleset.plan, table_columns(table), extra="ignore")
    whole_error: str | None = None
    try:
        whole = dict(evaluate.run(ruleset.plan, columns.arrays, columns.regions, keep=keep))
    except indikator.DataError as error:
        whole_error = str(error)
    try:
        chunked = dict(
            chunks.run(
                ruleset.plan, columns.arrays, columns.regions, keep=keep, rows=rows, workers=workers
            )
        )
    except indikator.DataError as error:
        # The same error from the chunks: the whole table again, in one piece.
        assert str(error) == whole_error  # noqa: PT017  # compared with the other's
        return
    assert whole_error is None
    assert_same_arrays(chunked, whole)


@pytest.mark.parametrize("keep", ["all", "outputs", "scores"])
@pytest.mark.parametrize(("rows", "workers"), [(1024, 1), (1000, 2), (777, 3), (4096, 2)])
@pytest.mark.parametrize("second", [False, True], ids=["kla", "second"])
def test_benchmark_tables_chunked_are_the_same(
    keep: str, rows: int, workers: int, *, second: bool
) -> None:
    ruleset = indikator.load(run.SECOND if second else run.RULESET)
    table = run.make_second_table(5000) if second else run.make_table(5000)
    whole, chunked = whole_and_chunked(ruleset, table, keep=keep, rows=rows, workers=workers)
    assert_same_arrays(chunked, whole)


DIVIDES = """
ruleset d { scale 0 to 100 region kode }
input kode: text
input capaian: percent
input target: percent
indicator s = clamp(percent_of(capaian, target), 0, 100) max 100
"""


@pytest.mark.parametrize("workers", [1, 2])
def test_an_error_in_two_chunks_names_every_region_as_in_one_piece(workers: int) -> None:
    ruleset = indikator.loads(DIVIDES)
    size = 5000
    target = np.full(size, 80.0)
    target[[10, 2500, 4999]] = 0.0  # in the first, third and last chunk of 1,000 rows
    table = {
        "kode": [f"R{i}" for i in range(size)],
        "capaian": np.full(size, 49.0),
        "target": target,
    }
    with pytest.raises(indikator.DataError) as whole:
        ruleset.evaluate_many(table, chunk_rows=size)
    with pytest.raises(indikator.DataError) as chunked:
        ruleset.evaluate_many(table, chunk_rows=1000, workers=workers)
    assert "IK508" in str(whole.value)
    assert "R10" in str(whole.value)
    assert "R4999" in str(whole.value)
    assert str(chunked.value) == str(whole.value)


ALIASES = """
ruleset a { scale 0 to 100 }
input a: percent { missing exclude }
input ok: yesno
let b = value_or(a, 0)
indicator i = bands b { [0, 50) -> 0, [50, 100] -> 50 } met when ok
indicator j = bands a { [0, 50) -> 0, [50, 100] -> 50 } met when a >= 20
group total = sum(i, j)
"""


@pytest.mark.parametrize("keep", ["all", "outputs"])
def test_a_name_that_is_an_input_in_some_chunks_only(keep: str) -> None:
    # `b` is `a`'s own array where `a` has no missing value (the first chunk) and a new
    # one where it has (the second); `i.met` is the input `ok` itself in every chunk;
    # `j.met` is bools in the first chunk and has a missing value in the second.
    ruleset = indikator.loads(ALIASES)
    size = 3000
    a = np.linspace(0.0, 100.0, size)
    a[1500] = np.nan
    ok = np.where(np.arange(size) % 3 == 0, "ya", "tidak").astype(object)
    table = {"a": a.copy(), "ok": ok}
    whole, chunked = whole_and_chunked(ruleset, table, keep=keep, rows=1024, workers=2)
    assert_same_arrays(chunked, whole)
    assert chunked["i.met"] is chunked["ok"]  # the input itself, not a copy
    if keep == "all":  # `b` is let go under "outputs"
        assert chunked["b"][1500] == 0.0
    assert np.isnan(chunked["a"][1500])  # the input was not written into
    assert chunked["j.met"].dtype == whole["j.met"].dtype


def test_rows_and_workers_must_be_positive() -> None:
    ruleset = indikator.loads(DIVIDES)
    table = {"kode": ["1"], "capaian": [1.0], "target": [2.0]}
    with pytest.raises(ValueError, match="at least 1"):
        ruleset.evaluate_many(table, workers=0)
    with pytest.raises(ValueError, match="chunk_rows must be at least 1, not 0"):
        ruleset.evaluate_many(table, chunk_rows=0)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"chunk_rows": "3"}, "chunk_rows must be a whole number, not '3'"),
        ({"chunk_rows": 2.5}, "chunk_rows must be a whole number, not 2.5"),
        ({"workers": 1.5}, "workers must be a whole number, not 1.5"),
        ({"workers": True}, "workers must be a whole number, not True"),
    ],
)
def test_rows_and_workers_must_be_whole_numbers(arguments: dict[str, object], message: str) -> None:
    """A clear TypeError, before the table's own errors (here an unknown column)."""
    ruleset = indikator.loads(DIVIDES)
    table = {"kode": ["1", "2"], "capaian": [1.0, 2.0], "target": [2.0, 2.0], "z": [0, 0]}
    with pytest.raises(TypeError, match=re.escape(message)):
        ruleset.evaluate_many(table, **arguments)  # type: ignore[arg-type]


def test_threads_racing_for_a_per_plan_answer_all_get_the_first() -> None:
    plan = indikator.loads(DIVIDES).plan
    racing = threading.Barrier(4)

    @per_plan
    def derive(_: object) -> object:
        racing.wait(timeout=10)  # all four threads derive at once
        return object()

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: derive(plan), range(4)))
    assert len({id(answer) for answer in answers}) == 1
    assert derive(plan) is answers[0]


def test_a_chunks_region_ids_name_a_missing_id_by_its_row_in_the_table() -> None:
    from indikator.data import Regions  # noqa: PLC0415  # the one class this test is about

    regions = Regions(np.array(["a", None, "c", None], dtype=object), 4)
    window = regions.rows(2, 4)
    assert list(window) == ["c", "row 4"]  # not 'row 2': the table's row
    assert window.index("row 4") == 1
    assert list(Regions(None, 5).rows(3, 5)) == ["row 4", "row 5"]


# Cells validation refuses, and a missing one (refused under `missing error`).
BAD_CELLS = ["abc", 150.0, -5.0, None, float("inf"), "1.000", "85 %"]


def outcome(
    ruleset: indikator.Ruleset, table: object, *, keep: str, rows: int, workers: int
) -> tuple[object, Env]:
    """The error (its text and problems) and no arrays, or the names and the arrays.

    The names: the validated inputs' and the regions'.
    """
    raw = table_columns(table)
    try:
        evaluated = chunks.evaluate_table(
            ruleset.plan, raw, extra="ignore", keep=keep, rows=rows, workers=workers
        )
    except indikator.DataError as error:
        return (str(error), error.problems), {}
    return (evaluated.inputs, list(evaluated.regions)), kept(ruleset, evaluated, keep)


def kept(ruleset: indikator.Ruleset, evaluated: chunks.Evaluated, keep: str) -> Env:
    """The arrays `evaluate_many` keeps: under "scores", no input but the scores."""
    if keep != "scores":
        return dict(evaluated.env)
    scores = liveness.scores_kept(ruleset.plan)
    return {
        name: values
        for name, values in evaluated.env.items()
        if name in scores or name not in evaluated.inputs
    }


@settings(max_examples=80, deadline=None)
@given(rulesets(), st.data(), st.sampled_from(["all", "outputs", "scores"]), st.integers(1, 3))
def test_tables_with_bad_cells_validated_in_chunks_as_whole(
    text: str, data: st.DataObject, keep: str, workers: int
) -> None:
    # Bad cells in several chunks: the same first error as validating the whole table
    # first (one chunk of every row), or the same values.
    ruleset = indikator.loads(text)
    table: dict[str, list[object]] = dict(data.draw(tables_for(ruleset, max_size=12)))
    size = len(next(iter(table.values())))
    inputs = [spec.name for spec in ruleset.plan.inputs]
    # One kind of bad cell (a problem of its own), or any mix (the first problem wins).
    kinds = data.draw(st.sampled_from([[cell] for cell in BAD_CELLS] + [BAD_CELLS]))
    spoilt = st.tuples(st.sampled_from(inputs), st.integers(0, size - 1), st.sampled_from(kinds))
    for column, row, cell in data.draw(st.lists(spoilt, max_size=4), label="bad cells"):
        table[column] = [*table[column][:row], cell, *table[column][row + 1 :]]
    rows = data.draw(st.integers(1, size + 1), label="rows per chunk")
    whole, whole_arrays = outcome(ruleset, table, keep=keep, rows=size, workers=1)
    chunked, arrays = outcome(ruleset, table, keep=keep, rows=rows, workers=workers)
    assert chunked == whole
    assert_same_arrays(arrays, whole_arrays)


def test_percent_cells_and_plain_fractions_in_different_chunks_are_refused() -> None:
    # IK513 is a fact of the whole column: no chunk sees both kinds of cell.
    ruleset = indikator.loads(DIVIDES)
    size = 3000
    capaian: list[object] = [50.0] * size
    capaian[5] = PercentCell(0.8118)  # first chunk of 1,000 rows: shown as 81.18%
    capaian[2500] = 0.85  # third chunk: a fraction, or 0.85 %?
    table = {"kode": [f"R{i}" for i in range(size)], "capaian": capaian, "target": [80.0] * size}
    with pytest.raises(indikator.DataError) as whole:
        ruleset.evaluate_many(table, chunk_rows=size)
    with pytest.raises(indikator.DataError) as chunked:
        ruleset.evaluate_many(table, chunk_rows=1000, workers=2)
    assert [problem.code for problem in whole.value.problems] == ["IK513"]
    assert str(chunked.value) == str(whole.value)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_region_id_repeated_in_another_chunk_is_refused(workers: int) -> None:
    ruleset = indikator.loads(DIVIDES)
    size = 3000
    kode = [f"R{i}" for i in range(size)]
    kode[2999] = "R7"  # a repeat of the first chunk's row 8 in the third chunk
    capaian: list[object] = [50.0] * size
    capaian[1500] = "abc"  # and a bad cell in the second
    table = {"kode": kode, "capaian": capaian, "target": [80.0] * size}
    with pytest.raises(indikator.DataError) as whole:
        ruleset.evaluate_many(table, chunk_rows=size)
    with pytest.raises(indikator.DataError) as chunked:
        ruleset.evaluate_many(table, chunk_rows=1000, workers=workers)
    assert [problem.code for problem in whole.value.problems] == ["IK507", "IK503"]
    assert str(chunked.value) == str(whole.value)


@pytest.mark.parametrize("keep", ["outputs", "scores"])
def test_chunks_validated_inputs_are_the_tables_own_where_unchanged(keep: str) -> None:
    # A float64 column validated as it is given is the table's array, as without chunks;
    # option codes are new arrays, kept only under "outputs".
    ruleset = indikator.load(run.RULESET)
    table = run.make_table(5000)
    raw = table_columns(table)
    chunked = chunks.evaluate_table(ruleset.plan, raw, keep=keep, rows=1000, workers=2)
    whole = chunks.evaluate_table(ruleset.plan, raw, keep=keep, rows=5000)
    assert chunked.inputs == whole.inputs
    assert_same_arrays(kept(ruleset, chunked, keep), kept(ruleset, whole, keep))
    for name in chunked.inputs:
        if name in chunked.env and name in whole.env:
            assert (chunked.env[name] is raw.get(name)) == (whole.env[name] is raw.get(name)), name


REFUSED = """
ruleset r { scale 0 to 20 region kode }
input kode: text
input x: percent { missing error }
input y: percent { missing exclude }
indicator s = bands x { [0, 50) -> 0, [50, 100] -> 10 }
indicator t = bands y { [0, 50) -> 0, [50, 100] -> 10 }
group total = sum(s, t)
"""


@pytest.mark.parametrize("workers", [1, 3])
def test_missing_cells_refused_in_several_chunks_as_in_one_piece(workers: int) -> None:
    ruleset = indikator.loads(REFUSED)
    size = 3000
    x: list[object] = [60.0] * size
    x[2998] = None  # the third chunk of 1,000 rows, and the second
    x[1200] = None
    y: list[object] = [60.0] * size
    y[10] = 101.0  # out of range, in the first chunk: cells are checked before policies
    table = {"kode": [f"R{i}" for i in range(size)], "x": x, "y": y}
    with pytest.raises(indikator.DataError) as whole:
        ruleset.evaluate_many(table, chunk_rows=size)
    with pytest.raises(indikator.DataError) as chunked:
        ruleset.evaluate_many(table, chunk_rows=1000, workers=workers)
    assert [problem.code for problem in whole.value.problems] == ["IK504"]
    assert str(chunked.value) == str(whole.value)
    y[10] = 70.0
    with pytest.raises(indikator.DataError) as whole:
        ruleset.evaluate_many(table, chunk_rows=size)
    with pytest.raises(indikator.DataError) as chunked:
        ruleset.evaluate_many(table, chunk_rows=1000, workers=workers)
    assert [(p.code, p.count) for p in whole.value.problems] == [("IK505", 2)]
    assert "R1200" in str(whole.value)
    assert "R2998" in str(whole.value)
    assert str(chunked.value) == str(whole.value)


@pytest.mark.parametrize("arrow", [False, True], ids=["lists", "arrow"])
def test_a_notation_told_by_another_chunks_cells_reads_as_in_one_piece(*, arrow: bool) -> None:
    # '1.000' is 1 in a column whose other cells use decimal points ('85.25', which
    # Indonesian notation cannot write), and refused in one without: the chunk that holds
    # it alone sees no such cell, the whole column does.
    ruleset = indikator.loads(DIVIDES)
    size = 3000
    capaian = ["50"] * size
    capaian[3] = "85.25"
    capaian[2900] = "1.000"
    table: object = {"kode": [f"R{i}" for i in range(size)], "capaian": capaian}
    table = {**table, "target": [80.0] * size}  # type: ignore[dict-item]
    if arrow:
        pa = pytest.importorskip("pyarrow")
        table = pa.table(table)  # text read through its distinct values
    whole = ruleset.evaluate_many(table, chunk_rows=size)
    chunked = ruleset.evaluate_many(table, chunk_rows=1000, workers=2)
    assert whole["capaian"][2900] == 1.0
    assert chunked["capaian"].tobytes() == whole["capaian"].tobytes()
    assert chunked.total.tobytes() == whole.total.tobytes()


def test_arrow_tables_chunked_are_the_same() -> None:
    # Option and text columns of an Arrow table are read once per distinct value of the
    # whole column, in every chunk too.
    pa = pytest.importorskip("pyarrow")
    ruleset = indikator.load(run.RULESET)
    table = pa.table({name: list(values) for name, values in run.make_table(5000).items()})
    raw = table_columns(table)
    chunked = chunks.evaluate_table(ruleset.plan, raw, keep="all", rows=1000, workers=2)
    whole = chunks.evaluate_table(ruleset.plan, raw, keep="all", rows=5000)
    assert_same_arrays(dict(chunked.env), dict(whole.env))
