from django.conf import settings
from django.db import models
from django.utils import timezone

from sessions_app.models.meetings import Meeting


class SessionNote(models.Model):
    """Anonymised notes of a held meeting, the forum's shared memory.

    The body is stored only encrypted (`body_encrypted`, MultiFernet under
    FOORUMIX_NOTES_KEYS, see foorumix/crypto.py); read it through the notes services,
    never in the admin, logs or emails.
    """

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="note")
    body_encrypted = models.TextField(editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"note {self.pk}"


class NoteRead(models.Model):
    """Who read the notes and when; the forum's members can see this list."""

    note = models.ForeignKey(SessionNote, on_delete=models.CASCADE, related_name="reads")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-read_at"]

    def __str__(self) -> str:
        return f"read {self.pk}"
