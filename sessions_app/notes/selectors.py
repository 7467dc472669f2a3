"""Reads about session notes, with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format

from foorumix.rows import fetch, moment
from forums.access import ForumAccess
from forums.models import Forum
from members.models import User
from sessions_app.access import may_write_notes
from sessions_app.models import Meeting, NoteRead, SessionNote
from sessions_app.notes import services as notes


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


@dataclass(frozen=True, slots=True)
class NoteListRow:
    """One meeting in a forum's notes list, ready to show: its texts made once here,
    because model instances (the note and its author included) and a {% url %} and
    three date filters per row in the template were most of the list's time."""

    pk: int
    starts_iso: str  # for <time datetime>
    starts_date: str  # the start's date in the active language's short format
    cancelled_label: str  # the status's label for a cancelled meeting, else ""
    theme: str
    has_note: bool
    note_date: str  # the note's last change, short format ("" without a note)
    may_write: bool  # the viewer may write (or edit) the notes now


# Hand-written: as an ORM queryset (values across the note's join, an OR of conditions)
# the list took ~0.8 ms to build, compile and read against ~0.3 ms for this statement.
# Parameters: the forum, now, CANCELLED.
_NOTE_MEETINGS_SQL = """
SELECT m.id, m.starts_at, m.status, m.theme, m.note_taker_id, n.updated_at
FROM sessions_app_meeting m
LEFT JOIN sessions_app_sessionnote n ON n.meeting_id = m.id
WHERE m.forum_id = %s
  AND (n.id IS NOT NULL OR (m.starts_at <= %s AND m.status <> %s))
ORDER BY m.starts_at DESC, m.id DESC
"""


def forum_note_meetings(forum: Forum) -> list[tuple]:
    """The forum's meetings that have notes or may get them (started, not cancelled),
    newest first: (id, starts_at, status, theme, note_taker_id, the note's updated_at or
    None), one query.

    For viewers that forum_for_member let in: every one of them sees all the forum's
    meetings (meetings_visible_to would answer the same after that check, as on the
    forum's page), so that rule is not asked again here."""
    return [
        (pk, moment(starts_at), status, theme, note_taker_id, moment(updated_at))
        for pk, starts_at, status, theme, note_taker_id, updated_at in fetch(
            _NOTE_MEETINGS_SQL, [forum.pk, timezone.now(), Meeting.Status.CANCELLED]
        )
    ]


def forum_note_rows(access: ForumAccess) -> list[NoteListRow]:
    """forum_note_meetings as the list shows them, for the viewer of `access`."""
    short_dates: dict[date, str] = {}

    def short_date(local: datetime) -> str:  # formatted once per distinct day
        day = local.date()
        if day not in short_dates:
            short_dates[day] = date_format(local, "SHORT_DATE_FORMAT")
        return short_dates[day]

    cancelled = str(Meeting.Status.CANCELLED.label)
    # The rules about writing notes ask a meeting: one unsaved meeting, given each row's
    # values in turn (a model instance per row cost more than the rest of the row).
    meeting = Meeting(forum=access.forum)
    rows = []
    for pk, starts_at, status, theme, note_taker_id, updated in forum_note_meetings(access.forum):
        meeting.pk, meeting.starts_at, meeting.status = pk, starts_at, status
        meeting.note_taker_id = note_taker_id
        starts = timezone.localtime(starts_at)
        rows.append(
            NoteListRow(
                pk=pk,
                starts_iso=starts.isoformat(),
                starts_date=short_date(starts),
                cancelled_label=cancelled if meeting.is_cancelled else "",
                theme=theme,
                has_note=updated is not None,
                note_date=short_date(timezone.localtime(updated)) if updated else "",
                may_write=notes.meeting_accepts_notes(meeting) and may_write_notes(access, meeting),
            )
        )
    return rows
