"""The assessment season example, end to end: stages, evidence per agency, the report.

examples/kla_2025_tahap.csv (ten synthetic regions at three stages) and its synthetic register
examples/kla_2025_bukti.csv, on the shipped rulesets/kla/2025.ikr. The command-line
transcripts are tests/golden/cli/stages_kla_example.console and musim_*.console; this module
keeps the text of the report's two season sections (what verification changed, the evidence
still missing) as goldens, in both languages, and checks the numbers worked by hand.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from indikator.cli import main
from tests.goldens import ROOT, check_golden

GOLDEN = ROOT / "tests" / "golden" / "cli"
RULESET = "rulesets/kla/2025.ikr"
DATA = "examples/kla_2025_tahap.csv"
REGISTER = "examples/kla_2025_bukti.csv"


def _section(page: str, ident: str) -> str:
    """The visible text of one <section id=...> of a report, one line per element."""
    start = page.index(f'id="{ident}"')
    body = page[start : page.index("</section>", start)]
    text = html.unescape(re.sub(r"<[^>]+>", "\n", body.split(">", 1)[1]))
    return "".join(f"{line.strip()}\n" for line in text.splitlines() if line.strip())


def _report(tmp_path: Path, lang: str) -> str:
    page = tmp_path / "musim.html"
    args = ["report", RULESET, DATA, "--stages", "--evidence", REGISTER,
            "--as-of", "2024-07-01", "-o", str(page), "--lang", lang]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return page.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.golden
@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_season_report_sections(
    lang: str,
    tmp_path: Path,
    update_golden: bool,  # noqa: FBT001  # a pytest fixture, passed by name
) -> None:
    page = _report(tmp_path, lang)
    text = _section(page, "stages") + "\n" + _section(page, "evidence")
    check_golden(GOLDEN / f"musim_report_{lang}.txt", text, update=update_golden)


def test_the_report_checks_the_evidence_of_the_last_stage_once(tmp_path: Path) -> None:
    evidence = _section(_report(tmp_path, "en"), "evidence")
    # 10 regions x 3 documents, not 30 rows x 3 (each region is in the file at every stage)
    assert "30 documents required in 10 regions" in evidence
    assert "5 past the deadline, 6 rejected, 2 late, 1 awaiting verification, 16 verified" in (
        evidence
    )


def test_the_report_shows_the_final_stage_and_what_verification_changed(tmp_path: Path) -> None:
    stages = _section(_report(tmp_path, "en"), "stages")
    assert "mandiri → verifikasi_adm → verifikasi_lapangan" in stages
    # 9917: the Perda rejected at the administrative check, 60 -> 20 points: Madya -> Pratama
    assert "627.44" in stages
    assert "587.44" in stages
    assert "-150" in stages  # Bappeda: 8 regions lost one or two kelembagaan items (15 each)


def test_readiness_of_one_stage_keeps_its_rows_only() -> None:
    args = ["readiness", RULESET, DATA, "--stage", "mandiri", "--lang", "en"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "10 regions, 3 empty cells" in result.output
    assert "Repeated region ids" not in result.output
    assert "tahap" not in result.output  # the stage column is taken out, not called extra
