"""Outer bounds of hidden figures by interval reasoning: a quick necessary condition.

Pure Python. Before sessions_app/hr/suppression.py tries to show a cell (and searches
for witnesses, which is slow), it asks what a viewer could conclude about the hidden
figures around it by propagating intervals over the constraints of
sessions_app/hr/knowledge.py for a few rounds. The bounds are outer ones: the exact set
of values a figure can take lies inside them, so a figure whose bounds hold fewer than
three values is certainly narrowed too far, while wide bounds prove nothing (that is what
the witnesses are for).
"""

from __future__ import annotations

import math

from sessions_app.hr.knowledge import (
    FAMILY_BASE,
    FAMILY_FIGURES,
    OTHER,
    SMALL,
    Constraint,
    Key,
    Knowledge,
    Var,
    family_of,
)

ROUNDS = 3
GLOBAL_ROUNDS = 6

Interval = tuple[float, float]


def around(knowledge: Knowledge, key: Key) -> list[tuple[int, int]]:
    """The cells whose figures showing `key` can narrow most directly: its own, the
    other rows of its period, and its row's periods above, below and beside it."""
    layout = knowledge.layout
    _family, r, p = key
    periods = {p, *layout.children[p]}
    parent = layout.parent[p]
    if parent is not None and parent in knowledge.reportable:
        periods |= {parent, *layout.children[parent]}
    cells = {(r, period) for period in periods if period in knowledge.reportable}
    cells |= {(row, p) for row in range(layout.rows)}
    return sorted(cells)


def bounds(
    knowledge: Knowledge, cells: list[tuple[int, int]], rounds: int = ROUNDS
) -> dict[Var, Interval]:
    """Outer bounds of the changeable figures of `cells` after `rounds` of propagation."""
    constraints = _constraints(knowledge, cells)
    found: dict[Var, Interval] = {}
    for constraint in constraints:
        for var, _c in constraint.terms:
            if var not in found:
                found[var] = start(knowledge, var)
    wanted = set(cells)
    inside = {var for var in found if knowledge.changeable(var) and var[1:] in wanted}
    # Only constraints with a figure to tighten, each run again only after one of its
    # figures changed: the same bounds as full rounds over all constraints, in order.
    constraints = [c for c in constraints if any(var in inside for var, _c in c.terms)]
    using: dict[Var, list[int]] = {}
    for index, constraint in enumerate(constraints):
        for var, _c in constraint.terms:
            using.setdefault(var, []).append(index)
    dirty = set(range(len(constraints)))
    for _round in range(rounds):
        if not dirty:
            break
        for index, constraint in enumerate(constraints):
            if index not in dirty:
                continue
            dirty.discard(index)
            for var in _tighten(constraint, found, inside):
                dirty.update(using[var])
    return {var: found[var] for var in inside}


def narrowed(knowledge: Knowledge) -> set[Var]:
    """The hidden figures (and score sums behind hidden averages) of the whole grid whose
    outer bounds hold fewer than three values."""
    layout = knowledge.layout
    cells = [(r, p) for r in range(layout.rows) for p in sorted(knowledge.reportable)]
    return {
        var
        for var, interval in bounds(knowledge, cells, rounds=GLOBAL_ROUNDS).items()
        if protected(knowledge, var) and narrow(interval)
    }


def protected(knowledge: Knowledge, var: Var) -> bool:
    """Is `var` a hidden figure (or a score sum behind a hidden average)?"""
    quantity, r, p = var
    family = family_of(quantity)
    if (family, r, p) not in knowledge.hidden:
        return False
    return quantity in FAMILY_FIGURES[family] or (
        family == "pulse" and quantity in knowledge.scores
    )


def _constraints(knowledge: Knowledge, cells) -> list[Constraint]:
    layout = knowledge.layout
    found = [c for r, p in cells for c in knowledge.cell_constraints(r, p)]
    groups = {(r, p) for r, p in cells if layout.children[p]}
    groups |= {
        (r, layout.parent[p])
        for r, p in cells
        if layout.parent[p] is not None and layout.parent[p] in knowledge.reportable
    }
    found += [c for r, p in groups for c in knowledge.time_constraints(r, p)]
    found += [c for p in {p for _r, p in cells} for c in knowledge.unit_constraints(p)]
    return found


def _tighten(constraint: Constraint, found: dict[Var, Interval], inside: set[Var]) -> list[Var]:
    """Tighten the bounds of the `inside` variables of one constraint; the changed ones."""
    parts = []
    low = high = 0.0
    for var, c in constraint.terms:
        a, b = found[var]
        part = (c * a, c * b) if c > 0 else (c * b, c * a)
        parts.append(part)
        low += part[0]
        high += part[1]
    bound, equal, isfinite = constraint.bound, constraint.equal, math.isfinite
    changed = []
    for (var, c), (part_low, part_high) in zip(constraint.terms, parts, strict=True):
        if var not in inside:
            continue
        lo, hi = old = found[var]
        above = bound - (low - part_low)  # c * var <= above
        below = (high - part_high) - bound  # -c * var <= below, when an equation
        if c > 0:
            if isfinite(above):
                hi = min(hi, math.floor(above / c + 1e-9))
            if equal and isfinite(below):
                lo = max(lo, math.ceil(-below / c - 1e-9))
        else:
            if isfinite(above):
                lo = max(lo, math.ceil(above / c - 1e-9))
            if equal and isfinite(below):
                hi = min(hi, math.floor(-below / c + 1e-9))
        if (lo, hi) != old:
            found[var] = (lo, hi)
            changed.append(var)
    return changed


def start(knowledge: Knowledge, var: Var) -> Interval:
    """What the viewer knows of one figure alone: its value when shown, else what its
    marker says (nothing beyond >= 0 for figures that are no family's base)."""
    if not knowledge.changeable(var):
        value = knowledge.counts[var]
        return value, value
    quantity, r, p = var
    family = family_of(quantity)
    marker = knowledge.hidden.get((family, r, p))
    if quantity != FAMILY_BASE[family]:
        return 0, math.inf
    if marker == OTHER:
        return knowledge.threshold, math.inf
    # "< k" on the pulse says nothing of the answers when participation is "< k" too.
    if marker == SMALL and not (
        family == "pulse" and knowledge.hidden.get(("participation", r, p)) == SMALL
    ):
        return 0, knowledge.threshold - 1
    return 0, math.inf


def narrow(interval: Interval) -> bool:
    lo, hi = interval
    return hi - lo < 2
