"""Reads for the live meeting: the state every screen polls, the room as the
facilitator sees it, and what comes back from it (previous commitments, attendance).

The state holds no content: the phase, the speaking order as names (shown only to the
forum's members and coordinators), and times. It is read in a fixed number of queries
whatever the size of the group."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from forums.models import Membership
from members.models import User
from sessions_app.live import plans, transitions
from sessions_app.live.access import is_live_open, live_window
from sessions_app.models import Commitment, LiveMeeting, LivePresence, Meeting, MeetingNotepad

Status = LiveMeeting.Status


def live_of(meeting: Meeting) -> LiveMeeting:
    """The meeting's live state, or an unsaved one not started yet."""
    return LiveMeeting.objects.filter(meeting=meeting).first() or LiveMeeting(meeting=meeting)


def _names(user_ids: list[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return {
        user.pk: user.get_full_name() or user.email
        for user in User.objects.filter(pk__in=user_ids).only(
            "first_name", "last_name", "email", "erased_at"
        )
    }


def _my_turn(live: LiveMeeting, viewer_id: int, phase: dict, left: int) -> dict | None:
    if viewer_id not in live.order:
        return None
    position = live.order.index(viewer_id)
    before = position - live.speaker_index
    slot = phase["minutes"] * 60
    return {
        "position": position + 1,
        "turns_before": max(before, 0),
        "speaking": before == 0,
        "done": before < 0,
        "starts_in_seconds": left + (before - 1) * slot if before > 0 else 0,
    }


def _turn_state(position: int, speaker: int) -> str:
    return "done" if position < speaker else "current" if position == speaker else "next"


def state(live: LiveMeeting, *, viewer_id: int, now: datetime | None = None) -> dict:
    """The JSON-ready state for one viewer: `me` is their own place in the round."""
    now = now or timezone.now()
    meeting = live.meeting
    phase = transitions.current_phase(live)
    names = _names(live.order) if phase is not None else {}
    order = [
        {
            "name": names.get(uid, "—"),
            "state": _turn_state(i, live.speaker_index),
            "me": uid == viewer_id,
        }
        for i, uid in enumerate(live.order if phase is not None else [])
    ]  # fmt: skip
    left = transitions.time_left(live, now)
    return {
        "open": is_live_open(meeting, now),
        "opens_at": live_window(meeting)[0].isoformat(),
        "status": live.status,
        "version": live.version,
        "server_time": now.isoformat(),
        "phase": None
        if phase is None
        else {
            "index": live.phase_index + 1,
            "count": len(live.phases),
            "kind": phase["kind"],
            "title": plans.phase_title(phase),
            "is_round": plans.is_round(phase),
            "slot_minutes": phase["minutes"],
        },
        "next_phase": _next_title(live),
        "order": order,
        "speaker": order[live.speaker_index]["name"] if order else None,
        "time_left": left,
        "slot_seconds": live.segment_seconds,
        "me": _my_turn(live, viewer_id, phase, left) if phase is not None else None,
    }


def _next_title(live: LiveMeeting) -> str | None:
    if live.status in (Status.READY, Status.ENDED):
        return None
    following = live.phase_index + 1
    return plans.phase_title(live.phases[following]) if following < len(live.phases) else None


def room(meeting: Meeting) -> list[dict]:
    """The forum's active members for the facilitator: who is present and how they came
    (on their own device or marked by the facilitator), in arrival order first."""
    presences = {p.user_id: p for p in LivePresence.objects.filter(meeting=meeting)}
    members = User.objects.filter(
        pk__in=Membership.objects.active().filter(forum=meeting.forum_id).values("user_id")
    ).order_by("last_name", "first_name")
    rows = [{"user": user, "presence": presences.get(user.pk)} for user in members]
    far_future = timezone.now() + timedelta(days=1)
    return sorted(
        rows,
        key=lambda r: (
            not (r["presence"] and r["presence"].present),
            r["presence"].arrived_at if r["presence"] else far_future,
        ),
    )


def own_texts(meeting: Meeting, user: User) -> tuple[MeetingNotepad | None, Commitment | None]:
    """The viewer's own notepad and commitment for the meeting: nobody else's, ever."""
    return (
        MeetingNotepad.objects.filter(meeting=meeting, author=user).first(),
        Commitment.objects.filter(meeting=meeting, author=user).first(),
    )


def previous_commitment(meeting: Meeting, user: User) -> Commitment | None:
    """The member's own commitment from their latest earlier meeting of the same forum,
    to show before this one and ask how it went. Only ever for its author."""
    if not user.is_authenticated:
        return None
    return (
        Commitment.objects.filter(
            author=user,
            meeting__forum_id=meeting.forum_id,
            meeting__starts_at__lt=meeting.starts_at,
        )
        .select_related("meeting")
        .order_by("-meeting__starts_at")
        .first()
    )


def previous_commitment_authors(meeting: Meeting, user_ids: set[int]) -> set[int]:
    """Which of these members wrote a commitment at an earlier meeting of the forum
    that they have not yet said how it went: for a reminder batch, in one query. The
    email says only that there is one (the text itself stays on the site)."""
    latest: dict[int, bool] = {}
    for author_id, outcome in (
        Commitment.objects.filter(
            author_id__in=user_ids,
            meeting__forum_id=meeting.forum_id,
            meeting__starts_at__lt=meeting.starts_at,
        )
        .order_by("author_id", "-meeting__starts_at")
        .values_list("author_id", "outcome")
    ):
        latest.setdefault(author_id, not outcome)
    return {author_id for author_id, unanswered in latest.items() if unanswered}


def attendance_prefill(meeting: Meeting, sheet: list[dict]) -> list[dict]:
    """The attendance sheet (meetings.selectors.attendance_sheet) with who was in the
    live meeting ticked, where attendance is not recorded yet; each row says whether
    the person was in the room (`in_room`). Without a live meeting, the sheet as is."""
    presences = dict(LivePresence.objects.filter(meeting=meeting).values_list("user_id", "present"))
    if not presences:
        return sheet
    recorded = set(
        meeting.participations.filter(~Q(attended=None)).values_list("user_id", flat=True)
    )
    rows = []
    for row in sheet:
        in_room = presences.get(row["user"].pk, False)
        present = row["present"] if row["user"].pk in recorded else in_room
        rows.append({**row, "present": present, "in_room": in_room})
    return rows


def attendance_prefill_ids(meeting: Meeting) -> set[int]:
    """Who was in the live meeting (joined or marked present by the facilitator)."""
    return set(
        LivePresence.objects.filter(meeting=meeting, present=True).values_list("user_id", flat=True)
    )
