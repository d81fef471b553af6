"""Reading data files and filled templates when they are odd: never a wrong value, silently.

Each test is a file an analyst could plausibly hand in (built here with openpyxl or as
CSV text) that used to read as a wrong value with exit 0, or to fail with a misleading
message. The expected outcome is written out by hand: the value meant, or the error that
names the cells to fix.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import indikator
from indikator.data import validate
from indikator.tables import read_table
from indikator.template import DATA_ROW, write_template
from tests.unit.test_readers_exact import _rewrite, _workbook
from tests.unit.test_template import SMALL


@pytest.fixture(scope="module")
def small() -> indikator.Ruleset:
    return indikator.loads(SMALL)


# The agencies' sheets of SMALL's by-agency template, with two regions filled in.
_FILLED: dict[str, list[list[Any]]] = {
    "Disdukcapil": [["3201", "Kab. Bogor", 0.815, 12], ["3202", "Kab. Sukabumi", 0.6, 30]],
    "DP3A": [["3201", "Kab. Bogor", "Perda", "Ya"], ["3202", "Kab. Sukabumi", "Rancangan", "Ya"]],
    "Bappeda": [["3201", "Kab. Bogor", "Ya", "Ya", 2.5], ["3202", "Kab. Sukabumi", "Ya", "Ya", 7]],
}


def _by_agency(path: Path, ruleset: indikator.Ruleset, **changed: list[list[Any]]) -> Path:
    write_template(ruleset, path, by_agency=True)
    book = openpyxl.load_workbook(path)
    for sheet, rows in {**_FILLED, **changed}.items():
        for offset, values in enumerate(rows):
            for column, value in enumerate(values, start=1):
                book[sheet].cell(row=DATA_ROW + offset, column=column, value=value)
    book.save(path)
    return path


def _problems(path: Path, ruleset: indikator.Ruleset, **options: Any) -> list[str]:
    with pytest.raises(indikator.DataError) as error:
        read_table(path, ruleset=ruleset, **options)
    return [problem.render("en") for problem in error.value.problems]


# -- sheets merged by region id ---------------------------------------------------------


def test_merged_sheets_read_as_one_table(tmp_path: Path, small: indikator.Ruleset) -> None:
    table = read_table(_by_agency(tmp_path / "opd.xlsx", small), ruleset=small)
    totals = small.evaluate_many(table).columns("en")["total"]
    # By hand: 40*0.815 + 20 + 10 + 20 + 2.5; 40*0.6 + 10 + 10 + 20 + 7
    assert totals == pytest.approx([32.6 + 52.5, 24 + 47])


def test_a_mistyped_region_id_in_one_sheet_is_refused_not_two_regions(
    tmp_path: Path, small: indikator.Ruleset
) -> None:
    # '3210' for '3201' in one sheet: read as it was, the table had regions 3201 (no
    # akta, no penduduk: scored zero) and 3210 (only those): exit 0, both scores wrong.
    rows = [["3210", "Kab. Bogor", 0.815, 12], ["3202", "Kab. Sukabumi", 0.6, 30]]
    path = _by_agency(tmp_path / "opd.xlsx", small, Disdukcapil=rows)
    (problem,) = _problems(path, small)
    assert problem == (
        f"error[IK517]: '{path}': 2 regions are not in every merged sheet (a mistyped id?);"
        " each sheet must list the same regions: correct the id, or add a row with it (its"
        " other cells may stay empty)\n"
        "    regions: 3210 (only in 'Disdukcapil'), 3201 (not in 'Disdukcapil')"
    )


def test_a_region_missing_from_one_sheet_is_refused_in_both_languages(
    tmp_path: Path, small: indikator.Ruleset
) -> None:
    # The row of 3202 left out of one agency's sheet: its inputs there were scored as
    # missing (zero), silently.
    path = _by_agency(tmp_path / "opd.xlsx", small)
    book = openpyxl.load_workbook(path)
    book["Bappeda"].delete_rows(DATA_ROW + 1, 1)
    book.save(path)
    with pytest.raises(indikator.DataError) as error:
        read_table(path, ruleset=small)
    (problem,) = error.value.problems
    assert problem.code == "IK517"
    assert problem.render("en").endswith("regions: 3202 (not in 'Bappeda')")
    assert problem.render("id").startswith(
        f"kesalahan[IK517]: '{path}': 1 wilayah tidak ada di setiap lembar yang digabung"
    )
    assert problem.render("id").endswith("wilayah: 3202 (tidak ada di 'Bappeda')")
    # A row of the id alone says "no data here": read, the empty cells missing.
    book["Bappeda"].cell(row=DATA_ROW + 1, column=1, value="3202")
    book.save(path)
    table = read_table(path, ruleset=small)
    assert table["rasio"].tolist() == [2.5, None]


def test_an_invisible_character_in_a_region_id_is_shown(
    tmp_path: Path, small: indikator.Ruleset
) -> None:
    # A zero-width space pasted from a web page: '3201\u200b' is another id than '3201'.
    rows = [["3201\u200b", "Kab. Bogor", 0.815, 12], ["3202", "Kab. Sukabumi", 0.6, 30]]
    path = _by_agency(tmp_path / "opd.xlsx", small, Disdukcapil=rows)
    (problem,) = _problems(path, small)
    assert problem.endswith(
        "regions: '3201\\u200b' (only in 'Disdukcapil'), 3201 (not in 'Disdukcapil')"
    )


def test_region_ids_as_numbers_and_as_text_name_one_region(
    tmp_path: Path, small: indikator.Ruleset
) -> None:
    rows = [[3201, "Kab. Bogor", 0.815, 12], [3202.0, "Kab. Sukabumi", 0.6, 30]]
    path = _by_agency(tmp_path / "opd.xlsx", small, Disdukcapil=rows)
    table = read_table(path, ruleset=small)
    assert [str(k) for k in table["kode"].tolist()] == ["3201", "3202"]
    assert table["penduduk"].tolist() == [12, 30]


def test_a_data_sheet_that_cannot_be_read_is_named_not_left_out(
    tmp_path: Path, small: indikator.Ruleset
) -> None:
    # A note typed right of the table: the sheet was left out as "naming no input", and
    # the error was that its columns were missing, with nothing about the note.
    path = _by_agency(tmp_path / "opd.xlsx", small)
    book = openpyxl.load_workbook(path)
    book["DP3A"].cell(row=DATA_ROW, column=6, value="belum diverifikasi")
    book.save(path)
    (problem,) = _problems(path, small)
    assert problem == (
        f"error[IK503]: '{path}', sheet 'DP3A' row 4: a value in column F"
        " ('belum diverifikasi'), which has no name in the header row"
    )


# -- merged cells -----------------------------------------------------------------------


def test_merged_data_cells_are_refused(tmp_path: Path, small: indikator.Ruleset) -> None:
    # One 'Perda' merged over two regions' rows: only the first cell holds it, so the
    # second region read as missing (zero), silently.
    path = tmp_path / "rekap.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["REKAP DATA 2025"])
    sheet.merge_cells("A1:D1")  # a title merged above the header: fine
    sheet.append(["kode", "nama", "Akta kelahiran", "Regulasi"])
    sheet.append(["3201", "Kab. Bogor", 80, "Perda"])
    sheet.append(["3202", "Kab. Sukabumi", 70, None])
    sheet.merge_cells("D3:D4")
    book.save(path)
    (problem,) = _problems(path, small)
    assert problem == (
        f"error[IK503]: '{path}', sheet 'Sheet': 1 ranges of merged cells below the header:"
        " D3:D4; only the first cell of a range holds its value (D3 of D3:D4), the others"
        " would read as empty; unmerge them and type the value in every cell"
    )
    # Unmerged and typed twice: read.
    sheet.unmerge_cells("D3:D4")
    sheet["D4"] = "Perda"
    book.save(path)
    assert read_table(path, ruleset=small)["perda"].tolist() == ["perda", "perda"]


def test_merged_cells_in_a_by_agency_template_are_named(
    tmp_path: Path, small: indikator.Ruleset
) -> None:
    path = _by_agency(tmp_path / "opd.xlsx", small)
    book = openpyxl.load_workbook(path)
    book["Disdukcapil"].merge_cells(f"C{DATA_ROW}:C{DATA_ROW + 1}")
    book.save(path)
    (problem,) = _problems(path, small)
    assert problem.startswith(
        f"error[IK503]: '{path}', sheet 'Disdukcapil': 1 ranges of merged cells below the header"
    )


# -- CSV files --------------------------------------------------------------------------


@pytest.mark.parametrize("title", ["Rekap data 2025", "Rekap data KLA, Jawa Barat 2025"])
def test_a_semicolon_csv_with_a_title_line_is_read_by_its_separator(
    tmp_path: Path, small: indikator.Ruleset, title: str
) -> None:
    # The separator was taken from the first line: a title has one cell whatever the
    # separator, so ',' was chosen, the decimal comma of '80,5' split the data row, and
    # the file was refused as having no rows (with "header on row 3" in the account).
    path = tmp_path / "rekap.csv"
    header = "kode;nama;akta;penduduk;perda;forum;gugus.sk;gugus.rad;rasio"
    rows = ["3201;Kab. Bogor;80,5;100;perda;ya;ya;tidak;5", "3202;Kab. Sukabumi;70;200;;;;;2,5"]
    path.write_text("\ufeff" + "\n".join([title, header, *rows]) + "\n", encoding="utf-8")
    table = read_table(path, ruleset=small, locale="id")
    assert table["akta"].tolist() == ["80,5", "70"]
    assert table["rasio"].tolist() == ["5", "2,5"]
    assert table.reading is not None
    assert table.reading.lines("en") == ["header on row 2; title rows above it skipped: 1"]
    totals = small.evaluate_many(table).columns("en")["total"]
    # By hand: 40*0.805 + 20 + 10 + 10 + 5; 40*0.7 + 0 + 0 + 0 + 2.5
    assert totals == pytest.approx([32.2 + 45, 28 + 2.5])


def test_a_comma_csv_with_semicolons_in_its_text_keeps_its_separator(
    tmp_path: Path, small: indikator.Ruleset
) -> None:
    path = tmp_path / "data.csv"
    header = "kode,nama,akta,penduduk,perda,forum,gugus.sk,gugus.rad,rasio"
    rows = [
        f"32{i:02},Kab. A; B; C; D; E; F; G; H; I; J,80,100,perda,ya,ya,tidak,5" for i in range(12)
    ]
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    table = read_table(path, ruleset=small)
    assert table["nama"].tolist()[0] == "Kab. A; B; C; D; E; F; G; H; I; J"


# -- header rows ------------------------------------------------------------------------


_LABELS = [
    "Kode wilayah",
    "Nama wilayah",
    "Akta kelahiran (%)",
    "Jumlah penduduk (jiwa)",
    "Regulasi",
    "Forum anak",
    "Gugus tugas: Sk",
    "Gugus tugas: Rad",
    "Rasio guru",
]


def test_a_label_over_another_inputs_id_is_refused(
    tmp_path: Path, small: indikator.Ruleset
) -> None:
    # Labels above ids, two ids swapped (columns moved without their label): the id won
    # silently, and the birth-certificate percentages were read as teacher ratios.
    ids = ["kode", "nama", "rasio", "penduduk", "perda", "forum", "gugus.sk", "gugus.rad", "akta"]
    path = tmp_path / "data.csv"
    path.write_text(
        "\n".join([",".join(_LABELS), ",".join(ids), "3201,A,80,100,perda,ya,ya,tidak,5"]) + "\n",
        encoding="utf-8",
    )
    problems = _problems(path, small)
    assert problems == [
        (
            f"error[IK516]: '{path}': the header rows 1-2 of column C name two inputs:"
            " 'Akta kelahiran (%)' is 'akta', but the column is also named 'rasio'; correct the"
            " label or the id so that both name one input"
        ),
        (
            f"error[IK516]: '{path}': the header rows 1-2 of column I name two inputs:"
            " 'Rasio guru' is 'rasio', but the column is also named 'akta'; correct the label or"
            " the id so that both name one input"
        ),
    ]
    # In order, they are read.
    ids[2], ids[8] = "akta", "rasio"
    path.write_text(
        "\n".join([",".join(_LABELS), ",".join(ids), "3201,A,80,100,perda,ya,ya,tidak,5"]) + "\n",
        encoding="utf-8",
    )
    table = read_table(path, ruleset=small)
    assert table["akta"].tolist() == ["80"]
    assert table["rasio"].tolist() == ["5"]


def test_a_percentage_cell_and_a_plain_fraction_disagree_across_sheets(
    tmp_path: Path, small: indikator.Ruleset
) -> None:
    # One sheet shows 85 %, another holds a plain 0.85 for the same input: they were taken
    # as one value, and the first sheet's plain 0.85 kept: akta 0.85 instead of 85.
    path = tmp_path / "rekap.xlsx"
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Rekap"
    first.append(["kode", "nama", "akta"])
    first.append(["3201", "Kab. Bogor", 0.85])
    second = book.create_sheet("Disdukcapil")
    second.append(["kode", "akta", "penduduk"])
    second.append(["3201", 0.85, 12])
    second["B2"].number_format = "0%"
    book.save(path)
    (problem,) = _problems(path, small, sheet="all")
    assert problem == (
        f"error[IK517]: '{path}': sheets 'Rekap' and 'Disdukcapil' give different values of"
        " 'akta' for 1 regions; keep one value in one sheet\n    regions: 3201 (0.85 / 85%)"
    )


def test_a_data_row_naming_a_column_is_not_a_second_header_row(
    tmp_path: Path, small: indikator.Ruleset
) -> None:
    # An option 'perda' under the input 'perda' names a column: in a narrow sheet the
    # first data row was taken for a second header row and region 3201 vanished.
    path = tmp_path / "dp3a.csv"
    path.write_text("kode,perda\n3201,perda\n3202,rancangan\n", encoding="utf-8")
    table = read_table(path, ruleset=small)
    assert table["kode"].tolist() == ["3201", "3202"]
    assert table["perda"].tolist() == ["perda", "rancangan"]
    assert table.reading is not None
    assert table.reading.lines("en") == []


def test_a_header_row_given_at_a_data_row_says_where_the_header_is(
    tmp_path: Path, small: indikator.Ruleset
) -> None:
    # --header-row 4 where row 2 is the header: the message was "column 'ya' appears
    # twice", the data's own values taken for column names.
    path = tmp_path / "data.csv"
    header = "kode,nama,akta,penduduk,perda,forum,gugus.sk,gugus.rad,rasio"
    rows = [f"32{i:02},Kab. {i},80,100,rancangan,ya,ya,ya,5" for i in range(1, 4)]
    path.write_text("\n".join(["REKAP 2025", header, *rows]) + "\n", encoding="utf-8")
    with pytest.raises(indikator.DataError) as error:
        read_table(path, ruleset=small, header_row=4)
    (problem,) = error.value.problems
    assert problem.render("en") == (
        f"error[IK511]: '{path}': the header row 4 (--header-row) names no input of the"
        " ruleset, but row 2 does; give --header-row 2, or leave it out"
    )
    assert problem.render("id") == (
        f"kesalahan[IK511]: '{path}': baris judul kolom 4 (--header-row) tidak menyebut satu"
        " pun masukan ruleset, tetapi baris 2 menyebutnya; berikan --header-row 2, atau"
        " hilangkan opsi itu"
    )
    assert read_table(path, ruleset=small, header_row=2)["kode"].tolist() == [
        "3201",
        "3202",
        "3203",
    ]


# -- hidden sheets ----------------------------------------------------------------------


def _hidden_first(path: Path) -> Path:
    """Last year's data on a hidden first sheet, this year's on the sheet Excel shows."""
    book = openpyxl.Workbook()
    old = book.active
    assert old is not None
    old.title = "2024"
    old.append(["kode", "nama", "akta"])
    old.append(["3201", "Kab. Bogor", 50])
    old.sheet_state = "hidden"
    shown = book.create_sheet("2025")
    shown.append(["kode", "nama", "akta"])
    shown.append(["3201", "Kab. Bogor", 90])
    book.active = 1
    book.save(path)
    return path


def test_a_hidden_first_sheet_is_not_what_is_read(tmp_path: Path, small: indikator.Ruleset) -> None:
    # The hidden sheet was read, silently: akta 50, not the 90 the analyst sees.
    path = _hidden_first(tmp_path / "data.xlsx")
    for sheet in (None, "all"):
        table = read_table(path, ruleset=small, sheet=sheet)
        assert table["akta"].tolist() == [90]
        assert table.reading is not None
        assert table.reading.lines("en") == [
            "hidden sheets not read: '2024' (name one with --sheet to read it)"
        ]
        assert table.reading.lines("id") == [
            "lembar tersembunyi tidak dibaca: '2024' (sebut dengan --sheet untuk membacanya)"
        ]
    # Named, it is read.
    assert read_table(path, ruleset=small, sheet="2024")["akta"].tolist() == [50]


def test_a_percent_header_over_a_count_input_is_refused(
    tmp_path: Path, small: indikator.Ruleset
) -> None:
    # '(%)' folds away when labels are matched: 'Jumlah penduduk (%)' named the count
    # 'penduduk', and its percentages were read as a population, silently.
    path = tmp_path / "data.csv"
    path.write_text("kode,Jumlah penduduk (%),Akta kelahiran (%)\n3201,50,80\n", encoding="utf-8")
    (problem,) = _problems(path, small)
    assert problem == (
        f"error[IK516]: '{path}': the header 'Jumlah penduduk (%)' of column B says %, but"
        " the input it names, 'penduduk', is not a percentage (count); check the column holds"
        " what 'penduduk' asks, then write its id 'penduduk' as the header"
    )
    # A number input whose unit is '%' is a percentage in its header, as a template writes.
    ruleset = indikator.loads(SMALL.replace('unit "jiwa"', 'unit "%"'))
    assert read_table(path, ruleset=ruleset)["penduduk"].tolist() == ["50"]


# -- Excel error values -----------------------------------------------------------------


def test_excel_error_values_are_refused_not_read_as_text(
    tmp_path: Path, small: indikator.Ruleset
) -> None:
    # '#N/A' from a failed lookup of a region name (a text input) was taken for the name,
    # and a region code '#N/A' for a region: silently.
    path = _workbook(
        tmp_path / "rekap.xlsx",
        [
            ["kode", "nama", "akta"],
            ["3201", "Kab. Bogor", 80],
            ["3202", "=VLOOKUP(A3,Wilayah!A:B,2,0)", 70],
        ],
    )
    # As Excel saves a formula that failed: its error as the value, typed 'e'.
    _rewrite(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(
            r'<c r="B3"([^>]*)><f>(.*?)</f><v\s*/>',
            r'<c r="B3" t="e"><f>\2</f><v>#N/A</v>',
            xml,
        ),
    )
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["kode", "nama", "akta"])
    sheet.append(["#DIV/0!", "Kab. Bogor", 80])
    sheet["A2"].data_type = "e"  # an error typed as a value
    book.save(tmp_path / "typed.xlsx")
    for file, shown in ((path, "B3 (#N/A)"), (tmp_path / "typed.xlsx", "A2 (#DIV/0!)")):
        (problem,) = _problems(file, small)
        assert problem == (
            f"error[IK503]: '{file}', sheet '{'Data' if file == path else 'Sheet'}': 1 cells"
            f" below the header hold an Excel error, not a value: {shown}; correct the"
            " formula (or the data it reads), or clear the cell"
        )


def test_rows_of_blank_cells_in_a_csv_are_no_regions(
    tmp_path: Path, small: indikator.Ruleset
) -> None:
    # Excel saves formatted rows left empty as ';;;;;;;;'. Read as regions, they were an
    # error for a ruleset with region ids, and for one without, rows scored as all
    # missing (zero), silently, as a workbook's blank rows never are.
    header = "kode;nama;akta;penduduk;perda;forum;gugus.sk;gugus.rad;rasio"
    text = f"{header}\n3201;A;80;100;perda;ya;ya;tidak;5\n;;;;;;;;\n ; ;;;;;;;\n"
    path = tmp_path / "isian.csv"
    path.write_text(text, encoding="utf-8")
    assert read_table(path, ruleset=small)["kode"].tolist() == ["3201"]
    plain = indikator.loads(
        "ruleset r { scale 0 to 10 }\ninput a: percent { missing zero }\n"
        "indicator s = linear a from 0 to 100 onto 0 to 10\n"
    )
    path.write_text("a,b\n80,x\n,\n", encoding="utf-8")
    table = read_table(path, ruleset=plain)
    columns = plain.evaluate_many(table, extra="ignore").columns("en")
    assert (columns["region"], columns["s"]) == (["row 1"], [8.0])


def test_a_comma_before_three_digits_is_ambiguous_not_indonesian(
    tmp_path: Path, small: indikator.Ruleset
) -> None:
    # An English export's '1,234' (one thousand two hundred and thirty-four) was called
    # Indonesian notation and the fix offered was --locale id, which reads it as 1.234.
    path = tmp_path / "export.csv"
    header = "kode,nama,akta,penduduk,perda,forum,gugus.sk,gugus.rad,rasio"
    path.write_text(f'{header}\n3201,A,80,"1,234",perda,ya,ya,tidak,"2,500"\n', encoding="utf-8")
    with pytest.raises(indikator.DataError) as error:
        small.evaluate_many(read_table(path, ruleset=small))
    ambiguous, indonesian = error.value.problems
    assert ambiguous.code == "IK512"
    assert ambiguous.render("en").startswith(
        "error[IK512]: column 'penduduk' has 1 value(s) such as '1,234' that read differently"
        " by notation: in English notation commas group thousands ('1,000' is one thousand),"
        " in Indonesian a comma is the decimal point (one). Declare the notation: --locale en"
    )
    assert "--locale en (Python: locale='en') bila koma memisahkan ribuan" in ambiguous.render("id")
    # 'rasio' stops at 10: '2,500' can only be 2.5, and the hint says so, as before.
    assert indonesian.code == "IK503"
    assert "Indonesian notation such as '2,500'" in indonesian.render("en")
    path.write_text(f'{header}\n3201,A,80,"1,234",perda,ya,ya,tidak,2.5\n', encoding="utf-8")
    table = read_table(path, ruleset=small, locale="en")
    assert validate(small.plan, table).arrays["penduduk"].tolist() == [1234.0]


# -- plain fractions in a percent column ------------------------------------------------


def test_a_percent_column_of_fractions_is_read_by_the_rule_and_said(
    tmp_path: Path, small: indikator.Ruleset
) -> None:
    # The documented rule: a plain number in a percent column is on the 0-100 scale, so
    # 0.85 is 0.85 %. A whole column from 0 to 1 may be fractions meant as 85 %: the
    # account now says how it was read, and how to say otherwise.
    path = tmp_path / "rekap.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["kode", "nama", "akta", "penduduk", "perda", "forum", "gugus.sk"])
    sheet.append(["3201", "Kab. Bogor", 0.85, 10, "perda", "ya", "ya"])
    sheet.append(["3202", "Kab. Sukabumi", 0.6, 20, "perda", "ya", "ya"])
    sheet["H1"], sheet["I1"] = "gugus.rad", "rasio"
    book.save(path)
    table = read_table(path, ruleset=small)
    assert validate(small.plan, table).arrays["akta"].tolist() == [0.85, 0.6]
    assert table.reading is not None
    assert table.reading.lines("en") == [
        (
            "column 'akta': every value lies between 0 and 1, read as percentages (0.85 is"
            " 0.85 %); if they are fractions (0.85 meaning 85 %), format the cells as Percentage"
            " or multiply them by 100"
        )
    ]
    # Formatted as Percentage, they are 85 and 60, and nothing is said.
    for cell in ("C2", "C3"):
        sheet[cell].number_format = "0%"
    book.save(path)
    table = read_table(path, ruleset=small)
    assert validate(small.plan, table).arrays["akta"].tolist() == [85.0, 60.0]
    assert table.reading is not None
    assert table.reading.lines("en") == []
