"""Unit tests per pipeline stage: syntax, link (import/extends), graph, check, cli."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import indikator
from indikator import nodes as n
from indikator import syntax
from indikator.cli import main
from indikator.resources import parser_cache
from indikator.syntax import parse

FIXTURES = Path(__file__).parents[1] / "fixtures"
ROOT = Path(__file__).parents[2]
SRC = ROOT / "src" / "indikator"


# -- syntax ---------------------------------------------------------------------------


def test_parse_keeps_exact_numbers_and_spans() -> None:
    module = parse('param w "Bobot" en "Weight" = 40.05 % "assumed"\n', "a.ikr")
    (param,) = module.definitions
    assert isinstance(param, n.Param)
    assert param.value == Decimal("40.05")
    assert param.percent
    assert param.label == n.Label(id="Bobot", en="Weight")
    assert param.note == "assumed"
    assert (param.span.line, param.span.column) == (1, 1)


def test_parse_tour_covers_every_definition_kind() -> None:
    module = parse((FIXTURES / "tour.ikr").read_text(encoding="utf-8"), "tour.ikr")
    kinds = {type(d).__name__ for d in module.definitions}
    assert kinds == {"Param", "Input", "Indicator", "Let", "Group", "Rank"}
    assert module.tiers is not None
    assert [t.name for t in module.tiers.tiers] == ["pratama", "kla"]


def test_operator_precedence() -> None:
    (let,) = parse("let x = 1 + 2 * 3 >= 7 and not no", "p.ikr").definitions
    assert isinstance(let, n.Let)
    expr = let.expr
    assert isinstance(expr, n.And)
    assert isinstance(expr.left, n.Compare)
    assert isinstance(expr.left.left, n.Arith)
    assert expr.left.left.op == "+"
    assert isinstance(expr.left.left.right, n.Arith)
    assert expr.left.left.right.op == "*"


def test_bom_and_crlf_are_accepted() -> None:
    text = "\ufeffruleset t { scale 0 to 10 }\r\ninput x: percent\r\n"
    text += "indicator s = linear x from 0 to 100 onto 0 to 10\r\n"
    assert indikator.loads(text).evaluate({"x": 50}).total == 5.0


def test_comparisons_do_not_chain() -> None:
    with pytest.raises(indikator.RulesetSyntaxError) as caught:
        parse("let x = 1 < 2 < 3", "c.ikr")
    assert caught.value.diagnostics[0].code == "IK001"


# -- link -----------------------------------------------------------------------------


def test_extends_overrides_by_name_and_import_brings_catalogue(tmp_path: Path) -> None:
    (tmp_path / "catalogue.ikr").write_text(
        "input akta: percent { missing zero }\n", encoding="utf-8"
    )
    (tmp_path / "2024.ikr").write_text(
        'ruleset kla { title "KLA" edition 2024 scale 0 to 10 }\n'
        'import "catalogue.ikr"\n'
        "param edge = 80\n"
        "indicator s = bands akta { [0, edge) -> 0  [edge, 100] -> 10 }\n",
        encoding="utf-8",
    )
    (tmp_path / "2025.ikr").write_text(
        'ruleset kla { edition 2025 }\nextends "2024.ikr"\nparam edge = 70\n', encoding="utf-8"
    )
    old = indikator.load(tmp_path / "2024.ikr")
    new = indikator.load(tmp_path / "2025.ikr")
    assert new.edition == 2025
    assert new.header is not None
    assert new.header.title == n.Label(id="KLA")  # inherited from the base
    assert old.evaluate({"akta": 75}).total == 0.0
    assert new.evaluate({"akta": 75}).total == 10.0  # only the edge changed


# -- graph ----------------------------------------------------------------------------


def test_graph_has_an_edge_per_dependency() -> None:
    graph = indikator.load(FIXTURES / "tour.ikr").graph
    assert graph.has_edge("akta", "i_akta")
    assert graph.has_edge("i_akta", "k1")
    assert graph.has_edge("k1", "total")
    assert graph.nodes["k1"]["kind"] == "group"
    assert graph.nodes["akta"]["label"] == "Akta kelahiran"


def test_cycle_is_reported_with_its_path() -> None:
    with pytest.raises(indikator.RulesetCheckError, match=r"loop: a -> b -> a"):
        indikator.loads("ruleset c { scale 0 to 1 }\nlet a = b + 1\nlet b = a + 1\n")


# -- check ----------------------------------------------------------------------------


def test_all_problems_are_reported_at_once() -> None:
    text = (
        "ruleset t { scale 0 to 10 }\n"
        "input x: percent\n"
        "indicator s = bands x { [0, 40) -> 0  [50, 100] -> 10 }\n"
        "let y = z + 1\n"
        'input o: option("a", "a")\n'
    )
    with pytest.raises(indikator.RulesetCheckError) as caught:
        indikator.loads(text)
    codes = sorted(d.code for d in caught.value.diagnostics)
    assert codes == ["IK106", "IK201", "IK302", "IK402"]


def test_rounding_makes_a_tier_gap_unreachable() -> None:
    # With scores rounded to whole numbers, nothing lies strictly between 600 and 601.
    text = (
        "ruleset t { scale 0 to 1000 }\n"
        "input x: number { range 0 to 1000 }\n"
        "indicator total = x max 1000 round half_up 0\n"
        'tiers on total { p "Pratama" [500, 600]  m "Madya" [601, 1000] }\n'
    )
    ruleset = indikator.loads(text)
    assert ruleset.evaluate({"x": 600.4}).tier() == "Pratama"
    assert ruleset.evaluate({"x": 600.5}).tier() == "Madya"


def test_max_is_inferred_from_the_scoring() -> None:
    text = (
        "ruleset t { scale 0 to 50 }\n"
        'input o: option("a", "b")\n'
        'indicator s = options o { "a" -> 20, "b" -> 50 }\n'
    )
    assert indikator.loads(text).maximum("s") == 50.0


# -- cli ------------------------------------------------------------------------------


def test_cli_check_ok_and_error_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["check", str(FIXTURES / "tour.ikr")])
    assert ok.exit_code == 0
    assert "ok" in ok.output
    bad = tmp_path / "bad.ikr"
    bad.write_text("ruleset b { scale 0 to 1 }\nlet x = y\n", encoding="utf-8")
    failed = runner.invoke(main, ["check", str(bad)])
    assert failed.exit_code == 1
    assert "error[IK201]: unknown name 'y'" in failed.output
    usage = runner.invoke(main, ["check"])
    assert usage.exit_code == 2


def test_cli_check_json() -> None:
    result = CliRunner().invoke(
        main,
        [
            "check",
            "--format",
            "json",
            str(Path(__file__).parents[1] / "golden/errors/IK302_unused_input.ikr"),
        ],
    )
    assert '"code": "IK302"' in result.output


def test_cli_evaluate_prints_tiers_and_writes_csv(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        main, ["evaluate", str(FIXTURES / "tour.ikr"), str(FIXTURES / "tour.csv"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "3202    Kab B  30     Belum" in result.output  # whole numbers print as such
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("region,name,")


# -- architecture -----------------------------------------------------------------------

# Lower stages never import higher ones (module → modules it may import from indikator).
ALLOWED = {
    "_texts": set(),
    "messages": {"_texts"},
    "errors": {"messages"},
    "resources": set(),
    "nodes": {"errors"},
    "syntax": {"errors", "messages", "nodes", "resources"},
    "link": {"errors", "messages", "nodes", "syntax"},
    "bounds": {"messages"},
    "graph": {"errors", "messages", "nodes"},
    "valuetypes": {"messages"},
    "functions": {"bounds", "check", "errors", "messages", "nodes", "operations", "valuetypes"},
    "check": {
        "bounds",
        "errors",
        "functions",
        "graph",
        "link",
        "messages",
        "nodes",
        "numeric",  # the limits of the numbers the evaluator holds exactly
        "provenance",  # cited, assumed or structural: a pass of its own
        "valuetypes",
    },
    # graph: the parameters a definition reads vouch for its numbers too
    "provenance": {"errors", "graph", "link", "messages", "nodes"},
    "numeric": set(),
    "operations": set(),  # the meaning of every operation and function: depends on nothing
    "scalar": {"cells", "data", "evaluate", "numeric", "operations", "plan"},
}


@pytest.mark.parametrize("module", sorted(ALLOWED))
def test_import_edges(module: str) -> None:
    tree = ast.parse((SRC / f"{module}.py").read_text(encoding="utf-8"))
    imported = {
        node.module.split(".")[1]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("indikator.")
    }
    imported |= {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "indikator"
        for alias in node.names
    }
    assert imported <= ALLOWED[module]


def test_lark_is_imported_only_by_syntax() -> None:
    users = [p.stem for p in SRC.glob("*.py") if "import lark" in p.read_text(encoding="utf-8")]
    assert users == ["syntax"]


def test_public_api() -> None:
    assert set(indikator.__all__) <= set(dir(indikator))
    assert "load_ruleset" in indikator.__all__


# -- the parser's cache ------------------------------------------------------------------


def test_parser_tables_are_cached_in_a_private_user_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("INDIKATOR_CACHE", raising=False)
    path = parser_cache("probe")
    assert isinstance(path, str)
    folder = tmp_path / "indikator"
    assert Path(path).parent == folder
    assert folder.stat().st_mode & 0o077 == 0  # a pickle: nobody else may write it


@pytest.mark.parametrize("setting", ["off", "0"])
def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, setting: str) -> None:
    monkeypatch.setenv("INDIKATOR_CACHE", setting)
    assert parser_cache("probe") is False


def test_an_unusable_cache_folder_means_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.delenv("INDIKATOR_CACHE", raising=False)
    assert parser_cache("probe") is False


def test_a_parser_loaded_from_the_cache_parses_as_a_fresh_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("INDIKATOR_CACHE", raising=False)
    text = (ROOT / "rulesets" / "kla" / "2025.ikr").read_text(encoding="utf-8")
    try:
        syntax._parser.cache_clear()  # noqa: SLF001  # build anew, writing the cache
        fresh = syntax.parse(text, "kla.ikr")
        assert list((tmp_path / "indikator").glob("parser-*"))
        syntax._parser.cache_clear()  # noqa: SLF001  # now read back from the cache
        cached = syntax.parse(text, "kla.ikr")
    finally:
        syntax._parser.cache_clear()  # noqa: SLF001
    assert cached == fresh
