"""Unit tests per pipeline stage: syntax, link (import/extends), graph, check, cli."""

from __future__ import annotations

import ast
import re
from decimal import Decimal
from pathlib import Path

import lark
import pytest
from click.testing import CliRunner

import indikator
from indikator import _lalr_tables, diagram, errors, syntax
from indikator import nodes as n
from indikator.cli import main
from indikator.messages import closest
from indikator.resources import grammar_text, parser_cache
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


def test_the_grammar_passes_lark_strict_mode() -> None:
    # strict: no shift/reduce conflict (lark would silently shift) and, through
    # interegular, no two terminals whose regular expressions can match the same text.
    lark.Lark(grammar_text(), parser="lalr", keep_all_tokens=True, strict=True)


@pytest.mark.parametrize(
    ("text", "parses"),
    [
        ('indicator a = 1 source "s"\nsource s "S" { }', False),  # the clause, then a NAME
        ('indicator a = 1\nparam p = 1\nsource s "S" { }', True),
        ('source s "S" { }\nlet b = 1 source "s"\nlet c = 2', True),
    ],
)
def test_a_source_right_after_a_definition_is_its_clause(text: str, parses: bool) -> None:  # noqa: FBT001
    # What lark's shift resolved before the grammar spelt it out (grammars/indikator.lark).
    if parses:
        parse(text, "s.ikr")
    else:
        with pytest.raises(indikator.RulesetSyntaxError):
            parse(text, "s.ikr")


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
    assert "3202     Kab B  30     Belum" in result.output  # whole numbers print as such
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("region,name,")


# -- architecture -----------------------------------------------------------------------

