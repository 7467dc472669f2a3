"""The outbox: every email Foorumix sends is first a database row.

Delivery guarantee: **at-least-once, with de-duplication.**
- A row exists at most once per (recipient, kind, subject object, occasion): the
  unique constraint on OutboxMessage, with inserts that ignore conflicts. Two sweeps,
  two workers or a re-run beat therefore cannot create a second copy of a message.
- Rows are created in the same transaction as the change that causes them (meeting
  scheduled, changed, cancelled, held; invitation sent) or, for reminders, by the
  planner when their time comes. The database row is the truth; the broker only
  carries "go look" (a sweep task), so a lost or duplicated broker message loses or
  duplicates nothing. No reminder is ever a long Celery ETA/countdown: with Redis those
  are redelivered or lost on restarts (celery#4766, #3501).
- A sweep claims due rows with a conditional UPDATE (pending → sending, with its own
  claim token; `SELECT … FOR UPDATE SKIP LOCKED` first on PostgreSQL) and sends only
  the rows it won. Each row is marked sent right after the SMTP server accepts it.
- A worker that dies mid-sweep leaves its claimed rows in "sending"; after
  FOORUMIX_OUTBOX_STUCK_SECONDS they return to "pending" and go out again. The only
  way a message is sent twice is a crash in the instant between the SMTP server's
  "250 OK" and the UPDATE that marks the row sent; each message carries a stable
  Message-ID (<outbox-ID@…>) so receiving systems can discard such a duplicate. We
  prefer that to at-most-once, where the same crash would silently lose a reminder.
- Temporary SMTP failures (connection errors, 4xx) put the row back to pending with
  exponential backoff; permanent ones (5xx) and rows that exhausted their attempts are
  marked failed, shown to the forum's coordinators and never retried.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from forums.models import Forum, Invitation, parse_reminder_days
from members.models import User
from sessions_app.meetings.scheduling import HELSINKI
from sessions_app.models import Meeting, OutboxMessage

logger = logging.getLogger(__name__)
Kind = OutboxMessage.Kind
Status = OutboxMessage.Status

MEETING_KINDS = {
    Kind.MEETING_SCHEDULED,
    Kind.MEETING_CHANGED,
    Kind.MEETING_CANCELLED,
    Kind.REMINDER,
    Kind.PULSE,
}
# Which User flag opts a person out of which kind (invitations cannot be opted out of).
OPT_OUT_FLAG = {
    Kind.REMINDER: "email_reminders",
    Kind.MEETING_SCHEDULED: "email_meeting_updates",
    Kind.MEETING_CHANGED: "email_meeting_updates",
    Kind.MEETING_CANCELLED: "email_meeting_updates",
    Kind.PULSE: "email_pulse",
}
MAX_ATTEMPTS = 8


# --- Creating rows ----------------------------------------------------------------------


def _rows(
    kind: str, recipients: Iterable[User], *, object_id: int, occasion: str, forum_id: int,
    due_at: datetime | None = None,
) -> list[OutboxMessage]:  # fmt: skip
    flag = OPT_OUT_FLAG.get(kind)
    due_at = due_at or timezone.now()
    return [
        OutboxMessage(
            kind=kind,
            recipient=user,
            recipient_email=user.email,
            object_id=object_id,
            occasion=occasion,
            forum_id=forum_id,
            due_at=due_at,
        )
        for user in recipients
        if user.is_active and (flag is None or getattr(user, flag))
    ]


def _insert(rows: list[OutboxMessage]) -> None:
    """Insert, skipping any row that exists already (the de-duplication)."""
    if rows:
        OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)


def active_members(forum_id: int) -> list[User]:
    return list(
        User.objects.filter(
            memberships__forum=forum_id, memberships__ended_at__isnull=True, is_active=True
        )
    )


def kick() -> None:
    """After commit, ask a worker to sweep now. Never blocks a request on the broker:
    if the broker is down the beat's next sweep sends the rows anyway."""

    def send_kick() -> None:
        from foorumix.tasks import outbox_sweep

        try:
            outbox_sweep.apply_async(retry=False)
        except Exception:  # noqa: BLE001 - the broker being down must not break a page
            logger.warning("Outbox kick not delivered; the next scheduled sweep will send.")

    transaction.on_commit(send_kick)


