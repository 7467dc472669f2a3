"""Poll emails from outbox rows (kinds poll_opened and poll_reminder), and the planner
that queues the one reminder before a poll's deadline.

An email names the poll, its forum, the proposed times (Europe/Helsinki), the deadline
and links to the poll page; never another member. Delivery is the outbox's
at-least-once with de-duplication (foorumix/outbox.py): one "poll opened" row per member
(occasion "open"), one reminder per member (occasion "deadline")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from foorumix import outbox
from foorumix.mail import SharedParts
from forums.models import Membership
from members.models import User
from sessions_app.models import OutboxMessage, PollAnswer, SchedulingPoll

Kind = OutboxMessage.Kind
TEMPLATES = {
    Kind.POLL_OPENED: "sessions_app/email/poll_opened",
    Kind.POLL_REMINDER: "sessions_app/email/poll_reminder",
}
# Members who have not answered are reminded this long before the deadline.
REMIND_BEFORE = timedelta(hours=24)


def poll_url(poll: SchedulingPoll) -> str:
    return settings.SITE_URL + reverse("meetings:poll", kwargs={"poll_id": poll.pk})


class PollBatch:
    """Loads a batch's polls (with their forums and slots), its recipients' accepted
    memberships and, for reminders, who has answered: four queries whatever the size."""

    def __init__(self, messages: list[OutboxMessage]):
        self.polls = (
            SchedulingPoll.objects.select_related("forum")
            .prefetch_related("slots")
            .in_bulk({message.object_id for message in messages})
        )
        recipients = {message.recipient_id for message in messages if message.recipient_id}
        # Checked when sending, as for meeting mail: someone who has left, or has not
        # accepted a new version of the group agreement, gets nothing.
        self.memberships = set(
            Membership.objects.accepted()
            .filter(user_id__in=recipients)
            .values_list("user_id", "forum_id")
        )
        reminded = {m.object_id for m in messages if m.kind == Kind.POLL_REMINDER}
        self.answered = set(
            PollAnswer.objects.filter(slot__poll_id__in=reminded, user_id__in=recipients)
            .values_list("slot__poll_id", "user_id")
            .distinct()
            if reminded
            else ()
        )
        self.now = timezone.now()
        self._parts = SharedParts()

    def still_applies(self, message: OutboxMessage, poll: SchedulingPoll) -> bool:
        """The poll is still open and the recipient still one of its forum's members; a
        reminder also needs the deadline ahead and the recipient still not answered."""
        user_id = message.recipient_id
        if poll.closed_at is not None:
            return False
        if user_id is not None and (user_id, poll.forum_id) not in self.memberships:
            return False
        if message.kind == Kind.POLL_REMINDER:
            return (
                poll.deadline is not None
                and poll.deadline > self.now
                and (poll.pk, user_id) not in self.answered
            )
        return message.kind == Kind.POLL_OPENED

    def build(self, message: OutboxMessage) -> EmailMultiAlternatives | None:
        poll = self.polls.get(message.object_id)
        if poll is None or not self.still_applies(message, poll):
            return None
        user = message.recipient
        context = {
            "first_name": user.first_name if user else "",
            "forum_name": poll.forum.name,
            "poll": poll,
            "slots": list(poll.slots.all()),
            "deadline": poll.deadline,
            "poll_url": poll_url(poll),
        }
        return self._parts.build(
            to=message.recipient_email,
            template=TEMPLATES[message.kind],
            context=context,
            language=user.language if user else poll.forum.language,
            key=(poll.pk, message.kind),
        )


def build_poll_emails(
    messages: list[OutboxMessage],
) -> Callable[[OutboxMessage], EmailMultiAlternatives | None]:
    """The outbox's batch builder for poll_opened and poll_reminder rows; None cancels a
    row that no longer applies."""
    return PollBatch(messages).build


def plan_poll_reminders(now: datetime | None = None) -> int:
    """Queue one reminder to each member who has not answered an open poll whose
    deadline is within REMIND_BEFORE (and still ahead). Each poll is reminded once:
    `reminded_at` is claimed with a conditional UPDATE in the transaction that queues
    its rows, so parallel sweeps cannot both remind. A poll opened less than
    REMIND_BEFORE before its deadline gets none: its opening email is the reminder.
    Runs on every outbox sweep; returns the rows offered."""
    now = now or timezone.now()
    due = list(
        SchedulingPoll.objects.filter(
            closed_at__isnull=True,
            reminded_at__isnull=True,
            deadline__gt=now,
            deadline__lte=now + REMIND_BEFORE,
            created_at__lte=F("deadline") - REMIND_BEFORE,
        ).values_list("pk", "forum_id")
    )
    if not due:
        return 0
    members: dict[int, list[User]] = {}
    for membership in (
        Membership.objects.accepted()
        .filter(forum_id__in={forum_id for _pk, forum_id in due}, user__is_active=True)
        .select_related("user")
    ):
        members.setdefault(membership.forum_id, []).append(membership.user)
    answered = set(
        PollAnswer.objects.filter(slot__poll_id__in=[pk for pk, _forum in due])
        .values_list("slot__poll_id", "user_id")
        .distinct()
    )
    offered = 0
    for poll_id, forum_id in due:
        with transaction.atomic():
            claimed = SchedulingPoll.objects.filter(
                pk=poll_id, reminded_at__isnull=True, closed_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            waiting = [u for u in members.get(forum_id, []) if (poll_id, u.pk) not in answered]
            offered += outbox.enqueue(
                Kind.POLL_REMINDER, waiting, object_id=poll_id, occasion="deadline",
                forum_id=forum_id,
            )  # fmt: skip
    return offered
