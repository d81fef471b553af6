"""What `indikator evaluate` prints: which column, yes/no values, the checker's warnings."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import indikator
from indikator.cli import main

NO_TIERS = """\
ruleset demo { scale 0 to 100 }
input x: percent { missing zero }
input y: yesno { missing zero }
indicator skor = linear x from 0 to 100 onto 0 to 100
let persen = x / 3
let ok = y and x > 50
"""

WARNED = """\
ruleset demo { scale 0 to 100 }
input x: percent { missing zero }
input unused: percent { missing zero }
indicator skor = bands x {
  [0, 50) -> 0
  [50, 100] -> 100
}
tiers on skor { below "Belum" baik "Baik" [60, 100] }
"""


def _evaluate(tmp_path: Path, rules: str, data: str, *args: str) -> Result:
    (tmp_path / "r.ikr").write_text(rules, encoding="utf-8")
    (tmp_path / "d.csv").write_text(data, encoding="utf-8")
    command = ["evaluate", str(tmp_path / "r.ikr"), str(tmp_path / "d.csv"), *args]
    return CliRunner().invoke(main, command, prog_name="indikator")


def _rows(output: str) -> list[list[str]]:
    return [line.split() for line in output.splitlines() if line.strip()]


def test_without_tiers_the_score_shown_is_the_last_indicator_not_a_let(tmp_path: Path) -> None:
    done = _evaluate(tmp_path, NO_TIERS, "x,y\n42.5,ya\n", "--lang", "en")
    assert done.exit_code == 0, done.output
    header, _, row = _rows(done.stdout)
    assert header == ["region", "skor"]  # not `ok`, the last definition computed
    assert row == ["row", "1", "42.50"]


@pytest.mark.parametrize(
    ("lang", "words"), [("en", ["yes", "no"]), ("id", ["ya", "tidak"])], ids=["en", "id"]
)
def test_a_yes_no_let_reads_yes_or_no(tmp_path: Path, lang: str, words: list[str]) -> None:
    # ok = y and x > 50: row 1 yes and 60 > 50; row 2 yes but 42.5 is not above 50
    data = "x,y\n60,ya\n42.5,ya\n"
    done = _evaluate(tmp_path, NO_TIERS, data, "--lang", lang, "--show", "ok")
    assert done.exit_code == 0, done.output
    assert [row[-1] for row in _rows(done.stdout)[2:]] == words


def test_the_checkers_warnings_are_named_on_standard_error(tmp_path: Path) -> None:
    done = _evaluate(tmp_path, WARNED, "x,unused\n70,\n", "--lang", "en")
    assert done.exit_code == 0, done.output
    assert "1 warning(s) from the checker (IK302)" in done.stderr
    assert "indikator check" in done.stderr
    assert "IK302" not in done.stdout  # the table stays a table


def test_no_warning_note_for_a_ruleset_without_warnings(tmp_path: Path) -> None:
    done = _evaluate(tmp_path, NO_TIERS, "x,y\n42.5,ya\n")
    assert done.exit_code == 0, done.output
    assert done.stderr == ""


def test_kind_and_score_name() -> None:
    rs = indikator.loads(NO_TIERS)
    assert [rs.kind(name) for name in ("x", "y", "skor", "ok")] == [
        "number",
        "bool",
        "number",
        "bool",
    ]
    assert rs.score_name == "skor"
    with pytest.raises(KeyError, match="unknown name 'nope'"):
        rs.kind("nope")
    assert indikator.loads(WARNED).score_name == "skor"  # the tiers' subject
