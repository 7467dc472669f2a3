"""The live meeting: who may follow and run it, how the controls move it on, what its
state holds (times and names, never what anyone typed), and what comes back from it."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sessions_app.live import selectors, services
from sessions_app.live.access import is_live_open
from sessions_app.meetings.selectors import attendance_sheet
from sessions_app.models import Commitment, LiveMeeting, LivePresence, MeetingNotepad
from tests.factories import UserFactory, make_forum, make_meeting

pytestmark = pytest.mark.django_db

SECRET_NOTE = "SALAINEN-MUISTIINPANO Pekan asia"
SECRET_COMMITMENT = "SALAINEN-SITOUMUS puhun esihenkilölleni"


def now_meeting(forum, minutes_ago=5):
    return make_meeting(forum, starts_at=timezone.now() - timedelta(minutes=minutes_ago))


def url(name, meeting):
    return reverse(f"live:{name}", kwargs={"meeting_id": meeting.pk})


@pytest.fixture
def second_member(forum):
    from forums.models import Membership
    from forums.services import agreement_accept

    person = UserFactory(first_name="Mikko", last_name="Korhonen")
    Membership.objects.create(forum=forum, user=person)
    agreement_accept(forum=forum, user=person)
    return person


@pytest.fixture
def meeting(forum):
    return now_meeting(forum)


def control(meeting, coordinator, action):
    live = selectors.live_of(meeting)
    return services.live_control(
        meeting=meeting, actor=coordinator, action=action, version=live.version
    )


# --- Access and the window --------------------------------------------------------------


def test_outsiders_and_other_forums_get_404_on_every_live_url(
    client, meeting, outsider, other_forum
):
    other_coordinator = other_forum.coordinators.first()
    for person in (outsider, other_coordinator):
        client.force_login(person)
        for name in ("room", "state", "facilitate", "screen", "notepad", "commitment"):
            assert client.get(url(name, meeting)).status_code == 404, name
        assert (
            client.post(url("control", meeting), {"action": "start", "version": 0}).status_code
            == 404
        )


def test_members_cannot_control_and_a_coordinator_has_no_notepad(
    client, meeting, member, coordinator
):
    client.force_login(member)
    assert (
        client.post(url("control", meeting), {"action": "start", "version": 0}).status_code == 403
    )
    assert client.get(url("facilitate", meeting)).status_code == 403
    client.force_login(coordinator)
    assert client.post(url("notepad", meeting), {"text": "x"}).status_code == 403
    assert not MeetingNotepad.objects.exists()


def test_the_live_meeting_opens_30_minutes_before_and_closes_4_hours_after_the_start(forum):
    soon = make_meeting(forum, starts_at=timezone.now() + timedelta(minutes=29), hours=2)
    later = make_meeting(forum, starts_at=timezone.now() + timedelta(minutes=31), hours=2)
    past = make_meeting(forum, starts_at=timezone.now() - timedelta(hours=4, minutes=1), hours=2)
    long_one = make_meeting(
        forum, starts_at=timezone.now() - timedelta(hours=4, minutes=1), hours=4
    )
    assert [is_live_open(m) for m in (soon, later, past, long_one)] == [True, False, False, True]


def test_outside_the_window_the_page_says_when_and_controls_are_refused(
    client, forum, member, coordinator
):
    meeting = make_meeting(forum)  # next week
    client.force_login(member)
    response = client.get(url("room", meeting))
    assert response.status_code == 200 and 'id="live-closed"' in response.content.decode()
    assert not LivePresence.objects.exists()
    with pytest.raises(ValidationError):
        services.live_control(meeting=meeting, actor=coordinator, action="start", version=0)
    with pytest.raises(ValidationError):
        services.notepad_save(meeting=meeting, user=member, text="x")


# --- Running a meeting ---------------------------------------------------------------------


def test_a_round_gives_each_present_member_a_turn_then_moves_on(
    meeting, member, second_member, coordinator
):
    services.presence_join(meeting=meeting, user=member)
    services.presence_set(
        meeting=meeting, actor=coordinator, user_id=second_member.pk, present=True
    )
    live = control(meeting, coordinator, "start")
    assert (live.status, live.phases[0]["kind"], live.order) == ("running", "opening", [])
    live = control(meeting, coordinator, "next")  # the check-in round
    assert live.phases[live.phase_index]["kind"] == "round"
    assert sorted(live.order) == sorted([member.pk, second_member.pk])
    assert live.segment_seconds == 3 * 60
    live = control(meeting, coordinator, "next")
    assert live.speaker_index == 1 and live.phase_index == 1
    live = control(meeting, coordinator, "next")
    assert live.phases[live.phase_index]["kind"] == "discussion" and live.order == []


def test_two_facilitator_tabs_pressing_next_at_once_move_the_round_on_once(
    meeting, member, second_member, coordinator
):
    for person in (member, second_member):
        services.presence_join(meeting=meeting, user=person)
    control(meeting, coordinator, "start")
    live = control(meeting, coordinator, "next")
    seen = live.version
    services.live_control(meeting=meeting, actor=coordinator, action="next", version=seen)
    with pytest.raises(services.StaleState):
        services.live_control(meeting=meeting, actor=coordinator, action="next", version=seen)
    live.refresh_from_db()
    assert live.speaker_index == 1 and live.phase_index == 1


def test_pause_extend_resume_and_end(meeting, member, coordinator):
    services.presence_join(meeting=meeting, user=member)
    control(meeting, coordinator, "start")
    live = control(meeting, coordinator, "pause")
    assert live.status == "paused" and live.segment_ends_at is None
    left = live.remaining_seconds
    live = control(meeting, coordinator, "extend")
    assert live.remaining_seconds == left + 60
    live = control(meeting, coordinator, "resume")
    assert live.status == "running" and live.segment_ends_at > timezone.now()
    control(meeting, coordinator, "next")
    live = control(meeting, coordinator, "end")
    assert (live.status, live.order) == ("ended", [])  # no ids kept after the meeting


def test_a_late_arrival_gets_a_turn_at_the_end_of_the_round(
    meeting, member, second_member, coordinator
):
    services.presence_join(meeting=meeting, user=member)
    control(meeting, coordinator, "start")
    control(meeting, coordinator, "next")
    services.presence_join(meeting=meeting, user=second_member)
    assert LiveMeeting.objects.get(meeting=meeting).order == [member.pk, second_member.pk]


# --- The state: no content, fixed queries ----------------------------------------------------


def test_state_and_pages_hold_no_ones_typed_texts(
    client, meeting, member, second_member, coordinator
):
    services.presence_join(meeting=meeting, user=second_member)
    services.notepad_save(meeting=meeting, user=second_member, text=SECRET_NOTE)
    services.commitment_save(meeting=meeting, user=second_member, text=SECRET_COMMITMENT)
    services.presence_join(meeting=meeting, user=member)
    control(meeting, coordinator, "start")
    control(meeting, coordinator, "next")
    pages = []
    for person, names in (
        (member, ("state", "room")),
        (coordinator, ("state", "facilitate", "screen")),
    ):
        client.force_login(person)
        for name in names:
            response = client.get(url(name, meeting))
            assert response.status_code == 200 and "no-store" in response["Cache-Control"]
            pages.append(response.content.decode())
    for page in pages:
        assert "SALAINEN" not in page
    data = json.loads(pages[0])
    assert {entry["name"] for entry in data["order"]} == {"Liisa Virtanen", "Mikko Korhonen"}
    assert data["me"]["position"] in (1, 2) and data["phase"]["kind"] == "round"
    assert set(data) == {
        *("open", "opens_at", "status", "version", "server_time", "phase", "next_phase"),
        *("order", "speaker", "time_left", "slot_seconds", "me"),
    }


def _state_queries(client, meeting, viewer) -> int:
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("state", meeting)).status_code == 200
    return len(queries)


def test_the_state_takes_the_same_queries_for_1_and_12_people(client, coordinator, member):
    small = make_forum(coordinator=coordinator, members=[member], name="Pieni")
    people = [member] + [UserFactory() for _ in range(11)]
    large = make_forum(coordinator=coordinator, members=people, name="Iso")
    counts = []
    for forum, group in ((small, [member]), (large, people)):
        meeting = now_meeting(forum)
        for person in group:
            services.presence_join(meeting=meeting, user=person)
        control(meeting, coordinator, "start")
        control(meeting, coordinator, "next")
        counts.append(_state_queries(client, meeting, member))
    assert counts[0] == counts[1]


# --- Private texts ------------------------------------------------------------------------


def test_notepad_and_commitment_are_encrypted_and_only_their_authors(
    client, meeting, member, second_member
):
    client.force_login(member)
    client.post(url("notepad", meeting), {"text": SECRET_NOTE})
    client.post(url("commitment", meeting), {"text": SECRET_COMMITMENT})
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM sessions_app_meetingnotepad")
        assert SECRET_NOTE not in cursor.fetchone()[0]
    assert SECRET_NOTE in client.get(url("room", meeting)).content.decode()
    client.force_login(second_member)
    assert "SALAINEN" not in client.get(url("room", meeting)).content.decode()


def test_the_previous_commitment_comes_back_to_its_author_only(
    client, forum, member, second_member
):
    earlier = now_meeting(forum, minutes_ago=60)
    services.commitment_save(meeting=earlier, user=member, text=SECRET_COMMITMENT)
    coming = make_meeting(forum)
    assert selectors.previous_commitment(coming, member).text == SECRET_COMMITMENT
    assert selectors.previous_commitment(coming, second_member) is None
    assert selectors.previous_commitment(earlier, member) is None
    assert selectors.previous_commitment_authors(coming, {member.pk, second_member.pk}) == {
        member.pk
    }
    client.force_login(member)
    response = client.post(
        url("commitment_outcome", earlier), {"outcome": "Meni hyvin", "next": "/meetings/"}
    )
    assert response.status_code == 302 and response["Location"] == "/meetings/"
    assert Commitment.objects.get(author=member).outcome == "Meni hyvin"
    assert selectors.previous_commitment_authors(coming, {member.pk}) == set()
    client.force_login(second_member)
    assert client.post(url("commitment_outcome", earlier), {"outcome": "x"}).status_code == 302
    assert Commitment.objects.get(author=member).outcome == "Meni hyvin"


def test_the_previous_commitment_card_renders_for_its_author(rf, forum, member):
    from django.template import Context, Template

    earlier = now_meeting(forum, minutes_ago=60)
    services.commitment_save(meeting=earlier, user=member, text=SECRET_COMMITMENT)
    request = rf.get("/meetings/1/preparation/")
    request.user = member
    html = Template("{% load live_tags %}{% previous_commitment_card meeting %}").render(
        Context({"request": request, "meeting": make_meeting(forum)})
    )
    assert SECRET_COMMITMENT in html and 'name="outcome"' in html


# --- Attendance from the room ---------------------------------------------------------------


def test_who_was_in_the_room_prefills_attendance(meeting, member, second_member, coordinator):
    services.presence_join(meeting=meeting, user=member)
    sheet = selectors.attendance_prefill(meeting, attendance_sheet(meeting))
    assert {row["user"].pk: row["present"] for row in sheet} == {
        member.pk: True,
        second_member.pk: False,
    }
    assert selectors.attendance_prefill_ids(meeting) == {member.pk}


def test_personal_data_export_and_erasure_cover_the_live_meeting():
    from sessions_app.personal_data import live_meetings
    from tests.members import personal_world

    world = personal_world.build()
    text = json.dumps(live_meetings(world.person), default=str, ensure_ascii=False)
    for secret in personal_world.PERSON_LIVE_TEXTS:
        assert secret in text
    for secret in personal_world.OTHER_LIVE_TEXTS:
        assert secret not in text
    from sessions_app.personal_data import forget

    forget(world.person, UserFactory())
    assert not LivePresence.objects.filter(user=world.person).exists()
    assert not Commitment.objects.filter(author=world.person).exists()
    assert all(world.person.pk not in live.order for live in LiveMeeting.objects.all())


def test_only_members_of_the_forum_can_be_marked_present(meeting, coordinator, outsider):
    with pytest.raises(ValidationError):
        services.presence_set(meeting=meeting, actor=coordinator, user_id=outsider.pk, present=True)
    with pytest.raises(PermissionDenied):
        services.notepad_save(meeting=meeting, user=outsider, text="x")
