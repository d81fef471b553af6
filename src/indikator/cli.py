"""The `indikator` command: parses arguments, calls the public API, renders.

Exit codes: 0 success, 1 ruleset or data errors, 2 usage errors.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import click

from indikator.cases import run_file
from indikator.errors import DataError, IndikatorError, RulesetError, Severity, render
from indikator.ruleset import Ruleset, load
from indikator.tables import read_csv

__all__ = ["main"]


@click.group()
@click.version_option(package_name="indikator")
def main() -> None:
    """Check and evaluate indikator rulesets (KLA, KKS, stunting, your own)."""


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def check(file: Path, *, strict: bool, fmt: str) -> None:
    """Check a ruleset FILE and report every problem found."""
    try:
        ruleset = load(file)
    except RulesetError as error:
        _report(error.diagnostics, error.sources, fmt)
        sys.exit(1)
    except IndikatorError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    _report(ruleset.warnings, ruleset.sources, fmt)
    if strict and ruleset.warnings:
        sys.exit(1)
    if fmt == "text":
        click.echo(
            f"{file}: ok ({len(ruleset.plan.steps)} definitions, {len(ruleset.inputs)} inputs)"
        )


def _report(diagnostics: Any, sources: Any, fmt: str) -> None:
    if fmt == "json":
        items = [
            {
                "code": d.code,
                "severity": d.severity.value,
                "message": d.message,
                "file": d.span.file if d.span else None,
                "line": d.span.line if d.span else None,
                "column": d.span.column if d.span else None,
                "hint": d.hint,
            }
            for d in diagnostics
        ]
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    for diagnostic in diagnostics:
        click.echo(render(diagnostic, sources), err=True)
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    if diagnostics:
        click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)


@main.command()
@click.argument("ruleset", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write all columns to this CSV.",
)
@click.option(
    "--params",
    type=click.Path(dir_okay=False, path_type=Path),
    help="TOML file of parameter overrides.",
)
@click.option(
    "--lang",
    type=click.Choice(["id", "en"]),
    default="id",
    show_default=True,
    help="Label language.",
)
@click.option("--ignore-extra", is_flag=True, help="Allow data columns the ruleset does not read.")
def evaluate(
    ruleset: Path,
    data: Path,
    output: Path | None,
    params: Path | None,
    lang: str,
    *,
    ignore_extra: bool,
) -> None:
    """Evaluate RULESET on every region of DATA (CSV) and print the tiers."""
    try:
        compiled = load(ruleset, params=params)
        results = compiled.evaluate_many(
            read_csv(data), extra="ignore" if ignore_extra else "error"
        )
    except RulesetError as error:
        _report(error.diagnostics, error.sources, "text")
        sys.exit(1)
    except (DataError, IndikatorError) as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    if output is not None:
        _write_csv(results.columns(lang), output)
    click.echo(_table(compiled, results.columns(lang)))


@main.command(name="test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def test_cases(paths: tuple[Path, ...]) -> None:
    """Run the case files (*.cases.toml) in PATHS (files or folders)."""
    files = sorted(
        {f for p in paths or (Path(),) for f in ([p] if p.is_file() else p.rglob("*.cases.toml"))}
    )
    passed = failed = 0
    for file in files:
        try:
            outcomes = run_file(file)
        except IndikatorError as error:
            click.echo(f"{file}: {error}", err=True)
            failed += 1
            continue
        for outcome in outcomes:
            if outcome.passed:
                passed += 1
                continue
            failed += 1
            click.echo(f"FAILED {file}::{outcome.case.name}")
            for failure in outcome.failures:
                click.echo(f"    {failure}")
    click.echo(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def _table(ruleset: Ruleset, columns: dict[str, list[Any]]) -> str:
    subject = (
        ruleset.plan.classification.subject
        if ruleset.plan.classification
        else ruleset.plan.steps[-1].name
    )
    shown = [c for c in ("region", "name", subject, "tier") if c in columns]
    whole = {c for c in shown if all(isinstance(v, float) and v.is_integer() for v in columns[c])}
    rows = [
        [_cell(columns[c][i], whole=c in whole) for c in shown]
        for i in range(len(columns["region"]))
    ]
    widths = [max(len(c), *(len(r[k]) for r in rows)) for k, c in enumerate(shown)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(shown, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


def _cell(value: Any, *, whole: bool = False) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.0f}" if whole else f"{value:.2f}"
    return str(value)


def _write_csv(columns: dict[str, list[Any]], path: Path) -> None:
    temporary = path.with_name(path.name + ".part")
    with temporary.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(zip(*columns.values(), strict=True))
    temporary.replace(path)  # never leave a half-written output behind
