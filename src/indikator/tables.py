"""Data files ↔ columns: CSV, Excel (.xlsx), Parquet and JSON, read and written.

Input: a path (and, for a workbook, a sheet name). Output of `read_table`: a dict of
column name → 1-d numpy array. Cells keep the type the file gives them: CSV cells stay
text, numbers in a workbook, Parquet or JSON file stay numbers, empty cells are None (NaN
in numeric Parquet columns). `data.validate` then parses them against the declared
inputs, so a malformed number is reported with its region and column, never silently
coerced.

`write_table` writes output columns in the same four formats, atomically: to a new file
beside the target, moved over it in one step, so a failure never leaves a half-written
file where an old output stood.

Errors: `DataError` with IK503 (the file is malformed, unreadable, not what its extension
says, or its optional reader is not installed) or IK511 (empty), naming the file, sheet,
row and column. Row numbers are the ones a spreadsheet shows (the header is row 1); JSON
and Parquet rows are counted from 1 as records.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from indikator.errors import DataError, DataProblem
from indikator.messages import Message, Words

if TYPE_CHECKING:
    from indikator.ruleset import Ruleset

__all__ = [
    "FORMATS",
    "Table",
    "evaluate_table",
    "read_csv",
    "read_table",
    "replace_atomically",
    "table_format",
    "write_table",
]

Table = dict[str, npt.NDArray[np.generic]]

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


def read_table(path: str | Path, *, sheet: str | None = None) -> Table:
    """Read a CSV, Excel (.xlsx), Parquet or JSON file into columns.

    `sheet` names a workbook's sheet (default: the first). Raises `DataError` when the
    file is unreadable or malformed, naming the file, sheet, row and column.
    """
    path = Path(path)
    fmt = table_format(path)
    if sheet is not None and fmt != ".xlsx":
        raise _fail(Message("table.sheet_not_workbook", path=str(path)), field="sheet")
    _check_signature(path, fmt)
    read = {".csv": _read_csv, ".xlsx": _read_xlsx, ".parquet": _read_parquet, ".json": _read_json}
    where = _Where(path, sheet)
    table = read[fmt](where)
    _check_decimal_commas(table, _Where(path, table.sheet))
    return table.columns


def read_csv(path: str | Path) -> Table:
    """Read a CSV file (UTF-8, a BOM allowed; ',' or ';' or tab separated) into text columns."""
    path = Path(path)
    _check_signature(path, ".csv")
    return _read_csv(_Where(path)).columns


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


def _read_csv(where: _Where) -> _Read:
    try:
        text = where.path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise _fail(
            Message("table.csv_not_utf8", where=where.text), field=str(where.path)
        ) from None
    except OSError as error:
        raise _cannot_read(where, error) from None
    if not text.strip():
        raise _fail(Message("table.empty", where=where.text), field=str(where.path), code="IK511")
    try:
        first = text.splitlines()[0]
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(first, delimiters=",;\t")
    except csv.Error:  # a single column has no delimiter to find
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    # Rows as a spreadsheet numbers them: the header is row 1, blank lines count.
    numbered = list(enumerate(reader, start=1))
    (_, header), body = numbered[0], numbered[1:]
    # Blank lines (no cells, or one blank cell) are no regions; a row of empty cells is.
    body = [(number, row) for number, row in body if len(row) > 1 or (row and row[0].strip())]
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
    cells: list[list[Any]] = [[cell.strip() or None for cell in column] for column in columns]
    numbers = [number for number, _ in body]
    # A cell holds a comma only if the file does: inside quotes when commas separate cells.
    commas = ('"' in text) if dialect.delimiter == "," else ("," in text)

    def row_name(i: int) -> Message:
        return Message("table.row", number=numbers[i])

    return _Read(_columns(where, header, cells, row_name), row_name, commas=commas)


def _columns(
    where: _Where,
    header: Sequence[Any],
    cells: Sequence[Sequence[Any]],
    row_name: Callable[[int], Message],
) -> Table:
    """Name the columns: refuse a missing header, unnamed or repeated columns."""
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
    problems = [_unnamed(where, i, cells[i], row_name) for i in keep if not names[i]]
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
    return {names[i]: _object_array(cells[i]) for i in keep}


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


def _read_xlsx(where: _Where) -> _Read:
    openpyxl = _optional(".xlsx")
    try:
        book = openpyxl.load_workbook(where.path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001  # zip, XML and openpyxl errors: one message
        raise _fail(
            Message("table.bad_xlsx", where=where.text, reason=str(error)), field=str(where.path)
        ) from None
    try:
        if where.sheet is not None and where.sheet not in book.sheetnames:
            sheets = ", ".join(f"'{s}'" for s in book.sheetnames)
            raise _fail(
                Message("table.no_sheet", path=str(where.path), sheet=where.sheet, sheets=sheets),
                field="sheet",
            )
        sheet = book[where.sheet] if where.sheet is not None else book.worksheets[0]
        where = _Where(where.path, sheet.title)
        rows = [
            (number, [_xlsx_cell(c) for c in row])
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
            if any(c is not None and c != "" for c in row)  # blank rows are no regions
        ]
    finally:
        book.close()  # read-only workbooks keep the file open until closed
    if not rows:
        raise _fail(Message("table.empty", where=where.text), field=str(where.path), code="IK511")
    (first, header), body = rows[0], rows[1:]
    if first != 1:
        raise _fail(
            Message("table.row1_empty", where=where.text),
            field=str(where.path),
            code="IK511",
        )
    _check_widths(where, len(header), body)
    width = len(header)
    cells = [[row[i] if i < len(row) else None for _, row in body] for i in range(width)]
    numbers = [number for number, _ in body]

    def row_name(i: int) -> Message:
        return Message("table.row", number=numbers[i])

    return _Read(_columns(where, header, cells, row_name), row_name, where.sheet)


def _xlsx_cell(value: Any) -> Any:
    """Numbers stay numbers; text is stripped ('' → None); dates become ISO text."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def _check_widths(where: _Where, width: int, body: Sequence[tuple[int, list[Any]]]) -> None:
    """A value right of the header row's last cell is a row with too many cells.

    openpyxl pads rows to the sheet's width, so such a value usually shows up as a
    column without a name instead; this catches rows longer than the padded header.
    """
    problems = []
    for number, row in body:
        extra = [i for i in range(width, len(row)) if row[i] is not None]
        if extra:
            problems.append(
                DataProblem(
                    code="IK503",
                    field=str(where.path),
                    message=Message(
                        "table.right_of_header",
                        where=where.text,
                        number=number,
                        column=_column_name(extra[0]),
                        value=repr(row[extra[0]]),
                        width=width,
                    ),
                )
            )
    if problems:
        raise DataError(problems[:10])


