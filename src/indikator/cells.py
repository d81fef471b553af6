"""Cells → numbers, vectorised: the parsing half of `data`.

Each parser takes one raw column and returns float64 values (NaN where the cell is empty)
and a mask of cells it could not read. Numeric arrays take a fast path; object arrays
(text from CSV, pandas or lists) are compared in numpy's C loops, and only the cells
that fail are looked at one by one, to name them in the error.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "YES_NO",
    "Parsed",
    "PercentCell",
    "cell_kinds",
    "exact_float",
    "missing_mask",
    "number_faults",
    "parse_numbers",
    "parse_numbers_marked",
    "parse_options",
    "parse_texts",
    "parse_texts_and_empty",
    "parse_yes_no",
    "percent_of",
    "plain_number",
    "read_number",
]

Raw = npt.NDArray[Any]  # a column as given: numbers, booleans, text or Python objects
Array = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]
Parsed = tuple[Array, Mask]  # (values with NaN for empty cells, cells that could not be read)

_YES = ("ya", "yes", "y", "true", "1", "ada", "1.0")
_NO = ("tidak", "no", "n", "false", "0", "tidak ada", "0.0")
#: Yes/no words (any case, blanks around them ignored) and the value each stands for.
YES_NO = {**dict.fromkeys(_YES, 1.0), **dict.fromkeys(_NO, 0.0)}
# Cells as given, uncleaned: True also finds 1 and 1.0, as `==` does.
_YES_NO_CELLS = {**dict.fromkeys((True, *_YES), 1.0), **dict.fromkeys((False, *_NO), 0.0)}


class PercentCell(float):
    """A workbook number shown as a percentage: the value is the fraction Excel stores.

    `str()` gives what the cell shows ('81.18%' for 0.8118), exactly: the decimal point
    moves two places in the number's shortest text, so no binary rounding comes in.
    """

    __slots__ = ()

    def __str__(self) -> str:
        return f"{percent_of(self)}%"

    def __repr__(self) -> str:
        return f"'{self}'"


def percent_of(fraction: float) -> str:
    """0.8118 → '81.18': the fraction times 100, as decimal text."""
    shifted = Decimal(repr(float(fraction))).scaleb(2).normalize()
    return format(shifted, "f")


def missing_mask(values: Raw) -> Mask:
    """Empty cells: None, NaN or blank text."""
    if values.dtype.kind == "f":
        return np.asarray(np.isnan(values), dtype=bool)
    if values.dtype.kind in "iub":
        return np.zeros(values.shape, dtype=bool)
    if values.dtype.kind in "US":
        return np.asarray(np.strings.strip(values) == "", dtype=bool)
    try:
        blank = np.asarray(values != values, dtype=bool)  # noqa: PLR0124  # true only for NaN
        # None and "" are falsy; so are 0 and False, which are values: look closer at those.
        falsy = np.flatnonzero(~values.astype(bool))
    except (TypeError, ValueError, ArithmeticError):  # pandas' NA has no truth value;
        # comparing Decimal('sNaN') signals decimal.InvalidOperation
        return np.array([_absent(v) or (type(v) is str and not v) for v in values.tolist()])
    if falsy.size:
        blank[falsy] = [v is None or v == "" for v in values[falsy].tolist()]
    return blank


def _absent(value: object) -> bool:
    """None, a NaN of any float type, or pandas' NA and NaT (which compare as neither)."""
    if value is None or type(value).__name__ in _NA_TYPES:
        return True
    if isinstance(value, Decimal):  # Decimal('NaN') and Decimal('sNaN') are NaN, as float's
        return value.is_nan()
    try:
        return bool(value != value)  # noqa: PLR0124  # only NaN differs from itself
    except (TypeError, ValueError, ArithmeticError):
        return False


_NA_TYPES = frozenset({"NAType", "NaTType"})  # pandas' missing markers, without pandas


