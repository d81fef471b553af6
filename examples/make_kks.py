"""Generate the SYNTHETIC example data for the KKS rulesets (standard library only).

    python examples/make_kks.py

writes `examples/kks_2025.csv` (30 regencies/cities, for `rulesets/kks/2025.ikr`) and
`examples/kks_2021.csv` (10 regencies/cities, for `rulesets/kks/2021.ikr`). The region codes
and names are real BPS codes; every other value is invented and says nothing about any
region's real KKS assessment. A fixed seed makes the files reproducible byte for byte.

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
NO_STUNTING_PREV = {"stunting": "19.4", "stunting.prev": ""}

# code, name, province, quality q, ODF %, SK Tim Pembina, SK Forum, cells to blank or override
REGIONS_2025: list[tuple[str, str, str, float, float, str, str, dict[str, str]]] = [
    # Kalimantan Timur: all 10 regencies/cities (the Kaltim scene)
    ("6401", "Kab. Paser", "Kalimantan Timur", 84, 93.5, "ya", "ya", {}),
    # no tourism data: tatanan 6 drops out of the mean
    ("6402", "Kab. Kutai Barat", "Kalimantan Timur", 76, 86.2, "ya", "ya", NO_TOURISM),
    ("6403", "Kab. Kutai Kartanegara", "Kalimantan Timur", 88, 97.4, "ya", "ya", {}),
    ("6404", "Kab. Kutai Timur", "Kalimantan Timur", 66, 81.0, "ya", "ya", {}),
    ("6405", "Kab. Berau", "Kalimantan Timur", 80, 91.8, "ya", "ya", {}),
    # no Forum SK
    ("6409", "Kab. Penajam Paser Utara", "Kalimantan Timur", 86, 82.7, "ya", "tidak", {}),
    ("6411", "Kab. Mahakam Ulu", "Kalimantan Timur", 84, 88.5, "ya", "", {}),  # Forum SK missing
    ("6471", "Kota Balikpapan", "Kalimantan Timur", 96, 100, "ya", "ya", {}),
    ("6472", "Kota Samarinda", "Kalimantan Timur", 95, 96.3, "ya", "ya", {}),  # ODF caps Wistara
    ("6474", "Kota Bontang", "Kalimantan Timur", 93, 100, "ya", "ya", {}),
    # Kepulauan Riau
    ("2101", "Kab. Karimun", "Kepulauan Riau", 78, 88.4, "ya", "ya", {}),
    # the Bintan scene: ODF 49 % against a target of 80 %
    ("2102", "Kab. Bintan", "Kepulauan Riau", 82, 49.0, "ya", "ya", {}),
    ("2103", "Kab. Natuna", "Kepulauan Riau", 70, 84.0, "ya", "ya", {"industri_k3": ""}),
    ("2104", "Kab. Lingga", "Kepulauan Riau", 76, 81.3, "tidak", "ya", {}),  # no Tim Pembina SK
    # no industry and JKN coverage not reported: both empty (missing zero)
    ("2105", "Kab. Kepulauan Anambas", "Kepulauan Riau", 74, 80.0, "ya", "ya", NO_K3_NO_JKN),
    ("2171", "Kota Batam", "Kepulauan Riau", 90, 94.0, "ya", "ya", {}),
    # last year's stunting not reported, this year's above the target
    ("2172", "Kota Tanjung Pinang", "Kepulauan Riau", 85, 100, "ya", "ya", NO_STUNTING_PREV),
    # Jawa Barat
    ("3201", "Kab. Bogor", "Jawa Barat", 81, 89.9, "ya", "ya", {}),  # Wiwerda score, ODF just short
    ("3204", "Kab. Bandung", "Jawa Barat", 83, 95.5, "ya", "ya", {}),
    ("3205", "Kab. Garut", "Jawa Barat", 94, 100, "ya", "ya", {}),
    ("3210", "Kab. Majalengka", "Jawa Barat", 86, 92.0, "ya", "ya", {}),
    ("3211", "Kab. Sumedang", "Jawa Barat", 77, 79.5, "ya", "ya", {}),  # Padapa score, ODF below 80
    ("3214", "Kab. Purwakarta", "Jawa Barat", 72, 90.0, "ya", "ya", {}),
    ("3217", "Kab. Bandung Barat", "Jawa Barat", 62, 76.8, "ya", "ya", {}),
    ("3271", "Kota Bogor", "Jawa Barat", 89, 100, "ya", "ya", {}),
    ("3273", "Kota Bandung", "Jawa Barat", 87, 98.0, "ya", "ya", {}),
    ("3275", "Kota Bekasi", "Jawa Barat", 79, 100, "ya", "ya", {}),
    ("3276", "Kota Depok", "Jawa Barat", 90, 100, "ya", "tidak", {}),  # no Forum SK
    ("3277", "Kota Cimahi", "Jawa Barat", 92, 100, "ya", "ya", {}),
    ("3279", "Kota Banjar", "Jawa Barat", 95, 100, "ya", "ya", {}),
]

# code, name, number of healthy tatanan k, ODF %, SK Tim Pembina, SK Forum, overrides.
# k tatanan get an achievement at or above the assumed healthy cut-off (71 %), the rest below it.
REGIONS_2021: list[tuple[str, str, int, float, str, str, dict[str, str]]] = [
    ("3201", "Kab. Bogor", 3, 78.0, "ya", "ya", {}),  # Wiwerda count, ODF caps it at Padapa
    ("3204", "Kab. Bandung", 4, 84.5, "ya", "ya", {}),
    ("3205", "Kab. Garut", 6, 100, "ya", "ya", {}),
    ("3210", "Kab. Majalengka", 4, 81.0, "ya", "ya", {"capaian_pariwisata": ""}),  # not run
    ("3211", "Kab. Sumedang", 1, 64.0, "ya", "ya", {}),
    ("3271", "Kota Bogor", 2, 70.0, "ya", "ya", {}),
    ("3273", "Kota Bandung", 7, 92.0, "ya", "ya", {}),  # Wistara count, ODF caps it
    ("3277", "Kota Cimahi", 5, 100, "ya", "ya", {}),
    ("3279", "Kota Banjar", 5, 100, "ya", "tidak", {}),  # no Forum SK
    ("6472", "Kota Samarinda", 4, 58.0, "ya", "ya", {}),  # ODF below the 60 % floor
    ("2102", "Kab. Bintan", 0, 49.0, "ya", "ya", {}),
]
HEALTHY_CUT_OFF = 71.0  # `ambang_sehat` in rulesets/kks/2021.ikr (ASSUMED there)

OPTION_LEVELS = ["tidak_ada", "proses", "ditetapkan", "dilaksanakan"]


def _pct(rng: random.Random, q: float, spread: float = 8.0) -> float:
    return round(min(100.0, max(0.0, rng.gauss(q, spread))), 1)


OPTION_CUTS = (45.0, 65.0, 85.0)  # a draw below 45 -> "tidak_ada", below 65 -> "proses", ...
YES_FROM = 70.0  # a yes/no item is "ya" when the draw reaches this


def _option(rng: random.Random, q: float) -> str:
    x = rng.gauss(q, 10.0)
    return OPTION_LEVELS[sum(x >= cut for cut in OPTION_CUTS)]


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
            "stunting": stunting,
            "stunting.prev": stunting_prev,
            "kematian_ibu": str(deaths),
            "kematian_ibu.prev": str(deaths_prev),
            "tbc": tbc,
            "tbc.prev": tbc_prev,
            "air_minum": f"{_pct(rng, q + 5):g}",
            "tempat_ibadah": f"{_pct(rng, q):g}",
            "sekolah_uks": f"{_pct(rng, q + 3):g}",
            "kantin_sehat": f"{_pct(rng, q - 4):g}",
            "pasar_sehat": f"{_pct(rng, q - 6):g}",
            "pangan_pasar_aman": f"{_pct(rng, q + 2):g}",
            "regulasi_ktr": _option(rng, q),
            "industri_k3": f"{_pct(rng, q - 3):g}",
            "destinasi_sehat": f"{_pct(rng, q - 2):g}",
            "usaha_pangan_laik": f"{_pct(rng, q):g}",
            "uji_berkala": f"{_pct(rng, q - 5):g}",
            "terminal_sehat": _yes(rng, q),
            "kepesertaan_jkn": f"{_pct(rng, q + 8, 5):g}",
            "dtks_mutakhir": _yes(rng, q),
            "kajian_risiko": _option(rng, q),
            "peringatan_dini": _yes(rng, q),
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
