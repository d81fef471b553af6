"""The syntax tree: frozen attrs nodes that keep what the author wrote, with spans.

`syntax.parse` builds these from text; `check` reads them; nothing here evaluates.
Number literals stay exact (`Decimal`) until `compile` lowers them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import attrs

from indikator.errors import Span

__all__ = [
    "KEYWORDS",
    "And",
    "Arith",
    "Assumption",
    "BandRow",
    "Bands",
    "Bool",
    "Bound",
    "Call",
    "Citation",
    "Clauses",
    "Compare",
    "Definition",
    "Evidence",
    "Expr",
    "Extends",
    "FieldsRepr",
    "Formula",
    "Group",
    "Header",
    "If",
    "Import",
    "Indicator",
    "Infinity",
    "Input",
    "InputType",
    "Interval",
    "Label",
    "Let",
    "Linear",
    "Mark",
    "Member",
    "Module",
    "Neg",
    "New",
    "Not",
    "Number",
    "OptionRow",
    "Options",
    "Or",
    "Param",
    "Rank",
    "Ref",
    "Requirement",
    "Rollup",
    "RollupItem",
    "Rounding",
    "Scoring",
    "SortKey",
    "Source",
    "String",
    "Tier",
    "Tiers",
    "Value",
]


class FieldsRepr:
    """The `__repr__` attrs would write (`Label(id='a', en=None)`), written once.

    attrs compiles a `__repr__` for every class it makes: a third of the cost of making
    one, and loading a ruleset first makes about a hundred (the nodes and the plan's).
    Subclasses are made with `repr=False` and take this one.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{field.name}={_shown(field.repr, getattr(self, field.name, attrs.NOTHING))}"
            for field in attrs.fields(type(self))  # type: ignore[arg-type]  # its subclasses are attrs classes
            if field.repr
        )
        return f"{type(self).__qualname__.rsplit('>.', 1)[-1]}({shown})"


def _shown(how: object, value: object) -> str:
    return how(value) if callable(how) else repr(value)  # a field's own `repr=` function


InputKind = Literal["number", "percent", "count", "yesno", "text", "option", "checklist"]
MissingPolicy = Literal["zero", "exclude", "error"]
Aggregator = Literal["sum", "mean", "weighted"]
RoundingMode = Literal["half_up", "half_even", "half_down", "up", "down", "floor", "ceiling"]


@attrs.frozen(kw_only=True, repr=False)
class Label(FieldsRepr):
    """A display name: Indonesian first, English optional."""

    id: str
    en: str | None = None

    def text(self, lang: str = "id") -> str:
        """The label in `lang` ('id' or 'en'), falling back to Indonesian."""
        return self.en if lang == "en" and self.en else self.id


# --- expressions -----------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False)
class Number(FieldsRepr):
    """A number literal; `percent` records a trailing '%'."""

    span: Span
    value: Decimal
    percent: bool = False


@attrs.frozen(kw_only=True, repr=False)
class String(FieldsRepr):
    """A string literal (only meaningful compared with an option input)."""

    span: Span
    value: str


@attrs.frozen(kw_only=True, repr=False)
class Bool(FieldsRepr):
    """`yes` or `no`."""

    span: Span
    value: bool


@attrs.frozen(kw_only=True, repr=False)
class Ref(FieldsRepr):
    """A reference to a parameter, input or definition by name."""

    span: Span
    name: str


@attrs.frozen(kw_only=True, repr=False)
class Neg(FieldsRepr):
    """Unary minus."""

    span: Span
    operand: Expr


@attrs.frozen(kw_only=True, repr=False)
class Arith(FieldsRepr):
    """`+ - * /`."""

    span: Span
    op: Literal["+", "-", "*", "/"]
    left: Expr
    right: Expr


@attrs.frozen(kw_only=True, repr=False)
class Compare(FieldsRepr):
    """`< <= == != >= >`."""

    span: Span
    op: Literal["<", "<=", "==", "!=", ">=", ">"]
    left: Expr
    right: Expr


@attrs.frozen(kw_only=True, repr=False)
class And(FieldsRepr):
    """Logical and."""

    span: Span
    left: Expr
    right: Expr


@attrs.frozen(kw_only=True, repr=False)
class Or(FieldsRepr):
    """Logical or."""

    span: Span
    left: Expr
    right: Expr


@attrs.frozen(kw_only=True, repr=False)
class Not(FieldsRepr):
    """Logical not."""

    span: Span
    operand: Expr


@attrs.frozen(kw_only=True, repr=False)
class If(FieldsRepr):
    """`if c then a else b`."""

    span: Span
    condition: Expr
    then: Expr
    otherwise: Expr


@attrs.frozen(kw_only=True, repr=False)
class Call(FieldsRepr):
    """A built-in function call such as `min(a, b)` or `percent_of(x, 80)`."""

    span: Span
    function: str
    function_span: Span
    args: tuple[Expr, ...]