def enqueue_invitation(invitation: Invitation) -> None:
    """One row per send of an invitation; a resend is a new occasion."""
    _insert(
        [
            OutboxMessage(
                kind=Kind.INVITATION,
                recipient=User.objects.filter(email__iexact=invitation.email).first(),
                recipient_email=invitation.email,
                object_id=invitation.pk,
                occasion=invitation.expires_at.strftime("%Y%m%d%H%M%S%f"),
                forum_id=invitation.forum_id,
            )
        ]
    )
    kick()


def enqueue_meeting_message(meeting: Meeting, kind: str, occasion: str) -> None:
    _insert(
        _rows(
            kind,
            active_members(meeting.forum_id),
            object_id=meeting.pk,
            occasion=occasion,
            forum_id=meeting.forum_id,
        )
    )
    kick()


def drop_pending(meeting: Meeting, kinds: Iterable[str]) -> int:
    """Cancel pending messages about a meeting that no longer apply."""
    return OutboxMessage.objects.filter(
        object_id=meeting.pk, kind__in=list(kinds), status=Status.PENDING
    ).update(status=Status.CANCELLED)


def enqueue_pulse(meeting: Meeting, attendees: Iterable[User]) -> None:
    _insert(
        _rows(
            Kind.PULSE,
            attendees,
            object_id=meeting.pk,
            occasion="held",
            forum_id=meeting.forum_id,
        )  # fmt: skip
    )
    kick()


# --- Reminders --------------------------------------------------------------------------


def reminder_due_at(starts_at: datetime, days: int) -> datetime:
    """ "N days before" in Helsinki wall time: a 13:00 meeting's 1-day reminder goes at
    13:00 local the day before, also when a DST change lies in between."""
    local = starts_at.astimezone(HELSINKI).replace(tzinfo=None)
    return (local - relativedelta(days=days)).replace(tzinfo=HELSINKI)


def reminder_occasion(meeting: Meeting, days: int) -> str:
    # The start time is part of the occasion, so moving a meeting re-plans reminders
    # while a reminder already sent for the same time is never sent again.
    return f"{days}d@{meeting.starts_at.astimezone(HELSINKI):%Y%m%dT%H%M}"


def plan_reminders(now: datetime | None = None) -> int:
    """Create the reminder rows whose time has come. Idempotent and safe to run in
    parallel (duplicates are ignored by the unique constraint). Returns rows offered."""
    now = now or timezone.now()
    horizon = now + timedelta(days=61)
    meetings = list(
        Meeting.objects.filter(
            status=Meeting.Status.SCHEDULED, starts_at__gt=now, starts_at__lte=horizon
        ).select_related("forum")
    )
    members_by_forum: dict[int, list[User]] = {}
    offered = 0
    for meeting in meetings:
        try:
            offsets = parse_reminder_days(meeting.forum.reminder_days)
        except ValueError:
            offsets = [7, 1]
        # The reminders whose time has come, and came after the meeting was scheduled
        # (a meeting set up three days ahead gets no "7 days before" reminder). Of these
        # only the latest is offered: after an outage nobody gets a stale "7 days
        # before" next to the "1 day before".
        due = [
            (reminder_due_at(meeting.starts_at, days), days)
            for days in offsets
            if meeting.created_at <= reminder_due_at(meeting.starts_at, days) <= now
        ]
        for due_at, days in sorted(due)[-1:]:
            if meeting.forum_id not in members_by_forum:
                members_by_forum[meeting.forum_id] = active_members(meeting.forum_id)
            rows = _rows(
                Kind.REMINDER,
                members_by_forum[meeting.forum_id],
                object_id=meeting.pk,
                occasion=reminder_occasion(meeting, days),
                forum_id=meeting.forum_id,
                due_at=due_at,
            )
            _insert(rows)
            offered += len(rows)
    return offered


# --- Sending ----------------------------------------------------------------------------


