"""Provenance on every output: the assumption banner and the per-definition marks.

Issue 19, part 2: `evaluate` (terminal and files), `explain`, `next`, `report`, the XLSX
output and `Result`/`Results` in Python say which scoring numbers are assumed, in
Indonesian and English; a cited number names its source, an assumed one never does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import indikator
from indikator.cli import main

HEADER = """
ruleset demo {
  title "Demo"
  source "Perpres 25/2021"
  scale 0 to 20
  region kode
  name nama
}
source perpres25 "Peraturan Presiden Nomor 25 Tahun 2021" {
  passage "Pasal 7"
}
input x "Akta" en "Certificates": percent { agency "DP3A" }
input y "Forum" en "Forum": percent { agency "Bappeda" }
indicator c "Dirujuk" en "Cited" = bands y { [0, 60) -> 0  [60, 100] -> 10 }
  cites perpres25 "Pasal 8"
group total "Total" en "Total" = sum(s, c)
tiers on total { baik "Baik" en "Good" [15, 20] } cites perpres25 "Pasal 10"
"""
ASSUMED = (
    HEADER
    + """
param e = 50 assumed "no published edge" within 40 to 80
indicator s "Diduga" en "Assumed" = bands x { [0, e) -> 0  [e, 100] -> 10 }
  cites perpres25 "Pasal 8"
"""
)
CITED = (
    HEADER
    + """
param e = 50 cites perpres25 "Pasal 9"
indicator s "Diduga" en "Assumed" = bands x { [0, e) -> 0  [e, 100] -> 10 }
  cites perpres25 "Pasal 8"
