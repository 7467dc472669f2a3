"""Reads about session notes, with a fixed number of queries."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from forums.models import Forum
from members.models import User
from sessions_app.access import meetings_visible_to
from sessions_app.models import Meeting, NoteRead, SessionNote


def note_for_meeting(meeting: Meeting) -> SessionNote | None:
    return SessionNote.objects.filter(meeting=meeting).select_related("author").first()


def note_readers(note: SessionNote) -> QuerySet[User]:
    """Everyone who has read the notes, each with ``last_read``, latest first."""
    reads = NoteRead.objects.filter(note=note)
    last = reads.filter(reader=OuterRef("pk")).order_by("-read_at").values("read_at")[:1]
    return (
        User.objects.filter(pk__in=reads.values("reader"))
        .annotate(last_read=Subquery(last))
        .order_by("-last_read", "last_name", "first_name")
    )


def forum_note_meetings(user: User, forum: Forum) -> QuerySet[Meeting]:
    """The forum's meetings that have notes or may get them (started, not cancelled),
    newest first, each with ``note`` loaded without its body. One query."""
    now = timezone.now()
    return (
        meetings_visible_to(user)
        .filter(forum=forum)
        .filter(
            Q(note__isnull=False) | (Q(starts_at__lte=now) & ~Q(status=Meeting.Status.CANCELLED))
        )
        .select_related("note", "note__author")
        .defer("note__body_encrypted")
        .order_by("-starts_at")
    )
