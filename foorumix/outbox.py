"""The outbox core: every email Foorumix sends is first a database row.

This module is infrastructure: it imports no app. The row model is named by the setting
FOORUMIX_OUTBOX_MODEL (like AUTH_USER_MODEL). Apps register, in AppConfig.ready(),
each kind of message they send (`register_kind`: how to build the emails of a batch of
rows, and which User flag opts a person out) and any planner that creates rows when
their time comes (`register_planner`, e.g. meeting reminders). They queue rows with
`enqueue` / `enqueue_address` inside the transaction of the change that causes them.

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
  the rows it won. Each row is marked sent right after the SMTP server accepts it
  (on PostgreSQL without waiting for that commit to reach the disk: see `_mark_sent`).
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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

from celery import shared_task
from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F, Model
from django.utils import timezone

logger = logging.getLogger(__name__)

PENDING, SENDING, SENT, FAILED, CANCELLED = "pending", "sending", "sent", "failed", "cancelled"
MAX_ATTEMPTS = 8

# A batch builder gets the claimed rows of one kind and returns a function that turns
# one of them into an email, or None when the message no longer applies (the row is
# then cancelled). It loads what the batch needs in a fixed number of queries.
Builder = Callable[[Any], EmailMultiAlternatives | None]
BatchBuilder = Callable[[list[Any]], Builder]


@dataclass(frozen=True)
class Kind:
    name: str
    build_batch: BatchBuilder
    # The User flag that opts a person out of this kind; None: cannot be opted out of.
    opt_out_flag: str | None = None


_kinds: dict[str, Kind] = {}
_planners: list[Callable[[datetime], int]] = []


def register_kind(name: str, *, build_batch: BatchBuilder, opt_out_flag: str | None = None):
    """Called from an AppConfig.ready(): the app sends messages of kind `name`."""
    _kinds[name] = Kind(name, build_batch, opt_out_flag)


def register_planner(planner: Callable[[datetime], int]) -> None:
    """Called from an AppConfig.ready(): each sweep first runs `planner(now)`, which
    creates the rows whose time has come and returns how many it offered."""
    if planner not in _planners:
        _planners.append(planner)


def opt_out_flag(kind: str) -> str | None:
    registered = _kinds.get(kind)
    return registered.opt_out_flag if registered else None


def _unknown_kind(messages: list[Any]) -> Builder:
    logger.error("Outbox: no app sends kind %r; its rows are cancelled", messages[0].kind)
    return lambda message: None


def message_model() -> type[Model]:
    return apps.get_model(settings.FOORUMIX_OUTBOX_MODEL)


# --- Creating rows ----------------------------------------------------------------------


def enqueue(
    kind: str, recipients: Iterable[Any], *, object_id: int, occasion: str, forum_id: int | None,
    due_at: datetime | None = None,
) -> int:  # fmt: skip
    """One row per active recipient who has not opted out of `kind`, in the caller's
    transaction; a row that exists already is skipped. Returns the rows offered."""
    flag = opt_out_flag(kind)
    Message = message_model()
    rows = [
        Message(
            kind=kind,
            recipient=user,
            recipient_email=user.email,
            object_id=object_id,
            occasion=occasion,
            forum_id=forum_id,
            due_at=due_at or timezone.now(),
        )  # fmt: skip
        for user in recipients
        if user.is_active and (flag is None or getattr(user, flag))
    ]
    _insert(rows)
    return len(rows)


def enqueue_address(
    kind: str, email: str, *, recipient: Any | None, object_id: int, occasion: str,
    forum_id: int | None,
) -> None:  # fmt: skip
    """One row to an address that may have no account yet (an invitation)."""
    Message = message_model()
    _insert(
        [
            Message(
                kind=kind,
                recipient=recipient,
                recipient_email=email,
                object_id=object_id,
                occasion=occasion,
                forum_id=forum_id,
            )  # fmt: skip
        ]
    )


def _insert(rows: list[Model]) -> None:
    """Insert, skipping any row that exists already (the de-duplication)."""
    if rows:
        message_model().objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)


def drop_pending(*, object_id: int, kinds: Iterable[str]) -> int:
    """Cancel pending messages about an object that no longer apply."""
    return (
        message_model()
        .objects.filter(object_id=object_id, kind__in=list(kinds), status=PENDING)
        .update(status=CANCELLED)
    )


def kick() -> None:
    """After commit, ask a worker to sweep now. Never blocks a request on the broker:
    if the broker is down the beat's next sweep sends the rows anyway."""

    def send_kick() -> None:
        try:
            outbox_sweep.apply_async(retry=False)
        except Exception:  # noqa: BLE001 - the broker being down must not break a page
            logger.warning("Outbox kick not delivered; the next scheduled sweep will send.")

    transaction.on_commit(send_kick)


