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

InputKind = Literal["number", "percent", "count", "yesno", "text", "option", "checklist"]
MissingPolicy = Literal["zero", "exclude", "error"]
Aggregator = Literal["sum", "mean", "weighted"]
RoundingMode = Literal["half_up", "half_even", "half_down", "up", "down", "floor", "ceiling"]


@attrs.frozen(kw_only=True)
class Label:
    """A display name: Indonesian first, English optional."""

    id: str
    en: str | None = None

    def text(self, lang: str = "id") -> str:
        """The label in `lang` ('id' or 'en'), falling back to Indonesian."""
        return self.en if lang == "en" and self.en else self.id


# --- expressions -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Number:
    """A number literal; `percent` records a trailing '%'."""

    span: Span
    value: Decimal
    percent: bool = False


@attrs.frozen(kw_only=True)
class String:
    """A string literal (only meaningful compared with an option input)."""

    span: Span
    value: str


@attrs.frozen(kw_only=True)
class Bool:
    """`yes` or `no`."""

    span: Span
    value: bool


@attrs.frozen(kw_only=True)
class Ref:
    """A reference to a parameter, input or definition by name."""

    span: Span
    name: str


@attrs.frozen(kw_only=True)
class Neg:
    """Unary minus."""

    span: Span
    operand: Expr


@attrs.frozen(kw_only=True)
class Arith:
    """`+ - * /`."""

    span: Span
    op: Literal["+", "-", "*", "/"]
    left: Expr
    right: Expr


@attrs.frozen(kw_only=True)
class Compare:
    """`< <= == != >= >`."""

    span: Span
    op: Literal["<", "<=", "==", "!=", ">=", ">"]
    left: Expr
    right: Expr


@attrs.frozen(kw_only=True)
class And:
    """Logical and."""

    span: Span
    left: Expr
    right: Expr


@attrs.frozen(kw_only=True)
class Or:
    """Logical or."""

    span: Span
    left: Expr
    right: Expr


@attrs.frozen(kw_only=True)
class Not:
    """Logical not."""

    span: Span
    operand: Expr


@attrs.frozen(kw_only=True)
class If:
    """`if c then a else b`."""

    span: Span
    condition: Expr
    then: Expr
    otherwise: Expr


@attrs.frozen(kw_only=True)
class Call:
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


@attrs.frozen(kw_only=True)
class Infinity:
    """An open end of an interval: `inf` or `-inf`."""

    span: Span
    negative: bool


Bound = Number | Ref | Arith | Infinity


@attrs.frozen(kw_only=True)
class Interval:
    """`[a, b)` and friends: each end says whether it is included."""

    span: Span
    low: Bound
    high: Bound
    low_closed: bool
    high_closed: bool


@attrs.frozen(kw_only=True)
class BandRow:
    """One row of a band table: values in `interval` score `points`."""

    span: Span
    interval: Interval
    points: Value


@attrs.frozen(kw_only=True)
class Bands:
    """A band table over `subject`."""

    span: Span
    subject: Expr
    rows: tuple[BandRow, ...]


@attrs.frozen(kw_only=True)
class Linear:
    """Linear scaling: `start` scores `low`, `stop` scores `high`, clamped outside."""

    span: Span
    subject: Expr
    start: Value
    stop: Value
    low: Value
    high: Value


@attrs.frozen(kw_only=True)
class OptionRow:
    """One option of an option input and its points."""

    span: Span
    option: str
    points: Value


@attrs.frozen(kw_only=True)
class Options:
    """Option → points map."""

    span: Span
    subject: Expr
    rows: tuple[OptionRow, ...]


@attrs.frozen(kw_only=True)
class Formula:
    """An indicator scored by a plain expression."""

    span: Span
    expr: Expr


Scoring = Bands | Linear | Options | Formula


# --- provenance --------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Source:
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


@attrs.frozen(kw_only=True)
class Citation:
    """`cites id "Pasal 9"`: the numbers it marks come from a declared source."""

    span: Span
    source: str
    source_span: Span
    passage: str | None = None


@attrs.frozen(kw_only=True)
class Assumption:
    """`assumed "reason" within 40 to 80`: a number nobody published, and why it was chosen.

    `within` (parameters only) is the plausible range sensitivity analysis draws from.
    """

    span: Span
    reason: str
    within: tuple[Decimal, Decimal] | None = None


