"""The rules of rulesets/kla/2025.ikr as a plain Python function of ONE region.

The per-row baseline: what a developer would write by hand for a web form or a loop over
database rows, with no library. It translates the ruleset to Python scalars, with the
constants of kla_numpy.py (the reference hand translation): a region is a dict of input →
float, str or None (None = missing; checklist items are separate keys ``input.item`` holding 1/0),
the same default parameters, the same missing-data policies, the same decimal tolerance at
the edges (a value within 5e-10 of an edge counts as on it) and the same half-up rounding of
the total to 2 places. `evaluate` returns the total and the tier code (0 below Pratama,
1 Pratama … 5 KLA). `rows` turns a benchmark table (dict of arrays) into such dicts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from kla_numpy import CHECKLISTS, GROUP_MAXIMA, TIER_EDGES, TOTAL_MAXIMA

__all__ = ["Region", "evaluate", "rows"]

Region = Mapping[str, Any]

EPS = 5e-10  # half of the 1e-9 quantum: the ruleset language's decimal tolerance
PERDA = {"belum_ada": 0.0, "rancangan": 20.0, "perkada": 40.0, "perda": 60.0}
FORUM = {"tidak_ada": 0.0, "kabupaten": 15.0, "kecamatan": 30.0, "desa": 40.0}
PUSPAGA = {"tidak_ada": 0.0, "ada": 20.0, "terstandar": 30.0}
KTR = {
    "tidak_ada": 0.0,
    "proses": 0.0,
    "ditetapkan": 10.0,
    "ditegakkan": 20.0,
    "bebas_iklan": 30.0,
}


def rows(table: Mapping[str, npt.NDArray[Any]]) -> list[dict[str, Any]]:
    """One dict of Python scalars per region; NaN and None become None."""
    columns = {name: np.asarray(values).tolist() for name, values in table.items()}
    names = list(columns)
    return [
        {name: None if _missing(value) else value for name, value in pairs}
        for pairs in (zip(names, row, strict=True) for row in zip(*columns.values(), strict=True))
    ]


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _ge(x: float | None, threshold: float) -> bool:
    return x is not None and x - threshold > -EPS


def _le(x: float | None, threshold: float) -> bool:
    return x is not None and x - threshold < EPS


def _bands_up(x: float | None, edges: Sequence[float], points: Sequence[float]) -> float | None:
    """[e0, e1) [e1, e2) ...: an edge value belongs to the band above it."""
    if x is None:
        return None
    index = 0
    for edge in edges:
        if x - edge > -EPS:
            index += 1
    return points[index]


def _bands_down(x: float | None, edges: Sequence[float], points: Sequence[float]) -> float | None:
    """[.., e0] (e0, e1] ...: an edge value belongs to the band below it."""
    if x is None:
        return None
    index = 0
    for edge in edges:
        if x - edge > EPS:
            index += 1
    return points[index]


def _linear(x: float | None, start: float, stop: float, low: float, high: float) -> float | None:
    if x is None:
        return None
    share = min(max((x - start) / (stop - start), 0.0), 1.0)
    return low + share * (high - low)


def _option(points: Mapping[str, float], value: str | None) -> float:
    """Points of an option; an empty one scores 0 (every option input is `missing zero`)."""
    return 0.0 if value is None else points[value]


def _zero(points: float | None) -> float:
    """`missing zero`: a missing value scores 0."""
    return 0.0 if points is None else points


def _count(region: Region, name: str) -> float:
    """Items met; an empty item is not met (every checklist is `missing zero`)."""
    return float(sum(1 for item in CHECKLISTS[name] if region.get(f"{name}.{item}")))


def _sum_group(points: Sequence[float | None], maxima: Sequence[float]) -> float | None:
    """A sum group; excluded (None) members renormalise the rest to the full maximum."""
    full = float(sum(maxima))
    total = present = 0.0
    for value, maximum in zip(points, maxima, strict=True):
        if value is not None:
            total += value
            present += maximum
    if present == 0:
        return None
    return total if present == full else total / present * full


def _round_half_up(value: float, places: int) -> float:
    scale = 10.0**places
    scaled = round(value * scale * 10.0 ** (9 - places)) / 10.0 ** (9 - places)  # as np.round
    return math.copysign(math.floor(abs(scaled) + 0.5), scaled) / scale + 0.0


def evaluate(region: Region) -> tuple[float, int]:
    """Total score and tier code of one region."""
    g = region.get
    perda, forum, puspaga, ktr = g("perda_kla"), g("forum_anak"), g("puspaga"), g("ktr")

    # Kelembagaan: 200 points
    i01 = _option(PERDA, perda)
    kelembagaan = _count(region, "penguatan_kelembagaan")
    keterlibatan = _count(region, "keterlibatan")
    i02, i03 = kelembagaan * 15, keterlibatan * 10

    # Klaster I: 120 points
    i04 = _zero(_bands_up(g("akta_kelahiran"), (70, 85, 95), (0, 20, 35, 50)))
    i05 = _zero(_bands_up(g("ila"), (1, 3, 6), (0, 10, 20, 30)))
    i06 = _option(FORUM, forum)

    # Klaster II: 180 points (every input `missing zero`)
    i07 = _zero(_linear(g("perkawinan_anak"), 15, 2, 0, 50))
    i08 = _option(PUSPAGA, puspaga)
    lksa = g("lksa_terstandar")
    i09 = 30.0 if lksa == 1 else 0.0
    i10 = _zero(_bands_up(g("paud_hi"), (25, 50, 75), (0, 15, 30, 40)))
    i11 = _zero(_bands_up(g("rbra"), (1, 5, 10), (0, 10, 20, 30)))

    # Klaster III: 220 points
    i12 = _zero(_bands_up(g("persalinan_faskes"), (80, 90, 95), (0, 20, 30, 40)))
    i13 = _zero(_bands_down(g("prevalensi_stunting"), (14, 20, 30), (50, 35, 15, 0)))
    i14 = _zero(_linear(g("pmba"), 20, 80, 0, 30))
    i15 = _zero(_linear(g("puskesmas_ramah_anak"), 0, 100, 0, 30))
    i16 = _zero(_bands_up(g("air_sanitasi"), (60, 75, 90), (0, 15, 30, 40)))
    i17 = _option(KTR, ktr)

    # Klaster IV: 120 points
    i18 = _zero(_bands_up(g("wajib_belajar"), (60, 75, 90), (0, 20, 35, 50)))
    i19 = _zero(_linear(g("sra"), 0, 100, 0, 40))
    i20 = _zero(_bands_up(g("pka"), (1, 2), (0, 20, 30)))

    # Klaster V: 160 points: 6 items x 4 + share served / 100 x 16
    special = []
    for name in ("pk_kekerasan", "pk_napza", "pk_disabilitas", "pk_abh"):
        items, served = _count(region, name), _zero(g(f"{name}_terlayani"))
        special.append((items * 4 + served / 100 * 16, items, served))

    members: list[list[float | None]] = [
        [i01, i02, i03],
        [i04, i05, i06],
        [i07, i08, i09, i10, i11],
    ]
    members += [[i12, i13, i14, i15, i16, i17], [i18, i19, i20]]
    members.append([points for points, _, _ in special])
    groups = [_sum_group(m, top) for m, top in zip(members, GROUP_MAXIMA, strict=True)]
    total = _round_half_up(_sum_group(groups, TOTAL_MAXIMA) or 0.0, 2)

    tier = sum(1 for edge in TIER_EDGES if total - edge > -EPS)
    if tier == len(TIER_EDGES) and not _all_met(region, kelembagaan, keterlibatan, special):
        tier -= 1
    return total, tier


def _all_met(
    region: Region,
    kelembagaan: float,
    keterlibatan: float,
    special: Sequence[tuple[float, float, float]],
) -> bool:
    """Every indicator met (the KLA tier's gate); a missing value is not met."""
    g = region.get
    kawin, lksa, gizi = g("perkawinan_anak"), g("lksa_terstandar"), g("prevalensi_stunting")
    return (
        g("perda_kla") in {"perda", "perkada"}
        and kelembagaan >= 5  # noqa: PLR2004
        and keterlibatan >= 4  # noqa: PLR2004
        and _ge(g("akta_kelahiran"), 85)
        and _ge(g("ila"), 3)
        and g("forum_anak") in {"kecamatan", "desa"}
        and kawin is not None
        and _le(kawin, 8)
        and g("puspaga") in {"ada", "terstandar"}
        and lksa == 1
        and _ge(g("paud_hi"), 50)
        and _ge(g("rbra"), 5)
        and _ge(g("persalinan_faskes"), 90)
        and _le(gizi, 20)
        and _ge(g("pmba"), 50)
        and _ge(g("puskesmas_ramah_anak"), 75)
        and _ge(g("air_sanitasi"), 75)
        and g("ktr") == "bebas_iklan"
        and _ge(g("wajib_belajar"), 75)
        and _ge(g("sra"), 50)
        and _ge(g("pka"), 1)
        and all(items >= 5 and _ge(served, 90) for _, items, served in special)  # noqa: PLR2004
    )
