"""Reads about meetings that span relations, with a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR

from forums.models import Forum, Membership, membership_is_active
from members.models import User
from sessions_app.access import meetings_visible_to
from sessions_app.models import (
    Meeting,
    Participation,
    Preparation,
    SessionNote,
)
from sessions_app.polls import selectors as poll_selectors

# What a list row of a meeting shows (templates/sessions_app/_meeting_rows.html).
ROW_FIELDS = ("pk", "starts_at", "ends_at", "status", "theme", "forum__name")
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


def _rows(meetings: QuerySet[Meeting], user: User) -> QuerySet:
    """The values a row needs, the viewer's own RSVP and whether the meeting has notes."""
    mine = Participation.objects.filter(meeting=OuterRef("pk"), user=user)
    return meetings.values(*ROW_FIELDS).annotate(
        my_rsvp=Subquery(mine.values("rsvp")[:1]),
        has_note=Exists(SessionNote.objects.filter(meeting=OuterRef("pk"))),
    )


def _as_rows(values: Iterable[dict]) -> list[MeetingRow]:
    # One reverse() per list, not per row (it costs more than the rest of a row): the
    # address with a placeholder id, filled in below.
    url = reverse("meetings:detail", kwargs={"meeting_id": _PLACEHOLDER_ID})
    prefix, _, suffix = url.rpartition(str(_PLACEHOLDER_ID))
    rows = []
    for row in values:
        starts, ends = timezone.localtime(row["starts_at"]), timezone.localtime(row["ends_at"])
        # The template's former date:"D j.n.Y" and time:"H.i", as dateformat makes them.
        day = f"{WEEKDAYS_ABBR[starts.weekday()]} {starts.day}.{starts.month}.{starts.year}"
        rows.append(
            MeetingRow(
                pk=row["pk"],
                url=f"{prefix}{row['pk']}{suffix}",
                status=row["status"],
                theme=row["theme"],
                forum_name=row["forum__name"],
                my_rsvp=row["my_rsvp"],
                has_note=row["has_note"],
                starts_iso=starts.isoformat(),
                when=f"{day} {starts:%H.%M}–{ends:%H.%M}",
            )
        )
    return rows


def upcoming_meetings(user: User, *, limit: int | None = None) -> list[MeetingRow]:
    """The user's upcoming meetings across forums, each with their own RSVP."""
    meetings = _rows(meetings_visible_to(user).filter(ends_at__gte=timezone.now()), user)
    meetings = meetings.order_by("starts_at")
    return _as_rows(meetings[:limit] if limit else meetings)


def my_meetings(user: User, *, past_limit: int = 50) -> tuple[list[MeetingRow], list[MeetingRow]]:
    """The user's (upcoming, past) meetings: the visible meetings' queryset is built once
    and narrowed twice."""
    visible = _rows(meetings_visible_to(user), user)
    now = timezone.now()
    upcoming = visible.filter(ends_at__gte=now).order_by("starts_at")
    past = visible.filter(ends_at__lt=now).order_by("-starts_at")[:past_limit]
    return _as_rows(upcoming), _as_rows(past)


def forum_meetings(forum: Forum, user: User) -> tuple[list[MeetingRow], list[MeetingRow]]:
    """(upcoming, past) meetings of one forum for its page, in one query."""
    values = list(_rows(Meeting.objects.filter(forum=forum), user).order_by("starts_at"))
    now = timezone.now()
    upcoming = _as_rows(m for m in values if m["ends_at"] >= now)
    past = _as_rows(m for m in reversed(values) if m["ends_at"] < now)
    return upcoming, past


def forum_page_section(forum: Forum, user: User) -> dict:
    """The forum page's meetings and polls (registered in sessions_app's AppConfig)."""
    upcoming, past = forum_meetings(forum, user)
    return {"upcoming": upcoming, "past": past, "polls": poll_selectors.forum_polls(forum)}


def coming(meeting: Meeting) -> list[User]:
    """Names of members who said they are coming — or, once the meeting is held, who
    attended (fellow members see these)."""
    said = (
        Q(participations__attended=True)
        if meeting.status == Meeting.Status.HELD
        else Q(participations__rsvp=Participation.Rsvp.YES)
    )
    return list(
        User.objects.filter(
            said,
            participations__meeting=meeting,
            pk__in=Membership.objects.active().filter(forum=meeting.forum_id).values("user_id"),
        ).order_by("last_name", "first_name")
    )


def rsvps_for_coordinator(meeting: Meeting) -> list[Participation]:
    """Every answer with its absence note: for the forum's coordinators only."""
    return list(
        meeting.participations.exclude(rsvp="")
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


def shared_preparations(meeting: Meeting, *, exclude_user: User) -> list[Preparation]:
    return list(
        meeting.preparations.filter(shared=True)
        .exclude(author=exclude_user)
        .select_related("author")
        .order_by("author__last_name")
    )


def next_meeting_start() -> Subquery:
    """For an annotation on forums: when the forum's next scheduled meeting starts (None
    if none is scheduled), so that a list of forums needs no second query."""
    return Subquery(
        Meeting.objects.filter(
            forum=OuterRef("pk"), status=Meeting.Status.SCHEDULED, starts_at__gte=timezone.now()
        )
        .order_by("starts_at")
        .values("starts_at")[:1]
    )


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
