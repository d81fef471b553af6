"""Input data: read a table, check it against the declared inputs, build float columns.

Input: a mapping of column → values, a pandas DataFrame or a pyarrow Table. Output:
`Columns` (float64 arrays, NaN where a value is missing; option codes; yes/no as 0/1;
checklists as the number of items met) and the region ids. Every problem in every
column is collected and raised once as a `DataError`; nothing is coerced silently.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import fractions
import functools
import math
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

import attrs
import numpy as np
import numpy.typing as npt

from indikator.cells import (
    Parsed,
    cell_kinds,
    missing_mask,
    number_faults,
    parse_numbers_marked,
    parse_options,
    parse_texts_and_empty,
    parse_yes_no,
)
from indikator.display import row_id
from indikator.errors import DataError, DataProblem, sample_regions
from indikator.messages import Message, Phrase, closest
from indikator.numeric import LARGEST, cut, resolve
from indikator.plan import InputSpec, Plan, per_plan

if TYPE_CHECKING:
    from indikator.layout import Reading

__all__ = [
    "LOCALES",
    "Columns",
    "Prepared",
    "Regions",
    "Table",
    "arrow_column",
    "check_columns",
    "columns_of",
    "expected_columns",
    "mixed_percents",
    "prepare",
    "rows_of",
    "table_columns",
    "validate",
]


class Regions(Sequence[str]):
    """Region ids: the id column's text, or 'row N' when the ruleset names no id column.

    Kept as one numpy array (a million Python strings would cost more than evaluating).
    """

    def __init__(self, ids: npt.NDArray[np.object_] | None, size: int, *, first: int = 0) -> None:
        self._ids = ids
        self._size = size
        self._first = first  # the table's row of the first id (a missing id is 'row N')

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._size))]
        if not -self._size <= index < self._size:
            raise IndexError(index)
        index %= self._size
        value = None if self._ids is None else self._ids[index]
        return row_id(index + self._first) if value is None else str(value)  # its row

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(self._size))

    def __repr__(self) -> str:
        """The first ids and how many: `Regions(['9914', '9915', ...], 30 regions)`."""
        shown = [self[i] for i in range(min(self._size, 5))]
        more = ", ..." if self._size > len(shown) else ""
        return f"Regions([{', '.join(map(repr, shown))}{more}], {self._size} regions)"

    def rows(self, start: int, stop: int) -> Regions:
        """The ids of rows `start` to `stop`, a view; a missing one still named by its row."""
        ids = None if self._ids is None else self._ids[start:stop]
        return Regions(ids, stop - start, first=self._first + start)

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        """The row of a region id (or of 'row N')."""
        if self._ids is not None:
            rows = np.flatnonzero(self._ids[start:stop] == str(value))
            if len(rows):
                return int(rows[0]) + start
            # Ids given as numbers, or a missing id shown as 'row N': compare as shown.
            shown = self[start:stop]
            if str(value) in shown:
                return shown.index(str(value)) + slice(start, stop).indices(self._size)[0]
        elif isinstance(value, str) and value.startswith("row ") and value[4:].isdigit():
            row = int(value[4:]) - 1 - self._first
            if max(start, 0) <= row < min(stop or self._size, self._size):
                return row
        raise ValueError(value)


@attrs.frozen(kw_only=True)
class Columns:
    """Validated input arrays and the region id of each row."""

    arrays: dict[str, npt.NDArray[np.generic]]
    regions: Regions
    size: int


class Table(dict[str, npt.NDArray[np.generic]]):
    """Named columns, and the notation their text numbers are written in.

    `locale` is None (the safe default: a point is the decimal point, and text that
    another notation would read otherwise, such as '1.000', is refused), "en" (points
    are decimal points, commas group thousands) or "id" (Indonesian: '1.000,5').
    `tables.read_table(path, locale=...)` gives one; any mapping may be wrapped in one.
    `reading` is the account of how `read_table` read the file (None for other tables).
    """

    def __init__(
        self, columns: Any = (), *, locale: str | None = None, reading: Reading | None = None
    ) -> None:
        super().__init__(columns)
        if locale not in LOCALES:
            msg = f"locale must be one of {', '.join(map(str, LOCALES))}, not {locale!r}"
            raise ValueError(msg)
        self.locale = locale
        # How the file was read (`layout.Reading`): header row, columns matched by label...
        self.reading = reading


#: The notations of numbers written as text: None is the safe default.
LOCALES = (None, "en", "id")


def table_columns(table: Any) -> Table:
    """Turn a mapping, DataFrame or pyarrow Table into named 1-d numpy arrays."""
    locale = getattr(table, "locale", None) if isinstance(table, Table) else None
    if hasattr(table, "column_names") and hasattr(table, "column"):  # pyarrow.Table
        return Table({str(c): arrow_column(table.column(c)) for c in table.column_names})
    if hasattr(table, "columns") and hasattr(table, "to_numpy") and hasattr(table, "dtypes"):
        return Table({str(c): _pandas_column(table[c]) for c in table.columns})  # DataFrame
    if isinstance(table, Mapping):
        return Table({str(k): _as_array(str(k), v) for k, v in table.items()}, locale=locale)
    kind = type(table).__name__
    msg = f"expected a mapping of columns, a pandas DataFrame or a pyarrow Table, not {kind}"
    raise TypeError(msg)


def arrow_column(column: Any) -> npt.NDArray[np.generic]:
    """A pyarrow column as numpy, each cell as its author wrote it.

    Floats stay in their width (a float32 80.1 is read as 80.1 by `cells`), integers
    stay exact (no float64 detour when some are null), dates and times become ISO text
    as in a workbook, durations text ('3 days, 0:00:00', not a number of seconds), and
    binary cells the UTF-8 text they hold. Numbers without nulls are not copied; text,
    binary, integers with nulls and dictionaries are read through their distinct values.
    """
    import pyarrow as pa  # noqa: PLC0415  # only reached with a pyarrow column in hand

    kind = column.type
    if pa.types.is_floating(kind) or (pa.types.is_integer(kind) and column.null_count == 0):
        return np.asarray(column.to_numpy())
    text = pa.types.is_string(kind) or pa.types.is_large_string(kind)
    if text and _mostly_distinct(column):  # region ids: one string each, made by Arrow
        return _arrow_cells(column)
    if any(getattr(pa.types, test)(kind) for test in _ENCODED):
        return _arrow_coded(column)
    return _arrow_cells(column)


def _mostly_distinct(column: Any) -> bool:
    """Whether the first cells hardly repeat: encoding them would cost and save nothing.

    Encoding a million distinct ids takes about three times as long as Arrow making the
    million strings; only the speed depends on this guess, never a value.
    """
    import pyarrow.compute as pc  # noqa: PLC0415  # only reached with a pyarrow column

    first = column.slice(0, _SAMPLE_ROWS)
    distinct = pc.count_distinct(first, mode="all").as_py()
    return bool(distinct > len(first) * _MOST_DISTINCT)


_SAMPLE_ROWS = 4096  # the cells `_mostly_distinct` looks at


def _arrow_cells(column: Any) -> npt.NDArray[np.generic]:
    """`arrow_column` cell by cell: numbers as numpy, anything else as Python objects."""
    import pyarrow as pa  # noqa: PLC0415  # only reached with a pyarrow column in hand

    kind = column.type
    if pa.types.is_floating(kind) or (pa.types.is_integer(kind) and column.null_count == 0):
        return np.asarray(column.to_numpy())
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):  # strs made by Arrow
        return np.asarray(column.to_numpy(zero_copy_only=False), dtype=object)
    cells = column.to_pylist()
    if pa.types.is_temporal(kind):
        cells = [None if c is None else _temporal_text(c) for c in cells]
    elif any(getattr(pa.types, test)(kind) for test in _BINARY):
        cells = [None if c is None else _utf8(c) for c in cells]
    return _object_array(cells)


_BINARY = ("is_binary", "is_large_binary", "is_fixed_size_binary")
# Columns read through their distinct values: text, bytes, integers with nulls (otherwise
# numbers, above), yes/no, and columns dictionary-encoded already.
_ENCODED = (
    "is_boolean",
    "is_string",
    "is_large_string",
    "is_binary",
    "is_large_binary",
    "is_integer",
    "is_dictionary",
)


def _arrow_coded(column: Any) -> npt.NDArray[np.object_]:
    """A pyarrow column as its distinct values' Python objects, shared by the cells.

    Each distinct value becomes one Python object (as `arrow_column` makes it), not one
    per cell; the cells are an array of references to them and `validate` reads each
    distinct value once (`_Coded`). The chunks of a column may each bring a dictionary.
    """
    import pyarrow as pa  # noqa: PLC0415  # only reached with a pyarrow column in hand
    import pyarrow.compute as pc  # noqa: PLC0415

    encoded = column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(column)
    chunks = encoded.chunks if isinstance(encoded, pa.ChunkedArray) else [encoded]
    dictionaries: list[Any] = []
    codes: list[npt.NDArray[np.integer[Any]]] = []
    offset = 0
    for chunk in chunks:
        if not dictionaries or not chunk.dictionary.equals(dictionaries[-1]):
            offset += len(dictionaries[-1]) if dictionaries else 0
            dictionaries.append(chunk.dictionary)
        indices = chunk.indices  # in their own width (int32 usually), unless renumbered
        if offset or pa.types.is_unsigned_integer(indices.type):
            indices = indices.cast(pa.int64())
        # A null cell is -1: the None after the distinct values (see `_coded_cells`).
        found = np.asarray(pc.fill_null(indices, -1))
        codes.append(np.where(found < 0, found, found + offset) if offset else found)
    if not dictionaries:  # no rows
        return np.empty(0, dtype=object)
    distinct = _python_cells(_arrow_cells(pa.concat_arrays(dictionaries)))
    return _coded_cells(np.concatenate(codes) if len(codes) > 1 else codes[0], distinct)


def _python_cells(values: npt.NDArray[np.generic]) -> npt.NDArray[np.object_]:
    """Cells as Python objects, as a list of them would be given (`_python_scalar`)."""
    if values.dtype == object:
        return values  # type: ignore[return-value]  # checked just above
    return _object_array([_python_scalar(v) for v in values])


@attrs.frozen(eq=False)
class _Coded:
    """An array of cells that are `distinct[codes]`: read once per distinct value."""

    cells: weakref.ref[npt.NDArray[np.object_]]
    codes: npt.NDArray[np.integer[Any]]  # -1: the last of `distinct`, None (an empty cell)
    distinct: npt.NDArray[np.object_]  # each value some cell holds, then None


#: The cell arrays made by `_coded_cells`, by `id`: an entry goes with its array.
_CODED: dict[int, _Coded] = {}


def _coded_cells(
    codes: npt.NDArray[np.integer[Any]], distinct: npt.NDArray[np.object_]
) -> npt.NDArray[np.object_]:
    """The cells `distinct[codes]` (-1: None), read-only, their codes kept for `validate`.

    Only the values some cell holds are kept: a column's reading may depend on all of its
    values (`cells.parse_numbers` reads '1.000' by the column's other numbers), and an
    unused category or dictionary entry must not change it. The array is read-only, so
    its cells cannot drift from the codes. Codes of values that hardly repeat (region ids)
    would save no work and cost their bytes: those cells are read one by one.
    """
    table = np.empty(len(distinct) + 1, dtype=object)
    table[:-1] = distinct
    used = np.zeros(len(table), dtype=bool)
    used[codes] = True
    if np.count_nonzero(used) > len(codes) * _MOST_DISTINCT:
        return np.asarray(table[codes])
    if not used[:-1].all():
        kept = np.flatnonzero(used[:-1])
        renumber = np.full(len(table), -1, dtype=codes.dtype)
        renumber[kept] = np.arange(len(kept))
        codes = renumber[codes]
        table = table[np.append(kept, len(distinct))]
    cells: npt.NDArray[np.object_] = table[codes]
    cells.flags.writeable = False
    _remember_codes(cells, codes, table)
    return cells


def _remember_codes(
    cells: npt.NDArray[np.object_],
    codes: npt.NDArray[np.integer[Any]],
    distinct: npt.NDArray[np.object_],
) -> None:
    """Note that `cells` are `distinct[codes]`, for as long as `cells` lives."""
    key = id(cells)
    _CODED[key] = _Coded(cells=weakref.ref(cells), codes=codes, distinct=distinct)
    weakref.finalize(cells, _CODED.pop, key, None)


def rows_of(
    raw: Mapping[str, npt.NDArray[np.generic]], start: int, stop: int
) -> dict[str, npt.NDArray[np.generic]]:
    """The rows `start` to `stop` of every column (views), for `Prepared.rows`.

    A column read through its distinct values stays so: its rows are read once per
    distinct value of the whole column, which gives a chunk the whole column's reading.
    """
    sliced = {}
    for name, values in raw.items():
        rows = sliced[name] = values[start:stop]
        coded = _CODED.get(id(values))
        if coded is not None and coded.cells() is values:
            _remember_codes(rows, coded.codes[start:stop], coded.distinct)  # type: ignore[arg-type]
    return sliced


#: Cells read through their distinct values only when these are at most this share.
_MOST_DISTINCT = 0.5

_Parse = TypeVar("_Parse", bound=tuple[npt.NDArray[Any], ...])


def _each_distinct(values: npt.NDArray[Any], parse: Callable[[npt.NDArray[Any]], _Parse]) -> _Parse:
    """`parse(values)`, read once per distinct value when the cells are codes of them.

    The parsers read cell by cell, or by what a column's values have in common (the set
    of them, never their count or order): parsing the distinct values, then taking each
    result by the codes, gives the same arrays.
    """
    coded = _CODED.get(id(values))
    if coded is None or coded.cells() is not values:
        return parse(values)
    # A part that is the distinct values themselves (text kept as given) is the cells.
    parts = parse(coded.distinct)
    taken = (values if part is coded.distinct else part[coded.codes] for part in parts)
    return cast("_Parse", tuple(taken))


def _temporal_text(value: Any) -> str:
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value.isoformat()) if hasattr(value, "isoformat") else str(value)


def _utf8(value: bytes) -> Any:
    """Bytes as the text they hold; bytes that are not UTF-8 stay bytes (then refused)."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value


