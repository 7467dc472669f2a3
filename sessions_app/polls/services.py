"""Finding a time: scheduling polls, like Doodle or Rallly. Each operation is one
transaction, and the emails it causes are outbox rows in that same transaction.

The loop closes: opening a poll tells the forum's members; a day before its deadline
those who have not answered are reminded once (sessions_app/polls/emails.py); picking a
time schedules the meeting, turns the answers into RSVPs and closes the poll, and the
members then get exactly one email, the meeting's own "new meeting" notice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from foorumix import outbox
from forums.models import Forum, Membership
from members.models import User
from sessions_app.meetings.reminders import forum_members
from sessions_app.meetings.scheduling import Occurrence
from sessions_app.meetings.services import meeting_schedule
from sessions_app.models import (
    Meeting,
    OutboxMessage,
    Participation,
    PollAnswer,
    PollSlot,
    SchedulingPoll,
)

Kind = OutboxMessage.Kind
POLL_KINDS = [Kind.POLL_OPENED, Kind.POLL_REMINDER]
# A member's answer to the picked time becomes their RSVP to the meeting.
RSVP_FOR_ANSWER = {
    PollAnswer.Answer.YES: Participation.Rsvp.YES,
    PollAnswer.Answer.IF_NEEDED: Participation.Rsvp.MAYBE,
    PollAnswer.Answer.NO: Participation.Rsvp.NO,
}


def _validate(slots: Sequence[Occurrence], deadline: datetime | None) -> None:
    now = timezone.now()
    if not 2 <= len(slots) <= 6:
        raise ValidationError(_("Propose between two and six times."))
    for slot in slots:
        if slot.ends_at <= slot.starts_at:
            raise ValidationError(_("The meeting must end after it starts."))
        if slot.starts_at < now:
            raise ValidationError(_("The meeting cannot start in the past."))
    if deadline is not None:
        if deadline <= now:
            raise ValidationError(_("The deadline must be in the future."))
        if deadline >= min(slot.starts_at for slot in slots):
            raise ValidationError(_("The deadline must be before the first proposed time."))


@transaction.atomic
def poll_create(
    *,
    forum: Forum,
    actor: User,
    title: str,
    slots: Sequence[Occurrence],
    place: str = "",
    online_url: str = "",
    deadline: datetime | None = None,
) -> SchedulingPoll:
    """Open a poll with 2–6 proposed times and an optional deadline (in the future,
    before the first time). Every member of the forum (active, current agreement
    accepted) gets one "answer the poll" email. Raises ValidationError; the caller
    checks the actor coordinates the forum."""
    _validate(slots, deadline)
    poll = SchedulingPoll.objects.create(
        forum=forum,
        title=title,
        place=place,
        online_url=online_url,
        deadline=deadline,
        created_by=actor,
    )
    PollSlot.objects.bulk_create(
        PollSlot(poll=poll, starts_at=slot.starts_at, ends_at=slot.ends_at) for slot in slots
    )
    outbox.enqueue(
        Kind.POLL_OPENED, forum_members(forum.pk), object_id=poll.pk, occasion="open",
        forum_id=forum.pk,
    )  # fmt: skip
    outbox.kick()
    return poll


@transaction.atomic
def poll_answer(*, poll: SchedulingPoll, user: User, answers: dict[int, str]) -> None:
    """A member's answers (slot id -> yes / if_needed / no). Replaces earlier ones.
    Refused once the poll has closed, also when it closed after `poll` was read: the
    poll's row is locked, so an answer cannot slip in while a pick carries answers."""
    locked = SchedulingPoll.objects.select_for_update().filter(pk=poll.pk)
    if poll.closed_at or locked.values_list("closed_at", flat=True).first() is not None:
        raise ValidationError(_("This poll is closed."))
    _require_member_of_forum(poll.forum_id, user)
    slot_ids = set(poll.slots.values_list("pk", flat=True))
    if set(answers) - slot_ids:
        raise ValidationError(_("Unknown time."))
    for slot_id, answer in answers.items():
        PollAnswer.objects.update_or_create(slot_id=slot_id, user=user, defaults={"answer": answer})


def _require_member_of_forum(forum_id: int, user: User) -> None:
    if not Membership.objects.active().filter(forum=forum_id, user=user):
        raise PermissionDenied


@transaction.atomic
def poll_pick(*, poll: SchedulingPoll, slot: PollSlot, actor: User) -> Meeting:
    """The coordinator picks a slot: the meeting is scheduled (its members get its
    "new meeting" email, nothing else), the answers to that slot of the forum's active
    members become their RSVPs, the poll closes and its pending emails are dropped.

    Happens once: closing is a conditional UPDATE, so a second pick (a double click, a
    second coordinator) raises ValidationError and changes nothing; so does a time
    that has passed or overlaps another meeting (the whole transaction rolls back)."""
    if slot.poll_id != poll.pk:
        raise ValidationError(_("Unknown time."))
    now = timezone.now()
    if not SchedulingPoll.objects.filter(pk=poll.pk, closed_at__isnull=True).update(closed_at=now):
        raise ValidationError(_("This poll is closed."))
    (meeting,) = meeting_schedule(
        forum=poll.forum,
        actor=actor,
        occurrences=[Occurrence(slot.starts_at, slot.ends_at)],
        place=poll.place,
        online_url=poll.online_url,
        theme=poll.title,
    )
    SchedulingPoll.objects.filter(pk=poll.pk).update(meeting=meeting)
    active = Membership.objects.active().filter(forum=poll.forum_id).values("user_id")
    Participation.objects.bulk_create(
        Participation(meeting=meeting, user_id=user_id, rsvp=RSVP_FOR_ANSWER[answer], rsvp_at=now)
        for user_id, answer in slot.answers.filter(user_id__in=active).values_list(
            "user_id", "answer"
        )
    )
    outbox.drop_pending(object_id=poll.pk, kinds=POLL_KINDS)
    poll.closed_at, poll.meeting = now, meeting
    return meeting
