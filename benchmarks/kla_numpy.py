"""The rules of rulesets/kla/2025.ikr written by hand in vectorised numpy: the benchmark baseline.

Same inputs as the ruleset (a dict of arrays: numbers and yes/no as float64 with NaN for a
missing value, option inputs as object arrays of strings with None for a missing value,
checklists as one 0/1 column per item named ``input.item``), same default parameters, same
missing-data policies and the same decimal semantics at the edges (a value within 5e-10 of an
edge counts as on it). Returns the total (rounded half-up to 2 places) and the tier codes
(0 below Pratama, 1 Pratama … 5 KLA). Any change to the ruleset's parameters must be mirrored
here; benchmarks/run.py checks that both agree before it times anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

EPS = 5e-10  # half of the 1e-9 quantum: the ruleset language's decimal tolerance

PK_ITEMS = ("regulasi", "anggaran", "layanan", "rujukan", "pencatatan", "sdm_terlatih")
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
    "pk_kekerasan": PK_ITEMS,
    "pk_napza": PK_ITEMS,
    "pk_disabilitas": PK_ITEMS,
    "pk_abh": PK_ITEMS,
}
OPTIONS: dict[str, tuple[str, ...]] = {
    "perda_kla": ("belum_ada", "rancangan", "perkada", "perda"),
    "forum_anak": ("tidak_ada", "kabupaten", "kecamatan", "desa"),
    "puspaga": ("tidak_ada", "ada", "terstandar"),
    "ktr": ("belum_ada", "regulasi", "ditegakkan", "bebas_iklan"),
}
# Maximum points of each group's indicators, in order, and of each group in the total.
GROUP_MAXIMA: tuple[tuple[int, ...], ...] = ((60, 90, 50), (50, 30, 40), (50, 30, 30, 40, 30))
GROUP_MAXIMA += ((40, 50, 30, 30, 40, 30), (50, 40, 30), (40, 40, 40, 40))
TOTAL_MAXIMA = (200, 120, 180, 220, 120, 160)
TIER_EDGES = (500.0, 601.0, 701.0, 801.0, 901.0)  # lower ends of Pratama … KLA, half-open


def _ge(x: Array, threshold: float) -> npt.NDArray[np.bool_]:
    """x >= threshold with the decimal tolerance; False where x is missing."""
    return x - threshold > -EPS


def _le(x: Array, threshold: float) -> npt.NDArray[np.bool_]:
    return x - threshold < EPS


def _bands_up(x: Array, edges: Sequence[float], points: Sequence[float]) -> Array:
    """Rows [e0, e1) [e1, e2) ...: an edge value belongs to the band above it."""
    index = np.searchsorted(np.asarray(edges) - EPS, x, side="left")
    return np.where(np.isnan(x), np.nan, np.asarray(points, dtype=np.float64)[index])


def _bands_down(x: Array, edges: Sequence[float], points: Sequence[float]) -> Array:
    """Rows [.., e0] (e0, e1] ...: an edge value belongs to the band below it."""
    index = np.searchsorted(np.asarray(edges) + EPS, x, side="left")
    return np.where(np.isnan(x), np.nan, np.asarray(points, dtype=np.float64)[index])


def _linear(x: Array, start: float, stop: float, low: float, high: float) -> Array:
    share = np.clip((x - start) / (stop - start), 0.0, 1.0)
    return low + share * (high - low)


def _options(values: npt.NDArray[np.object_], points: Mapping[str, float]) -> Array:
    """Points per option string; NaN where the value is missing (None)."""
    out = np.full(len(values), np.nan)
    for choice, score in points.items():
        out[values == choice] = score
    return out


def _checklist(table: Mapping[str, npt.NDArray[np.generic]], name: str) -> Array:
    """Items met; an empty item is not met (every checklist is `missing zero`)."""
    total = np.zeros(len(next(iter(table.values()))))
    for item in CHECKLISTS[name]:
        total += np.nan_to_num(np.asarray(table[f"{name}.{item}"], dtype=np.float64), nan=0.0)
    return total


def _zero(points: Array) -> Array:
    """`missing zero`: a missing value scores 0."""
    return np.where(np.isnan(points), 0.0, points)


def _sum_group(points: Sequence[Array], maxima: Sequence[float]) -> Array:
    """A sum group; excluded (NaN) members renormalise the rest to the full maximum."""
    full = float(sum(maxima))
    total = np.zeros(len(points[0]))
    present = np.zeros(len(points[0]))
    for value, maximum in zip(points, maxima, strict=True):
        here = ~np.isnan(value)
        total += np.where(here, value, 0.0)
        present += np.where(here, maximum, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        result = np.where(present == full, total, total / present * full)
    return np.where(present == 0, np.nan, result)


def _round_half_up(values: Array, places: int) -> Array:
    scale = 10.0**places
    scaled = np.round(values * scale, 9 - places)  # drop float noise first, as the language does
    return np.copysign(np.floor(np.abs(scaled) + 0.5), scaled) / scale + 0.0


def evaluate(table: Mapping[str, npt.NDArray[np.generic]]) -> tuple[Array, npt.NDArray[np.int8]]:
    """Total score and tier code of every region."""
    f: dict[str, Array] = {
        k: np.asarray(v, dtype=np.float64)
        for k, v in table.items()
        if k not in OPTIONS and np.asarray(v).dtype.kind == "f"
    }
    o: dict[str, npt.NDArray[np.object_]] = {k: np.asarray(table[k], dtype=object) for k in OPTIONS}

    # Kelembagaan: 200 points
    i01 = _zero(
        _options(o["perda_kla"], {"belum_ada": 0, "rancangan": 20, "perkada": 40, "perda": 60})
    )
    kelembagaan = _checklist(table, "penguatan_kelembagaan")
    i02 = _zero(kelembagaan * 15)
    keterlibatan = _checklist(table, "keterlibatan")
    i03 = _zero(keterlibatan * 10)

    # Klaster I: 120 points
    i04 = _zero(_bands_up(f["akta_kelahiran"], (70, 85, 95), (0, 20, 35, 50)))
    i05 = _zero(_bands_up(f["ila"], (1, 3, 6), (0, 10, 20, 30)))
    i06 = _zero(
        _options(o["forum_anak"], {"tidak_ada": 0, "kabupaten": 15, "kecamatan": 30, "desa": 40})
    )

    # Klaster II: 180 points (every input `missing zero`)
    i07 = _zero(_linear(f["perkawinan_anak"], 15, 2, 0, 50))
    i08 = _zero(_options(o["puspaga"], {"tidak_ada": 0, "ada": 20, "terstandar": 30}))
    lksa = f["lksa_terstandar"]
    i09 = np.where(lksa == 1.0, 30.0, 0.0)
    i10 = _zero(_bands_up(f["paud_hi"], (25, 50, 75), (0, 15, 30, 40)))
    i11 = _zero(_bands_up(f["rbra"], (1, 5, 10), (0, 10, 20, 30)))

    # Klaster III: 220 points
    i12 = _zero(_bands_up(f["persalinan_faskes"], (80, 90, 95), (0, 20, 30, 40)))
    i13 = _zero(_bands_down(f["prevalensi_gizi"], (14, 20, 30), (50, 35, 15, 0)))
    i14 = _zero(_linear(f["pmba"], 20, 80, 0, 30))
    i15 = _zero(_linear(f["puskesmas_ramah_anak"], 0, 100, 0, 30))
    i16 = _zero(_bands_up(f["air_sanitasi"], (60, 75, 90), (0, 15, 30, 40)))
    i17 = _zero(
        _options(o["ktr"], {"belum_ada": 0, "regulasi": 10, "ditegakkan": 20, "bebas_iklan": 30})
    )

    # Klaster IV: 120 points
    i18 = _zero(_bands_up(f["wajib_belajar"], (60, 75, 90), (0, 20, 35, 50)))
    i19 = _zero(_linear(f["sra"], 0, 100, 0, 40))
    i20 = _zero(_bands_up(f["pka"], (1, 2), (0, 20, 30)))

    # Klaster V: 160 points: 6 items x 4 + share served / 100 x 16
    special = {}
    for name in ("pk_kekerasan", "pk_napza", "pk_disabilitas", "pk_abh"):
        items = _checklist(table, name)
        served = _zero(f[f"{name}_terlayani"])  # value_or(served, 0 %)
        special[name] = (items * 4 + served / 100 * 16, items, served)

    members = [[i01, i02, i03], [i04, i05, i06], [i07, i08, i09, i10, i11]]
    members += [[i12, i13, i14, i15, i16, i17], [i18, i19, i20]]
    members.append([points for points, _, _ in special.values()])
    groups = [_sum_group(m, top) for m, top in zip(members, GROUP_MAXIMA, strict=True)]
    total = _round_half_up(_sum_group(groups, TOTAL_MAXIMA), 2)

    # Every indicator met (the KLA tier's gate); a missing value is not met.
    perda, forum, puspaga = o["perda_kla"], o["forum_anak"], o["puspaga"]
    met = [
        (perda == "perda") | (perda == "perkada"),
        _ge(kelembagaan, 5),
        _ge(keterlibatan, 4),
        _ge(f["akta_kelahiran"], 85),
        _ge(f["ila"], 3),
        (forum == "kecamatan") | (forum == "desa"),
        _le(f["perkawinan_anak"], 8),
        (puspaga == "ada") | (puspaga == "terstandar"),  # puspaga != "tidak_ada", not missing
        _ge(i09, 30),
        _ge(f["paud_hi"], 50),
        _ge(f["rbra"], 5),
        _ge(f["persalinan_faskes"], 90),
        _le(f["prevalensi_gizi"], 20),
        _ge(f["pmba"], 50),
        _ge(f["puskesmas_ramah_anak"], 75),
        _ge(f["air_sanitasi"], 75),
        o["ktr"] == "bebas_iklan",
        _ge(f["wajib_belajar"], 75),
        _ge(f["sra"], 50),
        _ge(f["pka"], 1),
    ]
    met += [_ge(items, 5) & _ge(served, 90) for _, items, served in special.values()]
    all_met = np.logical_and.reduce(met)

    tier = np.searchsorted(np.asarray(TIER_EDGES) - EPS, total, side="left")
    tier = np.where((tier == len(TIER_EDGES)) & ~all_met, len(TIER_EDGES) - 1, tier)
    return total, tier.astype(np.int8)
