"""Meeting reminders: planned by the outbox sweep when their time comes, never as
Celery ETAs (see foorumix/outbox.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from foorumix import outbox
from forums.models import Membership, parse_reminder_days
from members.models import User
from sessions_app.meetings.scheduling import HELSINKI
from sessions_app.models import Meeting, OutboxMessage

KIND = OutboxMessage.Kind.REMINDER
DEFAULT_DAYS = [7, 1]


def reminder_due_at(starts_at: datetime, days: int) -> datetime:
    """ "N days before" in Helsinki wall time: a 13:00 meeting's 1-day reminder goes at
    13:00 local the day before, also when a DST change lies in between."""
    local = starts_at.astimezone(HELSINKI).replace(tzinfo=None)
    return (local - relativedelta(days=days)).replace(tzinfo=HELSINKI)


def reminder_occasion(meeting: Meeting, days: int) -> str:
    # The start time is part of the occasion, so moving a meeting re-plans reminders
    # while a reminder already sent for the same time is never sent again.
    return f"{days}d@{meeting.starts_at.astimezone(HELSINKI):%Y%m%dT%H%M}"


def forum_members(forum_id: int) -> list[User]:
    """The people a forum's meeting messages go to: its active members who have accepted
    the forum's current group agreement. Until they accept, the forum shows them only
    the agreement, and its mail tells them nothing either."""
    return list(
        User.objects.filter(
            pk__in=Membership.objects.accepted().filter(forum=forum_id).values("user_id"),
            is_active=True,
        )
    )


def _latest_due(meeting: Meeting, now: datetime) -> tuple[datetime, int] | None:
    """The reminder whose time has come, and came after the meeting was scheduled (a
    meeting set up three days ahead gets no "7 days before" reminder). Only the latest:
    after an outage nobody gets a stale "7 days before" next to the "1 day before"."""
    try:
        offsets = parse_reminder_days(meeting.forum.reminder_days)
    except ValueError:
        offsets = DEFAULT_DAYS
    due = [
        (reminder_due_at(meeting.starts_at, days), days)
        for days in offsets
        if meeting.created_at <= reminder_due_at(meeting.starts_at, days) <= now
    ]
    return max(due) if due else None


def plan_reminders(now: datetime | None = None) -> int:
    """Create the reminder rows whose time has come. Idempotent and safe to run in
    parallel (duplicates are ignored by the unique constraint). Returns rows offered."""
    now = now or timezone.now()
    meetings = Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED, starts_at__gt=now, starts_at__lte=now + timedelta(days=61)
    ).select_related("forum")
    members_by_forum: dict[int, list[User]] = {}
    offered = 0
    for meeting in meetings:
        latest = _latest_due(meeting, now)
        if latest is None:
            continue
        due_at, days = latest
        if meeting.forum_id not in members_by_forum:
            members_by_forum[meeting.forum_id] = forum_members(meeting.forum_id)
        offered += outbox.enqueue(
            KIND, members_by_forum[meeting.forum_id], object_id=meeting.pk,
            occasion=reminder_occasion(meeting, days), forum_id=meeting.forum_id, due_at=due_at,
        )  # fmt: skip
    return offered
