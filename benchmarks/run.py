"""Benchmark: indikator's `evaluate_many` against the same rules hand-written in numpy.

For each size N (default 10^3 … 10^6) the script generates N synthetic regions for
rulesets/kla/2025.ikr (fixed numpy seed), checks that indikator and benchmarks/kla_numpy.py
agree (totals within 1e-9, identical tier codes), then times both (best of k runs,
`time.perf_counter`) and prints a markdown table. It also times `indikator.load` (median of
20 loads). Run it with `nox -s bench` or `python benchmarks/run.py [--sizes 1000,10000]`.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

import indikator
from indikator.data import table_columns, validate
from indikator.evaluate import run

sys.path.insert(0, str(Path(__file__).parent))
import kla_numpy  # the sibling module, importable once its folder is on the path

ROOT = Path(__file__).resolve().parent.parent
RULESET = ROOT / "rulesets" / "kla" / "2025.ikr"
SEED = 20250723  # Hari Anak Nasional 2025
DEFAULT_SIZES = (10**3, 10**4, 10**5, 10**6)
MISSING_SHARE = 0.01  # share of empty cells in the columns that may be missing

Table = dict[str, npt.NDArray[Any]]


def make_table(size: int, seed: int = SEED) -> Table:
    """`size` synthetic regions: each has a quality level; every input is drawn around it."""
    rng = np.random.default_rng(seed)
    quality = rng.beta(4.0, 2.5, size)

    def level() -> npt.NDArray[np.float64]:
        return np.clip(quality + rng.normal(0.0, 0.12, size), 0.0, 1.0)

    def percent(low: float, high: float) -> npt.NDArray[np.float64]:
        return np.round(low + (high - low) * level(), 2)

    def pick(choices: tuple[str, ...]) -> npt.NDArray[np.object_]:
        index = np.minimum((level() * len(choices)).astype(np.intp), len(choices) - 1)
        return np.asarray(choices, dtype=object)[index]

    codes = np.asarray([f"R{i:07d}" for i in range(size)], dtype=object)
    table: Table = {"kode_kabkota": codes, "nama_kabkota": codes}
    for name, choices in kla_numpy.OPTIONS.items():
        table[name] = pick(choices)
    for name, items in kla_numpy.CHECKLISTS.items():
        for index, item in enumerate(items):
            needed = (index + 0.5) / (len(items) + 0.5)
            table[f"{name}.{item}"] = (level() >= needed).astype(np.float64)
    table["akta_kelahiran"] = percent(55, 100)
    table["ila"] = np.round(8 * level())
    table["perkawinan_anak"] = percent(18, 1)
    table["lksa_terstandar"] = (level() >= 0.5).astype(np.float64)  # noqa: PLR2004
    table["paud_hi"] = percent(5, 100)
    table["rbra"] = np.round(14 * level())
    table["persalinan_faskes"] = percent(70, 100)
    table["prevalensi_gizi"] = percent(35, 6)
    table["pmba"] = percent(20, 90)
    table["puskesmas_ramah_anak"] = percent(0, 100)
    table["air_sanitasi"] = percent(50, 100)
    table["wajib_belajar"] = percent(50, 100)
    table["sra"] = percent(0, 100)
    table["pka"] = np.round(3 * level())
    for name in ("pk_kekerasan", "pk_napza", "pk_disabilitas", "pk_abh"):
        table[f"{name}_terlayani"] = percent(40, 100)
    # Empty cells under both policies: exclude (perkawinan_anak, prevalensi_gizi,
    # lksa_terstandar) and zero (ila, pmba, a checklist item, an option).
    for name in (
        "perkawinan_anak",
        "prevalensi_gizi",
        "lksa_terstandar",
        "ila",
        "pmba",
        "penguatan_kelembagaan.anggaran",
    ):
        table[name][rng.random(size) < MISSING_SHARE] = np.nan
    table["ktr"][rng.random(size) < MISSING_SHARE] = None
    return table


def best_of(repeat: int, function: Callable[[], object]) -> float:
    """The shortest of `repeat` wall-clock times, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def check_agreement(ruleset: indikator.Ruleset, table: Table) -> None:
    """Stop unless indikator and the numpy version give the same totals and tiers."""
    results = ruleset.evaluate_many(table)
    total, tiers = kla_numpy.evaluate(table)
    ours = np.asarray(results.total, dtype=np.float64)
    if not np.allclose(ours, total, rtol=0.0, atol=1e-9, equal_nan=True):
        worst = int(np.nanargmax(np.abs(ours - total)))
        sys.exit(f"totals differ: row {worst}: indikator {ours[worst]!r}, numpy {total[worst]!r}")
    if not np.array_equal(results.tier_codes, tiers):
        row = int(np.flatnonzero(results.tier_codes != tiers)[0])
        sys.exit(
            f"tiers differ: row {row}: indikator {results.tier_codes[row]}, numpy {tiers[row]}"
        )


