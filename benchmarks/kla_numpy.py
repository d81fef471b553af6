"""The rules of rulesets/kla/2025.ikr by hand in numpy, as fast as we can write them: the baseline.

Same inputs as the ruleset (a dict of arrays: numbers and yes/no as float64 with NaN for a
missing value, option inputs as object arrays of strings with None for a missing value,
checklists as one 0/1 column per item named ``input.item``), same default parameters, same
missing-data policies and the same decimal semantics at the edges (a value within 5e-10 of an
edge counts as on it). Returns the total (rounded half-up to 2 places) and the tier codes
(0 below Pratama, 1 Pratama … 5 KLA). Any change to the ruleset's parameters must be mirrored
here; benchmarks/run.py checks that both agree before it times anything.

How it is made fast, one thread, numpy only (each step what a careful hand would write):

* Every input is `missing zero`, so no indicator is ever left out and every group is a plain
  sum: the total is the sum of the 24 indicators' points, with no renormalisation.
* Whole-number points (bands, options, checklists, yes/no: 16 indicators and the checklist
  half of the other 4) go into one int16 accumulator, each band step or option as
  ``acc += mask * step`` (a multiply of 0/1 bytes into a uint8 buffer, then an add): a band
  table is the sum of its steps over the edges a value passes (one comparison each, with
  the edge moved by the tolerance, so NaN passes none and scores 0). Fractional points
  (4 `linear`, 4 shares served) go into one float64 accumulator, clipped with
  ``fmax``/``fmin`` (which turn NaN into the lower end, 0).
* Option inputs are matched once per choice by the address of the cell's string object
  (an object array holds addresses; a column built in memory shares a few objects), with a
  dictionary lookup for cells that are objects of their own. No string comparison per cell.
* A checklist counts its items in bytes, from ``item > 0.5`` (NaN is not met), and adds
  the count times an item's points.
* Every operation writes into a buffer allocated once per chunk (``out=``), and the regions
  go through in chunks of `CHUNK` so that the buffers stay in the processor's cache.
* The KLA tier's gate (every indicator met) is one byte mask, ANDed with each indicator's
  `met`; most of them are a band's comparison at an edge, already made for the points.
* Rounding half-up to 2 places on the decimal: ``floor(total * 100 + 0.5 + 5e-8) / 100``,
  where 5e-8 (on the scaled value) is half a unit in the 9th decimal of the total: what the
  language does by putting the value on its 9-place grid first (totals are never negative).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]

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
    "ktr": ("tidak_ada", "ditetapkan", "ditegakkan", "bebas_iklan"),  # `proses` scores as tidak_ada
}
# Maximum points of each group's indicators, in order, and of each group in the total.
GROUP_MAXIMA: tuple[tuple[int, ...], ...] = ((60, 90, 50), (50, 30, 40), (50, 30, 30, 40, 30))
GROUP_MAXIMA += ((40, 50, 30, 30, 40, 30), (50, 40, 30), (40, 40, 40, 40))
TOTAL_MAXIMA = (200, 120, 180, 220, 120, 160)
TIER_EDGES = (500.0, 601.0, 701.0, 801.0, 901.0)  # lower ends of Pratama … KLA, half-open

# Points of each option (the ruleset's `options` tables), and the options that are "met".
OPTION_POINTS: dict[str, tuple[int, ...]] = {
    "perda_kla": (0, 20, 40, 60),
    "forum_anak": (0, 15, 30, 40),
    "puspaga": (0, 20, 30),
    "ktr": (0, 10, 20, 30),
}
OPTION_MET: dict[str, tuple[str, ...]] = {
    "perda_kla": ("perkada", "perda"),
    "forum_anak": ("kecamatan", "desa"),
    "puspaga": ("ada", "terstandar"),  # puspaga != "tidak_ada", and not missing
    "ktr": ("bebas_iklan",),
}
# Band tables with their lower edges and points, `[e0, e1) -> p0 ...` (an edge value belongs
# to the band above it), and the threshold of the indicator's `met when` (input >= it).
BANDS_UP: dict[str, tuple[tuple[float, ...], tuple[int, ...], float]] = {
    "akta_kelahiran": ((70, 85, 95), (0, 20, 35, 50), 85),
    "ila": ((1, 3, 6), (0, 10, 20, 30), 3),
    "paud_hi": ((25, 50, 75), (0, 15, 30, 40), 50),
    "rbra": ((1, 5, 10), (0, 10, 20, 30), 5),
    "persalinan_faskes": ((80, 90, 95), (0, 20, 30, 40), 90),
    "air_sanitasi": ((60, 75, 90), (0, 15, 30, 40), 75),
    "wajib_belajar": ((60, 75, 90), (0, 20, 35, 50), 75),
    "pka": ((1, 2), (0, 20, 30), 1),
}
# prevalensi_stunting: [0, 14] -> 50, (14, 20] -> 35, (20, 30] -> 15, (30, 100] -> 0; met <= 20.
GIZI_EDGES, GIZI_POINTS, GIZI_MET = (14.0, 20.0, 30.0), (50, 35, 15, 0), 20.0
# `linear x from a to b onto 0 to w`, and the `met when` of each: (input, a, b, w, >= or <=, m).
LINEAR: tuple[tuple[str, float, float, float, str, float], ...] = (
    ("perkawinan_anak", 15, 2, 50, "<=", 8),
    ("pmba", 20, 80, 30, ">=", 50),
    ("puskesmas_ramah_anak", 0, 100, 30, ">=", 75),
    ("sra", 0, 100, 40, ">=", 50),
)
# Each band indicator's `met` threshold is one of its edges (its comparison is reused).
assert all(met in edges for edges, _, met in BANDS_UP.values())  # noqa: S101
assert GIZI_MET in GIZI_EDGES  # noqa: S101
# The same tables as the points added at each edge passed (a band table is their sum).
STEPS = {name: [b - a for a, b in itertools.pairwise(p)] for name, (_, p, _) in BANDS_UP.items()}
GIZI_STEPS = [a - b for a, b in itertools.pairwise(GIZI_POINTS)]  # at 14, 20, 30 (<=)
ITEM_POINTS = {"penguatan_kelembagaan": 15, "keterlibatan": 10}  # points per item
ITEM_MET = {"penguatan_kelembagaan": 5, "keterlibatan": 4}  # items for `met`
SPECIAL = ("pk_kekerasan", "pk_napza", "pk_disabilitas", "pk_abh")
PK_ITEM, PK_SERVED, PK_ITEM_MET, PK_SERVED_MET = 4, 16 / 100, 5, 90.0
LKSA_POINTS = 30

# Regions evaluated at a time: the buffers of one chunk stay in the processor's cache (the
# fastest of 2^12 … 2^20 here, measured at 10^6 regions).
CHUNK = 2**16
# Option columns: a sample of this many cells tells whether a column shares a few objects.
SAMPLE, FEW_OBJECTS = 256, 32


Known = list[tuple[int, int]]  # (address of an object, its option code; -1: missing, unknown)


def shared_objects(values: npt.NDArray[Any], choices: Sequence[str]) -> Known | None:
    """The few objects the first cells of a column share, with their codes; None if not.

    An object array holds the addresses of its objects; two live objects never share an
    address, so comparing addresses (integers, in numpy's loops) compares identities. The
    objects stay alive while the column does.
    """
    if values.dtype != object:
        return None
    sample = np.ascontiguousarray(values[:SAMPLE])
    distinct, first = np.unique(np.frombuffer(sample, dtype=np.intp), return_index=True)
    if len(distinct) > FEW_OBJECTS:
        return None
    index = {choice: code for code, choice in enumerate(choices)}
    cells = sample[first].tolist()
    return [
        (address, index.get(cell, -1) if isinstance(cell, str) else -1)
        for address, cell in zip(distinct.tolist(), cells, strict=True)
    ]


def option_masks(
    values: npt.NDArray[Any], choices: Sequence[str], known: Known | None
) -> list[Mask]:
    """One mask per choice: the cells holding it (a missing or unknown cell is in none).

    Cells that are one of the `known` shared objects are matched by address: one integer
    comparison per object. Any other cell takes a dictionary lookup.
    """
    size = len(values)
    masks = [np.zeros(size, dtype=bool) for _ in choices]
    if known is None:
        return _looked_up(values, choices, masks, np.arange(size))
    addresses = np.frombuffer(np.ascontiguousarray(values), dtype=np.intp)
    found = np.zeros(size, dtype=bool)
    scratch = np.empty(size, dtype=bool)
    for address, code in known:
        np.equal(addresses, address, out=scratch)
        np.logical_or(found, scratch, out=found)
        if code >= 0:
            np.logical_or(masks[code], scratch, out=masks[code])
    if found.all():
        return masks
    return _looked_up(values, choices, masks, np.flatnonzero(~found))


def _looked_up(
    values: npt.NDArray[Any], choices: Sequence[str], masks: list[Mask], rows: npt.NDArray[Any]
) -> list[Mask]:
    """Set the masks of `rows` by one dictionary lookup per cell (-1: missing or unknown)."""
    index = {choice: code for code, choice in enumerate(choices)}
    codes = np.fromiter(
        (index.get(cell, -1) if isinstance(cell, str) else -1 for cell in values[rows].tolist()),
        dtype=np.intp,
        count=len(rows),
    )
    for code, mask in enumerate(masks):
        mask[rows[codes == code]] = True
    return masks


def _add_where(
    points: npt.NDArray[np.int16], where: Mask, step: int, scratch: npt.NDArray[np.uint8]
) -> None:
    """points += step where `where` (0 < step < 256): a multiply of 0/1 bytes and an add.

    Measured at 10^6: 0.16 ms, where ``np.add(..., where=mask)`` takes 6 ms on a mask
    of random cells (its branch mispredicts).
    """
    np.multiply(where.view(np.uint8), step, out=scratch, casting="unsafe")
    np.add(points, scratch, out=points)


def evaluate(
    table: Mapping[str, npt.NDArray[Any]], chunk: int = CHUNK
) -> tuple[Array, npt.NDArray[np.int8]]:
    """Total score and tier code of every region, `chunk` regions at a time."""
    columns = {name: np.asarray(values) for name, values in table.items()}
    size = len(columns["ila"])
    total = np.empty(size)
    tier = np.empty(size, dtype=np.int8)
    known = {name: shared_objects(columns[name], choices) for name, choices in OPTIONS.items()}
    for start in range(0, size, chunk):
        stop = min(start + chunk, size)
        part = {name: values[start:stop] for name, values in columns.items()}
        _evaluate(part, known, total[start:stop], tier[start:stop])
    return total, tier


def _evaluate(
    column: Mapping[str, npt.NDArray[Any]],
    known: Mapping[str, Known | None],
    total: Array,
    tier: npt.NDArray[np.int8],
) -> None:
    """Total and tier of the regions of `column`, into `total` and `tier`."""
    size = len(total)
    points = np.zeros(size, dtype=np.int16)  # whole-number points, 0 to 1000
    fraction = np.empty(size)  # linear points and shares served
    met = np.ones(size, dtype=bool)  # every indicator met so far (the KLA tier's gate)
    passed = np.empty(size, dtype=bool)
    held = np.empty(size, dtype=bool)
    count = np.empty(size, dtype=np.uint8)
    scratch = np.empty(size, dtype=np.uint8)
    work = np.empty(size)

    # Options: one address comparison per choice; each choice adds its points where held.
    for name, choices in OPTIONS.items():
        masks = option_masks(column[name], choices, known[name])
        for mask, score in zip(masks, OPTION_POINTS[name], strict=True):
            if score:
                _add_where(points, mask, score, scratch)
        held.fill(0)
        for choice in OPTION_MET[name]:
            np.logical_or(held, masks[choices.index(choice)], out=held)
        np.logical_and(met, held, out=met)

    # Bands: the steps of the edges passed; NaN passes none (0 points, `missing zero`). The
    # `met when` threshold is one of the edges: its comparison is the indicator's `met`.
    for name, (edges, _, threshold) in BANDS_UP.items():
        x = column[name]
        for edge, step in zip(edges, STEPS[name], strict=True):
            np.greater(x, edge - EPS, out=passed)
            _add_where(points, passed, step, scratch)
            if edge == threshold:
                np.logical_and(met, passed, out=met)
    x = column["prevalensi_stunting"]  # (.., 14] -> 50 ... (30, ..] -> 0: steps down from 30
    for edge, step in zip(GIZI_EDGES, GIZI_STEPS, strict=True):
        np.less(x, edge + EPS, out=passed)
        _add_where(points, passed, step, scratch)
        if edge == GIZI_MET:
            np.logical_and(met, passed, out=met)
    np.greater(column["lksa_terstandar"], 0.5, out=passed)  # yes; NaN is no
    _add_where(points, passed, LKSA_POINTS, scratch)
    np.logical_and(met, passed, out=met)  # i09 is met at its full points: yes

    # Checklists: the items met (NaN is not met), counted in bytes, times an item's points.
    for name, items in CHECKLISTS.items():
        count.fill(0)
        for item in items:
            np.greater(column[f"{name}.{item}"], 0.5, out=passed)
            np.add(count, passed, out=count, casting="unsafe")
        np.greater_equal(count, ITEM_MET.get(name, PK_ITEM_MET), out=passed)
        np.logical_and(met, passed, out=met)
        np.multiply(count, ITEM_POINTS.get(name, PK_ITEM), out=scratch)
        np.add(points, scratch, out=points)

    # Fractional points: linear scores clipped with fmax/fmin (NaN -> 0), shares served.
    first = True
    for name, start, stop, high, sign, threshold in LINEAR:
        x = column[name]
        if sign == "<=":
            np.less(x, threshold + EPS, out=passed)
        else:
            np.greater(x, threshold - EPS, out=passed)
        np.logical_and(met, passed, out=met)
        target = fraction if first else work
        np.subtract(x, start, out=target)
        np.multiply(target, high / (stop - start), out=target)
        np.fmax(target, 0.0, out=target)
        np.fmin(target, high, out=target)
        if not first:
            np.add(fraction, target, out=fraction)
        first = False
    for name in SPECIAL:
        served = column[f"{name}_terlayani"]  # value_or(served, 0 %): NaN is not >= 90
        np.greater(served, PK_SERVED_MET - EPS, out=passed)
        np.logical_and(met, passed, out=met)
        np.fmax(served, 0.0, out=work)
        np.multiply(work, PK_SERVED, out=work)
        np.add(fraction, work, out=fraction)

    # Total, rounded half-up to 2 places on its 9-place decimal.
    np.add(fraction, points, out=total)
    np.multiply(total, 100.0, out=total)
    np.add(total, 0.5 + 5e-8, out=total)
    np.floor(total, out=total)
    np.divide(total, 100.0, out=total)

    # Tier: the edges passed; a region at the KLA tier without every indicator met is Utama.
    tier.fill(0)
    for edge in TIER_EDGES:
        np.greater(total, edge - EPS, out=passed)
        np.add(tier, passed, out=tier, casting="unsafe")
    np.greater(passed, met, out=passed)  # at the KLA tier and not all met
    np.subtract(tier, passed, out=tier, casting="unsafe")
