"""Witnesses that replace one real person by another: the strongest kind, since each
side is one person's own counts, consistent in every cell and over time by
construction. Pure Python; used by sessions_app/hr/certify.py beside the moves of
sessions_app/hr/witness.py.

The people are those of the report's grid (sessions_app/hr/queries.py hands their
counts in without any identifier); the variants are the same person behaving a little
differently (absent from a month's meetings, not there for a whole month, ...), as
plausible as the person.
"""

from __future__ import annotations

from collections.abc import Iterator

from sessions_app.hr.knowledge import (
    ATTENDED,
    ENROLLED,
    PARTICIPANTS,
    RECORDED,
    STAYED,
    Knowledge,
    Var,
)
from sessions_app.hr.witness import Changes, subtree

PER_ROW = 6  # kinds of people per row used as witnesses
VARIED = 3  # of which varied (absent a month, ...)


def person_swaps(knowledge: Knowledge, var: Var) -> Iterator[Changes]:
    """Directions that replace one real person of a unit by another real person's counts
    in a unit (the same or another; either side may be nobody), over the largest
    reportable period holding var's period or over the year so far. Each side is one
    person's own counts, so every cell stays consistent by construction; the total
    changes by the difference, which must vanish where the total is shown."""
    quantity, r, p = var
    layout = knowledge.layout
    total = layout.total
    for span in _spans(knowledge, p):
        fixed = [
            (q, period)
            for q in (ENROLLED, STAYED, PARTICIPANTS, ATTENDED, RECORDED)
            for period in span
            if not knowledge.changeable((q, total, period))
        ]
        people, pool = _pool(knowledge, frozenset(span), quantity, p)
        # Only profiles whose every count falls on cells the viewer cannot see.
        fits = {row: _fitting(knowledge, row, profiles) for row, profiles in people.items()}
        by_sign: dict[tuple, list[tuple[int, tuple]]] = {}
        for row, profiles in fits.items():
            for profile in profiles:
                by_sign.setdefault(_sign(profile, fixed), []).append((row, profile))
        takers = [r] if r != total else list(layout.units)
        adding = {taker: [(), *_fitting(knowledge, taker, pool)] for taker in takers}
        for taker, added_ones in adding.items():
            for added in added_ones:
                removals = [(None, ())] + by_sign.get(_sign(added, fixed), [])
                for giver, removed in removals:
                    if added == removed or (r != total and r not in (taker, giver)):
                        continue
                    if r != total and not _touches(
                        added if taker == r else (), removed if giver == r else (), quantity, p
                    ):
                        continue
                    changes = _swap(layout, taker if added else None, added, giver, removed)
                    if changes.get(var) and all(knowledge.changeable(v) for v in changes):
                        yield changes


def _fitting(knowledge: Knowledge, row: int, profiles) -> list[tuple]:
    """The profiles (distinct) that move only changeable counts of `row`."""
    profiles = list(dict.fromkeys(profiles))
    cells = {qp for profile in profiles for qp, _n in profile}
    allowed = {qp for qp in cells if knowledge.changeable((qp[0], row, qp[1]))}
    return [profile for profile in profiles if all(qp in allowed for qp, _n in profile)]


def _touches(added: tuple, removed: tuple, quantity: str, p: int) -> bool:
    """Does adding `added` and removing `removed` change the count `quantity` in p?"""
    return dict(added).get((quantity, p), 0) != dict(removed).get((quantity, p), 0)


def _pool(knowledge: Knowledge, span: frozenset, quantity: str, p: int):
    """Per row its people's profiles within the span, and every profile that may join
    a row: the real ones and their variants (cached per step: spans only grow)."""
    cache = knowledge.witness_cache
    key = (span, quantity, p)
    if key not in cache:
        people = {}
        pool: set[tuple] = set()
        for row, profiles in knowledge.people.items():
            # A few people of each row, spread over its kinds of people, are enough to
            # find witnesses; all of them would make large organisations slow.
            distinct = sorted({_within(profile, span) for profile in profiles})
            chosen = distinct[:: max(1, len(distinct) // PER_ROW)][:PER_ROW]
            people[row] = chosen
            pool |= set(chosen)
            for profile in chosen[:VARIED]:
                pool |= set(_variants(knowledge, profile, quantity, p))
        cache[key] = (people, sorted(pool))
    return cache[key]


def _variants(knowledge: Knowledge, profile: tuple, quantity: str, p: int) -> list[tuple]:
    """The same person behaving a little differently in p: absent from one month's
    meetings (or present at one they were recorded absent from), absent all through p
    (recorded or not), not a member for the whole of a month, or not a member in a month
    at all. Each is rebuilt from months, so as consistent as a real person."""
    layout = knowledge.layout
    values = dict(profile)
    periods = sorted({period for (_q, period) in values})
    months = {
        m: [values.get((q, m), 0) for q in (ENROLLED, STAYED, ATTENDED, RECORDED)]
        for m in periods
        if not layout.children[m]
    }
    leaves = [m for m in layout.leaves[p] if m in months]
    changes = []
    if quantity in (PARTICIPANTS, ATTENDED, RECORDED, ENROLLED):
        for m in leaves:
            e, s, a, r = months[m]
            changes.append({m: [e, s, 0, r]} if a else {m: [e, s, 1, r]} if r else {})
        changes.append({m: [*months[m][:2], 0, months[m][3]] for m in leaves})
        changes.append({m: [*months[m][:2], 0, 0] for m in leaves})  # and not recorded
    if quantity in (STAYED, ENROLLED):
        for m in leaves:
            e, s, a, r = months[m]
            changes += [{m: [e, 0, a, r]} if s else {}, {m: [0, 0, 0, 0]} if e else {}]
    found = []
    for change in changes:
        if change:
            found.append(_rebuilt(layout, periods, {**months, **change}))
    return found


def _rebuilt(layout, periods: list[int], months: dict[int, list[int]]) -> tuple:
    """A person's counts over `periods` from their months (enrolled, stayed,
    attended, recorded per month)."""
    found = {}
    for period in periods:
        parts = [months[m] for m in layout.leaves[period] if m in months]
        attended = sum(part[2] for part in parts)
        found[(ENROLLED, period)] = int(any(part[0] for part in parts))
        found[(STAYED, period)] = int(all(part[1] for part in parts))
        found[(PARTICIPANTS, period)] = int(attended > 0)
        found[(ATTENDED, period)] = attended
        found[(RECORDED, period)] = sum(part[3] for part in parts)
    return tuple(sorted((qp, n) for qp, n in found.items() if n))


def _spans(knowledge: Knowledge, p: int) -> list[set[int]]:
    layout = knowledge.layout
    top = p
    for a in layout.ancestors[p]:
        if a in knowledge.reportable:
            top = a
    spans = [set(subtree(layout, top)), set(knowledge.reportable)]
    return spans[:1] if spans[0] == spans[1] else spans


def _within(profile: tuple, span: set[int]) -> tuple:
    return tuple((qp, number) for qp, number in profile if qp[1] in span)


def _sign(profile: tuple, fixed: list) -> tuple:
    values = dict(profile)
    return tuple(values.get(qp, 0) for qp in fixed)


def _swap(layout, taker, added: tuple, giver, removed: tuple) -> Changes:
    changes: Changes = {}
    for row, profile, sign in ((taker, added, 1), (giver, removed, -1)):
        if row is None:
            continue
        for (q, period), number in profile:
            for target in (row, layout.total):
                var = (q, target, period)
                changes[var] = changes.get(var, 0) + sign * number
    return {var: value for var, value in changes.items() if value}