def parse_numbers(
    values: Raw, *, locale: str | None = None, percent: bool = False, limit: float | None = None
) -> Parsed:
    """Numbers; text that is not a number (e.g. '92,4') and yes/no values are flagged.

    Text is read in the declared notation (`locale`, see `data.Table`); '85%' is 85 for a
    `percent` input and flagged otherwise. `number_faults` says why a cell was flagged.
    `limit` is the largest magnitude the input accepts (None: any): below 1000, '1.000'
    cannot be one thousand, so it is one even without a declared notation.
    """
    numbers, bad, _ = parse_numbers_marked(values, locale=locale, percent=percent, limit=limit)
    return numbers, bad


def parse_numbers_marked(
    values: Raw, *, locale: str | None = None, percent: bool = False, limit: float | None = None
) -> tuple[Array, Mask, Mask]:
    """`parse_numbers`, and which cells are workbook numbers shown as percentages."""
    if locale is None and limit is not None and limit < _THOUSAND:
        locale = _POINT  # points are decimal points: no thousand fits the input
    kind = values.dtype.kind
    nowhere = np.zeros(values.shape, dtype=bool)
    if kind in "fiu":
        return _widened(values), nowhere, nowhere
    if kind in "bcmM":  # yes/no, complex, dates and durations are no numbers
        missing = missing_mask(values) if kind in "cmM" else nowhere
        return np.full(values.shape, np.nan), ~missing, nowhere
    missing = missing_mask(values)
    out = np.full(values.shape, np.nan)
    bad = np.zeros(values.shape, dtype=bool)
    marked = np.zeros(values.shape, dtype=bool)
    present = np.flatnonzero(~missing)
    cells = values[present].tolist()
    kinds = set(map(type, cells))
    if any(issubclass(kind, str) and kind is not str for kind in kinds):
        # numpy's str_ (or another text type) is read as the text it holds
        cells = [str.__str__(cell) if isinstance(cell, str) else cell for cell in cells]
        kinds = set(map(type, cells))
    if kinds <= {float, int}:  # numbers from JSON, a workbook or a list: numpy converts
        try:
            out[present] = np.asarray(values[present], dtype=np.float64)
        except OverflowError:  # an integer beyond floats
            out[present], bad[present] = _each_number(cells, locale, percent, limit)
        return out, bad, marked
    if kinds == {str}:
        out[present], bad[present] = _text_numbers(cells, locale, percent, limit)
        return out, bad, marked
    out[present], bad[present] = _each_number(cells, locale, percent, limit)
    if PercentCell in kinds:
        marked[present] = [type(cell) is PercentCell for cell in cells]
    return out, bad, marked


def _widened(values: Raw) -> Array:
    """float64 values; a float32 or float16 cell is read as the decimal it shows.

    float32 80.1 is 80.0999985 in binary: widened as it is, it would fall below an edge
    at 80.1. Its shortest text ('80.1') is what the author typed. Only narrow columns
    pay for the text (about 0.5 s per million cells).
    """
    if values.dtype.kind == "f" and values.dtype.itemsize < 8:  # noqa: PLR2004
        with np.errstate(invalid="ignore"):  # numpy warns turning a float16 NaN into 'nan'
            return np.asarray(values.astype(np.dtypes.StringDType()).astype(np.float64))
    return np.asarray(values, dtype=np.float64)


_THOUSAND = 1000.0  # the smallest number '1.000' stands for in Indonesian notation
_POINT = "point"  # no declared notation, but a point can only be a decimal point