# Every module of the package, in pipeline order, with the indikator modules it may import
# at run time (at the top or inside a function); a subpackage's modules by dotted name
# (`check.facts`), its `__init__` by the subpackage's (`check`). Read top to bottom, this is
# the pipeline:
# text → nodes → linked definitions → analysis → plan → columns → values → views → commands.
# A module imports only modules listed above it: the run-time import graph has no loop.
ALLOWED: dict[str, set[str]] = {
    # The foundation: texts, errors, resources and exact numbers; no pipeline stage.
    "_texts": set(),
    "messages": {"_texts"},
    "errors": {"messages"},
    "resources": set(),
    "decimals": set(),  # the language's decimals without numpy: what loading needs
    "numeric": {"decimals"},
    "display": set(),  # numbers (Babel), text tables and 'row N', for every text shown
    # Front end: text → syntax tree → one flat set of definitions.
    "nodes": {"errors"},
    "_lalr_tables": set(),  # generated: the grammar's LALR tables (`nox -s grammar`)
    "syntax": {"_lalr_tables", "errors", "messages", "nodes", "resources"},
    "link": {"errors", "messages", "nodes", "syntax"},
    "formatter": {"errors", "link", "syntax"},
    # Checker: definitions → `Analysis` (types, units, exact ranges, provenance, order).
    "graph": {"errors", "messages", "nodes"},
    # constants: `0.6 * w` where a number goes, folded one way for checker, plan and draws
    "constants": {"decimals", "errors", "nodes"},
    "valuetypes": {"messages"},
    "bounds": {"decimals", "messages"},
    # graph: the parameters a definition reads vouch for its numbers too
    "provenance": {"errors", "graph", "link", "messages", "nodes"},
    # operations: the meaning of every operation of the plan, defined once
    "operations": set(),
    # functions: each built-in function defined once (checking, typing, lowering, docs)
    "functions": {"bounds", "messages", "operations", "valuetypes"},
    # The checker, `check`: one pass per module over one shared `check.facts.Facts`.
    "check.facts": {
        "bounds",
        "errors",
        "graph",
        "link",
        "messages",
        "nodes",
        "provenance",
        "valuetypes",
    },
    "check.numbers": {"check.facts", "constants", "decimals", "errors", "messages", "nodes"},
    "check.calls": {"bounds", "check.facts", "functions", "messages", "nodes", "valuetypes"},
    "check.expressions": {
        "bounds",
        "check.facts",
        "check.calls",
        "check.numbers",
        "errors",
        "graph",
        "messages",
        "nodes",
        "valuetypes",
    },
    "check.scoring": {
        "bounds",
        "check.expressions",
        "check.facts",
        "check.numbers",
        "errors",
        "graph",
        "messages",
        "nodes",
    },
    "check.definitions": {
        "bounds",
        "check.expressions",
        "check.facts",
        "check.numbers",
        "check.scoring",
        "messages",
        "nodes",
        "valuetypes",
    },
    "check.names": {"check.facts", "errors", "graph", "link", "messages", "nodes"},
    "check.tiers": {
        "bounds",
        "check.expressions",
        "check.facts",
        "check.numbers",
        "check.scoring",
        "errors",
        "graph",
        "messages",
        "nodes",
    },
    "check.rollups": {
        "bounds",
        "check.expressions",
        "check.facts",
        "graph",
        "messages",
        "nodes",
        "valuetypes",
    },
    # check.followons: the last pass, dropping what an unknown name sets off
    "check.followons": {"errors", "graph", "nodes"},
    "check": {
        "check.definitions",
        "check.expressions",
        "check.facts",
        "check.followons",
        "check.names",
        "check.numbers",  # the header's `scale 0 to maks`, folded before any pass
        "check.rollups",
        "check.tiers",
        "graph",
        "link",
        "provenance",  # cited, assumed or structural: a pass of its own
    },
    # Plan: analysis → immutable ordered steps.
    "plan": {
        "check",
        "constants",
        "decimals",
        "errors",
        "functions",
        "graph",
        "nodes",
        "operations",
    },
    # Data: files and tables → validated float columns.
    "cells": set(),
    "xlsx": {"cells", "errors", "messages"},
    # Which input each column of a sheet is, by id or label; the account of the reading.
    "layout": {"errors", "messages"},
    "data": {"cells", "display", "errors", "messages", "numeric", "plan"},  # 'row N'
    "tables": {"cells", "data", "errors", "layout", "messages", "xlsx"},
    # Input templates: the workbook an agency fills, read back by `tables`.
    "template": {"display", "errors", "layout", "messages", "tables"},
    # Evaluators: plan + columns → values (all regions; one region; drawn parameters).
    # The few values next to an edge that float64 cannot place, worked out exactly.
    "exact": {"numeric", "plan"},
    # wholes: which expressions are small whole numbers, from their shape (evaluate's sums)
    "wholes": {"plan"},
    "liveness": {"plan"},
    "evaluate": {"cells", "errors", "exact", "liveness", "messages", "numeric", "plan", "wholes"},
    "kept": {"evaluate", "liveness", "plan"},
    # chunks: the row-wise steps on slices of the rows, on threads (`evaluate_many`)
    "chunks": {"data", "errors", "evaluate", "liveness", "plan"},
    "scalar": {"cells", "data", "evaluate", "exact", "numeric", "plan"},
    "drawn": {
        "check",
        "constants",
        "errors",
        "messages",
        "nodes",
        "numeric",
        "operations",
        "plan",
    },
    "sensitivity": {
        "check",  # the first draws are checked by the checker itself (IK430)
        "data",
        "drawn",
        "errors",
        "evaluate",
        "messages",
        "display",  # its report's numbers in the reader's notation
        "nodes",
        "numeric",
        "plan",
    },
    # Views of the values: per-region results and explanation trees.
    "explain": {"display", "messages", "nodes", "plan", "provenance"},
    "results": {"evaluate", "explain", "numeric", "plan", "provenance", "scalar"},
    # Who owns a number (listed before the front door: `stages` needs it, `ruleset` needs
    # `stages`).
    "attribution": {"display", "messages", "plan"},
    # Stages of the season: each stage's results and what verification changed.
    "stages": {
        "attribution",
        "data",
        "display",  # 'row N' for a row without a region id
        "errors",
        "messages",
        "numeric",
        "plan",
        "results",
    },
    # SQL: the plan as one query (sqlglot) and its DuckDB engine, loaded only when asked.
    "sql._build": set(),
    "sql._numeric": {"exact", "numeric", "sql._build"},
    # The compiler, stage by stage: each stage's class extends the one before.
    "sql._shared": {"numeric", "plan", "sql._build"},
    "sql._inputs": {"cells", "data", "numeric", "plan", "sql._build", "sql._numeric"}
    | {"sql._shared"},
    "sql._expressions": {"exact", "plan", "sql._build", "sql._inputs", "sql._numeric"}
    | {"sql._shared"},
    "sql._steps": {"evaluate", "exact", "numeric", "plan", "sql._build", "sql._expressions"}
    | {"sql._numeric", "sql._shared"},
    "sql._ranks": {"exact", "plan", "sql._build", "sql._numeric", "sql._shared", "sql._steps"},
    "sql._compile": {"plan", "sql._build", "sql._ranks", "sql._shared"},
    "sql._rollup": {"plan", "sql._build", "sql._shared"},  # the roll-up over the scores' rows
    "sql": {"data", "errors", "messages", "plan", "sql._compile", "sql._rollup"},
    # A CSV file read as `tables` reads it, in blocks written as Parquet files for DuckDB.
    "sql._csv_blocks": {"data", "errors", "layout", "messages", "tables"},
    "sql.engine": {"data", "errors", "evaluate", "messages", "results", "sql", "sql._compile"}
    | {"kept", "layout", "liveness", "sql._build", "sql._csv_blocks", "sql._shared", "tables"},
    # The front door: `load`, `loads`, `Ruleset`, the shipped rulesets, case files.
    "schema": {"cells", "layout", "nodes", "plan"},  # `Ruleset.schema`: a JSON Schema of the inputs
    "ruleset": {
        "check",
        "chunks",  # `evaluate_many` runs the steps in chunks
        "data",
        "decimals",
        "display",  # 'row N' for a region without an id
        "errors",
        "evaluate",
        "kept",  # what `evaluate_many` keeps by default
        "link",
        "liveness",  # the keep modes
        "messages",
        "nodes",
        "plan",
        "provenance",
        "results",
        "scalar",
        "schema",
        "sensitivity",  # imported when `Ruleset.sensitivity` is called
        "stages",  # imported when `Ruleset.evaluate_stages` is called
        "sql",  # imported when `Ruleset.to_sql` is called
        "sql.engine",  # imported when `Ruleset.evaluate_sql` is called
        "syntax",
    },
    "catalogue": {"errors", "messages", "resources", "ruleset"},
    "cases": {"errors", "messages", "results", "ruleset"},
    "pytest_plugin": {"cases", "errors", "ruleset"},
    "testing": {"errors", "numeric", "plan", "results", "ruleset"},
    # The analyst's questions, on top of a ruleset and its results.
    "gaps": {"attribution", "cells", "data", "display", "messages", "plan", "ruleset"},
    "schemes": {"data", "errors", "messages", "results", "ruleset"},
    "readiness": {
        "attribution",
        "cells",
        "data",
        "display",
        "errors",
        "gaps",
        "messages",
        "numeric",
        "plan",
        "ruleset",
    },
    # evidence (data dukung): the register read as records, checked row by row, then
    # each required document judged against it
    "evidence_register": {"cells", "errors", "messages", "plan", "ruleset", "tables"},
    "evidence": {
        "attribution",
        "cells",
        "data",
        "display",
        "evidence_register",
        "messages",
        "plan",
        "ruleset",
        "tables",
    },
    "compare": {
        "attribution",
        "bounds",  # a parameter shown as the ruleset writes it
        "display",
        "errors",
        "messages",
        "numeric",
        "plan",
        "results",
        "ruleset",
        "stages",  # ScoreMove: a region on two sides, as between two stages
    },
    # next's values to reach: one region re-evaluated with changed inputs.
    "probe": {"errors", "evaluate", "plan"},
    "steps": {"numeric", "plan", "probe"},
    "path": {"probe", "steps"},
    "targets": {
        "attribution",
        "display",
        "messages",
        "path",
        "plan",
        "probe",
        "results",
        "ruleset",
        "steps",
    },
    "advice": {
        "attribution",
        "display",
        "errors",
        "messages",
        "numeric",
        "plan",
        "results",
        "ruleset",
        "targets",
    },
    "report_charts": {"display"},  # the report's inline SVG charts
    "report_words": {"attribution", "display", "messages", "plan"},  # labels, conditions
    "report_summary": {
        "display",
        "messages",
        "plan",
        "report_charts",
        "report_words",
        "results",
    },  # tier distribution, ranks, roll-ups
    "report_sources": {"display", "messages", "provenance", "report_words", "ruleset"},
    "report_agencies": {
        "attribution",
        "display",
        "plan",
        "report_summary",
        "report_words",
        "results",
        "ruleset",
    },  # the agency (OPD) table, most points to gain first
    "report_page": set(),  # the style sheet and the document around the sections
    "report_profile": {
        "display",
        "messages",
        "report_page",
        "report_sources",
        "ruleset",
        "schemes",
        "tables",
    },  # several schemes' totals and tiers per region
    "report_evidence": {"evidence", "messages"},  # the documents still lacking, per agency
    "report": {
        "display",
        "evidence",
        "explain",
        "messages",
        "plan",
        "report_agencies",
        "report_charts",
        "report_evidence",
        "report_page",
        "report_sources",
        "report_summary",
        "report_words",
        "results",
        "ruleset",
        "sensitivity",
        "tables",
    },
    "diagram": {"errors", "ruleset", "tables"},
    "highlight": {"functions"},  # the Pygments lexer; the only module importing pygments
    "workbook": {
        "attribution",
        "layout",
        "messages",
        "plan",
        "results",
        "ruleset",
        "tables",
        "xlsx",
    },
    # The language server (`indikator lsp`): feature functions, then pygls' wiring.
    "lsp.positions": {"errors"},
    "lsp.index": {"errors", "nodes", "resources", "syntax"},
    "lsp.document": {"check", "errors", "link", "messages", "nodes", "syntax"},
    "lsp.diagnostics": {
        "errors",
        "lsp.document",
        "lsp.index",
        "lsp.positions",
        "messages",
        "nodes",
    },
    "lsp.edits": {"errors", "formatter", "lsp.positions", "messages"},
    "lsp.hover": {
        "bounds",
        "check",
        "display",
        "errors",
        "functions",
        "lsp.index",
        "lsp.positions",
        "messages",
        "nodes",
    },
    "lsp.navigation": {"lsp.index", "lsp.positions", "messages", "nodes"},
    "lsp.outline": {"lsp.index", "lsp.positions", "nodes"},
    "lsp.completion": {"functions", "lsp.index", "lsp.positions", "messages", "nodes"},
    "lsp.server": {
        "lsp.completion",
        "lsp.diagnostics",
        "lsp.document",
        "lsp.edits",
        "lsp.hover",
        "lsp.index",
        "lsp.navigation",
        "lsp.outline",
        "messages",
    },
    "lsp": {"lsp.server"},  # imports its server (and pygls) only when `serve` is called
    # The command line and the package's public face.
    "outputs": {"errors", "messages"},
    # `stages` and `evaluate --by`: text, columns and files of the stages and the groups.
    "stages_view": {"display", "messages", "outputs", "plan", "stages", "tables"},
    "rollup_view": {
        "data",
        "display",
        "errors",
        "messages",
        "outputs",
        "plan",
        "results",
        "stages",
        "tables",
    },
    # The report's sections of the stages and of `report --by`.
    "report_stages": {"display", "messages", "plan", "rollup_view", "stages", "stages_view"},
    # run records and verify; records beside and inside outputs
    "record_again": {"ruleset", "schemes", "tables"},  # `verify` beyond one ruleset's evaluate
    "record": {"errors", "messages", "record_again", "rollup_view", "ruleset", "stages", "tables"},
    "record_files": {"messages", "record", "tables"},
    "cli": {
        "advice",
        "report_stages",
        "rollup_view",
        "stages",
        "stages_view",
        "template",
        "cases",
        "catalogue",  # shipped rulesets by name
        "compare",
        "diagram",
        "display",
        "errors",
        "evidence",
        "evidence_register",
        "formatter",
        "gaps",
        "lsp",  # `indikator lsp`, imported only when that command runs
        "messages",
        "outputs",
        "provenance",
        "readiness",
        "record",
        "record_files",
        "report",
        "report_profile",
        "results",
        "ruleset",
        "schemes",
        "sql.engine",  # `evaluate --engine duckdb`, imported only then
        "tables",
        "workbook",
    },
    "__main__": {"cli"},
    # Imported lazily, when a name is first used (see test_start_up.py).
    "__init__": {
        "catalogue",
        "errors",
        "explain",
        "gaps",
        "provenance",
        "results",
        "ruleset",
        "schemes",
    },
}

