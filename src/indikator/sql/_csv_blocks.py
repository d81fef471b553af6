"""A CSV file read as `tables.read_table` reads it, but in blocks of rows, into Parquet files.

`sql.engine.evaluate_path` hands DuckDB a CSV file this way, so that a file larger than
memory is read out of core with the numpy engine's cells. The file-level decisions are
made once, from the head, by the whole-file reader's own helpers: the separator (from the
first lines that hold something), the header row and each column's input (by id or
label). Each block of rows is then cut into cells as that reader cuts them (blanks and
the writer's "'" taken off, blank rows skipped, option labels read as ids) and written as
one Parquet file of text columns, `part00000000.parquet` and on, which DuckDB reads as a
glob in that order.

What the whole-file reader decides from every row (each row's width, a value under no
header, a column mixing decimal commas and points) is gathered while the blocks go by; a
file it refuses is refused with its error, with the precedence it has there: bytes that
are not UTF-8 anywhere first, then a row the csv module cannot read, the header, the
rows' widths, the columns, the decimals.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import attrs
import numpy as np
import numpy.typing as npt

from indikator.data import Table
from indikator.errors import DataError, DataProblem
from indikator.layout import SEARCHED, Header, Names, Reading, columns_of_ruleset
from indikator.messages import Message, Words
from indikator.tables import (
    _COMMA,
    _POINT,
    _SHOWN,
    _WHOLE,
    _account,
    _check_signature,
    _columns,
    _csv_errors,
    _delimiter,
    _fail,
    _header,
    _Layout,
    _object_array,
    _option_labels,
    _Read,
    _unprotect,
    _Where,
)

if TYPE_CHECKING:
    from indikator.ruleset import Ruleset

__all__ = ["BLOCK_CHARS", "BLOCK_ROWS", "Blocks", "write_blocks"]

#: A block ends after this many rows, or after about this many characters of the file:
#: what is held in memory at once (its rows, its cells, its Arrow table).
BLOCK_ROWS = 65_536
BLOCK_CHARS = 1 << 22

_WIDTHS_SHOWN = 10  # rows of the wrong width named in one error, as the whole-file reader

Row = tuple[int, list[str]]


@attrs.frozen
class Blocks:
    """A CSV file written as blocks: how it was read, and its columns (in the blocks)."""

    reading: Reading
    columns: tuple[str, ...]


def write_blocks(
    path: Path,
    ruleset: Ruleset,
    folder: Path,
    *,
    prefix: str = "",
    rows: int | None = None,
    chars: int | None = None,
) -> Blocks:
    """Write the CSV file at `path` as Parquet files of text cells into `folder`.

    The files are `{prefix}part00000000.parquet` and on. A block ends after `rows` rows
    or `chars` characters (`BLOCK_ROWS`, `BLOCK_CHARS`). Raises the `DataError`
    `read_table(path, ruleset=ruleset)` raises for the file.
    """
    _check_signature(path, ".csv")
    where = _Where(path)
    names = Names.of(columns_of_ruleset(ruleset))
    with _csv_errors(where):  # the opening only: the Parquet files' errors are not the CSV's
        # newline="": line ends inside quoted cells ('a\r\nb') are kept as written.
        handle = path.open(encoding="utf-8-sig", newline="")
    with handle:
        stem = str(folder / f"{prefix}part")
        blocks = _Blocks(where, names, stem, rows or BLOCK_ROWS, chars or BLOCK_CHARS)
        blocks.read(_lines(where, handle), _Layout(names, None, ruleset.plan.region))
    return Blocks(blocks.reading(), tuple(blocks.decimals))  # one per column written


def _lines(where: _Where, handle: TextIO) -> Iterator[str]:
    """The file's lines as the csv module splits them; bytes not UTF-8 refused as the reader."""
    with _csv_errors(where):
        yield from iter(handle.readline, "")


def _head(lines: Iterator[str]) -> list[str]:
    """The lines `tables._delimiter` looks at: up to the SEARCHED+1-th holding something.

    It splits the text at line feeds only (a lone carriage return ends no line there),
    so a line is counted when a line feed ends it.
    """
    head: list[str] = []
    since = 0  # where the current '\n'-line starts in `head`
    found = 0
    for line in lines:
        head.append(line)
        if line.endswith("\n"):
            if "".join(head[since:]).strip():
                found += 1
            since = len(head)
            if found > SEARCHED:
                break
    return head


