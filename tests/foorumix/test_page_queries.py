"""Every persona's main page runs the same, small number of queries with one item as with
many (bench/pages.py times them): the forum page for a member and for a coordinator, a
meeting page, my meetings, both home pages and the notes list. The HR page is pinned in
tests/sessions_app/hr/test_views.py."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from foorumix import outbox
from forums import invitations
from sessions_app.meetings import services
from sessions_app.models import OutboxMessage
from tests.factories import UserFactory, make_forum, make_held_meeting, make_meeting

pytestmark = pytest.mark.django_db

# Session and user: what every signed-in page starts with.
SESSION_AND_USER = 2


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def grow_forum(forum, coordinator, people, *, meetings: int) -> list:
    """More members, meetings (held and coming, with answers and shared preparations),
    polls, invitations and an undelivered email: everything the pages list."""
    others = [UserFactory() for _ in range(people)]
    for user in others:
        forum.memberships.create(user=user, accepted_version=forum.agreement_version)
    members = [m.user for m in forum.memberships.select_related("user")]
    for number in range(meetings):
        make_held_meeting(forum, attendees=members, days_ago=30 + number)
        coming = make_meeting(forum, starts_at=timezone.now() + timedelta(days=3 + number))
        for user in members:
            services.rsvp_set(meeting=coming, user=user, rsvp="no", absence_note="Lomalla")
            services.preparation_save(
                meeting=coming, user=user, current_situation="Kiire", to_bring="", shared=True
            )
    invitations.invitation_create_many(
        forum=forum, actor=coordinator, text=" ".join(f"k{n}@example.fi" for n in range(people))
    )
    # Undelivered emails, shown to the coordinators.
    OutboxMessage.objects.filter(forum_id=forum.pk).update(status=outbox.FAILED)
    return members


def test_forum_page_runs_a_fixed_number_of_queries(client, forum, member, coordinator):
    make_meeting(forum)
    paths = {"forum": reverse("forums:detail", kwargs={"forum_id": forum.pk})}
    small = {}
    for persona in (member, coordinator):
        client.force_login(persona)
        small[persona.pk] = queries(client, paths["forum"])
    grow_forum(forum, coordinator, people=8, meetings=6)
    for persona in (member, coordinator):
        client.force_login(persona)
        assert queries(client, paths["forum"]) == small[persona.pk]
    # Access (the forum with the viewer's membership and, for the coordinator role, place
    # among its coordinators: one statement), meetings, polls, and the organisations,
    # coordinators and members in one; the coordinator: also the undelivered emails.
    assert small[member.pk] == SESSION_AND_USER + 4
    assert small[coordinator.pk] == SESSION_AND_USER + 5


def test_meeting_page_runs_a_fixed_number_of_queries(client, forum, member, coordinator):
    meeting = make_meeting(forum)
    path = reverse("meetings:detail", kwargs={"meeting_id": meeting.pk})
    small = {}
    for persona in (member, coordinator):
        client.force_login(persona)
        small[persona.pk] = queries(client, path)
    members = grow_forum(forum, coordinator, people=10, meetings=1)
    for user in members:
        services.rsvp_set(meeting=meeting, user=user, rsvp="yes")
        services.preparation_save(
            meeting=meeting, user=user, current_situation="Jaettu", to_bring="", shared=True
        )
    for persona in (member, coordinator):
        client.force_login(persona)
        assert queries(client, path) == small[persona.pk]
    # Access (the meeting with its forum and the viewer's membership or coordination, one
    # query); one statement for the answers (a member: own answer and who is coming; a
    # coordinator who is not a member: every active member's answer) and the preparations
    # (own and shared).
    assert small[member.pk] == SESSION_AND_USER + 2
    assert small[coordinator.pk] == SESSION_AND_USER + 2


def test_my_meetings_and_home_pages_run_a_fixed_number_of_queries(
    client, forum, member, coordinator
):
    make_meeting(forum)
    pages = [(member, reverse("meetings:list")), (member, "/"), (coordinator, "/")]
    small = []
    for persona, path in pages:
        client.force_login(persona)
        small.append(queries(client, path))
    grow_forum(forum, coordinator, people=6, meetings=8)
    for number in range(5):
        make_forum(coordinator=coordinator, members=[member, UserFactory()], name=f"F{number}")
    large = []
    for persona, path in pages:
        client.force_login(persona)
        large.append(queries(client, path))
    assert small == large
    # My meetings: upcoming and past. Member home: upcoming, my forums (with their
    # members, counted), invitations, my answer and preparation for the next meeting,
    # polls waiting for me. Dashboard: upcoming, invitations, the coordinated forums
    # (organisations, failed-email counts, next meeting), the members of those and of my
    # forums, and in one statement the to-do list's open polls with their answers and its
    # meetings with their answers, attendance and notes. (The invitations query also
    # counts the coordinated forums' open invitations.)
    assert small == [SESSION_AND_USER + 2, SESSION_AND_USER + 5, SESSION_AND_USER + 5]


def test_notes_list_runs_a_fixed_number_of_queries(client, forum, member, coordinator):
    make_held_meeting(forum, attendees=[member])
    path = reverse("notes:forum_notes", kwargs={"forum_id": forum.pk})
    client.force_login(member)
    small = queries(client, path)
    grow_forum(forum, coordinator, people=4, meetings=10)
    assert queries(client, path) == small
