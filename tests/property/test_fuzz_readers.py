"""The data readers never crash and never misread: files are read as meant or refused.

Generated and mutated CSV, XLSX, JSON and Parquet files go through `read_table`,
`Ruleset.evaluate_many` and `readiness`. Oracles:

* only `IndikatorError`s with a code escape, and their messages render in both languages;
* `write_table` then `read_table` gives back the values written, in every format;
* a number that is read is the decimal its author wrote (`reference`, an independent
  reading of the notation with `Decimal`), and text that is no number is refused;
* in the fuzz profile (`nox -s fuzz`), each file is read within a generous deadline.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, event, example, given, reject, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

import indikator
from indikator.data import Table, validate
from indikator.readiness import readiness
from indikator.tables import read_table, write_table

#: `nox -s fuzz` multiplies every example budget here (the suite runs with 1).
SCALE = int(os.environ.get("INDIKATOR_FUZZ_SCALE", "1"))
# A generous bound on one file's reading, only in long runs (no timed tests in the suite).
DEADLINE = dt.timedelta(seconds=10) if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else None
Draw = Callable[..., Any]  # st.DrawFn, or the draw method of st.data()
QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]

RULES = indikator.loads("""
ruleset r { scale 0 to 106 region kode }
input kode: text
input p: percent { missing zero }
input n: number { missing zero }
input c: count { missing zero }
input y: yesno { missing zero }
input o: option("a", "b") { missing zero }
input k: checklist("s", "t") { missing zero }
input t: text { missing exclude }
indicator i_p = p max 100
indicator i_n = bands n { (-inf, 50) -> 0  [50, inf) -> 1 }
indicator i_c = bands c { [0, 5) -> 0  [5, inf) -> 1 }
indicator i_y = if y then 1 else 0
indicator i_o = options o { "a" -> 0, "b" -> 1 }
indicator i_k = count(k)
group total = sum(i_p, i_n, i_c, i_y, i_o, i_k)
""")
COLUMNS = ("kode", "p", "n", "c", "y", "o", "k.s", "k.t", "t")
# Two number inputs, one without a range (any magnitude) and one percentage (0 to 100).
NUMBERS = indikator.loads("""
ruleset q { scale 0 to 101 region kode }
input kode: text
input n: number { missing zero }
input p: percent { missing zero }
indicator i_n = bands n { (-inf, 50) -> 0  [50, inf) -> 1 }
indicator i_p = p max 100
group total = sum(i_n, i_p)
""")
LOCALES = (None, "en", "id")


# -- the oracle ---------------------------------------------------------------------


def _located(error: indikator.IndikatorError) -> None:
    """An error says what and where, in English and Indonesian."""
    assert error.render("en")
    assert error.render("id")
    if isinstance(error, indikator.DataError):
        assert error.problems
        for problem in error.problems:
            assert re.fullmatch(r"IK5\d\d", problem.code), problem
            assert isinstance(problem.field, str), problem
    else:
        assert getattr(error, "code", None) or getattr(error, "diagnostics", None), error


@contextmanager
def _only_located_errors() -> Iterator[None]:
    try:
        yield
    except indikator.IndikatorError as error:
        _located(error)


def _read(path: Path, locale: str | None = None, sheet: str | None = None) -> Table | None:
    """The table read, or None when it was refused with a located error."""
    try:
        return read_table(path, locale=locale, sheet=sheet)
    except indikator.IndikatorError as error:
        _located(error)
        return None


def _use(table: Table) -> None:
    """Everything a table goes through: evaluation, both languages, readiness."""
    for extra in ("error", "ignore"):
        with _only_located_errors():
            results = RULES.evaluate_many(table, extra=extra)
            results.columns("en")
            results.columns("id")
    with _only_located_errors():
        report = readiness(RULES, table)
        report.render() if hasattr(report, "render") else str(report)


def _read_and_use(path: Path, locale: str | None = None) -> Table | None:
    table = _read(path, locale)
    if table is not None:
        _use(table)
    return table


# -- numbers as their authors meant them --------------------------------------------

_GRAMMAR = {
    None: r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?",
    "en": r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?|[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?:[eE][+-]?[0-9]+)?",
    "id": r"[+-]?(?:[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]*)?|[0-9]+(?:,[0-9]*)?|,[0-9]+)",
}
MISSING = "missing"


def reference(text: str, locale: str | None, *, percent: bool) -> Decimal | str | None:
    """What a text cell means: a Decimal, MISSING (blank), or None (no number).

    Lenient where the readers may be strict (any whitespace around the cell, a formula
    guard quote): the readers may refuse what this reads, never read what it refuses.
    """
    text = text.strip()
    if text[:1] == "'" and re.match(r"[=+\-@\t\r]", text[1:2]):
        text = text[1:].strip()  # the CSV writer's guard against formulas
    if not text:
        return MISSING
    if percent and text.endswith("%"):
        text = text[:-1].rstrip(" \t")
    if not re.fullmatch(_GRAMMAR[locale], text):
        return None
    if locale == "en":
        text = text.replace(",", "")
    elif locale == "id":
        text = text.replace(".", "").replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:  # '-,' and the like
        return None


def meaning(cell: Any, locale: str | None, *, percent: bool) -> Decimal | str | None:
    """What a cell of any type means for a number input (see `reference`)."""
    if cell is None:
        return MISSING
    if isinstance(cell, Percent):
        shown = Decimal(repr(cell.value))
        return shown.scaleb(2) if percent else shown
    if isinstance(cell, bool | np.bool_):
        return None
    if isinstance(cell, str):
        return reference(cell, locale, percent=percent)
    if isinstance(cell, np.floating):
        return MISSING if np.isnan(cell) else Decimal(str(cell))  # a float32 as it shows
    if isinstance(cell, float):
        return MISSING if cell != cell else Decimal(repr(cell))  # noqa: PLR0124
    if isinstance(cell, int | np.integer | Decimal):
        return Decimal(int(cell)) if not isinstance(cell, Decimal) else cell
    return None


class Percent:
    """A workbook number formatted as a percentage (0.8118 shown as 81.18 %)."""

    def __init__(self, value: float) -> None:
        self.value = value


def _check_numbers(
    table: Table, cells: dict[str, list[Any]], locale: str | None, *, whole: bool = True
) -> None:
    """Every number read is the one meant; a cell that means no number is refused."""
    size = len(cells["kode"])
    if whole:
        try:
            arrays = validate(NUMBERS.plan, table, extra="ignore").arrays
        except indikator.DataError as error:
            _located(error)
        else:
            for name in ("n", "p"):
                for row in range(size):
                    _same(arrays[name][row], cells[name][row], locale, name, row)
    for row in range(size):  # each row alone: the cells that mean nothing are refused
        one = Table({k: v[row : row + 1] for k, v in table.items()}, locale=locale)
        try:
            arrays = validate(NUMBERS.plan, one, extra="ignore").arrays
        except indikator.DataError as error:
            _located(error)
            continue
        for name in ("n", "p"):
            _same(arrays[name][0], cells[name][row], locale, name, row)


def _same(read: float, cell: Any, locale: str | None, name: str, row: int) -> None:
    meant = meaning(cell, locale, percent=name == "p")
    event(f"cell read: {'empty' if meant == MISSING else 'number'}")
    where = f"column {name}, row {row}: {cell!r} (locale {locale}) read as {read!r}"
    assert meant is not None, f"{where}, but it is no number"
    if meant == MISSING:
        assert np.isnan(read), f"{where}, but it is empty"
        return
    assert isinstance(meant, Decimal)
    assert not np.isinf(float(meant)), f"{where}, beyond floats: must be refused"
    assert read in _resolved(meant), f"{where}, meant {meant}"


def _resolved(meant: Decimal) -> set[float]:
    """The decimal a cell stands for: 9 places and 15 significant digits, nearest.

    A cell exactly half-way between two such decimals may be read as either: it is read
    as a float first, whose last bit decides.
    """
    grid = Decimal("1e-9")
    if abs(meant) >= 10**6:
        grid = Decimal(1).scaleb(meant.adjusted() - 14)
    low = meant.quantize(grid, rounding=ROUND_FLOOR)
    high = meant.quantize(grid, rounding=ROUND_CEILING)
    if meant - low == high - meant:  # a tie
        return {float(low), float(high)}
    return {float(low if meant - low < high - meant else high)}


# -- cells --------------------------------------------------------------------------

_DIGITS = st.text("0123456789", min_size=1, max_size=17)


@st.composite
def decimal_texts(draw: st.DrawFn) -> str:
    """A number written in one of the notations people use, valid or not."""
    sign = draw(st.sampled_from(["", "", "-", "+"]))
    whole = draw(_DIGITS)
    fraction = draw(st.one_of(st.just(""), _DIGITS))
    grouped = ",".join(_groups(whole))
    match draw(st.sampled_from(["point", "comma", "en", "id", "exp", "percent", "bare"])):
        case "point":
            text = f"{whole}.{fraction}" if fraction else whole
        case "comma":
            text = f"{whole},{fraction}" if fraction else whole
        case "en":
            text = f"{grouped}.{fraction}" if fraction else grouped
        case "id":
            text = grouped.replace(",", ".") + (f",{fraction}" if fraction else "")
        case "exp":
            exponent = draw(st.integers(-420, 420))
            text = f"{whole}.{fraction}e{exponent}" if fraction else f"{whole}E{exponent:+d}"
        case "percent":
            text = f"{whole}.{fraction}%" if fraction else f"{whole} %"
        case _:
            text = f".{fraction or whole}"
    return sign + text


def _groups(digits: str) -> list[str]:
    digits = digits.lstrip("0") or "0"
    head = len(digits) % 3 or 3
    return [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]


ODD = (
    *(
        "nan",
        "NaN",
        "inf",
        "-inf",
        "Infinity",
        "8_5",
        "1_000",
        "\u0668\u0665",
        "\uff11\uff12",
        "\u0967\u0968",
        "\u0663\u066b\u0665",
    ),
    *("1e", "e5", "+-1", "--1", "1..2", "0x10", "1 000", "1\u00a0000", "\u00a05", "5\u00a0"),
    *(" 5 ", "\t7\t", '"5"', "5\x00", "5\x1c", "\x0b5", "85%%", "%85", "85 % ", "1.000"),
    *("1.000,5", "1,000.5", "85,5", "1,5e3", ".5", "5.", "-.5", "-,5", ",", ".", "-", "%"),
    *("1e309", "-1e309", "1e-400", "4.9e-324", "1.7976931348623157e308", "0.1", "-0"),
    *("", " ", "\r", "\n", "\r\n", "ya", "tidak", "TRUE", "1.0", "0.0"),
)
# Cells long enough to show a reader whose time grows with the square of their length.
LONG = min(SCALE, 20) * 2_000
LONG_TEXTS = st.builds(
    lambda head, blanks, tail: head + blanks + tail,
    st.sampled_from(["1", "85,5", "1.000", "", "%", '"']),
    st.sampled_from([" ", "\t", "0", "1.000", " %", '";', "\u00a0"]).flatmap(
        lambda unit: st.integers(0, LONG).map(lambda n: unit * n)
    ),
    st.sampled_from(["x", "%", "", "%x", ","]),
)
TEXTS = st.one_of(
    decimal_texts(),
    LONG_TEXTS,
    st.sampled_from(ODD),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
    st.text("0123456789.,eE+-% \t", max_size=10),
)
FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1e16, 1e16).map(lambda x: float(f"{x:.15g}")),
    st.integers(-(10**20), 10**20),
)


def _id(i: int) -> str:
    return f"32{i:02d}"


@st.composite
def number_table(draw: st.DrawFn, *, numbers: bool = True) -> dict[str, list[Any]]:
    """kode, n and p: cells of text (and of numbers when the format has them)."""
    size = draw(st.integers(1, 6))
    cell = st.one_of(TEXTS, FLOATS, st.none()) if numbers else st.one_of(TEXTS, st.none())
    return {
        "kode": [_id(i) for i in range(size)],
        "n": draw(st.lists(cell, min_size=size, max_size=size)),
        "p": draw(st.lists(cell, min_size=size, max_size=size)),
    }


ANY_CELL = st.one_of(TEXTS, FLOATS, st.none(), st.booleans(), st.sampled_from(["a", "b", "ya"]))


@st.composite
def full_table(draw: st.DrawFn) -> dict[str, list[Any]]:
    """Every column of RULES (sometimes one missing, sometimes one more), any cells."""
    size = draw(st.integers(0, 6))
    names = list(COLUMNS)
    if draw(st.booleans()):
        names.remove(draw(st.sampled_from(names)))
    if draw(st.booleans()):
        names.append(draw(st.sampled_from(["extra", "", "P", " n", "k.u", "1"])))
    columns: dict[str, list[Any]] = {}
    for name in names:
        if name == "kode":
            ids = st.one_of(st.sampled_from([_id(i) for i in range(4)]), ANY_CELL)
            columns[name] = draw(st.lists(ids, min_size=size, max_size=size))
        else:
            columns[name] = draw(st.lists(ANY_CELL, min_size=size, max_size=size))
    return columns


# -- writing files by hand ------------------------------------------------------------


def _text_of(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Percent):
        return repr(cell.value)
    return cell if isinstance(cell, str) else str(repr(cell))


@st.composite
def csv_bytes(draw: st.DrawFn, columns: dict[str, list[Any]]) -> bytes:
    """The table as CSV text: the csv module's, or joined by hand (no quoting at all)."""
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    rows = [list(columns), *zip(*columns.values(), strict=True)]
    if draw(st.booleans()):
        out = io.StringIO()
        quoting = draw(st.sampled_from(["minimal", "all", "nonnumeric"]))
        writer = csv.writer(
            out,
            delimiter=delimiter,
            lineterminator=end,
            quoting=csv.QUOTE_MINIMAL
            if quoting == "minimal"
            else csv.QUOTE_ALL
            if quoting == "all"
            else csv.QUOTE_NONNUMERIC,
        )
        writer.writerows([[_text_of(c) for c in row] for row in rows])
        text = out.getvalue()
    else:
        text = end.join(delimiter.join(_text_of(c) for c in row) for row in rows)
        text += draw(st.sampled_from(["", end, end * 2]))
    if draw(st.integers(0, 9)) == 0:  # a long first line, with quotes and separators
        text = (
            draw(st.sampled_from(['"a;', ',"', '"a",', "\t'"])) * draw(st.integers(0, LONG)) + text
        )
    bom = draw(st.sampled_from(["", "", "\ufeff"]))
    return (bom + text).encode("utf-8")