def failed_for_forum(forum_id: int) -> list[Model]:
    """Undelivered messages of a forum, for its coordinators. Raw (SQLite and PostgreSQL):
    the queryset cost ~0.6 ms against ~0.3 ms, on every coordinator's forum page."""
    model = message_model()
    sql = f"SELECT * FROM {model._meta.db_table} WHERE forum_id = %s AND status = %s"  # noqa: S608
    return list(model.objects.raw(f"{sql} ORDER BY created_at DESC LIMIT 50", [forum_id, FAILED]))


# --- Sending ----------------------------------------------------------------------------


def reset_stuck(now: datetime | None = None) -> int:
    """Rows left in "sending" by a worker that died go back to pending."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.FOORUMIX_OUTBOX_STUCK_SECONDS)
    count = (
        message_model()
        .objects.filter(status=SENDING, claimed_at__lt=cutoff)
        .update(status=PENDING, claim_token="")
    )
    if count:
        logger.warning("Outbox: %s message(s) stuck in sending were reset to pending", count)
    return count


def claim(batch_size: int, now: datetime | None = None) -> list[Model]:
    """Claim up to `batch_size` due rows for this sweep and return them."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    rows = message_model().objects
    with transaction.atomic():
        due = rows.filter(status=PENDING, due_at__lte=now).order_by("due_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("id", flat=True)[:batch_size])
        if not ids:
            return []
        # The conditional UPDATE is the claim: a row another sweep took meanwhile is no
        # longer pending and is not updated here.
        rows.filter(id__in=ids, status=PENDING).update(
            status=SENDING, claim_token=token, claimed_at=now, attempts=F("attempts") + 1
        )
    return list(
        rows.filter(claim_token=token, status=SENDING)
        .select_related("recipient")
        .order_by("due_at", "id")
    )


class _Renderer:
    """Builds the emails of one claimed batch, each kind's rows loaded together."""

    def __init__(self, messages: list[Model]):
        by_kind: dict[str, list[Model]] = {}
        for message in messages:
            by_kind.setdefault(message.kind, []).append(message)
        self.builders = {
            kind: (_kinds[kind].build_batch if kind in _kinds else _unknown_kind)(rows)
            for kind, rows in by_kind.items()
        }
        self.domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "foorumix"

    def build(self, message: Model) -> EmailMultiAlternatives | None:
        user = message.recipient
        flag = opt_out_flag(message.kind)
        if user is not None and (not user.is_active or (flag and not getattr(user, flag))):
            return None
        email = self.builders[message.kind](message)
        if email is not None:
            email.extra_headers["Message-ID"] = f"<foorumix-outbox-{message.pk}@{self.domain}>"
        return email


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


def _mark(message: Model, **fields) -> None:
    message_model().objects.filter(pk=message.pk).update(**fields)


def _mark_sent(message: Model) -> None:
    """Mark one row sent. On PostgreSQL the commit does not wait for its WAL flush
    (`synchronous_commit` off for this one statement's transaction): waiting for the
    disk was most of a reminder's cost. Only a crash of the database server itself
    within a fraction of a second can then lose the mark; the row stays "sending" and
    goes out again after FOORUMIX_OUTBOX_STUCK_SECONDS, so the guarantee stays
    at-least-once (the Message-ID lets receivers drop the duplicate). Inside a caller's
    transaction the setting would reach the caller's writes, so there it is not used."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        _mark(message, status=SENT, sent_at=timezone.now(), last_error="")
        return
    meta, quote = message_model()._meta, connection.ops.quote_name
    status, sent_at, error = (
        quote(meta.get_field(f).column) for f in ("status", "sent_at", "last_error")
    )
    with connection.cursor() as cursor:
        # One query string: PostgreSQL runs it as one transaction, SET LOCAL included.
        cursor.execute(
            f"SET LOCAL synchronous_commit TO OFF; UPDATE {quote(meta.db_table)} "  # noqa: S608
            f"SET {status} = %s, {sent_at} = %s, {error} = '' WHERE {quote(meta.pk.column)} = %s",
            [SENT, timezone.now(), message.pk],
        )


def _retry(message: Model, error: Exception) -> None:
    status = FAILED if message.attempts >= MAX_ATTEMPTS else PENDING
    message_model().objects.filter(pk=message.pk, status=SENDING).update(
        status=status,
        claim_token="",
        due_at=timezone.now() + _backoff(message.attempts),
        last_error=_describe(error),
    )
    logger.warning("Outbox: message %s will be retried (%s)", message.pk, _describe(error))


def _send_one(
    smtp, message: Model, email: EmailMultiAlternatives, outcome: dict
) -> Exception | None:
    """Send one email and record the outcome. Returns the error when the connection is
    lost for good (the caller puts the rest of the batch back for a retry)."""
    try:
        smtp.send_messages([email])
    except Exception as error:  # noqa: BLE001 - classified below
        if _permanent(error) or message.attempts >= MAX_ATTEMPTS:
            _mark(message, status=FAILED, last_error=_describe(error))
            logger.error("Outbox: message %s failed permanently (%s)", message.pk, _describe(error))
            outcome["failed"] += 1
        else:
            _retry(message, error)
            outcome["retry"] += 1
        if isinstance(error, smtplib.SMTPServerDisconnected | OSError):
            try:
                smtp.close()
                smtp.open()
            except Exception:  # noqa: BLE001 - any reconnection failure is temporary
                return error
        return None
    _mark_sent(message)
    outcome["sent"] += 1
    return None


def send_claimed(messages: list[Model]) -> dict[str, int]:
    """Render and send claimed rows over one SMTP connection; record each outcome."""
    outcome = {"sent": 0, "retry": 0, "failed": 0, "cancelled": 0}
    if not messages:
        return outcome
    renderer = _Renderer(messages)
    smtp = get_connection(fail_silently=False)
    try:
        smtp.open()
    except Exception as error:  # noqa: BLE001 - any connection failure is temporary
        for message in messages:
            _retry(message, error)
        outcome["retry"] = len(messages)
        return outcome
    try:
        for index, message in enumerate(messages):
            email = renderer.build(message)
            if email is None:
                _mark(message, status=CANCELLED)
                outcome["cancelled"] += 1
            elif (error := _send_one(smtp, message, email, outcome)) is not None:
                for rest in messages[index + 1 :]:
                    _retry(rest, error)
                    outcome["retry"] += 1
                break
    finally:
        try:
            smtp.close()
        except Exception:  # noqa: BLE001
            logger.debug("SMTP close failed", exc_info=True)
    return outcome


def sweep(*, batch_size: int = 500, max_batches: int | None = None) -> dict[str, int]:
    """One sweep: reset stuck rows, run the planners, send everything due."""
    reset_stuck()
    now = timezone.now()
    for planner in _planners:
        planner(now)
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


@shared_task(ignore_result=True)
def outbox_sweep() -> dict[str, int]:
    """Run the planners and send every due outbox row (the delivery guarantee is in this
    module's docstring). Safe to run concurrently and to run again: rows are claimed
    with a conditional UPDATE and de-duplicated by a unique constraint."""
    return sweep()
