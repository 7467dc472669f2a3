"""The one-minute pulse after a held meeting: four questions, 1-5, no free text.

Flow: when a meeting is marked held, `pulse_receipts_create(meeting)` gives every
attendee a receipt, and the outbox emails each one `pulse_url(receipt)`. The link is the
credential: whoever opens it may answer once, without signing in. The token is derived
from the receipt's nonce like invitation tokens (foorumix/tokens.py); the database keeps
only its hash.

Anonymity: answering stamps the receipt's `answered_on` (a date) and writes two rows that
hold no user, no receipt, a random primary key and no time finer than a day:

- ForumPulseAnswer(forum, answered_on = the meeting's day), for the forum's coordinators.
  The meeting's day, not the day of answering: all answers to one meeting carry the same
  day, so that day cannot be matched with a receipt's `answered_on` to single out who
  answered what.
- OrganisationPulseAnswer(organisation, unit at answer time, month of answering), for HR.
  The month of answering, not of the meeting: HR figures of a month are reported only
  after it has ended (sessions_app/hr/periods.py), so a late answer never changes a
  figure HR has already seen.

Links stay open PULSE_OPEN_DAYS after the meeting's day; a meeting's results reach its
coordinators only after that, when they can no longer change (sessions_app/pulse/
selectors.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from members.models import User
from sessions_app.models import (
    PULSE_QUESTION_NAMES,
    ForumPulseAnswer,
    Meeting,
    OrganisationPulseAnswer,
    Participation,
    PulseReceipt,
)

PULSE_OPEN_DAYS = 14


class PulseUnavailable(Exception):
    """The pulse cannot be answered: `reason` is "answered" or "closed"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def pulse_url(receipt: PulseReceipt) -> str:
    """The absolute one-time link for the pulse email."""
    return f"{settings.SITE_URL}{reverse('pulse:answer', kwargs={'token': receipt.token()})}"


def meeting_day(meeting: Meeting) -> date:
    return timezone.localdate(meeting.starts_at)


def closes_on(meeting: Meeting) -> date:
    """The last day the pulse of this meeting can be answered."""
    return meeting_day(meeting) + timedelta(days=PULSE_OPEN_DAYS)


def is_open(receipt: PulseReceipt, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        receipt.answered_on is None
        and receipt.meeting.status == Meeting.Status.HELD
        and today <= closes_on(receipt.meeting)
    )


@transaction.atomic
def pulse_receipts_create(meeting: Meeting) -> list[PulseReceipt]:
    """Receipts for the attendees (attended=True) of a held meeting.

    Idempotent: existing receipts are kept (their links keep working), attendees added by
    a corrected attendance record get new ones, and unanswered receipts of people no
    longer recorded present are withdrawn. Returns every attendee's receipt, new or old,
    answered or not, ordered by user id, with `user` loaded; sending is the caller's
    (the outbox de-duplicates per recipient and meeting, and should skip people with
    `email_pulse` off). Raises ValueError for a meeting that is not held.
    """
    if meeting.status != Meeting.Status.HELD:
        raise ValueError("Pulse receipts are for held meetings only.")
    attendees = set(
        Participation.objects.filter(meeting=meeting, attended=True).values_list(
            "user_id", flat=True
        )
    )
    PulseReceipt.objects.filter(meeting=meeting, answered_on__isnull=True).exclude(
        user_id__in=attendees
    ).delete()
    existing = set(PulseReceipt.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    new = [
        PulseReceipt(meeting=meeting, user_id=user_id) for user_id in sorted(attendees - existing)
    ]
    for receipt in new:
        receipt.draw_token()
    # A concurrent call may have created some of them; the unique (meeting, user)
    # constraint keeps the first.
    PulseReceipt.objects.bulk_create(new, ignore_conflicts=True)
    return list(
        PulseReceipt.objects.filter(meeting=meeting, user_id__in=attendees)
        .select_related("user")
        .order_by("user_id")
    )


def clean_scores(scores: Mapping[str, object]) -> dict[str, int]:
    """Exactly the pulse's questions, each a whole number 1-5; ValueError otherwise."""
    if set(scores) != set(PULSE_QUESTION_NAMES):
        raise ValueError("Answer each of the pulse's questions.")
    cleaned = {}
    for question in PULSE_QUESTION_NAMES:
        value = scores[question]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise ValueError(f"{question} must be a whole number from 1 to 5.")
        cleaned[question] = value
    return cleaned


def pulse_answer(
    *, receipt: PulseReceipt, scores: Mapping[str, int], today: date | None = None
) -> None:
    """Record one answer for a receipt, at most once, anonymously (see the module
    docstring). Anyone holding the receipt's link may call this through the pulse page.

    Once only, also under concurrent posts: the receipt is claimed with a conditional
    UPDATE (answered_on IS NULL) in the same transaction as the answer rows, and only
    the caller that changed the row writes answers. Raises PulseUnavailable("answered")
    or PulseUnavailable("closed") and then writes nothing; ValueError for bad scores.
    `today` is for the demo history and tests.
    """
    cleaned = clean_scores(scores)
    today = today or timezone.localdate()
    meeting = receipt.meeting
    if meeting.status != Meeting.Status.HELD or today > closes_on(meeting):
        raise PulseUnavailable("closed")
    with transaction.atomic():
        claimed = PulseReceipt.objects.filter(pk=receipt.pk, answered_on__isnull=True).update(
            answered_on=today
        )
        if claimed != 1:
            raise PulseUnavailable("answered")
        ForumPulseAnswer.objects.create(
            forum_id=meeting.forum_id, answered_on=meeting_day(meeting), **cleaned
        )
        # The person's organisation and unit now, read fresh: they are not stored
        # anywhere with the answer except as these two columns.
        person = (
            User.objects.select_related("unit")
            .only("organisation_id", "unit__organisation_id")
            .get(pk=receipt.user_id)
        )
        if person.organisation_id:
            unit = person.unit
            OrganisationPulseAnswer.objects.create(
                organisation_id=person.organisation_id,
                unit_id=unit.pk
                if unit and unit.organisation_id == person.organisation_id
                else None,
                month=today.replace(day=1),
                **cleaned,
            )
    receipt.answered_on = today
