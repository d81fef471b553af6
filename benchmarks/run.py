"""Benchmark: indikator against hand-written code and peer engines on the KLA 2025 rules.

One run measures, and prints as markdown tables (the format of docs/performance.md):

1. batch: `Ruleset.evaluate_many` of rulesets/kla/2025.ikr on N synthetic regions (default
   10^3 … 10^6, fixed numpy seed) against the same rules hand-written in numpy
   (kla_numpy.py), OpenFisca-Core (kla_openfisca.py), a plain Python function looped over
   the rows (kla_python.py) and a ZEN decision graph (kla_zen.py, per row and batch). Every
   peer must agree with indikator (totals within 1e-9, identical tier codes) on the data it is
   timed on, or the script stops. Per-row peers are timed on at most `--row-limit` rows.
2. latency: one region through `Ruleset.evaluate` against the plain Python function.
3. compile: `indikator.load` of every shipped ruleset, and `import indikator`, in fresh
   processes.
4. memory: peak memory of one `evaluate_many` on `--memory-size` regions against the size of
   the input table, in fresh processes; with `--inputs`, also of the same table given as
   a pandas DataFrame, a DataFrame of categoricals, a pyarrow Table (strings or
   dictionary-encoded) or a Parquet file read by `tables.read_table`, with the time.
5. sensitivity: `Ruleset.sensitivity` for each `--sensitivity` DRAWSxREGIONS run.
6. scale: how cost grows with the table (`--sizes`, up to 10^7): KLA written to a folder of
   Parquet files, evaluated by the DuckDB engine (`evaluate --engine duckdb`'s route, a
   glob of the files) and by the numpy engine (`evaluate_many`), each size and engine in a
   fresh process: wall and CPU time, peak RSS; with `--spark`, Spark SQL in a local
   session (`local[2]`) too. Not in the default parts (10^7 takes minutes and gigabytes):
   `--only scale`.
7. csv: KLA written to a CSV file (`--sizes`), evaluated by numpy (`read_table`, then
   `evaluate_many`) and by the DuckDB engine with the file read whole (`read_table`, then
   `evaluate_read`) or in blocks (`evaluate_path`, out of core), each in a fresh process:
   wall and CPU time, peak RSS. Not in the default parts: `--only csv`.

Run it with `nox -s bench` or `PYTHONPATH=src python benchmarks/run.py [--sizes 1000,10000]`.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import importlib
import importlib.util
import json
import math
import os
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt

import indikator
from indikator.data import columns_of, table_columns, validate
from indikator.evaluate import run
from indikator.tables import read_table, write_table

sys.path.insert(0, str(Path(__file__).parent))
import kla_numpy  # the sibling modules, importable once their folder is on the path
import kla_python
import second_numpy

ROOT = Path(__file__).resolve().parent.parent
RULESETS = ROOT / "rulesets"
RULESET = RULESETS / "kla" / "2025.ikr"
SECOND = ROOT / "benchmarks" / "second.ikr"
SEED = 20250723  # Hari Anak Nasional 2025
DEFAULT_SIZES = (10**3, 10**4, 10**5, 10**6)
MIN_RUN_SECONDS = 0.1  # a timed run of fast calls repeats them for at least this long
MISSING_SHARE = 0.01  # share of empty cells in the columns that may be missing
PARTS = ("batch", "threads", "latency", "compile", "memory", "sensitivity", "scale", "csv")
DEFAULT_PARTS = PARTS[:-2]  # scale and csv only when asked
HEADER = re.compile(r"^ruleset\s", re.MULTILINE)  # a file with a header is a ruleset
MB = 1e6

Table = dict[str, npt.NDArray[Any]]
Answers = tuple[npt.NDArray[np.float64], npt.NDArray[np.integer[Any]]]


# ------------------------------------------------------------------------------------- data --


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
    table["prevalensi_stunting"] = percent(35, 6)
    table["pmba"] = percent(20, 90)
    table["puskesmas_ramah_anak"] = percent(0, 100)
    table["air_sanitasi"] = percent(50, 100)
    table["wajib_belajar"] = percent(50, 100)
    table["sra"] = percent(0, 100)
    table["pka"] = np.round(3 * level())
    for name in ("pk_kekerasan", "pk_napza", "pk_disabilitas", "pk_abh"):
        table[f"{name}_terlayani"] = percent(40, 100)
    # Empty cells (every input is `missing zero`): numbers (perkawinan_anak, prevalensi_stunting,
    # ila, pmba), a yes/no (lksa_terstandar), a checklist item and an option.
    for name in (
        "perkawinan_anak",
        "prevalensi_stunting",
        "lksa_terstandar",
        "ila",
        "pmba",
        "penguatan_kelembagaan.anggaran",
    ):
        table[name][rng.random(size) < MISSING_SHARE] = np.nan
    table["ktr"][rng.random(size) < MISSING_SHARE] = None
    return table


# The second ruleset (benchmarks/second.ikr): people targeted per service, a typical count.
SECOND_TARGETS = {
    "bumil": 3000,
    "bersalin": 2900,
    "bbl": 2800,
    "balita": 14000,
    "pendas": 30000,
    "produktif": 150000,
    "lansia": 30000,
    "hipertensi": 40000,
    "dm": 8000,
    "odgj": 300,
    "tb": 2000,
    "hiv": 5000,
}
SECOND_ABSENT = 0.03  # share of regions with no report at all of a separately run programme


def make_second_table(size: int, seed: int = SEED) -> Table:
    """`size` synthetic regions for the second ruleset, drawn as `make_table` draws KLA's.

    Targets are counts around a typical size (log-normal, 1 to 2 million); a region serves
    a share of its target around its quality level, up to 120 % (coverage is capped at
    1); quality counts are 0 to 5 items. Empty cells: 1 % of each count that may be empty,
    4 % of the served counts `missing exclude`, and for `odgj` and `hiv` 3 % of the regions
    report neither count (the whole group is left out).
    """
    rng = np.random.default_rng(seed)
    quality = rng.beta(4.0, 2.5, size)

    def level(spread: float = 0.12) -> npt.NDArray[np.float64]:
        return quality + rng.normal(0.0, spread, size)

    codes = np.asarray([f"W{i:07d}" for i in range(size)], dtype=object)
    table: Table = {"kode_wilayah": codes, "nama_wilayah": codes}
    for name, typical in SECOND_TARGETS.items():
        served_out, quality_out = second_numpy.SERVICES[name]
        target = np.clip(np.round(typical * rng.lognormal(0.0, 0.6, size)), 1, 2_000_000)
        served = np.round(target * np.clip(level(0.15) + 0.1, 0.0, 1.2))
        items = np.round(5 * np.clip(level(), 0.0, 1.0))
        served[rng.random(size) < (4 * MISSING_SHARE if served_out else MISSING_SHARE)] = np.nan
        items[rng.random(size) < MISSING_SHARE] = np.nan
        if quality_out:  # the programme is not run or not reported at all
            absent = rng.random(size) < SECOND_ABSENT
            served[absent] = np.nan
            items[absent] = np.nan
        table[f"{name}_sasaran"] = target
        table[f"{name}_terlayani"] = served
        table[f"{name}_mutu"] = items
    return table


def head(table: Table, rows: int) -> Table:
    """The first `rows` regions of a table."""
    return {name: values[:rows] for name, values in table.items()}


def table_bytes(table: Table) -> int:
    """Bytes held by a table: the arrays, plus each distinct object an object array points to."""
    total = sum(values.nbytes for values in table.values())
    seen: dict[int, int] = {}
    for values in table.values():
        if values.dtype == object:
            for cell in values:
                seen.setdefault(id(cell), sys.getsizeof(cell))
    return total + sum(seen.values())


# ----------------------------------------------------------------------------------- timing --


def cpu_best(repeat: int, function: Callable[[], object]) -> float:
    """The shortest CPU time of one call (`time.process_time`, all threads), in seconds.

    CPU time, not the wall clock: other jobs on a shared machine stretch the wall clock of
    a run but hardly its CPU time. As `timeit` does, fast calls are timed in runs of at
    least `MIN_RUN_SECONDS` and each run gives its mean: a call of a millisecond is timed
    over a hundred calls, where once a page fault or a cold cache would double it. The
    first call sets the run length; it counts as the first run when it is long enough.
    """
    start = time.process_time()
    function()
    first = time.process_time() - start
    if first >= MIN_RUN_SECONDS:
        calls, times = 1, [first]
    else:  # the first call only warmed the caches
        calls, times = math.ceil(MIN_RUN_SECONDS / max(first, 1e-6)), []
    while len(times) < repeat:
        start = time.process_time()
        for _ in range(calls):
            function()
        times.append((time.process_time() - start) / calls)
    return min(times)


def per_call(calls: Iterable[Callable[[], object]]) -> tuple[float, float]:
    """Median CPU and median wall-clock time of single calls, in microseconds."""
    cpu, wall = [], []
    for call in calls:
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return statistics.median(cpu) * 1e6, statistics.median(wall) * 1e6


# -------------------------------------------------------------------------------- agreement --


def answers(results: indikator.Results) -> Answers:
    """indikator's totals and tier codes, the reference every peer is checked against."""
    return np.asarray(results.total, dtype=np.float64), results.tier_codes


