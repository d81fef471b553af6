"""Generate the SYNTHETIC example data for the KKS rulesets (standard library only).

    python examples/make_kks.py

writes `examples/kks_2025.csv` (30 regencies/cities, for `rulesets/kks/2025.ikr`) and
`examples/kks_2021.csv` (10 regencies/cities, for `rulesets/kks/2021.ikr`). The regions are
fictional (invented "Contoh ..." names, codes starting 99, which BPS does not use); every
value is invented and says nothing about any region's real KKS assessment. A fixed seed
makes the files reproducible byte for byte.

Each region gets a quality level `q` (roughly its overall achievement in %), an ODF share and
its two decrees; item values are drawn around `q`. A few profiles are set by hand so that
every level occurs and some gates bite (see examples/README.md).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 2025

NO_TOURISM = {"destinasi_sehat": "", "usaha_pangan_laik": ""}
NO_K3_NO_JKN = {"industri_k3": "", "kepesertaan_jkn": ""}
NO_STUNTING_PREV = {"prevalensi_stunting": "19.4", "prevalensi_stunting.prev": ""}

# code, name, province, quality q, ODF %, SK Tim Pembina, SK Forum, cells to blank or override
REGIONS_2025: list[tuple[str, str, str, float, float, str, str, dict[str, str]]] = [
    # Contoh Timur: all 10 regencies/cities (the Kaltim scene)
    ("9953", "Kab. Contoh Rambai", "Contoh Timur", 84, 93.5, "ya", "ya", {}),
    # no tourism data: both tatanan 6 items empty, so tatanan 6 scores 0 (missing zero)
    ("9954", "Kab. Contoh Bintaro", "Contoh Timur", 76, 86.2, "ya", "ya", NO_TOURISM),
    ("9955", "Kab. Contoh Cempaka", "Contoh Timur", 88, 97.4, "ya", "ya", {}),
    ("9956", "Kab. Contoh Kesumba", "Contoh Timur", 66, 81.0, "ya", "ya", {}),
    ("9957", "Kab. Contoh Lamtoro", "Contoh Timur", 80, 91.8, "ya", "ya", {}),
    # no Forum SK
    ("9958", "Kab. Contoh Mindi", "Contoh Timur", 86, 82.7, "ya", "tidak", {}),
    ("9959", "Kab. Contoh Kepuh", "Contoh Timur", 84, 88.5, "ya", "", {}),  # Forum SK missing
    ("9960", "Kota Contoh Soka", "Contoh Timur", 96, 100, "ya", "ya", {}),
    ("9961", "Kota Contoh Kecubung", "Contoh Timur", 95, 96.3, "ya", "ya", {}),  # ODF caps Wistara
    ("9962", "Kota Contoh Seruni", "Contoh Timur", 93, 100, "ya", "ya", {}),
    # Contoh Kepulauan
    ("9901", "Kab. Contoh Anggrek", "Contoh Kepulauan", 78, 88.4, "ya", "ya", {}),
    # an ODF share far below the Padapa floor (49 % against the item's 80 % target)
    ("9902", "Kab. Contoh Bakau", "Contoh Kepulauan", 82, 49.0, "ya", "ya", {}),
    ("9903", "Kab. Contoh Cemara", "Contoh Kepulauan", 70, 84.0, "ya", "ya", {"industri_k3": ""}),
    # no Tim Pembina SK
    ("9904", "Kab. Contoh Damar", "Contoh Kepulauan", 76, 81.3, "tidak", "ya", {}),
    # no industry and JKN coverage not reported: both empty (missing zero)
    ("9905", "Kab. Contoh Eboni", "Contoh Kepulauan", 74, 80.0, "ya", "ya", NO_K3_NO_JKN),
    ("9906", "Kota Contoh Flamboyan", "Contoh Kepulauan", 90, 94.0, "ya", "ya", {}),
    # last year's stunting not reported, this year's above the target
    ("9907", "Kota Contoh Gaharu", "Contoh Kepulauan", 85, 100, "ya", "ya", NO_STUNTING_PREV),
    # Contoh Barat
    # Wiwerda score, ODF just short
    ("9914", "Kab. Contoh Ilalang", "Contoh Barat", 81, 89.9, "ya", "ya", {}),
    ("9917", "Kab. Contoh Mahoni", "Contoh Barat", 83, 95.5, "ya", "ya", {}),
    ("9918", "Kab. Contoh Nipah", "Contoh Barat", 94, 100, "ya", "ya", {}),
    ("9921", "Kab. Contoh Sagu", "Contoh Barat", 86, 92.0, "ya", "ya", {}),
    # Padapa score, ODF below 80
    ("9922", "Kab. Contoh Tembesu", "Contoh Barat", 77, 79.5, "ya", "ya", {}),
    ("9924", "Kab. Contoh Waru", "Contoh Barat", 72, 90.0, "ya", "ya", {}),
    ("9927", "Kab. Contoh Cengkeh", "Contoh Barat", 62, 76.8, "ya", "ya", {}),
    ("9928", "Kota Contoh Durian", "Contoh Barat", 89, 100, "ya", "ya", {}),
    ("9929", "Kota Contoh Gelam", "Contoh Barat", 87, 98.0, "ya", "ya", {}),
    ("9930", "Kota Contoh Jarak", "Contoh Barat", 79, 100, "ya", "ya", {}),
    ("9931", "Kota Contoh Kapuk", "Contoh Barat", 90, 100, "ya", "tidak", {}),  # no Forum SK
    ("9932", "Kota Contoh Kenanga", "Contoh Barat", 92, 100, "ya", "ya", {}),
    ("9933", "Kota Contoh Melati", "Contoh Barat", 95, 100, "ya", "ya", {}),
]

# code, name, number of healthy tatanan k, ODF %, SK Tim Pembina, SK Forum, overrides.
# k tatanan get an achievement at or above the assumed healthy cut-off (71 %), the rest below it.
REGIONS_2021: list[tuple[str, str, int, float, str, str, dict[str, str]]] = [
    # Wiwerda count, ODF caps it at Padapa
    ("9914", "Kab. Contoh Ilalang", 3, 78.0, "ya", "ya", {}),
    ("9917", "Kab. Contoh Mahoni", 4, 84.5, "ya", "ya", {}),
    ("9918", "Kab. Contoh Nipah", 6, 100, "ya", "ya", {}),
    ("9921", "Kab. Contoh Sagu", 4, 81.0, "ya", "ya", {"capaian_pariwisata": ""}),  # not run
    ("9922", "Kab. Contoh Tembesu", 1, 64.0, "ya", "ya", {}),
    ("9928", "Kota Contoh Durian", 2, 70.0, "ya", "ya", {}),
    ("9929", "Kota Contoh Gelam", 7, 92.0, "ya", "ya", {}),  # Wistara count, ODF caps it
    ("9932", "Kota Contoh Kenanga", 5, 100, "ya", "ya", {}),
    ("9933", "Kota Contoh Melati", 5, 100, "ya", "tidak", {}),  # no Forum SK
    ("9961", "Kota Contoh Kecubung", 4, 58.0, "ya", "ya", {}),  # ODF below the 60 % floor
    ("9902", "Kab. Contoh Bakau", 0, 49.0, "ya", "ya", {}),
]
# Swasti Saba Wistara Paripurna (2025): Wistara in the previous round, the IP SPM assessment and
# an adopted innovation. Invented: one Wistara city meets all three, one only the first.
PARIPURNA_2025 = {
    "9960": {"wistara_sebelumnya": "ya", "ip_spm_memenuhi": "ya", "inovasi_diadopsi": "ya"},
    "9962": {"wistara_sebelumnya": "ya", "ip_spm_memenuhi": "tidak", "inovasi_diadopsi": "tidak"},
}
NOT_PARIPURNA = {
    "wistara_sebelumnya": "tidak",
    "ip_spm_memenuhi": "tidak",
    "inovasi_diadopsi": "tidak",
}

HEALTHY_CUT_OFF = 71.0  # `ambang_sehat` in rulesets/kks/2021.ikr (ASSUMED there)

OPTION_LEVELS = ["tidak_ada", "proses", "ditetapkan", "dilaksanakan"]


def _pct(rng: random.Random, q: float, spread: float = 8.0) -> float:
    return round(min(100.0, max(0.0, rng.gauss(q, spread))), 1)


OPTION_CUTS = (45.0, 65.0, 85.0)  # a draw below 45 -> "tidak_ada", below 65 -> "proses", ...
YES_FROM = 70.0  # a yes/no item is "ya" when the draw reaches this


def _option(rng: random.Random, q: float) -> str:
    x = rng.gauss(q, 10.0)
    return OPTION_LEVELS[sum(x >= cut for cut in OPTION_CUTS)]


def _ktr(level: str) -> str:
    """The shared KTR ladder (rulesets/common/facts.ikr): "dilaksanakan" is its "ditegakkan"."""
    return "ditegakkan" if level == "dilaksanakan" else level


def _yes(rng: random.Random, q: float) -> str:
    return "ya" if rng.gauss(q, 12.0) >= YES_FROM else "tidak"


def _trend_item(rng: random.Random, q: float, level: float, step: float) -> tuple[str, str]:
    """A lower-is-better value and last year's value: better regions fall more often."""
    now = round(level * (1.3 - q / 200.0) + rng.uniform(-step, step), 1)
    change = rng.gauss((q - 70.0) / 10.0, 1.5) * step / 4.0  # positive: it fell since last year
    return f"{max(now, 0.0):g}", f"{max(now + change, 0.0):.1f}"


