"""Where a sheet's header is, which input each column is, and the account of both.

Input: a sheet's rows as (row number, cells), and the columns a ruleset reads
(`columns_of_ruleset`), when the ruleset is known. Output: a `Header` (the header row or
rows, each column's name: the input id it matches) and, from `Reading`, the short "how
the file was read" account of every liberty taken: title rows skipped above the header,
a header of two rows (labels above ids, as `indikator template` writes), columns matched
by their label rather than their id, option cells written as labels, sheets merged.

Labels are matched after folding case, accents, spacing and punctuation ('Regulasi KLA',
'regulasi  kla', 'REGULASI_KLA' are one label). Nothing is guessed: a header cell that
matches two inputs, or two columns that match one input, is an error (IK516) that says
what to write instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from indikator.errors import DataError, DataProblem
from indikator.messages import Message

if TYPE_CHECKING:
    from indikator import nodes as n
    from indikator.ruleset import Ruleset

__all__ = [
    "SEARCHED",
    "Column",
    "Header",
    "Names",
    "Reading",
    "SheetReading",
    "columns_of_ruleset",
    "find_header",
    "humane",
    "letter",
    "normal",
]

#: Rows looked at for the header: titles above it are a few rows at most.
SEARCHED = 10
_SHOWN = 3  # examples quoted in one line of the account or one message


def normal(text: str) -> str:
    """Text folded for matching: no case, accents, or punctuation; single spaces.

    >>> normal("  Regulasi_KLA (%) ")
    'regulasi kla'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.split(r"[\W_]+", plain)).strip()


def humane(choice: str) -> str:
    """An option or item id as a person writes it: 'belum_ada' -> 'Belum ada'."""
    text = choice.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def letter(index: int) -> str:
    """A spreadsheet column letter: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@attrs.frozen(kw_only=True)
class Column:
    """One data column of a ruleset: an input, a checklist item, or an input's last value."""

    id: str  # the column's name in data: 'perda_kla', 'x.item', 'x.prev'
    input: n.Input
    kind: str  # the input's kind: number, percent, count, yesno, option, checklist, text
    choices: tuple[str, ...]  # an option's choices (ids), in declared order
    item: str | None = None  # the checklist item this column is
    prev: bool = False  # the input's value of the previous period
    low: float | None = None  # the range the data must lie in (percent: 0 to 100)
    high: float | None = None

    def unit(self) -> str | None:
        """The unit shown after the label: '%' for percent inputs, else the declared unit."""
        return "%" if self.kind == "percent" else self.input.unit

    def label(self, lang: str = "id") -> str:
        """The header text without its unit: the input's label, its item, 'previous'."""
        base = self.input.label.text(lang) if self.input.label else self.input.name
        if self.item is not None:
            base = f"{base}: {humane(self.item)}"
        if self.prev:
            base = f"{base} ({Message('sheets.previous').render(lang)})"
        return base

    def header(self, lang: str = "id") -> str:
        """The header text a template shows: the label and its unit."""
        unit = self.unit()
        return f"{self.label(lang)} ({unit})" if unit else self.label(lang)

    def texts(self) -> set[str]:
        """Every folded text a header cell may hold for this column (id or label)."""
        texts = [self.id, *(f(lang) for lang in ("id", "en") for f in (self.label, self.header))]
        return {normal(text) for text in texts} - {""}


def columns_of_ruleset(ruleset: Ruleset) -> tuple[Column, ...]:
    """The data columns a ruleset reads, in ruleset order (checklist items one by one)."""
    out: list[Column] = []
    for node, spec in zip(ruleset.declared_inputs, ruleset.plan.inputs, strict=True):
        common: dict[str, Any] = {"input": node, "kind": spec.kind}
        if spec.kind == "checklist":
            out.extend(
                Column(id=f"{spec.name}.{i}", choices=(), item=i, **common) for i in spec.choices
            )
        else:
            out.append(
                Column(id=spec.name, choices=spec.choices, low=spec.low, high=spec.high, **common)
            )
        if spec.needs_prev:
            prev = f"{spec.name}.prev"
            out.append(Column(id=prev, choices=spec.choices, prev=True, **common))
    return tuple(out)


