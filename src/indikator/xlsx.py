"""Excel workbooks (.xlsx) → rows of cells, every cell read as the workbook shows it.

Input: a path and a sheet name (default: the first sheet). Output: `Sheet`, the sheet's
title and its non-blank rows, numbered as Excel numbers them. Cells are Python values:
numbers stay numbers, text is stripped (blank text is None), dates are ISO text, and a
number formatted as a percentage (0.8118 shown as 81.18 %) is a `PercentCell`, which
`data` reads as 81.18 for a `percent` input.

What a workbook says about itself is not trusted:

* the sheet's `<dimension>` (some producers write it wrong): every row and column is read;
* the sizes of its parts: a part that unpacks to far more than a real workbook holds (a
  decompression bomb) is refused before it is read, so memory stays bounded;
* formulas: a formula read without the value Excel saved for it would be an empty cell,
  silently, so such a cell is refused, naming it.

Errors: `DataError` with IK503 (malformed), IK511 (empty), IK514 (a formula without a
saved value) or IK515 (too large to read safely).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs

from indikator.cells import PercentCell
from indikator.errors import DataError, DataProblem
from indikator.messages import Message

__all__ = [
    "PART_LIMIT",
    "PercentCell",
    "Sheet",
    "escape",
    "read_sheet",
    "sheet_names",
    "unescape",
]

#: The most one part of a workbook (a sheet, the shared strings) may unpack to.
PART_LIMIT = 1 << 30
# A part larger than this must also not unpack to more than _RATIO times its packed size:
# real sheets pack about 5 to 20 times, a bomb of repeated bytes a thousand times.
_SMALL_PART = 16 << 20
_RATIO = 200
#: Excel keeps at most this many characters in a cell; a longer one was not made by Excel.
CELL_LIMIT = 32_767


@attrs.frozen
class Sheet:
    """A sheet's title and its non-blank rows as (Excel row number, cells)."""

    title: str
    rows: list[tuple[int, list[Any]]]
    keywords: str = ""  # the workbook's keywords: `indikator template` marks its own there
    # merged ranges of two or more cells as (first row, first column, last row, last column),
    # 1-based, with their text ('B4:B5'): only the first cell of one holds a value
    merged: tuple[tuple[str, int, int, int, int], ...] = ()
    hidden: tuple[str, ...] = ()  # hidden sheets passed over to read the first one shown
    errors: tuple[ErrorCell, ...] = ()  # cells holding an Excel error, such as '#N/A'


def _where(path: Path, sheet: str | None) -> Message:
    if sheet:
        return Message("table.sheet", path=str(path), sheet=sheet)
    return Message("table.file", path=str(path))


def _fail(message: Message, *, field: str, code: str = "IK503") -> DataError:
    return DataError([DataProblem(code=code, field=field, message=message)])


def read_sheet(path: Path, sheet: str | None) -> Sheet:
    """Read one sheet's non-blank rows (see the module's docstring)."""
    _check_sizes(path)
    # data_only=False: formulas show as formulas, so that uncached ones can be found.
    with _opened(path, None, data_only=False) as book:
        if sheet is not None and sheet not in book.sheetnames:
            sheets = ", ".join(f"'{s}'" for s in book.sheetnames)
            raise _fail(
                Message("table.no_sheet", path=str(path), sheet=sheet, sheets=sheets),
                field="sheet",
            )
        if not book.worksheets:  # a workbook whose sheets are all charts, or lost
            raise _fail(Message("readers.no_worksheet", where=_where(path, None)), field=str(path))
        # By default the first sheet the workbook shows: a hidden one before it (old data,
        # lists for dropdowns) is passed over, and the account says so.
        shown = [s for s in book.worksheets if s.sheet_state == "visible"] or book.worksheets
        chosen = book[sheet] if sheet is not None else shown[0]
        title = chosen.title
        passed = (
            ()
            if sheet is not None
            else tuple(s.title for s in book.worksheets[: book.worksheets.index(chosen)])
        )
        keywords = str(getattr(book.properties, "keywords", None) or "")
        try:
            rows, formulas, errors = _rows(chosen)
            merged = _merged_ranges(chosen)
        except _TooLongError as error:
            message = Message(
                "readers.cell_too_long",
                where=_where(path, title),
                cell=error.cell,
                length=error.length,
                limit=CELL_LIMIT,
            )
            raise _fail(message, field=error.cell, code="IK515") from None
        except Exception as error:  # noqa: BLE001  # XML errors surface while iterating
            raise _bad(path, title, error) from None
    if formulas:
        errors += _fill_formulas(path, title, rows, formulas)
    return Sheet(title, rows, keywords, merged, passed, tuple(sorted(errors)))


