"""Before and after the meeting: RSVP, private preparation, attendance, access, queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forums.models import Membership
from sessions_app.meetings import services
from sessions_app.models import Participation, Preparation
from tests.factories import UserFactory, make_forum, make_meeting

pytestmark = pytest.mark.django_db


def url(name, meeting):
    return reverse(f"meetings:{name}", kwargs={"meeting_id": meeting.pk})


@pytest.fixture
def meeting(forum):
    return make_meeting(forum, place="Pori", agenda="Kuulumiset")


@pytest.fixture
def second_member(forum):
    user = UserFactory(first_name="Mikko", last_name="Korhonen")
    Membership.objects.create(forum=forum, user=user, accepted_version=forum.agreement_version)
    return user


def test_member_rsvps_with_an_absence_note_only_coordinators_see(
    client, meeting, member, second_member, coordinator
):
    client.force_login(member)
    client.post(url("rsvp", meeting), {"rsvp": "no", "absence_note": "Lääkärikäynti klo 13"})
    participation = Participation.objects.get(meeting=meeting, user=member)
    assert (participation.rsvp, participation.absence_note) == ("no", "Lääkärikäynti klo 13")
    client.force_login(second_member)
    assert "Lääkärikäynti" not in client.get(url("detail", meeting)).content.decode()
    client.force_login(coordinator)
    assert "Lääkärikäynti" in client.get(url("detail", meeting)).content.decode()


def test_who_is_coming_lists_fellow_members_who_said_yes(client, meeting, member, second_member):
    services.rsvp_set(meeting=meeting, user=second_member, rsvp="yes")
    services.rsvp_set(meeting=meeting, user=member, rsvp="maybe")
    client.force_login(member)
    response = client.get(url("detail", meeting))
    assert response.context["coming"] == ["Mikko Korhonen"]


def test_rsvp_is_refused_after_the_meeting_started(forum, member):
    started = make_meeting(forum, starts_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(Exception, match="no longer takes answers"):
        services.rsvp_set(meeting=started, user=member, rsvp="yes")
    assert not Participation.objects.exists()


def test_private_preparation_is_visible_only_to_its_author(
    client, meeting, member, second_member, coordinator, hr_viewer
):
    client.force_login(member)
    client.post(
        url("preparation", meeting),
        {"current_situation": "SALAINEN-VALMISTELU yt-neuvottelut", "to_bring": "Jaksaminen"},
    )
    preparation = Preparation.objects.get(meeting=meeting, author=member)
    assert preparation.shared is False
    assert "SALAINEN-VALMISTELU" in client.get(url("preparation", meeting)).content.decode()
    for person in (second_member, coordinator):
        client.force_login(person)
        assert "SALAINEN-VALMISTELU" not in client.get(url("detail", meeting)).content.decode()
        page = client.get(url("preparation", meeting)).content.decode()
        assert "SALAINEN-VALMISTELU" not in page
    client.force_login(hr_viewer)
    assert client.get(url("preparation", meeting)).status_code == 404


def test_shared_preparation_is_visible_to_the_forum(client, meeting, member, second_member):
    services.preparation_save(
        meeting=meeting, user=member, current_situation="JAETTU-TEKSTI", to_bring="", shared=True
    )
    client.force_login(second_member)
    assert "JAETTU-TEKSTI" in client.get(url("detail", meeting)).content.decode()


def test_preparation_page_is_not_cached(client, meeting, member):
    client.force_login(member)
    assert client.get(url("preparation", meeting)).headers["Cache-Control"] == "no-store"


def test_attendance_is_prefilled_from_rsvps_and_marks_the_meeting_held(
    client, forum, member, second_member, coordinator
):
    meeting = make_meeting(forum, starts_at=timezone.now() - timedelta(hours=4))
    Participation.objects.create(meeting=meeting, user=member, rsvp="yes")
    Participation.objects.create(meeting=meeting, user=second_member, rsvp="no")
    client.force_login(coordinator)
    page = client.get(url("attendance", meeting))
    assert {row["user"].pk: row["present"] for row in page.context["people"]} == {
        member.pk: True,
        second_member.pk: False,
    }
    client.post(url("attendance", meeting), {"present": [second_member.pk]})
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert dict(meeting.participations.values_list("user_id", "attended")) == {
        member.pk: False,
        second_member.pk: True,
    }


def test_attendance_of_an_outsider_is_refused(client, forum, coordinator, outsider, member):
    meeting = make_meeting(forum, starts_at=timezone.now() - timedelta(hours=4))
    client.force_login(coordinator)
    client.post(url("attendance", meeting), {"present": [outsider.pk]})
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"
    assert not Participation.objects.filter(user=outsider).exists()


def test_attendance_rows_are_unique_per_meeting_and_member(forum, member, coordinator):
    from django.db import IntegrityError, transaction

    meeting = make_meeting(forum, starts_at=timezone.now() - timedelta(hours=4))
    services.attendance_record(meeting=meeting, actor=coordinator, present_user_ids=[member.pk])
    services.attendance_record(meeting=meeting, actor=coordinator, present_user_ids=[member.pk])
    assert Participation.objects.filter(meeting=meeting, user=member).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(meeting=meeting, user=member)


@pytest.mark.parametrize("name", ["detail", "preparation", "ics", "edit", "attendance", "cancel"])
def test_outsider_hr_and_other_forum_members_get_404(
    client, meeting, outsider, hr_viewer, other_forum, name
):
    other_member = other_forum.memberships.get().user
    for person in (outsider, hr_viewer, other_member):
        client.force_login(person)
        assert client.get(url(name, meeting)).status_code == 404, person


def test_member_with_a_pending_agreement_is_sent_to_the_agreement(
    client, meeting, member, coordinator
):
    from forums import services as forum_services

    forum_services.agreement_publish(forum=meeting.forum, actor=coordinator, text="v2")
    client.force_login(member)
    response = client.get(url("detail", meeting))
    assert response.headers["Location"] == reverse(
        "forums:agreement", kwargs={"forum_id": meeting.forum_id}
    )
    assert client.get(reverse("meetings:list")).context["upcoming"] == []


def test_meeting_list_and_home_run_a_fixed_number_of_queries(client, coordinator, member):
    forum = make_forum(coordinator=coordinator, members=[member])
    make_meeting(forum, starts_at=timezone.now() + timedelta(days=3))
    client.force_login(member)
    counts = []
    for extra in (0, 25):
        for n in range(extra):
            meeting = make_meeting(forum, starts_at=timezone.now() + timedelta(days=10 + n))
            Participation.objects.create(meeting=meeting, user=member, rsvp="yes")
        for url_name in ("meetings:list", "home"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(url_name)).status_code == 200
            counts.append((url_name, len(queries)))
    assert counts[:2] == counts[2:]
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("forums:detail", kwargs={"forum_id": forum.pk}))
    detail_many = len(queries)
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert len(queries) < 25
    assert detail_many < 25


def test_a_coordinator_who_is_not_a_member_cannot_answer_or_prepare(client, meeting, coordinator):
    client.force_login(coordinator)
    assert client.post(url("rsvp", meeting), {"rsvp": "yes"}).status_code == 403
    assert client.get(url("preparation", meeting)).status_code == 403
    assert not Participation.objects.filter(user=coordinator).exists()
