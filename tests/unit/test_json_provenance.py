"""The assumption provenance in every JSON output of a shipped ruleset (issue 19, part 2).

The golden transcripts `tests/golden/cli/json_*.console` (run by `test_cli_transcript` in
test_report.py) fix what each `--format json` prints, byte for byte. This module says what
must be *in* that JSON, whatever its layout: for a shipped ruleset with assumed numbers, the
banner in both languages (the counts of `Ruleset.provenance`), and for `explain`, each
definition's mark. A JSON output is read by dashboards and spreadsheets without the terminal's
standard error, so a banner printed there only does not reach its reader.

Each carries the banners under the keys `explain` uses: `note` (synthetic data) and
`assumptions`; `evaluate -o FILE.json` writes them beside its `records`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import indikator
from indikator.cli import main
from indikator.tables import data_note, read_table

ROOT = Path(__file__).parents[2]

# A shipped ruleset, its synthetic example data and a region of it.
SHIPPED = {
    "kla_2025": ("rulesets/kla/2025.ikr", "examples/kla_2025.csv", "9914"),
    "kks_2021": ("rulesets/kks/2021.ikr", "examples/kks_2021.csv", "9914"),
    "kks_2025": ("rulesets/kks/2025.ikr", "examples/kks_2025.csv", "9953"),
    "stunting_2024": ("rulesets/stunting/2024.ikr", "examples/stunting_2024.csv", "9914"),
}
LANGS = ("id", "en")
MARKS = {"cited", "assumed", "structural"}  # a shipped ruleset has no unmarked number
SCORED = {"param", "indicator", "let", "group"}  # graph node kinds that carry a mark


def _refuse(constant: str) -> None:
    raise ValueError(f"not strict JSON: {constant}")


def _run(args: list[str]) -> Any:
    """Run a command from the project root; its standard output, read as strict JSON."""
    result = CliRunner().invoke(main, args, prog_name="indikator")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout, parse_constant=_refuse)


def _strings(value: Any) -> Iterator[str]:
    """Every text in a JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _halves(path: str) -> tuple[str, str]:
    """The Indonesian and the English half of a ruleset's banner."""
    banner = indikator.load(ROOT / path).provenance.banner("id")
    assert banner is not None, f"{path} assumes nothing: pick a ruleset that does"
    indonesian, english = banner.split(" / ")
    return indonesian, english


def _assert_banner(output: Any, path: str) -> None:
    indonesian, english = _halves(path)
    texts = "\n".join(_strings(output))
    assert indonesian in texts, f"the JSON lacks the Indonesian banner {indonesian!r}"
    assert english in texts, f"the JSON lacks the English banner {english!r}"


def _cases() -> Iterator[Any]:
    for key in SHIPPED:
        for lang in LANGS:
            yield pytest.param(key, lang, id=f"{key}-{lang}")


CASES = list(_cases())


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_every_shipped_ruleset_here_assumes_something() -> None:
    """The banner is shown only when a number is assumed; these rulesets all assume some."""
    for path, _, _ in SHIPPED.values():
        provenance = indikator.load(ROOT / path).provenance
        assert provenance.count("assumed") > 0
        assert provenance.count("unmarked") == 0


# -- the outputs that carry the provenance --------------------------------------------------


@pytest.mark.parametrize(("key", "lang"), CASES)
def test_explain_json_has_the_banner_and_a_mark_per_definition(key: str, lang: str) -> None:
    path, data, region = SHIPPED[key]
    output = _run(["explain", path, data, "--region", region, "--format", "json", "--lang", lang])
    _assert_banner(output, path)
    first = indikator.load(ROOT / path).provenance.banner(lang)
    assert output["assumptions"] == first  # the language asked for first
    ruleset = indikator.load(ROOT / path)
    kinds: dict[str, str] = {
        name: str(data.get("kind", "")) for name, data in ruleset.graph.nodes(data=True)
    }
    seen = 0
    stack = [output["explanation"]]
    while stack:
        node = stack.pop()
        stack.extend(node["children"])
        name = node["name"]
        if kinds.get(name, "") not in SCORED:
            continue
        mark = node["provenance"]
        assert mark is not None, f"{key}: '{name}' has no provenance in the JSON"
        assert mark["kind"] in MARKS
        assert mark["kind"] == ruleset.provenance.mark(name).kind, name
        seen += 1
    assert seen > 0
    assert output["explanation"]["provenance"]["kind"] == ruleset.provenance.mark("tiers").kind