# Numbers written as text, per notation (ASCII digits only: no '8_5', no '٨٥').
_NUMBER = {
    None: r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?",
    _POINT: r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?",
    "en": r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?|[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?:[eE][+-]?[0-9]+)?",
    "id": r"[+-]?(?:[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]*)?|[0-9]+(?:,[0-9]*)?|,[0-9]+)",
}
# Possessive blanks (`*+`): with plain ones, a cell of a number, many blanks and a letter
# tries every split of the blanks between two runs, in time quadratic in their length.
_CELL = {
    locale: re.compile(rf"[ \t]*+({pattern})[ \t]*+(%?)[ \t]*+")
    for locale, pattern in _NUMBER.items()
}
# '1.000' is one with a decimal point and one thousand in Indonesian: without a declared
# notation it is refused, never read either way.
_AMBIGUOUS = re.compile(r"[+-]?[1-9][0-9]{0,2}\.[0-9]{3}")
# Quick looks at a whole column joined by newlines: anything but a plain decimal number?
_FOREIGN = re.compile(r"[^0-9.eE+\- \t\n]")
_THREE_DECIMALS = re.compile(r"\.[0-9]{3}[ \t%]*(?:\n|$)")
# Decimal points Indonesian notation cannot have written: '.5', '.25', '.1234', '0.125',
# '1234.5' or an exponent.
_DECIMAL_POINTS = re.compile(
    r"\.(?:[0-9]{0,2}(?![0-9])|[0-9]{4})|(?:^|\n)[ \t]*[+-]?0?\.|[0-9]{4}\.|[eE]"
)
_INNER_PERCENT = re.compile(r"%[ \t]*[^ \t\n]")


def _text_numbers(
    texts: list[str],
    locale: str | None,
    percent: bool,  # noqa: FBT001
    limit: float | None,
) -> Parsed:
    """Text cells as numbers: numpy converts plain columns, odd ones go cell by cell."""
    if locale == "id":
        return _each_number(texts, locale, percent, limit)
    blob = "\n".join(texts)
    plain = blob.count("\n") == len(texts) - 1
    if locale is None and _THREE_DECIMALS.search(blob):
        # Perhaps '1.000'. A column whose other cells use decimal points ('85.25', which
        # Indonesian notation cannot write) uses them here too; otherwise each is asked.
        if _DECIMAL_POINTS.search(blob):
            locale = _POINT
        else:
            plain = False
    signs = percent and "%" in blob
    if signs and not _INNER_PERCENT.search(blob):
        blob = blob.replace("%", "")  # '85%' is 85 for a percent input: only at the end
    if plain and not _FOREIGN.search(blob):
        try:
            numbers = np.array(blob.split("\n") if signs else texts, dtype=object)
            return numbers.astype(np.float64), np.zeros(len(texts), dtype=bool)
        except ValueError:  # e.g. '1e' or '+-1': found cell by cell below
            pass
    return _each_number(texts, locale, percent, limit)


def _each_number(
    cells: list[Any],
    locale: str | None,
    percent: bool,  # noqa: FBT001
    limit: float | None,
) -> Parsed:
    """The slow path: each cell on its own (a column with odd cells, or mixed types)."""
    texts = [i for i, cell in enumerate(cells) if type(cell) is str]
    if texts and len(texts) < len(cells):  # text among numbers: the text read as a column
        others = [c for c in cells if type(c) is not str]
        out, bad = _each_number(others, locale, percent, limit)
        rest = np.ones(len(cells), dtype=bool)
        rest[texts] = False
        numbers, failed = np.full(len(cells), np.nan), np.zeros(len(cells), dtype=bool)
        numbers[rest], failed[rest] = out, bad
        text = [cells[i] for i in texts]
        numbers[texts], failed[texts] = _text_numbers(text, locale, percent, limit)
        return numbers, failed
    found = [_one_number(cell, locale, percent, limit) for cell in cells]
    out = np.array([np.nan if n is None else n for n in found], dtype=np.float64)
    return out.reshape(len(cells)), np.array([n is None for n in found], dtype=bool)


def _one_number(
    cell: Any,
    locale: str | None,
    percent: bool,  # noqa: FBT001
    limit: float | None,
) -> float | None:
    """One cell as a number, or None when it is not one."""
    kind = type(cell)
    if kind is str:
        if not cell.strip():
            return math.nan  # a cell of spaces is empty, whatever array type brought it
        return read_number(cell, locale, percent=percent, limit=limit)
    if kind is PercentCell:  # a workbook number shown as '81.18%'
        return float(percent_of(cell)) if percent else float(cell)
    if isinstance(cell, bool | np.bool_):
        return None  # a yes/no in a number column is a mistake, not 1.0
    if isinstance(cell, int | float | np.integer | np.floating | Decimal | Fraction):
        try:
            return exact_float(cell)  # a float32 80.1 is 80.1, as `_widened`
        except OverflowError:  # an integer beyond floats
            return None
    return None  # complex, bytes, lists, ...


