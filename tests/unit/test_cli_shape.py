"""One shape of command line: the commands that read data take the same options.

Every command that reads a ruleset and data takes `--params`, `--sheet`, `--lang` and
`--locale` (and `--ignore-extra` and `--format` where they apply), from one bundle; errors
go through one handler and exit 1.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from indikator.cli import main

ROOT = Path(__file__).parents[2]
TOUR = ROOT / "tests/fixtures/tour.ikr"
TOUR_CSV = ROOT / "tests/fixtures/tour.csv"

# command -> its arguments after the ruleset, given DATA (an .xlsx file)
DATA_COMMANDS: dict[str, Any] = {
    "evaluate": lambda data: [str(data)],
    "explain": lambda data: [str(data), "--region", "3201"],
    "next": lambda data: [str(data), "--region", "3202"],
    "readiness": lambda data: [str(data)],
    "compare": lambda data: [str(data), str(data)],
    "sensitivity": lambda data: [str(data), "--draws", "5"],
}


def _invoke(args: list[str]) -> Any:
    return CliRunner().invoke(main, args, prog_name="indikator")


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tour.csv as the second sheet, `daftar`, of a workbook whose first sheet is empty."""
    path = tmp_path_factory.mktemp("sheet") / "tour.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["x"])
    daftar = book.create_sheet("daftar")
    for line in csv.reader(TOUR_CSV.read_text(encoding="utf-8").splitlines()):
        daftar.append(line)
    book.save(path)
    return path


@pytest.mark.parametrize("command", [*DATA_COMMANDS, "diff", "report"])
def test_every_data_command_takes_the_shared_options(command: str) -> None:
    options = {o for p in main.commands[command].params for o in p.opts}
    assert {"--params", "--sheet", "--lang", "--locale"} <= options
    if command != "diff":  # diff reads the data with two rulesets
        assert "--ignore-extra" in options
    if command not in ("evaluate", "report"):  # the two that write files, not JSON
        assert "--format" in options


@pytest.mark.parametrize("command", list(DATA_COMMANDS))
def test_sheet_picks_the_sheet_on_every_data_command(command: str, workbook: Path) -> None:
    args = [command, str(TOUR), *DATA_COMMANDS[command](workbook)]
    first = _invoke(args)
    assert first.exit_code == 1  # the first sheet has no inputs
    chosen = _invoke([*args, "--sheet", "daftar"])
    assert "IK50" not in chosen.output, chosen.output
    assert chosen.exit_code in (0, 1) if command == "readiness" else chosen.exit_code == 0


def test_sheet_of_a_csv_file_is_refused_by_readiness() -> None:
    result = _invoke(["readiness", str(TOUR), str(TOUR_CSV), "--sheet", "daftar", "--lang", "en"])
    assert result.exit_code == 1
    assert "--sheet applies to .xlsx files" in result.output


@pytest.mark.parametrize(
    ("command", "extra"),
    [
        ("explain", ["--region", "9914"]),
        ("next", ["--region", "9914"]),
        ("readiness", []),
        ("compare", []),
        ("diff", []),
    ],
)
def test_every_report_command_writes_its_report_to_a_file(
    command: str, extra: list[str], tmp_path: Path
) -> None:
    ruleset, data = str(ROOT / "rulesets/kla/2025.ikr"), str(ROOT / "examples/kla_2025.csv")
    if command == "diff":
        args = [command, ruleset, ruleset, data]
    elif command == "compare":  # the same year twice: nobody moves, the report still prints
        args = [command, ruleset, data, data]
    else:
        args = [command, ruleset, data, *extra]
    runner = CliRunner()
    shown = runner.invoke(main, [*args, "--lang", "en"])
    text = tmp_path / "report.txt"
    written = runner.invoke(main, [*args, "--lang", "en", "-o", str(text)])
    assert written.exit_code == shown.exit_code, written.output
    assert text.read_text(encoding="utf-8") == shown.stdout  # the same report, in the file
    assert written.stdout == f"wrote {text}\n"
    document = tmp_path / "report.json"
    assert runner.invoke(main, [*args, "-o", str(document)]).exit_code == shown.exit_code
    parsed = json.loads(document.read_text(encoding="utf-8"))
    first = parsed[0] if isinstance(parsed, list) else parsed
    assert first["assumptions"].startswith("Asumsi:")
    refused = runner.invoke(main, [*args, "-o", data])  # the data file itself: IK603 / IK601
    assert refused.exit_code == 1
    assert (ROOT / "examples/kla_2025.csv").read_text(encoding="utf-8").startswith("kode_kabkota")
