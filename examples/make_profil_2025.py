"""Generate examples/profil_2025.csv: one SYNTHETIC table for the three shipped schemes.

The regions that occur in all three synthetic example files (kla_2025.csv, kks_2025.csv,
stunting_2024.csv) with every column of the three, so that one call evaluates KLA, KKS and
the stunting assessment on the same regions:

    indikator evaluate kla kks stunting examples/profil_2025.csv

A column the schemes share (a fact of rulesets/common/facts.ikr: kode_kabkota, nama_kabkota,
provinsi, prevalensi_stunting, ktr, odf) is one column, taken from the first file that has it
in the order KKS, KLA, stunting: KKS also holds last year's prevalence
(prevalensi_stunting.prev), so this year's value comes from the same file. The generators draw
each file independently, so the KLA file's own prevalence and KTR step for these regions
differ (and so do KLA totals computed from kla_2025.csv); here there is one value per region,
as a shared data dictionary means.

Standard library only. Run from the repository root:

    python examples/make_profil_2025.py          # writes examples/profil_2025.csv
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).parent
SOURCES = ("kks_2025.csv", "kla_2025.csv", "stunting_2024.csv")  # first file wins a column
OUT = HERE / "profil_2025.csv"


def _rows(name: str) -> dict[str, dict[str, str]]:
    with (HERE / name).open(encoding="utf-8", newline="") as handle:
        return {row["kode_kabkota"]: row for row in csv.DictReader(handle)}


def main() -> None:
    """Write the merged file: the regions of all three files, in code order."""
    tables = [_rows(name) for name in SOURCES]
    codes = sorted(set(tables[0]).intersection(*tables[1:]))
    columns: list[str] = []
    for table in tables:
        first = next(iter(table.values()))
        columns += [column for column in first if column not in columns]
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for code in codes:
            merged: dict[str, str] = {}
            for table in tables:
                merged |= {k: v for k, v in table[code].items() if k not in merged}
            writer.writerow(merged)


if __name__ == "__main__":
    main()
