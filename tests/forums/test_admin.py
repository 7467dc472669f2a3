"""The Django admin cannot change who runs or belongs to a forum without a trace."""

import pytest
from django.urls import reverse

from forums.models import AuditEvent, Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(is_superuser=True, is_staff=True)


def change_form(forum, **overrides):
    data = {
        "name": forum.name,
        "description": forum.description,
        "organisations": [o.pk for o in forum.organisations.all()],
        "capacity": forum.capacity,
        "language": forum.language,
        "status": forum.status,
        "coordinators": [u.pk for u in forum.coordinators.all()],
        "created_by": forum.created_by_id or "",
        "reminder_days": forum.reminder_days,
        "note_retention_months": forum.note_retention_months,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_coordinators_changed_in_the_admin_land_in_the_forums_audit_log(
    client, superuser, forum, coordinator
):
    newcomer = UserFactory(is_coordinator=True)
    client.force_login(superuser)
    url = reverse("admin:forums_forum_change", args=[forum.pk])
    response = client.post(url, change_form(forum, coordinators=[newcomer.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    events = AuditEvent.objects.filter(forum=forum, actor=superuser)
    assert {(e.action, e.subject_user_id) for e in events} == {
        ("coordinator_added", newcomer.pk),
        ("coordinator_removed", coordinator.pk),
    }


def test_memberships_cannot_be_added_or_changed_in_the_admin(client, superuser, forum, member):
    client.force_login(superuser)
    stranger = UserFactory()
    url = reverse("admin:forums_forum_change", args=[forum.pk])
    client.post(
        url,
        change_form(
            forum,
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-0-user": str(stranger.pk),
                "memberships-0-joined_at_0": "2026-01-01",
                "memberships-0-joined_at_1": "10:00",
                "memberships-0-accepted_version": "1",
            },
        ),
    )
    assert not Membership.objects.filter(forum=forum, user=stranger).exists()