"""
)
DATA = "kode,nama,x,y\n3201,Kab A,70,80\n3202,Kab B,30,50\n"
BANNER = {
    "id": "Asumsi: 1 dari 6 angka penilaian tidak dipublikasikan resmi; lihat `indikator sources`",
    "en": "Assumed: 1 of 6 scoring numbers are not officially published; see `indikator sources`",
}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "assumed.ikr").write_text(ASSUMED, encoding="utf-8")
    (tmp_path / "cited.ikr").write_text(CITED, encoding="utf-8")
    (tmp_path / "data.csv").write_text(DATA, encoding="utf-8")
    return {
        "assumed": tmp_path / "assumed.ikr",
        "cited": tmp_path / "cited.ikr",
        "data": tmp_path / "data.csv",
    }


def _run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_the_counts_behind_the_banner() -> None:
    provenance = indikator.loads(ASSUMED, strict=True).provenance
    # assumed: e = 50. cited: 10 in s, 60 (twice: both bands) and 10 in c, 15 in the tiers.
    # structural: 0, 100 and 20 (the scale's end).
    assert provenance.count("assumed") == 1
    assert provenance.count("cited") == 5
    assert provenance.scoring == 6
    assert provenance.banner("id") == f"{BANNER['id']} / {BANNER['en']}"
    assert provenance.banner("en") == f"{BANNER['en']} / {BANNER['id']}"


def test_only_cited_numbers_give_no_banner() -> None:
    ruleset = indikator.loads(CITED)
    assert ruleset.provenance.count("assumed") == 0
    assert ruleset.provenance.banner("id") is None


def test_marks_follow_the_parameters_a_definition_reads() -> None:
    provenance = indikator.loads(ASSUMED).provenance
    # s cites Pasal 8, but its edge is the assumed parameter e: assumed, and no source shown
    assert provenance.mark("s").kind == "assumed"
    assert provenance.mark("s").text("id") == "asumsi"
    assert provenance.mark("s").text("en") == "assumed"
    cited = provenance.mark("c")
    assert (cited.kind, cited.sources) == ("cited", (("perpres25", "Pasal 8"),))
    assert cited.text("id") == "perpres25 Pasal 8"
    # total adds s and c: its maximum and score are made of s's assumed points, so it is
    # assumed (a cluster of assumed weights never shows a regulation next to it)
    assert provenance.mark("total").kind == "assumed"
    assert provenance.mark("total").text("en") == "assumed"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_python_results_carry_the_note_and_the_marks(lang: str) -> None:
    results = indikator.loads(ASSUMED).evaluate_many(
        {"kode": ["3201"], "nama": ["Kab A"], "x": [70.0], "y": [80.0]}
    )
    note = results.provenance_note(lang)
    assert note is not None
    assert note.startswith(BANNER[lang])
    tree = results.region("3201").explain(lang)
    nodes = {}
    stack = [tree]
    while stack:
        node = stack.pop()
        nodes[node.name] = node
        stack.extend(node.children)
    assert nodes["s"].provenance is not None
    assert nodes["s"].provenance.kind == "assumed"
    assert nodes["c"].provenance is not None
    assert nodes["c"].provenance.kind == "cited"
    assert nodes["x"].provenance is None  # an input is no definition
    assert tree.to_dict()["provenance"]["kind"] == "cited"  # the tier cites Pasal 10
    text = tree.to_text()
    assert re.search(r"\[s\]: 10 / 10 .*\[(asumsi|assumed)\]$", text, re.MULTILINE)
    assert re.search(r"\[c\]: 10 / 10 .*\[perpres25 Pasal 8\]$", text, re.MULTILINE)
    cited = indikator.loads(CITED).evaluate_many(
        {"kode": ["1"], "nama": ["A"], "x": [1.0], "y": [1.0]}
    )
    assert cited.provenance_note(lang) is None


@pytest.mark.parametrize("lang", ["id", "en"])
def test_evaluate_prints_the_banner_first(files: dict[str, Path], lang: str) -> None:
    code, out, _ = _run("evaluate", files["assumed"], files["data"], "--lang", lang)
    assert code == 0
    first = out.splitlines()[0]
    assert first.startswith(f"*** {BANNER[lang]} / ")
    other = "en" if lang == "id" else "id"
    assert BANNER[other] in first  # both languages, the one asked for first
    code, out, _ = _run("evaluate", files["cited"], files["data"], "--lang", lang)
    assert code == 0
    assert "***" not in out


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_workbook_has_the_note_and_a_provenance_sheet(
    files: dict[str, Path], tmp_path: Path, lang: str
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    output = tmp_path / "hasil.xlsx"
    code, _, _ = _run("evaluate", files["assumed"], files["data"], "-o", output, "--lang", lang)
    assert code == 0
    book = openpyxl.load_workbook(output)
    sheets = ["data", "hasil", "selisih_opd", "asal_angka", "catatan", "riwayat", "rekam_jejak"]
    assert book.sheetnames == sheets
    assert str(book["catatan"]["A1"].value).startswith(BANNER[lang])
    rows = {r[0]: r[1:] for r in book["asal_angka"].iter_rows(values_only=True)}
    assumed = "asumsi" if lang == "id" else "assumed"
    assert rows["s"][0] == assumed
    assert not rows["s"][1]  # no source for an assumed number
    assert rows["c"][1] == "perpres25 Pasal 8"
    assert rows["e"][0] == assumed
    # the first sheet reads back unchanged
    assert [c.value for c in next(book["data"].iter_rows())][:2] == ["region", "name"]
    code, _, _ = _run("evaluate", files["cited"], files["data"], "-o", output)
    assert code == 0
    assert "catatan" not in openpyxl.load_workbook(output).sheetnames


@pytest.mark.parametrize("lang", ["id", "en"])
def test_explain_shows_the_banner_and_a_mark_per_definition(
    files: dict[str, Path], lang: str
) -> None:
    code, out, _ = _run(
        "explain", files["assumed"], files["data"], "--region", "3201", "--lang", lang
    )
    assert code == 0
    assert out.splitlines()[0].startswith(f"*** {BANNER[lang]}")
    assumed = "[asumsi]" if lang == "id" else "[assumed]"
    (line,) = [x for x in out.splitlines() if "[s]:" in x]
    assert line.endswith(assumed)
    assert "perpres25" not in line
    (line,) = [x for x in out.splitlines() if "[c]:" in x]
    assert line.endswith("[perpres25 Pasal 8]")
    # the header's source list says which numbers it does not vouch for
    assert f"Numbers marked {assumed}" in out or f"Angka bertanda {assumed}" in out
    code, out, err = _run(
        "explain", files["assumed"], files["data"], "--region", "3201", "--format", "json"
    )
    assert code == 0
    assert BANNER["id"] in err
    document = json.loads(out)
    assert document["assumptions"].startswith(BANNER["id"])
    code, out, err = _run("explain", files["cited"], files["data"], "--region", "3201")
    assert code == 0
    assert "***" not in out + err
    assert "asumsi" not in out


@pytest.mark.parametrize("lang", ["id", "en"])
def test_next_shows_the_banner(files: dict[str, Path], lang: str) -> None:
    code, out, _ = _run("next", files["assumed"], files["data"], "--region", "3202", "--lang", lang)
    assert code == 0
    assert out.splitlines()[0].startswith(f"*** {BANNER[lang]}")
    code, out, err = _run(
        "next", files["assumed"], files["data"], "--region", "3202", "--format", "json"
    )
    assert code == 0
    assert BANNER["id"] in err
    json.loads(out)  # standard output stays a JSON document
    code, out, err = _run("next", files["cited"], files["data"], "--region", "3202")
    assert code == 0
    assert "***" not in out + err


@pytest.mark.parametrize("lang", ["id", "en"])
def test_report_has_the_box_and_never_a_source_for_an_assumed_number(
    files: dict[str, Path], tmp_path: Path, lang: str
) -> None:
    output = tmp_path / "laporan.html"
    code, out, _ = _run("report", files["assumed"], files["data"], "-o", output, "--lang", lang)
    assert code == 0
    assert out.startswith(f"*** {BANNER[lang]}")
    page = output.read_text(encoding="utf-8")
    assert f'<p class="banner" role="note">{BANNER[lang]}' in page.replace("&#x27;", "'")
    rows = re.findall(r"<tr><td></td><td>(.*?)</td>.*?</tr>", page)
    assert rows
    cited_word = "dirujuk" if lang == "id" else "cited"
    assumed_word = "asumsi" if lang == "id" else "assumed"
    for row in re.findall(r"<tr><td></td>.*?</tr>", page):
        if "Diduga" in row or "Assumed" in row:  # the indicator s, assumed
            assert f'<td class="assumed">{assumed_word}</td>' in row
            assert "perpres25" not in row
            assert "Perpres" not in row
        else:
            assert f"{cited_word}: perpres25 Pasal 8" in row
    code, _, _ = _run("report", files["cited"], files["data"], "-o", output)
    assert code == 0
    page = output.read_text(encoding="utf-8")
    assert 'class="banner"' not in page
    assert "asumsi" not in page


def test_an_assumed_parameter_is_assumed_even_when_its_value_is_structural() -> None:
    # `param nol = 0 assumed "..."`: 0 is a structural value, but the author declared it an
    # assumption; the banner must count it (the KKS 2025 banner said "6 of 10" while 8
    # parameters were drawn as assumptions).
    text = """
ruleset t { region kode }
input kode: text
input x: yesno
param nol = 0 assumed "no document, no credit"
param seratus = 100 assumed "a guess" within 80 to 100
indicator s = if x then seratus else nol max 100
"""
    provenance = indikator.loads(text).provenance
    assert provenance.count("assumed") == 2
    assert provenance.mark("s").kind == "assumed"
    banner = provenance.banner("en")
    assert banner is not None
    assert banner.startswith("Assumed: 2 of 2 scoring numbers")
