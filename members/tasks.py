"""Periodic and queued jobs of members, run by Celery (foorumix/settings.py)."""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from members.erasure import erase
from members.models import User
from members.sessions import SessionStore

logger = logging.getLogger(__name__)


@shared_task
def erase_account(user_id: int) -> bool:
    """Erase a person whose deletion was requested (members/erasure.py). Idempotent: an
    account already erased, or never requested, is left alone."""
    user = User.objects.filter(
        pk=user_id, deletion_requested_at__isnull=False, erased_at__isnull=True
    ).first()
    if user is None:
        return False
    erase(user)
    return True


@shared_task
def erase_requested_accounts() -> int:
    """Nightly: erase any requested deletion whose queued task was lost (a broker
    restart); requests younger than an hour are still the queue's."""
    stale = timezone.now() - timedelta(hours=1)
    ids = list(
        User.objects.filter(deletion_requested_at__lt=stale, erased_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    for user_id in ids:
        erase_account(user_id)
    logger.info("Erased %d accounts left over from deletion requests", len(ids))
    return len(ids)


@shared_task
def clear_expired_sessions() -> None:
    """Nightly: delete expired sessions (Django's clearsessions), so a database copy holds
    only sessions that are still valid."""
    SessionStore.clear_expired()
