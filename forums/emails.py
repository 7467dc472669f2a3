"""Forum emails, built when the outbox sweep sends their rows: invitations (queued by
forums.invitations.enqueue_invitation; the link is rebuilt from the invitation's nonce at
sending time, no token is stored in the outbox) and the notice to a removed member
(queued by forums.services.membership_remove)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from foorumix.mail import build_message
from forums.invitations import invitation_url
from forums.models import Invitation, Membership

TEMPLATE = "forums/email/invitation"


def build_invitation_emails(messages: list) -> Callable[..., EmailMultiAlternatives | None]:
    """The outbox's batch builder: one query for the batch's invitations."""
    invitations = Invitation.objects.select_related("forum", "invited_by").in_bulk(
        {message.object_id for message in messages}
    )

    def build(message) -> EmailMultiAlternatives | None:
        invitation = invitations.get(message.object_id)
        if invitation is None or invitation.status != Invitation.Status.PENDING:
            return None
        user = message.recipient
        return build_message(
            to=message.recipient_email,
            template=TEMPLATE,
            context={
                "forum_name": invitation.forum.name,
                "inviter": invitation.invited_by.get_full_name() if invitation.invited_by else "",
                "url": invitation_url(invitation),
                "expires_at": invitation.expires_at,
            },
            language=user.language if user else invitation.forum.language,
        )

    return build


REMOVED_TEMPLATE = "forums/email/member_removed"


def build_member_removed_emails(messages: list) -> Callable[..., EmailMultiAlternatives | None]:
    """The outbox's batch builder for "you were removed from a forum" (rows queued by
    forums.services.membership_remove): one query for the batch's memberships.

    The email names the forum only: never who removed the person, nor why (a reason, if
    a coordinator keeps one, stays with the coordinators)."""
    memberships = Membership.objects.select_related("forum").in_bulk(
        {message.object_id for message in messages}
    )
    my_data_url = f"{settings.SITE_URL}{reverse('my_data')}"

    def build(message) -> EmailMultiAlternatives | None:
        membership = memberships.get(message.object_id)
        user = message.recipient
        if (
            membership is None
            or user is None
            or membership.user_id != user.pk  # the account was deleted meanwhile
            or membership.end_reason != Membership.EndReason.REMOVED
        ):
            return None
        return build_message(
            to=message.recipient_email,
            template=REMOVED_TEMPLATE,
            context={
                "first_name": user.first_name,
                "forum_name": membership.forum.name,
                "my_data_url": my_data_url,
            },
            language=user.language,
        )

    return build
