"""What the stages of the SQL compiler share: the query's own columns, small expressions.

Bounds on magnitudes (`size_of`, `input_size`) pick the decimal grids a sum needs and say
when a value could overflow float64 (IK520).
"""

from __future__ import annotations

import math
import sys
import unicodedata

from sqlglot import expressions as e

from indikator import plan as p
from indikator.numeric import LARGEST
from indikator.sql._build import NULL, case, num

__all__ = [
    "INPUT_CTE",
    "MAX_FLOAT",
    "OVERFLOW_FROM",
    "PROBLEM",
    "PYTHON_BLANKS",
    "ROW",
    "UNSURE",
    "alias",
    "as_text",
    "blanks",
    "clip",
    "cte_name",
    "finite",
    "input_size",
    "is_null",
    "largest",
    "not_null",
    "size_of",
    "stripped",
]


#: The row number in the table (from 1), and the two flags of every row.
ROW, UNSURE, PROBLEM = "_row", "_unsure", "_problem"
INPUT_CTE = "inputs"


def is_null(sql: e.Expr) -> e.Expr:
    return e.Is(this=sql.copy(), expression=NULL.copy())


def not_null(sql: e.Expr) -> e.Expr:
    return e.not_(is_null(sql))


#: The largest float64: a magnitude above it is infinity (an overflow).
MAX_FLOAT = num(1.7976931348623157e308)
#: Values whose bound stays below this cannot overflow in one more operation.
OVERFLOW_FROM = 1e300


def size_of(op: str, sizes: list[float]) -> float:
    """A bound on the magnitude of an operation's result from those of its arguments."""
    match op:
        case "mul":
            return sizes[0] * sizes[1]
        case "add" | "sub" | "sum":
            return math.fsum(sizes)
        case "div":
            return math.inf
        case "round":
            return sizes[0] + 1.0
        case "neg" | "abs" | "min" | "max" | "clamp" | "value_or":
            return max(sizes)
    return 1.0  # comparisons, and/or/not, present: a yes/no


def input_size(spec: p.InputSpec) -> float:
    """A bound on an input's magnitude: its range, else what indikator holds (10^15)."""
    match spec.kind:
        case "yesno":
            return 1.0
        case "option":
            return float(len(spec.choices))
        case "text":
            return math.inf
    low = -float(LARGEST) if spec.low is None else spec.low
    high = float(LARGEST) if spec.high is None else spec.high
    return max(abs(low), abs(high))


def largest(points: tuple[float, ...]) -> float:
    return max((abs(x) for x in points), default=0.0)


def cte_name(level: int) -> str:
    return INPUT_CTE if level == 0 else f"level_{level}"


def alias(sql: e.Expr, name: str) -> e.Expr:
    return e.alias_(sql, name, quoted=True)


#: Every character Python's `str.strip()` takes off (`str.isspace`): numpy's blanks.
PYTHON_BLANKS = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())


def as_text(source: e.Expr) -> e.Expr:
    """A text cell as written; only '' is missing (`cells.parse_texts_and_empty`)."""
    return _empty_missing(e.Cast(this=source.copy(), to=e.DataType.build("TEXT")))


def stripped(source: e.Expr) -> e.Expr:
    """A cell without the blanks around it, as Python's `str.strip()`; a blank one missing.

    numpy strips yes/no words and group cells so, and reads a cell of blanks as empty
    (`cells._blank`): SQL's plain TRIM takes off spaces only. A cell that begins and ends
    with a visible ASCII character (most) skips the TRIM by a list, which costs DuckDB
    about 20 times a plain TRIM.
    """
    text = e.Cast(this=source.copy(), to=e.DataType.build("TEXT"))
    ends = e.and_(
        _visible(e.Ascii(this=text.copy())),
        _visible(e.Ascii(this=e.Right(this=text.copy(), expression=e.Literal.number(1)))),
    )
    trimmed = e.Trim(this=text.copy(), expression=blanks())
    return case(
        (e.EQ(this=text.copy(), expression=e.Literal.string("")), NULL.copy()),
        (ends, text.copy()),
        (e.EQ(this=trimmed.copy(), expression=e.Literal.string("")), NULL.copy()),
        default=trimmed,
    )


def _visible(code: e.Expr) -> e.Expr:
    """A code point from '!' to '~': no blank."""
    return e.Between(this=code, low=e.Literal.number(ord("!")), high=e.Literal.number(ord("~")))


def blanks() -> e.Expr:
    """`PYTHON_BLANKS` as SQL: the control characters and line separators as CHR(n).

    So the query's text holds no control character (`indikator sql` would show it
    escaped on a terminal, and the printed query would strip other characters). Spark's
    CHR takes a code modulo 256: for Spark, `sql._text` writes U+2028 and U+2029 as
    characters (a terminal shows them escaped, as Spark reads them back).
    """
    text: e.Expr = e.Literal.string("".join(c for c in PYTHON_BLANKS if c not in _CONTROLS))
    for char in _CONTROLS:
        text = e.DPipe(this=text, expression=e.Chr(expressions=[e.Literal.number(ord(char))]))
    return text


#: The blanks a terminal shows escaped (`outputs.terminal_text`) or as a line break:
#: control characters (tab, newline, ... U+0085) and the line and paragraph separators.
_CONTROLS = "".join(c for c in PYTHON_BLANKS if unicodedata.category(c) in ("Cc", "Zl", "Zp"))


def _empty_missing(text: e.Expr) -> e.Expr:
    return case(
        (e.EQ(this=text.copy(), expression=e.Literal.string("")), NULL.copy()), default=text
    )


def clip(value: e.Expr) -> e.Expr:
    """np.clip(value, 0, 1); NULL stays NULL."""
    return case(
        (e.LT(this=value.copy(), expression=num(0.0)), num(0.0)),
        (e.GT(this=value.copy(), expression=num(1.0)), num(1.0)),
        default=value.copy(),
    )


def finite(point: float) -> e.Expr:
    return num(max(point, -1.7976931348623157e308))