@attrs.frozen
class Names:
    """What a header cell may say, for each column of a ruleset."""

    ids: frozenset[str]
    folded: Mapping[str, tuple[str, ...]]  # folded text -> the column ids it names
    options: Mapping[str, Mapping[str, str]]  # option column -> folded label -> choice
    # column id -> its input's kind ('percent' also for a number in '%')
    kinds: Mapping[str, str] = attrs.field(factory=dict)

    @classmethod
    def of(cls, columns: Sequence[Column]) -> Names:
        """The names of `columns` (see `columns_of_ruleset`)."""
        folded: dict[str, list[str]] = {}
        for column in columns:
            for key in column.texts():
                folded.setdefault(key, [])
                if column.id not in folded[key]:
                    folded[key].append(column.id)
        options = {
            c.id: {normal(choice): choice for choice in c.choices}
            for c in columns
            if c.kind == "option"
        }
        return cls(
            frozenset(c.id for c in columns),
            {k: tuple(v) for k, v in folded.items()},
            options,
            {c.id: "percent" if c.unit() == "%" else c.kind for c in columns},
        )

    def match(self, cell: Any) -> tuple[str, ...]:
        """The column ids a header cell names: its id exactly, or else by folded label."""
        if not isinstance(cell, str) or not cell.strip():
            return ()
        if cell.strip() in self.ids:
            return (cell.strip(),)
        return self.folded.get(normal(cell), ())


@attrs.frozen
class Header:
    """A sheet's header: its row numbers, each column's name, what was matched by label."""

    rows: tuple[int, ...]  # one row, or two (labels above ids)
    names: list[str]  # per column: the input id, or the header text as written ('' if none)
    skipped: int  # rows holding something above the header (titles)
    by_label: tuple[tuple[str, str, str], ...]  # (column letter, text as written, id)
    matched: int  # columns that name a ruleset's column (0 when no ruleset is known)


def find_header(
    rows: Sequence[tuple[int, Sequence[Any]]],
    names: Names | None,
    header_row: int | None,
    where: Message,
) -> tuple[Header, int]:
    """The header of a sheet's non-blank rows, and the index of the first data row.

    `rows` may stop after the rows the header can be in (`SEARCHED`, or `header_row`)
    and one more: the rest are data.

    `header_row` (a spreadsheet row number) is used as given, else the header is looked
    for among the first rows: with `names`, the row naming the most of the ruleset's
    columns (the first on a tie); without, the first row of two or more cells. A row
    right under it naming columns too is a second header row (a template's ids).
    """
    numbers = [number for number, _ in rows]
    if header_row is not None:
        if header_row not in numbers:
            message = Message("sheets.no_header_row", where=where, row=header_row)
            raise DataError([DataProblem(code="IK511", field="header", message=message)])
        at = numbers.index(header_row)
        if names is not None and not any(_score(c, names) for _, c in rows[at : at + 2]):
            _check_above(rows, names, header_row, where)
    else:
        at = _guess(rows, names)
    block = [at]
    if names is not None and at + 1 < len(rows):
        below = _score(rows[at + 1][1], names)
        # A header row holds words only: a row with a number (a region code) is data, even
        # when its cells name columns (an option 'perda' under the input 'perda').
        words = all(_word(c) for c in rows[at + 1][1] if c is not None)
        if words and below and below * 2 >= _score(rows[at][1], names):
            block.append(at + 1)
    width = max(len(cells) for _, cells in rows)
    cells = [
        [row[i] if i < len(row) else None for i in range(width)]
        for row in (rows[b][1] for b in block)
    ]
    header = _names(cells, names, where, tuple(numbers[b] for b in block))
    skipped = sum(1 for _, row in rows[:at] if any(c is not None for c in row))
    return attrs.evolve(header, skipped=skipped), block[-1] + 1


def _check_above(
    rows: Sequence[tuple[int, Sequence[Any]]], names: Names, header_row: int, where: Message
) -> None:
    """`--header-row` at a data row below the header: say where the header is (IK511).

    Read from there, the data's values would be column names ('column 'ya' appears
    twice'), and the rows above it would be lost.
    """
    above = [number for number, cells in rows if number < header_row and _score(cells, names)]
    if above:
        message = Message(
            "advread.header_row_elsewhere", where=where, row=header_row, found=above[0]
        )
        raise DataError([DataProblem(code="IK511", field="header", message=message)])