def _exact_csv(columns: dict[str, list[Any]]) -> tuple[bytes, dict[str, list[Any]]]:
    """CSV the csv module quotes, with the cells it can carry exactly (as text)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    cells = {
        name: [None if c is None else _text_of(c) for c in col] for name, col in columns.items()
    }
    writer.writerows([list(cells), *zip(*cells.values(), strict=True)])
    return out.getvalue().encode("utf-8"), cells


def _workbook(columns: dict[str, list[Any]], path: Path, draw: Draw | None = None) -> bool:
    """An openpyxl workbook; percent cells get a percent format. Whether A2:A3 are merged."""
    merged = False
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Data"
    sheet.append(list(columns))
    for r, row in enumerate(zip(*columns.values(), strict=True), start=2):
        for c, cell in enumerate(row, start=1):
            target = sheet.cell(row=r, column=c)
            if isinstance(cell, Percent):
                target.value = cell.value
                target.number_format = "0.00%"
            elif isinstance(cell, str):
                target.value = _legal(cell)
                target.data_type = "s"  # text, even '=…'
            elif isinstance(cell, float) and (cell != cell or cell in (np.inf, -np.inf)):  # noqa: PLR0124
                target.value = None  # a workbook holds no NaN or infinity
            else:
                target.value = cell
    if draw is not None:
        if draw(st.booleans()):
            extra = book.create_sheet(draw(st.sampled_from(["Lain", "Data2", "x" * 31])))
            extra.append(["kode", "n"])
        if draw(st.booleans()) and sheet.max_row > 2:
            sheet.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)
            merged = True
        if draw(st.booleans()):
            sheet["Z1"] = draw(st.sampled_from(["=1+1", "=A1", "=SUM(B2:B3)"]))
    book.save(path)
    return merged


def _without_blank_rows(cells: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The rows a workbook reader keeps: a row of blank cells is no region."""
    rows = [
        row
        for row in zip(*cells.values(), strict=True)
        if any(c is not None and not (isinstance(c, str) and not c.strip()) for c in row)
    ]
    return {name: [row[i] for row in rows] for i, name in enumerate(cells)}


