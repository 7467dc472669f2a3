"""The coordinator's to-do list on the dashboard: what waits for them in the forums they
coordinate (archived ones left out), each thing as one sentence with a link to the page
where it is done.

Four queries whatever the number of forums, meetings and members (the dashboard shares
the first three with its cards): the coordinated forums with their undelivered emails,
the forums' active members, their open invitations, and in one statement the open polls
with who answered them and the meetings (upcoming, and past ones with loose ends). See
dashboard.py.

The list names members only where the coordinator sees the same names on the page the
item links to (a poll's answers); it never carries private texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from foorumix.rows import address_maker
from forums import selectors as forum_selectors
from members.models import User
from sessions_app.meetings import dashboard
from sessions_app.meetings.dashboard import CoordinatedForum, LooseMeeting, Members, OpenPoll
from sessions_app.models import Meeting

RSVP_WINDOW = timedelta(days=14)  # upcoming meetings whose answers are watched
NOTES_WINDOW = timedelta(days=90)  # held meetings still worth writing notes for
INVITATION_WINDOW = timedelta(days=7)  # invitations about to stop working

# The order of the list: things to do now for members first, then the loose ends.
KINDS = ("poll", "rsvp", "attendance", "notes", "email", "invitation")


@dataclass(frozen=True)
class TodoItem:
    """One thing waiting for the coordinator: a sentence, and the page where it is done."""

    kind: str  # one of KINDS
    forum_id: int
    forum_name: str
    text: str
    url: str
    action: str  # the link's text
    at: datetime  # orders the items of one kind


def coordinator_todo(
    user: User,
    *,
    forums: Sequence[CoordinatedForum] | None = None,
    members: Members | None = None,
    expiries: dict[int, list[datetime]] | None = None,
    now: datetime | None = None,
) -> list[TodoItem]:
    """What needs the attention of `user` in the forums they coordinate: by forum, in
    KINDS order and by time within a kind; empty for anyone who coordinates nothing.
    The dashboard passes what it has read already for its cards (with the same `now`):
    the forums, their members and their open invitations' expiry times."""
    now = now or timezone.now()
    if forums is None:
        forums = dashboard.coordinated_forums(user, now)
    at_work = [forum for forum in forums if forum.at_work]
    if not at_work:
        return []
    ids = [forum.pk for forum in forums]
    if members is None:
        members = forum_selectors.member_memberships(user, also=ids).members
    if expiries is None:
        expiries = forum_selectors.open_invitations_for(user, also=ids).expiries
    names = {forum.pk: forum.name for forum in at_work}
    polls, meetings = dashboard.todo_facts(
        list(names), now, answers_within=RSVP_WINDOW, notes_within=NOTES_WINDOW
    )
    items = [
        *_poll_items(polls, names, members),
        *_meeting_items(meetings, at_work, members, now),
        *_forum_items(at_work, expiries, now),
    ]
    items.sort(key=lambda item: (item.forum_name, item.forum_id, KINDS.index(item.kind), item.at))
    return items


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "D j.n.Y H.i")


def _poll_items(polls: list[OpenPoll], names: dict[int, str], members: Members) -> list[TodoItem]:
    """Each open poll: who has not answered it yet, or that everyone has (time to pick)."""
    url = address_maker("meetings:poll", "poll_id")
    items = []
    for poll in polls:
        people = members.get(poll.forum_id)
        if not people:
            continue
        missing = [name for user_id, name, _accepted in people if user_id not in poll.answered]
        values = {"title": poll.title, "count": len(missing), "names": ", ".join(missing)}
        if missing:
            text = ngettext(
                "%(count)s member has not answered the poll “%(title)s”: %(names)s.",
                "%(count)s members have not answered the poll “%(title)s”: %(names)s.",
                len(missing),
            )
        else:
            text = _("Everyone has answered the poll “%(title)s”: you can pick the time.")
        items.append(
            TodoItem("poll", poll.forum_id, names[poll.forum_id], text % values, url(poll.pk),
                     _("Open the poll"), poll.created_at)
        )  # fmt: skip
    return items


