"""Benchmark: how compiling scales with the size of a ruleset (issue #6).

Prints CPU seconds (`time.process_time`, one run each) of `indikator.loads` for generated
rulesets of 1,000 … 100,000 definitions (half inputs, half indicators, in groups of 100),
with the time per definition, which stays flat when compiling is linear; then a 100,000-line
file, a 1 MB label, and 10,000 levels of nesting (refused with IK005). Run it with
`PYTHONPATH=src python3 benchmarks/limits.py [--sizes 1000,10000,100000]`.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import indikator

HEADER = "ruleset big { scale 0 to 10 }\n"
SCORE = "input x: number { range 0 to 100 }\nindicator s = bands x { [0, 100] -> 10 }\n"


def definitions(count: int) -> str:
    """`count` definitions: count/2 inputs and as many indicators, summed in groups of 100."""
    half = count // 2
    lines = [HEADER]
    for i in range(half):
        lines.append(f'input i{i} "Masukan {i}": percent\n')
        lines.append(f"indicator s{i} = bands i{i} {{ [0, 50) -> 0  [50, 100] -> 10 }}\n")
    groups = range(0, half, 100)
    for g in groups:
        members = ", ".join(f"s{i}" for i in range(g, min(half, g + 100)))
        lines.append(f"group g{g} = sum({members})\n")
    lines.append(f"group total = mean({', '.join(f'g{g}' for g in groups)}) max 10\n")
    lines.append('tiers on total { low "Rendah" [0, 5)  high "Tinggi" [5, 10] }\n')
    return "".join(lines)


def _seconds(run: Callable[[], object]) -> float:
    start = time.process_time()
    try:
        run()
    except indikator.RulesetError as error:
        codes = sorted({d.code for d in error.diagnostics})
        print(f"    (refused: {', '.join(codes)})")
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    indikator.loads(definitions(10))  # build the parser outside the timings

    print("| definitions | load (s) | per definition (ms) |")
    print("|---:|---:|---:|")
    for size in sizes:
        text = definitions(size)
        seconds = _seconds(lambda text=text: indikator.loads(text))  # type: ignore[misc]
        print(f"| {size:,} | {seconds:.2f} | {1000 * seconds / size:.3f} |", flush=True)

    cases = {
        "100,000 comment lines": HEADER + "# catatan\n" * 100_000 + SCORE,
        "a 1 MB label": HEADER + SCORE + f'let y "{"kata " * 200_000}" = x\n',
        "10,000-term chain (IK005)": HEADER + SCORE + "let y = " + " + ".join(["x"] * 10_000),
        "10,000 parentheses (IK005)": HEADER
        + SCORE
        + "let y = "
        + "(" * 10_000
        + "x"
        + ")" * 10_000,
        "10,000 nested ifs (IK005)": (
            HEADER + SCORE + "let y = " + "if x > 1 then " * 10_000 + "x" + " else 0" * 10_000
        ),
    }
    print()
    print("| text | load (s) |")
    print("|---|---:|")
    for name, text in cases.items():
        print(f"| {name} | {_seconds(lambda text=text: indikator.loads(text)):.2f} |", flush=True)  # type: ignore[misc]


if __name__ == "__main__":
    main()
