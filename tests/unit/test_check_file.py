"""`check_file`: a ruleset is compiled, a catalogue (definitions only) checked on its own."""

from __future__ import annotations

from pathlib import Path

import pytest

import indikator
from indikator.ruleset import Catalogue, check_file

ROOT = Path(__file__).parents[2]


def test_the_kks_catalogue_checks_alone_and_its_inputs_are_not_unused() -> None:
    checked = check_file(ROOT / "rulesets" / "kks" / "catalogue.ikr")
    assert isinstance(checked, Catalogue)
    # The file declares two inputs and imports the seven shared facts (rulesets/common/facts.ikr);
    # checked alone, a catalogue keeps every fact, read or not.
    assert checked.inputs == (
        "kode_kabkota",
        "nama_kabkota",
        "provinsi",
        "prevalensi_stunting",
        "persen_air_minum_layak",
        "ktr",
        "odf",
        "sk_tim_pembina",
        "sk_forum",
    )
    assert checked.scored == ()
    assert checked.warnings == ()


def test_a_ruleset_is_compiled_as_load_does() -> None:
    checked = check_file(ROOT / "rulesets" / "kks" / "2025.ikr")
    assert isinstance(checked, indikator.Ruleset)
    assert "odf" in checked.inputs  # from the catalogue it imports


def test_a_catalogue_is_checked_with_what_it_imports(tmp_path: Path) -> None:
    (tmp_path / "inputs.ikr").write_text("input x: percent { missing zero }\n")
    (tmp_path / "scores.ikr").write_text(
        'import "inputs.ikr"\n'
        "indicator s = bands x { [0, 50) -> 0  [50, 100] -> 10 }\n"
        "indicator t = bands x { [0, 40) -> 0  [50, 100] -> 10 }\n"  # a gap: 40 to 50
    )
    with pytest.raises(indikator.RulesetError) as caught:
        check_file(tmp_path / "scores.ikr")
    assert [d.code for d in caught.value.diagnostics if d.severity.value == "error"] == ["IK402"]


def test_a_file_with_tiers_but_no_header_is_a_ruleset_missing_its_header(tmp_path: Path) -> None:
    path = tmp_path / "lupa.ikr"
    path.write_text('input x: percent\nindicator s = x / 10 max 10\ntiers on s { a "A" [5, 10] }\n')
    with pytest.raises(indikator.RulesetError) as caught:
        check_file(path)
    (problem,) = caught.value.diagnostics
    assert problem.code == "IK102"
    assert "start with: ruleset" in str(problem.hint)