def _legal(text: str) -> str:
    """Text as openpyxl writes it: no control characters, at most 32,767 characters."""
    return str(ILLEGAL_CHARACTERS_RE.sub("", text))[:32_767]


def _sheet_text(cell: Any) -> Any:
    """What an openpyxl cell holds for what `_workbook` wrote (None for NaN/inf)."""
    if isinstance(cell, str):
        return _legal(cell)
    if isinstance(cell, float) and (cell != cell or cell in (np.inf, -np.inf)):  # noqa: PLR0124
        return None
    if isinstance(cell, float | int) and not isinstance(cell, bool):
        return _sixteen_digits(cell)
    if isinstance(cell, Percent):
        return Percent(_sixteen_digits(cell.value))
    return cell


def _sixteen_digits(number: float) -> Any:
    """A number as openpyxl writes it (16 significant digits)."""
    text = "%.16g" % number  # noqa: UP031  # openpyxl's own format
    return float(text) if re.search(r"[.eE]", text) else int(text)


# -- files of each format, generated ----------------------------------------------------


@contextmanager
def _folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


BUDGET = 25 * SCALE


@settings(max_examples=BUDGET, deadline=DEADLINE, suppress_health_check=QUIET)
@given(number_table(numbers=False), st.sampled_from(LOCALES))
@example({"kode": ["3201"], "n": ["8_5"], "p": ["١٢"]}, None)
@example({"kode": ["3201", "3202"], "n": ["1.000", "85.25"], "p": ["1.000", "5"]}, None)
@example({"kode": ["3201"], "n": ["1.7976931348623157e308"], "p": ["-1e308"]}, None)  # overflow
def test_csv_numbers_are_read_as_written(columns: dict[str, list[Any]], locale: str | None) -> None:
    data, cells = _exact_csv(columns)
    with _folder() as folder:
        path = folder / "t.csv"
        path.write_bytes(data)
        table = _read(path, locale)
    if table is not None:
        # Cells are stripped as read; blank ones are empty.
        assert [None if c is None else c.strip() or None for c in cells["kode"]] == list(
            table["kode"]
        )
        _check_numbers(table, cells, locale)


