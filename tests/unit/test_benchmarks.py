"""The benchmark's hand translations of the KLA rules give indikator's answers.

benchmarks/run.py stops when a translation disagrees with indikator; these tests keep the
translations honest in CI without running the benchmark. The peer engines (OpenFisca, ZEN)
are only in the `bench` dependency group, so their tests skip where they are not installed.
"""

from __future__ import annotations

from typing import Any

import kla_numpy  # benchmarks/ is on the path: `pythonpath` in pyproject.toml
import kla_python
import numpy as np
import pytest
import run
import second_numpy

import indikator

REGIONS = 200


@pytest.fixture(scope="module")
def table() -> run.Table:
    return run.make_table(REGIONS, seed=6)  # a seed whose 200 regions cover the cases below


@pytest.fixture(scope="module")
def expected(table: run.Table) -> run.Answers:
    ruleset = indikator.load(run.RULESET, root=run.RULESETS)
    return run.answers(ruleset.evaluate_many(table))


def _agree(expected: run.Answers, total: np.ndarray[Any, Any], tiers: np.ndarray[Any, Any]) -> None:
    np.testing.assert_allclose(total, expected[0], rtol=0, atol=1e-9)
    np.testing.assert_array_equal(tiers, expected[1])


def test_generated_table_has_every_tier_and_missing_cells(
    table: run.Table, expected: run.Answers
) -> None:
    # Otherwise the agreement below would not cover the tiers, the gate and the policies.
    assert set(expected[1].tolist()) == {0, 1, 2, 3, 4, 5}
    for name in ("perkawinan_anak", "prevalensi_stunting", "lksa_terstandar", "ila", "pmba"):
        assert np.isnan(table[name]).any(), name
    assert (table["ktr"] == None).any()  # noqa: E711  # elementwise on an object array


def test_python_function_agrees_with_indikator(table: run.Table, expected: run.Answers) -> None:
    total, tiers = run.as_arrays([kla_python.evaluate(row) for row in kla_python.rows(table)])
    _agree(expected, total, tiers)


def test_numpy_version_agrees_with_indikator(table: run.Table, expected: run.Answers) -> None:
    total, tiers = kla_numpy.evaluate(table)
    _agree(expected, total, tiers)


def _best_region() -> dict[str, Any]:
    """A region at the top of every indicator: 1000 points."""
    region: dict[str, Any] = {"kode_kabkota": "R1", "nama_kabkota": "R1"}
    region |= {"perda_kla": "perda", "forum_anak": "desa", "puspaga": "terstandar"}
    region |= {"ktr": "bebas_iklan", "lksa_terstandar": 1.0}
    for name, items in kla_numpy.CHECKLISTS.items():
        region |= {f"{name}.{item}": 1.0 for item in items}
    region |= dict.fromkeys(("akta_kelahiran", "paud_hi", "persalinan_faskes", "pmba"), 100.0)
    region |= dict.fromkeys(("puskesmas_ramah_anak", "air_sanitasi", "wajib_belajar"), 100.0)
    region |= {"sra": 100.0, "ila": 6.0, "rbra": 10.0, "pka": 2.0, "prevalensi_stunting": 14.0}
    region |= {"perkawinan_anak": 2.0}
    for name in ("pk_kekerasan", "pk_napza", "pk_disabilitas", "pk_abh"):
        region[f"{name}_terlayani"] = 100.0
    return region


def test_python_function_on_hand_checked_regions() -> None:
    best = _best_region()
    assert kla_python.evaluate(best) == (1000.0, 5)
    # KTR one level down: 20 of 30 points, 990 in all, but its indicator is unmet, so the
    # KLA tier's gate holds the region at Utama (4).
    assert kla_python.evaluate(best | {"ktr": "ditegakkan"}) == (990.0, 4)
    # Child marriage unknown (`missing zero`): i07 scores 0 of 50, 1000 - 50 = 950, and the
    # unmet indicator holds the region at Utama (4): the empty cell does not pay.
    assert kla_python.evaluate(best | {"perkawinan_anak": None}) == (950.0, 4)


def test_openfisca_system_agrees_with_indikator(table: run.Table, expected: run.Answers) -> None:
    pytest.importorskip("openfisca_core")
    import kla_openfisca  # noqa: PLC0415  # only where OpenFisca is installed

    total, tiers = kla_openfisca.evaluate(kla_openfisca.build_system(), table)
    _agree(expected, total, tiers)


def test_zen_graph_agrees_with_indikator(table: run.Table, expected: run.Answers) -> None:
    pytest.importorskip("zen")
    import kla_zen  # noqa: PLC0415  # only where zen-engine is installed

    engine, decision = kla_zen.engine()
    contexts = [kla_zen.context(row) for row in kla_python.rows(table)]
    _agree(expected, *run.as_arrays([kla_zen.evaluate(decision, c) for c in contexts]))
    _agree(expected, *run.as_arrays(kla_zen.evaluate_batch(engine, contexts)))


