"""What the coordinator's dashboard reads about the forums they coordinate: each forum
with its organisations, undelivered emails and next meeting (its card, and the to-do
list's emails), the open polls with who answered them, and the meetings with loose ends.

Two hand-written statements, whatever the number of forums, meetings and members (the
forums' members and open invitations come from forums.selectors). Their ORM form (eight
querysets with subqueries, conditional counts and a prefetch) took 13-14 ms per
dashboard in one process, nearly all of it building and compiling the querysets; these
take ~1.3 ms (measured for issue 14).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from foorumix.rows import address_maker, fetch, in_list, moment
from forums.models import Forum
from members.models import User
from members.roles import is_coordinator, is_hr_viewer
from sessions_app.models import Meeting, OutboxMessage

FAILED_WINDOW = timedelta(days=30)  # undelivered emails worth a look

Members = dict[int, list[tuple[int, str, bool]]]  # as forums.selectors gives them

# One row per forum and organisation (a forum without one: a row with NULL). Parameters:
# FAILED and the failure window's start (twice), SCHEDULED and now, the coordinator.
_FORUMS_SQL = """
SELECT f.id, f.name, f.status, f.capacity, f.agreement_version, f.note_retention_months,
  (SELECT COUNT(*) FROM sessions_app_outboxmessage e WHERE e.forum_id = f.id
     AND e.status = %s AND e.created_at >= %s),
  (SELECT MAX(e.created_at) FROM sessions_app_outboxmessage e WHERE e.forum_id = f.id
     AND e.status = %s AND e.created_at >= %s),
  (SELECT MIN(m.starts_at) FROM sessions_app_meeting m WHERE m.forum_id = f.id
     AND m.status = %s AND m.starts_at >= %s),
  o.name
FROM forums_forum f
JOIN forums_forum_coordinators c ON c.forum_id = f.id AND c.user_id = %s
LEFT JOIN forums_forum_organisations fo ON fo.forum_id = f.id
LEFT JOIN members_organisation o ON o.id = fo.organisation_id
ORDER BY f.status, f.name, f.id, o.name, o.id
"""


@dataclass(slots=True)
class CoordinatedForum:
    """One forum the coordinator coordinates, with what its card and the to-do list
    count."""

    pk: int
    name: str
    status: str
    capacity: int
    agreement_version: int
    note_retention_months: int
    failed_emails: int  # within FAILED_WINDOW
    latest_failure: datetime | None
    next_meeting_at: datetime | None  # the next scheduled meeting's start
    organisations: list[str]

    @property
    def at_work(self) -> bool:
        """Still meets or takes members: the to-do list leaves archived forums out."""
        return self.status != Forum.Status.ARCHIVED


def coordinated_forums(user: User, now: datetime) -> list[CoordinatedForum]:
    """The forums `user` coordinates, by status and name: one query, none for anyone
    who coordinates nothing. The rule is forums.access.forums_coordinated_by's: the
    coordinator role (and not HR), then a place among the forum's coordinators; its
    queryset cost ~0.35 ms to build and compile, more than this whole statement's
    Python."""
    if not is_coordinator(user) or is_hr_viewer(user):
        return []
    failed, failed_since = OutboxMessage.Status.FAILED, now - FAILED_WINDOW
    params = [failed, failed_since, failed, failed_since, Meeting.Status.SCHEDULED, now, user.pk]
    forums: dict[int, CoordinatedForum] = {}
    for row in fetch(_FORUMS_SQL, params):
        forum = forums.get(row[0])
        if forum is None:
            forum = forums[row[0]] = CoordinatedForum(*row[:7], moment(row[7]), moment(row[8]), [])
        if row[9] is not None:
            forum.organisations.append(row[9])
    return list(forums.values())


@dataclass(frozen=True, slots=True)
class ForumCard:
    """A coordinated forum as its card on the dashboard shows it."""

    pk: int
    name: str
    url: str
    invitations_url: str
    organisations: str
    status: str  # its label in the active language
    member_count: int
    capacity: int
    pending_invitations: int
    accepted: str  # "7 of 8 (version 2)": active members who accepted the current agreement
    next_meeting: str  # "ti 1.12.2026 13.00", "" when none is scheduled


def forum_cards(
    forums: Sequence[CoordinatedForum], members: Members, expiries: dict[int, list[datetime]]
) -> list[ForumCard]:
    """The cards of `forums`; `members` and the open invitations' `expiries` as
    forums.selectors.member_memberships and open_invitations_for give them."""
    url = address_maker("forums:detail", "forum_id")
    invitations_url = address_maker("forums:invitations", "forum_id")
    # The template's former blocktranslate, the same message.
    accepted_text = gettext("%(accepted)s of %(total)s (version %(version)s)")
    cards = []
    for forum in forums:
        people = members.get(forum.pk, ())
        next_at = forum.next_meeting_at
        cards.append(
            ForumCard(
                pk=forum.pk,
                name=forum.name,
                url=url(forum.pk),
                invitations_url=invitations_url(forum.pk),
                organisations=", ".join(forum.organisations),
                status=Forum.Status(forum.status).label,
                member_count=len(people),
                capacity=forum.capacity,
                pending_invitations=len(expiries.get(forum.pk, ())),
                accepted=accepted_text
                % {
                    "accepted": sum(1 for _id, _name, accepted in people if accepted),
                    "total": len(people),
                    "version": forum.agreement_version,
                },
                next_meeting=date_format(timezone.localtime(next_at), "D j.n.Y H.i")
                if next_at
                else "",
            )
        )
    return cards


# What the to-do list looks at in the forums, in one statement of two parts (a kind in
# the first column, the rest by kind):
# - "poll": each open poll, once per member who answered it (once with NULL for a poll
#   nobody answered): id, forum, created_at, title, the answerer's id;
# - "meeting": the meetings (not cancelled) from now to the end of the answer window, and
#   the ended ones still scheduled, without attendance, or held since the notes window's
#   start without notes: id, forum, starts_at, status, how many of the forum's active
#   members answered, has attendance, has notes.
# Parameters: the forum ids; the forum ids, CANCELLED, SCHEDULED, now, the answer
# window's end, now, SCHEDULED, HELD, the notes window's start.
_TODO_SQL = """
SELECT DISTINCT 'poll', p.id, p.forum_id, p.created_at, p.title, a.user_id,
  CAST(NULL AS BOOLEAN), CAST(NULL AS BOOLEAN)
