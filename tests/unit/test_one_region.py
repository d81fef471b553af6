"""`Ruleset.evaluate` on one region: the compiled fast path (`indikator.scalar`).

Valid input runs the plan compiled to Python; anything else falls back to the vectorised
path. Either way the caller sees what `evaluate_many` gives for a one-row table: the same
values (checked bit for bit against the shipped rulesets and their example data) and the
same `DataError` text for bad input.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest

import indikator
from indikator.errors import DataError
from indikator.scalar import Fallback, ScalarEnv, compile_plan, source_of
from indikator.tables import read_table
from tests.examples import EXAMPLE_IDS, EXAMPLES
from tests.one_region import assert_same_values

ROOT = Path(__file__).parents[2]

SMALL = """\
ruleset kecil {
  title "Kecil"
  edition 2025
  scale 0 to 100
  region kode
}
input kode: text
input cakupan: percent { missing zero }
input capaian: number { range 0 to 10  missing exclude }
input jumlah: count
input perda: yesno { missing zero }
input status: option("belum", "proses", "sudah") { missing zero }
indicator i1 = bands cakupan { [0, 50) -> 0  [50, 100] -> 40 }
indicator i2 = linear capaian from 0 to 10 onto 0 to 30
indicator i3 = options status { "belum" -> 0, "proses" -> 5, "sudah" -> 10 }
indicator i4 = if perda then 20 else 0
let rasio = capaian / jumlah
group total = sum(i1, i2, i3, i4)
tiers on total {
  rendah "Rendah" [0, 50)
  tinggi "Tinggi" [50, 100]
}
"""

GOOD = {
    "kode": "3201",
    "cakupan": 72.5,
    "capaian": 4,
    "jumlah": 3,
    "perda": "ya",
    "status": "proses",
}


def rows_of(data: Path) -> list[dict[str, Any]]:
    table = read_table(data)
    columns = {name: np.asarray(values).tolist() for name, values in table.items()}
    size = len(next(iter(columns.values())))
    return [{name: values[i] for name, values in columns.items()} for i in range(size)]


@pytest.mark.parametrize(("ruleset", "data"), EXAMPLES, ids=EXAMPLE_IDS)
def test_shipped_rulesets_give_the_vectorised_values_on_their_example_data(
    ruleset: str, data: str
) -> None:
    compiled = indikator.load(ROOT / ruleset)
    rows = rows_of(ROOT / data)
    assert rows
    for row in rows:
        assert assert_same_values(compiled, row), row


def test_valid_input_takes_the_fast_path_and_reads_like_a_batch_row() -> None:
    compiled = indikator.loads(SMALL)
    result = compiled.evaluate(GOOD)
    assert isinstance(result._results.env, ScalarEnv)  # noqa: SLF001  # the path taken
    # By hand: i1 = 40 (72.5 in [50, 100]), i2 = 4/10 of 30 = 12, i3 = 5, i4 = 20.
    assert (result["i1"], result["i2"], result["i3"], result["i4"]) == (40.0, 12.0, 5.0, 20.0)
    assert result.total == 77.0
    assert result.tier() == "Tinggi"
    assert result.region == "3201"
    assert result["rasio"] == pytest.approx(4 / 3)
    batch = compiled.evaluate_many({k: [v] for k, v in GOOD.items()}).region(0)
    assert result.to_dict() == batch.to_dict()
    assert result.explain().to_text() == batch.explain().to_text()


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("cakupan", 72),  # int
        ("cakupan", np.float64(72.5)),
        ("cakupan", "72.5"),  # text that is a number, as numpy reads it
        ("cakupan", " 72.5 "),
        ("cakupan", None),  # missing: scores 0 under `missing zero`
        ("cakupan", math.nan),
        ("cakupan", ""),
        ("capaian", None),  # missing: i2 excluded, the sum renormalised
        ("jumlah", np.int64(3)),
        ("cakupan", -0.0),  # a valid 0: its sign must come out the same on both paths
        ("capaian", -0.0),
        ("perda", True),
        ("perda", 0),
        ("perda", -0.0),
        ("perda", " Tidak "),
        ("perda", None),
        ("status", None),
        ("status", "  "),
        ("kode", 3201),  # a region code typed as a number
    ],
)
def test_accepted_cells_give_what_a_batch_gives(column: str, value: object) -> None:
    compiled = indikator.loads(SMALL)
    row = {**GOOD, column: value}
    alone = compiled.evaluate(row)
    assert isinstance(alone._results.env, ScalarEnv), "expected the fast path"  # noqa: SLF001
    assert assert_same_values(compiled, row)


@pytest.mark.parametrize(
    "change",
    [
        {"cakupan": "72,5"},  # decimal comma: text, not a number
        {"cakupan": -1.0},  # a negative percentage
        {"cakupan": 100.5},
        {"cakupan": math.inf},
        {"cakupan": True},  # a yes/no in a number column
        {"jumlah": 2.5},  # a count must be whole
        {"jumlah": None},  # missing under `missing error`
        {"perda": "mungkin"},
        {"perda": 2},
        {"status": "selesai"},  # not one of the options
        {"status": 1},
        {"jumlah": 0},  # rasio divides by zero
        {"lain": 1},  # a column the ruleset does not know
    ],
    ids=repr,
)
def test_bad_input_falls_back_and_reports_exactly_as_a_batch(change: dict[str, object]) -> None:
    compiled = indikator.loads(SMALL)
    row = {**GOOD, **change}
    one_region = compile_plan(compiled.plan)
    assert one_region is not None
    with pytest.raises(Fallback):
        one_region(row, strict=True)
    with pytest.raises(DataError) as alone:
        compiled.evaluate(row)
    with pytest.raises(DataError) as batch:
        compiled.evaluate_many({k: [v] for k, v in row.items()})
    assert str(alone.value) == str(batch.value)


def test_a_missing_column_is_reported_and_extra_ones_can_be_ignored() -> None:
    compiled = indikator.loads(SMALL)
    partial = {k: v for k, v in GOOD.items() if k != "perda"}
    with pytest.raises(DataError, match="IK501"):
        compiled.evaluate(partial)
    extended = {**GOOD, "catatan": "x"}
    result = compiled.evaluate(extended, extra="ignore")
    assert isinstance(result._results.env, ScalarEnv)  # noqa: SLF001
    assert result.total == 77.0


def test_generated_source_compiles_and_returns_values_in_plan_order() -> None:
    text, _, names = source_of(indikator.loads(SMALL).plan)
    assert text.startswith("def evaluate_one(row, strict):")
    # Values come back in plan order: inputs first, then steps, then the tier.
    assert names[:2] == ("kode", "cakupan")
    assert names[-2:] == ("tier.raw", "tier")
    compile(text, "<test>", "exec")


def test_a_plan_too_large_to_compile_uses_the_table_path(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = indikator.loads(SMALL)
    monkeypatch.setattr("indikator.scalar.MAX_LINES", 5)
    assert compile_plan(compiled.plan) is None
    result = compiled.evaluate(GOOD)
    assert not isinstance(result._results.env, ScalarEnv)  # noqa: SLF001
    assert result.total == 77.0


# -- found by an independent review of the fast path -------------------------------------

NAMED = """\
ruleset named {
  scale 0 to 10
  region kode
  name nama
}
input kode: text
input nama: text
input wilayah: text { missing zero }
input x: percent { missing zero }
indicator i = linear x from 0 to 100 onto 0 to 10
let ada_wilayah = present(wilayah)
rank urutan = wilayah asc
"""


@pytest.mark.parametrize("column", ["kode", "nama"])
@pytest.mark.parametrize("empty", [None, ""])
def test_a_blank_region_id_or_name_is_refused_by_both_paths(column: str, empty: object) -> None:
    compiled = indikator.loads(NAMED)
    row = {"kode": "3201", "nama": "Kab. Bogor", "wilayah": "Jabar", "x": 50.0, column: empty}
    with pytest.raises(DataError, match="IK505") as alone:
        compiled.evaluate(row)
    with pytest.raises(DataError) as batch:
        compiled.evaluate_many({k: [v] for k, v in row.items()})
    assert str(alone.value) == str(batch.value)


@pytest.mark.parametrize("wilayah", ["Jabar", None, ""])
def test_present_and_a_rank_on_a_text_input_agree(wilayah: object) -> None:
    compiled = indikator.loads(NAMED)
    row = {"kode": "3201", "nama": "Kab. Bogor", "wilayah": wilayah, "x": 50.0}
    assert assert_same_values(compiled, row)
    alone = compiled.evaluate(row)
    assert alone["ada_wilayah"] == (1.0 if wilayah else 0.0)
    assert alone["urutan"] == (1.0 if wilayah else None)


def test_ranks_on_a_text_key_put_missing_keys_last_and_unranked() -> None:
    compiled = indikator.loads(NAMED)
    results = compiled.evaluate_many(
        {
            "kode": ["1", "2", "3", "4"],
            "nama": ["a", "b", "c", "d"],
            "wilayah": ["Jatim", None, "Jabar", "Jabar"],
            "x": [1.0, 2.0, 3.0, 4.0],
        }
    )
    # Alphabetical: Jabar, Jabar tie for 1st, Jatim 3rd; the missing key has no rank.
    assert [None if math.isnan(r) else r for r in results["urutan"].tolist()] == [
        3.0,
        None,
        1.0,
        1.0,
    ]


def test_the_region_column_named_twice_reads_one_value() -> None:
    text = "ruleset t {\n  region kode\n  name kode\n}\ninput kode: text\n"
    text += "input x: percent { missing zero }\nlet l = x\n"
    compiled = indikator.loads(text)
    row = {"kode": "a", "x": 5.0}
    assert assert_same_values(compiled, row)
    assert compiled.evaluate(row).region == "a"


def test_tier_is_a_reserved_name() -> None:
    text = "ruleset t { }\ninput tier: percent { missing zero }\nlet l = tier\n"
    with pytest.raises(indikator.RulesetCheckError, match=r"IK106.*'tier' is a reserved name"):
        indikator.loads(text)


@pytest.mark.parametrize(
    "definition",
    [
        "indicator i = bands x { [0, 1] -> 0  (1, 1.0000000001) -> 5  [1.0000000001, 100] -> 10 }",
        (
            "indicator i = linear x from 0 to 10 onto 0 to 10\n"
            'tiers on i { a "A" [0, 1]  b "B" (1, 1.000000001)  c "C" [1.000000001, 10] }'
        ),
    ],
)
def test_an_open_interval_narrower_than_the_resolution_holds_nothing(definition: str) -> None:
    # Values are resolved to 10^-9: nothing lies strictly between 1 and 1.000000001.
    text = f"ruleset t {{ }}\ninput x: percent {{ missing zero }}\n{definition}\n"
    with pytest.raises(indikator.RulesetCheckError, match="IK409"):
        indikator.loads(text)


def test_a_negative_zero_is_shown_as_zero() -> None:
    text = "ruleset t { }\ninput c: number { missing zero }\nlet l = max(c, 0)\nlet m = c * 1\n"
    compiled = indikator.loads(text)
    for result in (compiled.evaluate({"c": -0.0}), compiled.evaluate_many({"c": [-0.0]}).region(0)):
        assert "-0" not in result.explain().to_text()


def test_only_invalid_input_falls_back_a_fast_path_bug_is_not_swallowed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compiled = indikator.loads(SMALL)
    one_region = compile_plan(compiled.plan)
    assert one_region is not None

    def broken(*_: object) -> tuple[object, ...]:
        raise ZeroDivisionError  # a bug in generated code, not a problem of the input

    fast = attrs.evolve(one_region, function=broken)
    monkeypatch.setattr(indikator.Ruleset, "_one_region_function", lambda _: fast)
    with pytest.raises(ZeroDivisionError):
        compiled.evaluate(GOOD)


def test_a_missing_column_is_the_named_fallback_and_other_key_errors_are_not() -> None:
    compiled = indikator.loads(SMALL)
    one_region = compile_plan(compiled.plan)
    assert one_region is not None
    with pytest.raises(Fallback):
        one_region({k: v for k, v in GOOD.items() if k != "perda"}, strict=False)

    def lookup_bug(*_: object) -> tuple[object, ...]:
        raise KeyError("t1")  # every column is there: a bug, not invalid input

    with pytest.raises(KeyError):
        attrs.evolve(one_region, function=lookup_bug)(GOOD, strict=False)


@pytest.mark.parametrize("divisor", [0, 2, None])
def test_a_guarded_division_by_zero_takes_the_fast_path(divisor: object) -> None:
    # Found by the property test of every operation: the fast path worked out both
    # branches of `if` and fell back at the division the condition guards against.
    text = (
        "ruleset t { }\ninput a: number { missing zero }\ninput b: number { missing zero }\n"
        "let q = if b != 0 then a / b else 0\nlet r = if b == 0 then 0 else if a > 1 then a / b "
        "else 1\n"
    )
    compiled = indikator.loads(text)
    row = {"a": 3, "b": divisor}
    assert isinstance(compiled.evaluate(row)._results.env, ScalarEnv)  # noqa: SLF001
    assert assert_same_values(compiled, row)


def test_an_unguarded_division_by_zero_still_falls_back_and_is_reported() -> None:
    compiled = indikator.loads(
        "ruleset t { }\ninput a: number { missing zero }\ninput b: number { missing zero }\n"
        "let q = if a > 1 then a / b else 0\n"
    )
    with pytest.raises(DataError, match="IK508"):
        compiled.evaluate({"a": 3, "b": 0})
    assert compiled.evaluate({"a": 0, "b": 0})["q"] == 0.0


ROUNDINGS = """\
ruleset r { scale 0 to 1 }
input x: number { missing zero }
input y: number { missing zero }
let s = x / y
""" + "".join(
    f"let r_{mode}_{places} = s round {mode} {places}\n"
    for mode in ("half_up", "half_even", "half_down", "up", "down", "floor", "ceiling")
    for places in (0, 2, 9)
)

#: Quotients on and next to halves and half units of the last place kept, and beyond 2^52
#: scaled, where nothing is rounded. From `(5.000000001, 2.0)` on, the float alone rounds
#: some mode the other way and the exact value decides (found by comparing
#: `numeric.round_one` with the vectorised path).
ROUNDED_QUOTIENTS = [
    (600.005, 1.0),
    (0.3, 1.0),
    (2.5, 1.0),
    (-2.5, 1.0),
    (1.0, 3.0),
    (10.0, 7.0),
    (1e14, 8.0),
    (0.0, -1.0),
    (float("nan"), 1.0),
    (5.000000001, 2.0),
    (4.999999999, 2.0),
    (1200.010000001, 2.0),
    (1200.009999999, 2.0),
    (0.249999999, 2.0),
    (199.990000001, 2.0),
    (3.000000001, 2.0),
]


@pytest.mark.parametrize(("x", "y"), ROUNDED_QUOTIENTS)
def test_each_rounding_mode_matches_the_vectorised_path_bit_for_bit(x: float, y: float) -> None:
    # The one-region code writes `round_one` and its exactness check out as one.
    assert assert_same_values(indikator.loads(ROUNDINGS), {"x": x, "y": y})