def _object_array(items: Sequence[Any]) -> npt.NDArray[np.object_]:
    array = np.empty(len(items), dtype=object)  # element by element: no nested arrays
    array[:] = list(items)
    return array


def _pandas_column(series: Any) -> npt.NDArray[np.generic]:
    """A pandas column as numpy: numbers without a copy where their dtype allows.

    Categoricals are read through their categories, and text and nullable integers
    stored in Arrow through `arrow_column`: no Python object per cell.
    """
    dtype = series.dtype
    # numpy-backed numbers as they are; nullable ones ("Int64", "boolean") hold pd.NA.
    if isinstance(dtype, np.dtype) and dtype.kind in "fiub":
        return np.asarray(series.to_numpy())
    numpy_dtype = getattr(dtype, "numpy_dtype", None)
    if isinstance(numpy_dtype, np.dtype) and numpy_dtype.kind == "f":
        # Nullable floats ("Float32"): in their own width, NA as NaN. Through Python
        # objects a float32 80.1 would become 80.0999984741211.
        return np.asarray(series.to_numpy(dtype=numpy_dtype, na_value=np.nan))
    if dtype.name == "category":
        categories = series.cat.categories.astype(object)  # as `astype(object)` shows them
        return _coded_cells(np.asarray(series.array.codes), np.asarray(categories, dtype=object))
    if _arrow_backed(dtype, numpy_dtype):
        return arrow_column(series.array.__arrow_array__())
    if dtype == np.dtype(object):  # the column's own array, copied only to empty its NaN and NA
        cells = np.asarray(series.to_numpy(), dtype=object)
        missing = np.asarray(series.isna(), dtype=bool)
        if missing.any():
            cells = cells.copy()
            cells[missing] = None
        return cells
    return np.asarray(series.astype(object).where(series.notna(), None).to_numpy(), dtype=object)


