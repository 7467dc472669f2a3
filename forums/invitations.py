"""Invitations: the only way into a forum (and the only way to sign up).

The link's token is derived from the invitation's nonce (foorumix/tokens.py); the
database keeps only the nonce and the token's hash. Emails go out through the outbox
(forums/emails.py builds them). Each operation is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from email.utils import getaddresses

from allauth.account.adapter import get_adapter as get_account_adapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foorumix import outbox
from forums.models import AuditEvent, Forum, Invitation, Membership
from forums.services import audit_record
from members.accounts import address_owner, owns_verified_address
from members.models import User

Action = AuditEvent.Action
EMAIL_KIND = "invitation"  # an outbox kind; invitations cannot be opted out of
# The session remembers which invitation its browser opened from the link (the id),
# never the token: a session must hold no working link (see members/sessions.py).
SESSION_KEY = "foorumix_invitation"


class InvitationError(Exception):
    """An invitation cannot be used; the message is shown to the person."""


# --- Links ------------------------------------------------------------------------------


def invitation_url(invitation: Invitation) -> str:
    path = reverse("invitation", kwargs={"token": invitation.token()})
    return f"{settings.SITE_URL}{path}"


def invitation_remember(request: HttpRequest, invitation: Invitation) -> None:
    """This browser opened `invitation`'s link: the link proves the invited mailbox, so
    signup may open for that address (invitation_for_signup) and treats it as verified."""
    request.session[SESSION_KEY] = invitation.pk
    get_account_adapter(request).stash_verified_email(request, invitation.email)


def invitation_for_signup(request: HttpRequest) -> Invitation | None:
    """The usable invitation whose link this session opened, if its address belongs to
    no account yet (members.accounts.address_owner: an unverified claim on another
    account does not count).

    This is the only way signup opens (see forums.signup.AccountAdapter).
    """
    session = getattr(request, "session", None)
    invitation_id = session.get(SESSION_KEY) if session is not None else None
    if not isinstance(invitation_id, int):
        return None
    invitation = Invitation.objects.select_related("forum").filter(pk=invitation_id).first()
    if invitation_problem(invitation) is not None:
        return None
    if address_owner(invitation.email) is not None:
        return None
    return invitation


def default_expiry():
    return timezone.now() + timedelta(days=settings.FOORUMIX_INVITATION_DAYS)


def enqueue_invitation(invitation: Invitation) -> None:
    """One outbox row per send of an invitation, in the caller's transaction; a resend
    is a new occasion."""
    outbox.enqueue_address(
        EMAIL_KIND,
        invitation.email,
        recipient=User.objects.filter(email__iexact=invitation.email).first(),
        object_id=invitation.pk,
        occasion=invitation.expires_at.strftime("%Y%m%d%H%M%S%f"),
        forum_id=invitation.forum_id,
    )
    outbox.kick()


# --- Operations -------------------------------------------------------------------------


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
    line, commas or semicolons, and "Name <address>" forms. Never raises, whatever the
    text holds: every non-empty line gives a pair and the caller validates the address.

    email.utils.getaddresses recurses once per nested "(" (a comment) and per ":" (a
    group), so a pasted line of 20,000 "(" raised RecursionError, a 500. Lines in the
    "Name <address>" form are split here; other lines go to getaddresses only with a few
    of those characters (enough for "address (Name)"), otherwise the line itself is the
    "address" and fails validation.
    """
    pairs = []
    for raw in text.replace(";", "\n").replace(",", "\n").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.endswith(">") and "<" in line:
            address = line[line.rindex("<") + 1 : -1]
        elif line.count("(") + line.count(":") <= 4:
            # An empty group ("team:") parses to no address at all.
            address = next((found for _name, found in getaddresses([line])), "")
        else:
            address = ""
        pairs.append((line, (address or line).strip().lower()))
    return pairs


def _sends_in_last_hour(actor: User) -> int:
    return AuditEvent.objects.filter(
        actor=actor,
        action__in=[Action.INVITATION_SENT, Action.INVITATION_RESENT],
        at__gte=timezone.now() - timedelta(hours=1),
    ).count()


def _open_seats(forum: Forum) -> int:
    members = forum.memberships.active().count()
    pending = forum.invitations.open().count()
    return forum.capacity - members - pending


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
        email.lower() for email in forum.memberships.active().values_list("user__email", flat=True)
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
    open_invitations = forum.invitations.unanswered().filter(email__iexact=email)
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
                forum=forum, email=email, invited_by=actor, expires_at=default_expiry()
            )
            invitation.draw_token()
            invitation.save()
    except IntegrityError:
        return Outcome.ALREADY_INVITED
    audit_record(action=Action.INVITATION_SENT, actor=actor, forum=forum, detail=email)
    enqueue_invitation(invitation)
    return Outcome.SENT


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor: User) -> Invitation:
    """Send a fresh link (old links stop working) and restart the validity period."""
    if invitation.accepted_at or invitation.revoked_at:
        raise InvitationError(_("Only an open invitation can be resent."))
    if _sends_in_last_hour(actor) >= settings.FOORUMIX_INVITATIONS_PER_HOUR:
        raise InvitationError(_("Too many invitations in the last hour; try again later."))
    invitation.draw_token()
    invitation.expires_at = default_expiry()
    invitation.save(update_fields=["nonce", "token_hash", "expires_at"])
    audit_record(
        action=Action.INVITATION_RESENT,
        actor=actor,
        forum=invitation.forum,
        detail=invitation.email,
    )
    enqueue_invitation(invitation)
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
    """The invited person joins the forum. Only the account the invited address is
    verified on may accept; a used, revoked or expired invitation changes nothing."""
    invitation = (
        Invitation.objects.select_for_update().select_related("forum").get(pk=invitation.pk)
    )
    if invitation_problem(invitation) is not None:
        raise InvitationError(_("This invitation can no longer be used."))
    if not owns_verified_address(user, invitation.email):
        raise InvitationError(
            _(
                "This invitation was sent to another email address. Sign in with the "
                "invited address to accept it."
            )
        )
    forum = invitation.forum
    membership = Membership.objects.active().filter(forum=forum, user=user).first()
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
