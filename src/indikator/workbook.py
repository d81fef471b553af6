"""The results workbook of `evaluate -o hasil.xlsx`: sheets a Bappeda head can read.

Input: a ruleset, its `Results`, the data file and how the command ran (`RunRecord`).
Output: an `.xlsx` file, replaced atomically, with these sheets (names in `lang`):

* `data`: one row per region under the column ids, exactly the columns of the CSV output;
  first, so `read_table(hasil.xlsx)` reads the results back as it always has;
* results (`hasil`, opened first): region and name, every input, the indicators of each
  group in the ruleset's order with their met flags, the groups, the total, the tier and
  the ranks with the column they rank within. Two header rows: the label in `lang`, the
  id beneath; real numbers with number formats (Excel shows them in the reader's locale),
  frozen panes, an autofilter and a colour per tier;
* per-agency gaps (`selisih_opd`): the points each agency's indicators did not earn;
* ranks (`peringkat`): each rank with its group and the group's size, in order;
* one sheet per rollup (`rekap_<name>`), e.g. per province;
* `asal_angka` (the source or assumption of every number), `catatan` (the synthetic-data
  and assumption banners) and the run record (`riwayat`: ruleset and data files with their
  SHA-256, parameters, indikator's version, time).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from indikator import plan as p
from indikator.attribution import agency_of
from indikator.layout import humane
from indikator.messages import Message, phrases
from indikator.tables import replace_atomically
from indikator.xlsx import escape

if TYPE_CHECKING:
    from indikator.results import Results
    from indikator.ruleset import Ruleset

__all__ = ["SHEETS", "RunRecord", "file_digest", "write_workbook"]

# Number formats: Excel shows them in the reader's own notation (595,84 in Indonesian).
POINTS = "#,##0.00"
PERCENT = '0.00" %"'  # the value stays 0-100, as the ruleset and the data write it
WHOLE = "#,##0"
#: The sheets' names, the same in every language so that scripts can find them.
SHEETS = {
    "data": "data",
    "results": "hasil",
    "agencies": "selisih_opd",
    "rank": "peringkat",
    "rollup": "rekap",
    "provenance": "asal_angka",
    "notes": "catatan",
    "record": "riwayat",
}
# One fill per tier from the lowest up (below every tier: none), light enough for text.
TIER_COLOURS = ("F8CBAD", "FFE699", "C6E0B4", "9BC2E6", "B4A7D6", "A9D08E", "8EA9DB")


@attrs.frozen(kw_only=True)
class RunRecord:
    """How the results were made: the files read and the options, for the run record."""

    ruleset: Path
    data: Path
    params: Path | None = None
    sheet: str | None = None
    version: str = ""
    time: datetime = attrs.field(factory=lambda: datetime.now(UTC))


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@attrs.frozen
class _Column:
    """One column of a sheet: label, id, values and number format."""

    label: str
    id: str
    values: Sequence[Any]
    format: str | None = None


def write_workbook(
    path: Path,
    ruleset: Ruleset,
    results: Results,
    record: RunRecord,
    *,
    lang: str = "id",
    note: str | None = None,
    sheets: Mapping[str, Sequence[Sequence[Any]]] | None = None,
    extra: Mapping[str, Sequence[Sequence[Any]]] | None = None,
) -> None:
    """Write the results workbook to `path` (atomically). Needs openpyxl.

    `extra`: more sheets after the rollups, each a name and its rows (header row first),
    such as the per-province summary of `evaluate --by`. `sheets`: more sheets after the
    run record (the machine run record `rekam_jejak` of `record_files.sheet_rows`).
    """
    import openpyxl  # noqa: PLC0415  # optional dependency, checked by the caller

    book = openpyxl.Workbook()
    book.remove(book.active)
    columns = results.columns(lang)
    _plain(book.create_sheet(SHEETS["data"]), columns)
    main = book.create_sheet(SHEETS["results"])
    _headed(main, _result_columns(ruleset, results, columns, lang), frozen=2)
    _tier_colours(main, ruleset, len(results), lang)
    agencies = _agency_columns(ruleset, results, columns, lang)
    _headed(book.create_sheet(SHEETS["agencies"]), agencies, frozen=2)
    ranks = ruleset.plan.ranks
    for rank in ranks:
        name = SHEETS["rank"] if len(ranks) == 1 else _title(f"{SHEETS['rank']}_{rank.name}")
        _headed(book.create_sheet(name), _rank_columns(results, columns, rank, lang), frozen=2)
    for rollup in ruleset.plan.rollups:
        sheet = book.create_sheet(_title(f"{SHEETS['rollup']}_{rollup.name}"))
        _headed(sheet, _rollup_columns(results, rollup, lang), frozen=1)
    for name, rows in (extra or {}).items():
        _rows(book.create_sheet(_title(name)), rows)
    _rows(book.create_sheet(SHEETS["provenance"]), ruleset.provenance.rows(lang))
    if note is not None:
        _rows(book.create_sheet(SHEETS["notes"]), [[line] for line in note.split("\n")])
    _rows(book.create_sheet(SHEETS["record"]), _record_rows(ruleset, results, record, lang))
    for name, rows in (sheets or {}).items():
        _rows(book.create_sheet(_title(name)), rows)
    book.active = 1  # Excel opens on the results, not on the machine-readable sheet
    replace_atomically(path, book.save)


def _title(text: str) -> str:
    return text[:31]  # Excel's limit on a sheet's name


def _label(label: Any, fallback: str, lang: str) -> str:
    return label.text(lang) if label is not None else fallback


def _result_columns(
    ruleset: Ruleset, results: Results, columns: Mapping[str, Sequence[Any]], lang: str
) -> list[_Column]:
    plan, env = ruleset.plan, results.env
    words = phrases("sheets.column.", lang)
    out = [_Column(words["region"], plan.region or "region", list(results.regions))]
    specs = {spec.name: spec for spec in plan.inputs}
    if "name" in columns and plan.region_name:
        label = _input_label(specs, plan.region_name, words["name"], lang)
        out.append(_Column(label, plan.region_name, columns["name"]))
    for spec in plan.inputs:
        if spec.name in (plan.region, plan.region_name) or spec.name not in env:
            continue
        out.append(_input_column(spec, env[spec.name], lang))
    steps = {step.name: step for step in plan.steps}
    for name in results.ordered:
        step = steps[name]
        out.append(_Column(_label(step.label, name, lang), name, columns[name], POINTS))
        if f"{name}.met" in columns:
            met = f"{_label(step.label, name, lang)}: {words['met']}"
            out.append(_Column(met, f"{name}.met", _yes_no(columns[f"{name}.met"], lang)))
    if "tier" in columns:
        out.append(_Column(words["tier"], "tier", columns["tier"]))
    for rank in plan.ranks:
        out.append(
            _Column(_label(rank.label, rank.name, lang), rank.name, columns[rank.name], WHOLE)
        )
        if rank.within is not None and rank.within not in {c.id for c in out}:
            label = _input_label(specs, rank.within, rank.within, lang)
            out.append(_Column(label, rank.within, columns[rank.within]))
    return out


def _input_label(specs: Mapping[str, p.InputSpec], name: str, fallback: str, lang: str) -> str:
    """The label of input `name` in `lang`, or `fallback` when it has none."""
    spec = specs.get(name)
    return _label(spec.label, fallback, lang) if spec is not None else fallback


def _input_column(spec: p.InputSpec, values: Any, lang: str) -> _Column:
    """An input as people read it: option names, Ya/Tidak, numbers with their format."""
    label = _label(spec.label, spec.name, lang)
    raw = np.asarray(values).tolist()
    if spec.kind == "option":
        shown = [None if _missing(v) else humane(spec.choices[int(v)]) for v in raw]
        return _Column(label, spec.name, shown)
    if spec.kind == "yesno":
        return _Column(label, spec.name, _yes_no(raw, lang))
    if spec.kind == "text":
        return _Column(label, spec.name, [None if _missing(v) else str(v) for v in raw])
    if spec.kind == "checklist":  # the evaluator holds how many items are met
        count = Message("sheets.items_met", count=len(spec.choices)).render(lang)
        numbers = [None if _missing(v) else float(v) for v in raw]
        return _Column(f"{label} ({count})", spec.name, numbers, WHOLE)
    formats = {"percent": PERCENT, "count": WHOLE}
    numbers = [None if _missing(v) else float(v) for v in raw]
    return _Column(label, spec.name, numbers, formats.get(spec.kind, POINTS))


def _yes_no(values: Sequence[Any], lang: str) -> list[str | None]:
    """Yes/no values (inputs, met flags) as people read them: 'ya' / 'tidak', or empty."""
    words = phrases("value.", lang)
    return [None if v is None or _missing(v) else words["yes" if v else "no"] for v in values]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _agency_columns(
    ruleset: Ruleset, results: Results, columns: Mapping[str, Sequence[Any]], lang: str
) -> list[_Column]:
    """Per region, the points each agency's indicators did not earn (maximum - points).

    An indicator without points (an empty, excluded input) earned nothing: its whole
    maximum counts. Agencies in the order the ruleset first names them.
    """
    plan, env = ruleset.plan, results.env
    words = phrases("sheets.column.", lang)
    missing: dict[str, np.ndarray[Any, np.dtype[np.float64]]] = {}
    maxima: dict[str, float] = {}
    for name in results.ordered:
        step = next(s for s in plan.steps if s.name == name)
        if not isinstance(step, p.IndicatorStep):
            continue
        agency = agency_of(plan, name) or words["no_agency"]
        points = np.asarray(env[name], dtype=float)
        gap = step.maximum - np.where(np.isnan(points), 0.0, points)
        missing[agency] = missing.get(agency, np.zeros(len(results))) + gap
        maxima[agency] = maxima.get(agency, 0.0) + step.maximum
    out = [_Column(words["region"], plan.region or "region", list(results.regions))]
    if "name" in columns:
        out.append(_Column(words["name"], plan.region_name or "name", columns["name"]))
    for agency, gap in missing.items():
        of = Message("sheets.agency_of", maximum=_shown(maxima[agency])).render(lang)
        values = [round(float(v), 9) + 0.0 for v in gap]
        out.append(_Column(f"{agency} ({of})", agency, values, POINTS))
    return out


def _shown(value: float) -> str:
    return f"{value:g}"


def _rank_columns(
    results: Results, columns: Mapping[str, Sequence[Any]], rank: p.RankStep, lang: str
) -> list[_Column]:
    """Every ranked region, by group then rank: region, name, group, rank, group size."""
    words = phrases("sheets.column.", lang)
    ranks = columns[rank.name]
    sizes = results.rank_sizes(rank.name)
    groups = columns[rank.within] if rank.within else [None] * len(ranks)
    order = sorted(
        (i for i, r in enumerate(ranks) if r is not None),
        key=lambda i: (str(groups[i]), ranks[i], results.regions[i]),
    )
    names = columns.get("name", [None] * len(ranks))
    out = [_Column(words["region"], "region", [results.regions[i] for i in order])]
    out.append(_Column(words["name"], "name", [names[i] for i in order]))
    if rank.within:
        specs = {spec.name: spec for spec in results.plan.inputs}
        label = _input_label(specs, rank.within, words["within"], lang)
        out.append(_Column(label, rank.within, [groups[i] for i in order]))
    out.append(
        _Column(_label(rank.label, rank.name, lang), rank.name, [ranks[i] for i in order], WHOLE)
    )
    out.append(_Column(words["of"], f"{rank.name}.of", [sizes[i] for i in order], WHOLE))
    return out


def _rollup_columns(results: Results, rollup: p.RollupStep, lang: str) -> list[_Column]:
    """A rollup's table: its grouping value, then each item with its label."""
    table = results.rollup(rollup.name)
    out = [_Column(rollup.by, rollup.by, table[rollup.by])]
    for (name, function, _), label in zip(rollup.items, rollup.labels, strict=True):
        fmt = {"share": PERCENT, "count": WHOLE}.get(function, POINTS)
        values: list[Any] = table[name]
        if function in ("all", "any"):
            values = [None if v is None else bool(v) for v in values]
        out.append(
            _Column(
                _label(label, name, lang), name, values, None if function in ("all", "any") else fmt
            )
        )
    return out