def _arrow_backed(dtype: Any, numpy_dtype: Any) -> bool:
    """Whether `arrow_column` reads the column, without a Python object for each cell.

    Text held in Arrow ("str", "string[pyarrow]", `pd.ArrowDtype(pa.string())`), nullable
    integers ("Int64") and yes/no ("boolean").
    """
    if getattr(dtype, "storage", None) == "pyarrow" and dtype.name in ("str", "string"):
        return True
    if isinstance(numpy_dtype, np.dtype) and numpy_dtype.kind in "iub":
        return True  # "Int64", "boolean", pd.ArrowDtype(pa.int64()): exact, nulls as None
    arrow_type = getattr(dtype, "pyarrow_dtype", None)  # pd.ArrowDtype
    return arrow_type is not None and str(arrow_type) in ("string", "large_string")


# Python integers beyond this lose digits as float64: kept as integers (region ids).
_EXACT = 2**53


def _as_array(name: str, values: Any) -> npt.NDArray[np.generic]:
    if type(values) is np.ndarray and values.ndim == 1:  # the usual column, as it is
        return values
    if isinstance(values, np.ndarray):
        array: npt.NDArray[np.generic] = (
            _unmasked(values) if np.ma.isMaskedArray(values) else values
        )
        if array.ndim == 0:
            return array.reshape(-1)
        if array.ndim > 1:
            raise DataError([_not_one_column(name, array.shape)])
        return array
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        values = [values]
    items = list(values)
    if any(issubclass(kind, np.generic) for kind in set(map(type, items))):
        items = [_python_scalar(v) for v in items]  # as the same values in plain Python
    if all(type(v) is float or type(v) is int for v in items) and not any(
        type(v) is int and not -_EXACT <= v <= _EXACT for v in items
    ):
        return np.asarray(items, dtype=np.float64)
    return _object_array(items)