def read_number(
    text: str, locale: str | None = None, *, percent: bool = False, limit: float | None = None
) -> float | None:
    """Text as a number in the notation `locale`, or None when it is not one.

    '85%' is 85 when `percent` (a percentage input), and not a number otherwise. Without
    a locale, text that Indonesian notation reads as thousands ('1.000') is not a number,
    unless that many thousands exceed `limit`, the largest magnitude the input accepts.
    """
    match = _CELL[locale].fullmatch(text)
    if match is None or (match.group(2) and not percent):
        return None
    number = match.group(1)
    if locale is None and _ambiguous(number, limit):
        return None
    if locale == "en":
        number = number.replace(",", "")
    elif locale == "id":
        number = number.replace(".", "").replace(",", ".")
    try:
        return float(number)
    except ValueError:  # '-,' and the like
        return None


def _ambiguous(number: str, limit: float | None) -> bool:
    """Whether '1.000' could be one thousand for an input accepting magnitudes to `limit`."""
    if not _AMBIGUOUS.fullmatch(number):
        return False
    return limit is None or abs(float(number.replace(".", ""))) <= limit


# '1,234' groups thousands in English notation and is 1.234 in Indonesian.
_COMMA_THOUSANDS = re.compile(r"[ \t]*[+-]?[1-9][0-9]{0,2}(?:,[0-9]{3})+[ \t]*%?[ \t]*")


def _ambiguous_comma(cell: str, limit: float | None) -> bool:
    """Whether '1,234' could be one thousand and more for an input accepting up to `limit`.

    Read in English notation it is 1234, in Indonesian 1.234: no hint may pick one.
    """
    if not _COMMA_THOUSANDS.fullmatch(cell):
        return False
    number = cell.strip().rstrip("%").strip().replace(",", "")
    return limit is None or abs(float(number)) <= limit


def plain_number(text: str) -> float:
    """Text that reads the same in every notation ('92.5', '1e3'), or ValueError.

    For one region's fast path: anything else goes to the table path, which reads it in
    the declared notation and names the problem.
    """
    if text.isascii():  # the common cells, '92' and '92.5', without a regular expression
        whole, point, fraction = text.partition(".")
        thousands = len(fraction) == len("000")  # '1.000' may be one thousand: the long way
        if whole.isdigit() and (not point or (fraction.isdigit() and not thousands)):
            return float(text)
    number = read_number(text)
    if number is None or "," in text or "%" in text:
        raise ValueError(text)
    return number


def exact_float(value: Any) -> float:
    """A number as float64; a float32 or float16 as the decimal it shows (80.1, not 80.0999985)."""
    if isinstance(value, np.floating) and value.dtype.itemsize < 8:  # noqa: PLR2004
        return float(str(value))
    return float(value)


def number_faults(
    cell: Any, locale: str | None, *, percent: bool, limit: float | None = None
) -> str:
    """Why a cell is not a number: 'ambiguous', 'indonesian', 'point', 'percent', 'other'.

    'ambiguous_comma': '1,234', a thousand and more in English notation, 1.234 in Indonesian.
    """
    if locale is None and limit is not None and limit < _THOUSAND:
        locale = _POINT
    if not isinstance(cell, str):
        return "other"
    if not percent and read_number(cell, locale, percent=True) is not None:
        return "percent"
    plain = _CELL[None].fullmatch(cell)
    if locale is None and plain and _ambiguous(plain.group(1), limit):
        return "ambiguous"
    if locale is None and _ambiguous_comma(cell, limit):
        return "ambiguous_comma"
    if locale != "id" and read_number(cell, "id", percent=True) is not None:
        return "indonesian"
    if locale == "id" and read_number(cell, "en", percent=True) is not None:
        return "point"
    return "other"


