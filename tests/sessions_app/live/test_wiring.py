"""The live meeting inside the other pages: the meeting page's way in, the previous
commitment on the next meeting's preparation page and reminder, and the attendance
sheet pre-filled from the room."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from foorumix import outbox
from forums.models import Membership
from forums.services import agreement_accept
from sessions_app.meetings.reminders import reminder_occasion
from sessions_app.models import Commitment, LivePresence, OutboxMessage
from tests.factories import UserFactory, make_meeting

pytestmark = pytest.mark.django_db

MINE = "Delegoin viikkoraportin tiimille"
THEIRS = "Puhun johtajalle palkkauksesta"


@pytest.fixture
def colleague(forum):
    person = UserFactory(first_name="Mikko", last_name="Korhonen")
    Membership.objects.create(forum=forum, user=person)
    agreement_accept(forum=forum, user=person)
    return person


@pytest.fixture
def meetings(forum, member, colleague):
    """A meeting held a month ago where both wrote a commitment, and the next one."""
    last = make_meeting(forum, starts_at=timezone.now() - timedelta(days=30), status="held")
    Commitment.objects.create(meeting=last, author=member, text=MINE)
    Commitment.objects.create(meeting=last, author=colleague, text=THEIRS)
    return last, make_meeting(forum, starts_at=timezone.now() + timedelta(days=1))


def test_the_next_preparation_page_shows_only_my_own_commitment(client, member, meetings):
    _last, upcoming = meetings
    client.force_login(member)
    html = client.get(reverse("meetings:preparation", args=[upcoming.pk])).content.decode()
    assert MINE in html and THEIRS not in html
    assert "Miten meni?" in html


def test_the_reminder_mentions_a_commitment_but_never_its_text(member, colleague, meetings):
    _last, upcoming = meetings
    Commitment.objects.filter(author=colleague).update(outcome="Meni hyvin")  # answered
    outbox.enqueue(OutboxMessage.Kind.REMINDER, [member, colleague], object_id=upcoming.pk,
                   occasion=reminder_occasion(upcoming, 1), forum_id=upcoming.forum_id)  # fmt: skip
    outbox.sweep()
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "Viime kerralla kirjoitit" in bodies[member.email]
    assert "Viime kerralla kirjoitit" not in bodies[colleague.email]
    for message in mail.outbox:
        html = message.alternatives[0][0]
        assert MINE not in message.body + html and THEIRS not in message.body + html


def test_attendance_is_prefilled_from_the_room(client, coordinator, member, colleague, forum):
    now = make_meeting(forum, starts_at=timezone.now() - timedelta(hours=1))
    LivePresence.objects.create(meeting=now, user=member, joined_in_app=True)
    client.force_login(coordinator)
    html = client.get(reverse("meetings:attendance", args=[now.pk])).content.decode()
    assert f'value="{member.pk}" id="present-{member.pk}" checked' in html
    assert f'value="{colleague.pk}" id="present-{colleague.pk}">' in html
    assert "liittyi" in html


def test_the_meeting_page_opens_the_live_meeting_during_its_window(client, member, forum):
    now = make_meeting(forum, starts_at=timezone.now() - timedelta(minutes=10))
    later = make_meeting(forum, starts_at=timezone.now() + timedelta(days=3))
    client.force_login(member)
    live = reverse("live:room", args=[now.pk])
    assert live in client.get(reverse("meetings:detail", args=[now.pk])).content.decode()
    html = client.get(reverse("meetings:detail", args=[later.pk])).content.decode()
    assert reverse("live:room", args=[later.pk]) not in html
