"""Generate examples/kla_2025.csv: SYNTHETIC input data for rulesets/kla/2025.ikr.

The regions are fictional: invented names ("Contoh ...") and codes starting 99, a province
code BPS does not use, so nothing made from the file can pass for a real region's result;
every indicator value is invented too. Each region gets a "quality" level and its values are
drawn around it with a fixed seed, so the file is the same on every run and every tier of the
ruleset occurs (some regions below 500, a few reaching the KLA tier). A few cells are left empty
to exercise the `missing zero` policy (a number, a yes/no, a checklist item, an option).

Standard library only. Run from the repository root:

    python examples/make_kla_2025.py            # writes examples/kla_2025.csv
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

SEED = 2025
OUT = Path(__file__).with_name("kla_2025.csv")

# (BPS code, name, quality level 0..1). The levels are chosen so that every tier occurs; the
# region names say nothing about any real evaluation result.
REGIONS: list[tuple[str, str, float]] = [
    ("9914", "Kabupaten Contoh Ilalang", 0.62),
    ("9915", "Kabupaten Contoh Kenari", 0.30),
    ("9916", "Kabupaten Contoh Lontar", 0.22),
    ("9917", "Kabupaten Contoh Mahoni", 0.55),
    ("9918", "Kabupaten Contoh Nipah", 0.45),
    ("9919", "Kabupaten Contoh Pinus", 0.35),
    ("9923", "Kabupaten Contoh Ulin", 0.40),
    ("9927", "Kabupaten Contoh Cengkeh", 0.50),
    ("9929", "Kota Contoh Gelam", 0.64),
    ("9930", "Kota Contoh Jarak", 0.69),
    ("9931", "Kota Contoh Kapuk", 0.67),
    ("9932", "Kota Contoh Kenanga", 0.66),
    ("9934", "Kabupaten Contoh Merbau", 0.61),
    ("9935", "Kabupaten Contoh Nilam", 0.60),
    ("9938", "Kabupaten Contoh Sawo", 0.70),
    ("9939", "Kabupaten Contoh Sukun", 0.65),
    ("9940", "Kabupaten Contoh Teratai", 0.86),
    ("9942", "Kabupaten Contoh Randu", 0.64),
    ("9944", "Kabupaten Contoh Tebu", 0.48),
    ("9945", "Kabupaten Contoh Trembesi", 0.42),
    ("9948", "Kabupaten Contoh Pala", 0.52),
    ("9950", "Kota Contoh Lada", 0.97),
    ("9951", "Kota Contoh Jambu", 0.98),
    ("9952", "Kota Contoh Kelapa", 0.73),
    ("9908", "Kabupaten Contoh Angsana", 0.57),
    ("9909", "Kota Contoh Beringin", 0.86),
    ("9910", "Kota Contoh Cendana", 0.96),
    ("9911", "Kota Contoh Dadap", 0.82),
    ("9912", "Kota Contoh Gambir", 0.58),
    ("9913", "Kota Contoh Halia", 0.84),
]

# Regions at or above this level model a fully compliant region: every indicator is met
# (including the tobacco-advertising ban), so the KLA tier's gate can hold.
FULL = 0.95

CHECKLISTS: dict[str, tuple[str, ...]] = {
    "penguatan_kelembagaan": (
        "gugus_tugas",
        "rad_kla",
        "anggaran",
        "profil_anak",
        "sdm_kha",
        "kelana_dekela",
    ),
    "keterlibatan": ("lembaga_masyarakat", "dunia_usaha", "media_massa", "apsai", "suara_anak"),
    "pk_kekerasan": ("regulasi", "anggaran", "layanan", "rujukan", "pencatatan", "sdm_terlatih"),
    "pk_napza": ("regulasi", "anggaran", "layanan", "rujukan", "pencatatan", "sdm_terlatih"),
    "pk_disabilitas": ("regulasi", "anggaran", "layanan", "rujukan", "pencatatan", "sdm_terlatih"),
    "pk_abh": ("regulasi", "anggaran", "layanan", "rujukan", "pencatatan", "sdm_terlatih"),
}

# Cells left empty on purpose: (region code, column).
MISSING: set[tuple[str, str]] = {
    ("9915", "perkawinan_anak"),  # zero: indicator 7 scores 0
    ("9944", "prevalensi_stunting"),  # zero: indicator 13 scores 0
    ("9908", "lksa_terstandar"),  # zero: scores as 'tidak'
    ("9919", "ila"),  # zero: no evidence uploaded
    ("9923", "pmba"),  # zero
    ("9948", "penguatan_kelembagaan.anggaran"),  # zero: one checklist item unanswered
}


def _level(rng: random.Random, quality: float, spread: float) -> float:
    """The region's quality with noise, kept within 0..1."""
    return min(1.0, max(0.0, rng.gauss(quality, spread)))