@settings(max_examples=BUDGET, deadline=DEADLINE, suppress_health_check=QUIET)
@given(full_table(), st.sampled_from(LOCALES), st.data())
def test_generated_csv_never_crashes(
    columns: dict[str, list[Any]], locale: str | None, data: st.DataObject
) -> None:
    raw = data.draw(csv_bytes(columns))
    if data.draw(st.booleans()):  # control characters, stray quotes, cut lines
        position = data.draw(st.integers(0, len(raw)))
        junk = data.draw(st.sampled_from([b'"', b"\x00", b"\r", b"\n", b"\x1a", b"\xff", b"\t"]))
        raw = raw[:position] + junk + raw[position:]
    with _folder() as folder:
        path = folder / "t.csv"
        path.write_bytes(raw)
        _read_and_use(path, locale)


def _percents(cells: list[Any], draw: Draw) -> list[Any]:
    """Some float cells of a workbook formatted as percentages."""
    return [
        Percent(c)
        if isinstance(c, float) and c == c and abs(c) != np.inf and draw(st.booleans())  # noqa: PLR0124
        else c
        for c in cells
    ]


@settings(max_examples=BUDGET, deadline=DEADLINE, suppress_health_check=QUIET)
@given(number_table(), st.sampled_from(LOCALES), st.data())
def test_xlsx_numbers_are_read_as_written(
    columns: dict[str, list[Any]], locale: str | None, data: st.DataObject
) -> None:
    columns = {k: _percents(v, data.draw) for k, v in columns.items()}
    with _folder() as folder:
        path = folder / "t.xlsx"
        merged = _workbook(columns, path, data.draw)
        table = _read(path, locale, sheet="Data")
    if table is not None:
        cells = {k: [_sheet_text(c) for c in v] for k, v in columns.items()}
        if merged:  # a merged range keeps the value of its first cell only
            cells["kode"][1] = None
        _check_numbers(table, _without_blank_rows(cells), locale)
        _use(table)


@settings(max_examples=BUDGET, deadline=DEADLINE, suppress_health_check=QUIET)
@given(full_table(), st.sampled_from(LOCALES), st.data())
def test_generated_xlsx_never_crashes(
    columns: dict[str, list[Any]], locale: str | None, data: st.DataObject
) -> None:
    columns = {k: _percents(v, data.draw) for k, v in columns.items()}
    with _folder() as folder:
        path = folder / "t.xlsx"
        _workbook(columns, path, data.draw)
        if data.draw(st.booleans()):
            _mutate_xml(path, data.draw)
        _read_and_use(path, locale)


@settings(max_examples=BUDGET, deadline=DEADLINE, suppress_health_check=QUIET)
@given(number_table(), st.sampled_from(LOCALES), st.sampled_from(["records", "columns"]))
def test_json_numbers_are_read_as_written(
    columns: dict[str, list[Any]], locale: str | None, shape: str
) -> None:
    def plain(cell: Any) -> Any:  # JSON has no NaN or infinity: those are null
        if isinstance(cell, float) and (cell != cell or cell in (np.inf, -np.inf)):  # noqa: PLR0124
            return None
        return cell

    columns = {k: [plain(c) for c in v] for k, v in columns.items()}
    if shape == "records":
        shaped: Any = [
            dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)
        ]
    else:
        shaped = columns
    with _folder() as folder:
        path = folder / "t.json"
        path.write_text(json.dumps(shaped, ensure_ascii=False), encoding="utf-8")
        table = _read(path, locale)
    if table is not None:
        _check_numbers(table, columns, locale)
        _use(table)