def _read_parquet(where: _Where) -> _Read:
    _optional(".parquet")
    import pyarrow.parquet as pq  # noqa: PLC0415  # optional dependency, checked above

    try:
        table = pq.ParquetFile(where.path).read()  # read_table refuses repeated names
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
    columns: Table = {}
    for index, name in enumerate(names):
        column = table.column(index)
        try:  # numbers → float64 (NaN where null) or int64, text → objects with None
            columns[name] = np.asarray(column.to_numpy())
        except Exception:  # noqa: BLE001  # nested or exotic types: Python objects
            columns[name] = _object_array(column.to_pylist())
    return _Read(columns, _record)


def _record(index: int) -> Message:
    return Message("table.record", number=index + 1)


def _row(index: int) -> Message:
    return Message("table.row", number=index + 1)


def _cannot_read(where: _Where, error: OSError) -> DataError:
    message = Message("table.cannot_read", where=where.text, reason=str(error))
    return _fail(message, field=str(where.path))


def _read_json(where: _Where) -> _Read:
    try:
        text = where.path.read_text(encoding="utf-8-sig")
        data = json.loads(text, object_pairs_hook=_no_repeats)
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
    if isinstance(data, list):
        return _read_records(where, data)
    if isinstance(data, dict):
        return _read_column_lists(where, data)
    raise _fail(
        Message("table.json_shape", where=where.text, kind=type(data).__name__),
        field=str(where.path),
    )


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
    return _Read({k: _object_array(v) for k, v in columns.items()}, _record)


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
    return _Read({k: _object_array(v) for k, v in data.items()}, _row)


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
    text = values.astype(np.dtypes.StringDType())  # str() of each cell, in C; None → 'None'
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


