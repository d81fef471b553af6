"""Regression tests for bugs found in review (each would fail on the code before its fix)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import indikator
from indikator.cli import main
from indikator.tables import read_csv


def test_loads_resolves_imports_against_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "k"
    folder.mkdir()
    (folder / "katalog.ikr").write_text("input a: percent { missing zero }\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    text = 'ruleset x { scale 0 to 100 }\nimport "katalog.ikr"\nindicator s = a\n'
    assert indikator.loads(text, root=folder).evaluate({"a": 40}).total == 40.0


@pytest.mark.parametrize(
    ("mode", "maximum"), [("half_up", 41.0), ("ceiling", 41.0), ("floor", 40.0)]
)
def test_rounding_mode_shapes_the_inferred_maximum(mode: str, maximum: float) -> None:
    # 40.5 rounds half-up (and up) to 41, floors to 40.
    text = (
        "ruleset r { }\ninput a: number { range 0 to 40.5 missing zero }\n"
        f"indicator s = a round {mode} 0\n"
    )
    ruleset = indikator.loads(text)
    assert ruleset.maximum("s") == maximum
    assert ruleset.evaluate({"a": 40.5}).total == maximum


def test_explicit_max_on_an_unbounded_formula_is_refused() -> None:
    text = "ruleset r { }\ninput a: number { missing zero }\nindicator s = a / 10 max 30\n"
    with pytest.raises(
        indikator.RulesetCheckError, match="'s' has no upper bound, above its max 30"
    ):
        indikator.loads(text)


def test_one_column_csv(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("x\n1\n", encoding="utf-8")
    assert read_csv(path)["x"].tolist() == ["1"]


def test_prev_of_an_option_input() -> None:
    text = (
        "ruleset p { }\n"
        'input perda: option("belum", "perda") { missing zero }\n'
        'indicator naik = if perda == "perda" and prev(perda) == "belum" then 10 else 0\n'
        'indicator lalu = options prev(perda) { "belum" -> 0, "perda" -> 5 }\n'
    )
    result = indikator.loads(text).evaluate({"perda": "perda", "perda.prev": "belum"})
    assert result["naik"] == 10.0
    assert result["lalu"] == 0.0


def test_rollup_by_column_counts_as_used() -> None:
    text = (
        "ruleset r { scale 0 to 100 }\ninput provinsi: text\ninput a: percent { missing zero }\n"
        "indicator total = a\nrollup p by provinsi { n = count() }\n"
    )
    assert indikator.loads(text).warnings == ()


def test_missing_tie_break_values_share_a_rank() -> None:
    text = (
        "ruleset r { scale 0 to 100 }\ninput a: percent { missing zero }\n"
        "input b: percent { missing exclude }\nindicator total = a\nindicator ib = b\n"
        "rank r = total desc ties ib desc\n"
    )
    results = indikator.loads(text).evaluate_many({"a": [50.0, 50.0, 40.0], "b": [None, None, 1.0]})
    assert results["r"].tolist() == [1.0, 1.0, 3.0]


def test_missing_prev_follows_the_policy() -> None:
    error = "ruleset r { }\ninput a: percent\nindicator s = if a > prev(a) then 10 else 0\n"
    with pytest.raises(indikator.DataError, match=r"'a\.prev' is missing"):
        indikator.loads(error).evaluate_many({"a": [50.0], "a.prev": [None]})
    exclude = error.replace("percent", "percent { missing exclude }")
    excluded = indikator.loads(exclude).evaluate_many({"a": [50.0], "a.prev": [None]})
    assert excluded.region(0)["s"] is None


def test_repr_without_tiers() -> None:
    result = indikator.loads(
        "ruleset r { }\ninput a: percent { missing zero }\nindicator s = a\n"
    ).evaluate({"a": 3})
    assert repr(result) == "<Result row 1: total=3.0>"


def test_local_definition_may_not_shadow_an_import(tmp_path: Path) -> None:
    (tmp_path / "katalog.ikr").write_text("input a: percent\n", encoding="utf-8")
    (tmp_path / "main.ikr").write_text(
        'ruleset m { }\nimport "katalog.ikr"\ninput a: count\nindicator s = a max 10\n',
        encoding="utf-8",
    )
    with pytest.raises(indikator.RulesetCheckError, match="'a' is defined twice"):
        indikator.load(tmp_path / "main.ikr")


def test_region_name_column_is_reported_without_an_input() -> None:
    text = (
        "ruleset r { scale 0 to 100 region kode name nama }\n"
        "input a: percent { missing zero }\nindicator s = a\n"
    )
    columns = (
        indikator.loads(text)
        .evaluate_many({"kode": ["3201"], "nama": ["Kab. Bogor"], "a": [5.0]})
        .columns()
    )
    assert columns["region"] == ["3201"]
    assert columns["name"] == ["Kab. Bogor"]


def test_decimal_comma_gets_a_hint() -> None:
    with pytest.raises(indikator.RulesetSyntaxError) as caught:
        indikator.loads("ruleset r { }\nparam w = 92,4\n")
    assert str(caught.value.diagnostics[0].hint) == "decimals use a point: 92.4, not 92,4"


def test_tiers_listed_from_the_top_are_out_of_order() -> None:
    text = (
        "ruleset r { scale 0 to 100 }\ninput a: percent { missing zero }\nindicator t = a\n"
        'tiers on t { wistara "Wistara" [91, 100]  padapa "Padapa" [71, 91) }\n'
    )
    with pytest.raises(indikator.RulesetCheckError) as caught:
        indikator.loads(text)
    assert [d.code for d in caught.value.diagnostics] == ["IK406"]


def test_a_broken_member_causes_no_follow_on_errors() -> None:
    text = (
        "ruleset r { scale 0 to 10 }\ninput a: percent { missing zero }\nlet half = a / 2\n"
        "indicator s = a / 10\ngroup total = sum(s, half)\n"
    )
    with pytest.raises(indikator.RulesetCheckError) as caught:
        indikator.loads(text)
    assert [d.code for d in caught.value.diagnostics] == ["IK206"]


RANKED = (
    "ruleset r { scale 0 to 100 region kode }\ninput kode: text\n"
    "input provinsi: text { missing POLICY }\ninput nilai: percent { missing zero }\n"
    "indicator total = nilai\nrank peringkat = total desc within provinsi\n"
)


def test_empty_text_cells_follow_the_missing_policy() -> None:
    table = {"kode": ["1", "2", "3"], "provinsi": ["A", "", None], "nilai": [50.0, 60.0, 70.0]}
    with pytest.raises(indikator.DataError, match="'provinsi' is missing for 2 region"):
        indikator.loads(RANKED.replace("POLICY", "error")).evaluate_many(table)
    ranked = indikator.loads(RANKED.replace("POLICY", "exclude")).evaluate_many(table)
    # Regions without a province are not ranked against each other.
    assert [r["peringkat"] for r in ranked.to_rows()] == [1.0, None, None]


def test_one_long_cell_does_not_pad_every_cell() -> None:
    import tracemalloc  # noqa: PLC0415

    import numpy as np  # noqa: PLC0415  # only this test builds arrays by hand

    text = (
        "ruleset t { scale 0 to 10 }\ninput ok: yesno { missing zero }\n"
        "indicator i = if ok then 10 else 0\n"
    )
    ruleset = indikator.loads(text)
    column = np.array(["ya"] * 20000, dtype=object)
    column[0] = "x" * 5000
    tracemalloc.start()
    with pytest.raises(indikator.DataError, match="not yes or no"):
        ruleset.evaluate_many({"ok": column})
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 50_000_000  # fixed-width text would need 20000 * 5000 * 4 bytes = 400 MB


def test_a_cell_of_spaces_is_empty_in_any_array_type() -> None:
    import numpy as np  # noqa: PLC0415

    text = "ruleset t { scale 0 to 100 }\ninput x: percent { missing zero }\nindicator i = x\n"
    ruleset = indikator.loads(text)
    as_text = ruleset.evaluate_many({"x": np.array(["50", " "])})["i"].tolist()
    as_objects = ruleset.evaluate_many({"x": np.array(["50", " "], dtype=object)})["i"].tolist()
    assert as_text == as_objects == [50.0, 0.0]


def test_met_when_may_read_its_own_points() -> None:
    text = (
        "ruleset m { scale 0 to 10 }\ninput a: percent { missing zero }\n"
        "indicator s = linear a from 0 to 100 onto 0 to 10 met when percent(s) >= 80 %\n"
        'tiers on s { top "Top" [0, 10] requires all_met(s) }\n'
    )
    ruleset = indikator.loads(text)
    assert ruleset.evaluate({"a": 85}).tier_name == "top"  # 8.5 of 10 is 85 %
    assert ruleset.evaluate({"a": 75}).tier_code == 0  # 75 %: not met, capped below


def test_empty_checklist_item_counts_as_not_met_under_missing_zero() -> None:
    text = (
        "ruleset c { }\n"
        'input z: checklist("a", "b", "c") { missing zero }\n'
        'input e: checklist("a", "b", "c") { missing exclude }\n'
        "indicator iz = count(z) * 5\nindicator ie = count(e) * 5\n"
    )
    row = {"z.a": "ya", "z.b": "", "z.c": "ya", "e.a": "ya", "e.b": "", "e.c": "ya"}
    result = indikator.loads(text).evaluate(row)
    assert result["iz"] == 10.0  # two items in place, the empty one is not
    assert result["ie"] is None  # exclude: the whole checklist is missing


def test_all_met_leaves_out_excluded_indicators() -> None:
    text = (
        "ruleset g { scale 0 to 20 }\ninput a: percent { missing zero }\n"
        "input b: percent { missing exclude }\n"
        "indicator ia = bands a { [0, 50) -> 0  [50, 100] -> 10 }\n"
        "indicator ib = bands b { [0, 50) -> 0  [50, 100] -> 10 }\n"
        "group total = sum(ia, ib)\n"
        'tiers on total { baik "Baik" [0, 20] requires all_met(total) }\n'
    )
    ruleset = indikator.loads(text)
    # b missing: ib is excluded, total renormalised 10 / 10 * 20 = 20; ia met -> the gate holds
    assert ruleset.evaluate({"a": 60, "b": None}).tier_name == "baik"
    # b present and low: ib = 0 is not met -> capped below the only tier
    assert ruleset.evaluate({"a": 60, "b": 10}).tier_code == 0


@pytest.mark.parametrize("interval", ["(1, 1)", "[1, 1)", "(1, 1]"])
def test_an_empty_tier_is_refused(interval: str) -> None:
    text = (
        "ruleset t { scale 0 to 2 }\ninput x: number { range 0 to 2 }\n"
        "indicator i = linear x from 0 to 2 onto 0 to 2\ngroup total = sum(i)\n"
        f'tiers on total {{ t0 "T0" [0, 1) t1 "T1" {interval} t2 "T2" [1, 2] }}\n'
    )
    with pytest.raises(indikator.RulesetCheckError, match="tier 't1' holds no value"):
        indikator.loads(text)


@pytest.mark.parametrize("target", ["\\u0000.ikr", "a\x00b.ikr", "x" * 5000 + ".ikr"])
def test_an_import_the_file_system_cannot_name_is_not_found(target: str) -> None:
    # Found by fuzzing from the grammar: a NUL byte made the path lookup raise ValueError.
    text = f'ruleset t {{ scale 0 to 1 }}\nimport "{target}"\n'
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads(text, root=".")
    (problem,) = caught.value.diagnostics
    assert problem.code == "IK103"
    assert problem.span is not None
    assert (problem.span.line, problem.span.column) == (2, 1)


@pytest.mark.parametrize("odd", ["\x0c", "\u2028", "\x85"])
def test_the_excerpt_shows_the_line_the_parser_counted(odd: str) -> None:
    # str.splitlines() also breaks at form feeds and U+2028; the parser does not.
    text = f"# a{odd} comment\nruleset t {{ scale 0 to 10 }}\nlet y = zz + 1\n"
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads(text)
    rendered = str(caught.value)
    assert "3:9" in rendered
    assert "    3 | let y = zz + 1" in rendered


def test_a_long_chain_of_lets_compiles() -> None:
    # 1,000 lets in a chain once hit Python's recursion limit while planning.
    lets = "".join(f"let a{i} = a{i - 1} + 1\n" for i in range(1, 1000))
    text = f"ruleset t {{ }}\ninput x: percent {{ missing zero }}\nlet a0 = x\n{lets}"
    text += "indicator s = a999 max 2000\n"
    assert indikator.loads(text).evaluate({"x": 1}).total == 1000.0


def test_the_region_ids_show_themselves() -> None:
    # The API page calls `Results.regions` "the region ids"; it printed as an object address.
    rs = indikator.loads("ruleset r { region kode }\ninput kode: text\ninput x: number\n"
                         "indicator s = linear x from 0 to 10 onto 0 to 10\n")  # fmt: skip
    ids = [str(9900 + k) for k in range(7)]
    results = rs.evaluate_many({"kode": ids, "x": [1.0] * 7})
    assert repr(results.regions) == (
        "Regions(['9900', '9901', '9902', '9903', '9904', ...], 7 regions)"
    )
    unnamed = indikator.loads("ruleset r { }\ninput x: number\n"
                              "indicator s = linear x from 0 to 10 onto 0 to 10\n")  # fmt: skip
    assert repr(unnamed.evaluate_many({"x": [1.0, 2.0]}).regions) == (
        "Regions(['row 1', 'row 2'], 2 regions)"
    )


def test_a_score_just_under_a_tier_edge_is_not_shown_on_it(tmp_path: Path) -> None:
    # 600.996 sits under KLA-like Madya's 601: shown "601,00" beside Pratama, an official
    # would read a wrong tier. The table shows as many decimals as keep it under the edge.
    ruleset = tmp_path / "edge.ikr"
    ruleset.write_text(
        "ruleset e { scale 0 to 1000 region kode }\ninput kode: text\n"
        "input x: number { range 0 to 1000 missing zero }\n"
        "indicator s = linear x from 0 to 1000 onto 0 to 1000\n"
        'tiers on s {\n  below "Belum"\n  pratama "Pratama" [500, 601)\n'
        '  madya "Madya" [601, 1000]\n}\n',
        encoding="utf-8",
    )
    data = tmp_path / "edge.csv"
    data.write_text("kode,x\n1,600.996\n2,600.994\n3,601\n4,600.9999999994\n", encoding="utf-8")
    shown = CliRunner().invoke(main, ["evaluate", str(ruleset), str(data)]).output
    rows = {line.split()[0]: line.split()[1:] for line in shown.splitlines()[2:]}
    assert rows == {
        "1": ["600,996", "Pratama"],
        "2": ["600,99", "Pratama"],  # rounding stays under 601: two places
        "3": ["601,00", "Madya"],
        "4": ["600,999999999", "Pratama"],
    }
