"""The rules of rulesets/kla/2025.ikr as an OpenFisca tax-benefit system: a peer engine.

OpenFisca (`openfisca-core`) computes variables of entities over a population with numpy,
which is indikator's own approach, so it is the closest peer. This module declares one
entity (`region`, a kabupaten/kota, as the "person" of the system), one input variable per
data column, one variable with a formula per indicator, group, total and tier, and the
ruleset's parameters as an OpenFisca parameter tree: the band tables as `single_amount`
scales (OpenFisca's own construct for "value in bracket → amount"), option points and linear
scoring as plain parameters. `evaluate(table)` builds a simulation over N regions, sets the
inputs for the period 2025 and calculates `total` and `tier`. It is a translation of
kla_numpy.py, the reference hand translation.

Differences from idiomatic OpenFisca, each needed to give the same answers as indikator:

- Float variables are float64, not OpenFisca's float32 (`Float64Variable`): in float32 a
  total near 1000 carries about 6e-5 of error, so rounding to 2 places and the tier edges
  would not match. This makes the peer slightly slower than stock OpenFisca.
- OpenFisca has no missing value: number inputs carry NaN for an empty cell (a float
  variable can hold it), options an extra `kosong` (empty) member, and each formula applies
  the input's missing-data policy itself (`np.where(isnan(x), 0, ...)`; the sums renormalise
  over the members that are present).
- The decimal tolerance of the ruleset language (a value within 5e-10 of an edge counts as
  on it) is applied by shifting the value given to each scale by 5e-10.

Checklist items are bool variables named ``input__item`` (OpenFisca names cannot hold a dot).
Building the simulation (including encoding the option strings to OpenFisca enums) is part
of what `evaluate` does, as validation and conversion are part of `evaluate_many`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
from kla_numpy import CHECKLISTS, OPTIONS
from openfisca_core.entities import build_entity
from openfisca_core.indexed_enums import Enum
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import DateUnit
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

__all__ = ["build_system", "evaluate"]

PERIOD = "2025"
EPS = 5e-10  # half of the 1e-9 quantum: the ruleset language's decimal tolerance
EMPTY = "kosong"  # the enum member standing for a missing option

Region = build_entity(
    key="region", plural="regions", label="Kabupaten/kota", doc="A regency or city", is_person=True
)

# --------------------------------------------------------------------------------- parameters --

# Band tables: (input, lower edges, points below the first edge and from each edge on).
BANDS_UP = {
    "akta_kelahiran": ((70, 85, 95), (0, 20, 35, 50)),
    "ila": ((1, 3, 6), (0, 10, 20, 30)),
    "paud_hi": ((25, 50, 75), (0, 15, 30, 40)),
    "rbra": ((1, 5, 10), (0, 10, 20, 30)),
    "persalinan_faskes": ((80, 90, 95), (0, 20, 30, 40)),
    "air_sanitasi": ((60, 75, 90), (0, 15, 30, 40)),
    "wajib_belajar": ((60, 75, 90), (0, 20, 35, 50)),
    "pka": ((1, 2), (0, 20, 30)),
}
# (.., 14] -> 50, (14, 20] -> 35, (20, 30] -> 15, (30, ..) -> 0: an edge belongs below.
BANDS_DOWN = {"prevalensi_stunting": ((14, 20, 30), (50, 35, 15, 0))}
OPTION_POINTS = {
    "perda_kla": {"belum_ada": 0, "rancangan": 20, "perkada": 40, "perda": 60},
    "forum_anak": {"tidak_ada": 0, "kabupaten": 15, "kecamatan": 30, "desa": 40},
    "puspaga": {"tidak_ada": 0, "ada": 20, "terstandar": 30},
    "ktr": {"tidak_ada": 0, "proses": 0, "ditetapkan": 10, "ditegakkan": 20, "bebas_iklan": 30},
}
LINEAR = {  # input: from, to, onto low, high
    "perkawinan_anak": (15, 2, 0, 50),
    "pmba": (20, 80, 0, 30),
    "puskesmas_ramah_anak": (0, 100, 0, 30),
    "sra": (0, 100, 0, 40),
}
SINCE = "2025-01-01"


def _value(number: float) -> dict[str, Any]:
    return {"values": {SINCE: number}}


def _scale(edges: tuple[int, ...], points: tuple[int, ...]) -> dict[str, Any]:
    thresholds = (-1e18, *edges)  # the first bracket starts below every value
    brackets = [
        {"threshold": {SINCE: t}, "amount": {SINCE: p}}
        for t, p in zip(thresholds, points, strict=True)
    ]
    return {"metadata": {"type": "single_amount"}, "brackets": brackets}


def _parameters() -> ParameterNode:
    data: dict[str, Any] = {
        "bands": {name: _scale(*table) for name, table in (BANDS_UP | BANDS_DOWN).items()},
        "options": {
            name: {choice: _value(p) for choice, p in points.items()}
            for name, points in OPTION_POINTS.items()
        },
        "linear": {
            name: dict(zip(("start", "stop", "low", "high"), map(_value, spec), strict=True))
            for name, spec in LINEAR.items()
        },
        "checklist_item": {
            "penguatan_kelembagaan": _value(15),
            "keterlibatan": _value(10),
            "perlindungan_khusus": _value(4),
        },
        "pk_layanan": _value(16),
    }
    return ParameterNode("", data=data)


# ---------------------------------------------------------------------------------- variables --

Formula = Callable[[Any, str, Any], Any]  # OpenFisca's populations and results are untyped


class Float64Variable(Variable):  # type: ignore[misc]  # Variable is untyped
    """A float variable stored as float64 (OpenFisca's default is float32; see above)."""

    def __init__(self, baseline_variable: Any = None) -> None:
        super().__init__(baseline_variable)
        self.dtype = np.float64


def _variable(
    name: str, formula: Formula | None = None, value_type: type = float, **extra: Any
) -> type[Variable]:
    base = Float64Variable if value_type is float else Variable
    body: dict[str, Any] = {
        "value_type": value_type,
        "entity": Region,
        "definition_period": DateUnit.YEAR,
        "label": name,
        **extra,
    }
    if formula is not None:
        body["formula"] = formula
    return type(name, (base,), body)


def _enum(name: str, choices: tuple[str, ...]) -> Any:
    return Enum(name, [(EMPTY, EMPTY), *((c, c) for c in choices)])


# Every option the ruleset declares (`proses` too, which the tight numpy folds into
# `tidak_ada`): the formulas look each one up.
ENUMS = {name: _enum(name, tuple(OPTION_POINTS[name])) for name in OPTIONS}


def _zero(points: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """`missing zero`: a missing value scores 0."""
    return np.where(np.isnan(points), 0.0, points)


def _banded(name: str, *, down: bool = False) -> Formula:
    def formula(region: Any, period: str, parameters: Any) -> Any:
        x = region(name, period)
        scale = parameters(period).bands[name]
        points = scale.calc(x - EPS, right=True) if down else scale.calc(x + EPS)
        return np.where(np.isnan(x), np.nan, points)

    return formula


def _linear(name: str) -> Formula:
    def formula(region: Any, period: str, parameters: Any) -> Any:
        p = parameters(period).linear[name]
        share = np.clip((region(name, period) - p.start) / (p.stop - p.start), 0.0, 1.0)
        return p.low + share * (p.high - p.low)

    return formula


def _options(name: str) -> Formula:
    def formula(region: Any, period: str, parameters: Any) -> Any:
        value = region(name, period)
        points = parameters(period).options[name]
        enum = ENUMS[name]
        choices = OPTION_POINTS[name]
        return np.select([value == enum[c] for c in choices], [points[c] for c in choices], 0.0)

    return formula


def _count(name: str) -> Formula:
    def formula(region: Any, period: str, _parameters: Any) -> Any:
        return sum(
            region(f"{name}__{item}", period).astype(np.float64) for item in CHECKLISTS[name]
        )

    return formula


def _scored(count: str, per_item: str) -> Formula:
    def formula(region: Any, period: str, parameters: Any) -> Any:
        return region(count, period) * parameters(period).checklist_item[per_item]

    return formula


def _special(name: str) -> Formula:
    def formula(region: Any, period: str, parameters: Any) -> Any:
        p = parameters(period)
        served = _zero(region(f"{name}_terlayani", period))
        items = region(f"count_{name}", period)
        return items * p.checklist_item.perlindungan_khusus + served / 100 * p.pk_layanan

    return formula


def _lksa(region: Any, period: str, _parameters: Any) -> Any:
    lksa = region("lksa_terstandar", period)
    return np.where(lksa == 1.0, 30.0, 0.0)


def _missing_zero(formula: Formula) -> Formula:
    def wrapped(region: Any, period: str, parameters: Any) -> Any:
        return _zero(formula(region, period, parameters))

    return wrapped


def _sum_group(members: Mapping[str, float]) -> Formula:
    """A sum group; excluded (NaN) members renormalise the rest to the full maximum."""
    full = float(sum(members.values()))

    def formula(region: Any, period: str, _parameters: Any) -> Any:
        total = present = np.zeros(region.count)
        for name, maximum in members.items():
            value = region(name, period)
            here = ~np.isnan(value)
            total = total + np.where(here, value, 0.0)
            present = present + np.where(here, maximum, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            result = np.where(present == full, total, total / present * full)
        return np.where(present == 0, np.nan, result)

    return formula


GROUPS: dict[str, dict[str, float]] = {
    "kelembagaan": {"i01_perda_kla": 60, "i02_kelembagaan": 90, "i03_keterlibatan": 50},
    "klaster_1": {"i04_akta": 50, "i05_ila": 30, "i06_partisipasi": 40},
    "klaster_2": {
        "i07_perkawinan_anak": 50,
        "i08_konsultasi_keluarga": 30,
        "i09_pengasuhan_alternatif": 30,
        "i10_paud_hi": 40,
        "i11_infrastruktur": 30,
    },
    "klaster_3": {
        "i12_persalinan_faskes": 40,
        "i13_prevalensi_gizi": 50,
        "i14_pmba": 30,
        "i15_faskes_ramah_anak": 30,
        "i16_air_sanitasi": 40,
        "i17_ktr": 30,
    },
    "klaster_4": {"i18_wajib_belajar": 50, "i19_sra": 40, "i20_pka": 30},
    "klaster_5": {
        "i21_kekerasan": 40,
        "i22_napza_darurat": 40,
        "i23_disabilitas": 40,
        "i24_abh_terorisme_stigma": 40,
    },
}
GROUP_MAXIMA = {"kelembagaan": 200, "klaster_1": 120, "klaster_2": 180, "klaster_3": 220}
GROUP_MAXIMA |= {"klaster_4": 120, "klaster_5": 160}
TIER_EDGES = (500.0, 601.0, 701.0, 801.0, 901.0)


def _total(region: Any, period: str, _parameters: Any) -> Any:
    """Sum of the groups, rounded half-up to 2 places (after dropping float noise)."""
    raw = region("total_unrounded", period)
    scaled = np.round(raw * 100, 7)
    return np.copysign(np.floor(np.abs(scaled) + 0.5), scaled) / 100 + 0.0


def _ge(x: npt.NDArray[np.float64], threshold: float) -> npt.NDArray[np.bool_]:
    return x - threshold > -EPS


def _le(x: npt.NDArray[np.float64], threshold: float) -> npt.NDArray[np.bool_]:
    return x - threshold < EPS


def _all_met(region: Any, period: str, _parameters: Any) -> Any:
    """Every indicator met (the KLA tier's gate), as in kla_numpy.evaluate."""

    def v(name: str) -> Any:
        return region(name, period)

    e = ENUMS
    met = [
        (v("perda_kla") == e["perda_kla"].perda) | (v("perda_kla") == e["perda_kla"].perkada),
        _ge(v("count_penguatan_kelembagaan"), 5),
        _ge(v("count_keterlibatan"), 4),
        _ge(v("akta_kelahiran"), 85),
        _ge(v("ila"), 3),
        (v("forum_anak") == e["forum_anak"].kecamatan) | (v("forum_anak") == e["forum_anak"].desa),
        _le(v("perkawinan_anak"), 8),
        (v("puspaga") == e["puspaga"].ada) | (v("puspaga") == e["puspaga"].terstandar),
        v("lksa_terstandar") == 1.0,
        _ge(v("paud_hi"), 50),
        _ge(v("rbra"), 5),
        _ge(v("persalinan_faskes"), 90),
        _le(v("prevalensi_stunting"), 20),
        _ge(v("pmba"), 50),
        _ge(v("puskesmas_ramah_anak"), 75),
        _ge(v("air_sanitasi"), 75),
        v("ktr") == e["ktr"].bebas_iklan,
        _ge(v("wajib_belajar"), 75),
        _ge(v("sra"), 50),
        _ge(v("pka"), 1),
    ]
    for name in ("pk_kekerasan", "pk_napza", "pk_disabilitas", "pk_abh"):
        served = _zero(v(f"{name}_terlayani"))
        met.append(_ge(v(f"count_{name}"), 5) & _ge(served, 90))
    return np.logical_and.reduce(met)


def _tier(region: Any, period: str, _parameters: Any) -> Any:
    total = region("total", period)
    tier = np.searchsorted(np.asarray(TIER_EDGES) - EPS, total, side="left")
    top = len(TIER_EDGES)
    return np.where((tier == top) & ~region("all_met", period), top - 1, tier)


def _indicators() -> dict[str, Formula]:
    return {
        "i01_perda_kla": _options("perda_kla"),
        "i02_kelembagaan": _scored("count_penguatan_kelembagaan", "penguatan_kelembagaan"),
        "i03_keterlibatan": _scored("count_keterlibatan", "keterlibatan"),
        "i04_akta": _missing_zero(_banded("akta_kelahiran")),
        "i05_ila": _missing_zero(_banded("ila")),
        "i06_partisipasi": _options("forum_anak"),
        "i07_perkawinan_anak": _missing_zero(_linear("perkawinan_anak")),
        "i08_konsultasi_keluarga": _options("puspaga"),
        "i09_pengasuhan_alternatif": _lksa,  # missing zero: only "ya" scores
        "i10_paud_hi": _missing_zero(_banded("paud_hi")),
        "i11_infrastruktur": _missing_zero(_banded("rbra")),
        "i12_persalinan_faskes": _missing_zero(_banded("persalinan_faskes")),
        "i13_prevalensi_gizi": _missing_zero(_banded("prevalensi_stunting", down=True)),
        "i14_pmba": _missing_zero(_linear("pmba")),
        "i15_faskes_ramah_anak": _missing_zero(_linear("puskesmas_ramah_anak")),
        "i16_air_sanitasi": _missing_zero(_banded("air_sanitasi")),
        "i17_ktr": _options("ktr"),
        "i18_wajib_belajar": _missing_zero(_banded("wajib_belajar")),
        "i19_sra": _missing_zero(_linear("sra")),
        "i20_pka": _missing_zero(_banded("pka")),
        "i21_kekerasan": _special("pk_kekerasan"),
        "i22_napza_darurat": _special("pk_napza"),
        "i23_disabilitas": _special("pk_disabilitas"),
        "i24_abh_terorisme_stigma": _special("pk_abh"),
    }


NUMBER_INPUTS = (
    *BANDS_UP,
    *BANDS_DOWN,
    *LINEAR,
    "lksa_terstandar",
    *(f"{name}_terlayani" for name in ("pk_kekerasan", "pk_napza", "pk_disabilitas", "pk_abh")),
)


def build_system() -> TaxBenefitSystem:
    """The KLA 2025 rules as an OpenFisca tax-benefit system."""
    system = TaxBenefitSystem([Region])
    system.parameters = _parameters()
    variables = [_variable(name) for name in NUMBER_INPUTS]
    variables += [
        _variable(name, None, Enum, possible_values=enum, default_value=enum[EMPTY])
        for name, enum in ENUMS.items()
    ]
    for name, items in CHECKLISTS.items():
        variables += [_variable(f"{name}__{item}", None, bool) for item in items]
        variables.append(_variable(f"count_{name}", _count(name)))
    variables += [_variable(name, formula) for name, formula in _indicators().items()]
    variables += [_variable(name, _sum_group(members)) for name, members in GROUPS.items()]
    variables += [
        _variable("total_unrounded", _sum_group(GROUP_MAXIMA)),
        _variable("total", _total),
        _variable("all_met", _all_met, bool),
        _variable("tier", _tier, int),
    ]
    for variable in variables:
        system.add_variable(variable)
    return system


def evaluate(
    system: TaxBenefitSystem, table: Mapping[str, npt.NDArray[Any]]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int32]]:
    """Total score and tier code of every region, through an OpenFisca simulation."""
    size = len(table["kode_kabkota"])
    simulation = SimulationBuilder().build_default_simulation(system, count=size)
    for name in NUMBER_INPUTS:
        simulation.set_input(name, PERIOD, np.asarray(table[name], dtype=np.float64))
    for name in OPTIONS:
        values = np.asarray(table[name], dtype=object)
        filled = np.where(values == None, EMPTY, values).astype(str)  # noqa: E711 (elementwise)
        simulation.set_input(name, PERIOD, filled)
    for name, items in CHECKLISTS.items():
        for item in items:
            met = np.asarray(table[f"{name}.{item}"], dtype=np.float64) == 1.0
            simulation.set_input(f"{name}__{item}", PERIOD, met)
    total = simulation.calculate("total", PERIOD)
    return total, simulation.calculate("tier", PERIOD)
