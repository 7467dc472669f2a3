"""Witnesses: other sets of counts that the viewer cannot tell from the true ones.

Pure Python. A hidden figure is protected when, besides its true value, the published
report is also consistent with at least two other values of it. We show that by
construction: a *direction* d changes hidden figures (and the never shown recorded
participations and score sums) in a pattern that keeps every additive relation
(units -> total, months -> quarter -> year); every constraint of
sessions_app/hr/knowledge.py is linear, so the t for which truth + t * d satisfies them
all form an interval, computed exactly here. If it holds two non-zero t, the figure
takes three different values in reports the viewer cannot tell apart, so no solver,
however exact, can narrow it to fewer. This is a sufficient condition: a figure we
cannot certify is hidden more, never declared safe.

Directions start as moves between two rows of one period (two units in opposite
directions, or a unit and the total in the same one), carried up to the quarter and
year for quantities that add up over time, or balanced by a second period under the same
parent (a rectangle). Quantities move together as one person would move them (enrolled,
maybe for the whole period, maybe recorded at a meeting, maybe attending), or as one
attendance, or one pulse answer with its scores. When a constraint still blocks, a
repair move on one of its quantities is added (a short depth-first search).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from sessions_app.hr.knowledge import (
    ANSWERS,
    ATTENDED,
    ENROLLED,
    PARTICIPANTS,
    RECORDED,
    STAYED,
    Constraint,
    Knowledge,
    Var,
)

PROFILES = (
    (PARTICIPANTS, ATTENDED),
    (ATTENDED,),
    (ATTENDED, RECORDED),
    (ENROLLED,),
    (STAYED,),
    (RECORDED,),
    (PARTICIPANTS,),
    (ENROLLED, STAYED),
    (ENROLLED, RECORDED),
    (PARTICIPANTS, ATTENDED, RECORDED),
    (ENROLLED, STAYED, RECORDED),
    (ENROLLED, PARTICIPANTS, ATTENDED, RECORDED),
    (ENROLLED, STAYED, PARTICIPANTS, ATTENDED, RECORDED),
)
REPAIR_DEPTH = 3
REPAIR_BUDGET = 12  # directions looked at per repair search

Changes = dict[Var, int]


@dataclass(frozen=True)
class Move:
    """Rows `row` and `partner` of period `period` move by one unit of `coupling`
    ((quantity, multiplier) pairs): carried up to the ancestors ("here", for quantities
    that add up over time; "up" for all but stayed, "up-all" for all), over the whole of
    ancestor `other` ("span":
    as one person there all along), or balanced by period `other` ("sibling")."""

    row: int
    partner: int
    period: int
    coupling: tuple[tuple[str, int], ...]
    shape: str
    other: int | None = None


def direction(knowledge: Knowledge, move: Move) -> Changes | None:
    """The move's changes, or None when it would change something the viewer sees."""
    total = knowledge.layout.total
    signs = {move.row: 1, move.partner: 1 if total in (move.row, move.partner) else -1}
    changes: Changes = {}
    additive = knowledge.additive
    for quantity, multiplier in move.coupling:
        shape = _periods(knowledge, move, quantity in additive, quantity == STAYED)
        for p, coefficient in shape.items():
            for r, sign in signs.items():
                var = (quantity, r, p)
                changes[var] = changes.get(var, 0) + coefficient * multiplier * sign
    changes = {var: value for var, value in changes.items() if value}
    if not changes or not all(knowledge.changeable(var) for var in changes):
        return None
    return changes


def _periods(
    knowledge: Knowledge, move: Move, additive: bool, stayed: bool = False
) -> dict[int, int]:
    if move.shape == "sibling":
        return {move.period: 1, move.other: -1}
    layout = knowledge.layout
    if move.shape == "span":
        top = move.other
        cells = {}
        for inner in subtree(layout, top):
            cells[inner] = len(layout.leaves[inner]) if additive else 1
        for a in layout.ancestors[top]:
            if a in knowledge.reportable:
                cells[a] = len(layout.leaves[top]) if additive else 1
        return cells
    cells = {move.period: 1}
    # A stayer more in a month needs no change above it (stayed of a whole <= of each
    # part), one fewer may ("up-all" carries stayed up as well).
    if additive or (move.shape == "up" and not stayed) or move.shape == "up-all":
        cells.update({a: 1 for a in layout.ancestors[move.period] if a in knowledge.reportable})
    return cells


def subtree(layout, p: int) -> list[int]:
    return [p, *(inner for c in layout.children[p] for inner in subtree(layout, c))]


def touched(knowledge: Knowledge, changes: Changes) -> list[Constraint]:
    """Every constraint on a changed value."""
    layout = knowledge.layout
    cells = {(r, p) for _q, r, p in changes}
    groups = set()
    for r, p in cells:
        parent = layout.parent[p]
        if parent is not None and parent in knowledge.reportable:
            groups.add((r, parent))
        if layout.children[p]:
            groups.add((r, p))
    found = [c for r, p in cells for c in knowledge.cell_constraints(r, p)]
    found += [c for r, p in groups for c in knowledge.time_constraints(r, p)]
    found += [c for p in {p for _r, p in cells} for c in knowledge.unit_constraints(p)]
    return found


def _effects(knowledge: Knowledge, changes: Changes) -> list[tuple[Constraint, int, int]]:
    """(constraint, its change per step, its slack at the truth) where it changes."""
    found = []
    get = changes.get
    for constraint in touched(knowledge, changes):
        change = 0
        for var, c in constraint.terms:
            moved = get(var)
            if moved:
                change += c * moved
        if change:
            found.append((constraint, change, constraint.slack))
    return found


