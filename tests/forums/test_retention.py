"""Retention (forums/retention.py, sessions_app/retention.py): inactive accounts are
warned, then erased; role holders, active members and people who came back are kept;
old invitations, audit entries, emails, receipts and feeds are forgotten."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from foorumix import outbox
from forums.models import AuditEvent, Invitation, Membership
from forums.retention import apply_retention
from members.models import User
from sessions_app.meetings import feeds
from sessions_app.models import CalendarFeed, OutboxMessage, PulseReceipt
from sessions_app.pulse import services as pulse
from sessions_app.retention import records_forget
from tests.factories import UserFactory, make_forum, make_held_meeting, make_invitation

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def months_ago(months: float):
    return NOW - timedelta(days=round(30.44 * months))


def person(*, left_months_ago: float | None, **fields) -> User:
    """A member of a forum whose membership ended (None: still active)."""
    user = UserFactory(**fields)
    forum = make_forum(coordinator=UserFactory(is_coordinator=True), members=[user])
    User.objects.filter(pk=user.pk).update(
        date_joined=months_ago(40), last_login=months_ago(left_months_ago or 0)
    )
    if left_months_ago is not None:
        Membership.objects.filter(forum=forum, user=user).update(
            joined_at=months_ago(40), ended_at=months_ago(left_months_ago)
        )
    return User.objects.get(pk=user.pk)


def test_an_inactive_account_is_warned_first_and_erased_30_days_later(settings):
    settings.FOORUMIX_ACCOUNT_RETENTION_MONTHS = 24
    gone = person(left_months_ago=25, first_name="Vanha", last_name="Jäsen")
    soon = person(left_months_ago=23.5)  # reaches 24 months within 30 days: warned only
    recent = person(left_months_ago=12)
    active = person(left_months_ago=None)
    coordinator = UserFactory(is_coordinator=True)
    User.objects.filter(pk=coordinator.pk).update(date_joined=months_ago(40))

    first = apply_retention(NOW)

    assert first["warned"] == 2 and first["erased"] == 0
    warned = set(
        User.objects.filter(retention_warned_at__isnull=False).values_list("pk", flat=True)
    )
    assert warned == {gone.pk, soon.pk}
    outbox.sweep()
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert set(subjects) == {gone.email, soon.email}
    assert subjects[gone.email] == "Foorumix-tilisi poistetaan"
    body = next(m.body for m in mail.outbox if m.to[0] == gone.email)
    assert "24" in body and "/accounts/login/" in body

    assert apply_retention(NOW + timedelta(days=10))["erased"] == 0  # notice not yet over
    later = apply_retention(NOW + timedelta(days=31))

    assert later["erased"] == 2
    assert not User.objects.filter(pk__in=[gone.pk, soon.pk]).exists()
    assert User.objects.filter(pk__in=[recent.pk, active.pk, coordinator.pk]).count() == 3
    assert not User.objects.filter(first_name="Vanha").exists()


def test_signing_in_after_the_warning_keeps_the_account(settings):
    settings.FOORUMIX_ACCOUNT_RETENTION_MONTHS = 24
    back = person(left_months_ago=25)
    apply_retention(NOW)
    User.objects.filter(pk=back.pk).update(last_login=NOW + timedelta(days=5))

    result = apply_retention(NOW + timedelta(days=31))

    assert result["erased"] == 0
    back.refresh_from_db()
    assert back.retention_warned_at is None


def test_hr_viewers_admins_and_accounts_being_deleted_are_not_warned(hr_viewer, settings):
    settings.FOORUMIX_ACCOUNT_RETENTION_MONTHS = 24
    admin = UserFactory(is_staff=True)
    User.objects.filter(pk__in=[hr_viewer.pk, admin.pk]).update(date_joined=months_ago(40))
    deleting = person(left_months_ago=30)
    User.objects.filter(pk=deleting.pk).update(deletion_requested_at=NOW)
    assert apply_retention(NOW)["warned"] == 0


def test_old_invitations_and_audit_entries_are_forgotten(forum, coordinator, settings):
    settings.FOORUMIX_AUDIT_RETENTION_MONTHS = 24
    old, _ = make_invitation(forum, "vanha@example.fi", actor=coordinator)
    Invitation.objects.filter(pk=old.pk).update(
        created_at=NOW - timedelta(days=200), expires_at=NOW - timedelta(days=186)
    )
    open_invitation, _ = make_invitation(forum, "uusi@example.fi", actor=coordinator)
    AuditEvent.objects.create(action=AuditEvent.Action.FORUM_UPDATED, forum=forum)
    AuditEvent.objects.filter(pk=AuditEvent.objects.latest("id").pk).update(at=months_ago(25))
    kept_events = AuditEvent.objects.count() - 1

    result = apply_retention(NOW)

    assert result["invitations"] == 1 and result["audit"] == 1
    assert list(Invitation.objects.values_list("pk", flat=True)) == [open_invitation.pk]
    assert AuditEvent.objects.count() == kept_events


def test_sent_emails_closed_pulse_receipts_and_revoked_feeds_are_forgotten(forum, member):
    old_meeting = make_held_meeting(forum, attendees=[member], days_ago=40)
    new_meeting = make_held_meeting(forum, attendees=[member], days_ago=3)
    pulse.pulse_receipts_create(old_meeting)
    pulse.pulse_receipts_create(new_meeting)
    outbox.enqueue(OutboxMessage.Kind.REMINDER, [member], object_id=old_meeting.pk,
                   occasion="1d", forum_id=forum.pk)  # fmt: skip
    OutboxMessage.objects.update(
        status=OutboxMessage.Status.SENT, created_at=NOW - timedelta(days=91)
    )
    outbox.enqueue(OutboxMessage.Kind.REMINDER, [member], object_id=new_meeting.pk,
                   occasion="1d", forum_id=forum.pk)  # fmt: skip
    revoked = feeds.feed_create(user=member)
    feeds.feed_revoke(user=member)
    CalendarFeed.objects.filter(pk=revoked.pk).update(revoked_at=NOW - timedelta(days=31))
    live = feeds.feed_create(user=member)

    result = records_forget(NOW)

    assert result == {"emails": 1, "pulse receipts": 1, "calendar feeds": 1}
    assert list(PulseReceipt.objects.values_list("meeting", flat=True)) == [new_meeting.pk]
    assert OutboxMessage.objects.get().object_id == new_meeting.pk
    assert list(CalendarFeed.objects.values_list("pk", flat=True)) == [live.pk]
    assert revoked.pk != live.pk


def test_expired_sessions_are_cleared_nightly(client, member):
    from django.contrib.sessions.models import Session
    from django.test import Client

    from members.tasks import clear_expired_sessions

    client.force_login(member)
    old = Session.objects.get()
    Client().force_login(member)
    Session.objects.filter(pk=old.pk).update(expire_date=NOW - timedelta(days=1))
    assert Session.objects.count() == 2

    clear_expired_sessions()

    assert Session.objects.count() == 1 and not Session.objects.filter(pk=old.pk).exists()
