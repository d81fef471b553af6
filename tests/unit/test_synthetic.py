"""Synthetic example data never passes for a real region's result (issue 19, part 2).

Every synthetic file in examples/ holds fictional regions (names with "Contoh", codes whose
province prefix 99 BPS does not use) and carries the sidecar `<name>.meta.toml` with
`synthetic = true`; every output the CLI makes from such a file carries the bilingual
banner (terminal, HTML report, workbook and Parquet outputs), and the reader of the sidecar
refuses a broken one.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indikator.cli import main
from indikator.errors import DataError
from indikator.tables import DataNote, data_note, meta_path, read_table, write_table

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
SYNTHETIC = {
    "kla_2025.csv": "rulesets/kla/2025.ikr",
    "stunting_2024.csv": "rulesets/stunting/2024.ikr",
    "kks_2025.csv": "rulesets/kks/2025.ikr",
    "kks_2021.csv": "rulesets/kks/2021.ikr",
    "profil_2025.csv": "kla kks stunting",  # the three schemes on one table
}
# Several stages of the season in one file (`tahap`): read by `indikator stages`.
STAGED = {"kla_2025_tahap.csv": "rulesets/kla/2025.ikr"}
# Evidence registers (data dukung uploads) for the staged example: a region per row, `wilayah`.
REGISTERS = {"kla_2025_bukti.csv": "kla_2025_tahap.csv"}
PUBLIC = {"jabar_stunting_2024.csv"}  # real-shaped public data, labelled with its source

# The 38 provinces' BPS codes (2022 onwards): no synthetic region may start with one.
REAL_PROVINCES = {
    *range(11, 20),  # Aceh .. Kepulauan Bangka Belitung (19)
    21,  # Kepulauan Riau
    *range(31, 37),  # DKI Jakarta .. Banten
    51, 52, 53,
    *range(61, 66),  # Kalimantan
    *range(71, 77),  # Sulawesi
    81, 82,  # Maluku, Maluku Utara
    91, 92, 93, 94, 95, 96,  # the six Papua provinces
}  # fmt: skip
# Names the example files used to carry, and a few more: none may come back.
REAL_NAMES = (
    "Bogor", "Bandung", "Bekasi", "Cimahi", "Depok", "Banjar", "Sukabumi", "Cianjur", "Garut",
    "Tasikmalaya", "Indramayu", "Kudus", "Semarang", "Surakarta", "Tegal", "Magelang", "Brebes",
    "Cilacap", "Banyumas", "Jakarta", "Seribu", "Bintan", "Batam", "Samarinda", "Balikpapan",
    "Bontang", "Paser", "Kutai", "Berau", "Jawa Barat", "Jawa Tengah", "Kalimantan Timur",
    "Kepulauan Riau",
)  # fmt: skip
BANNER = {
    "id": "Data contoh sintetis — bukan hasil resmi wilayah mana pun",
    "en": "Synthetic example data — not the official result of any region",
}


def _rows(name: str) -> list[dict[str, str]]:
    with (EXAMPLES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_example_csv_is_either_synthetic_or_public() -> None:
    every = set(SYNTHETIC) | set(STAGED) | set(REGISTERS) | PUBLIC
    assert {p.name for p in EXAMPLES.glob("*.csv")} == every


@pytest.mark.parametrize("name", sorted(REGISTERS))
def test_registers_are_synthetic_and_name_the_regions_of_their_data(name: str) -> None:
    assert data_note(EXAMPLES / name).synthetic is True
    regions = {row["kode_kabkota"] for row in _rows(REGISTERS[name])}
    named = {row["wilayah"] for row in _rows(name)}
    assert named, name
    assert named <= regions, sorted(named - regions)


def test_public_data_is_labelled_with_its_source() -> None:
    for name in PUBLIC:
        note = data_note(EXAMPLES / name)
        assert note.synthetic is False
        assert note.source is not None
        assert "tarisrizki/stunting-dashboard-jabar" in note.source


@pytest.mark.parametrize("name", sorted({**SYNTHETIC, **STAGED}))
def test_synthetic_examples_hold_fictional_regions_only(name: str) -> None:
    rows = _rows(name)
    assert rows
    for row in rows:
        code, region = row["kode_kabkota"], row["nama_kabkota"]
        assert len(code) == 4, code
        assert int(code[:2]) not in REAL_PROVINCES, code
        assert code.startswith("99"), code
        assert " Contoh " in f" {region} ", region
        assert not [real for real in REAL_NAMES if real.lower() in region.lower()], region
        province = row.get("provinsi")
        if province is not None:
            assert province.startswith("Contoh "), province
            assert province not in REAL_NAMES
    assert data_note(EXAMPLES / name) == DataNote(synthetic=True)


@pytest.mark.parametrize("name", sorted({**SYNTHETIC, **STAGED}))
def test_whole_synthetic_files_name_no_real_region(name: str) -> None:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    assert not [real for real in REAL_NAMES if real in text]


# -- the sidecar --------------------------------------------------------------------


def test_no_sidecar_marks_nothing(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("kode,x\n01,1\n", encoding="utf-8")
    note = data_note(tmp_path / "data.csv")
    assert note == DataNote()
    assert note.banner("id") is None


def test_sidecar_marks_the_data_synthetic(tmp_path: Path) -> None:
    data = tmp_path / "data.xlsx"
    assert meta_path(data) == tmp_path / "data.meta.toml"
    meta_path(data).write_text('synthetic = true\nsource = "made up"\n', encoding="utf-8")
    note = data_note(data)
    assert note == DataNote(synthetic=True, source="made up")
    assert note.banner("id") == f"{BANNER['id']} / {BANNER['en']}"
    assert note.banner("en") == f"{BANNER['en']} / {BANNER['id']}"


@pytest.mark.parametrize(
    "text", ["synthetic = tru\n", 'synthetic = "yes"\n', "synthetic = true\nsource = 3\n"]
)
def test_a_broken_sidecar_is_refused_by_name(tmp_path: Path, text: str) -> None:
    (tmp_path / "data.meta.toml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        data_note(tmp_path / "data.csv")
    assert caught.value.problems[0].code == "IK503"
    assert "data.meta.toml" in caught.value.render("en")
    assert "data.meta.toml" in caught.value.render("id")


# -- the banner in every output -------------------------------------------------------


def _run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("name", sorted(SYNTHETIC))
def test_evaluate_prints_the_banner_first(name: str, lang: str) -> None:
    code, out, _ = _run("evaluate", "--lang", lang, *SYNTHETIC[name].split(), EXAMPLES / name)
    assert code == 0
    first = out.splitlines()[0]
    assert BANNER[lang] in first
    assert BANNER["en" if lang == "id" else "id"] in first


@pytest.mark.parametrize("lang", ["id", "en"])
def test_stages_prints_the_banner_first(lang: str) -> None:
    name = "kla_2025_tahap.csv"
    code, out, _ = _run("stages", "--lang", lang, STAGED[name], EXAMPLES / name)
    assert code == 0
    assert BANNER[lang] in out.splitlines()[0]


def test_evaluate_on_public_data_prints_no_banner() -> None:
    ruleset = "rulesets/examples/stunting_outcome.ikr"
    code, out, err = _run(
        "evaluate", "--ignore-extra", ruleset, EXAMPLES / "jabar_stunting_2024.csv"
    )
    assert code == 0
    assert "sintetis" not in out + err


@pytest.mark.parametrize("lang", ["id", "en"])
def test_explain_next_readiness_print_the_banner(lang: str) -> None:
    ruleset, data = SYNTHETIC["kla_2025.csv"], EXAMPLES / "kla_2025.csv"
    for args in (
        ("explain", "--region", "9914"),
        ("next", "--region", "9914"),
        ("readiness",),
    ):
        code, out, _ = _run(*args, "--lang", lang, ruleset, data)
        assert code == 0, args
        assert BANNER[lang] in out.splitlines()[0], args


@pytest.mark.parametrize("lang", ["id", "en"])
def test_json_stays_a_document_and_the_banner_goes_to_stderr(lang: str) -> None:
    ruleset, data = SYNTHETIC["kla_2025.csv"], EXAMPLES / "kla_2025.csv"
    for args in (
        ("explain", "--region", "9914"),
        ("next", "--region", "9914"),
        ("readiness",),
    ):
        code, out, err = _run(*args, "--format", "json", "--lang", lang, ruleset, data)
        assert code == 0, args
        document = json.loads(out)
        assert BANNER[lang] in err, args
        if args[0] == "explain":
            assert BANNER[lang] in document["note"]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_report_shows_the_banner(tmp_path: Path, lang: str) -> None:
    ruleset, data = SYNTHETIC["kla_2025.csv"], EXAMPLES / "kla_2025.csv"
    for args in ((), ("--region", "9914")):
        page = tmp_path / "laporan.html"
        code, out, _ = _run("report", *args, "--lang", lang, "-o", page, ruleset, data)
        assert code == 0
        assert BANNER[lang] in out
        html = page.read_text(encoding="utf-8")
        assert f'<p class="banner" role="note">{BANNER[lang]} / ' in html
        assert html.index('class="banner"') < html.index("<footer>")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_written_workbook_and_parquet_carry_the_note(tmp_path: Path, lang: str) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    pq = pytest.importorskip("pyarrow.parquet")
    ruleset, data = SYNTHETIC["kla_2025.csv"], EXAMPLES / "kla_2025.csv"
    for suffix in (".xlsx", ".parquet", ".csv"):
        output = tmp_path / f"hasil{suffix}"
        code, out, _ = _run("evaluate", "--lang", lang, "-o", output, ruleset, data)
        assert code == 0
        assert BANNER[lang] in out
        table = read_table(output)  # the data reads back as before: the note is aside
        assert list(table["region"])[:2] == ["9914", "9915"]
    book = openpyxl.load_workbook(tmp_path / "hasil.xlsx")
    sheets = ["data", "hasil", "selisih_opd", "asal_angka", "catatan", "riwayat", "rekam_jejak"]
    assert book.sheetnames == sheets  # the data first, the results workbook (workbook.py)
    assert BANNER[lang] in str(book["catatan"]["A1"].value)
    metadata = pq.read_schema(tmp_path / "hasil.parquet").metadata
    assert BANNER[lang] in metadata[b"indikator.note"].decode()
    assert "sintetis" not in (tmp_path / "hasil.csv").read_text(encoding="utf-8")


def test_write_table_without_a_note_writes_one_sheet(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    write_table({"a": [1]}, tmp_path / "x.xlsx")
    assert openpyxl.load_workbook(tmp_path / "x.xlsx").sheetnames == ["indikator"]


# -- the docs -------------------------------------------------------------------------

PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_page_that_uses_a_synthetic_example_says_so(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    if any(f"examples/{name}" in text for name in {**SYNTHETIC, **STAGED}):
        assert "synthetic" in text.lower() or "sintetis" in text.lower()
    assert "real BPS codes" not in text  # no page calls the example regions real any more