JSON_LEAVES = st.one_of(st.none(), st.booleans(), FLOATS, TEXTS)
JSON_NESTED = st.one_of(
    st.lists(JSON_LEAVES, max_size=3),
    st.dictionaries(st.sampled_from(COLUMNS), JSON_LEAVES, max_size=3),
)
JSON_VALUES = st.one_of(
    JSON_LEAVES,
    JSON_NESTED,
    st.lists(JSON_NESTED, max_size=2),
    st.dictionaries(st.sampled_from(COLUMNS), JSON_NESTED, max_size=2),
)


@settings(max_examples=BUDGET, deadline=DEADLINE, suppress_health_check=QUIET)
@given(
    st.one_of(
        JSON_VALUES,
        st.lists(st.dictionaries(st.sampled_from(COLUMNS), JSON_VALUES, max_size=9), max_size=5),
        st.dictionaries(st.sampled_from(COLUMNS), st.lists(JSON_VALUES, max_size=4), max_size=9),
    ),
    st.sampled_from(LOCALES),
    st.sampled_from(["plain", "deep", "nan", "big", "bom"]),
)
@example([], None, "deep")
def test_generated_json_never_crashes(shape: Any, locale: str | None, twist: str) -> None:
    text = json.dumps(shape, ensure_ascii=False)
    match twist:
        case "deep":
            text = '[{"kode": ' + "[" * 100_000 + "]" * 100_000 + "}]"
        case "nan":
            text = text.replace("null", "NaN").replace("0", "Infinity", 1)
        case "big":
            text = '[{"kode": "1", "n": ' + "9" * 5000 + ', "p": 1e999}]'
        case "bom":
            text = "\ufeff" + text
    with _folder() as folder:
        path = folder / "t.json"
        path.write_text(text, encoding="utf-8")
        _read_and_use(path, locale)


RAW_TEMPORAL = (
    (pa.timestamp("us"), 64),
    (pa.timestamp("ns"), 64),
    (pa.timestamp("ms", tz="Asia/Jakarta"), 64),
    (pa.timestamp("us", tz="Bogus/Zone"), 64),
    (pa.date32(), 32),
    (pa.date64(), 64),
    (pa.duration("s"), 64),
    (pa.duration("ns"), 64),
    (pa.time32("ms"), 32),
    (pa.time64("us"), 64),
)


def _arrow_arrays(draw: Draw, size: int) -> pa.Array:
    """A column of one of many Arrow types."""
    kind = draw(
        st.sampled_from(
            [
                *("float16", "float32", "float64", "int8", "int16", "int32", "int64"),
                *("uint8", "uint64", "decimal", "bool", "string", "large_string", "binary"),
                *("dictionary", "timestamp", "date", "duration", "list", "struct", "null"),
                "raw_temporal",
            ]
        )
    )
    nulls = st.none() if draw(st.booleans()) else st.nothing()
    match kind:
        case "float16" | "float32" | "float64":
            floats = {
                "float16": st.floats(width=16),
                "float32": st.floats(width=32),
                "float64": st.floats(),
            }[kind]
            values = draw(st.lists(st.one_of(floats, nulls), min_size=size, max_size=size))
            return pa.array(values, type=getattr(pa, kind)())
        case "int8" | "int16" | "int32" | "int64" | "uint8" | "uint64":
            info = np.iinfo(kind)
            ints = st.integers(int(info.min), int(info.max))
            values = draw(st.lists(st.one_of(ints, nulls), min_size=size, max_size=size))
            return pa.array(values, type=getattr(pa, kind)())
        case "decimal":
            decimals = st.decimals(
                -(10**20), 10**20, places=draw(st.integers(0, 10)), allow_nan=False
            )
            values = draw(st.lists(st.one_of(decimals, nulls), min_size=size, max_size=size))
            return pa.array(values, type=pa.decimal128(38, 10))
        case "bool":
            return pa.array(
                draw(st.lists(st.one_of(st.booleans(), nulls), min_size=size, max_size=size))
            )
        case "string" | "large_string" | "dictionary":
            values = draw(st.lists(st.one_of(TEXTS, nulls), min_size=size, max_size=size))
            array = pa.array(
                values, type=pa.large_string() if kind == "large_string" else pa.string()
            )
            return array.dictionary_encode() if kind == "dictionary" else array
        case "binary":
            blobs = st.one_of(st.binary(max_size=8), TEXTS.map(lambda t: t.encode("utf-8")))
            return pa.array(
                draw(st.lists(st.one_of(blobs, nulls), min_size=size, max_size=size)),
                type=pa.binary(),
            )
        case "timestamp":
            moments = st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1))  # noqa: DTZ001
            return pa.array(
                draw(st.lists(st.one_of(moments, nulls), min_size=size, max_size=size)),
                type=pa.timestamp("us"),
            )
        case "date":
            return pa.array(
                draw(st.lists(st.one_of(st.dates(), nulls), min_size=size, max_size=size)),
                type=pa.date32(),
            )
        case "duration":
            spans = st.timedeltas(dt.timedelta(days=-999), dt.timedelta(days=999))
            return pa.array(
                draw(st.lists(st.one_of(spans, nulls), min_size=size, max_size=size)),
                type=pa.duration("us"),
            )
        case "list":
            items = st.lists(st.integers(-5, 5), max_size=3)
            return pa.array(
                draw(st.lists(st.one_of(items, nulls), min_size=size, max_size=size)),
                type=pa.list_(pa.int64()),
            )
        case "raw_temporal":  # any stored integer: far beyond Python's dates, odd zones
            kind_of, bits = draw(st.sampled_from(RAW_TEMPORAL))
            info = np.iinfo(np.int64 if bits == 64 else np.int32)
            ints = st.integers(int(info.min), int(info.max))
            values = draw(st.lists(st.one_of(ints, nulls), min_size=size, max_size=size))
            stored = pa.array(values, type=pa.int64() if bits == 64 else pa.int32())
            return stored.view(kind_of)
        case "struct":
            records = st.fixed_dictionaries({"a": st.integers(-5, 5)})
            return pa.array(draw(st.lists(st.one_of(records, nulls), min_size=size, max_size=size)))
        case _:
            return pa.nulls(size)


