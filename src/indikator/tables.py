"""Data files ↔ columns: CSV, Excel (.xlsx), Parquet and JSON, read and written.

Input: a path (and, for a workbook, a sheet name). Output of `read_table`: a dict of
column name → 1-d numpy array. Cells keep the type the file gives them: CSV cells stay
text, numbers in a workbook, Parquet or JSON file stay numbers, empty cells are None (NaN
in numeric Parquet columns). `data.validate` then parses them against the declared
inputs, so a malformed number is reported with its region and column, never silently
coerced.

`write_table` writes output columns in the same four formats, atomically: to a new file
beside the target, moved over it in one step, so a failure never leaves a half-written
file where an old output stood. A JSON file is a list of records, an object of columns, or
an object whose `records` key holds the records beside texts about them (`evaluate -o
FILE.json` writes the banners there); the texts are not part of the table.

Errors: `DataError` with IK503 (the file is malformed, unreadable, not what its extension
says, or its optional reader is not installed) or IK511 (empty), naming the file, sheet,
row and column. Row numbers are the ones a spreadsheet shows (the header is row 1); JSON
and Parquet rows are counted from 1 as records.
"""

from __future__ import annotations

import collections
import contextlib
import csv
import functools
import io
import itertools
import json
import math
import os
import re
import secrets
import stat
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from indikator.cells import PercentCell, parse_texts_and_empty
from indikator.data import LOCALES, Table, arrow_column
from indikator.errors import DataError, DataProblem
from indikator.layout import (
    SEARCHED,
    Header,
    Names,
    Reading,
    SheetReading,
    columns_of_ruleset,
    find_header,
    normal,
)
from indikator.messages import Message, Words
from indikator.xlsx import escape, read_sheet, sheet_names

if TYPE_CHECKING:
    from indikator.ruleset import Ruleset

__all__ = [
    "ALL_SHEETS",
    "FORMATS",
    "RECORDS",
    "DataNote",
    "Table",
    "data_note",
    "evaluate_table",
    "option_ids",
    "read_csv",
    "read_records",
    "read_table",
    "replace_atomically",
    "table_format",
    "write_table",
]

#: Supported file extensions and their English names.
FORMATS: Mapping[str, str] = {
    ".csv": "CSV file",
    ".xlsx": "Excel workbook (.xlsx)",
    ".parquet": "Parquet file",
    ".json": "JSON file",
}

# What the formats are called in messages, in either language.
_FORMAT_NAMES = {
    ".csv": Message("format.csv"),
    ".xlsx": Message("format.xlsx"),
    ".parquet": Message("format.parquet"),
    ".json": Message("format.json"),
}

# The first bytes of the binary formats, to say what a misnamed file really is.
_SIGNATURES = (
    (b"PK\x03\x04", Message("actual.zip")),
    (b"PAR1", Message("actual.parquet")),
    (b"\xd0\xcf\x11\xe0", Message("actual.xls")),
)
_EXTRAS = {".xlsx": ("openpyxl", "excel"), ".parquet": ("pyarrow", "parquet")}
_SHOWN = 5  # offending cells quoted in one message; the rest are counted


def _fail(message: Message, *, field: str, code: str = "IK503") -> DataError:
    return DataError([DataProblem(code=code, field=field, message=message)])


@attrs.frozen
class _Where:
    """A file (and sheet) for messages: "'data.xlsx', sheet 'Data'"."""

    path: Path
    sheet: str | None = None

    def __str__(self) -> str:
        return str(self.text)

    @property
    def text(self) -> Message:
        """The file (and sheet) in a message, in either language."""
        if self.sheet:
            return Message("table.sheet", path=str(self.path), sheet=self.sheet)
        return Message("table.file", path=str(self.path))


@attrs.frozen
class _Read:
    """Columns as read, and how to name data row `i` in a message ("row 5", "record 3")."""

    columns: Table
    row_name: Callable[[int], Message]
    sheet: str | None = None  # the sheet read, when the file is a workbook
    commas: bool = True  # whether any cell can hold a comma (False: skip looking)
    header: Header | None = None  # where the header was found (CSV and workbooks)
    keywords: str = ""  # a workbook's keywords (`indikator template` marks its own)
    hidden: tuple[str, ...] = ()  # hidden sheets passed over (`xlsx.Sheet.hidden`)


@attrs.frozen
class _Layout:
    """What the reader knows of the header: the ruleset's column names, a given row."""

    names: Names | None = None
    header_row: int | None = None
    region: str | None = None  # the ruleset's region id column


#: `read_table(..., sheet=ALL_SHEETS)`: every sheet naming an input, merged by region id.
ALL_SHEETS = "all"
# The mark `indikator template` leaves in a workbook's keywords, with its notation.
TEMPLATE_MARK = "indikator-template"
#: The mark of a template with one sheet per agency: read whole, as `sheet="all"`.
BY_AGENCY = "by-agency"


# -- what a data file is: the `.meta.toml` sidecar ---------------------------------


@attrs.frozen
class DataNote:
    """What a data file's sidecar says about it (see `data_note`)."""

    synthetic: bool = False  # invented example data: every output made from it says so
    source: str | None = None  # where real-shaped public data came from

    def banner(self, lang: str = "id") -> str | None:
        """The warning every output made from synthetic data carries, in both languages.

        The language asked for comes first: 'Data contoh sintetis — bukan hasil resmi
        wilayah mana pun / Synthetic example data — not the official result of any region'.
        None when the data is not marked synthetic.
        """
        if not self.synthetic:
            return None
        first, second = ("en", "id") if lang == "en" else ("id", "en")
        message = Message("data.synthetic")
        return f"{message.render(first)} / {message.render(second)}"


def meta_path(path: str | Path) -> Path:
    """The sidecar of a data file: 'kla_2025.csv' -> 'kla_2025.meta.toml' beside it."""
    return Path(path).with_suffix(".meta.toml")


def data_note(path: str | Path) -> DataNote:
    """Read the sidecar `<name>.meta.toml` next to a data file, if there is one.

    The sidecar is a TOML file with `synthetic = true` (invented example data: the CLI then
    prints a banner on every output made from it) and optionally `source = "..."`. No
    sidecar: a `DataNote()` that marks nothing. A malformed sidecar raises `DataError`
    (IK503) naming it, so a broken marker never passes silently as "not synthetic".
    """
    sidecar = meta_path(path)
    if not sidecar.is_file():
        return DataNote()
    try:
        with sidecar.open("rb") as handle:
            meta = tomllib.load(handle)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise _fail(
            Message("table.meta_invalid", path=str(sidecar), reason=str(error)), field=str(sidecar)
        ) from error
    synthetic, source = meta.get("synthetic", False), meta.get("source")
    if not isinstance(synthetic, bool) or not (source is None or isinstance(source, str)):
        reason = "'synthetic' must be true or false, 'source' a text"
        raise _fail(
            Message("table.meta_invalid", path=str(sidecar), reason=reason), field=str(sidecar)
        )
    return DataNote(synthetic=synthetic, source=source)


# -- reading ------------------------------------------------------------------------


