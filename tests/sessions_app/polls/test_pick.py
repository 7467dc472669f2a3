"""Picking a time: a confirmation page says what will happen; confirming schedules the
meeting, carries the answers into RSVPs, closes the poll, drops its pending emails and
gives each member exactly one email about it. A second pick changes nothing."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from foorumix import outbox
from sessions_app.models import Meeting, OutboxMessage, Participation
from sessions_app.polls import emails, services
from tests.factories import UserFactory, make_meeting

from .conftest import join, proposed

pytestmark = pytest.mark.django_db
Kind = OutboxMessage.Kind


def pick_url(poll, slot) -> str:
    return reverse("meetings:poll_pick", kwargs={"poll_id": poll.pk, "slot_id": slot.pk})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def answered(forum, poll, member, second_member):
    """Liisa yes, Mikko if needed, Anna no to the second time; Eero (left the forum
    since) yes; Pekka has not answered."""
    anna = UserFactory(first_name="Anna", last_name="Aalto")
    eero = UserFactory(first_name="Eero", last_name="Entinen")
    pekka = UserFactory(first_name="Pekka", last_name="Pohjola")
    for user in (anna, eero, pekka):
        join(forum, user)
    slot = poll.slots.all()[1]
    for user, answer in (
        (member, "yes"),
        (second_member, "if_needed"),
        (anna, "no"),
        (eero, "yes"),
    ):
        services.poll_answer(poll=poll, user=user, answers={slot.pk: answer})
    forum.memberships.filter(user=eero).update(ended_at=timezone.now())
    return {"slot": slot, "anna": anna, "eero": eero, "pekka": pekka}


def test_the_confirmation_page_says_what_will_happen(client, poll, coordinator, answered):
    client.force_login(coordinator)
    response = client.get(pick_url(poll, answered["slot"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["counts"] == {"yes": 1, "if_needed": 1, "no": 1}
    assert "1 jäsen vastasi kyllä, ja hänet merkitään tulevaksi" in page
    assert "1 ”tarvittaessa” → ehkä, 1 ”ei” → ei tule" in page
    assert "Kaikki jäsenet saavat uudesta tapaamisesta yhden ilmoituksen" in page
    assert "Kysely suljetaan" in page
    assert "SAMK, Pori" in page
    assert "13.00–16.00" in page
    assert not Meeting.objects.exists()


def test_confirming_schedules_the_meeting_and_carries_answers_into_rsvps(
    client, poll, coordinator, member, second_member, answered
):
    client.force_login(coordinator)
    before = timezone.now()
    response = client.post(pick_url(poll, answered["slot"]))
    meeting = Meeting.objects.get()
    assert response.headers["Location"] == reverse(
        "meetings:detail", kwargs={"meeting_id": meeting.pk}
    )
    assert (meeting.starts_at, meeting.place, meeting.theme) == (
        answered["slot"].starts_at,
        "SAMK, Pori",
        "Syksyn tapaaminen",
    )
    rsvps = {p.user: p.rsvp for p in Participation.objects.filter(meeting=meeting)}
    assert rsvps == {member: "yes", second_member: "maybe", answered["anna"]: "no"}
    assert all(p.rsvp_at >= before for p in Participation.objects.all())
    poll.refresh_from_db()
    assert poll.closed_at is not None and poll.meeting == meeting
    page = client.get(response.headers["Location"]).content.decode()
    assert "Tapaaminen sovittiin ja kysely suljettiin." in page


def test_each_member_gets_exactly_one_email_about_the_picked_time(
    poll, forum, coordinator, member, second_member, answered
):
    emails.plan_poll_reminders(poll.deadline - timedelta(hours=23))
    assert OutboxMessage.objects.filter(kind=Kind.POLL_REMINDER, status="pending").exists()
    before = set(OutboxMessage.objects.values_list("pk", flat=True))

    services.poll_pick(poll=poll, slot=answered["slot"], actor=coordinator)

    new = OutboxMessage.objects.exclude(pk__in=before)
    members = {member, second_member, answered["anna"], answered["pekka"]}
    assert sorted(new.values_list("recipient_email", "kind")) == sorted(
        (user.email, Kind.MEETING_SCHEDULED) for user in members
    )
    pending_poll_rows = OutboxMessage.objects.filter(
        object_id=poll.pk, kind__in=[Kind.POLL_OPENED, Kind.POLL_REMINDER], status="pending"
    )
    assert not pending_poll_rows.exists()
    outbox.sweep()
    new_sent = OutboxMessage.objects.exclude(pk__in=before).filter(status="sent")
    assert sorted(new_sent.values_list("recipient_email", flat=True)) == sorted(
        user.email for user in members
    )
    assert not OutboxMessage.objects.filter(pk__in=before, status="sent").exists()


def test_a_second_pick_changes_nothing_and_says_why(client, poll, coordinator, answered):
    client.force_login(coordinator)
    client.post(pick_url(poll, answered["slot"]))
    rows = OutboxMessage.objects.count()
    other = poll.slots.first()
    for method in (client.post, client.get):
        response = method(pick_url(poll, other))
        assert response.headers["Location"] == reverse("meetings:poll", kwargs={"poll_id": poll.pk})
        assert messages_of(response)[-1] == "Kysely on suljettu: aika on jo valittu."
    assert Meeting.objects.count() == 1
    assert Participation.objects.count() == 3
    assert OutboxMessage.objects.count() == rows


def test_the_service_refuses_a_second_pick(poll, coordinator):
    first, second, _third = poll.slots.all()
    services.poll_pick(poll=poll, slot=first, actor=coordinator)
    stale = type(poll).objects.get(pk=poll.pk)
    stale.closed_at = None  # as read by a second coordinator before the first pick
    with pytest.raises(Exception, match="closed"):
        services.poll_pick(poll=stale, slot=second, actor=coordinator)
    assert Meeting.objects.count() == 1


def test_a_time_that_overlaps_another_meeting_is_refused_and_nothing_changes(
    client, forum, poll, coordinator, answered
):
    make_meeting(forum, starts_at=answered["slot"].starts_at + timedelta(hours=1))
    client.force_login(coordinator)
    response = client.post(pick_url(poll, answered["slot"]))
    assert response.headers["Location"] == reverse("meetings:poll", kwargs={"poll_id": poll.pk})
    assert "päällekkäin" in messages_of(response)[-1]
    poll.refresh_from_db()
    assert poll.closed_at is None
    assert Meeting.objects.count() == 1
    assert not Participation.objects.exists()


def test_members_cannot_pick_and_another_polls_slot_is_404(
    client, forum, poll, coordinator, member, answered
):
    client.force_login(member)
    assert client.get(pick_url(poll, answered["slot"])).status_code == 403
    assert client.post(pick_url(poll, answered["slot"])).status_code == 403
    other = services.poll_create(forum=forum, actor=coordinator, title="B", slots=proposed(2))
    client.force_login(coordinator)
    assert client.get(pick_url(other, answered["slot"])).status_code == 404
    assert not Meeting.objects.exists()
