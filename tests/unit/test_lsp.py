"""`indikator lsp` through the protocol: a real server process, JSON-RPC over stdio.

The editor's session of issue 17: a shipped ruleset (KKS 2021, which imports its
catalogue) copied and given a typo gets the diagnostic, the quick fix, hover and go to
definition across the import; then completion, outline, references, rename, formatting,
Indonesian messages and garbage text. Expected positions are found in the texts by hand
(`_at`), never taken from the server.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.lsp_client import Client

pytest.importorskip("pygls")

KKS = Path(__file__).parents[2] / "rulesets" / "kks"
TYPO = ("requires odf >= odf_padapa", "requires odfx >= odf_padapa")

SMALL = """\
ruleset kecil { scale 0 to 20 }
input x "Cakupan" en "Coverage": percent { unit "%" agency "Dinkes" }
input status "Status" en "Status": option("ada", "tidak ada")
indicator akta "Akta" en "Birth certificates" = bands x {
  [0, 50)   -> 0
  [50, 100] -> 12.5
} assumed "guessed for the test"
indicator punya = options status { "ada" -> 7.5 "tidak ada" -> 0 }
let s = status == "ada"
let wajah "😀" = x + 1
group total = sum(akta, punya)
tiers on total { baik "Baik" [10, 20] }
"""


def _at(text: str, needle: str, shift: int = 0, nth: int = 0) -> dict[str, int]:
    """The protocol position of the `nth` `needle` in `text`, `shift` characters in."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    offset += shift
    line = text.count("\n", 0, offset)
    return {"line": line, "character": offset - (text.rfind("\n", 0, offset) + 1)}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # kks/ beside common/, as shipped: the KKS catalogue imports ../common/facts.ikr.
    here = tmp_path_factory.mktemp("lsp") / "kks"
    here.mkdir()
    shutil.copytree(KKS.parent / "common", here.parent / "common")
    shutil.copy(KKS / "catalogue.ikr", here / "catalogue.ikr")
    text = (KKS / "2021.ikr").read_text(encoding="utf-8")
    assert text.count(TYPO[0]) == 1
    (here / "2021.ikr").write_text(text.replace(*TYPO), encoding="utf-8")
    (here / "kecil.ikr").write_text(SMALL, encoding="utf-8")
    return here


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    started = Client(lang="en", env=_locale("id"))
    yield started
    assert started.close() == 0


def _typo_diagnostic(client: Client, folder: Path) -> tuple[str, str, dict[str, Any]]:
    path = folder / "2021.ikr"
    text = path.read_text(encoding="utf-8")
    uri = client.open(path)
    (found,) = [d for d in client.diagnostics(uri) if d["code"] == "IK201"]
    return uri, text, found


# -- the editor's session of the issue --------------------------------------------------


def test_a_typo_gets_a_located_diagnostic(client: Client, folder: Path) -> None:
    _, text, found = _typo_diagnostic(client, folder)
    start = _at(text, "odfx >= odf_padapa")
    assert found["range"] == {"start": start, "end": {**start, "character": start["character"] + 4}}
    assert found["severity"] == 1  # error
    assert found["source"] == "indikator"
    assert found["message"] == "unknown name 'odfx'\nhint: did you mean 'odf'?"


def test_the_quick_fix_replaces_the_typo_with_the_suggestion(client: Client, folder: Path) -> None:
    uri, text, found = _typo_diagnostic(client, folder)
    answer = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": found["range"],
            "context": {"diagnostics": [found]},
        },
    )
    (action,) = answer["result"]
    assert action["kind"] == "quickfix"
    assert action["title"] == "replace with odf"
    (edit,) = action["edit"]["changes"][uri]
    assert edit == {"range": found["range"], "newText": "odf"}
    # Applied, the fix gives back the shipped file: the typo was the only change.
    lines = text.split("\n")
    line, column = edit["range"]["start"]["line"], edit["range"]["start"]["character"]
    end = edit["range"]["end"]["character"]
    lines[line] = lines[line][:column] + edit["newText"] + lines[line][end:]
    assert "\n".join(lines) == (KKS / "2021.ikr").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "text", "fix"),
    [
        ("option_typo.ikr", SMALL.replace('status == "ada"', 'status == "ad"'), ('"ad"', '"ada"')),
        (  # IK108: the span is the whole definition; the fix changes its name only
            "child.ikr",
            'ruleset anak { edition 2 }\nextends "kecil.ikr"\nindicator aktaa = 1\n',
            ("aktaa", "akta"),
        ),
    ],
)
def test_the_quick_fix_replaces_only_the_misspelt_word(
    client: Client, folder: Path, name: str, text: str, fix: tuple[str, str]
) -> None:
    wrong, right = fix
    uri = client.open(folder / name, text)
    (found,) = [d for d in client.diagnostics(uri) if "did you mean" in d["message"]]
    answer = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": found["range"],
            "context": {"diagnostics": [found]},
        },
    )
    (edit,) = answer["result"][0]["edit"]["changes"][uri]
    start = _at(text, wrong)
    assert edit["range"] == {
        "start": start,
        "end": {**start, "character": start["character"] + len(wrong)},
    }
    assert edit["newText"] == right


