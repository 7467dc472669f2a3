"""Demo history for HR figures and the pulse, for `manage.py seed_demo`.

Called after forums.demo.seed_forums and sessions_app.demo.meetings.seed_meetings:

    from sessions_app.demo.pulse import seed_history
    seed_history(people)

Why the extra cohort: with the sixteen original demo people, Esimerkki Oy has 6
supervisors in Tuotanto, 3 in Asiakaspalvelu and 1 in Talous ja hallinto. With the
threshold 5, the two small units are hidden, they sum to 4 (< 5), so complementary
suppression must also hide Tuotanto: every unit of the demo HR view would show "< 5".
A finished first cohort of Esimerkki Oy (member17-member24: six in Talous ja
hallinto, two in Asiakaspalvelu), meeting monthly over the last fourteen months with
at least five of the six Talous people present each time, gives the HR view real unit
figures while keeping the small-group rule visible elsewhere.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from forums import services as forum_services
from forums.models import Forum, Membership
from members.demo import DEMO_DOMAIN, DemoPeople, _person
from members.models import Unit
from sessions_app.models import PULSE_QUESTION_NAMES, Meeting, Participation, PulseReceipt
from sessions_app.pulse import services as pulse

COHORT_NAME = "Esihenkilöfoorumi Esimerkki Oy, 1. ryhmä"
COHORT = [
    ("Riikka", "Aaltonen", "Talous ja hallinto"),
    ("Janne", "Lindholm", "Talous ja hallinto"),
    ("Eeva", "Karjalainen", "Talous ja hallinto"),
    ("Tommi", "Hiltunen", "Talous ja hallinto"),
    ("Satu", "Mattila", "Talous ja hallinto"),
    ("Olli", "Räsänen", "Talous ja hallinto"),
    ("Katja", "Väisänen", "Asiakaspalvelu"),
    ("Heikki", "Pesonen", "Asiakaspalvelu"),
]
COHORT_MONTHS = 14
SEED = 2026
ANSWER_RATE = 0.85
SCORES = (3, 4, 5)
SCORE_WEIGHTS = (2, 5, 4)


def _first_of_month(months_back: int, today: date) -> date:
    month = today.month - months_back
    return date(today.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _second_wednesday(first: date) -> date:
    return first + timedelta(days=(2 - first.weekday()) % 7 + 7)


def _cohort_history(forum: Forum, members: list, coordinator) -> None:
    """The cohort's memberships (ended this month) and monthly held meetings."""
    today = timezone.localdate()
    zone = timezone.get_default_timezone()
    began = _first_of_month(COHORT_MONTHS, today)
    ended = _first_of_month(0, today)
    for user in members:
        Membership.objects.create(
            forum=forum,
            user=user,
            joined_at=datetime.combine(began, time(9), tzinfo=zone),
            accepted_version=forum.agreement_version,
            ended_at=datetime.combine(ended, time(9), tzinfo=zone),
        )
    rng = random.Random(f"{SEED}-cohort")
    talous = [u for u, spec in zip(members, COHORT, strict=True) if spec[2] == "Talous ja hallinto"]
    for months_back in range(COHORT_MONTHS, 0, -1):
        day = _second_wednesday(_first_of_month(months_back, today))
        starts_at = datetime.combine(day, time(13), tzinfo=zone)
        meeting = Meeting.objects.create(
            forum=forum,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            place="Esimerkki Oy, neuvotteluhuone Pilvi",
            theme="Esihenkilönä muutoksessa",
            status=Meeting.Status.HELD,
            created_by=coordinator,
        )
        # At most one Talous person is away, so that unit always has five present.
        away = {rng.choice(talous).pk} if rng.random() < 0.5 else set()
        away |= {u.pk for u in members if u not in talous and rng.random() < 0.15}
        Participation.objects.bulk_create(
            Participation(
                meeting=meeting,
                user=user,
                rsvp="no" if user.pk in away else "yes",
                attended=user.pk not in away,
            )
            for user in members
        )


@transaction.atomic
def seed_cohort(people: DemoPeople) -> Forum:
    """The finished first cohort of Esimerkki Oy with its people, meetings and
    attendance. Idempotent: an existing cohort forum is left as it is."""
    organisation = people.organisations["Esimerkki Oy"]
    units = {unit.name: unit for unit in Unit.objects.filter(organisation=organisation)}
    members = [
        _person(
            f"member{number:02d}@{DEMO_DOMAIN}",
            first_name=first,
            last_name=last,
            organisation=organisation,
            unit=units[unit],
        )
        for number, (first, last, unit) in enumerate(COHORT, start=17)
    ]
    forum = Forum.objects.filter(name=COHORT_NAME).first()
    if forum is not None:
        return forum
    coordinator = people.coordinators[0]
    forum = forum_services.forum_create(
        actor=coordinator,
        name=COHORT_NAME,
        description="Esimerkki Oy:n esihenkilöiden ensimmäinen ryhmä. Ryhmä on päättynyt.",
        organisations=[organisation],
        capacity=10,
        language="fi",
    )
    Forum.objects.filter(pk=forum.pk).update(status=Forum.Status.ARCHIVED)
    _cohort_history(forum, members, coordinator)
    return forum


@transaction.atomic
def seed_pulse() -> int:
    """Receipts and answers (scores 3-5) from most attendees of held meetings that have
    no pulse answers yet; deterministic per meeting. The answers are staged like real
    ones (sessions_app/pulse/services.py). Returns the number of answers."""
    today = timezone.localdate()
    answered = PulseReceipt.objects.filter(answered_on__isnull=False).values("meeting_id")
    meetings = (
        Meeting.objects.filter(status=Meeting.Status.HELD, starts_at__lte=timezone.now())
        .exclude(pk__in=answered)
        .select_related("forum")
        .order_by("starts_at", "pk")
    )
    count = 0
    for meeting in meetings:
        rng = random.Random(f"{SEED}-{meeting.forum.name}-{meeting.starts_at.isoformat()}")
        for receipt in pulse.pulse_receipts_create(meeting):
            if rng.random() >= ANSWER_RATE:
                continue
            day = min(pulse.meeting_day(meeting) + timedelta(days=rng.randint(0, 4)), today)
            scores = {q: rng.choices(SCORES, SCORE_WEIGHTS)[0] for q in PULSE_QUESTION_NAMES}
            receipt.meeting = meeting
            pulse.pulse_answer(receipt=receipt, scores=scores, today=day)
            count += 1
    return count


def seed_history(people: DemoPeople) -> None:
    """The cohort, then pulse answers for every held meeting, and the answers whose batch
    is complete written to the answer tables as beat would have done (the others wait
    for sessions_app.tasks.release_pulse_answers). Idempotent."""
    seed_cohort(people)
    seed_pulse()
    pulse.pulse_answers_release()