FROM sessions_app_schedulingpoll p
LEFT JOIN sessions_app_pollslot s ON s.poll_id = p.id
LEFT JOIN sessions_app_pollanswer a ON a.slot_id = s.id
WHERE p.closed_at IS NULL AND p.forum_id IN ({forums})
UNION ALL
SELECT 'meeting', m.id, m.forum_id, m.starts_at, m.status,
  (SELECT COUNT(*) FROM sessions_app_participation p
   WHERE p.meeting_id = m.id AND p.rsvp <> '' AND p.user_id IN (
     SELECT ms.user_id FROM forums_membership ms
     WHERE ms.forum_id = m.forum_id AND ms.ended_at IS NULL)),
  EXISTS (SELECT 1 FROM sessions_app_participation p
          WHERE p.meeting_id = m.id AND p.attended IS NOT NULL),
  EXISTS (SELECT 1 FROM sessions_app_sessionnote n WHERE n.meeting_id = m.id)
FROM sessions_app_meeting m
WHERE m.forum_id IN ({forums}) AND m.status <> %s AND (
  (m.status = %s AND m.starts_at >= %s AND m.starts_at <= %s)
  OR (m.ends_at < %s AND (
    m.status = %s
    OR NOT EXISTS (SELECT 1 FROM sessions_app_participation p
                   WHERE p.meeting_id = m.id AND p.attended IS NOT NULL)
    OR (m.status = %s AND m.starts_at >= %s
        AND NOT EXISTS (SELECT 1 FROM sessions_app_sessionnote n WHERE n.meeting_id = m.id))
  ))
)
ORDER BY 4, 2
"""


@dataclass(frozen=True, slots=True)
class OpenPoll:
    pk: int
    title: str
    forum_id: int
    created_at: datetime
    answered: set[int]  # ids of everyone who answered, members or not


@dataclass(frozen=True, slots=True)
class LooseMeeting:
    pk: int
    forum_id: int
    starts_at: datetime
    status: str
    has_attendance: bool
    has_note: bool
    answered: int  # active members of its forum who said whether they are coming


def todo_facts(
    forum_ids: Sequence[int], now: datetime, *, answers_within: timedelta, notes_within: timedelta
) -> tuple[list[OpenPoll], list[LooseMeeting]]:
    """The forums' open polls (oldest first) with who answered each, and their meetings
    that may need the coordinator (by start): upcoming within `answers_within`, and ended
    ones without attendance or (held within `notes_within`) without notes. One query."""
    status = Meeting.Status
    forums = in_list(forum_ids)
    params = [
        *forum_ids, *forum_ids, status.CANCELLED, status.SCHEDULED, now, now + answers_within,
        now, status.SCHEDULED, status.HELD, now - notes_within,
    ]  # fmt: skip
    polls: dict[int, OpenPoll] = {}
    meetings = []
    for kind, pk, forum_id, at, text, number, attended, noted in fetch(
        _TODO_SQL.format(forums=forums), params
    ):
        if kind == "meeting":
            meetings.append(
                LooseMeeting(pk, forum_id, moment(at), text, bool(attended), bool(noted), number)
            )
            continue
        poll = polls.get(pk)
        if poll is None:
            poll = polls[pk] = OpenPoll(pk, text, forum_id, moment(at), set())
        if number is not None:
            poll.answered.add(number)
    return list(polls.values()), meetings