def as_arrays(pairs: Sequence[tuple[float, int]]) -> Answers:
    """Per-row (total, tier) pairs as two arrays."""
    totals = np.fromiter((total for total, _ in pairs), np.float64, len(pairs))
    return totals, np.fromiter((tier for _, tier in pairs), np.int8, len(pairs))


def check(peer: str, ours: Answers, theirs: Answers) -> None:
    """Stop unless a peer gives indikator's totals (within 1e-9) and tier codes."""
    (total, tiers), (their_total, their_tiers) = ours, theirs
    if not np.allclose(total, their_total, rtol=0.0, atol=1e-9, equal_nan=True):
        row = int(np.nanargmax(np.abs(total - their_total)))
        sys.exit(
            f"{peer}: totals differ: row {row}: indikator {total[row]!r}, {peer} "
            f"{their_total[row]!r}"
        )
    if not np.array_equal(tiers, their_tiers):
        row = int(np.flatnonzero(tiers != their_tiers)[0])
        sys.exit(
            f"{peer}: tiers differ: row {row}: indikator {tiers[row]}, {peer} {their_tiers[row]}"
        )


# ------------------------------------------------------------------------------------ peers --


def _import(name: str) -> tuple[ModuleType | None, str]:
    """A peer module, or None and why it is missing (its engine is not installed)."""
    try:
        return __import__(name), ""
    except ImportError as error:
        return None, f"{name}: not available ({error}); install the `bench` dependency group"


@dataclass
class Peers:
    """The optional peer engines that could be imported, and notes on those that could not."""

    openfisca: ModuleType | None
    zen: ModuleType | None
    notes: list[str]

    @classmethod
    def load(cls, *, skip: bool) -> Peers:
        if skip:
            return cls(None, None, ["peer engines skipped (--skip-peers)"])
        openfisca, why_openfisca = _import("kla_openfisca")
        zen, why_zen = _import("kla_zen")
        return cls(openfisca, zen, [why for why in (why_openfisca, why_zen) if why])

    def versions(self) -> str:
        from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

        found = []
        for package in ("openfisca-core", "zen-engine"):
            try:
                found.append(f"{package} {version(package)}")
            except PackageNotFoundError:
                found.append(f"{package} not installed")
        return ", ".join(found)


# ------------------------------------------------------------------------------------ batch --


@dataclass
class BatchRow:
    """CPU seconds of every engine at one size; per-row engines on `subset` rows."""

    size: int
    subset: int
    ours: float
    core: float
    numpy: float
    openfisca: float | None
    python: float
    zen_row: float | None
    zen_batch: float | None


def measure_batch(ruleset: indikator.Ruleset, peers: Peers, size: int, args: Any) -> BatchRow:
    """Check every engine against indikator on one table, then time each."""
    table = make_table(size)
    ours = answers(ruleset.evaluate_many(table))
    check("numpy", ours, kla_numpy.evaluate(table))
    subset = min(size, args.row_limit)
    rows = kla_python.rows(head(table, subset))
    ours_head = (ours[0][:subset], ours[1][:subset])
    check("python loop", ours_head, as_arrays([kla_python.evaluate(row) for row in rows]))

    repeat = args.repeat
    row = BatchRow(
        size=size,
        subset=subset,
        ours=cpu_best(repeat, lambda: ruleset.evaluate_many(table)),
        core=_core_time(ruleset, table, repeat),
        numpy=cpu_best(repeat, lambda: kla_numpy.evaluate(table)),
        openfisca=None,
        # Per-row engines: one timed pass over the rows, after the checking pass warmed up.
        python=cpu_best(1, lambda: [kla_python.evaluate(r) for r in rows]),
        zen_row=None,
        zen_batch=None,
    )
    if peers.openfisca:
        system = peers.openfisca.build_system()
        check("OpenFisca", ours, peers.openfisca.evaluate(system, table))
        row.openfisca = cpu_best(repeat, lambda: peers.openfisca.evaluate(system, table))  # type: ignore[union-attr]
    if peers.zen:
        zen_engine, decision = peers.zen.engine()
        contexts = [peers.zen.context(r) for r in rows]
        single = [peers.zen.evaluate(decision, c) for c in contexts]
        check("zen per row", ours_head, as_arrays(single))
        check("zen batch", ours_head, as_arrays(peers.zen.evaluate_batch(zen_engine, contexts)))
        zen = peers.zen
        row.zen_row = cpu_best(1, lambda: [zen.evaluate(decision, c) for c in contexts])
        row.zen_batch = cpu_best(1, lambda: zen.evaluate_batch(zen_engine, contexts))
    return row


