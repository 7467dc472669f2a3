"""Finding a time: scheduling polls, like Doodle or Rallly. Each operation is one
transaction."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forums.models import Forum, Membership
from members.models import User
from sessions_app.meetings.scheduling import Occurrence
from sessions_app.meetings.services import meeting_schedule
from sessions_app.models import Meeting, PollAnswer, PollSlot, SchedulingPoll


@transaction.atomic
def poll_create(
    *,
    forum: Forum,
    actor: User,
    title: str,
    slots: Sequence[Occurrence],
    place: str = "",
    online_url: str = "",
) -> SchedulingPoll:
    if not 2 <= len(slots) <= 6:
        raise ValidationError(_("Propose between two and six times."))
    for slot in slots:
        if slot.ends_at <= slot.starts_at:
            raise ValidationError(_("The meeting must end after it starts."))
        if slot.starts_at < timezone.now():
            raise ValidationError(_("The meeting cannot start in the past."))
    poll = SchedulingPoll.objects.create(
        forum=forum, title=title, place=place, online_url=online_url, created_by=actor
    )
    PollSlot.objects.bulk_create(
        PollSlot(poll=poll, starts_at=slot.starts_at, ends_at=slot.ends_at) for slot in slots
    )
    return poll


@transaction.atomic
def poll_answer(*, poll: SchedulingPoll, user: User, answers: dict[int, str]) -> None:
    """A member's answers (slot id -> yes / if_needed / no). Replaces earlier ones."""
    if poll.closed_at:
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
    """The coordinator picks a slot: the meeting is scheduled and the poll closes."""
    poll = SchedulingPoll.objects.select_for_update().get(pk=poll.pk)
    if poll.closed_at:
        raise ValidationError(_("This poll is closed."))
    (meeting,) = meeting_schedule(
        forum=poll.forum,
        actor=actor,
        occurrences=[Occurrence(slot.starts_at, slot.ends_at)],
        place=poll.place,
        online_url=poll.online_url,
        theme=poll.title,
    )
    poll.closed_at = timezone.now()
    poll.meeting = meeting
    poll.save(update_fields=["closed_at", "meeting"])
    return meeting
