"""Forum domain operations: forums, coordinators, the group agreement, memberships and
the audit log. Each is one transaction; views call these, nothing else writes them.
Invitations have their own module, forums/invitations.py."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foorumix import outbox
from forums.agreement_texts import default_agreement_text
from forums.models import (
    AgreementAcceptance,
    AuditEvent,
    Forum,
    GroupAgreement,
    Membership,
    membership_is_active,
)
from forums.signals import retention_changed as retention_changed_signal
from members.models import Organisation, User

Action = AuditEvent.Action
# The outbox kind of the email telling a member they were removed (forums/emails.py);
# it cannot be opted out of.
MEMBER_REMOVED_EMAIL = "member_removed"


def audit_record(
    *,
    action: str,
    actor: User | None,
    forum: Forum | None = None,
    subject_user: User | None = None,
    detail: str = "",
) -> AuditEvent:
    """Record a security-relevant event. Pass identifiers only, never content."""
    return AuditEvent.objects.create(
        action=action, actor=actor, forum=forum, subject_user=subject_user, detail=detail[:200]
    )


# --- Forums ---------------------------------------------------------------------------


def _set_coordinators(*, forum: Forum, actor: User, co_coordinators: Iterable[User]) -> None:
    wanted = {actor.pk} | {user.pk for user in co_coordinators}
    current = set(forum.coordinators.values_list("pk", flat=True))
    for user in User.objects.filter(pk__in=wanted - current):
        forum.coordinators.add(user)
        if user.pk != actor.pk or current:
            audit_record(
                action=Action.COORDINATOR_ADDED, actor=actor, forum=forum, subject_user=user
            )
    for user in User.objects.filter(pk__in=current - wanted):
        forum.coordinators.remove(user)
        audit_record(action=Action.COORDINATOR_REMOVED, actor=actor, forum=forum, subject_user=user)


@transaction.atomic
def forum_create(
    *,
    actor: User,
    name: str,
    description: str,
    organisations: Iterable[Organisation],
    capacity: int,
    language: str,
    co_coordinators: Iterable[User] = (),
    reminder_days: str = "7,1",
    note_retention_months: int = 24,
) -> Forum:
    """Create a forum run by `actor` (a coordinator) with the default group agreement
    in the forum's language as version 1."""
    forum = Forum.objects.create(
        name=name,
        description=description,
        capacity=capacity,
        language=language,
        reminder_days=reminder_days,
        note_retention_months=note_retention_months,
        created_by=actor,
    )
    forum.organisations.set(organisations)
    audit_record(action=Action.FORUM_CREATED, actor=actor, forum=forum)
    _set_coordinators(forum=forum, actor=actor, co_coordinators=co_coordinators)
    agreement_publish(forum=forum, actor=actor, text=default_agreement_text(language))
    return forum


@transaction.atomic
def forum_update(
    *,
    forum: Forum,
    actor: User,
    name: str,
    description: str,
    organisations: Iterable[Organisation],
    capacity: int,
    language: str,
    status: str,
    co_coordinators: Iterable[User],
    reminder_days: str = "7,1",
    note_retention_months: int = 24,
) -> Forum:
    if status not in forum.allowed_statuses():
        raise ValidationError(_("A forum's status can only move forward."))
    forum.name, forum.description = name, description
    forum.capacity, forum.language, forum.status = capacity, language, status
    retention_changed = forum.note_retention_months != note_retention_months
    forum.reminder_days, forum.note_retention_months = reminder_days, note_retention_months
    forum.save(
        update_fields=[
            "name",
            "description",
            "capacity",
            "language",
            "status",
            "reminder_days",
            "note_retention_months",
        ]
    )
    forum.organisations.set(organisations)
    if retention_changed:
        retention_changed_signal.send(sender=Forum, forum=forum)
    _set_coordinators(forum=forum, actor=actor, co_coordinators=co_coordinators)
    audit_record(action=Action.FORUM_UPDATED, actor=actor, forum=forum, detail=f"status={status}")
    return forum


# --- Group agreement -----------------------------------------------------------------


@transaction.atomic
def agreement_publish(*, forum: Forum, actor: User, text: str) -> GroupAgreement | None:
    """Publish a new agreement version; every member must accept it again. A text equal
    to the current version's publishes nothing and returns None."""
    locked = Forum.objects.select_for_update().get(pk=forum.pk)
    current = locked.agreements.filter(version=locked.agreement_version).first()
    if current is not None and text.strip() == current.text:
        return None
    version = locked.agreement_version + 1
    agreement = GroupAgreement.objects.create(
        forum=locked, version=version, text=text.strip(), created_by=actor
    )
    Forum.objects.filter(pk=forum.pk).update(agreement_version=version)
    forum.agreement_version = version
    audit_record(
        action=Action.AGREEMENT_PUBLISHED, actor=actor, forum=forum, detail=f"version {version}"
    )
    return agreement


def current_agreement(forum: Forum) -> GroupAgreement | None:
    return forum.agreements.filter(version=forum.agreement_version).first()


@transaction.atomic
def agreement_accept(*, forum: Forum, user: User) -> Membership:
    """The member accepts the forum's current agreement (timestamped). Idempotent."""
    membership = Membership.objects.active().select_for_update().get(forum=forum, user=user)
    agreement = GroupAgreement.objects.filter(forum=forum).order_by("-version").first()
    if agreement is None or membership.accepted_version >= agreement.version:
        return membership
    AgreementAcceptance.objects.get_or_create(agreement=agreement, user=user)
    membership.accepted_version = agreement.version
    membership.save(update_fields=["accepted_version"])
    audit_record(
        action=Action.AGREEMENT_ACCEPTED,
        actor=user,
        forum=forum,
        subject_user=user,
        detail=f"version {agreement.version}",
    )
    return membership


# --- Membership -----------------------------------------------------------------------


def _end_membership(*, membership: Membership, actor: User, reason: str, action: str) -> None:
    membership.ended_at = timezone.now()
    membership.end_reason = reason
    membership.save(update_fields=["ended_at", "end_reason"])
    audit_record(action=action, actor=actor, forum=membership.forum, subject_user=membership.user)


@transaction.atomic
def membership_leave(*, forum: Forum, user: User) -> None:
    """The member leaves; access ends at once, past participation is kept."""
    membership = Membership.objects.active().select_for_update().get(forum=forum, user=user)
    _end_membership(
        membership=membership, actor=user, reason=Membership.EndReason.LEFT,
        action=Action.MEMBERSHIP_LEFT,
    )  # fmt: skip


@transaction.atomic
def membership_remove(*, forum: Forum, membership_id: int, actor: User) -> Membership:
    """A coordinator removes a member; access ends at once, past participation is kept.

    The removed person is told by email (outbox kind MEMBER_REMOVED_EMAIL, queued in this
    transaction, built in their language by forums/emails.py). The email gives no reason
    and names nobody. Raises Membership.DoesNotExist if the membership has already ended.
    """
    membership = (
        Membership.objects.select_for_update()
        .select_related("user", "forum")
        .get(Q(forum=forum) & Q(pk=membership_id) & membership_is_active())
    )
    _end_membership(
        membership=membership, actor=actor, reason=Membership.EndReason.REMOVED,
        action=Action.MEMBERSHIP_REMOVED,
    )  # fmt: skip
    outbox.enqueue(
        MEMBER_REMOVED_EMAIL,
        [membership.user],
        object_id=membership.pk,
        occasion="removed",
        forum_id=forum.pk,
    )
    outbox.kick()
    return membership
