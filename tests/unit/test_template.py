"""Input templates (`indikator.template`): what the workbook holds, and that it reads back.

Expected values are written out by hand (the cell an analyst types and the number it
means), or come from the same data read another way (the shipped example CSV by ids).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest

import indikator
from indikator.data import validate
from indikator.layout import humane
from indikator.tables import read_table
from indikator.template import DATA_ROW, write_template
from tests.unit.test_untranslated import untranslated

ROOT = Path(__file__).parents[2]
KLA = ROOT / "rulesets" / "kla" / "2025.ikr"
KLA_DATA = ROOT / "examples" / "kla_2025.csv"

SMALL = """
ruleset uji {
  title "Uji templat" en "Template trial"
  edition 2025
  scale 0 to 100
  region kode
  name nama
}
input kode "Kode wilayah" en "Region code": text
input nama "Nama wilayah" en "Region name": text
input akta "Akta kelahiran" en "Birth certificates": percent {
  agency "Disdukcapil"
  missing zero
  note "persen anak 0-17 tahun yang memiliki akta"
}
input penduduk "Jumlah penduduk" en "Population": count {
  agency "Disdukcapil"
  unit "jiwa"
  range 0 to 100000000
  missing zero
}
input perda "Regulasi" en "Regulation": option("belum_ada", "rancangan", "perda") {
  agency "DP3A"
  missing zero
}
input forum "Forum anak" en "Children's forum": yesno { agency "DP3A" missing zero }
input gugus "Gugus tugas" en "Task force": checklist("sk", "rad") { agency "Bappeda" missing zero }
input rasio "Rasio guru" en "Teacher ratio": number { agency "Bappeda" range 0 to 10 missing zero }
indicator i_akta = linear akta from 0 to 100 onto 0 to 40
indicator i_perda = options perda {
  "belum_ada" -> 0,
  "rancangan" -> 10,
  "perda" -> 20
}
indicator i_forum = if forum then 10 else 0
indicator i_gugus = count(gugus) * 10
indicator i_rasio = linear rasio from 0 to 10 onto 0 to 10
group total = sum(i_akta, i_perda, i_forum, i_gugus, i_rasio) max 100
"""

# The columns in ruleset order, region columns first, checklist items one by one.
SMALL_IDS = [
    "kode",
    "nama",
    "akta",
    "penduduk",
    "perda",
    "forum",
    "gugus.sk",
    "gugus.rad",
    "rasio",
]


@pytest.fixture(scope="module")
def small() -> indikator.Ruleset:
    return indikator.loads(SMALL, file="uji.ikr")


def _sheet_cells(path: Path, sheet: str, row: int) -> list[Any]:
    book = openpyxl.load_workbook(path)
    return [cell.value for cell in book[sheet][row]]


def test_the_workbook_has_labels_units_and_ids_in_ruleset_order(
    tmp_path: Path, small: indikator.Ruleset
) -> None:
    path = write_template(small, tmp_path / "isian.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Isian", "Petunjuk", "Sumber"]
    sheet = book["Isian"]
    assert [c.value for c in sheet[3]] == SMALL_IDS
    assert [c.value for c in sheet[2]] == [
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
    # The agency band over its columns, in order of first appearance.
    assert [c.value for c in sheet[1]][:3] == ["Wilayah", None, "Disdukcapil"]
    assert sheet.cell(1, 5).value == "DP3A"
    assert sheet.cell(1, 7).value == "Bappeda"
    assert sheet.freeze_panes == "C4"
    assert "persen anak 0-17 tahun" in sheet["C2"].comment.text
    assert "OPD: Disdukcapil" in sheet["C2"].comment.text


def test_english_labels_and_one_sheet_per_agency(tmp_path: Path, small: indikator.Ruleset) -> None:
    path = write_template(small, tmp_path / "form.xlsx", by_agency=True, lang="en")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Disdukcapil", "DP3A", "Bappeda", "Instructions", "Sources"]
    assert [c.value for c in book["DP3A"][3]] == ["kode", "nama", "perda", "forum"]
    assert [c.value for c in book["DP3A"][2]] == [
        "Region code",
        "Region name",
        "Regulation",
        "Children's forum",
    ]
    assert [c.value for c in book["Bappeda"][3]] == [
        "kode",
        "nama",
        "gugus.sk",
        "gugus.rad",
        "rasio",
    ]


def test_validation_formats_and_protection(tmp_path: Path, small: indikator.Ruleset) -> None:
    path = write_template(small, tmp_path / "isian.xlsx")
    sheet = openpyxl.load_workbook(path)["Isian"]
    rules = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    first = DATA_ROW
    assert rules[f"E{first}"].type == "list"
    assert rules[f"E{first}"].formula1 == '"Belum ada,Rancangan,Perda"'
    assert rules[f"F{first}"].formula1 == '"Ya,Tidak"'
    assert rules[f"G{first}"].formula1 == '"Ya,Tidak"'
    # A percent cell stores a fraction (81,5 % is 0.815): its range is 0 to 1.
    assert (rules[f"C{first}"].type, rules[f"C{first}"].formula1) == ("decimal", "0")
    assert rules[f"C{first}"].formula2 == "1"
    assert (rules[f"D{first}"].type, rules[f"D{first}"].formula2) == ("whole", "100000000")
    assert (rules[f"I{first}"].formula1, rules[f"I{first}"].formula2) == ("0", "10")
    assert f"A{first}" not in rules  # a region code is text: no rule
    assert sheet[f"C{first}"].number_format == "0.00%"
    assert sheet[f"A{first}"].number_format == "@"
    assert sheet.protection.sheet
    assert sheet["C2"].protection.locked
    assert sheet["C3"].protection.locked
    assert not sheet[f"C{first}"].protection.locked
    assert not sheet[f"I{first + 500}"].protection.locked


def test_instructions_and_sources_sheets(tmp_path: Path) -> None:
    kla = indikator.load(KLA)
    path = write_template(kla, tmp_path / "isian.xlsx")
    book = openpyxl.load_workbook(path)
    help_rows = [row[0] for row in book["Petunjuk"].iter_rows(values_only=True)]
    assert help_rows[0] == "Templat isian: Evaluasi Kabupaten/Kota Layak Anak 2025"
    assert any("mulai baris 4" in str(text) for text in help_rows)
    assert any(str(text).startswith("*** Asumsi: 100 dari 101") for text in help_rows)
    listed = [
        row[0] for row in book["Petunjuk"].iter_rows(values_only=True) if row[0] in kla.inputs
    ]
    assert listed == [i for i in kla.inputs if i in listed]  # ruleset order
    sources = [row[0] for row in book["Sumber"].iter_rows(values_only=True)]
    assert sources[0] == "id sumber"
    assert [s.id for s in kla.provenance.sources] == sources[1 : 1 + len(kla.provenance.sources)]
    assert book.properties.keywords == "indikator-template lang=id ruleset=kla_2025"


def _fill(path: Path, rows: list[list[Any]], sheet: str = "Isian") -> None:
    book = openpyxl.load_workbook(path)
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            book[sheet].cell(row=DATA_ROW + offset, column=column, value=value)
    book.save(path)


def test_cells_typed_by_hand_in_indonesian_read_as_meant(
    tmp_path: Path, small: indikator.Ruleset
) -> None:
    path = write_template(small, tmp_path / "isian.xlsx")
    # What Excel in an Indonesian locale stores when an analyst types into the template:
    # "81,5" into a percent cell is the fraction 0.815; text cells keep what was typed.
    _fill(
        path,
        [
            ["3201", "Kab. Bogor", 0.815, 5_400_000, "Rancangan", "Ya", "Ya", "Tidak", "2,5"],
            ["3202", "Kab. Sukabumi", "81,5", "1.000", "Belum ada", "Tidak", "tidak", "ya", 7],
            ["3203", "Kab. Cianjur", "100", None, "perda", "YA", None, None, "0,25"],
        ],
    )
    table = read_table(path, ruleset=small)
    arrays = validate(small.plan, table).arrays
    assert arrays["akta"].tolist() == [81.5, 81.5, 100.0]
    assert arrays["penduduk"][:2].tolist() == [5_400_000.0, 1000.0]  # '1.000' is a thousand
    assert np.isnan(arrays["penduduk"][2])  # empty: missing (its policy applies later)
    assert arrays["perda"].tolist() == [1.0, 0.0, 2.0]  # codes in declared order
    assert arrays["forum"].tolist() == [1.0, 0.0, 1.0]
    assert arrays["gugus"].tolist() == [1.0, 1.0, 0.0]  # checklist: items met
    assert arrays["rasio"].tolist() == [2.5, 7.0, 0.25]
    assert table.reading is not None
    assert table.reading.lines("en") == [
        "sheet 'Isian': header on rows 2-3 (labels above ids); title rows above it skipped: 1",
        (
            "column 'perda': 2 cells written as a label read as the option id"
            " (e.g. 'Rancangan' -> 'rancangan')"
        ),
        "numbers in text read in the notation the template declares ('id': 1.000,5)",
    ]
    totals = small.evaluate_many(table).columns("en")["total"]
    # By hand: 40*0.815 + 10 + 10 + 10 + 2.5; 40*0.815 + 0 + 0 + 10 + 7; 40 + 20 + 10 + 0 + 0.25
    assert totals == pytest.approx([32.6 + 32.5, 32.6 + 17, 70.25])


def test_a_csv_template_is_two_header_rows_and_reads_back(
    tmp_path: Path, small: indikator.Ruleset
) -> None:
    path = write_template(small, tmp_path / "isian.csv")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1] == ";".join(SMALL_IDS)
    assert lines[0].split(";")[2] == "Akta kelahiran (%)"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("3201;Kab. Bogor;81.5;12;Perda;Ya;Ya;Ya;3\n")
    table = read_table(path, ruleset=small)
    arrays = validate(small.plan, table).arrays
    assert arrays["akta"].tolist() == [81.5]
    assert arrays["perda"].tolist() == [2.0]
    english = write_template(small, tmp_path / "form.csv", lang="en")
    assert english.read_text(encoding="utf-8").splitlines()[1] == ",".join(SMALL_IDS)


def test_a_csv_cannot_hold_one_sheet_per_agency(tmp_path: Path, small: indikator.Ruleset) -> None:
    with pytest.raises(indikator.DataError, match="a CSV file has one sheet"):
        write_template(small, tmp_path / "isian.csv", by_agency=True)
    with pytest.raises(indikator.DataError, match=r"a template is an \.xlsx or \.csv file"):
        write_template(small, tmp_path / "isian.ods")


# -- filled by a script, in both styles ------------------------------------------------


def _example_rows() -> list[dict[str, str]]:
    with KLA_DATA.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _english(kind: str, text: str) -> Any:
    """A cell as a script in English style writes it: numbers, fractions for percents."""
    if not text:
        return None
    if kind == "percent":
        return float(text) / 100
    if kind in ("number", "count"):
        return float(text)
    if kind in ("yesno", "checklist"):
        return {"ya": "Yes", "tidak": "No"}[text]
    return text


def _indonesian(kind: str, text: str) -> Any:
    """A cell as an Indonesian analyst types it: decimal commas, Ya/Tidak, option labels."""
    if not text:
        return None
    if kind in ("percent", "number"):
        return text.replace(".", ",")
    if kind in ("yesno", "checklist"):
        return text.capitalize()
    if kind == "option":
        return text.replace("_", " ").capitalize()
    return text


@pytest.mark.parametrize(("lang", "style"), [("en", _english), ("id", _indonesian)])
def test_a_template_filled_by_a_script_evaluates_with_no_edits(
    tmp_path: Path, lang: str, style: Any
) -> None:
    kla = indikator.load(KLA)
    path = write_template(kla, tmp_path / "isian.xlsx", lang=lang)
    sheet_name = "Isian" if lang == "id" else "Data entry"
    ids = _sheet_cells(path, sheet_name, 3)
    kinds = {spec.name: spec.kind for spec in kla.plan.inputs}
    rows = _example_rows()
    filled = [[style(kinds[i.split(".")[0]], row[i]) for i in ids] for row in rows]
    _fill(path, filled, sheet=sheet_name)
    got = kla.evaluate_many(read_table(path, ruleset=kla)).columns("en")
    expected = kla.evaluate_many(read_table(KLA_DATA)).columns("en")
    assert got["region"] == expected["region"]
    assert got["tier"] == expected["tier"]
    np.testing.assert_array_equal(got["total"], expected["total"])


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_workbook_speaks_one_language(tmp_path: Path, lang: str) -> None:
    path = write_template(indikator.load(KLA), tmp_path / "isian.xlsx", by_agency=True, lang=lang)
    book = openpyxl.load_workbook(path)
    texts = []
    for sheet in book.worksheets:
        texts.append(sheet.title)
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                if cell.comment is not None:
                    texts.extend(cell.comment.text.splitlines())
        texts.extend(str(v.error) for v in sheet.data_validations.dataValidation)
    assert len(texts) > 100
    # Option and checklist item ids, shown as labels ('Belum ada'), are the ruleset's own
    # words, in whatever language the ruleset's authors chose: not the catalogue's.
    kla = indikator.load(KLA)
    shown = sorted(
        {humane(c) for spec in kla.plan.inputs for c in spec.choices}, key=len, reverse=True
    )
    text = "\n".join(texts)
    for choice in shown:  # as listed: 'a, b, c' or 'Label: Item', never inside a sentence
        text = re.sub(rf"(^|, |: ){re.escape(choice)}(?=,|$)", r"\1 ", text, flags=re.MULTILINE)
    assert untranslated(text, lang) == []
