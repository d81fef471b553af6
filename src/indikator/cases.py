"""Case files: inputs and hand-worked expected outputs next to a ruleset, in TOML.

A case file (`*.cases.toml`) names its ruleset and lists cases; each case gives the inputs
of one region (or a table of regions), the expected tier and values, an optional
tolerance, parameter overrides, or the error code it must raise::

    ruleset = "2025.ikr"

    [defaults.inputs]          # shared by every case; a case overrides what it names
    akta = 90

    [[cases]]
    name = "Pratama at its lower edge"
    source = "worked by hand: 300 + 200 = 500"
    inputs = { akta = 75 }
    expected = { tier = "pratama", total = 500 }

`run_file` checks every case; `indikator test` and the pytest plugin report them.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from indikator.errors import DataError, DataProblem, IndikatorError, RulesetError
from indikator.messages import Message, Phrase
from indikator.results import Results
from indikator.ruleset import Ruleset, load

__all__ = ["Case", "CaseOutcome", "load_cases", "run_case", "run_file"]

DEFAULT_TOLERANCE = 1e-9


@attrs.frozen(kw_only=True)
class Case:
    """One case: inputs for one region or a table of regions, and what must come out."""

    name: str
    file: Path
    ruleset: Path
    source: str | None
    regions: tuple[Mapping[str, Any], ...]
    expected: tuple[Mapping[str, Any], ...]
    params: Mapping[str, Any]
    tolerance: float
    error: str | None


@attrs.frozen(kw_only=True)
class CaseOutcome:
    """The result of checking one case: passed, or the differences found."""

    case: Case
    failures: tuple[Message, ...]

    @property
    def passed(self) -> bool:
        """Whether everything matched."""
        return not self.failures


def _problem(path: Path, message: Message) -> DataError:
    return DataError([DataProblem(code="IK510", field=str(path), message=message)])


def load_cases(path: str | Path) -> tuple[Case, ...]:
    """Read a case file; raises `DataError` (IK510) when it is malformed."""
    path = Path(path)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise _problem(
            path, Message("cases.cannot_read", path=str(path), reason=str(error))
        ) from None
    if "ruleset" not in document or not isinstance(document.get("cases"), list):
        raise _problem(path, Message("cases.shape", path=str(path)))
    defaults = document.get("defaults", {})
    default_inputs = dict(defaults.get("inputs", {}))
    cases = []
    for index, raw in enumerate(document["cases"], start=1):
        name = str(raw.get("name", f"case {index}"))
        if "regions" in raw:
            regions = tuple({**default_inputs, **r} for r in raw["regions"])
            expected = tuple(raw.get("expected", [{}] * len(regions)))
            if len(expected) != len(regions):
                raise _problem(
                    path,
                    Message("cases.count", name=name, regions=len(regions), expected=len(expected)),
                )
        else:
            regions = ({**default_inputs, **raw.get("inputs", {})},)
            expected = (raw.get("expected", {}),)
        cases.append(
            Case(
                name=name,
                file=path,
                ruleset=(path.parent / document["ruleset"]).resolve(),
                source=raw.get("source", document.get("source")),
                regions=regions,
                expected=expected,
                params={**defaults.get("params", {}), **raw.get("params", {})},
                tolerance=float(raw.get("tolerance", defaults.get("tolerance", DEFAULT_TOLERANCE))),
                error=raw.get("error"),
            )
        )
    return tuple(cases)


def run_case(case: Case, ruleset: Ruleset | None = None) -> CaseOutcome:
    """Evaluate one case and compare; `ruleset` skips reloading when given."""
    try:
        compiled = ruleset or load(case.ruleset)
        if case.params:
            compiled = compiled.with_params(case.params)
        results = compiled.evaluate_many(_table(case.regions))
    except IndikatorError as error:
        return CaseOutcome(case=case, failures=_check_error(case, error))
    if case.error is not None:
        failure = Message("cases.expected_error_evaluated", code=case.error)
        return CaseOutcome(case=case, failures=(failure,))
    failures = []
    for row, expected in enumerate(case.expected):
        failures.extend(_compare(results, row, expected, case.tolerance))
    return CaseOutcome(case=case, failures=tuple(failures))


def run_file(path: str | Path) -> list[CaseOutcome]:
    """Check every case of a case file (the ruleset is compiled once)."""
    cases = load_cases(path)
    if not cases:
        return []
    first = cases[0].ruleset
    try:
        ruleset: Ruleset | None = load(first)
    except RulesetError:
        ruleset = None  # each case then reports the ruleset's own error
    return [run_case(case, ruleset) for case in cases]


def _table(regions: tuple[Mapping[str, Any], ...]) -> dict[str, list[Any]]:
    columns = sorted({key for region in regions for key in region})
    return {column: [region.get(column) for region in regions] for column in columns}


def _check_error(case: Case, error: IndikatorError) -> tuple[Message, ...]:
    codes = _codes(error)
    if case.error is None:
        shown = Phrase(en=error.render("en"), id=error.render("id"))
        return (Message("cases.unexpected_error", error=shown),)
    if case.error not in codes:
        got = ", ".join(sorted(codes)) or type(error).__name__
        return (Message("cases.expected_error", code=case.error, got=got),)
    return ()


def _codes(error: IndikatorError) -> set[str]:
    if isinstance(error, RulesetError):
        return {d.code for d in error.diagnostics}
    if isinstance(error, DataError):
        return {p.code for p in error.problems}
    return set()


def _compare(
    results: Results, row: int, expected: Mapping[str, Any], tolerance: float
) -> list[Message]:
    region = results.region(row)
    where: Message | str = Message("cases.where", region=region.region) if len(results) > 1 else ""
    failures = []
    for key, want in expected.items():
        if key == "tier":
            got: Any = (
                region.tier_name
                if region.tier_code > 0
                else ("below" if region.tier_code == 0 else "none")
            )
        elif key == "tier_label":
            got = region.tier()
        else:
            try:
                got = region[key]
            except KeyError:
                failures.append(Message("cases.no_value", where=where, key=key))
                continue
        if not _matches(got, want, tolerance):
            failures.append(
                Message("cases.mismatch", where=where, key=key, want=repr(want), got=repr(got))
            )
    return failures


def _matches(got: Any, want: Any, tolerance: float) -> bool:
    if want == "missing":
        return got is None
    if isinstance(want, int | float) and not isinstance(want, bool):
        return isinstance(got, float) and not math.isnan(got) and abs(got - want) <= tolerance
    return bool(got == want)