def parse_yes_no(values: Raw) -> Parsed:
    """Yes/no: booleans, 0/1, or ya/tidak, yes/no, true/false (any case)."""
    if values.dtype.kind in "fiub":
        numbers = np.asarray(values, dtype=np.float64)  # no copy when already float64
        # Three comparisons into byte masks: cheaper than arithmetic on float copies.
        return numbers, ~((numbers == 0.0) | (numbers == 1.0) | np.isnan(numbers))
    # Booleans, 0/1 and answers written exactly as listed: one lookup per cell.
    out = _looked_up(values, _YES_NO_CELLS)
    if out is None:
        out = np.full(values.shape, np.nan)
        if values.dtype == object:  # a cell that cannot be hashed: compare with True, False
            out[_equals(values, True)] = 1.0  # noqa: FBT003  # matching cell values
            out[_equals(values, False)] = 0.0  # noqa: FBT003
    rest = np.isnan(out)
    if rest.any():
        rest[rest] = ~_blank(values[rest])
    if rest.any():
        # Text answers: one dictionary lookup per cell (cheap next to reading the text in).
        words = [str(v).strip().lower() for v in values[rest].tolist()]
        out[rest] = [YES_NO.get(w, np.nan) for w in words]
    return out, np.isnan(out) & rest


def parse_options(values: Raw, choices: Sequence[str]) -> Parsed:
    """Option codes (0, 1, ... in the order declared); anything else is flagged."""
    out = _looked_up(values, {choice: float(code) for code, choice in enumerate(choices)})
    if out is None:  # text arrays, or a cell that cannot be hashed: compare with each choice
        out = np.full(values.shape, np.nan)
        for code, choice in enumerate(choices):
            out[_equals(values, choice)] = float(code)
    unmatched = np.isnan(out)
    bad = np.zeros(values.shape, dtype=bool)
    if unmatched.any():  # only the few cells left over can be empty or wrong
        bad[unmatched] = ~_blank(values[unmatched])
    return out, bad


def parse_texts(values: Raw) -> npt.NDArray[np.object_]:
    """Text cells as Python strings (None where empty); whole floats lose their '.0'."""
    return parse_texts_and_empty(values)[0]


def cell_kinds(values: Raw) -> AbstractSet[type]:
    """The types of an object array's cells (one pass; a caller asking twice keeps it)."""
    return set(map(type, values.tolist()))


def parse_texts_and_empty(
    values: Raw, kinds: AbstractSet[type] | None = None
) -> tuple[npt.NDArray[np.object_], Mask]:
    """`parse_texts`, and its empty cells: kept so that no one looks for them again.

    A number is its text, whatever brought it: a whole float is written without '.0'
    (3201.0, from JSON, Parquet, numpy or a list, is '3201'), other floats as they show.
    `kinds`: `cell_kinds(values)` of an object array, if the caller has it already.
    """
    if values.dtype == object:  # usually strings already: keep them, as the caller gave them
        cells = values.tolist()
        kinds = set(map(type, cells)) if kinds is None else kinds
        # Plain strings only: the empty ones are the falsy ones, one truth test per cell
        # instead of `missing_mask`'s comparison of each cell with itself, then the test.
        missing = _empty_strings(values) if kinds == {str} else missing_mask(values)
        floats = (
            [
                i
                for i, cell in enumerate(cells)
                if isinstance(cell, float | np.floating) and type(cell) is not PercentCell
            ]
            if any(issubclass(kind, float | np.floating) for kind in kinds)
            else []
        )
        if not missing.any() and not floats:
            return values, missing
        text = values.copy()
        for i in floats:
            if not missing[i]:
                text[i] = _float_text(cells[i])
    else:
        missing = missing_mask(values)
        text = np.strings.strip(values.astype(str)).astype(object)
        if values.dtype.kind == "f":  # whole ones without '.0'; others as they show
            whole = np.where(missing, 0.0, values).astype(np.float64)
            with np.errstate(invalid="ignore"):
                integral = np.isfinite(whole) & (whole == np.round(whole)) & ~missing
            small = integral & (np.abs(whole) < _INT64_END)
            text[small] = whole[small].astype(np.int64).astype(str).astype(object)
            for i in np.flatnonzero(integral & ~small).tolist():  # beyond int64: exact
                text[i] = str(int(whole[i]))
    text[missing] = None
    return np.asarray(text, dtype=object), missing


