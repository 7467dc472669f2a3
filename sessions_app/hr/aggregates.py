"""Aggregate participation for HR: the only data path for HR pages and exports.

What is counted
---------------
For one organisation O and one calendar year, per unit of O and for O as a whole, per
month, quarter and year:

- enrolled: distinct people of O with a forum membership overlapping the period;
- participants: distinct people of O who attended at least one held meeting in it;
- meetings attended: attended participations at held meetings in it;
- attendance rate: attended / recorded participations (attended true or false) at held
  meetings in it. `attendance_record` writes one row per member at the meeting, so the
  denominator is "meetings held while the person was a member";
- stayed: distinct people of O whose membership covers the whole period;
- pulse: answers and the four averages from OrganisationPulseAnswer (unit at answer
  time, month of answering).

People are counted by their current `User.organisation` and `User.unit`. Every query
filters on O first, so other organisations' people never enter a figure: a
cross-organisation forum contributes only O's share. No name, forum, meeting or person
row leaves this module; only counts per (unit, period) do. (Person ids are read, with
memberships and with attendance per month, only to count distinct people per period.)

Periods are reported only once they are over and SETTLE_DAYS have passed (so late
attendance records land first). A quarter appears with its last month and the year with
December. Figures of a reported period therefore do not change as time goes on, which
matters because an HR viewer can keep old copies of the page.

Suppression
-----------
k = settings.FOORUMIX_MIN_GROUP_SIZE (at least 3). The figures fall into four
*families*, each resting on one count of people (its base):

====================  ====================================  ==========================
family                figures                               base
====================  ====================================  ==========================
enrolled              enrolled                              enrolled
participation         participants, meetings attended,      participants
                      attendance rate
stayed                stayed                                stayed
pulse                 answers, four averages                answers (and participants)
====================  ====================================  ==========================

Each family is suppressed on its own grid: rows = O's units (plus "no unit" when such
people have data) and the organisation total; columns = the 12 months, 4 quarters and the
year. All three period views and every unit filter are cut from this one grid, so two
views of the same data never disagree about what is hidden. The relations an attacker
can subtract along are:

- unit relation, per period: total = sum of the units (units partition O's people, so
  this holds for every figure, distinct counts included);
- time relations, per row: quarter = its three months; year = its four quarters. These
  are exact sums for meetings attended, recorded participations and pulse answers and
  score sums; for distinct people they are unions (the quarter is at most the sum).

1. Primary suppression: a cell whose base is below k is hidden (zero included: "no one
   in unit X" is a statement about every supervisor of X). A pulse cell is also hidden
   when its participation base is below k, so the pool of possible answerers is never
   smaller than k.
2. Complementary suppression, per relation, repeated until nothing changes: if exactly
   one cell of a relation is hidden, or the parent is shown and the hidden children
   together form a group smaller than k (their sum across units; across time for
   distinct people, at least the largest of them, or the parent itself when all are
   hidden), hide one more cell of that relation: the child with the smallest base,
   else the parent. Subtracting the shown cells from a shown parent then reveals only a
   combined figure of at least k people, never one hidden cell.
3. Audit: per-relation rules are not enough in a linked table (a hidden cell can be a
   "bridge" that several relations pin down together), so for the families with figures
   that add up over time (participation, pulse) all relations are solved together: a
   hidden cell is exactly computable from the shown ones iff its unit vector lies in the
   row space of the relations restricted to the hidden cells, i.e. iff the reduced row
   echelon form has a row with that cell alone. While some cell is, hide the smallest
   shown cell of a relation through it and go back to 2. (Distinct counts are audited
   over the unit relations, the only ones that are sums for them.)
4. Time order: the grid is built month by month, as the periods become reportable, and
   steps 1-3 may hide only cells that are new in that step (the month, and the quarter
   and year it completes; a relation's parent is always new when the relation
   completes, so a fix always exists). What was shown last month stays shown and what
   was hidden stays hidden, so comparing the page over time reveals nothing that one
   viewing does not.

Every hidden cell shows the same marker, "< k" (a group of fewer than k people is
protected here), whether it is small itself or hidden as a complement: a different
marker would tell that a complement is at least k and narrow the small cell down.

Known limits: figures use today's unit of each person, so moving a person between units
changes past figures (storing the unit with the membership would fix it), and so does
correcting attendance after the settling week; a difference of two shown headcounts
(e.g. enrolled minus stayed) counts joiners and leavers, a flow rather than a cell, and
is not suppressed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from forums.models import Membership
from members.models import Unit
from sessions_app.models import (
    PULSE_QUESTION_NAMES,
    ForumPulseAnswer,
    Meeting,
    OrganisationPulseAnswer,
    Participation,
)
from sessions_app.pulse.services import PULSE_OPEN_DAYS

SETTLE_DAYS = 7
GRANULARITIES = ("month", "quarter", "year")
# Stable machine names, in display order; the CSV header is "period,level,unit" + these.
FIGURES = (
    "enrolled",
    "participants",
    "meetings_attended",
    "attendance_rate",
    "stayed",
    "pulse_answers",
    "pulse_useful",
    "pulse_safe_place",
    "pulse_important_to_group",
    "pulse_helps_coping",
)
TOTAL = "total"
NO_UNIT = "no-unit"

Cell = tuple[int, int]  # (row index, period index)


# --- Periods and rows ---------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    key: str  # "2026-03", "2026-Q1", "2026"
    kind: str  # "month" | "quarter" | "year"
    year: int
    number: int  # month 1-12, quarter 1-4, or 1 for the year
    start: date
    end: date  # exclusive

    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes at local midnight (Europe/Helsinki), end exclusive."""
        zone = timezone.get_default_timezone()
        return (
            datetime.combine(self.start, datetime.min.time(), tzinfo=zone),
            datetime.combine(self.end, datetime.min.time(), tzinfo=zone),
        )


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def year_periods(year: int) -> list[Period]:
    """The 17 periods of a year in grid order: 12 months, 4 quarters, the year."""
    months = [
        Period(f"{year}-{m:02d}", "month", year, m, date(year, m, 1), _next_month(date(year, m, 1)))
        for m in range(1, 13)
    ]
    quarters = [
        Period(f"{year}-Q{q}", "quarter", year, q, months[3 * q - 3].start, months[3 * q - 1].end)
        for q in range(1, 5)
    ]
    return [
        *months,
        *quarters,
        Period(str(year), "year", year, 1, date(year, 1, 1), date(year + 1, 1, 1)),
    ]