def test_hover_shows_a_parameter_with_its_labels_value_and_source(
    client: Client, folder: Path
) -> None:
    uri, text, _ = _typo_diagnostic(client, folder)
    position = _at(text, 'odf_padapa "Desa', shift=3)
    answer = client.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": position}
    )
    shown = answer["result"]["contents"]["value"]
    assert "**param** `odf_padapa`" in shown
    assert "Syarat ODF Padapa" in shown
    assert "ODF share required for Padapa" in shown
    assert "value: 60%" in shown
    assert 'source: galajabar_odf_2021 "Padapa >= 60 %"' in shown


def test_hover_on_an_imported_input_names_its_file_and_agency(client: Client, folder: Path) -> None:
    uri, text, _ = _typo_diagnostic(client, folder)
    position = _at(text, "requires sk_tim_pembina", shift=12)
    answer = client.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": position}
    )
    shown = answer["result"]["contents"]["value"]
    assert "**input** `sk_tim_pembina`" in shown
    assert "defined in catalogue.ikr" in shown
    assert "agency: Bappeda" in shown
    assert "type: yesno" in shown


def test_go_to_definition_crosses_the_import(client: Client, folder: Path) -> None:
    uri, text, _ = _typo_diagnostic(client, folder)
    position = _at(text, "requires sk_tim_pembina", shift=12)
    answer = client.request(
        "textDocument/definition", {"textDocument": {"uri": uri}, "position": position}
    )
    catalogue = (folder / "catalogue.ikr").read_text(encoding="utf-8")
    start = _at(catalogue, "input sk_tim_pembina", shift=len("input "))
    assert answer["result"] == {
        "uri": (folder / "catalogue.ikr").resolve().as_uri(),
        "range": {"start": start, "end": {**start, "character": start["character"] + 14}},
    }


def test_go_to_definition_on_an_import_line_opens_the_file(client: Client, folder: Path) -> None:
    uri, text, _ = _typo_diagnostic(client, folder)
    position = _at(text, 'import "catalogue.ikr"', shift=10)
    answer = client.request(
        "textDocument/definition", {"textDocument": {"uri": uri}, "position": position}
    )
    top = {"line": 0, "character": 0}
    assert answer["result"] == {
        "uri": (folder / "catalogue.ikr").resolve().as_uri(),
        "range": {"start": top, "end": top},
    }


def test_saving_an_imported_file_checks_the_files_that_import_it(
    client: Client, tmp_path: Path
) -> None:
    catalogue = tmp_path / "katalog.ikr"
    catalogue.write_text("input akta: percent\n", encoding="utf-8")
    text = 'ruleset r { scale 0 to 100 }\nimport "katalog.ikr"\nindicator s = akta\n'
    importer = client.open(tmp_path / "r.ikr", text)
    assert client.diagnostics(importer) == []
    saved = client.open(catalogue)
    renamed = "input aktaa: percent\n"
    catalogue.write_text(renamed, encoding="utf-8")  # `akta` renamed, and saved
    client.change(saved, renamed)
    client.notify("textDocument/didSave", {"textDocument": {"uri": saved}})
    found = client.diagnostics(importer, where=bool)
    assert [d["message"] for d in found if d["code"] == "IK201"] == [
        "unknown name 'akta'\nhint: did you mean 'aktaa'?"
    ]


# -- the other features ------------------------------------------------------------------


