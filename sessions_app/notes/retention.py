"""How long session notes are kept: until the meeting's start plus the forum's
retention months. A nightly task (sessions_app/tasks.py) deletes expired notes."""

from __future__ import annotations

import logging
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from forums.models import Forum
from sessions_app.models import Meeting, SessionNote

logger = logging.getLogger(__name__)


def note_expiry(meeting: Meeting) -> datetime:
    """Notes are kept for the forum's retention period counted from the meeting start."""
    return meeting.starts_at + relativedelta(months=meeting.forum.note_retention_months)


def notes_delete_expired(*, now: datetime | None = None) -> list[int]:
    """Delete every note whose ``expires_at`` has passed (their reads go with them).

    Idempotent: a second run finds nothing. Returns the deleted ids."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            SessionNote.objects.select_for_update()
            .filter(expires_at__lte=now)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if ids:
            SessionNote.objects.filter(pk__in=ids).delete()
    return ids


def notes_expiry_update(*, forum: Forum) -> int:
    """Recompute ``expires_at`` of the forum's notes after its retention period changed.

    For whoever changes ``Forum.note_retention_months``; returns the number of notes."""
    notes = SessionNote.objects.filter(meeting__forum=forum).select_related("meeting__forum")
    count = 0
    with transaction.atomic():
        for note in notes.select_for_update(of=("self",)):
            note.meeting.forum = forum
            note.expires_at = note_expiry(note.meeting)
            note.save(update_fields=["expires_at"])
            count += 1
    return count
