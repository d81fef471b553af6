"""Issue 17, language frictions: each friction the review found, pinned by a test.

Constant expressions where a number goes (`-> 0.6 * w`), equal weights, `extends` that
replaces nothing, `range 0 to inf`, one error per cause, and messages that point the
right way.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

import indikator
from indikator.cli import main
from indikator.formatter import format_text
from indikator.syntax import parse
from tests.drawn_check import disagreements
from tests.oracle import oracle_evaluate

# --- 1. constant expressions -------------------------------------------------------------

FACTOR = """
ruleset faktor { scale 0 to 100 region kode }
param maks = 80
param faktor_b = 0.6
input kode: text
input x: percent
input dok: option("a", "b", "c")
indicator i_dok = options dok { "a" -> maks, "b" -> faktor_b * maks, "c" -> 0.3 * maks }
  max maks
indicator i_x = bands x { [0, maks / 2) -> 0, [maks / 2, 100] -> (100 - maks) / 2 } max 10
indicator i_lin = linear x from 0 to 2 * 50 onto 0 to maks / 8 max 100 - maks - 10
group total = sum(i_dok, i_x, i_lin) max maks + 10 + 10
tiers on total { rendah "Rendah" [0, maks / 2) tinggi "Tinggi" [maks / 2, 100] }
"""


def test_constants_are_folded_where_numbers_go() -> None:
    ruleset = indikator.loads(FACTOR)
    # b: 0.6 * 80 = 48; x = 50 reaches [40, 100] -> (100 - 80) / 2 = 10; linear 50/100 of 10.
    result = ruleset.evaluate({"kode": "1", "x": 50, "dok": "b"})
    assert (result["i_dok"], result["i_x"], result["i_lin"]) == (48.0, 10.0, 5.0)
    assert result["total"] == 63.0
    assert result.tier("en") == "Tinggi"
    # x = 39.99 is below the edge 80 / 2 = 40; c: 0.3 * 80 = 24.
    low = ruleset.evaluate({"kode": "2", "x": 39.99, "dok": "c"})
    assert (low["i_dok"], low["i_x"]) == (24.0, 0.0)


def test_the_oracle_folds_constants_to_the_same_numbers() -> None:
    oracle = oracle_evaluate(parse(FACTOR), {"kode": "1", "x": "50", "dok": "b"})
    assert oracle.values["i_dok"] == 48
    assert oracle.values["total"] == 63


def test_an_override_reaches_the_constant() -> None:
    ruleset = indikator.loads(FACTOR, params={"faktor_b": "0.5"})
    assert ruleset.evaluate({"kode": "1", "x": 50, "dok": "b"})["i_dok"] == 40.0


def test_folding_is_exact_then_on_the_nine_place_grid() -> None:
    text = """
    ruleset t { scale 0 to 100 }
    input x: percent
    indicator a = bands x { [0, 50) -> 100 / 3, [50, 100] -> 100 / 3 * 3 } max 100
    """
    ruleset = indikator.loads(text)
    assert ruleset.evaluate({"x": 10})["a"] == pytest.approx(33.333333333, abs=1e-12)
    assert ruleset.evaluate({"x": 60})["a"] == 100.0  # exact: not 99.999999999
    oracle = oracle_evaluate(parse(text), {"x": "10"})
    assert oracle.values["a"] == Fraction("33.333333333")
    # The checker holds the folded number on the grid too: 100 / 3 is no more than the
    # maximum 33.333333333 (unrounded, it would be IK410, above the maximum).
    capped = text.replace("100 / 3 * 3 } max 100", "0 } max 33.333333333")
    indikator.loads(capped.replace("scale 0 to 100", "scale 0 to 33.333333333"))


def _codes(text: str, **params: str) -> list[tuple[str, int, int]]:
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads(text, params=params or None)
    return [
        (d.code, d.span.line, d.span.column) if d.span else (d.code, 0, 0)
        for d in caught.value.diagnostics
    ]


def test_an_input_in_a_constant_is_ik202_at_the_input() -> None:
    text = """ruleset t { scale 0 to 100 }
input x: percent
indicator a = bands x { [0, 50) -> 0, [50, 100] -> 0.6 * x } max 100
"""
    assert _codes(text) == [("IK202", 3, 58)]


def test_dividing_by_zero_is_ik414_at_the_divisor_written_or_overridden() -> None:
    text = """ruleset t { scale 0 to 100 }