def _core_time(ruleset: indikator.Ruleset, table: Table, repeat: int) -> float:
    """The evaluator alone, on columns validated once (internal API: data.validate then
    evaluate.run are the two halves of evaluate_many)."""
    columns = validate(ruleset.plan, table_columns(table))
    return cpu_best(repeat, lambda: run(ruleset.plan, columns.arrays, columns.regions))


def _seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4f}"


def _ratio(top: float | None, bottom: float) -> str:
    return "n/a" if top is None else f"{top / bottom:.2f}x"


def _rate(seconds: float | None, rows: int) -> str:
    return "n/a" if seconds is None else f"{rows / seconds:,.0f}"


def print_batch(rows: Sequence[BatchRow]) -> None:
    print("### Batch: vectorised engines (CPU seconds, best of the runs)\n")
    print(
        "| regions | indikator `evaluate_many` | of which `evaluate.run` | numpy | "
        "indikator / numpy | OpenFisca | OpenFisca / indikator |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r.size:,} | {r.ours:.4f} | {r.core:.4f} | {r.numpy:.4f} "
            f"| {r.ours / r.numpy:.2f}x | {_seconds(r.openfisca)} | {_ratio(r.openfisca, r.ours)} |"
        )
    print("\n### Batch: per-row engines (rows per CPU second; ratios to indikator at N rows)\n")
    print(
        "| regions | rows timed | indikator | Python loop | ZEN `evaluate` | "
        "ZEN `evaluate_batch` | Python / indikator | ZEN / indikator | ZEN batch / indikator |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        scale = r.size / r.subset  # per-row engines: time at N rows, extrapolated
        timed = f"{r.subset:,}" if r.subset == r.size else f"{r.subset:,} (extrapolated)"
        zen_row = None if r.zen_row is None else r.zen_row * scale
        zen_batch = None if r.zen_batch is None else r.zen_batch * scale
        print(
            f"| {r.size:,} | {timed} | {_rate(r.ours, r.size)} | {_rate(r.python, r.subset)} "
            f"| {_rate(r.zen_row, r.subset)} | {_rate(r.zen_batch, r.subset)} "
            f"| {_ratio(r.python * scale, r.ours)} | {_ratio(zen_row, r.ours)} "
            f"| {_ratio(zen_batch, r.ours)} |",
            flush=True,
        )


@dataclass
class SecondRow:
    """CPU seconds of indikator and the tight numpy on the second ruleset at one size."""

    size: int
    ours: float
    core: float
    numpy: float


def measure_second(ruleset: indikator.Ruleset, size: int, repeat: int) -> SecondRow:
    """Check the numpy translation of the second ruleset against indikator, then time both."""
    table = make_second_table(size)
    check(
        "numpy (second ruleset)",
        answers(ruleset.evaluate_many(table)),
        second_numpy.evaluate(table),
    )
    return SecondRow(
        size=size,
        ours=cpu_best(repeat, lambda: ruleset.evaluate_many(table)),
        core=_core_time(ruleset, table, repeat),
        numpy=cpu_best(repeat, lambda: second_numpy.evaluate(table)),
    )


def print_second(rows: Sequence[SecondRow]) -> None:
    name = SECOND.relative_to(ROOT)
    print(f"\n### Batch, second ruleset (`{name}`; CPU seconds, best of the runs)\n")
    print(
        "| regions | indikator `evaluate_many` | of which `evaluate.run` | numpy | "
        "indikator / numpy | `evaluate.run` / numpy |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r.size:,} | {r.ours:.4f} | {r.core:.4f} | {r.numpy:.4f} "
            f"| {r.ours / r.numpy:.2f}x | {r.core / r.numpy:.2f}x |",
            flush=True,
        )


# ---------------------------------------------------------------------------------- threads --


def wall_best(repeat: int, function: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds of one call in the run with the shortest wall clock.

    Threads show on the wall clock only (CPU time adds up every thread's). Calls shorter
    than `MIN_RUN_SECONDS` are timed in runs, as `cpu_best` does.
    """
    start = time.perf_counter()
    function()
    calls = max(1, math.ceil(MIN_RUN_SECONDS / max(time.perf_counter() - start, 1e-6)))
    runs = []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        for _ in range(calls):
            function()
        wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        runs.append((wall / calls, cpu / calls))
    return min(runs)


@dataclass
class ThreadsRow:
    """Wall and CPU seconds of numpy and `evaluate_many` in one piece, in chunks, on threads."""

    ruleset: str
    size: int
    numpy: tuple[float, float]
    whole: tuple[float, float]
    chunks: tuple[float, float]
    threads: tuple[float, float]


def measure_threads(second: bool, size: int, args: Any) -> ThreadsRow:  # noqa: FBT001
    """`evaluate_many` as before chunks (one piece), in chunks, and on `--workers` threads.

    Each variant is checked to give the numpy translation's totals and tiers first.
    """
    ruleset = indikator.load(SECOND) if second else indikator.load(RULESET, root=RULESETS)
    table = make_second_table(size) if second else make_table(size)
    tight = second_numpy.evaluate if second else kla_numpy.evaluate
    workers = args.workers
    variants: dict[str, Callable[[], indikator.Results]] = {
        # a chunk as large as any table: the code before chunks
        "whole": lambda: ruleset.evaluate_many(table, chunk_rows=2**62),
        "chunks": lambda: ruleset.evaluate_many(table),
        "threads": lambda: ruleset.evaluate_many(table, workers=workers),
    }
    expected = tight(table)
    for variant in variants.values():
        check("numpy", answers(variant()), expected)
    repeat = args.repeat
    return ThreadsRow(
        ruleset="second" if second else "KLA",
        size=size,
        numpy=wall_best(repeat, lambda: tight(table)),
        whole=wall_best(repeat, variants["whole"]),
        chunks=wall_best(repeat, variants["chunks"]),
        threads=wall_best(repeat, variants["threads"]),
    )


def print_threads(rows: Sequence[ThreadsRow], workers: int) -> None:
    print("\n### Chunks and threads (wall / CPU seconds, the run with the best wall clock)\n")
    print(
        "| ruleset | regions | numpy | one piece | chunks | "
        f"chunks, {workers} threads | one piece / numpy | chunks / numpy | "
        f"{workers} threads / numpy (wall) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        cells = [f"{wall:.4f} / {cpu:.4f}" for wall, cpu in (r.numpy, r.whole, r.chunks, r.threads)]
        ratios = [f"{t[0] / r.numpy[0]:.2f}x" for t in (r.whole, r.chunks, r.threads)]
        row = " | ".join([r.ruleset, f"{r.size:,}", *cells, *ratios])
        print(f"| {row} |", flush=True)


# ---------------------------------------------------------------------------------- latency --


def measure_latency(ruleset: indikator.Ruleset, peers: Peers, calls: int) -> None:
    """One region per call, as a web application would: indikator against the plain function."""
    rows = kla_python.rows(make_table(calls))
    for index, region in enumerate(rows):
        result = ruleset.evaluate(region)
        if (result.total, result.tier_code) != kla_python.evaluate(region):
            sys.exit(f"latency: row {index}: indikator and the Python function disagree")

    def ours(region: Mapping[str, Any]) -> Callable[[], object]:
        def call() -> object:
            result = ruleset.evaluate(region)
            return result.tier(), result.total

        return call

    def plain(region: Mapping[str, Any]) -> Callable[[], object]:
        return lambda: kla_python.evaluate(region)

    timings = {
        "indikator `Ruleset.evaluate` + `.tier()` + `.total`": per_call(map(ours, rows)),
        "plain Python function (kla_python.py)": per_call(map(plain, rows)),
    }
    if peers.zen:
        zen, (_, decision) = peers.zen, peers.zen.engine()
        contexts = [zen.context(row) for row in rows]

        def graph(region: Mapping[str, Any]) -> Callable[[], object]:
            return lambda: zen.evaluate(decision, region)

        timings["ZEN `ZenDecision.evaluate`"] = per_call(map(graph, contexts))
    baseline = timings["plain Python function (kla_python.py)"][0]
    print(f"\n### Single-region latency (median of {calls:,} calls, each a different region)\n")
    print("| engine | CPU µs per call | wall µs per call | CPU / plain Python |")
    print("|---|---:|---:|---:|")
    for name, (cpu, wall) in timings.items():
        print(f"| {name} | {cpu:,.1f} | {wall:,.1f} | {cpu / baseline:.2f}x |")


# ---------------------------------------------------------------------------------- compile --

IMPORT_CODE = (
    "import time; s, c = time.perf_counter(), time.process_time(); import indikator; "
    "print(time.perf_counter() - s, time.process_time() - c)"
)
#: What a command-line tool or a web app's worker does first: import, then load one file.
FIRST_LOAD_CODE = (
    "import sys, time; s, c = time.perf_counter(), time.process_time(); import indikator; "
    "indikator.load(sys.argv[1]); print(time.perf_counter() - s, time.process_time() - c, "
    "int('numpy' in sys.modules), int('networkx' in sys.modules))"
)
FRESH_RUNS = 7


def shipped_rulesets() -> list[Path]:
    """Every file under rulesets/ with a `ruleset` header (catalogues are only imported)."""
    return sorted(p for p in RULESETS.rglob("*.ikr") if HEADER.search(p.read_text("utf-8")))


def child(*args: str) -> Any:
    """Run this script in a fresh interpreter with `args`; return the JSON it prints."""
    command = [sys.executable, str(Path(__file__).resolve()), *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def compile_child(path: str, runs: int) -> None:
    """(in a fresh process) First load of one ruleset, then the median of `runs` more."""
    start, start_cpu = time.perf_counter(), time.process_time()
    indikator.load(path, root=RULESETS)
    first, first_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    cpu = []
    for _ in range(runs):
        start_cpu = time.process_time()
        indikator.load(path, root=RULESETS)
        cpu.append(time.process_time() - start_cpu)
    size = Path(path).stat().st_size
    print(json.dumps({"first": first, "first_cpu": first_cpu, "cpu": cpu, "bytes": size}))


def measure_compile(runs: int) -> None:
    print(f"\n### Compile (`indikator.load`, each ruleset in a fresh process; median of {runs})\n")
    print("| ruleset | KB | first load, wall (ms) | first load, CPU (ms) | then, median CPU (ms) |")
    print("|---|---:|---:|---:|---:|")
    for path in shipped_rulesets():
        out = child("--child-compile", str(path), "--runs", str(runs))
        print(
            f"| `{path.relative_to(ROOT)}` | {out['bytes'] / 1000:.0f} | {out['first'] * 1000:.0f} "
            f"| {out['first_cpu'] * 1000:.0f} | {statistics.median(out['cpu']) * 1000:.1f} |"
        )
    wall, cpu, _ = fresh_interpreter(IMPORT_CODE)
    print(
        f"\n`import indikator` in a fresh interpreter, median of {FRESH_RUNS}: "
        f"{wall * 1000:.0f} ms wall clock, {cpu * 1000:.0f} ms CPU"
    )
    wall, cpu, imported = fresh_interpreter(FIRST_LOAD_CODE, str(RULESET))
    heavy = [name for name, flag in zip(("numpy", "networkx"), imported, strict=True) if flag]
    print(
        f"\n`import indikator` then the first `indikator.load` of `{RULESET.relative_to(ROOT)}` "
        f"in a fresh interpreter (bytecode cached, as for an installed package), median of "
        f"{FRESH_RUNS}: {wall * 1000:.0f} ms wall clock, {cpu * 1000:.0f} ms CPU; "
        f"imported {', '.join(heavy) or 'neither numpy nor networkx'}"
    )


def fresh_interpreter(code: str, *args: str) -> tuple[float, float, list[int]]:
    """Median wall-clock and CPU seconds `code` prints, each run in a fresh interpreter.

    Bytecode is written and read as for an installed package (a first, untimed run
    writes it), whatever PYTHONDONTWRITEBYTECODE says; the rest of what `code` prints
    comes back from the last run.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    command = [sys.executable, "-c", code, *args]
    runs = []
    for _ in range(FRESH_RUNS + 1):
        done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)  # noqa: S603
        runs.append(done.stdout.split())
    timed = runs[1:]
    wall = statistics.median(float(words[0]) for words in timed)
    cpu = statistics.median(float(words[1]) for words in timed)
    return wall, cpu, [int(word) for word in timed[-1][2:]]


# ----------------------------------------------------------------------------------- memory --

#: Each engine in a fresh process: KLA (indikator keeping its outputs, the default, or
#: every array, then numpy and OpenFisca), and the second ruleset the same way.
MEMORY_ENGINES = (
    "indikator",
    "indikator-whole",
    "indikator-scores",
    "indikator-all",
    "numpy",
    "openfisca",
    "second",
    "second-whole",
    "second-scores",
    "second-all",
    "second-numpy",
)

MEMORY_LABELS = {
    "indikator": "indikator, KLA",
    "indikator-whole": "indikator, KLA, in one piece (`chunk_rows=N`)",
    "indikator-scores": 'indikator, KLA, `keep="scores"`',
    "indikator-all": 'indikator, KLA, `keep="all"`',
    "numpy": "numpy, KLA",
    "openfisca": "OpenFisca, KLA",
    "second": "indikator, second",
    "second-whole": "indikator, second, in one piece (`chunk_rows=N`)",
    "second-scores": 'indikator, second, `keep="scores"`',
    "second-all": 'indikator, second, `keep="all"`',
    "second-numpy": "numpy, second",
}


def memory_child(engine: str, size: int, kind: str = "dict") -> None:
    """(in a fresh process) Input bytes, RSS growth, tracemalloc peak and time of one call.

    The table is turned into the input `kind` before anything is measured: what is
    measured is what indikator does with a DataFrame, an Arrow table or a Parquet file.
    """
    evaluate = _memory_engine(engine)
    if evaluate is None:
        print(json.dumps(None))
        return
    make = make_second_table if engine.startswith("second") else make_table
    with tempfile.TemporaryDirectory() as folder:
        given = _input_maker(kind, Path(folder))
        evaluate(given(make(100)))  # warm up: imports, caches, the parser
        table = make(size)
        source = given(table)
        gc.collect()
        rss_before = _reset_peak_rss()
        start = time.perf_counter()
        result = evaluate(source)
        seconds = time.perf_counter() - start
        rss_growth = None if rss_before is None else _status_bytes("VmHWM") - rss_before
        del result
        gc.collect()
        tracemalloc.start()
        result = evaluate(source)
        current, peak = tracemalloc.get_traced_memory()  # current: what the result keeps
        tracemalloc.stop()
        del result
    out = {
        "input": table_bytes(table),
        "peak": peak,
        "kept": current,
        "rss": rss_growth,
        "seconds": seconds,
    }
    print(json.dumps(out))


#: The ways one table can reach `evaluate_many` (`--inputs`), measured by `memory`.
INPUT_KINDS = ("dict", "pandas", "pandas-category", "arrow", "arrow-dictionary", "parquet")

INPUT_LABELS = {
    "dict": "dict of numpy arrays",
    "pandas": "pandas DataFrame",
    "pandas-category": "pandas DataFrame, `category` option, yes/no and text columns",
    "arrow": "pyarrow Table (strings)",
    "arrow-dictionary": "pyarrow Table, option, yes/no and text columns dictionary-encoded",
    "parquet": "Parquet file, `tables.read_table` then `evaluate_many`",
}


def _coded_columns(table: Table) -> list[str]:
    """The KLA table's columns of option, yes/no, checklist and text inputs, and the ids."""
    ruleset = indikator.load(RULESET, root=RULESETS)
    coded = [c for c in (ruleset.plan.region, ruleset.plan.region_name) if c]
    for spec in ruleset.plan.inputs:
        if spec.kind in ("option", "yesno", "checklist", "text"):
            coded += columns_of(spec)
    return [name for name in table if name in coded]


def _input_maker(kind: str, folder: Path) -> Callable[[Table], Any]:
    """The table → the same table as an input of `kind` (a path for Parquet)."""
    if kind == "dict":
        return lambda table: table
    import pandas as pd  # noqa: PLC0415  # only for these input kinds
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    def frame(table: Table) -> Any:
        data = pd.DataFrame(table)
        if kind == "pandas-category":
            for name in _coded_columns(table):
                data[name] = data[name].astype("category")
        return data

    def arrow(table: Table) -> Any:
        coded = _coded_columns(table) if kind == "arrow-dictionary" else []
        columns = {name: pa.array(values) for name, values in table.items()}
        return pa.table({n: c.dictionary_encode() if n in coded else c for n, c in columns.items()})

    def parquet(table: Table) -> Path:
        path = folder / f"table-{len(next(iter(table.values())))}.parquet"
        pq.write_table(arrow(table), path)
        return path

    return {"pandas": frame, "pandas-category": frame, "arrow": arrow}.get(
        kind, arrow if kind == "arrow-dictionary" else parquet
    )


def _status_bytes(field: str) -> int:
    """A memory figure of this process from /proc/self/status (Linux), in bytes."""
    for line in Path("/proc/self/status").read_text("ascii").splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    msg = f"no {field} in /proc/self/status"
    raise LookupError(msg)


def _reset_peak_rss() -> int | None:
    """Reset the peak resident set to the current one and return it; None off Linux.

    The peak (VmHWM) must be reset: building the table has already pushed it higher than
    the evaluation alone would (writing 5 to clear_refs resets it, Linux 4.0 and later).
    """
    try:
        Path("/proc/self/clear_refs").write_text("5", "ascii")
        return _status_bytes("VmRSS")
    except (OSError, LookupError):
        return None


def _memory_engine(engine: str) -> Callable[[Table], object] | None:
    name, _, variant = engine.partition("-")
    if name in ("indikator", "second") and variant in ("", "whole", "scores", "all"):
        second = name == "second"
        ruleset = indikator.load(SECOND) if second else indikator.load(RULESET, root=RULESETS)
        keep = variant if variant in ("scores", "all") else "outputs"
        # "whole": the table in one piece, as before chunks (a chunk as large as any table)
        rows = 2**62 if variant == "whole" else None

        def evaluate(table: Any) -> object:
            if isinstance(table, Path):  # a Parquet file: read as `indikator evaluate` does
                table = read_table(table)
            return ruleset.evaluate_many(table, keep=keep, chunk_rows=rows)

        return evaluate
    if engine == "numpy":
        return kla_numpy.evaluate
    if engine == "second-numpy":
        return second_numpy.evaluate
    module, _ = _import("kla_openfisca")
    if module is None:
        return None
    system = module.build_system()
    return lambda table: module.evaluate(system, table)


def measure_inputs(size: int, kinds: Sequence[str]) -> None:
    """Memory and time of indikator on the KLA table given as each input kind."""
    print(f"\n### Memory and time by input kind at {size:,} regions (fresh processes)\n")
    print(
        "| input | peak during the call, tracemalloc (MB) | peak RSS growth (MB) "
        "| time of the call (s) |"
    )
    print("|---|---:|---:|---:|")
    for kind in kinds:
        out = child("--child-memory", "indikator", "--memory-size", str(size), "--input", kind)
        rss = "n/a" if out["rss"] is None else f"{out['rss'] / MB:.0f}"
        print(
            f"| {INPUT_LABELS[kind]} | {out['peak'] / MB:.0f} | {rss} | {out['seconds']:.2f} |",
            flush=True,
        )


def measure_memory(size: int, peers: Peers) -> None:
    engines = [e for e in MEMORY_ENGINES if e != "openfisca" or peers.openfisca]
    print(f"\n### Memory at {size:,} regions (each engine in a fresh process)\n")
    print(
        "| engine | input table (MB) | peak during the call, tracemalloc (MB) | peak / input "
        "| result kept (MB) | peak RSS growth (MB) | RSS growth / input |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for engine in engines:
        out = child("--child-memory", engine, "--memory-size", str(size))
        if out is None:
            continue
        size_in, rss = out["input"], out["rss"]
        rss_cells = ("n/a", "n/a") if rss is None else (f"{rss / MB:.0f}", f"{rss / size_in:.2f}x")
        print(
            f"| {MEMORY_LABELS[engine]} | {size_in / MB:.0f} | {out['peak'] / MB:.0f} | "
            f"{out['peak'] / size_in:.2f}x | {out['kept'] / MB:.0f} | {' | '.join(rss_cells)} |",
            flush=True,
        )


# ------------------------------------------------------------------------------------ scale --

#: The engines of the scale part, each run in a fresh process per size.
SCALE_ENGINES = ("numpy", "duckdb", "spark")
#: An engine is not run at a size where its peak RSS per region at the size below (at
#: least a tenth of it) would pass this share of the memory available (a shared machine).
SCALE_SHARE = 0.7
#: DuckDB's memory limit in the scale part (it spills beyond it: out of core).
SCALE_DUCKDB_MEMORY = "4GB"
SCALE_LABELS = {
    "numpy": "numpy (`evaluate_many`)",
    "duckdb": f"DuckDB (`evaluate --engine duckdb`, limit {SCALE_DUCKDB_MEMORY})",
    "spark": "Spark SQL, `local[2]`",
}


#: The Parquet files of the scale part's folder (DuckDB reads them as one table by a glob).
SCALE_PARTS = 8


def write_parquet(size: int, path: Path) -> None:
    """(in a fresh process) The KLA table of `size` regions as a folder of Parquet files.

    Empty cells as Parquet nulls (not NaN), as a table exported from a database holds them;
    `SCALE_PARTS` files of consecutive regions (`part0.parquet`, ...).
    """
    import pyarrow as pa  # noqa: PLC0415  # only for this part
    import pyarrow.parquet as pq  # noqa: PLC0415

    table = make_table(size)
    path.mkdir()
    for part in range(SCALE_PARTS):
        rows = slice(part * size // SCALE_PARTS, (part + 1) * size // SCALE_PARTS)
        columns = {name: pa.array(values[rows], from_pandas=True) for name, values in table.items()}
        pq.write_table(pa.table(columns), path / f"part{part}.parquet")


def scale_child(engine: str, size: int, path: str) -> None:
    """(in a fresh process) One evaluation of KLA on `size` regions: times, peak RSS, digest.

    `base`: the peak RSS once the modules are imported and the ruleset loaded; numpy then
    builds its table in memory (not timed, but counted: the input is the engine's to hold),
    DuckDB (a glob of its files) and Spark read the Parquet folder `path`.
    """
    ruleset = indikator.load(RULESET, root=RULESETS)
    if engine == "duckdb":
        import duckdb  # noqa: PLC0415  # imported before `base`, as numpy is

        from indikator.sql.engine import evaluate_sql  # noqa: PLC0415
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    if engine == "numpy":
        table = make_table(size)
        start, start_cpu = time.perf_counter(), time.process_time()
        results = ruleset.evaluate_many(table)
        total, tier = np.asarray(results["total"]), np.asarray(results["tier"])
    elif engine == "duckdb":
        start, start_cpu = time.perf_counter(), time.process_time()
        # `evaluate_path`'s route for Parquet, under a memory limit (its default is 80% of
        # the machine's memory, besides the results Python holds).
        connection = duckdb.connect(config={"memory_limit": SCALE_DUCKDB_MEMORY})
        connection.read_parquet(str(Path(path) / "*.parquet")).create_view("data")
        results = evaluate_sql(ruleset, connection, "data", labels=True)
        total, tier = np.asarray(results["total"]), np.asarray(results["tier"])
    else:
        start, start_cpu = time.perf_counter(), time.process_time()
        total, tier, spark_out = _spark_answers(ruleset, path)
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    digest = hashlib.sha256(total.astype(np.float64).tobytes() + tier.astype(np.int64).tobytes())
    out = {"wall": wall, "cpu": cpu, "peak": peak, "base": base, "digest": digest.hexdigest()}
    if engine == "spark":
        out |= spark_out
    print(json.dumps(out))


#: The JVM's heap for Spark's local session: the driver runs the tasks too.
SPARK_MEMORY = "8g"


def _spark_answers(ruleset: indikator.Ruleset, path: str) -> tuple[Any, Any, dict[str, Any]]:
    """KLA's Spark SQL over the Parquet file in a local session on 2 cores: totals and tiers.

    Put back in the table's order by region id (the ids rise with the rows): Spark packs a
    folder's files into partitions by size, so the query's order (`_row`, the order Spark
    reads the rows in) is not the files' (`test_sql_spark.py` checks it in one file). Also
    the JVM's CPU seconds (user + system, from /proc: Spark computes in that process, not
    this one), the count of flagged rows (their values are not numpy's to compare) and
    the number of partitions Spark read the file in.
    """
    spark_sql: Any = importlib.import_module("pyspark.sql")  # not installed by default
    spark = (
        spark_sql.SparkSession.builder.master("local[2]")
        .config("spark.driver.memory", SPARK_MEMORY)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.analyzer.maxIterations", "10000")  # the nested levels (docs/sql.md)
        .config("spark.sql.optimizer.maxIterations", "10000")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")  # toPandas through Arrow
        .getOrCreate()
    )
    data = spark.read.parquet(path)
    data.createOrReplaceTempView("data")
    region = ruleset.plan.region or "kode_kabkota"  # KLA's
    columns = (region, "total", "tier", "_unsure", "_problem")
    rows = spark.sql(ruleset.to_sql("spark")).select(*columns).toPandas()
    rows = rows.iloc[np.argsort(rows[region].to_numpy(object), kind="stable")]
    jvm_cpu = _process_cpu(spark.sparkContext._gateway.proc.pid)  # noqa: SLF001
    out = {
        "jvm_cpu": jvm_cpu,
        "flagged": int((rows["_unsure"] | rows["_problem"]).sum()),
        "partitions": data.rdd.getNumPartitions(),
        "jobs": len(spark.sparkContext.statusTracker().getJobIdsForGroup()),
    }
    spark.stop()
    return rows["total"].to_numpy(np.float64), rows["tier"].to_numpy(np.int64), out


def _process_cpu(pid: int) -> float:
    """A running process's CPU seconds, user + system, all its threads (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text("ascii").rsplit(")", 1)[1].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of stat(5)
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def measure_scale(sizes: Sequence[int], *, spark: bool, only: Sequence[str] = ()) -> None:
    """How cost grows: per-region time and memory of each engine from the smallest size up.

    `only`: these engines alone (e.g. numpy and spark: Spark's digest against numpy's).
    """
    import tempfile  # noqa: PLC0415

    engines = [e for e in SCALE_ENGINES if (e != "spark" or spark) and (not only or e in only)]
    if spark and (missing := _spark_missing()):
        print(f"\nnote: Spark not measured: {missing}")
        engines.remove("spark")
    print("\n### How cost grows (KLA, each engine and size in a fresh process)\n")
    print(
        "| engine | regions | wall s | CPU s | µs CPU per region | peak RSS (MB) "
        "| of which imports and ruleset (MB) | bytes per region (peak beyond those) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    per_region: dict[str, tuple[int, float]] = {}  # engine → last size, peak bytes per region
    skipped = []
    with tempfile.TemporaryDirectory(prefix="indikator-scale-") as folder:
        for size in sizes:
            path = str(Path(folder) / f"kla_{size}")
            child("--child-parquet", path, "--memory-size", str(size))
            digests = {}
            for engine in engines:
                if (need := _need(per_region.get(engine), size)) > SCALE_SHARE * _available():
                    skipped.append(f"{SCALE_LABELS[engine]} at {size:,}: ~{need / 1e9:.0f} GB")
                    continue
                out = child("--child-scale", engine, "--memory-size", str(size), "--path", path)
                digests[engine] = out["digest"]
                per_region[engine] = (size, out["peak"] / size)
                print(_scale_row(engine, size, out), flush=True)
            if len(set(digests.values())) > 1:
                sys.exit(f"the engines disagree on totals or tiers at {size:,} regions: {digests}")
            shutil.rmtree(path)
    print("\nEvery engine gave the same totals and tiers (SHA-256 of both) at every size.")
    if skipped:
        print(f"Not run, their peak RSS at the size below would pass {SCALE_SHARE:.0%} of the")
        print(f"memory available: {'; '.join(skipped)}.")


def _need(last: tuple[int, float] | None, size: int) -> float:
    """The peak RSS `size` regions would take, from the last size's peak per region.

    No guess from a size below a tenth of this one: there the fixed costs (imports,
    DuckDB's buffers) dominate, and a guess per region would be far too high.
    """
    if last is None or last[0] * 10 < size:
        return 0.0
    return last[1] * size


def _available() -> float:
    """Bytes of memory available now (Linux: MemAvailable); infinite elsewhere."""
    try:
        for line in Path("/proc/meminfo").read_text("ascii").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024.0
    except OSError:
        pass
    return math.inf


def _spark_missing() -> str:
    """Why Spark cannot run here ('' if it can): pyspark and a Java runtime."""
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install pyspark, in an environment of its own)"
    if shutil.which("java") is None:
        return "no java on PATH (Spark needs a Java runtime, e.g. openjdk-17-jre)"
    return ""


def _scale_row(engine: str, size: int, out: Mapping[str, Any]) -> str:
    cpu = out["cpu"] + out.get("jvm_cpu", 0.0)  # Spark: the driver's and the JVM's
    if engine == "spark":
        print(
            f"Spark at {size:,}: JVM {out['jvm_cpu']:.2f} s of CPU, {cpu / out['wall']:.2f} "
            f"CPU s per wall s, {out['partitions']} partitions read, {out['jobs']} jobs, "
            f"{out['flagged']} rows flagged",
            file=sys.stderr,
        )
    per_region = f"{cpu / size * 1e6:.2f}"
    grown = (out["peak"] - out["base"]) / size
    return (
        f"| {SCALE_LABELS[engine]} | {size:,} | {out['wall']:.2f} | {cpu:.2f} | {per_region} "
        f"| {out['peak'] / MB:.0f} | {out['base'] / MB:.0f} | {grown:,.0f} |"
    )


# -------------------------------------------------------------------------------------- csv --

#: How a CSV file is evaluated in the csv part, each in a fresh process per size.
CSV_ROUTES = {
    "numpy": "numpy (`read_table`, `evaluate_many`)",
    "whole": "DuckDB, the file read whole (`read_table`, `evaluate_read`)",
    "blocks": "DuckDB, the file read in blocks (`evaluate_path`)",
}


def write_csv_file(size: int, path: Path) -> None:
    """(in a fresh process) The KLA table of `size` regions as one CSV file."""
    write_table({name: values.tolist() for name, values in make_table(size).items()}, path)


def csv_child(route: str, path: str) -> None:
    """(in a fresh process) KLA on the CSV file `path` by `route`: times, peak RSS, digest."""
    import duckdb  # noqa: F401, PLC0415  # imported before `base`, by every route

    from indikator.sql.engine import evaluate_path, evaluate_read  # noqa: PLC0415

    ruleset = indikator.load(RULESET, root=RULESETS)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    start, start_cpu = time.perf_counter(), time.process_time()
    if route == "numpy":
        results = ruleset.evaluate_many(read_table(path, ruleset=ruleset))
    elif route == "whole":
        results = evaluate_read(ruleset, read_table(path, ruleset=ruleset))
    else:
        results = evaluate_path(ruleset, path)
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    total, tier = np.asarray(results["total"]), np.asarray(results["tier"])
    digest = hashlib.sha256(total.astype(np.float64).tobytes() + tier.astype(np.int64).tobytes())
    out = {"wall": wall, "cpu": cpu, "peak": peak, "base": base, "digest": digest.hexdigest()}
    print(json.dumps(out))


def measure_csv(sizes: Sequence[int]) -> None:
    """A CSV file through numpy and through DuckDB, read whole or in blocks."""
    import tempfile  # noqa: PLC0415

    print("\n### A CSV file (KLA, each route and size in a fresh process)\n")
    print(
        "| route | regions | file (MB) | wall s | CPU s | peak RSS (MB) "
        "| of which imports and ruleset (MB) | peak beyond those (MB) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="indikator-csv-bench-") as folder:
        for size in sizes:
            path = Path(folder) / f"kla_{size}.csv"
            child("--child-csv-file", str(path), "--memory-size", str(size))
            digests = {}
            for route, label in CSV_ROUTES.items():
                out = child("--child-csv", route, "--path", str(path))
                digests[route] = out["digest"]
                print(
                    f"| {label} | {size:,} | {path.stat().st_size / MB:.0f} | {out['wall']:.2f} "
                    f"| {out['cpu']:.2f} | {out['peak'] / MB:.0f} | {out['base'] / MB:.0f} "
                    f"| {(out['peak'] - out['base']) / MB:.0f} |",
                    flush=True,
                )
            if len(set(digests.values())) > 1:
                sys.exit(f"the routes disagree on totals or tiers at {size:,} regions: {digests}")
            path.unlink()
    print("\nEvery route gave the same totals and tiers (SHA-256 of both) at every size.")


# ------------------------------------------------------------------------------------- main --


def measure_sensitivity(ruleset: indikator.Ruleset, runs: str) -> None:
    """`Ruleset.sensitivity`: wall and CPU seconds per run, and per million draw-regions."""
    print("\n### sensitivity (draws x regions, one process, wall and CPU time of one run)\n")
    print("| draws | regions | draw-regions | used draws | wall s | CPU s | CPU s per 10^6 |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size in runs.split(","):
        draws, regions = (int(part) for part in size.split("x"))
        table = make_table(regions)
        start, start_cpu = time.perf_counter(), time.process_time()
        result = ruleset.sensitivity(table, draws=draws, seed=SEED)
        wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        cells = draws * regions
        print(
            f"| {draws:,} | {regions:,} | {cells:,} | {result.used:,} | {wall:.2f} | {cpu:.2f}"
            f" | {cpu / cells * 1e6:.2f} |"
        )


def profile(ruleset: indikator.Ruleset, table: Table, lines: int) -> None:
    """Print where `evaluate_many` spends its time (cProfile of CPU time, sorted by own time).

    CPU time (`time.process_time`) of a second call, as the batch timings: other jobs on a
    shared machine stretch the wall clock of some calls and not others, and the first call
    in a process pays the page faults of a fresh heap (up to twice the time at 10^6).
    """
    ruleset.evaluate_many(table)  # warm up: the first call also pays the heap's first touch
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    ruleset.evaluate_many(table)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.strip_dirs().sort_stats("tottime").print_stats(lines)
    stats.sort_stats("cumulative").print_stats(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in DEFAULT_SIZES),
        help="comma-separated numbers of regions for the batch part (default: %(default)s)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per batch timing; the best counts (default: 3)"
    )
    parser.add_argument(
        "--only",
        default=",".join(DEFAULT_PARTS),
        help=f"comma-separated parts to run, of {', '.join(PARTS)} (default: all but scale)",
    )
    parser.add_argument(
        "--skip-peers", action="store_true", help="leave out OpenFisca and ZEN even if installed"
    )
    parser.add_argument(
        "--row-limit",
        type=int,
        default=10_000,
        help="per-row engines are timed on at most this many rows (default: %(default)s)",
    )
    parser.add_argument(
        "--calls", type=int, default=1000, help="calls per engine for latency (default: 1000)"
    )
    parser.add_argument(
        "--runs", type=int, default=20, help="repeated loads per ruleset for compile (default: 20)"
    )
    parser.add_argument(
        "--memory-size", type=int, default=10**6, help="regions for memory (default: 10^6)"
    )
    parser.add_argument(
        "--inputs",
        default="",
        help="memory: also measure the KLA table given as these comma-separated input kinds, "
        f"of {', '.join(INPUT_KINDS)} (default: none)",
    )
    parser.add_argument(
        "--ruleset",
        choices=("kla", "second", "both"),
        default="both",
        help="batch part and --profile: KLA 2025, the second benchmark ruleset "
        "(benchmarks/second.ikr) or both (default: %(default)s)",
    )
    parser.add_argument(
        "--profile", type=int, metavar="N", help="profile evaluate_many on N regions and stop"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="threads of `evaluate_many(workers=N)` in the threads part (default: %(default)s)",
    )
    parser.add_argument(
        "--sensitivity",
        default="1000x514,10000x514,10000x100,2000x2570",
        help="DRAWSxREGIONS runs of `Ruleset.sensitivity` (default: %(default)s)",
    )
    parser.add_argument(
        "--spark", action="store_true", help="scale: Spark SQL too (needs pyspark and java)"
    )
    parser.add_argument("--child-compile", metavar="PATH", help=argparse.SUPPRESS)
    parser.add_argument(
        "--scale-engines",
        default="",
        help="scale: only these engines, comma-separated (numpy, duckdb, spark; default: all)",
    )
    parser.add_argument("--child-parquet", metavar="PATH", help=argparse.SUPPRESS)
    parser.add_argument("--child-scale", choices=SCALE_ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--child-csv-file", metavar="PATH", help=argparse.SUPPRESS)
    parser.add_argument("--child-csv", choices=tuple(CSV_ROUTES), help=argparse.SUPPRESS)
    parser.add_argument("--child-memory", choices=MEMORY_ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--input", choices=INPUT_KINDS, default="dict", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child_compile:
        compile_child(args.child_compile, args.runs)
        return
    if args.child_memory:
        memory_child(args.child_memory, args.memory_size, args.input)
        return
    if args.child_parquet:
        write_parquet(args.memory_size, Path(args.child_parquet))
        print(json.dumps(None))
        return
    if args.child_scale:
        scale_child(args.child_scale, args.memory_size, args.path)
        return
    if args.child_csv_file:
        write_csv_file(args.memory_size, Path(args.child_csv_file))
        print(json.dumps(None))
        return
    if args.child_csv:
        csv_child(args.child_csv, args.path)
        return
    if args.profile:
        if args.ruleset != "second":
            profile(indikator.load(RULESET, root=RULESETS), make_table(args.profile), 25)
        if args.ruleset != "kla":
            profile(indikator.load(SECOND), make_second_table(args.profile), 25)
        return

    parts = set(args.only.split(","))
    if unknown := parts - set(PARTS):
        sys.exit(f"unknown part(s) for --only: {', '.join(sorted(unknown))}")
    kinds = [kind for kind in args.inputs.split(",") if kind]
    if unknown := set(kinds) - set(INPUT_KINDS):
        sys.exit(f"unknown input kind(s) for --inputs: {', '.join(sorted(unknown))}")
    peers = Peers.load(skip=args.skip_peers)
    ruleset = indikator.load(RULESET, root=RULESETS)
    print_header(ruleset, peers, args)
    if "batch" in parts:
        sizes = [int(s) for s in args.sizes.split(",")]
        if args.ruleset != "second":
            print_batch([measure_batch(ruleset, peers, size, args) for size in sizes])
        if args.ruleset != "kla":
            second = indikator.load(SECOND)
            print_second([measure_second(second, size, args.repeat) for size in sizes])
    if "threads" in parts:
        sizes = [int(s) for s in args.sizes.split(",")]
        which = [False] * (args.ruleset != "second") + [True] * (args.ruleset != "kla")
        rows = [measure_threads(second, size, args) for second in which for size in sizes]
        print_threads(rows, args.workers)
    if "latency" in parts:
        measure_latency(ruleset, peers, args.calls)
    if "compile" in parts:
        measure_compile(args.runs)
    if "memory" in parts:
        measure_memory(args.memory_size, peers)
        if kinds:
            measure_inputs(args.memory_size, kinds)
    if "sensitivity" in parts:
        measure_sensitivity(ruleset, args.sensitivity)
    if "scale" in parts:
        measure_scale(
            [int(s) for s in args.sizes.split(",")],
            spark=args.spark,
            only=[e for e in args.scale_engines.split(",") if e],
        )
    if "csv" in parts:
        measure_csv([int(s) for s in args.sizes.split(",")])
    print(f"\nat the end: {_load()} (other processes on the machine skew the timings)")


def print_header(ruleset: indikator.Ruleset, peers: Peers, args: argparse.Namespace) -> None:
    versions = f"numpy {np.__version__}, indikator {indikator.__version__}, {peers.versions()}"
    print(f"commit {_commit()}; python {sys.version.split()[0]}, {versions}")
    print(f"{os.cpu_count()} CPUs, {_load()}")
    ruleset_name = RULESET.relative_to(ROOT)
    print(f"ruleset {ruleset_name}: {len(ruleset.inputs)} inputs; batch: best of {args.repeat}")
    if args.ruleset != "kla":
        second = indikator.load(SECOND)
        print(f"second ruleset {SECOND.relative_to(ROOT)}: {len(second.inputs)} inputs")
    for note in peers.notes:
        print(f"note: {note}")
    print()


def _commit() -> str:
    """The checkout's commit, marked `+changes` when tracked files differ from it."""
    try:
        commit = _git("rev-parse", "--short", "HEAD")
        dirty = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit}+changes" if dirty else commit


def _git(*args: str) -> str:
    command = ["git", *args]  # git from PATH, as a developer runs it
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)  # noqa: S603
    return done.stdout.strip()


def _load() -> str:
    """The 1-minute load average, where the platform has one."""
    if not hasattr(os, "getloadavg"):
        return "load average unknown"
    return f"load average {os.getloadavg()[0]:.2f}"


if __name__ == "__main__":
    main()