def _filled(row: list[str]) -> bool:
    """A row that is a region: not blank, nor blank cells only (';;;;', as Excel writes)."""
    return bool((row and row[0].strip()) or any(map(str.strip, row)))


@attrs.define
class _Decimals:
    """What `tables._mixed_separators` finds in one column, gathered block by block."""

    text: bool = False  # a cell that is no number: commas in it are text, not decimals
    commas: int = 0
    shown: list[tuple[int, str]] = attrs.Factory(list)  # the first comma cells: (row, cell)
    point: tuple[int, str] | None = None  # the first cell with a decimal point

    def add(self, numbers: list[int], cells: list[Any]) -> None:
        for number, value in zip(numbers, cells, strict=True):
            if value is None:
                continue
            text = str(value).strip()
            if _COMMA.fullmatch(text):
                self.commas += 1
                if len(self.shown) < _SHOWN:
                    self.shown.append((number, value))
            elif _POINT.fullmatch(text):
                if self.point is None:
                    self.point = (number, value)
            elif not _WHOLE.fullmatch(text):
                self.text = True
                return

    def problem(self, name: str, where: _Where) -> DataProblem | None:
        """The whole-file reader's problem (`table.decimal_comma`), if it has one."""
        if self.text or not self.commas or self.point is None:
            return None
        shown = tuple(_cell(number, value) for number, value in self.shown)
        # `Words` counts the cells past the shown ones: the same one stands for them.
        items = shown + (shown[0],) * (self.commas - len(shown))
        example = str(self.shown[0][1]).strip()
        message = Message(
            "table.decimal_comma",
            where=where.text,
            name=name,
            count=self.commas,
            shown=Words(items, conjunction=None, limit=_SHOWN),
            point=_cell(*self.point),
            fixed=example.replace(",", "."),
            example=example,
        )
        return DataProblem(code="IK503", field=name, message=message, count=self.commas)


def _cell(number: int, value: Any) -> Message:
    return Message("table.cell", row=Message("table.row", number=number), value=repr(value))


