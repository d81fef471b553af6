"""The SQL compiler's first stage: every cell read and checked, numbers on their grid."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlglot import expressions as e

from indikator import plan as p
from indikator.cells import YES_NO
from indikator.data import columns_of
from indikator.numeric import LARGEST, cut
from indikator.sql._build import DOUBLE, NULL, Layers, V, case, col, num
from indikator.sql._numeric import (
    resolve,
)
from indikator.sql._shared import (
    ROW,
    as_text,
    input_size,
    is_null,
    not_null,
    stripped,
)

__all__ = ["InputStage"]


class InputStage:
    """Every cell read and checked as the evaluator reads it; numbers on their grid."""

    def __init__(
        self,
        plan: p.Plan,
        *,
        materialized: bool = True,
        text_order: str | None = None,
        ranks: bool = True,
        number_texts: Collection[str] | None = None,
    ) -> None:
        self.plan = plan
        #: The number columns the table holds as text, whose text is checked as numpy
        #: reads it (None: every one, the column types being unknown).
        self.number_texts = number_texts
        #: The collation a rank orders text keys by (PostgreSQL: "C"); None: the default.
        self.text_order = text_order
        self.layers = Layers()
        self.values: dict[str, V] = {}  # name → the value of an input or a step
        self.materialized = materialized
        self.with_ranks = ranks  # False: no rank columns (`evaluate_sql` ranks in numpy)
        self.live: V | None = None  # inside `if`: the rows that chose the branch
        self.input_problems: list[e.Expr] = []  # on the raw cells: the first CTE
        self.input_unsure: list[e.Expr] = []  # cells numpy reads: its rows worked out

    # -- inputs ------------------------------------------------------------------------

    def inputs(self) -> list[tuple[str, e.Expr]]:
        """The first CTE's columns: each input read and checked as `data.validate` does."""
        columns: list[tuple[str, e.Expr]] = []
        for name in (self.plan.region, self.plan.region_name):
            if name is not None:
                columns.append((name, as_text(col(name))))
                self.values[name] = V(col(name), 0)
        for spec in self.plan.inputs:
            for column in columns_of(spec):
                if spec.kind == "checklist" and not column.endswith(".prev"):
                    continue
                if column in (self.plan.region, self.plan.region_name):
                    self.missing_policy(spec, col(column))  # read above, as text
                    continue
                columns.append((column, self.cell(spec, column)))
                self.values[column] = V(col(column), 0, input_size(spec))
            if spec.kind == "checklist":
                columns.append((spec.name, self.checklist(spec)))
                self.values[spec.name] = V(col(spec.name), 0, float(len(spec.choices)))
        # The row's place in the table: the results come back in the table's order.
        columns.append((ROW, e.Window(this=e.RowNumber())))
        for index, condition in enumerate(self.input_problems):
            columns.append((f"#in{index}", condition))
            self.layers.problems.append(V(col(f"#in{index}"), 0))
        for index, condition in enumerate(self.input_unsure):
            columns.append((f"#un{index}", condition))
            self.layers.unsure.append(V(col(f"#un{index}"), 0))
        return columns

    def cell(self, spec: p.InputSpec, column: str) -> e.Expr:
        source = col(column)
        match spec.kind:
            case "text":
                value = as_text(source)
            case "yesno":
                value = self.yes_no(source)
            case "option":
                value = self.option(source, spec.choices)
            case _:
                value = self.number(spec, source, column)
        self.missing_policy(spec, source)
        return value

    def missing_policy(self, spec: p.InputSpec, source: e.Expr) -> None:
        """`missing error`: an empty cell is a problem (text: '', other cells: blanks)."""
        if spec.missing == "error":
            self.problem_at_input(
                is_null(as_text(source) if spec.kind == "text" else stripped(source))
            )

    def yes_no(self, source: e.Expr) -> e.Expr:
        """A yes/no cell by its word, any case (`cells.parse_yes_no`); others a problem."""
        # 'İ' (U+0130): Python lowers it to 'i' and a combining dot, DuckDB to 'i', which
        # would make 'TİDAK' a word numpy refuses; given Python's two, both agree.
        dotted = e.Replace(
            this=stripped(source),
            expression=e.Literal.string("\u0130"),
            replacement=e.Literal.string("i\u0307"),
        )
        word = e.Lower(this=dotted)
        words = [(w, float(code)) for code in (1.0, 0.0) for w in YES_NO if YES_NO[w] == code]
        return self.choice(source, word, words)

    def option(self, source: e.Expr, choices: Sequence[str]) -> e.Expr:
        """An option cell: one of the choices exactly as written (`cells.parse_options`)."""
        word = e.Cast(this=source.copy(), to=e.DataType.build("TEXT"))
        return self.choice(source, word, [(c, float(i)) for i, c in enumerate(choices)])

    def choice(self, source: e.Expr, word: e.Expr, words: Sequence[tuple[str, float]]) -> e.Expr:
        """The code of a cell's word (one IN list per code); any other word is a problem."""
        codes = sorted({code for _, code in words})
        whens = [
            (
                e.In(
                    this=word.copy(),
                    expressions=[e.Literal.string(w) for w, c in words if c == code],
                ),
                num(code),
            )
            for code in codes
        ]
        value = case(*whens, default=NULL.copy())
        known = e.In(this=word.copy(), expressions=[e.Literal.string(w) for w, _ in words])
        self.problem_at_input(e.and_(not_null(stripped(source)), e.not_(known)))
        return value

    def number(self, spec: p.InputSpec, source: e.Expr, column: str) -> e.Expr:
        """A number cell: DOUBLE, in its range, whole for a count, on the decimal grid."""
        number = e.TryCast(this=source.copy(), to=DOUBLE.copy())
        present = not_null(stripped(source))
        self.problem_at_input(e.and_(present.copy(), is_null(number.copy())))
        if self.number_texts is None or column in self.number_texts:
            # `_unsure`, not `_problem`: numpy may read it ('85%', '1.000' beside '85.25').
            self.input_unsure.append(e.and_(present, _not_plain(source, spec)))
        low = -float(LARGEST) if spec.low is None else spec.low
        high = float(LARGEST) if spec.high is None else spec.high
        outside = e.or_(
            e.LTE(this=number.copy(), expression=num(cut(low, ">="))),
            e.GTE(this=number.copy(), expression=num(cut(high, "<="))),
        )
        self.problem_at_input(outside)
        if spec.kind == "count":
            self.problem_at_input(e.NEQ(this=number.copy(), expression=e.Floor(this=number.copy())))
        return number

    def problem_at_input(self, condition: e.Expr) -> None:
        self.input_problems.append(condition)

    def checklist(self, spec: p.InputSpec) -> e.Expr:
        """The items that are yes; under `missing zero` an empty item is simply not met."""
        items = [self.yes_no(col(c)) for c in columns_of(spec) if not c.endswith(".prev")]
        if spec.missing == "zero":
            terms = [
                case((e.EQ(this=i, expression=num(1.0)), num(1.0)), default=num(0.0)) for i in items
            ]
        else:
            terms = items
        total: e.Expr = terms[0]
        for term in terms[1:]:
            total = total + term
        return total

    def resolve_inputs(self) -> None:
        """Number and percent inputs on the decimal grid (`numeric.resolve`)."""
        for spec in self.plan.inputs:
            if spec.kind not in ("number", "percent"):
                continue
            for column in columns_of(spec):
                self.values[column] = resolve(self.layers, self.values[column])


