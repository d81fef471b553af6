"""Reading the spreadsheets analysts have (`layout`, `tables.read_table(..., ruleset=...)`).

The analyst's workbook from the review (a merged title row above Indonesian label headers,
options typed as shown) is rebuilt here with openpyxl from the shipped example data; the
truth it is checked against is that same data read from its CSV by ids.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner

import indikator
from indikator.cli import main
from indikator.layout import columns_of_ruleset, normal
from indikator.tables import read_table
from indikator.template import DATA_ROW, write_template
from tests.unit.test_untranslated import untranslated

ROOT = Path(__file__).parents[2]
KLA = ROOT / "rulesets" / "kla" / "2025.ikr"
KLA_DATA = ROOT / "examples" / "kla_2025.csv"
TITLE = "DATA EVALUASI KABUPATEN/KOTA LAYAK ANAK 2025"


@pytest.fixture(scope="module")
def kla() -> indikator.Ruleset:
    return indikator.load(KLA)


def _rows() -> tuple[list[str], list[list[str]]]:
    with KLA_DATA.open(encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def _label(kla: indikator.Ruleset, column: str) -> str:
    """The header an analyst writes: the Indonesian label, oddly spaced and cased."""
    found = {c.id: c for c in columns_of_ruleset(kla)}[column]
    label = found.label("id")
    return f"  {label.upper()}  " if column == "perda_kla" else label


def _messy(path: Path, kla: indikator.Ruleset, *, extra: bool = False) -> Path:
    """The review's workbook: title rows, label headers, options and yes/no as typed."""
    header, rows = _rows()
    kinds = {c.id: c.kind for c in columns_of_ruleset(kla)}
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Rekap"
    sheet["A1"] = TITLE
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet["A2"] = "Sumber: laporan OPD, diolah"
    # Row 3 blank; the header on row 4: labels, except the region code kept as its id.
    names = [name if name == "kode_kabkota" else _label(kla, name) for name in header]
    if extra:
        names += ["Keterangan", "Petugas", "Tanggal isi"]
    sheet.append([])  # row 3
    for i, name in enumerate(names, start=1):
        sheet.cell(row=4, column=i, value=name)
    for number, row in enumerate(rows, start=5):
        for i, (name, text) in enumerate(zip(header, row, strict=True), start=1):
            value: Any = text or None
            if value is not None and kinds[name] == "option":
                value = text.replace("_", " ").capitalize()  # 'Belum ada', 'Rancangan'
            elif value is not None and kinds[name] in ("yesno", "checklist"):
                value = text.capitalize()
            sheet.cell(row=number, column=i, value=value)
        if extra:
            sheet.cell(row=number, column=len(header) + 1, value="lengkap")
    book.save(path)
    return path


def test_normal_folds_case_accents_spacing_and_punctuation() -> None:
    assert normal("  Regulasi   KLA ") == "regulasi kla"
    assert normal("REGULASI_KLA") == "regulasi kla"
    assert normal("Pérda — KLA (%)") == "perda kla"
    assert normal("Kode kabupaten/kota (BPS)") == "kode kabupaten kota bps"


def test_the_analysts_workbook_reads_correctly_and_says_how(
    tmp_path: Path, kla: indikator.Ruleset
) -> None:
    path = _messy(tmp_path / "rekap.xlsx", kla)
    table = read_table(path, ruleset=kla)
    assert table.reading is not None
    lines = table.reading.lines("en")
    assert lines[0] == "sheet 'Rekap': header on row 4; title rows above it skipped: 2"
    header, _ = _rows()
    labelled = len(header) - 1  # every column but the region code
    assert lines[1].startswith(
        f"sheet 'Rekap': {labelled} columns matched by label, not id: "
        "'Nama kabupaten/kota' → nama_kabkota, '  REGULASI KLA  ' → perda_kla".replace(
            "'  REGULASI KLA  '", "'REGULASI KLA'"
        )
    )
    assert lines[1].endswith(f", and {labelled - 3} more")
    option_lines = [line for line in lines[2:] if line.startswith("column ")]
    assert any("'Rancangan' -> 'rancangan'" in line for line in option_lines)
    got = kla.evaluate_many(table).columns("en")
    expected = kla.evaluate_many(read_table(KLA_DATA)).columns("en")
    assert got["region"] == expected["region"]
    assert got["tier"] == expected["tier"]
    np.testing.assert_array_equal(got["total"], expected["total"])


def test_a_header_on_the_title_row_is_one_error_not_58(
    tmp_path: Path, kla: indikator.Ruleset
) -> None:
    path = _messy(tmp_path / "rekap.xlsx", kla)
    with pytest.raises(indikator.DataError) as error:
        read_table(path, ruleset=kla, header_row=1)
    problems = error.value.problems
    assert len(problems) == 1
    header, _ = _rows()
    assert problems[0].code == "IK503"
    assert problems[0].render("id") == (
        f"kesalahan[IK503]: '{path}', lembar 'Rekap': {len(header) - 1} kolom berisi nilai"
        " tetapi tidak bernama di baris judul 1: B, C, D, E, F, …; apakah judul kolom ada di"
        " baris lain? gunakan --header-row N"
    )


