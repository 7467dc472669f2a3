"""Coordinators pick a theme for one upcoming meeting (meetings:theme_pick): GET shows
the forum's upcoming scheduled meetings, each of a series on its own; POST makes the
theme that meeting's theme through the meetings service, so members hear of it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sessions_app.meetings import services as meeting_services
from sessions_app.meetings.scheduling import Occurrence
from sessions_app.models import Meeting, MeetingChange, OutboxMessage, Theme
from sessions_app.themes import services
from tests.factories import UserFactory, make_meeting

pytestmark = pytest.mark.django_db


def pick_url(forum, theme) -> str:
    return reverse("meetings:theme_pick", kwargs={"forum_id": forum.pk, "theme_id": theme.pk})


def themes_url(forum) -> str:
    return reverse("meetings:themes", kwargs={"forum_id": forum.pk})


@pytest.fixture
def theme(db) -> Theme:
    return Theme.objects.get(title_en="Difficult conversations")


@pytest.fixture
def series(forum, coordinator) -> list[Meeting]:
    """Three monthly meetings scheduled together, the first in a week."""
    start = timezone.now().replace(microsecond=0) + timedelta(days=7)
    return meeting_services.meeting_schedule(
        forum=forum,
        actor=coordinator,
        occurrences=[
            Occurrence(start + timedelta(days=28 * n), start + timedelta(days=28 * n, hours=3))
            for n in range(3)
        ],
        theme="Kuulumiset",
        rule="FREQ=MONTHLY;COUNT=3",
    )


def test_pick_page_lists_each_upcoming_scheduled_meeting_of_the_forum(
    client, forum, other_forum, coordinator, theme, series
):
    single = make_meeting(forum, starts_at=timezone.now() + timedelta(days=3), theme="")
    make_meeting(forum, starts_at=timezone.now() - timedelta(days=3))  # past
    make_meeting(
        forum, starts_at=timezone.now() + timedelta(days=4), status=Meeting.Status.CANCELLED
    )
    make_meeting(other_forum, starts_at=timezone.now() + timedelta(days=5), theme="VIERAS")
    client.force_login(coordinator)
    response = client.get(pick_url(forum, theme))
    assert response.status_code == 200
    assert [m.pk for m in response.context["meetings"]] == [single.pk] + [m.pk for m in series]
    page = response.content.decode()
    assert page.count('name="meeting"') == 4
    assert "Kuulumiset" in page and "VIERAS" not in page


def test_picking_sets_the_theme_of_that_meeting_only_and_members_are_told(
    client, forum, member, coordinator, theme, series
):
    client.force_login(coordinator)
    before = MeetingChange.objects.count()
    response = client.post(pick_url(forum, theme), {"meeting": series[1].pk})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{themes_url(forum)}#theme-{theme.pk}"
    picked = Meeting.objects.get(pk=series[1].pk)
    assert (picked.theme, picked.theme_source, picked.sequence) == ("Vaikeat keskustelut", theme, 1)
    change = MeetingChange.objects.get(meeting=picked, kind=MeetingChange.Kind.CHANGED)
    assert (change.fields, change.sequence, change.actor) == ("theme", 1, coordinator)
    assert MeetingChange.objects.count() == before + 1
    assert OutboxMessage.objects.filter(
        kind=OutboxMessage.Kind.MEETING_CHANGED, object_id=picked.pk, recipient=member
    ).exists()
    for other in (series[0], series[2]):
        other.refresh_from_db()
        assert (other.theme, other.theme_source, other.sequence) == ("Kuulumiset", None, 0)


def test_picking_the_theme_a_meeting_already_has_changes_nothing_members_hear_of(
    forum, coordinator, theme, series
):
    services.theme_pick(theme=theme, meeting=series[0], actor=coordinator)
    changes = MeetingChange.objects.count()
    messages = OutboxMessage.objects.count()
    services.theme_pick(theme=theme, meeting=series[0], actor=coordinator)
    series[0].refresh_from_db()
    assert series[0].sequence == 1
    assert MeetingChange.objects.count() == changes
    assert OutboxMessage.objects.count() == messages


def test_a_meeting_with_its_theme_already_typed_in_gets_only_the_source(forum, coordinator, theme):
    meeting = make_meeting(forum, theme="Vaikeat keskustelut")
    services.theme_pick(theme=theme, meeting=meeting, actor=coordinator)
    meeting.refresh_from_db()
    assert (meeting.theme_source, meeting.sequence) == (theme, 0)
    assert not MeetingChange.objects.filter(meeting=meeting).exists()


def test_the_title_is_taken_in_the_forums_language(coordinator, member, theme):
    from tests.factories import make_forum

    swedish = make_forum(coordinator=coordinator, members=[member], language="sv")
    meeting = make_meeting(swedish, theme="")
    services.theme_pick(theme=theme, meeting=meeting, actor=coordinator)
    meeting.refresh_from_db()
    assert meeting.theme == theme.title_sv != theme.title_fi


@pytest.mark.parametrize(
    "choice",
    ["", "abc", "past", "cancelled", "other forum", "999999999"],
)
def test_a_bad_choice_is_refused_clearly_and_changes_nothing(
    client, forum, other_forum, coordinator, theme, series, choice
):
    ids = {
        "past": make_meeting(forum, starts_at=timezone.now() - timedelta(days=2)).pk,
        "cancelled": make_meeting(
            forum, starts_at=timezone.now() + timedelta(days=2), status="cancelled"
        ).pk,
        "other forum": make_meeting(other_forum).pk,
    }
    client.force_login(coordinator)
    response = client.post(pick_url(forum, theme), {"meeting": ids.get(choice, choice)})
    assert response.status_code == 200
    assert response.context["form"].errors["meeting"]
    assert 'class="errorlist"' in response.content.decode()
    assert not Meeting.objects.filter(theme_source__isnull=False).exists()
    assert not MeetingChange.objects.filter(kind=MeetingChange.Kind.CHANGED).exists()


def test_a_meeting_that_started_meanwhile_is_refused_by_the_service(
    forum, coordinator, theme, series
):
    Meeting.objects.filter(pk=series[0].pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(ValidationError):
        services.theme_pick(theme=theme, meeting=series[0], actor=coordinator)
    series[0].refresh_from_db()
    assert (series[0].theme, series[0].theme_source) == ("Kuulumiset", None)


def test_another_forums_proposal_cannot_be_picked(client, forum, other_forum, coordinator, series):
    theirs = services.theme_propose(
        forum=other_forum, user=other_forum.memberships.get().user, title="SALAINEN AIHE"
    )
    client.force_login(coordinator)
    assert client.get(pick_url(forum, theirs)).status_code == 404
    assert client.post(pick_url(forum, theirs), {"meeting": series[0].pk}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.theme_pick(theme=theirs, meeting=series[0], actor=coordinator)
    assert not Meeting.objects.filter(theme_source=theirs).exists()


def test_members_get_403_outsiders_and_hr_404(
    client, forum, member, outsider, hr_viewer, theme, series
):
    for person, status in ((member, 403), (outsider, 404), (hr_viewer, 404)):
        client.force_login(person)
        assert client.get(pick_url(forum, theme)).status_code == status
        response = client.post(pick_url(forum, theme), {"meeting": series[0].pk})
        assert response.status_code == status
    assert not Meeting.objects.filter(theme_source__isnull=False).exists()


def test_without_upcoming_meetings_the_page_says_so(client, forum, coordinator, theme):
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    client.force_login(coordinator)
    response = client.get(pick_url(forum, theme))
    assert response.context["meetings"] == []
    assert "no upcoming scheduled meetings" in response.content.decode()


def test_pick_page_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, forum, coordinator, theme
):
    make_meeting(forum, theme="")
    client.force_login(coordinator)
    url = pick_url(forum, theme)
    # Session, user, the forum with the viewer's access, the theme, the meetings.
    with django_assert_num_queries(5):
        client.get(url)
    others = [UserFactory() for _ in range(6)]
    for user in others:
        forum.memberships.create(user=user, accepted_version=forum.agreement_version)
    for n in range(12):
        make_meeting(forum, starts_at=timezone.now() + timedelta(days=10 + n))
    with django_assert_num_queries(5):
        assert len(client.get(url).context["meetings"]) == 13
