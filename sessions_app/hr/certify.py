"""What must stay uncertain for an HR viewer, and the certificates that it does.

Pure Python. A *form* is a linear function of the counts that the report must not pin
down (sessions_app/hr/suppression.py lists them):

- "range": a hidden figure (E, S, P, A, N, or a score sum behind a hidden average) must
  take at least three values in reports the viewer cannot tell apart;
- "open": a statement about every member of a group of fewer than 2k people that is
  true (everyone attended: E - P = 0; everyone was present whenever recorded: R - A =
  0; every answer was 5, or 1: U - 5N = 0, U - N = 0) must not follow from the report.

A form is certified by a direction from sessions_app/hr/witness.py along which the form
changes and the counts stay consistent with everything the viewer knows, for two
non-zero steps ("range") or one ("open").
"""

from __future__ import annotations

from dataclasses import dataclass

from sessions_app.hr.knowledge import Key, Knowledge, Var
from sessions_app.hr.swaps import person_swaps
from sessions_app.hr.witness import (
    Changes,
    direction,
    moves_for,
    nonzero_steps,
    steps,
)

RANGE, OPEN = "range", "open"
STARTS = 60  # first moves looked at per form
PAIRED = 6  # one-step directions combined in pairs
SWAPS = 40  # person swaps looked at per variable


@dataclass(frozen=True)
class Form:
    kind: str  # RANGE | OPEN
    terms: tuple[tuple[Var, int], ...]  # the linear function: (variable, coefficient)
    key: Key  # the (family, row, period) it belongs to, where fixes are looked for

    def change(self, changes: Changes) -> int:
        return sum(coefficient * changes.get(var, 0) for var, coefficient in self.terms)

    @property
    def needed(self) -> int:
        """Non-zero steps a certificate needs."""
        return 2 if self.kind == RANGE else 1

    @property
    def goals(self) -> tuple[tuple[int, ...], ...]:
        return ((1, -1), (1, 2), (-1, -2)) if self.kind == RANGE else ((1,), (-1,))


@dataclass
class _Found:
    changes: Changes
    interval: tuple[int, int]  # the feasible steps t
    valid: bool = True


Certificate = tuple[Changes, ...]


class _Values:
    """The values (as changes from the truth) that a form takes in candidates found so
    far, and the directions that give them."""

    def __init__(self, form: Form):
        self.form = form
        self.seen: set[int] = {0}
        self.used: list[Changes] = []
        self.one_step: list[Changes] = []  # directions feasible at t = 1

    def add(self, changes: Changes, interval: tuple[int, int]) -> None:
        change = self.form.change(changes)
        lo, hi = interval
        values = {t * change for t in (-2, -1, 1, 2) if lo <= t <= hi}
        if values - self.seen:
            self.seen |= values
            self.used.append(changes)
        if lo <= 1 <= hi and change:
            self.one_step.append(changes)

    @property
    def enough(self) -> bool:
        return len(self.seen) >= self.form.needed + 1


class Certifier:
    """Finds a certificate (directions giving the form enough values) for each form.
    Remembers the certificate of a form (tried first next time) and every direction
    found, so that one direction certifies all the forms it moves far enough."""

    def __init__(self, knowledge: Knowledge):
        self.knowledge = knowledge
        self.remembered: dict[Form, Certificate] = {}
        self.found: dict[Var, list[_Found]] = {}

    def forget_cells(self, cells: set[tuple[int, int]]) -> None:
        """After these cells gained constraints (shown, or a period above them became
        reportable): directions moving them must be checked again. Hiding more never
        invalidates a direction (it only drops constraints)."""
        for var, founds in self.found.items():
            if var[1:] in cells:
                for found in founds:
                    found.valid = False

    def certified(self, form: Form) -> bool:
        return self.certificate(form) is not None

    def certificate(self, form: Form) -> Certificate | None:
        """Directions that together give the form enough values, or None."""
        for var, _coefficient in form.terms:
            for found in self.found.get(var, ()):
                if found.valid and form.change(found.changes):
                    single = _Values(form)
                    single.add(found.changes, found.interval)
                    if single.enough:
                        return (found.changes,)
        values = _Values(form)
        hint = self.remembered.get(form, ())
        if all(self.knowledge.changeable(v) for changes in hint for v in changes):
            for changes in hint:
                values.add(changes, self._interval(changes))
            if values.enough:
                return self._done(form, values)
        for count, changes in enumerate(self._starts(form)):
            if count >= STARTS:
                break
            values.add(changes, self._interval(changes))
            if values.enough:
                return self._done(form, values)
        if self._pairs(values):
            return self._done(form, values)
        return None

    def _pairs(self, values: _Values) -> bool:
        """Two one-step directions moving the form the same way, taken together."""
        ones = values.one_step[:PAIRED]
        for i, first in enumerate(ones):
            for second in ones[i + 1 :]:
                if values.form.change(first) * values.form.change(second) <= 0:
                    continue
                both = dict(first)
                for var, value in second.items():
                    both[var] = both.get(var, 0) + value
                both = {var: value for var, value in both.items() if value}
                if all(self.knowledge.changeable(v) for v in both):
                    values.add(both, self._interval(both))
                    if values.enough:
                        return True
        return False

    def _done(self, form: Form, values: _Values) -> Certificate:
        certificate = tuple(values.used)
        self.remembered[form] = certificate
        return certificate

    def _interval(self, changes: Changes) -> tuple[int, int]:
        interval = steps(self.knowledge, changes)
        if nonzero_steps(interval):
            found = _Found(changes, interval)
            for var in changes:
                self.found.setdefault(var, []).append(found)
        return interval

    def _starts(self, form: Form):
        """Directions to try: simple moves, moves of one real person, other moves."""
        seen: set[frozenset] = set()
        knowledge = self.knowledge
        variables = [var for var, _c in form.terms if knowledge.changeable(var)]
        for var in variables:
            for move in moves_for(knowledge, var):
                if move.shape == "here":
                    yield from self._new(form, direction(knowledge, move), seen)
        for var in variables:
            for count, changes in enumerate(person_swaps(knowledge, var)):
                if count >= SWAPS:
                    break
                yield from self._new(form, changes, seen)
        for var in variables:
            for move in moves_for(knowledge, var):
                if move.shape != "here":
                    yield from self._new(form, direction(knowledge, move), seen)

    @staticmethod
    def _new(form: Form, changes: Changes | None, seen: set):
        if changes is None or not form.change(changes):
            return
        signature = frozenset(changes.items())
        if signature not in seen:
            seen.add(signature)
            yield changes
