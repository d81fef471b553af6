"""`evaluate_many(keep="outputs")`, the default: the same arrays as `keep="all"`, bit for bit.

The outputs (`columns`, tiers, totals, ranks, rollups) read only what is kept; anything
else (`let` values, bands' subjects, gates, `tier.raw`) is worked out again on first use,
once, and comes out as `keep="all"` keeps it.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
import run  # benchmarks/ is on the path: `pythonpath` in pyproject.toml
from hypothesis import given, settings
from hypothesis import strategies as st

import indikator
from indikator import liveness
from indikator.kept import Kept, TableChangedError
from indikator.liveness import COMPACT_FROM, compact, scores_kept
from indikator.tables import read_csv
from indikator.testing import rulesets, tables_for

ROOT = Path(__file__).resolve().parents[2]

#: (ruleset, example data) pairs; the benchmark tables are drawn in `cases`.
EXAMPLES = [
    ("rulesets/kla/2025.ikr", "examples/kla_2025.csv"),
    ("rulesets/kks/2025.ikr", "examples/kks_2025.csv"),
    ("rulesets/kks/2021.ikr", "examples/kks_2021.csv"),
    ("rulesets/examples/stunting_outcome.ikr", "examples/jabar_stunting_2024.csv"),
]


def cases() -> list[tuple[str, indikator.Ruleset, dict[str, object]]]:
    found: list[tuple[str, indikator.Ruleset, dict[str, object]]] = [
        ("kla-bench", indikator.load(run.RULESET), dict(run.make_table(3000))),
        ("second-bench", indikator.load(run.SECOND), dict(run.make_second_table(3000))),
    ]
    for ruleset, data in EXAMPLES:
        found.append((data, indikator.load(ROOT / ruleset), dict(read_csv(ROOT / data))))
    return found


CASES = cases()
IDS = [name for name, _, _ in CASES]


def complete(results: indikator.Results) -> bool:
    """Whether the results hold every array (kept them all, or evaluated again)."""
    assert isinstance(results.env, Kept)
    return results.env.complete()


def assert_same_env(kept: indikator.Results, every: indikator.Results) -> None:
    """Same names in the same order, and each array's dtype, shape and bits."""
    assert list(kept.env) == list(every.env)
    for name in every.env:
        a, b = np.asarray(kept.env[name]), np.asarray(every.env[name])
        assert (a.dtype, a.shape) == (b.dtype, b.shape), name
        if a.dtype == object:
            assert a.tolist() == b.tolist(), name
        else:
            assert a.tobytes() == b.tobytes(), name


@pytest.mark.parametrize(("label", "ruleset", "table"), CASES, ids=IDS)
def test_outputs_are_read_without_evaluating_again(
    label: str, ruleset: indikator.Ruleset, table: dict[str, object]
) -> None:
    every = ruleset.evaluate_many(table, keep="all", extra="ignore")
    kept = ruleset.evaluate_many(table, extra="ignore")
    assert isinstance(kept.env, Kept)
    assert not complete(kept), label  # something was left out: the gates, tier.raw
    assert kept.tiers() == every.tiers()
    assert kept.total.tobytes() == every.total.tobytes()
    assert kept.rollups() == every.rollups()
    for rank in ruleset.plan.ranks:
        assert kept.rank(rank.name) == every.rank(rank.name)
    has_lets = any(isinstance(s, indikator.plan.LetStep) for s in ruleset.plan.steps)
    assert kept.columns() == every.columns()
    assert complete(kept) is has_lets  # only a let (which columns() shows) asks again
    assert_same_env(kept, every)


@pytest.mark.parametrize(("label", "ruleset", "table"), CASES[:3], ids=IDS[:3])
def test_explanations_are_the_same(
    label: str, ruleset: indikator.Ruleset, table: dict[str, object]
) -> None:
    every = ruleset.evaluate_many(table, keep="all", extra="ignore")
    kept = ruleset.evaluate_many(table, extra="ignore")
    for row in (0, 1, len(kept) - 1):
        # repr: an explanation may hold NaN, which equals no other NaN object
        assert repr(kept.region(row).explain()) == repr(every.region(row).explain()), label
    assert complete(kept)
    assert_same_env(kept, every)


LETS = """
ruleset lets { scale 0 to 100 region kode }
input kode: text
input a: percent { missing zero }
input b: percent { missing exclude }
let half = a / 2
let both = half + b / 2
indicator i = bands both { [0, 50) -> 0, [50, 100] -> 50 }
indicator j = linear b from 0 to 100 onto 0 to 50 met when half >= 20
group total = sum(i, j)
rank peringkat = both desc ties kode asc
tiers on total {
    rendah "Rendah" [0, 50)
    tinggi "Tinggi" [50, 100] requires half >= 10
}
"""


def test_lets_read_late_are_kept_until_read() -> None:
    ruleset = indikator.loads(LETS)
    table = {"kode": ["1", "2", "3", "4"], "a": [90, 10, 50, None], "b": [80, None, 40, 30]}
    every = ruleset.evaluate_many(table, keep="all")
    kept = ruleset.evaluate_many(table)
    assert isinstance(kept.env, Kept)
    assert kept.tiers() == every.tiers()
    assert kept.rank("peringkat") == every.rank("peringkat")
    assert not complete(kept)
    assert kept["both"].tobytes() == every["both"].tobytes()
    assert complete(kept)
    assert_same_env(kept, every)


@settings(max_examples=40, deadline=None)
@given(rulesets(), st.data())
def test_random_rulesets_keep_the_same_values(text: str, data: st.DataObject) -> None:
    ruleset = indikator.loads(text)
    table = data.draw(tables_for(ruleset, max_size=6))
    assert_same_env(ruleset.evaluate_many(table), ruleset.evaluate_many(table, keep="all"))