def is_reportable(period: Period, today: date) -> bool:
    return period.end + timedelta(days=SETTLE_DAYS) <= today


def default_year(today: date) -> int:
    """This year once its first month is reportable, else last year."""
    return today.year if is_reportable(year_periods(today.year)[0], today) else today.year - 1


@dataclass(frozen=True)
class Row:
    key: str  # "unit-<id>", NO_UNIT or TOTAL
    kind: str  # "unit" | "no_unit" | "total"
    name: str = ""  # the unit's name; empty for the others (templates label them)
    unit_id: int | None = None


def organisation_units(organisation_id: int) -> list[Unit]:
    return list(Unit.objects.filter(organisation_id=organisation_id).order_by("name", "pk"))


# --- Result -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    period: Period
    row: Row
    figures: dict[str, int | float | None]  # None: hidden


@dataclass
class Report:
    """Suppressed figures of one organisation and year. Every HR page and export reads
    this object; nothing else in it identifies a person."""

    organisation_id: int
    year: int
    threshold: int
    rows: list[Row]
    periods: list[Period]  # reportable ones, grid order
    figures: dict[tuple[str, str], dict[str, int | float | None]] = field(default_factory=dict)

    def periods_of(self, granularity: str) -> list[Period]:
        return [period for period in self.periods if period.kind == granularity]

    def row(self, key: str) -> Row | None:
        return next((row for row in self.rows if row.key == key), None)

    def lines(self, granularity: str, row_key: str | None = None) -> list[Line]:
        """Period by period: the unit rows (or just `row_key`) and the total."""
        rows = [r for r in self.rows if row_key in (None, r.key) or r.kind == "total"]
        return [
            Line(period, row, self.figures[(row.key, period.key)])
            for period in self.periods_of(granularity)
            for row in rows
        ]

    def series(self, granularity: str, row_key: str = TOTAL) -> list[Line]:
        row = self.row(row_key) or self.row(TOTAL)
        return [
            Line(period, row, self.figures[(row.key, period.key)])
            for period in self.periods_of(granularity)
        ]


