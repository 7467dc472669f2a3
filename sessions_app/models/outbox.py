from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One email to send: the database row is the truth, the broker only says "go look".

    Delivery is at-least-once with de-duplication: a row exists at most once per
    (recipient, kind, subject object, occasion) thanks to the unique constraint, and it
    is created in the same transaction as the change that causes it. A worker claims a
    row with a conditional UPDATE before sending. A crash between the SMTP hand-off and
    marking the row sent is the only way to send twice; see foorumix/outbox.py.
    """

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        MEETING_SCHEDULED = "meeting_scheduled", _("Meeting scheduled")
        MEETING_CHANGED = "meeting_changed", _("Meeting changed")
        MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
        REMINDER = "reminder", _("Reminder")
        PULSE = "pulse", _("Feedback pulse")
        RETENTION_WARNING = "retention_warning", _("Account about to be deleted")
        POLL_OPENED = "poll_opened", _("Time poll opened")
        POLL_REMINDER = "poll_reminder", _("Time poll reminder")
        MEETING_NUDGE = "meeting_nudge", _("Please answer: are you coming?")
        RSVP_DECLINED = "rsvp_declined", _("A member cannot come")
        MEMBER_REMOVED = "member_removed", _("Removed from a forum")

    class Status(models.TextChoices):
        PENDING = "pending"
        SENDING = "sending"
        SENT = "sent"
        FAILED = "failed"
        CANCELLED = "cancelled"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    recipient_email = models.EmailField()
    # The subject object's id: an Invitation for invitations, a SchedulingPoll for
    # polls, a Membership for removals, a Meeting otherwise.
    object_id = models.BigIntegerField()
    occasion = models.CharField(max_length=40)
    forum = models.ForeignKey(
        "forums.Forum", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    due_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Which sweep claimed the row: the conditional UPDATE sets it, so a sweep reads back
    # exactly the rows it won, even where SELECT … FOR UPDATE is not available (SQLite).
    claim_token = models.CharField(max_length=32, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The error class and SMTP code only, never message content.
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient_email", "kind", "object_id", "occasion"],
                name="outbox_once_per_occasion",
            )
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(status="pending"),
                name="outbox_pending_due",
            ),
            models.Index(fields=["status", "claimed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.occasion} → {self.recipient_email}"
