"""The rules of benchmarks/second.ikr by hand in numpy, as fast as we can write them: the baseline.

The second benchmark ruleset (a synthetic SPM-shaped model, see its header): 12 services,
each a coverage (people served / people targeted, capped at 1, times 10 points, rounded
half-up to 2 places) and a quality checklist given as a count of 5 items (2 points each),
in a `mean` group of 10 points; the 12 groups in a `mean` of 90 points; 10 points for data
completeness, 1 off per empty cell of the 24 inputs that may be empty; the total rounded
half-up to 2 places; tiers Dasar [50, 70), Madya [70, 85), Paripurna [85, 100] (only with
no empty cell).

Same inputs as the ruleset (a dict of float64 arrays, NaN where a cell is empty), same
parameters, same missing-data policies (the served counts of `odgj`, `tb`, `hiv` and the
quality counts of `odgj`, `hiv` are `missing exclude`, every other `missing zero`) and the
same decimal semantics (rounding on the 9-place decimal, tier edges with the 5e-10
tolerance). Returns the total and the tier codes (0 below Dasar … 3 Paripurna).
benchmarks/run.py checks that it agrees with indikator before it times anything.

How it is made fast (one thread, numpy only):

* Groups are worked out in points, not shares: a service's group is (c + m) / 2 when both
  are there, and the services group is 9 x Σ groups / (groups present), which is
  90 x the mean of their shares. Only the three services that can be left out need a count
  of what is present; the other nine are added up as Σ c + Σ m, halved once.
* A coverage in cents is ``floor(min(1000 x served / target, 1000) + 0.5 + 5e-8)``: the
  cap, the 10 points and the rounding half-up to 2 places in four passes (5e-8 is half a
  unit of the 9th decimal, on the scaled value: rounding on the decimal). ``fmax(x, 0)``
  turns an empty cell under `missing zero` into 0; under `missing exclude` NaN stays.
* The empty cells are counted in a uint8 buffer from ``isnan``.
* Every operation writes into a buffer allocated once per chunk (``out=``), and the regions
  go through in chunks of `CHUNK` so that the buffers stay in the processor's cache.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

EPS = 5e-10  # half of the 1e-9 quantum: the ruleset language's decimal tolerance
HALF_UP = 0.5 + 5e-8  # floor(x * 100 + HALF_UP): half-up to 2 places on the 9-place decimal

# service: (served count `missing exclude`?, quality count `missing exclude`?)
SERVICES: dict[str, tuple[bool, bool]] = {
    "bumil": (False, False),
    "bersalin": (False, False),
    "bbl": (False, False),
    "balita": (False, False),
    "pendas": (False, False),
    "produktif": (False, False),
    "lansia": (False, False),
    "hipertensi": (False, False),
    "dm": (False, False),
    "odgj": (True, True),
    "tb": (True, False),
    "hiv": (True, True),
}
COVERAGE_POINTS = 10  # w_capaian
ITEM_POINTS = 2  # w_mutu_butir, per quality item of 5
SERVICES_POINTS = 90  # w_layanan: the mean of the 12 groups of 10 points, times 90 / 10
COMPLETE_POINTS = 10  # w_kelengkapan, 1 point (p_kosong) off per empty cell
TIER_EDGES = (50.0, 70.0, 85.0)  # lower ends of Dasar, Madya, Paripurna, half-open
CHUNK = 2**15  # regions at a time (the fastest of 2^12 … 2^20 here, at 10^6 regions)


def evaluate(
    table: Mapping[str, npt.NDArray[Any]], chunk: int = CHUNK
) -> tuple[Array, npt.NDArray[np.int8]]:
    """Total score and tier code of every region, `chunk` regions at a time."""
    columns = {name: np.asarray(values) for name, values in table.items()}
    size = len(columns["bumil_sasaran"])
    total = np.empty(size)
    tier = np.empty(size, dtype=np.int8)
    for start in range(0, size, chunk):
        stop = min(start + chunk, size)
        part = {name: values[start:stop] for name, values in columns.items()}
        _evaluate(part, total[start:stop], tier[start:stop])
    return total, tier


def _coverage_cents(served: Array, target: Array, *, exclude: bool, out: Array) -> Array:
    """Coverage points x 100, whole: min(served / target, 1) x 10, half-up to 2 places.

    NaN where `served` is empty under `missing exclude`; 0 under `missing zero`.
    """
    np.multiply(served, 1000.0, out=out)  # exact: a count times 1000
    np.divide(out, target, out=out)
    if exclude:
        np.minimum(out, 1000.0, out=out)  # NaN stays NaN
    else:
        np.fmax(out, 0.0, out=out)  # NaN -> 0; counts are never below 0
        np.fmin(out, 1000.0, out=out)
    np.add(out, HALF_UP, out=out)
    np.floor(out, out=out)
    return out


def _evaluate(
    column: Mapping[str, npt.NDArray[Any]], total: Array, tier: npt.NDArray[np.int8]
) -> None:
    """Total and tier of the regions of `column`, into `total` and `tier`."""
    size = len(total)
    cents = np.zeros(size)  # Σ coverage x 100 of the nine services always there
    items = np.zeros(size)  # Σ quality items of the nine services always there
    empty = np.zeros(size, dtype=np.uint8)  # empty cells
    groups = np.full(size, float(len(SERVICES)))  # groups present
    work = np.empty(size)
    other = np.empty(size)
    present = np.empty(size)
    missing = np.empty(size, dtype=bool)
    optional = np.zeros(size)  # Σ group points of the services that can be left out

    for name, (served_out, quality_out) in SERVICES.items():
        served, quality = column[f"{name}_terlayani"], column[f"{name}_mutu"]
        for values in (served, quality):
            np.isnan(values, out=missing)
            np.add(empty, missing, out=empty, casting="unsafe")
        if not served_out:  # both `missing zero`: the group is (c + m) / 2
            _coverage_cents(served, column[f"{name}_sasaran"], exclude=False, out=work)
            np.add(cents, work, out=cents)
            np.fmax(quality, 0.0, out=work)
            np.add(items, work, out=items)
            continue
        # c, m or both may be left out: the group is their mean over those present.
        _coverage_cents(served, column[f"{name}_sasaran"], exclude=True, out=work)
        np.isnan(work, out=missing)
        np.logical_not(missing, out=missing)
        np.copyto(present, missing)  # 1 where c is there
        np.divide(work, 100.0, out=work)
        np.fmax(work, 0.0, out=work)  # c, or 0 where left out
        np.multiply(quality, ITEM_POINTS, out=other)
        if quality_out:
            np.isnan(other, out=missing)
            np.logical_not(missing, out=missing)
            np.add(present, missing, out=present)
            np.fmax(other, 0.0, out=other)
        else:
            np.fmax(other, 0.0, out=other)
            present += 1.0
        np.add(work, other, out=work)
        np.equal(present, 0.0, out=missing)  # the whole group left out
        np.subtract(groups, missing, out=groups)
        np.fmax(present, 1.0, out=present)  # (a left-out group adds 0 / 1)
        np.divide(work, present, out=work)
        np.add(optional, work, out=optional)

    # Σ groups = (Σ c + Σ m) / 2 of the nine, plus the others; the services group is
    # 90 x (Σ groups / 10) / groups present = 9 x Σ groups / groups present.
    np.divide(cents, 100.0, out=total)
    np.multiply(items, ITEM_POINTS, out=work)
    np.add(total, work, out=total)
    np.multiply(total, 0.5, out=total)
    np.add(total, optional, out=total)
    np.multiply(total, SERVICES_POINTS / COMPLETE_POINTS, out=total)
    np.divide(total, groups, out=total)
    # Data completeness: max(10 - empty cells, 0).
    np.subtract(COMPLETE_POINTS, empty, out=work, dtype=np.float64)
    np.fmax(work, 0.0, out=work)
    np.add(total, work, out=total)
    # Rounded half-up to 2 places on the decimal.
    np.multiply(total, 100.0, out=total)
    np.add(total, HALF_UP, out=total)
    np.floor(total, out=total)
    np.divide(total, 100.0, out=total)

    # Tiers; Paripurna only with no empty cell.
    tier.fill(0)
    passed = missing
    for edge in TIER_EDGES:
        np.greater(total, edge - EPS, out=passed)
        np.add(tier, passed, out=tier, casting="unsafe")
    np.logical_and(passed, empty, out=passed, casting="unsafe")
    np.subtract(tier, passed, out=tier, casting="unsafe")