def _record_rows(
    ruleset: Ruleset, results: Results, record: RunRecord, lang: str
) -> list[list[Any]]:
    words = phrases("sheets.record.", lang)
    rows: list[list[Any]] = [[words["item"], words["value"]]]
    rows.append([words["ruleset"], f"{ruleset.name} ({ruleset.edition or '-'})"])
    rows.append([words["ruleset_file"], str(record.ruleset)])
    rows.append([words["ruleset_sha256"], file_digest(record.ruleset)])
    imported = [
        Path(source)
        for source in sorted(ruleset.sources)
        if Path(source).is_file() and Path(source).resolve() != record.ruleset.resolve()
    ]
    rows += [[words["imported_file"], f"{path}  sha256 {file_digest(path)}"] for path in imported]
    rows.append([words["data_file"], str(record.data)])
    rows.append([words["data_sha256"], file_digest(record.data)])
    if record.sheet is not None:
        rows.append([words["sheet"], record.sheet])
    rows.append([words["regions"], len(results)])
    if record.params is not None:
        rows.append([words["params_file"], str(record.params)])
        rows.append([words["params_sha256"], file_digest(record.params)])
    for name, value in sorted(ruleset.params.items()):
        rows.append([f"{words['param']} {name}", value])
    rows.append([words["version"], record.version])
    rows.append([words["time"], record.time.isoformat(timespec="seconds")])
    rows.append([words["lang"], lang])
    return rows