# Imports for annotations only (under `if TYPE_CHECKING:`): the only edges that point up.
TYPE_ONLY: dict[str, set[str]] = {
    "check.calls": {"check.expressions"},  # `check_call` is handed the `Expressions`
    "results": {"plan"},  # results hold the `Plan` they came from (and read its source order)
    "sensitivity": {"ruleset"},  # `sensitivity` is handed the `Ruleset`
    "workbook": {"record"},  # the `riwayat` sheet is handed the run record
    "record_again": {"record", "ruleset"},  # handed a record's `Options` and `Ruleset`
    "tables": {"ruleset"},  # `evaluate_table` runs a `Ruleset` in chunks
    "data": {"layout"},  # a `Table` carries the `Reading` of its file
    "layout": {"nodes", "ruleset"},  # columns are described from a `Ruleset`'s inputs
    "template": {"ruleset"},  # a template is written for a `Ruleset`
    "stages": {"ruleset"},  # every stage is evaluated with a `Ruleset`
    "sql.engine": {"plan", "ruleset"},  # `evaluate_sql` is handed the `Ruleset` (and its `Plan`)
    "sql._csv_blocks": {"ruleset"},  # the columns are the `Ruleset`'s
    "chunks": {"data"},  # `chunks.run` is handed the `Regions`
}


