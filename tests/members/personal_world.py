"""A world in which one person, Ukko Erasmus, has left a trace in every table that can
hold one, beside another member whose data must never show in Ukko's export.

Used by the export and erasure tests (tests/members/test_personal_data.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.admin.models import CHANGE, LogEntry
from django.test import Client
from django.utils import timezone

from foorumix import outbox
from forums.models import AuditEvent, Forum
from forums.services import audit_record
from members.models import Organisation, User
from sessions_app.meetings import feeds
from sessions_app.meetings import services as meetings
from sessions_app.meetings.scheduling import Occurrence
from sessions_app.models import NoteRead, OutboxMessage, Participation, SessionNote
from sessions_app.polls import services as planning
from sessions_app.pulse import services as pulse
from sessions_app.themes import services as theme_services
from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    UnitFactory,
    UserFactory,
    give_totp,
    make_forum,
    make_held_meeting,
    make_invitation,
    make_meeting,
)

PERSON = {"first_name": "Ukko", "last_name": "Erasmus", "email": "ukko.erasmus@example.fi"}
OTHER = {"first_name": "Salla", "last_name": "Muukalainen", "email": "salla.muu@example.fi"}
PERSON_TEXTS = ("Ukon valmistautuminen: väsyttää", "Ukon poissaoloviesti: lapsi sairas")
OTHER_TEXTS = ("Sallan salainen valmistautuminen", "Sallan poissaoloviesti: hammaslääkäri")
# Typed during the live meeting: the notepad and the commitment (sessions_app/live).
PERSON_LIVE_TEXTS = ("Ukon muistilappu: kysy Sallalta", "Ukon sitoumus: delegoin enemmän")
OTHER_LIVE_TEXTS = ("Sallan muistilappu: salainen", "Sallan sitoumus: salainen lupaus")


@dataclass
class World:
    person: User
    other: User
    coordinator: User
    forum: Forum
    organisation: Organisation
    client: Client  # signed in as the person (a session row exists)
    totp_secret: str


def build() -> World:
    organisation = OrganisationFactory(name="Tutkimus Oy")
    unit = UnitFactory(organisation=organisation, name="Laboratorio")
    person = UserFactory(**PERSON, organisation=organisation, unit=unit)
    other = UserFactory(**OTHER, organisation=organisation, unit=unit)
    coordinator = UserFactory(first_name="Kaija", last_name="Koordinaattori", is_coordinator=True)
    totp_secret = give_totp(person)
    forum = make_forum(
        coordinator=coordinator, members=[person, other], name="Tutkijafoorumi",
        organisations=[organisation],
    )  # fmt: skip
    make_invitation(forum, person.email, actor=coordinator, accepted_by=person,
                    accepted_at=timezone.now())  # fmt: skip
    audit_record(action=AuditEvent.Action.INVITATION_SENT, actor=coordinator, forum=forum,
                 detail=person.email)  # fmt: skip
    audit_record(action=AuditEvent.Action.INVITATION_SENT, actor=coordinator, forum=forum,
                 detail=other.email)  # fmt: skip
    audit_record(action=AuditEvent.Action.MEMBERSHIP_ADDED, actor=person, forum=forum,
                 subject_user=person)  # fmt: skip

    held = make_held_meeting(forum, attendees=[person, other], days_ago=3)
    for receipt in pulse.pulse_receipts_create(held):
        scores = {"useful": 5, "safe_place": 4, "important_to_group": 4, "helps_coping": 3}
        pulse.pulse_answer(receipt=receipt, scores=scores, today=timezone.localdate())
    coming = make_meeting(forum, note_taker=person)
    meetings.rsvp_set(meeting=coming, user=person, rsvp="no", absence_note=PERSON_TEXTS[1])
    meetings.rsvp_set(meeting=coming, user=other, rsvp="no", absence_note=OTHER_TEXTS[1])
    meetings.preparation_save(meeting=coming, user=person, current_situation=PERSON_TEXTS[0],
                              to_bring="", shared=False)  # fmt: skip
    meetings.preparation_save(meeting=coming, user=other, current_situation=OTHER_TEXTS[0],
                              to_bring="", shared=False)  # fmt: skip
    live_meeting(forum, coordinator, person, other)
    feeds.feed_create(user=person)
    soon = timezone.now() + timedelta(days=20)
    poll = planning.poll_create(forum=forum, actor=coordinator, title="Kevään aika", slots=[
        Occurrence(soon, soon + timedelta(hours=2)),
        Occurrence(soon + timedelta(days=1), soon + timedelta(days=1, hours=2)),
    ])  # fmt: skip
    for user in (person, other):
        planning.poll_answer(poll=poll, user=user, answers={poll.slots.first().pk: "yes"})
    theme_services.theme_propose(forum=forum, user=person, title="Jaksaminen muutoksessa")
    theme_services.theme_propose(forum=forum, user=other, title="Palautteen antaminen")
    note = SessionNote.objects.create(
        meeting=held,
        author=person,
        body_encrypted="",
        expires_at=timezone.now() + timedelta(days=9),
    )
    NoteRead.objects.create(note=note, reader=person)
    NoteRead.objects.create(note=note, reader=other)
    outbox.enqueue(OutboxMessage.Kind.REMINDER, [person, other], object_id=coming.pk,
                   occasion="1d", forum_id=forum.pk)  # fmt: skip
    LogEntry.objects.log_actions(
        user_id=coordinator.pk, queryset=[person], action_flag=CHANGE, change_message="[]",
        single_object=True,
    )  # fmt: skip
    client = Client()
    client.force_login(person)
    client.get("/")
    assert Participation.objects.filter(user=person).count() == 2
    return World(person, other, coordinator, forum, organisation, client, totp_secret)


def live_meeting(forum, coordinator, person, other) -> None:
    """Both were in a live meeting (still running, so the order holds their ids) and
    wrote a private note and a commitment; the live window is opened by moving a
    meeting to now."""
    from sessions_app.live import services as live

    now_meeting = make_meeting(forum, starts_at=timezone.now() - timedelta(minutes=10))
    for user, texts in ((person, PERSON_LIVE_TEXTS), (other, OTHER_LIVE_TEXTS)):
        live.presence_join(meeting=now_meeting, user=user)
        live.notepad_save(meeting=now_meeting, user=user, text=texts[0])
        live.commitment_save(meeting=now_meeting, user=user, text=texts[1])
    live.live_control(meeting=now_meeting, actor=coordinator, action="start", version=0)
    live.live_control(meeting=now_meeting, actor=coordinator, action="next", version=1)


def sign_in_password() -> str:
    return PASSWORD
