"""What forums holds about a person (foorumix/personal_data.py): memberships, agreement
acceptances, invitations to their address, the forums they coordinate and the audit
entries about them or by them. Invitation tokens are never exported, and audit entries
by a coordinator leave out their detail (another person's address)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foorumix.personal_data import Eraser, Rows, Section, register_eraser, register_section
from forums.models import AgreementAcceptance, AuditEvent, Forum, Invitation, Membership
from members.models import User


def memberships(user: User) -> Rows:
    return [
        {
            "forum": row.forum.name,
            "joined_at": row.joined_at,
            "accepted_agreement_version": row.accepted_version,
            "ended_at": row.ended_at,
            "end_reason": row.get_end_reason_display() if row.end_reason else "",
        }
        for row in Membership.objects.filter(user=user)
        .select_related("forum")
        .order_by("joined_at")
    ]


def acceptances(user: User) -> Rows:
    rows = AgreementAcceptance.objects.filter(user=user).order_by("accepted_at")
    return list(
        rows.values("agreement__forum__name", "agreement__version", "accepted_at").order_by(
            "accepted_at"
        )
    )


def invitations(user: User) -> Rows:
    mine = Invitation.objects.filter(Q(email__iexact=user.email) | Q(accepted_by=user))
    return [
        {
            "forum": row.forum.name,
            "sent_to": row.email,
            "created_at": row.created_at,
            "expires_at": row.expires_at,
            "accepted_at": row.accepted_at,
            "revoked_at": row.revoked_at,
        }
        for row in mine.select_related("forum").order_by("created_at")
    ]


def coordinated(user: User) -> Rows:
    return list(Forum.objects.filter(coordinators=user).order_by("name").values("name"))


def audit(user: User) -> Rows:
    events = AuditEvent.objects.filter(Q(actor=user) | Q(subject_user=user)).select_related("forum")
    return [
        {
            "at": event.at,
            "action": str(event.get_action_display()),
            "forum": event.forum.name if event.forum else None,
            "by_me": event.actor_id == user.pk,
            "about_me": event.subject_user_id == user.pk,
            "detail": event.detail if event.subject_user_id == user.pk else "",
        }
        for event in events.order_by("at", "id")
    ]


def forget(user: User, pseudonym: User) -> int:
    """Memberships (HR's enrolment figures) and audit entries move to the pseudonym;
    active memberships end now; acceptances and invitations to the address go; each
    forum the person belonged to or coordinated records that an account was deleted."""
    now = timezone.now()
    forums = set(Membership.objects.active().filter(user=user).values_list("forum", flat=True))
    forums |= set(Forum.objects.filter(coordinators=user).values_list("pk", flat=True))
    Membership.objects.active().filter(user=user).update(
        ended_at=now, end_reason=Membership.EndReason.DELETED
    )
    moved = Membership.objects.filter(user=user).update(user=pseudonym)
    AgreementAcceptance.objects.filter(user=user).delete()
    Invitation.objects.filter(Q(email__iexact=user.email) | Q(accepted_by=user)).delete()
    moved += AuditEvent.objects.filter(actor=user).update(actor=pseudonym)
    moved += AuditEvent.objects.filter(subject_user=user).update(subject_user=pseudonym)
    for shown in {user.email, user.get_full_name()} - {""}:
        AuditEvent.objects.filter(detail__icontains=shown).update(detail="")
    AuditEvent.objects.bulk_create(
        AuditEvent(
            action=AuditEvent.Action.ACCOUNT_DELETED, forum_id=forum_id, subject_user=pseudonym
        )
        for forum_id in sorted(forums)
    )
    return moved + len(forums)


def register() -> None:
    register_section(Section("memberships", _("Forum memberships"), memberships, order=20))
    register_section(
        Section("agreement_acceptances", _("Group agreements accepted"), acceptances, order=21)
    )
    register_section(Section("invitations", _("Invitations to you"), invitations, order=22))
    register_section(
        Section("coordinated_forums", _("Forums you coordinate"), coordinated, order=23)
    )
    register_section(Section("audit_events", _("Audit log entries about you"), audit, order=80))
    register_eraser(Eraser("forums", forget, order=20))
