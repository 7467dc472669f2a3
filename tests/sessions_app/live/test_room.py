"""The member's live meeting page: their own notepad and commitment (nobody else's), the
opening text of the meeting's plan, and a fixed number of queries."""

import logging
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from forums.models import Membership
from sessions_app.live import plans, selectors, services
from sessions_app.models import Commitment, MeetingNotepad, MeetingPlan
from tests.factories import UserFactory, make_meeting

pytestmark = pytest.mark.django_db


def room(meeting):
    return reverse("live:room", kwargs={"meeting_id": meeting.pk})


@pytest.fixture
def second_member(forum):
    person = UserFactory(first_name="Mikko", last_name="Korhonen")
    Membership.objects.create(forum=forum, user=person, accepted_version=forum.agreement_version)
    return person


@pytest.fixture
def open_meeting(forum):
    return make_meeting(forum, starts_at=timezone.now() - timedelta(minutes=5))


def test_after_the_meeting_the_room_shows_only_the_viewers_own_texts(
    client, forum, open_meeting, member, second_member
):
    services.notepad_save(meeting=open_meeting, user=member, text="OMA-MUISTIO\nrivi")
    services.commitment_save(meeting=open_meeting, user=member, text="OMA-SITOUMUS")
    services.notepad_save(meeting=open_meeting, user=second_member, text="MIKON-MUISTIO")
    services.commitment_save(meeting=open_meeting, user=second_member, text="MIKON-SITOUMUS")
    open_meeting.starts_at -= timedelta(days=1)
    open_meeting.ends_at -= timedelta(days=1)
    open_meeting.save(update_fields=["starts_at", "ends_at"])
    client.force_login(member)
    page = client.get(room(open_meeting)).content.decode()
    assert 'id="live-closed"' in page and "<form" not in page.split('id="commitment"')[1]
    assert "<p>OMA-MUISTIO<br>rivi</p>" in page and "<p>OMA-SITOUMUS</p>" in page
    assert "MIKON" not in page
    Commitment.objects.filter(author=member).delete()
    MeetingNotepad.objects.filter(author=member).delete()
    page = client.get(room(open_meeting)).content.decode()
    assert "Ei sitoumusta." in page and "Ei muistiinpanoja." in page


def test_during_the_meeting_the_forms_hold_the_viewers_own_texts(
    client, open_meeting, member, second_member, coordinator
):
    services.notepad_save(meeting=open_meeting, user=member, text="OMA-MUISTIO")
    services.notepad_save(meeting=open_meeting, user=second_member, text="MIKON-MUISTIO")
    client.force_login(member)
    response = client.get(room(open_meeting))
    assert response.context["notepad_form"].initial == {"text": "OMA-MUISTIO"}
    assert response.context["commitment_form"].initial == {"text": ""}
    assert "MIKON" not in response.content.decode()
    client.force_login(coordinator)  # not a member: no notepad, no commitment
    response = client.get(room(open_meeting))
    assert "notepad_form" not in response.context and "OMA-MUISTIO" not in response.content.decode()


def test_with_a_missing_key_the_room_says_so_and_hides_the_forms(
    client, open_meeting, member, settings, caplog
):
    services.commitment_save(meeting=open_meeting, user=member, text="SALAINEN-SITOUMUS")
    settings.FOORUMIX_NOTES_KEYS = [Fernet.generate_key().decode()]
    client.force_login(member)
    with caplog.at_level(logging.DEBUG):
        response = client.get(room(open_meeting))
    page = response.content.decode()
    assert response.status_code == 200 and response.context["undecryptable"] is True
    assert 'action="' + reverse("live:commitment", args=[open_meeting.pk]) not in page
    assert "SALAINEN" not in page + caplog.text


def test_the_room_reads_the_meetings_own_plan_else_the_forums_else_the_default(
    client, forum, member, other_forum
):
    meeting = make_meeting(forum)
    client.force_login(member)

    def opening() -> str:
        return client.get(room(meeting)).context["opening_text"]

    with translation.override("fi"):
        default = plans.opening_text(None)
    MeetingPlan.objects.create(forum=other_forum, opening_text="TOISEN-FOORUMIN")
    MeetingPlan.objects.create(forum=forum, meeting=make_meeting(forum), opening_text="TOISEN")
    assert opening() == default
    MeetingPlan.objects.create(forum=forum, opening_text="FOORUMIN-AVAUS")
    assert opening() == "FOORUMIN-AVAUS"
    own = MeetingPlan.objects.create(forum=forum, meeting=meeting, opening_text="")
    assert opening() == default  # the meeting's own plan with the standard text
    own.opening_text = "OMA-AVAUS"
    own.save(update_fields=["opening_text"])
    assert opening() == "OMA-AVAUS"


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_room_runs_a_fixed_number_of_queries(client, forum, member, coordinator):
    meeting = make_meeting(forum)  # next week: the page says when it opens
    counts = {}
    for persona in (member, coordinator):
        client.force_login(persona)
        counts[persona.pk] = _queries(client, room(meeting))
    for number in range(8):
        person = UserFactory()
        Membership.objects.create(forum=forum, user=person, accepted_version=1)
        MeetingNotepad.objects.create(meeting=meeting, author=person, text=f"M{number}")
        Commitment.objects.create(meeting=meeting, author=person, text=f"S{number}")
    MeetingPlan.objects.create(forum=forum, opening_text="Avaus")
    for persona in (member, coordinator):
        client.force_login(persona)
        assert _queries(client, room(meeting)) == counts[persona.pk]
    # Session and user; access (the meeting with its forum and the viewer's membership
    # or coordination, one query); one statement for the live state, the plan's opening
    # text and the viewer's own notepad and commitment.
    assert counts == {member.pk: 2 + 2, coordinator.pk: 2 + 2}


def test_the_room_shows_the_running_meeting_from_its_live_state(
    client, open_meeting, member, second_member, coordinator
):
    for person in (member, second_member):
        services.presence_join(meeting=open_meeting, user=person)
    for action in ("start", "next"):
        live = selectors.live_of(open_meeting)
        services.live_control(
            meeting=open_meeting, actor=coordinator, action=action, version=live.version
        )
    client.force_login(member)
    response = client.get(room(open_meeting))
    state = response.context["state"]
    assert state["status"] == "running" and state["phase"]["kind"] == "round"
    assert {entry["name"] for entry in state["order"]} == {"Liisa Virtanen", "Mikko Korhonen"}
    assert response.context["live"].pk == selectors.live_of(open_meeting).pk
    assert 'class="live-order"' in response.content.decode()