def test_flags_are_compact_only_when_exact() -> None:
    def flags(*values: float) -> np.ndarray:
        return np.tile(np.array(values), COMPACT_FROM)

    assert compact(flags(1.0, 0.0, 1.0)).dtype == np.bool_
    assert compact(flags(1.0, -0.0)).dtype == np.float64  # -0.0 would come back +0.0
    assert compact(flags(1.0, np.nan)).dtype == np.float64
    assert compact(flags(1.0, 2.0)).dtype == np.float64
    assert compact(np.array([1.0, 0.0])).dtype == np.float64  # too few rows to be worth it


def test_an_unknown_keep_is_refused() -> None:
    ruleset = indikator.load(run.SECOND)
    with pytest.raises(ValueError, match="keep must be"):
        ruleset.evaluate_many(run.make_second_table(3), keep="some")


# -- keep="scores": the groups, score, tier and ranks; the rest from the table again ------


@pytest.mark.parametrize(("label", "ruleset", "table"), CASES, ids=IDS)
def test_scores_are_read_without_the_inputs(
    label: str, ruleset: indikator.Ruleset, table: dict[str, object]
) -> None:
    every = ruleset.evaluate_many(table, keep="all", extra="ignore")
    scores = ruleset.evaluate_many(table, keep="scores", extra="ignore")
    assert isinstance(scores.env, Kept)
    held = set(scores.env._arrays)  # noqa: SLF001  # what the evaluation kept, no more
    assert held == set(scores_kept(ruleset.plan)), label  # no input, indicator or flag
    assert scores.tiers() == every.tiers()
    assert scores.total.tobytes() == every.total.tobytes()
    for rank in ruleset.plan.ranks:
        assert scores.rank(rank.name) == every.rank(rank.name)
    assert not complete(scores)
    assert scores.columns() == every.columns()
    assert complete(scores)
    assert_same_env(scores, every)


@pytest.mark.parametrize(("label", "ruleset", "table"), CASES[:3], ids=IDS[:3])
def test_scores_explanations_are_the_same(
    label: str, ruleset: indikator.Ruleset, table: dict[str, object]
) -> None:
    every = ruleset.evaluate_many(table, keep="all", extra="ignore")
    scores = ruleset.evaluate_many(table, keep="scores", extra="ignore")
    for row in (0, 1, len(scores) - 1):
        assert repr(scores.region(row).explain()) == repr(every.region(row).explain()), label
    assert_same_env(scores, every)


@settings(max_examples=40, deadline=None)
@given(rulesets(), st.data())
def test_random_rulesets_keep_the_same_scores(text: str, data: st.DataObject) -> None:
    ruleset = indikator.loads(text)
    table = data.draw(tables_for(ruleset, max_size=6))
    scores = ruleset.evaluate_many(table, keep="scores")
    assert_same_env(scores, ruleset.evaluate_many(table, keep="all"))


def test_a_table_changed_before_its_inputs_are_read_is_refused() -> None:
    ruleset = indikator.loads(LETS)
    a = np.array([90.0, 10.0, 50.0, 70.0])
    table = {"kode": ["1", "2", "3", "4"], "a": a, "b": [80, None, 40, 30]}
    scores = ruleset.evaluate_many(table, keep="scores")
    # Region 1: i = 0 (both = 85 → 50 points), j = 40; total 90. With a = 10: both = 45.
    assert scores.total[0] == 90.0
    a[0] = 10.0  # the table is referenced, not copied
    with pytest.raises(TableChangedError, match="'total' comes out different"):
        scores.columns()


def test_scores_hold_flags_read_by_requirements_as_bools() -> None:
    # KLA's top tier requires every indicator met (`all_met`, read at the end): under
    # "scores" no flag is kept, but each is held as bools from its last reader as a number.
    plan = indikator.load(run.RULESET).plan
    schedule = liveness.schedule_for(plan, "scores")
    assert schedule is not None
    compacted = {name for moment in schedule for name in moment.compact}
    released_at_end = set(schedule[-1].release)
    flags = {f"{s.name}.met" for s in plan.steps if isinstance(s, indikator.plan.IndicatorStep)}
    assert flags & released_at_end  # read by the requirements, so held until the end
    assert flags & released_at_end <= compacted
    assert liveness.schedule_for(plan, "all") is None
    with pytest.raises(ValueError, match="keep must be"):
        liveness.schedule_for(plan, "some")


def test_scores_results_pickle_and_work_out_the_rest() -> None:
    ruleset = indikator.loads(LETS)
    table = {"kode": ["1", "2", "3", "4"], "a": [90, 10, 50, None], "b": [80, None, 40, 30]}
    scores = pickle.loads(pickle.dumps(ruleset.evaluate_many(table, keep="scores")))  # noqa: S301  # our own bytes
    assert_same_env(scores, ruleset.evaluate_many(table, keep="all"))


def test_a_kept_score_that_is_an_input_is_not_the_callers_array() -> None:
    # Number columns are validated without a copy; the score kept under "scores" is the
    # reference the changed-table check compares with, so it must be an array of its own.
    ruleset = indikator.loads(
        "ruleset d { scale 0 to 100  region kode }\n"
        "input kode: text\n"
        "input y: percent { missing zero }\n"
        "indicator b = y\n"
        'tiers on b { below "Belum" baik "Baik" [50, 100] }\n'
    )
    assert isinstance(ruleset, indikator.Ruleset)
    y = np.array([50.0, 70.0])
    results = ruleset.evaluate_many({"kode": ["1", "2"], "y": y}, keep="scores")
    y[0] = 60.0  # in place, after the call; the tier stays Baik
    assert results.total.tolist() == [50.0, 70.0]
    with pytest.raises(TableChangedError):
        results["y"]  # the read that evaluates again