class _Blocks:
    """The file's rows, cut into blocks written as Parquet; what the whole-file checks need."""

    def __init__(self, where: _Where, names: Names, stem: str, rows: int, chars: int) -> None:
        self.where, self.names, self.stem = where, names, stem
        self.rows, self.chars = rows, chars
        self.read_chars = 0  # characters of the file read so far
        self.written = 0  # Parquet files written
        self.header: Header | None = None
        self.width = 0  # the header row's cells
        self.widths: list[DataProblem] = []  # rows of another width (the first 10)
        self.unnamed: dict[int, tuple[int, Any]] = {}  # unnamed column → its first value
        self.decimals: dict[str, _Decimals] = {}
        self.options: dict[str, tuple[int, str, str]] = {}  # column → (cells, first, its id)
        self.source: Iterator[str] = iter(())  # the file's lines, counted

    def read(self, lines: Iterator[str], layout: _Layout) -> None:
        head = _head(lines)
        text = "".join(head)
        if not text.strip():  # the whole file, when the head is
            raise _fail(
                Message("table.empty", where=self.where.text),
                field=str(self.where.path),
                code="IK511",
            )
        delimiter = _delimiter(text)
        del text
        self.source = self._counted(itertools.chain(head, lines))
        reader = csv.reader(self.source, delimiter=delimiter, doublequote=True)
        numbered = self._numbered(reader)
        first_row = list(itertools.islice(numbered, 1))
        filled = filter(lambda row: _filled(row[1]), numbered)
        heads = [row for row in first_row if _filled(row[1])]
        heads += itertools.islice(filled, SEARCHED + 1 - len(heads))
        try:
            found, first = _header(self.where, heads or first_row, layout, csv=True)
        except DataError:
            for _ in numbered:  # a later row the csv module refuses, or bytes not UTF-8, first
                pass
            raise
        self.header = found
        header = list(found.names)[: len((heads or first_row)[first - 1][1])]  # its width
        self.width = len(header)
        names = [h.strip() for h in header]  # as `tables._columns` names them
        self._body(itertools.chain(heads[first:], filled), names)
        self._refuse(header)

    def _counted(self, lines: Iterator[str]) -> Iterator[str]:
        for line in lines:
            self.read_chars += len(line)
            yield line

    def _numbered(self, reader: Iterator[list[str]]) -> Iterator[Row]:
        """Rows as a spreadsheet numbers them (blank lines count); a bad row refused.

        As the whole-file reader, which decodes the whole file first: bytes that are not
        UTF-8 after the bad row are the error.
        """
        number = 0
        try:
            for number, row in enumerate(reader, start=1):  # read after the loop
                yield number, row
        except csv.Error as error:  # e.g. a cell longer than the csv module's field limit
            for _ in self.source:
                pass
            message = Message(
                "readers.csv_row", where=self.where.text, number=number + 1, reason=str(error)
            )
            raise _fail(message, field=str(self.where.path)) from None

    def _body(self, body: Iterator[Row], names: list[str]) -> None:
        """Every data row: written block by block while the file can still be read."""
        block: list[Row] = []
        start = self.read_chars
        for number, row in body:
            if len(row) != self.width:
                if len(self.widths) < _WIDTHS_SHOWN:
                    self.widths.append(self._width_problem(number, row))
                block.clear()  # the file is refused: no more blocks to write
            elif not self.widths:
                block.append((number, row))
                if len(block) >= self.rows or self.read_chars - start >= self.chars:
                    self._write(block, names)
                    block, start = [], self.read_chars
        if not self.widths and (block or not self.written):
            self._write(block, names)

    def _width_problem(self, number: int, row: list[str]) -> DataProblem:
        message = Message(
            "table.row_width",
            where=self.where.text,
            number=number,
            cells=len(row),
            width=self.width,
        )
        return DataProblem(code="IK503", field=str(self.where.path), message=message)

    def _write(self, block: list[Row], names: list[str]) -> None:
        """One block's cells, as the whole-file reader cuts them, as one Parquet file."""
        import pyarrow as pa  # noqa: PLC0415  # with duckdb, in the `sql` extra
        import pyarrow.parquet as pq  # noqa: PLC0415

        numbers = [number for number, _ in block]
        columns = list(zip(*(row for _, row in block), strict=True)) or [() for _ in names]
        table: dict[str, npt.NDArray[np.object_]] = {}
        for index, (name, column) in enumerate(zip(names, columns, strict=True)):
            if "'" in "".join(column):  # cells the CSV writer protected with a "'"
                cells = [_unprotect(cell) or None for cell in column]
            else:
                cells = [cell.strip() or None for cell in column]
            if not name:
                first = next(((n, c) for n, c in zip(numbers, cells, strict=True) if c), None)
                if first is not None:
                    self.unnamed.setdefault(index, first)
                continue
            if name in table:  # a column named twice: refused at the end of the file
                continue
            self.decimals.setdefault(name, _Decimals())
            if not self.decimals[name].text:
                self.decimals[name].add(numbers, cells)
            table[name] = _object_array(cells)
        labelled, found = _option_labels(Table(table), self.names)
        for option, count, written, choice in found:
            before = self.options.get(option, (0, written, choice))
            self.options[option] = (before[0] + count, before[1], before[2])
        arrow = pa.table({n: pa.array(v.tolist(), pa.string()) for n, v in labelled.items()})
        pq.write_table(arrow, f"{self.stem}{self.written:08d}.parquet")
        self.written += 1

    def _refuse(self, header: list[str]) -> None:
        """The whole-file reader's errors that need every row, in its order."""
        if self.widths:
            raise DataError(self.widths)
        # The columns' names (none, numbers, twice) and a value under no name: the
        # reader's own check, on one cell per column (the first value of an unnamed one).
        cells = [[self.unnamed[i][1]] if i in self.unnamed else [None] for i in range(len(header))]
        single = next(iter(self.unnamed.values()), (0, None))[0]
        assert self.header is not None  # noqa: S101  # found before the rows are read

        def row_name(_: int) -> Message:  # only a single unnamed column's row is named
            return Message("table.row", number=single)

        _columns(self.where, header, cells, row_name, self.header.rows[-1])
        # Decimal commas. (The whole-file reader looks only if a cell can hold a comma: a
        # '"' in a file of commas, a ',' in others; without one no cell is a comma cell.)
        problems = [d.problem(n, self.where) for n, d in self.decimals.items()]
        if any(problems):
            raise DataError([p for p in problems if p is not None])

    def reading(self) -> Reading:
        """How the file was read, as `read_table` says it (`Table.reading`)."""
        assert self.header is not None  # noqa: S101  # found when the file was read
        read = _Read(Table(), lambda _: Message("table.row", number=0), header=self.header)
        options = tuple((c, *self.options[c]) for c in self.names.options if c in self.options)
        return Reading(path=str(self.where.path), sheets=(_account(read),), options=options)