def reset_stuck(now: datetime | None = None) -> int:
    """Rows left in "sending" by a worker that died go back to pending."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.FOORUMIX_OUTBOX_STUCK_SECONDS)
    count = OutboxMessage.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff).update(
        status=Status.PENDING, claim_token=""
    )
    if count:
        logger.warning("Outbox: %s message(s) stuck in sending were reset to pending", count)
    return count


def claim(batch_size: int, now: datetime | None = None) -> list[OutboxMessage]:
    """Claim up to `batch_size` due rows for this sweep and return them."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    with transaction.atomic():
        due = OutboxMessage.objects.filter(status=Status.PENDING, due_at__lte=now).order_by(
            "due_at", "id"
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("id", flat=True)[:batch_size])
        if not ids:
            return []
        # The conditional UPDATE is the claim: a row another sweep took meanwhile is no
        # longer pending and is not updated here.
        OutboxMessage.objects.filter(id__in=ids, status=Status.PENDING).update(
            status=Status.SENDING, claim_token=token, claimed_at=now, attempts=F("attempts") + 1
        )
    return list(
        OutboxMessage.objects.filter(claim_token=token, status=Status.SENDING)
        .select_related("recipient")
        .order_by("due_at", "id")
    )


def _permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _describe(error: Exception) -> str:
    code = getattr(error, "smtp_code", "")
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code = ",".join(str(c) for c, _m in error.recipients.values())
    return f"{type(error).__name__} {code}".strip()[:200]


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


def send_claimed(messages: list[OutboxMessage]) -> dict[str, int]:
    """Render and send claimed rows over one SMTP connection; record each outcome."""
    from sessions_app.meetings.emails import Renderer

    outcome = {"sent": 0, "retry": 0, "failed": 0, "cancelled": 0}
    if not messages:
        return outcome
    renderer = Renderer(messages)
    smtp = get_connection(fail_silently=False)
    try:
        smtp.open()
    except Exception as error:  # noqa: BLE001 - any connection failure is temporary
        for message in messages:
            _retry(message, error)
        outcome["retry"] = len(messages)
        return outcome
    try:
        for message in messages:
            email = renderer.build(message)
            if email is None:
                OutboxMessage.objects.filter(pk=message.pk).update(status=Status.CANCELLED)
                outcome["cancelled"] += 1
                continue
            try:
                smtp.send_messages([email])
            except Exception as error:  # noqa: BLE001 - classified below
                if _permanent(error) or message.attempts >= MAX_ATTEMPTS:
                    OutboxMessage.objects.filter(pk=message.pk).update(
                        status=Status.FAILED, last_error=_describe(error)
                    )
                    logger.error(
                        "Outbox: message %s failed permanently (%s)", message.pk, _describe(error)
                    )
                    outcome["failed"] += 1
                else:
                    _retry(message, error)
                    outcome["retry"] += 1
                if isinstance(error, smtplib.SMTPServerDisconnected | OSError):
                    try:
                        smtp.close()
                        smtp.open()
                    except Exception:  # noqa: BLE001
                        for rest in messages[messages.index(message) + 1 :]:
                            _retry(rest, error)
                            outcome["retry"] += 1
                        break
                continue
            OutboxMessage.objects.filter(pk=message.pk).update(
                status=Status.SENT, sent_at=timezone.now(), last_error=""
            )
            outcome["sent"] += 1
    finally:
        try:
            smtp.close()
        except Exception:  # noqa: BLE001
            logger.debug("SMTP close failed", exc_info=True)
    return outcome


def _retry(message: OutboxMessage, error: Exception) -> None:
    status = Status.FAILED if message.attempts >= MAX_ATTEMPTS else Status.PENDING
    OutboxMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=status,
        claim_token="",
        due_at=timezone.now() + _backoff(message.attempts),
        last_error=_describe(error),
    )
    logger.warning("Outbox: message %s will be retried (%s)", message.pk, _describe(error))


def sweep(*, batch_size: int = 500, max_batches: int | None = None) -> dict[str, int]:
    """One sweep: reset stuck rows, plan due reminders, send everything due."""
    reset_stuck()
    plan_reminders()
    totals = {"sent": 0, "retry": 0, "failed": 0, "cancelled": 0}
    batches = 0
    while max_batches is None or batches < max_batches:
        claimed = claim(batch_size)
        if not claimed:
            break
        for key, value in send_claimed(claimed).items():
            totals[key] += value
        batches += 1
    if any(totals.values()):
        logger.info("Outbox sweep: %s", totals)
    return totals


def failed_for_forum(forum: Forum) -> list[OutboxMessage]:
    """Undelivered messages of a forum, for its coordinators."""
    return list(
        OutboxMessage.objects.filter(forum=forum, status=Status.FAILED).order_by("-created_at")[:50]
    )
