"""Turning outbox rows into emails: plain text + HTML in the recipient's language, an
.ics attachment for meeting emails, a stable Message-ID. No confidential content ever:
no notes, no preparation, no absence notes, no other members' names."""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from foorumix.mail import build_message
from foorumix.outbox import OPT_OUT_FLAG, Kind, reminder_occasion
from forums import invitations as invitation_links
from forums.models import Invitation, Membership
from sessions_app.meetings import calendar
from sessions_app.models import Meeting, OutboxMessage

TEMPLATES = {
    Kind.INVITATION: "forums/email/invitation",
    Kind.MEETING_SCHEDULED: "sessions_app/email/meeting_scheduled",
    Kind.MEETING_CHANGED: "sessions_app/email/meeting_changed",
    Kind.MEETING_CANCELLED: "sessions_app/email/meeting_cancelled",
    Kind.REMINDER: "sessions_app/email/reminder",
    Kind.PULSE: "sessions_app/email/pulse",
}


class Renderer:
    """Loads everything a batch of rows needs in a fixed number of queries."""

    def __init__(self, messages: list[OutboxMessage]):
        meeting_ids = {m.object_id for m in messages if m.kind != Kind.INVITATION}
        invitation_ids = {m.object_id for m in messages if m.kind == Kind.INVITATION}
        self.meetings = Meeting.objects.select_related("forum").in_bulk(meeting_ids)
        self.invitations = Invitation.objects.select_related("forum", "invited_by").in_bulk(
            invitation_ids
        )
        recipients = {m.recipient_id for m in messages if m.recipient_id}
        self.memberships = set(
            Membership.objects.filter(user_id__in=recipients, ended_at__isnull=True).values_list(
                "user_id", "forum_id"
            )
        )
        self.domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "foorumix"
        self._ics: dict[tuple[int, str], bytes] = {}

    def build(self, message: OutboxMessage) -> EmailMultiAlternatives | None:
        """The email for a row, or None when it no longer applies (cancel the row)."""
        user = message.recipient
        flag = OPT_OUT_FLAG.get(message.kind)
        if user is not None and (not user.is_active or (flag and not getattr(user, flag))):
            return None
        if message.kind == Kind.INVITATION:
            email = self._invitation(message)
        else:
            meeting = self.meetings.get(message.object_id)
            if meeting is None or (user and (user.pk, meeting.forum_id) not in self.memberships):
                return None
            email = self._meeting(message, meeting)
        if email is not None:
            email.extra_headers["Message-ID"] = f"<foorumix-outbox-{message.pk}@{self.domain}>"
        return email

    def _invitation(self, message: OutboxMessage) -> EmailMultiAlternatives | None:
        invitation = self.invitations.get(message.object_id)
        if invitation is None or invitation.status != Invitation.Status.PENDING:
            return None
        user = message.recipient
        return build_message(
            to=message.recipient_email,
            template=TEMPLATES[Kind.INVITATION],
            context={
                "forum_name": invitation.forum.name,
                "inviter": invitation.invited_by.get_full_name() if invitation.invited_by else "",
                "url": invitation_links.invitation_url(invitation),
                "expires_at": invitation.expires_at,
            },
            language=user.language if user else invitation.forum.language,
        )

    def _applies(self, message: OutboxMessage, meeting: Meeting) -> bool:
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

    def _meeting(self, message: OutboxMessage, meeting: Meeting) -> EmailMultiAlternatives | None:
        if not self._applies(message, meeting):
            return None
        user = message.recipient
        context = {
            "first_name": user.first_name if user else "",
            "forum_name": meeting.forum.name,
            "meeting": meeting,
            "meeting_url": calendar.meeting_url(meeting),
            "preparation_url": settings.SITE_URL
            + reverse("meetings:preparation", kwargs={"meeting_id": meeting.pk}),
            # Days left as of sending, not the nominal offset: a reminder sent late after
            # an outage still tells the truth.
            "days": (timezone.localdate(meeting.starts_at) - timezone.localdate()).days,
        }
        if message.kind == Kind.PULSE:
            url = self._pulse_url(meeting, user)
            if url is None:
                return None
            context["pulse_url"] = url
        email = build_message(
            to=message.recipient_email,
            template=TEMPLATES[message.kind],
            context=context,
            language=user.language if user else meeting.forum.language,
        )
        if message.kind != Kind.PULSE:
            method = "CANCEL" if message.kind == Kind.MEETING_CANCELLED else "REQUEST"
            email.attach(
                "foorumix.ics", self._calendar(meeting, method), f"text/calendar; method={method}"
            )
        return email

    def _calendar(self, meeting: Meeting, method: str) -> bytes:
        key = (meeting.pk, method)
        if key not in self._ics:
            self._ics[key] = calendar.calendar_for([meeting], method=method)
        return self._ics[key]

    def _pulse_url(self, meeting: Meeting, user) -> str | None:
        from sessions_app.pulse import services as pulse

        receipt = pulse.receipt_for(meeting, user)
        if receipt is None or receipt.answered_on is not None:
            return None
        return pulse.pulse_url(receipt)