def _python_scalar(value: Any) -> Any:
    """A numpy scalar as the Python value it stands for: np.str_('50') is '50'.

    float32 and float16 stay as they are: `cells` reads them as the decimal they show.
    """
    if isinstance(value, np.str_):
        return str(value)
    if isinstance(value, np.bool_ | np.integer) or (
        isinstance(value, np.floating) and value.dtype.itemsize >= 8  # noqa: PLR2004
    ):
        return value.item()
    return value


def _unmasked(values: np.ma.MaskedArray[Any, Any]) -> npt.NDArray[np.generic]:
    """A masked array with its masked cells empty (NaN or None), not their hidden values."""
    mask = np.ma.getmaskarray(values)
    data = np.ma.getdata(values)
    if not mask.any():
        return np.asarray(data)
    if data.dtype.kind == "f":
        return np.where(mask, np.nan, data).astype(data.dtype)
    cells = data.astype(object)
    cells[mask] = None
    return np.asarray(cells)


def _not_one_column(name: str, shape: tuple[int, ...]) -> DataProblem:
    shown = " x ".join(map(str, shape))
    message = Message("readers.not_one_column", column=name, shape=shown)
    return DataProblem(code="IK503", field=name, message=message)


def validate(
    plan: Plan, raw: Mapping[str, npt.NDArray[np.generic]], *, extra: str = "error"
) -> Columns:
    """Check raw columns against the plan's inputs; raise one `DataError` listing everything."""
    return prepare(plan, raw, extra=extra).validate()


@attrs.frozen(kw_only=True)
class Prepared:
    """`validate`'s part that reads the whole table, with what the cells' part needs.

    The lengths, the names of the columns, the region ids (read, and checked for repeats
    and yes/no cells) and names; `problems` found in them. The cells are validated by
    `validate` (the whole table) or `rows` (a part: `chunks` validates each chunk's own).
    """

    plan: Plan
    raw: Mapping[str, npt.NDArray[np.generic]]
    size: int
    regions: Regions
    texts: dict[str, npt.NDArray[np.generic]]  # the region id and name columns, read
    empty: dict[str, npt.NDArray[np.bool_]]  # of `texts`
    problems: tuple[DataProblem, ...]

    def validate(self) -> Columns:
        """The whole table's validated columns; one `DataError` listing every problem."""
        arrays = _cells(self, self.raw, None, list(self.problems), None)
        return Columns(arrays=arrays, regions=self.regions, size=self.size)

    def rows(
        self,
        sliced: Mapping[str, npt.NDArray[np.generic]],
        start: int,
        notes: set[tuple[str, str]],
    ) -> dict[str, npt.NDArray[np.generic]]:
        """The validated columns of rows `start` on, `sliced` the raw table's rows.

        A `DataError` for a problem in those rows (naming them only: the caller validates
        the whole table for the error to show). What the whole column decides is left in
        `notes` instead: `mixed_percents` tells it.
        """
        stop = start + len(next(iter(sliced.values())))
        return _cells(self, sliced, (start, stop), list(self.problems), notes)


def mixed_percents(notes: set[tuple[str, str]]) -> bool:
    """Whether a column's percent-formatted cells and plain fractions came in parts.

    `Prepared.rows` notes each; the whole column's check refuses the mix (IK513).
    """
    marked = {column for column, note in notes if note == "marked"}
    return any(note == "plain" and column in marked for column, note in notes)


def prepare(
    plan: Plan, raw: Mapping[str, npt.NDArray[np.generic]], *, extra: str = "error"
) -> Prepared:
    """The whole table's part of `validate`: lengths (refused at once), names and ids."""
    problems: list[DataProblem] = []
    size = _size(raw)
    texts: dict[str, npt.NDArray[np.generic]] = {}
    empty: dict[str, npt.NDArray[np.bool_]] = {}  # of text columns, for the missing policies
    # The types of the region ids' cells, one pass for the three questions asked of them.
    id_kinds = _object_kinds(raw.get(plan.region)) if plan.region else None
    for column in (plan.region, plan.region_name):  # kept for reports even if not inputs
        if column and column in raw:
            kinds = id_kinds if column == plan.region else None
            parse = functools.partial(parse_texts_and_empty, kinds=kinds)
            texts[column], empty[column] = _each_distinct(raw[column], parse)
    regions = _region_ids(plan, texts, empty, size, problems, plain=id_kinds == {str})
    if plan.region is not None and plan.region in raw:
        _refuse_yes_no_ids(plan.region, raw[plan.region], problems, id_kinds)
    _check_names(_columns_by_input(plan)[1], raw, extra, problems)
    return Prepared(
        plan=plan,
        raw=raw,
        size=size,
        regions=regions,
        texts=texts,
        empty=empty,
        problems=tuple(problems),
    )


