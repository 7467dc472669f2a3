"""Forum access: outsiders and HR get 404, members 403 on coordinator actions, members
without the current agreement reach only the agreement page."""

import pytest
from django.urls import reverse

from forums import services
from forums.access import forums_for
from forums.models import Membership

pytestmark = pytest.mark.django_db

MEMBER_PAGES = ["forums:detail", "forums:agreement", "forums:leave"]
COORDINATOR_PAGES = ["forums:edit", "forums:agreement_edit", "forums:invitations", "forums:audit"]


def url(name, forum):
    return reverse(name, kwargs={"forum_id": forum.pk})


def test_member_sees_the_forum_and_its_member_names(client, forum, member, coordinator):
    client.force_login(member)
    response = client.get(url("forums:detail", forum))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Liisa Virtanen" in body
    assert "Kirsi Ojala" in body


@pytest.mark.parametrize("name", MEMBER_PAGES + COORDINATOR_PAGES)
def test_outsider_gets_404_for_every_forum_page(client, forum, outsider, name):
    client.force_login(outsider)
    assert client.get(url(name, forum)).status_code == 404


@pytest.mark.parametrize("name", MEMBER_PAGES + COORDINATOR_PAGES)
def test_hr_viewer_gets_404_for_every_forum_page_even_as_a_member(client, forum, hr_viewer, name):
    Membership.objects.create(forum=forum, user=hr_viewer, accepted_version=1)
    client.force_login(hr_viewer)
    assert client.get(url(name, forum)).status_code == 404


@pytest.mark.parametrize("name", COORDINATOR_PAGES)
def test_member_gets_403_on_coordinator_pages(client, forum, member, name):
    client.force_login(member)
    assert client.get(url(name, forum)).status_code == 403


@pytest.mark.parametrize("name", COORDINATOR_PAGES + ["forums:detail", "forums:agreement"])
def test_coordinator_reaches_every_page_of_their_forum(client, forum, coordinator, name):
    client.force_login(coordinator)
    assert client.get(url(name, forum)).status_code == 200


def test_coordinator_of_another_forum_is_an_outsider(client, forum, other_forum):
    other_coordinator = other_forum.coordinators.get()
    client.force_login(other_coordinator)
    assert client.get(url("forums:detail", forum)).status_code == 404
    assert client.get(url("forums:invitations", forum)).status_code == 404


def test_member_of_another_forum_sees_nothing_of_it(client, forum, other_forum, member):
    client.force_login(member)
    assert client.get(url("forums:detail", other_forum)).status_code == 404
    home = client.get("/").content.decode()
    assert "Foorumi A" in home
    assert "Foorumi B" not in home
    assert "Salainen" not in home


def test_member_without_the_current_agreement_reaches_only_the_agreement(
    client, forum, member, coordinator
):
    services.agreement_publish(forum=forum, actor=coordinator, text="Uusi sopimusteksti")
    client.force_login(member)
    response = client.get(url("forums:detail", forum))
    assert response.status_code == 302
    assert response.headers["Location"] == url("forums:agreement", forum)
    page = client.get(url("forums:agreement", forum)).content.decode()
    assert "Uusi sopimusteksti" in page
    assert "Liisa Virtanen" not in page.split("<main")[1]  # no member list before accepting


def test_unknown_forum_id_is_404_for_everyone(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/forums/999999/").status_code == 404


def test_only_coordinators_may_create_forums(client, member, hr_viewer, coordinator):
    for person in (member, hr_viewer):
        client.force_login(person)
        assert client.get(reverse("forums:create")).status_code == 403
    client.force_login(coordinator)
    assert client.get(reverse("forums:create")).status_code == 200


def test_forums_for_lists_active_memberships_and_coordinated_forums(
    forum, other_forum, member, coordinator, outsider, hr_viewer
):
    assert list(forums_for(member)) == [forum]
    assert list(forums_for(coordinator)) == [forum]
    assert list(forums_for(outsider)) == []
    assert list(forums_for(hr_viewer)) == []


def test_a_coordinator_who_is_not_a_member_cannot_leave_or_vote(client, forum, coordinator):
    from sessions_app.models import Theme, ThemeVote

    theme = Theme.objects.filter(forum__isnull=True).first()
    client.force_login(coordinator)
    assert client.post(url("forums:leave", forum)).status_code == 403
    vote = reverse("meetings:theme_vote", kwargs={"forum_id": forum.pk, "theme_id": theme.pk})
    assert client.post(vote).status_code == 403
    assert not ThemeVote.objects.exists()
    assert forum.coordinators.filter(pk=coordinator.pk).exists()


def test_coordinator_whose_role_is_taken_away_loses_the_forum_and_its_notes(
    client, forum, coordinator, member
):
    from sessions_app.notes import services as notes
    from tests.factories import make_held_meeting

    meeting = make_held_meeting(forum, attendees=[member])
    notes.note_save(
        meeting=meeting, author=coordinator, text="Teema: muutos.", dismissed=frozenset()
    )
    pages = [
        url("forums:detail", forum),
        reverse("notes:forum_notes", kwargs={"forum_id": forum.pk}),
        reverse("notes:meeting_notes", kwargs={"meeting_id": meeting.pk}),
    ]
    client.force_login(coordinator)
    assert [client.get(page).status_code for page in pages] == [200, 200, 200]

    coordinator.is_coordinator = False
    coordinator.save(update_fields=["is_coordinator"])

    assert [client.get(page).status_code for page in pages] == [404, 404, 404]
    assert list(forums_for(coordinator)) == []
    assert "Foorumi A" not in client.get("/").content.decode()
    # Still listed as the forum's coordinator, so giving the role back restores access.
    assert forum.coordinators.filter(pk=coordinator.pk).exists()


def test_former_coordinator_who_is_also_a_member_keeps_member_access_only(
    client, forum, coordinator
):
    Membership.objects.create(forum=forum, user=coordinator, accepted_version=1)
    coordinator.is_coordinator = False
    coordinator.save(update_fields=["is_coordinator"])
    client.force_login(coordinator)
    assert client.get(url("forums:detail", forum)).status_code == 200
    assert client.get(url("forums:invitations", forum)).status_code == 403
