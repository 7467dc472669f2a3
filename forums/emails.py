"""Invitation emails, built when the outbox sweep sends the rows queued by
forums.invitations.enqueue_invitation. The link is rebuilt from the invitation's nonce
at sending time; no token is stored in the outbox."""

from __future__ import annotations

from collections.abc import Callable

from django.core.mail import EmailMultiAlternatives

from foorumix.mail import build_message
from forums.invitations import invitation_url
from forums.models import Invitation

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
