"""Generate examples/stunting_2024.csv: SYNTHETIC input data for rulesets/stunting/2024.ikr.

The regions are fictional: invented names ("Contoh ...") and codes starting 99, a province
code BPS does not use, so nothing made from the file can pass for a real region's result;
the provinces (Contoh Barat, Contoh Tengah) too. Every assessment value is invented. No
per-region scores of the *Penilaian Kinerja 8 Aksi Konvergensi* are published (see
docs/schemes/stunting.md), so these numbers say nothing about any region.

Each region gets a "quality" level; its coverage percentages, evidence documents and panel
ratings are drawn around that level with a fixed seed, so the file is the same on every run.
A few regions are written by hand instead (CRAFTED below) so that the ranking's tie-breaks
are exercised on the example:

* 9930 Kota Contoh Jarak and 9932 Kota Contoh Kenanga have identical inputs: they share a
  rank in Contoh Barat.
* 9944 Kabupaten Contoh Tebu, 9946 Kabupaten Contoh Manggis and 9947 Kabupaten Contoh Nangka
  all score 92.00 in Contoh Tengah: Tebu has the higher 8-action component (100 against 93.75)
  and ranks first of the three; Manggis and Nangka are equal on that component and are
  separated by action 1 (12 against 6 points).

A few cells are empty on purpose (see MISSING and the a4_desa rule below).

Standard library only. Run from the repository root:

    python examples/make_stunting.py            # writes examples/stunting_2024.csv
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

SEED = 2024
OUT = Path(__file__).with_name("stunting_2024.csv")

JABAR = "Contoh Barat"
JATENG = "Contoh Tengah"

# (BPS code, name, province, quality level 0..1). The levels are invented.
REGIONS: list[tuple[str, str, str, float]] = [
    ("9914", "Kabupaten Contoh Ilalang", JABAR, 0.72),
    ("9917", "Kabupaten Contoh Mahoni", JABAR, 0.85),
    ("9918", "Kabupaten Contoh Nipah", JABAR, 0.55),
    ("9919", "Kabupaten Contoh Pinus", JABAR, 0.48),
    ("9920", "Kabupaten Contoh Rotan", JABAR, 0.63),
    ("9922", "Kabupaten Contoh Tembesu", JABAR, 0.95),
    ("9923", "Kabupaten Contoh Ulin", JABAR, 0.58),
    ("9925", "Kabupaten Contoh Akasia", JABAR, 0.70),
    ("9926", "Kabupaten Contoh Bambu", JABAR, 0.66),
    ("9927", "Kabupaten Contoh Cengkeh", JABAR, 0.40),
    ("9928", "Kota Contoh Durian", JABAR, 0.80),
    ("9929", "Kota Contoh Gelam", JABAR, 0.90),
    ("9930", "Kota Contoh Jarak", JABAR, 0.0),  # CRAFTED
    ("9932", "Kota Contoh Kenanga", JABAR, 0.0),  # CRAFTED
    ("9933", "Kota Contoh Melati", JABAR, 0.60),
    ("9934", "Kabupaten Contoh Merbau", JATENG, 0.74),
    ("9935", "Kabupaten Contoh Nilam", JATENG, 0.88),
    ("9936", "Kabupaten Contoh Pulai", JATENG, 0.52),
    ("9937", "Kabupaten Contoh Rumbia", JATENG, 0.67),
    ("9939", "Kabupaten Contoh Sukun", JATENG, 0.61),
    ("9941", "Kabupaten Contoh Kamboja", JATENG, 0.45),
    ("9943", "Kabupaten Contoh Salak", JATENG, 0.57),
    ("9944", "Kabupaten Contoh Tebu", JATENG, 0.0),  # CRAFTED
    ("9946", "Kabupaten Contoh Manggis", JATENG, 0.0),  # CRAFTED
    ("9947", "Kabupaten Contoh Nangka", JATENG, 0.0),  # CRAFTED
    ("9948", "Kabupaten Contoh Pala", JATENG, 0.36),
    ("9949", "Kota Contoh Kemiri", JATENG, 0.78),
    ("9950", "Kota Contoh Lada", JATENG, 0.93),
    ("9951", "Kota Contoh Jambu", JATENG, 0.97),
    ("9952", "Kota Contoh Kelapa", JATENG, 0.69),
]

GRADED = [
    "a1_lokus",
    "a1_intervensi",
    "a2_kegiatan",
    "a3_kesepakatan",
    "a4_desa",
    "a5_rumah_tangga",
    "a6_data",
    "a7_pengukuran",
    "a8_reviu",
]
DOCUMENTS = [f"a{k}_dokumen" for k in range(1, 9)]
RATINGS = ["pameran", "video", "inovasi", "penguasaan", "ketepatan_waktu"]

# Column order: region, then the actions in order, then the panel ratings.
COLUMNS = [
    "kode_kabkota",
    "nama_kabkota",
    "provinsi",
    "a1_lokus",
    "a1_intervensi",
    "a1_dokumen",
    "a2_kegiatan",
    "a2_dokumen",
    "a3_kesepakatan",
    "a3_dokumen",
    "a4_desa",
    "a4_dokumen",
    "a5_rumah_tangga",
    "a5_dokumen",
    "a6_data",
    "a6_dokumen",
    "a7_pengukuran",
    "a7_dokumen",
    "a8_reviu",
    "a8_dokumen",
    *RATINGS,
]

# Every item perfect: every coverage 100 % (grade A) and every document uploaded.
PERFECT: dict[str, object] = {**dict.fromkeys(GRADED, 100), **dict.fromkeys(DOCUMENTS, "ya")}

# Hand-written regions (see the module docstring). Total = 0.8 x component + 0.2 x performa
# = 10 x (sum of the 8 actions' shares) + 0.8 x (sum of the 5 ratings), with equal weights.
CRAFTED: dict[str, dict[str, object]] = {
    # Jarak and Kenanga: identical. Actions 2 and 7 at grade B (3 + 4 = 7 of 8 points each),
    # action 4 without a4_desa (a city: the empty cell scores 0, 0 + 4 = 4 of 8), the rest
    # full: shares 5 + 7/8 + 7/8 + 4/8 = 7.25 -> 72.5; ratings 4 + 4 + 3.5 + 4 + 4.5 = 20 -> 16;
    # total 88.5.
    "9930": {
        **PERFECT,
        "a2_kegiatan": 80,
        "a4_desa": None,
        "a7_pengukuran": 90,
        **dict(zip(RATINGS, [4, 4, 3.5, 4, 4.5], strict=True)),
    },
    # Tebu: the 8-action component full, every rating 3: 80 + 0.8 x 15 = 92.
    "9944": {**PERFECT, **dict.fromkeys(RATINGS, 3)},
    # Manggis: action 2 without its document (4 of 8), every rating 4.25: 75 + 0.8 x 21.25 = 92.
    "9946": {**PERFECT, "a2_dokumen": "tidak", **dict.fromkeys(RATINGS, 4.25)},
    # Nangka: action 1 with two D grades (1 + 1 + 4 = 6 of 12), every rating 4.25: 75 + 17 = 92.
    "9947": {
        **PERFECT,
        "a1_lokus": 40,
        "a1_intervensi": 45,
        **dict.fromkeys(RATINGS, 4.25),
    },
}
CRAFTED["9932"] = dict(CRAFTED["9930"])

# Cells left empty on purpose: (region code, column) -> what it exercises.
MISSING: dict[tuple[str, str], str] = {
    ("9919", "a2_dokumen"): "missing zero: no document, no credit",
    ("9927", "a5_rumah_tangga"): "missing zero: no evidence, 0 points (below a D)",
    ("9936", "a7_pengukuran"): "missing zero",
    ("9935", "pameran"): "missing exclude: no exhibition, performa over the other four criteria",
    ("9925", "pameran"): "missing exclude",
}

# Kota (cities) are made of kelurahan, without village funds: a4_desa is left empty (it is
# `missing zero`, so it scores 0). Kota Contoh Melati has villages (desa) and reports it.
KOTA_WITH_DESA = {"9933"}

# A drawn coverage at or above this is written as 100 % (grade A): full coverage is a common
# answer for well-run regions.
FULL_COVERAGE_FROM = 96


def _percent(rng: random.Random, quality: float) -> float:
    value = rng.gauss(quality * 100, 14)
    if value >= FULL_COVERAGE_FROM:
        return 100.0
    return round(min(max(value, 0.0), 99.9), 1)


def _rating(rng: random.Random, quality: float) -> float:
    value = rng.gauss(1 + 4 * quality, 0.6)
    return min(max(round(value * 4) / 4, 1.0), 5.0)  # quarter steps: mean of 4 panellists


def _row(rng: random.Random, quality: float) -> dict[str, object]:
    row: dict[str, object] = {}
    for column in GRADED:
        row[column] = _percent(rng, quality)
    for column in DOCUMENTS:
        row[column] = "ya" if rng.random() < quality + 0.15 else "tidak"
    for column in RATINGS:
        row[column] = _rating(rng, quality)
    return row


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def main() -> None:
    """Write examples/stunting_2024.csv."""
    rng = random.Random(SEED)
    rows = []
    for code, name, province, quality in REGIONS:
        values = CRAFTED[code] if code in CRAFTED else _row(rng, quality)
        row = {"kode_kabkota": code, "nama_kabkota": name, "provinsi": province, **values}
        if name.startswith("Kota") and code not in KOTA_WITH_DESA:
            row["a4_desa"] = None
        for missing_code, column in MISSING:
            if missing_code == code:
                row[column] = None
        rows.append(row)
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([_cell(row.get(column)) for column in COLUMNS])


if __name__ == "__main__":
    main()