def test_hover_on_a_bands_indicator_shows_its_bands_and_maximum(
    client: Client, folder: Path
) -> None:
    uri = client.open(folder / "kecil.ikr")
    position = _at(SMALL, "indicator akta", shift=11)
    answer = client.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": position}
    )
    shown = answer["result"]["contents"]["value"]
    assert "Akta · *Birth certificates*" in shown
    assert "maximum points: 12.5" in shown  # the larger band's points
    assert "assumed: guessed for the test" in shown
    assert "[0, 50) -> 0\n[50, 100] -> 12.5" in shown


def test_hover_on_a_tier_shows_its_interval_and_requirements(client: Client, folder: Path) -> None:
    uri, text, _ = _typo_diagnostic(client, folder)
    position = _at(text, 'wiwerda "Swasti', shift=2)
    answer = client.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": position}
    )
    shown = answer["result"]["contents"]["value"]
    assert "**tier** `wiwerda`" in shown
    assert "Swasti Saba Wiwerda · *Swasti Saba Wiwerda (guidance)*" in shown
    assert "- jumlah_tatanan_sehat [n_wiwerda, n_wistara)" in shown
    assert "- requires odf >= odf_wiwerda" in shown


def test_hover_on_an_option_input_lists_its_options_and_no_range(
    client: Client, folder: Path
) -> None:
    uri = client.open(folder / "kecil.ikr")
    position = _at(SMALL, "input status", shift=6)
    answer = client.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": position}
    )
    shown = answer["result"]["contents"]["value"]
    assert 'type: option("ada", "tidak ada")' in shown
    assert "range" not in shown  # options have no range of values


def test_positions_count_utf16_code_units(client: Client, folder: Path) -> None:
    assert client.initialized["capabilities"]["positionEncoding"] == "utf-16"
    uri = client.open(folder / "kecil.ikr")
    x = _at(SMALL, "= x + 1", shift=2)  # in code points: the emoji is one
    x["character"] += 1  # in UTF-16 it is two code units (a surrogate pair)
    answer = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": x})
    assert answer["result"]["range"]["start"] == x
    assert "**input** `x`" in answer["result"]["contents"]["value"]


def test_completion_offers_imported_names_functions_and_keywords(
    client: Client, folder: Path
) -> None:
    uri, text, _ = _typo_diagnostic(client, folder)
    position = _at(text, "requires sk_forum", shift=len("requires "))
    answer = client.request(
        "textDocument/completion", {"textDocument": {"uri": uri}, "position": position}
    )
    items = {item["label"]: item for item in answer["result"]}
    # From catalogue.ikr, its English label (the server speaks English here).
    assert items["sk_forum"]["detail"] == "Decree establishing the Healthy Regency/City Forum"
    assert items["odf_wistara"]["kind"] == 21  # Constant: a parameter of the file itself
    assert items["count_reaching"]["detail"].startswith("count_reaching(")
    assert "requires" in items
    assert "tiers" in items


def test_completion_offers_the_options_where_an_option_is_expected(
    client: Client, folder: Path
) -> None:
    uri = client.open(folder / "kecil.ikr")
    after_equals = _at(SMALL, 'status == "ada"', shift=len("status == "))
    answer = client.request(
        "textDocument/completion", {"textDocument": {"uri": uri}, "position": after_equals}
    )
    assert [item["label"] for item in answer["result"]] == ['"ada"', '"tidak ada"']
    in_table = _at(SMALL, '"tidak ada" -> 0 }')
    answer = client.request(
        "textDocument/completion", {"textDocument": {"uri": uri}, "position": in_table}
    )
    assert [item["label"] for item in answer["result"]] == ['"ada"', '"tidak ada"']


def test_the_outline_lists_the_files_definitions_and_tiers(client: Client, folder: Path) -> None:
    uri, _, _ = _typo_diagnostic(client, folder)
    answer = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    names = [symbol["name"] for symbol in answer["result"]]
    # 7 parameters, 7 inputs, 8 indicators, 1 group and the tiers (counted in the file).
    assert len(names) == 24
    assert names[:2] == ["ambang_sehat", "n_padapa"]
    assert "sk_forum" not in names  # imported, not defined here
    tiers = answer["result"][-1]
    assert tiers["name"] == "tiers on jumlah_tatanan_sehat"
    assert [child["name"] for child in tiers["children"]] == ["padapa", "wiwerda", "wistara"]