Expr = Number | String | Bool | Ref | Neg | Arith | Compare | And | Or | Not | If | Call
# A number where a number goes: a literal, a parameter, or arithmetic over those
# (`constants` folds it; the grammar admits no other node there).
Value = Number | Ref | Arith


# --- scoring -----------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False)
class Infinity(FieldsRepr):
    """An open end of an interval: `inf` or `-inf`."""

    span: Span
    negative: bool


Bound = Number | Ref | Arith | Infinity


@attrs.frozen(kw_only=True, repr=False)
class Interval(FieldsRepr):
    """`[a, b)` and friends: each end says whether it is included."""

    span: Span
    low: Bound
    high: Bound
    low_closed: bool
    high_closed: bool


@attrs.frozen(kw_only=True, repr=False)
class BandRow(FieldsRepr):
    """One row of a band table: values in `interval` score `points`."""

    span: Span
    interval: Interval
    points: Value


@attrs.frozen(kw_only=True, repr=False)
class Bands(FieldsRepr):
    """A band table over `subject`."""

    span: Span
    subject: Expr
    rows: tuple[BandRow, ...]


@attrs.frozen(kw_only=True, repr=False)
class Linear(FieldsRepr):
    """Linear scaling: `start` scores `low`, `stop` scores `high`, clamped outside."""

    span: Span
    subject: Expr
    start: Value
    stop: Value
    low: Value
    high: Value


@attrs.frozen(kw_only=True, repr=False)
class OptionRow(FieldsRepr):
    """One option of an option input and its points."""

    span: Span
    option: str
    points: Value


@attrs.frozen(kw_only=True, repr=False)
class Options(FieldsRepr):
    """Option → points map."""

    span: Span
    subject: Expr
    rows: tuple[OptionRow, ...]


@attrs.frozen(kw_only=True, repr=False)
class Formula(FieldsRepr):
    """An indicator scored by a plain expression."""

    span: Span
    expr: Expr


Scoring = Bands | Linear | Options | Formula


# --- provenance --------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False)
class Source(FieldsRepr):
    """`source id "title" { issuer ... }`: a document the ruleset relies on, declared once."""

    span: Span
    name: str
    title: Label
    issuer: str | None = None
    number: str | None = None
    date: str | None = None
    url: str | None = None
    offline: bool = False
    passage: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True, repr=False)
class Citation(FieldsRepr):
    """`cites id "Pasal 9"`: the numbers it marks come from a declared source."""

    span: Span
    source: str
    source_span: Span
    passage: str | None = None


@attrs.frozen(kw_only=True, repr=False)
class Assumption(FieldsRepr):
    """`assumed "reason" within 40 to 80`: a number nobody published, and why it was chosen.

    `within` (parameters only) is the plausible range sensitivity analysis draws from.
    """

    span: Span
    reason: str
    within: tuple[Decimal, Decimal] | None = None


Mark = Citation | Assumption


# --- declarations ------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False)
class Evidence(FieldsRepr):
    """`evidence "document" due 2026-11-16`: a document (*data dukung*) a value needs."""

    span: Span
    document: str
    due: str | None = None  # the date as written (YYYY-MM-DD); the checker validates it


@attrs.frozen(kw_only=True, repr=False)
class Rounding(FieldsRepr):
    """`round half_up 2`: mode and decimal places."""

    span: Span
    mode: RoundingMode
    places: int


