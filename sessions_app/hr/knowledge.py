"""What an HR viewer can know about the counts behind the report: the attacker's model.

Pure Python. sessions_app/hr/suppression.py decides what to hide; this module writes
down, as linear constraints over whole numbers, everything that a viewer of the
published report knows. A hidden figure is safe when several sets of counts satisfy all
of them (sessions_app/hr/witness.py finds such sets).

Quantities, per (row, period): enrolled E, stayed S, participants P, meetings attended A,
recorded participations R (the rate's denominator, never shown), pulse answers N and one
score sum per pulse question U. Rows are O's units (and "no unit") followed by the
total; periods the reportable months, quarters and the year.

What the viewer knows:

- shown figures exactly: E, S, P, A, N (a changed value is never tried there); a shown
  rate r pins 100 A / R to [r - 1/2, r + 1/2] with an end included only when round()
  takes that half to r (to the even neighbour), a shown average a pins U / N to
  [a - 0.05, a + 0.05) (average() rounds halves up, in integers). These are exactly the
  values that display as shown: the truth always satisfies them (it may sit on an end)
  and so does every candidate;
- markers: "< k" says the family's base is below k (for the pulse: fewer than k answers,
  or fewer than k participants when those are marked "< k" too); ".." says the figure
  was hidden although its base is at least k (the rule is public, so the viewer can
  tell). Enrolled and stayed are one family with base enrolled (hidden also when fewer
  than k stayed);
- units add up to the total, for every quantity (units partition O's people);
- over time: A, R, N and U add up (quarter = its months, year = its quarters); E and P
  are unions (largest part <= whole <= sum of the parts); S of a whole is at most S of
  each part; and sum of the parts' E >= E + (parts - 1) * S (a stayer is in every part);
- in each cell: all >= 0, S <= E, P <= E, P <= A <= most_attended * P, A <= R <=
  most_recorded * E, N <= U <= 5 N, where most_attended / most_recorded are the most
  meetings one person of O attended / was recorded at in that period (an insider may
  know the forums' calendars, so we assume the tightest true bound is known).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

ENROLLED, STAYED, PARTICIPANTS = "enrolled", "stayed", "participants"
ATTENDED, RECORDED, ANSWERS = "attended", "recorded", "answers"
ADDITIVE = (ATTENDED, RECORDED, ANSWERS)  # plus every score sum
PEOPLE = (ENROLLED, STAYED, PARTICIPANTS)

# Families are hidden together; each rests on a count of people (its base). Enrolled
# and stayed form one family: stayed <= enrolled and the stayers are in every part of a
# period, so one of the two shown beside the other hidden would pin it.
FAMILY_BASE = {
    "enrolled": ENROLLED,
    "participation": PARTICIPANTS,
    "pulse": ANSWERS,
}
# The shown figures each family pins exactly (the rate and averages are bands).
FAMILY_FIGURES = {
    "enrolled": (ENROLLED, STAYED),
    "participation": (PARTICIPANTS, ATTENDED),
    "pulse": (ANSWERS,),
}
SMALL, OTHER = "small", "other"  # the two markers: "< k", and hidden with base >= k

Var = tuple[str, int, int]  # (quantity, row, period index)
Key = tuple[str, int, int]  # (family, row, period index)


@dataclass(frozen=True)
class Constraint:
    """sum(coefficient * value) <= bound, or == bound when `equal`; `slack` is the
    bound minus the true sum (set by Knowledge when the constraint is made)."""

    terms: tuple[tuple[Var, int], ...]
    bound: int
    equal: bool = False
    slack: int = 0


class GridPeriod(Protocol):
    """What the layout needs of a period (sessions_app.hr.periods.Period has it)."""

    key: str
    kind: str  # "month" | "quarter" | "year"
    start: date
    end: date  # exclusive


class Layout:
    """Rows x reportable periods, the time tree and the order in which periods become
    reportable. The total is the last row."""

    def __init__(self, rows: int, periods: Sequence[GridPeriod]):
        self.rows = rows
        self.total = rows - 1
        self.units = range(rows - 1)
        self.periods = periods
        self.children: list[list[int]] = [[] for _ in periods]
        self.parent: list[int | None] = [None] * len(periods)
        below = {"quarter": "month", "year": "quarter"}
        for p, period in enumerate(periods):
            for c, other in enumerate(periods):
                if other.kind == below.get(period.kind) and (
                    period.start <= other.start and other.end <= period.end
                ):
                    self.children[p].append(c)
                    self.parent[c] = p
        self.ancestors = [self._ancestors(p) for p in range(len(periods))]
        self.leaves = [self._leaves(p) for p in range(len(periods))]
        self.steps: list[list[int]] = []  # per reportable month: the periods it completes
        for month in periods:
            if month.kind == "month":
                done = [p for p, period in enumerate(periods) if period.end == month.end]
                self.steps.append(sorted(done, key=lambda p: len(self.leaves[p])))

    def _ancestors(self, p: int) -> list[int]:
        found, current = [], self.parent[p]
        while current is not None:
            found.append(current)
            current = self.parent[current]
        return found

    def _leaves(self, p: int) -> list[int]:
        if not self.children[p]:
            return [p]
        return [leaf for c in self.children[p] for leaf in self._leaves(c)]


@dataclass
class Knowledge:
    """The published state at one step: which periods exist, what is hidden and how,
    and the true counts (candidates are the truth plus a change)."""

    layout: Layout
    counts: dict[Var, int]
    scores: tuple[str, ...]
    threshold: int
    most_attended: Sequence[int]
    most_recorded: Sequence[int]
    reportable: set[int] = field(default_factory=set)
    hidden: dict[Key, str] = field(default_factory=dict)
    _cells: dict = field(default_factory=dict)  # (r, p) -> (markers, constraints)
    _static: dict = field(default_factory=dict)  # time and unit constraints, cached
    # Per row: the distinct profiles of its people, each ((quantity, period), count)
    # pairs with a count, for witnesses that move one person.
    people: dict[int, list[tuple[tuple[tuple[str, int], int], ...]]] = field(default_factory=dict)
    witness_cache: dict = field(default_factory=dict)  # sessions_app/hr/witness.py's

    def add_people(self, people) -> None:
        found: dict[int, set] = {}
        for r, values in people:
            profile = tuple(
                ((quantity, p), number)
                for quantity, numbers in values.items()
                for p, number in enumerate(numbers)
                if number
            )
            if profile:
                found.setdefault(r, set()).add(profile)
        self.people = {r: sorted(profiles) for r, profiles in found.items()}

    @property
    def additive(self) -> tuple[str, ...]:
        return (*ADDITIVE, *self.scores)

    def changeable(self, var: Var) -> bool:
        """May a candidate differ from the truth here? Only hidden figures and the never
        shown recorded participations and score sums (those within their bands)."""
        quantity, r, p = var
        if p not in self.reportable:
            return False
        if quantity == RECORDED or quantity in self.scores:
            return True
        return (family_of(quantity), r, p) in self.hidden

    def cell_constraints(self, r: int, p: int) -> list[Constraint]:
        markers = tuple(self.hidden.get((family, r, p)) for family in FAMILY_BASE)
        cached = self._cells.get((r, p))
        if cached is None or cached[0] != markers:
            found = _cell_constraints(self, r, p, dict(zip(FAMILY_BASE, markers, strict=True)))
            cached = (markers, self._with_slack(found))
            self._cells[(r, p)] = cached
        return cached[1]

    def _with_slack(self, constraints: list[Constraint]) -> list[Constraint]:
        counts = self.counts
        found = []
        for c in constraints:
            terms = tuple((var, k) for var, k in c.terms if k)
            found.append(
                Constraint(terms, c.bound, c.equal, c.bound - sum(k * counts[v] for v, k in terms))
            )
        return found

    def time_constraints(self, r: int, p: int) -> list[Constraint]:
        """Between period p of row r and its parts."""
        found = self._static.get(("time", r, p))
        if found is None:
            found = self._with_slack(self._time_constraints(r, p))
            self._static[("time", r, p)] = found
        return found

    def _time_constraints(self, r: int, p: int) -> list[Constraint]:
        kids = self.layout.children[p]
        found = [
            Constraint((((q, r, p), 1), *(((q, r, c), -1) for c in kids)), 0, equal=True)
            for q in self.additive
        ]
        for q in (ENROLLED, PARTICIPANTS):
            found += [Constraint((((q, r, c), 1), ((q, r, p), -1)), 0) for c in kids]
            found.append(Constraint((((q, r, p), 1), *(((q, r, c), -1) for c in kids)), 0))
        found += [Constraint((((STAYED, r, p), 1), ((STAYED, r, c), -1)), 0) for c in kids]
        terms = (((ENROLLED, r, p), 1), ((STAYED, r, p), len(kids) - 1))
        found.append(Constraint((*terms, *(((ENROLLED, r, c), -1) for c in kids)), 0))
        return found

    def unit_constraints(self, p: int) -> list[Constraint]:
        found = self._static.get(("units", p))
        if found is None:
            found = self._static[("units", p)] = self._with_slack(self._unit_constraints(p))
        return found

    def _unit_constraints(self, p: int) -> list[Constraint]:
        layout = self.layout
        return [
            Constraint(
                (((q, layout.total, p), 1), *(((q, u, p), -1) for u in layout.units)),
                0,
                equal=True,
            )
            for q in (*PEOPLE, *self.additive)
        ]


def _cell_constraints(knowledge: Knowledge, r: int, p: int, marks: dict) -> list[Constraint]:
    def v(quantity: str) -> Var:
        return (quantity, r, p)

    def le(*terms, bound: int = 0) -> Constraint:
        return Constraint(tuple((v(q), c) for q, c in terms), bound)

    e, s, people, a, rec, n = (
        ENROLLED,
        STAYED,
        PARTICIPANTS,
        ATTENDED,
        RECORDED,
        ANSWERS,
    )
    found = [le((q, -1)) for q in (e, s, people, a, rec, n)]
    found += [le((s, 1), (e, -1)), le((people, 1), (e, -1)), le((people, 1), (a, -1))]
    found += [le((a, 1), (people, -knowledge.most_attended[p])), le((a, 1), (rec, -1))]
    found.append(le((rec, 1), (e, -knowledge.most_recorded[p])))
    for q in knowledge.scores:
        found += [le((n, 1), (q, -1)), le((q, 1), (n, -5))]
    k = knowledge.threshold
    for family in ("enrolled", "participation"):
        base = FAMILY_BASE[family]
        if marks[family] == SMALL:
            found.append(le((base, 1), bound=k - 1))
        elif marks[family] == OTHER:
            found.append(le((base, -1), bound=-k))
    counts = knowledge.counts
    if marks["participation"] is None and counts[v(rec)]:
        found += rate_band(v(a), v(rec), rate(counts[v(a)], counts[v(rec)]))
    if marks["pulse"] == SMALL and marks["participation"] != SMALL:
        found.append(le((n, 1), bound=k - 1))
    elif marks["pulse"] == OTHER:
        found.append(le((n, -1), bound=-k))
    elif marks["pulse"] is None and counts[v(n)]:
        for q in knowledge.scores:
            found += average_band(v(q), v(n), average(counts[v(q)], counts[v(n)]))
    return found


def rate_band(attended: Var, recorded: Var, shown: int) -> list[Constraint]:
    """Exactly the (attended, recorded) with recorded > 0 that rate() shows as `shown`."""
    tie = shown % 2  # round() gives an exact half to the even neighbour
    return _band(attended, recorded, 200, 2 * shown, (-tie, -tie))


def average_band(total: Var, answers: Var, shown: float) -> list[Constraint]:
    """Exactly the (total, answers) with answers > 0 that average() shows as `shown`."""
    return _band(total, answers, 20, 2 * round(10 * shown), (0, -1))  # halves go up


def _band(top: Var, bottom: Var, scale: int, twice: int, ends: tuple[int, int]) -> list[Constraint]:
    """(twice - 1) / scale <= top / bottom <= (twice + 1) / scale, each end excluded when
    its entry of `ends` is -1 (how the shown value was rounded at an exact half)."""
    return [
        Constraint(((top, -scale), (bottom, twice - 1)), ends[0]),
        Constraint(((top, scale), (bottom, -(twice + 1))), ends[1]),
    ]


def family_of(quantity: str) -> str:
    if quantity in (PARTICIPANTS, ATTENDED, RECORDED):
        return "participation"
    if quantity in (ENROLLED, STAYED):
        return "enrolled"
    return "pulse"


def rate(attended: int, recorded: int) -> int | None:
    """The attendance rate as shown: whole per cent, None without records."""
    return round(100 * attended / recorded) if recorded else None


def average(total: int, answers: int) -> float | None:
    """A pulse average as shown: one decimal, an exact half rounded up (in integers, so
    that the bands above hold exactly), None without answers."""
    return (20 * total + answers) // (2 * answers) / 10 if answers else None