def test_references_are_found_in_the_files_that_import_the_definition(
    client: Client, folder: Path
) -> None:
    _typo_diagnostic(client, folder)
    catalogue = folder / "catalogue.ikr"
    uri = client.open(catalogue)
    position = _at(catalogue.read_text(encoding="utf-8"), "input sk_forum", shift=7)
    answer = client.request(
        "textDocument/references",
        {
            "textDocument": {"uri": uri},
            "position": position,
            "context": {"includeDeclaration": True},
        },
    )
    found = sorted(
        (Path(loc["uri"]).name, loc["range"]["start"]["line"]) for loc in answer["result"]
    )
    text = (folder / "2021.ikr").read_text(encoding="utf-8")
    use = _at(text, "requires sk_forum")["line"]
    declared = _at(catalogue.read_text(encoding="utf-8"), "input sk_forum")["line"]
    assert found == [("2021.ikr", use), ("catalogue.ikr", declared)]


def test_rename_changes_the_declaration_and_every_use(client: Client, folder: Path) -> None:
    uri, text, _ = _typo_diagnostic(client, folder)
    position = _at(text, "param odf_padapa", shift=8)
    answer = client.request(
        "textDocument/rename",
        {"textDocument": {"uri": uri}, "position": position, "newName": "odf_syarat_padapa"},
    )
    edits = answer["result"]["changes"][uri]
    starts = sorted((e["range"]["start"]["line"], e["range"]["start"]["character"]) for e in edits)
    declared, used = _at(text, "odf_padapa "), _at(text, 'odf_padapa "Desa')
    assert starts == [(declared["line"], declared["character"]), (used["line"], used["character"])]
    assert {e["newText"] for e in edits} == {"odf_syarat_padapa"}


def test_rename_of_an_imported_input_edits_the_catalogue_too(client: Client, folder: Path) -> None:
    uri, text, _ = _typo_diagnostic(client, folder)
    position = _at(text, "requires sk_forum", shift=10)
    answer = client.request(
        "textDocument/rename",
        {"textDocument": {"uri": uri}, "position": position, "newName": "sk_forum_kks"},
    )
    changes = answer["result"]["changes"]
    catalogue = folder / "catalogue.ikr"
    declared = _at(catalogue.read_text(encoding="utf-8"), "input sk_forum", shift=6)
    assert [e["range"]["start"] for e in changes[catalogue.resolve().as_uri()]] == [declared]
    assert [e["range"]["start"] for e in changes[uri]] == [_at(text, 'sk_forum "SK')]


def test_completion_keeps_the_names_while_the_buffer_does_not_parse(
    client: Client, folder: Path
) -> None:
    uri = client.open(folder / "half.ikr", SMALL)
    client.diagnostics(uri)  # checked once whole
    broken = SMALL + "let q = (ak"
    client.change(uri, broken)
    assert client.diagnostics(uri)[0]["code"] == "IK003"  # the file ends inside '('
    position = _at(broken, "(ak", shift=3)
    answer = client.request(
        "textDocument/completion", {"textDocument": {"uri": uri}, "position": position}
    )
    labels = {item["label"] for item in answer["result"]}
    assert {"akta", "punya", "status", "min", "bands"} <= labels


@pytest.mark.parametrize(
    ("new_name", "why"),
    [
        ("odf", "'odf' is already defined"),  # taken: an input of the imported catalogue
        ("Odf-Padapa", "cannot name a definition"),
        ("tiers", "cannot name a definition"),  # a keyword
    ],
)
def test_rename_refuses_a_taken_or_invalid_name(
    client: Client, folder: Path, new_name: str, why: str
) -> None:
    uri, text, _ = _typo_diagnostic(client, folder)
    position = _at(text, "param odf_padapa", shift=8)
    answer = client.request(
        "textDocument/rename",
        {"textDocument": {"uri": uri}, "position": position, "newName": new_name},
    )
    assert "result" not in answer or answer.get("error")
    assert why in answer["error"]["message"]


def test_formatting_lays_the_buffer_out_as_fmt_does(client: Client, folder: Path) -> None:
    uri = client.open(folder / "loose.ikr", "param  w=40   # weight\n")
    answer = client.request(
        "textDocument/formatting",
        {"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": True}},
    )
    (edit,) = answer["result"]
    assert edit["newText"] == "param w = 40  # weight\n"
    assert edit["range"]["start"] == {"line": 0, "character": 0}