def _score(cells: Sequence[Any], names: Names) -> int:
    return sum(1 for cell in cells if names.match(cell))


def _guess(rows: Sequence[tuple[int, Sequence[Any]]], names: Names | None) -> int:
    first = rows[:SEARCHED]
    if names is not None:
        scores = [_score(cells, names) for _, cells in first]
        if max(scores) > 0:
            return scores.index(max(scores))
    # Without names: the first row of two or more cells, all words (a title row has one
    # cell, and a row with numbers is data: the header is then the first row, as ever).
    for i, (_, cells) in enumerate(first):
        filled = [c for c in cells if c is not None]
        if len(filled) >= 2:  # noqa: PLR2004
            return i if all(_word(c) for c in filled) else 0
    return 0


def _word(cell: Any) -> bool:
    """Whether a cell is text that is not a number: what a header cell holds."""
    if not isinstance(cell, str):
        return False
    try:
        float(cell.replace(",", "."))
    except ValueError:
        return True
    return False


def _names(
    block: list[list[Any]], names: Names | None, where: Message, rows: tuple[int, ...]
) -> Header:
    """Each column's name from the header rows; ambiguity is refused (IK516)."""
    out: list[str] = []
    by_label: list[tuple[str, str, str]] = []
    problems: list[DataProblem] = []
    matched = 0
    for index, texts in enumerate(zip(*block, strict=True)):
        written = [str(t).strip() for t in texts if t is not None and str(t).strip()]
        name = written[-1] if written else ""
        if names is not None:
            exact = [t for t in written if t in names.ids]
            found = [(t, names.match(t)) for t in written if names.match(t)]
            if exact:
                name = exact[-1]
            elif found:
                text, ids = found[-1]
                if len(ids) > 1:
                    problems.append(_ambiguous_label(where, index, text, ids, rows[-1]))
                name = ids[0]
                by_label.append((letter(index), text, name))
                if "%" in text and names.kinds.get(name, "percent") != "percent":
                    # '(%)' folds away: 'Fasilitas ILA (%)' is not the count 'Fasilitas ILA'
                    problems.append(_not_percent(where, index, text, name, names.kinds[name]))
            other = next(((t, ids) for t, ids in found if name not in ids), None)
            if other is not None:  # a label over another input's id: which is meant?
                problems.append(_rows_disagree(where, index, name, other, rows))
            matched += bool(exact or found)
        out.append(name)
    problems.extend(_twice(where, out, block, names))
    if problems:
        raise DataError(problems)
    return Header(rows=rows, names=out, skipped=0, by_label=tuple(by_label), matched=matched)


def _not_percent(where: Message, index: int, text: str, name: str, kind: str) -> DataProblem:
    message = Message(
        "advread.header_percent",
        where=where,
        column=letter(index),
        text=text,
        input=name,
        kind=kind,
    )
    return DataProblem(code="IK516", field=name, message=message)


def _rows_disagree(
    where: Message,
    index: int,
    name: str,
    other: tuple[str, Sequence[str]],
    rows: tuple[int, ...],
) -> DataProblem:
    text, ids = other
    message = Message(
        "advread.header_rows_disagree",
        where=where,
        column=letter(index),
        first=rows[0],
        last=rows[-1],
        text=text,
        other=ids[0],
        name=name,
    )
    return DataProblem(code="IK516", field=name, message=message)


def _ambiguous_label(
    where: Message, index: int, text: str, ids: Sequence[str], row: int
) -> DataProblem:
    message = Message(
        "sheets.label_ambiguous",
        where=where,
        column=letter(index),
        text=text,
        inputs=", ".join(f"'{i}'" for i in ids),
        row=row,
    )
    return DataProblem(code="IK516", field=ids[0], message=message)


def _twice(
    where: Message, out: list[str], block: list[list[Any]], names: Names | None
) -> Iterable[DataProblem]:
    """Two columns naming one input, when at least one of them names it by label."""
    if names is None:
        return
    seen: dict[str, int] = {}
    for index, name in enumerate(out):
        if name not in names.ids:
            continue
        if name in seen:
            first = seen[name]
            written = [_written(block, first), _written(block, index)]
            if written[0] == written[1]:
                continue  # the same text twice: the reader's "column twice" error says it
            message = Message(
                "sheets.column_ambiguous",
                where=where,
                input=name,
                first=f"{letter(first)} ({written[0]})",
                second=f"{letter(index)} ({written[1]})",
            )
            yield DataProblem(code="IK516", field=name, message=message)
        seen.setdefault(name, index)


