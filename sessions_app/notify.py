"""What members are told when meetings change. Called inside the service's transaction,
so the outbox rows commit (or roll back) together with the change.

Filled in by the outbox (sessions_app/outbox.py)."""

from sessions_app.models import Meeting


def meeting_scheduled(meeting: Meeting) -> None:
    pass


def meeting_changed(meeting: Meeting, *, time_changed: bool) -> None:
    pass


def meeting_cancelled(meeting: Meeting) -> None:
    pass


def meeting_held(meeting: Meeting) -> None:
    pass