def _cells(
    prepared: Prepared,
    raw: Mapping[str, npt.NDArray[np.generic]],
    span: tuple[int, int] | None,
    problems: list[DataProblem],
    notes: set[tuple[str, str]] | None,
) -> dict[str, npt.NDArray[np.generic]]:
    """The validated input columns of `raw`, the whole table or its rows `span`."""
    plan = prepared.plan
    if span is None:
        arrays, empty, regions = dict(prepared.texts), dict(prepared.empty), prepared.regions
    else:
        start, stop = span
        arrays = {name: texts[start:stop] for name, texts in prepared.texts.items()}
        empty = {name: cells[start:stop] for name, cells in prepared.empty.items()}
        regions = prepared.regions.rows(start, stop)
    inputs, _ = _columns_by_input(plan)
    locale = getattr(prepared.raw, "locale", None)
    for spec, item_columns in inputs:
        for column in item_columns:
            if column not in raw or column in empty:
                continue  # reported above, or the region id or name column, read above
            if spec.kind == "text":
                arrays[column], empty[column] = _each_distinct(raw[column], parse_texts_and_empty)
                _refuse_non_texts(column, arrays[column], regions, problems)
            else:
                read = _Column(column, raw[column], regions, locale, notes)
                arrays[column] = _convert(spec, read, problems)
        if spec.kind == "checklist" and all(c in arrays for c in item_columns):
            arrays[spec.name] = _count_items(spec, [arrays.pop(c) for c in item_columns])
    if problems:
        raise DataError(problems)
    _apply_policies(plan, arrays, empty, regions, problems)
    if problems:
        raise DataError(problems)
    return arrays


#: What a text cell may be besides text: a number is its text (`parse_texts_and_empty`).
_TEXT_LIKE = (str, int, float, decimal.Decimal, fractions.Fraction, np.number)


def _refuse_non_texts(
    column: str,
    texts: npt.NDArray[np.generic],
    regions: Regions,
    problems: list[DataProblem],
) -> None:
    """Cells of a text input that are no text nor number (bytes, lists): IK503, not a crash.

    A rank `within` such a column could not order them, and no output could show them.
    """
    if texts.dtype != object or cell_kinds(texts) <= {str, type(None)}:
        return  # the usual case, without a loop
    cells = texts.tolist()
    rows = [i for i, v in enumerate(cells) if v is not None and not isinstance(v, _TEXT_LIKE)]
    if rows:
        names = [regions[i] for i in rows]
        problems.append(_not_expected(column, "data.texts", names, texts[rows]))


def _not_expected(
    column: str, expected: str, names: list[str], cells: npt.NDArray[np.generic]
) -> DataProblem:
    """IK503: the cells of `column` in the regions `names` are not what it holds."""
    message = Message(
        "data.not_expected", column=column, count=len(names), expected=Message(expected)
    )
    return DataProblem(
        code="IK503",
        field=column,
        message=message,
        regions=sample_regions(names, cells),
        count=len(names),
    )


def check_columns(
    plan: Plan, raw: Mapping[str, npt.NDArray[np.generic]], *, extra: str = "error"
) -> None:
    """`validate`'s checks of the columns alone (lengths, some rows, names), not the cells.

    For a part of a table (`sql.engine` looks at its first row): its cells say nothing
    of the rest, and an error naming them would name too few.
    """
    _size(raw)
    problems: list[DataProblem] = []
    _check_names(expected_columns(plan), raw, extra, problems)
    if problems:
        raise DataError(problems)


def _size(raw: Mapping[str, npt.NDArray[np.generic]]) -> int:
    """The columns' one length; columns of several lengths, or no rows, are refused."""
    sizes = {len(v) for v in raw.values()}
    if len(sizes) > 1:
        lengths = ", ".join(f"'{k}' {len(v)}" for k, v in raw.items())
        raise DataError(
            [DataProblem(code="IK503", field="*", message=Message("data.lengths", lengths=lengths))]
        )
    size = sizes.pop() if sizes else 0
    if size == 0:
        raise DataError([DataProblem(code="IK511", field="*", message=Message("data.no_rows"))])
    return size


def _count_items(spec: InputSpec, items: list[npt.NDArray[np.generic]]) -> npt.NDArray[np.float64]:
    """Items that are yes.

    Under `missing zero` an empty item is simply not met (no evidence, no credit); under
    `exclude` or `error` it makes the whole checklist missing.
    """
    if spec.missing == "zero":
        # The items that are 1, counted in small integers: a third of the time of adding
        # floats with NaN turned into 0.
        met = np.zeros(len(items[0]), dtype=np.min_scalar_type(len(items)))
        for item in items:
            met += item == 1.0
        return met.astype(np.float64)
    count = np.zeros(len(items[0]))
    for item in items:
        count += np.asarray(item, dtype=np.float64)  # an empty item leaves the count NaN
    return count


def columns_of(spec: InputSpec) -> list[str]:
    """The data columns of an input: one per checklist item, and `x.prev` if read."""
    names = (
        [f"{spec.name}.{item}" for item in spec.choices]
        if spec.kind == "checklist"
        else [spec.name]
    )
    if spec.needs_prev:  # prev() is refused on checklists by the checker
        names.append(f"{spec.name}.prev")
    return names


@per_plan
def _columns_by_input(
    plan: Plan,
) -> tuple[tuple[tuple[InputSpec, tuple[str, ...]], ...], frozenset[str]]:
    """Each input with its columns, and every column expected: once per plan, not a call."""
    inputs = tuple((spec, tuple(columns_of(spec))) for spec in plan.inputs)
    return inputs, frozenset(expected_columns(plan))


