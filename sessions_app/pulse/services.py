"""The one-minute pulse after a held meeting: four questions, 1-5, no free text.

Flow: when a meeting is marked held, `pulse_receipts_create(meeting)` gives every
attendee a receipt, and the outbox emails each one `pulse_url(receipt)`. The link is the
credential: whoever opens it may answer once, without signing in. The token is derived
from the receipt's nonce like invitation tokens (foorumix/tokens.py); the database keeps
only its hash.

Anonymity: answering stamps the receipt's `answered_on` (a date) and, in the same
transaction, stages the answer: one StagedPulseAnswer per answer-table row, holding only
a random id, the day its batch may be written and the row's content encrypted
(foorumix/crypto.py). `pulse_answers_release`, run by Celery beat, later writes the
staged rows whose batch is complete into the answer tables, which hold no user, no
receipt, a random primary key and no time finer than a day:

- ForumPulseAnswer(forum, answered_on = the meeting's day), for the forum's coordinators.
  The meeting's day, not the day of answering: all answers to one meeting carry the same
  day, so that day cannot be matched with a receipt's `answered_on` to single out who
  answered what. Batch: every answer to the meetings of one day, written the day after
  their pulse has closed (`release_on`), when no answer can join it any more; the
  coordinators see a meeting's results only from then on (sessions_app/pulse/
  selectors.py).
- OrganisationPulseAnswer(organisation, unit at answer time, month of answering), for HR.
  The month of answering, not of the meeting: HR figures of a month are reported only
  a week after it has ended (sessions_app/hr/periods.py), so a late answer never changes
  a figure HR has already seen. Batch: every answer of the month, written on the first
  day of the next month.

A batch is written in one transaction, each table's rows in an independent random
order, so the physical order of the tables (PostgreSQL's ctid, SQLite's rowid, a dump)
pairs neither the two tables with each other nor either with the order in which the
receipts were claimed; a backup shows which rows arrived together, and a batch holds
every answer that could belong to it. Until then nothing readable is stored.

Links stay open PULSE_OPEN_DAYS after the meeting's day.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Mapping
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from foorumix import crypto
from forums.models import Forum
from members.models import Organisation, Unit, User
from sessions_app.models import (
    PULSE_QUESTION_NAMES,
    ForumPulseAnswer,
    Meeting,
    OrganisationPulseAnswer,
    Participation,
    PulseReceipt,
    StagedPulseAnswer,
)

logger = logging.getLogger(__name__)

PULSE_OPEN_DAYS = 14
_FORUM, _ORGANISATION = "forum", "organisation"  # the staged row's answer table


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


@sensitive_variables("scores", "cleaned")
def pulse_answer(
    *, receipt: PulseReceipt, scores: Mapping[str, int], today: date | None = None
) -> None:
    """Record one answer for a receipt, at most once, anonymously (see the module
    docstring). Anyone holding the receipt's link may call this through the pulse page.

    Once only, also under concurrent posts: the receipt is claimed with a conditional
    UPDATE (answered_on IS NULL) in the same transaction as the staged answer rows, and
    only the caller that changed the row stages answers. Raises
    PulseUnavailable("answered") or PulseUnavailable("closed") and then writes nothing;
    ValueError for bad scores. `today` is for the demo history and tests.
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
        StagedPulseAnswer.objects.bulk_create(
            _staged_rows(meeting, user_id=receipt.user_id, today=today, scores=cleaned)
        )
    receipt.answered_on = today


@sensitive_variables("scores")
def _staged_rows(
    meeting: Meeting, *, user_id: int, today: date, scores: dict[str, int]
) -> list[StagedPulseAnswer]:
    """The answer's staged rows: one for the coordinators' table and, if the person
    belongs to an organisation, one for HR's."""
    rows = [
        _staged(
            closes_on(meeting) + timedelta(days=1),
            table=_FORUM,
            forum=meeting.forum_id,
            answered_on=meeting_day(meeting).isoformat(),
            scores=scores,
        )
    ]
    # The person's organisation and unit now, read fresh: they are not stored anywhere
    # with the answer except as these two columns.
    person = (
        User.objects.select_related("unit")
        .only("organisation_id", "unit__organisation_id")
        .get(pk=user_id)
    )
    if person.organisation_id:
        unit = person.unit
        month = today.replace(day=1)
        rows.append(
            _staged(
                (month + timedelta(days=31)).replace(day=1),  # the next month's first day
                table=_ORGANISATION,
                organisation=person.organisation_id,
                unit=unit.pk if unit and unit.organisation_id == person.organisation_id else None,
                month=month.isoformat(),
                scores=scores,
            )
        )
    return rows


