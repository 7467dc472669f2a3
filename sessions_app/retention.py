"""How long sessions_app keeps records that only serve a purpose for a while
(GDPR article 5(1)(e)); run nightly by sessions_app.tasks.forget_old_records.

- Emails (outbox rows) OUTBOX_KEEP_DAYS after they were sent, failed or cancelled.
- Pulse receipts RECEIPT_KEEP_DAYS after their pulse closed: they only stop a second
  answer while it is open, and each one says that a person answered.
- Revoked calendar feeds FEED_KEEP_DAYS after they were revoked.

Session notes follow their forum's retention (sessions_app/notes/retention.py);
attendance and pulse answers are kept for the aggregates they count in.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from sessions_app.models import CalendarFeed, OutboxMessage, PulseReceipt
from sessions_app.pulse.services import PULSE_OPEN_DAYS

OUTBOX_KEEP_DAYS = 90
RECEIPT_KEEP_DAYS = 7
FEED_KEEP_DAYS = 30


def records_forget(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    done = [OutboxMessage.Status.SENT, OutboxMessage.Status.FAILED, OutboxMessage.Status.CANCELLED]
    emails, _ = OutboxMessage.objects.filter(
        status__in=done, created_at__lt=now - timedelta(days=OUTBOX_KEEP_DAYS)
    ).delete()
    receipts, _ = PulseReceipt.objects.filter(
        meeting__starts_at__lt=now - timedelta(days=PULSE_OPEN_DAYS + RECEIPT_KEEP_DAYS)
    ).delete()
    feeds, _ = CalendarFeed.objects.filter(
        revoked_at__lt=now - timedelta(days=FEED_KEEP_DAYS)
    ).delete()
    return {"emails": emails, "pulse receipts": receipts, "calendar feeds": feeds}
