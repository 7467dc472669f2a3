"""Reads for the live meeting: the state every screen polls, the room as the
facilitator sees it, and what comes back from it (previous commitments, attendance).

The state holds no content: the phase, the speaking order as names (shown only to the
forum's members and coordinators), and times. It is read in a fixed number of queries
whatever the size of the group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
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


@dataclass(frozen=True, slots=True)
class RoomTexts:
    """The texts of a member's live meeting page besides its state."""

    opening_text: str  # the confidentiality reminder of the meeting's plan, or the default
    notepad: str | None  # the viewer's own notepad (None: nothing saved)
    commitment: str | None  # the viewer's own commitment (None: none saved)


# The meeting's live state (as live_of), the viewer's own notepad and commitment, and the
# opening text of the meeting's plan (its own, else its forum's: plans.plan_for), in one
# statement for the member's page. Written out because the four reads as ORM querysets
# took ~2 ms, mostly Python building and compiling them, against ~0.4 ms for this
# statement (demo data; the page ~9 ms, the bare view ~2.5 ms). Plain SQL that SQLite
# and PostgreSQL both run; the one-row join keeps the texts when there is no live state.
_ROOM_SQL = """
SELECT l.*,
       (SELECT n.text FROM sessions_app_meetingnotepad n
         WHERE n.meeting_id = %s AND n.author_id = %s) AS own_notepad,
       (SELECT c.text FROM sessions_app_commitment c
         WHERE c.meeting_id = %s AND c.author_id = %s) AS own_commitment,
       (SELECT p.opening_text FROM sessions_app_meetingplan p
         WHERE p.meeting_id = %s OR (p.forum_id = %s AND p.meeting_id IS NULL)
         ORDER BY p.meeting_id IS NULL LIMIT 1) AS plan_opening
  FROM (SELECT 1 AS one) one
  LEFT JOIN sessions_app_livemeeting l ON l.meeting_id = %s
"""


def room_of(meeting: Meeting, author: User | None) -> tuple[LiveMeeting, RoomTexts]:
    """The meeting's live state (or an unsaved one not started yet) and the room's texts:
    the plan's opening text and, for `author` (the viewer, when a member), their own
    notepad and commitment, decrypted: nobody else's, ever. One query."""
    author_id = author.pk if author is not None else None
    params = [meeting.pk, author_id, meeting.pk, author_id, meeting.pk, meeting.forum_id]
    (row,) = LiveMeeting.objects.raw(_ROOM_SQL, [*params, meeting.pk])
    live = row if row.pk is not None else LiveMeeting(meeting=meeting)
    live.meeting = meeting  # already loaded, not another query

    def decrypt(token: str | None, model) -> str | None:
        field = model._meta.get_field("text")
        return None if token is None else field.from_db_value(token, None, connection)

    return live, RoomTexts(
        opening_text=row.plan_opening or str(plans.DEFAULT_OPENING_TEXT),
        notepad=decrypt(row.own_notepad, MeetingNotepad),
        commitment=decrypt(row.own_commitment, Commitment),
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
