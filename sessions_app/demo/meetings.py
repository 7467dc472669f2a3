"""Demo meetings for `manage.py seed_demo`: a year of held meetings with attendance and
three upcoming ones per forum."""

import random
from datetime import date, time, timedelta

from django.utils import timezone

from forums.models import Forum
from sessions_app.meetings.scheduling import Repeat, occurrences
from sessions_app.models import Meeting, MeetingChange, Participation

THEMES = [
    "Muutoksen johtaminen",
    "Vaikeat keskustelut",
    "Oma jaksaminen ja rajat",
    "Työkyvyn tukeminen",
    "Johdon ja henkilöstön välissä",
    "Esihenkilöksi kasvaminen",
]
PLACES = ["Satakunnan ammattikorkeakoulu, Pori, kokoushuone Kivi", "Kaupungintalo, Rauma, sali 2"]


def _first_of_month(months_back: int) -> date:
    today = timezone.localdate()
    month = today.month - months_back
    year = today.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


def _weekday_in_month(first: date, weekday: int, nth: int) -> date:
    offset = (weekday - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (nth - 1))


def seed_due_reminder(forum: Forum) -> None:
    """A meeting tomorrow whose one-day reminder falls due two minutes after seeding:
    `make run` shows the reminders going out on the console."""
    now = timezone.now().replace(second=0, microsecond=0)
    starts_at = now + timedelta(days=1, minutes=2)
    ends_at = starts_at + timedelta(hours=2)
    if forum.meetings.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        return
    meeting = Meeting.objects.create(
        forum=forum,
        starts_at=starts_at,
        ends_at=ends_at,
        online_url="https://meet.example.org/foorumi-2",
        theme="Ylimääräinen tapaaminen: muutosneuvottelut",
        agenda="1. Kuulumiset\n2. Tilannekatsaus\n3. Sovitaan jatkosta",
    )
    Meeting.objects.filter(pk=meeting.pk).update(created_at=now - timedelta(minutes=1))
    MeetingChange.objects.create(meeting=meeting, kind=MeetingChange.Kind.SCHEDULED, sequence=0)


def seed_meetings(forums: list[Forum]) -> None:
    """Idempotent: a forum that already has meetings is left as it is."""
    rng = random.Random(2026)
    for index, forum in enumerate(forums):
        if forum.meetings.exists():
            continue
        members = [m.user for m in forum.memberships.active()]
        weekday, nth, start = ((1, 1, time(13)), (3, 2, time(9)))[index % 2]
        first_day = _weekday_in_month(_first_of_month(12), weekday, nth)
        series = occurrences(
            first_day=first_day,
            start=start,
            end=time(start.hour + 3),
            repeat=Repeat.MONTHLY_WEEKDAY,
            count=16,
        )
        now = timezone.now()
        upcoming_count = 0
        for number, occurrence in enumerate(series):
            past = occurrence.ends_at < now
            if not past:
                upcoming_count += 1
                if upcoming_count > 3:
                    break
            meeting = Meeting.objects.create(
                forum=forum,
                starts_at=occurrence.starts_at,
                ends_at=occurrence.ends_at,
                place=PLACES[index % 2],
                theme=THEMES[number % len(THEMES)],
                agenda="1. Kuulumiskierros\n2. Teema\n3. Mitä otan mukaani",
                status=Meeting.Status.HELD if past else Meeting.Status.SCHEDULED,
            )
            MeetingChange.objects.create(
                meeting=meeting, kind=MeetingChange.Kind.SCHEDULED, sequence=0
            )
            for user in members:
                if past:
                    attended = rng.random() < 0.85
                    Participation.objects.create(
                        meeting=meeting, user=user, rsvp="yes" if attended else "no",
                        attended=attended,
                    )  # fmt: skip
                elif upcoming_count == 1 and rng.random() < 0.6:
                    Participation.objects.create(
                        meeting=meeting, user=user, rsvp=rng.choice(["yes", "yes", "maybe"]),
                        rsvp_at=now,
                    )  # fmt: skip
        if index == 1:
            seed_due_reminder(forum)
