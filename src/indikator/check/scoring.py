"""How an indicator scores: band tables, `linear` and `options`, each to its range of points.

The rows of an ordered table (bands here, tiers in `check.tiers`) are checked alike by
`adjacent`: in order, not overlapping, no reachable gap between them.
"""

from __future__ import annotations

from fractions import Fraction

from indikator import nodes as n
from indikator.bounds import UNBOUNDED, Range, format_number, hull_all
from indikator.check.expressions import Expressions
from indikator.check.facts import Facts, error, suggest, warning
from indikator.check.numbers import bound, value
from indikator.errors import Span
from indikator.graph import option_source
from indikator.messages import Message

__all__ = ["adjacent", "bands", "holds_nothing", "linear", "options"]

#: The language resolves decimals to 10⁻⁹ (`numeric`): an interval open at both ends and
#: no wider than that holds no value.
_RESOLUTION = Fraction(1, 10**9)

_WHAT = {
    "band": (Message("what.band"), Message("what.bands")),
    "tier": (Message("what.tier"), Message("what.tiers")),
}

#: A row of an ordered table, with the exact values of its interval's ends.
Row = tuple[n.BandRow | n.Tier, Fraction | None, Fraction | None]


def holds_nothing(
    lo: Fraction | None, hi: Fraction | None, *, low_closed: bool, high_closed: bool
) -> bool:
    """Whether no value falls in an interval (a reversed one included)."""
    if lo is None or hi is None:
        return False
    if low_closed and high_closed:
        return lo > hi
    if low_closed or high_closed:
        return lo >= hi
    return hi - lo <= _RESOLUTION


def bands(facts: Facts, exprs: Expressions, table: n.Bands) -> Range:
    """The points a band table gives; reports empty, dead, misordered and missing bands."""
    typ, subject = exprs.type_of(table.subject)
    exprs.expect_number(typ, table.subject, Message("where.band_table"))
    rows = [
        (row, bound(facts, row.interval.low), bound(facts, row.interval.high)) for row in table.rows
    ]
    reachable = []
    for index, (row, lo, hi) in enumerate(rows):
        iv = row.interval
        if holds_nothing(lo, hi, low_closed=iv.low_closed, high_closed=iv.high_closed):
            facts.problems.append(error("IK409", Message("check.empty_band"), iv.span))
            continue
        if index > 0:
            adjacent(facts, rows[index - 1], (row, lo, hi), subject, what="band")
        if subject.overlaps(lo, hi, lo_closed=iv.low_closed, hi_closed=iv.high_closed):
            reachable.append(Range.point(value(facts, row.points)))
        else:
            facts.problems.append(
                warning(
                    "IK403",
                    Message("check.dead_band", range=subject.describe()),
                    iv.span,
                )
            )
    _coverage(facts, rows, subject, table.span)
    return hull_all(reachable) if reachable else Range.point(Fraction(0))


def adjacent(
    facts: Facts,
    below: Row,
    above: Row,
    subject: Range,
    *,
    what: str,
    quantum: Fraction | None = None,
) -> None:
    """Two consecutive rows: in order, not overlapping, no value of `subject` between."""
    low_row, start_below, edge_below = below
    high_row, edge_above, end_above = above
    # "band"/"tier" and their plurals, for the messages.
    one, many = _WHAT[what]
    closed_below, closed_above = low_row.interval.high_closed, high_row.interval.low_closed
    if start_below is not None and end_above is not None and end_above <= start_below:
        code = "IK406" if what == "tier" else "IK401"
        facts.problems.append(
            error(
                code,
                Message("check.below_previous", what=one),
                high_row.interval.span,
                Message("check.hint_order", whats=many),
            )
        )
        return
    if edge_below is None or edge_above is None:
        facts.problems.append(
            error("IK401", Message("check.overlaps", what=one), high_row.interval.span)
        )
        return
    if edge_above < edge_below or (edge_above == edge_below and closed_below and closed_above):
        facts.problems.append(
            error(
                "IK401",
                Message("check.overlaps", what=one),
                high_row.interval.span,
                Message("check.hint_overlap", whats=many),
            )
        )
        return
    open_gap = edge_above == edge_below and not closed_below and not closed_above
    if edge_above > edge_below or open_gap:
        gap = Range(edge_below, edge_above)
        lo_closed, hi_closed = not closed_below, not closed_above
        if _gap_reachable(subject, gap, lo_closed=lo_closed, hi_closed=hi_closed, quantum=quantum):
            edge = format_number(edge_below)
            message = (
                Message("check.gap_point", edge=edge, what=one)
                if open_gap
                else Message("check.gap", low=edge, high=format_number(edge_above), what=one)
            )
            facts.problems.append(
                error(
                    "IK402",
                    message,
                    high_row.interval.span,
                    Message("check.hint_gap", whats=many, edge=edge),
                )
            )