def expected_columns(plan: Plan) -> set[str]:
    """Every column a table for `plan` must have: inputs, region id and name."""
    expected = {c for spec in plan.inputs for c in columns_of(spec)}
    expected |= {c for c in (plan.region, plan.region_name) if c}
    return expected


def _check_names(
    expected: AbstractSet[str], raw: Mapping[str, Any], extra: str, problems: list[DataProblem]
) -> None:
    """Missing and unknown columns: one problem of each kind, however many columns.

    A title row read as the header names every column wrongly: one message with a count
    and a few names says so better than sixty.
    """
    missing = sorted(expected - set(raw))
    if len(missing) == 1:
        column = missing[0]
        close = closest(column, raw)
        message = (
            Message("data.missing_column_close", column=column, close=close)
            if close
            else Message("data.missing_column", column=column)
        )
        problems.append(DataProblem(code="IK501", field=column, message=message))
    elif missing:
        message = Message("data.missing_columns", count=len(missing), shown=_few(missing))
        problems.append(DataProblem(code="IK501", field=missing[0], message=message))
    unknown = [column for column in raw if column not in expected] if extra == "error" else []
    if len(unknown) == 1:
        message = Message("data.extra_column", column=unknown[0])
        problems.append(DataProblem(code="IK502", field=unknown[0], message=message))
    elif unknown:
        message = Message("data.extra_columns", count=len(unknown), shown=_few(unknown))
        problems.append(DataProblem(code="IK502", field=unknown[0], message=message))


def _few(names: Sequence[str], shown: int = 4) -> str:
    """'a', 'b', 'c', 'd', … : the first few names of a long list."""
    text = ", ".join(f"'{name}'" for name in names[:shown])
    return text + (", …" if len(names) > shown else "")


def _object_kinds(values: npt.NDArray[np.generic] | None) -> AbstractSet[type] | None:
    """`cell_kinds` of an object column; None for any other (or none)."""
    return None if values is None or values.dtype != object else cell_kinds(values)


def _region_ids(
    plan: Plan,
    texts: Mapping[str, Any],
    empty: Mapping[str, npt.NDArray[np.bool_]],
    size: int,
    problems: list[DataProblem],
    *,
    plain: bool,
) -> Regions:
    """The region ids (IK507 if one repeats); `plain`: the raw ids are all plain strings."""
    if plan.region is None or plan.region not in texts:
        return Regions(None, size)
    ids = texts[plan.region]
    regions = Regions(ids, size)
    missing = empty[plan.region]  # a missing id is its policy's business
    # Plain strings stay themselves (the empty ones become None, left out here).
    if _all_distinct(ids[~missing] if missing.any() else ids, plain=plain or None):
        return regions
    # A missing id gets a key of its own, so it never repeats another.
    keys = np.array([str(v) if v is not None else f"\0{i}" for i, v in enumerate(ids.tolist())])
    _, first = np.unique(keys, return_index=True)
    if len(first) < size:
        repeated = np.flatnonzero(~np.isin(np.arange(size), first))
        samples = tuple(
            Message(
                "data.repeated_rows",
                region=regions[i],
                first=int(np.flatnonzero(keys == keys[i])[0]) + 1,
                second=i + 1,
            )
            for i in repeated[:3].tolist()
        )
        problems.append(
            DataProblem(
                code="IK507",
                field=plan.region,
                message=Message("data.ids_repeat", column=plan.region),
                regions=samples,
                count=len(repeated),
            )
        )
    return regions


def _refuse_yes_no_ids(
    column: str,
    values: npt.NDArray[np.generic],
    problems: list[DataProblem],
    kinds: AbstractSet[type] | None,
) -> None:
    """A region id that is true or false (a JSON or Parquet boolean) names no region.

    `kinds`: `cell_kinds(values)` of an object column.
    """
    if values.dtype.kind == "b":
        rows = list(range(len(values)))
    elif values.dtype == object:
        if not {bool, np.bool_} & (cell_kinds(values) if kinds is None else kinds):
            return  # the usual case, without a loop
        cells = values.tolist()
        rows = [i for i, v in enumerate(cells) if isinstance(v, bool | np.bool_)]
    else:
        return
    if rows:
        names = [f"row {i + 1}" for i in rows]
        problems.append(_not_expected(column, "data.region_ids", names, values[rows]))


def _all_distinct(ids: npt.NDArray[np.object_], *, plain: bool | None = None) -> bool:
    """Whether no id repeats, as a hash set of the ids as shown (`str`) would say.

    Plain strings are shown as they are: sorted ones (the usual table) are distinct when
    each is greater than the one before. Otherwise equal ids have equal hashes, so when the
    sorted hashes hold no pair the ids are distinct: sorting 10^6 integers costs less than
    filling a set of 10^6 strings. Equal hashes (a repeat, or rarely a collision) are
    settled by the set.
    """
    if plain is None:  # `plain`: known to be plain strings, when the caller knows it
        plain = set(map(type, ids)) == {str}
    if plain and _increasing(ids):
        return True
    cells = ids.tolist()
    # Anything else is compared as shown: 3201 and "3201" repeat, and so do two text
    # subclasses (numpy's str_ drops a trailing NUL, an Enum shows its name) shown alike.
    if not plain:
        cells = [str(cell) for cell in cells]
    hashes = np.fromiter(map(hash, cells), dtype=np.int64, count=len(cells))
    hashes.sort()
    if not (hashes[1:] == hashes[:-1]).any():
        return True
    return len(set(cells)) == len(cells)


def _increasing(texts: npt.NDArray[np.object_]) -> bool:
    """Whether plain strings are in strictly increasing order, which no repeat can be.

    Region tables usually come sorted by code: one comparison pass (about 17 ms for 10^6
    ids, and 20 ms to know they are all plain strings) instead of hashing and sorting
    (about 120 ms).
    """
    head = min(len(texts), 64)  # an unsorted column is usually told by its first rows
    return bool(np.all(texts[1:head] > texts[: head - 1]) and np.all(texts[1:] > texts[:-1]))