def _write_parquet(table: pa.Table, path: Path) -> None:
    """Write a Parquet file, or reject the example when pyarrow cannot write the table."""
    try:
        pq.write_table(table, path)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OverflowError):
        reject()


def _arrow_cells(array: pa.Array) -> list[Any]:
    """What the author stored, as `meaning` reads it (numpy scalars keep their width)."""
    kind = array.type
    if pa.types.is_floating(kind):
        numpy_type = {16: np.float16, 32: np.float32, 64: np.float64}[kind.bit_width]
        return [None if v is None else numpy_type(v) for v in array.to_pylist()]
    if pa.types.is_dictionary(kind):
        return array.cast(kind.value_type).to_pylist()  # type: ignore[no-any-return]
    if pa.types.is_binary(kind):
        return [None if v is None else _decoded(v) for v in array.to_pylist()]
    if pa.types.is_temporal(kind) or pa.types.is_nested(kind):
        return [None if v is None else object() for v in array.to_pylist()]  # no number
    return array.to_pylist()  # type: ignore[no-any-return]


def _decoded(blob: bytes) -> Any:
    try:
        return blob.decode("utf-8")
    except UnicodeDecodeError:
        return object()


@settings(max_examples=BUDGET, deadline=DEADLINE, suppress_health_check=QUIET)
@given(st.integers(1, 6), st.sampled_from(LOCALES), st.data())
def test_parquet_numbers_are_read_as_written(
    size: int, locale: str | None, data: st.DataObject
) -> None:
    n, p = _arrow_arrays(data.draw, size), _arrow_arrays(data.draw, size)
    kode = pa.array([_id(i) for i in range(size)])
    with _folder() as folder:
        path = folder / "t.parquet"
        _write_parquet(pa.table({"kode": kode, "n": n, "p": p}), path)
        table = _read(path, locale)
    if table is not None:
        cells = {"kode": kode.to_pylist(), "n": _arrow_cells(n), "p": _arrow_cells(p)}
        _check_numbers(table, cells, locale)
        _use(table)


@settings(max_examples=BUDGET, deadline=DEADLINE, suppress_health_check=QUIET)
@given(st.integers(0, 5), st.sampled_from(LOCALES), st.data())
def test_generated_parquet_never_crashes(
    size: int, locale: str | None, data: st.DataObject
) -> None:
    names = data.draw(st.lists(st.sampled_from([*COLUMNS, "x", ""]), min_size=1, max_size=10))
    arrays = [_arrow_arrays(data.draw, size) for _ in names]
    with _folder() as folder:
        path = folder / "t.parquet"
        _write_parquet(pa.Table.from_arrays(arrays, names=names), path)
        _read_and_use(path, locale)


# -- round trips through write_table ----------------------------------------------------

SAFE_TEXT = (
    st.text(
        st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"])
        | st.sampled_from("\"'=+-@,;"),
        min_size=1,
        max_size=15,
    )
    .map(str.strip)
    .filter(bool)
)
ROUND_NUMBERS = st.one_of(
    st.integers(-999_999, 999_999).map(lambda i: i / 1000),  # '1.125' looks like thousands
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300),
    st.floats(-1e16, 1e16, allow_nan=False).map(lambda x: float(f"{x:.15g}")),
    st.integers(-(2**53), 2**53),
)


@settings(max_examples=BUDGET, deadline=DEADLINE, suppress_health_check=QUIET)
@given(
    st.integers(1, 5).flatmap(
        lambda size: st.tuples(
            st.lists(SAFE_TEXT, min_size=size, max_size=size, unique=True),
            st.lists(st.one_of(ROUND_NUMBERS, st.none()), min_size=size, max_size=size),
            st.lists(st.one_of(SAFE_TEXT, st.none()), min_size=size, max_size=size),
        )
    ),
    st.sampled_from([".csv", ".xlsx", ".json", ".parquet"]),
    st.sampled_from([None, "en", "id"]),
)
@example((["=1+1", "'=x", "-5"], [0.1, 1.125, 1e-300], ["@a", None, '"q"']), ".csv", None)
def test_write_then_read_gives_the_values_back(
    cells: tuple[list[str], list[float | None], list[str | None]], suffix: str, locale: str | None
) -> None:
    ids, numbers, texts = cells
    columns: dict[str, list[Any]] = {"kode": ids, "n": numbers, "t": texts}
    with _folder() as folder:
        path = folder / f"t{suffix}"
        write_table(columns, path)
        # Numbers written as text (CSV) are in the writer's notation: a decimal point.
        try:
            table = read_table(path, locale=locale if suffix != ".csv" else None)
        except indikator.DataError as error:
            # Known: without a declared notation, a text column holding both '1,5' and
            # '2.5' is refused as a number column with mixed decimal separators.
            if {p.message.key for p in error.problems} != {"table.decimal_comma"}:
                raise
            reject()
    assert list(table["kode"]) == ids
    assert [None if t is None else str(t) for t in table["t"]] == texts
    got = _numbers_of(table["n"])
    want = [np.nan if x is None else float(x) for x in numbers]
    assert np.array_equal(got, np.array(want), equal_nan=True), (got, want)


