"""Random organisations for the disclosure tests: units of very different sizes (a
single supervisor included), people without a unit, forums shared with another
organisation, joiners and leavers during the year, uneven attendance (some of it not
recorded), one or two meetings a month and pulse answers. Deterministic per seed; built
with bulk inserts so that a handful of organisations take a few seconds."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from forums.models import Forum, Membership
from members.models import Organisation, Unit, User
from sessions_app.models import (
    PULSE_QUESTION_NAMES,
    Meeting,
    OrganisationPulseAnswer,
    Participation,
)


@dataclass
class World:
    organisation: Organisation
    hr: User
    units: list[Unit]
    people: list[User]


def _moment(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_default_timezone())


def random_organisation(seed: int, year: int, *, months: int = 12) -> World:
    """One organisation with 2-5 units and 1-3 forums over `months` months of `year`."""
    rng = random.Random(seed)
    organisation = Organisation.objects.create(name=f"Satunnainen {seed} Oy")
    neighbour = Organisation.objects.create(name=f"Naapuri {seed} Oy")
    units = [
        Unit.objects.create(organisation=organisation, name=f"Yksikkö {seed}-{n}")
        for n in range(rng.randint(2, 5))
    ]
    sizes = [rng.choice([1, 2, 3, 4, 5, 6, 7, 9, 12]) for _ in units]
    people = []
    for unit, size in zip(units, sizes, strict=True):
        people += [_person(organisation, unit, seed, len(people) + n) for n in range(size)]
    people += [_person(organisation, None, seed, len(people) + n) for n in range(rng.randint(0, 2))]
    outsiders = [_person(neighbour, None, seed, 1000 + n) for n in range(rng.randint(0, 4))]
    hr = User.objects.create(
        email=f"hr{seed}@generated.example",
        organisation=organisation,
        hr_organisation=organisation,
    )
    forums = [
        Forum.objects.create(name=f"Foorumi {seed}-{n}", status=Forum.Status.ACTIVE)
        for n in range(rng.randint(1, 3))
    ]
    for forum in forums:
        forum.organisations.set([organisation, neighbour])
    spans = _memberships(rng, forums, people + outsiders, year, months)
    _meetings(rng, spans, year, months)
    _pulse(rng, organisation, units, year, months)
    return World(organisation, hr, units, people)


def _person(organisation, unit, seed: int, number: int) -> User:
    return User.objects.create(
        email=f"p{seed}-{number}@generated.example",
        first_name="Satu",
        last_name=f"Henkilö{seed}x{number}",
        organisation=organisation,
        unit=unit,
    )


def _memberships(rng, forums, people, year: int, months: int) -> dict:
    """Each person in one forum (a few in two); some join or leave during the year.
    Returns forum -> [(person, joined, ended)]."""
    spans: dict = {forum: [] for forum in forums}
    rows = []
    for person in people:
        for forum in rng.sample(forums, 2 if len(forums) > 1 and rng.random() < 0.1 else 1):
            joined = date(year - 1, 12, 1)
            ended = None
            if rng.random() < 0.25:
                joined = date(year, rng.randint(1, months), rng.randint(1, 28))
            if rng.random() < 0.2:
                ended = date(year, rng.randint(1, months), rng.randint(1, 28))
                if ended <= joined:
                    ended = None
            spans[forum].append((person, joined, ended))
            rows.append(
                Membership(
                    forum=forum,
                    user=person,
                    joined_at=_moment(joined, 9),
                    ended_at=_moment(ended, 9) if ended else None,
                )
            )
    Membership.objects.bulk_create(rows)
    return spans


def _meetings(rng, spans: dict, year: int, months: int) -> None:
    participations = []
    for forum, members in spans.items():
        for month in range(1, months + 1):
            for day in sorted(rng.sample(range(3, 27), 2 if rng.random() < 0.2 else 1)):
                held = date(year, month, day)
                meeting = Meeting.objects.create(
                    forum=forum,
                    starts_at=_moment(held, 13),
                    ends_at=_moment(held, 16),
                    status=Meeting.Status.HELD,
                    theme="Teema",
                )
                rate = rng.choice([0.5, 0.7, 0.85, 0.95, 1.0])
                for person, joined, ended in members:
                    if joined > held or (ended is not None and ended <= held):
                        continue
                    attended = rng.random() < rate
                    if rng.random() < 0.05:
                        attended = None  # not recorded
                    participations.append(
                        Participation(meeting=meeting, user=person, attended=attended)
                    )
    Participation.objects.bulk_create(participations)


def _pulse(rng, organisation, units, year: int, months: int) -> None:
    answers = []
    for month in range(1, months + 1):
        for unit in [*units, None]:
            count = rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8])
            if (month, unit) == (2, units[0]):
                count = 6  # a small group that answered unanimously
            for _ in range(count):
                scores = {q: rng.choice([2, 3, 4, 4, 5, 5]) for q in PULSE_QUESTION_NAMES}
                if rng.random() < 0.1 or (month, unit) == (2, units[0]):
                    # Now and then all 5s; in February every answer of the first unit.
                    scores = dict.fromkeys(PULSE_QUESTION_NAMES, 5)
                answers.append(
                    OrganisationPulseAnswer(
                        organisation=organisation,
                        unit=unit,
                        month=date(year, month, 1),
                        **scores,
                    )
                )
    OrganisationPulseAnswer.objects.bulk_create(answers)


def today_after(year: int, months: int) -> date:
    """A day on which exactly `months` months of `year` are reportable."""
    if months >= 12:
        return date(year + 1, 1, 10)
    return date(year, months + 1, 1) + timedelta(days=9)