@pytest.mark.parametrize("key", list(SHIPPED))
def test_sources_json_counts_what_the_banner_says(key: str) -> None:
    path = SHIPPED[key][0]
    output = _run(["sources", path, "--format", "json"])
    provenance = indikator.load(ROOT / path).provenance
    assert output["counts"]["assumed"] == provenance.count("assumed")
    assert output["counts"]["cited"] == provenance.count("cited")
    assert {a["definition"] for a in output["assumed"]} >= {
        record.definition for record in provenance.numbers if record.kind == "assumed"
    } - {"tiers"}


# -- the analyst's outputs: next, readiness, compare, diff and `evaluate -o FILE.json` ------


@pytest.mark.parametrize(("key", "lang"), CASES)
def test_next_json_has_the_banner(key: str, lang: str) -> None:
    path, data, region = SHIPPED[key]
    output = _run(["next", path, data, "--region", region, "--format", "json", "--lang", lang])
    _assert_banner(output, path)


@pytest.mark.parametrize(("key", "lang"), CASES)
def test_readiness_json_has_the_banner(key: str, lang: str) -> None:
    path, data, _ = SHIPPED[key]
    _assert_banner(_run(["readiness", path, data, "--format", "json", "--lang", lang]), path)


@pytest.mark.parametrize(("key", "lang"), CASES)
def test_compare_json_has_the_banner(key: str, lang: str) -> None:
    path, data, _ = SHIPPED[key]
    output = _run(["compare", path, data, data, "--format", "json", "--lang", lang])
    _assert_banner(output, path)


@pytest.mark.parametrize(("key", "lang"), CASES)
def test_diff_json_has_the_banner(key: str, lang: str) -> None:
    path, data, _ = SHIPPED[key]
    output = _run(["diff", path, path, data, "--format", "json", "--lang", lang])
    _assert_banner(output, path)


@pytest.mark.parametrize("key", list(SHIPPED))
def test_evaluate_json_file_has_the_banner(key: str, tmp_path: Path) -> None:
    path, data, _ = SHIPPED[key]
    target = tmp_path / "hasil.json"
    result = CliRunner().invoke(main, ["evaluate", path, data, "-o", str(target)])
    assert result.exit_code == 0, result.output
    _assert_banner(json.loads(target.read_text(encoding="utf-8"), parse_constant=_refuse), path)


# -- the same keys as explain, and the same banners as the terminal ---------------------------


def _banners(path: str, data: str, lang: str) -> dict[str, str]:
    """What `explain --format json` adds: 'note' and 'assumptions', the banners in `lang`."""
    note = data_note(ROOT / data).banner(lang)
    assumed = indikator.load(ROOT / path).provenance.banner(lang)
    assert note is not None
    assert assumed is not None
    return {"note": note, "assumptions": assumed}


@pytest.mark.parametrize("lang", LANGS)
def test_every_analyst_json_carries_the_banners_under_explains_keys(lang: str) -> None:
    path, data, region = SHIPPED["kks_2025"]
    expected = _banners(path, data, lang)
    explain = _run(["explain", path, data, "--region", region, "--format", "json", "--lang", lang])
    documents = [
        explain,
        *_run(["next", path, data, "--region", region, "--format", "json", "--lang", lang]),
        _run(["readiness", path, data, "--format", "json", "--lang", lang]),
        _run(["compare", path, data, data, "--format", "json", "--lang", lang]),
        _run(["diff", path, path, data, "--format", "json", "--lang", lang]),
    ]
    for document in documents:
        assert {key: document[key] for key in expected} == expected


SMALL = """ruleset small {{ scale 0 to 10  region kode }}
param w = {w} assumed "not published"
input kode: text
input x: percent {{ missing zero }}
indicator a = linear x from 0 to w onto 0 to 10
tiers on a {{ baik "Baik" [{edge}, 10] }}{tiers}
"""


