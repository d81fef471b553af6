"""DuckDB against numpy on random rulesets and random tables, over the whole number range.

The numpy evaluator is checked against the exact oracle (`tests/oracle.py`) elsewhere, so
it is the reference here: `evaluate_sql` must give its values bit for bit, its tiers and
ranks, or refuse the same data with the same error codes; and the bare query must give
them on every row it does not flag (`tests.sql_helpers.compare_engines`).
"""

from __future__ import annotations

import functools
from decimal import Decimal

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

pytest.importorskip("duckdb")
pytest.importorskip("sqlglot")

import indikator
from indikator.testing import rulesets, tables_for
from tests.property.test_every_operation import rulesets as every_operation
from tests.sql_helpers import arrow_table, compare_engines


def _flags(counts: dict[str, int]) -> None:
    for name, count in counts.items():
        event(f"{name} rows: {'none' if count == 0 else 'some'}")


@settings(max_examples=8, deadline=None)
@given(rulesets(), st.data())
def test_random_rulesets_give_numpys_results(text: str, data: st.DataObject) -> None:
    ruleset = indikator.loads(text)
    table = data.draw(tables_for(ruleset, max_size=8))
    _flags(compare_engines(ruleset, arrow_table(table)))


@settings(max_examples=5, deadline=None)
@given(every_operation(), st.data())
def test_every_function_and_operation_gives_numpys_results(text: str, data: st.DataObject) -> None:
    ruleset = indikator.loads(text)
    table = data.draw(tables_for(ruleset, max_size=6))
    _flags(compare_engines(ruleset, arrow_table(table)))


WIDE = """\
ruleset lebar { region kode }
input kode: text
input a: number { range 0 to 1000000000000000 missing exclude }
input b: number { range 0 to 1000000000000000 missing zero }
input c: number { range 0 to 1000000000000000 missing exclude }
let jumlah = a + b
let selisih = a - c
let kali = a * 3
let bagi = if c > 0 then a / c else 0
let bulat = round(a / 7, 2)
let sama = a + b == c
indicator i_a = bands a {
  [0, 0.000001) -> 0  [0.000001, 10000000) -> 1  [10000000, 1000000000000000] -> 4
}
indicator i_jumlah = bands jumlah { [0, 1000000000.3) -> 0  [1000000000.3, inf) -> 2 }
indicator i_bagi = bands bagi { (-inf, 1) -> 0  [1, inf) -> 5 } round half_up 1
indicator i_selisih = bands selisih { (-inf, 0.1) -> 0  [0.1, inf) -> 3 }
group total = weighted(i_a: 30, i_jumlah: 20, i_bagi: 10, i_selisih: 40) max 100 round half_even 2
tiers on total {
  below "Belum"
  satu "Satu" [25, 50)
  dua "Dua" [50, 100]
}
rank urutan = total desc ties a desc
"""


@functools.cache
def _wide() -> indikator.Ruleset:
    """WIDE, loaded once: its query is then compiled once (`engine.query_text`)."""
    ruleset = indikator.loads(WIDE)
    assert isinstance(ruleset, indikator.Ruleset)
    return ruleset


@st.composite
def decimals(draw: st.DrawFn) -> float | None:
    """A decimal the language holds exactly, from 10^-6 to 10^15, or a missing cell."""
    if draw(st.integers(0, 9)) == 0:
        return None
    edge = st.sampled_from([1e-6, 0.1, 1.0, 9999999.999999999, 1e7, 1000000000.3, 1e15])
    if draw(st.booleans()):
        return draw(edge)
    digits = draw(st.integers(1, 15))
    mantissa = draw(st.integers(1, 10**digits - 1))
    places = draw(st.integers(max(0, digits - 15), min(9, digits + 5)))
    value = Decimal(mantissa).scaleb(-places)
    if not Decimal("1e-6") <= value <= Decimal("1e15"):
        return draw(edge)
    return float(value)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(decimals(), decimals(), decimals()), min_size=1, max_size=12))
def test_the_whole_range_gives_numpys_results(rows: list[tuple[float | None, ...]]) -> None:
    ruleset = _wide()
    table = {
        "kode": [f"R{i}" for i in range(len(rows))],
        "a": [r[0] for r in rows],
        "b": [r[1] for r in rows],
        "c": [r[2] for r in rows],
    }
    _flags(compare_engines(ruleset, arrow_table(table)))
