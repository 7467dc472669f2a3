"""Reads about meetings that span relations, with a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR

from foorumix.rows import fetch, in_list, moment
from forums.models import Forum, Membership, membership_is_active
from members.models import User
from sessions_app.access import visible_forum_ids
from sessions_app.models import (
    Meeting,
    OutboxMessage,
    Participation,
)
from sessions_app.polls import selectors as poll_selectors

_PLACEHOLDER_ID = 987654321


@dataclass(frozen=True, slots=True)
class MeetingRow:
    """One meeting in a list, ready to show: plain values and its texts formatted once
    here, because building model instances and formatting four dates per row in the
    template was most of the time of the pages that list meetings."""

    pk: int
    url: str
    status: str
    theme: str
    forum_name: str
    my_rsvp: str | None
    has_note: bool
    starts_iso: str  # for <time datetime>
    when: str  # "ti 3.2.2026 13.00–16.00" in the active language

    @property
    def is_cancelled(self) -> bool:
        return self.status == Meeting.Status.CANCELLED


def _when(starts_at, ends_at) -> tuple[str, str]:
    """(ISO start for <time datetime>, "ti 3.2.2026 13.00–16.00" in the active language)."""
    starts, ends = timezone.localtime(starts_at), timezone.localtime(ends_at)
    # The template's former date:"D j.n.Y" and time:"H.i", as dateformat makes them.
    day = f"{WEEKDAYS_ABBR[starts.weekday()]} {starts.day}.{starts.month}.{starts.year}"
    return starts.isoformat(), f"{day} {starts:%H.%M}–{ends:%H.%M}"


def _as_rows(values: Iterable[Sequence]) -> list[MeetingRow]:
    """Rows of (id, starts, ends, status, theme, forum name, my answer, has notes), as the
    list statements select them."""
    # One reverse() per list, not per row (it costs more than the rest of a row): the
    # address with a placeholder id, filled in below.
    url = reverse("meetings:detail", kwargs={"meeting_id": _PLACEHOLDER_ID})
    prefix, _, suffix = url.rpartition(str(_PLACEHOLDER_ID))
    rows = []
    for pk, starts_at, ends_at, status, theme, forum_name, my_rsvp, has_note in values:
        starts_iso, when = _when(moment(starts_at), moment(ends_at))
        rows.append(
            MeetingRow(
                pk=pk,
                url=f"{prefix}{pk}{suffix}",
                status=status,
                theme=theme,
                forum_name=forum_name,
                my_rsvp=my_rsvp,
                has_note=bool(has_note),
                starts_iso=starts_iso,
                when=when,
            )
        )
    return rows


# The meetings of the forums the viewer sees (sessions_app.access.visible_forum_ids) that
# are not over ("upcoming": ends_at >= now) or are ("past"), nearest first, each with the
# viewer's own answer and whether it has notes. Hand-written: as an ORM queryset the list
# took 1.2-1.6 ms to build, compile and read against ~0.3 ms for the statement, on the
# home pages and my meetings (bench/README.md). Parameters: the viewer (their answer), the
# visible forums' parameters, now, the limit.
_VISIBLE_MEETINGS_SQL = """
SELECT m.id, m.starts_at, m.ends_at, m.status, m.theme, f.name,
  (SELECT p.rsvp FROM sessions_app_participation p
   WHERE p.meeting_id = m.id AND p.user_id = %s),
  EXISTS (SELECT 1 FROM sessions_app_sessionnote n WHERE n.meeting_id = m.id)
FROM sessions_app_meeting m
JOIN forums_forum f ON f.id = m.forum_id
WHERE m.forum_id IN ({forums}) AND {when}
ORDER BY {order}
LIMIT %s
"""
_UPCOMING = {"when": "m.ends_at >= %s", "order": "m.starts_at, m.id"}
_PAST = {"when": "m.ends_at < %s", "order": "m.starts_at DESC, m.id DESC"}


def _visible_meetings(user: User, part: dict, limit: int | None) -> list[MeetingRow]:
    visible = visible_forum_ids(user)
    if visible is None:
        return []
    forums, forum_params = visible
    sql = _VISIBLE_MEETINGS_SQL.format(forums=forums, **part)
    # LIMIT takes no "all": a count larger than any list instead.
    params = [user.pk, *forum_params, timezone.now(), limit or MAX_LIST]
    return _as_rows(fetch(sql, params))


MAX_LIST = 2**31 - 1


def upcoming_meetings(user: User, *, limit: int | None = None) -> list[MeetingRow]:
    """The user's upcoming meetings across forums, each with their own RSVP."""
    return _visible_meetings(user, _UPCOMING, limit)


@dataclass(frozen=True, slots=True)
class NextMeeting:
    """The member's next meeting as their home page leads with it."""

    pk: int
    theme: str
    forum_name: str
    place: str
    online_url: str
    starts_iso: str
    when: str
    my_rsvp: str | None
    has_preparation: bool
    open_for_answers: bool  # scheduled and not started yet


# Hand-written: the ORM's form (a subquery of accepted memberships, an RSVP subquery and
# an Exists) took ~1.8 ms to build and compile against ~0.2 ms to run, on every member's
# home. Parameters: the user (their answer, their preparation), the forum ids, SCHEDULED,
# now.
_NEXT_MEETING_SQL = """
SELECT m.id, m.starts_at, m.ends_at, m.theme, m.place, m.online_url, f.name,
  (SELECT p.rsvp FROM sessions_app_participation p
   WHERE p.meeting_id = m.id AND p.user_id = %s),
  EXISTS (SELECT 1 FROM sessions_app_preparation r
          WHERE r.meeting_id = m.id AND r.author_id = %s)
FROM sessions_app_meeting m
JOIN forums_forum f ON f.id = m.forum_id
WHERE m.forum_id IN ({forums}) AND m.status = %s AND m.ends_at >= %s
ORDER BY m.starts_at, m.id
LIMIT 1
"""