def test_diff_of_two_rulesets_says_which_assumes_what(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.ikr", tmp_path / "b.ikr", tmp_path / "c.ikr"
    a.write_text(SMALL.format(w=8, edge=6, tiers=""), encoding="utf-8")  # 1 of 2 assumed
    b.write_text(SMALL.format(w=8, edge=6, tiers=' assumed "edge"'), encoding="utf-8")  # 2 of 2
    c.write_text(SMALL.format(w=8, edge=5, tiers=""), encoding="utf-8")  # as a: 1 of 2
    data = tmp_path / "d.csv"
    data.write_text("kode,x\n01,55\n", encoding="utf-8")
    first = indikator.load(a).provenance.banner("en")
    second = indikator.load(b).provenance.banner("en")
    assert first is not None
    assert second is not None
    assert first != second
    output = _run(["diff", str(a), str(b), str(data), "--format", "json", "--lang", "en"])
    assert output["assumptions"] == f"A: {first}\nB: {second}"
    assert "note" not in output  # no sidecar: not synthetic
    output = _run(["diff", str(a), str(c), str(data), "--format", "json", "--lang", "en"])
    assert output["assumptions"] == first  # the same banner once


@pytest.mark.parametrize("command", ["readiness", "compare"])
def test_readiness_and_compare_text_show_both_banners_first(command: str) -> None:
    path, data, _ = SHIPPED["kla_2025"]
    args = [command, path, data] if command == "readiness" else [command, path, data, data]
    result = CliRunner().invoke(main, [*args, "--lang", "en"])
    assert result.exit_code == 0, result.output
    banners = _banners(path, data, "en")
    lines = result.output.splitlines()
    assert lines[:2] == [f"*** {banners['note']} ***", f"*** {banners['assumptions']} ***"]


def test_evaluate_json_file_reads_back_as_the_same_table(tmp_path: Path) -> None:
    path, data, _ = SHIPPED["kla_2025"]
    written = {}
    for name in ("hasil.json", "hasil.csv"):
        result = CliRunner().invoke(main, ["evaluate", path, data, "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        written[name] = read_table(tmp_path / name)
    assert list(written["hasil.json"]) == list(written["hasil.csv"])
    document = json.loads((tmp_path / "hasil.json").read_text(encoding="utf-8"))
    assert list(document) == ["note", "assumptions", "record", "records"]  # record: run record
    assert {key: document[key] for key in ("note", "assumptions")} == _banners(path, data, "id")
    assert len(document["records"]) == len(written["hasil.csv"]["region"])


def test_evaluate_json_file_is_an_object_even_without_a_banner(tmp_path: Path) -> None:
    target = tmp_path / "hasil.json"
    args = ["evaluate", "tests/fixtures/tour.ikr", "tests/fixtures/tour.csv", "-o", str(target)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert list(json.loads(target.read_text(encoding="utf-8"))) == ["record", "records"]


# -- an assumed number never shows a source as its authority ----------------------------------


@pytest.mark.parametrize("key", list(SHIPPED))
def test_an_assumed_mark_in_json_lists_no_sources(key: str) -> None:
    path, data, region = SHIPPED[key]
    output = _run(["explain", path, data, "--region", region, "--format", "json"])
    kinds = set()
    stack = [output["explanation"]]
    while stack:
        node = stack.pop()
        stack.extend(node["children"])
        mark = node["provenance"]
        if mark is None:
            continue
        kinds.add(mark["kind"])
        assert set(mark) == {"kind", "sources", "also_cites"}
        if mark["kind"] == "assumed":
            assert mark["sources"] == []
        else:
            assert mark["also_cites"] == []
    assert "assumed" in kinds


def test_a_cited_and_assumed_definition_keeps_its_citation_as_also_cites() -> None:
    ruleset = indikator.load(ROOT / "rulesets/kla/2025.ikr")
    marks = [ruleset.provenance.mark(name) for name in ruleset.graph.nodes]
    mark = next(m for m in marks if m.kind == "assumed" and m.sources)
    as_json = mark.to_dict()
    assert as_json["sources"] == []
    assert as_json["also_cites"] == [{"id": s, "passage": p} for s, p in mark.sources]
