import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foorumix.crypto import EncryptedTextField
from foorumix.tokens import SecretLink
from forums.models import Forum


class MeetingSeries(models.Model):
    """Meetings scheduled together from one recurrence rule (RFC 5545 RRULE)."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="meeting_series")
    rule = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.forum}: {self.rule}"


class Meeting(models.Model):
    """One forum meeting. Times are stored in UTC and shown in Europe/Helsinki."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="meetings")
    series = models.ForeignKey(
        MeetingSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    # The theme picked from the themes page, if any; `theme` holds its title as shown.
    theme_source = models.ForeignKey(
        "sessions_app.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    agenda = models.TextField(_("agenda"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    note_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("note-taker"),
        help_text=_("A member who may write this meeting's notes besides the coordinators."),
    )
    # RFC 5545: a stable UID and a SEQUENCE that grows with every change, so calendar
    # programs update the event instead of adding a new one.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    # When the coordinator sent the one reminder to members who have not answered.
    nudged_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["forum", "starts_at"]), models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"{self.forum} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()


class MeetingChange(models.Model):
    """A record of each scheduling change, so members can be told about it."""

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CHANGED = "changed", _("Changed")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Marked as held")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    fields = models.CharField(max_length=200, blank=True)
    sequence = models.PositiveIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "at"]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.kind} #{self.sequence}"


class Participation(models.Model):
    """A member's RSVP and, after the meeting, attendance: one row per (meeting, member).

    This is the data aggregated for HR, so it outlives the membership."""

    class Rsvp(models.TextChoices):
        YES = "yes", _("Coming")
        MAYBE = "maybe", _("Maybe")
        NO = "no", _("Not coming")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations"
    )
    rsvp = models.CharField(max_length=5, choices=Rsvp.choices, blank=True)
    rsvp_at = models.DateTimeField(null=True, blank=True)
    # Only the forum's coordinators ever see this; stored encrypted (foorumix/crypto.py).
    absence_note = EncryptedTextField(_("note to the coordinator"), max_length=500, blank=True)
    attended = models.BooleanField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="participation_once")
        ]
        indexes = [models.Index(fields=["user", "meeting"])]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.meeting_id}"


class Preparation(models.Model):
    """A member's private preparation for a meeting: visible only to its author unless
    the author shares it with the forum. Never visible to HR. The texts are stored
    encrypted (foorumix/crypto.py, EncryptedTextField)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="preparations")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preparations"
    )
    current_situation = EncryptedTextField(_("What is going on for me"), blank=True)
    to_bring = EncryptedTextField(_("What I want to bring to the group"), blank=True)
    shared = models.BooleanField(_("Share with the forum"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "author"], name="preparation_once")
        ]

    def __str__(self) -> str:
        return f"preparation {self.pk}"


class CalendarFeed(SecretLink):
    """A personal calendar subscription link. See foorumix/tokens.py for the token."""

    token_purpose = "calendar-feed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_live_feed"
            )
        ]

    def __str__(self) -> str:
        return f"feed {self.pk}"
