"""Input templates: the workbook (or CSV file) an agency fills in, without reading docs.

Input: a `Ruleset`, a path ending in `.xlsx` or `.csv`, whether to give each agency (OPD)
its own sheet, and the language. Output: the file, written atomically.

A workbook has, per data sheet, three locked header rows — the agency over its columns,
the label with its unit, the input id beneath — and unlocked data rows from row 4 with
the ruleset's rules as data validation: a dropdown of labels for options, Ya/Tidak for
yes/no inputs and checklist items, the declared range for numbers, and a percent format
for percent inputs (81,5 typed is 81,5 %). Notes and sources are the label cells'
comments. A sheet of instructions (Petunjuk) lists every input; a sheet of sources and
assumptions says which numbers are official. `tables.read_table(path, ruleset=...)`
reads a filled template back exactly (its header rows, labels and notation included).

A CSV template is the two header rows (labels, then ids): ';'-separated with a BOM in
Indonesian, as Excel in an Indonesian locale opens it, ','-separated in English.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indikator.display import number
from indikator.errors import DataError, DataProblem
from indikator.layout import Column, columns_of_ruleset, humane
from indikator.messages import Message
from indikator.tables import BY_AGENCY, TEMPLATE_MARK, replace_atomically

if TYPE_CHECKING:
    from indikator.ruleset import Ruleset

__all__ = ["DATA_ROW", "write_template"]

#: The first data row of a template sheet (rows 1-3: agency, label and unit, id).
DATA_ROW = 4
_ROWS = 600  # data rows unlocked and validated: more than Indonesia's 514 regencies/cities
_LIST_LIMIT = 255  # Excel refuses a list validation whose text is longer
_SHEET_TITLE = 31  # Excel's longest sheet title
_HEADER_FILL = "DDEBF7"
_ID_COLOUR = "808080"


def write_template(
    ruleset: Ruleset, path: str | Path, *, by_agency: bool = False, lang: str = "id"
) -> Path:
    """Write an input template for `ruleset` to `path` (.xlsx or .csv); return the path.

    `by_agency`: one sheet per agency (OPD), each with the region columns first;
    otherwise one sheet with the columns grouped by agency, in ruleset order within a
    group. Raises `DataError` (IK503) for another extension, or when a CSV is asked
    `by_agency` (a CSV file has one sheet).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv") or (by_agency and suffix == ".csv"):
        key = "template.by_agency_csv" if suffix == ".csv" else "template.extension"
        message = Message(key, path=str(path))
        raise DataError([DataProblem(code="IK503", field=str(path), message=message)])
    columns = columns_of_ruleset(ruleset)
    region = [c for name in _region_names(ruleset) for c in columns if c.id == name]
    groups = _groups([c for c in columns if c not in region], lang)
    if suffix == ".csv":
        ordered = [*region, *(c for _, members in groups for c in members)]
        replace_atomically(path, lambda temporary: _write_csv(ordered, temporary, lang))
    else:
        replace_atomically(
            path,
            lambda temporary: _write_xlsx(
                ruleset, region, groups, temporary, by_agency=by_agency, lang=lang
            ),
        )
    return path


def _region_names(ruleset: Ruleset) -> list[str]:
    return [name for name in (ruleset.plan.region, ruleset.plan.region_name) if name]


def _groups(columns: Sequence[Column], lang: str) -> list[tuple[str, list[Column]]]:
    """Columns by agency, agencies in order of first appearance, ruleset order within."""
    groups: dict[str, list[Column]] = {}
    for column in columns:
        agency = column.input.agency or Message("template.no_agency").render(lang)
        groups.setdefault(agency, []).append(column)
    return list(groups.items())


