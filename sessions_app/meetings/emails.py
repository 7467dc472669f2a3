"""Meeting emails from outbox rows: plain text + HTML in the recipient's language, an
.ics attachment, a stable Message-ID (added by the outbox). No confidential content
ever: no notes, no preparation, no absence notes, no other members' names."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from foorumix.mail import SharedParts
from forums.models import Membership
from sessions_app.live.selectors import previous_commitment_authors
from sessions_app.meetings import calendar
from sessions_app.meetings.reminders import reminder_occasion
from sessions_app.models import Meeting, OutboxMessage

Kind = OutboxMessage.Kind
TEMPLATES = {
    Kind.MEETING_SCHEDULED: "sessions_app/email/meeting_scheduled",
    Kind.MEETING_CHANGED: "sessions_app/email/meeting_changed",
    Kind.MEETING_CANCELLED: "sessions_app/email/meeting_cancelled",
    Kind.REMINDER: "sessions_app/email/reminder",
    Kind.PULSE: "sessions_app/email/pulse",
}


def still_applies(message: OutboxMessage, meeting: Meeting) -> bool:
    """Whether the row still tells the truth about the meeting as it is now."""
    scheduled = meeting.status == Meeting.Status.SCHEDULED
    if message.kind == Kind.MEETING_SCHEDULED:
        return scheduled
    if message.kind == Kind.MEETING_CHANGED:
        # Only the latest change is worth telling; older ones are superseded.
        return scheduled and message.occasion == f"seq{meeting.sequence}"
    if message.kind == Kind.REMINDER:
        days = int(message.occasion.split("d@", 1)[0])
        return (
            scheduled
            and not meeting.has_started
            and message.occasion == reminder_occasion(meeting, days)
        )
    if message.kind == Kind.MEETING_CANCELLED:
        return meeting.status == Meeting.Status.CANCELLED
    if message.kind == Kind.PULSE:
        return meeting.status == Meeting.Status.HELD
    return False


class MeetingBatch:
    """Loads the meetings of a batch of rows and their recipients' memberships in a fixed
    number of queries; `build` turns one row into its email."""

    def __init__(self, messages: list[OutboxMessage]):
        self.meetings = Meeting.objects.select_related("forum").in_bulk(
            {message.object_id for message in messages}
        )
        recipients = {message.recipient_id for message in messages if message.recipient_id}
        # Checked again when sending: if a new agreement version was published after the
        # row was queued, a member who has not accepted it gets no meeting mail (the row
        # is cancelled; the site shows them the meeting once they accept).
        self.memberships = set(
            Membership.objects.accepted()
            .filter(user_id__in=recipients)
            .values_list("user_id", "forum_id")
        )
        self._ics: dict[int, tuple[str, bytes, str]] = {}
        # A meeting's messages of one kind differ only in the recipient's first name
        # (and language): rendered once per batch, not once per recipient.
        self._parts = SharedParts()
        self._links: dict[int, dict[str, str]] = {}
        self._recipients = recipients
        self._committed: dict[int, set[int]] = {}  # reminders: meeting -> who committed

    def meeting_for(self, message: OutboxMessage) -> Meeting | None:
        """The row's meeting if the recipient still belongs to its forum, has accepted
        its current group agreement, and the row still applies; None cancels the row."""
        meeting = self.meetings.get(message.object_id)
        user = message.recipient
        if meeting is None or (user and (user.pk, meeting.forum_id) not in self.memberships):
            return None
        return meeting if still_applies(message, meeting) else None

    def context(self, message: OutboxMessage, meeting: Meeting) -> dict:
        user = message.recipient
        if meeting.pk not in self._links:  # the same for each recipient: reversed once
            self._links[meeting.pk] = {
                "meeting_url": calendar.meeting_url(meeting),
                "preparation_url": settings.SITE_URL
                + reverse("meetings:preparation", kwargs={"meeting_id": meeting.pk}),
            }
        committed = message.kind == Kind.REMINDER and user is not None
        if committed and meeting.pk not in self._committed:  # one query per meeting
            self._committed[meeting.pk] = previous_commitment_authors(meeting, self._recipients)
        return {
            "first_name": user.first_name if user else "",
            # That there is a commitment to look back on, never its text (which is
            # encrypted at rest and stays on the site).
            "has_previous_commitment": committed and user.pk in self._committed[meeting.pk],
            "forum_name": meeting.forum.name,
            "meeting": meeting,
            **self._links[meeting.pk],
            # Days left as of sending, not the nominal offset: a reminder sent late after
            # an outage still tells the truth.
            "days": (timezone.localdate(meeting.starts_at) - timezone.localdate()).days,
        }

    def email(self, message: OutboxMessage, meeting: Meeting, context: dict):
        user = message.recipient
        return self._parts.build(
            to=message.recipient_email,
            template=TEMPLATES[message.kind],
            context=context,
            language=user.language if user else meeting.forum.language,
            # Everything the context holds apart from the first name follows from these.
            key=(meeting.pk, context["days"], context["has_previous_commitment"]),
        )

    def build(self, message: OutboxMessage) -> EmailMultiAlternatives | None:
        meeting = self.meeting_for(message)
        if meeting is None:
            return None
        email = self.email(message, meeting, self.context(message, meeting))
        email.attach(*self.calendar(meeting))
        return email

    def calendar(self, meeting: Meeting) -> tuple[str, bytes, str]:
        """The attachment: PUBLISH, a cancellation too (STATUS:CANCELLED), so no mail
        client shows Accept/Decline buttons that would record nothing (calendar.py)."""
        if meeting.pk not in self._ics:
            self._ics[meeting.pk] = calendar.email_attachment(meeting)
        return self._ics[meeting.pk]


def build_meeting_emails(
    messages: list[OutboxMessage],
) -> Callable[[OutboxMessage], EmailMultiAlternatives | None]:
    """The outbox's batch builder for meeting scheduled/changed/cancelled and reminders."""
    return MeetingBatch(messages).build
