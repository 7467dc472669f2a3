"""The coordinator's to-do list (sessions_app/meetings/todo.py) and the dashboard that
shows it: what waits in the forums one coordinates, each with the page where it is
done; nothing of other forums or archived ones; four queries however much there is."""

from datetime import timedelta
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from forums.models import Forum
from sessions_app.meetings.scheduling import Occurrence
from sessions_app.meetings.todo import coordinator_todo
from sessions_app.models import Meeting, OutboxMessage, Participation, SessionNote
from sessions_app.polls import services as polls
from tests.factories import (
    UserFactory,
    make_forum,
    make_held_meeting,
    make_invitation,
    make_meeting,
)

pytestmark = pytest.mark.django_db
_ids = count(1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def second_member(forum):
    user = UserFactory(first_name="Mikko", last_name="Korhonen")
    forum.memberships.create(user=user, accepted_version=forum.agreement_version)
    return user


def todo(user) -> list[tuple[str, str, str]]:
    return [(item.kind, item.text, item.url) for item in coordinator_todo(user)]


def days(n: float):
    return timezone.now() + timedelta(days=n)


def open_poll(forum, coordinator, title="Kevään aika"):
    start = days(20)
    return polls.poll_create(
        forum=forum,
        actor=coordinator,
        title=title,
        slots=[
            Occurrence(start, start + timedelta(hours=2)),
            Occurrence(start + timedelta(days=1), start + timedelta(days=1, hours=2)),
        ],
    )


def answer(poll, user):
    polls.poll_answer(poll=poll, user=user, answers={poll.slots.first().pk: "yes"})


def failed_email(forum, n: int, *, created_at=None):
    OutboxMessage.objects.create(
        kind=OutboxMessage.Kind.REMINDER,
        recipient_email=f"bounce{n}@example.fi",
        object_id=n,
        occasion=f"o{n}",
        forum=forum,
        status=OutboxMessage.Status.FAILED,
        created_at=created_at or timezone.now() - timedelta(days=2),
    )


def write_note(meeting):
    SessionNote.objects.create(meeting=meeting, body_encrypted="-", expires_at=days(700))


def fill_with_loose_ends(forum, coordinator, *, tag: str) -> None:
    """One of everything the list shows, in `forum`."""
    answer(open_poll(forum, coordinator, title=f"Aika {tag}"), forum.memberships.first().user)
    make_meeting(forum, starts_at=days(5), theme="")  # nobody has answered
    make_meeting(forum, starts_at=days(-3), theme="")  # attendance not recorded
    make_held_meeting(forum, attendees=[], days_ago=10)  # held, no attendance, no notes
    make_held_meeting(forum, attendees=[forum.memberships.first().user], days_ago=20)  # no notes
    failed_email(forum, next(_ids))
    make_invitation(forum, f"kutsu-{tag}@example.fi", expires_at=days(3))


def test_each_kind_of_loose_end_with_a_sentence_and_its_page(
    forum, member, second_member, coordinator
):
    poll = open_poll(forum, coordinator)
    answer(poll, member)
    everyone = open_poll(forum, coordinator, title="Syksyn aika")
    answer(everyone, member)
    answer(everyone, second_member)
    soon = make_meeting(forum, starts_at=days(5), theme="")
    ended = make_meeting(forum, starts_at=days(-3), theme="")
    held = make_held_meeting(forum, attendees=[member], days_ago=20)
    failed_email(forum, 1)
    failed_email(forum, 2)
    make_invitation(forum, "uusi@example.fi", expires_at=days(3))

    items = coordinator_todo(coordinator)
    assert [item.kind for item in items] == [
        "poll", "poll", "rsvp", "attendance", "notes", "email", "invitation",
    ]  # fmt: skip
    assert {item.forum_name for item in items} == {"Foorumi A"}
    when = {m.pk: _when(m) for m in (soon, ended, held)}
    forum_url = reverse("forums:detail", kwargs={"forum_id": forum.pk})
    assert todo(coordinator) == [
        (
            "poll",
            "1 member has not answered the poll “Kevään aika”: Mikko Korhonen.",
            reverse("meetings:poll", kwargs={"poll_id": poll.pk}),
        ),
        (
            "poll",
            "Everyone has answered the poll “Syksyn aika”: you can pick the time.",
            reverse("meetings:poll", kwargs={"poll_id": everyone.pk}),
        ),
        (
            "rsvp",
            f"No member has said yet whether they are coming to the meeting on {when[soon.pk]}.",
            reverse("meetings:detail", kwargs={"meeting_id": soon.pk}),
        ),
        (
            "attendance",
            f"The meeting on {when[ended.pk]} is over, but its attendance is not recorded.",
            reverse("meetings:attendance", kwargs={"meeting_id": ended.pk}),
        ),
        (
            "notes",
            f"The meeting on {when[held.pk]} has no session notes yet.",
            reverse("notes:meeting_notes_edit", kwargs={"meeting_id": held.pk}),
        ),
        (
            "email",
            "2 emails could not be delivered in the last 30 days.",
            f"{forum_url}#undelivered-heading",
        ),
        (
            "invitation",
            f"1 unanswered invitation expires on {_when_invitation(forum)}.",
            reverse("forums:invitations", kwargs={"forum_id": forum.pk}),
        ),
    ]


def _when(meeting) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localtime(meeting.starts_at), "D j.n.Y H.i")