# --- Queries: a fixed number, whatever the data size --------------------------------------
#
# Each query returns a small result (per unit, month and person, or per membership) that
# is counted up here, rather than one filtered aggregate per period: compiling ~85
# filtered aggregates took Django about as long as the database took to answer them.
# Distinct people do not add up over months, so the participation query keeps the person
# in its grouping and a quarter's or the year's participants are the union of its months'
# sets of people.

# Per unit: a list with one number per reportable period, in grid order.
Counts = dict[int | None, dict[str, list[int]]]
PARTICIPATION_COUNTS = ("participants", "attended", "recorded")
MEMBERSHIP_COUNTS = ("enrolled", "stayed")
PULSE_COUNTS = ("answers", *PULSE_QUESTION_NAMES)


def _span(periods: list[Period]) -> tuple[datetime, datetime]:
    """From the start of the earliest period to the end of the latest (grid order puts
    quarters after months, so the last period is not necessarily the latest)."""
    starts, ends = zip(*(period.bounds() for period in periods), strict=True)
    return min(starts), max(ends)


def _months(periods: list[Period]) -> list[list[int]]:
    """Per period, the numbers of the reportable months it consists of."""
    return [
        [p.number for p in periods if p.kind == "month" and q.start <= p.start and p.end <= q.end]
        for q in periods
    ]


def _membership_counts(organisation_id: int, periods: list[Period]) -> Counts:
    """Enrolled and stayed per unit and period, from O's memberships overlapping the
    periods (one row per membership: people × forums, a few hundred per organisation)."""
    first, last = _span(periods)
    memberships = (
        Membership.objects.filter(user__organisation_id=organisation_id, joined_at__lt=last)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=first))
        .order_by()
        .values_list("user__unit_id", "user_id", "joined_at", "ended_at")
    )
    # In UTC like the database's values: comparing datetimes of one time zone is cheap.
    bounds = [tuple(moment.astimezone(UTC) for moment in period.bounds()) for period in periods]
    people: dict = {}  # unit id -> (enrolled, stayed): a set of people per period
    for unit_id, user_id, joined, ended in memberships:
        enrolled, stayed = people.setdefault(
            unit_id, ([set() for _ in periods], [set() for _ in periods])
        )
        for index, (start, end) in enumerate(bounds):
            if joined < end and (ended is None or ended > start):  # overlaps the period
                enrolled[index].add(user_id)
            if joined <= start and (ended is None or ended >= end):  # covers it
                stayed[index].add(user_id)
    return {
        unit_id: {
            "enrolled": [len(s) for s in enrolled],
            "stayed": [len(s) for s in stayed],
        }
        for unit_id, (enrolled, stayed) in people.items()
    }


def _participation_counts(
    organisation_id: int, periods: list[Period], months: list[list[int]]
) -> Counts:
    """Participants, attended and recorded per unit and period, from one query grouped
    by unit, month and person (at most people × months rows)."""
    first, last = _span(periods)
    rows = (
        Participation.objects.filter(
            user__organisation_id=organisation_id,
            meeting__status=Meeting.Status.HELD,
            meeting__starts_at__gte=first,
            meeting__starts_at__lt=last,
        )
        .annotate(month=ExtractMonth("meeting__starts_at", tzinfo=timezone.get_default_timezone()))
        .order_by()
        .values_list("user__unit_id", "month", "user_id")
        .annotate(
            attended_count=Count("id", filter=Q(attended=True)),
            recorded_count=Count("id", filter=Q(attended__isnull=False)),
        )
    )
    people: dict[tuple, set] = {}  # (unit id, month) -> the people who attended
    sums: dict[tuple, list[int]] = {}  # (unit id, month) -> [attended, recorded]
    for unit_id, month, user_id, attended, recorded in rows:
        key = (unit_id, month)
        if key in sums:
            sums[key][0] += attended
            sums[key][1] += recorded
        else:
            sums[key], people[key] = [attended, recorded], set()
        if attended:
            people[key].add(user_id)
    result: Counts = {}
    for unit_id in {unit_id for unit_id, _month in sums}:
        participants, attended, recorded = [], [], []
        for numbers in months:
            keys = [(unit_id, number) for number in numbers if (unit_id, number) in sums]
            participants.append(len(set().union(*(people[key] for key in keys))))
            attended.append(sum(sums[key][0] for key in keys))
            recorded.append(sum(sums[key][1] for key in keys))
        result[unit_id] = {
            "participants": participants,
            "attended": attended,
            "recorded": recorded,
        }
    return result


