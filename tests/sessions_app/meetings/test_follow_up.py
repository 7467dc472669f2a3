"""Following up before a meeting: the coordinator's one reminder to members who have not
answered, and the notice to coordinators that a member cannot come and left a note
(which never carries the note)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from foorumix import outbox, personal_data
from forums.models import Membership
from sessions_app.meetings import services
from sessions_app.models import Meeting, OutboxMessage
from tests.factories import UserFactory, make_meeting

pytestmark = pytest.mark.django_db

NOTE = "KIRAHVIHUOLI lapsen leikkaus"  # a note to the coordinator that must not leak


def join(forum, first_name, last_name, *, accepted=True, **fields):
    user = UserFactory(first_name=first_name, last_name=last_name, **fields)
    Membership.objects.create(
        forum=forum, user=user, accepted_version=forum.agreement_version if accepted else 0
    )
    return user


def rows(kind: str) -> set[str]:
    return set(OutboxMessage.objects.filter(kind=kind).values_list("recipient_email", flat=True))


def everything(message) -> str:
    return "\n".join([message.subject, message.body, message.alternatives[0][0]])


@pytest.fixture
def meeting(forum):
    return make_meeting(forum, place="SAMK, Pori", theme="Rajat")


@pytest.fixture
def people(forum, member):
    """Who is in the forum, and how they stand with the meeting's answers."""
    return {
        "answered": member,
        "silent": join(forum, "Mikko", "Korhonen"),
        "no_reminders": join(forum, "Outi", "Ei-muistutuksia", email_reminders=False),
        "pending": join(forum, "Pekka", "Odottaja", accepted=False),
        "left": join(forum, "Lasse", "Lähtenyt"),
    }


# --- The coordinator's reminder --------------------------------------------------------------


def test_the_reminder_goes_once_to_active_members_who_have_not_answered(
    meeting, people, coordinator, other_forum
):
    services.rsvp_set(meeting=meeting, user=people["answered"], rsvp="yes")
    Membership.objects.filter(user=people["left"]).update(ended_at=timezone.now())

    queued = services.meeting_nudge(meeting=meeting, actor=coordinator)

    assert queued == 1
    assert rows("meeting_nudge") == {people["silent"].email}
    meeting.refresh_from_db()
    assert meeting.nudged_at is not None
    outbox.sweep()
    (message,) = mail.outbox
    assert message.to == [people["silent"].email]
    text = everything(message)
    assert "Foorumi A" in text and "SAMK, Pori" in text
    assert f"/meetings/{meeting.pk}/" in message.body
    # Nobody else is named: not the member who answered, not the coordinator.
    for person in (people["answered"], people["no_reminders"], people["pending"], coordinator):
        assert person.last_name not in text


def test_the_reminder_is_sent_only_once(meeting, people, coordinator):
    services.meeting_nudge(meeting=meeting, actor=coordinator)
    first = Meeting.objects.get(pk=meeting.pk).nudged_at
    reminded = rows("meeting_nudge")
    assert reminded == {people[key].email for key in ("answered", "silent", "left")}
    join(meeting.forum, "Uusi", "Jäsen")  # joined since: still no second reminder
    with pytest.raises(ValidationError, match="already been sent"):
        services.meeting_nudge(meeting=meeting, actor=coordinator)
    assert rows("meeting_nudge") == reminded
    assert Meeting.objects.get(pk=meeting.pk).nudged_at == first


@pytest.mark.parametrize("state", ["cancelled", "started", "held"])
def test_no_reminder_for_a_meeting_that_is_not_upcoming(forum, people, coordinator, state):
    starts_at = timezone.now() + (
        timedelta(hours=-1) if state != "cancelled" else timedelta(days=3)
    )
    meeting = make_meeting(
        forum,
        starts_at=starts_at,
        status={"cancelled": "cancelled", "started": "scheduled", "held": "held"}[state],
    )
    with pytest.raises(ValidationError):
        services.meeting_nudge(meeting=meeting, actor=coordinator)
    assert not OutboxMessage.objects.filter(kind="meeting_nudge").exists()
    assert Meeting.objects.get(pk=meeting.pk).nudged_at is None


