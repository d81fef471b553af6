"""The results workbook of `evaluate -o hasil.xlsx`, opened with openpyxl.

The expected numbers are worked out by hand from the ruleset of docs/api.md (plus a
rollup), not read from the code:

* 9968: akta 85 >= 80 -> 60; perkawinan 5 -> (20 - 5) / 20 * 40 = 30; total 90, Madya;
  first of the two regions of Contoh Selatan.
* 9967: akta 72.5 -> 30; perkawinan empty, excluded: 30 of 60 scaled to 100 = 50,
  Pratama; second of two in Contoh Selatan.
* 9914: akta 72.5 -> 30; perkawinan 12 -> 8 / 20 * 40 = 16; total 46, below every tier;
  the only region of Contoh Barat.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from indikator.cli import main
from indikator.tables import read_table

openpyxl = pytest.importorskip("openpyxl")

RULESET = """
ruleset kla_contoh { title "KLA (contoh)" edition 2025 scale 0 to 100 region kode name nama }

param ambang_akta "Ambang akta kelahiran" = 80 %

input kode: text
input nama: text
input provinsi "Provinsi" en "Province": text
input akta "Kepemilikan kutipan akta kelahiran": percent { agency "Disdukcapil" missing zero }
input perkawinan "Perkawinan anak": percent { better lower missing exclude }

indicator i_akta "Akta kelahiran" = bands akta {
  [0, 50)             -> 0
  [50, ambang_akta)   -> 30
  [ambang_akta, 100]  -> 60
} agency "Disdukcapil"
indicator i_kawin "Perkawinan anak" = linear perkawinan from 20 to 0 onto 0 to 40

group total "Nilai total" = sum(i_akta, i_kawin)

tiers on total {
  below "Belum berpredikat" en "No tier"
  pratama "Pratama" [50, 75)
  madya "Madya" [75, 100]
}

rank peringkat "Peringkat provinsi" en "Rank in the province" = total desc within provinsi

rollup per_provinsi "Ringkasan provinsi" en "Province summary" by provinsi {
  jumlah "Jumlah" en "Regions" = count()
  rata "Rata-rata" en "Mean" = mean(total)
  persen "Persen berpredikat" en "Share with a tier" = share(tier >= "pratama")
}
"""
DATA = """kode,nama,provinsi,akta,perkawinan
9968,Kota Contoh Kemuning,Contoh Selatan,85,5
9967,Kota Contoh Bungur,Contoh Selatan,72.5,
9914,Kab. Contoh Ilalang,Contoh Barat,72.5,12
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "r.ikr").write_text(RULESET, encoding="utf-8")
    (tmp_path / "d.csv").write_text(DATA, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def _book(folder: Path, *extra: str) -> Any:
    result = run("evaluate", "r.ikr", "d.csv", "-o", "hasil.xlsx", *extra)
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(folder / "hasil.xlsx")


def _rows(sheet: Any) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(values_only=True))


def test_the_sheets_and_the_one_opened_first(folder: Path) -> None:
    book = _book(folder)
    assert book.sheetnames == [
        "data",
        "hasil",
        "selisih_opd",
        "peringkat",
        "rekap_per_provinsi",
        "asal_angka",
        "riwayat",
        "rekam_jejak",
    ]
    assert book.active.title == "hasil"


def test_the_results_sheet(folder: Path) -> None:
    sheet = _book(folder)["hasil"]
    labels, ids, *rows = _rows(sheet)
    assert ids == (
        "kode", "nama", "provinsi", "akta", "perkawinan",
        "i_akta", "i_akta.met", "i_kawin", "i_kawin.met", "total", "tier", "peringkat",
    )  # fmt: skip
    assert labels[:4] == ("Kode wilayah", "Nama", "Provinsi", "Kepemilikan kutipan akta kelahiran")
    assert labels[5] == "Akta kelahiran"
    assert labels[6] == "Akta kelahiran: terpenuhi"
    assert labels[-3:] == ("Nilai total", "Predikat", "Peringkat provinsi")
    by_id = {row[0]: dict(zip(ids, row, strict=True)) for row in rows}
    assert by_id["9968"] | {} == {
        "kode": "9968", "nama": "Kota Contoh Kemuning", "provinsi": "Contoh Selatan",
        "akta": 85, "perkawinan": 5, "i_akta": 60, "i_akta.met": "ya", "i_kawin": 30,
        "i_kawin.met": "tidak", "total": 90, "tier": "Madya", "peringkat": 1,
    }  # fmt: skip
    assert by_id["9967"]["perkawinan"] is None
    assert by_id["9967"]["i_kawin"] is None  # excluded, not zero
    assert (by_id["9967"]["total"], by_id["9967"]["tier"], by_id["9967"]["peringkat"]) == (
        50,
        "Pratama",
        2,
    )
    assert (by_id["9914"]["i_kawin"], by_id["9914"]["total"]) == (16, 46)
    assert by_id["9914"]["tier"] == "Belum berpredikat"
    # real numbers with formats: Excel shows them in the reader's notation
    formats = {ids[c.column - 1]: c.number_format for c in sheet[3]}
    assert formats["akta"] == '0.00" %"'
    assert formats["total"] == "#,##0.00"
    assert formats["peringkat"] == "#,##0"
    assert sheet.freeze_panes == "C3"
    assert sheet.auto_filter.ref == "A2:L5"
    rules = [r for cf in sheet.conditional_formatting for r in cf.rules]
    assert [r.formula for r in rules] == [
        ['$K3="Belum berpredikat"'],
        ['$K3="Pratama"'],
        ['$K3="Madya"'],
    ]
    assert len({r.dxf.fill.fgColor.rgb for r in rules}) == 3  # a colour per tier