def _write_csv(columns: Sequence[Column], path: Path, lang: str) -> None:
    delimiter = ";" if lang == "id" else ","
    with path.open("w", encoding="utf-8-sig" if lang == "id" else "utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow([c.header(lang) for c in columns])
        writer.writerow([c.id for c in columns])


# -- the workbook -------------------------------------------------------------------


def _write_xlsx(
    ruleset: Ruleset,
    region: list[Column],
    groups: list[tuple[str, list[Column]]],
    path: Path,
    *,
    by_agency: bool,
    lang: str,
) -> None:
    import openpyxl  # noqa: PLC0415  # optional dependency (the `excel` extra)

    book = openpyxl.Workbook()
    book.remove(book.active)
    sheets = (
        [(_title(agency), [(agency, members)]) for agency, members in groups]
        if by_agency
        else [(Message("template.sheet_data").render(lang), groups)]
    )
    for title, sheet_groups in sheets:
        _data_sheet(book.create_sheet(title), ruleset, region, sheet_groups, lang)
    _instructions(
        book.create_sheet(Message("template.sheet_help").render(lang)),
        ruleset,
        columns_of_ruleset(ruleset),  # in ruleset order, as the ruleset's authors wrote it
        lang,
    )
    _sources(book.create_sheet(Message("template.sheet_sources").render(lang)), ruleset, lang)
    marks = [TEMPLATE_MARK, f"lang={lang}", f"ruleset={ruleset.name}"]
    book.properties.keywords = " ".join([*marks, *([BY_AGENCY] if by_agency else [])])
    book.properties.title = Message("template.title", ruleset=_ruleset_title(ruleset, lang)).render(
        lang
    )
    book.save(path)


def _title(agency: str) -> str:
    """A sheet title Excel accepts: none of the characters []:*?/ or backslash, at most 31."""
    cleaned = "".join("-" if c in "[]:*?/\\" else c for c in agency).strip("'") or "OPD"
    return cleaned[:_SHEET_TITLE]


def _ruleset_title(ruleset: Ruleset, lang: str) -> str:
    header = ruleset.header
    title = header.title.text(lang) if header is not None and header.title else ruleset.name
    edition = str(ruleset.edition or "")
    return f"{title} {edition}" if edition and edition not in title else title


def _data_sheet(
    sheet: Any,
    ruleset: Ruleset,
    region: list[Column],
    groups: list[tuple[str, list[Column]]],
    lang: str,
) -> None:
    """Three locked header rows, then unlocked, validated data rows."""
    from openpyxl.styles import Alignment, Font, PatternFill, Protection  # noqa: PLC0415

    ordered = [*region, *(c for _, members in groups for c in members)]
    bold, fill = Font(bold=True), PatternFill("solid", fgColor=_HEADER_FILL)
    band = [(Message("template.region_band").render(lang), region), *groups]
    at = 1
    for name, members in band:
        if not members:
            continue
        sheet.cell(row=1, column=at, value=name).font = bold
        if len(members) > 1:
            sheet.merge_cells(
                start_row=1, start_column=at, end_row=1, end_column=at + len(members) - 1
            )
        at += len(members)
    sources = {s.id: s.title.text(lang) for s in ruleset.provenance.sources}
    for index, column in enumerate(ordered, start=1):
        label = sheet.cell(row=2, column=index, value=column.header(lang))
        label.font, label.fill = bold, fill
        label.alignment = Alignment(wrap_text=True, vertical="top")
        note = _comment(column, sources, lang)
        if note:
            from openpyxl.comments import Comment  # noqa: PLC0415

            label.comment = Comment(note, "indikator", width=320, height=160)
        ident = sheet.cell(row=3, column=index, value=column.id)
        ident.font = Font(italic=True, color=_ID_COLOUR, size=9)
        letter = ident.column_letter
        sheet.column_dimensions[letter].width = _width(column, region)
        cells = f"{letter}{DATA_ROW}:{letter}{DATA_ROW + _ROWS - 1}"
        shape = _number_format(column)
        for (cell,) in sheet[cells]:
            cell.protection = Protection(locked=False)
            cell.number_format = shape
        validation = _validation(column, lang)
        if validation is not None:
            sheet.add_data_validation(validation)
            validation.add(cells)
    # tall enough for the longest label wrapped in its column (about 15 points a line)
    lines = max((_lines(c.header(lang), _width(c, region)) for c in ordered), default=1)
    sheet.row_dimensions[2].height = max(60, 15 * lines)
    sheet.freeze_panes = sheet.cell(row=DATA_ROW, column=len(region) + 1)
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = protection.formatRows = protection.sort = False
    protection.autoFilter = False


def _number_format(column: Column) -> str:
    if column.kind == "percent":
        return "0.00%"  # a typed 81,5 is stored as 0.815 and read back as 81.5
    if column.kind == "text":
        return "@"  # codes keep their leading zeros
    if column.kind in ("number", "count"):
        return "#,##0.##########" if column.kind == "number" else "#,##0"
    return "General"


def _validation(column: Column, lang: str) -> Any:
    """The data validation of a column's data cells, or None (text)."""
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415

    error = Message("template.invalid").render(lang)
    title = Message("template.invalid_title").render(lang)
    common: dict[str, Any] = {"allow_blank": True, "error": error, "errorTitle": title}
    if column.kind in ("yesno", "checklist"):
        answers = ",".join(Message(k).render(lang).capitalize() for k in ("value.yes", "value.no"))
        return DataValidation(type="list", formula1=f'"{answers}"', **common)
    if column.kind == "option":
        labels = ",".join(humane(c) for c in column.choices)
        if len(labels) > _LIST_LIMIT:
            return None
        return DataValidation(type="list", formula1=f'"{labels}"', **common)
    if column.kind in ("number", "count", "percent") and column.low is not None:
        low, high = column.low, column.high if column.high is not None else 1e15
        if column.kind == "percent":
            low, high = low / 100, high / 100
        kind = "whole" if column.kind == "count" else "decimal"
        return DataValidation(
            type=kind, operator="between", formula1=_literal(low), formula2=_literal(high), **common
        )
    if column.kind == "percent":
        return DataValidation(
            type="decimal", operator="between", formula1="0", formula2="1", **common
        )
    return None


def _literal(value: float) -> str:
    """A number as a validation formula holds it: '100', '0.5' (never '1e+08')."""
    return str(int(value)) if value.is_integer() else repr(value)


def _comment(column: Column, sources: dict[str, str], lang: str) -> str:
    """A label cell's comment: what to enter, the range, the agency, the note, the sources."""
    spec = column.input
    lines = [Message(f"template.kind.{column.kind}").render(lang)]
    if column.kind == "option":
        lines.append(", ".join(humane(c) for c in column.choices))
    if column.low is not None and column.high is not None:
        low, high = number(column.low, lang), number(column.high, lang)
        lines.append(Message("template.range", low=low, high=high).render(lang))
    if spec.agency:
        lines.append(Message("template.agency", agency=spec.agency).render(lang))
    if spec.note:
        lines.append(spec.note)
    cited = [sources.get(s, s) for s in spec.sources]
    if cited:
        lines.append(Message("template.cites", sources="; ".join(cited)).render(lang))
    return "\n".join(lines)


def _instructions(
    sheet: Any,
    ruleset: Ruleset,
    columns: Sequence[Column],
    lang: str,
) -> None:
    """How to fill the template, then one row per input column."""
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415

    sheet.append([Message("template.title", ruleset=_ruleset_title(ruleset, lang)).render(lang)])
    sheet["A1"].font = Font(bold=True, size=14)
    steps = [Message("template.step.one", first=DATA_ROW)]
    steps += [Message(f"template.step.{k}") for k in ("header", "choices", "numbers", "empty")]
    steps += [Message("template.step.comments"), Message("template.step.run")]
    for step in steps:
        sheet.append([step.render(lang)])
    banner = ruleset.provenance.banner(lang)
    if banner:  # in both languages on purpose, marked as every output marks it
        sheet.append([f"*** {banner} ***"])
    sheet.append([])
    heads = ("id", "label", "unit", "kind", "agency", "note")
    sheet.append([Message(f"template.col.{h}").render(lang) for h in heads])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column in columns:
        spec = column.input
        what = Message(f"template.kind.{column.kind}").render(lang)
        if column.kind == "option":
            what += ": " + ", ".join(humane(c) for c in column.choices)
        sheet.append(
            [
                column.id,
                column.label(lang),
                column.unit() or "",
                what,
                spec.agency or "",
                spec.note or "",
            ]
        )
    for letter, width in zip("ABCDEF", (34, 48, 8, 36, 14, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2, max_row=9):
        row[0].alignment = Alignment(wrap_text=False)


def _sources(sheet: Any, ruleset: Ruleset, lang: str) -> None:
    """The declared sources, then what vouches for every scoring number."""
    from openpyxl.styles import Font  # noqa: PLC0415

    provenance = ruleset.provenance
    heads = ("id", "title", "issuer", "number", "date", "url")
    sheet.append([Message(f"template.src.{h}").render(lang) for h in heads])
    for record in provenance.sources:
        title = record.title.text(lang)
        sheet.append([record.id, title, record.issuer, record.number, record.date, record.url])
    sheet.append([])
    sheet.append([Message("template.assumed_head").render(lang)])
    for row in provenance.rows(lang):
        sheet.append(row)
    for bold_row in (1, len(provenance.sources) + 3, len(provenance.sources) + 4):
        for cell in sheet[bold_row]:
            cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 60


def _width(column: Column, region: Sequence[Column]) -> int:
    """A column's width in characters: the region's name wide enough for a long name."""
    if column in region:
        return 28 if region.index(column) > 0 else 14
    return 18


def _lines(text: str, width: int) -> int:
    """How many lines `text` wraps to in a column `width` characters wide."""
    lines, length = 1, 0
    for word in text.split():
        if length and length + 1 + len(word) > width:
            lines, length = lines + 1, len(word)
        else:
            length += (1 if length else 0) + len(word)
    return lines