def test_no_reminder_when_everyone_has_answered(meeting, member, coordinator):
    services.rsvp_set(meeting=meeting, user=member, rsvp="maybe")
    with pytest.raises(ValidationError, match="Everyone has answered"):
        services.meeting_nudge(meeting=meeting, actor=coordinator)
    assert Meeting.objects.get(pk=meeting.pk).nudged_at is None


def test_a_member_who_answers_before_the_reminder_goes_out_does_not_get_it(
    meeting, people, coordinator
):
    services.meeting_nudge(meeting=meeting, actor=coordinator)
    services.rsvp_set(meeting=meeting, user=people["silent"], rsvp="yes")
    outbox.sweep()
    assert {m.to[0] for m in mail.outbox} == {people["answered"].email, people["left"].email}
    assert OutboxMessage.objects.get(recipient=people["silent"]).status == "cancelled"


def test_the_reminder_is_dropped_if_the_meeting_is_cancelled_before_it_goes_out(
    meeting, people, coordinator
):
    services.meeting_nudge(meeting=meeting, actor=coordinator)
    services.meeting_cancel(meeting=meeting, actor=coordinator)
    outbox.sweep()
    statuses = set(
        OutboxMessage.objects.filter(kind="meeting_nudge").values_list("status", flat=True)
    )
    assert statuses == {"cancelled"}


def test_the_reminder_is_in_the_members_language(forum, coordinator):
    swede = join(forum, "Sven", "Svensson", language="sv")
    meeting = make_meeting(forum)
    services.meeting_nudge(meeting=meeting, actor=coordinator)
    outbox.sweep()
    (message,) = [m for m in mail.outbox if m.to == [swede.email]]
    assert message.subject.startswith("Kommer du?")
    assert "Hej Sven," in message.body


# --- The notice that a member cannot come ----------------------------------------------------


@pytest.fixture
def coordinators(forum, coordinator, other_forum):
    """The forum's coordinator asked for decline notices; a co-coordinator did not; the
    other forum's coordinator did, but is not this forum's."""
    coordinator.email_declines = True
    coordinator.save(update_fields=["email_declines"])
    co = UserFactory(first_name="Carita", last_name="Apulainen", is_coordinator=True)
    forum.coordinators.add(co)
    other = other_forum.coordinators.get()
    other.email_declines = True
    other.save(update_fields=["email_declines"])
    return {"opted_in": coordinator, "opted_out": co, "other_forum": other}


def test_a_decline_with_a_note_tells_only_opted_in_coordinators_and_never_the_note(
    meeting, member, coordinators
):
    services.rsvp_set(meeting=meeting, user=member, rsvp="no", absence_note=NOTE)
    assert rows("rsvp_declined") == {coordinators["opted_in"].email}
    outbox.sweep()
    (message,) = mail.outbox
    assert message.to == [coordinators["opted_in"].email]
    text = everything(message)
    assert "Liisa Virtanen" in text and "Foorumi A" in text
    assert f"/meetings/{meeting.pk}/" in message.body
    assert "KIRAHVIHUOLI" not in text and "leikkaus" not in text
    assert "KIRAHVIHUOLI" not in str(list(OutboxMessage.objects.values()))


@pytest.mark.parametrize("rsvp, note", [("no", ""), ("no", "   "), ("maybe", NOTE), ("yes", NOTE)])
def test_no_decline_notice_without_a_note_or_when_not_declining(
    meeting, member, coordinators, rsvp, note
):
    services.rsvp_set(meeting=meeting, user=member, rsvp=rsvp, absence_note=note)
    assert not OutboxMessage.objects.filter(kind="rsvp_declined").exists()


def test_a_double_submit_is_one_notice_and_a_new_decline_is_another(meeting, member, coordinators):
    for _twice in range(2):
        services.rsvp_set(meeting=meeting, user=member, rsvp="no", absence_note=NOTE)
    assert OutboxMessage.objects.filter(kind="rsvp_declined").count() == 1
    services.rsvp_set(meeting=meeting, user=member, rsvp="yes")
    services.rsvp_set(meeting=meeting, user=member, rsvp="no", absence_note=NOTE)
    assert OutboxMessage.objects.filter(kind="rsvp_declined").count() == 2
    # Only the latest is still true: the first is superseded and not sent.
    outbox.sweep()
    assert len(mail.outbox) == 1
    statuses = sorted(
        OutboxMessage.objects.filter(kind="rsvp_declined").values_list("status", flat=True)
    )
    assert statuses == ["cancelled", "sent"]


