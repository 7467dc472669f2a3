"""The pulse email: a one-time link for each attendee of a held meeting. The link is
rebuilt from the person's receipt when the email is sent, so no token is stored in the
outbox or travels through the broker."""

from __future__ import annotations

from collections.abc import Callable

from django.core.mail import EmailMultiAlternatives

from sessions_app.meetings.emails import MeetingBatch
from sessions_app.models import OutboxMessage, PulseReceipt
from sessions_app.pulse.services import pulse_url


class PulseBatch(MeetingBatch):
    def __init__(self, messages: list[OutboxMessage]):
        super().__init__(messages)
        receipts = PulseReceipt.objects.filter(
            meeting_id__in=self.meetings,
            user_id__in={message.recipient_id for message in messages if message.recipient_id},
        )
        self.receipts = {(receipt.meeting_id, receipt.user_id): receipt for receipt in receipts}

    def build(self, message: OutboxMessage) -> EmailMultiAlternatives | None:
        meeting = self.meeting_for(message)
        receipt = self.receipts.get((message.object_id, message.recipient_id))
        if meeting is None or receipt is None or receipt.answered_on is not None:
            return None
        context = {**self.context(message, meeting), "pulse_url": pulse_url(receipt)}
        return self.email(message, meeting, context)


def build_pulse_emails(
    messages: list[OutboxMessage],
) -> Callable[[OutboxMessage], EmailMultiAlternatives | None]:
    """The outbox's batch builder for pulse links."""
    return PulseBatch(messages).build