def test_a_problem_in_an_imported_file_is_shown_on_the_import_line(
    client: Client, folder: Path
) -> None:
    (folder / "bad_catalogue.ikr").write_text("let y = zz + 1\n", encoding="utf-8")
    text = 'ruleset r { scale 0 to 1 }\nimport "bad_catalogue.ikr"\n'
    uri = client.open(folder / "uses_bad.ikr", text)
    (found,) = [d for d in client.diagnostics(uri) if d["code"] == "IK201"]
    assert found["range"]["start"] == {"line": 1, "character": 0}
    assert found["message"].startswith("in bad_catalogue.ikr:1:9: unknown name 'zz'")


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "}{ ][ ))) ruleset ruleset \x00 \x7f",
        "indicator = bands { [ -> }",
        "input x: option(\n",
        "let a = " + "(" * 500 + "1" + ")" * 500,  # deeper than the parser allows
        "param p = 1\r2",
        'ruleset r { scale 0 to 1 }\nimport "a\x00b"\nextends "../../../../../../x"\n',
        "\ufeff\ufeff\u202e" + "é" * 100,
    ],
)
def test_garbage_gives_diagnostics_and_the_server_keeps_answering(
    client: Client, folder: Path, garbage: str
) -> None:
    uri = client.open(folder / "garbage.ikr", "param p = 1\n")
    client.change(uri, garbage)
    found = client.diagnostics(uri)
    if garbage:
        assert found
        assert all(d["code"].startswith("IK") for d in found)
        assert all(d["code"] != "IK901" for d in found)  # no internal error
    for method in ("textDocument/hover", "textDocument/completion", "textDocument/definition"):
        answer = client.request(
            method, {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 3}}
        )
        assert "error" not in answer
    answer = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    assert answer["result"] == []


def test_every_cut_of_a_shipped_ruleset_is_answered(client: Client, folder: Path) -> None:
    # A file typed from the top: each prefix, most of them broken, gets diagnostics.
    text = (KKS / "2021.ikr").read_text(encoding="utf-8")
    uri = client.open(folder / "typing.ikr", "")
    for cut in range(0, len(text), len(text) // 12):
        client.change(uri, text[:cut])
        client.diagnostics(uri)
        end = _at(text[:cut] + "\n", "\n", nth=text[:cut].count("\n"))
        answer = client.request(
            "textDocument/completion", {"textDocument": {"uri": uri}, "position": end}
        )
        assert "error" not in answer


# -- Indonesian, and without pygls ----------------------------------------------------------


def _locale(lang: str) -> dict[str, str]:
    """The environment with `lang`'s locale as the only choice of language."""
    env = {k: v for k, v in os.environ.items() if k not in ("INDIKATOR_LANG", "LC_ALL")}
    return {**env, "LC_MESSAGES": f"{lang}_ID.UTF-8" if lang == "id" else "en_US.UTF-8"}


def test_indonesian_from_the_locale_when_the_editor_does_not_choose(folder: Path) -> None:
    # (The module's server is told "en" over an Indonesian locale: the option wins.)
    indonesian = Client(env=_locale("id"))
    try:
        uri = indonesian.open(folder / "2021.ikr")
        (found,) = [d for d in indonesian.diagnostics(uri) if d["code"] == "IK201"]
        assert found["message"] == "nama 'odfx' tidak dikenal\nsaran: maksud Anda 'odf'?"
        uri = indonesian.open(folder / "kecil.ikr")
        position = _at(SMALL, "indicator akta", shift=11)
        answer = indonesian.request(
            "textDocument/hover", {"textDocument": {"uri": uri}, "position": position}
        )
        assert "poin maksimum: 12,5" in answer["result"]["contents"]["value"]
    finally:
        assert indonesian.close() == 0


def test_without_pygls_the_command_says_how_to_install_it(tmp_path: Path) -> None:
    blocker = tmp_path / "pygls"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('not installed')\n", encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(tmp_path), env.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [sys.executable, "-m", "indikator", "lsp"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        'the language server needs pygls: pip install "indikator[lsp]"',
        'server bahasa memerlukan pygls: pip install "indikator[lsp]"',
    ]


def test_importing_indikator_does_not_import_pygls() -> None:
    code = (
        "import sys, indikator, indikator.lsp\n"
        "print(sorted({'pygls', 'lsprotocol'} & set(sys.modules)))"
    )
    done = subprocess.run(  # noqa: S603  # this Python, our own code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