def _written(block: list[list[Any]], index: int) -> str:
    texts = [str(row[index]).strip() for row in block if row[index] is not None]
    return " / ".join(f"'{t}'" for t in texts if t)


# -- the account ----------------------------------------------------------------------


@attrs.frozen
class SheetReading:
    """How one sheet (or a CSV file) was read."""

    sheet: str | None
    header: tuple[int, ...]
    skipped: int
    by_label: tuple[tuple[str, str, str], ...]

    def lines(self, lang: str) -> list[str]:
        """The liberties taken with this sheet, one per line (none: an empty list)."""
        where = (
            Message("sheets.in_sheet", sheet=self.sheet).render(lang) + ": " if self.sheet else ""
        )
        lines = []
        if self.header != (1,) or self.skipped:
            first, last = self.header[0], self.header[-1]
            text = (
                Message("sheets.header_two", first=first, last=last)
                if len(self.header) > 1
                else Message("sheets.header_at", first=first)
            ).render(lang)
            if self.skipped:
                text += Message("sheets.above", skipped=self.skipped).render(lang)
            lines.append(where + text)
        if self.by_label:
            shown = ", ".join(f"'{text}' → {name}" for _, text, name in self.by_label[:_SHOWN])
            more = len(self.by_label) - _SHOWN
            if more > 0:
                shown += Message("sheets.and_more", count=more).render(lang)
            text = Message("sheets.by_label", count=len(self.by_label), shown=shown).render(lang)
            lines.append(where + text)
        return lines


@attrs.frozen
class Reading:
    """How a data file was read: every liberty taken, for the "how it was read" account.

    `Table.reading` holds one after `tables.read_table`; `lines(lang)` is empty when the
    file was read exactly as written (one sheet, ids in row 1, options as ids).
    """

    sheets: tuple[SheetReading, ...] = ()
    path: str = ""  # the file read, for the heading of the account
    merged_by: str | None = None  # the region id column several sheets were merged by
    skipped_sheets: tuple[str, ...] = ()  # sheets of `--sheet all` naming no input
    hidden_sheets: tuple[str, ...] = ()  # hidden sheets left out or passed over
    options: tuple[tuple[str, int, str, str], ...] = ()  # (column, cells, as written, id)
    locale: str | None = None  # a notation taken from the template's own mark
    fractions: tuple[str, ...] = ()  # percent columns of plain numbers from 0 to 1 only

    def lines(self, lang: str = "id") -> list[str]:
        """The account, one line per liberty, in `lang`; empty when none was taken."""
        lines = [line for sheet in self.sheets for line in sheet.lines(lang)]
        if self.merged_by is not None:
            shown = ", ".join(f"'{s.sheet}'" for s in self.sheets)
            lines.append(Message("sheets.merged", sheets=shown, column=self.merged_by).render(lang))
        if self.skipped_sheets:
            shown = ", ".join(f"'{s}'" for s in self.skipped_sheets)
            lines.append(Message("sheets.skipped", sheets=shown).render(lang))
        if self.hidden_sheets:
            shown = ", ".join(f"'{s}'" for s in self.hidden_sheets)
            lines.append(Message("advread.hidden_sheets", sheets=shown).render(lang))
        for column, count, text, choice in self.options:
            message = Message(
                "sheets.option_labels", column=column, count=count, text=text, id=choice
            )
            lines.append(message.render(lang))
        if self.locale is not None:
            lines.append(Message("sheets.template_locale", locale=self.locale).render(lang))
        lines.extend(
            Message("advread.fractions", column=column).render(lang) for column in self.fractions
        )
        return lines

    def text(self, lang: str = "id") -> str:
        """The account as one text, headed, or '' when nothing was taken."""
        lines = self.lines(lang)
        if not lines:
            return ""
        head = Message("sheets.how_read", path=self.path).render(lang)
        return "\n".join([head, *(f"  - {line}" for line in lines)])