def write_table(columns: Mapping[str, Sequence[Any] | npt.NDArray[Any]], path: str | Path) -> None:
    """Write columns to a CSV, Excel (.xlsx), Parquet or JSON file, replacing it atomically.

    Missing values (None, NaN) become empty cells (null in JSON and Parquet). Raises
    `DataError` for an unknown extension or a missing optional writer, `OSError` when the
    folder cannot be written.
    """
    path = Path(path)
    fmt = table_format(path)
    if fmt in _EXTRAS:
        _optional(fmt)  # fail before creating anything
    lists = {str(name): _cells(values) for name, values in columns.items()}
    write = {
        ".csv": _write_csv,
        ".xlsx": _write_xlsx,
        ".parquet": _write_parquet,
        ".json": _write_json,
    }
    replace_atomically(path, lambda temporary: write[fmt](lists, temporary))


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
    one, never a part. On any failure the temporary file is removed and `path` is
    untouched.
    """
    path = Path(path)
    temporary = _new_temporary(path)
    try:
        write(temporary)
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())  # the data is on disk before the name points at it
        temporary.replace(path)  # os.replace: atomic within a folder
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _new_temporary(path: Path) -> Path:
    while True:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
        try:
            # 0o666 less the umask, as an ordinary new file would get (mkstemp gives 0o600).
            os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return temporary


def _rows(columns: Mapping[str, list[Any]]) -> Iterator[tuple[Any, ...]]:
    return zip(*columns.values(), strict=True)


def _write_csv(columns: Mapping[str, list[Any]], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(_rows(columns))


def _write_xlsx(columns: Mapping[str, list[Any]], path: Path) -> None:
    openpyxl = _optional(".xlsx")
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415  # optional dependency

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("indikator")

    def cell(value: Any) -> Any:
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            written.data_type = "s"  # text, even '=…': a region name is never a formula
        return written

    sheet.append([cell(name) for name in columns])
    for row in _rows(columns):
        sheet.append([cell(value) for value in row])
    book.save(path)


def _write_parquet(columns: Mapping[str, list[Any]], path: Path) -> None:
    pyarrow = _optional(".parquet")
    import pyarrow.parquet as pq  # noqa: PLC0415  # optional dependency

    arrays = {}
    for name, values in columns.items():
        try:
            arrays[name] = pyarrow.array(values)
        except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError):  # mixed types: keep them as text
            arrays[name] = pyarrow.array([None if v is None else str(v) for v in values])
    pq.write_table(pyarrow.table(arrays), path)


def _write_json(columns: Mapping[str, list[Any]], path: Path) -> None:
    records = [dict(zip(columns, row, strict=True)) for row in _rows(columns)]
    with path.open("w", encoding="utf-8") as handle:
        json.dump(records, handle, ensure_ascii=False, indent=1, allow_nan=False)
        handle.write("\n")


# -- evaluating a large table -------------------------------------------------------


def needs_whole_table(ruleset: Ruleset) -> bool:
    """Whether the ruleset compares regions (ranks, rollups), so cannot run in chunks."""
    return bool(ruleset.plan.ranks or ruleset.plan.rollups)


def evaluate_table(
    ruleset: Ruleset,
    table: Table,
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
        columns = ruleset.evaluate_many(table, extra=extra).columns(lang)
        if progress is not None:
            progress(size)
        return columns
    out: dict[str, list[Any]] = {}
    try:
        for start in range(0, size, chunk_rows):
            chunk = {name: values[start : start + chunk_rows] for name, values in table.items()}
            for name, values in ruleset.evaluate_many(chunk, extra=extra).columns(lang).items():
                out.setdefault(name, []).extend(values)
            if progress is not None:
                progress(min(chunk_rows, size - start))
    except DataError:
        ruleset.evaluate_many(table, extra=extra)  # raises the whole table's DataError
        raise
    if ruleset.plan.region is None:  # each chunk counted its rows from 1
        out["region"] = [f"row {i + 1}" for i in range(size)]
    elif len(set(out["region"])) < size:
        ruleset.evaluate_many(table, extra=extra)  # raises IK507 for the repeated ids
    return out
