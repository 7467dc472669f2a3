"""The meeting itself: its plan (phases and times), the live state the facilitator
drives, who is in the room, and what members type privately during it.

Nothing said in the meeting is stored. LiveMeeting holds no content: only the phases,
the speaking order (user ids) and times. The only texts are the ones members type
themselves, encrypted and visible to their author alone (MeetingNotepad, Commitment)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foorumix.crypto import EncryptedTextField
from forums.models import Forum
from sessions_app.models.meetings import Meeting


class MeetingPlan(models.Model):
    """The rhythm of a meeting: the forum's default (meeting is null) or one meeting's
    own. `phases` is a list of {"kind", "minutes", "title"}; for rounds `minutes` is
    each speaker's equal slot, for other phases the phase's length. A blank title or
    opening text means the translated default, in each viewer's language."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="meeting_plans")
    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="plan"
    )
    phases = models.JSONField(default=list)
    opening_text = models.TextField(_("confidentiality reminder"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["forum"], condition=Q(meeting__isnull=True), name="one_forum_plan"
            )
        ]

    def __str__(self) -> str:
        return f"plan {self.forum_id}/{self.meeting_id}"


class LiveMeeting(models.Model):
    """The state of a running meeting: which phase, whose turn, how long. Two
    facilitator tabs may act at once: every change locks the row and must name the
    `version` it was made on (sessions_app/live/services.py)."""

    class Status(models.TextChoices):
        READY = "ready", _("Not started")
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    class OrderMode(models.TextChoices):
        SHUFFLE = "shuffle", _("Shuffled")
        ARRIVAL = "arrival", _("By arrival")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="live")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.READY)
    phases = models.JSONField(default=list)  # the plan as it was when the meeting started
    phase_index = models.PositiveSmallIntegerField(default=0)
    order_mode = models.CharField(
        max_length=8, choices=OrderMode.choices, default=OrderMode.SHUFFLE
    )
    order = models.JSONField(default=list)  # user ids of the current round; [] otherwise
    speaker_index = models.PositiveSmallIntegerField(default=0)
    segment_seconds = models.PositiveIntegerField(default=0)  # this slot, with extensions
    segment_ends_at = models.DateTimeField(null=True, blank=True)  # while running
    remaining_seconds = models.PositiveIntegerField(default=0)  # while paused
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"live {self.meeting_id} {self.status}"


class LivePresence(models.Model):
    """Someone in the room: joined the live meeting on their own device, or marked
    present by the facilitator. Pre-fills the attendance record; the coordinator
    confirms it there."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_presences"
    )
    arrived_at = models.DateTimeField(default=timezone.now)
    joined_in_app = models.BooleanField(default=False)
    present = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="live_presence_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.meeting_id}"


class MeetingNotepad(models.Model):
    """A member's private notes during a meeting, encrypted; only the author sees them."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notepads")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_notepads"
    )
    text = EncryptedTextField(_("My notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "author"], name="notepad_once")]

    def __str__(self) -> str:
        return f"notepad {self.pk}"


class Commitment(models.Model):
    """What a member will try before the next meeting, written in the closing round,
    and later how it went. Encrypted; only the author ever sees it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="commitments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="commitments"
    )
    text = EncryptedTextField(_("What I will try before next time"))
    outcome = EncryptedTextField(_("How did it go?"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "author"], name="commitment_once")
        ]
        indexes = [models.Index(fields=["author", "meeting"])]

    def __str__(self) -> str:
        return f"commitment {self.pk}"
