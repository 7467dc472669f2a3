"""What members are told when meetings change. Called inside the service's
transaction, so outbox rows commit (or roll back) together with the change."""

from datetime import datetime

from foorumix import outbox
from sessions_app.meetings.reminders import forum_members
from sessions_app.models import Meeting, OutboxMessage, Participation
from sessions_app.pulse import services as pulse

Kind = OutboxMessage.Kind


def _tell_members(meeting: Meeting, kind: str, occasion: str) -> None:
    outbox.enqueue(
        kind, forum_members(meeting.forum_id), object_id=meeting.pk, occasion=occasion,
        forum_id=meeting.forum_id,
    )  # fmt: skip
    outbox.kick()


def meeting_scheduled(meeting: Meeting) -> None:
    _tell_members(meeting, Kind.MEETING_SCHEDULED, f"seq{meeting.sequence}")


def meeting_changed(meeting: Meeting, *, time_changed: bool) -> None:
    if time_changed:
        # Reminders planned for the old time are dropped; the planner makes new ones.
        outbox.drop_pending(object_id=meeting.pk, kinds=[Kind.REMINDER])
    _tell_members(meeting, Kind.MEETING_CHANGED, f"seq{meeting.sequence}")


def meeting_cancelled(meeting: Meeting) -> None:
    outbox.drop_pending(
        object_id=meeting.pk,
        kinds=[
            Kind.REMINDER,
            Kind.MEETING_SCHEDULED,
            Kind.MEETING_CHANGED,
            Kind.MEETING_NUDGE,
            Kind.RSVP_DECLINED,
        ],
    )
    _tell_members(meeting, Kind.MEETING_CANCELLED, "cancel")


def meeting_held(meeting: Meeting) -> None:
    """Attendees get a one-time link to the anonymous pulse."""
    pulse.pulse_receipts_create(meeting)
    attendees = [
        participation.user
        for participation in meeting.participations.filter(attended=True).select_related("user")
    ]
    outbox.enqueue(
        Kind.PULSE, attendees, object_id=meeting.pk, occasion="held", forum_id=meeting.forum_id
    )
    outbox.kick()


def members_nudged(meeting: Meeting, users: list) -> int:
    """The coordinator's one reminder to members who have not answered."""
    queued = outbox.enqueue(
        Kind.MEETING_NUDGE, users, object_id=meeting.pk, occasion="nudge",
        forum_id=meeting.forum_id,
    )  # fmt: skip
    outbox.kick()
    return queued


def declined_occasion(participation_id: int, rsvp_at: datetime) -> str:
    """One notice per answer: a new "not coming" (or a new note) has a new `rsvp_at`,
    while a double submit changes nothing (services.rsvp_set) and so adds no row."""
    micros = int(rsvp_at.timestamp()) * 1_000_000 + rsvp_at.microsecond
    return f"declined-{participation_id}-{micros}"


def rsvp_declined(meeting: Meeting, participation: Participation) -> None:
    """Tell the forum's coordinators who asked for it (User.email_declines, the outbox's
    opt-out flag for this kind) that a member cannot come and left them a note. The
    email names the member and the meeting; the note stays on the meeting page."""
    coordinators = meeting.forum.coordinators.filter(is_coordinator=True, is_active=True)
    occasion = declined_occasion(participation.pk, participation.rsvp_at)
    outbox.enqueue(
        Kind.RSVP_DECLINED, coordinators, object_id=meeting.pk, occasion=occasion,
        forum_id=meeting.forum_id,
    )  # fmt: skip
    outbox.kick()