# A merged range in the sheet's XML (after its rows): '<mergeCell ref="B4:B5"/>'.
_MERGE_CELL = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref="([A-Za-z0-9:$]+)"')
_CHUNK = 1 << 20


def _merged_ranges(sheet: Any) -> tuple[tuple[str, int, int, int, int], ...]:
    """The merged ranges of a read-only sheet (openpyxl reads them only in normal mode).

    The sheet's part is scanned in chunks for its `mergeCell` elements: memory stays
    bounded, and a sheet without any costs one pass of `bytes.find`.
    """
    from openpyxl.utils import range_boundaries  # noqa: PLC0415  # optional dependency

    found: dict[bytes, None] = {}
    tail = b""
    with sheet._get_source() as source:  # noqa: SLF001  # the part read-only mode reads
        while chunk := source.read(_CHUNK):
            text = tail + chunk
            if b"mergeCell" in text:
                found.update(dict.fromkeys(m.group(1) for m in _MERGE_CELL.finditer(text)))
            tail = text[-256:]
    out = []
    for ref in found:
        try:
            bounds = range_boundaries(ref.decode().replace("$", ""))
        except ValueError:  # not a range: nothing merged that could hide a value
            continue
        first_col, first_row, last_col, last_row = bounds
        if first_col is None or first_row is None or last_col is None or last_row is None:
            continue  # a whole row or column: no workbook merges one
        if (first_col, first_row) != (last_col, last_row):
            out.append((ref.decode(), first_row, first_col, last_row, last_col))
    return tuple(out)


def sheet_names(path: Path, *, hidden: bool | None = None) -> list[str]:
    """The titles of a workbook's worksheets (not its chart sheets), in order.

    `hidden`: None for all of them, False for those the workbook shows, True for the
    hidden ones.
    """
    _check_sizes(path)
    with _opened(path, None, data_only=False) as book:
        return [
            sheet.title
            for sheet in book.worksheets
            if hidden is None or (sheet.sheet_state != "visible") == hidden
        ]


@contextmanager
def _opened(path: Path, sheet: str | None, *, data_only: bool) -> Iterator[Any]:
    """The workbook, read-only; its file is closed after, even when openpyxl fails.

    (Given a path, openpyxl leaves the file open when the workbook cannot be read.)
    """
    import openpyxl  # noqa: PLC0415  # optional dependency, checked by the caller

    try:
        handle = path.open("rb")
    except OSError as error:
        raise _bad(path, sheet, error) from None
    with handle:
        try:
            book = openpyxl.load_workbook(handle, read_only=True, data_only=data_only)
        except Exception as error:  # noqa: BLE001  # zip, XML and openpyxl errors: one message
            raise _bad(path, sheet, error) from None
        try:
            yield book
        finally:
            book.close()  # read-only workbooks read the file until closed


class _TooLongError(Exception):
    def __init__(self, cell: str, length: int) -> None:
        self.cell = cell
        self.length = length


def _bad(path: Path, sheet: str | None, error: Exception) -> DataError:
    reason = str(error) or type(error).__name__
    return _fail(
        Message("table.bad_xlsx", where=_where(path, sheet), reason=reason), field=str(path)
    )


