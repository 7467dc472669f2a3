"""How the outbox sends quickly without changing what it sends or its guarantee: a
meeting's messages are rendered once per batch (foorumix.mail.SharedParts) yet each is
exactly the email build_message makes for its recipient, and marking a row sent on
PostgreSQL does not wait for the disk but leaves the connection as it was."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from foorumix import outbox
from foorumix.mail import SharedParts, build_message
from forums.models import Membership
from sessions_app.meetings import reminders
from sessions_app.models import OutboxMessage
from tests.factories import UserFactory, make_forum, make_meeting

pytestmark = pytest.mark.django_db

TEMPLATE = "sessions_app/email/reminder"


def context(first_name: str, meeting) -> dict:
    return {
        "first_name": first_name,
        "forum_name": meeting.forum.name,
        "meeting": meeting,
        "meeting_url": "https://foorumix.example.org/meetings/1/",
        "preparation_url": "https://foorumix.example.org/meetings/1/preparation/",
        "days": 1,
    }


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_shared_parts_make_exactly_the_email_build_message_makes(forum, language):
    meeting = make_meeting(forum, place="Pori & <Rauma>")
    shared = SharedParts()
    for first_name in ["Liisa", "Ä<b>ö</b> & \u202eKo", "", "Mikko"]:
        expected = build_message(
            to="x@example.fi", template=TEMPLATE, context=context(first_name, meeting),
            language=language,
        )  # fmt: skip
        email = shared.build(
            to="x@example.fi", template=TEMPLATE, context=context(first_name, meeting),
            language=language, key=(meeting.pk, 1),
        )  # fmt: skip
        assert (email.subject, email.body, email.alternatives) == (
            expected.subject,
            expected.body,
            expected.alternatives,
        )
    # Rendered once per language and greeting (with or without a name), not per person.
    assert len(shared._parts) == 2


def test_each_recipient_of_a_swept_reminder_is_greeted_by_name(forum, coordinator, member):
    others = [UserFactory(first_name=name, language="fi") for name in ("Mikko", "Anna <3")]
    for user in others:
        Membership.objects.create(forum=forum, user=user, accepted_version=forum.agreement_version)
    meeting = make_meeting(forum, starts_at=timezone.now() + timedelta(hours=20))
    meeting.created_at = timezone.now() - timedelta(days=3)
    meeting.save(update_fields=["created_at"])
    reminders.plan_reminders()
    mail.outbox = []
    outbox.sweep()
    bodies = {message.to[0]: message for message in mail.outbox}
    assert set(bodies) == {member.email, *(user.email for user in others)}
    for user in [member, *others]:
        message = bodies[user.email]
        assert user.first_name in message.body
        html = message.alternatives[0][0]
        assert "Anna &lt;3" in html if user.first_name == "Anna <3" else user.first_name in html
        assert "fxname" not in message.body + html + message.subject


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_row_marked_sent_on_postgresql_is_sent_and_the_session_stays_durable():
    coordinator = UserFactory(is_coordinator=True)
    people = [UserFactory() for _ in range(3)]
    forum = make_forum(coordinator=coordinator, members=people)
    meeting = make_meeting(forum, starts_at=timezone.now() + timedelta(days=20))
    outbox.enqueue("meeting_scheduled", people, object_id=meeting.pk, occasion="seq0",
                   forum_id=forum.pk)  # fmt: skip
    OutboxMessage.objects.update(last_error="earlier failure")
    assert not connection.in_atomic_block  # the path the worker takes
    assert outbox.sweep()["sent"] == 3
    assert {(m.status, m.last_error) for m in OutboxMessage.objects.all()} == {("sent", "")}
    assert all(m.sent_at is not None for m in OutboxMessage.objects.all())
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