def _numbers_of(column: Any) -> np.ndarray:
    """A column read back, through the same number parsing as `validate`."""
    from indikator.cells import parse_numbers  # noqa: PLC0415

    values, bad = parse_numbers(np.asarray(column))
    assert not bad.any(), column
    return values


# -- mutated files --------------------------------------------------------------------

SEED: dict[str, list[Any]] = {
    "kode": ["3201", "3202", "=cmd", 'Kota "Baru"'],
    "p": [85.5, "85,5", "90%", None],
    "n": [1000.0, "1.000", "1,000.5", "1e5"],
    "c": [3, "4", None, 5.0],
    "y": ["ya", "tidak", True, 0],
    "o": ["a", "b", "a", None],
    "k.s": ["ya", "no", None, 1],
    "k.t": [1, 0, "yes", False],
    "t": ["x", None, "  y ", "\u00e9"],
}


def _valid_files(folder: Path) -> dict[str, bytes]:
    """Valid files of every format, from indikator's writer and from pandas/openpyxl."""
    files = {}
    text_seed = {k: [None if v is None else str(v) for v in vs] for k, vs in SEED.items()}
    for suffix in (".csv", ".xlsx", ".json", ".parquet"):
        path = folder / f"own{suffix}"
        write_table(text_seed if suffix == ".parquet" else SEED, path)
        files[f"own{suffix}"] = path.read_bytes()
    # pandas writes text starting with '=' as a formula (without a saved value): not here.
    frame = pd.DataFrame(
        {k: [v.lstrip("=") if v else v for v in vs] for k, vs in text_seed.items()}
    )
    frame.to_csv(folder / "pd.csv", index=False, sep=";")
    frame.to_excel(folder / "pd.xlsx", index=False, sheet_name="Data")
    frame.to_json(folder / "pd.json", orient="records")
    frame.to_parquet(folder / "pd.parquet")
    _workbook({k: [_sheet_text(c) for c in v] for k, v in SEED.items()}, folder / "op.xlsx")
    for name in ("pd.csv", "pd.xlsx", "pd.json", "pd.parquet", "op.xlsx"):
        files[name] = (folder / name).read_bytes()
    files["ss.xlsx"] = _with_shared_strings(files["op.xlsx"])
    return files


_INLINE = re.compile(r'<c ([^>]*?)t="inlineStr"([^>]*)><is><t(?: [^>]*)?>([^<]*)</t></is></c>')


