"""Disclosure control for the HR report: which cells of a grid of counts to hide.

Pure Python, no Django and no database: sessions_app/hr/report.py hands in the counts
each figure rests on and gets back the cells to hide.

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

Known limit: a difference of two shown headcounts (e.g. enrolled minus stayed) counts
joiners and leavers, a flow rather than a cell, and is not suppressed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Protocol

Cell = tuple[int, int]  # (row index, period index)


class GridPeriod(Protocol):
    """What the grid needs of a period (sessions_app.hr.periods.Period has it)."""

    key: str
    kind: str  # "month" | "quarter" | "year"
    start: date
    end: date  # exclusive


@dataclass(frozen=True)
class Family:
    distinct: bool  # the base counts distinct people: over time it is a union, not a sum
    additive_in_time: bool  # has figures that are exact sums over time (audit those too)


# The families of the table above: what subtraction along time can reveal of each.
FAMILIES = {
    "enrolled": Family(distinct=True, additive_in_time=False),
    "participation": Family(distinct=True, additive_in_time=True),
    "stayed": Family(distinct=True, additive_in_time=False),
    "pulse": Family(distinct=False, additive_in_time=True),
}


@dataclass(frozen=True)
class Relation:
    kind: str  # "unit" | "time"
    parent: Cell
    children: tuple[Cell, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        return (self.parent, *self.children)


class Grid:
    """Rows × reportable periods, the relations between cells and the order in which
    cells become reportable. `rows` are the unit rows followed by the total (only their
    number matters here); `periods` the reportable ones in grid order."""

    def __init__(self, rows: Sequence[object], periods: Sequence[GridPeriod]):
        self.rows = rows
        self.periods = periods
        self.index = {period.key: p for p, period in enumerate(periods)}
        total = len(rows) - 1
        units = range(total)
        self.steps: list[tuple[list[Cell], list[Relation]]] = []
        for month in (p for p in periods if p.kind == "month"):
            completed = [month]
            for period in periods:
                if period.kind != "month" and period.end == month.end:
                    completed.append(period)  # the quarter (and year) it completes
            cells, relations = [], []
            for period in completed:
                p = self.index[period.key]
                cells += [(r, p) for r in range(len(rows))]
                relations.append(Relation("unit", (total, p), tuple((r, p) for r in units)))
                parts = self._parts(period)
                if parts:
                    for r in range(len(rows)):
                        relations.append(Relation("time", (r, p), tuple((r, q) for q in parts)))
            self.steps.append((cells, relations))

    def _parts(self, period: GridPeriod) -> list[int]:
        kind = {"quarter": "month", "year": "quarter"}.get(period.kind)
        return [
            self.index[p.key]
            for p in self.periods
            if p.kind == kind and period.start <= p.start and p.end <= period.end
        ]

    def suppress(
        self, base: dict[Cell, int], family: Family, k: int, *, extra_primary: set[Cell]
    ) -> set[Cell]:
        """The cells of one family to hide: steps 1-4 of the module docstring, month by
        month. `base` is the family's base per cell, `extra_primary` cells to hide
        whatever their base (the pulse cells whose participation base is below k)."""
        hidden: set[Cell] = set()
        relations: list[Relation] = []
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


def _combined_size(relation: Relation, hidden: set[Cell], base, family: Family) -> int:
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


def exactly_determined(relations: Iterable[Relation], hidden: set[Cell]) -> set[Cell]:
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

    def extended(self, relations: Iterable[Relation], hidden: set[Cell]) -> _Echelon:
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