def _empty_strings(values: Raw) -> Mask:
    """`missing_mask` of an object array of plain strings: the empty string is the falsy one."""
    empty: Mask = values.astype(bool)
    np.logical_not(empty, out=empty)
    return empty


def _float_text(value: float | np.floating[Any]) -> str:
    """A float as text: whole ones without '.0' (3201), others as they show ('32.5')."""
    if math.isfinite(value) and value == int(value):
        return str(int(value))
    return str(value)


_INT64_END = 2.0**63  # whole floats from here on do not fit int64 (the cast wraps)


def _blank(values: Raw) -> Mask:
    """Empty cells among a few leftovers, looked at one by one: None, NaN, blank text."""
    if values.dtype != object:
        return missing_mask(values)
    return np.array(
        [
            (isinstance(v, str) and not v.strip()) or (not isinstance(v, str) and _absent(v))
            for v in values.tolist()
        ],
        dtype=bool,
    )


def _looked_up(values: Raw, codes: Mapping[Any, float]) -> Array | None:
    """Each cell's code (NaN if none), for an object array; None for other arrays.

    Columns built in memory (numpy indexing, pandas categoricals, lists of literals) often
    fill a million cells with a few shared string objects: those are matched by address.
    Other cells take one dictionary lookup each, which is still cheaper than one
    comparison pass per choice (measured on 10^6 cells of 4 choices: 17 ms by address,
    43-63 ms by lookup, 70-77 ms by comparisons). None also when a cell cannot be hashed.
    """
    if values.dtype != object:
        return None
    try:
        by_address = _shared_cells(values, codes)
        if by_address is None:
            return _each_looked_up(values, codes)
        out, found = by_address
        if not found.all():  # cells that are objects of their own
            rest = np.flatnonzero(~found)
            out[rest] = _each_looked_up(values[rest], codes)
    except TypeError:
        return None
    return out


def _each_looked_up(values: Raw, codes: Mapping[Any, float]) -> Array:
    found = map(codes.get, values.tolist(), itertools.repeat(np.nan))
    return np.fromiter(found, dtype=np.float64, count=len(values))


#: Cells looked at to tell whether a column shares a few objects, and how few.
_SAMPLE = 256
_FEW_OBJECTS = 32


def _shared_cells(values: Raw, codes: Mapping[Any, float]) -> tuple[Array, Mask] | None:
    """Codes of the cells that are one of the few objects the first cells share, and which.

    An object array holds the addresses of its objects, and two live objects never share an
    address: comparing addresses (integers, in numpy's loops) is comparing identities. The
    sampled objects stay referenced while the addresses are compared.
    """
    if len(values) <= _SAMPLE:
        return None
    try:
        addresses = np.frombuffer(np.ascontiguousarray(values), dtype=np.intp)
    except (ValueError, BufferError):  # a numpy that does not expose object arrays' buffers
        return None
    # The sample's distinct addresses, sorted, and a cell holding each: no Python loop.
    known, first = np.unique(addresses[:_SAMPLE], return_index=True)
    if len(known) > _FEW_OBJECTS:
        return None
    table = np.array([codes.get(cell, np.nan) for cell in values[first].tolist()])
    slot = np.searchsorted(known, addresses)
    np.minimum(slot, len(known) - 1, out=slot)
    found = known[slot] == addresses
    return table[slot], found


def _equals(values: Raw, item: object) -> Mask:
    """Cell-by-cell `==` in numpy's C loop (Python equality for object arrays)."""
    try:
        return np.asarray(values == item, dtype=bool)
    except ArithmeticError:  # Decimal('sNaN') signals when compared: no cell equals it
        return np.array([_equal(v, item) for v in values.tolist()], dtype=bool)


def _equal(value: object, item: object) -> bool:
    try:
        return bool(value == item)
    except ArithmeticError:
        return False
