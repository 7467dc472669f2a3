import logging

from celery import shared_task
from django.utils import timezone

from foorumix.mail import build_message
from forums import invitations as tokens
from forums.models import Invitation
from members.models import User

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_invitation(self, invitation_id: int) -> None:
    """Email the invitation link. Takes an id; the link is rebuilt from the row, so no
    token travels through the broker. Does nothing for a closed invitation."""
    invitation = (
        Invitation.objects.select_related("forum", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.status != Invitation.Status.PENDING:
        return
    existing = User.objects.filter(email__iexact=invitation.email).first()
    language = existing.language if existing else invitation.forum.language
    message = build_message(
        to=invitation.email,
        template="forums/email/invitation",
        context={
            "forum_name": invitation.forum.name,
            "inviter": invitation.invited_by.get_full_name() if invitation.invited_by else "",
            "url": tokens.invitation_url(invitation),
            "expires_at": invitation.expires_at,
        },
        language=language,
    )
    try:
        message.send()
    except OSError as error:
        raise self.retry(exc=error) from error
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now(), send_count=invitation.send_count + 1
    )
    logger.info("Invitation %s emailed", invitation.pk)
