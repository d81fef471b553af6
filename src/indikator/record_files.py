"""Run records in files: beside an output, inside a workbook, a report, JSON or Parquet.

Input: a `record.RunRecord` and the output it belongs to. Output: the record as JSON beside
the output (`sidecar`, `write_sidecar`), as the workbook sheet `rekam_jejak`
(`sheet_rows`), in an HTML report (`embed_html`), or as JSON text for a JSON output's
`record` key and a Parquet file's metadata (`record_json`); and back (`read_record`).
Errors: `record.RecordError` when a file holds no record or one that cannot be read.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from indikator.messages import Message
from indikator.record import RecordError, RunRecord
from indikator.tables import replace_atomically

__all__ = [
    "ELEMENT",
    "SHEET",
    "embed_html",
    "read_record",
    "record_json",
    "sheet_rows",
    "sidecar",
    "write_sidecar",
]

#: The sheet of a results workbook and the element id of a report that hold the record.
SHEET = "rekam_jejak"
ELEMENT = "indikator-record"
_CHUNK = 30_000  # an Excel cell holds at most 32,767 characters
_ROWS = "\u0000rows"  # stands for the rows while the rest is laid out; no key or text is it


def sidecar(output: Path) -> Path:
    """Where the record of `output` goes by default: 'hasil.xlsx' -> 'hasil.xlsx.record.json'."""
    return output.with_name(output.name + ".record.json")


def record_json(record: RunRecord, base: Path) -> str:
    """The record as JSON text, paths relative to the folder `base`; one line per region."""
    data = record.to_dict(base)
    rows = data["results"]["rows"]
    data["results"]["rows"] = _ROWS
    text = json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False)
    lines = ",\n  ".join(json.dumps(row, ensure_ascii=False, allow_nan=False) for row in rows or ())
    return text.replace(json.dumps(_ROWS), f"[\n  {lines}\n ]" if rows else json.dumps(rows), 1)


def write_sidecar(record: RunRecord, path: Path) -> None:
    """Write the record to `path` (atomically), its paths relative to `path`'s folder."""
    text = record_json(record, path.resolve().parent) + "\n"
    replace_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))


def sheet_rows(record: RunRecord, base: Path) -> list[list[str]]:
    """The rows of the workbook sheet `rekam_jejak`: a heading, then the JSON in pieces."""
    text = json.dumps(record.to_dict(base), ensure_ascii=False, allow_nan=False)
    pieces = [text[i : i + _CHUNK] for i in range(0, len(text), _CHUNK)]
    return [[ELEMENT], *([piece] for piece in pieces)]


def embed_html(page: str, record: RunRecord, base: Path, lang: str) -> str:
    """The report `page` with the record: a line people read and a JSON block for programs.

    Every `</` is escaped inside the block (the same string to JSON), so no text in the
    record can end the element early.
    """
    text = json.dumps(record.to_dict(base), ensure_ascii=False, allow_nan=False)
    text = text.replace("</", "<\\/")
    line = Message(
        "record.html_line",
        version=record.version,
        time=record.time,
        digest=record.results.digest,
    ).render(lang)
    block = (
        f'<p class="record">{html.escape(line)}</p>\n'
        f'<script type="application/json" id="{ELEMENT}">{text}</script>\n'
    )
    at = page.rfind("</body>")
    return page[:at] + block + page[at:] if at >= 0 else page + block


# -- finding a record -------------------------------------------------------------------

_HTML_BLOCK = re.compile(
    rf'<script type="application/json" id="{ELEMENT}">(.*?)</script>', re.DOTALL
)


def read_record(path: str | Path) -> RunRecord:
    """The record in `path`: a record JSON file, or an output that holds one.

    An `.xlsx` results workbook (sheet `rekam_jejak`), an HTML report, a JSON output (key
    `record`, of its object or of the first in its list), a Parquet file (metadata
    `indikator.record`), or any output with a record beside it (`sidecar`). Raises
    `RecordError` when there is none.
    """
    path = Path(path)
    base = path.resolve().parent
    found = _embedded(path)
    if found is None and sidecar(path).is_file():
        path, found = sidecar(path), _embedded(sidecar(path))
    if found is None:
        raise RecordError(Message("record.none", path=str(path)))
    try:
        return RunRecord.from_dict(found, base)
    except (KeyError, TypeError, AttributeError):
        raise RecordError(Message("record.unreadable", path=str(path))) from None


def _embedded(path: Path) -> dict[str, Any] | None:
    """The record's JSON object inside `path`, or None when the file holds none."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, list) and data and isinstance(data[0], dict):
                data = data[0]  # `next`: one object per region, each with the record
            if isinstance(data, dict) and "indikator_record" not in data:
                data = data.get("record")
            return data if isinstance(data, dict) else None
        if suffix in (".html", ".htm"):
            match = _HTML_BLOCK.search(path.read_text(encoding="utf-8"))
            return json.loads(match.group(1)) if match else None
        if suffix == ".xlsx":
            return _from_workbook(path)
        if suffix == ".parquet":
            return _from_parquet(path)
    except (OSError, ValueError):
        raise RecordError(Message("record.unreadable", path=str(path))) from None
    return None


def _from_workbook(path: Path) -> dict[str, Any] | None:
    import openpyxl  # noqa: PLC0415  # optional dependency

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        if SHEET not in book.sheetnames:
            return None
        cells = [row[0] for row in book[SHEET].iter_rows(min_row=2, max_col=1, values_only=True)]
        data = json.loads("".join(str(cell) for cell in cells if cell is not None))
        return data if isinstance(data, dict) else None
    finally:
        book.close()


def _from_parquet(path: Path) -> dict[str, Any] | None:
    import pyarrow.parquet as pq  # noqa: PLC0415  # optional dependency

    found = (pq.read_schema(path).metadata or {}).get(b"indikator.record")
    data = None if found is None else json.loads(found.decode("utf-8"))
    return data if isinstance(data, dict) else None