def _pulse_counts(organisation_id: int, periods: list[Period], months: list[list[int]]) -> Counts:
    """Pulse answers and score sums per unit and period, from one query grouped by unit
    and month of answering."""
    year = periods[0].year
    rows = (
        OrganisationPulseAnswer.objects.filter(
            organisation_id=organisation_id,
            month__gte=date(year, 1, 1),
            month__lt=date(year + 1, 1, 1),
        )
        .order_by()
        .values_list("unit_id", "month")
        .annotate(answers=Count("id"), **{f"{q}_sum": Sum(q) for q in PULSE_QUESTION_NAMES})
    )
    by_unit: dict = {}  # unit id -> month -> [answers, sum per question]
    for unit_id, month, *values in rows:
        by_unit.setdefault(unit_id, {})[month.month] = [value or 0 for value in values]
    result: Counts = {}
    zeros = [0] * len(PULSE_COUNTS)
    for unit_id, by_month in by_unit.items():
        per_period = [
            [sum(c) for c in zip(zeros, *(by_month.get(n, zeros) for n in numbers), strict=True)]
            for numbers in months
        ]
        result[unit_id] = {
            name: [figures[index] for figures in per_period]
            for index, name in enumerate(PULSE_COUNTS)
        }
    return result


# --- Building the grid --------------------------------------------------------------------


def participation_report(
    organisation_id: int,
    *,
    year: int,
    today: date | None = None,
    units: list[Unit] | None = None,
    threshold: int | None = None,
) -> Report:
    """The suppressed report of one organisation and year.

    Runs at most four queries (units unless given, memberships, participations, pulse),
    whatever the data size. Callers choose the organisation; only members.roles
    .hr_organisation_id(user) may be passed on behalf of an HR viewer.
    """
    today = today or timezone.localdate()
    threshold = threshold or settings.FOORUMIX_MIN_GROUP_SIZE
    if units is None:
        units = organisation_units(organisation_id)
    periods = [p for p in year_periods(year) if is_reportable(p, today)]
    unit_rows = [Row(f"unit-{u.pk}", "unit", u.name, u.pk) for u in units]
    if not periods:
        return Report(organisation_id, year, threshold, [*unit_rows, Row(TOTAL, "total")], [])

    months = _months(periods)
    counts: Counts = {}
    for source in (
        _membership_counts(organisation_id, periods),
        _participation_counts(organisation_id, periods, months),
        _pulse_counts(organisation_id, periods, months),
    ):
        for unit_id, figures in source.items():
            counts.setdefault(unit_id, {}).update(figures)

    # A unit id that is not one of O's units (inconsistent data) counts as "no unit", so
    # another organisation's unit name can never appear.
    known = {u.pk for u in units}
    rows = list(unit_rows)
    if any(unit_id not in known for unit_id in counts):
        rows.append(Row(NO_UNIT, "no_unit"))
    rows.append(Row(TOTAL, "total"))
    grid = _Grid(rows, periods)

    names = (*MEMBERSHIP_COUNTS, *PARTICIPATION_COUNTS, *PULSE_COUNTS)
    zeros = [0] * len(periods)
    values = []  # per row: {name: one number per period}
    for row in rows:
        if row.kind == "unit":
            unit = counts.get(row.unit_id, {})
            values.append({name: unit.get(name, zeros) for name in names})
            continue
        # Units partition O's people, so adding them up is exact, distinct counts included.
        parts = [c for u, c in counts.items() if row.kind == "total" or u not in known]
        values.append(
            {
                name: [
                    sum(c) for c in zip(zeros, *(p.get(name, zeros) for p in parts), strict=True)
                ]
                for name in names
            }
        )
    base: dict[str, dict[Cell, int]] = {
        family: {(r, p): n for r, row in enumerate(values) for p, n in enumerate(row[name])}
        for family, name in _FAMILY_BASES.items()
    }

    hidden = {}
    for name, family in _FAMILIES.items():
        extra = set()
        if name == "pulse":
            extra = {c for c, n in base["participation"].items() if n < threshold}
        hidden[name] = grid.suppress(base[name], family, threshold, extra_primary=extra)

    report = Report(organisation_id, year, threshold, rows, periods)
    for r, row in enumerate(rows):
        for p, period in enumerate(periods):
            shown = {name: (r, p) not in cells for name, cells in hidden.items()}
            report.figures[(row.key, period.key)] = _figures(values[r], p, shown)
    return report