param bagian = 2
input x: percent
indicator a = bands x { [0, 50) -> 0, [50, 100] -> 200 / bagian } max 100
"""
    assert indikator.loads(text).evaluate({"x": 60})["a"] == 100.0
    assert _codes(text, bagian="0") == [("IK414", 4, 58)]
    assert _codes(text.replace("bagian = 2", "bagian = 0")) == [("IK414", 4, 58)]


def test_a_constant_read_from_an_assumed_parameter_is_assumed() -> None:
    text = """ruleset t { scale 0 to 100 }
param w = 100 assumed "no published value yet"
input x: percent
indicator a = bands x { [0, 50) -> 0, [50, 100] -> 0.5 * w + 50 } max 100
indicator b = bands x { [0, 50) -> 0, [50, 100] -> 100 } max 100
"""
    provenance = indikator.loads(text).provenance
    assert provenance.mark("a").kind == "assumed"
    assert provenance.mark("b").kind != "assumed"


def test_the_explanation_shows_the_folded_points() -> None:
    ruleset = indikator.loads(FACTOR)
    shown = ruleset.evaluate({"kode": "1", "x": 50, "dok": "b"}).explain("en").to_text()
    assert "band [40, 100] -> 10" in shown


def test_the_formatter_lays_out_constants_and_keeps_them() -> None:
    text = "ruleset t { scale 0 to 100 }\nparam w = 80\ninput x: percent\n"
    text += "indicator a = bands x { [0, w/2) -> 0, [w/2, 100] -> (w-60)*5 } max w+20\n"
    formatted = format_text(text)
    assert "[w / 2, 100] -> (w - 60) * 5" in formatted
    assert "max w + 20" in formatted
    assert format_text(formatted) == formatted


def test_a_drawn_parameter_moves_the_constants_that_read_it() -> None:
    text = """
