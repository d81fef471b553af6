"""A compiled ruleset is shared safely: evaluating from several threads gives the same results."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import indikator
from indikator.tables import read_csv

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_threads_share_one_ruleset() -> None:
    ruleset = indikator.load_ruleset("kla")
    table = read_csv(EXAMPLES / "kla_2025.csv")
    expected = ruleset.evaluate_many(table).columns()

    def evaluate(_: int) -> dict[str, list[object]]:
        return ruleset.evaluate_many(table).columns()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(evaluate, range(16)))
    assert all(result == expected for result in results)


def test_threads_compile_and_parse_concurrently() -> None:
    text = (Path(__file__).parents[1] / "fixtures" / "tour.ikr").read_text(encoding="utf-8")
    with ThreadPoolExecutor(max_workers=4) as pool:
        rulesets = list(pool.map(lambda i: indikator.loads(text, file=f"tour{i}.ikr"), range(12)))
    names = [[step.name for step in r.plan.steps] for r in rulesets]
    assert all(n == names[0] for n in names)
    # spans name the file each thread parsed, not another thread's
    assert [r.plan.steps[0].origin.file for r in rulesets] == [f"tour{i}.ikr" for i in range(12)]
