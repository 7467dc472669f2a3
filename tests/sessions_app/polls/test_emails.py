"""Poll emails through the outbox: what they say (in the recipient's language, times in
Helsinki time, an absolute link, nobody else's name), and the one reminder before the
deadline: only to members who have not answered, once, never after the poll closed."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from foorumix import outbox
from sessions_app.models import OutboxMessage, SchedulingPoll
from sessions_app.polls import emails, services
from tests.factories import UserFactory

from .conftest import join, proposed

pytestmark = pytest.mark.django_db
Kind = OutboxMessage.Kind


def sent_to(address: str):
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return message


def rows(kind=Kind.POLL_REMINDER) -> set[str]:
    return set(OutboxMessage.objects.filter(kind=kind).values_list("recipient_email", flat=True))


def reminder_time(poll) -> timezone.datetime:
    """A moment inside the reminder window: 23 hours before the deadline."""
    return poll.deadline - timedelta(hours=23)


def test_the_opening_email_in_finnish_has_the_poll_and_times_and_no_other_names(
    poll, member, second_member, deadline
):
    outbox.sweep()
    assert {m.to[0] for m in mail.outbox} == {member.email, second_member.email}
    message = sent_to(member.email)
    html = message.alternatives[0][0]
    assert message.subject == "Mitkä ajat sopivat sinulle? Syksyn tapaaminen (Foorumi A)"
    first = timezone.localtime(poll.slots.first().starts_at)
    local_deadline = timezone.localtime(deadline)
    for body in (message.body, html):
        assert "Hei Liisa," in body
        assert "Foorumi A" in body and "Syksyn tapaaminen" in body and "SAMK, Pori" in body
        assert f"{first.day}.{first.month}.{first.year} 13.00–16.00" in body
        assert f"{local_deadline:%H.%M}" in body
        assert "Vastaa viimeistään" in body
        assert f"{settings.SITE_URL}/polls/{poll.pk}/" in body
        assert "Mikko" not in body and "Korhonen" not in body and "Ojala" not in body
    assert body.count("13.00–16.00") == 3


def test_each_member_gets_the_email_in_their_own_language(poll, second_member):
    second_member.language = "sv"
    second_member.save(update_fields=["language"])
    outbox.sweep()
    assert sent_to(second_member.email).subject.startswith("Vilka tider passar dig?")
    assert "Föreslagna tider (finsk tid):" in sent_to(second_member.email).body


def test_the_reminder_goes_once_only_to_members_who_have_not_answered(poll, member, second_member):
    slot = poll.slots.first()
    services.poll_answer(poll=poll, user=second_member, answers={slot.pk: "no"})
    now = reminder_time(poll)

    assert emails.plan_poll_reminders(now) == 1
    assert emails.plan_poll_reminders(now) == 0
    assert emails.plan_poll_reminders(now + timedelta(hours=1)) == 0
    assert rows() == {member.email}
    assert OutboxMessage.objects.get(kind=Kind.POLL_REMINDER).occasion == "deadline"
    poll.refresh_from_db()
    assert poll.reminded_at == now


def test_the_reminder_email_in_finnish(poll, member):
    emails.plan_poll_reminders(reminder_time(poll))
    mail.outbox.clear()
    OutboxMessage.objects.filter(kind=Kind.POLL_OPENED).delete()
    outbox.sweep()
    message = sent_to(member.email)
    deadline = timezone.localtime(poll.deadline)
    assert message.subject == (
        f"Muistutus: vastaa viimeistään {deadline.day}.{deadline.month}. klo "
        f"{deadline:%H.%M}: Syksyn tapaaminen (Foorumi A)"
    )
    assert "Et ole vielä vastannut foorumisi aikakyselyyn" in message.body
    assert f"{settings.SITE_URL}/polls/{poll.pk}/" in message.body


@pytest.mark.parametrize("hours_before", [25, 0, -1])
def test_no_reminder_outside_the_day_before_the_deadline(poll, hours_before):
    assert emails.plan_poll_reminders(poll.deadline - timedelta(hours=hours_before)) == 0
    assert rows() == set()


def test_no_reminder_for_a_poll_without_deadline_or_closed(forum, coordinator, poll):
    services.poll_pick(poll=poll, slot=poll.slots.first(), actor=coordinator)
    services.poll_create(forum=forum, actor=coordinator, title="Ei määräaikaa", slots=proposed(2))
    assert emails.plan_poll_reminders(reminder_time(poll)) == 0
    assert rows() == set()


def test_a_poll_opened_within_a_day_of_its_deadline_gets_no_separate_reminder(
    forum, coordinator, member
):
    deadline = timezone.now() + timedelta(hours=20)
    services.poll_create(
        forum=forum, actor=coordinator, title="Pikakysely", slots=proposed(2), deadline=deadline
    )
    assert emails.plan_poll_reminders(timezone.now()) == 0


def test_a_reminder_planned_before_the_member_answered_is_not_sent(poll, member, second_member):
    emails.plan_poll_reminders(reminder_time(poll))
    slot = poll.slots.first()
    services.poll_answer(poll=poll, user=member, answers={slot.pk: "yes"})
    OutboxMessage.objects.filter(kind=Kind.POLL_OPENED).delete()
    outbox.sweep()
    assert [m.to[0] for m in mail.outbox] == [second_member.email]
    statuses = dict(
        OutboxMessage.objects.filter(kind=Kind.POLL_REMINDER).values_list(
            "recipient_email", "status"
        )
    )
    assert statuses == {member.email: "cancelled", second_member.email: "sent"}


def test_ended_members_and_outsiders_get_no_reminder(poll, forum, member, second_member, outsider):
    forum.memberships.filter(user=second_member).update(ended_at=timezone.now())
    emails.plan_poll_reminders(reminder_time(poll))
    assert rows() == {member.email}


def test_a_member_who_leaves_after_the_poll_opened_is_not_emailed(poll, forum, second_member):
    forum.memberships.filter(user=second_member).update(ended_at=timezone.now())
    outbox.sweep()
    assert second_member.email not in {m.to[0] for m in mail.outbox}


def test_building_a_batch_takes_a_fixed_number_of_queries(forum, coordinator):
    def batch_queries(people: int) -> int:
        for _ in range(people):
            join(forum, UserFactory())
        poll = services.poll_create(
            forum=forum,
            actor=coordinator,
            title=f"Kysely {people}",
            slots=proposed(3),
            deadline=timezone.now() + timedelta(days=3),
        )
        emails.plan_poll_reminders(poll.deadline - timedelta(hours=1))
        messages = list(OutboxMessage.objects.filter(object_id=poll.pk).select_related("recipient"))
        with CaptureQueriesContext(connection) as captured:
            build = emails.build_poll_emails(messages)
            assert all(build(message) is not None for message in messages)
        return len(captured)

    assert batch_queries(1) == batch_queries(10)


def test_rows_of_a_deleted_poll_are_cancelled(poll, member):
    SchedulingPoll.objects.filter(pk=poll.pk).delete()
    assert outbox.sweep()["cancelled"] == 2
