"""What members are told when meetings change. Called inside the service's
transaction, so outbox rows commit (or roll back) together with the change."""

from foorumix import outbox
from sessions_app.meetings.reminders import forum_members
from sessions_app.models import Meeting, OutboxMessage
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
        kinds=[Kind.REMINDER, Kind.MEETING_SCHEDULED, Kind.MEETING_CHANGED],
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
