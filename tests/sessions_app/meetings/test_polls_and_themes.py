from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from forums.models import Membership
from sessions_app.meetings.scheduling import Occurrence
from sessions_app.models import Meeting, PollAnswer, SchedulingPoll, Theme, ThemeVote
from sessions_app.polls import services as planning
from sessions_app.themes import services as theme_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def slots(n):
    base = timezone.now().replace(microsecond=0) + timedelta(days=10)
    return [
        Occurrence(base + timedelta(days=i), base + timedelta(days=i, hours=3)) for i in range(n)
    ]


@pytest.fixture
def poll(forum, coordinator):
    return planning.poll_create(
        forum=forum, actor=coordinator, title="Kevään tapaaminen", slots=slots(3)
    )


@pytest.fixture
def second_member(forum):
    user = UserFactory(first_name="Mikko", last_name="Korhonen")
    Membership.objects.create(forum=forum, user=user, accepted_version=forum.agreement_version)
    return user


@pytest.mark.parametrize("count", [1, 7])
def test_a_poll_needs_two_to_six_slots(forum, coordinator, count):
    with pytest.raises(Exception, match="between two and six"):
        planning.poll_create(forum=forum, actor=coordinator, title="x", slots=slots(count))
    assert not SchedulingPoll.objects.exists()


def test_members_see_only_their_own_answers_and_coordinators_see_all(
    client, poll, member, second_member, coordinator
):
    first, second, third = poll.slots.all()
    client.force_login(member)
    client.post(
        reverse("meetings:poll", kwargs={"poll_id": poll.pk}),
        {f"slot_{first.pk}": "yes", f"slot_{second.pk}": "if_needed", f"slot_{third.pk}": "no"},
    )
    planning.poll_answer(
        poll=poll, user=second_member, answers={first.pk: "no", second.pk: "yes", third.pk: "yes"}
    )
    client.force_login(second_member)
    page = client.get(reverse("meetings:poll", kwargs={"poll_id": poll.pk}))
    assert "results" not in page.context
    assert "Liisa" not in page.content.decode()
    assert page.context["form"].initial == {
        f"slot_{first.pk}": "no",
        f"slot_{second.pk}": "yes",
        f"slot_{third.pk}": "yes",
    }
    client.force_login(coordinator)
    page = client.get(reverse("meetings:poll", kwargs={"poll_id": poll.pk}))
    results = page.context["results"]
    rows = {person.first_name: answers for person, answers in results.rows}
    assert rows == {"Liisa": ["yes", "if_needed", "no"], "Mikko": ["no", "yes", "yes"]}
    assert [(s.yes, s.if_needed, s.no) for s in results.slots] == [
        (1, 0, 1),
        (1, 1, 0),
        (1, 0, 1),
    ]


def test_coordinator_picks_a_slot_and_the_meeting_is_created(client, poll, coordinator, member):
    slot = poll.slots.all()[1]
    client.force_login(member)
    pick = reverse("meetings:poll_pick", kwargs={"poll_id": poll.pk, "slot_id": slot.pk})
    assert client.post(pick).status_code == 403
    client.force_login(coordinator)
    response = client.post(pick)
    meeting = Meeting.objects.get()
    assert response.headers["Location"] == reverse(
        "meetings:detail", kwargs={"meeting_id": meeting.pk}
    )
    assert (meeting.starts_at, meeting.ends_at) == (slot.starts_at, slot.ends_at)
    poll.refresh_from_db()
    assert poll.closed_at is not None and poll.meeting == meeting
    with translation.override("en"), pytest.raises(Exception, match="closed"):
        planning.poll_answer(poll=poll, user=member, answers={slot.pk: "yes"})


def test_outsiders_cannot_see_or_answer_a_poll(client, poll, outsider, hr_viewer):
    slot = poll.slots.first()
    for person in (outsider, hr_viewer):
        client.force_login(person)
        assert client.get(reverse("meetings:poll", kwargs={"poll_id": poll.pk})).status_code == 404
        client.post(
            reverse("meetings:poll", kwargs={"poll_id": poll.pk}), {f"slot_{slot.pk}": "yes"}
        )
    assert not PollAnswer.objects.exists()


def test_theme_library_is_seeded_in_finnish_english_and_swedish():
    library = Theme.objects.filter(forum__isnull=True)
    assert library.count() >= 10
    titles = set(library.values_list("title_en", flat=True))
    assert {"Leading change", "Difficult conversations", "Own coping and boundaries",
            "Between management and staff", "Becoming a supervisor"} <= titles  # fmt: skip
    assert all(t.title_fi and t.title_en and t.title_sv for t in library)


def test_members_propose_and_vote_with_an_equal_voice(client, forum, member, second_member):
    client.force_login(member)
    client.post(
        reverse("meetings:themes", kwargs={"forum_id": forum.pk}), {"title": "Palkkakeskustelut"}
    )
    proposed = Theme.objects.get(title_fi="Palkkakeskustelut")
    assert proposed.forum == forum
    vote = reverse("meetings:theme_vote", kwargs={"forum_id": forum.pk, "theme_id": proposed.pk})
    client.post(vote)  # the proposer voted already: this takes it back
    client.post(vote)
    client.force_login(second_member)
    client.post(vote)
    assert ThemeVote.objects.filter(theme=proposed).count() == 2
    page = client.get(reverse("meetings:themes", kwargs={"forum_id": forum.pk}))
    assert page.context["themes"][0] == proposed
    assert page.context["themes"][0].vote_count == 2


def test_another_forums_proposal_is_invisible_and_cannot_be_voted(
    client, forum, other_forum, member
):
    theirs = theme_services.theme_propose(
        forum=other_forum, user=other_forum.memberships.get().user, title="SALAINEN AIHE"
    )
    client.force_login(member)
    page = client.get(reverse("meetings:themes", kwargs={"forum_id": forum.pk}))
    assert "SALAINEN AIHE" not in page.content.decode()
    response = client.post(
        reverse("meetings:theme_vote", kwargs={"forum_id": forum.pk, "theme_id": theirs.pk})
    )
    assert response.status_code == 404
    assert ThemeVote.objects.filter(theme=theirs).count() == 1