def _when_invitation(forum) -> str:
    from django.utils.formats import date_format

    expires = forum.invitations.get().expires_at
    return date_format(timezone.localtime(expires), "D j.n.Y H.i")


def test_what_is_done_or_not_yet_due_is_not_listed(forum, member, second_member, coordinator):
    closed = open_poll(forum, coordinator)
    closed.closed_at = timezone.now()
    closed.save(update_fields=["closed_at"])
    half = make_meeting(forum, starts_at=days(5), theme="")
    Participation.objects.create(meeting=half, user=member, rsvp="no")  # 1 of 2: half
    make_meeting(forum, starts_at=days(20), theme="")  # beyond the 14 days
    make_meeting(forum, starts_at=days(-2), status=Meeting.Status.CANCELLED)
    noted = make_held_meeting(forum, attendees=[member], days_ago=10)
    write_note(noted)
    make_held_meeting(forum, attendees=[member], days_ago=120)  # too long ago for notes
    failed_email(forum, 1, created_at=timezone.now() - timedelta(days=40))
    make_invitation(forum, "myohemmin@example.fi", expires_at=days(10))
    make_invitation(forum, "vanhentunut@example.fi", expires_at=days(-1))
    assert coordinator_todo(coordinator) == []


def test_answers_of_members_who_left_do_not_count(forum, member, second_member, coordinator):
    third = UserFactory()
    forum.memberships.create(user=third, accepted_version=forum.agreement_version)
    meeting = make_meeting(forum, starts_at=days(5), theme="")
    leaver = UserFactory()
    forum.memberships.create(user=leaver, ended_at=timezone.now())
    Participation.objects.create(meeting=meeting, user=leaver, rsvp="yes")
    Participation.objects.create(meeting=meeting, user=member, rsvp="yes")
    assert todo(coordinator) == [
        (
            "rsvp",
            f"Only 1 of 3 members has said whether they are coming to the meeting on "
            f"{_when(meeting)}.",
            reverse("meetings:detail", kwargs={"meeting_id": meeting.pk}),
        )
    ]


def test_other_forums_and_archived_ones_stay_out(forum, other_forum, member, coordinator):
    fill_with_loose_ends(other_forum, other_forum.coordinators.get(), tag="muu")
    archived = make_forum(coordinator=coordinator, members=[UserFactory()], name="Arkistoitu")
    fill_with_loose_ends(archived, coordinator, tag="arkisto")
    Forum.objects.filter(pk=archived.pk).update(status=Forum.Status.ARCHIVED)
    assert coordinator_todo(coordinator) == []
    assert {item.forum_name for item in coordinator_todo(other_forum.coordinators.get())} == {
        "Foorumi B"
    }


def test_nobody_but_a_coordinator_with_the_role_gets_a_list(forum, member, coordinator):
    fill_with_loose_ends(forum, coordinator, tag="a")
    assert coordinator_todo(member) == []
    coordinator.is_coordinator = False
    coordinator.save(update_fields=["is_coordinator"])
    assert coordinator_todo(coordinator) == []


def count_queries(user) -> int:
    with CaptureQueriesContext(connection) as captured:
        coordinator_todo(user)
    return len(captured)


def test_four_queries_for_one_forum_or_three_with_many_meetings(forum, member, coordinator):
    fill_with_loose_ends(forum, coordinator, tag="a")
    one = count_queries(coordinator)
    small = len(coordinator_todo(coordinator))
    for n in range(2):
        people = [UserFactory() for _ in range(6)]
        more = make_forum(coordinator=coordinator, members=people, name=f"Lisä {n}")
        for m in range(3):
            fill_with_loose_ends(more, coordinator, tag=f"{n}-{m}")
        for m in range(8):
            meeting = make_meeting(more, starts_at=days(1 + m * 0.5), hours=1, theme="")
            Participation.objects.create(meeting=meeting, user=people[0], rsvp="yes")
    assert len(coordinator_todo(coordinator)) > 4 * small
    # The forums (with their failed emails), their members, their invitations, and the
    # open polls with the meetings.
    assert count_queries(coordinator) == one == 4


# --- The dashboard ------------------------------------------------------------------------


def test_dashboard_shows_the_list_with_links(client, forum, member, second_member, coordinator):
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    poll = open_poll(forum, coordinator)
    answer(poll, member)
    client.force_login(coordinator)
    page = client.get(reverse("home")).content.decode()
    assert "Waiting for you" in page
    assert "1 member has not answered the poll “Kevään aika”: Mikko Korhonen." in page
    assert f'href="{reverse("meetings:poll", kwargs={"poll_id": poll.pk})}"' in page
    assert "Nothing waiting for you." not in page


def test_dashboard_says_when_nothing_waits(client, forum, coordinator):
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    client.force_login(coordinator)
    page = client.get(reverse("home")).content.decode()
    assert "Nothing waiting for you." in page
    assert "<table" not in page  # the forums are cards, which fit a phone


def test_dashboard_runs_a_fixed_number_of_queries(client, forum, member, coordinator):
    fill_with_loose_ends(forum, coordinator, tag="a")
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("home")).status_code == 200
    for n in range(2):
        people = [UserFactory() for _ in range(5)]
        more = make_forum(coordinator=coordinator, members=people, name=f"Lisä {n}")
        for m in range(3):
            fill_with_loose_ends(more, coordinator, tag=f"{n}-{m}")
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("home")).status_code == 200
    assert len(large) == len(small)