def rows_2025(rng: random.Random) -> list[dict[str, str]]:
    """The rows of kks_2025.csv."""
    rows = []
    for code, name, province, q, odf, sk_tim, sk_forum, overrides in REGIONS_2025:
        stunting, stunting_prev = _trend_item(rng, q, 18.0, 3.0)
        tbc, tbc_prev = _trend_item(rng, q, 220.0, 30.0)
        deaths = max(0, round(rng.gauss((100 - q) / 6.0, 2.0)))
        deaths_prev = max(0, deaths + round(rng.gauss((q - 70) / 10.0, 1.5)))
        row = {
            "kode_kabkota": code,
            "nama_kabkota": name,
            "provinsi": province,
            "sk_tim_pembina": sk_tim,
            "sk_forum": sk_forum,
            "odf": f"{odf:g}",
            "prevalensi_stunting": stunting,
            "prevalensi_stunting.prev": stunting_prev,
            "kematian_ibu": str(deaths),
            "kematian_ibu.prev": str(deaths_prev),
            "tbc": tbc,
            "tbc.prev": tbc_prev,
            "persen_air_minum_layak": f"{_pct(rng, q + 5):g}",
            "tempat_ibadah": f"{_pct(rng, q):g}",
            "sekolah_uks": f"{_pct(rng, q + 3):g}",
            "kantin_sehat": f"{_pct(rng, q - 4):g}",
            "pasar_sehat": f"{_pct(rng, q - 6):g}",
            "pangan_pasar_aman": f"{_pct(rng, q + 2):g}",
            "ktr": _ktr(_option(rng, q)),
            "industri_k3": f"{_pct(rng, q - 3):g}",
            "destinasi_sehat": f"{_pct(rng, q - 2):g}",
            "usaha_pangan_laik": f"{_pct(rng, q):g}",
            "uji_berkala": f"{_pct(rng, q - 5):g}",
            "terminal_sehat": _yes(rng, q),
            "kepesertaan_jkn": f"{_pct(rng, q + 8, 5):g}",
            "dtks_mutakhir": _yes(rng, q),
            "kajian_risiko": _option(rng, q),
            "peringatan_dini": _yes(rng, q),
            **PARIPURNA_2025.get(code, NOT_PARIPURNA),
        }
        row.update(overrides)
        rows.append(row)
    return rows


