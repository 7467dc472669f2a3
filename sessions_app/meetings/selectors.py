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
    OutboxMessage,
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


def _when(starts_at, ends_at) -> tuple[str, str]:
    """(ISO start for <time datetime>, "ti 3.2.2026 13.00–16.00" in the active language)."""
    starts, ends = timezone.localtime(starts_at), timezone.localtime(ends_at)
    # The template's former date:"D j.n.Y" and time:"H.i", as dateformat makes them.
    day = f"{WEEKDAYS_ABBR[starts.weekday()]} {starts.day}.{starts.month}.{starts.year}"
    return starts.isoformat(), f"{day} {starts:%H.%M}–{ends:%H.%M}"


def _as_rows(values: Iterable[dict]) -> list[MeetingRow]:
    # One reverse() per list, not per row (it costs more than the rest of a row): the
    # address with a placeholder id, filled in below.
    url = reverse("meetings:detail", kwargs={"meeting_id": _PLACEHOLDER_ID})
    prefix, _, suffix = url.rpartition(str(_PLACEHOLDER_ID))
    rows = []
    for row in values:
        starts_iso, when = _when(row["starts_at"], row["ends_at"])
        rows.append(
            MeetingRow(
                pk=row["pk"],
                url=f"{prefix}{row['pk']}{suffix}",
                status=row["status"],
                theme=row["theme"],
                forum_name=row["forum__name"],
                my_rsvp=row["my_rsvp"],
                has_note=row["has_note"],
                starts_iso=starts_iso,
                when=when,
            )
        )
    return rows


def upcoming_meetings(user: User, *, limit: int | None = None) -> list[MeetingRow]:
    """The user's upcoming meetings across forums, each with their own RSVP."""
    meetings = _rows(meetings_visible_to(user).filter(ends_at__gte=timezone.now()), user)
    meetings = meetings.order_by("starts_at")
    return _as_rows(meetings[:limit] if limit else meetings)


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


def next_meeting_for(user: User) -> NextMeeting | None:
    """The next scheduled meeting (not yet over) of a forum where the user is a member
    with the current agreement accepted, with their answer and whether they have saved
    a preparation: one query."""
    mine = Participation.objects.filter(meeting=OuterRef("pk"), user=user)
    row = (
        Meeting.objects.filter(
            forum_id__in=Membership.objects.accepted().filter(user=user).values("forum_id"),
            status=Meeting.Status.SCHEDULED,
            ends_at__gte=timezone.now(),
        )
        .order_by("starts_at")
        .values("pk", "starts_at", "ends_at", "theme", "place", "online_url", "forum__name")
        .annotate(
            my_rsvp=Subquery(mine.values("rsvp")[:1]),
            has_preparation=Exists(Preparation.objects.filter(meeting=OuterRef("pk"), author=user)),
        )
        .first()
    )
    if row is None:
        return None
    starts_iso, when = _when(row["starts_at"], row["ends_at"])
    return NextMeeting(
        pk=row["pk"],
        theme=row["theme"],
        forum_name=row["forum__name"],
        place=row["place"],
        online_url=row["online_url"],
        starts_iso=starts_iso,
        when=when,
        my_rsvp=row["my_rsvp"] or None,
        has_preparation=row["has_preparation"],
        open_for_answers=row["starts_at"] > timezone.now(),
    )


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


@dataclass(frozen=True, slots=True)
class Answer:
    """One active member's answer as a coordinator sees it."""

    name: str
    note: str  # the note to the coordinator, decrypted ("" if none)
    note_unreadable: bool  # stored, but no configured key opens it
    emailable: bool  # would get the coordinator's reminder (agreement accepted)


@dataclass(frozen=True, slots=True)
class AnswerGroup:
    rsvp: str  # "yes", "maybe", "no", or "" for not answered
    people: list[Answer]


@dataclass(frozen=True, slots=True)
class Answers:
    """Every active member of the meeting's forum, grouped by answer: for the forum's
    coordinators only (it holds the notes to the coordinator)."""

    groups: list[AnswerGroup]  # coming, maybe, not coming, not answered

    @property
    def not_answered(self) -> AnswerGroup:
        return self.groups[-1]

    @property
    def to_remind(self) -> int:
        """How many the reminder would go to (the outbox still skips those who turned
        reminder emails off)."""
        return sum(1 for answer in self.not_answered.people if answer.emailable)


def answers_for_coordinator(meeting: Meeting) -> Answers:
    """Every active member's answer, "not answered" included, in two queries."""
    memberships = (
        Membership.objects.active()
        .filter(forum=meeting.forum_id)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    rows = {p.user_id: p for p in meeting.participations.exclude(rsvp="")}
    order = [*Participation.Rsvp.values, ""]
    grouped: dict[str, list[Answer]] = {rsvp: [] for rsvp in order}
    for membership in memberships:
        user, row = membership.user, rows.get(membership.user_id)
        note = row.absence_note if row else ""
        grouped[row.rsvp if row else ""].append(
            Answer(
                name=user.get_full_name() or user.email,
                note=note,
                note_unreadable=getattr(note, "undecryptable", False),
                emailable=user.is_active
                and membership.accepted_version >= meeting.forum.agreement_version,
            )
        )
    return Answers([AnswerGroup(rsvp, grouped[rsvp]) for rsvp in order])


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


def own_preparation(meeting: Meeting, user: User) -> Preparation | None:
    """The user's own preparation, decrypted: for its author's eyes only."""
    return meeting.preparations.filter(author=user).first()


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
