"""Provenance in the language: sources, `cites`, `assumed`, `check --strict`, `sources`."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import indikator
from indikator.cli import main
from indikator.formatter import format_text

BASE = """
ruleset demo { scale 0 to 10 }
source perpres25 "Peraturan Presiden Nomor 25 Tahun 2021" en "Presidential Regulation 25/2021" {
  issuer "Presiden RI" number "25/2021" date "2021-03-30"
  url "https://peraturan.bpk.go.id/Details/163395/perpres-no-25-tahun-2021"
  passage "Pasal 7 ayat (2)"
}
param w = 10 cites perpres25 "Pasal 9"
param e = 50 assumed "no published edge" within 40 to 80
input x: percent
indicator s = bands x { [0, e) -> 0  [e, 100] -> w }
tiers on s { baik "Baik" [5, 10] } assumed "tier edge not published"
"""


def _codes(text: str, *, strict: bool = False) -> list[str]:
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads(text, strict=strict)
    return [d.code for d in caught.value.diagnostics]


def test_kinds_are_recorded() -> None:
    provenance = indikator.loads(BASE, strict=True).provenance
    assert provenance.count("unmarked") == 0
    kinds = {(r.definition, r.value): r.kind for r in provenance.numbers}
    assert kinds["w", Decimal(10)] == "structural"  # the scale's end
    assert kinds["e", Decimal(50)] == "assumed"
    assert kinds["tiers", Decimal(5)] == "assumed"
    (source,) = provenance.sources
    assert [c.definition for c in source.cited_by] == ["w"]
    assert provenance.assumed[0].within == (Decimal(40), Decimal(80))


def test_unknown_source_is_a_located_error_with_a_suggestion() -> None:
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads(BASE.replace('cites perpres25 "Pasal 9"', "cites perpres52"))
    (problem,) = [d for d in caught.value.diagnostics if d.code == "IK420"]
    assert problem.span is not None
    assert problem.hint is not None
    assert "perpres25" in problem.hint.render("en")


def test_unused_source_warns() -> None:
    ruleset = indikator.loads(BASE.replace('cites perpres25 "Pasal 9"', 'assumed "x"'))
    assert [d.code for d in ruleset.warnings] == ["IK421"]


def test_strict_refuses_a_bare_number_and_exempts_structural_ones() -> None:
    bare = BASE.replace(' assumed "no published edge" within 40 to 80', "")
    indikator.loads(bare)  # not strict: fine
    assert _codes(bare, strict=True) == ["IK422"]
    structural = "ruleset d { scale 0 to 10 }\ninput x: percent\n"
    structural += "indicator s = bands x { [0, 100] -> 10 }\n"
    assert indikator.loads(structural, strict=True).provenance.count("structural") == 3


def test_definition_mark_covers_its_literals() -> None:
    text = "ruleset d { scale 0 to 10 }\ninput x: percent\n"
    text += 'indicator s = bands x { [0, 60) -> 0  [60, 100] -> 10 } assumed "edge"\n'
    assert indikator.loads(text, strict=True).provenance.count("assumed") == 2


def test_within_must_hold_the_value() -> None:
    assert "IK424" in _codes(BASE.replace("within 40 to 80", "within 60 to 80"))


def test_param_override_keeps_provenance() -> None:
    ruleset = indikator.loads(BASE, params={"e": 70})
    (record,) = [r for r in ruleset.provenance.numbers if r.definition == "e"]
    assert record.kind == "assumed"
    assert record.value == Decimal(50)
    assert record.override == 70


def test_sources_command_json(tmp_path: Path) -> None:
    path = tmp_path / "demo.ikr"
    path.write_text(BASE, encoding="utf-8")
    result = CliRunner().invoke(main, ["sources", str(path), "--format", "json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["sources"][0]["id"] == "perpres25"
    assert data["sources"][0]["title"] == "Presidential Regulation 25/2021"
    assert data["sources"][0]["cited_by"] == [{"definition": "w", "passage": "Pasal 9"}]
    assert data["assumed"][0]["within"] == ["40", "80"]
    text = CliRunner().invoke(main, ["sources", str(path)])
    assert "perpres25" in text.output


def test_check_strict_cli(tmp_path: Path) -> None:
    path = tmp_path / "bare.ikr"
    path.write_text(BASE.replace(' assumed "no published edge" within 40 to 80', ""), "utf-8")
    assert CliRunner().invoke(main, ["check", str(path)]).exit_code == 0
    assert CliRunner().invoke(main, ["check", "--strict", str(path)]).exit_code == 1


def test_format_round_trips_the_new_syntax() -> None:
    once = format_text(BASE)
    assert format_text(once) == once
