"""What members are told when meetings change. Called inside the service's
transaction, so outbox rows commit (or roll back) together with the change."""

from foorumix import outbox
from sessions_app.models import Meeting, OutboxMessage

Kind = OutboxMessage.Kind


def meeting_scheduled(meeting: Meeting) -> None:
    outbox.enqueue_meeting_message(meeting, Kind.MEETING_SCHEDULED, f"seq{meeting.sequence}")


def meeting_changed(meeting: Meeting, *, time_changed: bool) -> None:
    if time_changed:
        # Reminders planned for the old time are dropped; the planner makes new ones.
        outbox.drop_pending(meeting, [Kind.REMINDER])
    outbox.enqueue_meeting_message(meeting, Kind.MEETING_CHANGED, f"seq{meeting.sequence}")


def meeting_cancelled(meeting: Meeting) -> None:
    outbox.drop_pending(meeting, [Kind.REMINDER, Kind.MEETING_SCHEDULED, Kind.MEETING_CHANGED])
    outbox.enqueue_meeting_message(meeting, Kind.MEETING_CANCELLED, "cancel")


def meeting_held(meeting: Meeting) -> None:
    """Attendees get a one-time link to the anonymous pulse."""
    from sessions_app.pulse import services as pulse

    pulse.pulse_receipts_create(meeting)
    attendees = [
        participation.user
        for participation in meeting.participations.filter(attended=True).select_related("user")
    ]
    outbox.enqueue_pulse(meeting, attendees)
