"""Meeting emails: only members who accepted the forum's current group agreement get
them, and their text reads as typed (no "&amp;", no invisible or right-to-left control
characters, in the subject, the body or the attached calendar file)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from foorumix import outbox
from forums import services as forum_services
from forums.models import Membership
from sessions_app.meetings import notify, reminders, services
from sessions_app.meetings.scheduling import Occurrence
from sessions_app.models import OutboxMessage
from tests.factories import UserFactory, make_forum, make_held_meeting

pytestmark = pytest.mark.django_db


def schedule(forum, actor, **details):
    start = timezone.now().replace(microsecond=0) + timedelta(days=20)
    (meeting,) = services.meeting_schedule(
        forum=forum, actor=actor, occurrences=[Occurrence(start, start + timedelta(hours=3))],
        **{"place": "Pori", "theme": "Rajat", "agenda": "Kuulumiset", **details},
    )  # fmt: skip
    return meeting


def recipients() -> set[str]:
    return {message.to[0] for message in mail.outbox}


def row_recipients(kind: str) -> set[str]:
    return set(OutboxMessage.objects.filter(kind=kind).values_list("recipient_email", flat=True))


# --- Who gets them -------------------------------------------------------------------------


@pytest.fixture
def pending(forum):
    """A member who joined but has not accepted the group agreement yet."""
    user = UserFactory(first_name="Pekka", last_name="Odottaja")
    Membership.objects.create(forum=forum, user=user)
    return user


def test_meeting_emails_go_only_to_members_who_accepted_the_agreement(
    forum, coordinator, member, pending
):
    meeting = schedule(forum, coordinator)
    outbox.sweep()
    assert row_recipients("meeting_scheduled") == {member.email}
    assert recipients() == {member.email}

    services.meeting_cancel(meeting=meeting, actor=coordinator)
    mail.outbox.clear()
    outbox.sweep()
    assert recipients() == {member.email}


def test_reminders_go_only_to_members_who_accepted_the_agreement(
    forum, coordinator, member, pending
):
    meeting = schedule(forum, coordinator)
    reminders.plan_reminders(now=reminders.reminder_due_at(meeting.starts_at, 7))
    assert row_recipients("reminder") == {member.email}


def test_a_new_agreement_version_stops_mail_queued_before_it_until_accepted_again(
    forum, coordinator, member
):
    other = UserFactory(first_name="Mikko", last_name="Korhonen")
    Membership.objects.create(forum=forum, user=other)
    forum_services.agreement_accept(forum=forum, user=other)
    schedule(forum, coordinator)  # rows for both, not sent yet
    assert row_recipients("meeting_scheduled") == {member.email, other.email}

    forum_services.agreement_publish(forum=forum, actor=coordinator, text="Uusi sopimus.")
    forum_services.agreement_accept(forum=forum, user=member)
    outbox.sweep()

    assert recipients() == {member.email}
    statuses = dict(
        OutboxMessage.objects.filter(kind="meeting_scheduled").values_list(
            "recipient_email", "status"
        )
    )
    assert statuses == {member.email: "sent", other.email: "cancelled"}


def test_the_pulse_link_goes_only_to_attendees_who_accepted_the_agreement(
    forum, coordinator, member, pending
):
    meeting = make_held_meeting(forum, attendees=[member, pending], days_ago=1)
    notify.meeting_held(meeting)
    outbox.sweep()
    assert recipients() == {member.email}


# --- What they say -------------------------------------------------------------------------

NAME = "A & B <x>"


@pytest.fixture
def english_member(db):
    return UserFactory(first_name="Anna", last_name="Smith", language="en")


@pytest.fixture
def hostile_forum(coordinator, english_member):
    return make_forum(coordinator=coordinator, members=[english_member], name=NAME)


def test_subject_and_text_read_as_typed_and_html_stays_escaped(
    hostile_forum, coordinator, english_member
):
    meeting = schedule(hostile_forum, coordinator, place="Kahvila X & Y")
    outbox.sweep()
    (message,) = mail.outbox
    day = timezone.localtime(meeting.starts_at)
    assert message.subject == f"New meeting {day:%-d.%-m.}: {NAME}"
    assert f"Forum: {NAME}\n" in message.body
    assert "Place: Kahvila X & Y\n" in message.body
    assert "&amp;" not in message.body and "&lt;" not in message.body
    html = message.alternatives[0][0]
    assert "A &amp; B &lt;x&gt;" in html and NAME not in html


INVISIBLE = "\u202e\u00ad\u200b\u200d\u2066\ufeff"


def test_invisible_and_bidi_characters_reach_no_subject_body_or_calendar_event(
    coordinator, english_member
):
    forum = make_forum(
        coordinator=coordinator, members=[english_member], name="Foorumi \u202eA\u202c"
    )
    schedule(
        forum,
        coordinator,
        place="Kahvi\u00adla \u2067X\u2069",
        theme="Ra\u200bjat",
        agenda="Kuulu\u00admiset \u202eteema\u202c",
    )
    outbox.sweep()
    (message,) = mail.outbox
    (_name, ics, _mimetype) = message.attachments[0]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    texts = [message.subject, message.body, message.alternatives[0][0], ics]
    for text in texts:
        assert not set(text) & set(INVISIBLE), text
    assert message.subject.endswith(": Foorumi A")
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Foorumi A: Rajat"
    assert str(event["LOCATION"]) == "Kahvila X"
    assert str(event["DESCRIPTION"]).startswith("Kuulumiset teema\n\n")


def test_the_calendar_download_is_normalised_too(client, coordinator, english_member):
    forum = make_forum(coordinator=coordinator, members=[english_member], name="\u202eFoorumi")
    meeting = schedule(forum, coordinator, theme="Ra\u00adjat")
    client.force_login(english_member)
    response = client.get(f"/meetings/{meeting.pk}/calendar.ics")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Foorumi: Rajat"