def _name(path: Path) -> str:
    """A module's name inside indikator: `cli`, `check.facts`; a subpackage's `__init__` as
    the subpackage, `check`; the package's own `__init__` as `__init__`."""
    parts = path.relative_to(SRC).with_suffix("").parts
    if len(parts) > 1 and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _path(module: str) -> Path:
    path = SRC.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


MODULES = sorted(SRC.rglob("*.py"))


def _imports(module: str) -> tuple[set[str], set[str]]:
    """(run-time, annotation-only) indikator modules that `module` imports."""
    tree = ast.parse(_path(module).read_text(encoding="utf-8"))
    guarded = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If)
        and isinstance(block.test, ast.Name)
        and block.test.id == "TYPE_CHECKING"
        for statement in block.body
        for node in ast.walk(statement)
    }
    run_time: set[str] = set()
    type_only: set[str] = set()
    for node in ast.walk(tree):
        names: set[str] = set()
        if isinstance(node, ast.ImportFrom) and node.module == "indikator":
            names = {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("indikator."):
            names = {str(node.module).removeprefix("indikator.")}
        elif isinstance(node, ast.Import):
            names = {
                a.name.removeprefix("indikator.")
                for a in node.names
                if a.name.startswith("indikator.")
            }
        (type_only if id(node) in guarded else run_time).update(names)
    return run_time, type_only - run_time


def test_every_module_has_its_place_in_the_architecture() -> None:
    assert {_name(path) for path in MODULES} == set(ALLOWED)
    assert set(TYPE_ONLY) <= set(ALLOWED)


@pytest.mark.parametrize("module", list(ALLOWED))
def test_import_edges(module: str) -> None:
    run_time, type_only = _imports(module)
    assert run_time <= ALLOWED[module]
    assert type_only <= ALLOWED[module] | TYPE_ONLY.get(module, set())


def test_lower_stages_never_import_higher_ones() -> None:
    order = list(ALLOWED)
    for module, imported in ALLOWED.items():
        higher = {name for name in imported if order.index(name) > order.index(module)}
        assert not higher, f"{module} imports {sorted(higher)}, listed after it"


def test_the_architecture_page_describes_every_module() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = [line for line in page.splitlines() if line.startswith("| `")]
    described = {name for row in rows for name in re.findall(r"`([\w.]+)`", row.split("|")[1])}
    assert described == set(ALLOWED) - {"__init__"}


def test_lark_is_imported_only_by_syntax() -> None:
    users = [_name(p) for p in MODULES if "import lark" in p.read_text(encoding="utf-8")]
    assert users == ["syntax"]


def test_close_matches_are_suggested_in_one_place() -> None:
    # messages.closest is the one "did you mean ...?" helper.
    users = [_name(p) for p in MODULES if "difflib" in p.read_text(encoding="utf-8")]
    assert users == ["messages"]
    assert closest("akt", {"akta": 1, "paud": 2}) == "akta"
    assert closest("zzz", ["akta"]) is None


def test_diagram_error_lives_in_errors_and_is_still_importable_from_diagram() -> None:
    assert diagram.DiagramError is errors.DiagramError
    assert issubclass(errors.DiagramError, indikator.IndikatorError)


# What `from indikator import *` gives, exactly: adding or removing a public name is a
# decision, made here and in the changelog.
PUBLIC = {
    "Catalogue",
    "DataError",
    "Diagnostic",
    "Explanation",
    "GapWorth",
    "Gaps",
    "IndikatorError",
    "InternalError",
    "Provenance",
    "QuestionError",
    "Result",
    "Results",
    "Ruleset",
    "RulesetCheckError",
    "RulesetError",
    "RulesetInfo",
    "RulesetNotFoundError",
    "RulesetSyntaxError",
    "Schemes",
    "check_file",
    "evaluate_schemes",
    "gaps",
    "list_rulesets",
    "load",
    "load_ruleset",
    "loads",
}


def test_public_api() -> None:
    assert set(indikator.__all__) == PUBLIC
    assert len(indikator.__all__) == len(PUBLIC)  # no name listed twice
    assert all(hasattr(indikator, name) for name in PUBLIC)


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
    monkeypatch.setattr(_lalr_tables, "GRAMMAR", "")  # as for an edited grammar: build
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