# -- writing sheets -------------------------------------------------------------------


def _text(value: Any) -> Any:
    return escape(value) if isinstance(value, str) else value


def _plain(sheet: Any, columns: Mapping[str, Sequence[Any]]) -> None:
    """Column ids, then one row per region: what `read_table` reads back."""
    sheet.append([_text(name) for name in columns])
    for row in zip(*columns.values(), strict=True):
        sheet.append([_cell(sheet, value) for value in row])
    sheet.freeze_panes = "B2"


def _cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import Cell  # noqa: PLC0415  # optional dependency

    if not isinstance(value, str):
        return value
    cell = Cell(sheet, value=escape(value))
    cell.data_type = "s"  # text, even '=…': a region name is never a formula
    if value != value.strip():
        cell.quotePrefix = True
    return cell


def _headed(sheet: Any, columns: Sequence[_Column], *, frozen: int) -> None:
    """Labels on row 1, ids on row 2, then the values; formats, panes, filter, widths."""
    from openpyxl.styles import Alignment, Font, PatternFill  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    sheet.append([_text(c.label) for c in columns])
    sheet.append([_text(c.id) for c in columns])
    bold, grey = Font(bold=True), Font(italic=True, color="7F7F7F")
    head = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, head
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[2]:
        cell.font = grey
    size = len(columns[0].values) if columns else 0
    for index in range(size):
        sheet.append([_cell(sheet, c.values[index]) for c in columns])
    for number, column in enumerate(columns, start=1):
        letter = get_column_letter(number)
        if column.format is not None:
            for (cell,) in sheet.iter_rows(min_row=3, min_col=number, max_col=number):
                cell.number_format = column.format
        texts = [len(v) for v in column.values if isinstance(v, str)]
        width = max([len(column.id), min(len(column.label), 40) // 2 + 2, 10, *texts])
        sheet.column_dimensions[letter].width = min(width + 1, 40)
    sheet.row_dimensions[1].height = 60  # four lines of a wrapped label
    last = get_column_letter(max(len(columns), 1))
    sheet.auto_filter.ref = f"A2:{last}{size + 2}"
    sheet.freeze_panes = sheet.cell(row=3, column=min(frozen, len(columns)) + 1)


def _tier_colours(sheet: Any, ruleset: Ruleset, size: int, lang: str) -> None:
    """A fill per tier on the tier column: the lowest tier warm, the highest cool."""
    from openpyxl.formatting.rule import FormulaRule  # noqa: PLC0415
    from openpyxl.styles import PatternFill  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    c = ruleset.plan.classification
    if c is None:
        return
    ids = [cell.value for cell in sheet[2]]
    letter = get_column_letter(ids.index("tier") + 1)
    cells = f"{letter}3:{letter}{size + 2}"
    labels = [c.below.text(lang), *(label.text(lang) for label in c.labels)]
    for code, label in enumerate(labels):
        colour = TIER_COLOURS[min(code, len(TIER_COLOURS) - 1)]
        quoted = label.replace('"', '""')
        rule = FormulaRule(
            formula=[f'${letter}3="{quoted}"'],
            fill=PatternFill("solid", fgColor=colour, bgColor=colour),
        )
        sheet.conditional_formatting.add(cells, rule)


def _rows(sheet: Any, rows: Sequence[Sequence[Any]]) -> None:
    from openpyxl.styles import Font  # noqa: PLC0415

    for row in rows:
        sheet.append([_cell(sheet, v) for v in row])
    for cell in sheet[1] if rows else ():
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 60