@attrs.frozen(kw_only=True, repr=False)
class Clauses(FieldsRepr):
    """The optional clauses after a definition's body."""

    max: Value | None = None
    rounding: Rounding | None = None
    agency: str | None = None
    sources: tuple[str, ...] = ()
    note: str | None = None
    met: Expr | None = None
    marks: tuple[Mark, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@attrs.frozen(kw_only=True, repr=False)
class Header(FieldsRepr):
    """`ruleset NAME { ... }`."""

    span: Span
    name: str
    title: Label | None = None
    edition: int | None = None
    sources: tuple[str, ...] = ()
    scale: tuple[Decimal, Decimal] | None = None
    region: str | None = None
    region_name: str | None = None
    # `scale 0 to maks`: the written ends; the checker folds them into `scale`.
    scale_written: tuple[Value, Value] | None = None


@attrs.frozen(kw_only=True, repr=False)
class Import(FieldsRepr):
    """`import "file"`: take the definitions of a shared catalogue."""

    span: Span
    path: str


@attrs.frozen(kw_only=True, repr=False)
class Extends(FieldsRepr):
    """`extends "file"`: take a whole ruleset and override by name."""

    span: Span
    path: str


@attrs.frozen(kw_only=True, repr=False)
class Param(FieldsRepr):
    """A named constant, overridable at load time."""

    span: Span
    name: str
    label: Label | None
    value: Decimal
    percent: bool = False
    note: str | None = None
    marks: tuple[Mark, ...] = ()


@attrs.frozen(kw_only=True, repr=False)
class InputType(FieldsRepr):
    """The declared type of an input; `choices` for options and checklists."""

    kind: InputKind
    choices: tuple[str, ...] = ()


@attrs.frozen(kw_only=True, repr=False)
class Input(FieldsRepr):
    """A data column the ruleset reads, with its type and rules."""

    span: Span
    name: str
    label: Label | None
    type: InputType
    unit: str | None = None
    range: tuple[Decimal, Decimal] | None = None  # an open end is an infinite Decimal
    better: Literal["higher", "lower"] | None = None
    agency: str | None = None
    missing: MissingPolicy | None = None
    sources: tuple[str, ...] = ()
    note: str | None = None
    evidence: tuple[Evidence, ...] = ()


@attrs.frozen(kw_only=True, repr=False)
class Indicator(FieldsRepr):
    """A scored indicator: points from a band table, scaling, options or a formula."""

    span: Span
    name: str
    label: Label | None
    scoring: Scoring
    clauses: Clauses


@attrs.frozen(kw_only=True, repr=False)
class Let(FieldsRepr):
    """A named intermediate value (not scored)."""

    span: Span
    name: str
    label: Label | None
    expr: Expr
    clauses: Clauses


@attrs.frozen(kw_only=True, repr=False)
class Member(FieldsRepr):
    """A member of a group, with a weight for `weighted`."""

    span: Span
    name: str
    weight: Value | None = None


@attrs.frozen(kw_only=True, repr=False)
class Group(FieldsRepr):
    """A group of scored definitions (*klaster*, *tatanan*, *aksi*)."""

    span: Span
    name: str
    label: Label | None
    aggregator: Aggregator
    members: tuple[Member, ...]
    clauses: Clauses


@attrs.frozen(kw_only=True, repr=False)
class Requirement(FieldsRepr):
    """A gate on a tier."""

    span: Span
    condition: Expr
    label: Label | None = None


@attrs.frozen(kw_only=True, repr=False)
class Tier(FieldsRepr):
    """One tier: its interval on the classified score and its requirements."""

    span: Span
    name: str
    label: Label
    interval: Interval
    requirements: tuple[Requirement, ...] = ()


@attrs.frozen(kw_only=True, repr=False)
class Tiers(FieldsRepr):
    """The classification of one score into ordered tiers."""

    span: Span
    subject: Ref
    below: Label | None
    tiers: tuple[Tier, ...]
    marks: tuple[Mark, ...] = ()


@attrs.frozen(kw_only=True, repr=False)
class SortKey(FieldsRepr):
    """A ranking key: a definition and a direction."""

    span: Span
    name: str
    descending: bool


@attrs.frozen(kw_only=True, repr=False)
class Rank(FieldsRepr):
    """Rank regions by a key, optionally within a grouping column, with tie-breaks."""

    span: Span
    name: str
    label: Label | None
    key: SortKey
    within: Ref | None = None
    ties: tuple[SortKey, ...] = ()


@attrs.frozen(kw_only=True, repr=False)
class RollupItem(FieldsRepr):
    """One summary of a rollup: `share(tier >= "madya")`, `mean(total)`, `count()`."""

    span: Span
    name: str
    label: Label | None
    function: Literal["count", "sum", "mean", "min", "max", "share", "all", "any"]
    arg: Expr | None


@attrs.frozen(kw_only=True, repr=False)
class Rollup(FieldsRepr):
    """Summaries over the regions that share a value of a text column (e.g. a province)."""

    span: Span
    name: str
    label: Label | None
    by: Ref
    items: tuple[RollupItem, ...]


Definition = Param | Input | Indicator | Let | Group | Rank


@attrs.frozen(kw_only=True, repr=False)
class New(FieldsRepr):
    """`new indicator ...`: in a file that extends a base, a definition the base lacks."""

    span: Span
    definition: Definition


@attrs.frozen(kw_only=True, repr=False)
class Module(FieldsRepr):
    """One parsed file."""

    file: str
    header: Header | None
    imports: tuple[Import, ...]
    extends: Extends | None
    definitions: tuple[Definition, ...]
    tiers: Tiers | None
    rollups: tuple[Rollup, ...] = ()
    declared_sources: tuple[Source, ...] = ()
    added: tuple[New, ...] = ()  # the definitions marked `new` (also in `definitions`)


#: The keyword that declares each kind of definition, as messages and hovers name it.
KEYWORDS: dict[type, str] = {
    Param: "param",
    Input: "input",
    Indicator: "indicator",
    Let: "let",
    Group: "group",
    Rank: "rank",
    Rollup: "rollup",
}
