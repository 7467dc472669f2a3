"""Reads about meetings that span relations, with a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from forums.models import Forum, Membership, membership_is_active
from members.models import User
from sessions_app.access import meetings_visible_to
from sessions_app.models import (
    Meeting,
    Participation,
    PollAnswer,
    Preparation,
    SchedulingPoll,
    SessionNote,
    Theme,
    ThemeVote,
)


def _with_viewer(meetings: QuerySet[Meeting], user: User) -> QuerySet[Meeting]:
    mine = Participation.objects.filter(meeting=OuterRef("pk"), user=user)
    return meetings.select_related("forum").annotate(
        my_rsvp=Subquery(mine.values("rsvp")[:1]),
        coming_count=Count("participations", filter=Q(participations__rsvp="yes")),
        has_note=Exists(SessionNote.objects.filter(meeting=OuterRef("pk"))),
    )


def upcoming_meetings(user: User, *, limit: int | None = None) -> QuerySet[Meeting]:
    """The user's upcoming meetings across forums, each with their own RSVP."""
    meetings = _with_viewer(
        meetings_visible_to(user).filter(ends_at__gte=timezone.now()), user
    ).order_by("starts_at")
    return meetings[:limit] if limit else meetings


def past_meetings(user: User, *, limit: int = 50) -> QuerySet[Meeting]:
    return _with_viewer(
        meetings_visible_to(user).filter(ends_at__lt=timezone.now()), user
    ).order_by("-starts_at")[:limit]


def forum_meetings(forum: Forum, user: User) -> tuple[list[Meeting], list[Meeting]]:
    """(upcoming, past) meetings of one forum for its page."""
    meetings = list(_with_viewer(Meeting.objects.filter(forum=forum), user).order_by("starts_at"))
    now = timezone.now()
    upcoming = [m for m in meetings if m.ends_at >= now]
    past = [m for m in meetings if m.ends_at < now][::-1]
    return upcoming, past


def forum_page_section(forum: Forum, user: User) -> dict:
    """The forum page's meetings and polls (registered in sessions_app's AppConfig)."""
    upcoming, past = forum_meetings(forum, user)
    return {"upcoming": upcoming, "past": past, "polls": forum_polls(forum)}


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


def next_meeting_by_forum(forum_ids: list[int]) -> dict[int, Meeting]:
    """The next scheduled meeting of each forum, in one query."""
    upcoming = (
        Meeting.objects.filter(
            forum_id__in=forum_ids,
            status=Meeting.Status.SCHEDULED,
            starts_at__gte=timezone.now(),
        )
        .order_by("forum_id", "starts_at")
        .only("pk", "forum_id", "starts_at")
    )
    first: dict[int, Meeting] = {}
    for meeting in upcoming:
        first.setdefault(meeting.forum_id, meeting)
    return first


def forum_polls(forum: Forum) -> list[SchedulingPoll]:
    return list(
        forum.polls.filter(closed_at__isnull=True)
        .annotate(slot_count=Count("slots"))
        .order_by("-created_at")
    )


def poll_matrix(poll: SchedulingPoll) -> tuple[list, list, dict]:
    """Coordinator view: (slots with counts, respondents, {(slot_id, user_id): answer})."""
    slots = list(
        poll.slots.annotate(
            yes=Count("answers", filter=Q(answers__answer="yes")),
            if_needed=Count("answers", filter=Q(answers__answer="if_needed")),
            no=Count("answers", filter=Q(answers__answer="no")),
        )
    )
    answers = list(PollAnswer.objects.filter(slot__poll=poll).select_related("user"))
    respondents = sorted(
        {answer.user for answer in answers}, key=lambda u: (u.last_name, u.first_name)
    )
    grid = {(answer.slot_id, answer.user_id): answer.answer for answer in answers}
    return slots, respondents, grid


def my_poll_answers(poll: SchedulingPoll, user: User) -> dict[int, str]:
    return dict(
        PollAnswer.objects.filter(slot__poll=poll, user=user).values_list("slot_id", "answer")
    )


def forum_themes(forum: Forum, user: User) -> list[Theme]:
    """Library themes plus this forum's proposals, with this forum's vote counts."""
    return list(
        Theme.objects.filter(Q(forum__isnull=True) | Q(forum=forum))
        .annotate(
            vote_count=Count("votes", filter=Q(votes__forum=forum)),
            my_vote=Exists(ThemeVote.objects.filter(theme=OuterRef("pk"), forum=forum, user=user)),
        )
        .order_by("-vote_count", "title_fi", "title_en")
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
