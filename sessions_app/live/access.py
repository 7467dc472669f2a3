"""Who may follow and who may run a meeting live, and when.

The rules are sessions_app/access.py's: the forum's accepted members and its
coordinators follow the meeting (outsiders and HR get 404), only the forum's
coordinators run it (members get 403), and only members have a notepad and a
commitment (a coordinator who is not a member gets 403 there).

The live meeting is open from 30 minutes before the start (people arrive, the
facilitator opens the room) until 4 hours after it, or 1 hour after the planned end
if that is later (meetings run over). Outside that window the pages say when it opens
and every change is refused; a cancelled meeting is never open."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from forums.access import ForumAccess, forum_for_coordinator
from members.models import User
from sessions_app.access import (
    MeetingAccess,
    meeting_for_coordinator,
    meeting_for_member,
    meeting_for_participant,
)
from sessions_app.models import Meeting

OPENS_BEFORE = timedelta(minutes=30)
OPEN_AFTER_START = timedelta(hours=4)
OPEN_AFTER_END = timedelta(hours=1)


def live_window(meeting: Meeting) -> tuple[datetime, datetime]:
    closes = max(meeting.starts_at + OPEN_AFTER_START, meeting.ends_at + OPEN_AFTER_END)
    return meeting.starts_at - OPENS_BEFORE, closes


def is_live_open(meeting: Meeting, now: datetime | None = None) -> bool:
    if meeting.status == Meeting.Status.CANCELLED:
        return False
    opens, closes = live_window(meeting)
    return opens <= (now or timezone.now()) < closes


def live_for_viewer(user: User, meeting_id: int) -> MeetingAccess:
    """Following the meeting: its forum's members and coordinators; 404 for others."""
    return meeting_for_member(user, meeting_id)


def live_for_facilitator(user: User, meeting_id: int) -> MeetingAccess:
    """Running the meeting: its forum's coordinators; 403 members, 404 others."""
    return meeting_for_coordinator(user, meeting_id)


def live_for_writer(user: User, meeting_id: int) -> MeetingAccess:
    """Writing one's own notepad and commitment: the forum's members; 403 for a
    coordinator who is not a member, 404 for others."""
    return meeting_for_participant(user, meeting_id)


def plan_for_coordinator(user: User, forum_id: int) -> ForumAccess:
    """The forum's default plan: its coordinators; 403 members, 404 others."""
    return forum_for_coordinator(user, forum_id)