def _check_sizes(path: Path) -> None:
    """Refuse a workbook whose parts unpack to more than a real workbook would hold.

    The sizes come from the zip's directory; Python's zip reader stops at the declared
    size, so a part cannot unpack to more than it declares.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _bad(path, None, error) from None
    for part in parts:
        packed = max(part.compress_size, 1)
        too_big = part.file_size > PART_LIMIT
        bomb = part.file_size > _SMALL_PART and part.file_size > _RATIO * packed
        if too_big or bomb:
            message = Message(
                "readers.xlsx_too_large",
                where=_where(path, None),
                part=part.filename,
                size=part.file_size,
                packed=part.compress_size,
            )
            raise _fail(message, field=str(path), code="IK515")


# (row, column) → the cell's coordinate and its number format
Formulas = dict[tuple[int, int], tuple[str, str]]
# A cell holding an Excel error: its row, its coordinate, the error ('#DIV/0!')
ErrorCell = tuple[int, str, str]
# The values Excel saves for a formula that failed.
ERROR_CODES = frozenset(
    [
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#SPILL!",
        "#CALC!",
        "#GETTING_DATA",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    ]
)


def _rows(sheet: Any) -> tuple[list[tuple[int, list[Any]]], Formulas, list[ErrorCell]]:
    """Non-blank rows, formula cells (their value is read later), cells with an error.

    An error cell holds what Excel shows for a failed formula ('#N/A', '#DIV/0!').
    """
    sheet.reset_dimensions()  # the <dimension> a file declares may be wrong: read every row
    rows: list[tuple[int, list[Any]]] = []
    formulas: Formulas = {}
    errors: list[ErrorCell] = []
    formats: dict[str, _NumberFormat] = {}
    for number, row in enumerate(sheet.iter_rows(), start=1):
        cells = [_cell(cell, formats) for cell in row]
        for index, cell in enumerate(row):
            kind = getattr(cell, "data_type", None)
            if kind == "f":
                formulas[(number, index)] = (cell.coordinate, cell.number_format)
            elif kind == "e":
                errors.append((number, cell.coordinate, str(cell.value)))
        if any(c is not None for c in cells):  # blank rows are no regions
            rows.append((number, cells))
    return rows, formulas, errors


def _cell(cell: Any, formats: dict[str, _NumberFormat]) -> Any:
    """A cell's value: numbers stay numbers; text is stripped ('' → None); dates ISO."""
    value = cell.value
    if isinstance(value, str):
        if len(value) > CELL_LIMIT:
            raise _TooLongError(cell.coordinate, len(value))
        value = unescape(value)
        stripped = value.strip()
        if stripped != value and _quote_prefixed(cell):  # typed as "'  text": kept exactly
            return value
        return stripped or None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float | int) and not isinstance(value, bool):
        text = cell.number_format
        parsed = formats.get(text)
        if parsed is None:
            parsed = formats[text] = _number_format(text)
        if parsed.shows_percent(value):
            return PercentCell(value)
    return value


def _quote_prefixed(cell: Any) -> bool:
    """Whether a cell is marked as text typed exactly (Excel's leading apostrophe)."""
    style = getattr(cell, "style_array", None)
    return bool(getattr(style, "quotePrefix", False))


# OOXML writes a character XML cannot hold as '_x001B_'; '_x005f_' is a literal '_'
# before text that would read as such an escape. (openpyxl leaves them as they are.)
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_ESCAPED_CODES = frozenset(range(0x20)) - {0x09, 0x0A} | {0xFFFE, 0xFFFF}


def unescape(text: str) -> str:
    """Text with OOXML's escapes of control characters ('_x001B_') undone.

    Only the characters a workbook cannot hold as they are (control characters other
    than tab and line feed, and U+FFFE, U+FFFF) and the escaped underscore '_x005f_' are
    unescaped: openpyxl has already undone Excel's '_x005F_' before other text.
    """
    if "_x" not in text:
        return text

    def one(found: re.Match[str]) -> str:
        code = int(found.group(1), 16)
        if code in _ESCAPED_CODES or found.group(0) == "_x005f_":
            return chr(code)
        return found.group(0)

    return _ESCAPE.sub(one, text)


def escape(text: str) -> str:
    """Text as a workbook holds it: `unescape(escape(text)) == text` for every text.

    Control characters (and carriage returns, which XML reads as line feeds) become
    '_x001B_'; an underscore that would start such an escape becomes '_x005f_'.
    """
    if "_x" in text:
        text = _LOOKALIKE.sub("_x005f_", text)
    return _UNSAFE.sub(lambda found: f"_x{ord(found.group(0)):04X}_", text)


_LOOKALIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\r\x0e-\x1f\ufffe\uffff]")


# A number format's sections, split on unquoted ';': a quoted literal, an escaped or
# padded character ('\\%', '_%', '*%': the '%' is not the percent sign), a [bracket]
# (a colour, a condition, a currency such as [$%-409]), or any other character.
_TOKEN = re.compile(r'"[^"]*"?|\\.?|[_*].?|\[[^\]]*\]?|.', re.DOTALL)
_CONDITION = re.compile(r"\[(<=|>=|<>|<|>|=)\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\]")