def _figures(values: dict[str, list[int]], p: int, shown: dict[str, bool]) -> dict:
    """The figures of period number p of one row, None where its family is hidden."""
    figures: dict[str, int | float | None] = dict.fromkeys(FIGURES)
    if shown["enrolled"]:
        figures["enrolled"] = values["enrolled"][p]
    if shown["stayed"]:
        figures["stayed"] = values["stayed"][p]
    if shown["participation"]:
        attended, recorded = values["attended"][p], values["recorded"][p]
        figures["participants"] = values["participants"][p]
        figures["meetings_attended"] = attended
        figures["attendance_rate"] = round(100 * attended / recorded) if recorded else None
    if shown["pulse"]:
        answers = values["answers"][p]
        figures["pulse_answers"] = answers
        for question in PULSE_QUESTION_NAMES:
            figures[f"pulse_{question}"] = round(values[question][p] / answers, 1)
    return figures


# --- Suppression --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Family:
    distinct: bool  # the base counts distinct people: over time it is a union, not a sum
    additive_in_time: bool  # has figures that are exact sums over time (audit those too)


_FAMILIES = {
    "enrolled": _Family(distinct=True, additive_in_time=False),
    "participation": _Family(distinct=True, additive_in_time=True),
    "stayed": _Family(distinct=True, additive_in_time=False),
    "pulse": _Family(distinct=False, additive_in_time=True),
}
# The count each family rests on (see the module docstring).
_FAMILY_BASES = {
    "enrolled": "enrolled",
    "participation": "participants",
    "stayed": "stayed",
    "pulse": "answers",
}