@attrs.frozen
class _Column:
    """A raw column with what error messages need: its name and the region ids."""

    name: str
    values: npt.NDArray[np.generic]
    regions: Sequence[str]
    locale: str | None = None  # the notation of numbers written as text
    # A part of the table's rows (`Prepared.rows`): what the whole column decides goes here.
    notes: set[tuple[str, str]] | None = None


#: What a yes/no cell must be, for a message: one `Message` (frozen), not one a column.
_YES_NO = Message("data.yes_no")


@functools.cache
def _one_of(choices: tuple[str, ...]) -> Message:
    """What an option cell must be, built once per list of choices (not once a call)."""
    return Message("data.one_of", choices=", ".join(f"'{c}'" for c in choices))


def _convert(
    spec: InputSpec, column: _Column, problems: list[DataProblem]
) -> npt.NDArray[np.generic]:
    if spec.kind in ("yesno", "checklist"):
        flags = _flag(column, _each_distinct(column.values, parse_yes_no), _YES_NO, problems)
        # -0.0 is "no" and is read as 0.0, so that no sign reaches and/or/all_met (whose
        # two paths treat it alike only then). Checklist items are counted: no sign left.
        if spec.kind == "yesno" and np.signbit(flags).any():
            flags = flags + 0.0
        return flags
    if spec.kind == "option":
        expected = _one_of(spec.choices)
        parsed = _each_distinct(
            column.values, functools.partial(parse_options, choices=spec.choices)
        )
        return _flag(column, parsed, expected, problems, code="IK506")
    numbers = _numbers(spec, column, problems)
    # Two passes find the extremes (NaN skipped); the cell-by-cell masks are built only
    # when a column actually holds an infinite or out-of-range value.
    smallest, largest = np.fmin.reduce(numbers), np.fmax.reduce(numbers)
    has_infinity = math.isinf(smallest) or math.isinf(largest)
    if has_infinity:
        infinite = np.isinf(numbers)
        rows = np.flatnonzero(infinite).tolist()
        problems.append(
            DataProblem(
                code="IK503",
                field=column.name,
                message=Message("data.infinite", column=column.name),
                regions=sample_regions([column.regions[i] for i in rows], numbers[rows]),
                count=len(rows),
            )
        )
    # At least `low` and at most `high` as `x >= low` and `x <= high` say (numeric.cut).
    low, high = _bounds(spec)
    low_ok = not smallest <= cut(low, ">=")
    high_ok = not largest >= cut(high, "<=")
    if not (low_ok and high_ok) or (
        spec.kind == "count" and not _all_whole(numbers, infinite=has_infinity)
    ):
        _check_range(spec, column, numbers, problems)
    # A cell is the decimal it shows at 9 places and 15 digits: 79.9999999999 is 80.
    if spec.kind == "count":
        return numbers
    # Both NaN (every cell empty) or neither: Python's `max` is numpy's `fmax` here.
    return resolve(numbers, largest=max(abs(smallest), abs(largest)))


def _numbers(
    spec: InputSpec, column: _Column, problems: list[DataProblem]
) -> npt.NDArray[np.float64]:
    """A number column; a cell another notation would read is named with the fix."""
    percent = spec.kind == "percent"
    limit = None if spec.low is None or spec.high is None else max(-spec.low, spec.high)
    parse = functools.partial(
        parse_numbers_marked, locale=column.locale, percent=percent, limit=limit
    )
    numbers, bad, marked = _each_distinct(column.values, parse)
    if percent and column.notes is not None:
        _note_percent_formats(column, numbers, marked, column.notes)
    elif percent and marked.any():
        _check_percent_formats(column, numbers, marked, problems)
    if not bad.any():
        return numbers
    rows = np.flatnonzero(bad)
    faults = np.array(
        [
            number_faults(v, column.locale, percent=percent, limit=limit)
            for v in column.values[rows].tolist()
        ]
    )
    other = np.zeros(len(numbers), dtype=bool)
    other[rows[faults == "other"]] = True
    _flag(column, (numbers, other), Message("data.numbers"), problems)
    for fault, (code, key) in _FAULTS.items():
        found = rows[faults == fault].tolist()
        if found:
            example = str(column.values[found[0]]).strip()
            message = Message(key, column=column.name, count=len(found), example=example)
            problems.append(
                DataProblem(
                    code=code,
                    field=column.name,
                    message=message,
                    regions=sample_regions(
                        [column.regions[i] for i in found], [column.values[i] for i in found]
                    ),
                    count=len(found),
                    needed_by=_needed_by(spec),
                )
            )
    return numbers


# Why a text is not a number, and the problem that says what to do.
_FAULTS = {
    "ambiguous": ("IK512", "readers.ambiguous"),
    "ambiguous_comma": ("IK512", "advread.ambiguous_comma"),
    "indonesian": ("IK503", "readers.indonesian"),
    "point": ("IK503", "readers.point_in_id"),
    "percent": ("IK503", "readers.percent_sign"),
}


def _note_percent_formats(
    column: _Column,
    numbers: npt.NDArray[np.float64],
    marked: npt.NDArray[np.bool_],
    notes: set[tuple[str, str]],
) -> None:
    """`_check_percent_formats`'s two facts about some rows, for the whole column's answer."""
    if marked.any():
        notes.add((column.name, "marked"))
    if column.values.dtype == object:  # only cells of objects are ever percent-formatted
        with np.errstate(invalid="ignore"):
            fractions = ~marked & (numbers > 0.0) & (numbers <= 1.0)
        if fractions.any():
            notes.add((column.name, "plain"))


