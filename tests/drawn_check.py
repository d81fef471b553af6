"""The drawn plan checked against the plain plan of each draw: the one differential helper.

For every draw, `loads(text, params=draw)` (the checker and the plain evaluation of that
draw's parameters) and the drawn plan must agree: the same draws kept, the same maxima,
every step and `.met`, and the tier.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from indikator import IndikatorError, loads
from indikator.data import table_columns, validate
from indikator.drawn import lower_drawn
from indikator.evaluate import run
from indikator.sensitivity import drawn_parameters

Table = Mapping[str, Sequence[object]]


def compare_draws(
    text: str,
    table: Any,  # what `evaluate_many` reads: a mapping of columns, a `Table`, a DataFrame
    draws: Sequence[Mapping[str, float]],
    *,
    root: str | Path | None = None,
) -> tuple[list[str], int]:
    """(where the drawn plan and the plain plan of each draw differ, draws compared).

    `root`: the folder the ruleset's imports are read from.
    """
    ruleset = loads(text, root=root)
    names = [p.name for p in drawn_parameters(ruleset)]
    size = len(next(iter(table.values())))
    values = np.array([[draw[name] for name in names] for draw in draws], dtype=np.float64)
    drawn = {name: np.repeat(values[:, j], size) for j, name in enumerate(names)}
    analysis, sources = ruleset._analysis, ruleset._linked.sources  # noqa: SLF001
    plan, valid = lower_drawn(analysis, sources, drawn)
    columns = validate(ruleset.plan, table_columns(table))
    tiled = {k: np.tile(v, len(draws)) for k, v in columns.arrays.items()}
    env = run(plan, tiled, list(columns.regions) * len(draws))
    found: list[str] = []
    compared = 0
    for d, draw in enumerate(draws):
        rows = slice(d * size, (d + 1) * size)
        try:
            plain = loads(text, params=dict(draw), root=root)
        except IndikatorError:
            plain = None
        kept = bool(valid[rows].all())
        if (plain is not None) != kept:
            found.append(f"{draw}: checker {'accepts' if plain else 'refuses'}, kept={kept}")
        if plain is None or not kept:
            continue
        compared += 1
        for name, maximum in plain.plan.maxima.items():
            ours = np.broadcast_to(plan.maxima[name], (len(draws) * size,))[rows]
            if not np.allclose(ours, maximum, rtol=1e-12, atol=0.0):
                found.append(f"{draw}: maximum of {name}: {ours[0]} != {maximum}")
        expected = plain.evaluate_many(table)
        for step in ruleset.plan.steps:
            for column in (step.name, f"{step.name}.met"):
                if column not in env:
                    continue
                ours_values = np.asarray(env[column][rows], dtype=np.float64)
                theirs = np.asarray(expected[column], dtype=np.float64)
                if not np.allclose(ours_values, theirs, rtol=1e-12, atol=1e-12, equal_nan=True):
                    found.append(f"{draw}: {column}: {ours_values} != {theirs}")
        if not np.array_equal(env["tier"][rows], expected["tier"]):
            found.append(f"{draw}: tier {env['tier'][rows]} != {expected['tier']}")
    return found, compared


def disagreements(text: str, table: Table, draws: Sequence[Mapping[str, float]]) -> list[str]:
    """Where the drawn plan and the plain plan of each draw differ (empty: nowhere)."""
    return compare_draws(text, table, draws)[0]