def test_a_checklist_shows_how_many_items_are_met(tmp_path: Path) -> None:
    ruleset = tmp_path / "c.ikr"
    ruleset.write_text(
        "ruleset c { region kode }\ninput kode: text\n"
        'input sk "Layanan" en "Services": checklist("regulasi", "anggaran", "sop")\n'
        "indicator s = bands sk { [0, 2) -> 0  [2, 3] -> 10 }\n",
        encoding="utf-8",
    )
    data = tmp_path / "c.csv"
    data.write_text("kode,sk.regulasi,sk.anggaran,sk.sop\n01,ya,tidak,ya\n", encoding="utf-8")
    output = tmp_path / "h.xlsx"
    assert run("evaluate", str(ruleset), str(data), "-o", str(output)).exit_code == 0
    labels, ids, first = _rows(openpyxl.load_workbook(output)["hasil"])
    assert (labels[1], ids[1], first[1]) == ("Layanan (butir terpenuhi, dari 3)", "sk", 2)


def test_the_english_workbook_has_english_labels(folder: Path) -> None:
    sheet = _book(folder, "--lang", "en")["hasil"]
    labels, _, first, *_ = _rows(sheet)
    assert labels[0] == "Region code"
    assert labels[2] == "Province"
    assert "Rank in the province" in labels
    assert first[10] == "Madya"  # a tier label without an English one stays as written


def test_the_agency_gaps(folder: Path) -> None:
    """Points not earned: Disdukcapil of 60 (i_akta), no agency of 40 (i_kawin)."""
    labels, ids, *rows = _rows(_book(folder)["selisih_opd"])
    assert ids == ("kode", "nama", "Disdukcapil", "(tanpa OPD)")
    assert labels[2:] == (
        "Disdukcapil (poin belum diraih, dari 60)",
        "(tanpa OPD) (poin belum diraih, dari 40)",
    )
    gaps = {row[0]: row[2:] for row in rows}
    # 9968: 60 - 60, 40 - 30; 9967: 60 - 30, and nothing earned of i_kawin; 9914: 30, 24
    assert gaps == {"9968": (0, 10), "9967": (30, 40), "9914": (30, 24)}


def test_the_rank_sheet(folder: Path) -> None:
    labels, ids, *rows = _rows(_book(folder)["peringkat"])
    assert ids == ("region", "name", "provinsi", "peringkat", "peringkat.of")
    assert labels[2:4] == ("Provinsi", "Peringkat provinsi")
    assert rows == [
        ("9914", "Kab. Contoh Ilalang", "Contoh Barat", 1, 1),
        ("9968", "Kota Contoh Kemuning", "Contoh Selatan", 1, 2),
        ("9967", "Kota Contoh Bungur", "Contoh Selatan", 2, 2),
    ]


def test_the_rollup_sheet(folder: Path) -> None:
    sheet = _book(folder)["rekap_per_provinsi"]
    labels, ids, *rows = _rows(sheet)
    assert ids == ("provinsi", "jumlah", "rata", "persen")
    assert labels[1:] == ("Jumlah", "Rata-rata", "Persen berpredikat")
    # Contoh Barat: 46 alone, below; Contoh Selatan: (90 + 50) / 2, both with a tier
    assert rows == [("Contoh Barat", 1, 46, 0), ("Contoh Selatan", 2, 70, 100)]
    assert sheet["D3"].number_format == '0.00" %"'


def test_the_run_record(folder: Path) -> None:
    rows = dict(_rows(_book(folder)["riwayat"])[1:])
    data = hashlib.sha256((folder / "d.csv").read_bytes()).hexdigest()
    ruleset = hashlib.sha256((folder / "r.ikr").read_bytes()).hexdigest()
    assert rows["SHA-256 berkas data"] == data
    assert rows["SHA-256 berkas ruleset"] == ruleset
    assert rows["Berkas data"] == "d.csv"
    assert rows["Ruleset (edisi)"] == "kla_contoh (2025)"
    assert rows["Jumlah wilayah dinilai"] == 3
    assert rows["Parameter ambang_akta"] == 80
    assert rows["Versi indikator"]
    assert str(rows["Waktu penilaian (UTC)"]).endswith("+00:00")


def test_the_data_sheet_reads_back_as_before(folder: Path) -> None:
    _book(folder)
    table = read_table(folder / "hasil.xlsx")  # the first sheet: ids over one row per region
    assert list(table)[:3] == ["region", "name", "i_akta"]
    assert list(table["region"]) == ["9968", "9967", "9914"]
    assert list(table["peringkat"]) == [1, 2, 1]
    assert list(table["provinsi"]) == ["Contoh Selatan", "Contoh Selatan", "Contoh Barat"]
    assert list(table["total"]) == [90, 50, 46]