def _gap_reachable(
    subject: Range, gap: Range, *, lo_closed: bool, hi_closed: bool, quantum: Fraction | None
) -> bool:
    """Whether a value of `subject` (a multiple of `quantum`, if rounded) lies in the gap."""
    if not subject.overlaps(gap.lo, gap.hi, lo_closed=lo_closed, hi_closed=hi_closed):
        return False
    if quantum is None or gap.lo is None or gap.hi is None:
        return True
    first = -(-gap.lo // quantum) * quantum  # smallest multiple of quantum >= lo
    if first == gap.lo and not lo_closed:
        first += quantum
    return first < gap.hi or (first == gap.hi and hi_closed)


def _coverage(
    facts: Facts,
    rows: list[tuple[n.BandRow, Fraction | None, Fraction | None]],
    subject: Range,
    span: Span,
) -> None:
    if not rows:
        return
    first, last = rows[0], rows[-1]
    below_first = subject.overlaps(
        None, first[1], lo_closed=True, hi_closed=not first[0].interval.low_closed
    )
    above_last = subject.overlaps(
        last[2], None, lo_closed=not last[0].interval.high_closed, hi_closed=True
    )
    if (first[1] is not None and below_first) or (last[2] is not None and above_last):
        facts.problems.append(
            error(
                "IK408",
                Message("check.outside_bands", range=subject.describe()),
                span,
                Message("check.hint_outside_bands"),
            )
        )


def linear(facts: Facts, exprs: Expressions, scoring: n.Linear) -> Range:
    """The points `linear ... from A to B onto C to D` gives: from C to D."""
    typ, _ = exprs.type_of(scoring.subject)
    exprs.expect_number(typ, scoring.subject, Message("where.linear"))
    if value(facts, scoring.start) == value(facts, scoring.stop):
        facts.problems.append(error("IK409", Message("check.from_to"), scoring.span))
    low, high = value(facts, scoring.low), value(facts, scoring.high)
    return Range(min(low, high), max(low, high))


def options(facts: Facts, exprs: Expressions, scoring: n.Options) -> Range:
    """The points an `options` table gives; every choice needs its points, once."""
    typ, _ = exprs.type_of(scoring.subject)
    if typ.kind != "option" or option_source(scoring.subject) is None:
        facts.problems.append(
            error(
                "IK202",
                Message("check.options_subject", type=typ.describe()),
                scoring.subject.span,
            )
        )
        return UNBOUNDED
    seen: set[str] = set()
    for row in scoring.rows:
        if row.option not in typ.choices:
            facts.problems.append(
                error(
                    "IK205",
                    Message("check.not_an_option", value=row.option),
                    row.span,
                    suggest(row.option, list(typ.choices)),
                )
            )
        elif row.option in seen:
            facts.problems.append(
                error("IK401", Message("check.option_twice", option=row.option), row.span)
            )
        seen.add(row.option)
    for choice in typ.choices:
        if choice not in seen:
            facts.problems.append(
                error("IK408", Message("check.option_no_points", option=choice), scoring.span)
            )
    return hull_all([Range.point(value(facts, r.points)) for r in scoring.rows])