def next_meeting_for(user: User, accepted_forum_ids: Sequence[int]) -> NextMeeting | None:
    """The next scheduled meeting (not yet over) of the forums where the user is a
    member with the current agreement accepted (`accepted_forum_ids`, as
    forums.selectors.member_memberships tells), with their answer and whether they have
    saved a preparation: one query, none without such forums."""
    if not accepted_forum_ids:
        return None
    now = timezone.now()
    sql = _NEXT_MEETING_SQL.format(forums=in_list(accepted_forum_ids))
    params = [user.pk, user.pk, *accepted_forum_ids, Meeting.Status.SCHEDULED, now]
    rows = fetch(sql, params)
    if not rows:
        return None
    pk, starts_at, ends_at, theme, place, online_url, forum_name, rsvp, prepared = rows[0]
    starts_at, ends_at = moment(starts_at), moment(ends_at)
    starts_iso, when = _when(starts_at, ends_at)
    return NextMeeting(
        pk=pk,
        theme=theme,
        forum_name=forum_name,
        place=place,
        online_url=online_url,
        starts_iso=starts_iso,
        when=when,
        my_rsvp=rsvp or None,
        has_preparation=bool(prepared),
        open_for_answers=starts_at > now,
    )


def my_meetings(user: User, *, past_limit: int = 50) -> tuple[list[MeetingRow], list[MeetingRow]]:
    """The user's (upcoming, past) meetings, the last `past_limit` of the past ones."""
    return _visible_meetings(user, _UPCOMING, None), _visible_meetings(user, _PAST, past_limit)


# Hand-written: as an ORM queryset (values with the RSVP and notes fragments) the list
# took ~0.75 ms to build, compile and read against ~0.25 ms for this statement, on every
# forum page. Parameters: the viewer (their answer), the forum.
_FORUM_MEETINGS_SQL = """
SELECT m.id, m.starts_at, m.ends_at, m.status, m.theme,
  (SELECT p.rsvp FROM sessions_app_participation p
   WHERE p.meeting_id = m.id AND p.user_id = %s),
  EXISTS (SELECT 1 FROM sessions_app_sessionnote n WHERE n.meeting_id = m.id)
FROM sessions_app_meeting m
WHERE m.forum_id = %s
ORDER BY m.starts_at, m.id
"""


def forum_meetings(forum: Forum, user: User) -> tuple[list[MeetingRow], list[MeetingRow]]:
    """(upcoming, past) meetings of one forum for its page, each with the viewer's own
    answer, in one query. For viewers whom forum_for_member let in: all of the forum's
    meetings."""
    values = [
        (pk, moment(starts_at), moment(ends_at), status, theme, forum.name, my_rsvp, has_note)
        for pk, starts_at, ends_at, status, theme, my_rsvp, has_note in fetch(
            _FORUM_MEETINGS_SQL, [user.pk, forum.pk]
        )
    ]
    now = timezone.now()
    upcoming = _as_rows(m for m in values if m[2] >= now)
    past = _as_rows(m for m in reversed(values) if m[2] < now)
    return upcoming, past


def forum_page_section(forum: Forum, user: User) -> dict:
    """The forum page's meetings and polls (registered in sessions_app's AppConfig)."""
    upcoming, past = forum_meetings(forum, user)
    return {"upcoming": upcoming, "past": past, "polls": poll_selectors.forum_polls(forum)}


def unanswered_recipients(meeting: Meeting) -> list[User]:
    """The coordinator's reminder goes to these: the forum's active members with the
    current agreement accepted (reminders.forum_members) who have not answered."""
    answered = meeting.participations.exclude(rsvp="").values("user_id")
    return list(
        User.objects.filter(
            pk__in=Membership.objects.accepted().filter(forum=meeting.forum_id).values("user_id"),
            is_active=True,
        ).exclude(pk__in=answered)
    )


def nudged_count(meeting: Meeting) -> int:
    """How many got the coordinator's reminder (rows queued; at most one per person)."""
    return OutboxMessage.objects.filter(
        kind=OutboxMessage.Kind.MEETING_NUDGE, object_id=meeting.pk
    ).count()


def member_queryset(forum: Forum):
    """Active members of a forum, e.g. to choose a note-taker."""
    return User.objects.filter(
        pk__in=Membership.objects.active().filter(forum=forum).values("user_id")
    ).order_by("last_name", "first_name")


def attendance_candidates(meeting: Meeting) -> list[User]:
    """Who can have attended: current members and those who left after it started."""
    return list(
        User.objects.filter(
            Q(memberships__forum=meeting.forum_id)
            & (
                membership_is_active("memberships__")
                | Q(memberships__ended_at__gt=meeting.starts_at)
            )
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def attendance_sheet(meeting: Meeting) -> list[dict]:
    """Everyone who can have attended, each pre-ticked as recorded, or else from their
    RSVP ("yes" means present until the coordinator says otherwise)."""
    rows = {p.user_id: p for p in meeting.participations.all()}
    sheet = []
    for user in attendance_candidates(meeting):
        row = rows.get(user.pk)
        if row is not None and row.attended is not None:
            present = row.attended
        else:
            present = row is not None and row.rsvp == Participation.Rsvp.YES
        sheet.append({"user": user, "present": present, "rsvp": row.rsvp if row else ""})
    return sheet
