"""Forum domain operations. Each is one transaction; views call these, nothing else
writes forums, memberships, agreements or invitations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from email.utils import getaddresses

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forums import invitations as tokens
from forums.agreement_texts import default_agreement_text
from forums.models import (
    AgreementAcceptance,
    AuditEvent,
    Forum,
    GroupAgreement,
    Invitation,
    Membership,
)
from members.models import Organisation, User

Action = AuditEvent.Action


class InvitationError(Exception):
    """An invitation cannot be used; the message is shown to the person."""


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
        from sessions_app.notes.services import notes_expiry_update

        notes_expiry_update(forum=forum)
    _set_coordinators(forum=forum, actor=actor, co_coordinators=co_coordinators)
    audit_record(action=Action.FORUM_UPDATED, actor=actor, forum=forum, detail=f"status={status}")
    return forum


# --- Group agreement -----------------------------------------------------------------


@transaction.atomic
def agreement_publish(*, forum: Forum, actor: User, text: str) -> GroupAgreement:
    """Publish a new agreement version; every member must accept it again."""
    locked = Forum.objects.select_for_update().get(pk=forum.pk)
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
    membership = Membership.objects.select_for_update().get(
        forum=forum, user=user, ended_at__isnull=True
    )
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


# --- Invitations ------------------------------------------------------------------------


class Outcome:
    SENT = "sent"
    ALREADY_MEMBER = "already_member"
    ALREADY_INVITED = "already_invited"
    INVALID = "invalid"
    OVER_CAPACITY = "over_capacity"
    DUPLICATE = "duplicate"
    RATE_LIMITED = "rate_limited"
    FORUM_CLOSED = "forum_closed"


OUTCOME_LABELS = {
    Outcome.SENT: _("Invitation sent"),
    Outcome.ALREADY_MEMBER: _("Already a member"),
    Outcome.ALREADY_INVITED: _("Already invited (resend from the list below if needed)"),
    Outcome.INVALID: _("Not a valid email address"),
    Outcome.OVER_CAPACITY: _("Not sent: the forum would be over capacity"),
    Outcome.DUPLICATE: _("Appears earlier in the list"),
    Outcome.RATE_LIMITED: _("Not sent: too many invitations in the last hour, try again later"),
    Outcome.FORUM_CLOSED: _("Not sent: the forum is closed"),
}


@dataclass(frozen=True)
class InvitationLine:
    line: str
    email: str
    outcome: str

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.SENT

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


def parse_address_list(text: str) -> list[tuple[str, str]]:
    """Split pasted text into (original line, address) pairs. Accepts one address per
    line, commas or semicolons, and "Name <address>" forms."""
    pairs = []
    for raw in text.replace(";", "\n").replace(",", "\n").splitlines():
        line = raw.strip()
        if not line:
            continue
        _name, address = getaddresses([line])[0]
        pairs.append((line, (address or line).strip().lower()))
    return pairs


def _sends_in_last_hour(actor: User) -> int:
    return AuditEvent.objects.filter(
        actor=actor,
        action__in=[Action.INVITATION_SENT, Action.INVITATION_RESENT],
        at__gte=timezone.now() - timedelta(hours=1),
    ).count()


def _open_seats(forum: Forum) -> int:
    members = forum.memberships.filter(ended_at__isnull=True).count()
    pending = forum.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).count()
    return forum.capacity - members - pending


def _enqueue_invitation_email(invitation: Invitation) -> None:
    """An outbox row in this transaction; sessions_app/outbox.py sends it."""
    from foorumix.outbox import enqueue_invitation

    enqueue_invitation(invitation)


@transaction.atomic
def invitation_create_many(*, forum: Forum, actor: User, text: str) -> list[InvitationLine]:
    """Invite every valid address in `text`; report each line. Valid lines go out even
    when others fail. Emails go out through the outbox after commit."""
    forum = Forum.objects.select_for_update().get(pk=forum.pk)
    results: list[InvitationLine] = []
    seen: set[str] = set()
    seats = _open_seats(forum)
    budget = settings.FOORUMIX_INVITATIONS_PER_HOUR - _sends_in_last_hour(actor)
    members = {
        email.lower()
        for email in forum.memberships.filter(ended_at__isnull=True).values_list(
            "user__email", flat=True
        )
    }
    now = timezone.now()
    for line, email in parse_address_list(text):
        outcome = _invite_one(
            forum=forum, actor=actor, email=email, seen=seen, members=members, now=now,
            seats=seats, budget=budget,
        )  # fmt: skip
        if outcome == Outcome.SENT:
            seats -= 1
            budget -= 1
        results.append(InvitationLine(line=line, email=email, outcome=outcome))
        seen.add(email)
    return results


def _invite_one(*, forum, actor, email, seen, members, now, seats, budget) -> str:
    try:
        validate_email(email)
    except ValidationError:
        return Outcome.INVALID
    if email in seen:
        return Outcome.DUPLICATE
    if forum.status not in (Forum.Status.FORMING, Forum.Status.ACTIVE):
        return Outcome.FORUM_CLOSED
    if email in members:
        return Outcome.ALREADY_MEMBER
    open_invitations = forum.invitations.filter(
        email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    )
    if open_invitations.filter(expires_at__gt=now).exists():
        return Outcome.ALREADY_INVITED
    if seats <= 0:
        return Outcome.OVER_CAPACITY
    if budget <= 0:
        return Outcome.RATE_LIMITED
    # An expired invitation to the same address is closed so a fresh one can be sent.
    open_invitations.update(revoked_at=now)
    try:
        with transaction.atomic():
            invitation = Invitation(
                forum=forum,
                email=email,
                invited_by=actor,
                nonce=tokens.new_nonce(),
                expires_at=tokens.default_expiry(),
            )
            invitation.token_hash = tokens.hash_token(tokens.token_for(invitation))
            invitation.save()
    except IntegrityError:
        return Outcome.ALREADY_INVITED
    audit_record(action=Action.INVITATION_SENT, actor=actor, forum=forum, detail=email)
    _enqueue_invitation_email(invitation)
    return Outcome.SENT


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor: User) -> Invitation:
    """Send a fresh link (old links stop working) and restart the validity period."""
    if invitation.accepted_at or invitation.revoked_at:
        raise InvitationError(_("Only an open invitation can be resent."))
    if _sends_in_last_hour(actor) >= settings.FOORUMIX_INVITATIONS_PER_HOUR:
        raise InvitationError(_("Too many invitations in the last hour; try again later."))
    invitation.nonce = tokens.new_nonce()
    invitation.token_hash = tokens.hash_token(tokens.token_for(invitation))
    invitation.expires_at = tokens.default_expiry()
    invitation.save(update_fields=["nonce", "token_hash", "expires_at"])
    audit_record(
        action=Action.INVITATION_RESENT,
        actor=actor,
        forum=invitation.forum,
        detail=invitation.email,
    )
    _enqueue_invitation_email(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    if invitation.accepted_at or invitation.revoked_at:
        raise InvitationError(_("This invitation is no longer open."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        action=Action.INVITATION_REVOKED,
        actor=actor,
        forum=invitation.forum,
        detail=invitation.email,
    )
    return invitation


def invitation_problem(invitation: Invitation | None) -> str | None:
    """Why this invitation cannot be used, or None when it can."""
    if invitation is None:
        return "invalid"
    status = invitation.status
    if status != Invitation.Status.PENDING:
        return status
    if invitation.forum.status not in (Forum.Status.FORMING, Forum.Status.ACTIVE):
        return "closed"
    return None


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """The invited person joins the forum. Only the invited address may accept; a used,
    revoked or expired invitation changes nothing."""
    invitation = (
        Invitation.objects.select_for_update().select_related("forum").get(pk=invitation.pk)
    )
    if invitation_problem(invitation) is not None:
        raise InvitationError(_("This invitation can no longer be used."))
    if user.email.lower() != invitation.email.lower():
        raise InvitationError(
            _(
                "This invitation was sent to another email address. Sign in with the "
                "invited address to accept it."
            )
        )
    forum = invitation.forum
    membership = Membership.objects.filter(forum=forum, user=user, ended_at__isnull=True).first()
    if membership is None:
        membership = Membership.objects.create(forum=forum, user=user)
        audit_record(action=Action.MEMBERSHIP_ADDED, actor=user, forum=forum, subject_user=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        action=Action.INVITATION_ACCEPTED,
        actor=user,
        forum=forum,
        subject_user=user,
        detail=invitation.email,
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
    membership = Membership.objects.select_for_update().get(
        forum=forum, user=user, ended_at__isnull=True
    )
    _end_membership(
        membership=membership, actor=user, reason=Membership.EndReason.LEFT,
        action=Action.MEMBERSHIP_LEFT,
    )  # fmt: skip


@transaction.atomic
def membership_remove(*, forum: Forum, membership_id: int, actor: User) -> None:
    """A coordinator removes a member; access ends at once, past participation is kept."""
    membership = (
        Membership.objects.select_for_update()
        .select_related("user", "forum")
        .get(Q(forum=forum) & Q(pk=membership_id) & Q(ended_at__isnull=True))
    )
    _end_membership(
        membership=membership, actor=actor, reason=Membership.EndReason.REMOVED,
        action=Action.MEMBERSHIP_REMOVED,
    )  # fmt: skip
