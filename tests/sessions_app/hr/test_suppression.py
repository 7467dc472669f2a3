"""Disclosure control for HR (sessions_app/hr/suppression.py and its helpers): the
findings of the confidentiality issue as regressions, stability over time, and the
soundness of the certificates the step relies on."""

import random
from datetime import date

import pytest

from members.models import User
from sessions_app.hr import suppression, witness
from sessions_app.hr.certify import Certifier
from sessions_app.hr.knowledge import Knowledge, Layout, average, average_band, rate, rate_band
from sessions_app.hr.report import participation_report
from tests.sessions_app.hr.generated import random_organisation, today_after
from tests.sessions_app.hr.test_disclosure import attack
from tests.sessions_app.hr.test_report import (
    YEAR,
    enrol,
    forum,
    held,
    monthly,
    organisation,
    people,
    report,
)

pytestmark = pytest.mark.django_db


def hr_of(org) -> User:
    return User.objects.create(
        email=f"hr{org.pk}@example.fi", organisation=org, hr_organisation=org
    )


def test_a_leaver_does_not_make_a_small_unit_exact(client):
    """Finding 3: 'Tuotanto, May: "< 5" is exactly 4' - a unit of five loses one
    member; the months before were shown, the totals are shown."""
    org, units = organisation("Tuotanto", "Asiakaspalvelu", "Talous")
    tuotanto = people(org, units["Tuotanto"], 5)
    others = people(org, units["Asiakaspalvelu"], 8, "Asia") + people(
        org, units["Talous"], 9, "Tal"
    )
    group = forum()
    enrol(group, tuotanto[1:] + others)
    enrol(group, tuotanto[:1], ended=date(YEAR, 5, 1))
    crew = tuotanto + others
    for month in range(1, 13):
        away = crew[month % len(crew)]
        present = [p for p in crew if p is not away and (month < 5 or p is not tuotanto[0])]
        held(group, date(YEAR, month, 10), present)

    attack(client, hr_of(org), YEAR, "leaver")


def test_everyone_attending_is_not_told_of_a_unit_of_one(client):
    """Finding 3: where participants = enrolled, the page told HR that every enrolled
    person attended - about a unit whose only supervisor is member16."""
    org, units = organisation("Sivistystoimi", "Tekninen toimi")
    crew = people(org, units["Sivistystoimi"], 7)
    alone = people(org, units["Tekninen toimi"], 1, "Yksin")
    group = forum()
    enrol(group, [*crew, *alone])
    monthly(group, range(1, 13), present=[*crew, *alone])

    attack(client, hr_of(org), YEAR, "unit of one")


def test_figures_once_shown_never_change_as_the_year_goes_on():
    """Cells are hidden only when they become reportable, and a cell's marker never
    changes: an HR viewer who keeps every earlier copy learns nothing more."""
    org, units = organisation("A", "B", "C")
    group = forum()
    rng = random.Random(7)
    for name, size in (("A", 7), ("B", 6), ("C", 4)):
        members = people(org, units[name], size)
        enrol(group, members)
        for month in range(1, 13):
            present = [m for m in members if rng.random() < 0.8]
            absent = [m for m in members if m not in present]
            held(group, date(YEAR, month, 3 + ord(name) - 64), present, absent)

    final = report(org)
    for month in (2, 3, 6, 9):
        earlier = report(org, today=date(YEAR, month + 1, 8))
        for period in earlier.periods:
            for row in earlier.rows:
                cell = (row.key, period.key)
                assert earlier.figures[cell] == final.figures[cell], (month, cell)
                assert earlier.hidden.get(cell) == final.hidden.get(cell), (month, cell)


@pytest.mark.parametrize("seed", [3, 4])
def test_every_certificate_is_a_report_consistent_with_all_that_is_published(seed):
    """The certifier's directions, checked against every constraint of the grid (not
    only those next to the change): truth + t * direction, for each step t it claims,
    satisfies them all."""
    world = random_organisation(seed, YEAR, months=6)
    captured = {}
    original = suppression.suppress

    def capture(*args, **kwargs):
        captured.update(args=args, kwargs=kwargs)
        return original(*args, **kwargs)

    suppression_in_report = participation_report.__globals__
    suppression_in_report["suppress"] = capture
    try:
        participation_report(world.organisation.pk, year=YEAR, today=today_after(YEAR, 6))
    finally:
        suppression_in_report["suppress"] = original
    rows, periods, counts = captured["args"]
    kwargs = dict(captured["kwargs"])
    people_ = kwargs.pop("people")
    knowledge = Knowledge(
        Layout(rows, periods),
        counts,
        tuple(kwargs["scores"]),
        kwargs["threshold"],
        kwargs["most_attended"],
        kwargs["most_recorded"],
    )
    knowledge.add_people(people_)
    state = suppression._State(knowledge, Certifier(knowledge), None)
    for new in knowledge.layout.steps:
        state.step(new)
    for constraint in grid_constraints(knowledge):  # the model holds for the truth
        total = sum(c * knowledge.counts[var] for var, c in constraint.terms)
        assert total == constraint.bound if constraint.equal else total <= constraint.bound
    checked = 0
    for form, (_cells, certificate) in state.certificates.items():
        for changes in certificate:
            low, high = witness.steps(knowledge, changes)
            for t in {max(low, -2), min(high, 2)} - {0}:
                assert consistent(knowledge, changes, t), (form, t)
                checked += 1
    assert checked > 100


def grid_constraints(knowledge: Knowledge) -> list:
    layout = knowledge.layout
    constraints = []
    for p in knowledge.reportable:
        constraints += knowledge.unit_constraints(p)
        for r in range(layout.rows):
            constraints += knowledge.cell_constraints(r, p)
            if layout.children[p]:
                constraints += knowledge.time_constraints(r, p)
    return constraints


def consistent(knowledge: Knowledge, changes, t: int) -> bool:
    """Every constraint of the grid whose value the change moves holds at truth + t *
    changes (the others hold there as they do for the true report)."""

    def value(var):
        return knowledge.counts[var] + t * changes.get(var, 0)

    constraints = grid_constraints(knowledge)
    for constraint in constraints:
        if not sum(c * changes.get(var, 0) for var, c in constraint.terms):
            continue
        total = sum(c * value(var) for var, c in constraint.terms)
        if (constraint.equal and total != constraint.bound) or total > constraint.bound:
            return False
    return all(value(var) == knowledge.counts[var] or knowledge.changeable(var) for var in changes)


def test_the_rounding_bands_hold_exactly_the_values_that_display_alike():
    """The model's bands for shown rates and averages hold for the truth (exact halves
    included) and for every pair that displays the same, and for no other pair."""

    def holds(constraints, values):
        return all(
            sum(c * values[var] for var, c in constraint.terms) <= constraint.bound
            for constraint in constraints
        )

    for attended in range(0, 31):
        for recorded in range(max(attended, 1), 31):
            band = rate_band("A", "R", rate(attended, recorded))
            for a in range(0, 31):
                for r in range(max(a, 1), 31):
                    same = rate(a, r) == rate(attended, recorded)
                    assert holds(band, {"A": a, "R": r}) == same, (attended, recorded, a, r)
    for total in range(1, 46):
        for answers in range(max(1, -(-total // 5)), total + 1):
            band = average_band("U", "N", average(total, answers))
            for u in range(1, 46):
                for n in range(max(1, -(-u // 5)), u + 1):
                    same = average(u, n) == average(total, answers)
                    assert holds(band, {"U": u, "N": n}) == same, (total, answers, u, n)
