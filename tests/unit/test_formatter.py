"""`format_text` on small before/after examples, and the `indikator fmt` command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from indikator.cli import main
from indikator.errors import RulesetSyntaxError
from indikator.formatter import format_file, format_text

TOUR = Path(__file__).parents[1] / "fixtures" / "tour.ikr"


def fmt(text: str) -> str:
    return format_text(text.replace("|", "\n"))


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


# --- spacing -----------------------------------------------------------------------------


def test_spaces_around_operators_and_after_commas() -> None:
    assert fmt("let a=b+c*2-d/e") == lines("let a = b + c * 2 - d / e")
    assert fmt("let a=min(b,c ,d)") == lines("let a = min(b, c, d)")
    assert fmt("let ok=x>=80and not(y<10)") == lines("let ok = x >= 80 and not (y < 10)")


def test_no_space_inside_brackets_before_colons_or_in_calls() -> None:
    assert fmt('input p : option ( "a" , "b" , )') == lines('input p: option("a", "b",)')
    assert fmt("group g=weighted ( a : 40 , b:60 ) max 100") == lines(
        "group g = weighted(a: 40, b: 60) max 100"
    )
    assert fmt("let c = count ( x ) * ( y + 1 )") == lines("let c = count(x) * (y + 1)")


def test_signs_and_unary_minus_stay_on_their_number() -> None:
    assert fmt("param x = - 5") == lines("param x = -5")
    assert fmt("let y = a - - b") == lines("let y = a - -b")
    assert fmt("param t = 80%") == lines("param t = 80 %")


# --- lines and indentation -------------------------------------------------------------------


def test_one_definition_per_line() -> None:
    assert fmt("param a = 1 param b = 2  input x: percent") == lines(
        "param a = 1", "param b = 2", "input x: percent"
    )


def test_band_rows_one_per_line_aligned_on_the_arrow() -> None:
    assert fmt("indicator s = bands x { [0,50)->0 [50 , 80) -> 5,[80,100]->10 }") == lines(
        "indicator s = bands x {",
        "  [0, 50)   -> 0",
        "  [50, 80)  -> 5,",
        "  [80, 100] -> 10",
        "}",
    )


def test_option_rows_are_aligned_and_a_broken_row_is_joined() -> None:
    text = 'indicator s = options p {|"none"|->|0|"perda" -> 10}|agency "X"'
    assert fmt(text) == lines(
        "indicator s = options p {",
        '  "none"  -> 0',
        '  "perda" -> 10',
        "}",
        '  agency "X"',
    )


def test_tiers_are_aligned_in_columns() -> None:
    text = 'tiers on t { below "B" a "A" [0, 5) b "Bb" [5, 10] requires x "ok" }'
    assert fmt(text) == lines(
        "tiers on t {",
        '  below "B"',
        '  a "A"  [0, 5)',
        '  b "Bb" [5, 10] requires x "ok"',
        "}",
    )


def test_continuation_lines_are_indented() -> None:
    text = 'indicator i =|count(c) * 5|max 15|agency "A"'
    assert fmt(text) == lines("indicator i =", "  count(c) * 5", "  max 15", '  agency "A"')


def test_an_argument_list_over_lines_is_indented_by_its_bracket() -> None:
    text = 'input c: checklist(|"a", "b",|"c"|) {|missing zero|}'
    assert fmt(text) == lines(
        "input c: checklist(", '  "a", "b",', '  "c"', ") {", "  missing zero", "}"
    )


def test_blocks_keep_the_authors_choice_of_one_line_or_several() -> None:
    assert fmt("input x: percent {missing zero better lower}") == lines(
        "input x: percent { missing zero better lower }"
    )
    assert fmt("input x: percent {missing zero|better lower}") == lines(
        "input x: percent {", "  missing zero", "  better lower", "}"
    )
    assert fmt("input x: percent {}") == lines("input x: percent { }")


def test_a_header_over_several_lines_gets_one_field_per_line() -> None:
    assert fmt("ruleset r { scale 0 to 10 }") == lines("ruleset r { scale 0 to 10 }")
    assert fmt('ruleset r {|title "T" edition 2025|scale 0 to 10 }') == lines(
        "ruleset r {", '  title "T"', "  edition 2025", "  scale 0 to 10", "}"
    )


def test_blank_lines_are_kept_collapsed_and_never_just_inside_braces() -> None:
    text = "param a = 1||||param b = 2|input x: percent {||missing zero||}"
    assert fmt(text) == lines(
        "param a = 1", "", "param b = 2", "input x: percent {", "  missing zero", "}"
    )


def test_crlf_tabs_trailing_space_bom_and_the_final_newline() -> None:
    text = "\ufeffparam a =\t1   \r\n\r\n\r\n\tparam b = 2\t"
    assert format_text(text) == lines("param a = 1", "", "param b = 2")
    assert format_text("") == ""
    assert format_text("\n\n  \n") == ""


def test_strings_are_left_as_they_are() -> None:
    assert fmt('param a = 1 "x\t # not a comment  "') == lines(
        'param a = 1 "x\t # not a comment  "'
    )


# --- comments ----------------------------------------------------------------------------


def test_own_line_comments_stay_and_follow_the_indentation_of_the_next_line() -> None:
    text = "# source: Perpres 25/2021|input x: percent {|      # why|missing zero|   # last|}"
    assert fmt(text) == lines(
        "# source: Perpres 25/2021",
        "input x: percent {",
        "  # why",
        "  missing zero",
        "  # last",
        "}",
    )


def test_end_of_line_comments_stay_and_consecutive_ones_are_aligned() -> None:
    text = "param a = 1 # one|param bbb = 22    # two||param c = 3 #three   "
    assert fmt(text) == lines(
        "param a = 1     # one", "param bbb = 22  # two", "", "param c = 3  #three"
    )


def test_a_comment_after_an_opening_brace_or_inside_a_row_is_kept() -> None:
    text = "indicator s = bands x { # table|[0, 50) # low|-> 0|[50, 100] -> 1 }"
    assert fmt(text) == lines(
        "indicator s = bands x {  # table",
        "  [0, 50)                # low",
        "    -> 0",
        "  [50, 100] -> 1",
        "}",
    )


def test_comments_at_the_end_of_the_file() -> None:
    assert fmt("param a = 1|   # end|") == lines("param a = 1", "# end")
    assert fmt("# only a comment") == lines("# only a comment")


# --- laws and errors -----------------------------------------------------------------------


def test_idempotent_on_the_tour() -> None:
    once = format_text(TOUR.read_text(encoding="utf-8"))
    assert format_text(once) == once


def test_a_syntax_error_is_reported_with_its_place() -> None:
    with pytest.raises(RulesetSyntaxError) as caught:
        format_text("param a = 1\nparam b =\n", "r.ikr")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "IK003"
    assert diagnostic.span is not None
    assert diagnostic.span.file == "r.ikr"


def test_two_headers_are_an_error_as_in_parse() -> None:
    with pytest.raises(RulesetSyntaxError) as caught:
        format_text("ruleset a { }\nruleset b { }")
    assert [d.code for d in caught.value.diagnostics] == ["IK102"]


def test_too_deep_nesting_is_a_located_ik005() -> None:
    with pytest.raises(RulesetSyntaxError) as caught:
        format_text("let x = " + " + ".join(["a"] * 5000), "r.ikr")
    assert [(d.code, str(d.span)) for d in caught.value.diagnostics] == [("IK005", "r.ikr:1:9")]


def test_format_file_writes_only_when_asked_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "r.ikr"
    path.write_bytes(b"param a=1\r\n")
    path.chmod(0o640)
    assert format_file(path) == ("param a = 1\n", True)
    assert path.read_bytes() == b"param a=1\r\n"
    assert format_file(path, write=True) == ("param a = 1\n", True)
    assert path.read_bytes() == b"param a = 1\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert format_file(path) == ("param a = 1\n", False)
    assert [p.name for p in tmp_path.iterdir()] == ["r.ikr"]


# --- the command -----------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    good = tmp_path / "good.ikr"
    good.write_text("param a = 1\n", encoding="utf-8")
    messy = tmp_path / "messy.ikr"
    messy.write_text("param  b=2   # two\n", encoding="utf-8")
    broken = tmp_path / "broken.ikr"
    broken.write_text("param c = \n", encoding="utf-8")
    return {"good": good, "messy": messy, "broken": broken}


def test_fmt_prints_the_formatted_text(files: dict[str, Path]) -> None:
    result = CliRunner().invoke(main, ["fmt", str(files["messy"])])
    assert result.exit_code == 0
    assert result.output == "param b = 2  # two\n"
    assert files["messy"].read_text(encoding="utf-8") == "param  b=2   # two\n"


def test_fmt_check_lists_what_would_change(files: dict[str, Path]) -> None:
    result = CliRunner().invoke(main, ["fmt", "--check", str(files["good"]), str(files["messy"])])
    assert result.exit_code == 1
    assert result.output == f"{files['messy']}\n"
    assert CliRunner().invoke(main, ["fmt", "--check", str(files["good"])]).exit_code == 0


def test_fmt_write_rewrites_in_place(files: dict[str, Path]) -> None:
    result = CliRunner().invoke(main, ["fmt", "--write", str(files["messy"])])
    assert result.exit_code == 0
    assert files["messy"].read_text(encoding="utf-8") == "param b = 2  # two\n"
    assert CliRunner().invoke(main, ["fmt", "--check", str(files["messy"])]).exit_code == 0


def test_fmt_reports_a_syntax_error_and_leaves_the_file(files: dict[str, Path]) -> None:
    result = CliRunner().invoke(main, ["fmt", "--write", str(files["broken"])])
    assert result.exit_code == 1
    assert "error[IK003]" in result.output
    assert f"{files['broken']}:1:" in result.output
    assert files["broken"].read_text(encoding="utf-8") == "param c = \n"


def test_fmt_check_walks_folders(files: dict[str, Path], tmp_path: Path) -> None:
    files["broken"].unlink()
    result = CliRunner().invoke(main, ["fmt", "--check", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == f"{files['messy']}\n"


@pytest.mark.parametrize(
    "arguments",
    [["--check", "--write", "x.ikr"], ["a.ikr", "b.ikr"], []],
    ids=["check-and-write", "print-two-files", "no-file"],
)
def test_fmt_usage_errors(arguments: list[str]) -> None:
    assert CliRunner().invoke(main, ["fmt", *arguments]).exit_code == 2