@attrs.frozen
class _Section:
    """One section of a number format: its condition, if any, and whether it shows '%'."""

    condition: tuple[str, float] | None
    percent: bool


@attrs.frozen
class _NumberFormat:
    """A cell's number format, parsed into the sections Excel chooses from by the value."""

    sections: tuple[_Section, ...]

    def shows_percent(self, value: float) -> bool:
        """Whether the section Excel uses for `value` shows it times 100 with a '%'."""
        section = self._section(value)
        return section is not None and section.percent

    def _section(self, value: float) -> _Section | None:
        sections = self.sections[:3]  # a fourth section is for text
        if not sections:
            return None
        if any(section.condition for section in sections):
            # Conditional sections ('[>100]0%;0.00'): the first whose condition holds;
            # else the first without a condition after them, else the last.
            for section in sections:
                if section.condition and _holds(section.condition, value):
                    return section
            rest = [s for s in sections[1:] if s.condition is None]
            return rest[0] if rest else sections[-1]
        if len(sections) == 1:
            return sections[0]
        if len(sections) == 2:  # noqa: PLR2004  # positive and zero; negative
            return sections[0] if value >= 0 else sections[1]
        return sections[0] if value > 0 else sections[1] if value < 0 else sections[2]


def _holds(condition: tuple[str, float], value: float) -> bool:
    operator, number = condition
    return {
        "<": value < number,
        "<=": value <= number,
        ">": value > number,
        ">=": value >= number,
        "=": value == number,
        "<>": value != number,
    }[operator]


def _number_format(text: str) -> _NumberFormat:
    """Parse a number format ('0.00%', '0.00;[Red]-0.00%', '0.00_%') into its sections."""
    sections: list[_Section] = []
    condition: tuple[str, float] | None = None
    percent = False
    for part in _TOKEN.findall(text):
        if part == ";":
            sections.append(_Section(condition, percent))
            condition, percent = None, False
        elif part == "%":
            percent = True
        elif part.startswith("["):
            found = _CONDITION.fullmatch(part)
            if found:
                condition = (found.group(1), float(found.group(2)))
    sections.append(_Section(condition, percent))
    return _NumberFormat(tuple(sections))


def _is_percent(format_text: str, value: float) -> bool:
    """Whether a number format shows `value` times 100 with a '%' ('0.00%', '0%')."""
    return _number_format(format_text).shows_percent(value)


def _fill_formulas(
    path: Path, title: str, rows: list[tuple[int, list[Any]]], formulas: Formulas
) -> list[ErrorCell]:
    """Put in each formula's saved value; refuse formulas saved without one.

    A workbook written by a program that does not calculate has formulas without values:
    read as values they would be empty cells, scored by the missing policy, silently.
    """
    with _opened(path, title, data_only=True) as book:
        try:
            sheet = book[title]
            sheet.reset_dimensions()
            saved = {
                (number, index): value
                for number, row in _numbered(sheet)
                for index, value in enumerate(row)
                if (number, index) in formulas
            }
        except Exception as error:  # noqa: BLE001  # XML errors surface while iterating
            raise _bad(path, title, error) from None
    by_number = dict(rows)
    missing = []
    errors: list[ErrorCell] = []
    for (number, index), (coordinate, format_text) in sorted(formulas.items()):
        value = saved.get((number, index))
        if value is None:
            missing.append(coordinate)
            continue
        if isinstance(value, str) and value in ERROR_CODES:  # the formula failed: '#DIV/0!'
            errors.append((number, coordinate, value))
        if isinstance(value, str):
            value = unescape(value).strip() or None
        elif isinstance(value, dt.datetime | dt.date | dt.time):
            value = value.isoformat()
        elif (
            isinstance(value, float | int)
            and not isinstance(value, bool)
            and _is_percent(format_text, value)
        ):
            value = PercentCell(value)  # the saved value keeps the cell's percent format
        by_number[number][index] = value
    if missing:
        shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")  # noqa: PLR2004
        message = Message(
            "readers.formula_not_saved",
            where=_where(path, title),
            count=len(missing),
            cells=shown,
        )
        raise _fail(message, field=str(path), code="IK514")
    return errors


def _numbered(sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    return enumerate(sheet.iter_rows(values_only=True), start=1)
