"""Disclosure control for the HR report: which figures to hide, and with which marker.

Pure Python, no Django and no database: sessions_app/hr/report.py hands in the counts
and gets back, per (family, row, period), the hidden ones and their marker. It is the
one place that decides what an HR viewer may see; every page, filter, chart and CSV is
cut from its result.

The viewer and what they know
-----------------------------
The report has one grid per organisation and year: rows = O's units (and "no unit")
and the total, periods = the reportable months, quarters and the year. Every view (the
three granularities, each unit filter, the chart, the CSVs) shows cells of that one
grid, so the viewer knows at most all of it. sessions_app/hr/knowledge.py writes down
what that gives an exact attacker as linear constraints over whole numbers: the shown
figures, what the markers say, the additive relations between units and the total and
between months, quarters and the year, and the logical ones (participants <= enrolled,
participants <= meetings attended <= participants x meetings held, stayed <= enrolled,
the rate pins attended / recorded, an average pins the score sum, ...).

Figures fall into three *families*, hidden together, each resting on a count of people
(its base): enrolled and stayed (base enrolled; kept together because either one shown
beside the other hidden would pin it), participation (participants, meetings
attended, rate; base participants), pulse (answers and averages; base answers).

What is hidden
--------------
k = FOORUMIX_MIN_GROUP_SIZE. Month by month, as periods become reportable:

1. Primary: a family whose base is below k (zero included), and the pulse where fewer
   than k took part, is hidden with the marker "< k", which tells the truth. Enrolled
   and stayed are also hidden when fewer than k stayed (marker "..").
2. Every other new cell starts hidden too (marker "..": hidden although its base is at
   least k; the rule is public, so the viewer can tell, and the model says so). Then
   cells are shown one by one, most useful first (the total before units, bigger groups
   first, a month before the quarter it completes; a month with its quarter and year as
   one try first), and a cell stays shown only if every requirement still holds:
   - every hidden figure, and the score sums behind hidden averages, takes at least
     three different values in reports the viewer cannot tell apart from this one;
   - no true statement about every member of a group smaller than 2k follows from the
     report: all enrolled attended (P = E), all recorded were present (a 100 % rate),
     all who answered gave 1 (or 5) to a question.
     This covers what follows for hidden rows: a total where everyone attended says it
     of every unit, so while a unit is that small the total's figure stays hidden;
   - where the total is shown, the hidden units of a period together rest on at least
     k people (their sum is known exactly).
   The first two are proved constructively (certify.py, witness.py, swaps.py): two
   other reports that agree with everything published are exhibited, built from the
   real people's own counts (one person replaced by another, or behaving a little
   differently), so no solver, however exact, can narrow a figure below three values.
   Cheap necessary conditions come first (bounds.py: a relation left with one hidden
   cell, interval propagation showing a figure newly pinned), and a safety net over the
   whole grid takes back the last shown cells if propagation finds anything newly
   pinned. The proofs are sufficient, not necessary: when one cannot be found the cell
   stays hidden, so the search's limits cost figures, never protection.
3. Time order: only cells of the newly reportable periods are ever hidden or shown,
   and a cell's marker never changes: what was shown last month stays shown with the
   same value, so keeping old copies of the page tells nothing that the latest one
   does not. When a quarter or the year completes, the requirements of earlier cells
   are checked again against the new relations, with every new cell hidden at first.

Known limits: a requirement already unprovable with every new cell hidden (the search
found no witness though one may exist) is left as it is, and nothing next to it is
shown that interval reasoning says would narrow it further; tests/sessions_app/hr/
test_disclosure.py checks the outcome with an exact integer solver. The search costs
0.5-2 s for a small organisation's year and 5-6 s for the largest in bench/README.md;
report.py remembers recent results per process.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from sessions_app.hr.bounds import around, bounds, narrow, narrowed, protected
from sessions_app.hr.certify import OPEN, RANGE, Certifier, Form
from sessions_app.hr.knowledge import (
    ANSWERS,
    ATTENDED,
    ENROLLED,
    FAMILY_BASE,
    FAMILY_FIGURES,
    OTHER,
    PARTICIPANTS,
    RECORDED,
    SMALL,
    STAYED,
    GridPeriod,
    Key,
    Knowledge,
    Layout,
    Var,
)


def suppress(
    rows: int,
    periods: Sequence[GridPeriod],
    counts: dict[Var, int],
    *,
    threshold: int,
    scores: Sequence[str],
    most_attended: Sequence[int],
    most_recorded: Sequence[int],
    people: Sequence[tuple[int, dict[str, list[int]]]] = (),
    trace: list | None = None,
) -> dict[Key, str]:
    """The hidden (family, row, period) cells and their markers (SMALL or OTHER).

    `rows` counts the unit rows and the total (last); `periods` are the reportable ones
    in grid order; `counts` holds every quantity of knowledge.py per (row, period);
    `people` each person's row and counts per period (enrolled, stayed, participants,
    attended, recorded), used only to build witnesses. `trace`, if given, receives
    ("stuck", form) for a requirement that could not be certified even with every new
    cell hidden (see the module docstring)."""
    layout = Layout(rows, periods)
    knowledge = Knowledge(layout, counts, tuple(scores), threshold, most_attended, most_recorded)
    knowledge.add_people(people)
    state = _State(knowledge, Certifier(knowledge), trace)
    for new in layout.steps:
        state.step(new)
    return knowledge.hidden


def _range_forms(knowledge: Knowledge, key: Key) -> list[Form]:
    family, r, p = key
    quantities = list(FAMILY_FIGURES[family])
    if family == "pulse":
        quantities += knowledge.scores
    return [Form(RANGE, (((q, r, p), 1),), key) for q in quantities]


def _open_forms(knowledge: Knowledge, r: int, p: int) -> list[Form]:
    """True statements about every member of a group smaller than 2k in this cell."""
    counts, twice = knowledge.counts, 2 * knowledge.threshold

    def value(quantity: str) -> int:
        return counts[(quantity, r, p)]

    found = []
    if 0 < value(ENROLLED) < twice and value(PARTICIPANTS) == value(ENROLLED):
        terms = (((ENROLLED, r, p), 1), ((PARTICIPANTS, r, p), -1))
        found.append(Form(OPEN, terms, ("participation", r, p)))
    if 0 < value(PARTICIPANTS) < twice and value(ATTENDED) == value(RECORDED):
        terms = (((RECORDED, r, p), 1), ((ATTENDED, r, p), -1))
        found.append(Form(OPEN, terms, ("participation", r, p)))
    answers = value(ANSWERS)
    if 0 < answers < twice:
        for q in knowledge.scores:
            for score in (1, 5):
                if value(q) == score * answers:
                    terms = (((q, r, p), 1), ((ANSWERS, r, p), -score))
                    found.append(Form(OPEN, terms, ("pulse", r, p)))
    return found


class _State:
    """The certified state carried from month to month: each requirement (form) with
    the cells its certificate moves. A certificate stays valid until a cell it moves
    gains constraints: when it is shown, or when the quarter or year above it becomes
    reportable."""

    def __init__(self, knowledge: Knowledge, certifier: Certifier, trace):
        self.knowledge = knowledge
        self.certifier = certifier
        self.trace = trace
        # form -> (the cells its certificate moves, the certificate's directions)
        self.certificates: dict[Form, tuple[frozenset, tuple]] = {}
        self.uncertified: set[Form] = set()

    def step(self, new: list[int]) -> None:
        """Step 2 of the module docstring for one newly reportable month: every new
        cell starts hidden (the most the viewer can be denied), then cells are shown one
        by one, most useful first, as long as every requirement stays certified."""
        knowledge = self.knowledge
        layout = knowledge.layout
        knowledge.reportable.update(new)
        _hide_primary(knowledge, new)
        candidates = self._candidates(new)
        for key in candidates:
            knowledge.hidden[key] = OTHER
        below = {(r, c) for p in new for c in layout.children[p] for r in range(layout.rows)}
        self.certifier.forget_cells(below)
        recheck = [f for f, (cells, _c) in self.certificates.items() if cells & below]
        # An uncertified form can only gain from new cells above it.
        recheck += [f for f in self.uncertified if f.key[1:] in below]
        for key, _marker in knowledge.hidden.items():
            if key[2] in new:
                recheck += _range_forms(knowledge, key)
        for p in new:
            for r in range(layout.rows):
                recheck += _open_forms(knowledge, r, p)
        for form in recheck:
            if not self._certify(form):
                self.uncertified.add(form)
        # A hidden cell that cannot be certified protects nothing: try showing it first.
        stuck = {f.key for f in self.uncertified if f.kind == RANGE}
        baseline = narrowed(knowledge)
        shown: list[Key] = []
        waiting = self._groups(sorted(candidates, key=lambda key: key not in stuck))
        # A second pass: showing one cell removes its own requirements, which may be
        # what kept an earlier one hidden (a figure with its base: P beside E).
        for _pass in range(2):
            rejected = []
            for keys in waiting:
                keys = [key for key in keys if key in knowledge.hidden]
                if not keys:
                    continue
                if self._may_show(keys):
                    shown += keys
                else:
                    for key in keys:
                        knowledge.hidden[key] = OTHER
                    rejected.append(keys)
            if len(rejected) == len(waiting):
                break
            waiting = rejected
        # The safety net: what interval reasoning over the whole grid pins must already
        # have been pinned with every new cell hidden; else take back the last shown.
        while shown and not narrowed(knowledge) <= baseline:
            self._hide_again(shown.pop())

    def _groups(self, candidates: list[Key]) -> list[list[Key]]:
        """Cells to try showing together, in order: all new cells of one family and row
        (a month with the quarter and year it completes: shown alone, either would let
        the other be worked out), then each alone. With a single unit row, the unit and
        the total are the same figures, so they go together too."""
        layout = self.knowledge.layout
        single = layout.rows == 2
        groups: dict[tuple, list[Key]] = {}
        for key in candidates:
            family, r, _p = key
            groups.setdefault((family, None if single else r), []).append(key)
        found = []
        for keys in groups.values():
            found.append(keys)
            if len(keys) > 1 and not single:
                found += [[key] for key in keys]
        return found

    def _candidates(self, new: list[int]) -> list[Key]:
        """The new cells not hidden by the primary rule, most useful first: the total,
        then units with more people; within a row the month before the quarter and the
        year it completes (shown first, a month leaves the whole less to pin)."""
        knowledge = self.knowledge
        layout = knowledge.layout
        keys = [
            (family, r, p)
            for p in new
            for r in range(layout.rows)
            for family in FAMILY_BASE
            if (family, r, p) not in knowledge.hidden
        ]
        order = list(FAMILY_BASE)

        def usefulness(key: Key) -> tuple:
            family, r, p = key
            base = knowledge.counts[(FAMILY_BASE[family], r, p)]
            return (r != layout.total, -base, r, len(layout.leaves[p]), order.index(family))

        return sorted(keys, key=usefulness)

    def _hide_again(self, key: Key) -> None:
        self.knowledge.hidden[key] = OTHER
        for form in _range_forms(self.knowledge, key):
            if not self._certify(form):
                self.uncertified.add(form)

    def _certify(self, form: Form) -> bool:
        certificate = self.certifier.certificate(form)
        if certificate is None:
            self.certificates.pop(form, None)
            return False
        cells = frozenset((r, p) for changes in certificate for _q, r, p in changes)
        self.certificates[form] = (cells, certificate)
        self.uncertified.discard(form)
        return True

    def _may_show(self, keys: list[Key]) -> bool:
        """Show `keys` if every requirement stays certified; else leave them hidden (the
        caller hides them again)."""
        knowledge = self.knowledge
        for key in keys:
            del knowledge.hidden[key]
        if any(self._pool_gap(key[0], key[2]) or self._pins(key) for key in keys):
            return False
        cells = {key[1:] for key in keys}
        self.certifier.forget_cells(cells)
        gone = {form for key in keys for form in _range_forms(knowledge, key)}
        affected = [f for f, (used, _c) in self.certificates.items() if used & cells]
        affected = [f for f in affected if f not in gone]
        saved = {f: self.certificates[f] for f in affected}
        if all(self._certify(f) for f in affected):
            for form in gone:
                self.certificates.pop(form, None)
                self.uncertified.discard(form)
            self.uncertified -= {f for f in self.uncertified if f.key in keys}
            return True
        self.certificates.update(saved)  # valid again once the cell is hidden again
        return False

    def _pins(self, key: Key) -> bool:
        """Cheap necessary conditions: showing `key` would leave a relation with one
        hidden cell (its value then follows exactly), or show a true statement about
        every member of a small group outright."""
        knowledge = self.knowledge
        layout = knowledge.layout
        family, r, p = key
        hidden = knowledge.hidden
        rows = [row for row in range(layout.rows) if (family, row, p) in hidden]
        if len(rows) == 1:
            return True
        if family in ("participation", "pulse"):  # hold figures that add up over time
            groups = [p] if layout.children[p] else []
            parent = layout.parent[p]
            if parent is not None and parent in knowledge.reportable:
                groups.append(parent)
            for group in groups:
                cells = [group, *layout.children[group]]
                if sum((family, r, c) in hidden for c in cells) == 1:
                    return True
        if any(
            not any(knowledge.changeable(var) for var, _c in form.terms)
            for form in _open_forms(knowledge, r, p)
        ):
            return True
        # Only what showing `key` makes narrow counts: a figure already pinned by older
        # shown ones is lost either way, and keeping `key` hidden would not save it.
        cells = around(knowledge, key)
        after = bounds(knowledge, cells)
        narrowed = [v for v, i in after.items() if protected(knowledge, v) and narrow(i)]
        if not narrowed:
            return False
        knowledge.hidden[key] = OTHER
        before = bounds(knowledge, cells)
        del knowledge.hidden[key]
        return any(not narrow(before.get(var, (0, math.inf))) for var in narrowed)

    def _pool_gap(self, family: str, p: int) -> bool:
        """Would the total be shown while the hidden units of this period rest on fewer
        than k people together (their sum being known exactly)?"""
        knowledge = self.knowledge
        layout = knowledge.layout
        if (family, layout.total, p) in knowledge.hidden:
            return False
        hidden = [u for u in layout.units if (family, u, p) in knowledge.hidden]
        base = FAMILY_BASE[family]
        return bool(hidden) and sum(knowledge.counts[(base, u, p)] for u in hidden) < (
            knowledge.threshold
        )


def _hide_primary(knowledge: Knowledge, new: list[int]) -> None:
    k = knowledge.threshold
    for r in range(knowledge.layout.rows):
        for p in new:
            for family, base in FAMILY_BASE.items():
                small = knowledge.counts[(base, r, p)] < k
                if small:
                    knowledge.hidden[(family, r, p)] = SMALL
                elif family == "enrolled" and knowledge.counts[(STAYED, r, p)] < k:
                    knowledge.hidden[(family, r, p)] = OTHER  # fewer than k stayed
                elif family == "pulse" and knowledge.counts[(PARTICIPANTS, r, p)] < k:
                    knowledge.hidden[(family, r, p)] = SMALL