def test_numpy_version_agrees_in_chunks_and_on_unshared_cells(
    table: run.Table, expected: run.Answers, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Chunks that do not divide the regions, and option cells that are objects of their own
    # (as read from a file: no shared objects to match by address, a lookup each).
    _agree(expected, *kla_numpy.evaluate(table, chunk=64))
    copied = dict(table)
    for name in kla_numpy.OPTIONS:
        copied[name] = np.array([_copy(cell) for cell in table[name]], dtype=object)
    _agree(expected, *kla_numpy.evaluate(copied))
    # Shared objects in the sampled cells, objects of their own after them.
    monkeypatch.setattr(kla_numpy, "SAMPLE", 20)
    for name in kla_numpy.OPTIONS:
        copied[name] = np.concatenate([table[name][:20], copied[name][20:]])
    _agree(expected, *kla_numpy.evaluate(copied, chunk=64))


def _copy(cell: str | None) -> str | None:
    """A string equal to `cell` but another object."""
    return None if cell is None else "".join(list(cell))


# ------------------------------------------------------------- the second benchmark ruleset --


@pytest.fixture(scope="module")
def second() -> indikator.Ruleset:
    return indikator.load(run.SECOND)


@pytest.fixture(scope="module")
def second_table() -> run.Table:
    return run.make_second_table(REGIONS, seed=6)  # a seed whose 200 regions cover the cases


@pytest.fixture(scope="module")
def second_expected(second: indikator.Ruleset, second_table: run.Table) -> run.Answers:
    return run.answers(second.evaluate_many(second_table))


def test_second_table_has_every_tier_the_gate_and_left_out_groups(
    second: indikator.Ruleset, second_table: run.Table, second_expected: run.Answers
) -> None:
    results = second.evaluate_many(second_table)
    total, tiers = second_expected
    assert set(tiers.tolist()) == {0, 1, 2, 3}
    empty = np.asarray(results["data_kosong"], dtype=np.float64)
    assert ((total >= 85) & (empty > 0)).any()  # held below Paripurna by an empty cell
    for group in ("g_odgj", "g_hiv"):  # a whole group left out, the services renormalised
        assert np.isnan(np.asarray(results[group], dtype=np.float64)).any(), group
    assert np.isnan(np.asarray(results["c_tb"], dtype=np.float64)).any()
    assert np.isnan(second_table["bumil_terlayani"]).any()  # `missing zero`


def test_second_numpy_version_agrees_with_indikator(
    second_table: run.Table, second_expected: run.Answers
) -> None:
    _agree(second_expected, *second_numpy.evaluate(second_table))
    _agree(second_expected, *second_numpy.evaluate(second_table, chunk=64))


def _full_region() -> dict[str, Any]:
    """A region that serves every target and meets every quality item: 100 points."""
    region: dict[str, Any] = {"kode_wilayah": "W1", "nama_wilayah": "W1"}
    for name in second_numpy.SERVICES:
        region |= {f"{name}_sasaran": 40.0, f"{name}_terlayani": 50.0, f"{name}_mutu": 5.0}
    return region


@pytest.mark.parametrize(
    ("change", "total", "tier"),
    [
        ({}, 100.0, 3),
        # odgj not reported at all: its group is left out (11 groups, still 90 points), two
        # empty cells cost 2 points, and the Paripurna gate needs complete data.
        ({"odgj_terlayani": None, "odgj_mutu": None}, 98.0, 2),
        # bumil served unknown (`missing zero`): c = 0, the group 5 of 10, the services
        # 9 x 115 / 12 = 86.25, 9 points for completeness.
        ({"bumil_terlayani": None}, 95.25, 2),
        # 7 of 9 served: 7.78 (rounded), the group (7.78 + 10) / 2 = 8.89, the services
        # 9 x 118.89 / 12 = 89.1675, 99.1675 rounded half-up: 99.17.
        ({"lansia_sasaran": 9.0, "lansia_terlayani": 7.0}, 99.17, 3),
    ],
)
def test_second_hand_checked_regions(
    second: indikator.Ruleset, change: dict[str, Any], total: float, tier: int
) -> None:
    region = _full_region() | change
    result = second.evaluate(region)
    assert (result.total, result.tier_code) == (total, tier)
    table = {name: np.array([np.nan if value is None else value]) for name, value in region.items()}
    np.testing.assert_allclose(second_numpy.evaluate(table)[0], [total], rtol=0, atol=1e-9)
    assert second_numpy.evaluate(table)[1].tolist() == [tier]