ruleset t { scale 0 to 50 }
param w = 80 assumed "guess" within 60 to 100
input x: percent
indicator a = bands x { [0, w / 2) -> 0, [w / 2, 100] -> 0.5 * w } max 50
tiers on a { rendah "Rendah" [0, w / 4) tinggi "Tinggi" [w / 4, 50] }
"""
    table = {"x": [10.0, 35.0, 45.0, 90.0]}
    draws = [{"w": 60.0}, {"w": 80.0}, {"w": 100.0}, {"w": 73.3}]
    assert disagreements(text, table, draws) == []


# --- 2. equal shares -------------------------------------------------------------------

THIRDS = """
ruleset t { scale 0 to 100 }
input a: percent
input b: percent
input c: percent
indicator i_a = linear a from 0 to 100 onto 0 to 100
indicator i_b = linear b from 0 to 100 onto 0 to 100
indicator i_c = linear c from 0 to 100 onto 0 to 100
group total = weighted(i_a: WA, i_b: WB, i_c: WC) max 100
"""


def _thirds(wa: str, wb: str, wc: str) -> str:
    return THIRDS.replace("WA", wa).replace("WB", wb).replace("WC", wc)


@pytest.mark.parametrize("third", ["100 / 3", "33.333333333"])
def test_three_equal_weights_are_accepted(third: str) -> None:
    ruleset = indikator.loads(_thirds(third, third, third))
    assert ruleset.evaluate({"a": 100, "b": 100, "c": 100})["total"] == 100.0
    assert ruleset.evaluate({"a": 90, "b": 60, "c": 30})["total"] == pytest.approx(60, abs=1e-9)


def test_the_tolerance_is_half_a_ninth_place_unit_per_weight() -> None:
    # 3 weights: at most 0.0000000015 off. 99.999999998 (0.000000002 off) is refused.
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads(_thirds("33.333333333", "33.333333333", "33.333333332"))
    (found,) = caught.value.diagnostics
    assert found.code == "IK404"
    message = found.message.render("en")
    assert message == (
        "the weights of 'total' add up to 99.999999998, expected 100 (off by 0.000000002)"
    )
    assert "100 / 3" in (found.hint.render("en") if found.hint else "")


def test_a_ten_place_third_is_only_too_precise_not_also_off() -> None:
    third = "33.3333333333"
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads(_thirds(third, third, third))
    assert [d.code for d in caught.value.diagnostics] == ["IK412"] * 3


# --- 3. extends: a replacement replaces something ------------------------------------

BASE = """ruleset dasar { scale 0 to 100 }
input akta: percent { missing zero }
indicator i_akta = linear akta from 0 to 100 onto 0 to 100
"""


def _extending(tmp_path: Path, text: str) -> indikator.Ruleset:
    (tmp_path / "dasar.ikr").write_text(BASE, encoding="utf-8")
    (tmp_path / "varian.ikr").write_text(text, encoding="utf-8")
    return indikator.load(tmp_path / "varian.ikr")


def _refused(tmp_path: Path, text: str) -> list[indikator.Diagnostic]:
    with pytest.raises(indikator.RulesetError) as caught:
        _extending(tmp_path, text)
    return list(caught.value.diagnostics)


def test_a_misspelt_replacement_is_ik108_with_the_name_meant(tmp_path: Path) -> None:
    text = 'ruleset v { edition 2 }\nextends "dasar.ikr"\n'
    text += "indicator i_aktaa = linear akta from 0 to 100 onto 0 to 100\n"
    (found,) = _refused(tmp_path, text)
    assert (found.code, found.span and found.span.line) == ("IK108", 3)
    assert found.hint is not None
    assert found.hint.render("en") == "did you mean 'i_akta'?"


def test_an_addition_marked_new_is_added_and_a_replacement_replaces(tmp_path: Path) -> None:
    text = 'ruleset v { edition 2 }\nextends "dasar.ikr"\n'
    text += "new param faktor = 0.5\n"
    text += "new input perda: yesno { missing zero }\n"
    text += "indicator i_akta = linear akta from 0 to 100 onto 0 to faktor * 100\n"
    text += "new indicator i_perda = if perda then 50 else 0\n"
    text += "new group total = sum(i_akta, i_perda)\n"
    ruleset = _extending(tmp_path, text)
    result = ruleset.evaluate({"akta": 80, "perda": "ya"})
    assert (result["i_akta"], result["i_perda"], result["total"]) == (40.0, 50.0, 90.0)


def test_new_on_a_name_the_base_has_is_ik108(tmp_path: Path) -> None:
    text = 'ruleset v { edition 2 }\nextends "dasar.ikr"\n'
    text += "new indicator i_akta = linear akta from 0 to 100 onto 0 to 100\n"
    (found,) = _refused(tmp_path, text)
    assert found.code == "IK108"
    assert found.message.key == "friction.new_but_inherited"
    assert [note.span.line for note in found.notes if note.span] == [3]


def test_an_addition_without_a_close_name_is_told_to_say_new(tmp_path: Path) -> None:
    text = 'ruleset v { edition 2 }\nextends "dasar.ikr"\nparam bobot_perda = 40\n'
    (found,) = _refused(tmp_path, text)
    assert found.hint is not None
    assert "`new param bobot_perda`" in found.hint.render("en")


def test_new_without_extends_changes_nothing() -> None:
    plain = "ruleset t { scale 0 to 100 }\ninput x: percent\nindicator a = x max 100\n"
    marked = plain.replace("input x", "new input x").replace("indicator a", "new indicator a")
    assert indikator.loads(marked).evaluate({"x": 7})["a"] == 7.0
    assert indikator.loads(plain).plan.maxima == indikator.loads(marked).plan.maxima


def test_the_formatter_lays_out_new_as_part_of_its_definition() -> None:
    text = 'new  input x: percent {\nunit "%"\n}\nnew   indicator a = x max 100\n'
    assert (
        format_text(text) == 'new input x: percent {\n  unit "%"\n}\nnew indicator a = x max 100\n'
    )


# --- 4. open ranges ---------------------------------------------------------------------

OPEN = """ruleset t { scale 0 to 10 }
input anggaran: number { range 0 to inf }
indicator a = bands anggaran { [0, 500) -> 0, [500, inf) -> 10 }
"""


def test_an_open_upper_end_accepts_any_size_and_refuses_below_the_floor() -> None:
    ruleset = indikator.loads(OPEN)
    assert ruleset.evaluate({"anggaran": 10**12})["a"] == 10.0
    with pytest.raises(indikator.DataError) as caught:
        ruleset.evaluate({"anggaran": -1})
    assert caught.value.problems[0].code == "IK504"
    spec = ruleset.plan.inputs[0]
    assert (spec.low, spec.high) == (0.0, None)


def test_the_checker_knows_the_floor_of_an_open_range() -> None:
    # From 0: a table starting at 0 covers every value (no IK408 for below 0).
    indikator.loads(OPEN)
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads(OPEN.replace("range 0 to inf", "range -inf to inf"))
    assert [d.code for d in caught.value.diagnostics] == ["IK408"]


@pytest.mark.parametrize("ends", ["inf to 5", "5 to -inf"])
def test_a_range_open_the_wrong_way_is_empty(ends: str) -> None:
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads(OPEN.replace("0 to inf", ends))
    assert "IK409" in [d.code for d in caught.value.diagnostics]


def test_the_formatter_keeps_an_open_range() -> None:
    assert "range 0 to inf" in format_text(OPEN)
    assert "range -inf to 10" in format_text(OPEN.replace("0 to inf", "-inf to 10"))


# --- 5. one error per cause -------------------------------------------------------------

TYPO = """ruleset t { scale 0 to 100 }
input akta: percent
input perda: yesno
indicator a = bands aktaa { [0, 50) -> 0, [50, 100] -> 50 } max 50
indicator b = if perdaa then 50 else 0
group g = sum(a, b)
tiers on g { rendah "Rendah" [0, 50) tinggi "Tinggi" [50, 100] }
"""


def _all_codes(text: str) -> list[str]:
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads(text)
    return [d.code for d in caught.value.diagnostics]


def test_an_unknown_name_is_one_error_not_three() -> None:
    # Without the rule: IK408 (the unknown subject's range), IK202 (its type in `if`) and
    # IK302 for akta and perda, each pointing the wrong way.
    assert _all_codes(TYPO) == ["IK201", "IK201"]


def test_a_problem_of_its_own_is_kept_next_to_the_unknown_name() -> None:
    # The gap [50, 60) has nothing to do with the typo: it is still reported.
    text = TYPO.replace("[50, 100] -> 50", "[60, 100] -> 50")
    assert sorted(_all_codes(text)) == ["IK201", "IK201", "IK402"]


def test_a_range_conclusion_downstream_of_an_unknown_name_is_dropped() -> None:
    # `c` reads a: a's range is a guess, so "c can score above its max" is too.
    text = TYPO + "let c = a * 3\nindicator d = c max 10\n"
    text = text.replace("group g = sum(a, b)", "group g = sum(a, b, d)")
    assert _all_codes(text) == ["IK201", "IK201"]


# --- 6. messages that point the right way ----------------------------------------------

BUDGET = """ruleset t { scale 0 to 100 }
param w_a = 60
param w_b = 40
input a: percent
input b: percent
indicator i_a = linear a from 0 to 100 onto 0 to w_a
indicator i_b = linear b from 0 to 100 onto 0 to w_b
group total = sum(i_a, i_b) max 100
"""


def _notes(error: indikator.RulesetError, code: str) -> list[str]:
    return [
        note.message.render("en") for d in error.diagnostics if d.code == code for note in d.notes
    ]


def test_ik405_after_an_override_names_the_override_and_its_file(tmp_path: Path) -> None:
    toml = tmp_path / "bobot.toml"
    toml.write_text("[params]\nw_a = 70\nw_b = 40\n", encoding="utf-8")
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads(BUDGET, params=toml)
    # w_b = 40 is what the file says anyway: only the override that changed a number.
    assert _notes(caught.value, "IK405") == [
        f"with the parameter overrides from '{toml}': w_a = 70"
    ]
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads(BUDGET).with_params({"w_a": 70})
    assert _notes(caught.value, "IK405") == ["with the parameter overrides w_a = 70"]


def test_a_mistake_in_the_file_itself_has_no_override_note() -> None:
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads(BUDGET.replace("w_a = 60", "w_a = 70"))
    assert _notes(caught.value, "IK405") == []


def test_ik502_names_the_python_keyword_in_python() -> None:
    ruleset = indikator.loads(BUDGET)
    with pytest.raises(indikator.DataError) as caught:
        ruleset.evaluate({"a": 1, "b": 2, "c": 3})
    assert "extra='ignore'" in caught.value.render("en")


def test_check_never_says_no_problems_under_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "t.ikr"
    path.write_text(BUDGET + "input unused: percent\n", encoding="utf-8")
    runner = CliRunner()
    for lang, ok in (("id", "tidak ada kesalahan, 1 peringatan"), ("en", "no errors, 1 warning")):
        result = runner.invoke(main, ["check", str(path), "--lang", lang])
        assert result.exit_code == 0
        assert ok in result.stdout
        assert "tidak ada masalah" not in result.stdout
    clean = tmp_path / "clean.ikr"
    clean.write_text(BUDGET, encoding="utf-8")
    result = runner.invoke(main, ["check", str(clean), "--lang", "id"])
    assert "tidak ada masalah" in result.stdout


# --- 7. missing values: met() agrees with all_met(); .prev follows its input's policy ----

MET = """ruleset t { scale 0 to 100 }
input perda: option("belum", "perda") { missing zero }
input akta: percent { missing exclude }
indicator i_perda = options perda { "belum" -> 0, "perda" -> 50 } met when perda == "perda"
indicator i_akta = linear akta from 0 to 100 onto 0 to 50 met when akta >= 80
group total = sum(i_perda, i_akta)
let m_perda = met(i_perda)
let m_akta = met(i_akta)
let a_perda = all_met(i_perda)
let a_akta = all_met(i_akta)
let gate = not met(i_perda)
"""


@pytest.mark.parametrize("perda", ["perda", "belum", None])
@pytest.mark.parametrize("akta", [90, 50, None])
def test_met_and_all_met_agree_on_every_missing_value(perda: str | None, akta: int | None) -> None:
    result = indikator.loads(MET).evaluate({"perda": perda, "akta": akta})
    assert result["m_perda"] == result["a_perda"]
    assert result["m_akta"] == result["a_akta"]
    assert result["m_perda"] is not None
    assert result["gate"] is not None  # not met(...) is decided too


def test_an_undecided_condition_is_not_met_and_a_left_out_indicator_takes_no_part() -> None:
    result = indikator.loads(MET).evaluate({"perda": None, "akta": None})
    assert result["i_perda.met"] is None  # the column still shows it was undecided
    assert (result["m_perda"], result["gate"]) == (0.0, 1.0)  # no, and `not` of it yes
    assert result["i_akta"] is None
    assert result["m_akta"] == 1.0  # yes


PREV = """ruleset t { scale 0 to 100 }
input s: percent { better lower missing POLICY }
indicator i = if s <= 14 or s < prev(s) then 100 else 0
"""


def test_prev_follows_the_policy_of_its_input() -> None:
    decided, undecided = {"s": 10, "s.prev": None}, {"s": 20, "s.prev": None}
    zero = indikator.loads(PREV.replace("POLICY", "zero"))
    assert (zero.evaluate(decided)["i"], zero.evaluate(undecided)["i"]) == (100.0, 0.0)
    exclude = indikator.loads(PREV.replace("POLICY", "exclude"))
    assert (exclude.evaluate(decided)["i"], exclude.evaluate(undecided)["i"]) == (100.0, None)
    refuse = indikator.loads(PREV.replace("POLICY", "error"))
    with pytest.raises(indikator.DataError) as caught:
        refuse.evaluate(decided)  # even where `or` would decide: the data is checked first
    (problem,) = caught.value.problems
    assert (problem.code, problem.field) == ("IK505", "s.prev")


# --- 1 (cont.). the header's scale as a constant ------------------------------------------

OPEN_MAX = BUDGET.replace("sum(i_a, i_b) max 100", "sum(i_a, i_b)")
SCALED = OPEN_MAX.replace("scale 0 to 100", "scale 0 to w_a + w_b")


def test_a_scale_written_as_a_constant_follows_the_overrides() -> None:
    ruleset = indikator.loads(SCALED)
    assert ruleset.header is not None
    assert ruleset.header.scale == (Decimal(0), Decimal(100))
    moved = ruleset.with_params({"w_a": 70})  # IK405 with `scale 0 to 100`
    assert moved.header is not None
    assert moved.header.scale == (Decimal(0), Decimal(110))
    assert moved.evaluate({"a": 100, "b": 100})["total"] == 110.0
    with pytest.raises(indikator.RulesetError):
        indikator.loads(OPEN_MAX).with_params({"w_a": 70})


def test_a_scale_reading_an_unknown_name_or_an_input_is_one_error() -> None:
    assert _all_codes(SCALED.replace("w_a + w_b", "w_a + w_c")) == ["IK201"]
    assert _all_codes(SCALED.replace("w_a + w_b", "w_a + a")) == ["IK202"]


def test_a_scale_written_in_an_extending_file_replaces_the_base_scale(tmp_path: Path) -> None:
    (tmp_path / "dasar.ikr").write_text(OPEN_MAX, encoding="utf-8")
    text = 'ruleset v { scale 0 to w_a + w_b }\nextends "dasar.ikr"\nparam w_a = 80\n'
    (tmp_path / "v.ikr").write_text(text, encoding="utf-8")
    ruleset = indikator.load(tmp_path / "v.ikr")
    assert ruleset.header is not None
    assert ruleset.header.scale == (Decimal(0), Decimal(120))


def test_the_formatter_keeps_a_scale_expression() -> None:
    assert "scale 0 to w_a + w_b }" in format_text(SCALED.replace("w_a + w_b", "w_a+w_b"))