def _with_shared_strings(data: bytes) -> bytes:
    """The workbook with its text in a shared-strings part, as Excel writes it."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    strings: list[str] = []

    def shared(found: re.Match[str]) -> str:
        strings.append(found.group(3))
        return f'<c {found.group(1)}t="s"{found.group(2)}><v>{len(strings) - 1}</v></c>'

    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = _INLINE.sub(shared, parts[sheet].decode("utf-8")).encode("utf-8")
    items = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in strings)
    parts["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    types = parts["[Content_Types].xml"].decode("utf-8")
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}"/>'
    parts["[Content_Types].xml"] = types.replace("</Types>", override + "</Types>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in parts.items():
            archive.writestr(name, part)
    return out.getvalue()


with tempfile.TemporaryDirectory() as _seed_folder:
    VALID = _valid_files(Path(_seed_folder))
WORKBOOKS = sorted(name for name in VALID if name.endswith(".xlsx"))


def test_the_valid_files_are_read() -> None:
    with _folder() as folder:
        for name, data in VALID.items():
            path = folder / name
            path.write_bytes(data)
            table = read_table(path, locale="id")
            assert list(table["kode"])[:2] == ["3201", "3202"], name


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(data)))
        match draw(st.sampled_from(["flip", "truncate", "duplicate", "insert", "delete"])):
            case "flip":
                if position < len(data):
                    bit = 1 << draw(st.integers(0, 7))
                    data = data[:position] + bytes([data[position] ^ bit]) + data[position + 1 :]
            case "truncate":
                data = data[:position]
            case "duplicate":
                length = draw(st.integers(1, 64))
                data = (
                    data[:position]
                    + data[position : position + length] * 2
                    + data[position + length :]
                )
            case "insert":
                data = data[:position] + draw(st.binary(min_size=1, max_size=8)) + data[position:]
            case _:
                data = data[:position] + data[position + draw(st.integers(1, 16)) :]
    return data


@settings(max_examples=4 * BUDGET, deadline=DEADLINE, suppress_health_check=QUIET)
@given(st.sampled_from(sorted(VALID)), st.sampled_from(LOCALES), st.data())
def test_mutated_files_never_crash(name: str, locale: str | None, data: st.DataObject) -> None:
    raw = data.draw(mutated_bytes(VALID[name]))
    with _folder() as folder:
        path = folder / name
        path.write_bytes(raw)
        _read_and_use(path, locale)


# XML inside a workbook: each mutation is (pattern, replacement) on the sheet or strings.
XML_MUTATIONS: tuple[tuple[str, str, str], ...] = (
    ("sheet", r"<dimension ref=\"[^\"]*\"", '<dimension ref="A1:B2"'),
    ("sheet", r"<dimension ref=\"[^\"]*\"", '<dimension ref="A1:XFD1048576"'),
    ("sheet", r"<dimension ref=\"[^\"]*\"", '<dimension ref="ZZZZ0:A-1"'),
    ("sheet", r" t=\"s\"", ' t="n"'),
    ("sheet", r" t=\"n\"", ' t="s"'),
    ("sheet", r" t=\"s\"", ' t="str"'),
    ("sheet", r" t=\"s\"", ' t="b"'),
    ("sheet", r" t=\"s\"", ' t="e"'),
    ("sheet", r" t=\"s\"", ' t="d"'),
    ("sheet", r" t=\"s\"", ' t="inlineStr"'),
    ("sheet", r"<v>\d+</v>", "<v>999999</v>"),
    ("sheet", r"<v>\d+</v>", "<v>-1</v>"),
    ("sheet", r"<v>[^<]*</v>", "<v>1e999</v>"),
    ("sheet", r"<v>[^<]*</v>", "<v>nan</v>"),
    ("sheet", r"<v>[^<]*</v>", "<v>85,5</v>"),
    ("sheet", r"<v>[^<]*</v>", "<v></v>"),
    ("sheet", r"<v>[^<]*</v>", "<f>1+1</f><v>2</v>"),
    ("sheet", r"<v>[^<]*</v>", "<f>1+1</f>"),
    ("sheet", r"<v>[^<]*</v>", '<f t="shared" si="0" ref="A1:A9">1</f><v>0.5</v>'),
    ("sheet", r" r=\"[A-Z]+\d+\"", ' r="A1"'),
    ("sheet", r" r=\"[A-Z]+\d+\"", ' r="XFD1048576"'),
    ("sheet", r" r=\"[A-Z]+\d+\"", ' r="AAAA99999999"'),
    ("sheet", r" r=\"[A-Z]+\d+\"", ' r="1A"'),
    ("sheet", r"<row r=\"\d+\"", '<row r="1048577"'),
    ("sheet", r"<row r=\"\d+\"", '<row r="0"'),
    ("sheet", r" s=\"\d+\"", ' s="9999"'),
    ("sheet", r"</sheetData>", '<row r="9"><c r="A9" t="s"><v>77</v></c></row></sheetData>'),
    ("sheet", r"<sheetData>", '<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'),
    (
        "sheet",
        r"</sheetData>",
        '</sheetData><mergeCells count="1"><mergeCell ref="A1:C9"/></mergeCells>',
    ),
    ("strings", r"<t>[^<]*</t>", "<t></t>"),
    ("strings", r"<t>[^<]*</t>", "<t>" + "x" * 40_000 + "</t>"),
    ("strings", r"<t>[^<]*</t>", "<t>&#0;</t>"),
    ("strings", r"<t>[^<]*</t>", "<t>&amp;&lt;=1+1</t>"),
    ("strings", r"<t>[^<]*</t>", '<t xml:space="preserve">  85,5 %  </t>'),
    ("strings", r" count=\"\d+\"", ' count="99999999999"'),
    ("strings", r"<si>", "<si><r><t>a</t></r><r><t>b</t></r></si><si>"),
    ("workbook", r"<sheet ", '<sheet name="Dup" sheetId="9" r:id="rId9"/><sheet '),
    ("workbook", r"name=\"[^\"]*\"", 'name=""'),
    ("styles", r"formatCode=\"[^\"]*\"", 'formatCode="0.00%;[Red]-0.00%"'),
    (
        "styles",
        r"<numFmts count=\"\d+\">",
        '<numFmts count="1"><numFmt numFmtId="300" formatCode="&quot;%&quot;0"/>',
    ),
)
PARTS = {
    "sheet": "xl/worksheets/sheet1.xml",
    "strings": "xl/sharedStrings.xml",
    "workbook": "xl/workbook.xml",
    "styles": "xl/styles.xml",
}


def _mutate_xml(path: Path, draw: Draw) -> None:
    """Rewrite parts of a workbook: XML mutations, truncation, or sizes it lies about."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    for _ in range(draw(st.integers(1, 3))):
        part, pattern, replacement = draw(st.sampled_from(XML_MUTATIONS))
        name = PARTS[part]
        if name not in parts:
            continue
        text = parts[name].decode("utf-8")
        matches = list(re.finditer(pattern, text))
        if matches:
            found = draw(st.sampled_from(matches))
            text = text[: found.start()] + replacement + text[found.end() :]
        parts[name] = text.encode("utf-8")
    if draw(st.booleans()):  # cut one part short
        name = draw(st.sampled_from(sorted(parts)))
        parts[name] = parts[name][: draw(st.integers(0, len(parts[name])))]
    if draw(st.booleans()):  # drop one part
        del parts[draw(st.sampled_from(sorted(parts)))]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@settings(max_examples=2 * BUDGET, deadline=DEADLINE, suppress_health_check=QUIET)
@given(st.sampled_from(WORKBOOKS), st.sampled_from(LOCALES), st.data())
def test_mutated_workbook_xml_never_crashes(
    name: str, locale: str | None, data: st.DataObject
) -> None:
    with _folder() as folder:
        path = folder / name
        path.write_bytes(VALID[name])
        _mutate_xml(path, data.draw)
        _read_and_use(path, locale)


def _lying_sizes(data: bytes, size: int) -> bytes:
    """A zip whose central directory declares every part `size` bytes long."""
    out = bytearray(data)
    start = 0
    while (found := out.find(b"PK\x01\x02", start)) >= 0:
        out[found + 24 : found + 28] = size.to_bytes(4, "little")  # uncompressed size
        start = found + 4
    return bytes(out)


@settings(max_examples=BUDGET, deadline=DEADLINE, suppress_health_check=QUIET)
@given(st.sampled_from(WORKBOOKS), st.sampled_from([0, 1, 2**31, 2**32 - 1]))
def test_workbook_lying_about_sizes_never_crashes(name: str, size: int) -> None:
    with _folder() as folder:
        path = folder / name
        path.write_bytes(_lying_sizes(VALID[name], size))
        _read_and_use(path)