def test_every_problem_kind_is_one_located_error_on_the_command_line(
    tmp_path: Path, kla: indikator.Ruleset
) -> None:
    path = _messy(tmp_path / "rekap.xlsx", kla, extra=True)
    book = openpyxl.load_workbook(path)
    sheet = book["Rekap"]
    row = sheet.max_row + 1
    sheet.cell(row=row, column=2, value="Rata-rata provinsi")  # a total row, no region code
    for number in (5, 6, 7):
        sheet.cell(row=number, column=3, value="Sudah")  # not an option of perda_kla
    book.save(path)
    result = CliRunner().invoke(main, ["evaluate", str(KLA), str(path)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("kesalahan[")]
    codes = [line.split("]")[0] for line in errors]
    assert len(codes) == len(set(codes))  # one error per kind
    unknown = next(line for line in errors if line.startswith("kesalahan[IK502]"))
    assert unknown == (
        "kesalahan[IK502]: 3 kolom tidak dikenal: 'Keterangan', 'Petugas', 'Tanggal isi';"
        " baris judul terbaca sebagai judul kolom? gunakan --header-row N, atau"
        " --ignore-extra untuk mengizinkannya"
    )
    option = next(line for line in errors if line.startswith("kesalahan[IK506]"))
    assert "'perda_kla'" in option
    assert "3" in option
    assert "dibaca:" not in result.stdout


def test_the_command_line_says_how_it_read_the_file(tmp_path: Path, kla: indikator.Ruleset) -> None:
    path = _messy(tmp_path / "rekap.xlsx", kla)
    result = CliRunner().invoke(main, ["evaluate", str(KLA), str(path)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[:2] == [
        f"cara '{path}' dibaca:",
        "  - lembar 'Rekap': judul kolom di baris 4; 2 baris di atasnya dilewati (judul)",
    ]
    english = CliRunner().invoke(main, ["evaluate", str(KLA), str(path), "--lang", "en"])
    assert english.stderr.splitlines()[0] == f"how '{path}' was read:"
    assert untranslated(result.stderr, "id") == []
    assert untranslated(english.stderr, "en") == []
    clean = CliRunner().invoke(main, ["evaluate", str(KLA), str(KLA_DATA)])
    assert "dibaca:" not in clean.stderr  # nothing taken, nothing said


def test_header_row_given_on_the_command_line(tmp_path: Path, kla: indikator.Ruleset) -> None:
    path = _messy(tmp_path / "rekap.xlsx", kla)
    result = CliRunner().invoke(main, ["evaluate", str(KLA), str(path), "--header-row", "4"])
    assert result.exit_code == 0, result.output
    bad = CliRunner().invoke(main, ["evaluate", str(KLA), str(path), "--header-row", "3"])
    assert bad.exit_code == 1
    assert "baris 3 kosong atau tidak ada" in bad.stderr


# -- several sheets --------------------------------------------------------------------


def _filled_by_agency(path: Path, kla: indikator.Ruleset) -> Path:
    write_template(kla, path, by_agency=True)
    header, rows = _rows()
    kinds = {c.id: c.kind for c in columns_of_ruleset(kla)}
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets[:-2]:  # the agencies' sheets; Petunjuk and Sumber last
        ids = [cell.value for cell in sheet[3]]
        for offset, row in enumerate(rows):
            values = dict(zip(header, row, strict=True))
            for column, name in enumerate(ids, start=1):
                cell = _typed(kinds[name], values[name])
                sheet.cell(row=DATA_ROW + offset, column=column, value=cell)
    book.save(path)
    return path


def _typed(kind: str, text: str) -> Any:
    """A cell as a script writes it into the template: numbers as numbers, % as fractions."""
    if not text:
        return None
    if kind == "percent":
        return float(text) / 100
    if kind in ("number", "count"):
        return float(text)
    return text


def test_agency_sheets_merge_by_region_id(tmp_path: Path, kla: indikator.Ruleset) -> None:
    path = _filled_by_agency(tmp_path / "opd.xlsx", kla)
    table = read_table(path, ruleset=kla, sheet="all")
    # The template says it has a sheet per agency: read whole without being told.
    assert read_table(path, ruleset=kla).reading == table.reading
    assert openpyxl.load_workbook(path).properties.keywords.endswith(" by-agency")
    got = kla.evaluate_many(table).columns("en")
    expected = kla.evaluate_many(read_table(KLA_DATA)).columns("en")
    assert got["region"] == expected["region"]
    np.testing.assert_array_equal(got["total"], expected["total"])
    assert table.reading is not None
    lines = table.reading.lines("en")
    agencies = openpyxl.load_workbook(path).sheetnames[:-2]
    shown = ", ".join(f"'{a}'" for a in agencies)
    assert f"sheets {shown} merged by region id 'kode_kabkota'" in lines
    assert "sheets naming no input left out: 'Petunjuk', 'Sumber'" in lines
    # Two sheets named on the command line: only those are read.
    two = CliRunner().invoke(
        main, ["readiness", str(KLA), str(path), "--sheet", "DP3A", "--sheet", "Bappeda"]
    )
    assert "lembar 'DP3A', 'Bappeda' digabung menurut kode wilayah 'kode_kabkota'" in two.stderr


def test_sheets_that_disagree_are_refused_naming_both(
    tmp_path: Path, kla: indikator.Ruleset
) -> None:
    path = _filled_by_agency(tmp_path / "opd.xlsx", kla)
    book = openpyxl.load_workbook(path)
    book["Bappeda"].cell(row=DATA_ROW, column=2, value="Kabupaten Lain")
    book.save(path)
    with pytest.raises(indikator.DataError) as error:
        read_table(path, ruleset=kla, sheet="all")
    (problem,) = error.value.problems
    assert problem.code == "IK517"
    assert problem.render("en").startswith(
        # The first sheet is the agency of the first input: the shared facts come first.
        f"error[IK517]: '{path}': sheets 'Dinas Kesehatan' and 'Bappeda' give different values of"
        " 'nama_kabkota' for 1 regions; keep one value in one sheet"
    )
    assert "9914 (Kabupaten Contoh Ilalang / Kabupaten Lain)" in problem.render("en")


# -- ambiguity is refused ---------------------------------------------------------------


def test_two_columns_matching_one_input_are_refused(tmp_path: Path, kla: indikator.Ruleset) -> None:
    path = tmp_path / "data.csv"
    path.write_text("kode_kabkota,perda_kla,Regulasi KLA\n3201,perda,perkada\n", encoding="utf-8")
    with pytest.raises(indikator.DataError) as error:
        read_table(path, ruleset=kla)
    (problem,) = error.value.problems
    assert problem.code == "IK516"
    assert problem.render("en") == (
        f"error[IK516]: '{path}': two columns match input 'perda_kla': B ('perda_kla') and"
        " C ('Regulasi KLA'); delete or rename one of them"
    )


def test_a_label_matching_two_inputs_is_refused(tmp_path: Path) -> None:
    ruleset = indikator.loads(
        "ruleset dua { scale 0 to 10 region kode }\ninput kode: text\n"
        'input a "Nilai": percent\ninput b "Nilai": percent\n'
        "indicator s = linear a + b from 0 to 200 onto 0 to 10\n"
    )
    path = tmp_path / "data.csv"
    path.write_text("kode,Nilai\n1,5\n", encoding="utf-8")
    with pytest.raises(indikator.DataError) as error:
        read_table(path, ruleset=ruleset)
    (problem,) = error.value.problems
    assert problem.code == "IK516"
    assert problem.render("en") == (
        f"error[IK516]: '{path}': the header 'Nilai' of column B matches several inputs ('a', 'b');"
        " write the input id in row 1 instead"
    )


def test_many_missing_columns_are_one_error(tmp_path: Path, kla: indikator.Ruleset) -> None:
    path = tmp_path / "data.csv"
    path.write_text("kode_kabkota,nama_kabkota\n3201,Bogor\n", encoding="utf-8")
    with pytest.raises(indikator.DataError) as error:
        kla.evaluate_many(read_table(path, ruleset=kla))
    (problem,) = error.value.problems
    assert problem.code == "IK501"
    header, _ = _rows()
    assert problem.render("en").startswith(
        f"error[IK501]: {len(header) - 2} columns are missing: '"
    )


def test_the_template_command(tmp_path: Path) -> None:
    output = tmp_path / "isian.xlsx"
    result = CliRunner().invoke(main, ["template", str(KLA), "-o", str(output), "--by-agency"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{output} sudah ditulis\n"
    assert "DP3A" in openpyxl.load_workbook(output).sheetnames
    wrong = CliRunner().invoke(main, ["template", str(KLA), "-o", str(tmp_path / "x.ods")])
    assert wrong.exit_code == 1
    assert "templat berupa berkas .xlsx atau .csv" in wrong.stderr


def test_without_a_ruleset_only_title_rows_of_one_cell_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = TITLE
    sheet.append([])
    sheet.append(["kode", "akta"])
    sheet.append(["3201", 81.5])
    book.save(path)
    table = read_table(path)
    assert table["akta"].tolist() == [81.5]
    assert table.reading is not None
    assert table.reading.lines("en") == [
        "sheet 'Sheet': header on row 3; title rows above it skipped: 1"
    ]
    # A header with an empty cell over numbers stays the header: its gap is the error.
    csv_path = tmp_path / "data.csv"
    csv_path.write_text("kode,\n1,2\n", encoding="utf-8")
    with pytest.raises(indikator.DataError, match="which has no name in the header row"):
        read_table(csv_path)


def test_header_row_is_for_csv_files_and_workbooks(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text('[{"kode": "1"}]', encoding="utf-8")
    with pytest.raises(indikator.DataError, match="applies to CSV files and workbooks only"):
        read_table(path, header_row=2)
