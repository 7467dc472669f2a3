"""How long Foorumix keeps accounts and the forums' records (GDPR article 5(1)(e)).

- An account without an active membership for FOORUMIX_ACCOUNT_RETENTION_MONTHS (last
  membership ended, joined and last signed in all longer ago) is erased like a deletion
  the person asked for (members/erasure.py), RETENTION_NOTICE_DAYS after an email
  telling them so. Signing in or joining a forum in between keeps the account.
  Coordinators, HR viewers and administrators hold roles, not memberships: their
  accounts end when the role is taken away, never by this rule.
- Invitations are deleted INVITATION_KEEP_DAYS after they expired, were revoked or were
  accepted (the membership is the record then); audit entries after
  FOORUMIX_AUDIT_RETENTION_MONTHS.

`apply_retention` runs nightly (forums.tasks.apply_retention).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from foorumix import outbox
from foorumix.mail import build_message
from forums.models import AuditEvent, Invitation, Membership
from members.erasure import erase
from members.models import User

logger = logging.getLogger(__name__)

RETENTION_NOTICE_DAYS = 30
INVITATION_KEEP_DAYS = 90
EMAIL_KIND = "retention_warning"
TEMPLATE = "forums/email/retention_warning"


def inactive_accounts(cutoff: datetime) -> QuerySet[User]:
    """Accounts with nothing newer than `cutoff`: no active membership, no membership
    ended since, not joined or signed in since. Never role holders, pseudonyms or
    accounts whose deletion is already under way."""
    return (
        User.objects.filter(
            is_coordinator=False,
            hr_organisation__isnull=True,
            is_staff=False,
            is_superuser=False,
            erased_at__isnull=True,
            deletion_requested_at__isnull=True,
            date_joined__lt=cutoff,
        )
        .filter(Q(last_login__isnull=True) | Q(last_login__lt=cutoff))
        .exclude(pk__in=Membership.objects.active().values("user"))
        .exclude(pk__in=Membership.objects.filter(ended_at__gte=cutoff).values("user"))
    )


def apply_retention(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    delete_before = now - relativedelta(months=settings.FOORUMIX_ACCOUNT_RETENTION_MONTHS)
    warn_before = delete_before + timedelta(days=RETENTION_NOTICE_DAYS)
    due = inactive_accounts(warn_before)
    # Came back (signed in, joined a forum) since the warning: the clock starts again.
    kept = User.objects.filter(retention_warned_at__isnull=False).exclude(pk__in=due.values("pk"))
    kept.update(retention_warned_at=None)
    warned = _warn(due.filter(retention_warned_at__isnull=True), now)
    erased = 0
    notice_given = now - timedelta(days=RETENTION_NOTICE_DAYS)
    for user in inactive_accounts(delete_before).filter(retention_warned_at__lte=notice_given):
        erase(user)
        erased += 1
    ended = Q(expires_at__lt=now) | Q(revoked_at__isnull=False) | Q(accepted_at__isnull=False)
    invitations, _ = Invitation.objects.filter(
        ended, created_at__lt=now - timedelta(days=INVITATION_KEEP_DAYS)
    ).delete()
    audit_before = now - relativedelta(months=settings.FOORUMIX_AUDIT_RETENTION_MONTHS)
    audit, _ = AuditEvent.objects.filter(at__lt=audit_before).delete()
    counts = {"warned": warned, "erased": erased, "invitations": invitations, "audit": audit}
    logger.info("Retention: %s", counts)
    return counts


def _warn(users: QuerySet[User], now: datetime) -> int:
    people = list(users)
    with transaction.atomic():
        for user in people:
            outbox.enqueue(
                EMAIL_KIND, [user], object_id=user.pk, occasion=f"{now:%Y-%m-%d}", forum_id=None
            )
        User.objects.filter(pk__in=[user.pk for user in people]).update(retention_warned_at=now)
    if people:
        outbox.kick()
    return len(people)


def build_retention_emails(messages: list) -> Callable[..., EmailMultiAlternatives | None]:
    """The outbox's batch builder for the warning (no query: the recipient is loaded)."""

    def build(message) -> EmailMultiAlternatives | None:
        user = message.recipient
        if user is None or user.retention_warned_at is None:
            return None  # came back, or already erased
        deleted_on = user.retention_warned_at + timedelta(days=RETENTION_NOTICE_DAYS)
        return build_message(
            to=message.recipient_email,
            template=TEMPLATE,
            context={
                "first_name": user.first_name,
                "months": settings.FOORUMIX_ACCOUNT_RETENTION_MONTHS,
                "deleted_on": timezone.localdate(deleted_on),
                "url": f"{settings.SITE_URL}/accounts/login/",
            },
            language=user.language,
        )

    return build