def steps(knowledge: Knowledge, changes: Changes) -> tuple[int, int]:
    """The interval of t (lo, hi; empty when lo > hi) for which truth + t * changes
    satisfies every constraint."""
    lo, hi = -math.inf, math.inf
    for constraint, change, slack in _effects(knowledge, changes):
        if constraint.equal:
            return 1, 0
        if change > 0:
            hi = min(hi, slack // change)
        else:
            lo = max(lo, -(slack // -change))
    return lo, hi


def nonzero_steps(interval: tuple[int, int]) -> int:
    """How many t != 0 the interval holds (capped at 2, all that matters)."""
    lo, hi = interval
    count = 0
    for t in (-2, -1, 1, 2):
        count += lo <= t <= hi
    return min(count, 2)


def repaired(
    knowledge: Knowledge, changes: Changes, goal: tuple[int, ...], keep: set[Var]
) -> Changes | None:
    """`changes` plus repair moves such that every t of `goal` is feasible, or None.
    Repairs never change a variable of `keep`."""
    budget = [REPAIR_BUDGET]
    return _repair(knowledge, changes, goal, keep, REPAIR_DEPTH, budget, set())


def _repair(knowledge, changes, goal, keep, depth, budget, seen) -> Changes | None:
    budget[0] -= 1
    blocked = _first_blocked(knowledge, changes, goal)
    if blocked is None:
        return changes
    if depth == 0 or budget[0] <= 0:
        return None
    constraint, t = blocked
    for var, coefficient in constraint.terms:
        if var in keep or not knowledge.changeable(var):
            continue
        sign = -1 if t * coefficient > 0 else 1
        for move in _elementary(knowledge, var, sign):
            extra = direction(knowledge, move)
            if extra is None or any(v in keep for v in extra):
                continue
            combined = dict(changes)
            for v, value in extra.items():
                combined[v] = combined.get(v, 0) + value
            combined = {v: value for v, value in combined.items() if value}
            signature = frozenset(combined.items())
            if signature in seen:
                continue
            seen.add(signature)
            found = _repair(knowledge, combined, goal, keep, depth - 1, budget, seen)
            if found is not None:
                return found
            if budget[0] <= 0:
                return None
    return None


def _first_blocked(knowledge: Knowledge, changes: Changes, goal) -> tuple | None:
    for constraint, change, slack in _effects(knowledge, changes):
        for t in goal:
            if constraint.equal or t * change > slack:
                return constraint, t
    return None


def _elementary(knowledge: Knowledge, var: Var, sign: int) -> Iterator[Move]:
    quantity, r, p = var
    for partner in _partners(knowledge, quantity, r, p)[:3]:
        yield Move(r, partner, p, ((quantity, sign),), "here")
        for other in _siblings(knowledge.layout, p):
            yield Move(r, partner, p, ((quantity, sign),), "sibling", other)


def moves_for(knowledge: Knowledge, var: Var) -> Iterator[Move]:
    """Candidate moves that change `var`, the likeliest first."""
    quantity, r, p = var
    layout = knowledge.layout
    for base in [p, *(leaf for leaf in layout.leaves[p] if leaf != p)]:
        for partner in _partners(knowledge, quantity, r, base):
            for coupling in _couplings(knowledge, quantity, r, partner, base):
                yield Move(r, partner, base, coupling, "here")
                yield Move(r, partner, base, coupling, "up")
                if any(q == STAYED for q, _m in coupling):
                    yield Move(r, partner, base, coupling, "up-all")
                for other in _siblings(layout, base):
                    yield Move(r, partner, base, coupling, "sibling", other)
                for top in layout.ancestors[base]:
                    if top in knowledge.reportable:
                        yield Move(r, partner, base, coupling, "span", top)


def _partners(knowledge: Knowledge, quantity: str, r: int, p: int) -> list[int]:
    layout = knowledge.layout
    rows = layout.units if r == layout.total else [*layout.units, layout.total]
    found = [o for o in rows if o != r and knowledge.changeable((quantity, o, p))]
    return sorted(found, key=lambda o: (o == layout.total, knowledge.counts[(quantity, o, p)]))


def _siblings(layout, p: int) -> list[int]:
    parent = layout.parent[p]
    return [] if parent is None else [c for c in layout.children[parent] if c != p]


def _couplings(knowledge: Knowledge, quantity: str, r: int, partner: int, p: int):
    if quantity == ANSWERS or quantity in knowledge.scores:
        yield from _pulse_couplings(knowledge, quantity, r, partner, p)
        return
    for group in PROFILES:
        if quantity in group:
            yield tuple((q, 1) for q in group)


def _pulse_couplings(knowledge: Knowledge, quantity: str, r: int, partner: int, p: int):
    """A score moved alone (one answer scored differently), or a whole answer with
    scores like those of the row it leaves or joins, or all 3s."""
    if quantity != ANSWERS:
        yield ((quantity, 1),)
    counts = knowledge.counts
    seen = set()
    for source in (partner, r):
        n = counts[(ANSWERS, source, p)]
        if not n:
            continue
        scores = tuple(min(5, max(1, round(counts[(q, source, p)] / n))) for q in knowledge.scores)
        if scores not in seen:
            seen.add(scores)
            yield ((ANSWERS, 1), *zip(knowledge.scores, scores, strict=True))
    if (3,) * len(knowledge.scores) not in seen:
        yield ((ANSWERS, 1), *((q, 3) for q in knowledge.scores))
