"""Golden files: expected output kept next to the tests, checked or rewritten in one way.

Every golden test compares through `check_golden`, so `pytest --update-golden` rewrites
them all (`nox -s golden` runs just those, marked `golden`); review the diff like code.

Transcripts of the command line (tests/golden/cli/*.console and *.txt) share one format
and one loader, `check_transcript`: comment lines (`#`, saying how the numbers were
checked by hand), then one or more `$ indikator ...` commands, each followed by its
expected output; `[exit N]` ends a failing command's output. `{tmp}` in a command stands
for a fresh temporary folder. Updating rewrites the outputs and keeps the comments and
commands. The commands run with SOURCE_DATE_EPOCH set, so run records carry a fixed time.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import attrs
from click.testing import CliRunner

from indikator.cli import main

__all__ = ["ROOT", "Transcript", "check_golden", "check_transcript", "read_transcript", "run"]

#: The repository: transcripts run from here, so their paths are relative to it.
ROOT = Path(__file__).resolve().parents[1]


def check_golden(path: Path, actual: str, *, update: bool) -> None:
    """Assert that `path` holds `actual`; with `update`, write it there first."""
    if update:
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{path.name}: output changed"


@attrs.frozen
class Transcript:
    """A transcript file: its comment lines and its (command, expected output) pairs."""

    comments: str
    runs: tuple[tuple[str, str], ...]

    def text(self) -> str:
        """The file's text."""
        return self.comments + "".join(f"$ {command}\n{out}" for command, out in self.runs)


def read_transcript(path: Path) -> Transcript:
    """Read a transcript: the comments before the first command, then each command's output."""
    comments: list[str] = []
    runs: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("$ "):
            runs.append((line[2:].strip(), ""))
        elif runs:
            runs[-1] = (runs[-1][0], runs[-1][1] + line)
        else:
            comments.append(line)
    return Transcript("".join(comments), tuple(runs))


def run(command: str, tmp: Path) -> str:
    """Run `indikator ...` in-process; its output as a transcript shows it."""
    arguments = shlex.split(command.replace("{tmp}", str(tmp)))
    assert arguments[0] == "indikator", command
    # a fixed time for the run records in printed JSON (the reproducible-builds convention)
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    result = CliRunner().invoke(main, arguments[1:], prog_name="indikator", env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    output = result.output.replace(str(tmp), "{tmp}")
    if output and not output.endswith("\n"):
        output += "\n"
    return output + (f"[exit {result.exit_code}]\n" if result.exit_code else "")


def check_transcript(path: Path, tmp: Path, *, update: bool) -> None:
    """Run every command of the transcript at `path` (from `ROOT`) and check its output.

    The caller changes into `ROOT` first (`monkeypatch.chdir(ROOT)`).
    """
    expected = read_transcript(path)
    assert expected.comments, f"{path.name}: say in a comment how the numbers were checked"
    assert expected.runs, f"{path.name}: no '$ indikator ...' command"
    actual = Transcript(expected.comments, tuple((c, run(c, tmp)) for c, _ in expected.runs))
    check_golden(path, actual.text(), update=update)