@sensitive_variables()
def _staged(release_on: date, **content) -> StagedPulseAnswer:
    # Compact, with the scores in PULSE_QUESTION_NAMES order: every payload fits the
    # smallest length class of crypto.encrypt_private, so all tokens are alike.
    content["scores"] = [content["scores"][name] for name in PULSE_QUESTION_NAMES]
    return StagedPulseAnswer(
        release_on=release_on, payload=json.dumps(content, separators=(",", ":"))
    )


# --------------------------------------------------------------------------- release


@sensitive_variables()
def pulse_answers_release(*, today: date | None = None) -> int:
    """Write every staged answer row whose batch is complete (`release_on` <= today)
    into its answer table and delete it from the staging table; returns how many rows.

    One transaction, so the answer tables never show half a batch. Each table's new rows
    are inserted in their own random order (a CSPRNG shuffle). Safe to run concurrently
    and again: the staged rows are locked, and a second run waits for the first and
    then finds them gone (on SQLite, which has no row locks, the second writer fails and
    writes nothing). Rows of a forum or organisation deleted meanwhile are dropped, a
    deleted unit becomes "no unit". Raises crypto.UndecryptableError, writing nothing,
    if a staged row fits no key. Called by sessions_app.tasks.release_pulse_answers.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        staged = list(
            StagedPulseAnswer.objects.select_for_update()
            .filter(release_on__lte=today)
            .order_by("pk")
        )
        if not staged:
            return 0
        if any(isinstance(row.payload, crypto.UndecryptableText) for row in staged):
            raise crypto.UndecryptableError(
                f"Staged pulse answers cannot be decrypted with any key in {crypto.ENV_VAR}; "
                "none was released."
            )
        contents = [json.loads(row.payload) for row in staged]
        forum_rows, organisation_rows = _answer_rows(contents)
        ids = [row.pk for row in staged]
        for start in range(0, len(ids), 500):
            StagedPulseAnswer.objects.filter(pk__in=ids[start : start + 500]).delete()
        shuffle = secrets.SystemRandom().shuffle
        shuffle(forum_rows)
        shuffle(organisation_rows)
        ForumPulseAnswer.objects.bulk_create(forum_rows)
        OrganisationPulseAnswer.objects.bulk_create(organisation_rows)
    return len(staged)


@sensitive_variables()
def _answer_rows(contents: list[dict]) -> tuple[list, list]:
    """The answer-table rows of decrypted staged contents, skipping those whose forum or
    organisation no longer exists."""
    forums = set(
        Forum.objects.filter(
            pk__in={c["forum"] for c in contents if c["table"] == _FORUM}
        ).values_list("pk", flat=True)
    )
    organisations = set(
        Organisation.objects.filter(
            pk__in={c["organisation"] for c in contents if c["table"] == _ORGANISATION}
        ).values_list("pk", flat=True)
    )
    units = set(
        Unit.objects.filter(
            pk__in={c["unit"] for c in contents if c["table"] == _ORGANISATION and c["unit"]}
        ).values_list("pk", flat=True)
    )
    forum_rows, organisation_rows = [], []
    for content in contents:
        scores = dict(zip(PULSE_QUESTION_NAMES, map(int, content["scores"]), strict=True))
        if content["table"] == _FORUM and content["forum"] in forums:
            forum_rows.append(
                ForumPulseAnswer(
                    forum_id=content["forum"],
                    answered_on=date.fromisoformat(content["answered_on"]),
                    **scores,
                )
            )
        elif content["table"] == _ORGANISATION and content["organisation"] in organisations:
            organisation_rows.append(
                OrganisationPulseAnswer(
                    organisation_id=content["organisation"],
                    unit_id=content["unit"] if content["unit"] in units else None,
                    month=date.fromisoformat(content["month"]),
                    **scores,
                )
            )
    return forum_rows, organisation_rows


def staged_pulse_answers_rotate_keys() -> int:
    """Re-encrypt every staged pulse answer under the first key of FOORUMIX_NOTES_KEYS
    (see crypto.reencrypt_rows); one transaction. Returns the number of rows."""
    with transaction.atomic():
        return crypto.reencrypt_rows(StagedPulseAnswer.objects.all(), ["payload"])