def _percent(low: float, high: float, level: float) -> float:
    return round(low + (high - low) * level, 2)


def _pick(choices: tuple[str, ...], level: float) -> str:
    return choices[min(len(choices) - 1, int(level * len(choices)))]


def make_row(rng: random.Random, code: str, name: str, quality: float) -> dict[str, str]:
    """One region's inputs as CSV text."""
    full = quality >= FULL
    spread = 0.06 if full else 0.12
    lvl = lambda: _level(rng, quality, spread)  # noqa: E731  # a fresh draw per input
    row: dict[str, object] = {"kode_kabkota": code, "nama_kabkota": name}
    row["perda_kla"] = (
        "perda" if full else _pick(("belum_ada", "rancangan", "perkada", "perda"), lvl())
    )
    for checklist, items in CHECKLISTS.items():
        for index, item in enumerate(items):
            # Item k is in place when the region's level passes k's share of the list; the
            # checklist's first items (regulation, task force) come before the later ones.
            needed = (index + 0.5) / (len(items) + 0.5) if not full else 0.8 * index / len(items)
            row[f"{checklist}.{item}"] = "ya" if lvl() >= needed else "tidak"
    row["akta_kelahiran"] = _percent(55, 100, lvl())
    row["ila"] = round(8 * lvl())
    row["forum_anak"] = (
        "desa" if full else _pick(("tidak_ada", "kabupaten", "kecamatan", "desa"), lvl())
    )
    row["perkawinan_anak"] = _percent(18, 1, lvl())  # lower is better
    row["puspaga"] = _pick(("tidak_ada", "ada", "terstandar"), lvl())
    row["lksa_terstandar"] = "ya" if full or lvl() >= 0.5 else "tidak"  # noqa: PLR2004
    row["paud_hi"] = _percent(5, 100, lvl())
    row["rbra"] = round(14 * lvl())
    row["persalinan_faskes"] = _percent(70, 100, lvl())
    row["prevalensi_stunting"] = _percent(35, 6, lvl())  # lower is better
    row["pmba"] = _percent(20, 90, lvl())
    row["puskesmas_ramah_anak"] = _percent(0, 100, lvl())
    row["air_sanitasi"] = _percent(50, 100, lvl())
    row["ktr"] = "bebas_iklan" if full else _pick(("tidak_ada", "ditetapkan", "ditegakkan"), lvl())
    row["wajib_belajar"] = _percent(50, 100, lvl())
    row["sra"] = _percent(0, 100, lvl())
    row["pka"] = round(3 * lvl())
    for checklist in ("pk_kekerasan", "pk_napza", "pk_disabilitas", "pk_abh"):
        row[f"{checklist}_terlayani"] = _percent(40, 100, lvl())
    for region, column in MISSING:
        if region == code:
            row[column] = ""
    return {key: str(value) for key, value in row.items()}


def main() -> None:
    """Write the CSV next to this script."""
    rng = random.Random(SEED)
    rows = [make_row(rng, code, name, quality) for code, name, quality in REGIONS]
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} synthetic regions to {OUT}")


if __name__ == "__main__":
    main()