@dataclass(frozen=True)
class _Relation:
    kind: str  # "unit" | "time"
    parent: Cell
    children: tuple[Cell, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        return (self.parent, *self.children)


class _Grid:
    """Rows × reportable periods, the relations between cells and the order in which
    cells become reportable."""

    def __init__(self, rows: list[Row], periods: list[Period]):
        self.rows = rows
        self.periods = periods
        self.index = {period.key: p for p, period in enumerate(periods)}
        total = len(rows) - 1
        units = range(total)
        self.steps: list[tuple[list[Cell], list[_Relation]]] = []
        for month in (p for p in periods if p.kind == "month"):
            completed = [month]
            for period in periods:
                if period.kind != "month" and period.end == month.end:
                    completed.append(period)  # the quarter (and year) it completes
            cells, relations = [], []
            for period in completed:
                p = self.index[period.key]
                cells += [(r, p) for r in range(len(rows))]
                relations.append(_Relation("unit", (total, p), tuple((r, p) for r in units)))
                parts = self._parts(period)
                if parts:
                    for r in range(len(rows)):
                        relations.append(_Relation("time", (r, p), tuple((r, q) for q in parts)))
            self.steps.append((cells, relations))

    def _parts(self, period: Period) -> list[int]:
        kind = {"quarter": "month", "year": "quarter"}.get(period.kind)
        return [
            self.index[p.key]
            for p in self.periods
            if p.kind == kind and period.start <= p.start and p.end <= period.end
        ]

    def suppress(
        self, base: dict[Cell, int], family: _Family, k: int, *, extra_primary: set[Cell]
    ) -> set[Cell]:
        hidden: set[Cell] = set()
        relations: list[_Relation] = []
        # Cells left computable when no new cell could protect them (not expected to
        # happen, see _audit_fix); remembered so later steps do not hide in vain.
        stuck: set[Cell] = set()
        # The relations of earlier steps hold only earlier cells, whose hiding is final:
        # they can offer no new cell to hide (so _relation_fix skips them) and their
        # elimination is carried over from step to step instead of being redone.
        earlier = _Echelon()
        for cells, new_relations in self.steps:
            new = set(cells)
            hidden |= {c for c in new if base[c] < k or c in extra_primary}
            relations += new_relations
            audited = [r for r in relations if r.kind == "unit" or family.additive_in_time]
            new_audited = [r for r in new_relations if r.kind == "unit" or family.additive_in_time]
            while True:
                cell = _relation_fix(new_relations, hidden, new, base, family, k)
                if cell is None:
                    echelon = earlier.extended(new_audited, hidden)
                    determined = echelon.determined() - stuck
                    cell = _audit_fix(determined, audited, new_relations, hidden, new, base)
                    if cell is None:
                        stuck |= determined
                if cell is None:
                    break
                hidden.add(cell)
            earlier = echelon  # built with this step's final hiding
        return hidden


def _combined_size(relation: _Relation, hidden: set[Cell], base, family: _Family) -> int:
    """A lower bound on the people behind the hidden children taken together."""
    parts = [c for c in relation.children if c in hidden]
    if len(parts) == len(relation.children):
        return base[relation.parent]
    if relation.kind == "unit" or not family.distinct:
        return sum(base[c] for c in parts)
    return max(base[c] for c in parts)


def _candidate(cells: Iterable[Cell], relation_parent: Cell | None, hidden, new, base):
    """The shown new cell cheapest to hide: smallest base, children before parents."""
    options = [c for c in cells if c in new and c not in hidden]
    if not options:
        return None
    return min(options, key=lambda c: (base[c], c == relation_parent, c))


def _relation_fix(relations, hidden, new, base, family, k) -> Cell | None:
    for relation in relations:
        inside = [c for c in relation.cells if c in hidden]
        if not inside:
            continue
        unsafe = len(inside) == 1 or (
            relation.parent not in hidden and _combined_size(relation, hidden, base, family) < k
        )
        if unsafe:
            cell = _candidate(relation.cells, relation.parent, hidden, new, base)
            if cell is not None:
                return cell
    return None


def _audit_fix(determined, relations, new_relations, hidden, new, base) -> Cell | None:
    """A new cell to hide so that the first determined cell is no longer computable.

    The combination of relations that pins a cell down goes through the cell itself and,
    since the grid was safe before this step, through at least one new relation; so
    hide the cheapest new cell of the relations through the cell, else of the new
    relations that hold hidden cells."""
    for cell in sorted(determined):
        through = {c for r in relations if cell in r.cells for c in r.cells}
        choice = _candidate(through, None, hidden, new, base)
        if choice is None:
            linked = {c for r in new_relations if set(r.cells) & hidden for c in r.cells}
            choice = _candidate(linked, None, hidden, new, base)
        if choice is not None:
            return choice
    return None


def exactly_determined(relations: Iterable[_Relation], hidden: set[Cell]) -> set[Cell]:
    """Hidden cells whose value follows exactly from the shown cells and the relations.

    Each relation says parent - sum(children) = 0; shown cells are known constants.
    Gauss-Jordan elimination over the hidden cells: a cell is determined iff it is a
    pivot whose reduced row holds no other cell. Exact arithmetic: the rows stay whole
    numbers while pivots are +-1 (as they are for these sum tables), else fractions.
    """
    return _Echelon().extended(relations, hidden).determined()


class _Echelon:
    """The reduced row echelon form of some relations restricted to the hidden cells
    (see exactly_determined), extended one relation at a time. Rows are never changed in
    place, so extending a copy leaves the original as it was."""

    def __init__(self, pivots: dict[Cell, dict[Cell, int | Fraction]] | None = None):
        self.pivots = pivots or {}

    def extended(self, relations: Iterable[_Relation], hidden: set[Cell]) -> _Echelon:
        pivots = dict(self.pivots)
        for relation in relations:
            row: dict[Cell, int | Fraction] = {c: -1 for c in relation.children if c in hidden}
            if relation.parent in hidden:
                row[relation.parent] = 1
            for pivot in [c for c in row if c in pivots]:
                factor = row.pop(pivot)
                for c, v in pivots[pivot].items():
                    if c != pivot:
                        row[c] = row.get(c, 0) - factor * v
            row = {c: v for c, v in row.items() if v}
            if not row:
                continue
            pivot = min(row)
            scale = row[pivot]
            inverse = scale if scale in (1, -1) else Fraction(1, 1) / scale
            row = {c: v * inverse for c, v in row.items()}
            for other_pivot, other in [(p, o) for p, o in pivots.items() if pivot in o]:
                factor = other[pivot]
                other = dict(other)
                for c, v in row.items():
                    value = other.get(c, 0) - factor * v
                    if value:
                        other[c] = value
                    else:
                        other.pop(c, None)
                pivots[other_pivot] = other
            pivots[pivot] = row
        return _Echelon(pivots)

    def determined(self) -> set[Cell]:
        return {pivot for pivot, row in self.pivots.items() if len(row) == 1}


# --- The forum's own pulse, for its coordinators ------------------------------------------


@dataclass(frozen=True)
class PulseResult:
    day: date | None  # the meeting's day; None for "all shown meetings"
    answers: int | None  # None: fewer than the threshold
    averages: dict[str, float] | None


@dataclass
class ForumPulseSummary:
    threshold: int
    meetings: list[PulseResult]  # meetings whose pulse has closed, newest first
    overall: PulseResult | None  # over the shown meetings only
    still_open: int  # held meetings whose pulse is still collecting answers


def forum_pulse_summary(
    forum_id: int, *, today: date | None = None, threshold: int | None = None
) -> ForumPulseSummary:
    """Averages per held meeting of one forum, for its coordinators (the caller checks
    that with forums.access.get_forum_for_coordinator). Two queries.

    A meeting appears only once its pulse has closed, so its figures never change
    afterwards (a later answer could otherwise be read off as a difference), and its
    averages only with at least `threshold` answers. The overall averages cover the shown
    meetings only, so they add nothing that the rows do not already show.
    """
    today = today or timezone.localdate()
    threshold = threshold or settings.FOORUMIX_MIN_GROUP_SIZE
    last_closed = today - timedelta(days=PULSE_OPEN_DAYS + 1)
    starts = Meeting.objects.filter(
        forum_id=forum_id, status=Meeting.Status.HELD, starts_at__lt=timezone.now()
    ).values_list("starts_at", flat=True)
    days = sorted({timezone.localdate(moment) for moment in starts}, reverse=True)
    rows = (
        ForumPulseAnswer.objects.filter(forum_id=forum_id, answered_on__lte=last_closed)
        .order_by()
        .values("answered_on")
        .annotate(answers=Count("id"), **{q: Sum(q) for q in PULSE_QUESTION_NAMES})
    )
    by_day = {row["answered_on"]: row for row in rows}
    meetings, shown = [], []
    for day in (d for d in days if d <= last_closed):
        row = by_day.get(day)
        if row and row["answers"] >= threshold:
            shown.append(row)
            meetings.append(PulseResult(day, row["answers"], _averages(row, row["answers"])))
        else:
            meetings.append(PulseResult(day, None, None))
    overall = None
    if shown:
        totals = {q: sum(row[q] for row in shown) for q in PULSE_QUESTION_NAMES}
        answers = sum(row["answers"] for row in shown)
        overall = PulseResult(None, answers, _averages(totals, answers))
    return ForumPulseSummary(
        threshold, meetings, overall, still_open=sum(1 for d in days if d > last_closed)
    )


def _averages(sums: dict, answers: int) -> dict[str, float]:
    return {q: round(sums[q] / answers, 1) for q in PULSE_QUESTION_NAMES}


# --- CSV ----------------------------------------------------------------------------------


CSV_HEADER = ("period", "level", "unit", *FIGURES)


def csv_rows(report: Report, granularity: str) -> list[list[str]]:
    """The same lines as the page, hidden figures as "<k"."""
    marker = f"<{report.threshold}"
    lines = [list(CSV_HEADER)]
    for line in report.lines(granularity):
        cells = [line.period.key, line.row.kind, line.row.name]
        for name in FIGURES:
            value = line.figures[name]
            cells.append(marker if value is None else str(value))
        lines.append(cells)
    return lines