def table_format(path: str | Path) -> str:
    """The format of a data file by its extension ('.csv', '.xlsx', '.parquet', '.json')."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(FORMATS)
        message = (
            Message("table.extension", path=str(path), suffix=suffix, known=known)
            if suffix
            else Message("table.no_extension", path=str(path), known=known)
        )
        raise _fail(message, field=str(path))
    return suffix


def read_table(
    path: str | Path,
    *,
    sheet: str | Sequence[str] | None = None,
    locale: str | None = None,
    header_row: int | None = None,
    ruleset: Ruleset | None = None,
) -> Table:
    """Read a CSV, Excel (.xlsx), Parquet or JSON file into columns.

    `sheet` names a workbook's sheet (default: the first), several sheets, or `"all"`:
    sheets are then merged by the region id, and a region with two different values for
    one input in two sheets is refused naming both. `locale` declares how numbers
    written as text are written: None (a decimal point; '1.000' and '85,5' are refused as
    ambiguous), "en" (a decimal point, commas grouping thousands) or "id" (Indonesian:
    '1.000,5'); a template `indikator template` wrote in Indonesian says "id" itself.

    The header of a CSV file or sheet is row `header_row` when given; otherwise it is
    found below title rows. Given the `ruleset`, columns are matched by input id or label
    (a template's two header rows, labels above ids, included) and option cells by id or
    label ('Rancangan'). The returned `Table.reading` says every such liberty taken.
    Raises `DataError` when the file is unreadable, malformed or ambiguous, naming the
    file, sheet, row and column.
    """
    path = Path(path)
    fmt = table_format(path)
    _check_locale(locale)
    if sheet is not None and fmt != ".xlsx":
        raise _fail(Message("table.sheet_not_workbook", path=str(path)), field="sheet")
    if header_row is not None and fmt not in (".csv", ".xlsx"):
        raise _fail(Message("sheets.header_row_format", path=str(path)), field="header_row")
    _check_signature(path, fmt)
    names = None if ruleset is None else Names.of(columns_of_ruleset(ruleset))
    region = ruleset.plan.region if ruleset is not None else None
    layout = _Layout(names, header_row, region)
    skipped: list[str] = []
    hidden: list[str] = []
    if sheet is None or (isinstance(sheet, str) and sheet != ALL_SHEETS):
        reads = [_read_one(path, fmt, sheet, layout)]
        if sheet is None and ruleset is not None and BY_AGENCY in reads[0].keywords.split():
            # A template with a sheet per agency: its sheets are one table.
            reads = _read_sheets(path, ALL_SHEETS, layout, skipped, hidden)
    else:
        reads = _read_sheets(path, sheet, layout, skipped, hidden)
    read = _merged(path, reads, region) if len(reads) > 1 else reads[0]
    marked = _template_locale(reads) if locale is None else None
    if locale is None and marked is None:  # in a declared notation, commas have their meaning
        _check_decimal_commas(read, _Where(path, read.sheet))
    columns, options = _option_labels(read.columns, names)
    reading = Reading(
        path=str(path),
        fractions=_fractions(columns, names),
        sheets=tuple(_account(r) for r in reads if r.header is not None),
        merged_by=ruleset.plan.region if len(reads) > 1 and ruleset is not None else None,
        skipped_sheets=tuple(skipped),
        hidden_sheets=tuple(dict.fromkeys([*(h for r in reads for h in r.hidden), *hidden])),
        options=options,
        locale=marked,
    )
    return Table(columns, locale=locale or marked, reading=reading)


def read_records(
    path: str | Path, *, sheet: str | None = None
) -> tuple[Table, Callable[[int], Message]]:
    """Read a table whose rows are records, not regions (an evidence register).

    The same readers as `read_table` (CSV, Excel, Parquet, JSON; title rows above the
    header skipped; a date cell of a workbook as ISO text), and how to name row `i` of
    the table in a message: its row in the file ("row 7"), blank rows counted.
    """
    path = Path(path)
    fmt = table_format(path)
    if sheet is not None and fmt != ".xlsx":
        raise _fail(Message("table.sheet_not_workbook", path=str(path)), field="sheet")
    _check_signature(path, fmt)
    read = _read_one(path, fmt, sheet, _Layout())
    return Table(read.columns), read.row_name


def _read_one(path: Path, fmt: str, sheet: str | None, layout: _Layout) -> _Read:
    if fmt == ".csv":
        return _read_csv(_Where(path), layout)
    if fmt == ".xlsx":
        return _read_xlsx(_Where(path, sheet), layout)
    # Records and Parquet columns name themselves: no header to find.
    return (_read_parquet if fmt == ".parquet" else _read_json)(_Where(path))


def _read_sheets(
    path: Path,
    sheet: str | Sequence[str],
    layout: _Layout,
    skipped: list[str],
    hidden: list[str],
) -> list[_Read]:
    """Several sheets, each with its own header; under "all", sheets naming no input are left."""
    # Under "all", hidden sheets are left out (and said): nobody filling the workbook sees them.
    if sheet == ALL_SHEETS:
        titles = sheet_names(path, hidden=False)
        hidden.extend(sheet_names(path, hidden=True))
    else:
        titles = list(dict.fromkeys(sheet))
    reads = []
    for title in titles:
        if sheet == ALL_SHEETS and layout.names is not None:
            try:
                read = _read_xlsx(_Where(path, title), layout)
            except DataError:  # an instructions sheet may hold anything: left, and said so
                if _data_sheet(path, title, layout):
                    raise  # a data sheet's problem is said, never left with its inputs
                skipped.append(title)
                continue
            if read.header is None or not read.header.matched:
                skipped.append(title)
                continue
        else:
            read = _read_xlsx(_Where(path, title), layout)
        reads.append(read)
    if not reads:
        raise _fail(Message("sheets.none_read", path=str(path)), field="sheet", code="IK511")
    return reads


def _data_sheet(path: Path, title: str, layout: _Layout) -> bool:
    """Whether a sheet that could not be read holds data, whose problem must be said.

    It does when one of its first rows names the region id column and another input; an
    instructions sheet names one input a row.
    """
    names, region = layout.names, layout.region
    if names is None or region is None:
        return False
    try:
        rows = read_sheet(path, title).rows
    except DataError:
        return False
    last = SEARCHED if layout.header_row is None else layout.header_row
    for _, cells in itertools.takewhile(lambda row: row[0] <= last + 1, rows):
        named = {name for cell in cells for name in names.match(cell)}
        if region in named and len(named) > 1:
            return True
    return False


def _template_locale(reads: Sequence[_Read]) -> str | None:
    """The notation a workbook of `indikator template` declares: 'id' for Indonesian."""
    marks = {r.keywords for r in reads}
    if len(marks) == 1:
        words = marks.pop().split()
        if TEMPLATE_MARK in words and "lang=id" in words:
            return "id"
    return None


def _option_labels(
    columns: Table, names: Names | None
) -> tuple[Table, tuple[tuple[str, int, str, str], ...]]:
    """Option cells written as a label ('Rancangan', 'Belum ada') turned into the choice id.

    Returns the columns and, per column changed, (column, cells, first as written, its id).
    """
    found: list[tuple[str, int, str, str]] = []
    for column, labels in (names.options if names is not None else {}).items():
        if column not in columns:
            continue
        choices = set(labels.values())
        cells = columns[column].tolist()
        changed: list[int] = []
        for i, cell in enumerate(cells):
            if isinstance(cell, str) and cell not in choices and normal(cell) in labels:
                changed.append(i)
        if changed:
            first = str(cells[changed[0]])
            for i in changed:
                cells[i] = labels[normal(str(cells[i]))]
            columns[column] = _object_array(cells)
            found.append((column, len(changed), first, cells[changed[0]]))
    return columns, tuple(found)


def option_ids(columns: Table, ruleset: Ruleset) -> Table:
    """Option cells written as a label turned into the choice id, as `read_table` does."""
    return _option_labels(columns, Names.of(columns_of_ruleset(ruleset)))[0]


def _fractions(columns: Table, names: Names | None) -> tuple[str, ...]:
    """Percent columns whose every value is a plain number between 0 and 1 (two or more).

    They are read as percentages (0.85 is 0.85 %), as the documented rule says; 0.85 may
    also be a fraction meant as 85 %, so the account names such columns.
    """
    found = []
    for name, kind in (names.kinds if names is not None else {}).items():
        if kind != "percent" or name not in columns:
            continue
        values = columns[name]
        if values.dtype.kind == "f":  # numbers already (Parquet, numpy): NaN is empty
            values = values[~np.isnan(values)]
        cells = [c for c in values.tolist() if c is not None and c == c]  # noqa: PLR0124
        # workbook and JSON numbers; a percentage cell (PercentCell) is no plain number
        plain = [c for c in cells if type(c) in (int, float)]
        if len(cells) > 1 and len(plain) == len(cells) and all(0 < c <= 1 for c in plain):
            found.append(name)
    return tuple(found)


def _merged(path: Path, reads: Sequence[_Read], region: str | None) -> _Read:
    """Sheets merged into one table by region id; a value given twice must agree."""
    if region is None:
        raise _fail(Message("sheets.merge_needs_region", path=str(path)), field="sheet")
    problems: list[DataProblem] = []
    order: dict[str, int] = {}
    keyed: list[tuple[_Read, list[str]]] = []
    for read in reads:
        where = _Where(path, read.sheet).text
        if region not in read.columns:
            message = Message("sheets.no_region_column", where=where, column=region)
            problems.append(DataProblem(code="IK501", field=region, message=message))
            continue
        ids, empty = parse_texts_and_empty(read.columns[region])
        keys = [str(v) for v in ids.tolist()]
        without = [read.row_name(i) for i in np.flatnonzero(empty).tolist()]
        given = [k for k, e in zip(keys, empty.tolist(), strict=True) if not e]
        if without or len(set(given)) < len(given):
            twice = [k for k in dict.fromkeys(given) if given.count(k) > 1]
            message = Message("sheets.region_ids", where=where, column=region)
            rows: tuple[str | Message, ...] = tuple(without[:_SHOWN]) or tuple(twice[:_SHOWN])
            count = len(without) or len(twice)
            problems.append(
                DataProblem(code="IK507", field=region, message=message, regions=rows, count=count)
            )
            continue
        for key in keys:
            order.setdefault(key, len(order))
        keyed.append((read, keys))
    if problems:
        raise DataError(problems)
    _check_same_regions(path, keyed, order)
    return _Read(_joined(path, keyed, order), _region_row(list(order)))


def _check_same_regions(
    path: Path, keyed: Sequence[tuple[_Read, list[str]]], order: Mapping[str, int]
) -> None:
    """Every merged sheet lists every region: a region missing from one is refused (IK517).

    Its cells there would be empty, so scored as missing (often zero), and a mistyped id
    ('9941' for '9914', '3201' with an invisible character) would make two regions of
    one, each missing the other's inputs. A row of the region id alone says "no data here".
    """
    sheets = [(str(read.sheet), set(keys)) for read, keys in keyed]
    shown: list[Message] = []
    count = 0
    for key in order:
        absent = [sheet for sheet, keys in sheets if key not in keys]
        if not absent:
            continue
        count += 1
        if len(shown) < _SHOWN:
            given = [sheet for sheet, keys in sheets if key in keys]
            key_text = key if key.isprintable() else ascii(key)  # an invisible character shown
            which, named = ("only_in", given) if len(given) < len(absent) else ("not_in", absent)
            listed = ", ".join(f"'{sheet}'" for sheet in named)
            shown.append(Message(f"advread.{which}", region=key_text, sheets=listed))
    if count:
        message = Message("advread.region_not_in_sheet", path=str(path), count=count)
        raise DataError(
            [
                DataProblem(
                    code="IK517", field="sheet", message=message, regions=tuple(shown), count=count
                )
            ]
        )


def _joined(
    path: Path, keyed: Sequence[tuple[_Read, list[str]]], order: Mapping[str, int]
) -> Table:
    size = len(order)
    out: dict[str, list[Any]] = {}
    owner: dict[str, list[str | None]] = {}
    clashes: dict[tuple[str, str, str], list[str]] = {}
    for read, keys in keyed:
        sheet = str(read.sheet)
        for name, values in read.columns.items():
            column = out.setdefault(name, [None] * size)
            owners = owner.setdefault(name, [None] * size)
            for key, value in zip(keys, values.tolist(), strict=True):
                if value is None:
                    continue
                at = order[key]
                if column[at] is None:
                    column[at], owners[at] = value, sheet
                elif not _same(column[at], value):
                    shown = f"{key} ({column[at]!s} / {value!s})"
                    clashes.setdefault((name, str(owners[at]), sheet), []).append(shown)
    if clashes:
        problems = [
            DataProblem(
                code="IK517",
                field=name,
                message=Message(
                    "sheets.disagree",
                    path=str(path),
                    column=name,
                    first=first,
                    second=second,
                    count=len(regions),
                ),
                regions=tuple(regions[:_SHOWN]),
                count=len(regions),
            )
            for (name, first, second), regions in clashes.items()
        ]
        raise DataError(problems)
    return Table({name: _object_array(cells) for name, cells in out.items()})


def _same(first: Any, second: Any) -> bool:
    """Whether two cells give one value: equal, or equal as text or as numbers.

    A percentage cell (0.85 shown as 85 %) and a plain 0.85 are not: for a `percent`
    input one is 85, the other 0.85 (and the first sheet's would be kept, silently).
    """
    if str(first).strip() == str(second).strip():
        return True
    if (type(first) is PercentCell) != (type(second) is PercentCell):
        return False
    if first == second:
        return True
    try:
        return float(first) == float(second)
    except (TypeError, ValueError):
        return False


def _region_row(ids: list[str]) -> Callable[[int], Message]:
    def row_name(i: int) -> Message:
        return Message("sheets.region_row", region=ids[i])

    return row_name


def read_csv(
    path: str | Path,
    *,
    locale: str | None = None,
    header_row: int | None = None,
    ruleset: Ruleset | None = None,
) -> Table:
    """Read a CSV file (UTF-8, a BOM allowed; ',' or ';' or tab separated) into text columns.

    As `read_table` (header row, columns and options by label), but a decimal comma is
    left for `data` to report cell by cell rather than refused for the whole file.
    """
    path = Path(path)
    _check_locale(locale)
    _check_signature(path, ".csv")
    names = None if ruleset is None else Names.of(columns_of_ruleset(ruleset))
    read = _read_csv(_Where(path), _Layout(names, header_row))
    columns, options = _option_labels(read.columns, names)
    reading = Reading(
        path=str(path),
        sheets=(_account(read),),
        options=options,
        fractions=_fractions(columns, names),
    )
    return Table(columns, locale=locale, reading=reading)


def _account(read: _Read) -> SheetReading:
    header = read.header
    assert header is not None  # noqa: S101  # CSV files and sheets always have one
    return SheetReading(read.sheet, header.rows, header.skipped, header.by_label)


def _check_locale(locale: str | None) -> None:
    if locale not in LOCALES:
        known = ", ".join(str(known) for known in LOCALES if known)
        raise _fail(Message("readers.locale", locale=str(locale), known=known), field="locale")


def _check_signature(path: Path, fmt: str) -> None:
    """Refuse a file whose first bytes say it is another format than its extension."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as error:
        reason = str(error.strerror or error)
        message = Message("table.cannot_read", where=_Where(path).text, reason=reason)
        raise _fail(message, field=str(path)) from None
    found = next((what for magic, what in _SIGNATURES if head.startswith(magic)), None)
    expected = {".xlsx": b"PK\x03\x04", ".parquet": b"PAR1"}.get(fmt)
    if expected is not None and not head.startswith(expected):
        actually = found or Message("actual.empty" if not head else "actual.text")
        raise _fail(_wrong_format(path, fmt, actually), field=str(path))
    if expected is None and found is not None:
        raise _fail(_wrong_format(path, fmt, found), field=str(path))


def _wrong_format(path: Path, fmt: str, actually: Message) -> Message:
    return Message(
        "table.wrong_format", path=str(path), expected=_FORMAT_NAMES[fmt], actual=actually
    )


def _read_csv(where: _Where, layout: _Layout | None = None) -> _Read:
    # newline="": line ends inside quoted cells ('a\r\nb') are kept as written.
    with _csv_errors(where), where.path.open(encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    if not text.strip():
        raise _fail(Message("table.empty", where=where.text), field=str(where.path), code="IK511")
    delimiter = _delimiter(text)
    # RFC 4180 whatever the header holds: "" inside quotes is one quote. (Sniffing the
    # dialect from the header said doublequote=False whenever the header had no quotes.)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, doublequote=True)
    # Rows as a spreadsheet numbers them: the header is row 1, blank lines count.
    numbered = _csv_rows(where, reader)
    # Blank lines and rows of blank cells (';;;;', which Excel writes for formatted rows
    # left empty) are no regions, as blank rows of a workbook are not.
    filled = [
        (n, row) for n, row in numbered if (row and row[0].strip()) or any(map(str.strip, row))
    ]
    found, first = _header(where, filled or numbered[:1], layout, csv=True)
    body = filled[first:]
    header = list(found.names)[: len((filled or numbered)[first - 1][1])]  # that row's width
    problems = [
        DataProblem(
            code="IK503",
            field=str(where.path),
            message=Message(
                "table.row_width",
                where=where.text,
                number=number,
                cells=len(row),
                width=len(header),
            ),
        )
        for number, row in body
        if len(row) != len(header)
    ]
    if problems:
        raise DataError(problems[:10])
    # zip(*rows) turns rows into columns in C; only the stripping is a Python loop.
    columns = list(zip(*(row for _, row in body), strict=True)) or [() for _ in header]
    if "'" in text:  # cells the CSV writer protected with a "'": unprotect
        cells = [[_unprotect(cell) or None for cell in column] for column in columns]
    else:
        cells = [[cell.strip() or None for cell in column] for column in columns]
    numbers = [number for number, _ in body]
    # A cell holds a comma only if the file does: inside quotes when commas separate cells.
    commas = ('"' in text) if delimiter == "," else ("," in text)

    def row_name(i: int) -> Message:
        return Message("table.row", number=numbers[i])

    named = _columns(where, header, cells, row_name, found.rows[-1])
    return _Read(named, row_name, commas=commas, header=found)


def _header(
    where: _Where, rows: Sequence[tuple[int, Sequence[Any]]], layout: _Layout | None, *, csv: bool
) -> tuple[Header, int]:
    """The header of a CSV file or sheet (`layout.find_header`), its cells as the file says."""
    layout = layout or _Layout()
    last = layout.header_row
    # Only the rows the header can be in, and one more (a second header row), are looked
    # at: a million data rows are not copied to find it.
    head = (
        list(rows[: SEARCHED + 1])
        if last is None
        else list(itertools.takewhile(lambda row: row[0] <= last + 1, rows))
    )
    if csv:  # a header cell the CSV writer protected with a "'", and blank ones, as read
        head = [(n, [_unprotect(c) or None for c in row]) for n, row in head]
    return find_header(head or list(rows[:1]), layout.names, last, where.text)


def _delimiter(text: str) -> str:
    """The separator the file uses: ',', ';' or tab (',' for a single column).

    The one under which most of the first lines that hold something (the rows the header
    can be in, read with their quotes) have one same width of two cells or more: a table's
    header and rows do. Then the wider; then the first of ',', ';', tab. Not the first
    line alone: a title line above the header ('Rekap data 2025') has one cell whatever
    separates the cells, and a decimal comma in the data then chose ','. (csv.Sniffer
    takes time quadratic in the line's length.)
    """
    lines = list(
        itertools.islice(
            (line.rstrip("\r\n") for line in io.StringIO(text) if line.strip()), SEARCHED + 1
        )
    )

    def table(delimiter: str) -> tuple[int, int]:
        widths = collections.Counter(_width(line, delimiter) for line in lines)
        return max(((n, w) for w, n in widths.items() if w > 1), default=(0, 0))

    found = {delimiter: table(delimiter) for delimiter in (",", ";", "\t")}
    return max(found, key=lambda delimiter: found[delimiter])


def _width(line: str, delimiter: str) -> int:
    try:
        return len(next(csv.reader([line], delimiter=delimiter), []))
    except csv.Error:  # a cell beyond the field limit: reported when the rows are read
        return 0


def _csv_rows(where: _Where, reader: Iterator[list[str]]) -> list[tuple[int, list[str]]]:
    """The rows with their spreadsheet numbers; a row the csv module cannot read is refused."""
    rows: list[tuple[int, list[str]]] = []
    try:
        rows.extend(enumerate(reader, start=1))
    except csv.Error as error:  # e.g. a cell longer than the csv module's field limit
        message = Message(
            "readers.csv_row", where=where.text, number=len(rows) + 1, reason=str(error)
        )
        raise _fail(message, field=str(where.path)) from None
    return rows


# Text the CSV writer protects with a leading "'": what a spreadsheet would run as a
# formula (OWASP: a leading '=', '+', '-', '@', tab or carriage return), what the reader
# would strip (blanks around it), and text that would read as protected itself.
_FORMULA_START = re.compile(r"[=+\-@\t\r]")


def _guarded(text: str) -> bool:
    """Whether the CSV writer writes `text` with a leading "'" (see `_protect`)."""
    if text != text.strip():
        return True
    unquoted = text.lstrip("'")
    return bool(_FORMULA_START.match(unquoted)) or unquoted != unquoted.lstrip()


def _protect(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, or with blanks around it, gets a "'".

    The reader takes it off again (`_unprotect`) and keeps what follows exactly.
    """
    if isinstance(value, str) and _guarded(value):
        return "'" + value
    return value


def _unprotect(cell: str) -> str:
    """A cell as read: stripped, or after the writer's "'" exactly as written."""
    start = cell.lstrip()
    if start[:1] == "'" and _guarded(start[1:]):
        return start[1:]
    return cell.strip()


def _columns(
    where: _Where,
    header: Sequence[Any],
    cells: Sequence[Sequence[Any]],
    row_name: Callable[[int], Message],
    header_row: int = 1,
) -> Table:
    """Name the columns: refuse a missing header, unnamed or repeated columns.

    Columns holding values under no name are one problem however many they are: a
    header read from the wrong row leaves many, and the fix is one (`--header-row`).
    """
    names = ["" if h is None else str(h).strip() for h in header]
    keep = [i for i, name in enumerate(names) if name or any(c is not None for c in cells[i])]
    if not any(names):
        raise _fail(
            Message("table.header_empty", where=where.text), field=str(where.path), code="IK511"
        )
    if all(_is_number(header[i]) for i in keep if names[i]):
        shown = ", ".join(names[i] for i in keep[:4])
        raise _fail(
            Message("table.header_numbers", where=where.text, shown=shown), field=str(where.path)
        )
    unnamed = [i for i in keep if not names[i]]
    problems = []
    if len(unnamed) == 1:
        problems.append(_unnamed(where, unnamed[0], cells[unnamed[0]], row_name))
    elif unnamed:
        shown = ", ".join(_column_name(i) for i in unnamed[:_SHOWN])
        shown += ", …" if len(unnamed) > _SHOWN else ""
        message = Message(
            "sheets.unnamed", where=where.text, count=len(unnamed), shown=shown, row=header_row
        )
        problems.append(DataProblem(code="IK503", field=str(where.path), message=message))
    seen: dict[str, int] = {}
    for i in keep:
        if names[i] and names[i] in seen:
            problems.append(
                DataProblem(
                    code="IK503",
                    field=names[i],
                    message=Message(
                        "table.column_twice",
                        where=where.text,
                        name=names[i],
                        first=_column_name(seen[names[i]]),
                        second=_column_name(i),
                    ),
                )
            )
        seen.setdefault(names[i], i)
    if problems:
        raise DataError(problems)
    return Table({names[i]: _object_array(cells[i]) for i in keep})


def _unnamed(
    where: _Where, index: int, cells: Sequence[Any], row_name: Callable[[int], Message]
) -> DataProblem:
    """A value under an empty header cell: a row with more cells than the header names."""
    first = next(i for i, cell in enumerate(cells) if cell is not None)
    return DataProblem(
        code="IK503",
        field=str(where.path),
        message=Message(
            "table.unnamed",
            where=where.text,
            row=row_name(first),
            column=_column_name(index),
            value=repr(cells[first]),
        ),
    )


def _column_name(index: int) -> str:
    """A spreadsheet column letter: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _object_array(values: Sequence[Any]) -> npt.NDArray[np.object_]:
    array = np.empty(len(values), dtype=object)  # element by element: no nested arrays
    array[:] = list(values)
    return array


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    try:
        float(str(value).strip())
    except ValueError:
        return False
    return True


def _optional(fmt: str) -> Any:
    """Import the optional reader/writer of a format, or say how to install it."""
    module, extra = _EXTRAS[fmt]
    try:
        return __import__(module)
    except ImportError:
        raise _fail(
            Message("table.needs_package", fmt=fmt, module=module, extra=extra), field=module
        ) from None


def _read_xlsx(where: _Where, layout: _Layout | None = None) -> _Read:
    _optional(".xlsx")
    sheet = read_sheet(where.path, where.sheet)
    where, rows = _Where(where.path, sheet.title), sheet.rows
    if not rows:
        raise _fail(Message("table.empty", where=where.text), field=str(where.path), code="IK511")
    found, first = _header(where, rows, layout, csv=False)
    _check_merged(where, sheet.merged, found.rows[-1])
    _check_errors(where, sheet.errors, found.rows[-1])
    body = rows[first:]
    # Rows end at their last cell: pad the header to the widest row, so that a value
    # right of the named columns is reported as a column without a name.
    width = max(len(row) for _, row in rows)
    header = [*found.names, *[""] * (width - len(found.names))]
    cells = [[row[i] if i < len(row) else None for _, row in body] for i in range(width)]
    numbers = [number for number, _ in body]

    def row_name(i: int) -> Message:
        return Message("table.row", number=numbers[i])

    columns = _columns(where, header, cells, row_name, found.rows[-1])
    return _Read(
        columns, row_name, where.sheet, header=found, keywords=sheet.keywords, hidden=sheet.hidden
    )


def _check_merged(
    where: _Where, merged: Sequence[tuple[str, int, int, int, int]], header_row: int
) -> None:
    """Refuse merged cells below the header: only the first holds the value (IK503).

    The other cells of the range read as empty, so a value merged over two regions' rows
    would count for the first region only, the second scored as missing.
    """
    below = sorted((m for m in merged if m[3] > header_row), key=lambda m: (m[1], m[2]))
    if not below:
        return
    ref, first_row, first_col = below[0][:3]
    shown = ", ".join(m[0] for m in below[:_SHOWN]) + (", …" if len(below) > _SHOWN else "")
    message = Message(
        "advread.merged_cells",
        where=where.text,
        count=len(below),
        shown=shown,
        first=f"{_column_name(first_col - 1)}{first_row}",
        example=ref,
    )
    raise _fail(message, field=str(where.path))


def _check_errors(where: _Where, errors: Sequence[tuple[int, str, str]], header_row: int) -> None:
    """Refuse Excel's error values below the header ('#N/A', '#DIV/0!'): no value (IK503).

    In a number column one reads as "not a number"; in a text column ('#N/A' from a failed
    lookup of a region code or name) it would be taken for the text, silently.
    """
    below = [(coordinate, value) for row, coordinate, value in errors if row > header_row]
    if not below:
        return
    shown = ", ".join(f"{c} ({v})" for c, v in below[:_SHOWN])
    shown += ", …" if len(below) > _SHOWN else ""
    message = Message("advread.error_cells", where=where.text, count=len(below), shown=shown)
    raise _fail(message, field=str(where.path))


def _read_parquet(where: _Where) -> _Read:
    pyarrow = _optional(".parquet")
    import pyarrow.parquet as pq  # noqa: PLC0415  # optional dependency, checked above

    try:
        table = _parquet_file(pyarrow, pq, where.path).read()  # read_table refuses repeats
        table.validate(full=True)  # text that is not UTF-8 would fail later, unlocated
    except Exception as error:  # noqa: BLE001  # pyarrow's errors: one message
        raise _fail(
            Message("table.bad_parquet", where=where.text, reason=str(error)),
            field=str(where.path),
        ) from None
    names = [str(n) for n in table.column_names]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise _fail(
            Message("table.column_repeated", where=where.text, name=repeated[0]),
            field=repeated[0],
        )
    columns = Table()
    for index, name in enumerate(names):
        column = table.column(index)
        if pyarrow.types.is_nested(column.type):  # a list where one value belongs
            cells = column.to_pylist()
            first = next(i for i, cell in enumerate([*cells, 0]) if cell is not None)
            if first < len(cells):
                kind = type(cells[first]).__name__
                message = Message(
                    "table.nested", where=where.text, row=_record(first), name=name, kind=kind
                )
                raise _fail(message, field=name)
        try:  # see `data.arrow_column`: floats in their width, exact integers, ISO dates
            columns[name] = arrow_column(column)
        except Exception:  # noqa: BLE001  # exotic types: Python objects
            columns[name] = _python_cells(where, name, column)
    return _Read(columns, _record)


def _parquet_file(pyarrow: Any, pq: Any, path: Path) -> Any:
    """The file, its text columns read as the dictionaries Parquet stores them in.

    `arrow_column` reads a dictionary through its distinct values: an option column of a
    million cells is then a million small codes, never a million strings, in Arrow or in
    Python. A name given to two columns is left as it is (and refused later).
    """
    file = pq.ParquetFile(path)
    names = [field.name for field in file.schema_arrow]
    text = [
        field.name
        for field in file.schema_arrow
        if (pyarrow.types.is_string(field.type) or pyarrow.types.is_large_string(field.type))
        and names.count(field.name) == 1
    ]
    return pq.ParquetFile(path, read_dictionary=text) if text else file


def _python_cells(where: _Where, name: str, column: Any) -> npt.NDArray[np.object_]:
    """A column as Python objects, or refused: dates beyond Python's, an unknown time zone."""
    try:
        return _object_array(column.to_pylist())
    except Exception as error:  # noqa: BLE001  # pyarrow's and Python's errors: one message
        reason = str(error) or type(error).__name__
        message = Message("readers.parquet_column", where=where.text, name=name, reason=reason)
        raise _fail(message, field=name) from None


def _record(index: int) -> Message:
    return Message("table.record", number=index + 1)


def _row(index: int) -> Message:
    return Message("table.row", number=index + 1)


@contextlib.contextmanager
def _csv_errors(where: _Where) -> Iterator[None]:
    """Reading a CSV file: bytes that are not UTF-8, or a file that cannot be read, as DataError."""
    try:
        yield
    except UnicodeDecodeError:
        raise _fail(
            Message("table.csv_not_utf8", where=where.text), field=str(where.path)
        ) from None
    except OSError as error:
        raise _cannot_read(where, error) from None


def _cannot_read(where: _Where, error: OSError) -> DataError:
    message = Message("table.cannot_read", where=where.text, reason=str(error))
    return _fail(message, field=str(where.path))


def _read_json(where: _Where) -> _Read:
    try:
        text = where.path.read_text(encoding="utf-8-sig")
        data = json.loads(text, object_pairs_hook=_no_repeats, parse_constant=_Constant)
    except UnicodeDecodeError:
        raise _fail(Message("table.not_utf8", where=where.text), field=str(where.path)) from None
    except OSError as error:
        raise _cannot_read(where, error) from None
    except _RepeatedKeyError as error:
        raise _fail(
            Message("table.key_twice", where=where.text, key=error.key), field=error.key
        ) from None
    except json.JSONDecodeError as error:
        message = Message(
            "table.bad_json",
            where=where.text,
            line=error.lineno,
            column=error.colno,
            reason=error.msg,
        )
        raise _fail(message, field=str(where.path)) from None
    except RecursionError:  # lists or objects nested thousands deep
        raise _fail(Message("readers.json_deep", where=where.text), field=str(where.path)) from None
    except ValueError:  # an integer of more digits than Python converts (4,300)
        message = Message("readers.json_number", where=where.text)
        raise _fail(message, field=str(where.path)) from None
    if _holds_records(data):  # `{"note": ..., "records": [...]}`: the records are the table
        data = data[RECORDS]
    if _ESCAPED_SURROGATE.search(text):  # '\\ud800' alone is no character: not text
        _check_surrogates(where, data)
    if isinstance(data, list):
        return _read_records(where, data)
    if isinstance(data, dict):
        return _read_column_lists(where, data)
    kind = data.token if isinstance(data, _Constant) else type(data).__name__
    raise _fail(
        Message("table.json_shape", where=where.text, kind=kind),
        field=str(where.path),
    )


#: The key of a JSON object that holds the records (`write_table(..., about=...)`).
RECORDS = "records"


def _holds_records(data: Any) -> bool:
    """Whether a JSON object is records with texts about them, not an object of columns.

    That is an object whose `records` is a list of objects: a column holds no objects, so
    no object of columns is read this way. Its other keys (the banners `note` and
    `assumptions` of `evaluate -o FILE.json`) are not part of the table.
    """
    if not isinstance(data, dict):
        return False
    records = data.get(RECORDS)
    return isinstance(records, list) and (not records or isinstance(records[0], dict))


class _Constant:
    """NaN, Infinity or -Infinity in a JSON file: Python's reader takes them, JSON has none.

    Kept in its cell while reading, then refused by `_check_scalars`, naming the cell.
    """

    def __init__(self, token: str) -> None:
        self.token = token


# A surrogate escape ('\\ud800'); a pair of them is one character, a lone one is no text.
_ESCAPED_SURROGATE = re.compile(r"\\[uU][dD][89abAB]|\\[uU][dD][c-fC-F]")


def _check_surrogates(where: _Where, data: Any) -> None:
    """Refuse text holding a lone surrogate, which is no character and cannot be written."""
    columns = data if isinstance(data, dict) else None
    records = data if isinstance(data, list) else []
    for name, cells in (columns or {}).items():
        _refuse_surrogate(where, name, None, name)
        for index, cell in enumerate(cells if isinstance(cells, list) else []):
            _refuse_surrogate(where, name, _row(index), cell)
    for index, record in enumerate(records):
        for name, cell in (record if isinstance(record, dict) else {}).items():
            _refuse_surrogate(where, name, None, name)
            _refuse_surrogate(where, name, _record(index), cell)


def _refuse_surrogate(where: _Where, name: str, row: Message | None, cell: Any) -> None:
    if not isinstance(cell, str):
        return
    try:
        cell.encode("utf-8")
    except UnicodeEncodeError:
        shown = cell.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
        message = (
            Message("readers.json_surrogate_key", where=where.text, text=shown)
            if row is None
            else Message("readers.json_surrogate", where=where.text, row=row, name=name, text=shown)
        )
        raise _fail(message, field=str(where.path) if row is None else name) from None


class _RepeatedKeyError(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _RepeatedKeyError(key)
        result[key] = value
    return result


def _read_records(where: _Where, records: list[Any]) -> _Read:
    if not records:
        raise _fail(
            Message("table.no_records", where=where.text), field=str(where.path), code="IK511"
        )
    names: dict[str, None] = {}  # every key, in order of first appearance
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise _fail(
                Message(
                    "table.record_not_object",
                    where=where.text,
                    number=number,
                    kind=type(record).__name__,
                ),
                field=str(where.path),
            )
        names.update(dict.fromkeys(record))
    columns = {name: [record.get(name) for record in records] for name in names}
    _check_scalars(where, columns, _record)
    return _Read(Table({k: _object_array(v) for k, v in columns.items()}), _record)


def _read_column_lists(where: _Where, data: dict[str, Any]) -> _Read:
    for name, values in data.items():
        if not isinstance(values, list):
            raise _fail(
                Message(
                    "table.column_not_list",
                    where=where.text,
                    name=name,
                    kind=type(values).__name__,
                ),
                field=name,
            )
    lengths = {len(v) for v in data.values()}
    if len(lengths) > 1:
        shown = ", ".join(f"'{k}' {len(v)}" for k, v in data.items())
        raise _fail(Message("table.lengths", where=where.text, shown=shown), field=str(where.path))
    if not data or not lengths.pop():
        raise _fail(Message("table.no_rows", where=where.text), field=str(where.path), code="IK511")
    _check_scalars(where, data, _row)
    return _Read(Table({k: _object_array(v) for k, v in data.items()}), _row)


def _check_scalars(
    where: _Where, columns: Mapping[str, Sequence[Any]], row_name: Callable[[int], Message]
) -> None:
    for name, values in columns.items():
        for index, value in enumerate(values):
            if isinstance(value, list | dict):
                message = Message(
                    "table.nested",
                    where=where.text,
                    row=row_name(index),
                    name=name,
                    kind=type(value).__name__,
                )
                raise _fail(message, field=name)
            if isinstance(value, _Constant):
                message = Message(
                    "readers.json_constant",
                    where=where.text,
                    row=row_name(index),
                    name=name,
                    token=value.token,
                )
                raise _fail(message, field=name)


# Decimal commas: "92,4" is refused by `data.validate` as not a number. A column that
# mixes "92,4" with "92.4" is almost certainly a hand-edited number column, so it is
# reported here, with the cells, before anything else.
_COMMA = re.compile(r"[+-]?\d*,\d+")
_POINT = re.compile(r"[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?")
_WHOLE = re.compile(r"[+-]?\d+")


def _check_decimal_commas(table: _Read, where: _Where) -> None:
    problems = []
    for name, values in table.columns.items():
        if not table.commas or values.dtype != object or not _has_comma(values):
            continue  # the common case, found in numpy's C loops
        problem = _mixed_separators(name, values, table.row_name, where)
        if problem is not None:
            problems.append(problem)
    if problems:
        raise DataError(problems)


def _has_comma(values: npt.NDArray[np.generic]) -> bool:
    try:
        text = values.astype(np.dtypes.StringDType())  # str() of each cell, in C; None → 'None'
    except UnicodeError:  # bytes that are not UTF-8 (a binary Parquet column), lone surrogates
        return any(isinstance(v, str) and "," in v for v in values.tolist())
    return bool((np.strings.find(text, ",") >= 0).any())


def _mixed_separators(
    name: str, values: npt.NDArray[np.generic], row_name: Callable[[int], Message], where: _Where
) -> DataProblem | None:
    commas: list[int] = []
    points: list[int] = []
    for index, value in enumerate(values.tolist()):
        if value is None:
            continue
        if isinstance(value, float | int) and not isinstance(value, bool):
            if isinstance(value, float) and not value.is_integer():
                points.append(index)
            continue
        text = str(value).strip()
        if _COMMA.fullmatch(text):
            commas.append(index)
        elif _POINT.fullmatch(text):
            points.append(index)
        elif not _WHOLE.fullmatch(text):
            return None  # not a number column: commas in text are text
    if not (commas and points):
        return None

    def cell(i: int) -> Message:
        return Message("table.cell", row=row_name(i), value=repr(values[i]))

    example = str(values[commas[0]]).strip()
    message = Message(
        "table.decimal_comma",
        where=where.text,
        name=name,
        count=len(commas),
        shown=Words(tuple(cell(i) for i in commas), conjunction=None, limit=_SHOWN),
        point=cell(points[0]),
        fixed=example.replace(",", "."),
        example=example,
    )
    return DataProblem(code="IK503", field=name, message=message, count=len(commas))


# -- writing ------------------------------------------------------------------------


def write_table(
    columns: Mapping[str, Sequence[Any] | npt.NDArray[Any]],
    path: str | Path,
    *,
    note: str | None = None,
    sheets: Mapping[str, Sequence[Sequence[Any]]] | None = None,
    about: Mapping[str, Any] | None = None,
    metadata: Mapping[str, str] | None = None,
) -> None:
    """Write columns to a CSV, Excel (.xlsx), Parquet or JSON file, replacing it atomically.

    `sheets` (a workbook only): more sheets after the note, each a name and its rows, such
    as the provenance of every definition. A note of several lines is one row per line.

    `note` (such as the synthetic-data banner) goes where the format can hold it without
    changing what reads back: a second sheet "catatan" in a workbook (the data stays on the
    first sheet), the key `indikator.note` of a Parquet file's metadata. A CSV file has no
    such place: it is written without it.

    `about` (a JSON file only): texts about the results, such as the banners under the keys
    `note` and `assumptions`. With it, the file is an object, `{**about, "records": [...]}`,
    which `read_table` reads as its records; without it, a list of records.

    `metadata` (a Parquet file only): more keys of its metadata, such as the run record
    `indikator.record`.

    Missing values (None, NaN) become empty cells (null in JSON and Parquet). Raises
    `DataError` for an unknown extension, a missing optional writer or an infinite number
    in a workbook or JSON file (which cannot hold one), `OSError` when the folder cannot
    be written.
    """
    path = Path(path)
    fmt = table_format(path)
    if fmt in _EXTRAS:
        _optional(fmt)  # fail before creating anything
    lists = {str(name): _cells(values) for name, values in columns.items()}
    if fmt in (".xlsx", ".json"):
        _check_finite(lists, path, fmt)
    write: dict[str, Callable[[Mapping[str, list[Any]], Path], None]] = {
        ".csv": _write_csv,
        ".xlsx": _write_xlsx,
        ".parquet": _write_parquet,
        ".json": _write_json,
    }
    if note is not None or sheets:
        write[".xlsx"] = functools.partial(_write_xlsx, note=note, sheets=sheets)
    if note is not None or metadata:
        write[".parquet"] = functools.partial(_write_parquet, note=note, metadata=metadata)
    if about is not None:
        if RECORDS in about:
            message = f"'{RECORDS}' holds the records; it cannot be a key of `about`"
            raise ValueError(message)
        write[".json"] = functools.partial(_write_json, about=about)
    try:
        replace_atomically(path, lambda temporary: write[fmt](lists, temporary))
    except UnicodeEncodeError:  # text with a lone surrogate: found and named
        _check_characters(lists, path, fmt)
        raise


def _check_finite(columns: Mapping[str, list[Any]], path: Path, fmt: str) -> None:
    """Refuse an infinite number: a workbook would hold an empty cell, JSON none at all."""
    for name, values in columns.items():
        for index, value in enumerate(values):
            if isinstance(value, float) and math.isinf(value):
                message = Message(
                    "readers.write_infinite",
                    path=str(path),
                    fmt=_FORMAT_NAMES[fmt],
                    name=name,
                    # as the file shows it: a workbook's header is row 1
                    row=_record(index) if fmt == ".json" else _row(index + 1),
                    value=repr(value),
                )
                raise _fail(message, field=name)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_characters(columns: Mapping[str, list[Any]], path: Path, fmt: str) -> None:
    """Refuse text with a lone surrogate (U+D800 to U+DFFF): no file can hold it as text."""
    for name in columns:
        if _SURROGATE.search(name):
            message = Message("readers.write_surrogate_name", path=str(path), value=ascii(name))
            raise _fail(message, field=str(path))
    for name, values in columns.items():
        if not _SURROGATE.search("".join(v for v in values if isinstance(v, str))):
            continue
        index = next(i for i, v in enumerate(values) if isinstance(v, str) and _SURROGATE.search(v))
        message = Message(
            "readers.write_surrogate",
            path=str(path),
            name=name,
            # as the file shows it: a workbook's or CSV file's header is row 1
            row=_record(index) if fmt in (".json", ".parquet") else _row(index + 1),
            value=ascii(values[index]),
        )
        raise _fail(message, field=name)


def _cells(values: Sequence[Any] | npt.NDArray[Any]) -> list[Any]:
    """A column as Python scalars (numpy's become Python's), NaN as None."""
    if isinstance(values, np.ndarray):
        if values.dtype.kind == "f":
            cells = values.astype(object)
            cells[np.isnan(values)] = None
            return cells.tolist()  # type: ignore[no-any-return]  # numpy's tolist is untyped
        values = values.tolist()
    return [None if v != v else v for v in values]  # noqa: PLR0124  # v != v: only NaN


def replace_atomically(path: str | Path, write: Callable[[Path], object]) -> None:
    """Run `write(temporary)` on a new file beside `path`, then move it over `path`.

    Replacing is atomic within a folder: readers see the old file or the whole new
    one, never a part. The new file keeps the permissions of the one it replaces (a
    private 0600 output stays private), and a symbolic link is followed: its target is
    replaced, the link stays. On any failure the temporary file is removed, `path` is
    untouched, and an `OSError` names `path`, not the temporary file.
    """
    shown, path = Path(path), Path(os.path.realpath(path))
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except OSError:  # no file yet: an ordinary new file's permissions
        mode = None
    temporary: Path | None = None
    try:  # the temporary is made inside: a signal right after still removes it
        temporary = _new_temporary(path, shown)
        write(temporary)
        if mode is not None:
            temporary.chmod(mode)
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())  # the data is on disk before the name points at it
        temporary.replace(path)  # os.replace: atomic within a folder
    except OSError as error:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise _named(error, shown) from error
    except BaseException:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise


def _named(error: OSError, path: Path) -> OSError:
    """The same error, naming the file written rather than its temporary file."""
    if error.errno is None:
        return error
    return type(error)(error.errno, error.strerror, str(path))


def _new_temporary(path: Path, shown: Path) -> Path:
    while True:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
        try:
            # 0o666 less the umask, as an ordinary new file would get (mkstemp gives 0o600).
            os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        except OSError as error:  # a missing or read-only folder: name the file wanted
            raise _named(error, shown) from None
        return temporary


def _rows(columns: Mapping[str, list[Any]]) -> Iterator[tuple[Any, ...]]:
    return zip(*columns.values(), strict=True)


def _write_csv(columns: Mapping[str, list[Any]], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)  # RFC 4180: "" for a quote inside quotes
        writer.writerow([_protect(name) for name in columns])
        for row in _rows(columns):  # numbers stay numbers; only text is protected
            writer.writerow([_csv_number(value) for value in row])


# A float's shortest text that Indonesian notation reads as thousands ('1.125').
_THOUSANDS_LOOKALIKE = re.compile(r"-?[1-9][0-9]{0,2}\.[0-9]{3}")


def _csv_number(value: Any) -> Any:
    """A cell for the CSV writer: 1.125 as '1.1250', which no notation reads as 1125.

    Read back without a declared notation, '1.125' is refused as ambiguous (IK512).
    """
    if type(value) is float:
        text = repr(value)
        return text + "0" if _THOUSANDS_LOOKALIKE.fullmatch(text) else text
    return _protect(value)


def _write_xlsx(
    columns: Mapping[str, list[Any]],
    path: Path,
    *,
    note: str | None = None,
    sheets: Mapping[str, Sequence[Sequence[Any]]] | None = None,
) -> None:
    openpyxl = _optional(".xlsx")
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415  # optional dependency

    # openpyxl would write a lone surrogate as if it were a character: found before
    # anything is written (write_table names it), as the other writers' encoders do
    for values in (list(columns), *columns.values()):
        for value in values:
            if isinstance(value, str) and _SURROGATE.search(value):
                raise UnicodeEncodeError("utf-8", value, 0, len(value), "lone surrogate")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("indikator")

    def cell(value: Any) -> Any:
        written = WriteOnlyCell(sheet, value=None if isinstance(value, str) else value)
        if isinstance(value, str):
            written.value = escape(value)  # control characters as '_x001B_', as OOXML says
            written.data_type = "s"  # text, even '=…': a region name is never a formula
            if value != value.strip():
                written.quotePrefix = True  # "'": blanks around it are part of the text
        elif type(value) in (int, float) and math.isfinite(value):
            # openpyxl writes numbers with 16 significant digits ('%.16g'); the shortest
            # text that reads back as the same float can need 17.
            written._value = repr(value)  # noqa: SLF001  # the text of <v>, kept a number
        return written

    sheet.append([cell(name) for name in columns])
    for row in _rows(columns):
        sheet.append([cell(value) for value in row])
    if note is not None:  # on a sheet of its own: the first sheet reads back unchanged
        notes = book.create_sheet("catatan")
        for text in note.split("\n"):
            notes.append([escape(text)])
    for name, table in (sheets or {}).items():
        extra = book.create_sheet(name)
        for cells in table:
            extra.append([escape(v) if isinstance(v, str) else v for v in cells])
    book.save(path)


def _write_parquet(
    columns: Mapping[str, list[Any]],
    path: Path,
    *,
    note: str | None = None,
    metadata: Mapping[str, str] | None = None,
) -> None:
    pyarrow = _optional(".parquet")
    import pyarrow.parquet as pq  # noqa: PLC0415  # optional dependency

    arrays = {}
    for name, values in columns.items():
        try:
            arrays[name] = pyarrow.array(values)
        except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError):  # mixed types: keep them as text
            arrays[name] = pyarrow.array([None if v is None else str(v) for v in values])
    keys = {**({} if note is None else {"indikator.note": note}), **(metadata or {})}
    written = {key: text.encode() for key, text in keys.items()} or None
    pq.write_table(pyarrow.table(arrays, metadata=written), path)


def _write_json(
    columns: Mapping[str, list[Any]], path: Path, *, about: Mapping[str, Any] | None = None
) -> None:
    records = [dict(zip(columns, row, strict=True)) for row in _rows(columns)]
    written: Any = records if about is None else {**about, RECORDS: records}
    with path.open("w", encoding="utf-8") as handle:
        json.dump(written, handle, ensure_ascii=False, indent=1, allow_nan=False)
        handle.write("\n")


# -- evaluating a large table -------------------------------------------------------


def needs_whole_table(ruleset: Ruleset) -> bool:
    """Whether the ruleset compares regions (ranks, rollups), so cannot run in chunks."""
    return bool(ruleset.plan.ranks or ruleset.plan.rollups)


def evaluate_table(
    ruleset: Ruleset,
    table: Mapping[str, npt.NDArray[np.generic]],
    *,
    extra: str = "error",
    lang: str = "id",
    chunk_rows: int = 100_000,
    progress: Callable[[int], None] | None = None,
) -> dict[str, list[Any]]:
    """Evaluate every row and return the output columns (`Results.columns`).

    Rows are evaluated `chunk_rows` at a time, calling `progress(rows)` with the number of
    rows just done after each chunk, unless the ruleset has ranks or rollups: those
    compare regions with each other and need the whole table at once. Errors are those
    of one whole evaluation: on a data problem, or region ids that repeat across chunks,
    the table is validated whole so the `DataError` counts every row.
    """
    size = len(next(iter(table.values()))) if table else 0
    if needs_whole_table(ruleset) or size <= chunk_rows:
        # keep='all': `columns()` reads every step at once, `let` values included.
        columns = ruleset.evaluate_many(table, extra=extra, keep="all").columns(lang)
        if progress is not None:
            progress(size)
        return columns
    out: dict[str, list[Any]] = {}
    locale = getattr(table, "locale", None)
    try:
        for start in range(0, size, chunk_rows):
            chunk = Table(
                {name: values[start : start + chunk_rows] for name, values in table.items()},
                locale=locale,
            )
            columns = ruleset.evaluate_many(chunk, extra=extra, keep="all").columns(lang)
            _number_rows(ruleset, chunk, columns, start)
            for name, values in columns.items():
                out.setdefault(name, []).extend(values)
            if progress is not None:
                progress(min(chunk_rows, size - start))
    except DataError:
        ruleset.evaluate_many(table, extra=extra)  # raises the whole table's DataError
        raise
    if ruleset.plan.region is not None and len(set(out["region"])) < size:
        ruleset.evaluate_many(table, extra=extra)  # raises IK507 for the repeated ids
    return out


def _number_rows(ruleset: Ruleset, chunk: Table, columns: dict[str, list[Any]], start: int) -> None:
    """Name regions without an id by their row in the whole table, not in their chunk."""
    region = ruleset.plan.region
    if region is None:
        rows = list(range(len(columns["region"])))
    else:
        rows = np.flatnonzero(parse_texts_and_empty(chunk[region])[1]).tolist()
    labels = columns["region"]
    for row in rows:
        labels[row] = f"row {start + row + 1}"
