"""Follow-up emails from outbox rows: the coordinator's reminder to members who have not
answered (kind meeting_nudge) and the notice to coordinators that a member cannot come
and left a note (kind rsvp_declined).

Neither ever carries confidential content: the reminder names nobody, and the decline
notice names the member and the meeting but never the note, which is encrypted at rest
and is read on the meeting page (the builder does not even load it). Delivery follows
the outbox: at-least-once with de-duplication (foorumix/outbox.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from foorumix.mail import SharedParts
from forums.models import Forum, Membership
from sessions_app.meetings import calendar, notify
from sessions_app.models import Meeting, OutboxMessage, Participation

Kind = OutboxMessage.Kind
TEMPLATES = {
    Kind.MEETING_NUDGE: "sessions_app/email/nudge",
    Kind.RSVP_DECLINED: "sessions_app/email/declined",
}


def _participation_id(occasion: str) -> int | None:
    """The answer a decline notice is about: occasion "declined-<id>-<timestamp>"."""
    parts = occasion.split("-")
    if len(parts) != 3 or parts[0] != "declined" or not parts[1].isdigit():
        return None
    return int(parts[1])


class FollowUpBatch:
    """Loads what a batch of rows needs in a fixed number of queries (the meetings, and
    per kind the recipients' standing and the answers); `build` makes one email."""

    def __init__(self, messages: list[OutboxMessage]):
        self.meetings = Meeting.objects.select_related("forum").in_bulk(
            {message.object_id for message in messages}
        )
        recipients = {message.recipient_id for message in messages if message.recipient_id}
        kinds = {message.kind for message in messages}
        self.accepted: set[tuple[int, int]] = set()
        self.answered: set[tuple[int, int]] = set()
        self.coordinating: set[tuple[int, int]] = set()
        self.declines: dict[int, dict] = {}
        if Kind.MEETING_NUDGE in kinds:
            self._load_nudge_state(recipients)
        if Kind.RSVP_DECLINED in kinds:
            self._load_decline_state(messages, recipients)
        self._parts = SharedParts()

    def _load_nudge_state(self, recipients: set[int]) -> None:
        self.accepted = set(
            Membership.objects.accepted()
            .filter(user_id__in=recipients)
            .values_list("user_id", "forum_id")
        )
        self.answered = set(
            Participation.objects.filter(meeting_id__in=list(self.meetings), user_id__in=recipients)
            .exclude(rsvp="")
            .values_list("meeting_id", "user_id")
        )

    def _load_decline_state(self, messages: list[OutboxMessage], recipients: set[int]) -> None:
        self.coordinating = set(
            Forum.coordinators.through.objects.filter(
                user_id__in=recipients, user__is_coordinator=True
            ).values_list("forum_id", "user_id")
        )
        ids = {_participation_id(message.occasion) for message in messages} - {None}
        # Never the note itself: only what the email says about the answer.
        self.declines = {
            row["pk"]: row
            for row in Participation.objects.filter(pk__in=ids).values(
                "pk", "meeting_id", "rsvp", "rsvp_at", "user__first_name", "user__last_name"
            )
        }

    def _nudge_applies(self, message: OutboxMessage, meeting: Meeting) -> bool:
        user_id = message.recipient_id
        return (user_id, meeting.forum_id) in self.accepted and (
            meeting.pk,
            user_id,
        ) not in self.answered

    def _decline(self, message: OutboxMessage, meeting: Meeting) -> dict | None:
        """The answer, if the recipient still coordinates the forum and the member's
        answer is still this "not coming" (a later answer supersedes the notice)."""
        if (meeting.forum_id, message.recipient_id) not in self.coordinating:
            return None
        row = self.declines.get(_participation_id(message.occasion))
        if row is None or row["meeting_id"] != meeting.pk or row["rsvp"] != "no":
            return None
        stamp = row["rsvp_at"]
        if stamp is None or message.occasion != notify.declined_occasion(row["pk"], stamp):
            return None
        return row

    def build(self, message: OutboxMessage) -> EmailMultiAlternatives | None:
        meeting = self.meetings.get(message.object_id)
        user = message.recipient
        if (
            meeting is None
            or user is None
            or meeting.status != Meeting.Status.SCHEDULED
            or meeting.starts_at <= timezone.now()
        ):
            return None
        context = {
            "first_name": user.first_name,
            "forum_name": meeting.forum.name,
            "meeting": meeting,
            "meeting_url": calendar.meeting_url(meeting),
        }
        key: tuple = (meeting.pk,)
        if message.kind == Kind.MEETING_NUDGE:
            if not self._nudge_applies(message, meeting):
                return None
        else:
            row = self._decline(message, meeting)
            if row is None:
                return None
            context["member_name"] = f"{row['user__first_name']} {row['user__last_name']}".strip()
            context["settings_url"] = settings.SITE_URL + reverse("notification_settings")
            key = (meeting.pk, row["pk"])
        return self._parts.build(
            to=message.recipient_email,
            template=TEMPLATES[message.kind],
            context=context,
            language=user.language,
            key=key,
        )


def build_follow_up_emails(
    messages: list[OutboxMessage],
) -> Callable[[OutboxMessage], EmailMultiAlternatives | None]:
    """The outbox's batch builder for meeting_nudge and rsvp_declined rows; None cancels
    a row that no longer applies (the meeting was cancelled or has started, the member
    has answered meanwhile, the recipient no longer coordinates the forum)."""
    return FollowUpBatch(messages).build