def compile_time(runs: int = 20) -> tuple[float, float, float]:
    """First load, then the median wall-clock and median CPU time of `runs` more, in seconds.

    CPU time (`time.process_time`) is shown too because on a busy machine the wall clock
    also counts the time other processes hold the CPU.
    """
    start = time.perf_counter()
    indikator.load(RULESET, root=RULESET.parent.parent)
    first = time.perf_counter() - start
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        indikator.load(RULESET, root=RULESET.parent.parent)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return first, statistics.median(wall), statistics.median(cpu)


def profile(ruleset: indikator.Ruleset, table: Table, lines: int) -> None:
    """Print where `evaluate_many` spends its time (cProfile, sorted by own time)."""
    profiler = cProfile.Profile()
    profiler.enable()
    ruleset.evaluate_many(table)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.strip_dirs().sort_stats("tottime").print_stats(lines)
    stats.sort_stats("cumulative").print_stats(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in DEFAULT_SIZES),
        help="comma-separated numbers of regions (default: %(default)s)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per timing; the best counts (default: 3)"
    )
    parser.add_argument(
        "--profile", type=int, metavar="N", help="profile evaluate_many on N regions and stop"
    )
    args = parser.parse_args(argv)

    if args.profile:
        profile(indikator.load(RULESET, root=RULESET.parent.parent), make_table(args.profile), 25)
        return

    first, median, median_cpu = compile_time()  # first: includes building the parser
    ruleset = indikator.load(RULESET, root=RULESET.parent.parent)
    versions = f"numpy {np.__version__}, indikator {indikator.__version__}"
    print(f"python {sys.version.split()[0]}, {versions}, {os.cpu_count()} CPUs, {_load()}")
    ruleset_name = RULESET.relative_to(ROOT)
    print(f"ruleset {ruleset_name}: {len(ruleset.inputs)} inputs, best of {args.repeat} runs\n")
    print(
        "| regions | indikator `evaluate_many` (s) | numpy (s) | indikator / numpy "
        "| of which `evaluate.run` (s) | `run` / numpy |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        table = make_table(size)
        check_agreement(ruleset, table)
        ours = best_of(args.repeat, lambda t=table: ruleset.evaluate_many(t))
        theirs = best_of(args.repeat, lambda t=table: kla_numpy.evaluate(t))
        # The evaluator alone, on columns validated once (internal API: data.validate then
        # evaluate.run are the two halves of evaluate_many).
        columns = validate(ruleset.plan, table_columns(table))
        core = best_of(args.repeat, lambda c=columns: run(ruleset.plan, c.arrays, c.regions))
        print(
            f"| {size:,} | {ours:.4f} | {theirs:.4f} | {ours / theirs:.1f}x | {core:.4f} "
            f"| {core / theirs:.2f}x |",
            flush=True,
        )
    print(
        f"\ncompile (indikator.load): first {first * 1000:.1f} ms, median of 20: "
        f"{median * 1000:.1f} ms wall clock, {median_cpu * 1000:.1f} ms CPU"
    )
    print(f"at the end: {_load()} (other processes on the machine skew the timings)")


def _load() -> str:
    """The 1-minute load average, where the platform has one."""
    if not hasattr(os, "getloadavg"):
        return "load average unknown"
    return f"load average {os.getloadavg()[0]:.2f}"


if __name__ == "__main__":
    main()