def _check_percent_formats(
    column: _Column,
    numbers: npt.NDArray[np.float64],
    marked: npt.NDArray[np.bool_],
    problems: list[DataProblem],
) -> None:
    """Percent-formatted cells beside plain numbers from 0 to 1 leave the scale unknown.

    A cell shown as 81.18 % is read as 81.18; a plain 0.85 beside it may be a fraction
    (85 %) or 0.85 %. Plain numbers above 1 are on the 0-100 scale already: no doubt.
    """
    with np.errstate(invalid="ignore"):
        fractions = ~marked & (numbers > 0.0) & (numbers <= 1.0)
    if not fractions.any():
        return
    rows = np.flatnonzero(fractions).tolist()
    first = int(np.flatnonzero(marked)[0])
    message = Message(
        "readers.percent_mixed",
        column=column.name,
        count=len(rows),
        marked=int(marked.sum()),
        example=str(column.values[first]),
        plain=str(column.values[rows[0]]),
    )
    problems.append(
        DataProblem(
            code="IK513",
            field=column.name,
            message=message,
            regions=sample_regions(
                [column.regions[i] for i in rows], [column.values[i] for i in rows]
            ),
            count=len(rows),
        )
    )


def _flag(
    column: _Column,
    parsed: Parsed,
    expected: Message,
    problems: list[DataProblem],
    code: str = "IK503",
) -> npt.NDArray[np.float64]:
    values, bad = parsed
    if bad.any():
        rows = np.flatnonzero(bad).tolist()
        problems.append(
            DataProblem(
                code=code,
                field=column.name,
                message=Message(
                    "data.not_expected", column=column.name, count=len(rows), expected=expected
                ),
                regions=sample_regions(
                    [column.regions[i] for i in rows], [column.values[i] for i in rows]
                ),
                count=len(rows),
            )
        )
    return values


def _bounds(spec: InputSpec) -> tuple[float, float]:
    """The input's range; without one, the numbers indikator holds exactly (up to 10^15)."""
    low = -float(LARGEST) if spec.low is None else spec.low
    high = float(LARGEST) if spec.high is None else spec.high
    return low, high


def _all_whole(numbers: npt.NDArray[np.float64], *, infinite: bool) -> bool:
    """Whether every finite number is whole: one buffer and two reductions, no masks.

    `x - rint(x)` is 0 for a whole number, NaN for NaN and infinity (which `fmin`/`fmax`
    skip, as `_check_range` skips them), and nonzero otherwise. `_check_range` builds the
    cell-by-cell masks, and the message, only when a column fails. `infinite`: whether
    the column holds an infinity (only then is a warning to silence, which costs more than
    the passes at 10^3 cells).
    """
    fractions = np.rint(numbers)
    with np.errstate(invalid="ignore") if infinite else contextlib.nullcontext():
        np.subtract(numbers, fractions, out=fractions)  # infinity - infinity: NaN, skipped
    lowest = np.fmin.reduce(fractions, initial=np.inf)
    highest = np.fmax.reduce(fractions, initial=-np.inf)
    return not (lowest < 0.0 or highest > 0.0)


def _check_range(
    spec: InputSpec, column: _Column, numbers: npt.NDArray[np.float64], problems: list[DataProblem]
) -> None:
    low_end, high_end = _bounds(spec)
    with np.errstate(invalid="ignore"):
        low = numbers <= cut(low_end, ">=")
        high = numbers >= cut(high_end, "<=")
    wrong = (low | high) & np.isfinite(numbers)
    if spec.kind == "count":
        wrong |= np.isfinite(numbers) & (numbers != np.round(numbers))
    if wrong.any():
        rows = np.flatnonzero(wrong).tolist()
        lo, hi = f"{low_end:g}", f"{high_end:g}"
        key = "data.out_of_whole_range" if spec.kind == "count" else "data.out_of_range"
        problems.append(
            DataProblem(
                code="IK504",
                field=column.name,
                message=Message(key, column=column.name, count=len(rows), low=lo, high=hi),
                regions=sample_regions([column.regions[i] for i in rows], numbers[rows]),
                count=len(rows),
                needed_by=_needed_by(spec),
            )
        )


def _apply_policies(
    plan: Plan,
    arrays: dict[str, npt.NDArray[np.generic]],
    empty: Mapping[str, npt.NDArray[np.bool_]],
    regions: Sequence[str],
    problems: list[DataProblem],
) -> None:
    for spec in plan.inputs:
        if spec.missing != "error":
            continue
        # Last year's column follows the same policy as this year's.
        for column in (spec.name, f"{spec.name}.prev"):
            if column in arrays:
                missing = empty[column] if column in empty else missing_mask(arrays[column])
                _refuse_missing(spec, column, missing, regions, problems)


def _refuse_missing(
    spec: InputSpec,
    column: str,
    missing: npt.NDArray[np.bool_],
    regions: Sequence[str],
    problems: list[DataProblem],
) -> None:
    if missing.any():
        rows = np.flatnonzero(missing).tolist()
        problems.append(
            DataProblem(
                code="IK505",
                field=column,
                message=Message("data.missing_refused", column=column, count=len(rows)),
                regions=sample_regions([regions[i] for i in rows]),
                count=len(rows),
                needed_by=_needed_by(spec),
            )
        )


def _needed_by(spec: InputSpec) -> Message:
    """The input behind a column, with its label (Indonesian, or English where given)."""
    origin = str(spec.origin)
    if spec.label is None:
        return Message("data.input", name=spec.name, origin=origin)
    label = Phrase(en=spec.label.text("en"), id=spec.label.id)
    return Message("data.input_label", name=spec.name, label=label, origin=origin)