Mark = Citation | Assumption


# --- declarations ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Evidence:
    """`evidence "document" due 2026-11-16`: a document (*data dukung*) a value needs."""

    span: Span
    document: str
    due: str | None = None  # the date as written (YYYY-MM-DD); the checker validates it


@attrs.frozen(kw_only=True)
class Rounding:
    """`round half_up 2`: mode and decimal places."""

    span: Span
    mode: RoundingMode
    places: int


@attrs.frozen(kw_only=True)
class Clauses:
    """The optional clauses after a definition's body."""

    max: Value | None = None
    rounding: Rounding | None = None
    agency: str | None = None
    sources: tuple[str, ...] = ()
    note: str | None = None
    met: Expr | None = None
    marks: tuple[Mark, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@attrs.frozen(kw_only=True)
class Header:
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


@attrs.frozen(kw_only=True)
class Import:
    """`import "file"`: take the definitions of a shared catalogue."""

    span: Span
    path: str


@attrs.frozen(kw_only=True)
class Extends:
    """`extends "file"`: take a whole ruleset and override by name."""

    span: Span
    path: str


@attrs.frozen(kw_only=True)
class Param:
    """A named constant, overridable at load time."""

    span: Span
    name: str
    label: Label | None
    value: Decimal
    percent: bool = False
    note: str | None = None
    marks: tuple[Mark, ...] = ()


@attrs.frozen(kw_only=True)
class InputType:
    """The declared type of an input; `choices` for options and checklists."""

    kind: InputKind
    choices: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Input:
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


@attrs.frozen(kw_only=True)
class Indicator:
    """A scored indicator: points from a band table, scaling, options or a formula."""

    span: Span
    name: str
    label: Label | None
    scoring: Scoring
    clauses: Clauses


@attrs.frozen(kw_only=True)
class Let:
    """A named intermediate value (not scored)."""

    span: Span
    name: str
    label: Label | None
    expr: Expr
    clauses: Clauses


@attrs.frozen(kw_only=True)
class Member:
    """A member of a group, with a weight for `weighted`."""

    span: Span
    name: str
    weight: Value | None = None


@attrs.frozen(kw_only=True)
class Group:
    """A group of scored definitions (*klaster*, *tatanan*, *aksi*)."""

    span: Span
    name: str
    label: Label | None
    aggregator: Aggregator
    members: tuple[Member, ...]
    clauses: Clauses


@attrs.frozen(kw_only=True)
class Requirement:
    """A gate on a tier."""

    span: Span
    condition: Expr
    label: Label | None = None


@attrs.frozen(kw_only=True)
class Tier:
    """One tier: its interval on the classified score and its requirements."""

    span: Span
    name: str
    label: Label
    interval: Interval
    requirements: tuple[Requirement, ...] = ()


@attrs.frozen(kw_only=True)
class Tiers:
    """The classification of one score into ordered tiers."""

    span: Span
    subject: Ref
    below: Label | None
    tiers: tuple[Tier, ...]
    marks: tuple[Mark, ...] = ()


@attrs.frozen(kw_only=True)
class SortKey:
    """A ranking key: a definition and a direction."""

    span: Span
    name: str
    descending: bool


@attrs.frozen(kw_only=True)
class Rank:
    """Rank regions by a key, optionally within a grouping column, with tie-breaks."""

    span: Span
    name: str
    label: Label | None
    key: SortKey
    within: Ref | None = None
    ties: tuple[SortKey, ...] = ()


@attrs.frozen(kw_only=True)
class RollupItem:
    """One summary of a rollup: `share(tier >= "madya")`, `mean(total)`, `count()`."""

    span: Span
    name: str
    label: Label | None
    function: Literal["count", "sum", "mean", "min", "max", "share", "all", "any"]
    arg: Expr | None


@attrs.frozen(kw_only=True)
class Rollup:
    """Summaries over the regions that share a value of a text column (e.g. a province)."""

    span: Span
    name: str
    label: Label | None
    by: Ref
    items: tuple[RollupItem, ...]


Definition = Param | Input | Indicator | Let | Group | Rank


@attrs.frozen(kw_only=True)
class New:
    """`new indicator ...`: in a file that extends a base, a definition the base lacks."""

    span: Span
    definition: Definition


@attrs.frozen(kw_only=True)
class Module:
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
