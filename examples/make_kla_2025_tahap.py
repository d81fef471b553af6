"""Generate examples/kla_2025_tahap.csv: SYNTHETIC KLA inputs at three stages of a season.

The first ten fictional regions of examples/kla_2025.csv (names "Contoh ...", codes 99xx that
BPS does not use) as they stand after the self-assessment (`mandiri`), after the
administrative verification of the documents (`verifikasi_adm`) and after the field visit
(`verifikasi_lapangan`). Each verification changes a few values the way verifiers do:
a regulation still in draft, a checklist item without its evidence, a share the records do
not back, a facility that was not found on the visit; one region gains a point its
self-assessment left out. Every value is invented. A fixed seed makes the file the same on
every run.

Standard library only. Run from the repository root (after make_kla_2025.py):

    python examples/make_kla_2025_tahap.py      # writes examples/kla_2025_tahap.csv
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

SEED = 2034
HERE = Path(__file__).parent
SOURCE = HERE / "kla_2025.csv"
OUT = HERE / "kla_2025_tahap.csv"
REGIONS = 10
STAGES = ("mandiri", "verifikasi_adm", "verifikasi_lapangan")
# A checklist item rejected in the administrative check: the SK or budget line is not attached.
DOCUMENTS = (
    "penguatan_kelembagaan.gugus_tugas",
    "penguatan_kelembagaan.anggaran",
    "penguatan_kelembagaan.profil_anak",
    "keterlibatan.dunia_usaha",
)


def administrative(row: dict[str, str], draw: random.Random) -> dict[str, str]:
    """The documents checked: a Perda still in draft, items without evidence, shares cut."""
    out = dict(row)
    if out["perda_kla"] in ("perda", "perkada") and draw.random() < 0.5:  # noqa: PLR2004
        out["perda_kla"] = "rancangan"
    for item in DOCUMENTS:
        if out[item] == "ya" and draw.random() < 0.3:  # noqa: PLR2004
            out[item] = "tidak"
    if out["akta_kelahiran"] and draw.random() < 0.4:  # noqa: PLR2004
        out["akta_kelahiran"] = f"{float(out['akta_kelahiran']) - draw.randint(5, 15):.2f}"
    return out


def field_visit(row: dict[str, str], draw: random.Random) -> dict[str, str]:
    """The visit: spaces and schools not found as reported, a creativity centre found."""
    out = dict(row)
    if out["rbra"] and int(out["rbra"]) > 0 and draw.random() < 0.5:  # noqa: PLR2004
        out["rbra"] = str(max(0, int(out["rbra"]) - draw.randint(1, 3)))
    if out["sra"] and draw.random() < 0.4:  # noqa: PLR2004
        out["sra"] = f"{float(out['sra']) * 0.7:.2f}"
    if out["pka"] and draw.random() < 0.3:  # noqa: PLR2004
        out["pka"] = str(int(out["pka"]) + 2)
    return out


def main() -> None:
    """Write the three stages of the first `REGIONS` regions, stage by stage."""
    with SOURCE.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))[:REGIONS]
    draw = random.Random(SEED)
    adm = [administrative(row, draw) for row in rows]
    visit = [field_visit(row, draw) for row in adm]
    fields = ["kode_kabkota", "nama_kabkota", "tahap", *list(rows[0])[2:]]
    with OUT.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for stage, stage_rows in zip(STAGES, (rows, adm, visit), strict=True):
            for row in stage_rows:
                writer.writerow({**row, "tahap": stage})


if __name__ == "__main__":
    main()