def test_changing_to_not_coming_with_a_note_sends_the_notice(meeting, member, coordinators):
    services.rsvp_set(meeting=meeting, user=member, rsvp="maybe", absence_note="Ehkä myöhässä")
    assert not OutboxMessage.objects.filter(kind="rsvp_declined").exists()
    services.rsvp_set(meeting=meeting, user=member, rsvp="no", absence_note=NOTE)
    assert rows("rsvp_declined") == {coordinators["opted_in"].email}


def test_a_notice_is_dropped_if_the_member_says_coming_before_it_goes_out(
    meeting, member, coordinators
):
    services.rsvp_set(meeting=meeting, user=member, rsvp="no", absence_note=NOTE)
    services.rsvp_set(meeting=meeting, user=member, rsvp="yes")
    outbox.sweep()
    assert mail.outbox == []


def test_a_coordinator_who_turned_notices_off_meanwhile_gets_none(meeting, member, coordinators):
    services.rsvp_set(meeting=meeting, user=member, rsvp="no", absence_note=NOTE)
    coordinator = coordinators["opted_in"]
    coordinator.email_declines = False
    coordinator.save(update_fields=["email_declines"])
    outbox.sweep()
    assert mail.outbox == []


def test_the_notice_is_in_the_coordinators_language(meeting, member, coordinators):
    coordinator = coordinators["opted_in"]
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    services.rsvp_set(meeting=meeting, user=member, rsvp="no", absence_note=NOTE)
    outbox.sweep()
    (message,) = mail.outbox
    day = timezone.localtime(meeting.starts_at)
    assert message.subject == f"A member cannot come on {day:%-d.%-m.} (Foorumi A)"
    assert "Liisa Virtanen cannot come to the meeting of Foorumi A" in message.body
    assert "KIRAHVIHUOLI" not in everything(message)


def test_other_forums_coordinators_never_get_a_notice(meeting, member, coordinators, other_forum):
    services.rsvp_set(meeting=meeting, user=member, rsvp="no", absence_note=NOTE)
    # Even a row queued for them by mistake is not sent.
    OutboxMessage.objects.create(
        kind="rsvp_declined",
        recipient=coordinators["other_forum"],
        recipient_email=coordinators["other_forum"].email,
        object_id=meeting.pk,
        occasion=OutboxMessage.objects.get(kind="rsvp_declined").occasion,
        forum_id=meeting.forum_id,
    )
    outbox.sweep()
    assert {m.to[0] for m in mail.outbox} == {coordinators["opted_in"].email}


# --- The choice in the email settings --------------------------------------------------------


def settings_page(client, user, data=None):
    client.force_login(user)
    path = reverse("notification_settings")
    return client.post(path, data) if data is not None else client.get(path)


SETTINGS = {"language": "fi", "email_reminders": "on", "email_meeting_updates": "on"}


def test_only_coordinators_see_and_can_turn_on_decline_notices(client, member, coordinator):
    assert "email_declines" not in settings_page(client, member).content.decode()
    settings_page(client, member, {**SETTINGS, "email_declines": "on"})
    member.refresh_from_db()
    assert member.email_declines is False

    page = settings_page(client, coordinator).content.decode()
    assert 'name="email_declines"' in page
    assert "Kun jäsen ei pääse tapaamiseen ja jättää minulle viestin" in page
    settings_page(client, coordinator, {**SETTINGS, "email_declines": "on"})
    coordinator.refresh_from_db()
    assert coordinator.email_declines is True


def test_the_personal_data_export_includes_the_decline_choice(coordinator):
    coordinator.email_declines = True
    coordinator.save(update_fields=["email_declines"])
    (choices,) = personal_data.export(coordinator)["email_settings"]
    assert choices["declines"] is True