def _meeting_items(
    meetings: list[LooseMeeting],
    forums: Sequence[CoordinatedForum],
    members: Members,
    now: datetime,
) -> list[TodoItem]:
    by_id = {forum.pk: forum for forum in forums}
    urls = {
        "rsvp": address_maker("meetings:detail", "meeting_id"),
        "attendance": address_maker("meetings:attendance", "meeting_id"),
        "notes": address_maker("notes:meeting_notes_edit", "meeting_id"),
    }
    items = []
    for meeting in meetings:
        forum = by_id[meeting.forum_id]
        item = _meeting_item(meeting, forum, len(members.get(forum.pk, ())), now, urls)
        if item is not None:
            items.append(item)
    return items


def _meeting_item(
    meeting: LooseMeeting, forum: CoordinatedForum, member_count: int, now: datetime, urls: dict
) -> TodoItem | None:
    """What one meeting still needs: answers (upcoming), attendance, or notes."""
    pk, starts_at, when = meeting.pk, meeting.starts_at, _when(meeting.starts_at)
    if starts_at >= now:
        answered = meeting.answered
        if not member_count or answered * 2 >= member_count:
            return None
        if answered:
            text = ngettext(
                "Only %(answered)s of %(total)s members has said whether they are coming "
                "to the meeting on %(when)s.",
                "Only %(answered)s of %(total)s members have said whether they are coming "
                "to the meeting on %(when)s.",
                answered,
            )
        else:
            text = _("No member has said yet whether they are coming to the meeting on %(when)s.")
        text %= {"answered": answered, "total": member_count, "when": when}
        return TodoItem("rsvp", forum.pk, forum.name, text, urls["rsvp"](pk),
                        _("Open the meeting"), starts_at)  # fmt: skip
    if meeting.status == Meeting.Status.SCHEDULED or not meeting.has_attendance:
        text = _("The meeting on %(when)s is over, but its attendance is not recorded.")
        return TodoItem(
            "attendance", forum.pk, forum.name, text % {"when": when}, urls["attendance"](pk),
            _("Record attendance"), starts_at,
        )  # fmt: skip
    kept_until = starts_at + relativedelta(months=forum.note_retention_months)
    if meeting.has_note or kept_until <= now:
        return None  # notes past the retention period could not be saved any more
    text = _("The meeting on %(when)s has no session notes yet.") % {"when": when}
    return TodoItem("notes", forum.pk, forum.name, text, urls["notes"](pk),
                    _("Write the notes"), starts_at)  # fmt: skip


def _forum_items(
    forums: Sequence[CoordinatedForum], expiries: dict[int, list[datetime]], now: datetime
) -> list[TodoItem]:
    """Per forum, the emails that could not be delivered lately (shown on the forum's
    page, where the coordinator sees the addresses and reasons), and the unanswered
    invitations whose links stop working within a week."""
    forum_url = address_maker("forums:detail", "forum_id")
    invitations_url = address_maker("forums:invitations", "forum_id")
    items = []
    for forum in forums:
        if forum.failed_emails:
            text = ngettext(
                "%(count)s email could not be delivered in the last 30 days.",
                "%(count)s emails could not be delivered in the last 30 days.",
                forum.failed_emails,
            ) % {"count": forum.failed_emails}
            items.append(
                TodoItem("email", forum.pk, forum.name, text,
                         f"{forum_url(forum.pk)}#undelivered-heading",
                         _("See the undelivered emails"), forum.latest_failure)
            )  # fmt: skip
        soon = [at for at in expiries.get(forum.pk, ()) if at <= now + INVITATION_WINDOW]
        if soon:
            first = min(soon)
            text = ngettext(
                "%(count)s unanswered invitation expires on %(date)s.",
                "%(count)s unanswered invitations expire within a week, the first on %(date)s.",
                len(soon),
            ) % {"count": len(soon), "date": _when(first)}
            items.append(
                TodoItem("invitation", forum.pk, forum.name, text, invitations_url(forum.pk),
                         _("See the invitations"), first)
            )  # fmt: skip
    return items
