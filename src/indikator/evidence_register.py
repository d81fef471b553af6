"""The evidence register (*daftar data dukung*): read and checked row by row.

Input: a register file (CSV, Excel, Parquet or JSON, read by `tables.read_records`, so an
Indonesian workbook with title rows and date cells is read as written) with the columns
region, input (or indicator), document, link, status, date and note, in English or
Indonesian; a `Ruleset` (its evidence requirements) and the regions of the data. Output: a
`Register` of `RegisterRow`s, each status one of not_uploaded, uploaded, verified,
rejected, each date a `datetime.date`.

Errors: `DataError` IK540 (a column absent, an empty cell, an unknown status, a date that
cannot be read) and IK541 (a row naming an input, indicator, document or region the ruleset
or the data does not have), every bad row at once, each with its file, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from indikator.cells import parse_texts
from indikator.errors import DataError, DataProblem
from indikator.messages import Message, Words, closest
from indikator.plan import EvidenceSpec
from indikator.ruleset import Ruleset
from indikator.tables import read_records

__all__ = ["STATUSES", "Register", "RegisterRow", "read_register"]

#: Register statuses as written (Indonesian, or the English alias) → the status meant.
STATUSES: Mapping[str, str] = {
    "belum": "not_uploaded",
    "not_uploaded": "not_uploaded",
    "diunggah": "uploaded",
    "uploaded": "uploaded",
    "diverifikasi": "verified",
    "verified": "verified",
    "ditolak": "rejected",
    "rejected": "rejected",
}
# Each column and the names it may have in a register (English, then Indonesian).
_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "region": ("region", "wilayah", "kode"),
    "input": ("input", "indicator", "indikator", "masukan"),
    "document": ("document", "dokumen"),
    "link": ("link", "file", "tautan", "berkas"),
    "status": ("status",),
    "date": ("date", "tanggal"),
    "note": ("note", "catatan"),
}
_REQUIRED = ("region", "input", "document", "status")
# A date as written in a register: ISO (what a workbook's date cell becomes), or day first.
_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # a time of day, from a form: ignored
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})" + _TIME)


@attrs.frozen(kw_only=True)
class RegisterRow:
    """One row of an evidence register, as read."""

    row: Message  # "row 7": where it is in its file
    region: str
    owner: str  # the input or indicator
    document: str
    link: str | None
    status: str  # one of STATUSES' values
    date: dt.date | None
    note: str | None


@attrs.frozen(kw_only=True)
class Register:
    """An evidence register: its rows, and the folder its local file names are relative to."""

    path: Path
    rows: tuple[RegisterRow, ...]

    @property
    def folder(self) -> Path:
        """The folder of the register file."""
        return self.path.parent


# -- reading a register --------------------------------------------------------------


def read_register(
    path: str | Path, ruleset: Ruleset, regions: Iterable[str], *, sheet: str | None = None
) -> Register:
    """Read an evidence register and check every row against the ruleset and the regions.

    Raises `DataError`: IK540 for a column absent, an empty cell, an unknown status or an
    unreadable date; IK541 for a row naming an input, indicator, document or region the
    ruleset or the data does not have. Every bad row is reported, with its row and column.
    """
    path = Path(path)
    columns, row_name = read_records(path, sheet=sheet)
    where = Message("table.file", path=str(path))
    found = _find_columns(columns)
    absent = [c for c in _REQUIRED if c not in found]
    if absent:
        message = Message(
            "evidence.no_column", where=where, columns=Words(tuple(f"'{c}'" for c in absent), "and")
        )
        raise DataError([DataProblem(code="IK540", field=str(path), message=message)])
    cells = {key: parse_texts(columns[name]).tolist() for key, name in found.items()}
    size = len(next(iter(cells.values())))
    reader = _RowReader(ruleset.evidence(), set(regions), where, found)
    rows: list[RegisterRow] = []
    problems: list[DataProblem] = []
    for i in range(size):
        values = {key: cells[key][i] if key in cells else None for key in _COLUMNS}
        row = reader.read(row_name(i), values, problems, str(path))
        if row is not None:
            rows.append(row)
    if problems:
        raise DataError(problems)
    return Register(path=path, rows=tuple(rows))


def _find_columns(columns: Mapping[str, Any]) -> dict[str, str]:
    """Each register column → the column of the file that holds it (by any of its names)."""
    by_name = {str(c).strip().lower(): str(c) for c in columns}
    found = {}
    for key, names in _COLUMNS.items():
        name = next((by_name[n] for n in names if n in by_name), None)
        if name is not None:
            found[key] = name
    return found


@attrs.define
class _RowReader:
    """Reads one register row, adding a located problem for each bad cell."""

    requirements: tuple[EvidenceSpec, ...]
    regions: set[str]
    where: Message
    columns: Mapping[str, str]

    def read(
        self,
        row: Message,
        values: Mapping[str, Any],
        problems: list[DataProblem],
        field: str,
    ) -> RegisterRow | None:
        before = len(problems)

        def fail(code: str, key: str, message: str, **args: Any) -> None:
            at = Message("evidence.at", where=self.where, row=row, column=self.columns[key])
            problems.append(
                DataProblem(code=code, field=field, message=Message(message, at=at, **args))
            )

        for key in _REQUIRED:
            if values[key] is None:
                fail("IK540", key, "evidence.empty")
        if len(problems) > before:
            return None
        region, owner, document = values["region"], values["input"], values["document"]
        status = STATUSES.get(re.sub(r"[\s-]+", "_", str(values["status"]).strip().lower()))
        if status is None:
            fail("IK540", "status", "evidence.status", value=values["status"])
        day = _date(values["date"])
        if values["date"] is not None and day is None:
            fail("IK540", "date", "evidence.date", value=values["date"])
        if region not in self.regions:
            fail("IK541", "region", "evidence.region", value=region)
        self._check_requirement(owner, document, fail)
        if len(problems) > before or status is None:
            return None
        return RegisterRow(
            row=row, region=region, owner=owner, document=document, link=values["link"],
            status=status, date=day, note=values["note"],
        )  # fmt: skip

    def _check_requirement(self, owner: str, document: str, fail: Callable[..., None]) -> None:
        owners = list(dict.fromkeys(r.owner for r in self.requirements))
        if owner not in owners:
            close = closest(owner, owners)
            if close:
                fail("IK541", "input", "evidence.owner_close", value=owner, close=close)
            else:
                fail("IK541", "input", "evidence.owner", value=owner)
            return
        documents = [r.document for r in self.requirements if r.owner == owner]
        if document not in documents:
            fail(
                "IK541", "document", "evidence.document", value=document, owner=owner,
                documents=Words(tuple(f"'{d}'" for d in documents), "or"),
            )  # fmt: skip


def _date(value: str | None) -> dt.date | None:
    """A register's date: '2026-11-16' (a workbook's date cell too) or '16/11/2026'."""
    if value is None:
        return None
    text = value.strip()
    iso, day_first = _ISO.fullmatch(text), _DAY_FIRST.fullmatch(text)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if day_first:
            return dt.date(int(day_first[3]), int(day_first[2]), int(day_first[1]))
    except ValueError:  # 31 November
        return None
    return None
