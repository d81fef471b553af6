"""Making a recorded run's results again, for the commands beyond one ruleset's `evaluate`.

Input: a run record's files and options (`record.Options`). Output: the results' columns
as the command wrote them, for `record.run_again` to compare exactly: `evaluate` with
several schemes (`schemes_again`) and `sensitivity` (`sensitivity_again`). Errors: those
of loading the rulesets and reading the data (`IndikatorError`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from indikator.ruleset import load
from indikator.schemes import evaluate_schemes
from indikator.tables import Table, read_table

if TYPE_CHECKING:
    from indikator.record import Options
    from indikator.ruleset import Ruleset

__all__ = ["read_again", "schemes_again", "sensitivity_again"]


def read_again(data: Path, options: Options, ruleset: Ruleset | None) -> Table:
    """The data read again as the run read it: the same sheets, header row and locale."""
    sheet = options.sheet
    return read_table(
        data,
        sheet=(sheet[0] if len(sheet) == 1 else sheet) if sheet else None,
        locale=options.locale,
        header_row=options.header_row,
        ruleset=ruleset,
    )


def schemes_again(rulesets: list[Path], data: Path, options: Options) -> dict[str, list[Any]]:
    """`evaluate A B C DATA` again: each scheme's columns, side by side, per region."""
    compiled = [load(path) for path in rulesets]
    extra = "ignore" if options.ignore_extra else "error"
    table = read_again(data, options, None)
    return evaluate_schemes(compiled, table, extra=extra).columns(options.lang)


def sensitivity_again(
    ruleset: Path, params: Path | None, data: Path, options: Options
) -> dict[str, list[Any]]:
    """`sensitivity RULESET DATA` again with the recorded draws, seed and robustness level."""
    compiled = load(ruleset, params=params)
    table = read_again(data, options, compiled)
    result = compiled.sensitivity(
        table,
        draws=options.draws if options.draws is not None else 1000,
        seed=options.seed if options.seed is not None else 0,
        robust_at=options.robust if options.robust is not None else 0.95,
        extra="ignore" if options.ignore_extra else "error",
    )
    return result.to_rows(options.lang)
