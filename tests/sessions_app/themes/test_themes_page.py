"""The themes page: by votes; voting keeps the page's place; each theme says which of
this forum's meetings it was chosen for; a proposer sees their own proposals chosen,
and nobody sees who proposed what."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions_app.meetings import services as meeting_services
from sessions_app.models import Meeting, Theme, ThemeVote
from sessions_app.themes import services
from tests.factories import UserFactory, make_meeting

pytestmark = pytest.mark.django_db


def themes_url(forum) -> str:
    return reverse("meetings:themes", kwargs={"forum_id": forum.pk})


def vote_url(forum, theme) -> str:
    return reverse("meetings:theme_vote", kwargs={"forum_id": forum.pk, "theme_id": theme.pk})


def in_english(*users) -> None:
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


@pytest.fixture
def second_member(forum):
    user = UserFactory(first_name="Mikko", last_name="Korhonen")
    forum.memberships.create(user=user, accepted_version=forum.agreement_version)
    return user


@pytest.fixture
def library_theme(db) -> Theme:
    return Theme.objects.get(title_en="Leading change")


def card(response, theme) -> str:
    """The theme's card on the page."""
    page = response.content.decode()
    start = page.index(f'id="theme-{theme.pk}"')
    return page[start : page.index("</li>", start)]


def test_a_vote_returns_to_the_themes_card(client, forum, member, library_theme):
    client.force_login(member)
    response = client.post(vote_url(forum, library_theme))
    assert response.status_code == 302
    assert response.headers["Location"] == f"{themes_url(forum)}#theme-{library_theme.pk}"
    assert ThemeVote.objects.filter(theme=library_theme, user=member).exists()
    page = client.get(themes_url(forum))
    assert f'id="theme-{library_theme.pk}"' in page.content.decode()
    assert page.context["themes"][0] == library_theme


def test_a_proposal_returns_to_its_new_card(client, forum, member):
    client.force_login(member)
    response = client.post(themes_url(forum), {"title": "Palkkakeskustelut"})
    proposed = Theme.objects.get(title_fi="Palkkakeskustelut")
    assert response.headers["Location"] == f"{themes_url(forum)}#theme-{proposed.pk}"


def test_a_proposal_too_long_is_refused_and_kept_in_the_field(client, forum, member):
    client.force_login(member)
    title = "Pitkä " * 40
    response = client.post(themes_url(forum), {"title": title})
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert title.strip() in response.content.decode()
    assert not Theme.objects.filter(forum=forum).exists()


def test_only_coordinators_get_the_pick_link(client, forum, member, coordinator, library_theme):
    pick = reverse(
        "meetings:theme_pick", kwargs={"forum_id": forum.pk, "theme_id": library_theme.pk}
    )
    client.force_login(member)
    assert pick not in client.get(themes_url(forum)).content.decode()
    client.force_login(coordinator)
    assert pick in card(client.get(themes_url(forum)), library_theme)


def test_each_theme_says_which_meetings_of_this_forum_it_was_chosen_for(
    client, forum, other_forum, member, coordinator, library_theme
):
    in_english(member)
    first = make_meeting(forum, starts_at=timezone.now() + timedelta(days=10), theme="")
    second = make_meeting(forum, starts_at=timezone.now() + timedelta(days=40), theme="")
    cancelled = make_meeting(forum, starts_at=timezone.now() + timedelta(days=20), theme="")
    theirs = make_meeting(other_forum, starts_at=timezone.now() + timedelta(days=15), theme="")
    for meeting in (first, second, cancelled):
        services.theme_pick(theme=library_theme, meeting=meeting, actor=coordinator)
    other_coordinator = other_forum.coordinators.get()
    services.theme_pick(theme=library_theme, meeting=theirs, actor=other_coordinator)
    meeting_services.meeting_cancel(meeting=Meeting.objects.get(pk=cancelled.pk), actor=coordinator)

    client.force_login(member)
    response = client.get(themes_url(forum))
    shown = next(t for t in response.context["themes"] if t == library_theme)
    assert [m.pk for m in shown.chosen] == [first.pk, second.pk]
    html = card(response, library_theme)
    for meeting in (first, second):
        day = timezone.localtime(meeting.starts_at)
        assert f"Chosen for the meeting on {day.day}.{day.month}.{day.year}" in html
        assert reverse("meetings:detail", kwargs={"meeting_id": meeting.pk}) in html
    assert html.count("Chosen for the meeting on") == 2  # not the cancelled, not theirs


def test_a_meeting_whose_theme_was_edited_afterwards_no_longer_counts(
    client, forum, member, coordinator, library_theme
):
    meeting = make_meeting(forum, theme="")
    services.theme_pick(theme=library_theme, meeting=meeting, actor=coordinator)
    meeting.refresh_from_db()
    fields = {name: getattr(meeting, name) for name in meeting_services.EDITABLE_FIELDS}
    meeting_services.meeting_update(
        meeting=meeting, actor=coordinator, **{**fields, "theme": "Jotain muuta"}
    )
    client.force_login(member)
    response = client.get(themes_url(forum))
    assert next(t for t in response.context["themes"] if t == library_theme).chosen == []


def test_the_proposer_sees_their_proposal_chosen_and_nobody_sees_who_proposed(
    client, forum, member, second_member, coordinator
):
    in_english(member, second_member, coordinator)
    proposal = services.theme_propose(forum=forum, user=member, title="Palkkakeskustelut")
    meeting = make_meeting(forum, theme="")
    services.theme_pick(theme=proposal, meeting=meeting, actor=coordinator)
    day = timezone.localtime(meeting.starts_at)
    when = f"{day.day}.{day.month}.{day.year}"

    client.force_login(member)
    mine = client.get(themes_url(forum))
    assert mine.context["my_chosen"] == [(proposal, Meeting.objects.get(pk=meeting.pk))]
    assert f"Your proposal “Palkkakeskustelut” was chosen for the meeting on {when}." in (
        mine.content.decode()
    )
    assert "Your proposal" in card(mine, proposal)

    for viewer in (second_member, coordinator):
        client.force_login(viewer)
        response = client.get(themes_url(forum))
        page = response.content.decode()
        assert response.context["my_chosen"] == []
        assert "Your proposal" not in page
        assert f"Chosen for the meeting on {when}" in card(response, proposal)
        assert "Virtanen" not in page and "Liisa" not in page
        assert member.email not in page


def test_themes_page_runs_a_fixed_number_of_queries(client, forum, member, coordinator):
    services.theme_propose(forum=forum, user=member, title="Ensimmäinen")
    counts = {}
    for persona in (member, coordinator):
        client.force_login(persona)
        counts[persona.pk] = _count(client, forum)
    people = [UserFactory() for _ in range(8)]
    for user in people:
        forum.memberships.create(user=user, accepted_version=forum.agreement_version)
    for n, user in enumerate(people):
        theme = services.theme_propose(forum=forum, user=user, title=f"Aihe {n}")
        for voter in people[: n + 1]:
            ThemeVote.objects.get_or_create(forum=forum, theme=theme, user=voter)
        meeting = make_meeting(forum, starts_at=timezone.now() + timedelta(days=5 + n), theme="")
        services.theme_pick(theme=theme, meeting=meeting, actor=coordinator)
    for persona in (member, coordinator):
        client.force_login(persona)
        assert _count(client, forum) == counts[persona.pk]
    # Session and user, the forum with the viewer's access (one query for a member and a
    # coordinator alike), the themes, the meetings they were chosen for.
    assert counts == {member.pk: 5, coordinator.pk: 5}


def _count(client, forum) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(themes_url(forum)).status_code == 200
    return len(captured)