# numpy's plain number (`cells._NUMBER[None]`), blanks around it: the one text a cast may
# read. A database casts more ('8_0' is 80 in DuckDB; ' 1 \n' in some), so any other text
# is handed to numpy. The characters are checked apart: Java's `$` (Spark) also matches
# before a final line break, and a search for a character outside the set has no anchor.
_PLAIN = r"^[ \t]*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t]*$"
_FOREIGN = r"[^0-9.eE+ \t-]"
# '1.000': one, or one thousand in Indonesian notation (`cells._AMBIGUOUS`). numpy reads
# it by the column's other cells ('85.25' beside it: a decimal point), which one row of
# SQL does not see: numpy reads the row, and the whole column when it refuses it.
_THOUSANDS = r"^[ \t]*[+-]?[1-9][0-9]{0,2}\.[0-9]{3}[ \t]*$"
_THOUSAND = 1000.0  # the smallest number '1.000' stands for in Indonesian notation


def _not_plain(source: e.Expr, spec: p.InputSpec) -> e.Expr:
    """Whether a number cell's text is not a plain number numpy reads as the cast does."""
    text = e.Cast(this=source.copy(), to=e.DataType.build("TEXT"))
    odd = e.or_(
        _matches(text, _FOREIGN),
        e.not_(_matches(text, _PLAIN)),
    )
    limit = _limit(spec)
    if limit is None or limit >= _THOUSAND:
        odd = e.or_(odd, _matches(text, _THOUSANDS))
    return odd


def _matches(text: e.Expr, pattern: str) -> e.Expr:
    return e.RegexpLike(this=text.copy(), expression=e.Literal.string(pattern))


def _limit(spec: p.InputSpec) -> float | None:
    """The largest magnitude an input accepts (None: any), as `data` gives `cells` it."""
    if spec.low is None or spec.high is None:
        return None
    return max(-spec.low, spec.high)