TATANAN_2021 = [
    "capaian_permukiman",
    "capaian_lalu_lintas",
    "capaian_industri_perkantoran",
    "capaian_pariwisata",
    "capaian_pangan_gizi",
    "capaian_masyarakat_mandiri",
    "capaian_sosial",
]


def rows_2021(rng: random.Random) -> list[dict[str, str]]:
    """The rows of kks_2021.csv."""
    rows = []
    for code, name, k, odf, sk_tim, sk_forum, overrides in REGIONS_2021:
        row = {
            "kode_kabkota": code,
            "nama_kabkota": name,
            "sk_tim_pembina": sk_tim,
            "sk_forum": sk_forum,
            "odf": f"{odf:g}",
        }
        healthy = set(rng.sample(range(len(TATANAN_2021)), k))
        for index, column in enumerate(TATANAN_2021):
            if index in healthy:
                value = rng.uniform(HEALTHY_CUT_OFF, 98.0)
            else:
                value = rng.uniform(40.0, HEALTHY_CUT_OFF - 0.1)
            row[column] = f"{round(value, 1):g}"
        row.update(overrides)
        rows.append(row)
    return rows


def write(path: Path, rows: list[dict[str, str]]) -> None:
    """Write rows as CSV (comma, LF line ends, UTF-8)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    """Write both files next to this script."""
    rng = random.Random(SEED)  # synthetic example data, not cryptography
    write(HERE / "kks_2025.csv", rows_2025(rng))
    write(HERE / "kks_2021.csv", rows_2021(rng))


if __name__ == "__main__":
    main()
